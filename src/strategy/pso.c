/* pso.c — the `pso` strategy: inertia-weight particle swarm
 * optimization on the encoded z in [0,1]^D, asynchronous, for stations
 * and batches of any size.
 *
 * An ask first hands out the shared initial design (strategy_impl.h); the
 * swarm of the options' swarm particles is born at the first ask after it:
 * particles sit on the best told points (ranked by target.h), then
 * on points still pending and on the initial design's points of the same
 * batch (the particle waits for their outcome), then on a Sobol design (fixed stream PSO_K_SWARM), with velocities
 * (u - x) / 2 for uniform u, clamped. A particle is FRESH (its position not
 * yet handed out), WAITING (its proposal is pending) or READY (its proposal
 * was told). Each ask first absorbs the tells: a waiting particle whose
 * proposal is told updates its personal best (if better) and becomes
 * ready. Proposals are then made one at a time: the next non-waiting
 * particle in round-robin order (a cursor) is moved,
 *   v <- w v + c1 r1 (pbest - x) + c2 r2 (gbest - x),  |v_j| <= PSO_VMAX,
 *   x <- x + v, reflected at 0 and 1 (the velocity component reversed),
 * with r1, r2 uniform per dimension and gbest the best told point of the
 * whole history (initial design and late results included); a fresh
 * particle is handed out where it is. When every particle waits — a batch
 * larger than the swarm, or proposals that never return (abandoned) — the
 * particle waiting longest is moved again from its last known state (its
 * position, velocity and personal best as they are); a result for its
 * earlier proposal still counts for gbest. The particle's position stays
 * continuous; what is handed out is its canonical feasible point
 * (evo.h: nearest untried candidate in finite spaces, jitter when
 * taken).
 *
 * Randomness: ask at iteration t draws moves from (t, 0), the birth's
 * velocities from (t, 1), jitter from (t, 2) and the uniform fallback from
 * (t, 3). The swarm (positions, velocities, personal bests, proposals
 * handed out, phases, cursor) is the saved state (b); personal and global
 * best scores are looked up in the history at each ask, so a result that
 * gains targets later is ranked by its latest values.
 *
 * Swarm size. Unless the campaign sets one (a swarm below 2 is not set):
 * invdes_evo_budget_size (about sqrt(budget): 10 particles for 100
 * evaluations), 24 without a budget. 24 particles, the old default, fly
 * fewer than 4 moves each in a 100-evaluation run; measured over 10 seeds
 * at 100 evaluations, 8 to 12 particles did better than 16 and 24 on each
 * of six functions. The size is fixed when the campaign begins (the saved
 * state keeps it). Inertia 0.72, c1 = c2 = 1.49: Clerc's constriction.
 *
 * Surrogate-assisted (option surrogate), as the review's NCM study ran PSO
 * on a trained model: each ask fits the model to the history
 * (evo_model.c) and flies a swarm on it: of the swarm's size but at least
 * PSO_INNER_SWARM particles (a move on the model costs no evaluation;
 * measured, 10 particles on it searched the model too little), born on the
 * best told points (uniform points when there are fewer), it moves
 * PSO_INNER_GENERATIONS times with the update above, a personal or global best improving when
 * the model's optimistic bound at the new position is lower. The personal
 * bests with the lowest bound that are not told, pending or already
 * proposed are handed out. The swarm on the model is born anew at every
 * ask: one carried from ask to ask (measured) collapses onto one point
 * after a few hundred inner generations and then proposes only around it;
 * the told history, which the model learns, is the memory that carries.
 * Until the model can be fitted, and for a batch larger than the swarm,
 * the plain moves above fill the ask. The inner swarm draws from (t, 4). */
#include "evo.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

#define PSO_VMAX 0.2
#define PSO_K_SWARM 64 /* fixed stream of the swarm's Sobol design */
#define PSO_K_INNER 4
#define PSO_INNER_GENERATIONS 10
#define PSO_INNER_SWARM 24  /* at least, particles flying on the model */

enum { P_FRESH = 0, P_READY = 1, P_WAIT = 2 };

typedef struct pso_state {
  uint64_t born, serial, cursor;
  double *x, *v, *pb, *oz;  /* np × D: position, velocity, personal best,
                               the z handed out last */
  unsigned char *phase, *has_pb;
  uint64_t *since;          /* serial at the last hand-out */
} pso_state;

typedef struct pso_impl {
  size_t np, ni;            /* particles; of the swarm on the model */
  double w, c1, c2;
  pso_state st, wk;         /* committed state, working copy of an ask */
  pso_state inner;          /* the swarm on the model (scratch of an ask) */
  invdes_evo_hist hist;
  invdes_zset pend;         /* the pending z of the current ask */
  const invdes_surrogate_type *surrogate;
  invdes_evo_model model;
  double *pacq, *xacq, *gbuf; /* np, np, D: bounds at pb and x, gbest */
} pso_impl;

static invdes_status nomem(invdes_error *err) {
  return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
}

static void state_free(pso_state *q) {
  free(q->x);
  free(q->v);
  free(q->pb);
  free(q->oz);
  free(q->phase);
  free(q->has_pb);
  free(q->since);
  memset(q, 0, sizeof *q);
}

static int state_alloc(pso_state *q, size_t np, size_t D) {
  memset(q, 0, sizeof *q);
  q->x = calloc(np * D + 1, sizeof *q->x);
  q->v = calloc(np * D + 1, sizeof *q->v);
  q->pb = calloc(np * D + 1, sizeof *q->pb);
  q->oz = calloc(np * D + 1, sizeof *q->oz);
  q->phase = calloc(np + 1, 1);
  q->has_pb = calloc(np + 1, 1);
  q->since = calloc(np + 1, sizeof *q->since);
  if (q->x && q->v && q->pb && q->oz && q->phase && q->has_pb && q->since)
    return 0;
  state_free(q);
  return -1;
}

static void state_copy(pso_state *to, const pso_state *from, size_t np,
                       size_t D) {
  to->born = from->born;
  to->serial = from->serial;
  to->cursor = from->cursor;
  memcpy(to->x, from->x, np * D * sizeof *to->x);
  memcpy(to->v, from->v, np * D * sizeof *to->v);
  memcpy(to->pb, from->pb, np * D * sizeof *to->pb);
  memcpy(to->oz, from->oz, np * D * sizeof *to->oz);
  memcpy(to->phase, from->phase, np);
  memcpy(to->has_pb, from->has_pb, np);
  memcpy(to->since, from->since, np * sizeof *to->since);
}

static void state_reset(pso_state *q) {
  q->born = q->serial = q->cursor = 0;
}

static void pso_destroy(invdes_strategy *s) {
  pso_impl *p = s->impl;
  if (!p) return;
  state_free(&p->st);
  state_free(&p->wk);
  state_free(&p->inner);
  invdes_evo_hist_free(&p->hist);
  invdes_zset_free(&p->pend);
  invdes_evo_model_free(&p->model);
  free(p->pacq);
  free(p->xacq);
  free(p->gbuf);
  free(p);
  s->impl = NULL;
}

#define PSO_SWARM_NO_BUDGET 24
#define PSO_SWARM_LIMIT 1000000 /* the largest 'swarm' a campaign may set */
static const invdes_pso_options pso_defaults = {0, 0.72, 1.49, 1.49, NULL};

static void *pso_options_new(void) {
  return invdes_strategy_options_dup(&pso_defaults, sizeof pso_defaults);
}

static const char *const pso_sub_keys[] = {"swarm", "inertia", "c1", "c2", "surrogate", NULL};
static void pso_options_read(invdes_cload *L, const invdes_ynode *strategy, void *options) {
  invdes_pso_options *o = options;
  const invdes_ynode *n = invdes_cload_get(strategy, "pso"), *v;
  if (!n || !invdes_cload_expect_mapping(L, n, "'pso'")) return;
  invdes_cload_keys(L, n, "strategy.pso", pso_sub_keys);
  if ((v = invdes_cload_get(n, "swarm"))) invdes_cload_int(L, v, "'swarm'", 2, PSO_SWARM_LIMIT, &o->swarm);
  if ((v = invdes_cload_get(n, "inertia")) && invdes_cload_number(L, v, "'inertia'", &o->inertia) &&
      (o->inertia < 0 || o->inertia >= 1))
    invdes_cload_error(L, v, INVDES_ERR_INVALID, "'inertia' must be in [0, 1), not %g", o->inertia);
  if ((v = invdes_cload_get(n, "c1")) && invdes_cload_number(L, v, "'c1'", &o->c1) && o->c1 < 0)
    invdes_cload_error(L, v, INVDES_ERR_INVALID, "'c1' must be 0 or more, not %g", o->c1);
  if ((v = invdes_cload_get(n, "c2")) && invdes_cload_number(L, v, "'c2'", &o->c2) && o->c2 < 0)
    invdes_cload_error(L, v, INVDES_ERR_INVALID, "'c2' must be 0 or more, not %g", o->c2);
  if ((v = invdes_cload_get(n, "surrogate")))
    invdes_evo_read_surrogate(L, v, "pso", &o->surrogate);
}

static void pso_options_describe(const void *options, char *buf, size_t size) {
  const invdes_pso_options *o = options ? options : &pso_defaults;
  char swarm[32];
  if (o->swarm >= 2) snprintf(swarm, sizeof swarm, "%d", o->swarm);
  else snprintf(swarm, sizeof swarm, "from the budget");
  snprintf(buf, size, "swarm %s, inertia %g, c1 %g, c2 %g%s%s", swarm, o->inertia, o->c1,
           o->c2, o->surrogate ? ", surrogate " : "",
           o->surrogate ? invdes_model_kind_name(o->surrogate) : "");
}

/* The campaign's pso options, or the defaults. */
static const invdes_pso_options *pso_options(const invdes_strategy *s) {
  return s->spec.options ? s->spec.options : &pso_defaults;
}

/* (Re)allocates everything sized by the swarm for np particles. */
static invdes_status swarm_alloc(invdes_strategy *s, pso_impl *p, size_t np,
                                 invdes_error *err) {
  state_free(&p->st);
  state_free(&p->wk);
  state_free(&p->inner);
  free(p->pacq);
  free(p->xacq);
  p->np = np;
  p->ni = p->np > PSO_INNER_SWARM ? p->np : PSO_INNER_SWARM;
  p->pacq = malloc((p->ni + 1) * sizeof *p->pacq);
  p->xacq = malloc((p->ni + 1) * sizeof *p->xacq);
  if (!p->pacq || !p->xacq ||
      state_alloc(&p->st, p->np, s->dim) || state_alloc(&p->wk, p->np, s->dim) ||
      (p->surrogate && state_alloc(&p->inner, p->ni, s->dim)))
    return nomem(err);
  return INVDES_OK;
}

static invdes_status pso_init(invdes_strategy *s, invdes_error *err) {
  pso_impl *p = calloc(1, sizeof *p);
  if (!p) return nomem(err);
  s->impl = p;
  const invdes_pso_options *o = pso_options(s);
  if (o->swarm >= 2) {
    p->np = (size_t)o->swarm;
  } else {
    invdes_evo_blocks bl;
    invdes_status st = invdes_evo_blocks_init(s, &bl, err);
    if (st) return st;
    p->np = invdes_evo_budget_size(s->c->budget.evaluations, bl.n,
                                   PSO_SWARM_NO_BUDGET);
    invdes_evo_blocks_free(&bl);
  }
  p->w = o->inertia;
  p->c1 = o->c1;
  p->c2 = o->c2;
  invdes_evo_hist_init(&p->hist, s->dim);
  invdes_zset_init(&p->pend, s->dim);
  p->surrogate = o->surrogate;
  invdes_evo_model_init(&p->model, o->surrogate, s->seed);
  p->gbuf = malloc((s->dim + 1) * sizeof *p->gbuf);
  if (!p->gbuf) return nomem(err);
  return swarm_alloc(s, p, p->np, err);
}

/* ---- the swarm ------------------------------------------------------------- */

static double clampv(double v) {
  return v > PSO_VMAX ? PSO_VMAX : v < -PSO_VMAX ? -PSO_VMAX : v;
}

/* Births the swarm into q (see the top of the file). */
static invdes_status birth(invdes_strategy *s, pso_impl *p, pso_state *q,
                           const invdes_strategy_ctx *ctx,
                           const invdes_proposals *out, invdes_error *err) {
  size_t D = s->dim, i = 0;
  const invdes_evo_hist *h = &p->hist;
  for (size_t k = 0; k < h->n_ranked && i < p->np; k++, i++) {
    memcpy(q->x + i * D, s->h_z + h->order[k] * D, D * sizeof *q->x);
    memcpy(q->pb + i * D, q->x + i * D, D * sizeof *q->x);
    q->has_pb[i] = 1;
    q->phase[i] = P_READY;
    q->since[i] = 0;
  }
  /* points pending, then the initial design's points of this batch */
  for (size_t k = 0; k < ctx->n_pending + out->n && i < p->np; k++) {
    const double *z = k < ctx->n_pending ? ctx->pending_z + k * D
                                         : out->z + (k - ctx->n_pending) * D;
    if (invdes_evo_hist_find(h, z) != SIZE_MAX) continue;
    for (size_t j = 0; j < D; j++)
      q->x[i * D + j] = z[j] >= 0 ? (z[j] <= 1 ? z[j] : 1) : 0;
    memcpy(q->oz + i * D, z, D * sizeof *q->x);
    q->has_pb[i] = 0;
    q->phase[i] = P_WAIT;
    q->since[i++] = q->serial++;
  }
  invdes_status st = INVDES_OK;
  double *u = malloc((s->cube_dim + 1) * sizeof *u);
  double *x = malloc((s->n_vars + 1) * sizeof *x);
  gsl_rng *r = invdes_rng_new(s->seed, invdes_rng_stream_id(ctx->iteration, 1));
  invdes_sample_seq *seq = NULL;
  if (!u || !x || !r) st = nomem(err);
  if (!st && i < p->np)
    st = invdes_sample_seq_new(
        INVDES_DESIGN_SOBOL, s->cube_dim, s->seed,
        invdes_rng_stream_id(INVDES_STRATEGY_FIXED_ITERATION, PSO_K_SWARM),
        &seq, err);
  int pool = invdes_space_is_pool(s->space);
  for (; !st && i < p->np; i++) {
    double *z = q->x + i * D;
    int ok = 0;
    for (int tries = 0; !ok && tries < 100 && !st; tries++) {
      if ((st = invdes_sample_seq_next(seq, u, 1, err))) break;
      if (pool) {
        memcpy(z, u, D * sizeof *z);
        ok = 1;
      } else {
        ok = invdes_space_from_cube(s->space, u, x) &&
             invdes_space_encode(s->space, x, z, NULL) == INVDES_OK;
      }
    }
    if (!ok && !st) invdes_evo_random_z(s, r, x, z);
    q->has_pb[i] = 0;
    q->phase[i] = P_FRESH;
    q->since[i] = 0;
  }
  for (size_t k = 0; !st && k < p->np * D; k++)
    q->v[k] = clampv(0.5 * (gsl_rng_uniform(r) - q->x[k]));
  q->born = 1;
  invdes_sample_seq_free(seq);
  if (r) gsl_rng_free(r);
  free(u);
  free(x);
  return st;
}

/* The score of personal best i (unknown when it is not in the history). */
static invdes_score pb_score(const pso_impl *p, const pso_state *q, size_t i,
                             size_t D) {
  invdes_score none = {NAN, 0, 0};
  if (!q->has_pb[i]) return none;
  size_t h = invdes_evo_hist_find(&p->hist, q->pb + i * D);
  return h == SIZE_MAX ? none : p->hist.sc[h];
}

/* Waiting particles whose proposal was told update their personal best
 * and become ready; so do those whose proposal is neither told nor
 * pending (lost). */
static void absorb(const invdes_strategy *s, pso_impl *p, pso_state *q) {
  size_t D = s->dim;
  for (size_t i = 0; i < p->np; i++) {
    if (q->phase[i] != P_WAIT) continue;
    const double *oz = q->oz + i * D;
    size_t h = invdes_evo_hist_find(&p->hist, oz);
    if (h == SIZE_MAX) {
      if (invdes_zset_find(&p->pend, oz) == SIZE_MAX) q->phase[i] = P_READY;
      continue;
    }
    invdes_score cur = pb_score(p, q, i, D);
    if (p->hist.sc[h].known && invdes_score_compare(&p->hist.sc[h], &cur) < 0) {
      memcpy(q->pb + i * D, oz, D * sizeof *oz);
      q->has_pb[i] = 1;
    }
    q->phase[i] = P_READY;
  }
}

/* The next particle to hand out: the first not waiting from the cursor on,
 * else the one waiting longest. */
static size_t pick(const pso_impl *p, const pso_state *q) {
  for (size_t k = 0; k < p->np; k++) {
    size_t i = (size_t)((q->cursor + k) % p->np);
    if (q->phase[i] != P_WAIT) return i;
  }
  size_t best = 0;
  for (size_t i = 1; i < p->np; i++)
    if (q->since[i] < q->since[best]) best = i;
  return best;
}

static void move(const invdes_strategy *s, const pso_impl *p, pso_state *q,
                 size_t i, const double *g, gsl_rng *r) {
  size_t D = s->dim;
  double *x = q->x + i * D, *v = q->v + i * D;
  const double *pb = q->has_pb[i] ? q->pb + i * D : x;
  if (!g) g = pb;
  for (size_t j = 0; j < D; j++) {
    double r1 = gsl_rng_uniform(r), r2 = gsl_rng_uniform(r);
    double vj = p->w * v[j] + p->c1 * r1 * (pb[j] - x[j]) +
                p->c2 * r2 * (g[j] - x[j]);
    vj = clampv(vj);
    double xj = x[j] + vj;
    if (xj < 0) {
      xj = -xj;
      vj = -vj;
    } else if (xj > 1) {
      xj = 2 - xj;
      vj = -vj;
    }
    x[j] = xj < 0 ? 0 : xj > 1 ? 1 : xj;
    v[j] = vj;
  }
}

/* The inner swarm of a surrogate-assisted ask, born on the best distinct
 * told points (then uniform points), each its own personal best, with
 * velocities (u - x) / 2 for uniform u, clamped. */
static void inner_birth(const invdes_strategy *s, pso_impl *p, pso_state *in,
                        double *xs, gsl_rng *r) {
  size_t D = s->dim, i = 0;
  const invdes_evo_hist *h = &p->hist;
  for (size_t k = 0; k < h->n_ranked && i < p->ni; k++) {
    const double *z = s->h_z + h->order[k] * D;
    if (invdes_evo_hist_find(h, z) == h->order[k])
      memcpy(in->x + i++ * D, z, D * sizeof *in->x);
  }
  for (; i < p->ni; i++) invdes_evo_random_z(s, r, xs, in->x + i * D);
  for (size_t k = 0; k < p->ni * D; k++) {
    in->x[k] = in->x[k] < 0 ? 0 : in->x[k] > 1 ? 1 : in->x[k];
    in->v[k] = clampv(0.5 * (gsl_rng_uniform(r) - in->x[k]));
  }
  memcpy(in->pb, in->x, p->ni * D * sizeof *in->pb);
  memset(in->has_pb, 1, p->ni);
}

/* The surrogate-assisted part of an ask (see the top of the file): up to
 * want proposals, *made of them handed out. */
static invdes_status pso_ask_model(invdes_strategy *s, invdes_strategy_ctx *ctx,
                                   pso_impl *p, invdes_evo_pusher *push,
                                   size_t want, invdes_proposals *out,
                                   size_t *made, invdes_error *err) {
  size_t D = s->dim, np = p->ni;
  *made = 0;
  invdes_status st = invdes_evo_model_update(s, &p->hist, &p->model, err);
  if (st || !p->model.m) return st;
  pso_state *in = &p->inner;
  gsl_rng *r = invdes_rng_new(s->seed, invdes_rng_stream_id(ctx->iteration, PSO_K_INNER));
  if (!r) return nomem(err);
  inner_birth(s, p, in, push->x, r);
  st = invdes_evo_model_acq(&p->model, in->pb, np, p->pacq, err);
  size_t gb = 0;
  for (size_t i = 1; !st && i < np; i++)
    if (p->pacq[i] < p->pacq[gb]) gb = i;
  for (int gen = 0; !st && gen < PSO_INNER_GENERATIONS; gen++) {
    memcpy(p->gbuf, in->pb + gb * D, D * sizeof *p->gbuf);
    for (size_t i = 0; i < np; i++) move(s, p, in, i, p->gbuf, r);
    if ((st = invdes_evo_model_acq(&p->model, in->x, np, p->xacq, err))) break;
    for (size_t i = 0; i < np; i++) {
      if (!(p->xacq[i] < p->pacq[i])) continue;
      memcpy(in->pb + i * D, in->x + i * D, D * sizeof *in->pb);
      p->pacq[i] = p->xacq[i];
      if (p->pacq[i] < p->pacq[gb]) gb = i;
    }
  }
  gsl_rng_free(r);
  if (!st)
    st = invdes_evo_push_best(s, ctx, push, out, in->pb, p->pacq, np, want,
                              made, err);
  return st;
}

static invdes_status pso_ask(invdes_strategy *s, invdes_strategy_ctx *ctx,
                             size_t n, invdes_proposals *out,
                             invdes_error *err) {
  pso_impl *p = s->impl;
  size_t made = 0, D = s->dim;
  invdes_status st = invdes_strategy_initial_design(s, ctx, n, out, &made, err);
  if (st || made == n) return st;
  if ((st = invdes_evo_hist_update(s, &p->hist, err))) return st;
  invdes_zset_clear(&p->pend);
  /* pending: the caller's, and this batch's initial-design points */
  for (size_t k = 0; k < ctx->n_pending; k++)
    if (invdes_zset_add(&p->pend, ctx->pending_z + k * D, NULL))
      return nomem(err);
  for (size_t k = 0; k < out->n; k++)
    if (invdes_zset_add(&p->pend, out->z + k * D, NULL)) return nomem(err);
  pso_state *q = &p->wk;
  state_copy(q, &p->st, p->np, D);
  if (!q->born && (st = birth(s, p, q, ctx, out, err))) return st;
  absorb(s, p, q);
  const double *g = p->hist.n_ranked ? s->h_z + p->hist.order[0] * D : NULL;
  gsl_rng *rm = invdes_rng_new(s->seed, invdes_rng_stream_id(ctx->iteration, 0));
  gsl_rng *rj = invdes_rng_new(s->seed, invdes_rng_stream_id(ctx->iteration, 2));
  invdes_evo_pusher push;
  memset(&push, 0, sizeof push);
  if (!rm || !rj) st = nomem(err);
  if (!st)
    st = invdes_evo_push_begin(s, &push, rj,
                               invdes_rng_stream_id(ctx->iteration, 3), err);
  if (!st && p->surrogate) {
    size_t got = 0;
    st = pso_ask_model(s, ctx, p, &push, n - made, out, &got, err);
    made += got;
  }
  for (size_t k = made; !st && k < n; k++) {
    size_t i = pick(p, q);
    if (q->phase[i] != P_FRESH) move(s, p, q, i, g, rm);
    if ((st = invdes_evo_push(s, ctx, &push, out, q->x + i * D, err))) break;
    memcpy(q->oz + i * D, out->z + (out->n - 1) * D, D * sizeof *q->oz);
    q->phase[i] = P_WAIT;
    q->since[i] = q->serial++;
    q->cursor = (i + 1) % p->np;
  }
  invdes_evo_push_done(&push);
  if (rm) gsl_rng_free(rm);
  if (rj) gsl_rng_free(rj);
  if (!st) {
    pso_state t = p->st;
    p->st = p->wk;
    p->wk = t;
  }
  return st;
}

/* ---- saved state -------------------------------------------------------------- */

static invdes_status pso_save(const invdes_strategy *s,
                              unsigned char **payload, size_t *len,
                              invdes_error *err) {
  const pso_impl *p = s->impl;
  const pso_state *q = &p->st;
  size_t nd = p->np * s->dim;
  invdes_evo_writer w;
  invdes_evo_write_begin(&w, s->dim, invdes_evo_mode(p->surrogate));
  invdes_evo_write_u64(&w, p->np);
  invdes_evo_write_u64(&w, q->born);
  invdes_evo_write_u64(&w, q->serial);
  invdes_evo_write_u64(&w, q->cursor);
  if (q->born) {
    invdes_evo_write_f64s(&w, q->x, nd);
    invdes_evo_write_f64s(&w, q->v, nd);
    invdes_evo_write_f64s(&w, q->pb, nd);
    invdes_evo_write_f64s(&w, q->oz, nd);
    invdes_evo_write_bytes(&w, q->phase, p->np);
    invdes_evo_write_bytes(&w, q->has_pb, p->np);
    for (size_t i = 0; i < p->np; i++) invdes_evo_write_u64(&w, q->since[i]);
  }
  return invdes_evo_write_end(&w, payload, len, err);
}

static int in01(const double *v, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!(v[i] >= 0 && v[i] <= 1)) return 0;
  return 1;
}

static int all_finite(const double *v, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!isfinite(v[i])) return 0;
  return 1;
}

static invdes_status pso_load(invdes_strategy *s,
                              const unsigned char *payload, size_t len,
                              invdes_error *err) {
  pso_impl *p = s->impl;
  if (!payload) {
    state_reset(&p->st);
    return INVDES_OK;
  }
  invdes_evo_reader r;
  invdes_status st =
      invdes_evo_read_begin(&r, payload, len, s->dim,
                            invdes_evo_mode(p->surrogate), "pso", err);
  if (st) return st;
  uint64_t np = invdes_evo_read_u64(&r);
  /* An unset swarm was sized when the campaign began (by its budget, or 24
   * before state version 2): a grown budget or a newer build resumes it. */
  if (!r.bad && np != p->np && pso_options(s)->swarm < 2 && np >= 2 &&
      np <= PSO_SWARM_LIMIT && (st = swarm_alloc(s, p, (size_t)np, err)))
    return st;
  if (!r.bad && np != p->np)
    return invdes_error_set(err, INVDES_ERR_INVALID, "the saved pso state "
                            "has a swarm of %llu, the campaign %zu",
                            (unsigned long long)np, p->np);
  pso_state *q = &p->wk;
  size_t nd = p->np * s->dim;
  q->born = invdes_evo_read_u64(&r);
  q->serial = invdes_evo_read_u64(&r);
  q->cursor = invdes_evo_read_u64(&r);
  if (q->born == 1) {
    invdes_evo_read_f64s(&r, q->x, nd);
    invdes_evo_read_f64s(&r, q->v, nd);
    invdes_evo_read_f64s(&r, q->pb, nd);
    invdes_evo_read_f64s(&r, q->oz, nd);
    invdes_evo_read_bytes(&r, q->phase, p->np);
    invdes_evo_read_bytes(&r, q->has_pb, p->np);
    for (size_t i = 0; i < p->np; i++) q->since[i] = invdes_evo_read_u64(&r);
  }
  if ((st = invdes_evo_read_end(&r, "pso", err))) return st;
  int ok = q->born <= 1 && q->cursor < p->np;
  if (ok && q->born) {
    /* oz is a z as handed out or as pending, compared by value only */
    ok = in01(q->x, nd) && in01(q->pb, nd) && all_finite(q->oz, nd);
    for (size_t k = 0; ok && k < nd; k++)
      ok = fabs(q->v[k]) <= PSO_VMAX;
    for (size_t i = 0; ok && i < p->np; i++)
      ok = q->phase[i] <= P_WAIT && q->has_pb[i] <= 1 &&
           q->since[i] <= q->serial;
  }
  if (!ok)
    return invdes_error_set(err, INVDES_ERR_INVALID, "the saved pso state "
                            "holds values out of range");
  pso_state t = p->st;
  p->st = p->wk;
  p->wk = t;
  return INVDES_OK;
}

static const char *const pso_keys[] = {"pso", NULL};

const invdes_strategy_type invdes_strategy_pso = {
    .name = "pso", .keys = pso_keys, .sub_keys = pso_sub_keys, .options_new = pso_options_new,
    .options_read = pso_options_read, .options_free = free,
    .options_describe = pso_options_describe,
    .initial_default = invdes_strategy_initial_default,
    .flags = INVDES_STRATEGY_POOL | INVDES_STRATEGY_ONE_OBJECTIVE,
    .init = pso_init, .destroy = pso_destroy,
    .ask = pso_ask, .save = pso_save, .load = pso_load};
