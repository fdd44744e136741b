/* bo_cache.c — the GP kept from ask to ask between hyper-parameter searches
 * of a long bo campaign, so that a new point costs an O(n²) extension of
 * the Cholesky factor instead of an O(n³) factorization (bo.h).
 *
 * What an ask with kept hyper-parameters h and n training rows scores with
 * is defined without the cache: the GP fitted with h on the first r rows
 * (r = n rounded down to a multiple of BO_CACHE_BLOCK, or n below one
 * block; outputs standardized over those r rows), then extended by rows
 * r..n-1 one at a time (invdes_gp_add_point). The cache is a memo of that
 * model: it is used only when it was built for the same r and the same h
 * (bit for bit) and its rows equal the first rows of the training set now
 * (a failed experiment's value can change when a worse one comes in, and
 * then the model is rebuilt). So a fresh process (a resumed campaign)
 * builds the very same model from the history and the saved h: exact
 * resume holds, whatever the cache held. A new factorization every
 * BO_CACHE_BLOCK rows keeps the extensions' rounding from piling up.
 * Kinds without a GP inside are not cached. This file chooses nothing. */
#include "bo.h"

#include <stdlib.h>
#include <string.h>

#define BO_CACHE_BLOCK 256

typedef struct bo_cache_entry {
  invdes_surrogate *sur; /* the model, owned; NULL: none */
  size_t base, n;        /* rows fitted at once, rows it holds */
  double *X, *y;         /* copies of those rows (n × D, n) */
  size_t cap;
  double *h;             /* the hyper-parameters it was built with */
} bo_cache_entry;

struct bo_cache {
  size_t T, D, H;
  bo_cache_entry *e;
};

bo_cache *bo_cache_new(size_t T, size_t D, size_t H) {
  bo_cache *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  c->T = T;
  c->D = D;
  c->H = H;
  c->e = calloc(T + 1, sizeof *c->e);
  if (!c->e) {
    free(c);
    return NULL;
  }
  return c;
}

static void entry_clear(bo_cache_entry *e) {
  invdes_surrogate_free(e->sur);
  free(e->X);
  free(e->y);
  free(e->h);
  memset(e, 0, sizeof *e);
}

void bo_cache_free(bo_cache *c) {
  if (!c) return;
  for (size_t t = 0; t < c->T; t++) entry_clear(&c->e[t]);
  free(c->e);
  free(c);
}

/* Room for n rows in e's copies. */
static int entry_reserve(bo_cache_entry *e, size_t n, size_t D) {
  if (n <= e->cap) return 0;
  size_t cap = n + n / 4 + 64;
  double *X = realloc(e->X, cap * D * sizeof *X);
  if (X) e->X = X;
  double *y = realloc(e->y, cap * sizeof *y);
  if (y) e->y = y;
  if (!X || !y) return -1;
  e->cap = cap;
  return 0;
}

/* Appends rows [e->n, n) of (X, y) to e's model and copies. */
static invdes_status entry_extend(bo_cache_entry *e, const double *X, const double *y,
                                  size_t n, size_t D, invdes_error *err) {
  invdes_gp *gp = invdes_surrogate_gp(e->sur);
  if (!gp) return invdes_error_set(err, INVDES_ERR_USAGE, "bo cache: not a GP");
  if (entry_reserve(e, n, D))
    return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  for (size_t i = e->n; i < n; i++) {
    invdes_status st = invdes_gp_add_point(gp, X + i * D, y[i], 0.0, err);
    if (st) return st;
    memcpy(e->X + i * D, X + i * D, D * sizeof *X);
    e->y[i] = y[i];
    e->n = i + 1;
  }
  return INVDES_OK;
}

/* Fits e afresh with h on the first base rows. */
static invdes_status entry_build(bo_cache_entry *e, const invdes_surrogate_type *type,
                                 const invdes_surrogate_options *opt, const double *X,
                                 const double *y, size_t base, size_t D, const double *h,
                                 size_t H, invdes_error *err) {
  entry_clear(e);
  invdes_surrogate_options o = *opt;
  o.gp.fit_hyper = 0;
  e->sur = invdes_surrogate_new(type, &o);
  e->h = malloc((H + 1) * sizeof *e->h);
  if (!e->sur || !e->h || entry_reserve(e, base, D))
    return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  if (!invdes_surrogate_gp(e->sur))
    return invdes_error_set(err, INVDES_ERR_USAGE, "bo cache: not a GP");
  invdes_status st = invdes_surrogate_hyper_set(e->sur, D, h, err);
  if (!st) st = invdes_surrogate_fit(e->sur, X, base, D, y, NULL, err);
  if (st) return st;
  memcpy(e->h, h, H * sizeof *h);
  memcpy(e->X, X, base * D * sizeof *X);
  memcpy(e->y, y, base * sizeof *y);
  e->base = e->n = base;
  return INVDES_OK;
}

invdes_status bo_cache_fit(bo_cache *c, size_t t, const invdes_surrogate_type *type,
                           const invdes_surrogate_options *opt, const double *X,
                           const double *y, size_t n, const double *h,
                           invdes_surrogate **out, invdes_error *err) {
  *out = NULL;
  if (!c || t >= c->T || !c->H || n < 2)
    return invdes_error_set(err, INVDES_ERR_USAGE, "bo cache: nothing to cache");
  size_t D = c->D, base = n - n % BO_CACHE_BLOCK;
  if (base < BO_CACHE_BLOCK) base = n;
  bo_cache_entry *e = &c->e[t];
  int same = e->sur && e->base == base && e->n <= n &&
             !memcmp(e->h, h, c->H * sizeof *h) &&
             !memcmp(e->X, X, e->n * D * sizeof *X) && !memcmp(e->y, y, e->n * sizeof *y);
  invdes_status st = INVDES_OK;
  if (!same) st = entry_build(e, type, opt, X, y, base, D, h, c->H, err);
  if (!st) st = entry_extend(e, X, y, n, D, err);
  if (st) {
    entry_clear(e);
    return st;
  }
  *out = e->sur;
  return INVDES_OK;
}
