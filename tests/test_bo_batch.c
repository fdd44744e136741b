/* test_bo_batch.c — batches of the bo strategy that cover: no two points
 * in flight (this ask's batch and the proposals still pending from earlier
 * asks) closer than 1e-3 encoded, on several functions and every
 * acquisition, and in a pool distinct candidates; and the believed
 * incumbent (bo_batch.c) that makes EI drop at a point once it is in
 * flight. The simulated campaign is bo_run.c's. */
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

#include "acquisition.h"
#include "bo.h"
#include "bo_run.h"
#include "builtin.h"
#include "strategy_harness.h"

#define SEP 1e-3

static const char *fname; /* the builtin evaluated by eval_builtin */

static void eval_builtin(const run *r, const double *x, double *y, int *failed) {
  y[0] = invdes_builtin_eval(invdes_builtin_find(fname), x, r->nv, NULL);
  *failed = 0;
}

/* A campaign over fname's usual box with one minimize target. */
static run *builtin_run(const char *acq, const char *surrogate, size_t batch,
                        uint64_t seed) {
  const invdes_builtin *b = invdes_builtin_find(fname);
  assert_non_null(b);
  size_t d = strcmp(fname, "branin") == 0 ? 2 : strcmp(fname, "hartmann6") == 0 ? 6 : 3;
  double lo[8], hi[8];
  b->domain(d, lo, hi);
  char text[4096];
  int n = snprintf(text, sizeof text, "name: t\nseed: 1\nparameters:\n");
  for (size_t j = 0; j < d; j++)
    n += snprintf(text + n, sizeof text - (size_t)n,
                  "  - {name: x%zu, type: continuous, bounds: [%.17g, %.17g]}\n", j + 1,
                  lo[j], hi[j]);
  snprintf(text + n, sizeof text - (size_t)n,
           "targets:\n  - {name: f, goal: minimize}\n"
           "objective: {kind: station}\n"
           "strategy: {kind: bo, surrogate: %s, acquisition: %s, batch: %zu, "
           "initial: {design: sobol, count: 6}}\n"
           "budget: {evaluations: 100}\n",
           surrogate, acq, batch);
  return run_new(text, seed, 128);
}

/* The smallest distance between two untold proposals of r. */
static double min_in_flight(const run *r) {
  double m = INFINITY;
  for (size_t i = 0; i < r->n; i++)
    for (size_t j = 0; j < i; j++) {
      if (r->told[i] || r->told[j]) continue;
      double s = 0;
      for (size_t k = 0; k < r->dim; k++) {
        double d = r->z[i * r->dim + k] - r->z[j * r->dim + k];
        s += d * d;
      }
      if (sqrt(s) < m) m = sqrt(s);
    }
  return m;
}

/* Batches of 4, the newest 3 left pending for the next ask (a station
 * still working on them): after each ask, everything in flight is apart. */
static void separated(const char *f, const char *acq, const char *surrogate, int steps) {
  fname = f;
  run *r = builtin_run(acq, surrogate, 4, 2);
  double worst = INFINITY;
  for (int k = 0; k < steps; k++) {
    run_ask(r, 4);
    double m = min_in_flight(r);
    if (m < worst) worst = m;
    for (size_t i = 0; i + 3 < r->n; i++)
      if (!r->told[i]) {
        eval_builtin(r, r->x + i * r->nv, r->y + i * r->T, &r->failed[i]);
        tell_row(r, i);
      }
  }
  print_message("%s, %s, %s: smallest distance in flight %.3g\n", f, surrogate, acq,
                worst);
  assert_true(worst >= SEP);
  assert_true(isfinite(r->acq[r->n - 1])); /* the model chose the last ones */
  assert_feasible_distinct(r);
  run_free(r);
}

static void test_separated_in_flight(void **state) {
  static const char *const acqs[] = {"ei", "logei", "pi", "ucb"};
  for (int a = 0; a < 4; a++) {
    separated("branin", acqs[a], "gp", 16);
    separated("hartmann6", acqs[a], "gp", 10);
  }
  separated("rosenbrock", "ei", "gp", 12);
  separated("branin", "ei", "rf", 8);
}

/* A pool: every candidate in flight at most once. */
static double pool_f[40][2];

static void eval_pool(const run *r, const double *x, double *y, int *failed) {
  const double *f = pool_f[(size_t)x[0]];
  y[0] = -(f[0] - 0.3) * (f[0] - 0.3) - (f[1] - 0.6) * (f[1] - 0.6);
  *failed = 0;
}

static void test_pool_distinct_in_flight(void **state) {
  char csv[512];
  snprintf(csv, sizeof csv, "%s/pool.csv", tmpdir);
  FILE *fp = fopen(csv, "w");
  assert_non_null(fp);
  fprintf(fp, "id,f1,f2\n");
  for (size_t i = 0; i < 40; i++) {
    /* rows 2k and 2k+1 share features: one group of two candidates */
    pool_f[i][0] = fmod(0.1 + 0.618033988749895 * (double)(i / 2), 1.0);
    pool_f[i][1] = fmod(0.5 + 0.754877666246693 * (double)(i / 2), 1.0);
    fprintf(fp, "m%zu,%.6f,%.6f\n", i, pool_f[i][0], pool_f[i][1]);
  }
  fclose(fp);
  static const char text[] = "name: pool\nseed: 4\n"
                             "pool: {file: pool.csv, id: id, features: [f1, f2]}\n"
                             "targets:\n  - {name: y, goal: maximize}\n"
                             "objective: {kind: station}\n"
                             "strategy: {kind: bo, acquisition: %s, batch: 4, "
                             "initial: {design: random, count: 4}}\n"
                             "budget: {evaluations: 40}\n";
  static const char *const acqs[] = {"ei", "pi", "ucb"};
  for (int a = 0; a < 3; a++) {
    char t[1024];
    snprintf(t, sizeof t, text, acqs[a]);
    run *r = run_new(t, 3, 48);
    while (r->n + 4 <= 40) {
      run_step(r, 4, 3, eval_pool);
      for (size_t i = 0; i < r->n; i++) /* no row twice in flight */
        for (size_t j = 0; j < i; j++)
          assert_false(!r->told[i] && !r->told[j] && r->x[i] == r->x[j]);
    }
    assert_feasible_x(r->sp, r->x, r->n);
    run_free(r);
  }
  unlink(csv);
}

/* The believed incumbent: at the point whose predicted mean beats the told
 * best the most, EI is at least that margin; once the point is in flight
 * (a fantasy at its mean), the incumbent moves to it and EI there falls to
 * a small fraction. Without the believed incumbent it would stay above the
 * margin. */
static void test_believed_incumbent(void **state) {
  fname = "branin";
  run *r = builtin_run("ei", "gp", 1, 3);
  for (int k = 0; k < 8; k++) run_step(r, 1, 0, eval_builtin);
  invdes_strategy *s = r->s;
  /* the closed forms below are those of one model: the ML-II fit alone,
   * not the default average over hyper-parameter samples */
  ((invdes_bo_options *)s->spec.options)->hyper = INVDES_HYPER_ML;
  invdes_error err;
  invdes_error_clear(&err);
  assert_int_equal(invdes_strategy_ctx_begin(s, 99, NULL, 0, &err), INVDES_OK);
  size_t T = s->n_targets, H = 16;
  double hin_v[16], hout_v[16];
  bo_hyper hin = {0, hin_v}, hout = {0, hout_v};
  assert_true(invdes_surrogate_type_hyper_size(invdes_surrogate_type_find("gp"), 2) <= H);
  assert_int_equal(T, 1);
  bo_model m;
  int usable = 0;
  assert_int_equal(bo_model_build(s, 99, &hin, &hout, &m, &usable, &err), INVDES_OK);
  assert_true(usable);
  /* the grid point of largest predicted mean of g (= -f standardized) */
  double z[2], bz[2] = {0, 0}, bmu = -INFINITY, mu, var;
  for (int i = 0; i <= 100; i++)
    for (int j = 0; j <= 100; j++) {
      z[0] = i / 100.0, z[1] = j / 100.0;
      assert_int_equal(invdes_surrogate_predict(m.t[0].sur, z, 1, &mu, &var, &err), 0);
      double g = -(mu - m.t[0].mean) / m.t[0].sd;
      if (g > bmu) bmu = g, bz[0] = z[0], bz[1] = z[1];
    }
  double margin = bmu - m.best, before, after;
  print_message("predicted mean beats the told best by %.3g (standardized)\n", margin);
  assert_true(margin > 0.01);
  assert_int_equal(bo_model_score(&m, bz, 1, &before, NULL, &err), INVDES_OK);
  assert_true(before >= margin * 0.999);
  double told_best = m.best;
  assert_int_equal(bo_model_condition(&m, bz, 1, &err), INVDES_OK);
  assert_int_equal(bo_model_score(&m, bz, 1, &after, NULL, &err), INVDES_OK);
  /* the incumbent is now the believed value there */
  assert_true(fabs(m.best - bmu) < 1e-9 * (1 + fabs(bmu)));
  /* EI at the point with the fantasy but the told incumbent */
  assert_int_equal(invdes_surrogate_predict(m.t[0].sur, bz, 1, &mu, &var, &err), 0);
  double sd = sqrt(var) / m.t[0].sd, stale = invdes_acq_ei(bmu, sd, told_best, 0, NULL, NULL);
  print_message("EI there before %.3g, in flight %.3g (with the told incumbent %.3g)\n",
                before, after, stale);
  assert_true(stale >= margin * 0.999);
  assert_true(after < 0.5 * stale);
  assert_true(fabs(after - sd * 0.3989422804014327) < 1e-6 * (1 + after));
  bo_model_free(&m);
  run_free(r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_separated_in_flight),
      cmocka_unit_test(test_pool_distinct_in_flight),
      cmocka_unit_test(test_believed_incumbent),
  };
  return cmocka_run_group_tests(tests, run_tmpdir_setup, run_tmpdir_teardown);
}
