/* test_driver.c — the run loop and ask as a user meets them: builtin runs
 * reach the budget with the right values, a run resumes, a changed campaign
 * is refused with a summary while a harmless change is accepted, a station
 * campaign is refused by run, a pool data set and an emulated data set run,
 * failing evaluations are recorded and the run goes on, SIGINT stops a run
 * cleanly, stop_when: satisfied stops at the first result meeting every
 * target, a finite space ends the run when exhausted. Ask is in
 * test_driver_ask.c, the fixture in driver_cases.c; the exact-resume kill
 * test is tests/test_resume.c. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "builtin.h"
#include "driver.h"
#include "store.h"
#include "table.h"
#include "driver_cases.h"

/* ---- builtin runs, resume, campaign changes --------------------------------- */

static void test_builtin_reaches_budget_with_true_values(void **state) {
  const char *yaml = path_in("b1.yaml"), *db = path_in("b1.db");
  write_file(yaml, branin_fmt, "first", "-5", "random", 3, 50);
  invdes_error err;
  invdes_driver *d = open_run(yaml, db, NULL, &err);
  if (!d) fail_msg("%s", err.message);
  assert_int_equal(run_ok(d, NULL), INVDES_RUN_BUDGET);
  invdes_store_rows *rows = rows_of(invdes_driver_store(d));
  /* batch 3 and budget 50: the last batch is cut to 2, exactly 50 results */
  assert_int_equal(rows->n, 50);
  const invdes_builtin *b = invdes_builtin_find("branin");
  for (size_t i = 0; i < rows->n; i++) {
    const invdes_store_proposal *p = &rows->items[i];
    assert_int_equal(p->status, INVDES_PROPOSAL_DONE);
    assert_string_equal(p->station, INVDES_DRIVER_RUN_STATION);
    json_t *o = json_loads(p->parameters, 0, NULL);
    assert_non_null(o);
    double x[2] = {json_number_value(json_object_get(o, "x1")),
                   json_number_value(json_object_get(o, "x2"))};
    json_decref(o);
    /* the recorded value is branin plus noise of sd 0.1 */
    double f = invdes_builtin_eval(b, x, 2, NULL);
    assert_true(fabs(p->value[0] - f) < 0.6);
    assert_true(p->value[0] != f);
  }
  assert_int_equal(rows->items[49].batch, 17);
  invdes_store_rows_free(rows);
  assert_int_equal(events(invdes_driver_store(d), "run_started").n, 1);
  event_count stopped = events(invdes_driver_store(d), "run_stopped");
  assert_int_equal(stopped.n, 1);
  assert_non_null(strstr(stopped.last, "budget reached"));
  invdes_driver_free(d);
}

static void test_resume_and_harmless_change(void **state) {
  const char *yaml = path_in("b2.yaml"), *db = path_in("b2.db");
  write_file(yaml, branin_fmt, "first", "-5", "sobol", 1, 20);
  invdes_error err, notes;
  invdes_driver *d = open_run(yaml, db, &notes, &err);
  if (!d) fail_msg("%s", err.message);
  assert_int_equal(run_ok(d, NULL), INVDES_RUN_BUDGET);
  invdes_store_rows *first = rows_of(invdes_driver_store(d));
  invdes_driver_free(d);

  /* A larger budget and another description are harmless: accepted, noted. */
  write_file(yaml, branin_fmt, "second", "-5", "sobol", 1, 35);
  d = open_run(yaml, db, &notes, &err);
  if (!d) fail_msg("%s", err.message);
  assert_non_null(strstr(notes.message, "budget"));
  assert_int_equal(run_ok(d, NULL), INVDES_RUN_BUDGET);
  invdes_store_rows *all = rows_of(invdes_driver_store(d));
  assert_int_equal(all->n, 35);
  for (size_t i = 0; i < first->n; i++) {
    assert_string_equal(first->items[i].parameters, all->items[i].parameters);
    assert_true(first->items[i].value[0] == all->items[i].value[0]);
  }
  assert_int_equal(events(invdes_driver_store(d), "run_resumed").n, 1);
  assert_int_equal(events(invdes_driver_store(d), "campaign_changed").n, 1);
  invdes_driver_free(d);

  /* The same 35 as a run that had budget 35 from the start (sobol's saved
   * position carried over the resume). */
  const char *yaml2 = path_in("b2b.yaml"), *db2 = path_in("b2b.db");
  write_file(yaml2, branin_fmt, "second", "-5", "sobol", 1, 35);
  d = open_run(yaml2, db2, NULL, &err);
  if (!d) fail_msg("%s", err.message);
  assert_int_equal(run_ok(d, NULL), INVDES_RUN_BUDGET);
  invdes_store_rows *ref = rows_of(invdes_driver_store(d));
  for (size_t i = 0; i < 35; i++) assert_string_equal(ref->items[i].parameters, all->items[i].parameters);
  invdes_driver_free(d);
  invdes_store_rows_free(ref);
  invdes_store_rows_free(first);
  invdes_store_rows_free(all);

  /* Running again on a finished campaign evaluates nothing. */
  d = open_run(yaml, db, NULL, &err);
  assert_non_null(d);
  assert_int_equal(run_ok(d, NULL), INVDES_RUN_BUDGET);
  all = rows_of(invdes_driver_store(d));
  assert_int_equal(all->n, 35);
  invdes_store_rows_free(all);
  invdes_driver_free(d);
}

static void test_changed_campaign_refused_with_summary(void **state) {
  const char *yaml = path_in("b3.yaml"), *db = path_in("b3.db");
  write_file(yaml, branin_fmt, "first", "-5", "random", 1, 5);
  invdes_error err;
  invdes_driver *d = open_run(yaml, db, NULL, &err);
  if (!d) fail_msg("%s", err.message);
  assert_int_equal(run_ok(d, NULL), INVDES_RUN_BUDGET);
  invdes_driver_free(d);
  write_file(yaml, branin_fmt, "first", "-4", "random", 1, 5);
  d = open_run(yaml, db, NULL, &err);
  assert_null(d);
  assert_int_equal(err.status, INVDES_ERR_INVALID);
  assert_non_null(strstr(err.message, "changed"));
  assert_non_null(strstr(err.message, "x1"));
  /* and through the command line: status 2, the summary on stderr */
  char cmd[8192];
  snprintf(cmd, sizeof cmd, "'%s' run --quiet --db '%s' '%s' 2>'%s'", invdes_bin(), db, yaml,
           path_in("b3.err"));
  int rc = system(cmd);
  assert_true(WIFEXITED(rc));
  assert_int_equal(WEXITSTATUS(rc), 2);
}

/* ---- other evaluators ------------------------------------------------------- */

static void test_station_campaign_refused_by_run(void **state) {
  char yaml[512];
  snprintf(yaml, sizeof yaml, "%s/tests/campaigns/good/station.yaml", srcdir());
  const char *db = path_in("st.db");
  invdes_error err;
  invdes_driver *d = open_run(yaml, db, NULL, &err);
  if (!d) fail_msg("%s", err.message);
  invdes_run_end end;
  assert_int_equal(invdes_driver_run(d, NULL, &end, &err), INVDES_ERR_USAGE);
  assert_non_null(strstr(err.message, "invdes ask"));
  invdes_driver_free(d);
  char cmd[8192];
  snprintf(cmd, sizeof cmd, "'%s' run --db '%s' '%s' 2>/dev/null", invdes_bin(), db, yaml);
  int rc = system(cmd);
  assert_int_equal(WEXITSTATUS(rc), 2);
}

static void test_pool_dataset_runs_with_table_values(void **state) {
  char yaml[512], pool[512];
  snprintf(yaml, sizeof yaml, "%s/tests/campaigns/good/pool.yaml", srcdir());
  snprintf(pool, sizeof pool, "%s/campaigns/data/redoxmers/pool.csv", srcdir());
  const char *db = path_in("pool.db");
  invdes_error err;
  invdes_driver *d = open_run(yaml, db, NULL, &err);
  if (!d) fail_msg("%s", err.message);
  assert_int_equal(run_ok(d, NULL), INVDES_RUN_BUDGET);
  invdes_store_rows *rows = rows_of(invdes_driver_store(d));
  assert_int_equal(rows->n, 100);
  invdes_table *t = invdes_table_read(pool, &err);
  assert_non_null(t);
  long idc = invdes_table_find_col(t, "id");
  for (size_t i = 0; i < rows->n; i++) {
    json_t *o = json_loads(rows->items[i].parameters, 0, NULL);
    const char *id = json_string_value(json_object_get(o, "id"));
    assert_non_null(id);
    size_t r = 0;
    while (r < invdes_table_n_rows(t) && strcmp(invdes_table_cell(t, r, (size_t)idc), id) != 0) r++;
    assert_true(r < invdes_table_n_rows(t));
    for (size_t k = 0; k < rows->n_targets; k++) {
      long j = invdes_table_find_col(t, rows->target_names[k]);
      assert_true(rows->items[i].value[k] == strtod(invdes_table_cell(t, r, (size_t)j), NULL));
    }
    /* distinct candidates */
    for (size_t j = 0; j < i; j++) assert_string_not_equal(rows->items[j].parameters, rows->items[i].parameters);
    json_decref(o);
  }
  invdes_table_free(t);
  invdes_store_rows_free(rows);
  invdes_driver_free(d);
}

static void test_emulated_dataset_runs(void **state) {
  char yaml[512];
  snprintf(yaml, sizeof yaml, "%s/tests/campaigns/good/dataset.yaml", srcdir());
  const char *db = path_in("ds.db");
  invdes_error err;
  invdes_driver *d = open_run(yaml, db, NULL, &err);
  if (!d) fail_msg("%s", err.message);
  assert_int_equal(run_ok(d, NULL), INVDES_RUN_BUDGET);
  invdes_store_rows *rows = rows_of(invdes_driver_store(d));
  assert_int_equal(rows->n, 40);
  /* toughness of the crossed-barrel data lies in [0, 50] J/m^3; an emulator's
   * mean stays near that range */
  for (size_t i = 0; i < rows->n; i++) {
    assert_int_equal(rows->items[i].status, INVDES_PROPOSAL_DONE);
    assert_true(rows->items[i].value[0] > -10 && rows->items[i].value[0] < 60);
  }
  invdes_store_rows_free(rows);
  invdes_driver_free(d);
}

static void test_failures_recorded_and_run_goes_on(void **state) {
  write_file(path_in("flaky.sh"),
             "IFS= read -r req || [ -n \"$req\" ]\n"
             "id=${req#*\\\"id\\\":}\nid=${id%%%%,*}\nid=${id# }\n"
             "case $((id %% 3)) in\n"
             "  0) echo \"boom on $id\" >&2; exit 4;;\n"
             "  1) echo '{\"failed\": \"sample cracked\"}';;\n"
             "  *) echo \"{\\\"y\\\": $id}\";;\n"
             "esac\n");
  const char *yaml = path_in("flaky.yaml"), *db = path_in("flaky.db");
  write_file(yaml,
             "name: flaky\nseed: 1\n"
             "parameters:\n  - {name: a, type: continuous, bounds: [0, 1]}\n"
             "targets:\n  - {name: y, goal: maximize}\n"
             "objective: {kind: command, command: [sh, %s], parallel: 3}\n"
             "strategy: {kind: random, batch: 3}\n"
             "budget: {evaluations: 12}\n",
             path_in("flaky.sh"));
  invdes_error err;
  invdes_driver *d = open_run(yaml, db, NULL, &err);
  if (!d) fail_msg("%s", err.message);
  assert_int_equal(run_ok(d, NULL), INVDES_RUN_BUDGET);
  invdes_store_rows *rows = rows_of(invdes_driver_store(d));
  assert_int_equal(rows->n, 12);
  for (size_t i = 0; i < rows->n; i++) {
    const invdes_store_proposal *p = &rows->items[i];
    switch (p->id % 3) {
    case 0:
      assert_int_equal(p->status, INVDES_PROPOSAL_FAILED);
      assert_non_null(strstr(p->reason, "4"));
      break;
    case 1:
      assert_int_equal(p->status, INVDES_PROPOSAL_FAILED);
      assert_non_null(strstr(p->reason, "sample cracked"));
      break;
    default:
      assert_int_equal(p->status, INVDES_PROPOSAL_DONE);
      assert_true(p->value[0] == (double)p->id);
    }
  }
  invdes_store_rows_free(rows);
  event_count e = events(invdes_driver_store(d), "evaluator_error");
  assert_int_equal(e.n, 8);
  invdes_driver_free(d);
  /* the stderr of a crash is in the log */
  invdes_store *s = invdes_store_open(db, &err);
  assert_non_null(s);
  e = events(s, "evaluator_error");
  invdes_store_close(s);
  assert_true(strstr(e.last, "boom on") || strstr(e.last, "sample cracked"));
}

static void test_sigint_stops_cleanly(void **state) {
  write_file(path_in("slow.sh"), "IFS= read -r req || [ -n \"$req\" ]\nsleep 0.05\n"
                                 "echo '{\"y\": 1}'\n");
  const char *yaml = path_in("slow.yaml"), *db = path_in("slow.db");
  write_file(yaml,
             "name: slow\nseed: 1\n"
             "parameters:\n  - {name: a, type: continuous, bounds: [0, 1]}\n"
             "targets:\n  - {name: y, goal: maximize}\n"
             "objective: {kind: command, command: [sh, %s]}\n"
             "strategy: {kind: random}\n"
             "budget: {evaluations: 1000}\n",
             path_in("slow.sh"));
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    int null = open("/dev/null", O_WRONLY);
    dup2(null, 2);
    execl(invdes_bin(), invdes_bin(), "run", "--db", db, yaml, (char *)NULL);
    _exit(127);
  }
  struct timespec ts = {0, 600000000};
  nanosleep(&ts, NULL);
  kill(pid, SIGINT);
  int status;
  while (waitpid(pid, &status, 0) < 0) assert_int_equal(errno, EINTR);
  assert_true(WIFEXITED(status));
  assert_int_equal(WEXITSTATUS(status), 130);
  invdes_error err;
  invdes_store *s = invdes_store_open(db, &err);
  assert_non_null(s);
  invdes_store_counts c;
  assert_int_equal(invdes_store_counts_get(s, &c, &err), INVDES_OK);
  assert_true(c.done >= 1 && c.done < 1000);
  assert_int_equal(c.pending, 0); /* what was in flight finished and was recorded */
  event_count e = events(s, "run_stopped");
  assert_int_equal(e.n, 1);
  assert_non_null(strstr(e.last, "interrupted"));
  invdes_store_close(s);
}

static void test_finite_space_exhausted(void **state) {
  const char *yaml = path_in("fin.yaml"), *db = path_in("fin.db");
  write_file(yaml,
             "name: finite\nseed: 2\n"
             "parameters:\n  - {name: k, type: integer, bounds: [1, 4]}\n"
             "  - {name: c, type: categorical, values: [p, q]}\n"
             "targets:\n  - {name: f, goal: minimize}\n"
             "objective: {kind: builtin, name: ackley}\n"
             "strategy: {kind: random, batch: 3}\n"
             "budget: {evaluations: 20}\n");
  invdes_error err;
  invdes_driver *d = open_run(yaml, db, NULL, &err);
  if (!d) fail_msg("%s", err.message);
  assert_int_equal(run_ok(d, NULL), INVDES_RUN_EXHAUSTED);
  invdes_store_rows *rows = rows_of(invdes_driver_store(d));
  assert_int_equal(rows->n, 8);
  invdes_store_rows_free(rows);
  invdes_driver_free(d);
}

static void test_stop_when_satisfied(void **state) {
  const char *yaml = path_in("sat.yaml"), *db = path_in("sat.db");
  write_file(yaml,
             "name: satisfied\nseed: 9\n"
             "parameters:\n  - {name: x1, type: continuous, bounds: [-5, 10]}\n"
             "  - {name: x2, type: continuous, bounds: [0, 15]}\n"
             "targets:\n  - {name: f, goal: below, threshold: 3}\n"
             "objective: {kind: builtin, name: branin}\n"
             "strategy: {kind: random}\n"
             "budget: {evaluations: 5000, stop_when: satisfied}\n");
  invdes_error err;
  invdes_driver *d = open_run(yaml, db, NULL, &err);
  if (!d) fail_msg("%s", err.message);
  assert_int_equal(run_ok(d, NULL), INVDES_RUN_SATISFIED);
  invdes_store_rows *rows = rows_of(invdes_driver_store(d));
  assert_true(rows->n >= 1 && rows->n < 5000);
  /* the run stopped at the first value meeting the threshold */
  for (size_t i = 0; i + 1 < rows->n; i++) assert_true(rows->items[i].value[0] > 3);
  assert_true(rows->items[rows->n - 1].value[0] <= 3);
  invdes_store_rows_free(rows);
  invdes_driver_free(d);
}

/* Keeps the best the last progress call reported. */
static void keep_best(const invdes_run_progress *p, void *data) {
  *(int64_t *)data = p->best_id;
}

/* Issue 8: with an objective, `satisfied` alone cannot stop a run (no level
 * says what would be enough), so it runs to the budget; a level stops at
 * the first result reaching it. The progress line's best is the store's. */
static void test_stop_when_objective(void **state) {
  const char *yaml = path_in("lvl.yaml"), *db = path_in("lvl.db");
  static const char fmt[] =
      "name: %s\nseed: 9\n"
      "parameters:\n  - {name: x1, type: continuous, bounds: [-5, 10]}\n"
      "  - {name: x2, type: continuous, bounds: [0, 15]}\n"
      "targets:\n  - {name: f, goal: minimize}\n"
      "objective: {kind: builtin, name: branin}\n"
      "strategy: {kind: random}\n"
      "budget: {evaluations: 300, stop_when: %s}\n";
  write_file(yaml, fmt, "sat", "satisfied");
  invdes_error err;
  invdes_driver *d = open_run(yaml, db, NULL, &err);
  if (!d) fail_msg("%s", err.message);
  int64_t shown = 0;
  invdes_run_options opt = {.progress = keep_best, .data = &shown};
  assert_int_equal(run_ok(d, &opt), INVDES_RUN_BUDGET);
  invdes_store_best best;
  assert_int_equal(invdes_store_best_result(invdes_driver_store(d), &best, &err), INVDES_OK);
  assert_true(shown > 0);
  assert_int_equal(shown, best.proposal);
  invdes_driver_free(d);
  remove(db);
  write_file(yaml, fmt, "lvl", "{f: {at_most: 3}}");
  d = open_run(yaml, db, NULL, &err);
  if (!d) fail_msg("%s", err.message);
  assert_int_equal(run_ok(d, NULL), INVDES_RUN_SATISFIED);
  invdes_store_rows *rows = rows_of(invdes_driver_store(d));
  assert_true(rows->n >= 1 && rows->n < 300);
  for (size_t i = 0; i + 1 < rows->n; i++) assert_true(rows->items[i].value[0] > 3);
  assert_true(rows->items[rows->n - 1].value[0] <= 3);
  invdes_store_rows_free(rows);
  invdes_driver_free(d);
}

static void raise_stop(const invdes_run_progress *p, void *data) {
  *(volatile sig_atomic_t *)data = 1;
}

static void test_stop_flag_then_resume(void **state) {
  const char *yaml = path_in("b4.yaml"), *db = path_in("b4.db");
  write_file(yaml, branin_fmt, "first", "-5", "random", 2, 5000);
  invdes_error err;
  invdes_driver *d = open_run(yaml, db, NULL, &err);
  if (!d) fail_msg("%s", err.message);
  volatile sig_atomic_t stop = 0;
  invdes_run_options opt = {.stop = &stop, .progress = raise_stop, .data = (void *)&stop};
  assert_int_equal(run_ok(d, &opt), INVDES_RUN_INTERRUPTED);
  int64_t n = 0;
  assert_int_equal(invdes_store_n_evaluated(invdes_driver_store(d), &n, &err), INVDES_OK);
  assert_true(n >= 2 && n < 5000);
  invdes_driver_free(d);
  d = open_run(yaml, db, NULL, &err);
  assert_non_null(d);
  assert_int_equal(run_ok(d, NULL), INVDES_RUN_BUDGET);
  assert_int_equal(invdes_store_n_evaluated(invdes_driver_store(d), &n, &err), INVDES_OK);
  assert_int_equal(n, 5000);
  invdes_driver_free(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_builtin_reaches_budget_with_true_values),
      cmocka_unit_test(test_resume_and_harmless_change),
      cmocka_unit_test(test_changed_campaign_refused_with_summary),
      cmocka_unit_test(test_station_campaign_refused_by_run),
      cmocka_unit_test(test_pool_dataset_runs_with_table_values),
      cmocka_unit_test(test_emulated_dataset_runs),
      cmocka_unit_test(test_failures_recorded_and_run_goes_on),
      cmocka_unit_test(test_sigint_stops_cleanly),
      cmocka_unit_test(test_finite_space_exhausted),
      cmocka_unit_test(test_stop_flag_then_resume),
      cmocka_unit_test(test_stop_when_satisfied),
      cmocka_unit_test(test_stop_when_objective),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
