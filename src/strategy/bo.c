/* bo.c — the bo strategy (Bayesian optimization) behind the
 * ask/tell interface of strategy.h: the phases of an ask and the saved state.
 *
 * An ask hands out, in order: the untried points of the initial design
 * (spec.initial_count points of spec.initial_design, strategy_impl.h); then,
 * once every objective target (with none, some constraint target) has at
 * least two values, points chosen by the model (bo_model.c,
 * bo_opt.c), with the pending points and the batch's earlier points
 * conditioned in; before that, uniform random points from the stream
 * (iteration, BO_K_FALLBACK).
 *
 * Resume. The surrogate's hyper-parameters, for a kind that carries some
 * (surrogate_type.h: the GP), go from ask to ask: each fit runs L-BFGS from
 * the previous ask's values (at most 50 likelihood evaluations), and every
 * 8th iteration, or when nothing is carried, three random starts join it
 * (bo_model.c). They are the saved state (b)
 * of strategy.h, written after every ask, so an ask is
 * a function of (seed, iteration, told history, pending, saved state) and a
 * resumed campaign continues bit for bit. The second basin's descent
 * (bo_basin.c) goes on while the last point in flight is the last basin
 * point proposed, so that point is saved too. The blob: "BO", version 2, T
 * and D (u32), then per target a byte `have` and, when set, the kind's H
 * carried values (the GP: D length scales, the signal and the noise
 * variance; IEEE doubles), then a byte and, when set, the last basin
 * point (D doubles, z), all little-endian. Version 1 (before the basin)
 * ends after the targets and still loads. A kind with nothing to carry
 * (H = 0) saves `have` 0 for every target. This file reads bo's options
 * and fits no model itself. */
#include "bo.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BO_BLOB_VERSION 2

static invdes_status nomem(invdes_error *err) {
  return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
}

typedef struct bo_impl {
  bo_hyper *hyper;        /* committed: the last successful ask's */
  bo_hyper *next;         /* what the running ask fits */
  double *vals;           /* 2 × T × H values behind both */
  size_t H;               /* values carried per target (0: none) */
  double *basin, *basin_next; /* the last basin point proposed (D, z):
                                 committed and the running ask's */
  int basin_have;         /* basin holds one */
  bo_cache *cache;        /* models kept between asks (a memo, not state) */
} bo_impl;

bo_cache *bo_strategy_cache(invdes_strategy *s) {
  return s->impl ? ((bo_impl *)s->impl)->cache : NULL;
}

static void bo_destroy(invdes_strategy *s) {
  bo_impl *b = s->impl;
  if (!b) return;
  free(b->hyper);
  free(b->next);
  free(b->vals);
  free(b->basin);
  free(b->basin_next);
  bo_cache_free(b->cache);
  free(b);
  s->impl = NULL;
}

/* ---- options ------------------------------------------------------------- */

static const char *const kernels[] = {"matern52", "sqexp", NULL};
static const char *const acquisitions[] = {"ei", "logei", "ucb", "pi", NULL};
static const char *const hypers[] = {"ml", "mcmc", NULL};

void bo_options_defaults(invdes_bo_options *o) {
  memset(o, 0, sizeof *o);
  o->surrogate = invdes_surrogate_type_find("gp");
  invdes_surrogate_options_init(&o->model);
  o->kernel = INVDES_KERNEL_MATERN52;
  o->acquisition = INVDES_ACQ_EI;
  o->hyper = INVDES_HYPER_AUTO;
}

static void *bo_options_new(void) {
  invdes_bo_options *o = malloc(sizeof *o);
  if (o) bo_options_defaults(o);
  return o;
}

/* `surrogate: NAME` or `surrogate: {kind: NAME, SETTING: number, ...}`. */
static void read_surrogate(invdes_cload *L, const invdes_ynode *v, invdes_bo_options *o) {
  const invdes_ynode *name = v;
  int mapping = v->kind == INVDES_YNODE_MAPPING;
  if (mapping && !(name = invdes_cload_get(v, "kind"))) {
    invdes_cload_error(L, v, INVDES_ERR_INVALID, "'surrogate' has no 'kind' (one of the "
                       "surrogates, e.g. gp)");
    return;
  }
  int k = invdes_cload_choice(L, name, "surrogate", invdes_surrogate_type_names());
  if (k < 0) return;
  o->surrogate = invdes_surrogate_type_at((size_t)k);
  if (!mapping) return;
  const char *known[INVDES_SURROGATE_MAX_SETTINGS + 2] = {"kind"};
  const char *const *keys = invdes_surrogate_type_keys(o->surrogate);
  for (size_t i = 0; keys[i] && i < INVDES_SURROGATE_MAX_SETTINGS; i++) known[i + 1] = keys[i];
  invdes_cload_keys(L, v, "strategy.surrogate", known);
  for (size_t i = 0; i < v->n; i++) {
    const char *key = v->keys[i]->text;
    size_t j = 0;
    while (keys[j] && strcmp(keys[j], key) != 0) j++;
    double x;
    char what[80];
    snprintf(what, sizeof what, "'%.60s'", key);
    if (!keys[j] || !invdes_cload_number(L, v->items[i], what, &x)) continue;
    invdes_error e;
    invdes_error_clear(&e);
    if (invdes_surrogate_options_set(&o->model, o->surrogate, key, x, &e))
      invdes_cload_error(L, v->items[i], e.status, "%s", e.message);
  }
}

/* "'kernel' applies to the gp surrogate only": the kinds that take one. */
static void kernel_refused(invdes_cload *L, const invdes_ynode *at) {
  char kinds[160] = "";
  size_t len = 0, n = 0;
  const invdes_surrogate_type *t;
  for (size_t i = 0; (t = invdes_surrogate_type_at(i)) && len < sizeof kinds; i++)
    if (invdes_surrogate_type_caps(t) & INVDES_SURROGATE_KERNEL)
      len += (size_t)snprintf(kinds + len, sizeof kinds - len, "%s%s", n++ ? ", " : "",
                              invdes_model_kind_name(t));
  invdes_cload_error(L, at, INVDES_ERR_INVALID, "'kernel' applies to the %s surrogate%s only",
                     kinds, n == 1 ? "" : "s");
}

static void bo_options_read(invdes_cload *L, const invdes_ynode *n, void *options) {
  invdes_bo_options *o = options;
  const invdes_ynode *v;
  if ((v = invdes_cload_get(n, "surrogate"))) read_surrogate(L, v, o);
  if ((v = invdes_cload_get(n, "kernel"))) {
    int k = invdes_cload_choice(L, v, "kernel", kernels);
    if (k >= 0) o->kernel = (invdes_kernel_kind)k;
    if (!(invdes_surrogate_type_caps(o->surrogate) & INVDES_SURROGATE_KERNEL))
      kernel_refused(L, invdes_cload_key_node(n, "kernel"));
  }
  if ((v = invdes_cload_get(n, "acquisition"))) {
    int k = invdes_cload_choice(L, v, "acquisition", acquisitions);
    if (k >= 0) o->acquisition = (invdes_acquisition_kind)k;
  }
  if ((v = invdes_cload_get(n, "hyper"))) {
    int k = invdes_cload_choice(L, v, "hyper", hypers);
    if (k >= 0) o->hyper = (invdes_hyper_kind)k;
    if (o->hyper == INVDES_HYPER_MCMC &&
        !(invdes_surrogate_type_caps(o->surrogate) & INVDES_SURROGATE_KERNEL))
      invdes_cload_error(L, invdes_cload_key_node(n, "hyper"), INVDES_ERR_INVALID,
                         "'hyper: mcmc' applies to a surrogate with hyper-parameters (gp) only");
  }
}

/* "surrogate gp, kernel matern52, acquisition ei": the kernel only for a
 * kind that takes one, a surrogate's settings in braces. */
static void bo_options_describe(const void *options, char *buf, size_t size) {
  invdes_bo_options def;
  const invdes_bo_options *o = options;
  if (!o) {
    bo_options_defaults(&def);
    o = &def;
  }
  size_t len = (size_t)snprintf(buf, size, "surrogate %s", invdes_model_kind_name(o->surrogate));
  for (size_t i = 0; i < o->model.n_settings && len < size; i++)
    len += (size_t)snprintf(buf + len, size - len, "%s%s %g", i ? ", " : " {",
                            o->model.settings[i].key, o->model.settings[i].value);
  if (o->model.n_settings && len < size) len += (size_t)snprintf(buf + len, size - len, "}");
  if ((invdes_surrogate_type_caps(o->surrogate) & INVDES_SURROGATE_KERNEL) && len < size)
    len += (size_t)snprintf(buf + len, size - len, ", kernel %s", kernels[o->kernel]);
  if (len < size) len += (size_t)snprintf(buf + len, size - len, ", acquisition %s",
                                          acquisitions[o->acquisition]);
  if (o->hyper != INVDES_HYPER_AUTO && len < size)
    snprintf(buf + len, size - len, ", hyper %s", hypers[o->hyper]);
}

/* ---- operations ------------------------------------------------------------ */

static invdes_status bo_init(invdes_strategy *s, invdes_error *err) {
  int goals = 0;
  for (size_t t = 0; t < s->n_targets && t < s->c->n_targets; t++) goals++;
  if (!goals)
    return invdes_error_set(err, INVDES_ERR_INVALID, "the bo strategy needs "
                            "at least one target with a goal");
  bo_impl *b = calloc(1, sizeof *b);
  if (!b) return nomem(err);
  s->impl = b;
  size_t T = s->n_targets;
  invdes_bo_options dflt;
  const invdes_bo_options *o = s->spec.options;
  if (!o) bo_options_defaults(&dflt), o = &dflt;
  b->H = invdes_surrogate_type_hyper_size(o->surrogate, s->dim);
  b->hyper = calloc(T + 1, sizeof *b->hyper);
  b->next = calloc(T + 1, sizeof *b->next);
  b->vals = calloc(2 * T * b->H + 1, sizeof *b->vals);
  if (b->H && !(b->cache = bo_cache_new(T, s->dim, b->H))) return nomem(err);
  b->basin = calloc(s->dim + 1, sizeof *b->basin);
  b->basin_next = calloc(s->dim + 1, sizeof *b->basin_next);
  if (!b->hyper || !b->next || !b->vals || !b->basin || !b->basin_next) return nomem(err);
  for (size_t t = 0; t < T; t++) {
    b->hyper[t].h = b->vals + t * b->H;
    b->next[t].h = b->vals + (T + t) * b->H;
  }
  return INVDES_OK;
}

static void hyper_copy(bo_hyper *to, const bo_hyper *from, size_t H) {
  to->have = from->have;
  memcpy(to->h, from->h, H * sizeof *to->h);
}

static invdes_status bo_ask(invdes_strategy *s, invdes_strategy_ctx *ctx,
                            size_t n, invdes_proposals *out,
                            invdes_error *err) {
  bo_impl *b = s->impl;
  size_t made = 0, T = s->n_targets, D = s->dim;
  invdes_status st = invdes_strategy_initial_design(s, ctx, n, out, &made, err);
  if (st || out->n == n) return st;
  for (size_t t = 0; t < T; t++) hyper_copy(&b->next[t], &b->hyper[t], b->H);
  bo_model m;
  int usable = 0;
  st = bo_model_build(s, ctx->iteration, b->hyper, b->next, &m, &usable, err);
  if (!st && !usable)
    st = invdes_strategy_random_fill(s, ctx, BO_K_FALLBACK, n - out->n, out,
                                     err);
  if (!st && usable) {
    size_t start = out->n;
    m.basin_prev = b->basin_have ? b->basin : NULL;
    m.basin_pick = b->basin_next;
    st = bo_model_condition(&m, ctx->pending_z, ctx->n_pending, err);
    if (!st) st = bo_model_condition(&m, out->z, out->n, err);
    if (!st) st = bo_select(s, ctx, &m, n - out->n, out, err);
    if (!st)
      st = bo_model_report(&m, out->z + start * D, out->n - start,
                           out->pred_mean + start * T, out->pred_sd + start * T,
                           err);
  }
  int picked = usable && m.basin_picked;
  bo_model_free(&m);
  if (!st) { /* commit the fitted hyper-parameters and the basin point */
    bo_hyper *h = b->hyper;
    b->hyper = b->next;
    b->next = h;
    if (picked) {
      memcpy(b->basin, b->basin_next, D * sizeof *b->basin);
      b->basin_have = 1;
    }
  }
  return st;
}

/* ---- saved state ------------------------------------------------------------ */

static void put_u64(unsigned char *p, uint64_t v) {
  for (int i = 0; i < 8; i++) p[i] = (unsigned char)(v >> (8 * i));
}
static uint64_t get_u64(const unsigned char *p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v |= (uint64_t)p[i] << (8 * i);
  return v;
}
static void put_f64(unsigned char *p, double d) {
  uint64_t v;
  memcpy(&v, &d, sizeof v);
  put_u64(p, v);
}
static double get_f64(const unsigned char *p) {
  uint64_t v = get_u64(p);
  double d;
  memcpy(&d, &v, sizeof d);
  return d;
}
static void put_u32(unsigned char *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (8 * i));
}
static uint32_t get_u32(const unsigned char *p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; i++) v |= (uint32_t)p[i] << (8 * i);
  return v;
}

#define BO_BLOB_HEAD 11 /* "BO", version, T, D */

static invdes_status bo_save(const invdes_strategy *s, unsigned char **payload,
                             size_t *len, invdes_error *err) {
  const bo_impl *b = s->impl;
  size_t T = s->n_targets, D = s->dim, H = b->H, n = BO_BLOB_HEAD + T;
  for (size_t t = 0; t < T; t++)
    if (b->hyper[t].have) n += 8 * H;
  n += 1 + (b->basin_have ? 8 * D : 0);
  unsigned char *p = malloc(n), *q = p;
  if (!p) return nomem(err);
  q[0] = 'B';
  q[1] = 'O';
  q[2] = BO_BLOB_VERSION;
  put_u32(q + 3, (uint32_t)T);
  put_u32(q + 7, (uint32_t)D);
  q += BO_BLOB_HEAD;
  for (size_t t = 0; t < T; t++) {
    const bo_hyper *h = &b->hyper[t];
    *q++ = (unsigned char)(h->have != 0);
    if (!h->have) continue;
    for (size_t j = 0; j < H; j++, q += 8) put_f64(q, h->h[j]);
  }
  *q++ = (unsigned char)(b->basin_have != 0);
  for (size_t j = 0; b->basin_have && j < D; j++, q += 8) put_f64(q, b->basin[j]);
  *payload = p;
  *len = n;
  return INVDES_OK;
}

static invdes_status bad_blob(const char *why, invdes_error *err) {
  return invdes_error_set(err, INVDES_ERR_INVALID, "the saved bo state is "
                          "not usable: %s", why);
}

static invdes_status bo_load(invdes_strategy *s, const unsigned char *payload,
                             size_t len, invdes_error *err) {
  bo_impl *b = s->impl;
  size_t T = s->n_targets, D = s->dim, H = b->H;
  if (!payload) {
    for (size_t t = 0; t < T; t++) b->hyper[t].have = 0;
    b->basin_have = 0;
    return INVDES_OK;
  }
  if (len < BO_BLOB_HEAD || payload[0] != 'B' || payload[1] != 'O')
    return bad_blob("no bo header", err);
  unsigned version = payload[2];
  if (version != 1 && version != BO_BLOB_VERSION) return bad_blob("unknown version", err);
  if (get_u32(payload + 3) != T || get_u32(payload + 7) != D)
    return bad_blob("written for another number of targets or dimensions",
                    err);
  /* check everything before changing anything */
  const invdes_bo_options *o = s->spec.options;
  invdes_bo_options dflt;
  if (!o) bo_options_defaults(&dflt), o = &dflt;
  double *v = malloc((H + 1) * sizeof *v);
  if (!v) return nomem(err);
  const unsigned char *q = payload + BO_BLOB_HEAD, *end = payload + len;
  invdes_status st = INVDES_OK;
  for (size_t t = 0; t < T && !st; t++) {
    if (q >= end) { st = bad_blob("truncated", err); break; }
    unsigned char have = *q++;
    if (have > 1 || (have && H == 0)) { st = bad_blob("corrupt", err); break; }
    if (!have) continue;
    if ((size_t)(end - q) < 8 * H) { st = bad_blob("truncated", err); break; }
    for (size_t j = 0; j < H; j++) v[j] = get_f64(q + 8 * j);
    if (invdes_surrogate_type_hyper_check(o->surrogate, D, v, NULL) != INVDES_OK)
      st = bad_blob("a hyper-parameter out of range", err);
    q += 8 * H;
  }
  free(v);
  const unsigned char *basin = NULL; /* the last basin point (version 2) */
  unsigned char flag = 0;
  if (!st && version >= 2) {
    if (q == end) st = bad_blob("truncated", err);
    else if ((flag = *q++) > 1) st = bad_blob("corrupt", err);
  }
  if (!st && flag) {
    basin = q;
    if ((size_t)(end - q) < 8 * D) st = bad_blob("truncated", err);
    for (size_t j = 0; j < D && !st; j++, q += 8)
      if (!(get_f64(q) >= 0 && get_f64(q) <= 1))
        st = bad_blob("a basin coordinate outside [0, 1]", err);
  }
  if (!st && q != end) st = bad_blob("trailing bytes", err);
  if (st) return st;
  b->basin_have = basin != NULL;
  for (size_t j = 0; basin && j < D; j++) b->basin[j] = get_f64(basin + 8 * j);
  q = payload + BO_BLOB_HEAD;
  for (size_t t = 0; t < T; t++) {
    bo_hyper *h = &b->hyper[t];
    h->have = *q++;
    if (!h->have) continue;
    for (size_t j = 0; j < H; j++, q += 8) h->h[j] = get_f64(q);
  }
  return INVDES_OK;
}

static const char *const bo_keys[] = {"surrogate", "kernel", "acquisition", "hyper", NULL};

const invdes_strategy_type invdes_strategy_bo = {
    .name = "bo", .keys = bo_keys, .options_new = bo_options_new,
    .options_read = bo_options_read, .options_free = free,
    .options_describe = bo_options_describe,
    .initial_default = invdes_strategy_initial_default,
    .flags = INVDES_STRATEGY_POOL | INVDES_STRATEGY_SEVERAL_OBJECTIVES,
    .init = bo_init, .destroy = bo_destroy,
    .ask = bo_ask, .save = bo_save, .load = bo_load};
