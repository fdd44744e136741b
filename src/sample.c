/* sample.c — random, Sobol and Latin-hypercube designs (see sample.h).
 *
 * A small generator object hands out cube points one at a time in a fixed
 * order; the rejection loop maps each through the space and keeps feasible
 * ones. Nothing here is parallel: designs are small next to evaluations,
 * and serial order is what makes them reproducible. This file does not know
 * how a point is encoded for strategies. */
#include "sample.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_qrng.h>
#include <gsl/gsl_randist.h>

#include "rng.h"

#define SOBOL_MAX_DIM 40
#define HALTON_MAX_DIM 1229
#define EMPTY_TRIES 100000
#define MIN_MAX_TRIES 10000000

typedef struct gen {
  invdes_design_kind design;
  size_t M;
  gsl_rng *r;
  gsl_qrng *q;
  int halton;
  uint32_t *shift;      /* sobol: XOR bits; halton: rotation * 2^32 */
  double *lhs;          /* current hypercube, lhs_n × M */
  size_t lhs_n, lhs_i;
  size_t *perm;
} gen;

static void gen_free(gen *g) {
  if (g->r) gsl_rng_free(g->r);
  if (g->q) gsl_qrng_free(g->q);
  free(g->shift);
  free(g->lhs);
  free(g->perm);
}

static invdes_status gen_init(gen *g, invdes_design_kind design, size_t M,
                              uint64_t seed, uint64_t stream,
                              invdes_error *err) {
  memset(g, 0, sizeof *g);
  g->design = design;
  g->M = M;
  if (!(g->r = invdes_rng_new(seed, stream)))
    return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  if (design != INVDES_DESIGN_SOBOL || M == 0) return INVDES_OK;
  if (M > HALTON_MAX_DIM)
    return invdes_error_set(err, INVDES_ERR_INVALID, "a quasi-random design "
                            "supports at most %d dimensions, this space has "
                            "%zu", HALTON_MAX_DIM, M);
  g->halton = M > SOBOL_MAX_DIM;
  g->q = gsl_qrng_alloc(g->halton ? gsl_qrng_halton : gsl_qrng_sobol,
                        (unsigned)M);
  g->shift = malloc(M * sizeof *g->shift);
  if (!g->q || !g->shift)
    return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  for (size_t j = 0; j < M; j++)
    g->shift[j] = (uint32_t)(gsl_rng_uniform(g->r) * 4294967296.0);
  return INVDES_OK;
}

/* Draws a fresh Latin hypercube of m points. */
static int lhs_round(gen *g, size_t m) {
  free(g->lhs);
  free(g->perm);
  g->lhs = malloc(m * g->M * sizeof *g->lhs + 1);
  g->perm = malloc(m * sizeof *g->perm + 1);
  if (!g->lhs || !g->perm) return -1;
  for (size_t j = 0; j < g->M; j++) {
    for (size_t i = 0; i < m; i++) g->perm[i] = i;
    gsl_ran_shuffle(g->r, g->perm, m, sizeof *g->perm);
    for (size_t i = 0; i < m; i++)
      g->lhs[i * g->M + j] =
          ((double)g->perm[i] + gsl_rng_uniform(g->r)) / (double)m;
  }
  g->lhs_n = m;
  g->lhs_i = 0;
  return 0;
}

/* Next cube point into u; `wanted` is how many points are still needed. */
static int gen_next(gen *g, double *u, size_t wanted) {
  const double two32 = 4294967296.0;
  switch (g->design) {
  case INVDES_DESIGN_SOBOL:
    if (!g->M) return 0;
    gsl_qrng_get(g->q, u);
    for (size_t j = 0; j < g->M; j++) {
      uint32_t b = (uint32_t)(u[j] * two32);
      b = g->halton ? b + g->shift[j] : b ^ g->shift[j];
      u[j] = ((double)b + 0.5) / two32;
    }
    return 0;
  case INVDES_DESIGN_LHS:
    if (g->lhs_i == g->lhs_n && lhs_round(g, wanted ? wanted : 1)) return -1;
    memcpy(u, g->lhs + g->lhs_i * g->M, g->M * sizeof *u);
    g->lhs_i++;
    return 0;
  default:
    for (size_t j = 0; j < g->M; j++) u[j] = gsl_rng_uniform(g->r);
    return 0;
  }
}

static invdes_status sample_pool(const invdes_space *s, gen *g, size_t n,
                                 double *x, invdes_error *err) {
  const invdes_pool *p = invdes_space_campaign(s)->pool;
  size_t n_ok = invdes_space_pool_feasible_rows(s);
  if (g->design == INVDES_DESIGN_RANDOM) {
    size_t *rows = malloc(n_ok * sizeof *rows + 1);
    if (!rows) return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
    size_t m = 0;
    for (size_t r = 0; r < p->n_rows; r++)
      if (invdes_space_pool_row_feasible(s, r)) rows[m++] = r;
    for (size_t i = 0; i < n;) {
      /* a partial Fisher-Yates shuffle gives distinct rows */
      for (size_t j = 0; j < m && i < n; j++, i++) {
        size_t k = j + gsl_rng_uniform_int(g->r, (unsigned long)(m - j));
        size_t t = rows[j];
        rows[j] = rows[k];
        rows[k] = t;
        x[i] = (double)rows[j];
      }
    }
    free(rows);
    return INVDES_OK;
  }
  unsigned char *taken = calloc(p->n_rows + 1, 1);
  double *u = malloc((g->M + 1) * sizeof *u);
  if (!taken || !u) {
    free(taken);
    free(u);
    return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  }
  invdes_status st = INVDES_OK;
  for (size_t i = 0, used = 0; i < n; i++, used++) {
    if (used == n_ok) {
      memset(taken, 0, p->n_rows);
      used = 0;
    }
    if (gen_next(g, u, n - i)) {
      st = invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
      break;
    }
    size_t r = invdes_space_pool_nearest(s, u, taken);
    taken[r] = 1;
    x[i] = (double)r;
  }
  free(taken);
  free(u);
  return st;
}

invdes_status invdes_sample(const invdes_space *s, invdes_design_kind design,
                            size_t n, uint64_t seed, uint64_t stream,
                            double *x, invdes_error *err) {
  if (n == 0) return INVDES_OK;
  size_t M = invdes_space_cube_dim(s), nv = invdes_space_n_vars(s);
  gen g;
  invdes_status st = gen_init(&g, design, M, seed, stream, err);
  if (st) {
    gen_free(&g);
    return st;
  }
  if (invdes_space_is_pool(s)) {
    st = sample_pool(s, &g, n, x, err);
    gen_free(&g);
    return st;
  }
  invdes_space_work *w = invdes_space_work_new(s);
  double *u = malloc((M + 1) * sizeof *u);
  if (!w || !u) {
    st = invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
    goto done;
  }
  size_t kept = 0, tries = 0;
  size_t max_tries = 1000 * n > MIN_MAX_TRIES ? 1000 * n : MIN_MAX_TRIES;
  while (kept < n) {
    if ((kept == 0 && tries >= EMPTY_TRIES) || tries >= max_tries) {
      st = invdes_error_set(
          err, INVDES_ERR_INFEASIBLE,
          "only %zu of %zu feasible points found after %zu tries (the "
          "campaign's estimate is that %.3g%% of the space is feasible): the "
          "constraints leave too small a region for rejection sampling",
          kept, n, tries, 100 * invdes_space_feasible_fraction(s));
      break;
    }
    if (gen_next(&g, u, n - kept)) {
      st = invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
      break;
    }
    tries++;
    double *xi = x + kept * nv;
    if (invdes_space_from_cube(s, u, xi) &&
        invdes_space_constraints_hold(s, w, xi))
      kept++;
  }
done:
  free(u);
  invdes_space_work_free(w);
  gen_free(&g);
  return st;
}
