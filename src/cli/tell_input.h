/* tell_input.h — reports for a campaign database as people and stations write
 * them, turned into typed store requests (invdes_store_tell_req): a number
 * typed on the command line ("capacity=182.3"), or a results file in CSV or
 * JSON holding many reports.
 *
 * Accepted files (docs: README, "Running a station by hand"):
 *  - CSV with a header row: `id` (required), any target names (the measured
 *    value, an empty cell for a target not measured), `<target>_sd` (the
 *    value's standard deviation, empty when not given), `failed` (a reason:
 *    a non-empty cell makes the row a failure, and then its value cells must
 *    be empty) and `campaign` (the campaign name the row is meant for). Any
 *    other column is an error naming the ones allowed.
 *  - JSON: an array of report objects, or an object {"campaign": NAME,
 *    "results": [...]} whose name applies to every report. A report object
 *    has "id" (a whole number) and one of
 *      "values": {target: number, ...} with optional "sd": {target: number}
 *      "failed": "reason"
 *      "abandon": true (optional "reason")
 *    or, in the evaluator protocol's form, target names as keys next to "id"
 *    ({"id": 17, "capacity": 182.3}; "sd" may accompany them). Any report may
 *    carry "campaign". Values must be JSON numbers; duplicate keys are refused.
 * Every value must be a finite number; messages name the file, the line
 * (CSV) or the report's position and id (JSON), the column and the text.
 * Which targets exist, which ids exist and whether a value was recorded
 * before is the store's judgement (invdes_store_tell_many), not this
 * module's: it only reads, and it needs the target names to recognise CSV
 * columns. It never prints. */
#ifndef INVDES_TELL_INPUT_H
#define INVDES_TELL_INPUT_H

#include <stddef.h>

#include <jansson.h>

#include "error.h"
#include "store.h"

/* A growing list of reports; owns every string and value it points to. */
typedef struct invdes_tell_input invdes_tell_input;

invdes_tell_input *invdes_tell_input_new(void);
void invdes_tell_input_free(invdes_tell_input *in); /* NULL is a no-op */

/* The reports so far, in the order added; valid until the next add or free. */
size_t invdes_tell_input_n(const invdes_tell_input *in);
const invdes_store_tell_req *invdes_tell_input_reqs(const invdes_tell_input *in);

/* Adds one report (everything is copied). values may be NULL when n_values is
 * 0; reason, source and campaign may be NULL. */
invdes_status invdes_tell_input_add(invdes_tell_input *in, int64_t id, invdes_tell_kind kind,
                                    const invdes_store_value *values, size_t n_values,
                                    const char *reason, const char *source,
                                    const char *campaign, invdes_error *err);

/* Gives every report so far that names no campaign the campaign `name`
 * (copied): the command line's --campaign for a file's reports. */
invdes_status invdes_tell_input_default_campaign(invdes_tell_input *in, const char *name,
                                                 invdes_error *err);

/* Names the reporting station (copied; NULL: none) on every report so far,
 * which the store checks against each proposal's holder; with `close`, every
 * result also closes its proposal (done even with targets missing). */
invdes_status invdes_tell_input_set_station(invdes_tell_input *in, const char *station,
                                            int close, invdes_error *err);

/* Adds the one report object `item`, in a results file's JSON form (its
 * "id" included; `where` names it in messages, as a file's path would):
 * `invdes serve`'s result requests. */
invdes_status invdes_tell_input_add_json(invdes_tell_input *in, const json_t *item,
                                         const char *where, const char *source,
                                         invdes_error *err);

/* Parses text as a whole as a finite decimal number (table.h's
 * invdes_decimal_parse): 0, -1 when it is not a number ("abc", "", "1.5x"),
 * -2 when it is one but not finite ("nan", "inf", "1e999"), -3 when it is a
 * number in another spelling ("0x10"). */
int invdes_tell_parse_number(const char *text, double *out);

/* Parses a proposal id: a whole number >= 1. Returns 0 or -1. */
int invdes_tell_parse_id(const char *text, int64_t *out);

/* Splits "NAME=VALUE" into name (a new string the caller frees) and a finite
 * value. INVDES_ERR_INVALID with a message naming `arg` when there is no '=',
 * the name or value is empty, or the value is not a finite number. */
invdes_status invdes_tell_parse_assignment(const char *arg, char **name, double *value,
                                           invdes_error *err);

/* Reads a results file and appends its reports, or nothing (on error) with
 * the first problem found. `targets` (n_targets names) are the campaign's,
 * to recognise CSV columns; `source` is recorded with every report.
 * invdes_tell_input_read picks CSV or JSON by the first non-blank character
 * of the file ('[' or '{' mean JSON). */
invdes_status invdes_tell_input_read_csv(invdes_tell_input *in, const char *path,
                                         const char *const *targets, size_t n_targets,
                                         const char *source, invdes_error *err);
invdes_status invdes_tell_input_read_json(invdes_tell_input *in, const char *path,
                                          const char *source, invdes_error *err);
invdes_status invdes_tell_input_read(invdes_tell_input *in, const char *path,
                                     const char *const *targets, size_t n_targets,
                                     const char *source, invdes_error *err);

#endif
