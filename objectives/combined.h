/* combined.h — the `combined` objective kind's spec, shared by its reader
 * (combined.c) and its evaluator (combined_eval.c); internal. */
#ifndef INVDES_COMBINED_H
#define INVDES_COMBINED_H

#include <stddef.h>

#include "objective.h"

extern const invdes_objective_type invdes_objective_combined;

/* One part: an objective section of its own and the targets it gives. */
typedef struct invdes_combined_part {
  invdes_objective o;
  char **targets;               /* the names as written */
  size_t n_targets;
  size_t *index;                /* the campaign's index of each (set by check) */
  invdes_target *view;          /* copies of those targets: the kind's view */
} invdes_combined_part;

typedef struct combined_spec {
  invdes_combined_part *parts;
  size_t n_parts;
  char **canon;                 /* one text per part: the store compares them */
  size_t n_canon;
} combined_spec;

/* The evaluator operations of the kind (objective.h's open, evaluate, close). */
invdes_status invdes_combined_open(const invdes_objective_setup *s, void **state,
                                   invdes_error *err);
invdes_status invdes_combined_evaluate(void *state, const invdes_objective_point *p, size_t n,
                                       invdes_objective_done_fn done, void *data,
                                       invdes_error *err);
void invdes_combined_close(void *state);

#endif
