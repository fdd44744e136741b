/* bo_scale.c — what keeps a long bo campaign cheap: when the surrogate's
 * hyper-parameters are searched again, and how long a local search of the
 * score may run (bo.h).
 *
 * Up to BO_REFIT_ALL training points every ask searches them (warm from
 * the carried values, bo_model.c). Past that, the carried values are kept
 * fixed and only the factorization is redone, except every k-th iteration
 * with k = 8·⌈n / BO_REFIT_ALL⌉ growing with the training set (n = 1,000:
 * every 40th; n = 5,000: every 200th): one more point barely moves the
 * likelihood of thousands, and the search is most of an ask's cost there.
 * A pure function of (iteration, n), both functions of the told history,
 * with the carried values in the saved state: exact resume holds.
 *
 * A local search evaluates the score one point at a time, each costing
 * O(n²) for the variance (two triangular solves with the n×n factor,
 * bound by memory traffic: ~20 ms at n = 5,000). Past BO_LOCAL_FULL
 * training points its evaluation budget shrinks as (BO_LOCAL_FULL / n)²,
 * down to BO_LOCAL_MIN, so the local searches cost about what they cost at
 * BO_LOCAL_FULL points; the candidates (scored in blocks by level-3 BLAS,
 * ~1 s for 1,728 at n = 5,000) and the starts stay. This file fits
 * nothing. */
#include "bo.h"

#define BO_REFIT_ALL 200 /* training points up to which every ask refits */
#define BO_LOCAL_FULL 2500 /* training points up to which local searches
                              keep their whole budget */
#define BO_LOCAL_MIN 10  /* fewest evaluations of one local search */

int bo_hyper_refit_due(uint64_t iteration, size_t n) {
  if (n <= BO_REFIT_ALL) return 1;
  uint64_t k = 8 * (uint64_t)((n + BO_REFIT_ALL - 1) / BO_REFIT_ALL);
  return iteration % k == 0;
}

int bo_local_evals(int evals, size_t n) {
  if (n <= BO_LOCAL_FULL) return evals;
  double f = (double)BO_LOCAL_FULL / (double)n;
  int e = (int)(evals * f * f);
  return e > BO_LOCAL_MIN ? e : evals < BO_LOCAL_MIN ? evals : BO_LOCAL_MIN;
}

size_t bo_model_train_size(const bo_model *m) {
  size_t n = 0;
  for (size_t t = 0; t < m->T; t++)
    if (m->t[t].sur && m->t[t].n > n) n = m->t[t].n;
  return n;
}
