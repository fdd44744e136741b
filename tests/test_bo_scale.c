/* test_bo_scale.c — the bo strategy in a long campaign (bo_scale.c): past
 * 200 training points the carried hyper-parameters stay fixed between
 * scheduled searches, local searches get a budget that shrinks past 2,500
 * points, and a campaign resumed there still asks exactly what the
 * uninterrupted one asks, with one thread or two. */
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
#ifdef _OPENMP
#include <omp.h>
#endif

#include "bo.h"
#include "bo_run.h"

static void eval_smooth(const run *r, const double *x, double *y, int *failed) {
  (void)r;
  y[0] = sin(3 * x[0]) + cos(2 * x[1]) + 0.3 * x[0] * x[1];
  *failed = 0;
}

/* 300 initial points (30 asks of 10), then bo one point at a time: the
 * models of kept asks are the first 256 rows fitted at once and the rest
 * appended (bo_cache.c). */
static const char LONG[] =
    "name: long\nseed: 3\n"
    "parameters:\n  - {name: a, type: continuous, bounds: [0, 2]}\n"
    "  - {name: b, type: continuous, bounds: [-1, 1]}\n"
    "targets:\n  - {name: y, goal: minimize}\n"
    "objective: {kind: station}\n"
    "strategy: {kind: bo, initial: {design: sobol, count: 300}}\n"
    "budget: {evaluations: 400}\n";

/* The carried values in the saved state: the D + 2 doubles after bo's
 * header ("BO", version 2, T, D) and the one target's `have` byte (bo.c),
 * whatever frames the blob. */
static void blob_hyper(const run *r, double *h, size_t H) {
  const unsigned char *b = (const unsigned char *)r->blob, *p = NULL;
  for (size_t i = 0; !p && i + 12 + 8 * H <= r->blob_len; i++)
    if (!memcmp(b + i, "BO\2", 3)) p = b + i + 12;
  assert_non_null(p);
  assert_int_equal(p[-1], 1);
  for (size_t j = 0; j < H; j++) {
    uint64_t v = 0;
    for (int k = 0; k < 8; k++) v |= (uint64_t)p[8 * j + k] << (8 * k);
    memcpy(&h[j], &v, sizeof v);
  }
}

static void initial(run *r) {
  for (int k = 0; k < 30; k++) run_step(r, 10, 0, eval_smooth);
  assert_int_equal(r->iteration, 30);
}

static void test_schedule(void **state) {
  (void)state;
  assert_true(bo_hyper_refit_due(7, 200));   /* small: every ask */
  assert_false(bo_hyper_refit_due(17, 230)); /* every 16th at 201..400 */
  assert_true(bo_hyper_refit_due(32, 230));
  assert_false(bo_hyper_refit_due(1000 + 8, 1000)); /* every 40th */
  assert_true(bo_hyper_refit_due(1000 + 40, 1000));
  assert_true(bo_hyper_refit_due(5000 + 200, 5000)); /* every 200th */
  assert_false(bo_hyper_refit_due(5000 + 40, 5000));
  /* local searches: the whole budget up to 2,500 points, then shrinking */
  assert_int_equal(bo_local_evals(60, 2500), 60);
  assert_int_equal(bo_local_evals(60, 5000), 15);
  assert_int_equal(bo_local_evals(60, 50000), 10);
  assert_int_equal(bo_local_evals(6, 50000), 6);
}

static void test_hyper_kept_between_searches(void **state) {
  (void)state;
  run *r = run_new(LONG, 4, 512);
  initial(r);
  double h[4][4];
  run_step(r, 1, 0, eval_smooth); /* iteration 30: searched (nothing carried) */
  blob_hyper(r, h[0], 4);
  run_step(r, 1, 0, eval_smooth); /* 31: kept, every 16th at 201..400 points */
  blob_hyper(r, h[1], 4);
  run_step(r, 1, 0, eval_smooth); /* 32: searched again */
  blob_hyper(r, h[2], 4);
  for (int k = 0; k < 8; k++) run_step(r, 1, 0, eval_smooth); /* 33..40: kept */
  blob_hyper(r, h[3], 4);
  assert_memory_equal(h[1], h[0], sizeof h[0]);
  assert_memory_equal(h[3], h[2], sizeof h[2]);
  double moved = 0;
  for (int j = 0; j < 4; j++) moved = fmax(moved, fabs(log(h[2][j] / h[1][j])));
  assert_true(moved > 1e-9);
  run_free(r);
}

/* A fresh strategy told the history and given the saved state (so with
 * nothing cached) asks what the running one asks, on kept and on searched
 * iterations alike, while the running one extends its cached model. */
static void test_resume_long(void **state) {
  (void)state;
  run *r = run_new(LONG, 4, 512);
  initial(r);
  for (int k = 0; k < 12; k++) { /* iterations 30..41: 30 and 32 search */
    invdes_strategy *fresh = strategy_for(r, 4);
    for (size_t i = 0; i < r->n; i++) {
      invdes_observation o = {(int64_t)i + 1, r->z + i * r->dim, NULL, r->y + i * r->T,
                              r->failed[i], NULL};
      assert_int_equal(invdes_strategy_tell(fresh, &o, 1, NULL), INVDES_OK);
    }
    assert_int_equal(invdes_strategy_load_state(fresh, r->blob, r->blob_len, NULL),
                     INVDES_OK);
    invdes_proposals *a = invdes_proposals_new(fresh, 1);
    assert_int_equal(invdes_strategy_ask(fresh, r->iteration, 1, NULL, 0, a, NULL),
                     INVDES_OK);
    run_step(r, 1, 0, eval_smooth);
    assert_memory_equal(a->z, r->p->z, r->dim * sizeof(double));
    assert_memory_equal(a->acquisition, r->p->acquisition, sizeof(double));
    invdes_proposals_free(a);
    invdes_strategy_free(fresh);
  }
  run_free(r);
}

/* One and two threads: the same proposals on searched and kept asks. */
static void test_threads_identical(void **state) {
  (void)state;
  run *r[2];
  for (int k = 0; k < 2; k++) {
#ifdef _OPENMP
    omp_set_num_threads(k + 1);
#endif
    r[k] = run_new(LONG, 6, 512);
    initial(r[k]);
    for (int i = 0; i < 5; i++) run_step(r[k], 1, 0, eval_smooth); /* 30..34 */
  }
  assert_int_equal(r[0]->n, r[1]->n);
  assert_memory_equal(r[0]->z, r[1]->z, r[0]->n * r[0]->dim * sizeof(double));
  assert_memory_equal(r[0]->acq, r[1]->acq, r[0]->n * sizeof(double));
  run_free(r[0]);
  run_free(r[1]);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_schedule),
      cmocka_unit_test(test_hyper_kept_between_searches),
      cmocka_unit_test(test_resume_long),
      cmocka_unit_test(test_threads_identical),
  };
  return cmocka_run_group_tests(tests, run_tmpdir_setup, run_tmpdir_teardown);
}
