/* recommend.h — which evaluated point to recommend when measurements are
 * noisy: the one whose model posterior mean ranks best, as noisy-EI systems
 * recommend, instead of the one whose (noisy) measured value happens to.
 *
 * The model is bo's (one surrogate per target fitted on the encoded points,
 * reported sd's as per-point noise, repeated points folded; bo_noise.c),
 * with the campaign's bo options when its strategy is bo with a surrogate
 * that takes per-point noise, else a Matérn-5/2 GP. A target counts as
 * noisy when some result reports an sd > 0 for it, or when, with at least
 * 20 distinct points, its model's learned noise sd is at least 10% of the
 * sd of its values (below that a misfit of a noise-free function looks the
 * same; fewer points: the learned noise is mostly its prior's). Noisy targets are
 * ranked by their posterior mean at each evaluated point, the others by
 * the measured value, through the one ranking of target.h (conditions met
 * first, then the objective; ties to the older proposal). With no noisy
 * target there is no recommendation here and the measured ranking stands
 * (the store's best).
 *
 * The library side of `invdes best`; nothing here reads a database or
 * prints. Deterministic for a seed, whatever the thread count. */
#ifndef INVDES_RECOMMEND_H
#define INVDES_RECOMMEND_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "invdes_export.h"
#include "space.h"
#include "strategy.h"

typedef struct invdes_recommendation {
  int by_model;        /* 1: chosen by the posterior mean; 0: no target is
                          noisy (the measured ranking stands), the rest unset */
  int64_t id;          /* the recommended observation's id */
  size_t n_targets;
  double *mean;        /* n_targets posterior means there, NAN: no model */
  int *smoothed;       /* n_targets: 1 where the target counted as noisy
                          (ranked by the mean), 0 where by the measured value */
  int *reported;       /* n_targets: 1 where some result reports an sd > 0 */
} invdes_recommendation;

/* Fits the model to the n observations (as told to a strategy, with their
 * sd's; ids distinct) of the campaign of `space`, with the random streams of
 * `seed`, and fills *out (released with invdes_recommendation_release, also
 * after an error). out->by_model 0 when fewer than two results carry a
 * target, or no target is noisy. Errors: those of invdes_strategy_tell,
 * INVDES_ERR_NOMEM. */
INVDES_API
invdes_status invdes_recommend(const invdes_space *space, const invdes_observation *obs,
                               size_t n, uint64_t seed, invdes_recommendation *out,
                               invdes_error *err);

INVDES_API
void invdes_recommendation_release(invdes_recommendation *r);

#endif
