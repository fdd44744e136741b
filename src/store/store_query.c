/* store_query.c — reading the record: proposals with their results and
 * predictions (the history strategies rebuild from, the rows of an export),
 * counts by status, and the best result so far by the one ranking.
 *
 * Every read runs in one read transaction, so it sees one consistent state
 * even while other processes write. Nothing here writes or formats output. */
#include "store_internal.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "target.h"

static void item_free(invdes_store_proposal *p) {
  free((char *)p->strategy);
  free((char *)p->parameters);
  free((char *)p->station);
  free((char *)p->reason);
  free((double *)p->pred_mean); /* one block: pred_mean, pred_sd, value, sd, z */
}

void invdes_store_rows_free(invdes_store_rows *l) {
  if (!l) return;
  for (size_t i = 0; i < l->n; i++) item_free(&l->items[i]);
  free(l->items);
  free(l);
}

static invdes_proposal_status parse_status(const char *t) {
  if (!t) return INVDES_PROPOSAL_PENDING;
  if (strcmp(t, "done") == 0) return INVDES_PROPOSAL_DONE;
  if (strcmp(t, "failed") == 0) return INVDES_PROPOSAL_FAILED;
  if (strcmp(t, "abandoned") == 0) return INVDES_PROPOSAL_ABANDONED;
  if (strcmp(t, "partial") == 0) return INVDES_PROPOSAL_PARTIAL;
  return INVDES_PROPOSAL_PENDING;
}

/* Fills p from a row of ST_LIST_PROPOSALS / ST_GET_PROPOSAL. 0: out of memory. */
static int item_read(const invdes_store *s, sqlite3_stmt *st, invdes_store_proposal *p) {
  memset(p, 0, sizeof *p);
  int ok = 1;
  size_t nt = s->n_targets;
  int zbytes = sqlite3_column_bytes(st, 5);
  size_t dim = zbytes > 0 ? (size_t)zbytes / 8 : 0;
  double *block = malloc((4 * nt + dim + 1) * sizeof *block);
  if (!block) return 0;
  for (size_t i = 0; i < 4 * nt; i++) block[i] = NAN;
  const void *zb = sqlite3_column_blob(st, 5);
  if (dim) store_z_decode(zb, dim, block + 4 * nt);
  p->pred_mean = block;
  p->pred_sd = block + nt;
  p->value = block + 2 * nt;
  p->sd = block + 3 * nt;
  p->z = block + 4 * nt;
  p->dim = dim;
  p->id = sqlite3_column_int64(st, 0);
  p->batch = sqlite3_column_int64(st, 1);
  p->iteration = sqlite3_column_int64(st, 2);
  p->strategy = store_column_strdup(st, 3, &ok);
  p->parameters = store_column_strdup(st, 4, &ok);
  p->status = parse_status((const char *)sqlite3_column_text(st, 6));
  p->station = store_column_strdup(st, 7, &ok);
  p->lease_expires = store_column_real(st, 8);
  p->offers = sqlite3_column_int(st, 9);
  p->reason = store_column_strdup(st, 10, &ok);
  p->acquisition = store_column_real(st, 11);
  p->created = sqlite3_column_double(st, 12);
  p->updated = sqlite3_column_double(st, 13);
  if (!ok || !p->strategy || !p->parameters) {
    item_free(p);
    return 0;
  }
  return 1;
}

static invdes_store_proposal *find_item(invdes_store_rows *l, int64_t id) {
  size_t lo = 0, hi = l->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (l->items[mid].id < id) lo = mid + 1;
    else hi = mid;
  }
  return lo < l->n && l->items[lo].id == id ? &l->items[lo] : NULL;
}

/* Walks rows (proposal, target position, a, b) of results or predictions
 * into the items; `pred` chooses pred_mean/pred_sd over value/sd. */
static invdes_status attach(invdes_store *s, sqlite3_stmt *st, invdes_store_rows *l, int pred,
                            invdes_error *err) {
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    invdes_store_proposal *p = find_item(l, sqlite3_column_int64(st, 0));
    sqlite3_int64 t = sqlite3_column_int64(st, 1);
    if (!p || t < 0 || (size_t)t >= s->n_targets) continue;
    double *a = (double *)(pred ? p->pred_mean : p->value);
    double *b = (double *)(pred ? p->pred_sd : p->sd);
    a[t] = sqlite3_column_double(st, 2);
    b[t] = store_column_real(st, 3);
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? INVDES_OK : store_db_error(s, err, "reading results");
}

static invdes_store_rows *list_new(invdes_store *s, invdes_error *err) {
  invdes_store_rows *l = calloc(1, sizeof *l);
  if (!l) {
    invdes_error_set(err, INVDES_ERR_NOMEM, "%s: out of memory", s->path);
    return NULL;
  }
  l->n_targets = s->n_targets;
  l->target_names = s->target_names;
  return l;
}

static invdes_status list_push(invdes_store *s, invdes_store_rows *l, size_t *cap,
                               sqlite3_stmt *st, invdes_error *err) {
  if (l->n == *cap) {
    size_t c = *cap ? 2 * *cap : 64;
    invdes_store_proposal *items = realloc(l->items, c * sizeof *items);
    if (!items) return invdes_error_set(err, INVDES_ERR_NOMEM, "%s: out of memory", s->path);
    l->items = items;
    *cap = c;
  }
  if (!item_read(s, st, &l->items[l->n]))
    return invdes_error_set(err, INVDES_ERR_NOMEM, "%s: out of memory", s->path);
  l->n++;
  return INVDES_OK;
}

static invdes_status list_in_txn(invdes_store *s, unsigned mask, int64_t after_id,
                                 invdes_store_rows *l, invdes_error *err) {
  sqlite3_stmt *st = store_stmt_get(s, ST_LIST_PROPOSALS, err);
  if (!st) return INVDES_ERR_DB;
  sqlite3_bind_int64(st, 1, after_id);
  sqlite3_bind_int(st, 2, (int)mask);
  size_t cap = 0;
  int rc = SQLITE_DONE;
  invdes_status status = INVDES_OK;
  while (status == INVDES_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
    status = list_push(s, l, &cap, st, err);
  if (status == INVDES_OK && rc != SQLITE_DONE)
    status = store_db_error(s, err, "reading proposals");
  sqlite3_reset(st);
  if (status != INVDES_OK || l->n == 0) return status;
  static const store_stmt parts[2] = {ST_LIST_RESULTS, ST_LIST_PREDICTIONS};
  for (int k = 0; status == INVDES_OK && k < 2; k++) {
    st = store_stmt_get(s, parts[k], err);
    if (!st) return INVDES_ERR_DB;
    sqlite3_bind_int64(st, 1, after_id);
    status = attach(s, st, l, k == 1, err);
  }
  return status;
}

invdes_status invdes_store_list(invdes_store *s, unsigned status_mask, int64_t after_id,
                                invdes_store_rows **out, invdes_error *err) {
  *out = NULL;
  invdes_store_rows *l = list_new(s, err);
  if (!l) return INVDES_ERR_NOMEM;
  invdes_status status = store_txn_begin(s, 0, err);
  if (status == INVDES_OK)
    status = store_txn_end(s, list_in_txn(s, status_mask, after_id, l, err), err);
  if (status != INVDES_OK) {
    invdes_store_rows_free(l);
    return status;
  }
  *out = l;
  return INVDES_OK;
}

static invdes_status get_in_txn(invdes_store *s, const int64_t *ids, size_t n,
                                invdes_store_rows *l, invdes_error *err) {
  size_t cap = 0;
  for (size_t i = 0; i < n; i++) {
    sqlite3_stmt *st = store_stmt_get(s, ST_GET_PROPOSAL, err);
    if (!st) return INVDES_ERR_DB;
    sqlite3_bind_int64(st, 1, ids[i]);
    int rc = sqlite3_step(st);
    invdes_status status =
        rc == SQLITE_ROW    ? list_push(s, l, &cap, st, err)
        : rc == SQLITE_DONE ? invdes_error_set(err, INVDES_ERR_INVALID,
                                               "%s: no proposal %" PRId64, s->path, ids[i])
                            : store_db_error(s, err, "reading a proposal");
    sqlite3_reset(st);
    if (status != INVDES_OK) return status;
    /* attach() looks items up by binary search: give it a one-item view. */
    invdes_store_rows one = {1, &l->items[l->n - 1], l->n_targets, l->target_names};
    static const store_stmt parts[2] = {ST_GET_RESULTS, ST_GET_PREDICTIONS};
    for (int k = 0; k < 2; k++) {
      st = store_stmt_get(s, parts[k], err);
      if (!st) return INVDES_ERR_DB;
      sqlite3_bind_int64(st, 1, ids[i]);
      status = attach(s, st, &one, k == 1, err);
      if (status != INVDES_OK) return status;
    }
  }
  return INVDES_OK;
}

invdes_status invdes_store_get(invdes_store *s, const int64_t *ids, size_t n,
                               invdes_store_rows **out, invdes_error *err) {
  *out = NULL;
  invdes_store_rows *l = list_new(s, err);
  if (!l) return INVDES_ERR_NOMEM;
  invdes_status status = store_txn_begin(s, 0, err);
  if (status == INVDES_OK) status = store_txn_end(s, get_in_txn(s, ids, n, l, err), err);
  if (status != INVDES_OK) {
    invdes_store_rows_free(l);
    return status;
  }
  *out = l;
  return INVDES_OK;
}

/* ---- counts and best ---------------------------------------------------- */

invdes_status store_counts_in_txn(invdes_store *s, invdes_store_counts *c, invdes_error *err) {
  sqlite3_stmt *st = store_stmt_get(s, ST_COUNT_STATUS, err);
  if (!st) return INVDES_ERR_DB;
  sqlite3_bind_double(st, 1, store_now(s));
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    int64_t n = sqlite3_column_int64(st, 1);
    c->proposals += n;
    switch (parse_status((const char *)sqlite3_column_text(st, 0))) {
    case INVDES_PROPOSAL_PENDING:
      c->pending = n;
      c->pending_expired = sqlite3_column_int64(st, 2);
      break;
    case INVDES_PROPOSAL_DONE: c->done = n; break;
    case INVDES_PROPOSAL_FAILED: c->failed = n; break;
    case INVDES_PROPOSAL_ABANDONED: c->abandoned = n; break;
    case INVDES_PROPOSAL_PARTIAL: c->partial = n; break;
    }
  }
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) return store_db_error(s, err, "counting proposals");
  st = store_stmt_get(s, ST_COUNT_RESULTS, err);
  if (!st) return INVDES_ERR_DB;
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    c->results = sqlite3_column_int64(st, 0);
    c->batches = sqlite3_column_int64(st, 1);
  }
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? INVDES_OK : store_db_error(s, err, "counting results");
}

invdes_status invdes_store_counts_get(invdes_store *s, invdes_store_counts *out,
                                      invdes_error *err) {
  memset(out, 0, sizeof *out);
  invdes_status status = store_txn_begin(s, 0, err);
  if (status != INVDES_OK) return status;
  return store_txn_end(s, store_counts_in_txn(s, out, err), err);
}

invdes_status invdes_store_n_evaluated(invdes_store *s, int64_t *n, invdes_error *err) {
  sqlite3_stmt *st = store_stmt_get(s, ST_N_EVALUATED, err);
  if (!st) return INVDES_ERR_DB;
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *n = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? INVDES_OK : store_db_error(s, err, "counting evaluations");
}

/* Folds the values y of proposal id into the best so far (ties: the older
 * id, which comes first since rows arrive by proposal). */
static void rank_one(const invdes_store *s, int64_t id, const double *y, invdes_store_best *b) {
  invdes_rank r = invdes_rank_result(s->targets, s->n_targets, y, 0);
  if (!r.ranked) return;
  b->n_ranked++;
  b->n_meeting += r.meets;
  if (!b->proposal || invdes_rank_compare(&r, &b->rank) < 0) {
    b->proposal = id;
    b->rank = r;
  }
}

/* One pass over the results by proposal: each proposal's values gathered
 * into y, then ranked (target.h's invdes_rank_*, the one ranking). */
static invdes_status best_in_txn(invdes_store *s, double *y, invdes_store_best *b,
                                 invdes_error *err) {
  sqlite3_stmt *st = store_stmt_get(s, ST_RANK_VALUES, err);
  if (!st) return INVDES_ERR_DB;
  int64_t id = 0;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    int64_t p = sqlite3_column_int64(st, 0);
    sqlite3_int64 t = sqlite3_column_int64(st, 1);
    if (p != id) {
      if (id) rank_one(s, id, y, b);
      for (size_t k = 0; k < s->n_targets; k++) y[k] = NAN;
      id = p;
    }
    if (t >= 0 && (size_t)t < s->n_targets) y[t] = sqlite3_column_double(st, 2);
  }
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) return store_db_error(s, err, "ranking the results");
  if (id) rank_one(s, id, y, b);
  return INVDES_OK;
}

invdes_status invdes_store_best_result(invdes_store *s, invdes_store_best *out,
                                       invdes_error *err) {
  memset(out, 0, sizeof *out);
  double *y = malloc((s->n_targets + 1) * sizeof *y);
  if (!y) return invdes_error_set(err, INVDES_ERR_NOMEM, "%s: out of memory", s->path);
  invdes_status status = store_txn_begin(s, 0, err);
  if (status == INVDES_OK) status = store_txn_end(s, best_in_txn(s, y, out, err), err);
  free(y);
  return status;
}
