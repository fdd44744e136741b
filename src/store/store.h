/* store.h — the campaign database (SQLite): the single record of truth.
 *
 * One file holds one campaign: its YAML text and SHA-256, its variables and
 * targets, every proposal (parameters, encoded vector z, status, who holds it
 * and until when, what a model predicted), every result, an event log and the
 * strategy state that cannot be rebuilt. docs/database.md describes the schema.
 *
 * Several processes may share one file (WAL mode, busy timeout, BEGIN
 * IMMEDIATE retried on SQLITE_BUSY). Every mutating call is atomic on its own;
 * invdes_store_transaction groups calls into one transaction (nested calls
 * become savepoints, so a failing call inside leaves nothing behind).
 *
 * This module knows nothing of strategies, surrogates or evaluators, and does
 * not format output (CSV/JSON writers live with the command line). Parameter
 * values are stored as the JSON object text the caller gives; z as
 * little-endian IEEE-754 doubles. Times are Unix seconds (REAL). A handle is
 * used by one thread at a time. The library never prints. */
#ifndef INVDES_STORE_H
#define INVDES_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "campaign.h"
#include "error.h"
#include "invdes_export.h"
#include "target.h"

/* The schema version this build writes (PRAGMA user_version). */
#define INVDES_STORE_SCHEMA_VERSION 5
/* The longest lease a station may take or extend to (seconds): ten years. */
#define INVDES_STORE_LEASE_MAX 315576000.0
/* Bytes of an evaluator's stderr kept per event; longer text keeps its tail. */
#define INVDES_STORE_STDERR_MAX 65536

typedef struct invdes_store invdes_store;

typedef enum invdes_proposal_status {
  INVDES_PROPOSAL_PENDING = 1,   /* handed out, no outcome yet */
  INVDES_PROPOSAL_DONE = 2,      /* every target reported, or closed */
  INVDES_PROPOSAL_FAILED = 4,    /* run and failed; `reason` says why */
  INVDES_PROPOSAL_ABANDONED = 8, /* given back unrun; offered again */
  INVDES_PROPOSAL_PARTIAL = 16   /* some targets reported, the rest to follow */
} invdes_proposal_status;
#define INVDES_PROPOSAL_ANY 31   /* a mask of all five, for filters */

/* "pending", "done", "failed", "abandoned", "partial". */
INVDES_API
const char *invdes_proposal_status_name(invdes_proposal_status s);

/* ---- opening ------------------------------------------------------------ */

/* Creates the database for campaign c at `path`: a new file, an empty
 * (0-byte) file, or an SQLite file without any table. Refuses a file that
 * already holds a campaign or anything else. The campaign's text, name,
 * variables and targets are copied in. Returns NULL on failure (err says why,
 * naming the file). The caller closes the handle with invdes_store_close. */
INVDES_API
invdes_store *invdes_store_create(const char *path, const invdes_campaign *c,
                                  invdes_error *err);

/* Opens an existing campaign database, upgrading an older schema step by step
 * (inside one transaction). Refuses a missing file, a file that is not SQLite,
 * an SQLite file of another application, an empty database (never created by
 * invdes_store_create) and a schema newer than this build knows. Every open
 * checks the schema (every table, column and index this build makes must be
 * there; INVDES_ERR_INVALID naming what is missing) and the file (PRAGMA
 * integrity_check: pages, b-trees, index entries against their rows; about
 * 27 ms for 20,000 results): a damaged file is refused with INVDES_ERR_DB and a message naming
 * it and how to recover it (`sqlite3 FILE .recover`); damage found later by
 * any call gets the same message. A file that cannot be written, or whose
 * folder cannot take the -wal/-shm files, is opened read-only (immutable when
 * neither file exists): reading works, writing fails with INVDES_ERR_DB. */
INVDES_API
invdes_store *invdes_store_open(const char *path, invdes_error *err);

/* Finalizes statements and closes the file. NULL is a no-op. */
INVDES_API
void invdes_store_close(invdes_store *s);

/* How long a call waits for another process holding the write lock before it
 * fails with INVDES_ERR_DB (seconds, > 0; default 30). */
INVDES_API
void invdes_store_set_timeout(invdes_store *s, double seconds);

/* Replaces the clock (Unix seconds) used for timestamps and leases; `now` NULL
 * restores the system clock. For tests of lease expiry. */
INVDES_API
void invdes_store_set_clock(invdes_store *s, double (*now)(void *data), void *data);

/* The run lock: at most one run loop works on a database at a time (two
 * would both claim the proposals the run station holds and evaluate them
 * twice). Taken without waiting: another live holder is INVDES_ERR_DB "another
 * `invdes run` is working on this database" (busy, retry later). The lock is
 * the kernel's (flock on the file), so a holder killed in any way, SIGKILL
 * included, releases it. Held until invdes_store_unlock_run or close; taking
 * it twice through one handle is a no-op. ask/tell/heartbeat do not take it. */
INVDES_API
invdes_status invdes_store_lock_run(invdes_store *s, invdes_error *err);
INVDES_API
void invdes_store_unlock_run(invdes_store *s);

/* ---- what the database holds (borrowed, valid until close) --------------- */

INVDES_API
const char *invdes_store_path(const invdes_store *s);
INVDES_API
const char *invdes_store_campaign_name(const invdes_store *s);
INVDES_API
const char *invdes_store_campaign_text(const invdes_store *s);
INVDES_API
const char *invdes_store_campaign_sha256(const invdes_store *s); /* 64 hex digits */
/* Targets in campaign order; arrays indexed by target below follow it. */
INVDES_API
size_t invdes_store_n_targets(const invdes_store *s);
INVDES_API
const char *invdes_store_target_name(const invdes_store *s, size_t i);
INVDES_API
invdes_goal invdes_store_target_goal(const invdes_store *s, size_t i);
/* Target i as stored (goal, window, threshold, weight, unit; no mark), for
 * target.h's functions; NULL when i is out of range. */
INVDES_API
const invdes_target *invdes_store_target(const invdes_store *s, size_t i);
/* Variables (export columns) in campaign order: parameters, then composition
 * components; a pool campaign has one, the pool's id column or "candidate". */
INVDES_API
size_t invdes_store_n_variables(const invdes_store *s);
INVDES_API
const char *invdes_store_variable_name(const invdes_store *s, size_t i);
/* Variable i's kind as stored: "continuous", "integer", "discrete",
 * "categorical", "component" or "pool"; NULL when out of range. */
INVDES_API
const char *invdes_store_variable_kind(const invdes_store *s, size_t i);
/* Variable i's unit as written in the campaign, NULL for none. */
INVDES_API
const char *invdes_store_variable_unit(const invdes_store *s, size_t i);

/* ---- the campaign file changing --------------------------------------- */

/* Compares two campaign models. Returns INVDES_OK when they differ at most in
 * harmless ways: description, budget, and the objective settings its kind's
 * table marks harmless (a command's timeout and parallel count). `changes`
 * (may be NULL) gets one line per difference found,
 * "budget.evaluations: 120 -> 200 (allowed)" or "strategy.batch: 4 -> 8";
 * INVDES_ERR_INVALID when any difference is not harmless. Positions (marks),
 * comments and formatting are not compared. */
INVDES_API
invdes_status invdes_store_campaign_diff(const invdes_campaign *old_c,
                                         const invdes_campaign *new_c,
                                         invdes_error *changes);

/* Checks campaign c (freshly loaded) against the one in the database: identical
 * text and pool data is OK at once; otherwise the stored text is parsed (with
 * c->path as its location) and compared with invdes_store_campaign_diff, and a
 * changed candidate pool is a difference too. Returns INVDES_OK (harmless or
 * no changes, listed in `changes` with status OK) or INVDES_ERR_INVALID with
 * the summary of what changed in `changes`. */
INVDES_API
invdes_status invdes_store_check_campaign(invdes_store *s, const invdes_campaign *c,
                                          invdes_error *changes);

/* Checks as above and, when the changes are harmless, stores c's text and
 * hash in place of the old ones and logs a "campaign_changed" event with the
 * summary. Unchanged text: nothing is written. */
INVDES_API
invdes_status invdes_store_update_campaign(invdes_store *s, const invdes_campaign *c,
                                           invdes_error *changes);

/* ---- transactions ----------------------------------------------------- */

/* Runs fn(s, data, err) inside one write transaction (BEGIN IMMEDIATE, retried
 * while another process holds the lock). fn's non-OK status rolls everything
 * back and is returned. Called inside another transaction, it becomes a
 * savepoint of the outer one. */
typedef invdes_status (*invdes_store_txn_fn)(invdes_store *s, void *data, invdes_error *err);
INVDES_API
invdes_status invdes_store_transaction(invdes_store *s, invdes_store_txn_fn fn, void *data,
                                       invdes_error *err);

/* ---- proposals as read back ------------------------------------------- */

/* One proposal with everything known about it. Pointers are owned by the
 * list that holds it. Arrays indexed by target have n_targets entries. */
typedef struct invdes_store_proposal {
  int64_t id, batch, iteration;
  const char *strategy;
  const char *parameters;     /* the JSON object text as recorded */
  const double *z;
  size_t dim;
  invdes_proposal_status status;
  const char *station;        /* NULL: none */
  double lease_expires;       /* NAN: no lease */
  int offers;                 /* times handed out (1, more when offered again) */
  const char *reason;         /* failed/abandoned: the reason given; else NULL */
  double acquisition;         /* NAN: none */
  const double *pred_mean, *pred_sd; /* NAN where no model predicted */
  const double *value, *sd;   /* measured; NAN where missing / not given */
  double created, updated;    /* Unix seconds */
} invdes_store_proposal;

typedef struct invdes_store_rows {
  size_t n;
  invdes_store_proposal *items; /* by increasing id */
  size_t n_targets;
  const char *const *target_names; /* n_targets names, campaign order; borrowed
                                      from the store, valid until it is closed */
} invdes_store_rows;

INVDES_API
void invdes_store_rows_free(invdes_store_rows *l);

/* ---- proposals ---------------------------------------------------------- */

/* A proposal to record, as a strategy made it. */
typedef struct invdes_store_new_proposal {
  const char *parameters;   /* a JSON object text: variable name -> value */
  const double *z;          /* the encoded vector, dim values (may be 0) */
  size_t dim;
  const double *pred_mean;  /* NULL, or n_targets values (NAN: no prediction) */
  const double *pred_sd;    /* NULL, or n_targets values (NAN: none) */
  double acquisition;       /* the acquisition value; NAN when no model */
} invdes_store_new_proposal;

/* Records n proposals as one new batch (numbered after the largest so far),
 * status pending, made by `strategy` at `iteration`. station: who takes them
 * (NULL: nobody named); lease_seconds > 0 sets lease_expires = now + lease,
 * 0 means no lease (they never expire). ids (may be NULL) receives the n new
 * ids, batch (may be NULL) the batch number. One transaction. */
INVDES_API
invdes_status invdes_store_insert(invdes_store *s, int64_t iteration, const char *strategy,
                                  const invdes_store_new_proposal *p, size_t n,
                                  const char *station, double lease_seconds, int64_t *ids,
                                  int64_t *batch, invdes_error *err);

/* Hands out up to `max` existing proposals before anything new is made, and
 * leases them to `station` for lease_seconds (0: no lease; at most
 * INVDES_STORE_LEASE_MAX):
 *  1. the station's own pending proposals (an ask repeated before it reports
 *     gets the same proposals back, their leases kept or extended to now +
 *     lease_seconds, never shortened), oldest first; skipped when station is
 *     NULL;
 *  2. then pending proposals of others whose lease has expired, and abandoned
 *     ones, oldest first: the same id offered again (status pending, the
 *     `offers` count raised, an "offered_again" event logged).
 * ids (room for max) receives them in that order, *n_out their number.
 * The run loop records its proposals under a station name of its own with no
 * lease, so a resumed run gets its in-flight proposals back from step 1. */
INVDES_API
invdes_status invdes_store_claim(invdes_store *s, const char *station, double lease_seconds,
                                 size_t max, int64_t *ids, size_t *n_out, invdes_error *err);

/* Makes up to n new proposals inside the ask's transaction, reading what it
 * needs from s (e.g. invdes_store_list for the history) and recording them with
 * invdes_store_insert(s, ..., station, lease_seconds, ...). May make fewer. */
typedef invdes_status (*invdes_store_propose_fn)(invdes_store *s, size_t n, const char *station,
                                                 double lease_seconds, void *data,
                                                 invdes_error *err);

/* One ask, one transaction: claim (above) up to n, then `propose` for the
 * rest (propose may be NULL: claim only). *out (the caller frees it with
 * invdes_store_rows_free) lists the proposals handed out: claimed first,
 * then new, each at most once. No budget: see invdes_store_ask_budget. */
INVDES_API
invdes_status invdes_store_ask(invdes_store *s, const char *station, double lease_seconds,
                               size_t n, invdes_store_propose_fn propose, void *data,
                               invdes_store_rows **out, invdes_error *err);

/* As invdes_store_ask, within a budget of `budget` evaluations (<= 0: none):
 * the station's own pending proposals come back as always, but what is
 * handed out anew (offered again or made) is at most budget - results -
 * outstanding, counted inside the ask's transaction (invdes_store_budget),
 * so stations asking together never overspend it. Fewer than n, even none,
 * is not an error: the caller compares with invdes_store_budget_get. */
INVDES_API
invdes_status invdes_store_ask_budget(invdes_store *s, const char *station,
                                      double lease_seconds, size_t n, int64_t budget,
                                      invdes_store_propose_fn propose, void *data,
                                      invdes_store_rows **out, invdes_error *err);

/* Inside a propose callback: how many proposals the ask under way claimed
 * (the station's own, expired or abandoned ones) before calling it. The
 * callback's n is what is left after the claim and the budget's cap, so
 * n < what was asked for does not tell the two apart; this does. */
INVDES_API
size_t invdes_store_ask_claimed(const invdes_store *s);

/* What the budget is spent on. results: proposals done (every target
 * reported, or closed) or failed; outstanding: proposals handed out that may
 * still become results: pending with a live lease or none, and partial ones
 * (reported in part: they hold their place until completed or closed).
 * Pending proposals whose lease ran out and abandoned ones hold nothing:
 * the next ask offers them again. */
typedef struct invdes_store_budget {
  int64_t results;
  int64_t outstanding;
} invdes_store_budget;

INVDES_API
invdes_status invdes_store_budget_get(invdes_store *s, invdes_store_budget *out,
                                      invdes_error *err);

/* Extends the lease of pending (or partial) proposal `id` to now +
 * lease_seconds (> 0, at most INVDES_STORE_LEASE_MAX). Only the holder may:
 * a proposal held by a named station and heartbeaten by another (or by
 * station NULL) is INVDES_ERR_HELD, the message naming the holder and the
 * lease's end; one that is not pending is INVDES_ERR_INVALID. *expires (may
 * be NULL) gets the new expiry. */
INVDES_API
invdes_status invdes_store_heartbeat(invdes_store *s, int64_t id, const char *station,
                                     double lease_seconds, double *expires, invdes_error *err);

/* ---- results ------------------------------------------------------------ */

typedef struct invdes_store_value {
  const char *target;  /* a target name of the campaign */
  double value;        /* finite */
  double sd;           /* the measurement's standard deviation; NAN: not given */
} invdes_store_value;

typedef enum invdes_tell_kind {
  INVDES_TELL_RESULT,  /* values for some or all targets: status done once
                          every target has one (or `close`), else partial */
  INVDES_TELL_FAILED,  /* run and failed: status failed with `reason` */
  INVDES_TELL_ABANDON, /* given back unrun: status abandoned, offered again */
  INVDES_TELL_CLOSE    /* a partial proposal is finished as it is: done */
} invdes_tell_kind;

typedef struct invdes_store_tell_req {
  int64_t id;
  invdes_tell_kind kind;
  const invdes_store_value *values; /* RESULT: n_values >= 1 */
  size_t n_values;
  const char *reason;    /* FAILED: required; ABANDON: optional */
  const char *source;    /* who reports: "builtin", "command", "station:robot1"..., may be NULL */
  const char *campaign;  /* NULL, or the campaign name the report is meant for */
  const char *station;   /* the reporting station (NULL: none named): must be the
                            holder of a proposal whose lease is live */
  int close;             /* RESULT: done now even with targets missing */
} invdes_store_tell_req;

/* Records one report in one transaction. Ownership first: a pending or
 * partial proposal held by a named station whose lease is live (or has no
 * end) takes reports from that station only; any other `station` (NULL too)
 * is refused with INVDES_ERR_HELD, the message naming the holder and the
 * lease's end. Once the lease has run out, anyone's result is accepted (a
 * late result, logged), once per target, as for an abandoned proposal.
 * A result for a pending, partial or abandoned proposal is accepted; each
 * target at most once; the proposal becomes done when every target has a
 * value (or `close`), partial otherwise. CLOSE turns a partial proposal done.
 * Refused with INVDES_ERR_INVALID and the database unchanged: an unknown id,
 * an unknown or repeated target, a value already recorded, a non-finite value
 * or a negative/non-finite sd, a value outside the target's declared range,
 * a value for a target whose latest version was retracted (amend it
 * instead), a result for a failed or done proposal, a
 * failure of a proposal done, partial or failed (one given back may still
 * fail: it was run after all), an abandon of a proposal that is not pending,
 * a close of one that is not partial, and a `campaign` other than the
 * database's. Every change records the station in the event log (results in
 * their `source`). */
INVDES_API
invdes_status invdes_store_tell(invdes_store *s, const invdes_store_tell_req *req,
                                invdes_error *err);

/* n reports, all or none (one transaction); the error names the report. */
INVDES_API
invdes_status invdes_store_tell_many(invdes_store *s, const invdes_store_tell_req *reqs,
                                     size_t n, invdes_error *err);

/* ---- corrections and prior data (store_amend.c, store_import.c) ---------- */

/* One version of one result, as result_history keeps it. action: "recorded"
 * (the first value, told, evaluated or imported; who = its source),
 * "amended" (a correction), "retracted" (value = the value withdrawn),
 * "migrated" (carried into a grown campaign's database). version counts 1, 2,
 * ... per (proposal, target). Strings are borrowed for the call. */
typedef struct invdes_store_version {
  int64_t proposal;
  const char *target;
  int version;
  const char *action;
  double value, sd;   /* NAN where none */
  const char *who;    /* the source or the person/station; may be NULL */
  double time;        /* Unix seconds */
  const char *reason; /* may be NULL */
} invdes_store_version;

/* Replaces the current values of proposal `id` for the n targets given (one
 * transaction): each must have had a value (current, or retracted), be
 * finite and inside the target's declared range. The old versions stay in
 * result_history; a version "amended" by `who` (required) with `reason`
 * (required) and an "amended" event are added. Refused (INVDES_ERR_INVALID,
 * nothing written): an unknown id or target, a target given twice, a target
 * never reported, a value out of range. */
INVDES_API
invdes_status invdes_store_amend(invdes_store *s, int64_t id, const invdes_store_value *values,
                                 size_t n, const char *who, const char *reason,
                                 invdes_error *err);

/* Withdraws every current value of proposal `id` (one transaction): they
 * leave `results` and a "retracted" version of each, by `who` with `reason`
 * (both required), is added, with a "retracted" event. The proposal keeps
 * its status (done: the experiment was run and spent its budget) but has no
 * value for models, rankings or exports; tell refuses new values for the
 * retracted targets, amend may give them values again. Refused: an unknown id, a proposal without
 * any current value. */
INVDES_API
invdes_status invdes_store_retract(invdes_store *s, int64_t id, const char *who,
                                   const char *reason, invdes_error *err);

/* Calls fn for every version of every result (proposal 0) or of one
 * proposal, by proposal, target (campaign order) and version, in one read
 * transaction. fn returning non-zero stops the walk; it must not call the
 * store. */
INVDES_API
invdes_status invdes_store_history(invdes_store *s, int64_t proposal,
                                   int (*fn)(const invdes_store_version *v, void *data),
                                   void *data, invdes_error *err);

/* An experiment invdes did not propose, to record as done. */
typedef struct invdes_store_import_row {
  const char *parameters;            /* JSON object text, as invdes_store_insert's */
  const double *z;                   /* the encoded vector (dim values) */
  size_t dim;
  const invdes_store_value *values;  /* n_values >= 1 current values */
  size_t n_values;
  double time;                       /* when it was measured (Unix s); NAN: now */
  /* Migration: earlier versions to keep in the audit trail (targets of this
   * campaign only; their proposal field is ignored), and the note of the
   * "migrated" version ("from OLD.db, proposal 7"). Both unused by import. */
  const invdes_store_version *history;
  size_t n_history;
  const char *note;
} invdes_store_import_row;

/* Records n experiments, all or none (one transaction), as one new batch of
 * proposals with status done, strategy = source and station = who, and
 * their values with source `source`: "import" (prior data; the first version
 * is "recorded" by "import") or "migrated" (the given history is copied,
 * then a "migrated" version by `who` with the row's note). Each value is
 * checked as a tell's (known target, once, finite, sd >= 0, in range); the
 * error names the row (1-based). An "imported"/"migrated" event records the
 * count. ids (may be NULL, room for n) receives the new ids. */
INVDES_API
invdes_status invdes_store_import(invdes_store *s, const invdes_store_import_row *rows, size_t n,
                                  const char *source, const char *who, int64_t *ids,
                                  invdes_error *err);

/* ---- reading ------------------------------------------------------------ */

/* Proposals whose status is in status_mask (INVDES_PROPOSAL_ANY for all) and
 * whose id is greater than after_id, by increasing id, with their results and
 * predictions: the history a strategy rebuilds itself from, and the rows of an
 * export. */
INVDES_API
invdes_status invdes_store_list(invdes_store *s, unsigned status_mask, int64_t after_id,
                                invdes_store_rows **out, invdes_error *err);

/* The proposals with the given ids, in that order; an unknown id is an error. */
INVDES_API
invdes_status invdes_store_get(invdes_store *s, const int64_t *ids, size_t n,
                               invdes_store_rows **out, invdes_error *err);

typedef struct invdes_store_counts {
  int64_t proposals;       /* all */
  int64_t pending;         /* of which pending_expired have an expired lease */
  int64_t pending_expired;
  int64_t done, failed, abandoned, partial;
  int64_t results;         /* result rows (one per proposal and target) */
  int64_t batches;         /* largest batch number */
} invdes_store_counts;

INVDES_API
invdes_status invdes_store_counts_get(invdes_store *s, invdes_store_counts *out,
                                      invdes_error *err);

/* The budget counter: proposals evaluated so far (done + failed; a partial
 * proposal counts once it is complete or closed). */
INVDES_API
invdes_status invdes_store_n_evaluated(invdes_store *s, int64_t *n, invdes_error *err);

/* The best result so far by the one ranking (target.h, "the one ranking of
 * results"): results meeting every condition first, the best objective
 * among them; else the least normalized violation. Ties: the older id. */
typedef struct invdes_store_best {
  int64_t proposal;   /* the best result; 0: no proposal has a value yet */
  invdes_rank rank;   /* its key: rank.meets says which ranking named it */
  int64_t n_ranked;   /* proposals with at least one value */
  int64_t n_meeting;  /* of which meet every condition */
} invdes_store_best;

/* Ranks every proposal that has a value (the current values in `results`;
 * a failed proposal has none) by the targets the database records, in one
 * read transaction. out->proposal is 0 when nothing is ranked. */
INVDES_API
invdes_status invdes_store_best_result(invdes_store *s, invdes_store_best *out,
                                       invdes_error *err);

/* ---- events and strategy state ------------------------------------------ */

/* Appends an event: kind is a short word ("run_started", "run_stopped",
 * "run_resumed", "evaluator_error", ...), proposal 0 for none, message and
 * stderr_text may be NULL; stderr beyond INVDES_STORE_STDERR_MAX bytes keeps
 * its tail, after a note of how much was cut. */
INVDES_API
invdes_status invdes_store_event(invdes_store *s, const char *kind, int64_t proposal,
                                 const char *message, const char *stderr_text,
                                 size_t stderr_len, invdes_error *err);

typedef struct invdes_store_event_row {
  int64_t id;
  double time;
  const char *kind;
  int64_t proposal;     /* 0: none */
  const char *message;  /* may be NULL */
  const char *stderr_text; /* may be NULL */
  const char *station;  /* the station that made the change; NULL: none named */
} invdes_store_event_row;

/* Calls fn for each event with id > after_id whose kind equals `kind` (NULL:
 * all), in order; the row is borrowed for the call. fn returning non-zero
 * stops the walk. fn must not call the store. */
INVDES_API
invdes_status invdes_store_events(invdes_store *s, int64_t after_id, const char *kind,
                                  int (*fn)(const invdes_store_event_row *row, void *data),
                                  void *data, invdes_error *err);

/* Saves (replacing) strategy state for (key, iteration). */
INVDES_API
invdes_status invdes_store_state_put(invdes_store *s, const char *key, int64_t iteration,
                                     const void *blob, size_t len, invdes_error *err);

/* The state for `key` with the largest iteration <= max_iteration (INT64_MAX:
 * the latest). *blob (the caller frees it) and *len; *found 0 and *blob NULL
 * when there is none. *iteration (may be NULL) gets the one found. */
INVDES_API
invdes_status invdes_store_state_get(invdes_store *s, const char *key, int64_t max_iteration,
                                     void **blob, size_t *len, int64_t *iteration,
                                     int *found, invdes_error *err);

/* ---- jobs of an outside scheduler (store_jobs.c) ------------------------- */

/* A kind that hands evaluations to a batch scheduler (the `slurm` objective)
 * records each submission as a job: a tag unique to it (the scheduler's job
 * name), the scheduler's id once known, and one task per proposal. The
 * protocol that makes a killed coordinator never submit twice: intent (job +
 * tasks, no id) is committed BEFORE the scheduler is asked; the id is the
 * very next write after it answered; on restart a job without an id is
 * looked up by its tag. docs/database.md, tables jobs and job_tasks. */

/* The latest task of one proposal (the job it was last submitted in). */
typedef struct invdes_store_job_task {
  int64_t proposal;
  int64_t job;             /* jobs.id */
  char kind[32];           /* the objective kind that submitted it */
  char tag[128];
  char scheduler_id[64];   /* "" until the scheduler's answer was recorded */
  int task;                /* its index in the job (array task id) */
  int retries;             /* retries spent on this proposal before this job */
  int cancelled;           /* the job was cancelled by `invdes cancel` */
} invdes_store_job_task;

/* Records the intent to submit job `tag` (new, unique) of objective kind
 * `kind`: task i evaluates proposals[i] after retries[i] retries (NULL: 0).
 * One transaction. An existing tag is INVDES_ERR_INVALID. */
INVDES_API
invdes_status invdes_store_job_intent(invdes_store *s, const char *kind, const char *tag,
                                      const int64_t *proposals, const int *retries, size_t n,
                                      invdes_error *err);

/* Records the scheduler's id of job `tag` (an unknown tag: INVDES_ERR_INVALID). */
INVDES_API
invdes_status invdes_store_job_submitted(invdes_store *s, const char *tag,
                                         const char *scheduler_id, invdes_error *err);

/* Marks job `tag` cancelled (by `invdes cancel`), now. */
INVDES_API
invdes_status invdes_store_job_cancelled(invdes_store *s, const char *tag, invdes_error *err);

/* The latest task of `proposal` into *out; *found 0 when it was never
 * submitted. */
INVDES_API
invdes_status invdes_store_job_latest(invdes_store *s, int64_t proposal,
                                      invdes_store_job_task *out, int *found,
                                      invdes_error *err);

/* Calls fn for every job not cancelled that is the latest job of at least
 * one proposal still without an outcome (pending or abandoned), oldest
 * first: the jobs a run left with the scheduler. scheduler_id is "" when
 * the scheduler's answer was never recorded. fn returning non-zero stops
 * the walk; it must not call the store. *n (may be NULL) gets the count
 * walked. */
INVDES_API
invdes_status invdes_store_jobs_live(invdes_store *s,
                                     int (*fn)(const char *kind, const char *tag,
                                               const char *scheduler_id, void *data),
                                     void *data, size_t *n, invdes_error *err);

#endif
