/* store_import.c — experiments invdes did not propose: prior data a lab
 * measured before the campaign (`invdes import`) and the results carried
 * into a grown campaign's new database (`invdes init --from`).
 *
 * Each becomes a proposal of its own, status done, in one new batch, so every
 * strategy learns from it as from any result (the driver tells every done
 * proposal when it rebuilds its history). All rows are checked as a tell's
 * values are and written in one transaction: one bad row refuses them all.
 * Turning a CSV row or an old database's parameters into a point of the space
 * (and its z) is the driver's job; this file sees typed rows only. */
#include "store_internal.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct import_req {
  const invdes_store_import_row *rows;
  size_t n;
  const char *source, *who;
  int64_t *ids;
  int migrated;
} import_req;

static invdes_status check_row(invdes_store *s, const invdes_store_import_row *r, size_t row,
                               invdes_error *err) {
  if (!r->parameters || !r->n_values || !r->values)
    return invdes_error_set(err, INVDES_ERR_INVALID, "%s: row %zu: no parameters or no value",
                            s->path, row);
  for (size_t i = 0; i < r->n_values; i++) {
    const invdes_store_value *v = &r->values[i];
    if (!v->target || store_target_index(s, v->target) < 0)
      return invdes_error_set(err, INVDES_ERR_INVALID, "%s: row %zu: unknown target '%s'",
                              s->path, row, v->target ? v->target : "");
    for (size_t j = 0; j < i; j++)
      if (strcmp(r->values[j].target, v->target) == 0)
        return invdes_error_set(err, INVDES_ERR_INVALID, "%s: row %zu: target '%s' given "
                                "twice", s->path, row, v->target);
    if (!isfinite(v->value))
      return invdes_error_set(err, INVDES_ERR_INVALID, "%s: row %zu: %s = %g is not a finite "
                              "number", s->path, row, v->target, v->value);
    if (!isnan(v->sd) && !(isfinite(v->sd) && v->sd >= 0))
      return invdes_error_set(err, INVDES_ERR_INVALID, "%s: row %zu: the sd of %s (%g) must "
                              "be finite and >= 0", s->path, row, v->target, v->sd);
    invdes_status st = store_check_range(s, 0, v->target, v->value, err);
    if (st != INVDES_OK) {
      invdes_error_add(err, st, "%s: row %zu: column '%s' refused", s->path, row, v->target);
      return st;
    }
  }
  return INVDES_OK;
}

static invdes_status insert_row(invdes_store *s, sqlite3_stmt *prop, sqlite3_stmt *res,
                                const import_req *q, size_t i, int64_t batch, double now,
                                invdes_error *err) {
  const invdes_store_import_row *r = &q->rows[i];
  double when = isfinite(r->time) ? r->time : now;
  unsigned char zbuf[8 * 64];
  unsigned char *zb = r->dim <= 64 ? zbuf : sqlite3_malloc64(8 * r->dim);
  if (!zb) return invdes_error_set(err, INVDES_ERR_NOMEM, "%s: out of memory", s->path);
  store_z_encode(r->z, r->dim, zb);
  sqlite3_reset(prop);
  sqlite3_bind_int64(prop, 1, batch);
  store_bind_text(prop, 2, q->source);
  store_bind_text(prop, 3, r->parameters);
  sqlite3_bind_blob(prop, 4, zb, (int)(8 * r->dim), SQLITE_TRANSIENT);
  store_bind_text(prop, 5, q->who);
  sqlite3_bind_double(prop, 6, when);
  sqlite3_bind_double(prop, 7, now);
  invdes_status st = store_step_done(s, prop, err, "recording an imported experiment");
  if (zb != zbuf) sqlite3_free(zb);
  if (st != INVDES_OK) return st;
  int64_t id = (int64_t)sqlite3_last_insert_rowid(s->db);
  if (q->ids) q->ids[i] = id;
  for (size_t k = 0; k < r->n_history && st == INVDES_OK; k++)
    if (store_target_index(s, r->history[k].target) >= 0)
      st = store_add_version(s, id, &r->history[k], err);
  for (size_t k = 0; k < r->n_values && st == INVDES_OK; k++) {
    const invdes_store_value *v = &r->values[k];
    sqlite3_reset(res);
    sqlite3_bind_int64(res, 1, id);
    store_bind_text(res, 2, v->target);
    sqlite3_bind_double(res, 3, v->value);
    store_bind_real(res, 4, v->sd);
    store_bind_text(res, 5, q->source);
    sqlite3_bind_double(res, 6, when);
    st = store_step_done(s, res, err, "recording an imported result");
    if (st == INVDES_OK && q->migrated)
      st = store_add_version(s, id, &(invdes_store_version){.target = v->target,
                                                           .action = "migrated",
                                                           .value = v->value, .sd = v->sd,
                                                           .who = q->who, .time = now,
                                                           .reason = r->note}, err);
  }
  return st;
}

static invdes_status import_txn(invdes_store *s, void *data, invdes_error *err) {
  const import_req *q = data;
  invdes_status st = INVDES_OK;
  for (size_t i = 0; i < q->n && st == INVDES_OK; i++) st = check_row(s, &q->rows[i], i + 1, err);
  if (st != INVDES_OK) return st;
  sqlite3_stmt *mb = store_stmt_get(s, ST_MAX_BATCH, err);
  if (!mb) return INVDES_ERR_DB;
  if (sqlite3_step(mb) != SQLITE_ROW) {
    st = store_db_error(s, err, "reading the last batch");
    sqlite3_reset(mb);
    return st;
  }
  int64_t batch = sqlite3_column_int64(mb, 0) + 1;
  sqlite3_reset(mb);
  sqlite3_stmt *prop = NULL, *res = NULL;
  if (sqlite3_prepare_v2(s->db, "INSERT INTO proposals(batch, iteration, strategy, parameters,"
                         " z, status, station, offers, created, updated)"
                         " VALUES(?1, 0, ?2, ?3, ?4, 'done', ?5, 0, ?6, ?7)", -1, &prop,
                         NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(s->db, "INSERT INTO results(proposal, target, value, sd, source, time)"
                         " VALUES(?1, ?2, ?3, ?4, ?5, ?6)", -1, &res, NULL) != SQLITE_OK)
    st = store_db_error(s, err, "preparing an import");
  double now = store_now(s);
  for (size_t i = 0; i < q->n && st == INVDES_OK; i++) {
    st = insert_row(s, prop, res, q, i, batch, now, err);
    if (st != INVDES_OK)
      invdes_error_add(err, st, "%s: row %zu refused; nothing was recorded", s->path, i + 1);
  }
  sqlite3_finalize(prop);
  sqlite3_finalize(res);
  char msg[600];
  snprintf(msg, sizeof msg, "%zu experiments by %s (batch %" PRId64 ")", q->n,
           q->who ? q->who : "?", batch);
  if (st == INVDES_OK && q->n)
    st = invdes_store_event(s, q->migrated ? "migrated" : "imported", 0, msg, NULL, 0, err);
  return st;
}

invdes_status invdes_store_import(invdes_store *s, const invdes_store_import_row *rows, size_t n,
                                  const char *source, const char *who, int64_t *ids,
                                  invdes_error *err) {
  if (!source || (strcmp(source, "import") != 0 && strcmp(source, "migrated") != 0))
    return invdes_error_set(err, INVDES_ERR_USAGE, "%s: an import's source is 'import' or "
                            "'migrated', not '%s'", s->path, source ? source : "");
  import_req q = {.rows = rows, .n = n, .source = source, .who = who, .ids = ids,
                  .migrated = strcmp(source, "migrated") == 0};
  return invdes_store_transaction(s, import_txn, &q, err);
}
