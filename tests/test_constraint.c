/* test_constraint.c — constraint expressions: what they compute, and the
 * message and column a user gets for each kind of mistake. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "constraint.h"

static const char *const NAMES[] = {"ni", "mn", "co", "sinter_T", "x"};
#define NN 5

static invdes_constraint_set *compile1(const char *text, double tol,
                                       invdes_error *err) {
  invdes_constraint_spec spec = {(char *)text, tol, {7, 10}};
  invdes_error_clear(err);
  return invdes_constraint_set_new(&spec, 1, "c.yaml", NAMES, NN, err);
}

/* Violation of `text` at x. */
static double viol(const char *text, double tol, const double *x) {
  invdes_error err;
  invdes_constraint_set *set = compile1(text, tol, &err);
  if (!set) fail_msg("%s: %s", text, err.message);
  invdes_constraint_eval *e = invdes_constraint_eval_new(set);
  assert_non_null(e);
  double v = invdes_constraint_eval_one(e, 0, x, NULL, NULL);
  invdes_constraint_eval_free(e);
  invdes_constraint_set_free(set);
  return v;
}

static void test_values(void **state) {
  (void)state;
  const double x[NN] = {0.8, 0.1, 0.1, 900, 2.0};
  /* 0.64 + 0.9 = 1.54 <= 1.6 holds; at 1.5 it is off by 0.04 */
  assert_true(viol("ni^2 + sinter_T/1000 <= 1.6", 0, x) == 0);
  assert_float_equal(viol("ni^2 + sinter_T/1000 <= 1.5", 0, x), 0.04, 1e-12);
  assert_float_equal(viol("ni^2 + sinter_T/1000 >= 1.6", 0, x), 0.06, 1e-12);
  assert_float_equal(viol("1.6 >= ni^2 + sinter_T/1000", 0, x), 0, 0);
  /* log is the natural logarithm; exp, sqrt, abs, min and max of 3 args */
  assert_float_equal(viol("log(exp(x)) <= 1", 0, x), 1.0, 1e-12);
  assert_float_equal(viol("sqrt(x*8) + abs(-1) <= 4", 0, x), 1.0, 1e-12);
  assert_float_equal(viol("min(ni, mn, co, 0.05) >= 0.1", 0, x), 0.05, 1e-12);
  assert_float_equal(viol("max(ni, 3, x) <= 2", 0, x), 1.0, 1e-12);
  /* ^ is right associative and binds tighter than unary minus */
  assert_float_equal(viol("-x^2 >= 0", 0, x), 4.0, 1e-12);
  assert_float_equal(viol("2^3^x <= 0", 0, x), 512.0, 1e-9);
  /* < and > behave as <= and >= */
  assert_true(viol("ni < 0.8", 0, x) == 0);
  assert_true(viol("ni > 0.8", 0, x) == 0);
  /* equality: default tolerance 1e-9 * max(1, |rhs|), or the given tol */
  assert_true(viol("ni + mn + co == 1", 0, x) == 0);
  assert_true(viol("ni == 0.8000001", 0, x) > 0);
  assert_true(viol("ni == 0.81", 0.02, x) == 0);
  assert_float_equal(viol("ni == 0.85", 0.02, x), 0.03, 1e-12);
  /* a side that is not a number is infinitely violated */
  assert_true(isinf(viol("sqrt(ni - 2) <= 1", 0, x)));
  assert_true(isinf(viol("log(mn - 0.1) >= -1", 0, x)));
}

static void test_set_and_threads(void **state) {
  (void)state;
  invdes_constraint_spec specs[3] = {
      {(char *)"ni - 2*co >= 0", 0, {1, 1}},
      {(char *)"exp(mn) * co <= 0.3", 0, {2, 1}},
      {(char *)"ni <= 0.5", 0, {3, 1}},
  };
  invdes_error err;
  invdes_constraint_set *set =
      invdes_constraint_set_new(specs, 3, "c.yaml", NAMES, NN, &err);
  assert_non_null(set);
  assert_int_equal(invdes_constraint_set_count(set), 3);
  assert_int_equal(invdes_constraint_cmp(set, 0), INVDES_CMP_GE);
  invdes_constraint_eval *e1 = invdes_constraint_eval_new(set);
  invdes_constraint_eval *e2 = invdes_constraint_eval_new(set);
  const double a[NN] = {0.6, 0.2, 0.2, 800, 0}, b[NN] = {0.3, 0.1, 0.6, 800, 0};
  size_t worst;
  double va = invdes_constraint_eval_violation(e1, a, 0, &worst);
  assert_float_equal(va, 0.1, 1e-12);
  assert_int_equal(worst, 2);
  /* a second evaluator is independent of the first */
  double vb = invdes_constraint_eval_violation(e2, b, 0, &worst);
  assert_float_equal(vb, 0.9, 1e-12);
  assert_int_equal(worst, 0);
  assert_float_equal(invdes_constraint_eval_violation(e1, a, 0, NULL), va, 0);
  double lhs, rhs;
  invdes_constraint_eval_one(e1, 1, b, &lhs, &rhs);
  assert_float_equal(lhs, exp(0.1) * 0.6, 1e-12);
  assert_float_equal(rhs, 0.3, 0);
  assert_true(invdes_constraint_eval_slack(e1, 0, a) > 0);
  assert_true(invdes_constraint_eval_slack(e1, 0, b) < 0);
  invdes_constraint_eval_free(e1);
  invdes_constraint_eval_free(e2);
  invdes_constraint_set_free(set);
  invdes_constraint_set_free(NULL);
  invdes_constraint_eval_free(NULL);
}

/* `text` must fail with `what` in the message at column `col` of the text
 * (1-based), i.e. file column 10 + col - 1. */
static void expect_error(const char *text, int col, const char *what) {
  invdes_error err;
  invdes_constraint_set *set = compile1(text, 0, &err);
  if (set) fail_msg("\"%s\" was accepted", text);
  assert_int_equal(err.status, INVDES_ERR_PARSE);
  char where[64];
  snprintf(where, sizeof where, "c.yaml:7:%d: ", 10 + col - 1);
  if (strncmp(err.message, where, strlen(where)) || !strstr(err.message, what))
    fail_msg("\"%s\": expected \"%s...%s\", got \"%s\"", text, where, what,
             err.message);
}

static void test_errors(void **state) {
  (void)state;
  expect_error("ni + * co <= 1", 6, "'*'");
  expect_error("nii + co <= 1", 1, "unknown variable 'nii', did you mean 'ni'?");
  expect_error("ni + zeta <= 1", 6, "unknown variable 'zeta'");
  expect_error("_pi * ni <= 1", 1, "unknown variable '_pi'");
  expect_error("sin(ni) <= 1", 1, "unknown function 'sin'");
  expect_error("ni <= 1 && co >= 0", 9, "'&&' is not allowed");
  expect_error("ni || co", 4, "'||' is not allowed");
  expect_error("ni < co < 1", 9, "a second comparison");
  expect_error("ni = 1", 4, "write '==' for equality");
  expect_error("ni != 1", 4, "'!=' is not supported");
  expect_error("ni + co", 1, "no comparison");
  expect_error("(ni <= 1)", 5, "inside parentheses");
  expect_error("ni > 0 ? 1 : 0", 8, "'?:' is not allowed");
  expect_error("<= 1", 1, "left side of the comparison is missing");
  expect_error("ni >=   ", 4, "right side of the comparison is missing");
  expect_error("(ni + co <= 1", 10, "inside parentheses");
  expect_error("ni + co) <= 1", 8, "unexpected parenthesis");
  expect_error("exp(ni, co) <= 1", 11, "too many arguments for 'exp'");
  expect_error("max() <= 1", 5, "too few arguments for 'max'");
  expect_error("ni co <= 1", 4, "no operator in between");
  expect_error("ni, co <= 1", 3, "',' outside a function's argument list");
  expect_error("ni + $x <= 1", 6, "unexpected character '$'");
  expect_error("2 * (ni + ) <= 1", 11, "unexpected parenthesis");
}

static void test_several_errors(void **state) {
  (void)state;
  invdes_constraint_spec specs[3] = {
      {(char *)"ni <= 1", 0, {1, 3}},
      {(char *)"foo <= 1", 0, {2, 3}},
      {(char *)"ni <= ", 0, {3, 3}},
  };
  invdes_error err;
  invdes_error_clear(&err);
  assert_null(invdes_constraint_set_new(specs, 3, "c.yaml", NAMES, NN, &err));
  assert_int_equal(err.count, 2);
  assert_non_null(strstr(err.message, "c.yaml:2:3: "));
  assert_non_null(strstr(err.message, "c.yaml:3:6: "));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_values),
      cmocka_unit_test(test_set_and_threads),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_several_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
