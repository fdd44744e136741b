/* driver_run.c — the run loop: propose, evaluate, record, until the budget is
 * spent, a result passes stop_when (target.h), a finite space
 * is exhausted or the caller asks to stop.
 *
 * Each round asks for min(batch, budget - results) proposals with
 * INVDES_PROPOSE_CLAIM_FIRST under the station "run" without a lease: a
 * resumed run first gets back, alone, the proposals that were in flight when
 * it was killed (same ids), so every later ask happens at the same iteration
 * with the same history as in an uninterrupted run.
 *
 * Commands record each outcome as it arrives (one transaction each). In-
 * process evaluators (builtin, dataset) cost nothing to redo, so several
 * rounds share one transaction (up to GROUP_ROUNDS rounds or GROUP_SECONDS):
 * a kill then rolls back whole rounds — proposals with their results — and
 * the resumed run makes them again identically; no recorded result is ever
 * evaluated again. The loop does not print: progress goes to a callback. */
#include "driver_internal.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define GROUP_ROUNDS 512
#define GROUP_SECONDS 0.05

const char *invdes_run_end_message(invdes_run_end e) {
  switch (e) {
  case INVDES_RUN_BUDGET: return "budget reached";
  case INVDES_RUN_SATISFIED: return "a result satisfies stop_when";
  case INVDES_RUN_EXHAUSTED:
    return "every candidate the strategy can propose (the space's, or its grid's) has been "
           "tried or is pending";
  case INVDES_RUN_INTERRUPTED: return "interrupted";
  case INVDES_RUN_HELD:
    return "the rest of the budget is held by proposals out with stations (pending with a "
           "live lease, or partial); run again once they have reported";
  }
  return "?";
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef struct run_ctx {
  invdes_driver *d;
  const invdes_run_options *opt;
  double t0;
  int64_t evaluated0;   /* results when this run started */
  int ended;
  invdes_run_end end;
} run_ctx;

static void progress(run_ctx *r, int final) {
  if (!r->opt || !r->opt->progress) return;
  invdes_driver *d = r->d;
  double el = now_s() - r->t0;
  int64_t done_here = d->n_evaluated - r->evaluated0;
  int64_t budget = d->c->budget.evaluations;
  double eta = NAN;
  if (done_here > 0 && budget >= d->n_evaluated)
    eta = el / (double)done_here * (double)(budget - d->n_evaluated);
  invdes_run_progress p = {.evaluated = d->n_evaluated, .budget = budget,
                           .failed = d->ev ? driver_eval_failures(d->ev) : 0,
                           .n_targets = d->n_targets,
                           .target_names = (const char *const *)d->target_names,
                           .best = d->best, .best_id = d->best_id,
                           .best_meets = d->best_rank.meets,
                           .best_violation = d->best_rank.violation, .elapsed = el, .eta = eta,
                           .final = final, .pareto = d->front.on};
  /* a front that cannot be measured (out of memory) is shown as unknown */
  if (p.pareto && driver_front_summary(&d->front, d->c->targets, d->n_targets, &p.front_size,
                                       &p.hypervolume, NULL) != INVDES_OK)
    p.hypervolume = NAN;
  r->opt->progress(&p, r->opt->data);
}

/* Sets r->ended when the campaign is over before the next round. */
static int over(run_ctx *r) {
  invdes_driver *d = r->d;
  if (r->ended) return 1;
  if (r->opt && r->opt->stop && *r->opt->stop) {
    r->end = INVDES_RUN_INTERRUPTED;
  } else if (d->n_evaluated >= d->c->budget.evaluations) {
    r->end = INVDES_RUN_BUDGET;
  } else if (d->c->budget.stop_when_satisfied && d->satisfied_id) {
    r->end = INVDES_RUN_SATISFIED;
  } else {
    return 0;
  }
  r->ended = 1;
  return 1;
}

/* One round: propose, evaluate, record. */
static invdes_status round_once(run_ctx *r, invdes_error *err) {
  invdes_driver *d = r->d;
  int64_t left = d->c->budget.evaluations - d->n_evaluated;
  size_t n = (size_t)d->c->strategy.batch;
  if ((int64_t)n > left) n = (size_t)left;
  invdes_store_rows *rows = NULL;
  invdes_status st = invdes_driver_propose(d, n, INVDES_DRIVER_RUN_STATION, 0,
                                           INVDES_PROPOSE_CLAIM_FIRST, &rows, err);
  if (st != INVDES_OK) return st;
  if (rows->n == 0) {
    invdes_store_budget b;
    r->end = INVDES_RUN_EXHAUSTED;
    if (invdes_store_budget_get(d->store, &b, NULL) == INVDES_OK &&
        b.results + b.outstanding >= d->c->budget.evaluations)
      r->end = INVDES_RUN_HELD;
    r->ended = 1;
  } else {
    st = driver_eval_batch(d, rows->items, rows->n, err);
  }
  invdes_store_rows_free(rows);
  return st;
}

static invdes_status group_txn(invdes_store *s, void *data, invdes_error *err) {
  run_ctx *r = data;
  double t = now_s();
  invdes_status st = INVDES_OK;
  for (int k = 0; k < GROUP_ROUNDS && st == INVDES_OK && !over(r); k++) {
    st = round_once(r, err);
    if (now_s() - t > GROUP_SECONDS) break;
  }
  return st;
}

static invdes_status log_event(invdes_driver *d, const char *kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static invdes_status log_event(invdes_driver *d, const char *kind, const char *fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return invdes_store_event(d->store, kind, 0, msg, NULL, 0, NULL);
}

invdes_status invdes_driver_run(invdes_driver *d, const invdes_run_options *opt,
                                invdes_run_end *end, invdes_error *err) {
  const char *cannot = invdes_campaign_objective_cannot_run(d->c);
  if (cannot) return invdes_error_set(err, INVDES_ERR_USAGE, "%s", cannot);
  if (!d->ev)
    return invdes_error_set(err, INVDES_ERR_USAGE, "the driver was opened without an evaluator");
  /* One run loop per database: a second would claim the same in-flight
   * proposals of the run station and evaluate them twice. */
  invdes_status st = invdes_store_lock_run(d->store, err);
  if (st == INVDES_OK) st = driver_sync(d, err);
  if (st != INVDES_OK) {
    invdes_store_unlock_run(d->store);
    return st;
  }
  run_ctx r = {.d = d, .opt = opt, .t0 = now_s(), .evaluated0 = d->n_evaluated};
  d->run_stop = opt ? opt->stop : NULL;
  if (d->last_id == 0)
    st = log_event(d, "run_started", "budget %d evaluations, strategy %s, batch %d",
                   d->c->budget.evaluations, invdes_strategy_name(d->strat),
                   d->c->strategy.batch);
  else
    st = log_event(d, "run_resumed", "%" PRId64 " results of %d, %zu proposals without an "
                   "outcome", d->n_evaluated, d->c->budget.evaluations, d->n_pend);
  if (st != INVDES_OK) {
    invdes_store_unlock_run(d->store);
    return invdes_error_set(err, st, "%s: cannot log the run", d->db_path);
  }
  int grouped = driver_eval_in_process(d->ev);
  while (st == INVDES_OK && !over(&r)) {
    if (grouped) {
      st = invdes_store_transaction(d->store, group_txn, &r, err);
      if (st != INVDES_OK) d->synced = 0;
    } else {
      st = round_once(&r, err);
    }
    if (st == INVDES_OK) progress(&r, 0);
  }
  progress(&r, 1);
  char msg[INVDES_ERROR_MAX + 128];
  if (st == INVDES_OK)
    snprintf(msg, sizeof msg, "%s: %" PRId64 " results of %d", invdes_run_end_message(r.end),
             d->n_evaluated, d->c->budget.evaluations);
  else
    snprintf(msg, sizeof msg, "error: %s", err ? err->message : invdes_status_string(st));
  invdes_store_event(d->store, "run_stopped", 0, msg, NULL, 0, NULL);
  invdes_store_unlock_run(d->store);
  d->run_stop = NULL;
  if (end) *end = r.end;
  return st;
}
