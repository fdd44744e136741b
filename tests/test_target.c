/* test_target.c — goal semantics (target.h): meets at, inside and outside the
 * edges of every goal, the per-target order, normalized violation, NaN, the
 * SQL order checked against invdes_target_compare on a real in-memory SQLite
 * table, the description, and the ranking of whole results (Deb's rules). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <float.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "target.h"

static const invdes_target T_MAX = {.name = "capacity", .goal = INVDES_GOAL_MAXIMIZE, .weight = 1,
                                    .reference = NAN};
static const invdes_target T_MIN = {.name = "fade", .goal = INVDES_GOAL_MINIMIZE, .weight = 0.5,
                                    .reference = NAN};
static const invdes_target T_WIN = {.name = "voltage", .goal = INVDES_GOAL_WINDOW, .lo = 3.6,
                                    .hi = 3.9};
static const invdes_target T_BELOW = {.name = "e_red", .goal = INVDES_GOAL_BELOW,
                                      .threshold = -3.35};
static const invdes_target T_ABOVE = {.name = "stability", .goal = INVDES_GOAL_ABOVE,
                                      .threshold = 0.8};

static double up(double v) { return nextafter(v, INFINITY); }
static double down(double v) { return nextafter(v, -INFINITY); }

/* splitmix64: a reproducible stream for the randomized checks */
static uint64_t mix(uint64_t *s) {
  uint64_t z = (*s += 0x9e3779b97f4a7c15u);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}
static double unif(uint64_t *s) { return (double)(mix(s) >> 11) / 9007199254740992.0; }

static void test_goal_names(void **state) {
  (void)state;
  const char *const *names = invdes_goal_names();
  size_t n = 0;
  for (; names[n]; n++) {
    invdes_goal g;
    assert_true(invdes_goal_parse(names[n], &g));
    assert_int_equal(g, (invdes_goal)n);
    assert_string_equal(invdes_goal_name(g), names[n]);
  }
  assert_int_equal(n, 5);
  invdes_goal g = INVDES_GOAL_ABOVE;
  assert_false(invdes_goal_parse("maximise", &g));
  assert_false(invdes_goal_parse(NULL, &g));
  assert_int_equal(g, INVDES_GOAL_ABOVE);
  assert_string_equal(invdes_goal_name((invdes_goal)99), "?");
  assert_true(invdes_goal_is_objective(INVDES_GOAL_MAXIMIZE));
  assert_true(invdes_goal_is_objective(INVDES_GOAL_MINIMIZE));
  assert_false(invdes_goal_is_objective(INVDES_GOAL_WINDOW));
  assert_false(invdes_goal_is_objective(INVDES_GOAL_BELOW));
  assert_false(invdes_goal_is_objective(INVDES_GOAL_ABOVE));
  assert_int_equal(invdes_goal_keys(INVDES_GOAL_MAXIMIZE),
                   INVDES_GOAL_KEY_WEIGHT | INVDES_GOAL_KEY_REFERENCE);
  assert_int_equal(invdes_goal_keys(INVDES_GOAL_WINDOW), INVDES_GOAL_KEY_WINDOW);
  assert_int_equal(invdes_goal_keys(INVDES_GOAL_ABOVE), INVDES_GOAL_KEY_THRESHOLD);
  assert_int_equal(invdes_target_direction(&T_MAX), 1);
  assert_int_equal(invdes_target_direction(&T_ABOVE), 1);
  assert_int_equal(invdes_target_direction(&T_MIN), -1);
  assert_int_equal(invdes_target_direction(&T_BELOW), -1);
  assert_int_equal(invdes_target_direction(&T_WIN), 0);
  double lo, hi;
  invdes_target_interval(&T_BELOW, &lo, &hi);
  assert_true(lo == -INFINITY && hi == -3.35);
  invdes_target_interval(&T_ABOVE, &lo, &hi);
  assert_true(lo == 0.8 && hi == INFINITY);
  invdes_target_interval(&T_WIN, &lo, &hi);
  assert_true(lo == 3.6 && hi == 3.9);
  invdes_target_interval(&T_MAX, &lo, &hi);
  assert_true(lo == -INFINITY && hi == INFINITY);
}

/* Edges count, exactly: one ulp outside does not. */
static void test_meets_edges(void **state) {
  (void)state;
  assert_true(invdes_target_meets(&T_WIN, 3.6));
  assert_true(invdes_target_meets(&T_WIN, 3.9));
  assert_true(invdes_target_meets(&T_WIN, 3.75));
  assert_false(invdes_target_meets(&T_WIN, down(3.6)));
  assert_false(invdes_target_meets(&T_WIN, up(3.9)));
  assert_false(invdes_target_meets(&T_WIN, INFINITY));
  assert_true(invdes_target_meets(&T_BELOW, -3.35));
  assert_true(invdes_target_meets(&T_BELOW, -1e300));
  assert_true(invdes_target_meets(&T_BELOW, -INFINITY));
  assert_false(invdes_target_meets(&T_BELOW, up(-3.35)));
  assert_true(invdes_target_meets(&T_ABOVE, 0.8));
  assert_true(invdes_target_meets(&T_ABOVE, 7));
  assert_false(invdes_target_meets(&T_ABOVE, down(0.8)));
  assert_true(invdes_target_meets(&T_MAX, -1e300));
  assert_true(invdes_target_meets(&T_MIN, 1e300));
  const invdes_target *all[] = {&T_MAX, &T_MIN, &T_WIN, &T_BELOW, &T_ABOVE};
  for (int i = 0; i < 5; i++) assert_false(invdes_target_meets(all[i], NAN));
}

static void test_compare(void **state) {
  (void)state;
  assert_true(invdes_target_better(&T_MAX, 2, 1));
  assert_false(invdes_target_better(&T_MAX, 1, 2));
  assert_true(invdes_target_better(&T_MIN, 1, 2));
  /* above and below keep improving past the threshold */
  assert_true(invdes_target_better(&T_ABOVE, 0.95, 0.85));
  assert_true(invdes_target_better(&T_ABOVE, 0.8, 0.79));
  assert_true(invdes_target_better(&T_BELOW, -4, -3.5));
  /* window: inside beats outside, nearer the window, then nearer its middle */
  assert_true(invdes_target_better(&T_WIN, 3.9, 3.91));
  assert_true(invdes_target_better(&T_WIN, 3.59, 3.5));
  assert_true(invdes_target_better(&T_WIN, 3.75, 3.65));
  assert_true(invdes_target_better(&T_WIN, 3.6, up(3.9)));
  assert_int_equal(invdes_target_compare(&T_WIN, 3.5, 4.0), 0);  /* mirror images */
  assert_int_equal(invdes_target_compare(&T_WIN, 3.7, 3.7), 0);
  /* NaN after every number, equal to NaN; never better */
  const invdes_target *all[] = {&T_MAX, &T_MIN, &T_WIN, &T_BELOW, &T_ABOVE};
  for (int i = 0; i < 5; i++) {
    assert_true(invdes_target_compare(all[i], -1e300, NAN) < 0);
    assert_true(invdes_target_compare(all[i], NAN, 1e300) > 0);
    assert_int_equal(invdes_target_compare(all[i], NAN, NAN), 0);
    assert_false(invdes_target_better(all[i], NAN, 0));
  }
  /* antisymmetric, and the order refines meets */
  uint64_t s = 7;
  for (int k = 0; k < 20000; k++) {
    const invdes_target *t = all[k % 5];
    double a = 3 * unif(&s) + (k % 3 == 0 ? 2.5 : -4), b = 3 * unif(&s) + (k % 2 ? 2.5 : -4);
    if (k % 7 == 0) b = a;
    int c = invdes_target_compare(t, a, b);
    assert_int_equal(c, -invdes_target_compare(t, b, a));
    assert_int_equal(invdes_target_better(t, a, b), c < 0);
    if (invdes_target_meets(t, a) && !invdes_target_meets(t, b)) assert_true(c < 0);
  }
}

static void test_violation(void **state) {
  (void)state;
  assert_true(fabs(invdes_target_violation(&T_WIN, 3.96) - 0.06 / 0.3) < 1e-12);
  assert_true(fabs(invdes_target_violation(&T_WIN, 3.5) - 0.1 / 0.3) < 1e-12);
  assert_true(invdes_target_violation(&T_WIN, 3.6) == 0);
  assert_true(invdes_target_violation(&T_WIN, 3.9) == 0);
  assert_true(invdes_target_violation(&T_WIN, up(3.9)) > 0);
  assert_true(fabs(invdes_target_violation(&T_BELOW, -3.0) - 0.35 / 3.35) < 1e-12);
  assert_true(invdes_target_violation(&T_BELOW, -3.35) == 0);
  assert_true(fabs(invdes_target_violation(&T_ABOVE, 0.6) - 0.25) < 1e-12);
  assert_true(invdes_target_violation(&T_ABOVE, 0.9) == 0);
  /* a zero threshold: the distance in the target's units */
  invdes_target z = {.name = "e", .goal = INVDES_GOAL_BELOW, .threshold = 0};
  assert_true(invdes_target_violation(&z, 0.25) == 0.25);
  /* objectives are never violated by a value; NaN always is */
  assert_true(invdes_target_violation(&T_MAX, -1e300) == 0);
  assert_true(invdes_target_violation(&T_MIN, 1e300) == 0);
  const invdes_target *all[] = {&T_MAX, &T_MIN, &T_WIN, &T_BELOW, &T_ABOVE};
  for (int i = 0; i < 5; i++) assert_true(invdes_target_violation(all[i], NAN) == INFINITY);
  /* a miss too small to divide is still a miss */
  invdes_target wide = {.name = "w", .goal = INVDES_GOAL_WINDOW, .lo = 0, .hi = 1e300};
  assert_true(invdes_target_violation(&wide, -DBL_TRUE_MIN) > 0);
  /* 0 exactly when met; larger further out */
  uint64_t s = 11;
  for (int k = 0; k < 5000; k++) {
    const invdes_target *t = all[k % 5];
    double v = 8 * unif(&s) - 5;
    assert_int_equal(invdes_target_violation(t, v) == 0, invdes_target_meets(t, v));
  }
  assert_true(invdes_target_violation(&T_WIN, 4.2) > invdes_target_violation(&T_WIN, 4.0));
  assert_true(invdes_target_violation(&T_ABOVE, 0.1) > invdes_target_violation(&T_ABOVE, 0.5));
}

/* ---- the SQL order against compare ----------------------------------------- */

typedef struct row {
  int id;
  double v;
} row;
static const invdes_target *sort_target;
static int by_compare(const void *pa, const void *pb) {
  const row *a = pa, *b = pb;
  int c = invdes_target_compare(sort_target, a->v, b->v);
  return c ? c : a->id - b->id;
}

/* Values near t's edges: uniform, the edges themselves and their
 * neighbours, mirror images about a window's middle, repeats and NaN. */
static double draw(const invdes_target *t, uint64_t *s, const double *done, int n) {
  double lo, hi;
  invdes_target_interval(t, &lo, &hi);
  double a = isfinite(lo) ? lo : hi, b = isfinite(hi) ? hi : lo;
  if (!isfinite(a)) a = 0, b = 1;
  double u = unif(s), w = b - a > 0 ? b - a : 1;
  switch (mix(s) % 8) {
  case 0: return NAN;
  case 1: return u < 0.5 ? a : b;
  case 2: return u < 0.5 ? down(a) : up(b);
  case 3: return u < 0.5 ? up(a) : down(b);
  case 4: return n ? done[mix(s) % (uint64_t)n] : a;
  case 5: return n ? a + b - done[mix(s) % (uint64_t)n] : b; /* mirror about the middle */
  default: return a - w + 3 * w * u;
  }
}

static void check_sql_order(sqlite3 *db, const invdes_target *t, uint64_t seed) {
  enum { N = 400 };
  row rows[N];
  double vals[N];
  uint64_t s = seed;
  assert_int_equal(sqlite3_exec(db, "DELETE FROM r", NULL, NULL, NULL), SQLITE_OK);
  sqlite3_stmt *ins;
  assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO r(id, value) VALUES(?1, ?2)", -1, &ins,
                                      NULL), SQLITE_OK);
  for (int i = 0; i < N; i++) {
    vals[i] = draw(t, &s, vals, i);
    rows[i] = (row){i + 1, vals[i]};
    sqlite3_bind_int(ins, 1, i + 1);
    if (isnan(vals[i])) sqlite3_bind_null(ins, 2);
    else sqlite3_bind_double(ins, 2, vals[i]);
    assert_int_equal(sqlite3_step(ins), SQLITE_DONE);
    sqlite3_reset(ins);
  }
  sqlite3_finalize(ins);
  char order[512], sql[700];
  double bind[2];
  int nb = -1;
  assert_true(invdes_target_sql_order(t, "value", 1, order, sizeof order, bind, &nb) > 0);
  assert_int_equal(nb, t->goal == INVDES_GOAL_WINDOW ? 2 : 0);
  snprintf(sql, sizeof sql, "SELECT id FROM r ORDER BY %s, id", order);
  sqlite3_stmt *q;
  assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
  for (int k = 0; k < nb; k++) sqlite3_bind_double(q, 1 + k, bind[k]);
  sort_target = t;
  qsort(rows, N, sizeof *rows, by_compare);
  for (int i = 0; i < N; i++) {
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    int id = sqlite3_column_int(q, 0);
    if (id != rows[i].id)
      fail_msg("goal %s, rank %d: SQL has row %d (%.17g), compare row %d (%.17g)",
               invdes_goal_name(t->goal), i, id, vals[id - 1], rows[i].id, rows[i].v);
  }
  assert_int_equal(sqlite3_step(q), SQLITE_DONE);
  sqlite3_finalize(q);
}

static void test_sql_order(void **state) {
  (void)state;
  sqlite3 *db;
  assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
  assert_int_equal(sqlite3_exec(db, "CREATE TABLE r(id INTEGER PRIMARY KEY, value REAL)", NULL,
                                NULL, NULL), SQLITE_OK);
  /* bounds with 17 significant digits: a decimal literal would not do */
  invdes_target odd = {.name = "o", .goal = INVDES_GOAL_WINDOW, .lo = 0.1 + 0.2,
                       .hi = 2.0 / 3.0};
  /* ... and two that SQLite 3.40 reads an ulp off from "%.17g" */
  invdes_target tiny = {.name = "t", .goal = INVDES_GOAL_WINDOW, .lo = 5.160349693410075e-300,
                        .hi = 1.0406195765048301e-297};
  const invdes_target *all[] = {&T_MAX, &T_MIN, &T_WIN, &T_BELOW, &T_ABOVE, &odd, &tiny};
  for (int i = 0; i < 7; i++)
    for (uint64_t seed = 1; seed <= 5; seed++)
      check_sql_order(db, all[i], 100 * (uint64_t)i + seed);
  sqlite3_close(db);
  /* text that does not fit is refused */
  char small[16];
  double bind[2];
  int nb;
  assert_int_equal(invdes_target_sql_order(&T_WIN, "value", 2, small, sizeof small, bind, &nb),
                   -1);
  char buf[256];
  invdes_target bad = {.name = "b", .goal = (invdes_goal)99};
  assert_int_equal(invdes_target_sql_order(&bad, "value", 2, buf, sizeof buf, bind, &nb), -1);
  assert_true(invdes_target_sql_order(&T_WIN, "r.value", 3, buf, sizeof buf, bind, &nb) > 0);
  assert_non_null(strstr(buf, "?3"));
  assert_non_null(strstr(buf, "?4"));
  assert_true(bind[0] == 3.6 && bind[1] == 3.9);
}

static void test_describe(void **state) {
  (void)state;
  char buf[128];
  invdes_target_describe(&T_MAX, buf, sizeof buf);
  assert_string_equal(buf, "maximize");
  invdes_target_describe(&T_MIN, buf, sizeof buf);
  assert_string_equal(buf, "minimize, weight 0.5");
  invdes_target_describe(&T_WIN, buf, sizeof buf);
  assert_string_equal(buf, "window [3.6, 3.9]");
  invdes_target_describe(&T_BELOW, buf, sizeof buf);
  assert_string_equal(buf, "below -3.35");
  invdes_target_describe(&T_ABOVE, buf, sizeof buf);
  assert_string_equal(buf, "above 0.8");
  invdes_target odd = {.name = "o", .goal = INVDES_GOAL_WINDOW, .lo = 0.1 + 0.2, .hi = 170};
  invdes_target_describe(&odd, buf, sizeof buf);
  assert_string_equal(buf, "window [0.30000000000000004, 170]");
  /* a weight the store did not record (NaN) is not shown */
  invdes_target nw = {.name = "n", .goal = INVDES_GOAL_MAXIMIZE, .weight = NAN, .reference = NAN};
  invdes_target_describe(&nw, buf, sizeof buf);
  assert_string_equal(buf, "maximize");
  /* a reference when given (0 is one), on the objectives only */
  nw.reference = 0;
  invdes_target_describe(&nw, buf, sizeof buf);
  assert_string_equal(buf, "maximize, reference 0");
  nw.weight = 2, nw.reference = 0.25;
  invdes_target_describe(&nw, buf, sizeof buf);
  assert_string_equal(buf, "maximize, weight 2, reference 0.25");
  invdes_target wr = T_WIN;
  wr.reference = 1;
  invdes_target_describe(&wr, buf, sizeof buf);
  assert_string_equal(buf, "window [3.6, 3.9]");
  char small[8];
  assert_int_equal(invdes_target_describe(&T_WIN, small, sizeof small),
                   (int)strlen("window [3.6, 3.9]"));
  assert_string_equal(small, "window ");
}

/* ---- whole results ------------------------------------------------------------ */

static void test_results(void **state) {
  (void)state;
  invdes_target t[4] = {T_MAX, T_MIN, T_WIN, T_ABOVE};
  const size_t n = 4;
  double met[4] = {200, 4, 3.75, 0.9};         /* objective -200 + 2 = -198 */
  double met_worse[4] = {190, 4, 3.6, 0.8};    /* -188, still meets everything */
  double broken[4] = {250, 1, 3.96, 0.9};      /* better objective, window missed */
  double broken_more[4] = {250, 1, 4.2, 0.6};  /* misses more */
  double missing_obj[4] = {NAN, 4, 3.75, 0.9};
  double missing_cond[4] = {200, 4, NAN, NAN};
  /* conditions met first, then the objective, else the least violation */
  assert_true(invdes_score_compare_results(t, n, met, 0, met_worse, 0) < 0);
  assert_true(invdes_score_compare_results(t, n, met_worse, 0, broken, 0) < 0);
  assert_true(invdes_score_compare_results(t, n, broken, 0, broken_more, 0) < 0);
  assert_true(invdes_score_compare_results(t, n, broken_more, 0, met, 0) > 0);
  /* a known objective before a missing one; a missing condition is not broken */
  assert_true(invdes_score_compare_results(t, n, met, 0, missing_obj, 0) < 0);
  assert_int_equal(invdes_score_compare_results(t, n, met, 0, missing_cond, 0), 0);
  /* failures after every result with values; nothing told after failures */
  assert_true(invdes_score_compare_results(t, n, broken_more, 0, met, 1) < 0);
  assert_true(invdes_score_compare_results(t, n, met, 1, NULL, 0) < 0);
  assert_int_equal(invdes_score_compare_results(t, n, NULL, 0, NULL, 0), 0);
  invdes_score sc = invdes_score_observation(t, n, broken, 0);
  assert_true(fabs(sc.violation - 0.06 / 0.3) < 1e-12);
  assert_true(fabs(sc.objective - (-250 + 0.5)) < 1e-12);
  assert_true(fabs(invdes_score_value(&sc, 10) - (sc.objective + 10 * sc.violation)) < 1e-12);
  /* every target met, with a value each */
  assert_true(invdes_targets_met(t, n, met));
  assert_true(invdes_targets_met(t, n, met_worse));
  assert_false(invdes_targets_met(t, n, broken));
  assert_false(invdes_targets_met(t, n, missing_obj));
  assert_false(invdes_targets_met(t, n, missing_cond));
  assert_false(invdes_targets_met(t, n, NULL));
  /* the met results are the ones ranked with violation 0 and an objective */
  const double *ys[] = {met, met_worse, broken, broken_more, missing_obj};
  for (int i = 0; i < 5; i++) {
    invdes_score x = invdes_score_observation(t, n, ys[i], 0);
    assert_int_equal(invdes_targets_met(t, n, ys[i]), x.violation == 0 && !isnan(x.objective));
  }
}

/* The one ranking (best, status, progress): every condition met first, the
 * objective among them; then fewer unmeasured conditions, the least
 * violation, the objective; nothing ranked without a value or when failed. */
static void test_rank(void **state) {
  (void)state;
  invdes_target t[4] = {T_MAX, T_MIN, T_WIN, T_ABOVE};
  const size_t n = 4;
  double met[4] = {200, 4, 3.75, 0.9};
  double met_worse[4] = {190, 4, 3.6, 0.8};
  double met_no_obj[4] = {NAN, NAN, 3.75, 0.9};
  double broken[4] = {250, 1, 3.96, 0.9};     /* 0.06 / 0.3 = 0.2 */
  double broken_more[4] = {250, 1, 4.2, 0.6}; /* 2 + 0.25 */
  double unmeasured[4] = {900, 1, NAN, 0.9};  /* voltage not measured */
  invdes_rank r[6];
  const double *ys[6] = {met, met_worse, met_no_obj, broken, broken_more, unmeasured};
  for (int i = 0; i < 6; i++) r[i] = invdes_rank_result(t, n, ys[i], 0);
  for (int i = 0; i < 6; i++) {
    assert_true(r[i].ranked);
    assert_int_equal(r[i].meets, i < 3);
    for (int j = i + 1; j < 6; j++) assert_true(invdes_rank_compare(&r[i], &r[j]) < 0);
    assert_int_equal(invdes_rank_compare(&r[i], &r[i]), 0);
  }
  assert_true(fabs(r[3].violation - 0.2) < 1e-12);
  assert_int_equal(r[5].missing, 1);
  assert_true(r[5].violation == 0);
  invdes_rank none = invdes_rank_result(t, n, NULL, 0);
  invdes_rank failed = invdes_rank_result(t, n, met, 1);
  assert_false(none.ranked);
  assert_false(failed.ranked);
  assert_true(invdes_rank_compare(&r[5], &failed) < 0);
  assert_int_equal(invdes_rank_compare(&none, &failed), 0);
  /* the objective is the strategies' weighted sum */
  invdes_score sc = invdes_score_observation(t, n, met, 0);
  assert_true(r[0].objective == sc.objective);
  /* a screen for a window (no objective): nearer the middle first, at any
   * distance from it; an equal one is a tie (the caller's: older first) */
  invdes_target w[1] = {T_WIN};
  double mid[1] = {3.75}, near_edge[1] = {3.89}, near_mid[1] = {3.80}, mirror[1] = {3.70};
  invdes_rank a = invdes_rank_result(w, 1, mid, 0), b = invdes_rank_result(w, 1, near_edge, 0);
  invdes_rank c = invdes_rank_result(w, 1, near_mid, 0);
  invdes_rank d = invdes_rank_result(w, 1, mirror, 0);
  assert_true(invdes_rank_compare(&a, &c) < 0);
  assert_true(invdes_rank_compare(&c, &b) < 0);
  assert_true(fabs(c.centre - d.centre) < 1e-12);
}

/* stop_when: conditions met and every named level reached; `satisfied`
 * alone (no level) stops only a campaign without objectives. */
static void test_stop_when(void **state) {
  (void)state;
  invdes_target t[3] = {T_MAX, T_MIN, T_WIN};
  double y[3] = {200, 4, 3.75}, outside[3] = {300, 1, 3.95}, partial[3] = {200, NAN, 3.75};
  double levels[3] = {200, NAN, NAN}, both[3] = {200, 3.5, NAN};
  assert_false(invdes_stop_when_met(t, 3, NULL, y));   /* objectives, no level */
  assert_true(invdes_stop_when_met(t, 3, levels, y));  /* 200 >= 200 */
  assert_false(invdes_stop_when_met(t, 3, levels, outside));
  assert_true(invdes_stop_when_met(t, 3, levels, partial)); /* fade not named */
  assert_false(invdes_stop_when_met(t, 3, both, y));   /* 4 > 3.5 */
  y[1] = 3.5;
  assert_true(invdes_stop_when_met(t, 3, both, y));
  assert_false(invdes_stop_when_met(t, 3, both, partial));
  assert_false(invdes_stop_when_met(t, 3, levels, NULL));
  /* conditions only: satisfied stops at the first result meeting them */
  assert_true(invdes_stop_when_met(t + 2, 1, NULL, y + 2));
  assert_false(invdes_stop_when_met(t + 2, 1, NULL, outside + 2));
  char buf[64];
  invdes_stop_when_describe(t, 3, 1, both, buf, sizeof buf);
  assert_string_equal(buf, "capacity >= 200, fade <= 3.5");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_goal_names), cmocka_unit_test(test_meets_edges),
      cmocka_unit_test(test_compare),    cmocka_unit_test(test_violation),
      cmocka_unit_test(test_sql_order),  cmocka_unit_test(test_describe),
      cmocka_unit_test(test_results),    cmocka_unit_test(test_rank),
      cmocka_unit_test(test_stop_when),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
