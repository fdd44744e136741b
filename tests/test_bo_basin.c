/* test_bo_basin.c — the second basin of bo (bo_basin.c): on a history
 * converged in a broad shallow well with one row on the outskirts of a
 * narrow deep one, that row stands for the second basin, its box holds no
 * better row, it has its own model, and the next proposal (the last row
 * told lies in the box) is drawn from the box; a run on the two wells
 * proposes the same points with one thread or two and finds the deep well.
 * The simulated campaign is bo_run.c's. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bo.h"
#include "bo_run.h"
#include "strategy_harness.h"


/* A broad well of depth 1 at (0.15, 0.15) and a narrow one of depth 1.3
 * at (0.9, 0.9). */
static double wells(const double *x) {
  double a = (x[0] - 0.15) * (x[0] - 0.15) + (x[1] - 0.15) * (x[1] - 0.15);
  double b = (x[0] - 0.9) * (x[0] - 0.9) + (x[1] - 0.9) * (x[1] - 0.9);
  return -exp(-a / 0.08) - 1.3 * exp(-b / 0.01);
}

static void eval_wells(const run *r, const double *x, double *y, int *failed) {
  (void)r;
  y[0] = wells(x);
  *failed = 0;
}

/* Asks one proposal, replaces it by the point (a, b) (the encoding of a
 * [0, 1] continuous parameter is the value itself) and tells its value. */
static void tell_point(run *r, double a, double b) {
  run_ask(r, 1);
  size_t k = r->n - 1;
  r->z[k * r->dim] = r->x[k * r->nv] = a;
  r->z[k * r->dim + 1] = r->x[k * r->nv + 1] = b;
  r->y[k * r->T] = wells(r->x + k * r->nv);
  r->failed[k] = 0;
  tell_row(r, k);
}

/* The ten rows of the initial design (as proposed: an ask hands out the
 * design's untried points first), twenty converging on the broad well,
 * then one row on the deep well's outskirts. */
static run *history(void) {
  run *r = run_new(bo_run_unit_square, 3, 64);
  for (int i = 0; i < 10; i++) run_step(r, 1, 0, eval_wells);
  for (int i = 0; i < 20; i++) {
    double t = 0.4 * i, rad = 0.12 / (1 + i);
    tell_point(r, 0.15 + rad * cos(t), 0.15 + rad * sin(t));
  }
  tell_point(r, 0.84, 0.83);
  return r;
}

static void model_of(run *r, bo_model *m) {
  invdes_error err;
  run_model(r, 99, m);
  assert_int_equal(bo_basin_find(m, &err), INVDES_OK);
}

static void test_outskirts_row_is_the_basin(void **state) {
  (void)state;
  run *r = history();
  bo_model m;
  model_of(r, &m);
  assert_true(m.basin_on);
  size_t last = r->n - 1;
  for (size_t j = 0; j < 2; j++) assert_true(m.basin_center[j] == r->z[last * r->dim + j]);
  assert_true(fabs(m.basin_best - bo_model_row_objective(&m, last, 1)) < 1e-12);
  assert_true(bo_basin_holds(&m, r->z + last * r->dim));
  for (size_t i = 0; i < r->n; i++) /* every better row lies outside the box */
    if (bo_model_row_objective(&m, i, 1) > m.basin_best)
      assert_false(bo_basin_holds(&m, r->z + i * r->dim));
  assert_non_null(m.basin_sur);
  print_message("box [%.3f, %.3f] x [%.3f, %.3f]\n", m.basin_lo[0], m.basin_hi[0],
                m.basin_lo[1], m.basin_hi[1]);
  double lo[2] = {m.basin_lo[0], m.basin_lo[1]}, hi[2] = {m.basin_hi[0], m.basin_hi[1]};
  bo_model_free(&m);
  /* the last row told lies in the box: the next proposal comes from it */
  run_ask(r, 1);
  const double *z = r->z + (r->n - 1) * r->dim;
  for (size_t j = 0; j < 2; j++) assert_true(z[j] >= lo[j] && z[j] <= hi[j]);
  run_free(r);
}

/* 60 evaluations of the wells with one thread and with two: the same
 * proposals and scores, and the deep well's minimum is found. */
static run *wells_run(void) {
  return run_new(bo_run_unit_square, 3, 64);
}

static void test_same_any_threads(void **state) {
  (void)state;
  run *r = run_same_any_threads(wells_run, 60, eval_wells);
  assert_true(run_best(r, -1) < -1.29);
  assert_feasible_distinct(r);
  run_free(r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_outskirts_row_is_the_basin),
      cmocka_unit_test(test_same_any_threads),
  };
  return cmocka_run_group_tests(tests, run_tmpdir_setup, run_tmpdir_teardown);
}
