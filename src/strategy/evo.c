/* evo.c — the machinery pso and ga share (evo.h): the
 * ranked history, blocks of z, handing a search point out as an untried
 * feasible proposal, and the framing of saved state. No search algorithm
 * lives here and nothing is drawn at random but with the caller's
 * streams. */
#include "evo.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

static invdes_status nomem(invdes_error *err) {
  return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
}

/* ---- the ranked history --------------------------------------------------- */

void invdes_evo_hist_init(invdes_evo_hist *h, size_t dim) {
  memset(h, 0, sizeof *h);
  invdes_zset_init(&h->set, dim);
}

void invdes_evo_hist_free(invdes_evo_hist *h) {
  free(h->sc);
  free(h->order);
  free(h->at);
  invdes_zset_free(&h->set);
  invdes_evo_hist_init(h, h->set.dim);
}

typedef struct ranked {
  invdes_score sc;
  size_t i;
} ranked;

static int ranked_cmp(const void *pa, const void *pb) {
  const ranked *a = pa, *b = pb;
  int c = invdes_score_compare(&a->sc, &b->sc);
  if (c) return c;
  return a->i < b->i ? -1 : a->i > b->i;
}

invdes_status invdes_evo_hist_update(const invdes_strategy *s,
                                     invdes_evo_hist *h, invdes_error *err) {
  if (h->built && h->version == s->hist_version) return INVDES_OK;
  size_t n = s->n_hist;
  if (n + 1 > h->cap) {
    size_t cap = h->cap ? h->cap : 64;
    while (cap < n + 1) cap *= 2;
    invdes_score *sc = realloc(h->sc, cap * sizeof *sc);
    if (sc) h->sc = sc;
    size_t *order = realloc(h->order, cap * sizeof *order);
    if (order) h->order = order;
    size_t *at = realloc(h->at, cap * sizeof *at);
    if (at) h->at = at;
    if (!sc || !order || !at) return nomem(err);
    h->cap = cap;
  }
  h->built = 0;
  const invdes_target *tg =
      s->c->n_targets == s->n_targets ? s->c->targets : NULL;
  ranked *rk = malloc((n + 1) * sizeof *rk);
  if (!rk) return nomem(err);
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    h->sc[i] = invdes_score_observation(tg, s->n_targets,
                                        s->h_y + i * s->n_targets,
                                        s->h_failed[i]);
    if (h->sc[i].known) rk[m++] = (ranked){h->sc[i], i};
  }
  qsort(rk, m, sizeof *rk, ranked_cmp);
  for (size_t k = 0; k < m; k++) h->order[k] = rk[k].i;
  h->n_ranked = m;
  free(rk);
  /* z -> history index, the best-ranked among equal z (pools) */
  invdes_zset_clear(&h->set);
  for (size_t i = 0; i < n; i++) {
    size_t e, before = h->set.n;
    if (invdes_zset_add(&h->set, s->h_z + i * s->dim, &e)) return nomem(err);
    if (h->set.n > before)
      h->at[e] = i;
    else if (invdes_score_compare(&h->sc[i], &h->sc[h->at[e]]) < 0)
      h->at[e] = i;
  }
  h->version = s->hist_version;
  h->built = 1;
  return INVDES_OK;
}

size_t invdes_evo_hist_find(const invdes_evo_hist *h, const double *z) {
  size_t e = invdes_zset_find(&h->set, z);
  return e == SIZE_MAX ? SIZE_MAX : h->at[e];
}

/* ---- blocks of z ------------------------------------------------------------ */

void invdes_evo_blocks_free(invdes_evo_blocks *b) {
  free(b->start);
  free(b->len);
  free(b->onehot);
  free(b->levels);
  memset(b, 0, sizeof *b);
}

invdes_status invdes_evo_blocks_init(const invdes_strategy *s,
                                     invdes_evo_blocks *b, invdes_error *err) {
  memset(b, 0, sizeof *b);
  b->start = malloc((s->dim + 1) * sizeof *b->start);
  b->len = malloc((s->dim + 1) * sizeof *b->len);
  b->onehot = malloc(s->dim + 1);
  b->levels = calloc(s->dim + 1, sizeof *b->levels);
  if (!b->start || !b->len || !b->onehot || !b->levels) {
    invdes_evo_blocks_free(b);
    return nomem(err);
  }
  const invdes_campaign *c = s->c;
  size_t j = 0;
  if (!c->pool) {
    for (size_t i = 0; i < c->n_params && j < s->dim; i++) {
      const invdes_param *pa = &c->params[i];
      int cat = pa->type == INVDES_PARAM_CATEGORICAL;
      size_t len = cat ? pa->n_values : 1;
      if (j + len > s->dim) break;
      /* equal cells (space_codec.c): linear integers and discrete values */
      if (pa->type == INVDES_PARAM_DISCRETE)
        b->levels[b->n] = pa->n_values;
      else if (pa->type == INVDES_PARAM_INTEGER && !pa->log_scale &&
               pa->hi - pa->lo < 1e9)
        b->levels[b->n] = (size_t)(floor(pa->hi) - ceil(pa->lo) + 1);
      b->start[b->n] = j;
      b->len[b->n] = len;
      b->onehot[b->n++] = (unsigned char)cat;
      j += len;
    }
  }
  /* compositions and pool features: one dimension each */
  for (; j < s->dim; j++) {
    b->start[b->n] = j;
    b->len[b->n] = 1;
    b->onehot[b->n++] = 0;
  }
  return INVDES_OK;
}

size_t invdes_evo_budget_size(int budget, size_t genes, size_t no_budget) {
  if (budget < 1) return no_budget;
  size_t p = (size_t)lround(sqrt((double)budget)), lo = EVO_SIZE_MIN + genes;
  if (p < lo) p = lo;
  return p > EVO_SIZE_MAX ? EVO_SIZE_MAX : p;
}

/* ---- handing out ------------------------------------------------------------ */

invdes_status invdes_evo_push_begin(const invdes_strategy *s,
                                    invdes_evo_pusher *p, gsl_rng *jitter,
                                    uint64_t fallback_stream,
                                    invdes_error *err) {
  memset(p, 0, sizeof *p);
  p->jitter = jitter;
  p->fallback_stream = fallback_stream;
  p->x = malloc((s->n_vars + 1) * sizeof *p->x);
  p->z = malloc((s->dim + 1) * sizeof *p->z);
  p->zt = malloc((s->dim + 1) * sizeof *p->zt);
  if (!p->x || !p->z || !p->zt) {
    invdes_evo_push_done(p);
    return nomem(err);
  }
  return INVDES_OK;
}

void invdes_evo_push_done(invdes_evo_pusher *p) {
  invdes_sample_seq_free(p->fallback);
  free(p->x);
  free(p->z);
  free(p->zt);
  memset(p, 0, sizeof *p);
}

invdes_status invdes_evo_push(invdes_strategy *s, invdes_strategy_ctx *ctx,
                              invdes_evo_pusher *p, invdes_proposals *out,
                              const double *z, invdes_error *err) {
  invdes_status st = invdes_strategy_canonical(s, z, p->x, p->z, err);
  if (st) return st;
  if (s->cands) {
    size_t g = invdes_zset_find(&s->cands->index, p->z);
    if (g == SIZE_MAX || ctx->count[g] >= s->cands->g_size[g])
      g = invdes_strategy_untried_group(s, ctx, z);
    if (g == SIZE_MAX)
      return invdes_error_set(err, INVDES_ERR_INFEASIBLE, "no untried "
                              "candidate is left");
    invdes_strategy_push_group(s, ctx, out, g);
    return INVDES_OK;
  }
  if (invdes_strategy_ctx_free_z(s, ctx, p->z))
    return invdes_strategy_push(s, ctx, out, p->x, p->z, err);
  double width = 1e-3;
  for (int t = 0; t < EVO_JITTER_TRIES; t++, width *= 1.5) {
    for (size_t j = 0; j < s->dim; j++) {
      double v = z[j] + width * (2 * gsl_rng_uniform(p->jitter) - 1);
      p->zt[j] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
    if ((st = invdes_strategy_canonical(s, p->zt, p->x, p->z, err))) return st;
    if (invdes_strategy_ctx_free_z(s, ctx, p->z))
      return invdes_strategy_push(s, ctx, out, p->x, p->z, err);
  }
  if (!p->fallback &&
      (st = invdes_sample_seq_new(INVDES_DESIGN_RANDOM, s->cube_dim, s->seed,
                                  p->fallback_stream, &p->fallback, err)))
    return st;
  return invdes_strategy_design_fill(s, ctx, p->fallback, 1, out, err);
}

/* Squared Euclidean distance from z to the nearest of n rows of Z. */
static double nearest2(const double *Z, size_t n, const double *z, size_t D) {
  double best = INFINITY;
  for (size_t i = 0; i < n; i++) {
    double d = 0;
    for (size_t j = 0; j < D && d < best; j++) {
      double t = Z[i * D + j] - z[j];
      d += t * t;
    }
    if (d < best) best = d;
  }
  return best;
}

typedef struct acq_rank {
  double a;
  size_t i;
} acq_rank;

static int acq_cmp(const void *pa, const void *pb) {
  const acq_rank *a = pa, *b = pb;
  if (a->a != b->a) return a->a < b->a ? -1 : 1;
  return a->i < b->i ? -1 : a->i > b->i;
}

invdes_status invdes_evo_push_best(invdes_strategy *s, invdes_strategy_ctx *ctx,
                                   invdes_evo_pusher *p, invdes_proposals *out,
                                   const double *Z, const double *acq,
                                   size_t m, size_t want, size_t *made,
                                   invdes_error *err) {
  size_t D = s->dim;
  const double tol2 = EVO_MODEL_MIN_DIST * EVO_MODEL_MIN_DIST;
  *made = 0;
  acq_rank *rk = malloc((m + 1) * sizeof *rk);
  if (!rk) return nomem(err);
  for (size_t i = 0; i < m; i++)
    rk[i] = (acq_rank){isnan(acq[i]) ? INFINITY : acq[i], i};
  qsort(rk, m, sizeof *rk, acq_cmp);
  invdes_status st = INVDES_OK;
  for (size_t k = 0; k < m && *made < want && !st; k++) {
    const double *z = Z + rk[k].i * D;
    if ((st = invdes_strategy_canonical(s, z, p->x, p->z, err))) break;
    if (s->cands) {
      size_t g = invdes_zset_find(&s->cands->index, p->z);
      if (g == SIZE_MAX || ctx->count[g] >= s->cands->g_size[g]) continue;
      invdes_strategy_push_group(s, ctx, out, g);
      ++*made;
      continue;
    }
    if (!invdes_strategy_ctx_free_z(s, ctx, p->z) ||
        nearest2(s->h_z, s->n_hist, p->z, D) < tol2 ||
        nearest2(ctx->pending_z, ctx->n_pending, p->z, D) < tol2 ||
        nearest2(out->z, out->n, p->z, D) < tol2)
      continue;
    if (!(st = invdes_strategy_push(s, ctx, out, p->x, p->z, err))) ++*made;
  }
  free(rk);
  return st;
}

void invdes_evo_random_z(const invdes_strategy *s, gsl_rng *r, double *x,
                         double *z) {
  if (invdes_space_is_pool(s->space)) {
    for (size_t j = 0; j < s->dim; j++) z[j] = gsl_rng_uniform(r);
    return;
  }
  double *u = z; /* cube_dim <= dim: the cube point is drawn into z first */
  for (int tries = 0; tries < 100; tries++) {
    for (size_t j = 0; j < s->cube_dim; j++) u[j] = gsl_rng_uniform(r);
    if (invdes_space_from_cube(s->space, u, x) &&
        invdes_space_encode(s->space, x, z, NULL) == INVDES_OK)
      return;
  }
  for (size_t j = 0; j < s->dim; j++) z[j] = gsl_rng_uniform(r);
}

/* ---- saved state ------------------------------------------------------------- */

uint64_t invdes_evo_fnv1a(const unsigned char *b, size_t n) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (size_t i = 0; i < n; i++) {
    h ^= b[i];
    h *= 0x100000001b3ULL;
  }
  return h;
}

static void put(invdes_evo_writer *w, const unsigned char *v, size_t n) {
  if (w->nomem) return;
  if (w->len + n > w->cap) {
    size_t cap = w->cap ? w->cap : 256;
    while (cap < w->len + n) cap *= 2;
    unsigned char *b = realloc(w->b, cap);
    if (!b) {
      w->nomem = 1;
      return;
    }
    w->b = b;
    w->cap = cap;
  }
  memcpy(w->b + w->len, v, n);
  w->len += n;
}

static void put_le(invdes_evo_writer *w, uint64_t v, int bytes) {
  unsigned char b[8];
  for (int i = 0; i < bytes; i++) b[i] = (unsigned char)(v >> (8 * i));
  put(w, b, (size_t)bytes);
}

void invdes_evo_write_begin(invdes_evo_writer *w, size_t dim, uint64_t mode) {
  memset(w, 0, sizeof *w);
  put_le(w, EVO_STATE_VERSION, 4);
  put_le(w, (uint64_t)dim, 4);
  put_le(w, mode, 8);
}

uint64_t invdes_evo_mode(const invdes_surrogate_type *surrogate) {
  if (!surrogate) return 0;
  const char *name = invdes_model_kind_name(surrogate);
  return invdes_evo_fnv1a((const unsigned char *)name, strlen(name)) | 1;
}

void invdes_evo_write_u64(invdes_evo_writer *w, uint64_t v) { put_le(w, v, 8); }

void invdes_evo_write_f64s(invdes_evo_writer *w, const double *v, size_t n) {
  for (size_t i = 0; i < n; i++) {
    uint64_t b;
    memcpy(&b, &v[i], sizeof b);
    put_le(w, b, 8);
  }
}

void invdes_evo_write_bytes(invdes_evo_writer *w, const unsigned char *v,
                            size_t n) {
  put(w, v, n);
}

invdes_status invdes_evo_write_end(invdes_evo_writer *w,
                                   unsigned char **payload, size_t *len,
                                   invdes_error *err) {
  if (!w->nomem) put_le(w, invdes_evo_fnv1a(w->b, w->len), 8);
  if (w->nomem) {
    free(w->b);
    memset(w, 0, sizeof *w);
    return nomem(err);
  }
  *payload = w->b;
  *len = w->len;
  memset(w, 0, sizeof *w);
  return INVDES_OK;
}

static uint64_t get_le(invdes_evo_reader *r, int bytes) {
  if (r->bad || r->len - r->pos < (size_t)bytes) {
    r->bad = 1;
    return 0;
  }
  uint64_t v = 0;
  for (int i = 0; i < bytes; i++) v |= (uint64_t)r->b[r->pos + i] << (8 * i);
  r->pos += (size_t)bytes;
  return v;
}

invdes_status invdes_evo_read_begin(invdes_evo_reader *r,
                                    const unsigned char *payload, size_t len,
                                    size_t dim, uint64_t mode, const char *what,
                                    invdes_error *err) {
  memset(r, 0, sizeof *r);
  if (len < 16)
    return invdes_error_set(err, INVDES_ERR_INVALID, "the saved %s state is "
                            "truncated (%zu bytes)", what, len);
  r->b = payload;
  r->len = len - 8;
  uint64_t sum = 0;
  for (int i = 0; i < 8; i++) sum |= (uint64_t)payload[r->len + i] << (8 * i);
  if (sum != invdes_evo_fnv1a(payload, r->len))
    return invdes_error_set(err, INVDES_ERR_INVALID, "the saved %s state is "
                            "corrupt (checksum mismatch)", what);
  uint64_t version = get_le(r, 4), d = get_le(r, 4);
  if (version != 1 && version != EVO_STATE_VERSION)
    return invdes_error_set(err, INVDES_ERR_INVALID, "the saved %s state has "
                            "version %llu; this build reads versions 1 to %d",
                            what, (unsigned long long)version,
                            EVO_STATE_VERSION);
  if (d != dim)
    return invdes_error_set(err, INVDES_ERR_INVALID, "the saved %s state is "
                            "for %llu dimensions, the space has %zu", what,
                            (unsigned long long)d, dim);
  /* version 1 had no mode word: it was written by a plain run */
  uint64_t saved = version == 1 ? 0 : get_le(r, 8);
  if (!r->bad && saved && mode && saved != mode)
    return invdes_error_set(err, INVDES_ERR_INVALID, "the saved %s state was "
                            "written with another surrogate than the "
                            "campaign's", what);
  if (!r->bad && saved != mode)
    return invdes_error_set(err, INVDES_ERR_INVALID, "the saved %s state was "
                            "written %s a surrogate, the campaign runs %s one",
                            what, saved ? "with" : "without",
                            mode ? "with" : "without");
  if (saved != mode)
    return invdes_error_set(err, INVDES_ERR_INVALID, "the saved %s state is "
                            "truncated", what);
  return INVDES_OK;
}

uint64_t invdes_evo_read_u64(invdes_evo_reader *r) { return get_le(r, 8); }

void invdes_evo_read_f64s(invdes_evo_reader *r, double *v, size_t n) {
  for (size_t i = 0; i < n; i++) {
    uint64_t b = get_le(r, 8);
    memcpy(&v[i], &b, sizeof b);
  }
}

void invdes_evo_read_bytes(invdes_evo_reader *r, unsigned char *v, size_t n) {
  if (r->bad || r->len - r->pos < n) {
    r->bad = 1;
    return;
  }
  memcpy(v, r->b + r->pos, n);
  r->pos += n;
}

invdes_status invdes_evo_read_end(const invdes_evo_reader *r,
                                  const char *what, invdes_error *err) {
  if (r->bad || r->pos != r->len)
    return invdes_error_set(err, INVDES_ERR_INVALID, "the saved %s state has "
                            "the wrong length", what);
  return INVDES_OK;
}
