/* ga.c — the `ga` strategy: a real-coded genetic algorithm on the
 * encoded z in [0,1]^D, with elitist (mu + lambda) survival over the whole
 * told history, for stations and batches of any size.
 *
 * An ask first hands out the shared initial design (strategy_impl.h). Then
 * children come from a queue; when it is empty a generation of
 * population (the options) children is bred from the population, which is the
 * best `population` told points of the history (ranked by
 * target.h; failures rank last, results without any value not at
 * all) — so the best point found always survives (elitism), and results
 * that arrive late join the next generation. A child pair comes from two
 * binary tournaments (the better rank wins), simulated binary crossover
 * (SBX, eta 15, each gene exchanged with probability 1/2) with probability
 * crossover, and polynomial mutation (eta 20) of each gene with
 * probability mutation. A categorical parameter's one-hot block is
 * one gene: crossover swaps whole blocks, mutation sets a random label, so
 * a child's block stays one-hot. A child equal to a parent gets one gene
 * mutated. With fewer than two ranked points the children are uniform
 * points of the space. Children stay continuous in the queue; what is
 * handed out is their canonical feasible point (evo.h: nearest
 * untried candidate in finite spaces, jitter when taken). A generation is
 * bred from the results told at that moment: children of the previous one
 * that are still pending do not wait to be included.
 *
 * Randomness: ask at iteration t draws jitter from (t, 1), the uniform
 * fallback from (t, 2) and the j-th generation it breeds from (t, 16 + j).
 * The queue (children, position, generation count) is the saved state (b).
 * A spec whose population is below 2 (not filled in) takes the defaults
 * 40, 0.9, 0.1. On a multi-objective campaign the ranking is NSGA-II's
 * (nsga2.h: non-dominated rank, then crowding distance), which makes this
 * loop NSGA-II. This file fits no model. */
#include "evo.h"
#include "nsga2.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

#define GA_ETA_C 15.0
#define GA_ETA_M 20.0
#define GA_K_BREED 16

typedef struct ga_state {
  uint64_t generation, head, n_queue;
  double *queue;            /* (population + 1) × D, the last row spare;
                               rows head..n_queue-1 are still to hand out */
} ga_state;

typedef struct ga_impl {
  size_t pop;
  double px, pm;
  ga_state st, wk;
  invdes_evo_hist hist;
  invdes_evo_blocks blocks;
  double *x;                /* n_vars scratch */
} ga_impl;

static invdes_status nomem(invdes_error *err) {
  return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
}

static void ga_destroy(invdes_strategy *s) {
  ga_impl *g = s->impl;
  if (!g) return;
  free(g->st.queue);
  free(g->wk.queue);
  invdes_evo_hist_free(&g->hist);
  invdes_evo_blocks_free(&g->blocks);
  free(g->x);
  free(g);
  s->impl = NULL;
}

static const invdes_ga_options ga_defaults = {40, 0.9, 0.1};

static void *ga_options_new(void) {
  return invdes_strategy_options_dup(&ga_defaults, sizeof ga_defaults);
}

static void ga_options_read(invdes_cload *L, const invdes_ynode *strategy, void *options) {
  static const char *const keys[] = {"population", "crossover", "mutation", NULL};
  invdes_ga_options *o = options;
  const invdes_ynode *n = invdes_cload_get(strategy, "ga"), *v;
  if (!n || !invdes_cload_expect_mapping(L, n, "'ga'")) return;
  invdes_cload_keys(L, n, "strategy.ga", keys);
  if ((v = invdes_cload_get(n, "population")))
    invdes_cload_int(L, v, "'population'", 2, 1000000, &o->population);
  if ((v = invdes_cload_get(n, "crossover")) &&
      invdes_cload_number(L, v, "'crossover'", &o->crossover) &&
      (o->crossover < 0 || o->crossover > 1))
    invdes_cload_error(L, v, INVDES_ERR_INVALID, "'crossover' is a probability in [0, 1], not %g",
                       o->crossover);
  if ((v = invdes_cload_get(n, "mutation")) &&
      invdes_cload_number(L, v, "'mutation'", &o->mutation) &&
      (o->mutation < 0 || o->mutation > 1))
    invdes_cload_error(L, v, INVDES_ERR_INVALID, "'mutation' is a probability in [0, 1], not %g",
                       o->mutation);
}

static void ga_options_describe(const void *options, char *buf, size_t size) {
  const invdes_ga_options *o = options ? options : &ga_defaults;
  snprintf(buf, size, "population %d, crossover %g, mutation %g", o->population,
           o->crossover, o->mutation);
}

static invdes_status ga_init(invdes_strategy *s, invdes_error *err) {
  ga_impl *g = calloc(1, sizeof *g);
  if (!g) return nomem(err);
  s->impl = g;
  const invdes_ga_options *o = s->spec.options ? s->spec.options : &ga_defaults;
  g->pop = (size_t)o->population;
  g->px = o->crossover;
  g->pm = o->mutation;
  invdes_evo_hist_init(&g->hist, s->dim);
  g->st.queue = calloc((g->pop + 1) * s->dim + 1, sizeof *g->st.queue);
  g->wk.queue = calloc((g->pop + 1) * s->dim + 1, sizeof *g->wk.queue);
  g->x = malloc((s->n_vars + 1) * sizeof *g->x);
  if (!g->st.queue || !g->wk.queue || !g->x) return nomem(err);
  return invdes_evo_blocks_init(s, &g->blocks, err);
}

/* ---- variation ----------------------------------------------------------------- */

static double clamp01(double v) { return v < 0 ? 0 : v > 1 ? 1 : v; }

/* SBX on [0,1] of one gene pair (Deb and Agrawal's bounded form). */
static void sbx(double *a, double *b, gsl_rng *r) {
  double y1 = *a < *b ? *a : *b, y2 = *a < *b ? *b : *a;
  double u = gsl_rng_uniform(r), swap = gsl_rng_uniform(r);
  if (y2 - y1 < 1e-14) return;
  double e = 1.0 / (GA_ETA_C + 1), d = y2 - y1;
  double beta = 1 + 2 * y1 / d;
  double alpha = 2 - pow(beta, -(GA_ETA_C + 1));
  double bq = u <= 1 / alpha ? pow(u * alpha, e) : pow(1 / (2 - u * alpha), e);
  double c1 = 0.5 * (y1 + y2 - bq * d);
  beta = 1 + 2 * (1 - y2) / d;
  alpha = 2 - pow(beta, -(GA_ETA_C + 1));
  bq = u <= 1 / alpha ? pow(u * alpha, e) : pow(1 / (2 - u * alpha), e);
  double c2 = 0.5 * (y1 + y2 + bq * d);
  c1 = clamp01(c1);
  c2 = clamp01(c2);
  *a = swap < 0.5 ? c2 : c1;
  *b = swap < 0.5 ? c1 : c2;
}

/* Polynomial mutation on [0,1] of one gene. */
static double poly_mutate(double y, gsl_rng *r) {
  double u = gsl_rng_uniform(r), e = 1.0 / (GA_ETA_M + 1), dq;
  if (u < 0.5) {
    double v = 2 * u + (1 - 2 * u) * pow(1 - y, GA_ETA_M + 1);
    dq = pow(v, e) - 1;
  } else {
    double v = 2 * (1 - u) + 2 * (u - 0.5) * pow(y, GA_ETA_M + 1);
    dq = 1 - pow(v, e);
  }
  return clamp01(y + dq);
}

/* Mutates block k of child c: a one-hot block to another random label
 * (when it has one), a single gene polynomially. */
static void mutate_block(const invdes_evo_blocks *bl, size_t k, double *c,
                         gsl_rng *r) {
  double *z = c + bl->start[k];
  size_t len = bl->len[k];
  if (!bl->onehot[k]) {
    z[0] = poly_mutate(z[0], r);
    return;
  }
  size_t cur = 0;
  for (size_t j = 1; j < len; j++)
    if (z[j] > z[cur]) cur = j;
  size_t pick = len > 1 ? (size_t)gsl_rng_uniform_int(r, (unsigned long)(len - 1))
                        : 0;
  if (len > 1 && pick >= cur) pick++;
  for (size_t j = 0; j < len; j++) z[j] = j == pick ? 1 : 0;
}

static int same(const double *a, const double *b, size_t D) {
  return memcmp(a, b, D * sizeof *a) == 0;
}

/* Binary tournament over ranks 0..P-1: the lower rank wins. */
static size_t tournament(gsl_rng *r, size_t P) {
  size_t i = (size_t)gsl_rng_uniform_int(r, (unsigned long)P);
  size_t j = (size_t)gsl_rng_uniform_int(r, (unsigned long)P);
  return i < j ? i : j;
}

/* Fills q's queue with a new generation. */
static void breed(const invdes_strategy *s, ga_impl *g, ga_state *q,
                  gsl_rng *r) {
  size_t D = s->dim, P = g->hist.n_ranked < g->pop ? g->hist.n_ranked : g->pop;
  const invdes_evo_blocks *bl = &g->blocks;
  if (P < 2) {
    for (size_t c = 0; c < g->pop; c++)
      invdes_evo_random_z(s, r, g->x, q->queue + c * D);
  } else {
    for (size_t c = 0; c < g->pop; c += 2) {
      size_t a = tournament(r, P), b = tournament(r, P);
      for (int t = 0; t < 4 && b == a; t++) b = tournament(r, P);
      const double *pa = s->h_z + g->hist.order[a] * D;
      const double *pb = s->h_z + g->hist.order[b] * D;
      /* an odd population's last second child is bred in the spare row
       * past the end and dropped */
      double *kids[2] = {q->queue + c * D, q->queue + (c + 1) * D};
      memcpy(kids[0], pa, D * sizeof *pa);
      memcpy(kids[1], pb, D * sizeof *pb);
      if (gsl_rng_uniform(r) < g->px) {
        for (size_t k = 0; k < bl->n; k++) {
          size_t j0 = bl->start[k], len = bl->len[k];
          if (bl->onehot[k]) {
            if (gsl_rng_uniform(r) < 0.5)
              for (size_t j = j0; j < j0 + len; j++) {
                double t = kids[0][j];
                kids[0][j] = kids[1][j];
                kids[1][j] = t;
              }
          } else if (gsl_rng_uniform(r) < 0.5) {
            sbx(&kids[0][j0], &kids[1][j0], r);
          }
        }
      }
      for (int m = 0; m < 2; m++) {
        double *kid = kids[m];
        for (size_t k = 0; k < bl->n; k++)
          if (gsl_rng_uniform(r) < g->pm) mutate_block(bl, k, kid, r);
        if (same(kid, pa, D) || same(kid, pb, D))
          mutate_block(bl, (size_t)gsl_rng_uniform_int(r, (unsigned long)bl->n),
                       kid, r);
      }
    }
  }
  q->n_queue = g->pop;
  q->head = 0;
  q->generation++;
}

static invdes_status ga_ask(invdes_strategy *s, invdes_strategy_ctx *ctx,
                            size_t n, invdes_proposals *out,
                            invdes_error *err) {
  ga_impl *g = s->impl;
  size_t made = 0, D = s->dim;
  invdes_status st = invdes_strategy_initial_design(s, ctx, n, out, &made, err);
  if (st || made == n) return st;
  if ((st = invdes_evo_hist_update(s, &g->hist, err))) return st;
  if ((st = invdes_nsga2_order(s, &g->hist, err))) return st; /* several objectives */
  ga_state *q = &g->wk;
  q->generation = g->st.generation;
  q->head = g->st.head;
  q->n_queue = g->st.n_queue;
  memcpy(q->queue, g->st.queue, g->pop * D * sizeof *q->queue);
  gsl_rng *rj = invdes_rng_new(s->seed, invdes_rng_stream_id(ctx->iteration, 1));
  gsl_rng *rb = invdes_rng_new(s->seed, 0);
  invdes_evo_pusher push;
  memset(&push, 0, sizeof push);
  if (!rj || !rb) st = nomem(err);
  if (!st)
    st = invdes_evo_push_begin(s, &push, rj,
                               invdes_rng_stream_id(ctx->iteration, 2), err);
  uint64_t breeds = 0;
  for (size_t k = made; !st && k < n; k++) {
    if (q->head >= q->n_queue) {
      invdes_rng_reset(rb, s->seed,
                       invdes_rng_stream_id(ctx->iteration, GA_K_BREED + breeds++));
      breed(s, g, q, rb);
    }
    st = invdes_evo_push(s, ctx, &push, out, q->queue + q->head * D, err);
    q->head++;
  }
  invdes_evo_push_done(&push);
  if (rj) gsl_rng_free(rj);
  if (rb) gsl_rng_free(rb);
  if (!st) {
    ga_state t = g->st;
    g->st = g->wk;
    g->wk = t;
  }
  return st;
}

/* ---- saved state -------------------------------------------------------------- */

static invdes_status ga_save(const invdes_strategy *s, unsigned char **payload,
                             size_t *len, invdes_error *err) {
  const ga_impl *g = s->impl;
  invdes_evo_writer w;
  invdes_evo_write_begin(&w, s->dim);
  invdes_evo_write_u64(&w, g->pop);
  invdes_evo_write_u64(&w, g->st.generation);
  invdes_evo_write_u64(&w, g->st.head);
  invdes_evo_write_u64(&w, g->st.n_queue);
  invdes_evo_write_f64s(&w, g->st.queue, (size_t)g->st.n_queue * s->dim);
  return invdes_evo_write_end(&w, payload, len, err);
}

static invdes_status ga_load(invdes_strategy *s, const unsigned char *payload,
                             size_t len, invdes_error *err) {
  ga_impl *g = s->impl;
  if (!payload) {
    g->st.generation = g->st.head = g->st.n_queue = 0;
    return INVDES_OK;
  }
  invdes_evo_reader r;
  invdes_status st = invdes_evo_read_begin(&r, payload, len, s->dim, "ga", err);
  if (st) return st;
  uint64_t pop = invdes_evo_read_u64(&r);
  if (!r.bad && pop != g->pop)
    return invdes_error_set(err, INVDES_ERR_INVALID, "the saved ga state "
                            "has a population of %llu, the campaign %zu",
                            (unsigned long long)pop, g->pop);
  ga_state *q = &g->wk;
  q->generation = invdes_evo_read_u64(&r);
  q->head = invdes_evo_read_u64(&r);
  q->n_queue = invdes_evo_read_u64(&r);
  if (!r.bad && (q->n_queue > g->pop || q->head > q->n_queue))
    return invdes_error_set(err, INVDES_ERR_INVALID, "the saved ga state "
                            "has a queue of %llu children, position %llu",
                            (unsigned long long)q->n_queue,
                            (unsigned long long)q->head);
  size_t nq = r.bad ? 0 : (size_t)q->n_queue * s->dim;
  invdes_evo_read_f64s(&r, q->queue, nq);
  if ((st = invdes_evo_read_end(&r, "ga", err))) return st;
  for (size_t k = 0; k < nq; k++)
    if (!(q->queue[k] >= 0 && q->queue[k] <= 1))
      return invdes_error_set(err, INVDES_ERR_INVALID, "the saved ga state "
                              "holds values out of range");
  ga_state t = g->st;
  g->st = g->wk;
  g->wk = t;
  return INVDES_OK;
}

static const char *const ga_keys[] = {"ga", NULL};

const invdes_strategy_type invdes_strategy_ga = {
    .name = "ga", .keys = ga_keys, .options_new = ga_options_new,
    .options_read = ga_options_read, .options_free = free,
    .options_describe = ga_options_describe,
    .initial_default = invdes_strategy_initial_default,
    .flags = INVDES_STRATEGY_POOL | INVDES_STRATEGY_SEVERAL_OBJECTIVES,
    .init = ga_init, .destroy = ga_destroy,
    .ask = ga_ask, .save = ga_save, .load = ga_load};
