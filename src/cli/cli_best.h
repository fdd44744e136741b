/* cli_best.h — the best result as `invdes best` and `invdes status` show it,
 * and stop_when in words for `validate` and `run`. Both verbs show the one
 * ranking (target.h: results meeting every condition first, best objective
 * among them; else the least normalized violation) that the store computes
 * (invdes_store_best_result) and the run's progress line uses; this file
 * only lays it out. A multi-objective campaign shows its Pareto front
 * instead (cli_front.h). */
#ifndef INVDES_CLI_BEST_H
#define INVDES_CLI_BEST_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "campaign.h"
#include "store.h"

/* Which ranking named the best: "meets_all", "least_violation", or NULL when
 * no result is ranked yet. */
const char *invdes_cli_ranking_name(const invdes_store_best *b);

/* Writes the best to stdout as text: a headline (proposal, batch, which
 * ranking and how many results meet every condition) and one line per target
 * (goal, value, whether a condition is met). p: the best proposal with its
 * values (invdes_store_get), NULL when b names none. */
void invdes_cli_best_text(const invdes_store *s, const invdes_store_best *b,
                          const invdes_store_proposal *p);

/* The same as a new JSON object: {"proposal", "batch", "ranking",
 * "violation", "n_ranked", "n_meeting", "targets": [{"target", "goal"
 * (with "window" or "threshold"), "value", "sd", "meets"}], "parameters"},
 * null where nothing exists ("meets" is null for maximize/minimize). NULL
 * when out of memory. */
json_t *invdes_cli_best_json(const invdes_store *s, const invdes_store_best *b,
                             const invdes_store_proposal *p);

/* Reads the best and its proposal: *rows holds the proposal (rows->items[0])
 * when b->proposal != 0, else NULL. The caller frees *rows. */
invdes_status invdes_cli_best_read(invdes_store *s, invdes_store_best *b,
                                   invdes_store_rows **rows, invdes_error *err);

/* What stop_when does for campaign c, as a clause for `validate`'s budget
 * line: "" (never), ", or until a result meets every condition", ", or until
 * a result meets every condition and capacity >= 200". Returns 1 (and a
 * clause saying why) when stop_when is `satisfied` but c has a maximize or
 * minimize target without a level, so that it cannot stop the run early. */
int invdes_cli_stop_when_text(const invdes_campaign *c, char *buf, size_t size);

#endif
