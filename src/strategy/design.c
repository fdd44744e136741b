/* design.c — the design strategies random, sobol and lhs, the
 * fixed design lists they and model-based strategies share, and the initial
 * design (strategy_impl.h).
 *
 *  - random: each ask draws from the stream (iteration, 0): uniform points of
 *    the feasible region (finite spaces: uniform among untried candidates).
 *    Pure in the sense (a) of strategy.h; no saved state.
 *  - sobol: one shifted Sobol sequence per campaign (stream (FIXED, 0)),
 *    continued from ask to ask; its position (sequence points consumed,
 *    rejected ones included) is the saved state (b), 8 bytes little-endian.
 *  - lhs: Latin hypercubes of budget.evaluations points (round r from the
 *    stream (FIXED, 2 + r)), handed out in order, skipping points already
 *    told or pending; a new round follows when one is used up. Pure (a).
 * A design list is a function of the seed alone, generated on demand and
 * never saved; a cursor skips the entries the history already holds (a
 * cache: a rebuilt strategy recomputes it). This file fits no models. */
#include "strategy_impl.h"

#include <stdlib.h>
#include <string.h>

#include "rng.h"

/* GSL's Sobol generator has 30 bits per coordinate and gives 2^30 - 1
 * points (sample.h). */
#define SOBOL_MAX_POS ((UINT64_C(1) << 30) - 1)

static invdes_status nomem(invdes_error *err) {
  return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
}

static uint64_t fixed_stream(uint64_t k) {
  return invdes_rng_stream_id(INVDES_STRATEGY_FIXED_ITERATION, k);
}

/* ---- design lists ---------------------------------------------------------- */

struct invdes_design_list {
  invdes_design_kind kind;
  size_t round_size;
  uint64_t k0;              /* round r draws from fixed stream k0 + r */
  int max_rounds;           /* 0: unlimited */
  size_t n_rounds;
  size_t n, cap;            /* entries */
  double *x, *z;
  int done;                 /* no further round can be made */
  size_t cursor;            /* entries before it are all told */
  uint64_t epoch;           /* marks epoch the cursor belongs to */
  invdes_strategy_ctx gen;  /* what the rounds so far hold */
};

void invdes_design_list_free(invdes_design_list *l) {
  if (!l) return;
  free(l->x);
  free(l->z);
  free(l->gen.count);
  invdes_zset_free(&l->gen.extra);
  free(l);
}

static invdes_status list_round(invdes_strategy *s, invdes_design_list *l,
                                invdes_error *err) {
  size_t want = l->round_size;
  if (s->cands && want > l->gen.untaken) want = l->gen.untaken;
  if (!want || (l->max_rounds && l->n_rounds >= (size_t)l->max_rounds)) {
    l->done = 1;
    return INVDES_OK;
  }
  if (l->n + want > l->cap) {
    size_t cap = l->cap ? l->cap : want;
    while (cap < l->n + want) cap *= 2;
    double *x = realloc(l->x, (cap * s->n_vars + 1) * sizeof *x);
    if (x) l->x = x;
    double *z = realloc(l->z, (cap * s->dim + 1) * sizeof *z);
    if (z) l->z = z;
    if (!x || !z) return nomem(err);
    l->cap = cap;
  }
  invdes_proposals *p = invdes_proposals_new(s, want);
  if (!p) return nomem(err);
  invdes_sample_seq *seq = NULL;
  invdes_status st =
      invdes_sample_seq_new(l->kind, s->cube_dim, s->seed,
                            fixed_stream(l->k0 + l->n_rounds), &seq, err);
  if (!st) st = invdes_strategy_design_fill(s, &l->gen, seq, want, p, err);
  invdes_sample_seq_free(seq);
  if (!st) {
    memcpy(l->x + l->n * s->n_vars, p->x, p->n * s->n_vars * sizeof *p->x);
    memcpy(l->z + l->n * s->dim, p->z, p->n * s->dim * sizeof *p->z);
    l->n += p->n;
    l->n_rounds++;
  }
  invdes_proposals_free(p);
  return st;
}

invdes_status invdes_design_list_new(invdes_strategy *s,
                                     invdes_design_kind kind,
                                     size_t round_size,
                                     uint64_t first_stream_k, int rounds,
                                     invdes_design_list **out,
                                     invdes_error *err) {
  *out = NULL;
  invdes_design_list *l = calloc(1, sizeof *l);
  if (!l) return nomem(err);
  l->kind = kind;
  l->round_size = round_size;
  l->k0 = first_stream_k;
  l->max_rounds = rounds;
  l->epoch = s->marks_epoch;
  invdes_zset_init(&l->gen.extra, s->dim);
  if (s->cands) {
    l->gen.count = calloc(s->cands->n_groups + 1, sizeof *l->gen.count);
    l->gen.untaken = s->cands->n;
    if (!l->gen.count) {
      invdes_design_list_free(l);
      return nomem(err);
    }
  }
  invdes_status st = list_round(s, l, err);
  if (st) {
    invdes_design_list_free(l);
    return st;
  }
  *out = l;
  return INVDES_OK;
}

/* 1 when z can never be proposed again: the history holds it (finite: all
 * of its group). */
static int told_full(const invdes_strategy *s, const double *z) {
  if (s->cands) {
    size_t g = invdes_zset_find(&s->cands->index, z);
    return g == SIZE_MAX || s->h_count[g] >= s->cands->g_size[g];
  }
  return invdes_zset_find(&s->hist_set, z) != SIZE_MAX;
}

invdes_status invdes_design_list_take(invdes_strategy *s,
                                      invdes_design_list *l,
                                      invdes_strategy_ctx *ctx, size_t n,
                                      invdes_proposals *out,
                                      invdes_error *err) {
  if (l->epoch != s->marks_epoch) {
    l->cursor = 0;
    l->epoch = s->marks_epoch;
  }
  while (l->cursor < l->n && told_full(s, l->z + l->cursor * s->dim))
    l->cursor++;
  size_t target = out->n + n;
  invdes_status st = INVDES_OK;
  for (size_t i = l->cursor; out->n < target && !st; i++) {
    if (i == l->n) {
      if (l->done || (st = list_round(s, l, err)) || i == l->n) break;
    }
    const double *z = l->z + i * s->dim;
    if (!invdes_strategy_ctx_free_z(s, ctx, z)) continue;
    if (s->cands)
      invdes_strategy_push_group(s, ctx, out,
                                 invdes_zset_find(&s->cands->index, z));
    else
      st = invdes_strategy_push(s, ctx, out, l->x + i * s->n_vars, z, err);
  }
  return st;
}

invdes_status invdes_strategy_initial_design(invdes_strategy *s,
                                             invdes_strategy_ctx *ctx,
                                             size_t n, invdes_proposals *out,
                                             size_t *made, invdes_error *err) {
  *made = 0;
  if (s->spec.initial_count <= 0 || !n) return INVDES_OK;
  invdes_status st = INVDES_OK;
  if (!s->initial)
    st = invdes_design_list_new(s, s->spec.initial_design,
                                (size_t)s->spec.initial_count,
                                INVDES_STRATEGY_K_INITIAL, 1, &s->initial,
                                err);
  if (st) return st;
  size_t before = out->n;
  st = invdes_design_list_take(s, s->initial, ctx, n, out, err);
  *made = out->n - before;
  return st;
}

/* ---- random ---------------------------------------------------------------- */

invdes_status invdes_strategy_random_fill(invdes_strategy *s,
                                          invdes_strategy_ctx *ctx,
                                          uint64_t k, size_t n,
                                          invdes_proposals *out,
                                          invdes_error *err) {
  invdes_sample_seq *seq = NULL;
  invdes_status st = invdes_sample_seq_new(
      INVDES_DESIGN_RANDOM, s->cube_dim, s->seed,
      invdes_rng_stream_id(ctx->iteration, k), &seq, err);
  if (!st) st = invdes_strategy_design_fill(s, ctx, seq, n, out, err);
  invdes_sample_seq_free(seq);
  return st;
}

static invdes_status random_ask(invdes_strategy *s, invdes_strategy_ctx *ctx,
                                size_t n, invdes_proposals *out,
                                invdes_error *err) {
  return invdes_strategy_random_fill(s, ctx, 0, n, out, err);
}

const invdes_strategy_type invdes_strategy_random = {
    .name = "random", .flags = INVDES_STRATEGY_POOL, .ask = random_ask};

/* ---- sobol ------------------------------------------------------------------- */

typedef struct sobol_impl {
  invdes_sample_seq *seq;   /* NULL after a failed seek */
  uint64_t pos;             /* committed position: after the last good ask */
} sobol_impl;

/* Restarts the sequence and advances it to pos. */
static invdes_status sobol_seek(invdes_strategy *s, uint64_t pos,
                                invdes_error *err) {
  sobol_impl *b = s->impl;
  invdes_sample_seq_free(b->seq);
  b->seq = NULL;
  invdes_status st = invdes_sample_seq_new(
      INVDES_DESIGN_SOBOL, s->cube_dim, s->seed,
      fixed_stream(INVDES_STRATEGY_K_SOBOL), &b->seq, err);
  if (!st) st = invdes_sample_seq_seek(b->seq, pos, err);
  if (st) {
    invdes_sample_seq_free(b->seq);
    b->seq = NULL;
  } else {
    b->pos = pos;
  }
  return st;
}

static invdes_status sobol_init(invdes_strategy *s, invdes_error *err) {
  if (!(s->impl = calloc(1, sizeof(sobol_impl)))) return nomem(err);
  return sobol_seek(s, 0, err);
}

static void sobol_destroy(invdes_strategy *s) {
  sobol_impl *b = s->impl;
  if (!b) return;
  invdes_sample_seq_free(b->seq);
  free(b);
}

static invdes_status sobol_ask(invdes_strategy *s, invdes_strategy_ctx *ctx,
                               size_t n, invdes_proposals *out,
                               invdes_error *err) {
  sobol_impl *b = s->impl;
  invdes_status st = b->seq ? INVDES_OK : sobol_seek(s, b->pos, err);
  if (!st && b->pos + n > SOBOL_MAX_POS)
    st = invdes_error_set(err, INVDES_ERR_INFEASIBLE, "the Sobol sequence is "
                          "used up (%llu points)", (unsigned long long)b->pos);
  if (!st) st = invdes_strategy_design_fill(s, ctx, b->seq, n, out, err);
  if (st) {
    invdes_error keep;
    invdes_error_clear(&keep);
    sobol_seek(s, b->pos, &keep);
    return st;
  }
  b->pos = invdes_sample_seq_pos(b->seq);
  return INVDES_OK;
}

static invdes_status sobol_save(const invdes_strategy *s,
                                unsigned char **payload, size_t *len,
                                invdes_error *err) {
  const sobol_impl *b = s->impl;
  unsigned char *p = malloc(8);
  if (!p) return nomem(err);
  for (int i = 0; i < 8; i++) p[i] = (unsigned char)(b->pos >> (8 * i));
  *payload = p;
  *len = 8;
  return INVDES_OK;
}

static invdes_status sobol_load(invdes_strategy *s,
                                const unsigned char *payload, size_t len,
                                invdes_error *err) {
  if (!payload) return sobol_seek(s, 0, err);
  if (len != 8)
    return invdes_error_set(err, INVDES_ERR_INVALID, "the saved sobol state "
                            "has %zu bytes, not 8", len);
  uint64_t pos = 0;
  for (int i = 0; i < 8; i++) pos |= (uint64_t)payload[i] << (8 * i);
  if (pos > SOBOL_MAX_POS)
    return invdes_error_set(err, INVDES_ERR_INVALID, "the saved sobol "
                            "position %llu is beyond the sequence",
                            (unsigned long long)pos);
  return sobol_seek(s, pos, err);
}

const invdes_strategy_type invdes_strategy_sobol = {
    .name = "sobol", .init = sobol_init, .destroy = sobol_destroy,
    .ask = sobol_ask, .save = sobol_save, .load = sobol_load};

/* ---- lhs --------------------------------------------------------------------- */

static invdes_status lhs_init(invdes_strategy *s, invdes_error *err) {
  if (s->c->budget.evaluations < 1)
    return invdes_error_set(err, INVDES_ERR_INVALID, "the lhs strategy cuts "
                            "the space into budget.evaluations strata, and "
                            "the campaign has no budget");
  invdes_design_list *l = NULL;
  invdes_status st = invdes_design_list_new(
      s, INVDES_DESIGN_LHS, (size_t)s->c->budget.evaluations,
      INVDES_STRATEGY_K_LHS, 0, &l, err);
  s->impl = l;
  return st;
}

static void lhs_destroy(invdes_strategy *s) {
  invdes_design_list_free(s->impl);
}

static invdes_status lhs_ask(invdes_strategy *s, invdes_strategy_ctx *ctx,
                             size_t n, invdes_proposals *out,
                             invdes_error *err) {
  return invdes_design_list_take(s, s->impl, ctx, n, out, err);
}

const invdes_strategy_type invdes_strategy_lhs = {
    .name = "lhs", .flags = INVDES_STRATEGY_USES_BUDGET, .init = lhs_init,
    .destroy = lhs_destroy, .ask = lhs_ask};
