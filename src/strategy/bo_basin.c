/* bo_basin.c — the second basin that bo searches once the incumbent's
 * has converged (bo.h).
 *
 * Why. EI of one global model goes where that model expects to beat the
 * incumbent. Once a run has descended into one well, a well elsewhere that
 * no told point has entered yet looks, to a stationary model fitted mostly
 * on the deep rows, like flat ground: on Hartmann6 the posterior at the
 * global optimum was about -0.09 ± 0.35 against an incumbent of -3.20,
 * nine sd away, so every run ended in the basin its best initial point
 * drains to (3 of 10 seeds in the -3.20 well, bench/basins.py), whatever
 * the kernel, prior, warping or acquisition (docs/architecture.md).
 *
 * What. The second basin is represented by the best told row whose
 * nearest better row is at least BO_BASIN_SEP length scales away
 * (L-infinity, the shared model's length scales, so that a well that is
 * broad along some inputs stays one basin), as in nearest-better
 * clustering (Preuss, GECCO 2012). Its box is the row ± half that
 * distance in length scales, clipped to [0, 1]^D, so no better row lies in
 * it, shrunk by TuRBO's rule (bo_region_side) replayed on the rows in
 * it, and at most BO_BASIN_SIDE (0.2 in z) wide along any input. It has
 * its own model: the objective's kind fitted afresh on the 4 D
 * (at least 20) told rows nearest the row, as TuRBO fits a local GP per
 * region: the shared model's length scales are those of the incumbent's
 * well (Hartmann6's -3.20 well is flat along x3 and x5, its global well is
 * narrow along x5), and with them the search went to the box's corners.
 * bo_opt.c scores the box with this model and EI against the row's value,
 * and takes the basin's point when the global EI has fallen below
 * BO_BASIN_EI (the incumbent's basin is refined to what matters) and the
 * basin's EI is larger, or when the last point in flight is the last
 * basin point proposed (a descent under way; bo.c keeps that point in the
 * saved state) and the basin's EI is still at least BO_BASIN_GO_EI; one
 * point of a batch at most. When the basin's best beats the incumbent the
 * roles swap by themselves. Hartmann6, r50 / r100 / seeds above 0.01 at
 * 100: 10 seeds 2.8e-4 / 3.7e-7 / 3 before, 3.0e-4 / 6.8e-5 / 0 with it;
 * 30 seeds 10 before, 0 with it.
 *
 * Why these gates. The first version (2026-12-06) took the basin below a
 * global EI of 1e-3 and went on while the last point lay in the box. On
 * Levy-3D, whose local minima are about as deep as each other, global
 * points that happened to land in the box kept a second basin going while
 * the global EI was 0.01-0.3: r100 0.0175 -> 0.149; and Hartmann6 seeds
 * that had found the global well stopped refining it at 5e-4-8e-4. A
 * descent is now one that the basin itself began, and the basin waits
 * for EI < 1e-4: Levy-3D and Levy-6D propose what they proposed without
 * the basin (their global EI never falls that low in 100 evaluations).
 * A descent needs its momentum: requiring the basin's EI to beat the
 * global one at every step stalled 8 of 30 Hartmann6 seeds (the basin's
 * own points stir the global model), and going on only while every step
 * improved the basin's best left two of seeds 1-10's three in the -3.20
 * well. The box's cap: a descent starts from one row in a well no other
 * row has entered, and in a box as wide as half the distance to the
 * nearest better row (most of the cube) the basin's EI, with a model that
 * knows nothing of the well yet, explored the box: Hartmann6 seeds spent
 * 14-20 basin evaluations without a gain before descending, and 4 of 30
 * seeds ended above 0.01. Capped at 0.1, 0.2 or 0.3: none of 30 (0.2: 1
 * of 60); at 0.4: 1 of 30.
 *
 * Where. Not once a failure has been told: the box may lie in failing
 * territory, and on Branin with failures in 30% of the box the basin
 * raised the failures after the initial design from 2.2% to 5.0% (with the
 * failures conditioned into its model as bo_feasible.c does, 3.3%, but
 * regret 6.8e-8 against 2.0e-8 without failures). Not for a noisy
 * objective (a reported sd, or a learned noise that is clearly there,
 * bo_noise.c): the plug-in incumbent and augmented EI
 * already leave a point known to within the noise, and with the basin on
 * top Hartmann6 under noise sd 0.05 with reported sd's fell from 0.0091 to
 * 0.0216 (without sd's 0.0288). One combined objective with a feasible
 * result, a surrogate with
 * hyper-parameters that include length scales (the GP), EI or log EI, a
 * continuous space (finite spaces score every candidate); rf and knn
 * search their trust region (bo_region.c). Everything comes from the told
 * history and the ask's streams, so an ask stays a function of (seed,
 * iteration, history, pending, saved state). This file draws no
 * candidates (bo_opt.c). */
#include "bo.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A row and its sort key: rows by increasing key, earlier rows first on
 * ties (the key: -g to rank by value, a squared distance to find the
 * nearest). */
typedef struct keyed_row {
  double key;
  size_t i;
} keyed_row;

static int keyed_cmp(const void *pa, const void *pb) {
  const keyed_row *a = pa, *b = pb;
  if (a->key != b->key) return a->key < b->key ? -1 : 1;
  return a->i < b->i ? -1 : a->i > b->i;
}

/* The basin's own model: the kind of the single objective target fitted
 * afresh on the told rows nearest its best row (4 D, at least 20). */
static invdes_status fit_local(bo_model *m, size_t row, invdes_error *err) {
  const invdes_strategy *s = m->s;
  const double *c = s->h_z + row * m->D;
  size_t D = m->D, N = s->n_hist, t = m->T, n = 0, want = 4 * D > 20 ? 4 * D : 20;
  for (size_t u = 0; u < m->T; u++)
    if (m->t[u].role == BO_ROLE_OBJECTIVE && m->t[u].sur) {
      if (t != m->T) return INVDES_OK; /* several objectives: the shared model */
      t = u;
    }
  if (t == m->T) return INVDES_OK;
  keyed_row *nr = malloc((N + 1) * sizeof *nr);
  double *X = malloc((want * D + 1) * sizeof *X), *y = malloc((want + 1) * sizeof *y);
  invdes_status st = !nr || !X || !y ? invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory")
                                     : INVDES_OK;
  for (size_t i = 0; !st && i < N; i++) {
    if (!isfinite(s->h_y[i * s->n_targets + t])) continue;
    double d2 = 0;
    for (size_t j = 0; j < D; j++) d2 += (s->h_z[i * D + j] - c[j]) * (s->h_z[i * D + j] - c[j]);
    nr[n].key = d2, nr[n++].i = i;
  }
  if (!st) qsort(nr, n, sizeof *nr, keyed_cmp);
  if (n > want) n = want;
  for (size_t k = 0; !st && k < n; k++) {
    memcpy(X + k * D, s->h_z + nr[k].i * D, D * sizeof *X);
    y[k] = s->h_y[nr[k].i * s->n_targets + t];
  }
  invdes_error e;
  if (!st && n >= 2 * D && bo_model_fit_local(m, t, X, y, n, &m->basin_sur, &e) == INVDES_OK)
    m->basin_t = t;
  free(nr);
  free(X);
  free(y);
  return st;
}

/* L-infinity distance in length scales. */
static double linf_scaled(const double *a, const double *b, const double *ell, size_t D) {
  double d = 0;
  for (size_t j = 0; j < D; j++) d = fmax(d, fabs(a[j] - b[j]) / ell[j]);
  return d;
}

/* The box of the basin of row z whose nearest better row is d length
 * scales away: half that, shrunk by TuRBO's side over the rows in it, at
 * most BO_BASIN_SIDE wide along any input. */
static invdes_status set_box(bo_model *m, const double *z, double d, const double *ell,
                             double gm, invdes_error *err) {
  const invdes_strategy *s = m->s;
  size_t D = m->D, N = s->n_hist, c = 0;
  double half = d / 2, *g = malloc((N + 1) * sizeof *g);
  if (!g) return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  for (size_t i = 0; i < N; i++)
    if (linf_scaled(z, s->h_z + i * D, ell, D) <= half) g[c++] = bo_model_row_objective(m, i, 1);
  half = fmin(half, bo_region_side(g, c, 0, D) / (2 * gm));
  free(g);
  for (size_t j = 0; j < D; j++) {
    double w = fmin(half * ell[j], BO_BASIN_SIDE / 2);
    m->basin_lo[j] = fmax(0, z[j] - w);
    m->basin_hi[j] = fmin(1, z[j] + w);
    m->basin_center[j] = z[j];
  }
  return INVDES_OK;
}

/* The shortest length scale of the objective targets' models per input
 * into ell (D), and their geometric mean; 0 when none has length scales. */
static double length_scales(bo_model *m, double *ell, double *h) {
  size_t D = m->D;
  int any = 0;
  for (size_t j = 0; j < D; j++) ell[j] = INFINITY;
  for (size_t t = 0; t < m->T; t++) {
    const bo_target *bt = &m->t[t];
    invdes_error e;
    if (bt->role != BO_ROLE_OBJECTIVE || !bt->sur ||
        invdes_surrogate_hyper_get(bt->sur, D, h, &e) != INVDES_OK)
      continue;
    for (size_t j = 0; j < D; j++) ell[j] = fmin(ell[j], h[j]);
    any = 1;
  }
  double gm = 0;
  for (size_t j = 0; j < D; j++) gm += log(ell[j]) / (double)D;
  return any && isfinite(gm) ? exp(gm) : 0;
}

invdes_status bo_basin_find(bo_model *m, invdes_error *err) {
  const invdes_strategy *s = m->s;
  size_t D = m->D, N = s->n_hist, n = 0;
  m->basin_on = 0;
  unsigned caps = invdes_surrogate_type_caps(m->opt.surrogate);
  size_t H = invdes_surrogate_type_hyper_size(m->opt.surrogate, D);
  if ((caps & INVDES_SURROGATE_AVERAGES) || m->mo || m->feas_only || s->cands || N < 2 ||
      H < D || (m->kind != INVDES_ACQ_EI && m->kind != INVDES_ACQ_LOGEI))
    return INVDES_OK;
  if (m->feas) return INVDES_OK; /* a failure was told (see above) */
  for (size_t t = 0; t < m->T; t++) /* noisy: augmented EI's job (bo_noise.c) */
    if (m->t[t].role == BO_ROLE_OBJECTIVE && bo_noise_target_noisy(&m->t[t], 1))
      return INVDES_OK;
  keyed_row *r = malloc(N * sizeof *r);
  double *ell = malloc((D + H + 1) * sizeof *ell);
  if (!r || !ell) {
    free(r);
    free(ell);
    return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  }
  double gm = length_scales(m, ell, ell + D);
  for (size_t i = 0; i < N && gm > 0; i++) {
    double g = bo_model_row_objective(m, i, 1);
    if (!isnan(g)) r[n].key = -g, r[n++].i = i;
  }
  qsort(r, n, sizeof *r, keyed_cmp); /* best first */
  invdes_status st = INVDES_OK;
  for (size_t k = 1; k < n && !m->basin_on && !st; k++) {
    const double *z = s->h_z + r[k].i * D;
    double d = INFINITY;
    for (size_t o = 0; o < k && d >= BO_BASIN_SEP; o++)
      d = fmin(d, linf_scaled(z, s->h_z + r[o].i * D, ell, D));
    if (d < BO_BASIN_SEP) continue;
    st = set_box(m, z, d, ell, gm, err);
    m->basin_best = -r[k].key;
    m->basin_on = !st;
    if (!st) st = fit_local(m, r[k].i, err);
  }
  free(r);
  free(ell);
  return st;
}

int bo_basin_holds(const bo_model *m, const double *z) {
  if (!m->basin_on) return 0;
  for (size_t j = 0; j < m->D; j++)
    if (z[j] < m->basin_lo[j] || z[j] > m->basin_hi[j]) return 0;
  return 1;
}
