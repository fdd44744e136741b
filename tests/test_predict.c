/* test_predict.c — direct property prediction from a table: which columns
 * become features, the errors a user gets for bad tables (naming file, line,
 * column and value), scaling that lets the GP take raw units, and K-fold
 * cross-validation that is reproducible and measures what it should. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "predict.h"

static char dir[64];

static int setup(void **state) {
  (void)state;
  strcpy(dir, "/tmp/invdes-test-predict-XXXXXX");
  return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  return system(cmd) == 0 ? 0 : -1;
}

static const char *write_file(const char *name, const char *text) {
  static char path[128];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  assert_int_equal(fclose(f), 0);
  return path;
}

/* 40 rows: id (labels), a, b, kind (labels), y = 2a + b, other (a number). */
static invdes_table *linear_table(void) {
  char *text = malloc(8192);
  assert_non_null(text);
  size_t len = (size_t)sprintf(text, "id,a,b,kind,y,other\n");
  for (int i = 0; i < 40; i++) {
    double a = 100.0 + 5.0 * i, b = (i * 7) % 11;
    len += (size_t)sprintf(text + len, "m%d,%g,%g,%s,%g,%d\n", i, a, b,
                           i % 2 ? "x" : "y", 2.0 * a + b, i % 3);
  }
  const char *path = write_file("linear.csv", text);
  free(text);
  invdes_error err;
  invdes_table *t = invdes_table_read(path, &err);
  if (!t) fail_msg("%s", err.message);
  return t;
}

static void test_default_features(void **state) {
  (void)state;
  invdes_table *t = linear_table();
  invdes_dataset ds;
  invdes_error err;
  invdes_error_clear(&err);
  assert_int_equal(invdes_dataset_from_table(t, "y", NULL, NULL, &ds, &err), INVDES_OK);
  assert_int_equal(ds.n, 40);
  assert_int_equal(ds.d, 3); /* a, b, other: labels and the target are left out */
  assert_string_equal(ds.names[0], "a");
  assert_string_equal(ds.names[1], "b");
  assert_string_equal(ds.names[2], "other");
  assert_true(ds.X[3 * 3 + 0] == 115.0 && ds.y[3] == 2 * 115.0 + 21 % 11);
  invdes_dataset_release(&ds);

  assert_int_equal(invdes_dataset_from_table(t, "y", NULL, "other", &ds, &err), INVDES_OK);
  assert_int_equal(ds.d, 2);
  invdes_dataset_release(&ds);

  assert_int_equal(invdes_dataset_from_table(t, "y", " b ,a", NULL, &ds, &err), INVDES_OK);
  assert_int_equal(ds.d, 2);
  assert_string_equal(ds.names[0], "b");
  assert_true(ds.X[1] == 100.0);
  invdes_dataset_release(&ds);
  invdes_table_free(t);
}

static void expect_error(const invdes_table *t, const char *target, const char *feat,
                         const char *excl, const char *const *parts) {
  invdes_dataset ds;
  invdes_error err;
  invdes_error_clear(&err);
  assert_int_equal(invdes_dataset_from_table(t, target, feat, excl, &ds, &err),
                   INVDES_ERR_INVALID);
  for (const char *const *p = parts; *p; p++)
    if (!strstr(err.message, *p)) fail_msg("message '%s' lacks '%s'", err.message, *p);
  invdes_dataset_release(&ds);
}

static void test_bad_columns(void **state) {
  (void)state;
  invdes_table *t = linear_table();
  expect_error(t, "yy", NULL, NULL, (const char *[]){"no column named 'yy'", NULL});
  expect_error(t, "y", "a,zz", NULL, (const char *[]){"no column named 'zz'", NULL});
  expect_error(t, "y", "a,y", NULL, (const char *[]){"target 'y'", NULL});
  expect_error(t, "y", "a,b,a", NULL, (const char *[]){"'a' is listed twice", NULL});
  expect_error(t, "y", "a,,b", NULL, (const char *[]){"empty column name", NULL});
  expect_error(t, "y", "a", "b", (const char *[]){"not both", NULL});
  /* Labels named explicitly are not numbers. */
  expect_error(t, "y", "a,kind", NULL, (const char *[]){"linear.csv:2", "kind", "'y'", NULL});
  invdes_table_free(t);
}

static void test_bad_cells(void **state) {
  (void)state;
  const char *p = write_file("bad.csv", "a,b,y\n1,2,3\n2,3,4\n3,abc,5\n4,5,6\n");
  invdes_error err;
  invdes_table *t = invdes_table_read(p, &err);
  assert_non_null(t);
  expect_error(t, "y", NULL, "a", (const char *[]){"bad.csv:4", "'b'", "'abc'", NULL});
  invdes_table_free(t);
  p = write_file("missing.csv", "a,b,y\n1,2,3\n2,3,\n");
  t = invdes_table_read(p, &err);
  assert_non_null(t);
  expect_error(t, "y", NULL, NULL, (const char *[]){"missing.csv:3", "'y'", "empty", NULL});
  invdes_table_free(t);
  p = write_file("labels.csv", "name,y\nx,1\nz,2\n");
  t = invdes_table_read(p, &err);
  assert_non_null(t);
  expect_error(t, "y", NULL, NULL, (const char *[]){"no numeric column", NULL});
  invdes_table_free(t);
}

/* Features in raw units (a spans 100..295): the GP still fits, because the
 * inputs are scaled with the training range, and it interpolates. */
static void test_fit_predict_raw_units(void **state) {
  (void)state;
  invdes_table *t = linear_table();
  invdes_dataset ds;
  assert_int_equal(invdes_dataset_from_table(t, "y", "a,b", NULL, &ds, NULL), INVDES_OK);
  double q[4] = {150.0, 4.0, 260.0, 9.0}, mean[2], sd[2];
  for (int kind = 0; kind < 2; kind++) {
    invdes_error err;
    invdes_error_clear(&err);
    invdes_status st = invdes_predict_fit_predict(kind ? INVDES_MODEL_RF : INVDES_MODEL_GP,
                                                  NULL, ds.X, ds.n, ds.d, ds.y, q, 2,
                                                  mean, sd, &err);
    if (st != INVDES_OK) fail_msg("%s", err.message);
    double tol = kind ? 40.0 : 1.0;
    assert_true(fabs(mean[0] - 304.0) < tol);
    assert_true(fabs(mean[1] - 529.0) < tol);
    assert_true(sd[0] > 0.0 && sd[1] > 0.0);
  }
  invdes_dataset_release(&ds);
  invdes_table_free(t);
}

static void test_cross_validation(void **state) {
  (void)state;
  invdes_table *t = linear_table();
  invdes_dataset ds;
  assert_int_equal(invdes_dataset_from_table(t, "y", "a,b", NULL, &ds, NULL), INVDES_OK);
  invdes_cv_result r1, r2;
  double pred[40];
  invdes_error err;
  invdes_error_clear(&err);
  assert_int_equal(invdes_predict_cv(INVDES_MODEL_RF, NULL, ds.X, ds.n, ds.d, ds.y, 5, 7,
                                     &r1, pred, &err), INVDES_OK);
  assert_int_equal(invdes_predict_cv(INVDES_MODEL_RF, NULL, ds.X, ds.n, ds.d, ds.y, 5, 7,
                                     &r2, NULL, &err), INVDES_OK);
  assert_memory_equal(&r1.rmse, &r2.rmse, sizeof r1.rmse);
  assert_int_equal(r1.k, 5);
  assert_int_equal(r1.n, 40);
  assert_true(r1.r2 > 0.8 && r1.r2 <= 1.0);
  assert_true(r1.mae > 0.0 && r1.mae <= r1.rmse);
  /* The reported RMSE is that of the held-out predictions, row by row. */
  double se = 0.0;
  for (int i = 0; i < 40; i++) se += (pred[i] - ds.y[i]) * (pred[i] - ds.y[i]);
  assert_true(fabs(sqrt(se / 40) - r1.rmse) < 1e-12 * r1.rmse);
  /* A linear target is what a GP fits best. */
  assert_int_equal(invdes_predict_cv(INVDES_MODEL_GP, NULL, ds.X, ds.n, ds.d, ds.y, 5, 7,
                                     &r2, NULL, &err), INVDES_OK);
  if (!(r2.r2 > 0.99 && r2.rmse < r1.rmse)) fail_msg("gp r2 %g rmse %g", r2.r2, r2.rmse);

  invdes_error_clear(&err);
  assert_int_equal(invdes_predict_cv(INVDES_MODEL_RF, NULL, ds.X, ds.n, ds.d, ds.y, 1, 7,
                                     &r2, NULL, &err), INVDES_ERR_INVALID);
  assert_non_null(strstr(err.message, "at least 2 folds"));
  invdes_error_clear(&err);
  assert_int_equal(invdes_predict_cv(INVDES_MODEL_RF, NULL, ds.X, 4, ds.d, ds.y, 5, 7,
                                     &r2, NULL, &err), INVDES_ERR_INVALID);
  assert_non_null(strstr(err.message, "at least 5 rows"));
  invdes_dataset_release(&ds);
  invdes_table_free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_default_features),
      cmocka_unit_test(test_bad_columns),
      cmocka_unit_test(test_bad_cells),
      cmocka_unit_test(test_fit_predict_raw_units),
      cmocka_unit_test(test_cross_validation),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
