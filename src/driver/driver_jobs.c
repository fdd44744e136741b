/* driver_jobs.c — the record of jobs handed to a batch scheduler, as the
 * objective kinds see it (objective.h, invdes_objective_jobs): callbacks
 * over the store's jobs tables (store.h) tagged with the kind's name, the
 * run's stop flag, and `invdes cancel`. The kinds never reach the store;
 * this file is the one bridge. */
#include "driver_internal.h"

#include <stdio.h>
#include <string.h>

static invdes_status cb_intent(void *data, const char *tag, const int64_t *ids,
                               const int *retries, size_t n, invdes_error *err) {
  invdes_driver *d = data;
  return invdes_store_job_intent(d->store, d->c->objective.type->name, tag, ids, retries, n,
                                 err);
}

static invdes_status cb_submitted(void *data, const char *tag, const char *scheduler_id,
                                  invdes_error *err) {
  invdes_driver *d = data;
  return invdes_store_job_submitted(d->store, tag, scheduler_id, err);
}

static invdes_status cb_cancelled(void *data, const char *tag, invdes_error *err) {
  invdes_driver *d = data;
  return invdes_store_job_cancelled(d->store, tag, err);
}

static invdes_status cb_latest(void *data, int64_t proposal, invdes_objective_job *out,
                               int *found, invdes_error *err) {
  invdes_driver *d = data;
  invdes_store_job_task t;
  memset(out, 0, sizeof *out);
  invdes_status st = invdes_store_job_latest(d->store, proposal, &t, found, err);
  /* another kind's job (the campaign's kind cannot change) is not ours */
  if (st != INVDES_OK || !*found || strcmp(t.kind, d->c->objective.type->name) != 0) {
    *found = 0;
    return st;
  }
  snprintf(out->tag, sizeof out->tag, "%s", t.tag);
  snprintf(out->scheduler_id, sizeof out->scheduler_id, "%s", t.scheduler_id);
  out->task = t.task;
  out->retries = t.retries;
  out->cancelled = t.cancelled;
  return INVDES_OK;
}

typedef struct live_ctx {
  const char *kind;
  int (*fn)(const char *tag, const char *scheduler_id, void *data);
  void *data;
} live_ctx;

static int live_one(const char *kind, const char *tag, const char *scheduler_id, void *data) {
  live_ctx *l = data;
  return strcmp(kind, l->kind) == 0 ? l->fn(tag, scheduler_id, l->data) : 0;
}

static invdes_status cb_live(void *data, int (*fn)(const char *tag, const char *scheduler_id,
                                                   void *fn_data),
                             void *fn_data, invdes_error *err) {
  invdes_driver *d = data;
  live_ctx l = {d->c->objective.type->name, fn, fn_data};
  return invdes_store_jobs_live(d->store, live_one, &l, NULL, err);
}

static int cb_stopping(void *data) {
  invdes_driver *d = data;
  return d->run_stop && *d->run_stop;
}

void driver_jobs_setup(invdes_driver *d, invdes_objective_setup *s, invdes_objective_jobs *jobs) {
  *jobs = (invdes_objective_jobs){.data = d, .intent = cb_intent, .submitted = cb_submitted,
                                  .cancelled = cb_cancelled, .latest = cb_latest,
                                  .live = cb_live, .stopping = cb_stopping};
  *s = (invdes_objective_setup){.c = d->c, .spec = d->c->objective.spec, .space = d->space,
                                .n_vars = d->n_vars, .n_targets = d->n_targets,
                                .var_names = d->var_names, .target_names = d->target_names,
                                .jobs = jobs};
}

invdes_status invdes_driver_cancel(invdes_driver *d, size_t *n, invdes_error *err) {
  *n = 0;
  const invdes_objective_type *t = d->c->objective.type;
  if (!t || !t->cancel) return INVDES_OK;
  invdes_objective_setup s;
  invdes_objective_jobs jobs;
  driver_jobs_setup(d, &s, &jobs);
  return t->cancel(&s, n, err);
}
