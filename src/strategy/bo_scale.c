/* bo_scale.c — what keeps a long bo campaign cheap: when the surrogate's
 * hyper-parameters are searched again (bo.h).
 *
 * Up to BO_REFIT_ALL training points every ask searches them (warm from
 * the carried values, bo_model.c). Past that, the carried values are kept
 * fixed and only the factorization is redone, except every k-th iteration
 * with k = 8·⌈n / BO_REFIT_ALL⌉ growing with the training set (n = 1,000:
 * every 40th; n = 5,000: every 200th): one more point barely moves the
 * likelihood of thousands, and the search is most of an ask's cost there.
 * A pure function of (iteration, n), both functions of the told history,
 * with the carried values in the saved state: exact resume holds. This file
 * fits nothing. */
#include "bo.h"

#define BO_REFIT_ALL 200 /* training points up to which every ask refits */

int bo_hyper_refit_due(uint64_t iteration, size_t n) {
  if (n <= BO_REFIT_ALL) return 1;
  uint64_t k = 8 * (uint64_t)((n + BO_REFIT_ALL - 1) / BO_REFIT_ALL);
  return iteration % k == 0;
}
