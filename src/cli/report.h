/* report.h — a campaign database's proposals as rows for people and programs:
 * the columns of `invdes export` (CSV and JSON), and the number, time and JSON
 * formatting the station verbs (status, best, export) share.
 *
 * A row is a jansson object whose keys are the export columns in order:
 *   id, batch, status, <each variable>, <each target>, [pareto_rank],
 *   <each target>_sd,
 *   <each target>_pred_mean and <each target>_pred_sd (in pairs, target by
 *   target), acquisition, strategy, station, reason, created, updated
 * with JSON null for anything missing (no value, no sd, no model, no reason).
 * pareto_rank is there only for a multi-objective campaign (target.h): the
 * proposal's non-dominated rank among all listed results (0: on the front),
 * null when it is off every front (failed, a condition not met, a value
 * missing, or no result yet).
 * Variables are the store's (parameters, then composition components; a
 * pool's id column) with the value as recorded in the proposal: numbers, and
 * categorical labels as strings. Times are ISO 8601 UTC to the second
 * ("2024-05-01T12:00:00Z"). The CSV writer prints the same rows with null as
 * an empty field; the column set never depends on the data, so every export of
 * one campaign has the same header.
 *
 * Numbers are written with the fewest significant digits (up to 17) that read
 * back to the same double, in CSV and JSON alike. This module reads nothing
 * from the database itself (the caller lists the rows) and writes only to the
 * FILE it is given; it never prints diagnostics. */
#ifndef INVDES_REPORT_H
#define INVDES_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "error.h"
#include "store.h"
#include "table.h"

/* Room for a variable's export column name, with its NUL. */
#define INVDES_REPORT_NAME_MAX 512

/* The export column of variable i: its name, or "pool." + the name for a
 * pool's id column, so that "id" is always the proposal's id even when the
 * pool's own id column is called id. Returns buf or the borrowed name. */
const char *invdes_report_variable_column(const invdes_store *s, size_t i, char *buf,
                                          size_t size);

/* Room for any number or time this module formats, with its NUL. */
#define INVDES_REPORT_NUM_MAX 40

/* The export columns for the store's campaign, in order: a new JSON array of
 * strings (the caller decrefs it), or NULL when out of memory. */
json_t *invdes_report_columns(const invdes_store *s);

/* Proposal p (from a list of store s) as a new object with exactly the
 * columns above, in that order; pareto_rank: p's rank (SIZE_MAX: none) for
 * a multi-objective campaign, NULL otherwise. Returns NULL with err set when
 * out of memory or when the recorded parameters are not a JSON object. */
json_t *invdes_report_row(const invdes_store *s, const invdes_store_rows *rows,
                          const invdes_store_proposal *p, const size_t *pareto_rank,
                          invdes_error *err);

/* The Pareto ranks of every row (cli_front.h) into a new array *ranks (the
 * caller frees it), or *ranks = NULL when the campaign is not
 * multi-objective. */
invdes_status invdes_report_ranks(const invdes_store *s, const invdes_store_rows *rows,
                                  size_t **ranks, invdes_error *err);

/* Writes the header and one line per row of `rows` to f as CSV (RFC 4180,
 * LF line ends). INVDES_ERR_IO when writing fails. */
invdes_status invdes_report_write_csv(FILE *f, const invdes_store *s,
                                      const invdes_store_rows *rows, invdes_error *err);
/* The same with units in the header: a column with a unit in `units` (from
 * invdes_report_units; NULL: none) is headed "NAME [UNIT]", e.g.
 * "capacity [mAh/g]", "capacity_sd [mAh/g]": a spreadsheet shows the unit, a
 * parser gets the name back as the text before " [". */
invdes_status invdes_report_write_csv_units(FILE *f, const invdes_store *s,
                                            const invdes_store_rows *rows, const json_t *units,
                                            invdes_error *err);

/* The same with the given ranks (rows->n entries; NULL: none) as the
 * pareto_rank column of a multi-objective campaign, e.g. for a subset of the
 * rows whose ranks were taken over all of them. */
invdes_status invdes_report_write_csv_ranked(FILE *f, const invdes_store *s,
                                             const invdes_store_rows *rows, const size_t *ranks,
                                             invdes_error *err);

/* The units of the export columns as a new object, column -> unit as written
 * in the campaign, for the columns that have one: variables, and every
 * target's value, _sd, _pred_mean and _pred_sd columns. NULL when out of
 * memory. */
json_t *invdes_report_units(const invdes_store *s);

/* The rows as a new JSON array of row objects (the caller decrefs it). */
json_t *invdes_report_rows_json(const invdes_store *s, const invdes_store_rows *rows,
                                invdes_error *err);

/* Writes any JSON value to f, indented by two spaces per level (0: on one
 * line), keys in insertion order, reals in the shortest round-trip form.
 * Returns 0, or -1 when writing failed. No newline is added. */
int invdes_report_write_json(FILE *f, const json_t *v, int indent);


/* Unix seconds t as "YYYY-MM-DDTHH:MM:SS.mmmZ" (ISO 8601 UTC, rounded to the
 * millisecond): the one time format of every output (export, status, ask,
 * heartbeat, best). buf has INVDES_REPORT_NUM_MAX bytes. A non-finite t, or
 * one beyond any calendar, gives "". */
void invdes_report_time(double t, char *buf);

/* A JSON string of the time, or JSON null for a non-finite t (new reference). */
json_t *invdes_report_time_json(double t);

/* Every version of every result (store.h's invdes_store_history) as a new
 * JSON array of objects with the keys id (the proposal), target, version,
 * action (recorded, amended, retracted, migrated), value, sd, who, time,
 * reason; NULL with err set on failure. */
json_t *invdes_report_history_json(invdes_store *s, invdes_error *err);

/* Writes such an array as CSV with those columns, in that order. */
invdes_status invdes_report_write_history_csv(FILE *f, const json_t *arr, invdes_error *err);

#endif
