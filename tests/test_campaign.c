/* test_campaign.c — the campaign loader as a user meets it.
 *
 * Every file in tests/campaigns/bad/ is one cmocka test: its first line reads
 * "# expect: LINE:COL: text", and loading it must fail with a diagnostic
 * "FILE:LINE:COL: ..." that contains the text (never a crash). The files in
 * tests/campaigns/good/ must load, and their typed fields are checked: what a
 * user wrote (and the documented defaults) is what the model holds. A few
 * in-memory campaigns check that several mistakes are reported in one go. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bo.h"
#include "campaign.h"
#include "evo.h"
#include "objective.h"
#include "space.h"

static const char *srcdir(void) {
  const char *s = getenv("top_srcdir");
  return s && *s ? s : ".";
}

/* --- bad campaigns, one test per file ------------------------------------ */

static void test_bad_file(void **state) {
  const char *path = *state;
  FILE *f = fopen(path, "r");
  assert_non_null(f);
  char first[512];
  assert_non_null(fgets(first, sizeof first, f));
  fclose(f);
  first[strcspn(first, "\n")] = '\0';
  int line = 0, col = 0, used = 0;
  assert_int_equal(sscanf(first, "# expect: %d:%d: %n", &line, &col, &used), 2);
  assert_true(used > 0);
  const char *want = first + used;

  invdes_error err;
  invdes_campaign *c = invdes_campaign_load(path, &err);
  if (c) {
    invdes_campaign_free(c);
    fail_msg("%s loaded, expected %d:%d: %s", path, line, col, want);
  }
  assert_int_not_equal(err.status, INVDES_OK);
  assert_true(err.count >= 1);
  char prefix[600];
  snprintf(prefix, sizeof prefix, "%s:%d:%d: ", path, line, col);
  /* One diagnostic (one line) must start with the prefix and hold the text. */
  int found = 0;
  for (const char *p = err.message; *p && !found;) {
    const char *end = strchr(p, '\n');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    char one[1200];
    snprintf(one, sizeof one, "%.*s", (int)len, p);
    found = strncmp(one, prefix, strlen(prefix)) == 0 && strstr(one, want) != NULL;
    p += len + (end != NULL);
  }
  if (!found) fail_msg("wanted \"%s%s\", got:\n%s", prefix, want, err.message);
}

static int by_name(const struct dirent **a, const struct dirent **b) {
  return strcmp((*a)->d_name, (*b)->d_name);
}

static int only_yaml(const struct dirent *d) {
  size_t n = strlen(d->d_name);
  return n > 5 && strcmp(d->d_name + n - 5, ".yaml") == 0;
}

static int run_bad_files(void) {
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/tests/campaigns/bad", srcdir());
  struct dirent **names;
  int n = scandir(dir, &names, only_yaml, by_name);
  if (n <= 0) {
    fprintf(stderr, "no bad campaigns found in %s\n", dir);
    return 1;
  }
  struct CMUnitTest *tests = calloc((size_t)n, sizeof *tests);
  char **paths = calloc((size_t)n, sizeof *paths);
  int failed = 1;
  if (tests && paths) {
    int ok = 1;
    for (int i = 0; i < n && ok; i++) {
      size_t len = strlen(dir) + strlen(names[i]->d_name) + 2;
      if (!(paths[i] = malloc(len))) { ok = 0; break; }
      snprintf(paths[i], len, "%s/%s", dir, names[i]->d_name);
      tests[i].name = names[i]->d_name;
      tests[i].test_func = test_bad_file;
      tests[i].initial_state = paths[i];
    }
    if (ok) failed = _cmocka_run_group_tests("bad campaigns", tests, (size_t)n, NULL, NULL);
  }
  for (int i = 0; i < n; i++) {
    if (paths) free(paths[i]);
    free(names[i]);
  }
  free(names);
  free(paths);
  free(tests);
  return failed;
}

/* --- good campaigns ------------------------------------------------------ */

static invdes_campaign *load_good(const char *name) {
  char path[4096];
  snprintf(path, sizeof path, "%s/tests/campaigns/good/%s", srcdir(), name);
  invdes_error err;
  invdes_campaign *c = invdes_campaign_load(path, &err);
  if (!c) fail_msg("%s did not load:\n%s", path, err.message);
  return c;
}

static void test_all_types(void **state) {
  (void)state;
  invdes_campaign *c = load_good("all_types.yaml");
  assert_string_equal(c->name, "ncm-cathode_v2");
  assert_string_equal(c->description,
                      "NCM cathode composition and sintering toward high capacity");
  assert_true(c->seed == 42);
  assert_non_null(strstr(c->text, "stop_when: satisfied"));
  assert_int_equal(c->text_len, strlen(c->text));

  assert_int_equal(c->n_params, 4);
  const invdes_param *p = c->params;
  assert_string_equal(p[0].name, "sinter_T");
  assert_int_equal(p[0].type, INVDES_PARAM_CONTINUOUS);
  assert_true(p[0].lo == 700 && p[0].hi == 950 && !p[0].log_scale);
  assert_string_equal(p[0].unit, "degC");
  assert_int_equal(p[0].mark.line, 8);
  assert_int_equal(p[0].mark.column, 5);
  assert_int_equal(p[1].type, INVDES_PARAM_INTEGER);
  assert_true(p[1].lo == 1 && p[1].hi == 64 && p[1].log_scale);
  assert_null(p[1].unit);
  assert_int_equal(p[2].type, INVDES_PARAM_DISCRETE);
  assert_int_equal(p[2].n_values, 5);
  const double want[] = {0.1, 0.2, 0.5, 1, 2}; /* sorted */
  for (int i = 0; i < 5; i++) assert_true(p[2].values[i] == want[i]);
  assert_true(p[2].lo == 0.1 && p[2].hi == 2);
  assert_int_equal(p[3].type, INVDES_PARAM_CATEGORICAL);
  assert_int_equal(p[3].n_values, 5);
  assert_string_equal(p[3].labels[0], "none");
  assert_string_equal(p[3].labels[4], "Zr");

  assert_int_equal(c->n_compositions, 1);
  const invdes_composition *g = &c->compositions[0];
  assert_string_equal(g->name, "tm");
  assert_true(g->total == 1.0);
  assert_int_equal(g->n_components, 3);
  assert_string_equal(g->components[0].name, "ni");
  assert_true(g->components[0].lo == 0.33 && g->components[0].hi == 0.95);
  assert_string_equal(g->components[2].name, "co");
  assert_int_equal(invdes_campaign_n_vars(c), 7);

  assert_int_equal(c->n_constraints, 3);
  assert_string_equal(c->constraints[0].text, "ni - 2*co >= 0");
  /* The mark points at the expression's first character, inside the quote. */
  assert_int_equal(c->constraints[0].mark.line, 33);
  assert_int_equal(c->constraints[0].mark.column, 6);
  assert_int_equal(c->constraints[1].mark.column, 5);
  assert_true(c->constraints[0].tol == 0);
  assert_string_equal(c->constraints[2].text, "mn + co == 1 - ni");
  assert_true(c->constraints[2].tol == 0.001);

  assert_int_equal(c->n_targets, 5);
  const invdes_target *t = c->targets;
  assert_int_equal(t[0].goal, INVDES_GOAL_MAXIMIZE);
  assert_true(t[0].weight == 2);
  assert_string_equal(t[0].unit, "mAh/g");
  assert_int_equal(t[1].goal, INVDES_GOAL_MINIMIZE);
  assert_true(t[1].weight == 1);
  assert_int_equal(t[2].goal, INVDES_GOAL_WINDOW);
  assert_true(t[2].lo == 3.6 && t[2].hi == 3.9);
  assert_int_equal(t[3].goal, INVDES_GOAL_BELOW);
  assert_true(t[3].threshold == -3.35);
  assert_int_equal(t[4].goal, INVDES_GOAL_ABOVE);
  assert_true(t[4].threshold == 0.8);
  assert_string_equal(invdes_goal_name(t[2].goal), "window");

  assert_string_equal(invdes_campaign_objective_kind(c), "station");
  assert_null(c->pool);
  const invdes_strategy_spec *s = &c->strategy;
  assert_ptr_equal(s->kind, invdes_strategy_kind_find("bo"));
  const invdes_bo_options *bo = s->options;
  assert_ptr_equal(bo->surrogate, invdes_surrogate_type_find("gp"));
  assert_int_equal(bo->kernel, INVDES_KERNEL_SQEXP);
  assert_int_equal(bo->acquisition, INVDES_ACQ_LOGEI);
  assert_int_equal(s->batch, 4);
  assert_int_equal(s->initial_design, INVDES_DESIGN_LHS);
  assert_int_equal(s->initial_count, 12);
  assert_int_equal(c->budget.evaluations, 120);
  assert_true(c->budget.stop_when_satisfied);
  invdes_campaign_free(c);
}

static void test_defaults(void **state) {
  (void)state;
  invdes_campaign *c = load_good("minimal.yaml");
  assert_true(c->seed == 0);
  assert_null(c->description);
  assert_ptr_equal(c->strategy.kind, invdes_strategy_kind_find("bo"));
  const invdes_bo_options *bo = c->strategy.options;
  assert_ptr_equal(bo->surrogate, invdes_surrogate_type_find("gp"));
  assert_int_equal(bo->kernel, INVDES_KERNEL_MATERN52);
  assert_int_equal(bo->acquisition, INVDES_ACQ_EI);
  assert_int_equal(c->strategy.batch, 1);
  assert_int_equal(c->strategy.initial_design, INVDES_DESIGN_SOBOL);
  assert_int_equal(c->strategy.initial_count, 6); /* max(5, 2*3) */
  assert_false(c->budget.stop_when_satisfied);
  assert_string_equal(c->dir + strlen(c->dir) - strlen("tests/campaigns/good"),
                      "tests/campaigns/good");
  invdes_campaign_free(c);

  /* The initial count is capped by the budget. */
  const char *text = "name: t\nparameters:\n"
                     "  - {name: a, type: continuous, bounds: [0, 1]}\n"
                     "targets: [{name: y, goal: maximize}]\n"
                     "objective: {kind: station}\nbudget: {evaluations: 3}\n";
  invdes_error err;
  c = invdes_campaign_parse("mem.yaml", text, strlen(text), &err);
  assert_non_null(c);
  assert_int_equal(c->strategy.initial_count, 3);
  assert_string_equal(c->dir, ".");
  invdes_campaign_free(c);
}

static void test_builtin(void **state) {
  (void)state;
  invdes_campaign *c = load_good("builtin.yaml");
  const invdes_objective *o = &c->objective;
  assert_string_equal(invdes_campaign_objective_kind(c), "builtin");
  assert_string_equal(invdes_objective_text(o, "name"), "hartmann6");
  size_t n_shift;
  const double *shift = invdes_objective_numbers(o, "shift", &n_shift);
  assert_int_equal(n_shift, 6);
  assert_true(shift[1] == -0.05 && shift[4] == 0.1);
  assert_true(invdes_objective_number(o, "noise") == 0.01);
  assert_true(c->seed == 7);
  assert_ptr_equal(c->strategy.kind, invdes_strategy_kind_find("pso"));
  const invdes_pso_options *pso = c->strategy.options;
  assert_int_equal(pso->swarm, 16);
  assert_true(pso->inertia == 0.6 && pso->c1 == 1.2 && pso->c2 == 1.8);
  assert_int_equal(c->strategy.initial_count, 12); /* 2 * 6 */
  invdes_campaign_free(c);
}

static void test_command(void **state) {
  (void)state;
  invdes_campaign *c = load_good("command.yaml");
  const invdes_objective *o = &c->objective;
  assert_string_equal(invdes_campaign_objective_kind(c), "command");
  size_t argc;
  char *const *argv = invdes_objective_texts(o, "command", &argc);
  assert_int_equal(argc, 3);
  assert_non_null(argv);
  assert_null(argv[3]);
  /* argv[0] is resolved on PATH to an absolute path. */
  assert_true(argv[0][0] == '/');
  assert_string_equal(argv[0] + strlen(argv[0]) - 3, "/sh");
  assert_string_equal(argv[1], "-c");
  assert_true(invdes_objective_number(o, "timeout") == 30);
  assert_true(invdes_objective_number(o, "parallel") == 2);
  /* A list of component names gives each the whole range. */
  const invdes_composition *g = &c->compositions[0];
  assert_int_equal(g->n_components, 3);
  assert_true(g->total == 100);
  assert_true(g->components[1].lo == 0 && g->components[1].hi == 100);
  assert_string_equal(g->components[2].name, "acetone");
  assert_ptr_equal(c->strategy.kind, invdes_strategy_kind_find("ga"));
  const invdes_ga_options *ga = c->strategy.options;
  assert_int_equal(ga->population, 20);
  assert_true(ga->crossover == 0.8 && ga->mutation == 0.2);
  assert_int_equal(c->strategy.initial_count, 3); /* max(5, 8) capped by budget 3 */
  invdes_campaign_free(c);
}

static void test_dataset(void **state) {
  (void)state;
  invdes_campaign *c = load_good("dataset.yaml");
  const invdes_objective *o = &c->objective;
  assert_string_equal(invdes_campaign_objective_kind(c), "dataset");
  assert_string_equal(invdes_objective_text(o, "model"), "gp");
  assert_non_null(strstr(invdes_objective_text(o, "file"),
                         "tests/campaigns/good/../../../campaigns/data/crossed_barrel/data.csv"));
  assert_ptr_equal(c->strategy.kind, invdes_strategy_kind_find("lhs"));
  assert_int_equal(c->strategy.batch, 8);
  assert_int_equal(c->strategy.initial_count, 0);
  invdes_campaign_free(c);
}

static void test_pool(void **state) {
  (void)state;
  invdes_campaign *c = load_good("pool.yaml");
  const invdes_pool *p = c->pool;
  assert_non_null(p);
  assert_string_equal(p->file, "../../../campaigns/data/redoxmers/pool.csv");
  assert_string_equal(p->id_column, "id");
  assert_int_equal(p->n_rows, 1408);
  /* Default features: numeric columns except the id and the three targets. */
  assert_int_equal(p->n_features, 25);
  assert_string_equal(p->features[0], "r1_nHetero");
  assert_string_equal(p->features[1], "r1_MW");
  assert_string_equal(p->ids[0], "R1_0-R3_0-R4_0-R5_0");
  assert_string_equal(p->ids[1], "R1_0-R3_0-R4_0-R5_1");
  assert_true(fabs(p->x[1] - 60.057514876) < 1e-12);
  assert_true(fabs(p->x[p->n_features + 19] - 70.003034692) < 1e-12); /* r5_MW */
  assert_int_equal(invdes_campaign_n_vars(c), 0);
  assert_null(invdes_objective_text(&c->objective, "model"));
  assert_int_equal(c->n_targets, 3);
  assert_ptr_equal(c->strategy.kind, invdes_strategy_kind_find("random"));
  invdes_campaign_free(c);

  c = load_good("pool_features.yaml");
  p = c->pool;
  assert_null(p->id_column);
  assert_int_equal(p->n_features, 3);
  assert_string_equal(p->ids[0], "1");
  assert_string_equal(p->ids[1407], "1408");
  assert_true(fabs(p->x[0] - 60.057514876) < 1e-12);
  assert_string_equal(invdes_campaign_objective_kind(c), "station");
  assert_int_equal(c->strategy.initial_count, 6);
  invdes_campaign_free(c);
}

/* --- several mistakes at once, and robustness ----------------------------- */

static void test_collects_several(void **state) {
  (void)state;
  const char *text = "name: t\n"
                     "parameters:\n"
                     "  - {name: a, type: continuous, bounds: [2, 1]}\n"
                     "  - {name: b, type: integr, bounds: [0, 5]}\n"
                     "targets: [{name: y, goal: window, window: [3, 1]}]\n"
                     "objective: {kind: station}\n"
                     "strategy: {batch: 0}\n"
                     "budget: {evaluations: 10}\n";
  invdes_error err;
  assert_null(invdes_campaign_parse("m.yaml", text, strlen(text), &err));
  assert_int_equal(err.count, 4);
  assert_non_null(strstr(err.message, "m.yaml:3:41: parameter 'a': bounds [2, 1] are reversed"));
  assert_non_null(strstr(err.message, "m.yaml:4:21: unknown parameter type 'integr'; "
                                      "did you mean 'integer'?"));
  assert_non_null(strstr(err.message, "m.yaml:5:43: target 'y': window [3, 1] is empty"));
  assert_non_null(strstr(err.message, "m.yaml:7:19: 'batch' must be a whole number"));
}

static void test_never_crashes(void **state) {
  (void)state;
  const char *texts[] = {
      "", "---\n", "[1, 2]", "just text", "name: [a\n", "\xff\xfe garbage",
      "name: x\nparameters: &p [*p]\n", "a: *nothing\n", "name: x\n---\nname: y\n",
      "name: x\nparameters:\n  - {name: a, type: discrete, values: [1, [2], {x: 3}]}\n",
      "name: x\ncompositions: [{name: g, components: {a: [1, 0], b: x}}]\n",
      "name: x\ntargets: [{}, [], 3]\nobjective: []\nbudget: 5\nstrategy: [1]\npool: 3\n",
      "name: x\nconstraints: [[], {}, {expr: []}, \"\"]\n",
      "? [a, b]\n: c\n",
  };
  for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
    invdes_error err;
    invdes_campaign *c = invdes_campaign_parse("x.yaml", texts[i], strlen(texts[i]), &err);
    assert_null(c);
    assert_true(err.count >= 1);
    assert_non_null(strstr(err.message, "x.yaml:"));
  }
  invdes_error err;
  assert_null(invdes_campaign_load("/nonexistent/campaign.yaml", &err));
  assert_int_equal(err.status, INVDES_ERR_IO);
  assert_non_null(strstr(err.message, "/nonexistent/campaign.yaml: cannot open"));
  invdes_campaign_free(NULL);
}

static void test_names(void **state) {
  (void)state;
  assert_string_equal(invdes_param_type_name(INVDES_PARAM_CATEGORICAL), "categorical");
  assert_string_equal(invdes_strategy_kind_name(invdes_strategy_kind_find("lhs")), "lhs");
  assert_string_equal(invdes_design_kind_name(INVDES_DESIGN_SOBOL), "sobol");
  assert_string_equal(invdes_goal_name(INVDES_GOAL_ABOVE), "above");
}

/* The loader keeps the space it built to check feasibility, and it is the
 * space a caller would build (same dimensions, estimate and anchor). */
static void test_space_kept(void **state) {
  (void)state;
  invdes_campaign *c = load_good("all_types.yaml");
  const invdes_space *kept = invdes_campaign_space(c);
  assert_non_null(kept);
  assert_ptr_equal(invdes_space_campaign(kept), c);
  invdes_error err;
  invdes_space *fresh = invdes_space_new(c, &err);
  assert_non_null(fresh);
  assert_int_equal(invdes_space_dim(kept), invdes_space_dim(fresh));
  assert_int_equal(invdes_space_n_vars(kept), invdes_campaign_n_vars(c));
  assert_true(invdes_space_feasible_fraction(kept) == invdes_space_feasible_fraction(fresh));
  assert_memory_equal(invdes_space_anchor(kept), invdes_space_anchor(fresh),
                      invdes_space_n_vars(kept) * sizeof(double));
  invdes_space_free(fresh);
  invdes_campaign_free(c);
  assert_null(invdes_campaign_space(NULL));
}

/* stop_when with levels: one per named objective, NAN elsewhere; described
 * in words; `satisfied` alone has none. */
static void test_stop_levels(void **state) {
  (void)state;
  invdes_campaign *c = load_good("stop_levels.yaml");
  assert_true(c->budget.stop_when_satisfied);
  assert_non_null(c->budget.stop_levels);
  assert_true(c->budget.stop_levels[0] == 200);
  assert_true(isnan(c->budget.stop_levels[1]));
  assert_true(c->budget.stop_levels[2] == 0.05);
  char buf[128];
  invdes_stop_when_describe(c->targets, c->n_targets, 1, c->budget.stop_levels, buf, sizeof buf);
  assert_string_equal(buf, "capacity >= 200, fade <= 0.05");
  invdes_campaign_free(c);
  c = load_good("all_types.yaml");
  assert_null(c->budget.stop_levels);
  invdes_stop_when_describe(c->targets, c->n_targets, 1, NULL, buf, sizeof buf);
  assert_string_equal(buf, "satisfied");
  invdes_stop_when_describe(c->targets, c->n_targets, 0, NULL, buf, sizeof buf);
  assert_string_equal(buf, "never");
  invdes_campaign_free(c);
}

/* Several objectives: no weight anywhere makes the campaign multi-objective,
 * `reference` is read in the target's units (NAN when not given), and one
 * weight keeps the weighted sum. */
static void test_pareto_targets(void **state) {
  (void)state;
  invdes_campaign *c = load_good("pareto.yaml");
  assert_true(invdes_targets_pareto(c->targets, c->n_targets));
  assert_false(c->targets[0].weight_set);
  assert_true(isnan(c->targets[0].reference));
  assert_true(isnan(c->targets[1].reference));
  assert_true(c->targets[2].reference == 70);
  double ref[2];
  assert_int_equal(invdes_targets_reference(c->targets, c->n_targets, NULL, 0, 2, ref, NULL),
                   INVDES_OK);
  assert_true(isnan(ref[0]) && ref[1] == -70); /* maximized: minimized as -v */
  invdes_campaign_free(c);
  c = load_good("all_types.yaml");
  size_t weighted = 0;
  for (size_t t = 0; t < c->n_targets; t++) weighted += c->targets[t].weight_set;
  assert_int_equal(weighted, 1);
  assert_false(invdes_targets_pareto(c->targets, c->n_targets));
  invdes_campaign_free(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_all_types),        cmocka_unit_test(test_defaults),
      cmocka_unit_test(test_builtin),          cmocka_unit_test(test_command),
      cmocka_unit_test(test_dataset),          cmocka_unit_test(test_pool),
      cmocka_unit_test(test_collects_several), cmocka_unit_test(test_never_crashes),
      cmocka_unit_test(test_names),            cmocka_unit_test(test_space_kept),
      cmocka_unit_test(test_stop_levels),      cmocka_unit_test(test_pareto_targets),
  };
  int failed = cmocka_run_group_tests_name("campaigns", tests, NULL, NULL);
  failed += run_bad_files();
  return failed ? 1 : 0;
}
