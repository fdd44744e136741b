/* test_gp_scale.c — the GP's paths for large data: one point predicted
 * alone (the level-2 solve a local search uses) agrees with the same point
 * predicted inside a block (the level-3 solve candidates use), mean,
 * variance and both gradients, on a data set large enough for the
 * difference to matter. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>

#include "gp.h"
#include "rng.h"

static void test_single_equals_block(void **state) {
  (void)state;
  size_t n = 400, d = 3, m = 64;
  double *X = malloc(n * d * sizeof *X), *y = malloc(n * sizeof *y);
  double *Q = malloc(m * d * sizeof *Q);
  double mb[64], vb[64], dmb[64 * 3], dvb[64 * 3];
  assert_non_null(X);
  assert_non_null(y);
  assert_non_null(Q);
  gsl_rng *r = invdes_rng_new(5, 0);
  for (size_t i = 0; i < n; i++) {
    for (size_t k = 0; k < d; k++) X[i * d + k] = gsl_rng_uniform(r);
    y[i] = sin(5 * X[i * d]) + X[i * d + 1] * X[i * d + 2];
  }
  for (size_t i = 0; i < m * d; i++) Q[i] = gsl_rng_uniform(r);
  invdes_gp_options o;
  invdes_gp_options_init(&o);
  o.seed = 3;
  invdes_gp *gp = invdes_gp_new(&o);
  assert_non_null(gp);
  assert_int_equal(invdes_gp_fit(gp, X, n, d, y, NULL, NULL), INVDES_OK);
  assert_int_equal(invdes_gp_predict_grad(gp, Q, m, mb, vb, dmb, dvb, NULL), INVDES_OK);
  double sv = invdes_gp_signal_var(gp);
  for (size_t q = 0; q < m; q++) {
    double m1, v1, dm1[3], dv1[3], v2;
    assert_int_equal(invdes_gp_predict_grad(gp, Q + q * d, 1, &m1, &v1, dm1, dv1, NULL),
                     INVDES_OK);
    assert_int_equal(invdes_gp_predict(gp, Q + q * d, 1, NULL, &v2, NULL), INVDES_OK);
    assert_true(m1 == mb[q]); /* the mean takes no solve */
    assert_true(fabs(v1 - vb[q]) <= 1e-9 * sv);
    assert_true(v1 == v2);
    for (size_t k = 0; k < d; k++) {
      assert_true(dm1[k] == dmb[q * d + k]);
      assert_true(fabs(dv1[k] - dvb[q * d + k]) <= 1e-7 * (sv + fabs(dvb[q * d + k])));
    }
  }
  invdes_gp_free(gp);
  gsl_rng_free(r);
  free(X);
  free(y);
  free(Q);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_single_equals_block),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
