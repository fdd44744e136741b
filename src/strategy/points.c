/* points.c — which points are taken: sets of z vectors, the
 * candidate list of a finite space, the marks of the told history and the
 * per-ask context built from them, and appending a proposal to a batch.
 *
 * Points are compared as numbers (-0 equals 0); z vectors come back from the
 * store bit for bit, so equality is the identity of a proposal. This file
 * draws nothing at random and chooses nothing: strategies do. */
#include "strategy_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- sets of z vectors --------------------------------------------------- */

static uint64_t mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

static uint64_t zhash(const double *z, size_t dim) {
  uint64_t h = 0x9e3779b97f4a7c15ULL ^ dim;
  for (size_t j = 0; j < dim; j++) {
    double v = z[j] == 0 ? 0.0 : z[j];
    uint64_t b;
    memcpy(&b, &v, sizeof b);
    h = mix64(h ^ b) + j;
  }
  return mix64(h);
}

static int zequal(const double *a, const double *b, size_t dim) {
  for (size_t j = 0; j < dim; j++)
    if (!(a[j] == b[j])) return 0;
  return 1;
}

void invdes_zset_init(invdes_zset *set, size_t dim) {
  memset(set, 0, sizeof *set);
  set->dim = dim;
}

void invdes_zset_clear(invdes_zset *set) {
  set->n = 0;
  if (set->slot) memset(set->slot, 0, set->n_slots * sizeof *set->slot);
}

void invdes_zset_free(invdes_zset *set) {
  free(set->z);
  free(set->slot);
  invdes_zset_init(set, set->dim);
}

size_t invdes_zset_find(const invdes_zset *set, const double *z) {
  if (!set->n_slots) return SIZE_MAX;
  size_t mask = set->n_slots - 1;
  for (size_t i = (size_t)zhash(z, set->dim) & mask;; i = (i + 1) & mask) {
    size_t e = set->slot[i];
    if (!e) return SIZE_MAX;
    if (zequal(set->z + (e - 1) * set->dim, z, set->dim)) return e - 1;
  }
}

static int rehash(invdes_zset *set, size_t n_slots) {
  size_t *slot = calloc(n_slots, sizeof *slot);
  if (!slot) return -1;
  for (size_t e = 0; e < set->n; e++) {
    size_t i = (size_t)zhash(set->z + e * set->dim, set->dim) & (n_slots - 1);
    while (slot[i]) i = (i + 1) & (n_slots - 1);
    slot[i] = e + 1;
  }
  free(set->slot);
  set->slot = slot;
  set->n_slots = n_slots;
  return 0;
}

int invdes_zset_add(invdes_zset *set, const double *z, size_t *entry) {
  size_t e = invdes_zset_find(set, z);
  if (e != SIZE_MAX) {
    if (entry) *entry = e;
    return 0;
  }
  if (set->n == set->cap) {
    size_t cap = set->cap ? 2 * set->cap : 16;
    double *nz = realloc(set->z, (cap * set->dim + 1) * sizeof *nz);
    if (!nz) return -1;
    set->z = nz;
    set->cap = cap;
  }
  if (2 * (set->n + 1) >= set->n_slots &&
      rehash(set, set->n_slots ? 2 * set->n_slots : 64))
    return -1;
  e = set->n++;
  memcpy(set->z + e * set->dim, z, set->dim * sizeof *z);
  size_t mask = set->n_slots - 1;
  size_t i = (size_t)zhash(z, set->dim) & mask;
  while (set->slot[i]) i = (i + 1) & mask;
  set->slot[i] = e + 1;
  if (entry) *entry = e;
  return 0;
}

/* ---- candidates of a finite space -------------------------------------- */

void invdes_strategy_cands_free(invdes_cands *c) {
  if (!c) return;
  free(c->x);
  free(c->group);
  free(c->rank);
  invdes_zset_free(&c->index);
  free(c->g_size);
  free(c->g_off);
  free(c->members);
  free(c);
}

/* Number of values of parameter p, 0 when it is continuous. */
static size_t param_count(const invdes_param *p) {
  switch (p->type) {
  case INVDES_PARAM_INTEGER:
    return (size_t)(floor(p->hi) - ceil(p->lo) + 1);
  case INVDES_PARAM_DISCRETE:
  case INVDES_PARAM_CATEGORICAL:
    return p->n_values;
  default:
    return 0;
  }
}

static double param_value(const invdes_param *p, size_t d) {
  if (p->type == INVDES_PARAM_INTEGER) return ceil(p->lo) + (double)d;
  if (p->type == INVDES_PARAM_DISCRETE) return p->values[d];
  return (double)d;
}

/* Combinations of a parameter-only space of discrete kinds, or 0 when the
 * space is not of that kind or has more than INVDES_STRATEGY_FINITE_MAX. */
static size_t finite_size(const invdes_campaign *c) {
  if (c->pool || c->n_compositions || !c->n_params) return 0;
  size_t total = 1;
  for (size_t i = 0; i < c->n_params; i++) {
    size_t k = param_count(&c->params[i]);
    if (!k || total > INVDES_STRATEGY_FINITE_MAX / k) return 0;
    total *= k;
  }
  return total;
}

/* Adds candidate x (its z computed here) to c. */
static invdes_status cand_add(invdes_strategy *s, invdes_cands *c,
                              const double *x, double *z, invdes_error *err) {
  invdes_status st = invdes_space_encode(s->space, x, z, err);
  if (st) return st;
  memcpy(c->x + c->n * s->n_vars, x, s->n_vars * sizeof *x);
  if (invdes_zset_add(&c->index, z, &c->group[c->n]))
    return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  c->n++;
  return INVDES_OK;
}

static invdes_status cands_group(invdes_cands *c, invdes_error *err) {
  size_t G = c->index.n;
  c->n_groups = G;
  c->g_size = calloc(G + 1, sizeof *c->g_size);
  c->g_off = calloc(G + 1, sizeof *c->g_off);
  c->members = malloc((c->n + 1) * sizeof *c->members);
  c->rank = malloc((c->n + 1) * sizeof *c->rank);
  if (!c->g_size || !c->g_off || !c->members || !c->rank)
    return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  for (size_t i = 0; i < c->n; i++) c->g_size[c->group[i]]++;
  for (size_t g = 1; g < G; g++) c->g_off[g] = c->g_off[g - 1] + c->g_size[g - 1];
  size_t *fill = calloc(G + 1, sizeof *fill);
  if (!fill) return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  for (size_t i = 0; i < c->n; i++) {
    size_t g = c->group[i];
    c->rank[i] = fill[g];
    c->members[c->g_off[g] + fill[g]++] = i;
  }
  free(fill);
  return INVDES_OK;
}

invdes_status invdes_strategy_cands_build(invdes_strategy *s, invdes_error *err) {
  const invdes_campaign *c = s->c;
  size_t total = c->pool ? c->pool->n_rows : finite_size(c);
  if (!total) return INVDES_OK;
  invdes_cands *k = calloc(1, sizeof *k);
  double *x = malloc((s->n_vars + 1) * sizeof *x);
  double *z = malloc((s->dim + 1) * sizeof *z);
  size_t *digit = calloc(c->n_params + 1, sizeof *digit);
  invdes_status st = INVDES_OK;
  if (!k || !x || !z || !digit) {
    st = invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
    goto done;
  }
  invdes_zset_init(&k->index, s->dim);
  k->x = malloc((total * s->n_vars + 1) * sizeof *k->x);
  k->group = malloc((total + 1) * sizeof *k->group);
  if (!k->x || !k->group) {
    st = invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
    goto done;
  }
  for (size_t t = 0; t < total && !st; t++) {
    if (c->pool) {
      if (!invdes_space_pool_row_feasible(s->space, t)) continue;
      x[0] = (double)t;
      st = cand_add(s, k, x, z, err);
      continue;
    }
    for (size_t i = 0; i < c->n_params; i++)
      x[i] = param_value(&c->params[i], digit[i]);
    if (invdes_space_constraints_hold(s->space, s->work, x))
      st = cand_add(s, k, x, z, err);
    for (size_t i = c->n_params; i-- > 0;) {
      if (++digit[i] < param_count(&c->params[i])) break;
      digit[i] = 0;
    }
  }
  if (!st && !k->n)
    st = invdes_error_set(err, INVDES_ERR_INFEASIBLE,
                          "none of the space's %zu points satisfies the "
                          "constraints", total);
  if (!st) st = cands_group(k, err);
  if (!st) {
    s->cands = k;
    k = NULL;
    s->h_count = calloc(s->cands->n_groups + 1, sizeof *s->h_count);
    s->ctx.count = calloc(s->cands->n_groups + 1, sizeof *s->ctx.count);
    if (!s->h_count || !s->ctx.count)
      st = invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  }
done:
  invdes_strategy_cands_free(k);
  free(x);
  free(z);
  free(digit);
  return st;
}

/* ---- marks --------------------------------------------------------------- */

/* Finite: takes one unit of z's group in count; returns 1 when it did. */
static int take_unit(const invdes_cands *c, size_t *count, const double *z) {
  size_t g = invdes_zset_find(&c->index, z);
  if (g == SIZE_MAX || count[g] >= c->g_size[g]) return 0;
  count[g]++;
  return 1;
}

/* The marks go stale when memory runs out; the next ask rebuilds them. */
void invdes_strategy_mark_told(invdes_strategy *s, const double *z) {
  if (s->cands)
    take_unit(s->cands, s->h_count, z);
  else if (invdes_zset_add(&s->hist_set, z, NULL))
    s->marks_stale = 1;
}

static invdes_status rebuild_marks(invdes_strategy *s, invdes_error *err) {
  s->marks_stale = 0;
  s->marks_epoch++;
  if (s->cands)
    memset(s->h_count, 0, s->cands->n_groups * sizeof *s->h_count);
  else
    invdes_zset_clear(&s->hist_set);
  for (size_t i = 0; i < s->n_hist; i++) {
    invdes_strategy_mark_told(s, s->h_z + i * s->dim);
    if (s->marks_stale)
      return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  }
  return INVDES_OK;
}

invdes_status invdes_strategy_ctx_begin(invdes_strategy *s, uint64_t iteration,
                                        const double *pending_z,
                                        size_t n_pending, invdes_error *err) {
  invdes_strategy_ctx *ctx = &s->ctx;
  if (s->marks_stale) {
    invdes_status st = rebuild_marks(s, err);
    if (st) return st;
  }
  ctx->iteration = iteration;
  ctx->pending_z = pending_z;
  ctx->n_pending = n_pending;
  if (s->cands) {
    const invdes_cands *c = s->cands;
    memcpy(ctx->count, s->h_count, c->n_groups * sizeof *ctx->count);
    ctx->untaken = 0;
    for (size_t g = 0; g < c->n_groups; g++)
      ctx->untaken += c->g_size[g] - ctx->count[g];
    for (size_t i = 0; i < n_pending; i++)
      ctx->untaken -= (size_t)take_unit(c, ctx->count, pending_z + i * s->dim);
    return INVDES_OK;
  }
  ctx->hist = &s->hist_set;
  invdes_zset_clear(&ctx->extra);
  for (size_t i = 0; i < n_pending; i++)
    if (invdes_zset_add(&ctx->extra, pending_z + i * s->dim, NULL))
      return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  return INVDES_OK;
}

int invdes_strategy_ctx_free_z(const invdes_strategy *s,
                               const invdes_strategy_ctx *ctx,
                               const double *z) {
  if (s->cands) {
    size_t g = invdes_zset_find(&s->cands->index, z);
    return g != SIZE_MAX && ctx->count[g] < s->cands->g_size[g];
  }
  if (ctx->hist && invdes_zset_find(ctx->hist, z) != SIZE_MAX) return 0;
  return invdes_zset_find(&ctx->extra, z) == SIZE_MAX;
}

/* ---- appending proposals --------------------------------------------------- */

static void put_row(invdes_strategy *s, invdes_proposals *out, const double *x,
                    const double *z) {
  size_t i = out->n++;
  memcpy(out->x + i * s->n_vars, x, s->n_vars * sizeof *x);
  memcpy(out->z + i * s->dim, z, s->dim * sizeof *z);
  for (size_t t = 0; t < s->n_targets; t++) {
    out->pred_mean[i * s->n_targets + t] = NAN;
    out->pred_sd[i * s->n_targets + t] = NAN;
  }
  out->acquisition[i] = NAN;
}

invdes_status invdes_strategy_push(invdes_strategy *s, invdes_strategy_ctx *ctx,
                                   invdes_proposals *out, const double *x,
                                   const double *z, invdes_error *err) {
  if (s->cands) {
    ctx->untaken -= (size_t)take_unit(s->cands, ctx->count, z);
  } else if (invdes_zset_add(&ctx->extra, z, NULL)) {
    return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  }
  put_row(s, out, x, z);
  return INVDES_OK;
}

void invdes_strategy_push_group(invdes_strategy *s, invdes_strategy_ctx *ctx,
                                invdes_proposals *out, size_t g) {
  const invdes_cands *c = s->cands;
  size_t member = c->members[c->g_off[g] + ctx->count[g]];
  ctx->count[g]++;
  ctx->untaken--;
  put_row(s, out, c->x + member * s->n_vars, c->index.z + g * s->dim);
}

size_t invdes_strategy_untried_group(const invdes_strategy *s,
                                     const invdes_strategy_ctx *ctx,
                                     const double *z) {
  const invdes_cands *c = s->cands;
  size_t best = invdes_zset_find(&c->index, z);
  if (best != SIZE_MAX && ctx->count[best] < c->g_size[best]) return best;
  best = SIZE_MAX;
  double bd = INFINITY;
  for (size_t g = 0; g < c->n_groups; g++) {
    if (ctx->count[g] >= c->g_size[g]) continue;
    const double *zg = c->index.z + g * s->dim;
    double d = 0;
    for (size_t j = 0; j < s->dim && d < bd; j++) {
      double v = z[j] >= 0 ? (z[j] <= 1 ? z[j] : 1) : 0;
      d += (zg[j] - v) * (zg[j] - v);
    }
    if (d < bd || best == SIZE_MAX) {
      bd = d;
      best = g;
    }
  }
  return best;
}

invdes_status invdes_strategy_canonical(invdes_strategy *s, const double *z,
                                        double *x, double *z_out,
                                        invdes_error *err) {
  invdes_space_decode(s->space, s->work, z, x);
  return invdes_space_encode(s->space, x, z_out, err);
}
