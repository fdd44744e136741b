/* store_jobs.c — the jobs an objective kind handed to an outside batch
 * scheduler (tables jobs and job_tasks, schema version 5): the intent
 * written before submitting, the scheduler's id written right after, a
 * cancellation mark, and the look-ups a resumed run and `invdes cancel`
 * need. The store only keeps these rows; what a state of the scheduler means
 * is the kind's business (objectives/slurm*.c). Statements are prepared per
 * call: a job is written once per batch, not per evaluation. */
#include "store_internal.h"

#include <stdio.h>
#include <string.h>

/* Prepares sql or fails with the connection's message. */
static sqlite3_stmt *prep(invdes_store *s, const char *sql, const char *what,
                          invdes_error *err) {
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
    store_db_error(s, err, what);
    return NULL;
  }
  return st;
}

static invdes_status add_tasks(invdes_store *s, int64_t job, const int64_t *proposals,
                               const int *retries, size_t n, invdes_error *err) {
  sqlite3_stmt *st = prep(s, "INSERT INTO job_tasks(job, task, proposal, retries)"
                             " VALUES(?1, ?2, ?3, ?4)", "recording a job's tasks", err);
  if (!st) return INVDES_ERR_DB;
  invdes_status status = INVDES_OK;
  for (size_t i = 0; status == INVDES_OK && i < n; i++) {
    sqlite3_bind_int64(st, 1, job);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
    sqlite3_bind_int64(st, 3, proposals[i]);
    sqlite3_bind_int(st, 4, retries ? retries[i] : 0);
    status = store_step_done(s, st, err, "recording a job's tasks");
  }
  sqlite3_finalize(st);
  return status;
}

invdes_status invdes_store_job_intent(invdes_store *s, const char *kind, const char *tag,
                                      const int64_t *proposals, const int *retries, size_t n,
                                      invdes_error *err) {
  if (!kind || !tag || !*tag || (n && !proposals))
    return invdes_error_set(err, INVDES_ERR_USAGE, "%s: bad job arguments", s->path);
  invdes_status status = store_txn_begin(s, 1, err);
  if (status != INVDES_OK) return status;
  sqlite3_stmt *st = prep(s, "INSERT INTO jobs(kind, tag, created) VALUES(?1, ?2, ?3)",
                          "recording a job", err);
  if (!st) return store_txn_end(s, INVDES_ERR_DB, err);
  sqlite3_bind_text(st, 1, kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, tag, -1, SQLITE_TRANSIENT);
  sqlite3_bind_double(st, 3, store_now(s));
  int rc = sqlite3_step(st);
  sqlite3_finalize(st);
  if (rc == SQLITE_CONSTRAINT || (rc & 0xff) == SQLITE_CONSTRAINT)
    status = invdes_error_set(err, INVDES_ERR_INVALID, "%s: job tag '%s' is already recorded",
                              s->path, tag);
  else if (rc != SQLITE_DONE)
    status = store_db_error(s, err, "recording a job");
  if (status == INVDES_OK)
    status = add_tasks(s, sqlite3_last_insert_rowid(s->db), proposals, retries, n, err);
  return store_txn_end(s, status, err);
}

/* Runs an UPDATE of jobs with ?1 = tag and ?2 = text (may be NULL), ?3 = now;
 * an unknown tag is INVDES_ERR_INVALID. */
static invdes_status update_job(invdes_store *s, const char *sql, const char *tag,
                                const char *text, const char *what, invdes_error *err) {
  if (!tag) return invdes_error_set(err, INVDES_ERR_USAGE, "%s: no job tag", s->path);
  invdes_status status = store_txn_begin(s, 1, err);
  if (status != INVDES_OK) return status;
  sqlite3_stmt *st = prep(s, sql, what, err);
  if (!st) return store_txn_end(s, INVDES_ERR_DB, err);
  sqlite3_bind_text(st, 1, tag, -1, SQLITE_TRANSIENT);
  store_bind_text(st, 2, text);
  sqlite3_bind_double(st, 3, store_now(s));
  if (sqlite3_step(st) != SQLITE_DONE) status = store_db_error(s, err, what);
  else if (sqlite3_changes(s->db) == 0)
    status = invdes_error_set(err, INVDES_ERR_INVALID, "%s: no job with tag '%s'", s->path, tag);
  sqlite3_finalize(st);
  return store_txn_end(s, status, err);
}

invdes_status invdes_store_job_submitted(invdes_store *s, const char *tag,
                                         const char *scheduler_id, invdes_error *err) {
  if (!scheduler_id || !*scheduler_id)
    return invdes_error_set(err, INVDES_ERR_USAGE, "%s: no scheduler id", s->path);
  return update_job(s, "UPDATE jobs SET scheduler_id = ?2, submitted = ?3 WHERE tag = ?1", tag,
                    scheduler_id, "recording a job's id", err);
}

invdes_status invdes_store_job_cancelled(invdes_store *s, const char *tag, invdes_error *err) {
  return update_job(s, "UPDATE jobs SET cancelled = ?3 WHERE tag = ?1 AND ?2 IS NULL", tag,
                    NULL, "marking a job cancelled", err);
}

/* Copies a text column into buf ("" for NULL). */
static void column_text(sqlite3_stmt *st, int i, char *buf, size_t size) {
  const unsigned char *t = sqlite3_column_text(st, i);
  snprintf(buf, size, "%s", t ? (const char *)t : "");
}

invdes_status invdes_store_job_latest(invdes_store *s, int64_t proposal,
                                      invdes_store_job_task *out, int *found,
                                      invdes_error *err) {
  memset(out, 0, sizeof *out);
  *found = 0;
  sqlite3_stmt *st = prep(s, "SELECT j.id, j.kind, j.tag, j.scheduler_id, t.task, t.retries,"
                             " j.cancelled IS NOT NULL FROM job_tasks t JOIN jobs j"
                             " ON j.id = t.job WHERE t.proposal = ?1"
                             " ORDER BY t.job DESC LIMIT 1", "reading a proposal's job", err);
  if (!st) return INVDES_ERR_DB;
  sqlite3_bind_int64(st, 1, proposal);
  int rc = sqlite3_step(st);
  invdes_status status = INVDES_OK;
  if (rc == SQLITE_ROW) {
    out->proposal = proposal;
    out->job = sqlite3_column_int64(st, 0);
    column_text(st, 1, out->kind, sizeof out->kind);
    column_text(st, 2, out->tag, sizeof out->tag);
    column_text(st, 3, out->scheduler_id, sizeof out->scheduler_id);
    out->task = sqlite3_column_int(st, 4);
    out->retries = sqlite3_column_int(st, 5);
    out->cancelled = sqlite3_column_int(st, 6);
    *found = 1;
  } else if (rc != SQLITE_DONE) {
    status = store_db_error(s, err, "reading a proposal's job");
  }
  sqlite3_finalize(st);
  return status;
}

invdes_status invdes_store_jobs_live(invdes_store *s,
                                     int (*fn)(const char *kind, const char *tag,
                                               const char *scheduler_id, void *data),
                                     void *data, size_t *n, invdes_error *err) {
  if (n) *n = 0;
  invdes_status status = store_txn_begin(s, 0, err);
  if (status != INVDES_OK) return status;
  sqlite3_stmt *st = prep(
      s, "SELECT j.kind, j.tag, coalesce(j.scheduler_id, '') FROM jobs j"
         " WHERE j.cancelled IS NULL AND EXISTS (SELECT 1 FROM job_tasks t"
         "  JOIN proposals p ON p.id = t.proposal"
         "  WHERE t.job = j.id AND p.status IN ('pending', 'abandoned')"
         "  AND t.job = (SELECT max(u.job) FROM job_tasks u WHERE u.proposal = t.proposal))"
         " ORDER BY j.id", "listing live jobs", err);
  if (!st) return store_txn_end(s, INVDES_ERR_DB, err);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (n) (*n)++;
    if (fn && fn((const char *)sqlite3_column_text(st, 0),
                 (const char *)sqlite3_column_text(st, 1),
                 (const char *)sqlite3_column_text(st, 2), data))
      break;
  }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) status = store_db_error(s, err, "listing live jobs");
  sqlite3_finalize(st);
  return store_txn_end(s, status, err);
}
