/* campaign_check.c — checks of a campaign that need several sections at once:
 * something to vary (and not both a pool and parameters), names unique across
 * parameters, components, groups and targets and distinct from the columns
 * an export adds (id, status, <target>_sd, ...), the objective against the rest
 * of the campaign (its kind's check, objectives/objective.h: a builtin's
 * dimension, an executable command, a data set's columns), and the
 * strategy's defaults and limits against the budget.
 *
 * Runs after every section was read, so the sections' own mistakes are already
 * reported; entries that failed to read (NULL names) are skipped here. */
#include "campaign_pool.h"
#include "campaign_read.h"
#include "strategy_type.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "objective.h"
#include "target.h"

/* A name in the campaign with where it was written. */
typedef struct named {
  const char *name;
  invdes_mark mark;
  const char *what;
} named;

/* Columns every export has (report.h); a variable or target of the same name
 * would make two columns with one header. */
static const char *const export_columns[] = {
    "id", "batch", "status", "acquisition", "strategy", "station", "reason",
    "created", "updated"};
/* Columns derived from each target's name. */
static const char *const target_suffixes[] = {"_sd", "_pred_mean", "_pred_sd"};

/* Reports a name that an export would use twice. */
static void check_export_clash(invdes_cload *L, const named *n) {
  for (size_t i = 0; i < sizeof export_columns / sizeof export_columns[0]; i++)
    if (strcmp(n->name, export_columns[i]) == 0) {
      invdes_cload_error_at(L, n->mark.line, n->mark.column, INVDES_ERR_INVALID,
                            "name '%s' is reserved: exports have a column '%s' of their own",
                            n->name, n->name);
      return;
    }
  const invdes_campaign *c = L->c;
  for (size_t t = 0; t < c->n_targets; t++) {
    const char *tn = c->targets[t].name;
    size_t len = tn ? strlen(tn) : 0;
    if (!tn || strncmp(n->name, tn, len) != 0) continue;
    for (size_t k = 0; k < sizeof target_suffixes / sizeof target_suffixes[0]; k++)
      if (strcmp(n->name + len, target_suffixes[k]) == 0) {
        invdes_cload_error_at(L, n->mark.line, n->mark.column, INVDES_ERR_INVALID,
                              "name '%s' is reserved: exports name target '%s''s column "
                              "'%s' so", n->name, tn, n->name);
        return;
      }
  }
}

static void unique_names(invdes_cload *L) {
  const invdes_campaign *c = L->c;
  size_t n = c->n_params + c->n_compositions + c->n_targets;
  for (size_t g = 0; g < c->n_compositions; g++) n += c->compositions[g].n_components;
  named *all = calloc(n ? n : 1, sizeof *all);
  if (!all) { invdes_cload_nomem(L); return; }
  size_t k = 0;
  for (size_t i = 0; i < c->n_params; i++)
    all[k++] = (named){c->params[i].name, c->params[i].mark, "parameter"};
  for (size_t g = 0; g < c->n_compositions; g++) {
    const invdes_composition *cg = &c->compositions[g];
    all[k++] = (named){cg->name, cg->mark, "composition"};
    for (size_t i = 0; i < cg->n_components; i++)
      all[k++] = (named){cg->components[i].name, cg->components[i].mark, "component"};
  }
  for (size_t i = 0; i < c->n_targets; i++)
    all[k++] = (named){c->targets[i].name, c->targets[i].mark, "target"};
  for (size_t i = 0; i < k; i++)
    if (all[i].name && strcmp(all[i].what, "composition") != 0) check_export_clash(L, &all[i]);
  for (size_t i = 1; i < k; i++) {
    if (!all[i].name) continue;
    for (size_t j = 0; j < i; j++)
      if (all[j].name && strcmp(all[i].name, all[j].name) == 0) {
        invdes_cload_error_at(L, all[i].mark.line, all[i].mark.column, INVDES_ERR_INVALID,
                              "name '%s' is used twice: this %s and the %s at line %d, "
                              "column %d", all[i].name, all[i].what, all[j].what,
                              all[j].mark.line, all[j].mark.column);
        break;
      }
  }
  free(all);
}

static const invdes_ynode *path_node(const invdes_ynode *root, const char *a, const char *b) {
  const invdes_ynode *n = invdes_cload_get(root, a);
  return b ? invdes_cload_get(n, b) : n;
}

/* "strategy kind 'pso' follows one objective ...; use bo or ga, ...": the
 * kinds that take several, from the registry. */
static void one_objective_refused(invdes_cload *L, const invdes_ynode *at, const char *kind) {
  char kinds[200] = "";
  size_t len = 0, n = 0;
  const invdes_strategy_type *t;
  for (size_t i = 0; (t = invdes_strategy_type_at(i)) && len < sizeof kinds; i++)
    if (t->flags & INVDES_STRATEGY_SEVERAL_OBJECTIVES)
      len += (size_t)snprintf(kinds + len, sizeof kinds - len, "%s%s", n++ ? " or " : "", t->name);
  invdes_cload_error(L, at, INVDES_ERR_INVALID,
                     "strategy kind '%s' follows one objective, and this campaign has several "
                     "(two or more maximize/minimize targets without 'weight'); use %s, or give "
                     "each objective a 'weight' to optimize their weighted sum", kind, kinds);
}

static void check_strategy(invdes_cload *L, const invdes_ynode *root) {
  invdes_campaign *c = L->c;
  invdes_strategy_spec *s = &c->strategy;
  int budget = c->budget.evaluations;
  const invdes_ynode *cn = invdes_cload_get(path_node(root, "strategy", "initial"), "count");
  if (c->pool && !(s->kind->flags & INVDES_STRATEGY_POOL)) {
    char kinds[200] = "";
    size_t len = 0, n_pool = 0, n_done = 0;
    const invdes_strategy_type *t;
    for (size_t i = 0; (t = invdes_strategy_type_at(i)); i++) n_pool += !!(t->flags & INVDES_STRATEGY_POOL);
    for (size_t i = 0; (t = invdes_strategy_type_at(i)) && len < sizeof kinds; i++)
      if (t->flags & INVDES_STRATEGY_POOL)
        len += (size_t)snprintf(kinds + len, sizeof kinds - len, "%s%s",
                                !n_done++ ? "" : n_done == n_pool ? " or " : ", ", t->name);
    invdes_cload_error(L, path_node(root, "strategy", "kind"), INVDES_ERR_INVALID,
                       "strategy kind '%s' spreads points over a parameter space; a pool is "
                       "searched with %s", s->kind->name, kinds);
  }
  if ((s->kind->flags & INVDES_STRATEGY_ONE_OBJECTIVE) &&
      invdes_targets_pareto(c->targets, c->n_targets))
    one_objective_refused(L, path_node(root, "strategy", "kind"), s->kind->name);
  if (L->initial_count_given) {
    if (budget > 0 && s->initial_count > budget)
      invdes_cload_error(L, cn, INVDES_ERR_INVALID,
                         "the initial design (count %d) is larger than the budget "
                         "(evaluations %d)", s->initial_count, budget);
  } else if (s->kind->initial_default && budget > 0) {
    size_t d = c->pool ? c->pool->n_features : invdes_campaign_n_vars(c);
    s->initial_count = s->kind->initial_default(d, budget);
  }
  if (c->pool && budget > 0 && c->pool->n_rows > 0 && (size_t)budget > c->pool->n_rows)
    invdes_cload_error(L, path_node(root, "budget", "evaluations"), INVDES_ERR_INVALID,
                       "the budget (%d evaluations) exceeds the pool's %zu candidates",
                       budget, c->pool->n_rows);
}

/* 1 when key is missing, null or an empty list (other values have had their
 * own diagnostic). */
static int empty_or_absent(const invdes_ynode *root, const char *key) {
  const invdes_ynode *n = invdes_cload_get(root, key);
  return invdes_ynode_is_null(n) || (n->kind == INVDES_YNODE_SEQUENCE && n->n == 0);
}

void invdes_cload_cross_checks(invdes_cload *L, const invdes_ynode *root) {
  invdes_campaign *c = L->c;
  const invdes_ynode *pool = invdes_cload_key_node(root, "pool");
  if (c->pool && (c->n_params || c->n_compositions))
    invdes_cload_error(L, pool, INVDES_ERR_INVALID,
                       "'pool' searches a table of candidates and cannot be combined with "
                       "'parameters' or 'compositions'");
  if (!pool && !c->n_params && !c->n_compositions && empty_or_absent(root, "parameters") &&
      empty_or_absent(root, "compositions")) {
    const invdes_ynode *at = invdes_cload_key_node(root, "parameters");
    if (!at) at = invdes_cload_key_node(root, "compositions");
    invdes_cload_error(L, at ? at : root, INVDES_ERR_INVALID,
                       "nothing to vary: give 'parameters', 'compositions' or a 'pool'");
  }
  unique_names(L);
  if (L->nomem) return;
  if (!invdes_cload_get(root, "objective")) return; /* reported when read */
  invdes_cload_objective_check(L, root);
  check_strategy(L, root);
}
