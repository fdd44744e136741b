/* test_grid.c — the grid strategy: the exact enumeration on small spaces
 * (how many points, their values and order, composition lattices summing to
 * their total, constraints leaving points out), no point twice, a resumed
 * strategy continuing exactly, the grid used up (remaining 0, then a clear
 * error), pools in row order, the guard against a combinatorial explosion
 * and the campaign keys. Campaigns are written inline. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "campaign.h"
#include "space.h"
#include "strategy.h"
#include "strategy_harness.h"

#define HEAD "name: g\nseed: 3\n"
#define TAIL                                                                 \
  "targets:\n  - {name: y, goal: maximize}\n  - {name: w, goal: minimize}\n" \
  "objective: {kind: station}\nbudget: {evaluations: 1000}\n"

typedef struct grid_run {
  invdes_campaign *c;
  invdes_space *sp;
  invdes_strategy *s;
} grid_run;

static invdes_campaign *parse(const char *text, invdes_error *err) {
  return invdes_campaign_parse("grid.yaml", text, strlen(text), err);
}

static grid_run open_grid(const char *text) {
  invdes_error err;
  invdes_error_clear(&err);
  grid_run r;
  r.c = parse(text, &err);
  if (!r.c) fail_msg("load: %s", err.message);
  r.sp = must_space(r.c);
  r.s = must_strategy_spec(r.sp, &r.c->strategy, HARNESS_NT, 1);
  return r;
}

static void close_grid(grid_run *r) {
  invdes_strategy_free(r->s);
  invdes_space_free(r->sp);
  invdes_campaign_free(r->c);
}

/* Asks the whole grid in batches of `batch`, everything earlier pending;
 * returns the x rows (malloc'ed, *n of them) and checks that nothing is
 * left at the end and that one more ask is refused. */
static double *ask_all(grid_run *r, size_t batch, size_t *n) {
  size_t nv = invdes_space_n_vars(r->sp), dim = invdes_space_dim(r->sp);
  size_t total = invdes_strategy_remaining(r->s, NULL, 0);
  assert_true(total < 100000);
  double *x = malloc((total * nv + 1) * sizeof *x);
  double *z = malloc((total * dim + 1) * sizeof *z);
  invdes_proposals *p = invdes_proposals_new(r->s, batch);
  size_t got = 0;
  for (uint64_t it = 0; got < total; it++) {
    size_t m = total - got < batch ? total - got : batch;
    invdes_error err;
    invdes_error_clear(&err);
    if (invdes_strategy_ask(r->s, it, m, z, got, p, &err)) fail_msg("ask: %s", err.message);
    check_batch(r->s, p);
    memcpy(x + got * nv, p->x, m * nv * sizeof *x);
    memcpy(z + got * dim, p->z, m * dim * sizeof *z);
    got += m;
    assert_int_equal(invdes_strategy_remaining(r->s, z, got), total - got);
  }
  assert_distinct(z, got, dim);
  invdes_error err;
  invdes_error_clear(&err);
  assert_int_equal(invdes_strategy_ask(r->s, 99, 1, z, got, p, &err), INVDES_ERR_INFEASIBLE);
  assert_int_equal(p->n, 0);
  assert_non_null(strstr(err.message, "0 untried"));
  invdes_proposals_free(p);
  free(z);
  *n = got;
  return x;
}

#define MIXED_SPACE                                   \
  HEAD "parameters:\n"                                \
       "  - {name: a, type: continuous, bounds: [0, 1]}\n" \
       "  - {name: n, type: integer, bounds: [1, 3]}\n"    \
       "  - {name: c, type: categorical, values: [red, blue]}\n" TAIL
static const char MIXED[] = MIXED_SPACE "strategy: {kind: grid, grid: {levels: 3}}\n";

/* 3 levels of a, all 3 integers of n, both labels of c: 18 points, c
 * fastest, a slowest. */
static void test_mixed_order(void **state) {
  (void)state;
  grid_run r = open_grid(MIXED);
  assert_int_equal(invdes_strategy_remaining(r.s, NULL, 0), 18);
  size_t n;
  double *x = ask_all(&r, 5, &n);
  assert_int_equal(n, 18);
  const double a[3] = {0, 0.5, 1};
  for (size_t k = 0; k < n; k++) {
    assert_true(x[3 * k] == a[k / 6]);
    assert_true(x[3 * k + 1] == (double)(1 + (k / 2) % 3));
    assert_true(x[3 * k + 2] == (double)(k % 2));
  }
  free(x);
  close_grid(&r);
}

/* levels_of for one parameter, the default for another; log spacing; an
 * integer with more values than its levels gets that many, rounded. */
static void test_levels_log_integer(void **state) {
  (void)state;
  grid_run r = open_grid(HEAD
                         "parameters:\n"
                         "  - {name: a, type: continuous, bounds: [1, 100], scale: log}\n"
                         "  - {name: b, type: integer, bounds: [0, 100]}\n"
                         "  - {name: d, type: discrete, values: [2, 8]}\n" TAIL
                         "strategy: {kind: grid, grid: {levels: 5, levels_of: {a: 3}}}\n");
  size_t n;
  double *x = ask_all(&r, 7, &n);
  assert_int_equal(n, 3 * 5 * 2);
  const double a[3] = {1, 10, 100}, b[5] = {0, 25, 50, 75, 100}, d[2] = {2, 8};
  for (size_t k = 0; k < n; k++) {
    assert_true(fabs(x[3 * k] - a[k / 10]) < 1e-12 * a[k / 10]);
    assert_true(x[3 * k + 1] == b[(k / 2) % 5]);
    assert_true(x[3 * k + 2] == d[k % 2]);
  }
  free(x);
  close_grid(&r);

  /* integer log scale: 1..1000 in 4 levels is 1, 10, 100, 1000 */
  r = open_grid(HEAD
                "parameters:\n"
                "  - {name: m, type: integer, bounds: [1, 1000], scale: log}\n"
                "  - {name: b, type: integer, bounds: [0, 3]}\n" TAIL
                "strategy: {kind: grid, grid: {levels: 4}}\n");
  x = ask_all(&r, 16, &n);
  assert_int_equal(n, 16);
  for (size_t k = 0; k < n; k++) {
    assert_true(x[2 * k] == pow(10, (double)(k / 4)));
    assert_true(x[2 * k + 1] == (double)(k % 4));
  }
  free(x);
  close_grid(&r);
}

/* The simplex lattice of 3 components in steps of total/2, within bounds,
 * each point summing to the total. */
static void test_composition_lattice(void **state) {
  (void)state;
  static const char fmt[] = HEAD
      "compositions:\n"
      "  - name: tm\n"
      "    total: 2\n"
      "    components: {ni: [0, 2], mn: [0, 2], co: [0, %s]}\n" TAIL
      "strategy: {kind: grid, grid: {levels: 3}}\n";
  const double all[6][3] = {{0, 0, 2}, {0, 1, 1}, {0, 2, 0}, {1, 0, 1}, {1, 1, 0}, {2, 0, 0}};
  for (int bounded = 0; bounded < 2; bounded++) {
    char text[1024];
    snprintf(text, sizeof text, fmt, bounded ? "1" : "2");
    grid_run r = open_grid(text);
    size_t n;
    double *x = ask_all(&r, 4, &n);
    assert_int_equal(n, bounded ? 5 : 6); /* co <= 1 leaves out (0, 0, 2) */
    for (size_t k = 0; k < n; k++) {
      const double *want = all[k + (size_t)bounded];
      double sum = 0;
      for (int j = 0; j < 3; j++) {
        assert_true(fabs(x[3 * k + j] - want[j]) < 1e-12);
        sum += x[3 * k + j];
      }
      assert_true(fabs(sum - 2) < 1e-12);
    }
    free(x);
    close_grid(&r);
  }
}

/* Lattice amounts are m * total / (levels - 1) as one division, so a tenth
 * step gives 0.3 and 0.7 as written, not 3 * 0.1 = 0.30000000000000004,
 * and an amount at a bound is that bound, not an ulp beyond it. */
static void test_composition_decimal(void **state) {
  (void)state;
  grid_run r = open_grid(HEAD
                         "compositions:\n"
                         "  - name: tm\n"
                         "    total: 1\n"
                         "    components: {ni: [0.1, 0.7], mn: [0.1, 0.7], co: [0, 1]}\n" TAIL
                         "strategy: {kind: grid, grid: {levels: 11}}\n");
  size_t n;
  double *x = ask_all(&r, 16, &n);
  assert_int_equal(n, 7 + 7 + 7 + 6 + 5 + 4 + 3); /* ni, mn in 0.1..0.7, ni + mn <= 1 */
  for (size_t k = 0; k < n; k++) {
    for (int j = 0; j < 2; j++) {
      double m = round(x[3 * k + j] * 10);
      assert_true(x[3 * k + j] == m / 10);
      assert_true(x[3 * k + j] >= 0.1 && x[3 * k + j] <= 0.7);
    }
    assert_true(fabs(x[3 * k] + x[3 * k + 1] + x[3 * k + 2] - 1) < 1e-15);
  }
  free(x);
  close_grid(&r);
}

/* u + v <= 1 leaves 6 of the 9 points, in order. */
static void test_constraints(void **state) {
  (void)state;
  grid_run r = open_grid(HEAD
                         "parameters:\n"
                         "  - {name: u, type: continuous, bounds: [0, 1]}\n"
                         "  - {name: v, type: continuous, bounds: [0, 1]}\n"
                         "constraints:\n  - u + v <= 1\n" TAIL
                         "strategy: {kind: grid, grid: {levels: 3}}\n");
  size_t n;
  double *x = ask_all(&r, 2, &n);
  const double want[6][2] = {{0, 0}, {0, 0.5}, {0, 1}, {0.5, 0}, {0.5, 0.5}, {1, 0}};
  assert_int_equal(n, 6);
  for (size_t k = 0; k < n; k++) {
    assert_true(x[2 * k] == want[k][0]);
    assert_true(x[2 * k + 1] == want[k][1]);
  }
  free(x);
  close_grid(&r);
}

/* A strategy rebuilt from the history (and no saved state) continues as
 * the uninterrupted one, with outcomes arriving out of order; reruns are
 * identical; a discrete-only space is used up like any finite space. */
static void test_resume_and_exhaust(void **state) {
  (void)state;
  grid_run r = open_grid(MIXED);
  const size_t sizes[5] = {3, 1, 4, 2, 3};
  harness_check_resume(r.sp, &r.c->strategy, 5, sizes, 0);
  harness_check_exhaust(r.sp, &r.c->strategy, 18, 4, "grid");
  close_grid(&r);
  r = open_grid(HEAD
                "parameters:\n"
                "  - {name: n, type: integer, bounds: [1, 4]}\n"
                "  - {name: c, type: categorical, values: [red, blue, green]}\n" TAIL
                "strategy: {kind: grid}\n");
  harness_check_exhaust(r.sp, &r.c->strategy, 12, 5, "space");
  close_grid(&r);
}

/* Over a pool the grid is every feasible row once, in row order. */
static void test_pool(void **state) {
  (void)state;
  invdes_error err;
  invdes_error_clear(&err);
  invdes_campaign *c = invdes_campaign_load(data_path("tests/campaigns/good/pool_features.yaml"),
                                            &err);
  if (!c) fail_msg("load: %s", err.message);
  invdes_space *sp = must_space(c);
  invdes_strategy_spec spec = c->strategy;
  spec.kind = invdes_strategy_kind_find("grid");
  spec.options = NULL;
  invdes_strategy *s = must_strategy_spec(sp, &spec, HARNESS_NT, 1);
  invdes_proposals *p = invdes_proposals_new(s, 8);
  assert_int_equal(invdes_strategy_ask(s, 0, 8, NULL, 0, p, &err), INVDES_OK);
  assert_int_equal(p->n, 8);
  for (size_t i = 1; i < p->n; i++) assert_true(p->x[i] > p->x[i - 1]);
  invdes_proposals_free(p);
  invdes_strategy_free(s);
  harness_exhaust_pool(sp, c, &spec);
  invdes_space_free(sp);
  invdes_campaign_free(c);
}

/* 10 levels of 6 parameters is 10^6 combinations: refused by the loader
 * (so `invdes validate` says so) at the `grid` key, with the size; a
 * strategy made by hand from another campaign's spec (8 parameters at the
 * default 5 levels: 390625) is refused when it is made. A composition whose
 * bounds leave no lattice point is refused by the loader too. */
static void test_explosion(void **state) {
  (void)state;
  char text[2048] = HEAD "parameters:\n";
  for (int i = 0; i < 6; i++)
    snprintf(text + strlen(text), sizeof text - strlen(text),
             "  - {name: p%d, type: continuous, bounds: [0, 1]}\n", i);
  size_t head = strlen(text);
  strcat(text, TAIL "strategy: {kind: grid, grid: {levels: 10}}\n");
  invdes_error err;
  invdes_error_clear(&err);
  assert_null(parse(text, &err));
  assert_non_null(strstr(err.message, ":15:24: the grid has 1000000 combinations"));

  text[head] = '\0';
  for (int i = 6; i < 8; i++)
    snprintf(text + strlen(text), sizeof text - strlen(text),
             "  - {name: p%d, type: continuous, bounds: [0, 1]}\n", i);
  strcat(text, TAIL "strategy: {kind: random}\n");
  invdes_campaign *c = parse(text, &err);
  if (!c) fail_msg("load: %s", err.message);
  invdes_space *sp = must_space(c);
  invdes_strategy_spec spec = c->strategy;
  spec.kind = invdes_strategy_kind_find("grid");
  spec.options = NULL;
  assert_null(invdes_strategy_new(sp, &spec, HARNESS_NT, 1, &err));
  assert_non_null(strstr(err.message, "390625 combinations"));
  invdes_space_free(sp);
  invdes_campaign_free(c);

  assert_null(parse(HEAD "compositions:\n"
                         "  - {name: c, total: 1, components: {a: [0.2, 0.7], b: [0.2, 0.7]}}\n" TAIL
                         "strategy: {kind: grid, grid: {levels: 2}}\n",
                    &err));
  assert_non_null(strstr(err.message, "no lattice point of 2 levels"));
}

/* Mistakes in the keys, each with its message. */
static void test_keys(void **state) {
  (void)state;
  static const char *const bad[][2] = {
      {"{kind: grid, grid: {levels: 1}}", "'levels'"},
      {"{kind: grid, grid: {levels_of: {zz: 3}}}", "'levels_of' names 'zz', which is not a"},
      {"{kind: grid, grid: {levels_of: {c: 3}}}", "takes all its values"},
      {"{kind: grid, grid: {level: 3}}", "did you mean 'levels'"},
      {"{kind: random, grid: {levels: 3}}", "'grid' applies to strategy kind 'grid' only"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char text[1024];
    snprintf(text, sizeof text, "%sstrategy: %s\n", MIXED_SPACE, bad[i][0]);
    invdes_error err;
    invdes_error_clear(&err);
    invdes_campaign *c = parse(text, &err);
    if (c) fail_msg("loaded: %s", bad[i][0]);
    if (!strstr(err.message, bad[i][1])) fail_msg("%s: %s", bad[i][0], err.message);
  }
  /* the options are compared and shown by name */
  grid_run r = open_grid(MIXED);
  char d[200];
  invdes_strategy_describe(&r.c->strategy, d, sizeof d);
  assert_string_equal(d, "levels 3");
  close_grid(&r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_mixed_order),
      cmocka_unit_test(test_levels_log_integer),
      cmocka_unit_test(test_composition_lattice),
      cmocka_unit_test(test_composition_decimal),
      cmocka_unit_test(test_constraints),
      cmocka_unit_test(test_resume_and_exhaust),
      cmocka_unit_test(test_pool),
      cmocka_unit_test(test_explosion),
      cmocka_unit_test(test_keys),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
