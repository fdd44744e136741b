/* test_bo.c — the bo strategy as a user of a campaign sees it: proposals
 * feasible and never repeated (pending ones included, batches distinct),
 * the same seed giving bit-identical proposals for 1 and 2 threads, exact
 * resume from (seed, history, saved state), a clear advantage over random
 * search on Branin, a window target found, the best pool rows picked early,
 * the forest path on categorical choices, failures absorbed, the example
 * campaigns running. Campaigns are written as YAML text; the simulated
 * campaign is bo_run.c's, the acquisition functions' numbers are
 * test_acquisition.c's. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "builtin.h"
#include "campaign.h"
#include "space.h"
#include "strategy.h"
#include "bo_run.h"
#include "strategy_harness.h"

/* ---- objectives -------------------------------------------------------------- */

static void eval_branin(const run *r, const double *x, double *y, int *failed) {
  y[0] = invdes_builtin_eval(invdes_builtin_find("branin"), x, 2, NULL);
  *failed = 0;
}

/* Mixed space a (continuous [0,1]), n (integer 1..6), c (categorical, 3),
 * group p+q+s = 1: smooth, minimum near a = 0.3, n = 4, c = 1, p = 0.5;
 * points with a > 0.85 fail. */
static void eval_mixed(const run *r, const double *x, double *y, int *failed) {
  y[0] = (x[0] - 0.3) * (x[0] - 0.3) + 0.05 * (x[1] - 4) * (x[1] - 4) +
         (x[2] == 1 ? 0 : 0.3) + (x[3] - 0.5) * (x[3] - 0.5);
  y[1] = x[0] + x[3];
  *failed = x[0] > 0.85;
}

static const char MIXED[] =
    "name: mixed\nseed: 5\n"
    "parameters:\n"
    "  - {name: a, type: continuous, bounds: [0, 1]}\n"
    "  - {name: n, type: integer, bounds: [1, 6]}\n"
    "  - {name: c, type: categorical, values: [r, g, b]}\n"
    "compositions:\n"
    "  - name: g\n    total: 1\n    components: {p: [0.1, 0.8], q: [0, 0.6], s: [0, 0.5]}\n"
    "constraints:\n  - \"a + p <= 1.6\"\n"
    "targets:\n  - {name: y, goal: minimize}\n  - {name: v, goal: below, threshold: 1.4}\n"
    "objective: {kind: station}\n"
    "strategy: {kind: bo, acquisition: %s, batch: 3, initial: {design: lhs, count: 6}}\n"
    "budget: {evaluations: 60}\n";

static run *mixed_run(const char *acq, uint64_t seed) {
  char text[2048];
  snprintf(text, sizeof text, MIXED, acq);
  return run_new(text, seed, 64);
}

/* ---- tests ----------------------------------------------------------------- */

static void test_feasible_distinct_with_pending(void **state) {
  static const char *const acqs[] = {"ei", "logei", "ucb", "pi"};
  for (int a = 0; a < 4; a++) {
    run *r = mixed_run(acqs[a], 3);
    for (int k = 0; k < 8; k++) run_step(r, 3, 2, eval_mixed);
    assert_feasible_distinct(r);
    /* the model made the later proposals: predictions and a score */
    for (size_t i = 9; i < r->n; i++) {
      assert_true(isfinite(r->acq[i]));
      assert_true(isfinite(r->pm[i * r->T]));
    }
    run_free(r);
  }
}

static void test_deterministic_any_threads(void **state) {
  run *r[3];
  for (int k = 0; k < 3; k++) {
    harness_set_threads(k == 2 ? 2 : 1);
    r[k] = mixed_run("ei", 17);
    for (int i = 0; i < 6; i++) run_step(r[k], 3, 1, eval_mixed);
  }
  harness_set_threads(2);
  for (int k = 1; k < 3; k++) {
    assert_int_equal(r[0]->n, r[k]->n);
    assert_memory_equal(r[0]->z, r[k]->z, r[0]->n * r[0]->dim * sizeof(double));
    assert_memory_equal(r[0]->acq, r[k]->acq, r[0]->n * sizeof(double));
  }
  /* another seed, other proposals */
  run *o = mixed_run("ei", 18);
  for (int i = 0; i < 6; i++) run_step(o, 3, 1, eval_mixed);
  assert_true(memcmp(o->z, r[0]->z, o->n * o->dim * sizeof(double)) != 0);
  run_free(o);
  for (int k = 0; k < 3; k++) run_free(r[k]);
}

/* A fresh strategy told the history (newest first) and given the saved
 * state asks exactly what the running one asks next. */
static void check_resume(const char *text, size_t batch, size_t steps,
                         evaluator f) {
  run *r = run_new(text, 9, 128);
  run_step(r, batch, 1, f);
  for (size_t k = 0; k < steps; k++) {
    invdes_strategy *fresh = strategy_for(r, 9);
    for (size_t i = r->n; i-- > 0;) {
      if (!r->told[i]) continue;
      invdes_observation o = {(int64_t)i + 1, r->z + i * r->dim, NULL,
                              r->y + i * r->T, r->failed[i], NULL};
      assert_int_equal(invdes_strategy_tell(fresh, &o, 1, NULL), INVDES_OK);
    }
    assert_int_equal(invdes_strategy_load_state(fresh, r->blob, r->blob_len, NULL),
                     INVDES_OK);
    invdes_proposals *a = invdes_proposals_new(fresh, batch);
    size_t np;
    double *pz = pending(r, &np);
    assert_int_equal(invdes_strategy_ask(fresh, r->iteration, batch, pz, np, a, NULL),
                     INVDES_OK);
    run_step(r, batch, 1, f); /* the running strategy's next batch */
    assert_memory_equal(a->z, r->p->z, batch * r->dim * sizeof(double));
    assert_memory_equal(a->acquisition, r->p->acquisition, batch * sizeof(double));
    assert_memory_equal(a->pred_mean, r->p->pred_mean, batch * r->T * sizeof(double));
    free(pz);
    invdes_proposals_free(a);
    invdes_strategy_free(fresh);
  }
  run_free(r);
}

static void test_exact_resume(void **state) {
  char text[2048];
  snprintf(text, sizeof text, MIXED, "ei");
  check_resume(text, 3, 8, eval_mixed);
  static const char rf[] =
      "name: mixed-rf\nseed: 5\n"
      "parameters:\n  - {name: a, type: continuous, bounds: [0, 1]}\n"
      "  - {name: n, type: integer, bounds: [1, 6]}\n"
      "  - {name: c, type: categorical, values: [r, g, b]}\n"
      "  - {name: p, type: continuous, bounds: [0, 1]}\n"
      "targets:\n  - {name: y, goal: minimize}\n  - {name: v, goal: below, threshold: 1.4}\n"
      "objective: {kind: station}\n"
      "strategy: {kind: bo, surrogate: rf, batch: 2, initial: {design: random, count: 5}}\n"
      "budget: {evaluations: 60}\n";
  check_resume(rf, 2, 6, eval_mixed);
}

static void test_saved_state_checked(void **state) {
  run *r = mixed_run("ei", 1);
  for (int k = 0; k < 4; k++) run_step(r, 3, 0, eval_mixed);
  assert_true(r->blob_len > 16);
  unsigned char *bad = malloc(r->blob_len);
  memcpy(bad, r->blob, r->blob_len);
  assert_int_equal(invdes_strategy_load_state(r->s, bad, r->blob_len - 3, NULL),
                   INVDES_ERR_INVALID);
  bad[5] ^= 0xff; /* "BO" header */
  assert_int_equal(invdes_strategy_load_state(r->s, bad, r->blob_len, NULL),
                   INVDES_ERR_INVALID);
  assert_int_equal(invdes_strategy_load_state(r->s, r->blob, r->blob_len, NULL),
                   INVDES_OK);
  assert_int_equal(invdes_strategy_load_state(r->s, NULL, 0, NULL), INVDES_OK);
  free(bad);
  run_free(r);
}

static const char BRANIN[] =
    "name: branin\nseed: 1\n"
    "parameters:\n  - {name: x1, type: continuous, bounds: [-5, 10]}\n"
    "  - {name: x2, type: continuous, bounds: [0, 15]}\n"
    "targets:\n  - {name: f, goal: minimize}\n"
    "objective: {kind: station}\n"
    "strategy: {kind: %s, batch: %d, initial: {design: sobol, count: 8}}\n"
    "budget: {evaluations: 40}\n";

static void test_beats_random_on_branin(void **state) {
  const double fmin = 0.397887357729739;
  double sum_bo = 0, sum_rand = 0;
  for (uint64_t seed = 1; seed <= 3; seed++) {
    char text[1024];
    snprintf(text, sizeof text, BRANIN, "bo", 1);
    run *b = run_new(text, seed, 64);
    for (int i = 0; i < 40; i++) run_step(b, 1, 0, eval_branin);
    snprintf(text, sizeof text, BRANIN, "random", 1);
    run *r = run_new(text, seed, 64);
    for (int i = 0; i < 40; i++) run_step(r, 1, 0, eval_branin);
    double rb = run_best(b, -1) - fmin, rr = run_best(r, -1) - fmin;
    print_message("Branin, 40 evaluations, seed %llu: regret bo %.3g, random %.3g\n",
                  (unsigned long long)seed, rb, rr);
    assert_true(rb < 0.05); /* random search is near 0.3 here */
    sum_bo += rb;
    sum_rand += rr;
    run_free(b);
    run_free(r);
  }
  assert_true(10 * sum_bo < sum_rand);
  /* batch 4 with fantasies: distinct points, still close */
  char text[1024];
  snprintf(text, sizeof text, BRANIN, "bo", 4);
  run *b = run_new(text, 2, 64);
  for (int i = 0; i < 10; i++) run_step(b, 4, 0, eval_branin);
  assert_feasible_distinct(b);
  assert_true(run_best(b, -1) - fmin < 0.1);
  run_free(b);
}

/* 1-D: y = sin(3x) + x/2 on [0, 3]; the window [1.45, 1.5] is met only on
 * two short stretches (about 4% of the range). */
static void eval_window(const run *r, const double *x, double *y, int *failed) {
  y[0] = sin(3 * x[0]) + x[0] / 2;
  *failed = 0;
}

static void test_window_found(void **state) {
  static const char text[] =
      "name: window\nseed: 2\n"
      "parameters:\n  - {name: x, type: continuous, bounds: [0, 3]}\n"
      "targets:\n  - {name: y, goal: window, window: [1.45, 1.5]}\n"
      "objective: {kind: station}\n"
      "strategy: {kind: bo, batch: 1, initial: {design: sobol, count: 4}}\n"
      "budget: {evaluations: 20}\n";
  for (uint64_t seed = 1; seed <= 3; seed++) {
    run *r = run_new(text, seed, 32);
    size_t found = 0;
    for (int i = 0; i < 15 && !found; i++) {
      run_step(r, 1, 0, eval_window);
      double y = r->y[(r->n - 1) * r->T];
      if (y >= 1.45 && y <= 1.5) found = r->n;
    }
    print_message("window [1.45, 1.5], seed %llu: met at evaluation %zu\n",
                  (unsigned long long)seed, found);
    assert_true(found > 0);
    /* the score of a model proposal is a probability */
    assert_true(r->acq[r->n - 1] >= 0 && r->acq[r->n - 1] <= 1);
    run_free(r);
  }
}

/* ---- pools ------------------------------------------------------------------- */

#define POOL_ROWS 40

static double pool_value(double f1, double f2) {
  return -((f1 - 0.3) * (f1 - 0.3) + (f2 - 0.7) * (f2 - 0.7));
}

static double pool_f[POOL_ROWS][2];

static void eval_pool(const run *r, const double *x, double *y, int *failed) {
  size_t row = (size_t)x[0];
  y[0] = pool_value(pool_f[row][0], pool_f[row][1]);
  *failed = 0;
}

static void test_pool_best_early(void **state) {
  char csv[512];
  snprintf(csv, sizeof csv, "%s/pool.csv", tmpdir);
  FILE *fp = fopen(csv, "w");
  assert_non_null(fp);
  fprintf(fp, "id,f1,f2\n");
  /* a fixed scatter (golden-ratio sequence) */
  size_t best = 0;
  for (size_t i = 0; i < POOL_ROWS; i++) {
    pool_f[i][0] = fmod(0.1 + 0.618033988749895 * (double)i, 1.0);
    pool_f[i][1] = fmod(0.5 + 0.754877666246693 * (double)i, 1.0);
    fprintf(fp, "m%zu,%.6f,%.6f\n", i, pool_f[i][0], pool_f[i][1]);
    if (pool_value(pool_f[i][0], pool_f[i][1]) > pool_value(pool_f[best][0], pool_f[best][1]))
      best = i;
  }
  fclose(fp);
  static const char text[] =
      "name: pool\nseed: 4\n"
      "pool: {file: pool.csv, id: id, features: [f1, f2]}\n"
      "targets:\n  - {name: y, goal: maximize}\n"
      "objective: {kind: station}\n"
      "strategy: {kind: bo, batch: %d, initial: {design: random, count: 5}}\n"
      "budget: {evaluations: 40}\n";
  for (int batch = 1; batch <= 2; batch++) {
    for (uint64_t seed = 1; seed <= 3; seed++) {
      char t[1024];
      snprintf(t, sizeof t, text, batch);
      run *r = run_new(t, seed, POOL_ROWS + 4);
      size_t at = 0;
      while (!at && r->n + (size_t)batch <= 20) {
        run_step(r, (size_t)batch, 0, eval_pool);
        for (size_t i = 0; i < r->n && !at; i++)
          if ((size_t)r->x[i] == best) at = i + 1;
      }
      print_message("pool of %d rows, batch %d, seed %llu: best row proposed "
                    "as number %zu\n", POOL_ROWS, batch, (unsigned long long)seed, at);
      assert_true(at > 0 && at <= 20); /* random search: 20.5 on average */
      assert_feasible_distinct(r);
      run_free(r);
    }
  }
  /* asked to the end: every row once, then a clear refusal */
  char t[1024];
  snprintf(t, sizeof t, text, 3);
  run *r = run_new(t, 1, POOL_ROWS + 4);
  while (r->n + 3 <= POOL_ROWS) run_step(r, 3, 0, eval_pool);
  run_step(r, POOL_ROWS - r->n, 0, eval_pool);
  assert_feasible_distinct(r);
  invdes_error err;
  invdes_error_clear(&err);
  assert_int_equal(invdes_strategy_ask(r->s, r->iteration, 1, NULL, 0, r->p, &err),
                   INVDES_ERR_INFEASIBLE);
  run_free(r);
}

/* ---- forest, categoricals ------------------------------------------------- */

static const double METAL[9] = {120, 260, 310, 180, 150, 290, 340, 90, 200};
static const double TERM[5] = {0, 40, 25, -30, -60};

/* capacity: metal + termination + layers, carbides better; work function
 * in [3.5, 5] only for some terminations; Cl terminations fail. */
static void eval_mxene(const run *r, const double *x, double *y, int *failed) {
  size_t m = (size_t)x[0], xe = (size_t)x[1], t = (size_t)x[2];
  y[0] = METAL[m] + TERM[t] + 20 * (x[3] - 1) + (xe == 0 ? 30 : 0);
  y[1] = 3.0 + 0.25 * (double)m * 0.5 + (t == 1 ? 1.6 : t == 2 ? 0.8 : 0.1);
  *failed = t == 4;
}

static void test_forest_categorical(void **state) {
  static const char text[] =
      "name: mxene\nseed: 3\n"
      "parameters:\n"
      "  - {name: metal, type: categorical, values: [Sc, Ti, V, Cr, Zr, Nb, Mo, Hf, Ta]}\n"
      "  - {name: x_element, type: categorical, values: [C, N]}\n"
      "  - {name: termination, type: categorical, values: [bare, O, OH, F, Cl]}\n"
      "  - {name: n_layers, type: integer, bounds: [1, 3]}\n"
      "targets:\n  - {name: capacity, goal: maximize}\n"
      "  - {name: work_function, goal: window, window: [3.5, 5.0]}\n"
      "objective: {kind: station}\n"
      "strategy: {kind: %s, batch: 5%s}\n"
      "budget: {evaluations: 80}\n";
  /* the feasible values of the 270 combinations, best first */
  double vals[270];
  size_t nv = 0;
  for (size_t m = 0; m < 9; m++)
    for (size_t xe = 0; xe < 2; xe++)
      for (size_t t = 0; t < 5; t++)
        for (size_t l = 1; l <= 3; l++) {
          double x[4] = {(double)m, (double)xe, (double)t, (double)l}, y[2];
          int f;
          eval_mxene(NULL, x, y, &f);
          if (!f && y[1] >= 3.5 && y[1] <= 5.0) vals[nv++] = y[0];
        }
  for (size_t i = 0; i < nv; i++) /* descending */
    for (size_t j = i + 1; j < nv; j++)
      if (vals[j] > vals[i]) {
        double t = vals[i];
        vals[i] = vals[j];
        vals[j] = t;
      }
  size_t sum[2] = {0, 0};
  for (int kind = 0; kind < 2; kind++)
    for (uint64_t seed = 1; seed <= 6; seed++) {
      char tt[2048];
      snprintf(tt, sizeof tt, text, kind ? "random" : "bo",
               kind ? "" : ", surrogate: rf, acquisition: ei,\n"
                           "           initial: {design: random, count: 15}");
      run *r = run_new(tt, seed, 64);
      for (int k = 0; k < 8; k++) run_step(r, 5, 0, eval_mxene);
      assert_feasible_distinct(r);
      double best = -INFINITY;
      for (size_t i = 0; i < r->n; i++) {
        double *y = r->y + i * r->T;
        if (!r->failed[i] && y[1] >= 3.5 && y[1] <= 5.0 && y[0] > best) best = y[0];
      }
      size_t rank = 1; /* place of the best found among the feasible values */
      while (rank < nv && vals[rank - 1] > best) rank++;
      sum[kind] += rank;
      if (!kind) {
        assert_true(rank <= 10);
        for (size_t i = 15; i < r->n; i++) assert_true(isfinite(r->pm[i * r->T]));
      }
      run_free(r);
    }
  print_message("mxene-like, 40 of 270 choices (%zu feasible), 6 seeds: mean rank of "
                "the best found: bo with rf %.1f, random %.1f\n",
                nv, sum[0] / 6.0, sum[1] / 6.0);
  assert_true(sum[0] <= 6 * 4 && sum[0] < sum[1]);
}

/* Every experiment failed so far: proposals go on (random until a model
 * has data), and a history of failures and partial results is no obstacle. */
static void eval_fail(const run *r, const double *x, double *y, int *failed) {
  y[0] = y[1] = NAN;
  *failed = 1;
}

static void test_failures(void **state) {
  run *r = mixed_run("ei", 8);
  for (int k = 0; k < 5; k++) run_step(r, 3, 0, eval_fail);
  for (int k = 0; k < 6; k++) run_step(r, 3, 0, eval_mixed);
  assert_feasible_distinct(r);
  /* the region a > 0.85 fails: the model learns to stay out of it */
  size_t late_fail = 0;
  for (size_t i = r->n - 9; i < r->n; i++) late_fail += r->failed[i];
  assert_true(late_fail <= 2);
  run_free(r);
}

/* ---- example campaigns ------------------------------------------------------ */

static void eval_example(const run *r, const double *x, double *y, int *failed) {
  double a = 0;
  for (size_t j = 0; j < r->nv; j++) a += sin((double)(j + 1) * x[j]);
  for (size_t t = 0; t < r->T; t++) y[t] = (t + 1) * a;
  *failed = 0;
}

static void test_example_campaigns(void **state) {
  static const char *const files[] = {"porous-electrode.yaml", "redox-window.yaml",
                                      "mxene-rf.yaml"};
  for (int k = 0; k < 3; k++) {
    char rel[256];
    snprintf(rel, sizeof rel, "campaigns/%s", files[k]);
    const char *path = data_path(rel);
    invdes_error err;
    invdes_error_clear(&err);
    invdes_campaign *c = invdes_campaign_load(path, &err);
    if (!c) fail_msg("%s: %s", path, err.message);
    assert_ptr_equal(c->strategy.kind, invdes_strategy_kind_find("bo"));
    run *r = run_from(c, c->seed, 64);
    size_t batch = (size_t)c->strategy.batch;
    size_t steps = ((size_t)c->strategy.initial_count + 2 * batch) / batch;
    for (size_t i = 0; i < steps; i++) run_step(r, batch, 0, eval_example);
    assert_feasible_distinct(r);
    assert_true(isfinite(r->acq[r->n - 1]));
    print_message("%s: %zu proposals, the last by the model\n", files[k], r->n);
    run_free(r);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_feasible_distinct_with_pending),
      cmocka_unit_test(test_deterministic_any_threads),
      cmocka_unit_test(test_exact_resume),
      cmocka_unit_test(test_saved_state_checked),
      cmocka_unit_test(test_beats_random_on_branin),
      cmocka_unit_test(test_window_found),
      cmocka_unit_test(test_pool_best_early),
      cmocka_unit_test(test_forest_categorical),
      cmocka_unit_test(test_failures),
      cmocka_unit_test(test_example_campaigns),
  };
  return cmocka_run_group_tests(tests, run_tmpdir_setup, run_tmpdir_teardown);
}
