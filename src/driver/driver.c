/* driver.c — opening a campaign's database, the in-memory mirror of it
 * (driver_sync), and recording outcomes (driver_record).
 *
 * Opening checks the campaign file against the database (a changed campaign
 * is refused with the store's summary; harmless changes are recorded) and
 * takes the space the campaign's loader built. The strategy is built by driver_sync, which follows
 * strategy.h's resume protocol. The mirror (pending set, budget counter, best
 * so far) lets the run loop go without reading the store back per cycle.
 * Proposing is in driver_propose.c, evaluating in driver_eval.c, the loop in
 * driver_run.c. Nothing here prints. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "driver_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "target.h"

static invdes_status nomem(invdes_error *err) {
  return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
}

char *invdes_driver_default_db(const char *campaign_path) {
  size_t n = strlen(campaign_path);
  const char *slash = strrchr(campaign_path, '/');
  const char *base = slash ? slash + 1 : campaign_path;
  const char *dot = strrchr(base, '.');
  if (dot && dot != base && (strcmp(dot, ".yaml") == 0 || strcmp(dot, ".yml") == 0))
    n = (size_t)(dot - campaign_path);
  char *p = malloc(n + 4);
  if (!p) return NULL;
  memcpy(p, campaign_path, n);
  memcpy(p + n, ".db", 4);
  return p;
}

/* ---- building ------------------------------------------------------------- */

static invdes_driver *build(invdes_campaign *c, invdes_store *store, char *db_path,
                            unsigned flags, invdes_error *err) {
  invdes_driver *d = calloc(1, sizeof *d);
  if (!d) {
    invdes_campaign_free(c);
    invdes_store_close(store);
    free(db_path);
    nomem(err);
    return NULL;
  }
  d->c = c;
  d->store = store;
  d->db_path = db_path;
  d->space = invdes_campaign_space(c); /* built once, by the loader */
  if (!d->space) {
    invdes_error_set(err, INVDES_ERR_USAGE, "%s: the campaign has no design space", c->path);
    goto fail;
  }
  d->work = invdes_space_work_new(d->space);
  d->dim = invdes_space_dim(d->space);
  d->n_vars = invdes_space_n_vars(d->space);
  d->n_targets = c->n_targets;
  if (invdes_store_n_targets(store) != d->n_targets ||
      invdes_store_n_variables(store) != d->n_vars) {
    invdes_error_set(err, INVDES_ERR_INVALID,
                     "%s: the database's targets or variables do not match its campaign",
                     db_path);
    goto fail;
  }
  d->target_names = calloc(d->n_targets + 1, sizeof *d->target_names);
  d->var_names = calloc(d->n_vars + 1, sizeof *d->var_names);
  d->best = malloc((d->n_targets + 1) * sizeof *d->best);
  if (!d->work || !d->target_names || !d->var_names || !d->best) {
    nomem(err);
    goto fail;
  }
  for (size_t t = 0; t < d->n_targets; t++) d->target_names[t] = invdes_store_target_name(store, t);
  for (size_t v = 0; v < d->n_vars; v++) d->var_names[v] = invdes_store_variable_name(store, v);
  if ((flags & INVDES_DRIVER_EVALUATE) && !invdes_campaign_objective_cannot_run(c) &&
      driver_eval_new(d, &d->ev, err) != INVDES_OK)
    goto fail;
  return d;
fail:
  invdes_driver_free(d);
  return NULL;
}

void invdes_driver_free(invdes_driver *d) {
  if (!d) return;
  driver_eval_free(d->ev);
  invdes_proposals_free(d->props);
  invdes_strategy_free(d->strat);
  invdes_space_work_free(d->work);
  invdes_store_close(d->store);
  invdes_campaign_free(d->c);
  free(d->db_path);
  free(d->target_names);
  free(d->var_names);
  free(d->pend_id);
  free(d->pend_z);
  free(d->best);
  driver_front_free(&d->front);
  free(d);
}

const invdes_campaign *invdes_driver_campaign(const invdes_driver *d) { return d->c; }
const invdes_space *invdes_driver_space(const invdes_driver *d) { return d->space; }
invdes_store *invdes_driver_store(invdes_driver *d) { return d->store; }
const char *invdes_driver_db_path(const invdes_driver *d) { return d->db_path; }

/* ---- where the campaign file lives ---------------------------------------- */

static int last_source(const invdes_store_event_row *row, void *data) {
  char **out = data;
  free(*out);
  *out = row->message ? strdup(row->message) : NULL;
  return 0;
}

/* The absolute path of the campaign file recorded last, or NULL (malloc'ed). */
static char *recorded_source(invdes_store *s) {
  char *p = NULL;
  if (invdes_store_events(s, 0, "campaign_source", last_source, &p, NULL) != INVDES_OK) {
    free(p);
    return NULL;
  }
  return p;
}

/* Records where the campaign file is (absolute), unless that is known. */
static invdes_status record_source(invdes_store *s, const char *campaign_path,
                                   invdes_error *err) {
  char *abs = realpath(campaign_path, NULL);
  if (!abs) return INVDES_OK; /* it was just read; a vanished file is no reason to fail */
  char *old = recorded_source(s);
  invdes_status st = INVDES_OK;
  if (!old || strcmp(old, abs) != 0)
    st = invdes_store_event(s, "campaign_source", 0, abs, NULL, 0, err);
  free(old);
  free(abs);
  return st;
}

static int file_has_data(const char *path) {
  struct stat sb;
  return stat(path, &sb) == 0 && sb.st_size > 0;
}

invdes_driver *invdes_driver_open(const char *campaign_path, const char *db_path,
                                  unsigned flags, int *created, invdes_error *notes,
                                  invdes_error *err) {
  if (created) *created = 0;
  invdes_campaign *c = invdes_campaign_load(campaign_path, err);
  if (!c) return NULL;
  char *dbp = db_path ? strdup(db_path) : invdes_driver_default_db(campaign_path);
  if (!dbp) {
    invdes_campaign_free(c);
    nomem(err);
    return NULL;
  }
  invdes_store *store = NULL;
  int made = 0;
  if (!file_has_data(dbp)) {
    if (!(flags & INVDES_DRIVER_CREATE)) {
      invdes_error_set(err, INVDES_ERR_IO, "%s: no campaign database here", dbp);
      goto fail;
    }
    store = invdes_store_create(dbp, c, err);
    if (!store) goto fail;
    made = 1;
  } else {
    invdes_error oerr;
    invdes_error_clear(&oerr);
    store = invdes_store_open(dbp, &oerr);
    /* A file left by a creation that was killed before it committed holds no
     * campaign yet: create accepts it (and refuses anything else). */
    if (!store && (flags & INVDES_DRIVER_CREATE) && (store = invdes_store_create(dbp, c, NULL))) {
      made = 1;
    } else if (!store) {
      if (err) *err = oerr;
      goto fail;
    }
  }
  if (created) *created = made;
  if (!made) {
    invdes_error changes;
    invdes_error_clear(&changes);
    if (invdes_store_update_campaign(store, c, &changes) != INVDES_OK) {
      if (changes.status == INVDES_ERR_DB || changes.status == INVDES_ERR_NOMEM ||
          changes.status == INVDES_ERR_IO)
        invdes_error_set(err, changes.status, "%s", changes.message);
      else
        invdes_error_set(err, INVDES_ERR_INVALID,
                         "%s: the campaign file %s changed since this database was made; "
                         "only the description, the budget and a command's timeout and "
                         "parallel may change (start a new database with --db):\n%s",
                         dbp, campaign_path, changes.message);
      goto fail;
    }
    if (notes && changes.count > 0) *notes = changes;
  }
  if (record_source(store, campaign_path, err) != INVDES_OK) goto fail;
  return build(c, store, dbp, flags, err);
fail:
  invdes_store_close(store);
  invdes_campaign_free(c);
  free(dbp);
  return NULL;
}

/* dir of path + "/" + base of file (malloc'ed). */
static char *beside(const char *path, const char *file) {
  const char *slash = strrchr(path, '/');
  const char *fslash = strrchr(file, '/');
  const char *base = fslash ? fslash + 1 : file;
  size_t dn = slash ? (size_t)(slash - path) + 1 : 0;
  char *p = malloc(dn + strlen(base) + 1);
  if (!p) return NULL;
  memcpy(p, path, dn);
  strcpy(p + dn, base);
  return p;
}

invdes_driver *invdes_driver_open_db(const char *db_path, unsigned flags, invdes_error *err) {
  invdes_store *store = invdes_store_open(db_path, err);
  if (!store) return NULL;
  const char *text = invdes_store_campaign_text(store);
  char *src = recorded_source(store);
  char *alt = beside(db_path, src ? src : "campaign.yaml");
  char *dbp = strdup(db_path);
  invdes_campaign *c = NULL;
  if (!alt || !dbp) {
    nomem(err);
  } else {
    invdes_error first;
    invdes_error_clear(&first);
    /* The recorded place first (relative paths as when it was made), then the
     * database's folder (a campaign moved together with its database). */
    if (src) c = invdes_campaign_parse(src, text, strlen(text), &first);
    if (!c) {
      invdes_error second;
      invdes_error_clear(&second);
      c = invdes_campaign_parse(alt, text, strlen(text), &second);
      if (!c) {
        invdes_error_set(err, src ? first.status : second.status,
                         "%s: the campaign stored in the database cannot be used here:\n%s",
                         db_path, src ? first.message : second.message);
      }
    }
  }
  free(src);
  free(alt);
  if (!c) {
    free(dbp);
    invdes_store_close(store);
    return NULL;
  }
  return build(c, store, dbp, flags, err);
}

/* ---- parameters as JSON, and back ------------------------------------------ */

static json_t *var_json(const invdes_driver *d, size_t v, double x) {
  const invdes_campaign *c = d->c;
  if (c->pool) return json_string(c->pool->ids[(size_t)x]);
  if (v < c->n_params) {
    const invdes_param *p = &c->params[v];
    if (p->type == INVDES_PARAM_CATEGORICAL) return json_string(p->labels[(size_t)x]);
    if (p->type == INVDES_PARAM_INTEGER) return json_integer((json_int_t)llround(x));
  }
  return json_real(x);
}

/* The JSON object text recorded for raw point x (malloc'ed), or NULL. */
char *driver_params_json(const invdes_driver *d, const double *x);
char *driver_params_json(const invdes_driver *d, const double *x) {
  json_t *o = json_object();
  if (!o) return NULL;
  for (size_t v = 0; v < d->n_vars; v++)
    if (json_object_set_new(o, d->var_names[v], var_json(d, v, x[v]))) {
      json_decref(o);
      return NULL;
    }
  char *t = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
  json_decref(o);
  return t;
}

invdes_status driver_params_to_x(invdes_driver *d, const char *text, double *x,
                                 invdes_error *err) {
  json_error_t jerr;
  json_t *o = json_loads(text, 0, &jerr);
  if (!o || !json_is_object(o)) {
    json_decref(o);
    return invdes_error_set(err, INVDES_ERR_INVALID, "%s: recorded parameters '%.200s' are "
                            "not a JSON object", d->db_path, text);
  }
  const invdes_campaign *c = d->c;
  invdes_status st = INVDES_OK;
  for (size_t v = 0; v < d->n_vars && st == INVDES_OK; v++) {
    json_t *j = json_object_get(o, d->var_names[v]);
    const char *label = json_is_string(j) ? json_string_value(j) : NULL;
    if (c->pool && label) {
      size_t r = 0;
      while (r < c->pool->n_rows && strcmp(c->pool->ids[r], label) != 0) r++;
      if (r < c->pool->n_rows) x[v] = (double)r;
      else st = INVDES_ERR_INVALID;
    } else if (!c->pool && v < c->n_params && c->params[v].type == INVDES_PARAM_CATEGORICAL &&
               label) {
      size_t k = 0;
      while (k < c->params[v].n_values && strcmp(c->params[v].labels[k], label) != 0) k++;
      if (k < c->params[v].n_values) x[v] = (double)k;
      else st = INVDES_ERR_INVALID;
    } else if (json_is_number(j) && !c->pool) {
      x[v] = json_number_value(j);
    } else {
      st = INVDES_ERR_INVALID;
    }
    if (st != INVDES_OK)
      invdes_error_set(err, st, "%s: recorded parameters '%.200s': bad or missing '%s'",
                       d->db_path, text, d->var_names[v]);
  }
  json_decref(o);
  return st;
}

/* ---- the mirror ------------------------------------------------------------ */

/* Folds one result into the best so far (target.h's one ranking, ties to
 * the older proposal), the first result passing stop_when and, for several
 * objectives, the Pareto front. */
static invdes_status note_result(invdes_driver *d, int64_t id, const double *y,
                                 invdes_error *err) {
  const invdes_target *tg = d->c->targets;
  invdes_rank r = invdes_rank_result(tg, d->n_targets, y, 0);
  if (r.ranked) {
    int c = d->best_id ? invdes_rank_compare(&r, &d->best_rank) : -1;
    if (c < 0 || (c == 0 && id < d->best_id)) {
      memcpy(d->best, y, d->n_targets * sizeof *y);
      d->best_id = id;
      d->best_rank = r;
    }
  }
  if (invdes_stop_when_met(tg, d->n_targets, d->c->budget.stop_levels, y) &&
      (d->satisfied_id == 0 || id < d->satisfied_id))
    d->satisfied_id = id;
  return driver_front_add(&d->front, tg, d->n_targets, y, err);
}

static invdes_status pend_add(invdes_driver *d, int64_t id, const double *z, invdes_error *err) {
  if (d->n_pend == d->cap_pend) {
    size_t cap = d->cap_pend ? 2 * d->cap_pend : 16;
    int64_t *ids = realloc(d->pend_id, cap * sizeof *ids);
    if (!ids) return nomem(err);
    d->pend_id = ids;
    double *zz = realloc(d->pend_z, cap * (d->dim ? d->dim : 1) * sizeof *zz);
    if (!zz) return nomem(err);
    d->pend_z = zz;
    d->cap_pend = cap;
  }
  d->pend_id[d->n_pend] = id;
  if (d->dim) memcpy(d->pend_z + d->n_pend * d->dim, z, d->dim * sizeof *z);
  d->n_pend++;
  return INVDES_OK;
}

/* Index of id in the pending set, or n_pend. */
static size_t pend_find(const invdes_driver *d, int64_t id) {
  size_t i = 0;
  while (i < d->n_pend && d->pend_id[i] != id) i++;
  return i;
}

/* Removes entry i keeping the order (the order of pending z given to ask). */
static void pend_remove(invdes_driver *d, size_t i) {
  size_t rest = d->n_pend - i - 1;
  memmove(d->pend_id + i, d->pend_id + i + 1, rest * sizeof *d->pend_id);
  if (d->dim)
    memmove(d->pend_z + i * d->dim, d->pend_z + (i + 1) * d->dim, rest * d->dim * sizeof(double));
  d->n_pend--;
}

invdes_status driver_pend_add(invdes_driver *d, int64_t id, const double *z, invdes_error *err);
invdes_status driver_pend_add(invdes_driver *d, int64_t id, const double *z, invdes_error *err) {
  return pend_add(d, id, z, err);
}

invdes_status driver_sync(invdes_driver *d, invdes_error *err) {
  d->synced = 0;
  invdes_store_rows *rows = NULL;
  invdes_status st = invdes_store_list(d->store, INVDES_PROPOSAL_ANY, 0, &rows, err);
  if (st != INVDES_OK) return st;
  invdes_strategy_free(d->strat);
  d->strat = invdes_strategy_new(d->space, &d->c->strategy, d->n_targets, d->c->seed, err);
  invdes_observation *obs = malloc((rows->n + 1) * sizeof *obs);
  if (!d->strat || !obs) {
    free(obs);
    invdes_store_rows_free(rows);
    return d->strat ? nomem(err) : (err && err->status ? err->status : INVDES_ERR_INVALID);
  }
  d->n_pend = 0;
  d->last_id = 0;
  d->next_batch = 1;
  d->n_evaluated = 0;
  d->satisfied_id = 0;
  d->best_id = 0;
  for (size_t t = 0; t < d->n_targets; t++) d->best[t] = NAN;
  driver_front_reset(&d->front, d->c->targets, d->n_targets);
  size_t n_obs = 0;
  for (size_t i = 0; i < rows->n && st == INVDES_OK; i++) {
    const invdes_store_proposal *p = &rows->items[i];
    if (p->dim != d->dim) {
      st = invdes_error_set(err, INVDES_ERR_INVALID, "%s: proposal %" PRId64 " has %zu "
                            "encoded values, the space %zu", d->db_path, p->id, p->dim, d->dim);
      break;
    }
    if (p->id > d->last_id) d->last_id = p->id;
    if (p->batch >= d->next_batch) d->next_batch = p->batch + 1;
    /* A partial proposal teaches the model what it has (NAN for the rest)
     * but is no result for the budget until it is complete or closed. */
    if (p->status == INVDES_PROPOSAL_DONE || p->status == INVDES_PROPOSAL_FAILED ||
        p->status == INVDES_PROPOSAL_PARTIAL) {
      obs[n_obs++] = (invdes_observation){.id = p->id, .z = p->z, .x = NULL, .y = p->value,
                                          .failed = p->status == INVDES_PROPOSAL_FAILED};
      d->n_evaluated += p->status != INVDES_PROPOSAL_PARTIAL;
      if (p->status != INVDES_PROPOSAL_FAILED) st = note_result(d, p->id, p->value, err);
    } else {
      st = pend_add(d, p->id, p->z, err);
    }
  }
  if (st == INVDES_OK && n_obs) st = invdes_strategy_tell(d->strat, obs, n_obs, err);
  free(obs);
  invdes_store_rows_free(rows);
  if (st != INVDES_OK) return st;
  void *blob = NULL;
  size_t len = 0;
  int found = 0;
  st = invdes_store_state_get(d->store, invdes_strategy_name(d->strat), INT64_MAX, &blob, &len,
                              NULL, &found, err);
  if (st == INVDES_OK && found) st = invdes_strategy_load_state(d->strat, blob, len, err);
  free(blob);
  if (st == INVDES_OK) d->synced = 1;
  return st;
}

/* ---- recording outcomes ------------------------------------------------------ */

typedef struct record_ctx {
  invdes_driver *d;
  const driver_outcome *o;
  size_t n;
  const char *source;
} record_ctx;

static invdes_status record_txn(invdes_store *s, void *data, invdes_error *err) {
  record_ctx *r = data;
  invdes_driver *d = r->d;
  size_t nv = d->n_targets;
  invdes_store_tell_req *req = calloc(r->n + 1, sizeof *req);
  invdes_store_value *vals = malloc((r->n * nv + 1) * sizeof *vals);
  if (!req || !vals) {
    free(req);
    free(vals);
    return nomem(err);
  }
  invdes_status st = INVDES_OK;
  for (size_t i = 0; i < r->n; i++) {
    const driver_outcome *o = &r->o[i];
    invdes_store_value *v = vals + i * nv;
    size_t k = 0;
    if (!o->failed && o->y)
      for (size_t t = 0; t < nv; t++)
        if (isfinite(o->y[t]))
          v[k++] = (invdes_store_value){.target = d->target_names[t], .value = o->y[t],
                                        .sd = NAN};
    req[i].id = o->id;
    req[i].source = r->source;
    /* The run loop holds its proposals as station "run"; an evaluation is
     * over when it returns, so what it gave closes the proposal. */
    req[i].station = INVDES_DRIVER_RUN_STATION;
    req[i].close = 1;
    if (k > 0) {
      req[i].kind = INVDES_TELL_RESULT;
      req[i].values = v;
      req[i].n_values = k;
    } else {
      req[i].kind = INVDES_TELL_FAILED;
      req[i].reason = o->failed && o->reason && *o->reason ? o->reason : "no target value";
    }
  }
  st = invdes_store_tell_many(s, req, r->n, err);
  for (size_t i = 0; i < r->n && st == INVDES_OK; i++)
    if (req[i].kind == INVDES_TELL_FAILED)
      st = invdes_store_event(s, "evaluator_error", req[i].id, req[i].reason,
                              r->o[i].stderr_text, r->o[i].stderr_len, err);
  free(req);
  free(vals);
  return st;
}

invdes_status driver_record(invdes_driver *d, const driver_outcome *o, size_t n,
                            const char *source, invdes_error *err) {
  if (n == 0) return INVDES_OK;
  record_ctx r = {d, o, n, source};
  invdes_status st = invdes_store_transaction(d->store, record_txn, &r, err);
  if (st != INVDES_OK) return st;
  if (!d->synced || !d->strat) return INVDES_OK;
  invdes_observation *obs = malloc(n * sizeof *obs);
  if (!obs) {
    d->synced = 0;
    return nomem(err);
  }
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    size_t k = pend_find(d, o[i].id);
    if (k == d->n_pend) {
      d->synced = 0; /* not one of ours: the mirror no longer knows the store */
      continue;
    }
    int any = 0;
    for (size_t t = 0; o[i].y && !o[i].failed && t < d->n_targets; t++) any |= isfinite(o[i].y[t]);
    obs[m] = (invdes_observation){.id = o[i].id, .z = NULL, .x = NULL,
                                  .y = any ? o[i].y : NULL, .failed = !any};
    double *z = malloc((d->dim + 1) * sizeof *z);
    if (!z) {
      d->synced = 0;
      break;
    }
    if (d->dim) memcpy(z, d->pend_z + k * d->dim, d->dim * sizeof *z);
    obs[m++].z = z;
    pend_remove(d, k);
    d->n_evaluated++;
    if (any && note_result(d, o[i].id, o[i].y, err) != INVDES_OK) d->synced = 0;
  }
  if (m && invdes_strategy_tell(d->strat, obs, m, err) != INVDES_OK) d->synced = 0;
  for (size_t i = 0; i < m; i++) free((void *)obs[i].z);
  free(obs);
  return INVDES_OK;
}
