/* campaign_check.c — checks of a campaign that need several sections at once:
 * something to vary (and not both a pool and parameters), names unique across
 * parameters, components, groups and targets and distinct from the columns
 * an export adds (id, status, <target>_sd, ...), the objective against the space
 * (a builtin's dimension, an executable command, a data set's columns), and
 * the strategy's defaults and limits against the budget.
 *
 * Runs after every section was read, so the sections' own mistakes are already
 * reported; entries that failed to read (NULL names) are skipped here. */
#include "campaign_pool.h"
#include "strategy_type.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "builtin.h"

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

/* Finds argv[0]: with a '/', relative to the campaign's folder; without one,
 * on PATH, then in the campaign's folder. Returns a path the caller frees
 * (NULL when nothing executable is found or out of memory). */
static char *find_program(invdes_cload *L, const char *prog) {
  struct stat st;
  if (strchr(prog, '/')) {
    char *p = invdes_cload_resolve(L, prog);
    if (p && (stat(p, &st) != 0 || !S_ISREG(st.st_mode) || access(p, X_OK) != 0)) {
      free(p);
      return NULL;
    }
    return p;
  }
  const char *path = getenv("PATH");
  if (!path || !*path) path = "/usr/bin:/bin";
  while (*path) {
    const char *end = strchr(path, ':');
    size_t len = end ? (size_t)(end - path) : strlen(path);
    size_t n = len + strlen(prog) + 3;
    char *cand = malloc(n);
    if (!cand) return invdes_cload_nomem(L);
    snprintf(cand, n, "%.*s/%s", (int)(len ? len : 1), len ? path : ".", prog);
    if (stat(cand, &st) == 0 && S_ISREG(st.st_mode) && access(cand, X_OK) == 0) return cand;
    free(cand);
    path += len + (end != NULL);
  }
  char *p = invdes_cload_resolve(L, prog);
  if (p && (stat(p, &st) != 0 || !S_ISREG(st.st_mode) || access(p, X_OK) != 0)) {
    free(p);
    return NULL;
  }
  return p;
}

static const invdes_ynode *path_node(const invdes_ynode *root, const char *a, const char *b) {
  const invdes_ynode *n = invdes_cload_get(root, a);
  return b ? invdes_cload_get(n, b) : n;
}

static void check_builtin(invdes_cload *L, const invdes_ynode *root) {
  invdes_campaign *c = L->c;
  invdes_objective_spec *o = &c->objective;
  const invdes_ynode *nn = path_node(root, "objective", "name");
  if (!o->name) return;
  const invdes_builtin *b = invdes_builtin_find(o->name);
  if (!b) {
    size_t n = invdes_builtin_count();
    const char **names = calloc(n + 1, sizeof *names);
    if (!names) { invdes_cload_nomem(L); return; }
    char list[300] = "";
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
      names[i] = invdes_builtin_at(i)->name;
      int k = snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", names[i]);
      if (k > 0 && used + (size_t)k < sizeof list) used += (size_t)k;
    }
    const char *s = invdes_cload_suggest(o->name, names);
    if (s)
      invdes_cload_error(L, nn, INVDES_ERR_INVALID,
                         "unknown builtin objective '%s'; did you mean '%s'? (%s)", o->name, s, list);
    else
      invdes_cload_error(L, nn, INVDES_ERR_INVALID, "unknown builtin objective '%s' (one of: %s)",
                         o->name, list);
    free(names);
    return;
  }
  size_t d = invdes_campaign_n_vars(c);
  if (c->pool) {
    invdes_cload_error(L, path_node(root, "objective", "kind"), INVDES_ERR_INVALID,
                       "a builtin objective evaluates a parameter space, not a pool; use "
                       "kind dataset, command or station with 'pool'");
    return;
  }
  if (d > 0 && !invdes_builtin_accepts(b, d)) {
    if (b->dim)
      invdes_cload_error(L, nn, INVDES_ERR_INVALID,
                         "builtin '%s' takes exactly %zu variables, but the campaign has %zu",
                         b->name, b->dim, d);
    else
      invdes_cload_error(L, nn, INVDES_ERR_INVALID,
                         "builtin '%s' takes at least %zu variables, but the campaign has %zu",
                         b->name, b->min_dim, d);
  }
  if (o->n_shift && o->n_shift != d)
    invdes_cload_error(L, path_node(root, "objective", "shift"), INVDES_ERR_INVALID,
                       "'shift' has %zu values but the campaign has %zu variables", o->n_shift, d);
  if (c->n_targets > 1)
    invdes_cload_error_at(L, c->targets[1].mark.line, c->targets[1].mark.column,
                          INVDES_ERR_INVALID,
                          "a builtin objective gives one value, so the campaign takes one "
                          "target, not %zu", c->n_targets);
}

static void check_command(invdes_cload *L, const invdes_ynode *root) {
  invdes_objective_spec *o = &L->c->objective;
  if (o->argc == 0) return;
  char *p = find_program(L, o->argv[0]);
  if (!p) {
    if (!L->nomem)
      invdes_cload_error(L, path_node(root, "objective", "command"), INVDES_ERR_INVALID,
                         strchr(o->argv[0], '/')
                             ? "command '%s' is not an executable file (paths are relative to "
                               "the campaign's folder)"
                             : "command '%s' is not an executable found on PATH or in the "
                               "campaign's folder",
                         o->argv[0]);
    return;
  }
  free(o->argv[0]);
  o->argv[0] = p;
}

/* A data set over a parameter space: every variable and target is a column. */
static void check_dataset(invdes_cload *L, const invdes_ynode *root) {
  invdes_campaign *c = L->c;
  invdes_objective_spec *o = &c->objective;
  const invdes_ynode *on = invdes_cload_get(root, "objective");
  if (c->pool) {
    const invdes_ynode *m = invdes_cload_key_node(on, "model");
    if (m)
      invdes_cload_error(L, m, INVDES_ERR_INVALID, "'model' is for a data set over a parameter "
                         "space; a pool's candidates are looked up directly");
    if (o->file) {
      char *p = invdes_cload_resolve(L, o->file);
      if (p && c->pool->path && strcmp(p, c->pool->path) != 0)
        invdes_cload_error(L, invdes_cload_get(on, "file"), INVDES_ERR_INVALID,
                           "with a pool, a dataset objective reads the pool's own file (%s); "
                           "leave 'file' out", c->pool->file);
      free(o->file);
      o->file = p;
    }
    return;
  }
  const invdes_ynode *fn = invdes_cload_get(on, "file");
  if (!o->file) {
    if (!fn)
      invdes_cload_error(L, invdes_cload_key_node(root, "objective"), INVDES_ERR_INVALID,
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
  for (size_t i = 0; i < c->n_params; i++) {
    const invdes_param *pa = &c->params[i];
    if (!pa->name) continue;
    invdes_ynode at = {.line = pa->mark.line, .column = pa->mark.column};
    long j = invdes_cload_column(L, &at, t, pa->name, "parameter");
    if (j >= 0 && pa->type != INVDES_PARAM_CATEGORICAL)
      invdes_cload_numeric(L, &at, t, (size_t)j, "parameter", NULL);
  }
  for (size_t g = 0; g < c->n_compositions; g++)
    for (size_t i = 0; i < c->compositions[g].n_components; i++) {
      const invdes_component *k = &c->compositions[g].components[i];
      if (!k->name) continue;
      invdes_ynode at = {.line = k->mark.line, .column = k->mark.column};
      long j = invdes_cload_column(L, &at, t, k->name, "component");
      if (j >= 0) invdes_cload_numeric(L, &at, t, (size_t)j, "component", NULL);
    }
  for (size_t i = 0; i < c->n_targets; i++) {
    const invdes_target *tg = &c->targets[i];
    if (!tg->name) continue;
    invdes_ynode at = {.line = tg->mark.line, .column = tg->mark.column};
    long j = invdes_cload_column(L, &at, t, tg->name, "target");
    if (j >= 0) invdes_cload_numeric(L, &at, t, (size_t)j, "target", NULL);
  }
  invdes_table_free(t);
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
  if (!invdes_cload_get(root, "objective")) return; /* reported by the caller */
  switch (c->objective.kind) {
  case INVDES_OBJECTIVE_BUILTIN: check_builtin(L, root); break;
  case INVDES_OBJECTIVE_COMMAND: check_command(L, root); break;
  case INVDES_OBJECTIVE_DATASET: check_dataset(L, root); break;
  case INVDES_OBJECTIVE_STATION: break;
  }
  check_strategy(L, root);
}
