/* cli_front.h — the Pareto front of a campaign database as the commands show
 * it (`best`, `status`, `export`): whether the campaign is multi-objective,
 * and each listed proposal's Pareto rank, with the reference point and the
 * hypervolume (target.h's invdes_targets_front on the targets the database
 * records, which carry the campaign's weights and references). Reads what
 * it is given; prints nothing. */
#ifndef INVDES_CLI_FRONT_H
#define INVDES_CLI_FRONT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "store.h"
#include "target.h"

/* 1 when the database's campaign is multi-objective (invdes_targets_pareto). */
int invdes_cli_pareto(const invdes_store *s);

/* The front of the proposals in rows (all of a campaign's, for ranks that
 * mean anything): a result is a done or partial proposal's values, a failed
 * proposal is failed; pending and abandoned ones have none. rank (rows->n
 * entries, or NULL): Pareto rank, SIZE_MAX for a proposal off every front
 * (failed, a condition not met, a value missing). ref (m doubles, or
 * NULL) and sum (or NULL) as invdes_targets_front gives them. */
invdes_status invdes_cli_front(const invdes_store *s, const invdes_store_rows *rows, size_t *rank,
                               double *ref, invdes_front_summary *sum, invdes_error *err);

/* ---- the front listed (cli_front_list.c) ---------------------------------- */

typedef struct invdes_cli_front_list {
  invdes_store_rows *all;      /* every proposal, owned */
  size_t *rank;                /* all->n ranks */
  double *ref;                 /* the reference point, minimized coordinates */
  invdes_front_summary sum;
  int64_t n_results;           /* done, partial and failed proposals */
  invdes_store_rows front;     /* the rank-0 proposals, sorted (shallow copies) */
} invdes_cli_front_list;

/* Lists every proposal of s and its front. The caller frees f with
 * invdes_cli_front_list_free (also after a failure). */
invdes_status invdes_cli_front_read(invdes_store *s, invdes_cli_front_list *f,
                                    invdes_error *err);
void invdes_cli_front_list_free(invdes_cli_front_list *f);

/* The front as text on stdout: a headline (its size, how many results meet
 * every condition, how many there are), the hypervolume with the reference
 * in the targets' units, and one line per result (every target's value and
 * the parameters). */
void invdes_cli_front_text(const invdes_store *s, const invdes_cli_front_list *f);

/* As a new JSON object {"ranking": "pareto", "n_results", "n_meeting",
 * "n_front", "hypervolume", "reference": [{"target", "value", "given"}],
 * "front": [export rows]}; NULL with err set on failure. */
json_t *invdes_cli_front_json(const invdes_store *s, const invdes_cli_front_list *f,
                              invdes_error *err);

/* As CSV: the export's header and one export row per result of the front. */
invdes_status invdes_cli_front_csv(FILE *out, const invdes_store *s,
                                   const invdes_cli_front_list *f, invdes_error *err);

#endif
