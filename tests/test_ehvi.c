/* test_ehvi.c — the box decomposition of ehvi.h and the expected
 * hypervolume improvement: on random fronts (dominated points, duplicates
 * and points beyond the reference included) the boxes fill exactly the
 * complement of the dominated region (volume and membership, checked
 * against pareto.h's hypervolume and a brute-force dominance test), the
 * improvement of one point equals the growth of the hypervolume, and the
 * closed-form EHVI agrees with a Monte-Carlo estimate (fixed seed, a
 * tolerance of five standard errors). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "ehvi.h"
#include "pareto.h"
#include "rng.h"

#define NMAX 40

/* n random points in [0,1]^m: some on a rough front, some dominated, a
 * duplicate, one beyond the reference (ref = 1.1 each). */
static void random_front(gsl_rng *r, size_t n, size_t m, double *Y) {
  for (size_t i = 0; i < n; i++) {
    double s = 0;
    for (size_t j = 0; j < m; j++) s += Y[i * m + j] = gsl_rng_uniform(r) + 0.01;
    if (i % 3 == 0) /* push onto a simplex-like front */
      for (size_t j = 0; j < m; j++) Y[i * m + j] /= s;
    if (i % 11 == 10) Y[i * m + (i % m)] = 1.3;        /* beyond ref */
    if (i % 7 == 6) memcpy(Y + i * m, Y + (i - 1) * m, m * sizeof *Y); /* tie */
    if (i % 5 == 4) Y[i * m] = round(Y[i * m] * 4) / 4; /* shared values */
  }
}

static int weakly_dominated(const double *Y, size_t n, size_t m, const double *z) {
  for (size_t i = 0; i < n; i++) {
    size_t j = 0;
    while (j < m && Y[i * m + j] <= z[j]) j++;
    if (j == m) return 1;
  }
  return 0;
}

static void test_boxes_fill_the_complement(void **state) {
  (void)state;
  gsl_rng *r = invdes_rng_new(7, 1);
  double Y[NMAX * 3], ref[3] = {1.1, 1.1, 1.1}, low[3] = {-1, -1, -1};
  double lo[3], hi[3], z[3];
  invdes_error err;
  ehvi_boxes b = {0};
  for (size_t m = 2; m <= 3; m++)
    for (size_t n = 0; n <= NMAX; n += 3) {
      random_front(r, n, m, Y);
      assert_int_equal(ehvi_boxes_build(&b, Y, n, m, ref, &err), INVDES_OK);
      double hv, vol = 0, box = 1;
      assert_int_equal(invdes_hypervolume(Y, n, m, ref, &hv, &err), INVDES_OK);
      for (size_t j = 0; j < m; j++) box *= ref[j] - low[j];
      for (size_t k = 0; k < ehvi_boxes_count(&b); k++) {
        ehvi_boxes_get(&b, k, lo, hi);
        double v = 1;
        for (size_t j = 0; j < m; j++) {
          assert_true(lo[j] < hi[j]);
          v *= hi[j] - fmax(lo[j], low[j]);
        }
        vol += v;
      }
      if (fabs(vol - (box - hv)) > 1e-9 * box)
        fail_msg("m=%zu n=%zu: boxes %.12g, complement %.12g", m, n, vol, box - hv);
      for (int t = 0; t < 300; t++) { /* each free point in exactly one box */
        for (size_t j = 0; j < m; j++) z[j] = low[j] + (ref[j] - low[j]) * gsl_rng_uniform(r);
        int in = 0;
        for (size_t k = 0; k < ehvi_boxes_count(&b); k++) {
          ehvi_boxes_get(&b, k, lo, hi);
          size_t j = 0;
          while (j < m && z[j] >= lo[j] && z[j] < hi[j]) j++;
          in += j == m;
        }
        assert_int_equal(in, !weakly_dominated(Y, n, m, z));
      }
    }
  ehvi_boxes_free(&b);
  gsl_rng_free(r);
}

static void test_improvement_is_hypervolume_growth(void **state) {
  (void)state;
  gsl_rng *r = invdes_rng_new(7, 2);
  double Y[(NMAX + 1) * 3], ref[3] = {1.1, 1.1, 1.1};
  invdes_error err;
  ehvi_boxes b = {0};
  for (size_t m = 2; m <= 3; m++)
    for (size_t n = 1; n <= 25; n += 4) {
      random_front(r, n, m, Y);
      assert_int_equal(ehvi_boxes_build(&b, Y, n, m, ref, &err), INVDES_OK);
      double h0, h1;
      assert_int_equal(invdes_hypervolume(Y, n, m, ref, &h0, &err), INVDES_OK);
      for (int t = 0; t < 20; t++) {
        for (size_t j = 0; j < m; j++) Y[n * m + j] = 1.2 * gsl_rng_uniform(r) - 0.05;
        assert_int_equal(invdes_hypervolume(Y, n + 1, m, ref, &h1, &err), INVDES_OK);
        assert_true(fabs(ehvi_improvement(&b, Y + n * m) - (h1 - h0)) < 1e-12);
      }
    }
  ehvi_boxes_free(&b);
  gsl_rng_free(r);
}

/* Closed form against 200,000 draws: |difference| < 5 standard errors. */
static void test_ehvi_matches_monte_carlo(void **state) {
  (void)state;
  gsl_rng *r = invdes_rng_new(11, 3);
  double Y[8 * 3], ref[3] = {1.1, 1.1, 1.1}, mu[3], sd[3], y[3];
  invdes_error err;
  ehvi_boxes b = {0};
  const size_t N = 200000;
  int informative = 0;
  for (size_t m = 2; m <= 3; m++)
    for (int c = 0; c < 4; c++) {
      size_t n = (size_t)(2 + 2 * c);
      random_front(r, n, m, Y);
      assert_int_equal(ehvi_boxes_build(&b, Y, n, m, ref, &err), INVDES_OK);
      for (size_t j = 0; j < m; j++) {
        mu[j] = 0.2 + 0.6 * gsl_rng_uniform(r);
        sd[j] = c == 3 ? 0.01 : 0.05 + 0.3 * gsl_rng_uniform(r);
      }
      double s = 0, ss = 0;
      for (size_t k = 0; k < N; k++) {
        for (size_t j = 0; j < m; j++) y[j] = mu[j] + gsl_ran_gaussian(r, sd[j]);
        double v = ehvi_improvement(&b, y);
        s += v;
        ss += v * v;
      }
      double mean = s / N, se = sqrt(fmax(ss / N - mean * mean, 0) / N);
      double e = ehvi_gauss(&b, mu, sd);
      if (!(fabs(e - mean) <= 5 * se + 1e-12))
        fail_msg("m=%zu n=%zu: EHVI %.9g, Monte Carlo %.9g (se %.3g)", m, n, e, mean, se);
      assert_true(e >= 0);
      informative += mean > 1e-4;
    }
  assert_true(informative >= 6); /* most cases have something to gain */
  /* far beyond the reference: nothing to gain */
  mu[0] = mu[1] = mu[2] = 50;
  sd[0] = sd[1] = sd[2] = 0.1;
  assert_true(ehvi_gauss(&b, mu, sd) == 0);
  ehvi_boxes_free(&b);
  gsl_rng_free(r);
}

static void test_refuses_other_counts(void **state) {
  (void)state;
  double Y[4] = {0.5, 0.5, 0.5, 0.5}, ref[4] = {1, 1, 1, 1};
  invdes_error err;
  ehvi_boxes b = {0};
  assert_int_equal(ehvi_boxes_build(&b, Y, 1, 4, ref, &err), INVDES_ERR_INVALID);
  assert_int_equal(ehvi_boxes_build(&b, Y, 1, 1, ref, &err), INVDES_ERR_INVALID);
  ehvi_boxes_free(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_boxes_fill_the_complement),
      cmocka_unit_test(test_improvement_is_hypervolume_growth),
      cmocka_unit_test(test_ehvi_matches_monte_carlo),
      cmocka_unit_test(test_refuses_other_counts),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
