/* store.c — the store's handle: opening and creating a campaign database,
 * the prepared-statement registry, transactions with retry on SQLITE_BUSY,
 * and the campaign getters.
 *
 * The schema itself is in store_schema.c, proposals and reports in
 * store_propose.c and store_tell.c, reading (lists, counts, best) in
 * store_query.c, the event log and strategy state in store_log.c, the
 * comparison of campaign files in store_check.c and SQLite's codes as
 * statuses in store_error.c. */
#include "store_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "target.h"


static const char *const stmt_sql[ST_COUNT] = {
    [ST_BEGIN_WRITE] = "BEGIN IMMEDIATE",
    [ST_BEGIN_READ] = "BEGIN",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_SAVEPOINT] = "SAVEPOINT invdes",
    [ST_RELEASE] = "RELEASE invdes",
    [ST_ROLLBACK_TO] = "ROLLBACK TO invdes",
    [ST_MAX_BATCH] = "SELECT coalesce((SELECT batch FROM proposals ORDER BY id DESC LIMIT 1), 0)",
    [ST_MAX_ID] = "SELECT coalesce(max(id), 0) FROM proposals",
    [ST_INSERT_PROPOSAL] =
        "INSERT INTO proposals(batch, iteration, strategy, parameters, z, status, station,"
        " lease_expires, acquisition, created, updated)"
        " VALUES(?1, ?2, ?3, ?4, ?5, 'pending', ?6, ?7, ?8, ?9, ?9)",
    [ST_INSERT_PREDICTION] =
        "INSERT INTO predictions(proposal, target, mean, sd) VALUES(?1, ?2, ?3, ?4)",
    [ST_CLAIM_OWN] = "SELECT id FROM proposals WHERE status IN ('pending', 'partial')"
                     " AND station = ?1"
                     " ORDER BY id LIMIT ?2",
    [ST_CLAIM_OTHERS] =
        "SELECT id, status, station, lease_expires FROM proposals WHERE status = 'abandoned'"
        " UNION ALL SELECT id, status, station, lease_expires FROM proposals"
        " WHERE status = 'pending' AND lease_expires < ?1"
        " AND (?2 IS NULL OR station IS NOT ?2)"
        " ORDER BY id LIMIT ?3",
    /* ?4 = 1 offers the proposal again (the new lease replaces the old);
     * ?4 = 0 hands a station its own proposal back: the lease is kept or
     * extended, never shortened (NULL, no end, is the longest); a partial
     * proposal stays partial (its reported targets are kept). */
    [ST_LEASE] = "UPDATE proposals SET status = CASE WHEN status = 'partial' THEN"
                 " 'partial' ELSE 'pending' END, station = ?2,"
                 " lease_expires = CASE WHEN ?4 THEN ?3 WHEN lease_expires IS NULL OR ?3 IS NULL"
                 " THEN NULL ELSE max(lease_expires, ?3) END,"
                 " offers = offers + ?4, reason = CASE WHEN ?4 THEN NULL ELSE reason END,"
                 " updated = ?5 WHERE id = ?1",
    [ST_COUNT_OWN] = "SELECT count(*) FROM proposals WHERE status IN ('pending', 'partial')"
                     " AND station = ?1",
    /* Proposals that hold a place in the budget (results, live pending,
     * partial) as all of them less the given-back and the expired ones: a
     * plain count(*) walks the smallest index's pages, not its rows, and the
     * two ranges subtracted are small, so an ask costs the same at any size
     * of the campaign (counting by status took O(n) per ask, O(n²) a run). */
    [ST_COUNT_HELD] = "SELECT (SELECT count(*) FROM proposals)"
                      " - (SELECT count(*) FROM proposals WHERE status = 'abandoned')"
                      " - (SELECT count(*) FROM proposals WHERE status = 'pending'"
                      " AND lease_expires < ?1)",
    [ST_PROPOSAL_RESULTS] = "SELECT count(*) FROM results WHERE proposal = ?1",
    [ST_PROPOSAL_STATE] = "SELECT status, station, lease_expires, reason FROM proposals"
                          " WHERE id = ?1",
    [ST_HEARTBEAT] = "UPDATE proposals SET lease_expires = ?2, updated = ?3 WHERE id = ?1",
    [ST_INSERT_RESULT] = "INSERT INTO results(proposal, target, value, sd, source, time)"
                         " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
    [ST_SET_STATUS] = "UPDATE proposals SET status = ?2, reason = ?3, updated = ?4 WHERE id = ?1",
    [ST_INSERT_EVENT] = "INSERT INTO events(time, kind, proposal, message, stderr, station)"
                        " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
    [ST_STATE_PUT] = "INSERT OR REPLACE INTO strategy_state(key, iteration, blob, time)"
                     " VALUES(?1, ?2, ?3, ?4)",
    [ST_STATE_GET] = "SELECT iteration, blob FROM strategy_state WHERE key = ?1"
                     " AND iteration <= ?2 ORDER BY iteration DESC LIMIT 1",
    [ST_LIST_PROPOSALS] =
        "SELECT id, batch, iteration, strategy, parameters, z, status, station,"
        " lease_expires, offers, reason, acquisition, created, updated FROM proposals"
        " WHERE id > ?1 AND (?2 & CASE status WHEN 'pending' THEN 1 WHEN 'done' THEN 2"
        " WHEN 'failed' THEN 4 WHEN 'partial' THEN 16 ELSE 8 END) != 0 ORDER BY id",
    [ST_LIST_RESULTS] = "SELECT r.proposal, t.position, r.value, r.sd FROM results r"
                        " JOIN targets t ON t.name = r.target WHERE r.proposal > ?1",
    [ST_LIST_PREDICTIONS] = "SELECT p.proposal, t.position, p.mean, p.sd FROM predictions p"
                            " JOIN targets t ON t.name = p.target WHERE p.proposal > ?1",
    [ST_GET_PROPOSAL] =
        "SELECT id, batch, iteration, strategy, parameters, z, status, station,"
        " lease_expires, offers, reason, acquisition, created, updated FROM proposals"
        " WHERE id = ?1",
    [ST_GET_RESULTS] = "SELECT r.proposal, t.position, r.value, r.sd FROM results r"
                       " JOIN targets t ON t.name = r.target WHERE r.proposal = ?1",
    [ST_GET_PREDICTIONS] = "SELECT p.proposal, t.position, p.mean, p.sd FROM predictions p"
                           " JOIN targets t ON t.name = p.target WHERE p.proposal = ?1",
    [ST_COUNT_STATUS] = "SELECT status, count(*), sum(lease_expires < ?1) FROM proposals"
                        " GROUP BY status",
    [ST_COUNT_RESULTS] = "SELECT (SELECT count(*) FROM results),"
                         " coalesce((SELECT batch FROM proposals ORDER BY id DESC LIMIT 1), 0)",
    [ST_N_EVALUATED] = "SELECT count(*) FROM proposals WHERE status IN ('done', 'failed')",
    [ST_RANK_VALUES] = "SELECT r.proposal, t.position, r.value FROM results r"
                       " JOIN targets t ON t.name = r.target ORDER BY r.proposal",
    [ST_EVENTS] = "SELECT id, time, kind, proposal, message, stderr, station FROM events"
                  " WHERE id > ?1 AND (?2 IS NULL OR kind = ?2) ORDER BY id",
    [ST_UPDATE_CAMPAIGN] = "UPDATE campaign SET text = ?1, sha256 = ?2, pool_sha256 = ?3,"
                           " updated = ?4 WHERE id = 1",
};

/* ---- small helpers ------------------------------------------------------ */

sqlite3_stmt *store_stmt_get(invdes_store *s, store_stmt which, invdes_error *err) {
  sqlite3_stmt *st = s->stmt[which];
  if (st) {
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return st;
  }
  if (sqlite3_prepare_v3(s->db, stmt_sql[which], -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) !=
      SQLITE_OK) {
    store_db_error(s, err, "preparing a statement");
    return NULL;
  }
  s->stmt[which] = st;
  return st;
}

invdes_status store_step_done(invdes_store *s, sqlite3_stmt *st, invdes_error *err,
                              const char *what) {
  int rc = sqlite3_step(st);
  invdes_status status = rc == SQLITE_DONE ? INVDES_OK : store_db_error(s, err, what);
  sqlite3_reset(st);
  return status;
}

invdes_status store_exec(invdes_store *s, const char *sql, invdes_error *err) {
  char *msg = NULL;
  int rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg);
  if (rc == SQLITE_OK) return INVDES_OK;
  if ((rc & 0xff) == SQLITE_CORRUPT) {
    sqlite3_free(msg);
    return store_db_error(s, err, "reading the file");
  }
  invdes_status st = invdes_error_set(err, store_status_of(rc), "%s: %s", s->path,
                                      msg ? msg : sqlite3_errmsg(s->db));
  sqlite3_free(msg);
  return st;
}

double store_system_clock(void *data) {
  (void)data;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

double store_now(const invdes_store *s) { return s->now(s->now_data); }

int store_bind_text(sqlite3_stmt *st, int i, const char *text) {
  return text ? sqlite3_bind_text(st, i, text, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
}

int store_bind_real(sqlite3_stmt *st, int i, double v) {
  return isfinite(v) ? sqlite3_bind_double(st, i, v) : sqlite3_bind_null(st, i);
}

double store_column_real(sqlite3_stmt *st, int i) {
  return sqlite3_column_type(st, i) == SQLITE_NULL ? NAN : sqlite3_column_double(st, i);
}

char *store_column_strdup(sqlite3_stmt *st, int i, int *ok) {
  const unsigned char *t = sqlite3_column_text(st, i);
  if (!t) return NULL;
  char *copy = strdup((const char *)t);
  if (!copy) *ok = 0;
  return copy;
}

long store_target_index(const invdes_store *s, const char *name) {
  for (size_t i = 0; i < s->n_targets; i++)
    if (strcmp(s->targets[i].name, name) == 0) return (long)i;
  return -1;
}

void store_z_encode(const double *z, size_t dim, unsigned char *out) {
  for (size_t i = 0; i < dim; i++) {
    uint64_t u;
    memcpy(&u, &z[i], 8);
    for (int b = 0; b < 8; b++) out[8 * i + b] = (unsigned char)(u >> (8 * b));
  }
}

void store_z_decode(const unsigned char *in, size_t dim, double *z) {
  for (size_t i = 0; i < dim; i++) {
    uint64_t u = 0;
    for (int b = 0; b < 8; b++) u |= (uint64_t)in[8 * i + b] << (8 * b);
    memcpy(&z[i], &u, 8);
  }
}

/* ---- transactions --------------------------------------------------- */

void store_sleep(double t) {
  struct timespec ts = {(time_t)t, (long)((t - (double)(time_t)t) * 1e9)};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

invdes_status store_txn_begin(invdes_store *s, int write, invdes_error *err) {
  if (s->depth > 0) {
    sqlite3_stmt *st = store_stmt_get(s, ST_SAVEPOINT, err);
    if (!st || store_step_done(s, st, err, "opening a savepoint") != INVDES_OK)
      return INVDES_ERR_DB;
    s->depth++;
    return INVDES_OK;
  }
  sqlite3_stmt *st = store_stmt_get(s, write ? ST_BEGIN_WRITE : ST_BEGIN_READ, err);
  if (!st) return INVDES_ERR_DB;
  /* sqlite's busy handler already waits up to the busy timeout (1 s) per
   * attempt; the loop adds attempts until s->timeout has passed, with a short
   * pause that differs between processes so they do not retry in lock step. */
  double start = store_system_clock(NULL);
  for (unsigned attempt = 0;; attempt++) {
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE) break;
    if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
      return store_db_error(s, err, write ? "starting a write transaction"
                                          : "starting a read transaction");
    if (store_system_clock(NULL) - start > s->timeout)
      return invdes_error_set(err, INVDES_ERR_DB,
                              "%s: the database stayed locked by another process for %.0f s",
                              s->path, s->timeout);
    store_sleep(0.001 * (1 + (attempt * 7 + (unsigned)getpid()) % 10));
  }
  s->depth = 1;
  return INVDES_OK;
}

invdes_status store_txn_end(invdes_store *s, invdes_status status, invdes_error *err) {
  if (s->depth <= 0) return status;
  s->depth--;
  if (s->depth > 0) {
    sqlite3_stmt *st;
    if (status != INVDES_OK) {
      invdes_error scratch;
      st = store_stmt_get(s, ST_ROLLBACK_TO, &scratch);
      if (st) store_step_done(s, st, &scratch, "rolling back a savepoint");
      st = store_stmt_get(s, ST_RELEASE, &scratch);
      if (st) store_step_done(s, st, &scratch, "releasing a savepoint");
      return status;
    }
    st = store_stmt_get(s, ST_RELEASE, err);
    if (!st) return INVDES_ERR_DB;
    return store_step_done(s, st, err, "releasing a savepoint");
  }
  if (status != INVDES_OK) {
    invdes_error scratch;
    sqlite3_stmt *st = store_stmt_get(s, ST_ROLLBACK, &scratch);
    if (st) store_step_done(s, st, &scratch, "rolling back");
    return status;
  }
  sqlite3_stmt *st = store_stmt_get(s, ST_COMMIT, err);
  if (!st) return INVDES_ERR_DB;
  double start = store_system_clock(NULL);
  for (;;) {
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE) return INVDES_OK;
    if ((rc & 0xff) != SQLITE_BUSY || store_system_clock(NULL) - start > s->timeout) {
      invdes_status e = store_db_error(s, err, "committing");
      if (!sqlite3_get_autocommit(s->db)) {
        invdes_error scratch;
        sqlite3_stmt *rb = store_stmt_get(s, ST_ROLLBACK, &scratch);
        if (rb) store_step_done(s, rb, &scratch, "rolling back");
      }
      return e;
    }
    store_sleep(0.002);
  }
}

invdes_status invdes_store_transaction(invdes_store *s, invdes_store_txn_fn fn, void *data,
                                       invdes_error *err) {
  invdes_status st = store_txn_begin(s, 1, err);
  if (st != INVDES_OK) return st;
  return store_txn_end(s, fn(s, data, err), err);
}

/* ---- opening ---------------------------------------------------------- */

static void store_free_campaign(invdes_store *s) {
  free(s->name);
  free(s->text);
  free(s->pool_sha256);
  for (size_t i = 0; i < s->n_targets; i++) {
    free(s->targets[i].name);
    free(s->targets[i].unit);
  }
  free(s->targets);
  free(s->target_names);
  for (size_t i = 0; i < s->n_vars; i++) {
    free(s->var_names[i]);
    free(s->var_kinds[i]);
    free(s->var_units[i]);
  }
  free(s->var_names);
  free(s->var_kinds);
  free(s->var_units);
  s->var_kinds = s->var_units = NULL;
  s->name = s->text = s->pool_sha256 = NULL;
  s->targets = NULL;
  s->target_names = NULL;
  s->var_names = NULL;
  s->n_targets = s->n_vars = 0;
}

void invdes_store_close(invdes_store *s) {
  if (!s) return;
  for (int i = 0; i < ST_COUNT; i++) sqlite3_finalize(s->stmt[i]);
  sqlite3_close(s->db);
  store_run_unlock(s);
  store_free_campaign(s);
  free(s->path);
  free(s);
}

/* Loads the campaign row, variables and targets into the handle. */
static invdes_status load_campaign(invdes_store *s, invdes_error *err) {
  store_free_campaign(s);
  sqlite3_stmt *st = NULL;
  invdes_status status = INVDES_OK;
  int ok = 1;
  if (sqlite3_prepare_v2(s->db, "SELECT name, text, sha256, pool_sha256 FROM campaign WHERE id = 1",
                         -1, &st, NULL) != SQLITE_OK)
    return store_db_error(s, err, "reading the campaign");
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    s->name = store_column_strdup(st, 0, &ok);
    s->text = store_column_strdup(st, 1, &ok);
    const unsigned char *h = sqlite3_column_text(st, 2);
    snprintf(s->sha256, sizeof s->sha256, "%s", h ? (const char *)h : "");
    s->pool_sha256 = store_column_strdup(st, 3, &ok);
  } else if (rc == SQLITE_DONE) {
    status = invdes_error_set(err, INVDES_ERR_INVALID, "%s: holds no campaign", s->path);
  } else {
    status = store_db_error(s, err, "reading the campaign");
  }
  sqlite3_finalize(st);
  if (status != INVDES_OK) return status;
  if (!ok || !s->name || !s->text) goto nomem;

  if (sqlite3_prepare_v2(s->db,
                         "SELECT name, goal, lo, hi, threshold, weight, unit, range_lo, range_hi,"
                         " reference"
                         " FROM targets"
                         " ORDER BY position",
                         -1, &st, NULL) != SQLITE_OK)
    return store_db_error(s, err, "reading the targets");
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    invdes_target *t = realloc(s->targets, (s->n_targets + 1) * sizeof *t);
    if (!t) { sqlite3_finalize(st); goto nomem; }
    s->targets = t;
    t = &s->targets[s->n_targets];
    memset(t, 0, sizeof *t);
    const unsigned char *goal = sqlite3_column_text(st, 1);
    if (!goal || !invdes_goal_parse((const char *)goal, &t->goal)) {
      sqlite3_finalize(st);
      return invdes_error_set(err, INVDES_ERR_INVALID, "%s: target with unknown goal '%s'",
                              s->path, goal ? (const char *)goal : "");
    }
    t->name = store_column_strdup(st, 0, &ok);
    t->lo = store_column_real(st, 2);
    t->hi = store_column_real(st, 3);
    t->threshold = store_column_real(st, 4);
    /* NULL: the campaign gave no weight (files made before weight_set
     * existed recorded 1 and read as given: a weighted sum, as then) */
    t->weight_set = invdes_goal_is_objective(t->goal) && sqlite3_column_type(st, 5) != SQLITE_NULL;
    t->weight = t->weight_set || !invdes_goal_is_objective(t->goal) ? store_column_real(st, 5) : 1;
    t->reference = store_column_real(st, 9);
    t->unit = store_column_strdup(st, 6, &ok);
    if (sqlite3_column_type(st, 7) != SQLITE_NULL) {
      t->range_lo = sqlite3_column_double(st, 7);
      t->range_hi = sqlite3_column_double(st, 8);
    }
    s->n_targets++;
    if (!ok || !t->name) { sqlite3_finalize(st); goto nomem; }
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) return store_db_error(s, err, "reading the targets");
  s->target_names = calloc(s->n_targets + 1, sizeof *s->target_names);
  if (!s->target_names) goto nomem;
  for (size_t i = 0; i < s->n_targets; i++) s->target_names[i] = s->targets[i].name;

  if (sqlite3_prepare_v2(s->db, "SELECT name, kind, unit FROM variables ORDER BY position", -1,
                         &st, NULL) != SQLITE_OK)
    return store_db_error(s, err, "reading the variables");
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    char **v = realloc(s->var_names, (s->n_vars + 1) * sizeof *v);
    if (v) s->var_names = v;
    char **k = v ? realloc(s->var_kinds, (s->n_vars + 1) * sizeof *k) : NULL;
    if (k) s->var_kinds = k;
    char **u = k ? realloc(s->var_units, (s->n_vars + 1) * sizeof *u) : NULL;
    if (!u) { sqlite3_finalize(st); goto nomem; }
    s->var_units = u;
    v[s->n_vars] = store_column_strdup(st, 0, &ok);
    k[s->n_vars] = store_column_strdup(st, 1, &ok);
    u[s->n_vars] = store_column_strdup(st, 2, &ok);
    s->n_vars++;
    if (!ok || !v[s->n_vars - 1]) { sqlite3_finalize(st); goto nomem; }
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) return store_db_error(s, err, "reading the variables");
  return INVDES_OK;
nomem:
  return invdes_error_set(err, INVDES_ERR_NOMEM, "%s: out of memory reading the campaign",
                          s->path);
}

/* Checks the header and brings the schema to the current version inside a
 * write transaction. `c` non-NULL: create (the file must be empty). */
static invdes_status prepare_schema(invdes_store *s, const invdes_campaign *c, invdes_error *err) {
  int version = 0, tables = 0;
  /* The common case, a current schema opened, needs no write lock. */
  invdes_status st = store_pragma_int(s, "PRAGMA user_version", &version, err);
  if (st != INVDES_OK || (!c && version == INVDES_STORE_SCHEMA_VERSION)) return st;
  st = store_txn_begin(s, 1, err);
  if (st != INVDES_OK) return st;
  st = store_pragma_int(s, "PRAGMA user_version", &version, err);
  if (st == INVDES_OK)
    st = store_pragma_int(s, "SELECT count(*) FROM sqlite_master", &tables, err);
  if (st == INVDES_OK && version > INVDES_STORE_SCHEMA_VERSION)
    st = invdes_error_set(err, INVDES_ERR_INVALID,
                          "%s: schema version %d is newer than this invdes knows (%d); "
                          "use a newer invdes", s->path, version, INVDES_STORE_SCHEMA_VERSION);
  if (st == INVDES_OK && version == 0 && tables > 0)
    st = invdes_error_set(err, INVDES_ERR_INVALID,
                          "%s: an SQLite database with %d tables but no invdes schema, "
                          "not a campaign database", s->path, tables);
  if (st == INVDES_OK && c && version > 0)
    st = invdes_error_set(err, INVDES_ERR_INVALID,
                          "%s: already holds a campaign; open it instead, or remove the file",
                          s->path);
  if (st == INVDES_OK && !c && version == 0)
    st = invdes_error_set(err, INVDES_ERR_INVALID,
                          "%s: an empty database that holds no campaign", s->path);
  if (st == INVDES_OK && version < INVDES_STORE_SCHEMA_VERSION)
    st = store_schema_upgrade(s, version, err);
  if (st == INVDES_OK && c) st = store_schema_fill(s, c, err);
  if (st == INVDES_OK) {
    char sql[96];
    snprintf(sql, sizeof sql, "PRAGMA application_id = %d; PRAGMA user_version = %d",
             STORE_APPLICATION_ID, INVDES_STORE_SCHEMA_VERSION);
    if (version != INVDES_STORE_SCHEMA_VERSION) st = store_exec(s, sql, err);
  }
  return store_txn_end(s, st, err);
}

invdes_store *invdes_store_create(const char *path, const invdes_campaign *c,
                                  invdes_error *err) {
  if (!c || !c->name || !c->text) {
    invdes_error_set(err, INVDES_ERR_USAGE, "%s: no campaign to store", path);
    return NULL;
  }
  invdes_store *s = store_connect(path, 1, err);
  if (!s) return NULL;
  if (prepare_schema(s, c, err) != INVDES_OK || load_campaign(s, err) != INVDES_OK) {
    invdes_store_close(s);
    return NULL;
  }
  return s;
}

invdes_store *invdes_store_open(const char *path, invdes_error *err) {
  invdes_store *s = store_connect(path, 0, err);
  if (!s) return NULL;
  if (prepare_schema(s, NULL, err) != INVDES_OK || store_check_schema(s, err) != INVDES_OK ||
      load_campaign(s, err) != INVDES_OK) {
    invdes_store_close(s);
    return NULL;
  }
  return s;
}

void invdes_store_set_timeout(invdes_store *s, double seconds) {
  if (seconds > 0) s->timeout = seconds;
}

void invdes_store_set_clock(invdes_store *s, double (*now)(void *data), void *data) {
  s->now = now ? now : store_system_clock;
  s->now_data = now ? data : NULL;
}

/* ---- getters ------------------------------------------------------------ */

const char *invdes_store_path(const invdes_store *s) { return s->path; }
const char *invdes_store_campaign_name(const invdes_store *s) { return s->name; }
const char *invdes_store_campaign_text(const invdes_store *s) { return s->text; }
const char *invdes_store_campaign_sha256(const invdes_store *s) { return s->sha256; }
size_t invdes_store_n_targets(const invdes_store *s) { return s->n_targets; }
const char *invdes_store_target_name(const invdes_store *s, size_t i) {
  return i < s->n_targets ? s->targets[i].name : NULL;
}
invdes_goal invdes_store_target_goal(const invdes_store *s, size_t i) {
  return i < s->n_targets ? s->targets[i].goal : INVDES_GOAL_MAXIMIZE;
}
const invdes_target *invdes_store_target(const invdes_store *s, size_t i) {
  return i < s->n_targets ? &s->targets[i] : NULL;
}
size_t invdes_store_n_variables(const invdes_store *s) { return s->n_vars; }
const char *invdes_store_variable_name(const invdes_store *s, size_t i) {
  return i < s->n_vars ? s->var_names[i] : NULL;
}
const char *invdes_store_variable_kind(const invdes_store *s, size_t i) {
  return i < s->n_vars && s->var_kinds[i] ? s->var_kinds[i] : NULL;
}
const char *invdes_store_variable_unit(const invdes_store *s, size_t i) {
  return i < s->n_vars ? s->var_units[i] : NULL;
}

const char *invdes_proposal_status_name(invdes_proposal_status st) {
  switch (st) {
  case INVDES_PROPOSAL_PENDING: return "pending";
  case INVDES_PROPOSAL_DONE: return "done";
  case INVDES_PROPOSAL_FAILED: return "failed";
  case INVDES_PROPOSAL_ABANDONED: return "abandoned";
  case INVDES_PROPOSAL_PARTIAL: return "partial";
  }
  return "?";
}
