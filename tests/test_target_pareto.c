/* test_target_pareto.c — several objectives on a campaign's targets
 * (target.h, "several objectives"): when a campaign is multi-objective, the
 * minimized vectors, the default reference point, and the front of random
 * results with a window condition, failures, missing values and ties,
 * checked against a brute-force filter written from the rules in the
 * targets' own terms (larger capacity better, smaller fade better, voltage
 * inside its window), never through the functions under test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pareto.h"
#include "rng.h"
#include "target.h"

/* capacity (maximize), voltage (window [3.6, 3.9]), fade (minimize) */
static const invdes_target T[3] = {
    {.name = "capacity", .goal = INVDES_GOAL_MAXIMIZE, .weight = 1, .reference = NAN},
    {.name = "voltage", .goal = INVDES_GOAL_WINDOW, .lo = 3.6, .hi = 3.9, .reference = NAN},
    {.name = "fade", .goal = INVDES_GOAL_MINIMIZE, .weight = 1, .reference = NAN},
};

static void test_pareto_and_objectives(void **state) {
  (void)state;
  assert_true(invdes_targets_pareto(T, 3));
  assert_false(invdes_targets_pareto(T, 2)); /* one objective */
  invdes_target w[3];
  memcpy(w, T, sizeof w);
  w[2].weight_set = 1;
  assert_false(invdes_targets_pareto(w, 3)); /* a weight: the weighted sum */
  const double v[3] = {180, 3.7, 0.25};
  double y[2] = {0, 0};
  assert_int_equal(invdes_targets_objectives(T, 3, v, y), 2);
  assert_true(y[0] == -180 && y[1] == 0.25);
  assert_int_equal(invdes_targets_objectives(T, 3, NULL, NULL), 2);
  assert_true(invdes_targets_front_candidate(T, 3, v, 0));
  assert_false(invdes_targets_front_candidate(T, 3, v, 1));
  const double out[3] = {180, 3.95, 0.25}, miss[3] = {180, 3.7, NAN};
  assert_false(invdes_targets_front_candidate(T, 3, out, 0));
  assert_false(invdes_targets_front_candidate(T, 3, miss, 0));
}

static void test_reference(void **state) {
  (void)state;
  /* minimized rows: capacity as -v; a NaN row is skipped */
  const double Y[] = {-200, 0.1, -150, 0.3, NAN, 5, -180, 0.3};
  double ref[2];
  assert_int_equal(invdes_targets_reference(T, 3, Y, 4, 2, ref, NULL), INVDES_OK);
  assert_true(ref[0] == -150 + 0.1 * 50);
  assert_true(ref[1] == 0.3 + 0.1 * (0.3 - 0.1));
  /* one value: 1e-6 of max(1, |worst|) beyond it */
  assert_int_equal(invdes_targets_reference(T, 3, Y, 1, 2, ref, NULL), INVDES_OK);
  assert_true(ref[0] == -200 + 1e-6 * 200 && ref[1] == 0.1 + 1e-6);
  /* a given reference wins, negated for a maximized target */
  invdes_target g[3];
  memcpy(g, T, sizeof g);
  g[0].reference = 100;
  assert_int_equal(invdes_targets_reference(g, 3, Y, 4, 2, ref, NULL), INVDES_OK);
  assert_true(ref[0] == -100);
  assert_int_equal(invdes_targets_reference(T, 3, Y, 4, 3, ref, NULL), INVDES_ERR_USAGE);
}

/* Independent: is result a candidate, and does b beat a (capacity larger
 * or equal, fade smaller or equal, one strictly)? */
static int brute_candidate(const double *v, int failed) {
  return !failed && !isnan(v[0]) && !isnan(v[2]) && v[1] >= 3.6 && v[1] <= 3.9;
}
static int brute_beats(const double *b, const double *a) {
  return b[0] >= a[0] && b[2] <= a[2] && (b[0] > a[0] || b[2] < a[2]);
}

static void test_front_random(void **state) {
  (void)state;
  gsl_rng *r = invdes_rng_new(10, 0);
  for (int trial = 0; trial < 200; trial++) {
    size_t n = (size_t)gsl_rng_uniform_int(r, 60);
    double *v = malloc((n + 1) * 3 * sizeof *v);
    int *failed = malloc((n + 1) * sizeof *failed);
    size_t *rank = malloc((n + 1) * sizeof *rank);
    for (size_t i = 0; i < n; i++) {
      /* coarse values: ties and duplicates are common */
      v[3 * i] = 150 + 10 * (double)gsl_rng_uniform_int(r, 6);
      v[3 * i + 1] = 3.5 + 0.1 * (double)gsl_rng_uniform_int(r, 5);
      v[3 * i + 2] = 0.05 * (double)gsl_rng_uniform_int(r, 6);
      if (gsl_rng_uniform_int(r, 10) == 0) v[3 * i + gsl_rng_uniform_int(r, 3)] = NAN;
      failed[i] = gsl_rng_uniform_int(r, 10) == 0;
    }
    invdes_front_summary sum;
    double ref[2];
    assert_int_equal(invdes_targets_front(T, 3, v, failed, n, rank, ref, &sum, NULL), INVDES_OK);
    /* the brute-force front, its reference by the documented rule, its volume */
    size_t cand = 0, size = 0;
    double cap_lo = INFINITY, cap_hi = -INFINITY, fade_lo = INFINITY, fade_hi = -INFINITY;
    double *F = malloc((n + 1) * 2 * sizeof *F);
    for (size_t i = 0; i < n; i++) {
      const double *a = v + 3 * i;
      if (!brute_candidate(a, failed[i])) {
        assert_true(rank[i] == SIZE_MAX);
        continue;
      }
      cand++;
      cap_lo = fmin(cap_lo, a[0]), cap_hi = fmax(cap_hi, a[0]);
      fade_lo = fmin(fade_lo, a[2]), fade_hi = fmax(fade_hi, a[2]);
      int beaten = 0;
      for (size_t j = 0; j < n; j++)
        beaten |= brute_candidate(v + 3 * j, failed[j]) && brute_beats(v + 3 * j, a);
      assert_int_equal(rank[i] == 0, !beaten);
      if (!beaten) F[2 * size] = -a[0], F[2 * size + 1] = a[2], size++;
    }
    assert_int_equal(sum.m, 2);
    assert_int_equal(sum.candidates, cand);
    assert_int_equal(sum.size, size);
    if (cand) {
      double w0 = -cap_lo, r0 = cap_hi > cap_lo ? w0 + 0.1 * (cap_hi - cap_lo) : w0 + 1e-6 * fabs(w0);
      double r1 = fade_hi > fade_lo ? fade_hi + 0.1 * (fade_hi - fade_lo)
                                    : fade_hi + 1e-6 * fmax(1, fabs(fade_hi));
      assert_true(ref[0] == r0 && ref[1] == r1);
      double hv = 0;
      assert_int_equal(invdes_hypervolume(F, size, 2, ref, &hv, NULL), INVDES_OK);
      assert_true(sum.hypervolume == hv);
      assert_true(hv > 0);
    } else {
      assert_true(sum.hypervolume == 0);
    }
    free(v), free(failed), free(rank), free(F);
  }
  gsl_rng_free(r);
}

static void test_front_errors(void **state) {
  (void)state;
  invdes_error err;
  invdes_error_clear(&err);
  const double v[3] = {1, 3.7, 1};
  assert_int_equal(invdes_targets_front(T + 1, 1, v, NULL, 1, NULL, NULL, NULL, &err),
                   INVDES_ERR_USAGE);
  assert_non_null(strstr(err.message, "no maximize/minimize target"));
  invdes_front_summary sum = {9, 9, 9, 9};
  assert_int_equal(invdes_targets_front(T, 3, NULL, NULL, 0, NULL, NULL, &sum, NULL), INVDES_OK);
  assert_true(sum.m == 2 && sum.candidates == 0 && sum.size == 0 && sum.hypervolume == 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_pareto_and_objectives),
      cmocka_unit_test(test_reference),
      cmocka_unit_test(test_front_random),
      cmocka_unit_test(test_front_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
