/* campaign_run.c — the campaign sections that say how a campaign runs:
 * `strategy` and `budget` (the `objective` section is read through the
 * objective kinds' tables, objectives/objective.c). Each is read into its
 * spec with its defaults and checked on its own: kinds (with suggestions),
 * the fields that belong to each kind, ranges. Whether the budget covers the
 * initial design needs other sections and is checked in campaign_check.c. */
#include "campaign_read.h"

#include <stdlib.h>
#include <string.h>

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
