/* store_log.c — the event log (run started/stopped, evaluator errors with
 * their stderr, offers and give-backs) and the strategy state that cannot be
 * rebuilt from proposals and results. Append and read only: nothing here
 * judges events or interprets a strategy's blob. */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

invdes_status invdes_store_event(invdes_store *s, const char *kind, int64_t proposal,
                                 const char *message, const char *stderr_text,
                                 size_t stderr_len, invdes_error *err) {
  return store_event_by(s, kind, proposal, NULL, message, stderr_text, stderr_len, err);
}

invdes_status store_event_by(invdes_store *s, const char *kind, int64_t proposal,
                             const char *station, const char *message,
                             const char *stderr_text, size_t stderr_len, invdes_error *err) {
  if (!kind || !*kind)
    return invdes_error_set(err, INVDES_ERR_USAGE, "%s: an event needs a kind", s->path);
  char *kept = NULL;
  if (stderr_text && stderr_len > INVDES_STORE_STDERR_MAX) {
    char note[96];
    int n = snprintf(note, sizeof note, "[... %zu bytes cut ...]\n",
                     stderr_len - INVDES_STORE_STDERR_MAX);
    kept = malloc((size_t)n + INVDES_STORE_STDERR_MAX + 1);
    if (!kept) return invdes_error_set(err, INVDES_ERR_NOMEM, "%s: out of memory", s->path);
    memcpy(kept, note, (size_t)n);
    memcpy(kept + n, stderr_text + stderr_len - INVDES_STORE_STDERR_MAX, INVDES_STORE_STDERR_MAX);
    kept[n + INVDES_STORE_STDERR_MAX] = '\0';
    stderr_text = kept;
    stderr_len = (size_t)n + INVDES_STORE_STDERR_MAX;
  }
  invdes_status status = store_txn_begin(s, 1, err);
  if (status == INVDES_OK) {
    sqlite3_stmt *st = store_stmt_get(s, ST_INSERT_EVENT, err);
    if (!st) {
      status = INVDES_ERR_DB;
    } else {
      sqlite3_bind_double(st, 1, store_now(s));
      sqlite3_bind_text(st, 2, kind, -1, SQLITE_TRANSIENT);
      if (proposal > 0) sqlite3_bind_int64(st, 3, proposal);
      store_bind_text(st, 4, message);
      if (stderr_text) sqlite3_bind_text(st, 5, stderr_text, (int)stderr_len, SQLITE_TRANSIENT);
      store_bind_text(st, 6, station);
      status = store_step_done(s, st, err, "appending an event");
    }
    status = store_txn_end(s, status, err);
  }
  free(kept);
  return status;
}

invdes_status invdes_store_events(invdes_store *s, int64_t after_id, const char *kind,
                                  int (*fn)(const invdes_store_event_row *row, void *data),
                                  void *data, invdes_error *err) {
  invdes_status status = store_txn_begin(s, 0, err);
  if (status != INVDES_OK) return status;
  sqlite3_stmt *st = store_stmt_get(s, ST_EVENTS, err);
  if (!st) return store_txn_end(s, INVDES_ERR_DB, err);
  sqlite3_bind_int64(st, 1, after_id);
  store_bind_text(st, 2, kind);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    invdes_store_event_row row = {
        .id = sqlite3_column_int64(st, 0),
        .time = sqlite3_column_double(st, 1),
        .kind = (const char *)sqlite3_column_text(st, 2),
        .proposal = sqlite3_column_int64(st, 3),
        .message = (const char *)sqlite3_column_text(st, 4),
        .stderr_text = (const char *)sqlite3_column_text(st, 5),
        .station = (const char *)sqlite3_column_text(st, 6),
    };
    if (fn(&row, data)) break;
  }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) status = store_db_error(s, err, "reading events");
  sqlite3_reset(st);
  return store_txn_end(s, status, err);
}

invdes_status invdes_store_state_put(invdes_store *s, const char *key, int64_t iteration,
                                     const void *blob, size_t len, invdes_error *err) {
  if (!key || (!blob && len > 0) || len > (size_t)INT32_MAX)
    return invdes_error_set(err, INVDES_ERR_USAGE, "%s: bad strategy state arguments", s->path);
  invdes_status status = store_txn_begin(s, 1, err);
  if (status != INVDES_OK) return status;
  sqlite3_stmt *st = store_stmt_get(s, ST_STATE_PUT, err);
  if (!st) return store_txn_end(s, INVDES_ERR_DB, err);
  sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 2, iteration);
  sqlite3_bind_blob(st, 3, len ? blob : "", (int)len, SQLITE_TRANSIENT);
  sqlite3_bind_double(st, 4, store_now(s));
  status = store_step_done(s, st, err, "saving strategy state");
  return store_txn_end(s, status, err);
}

invdes_status invdes_store_state_get(invdes_store *s, const char *key, int64_t max_iteration,
                                     void **blob, size_t *len, int64_t *iteration,
                                     int *found, invdes_error *err) {
  *blob = NULL;
  *len = 0;
  *found = 0;
  sqlite3_stmt *st = store_stmt_get(s, ST_STATE_GET, err);
  if (!st) return INVDES_ERR_DB;
  sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 2, max_iteration);
  int rc = sqlite3_step(st);
  invdes_status status = INVDES_OK;
  if (rc == SQLITE_ROW) {
    int n = sqlite3_column_bytes(st, 1);
    const void *b = sqlite3_column_blob(st, 1);
    *blob = malloc(n > 0 ? (size_t)n : 1);
    if (!*blob) {
      status = invdes_error_set(err, INVDES_ERR_NOMEM, "%s: out of memory", s->path);
    } else {
      if (n > 0) memcpy(*blob, b, (size_t)n);
      *len = (size_t)n;
      *found = 1;
      if (iteration) *iteration = sqlite3_column_int64(st, 0);
    }
  } else if (rc != SQLITE_DONE) {
    status = store_db_error(s, err, "reading strategy state");
  }
  sqlite3_reset(st);
  return status;
}
