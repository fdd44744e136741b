/* store_check.c — has the campaign file changed since its database was made?
 *
 * The typed models are compared field by field (so comments, formatting and
 * key order never count) and every difference becomes one line of a summary.
 * Harmless differences — description, budget (except for lhs, whose strata
 * the budget sets), and the objective settings its kind's table marks
 * harmless (the command evaluator's timeout and parallel count) — are
 * allowed; anything that changes what is searched, how, or what a result
 * means is not. The candidate pool's data is
 * compared by its SHA-256, since the stored text only names the file. */
#include "store_internal.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "objective.h"
#include "sha256.h"
#include "strategy_type.h"
#include "target.h"

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

/* Each comparison names its field "PRE: WHAT" (PRE, the item, may be NULL:
 * then WHAT alone) and notes a difference as disallowed unless `allowed`. */
#define PRE(pre) (pre) ? (pre) : "", (pre) ? ": " : ""

static void real(diff *d, const char *pre, const char *what, double a, double b,
                 int allowed) {
  if (!same_real(a, b))
    note(d, allowed, "%s%s%s: %.17g -> %.17g", PRE(pre), what, a, b);
}
static void integer(diff *d, const char *pre, const char *what, long long a, long long b,
                    int allowed) {
  if (a != b) note(d, allowed, "%s%s%s: %lld -> %lld", PRE(pre), what, a, b);
}
static void text(diff *d, const char *pre, const char *what, const char *a, const char *b,
                 int allowed) {
  if (!same_str(a, b))
    note(d, allowed, "%s%s%s: '%s' -> '%s'", PRE(pre), what, show(a), show(b));
}
static void reals(diff *d, const char *pre, const char *what, const double *a, size_t na,
                  const double *b, size_t nb) {
  int same = na == nb;
  for (size_t i = 0; same && i < na; i++) same = same_real(a[i], b[i]);
  if (!same) note(d, 0, "%s%s%s: the list of values changed", PRE(pre), what);
}
static void texts(diff *d, const char *pre, const char *what, char *const *a, size_t na,
                  char *const *b, size_t nb) {
  int same = na == nb;
  for (size_t i = 0; same && i < na; i++) same = same_str(a[i], b[i]);
  if (!same) note(d, 0, "%s%s%s: the list changed", PRE(pre), what);
}

static void params(diff *d, const invdes_campaign *a, const invdes_campaign *b) {
  for (size_t i = 0; i < a->n_params; i++) {
    const invdes_param *p = &a->params[i], *q = NULL;
    size_t at = 0;
    for (size_t j = 0; j < b->n_params && !q; j++)
      if (strcmp(b->params[j].name, p->name) == 0) q = &b->params[at = j];
    if (!q) {
      note(d, 0, "parameter '%s' removed", p->name);
      continue;
    }
    char w[300];
    snprintf(w, sizeof w, "parameter '%s'", p->name);
    if (at != i) note(d, 0, "%s moved", w);
    if (p->type != q->type)
      note(d, 0, "%s: type %s -> %s", w, invdes_param_type_name(p->type),
           invdes_param_type_name(q->type));
    real(d, w, "lower bound", p->lo, q->lo, 0);
    real(d, w, "upper bound", p->hi, q->hi, 0);
    integer(d, w, "log scale", p->log_scale, q->log_scale, 0);
    if (p->type == INVDES_PARAM_DISCRETE)
      reals(d, w, "values", p->values, p->n_values, q->values, q->n_values);
    if (p->type == INVDES_PARAM_CATEGORICAL)
      texts(d, w, "values", p->labels, p->n_values, q->labels, q->n_values);
    text(d, w, "unit", p->unit, q->unit, 0);
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
    snprintf(w, sizeof w, "composition %zu", g + 1);
    text(d, w, "name", p->name, q->name, 0);
    snprintf(w, sizeof w, "composition '%s'", p->name);
    real(d, w, "total", p->total, q->total, 0);
    if (p->n_components != q->n_components) {
      note(d, 0, "%s: components %zu -> %zu", w, p->n_components, q->n_components);
      continue;
    }
    for (size_t i = 0; i < p->n_components; i++) {
      const invdes_component *x = &p->components[i], *y = &q->components[i];
      char c[300];
      snprintf(c, sizeof c, "component %zu", i + 1);
      text(d, w, c, x->name, y->name, 0);
      snprintf(c, sizeof c, "component '%s'", x->name);
      real(d, c, "lower bound", x->lo, y->lo, 0);
      real(d, c, "upper bound", x->hi, y->hi, 0);
    }
  }
}

static void targets(diff *d, const invdes_campaign *a, const invdes_campaign *b) {
  if (a->n_targets != b->n_targets) note(d, 0, "targets: %zu -> %zu", a->n_targets, b->n_targets);
  size_t n = a->n_targets < b->n_targets ? a->n_targets : b->n_targets;
  for (size_t i = 0; i < n; i++) {
    const invdes_target *p = &a->targets[i], *q = &b->targets[i];
    char w[300];
    snprintf(w, sizeof w, "target %zu", i + 1);
    text(d, w, "name", p->name, q->name, 0);
    snprintf(w, sizeof w, "target '%s'", p->name);
    if (p->goal != q->goal)
      note(d, 0, "%s: goal %s -> %s", w, invdes_goal_name(p->goal),
           invdes_goal_name(q->goal));
    real(d, w, "window low", p->lo, q->lo, 0);
    real(d, w, "window high", p->hi, q->hi, 0);
    real(d, w, "threshold", p->threshold, q->threshold, 0);
    real(d, w, "weight", p->weight, q->weight, 0);
    if (p->weight_set != q->weight_set)
      note(d, 0, "%s: weight %s", w, q->weight_set ? "given (a weighted sum now)" : "removed");
    /* the reference only measures the front: the update records the new one */
    real(d, w, "reference", p->reference, q->reference, 1);
    text(d, w, "unit", p->unit, q->unit, 0);
    real(d, w, "range low", p->range_lo, q->range_lo, 0);
    real(d, w, "range high", p->range_hi, q->range_hi, 0);
  }
}

/* The objective's settings, field by field from its kind's table; the
 * kind says which are harmless (a command's timeout and parallel count). */
static void objective(diff *d, const invdes_objective *p, const invdes_objective *q) {
  if (p->type != q->type) {
    note(d, 0, "objective.kind: %s -> %s", p->type ? p->type->name : "?",
         q->type ? q->type->name : "?");
    return;
  }
  for (size_t i = 0; p->type && p->type->fields[i].key; i++) {
    const invdes_objective_field *f = &p->type->fields[i];
    const char *a = p->spec ? (const char *)p->spec + f->offset : NULL;
    const char *b = q->spec ? (const char *)q->spec + f->offset : NULL;
    if (!a || !b) continue;
    size_t na = 0, nb = 0;
    if (f->type == INVDES_FIELD_NUMBERS || f->type == INVDES_FIELD_TEXTS) {
      na = *(const size_t *)((const char *)p->spec + f->count_offset);
      nb = *(const size_t *)((const char *)q->spec + f->count_offset);
    }
    char what[100];
    snprintf(what, sizeof what, "objective.%s", f->key);
    switch (f->type) {
    case INVDES_FIELD_TEXT:
      text(d, NULL, what, *(char *const *)a, *(char *const *)b, f->harmless);
      break;
    case INVDES_FIELD_NUMBER:
      real(d, NULL, what, *(const double *)a, *(const double *)b, f->harmless);
      break;
    case INVDES_FIELD_INT:
      integer(d, NULL, what, *(const int *)a, *(const int *)b, f->harmless);
      break;
    case INVDES_FIELD_NUMBERS:
      reals(d, NULL, what, *(double *const *)a, na, *(double *const *)b, nb);
      break;
    case INVDES_FIELD_TEXTS:
      texts(d, NULL, what, *(char **const *)a, na, *(char **const *)b, nb);
      break;
    }
  }
}

static void strategy(diff *d, const invdes_strategy_spec *p, const invdes_strategy_spec *q) {
  if (p->kind != q->kind) {
    note(d, 0, "strategy.kind: %s -> %s", invdes_strategy_kind_name(p->kind),
         invdes_strategy_kind_name(q->kind));
  } else if (p->kind && p->kind->options_describe) {
    char a[400], b[400], what[80];
    p->kind->options_describe(p->options, a, sizeof a);
    q->kind->options_describe(q->options, b, sizeof b);
    snprintf(what, sizeof what, "strategy.%s", p->kind->name);
    text(d, NULL, what, a, b, 0);
  }
  integer(d, NULL, "strategy.batch", p->batch, q->batch, 0);
  if (p->initial_design != q->initial_design)
    note(d, 0, "strategy.initial.design: %s -> %s", invdes_design_kind_name(p->initial_design),
         invdes_design_kind_name(q->initial_design));
  integer(d, NULL, "strategy.initial.count", p->initial_count, q->initial_count, 0);
}

invdes_status invdes_store_campaign_diff(const invdes_campaign *a, const invdes_campaign *b,
                                         invdes_error *changes) {
  diff d = {changes, 0};
  text(&d, NULL, "name", a->name, b->name, 0);
  text(&d, NULL, "description", a->description, b->description, 1);
  if (a->seed != b->seed)
    note(&d, 0, "seed: %" PRIu64 " -> %" PRIu64, a->seed, b->seed);
  params(&d, a, b);
  compositions(&d, a, b);
  if (a->n_constraints != b->n_constraints)
    note(&d, 0, "constraints: %zu -> %zu", a->n_constraints, b->n_constraints);
  for (size_t i = 0; i < a->n_constraints && i < b->n_constraints; i++) {
    char w[64];
    snprintf(w, sizeof w, "constraint %zu", i + 1);
    text(&d, NULL, w, a->constraints[i].text, b->constraints[i].text, 0);
    real(&d, w, "tolerance", a->constraints[i].tol, b->constraints[i].tol, 0);
  }
  targets(&d, a, b);
  if (!a->pool != !b->pool) {
    note(&d, 0, "pool: %s -> %s", a->pool ? "a candidate table" : "none",
         b->pool ? "a candidate table" : "none");
  } else if (a->pool) {
    text(&d, NULL, "pool.file", a->pool->file, b->pool->file, 0);
    text(&d, NULL, "pool.id", a->pool->id_column, b->pool->id_column, 0);
    texts(&d, NULL, "pool.features", a->pool->features, a->pool->n_features, b->pool->features,
          b->pool->n_features);
  }
  objective(&d, &a->objective, &b->objective);
  strategy(&d, &a->strategy, &b->strategy);
  /* A kind that uses the budget (lhs cuts its strata by it) makes different
   * proposals under a new budget: not harmless there. */
  integer(&d, NULL, "budget.evaluations", a->budget.evaluations, b->budget.evaluations,
          !(b->strategy.kind && (b->strategy.kind->flags & INVDES_STRATEGY_USES_BUDGET)));
  char wa[512], wb[512];
  invdes_stop_when_describe(a->targets, a->n_targets, a->budget.stop_when_satisfied,
                            a->budget.stop_levels, wa, sizeof wa);
  invdes_stop_when_describe(b->targets, b->n_targets, b->budget.stop_when_satisfied,
                            b->budget.stop_levels, wb, sizeof wb);
  text(&d, NULL, "budget.stop_when", wa, wb, 1);
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

/* The targets' references as c has them (the one target field a campaign
 * may change in place). Inside the caller's transaction. */
static invdes_status update_references(invdes_store *s, const invdes_campaign *c,
                                       invdes_error *err) {
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(s->db, "UPDATE targets SET reference = ?1 WHERE position = ?2", -1, &st,
                         NULL) != SQLITE_OK)
    return store_db_error(s, err, "updating the targets' references");
  invdes_status status = INVDES_OK;
  for (size_t i = 0; status == INVDES_OK && i < c->n_targets && i < s->n_targets; i++) {
    sqlite3_reset(st);
    store_bind_real(st, 1, invdes_goal_is_objective(c->targets[i].goal) ? c->targets[i].reference
                                                                         : NAN);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
    status = store_step_done(s, st, err, "updating the targets' references");
  }
  sqlite3_finalize(st);
  return status;
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
  if (status == INVDES_OK) status = update_references(s, c, sum);
  if (status == INVDES_OK)
    status = invdes_store_event(s, "campaign_changed", 0, sum->message, NULL, 0, sum);
  status = store_txn_end(s, status, sum);
  if (status != INVDES_OK) {
    free(text_copy);
    return status;
  }
  for (size_t i = 0; i < c->n_targets && i < s->n_targets; i++)
    s->targets[i].reference =
        invdes_goal_is_objective(c->targets[i].goal) ? c->targets[i].reference : NAN;
  free(s->text);
  s->text = text_copy;
  memcpy(s->sha256, hash, sizeof hash);
  return INVDES_OK;
}
