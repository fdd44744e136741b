/* campaign_run.c — the campaign sections that say how a campaign runs:
 * `objective`, `strategy` and `budget`. Each is read into its spec with its
 * defaults and checked on its own: kinds (with suggestions), the fields that
 * belong to each kind, ranges. Whether a builtin fits the number of variables,
 * whether a command can run and whether the budget covers the initial design
 * need other sections and are checked in campaign_check.c. */
#include "campaign_read.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *const objective_keys[] = {"kind", "name", "shift", "noise", "command",
                                             "timeout", "parallel", "file", "model", NULL};
static const char *const objective_kinds[] = {"builtin", "command", "dataset", "station", NULL};

/* Which objective keys belong to which kind (index by invdes_objective_kind). */
static const char *const objective_kind_keys[][5] = {
    {"name", "shift", "noise", NULL},
    {"command", "timeout", "parallel", NULL},
    {"file", "model", NULL},
    {NULL},
};

static int kind_has_key(int kind, const char *key) {
  for (size_t i = 0; objective_kind_keys[kind][i]; i++)
    if (strcmp(objective_kind_keys[kind][i], key) == 0) return 1;
  return 0;
}

/* Splits a command written as one string at blanks (no shell quoting). */
static int split_command(invdes_cload *L, const char *s, invdes_objective_spec *o) {
  size_t n = 0;
  for (const char *p = s; *p;) {
    while (*p && isspace((unsigned char)*p)) p++;
    if (!*p) break;
    n++;
    while (*p && !isspace((unsigned char)*p)) p++;
  }
  o->argv = calloc(n + 1, sizeof *o->argv);
  if (!o->argv) return invdes_cload_nomem(L), 0;
  for (const char *p = s; *p;) {
    while (*p && isspace((unsigned char)*p)) p++;
    if (!*p) break;
    const char *b = p;
    while (*p && !isspace((unsigned char)*p)) p++;
    if (!(o->argv[o->argc] = strndup(b, (size_t)(p - b)))) return invdes_cload_nomem(L), 0;
    o->argc++;
  }
  return 1;
}

static void read_command(invdes_cload *L, const invdes_ynode *cmd, invdes_objective_spec *o) {
  if (cmd->kind == INVDES_YNODE_SCALAR && !invdes_ynode_is_null(cmd)) {
    split_command(L, cmd->text, o);
  } else if (cmd->kind == INVDES_YNODE_SEQUENCE) {
    o->argv = calloc(cmd->n + 1, sizeof *o->argv);
    if (!o->argv) { invdes_cload_nomem(L); return; }
    for (size_t i = 0; i < cmd->n; i++) {
      const char *s;
      if (!invdes_cload_string(L, cmd->items[i], "a command argument", &s)) return;
      if (!(o->argv[o->argc] = invdes_cload_strdup(L, s))) return;
      o->argc++;
    }
  } else {
    invdes_cload_error(L, cmd, INVDES_ERR_INVALID,
                       "'command' must be a list such as [python3, simulate.py], not %s",
                       invdes_ynode_kind_noun(cmd));
    return;
  }
  if (o->argc == 0)
    invdes_cload_error(L, cmd, INVDES_ERR_INVALID, "'command' is empty: name a program to run");
}

void invdes_cload_objective(invdes_cload *L, const invdes_ynode *n) {
  invdes_objective_spec *o = &L->c->objective;
  o->parallel = 1;
  if (!n) return; /* reported as missing by the caller */
  o->mark = invdes_cload_mark(n);
  if (!invdes_cload_expect_mapping(L, n, "'objective'")) return;
  invdes_cload_keys(L, n, "objective", objective_keys);
  const invdes_ynode *k = invdes_cload_get(n, "kind");
  if (!k) {
    invdes_cload_error(L, L->section_key ? L->section_key : n, INVDES_ERR_INVALID,
                       "'objective' has no 'kind' (builtin, command, dataset or station)");
    return;
  }
  int kind = invdes_cload_choice(L, k, "objective kind", objective_kinds);
  if (kind < 0) return;
  o->kind = (invdes_objective_kind)kind;
  for (size_t i = 0; i < n->n; i++) {
    const char *key = n->keys[i]->text;
    int known = 0;
    for (size_t j = 0; objective_keys[j]; j++) known |= strcmp(objective_keys[j], key) == 0;
    if (known && strcmp(key, "kind") != 0 && !kind_has_key(kind, key))
      invdes_cload_error(L, n->keys[i], INVDES_ERR_INVALID,
                         "'%s' does not apply to objective kind '%s'", key,
                         objective_kinds[kind]);
  }
  const invdes_ynode *v;
  const char *s;
  switch (o->kind) {
  case INVDES_OBJECTIVE_BUILTIN:
    v = invdes_cload_get(n, "name");
    if (!v)
      invdes_cload_error(L, L->section_key ? L->section_key : n, INVDES_ERR_INVALID,
                         "a builtin objective needs 'name' (a function such as hartmann6)");
    else if (invdes_cload_string(L, v, "'name'", &s))
      o->name = invdes_cload_strdup(L, s);
    if ((v = invdes_cload_get(n, "shift")) && invdes_cload_expect_list(L, v, "'shift'") && v->n) {
      if (!(o->shift = calloc(v->n, sizeof *o->shift))) { invdes_cload_nomem(L); return; }
      o->n_shift = v->n;
      for (size_t i = 0; i < v->n; i++)
        invdes_cload_number(L, v->items[i], "a 'shift' entry", &o->shift[i]);
    }
    if ((v = invdes_cload_get(n, "noise")) &&
        invdes_cload_number(L, v, "'noise'", &o->noise_sd) && o->noise_sd < 0)
      invdes_cload_error(L, v, INVDES_ERR_INVALID,
                         "'noise' is a standard deviation and must be 0 or more, not %g",
                         o->noise_sd);
    break;
  case INVDES_OBJECTIVE_COMMAND:
    v = invdes_cload_get(n, "command");
    if (!v)
      invdes_cload_error(L, L->section_key ? L->section_key : n, INVDES_ERR_INVALID,
                         "a command objective needs 'command' (e.g. [python3, simulate.py])");
    else
      read_command(L, v, o);
    if ((v = invdes_cload_get(n, "timeout")) &&
        invdes_cload_number(L, v, "'timeout'", &o->timeout) && o->timeout < 0)
      invdes_cload_error(L, v, INVDES_ERR_INVALID,
                         "'timeout' is in seconds and must be 0 (none) or more, not %g",
                         o->timeout);
    if ((v = invdes_cload_get(n, "parallel")))
      invdes_cload_int(L, v, "'parallel'", 1, 4096, &o->parallel);
    break;
  case INVDES_OBJECTIVE_DATASET:
    if ((v = invdes_cload_get(n, "file")) && invdes_cload_string(L, v, "'file'", &s))
      o->file = invdes_cload_strdup(L, s);
    if ((v = invdes_cload_get(n, "model"))) {
      static const char *const models[] = {"gp", "rf", NULL};
      int m = invdes_cload_choice(L, v, "data-set model", models);
      if (m >= 0) o->model = invdes_cload_strdup(L, models[m]);
    }
    break;
  case INVDES_OBJECTIVE_STATION:
    break;
  }
}

static const char *const strategy_keys[] = {"kind", "surrogate", "kernel", "acquisition",
                                            "batch", "initial", "pso", "ga", NULL};
static const char *const strategy_kinds[] = {"bo", "pso", "ga", "random", "sobol", "lhs", NULL};
static const char *const surrogates[] = {"gp", "rf", NULL};
static const char *const kernels[] = {"matern52", "sqexp", NULL};
static const char *const acquisitions[] = {"ei", "logei", "ucb", "pi", NULL};
static const char *const designs[] = {"random", "sobol", "lhs", NULL};

static void read_initial(invdes_cload *L, const invdes_ynode *n, invdes_strategy_spec *s) {
  static const char *const keys[] = {"design", "count", NULL};
  if (!invdes_cload_expect_mapping(L, n, "'initial'")) return;
  invdes_cload_keys(L, n, "strategy.initial", keys);
  const invdes_ynode *v;
  if ((v = invdes_cload_get(n, "design"))) {
    int d = invdes_cload_choice(L, v, "initial design", designs);
    if (d >= 0) s->initial_design = (invdes_design_kind)d;
  }
  if ((v = invdes_cload_get(n, "count")) &&
      invdes_cload_int(L, v, "'count'", 0, 100000000, &s->initial_count))
    L->initial_count_given = 1;
}

static void read_pso(invdes_cload *L, const invdes_ynode *n, invdes_strategy_spec *s) {
  static const char *const keys[] = {"swarm", "inertia", "c1", "c2", NULL};
  if (!invdes_cload_expect_mapping(L, n, "'pso'")) return;
  invdes_cload_keys(L, n, "strategy.pso", keys);
  const invdes_ynode *v;
  if ((v = invdes_cload_get(n, "swarm"))) invdes_cload_int(L, v, "'swarm'", 2, 1000000, &s->pso.swarm);
  if ((v = invdes_cload_get(n, "inertia")) && invdes_cload_number(L, v, "'inertia'", &s->pso.inertia) &&
      (s->pso.inertia < 0 || s->pso.inertia >= 1))
    invdes_cload_error(L, v, INVDES_ERR_INVALID, "'inertia' must be in [0, 1), not %g", s->pso.inertia);
  if ((v = invdes_cload_get(n, "c1")) && invdes_cload_number(L, v, "'c1'", &s->pso.c1) && s->pso.c1 < 0)
    invdes_cload_error(L, v, INVDES_ERR_INVALID, "'c1' must be 0 or more, not %g", s->pso.c1);
  if ((v = invdes_cload_get(n, "c2")) && invdes_cload_number(L, v, "'c2'", &s->pso.c2) && s->pso.c2 < 0)
    invdes_cload_error(L, v, INVDES_ERR_INVALID, "'c2' must be 0 or more, not %g", s->pso.c2);
}

static void read_ga(invdes_cload *L, const invdes_ynode *n, invdes_strategy_spec *s) {
  static const char *const keys[] = {"population", "crossover", "mutation", NULL};
  if (!invdes_cload_expect_mapping(L, n, "'ga'")) return;
  invdes_cload_keys(L, n, "strategy.ga", keys);
  const invdes_ynode *v;
  if ((v = invdes_cload_get(n, "population")))
    invdes_cload_int(L, v, "'population'", 2, 1000000, &s->ga.population);
  if ((v = invdes_cload_get(n, "crossover")) &&
      invdes_cload_number(L, v, "'crossover'", &s->ga.crossover) &&
      (s->ga.crossover < 0 || s->ga.crossover > 1))
    invdes_cload_error(L, v, INVDES_ERR_INVALID, "'crossover' is a probability in [0, 1], not %g",
                       s->ga.crossover);
  if ((v = invdes_cload_get(n, "mutation")) &&
      invdes_cload_number(L, v, "'mutation'", &s->ga.mutation) &&
      (s->ga.mutation < 0 || s->ga.mutation > 1))
    invdes_cload_error(L, v, INVDES_ERR_INVALID, "'mutation' is a probability in [0, 1], not %g",
                       s->ga.mutation);
}

/* Refuses a strategy key that belongs to another kind. */
static void only_for(invdes_cload *L, const invdes_ynode *n, const char *key, const char *kinds,
                     int applies, const char *kind) {
  const invdes_ynode *k = invdes_cload_key_node(n, key);
  if (k && !applies)
    invdes_cload_error(L, k, INVDES_ERR_INVALID, "'%s' applies to strategy kind %s only, not '%s'",
                       key, kinds, kind);
}

void invdes_cload_strategy(invdes_cload *L, const invdes_ynode *n) {
  invdes_strategy_spec *s = &L->c->strategy;
  s->kind = INVDES_STRATEGY_BO;
  s->surrogate = INVDES_SURROGATE_GP;
  s->kernel = INVDES_KERNEL_MATERN52;
  s->acquisition = INVDES_ACQ_EI;
  s->batch = 1;
  s->initial_design = INVDES_DESIGN_SOBOL;
  s->initial_count = 0;
  s->pso.swarm = 24;
  s->pso.inertia = 0.72;
  s->pso.c1 = 1.49;
  s->pso.c2 = 1.49;
  s->ga.population = 40;
  s->ga.crossover = 0.9;
  s->ga.mutation = 0.1;
  if (!n || invdes_ynode_is_null(n)) return;
  s->mark = invdes_cload_mark(n);
  if (!invdes_cload_expect_mapping(L, n, "'strategy'")) return;
  invdes_cload_keys(L, n, "strategy", strategy_keys);
  const invdes_ynode *v;
  if ((v = invdes_cload_get(n, "kind"))) {
    int k = invdes_cload_choice(L, v, "strategy kind", strategy_kinds);
    if (k < 0) return;
    s->kind = (invdes_strategy_kind)k;
  }
  const char *kn = strategy_kinds[s->kind];
  int bo = s->kind == INVDES_STRATEGY_BO;
  only_for(L, n, "surrogate", "'bo'", bo, kn);
  only_for(L, n, "kernel", "'bo'", bo, kn);
  only_for(L, n, "acquisition", "'bo'", bo, kn);
  only_for(L, n, "pso", "'pso'", s->kind == INVDES_STRATEGY_PSO, kn);
  only_for(L, n, "ga", "'ga'", s->kind == INVDES_STRATEGY_GA, kn);
  if (bo && (v = invdes_cload_get(n, "surrogate"))) {
    int k = invdes_cload_choice(L, v, "surrogate", surrogates);
    if (k >= 0) s->surrogate = (invdes_surrogate_kind)k;
  }
  if (bo && (v = invdes_cload_get(n, "kernel"))) {
    int k = invdes_cload_choice(L, v, "kernel", kernels);
    if (k >= 0) s->kernel = (invdes_kernel_kind)k;
    if (s->surrogate != INVDES_SURROGATE_GP)
      invdes_cload_error(L, invdes_cload_key_node(n, "kernel"), INVDES_ERR_INVALID,
                         "'kernel' applies to the gp surrogate only");
  }
  if (bo && (v = invdes_cload_get(n, "acquisition"))) {
    int k = invdes_cload_choice(L, v, "acquisition", acquisitions);
    if (k >= 0) s->acquisition = (invdes_acquisition_kind)k;
  }
  if ((v = invdes_cload_get(n, "batch"))) invdes_cload_int(L, v, "'batch'", 1, 1000000, &s->batch);
  if ((v = invdes_cload_get(n, "initial"))) read_initial(L, v, s);
  if (s->kind == INVDES_STRATEGY_PSO && (v = invdes_cload_get(n, "pso"))) read_pso(L, v, s);
  if (s->kind == INVDES_STRATEGY_GA && (v = invdes_cload_get(n, "ga"))) read_ga(L, v, s);
}

void invdes_cload_budget(invdes_cload *L, const invdes_ynode *n) {
  static const char *const keys[] = {"evaluations", "stop_when", NULL};
  invdes_budget *b = &L->c->budget;
  if (!n) return; /* reported as missing by the caller */
  b->mark = invdes_cload_mark(n);
  if (!invdes_cload_expect_mapping(L, n, "'budget'")) return;
  invdes_cload_keys(L, n, "budget", keys);
  const invdes_ynode *v = invdes_cload_get(n, "evaluations");
  if (!v)
    invdes_cload_error(L, L->section_key ? L->section_key : n, INVDES_ERR_INVALID,
                       "'budget' has no 'evaluations' (how many results to collect)");
  else
    invdes_cload_int(L, v, "'evaluations'", 1, 100000000, &b->evaluations);
  if ((v = invdes_cload_get(n, "stop_when"))) {
    static const char *const whens[] = {"satisfied", "never", NULL};
    int w = invdes_cload_choice(L, v, "stop_when condition", whens);
    b->stop_when_satisfied = w == 0;
  }
}
