/* test_rf.c — the random forest as a user of it sees it: it learns a step, its
 * variance is larger between data clusters than on them, extra-trees split
 * on every feature, its out-of-bag error
 * predicts the held-out error, it splits categories by subsets, results do not
 * depend on the thread count, and bad input is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "rf.h"
#include "rng.h"

static invdes_rf *fit_or_fail(const invdes_rf_options *o, const double *X,
                              size_t n, size_t d, const double *y) {
  invdes_rf *rf = invdes_rf_new(o);
  assert_non_null(rf);
  invdes_error err;
  invdes_error_clear(&err);
  if (invdes_rf_fit(rf, X, n, d, y, NULL, &err) != INVDES_OK)
    fail_msg("fit failed: %s", err.message);
  return rf;
}

static void test_fits_step(void **state) {
  (void)state;
  enum { N = 200 };
  double x[N], y[N];
  gsl_rng *r = invdes_rng_new(1, 0);
  for (size_t i = 0; i < N; i++) {
    x[i] = gsl_rng_uniform(r);
    y[i] = x[i] < 0.5 ? 0.0 : 1.0;
  }
  gsl_rng_free(r);
  invdes_rf_options o;
  invdes_rf_options_init(&o);
  o.n_trees = 50;
  invdes_rf *rf = fit_or_fail(&o, x, N, 1, y);
  double q[6] = {0.05, 0.2, 0.45, 0.55, 0.8, 0.95}, mu[6], var[6];
  assert_int_equal(invdes_rf_predict(rf, q, 6, mu, var, NULL), INVDES_OK);
  for (int k = 0; k < 6; k++) {
    double want = q[k] < 0.5 ? 0.0 : 1.0;
    if (fabs(mu[k] - want) > 1e-9 || var[k] > 1e-9)
      fail_msg("x=%g: mean %g var %g, want %g exactly", q[k], mu[k], var[k], want);
  }
  invdes_rf_free(rf);
}

/* Noisy data in [0, 0.3] and [0.7, 1]: the forest is more uncertain in the gap
 * than among the data, with either threshold rule. */
static void test_variance_larger_between_data(void **state) {
  (void)state;
  enum { N = 120 };
  double x[N], y[N];
  gsl_rng *r = invdes_rng_new(2, 0);
  for (size_t i = 0; i < N; i++) {
    double u = gsl_rng_uniform(r) * 0.6;
    x[i] = u < 0.3 ? u : u + 0.4;
    y[i] = sin(6.0 * x[i]) + gsl_ran_gaussian(r, 0.05);
  }
  gsl_rng_free(r);
  for (int rt = 0; rt <= 1; rt++) {
    invdes_rf_options o;
    invdes_rf_options_init(&o);
    o.random_threshold = rt;
    o.min_leaf = 3;
    invdes_rf *rf = fit_or_fail(&o, x, N, 1, y);
    double gap[3] = {0.45, 0.5, 0.55}, near[6] = {0.1, 0.15, 0.2, 0.8, 0.85, 0.9};
    double mg[3], vg[3], mn[6], vn[6];
    assert_int_equal(invdes_rf_predict(rf, gap, 3, mg, vg, NULL), INVDES_OK);
    assert_int_equal(invdes_rf_predict(rf, near, 6, mn, vn, NULL), INVDES_OK);
    double vmax_near = 0.0, vmean_gap = (vg[0] + vg[1] + vg[2]) / 3.0;
    for (int k = 0; k < 6; k++) vmax_near = fmax(vmax_near, vn[k]);
    if (!(vmean_gap > 3.0 * vmax_near))
      fail_msg("random_threshold=%d: gap variance %g, largest near data %g", rt,
               vmean_gap, vmax_near);
    invdes_rf_free(rf);
  }
}

/* Extra-trees draw a threshold for every tried feature, not the best
 * position on one: on four points of the diagonal with y = x0, splits on
 * x1 fit the data as well as splits on x0, so at (0.5, 2.5), where x0 reads
 * 0.5 and x1 reads 2.5, extra-trees mix both readings (measured: mean 0.9,
 * variance 0.58 with 400 trees) while best-position splits, which take x0
 * on the tie, say 0.5 (0.49, 0.25). */
static void test_extra_trees_use_every_feature(void **state) {
  (void)state;
  double X[8] = {0, 0, 1, 1, 2, 2, 3, 3}, y[4] = {0, 1, 2, 3}, q[2] = {0.5, 2.5};
  for (int rt = 1; rt <= INVDES_RF_EXTRA_TREES; rt++) {
    invdes_rf_options o;
    invdes_rf_options_init(&o);
    o.n_trees = 400;
    o.bootstrap = 0;
    o.random_threshold = rt;
    o.seed = 5;
    invdes_rf *rf = fit_or_fail(&o, X, 4, 2, y);
    double mu, var;
    assert_int_equal(invdes_rf_predict(rf, q, 1, &mu, &var, NULL), INVDES_OK);
    if (rt == INVDES_RF_EXTRA_TREES ? !(mu > 0.75 && var > 0.4) : !(mu < 0.6 && var < 0.3))
      fail_msg("random_threshold=%d: mean %g, variance %g at (0.5, 2.5)", rt, mu, var);
    invdes_rf_free(rf);
  }
}

static double smooth3(const double *x) {
  return sin(3.0 * x[0]) + x[1] * x[1] + 0.5 * x[2];
}

static void test_oob_matches_heldout(void **state) {
  (void)state;
  enum { N = 600, M = 2000, D = 3 };
  double *X = malloc(sizeof(double) * (N + M) * D), *y = malloc(sizeof(double) * (N + M));
  assert_non_null(X);
  assert_non_null(y);
  gsl_rng *r = invdes_rng_new(3, 0);
  for (size_t i = 0; i < N + M; i++) {
    for (size_t j = 0; j < D; j++) X[i * D + j] = gsl_rng_uniform(r);
    y[i] = smooth3(X + i * D) + gsl_ran_gaussian(r, 0.1);
  }
  gsl_rng_free(r);
  invdes_rf *rf = fit_or_fail(NULL, X, N, D, y);
  double *mu = malloc(sizeof(double) * M);
  assert_non_null(mu);
  assert_int_equal(invdes_rf_predict(rf, X + N * D, M, mu, NULL, NULL), INVDES_OK);
  double se = 0.0;
  for (size_t i = 0; i < M; i++) se += (mu[i] - y[N + i]) * (mu[i] - y[N + i]);
  double test_rmse = sqrt(se / M), oob = invdes_rf_oob_rmse(rf);
  assert_int_equal(invdes_rf_oob_count(rf), N);
  if (!(fabs(oob - test_rmse) < 0.15 * test_rmse))
    fail_msg("OOB RMSE %g, held-out RMSE %g", oob, test_rmse);
  invdes_rf_free(rf);

  /* Without bootstrap there is no out-of-bag sample. */
  invdes_rf_options o;
  invdes_rf_options_init(&o);
  o.bootstrap = 0;
  o.n_trees = 3;
  rf = fit_or_fail(&o, X, N, D, y);
  assert_true(isnan(invdes_rf_oob_rmse(rf)));
  invdes_rf_free(rf);
  free(mu);
  free(X);
  free(y);
}

static void test_same_result_any_thread_count(void **state) {
  (void)state;
  enum { N = 500, M = 300, D = 4 };
  double X[N * D], y[N], Q[M * D];
  gsl_rng *r = invdes_rng_new(4, 0);
  for (size_t i = 0; i < N; i++) {
    for (size_t j = 0; j < D; j++) X[i * D + j] = gsl_rng_uniform(r);
    y[i] = smooth3(X + i * D) + X[i * D + 3] + gsl_ran_gaussian(r, 0.1);
  }
  for (size_t i = 0; i < M * D; i++) Q[i] = gsl_rng_uniform(r);
  gsl_rng_free(r);
  double mu[2][M], var[2][M], oob[2];
  for (int k = 0; k < 2; k++) {
    invdes_rf_options o;
    invdes_rf_options_init(&o);
    o.n_trees = 40;
    o.mtry = 2; /* exercise the random feature subsets too */
    o.random_threshold = 1;
    o.seed = 99;
    o.n_threads = k + 1;
    invdes_rf *rf = fit_or_fail(&o, X, N, D, y);
    assert_int_equal(invdes_rf_predict(rf, Q, M, mu[k], var[k], NULL), INVDES_OK);
    oob[k] = invdes_rf_oob_rmse(rf);
    invdes_rf_free(rf);
  }
  assert_memory_equal(mu[0], mu[1], sizeof mu[0]);
  assert_memory_equal(var[0], var[1], sizeof var[0]);
  assert_memory_equal(&oob[0], &oob[1], sizeof oob[0]);
}

/* Categories {0, 3} give 1, the others 0: one subset split separates them,
 * which no single threshold on the codes could. */
static void test_categorical_subset_split(void **state) {
  (void)state;
  enum { N = 100 };
  double x[N], y[N];
  for (size_t i = 0; i < N; i++) {
    x[i] = (double)(i % 5);
    y[i] = (i % 5 == 0 || i % 5 == 3) ? 1.0 : 0.0;
  }
  int ncat[1] = {5};
  invdes_rf_options o;
  invdes_rf_options_init(&o);
  o.n_trees = 20;
  o.max_depth = 1;
  o.n_categories = ncat;
  o.n_categories_len = 1;
  invdes_rf *rf = fit_or_fail(&o, x, N, 1, y);
  assert_int_equal(invdes_rf_n_nodes(rf), 3 * 20);
  double q[5] = {0, 1, 2, 3, 4}, mu[5];
  assert_int_equal(invdes_rf_predict(rf, q, 5, mu, NULL, NULL), INVDES_OK);
  for (int c = 0; c < 5; c++) {
    double want = (c == 0 || c == 3) ? 1.0 : 0.0;
    if (fabs(mu[c] - want) > 1e-12) fail_msg("category %d: %g, want %g", c, mu[c], want);
  }
  invdes_rf_free(rf);

  /* The same codes as a number need more than one split. */
  o.n_categories = NULL;
  o.n_categories_len = 0;
  rf = fit_or_fail(&o, x, N, 1, y);
  assert_int_equal(invdes_rf_predict(rf, q, 5, mu, NULL, NULL), INVDES_OK);
  double worst = 0.0;
  for (int c = 0; c < 5; c++)
    worst = fmax(worst, fabs(mu[c] - ((c == 0 || c == 3) ? 1.0 : 0.0)));
  assert_true(worst > 0.2);
  invdes_rf_free(rf);
}

static void test_bad_input(void **state) {
  (void)state;
  invdes_rf_options o;
  invdes_rf_options_init(&o);
  o.n_trees = 0;
  assert_null(invdes_rf_new(&o));
  int bad_cat[1] = {1};
  invdes_rf_options_init(&o);
  o.n_categories = bad_cat;
  o.n_categories_len = 1;
  assert_null(invdes_rf_new(&o));

  invdes_rf *rf = invdes_rf_new(NULL);
  assert_non_null(rf);
  invdes_error err;
  double q[2] = {0.5, 0.5}, mu[1];
  invdes_error_clear(&err);
  assert_int_equal(invdes_rf_predict(rf, q, 1, mu, NULL, &err), INVDES_ERR_USAGE);
  double X[4] = {0.1, 0.2, NAN, 0.4}, y[2] = {1, 2};
  invdes_error_clear(&err);
  assert_int_equal(invdes_rf_fit(rf, X, 2, 2, y, NULL, &err), INVDES_ERR_INVALID);
  assert_non_null(strstr(err.message, "not finite"));
  assert_int_equal(invdes_rf_fit(rf, X, 0, 2, y, NULL, NULL), INVDES_ERR_INVALID);
  invdes_rf_free(rf);

  int ncat[2] = {0, 3};
  o.n_categories = ncat;
  o.n_categories_len = 2;
  rf = invdes_rf_new(&o);
  double Xc[4] = {0.1, 1, 0.2, 3}; /* 3 is not one of 0..2 */
  invdes_error_clear(&err);
  assert_int_equal(invdes_rf_fit(rf, Xc, 2, 2, y, NULL, &err), INVDES_ERR_INVALID);
  assert_non_null(strstr(err.message, "category"));
  invdes_error_clear(&err);
  assert_int_equal(invdes_rf_fit(rf, Xc, 4, 1, (double[4]){1, 2, 3, 4}, NULL, &err),
                   INVDES_ERR_INVALID);
  invdes_rf_free(rf);
  invdes_rf_free(NULL);
}

/* Responses whose sum overflows must not give NaN predictions silently: the
 * fit either refuses them or predicts finite means. */
static void test_huge_responses(void **state) {
  (void)state;
  double X[4] = {1, 2, 3, 4}, y[4] = {1e308, 1.5e308, 1.2e308, 1.7e308};
  double q[2] = {1.5, 3.5}, mu[2];
  invdes_rf *rf = invdes_rf_new(NULL);
  assert_non_null(rf);
  invdes_error err;
  invdes_error_clear(&err);
  invdes_status st = invdes_rf_fit(rf, X, 4, 1, y, NULL, &err);
  if (st == INVDES_OK) {
    assert_int_equal(invdes_rf_predict(rf, q, 2, mu, NULL, &err), INVDES_OK);
    for (int i = 0; i < 2; i++)
      if (!isfinite(mu[i])) fail_msg("prediction %d is %g", i, mu[i]);
  } else {
    assert_int_equal(st, INVDES_ERR_NUMERIC);
    assert_non_null(strstr(err.message, "too large"));
    /* and the forest is left unfitted, not half-fitted */
    assert_int_equal(invdes_rf_predict(rf, q, 2, mu, NULL, &err), INVDES_ERR_USAGE);
  }
  invdes_rf_free(rf);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_fits_step),
      cmocka_unit_test(test_variance_larger_between_data),
      cmocka_unit_test(test_extra_trees_use_every_feature),
      cmocka_unit_test(test_oob_matches_heldout),
      cmocka_unit_test(test_same_result_any_thread_count),
      cmocka_unit_test(test_categorical_subset_split),
      cmocka_unit_test(test_bad_input),
      cmocka_unit_test(test_huge_responses),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
