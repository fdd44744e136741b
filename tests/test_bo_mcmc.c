/* test_bo_mcmc.c — `hyper: mcmc` (bo_hyper_mcmc.c, gp_sample.c): the
 * hyper-parameter samples are reproducible per seed, inside the fit's box
 * and not all the fitted point; a campaign with the option proposes other
 * points than with `ml`, identically with one thread or two, and a resumed
 * one asks exactly what the uninterrupted one asks (with failures, a
 * constraint target and pending points, which every sampled model must see);
 * the key is validated. */
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
#ifdef _OPENMP
#include <omp.h>
#endif

#include "bo_run.h"
#include "gp.h"

/* ---- the sampler ----------------------------------------------------------- */

static invdes_gp *fitted_gp(void) {
  double X[40], y[20];
  for (int i = 0; i < 20; i++) {
    X[2 * i] = fmod(0.618034 * i, 1.0);
    X[2 * i + 1] = fmod(0.414214 * i + 0.1, 1.0);
    y[i] = sin(5 * X[2 * i]) + 0.5 * cos(3 * X[2 * i + 1]);
  }
  invdes_gp_options o;
  invdes_gp_options_init(&o);
  invdes_gp *gp = invdes_gp_new(&o);
  assert_non_null(gp);
  assert_int_equal(invdes_gp_fit(gp, X, 20, 2, y, NULL, NULL), INVDES_OK);
  return gp;
}

static void test_samples(void **state) {
  (void)state;
  invdes_gp *gp = fitted_gp();
  enum { N = 6, H = 4 };
  double a[N * H], b[N * H], c[N * H], ls[2];
  assert_int_equal(invdes_gp_sample_hyper(gp, 11, N, 1, a, NULL), INVDES_OK);
  assert_int_equal(invdes_gp_sample_hyper(gp, 11, N, 1, b, NULL), INVDES_OK);
  assert_int_equal(invdes_gp_sample_hyper(gp, 12, N, 1, c, NULL), INVDES_OK);
  assert_memory_equal(a, b, sizeof a);
  assert_true(memcmp(a, c, sizeof a) != 0);
  invdes_gp_lengthscales(gp, ls);
  int moved = 0;
  for (int j = 0; j < N; j++) {
    const double *h = a + j * H;
    for (int k = 0; k < 2; k++) {
      assert_true(h[k] >= 0.01 * (1 - 1e-12) && h[k] <= 100 * (1 + 1e-12));
      moved |= h[k] != ls[k];
    }
    assert_true(h[2] > 0 && isfinite(h[2]));
    assert_true(h[3] >= 0 && isfinite(h[3]));
  }
  assert_true(moved);
  invdes_gp_free(gp);
}

/* ---- the campaign ---------------------------------------------------------- */

/* Smooth with a failing corner (a > 0.85) and a constraint target v. */
static void eval_fn(const run *r, const double *x, double *y, int *failed) {
  (void)r;
  y[0] = (x[0] - 0.3) * (x[0] - 0.3) + sin(4 * x[1]) * 0.3 + (x[2] - 0.6) * (x[2] - 0.6);
  y[1] = x[0] + x[2];
  *failed = x[0] > 0.85;
}

static const char TEXT[] =
    "name: mcmc\nseed: 4\n"
    "parameters:\n  - {name: a, type: continuous, bounds: [0, 1]}\n"
    "  - {name: b, type: continuous, bounds: [0, 1]}\n"
    "  - {name: c, type: continuous, bounds: [0, 1]}\n"
    "targets:\n  - {name: y, goal: minimize}\n  - {name: v, goal: below, threshold: 1.4}\n"
    "objective: {kind: station}\n"
    "strategy: {kind: bo, hyper: %s, batch: 2, initial: {design: lhs, count: 6}}\n"
    "budget: {evaluations: 60}\n";

static run *new_run(const char *hyper, uint64_t seed) {
  char text[1024];
  snprintf(text, sizeof text, TEXT, hyper);
  return run_new(text, seed, 64);
}

static void set_threads(int n) {
#ifdef _OPENMP
  omp_set_num_threads(n);
#else
  (void)n;
#endif
}

static void test_other_points_same_for_threads(void **state) {
  (void)state;
  run *r[3];
  for (int k = 0; k < 3; k++) {
    set_threads(k == 2 ? 2 : 1);
    r[k] = new_run(k == 0 ? "ml" : "mcmc", 8);
    for (int i = 0; i < 8; i++) run_step(r[k], 2, 1, eval_fn);
    assert_feasible_distinct(r[k]);
  }
  set_threads(1);
  assert_int_equal(r[1]->n, r[2]->n);
  assert_memory_equal(r[1]->z, r[2]->z, r[1]->n * r[1]->dim * sizeof(double));
  assert_memory_equal(r[1]->acq, r[2]->acq, r[1]->n * sizeof(double));
  size_t n = r[0]->n < r[1]->n ? r[0]->n : r[1]->n;
  assert_true(memcmp(r[0]->z, r[1]->z, n * r[0]->dim * sizeof(double)) != 0);
  int failures = 0;
  for (size_t i = 0; i < r[1]->n; i++) failures += r[1]->failed[i];
  assert_true(failures > 0); /* the failure path was taken */
  for (int k = 0; k < 3; k++) run_free(r[k]);
}

static void eval_ok(const run *r, const double *x, double *y, int *failed) {
  eval_fn(r, x, y, failed);
  *failed = 0;
}

/* log EI averages in EI's units (log-mean-exp): finite scores, and the
 * same first model-chosen point as EI, whose average it is the log of. */
static void test_logei(void **state) {
  (void)state;
  char text[1024];
  snprintf(text, sizeof text, TEXT, "mcmc, acquisition: logei");
  run *l = run_new(text, 8, 64);
  run *e = new_run("mcmc", 8);
  for (int i = 0; i < 5; i++) {
    run_step(l, 2, 0, eval_ok);
    run_step(e, 2, 0, eval_ok);
  }
  assert_feasible_distinct(l);
  for (size_t i = 6; i < l->n; i++) assert_true(isfinite(l->acq[i]));
  assert_memory_equal(l->z, e->z, 6 * l->dim * sizeof(double)); /* the design */
  /* the first model-chosen point (row 6) */
  for (size_t j = 0; j < l->dim; j++)
    assert_true(fabs(l->z[6 * l->dim + j] - e->z[6 * e->dim + j]) < 1e-4);
  assert_true(fabs(l->acq[6] - log(e->acq[6])) < 1e-3 * (1 + fabs(l->acq[6])));
  run_free(l);
  run_free(e);
}

static void test_resume(void **state) {
  (void)state;
  run *r = new_run("mcmc", 9);
  for (int i = 0; i < 4; i++) run_step(r, 2, 1, eval_fn);
  for (int k = 0; k < 4; k++) {
    invdes_strategy *fresh = strategy_for(r, 9);
    for (size_t i = r->n; i-- > 0;) {
      if (!r->told[i]) continue;
      invdes_observation o = {(int64_t)i + 1, r->z + i * r->dim, NULL, r->y + i * r->T,
                              r->failed[i], NULL};
      assert_int_equal(invdes_strategy_tell(fresh, &o, 1, NULL), INVDES_OK);
    }
    assert_int_equal(invdes_strategy_load_state(fresh, r->blob, r->blob_len, NULL), INVDES_OK);
    invdes_proposals *a = invdes_proposals_new(fresh, 2);
    size_t np;
    double *pz = pending(r, &np);
    assert_true(np > 0);
    assert_int_equal(invdes_strategy_ask(fresh, r->iteration, 2, pz, np, a, NULL), INVDES_OK);
    run_step(r, 2, 1, eval_fn);
    assert_memory_equal(a->z, r->p->z, 2 * r->dim * sizeof(double));
    assert_memory_equal(a->acquisition, r->p->acquisition, 2 * sizeof(double));
    free(pz);
    invdes_proposals_free(a);
    invdes_strategy_free(fresh);
  }
  run_free(r);
}

static void refused(const char *strategy, const char *needle) {
  char text[1024];
  snprintf(text, sizeof text,
           "name: bad\nparameters:\n  - {name: a, type: continuous, bounds: [0, 1]}\n"
           "targets:\n  - {name: y, goal: minimize}\nobjective: {kind: station}\n"
           "strategy: %s\nbudget: {evaluations: 10}\n", strategy);
  invdes_error err;
  invdes_error_clear(&err);
  invdes_campaign *c = invdes_campaign_parse("bad.yaml", text, strlen(text), &err);
  assert_null(c);
  assert_non_null(strstr(err.message, needle));
}

static void test_key_validated(void **state) {
  (void)state;
  refused("{kind: bo, hyper: nuts}", "hyper");
  refused("{kind: bo, surrogate: rf, hyper: mcmc}", "gp");
  refused("{kind: pso, hyper: mcmc}", "hyper");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_samples),
      cmocka_unit_test(test_other_points_same_for_threads),
      cmocka_unit_test(test_logei),
      cmocka_unit_test(test_resume),
      cmocka_unit_test(test_key_validated),
  };
  return cmocka_run_group_tests(tests, run_tmpdir_setup, run_tmpdir_teardown);
}
