/* store_amend.c — corrections with an audit trail: amending a recorded
 * value, retracting a proposal's results, the plausible range every value
 * must lie in, and reading every version back.
 *
 * Nothing is deleted. `results` holds the current version of each (proposal,
 * target) — what the strategies' history, the rankings and exports read —
 * and `result_history` every version with who made it, when and why
 * (docs/database.md). An amendment replaces the current value and appends a
 * version; a retraction removes the proposal's current values (their versions
 * stay, and a "retracted" version is appended); each also logs an event.
 * A retracted proposal keeps its status `done`: the experiment was run, so it
 * still spends budget and is not proposed again, but it has no value any
 * model, ranking or export uses until an amendment gives it one again. */
#include "store_internal.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

/* v as invdes_decimal_format writes it, for a message. */
static const char *shortest(double v, char buf[INVDES_DECIMAL_MAX]) {
  invdes_decimal_format(v, buf);
  return buf;
}

invdes_status store_check_range(const invdes_store *s, int64_t id, const char *target,
                                double value, invdes_error *err) {
  long t = store_target_index(s, target);
  if (t < 0) return INVDES_OK; /* the caller refuses unknown targets itself */
  const invdes_target *tg = &s->targets[t];
  if (!(tg->range_lo < tg->range_hi) || (value >= tg->range_lo && value <= tg->range_hi))
    return INVDES_OK;
  char v[INVDES_DECIMAL_MAX], lo[INVDES_DECIMAL_MAX], hi[INVDES_DECIMAL_MAX];
  return invdes_error_set(err, INVDES_ERR_INVALID,
                          "%s: proposal %" PRId64 ": %s = %s is outside the plausible range "
                          "[%s, %s] the campaign declares for '%s'",
                          s->path, id, target, shortest(value, v), shortest(tg->range_lo, lo),
                          shortest(tg->range_hi, hi), target);
}

/* One-off statement of this file: prepared, run by the caller, finalized. */
static sqlite3_stmt *prepare(invdes_store *s, const char *sql, invdes_error *err) {
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
    store_db_error(s, err, "preparing a correction");
    return NULL;
  }
  return st;
}

/* Runs sql with (id, ?2 text, ?3 text) bound and counts its rows; -1 on error. */
static long count_rows(invdes_store *s, const char *sql, int64_t id, const char *a,
                       invdes_error *err) {
  sqlite3_stmt *st = prepare(s, sql, err);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, id);
  store_bind_text(st, 2, a);
  long n = -1;
  if (sqlite3_step(st) == SQLITE_ROW) n = (long)sqlite3_column_int64(st, 0);
  else store_db_error(s, err, "reading the results");
  sqlite3_finalize(st);
  return n;
}

invdes_status store_retracted(invdes_store *s, int64_t id, const char *target, int *retracted,
                              invdes_error *err) {
  long n = count_rows(s,
                      "SELECT coalesce((SELECT action = 'retracted' FROM result_history"
                      " WHERE proposal = ?1 AND target = ?2 ORDER BY id DESC LIMIT 1), 0)",
                      id, target, err);
  if (n < 0) return INVDES_ERR_DB;
  *retracted = n > 0;
  return INVDES_OK;
}

static invdes_status add_version(invdes_store *s, int64_t id, const char *target,
                                 const char *action, double value, double sd, const char *who,
                                 double time, const char *reason, invdes_error *err) {
  sqlite3_stmt *st = prepare(s, "INSERT INTO result_history(proposal, target, action, value,"
                             " sd, who, time, reason) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                             err);
  if (!st) return INVDES_ERR_DB;
  sqlite3_bind_int64(st, 1, id);
  store_bind_text(st, 2, target);
  store_bind_text(st, 3, action);
  store_bind_real(st, 4, value);
  store_bind_real(st, 5, sd);
  store_bind_text(st, 6, who);
  sqlite3_bind_double(st, 7, time);
  store_bind_text(st, 8, reason);
  invdes_status status = store_step_done(s, st, err, "recording a version");
  sqlite3_finalize(st);
  return status;
}

invdes_status store_add_version(invdes_store *s, int64_t id, const invdes_store_version *v,
                                invdes_error *err) {
  return add_version(s, id, v->target, v->action, v->value, v->sd, v->who, v->time, v->reason,
                     err);
}

static invdes_status check_who_reason(invdes_store *s, int64_t id, const char *who,
                                      const char *reason, invdes_error *err) {
  if (!who || !*who)
    return invdes_error_set(err, INVDES_ERR_INVALID,
                            "%s: proposal %" PRId64 ": a correction needs who makes it",
                            s->path, id);
  if (!reason || !*reason)
    return invdes_error_set(err, INVDES_ERR_INVALID,
                            "%s: proposal %" PRId64 ": a correction needs a reason", s->path, id);
  return INVDES_OK;
}

/* Checks one amended value: a known target given once, finite, in range,
 * and a value to replace (a current one, or one that was retracted). */
static invdes_status check_amend(invdes_store *s, int64_t id, const invdes_store_value *v,
                                 size_t i, invdes_error *err) {
  if (!v[i].target || store_target_index(s, v[i].target) < 0)
    return invdes_error_set(err, INVDES_ERR_INVALID, "%s: proposal %" PRId64 ": unknown "
                            "target '%s'", s->path, id, v[i].target ? v[i].target : "");
  for (size_t j = 0; j < i; j++)
    if (strcmp(v[j].target, v[i].target) == 0)
      return invdes_error_set(err, INVDES_ERR_INVALID, "%s: proposal %" PRId64 ": target "
                              "'%s' given twice", s->path, id, v[i].target);
  if (!isfinite(v[i].value))
    return invdes_error_set(err, INVDES_ERR_INVALID, "%s: proposal %" PRId64 ": %s = %g is "
                            "not a finite number", s->path, id, v[i].target, v[i].value);
  if (!isnan(v[i].sd) && !(isfinite(v[i].sd) && v[i].sd >= 0))
    return invdes_error_set(err, INVDES_ERR_INVALID, "%s: proposal %" PRId64 ": the sd of %s "
                            "(%g) must be finite and >= 0", s->path, id, v[i].target, v[i].sd);
  invdes_status status = store_check_range(s, id, v[i].target, v[i].value, err);
  if (status != INVDES_OK) return status;
  long known = count_rows(s, "SELECT count(*) FROM result_history WHERE proposal = ?1"
                          " AND target = ?2", id, v[i].target, err);
  if (known < 0) return INVDES_ERR_DB;
  if (known == 0)
    return invdes_error_set(err, INVDES_ERR_INVALID,
                            "%s: proposal %" PRId64 " has no value for '%s' to amend; report "
                            "a first value with invdes tell", s->path, id, v[i].target);
  return INVDES_OK;
}

/* Replaces (or, after a retraction, restores) one current value. */
static invdes_status set_current(invdes_store *s, int64_t id, const invdes_store_value *v,
                                 double now, invdes_error *err) {
  sqlite3_stmt *st = prepare(s, "INSERT INTO results(proposal, target, value, sd, source, time)"
                             " VALUES(?1, ?2, ?3, ?4, 'amend', ?5) ON CONFLICT(proposal, target)"
                             " DO UPDATE SET value = ?3, sd = ?4, source = 'amend', time = ?5",
                             err);
  if (!st) return INVDES_ERR_DB;
  sqlite3_bind_int64(st, 1, id);
  store_bind_text(st, 2, v->target);
  sqlite3_bind_double(st, 3, v->value);
  store_bind_real(st, 4, v->sd);
  sqlite3_bind_double(st, 5, now);
  invdes_status status = store_step_done(s, st, err, "amending a result");
  sqlite3_finalize(st);
  return status;
}

typedef struct fix_req {
  int64_t id;
  const invdes_store_value *values;
  size_t n;
  const char *who, *reason;
} fix_req;

static invdes_status amend_txn(invdes_store *s, void *data, invdes_error *err) {
  const fix_req *r = data;
  store_prop_state ps;
  invdes_status status = check_who_reason(s, r->id, r->who, r->reason, err);
  if (status == INVDES_OK) status = store_proposal_state(s, r->id, &ps, err);
  if (status != INVDES_OK) return status;
  if (!r->n || !r->values)
    return invdes_error_set(err, INVDES_ERR_INVALID, "%s: proposal %" PRId64 ": an amendment "
                            "needs at least one value", s->path, r->id);
  for (size_t i = 0; i < r->n && status == INVDES_OK; i++)
    status = check_amend(s, r->id, r->values, i, err);
  double now = store_now(s);
  char msg[1024];
  size_t used = (size_t)snprintf(msg, sizeof msg, "by %s: %s;", r->who, r->reason);
  for (size_t i = 0; i < r->n && status == INVDES_OK; i++) {
    status = set_current(s, r->id, &r->values[i], now, err);
    if (status == INVDES_OK)
      status = add_version(s, r->id, r->values[i].target, "amended", r->values[i].value,
                           r->values[i].sd, r->who, now, r->reason, err);
    if (used < sizeof msg)
      used += (size_t)snprintf(msg + used, sizeof msg - used, " %s = %.17g", r->values[i].target,
                               r->values[i].value);
  }
  /* A partial proposal whose retracted value is amended back may now have
   * every target: done, as a tell of the last one makes it. */
  if (status == INVDES_OK && ps.status == INVDES_PROPOSAL_PARTIAL) {
    long have = count_rows(s, "SELECT count(*) FROM results WHERE proposal = ?1", r->id, NULL,
                           err);
    if (have < 0) status = INVDES_ERR_DB;
    else if ((size_t)have >= s->n_targets) {
      sqlite3_stmt *st = store_stmt_get(s, ST_SET_STATUS, err);
      if (!st) return INVDES_ERR_DB;
      sqlite3_bind_int64(st, 1, r->id);
      sqlite3_bind_text(st, 2, "done", -1, SQLITE_STATIC);
      sqlite3_bind_null(st, 3);
      sqlite3_bind_double(st, 4, now);
      status = store_step_done(s, st, err, "updating a proposal");
    }
  }
  if (status == INVDES_OK) status = invdes_store_event(s, "amended", r->id, msg, NULL, 0, err);
  return status;
}

invdes_status invdes_store_amend(invdes_store *s, int64_t id, const invdes_store_value *values,
                                 size_t n, const char *who, const char *reason,
                                 invdes_error *err) {
  fix_req r = {.id = id, .values = values, .n = n, .who = who, .reason = reason};
  return invdes_store_transaction(s, amend_txn, &r, err);
}

static invdes_status retract_txn(invdes_store *s, void *data, invdes_error *err) {
  const fix_req *r = data;
  store_prop_state ps;
  invdes_status status = check_who_reason(s, r->id, r->who, r->reason, err);
  if (status == INVDES_OK) status = store_proposal_state(s, r->id, &ps, err);
  if (status != INVDES_OK) return status;
  double now = store_now(s);
  /* The withdrawn values become "retracted" versions, then leave `results`. */
  sqlite3_stmt *st = prepare(s, "INSERT INTO result_history(proposal, target, action, value, sd,"
                             " who, time, reason) SELECT proposal, target, 'retracted', value,"
                             " sd, ?2, ?3, ?4 FROM results WHERE proposal = ?1", err);
  if (!st) return INVDES_ERR_DB;
  sqlite3_bind_int64(st, 1, r->id);
  store_bind_text(st, 2, r->who);
  sqlite3_bind_double(st, 3, now);
  store_bind_text(st, 4, r->reason);
  status = store_step_done(s, st, err, "retracting results");
  sqlite3_finalize(st);
  if (status == INVDES_OK && sqlite3_changes(s->db) == 0)
    return invdes_error_set(err, INVDES_ERR_INVALID,
                            "%s: proposal %" PRId64 " (%s) has no result to retract", s->path,
                            r->id, invdes_proposal_status_name(ps.status));
  if (status == INVDES_OK && !(st = prepare(s, "DELETE FROM results WHERE proposal = ?1", err)))
    return INVDES_ERR_DB;
  if (status == INVDES_OK) {
    sqlite3_bind_int64(st, 1, r->id);
    status = store_step_done(s, st, err, "retracting results");
    sqlite3_finalize(st);
  }
  char msg[1024];
  snprintf(msg, sizeof msg, "by %s: %s", r->who, r->reason);
  if (status == INVDES_OK) status = invdes_store_event(s, "retracted", r->id, msg, NULL, 0, err);
  return status;
}

invdes_status invdes_store_retract(invdes_store *s, int64_t id, const char *who,
                                   const char *reason, invdes_error *err) {
  fix_req r = {.id = id, .who = who, .reason = reason};
  return invdes_store_transaction(s, retract_txn, &r, err);
}

invdes_status invdes_store_history(invdes_store *s, int64_t proposal,
                                   int (*fn)(const invdes_store_version *v, void *data),
                                   void *data, invdes_error *err) {
  invdes_status status = store_txn_begin(s, 0, err);
  if (status != INVDES_OK) return status;
  sqlite3_stmt *st = prepare(s, "SELECT h.proposal, h.target, row_number() OVER (PARTITION BY"
                             " h.proposal, h.target ORDER BY h.id), h.action, h.value, h.sd,"
                             " h.who, h.time, h.reason FROM result_history h JOIN targets t"
                             " ON t.name = h.target WHERE ?1 = 0 OR h.proposal = ?1"
                             " ORDER BY h.proposal, t.position, h.id", err);
  if (!st) return store_txn_end(s, INVDES_ERR_DB, err);
  sqlite3_bind_int64(st, 1, proposal);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    invdes_store_version v = {
        .proposal = sqlite3_column_int64(st, 0),
        .target = (const char *)sqlite3_column_text(st, 1),
        .version = sqlite3_column_int(st, 2),
        .action = (const char *)sqlite3_column_text(st, 3),
        .value = store_column_real(st, 4),
        .sd = store_column_real(st, 5),
        .who = (const char *)sqlite3_column_text(st, 6),
        .time = sqlite3_column_double(st, 7),
        .reason = (const char *)sqlite3_column_text(st, 8)};
    if (fn(&v, data)) break;
  }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) status = store_db_error(s, err, "reading versions");
  sqlite3_finalize(st);
  return store_txn_end(s, status, err);
}
