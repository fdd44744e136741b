/* target_pareto.c — the campaign's side of several objectives (target.h,
 * "several objectives"): when a campaign is multi-objective, which results
 * enter its front, their minimized objective vectors, the hypervolume's
 * reference point and the front of a set of results. The dominance
 * arithmetic itself is pareto.c's; this file only maps targets onto it.
 * Pure functions of their arguments (scratch allocated per call); no I/O. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "pareto.h"
#include "target.h"

int invdes_targets_pareto(const invdes_target *t, size_t T) {
  size_t objectives = 0;
  for (size_t i = 0; i < T; i++) {
    if (!invdes_goal_is_objective(t[i].goal)) continue;
    if (t[i].weight_set) return 0;
    objectives++;
  }
  return objectives >= 2;
}

size_t invdes_targets_objectives(const invdes_target *t, size_t T, const double *values,
                                 double *y) {
  size_t m = 0;
  for (size_t i = 0; i < T; i++) {
    if (!invdes_goal_is_objective(t[i].goal)) continue;
    double v = values ? values[i] : NAN;
    if (y) y[m] = t[i].goal == INVDES_GOAL_MAXIMIZE ? -v : v;
    m++;
  }
  return m;
}

int invdes_targets_front_candidate(const invdes_target *t, size_t T, const double *values,
                                   int failed) {
  return !failed && invdes_targets_met(t, T, values);
}

/* worst + 10% of the range, strictly above worst however the numbers round */
static double default_reference(double best, double worst) {
  double r = worst + 0.1 * (worst - best);
  if (!(r > worst) || !isfinite(r)) r = worst + 1e-6 * fmax(1.0, fabs(worst));
  if (!(r > worst) || !isfinite(r)) r = nextafter(worst, INFINITY);
  return r;
}

invdes_status invdes_targets_reference(const invdes_target *t, size_t T, const double *Y,
                                       size_t n, size_t m, double *ref, invdes_error *err) {
  if (m != invdes_targets_objectives(t, T, NULL, NULL))
    return invdes_error_set(err, INVDES_ERR_USAGE,
                            "reference point: %zu coordinates for %zu objectives", m,
                            invdes_targets_objectives(t, T, NULL, NULL));
  if (n > 0 && !Y) return invdes_error_set(err, INVDES_ERR_USAGE, "reference point: Y is NULL");
  size_t j = 0;
  for (size_t i = 0; i < T; i++) {
    if (!invdes_goal_is_objective(t[i].goal)) continue;
    if (!isnan(t[i].reference)) {
      ref[j] = t[i].goal == INVDES_GOAL_MAXIMIZE ? -t[i].reference : t[i].reference;
    } else {
      double best = INFINITY, worst = -INFINITY;
      for (size_t r = 0; r < n; r++) {
        const double *y = Y + r * m;
        int nan = 0;
        for (size_t d = 0; d < m; d++) nan |= isnan(y[d]);
        if (nan) continue;
        best = fmin(best, y[j]);
        worst = fmax(worst, y[j]);
      }
      ref[j] = best <= worst ? default_reference(best, worst) : NAN;
    }
    j++;
  }
  return INVDES_OK;
}

typedef struct front_work {
  double *Y;      /* candidates × m */
  size_t *row;    /* candidate -> result */
  size_t *rank;   /* candidate ranks */
  double *F;      /* the front's rows */
} front_work;

static void front_work_free(front_work *w) {
  free(w->Y), free(w->row), free(w->rank), free(w->F);
}

/* Ranks, reference and hypervolume of the k candidates in w. */
static invdes_status front_of(const invdes_target *t, size_t T, front_work *w, size_t k,
                              size_t m, double *ref, invdes_front_summary *s,
                              invdes_error *err) {
  size_t fronts = 0;
  invdes_status st = invdes_pareto_ranks(w->Y, k, m, w->rank, &fronts, err);
  if (st == INVDES_OK) st = invdes_targets_reference(t, T, w->Y, k, m, ref, err);
  if (st != INVDES_OK || k == 0) return st;
  size_t f = 0;
  for (size_t c = 0; c < k; c++) {
    if (w->rank[c] != 0) continue;
    for (size_t d = 0; d < m; d++) w->F[f * m + d] = w->Y[c * m + d];
    f++;
  }
  s->size = f;
  return invdes_hypervolume(w->F, f, m, ref, &s->hypervolume, err);
}

invdes_status invdes_targets_front(const invdes_target *t, size_t T, const double *values,
                                   const int *failed, size_t n, size_t *rank, double *ref,
                                   invdes_front_summary *sum, invdes_error *err) {
  size_t m = invdes_targets_objectives(t, T, NULL, NULL);
  if (m == 0)
    return invdes_error_set(err, INVDES_ERR_USAGE, "Pareto front: the campaign has no "
                            "maximize/minimize target");
  if (n > 0 && !values) return invdes_error_set(err, INVDES_ERR_USAGE, "Pareto front: no values");
  invdes_front_summary s = {m, 0, 0, 0.0};
  front_work w = {0};
  size_t cap = n ? n : 1;
  w.Y = malloc(cap * m * sizeof *w.Y), w.F = malloc(cap * m * sizeof *w.F);
  w.row = malloc(cap * sizeof *w.row), w.rank = malloc(cap * sizeof *w.rank);
  double *own = ref ? NULL : malloc(m * sizeof *own);
  if (!w.Y || !w.F || !w.row || !w.rank || (!ref && !own)) {
    front_work_free(&w), free(own);
    return invdes_error_set(err, INVDES_ERR_NOMEM, "Pareto front: out of memory (%zu results)", n);
  }
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    if (rank) rank[i] = SIZE_MAX;
    if (!invdes_targets_front_candidate(t, T, values + i * T, failed ? failed[i] : 0)) continue;
    invdes_targets_objectives(t, T, values + i * T, w.Y + k * m);
    w.row[k++] = i;
  }
  s.candidates = k;
  invdes_status st = front_of(t, T, &w, k, m, ref ? ref : own, &s, err);
  for (size_t c = 0; st == INVDES_OK && rank && c < k; c++) rank[w.row[c]] = w.rank[c];
  if (st == INVDES_OK && sum) *sum = s;
  front_work_free(&w), free(own);
  return st;
}
