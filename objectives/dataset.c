/* dataset.c — the objective kind `dataset` (objective.h): measured values
 * looked up in a table, or emulated from one.
 *
 *  - With a pool, a candidate's targets are the cells of its row in the
 *    pool's own table (a retrospective campaign); `file` may only name that
 *    table and `model` does not apply. The pool reader checks the target
 *    columns (INVDES_OBJECTIVE_POOL_TARGETS); a cell that is not a number
 *    fails that candidate with a reason.
 *  - Over a parameter space, `file` is a CSV table (resolved against the
 *    campaign's folder) with a column per variable and per target; a run fits
 *    one surrogate per target (`model`, any registered surrogate by name, default rf)
 *    on the table's rows that lie in the space, encoded, and a proposal's
 *    value is the predicted mean.
 * Both are in-process and deterministic (the surrogate is seeded with the
 * campaign's seed), so a resumed run evaluates exactly as an uninterrupted
 * one. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign_pool.h"
#include "objective.h"
#include "surrogate.h"
#include "table.h"

typedef struct dataset_spec {
  char *file;   /* the table, resolved against the campaign's folder (NULL with a
                   pool: the pool's own file) */
  char *model;  /* over a parameter space: a registered surrogate's name */
} dataset_spec;

static void spec_read(invdes_cload *L, const invdes_ynode *n, void *spec) {
  dataset_spec *o = spec;
  const invdes_ynode *v;
  const char *s;
  if ((v = invdes_cload_get(n, "file")) && invdes_cload_string(L, v, "'file'", &s))
    o->file = invdes_cload_strdup(L, s);
  if ((v = invdes_cload_get(n, "model"))) {
    const char *const *models = invdes_surrogate_type_names();
    int m = invdes_cload_choice(L, v, "data-set model", models);
    if (m >= 0) o->model = invdes_cload_strdup(L, models[m]);
  }
}

static void spec_free(void *spec) {
  dataset_spec *o = spec;
  free(o->file);
  free(o->model);
}

/* With a pool: no model, and no table but the pool's. */
static void check_pool(invdes_cload *L, const invdes_ynode *n, dataset_spec *o) {
  const invdes_pool *pool = L->c->pool;
  const invdes_ynode *m = invdes_cload_key_node(n, "model");
  if (m)
    invdes_cload_error(L, m, INVDES_ERR_INVALID, "'model' is for a data set over a parameter "
                       "space; a pool's candidates are looked up directly");
  if (!o->file) return;
  char *p = invdes_cload_resolve(L, o->file);
  if (p && pool->path && strcmp(p, pool->path) != 0)
    invdes_cload_error(L, invdes_cload_get(n, "file"), INVDES_ERR_INVALID,
                       "with a pool, a dataset objective reads the pool's own file (%s); "
                       "leave 'file' out", pool->file);
  free(o->file);
  o->file = p;
}

/* Column `name` of t holds numbers (unless categorical), reported at mark. */
static void check_column(invdes_cload *L, const invdes_table *t, const char *name,
                         invdes_mark mark, const char *role, int numeric) {
  if (!name) return;
  invdes_ynode at = {.line = mark.line, .column = mark.column};
  long j = invdes_cload_column(L, &at, t, name, role);
  if (j >= 0 && numeric) invdes_cload_numeric(L, &at, t, (size_t)j, role, NULL);
}

/* Over a parameter space: every variable and target is a column. */
static void spec_check(invdes_cload *L, const invdes_ynode *n, void *spec) {
  const invdes_campaign *c = L->c;
  dataset_spec *o = spec;
  if (c->pool) {
    check_pool(L, n, o);
    return;
  }
  const invdes_ynode *fn = invdes_cload_get(n, "file");
  if (!o->file) {
    if (!fn)
      invdes_cload_error(L, L->section_key, INVDES_ERR_INVALID,
                         "a dataset objective needs 'file' (a CSV table) or a 'pool'");
    return;
  }
  if (!o->model && !(o->model = invdes_cload_strdup(L, "rf"))) return;
  char *p = invdes_cload_resolve(L, o->file);
  if (!p) return;
  free(o->file);
  o->file = p;
  invdes_table *t = invdes_cload_table(L, fn, "data set", p);
  if (!t) return;
  for (size_t i = 0; i < c->n_params; i++)
    check_column(L, t, c->params[i].name, c->params[i].mark, "parameter",
                 c->params[i].type != INVDES_PARAM_CATEGORICAL);
  for (size_t g = 0; g < c->n_compositions; g++)
    for (size_t i = 0; i < c->compositions[g].n_components; i++) {
      const invdes_component *k = &c->compositions[g].components[i];
      check_column(L, t, k->name, k->mark, "component", 1);
    }
  for (size_t i = 0; i < c->n_targets; i++)
    check_column(L, t, c->targets[i].name, c->targets[i].mark, "target", 1);
  invdes_table_free(t);
}

static void spec_describe(const void *spec, char *buf, size_t size) {
  const dataset_spec *o = spec;
  if (o->file) invdes_objective_append(buf, size, " %s", o->file);
  if (o->model) invdes_objective_append(buf, size, " (emulator %s)", o->model);
}

/* ---- evaluating ------------------------------------------------------------------ */

typedef struct dataset_eval {
  invdes_objective_setup s;
  const dataset_spec *o;
  double *pool_y;             /* a pool: n_rows × n_targets, NAN where no number */
  invdes_surrogate **models;  /* a space: one fitted model per target, NULL-ended */
  double *z;                  /* scratch: one encoded point */
} dataset_eval;

static void eval_close(void *state) {
  dataset_eval *e = state;
  if (!e) return;
  free(e->pool_y);
  if (e->models) {
    for (size_t t = 0; e->models[t]; t++) invdes_surrogate_free(e->models[t]);
    free(e->models);
  }
  free(e->z);
  free(e);
}

static invdes_status nomem(invdes_error *err) {
  return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
}

/* Target cells of the pool table; a cell that is not a number stays NAN (the
 * proposal then fails with a reason). */
static invdes_status load_pool(dataset_eval *e, invdes_error *err) {
  const invdes_pool *p = e->s.c->pool;
  invdes_table *t = invdes_table_read(p->path, err);
  if (!t) return err ? err->status : INVDES_ERR_IO;
  invdes_status st = INVDES_OK;
  size_t nr = invdes_table_n_rows(t), nt = e->s.n_targets;
  if (nr != p->n_rows)
    st = invdes_error_set(err, INVDES_ERR_INVALID, "%s: the pool has %zu rows, %zu when the "
                          "campaign was loaded", p->path, nr, p->n_rows);
  if (st == INVDES_OK && !(e->pool_y = malloc((nr * nt + 1) * sizeof *e->pool_y)))
    st = nomem(err);
  for (size_t k = 0; st == INVDES_OK && k < nt; k++) {
    long j = invdes_table_find_col(t, e->s.target_names[k]);
    if (j < 0) {
      st = invdes_error_set(err, INVDES_ERR_INVALID, "%s: no column '%s' (a target of the "
                            "dataset objective)", p->path, e->s.target_names[k]);
      break;
    }
    for (size_t r = 0; r < nr; r++) {
      const char *cell = invdes_table_cell(t, r, (size_t)j);
      char *end;
      double v = strtod(cell, &end);
      e->pool_y[r * nt + k] = (*cell && !*end && isfinite(v)) ? v : NAN;
    }
  }
  invdes_table_free(t);
  return st;
}

/* Raw point of table row r (categorical labels to indices); 0 when the row
 * holds a label the campaign does not list. */
static int table_row_x(const invdes_campaign *c, const invdes_table *t, const long *col, size_t r,
                       double *x) {
  size_t v = 0;
  for (size_t i = 0; i < c->n_params; i++, v++) {
    const char *cell = invdes_table_cell(t, r, (size_t)col[v]);
    if (c->params[i].type == INVDES_PARAM_CATEGORICAL) {
      size_t k = 0;
      while (k < c->params[i].n_values && strcmp(c->params[i].labels[k], cell) != 0) k++;
      if (k == c->params[i].n_values) return 0;
      x[v] = (double)k;
    } else {
      x[v] = strtod(cell, NULL);
    }
  }
  for (size_t g = 0; g < c->n_compositions; g++)
    for (size_t i = 0; i < c->compositions[g].n_components; i++, v++)
      x[v] = strtod(invdes_table_cell(t, r, (size_t)col[v]), NULL);
  return 1;
}

/* The table's rows that lie in the space, encoded into Z (n × dim) with
 * their targets in Y (target k of row i at Y[k * nr + i]); rows outside the
 * bounds, with unknown labels or missing targets are left out. */
static invdes_status table_rows(const dataset_eval *e, const invdes_table *t, double *Z,
                                double *Y, size_t *n_out, invdes_error *err) {
  size_t nr = invdes_table_n_rows(t), nv = e->s.n_vars, nt = e->s.n_targets;
  size_t dim = invdes_space_dim(e->s.space);
  long *col = malloc((nv + nt + 1) * sizeof *col);
  double *x = malloc((nv + 1) * sizeof *x);
  invdes_status st = (!col || !x) ? nomem(err) : INVDES_OK;
  for (size_t v = 0; st == INVDES_OK && v < nv + nt; v++) {
    const char *name = v < nv ? e->s.var_names[v] : e->s.target_names[v - nv];
    if ((col[v] = invdes_table_find_col(t, name)) < 0)
      st = invdes_error_set(err, INVDES_ERR_INVALID, "%s: no column '%s'", e->o->file, name);
  }
  size_t n = 0;
  for (size_t r = 0; st == INVDES_OK && r < nr; r++) {
    if (!table_row_x(e->s.c, t, col, r, x)) continue;
    if (invdes_space_encode(e->s.space, x, Z + n * dim, NULL) != INVDES_OK) continue;
    int ok = 1;
    for (size_t k = 0; k < nt; k++) {
      const char *cell = invdes_table_cell(t, r, (size_t)col[nv + k]);
      char *end;
      double v = strtod(cell, &end);
      if (!*cell || *end || !isfinite(v)) ok = 0;
      Y[k * nr + n] = v;
    }
    if (ok) n++;
  }
  free(col);
  free(x);
  *n_out = n;
  return st;
}

/* Fits one surrogate per target on the rows of the data set that lie in the
 * space. */
static invdes_status fit_models(dataset_eval *e, invdes_error *err) {
  const invdes_campaign *c = e->s.c;
  invdes_model_kind kind;
  invdes_status st = invdes_model_kind_parse(e->o->model ? e->o->model : "rf", &kind, err);
  if (st != INVDES_OK) return st;
  invdes_table *t = invdes_table_read(e->o->file, err);
  if (!t) return err ? err->status : INVDES_ERR_IO;
  size_t nr = invdes_table_n_rows(t), nt = e->s.n_targets;
  size_t dim = invdes_space_dim(e->s.space), n = 0;
  double *Z = malloc((nr * dim + 1) * sizeof *Z), *Y = malloc((nr * nt + 1) * sizeof *Y);
  e->models = calloc(nt + 1, sizeof *e->models);
  if (!Z || !Y || !e->models) st = nomem(err);
  if (st == INVDES_OK) st = table_rows(e, t, Z, Y, &n, err);
  if (st == INVDES_OK && n < 2)
    st = invdes_error_set(err, INVDES_ERR_INVALID, "%s: %zu rows lie in the campaign's space; "
                          "an emulator needs at least 2", e->o->file, n);
  invdes_surrogate_options opt;
  invdes_surrogate_options_init(&opt);
  invdes_surrogate_options_set_seed(&opt, c->seed);
  for (size_t k = 0; st == INVDES_OK && k < nt; k++) {
    e->models[k] = invdes_surrogate_new(kind, &opt);
    if (!e->models[k]) st = nomem(err);
    else st = invdes_surrogate_fit(e->models[k], Z, n, dim, Y + k * nr, NULL, err);
  }
  free(Z);
  free(Y);
  invdes_table_free(t);
  return st;
}

static invdes_status eval_open(const invdes_objective_setup *s, void **state,
                               invdes_error *err) {
  dataset_eval *e = calloc(1, sizeof *e);
  if (!e) return nomem(err);
  e->s = *s;
  e->o = s->spec;
  invdes_status st = INVDES_OK;
  if (!(e->z = malloc((invdes_space_dim(s->space) + 1) * sizeof *e->z))) st = nomem(err);
  else st = s->c->pool ? load_pool(e, err) : fit_models(e, err);
  if (st != INVDES_OK) {
    eval_close(e);
    return st;
  }
  *state = e;
  return INVDES_OK;
}

static void eval_one(void *state, const invdes_objective_point *p, double *y, char *reason,
                     size_t rn) {
  dataset_eval *e = state;
  const invdes_pool *pool = e->s.c->pool;
  size_t nt = e->s.n_targets;
  if (pool) {
    size_t row = (size_t)p->x[0];
    for (size_t k = 0; k < nt; k++) y[k] = e->pool_y[row * nt + k];
    for (size_t k = 0; k < nt; k++)
      if (!isfinite(y[k])) {
        snprintf(reason, rn, "candidate '%s' has no number for '%s' in %s", pool->ids[row],
                 e->s.target_names[k], pool->path);
        break;
      }
    return;
  }
  invdes_error merr;
  invdes_error_clear(&merr);
  if (invdes_space_encode(e->s.space, p->x, e->z, &merr) != INVDES_OK) {
    snprintf(reason, rn, "%.500s", merr.message);
    return;
  }
  for (size_t k = 0; k < nt; k++)
    if (invdes_surrogate_predict(e->models[k], e->z, 1, &y[k], NULL, &merr) != INVDES_OK) {
      snprintf(reason, rn, "the %s emulator failed: %.400s", e->o->model, merr.message);
      y[k] = NAN;
    }
}

static invdes_status eval_batch(void *state, const invdes_objective_point *p, size_t n,
                                invdes_objective_done_fn done, void *data, invdes_error *err) {
  dataset_eval *e = state;
  return invdes_objective_each(state, e->s.n_targets, eval_one, p, n, done, data, err);
}

static const invdes_objective_field fields[] = {
    {"file", INVDES_FIELD_TEXT, offsetof(dataset_spec, file), 0, 0},
    {"model", INVDES_FIELD_TEXT, offsetof(dataset_spec, model), 0, 0},
    {NULL, 0, 0, 0, 0}};

const invdes_objective_type invdes_objective_dataset = {
    .name = "dataset",
    .fields = fields,
    .spec_size = sizeof(dataset_spec),
    .flags = INVDES_OBJECTIVE_IN_PROCESS | INVDES_OBJECTIVE_POOL_TARGETS,
    .read = spec_read,
    .free_spec = spec_free,
    .check = spec_check,
    .describe = spec_describe,
    .open = eval_open,
    .evaluate = eval_batch,
    .close = eval_close,
};
