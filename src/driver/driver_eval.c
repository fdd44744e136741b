/* driver_eval.c — the evaluator side of the run loop: the campaign's
 * objective kind (objectives/objective.h) opened for this driver, proposals
 * handed to it, outcomes recorded.
 *
 * The kinds themselves (builtin, command, dataset) live in objectives/; this
 * file only dispatches through the table. x always comes from the recorded
 * parameters, so a proposal evaluates the same whether it was just made or
 * claimed back after a kill. Outcomes are recorded as the kind hands them
 * over (a command: each as it arrives, so a kill loses only what is in
 * flight; in-process kinds: the batch at once), with the kind's name as
 * their source. The record of jobs handed to a batch scheduler (the slurm
 * kind) reaches the kind through driver_jobs.c's callbacks. */
#include "driver_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct driver_eval {
  const invdes_objective_type *type;
  void *state;       /* the kind's evaluator */
  int64_t failures;  /* failures recorded through this evaluator */
  invdes_objective_jobs jobs; /* the store's jobs for kinds that submit them */
};

/* Bytes kept of why a proposal's recorded parameters cannot be read. */
#define UNREADABLE_MAX 1024

static invdes_status nomem(invdes_error *err) {
  return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
}

void driver_eval_free(driver_eval *e) {
  if (!e) return;
  if (e->state) e->type->close(e->state);
  free(e);
}

int driver_eval_in_process(const driver_eval *e) {
  return (e->type->flags & INVDES_OBJECTIVE_IN_PROCESS) != 0;
}

int64_t driver_eval_failures(const driver_eval *e) { return e->failures; }

invdes_status driver_eval_new(invdes_driver *d, driver_eval **out, invdes_error *err) {
  *out = NULL;
  const invdes_objective *o = &d->c->objective;
  if (!o->type || o->type->cannot_run)
    return invdes_error_set(err, INVDES_ERR_USAGE, "%s",
                            invdes_campaign_objective_cannot_run(d->c));
  driver_eval *e = calloc(1, sizeof *e);
  if (!e) return nomem(err);
  e->type = o->type;
  invdes_objective_setup s;
  driver_jobs_setup(d, &s, &e->jobs);
  invdes_status st = e->type->open(&s, &e->state, err);
  if (st != INVDES_OK) {
    driver_eval_free(e);
    return st;
  }
  *out = e;
  return INVDES_OK;
}

/* The kind's done callback: counts failures and records. */
static invdes_status record(const invdes_objective_outcome *o, size_t n, void *data,
                            invdes_error *err) {
  invdes_driver *d = data;
  for (size_t i = 0; i < n; i++) d->ev->failures += o[i].failed != 0;
  return driver_record(d, o, n, d->ev->type->name, err);
}

invdes_status driver_eval_batch(invdes_driver *d, const invdes_store_proposal *rows, size_t n,
                                invdes_error *err) {
  if (!d->ev) return invdes_error_set(err, INVDES_ERR_USAGE, "this driver has no evaluator");
  if (n == 0) return INVDES_OK;
  invdes_objective_point *p = calloc(n, sizeof *p);
  double *x = malloc((n * d->n_vars + 1) * sizeof *x);
  char(*why)[UNREADABLE_MAX] = calloc(n, sizeof *why);
  invdes_status st = (!p || !x || !why) ? nomem(err) : INVDES_OK;
  for (size_t i = 0; st == INVDES_OK && i < n; i++) {
    invdes_error perr;
    invdes_error_clear(&perr);
    p[i].id = rows[i].id;
    if (driver_params_to_x(d, rows[i].parameters, x + i * d->n_vars, &perr) == INVDES_OK) {
      p[i].x = x + i * d->n_vars;
    } else {
      snprintf(why[i], sizeof why[i], "%.1000s", perr.message);
      p[i].unreadable = why[i];
    }
  }
  if (st == INVDES_OK) st = d->ev->type->evaluate(d->ev->state, p, n, record, d, err);
  free(p);
  free(x);
  free(why);
  return st;
}
