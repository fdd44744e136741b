/* driver_front.c — the run's running Pareto front, for the progress line of
 * a multi-objective campaign (target.h): the results that enter the front
 * (not failed, every condition met, every objective measured) are folded in
 * one by one, keeping only the non-dominated minimized vectors (equal ones
 * all stay, as they share rank 0) and each objective's best and worst over
 * every candidate, which is all the default reference needs. So a progress
 * line costs one hypervolume of the front, never a sort of all results.
 * The mirror is rebuilt with the rest of the driver's (driver_sync). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "driver_internal.h"
#include "pareto.h"

void driver_front_reset(driver_front *f, const invdes_target *t, size_t T) {
  f->on = invdes_targets_pareto(t, T);
  f->m = invdes_targets_objectives(t, T, NULL, NULL);
  f->n = 0;
  f->candidates = 0;
}

void driver_front_free(driver_front *f) {
  free(f->arch), free(f->bounds);
  memset(f, 0, sizeof *f);
}

static int dominates(const double *a, const double *b, size_t m) {
  int strict = 0;
  for (size_t d = 0; d < m; d++) {
    if (a[d] > b[d]) return 0;
    strict |= a[d] < b[d];
  }
  return strict;
}

invdes_status driver_front_add(driver_front *f, const invdes_target *t, size_t T,
                               const double *values, invdes_error *err) {
  if (!f->on || !invdes_targets_front_candidate(t, T, values, 0)) return INVDES_OK;
  size_t m = f->m;
  if (f->n >= f->cap || !f->bounds) {
    size_t cap = f->cap ? 2 * f->cap : 16;
    double *a = realloc(f->arch, (cap + 1) * m * sizeof *a);
    if (a) f->arch = a;
    if (!f->bounds) f->bounds = malloc(2 * m * sizeof *f->bounds);
    if (!a || !f->bounds)
      return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory keeping the Pareto front");
    f->cap = cap;
  }
  double *y = f->arch + f->n * m; /* room for one more, written in place */
  invdes_targets_objectives(t, T, values, y);
  for (size_t d = 0; d < m; d++) {
    double *lo = f->bounds + d, *hi = f->bounds + m + d;
    *lo = f->candidates ? fmin(*lo, y[d]) : y[d];
    *hi = f->candidates ? fmax(*hi, y[d]) : y[d];
  }
  f->candidates++;
  for (size_t i = 0; i < f->n; i++)
    if (dominates(f->arch + i * m, y, m)) return INVDES_OK;
  size_t kept = 0;
  for (size_t i = 0; i <= f->n; i++) {
    const double *p = f->arch + i * m;
    if (i < f->n && dominates(y, p, m)) continue;
    if (kept != i) memmove(f->arch + kept * m, p, m * sizeof *p);
    kept++;
  }
  f->n = kept;
  return INVDES_OK;
}

invdes_status driver_front_summary(const driver_front *f, const invdes_target *t, size_t T,
                                   size_t *size, double *hv, invdes_error *err) {
  *size = f->n;
  *hv = 0.0;
  if (!f->on || f->candidates == 0) return INVDES_OK;
  double *ref = malloc(f->m * sizeof *ref);
  if (!ref) return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  /* the default reference depends on each column's extremes only: the two
   * rows of bounds give the same point as all the candidates would */
  invdes_status st = invdes_targets_reference(t, T, f->bounds, 2, f->m, ref, err);
  if (st == INVDES_OK) st = invdes_hypervolume(f->arch, f->n, f->m, ref, hv, err);
  free(ref);
  return st;
}
