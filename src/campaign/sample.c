/* sample.c — random, Sobol and Latin-hypercube designs (see sample.h).
 *
 * A sequence object (invdes_sample_seq, also used by the design strategies
 * to continue a design across asks) hands out cube points one at a time in
 * a fixed order; the rejection loop maps each through the space and keeps
 * feasible ones. Nothing here is parallel: designs are small next to
 * evaluations, and serial order is what makes them reproducible. This file does not know
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

struct invdes_sample_seq {
  invdes_design_kind design;
  size_t M;
  gsl_rng *r;
  gsl_qrng *q;
  int halton;
  uint32_t *shift;      /* halton: rotation * 2^32 (drawn for sobol too,
                           before its keys, and unused there) */
  uint64_t *owen;       /* sobol: the key of each dimension's scramble */
  double *lhs;          /* current hypercube, lhs_n × M */
  size_t lhs_n, lhs_i;
  size_t *perm;
  uint64_t pos;         /* points handed out */
};

static invdes_status nomem(invdes_error *err) {
  return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
}

void invdes_sample_seq_free(invdes_sample_seq *g) {
  if (!g) return;
  if (g->r) gsl_rng_free(g->r);
  if (g->q) gsl_qrng_free(g->q);
  free(g->shift);
  free(g->owen);
  free(g->lhs);
  free(g->perm);
  free(g);
}

invdes_status invdes_sample_seq_new(invdes_design_kind design, size_t M,
                                    uint64_t seed, uint64_t stream,
                                    invdes_sample_seq **out,
                                    invdes_error *err) {
  *out = NULL;
  if (design == INVDES_DESIGN_SOBOL && M > HALTON_MAX_DIM)
    return invdes_error_set(err, INVDES_ERR_INVALID, "a quasi-random design "
                            "supports at most %d dimensions, this space has "
                            "%zu", HALTON_MAX_DIM, M);
  invdes_sample_seq *g = calloc(1, sizeof *g);
  if (!g) return nomem(err);
  g->design = design;
  g->M = M;
  if (!(g->r = invdes_rng_new(seed, stream))) goto nomem;
  if (design == INVDES_DESIGN_SOBOL && M > 0) {
    g->halton = M > SOBOL_MAX_DIM;
    g->q = gsl_qrng_alloc(g->halton ? gsl_qrng_halton : gsl_qrng_sobol,
                          (unsigned)M);
    g->shift = malloc(M * sizeof *g->shift);
    g->owen = malloc(M * sizeof *g->owen);
    if (!g->q || !g->shift || !g->owen) goto nomem;
    for (size_t j = 0; j < M; j++) {
      g->shift[j] = (uint32_t)(gsl_rng_uniform(g->r) * 4294967296.0);
      g->owen[j] = ((uint64_t)gsl_rng_get(g->r) << 32) | (uint64_t)gsl_rng_get(g->r);
    }
  }
  *out = g;
  return INVDES_OK;
nomem:
  invdes_sample_seq_free(g);
  return nomem(err);
}

/* Owen's nested uniform scramble of the 32-bit fraction b: bit 31 - d is
 * flipped by a random bit of its node in the binary tree of digits (depth
 * d, the d digits above it), drawn by hashing the node with key. Each
 * seed's design is then a random (t, m, s)-net of its own; a digital shift
 * alone (XOR of one word per dimension) leaves every seed the same point
 * set up to that shift, so ten seeds were not ten independent designs
 * (on Hartmann6 their best initial points sat in the same basin for 7 of
 * 10 seeds against 35 % for independent random designs). */
static uint32_t owen_scramble(uint32_t b, uint64_t key) {
  uint32_t out = b;
  for (unsigned d = 0; d < 32; d++) {
    uint64_t node = ((uint64_t)1 << d) | (d ? (uint64_t)(b >> (32 - d)) : 0);
    out ^= (uint32_t)(invdes_rng_stream_id(key, node) >> 63) << (31 - d);
  }
  return out;
}

/* Draws a fresh Latin hypercube of m points. */
static int lhs_round(invdes_sample_seq *g, size_t m) {
  free(g->lhs);
  free(g->perm);
  g->lhs_n = g->lhs_i = 0;
  g->perm = NULL;
  g->lhs = m <= SIZE_MAX / sizeof *g->lhs / (g->M + 1)
               ? malloc(m * g->M * sizeof *g->lhs + 1) : NULL;
  if (g->lhs) g->perm = malloc(m * sizeof *g->perm + 1);
  if (!g->lhs || !g->perm) return -1;
  for (size_t j = 0; j < g->M; j++) {
    for (size_t i = 0; i < m; i++) g->perm[i] = i;
    gsl_ran_shuffle(g->r, g->perm, m, sizeof *g->perm);
    for (size_t i = 0; i < m; i++)
      g->lhs[i * g->M + j] =
          ((double)g->perm[i] + gsl_rng_uniform(g->r)) / (double)m;
  }
  g->lhs_n = m;
  return 0;
}

invdes_status invdes_sample_seq_next(invdes_sample_seq *g, double *u,
                                     size_t wanted, invdes_error *err) {
  const double two32 = 4294967296.0;
  switch (g->design) {
  case INVDES_DESIGN_SOBOL:
    if (!g->M) break;
    if (gsl_qrng_get(g->q, u))
      return invdes_error_set(err, INVDES_ERR_INFEASIBLE, "the Sobol "
                              "sequence is used up (%llu points)",
                              (unsigned long long)g->pos);
    for (size_t j = 0; j < g->M; j++) {
      uint32_t b = (uint32_t)(u[j] * two32);
      b = g->halton ? b + g->shift[j] : owen_scramble(b, g->owen[j]);
      u[j] = ((double)b + 0.5) / two32;
    }
    break;
  case INVDES_DESIGN_LHS:
    if (g->lhs_i == g->lhs_n && lhs_round(g, wanted ? wanted : 1))
      return nomem(err);
    memcpy(u, g->lhs + g->lhs_i * g->M, g->M * sizeof *u);
    g->lhs_i++;
    break;
  default:
    for (size_t j = 0; j < g->M; j++) u[j] = gsl_rng_uniform(g->r);
    break;
  }
  g->pos++;
  return INVDES_OK;
}

invdes_status invdes_sample_seq_seek(invdes_sample_seq *g, uint64_t pos,
                                     invdes_error *err) {
  if (g->pos >= pos) return INVDES_OK;
  double *u = malloc((g->M + 1) * sizeof *u);
  if (!u) return nomem(err);
  invdes_status st = INVDES_OK;
  while (!st && g->pos < pos) st = invdes_sample_seq_next(g, u, 1, err);
  free(u);
  return st;
}

uint64_t invdes_sample_seq_pos(const invdes_sample_seq *g) { return g->pos; }

invdes_design_kind invdes_sample_seq_design(const invdes_sample_seq *g) {
  return g->design;
}

gsl_rng *invdes_sample_seq_rng(invdes_sample_seq *g) { return g->r; }

int invdes_sample_give_up(size_t kept, size_t n, size_t tries) {
  size_t max_tries = n > MIN_MAX_TRIES / 1000 ? n : MIN_MAX_TRIES / 1000;
  max_tries = max_tries > SIZE_MAX / 1000 ? SIZE_MAX : 1000 * max_tries;
  return (kept == 0 && tries >= EMPTY_TRIES) || tries >= max_tries;
}

static invdes_status sample_pool(const invdes_space *s, invdes_sample_seq *g,
                                 size_t n, double *x, invdes_error *err) {
  const invdes_pool *p = invdes_space_campaign(s)->pool;
  size_t n_ok = invdes_space_pool_feasible_rows(s);
  if (g->design == INVDES_DESIGN_RANDOM) {
    size_t *rows = malloc(n_ok * sizeof *rows + 1);
    if (!rows) return nomem(err);
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
    return nomem(err);
  }
  invdes_status st = INVDES_OK;
  for (size_t i = 0, used = 0; i < n && !st; i++, used++) {
    if (used == n_ok) {
      memset(taken, 0, p->n_rows);
      used = 0;
    }
    if ((st = invdes_sample_seq_next(g, u, n - i, err))) break;
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
  invdes_sample_seq *g;
  invdes_status st = invdes_sample_seq_new(design, M, seed, stream, &g, err);
  if (st) return st;
  if (invdes_space_is_pool(s)) {
    st = sample_pool(s, g, n, x, err);
    invdes_sample_seq_free(g);
    return st;
  }
  invdes_space_work *w = invdes_space_work_new(s);
  double *u = malloc((M + 1) * sizeof *u);
  if (!w || !u) {
    st = nomem(err);
    goto done;
  }
  size_t kept = 0, tries = 0;
  while (kept < n) {
    if (invdes_sample_give_up(kept, n, tries)) {
      st = invdes_error_set(
          err, INVDES_ERR_INFEASIBLE,
          "only %zu of %zu feasible points found after %zu tries (the "
          "campaign's estimate is that %.3g%% of the space is feasible): the "
          "constraints leave too small a region for rejection sampling",
          kept, n, tries, 100 * invdes_space_feasible_fraction(s));
      break;
    }
    if ((st = invdes_sample_seq_next(g, u, n - kept, err))) break;
    tries++;
    double *xi = x + kept * nv;
    if (invdes_space_from_cube(s, u, xi) &&
        invdes_space_constraints_hold(s, w, xi))
      kept++;
  }
done:
  free(u);
  invdes_space_work_free(w);
  invdes_sample_seq_free(g);
  return st;
}
