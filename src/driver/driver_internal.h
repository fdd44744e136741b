/* driver_internal.h — what the driver's files share: the handle, the in-memory
 * mirror of the store (pending set, budget counter, best so far), recording
 * outcomes, and the evaluator interface (driver_eval.c). Not installed. */
#ifndef INVDES_DRIVER_INTERNAL_H
#define INVDES_DRIVER_INTERNAL_H

#include <stdint.h>

#include "driver.h"
#include "objective.h"

/* The evaluator of a run (driver_eval.c); opaque outside it. */
typedef struct driver_eval driver_eval;

/* The running Pareto front of a multi-objective campaign (driver_front.c). */
typedef struct driver_front {
  int on;                 /* the campaign is multi-objective */
  size_t m;               /* objectives */
  double *arch;           /* n × m non-dominated minimized vectors (room for cap + 1) */
  size_t n, cap;
  double *bounds;         /* 2 × m: each objective's best, then worst, over the candidates */
  size_t candidates;      /* results folded in that entered the front */
} driver_front;

/* Empties the front (keeping its memory) for campaign targets t. */
void driver_front_reset(driver_front *f, const invdes_target *t, size_t T);
void driver_front_free(driver_front *f);
/* Folds in one result's values (not failed); a result that is no candidate
 * changes nothing. */
invdes_status driver_front_add(driver_front *f, const invdes_target *t, size_t T,
                               const double *values, invdes_error *err);
/* The front's size and hypervolume (0 and 0 when it is off or empty). */
invdes_status driver_front_summary(const driver_front *f, const invdes_target *t, size_t T,
                                   size_t *size, double *hv, invdes_error *err);

struct invdes_driver {
  invdes_campaign *c;
  const invdes_space *space;  /* the campaign's (invdes_campaign_space), borrowed */
  invdes_space_work *work;
  invdes_strategy *strat;     /* rebuilt by driver_sync */
  invdes_store *store;
  char *db_path;
  size_t dim, n_vars, n_targets;
  const char **target_names;  /* n_targets, borrowed from the store */
  const char **var_names;     /* n_vars, borrowed from the store (export names) */
  driver_eval *ev;            /* NULL unless opened with INVDES_DRIVER_EVALUATE */
  volatile sig_atomic_t *run_stop; /* the run loop's stop flag while it runs */

  /* The mirror of the store, valid while `synced`. */
  int synced;
  int64_t last_id;            /* largest proposal id */
  int64_t next_batch;         /* the iteration of the next ask */
  int64_t n_evaluated;        /* done + failed */
  size_t n_pend, cap_pend;    /* proposals without an outcome */
  int64_t *pend_id;
  double *pend_z;             /* n_pend × dim */
  double *best;               /* n_targets: the best result's values, NAN: none */
  int64_t best_id;            /* the best result by target.h's one ranking, 0: none */
  invdes_rank best_rank;      /* its key */
  int64_t satisfied_id;       /* first result passing stop_when, 0: none */
  driver_front front;         /* multi-objective: the results' Pareto front */

  /* Scratch of one propose call. */
  invdes_proposals *props;
  size_t pfull;               /* n asked of invdes_driver_propose */
  unsigned pflags;
  int synced_in_call;         /* synced inside this transaction */
  int foreign;                /* another process inserted proposals */
};

/* One outcome to record: the objective kinds' outcome (objective.h). y:
 * n_targets values, NAN = missing (NULL when failed). reason/stderr for
 * failures (stderr goes to an evaluator_error event). */
typedef invdes_objective_outcome driver_outcome;

/* Rebuilds the mirror and the strategy from the store (strategy.h's resume
 * protocol: new strategy, tell every outcome, load the latest state). */
invdes_status driver_sync(invdes_driver *d, invdes_error *err);

/* Records n outcomes in one transaction (results, failures and their
 * evaluator_error events), then tells the strategy and updates the mirror.
 * source: the objective kind's name ("builtin", "command", "dataset"). */
invdes_status driver_record(invdes_driver *d, const driver_outcome *o, size_t n,
                            const char *source, invdes_error *err);

/* The JSON object text recorded for raw point x (malloc'ed), or NULL. */
char *driver_params_json(const invdes_driver *d, const double *x);

/* Raw values x (n_vars) of a proposal from its recorded parameters (exact:
 * written with 17 significant digits). */
invdes_status driver_params_to_x(invdes_driver *d, const char *json, double *x,
                                 invdes_error *err);

/* ---- evaluators (driver_eval.c) ----------------------------------------- */

invdes_status driver_eval_new(invdes_driver *d, driver_eval **out, invdes_error *err);
void driver_eval_free(driver_eval *e);
/* 1 when evaluations run inside this process and cost next to nothing to
 * redo (the kind's INVDES_OBJECTIVE_IN_PROCESS): the loop then groups many
 * cycles per transaction. */
int driver_eval_in_process(const driver_eval *e);
/* Evaluates rows[0..n) and records each outcome as the kind hands it over
 * (a command: as it arrives). */
invdes_status driver_eval_batch(invdes_driver *d, const invdes_store_proposal *rows, size_t n,
                                invdes_error *err);
/* The objective's setup for d (*s), with the store's job callbacks in *jobs
 * (driver_jobs.c) and s->jobs pointing at them. */
void driver_jobs_setup(invdes_driver *d, invdes_objective_setup *s, invdes_objective_jobs *jobs);
/* Failures recorded by this evaluator so far. */
int64_t driver_eval_failures(const driver_eval *e);

#endif
