/* driver_migrate.c — a grown campaign (a new label, wider bounds, a target
 * more) starts from the results of the old one: `invdes init NEW.yaml --db
 * NEW.db --from OLD.db`.
 *
 * Every result of the old database whose point lies inside the new space is
 * recorded in the new one as an experiment of its own (source "migrated"),
 * with its old versions (values, times, who) kept in the audit trail; what is
 * not carried is counted by reason, so the user learns e.g. "3: 'temperature'
 * is outside its bounds". All or nothing: one transaction in the new file. */
#include "driver_internal.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

static void add_reason(invdes_migration *m, const char *why) {
  size_t i = 0;
  while (i < m->n_reasons && strcmp(m->reason[i], why) != 0) i++;
  if (i == m->n_reasons) {
    if (i == INVDES_MIGRATION_REASONS) {
      i--; /* the last bucket takes every further reason */
      snprintf(m->reason[i], sizeof m->reason[i], "other reasons");
    } else {
      snprintf(m->reason[i], sizeof m->reason[i], "%s", why);
      m->count[i] = 0;
      m->n_reasons++;
    }
  }
  m->count[i]++;
}

/* Every version of the old database, with its strings copied. */
typedef struct versions {
  invdes_store_version *v;
  size_t n, cap;
  int nomem;
} versions;

static char *dup(const char *s) { return s ? strdup(s) : NULL; }

static int collect(const invdes_store_version *v, void *data) {
  versions *h = data;
  if (h->n == h->cap) {
    size_t cap = h->cap ? 2 * h->cap : 64;
    invdes_store_version *a = realloc(h->v, cap * sizeof *a);
    if (!a) return h->nomem = 1;
    h->v = a;
    h->cap = cap;
  }
  invdes_store_version *c = &h->v[h->n++];
  *c = *v;
  c->target = dup(v->target);
  c->action = dup(v->action);
  c->who = dup(v->who);
  c->reason = dup(v->reason);
  if (!c->target || !c->action) h->nomem = 1;
  return h->nomem;
}

static void versions_free(versions *h) {
  for (size_t i = 0; i < h->n; i++) {
    free((char *)h->v[i].target);
    free((char *)h->v[i].action);
    free((char *)h->v[i].who);
    free((char *)h->v[i].reason);
  }
  free(h->v);
}

/* The old parameters as (name, text) pairs; numbers written exactly. */
static int split_params(const char *text, json_t **obj, const char **names, char **texts,
                        size_t max, size_t *n) {
  *n = 0;
  *obj = json_loads(text, 0, NULL);
  if (!json_is_object(*obj)) return -1;
  const char *key;
  json_t *v;
  json_object_foreach(*obj, key, v) {
    if (*n == max) return -1;
    char buf[64];
    if (json_is_string(v)) texts[*n] = strdup(json_string_value(v));
    else if (json_is_number(v) && snprintf(buf, sizeof buf, "%.17g", json_number_value(v)) > 0)
      texts[*n] = strdup(buf);
    else return -1;
    names[(*n)++] = key;
    if (!texts[*n - 1]) return -1;
  }
  return 0;
}

/* One old proposal to a row of the new database, or a reason it is not one.
 * vals has room for the new targets; *carry 0 when not carried. */
static invdes_status carry_one(invdes_driver *d, const invdes_store_rows *old,
                               const invdes_store_proposal *p, invdes_store_import_row *row,
                               invdes_store_value *vals, double *z, char *why, size_t why_len,
                               invdes_error *err) {
  row->n_values = 0;
  if (p->status == INVDES_PROPOSAL_PARTIAL) {
    snprintf(why, why_len, "partial (targets still to come); close it (tell ID --close) to carry it");
    return INVDES_OK;
  }
  if (p->status != INVDES_PROPOSAL_DONE) {
    snprintf(why, why_len, "%s, no result", invdes_proposal_status_name(p->status));
    return INVDES_OK;
  }
  size_t nt = invdes_store_n_targets(d->store), any_old = 0;
  for (size_t t = 0; t < old->n_targets; t++) any_old += isfinite(p->value[t]);
  for (size_t t = 0; t < nt && !why[0]; t++) {
    const invdes_target *tg = invdes_store_target(d->store, t);
    for (size_t o = 0; o < old->n_targets; o++) {
      double v = p->value[o];
      if (strcmp(old->target_names[o], tg->name) != 0 || !isfinite(v)) continue;
      if (tg->range_lo < tg->range_hi && (v < tg->range_lo || v > tg->range_hi))
        snprintf(why, why_len, "'%s' is outside its range", tg->name);
      vals[row->n_values++] = (invdes_store_value){.target = tg->name, .value = v,
                                                   .sd = p->sd[o]};
    }
  }
  if (!why[0] && !any_old) snprintf(why, why_len, "retracted, no current value");
  else if (!why[0] && !row->n_values) snprintf(why, why_len, "no value for a target of the new campaign");
  if (why[0]) return INVDES_OK;
  enum { MAXV = 256 };
  const char *names[MAXV];
  char *texts[MAXV] = {0};
  json_t *obj = NULL;
  size_t n = 0;
  invdes_status st = INVDES_OK;
  if (split_params(p->parameters, &obj, names, texts, MAXV, &n)) {
    snprintf(why, why_len, "parameters that cannot be read");
  } else {
    invdes_error e;
    invdes_error_clear(&e);
    char *params = NULL;
    st = invdes_driver_point(d, names, (const char *const *)texts, n, &params, z, why, why_len,
                             &e);
    if (st == INVDES_ERR_NOMEM) invdes_error_set(err, st, "%s", e.message);
    else if (st != INVDES_OK && !why[0]) snprintf(why, why_len, "outside the new space");
    if (st != INVDES_ERR_NOMEM) st = INVDES_OK;
    row->parameters = params;
  }
  for (size_t i = 0; i < n; i++) free(texts[i]);
  json_decref(obj);
  return st;
}

static invdes_status migrate(invdes_driver *d, invdes_store *old, const char *old_path,
                             const char *who, invdes_migration *m, invdes_error *err) {
  invdes_store_rows *rows = NULL;
  versions h = {0};
  invdes_status st = invdes_store_list(old, INVDES_PROPOSAL_ANY, 0, &rows, err);
  if (st == INVDES_OK) st = invdes_store_history(old, 0, collect, &h, err);
  if (st == INVDES_OK && h.nomem) st = invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  size_t nt = invdes_store_n_targets(d->store), n = 0, hv = 0, dim = d->dim ? d->dim : 1;
  invdes_store_import_row *out = rows ? calloc(rows->n + 1, sizeof *out) : NULL;
  invdes_store_value *vals = rows ? calloc((rows->n + 1) * nt, sizeof *vals) : NULL;
  double *zs = rows ? calloc((rows->n + 1) * dim, sizeof *zs) : NULL;
  char (*notes)[300] = rows ? calloc(rows->n + 1, sizeof *notes) : NULL;
  if (st == INVDES_OK && (!out || !vals || !zs || !notes))
    st = invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  for (size_t i = 0; st == INVDES_OK && i < rows->n; i++) {
    const invdes_store_proposal *p = &rows->items[i];
    invdes_store_import_row *r = &out[n];
    char why[160] = "";
    *r = (invdes_store_import_row){.values = vals + n * nt, .z = zs + n * dim, .dim = d->dim};
    st = carry_one(d, rows, p, r, vals + n * nt, zs + n * dim, why, sizeof why, err);
    while (hv < h.n && h.v[hv].proposal < p->id) hv++;
    size_t h0 = hv;
    while (hv < h.n && h.v[hv].proposal == p->id) hv++;
    if (st != INVDES_OK) break;
    if (why[0]) {
      free((char *)r->parameters);
      add_reason(m, why);
      continue;
    }
    r->history = h.v + h0;
    r->n_history = hv - h0;
    r->time = p->updated;
    for (size_t k = h0; k < hv; k++) r->time = h.v[k].time; /* the latest version's */
    snprintf(notes[n], sizeof notes[n], "from %s, proposal %" PRId64, old_path, p->id);
    r->note = notes[n];
    n++;
  }
  m->proposals = rows ? rows->n : 0;
  if (st == INVDES_OK && n) st = invdes_store_import(d->store, out, n, "migrated", who, NULL, err);
  if (st == INVDES_OK) m->carried = n;
  for (size_t i = 0; out && i < n; i++) free((char *)out[i].parameters);
  free(out);
  free(vals);
  free(zs);
  free(notes);
  versions_free(&h);
  invdes_store_rows_free(rows);
  d->synced = 0;
  return st;
}

invdes_status invdes_driver_migrate(invdes_driver *d, const char *old_path, const char *who,
                                    invdes_migration *out, invdes_error *err) {
  memset(out, 0, sizeof *out);
  invdes_store *old = invdes_store_open(old_path, err);
  if (!old) return err && err->status ? err->status : INVDES_ERR_DB;
  invdes_status st = migrate(d, old, old_path, who, out, err);
  invdes_store_close(old);
  return st;
}
