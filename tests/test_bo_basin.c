/* test_bo_basin.c — the second basin of bo (bo_basin.c): on a history
 * converged in a broad shallow well with one row on the outskirts of a
 * narrow deep one, that row stands for the second basin, its box holds no
 * better row and is at most BO_BASIN_SIDE wide, and it has its own model;
 * a saved state naming that row as the last basin point makes the next
 * proposal the basin's (a descent under way), without it the global
 * search's; once the basin takes an ask its point is saved, a strategy
 * resumed from that state asks what the running one asks, and malformed
 * states are refused; a run on the two wells proposes the same points
 * with one thread or two and finds the deep well. The simulated campaign
 * is bo_run.c's. */
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

/* history() and its model, which has a second basin. */
static run *history_basin(bo_model *m) {
  run *r = history();
  model_of(r, m);
  assert_true(m->basin_on);
  return r;
}

static void test_outskirts_row_is_the_basin(void **state) {
  (void)state;
  bo_model m;
  run *r = history_basin(&m);
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
  for (size_t j = 0; j < 2; j++) assert_true(m.basin_hi[j] - m.basin_lo[j] <= BO_BASIN_SIDE);
  bo_model_free(&m);
  run_free(r);
}

/* bo's payload in r's saved state (after the frame's "BO", version 2;
 * one target, the GP's D + 2 carried values): *flag the basin byte, *at
 * its offset in the blob, *head the payload's. */
static void bo_basin_byte(const run *r, int *flag, size_t *at, size_t *head) {
  const unsigned char *b = r->blob;
  size_t i = 0, D = r->dim;
  while (i + 12 <= r->blob_len && memcmp(b + i, "BO\2", 3)) i++;
  assert_true(i + 12 <= r->blob_len);
  *head = i;
  *at = i + 12 + (b[i + 11] ? 8 * (D + 2) : 0);
  assert_true(*at < r->blob_len);
  *flag = b[*at];
}

/* A fresh strategy told r's history and given the state (blob, len). */
static invdes_strategy *resumed(run *r, const void *blob, size_t len, invdes_status *st) {
  invdes_strategy *fresh = strategy_for(r, 3);
  for (size_t i = 0; i < r->n; i++) {
    invdes_observation o = {(int64_t)i + 1, r->z + i * r->dim, NULL, r->y + i * r->T,
                            r->failed[i], NULL};
    assert_int_equal(invdes_strategy_tell(fresh, &o, 1, NULL), INVDES_OK);
  }
  *st = invdes_strategy_load_state(fresh, blob, len, NULL);
  return fresh;
}

/* Once the basin's search takes an ask, its point ends bo's saved state
 * (flag 1 and its z), and a strategy resumed from that state asks what
 * the running one asks. The state cut to version 1 (no basin byte) loads;
 * a flag other than 0 or 1, a coordinate outside [0, 1] or a cut point
 * are refused. */
static void test_descent_saved_and_resumed(void **state) {
  (void)state;
  run *r = history();
  size_t at = 0, head = 0, D = r->dim;
  int flag = 0;
  for (int i = 0; i < 20 && !flag; i++) {
    run_step(r, 1, 0, eval_wells);
    bo_basin_byte(r, &flag, &at, &head);
  }
  assert_int_equal(flag, 1);
  unsigned char *b = r->blob;
  assert_int_equal(r->blob_len, at + 1 + 8 * D);
  for (size_t j = 0; j < D; j++) {
    uint64_t v = 0;
    double d;
    for (int k = 0; k < 8; k++) v |= (uint64_t)b[at + 1 + 8 * j + k] << (8 * k);
    memcpy(&d, &v, sizeof d);
    assert_true(d == r->z[(r->n - 1) * D + j]);
  }
  /* the next asks, resumed from the state, match the running strategy */
  invdes_status st;
  for (int i = 0; i < 5; i++) {
    invdes_strategy *fresh = resumed(r, r->blob, r->blob_len, &st);
    assert_int_equal(st, INVDES_OK);
    invdes_proposals *a = invdes_proposals_new(fresh, 1);
    assert_int_equal(invdes_strategy_ask(fresh, r->iteration, 1, NULL, 0, a, NULL), INVDES_OK);
    run_step(r, 1, 0, eval_wells);
    assert_memory_equal(a->z, r->p->z, D * sizeof(double));
    assert_memory_equal(a->acquisition, r->p->acquisition, sizeof(double));
    invdes_proposals_free(a);
    invdes_strategy_free(fresh);
  }

  bo_basin_byte(r, &flag, &at, &head); /* kept until a later one replaces it */
  assert_int_equal(flag, 1);
  b = r->blob;
  size_t len = r->blob_len;
  b[head + 2] = 1; /* version 1: the targets end it, and it loads */
  invdes_strategy_free(resumed(r, b, at, &st));
  assert_int_equal(st, INVDES_OK);
  b[head + 2] = 2;
  b[at] = 2;
  invdes_strategy_free(resumed(r, b, len, &st));
  assert_int_equal(st, INVDES_ERR_INVALID);
  b[at] = 1;
  for (int k = 0; k < 8; k++) b[len - 8 + k] = k == 7 ? 0x40 : 0; /* 2.0, LE */
  invdes_strategy_free(resumed(r, b, len, &st));
  assert_int_equal(st, INVDES_ERR_INVALID);
  invdes_strategy_free(resumed(r, b, len - 4, &st));
  assert_int_equal(st, INVDES_ERR_INVALID);
  run_free(r);
}

/* A descent under way goes on. After history() the incumbent's well is
 * not refined to BO_BASIN_EI yet, and the next proposal is the global
 * search's, outside the basin's box; with a saved state naming the last
 * row (the basin's best) as the last basin point proposed, it is the
 * basin's, inside the box. */
static void test_descent_goes_on(void **state) {
  (void)state;
  bo_model m;
  run *r = history_basin(&m);
  size_t D = r->dim, at = 0, head = 0, last = r->n - 1;
  double lo[2] = {m.basin_lo[0], m.basin_lo[1]}, hi[2] = {m.basin_hi[0], m.basin_hi[1]};
  bo_model_free(&m);
  int flag;
  bo_basin_byte(r, &flag, &at, &head);
  unsigned char *named = malloc(at + 1 + 8 * D);
  assert_non_null(named);
  memcpy(named, r->blob, at);
  named[at] = 1;
  for (size_t j = 0; j < D; j++) {
    uint64_t v;
    memcpy(&v, &r->z[last * D + j], sizeof v);
    for (int k = 0; k < 8; k++) named[at + 1 + 8 * j + k] = (unsigned char)(v >> (8 * k));
  }
  for (int with = 0; with < 2; with++) {
    named[at] = (unsigned char)with;
    invdes_status st;
    invdes_strategy *fresh = resumed(r, named, with ? at + 1 + 8 * D : at + 1, &st);
    assert_int_equal(st, INVDES_OK);
    invdes_proposals *a = invdes_proposals_new(fresh, 1);
    assert_int_equal(invdes_strategy_ask(fresh, r->iteration, 1, NULL, 0, a, NULL), INVDES_OK);
    int inside = 1;
    for (size_t j = 0; j < D; j++) inside &= a->z[j] >= lo[j] && a->z[j] <= hi[j];
    assert_int_equal(inside, with);
    invdes_proposals_free(a);
    invdes_strategy_free(fresh);
  }
  free(named);
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
      cmocka_unit_test(test_descent_saved_and_resumed),
      cmocka_unit_test(test_descent_goes_on),
      cmocka_unit_test(test_same_any_threads),
  };
  return cmocka_run_group_tests(tests, run_tmpdir_setup, run_tmpdir_teardown);
}
