/* driver.h — connects a campaign, its database, a strategy and an evaluator:
 * the run loop of `invdes run` and the proposing half of `invdes ask`.
 *
 * A driver owns the campaign model, its design space, the strategy, the
 * evaluator and the open store. The store is the record of truth; the driver
 * keeps in memory only what it can rebuild from it at any time (the
 * strategy's told history and saved state, the pending set, the budget
 * counter, the best so far) and rebuilds it ("sync") the first time it
 * proposes and whenever another process has inserted proposals meanwhile.
 *
 * Proposing follows strategy.h's protocol inside ONE store transaction
 * (invdes_store_ask): proposals of the station that have no outcome, then
 * expired or abandoned ones (same ids), then the strategy's new ones for the
 * rest, asked at iteration = the store's next batch number with pending = the
 * z of every proposal without an outcome, inserted together with the model's
 * predictions and the strategy's saved state. A crash at any moment leaves the
 * database consistent; a resumed run hands out exactly what an uninterrupted
 * one would have (docs/architecture.md, "The run loop and resume").
 *
 * This module never prints and never installs signal handlers: the command
 * line does (progress through a callback, stopping through a flag). */
#ifndef INVDES_DRIVER_H
#define INVDES_DRIVER_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "campaign.h"
#include "error.h"
#include "invdes_export.h"
#include "space.h"
#include "store.h"
#include "strategy.h"

typedef struct invdes_driver invdes_driver;

/* The station name the run loop records its proposals under (lease 0). */
#define INVDES_DRIVER_RUN_STATION "run"

enum {
  /* create the database when the file does not exist (or is empty) */
  INVDES_DRIVER_CREATE = 1,
  /* build the evaluator (run); without it the driver only proposes (ask) */
  INVDES_DRIVER_EVALUATE = 2
};

/* The database a campaign file uses by default: NAME.db beside it, where NAME
 * is the file's name without its .yaml/.yml extension. malloc'ed. */
INVDES_API
char *invdes_driver_default_db(const char *campaign_path);

/* Opens the database `db_path` (NULL: the default above) for the campaign
 * file `campaign_path`. A database that exists must hold this campaign: a
 * changed campaign file is refused (INVDES_ERR_INVALID) with the store's
 * summary of what changed in `err`; harmless changes (description, budget, a
 * command's timeout/parallel) are accepted and recorded. Records the
 * campaign file's absolute path (event "campaign_source") so that a later
 * `invdes ask` on the database alone can resolve relative paths. *created
 * (may be NULL) tells whether the file was made now; `notes` (may be NULL)
 * receives the harmless changes accepted. */
INVDES_API
invdes_driver *invdes_driver_open(const char *campaign_path, const char *db_path,
                                  unsigned flags, int *created, invdes_error *notes,
                                  invdes_error *err);

/* Opens a database alone: the campaign is parsed from the text stored in it.
 * Relative paths in it (a pool file) resolve against the folder of the
 * campaign file it was made from (the latest "campaign_source" event), and
 * when that fails against the database's own folder. Only proposing works
 * (flags as above; INVDES_DRIVER_EVALUATE is honoured too). */
INVDES_API
invdes_driver *invdes_driver_open_db(const char *db_path, unsigned flags, invdes_error *err);

INVDES_API
void invdes_driver_free(invdes_driver *d);

INVDES_API
const invdes_campaign *invdes_driver_campaign(const invdes_driver *d);
INVDES_API
const invdes_space *invdes_driver_space(const invdes_driver *d);
INVDES_API
invdes_store *invdes_driver_store(invdes_driver *d);
INVDES_API
const char *invdes_driver_db_path(const invdes_driver *d);

/* ---- proposing ------------------------------------------------------------ */

enum {
  /* when anything was claimed, hand out only that and make nothing new (the
   * run loop: in-flight proposals of a killed run are finished first, so the
   * batches that follow are those of an uninterrupted run) */
  INVDES_PROPOSE_CLAIM_FIRST = 1,
  /* hand out beyond the budget (`ask --over-budget`); without it an ask
   * hands out at most budget.evaluations - results - outstanding anew
   * (invdes_store_ask_budget) */
  INVDES_PROPOSE_OVER_BUDGET = 2,
  /* rebuild the mirror from the store inside the ask's transaction, as a
   * freshly opened driver does: results, failures and amendments recorded
   * through other connections since the last ask are seen (a mirror is only
   * rebuilt by itself when proposals were inserted elsewhere). For a driver
   * kept open across asks (`invdes serve`): its asks then equal `invdes ask`'s. */
  INVDES_PROPOSE_SYNC = 4
};

/* One ask in one transaction (see the top of this file): up to n proposals
 * for `station` (NULL: none named) leased for lease_s seconds (0: no lease).
 * *out (the caller frees it with invdes_store_rows_free) lists them, claimed
 * first; fewer than n (even none) when the budget is spent (unless
 * INVDES_PROPOSE_OVER_BUDGET) or a finite space has no untried point left. */
INVDES_API
invdes_status invdes_driver_propose(invdes_driver *d, size_t n, const char *station,
                                    double lease_s, unsigned flags, invdes_store_rows **out,
                                    invdes_error *err);

/* Points not yet tried for a finite space (neither told nor pending), after
 * a sync; SIZE_MAX for other spaces. */
INVDES_API
size_t invdes_driver_remaining(invdes_driver *d, invdes_error *err);

/* ---- points from outside: prior data and grown campaigns ------------------ */

/* The slack an imported point's composition sums and constraints may show
 * (absolute, in their own units): lab data is rounded. */
#define INVDES_DRIVER_IMPORT_TOL 1e-6

/* A point of d's space from n variable values given by name as text
 * (decimal numbers; a categorical's label; a pool candidate's id). Every
 * variable must be given once and nothing else; bounds hold to 1e-9 of the
 * range, sums and constraints to INVDES_DRIVER_IMPORT_TOL. *parameters (the
 * caller frees it) gets the JSON object the run loop would record, z
 * (invdes_space_dim values) the encoded vector. INVDES_ERR_INVALID with a
 * message naming the variable and value otherwise; why (may be NULL; why_len
 * bytes) then gets the reason without the value ("'t' is outside its
 * bounds"), for counting reasons. */
INVDES_API
invdes_status invdes_driver_point(invdes_driver *d, const char *const *names,
                                  const char *const *texts, size_t n, char **parameters,
                                  double *z, char *why, size_t why_len, invdes_error *err);

#define INVDES_MIGRATION_REASONS 16
/* What invdes_driver_migrate carried and, per reason, what it did not. */
typedef struct invdes_migration {
  size_t proposals;  /* in the old database */
  size_t carried;    /* results recorded in the new one */
  size_t n_reasons;  /* distinct reasons (the last may be "other reasons") */
  char reason[INVDES_MIGRATION_REASONS][160];
  size_t count[INVDES_MIGRATION_REASONS];
} invdes_migration;

/* Carries every result of the campaign database old_path into d's database
 * (one transaction, invdes_store_import with source "migrated"): each done
 * proposal whose parameters make a point of d's space (variables matched by
 * name, invdes_driver_point) and that has a current value for at least one
 * of d's targets (matched by name, inside its range). Values of targets d
 * lacks are dropped; pending, failed and abandoned proposals and retracted
 * results are not carried. The old versions of each carried value stay in
 * the audit trail with their times and who made them, followed by a
 * "migrated" version by `who`. Opening the old file upgrades its schema if
 * it is older. *out says what happened. */
INVDES_API
invdes_status invdes_driver_migrate(invdes_driver *d, const char *old_path, const char *who,
                                    invdes_migration *out, invdes_error *err);

/* ---- the run loop --------------------------------------------------------- */

typedef enum invdes_run_end {
  INVDES_RUN_BUDGET,      /* budget.evaluations results exist */
  INVDES_RUN_SATISFIED,   /* a result passes stop_when (invdes_stop_when_met) */
  INVDES_RUN_EXHAUSTED,   /* a finite space, or a finite strategy (a grid), has no
                             untried point left */
  INVDES_RUN_INTERRUPTED, /* *stop became non-zero: finished work was recorded */
  INVDES_RUN_HELD         /* the rest of the budget is held by proposals out with
                             stations (pending with a live lease, or partial) */
} invdes_run_end;

/* What a progress callback sees; arrays are borrowed for the call. */
typedef struct invdes_run_progress {
  int64_t evaluated;      /* results so far (done + failed) */
  int64_t budget;         /* budget.evaluations */
  int64_t failed;         /* failures recorded by this run */
  size_t n_targets;
  const char *const *target_names;
  /* the best result so far by the one ranking (target.h, as `invdes best`) */
  const double *best;     /* its values per target, NAN where it has none */
  int64_t best_id;        /* its proposal, 0 when no result yet */
  int best_meets;         /* it meets every condition (else: least violation) */
  double best_violation;  /* its normalized violation, 0 when it meets */
  double elapsed;         /* seconds since this run started */
  double eta;             /* seconds to the budget at this run's pace; NAN: unknown */
  int final;              /* 1 for the last call of the run */
  /* A multi-objective campaign (target.h) has no single best: pareto is 1
   * and front_size and hypervolume say where its Pareto front stands (the
   * best fields above then hold the one ranking's pick, a point of the
   * front, for callers that need one result). 0, 0, 0 otherwise. */
  int pareto;
  size_t front_size;      /* results on the front (equal ones all count) */
  double hypervolume;     /* below the reference of target.h's rule */
} invdes_run_progress;

typedef struct invdes_run_options {
  /* the loop stops after recording what has finished once *stop != 0 (a
   * signal handler sets it); NULL: never */
  volatile sig_atomic_t *stop;
  /* called after each batch (and once more with final = 1); may be NULL */
  void (*progress)(const invdes_run_progress *p, void *data);
  void *data;
} invdes_run_options;

/* Proposes, evaluates and records until the campaign ends (see
 * invdes_run_end) or *stop is set. Resumes a database that has proposals:
 * those in flight when a run was killed are evaluated first (same ids) and
 * nothing with a recorded result is evaluated again. Logs run_started or
 * run_resumed and run_stopped. A station campaign is refused
 * (INVDES_ERR_USAGE). Failed evaluations are recorded (reason, stderr in the
 * event log) and the run goes on; an error of the machinery (the database,
 * no memory, a program that cannot be started) stops it with that error. */
INVDES_API
invdes_status invdes_driver_run(invdes_driver *d, const invdes_run_options *opt,
                                invdes_run_end *end, invdes_error *err);

/* Cancels what the campaign's objective kind left running outside (the
 * slurm kind: scancel of every job that still holds a proposal without an
 * outcome, each marked cancelled in the store so that the next run submits
 * those proposals anew without spending a retry). *n gets the number of
 * jobs cancelled; a kind that leaves nothing running cancels nothing (0).
 * Works on a driver opened without INVDES_DRIVER_EVALUATE. */
INVDES_API
invdes_status invdes_driver_cancel(invdes_driver *d, size_t *n, invdes_error *err);

/* "budget reached", ... for messages. */
INVDES_API
const char *invdes_run_end_message(invdes_run_end e);

#endif
