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
 * Resume. The GP hyper-parameters are carried from ask to ask: each fit
 * runs L-BFGS from the previous ask's values (at most 50 likelihood
 * evaluations), and every 8th iteration, or when nothing is carried, three
 * random starts join it (bo_model.c). They are the saved state (b)
 * of strategy.h, written after every ask, so an ask is
 * a function of (seed, iteration, told history, pending, saved state) and a
 * resumed campaign continues bit for bit. The blob: "BO", version 1, T and D
 * (u32), then per target a byte `have` and, when set, D length scales, the
 * signal and the noise variance (IEEE doubles), all little-endian. The
 * forest needs no state. This file fits no model itself. */
#include "bo.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>


#define BO_BLOB_VERSION 1

static invdes_status nomem(invdes_error *err) {
  return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
}

typedef struct bo_impl {
  bo_hyper *hyper;        /* committed: the last successful ask's */
  bo_hyper *next;         /* what the running ask fits */
  double *ls;             /* 2 × T × D length scales behind both */
} bo_impl;

static void bo_destroy(invdes_strategy *s) {
  bo_impl *b = s->impl;
  if (!b) return;
  free(b->hyper);
  free(b->next);
  free(b->ls);
  free(b);
  s->impl = NULL;
}

static invdes_status bo_init(invdes_strategy *s, invdes_error *err) {
  int goals = 0;
  for (size_t t = 0; t < s->n_targets && t < s->c->n_targets; t++) goals++;
  if (!goals)
    return invdes_error_set(err, INVDES_ERR_INVALID, "the bo strategy needs "
                            "at least one target with a goal");
  bo_impl *b = calloc(1, sizeof *b);
  if (!b) return nomem(err);
  s->impl = b;
  size_t T = s->n_targets, D = s->dim;
  b->hyper = calloc(T + 1, sizeof *b->hyper);
  b->next = calloc(T + 1, sizeof *b->next);
  b->ls = calloc(2 * T * D + 1, sizeof *b->ls);
  if (!b->hyper || !b->next || !b->ls) return nomem(err);
  for (size_t t = 0; t < T; t++) {
    b->hyper[t].ls = b->ls + t * D;
    b->next[t].ls = b->ls + (T + t) * D;
  }
  return INVDES_OK;
}

static void hyper_copy(bo_hyper *to, const bo_hyper *from, size_t D) {
  to->have = from->have;
  memcpy(to->ls, from->ls, D * sizeof *to->ls);
  to->signal = from->signal;
  to->noise = from->noise;
}

static invdes_status bo_ask(invdes_strategy *s, invdes_strategy_ctx *ctx,
                            size_t n, invdes_proposals *out,
                            invdes_error *err) {
  bo_impl *b = s->impl;
  size_t made = 0, T = s->n_targets, D = s->dim;
  invdes_status st = invdes_strategy_initial_design(s, ctx, n, out, &made, err);
  if (st || out->n == n) return st;
  for (size_t t = 0; t < T; t++) hyper_copy(&b->next[t], &b->hyper[t], D);
  bo_model m;
  int usable = 0;
  st = bo_model_build(s, ctx->iteration, b->hyper, b->next, &m, &usable, err);
  if (!st && !usable)
    st = invdes_strategy_random_fill(s, ctx, BO_K_FALLBACK, n - out->n, out,
                                     err);
  if (!st && usable) {
    size_t start = out->n;
    st = bo_model_condition(&m, ctx->pending_z, ctx->n_pending, err);
    if (!st) st = bo_model_condition(&m, out->z, out->n, err);
    if (!st) st = bo_select(s, ctx, &m, n - out->n, out, err);
    if (!st)
      st = bo_model_report(&m, out->z + start * D, out->n - start,
                           out->pred_mean + start * T, out->pred_sd + start * T,
                           err);
  }
  bo_model_free(&m);
  if (!st) { /* commit the fitted hyper-parameters */
    bo_hyper *h = b->hyper;
    b->hyper = b->next;
    b->next = h;
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
  size_t T = s->n_targets, D = s->dim, n = BO_BLOB_HEAD + T;
  for (size_t t = 0; t < T; t++)
    if (b->hyper[t].have) n += 8 * (D + 2);
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
    for (size_t j = 0; j < D; j++, q += 8) put_f64(q, h->ls[j]);
    put_f64(q, h->signal);
    put_f64(q + 8, h->noise);
    q += 16;
  }
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
  size_t T = s->n_targets, D = s->dim;
  if (!payload) {
    for (size_t t = 0; t < T; t++) b->hyper[t].have = 0;
    return INVDES_OK;
  }
  if (len < BO_BLOB_HEAD || payload[0] != 'B' || payload[1] != 'O')
    return bad_blob("no bo header", err);
  if (payload[2] != BO_BLOB_VERSION) return bad_blob("unknown version", err);
  if (get_u32(payload + 3) != T || get_u32(payload + 7) != D)
    return bad_blob("written for another number of targets or dimensions",
                    err);
  /* check everything before changing anything */
  const unsigned char *q = payload + BO_BLOB_HEAD, *end = payload + len;
  for (size_t t = 0; t < T; t++) {
    if (q >= end) return bad_blob("truncated", err);
    unsigned char have = *q++;
    if (have > 1) return bad_blob("corrupt", err);
    if (!have) continue;
    if ((size_t)(end - q) < 8 * (D + 2)) return bad_blob("truncated", err);
    for (size_t j = 0; j < D + 2; j++) {
      double v = get_f64(q + 8 * j);
      if (!isfinite(v) || v < 0 || (j < D + 1 && v == 0))
        return bad_blob("a hyper-parameter out of range", err);
    }
    q += 8 * (D + 2);
  }
  if (q != end) return bad_blob("trailing bytes", err);
  q = payload + BO_BLOB_HEAD;
  for (size_t t = 0; t < T; t++) {
    bo_hyper *h = &b->hyper[t];
    h->have = *q++;
    if (!h->have) continue;
    for (size_t j = 0; j < D; j++, q += 8) h->ls[j] = get_f64(q);
    h->signal = get_f64(q);
    h->noise = get_f64(q + 8);
    q += 16;
  }
  return INVDES_OK;
}

const invdes_strategy_ops invdes_strategy_bo_ops = {
    INVDES_STRATEGY_BO, "bo", bo_init, bo_destroy, bo_ask, bo_save, bo_load};
