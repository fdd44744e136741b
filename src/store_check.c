/* store_check.c — has the campaign file changed since its database was made?
 *
 * The typed models are compared field by field (so comments, formatting and
 * key order never count) and every difference becomes one line of a summary.
 * Harmless differences — description, budget, and the command evaluator's
 * timeout and parallel count — are allowed; anything that changes what is
 * searched, how, or what a result means is not. The candidate pool's data is
 * compared by its SHA-256, since the stored text only names the file. */
#include "store_internal.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"

typedef struct diff {
  invdes_error *out;
  int bad;
} diff;

static void note(diff *d, int allowed, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void note(diff *d, int allowed, const char *fmt, ...) {
  char line[900];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  if (!allowed) d->bad++;
  invdes_error_add(d->out, allowed ? INVDES_OK : INVDES_ERR_INVALID, "%s%s", line,
                   allowed ? " (allowed)" : "");
}

static int same_real(double a, double b) { return a == b || (isnan(a) && isnan(b)); }
static int same_str(const char *a, const char *b) {
  return (!a && !b) || (a && b && strcmp(a, b) == 0);
}
static const char *show(const char *s) { return s ? s : "(none)"; }

static void real(diff *d, const char *what, double a, double b, int allowed) {
  if (!same_real(a, b)) note(d, allowed, "%s: %.17g -> %.17g", what, a, b);
}
static void integer(diff *d, const char *what, long long a, long long b, int allowed) {
  if (a != b) note(d, allowed, "%s: %lld -> %lld", what, a, b);
}
static void text(diff *d, const char *what, const char *a, const char *b, int allowed) {
  if (!same_str(a, b)) note(d, allowed, "%s: '%s' -> '%s'", what, show(a), show(b));
}
static void reals(diff *d, const char *what, const double *a, size_t na, const double *b,
                  size_t nb) {
  int same = na == nb;
  for (size_t i = 0; same && i < na; i++) same = same_real(a[i], b[i]);
  if (!same) note(d, 0, "%s: the list of values changed", what);
}
static void texts(diff *d, const char *what, char *const *a, size_t na, char *const *b,
                  size_t nb) {
  int same = na == nb;
  for (size_t i = 0; same && i < na; i++) same = same_str(a[i], b[i]);
  if (!same) note(d, 0, "%s: the list changed", what);
}

static void params(diff *d, const invdes_campaign *a, const invdes_campaign *b) {
  for (size_t i = 0; i < a->n_params; i++) {
    const invdes_param *p = &a->params[i], *q = NULL;
    for (size_t j = 0; j < b->n_params && !q; j++)
      if (strcmp(b->params[j].name, p->name) == 0) q = &b->params[j];
    if (!q) {
      note(d, 0, "parameter '%s' removed", p->name);
      continue;
    }
    char w[300];
    if (q != &b->params[i]) note(d, 0, "parameter '%s' moved", p->name);
    if (p->type != q->type)
      note(d, 0, "parameter '%s': type %s -> %s", p->name, invdes_param_type_name(p->type),
           invdes_param_type_name(q->type));
    snprintf(w, sizeof w, "parameter '%s': lower bound", p->name);
    real(d, w, p->lo, q->lo, 0);
    snprintf(w, sizeof w, "parameter '%s': upper bound", p->name);
    real(d, w, p->hi, q->hi, 0);
    snprintf(w, sizeof w, "parameter '%s': log scale", p->name);
    integer(d, w, p->log_scale, q->log_scale, 0);
    snprintf(w, sizeof w, "parameter '%s': values", p->name);
    if (p->type == INVDES_PARAM_DISCRETE)
      reals(d, w, p->values, p->n_values, q->values, q->n_values);
    if (p->type == INVDES_PARAM_CATEGORICAL)
      texts(d, w, p->labels, p->n_values, q->labels, q->n_values);
    snprintf(w, sizeof w, "parameter '%s': unit", p->name);
    text(d, w, p->unit, q->unit, 0);
  }
  for (size_t j = 0; j < b->n_params; j++) {
    int found = 0;
    for (size_t i = 0; i < a->n_params && !found; i++)
      found = strcmp(a->params[i].name, b->params[j].name) == 0;
    if (!found) note(d, 0, "parameter '%s' added", b->params[j].name);
  }
}

static void compositions(diff *d, const invdes_campaign *a, const invdes_campaign *b) {
  if (a->n_compositions != b->n_compositions) {
    note(d, 0, "compositions: %zu -> %zu", a->n_compositions, b->n_compositions);
    return;
  }
  for (size_t g = 0; g < a->n_compositions; g++) {
    const invdes_composition *p = &a->compositions[g], *q = &b->compositions[g];
    char w[300];
    snprintf(w, sizeof w, "composition %zu: name", g + 1);
    text(d, w, p->name, q->name, 0);
    snprintf(w, sizeof w, "composition '%s': total", p->name);
    real(d, w, p->total, q->total, 0);
    if (p->n_components != q->n_components) {
      note(d, 0, "composition '%s': components %zu -> %zu", p->name, p->n_components,
           q->n_components);
      continue;
    }
    for (size_t i = 0; i < p->n_components; i++) {
      const invdes_component *x = &p->components[i], *y = &q->components[i];
      snprintf(w, sizeof w, "composition '%s': component %zu", p->name, i + 1);
      text(d, w, x->name, y->name, 0);
      snprintf(w, sizeof w, "component '%s': lower bound", x->name);
      real(d, w, x->lo, y->lo, 0);
      snprintf(w, sizeof w, "component '%s': upper bound", x->name);
      real(d, w, x->hi, y->hi, 0);
    }
  }
}

static void targets(diff *d, const invdes_campaign *a, const invdes_campaign *b) {
  if (a->n_targets != b->n_targets) note(d, 0, "targets: %zu -> %zu", a->n_targets, b->n_targets);
  size_t n = a->n_targets < b->n_targets ? a->n_targets : b->n_targets;
  for (size_t i = 0; i < n; i++) {
    const invdes_target *p = &a->targets[i], *q = &b->targets[i];
    char w[300];
    snprintf(w, sizeof w, "target %zu: name", i + 1);
    text(d, w, p->name, q->name, 0);
    if (p->goal != q->goal)
      note(d, 0, "target '%s': goal %s -> %s", p->name, invdes_goal_name(p->goal),
           invdes_goal_name(q->goal));
    snprintf(w, sizeof w, "target '%s': window low", p->name);
    real(d, w, p->lo, q->lo, 0);
    snprintf(w, sizeof w, "target '%s': window high", p->name);
    real(d, w, p->hi, q->hi, 0);
    snprintf(w, sizeof w, "target '%s': threshold", p->name);
    real(d, w, p->threshold, q->threshold, 0);
    snprintf(w, sizeof w, "target '%s': weight", p->name);
    real(d, w, p->weight, q->weight, 0);
    snprintf(w, sizeof w, "target '%s': unit", p->name);
    text(d, w, p->unit, q->unit, 0);
  }
}

static void objective(diff *d, const invdes_objective_spec *p, const invdes_objective_spec *q) {
  if (p->kind != q->kind) {
    note(d, 0, "objective.kind: %s -> %s", invdes_objective_kind_name(p->kind),
         invdes_objective_kind_name(q->kind));
    return;
  }
  text(d, "objective.name", p->name, q->name, 0);
  reals(d, "objective.shift", p->shift, p->n_shift, q->shift, q->n_shift);
  real(d, "objective.noise", p->noise_sd, q->noise_sd, 0);
  texts(d, "objective.command", p->argv, p->argc, q->argv, q->argc);
  real(d, "objective.timeout", p->timeout, q->timeout, 1);
  integer(d, "objective.parallel", p->parallel, q->parallel, 1);
  text(d, "objective.file", p->file, q->file, 0);
  text(d, "objective.model", p->model, q->model, 0);
}

static void strategy(diff *d, const invdes_strategy_spec *p, const invdes_strategy_spec *q) {
  if (p->kind != q->kind)
    note(d, 0, "strategy.kind: %s -> %s", invdes_strategy_kind_name(p->kind),
         invdes_strategy_kind_name(q->kind));
  integer(d, "strategy.surrogate", p->surrogate, q->surrogate, 0);
  integer(d, "strategy.kernel", p->kernel, q->kernel, 0);
  integer(d, "strategy.acquisition", p->acquisition, q->acquisition, 0);
  integer(d, "strategy.batch", p->batch, q->batch, 0);
  if (p->initial_design != q->initial_design)
    note(d, 0, "strategy.initial.design: %s -> %s", invdes_design_kind_name(p->initial_design),
         invdes_design_kind_name(q->initial_design));
  integer(d, "strategy.initial.count", p->initial_count, q->initial_count, 0);
  integer(d, "strategy.pso.swarm", p->pso.swarm, q->pso.swarm, 0);
  real(d, "strategy.pso.inertia", p->pso.inertia, q->pso.inertia, 0);
  real(d, "strategy.pso.c1", p->pso.c1, q->pso.c1, 0);
  real(d, "strategy.pso.c2", p->pso.c2, q->pso.c2, 0);
  integer(d, "strategy.ga.population", p->ga.population, q->ga.population, 0);
  real(d, "strategy.ga.crossover", p->ga.crossover, q->ga.crossover, 0);
  real(d, "strategy.ga.mutation", p->ga.mutation, q->ga.mutation, 0);
}

invdes_status invdes_store_campaign_diff(const invdes_campaign *a, const invdes_campaign *b,
                                         invdes_error *changes) {
  diff d = {changes, 0};
  text(&d, "name", a->name, b->name, 0);
  text(&d, "description", a->description, b->description, 1);
  if (a->seed != b->seed)
    note(&d, 0, "seed: %" PRIu64 " -> %" PRIu64, a->seed, b->seed);
  params(&d, a, b);
  compositions(&d, a, b);
  if (a->n_constraints != b->n_constraints)
    note(&d, 0, "constraints: %zu -> %zu", a->n_constraints, b->n_constraints);
  for (size_t i = 0; i < a->n_constraints && i < b->n_constraints; i++) {
    char w[64];
    snprintf(w, sizeof w, "constraint %zu", i + 1);
    text(&d, w, a->constraints[i].text, b->constraints[i].text, 0);
    snprintf(w, sizeof w, "constraint %zu: tolerance", i + 1);
    real(&d, w, a->constraints[i].tol, b->constraints[i].tol, 0);
  }
  targets(&d, a, b);
  if (!a->pool != !b->pool) {
    note(&d, 0, "pool: %s -> %s", a->pool ? "a candidate table" : "none",
         b->pool ? "a candidate table" : "none");
  } else if (a->pool) {
    text(&d, "pool.file", a->pool->file, b->pool->file, 0);
    text(&d, "pool.id", a->pool->id_column, b->pool->id_column, 0);
    texts(&d, "pool.features", a->pool->features, a->pool->n_features, b->pool->features,
          b->pool->n_features);
  }
  objective(&d, &a->objective, &b->objective);
  strategy(&d, &a->strategy, &b->strategy);
  integer(&d, "budget.evaluations", a->budget.evaluations, b->budget.evaluations, 1);
  integer(&d, "budget.stop_when", a->budget.stop_when_satisfied, b->budget.stop_when_satisfied, 1);
  return d.bad ? INVDES_ERR_INVALID : INVDES_OK;
}

/* Has c's text or pool data changed from the stored one? */
static int unchanged(const invdes_store *s, const invdes_campaign *c, int *pool_changed) {
  char hash[65], pool[65];
  invdes_sha256_hex(c->text, c->text_len, hash);
  store_pool_sha256(c, pool);
  *pool_changed = !same_str(pool[0] ? pool : NULL, s->pool_sha256);
  return strcmp(hash, s->sha256) == 0 && !*pool_changed;
}

invdes_status invdes_store_check_campaign(invdes_store *s, const invdes_campaign *c,
                                          invdes_error *changes) {
  int pool_changed = 0;
  if (unchanged(s, c, &pool_changed)) return INVDES_OK;
  invdes_error perr;
  invdes_error_clear(&perr);
  invdes_campaign *old = invdes_campaign_parse(c->path, s->text, strlen(s->text), &perr);
  if (!old)
    return invdes_error_add(changes, INVDES_ERR_INVALID,
                            "%s: the campaign stored in it no longer loads, so the changes "
                            "cannot be judged:\n%s", s->path, perr.message);
  diff d = {changes, 0};
  if (invdes_store_campaign_diff(old, c, changes) != INVDES_OK) d.bad++;
  if (pool_changed) note(&d, 0, "pool: the candidate table's contents changed");
  invdes_campaign_free(old);
  if (d.bad)
    return invdes_error_add(changes, INVDES_ERR_INVALID,
                            "%s: campaign '%s' changed since the database was made; "
                            "use a new database for the new campaign", s->path, s->name);
  return INVDES_OK;
}

invdes_status invdes_store_update_campaign(invdes_store *s, const invdes_campaign *c,
                                           invdes_error *changes) {
  int pool_changed = 0;
  if (unchanged(s, c, &pool_changed)) return INVDES_OK;
  invdes_error local;
  invdes_error_clear(&local);
  invdes_error *sum = changes ? changes : &local;
  invdes_status status = invdes_store_check_campaign(s, c, sum);
  if (status != INVDES_OK) return status;
  char hash[65], pool[65];
  invdes_sha256_hex(c->text, c->text_len, hash);
  store_pool_sha256(c, pool);
  char *text_copy = malloc(c->text_len + 1);
  if (!text_copy) return invdes_error_set(sum, INVDES_ERR_NOMEM, "%s: out of memory", s->path);
  memcpy(text_copy, c->text, c->text_len);
  text_copy[c->text_len] = '\0';
  status = store_txn_begin(s, 1, sum);
  if (status != INVDES_OK) {
    free(text_copy);
    return status;
  }
  sqlite3_stmt *st = store_stmt_get(s, ST_UPDATE_CAMPAIGN, sum);
  if (!st) status = INVDES_ERR_DB;
  if (st) {
    sqlite3_bind_text(st, 1, c->text, (int)c->text_len, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, hash, -1, SQLITE_TRANSIENT);
    store_bind_text(st, 3, pool[0] ? pool : NULL);
    sqlite3_bind_double(st, 4, store_now(s));
    status = store_step_done(s, st, sum, "updating the campaign");
  }
  if (status == INVDES_OK)
    status = invdes_store_event(s, "campaign_changed", 0, sum->message, NULL, 0, sum);
  status = store_txn_end(s, status, sum);
  if (status != INVDES_OK) {
    free(text_copy);
    return status;
  }
  free(s->text);
  s->text = text_copy;
  memcpy(s->sha256, hash, sizeof hash);
  return INVDES_OK;
}
