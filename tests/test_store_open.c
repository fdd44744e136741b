/* test_store_open.c — opening a campaign database safely (store_open.c):
 * the run lock keeps a second run loop off a database and is released by
 * unlock, by close and by the holder's death (also while a child it forked
 * still holds the descriptor); a damaged file is refused with
 * one message naming it and `.recover`, and so is damage met by a later
 * statement; variables come back with their kinds and units. The command
 * line's side is in tests/integrity.sh and tests/runs.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "store_cases.h"

static void test_run_lock(void **state) {
  ctx *c = *state;
  invdes_error err;
  invdes_error_clear(&err);
  invdes_store *other = invdes_store_open(c->db, &err);
  assert_non_null(other);
  assert_int_equal(invdes_store_lock_run(c->s, &err), INVDES_OK);
  assert_int_equal(invdes_store_lock_run(c->s, &err), INVDES_OK); /* twice: a no-op */
  /* Another handle, as another process would be, is refused at once. */
  invdes_error_clear(&err);
  assert_int_equal(invdes_store_lock_run(other, &err), INVDES_ERR_DB);
  assert_non_null(strstr(err.message, c->db));
  assert_non_null(strstr(err.message, "another `invdes run` is working on this database"));
  /* Reading and writing through the other handle are not affected. */
  invdes_store_counts k;
  assert_int_equal(invdes_store_counts_get(other, &k, &err), INVDES_OK);
  invdes_store_unlock_run(c->s);
  assert_int_equal(invdes_store_lock_run(other, &err), INVDES_OK);
  /* close releases it */
  invdes_store_close(other);
  assert_int_equal(invdes_store_lock_run(c->s, &err), INVDES_OK);
  invdes_store_unlock_run(c->s);
  /* A holder killed with SIGKILL leaves no lock behind. */
  int ready[2];
  assert_int_equal(pipe(ready), 0);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    invdes_error e;
    invdes_store *s = invdes_store_open(c->db, &e);
    char ok = s && invdes_store_lock_run(s, &e) == INVDES_OK ? 'y' : 'n';
    if (write(ready[1], &ok, 1) != 1) _exit(1);
    for (;;) pause();
  }
  char got = 0;
  assert_int_equal(read(ready[0], &got, 1), 1);
  assert_int_equal(got, 'y');
  assert_int_equal(invdes_store_lock_run(c->s, &err), INVDES_ERR_DB);
  kill(pid, SIGKILL);
  waitpid(pid, NULL, 0);
  close(ready[0]);
  close(ready[1]);
  assert_int_equal(invdes_store_lock_run(c->s, &err), INVDES_OK);
  invdes_store_unlock_run(c->s);
  /* A holder killed while a child it forked (an evaluator between fork and
   * exec) still holds a copy of the descriptor: the next run waits the
   * orphaned copy out instead of calling the dead run alive. */
  assert_int_equal(pipe(ready), 0);
  pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    invdes_error e;
    invdes_store *s = invdes_store_open(c->db, &e);
    char ok = s && invdes_store_lock_run(s, &e) == INVDES_OK ? 'y' : 'n';
    if (fork() == 0) {
      struct timespec nap = {0, 400 * 1000 * 1000};
      nanosleep(&nap, NULL);
      _exit(0);
    }
    if (write(ready[1], &ok, 1) != 1) _exit(1);
    for (;;) pause();
  }
  assert_int_equal(read(ready[0], &got, 1), 1);
  assert_int_equal(got, 'y');
  kill(pid, SIGKILL);
  waitpid(pid, NULL, 0);
  close(ready[0]);
  close(ready[1]);
  assert_int_equal(invdes_store_lock_run(c->s, &err), INVDES_OK);
}

/* Overwrites `len` bytes at the start of page `page` with 0xff. */
static void damage_page(const char *path, int page, size_t len) {
  sqlite3 *h = NULL;
  sqlite3_stmt *st = NULL;
  assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
  sqlite3_exec(h, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
  sqlite3_prepare_v2(h, "PRAGMA page_size", -1, &st, NULL);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  long size = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(h);
  FILE *f = fopen(path, "r+b");
  assert_non_null(f);
  assert_int_equal(fseek(f, (page - 1) * size, SEEK_SET), 0);
  for (size_t i = 0; i < len; i++) fputc(0xff, f);
  fclose(f);
}

static int rootpage(const char *path, const char *name) {
  sqlite3 *h = NULL;
  sqlite3_stmt *st = NULL;
  sqlite3_open(path, &h);
  sqlite3_prepare_v2(h, "SELECT rootpage FROM sqlite_master WHERE name = ?1", -1, &st, NULL);
  sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
  int page = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
  sqlite3_finalize(st);
  sqlite3_close(h);
  assert_true(page > 1);
  return page;
}

static void test_damaged_file_refused(void **state) {
  ctx *c = *state;
  invdes_store_rows *r = ask(c, "robot", 60, 3);
  invdes_store_rows_free(r);
  tell_value(c, 1, "capacity", 190);
  int page = rootpage(c->db, "proposals_status");
  invdes_store_close(c->s);
  c->s = NULL;
  damage_page(c->db, page, 64);
  invdes_error err;
  invdes_error_clear(&err);
  assert_null(invdes_store_open(c->db, &err));
  assert_int_equal(err.status, INVDES_ERR_DB);
  assert_non_null(strstr(err.message, "the database file is damaged"));
  char recover[4400];
  snprintf(recover, sizeof recover, "sqlite3 %s .recover", c->db);
  assert_non_null(strstr(err.message, recover));
  assert_null(strchr(err.message, '\n')); /* one message, one line */
}

static void test_variable_kinds_and_units(void **state) {
  ctx *c = *state;
  assert_string_equal(invdes_store_variable_kind(c->s, 0), "continuous");
  assert_null(invdes_store_variable_kind(c->s, 2));
  assert_null(invdes_store_variable_unit(c->s, 0)); /* none given: NULL, not "" */
  store_fixture f;
  store_fixture_init(&f);
  char unit[] = "degC";
  f.params[1].unit = unit;
  char path[4300];
  snprintf(path, sizeof path, "%s/units.db", c->dir);
  invdes_error err;
  invdes_store *s = invdes_store_create(path, &f.c, &err);
  assert_non_null(s);
  assert_null(invdes_store_variable_unit(s, 0));
  assert_string_equal(invdes_store_variable_unit(s, 1), "degC");
  invdes_store_close(s);
  unlink(path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_run_lock, setup, teardown),
      cmocka_unit_test_setup_teardown(test_damaged_file_refused, setup, teardown),
      cmocka_unit_test_setup_teardown(test_variable_kinds_and_units, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
