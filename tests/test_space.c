/* test_space.c — the design space: layout, encode/decode round trips,
 * decoding any z to a feasible point, the diagnostics of bad constraints and
 * infeasible constraint sets, formatting, and pools. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rng.h"
#include "sample.h"
#include "space.h"
#include "space_fixtures.h"

static invdes_space *must_space(fixture *f) {
  invdes_error err;
  invdes_error_clear(&err);
  invdes_space *s = invdes_space_new(&f->c, &err);
  if (!s) fail_msg("invdes_space_new: %s", err.message);
  return s;
}

static void test_layout(void **state) {
  (void)state;
  fixture *f = fx_all_types();
  invdes_space *s = must_space(f);
  /* T lr n m c_rate: 1 each; dopant one-hot 3; tm 3 */
  assert_int_equal(invdes_space_dim(s), 5 + 3 + 3);
  assert_int_equal(invdes_space_n_vars(s), 6 + 3);
  assert_string_equal(invdes_space_var_name(s, 0), "T");
  assert_string_equal(invdes_space_var_name(s, 5), "dopant");
  assert_string_equal(invdes_space_var_name(s, 6), "ni");
  assert_string_equal(invdes_space_var_name(s, 8), "co");
  assert_null(invdes_space_var_name(s, 9));
  double fr = invdes_space_feasible_fraction(s);
  assert_true(fr > 0.3 && fr < 1);
  assert_true(invdes_space_feasible_samples(s) >= 10000);
  invdes_space_free(s);
  invdes_space_free(NULL);
  invdes_space_work_free(NULL);
  fx_free(f);

  f = fx_simplex3();
  s = must_space(f);
  assert_float_equal(invdes_space_feasible_fraction(s), 1.0, 0);
  invdes_space_free(s);
  fx_free(f);
}

/* decode(encode(x)) == x for sampled feasible points of every type */
static void test_round_trip(void **state) {
  (void)state;
  fixture *f = fx_all_types();
  invdes_space *s = must_space(f);
  invdes_space_work *w = invdes_space_work_new(s);
  size_t nv = invdes_space_n_vars(s), D = invdes_space_dim(s), n = 2000;
  double *x = malloc(n * nv * sizeof *x), z[16], y[16];
  invdes_error err;
  assert_int_equal(invdes_sample(s, INVDES_DESIGN_RANDOM, n, 1, 2, x, &err),
                   INVDES_OK);
  for (size_t i = 0; i < n; i++) {
    const double *xi = x + i * nv;
    assert_int_equal(invdes_space_encode(s, xi, z, &err), INVDES_OK);
    for (size_t j = 0; j < D; j++) assert_true(z[j] >= 0 && z[j] <= 1);
    invdes_space_decode(s, w, z, y);
    for (size_t j = 0; j < nv; j++) {
      double tol = 1e-12 * (1 + fabs(xi[j]));
      if (j >= 2 && j <= 5) tol = 0; /* integer, discrete, categorical */
      if (fabs(y[j] - xi[j]) > tol)
        fail_msg("point %zu var %s: %.17g -> %.17g", i,
                 invdes_space_var_name(s, j), xi[j], y[j]);
    }
  }
  free(x);
  invdes_space_work_free(w);
  invdes_space_free(s);
  fx_free(f);
}

/* any z, also outside [0,1] or not finite, decodes to a feasible point */
static void test_decode_any_z(void **state) {
  (void)state;
  fixture *fs[2] = {fx_all_types(), fx_ncm()};
  for (int k = 0; k < 2; k++) {
    invdes_space *s = must_space(fs[k]);
    invdes_space_work *w = invdes_space_work_new(s);
    size_t D = invdes_space_dim(s);
    gsl_rng *r = invdes_rng_new(11, (uint64_t)k);
    double z[16], x[16];
    for (int i = 0; i < 20000; i++) {
      for (size_t j = 0; j < D; j++) z[j] = -0.5 + 2 * gsl_rng_uniform(r);
      if (i % 100 == 0) z[i / 100 % D] = NAN;
      if (i % 100 == 1) z[i / 100 % D] = -INFINITY;
      invdes_space_decode(s, w, z, x);
      double v = invdes_space_violation(s, w, x);
      if (!(v <= 1e-9)) fail_msg("z #%d decodes to violation %g", i, v);
    }
    gsl_rng_free(r);
    invdes_space_work_free(w);
    invdes_space_free(s);
    fx_free(fs[k]);
  }
}

/* A z whose plain decode breaks a constraint is pulled back to the edge of
 * the feasible region, not to the anchor. */
static void test_repair_reaches_boundary(void **state) {
  (void)state;
  fixture *f = fx_ncm();
  invdes_space *s = must_space(f);
  invdes_space_work *w = invdes_space_work_new(s);
  /* sinter_T 950, layers, dopant none, ni at its top: ni^2 + 0.95 > 1.6 */
  double z[16] = {1.0, 0.5, 1, 0, 0, 0, 0, 1.0, 0.0, 0.0}, x[16];
  assert_int_equal(invdes_space_dim(s), 10);
  invdes_space_decode(s, w, z, x);
  assert_true(invdes_space_violation(s, w, x) == 0);
  double g = x[3] * x[3] + x[0] / 1000; /* ni^2 + sinter_T/1000 */
  assert_true(g <= 1.6);
  assert_true(g > 1.6 - 1e-6);
  invdes_space_work_free(w);
  invdes_space_free(s);
  fx_free(f);
}

static void test_encode_rejects(void **state) {
  (void)state;
  fixture *f = fx_all_types();
  invdes_space *s = must_space(f);
  const double *a = invdes_space_anchor(s);
  double x[9], z[16];
  invdes_error err;
  struct { size_t var; double v; const char *msg; } bad[] = {
      {0, 1000, "'T' is outside its bounds"},
      {2, 2.5, "'n' is not a whole number"},
      {3, 0, "'m' is outside its bounds"},
      {4, 0.3, "'c_rate' is not one of its values"},
      {5, 3, "'dopant' is not a label index"},
      {6, 0.2, "'ni' is outside its bounds"},
      {1, NAN, "'lr' is not finite"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    memcpy(x, a, sizeof x);
    x[bad[i].var] = bad[i].v;
    invdes_error_clear(&err);
    assert_int_equal(invdes_space_encode(s, x, z, &err), INVDES_ERR_INVALID);
    if (!strstr(err.message, bad[i].msg))
      fail_msg("expected \"%s\", got \"%s\"", bad[i].msg, err.message);
  }
  memcpy(x, a, sizeof x);
  assert_int_equal(invdes_space_encode(s, x, z, &err), INVDES_OK);
  invdes_space_free(s);
  fx_free(f);
}

static void expect_new_fails(fixture *f, invdes_status st, const char *where,
                             const char *what) {
  invdes_error err;
  invdes_error_clear(&err);
  invdes_space *s = invdes_space_new(&f->c, &err);
  if (s) fail_msg("space accepted (expected \"%s\")", what);
  assert_int_equal(err.status, st);
  if (strncmp(err.message, where, strlen(where)) || !strstr(err.message, what))
    fail_msg("expected \"%s...%s\", got \"%s\"", where, what, err.message);
  fx_free(f);
}

static void test_bad_constraints(void **state) {
  (void)state;
  fixture *f = fx_ncm();
  fx_add_constraint(f, "ni + * co <= 1", 0); /* mark 22:7, '*' at offset 5 */
  expect_new_fails(f, INVDES_ERR_PARSE, "test.yaml:22:12: ", "'*'");
  f = fx_ncm();
  fx_add_constraint(f, "ni + cobalt <= 1", 0);
  expect_new_fails(f, INVDES_ERR_PARSE, "test.yaml:22:12: ",
                   "unknown variable 'cobalt'");
  /* ni <= 0.95 by its bounds */
  f = fx_ncm();
  fx_add_constraint(f, "ni >= 0.97", 0);
  expect_new_fails(f, INVDES_ERR_INFEASIBLE, "test.yaml:20:7: ",
                   "no feasible point found: none of 200000 points");
  f = fx_ncm();
  fx_add_constraint(f, "ni >= 0.97", 0);
  expect_new_fails(f, INVDES_ERR_INFEASIBLE, "test.yaml:20:7: ",
                   "test.yaml:22:7: constraint \"ni >= 0.97\" holds at 0 of");
  /* jointly infeasible although each holds somewhere */
  f = fx_ncm();
  fx_add_constraint(f, "ni >= 0.9", 0);
  fx_add_constraint(f, "mn >= 0.11", 0);
  expect_new_fails(f, INVDES_ERR_INFEASIBLE, "test.yaml:20:7: ",
                   "no feasible point found");
  /* an equality without a tolerance cannot be hit by sampling: say so */
  f = fx_ncm();
  fx_add_constraint(f, "ni + mn == 0.8", 0);
  expect_new_fails(f, INVDES_ERR_INFEASIBLE, "test.yaml:20:7: ",
                   "give it `tol:`");
  /* a group that cannot reach its total */
  f = fx_ncm();
  f->k[0].hi = 0.1;
  expect_new_fails(f, INVDES_ERR_INVALID, "test.yaml:11:5: ",
                   "cannot reach the total 1");
}

/* Bounds whose values or width a double cannot carry are refused with the
 * parameter's mark; wide ones it can carry still sample inside them. */
static void test_extreme_bounds(void **state) {
  (void)state;
  fixture *f = fx_all_types();
  f->p[2].lo = -9223372036854775807.0, f->p[2].hi = 9223372036854775807.0;
  expect_new_fails(f, INVDES_ERR_INVALID, "test.yaml:5:5: ", "'n'");
  f = fx_all_types();
  f->p[2].lo = 0, f->p[2].hi = 1e17; /* beyond 2^53: not every whole number */
  expect_new_fails(f, INVDES_ERR_INVALID, "test.yaml:5:5: ", "2^53");
  f = fx_all_types();
  f->p[0].lo = -1e308, f->p[0].hi = 1e308; /* the width overflows */
  expect_new_fails(f, INVDES_ERR_INVALID, "test.yaml:3:5: ", "'T'");

  f = fx_all_types();
  f->p[0].lo = -1e307, f->p[0].hi = 1e307;
  f->p[2].lo = -9007199254740992.0, f->p[2].hi = 9007199254740992.0;
  invdes_space *s = must_space(f);
  size_t nv = invdes_space_n_vars(s), n = 200;
  double *x = malloc(n * nv * sizeof *x);
  invdes_error err;
  invdes_error_clear(&err);
  assert_int_equal(invdes_sample(s, INVDES_DESIGN_RANDOM, n, 1, 0, x, &err),
                   INVDES_OK);
  int neg_T = 0, neg_n = 0;
  for (size_t i = 0; i < n; i++) {
    const double *xi = x + i * nv;
    assert_true(xi[0] >= -1e307 && xi[0] <= 1e307);
    assert_true(fabs(xi[2]) <= 9007199254740992.0 && xi[2] == floor(xi[2]));
    neg_T += xi[0] < 0, neg_n += xi[2] < 0;
  }
  assert_true(neg_T > 50 && neg_T < 150);
  assert_true(neg_n > 50 && neg_n < 150);
  free(x);
  invdes_space_free(s);
  fx_free(f);
}

static void test_equality_with_tol(void **state) {
  (void)state;
  fixture *f = fx_ncm();
  fx_add_constraint(f, "ni + mn == 0.8", 0.01);
  invdes_space *s = must_space(f);
  invdes_space_work *w = invdes_space_work_new(s);
  assert_true(invdes_space_feasible_fraction(s) > 0);
  assert_true(invdes_space_feasible_fraction(s) < 0.2);
  double *pts = malloc(200 * 6 * sizeof *pts);
  invdes_error err;
  assert_int_equal(invdes_sample(s, INVDES_DESIGN_SOBOL, 200, 3, 0, pts, &err),
                   INVDES_OK);
  for (int i = 0; i < 200; i++) {
    assert_true(fabs(pts[i * 6 + 3] + pts[i * 6 + 4] - 0.8) <= 0.01);
    assert_true(invdes_space_violation(s, w, pts + i * 6) <= 1e-12);
  }
  free(pts);
  invdes_space_work_free(w);
  invdes_space_free(s);
  fx_free(f);
}

static void test_format(void **state) {
  (void)state;
  fixture *f = fx_all_types();
  invdes_space *s = must_space(f);
  char buf[64];
  assert_int_equal(invdes_space_format_value(s, 5, 1, buf, sizeof buf), 2);
  assert_string_equal(buf, "Al");
  invdes_space_format_value(s, 2, 4, buf, sizeof buf);
  assert_string_equal(buf, "4");
  invdes_space_format_value(s, 0, 812.25, buf, sizeof buf);
  assert_string_equal(buf, "812.25");
  invdes_space_format_value(s, 4, 0.2, buf, sizeof buf);
  assert_string_equal(buf, "0.2");
  /* snprintf semantics: the length needed, truncated output */
  assert_int_equal(invdes_space_format_value(s, 0, 812.25, buf, 3), 6);
  assert_string_equal(buf, "81");
  invdes_space_free(s);
  fx_free(f);
}

static void test_pool(void **state) {
  (void)state;
  fixture *f = fx_pool();
  invdes_space *s = must_space(f);
  invdes_space_work *w = invdes_space_work_new(s);
  assert_int_equal(invdes_space_dim(s), 2);
  assert_int_equal(invdes_space_n_vars(s), 1);
  assert_string_equal(invdes_space_var_name(s, 0), "id");
  double x, z[2];
  /* decode snaps to the nearest row */
  z[0] = 0.95; z[1] = 0.05;
  invdes_space_decode(s, w, z, &x);
  assert_float_equal(x, 6, 0); /* (0.9, 0.1) */
  z[0] = 0.45; z[1] = 0.62;
  invdes_space_decode(s, w, z, &x);
  assert_float_equal(x, 7, 0); /* (0.4, 0.6) */
  z[0] = -3; z[1] = 7;
  invdes_space_decode(s, w, z, &x);
  assert_float_equal(x, 2, 0); /* clamped to (0, 1) */
  for (int r = 0; r < 8; r++) {
    double xr = r, y;
    assert_int_equal(invdes_space_encode(s, &xr, z, NULL), INVDES_OK);
    invdes_space_decode(s, w, z, &y);
    assert_float_equal(y, xr, 0);
  }
  char buf[16];
  invdes_space_format_value(s, 0, 4, buf, sizeof buf);
  assert_string_equal(buf, "m5");
  x = 8;
  assert_int_equal(invdes_space_encode(s, &x, z, NULL), INVDES_ERR_INVALID);
  invdes_space_work_free(w);
  invdes_space_free(s);
  fx_free(f);

  /* constraints over features exclude rows: f1 <= 0.5 keeps 5 of 8 */
  f = fx_pool();
  fx_add_constraint(f, "f1 <= 0.5", 0);
  s = must_space(f);
  w = invdes_space_work_new(s);
  assert_float_equal(invdes_space_feasible_fraction(s), 5.0 / 8, 1e-15);
  z[0] = 1; z[1] = 1;
  invdes_space_decode(s, w, z, &x);
  assert_float_equal(x, 4, 0); /* (0.5, 0.5), not (1, 1) */
  assert_true(invdes_space_violation(s, w, &x) == 0);
  x = 3;
  assert_true(invdes_space_violation(s, w, &x) > 0);
  invdes_space_work_free(w);
  invdes_space_free(s);
  fx_free(f);

  f = fx_pool();
  fx_add_constraint(f, "f1 + f2 >= 3", 0);
  expect_new_fails(f, INVDES_ERR_INFEASIBLE, "test.yaml:20:7: ",
                   "none of the pool's 8 rows");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_layout),
      cmocka_unit_test(test_round_trip),
      cmocka_unit_test(test_decode_any_z),
      cmocka_unit_test(test_repair_reaches_boundary),
      cmocka_unit_test(test_encode_rejects),
      cmocka_unit_test(test_bad_constraints),
      cmocka_unit_test(test_extreme_bounds),
      cmocka_unit_test(test_equality_with_tol),
      cmocka_unit_test(test_format),
      cmocka_unit_test(test_pool),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
