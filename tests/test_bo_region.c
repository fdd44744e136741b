/* test_bo_region.c — bo with a surrogate that averages its observations
 * (rf, knn) searches a trust region around the best point (bo_region.c):
 * the side follows TuRBO's rule, replayed from the history; the proposals
 * of such a campaign lie in the box, some moving only some coordinates of
 * the best point; a box whose points are all taken gives way to the whole
 * space; the same seed gives the same proposals with one thread or two. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bo.h"
#include "bo_run.h"
#include "builtin.h"
#include "strategy_harness.h"

/* ---- the rule ---------------------------------------------------------------- */

static void test_side_rule(void **state) {
  (void)state;
  double g[64];
  /* 3 initial rows, then nothing better: halved every max(4, D) rows */
  g[0] = 0.5, g[1] = 2.0, g[2] = 1.0;
  for (int i = 3; i < 64; i++) g[i] = 1.0;
  assert_true(bo_region_side(g, 3, 3, 2) == 0.8);
  assert_true(bo_region_side(g, 6, 3, 2) == 0.8);
  assert_true(bo_region_side(g, 7, 3, 2) == 0.4);
  assert_true(bo_region_side(g, 11, 3, 2) == 0.2);
  assert_true(bo_region_side(g, 9, 3, 6) == 0.4);  /* D = 6: after 6 */
  assert_true(bo_region_side(g, 8, 3, 6) == 0.8);
  /* six halvings leave 0.0125; the seventh falls below 2^-7: back to 0.8 */
  assert_true(bo_region_side(g, 3 + 24, 3, 2) == 0.0125);
  assert_true(bo_region_side(g, 3 + 28, 3, 2) == 0.8);
  /* a row that does not count (NAN) is no improvement */
  g[3] = NAN;
  assert_true(bo_region_side(g, 7, 3, 2) == 0.4);
  /* 3 improvements in a row double the side, at most to 1.6 */
  for (int i = 3; i < 9; i++) g[i] = 2.0 + 0.1 * (i - 2);
  assert_true(bo_region_side(g, 5, 3, 2) == 0.8);
  assert_true(bo_region_side(g, 6, 3, 2) == 1.6);
  assert_true(bo_region_side(g, 9, 3, 2) == 1.6);
  /* a gain of less than 1e-3 is none, and a failure resets the run */
  g[3] = 2.0005, g[4] = 2.1, g[5] = 2.2, g[6] = 2.3;
  assert_true(bo_region_side(g, 6, 3, 2) == 0.8);
  assert_true(bo_region_side(g, 7, 3, 2) == 1.6);
}

/* ---- campaigns ------------------------------------------------------------- */

static const char BRANIN[] =
    "name: region\nseed: 4\n"
    "parameters:\n  - {name: a, type: continuous, bounds: [-5, 10]}\n"
    "  - {name: b, type: continuous, bounds: [0, 15]}\n"
    "targets:\n  - {name: y, goal: minimize}\n"
    "objective: {kind: station}\n"
    "strategy: {kind: bo, surrogate: %s, initial: {design: sobol, count: 10}}\n"
    "budget: {evaluations: 100}\n";

/* Branin for the initial design, then a value worse than any: after the 10
 * initial rows every evaluation fails to improve. */
static void eval_then_flat(const run *r, const double *x, double *y, int *failed) {
  y[0] = r->n <= 10 ? invdes_builtin_eval(invdes_builtin_find("branin"), x, 2, NULL) : 400;
  *failed = 0;
}

static void eval_branin(const run *r, const double *x, double *y, int *failed) {
  (void)r;
  y[0] = invdes_builtin_eval(invdes_builtin_find("branin"), x, 2, NULL);
  *failed = 0;
}

static void eval_ints_then_flat(const run *r, const double *x, double *y, int *failed) {
  y[0] = r->n <= 10 ? fabs(x[0] - 20) + fabs(x[1] - 30) + fabs(x[2] - 7) : 400;
  *failed = 0;
}

static run *region_run(const char *kind, uint64_t seed) {
  char text[1024];
  snprintf(text, sizeof text, BRANIN, kind);
  return run_new(text, seed, 128);
}

/* After 8 rows without a gain (D = 2: halved after 4 and after 8), every
 * proposal lies within 0.1 of the best row in each encoded coordinate;
 * proposals of the whole box would mostly lie outside that 4% of it. */
static void test_proposals_in_box(void **state) {
  (void)state;
  static const char *const kinds[] = {"rf", "knn"};
  for (int k = 0; k < 2; k++) {
    run *r = region_run(kinds[k], 5);
    for (int i = 0; i < 10 + 8; i++) run_step(r, 1, 0, eval_then_flat);
    size_t best = 0;
    for (size_t i = 1; i < 10; i++)
      if (r->y[i] < r->y[best]) best = i;
    for (int i = 0; i < 6; i++) {
      run_step(r, 1, 0, eval_then_flat);
      const double *z = r->z + (r->n - 1) * r->dim;
      for (size_t j = 0; j < r->dim; j++)
        assert_true(fabs(z[j] - r->z[best * r->dim + j]) <= 0.1 + 1e-12);
    }
    assert_feasible_distinct(r);
    run_free(r);
  }
}

/* A run of 40 evaluations with rf, with one thread and with two: the same
 * proposals and scores; and it gets close to Branin's minimum 0.3979. */
static run *rf_run(void) {
  return region_run("rf", 7);
}

static void test_same_any_threads(void **state) {
  (void)state;
  run *r = run_same_any_threads(rf_run, 40, eval_branin);
  assert_true(run_best(r, -1) < 0.3979 + 0.5);
  run_free(r);
}

/* Half the candidates keep some coordinates of the best point: on a
 * function whose best moves along one axis at a time (separable), such
 * proposals share a coordinate with the best row told before them; whole-box
 * candidates almost never do (a shared coordinate has probability 0). */
static void eval_separable(const run *r, const double *x, double *y, int *failed) {
  (void)r;
  y[0] = (x[0] - 1.3) * (x[0] - 1.3) + 0.5 * (x[1] - 7.1) * (x[1] - 7.1) + 3 * sin(x[0]) +
         2 * cos(x[1]);
  *failed = 0;
}

static void test_axis_moves(void **state) {
  (void)state;
  run *r = region_run("rf", 11);
  size_t shared = 0;
  for (int i = 0; i < 40; i++) {
    run_step(r, 1, 0, eval_separable);
    if (r->n <= 11) continue;
    size_t best = 0, last = r->n - 1;
    for (size_t k = 1; k < last; k++)
      if (r->y[k] < r->y[best]) best = k;
    for (size_t j = 0; j < r->dim; j++)
      if (fabs(r->z[last * r->dim + j] - r->z[best * r->dim + j]) < 1e-12) {
        shared++;
        break;
      }
  }
  assert_true(shared >= 5);
  run_free(r);
}

/* Three integers of 50 levels (125,000 points: not enumerated), nothing
 * better after the initial design: the box shrinks below one level and
 * holds only told points; the model still chooses (a score, no random
 * point) from the whole space, and no point repeats. */
static void test_discrete_box_used_up(void **state) {
  (void)state;
  static const char text[] =
      "name: ints\nseed: 2\n"
      "parameters:\n  - {name: a, type: integer, bounds: [1, 50]}\n"
      "  - {name: b, type: integer, bounds: [1, 50]}\n"
      "  - {name: c, type: integer, bounds: [1, 50]}\n"
      "targets:\n  - {name: y, goal: minimize}\n"
      "objective: {kind: station}\n"
      "strategy: {kind: bo, surrogate: rf, initial: {design: sobol, count: 10}}\n"
      "budget: {evaluations: 100}\n";
  run *r = run_new(text, 3, 128);
  for (int i = 0; i < 10 + 36; i++) run_step(r, 1, 0, eval_ints_then_flat);
  for (size_t i = 10; i < r->n; i++) assert_true(isfinite(r->acq[i]));
  assert_feasible_distinct(r);
  run_free(r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_side_rule),
      cmocka_unit_test(test_proposals_in_box),
      cmocka_unit_test(test_same_any_threads),
      cmocka_unit_test(test_axis_moves),
      cmocka_unit_test(test_discrete_box_used_up),
  };
  return cmocka_run_group_tests(tests, run_tmpdir_setup, run_tmpdir_teardown);
}
