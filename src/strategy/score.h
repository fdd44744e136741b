/* score.h — how an observed outcome ranks: the scalarization of
 * a result's target values by the targets' goals (campaign-format.md, "How
 * targets combine"), for strategies that compare observations (pso, ga) and
 * for the rows bo searches around (its incumbent for EI stays in the
 * model's standardized units: bo_model.c).
 *
 * Each observation gets two parts:
 *  - objective: the sum over maximize/minimize targets of weight × value,
 *    negated for maximize, so lower is better (units: the targets' own,
 *    weighted); 0 when the campaign has no such target; NAN when one of them
 *    is missing from the result;
 *  - violation: the sum over window/below/above targets whose value is present
 *    of the distance outside the window or beyond the threshold, divided by
 *    the window's width or by |threshold| (1 when the threshold is 0), so
 *    0 means every present condition is met; missing conditions count 0
 *    (not known to be broken). A failed experiment has violation INFINITY.
 * An observation with no value at all that did not fail is not known
 * (`known` 0) and ranks nowhere: a strategy treats it as told but
 * uninformative.
 *
 * Ranking (invdes_score_compare) follows Deb's feasibility rules, so the
 * units of objective and violation never mix: a smaller violation ranks
 * first; at equal violation (typically both 0) a known objective ranks
 * before a missing one and a lower objective before a higher one.
 * invdes_score_value folds the two parts into one number with a penalty
 * weight, for a caller that needs a scalar (an incumbent, a plot).
 *
 * This module holds no state and sees no model: probabilities of meeting
 * a condition under a surrogate are bo's (acquisition.c). */
#ifndef INVDES_STRATEGY_SCORE_H
#define INVDES_STRATEGY_SCORE_H

#include <stddef.h>

#include "campaign.h"

typedef struct invdes_score {
  double objective;  /* lower is better; NAN: a max/min target is missing */
  double violation;  /* >= 0; 0: conditions met; INFINITY: failed */
  int known;         /* 0: no value and not failed: not ranked */
} invdes_score;

/* The score of one outcome. targets: n_targets goals (borrowed), or NULL
 * when the goals are unknown: every target is then minimized with weight
 * 1. y: n_targets values, NAN = missing (NULL: all missing). failed: the
 * experiment was done and failed (y is then ignored). */
invdes_score invdes_score_observation(const invdes_target *targets,
                                      size_t n_targets, const double *y,
                                      int failed);

/* < 0 when a ranks before (is better than) b, > 0 after, 0 equal, by the
 * rules above; an unknown score ranks after every known one. */
int invdes_score_compare(const invdes_score *a, const invdes_score *b);

/* One number, lower is better: objective + penalty_weight × violation.
 * INFINITY for a failure; NAN when the score is not known or its objective
 * is missing. */
double invdes_score_value(const invdes_score *sc, double penalty_weight);

#endif
