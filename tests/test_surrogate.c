/* test_surrogate.c — the common model interface: the same calls fit and
 * predict with either model, model names parse, gradients exist only where the
 * model has them, the variance of a new measurement is var + noise_var, and
 * misuse is refused rather than answered. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "rng.h"
#include "surrogate.h"

enum { N = 60, M = 200, D = 2 };

static double f2(const double *x) { return sin(4.0 * x[0]) + x[1] * x[1]; }

static void make_data(double *X, double *y, double *Q, double *yq) {
  gsl_rng *r = invdes_rng_new(11, 0);
  for (size_t i = 0; i < N; i++) {
    for (size_t j = 0; j < D; j++) X[i * D + j] = gsl_rng_uniform(r);
    y[i] = f2(X + i * D) + gsl_ran_gaussian(r, 0.02);
  }
  for (size_t i = 0; i < M; i++) {
    for (size_t j = 0; j < D; j++) Q[i * D + j] = 0.05 + 0.9 * gsl_rng_uniform(r);
    yq[i] = f2(Q + i * D);
  }
  gsl_rng_free(r);
}

/* Both models learn a smooth function through the same calls; the GP, the
 * better model for smooth data, is also the more accurate. */
static void test_both_models_fit_and_predict(void **state) {
  (void)state;
  double X[N * D], y[N], Q[M * D], yq[M], mu[M], var[M], rmse[2];
  make_data(X, y, Q, yq);
  const invdes_model_kind kinds[2] = {INVDES_MODEL_GP, INVDES_MODEL_RF};
  for (int k = 0; k < 2; k++) {
    invdes_surrogate_options o;
    invdes_surrogate_options_init(&o);
    invdes_surrogate_options_set_seed(&o, 5);
    invdes_surrogate *s = invdes_surrogate_new(kinds[k], &o);
    assert_non_null(s);
    assert_int_equal(invdes_surrogate_model(s), kinds[k]);
    invdes_error err;
    invdes_error_clear(&err);
    if (invdes_surrogate_fit(s, X, N, D, y, NULL, &err) != INVDES_OK)
      fail_msg("%s fit: %s", invdes_model_kind_name(kinds[k]), err.message);
    assert_int_equal(invdes_surrogate_predict(s, Q, M, mu, var, &err), INVDES_OK);
    double se = 0.0;
    for (size_t i = 0; i < M; i++) {
      assert_true(var[i] >= 0.0 && isfinite(mu[i]));
      se += (mu[i] - yq[i]) * (mu[i] - yq[i]);
    }
    rmse[k] = sqrt(se / M);
    assert_true(invdes_surrogate_noise_var(s) >= 0.0);
    invdes_surrogate_free(s);
  }
  /* y spans about 2: both well under its spread, the GP far better. */
  if (!(rmse[0] < 0.05 && rmse[1] < 0.25 && rmse[0] < rmse[1]))
    fail_msg("test RMSE gp %g, rf %g", rmse[0], rmse[1]);
}

static void test_kind_names(void **state) {
  (void)state;
  invdes_model_kind k;
  invdes_error err;
  assert_int_equal(invdes_model_kind_parse("gp", &k, NULL), INVDES_OK);
  assert_int_equal(k, INVDES_MODEL_GP);
  assert_int_equal(invdes_model_kind_parse("rf", &k, NULL), INVDES_OK);
  assert_int_equal(k, INVDES_MODEL_RF);
  invdes_error_clear(&err);
  assert_int_equal(invdes_model_kind_parse("GP ", &k, &err), INVDES_ERR_INVALID);
  assert_non_null(strstr(err.message, "one of: gp, rf"));
  assert_string_equal(invdes_model_kind_name(INVDES_MODEL_RF), "rf");
  assert_string_equal(invdes_model_kind_name(INVDES_MODEL_GP), "gp");
}

static void test_gradients_and_handles(void **state) {
  (void)state;
  double X[N * D], y[N], Q[M * D], yq[M];
  make_data(X, y, Q, yq);
  invdes_surrogate *gp = invdes_surrogate_new(INVDES_MODEL_GP, NULL);
  invdes_surrogate *rf = invdes_surrogate_new(INVDES_MODEL_RF, NULL);
  assert_non_null(gp);
  assert_non_null(rf);
  assert_non_null(invdes_surrogate_gp(gp));
  assert_null(invdes_surrogate_rf(gp));
  assert_non_null(invdes_surrogate_rf(rf));
  assert_null(invdes_surrogate_gp(rf));
  assert_int_equal(invdes_surrogate_has_gradient(gp), 1);
  assert_int_equal(invdes_surrogate_has_gradient(rf), 0);
  assert_int_equal(invdes_surrogate_fit(gp, X, N, D, y, NULL, NULL), INVDES_OK);
  assert_int_equal(invdes_surrogate_fit(rf, X, N, D, y, NULL, NULL), INVDES_OK);
  double mu[3], mu2[3], var[3], dm[3 * D], dv[3 * D];
  invdes_error err;
  invdes_error_clear(&err);
  assert_int_equal(invdes_surrogate_predict_grad(rf, Q, 3, mu, var, dm, dv, &err),
                   INVDES_ERR_USAGE);
  assert_non_null(strstr(err.message, "no gradients"));
  assert_int_equal(invdes_surrogate_predict_grad(gp, Q, 3, mu, var, dm, dv, NULL), INVDES_OK);
  assert_int_equal(invdes_surrogate_predict(gp, Q, 3, mu2, NULL, NULL), INVDES_OK);
  for (int i = 0; i < 3; i++) assert_true(fabs(mu[i] - mu2[i]) <= 1e-12 * (1 + fabs(mu[i])));
  /* d mean / d x0 by central differences through the interface. */
  double h = 1e-5, xp[D] = {Q[0] + h, Q[1]}, xm[D] = {Q[0] - h, Q[1]}, fp, fm;
  assert_int_equal(invdes_surrogate_predict(gp, xp, 1, &fp, NULL, NULL), INVDES_OK);
  assert_int_equal(invdes_surrogate_predict(gp, xm, 1, &fm, NULL, NULL), INVDES_OK);
  assert_true(fabs((fp - fm) / (2 * h) - dm[0]) < 1e-4 * (1 + fabs(dm[0])));
  /* The forest's variance already holds the noise. */
  assert_true(invdes_surrogate_noise_var(rf) == 0.0);
  invdes_surrogate_free(gp);
  invdes_surrogate_free(rf);
}

static void test_misuse_refused(void **state) {
  (void)state;
  double X[N * D], y[N], Q[M * D], yq[M], mu[1], var[1];
  make_data(X, y, Q, yq);
  for (int k = 0; k < 2; k++) {
    invdes_surrogate *s = invdes_surrogate_new(k ? INVDES_MODEL_RF : INVDES_MODEL_GP, NULL);
    assert_non_null(s);
    invdes_error err;
    invdes_error_clear(&err);
    assert_int_equal(invdes_surrogate_predict(s, Q, 1, mu, var, &err), INVDES_ERR_USAGE);
    assert_non_null(strstr(err.message, "before"));
    y[3] = NAN;
    invdes_error_clear(&err);
    assert_int_not_equal(invdes_surrogate_fit(s, X, N, D, y, NULL, &err), INVDES_OK);
    assert_true(err.message[0] != '\0');
    assert_int_equal(invdes_surrogate_predict(s, Q, 1, mu, var, NULL), INVDES_ERR_USAGE);
    y[3] = 0.0;
    invdes_surrogate_free(s);
  }
  assert_null(invdes_surrogate_new(NULL, NULL));
  invdes_surrogate_free(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_both_models_fit_and_predict),
      cmocka_unit_test(test_kind_names),
      cmocka_unit_test(test_gradients_and_handles),
      cmocka_unit_test(test_misuse_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
