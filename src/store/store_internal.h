/* store_internal.h — what the store's files (store.c, store_schema.c,
 * store_propose.c, store_tell.c, store_query.c, store_check.c, store_log.c,
 * store_error.c) share: the handle, the registry of prepared statements and
 * the transaction helpers. Not installed; nothing outside src/store/
 * includes it but a test that must reach the handle's connection. */
#ifndef INVDES_STORE_INTERNAL_H
#define INVDES_STORE_INTERNAL_H

#include <sqlite3.h>

#include "store.h"

/* These helpers are shared by the store's files only: kept out of the
 * library's exported symbols. */
#pragma GCC visibility push(hidden)

/* Statements prepared once per handle, on first use (see store.c for the SQL). */
typedef enum store_stmt {
  ST_BEGIN_WRITE,
  ST_BEGIN_READ,
  ST_COMMIT,
  ST_ROLLBACK,
  ST_SAVEPOINT,
  ST_RELEASE,
  ST_ROLLBACK_TO,
  ST_MAX_BATCH,
  ST_MAX_ID,
  ST_INSERT_PROPOSAL,
  ST_INSERT_PREDICTION,
  ST_CLAIM_OWN,
  ST_CLAIM_OTHERS,
  ST_LEASE,
  ST_COUNT_OWN,
  ST_COUNT_HELD,
  ST_PROPOSAL_RESULTS,
  ST_PROPOSAL_STATE,
  ST_HEARTBEAT,
  ST_INSERT_RESULT,
  ST_SET_STATUS,
  ST_INSERT_EVENT,
  ST_STATE_PUT,
  ST_STATE_GET,
  ST_LIST_PROPOSALS,
  ST_LIST_RESULTS,
  ST_LIST_PREDICTIONS,
  ST_GET_PROPOSAL,
  ST_GET_RESULTS,
  ST_GET_PREDICTIONS,
  ST_COUNT_STATUS,
  ST_COUNT_RESULTS,
  ST_N_EVALUATED,
  ST_RANK_VALUES,
  ST_EVENTS,
  ST_UPDATE_CAMPAIGN,
  ST_COUNT
} store_stmt;

struct invdes_store {
  sqlite3 *db;
  char *path;
  sqlite3_stmt *stmt[ST_COUNT];
  int depth;                 /* open transaction levels: 0 none, 1 BEGIN, >1 savepoints */
  double timeout;            /* seconds to wait for the write lock */
  double (*now)(void *data);
  void *now_data;
  /* The campaign as stored (loaded at open, replaced by update_campaign). */
  char *name;
  char *text;
  char sha256[65];
  char *pool_sha256;         /* NULL: no pool */
  size_t n_targets;
  invdes_target *targets;    /* as stored: name, goal, lo, hi, threshold, weight, unit */
  const char **target_names; /* n_targets pointers into targets[] */
  size_t n_vars;
  char **var_names;
  char **var_kinds;          /* "continuous", ..., "pool"; NULL if the row has none */
  char **var_units;          /* as written, NULL for none */
  int readonly;              /* opened read-only (file or folder not writable) */
  int run_lock_fd;           /* flock held by invdes_store_lock_run, or -1 */
  size_t ask_claimed;        /* proposals the ask under way claimed before proposing */
};

/* 'INVD': marks the file as an invdes campaign database (PRAGMA application_id). */
#define STORE_APPLICATION_ID 0x494E5644

/* Opening (store_open.c): the connection set up (WAL, foreign keys, busy
 * timeout), read-only when the file or its folder cannot be written, and the
 * file's integrity checked. create: the file may be missing or empty. */
invdes_store *store_connect(const char *path, int create, invdes_error *err);
/* Reads one integer PRAGMA (or one-integer SELECT) into *out. */
invdes_status store_pragma_int(invdes_store *s, const char *sql, int *out, invdes_error *err);
/* The one message a damaged file gets: names the file, what was found and
 * how to recover (`sqlite3 FILE .recover`). Returns INVDES_ERR_DB. */
invdes_status store_damaged(invdes_store *s, invdes_error *err, const char *detail);
/* Checks that every table, column and index of the schema this build makes
 * is in the file (built in memory by the same upgrade steps; more is
 * allowed): INVDES_ERR_INVALID naming what is missing. Run after upgrading. */
invdes_status store_check_schema(invdes_store *s, invdes_error *err);
/* Releases the run lock if held (close does it). */
void store_run_unlock(invdes_store *s);
/* The wall clock in Unix seconds (the default of invdes_store_set_clock). */
double store_system_clock(void *data);
/* Sleeps t seconds (restarted after signals). */
void store_sleep(double t);

/* The statement `which`, reset and with its bindings cleared; NULL with err
 * set when it cannot be prepared. Borrowed from the handle. */
sqlite3_stmt *store_stmt_get(invdes_store *s, store_stmt which, invdes_error *err);

/* The one map from an SQLite result code (extended or primary) to a status:
 * a file that is no database or is damaged, and a broken constraint, are
 * INVDES_ERR_INVALID (retrying the same input will not help); SQLITE_NOMEM is
 * INVDES_ERR_NOMEM; everything else (read-only, full, I/O, permissions,
 * busy or locked) is INVDES_ERR_DB, a system error the same call may get
 * past later. SQLITE_OK/ROW/DONE are INVDES_OK. */
invdes_status store_status_of(int rc);

/* Sets err to "PATH: WHAT: sqlite's message" and returns the status of the
 * connection's latest SQLite error (store_status_of; INVDES_ERR_DB when there
 * is none). */
invdes_status store_db_error(invdes_store *s, invdes_error *err, const char *what);

/* Steps a statement expected to finish without rows (INSERT/UPDATE...). */
invdes_status store_step_done(invdes_store *s, sqlite3_stmt *st, invdes_error *err,
                              const char *what);

/* Runs SQL text without results (one-off schema statements). */
invdes_status store_exec(invdes_store *s, const char *sql, invdes_error *err);

/* Opens a transaction level: at depth 0 BEGIN IMMEDIATE (write, retried while
 * another process holds the lock, up to s->timeout) or BEGIN (read); deeper, a
 * savepoint. Every successful begin is matched by one store_txn_end. */
invdes_status store_txn_begin(invdes_store *s, int write, invdes_error *err);

/* Closes the innermost level: ok commits/releases it, !ok rolls it back.
 * Returns `status` when it is not OK (so `return store_txn_end(s, st, err)`
 * keeps the first error), else the outcome of the commit. */
invdes_status store_txn_end(invdes_store *s, invdes_status status, invdes_error *err);

double store_now(const invdes_store *s);

/* Binds text or NULL. */
int store_bind_text(sqlite3_stmt *st, int i, const char *text);
/* Binds a double, or NULL when it is not finite. */
int store_bind_real(sqlite3_stmt *st, int i, double v);
/* A column as a double, NAN when NULL. */
double store_column_real(sqlite3_stmt *st, int i);
/* A column as a new string (NULL when NULL); *ok becomes 0 if out of memory. */
char *store_column_strdup(sqlite3_stmt *st, int i, int *ok);

/* Target index by name, or -1. */
long store_target_index(const invdes_store *s, const char *name);

/* z <-> little-endian bytes. store_z_encode writes 8*dim bytes into out. */
void store_z_encode(const double *z, size_t dim, unsigned char *out);
void store_z_decode(const unsigned char *in, size_t dim, double *z);

/* A proposal's status, holder, lease and reason (store_propose.c). An
 * unknown id is INVDES_ERR_INVALID naming it. */
typedef struct store_prop_state {
  invdes_proposal_status status;
  int has_station;
  char station[256];
  double lease_expires; /* NAN: no lease */
  char reason[256];
} store_prop_state;
invdes_status store_proposal_state(invdes_store *s, int64_t id, store_prop_state *ps,
                                   invdes_error *err);
/* INVDES_ERR_HELD, naming the holder and the lease's end, when proposal id
 * (state ps) is pending or partial, held by a named station whose lease is
 * live at `now` (or has no end), and `station` is another one or NULL; else
 * INVDES_OK. `what` is the refused act for the message ("a result", "a
 * heartbeat", ...). */
invdes_status store_check_holder(invdes_store *s, int64_t id, const store_prop_state *ps,
                                 const char *station, double now, const char *what,
                                 invdes_error *err);

/* The counts of invdes_store_counts_get inside the caller's transaction;
 * *c must start zeroed (store_query.c). */
invdes_status store_counts_in_txn(invdes_store *s, invdes_store_counts *c, invdes_error *err);

/* Appends an event made by `station` (NULL: none named); invdes_store_event
 * is this with no station (store_log.c). */
invdes_status store_event_by(invdes_store *s, const char *kind, int64_t proposal,
                             const char *station, const char *message,
                             const char *stderr_text, size_t stderr_len, invdes_error *err);

/* "YYYY-MM-DDTHH:MM:SS.mmmZ" (UTC) for Unix seconds t, or "no end" when t
 * is not finite, for messages (store_propose.c). */
void store_time_text(double t, char out[32]);

/* Corrections (store_amend.c). */
/* INVDES_ERR_INVALID naming the value and the range when `value` lies outside
 * the plausible range declared for `target`; OK otherwise (also for a target
 * without a range or unknown here: the caller judges names). */
invdes_status store_check_range(const invdes_store *s, int64_t id, const char *target,
                                double value, invdes_error *err);
/* *retracted = 1 when the latest version of (id, target) is a retraction. */
invdes_status store_retracted(invdes_store *s, int64_t id, const char *target, int *retracted,
                              invdes_error *err);
/* Appends version v (its proposal field ignored) for proposal id. */
invdes_status store_add_version(invdes_store *s, int64_t id, const invdes_store_version *v,
                                invdes_error *err);

/* Schema (store_schema.c). */
/* Creates or upgrades the schema inside the caller's write transaction,
 * from version `from` to INVDES_STORE_SCHEMA_VERSION, one step at a time. */
invdes_status store_schema_upgrade(invdes_store *s, int from, invdes_error *err);
/* Fills the campaign, variables and targets tables from c (create only). */
invdes_status store_schema_fill(invdes_store *s, const invdes_campaign *c, invdes_error *err);
/* The hex SHA-256 of a pool's data (ids and features), or "" without a pool. */
void store_pool_sha256(const invdes_campaign *c, char out[65]);

#pragma GCC visibility pop

#endif
