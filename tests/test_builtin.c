/* test_builtin.c — the benchmark registry: every function reaches its stated
 * minimum at its stated minimiser, nothing in its box goes below it, a shift
 * moves the optimum, published values at other points are met, and lookups
 * by name behave. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "builtin.h"
#include "rng.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* A dimension each function accepts: its fixed one, or a few sizes. */
static size_t dims_for(const invdes_builtin *b, size_t k) {
  static const size_t free_dims[3] = {2, 5, 10};
  return b->dim ? b->dim : free_dims[k];
}

static void test_value_at_argmin(void **state) {
  (void)state;
  for (size_t i = 0; i < invdes_builtin_count(); i++) {
    const invdes_builtin *b = invdes_builtin_at(i);
    for (size_t k = 0; k < (b->dim ? 1u : 3u); k++) {
      size_t d = dims_for(b, k);
      double x[16], lo[16], hi[16];
      b->argmin(d, x);
      b->domain(d, lo, hi);
      for (size_t j = 0; j < d; j++) {
        assert_true(lo[j] < hi[j]);
        assert_true(x[j] >= lo[j] && x[j] <= hi[j]);
      }
      double f = invdes_builtin_eval(b, x, d, NULL);
      if (fabs(f - b->f_min) > 1e-5)
        fail_msg("%s (d=%zu): f(argmin) = %.9g, f_min = %.9g", b->name, d, f, b->f_min);
    }
  }
}

static void test_shift_moves_optimum(void **state) {
  (void)state;
  for (size_t i = 0; i < invdes_builtin_count(); i++) {
    const invdes_builtin *b = invdes_builtin_at(i);
    if (invdes_builtin_outputs(b) > 1) continue; /* optima on the box's edge */
    size_t d = dims_for(b, 1);
    double x[16], shift[16], lo[16], hi[16];
    b->argmin(d, x);
    b->domain(d, lo, hi);
    for (size_t j = 0; j < d; j++) {
      shift[j] = 0.05 * (hi[j] - lo[j]) * (j % 2 ? -1.0 : 1.0);
      x[j] += shift[j];
    }
    assert_true(fabs(invdes_builtin_eval(b, x, d, shift) - b->f_min) < 1e-5);
    /* The unshifted minimiser is no longer optimal. */
    b->argmin(d, x);
    assert_true(invdes_builtin_eval(b, x, d, shift) > b->f_min + 1e-3);
  }
}

static void test_no_point_below_minimum(void **state) {
  (void)state;
  gsl_rng *r = invdes_rng_new(12345, 0);
  assert_non_null(r);
  for (size_t i = 0; i < invdes_builtin_count(); i++) {
    const invdes_builtin *b = invdes_builtin_at(i);
    size_t d = dims_for(b, 1);
    double x[16], lo[16], hi[16];
    b->domain(d, lo, hi);
    for (int n = 0; n < 100000; n++) {
      for (size_t j = 0; j < d; j++)
        x[j] = lo[j] + (hi[j] - lo[j]) * gsl_rng_uniform(r);
      double f = invdes_builtin_eval(b, x, d, NULL);
      if (!(f >= b->f_min - 1e-9))
        fail_msg("%s: f = %.9g below f_min %.9g", b->name, f, b->f_min);
    }
  }
  gsl_rng_free(r);
}

static double at(const char *name, const double *x, size_t d) {
  const invdes_builtin *b = invdes_builtin_find(name);
  assert_non_null(b);
  return invdes_builtin_eval(b, x, d, NULL);
}

/* Values published in the test-function literature (or, for Levy and
 * Hartmann6 at the centre, worked out independently from the formula). */
static void test_reference_values(void **state) {
  (void)state;
  assert_true(fabs(at("branin", (double[]){0.0, 0.0}, 2) - 55.60211264) < 1e-6);
  /* The other two Branin minimisers. */
  assert_true(fabs(at("branin", (double[]){-M_PI, 12.275}, 2) - 0.397887) < 1e-5);
  assert_true(fabs(at("branin", (double[]){9.42478, 2.475}, 2) - 0.397887) < 1e-5);
  /* The minimiser as usually published, to six digits. */
  assert_true(fabs(at("hartmann6", (double[]){0.20169, 0.150011, 0.476874, 0.275332,
                                              0.311652, 0.6573}, 6) + 3.32237) < 1e-5);
  assert_true(fabs(at("hartmann6", (double[]){0.5, 0.5, 0.5, 0.5, 0.5, 0.5}, 6) +
                   0.5053149917) < 1e-8);
  assert_true(fabs(at("ackley", (double[]){1.0, 1.0, 1.0}, 3) - 3.6253849384) < 1e-8);
  assert_true(fabs(at("ackley", (double[]){1.0, 1.0}, 2) - 3.6253849384) < 1e-8);
  assert_true(fabs(at("rosenbrock", (double[]){-1.2, 1.0}, 2) - 24.2) < 1e-9);
  assert_true(fabs(at("rosenbrock", (double[]){0.0, 0.0, 0.0}, 3) - 2.0) < 1e-12);
  assert_true(fabs(at("levy", (double[]){0.0, 0.0}, 2) - 0.7158445541) < 1e-8);
}

/* The two-objective functions at points worked out from their published
 * formulas (BoTorch's BraninCurrin; DTLZ2 and ZDT1 on their fronts). */
static void all_at(const char *name, const double *x, size_t d, double f0, double f1) {
  const invdes_builtin *b = invdes_builtin_find(name);
  double f[INVDES_BUILTIN_MAX_OUT];
  assert_non_null(b);
  assert_int_equal(invdes_builtin_outputs(b), 2);
  assert_int_equal(invdes_builtin_eval_all(b, x, d, NULL, f), 0);
  if (fabs(f[0] - f0) > 1e-9 * fmax(1, fabs(f0)) || fabs(f[1] - f1) > 1e-9 * fmax(1, fabs(f1)))
    fail_msg("%s: (%.12g, %.12g), expected (%.12g, %.12g)", name, f[0], f[1], f0, f1);
  if (invdes_builtin_eval(b, x, d, NULL) != f[0])
    fail_msg("%s: eval %.17g, eval_all %.17g", name, invdes_builtin_eval(b, x, d, NULL), f[0]);
}

static void test_multi_objective_values(void **state) {
  (void)state;
  all_at("branincurrin", (double[]){0, 0}, 2, 308.12909601160663, 3.0);
  all_at("branincurrin", (double[]){0.5, 0.5}, 2, 24.129964413622268, 7.40512391329881);
  all_at("branincurrin", (double[]){1, 1}, 2, 145.87219087939556, 4.005316104976526);
  all_at("branincurrin", (double[]){0.2, 0.7}, 2, 6.644372188889907, 7.028618687638876);
  double h = sqrt(0.5);
  all_at("dtlz2", (double[]){0.5, 0.5, 0.5, 0.5, 0.5, 0.5}, 6, h, h);
  all_at("dtlz2", (double[]){0, 0.5, 0.5, 0.5, 0.5, 0.5}, 6, 1, 0);
  /* 1 + g = 1 + 5 * 0.25 = 2.25: off the front */
  all_at("dtlz2", (double[]){1.0 / 3, 0, 0, 0, 0, 0}, 6, 2.25 * cos(M_PI / 6), 2.25 * 0.5);
  all_at("zdt1", (double[]){0.25, 0, 0, 0, 0, 0}, 6, 0.25, 0.5);
  all_at("zdt1", (double[]){1, 1, 1, 1, 1, 1}, 6, 1, 10 * (1 - sqrt(0.1)));
  all_at("zdt1", (double[]){0, 0.5, 0.5, 0.5, 0.5, 0.5}, 6, 0, 5.5);
  /* one-output functions give one value through eval_all too */
  double f[INVDES_BUILTIN_MAX_OUT];
  assert_int_equal(invdes_builtin_outputs(invdes_builtin_find("branin")), 1);
  assert_int_equal(invdes_builtin_eval_all(invdes_builtin_find("branin"),
                                           (double[]){0, 0}, 2, NULL, f), 0);
  assert_true(fabs(f[0] - 55.60211264) < 1e-6);
  assert_int_equal(invdes_builtin_eval_all(invdes_builtin_find("zdt1"), (double[]){0}, 1,
                                           NULL, f), -1);
  assert_true(isnan(f[0]) && isnan(f[1]));
}

static void test_registry(void **state) {
  (void)state;
  static const char *names[] = {"branin", "hartmann6",    "ackley", "rosenbrock",
                                "levy",   "branincurrin", "dtlz2",  "zdt1"};
  assert_int_equal(invdes_builtin_count(), 8);
  for (size_t i = 0; i < 8; i++) {
    const invdes_builtin *b = invdes_builtin_find(names[i]);
    assert_non_null(b);
    assert_string_equal(b->name, names[i]);
    assert_non_null(b->description);
  }
  for (size_t i = 0; i < invdes_builtin_count(); i++)
    assert_ptr_equal(invdes_builtin_find(invdes_builtin_at(i)->name), invdes_builtin_at(i));
  assert_null(invdes_builtin_at(invdes_builtin_count()));
  assert_null(invdes_builtin_find("sphere"));
  assert_null(invdes_builtin_find("Branin"));
  assert_null(invdes_builtin_find(""));
  assert_null(invdes_builtin_find(NULL));
  assert_int_equal(invdes_builtin_find("branin")->dim, 2);
  assert_int_equal(invdes_builtin_find("hartmann6")->dim, 6);
  assert_int_equal(invdes_builtin_find("rosenbrock")->min_dim, 2);
}

static void test_wrong_dimension_is_nan(void **state) {
  (void)state;
  double x[8] = {0};
  assert_true(isnan(invdes_builtin_eval(invdes_builtin_find("branin"), x, 3, NULL)));
  assert_true(isnan(invdes_builtin_eval(invdes_builtin_find("hartmann6"), x, 5, NULL)));
  assert_true(isnan(invdes_builtin_eval(invdes_builtin_find("rosenbrock"), x, 1, NULL)));
  assert_true(isnan(invdes_builtin_eval(invdes_builtin_find("ackley"), x, 0, NULL)));
  assert_true(isnan(invdes_builtin_eval(NULL, x, 2, NULL)));
  assert_false(invdes_builtin_accepts(invdes_builtin_find("branin"), 3));
  assert_true(invdes_builtin_accepts(invdes_builtin_find("levy"), 1));
}

/* The scratch path for a shifted evaluation in more than 64 dimensions. */
static void test_large_shifted(void **state) {
  (void)state;
  enum { D = 100 };
  const invdes_builtin *b = invdes_builtin_find("rosenbrock");
  double x[D], shift[D];
  for (size_t j = 0; j < D; j++) {
    shift[j] = 0.01 * (double)j;
    x[j] = 1.0 + shift[j];
  }
  assert_true(fabs(invdes_builtin_eval(b, x, D, shift)) < 1e-12);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_value_at_argmin),   cmocka_unit_test(test_shift_moves_optimum),
      cmocka_unit_test(test_no_point_below_minimum), cmocka_unit_test(test_reference_values),
      cmocka_unit_test(test_registry),
      cmocka_unit_test(test_multi_objective_values),          cmocka_unit_test(test_wrong_dimension_is_nan),
      cmocka_unit_test(test_large_shifted),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
