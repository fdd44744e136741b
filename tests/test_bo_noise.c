/* test_bo_noise.c — the incumbent of bo's expected improvement when no sd
 * is reported: the best posterior mean among the evaluated points once the
 * model has learned a noise that is clearly there (structure finer than the
 * model resolves counts as noise: a rippled bowl), and the best observed
 * value on a smooth function. The simulated campaign is bo_run.c's. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bo.h"
#include "bo_run.h"
#include "strategy_harness.h"

static double ripple; /* amplitude of the ripples on the bowl */

static void eval_bowl(const run *r, const double *x, double *y, int *failed) {
  (void)r;
  double a = x[0] - 0.3, b = x[1] - 0.6;
  y[0] = a * a + b * b + ripple * sin(97.0 * x[0]) * cos(89.0 * x[1]);
  *failed = 0;
}

/* 30 evaluations (10 initial) of the bowl, then the model of ask 99 with
 * the ML-II fit (one model, so that the closed forms below hold). */
static run *model_after_30(bo_model *m) {
  run *r = run_new("name: t\nseed: 1\nparameters:\n"
                   "  - {name: a, type: continuous, bounds: [0, 1]}\n"
                   "  - {name: b, type: continuous, bounds: [0, 1]}\n"
                   "targets:\n  - {name: f, goal: minimize}\n"
                   "objective: {kind: station}\n"
                   "strategy: {kind: bo, hyper: ml, initial: {design: sobol, count: 10}}\n"
                   "budget: {evaluations: 100}\n",
                   5, 64);
  for (int k = 0; k < 30; k++) run_step(r, 1, 0, eval_bowl);
  invdes_error err;
  invdes_error_clear(&err);
  assert_int_equal(invdes_strategy_ctx_begin(r->s, 99, NULL, 0, &err), INVDES_OK);
  double hin_v[16], hout_v[16];
  bo_hyper hin = {0, hin_v}, hout = {0, hout_v};
  int usable = 0;
  assert_int_equal(bo_model_build(r->s, 99, &hin, &hout, m, &usable, &err), INVDES_OK);
  assert_true(usable);
  return r;
}

/* The best observed g and the best posterior-mean g over the told rows. */
static void incumbents(bo_model *m, double *observed, double *smoothed) {
  const invdes_strategy *s = m->s;
  invdes_error err;
  *observed = *smoothed = -INFINITY;
  for (size_t i = 0; i < s->n_hist; i++) {
    double g = bo_model_row_objective(m, i, 1), mu, var;
    if (isnan(g)) continue;
    if (g > *observed) *observed = g;
    assert_int_equal(invdes_surrogate_predict(m->t[0].sur, s->h_z + i * m->D, 1, &mu, &var,
                                              &err), INVDES_OK);
    double gm = -(mu - m->t[0].mean) / m->t[0].sd;
    if (gm > *smoothed) *smoothed = gm;
  }
}

static void test_learned_noise_moves_the_incumbent(void **state) {
  (void)state;
  ripple = 0.05;
  bo_model m;
  run *r = model_after_30(&m);
  double observed, smoothed;
  incumbents(&m, &observed, &smoothed);
  print_message("ripples: learned noise sd %.3g of the values' sd; incumbent %.4g, best "
                "observed %.4g, best posterior mean %.4g\n",
                sqrt(invdes_surrogate_noise_var(m.t[0].sur)) / m.t[0].sd, m.best, observed,
                smoothed);
  assert_true(bo_noise_target_noisy(&m.t[0], 1));
  assert_true(observed > smoothed + 0.05); /* a lucky ripple sets the observed bar */
  assert_true(fabs(m.best - smoothed) < 1e-12 * (1 + fabs(smoothed)));
  bo_model_free(&m);
  run_free(r);
}

static void test_smooth_keeps_the_observed_incumbent(void **state) {
  (void)state;
  ripple = 0;
  bo_model m;
  run *r = model_after_30(&m);
  double observed, smoothed;
  incumbents(&m, &observed, &smoothed);
  assert_false(bo_noise_target_noisy(&m.t[0], 1));
  assert_true(m.best == observed);
  bo_model_free(&m);
  run_free(r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_learned_noise_moves_the_incumbent),
      cmocka_unit_test(test_smooth_keeps_the_observed_incumbent),
  };
  return cmocka_run_group_tests(tests, run_tmpdir_setup, run_tmpdir_teardown);
}
