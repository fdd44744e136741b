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
 * candidates. Integer, discrete and one-hot dimensions are searched relaxed
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
  double *u = malloc((D + 1) * sizeof *u), *z0 = malloc((D + 1) * sizeof *z0);
  double *x = malloc((s->n_vars + 1) * sizeof *x), *z = malloc((D + 1) * sizeof *z);
  invdes_sample_seq *seq = NULL;
  gsl_rng *r = invdes_rng_new(s->seed, invdes_rng_stream_id(iteration, BO_K_LOCAL));
  invdes_status st = !u || !z0 || !x || !z || !r ? nomem(err) : INVDES_OK;
  if (!st)
    st = invdes_sample_seq_new(D > 40 ? INVDES_DESIGN_RANDOM : INVDES_DESIGN_SOBOL, D,
                               s->seed, invdes_rng_stream_id(iteration, BO_K_CANDS),
                               &seq, err);
  for (size_t k = 0; !st && k < want; k++) {
    if ((st = invdes_sample_seq_next(seq, u, want - k, err))) break;
    size_t axis = k < want / 2 ? gsl_rng_uniform_int(r, D) : D; /* D: move all */
    for (size_t j = 0; j < D; j++) {
      int moves = axis == D || j == axis || gsl_rng_uniform(r) * (double)D < 1;
      double v = center[j] + (moves ? side * (u[j] - 0.5) : 0);
      z0[j] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
    st = invdes_strategy_canonical(s, z0, x, z, err);
    if (!st) st = cands_add(c, x, z, err);
  }
  c->region = 1;
  if (r) gsl_rng_free(r);
  invdes_sample_seq_free(seq);
  free(u);
  free(z0);
  free(x);
  free(z);
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

/* Maximizes the score from z (D values, replaced by the optimum found). */
static invdes_status local_search(bo_model *m, double *z, invdes_error *err) {
  size_t D = m->D;
  nlopt_opt opt = nlopt_create(m->grad ? NLOPT_LD_LBFGS : NLOPT_LN_SBPLX,
                               (unsigned)D);
  if (!opt) return nomem(err);
  nl_data d = {m, err, INVDES_OK};
  int ok = nlopt_set_lower_bounds1(opt, 0.0) >= 0 &&
           nlopt_set_upper_bounds1(opt, 1.0) >= 0 &&
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
    for (size_t j = 0; j < D; j++) z[j] = z1[j] < 0 ? 0 : z1[j] > 1 ? 1 : z1[j];
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

/* Continuous spaces: the best untried candidate or local optimum. */
static invdes_status pick_continuous(invdes_strategy *s,
                                     invdes_strategy_ctx *ctx, bo_model *m,
                                     const cands *c, double *sc,
                                     invdes_proposals *out,
                                     invdes_error *err) {
  size_t D = s->dim, nv = s->n_vars;
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
  if (!n_top && c->region) return INVDES_OK; /* bo_select looks wider */
  if (!n_top) { /* every candidate taken (a tiny feasible region) */
    invdes_sample_seq *seq = NULL;
    st = invdes_sample_seq_new(
        INVDES_DESIGN_RANDOM, s->cube_dim, s->seed,
        invdes_rng_stream_id(ctx->iteration, BO_K_FALLBACK), &seq, err);
    if (!st) st = invdes_sample_seq_seek(seq, out->n, err);
    if (!st) st = invdes_strategy_design_fill(s, ctx, seq, 1, out, err);
    invdes_sample_seq_free(seq);
    return st;
  }
  double best = sc[top[0]];
  double *bx = malloc((nv + 1) * sizeof *bx), *bz = malloc((D + 1) * sizeof *bz);
  double *z = malloc((D + 1) * sizeof *z), *x = malloc((nv + 1) * sizeof *x);
  double *zc = malloc((D + 1) * sizeof *zc);
  if (!bx || !bz || !z || !x || !zc) st = nomem(err);
  if (!st) {
    memcpy(bx, c->x + top[0] * nv, nv * sizeof *bx);
    memcpy(bz, c->z + top[0] * D, D * sizeof *bz);
  }
  for (size_t q = 0; !st && q < n_top; q++) {
    if (c->region) break; /* the candidates are the whole search */
    memcpy(z, c->z + top[q] * D, D * sizeof *z);
    if ((st = local_search(m, z, err))) break;
    if ((st = invdes_strategy_canonical(s, z, x, zc, err))) break;
    if (!bo_batch_free(s, ctx, out, zc)) continue;
    double v;
    if ((st = bo_model_score(m, zc, 1, &v, NULL, err))) break;
    if (v > best) {
      best = v;
      memcpy(bx, x, nv * sizeof *bx);
      memcpy(bz, zc, D * sizeof *bz);
    }
  }
  if (!st) st = invdes_strategy_push(s, ctx, out, bx, bz, err);
  if (!st) out->acquisition[out->n - 1] = best;
  free(bx);
  free(bz);
  free(z);
  free(x);
  free(zc);
  return st;
}

invdes_status bo_select(invdes_strategy *s, invdes_strategy_ctx *ctx,
                        bo_model *m, size_t n, invdes_proposals *out,
                        invdes_error *err) {
  cands c = {0, 0, s->dim, s->n_vars, NULL, NULL, 0};
  double *sc = NULL;
  invdes_status st = INVDES_OK;
  if (!s->cands) {
    st = make_cands(s, ctx->iteration, m, 1, &c, err);
    if (!st && !(sc = malloc((c.n + 1) * sizeof *sc))) st = nomem(err);
  }
  for (size_t b = 0; !st && b < n; b++) {
    size_t had = out->n;
    st = s->cands ? pick_finite(s, ctx, m, out, err)
                  : pick_continuous(s, ctx, m, &c, sc, out, err);
    if (!st && out->n == had) { /* a trust region with every point taken
                                   (discrete dimensions in a small box):
                                   the whole space's candidates instead */
      c.n = 0;
      c.region = 0;
      free(sc);
      sc = NULL;
      st = make_cands(s, ctx->iteration, m, 0, &c, err);
      if (!st && !(sc = malloc((c.n + 1) * sizeof *sc))) st = nomem(err);
      if (!st) st = pick_continuous(s, ctx, m, &c, sc, out, err);
    }
    if (!st && b + 1 < n)
      st = bo_model_condition(m, out->z + (out->n - 1) * s->dim, 1, err);
  }
  free(sc);
  free(c.z);
  free(c.x);
  return st;
}
