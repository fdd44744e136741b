/* bo_opt.c — where the bo strategy looks for the best score: the
 * choice of each point of a batch (bo.h).
 *
 * Finite spaces (pools, small discrete spaces): every untried candidate is
 * scored in one batched prediction and the best one (first on ties) taken.
 * Other spaces: a candidate set per ask — Sobol points of the feasible
 * region from the stream (iteration, BO_K_CANDS), plus perturbations of the
 * best observed points (Gaussian, sd 0.1, 0.02, 0.005 and 0.001 in z, from
 * (iteration, BO_K_LOCAL)), every one canonical (decoded to a feasible x,
 * re-encoded) —
 * is scored; the best BO_STARTS untried ones start local searches in the
 * relaxed box [0,1]^D (L-BFGS on the GP's analytic gradient; subplex for the
 * forest, which has none); each optimum is decoded to a feasible point and
 * scored there. The best untried point among the candidates and the optima
 * wins, so a search that lands on a told or pending point only loses to the
 * next best (when every candidate is taken, a random point from the stream
 * (iteration, BO_K_FALLBACK), advanced by the batch position, is proposed).
 * A surrogate that averages (rf, knn) is searched in its trust region
 * instead (bo_region.c): the candidates are Sobol points of the region's
 * box in z (same stream) made canonical, with neither perturbations nor
 * local searches — its mean is piecewise constant, so a search only steps
 * out of the region; when every point of the box is taken (discrete
 * dimensions in a small box) the choice falls back to the whole space's
 * candidates. With a GP, once the global EI falls below BO_BASIN_EI, or
 * while a descent in it is under way, the second basin (bo_basin.c)
 * may take the choice (pick_continuous states when): Sobol points of its
 * box from (iteration, BO_K_BASIN)
 * and perturbations of its best row, scored by its own model with EI
 * against that row's value, and local searches bounded by the box.
 * Integer, discrete and one-hot dimensions are searched relaxed
 * and rounded by the decode; the candidates cover them exactly. After each
 * choice the model is conditioned on it (fantasy or lie) and the candidates
 * are scored again. Serial and deterministic: the thread count can only
 * change the models' internals, which are themselves thread-count
 * independent. */
#include "bo.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <nlopt.h>

#include "rng.h"

#define BO_STARTS 5          /* local searches per point */
#define BO_TOP_ROWS 4        /* best rows perturbed for local candidates */
#define BO_PERTURB 16        /* perturbations per row and scale */
#define BO_MAXEVAL_LBFGS 60
#define BO_MAXEVAL_SBPLX 80
#define BO_UNSCORED -1e300   /* NLopt's value for a point without a score */

static invdes_status nomem(invdes_error *err) {
  return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
}

/* Candidates of continuous spaces: canonical (x, z) pairs. */
typedef struct cands {
  size_t n, cap, dim, nv;
  double *z, *x;
  int region;      /* drawn from the trust region: no local searches */
} cands;

static invdes_status cands_add(cands *c, const double *x, const double *z,
                               invdes_error *err) {
  if (c->n == c->cap) {
    size_t cap = c->cap ? 2 * c->cap : 1024;
    double *nz = realloc(c->z, (cap * c->dim + 1) * sizeof *nz);
    if (nz) c->z = nz;
    double *nx = realloc(c->x, (cap * c->nv + 1) * sizeof *nx);
    if (nx) c->x = nx;
    if (!nz || !nx) return nomem(err);
    c->cap = cap;
  }
  memcpy(c->z + c->n * c->dim, z, c->dim * sizeof *z);
  memcpy(c->x + c->n * c->nv, x, c->nv * sizeof *x);
  c->n++;
  return INVDES_OK;
}

/* How many Sobol candidates an ask scores in D dimensions. */
static size_t n_sobol(size_t D) {
  size_t n = 1000 + 100 * D;
  return n > 4000 ? 4000 : n;
}

/* Scratch of a draw of candidates in a box: D-vectors u (the sequence's
 * point), z0 (the raw candidate), z and the decoded x; the sequence
 * (Sobol, random above 40 dimensions) of stream (iteration, k_seq) and a
 * generator of stream (iteration, k_rng). */
typedef struct draw {
  double *u, *z0, *x, *z;
  invdes_sample_seq *seq;
  gsl_rng *r;
} draw;

static void draw_close(draw *d) {
  if (d->r) gsl_rng_free(d->r);
  invdes_sample_seq_free(d->seq);
  free(d->u);
  free(d->z0);
  free(d->x);
  free(d->z);
}

static invdes_status draw_open(invdes_strategy *s, uint64_t iteration, uint64_t k_seq,
                               uint64_t k_rng, draw *d, invdes_error *err) {
  size_t D = s->dim;
  memset(d, 0, sizeof *d);
  d->u = malloc((D + 1) * sizeof *d->u);
  d->z0 = malloc((D + 1) * sizeof *d->z0);
  d->x = malloc((s->n_vars + 1) * sizeof *d->x);
  d->z = malloc((D + 1) * sizeof *d->z);
  d->r = invdes_rng_new(s->seed, invdes_rng_stream_id(iteration, k_rng));
  invdes_status st = !d->u || !d->z0 || !d->x || !d->z || !d->r ? nomem(err) : INVDES_OK;
  if (!st)
    st = invdes_sample_seq_new(D > 40 ? INVDES_DESIGN_RANDOM : INVDES_DESIGN_SOBOL, D,
                               s->seed, invdes_rng_stream_id(iteration, k_seq), &d->seq, err);
  if (st) draw_close(d);
  return st;
}

/* The candidates of a trust region (bo_region.c): want Sobol points of
 * the box center ± side / 2 (clipped to [0, 1]^D) in z, made canonical.
 * The first half moves only some coordinates away from the center (one
 * drawn, each other with chance 1/D; from (iteration, BO_K_LOCAL)), as
 * SMAC's local search moves one parameter at a time: a forest splits on
 * one coordinate at a time, and such points let it compare the best
 * point's neighbours along the axes (rf, 30 seeds, r100: shifted
 * Ackley-5D 1.71 -> 0.23, Branin 0.003 -> 0.0013, Hartmann6 0.047 ->
 * 0.038, Rosenbrock-4D 2.73 -> 2.59). A half, not every second point: the
 * even points of a Sobol sequence cover half the range of its first
 * coordinate. */
static invdes_status region_cands(invdes_strategy *s, uint64_t iteration,
                                  const double *center, double side, cands *c,
                                  invdes_error *err) {
  size_t D = s->dim, want = n_sobol(D);
  draw d;
  invdes_status st = draw_open(s, iteration, BO_K_CANDS, BO_K_LOCAL, &d, err);
  if (st) return st;
  for (size_t k = 0; !st && k < want; k++) {
    if ((st = invdes_sample_seq_next(d.seq, d.u, want - k, err))) break;
    size_t axis = k < want / 2 ? gsl_rng_uniform_int(d.r, D) : D; /* D: move all */
    for (size_t j = 0; j < D; j++) {
      int moves = axis == D || j == axis || gsl_rng_uniform(d.r) * (double)D < 1;
      double v = center[j] + (moves ? side * (d.u[j] - 0.5) : 0);
      d.z0[j] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
    st = invdes_strategy_canonical(s, d.z0, d.x, d.z, err);
    if (!st) st = cands_add(c, d.x, d.z, err);
  }
  c->region = 1;
  draw_close(&d);
  return st;
}

/* The candidates of an ask: the trust region's when the model has one and
 * use_region, else the whole feasible region's and the perturbations. */
static invdes_status make_cands(invdes_strategy *s, uint64_t iteration,
                                const bo_model *m, int use_region, cands *c,
                                invdes_error *err) {
  double side = 0, *center = malloc((s->dim + 1) * sizeof *center);
  int on = 0;
  invdes_status rst = !center ? nomem(err)
                      : use_region ? bo_region(m, &on, center, &side, err)
                                   : INVDES_OK;
  if (!rst && on) rst = region_cands(s, iteration, center, side, c, err);
  free(center);
  if (rst || on) return rst;
  size_t D = s->dim, want = n_sobol(D);
  double *u = malloc((s->cube_dim + 1) * sizeof *u);
  double *x = malloc((s->n_vars + 1) * sizeof *x);
  double *z = malloc((D + 1) * sizeof *z);
  double *z0 = malloc((D + 1) * sizeof *z0);
  invdes_sample_seq *seq = NULL;
  gsl_rng *r = invdes_rng_new(s->seed, invdes_rng_stream_id(iteration, BO_K_LOCAL));
  invdes_status st = !u || !x || !z || !z0 || !r ? nomem(err) : INVDES_OK;
  if (!st)
    st = invdes_sample_seq_new(s->cube_dim > 40 ? INVDES_DESIGN_RANDOM
                                                : INVDES_DESIGN_SOBOL,
                               s->cube_dim, s->seed,
                               invdes_rng_stream_id(iteration, BO_K_CANDS),
                               &seq, err);
  size_t made = 0;
  for (size_t tries = 0; !st && made < want && tries < 4 * want; tries++) {
    if ((st = invdes_sample_seq_next(seq, u, want - made, err))) break;
    if (!invdes_space_from_cube(s->space, u, x) ||
        !invdes_space_constraints_hold(s->space, s->work, x))
      continue;
    if ((st = invdes_space_encode(s->space, x, z, err))) break;
    st = cands_add(c, x, z, err);
    made++;
  }
  size_t rows[BO_TOP_ROWS], n_rows = 0;
  if (!st) bo_model_top_rows(m, BO_TOP_ROWS, rows, &n_rows);
  static const double scales[] = {0.1, 0.02, 0.005, 0.001};
  for (size_t k = 0; !st && k < n_rows; k++)
    for (size_t sc = 0; !st && sc < sizeof scales / sizeof scales[0]; sc++)
      for (int p = 0; !st && p < BO_PERTURB; p++) {
        const double *zr = s->h_z + rows[k] * D;
        for (size_t j = 0; j < D; j++) {
          double v = zr[j] + gsl_ran_gaussian(r, scales[sc]);
          z0[j] = v < 0 ? 0 : v > 1 ? 1 : v;
        }
        st = invdes_strategy_canonical(s, z0, x, z, err);
        if (!st) st = cands_add(c, x, z, err);
      }
  invdes_sample_seq_free(seq);
  gsl_rng_free(r);
  free(u);
  free(x);
  free(z);
  free(z0);
  return st;
}

/* The candidates of the second basin (bo_basin.c): Sobol points of its box
 * from (iteration, BO_K_BASIN) and Gaussian perturbations of its best row
 * at the scales of make_cands (same stream), made canonical; those that
 * leave the box are dropped. */
static invdes_status basin_cands(invdes_strategy *s, uint64_t iteration,
                                 const bo_model *m, cands *c, invdes_error *err) {
  size_t D = s->dim, want = n_sobol(D);
  static const double scales[] = {0.1, 0.02, 0.005, 0.001};
  size_t n_scales = sizeof scales / sizeof scales[0];
  draw d;
  invdes_status st = draw_open(s, iteration, BO_K_BASIN, BO_K_BASIN, &d, err);
  if (st) return st;
  for (size_t k = 0; !st && k < want + n_scales * BO_PERTURB; k++) {
    if (k < want && (st = invdes_sample_seq_next(d.seq, d.u, want - k, err))) break;
    for (size_t j = 0; j < D; j++) {
      double lo = m->basin_lo[j], hi = m->basin_hi[j];
      double v = k < want ? lo + (hi - lo) * d.u[j]
                          : m->basin_center[j] +
                                gsl_ran_gaussian(d.r, scales[(k - want) / BO_PERTURB]);
      d.z0[j] = v < lo ? lo : v > hi ? hi : v;
    }
    st = invdes_strategy_canonical(s, d.z0, d.x, d.z, err);
    if (!st && bo_basin_holds(m, d.z)) st = cands_add(c, d.x, d.z, err);
  }
  draw_close(&d);
  return st;
}

/* The second basin of an ask, built on the first pick that may take it
 * (bo_basin.c fits a model of its own, basin_cands draws its candidates):
 * most asks never do. The basin depends on the told rows and the shared
 * model's hyper-parameters only, not on the batch's fantasies, so a
 * later build finds what an earlier one would have. */
typedef struct basin_search {
  int built;
  cands c;
  double *sc; /* scratch: a score per candidate */
} basin_search;

static invdes_status basin_build(invdes_strategy *s, uint64_t iteration, bo_model *m,
                                 basin_search *b, invdes_error *err) {
  if (b->built) return INVDES_OK;
  b->built = 1;
  invdes_status st = bo_basin_find(m, err);
  if (!st && m->basin_on) st = basin_cands(s, iteration, m, &b->c, err);
  if (!st && !(b->sc = malloc((b->c.n + 1) * sizeof *b->sc))) st = nomem(err);
  return st;
}

/* ---- local search ---------------------------------------------------------- */

typedef struct nl_data {
  bo_model *m;
  invdes_error *err;
  invdes_status st;
} nl_data;

static double nl_score(unsigned n, const double *z, double *grad, void *data) {
  nl_data *d = data;
  double S;
  if (d->st) return BO_UNSCORED;
  d->st = bo_model_score(d->m, z, 1, &S, grad, d->err);
  if (d->st || !(S > BO_UNSCORED)) {
    if (grad) memset(grad, 0, n * sizeof *grad);
    return BO_UNSCORED;
  }
  return S;
}

/* Maximizes the score from z (D values, replaced by the optimum found)
 * within [lo, hi] (D values each; NULL: the unit cube). */
static invdes_status local_search(bo_model *m, double *z, const double *lo,
                                  const double *hi, invdes_error *err) {
  size_t D = m->D;
  nlopt_opt opt = nlopt_create(m->grad ? NLOPT_LD_LBFGS : NLOPT_LN_SBPLX,
                               (unsigned)D);
  if (!opt) return nomem(err);
  nl_data d = {m, err, INVDES_OK};
  int ok = (lo ? nlopt_set_lower_bounds(opt, lo) : nlopt_set_lower_bounds1(opt, 0.0)) >= 0 &&
           (hi ? nlopt_set_upper_bounds(opt, hi) : nlopt_set_upper_bounds1(opt, 1.0)) >= 0 &&
           nlopt_set_max_objective(opt, nl_score, &d) >= 0 &&
           nlopt_set_maxeval(opt, bo_local_evals(m->grad ? BO_MAXEVAL_LBFGS : BO_MAXEVAL_SBPLX,
                                                 bo_model_train_size(m))) >= 0 &&
           nlopt_set_xtol_rel(opt, 1e-6) >= 0 &&
           nlopt_set_ftol_rel(opt, 1e-9) >= 0 &&
           (m->grad || nlopt_set_initial_step1(opt, 0.05) >= 0);
  if (!ok) {
    nlopt_destroy(opt);
    return nomem(err);
  }
  double f;
  double *z1 = malloc((D + 1) * sizeof *z1);
  if (!z1) {
    nlopt_destroy(opt);
    return nomem(err);
  }
  memcpy(z1, z, D * sizeof *z);
  nlopt_result rc = nlopt_optimize(opt, z1, &f);
  nlopt_destroy(opt);
  /* a failed run keeps its start: the start was scored already */
  if (!d.st && (rc > 0 || rc == NLOPT_ROUNDOFF_LIMITED) && f > BO_UNSCORED)
    for (size_t j = 0; j < D; j++) {
      double l = lo ? lo[j] : 0, h = hi ? hi[j] : 1;
      z[j] = z1[j] < l ? l : z1[j] > h ? h : z1[j];
    }
  free(z1);
  return d.st;
}

/* ---- the batch loop ----------------------------------------------------- */

/* Finite spaces: the best untried group. */
static invdes_status pick_finite(invdes_strategy *s, invdes_strategy_ctx *ctx,
                                 bo_model *m, invdes_proposals *out,
                                 invdes_error *err) {
  const invdes_cands *c = s->cands;
  size_t D = s->dim, k = 0;
  size_t *g = malloc((c->n_groups + 1) * sizeof *g);
  double *Z = malloc((c->n_groups * D + 1) * sizeof *Z);
  double *sc = malloc((c->n_groups + 1) * sizeof *sc);
  invdes_status st = !g || !Z || !sc ? nomem(err) : INVDES_OK;
  for (size_t q = 0; !st && q < c->n_groups; q++)
    if (ctx->count[q] < c->g_size[q]) {
      memcpy(Z + k * D, c->index.z + q * D, D * sizeof *Z);
      g[k++] = q;
    }
  if (!st) st = bo_model_score(m, Z, k, sc, NULL, err);
  if (!st) {
    size_t b = 0;
    for (size_t i = 1; i < k; i++)
      if (sc[i] > sc[b]) b = i;
    invdes_strategy_push_group(s, ctx, out, g[b]);
    out->acquisition[out->n - 1] = sc[b];
  }
  free(g);
  free(Z);
  free(sc);
  return st;
}

/* The best untried candidate of c, or local optimum started from the best
 * BO_STARTS of them (none for a trust region's candidates), into (bx, bz,
 * *best); in [lo, hi] when lo is given (the second basin's box: a point
 * that leaves it is not taken). *found 0: every candidate is taken. */
static invdes_status best_point(invdes_strategy *s, invdes_strategy_ctx *ctx,
                                bo_model *m, const cands *c, double *sc,
                                const double *lo, const double *hi,
                                invdes_proposals *out, double *bx, double *bz,
                                double *best, int *found, invdes_error *err) {
  size_t D = s->dim, nv = s->n_vars;
  *found = 0;
  invdes_status st = bo_model_score(m, c->z, c->n, sc, NULL, err);
  if (st) return st;
  size_t top[BO_STARTS], n_top = 0;
  for (size_t i = 0; i < c->n; i++) { /* best free candidates, in order */
    if (n_top == BO_STARTS && !(sc[i] > sc[top[n_top - 1]])) continue;
    if (!bo_batch_free(s, ctx, out, c->z + i * D)) continue;
    size_t j = n_top < BO_STARTS ? n_top++ : BO_STARTS - 1;
    for (; j > 0 && sc[i] > sc[top[j - 1]]; j--) top[j] = top[j - 1];
    top[j] = i;
  }
  if (!n_top) return INVDES_OK;
  *found = 1;
  *best = sc[top[0]];
  memcpy(bx, c->x + top[0] * nv, nv * sizeof *bx);
  memcpy(bz, c->z + top[0] * D, D * sizeof *bz);
  double *z = malloc((D + 1) * sizeof *z), *x = malloc((nv + 1) * sizeof *x);
  double *zc = malloc((D + 1) * sizeof *zc);
  if (!z || !x || !zc) st = nomem(err);
  for (size_t q = 0; !st && q < n_top && !c->region; q++) {
    memcpy(z, c->z + top[q] * D, D * sizeof *z);
    if ((st = local_search(m, z, lo, hi, err))) break;
    if ((st = invdes_strategy_canonical(s, z, x, zc, err))) break;
    if (!bo_batch_free(s, ctx, out, zc) || (lo && !bo_basin_holds(m, zc))) continue;
    double v;
    if ((st = bo_model_score(m, zc, 1, &v, NULL, err))) break;
    if (v > *best) {
      *best = v;
      memcpy(bx, x, nv * sizeof *bx);
      memcpy(bz, zc, D * sizeof *bz);
    }
  }
  free(z);
  free(x);
  free(zc);
  return st;
}

/* The second basin's best point (bo_basin.c) into (bx, bz, *best, *found):
 * cb scored with the basin's own model (conditioned on the points in
 * flight) and EI against the basin's incumbent, within its box. */
static invdes_status basin_point(invdes_strategy *s, invdes_strategy_ctx *ctx, bo_model *m,
                                 const cands *cb, double *scb, invdes_proposals *out,
                                 double *bx, double *bz, double *best, int *found,
                                 invdes_error *err) {
  double keep = m->best;
  invdes_surrogate *keep_sur = NULL;
  size_t keep_samp = m->n_samp;
  invdes_status st = INVDES_OK;
  m->best = m->basin_best;
  if (m->basin_sur) { /* its own model stands in for the shared one */
    keep_sur = m->t[m->basin_t].sur;
    m->t[m->basin_t].sur = m->basin_sur;
    m->n_samp = 0;
    invdes_surrogate_condition_clear(m->basin_sur);
    if (ctx->n_pending)
      st = invdes_surrogate_condition(m->basin_sur, ctx->pending_z, ctx->n_pending, err);
    if (!st && out->n) st = invdes_surrogate_condition(m->basin_sur, out->z, out->n, err);
  }
  if (!st)
    st = best_point(s, ctx, m, cb, scb, m->basin_lo, m->basin_hi, out, bx, bz, best, found,
                    err);
  if (keep_sur) {
    m->t[m->basin_t].sur = keep_sur;
    m->n_samp = keep_samp;
  }
  m->best = keep;
  return st;
}

/* 1 when the last point in flight is the last basin point bo proposed
 * (m->basin_prev, kept in the saved state): a descent under way. Equal to
 * within 1e-9 in z, for a told point re-encoded from its stored x. */
static int basin_going(const bo_model *m, const double *last) {
  if (!last || !m->basin_prev) return 0;
  for (size_t j = 0; j < m->D; j++)
    if (!(fabs(last[j] - m->basin_prev[j]) <= 1e-9)) return 0;
  return 1;
}

/* Continuous spaces: the global choice (c), or the second basin's (cb;
 * bo_basin.c) when the global EI has fallen below BO_BASIN_EI and the
 * basin's EI is larger, or when the last point in flight is the basin's
 * last point and the basin's EI is at least BO_BASIN_GO_EI; at most one
 * point of a batch. */
static invdes_status pick_continuous(invdes_strategy *s,
                                     invdes_strategy_ctx *ctx, bo_model *m,
                                     const cands *c, double *sc, basin_search *bs,
                                     invdes_proposals *out, invdes_error *err) {
  size_t D = s->dim, nv = s->n_vars;
  double *bx = malloc((2 * nv + 1) * sizeof *bx), *bz = malloc((2 * D + 1) * sizeof *bz);
  double best = 0, best2 = 0;
  int found = 0, found2 = 0;
  invdes_status st = !bx || !bz ? nomem(err) : INVDES_OK;
  if (!st) st = best_point(s, ctx, m, c, sc, NULL, NULL, out, bx, bz, &best, &found, err);
  const double *last = out->n ? out->z + (out->n - 1) * D
                       : ctx->n_pending ? ctx->pending_z + (ctx->n_pending - 1) * D
                       : s->n_hist ? s->h_z + (s->n_hist - 1) * D : NULL;
  double ei = m->kind == INVDES_ACQ_LOGEI ? exp(best) : best;
  int going = basin_going(m, last);
  const cands *cb = NULL;
  if (!st && bs && (!found || ei < BO_BASIN_EI || going)) {
    st = basin_build(s, ctx->iteration, m, bs, err);
    cb = bs->c.n ? &bs->c : NULL;
  }
  /* one point of a batch at most: a descent is sequential, and more points
   * of a small box under fantasies stole the batch from the incumbent
   * (Hartmann6, batch 4: r100 0.027 against 1.1e-6 with one) */
  for (size_t q = 0; q < out->n && cb; q++)
    if (bo_basin_holds(m, out->z + q * D)) cb = NULL;
  if (!st && cb)
    st = basin_point(s, ctx, m, cb, bs->sc, out, bx + nv, bz + D, &best2, &found2, err);
  /* the basin's point when the incumbent's basin is refined to what
   * matters and the basin promises more, or when its descent goes on and
   * still promises BO_BASIN_GO_EI */
  double ei2 = m->kind == INVDES_ACQ_LOGEI ? exp(best2) : best2;
  if (found2 && found && !((ei < BO_BASIN_EI && ei2 > ei) || (going && ei2 >= BO_BASIN_GO_EI)))
    found2 = 0;
  if (!st && found2) {
    memmove(bx, bx + nv, nv * sizeof *bx);
    memmove(bz, bz + D, D * sizeof *bz);
    best = best2;
    found = 1;
  }
  if (!st && found) {
    st = invdes_strategy_push(s, ctx, out, bx, bz, err);
    if (!st) out->acquisition[out->n - 1] = best;
    if (!st && found2 && m->basin_pick) { /* for the next ask's basin_going */
      memcpy(m->basin_pick, out->z + (out->n - 1) * D, D * sizeof *m->basin_pick);
      m->basin_prev = m->basin_pick;
      m->basin_picked = 1;
    }
  } else if (!st && !c->region) { /* every candidate taken (a tiny feasible region) */
    invdes_sample_seq *seq = NULL;
    st = invdes_sample_seq_new(
        INVDES_DESIGN_RANDOM, s->cube_dim, s->seed,
        invdes_rng_stream_id(ctx->iteration, BO_K_FALLBACK), &seq, err);
    if (!st) st = invdes_sample_seq_seek(seq, out->n, err);
    if (!st) st = invdes_strategy_design_fill(s, ctx, seq, 1, out, err);
    invdes_sample_seq_free(seq);
  } /* else a trust region with every point taken: bo_select looks wider */
  free(bx);
  free(bz);
  return st;
}

invdes_status bo_select(invdes_strategy *s, invdes_strategy_ctx *ctx,
                        bo_model *m, size_t n, invdes_proposals *out,
                        invdes_error *err) {
  cands c = {0, 0, s->dim, s->n_vars, NULL, NULL, 0};
  basin_search bs = {0, c, NULL};
  double *sc = NULL;
  invdes_status st = INVDES_OK;
  if (!s->cands) {
    st = make_cands(s, ctx->iteration, m, 1, &c, err);
    if (!st && !(sc = malloc((c.n + 1) * sizeof *sc))) st = nomem(err);
  }
  basin_search *basin = s->cands || c.region ? NULL : &bs; /* rf, knn: no basin */
  for (size_t b = 0; !st && b < n; b++) {
    size_t had = out->n;
    st = s->cands ? pick_finite(s, ctx, m, out, err)
                  : pick_continuous(s, ctx, m, &c, sc, basin, out, err);
    if (!st && out->n == had) { /* a trust region with every point taken
                                   (discrete dimensions in a small box):
                                   the whole space's candidates instead */
      c.n = 0;
      c.region = 0;
      free(sc);
      sc = NULL;
      st = make_cands(s, ctx->iteration, m, 0, &c, err);
      if (!st && !(sc = malloc((c.n + 1) * sizeof *sc))) st = nomem(err);
      if (!st) st = pick_continuous(s, ctx, m, &c, sc, NULL, out, err);
    }
    if (!st && b + 1 < n)
      st = bo_model_condition(m, out->z + (out->n - 1) * s->dim, 1, err);
  }
  free(sc);
  free(bs.sc);
  free(c.z);
  free(c.x);
  free(bs.c.z);
  free(bs.c.x);
  return st;
}
