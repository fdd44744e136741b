/* driver_propose.c — one ask in one store transaction, shared by `invdes ask`
 * and the run loop.
 *
 * invdes_store_ask claims the station's own pending proposals, then expired
 * or abandoned ones, and calls propose_txn for the rest; propose_txn brings
 * the mirror up to date inside the transaction (a full sync the first time or
 * when another process inserted proposals meanwhile), asks the strategy at
 * iteration = the next batch number with every proposal without an outcome
 * as pending, inserts the proposals with the model's predictions, and saves
 * the strategy's state under the same iteration. Any failure rolls the whole
 * ask back and marks the mirror stale (rebuilt by the next call). */
#include "driver_internal.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

char *driver_params_json(const invdes_driver *d, const double *x);
invdes_status driver_pend_add(invdes_driver *d, int64_t id, const double *z, invdes_error *err);

/* Returned (inside the transaction) when the store's numbering shows another
 * process inserted proposals after our last sync: the ask is rolled back,
 * the mirror rebuilt and the ask repeated. */
#define FOREIGN_MESSAGE "another process recorded proposals meanwhile"

static invdes_status ensure_props(invdes_driver *d, size_t n, invdes_error *err) {
  if (d->props && d->props->cap >= n) return INVDES_OK;
  invdes_proposals_free(d->props);
  d->props = invdes_proposals_new(d->strat, n < 16 ? 16 : n);
  if (!d->props) return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  return INVDES_OK;
}

static invdes_status propose_txn(invdes_store *s, size_t m, const char *station, double lease,
                                 void *data, invdes_error *err) {
  invdes_driver *d = data;
  /* Only a claim stops the run loop from making new proposals: m may also be
   * below pfull because proposals out with stations hold part of the budget. */
  if ((d->pflags & INVDES_PROPOSE_CLAIM_FIRST) && invdes_store_ask_claimed(s) > 0)
    return INVDES_OK;
  invdes_status st = INVDES_OK;
  if (!d->synced) {
    st = driver_sync(d, err);
    if (st != INVDES_OK) return st;
    d->synced_in_call = 1;
  }
  size_t left = invdes_strategy_remaining(d->strat, d->pend_z, d->n_pend);
  if (left < m) m = left;
  if (m == 0) return INVDES_OK;
  st = ensure_props(d, m, err);
  if (st != INVDES_OK) return st;
  invdes_proposals *p = d->props;
  st = invdes_strategy_ask(d->strat, (uint64_t)d->next_batch, m, d->pend_z, d->n_pend, p, err);
  if (st != INVDES_OK) return st;
  d->synced = 0; /* the strategy moved on; valid again once everything is recorded */
  invdes_store_new_proposal *np = calloc(p->n, sizeof *np);
  char **texts = calloc(p->n, sizeof *texts);
  int64_t *ids = malloc(p->n * sizeof *ids);
  if (!np || !texts || !ids) st = invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  int model = 0;
  for (size_t i = 0; st == INVDES_OK && i < p->n; i++) {
    texts[i] = driver_params_json(d, p->x + i * p->n_vars);
    if (!texts[i]) {
      st = invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
      break;
    }
    for (size_t t = 0; t < p->n_targets; t++) model |= isfinite(p->pred_mean[i * p->n_targets + t]);
    np[i] = (invdes_store_new_proposal){.parameters = texts[i], .z = p->z + i * p->dim,
                                        .dim = p->dim, .acquisition = p->acquisition[i]};
  }
  for (size_t i = 0; model && st == INVDES_OK && i < p->n; i++) {
    np[i].pred_mean = p->pred_mean + i * p->n_targets;
    np[i].pred_sd = p->pred_sd + i * p->n_targets;
  }
  int64_t batch = 0;
  if (st == INVDES_OK)
    st = invdes_store_insert(s, d->next_batch, invdes_strategy_name(d->strat), np, p->n,
                             station, lease, ids, &batch, err);
  if (st == INVDES_OK && !d->synced_in_call &&
      (ids[0] != d->last_id + 1 || batch != d->next_batch)) {
    d->foreign = 1;
    st = invdes_error_set(err, INVDES_ERR_DB, "%s: %s", d->db_path, FOREIGN_MESSAGE);
  }
  if (st == INVDES_OK) {
    void *blob = NULL;
    size_t len = 0;
    st = invdes_strategy_save_state(d->strat, &blob, &len, err);
    if (st == INVDES_OK && blob)
      st = invdes_store_state_put(s, invdes_strategy_name(d->strat), d->next_batch, blob, len,
                                  err);
    free(blob);
  }
  for (size_t i = 0; st == INVDES_OK && i < p->n; i++)
    st = driver_pend_add(d, ids[i], p->z + i * p->dim, err);
  if (st == INVDES_OK) {
    d->last_id = ids[p->n - 1];
    d->next_batch = batch + 1;
    d->synced = 1;
  }
  for (size_t i = 0; texts && i < p->n; i++) free(texts[i]);
  free(texts);
  free(np);
  free(ids);
  return st;
}

invdes_status invdes_driver_propose(invdes_driver *d, size_t n, const char *station,
                                    double lease_s, unsigned flags, invdes_store_rows **out,
                                    invdes_error *err) {
  *out = NULL;
  invdes_status st = INVDES_OK;
  for (int attempt = 0; attempt < 2; attempt++) {
    d->pfull = n;
    d->pflags = flags;
    if (flags & INVDES_PROPOSE_SYNC) d->synced = 0; /* rebuilt inside the ask's transaction */
    d->synced_in_call = 0;
    d->foreign = 0;
    invdes_error e;
    invdes_error_clear(&e);
    int64_t budget = flags & INVDES_PROPOSE_OVER_BUDGET ? 0 : d->c->budget.evaluations;
    st = invdes_store_ask_budget(d->store, station, lease_s, n, budget, propose_txn, d, out, &e);
    if (st == INVDES_OK) return INVDES_OK;
    d->synced = 0; /* rolled back: the mirror may hold what never happened */
    if (!d->foreign) {
      if (err) *err = e;
      return st;
    }
  }
  return invdes_error_set(err, st, "%s: %s (twice)", d->db_path, FOREIGN_MESSAGE);
}

size_t invdes_driver_remaining(invdes_driver *d, invdes_error *err) {
  if (!d->synced && driver_sync(d, err) != INVDES_OK) return 0;
  return invdes_strategy_remaining(d->strat, d->pend_z, d->n_pend);
}
