/* bo_region.c — the trust region in which bo searches a surrogate that
 * only averages its observations (bo.h).
 *
 * A forest's mean at any point is a weighted average of observed values
 * (knn's too), so it never predicts a value better than the best seen: its
 * EI comes from the spread alone, and the spread is largest between good
 * and bad points. Searched over the whole box, such a model keeps choosing
 * points on the edges of what it knows and never refines an optimum (rf on
 * Branin stalled at regret 0.1 after 100 evaluations). So for these kinds
 * the candidates come from a box around the best observed point whose side
 * follows TuRBO's rule (Eriksson et al., NeurIPS 2019, "TuRBO-1"): side
 * 0.8 of the encoded unit cube to start; doubled (at most 1.6) after 3
 * improvements in a row, halved after max(4, D) evaluations in a row
 * without one; back to 0.8 when it falls below 2^-7. An improvement beats
 * the best so far by more than 1e-3 in the standardized combined
 * objective (a thousandth of the observed spread, so the rule does not
 * depend on the units or an offset of the target).
 *
 * The side is replayed from the told history in proposal-id order on every
 * ask, starting after the initial design: no state is saved, and a resumed
 * campaign or another thread count gets the same region. Several
 * objectives, no objective, or no feasible observation yet: no region (the
 * search stays global). This file draws no candidates (bo_opt.c). */
#include "bo.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define REGION_START 0.8
#define REGION_MAX 1.6
#define REGION_MIN 0.0078125 /* 2^-7 */
#define REGION_SUCCESSES 3
#define REGION_GAIN 1e-3

double bo_region_side(const double *g, size_t n, size_t n0, size_t D) {
  size_t fail_max = D > 4 ? D : 4, succ = 0, fail = 0;
  double side = REGION_START, best = -INFINITY;
  for (size_t i = 0; i < n; i++) {
    double v = isnan(g[i]) ? -INFINITY : g[i];
    if (i >= n0) {
      if (v > best + REGION_GAIN) {
        succ++;
        fail = 0;
      } else {
        fail++;
        succ = 0;
      }
      if (succ == REGION_SUCCESSES) {
        side = fmin(2 * side, REGION_MAX);
        succ = 0;
      } else if (fail == fail_max) {
        side /= 2;
        fail = 0;
      }
      if (side < REGION_MIN) side = REGION_START;
    }
    if (v > best) best = v;
  }
  return side;
}

invdes_status bo_region(const bo_model *m, int *on, double *center, double *side,
                        invdes_error *err) {
  const invdes_strategy *s = m->s;
  unsigned caps = invdes_surrogate_type_caps(m->opt.surrogate);
  *on = 0;
  if (!(caps & INVDES_SURROGATE_AVERAGES) || m->mo || m->feas_only || !s->n_hist)
    return INVDES_OK;
  size_t row, n_rows = 0;
  bo_model_top_rows(m, 1, &row, &n_rows);
  if (!n_rows || isnan(bo_model_row_objective(m, row, 1))) return INVDES_OK;
  double *g = malloc(s->n_hist * sizeof *g);
  if (!g) return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  for (size_t i = 0; i < s->n_hist; i++) g[i] = bo_model_row_objective(m, i, 1);
  *side = bo_region_side(g, s->n_hist, s->spec.initial_count, m->D);
  free(g);
  memcpy(center, s->h_z + row * m->D, m->D * sizeof *center);
  *on = 1;
  return INVDES_OK;
}
