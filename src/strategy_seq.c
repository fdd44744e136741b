/* strategy_seq.c — design sequences of cube points and the design engine
 * that turns them into untried feasible proposals (see strategy_impl.h).
 *
 * The sequences draw exactly what sample.h draws for the same (seed,
 * stream), so a design strategy's first batch in a fresh campaign equals
 * `invdes sample` with that stream; unlike sample.h they continue across
 * asks (a position) and skip points already taken. Nothing here is
 * parallel: serial order is what makes designs reproducible. This file does
 * not decide which stream or how many points a strategy uses. */
#include "strategy_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "rng.h"

#define SOBOL_MAX_DIM 40
#define HALTON_MAX_DIM 1229
/* Rejection limits, as in sample.c. */
#define EMPTY_TRIES 100000
#define MIN_MAX_TRIES 10000000

static invdes_status nomem(invdes_error *err) {
  return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
}

void invdes_seq_free(invdes_seq *q) {
  if (q->r) gsl_rng_free(q->r);
  if (q->q) gsl_qrng_free(q->q);
  free(q->shift);
  free(q->lhs);
  free(q->perm);
  memset(q, 0, sizeof *q);
}

invdes_status invdes_seq_init(invdes_seq *q, invdes_design_kind kind,
                              size_t M, uint64_t seed, uint64_t stream,
                              invdes_error *err) {
  memset(q, 0, sizeof *q);
  q->kind = kind;
  q->M = M;
  if (!(q->r = invdes_rng_new(seed, stream))) return nomem(err);
  if (kind != INVDES_DESIGN_SOBOL || M == 0) return INVDES_OK;
  if (M > HALTON_MAX_DIM) {
    invdes_seq_free(q);
    return invdes_error_set(err, INVDES_ERR_INVALID, "a quasi-random design "
                            "supports at most %d dimensions, this space has "
                            "%zu", HALTON_MAX_DIM, M);
  }
  q->halton = M > SOBOL_MAX_DIM;
  q->q = gsl_qrng_alloc(q->halton ? gsl_qrng_halton : gsl_qrng_sobol,
                        (unsigned)M);
  q->shift = malloc(M * sizeof *q->shift);
  if (!q->q || !q->shift) {
    invdes_seq_free(q);
    return nomem(err);
  }
  for (size_t j = 0; j < M; j++)
    q->shift[j] = (uint32_t)(gsl_rng_uniform(q->r) * 4294967296.0);
  return INVDES_OK;
}

static int lhs_round(invdes_seq *q, size_t m) {
  free(q->lhs);
  free(q->perm);
  q->lhs = malloc(m * q->M * sizeof *q->lhs + 1);
  q->perm = malloc(m * sizeof *q->perm + 1);
  if (!q->lhs || !q->perm) return -1;
  for (size_t j = 0; j < q->M; j++) {
    for (size_t i = 0; i < m; i++) q->perm[i] = i;
    gsl_ran_shuffle(q->r, q->perm, m, sizeof *q->perm);
    for (size_t i = 0; i < m; i++)
      q->lhs[i * q->M + j] =
          ((double)q->perm[i] + gsl_rng_uniform(q->r)) / (double)m;
  }
  q->lhs_n = m;
  q->lhs_i = 0;
  return 0;
}

invdes_status invdes_seq_next(invdes_seq *q, double *u, size_t wanted,
                              invdes_error *err) {
  const double two32 = 4294967296.0;
  q->pos++;
  switch (q->kind) {
  case INVDES_DESIGN_SOBOL:
    if (!q->M) return INVDES_OK;
    gsl_qrng_get(q->q, u);
    for (size_t j = 0; j < q->M; j++) {
      uint32_t b = (uint32_t)(u[j] * two32);
      b = q->halton ? b + q->shift[j] : b ^ q->shift[j];
      u[j] = ((double)b + 0.5) / two32;
    }
    return INVDES_OK;
  case INVDES_DESIGN_LHS:
    if (q->lhs_i == q->lhs_n && lhs_round(q, wanted ? wanted : 1))
      return nomem(err);
    memcpy(u, q->lhs + q->lhs_i * q->M, q->M * sizeof *u);
    q->lhs_i++;
    return INVDES_OK;
  default:
    for (size_t j = 0; j < q->M; j++) u[j] = gsl_rng_uniform(q->r);
    return INVDES_OK;
  }
}

/* ---- the design engine ---------------------------------------------------- */

/* Finite space, random design: a partial Fisher-Yates shuffle over the
 * untried candidates in candidate order. */
static invdes_status fill_finite_random(invdes_strategy *s,
                                        invdes_strategy_ctx *ctx,
                                        invdes_seq *seq, size_t n,
                                        invdes_proposals *out,
                                        invdes_error *err) {
  const invdes_cands *c = s->cands;
  size_t *rows = malloc((ctx->untaken + 1) * sizeof *rows);
  if (!rows) return nomem(err);
  size_t m = 0;
  for (size_t i = 0; i < c->n; i++)
    if (c->rank[i] >= ctx->count[c->group[i]]) rows[m++] = i;
  for (size_t j = 0; j < n && j < m; j++) {
    size_t k = j + gsl_rng_uniform_int(seq->r, (unsigned long)(m - j));
    size_t t = rows[j];
    rows[j] = rows[k];
    rows[k] = t;
    invdes_strategy_push_group(s, ctx, out, c->group[rows[j]]);
  }
  free(rows);
  return INVDES_OK;
}

/* The untried group nearest z0 (squared Euclidean in z), lowest on ties. */
static size_t nearest_group(const invdes_strategy *s,
                            const invdes_strategy_ctx *ctx, const double *z0) {
  const invdes_cands *c = s->cands;
  size_t best = SIZE_MAX;
  double best_d = INFINITY;
  for (size_t g = 0; g < c->n_groups; g++) {
    if (ctx->count[g] >= c->g_size[g]) continue;
    const double *zg = c->index.z + g * s->dim;
    double d = 0;
    for (size_t j = 0; j < s->dim && d < best_d; j++)
      d += (zg[j] - z0[j]) * (zg[j] - z0[j]);
    if (d < best_d) {
      best_d = d;
      best = g;
    }
  }
  return best;
}

static invdes_status too_many_rejected(const invdes_strategy *s, size_t made,
                                       size_t n, size_t tries,
                                       invdes_error *err) {
  return invdes_error_set(
      err, INVDES_ERR_INFEASIBLE,
      "only %zu of %zu new feasible points found after %zu tries (the "
      "campaign's estimate is that %.3g%% of the space is feasible, %zu "
      "points are taken already): the constraints leave too small a region "
      "for rejection sampling",
      made, n, tries, 100 * invdes_space_feasible_fraction(s->space),
      s->n_hist);
}

invdes_status invdes_strategy_design_fill(invdes_strategy *s,
                                          invdes_strategy_ctx *ctx,
                                          invdes_seq *seq, size_t n,
                                          invdes_proposals *out,
                                          invdes_error *err) {
  if (!n) return INVDES_OK;
  int pool = invdes_space_is_pool(s->space);
  if (s->cands && seq->kind == INVDES_DESIGN_RANDOM)
    return fill_finite_random(s, ctx, seq, n, out, err);
  double *u = malloc((s->cube_dim + 1) * sizeof *u);
  double *x = malloc((s->n_vars + 1) * sizeof *x);
  double *z = malloc((s->dim + 1) * sizeof *z);
  invdes_status st = INVDES_OK;
  if (!u || !x || !z) {
    st = nomem(err);
    goto done;
  }
  size_t made = 0, tries = 0;
  size_t max_tries = 1000 * n > MIN_MAX_TRIES ? 1000 * n : MIN_MAX_TRIES;
  while (made < n && !st) {
    if ((made == 0 && tries >= EMPTY_TRIES) || tries >= max_tries) {
      st = too_many_rejected(s, made, n, tries, err);
      break;
    }
    if ((st = invdes_seq_next(seq, u, n - made, err))) break;
    tries++;
    if (pool) {
      invdes_strategy_push_group(s, ctx, out, nearest_group(s, ctx, u));
      made++;
      continue;
    }
    if (!invdes_space_from_cube(s->space, u, x) ||
        !invdes_space_constraints_hold(s->space, s->work, x))
      continue;
    if ((st = invdes_space_encode(s->space, x, z, err))) break;
    if (s->cands) {
      size_t g = invdes_zset_find(&s->cands->index, z);
      if (g == SIZE_MAX || ctx->count[g] >= s->cands->g_size[g])
        g = nearest_group(s, ctx, z);
      invdes_strategy_push_group(s, ctx, out, g);
      made++;
    } else if (invdes_strategy_ctx_free_z(s, ctx, z)) {
      st = invdes_strategy_push(s, ctx, out, x, z, err);
      made++;
    }
  }
done:
  free(u);
  free(x);
  free(z);
  return st;
}
