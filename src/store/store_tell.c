/* store_tell.c — reports on proposals: measured values per target, a failed
 * experiment with its reason, or a proposal given back unrun.
 *
 * A report is checked completely before anything is written, and runs in one
 * transaction, so a refused report (unknown id or target, a value already
 * recorded, a non-finite number, another campaign's database) changes
 * nothing. Parsing "NAME=VALUE" arguments or result files is the command
 * line's job; this file sees typed values only. */
#include "store_internal.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* Lists the campaign's target names into buf, "a, b, c". */
static void target_list(const invdes_store *s, char *buf, size_t size) {
  size_t used = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < s->n_targets && used + 1 < size; i++) {
    int n = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", s->targets[i].name);
    if (n < 0) break;
    used += (size_t)n;
  }
}

static invdes_status check_values(invdes_store *s, const invdes_store_tell_req *r,
                                  invdes_error *err) {
  if (r->n_values == 0 || !r->values)
    return invdes_error_set(err, INVDES_ERR_INVALID,
                            "%s: proposal %" PRId64 ": a result needs at least one value",
                            s->path, r->id);
  for (size_t i = 0; i < r->n_values; i++) {
    const invdes_store_value *v = &r->values[i];
    if (!v->target || store_target_index(s, v->target) < 0) {
      char names[512];
      target_list(s, names, sizeof names);
      return invdes_error_set(err, INVDES_ERR_INVALID,
                              "%s: proposal %" PRId64 ": unknown target '%s' (targets: %s)",
                              s->path, r->id, v->target ? v->target : "", names);
    }
    for (size_t j = 0; j < i; j++)
      if (strcmp(r->values[j].target, v->target) == 0)
        return invdes_error_set(err, INVDES_ERR_INVALID,
                                "%s: proposal %" PRId64 ": target '%s' given twice", s->path,
                                r->id, v->target);
    if (!isfinite(v->value))
      return invdes_error_set(err, INVDES_ERR_INVALID,
                              "%s: proposal %" PRId64 ": %s = %g is not a finite number",
                              s->path, r->id, v->target, v->value);
    if (!isnan(v->sd) && !(isfinite(v->sd) && v->sd >= 0))
      return invdes_error_set(err, INVDES_ERR_INVALID,
                              "%s: proposal %" PRId64 ": the sd of %s (%g) must be finite and "
                              ">= 0", s->path, r->id, v->target, v->sd);
    invdes_status st = store_check_range(s, r->id, v->target, v->value, err);
    if (st != INVDES_OK) return st;
  }
  return INVDES_OK;
}

static invdes_status set_status(invdes_store *s, int64_t id, const char *status,
                                const char *reason, double now, invdes_error *err) {
  sqlite3_stmt *st = store_stmt_get(s, ST_SET_STATUS, err);
  if (!st) return INVDES_ERR_DB;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
  store_bind_text(st, 3, reason);
  sqlite3_bind_double(st, 4, now);
  return store_step_done(s, st, err, "updating a proposal");
}

/* Records the values and the new status: done when every target has one,
 * or when r->close (then *short_closed says whether targets are missing),
 * partial otherwise. A report of every target needs no count. */
static invdes_status record_values(invdes_store *s, const invdes_store_tell_req *r, double now,
                                   int *short_closed, invdes_error *err) {
  *short_closed = 0;
  for (size_t i = 0; i < r->n_values; i++) {
    sqlite3_stmt *st = store_stmt_get(s, ST_INSERT_RESULT, err);
    if (!st) return INVDES_ERR_DB;
    sqlite3_bind_int64(st, 1, r->id);
    sqlite3_bind_text(st, 2, r->values[i].target, -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 3, r->values[i].value);
    store_bind_real(st, 4, r->values[i].sd);
    store_bind_text(st, 5, r->source);
    sqlite3_bind_double(st, 6, now);
    /* The primary key (proposal, target) refuses a second value; the caller's
     * transaction then rolls back whatever this report wrote before. */
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
      return invdes_error_set(err, INVDES_ERR_INVALID,
                              "%s: proposal %" PRId64 " already has a result for '%s'",
                              s->path, r->id, r->values[i].target);
    if (rc != SQLITE_DONE) return store_db_error(s, err, "recording a result");
  }
  if (r->n_values == s->n_targets) return set_status(s, r->id, "done", NULL, now, err);
  sqlite3_stmt *st = store_stmt_get(s, ST_PROPOSAL_RESULTS, err);
  if (!st) return INVDES_ERR_DB;
  sqlite3_bind_int64(st, 1, r->id);
  int rc = sqlite3_step(st);
  int64_t have = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
  sqlite3_reset(st);
  if (rc != SQLITE_ROW) return store_db_error(s, err, "counting a proposal's results");
  int complete = have >= (int64_t)s->n_targets;
  *short_closed = !complete && r->close;
  return set_status(s, r->id, complete || r->close ? "done" : "partial", NULL, now, err);
}

/* The event a station's change leaves: "by station 'NAME'" in words too. */
static invdes_status log_change(invdes_store *s, const invdes_store_tell_req *r,
                                const char *kind, const char *what, invdes_error *err) {
  char msg[512];
  snprintf(msg, sizeof msg, "%s%s%s%s%s", what ? what : "", what && *what ? " " : "",
           r->station ? "(by station '" : "(no station named", r->station ? r->station : "",
           r->station ? "')" : ")");
  return store_event_by(s, kind, r->id, r->station, msg, NULL, 0, err);
}

/* A new status and its event, in the caller's transaction. */
static invdes_status change(invdes_store *s, const invdes_store_tell_req *r, const char *status,
                            const char *reason, double now, const char *kind, const char *what,
                            invdes_error *err) {
  invdes_status st = set_status(s, r->id, status, reason, now, err);
  return st == INVDES_OK ? log_change(s, r, kind, what, err) : st;
}

static invdes_status tell_result(invdes_store *s, const invdes_store_tell_req *r,
                                 const store_prop_state *ts, int late, double now,
                                 invdes_error *err) {
  if (ts->status == INVDES_PROPOSAL_FAILED)
    return invdes_error_set(err, INVDES_ERR_INVALID,
                            "%s: proposal %" PRId64 " was reported failed (%s); it takes no "
                            "values", s->path, r->id, ts->reason);
  invdes_status status = check_values(s, r, err);
  if (status != INVDES_OK) return status;
  if (ts->status == INVDES_PROPOSAL_DONE) {
    /* Only a done proposal can have had values retracted: those are
     * corrected by amend, never by a second tell. */
    int retracted = 0;
    for (size_t i = 0; status == INVDES_OK && !retracted && i < r->n_values; i++)
      if ((status = store_retracted(s, r->id, r->values[i].target, &retracted, err)) ==
              INVDES_OK && retracted)
        return invdes_error_set(err, INVDES_ERR_INVALID,
                                "%s: proposal %" PRId64 ": its '%s' was retracted; correct it "
                                "with invdes amend", s->path, r->id, r->values[i].target);
    if (status != INVDES_OK) return status;
    /* A value for a target it has is the primary key's message; one for a
     * target it lacks means it was closed. */
    int closed = 0;
    status = record_values(s, r, now, &closed, err);
    if (status == INVDES_OK)
      status = invdes_error_set(err, INVDES_ERR_INVALID,
                                "%s: proposal %" PRId64 " is done (closed with targets "
                                "missing); it takes no more values", s->path, r->id);
    return status;
  }
  int closed = 0;
  status = record_values(s, r, now, &closed, err);
  if (status == INVDES_OK && late)
    status = log_change(s, r, "late_result",
                        ts->status == INVDES_PROPOSAL_ABANDONED
                            ? "result for a proposal that had been given back"
                            : "result after the lease had expired", err);
  if (status == INVDES_OK && closed)
    status = log_change(s, r, "closed", "closed with the result, targets missing", err);
  return status;
}

/* One report inside the caller's transaction. */
static invdes_status tell_one(invdes_store *s, const invdes_store_tell_req *r, invdes_error *err) {
  if (r->campaign && strcmp(r->campaign, s->name) != 0)
    return invdes_error_set(err, INVDES_ERR_INVALID,
                            "%s: holds campaign '%s', but the report is for campaign '%s'",
                            s->path, s->name, r->campaign);
  store_prop_state ts;
  invdes_status status = store_proposal_state(s, r->id, &ts, err);
  if (status != INVDES_OK) return status;
  double now = store_now(s);
  static const char *const acts[] = {"a result", "a failure", "a give-back", "a close"};
  status = store_check_holder(s, r->id, &ts, r->station, now,
                              acts[(unsigned)r->kind < 4 ? r->kind : 0], err);
  if (status != INVDES_OK) return status;
  int late = ts.status == INVDES_PROPOSAL_ABANDONED ||
             ((ts.status == INVDES_PROPOSAL_PENDING || ts.status == INVDES_PROPOSAL_PARTIAL) &&
              isfinite(ts.lease_expires) && ts.lease_expires < now);
  const char *was = invdes_proposal_status_name(ts.status);
  switch (r->kind) {
  case INVDES_TELL_RESULT: return tell_result(s, r, &ts, late, now, err);
  case INVDES_TELL_FAILED:
    if (!r->reason || !*r->reason)
      return invdes_error_set(err, INVDES_ERR_INVALID,
                              "%s: proposal %" PRId64 ": a failure needs a reason", s->path,
                              r->id);
    if (ts.status == INVDES_PROPOSAL_DONE || ts.status == INVDES_PROPOSAL_FAILED ||
        ts.status == INVDES_PROPOSAL_PARTIAL)
      return invdes_error_set(err, INVDES_ERR_INVALID,
                              "%s: proposal %" PRId64 " is already %s; it cannot fail now%s",
                              s->path, r->id, was,
                              ts.status == INVDES_PROPOSAL_PARTIAL
                                  ? " (close it to keep the values it has)" : "");
    return change(s, r, "failed", r->reason, now, "failed", r->reason, err);
  case INVDES_TELL_ABANDON:
    if (ts.status != INVDES_PROPOSAL_PENDING)
      return invdes_error_set(err, INVDES_ERR_INVALID,
                              "%s: proposal %" PRId64 " is %s, not pending; only a pending "
                              "proposal can be given back", s->path, r->id, was);
    return change(s, r, "abandoned", r->reason, now, "abandoned", r->reason, err);
  case INVDES_TELL_CLOSE:
    if (ts.status != INVDES_PROPOSAL_PARTIAL)
      return invdes_error_set(err, INVDES_ERR_INVALID,
                              "%s: proposal %" PRId64 " is %s; only a partial proposal (some "
                              "targets reported) can be closed", s->path, r->id, was);
    return change(s, r, "done", NULL, now, "closed", "closed with targets missing", err);
  }
  return invdes_error_set(err, INVDES_ERR_USAGE, "%s: unknown kind of report", s->path);
}

invdes_status invdes_store_tell(invdes_store *s, const invdes_store_tell_req *req,
                                invdes_error *err) {
  invdes_status status = store_txn_begin(s, 1, err);
  if (status != INVDES_OK) return status;
  return store_txn_end(s, tell_one(s, req, err), err);
}

invdes_status invdes_store_tell_many(invdes_store *s, const invdes_store_tell_req *reqs,
                                     size_t n, invdes_error *err) {
  invdes_status status = store_txn_begin(s, 1, err);
  if (status != INVDES_OK) return status;
  for (size_t i = 0; status == INVDES_OK && i < n; i++) {
    status = tell_one(s, &reqs[i], err);
    if (status != INVDES_OK)
      invdes_error_add(err, status,
                       "%s: report %zu of %zu (proposal %" PRId64 ") refused; none of the %zu "
                       "reports was recorded", s->path, i + 1, n, reqs[i].id, n);
  }
  return store_txn_end(s, status, err);
}
