/* store_propose.c — the life of a proposal in the store: recorded as pending
 * (insert), handed out and leased to a station (claim, ask, heartbeat), and
 * closed by a report (tell: values, a failure, or given back).
 *
 * Each public call is one transaction (or a savepoint inside the caller's);
 * a refused report leaves the database exactly as it was. What a proposal is
 * (which point, from which strategy) is the caller's business: parameters are
 * checked only for being a JSON object. */
#include "store_internal.h"

#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A lease is a number of seconds in [0, INVDES_STORE_LEASE_MAX] (0: none). */
static int lease_ok(double lease_seconds) {
  return lease_seconds >= 0 && lease_seconds <= INVDES_STORE_LEASE_MAX;
}

void store_time_text(double t, char out[32]) {
  if (!isfinite(t) || fabs(t) > 1e12) {
    snprintf(out, 32, "no end");
    return;
  }
  double whole = floor(t);
  time_t secs = (time_t)whole;
  long ms = lround((t - whole) * 1000);
  if (ms == 1000) {
    secs++;
    ms = 0;
  }
  struct tm tm;
  gmtime_r(&secs, &tm);
  char day[24];
  strftime(day, sizeof day, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(out, 32, "%s.%03ldZ", day, ms);
}

/* ---- insert ------------------------------------------------------------- */

static invdes_status check_new(invdes_store *s, const invdes_store_new_proposal *p, size_t k,
                               invdes_error *err) {
  if (!p->parameters)
    return invdes_error_set(err, INVDES_ERR_USAGE, "%s: proposal %zu has no parameters",
                            s->path, k);
  json_error_t jerr;
  json_t *j = json_loads(p->parameters, JSON_REJECT_DUPLICATES, &jerr);
  int object = j && json_is_object(j);
  json_decref(j);
  if (!object)
    return invdes_error_set(err, INVDES_ERR_USAGE,
                            "%s: proposal %zu: parameters are not a JSON object (%s)", s->path,
                            k, j ? "another JSON value" : jerr.text);
  if (p->dim > 0 && !p->z)
    return invdes_error_set(err, INVDES_ERR_USAGE, "%s: proposal %zu: z missing", s->path, k);
  if (p->dim > (size_t)INT32_MAX / 8)
    return invdes_error_set(err, INVDES_ERR_USAGE, "%s: proposal %zu: z too long", s->path, k);
  for (size_t i = 0; i < p->dim; i++)
    if (!isfinite(p->z[i]))
      return invdes_error_set(err, INVDES_ERR_USAGE, "%s: proposal %zu: z[%zu] is not finite",
                              s->path, k, i);
  return INVDES_OK;
}

static invdes_status insert_one(invdes_store *s, int64_t batch, int64_t iteration,
                                const char *strategy, const invdes_store_new_proposal *p,
                                const char *station, double expires, double now,
                                unsigned char *zbuf, int64_t *id, invdes_error *err) {
  sqlite3_stmt *st = store_stmt_get(s, ST_INSERT_PROPOSAL, err);
  if (!st) return INVDES_ERR_DB;
  store_z_encode(p->z, p->dim, zbuf);
  sqlite3_bind_int64(st, 1, batch);
  sqlite3_bind_int64(st, 2, iteration);
  sqlite3_bind_text(st, 3, strategy, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, p->parameters, -1, SQLITE_STATIC);
  sqlite3_bind_blob(st, 5, zbuf, (int)(8 * p->dim), SQLITE_STATIC);
  store_bind_text(st, 6, station);
  store_bind_real(st, 7, expires);
  store_bind_real(st, 8, p->acquisition);
  sqlite3_bind_double(st, 9, now);
  invdes_status status = store_step_done(s, st, err, "recording a proposal");
  sqlite3_clear_bindings(st); /* the static bindings point into the caller's data */
  if (status != INVDES_OK) return status;
  *id = sqlite3_last_insert_rowid(s->db);
  if (!p->pred_mean) return INVDES_OK;
  for (size_t t = 0; t < s->n_targets; t++) {
    if (!isfinite(p->pred_mean[t])) continue;
    st = store_stmt_get(s, ST_INSERT_PREDICTION, err);
    if (!st) return INVDES_ERR_DB;
    sqlite3_bind_int64(st, 1, *id);
    sqlite3_bind_text(st, 2, s->targets[t].name, -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 3, p->pred_mean[t]);
    store_bind_real(st, 4, p->pred_sd ? p->pred_sd[t] : NAN);
    status = store_step_done(s, st, err, "recording a prediction");
    if (status != INVDES_OK) return status;
  }
  return INVDES_OK;
}

static invdes_status read_int64(invdes_store *s, store_stmt which, int64_t *out,
                                invdes_error *err) {
  sqlite3_stmt *st = store_stmt_get(s, which, err);
  if (!st) return INVDES_ERR_DB;
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *out = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? INVDES_OK : store_db_error(s, err, "reading the proposals");
}

invdes_status invdes_store_insert(invdes_store *s, int64_t iteration, const char *strategy,
                                  const invdes_store_new_proposal *p, size_t n,
                                  const char *station, double lease_seconds, int64_t *ids,
                                  int64_t *batch, invdes_error *err) {
  if (!strategy || (n > 0 && !p) || !lease_ok(lease_seconds))
    return invdes_error_set(err, INVDES_ERR_USAGE,
                            "%s: recording proposals: a strategy name, the proposals and a "
                            "lease in [0, %.0f] s are needed", s->path, INVDES_STORE_LEASE_MAX);
  size_t dim_max = 0;
  for (size_t k = 0; k < n; k++) {
    invdes_status st = check_new(s, &p[k], k, err);
    if (st != INVDES_OK) return st;
    if (p[k].dim > dim_max) dim_max = p[k].dim;
  }
  unsigned char *zbuf = malloc(8 * dim_max + 1);
  if (!zbuf) return invdes_error_set(err, INVDES_ERR_NOMEM, "%s: out of memory", s->path);
  invdes_status status = store_txn_begin(s, 1, err);
  if (status != INVDES_OK) {
    free(zbuf);
    return status;
  }
  int64_t b = 0;
  status = read_int64(s, ST_MAX_BATCH, &b, err);
  b++;
  double now = store_now(s);
  double expires = lease_seconds > 0 ? now + lease_seconds : NAN;
  for (size_t k = 0; status == INVDES_OK && k < n; k++) {
    int64_t id = 0;
    status = insert_one(s, b, iteration, strategy, &p[k], station, expires, now, zbuf, &id, err);
    if (ids) ids[k] = id;
  }
  free(zbuf);
  status = store_txn_end(s, status, err);
  if (status == INVDES_OK && batch) *batch = b;
  return status;
}

/* ---- claim, ask, heartbeat ---------------------------------------------- */

static invdes_status lease(invdes_store *s, int64_t id, const char *station, double expires,
                           int again, double now, invdes_error *err) {
  sqlite3_stmt *st = store_stmt_get(s, ST_LEASE, err);
  if (!st) return INVDES_ERR_DB;
  sqlite3_bind_int64(st, 1, id);
  store_bind_text(st, 2, station);
  store_bind_real(st, 3, expires);
  sqlite3_bind_int(st, 4, again);
  sqlite3_bind_double(st, 5, now);
  return store_step_done(s, st, err, "leasing a proposal");
}

/* Collects up to max ids of the (already bound) query; column 0 the id, and
 * when `why` is given columns 1-3 status, station, lease expiry into it. */
static invdes_status collect_ids(invdes_store *s, sqlite3_stmt *st, int64_t *ids, size_t max,
                                 size_t *n, char (*why)[160], invdes_error *err) {
  int rc = SQLITE_DONE;
  while (*n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    ids[*n] = sqlite3_column_int64(st, 0);
    if (why) {
      const char *status = (const char *)sqlite3_column_text(st, 1);
      const char *holder = (const char *)sqlite3_column_text(st, 2);
      if (status && strcmp(status, "abandoned") == 0)
        snprintf(why[*n], sizeof why[*n], "it was abandoned");
      else {
        char until[32];
        store_time_text(sqlite3_column_double(st, 3), until);
        snprintf(why[*n], sizeof why[*n], "the lease of %s%s%s expired at %s",
                 holder ? "station '" : "", holder ? holder : "an unnamed station",
                 holder ? "'" : "", until);
      }
    }
    (*n)++;
  }
  if (*n < max && rc != SQLITE_DONE) {
    sqlite3_reset(st);
    return store_db_error(s, err, "looking for proposals to hand out");
  }
  sqlite3_reset(st);
  return INVDES_OK;
}

static invdes_status claim_in_txn(invdes_store *s, const char *station, double lease_seconds,
                                  size_t max, int64_t *ids, size_t *n_out, invdes_error *err) {
  double now = store_now(s);
  double expires = lease_seconds > 0 ? now + lease_seconds : NAN;
  size_t n = 0;
  invdes_status status = INVDES_OK;
  if (station) {
    sqlite3_stmt *st = store_stmt_get(s, ST_CLAIM_OWN, err);
    if (!st) return INVDES_ERR_DB;
    sqlite3_bind_text(st, 1, station, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)max);
    status = collect_ids(s, st, ids, max, &n, NULL, err);
    for (size_t i = 0; status == INVDES_OK && i < n; i++)
      status = lease(s, ids[i], station, expires, 0, now, err);
  }
  size_t own = n;
  if (status == INVDES_OK && n < max) {
    char(*why)[160] = malloc(max * sizeof *why);
    if (!why) return invdes_error_set(err, INVDES_ERR_NOMEM, "%s: out of memory", s->path);
    sqlite3_stmt *st = store_stmt_get(s, ST_CLAIM_OTHERS, err);
    if (!st) status = INVDES_ERR_DB;
    if (st) {
      sqlite3_bind_double(st, 1, now);
      store_bind_text(st, 2, station);
      sqlite3_bind_int64(st, 3, (sqlite3_int64)(max - n));
      status = collect_ids(s, st, ids, max, &n, why, err);
    }
    for (size_t i = own; status == INVDES_OK && i < n; i++) {
      status = lease(s, ids[i], station, expires, 1, now, err);
      char msg[256];
      snprintf(msg, sizeof msg, "offered again to %s%s%s: %s", station ? "station '" : "",
               station ? station : "an unnamed station", station ? "'" : "", why[i]);
      if (status == INVDES_OK)
        status = store_event_by(s, "offered_again", ids[i], station, msg, NULL, 0, err);
    }
    free(why);
  }
  *n_out = n;
  return status;
}

invdes_status invdes_store_claim(invdes_store *s, const char *station, double lease_seconds,
                                 size_t max, int64_t *ids, size_t *n_out, invdes_error *err) {
  *n_out = 0;
  if (!lease_ok(lease_seconds) || (max > 0 && !ids))
    return invdes_error_set(err, INVDES_ERR_USAGE, "%s: claim: bad arguments", s->path);
  if (max == 0) return INVDES_OK;
  invdes_status status = store_txn_begin(s, 1, err);
  if (status != INVDES_OK) return status;
  status = claim_in_txn(s, station, lease_seconds, max, ids, n_out, err);
  status = store_txn_end(s, status, err);
  if (status != INVDES_OK) *n_out = 0;
  return status;
}

/* The budget's two numbers from the counts by status: a pending proposal
 * whose lease ran out holds nothing (the next ask offers it again). */
static invdes_status budget_in_txn(invdes_store *s, invdes_store_budget *b, invdes_error *err) {
  invdes_store_counts c;
  memset(&c, 0, sizeof c);
  invdes_status status = store_counts_in_txn(s, &c, err);
  b->results = c.done + c.failed;
  b->outstanding = c.partial + c.pending - c.pending_expired;
  return status;
}

invdes_status invdes_store_budget_get(invdes_store *s, invdes_store_budget *out,
                                      invdes_error *err) {
  memset(out, 0, sizeof *out);
  invdes_status status = store_txn_begin(s, 0, err);
  if (status != INVDES_OK) return status;
  return store_txn_end(s, budget_in_txn(s, out, err), err);
}

/* How many of n an ask within `budget` may hand out: the station's own
 * pending proposals (they hold their place already) plus what the budget has
 * left. Computed before anything is allocated, so `ask -n 1000000` on a
 * budget of 400 costs what an ask of 400 does. */
static invdes_status budget_cap(invdes_store *s, const char *station, int64_t budget, size_t n,
                                size_t *cap, invdes_error *err) {
  *cap = n;
  if (budget <= 0) return INVDES_OK;
  int64_t held = 0, own = 0;
  sqlite3_stmt *hq = store_stmt_get(s, ST_COUNT_HELD, err);
  if (!hq) return INVDES_ERR_DB;
  sqlite3_bind_double(hq, 1, store_now(s));
  int hrc = sqlite3_step(hq);
  if (hrc == SQLITE_ROW) held = sqlite3_column_int64(hq, 0);
  sqlite3_reset(hq);
  invdes_status status =
      hrc == SQLITE_ROW ? INVDES_OK : store_db_error(s, err, "counting the budget's proposals");
  if (status == INVDES_OK && station) {
    sqlite3_stmt *st = store_stmt_get(s, ST_COUNT_OWN, err);
    if (!st) return INVDES_ERR_DB;
    sqlite3_bind_text(st, 1, station, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) own = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW) status = store_db_error(s, err, "counting a station's proposals");
  }
  if (status != INVDES_OK) return status;
  int64_t left = budget - held;
  int64_t allowed = own + (left > 0 ? left : 0);
  if ((uint64_t)allowed < (uint64_t)n) *cap = (size_t)allowed;
  return INVDES_OK;
}

size_t invdes_store_ask_claimed(const invdes_store *s) { return s->ask_claimed; }

invdes_status invdes_store_ask(invdes_store *s, const char *station, double lease_seconds,
                               size_t n, invdes_store_propose_fn propose, void *data,
                               invdes_store_rows **out, invdes_error *err) {
  return invdes_store_ask_budget(s, station, lease_seconds, n, 0, propose, data, out, err);
}

invdes_status invdes_store_ask_budget(invdes_store *s, const char *station,
                                      double lease_seconds, size_t n, int64_t budget,
                                      invdes_store_propose_fn propose, void *data,
                                      invdes_store_rows **out, invdes_error *err) {
  *out = NULL;
  if (!lease_ok(lease_seconds))
    return invdes_error_set(err, INVDES_ERR_USAGE, "%s: ask: the lease must be in [0, %.0f] s",
                            s->path, INVDES_STORE_LEASE_MAX);
  invdes_status status = store_txn_begin(s, 1, err);
  if (status != INVDES_OK) return status;
  status = budget_cap(s, station, budget, n, &n, err);
  int64_t *ids = status == INVDES_OK ? malloc((n + 1) * sizeof *ids) : NULL;
  if (status == INVDES_OK && !ids)
    status = invdes_error_set(err, INVDES_ERR_NOMEM, "%s: out of memory", s->path);
  size_t got = 0;
  if (status == INVDES_OK && n > 0)
    status = claim_in_txn(s, station, lease_seconds, n, ids, &got, err);
  invdes_store_rows *fresh = NULL;
  if (status == INVDES_OK && got < n && propose) {
    int64_t last = 0;
    status = read_int64(s, ST_MAX_ID, &last, err);
    s->ask_claimed = got;
    if (status == INVDES_OK) status = propose(s, n - got, station, lease_seconds, data, err);
    if (status == INVDES_OK)
      status = invdes_store_list(s, INVDES_PROPOSAL_ANY, last, &fresh, err);
  }
  invdes_store_rows *claimed = NULL;
  if (status == INVDES_OK) status = invdes_store_get(s, ids, got, &claimed, err);
  status = store_txn_end(s, status, err);
  free(ids);
  if (status != INVDES_OK) {
    invdes_store_rows_free(claimed);
    invdes_store_rows_free(fresh);
    return status;
  }
  /* One list: the claimed items, then the new ones (moved, not copied). */
  if (fresh && fresh->n > 0) {
    invdes_store_proposal *items =
        realloc(claimed->items, (claimed->n + fresh->n) * sizeof *items);
    if (!items) {
      invdes_store_rows_free(claimed);
      invdes_store_rows_free(fresh);
      return invdes_error_set(err, INVDES_ERR_NOMEM, "%s: out of memory", s->path);
    }
    memcpy(items + claimed->n, fresh->items, fresh->n * sizeof *items);
    claimed->items = items;
    claimed->n += fresh->n;
    fresh->n = 0;
  }
  invdes_store_rows_free(fresh);
  *out = claimed;
  return INVDES_OK;
}

invdes_status store_proposal_state(invdes_store *s, int64_t id, store_prop_state *ps,
                                   invdes_error *err) {
  sqlite3_stmt *st = store_stmt_get(s, ST_PROPOSAL_STATE, err);
  if (!st) return INVDES_ERR_DB;
  sqlite3_bind_int64(st, 1, id);
  int rc = sqlite3_step(st);
  if (rc != SQLITE_ROW) {
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return store_db_error(s, err, "reading a proposal");
    int64_t last = 0;
    read_int64(s, ST_MAX_ID, &last, NULL);
    return invdes_error_set(err, INVDES_ERR_INVALID,
                            "%s: no proposal %" PRId64 " (ids run from 1 to %" PRId64 ")",
                            s->path, id, last);
  }
  const char *status = (const char *)sqlite3_column_text(st, 0);
  ps->status = !status                            ? INVDES_PROPOSAL_PENDING
               : strcmp(status, "done") == 0      ? INVDES_PROPOSAL_DONE
               : strcmp(status, "failed") == 0    ? INVDES_PROPOSAL_FAILED
               : strcmp(status, "abandoned") == 0 ? INVDES_PROPOSAL_ABANDONED
               : strcmp(status, "partial") == 0  ? INVDES_PROPOSAL_PARTIAL
                                                  : INVDES_PROPOSAL_PENDING;
  const char *holder = (const char *)sqlite3_column_text(st, 1);
  ps->has_station = holder != NULL;
  snprintf(ps->station, sizeof ps->station, "%s", holder ? holder : "");
  ps->lease_expires = store_column_real(st, 2);
  const char *reason = (const char *)sqlite3_column_text(st, 3);
  snprintf(ps->reason, sizeof ps->reason, "%s", reason ? reason : "");
  sqlite3_reset(st);
  return INVDES_OK;
}

invdes_status store_check_holder(invdes_store *s, int64_t id, const store_prop_state *ps,
                                 const char *station, double now, const char *what,
                                 invdes_error *err) {
  int held = (ps->status == INVDES_PROPOSAL_PENDING || ps->status == INVDES_PROPOSAL_PARTIAL) &&
             ps->has_station && !(ps->lease_expires < now);
  if (!held || (station && strcmp(station, ps->station) == 0)) return INVDES_OK;
  char until[32];
  store_time_text(ps->lease_expires, until);
  return invdes_error_set(err, INVDES_ERR_HELD,
                          "%s: proposal %" PRId64 " is leased to station '%s' until %s; %s "
                          "%s%s%s is refused (only the holder may %s it while the lease lasts)",
                          s->path, id, ps->station, until, what,
                          station ? "by station '" : "without --station", station ? station : "",
                          station ? "'" : "", strncmp(what, "a heartbeat", 11) == 0
                                                  ? "extend" : "report on");
}

invdes_status invdes_store_heartbeat(invdes_store *s, int64_t id, const char *station,
                                     double lease_seconds, double *expires, invdes_error *err) {
  if (!(lease_seconds > 0) || !lease_ok(lease_seconds))
    return invdes_error_set(err, INVDES_ERR_USAGE, "%s: a heartbeat needs a lease in (0, %.0f] s",
                            s->path, INVDES_STORE_LEASE_MAX);
  invdes_status status = store_txn_begin(s, 1, err);
  if (status != INVDES_OK) return status;
  store_prop_state ps;
  status = store_proposal_state(s, id, &ps, err);
  double now = store_now(s), until = now + lease_seconds;
  if (status == INVDES_OK && ps.status != INVDES_PROPOSAL_PENDING &&
      ps.status != INVDES_PROPOSAL_PARTIAL)
    status = invdes_error_set(err, INVDES_ERR_INVALID,
                              "%s: proposal %" PRId64 " is %s, not pending: no lease to extend",
                              s->path, id, invdes_proposal_status_name(ps.status));
  if (status == INVDES_OK) status = store_check_holder(s, id, &ps, station, now, "a heartbeat", err);
  /* A lease that ran out is still its holder's until another station takes
   * it: only the holder may renew it. */
  if (status == INVDES_OK && ps.has_station && (!station || strcmp(station, ps.station) != 0)) {
    char was[32];
    store_time_text(ps.lease_expires, was);
    status = invdes_error_set(err, INVDES_ERR_HELD,
                              "%s: proposal %" PRId64 " is station '%s''s (its lease ended at "
                              "%s); a heartbeat %s%s%s is refused: ask for it to take it over",
                              s->path, id, ps.station, was,
                              station ? "by station '" : "without --station",
                              station ? station : "", station ? "'" : "");
  }
  if (status == INVDES_OK) {
    sqlite3_stmt *st = store_stmt_get(s, ST_HEARTBEAT, err);
    if (!st) status = INVDES_ERR_DB;
    if (st) {
      sqlite3_bind_int64(st, 1, id);
      sqlite3_bind_double(st, 2, until);
      sqlite3_bind_double(st, 3, now);
      status = store_step_done(s, st, err, "extending a lease");
    }
  }
  status = store_txn_end(s, status, err);
  if (status == INVDES_OK && expires) *expires = until;
  return status;
}
