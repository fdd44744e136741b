/* test_bo_noise.c — the incumbent of bo's expected improvement when no sd
 * is reported: the best posterior mean among the evaluated points once the
 * model has learned a noise that is clearly there (structure finer than the
 * model resolves counts as noise: a rippled bowl), and the best observed
 * value on a smooth function; with a reported sd, augmented EI (EI times
 * 1 - sd_noise / sqrt(var + sd_noise^2), plain EI without one). The
 * simulated campaign is bo_run.c's. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "acquisition.h"
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
  run *r = run_new(bo_run_unit_square, 5, 64);
  for (int k = 0; k < 30; k++) run_step(r, 1, 0, eval_bowl);
  run_model(r, 99, m);
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

/* 30 evaluations of the smooth bowl told with sd 0.05 (or without an sd),
 * then the score at every told row against plain EI there. */
static void test_reported_sd_augments_ei(void **state) {
  (void)state;
  ripple = 0;
  for (int reported = 0; reported < 2; reported++) {
    run *r = run_new(bo_run_unit_square, 5, 64);
    invdes_error err;
    invdes_error_clear(&err);
    double sd = 0.05;
    for (size_t k = 0; k < 30; k++) {
      run_ask(r, 1);
      eval_bowl(r, r->x + k * r->nv, r->y + k * r->T, &r->failed[k]);
      invdes_observation o = {(int64_t)k + 1, r->z + k * r->dim, r->x + k * r->nv,
                              r->y + k * r->T, 0, reported ? &sd : NULL};
      assert_int_equal(invdes_strategy_tell(r->s, &o, 1, &err), INVDES_OK);
      r->told[k] = 1;
    }
    bo_model m;
    run_model(r, 99, &m);
    double s2 = reported ? sd * sd / (m.t[0].sd * m.t[0].sd) : 0;
    assert_true(fabs(m.aei_var - s2) <= 1e-12 * s2);
    for (size_t i = 0; i < 30; i++) {
      const double *z = r->z + i * r->dim;
      double mu, var, score, a, b;
      assert_int_equal(invdes_surrogate_predict(m.t[0].sur, z, 1, &mu, &var, &err), INVDES_OK);
      assert_int_equal(bo_model_score(&m, z, 1, &score, NULL, &err), INVDES_OK);
      double v_g = fmax(var, 0) / (m.t[0].sd * m.t[0].sd);
      double sd_g = sqrt(v_g < 1e-12 ? 1e-12 : v_g); /* bo_score.c's floor */
      double ei = invdes_acq_ei(-(mu - m.t[0].mean) / m.t[0].sd, sd_g, m.best, 0, &a, &b);
      double f = reported ? 1 - sqrt(s2) / sqrt(sd_g * sd_g + s2) : 1;
      assert_true(f > 0 && f <= 1);
      assert_true(fabs(score - ei * f) <= 1e-9 * (1e-300 + ei));
    }
    /* the gradient L-BFGS follows, against central differences */
    double z0[2] = {0.37, 0.52}, g[2], S;
    assert_int_equal(bo_model_score(&m, z0, 1, &S, g, &err), INVDES_OK);
    for (int j = 0; j < 2; j++) {
      double zp[2] = {z0[0], z0[1]}, zm[2] = {z0[0], z0[1]}, Sp, Sm, h = 1e-6;
      zp[j] += h;
      zm[j] -= h;
      assert_int_equal(bo_model_score(&m, zp, 1, &Sp, NULL, &err), INVDES_OK);
      assert_int_equal(bo_model_score(&m, zm, 1, &Sm, NULL, &err), INVDES_OK);
      double fd = (Sp - Sm) / (2 * h);
      assert_true(fabs(g[j] - fd) <= 1e-4 * (fabs(fd) + 1e-6));
    }
    bo_model_free(&m);
    run_free(r);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_learned_noise_moves_the_incumbent),
      cmocka_unit_test(test_smooth_keeps_the_observed_incumbent),
      cmocka_unit_test(test_reported_sd_augments_ei),
  };
  return cmocka_run_group_tests(tests, run_tmpdir_setup, run_tmpdir_teardown);
}
