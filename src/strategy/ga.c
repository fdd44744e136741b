/* ga.c — the `ga` strategy: a real-coded genetic algorithm on the
 * encoded z in [0,1]^D, with elitist (mu + lambda) survival over the whole
 * told history, for stations and batches of any size; optionally
 * surrogate-assisted.
 *
 * An ask first hands out the shared initial design (strategy_impl.h). Then
 * children come from a queue; when it is empty a generation of
 * population / 2 children (rounded up: a generation gap of one half, so
 * that the parents are renewed twice as often as a full generation
 * would) is bred from the population, which is the best
 * `population` told points of the history (ga_population: ranked by
 * target.h; failures rank last, results without any value not at all) — so
 * the best point found always survives (elitism), and results that arrive
 * late join the next generation. Breeding is evo_vary.c's: binary
 * tournaments on the population's ranks, SBX (eta_c 15) with probability
 * crossover, polynomial mutation (eta_m 20) of each block with probability
 * mutation (default 1 / blocks: one gene per child on average, Deb's
 * choice); a categorical block stays one-hot and an integer or discrete
 * gene that mutates takes another value. With fewer than two ranked points
 * the children are uniform points of the space. Children stay continuous in
 * the queue; what is handed out is their canonical feasible point (evo.h).
 *
 * Population size. Unless the campaign sets one: invdes_evo_budget_size
 * (about sqrt(budget)), GA_POP_NO_BUDGET without a budget. 40 members,
 * the old default, left 2 generations of a 100-evaluation run to random
 * picks of mediocre parents (measured, 10 seeds at 100 evaluations: the
 * smaller populations and the half generation gap were better on every one
 * of six functions. The size is fixed when the campaign begins: the saved
 * state keeps it, so a budget grown later changes nothing (the kind does
 * not set INVDES_STRATEGY_USES_BUDGET).
 *
 * Surrogate-assisted (option surrogate): each ask fits the model to the
 * history (evo_model.c) and runs GA_INNER_GENERATIONS generations of the
 * same breeding on the model alone, starting from the told population and
 * keeping the best `population` points by the optimistic bound (parents
 * and children together: the model's best is never lost); its best points
 * that are not told, pending or already proposed are handed out. Until
 * the model can be fitted, and when the inner population holds too few new
 * points, the plain queue fills the ask.
 *
 * Randomness: ask at iteration t draws jitter from (t, 1), the uniform
 * fallback from (t, 2), the j-th generation it breeds from (t, 16 + j) and
 * the inner generations from (t, 8). The queue (children, position,
 * generation count) is the saved state (b); a surrogate run's model is
 * refitted from the history, not saved. On a multi-objective campaign the
 * ranking is NSGA-II's (nsga2.h: non-dominated rank, then crowding
 * distance), which makes this loop NSGA-II. This file fits no model. */
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
#define GA_K_INNER 8
#define GA_INNER_GENERATIONS 10
#define GA_POP_NO_BUDGET 40
#define GA_POP_LIMIT 1000000 /* the largest 'population' a campaign may set */

typedef struct ga_state {
  uint64_t generation, head, n_queue;
  double *queue;            /* (population + 1) × D, the last row spare;
                               rows head..n_queue-1 are still to hand out */
} ga_state;

typedef struct ga_rank {
  double acq;
  size_t i;
} ga_rank;

typedef struct ga_impl {
  size_t pop, brood;        /* population, children per generation */
  invdes_evo_vary vary;
  ga_state st, wk;
  invdes_evo_hist hist;
  invdes_evo_blocks blocks;
  const invdes_surrogate_type *surrogate;
  invdes_evo_model model;
  size_t *members;          /* pop: the population's history indices */
  double *par, *pacq;       /* 2 pop + 1 rows: parents and a brood, acq */
  ga_rank *ord;             /* 2 pop + 1: sort scratch */
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
  invdes_evo_model_free(&g->model);
  free(g->members);
  free(g->par);
  free(g->pacq);
  free(g->ord);
  free(g->x);
  free(g);
  s->impl = NULL;
}

static const invdes_ga_options ga_defaults = {0, 0.9, -1, NULL};

static void *ga_options_new(void) {
  return invdes_strategy_options_dup(&ga_defaults, sizeof ga_defaults);
}

static const char *const ga_sub_keys[] = {"population", "crossover", "mutation", "surrogate",
                                          NULL};
static void ga_options_read(invdes_cload *L, const invdes_ynode *strategy, void *options) {
  invdes_ga_options *o = options;
  const invdes_ynode *n = invdes_cload_get(strategy, "ga"), *v;
  if (!n || !invdes_cload_expect_mapping(L, n, "'ga'")) return;
  invdes_cload_keys(L, n, "strategy.ga", ga_sub_keys);
  if ((v = invdes_cload_get(n, "population")))
    invdes_cload_int(L, v, "'population'", 2, GA_POP_LIMIT, &o->population);
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
  if ((v = invdes_cload_get(n, "surrogate")))
    invdes_evo_read_surrogate(L, v, "ga", &o->surrogate);
}

static void ga_options_describe(const void *options, char *buf, size_t size) {
  const invdes_ga_options *o = options ? options : &ga_defaults;
  char pop[32], mut[32];
  if (o->population >= 2) snprintf(pop, sizeof pop, "%d", o->population);
  else snprintf(pop, sizeof pop, "from the budget");
  if (o->mutation >= 0) snprintf(mut, sizeof mut, "%g", o->mutation);
  else snprintf(mut, sizeof mut, "1/genes");
  snprintf(buf, size, "population %s, crossover %g, mutation %s%s%s", pop,
           o->crossover, mut, o->surrogate ? ", surrogate " : "",
           o->surrogate ? invdes_model_kind_name(o->surrogate) : "");
}

/* The campaign's ga options (the defaults when it gave none). */
static const invdes_ga_options *ga_options(const invdes_strategy *s) {
  return s->spec.options ? s->spec.options : &ga_defaults;
}

/* (Re)allocates everything sized by the population for pop members. */
static invdes_status population_alloc(invdes_strategy *s, ga_impl *g, size_t pop,
                                      invdes_error *err) {
  free(g->st.queue);
  free(g->wk.queue);
  free(g->members);
  free(g->par);
  free(g->pacq);
  free(g->ord);
  g->pop = pop;
  g->brood = (g->pop + 1) / 2;
  size_t rows = 2 * g->pop + 1;
  g->st.queue = calloc((g->pop + 1) * s->dim + 1, sizeof *g->st.queue);
  g->wk.queue = calloc((g->pop + 1) * s->dim + 1, sizeof *g->wk.queue);
  g->members = malloc(g->pop * sizeof *g->members);
  g->par = malloc((rows * s->dim + 1) * sizeof *g->par);
  g->pacq = malloc(rows * sizeof *g->pacq);
  g->ord = malloc(rows * sizeof *g->ord);
  if (!g->st.queue || !g->wk.queue || !g->members || !g->par || !g->pacq || !g->ord)
    return nomem(err);
  return INVDES_OK;
}

static invdes_status ga_init(invdes_strategy *s, invdes_error *err) {
  ga_impl *g = calloc(1, sizeof *g);
  if (!g) return nomem(err);
  s->impl = g;
  const invdes_ga_options *o = ga_options(s);
  invdes_evo_hist_init(&g->hist, s->dim);
  invdes_status st = invdes_evo_blocks_init(s, &g->blocks, err);
  if (st) return st;
  g->pop = o->population >= 2
               ? (size_t)o->population
               : invdes_evo_budget_size(s->c->budget.evaluations, g->blocks.n,
                                        GA_POP_NO_BUDGET);
  g->vary = (invdes_evo_vary){o->crossover,
                              o->mutation >= 0 ? o->mutation
                                               : 1.0 / (double)g->blocks.n,
                              GA_ETA_C, GA_ETA_M};
  g->surrogate = o->surrogate;
  invdes_evo_model_init(&g->model, o->surrogate, s->seed);
  g->x = malloc((s->n_vars + 1) * sizeof *g->x);
  if (!g->x) return nomem(err);
  return population_alloc(s, g, g->pop, err);
}

/* ---- selection ----------------------------------------------------------------- */

/* The population: up to g->pop history indices into g->members, best
 * first, of distinct told z (the best-ranked result of each z); returns
 * how many. The one place ga ranks results: the tournaments compare
 * places in this list, so another ranking (non-dominated sorting with
 * crowding for several objectives) replaces this function alone. */
static size_t ga_population(const invdes_strategy *s, ga_impl *g) {
  size_t P = 0;
  for (size_t k = 0; k < g->hist.n_ranked && P < g->pop; k++) {
    size_t i = g->hist.order[k];
    if (invdes_evo_hist_find(&g->hist, s->h_z + i * s->dim) == i)
      g->members[P++] = i;
  }
  return P;
}

/* Fills q's queue with a new generation bred from the population. */
static void breed(const invdes_strategy *s, ga_impl *g, ga_state *q,
                  gsl_rng *r) {
  size_t D = s->dim, P = ga_population(s, g);
  if (P < 2) {
    for (size_t c = 0; c < g->brood; c++)
      invdes_evo_random_z(s, r, g->x, q->queue + c * D);
  } else {
    for (size_t k = 0; k < P; k++)
      memcpy(g->par + k * D, s->h_z + g->members[k] * D, D * sizeof *g->par);
    invdes_evo_breed(&g->blocks, D, g->par, P, &g->vary, q->queue, g->brood, r);
  }
  q->n_queue = g->brood;
  q->head = 0;
  q->generation++;
}

/* ---- on the model ---------------------------------------------------------------- */

static int by_acq(const void *pa, const void *pb) {
  const ga_rank *a = pa, *b = pb;
  if (a->acq != b->acq) return a->acq < b->acq ? -1 : 1;
  return a->i < b->i ? -1 : a->i > b->i;
}

/* Keeps the best P of the m rows of g->par by g->pacq (ties: the lower
 * row, so parents before their children), in that order. */
static void survive(ga_impl *g, size_t D, size_t m, size_t P, double *tmp) {
  for (size_t i = 0; i < m; i++) g->ord[i] = (ga_rank){g->pacq[i], i};
  qsort(g->ord, m, sizeof *g->ord, by_acq);
  double *acq = tmp + m * D;
  for (size_t k = 0; k < P; k++) {
    memcpy(tmp + k * D, g->par + g->ord[k].i * D, D * sizeof *tmp);
    acq[k] = g->ord[k].acq;
  }
  memcpy(g->par, tmp, P * D * sizeof *tmp);
  memcpy(g->pacq, acq, P * sizeof *acq);
}

/* The surrogate-assisted part of an ask: up to want proposals, *made of
 * them handed out. */
static invdes_status ga_ask_model(invdes_strategy *s, invdes_strategy_ctx *ctx,
                                  ga_impl *g, invdes_evo_pusher *push,
                                  size_t want, invdes_proposals *out,
                                  size_t *made, invdes_error *err) {
  size_t D = s->dim;
  *made = 0;
  invdes_status st = invdes_evo_model_update(s, &g->hist, &g->model, err);
  size_t P = ga_population(s, g);
  if (st || !g->model.m || P < 2) return st;
  double *tmp = malloc(((2 * g->pop + 1) * (D + 1) + 1) * sizeof *tmp);
  gsl_rng *r = invdes_rng_new(s->seed, invdes_rng_stream_id(ctx->iteration, GA_K_INNER));
  if (!tmp || !r) st = nomem(err);
  for (size_t k = 0; !st && k < P; k++)
    memcpy(g->par + k * D, s->h_z + g->members[k] * D, D * sizeof *g->par);
  if (!st) st = invdes_evo_model_acq(&g->model, g->par, P, g->pacq, err);
  if (!st) survive(g, D, P, P, tmp);
  for (int gen = 0; !st && gen < GA_INNER_GENERATIONS; gen++) {
    double *kids = g->par + P * D;
    invdes_evo_breed(&g->blocks, D, g->par, P, &g->vary, kids, P, r);
    st = invdes_evo_model_acq(&g->model, kids, P, g->pacq + P, err);
    if (!st) survive(g, D, 2 * P, P, tmp);
  }
  if (!st)
    st = invdes_evo_push_best(s, ctx, push, out, g->par, g->pacq, P, want,
                              made, err);
  if (r) gsl_rng_free(r);
  free(tmp);
  return st;
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
  if (!st && g->surrogate) {
    size_t got = 0;
    st = ga_ask_model(s, ctx, g, &push, n - made, out, &got, err);
    made += got;
  }
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
  invdes_evo_write_begin(&w, s->dim, invdes_evo_mode(g->surrogate));
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
  invdes_status st = invdes_evo_read_begin(&r, payload, len, s->dim,
                                           invdes_evo_mode(g->surrogate), "ga", err);
  if (st) return st;
  uint64_t pop = invdes_evo_read_u64(&r);
  /* An unset population was sized when the campaign began (by its budget
   * then, or 40 before state version 2): the saved one keeps its size, so a
   * grown budget or a newer build resumes the same population. */
  if (!r.bad && pop != g->pop && ga_options(s)->population < 2 && pop >= 2 &&
      pop <= GA_POP_LIMIT &&
      (st = population_alloc(s, g, (size_t)pop, err)))
    return st;
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
    .name = "ga", .keys = ga_keys, .sub_keys = ga_sub_keys, .options_new = ga_options_new,
    .options_read = ga_options_read, .options_free = free,
    .options_describe = ga_options_describe,
    .initial_default = invdes_strategy_initial_default,
    .flags = INVDES_STRATEGY_POOL | INVDES_STRATEGY_SEVERAL_OBJECTIVES,
    .init = ga_init, .destroy = ga_destroy,
    .ask = ga_ask, .save = ga_save, .load = ga_load};
