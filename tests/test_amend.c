/* test_amend.c — corrections, prior data and grown campaigns in the library:
 * amend and retract keep every version and change what the models read;
 * declared ranges refuse implausible values in tell, amend and import; an
 * import is all or nothing and every strategy (random, bo, pso) learns from
 * imported points after a rebuild; a migration carries what lies in the new
 * space and counts the rest by reason; a database of schema version 1 opens
 * upgraded with its results as first versions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "driver_cases.h"
#include "driver_internal.h"
#include "strategy_impl.h"

/* The station campaign with a plausible range on capacity (%s: strategy). */
static const char ranged_fmt[] =
    "name: ranged\n"
    "seed: 5\n"
    "parameters:\n"
    "  - {name: t, type: continuous, bounds: [%s, 950]}\n"
    "  - {name: dopant, type: categorical, values: [%s]}\n"
    "targets:\n"
    "  - {name: capacity, goal: maximize, range: [0, 400]}\n"
    "  - {name: voltage, goal: window, window: [3.6, 3.9]}\n"
    "objective: {kind: station}\n"
    "strategy: {kind: %s, batch: 2}\n"
    "budget: {evaluations: 60}\n";

static invdes_driver *make(const char *name, const char *lo, const char *labels,
                           const char *kind) {
  char yaml[64], db[64];
  snprintf(yaml, sizeof yaml, "%s.yaml", name);
  snprintf(db, sizeof db, "%s.db", name);
  write_file(path_in(yaml), ranged_fmt, lo, labels, kind);
  invdes_error err;
  invdes_error_clear(&err);
  invdes_driver *d = invdes_driver_open(path_in(yaml), path_in(db), INVDES_DRIVER_CREATE, NULL,
                                        NULL, &err);
  if (!d) fail_msg("%s", err.message);
  return d;
}

/* n points (t = 710 + 20 i, dopant Al) with capacity 100 + i, as import rows. */
static invdes_status import_n(invdes_driver *d, size_t n, double bad_value, invdes_error *err) {
  const char *names[] = {"dopant", "t"};
  char tbuf[16][32];
  char *params[16] = {0};
  double z[16][8];
  invdes_store_value vals[16];
  invdes_store_import_row rows[16];
  for (size_t i = 0; i < n; i++) {
    snprintf(tbuf[i], sizeof tbuf[i], "%g", 710.0 + 20 * (double)i);
    const char *texts[] = {"Al", tbuf[i]};
    assert_int_equal(invdes_driver_point(d, names, texts, 2, &params[i], z[i], NULL, 0, err),
                     INVDES_OK);
    vals[i] = (invdes_store_value){.target = "capacity", .value = 100.0 + (double)i, .sd = NAN};
    rows[i] = (invdes_store_import_row){.parameters = params[i], .z = z[i],
                                        .dim = invdes_space_dim(invdes_driver_space(d)),
                                        .values = &vals[i], .n_values = 1, .time = NAN};
  }
  if (n) vals[n - 1].value = isnan(bad_value) ? vals[n - 1].value : bad_value;
  invdes_status st = invdes_store_import(invdes_driver_store(d), rows, n, "import", "lab", NULL,
                                         err);
  for (size_t i = 0; i < n; i++) free(params[i]);
  return st;
}

static int count_version(const invdes_store_version *v, void *data) {
  (*(int *)data)++;
  return 0;
}

static void test_amend_retract(void **state) {
  invdes_driver *d = make("fix", "700", "none, Al", "random");
  invdes_store *s = invdes_driver_store(d);
  invdes_error err;
  invdes_error_clear(&err);
  invdes_store_rows *a = NULL;
  assert_int_equal(invdes_driver_propose(d, 2, "r1", 0, 0, &a, &err), INVDES_OK);
  int64_t id = a->items[0].id, id2 = a->items[1].id;
  invdes_store_rows_free(a);
  invdes_store_value v[2] = {{"capacity", 1e308, NAN}, {"voltage", 3.7, NAN}};
  invdes_store_tell_req r = {.id = id, .kind = INVDES_TELL_RESULT, .values = v, .n_values = 2,
                             .station = "r1"};
  assert_int_equal(invdes_store_tell(s, &r, &err), INVDES_ERR_INVALID);
  assert_non_null(strstr(err.message, "[0, 400]"));
  v[0].value = 180;
  assert_int_equal(invdes_store_tell(s, &r, &err), INVDES_OK);
  invdes_store_value fix = {"capacity", 2000, NAN};
  assert_int_equal(invdes_store_amend(s, id, &fix, 1, "alice", "typo", &err),
                   INVDES_ERR_INVALID); /* out of range */
  fix.value = 185;
  assert_int_equal(invdes_store_amend(s, id, &fix, 1, "alice", "", &err), INVDES_ERR_INVALID);
  assert_int_equal(invdes_store_amend(s, id2, &fix, 1, "alice", "typo", &err),
                   INVDES_ERR_INVALID); /* never reported */
  assert_int_equal(invdes_store_amend(s, id, &fix, 1, "alice", "typo", &err), INVDES_OK);
  invdes_store_rows *g = NULL;
  assert_int_equal(invdes_store_get(s, &id, 1, &g, &err), INVDES_OK);
  assert_true(g->items[0].value[0] == 185);
  invdes_store_rows_free(g);
  int n = 0;
  assert_int_equal(invdes_store_history(s, id, count_version, &n, &err), INVDES_OK);
  assert_int_equal(n, 3); /* capacity 180, 185; voltage 3.7 */
  assert_int_equal(invdes_store_retract(s, id2, "alice", "nothing", &err), INVDES_ERR_INVALID);
  assert_int_equal(invdes_store_retract(s, id, "alice", "contaminated", &err), INVDES_OK);
  assert_int_equal(invdes_store_get(s, &id, 1, &g, &err), INVDES_OK);
  assert_true(isnan(g->items[0].value[0]) && isnan(g->items[0].value[1]));
  assert_int_equal(g->items[0].status, INVDES_PROPOSAL_DONE);
  invdes_store_rows_free(g);
  invdes_store_best best;
  assert_int_equal(invdes_store_best_result(s, &best, &err), INVDES_OK);
  assert_int_equal(best.proposal, 0); /* the retracted values no longer count */
  assert_int_equal(invdes_store_tell(s, &r, &err), INVDES_ERR_INVALID); /* retracted */
  assert_non_null(strstr(err.message, "retracted"));
  assert_int_equal(invdes_store_amend(s, id, &fix, 1, "bob", "remeasured", &err), INVDES_OK);
  invdes_store_value volt = {"voltage", 3.8, NAN}; /* still retracted */
  invdes_store_tell_req rv = {.id = id, .kind = INVDES_TELL_RESULT, .values = &volt,
                              .n_values = 1};
  assert_int_equal(invdes_store_tell(s, &rv, &err), INVDES_ERR_INVALID);
  assert_non_null(strstr(err.message, "'voltage' was retracted"));
  n = 0;
  assert_int_equal(invdes_store_history(s, 0, count_version, &n, &err), INVDES_OK);
  assert_int_equal(n, 6);
  assert_int_equal(events(s, "amended").n, 2);
  assert_int_equal(events(s, "retracted").n, 1);
  invdes_driver_free(d);
}

static void test_import_all_or_nothing(void **state) {
  invdes_driver *d = make("imp", "700", "none, Al", "random");
  invdes_error err;
  invdes_error_clear(&err);
  assert_int_equal(import_n(d, 4, 1e308, &err), INVDES_ERR_INVALID);
  assert_non_null(strstr(err.message, "row 4"));
  invdes_store_counts c;
  assert_int_equal(invdes_store_counts_get(invdes_driver_store(d), &c, &err), INVDES_OK);
  assert_int_equal(c.proposals, 0);
  /* points outside the space, by reason */
  const char *names[] = {"t", "dopant"}, *far[] = {"990", "Al"}, *zn[] = {"800", "Zn"},
             *hex[] = {"0x320", "Al"};
  char *params = NULL, why[160];
  double z[8];
  assert_int_equal(invdes_driver_point(d, names, far, 2, &params, z, why, sizeof why, &err),
                   INVDES_ERR_INVALID);
  assert_string_equal(why, "'t' is outside its bounds");
  assert_int_equal(invdes_driver_point(d, names, zn, 2, &params, z, why, sizeof why, &err),
                   INVDES_ERR_INVALID);
  assert_non_null(strstr(err.message, "unknown label 'Zn'"));
  assert_int_equal(invdes_driver_point(d, names, hex, 2, &params, z, why, sizeof why, &err),
                   INVDES_ERR_INVALID);
  assert_int_equal(invdes_driver_point(d, names, far, 1, &params, z, why, sizeof why, &err),
                   INVDES_ERR_INVALID);
  assert_string_equal(why, "no value for 'dopant'");
  assert_null(params);
  invdes_driver_free(d);
}

/* Imported points enter the told history of every strategy after a rebuild,
 * and the new proposals are numbered after them. */
static void imported_history(const char *kind) {
  char name[32];
  snprintf(name, sizeof name, "hist-%s", kind);
  invdes_driver *d = make(name, "700", "none, Al", kind);
  invdes_error err;
  invdes_error_clear(&err);
  assert_int_equal(import_n(d, 12, NAN, &err), INVDES_OK);
  invdes_driver_free(d);
  char db[64];
  snprintf(db, sizeof db, "%s.db", name);
  d = invdes_driver_open_db(path_in(db), 0, &err); /* a new process, as `invdes ask` */
  if (!d) fail_msg("%s", err.message);
  invdes_store_rows *a = NULL;
  assert_int_equal(invdes_driver_propose(d, 2, "r1", 0, 0, &a, &err), INVDES_OK);
  assert_int_equal(invdes_strategy_n_told(d->strat), 12);
  assert_int_equal(a->n, 2);
  assert_true(a->items[0].id > 12);
  invdes_store_rows_free(a);
  invdes_driver_free(d);
}

/* The told y of proposal id in the strategy the driver rebuilt (NULL: not told). */
static const double *told_y(invdes_driver *d, int64_t id) {
  for (size_t i = 0; i < d->strat->n_hist; i++)
    if (d->strat->h_id[i] == id) return d->strat->h_y + i * d->strat->n_targets;
  return NULL;
}

/* After an amendment or a retraction, the history every strategy is rebuilt
 * from (a new process, as the next ask) holds the current values only. */
static void test_models_see_current(void **state) {
  invdes_driver *d = make("cur", "700", "none, Al", "bo");
  invdes_error err;
  invdes_error_clear(&err);
  assert_int_equal(import_n(d, 6, NAN, &err), INVDES_OK); /* capacity 100 ... 105 */
  invdes_store *s = invdes_driver_store(d);
  invdes_store_value fix = {"capacity", 300, NAN};
  assert_int_equal(invdes_store_amend(s, 2, &fix, 1, "lab", "unit slip", &err), INVDES_OK);
  assert_int_equal(invdes_store_retract(s, 4, "lab", "bad cell", &err), INVDES_OK);
  invdes_driver_free(d);
  d = invdes_driver_open_db(path_in("cur.db"), 0, &err);
  if (!d) fail_msg("%s", err.message);
  invdes_store_rows *a = NULL;
  assert_int_equal(invdes_driver_propose(d, 1, "r1", 0, 0, &a, &err), INVDES_OK);
  invdes_store_rows_free(a);
  assert_non_null(told_y(d, 2));
  assert_true(told_y(d, 2)[0] == 300);
  assert_non_null(told_y(d, 4)); /* still told: never proposed again */
  assert_true(isnan(told_y(d, 4)[0]) && isnan(told_y(d, 4)[1]));
  assert_true(told_y(d, 3)[0] == 102);
  invdes_driver_free(d);
}

static void test_import_random(void **state) { imported_history("random"); }
static void test_import_bo(void **state) { imported_history("bo"); }
static void test_import_pso(void **state) { imported_history("pso"); }

static void test_migrate(void **state) {
  invdes_driver *old = make("old", "700", "none, Al", "random");
  invdes_error err;
  invdes_error_clear(&err);
  assert_int_equal(import_n(old, 8, NAN, &err), INVDES_OK); /* t = 710 ... 850 */
  assert_int_equal(invdes_store_retract(invdes_driver_store(old), 2, "lab", "bad cell", &err),
                   INVDES_OK);
  invdes_driver_free(old);
  /* Grown: a new label; narrowed: t from 760 loses 710, 730, 750. */
  invdes_driver *d = make("new", "760", "none, Al, Mg", "bo");
  invdes_migration m;
  assert_int_equal(invdes_driver_migrate(d, path_in("old.db"), "lead", &m, &err), INVDES_OK);
  assert_int_equal(m.proposals, 8);
  assert_int_equal(m.carried, 5);
  assert_int_equal(m.n_reasons, 2);
  assert_string_equal(m.reason[0], "'t' is outside its bounds"); /* 710, 750 */
  assert_int_equal(m.count[0], 2);
  assert_string_equal(m.reason[1], "retracted, no current value"); /* 730 */
  assert_int_equal(m.count[1], 1);
  invdes_store_rows *rows = rows_of(invdes_driver_store(d));
  assert_int_equal(rows->n, 5);
  assert_string_equal(rows->items[0].strategy, "migrated");
  assert_true(rows->items[0].value[0] == 103);
  invdes_store_rows_free(rows);
  int n = 0;
  assert_int_equal(invdes_store_history(invdes_driver_store(d), 0, count_version, &n, &err),
                   INVDES_OK);
  assert_int_equal(n, 10); /* each: recorded (old), migrated */
  invdes_driver_free(d);
}

/* A file of schema version 1: made now, then taken back to version 1 by SQL
 * (what versions 2 to 5 added removed), then opened. */
static void test_upgrade_from_v1(void **state) {
  invdes_driver *d = make("v1", "700", "none, Al", "random");
  invdes_error err;
  invdes_error_clear(&err);
  assert_int_equal(import_n(d, 3, NAN, &err), INVDES_OK);
  invdes_driver_free(d);
  sqlite3 *db = NULL;
  assert_int_equal(sqlite3_open(path_in("v1.db"), &db), SQLITE_OK);
  assert_int_equal(sqlite3_exec(db,
                                "DROP TABLE job_tasks; DROP TABLE jobs;"
                                " DROP TRIGGER results_first_version; DROP TABLE result_history;"
                                " ALTER TABLE targets DROP COLUMN range_lo;"
                                " ALTER TABLE targets DROP COLUMN range_hi;"
                                " ALTER TABLE targets DROP COLUMN reference;"
                                " ALTER TABLE events DROP COLUMN station;"
                                " PRAGMA writable_schema = ON;"
                                " UPDATE sqlite_master SET sql = replace(sql,"
                                " '''abandoned'', ''partial'')', '''abandoned'')')"
                                " WHERE type = 'table' AND name = 'proposals';"
                                " PRAGMA writable_schema = OFF;"
                                " PRAGMA user_version = 1;",
                                NULL, NULL, NULL),
                   SQLITE_OK);
  sqlite3_close(db);
  invdes_store *s = invdes_store_open(path_in("v1.db"), &err);
  if (!s) fail_msg("%s", err.message);
  int n = 0;
  assert_int_equal(invdes_store_history(s, 0, count_version, &n, &err), INVDES_OK);
  assert_int_equal(n, 3);
  assert_false(invdes_store_target(s, 0)->range_lo < invdes_store_target(s, 0)->range_hi);
  invdes_store_value fix = {"capacity", 1e6, NAN}; /* no range in a v1 file */
  assert_int_equal(invdes_store_amend(s, 1, &fix, 1, "lab", "unit slip", &err), INVDES_OK);
  invdes_store_close(s);
  assert_int_equal(sqlite3_open(path_in("v1.db"), &db), SQLITE_OK);
  sqlite3_stmt *st = NULL;
  sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  assert_int_equal(sqlite3_column_int(st, 0), INVDES_STORE_SCHEMA_VERSION);
  sqlite3_finalize(st);
  sqlite3_close(db);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_amend_retract),  cmocka_unit_test(test_import_all_or_nothing),
      cmocka_unit_test(test_import_random),  cmocka_unit_test(test_import_bo),
      cmocka_unit_test(test_import_pso),     cmocka_unit_test(test_migrate),
      cmocka_unit_test(test_models_see_current),
      cmocka_unit_test(test_upgrade_from_v1),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
