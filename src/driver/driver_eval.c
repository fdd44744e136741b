/* driver_eval.c — the evaluator side of the run loop: turns proposals into
 * outcomes and records them.
 *
 *  - builtin: objective.name at the raw point x (parameters in order, then
 *    components), with the campaign's shift; noise_sd > 0 adds Gaussian noise
 *    drawn from the stream (seed, stream_id(NOISE_TAG, proposal id)), so a
 *    proposal evaluated again after a resume gets the same value. The value
 *    is the campaign's single target.
 *  - command: objectives/command.h with objective.parallel children; each
 *    outcome is recorded as soon as it arrives (a kill loses only what is in
 *    flight). Failures carry their reason, stderr goes to the event log.
 *  - dataset over a pool: the candidate's target cells of the pool table.
 *  - dataset over a parameter space: one surrogate (objective.model) per
 *    target fitted once on the table's rows (encoded), its predicted mean.
 * x always comes from the recorded parameters, so a proposal evaluates the
 * same whether it was just made or claimed back after a kill. Station
 * campaigns have no evaluator. */
#include "driver_internal.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "builtin.h"
#include "command.h"
#include "rng.h"
#include "surrogate.h"
#include "table.h"

/* Stream tag of builtin noise, paired with the proposal id. */
#define NOISE_TAG UINT64_C(0x6e6f697365)

struct driver_eval {
  invdes_objective_kind kind;
  int64_t failures;
  /* builtin */
  const invdes_builtin *fn;
  gsl_rng *rng;
  /* dataset over a pool: n_rows × n_targets, NAN where the cell is no number */
  double *pool_y;
  /* dataset over a space: one fitted model per target */
  invdes_surrogate **models;
  /* scratch */
  double *x, *z, *y;
};

static invdes_status nomem(invdes_error *err) {
  return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
}

void driver_eval_free(driver_eval *e) {
  if (!e) return;
  if (e->rng) gsl_rng_free(e->rng);
  free(e->pool_y);
  if (e->models) {
    for (size_t t = 0; e->models[t]; t++) invdes_surrogate_free(e->models[t]);
    free(e->models);
  }
  free(e->x);
  free(e->z);
  free(e->y);
  free(e);
}

int driver_eval_in_process(const driver_eval *e) { return e->kind != INVDES_OBJECTIVE_COMMAND; }
int64_t driver_eval_failures(const driver_eval *e) { return e->failures; }

/* Target cells of the pool table; a cell that is not a number stays NAN (the
 * proposal then fails with a reason). */
static invdes_status load_pool(invdes_driver *d, driver_eval *e, invdes_error *err) {
  const invdes_pool *p = d->c->pool;
  invdes_table *t = invdes_table_read(p->path, err);
  if (!t) return err ? err->status : INVDES_ERR_IO;
  invdes_status st = INVDES_OK;
  size_t nr = invdes_table_n_rows(t), nt = d->n_targets;
  if (nr != p->n_rows)
    st = invdes_error_set(err, INVDES_ERR_INVALID, "%s: the pool has %zu rows, %zu when the "
                          "campaign was loaded", p->path, nr, p->n_rows);
  if (st == INVDES_OK && !(e->pool_y = malloc((nr * nt + 1) * sizeof *e->pool_y))) st = nomem(err);
  for (size_t k = 0; st == INVDES_OK && k < nt; k++) {
    long j = invdes_table_find_col(t, d->target_names[k]);
    if (j < 0) {
      st = invdes_error_set(err, INVDES_ERR_INVALID, "%s: no column '%s' (a target of the "
                            "dataset objective)", p->path, d->target_names[k]);
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

/* Fits one surrogate per target on the rows of the data set that lie in the
 * space (rows outside the bounds or with unknown labels are left out). */
static invdes_status fit_models(invdes_driver *d, driver_eval *e, invdes_error *err) {
  const invdes_campaign *c = d->c;
  invdes_model_kind kind;
  invdes_status st = invdes_model_kind_parse(c->objective.model ? c->objective.model : "rf",
                                             &kind, err);
  if (st != INVDES_OK) return st;
  invdes_table *t = invdes_table_read(c->objective.file, err);
  if (!t) return err ? err->status : INVDES_ERR_IO;
  size_t nr = invdes_table_n_rows(t), nv = d->n_vars, nt = d->n_targets, dim = d->dim;
  long *col = malloc((nv + nt + 1) * sizeof *col);
  double *Z = malloc((nr * dim + 1) * sizeof *Z), *Y = malloc((nr * nt + 1) * sizeof *Y);
  double *x = malloc((nv + 1) * sizeof *x);
  e->models = calloc(nt + 1, sizeof *e->models);
  if (!col || !Z || !Y || !x || !e->models) st = nomem(err);
  for (size_t v = 0; st == INVDES_OK && v < nv + nt; v++) {
    const char *name = v < nv ? d->var_names[v] : d->target_names[v - nv];
    if ((col[v] = invdes_table_find_col(t, name)) < 0)
      st = invdes_error_set(err, INVDES_ERR_INVALID, "%s: no column '%s'", c->objective.file,
                            name);
  }
  size_t n = 0;
  for (size_t r = 0; st == INVDES_OK && r < nr; r++) {
    if (!table_row_x(c, t, col, r, x)) continue;
    if (invdes_space_encode(d->space, x, Z + n * dim, NULL) != INVDES_OK) continue;
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
  if (st == INVDES_OK && n < 2)
    st = invdes_error_set(err, INVDES_ERR_INVALID, "%s: %zu rows lie in the campaign's space; "
                          "an emulator needs at least 2", c->objective.file, n);
  invdes_surrogate_options opt;
  invdes_surrogate_options_init(&opt);
  invdes_surrogate_options_set_seed(&opt, c->seed);
  for (size_t k = 0; st == INVDES_OK && k < nt; k++) {
    e->models[k] = invdes_surrogate_new(kind, &opt);
    if (!e->models[k]) st = nomem(err);
    else st = invdes_surrogate_fit(e->models[k], Z, n, dim, Y + k * nr, NULL, err);
  }
  free(col);
  free(Z);
  free(Y);
  free(x);
  invdes_table_free(t);
  return st;
}

invdes_status driver_eval_new(invdes_driver *d, driver_eval **out, invdes_error *err) {
  *out = NULL;
  const invdes_objective_spec *o = &d->c->objective;
  driver_eval *e = calloc(1, sizeof *e);
  if (!e) return nomem(err);
  e->kind = o->kind;
  e->x = malloc((d->n_vars + 1) * sizeof *e->x);
  e->z = malloc((d->dim + 1) * sizeof *e->z);
  e->y = malloc((d->n_targets + 1) * sizeof *e->y);
  invdes_status st = (!e->x || !e->z || !e->y) ? nomem(err) : INVDES_OK;
  if (st == INVDES_OK) switch (o->kind) {
    case INVDES_OBJECTIVE_BUILTIN:
      e->fn = invdes_builtin_find(o->name);
      if (!e->fn)
        st = invdes_error_set(err, INVDES_ERR_INVALID, "no builtin function '%s'", o->name);
      else if (d->n_targets != 1)
        st = invdes_error_set(err, INVDES_ERR_INVALID, "a builtin objective has one target");
      else if (!(e->rng = invdes_rng_new(d->c->seed, 0)))
        st = nomem(err);
      break;
    case INVDES_OBJECTIVE_DATASET:
      st = d->c->pool ? load_pool(d, e, err) : fit_models(d, e, err);
      break;
    case INVDES_OBJECTIVE_COMMAND:
      break;
    case INVDES_OBJECTIVE_STATION:
      st = invdes_error_set(err, INVDES_ERR_USAGE, "a station campaign has no evaluator");
      break;
    }
  if (st != INVDES_OK) {
    driver_eval_free(e);
    return st;
  }
  *out = e;
  return INVDES_OK;
}

/* ---- in-process evaluators --------------------------------------------------- */

static void eval_one(invdes_driver *d, driver_eval *e, const invdes_store_proposal *p,
                     double *y, char *reason, size_t rn) {
  const invdes_campaign *c = d->c;
  size_t nt = d->n_targets;
  for (size_t k = 0; k < nt; k++) y[k] = NAN;
  invdes_error perr;
  invdes_error_clear(&perr);
  if (driver_params_to_x(d, p->parameters, e->x, &perr) != INVDES_OK) {
    snprintf(reason, rn, "%.500s", perr.message);
    return;
  }
  switch (e->kind) {
  case INVDES_OBJECTIVE_BUILTIN: {
    double v = invdes_builtin_eval(e->fn, e->x, d->n_vars, c->objective.n_shift ? c->objective.shift : NULL);
    if (isfinite(v) && c->objective.noise_sd > 0) {
      invdes_rng_reset(e->rng, c->seed, invdes_rng_stream_id(NOISE_TAG, (uint64_t)p->id));
      v += gsl_ran_gaussian(e->rng, c->objective.noise_sd);
    }
    if (!isfinite(v)) snprintf(reason, rn, "%s gave a non-finite value", e->fn->name);
    y[0] = v;
    break;
  }
  case INVDES_OBJECTIVE_DATASET:
    if (c->pool) {
      size_t row = (size_t)e->x[0];
      for (size_t k = 0; k < nt; k++) y[k] = e->pool_y[row * nt + k];
      for (size_t k = 0; k < nt; k++)
        if (!isfinite(y[k])) {
          snprintf(reason, rn, "candidate '%s' has no number for '%s' in %s",
                   c->pool->ids[row], d->target_names[k], c->pool->path);
          break;
        }
    } else {
      invdes_error merr;
      invdes_error_clear(&merr);
      if (invdes_space_encode(d->space, e->x, e->z, &merr) != INVDES_OK) {
        snprintf(reason, rn, "%.500s", merr.message);
        break;
      }
      for (size_t k = 0; k < nt; k++)
        if (invdes_surrogate_predict(e->models[k], e->z, 1, &y[k], NULL, &merr) != INVDES_OK) {
          snprintf(reason, rn, "the %s emulator failed: %.400s", c->objective.model, merr.message);
          y[k] = NAN;
        }
    }
    break;
  default: break;
  }
}

static invdes_status eval_in_process(invdes_driver *d, const invdes_store_proposal *rows,
                                     size_t n, invdes_error *err) {
  driver_eval *e = d->ev;
  size_t nt = d->n_targets;
  double *y = malloc((n * nt + 1) * sizeof *y);
  char(*reason)[512] = calloc(n + 1, sizeof *reason);
  driver_outcome *o = calloc(n + 1, sizeof *o);
  if (!y || !reason || !o) {
    free(y);
    free(reason);
    free(o);
    return nomem(err);
  }
  for (size_t i = 0; i < n; i++) {
    eval_one(d, e, &rows[i], y + i * nt, reason[i], sizeof reason[i]);
    int failed = reason[i][0] != 0;
    o[i] = (driver_outcome){.id = rows[i].id, .failed = failed, .y = failed ? NULL : y + i * nt,
                            .reason = reason[i]};
    e->failures += failed;
  }
  invdes_status st = driver_record(d, o, n,
                                   e->kind == INVDES_OBJECTIVE_BUILTIN ? "builtin" : "dataset", err);
  free(y);
  free(reason);
  free(o);
  return st;
}

/* ---- the command evaluator -------------------------------------------------- */

typedef struct command_ctx {
  invdes_driver *d;
  const invdes_store_proposal *rows;
  invdes_status status;  /* the first recording error */
  invdes_error err;
} command_ctx;

static void command_done(size_t i, const invdes_eval_result *r, void *data) {
  command_ctx *cx = data;
  driver_outcome o = {.id = cx->rows[i].id, .failed = !r->ok, .y = r->ok ? r->values : NULL,
                      .reason = r->reason, .stderr_text = r->stderr_text,
                      .stderr_len = r->stderr_text ? strlen(r->stderr_text) : 0};
  if (!r->ok) cx->d->ev->failures++;
  invdes_error e;
  invdes_error_clear(&e);
  invdes_status st = driver_record(cx->d, &o, 1, "command", &e);
  if (st != INVDES_OK && cx->status == INVDES_OK) {
    cx->status = st;
    cx->err = e;
  }
}

/* The request parameters of a proposal: each variable (labels as strings);
 * a pool candidate sends its id and its feature values. */
static invdes_status request_params(invdes_driver *d, const invdes_store_proposal *p,
                                    invdes_param_value *pv, size_t *n, invdes_error *err) {
  const invdes_campaign *c = d->c;
  double *x = d->ev->x;
  invdes_status st = driver_params_to_x(d, p->parameters, x, err);
  if (st != INVDES_OK) return st;
  size_t k = 0;
  if (c->pool) {
    size_t row = (size_t)x[0];
    pv[k++] = (invdes_param_value){.name = d->var_names[0], .is_label = 1,
                                   .label = c->pool->ids[row]};
    for (size_t j = 0; j < c->pool->n_features; j++)
      pv[k++] = (invdes_param_value){.name = c->pool->features[j],
                                     .value = c->pool->x[row * c->pool->n_features + j]};
  } else {
    for (size_t v = 0; v < d->n_vars; v++) {
      int cat = v < c->n_params && c->params[v].type == INVDES_PARAM_CATEGORICAL;
      pv[k++] = (invdes_param_value){.name = d->var_names[v], .is_label = cat,
                                     .value = cat ? 0 : x[v],
                                     .label = cat ? c->params[v].labels[(size_t)x[v]] : NULL};
    }
  }
  *n = k;
  return INVDES_OK;
}

static invdes_status eval_command(invdes_driver *d, const invdes_store_proposal *rows, size_t n,
                                  invdes_error *err) {
  const invdes_campaign *c = d->c;
  size_t per = c->pool ? 1 + c->pool->n_features : d->n_vars;
  invdes_param_value *pv = calloc(n * per + 1, sizeof *pv);
  invdes_eval_request *req = calloc(n + 1, sizeof *req);
  invdes_eval_result *res = calloc(n + 1, sizeof *res);
  invdes_status st = (!pv || !req || !res) ? nomem(err) : INVDES_OK;
  for (size_t i = 0; st == INVDES_OK && i < n; i++) {
    size_t k = 0;
    st = request_params(d, &rows[i], pv + i * per, &k, err);
    req[i] = (invdes_eval_request){.id = (long)rows[i].id, .params = pv + i * per, .n_params = k};
  }
  command_ctx cx = {.d = d, .rows = rows, .status = INVDES_OK};
  if (st == INVDES_OK) {
    invdes_command_options opt = {.argv = (const char *const *)c->objective.argv,
                                  .timeout = c->objective.timeout,
                                  .parallel = c->objective.parallel,
                                  .workdir = NULL,
                                  .on_done = command_done,
                                  .data = &cx};
    st = invdes_command_run_batch(&opt, d->target_names, d->n_targets, req, n, res, err);
    if (st == INVDES_OK && cx.status != INVDES_OK) {
      st = cx.status;
      if (err) *err = cx.err;
    }
  }
  invdes_eval_results_free(res, n);
  free(res);
  free(req);
  free(pv);
  return st;
}

invdes_status driver_eval_batch(invdes_driver *d, const invdes_store_proposal *rows, size_t n,
                                invdes_error *err) {
  if (!d->ev) return invdes_error_set(err, INVDES_ERR_USAGE, "this driver has no evaluator");
  if (n == 0) return INVDES_OK;
  return d->ev->kind == INVDES_OBJECTIVE_COMMAND ? eval_command(d, rows, n, err)
                                                 : eval_in_process(d, rows, n, err);
}
