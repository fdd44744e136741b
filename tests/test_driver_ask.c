/* test_driver_ask.c — ask as a station's script meets it: the JSON and CSV
 * shapes of the output contract, a repeated ask by the same station getting
 * the same proposals, an expired lease offered again with its id, and a
 * pool campaign asked from another folder finding its pool file. */
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

/* ---- ask ------------------------------------------------------------------ */

/* Runs the command and returns its stdout (malloc'ed) and exit status. */
static char *capture(const char *cmd, int *rc) {
  FILE *p = popen(cmd, "r");
  assert_non_null(p);
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  assert_non_null(buf);
  size_t got;
  while ((got = fread(buf + n, 1, cap - 1 - n, p)) > 0) n += got;
  buf[n] = 0;
  int st = pclose(p);
  *rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return buf;
}

static json_t *ask_json(const char *db, const char *args) {
  char cmd[8192];
  snprintf(cmd, sizeof cmd, "'%s' ask --db '%s' %s", invdes_bin(), db, args);
  int rc;
  char *out = capture(cmd, &rc);
  assert_int_equal(rc, 0);
  json_error_t jerr;
  json_t *j = json_loads(out, 0, &jerr);
  if (!j) fail_msg("not JSON (%s): %s", jerr.text, out);
  free(out);
  assert_true(json_is_array(j));
  return j;
}

static const char *init_station(void) {
  char yaml[512], cmd[8192];
  snprintf(yaml, sizeof yaml, "%s/tests/campaigns/good/station.yaml", srcdir());
  const char *db = path_in("ask.db");
  snprintf(cmd, sizeof cmd, "'%s' init --db '%s' '%s' >/dev/null", invdes_bin(), db, yaml);
  int rc = system(cmd);
  assert_int_equal(WEXITSTATUS(rc), 0);
  return db;
}

static void test_ask_json_shape_and_repeat(void **state) {
  const char *db = init_station();
  json_t *a = ask_json(db, "-n 3 --station robot1 --lease 600");
  assert_int_equal(json_array_size(a), 3);
  size_t i;
  json_t *item;
  json_array_foreach(a, i, item) {
    assert_true(json_is_integer(json_object_get(item, "id")));
    json_t *p = json_object_get(item, "parameters");
    assert_true(json_is_object(p));
    assert_true(json_is_real(json_object_get(p, "sinter_T")));
    assert_true(json_is_integer(json_object_get(p, "dwell_h")));
    const char *dop = json_string_value(json_object_get(p, "dopant"));
    assert_non_null(dop);
    assert_true(!strcmp(dop, "none") || !strcmp(dop, "Al") || !strcmp(dop, "Mg"));
    /* ISO 8601 UTC with milliseconds, like every time invdes prints, and later than now. */
    const char *until = json_string_value(json_object_get(item, "lease_expires"));
    assert_non_null(until);
    assert_int_equal(strlen(until), 24);
    assert_int_equal(until[19], '.');
    assert_int_equal(until[23], 'Z');
    char now_iso[32];
    time_t now_s = time(NULL);
    strftime(now_iso, sizeof now_iso, "%Y-%m-%dT%H:%M:%S", gmtime(&now_s));
    assert_true(strncmp(until, now_iso, 19) > 0);
  }
  /* The same station asking again before it reports gets the same ones. */
  json_t *b = ask_json(db, "-n 3 --station robot1 --lease 600");
  assert_int_equal(json_array_size(b), 3);
  for (i = 0; i < 3; i++)
    assert_int_equal(json_integer_value(json_object_get(json_array_get(a, i), "id")),
                     json_integer_value(json_object_get(json_array_get(b, i), "id")));
  /* Another station gets new ones. */
  json_t *c = ask_json(db, "-n 2 --station robot2");
  assert_int_equal(json_array_size(c), 2);
  for (i = 0; i < 2; i++) assert_true(json_integer_value(json_object_get(json_array_get(c, i), "id")) > 3);
  json_decref(a);
  json_decref(b);
  json_decref(c);
  /* CSV: id, the variables by name, lease_expires. */
  char cmd[8192];
  snprintf(cmd, sizeof cmd, "'%s' ask --db '%s' -n 2 --station robot2 --format csv", invdes_bin(),
           db);
  int rc;
  char *out = capture(cmd, &rc);
  assert_int_equal(rc, 0);
  assert_memory_equal(out, "id,sinter_T,dwell_h,dopant,lease_expires\n", 41);
  assert_non_null(strstr(out, "\n4,"));
  /* the lease as an ISO time with milliseconds: ",2026-12-07T00:26:41.123Z" */
  const char *line = strstr(out, "\n4,");
  const char *last = strchr(line + 1, '\n');
  assert_non_null(last);
  assert_true(last - line > 26);
  assert_int_equal(last[-1], 'Z');
  assert_int_equal(last[-5], '.');
  assert_int_equal(last[-25], ',');
  free(out);
}

static double fake_now = 1.8e9;
static double fake_clock(void *data) { return fake_now; }

static void test_expired_lease_offered_again(void **state) {
  char yaml[512];
  snprintf(yaml, sizeof yaml, "%s/tests/campaigns/good/station.yaml", srcdir());
  const char *db = path_in("lease.db");
  invdes_error err;
  invdes_error_clear(&err);
  invdes_driver *d = invdes_driver_open(yaml, db, INVDES_DRIVER_CREATE, NULL, NULL, &err);
  if (!d) fail_msg("%s", err.message);
  invdes_driver_free(d);
  d = invdes_driver_open_db(db, 0, &err); /* the database alone, as `invdes ask` */
  if (!d) fail_msg("%s", err.message);
  invdes_store_set_clock(invdes_driver_store(d), fake_clock, NULL);
  invdes_store_rows *a = NULL, *b = NULL, *c = NULL;
  assert_int_equal(invdes_driver_propose(d, 2, "A", 100, 0, &a, &err), INVDES_OK);
  assert_int_equal(a->n, 2);
  fake_now += 50;
  assert_int_equal(invdes_driver_propose(d, 2, "B", 100, 0, &b, &err), INVDES_OK);
  assert_true(b->items[0].id > a->items[1].id); /* A's leases still run */
  fake_now += 60;                              /* A's expired, B's not */
  assert_int_equal(invdes_driver_propose(d, 3, "C", 100, 0, &c, &err), INVDES_OK);
  assert_int_equal(c->n, 3);
  assert_int_equal(c->items[0].id, a->items[0].id);
  assert_int_equal(c->items[1].id, a->items[1].id);
  assert_string_equal(c->items[0].parameters, a->items[0].parameters);
  assert_int_equal(c->items[0].offers, 2);
  assert_true(c->items[2].id > b->items[1].id);
  /* the strategy counted the pending ones: the new one differs from all */
  for (size_t i = 0; i < 2; i++) {
    assert_string_not_equal(c->items[2].parameters, a->items[i].parameters);
    assert_string_not_equal(c->items[2].parameters, b->items[i].parameters);
  }
  invdes_store_rows_free(a);
  invdes_store_rows_free(b);
  invdes_store_rows_free(c);
  invdes_driver_free(d);
}

static void test_ask_alone_finds_pool_file(void **state) {
  /* A pool campaign with a relative pool path, asked from another folder. */
  char yaml[512], cmd[8192];
  snprintf(yaml, sizeof yaml, "%s/tests/campaigns/good/pool.yaml", srcdir());
  const char *db = path_in("poolask.db");
  snprintf(cmd, sizeof cmd, "'%s' init --db '%s' '%s' >/dev/null", invdes_bin(), db, yaml);
  assert_int_equal(WEXITSTATUS(system(cmd)), 0);
  snprintf(cmd, sizeof cmd, "cd / && '%s' ask --db '%s' -n 2 --station s", invdes_bin(), db);
  int rc;
  char *out = capture(cmd, &rc);
  assert_int_equal(rc, 0);
  json_t *j = json_loads(out, 0, NULL);
  assert_non_null(j);
  assert_int_equal(json_array_size(j), 2);
  assert_true(json_is_string(json_object_get(json_object_get(json_array_get(j, 0), "parameters"), "id")));
  json_decref(j);
  free(out);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_ask_json_shape_and_repeat),
      cmocka_unit_test(test_expired_lease_offered_again),
      cmocka_unit_test(test_ask_alone_finds_pool_file),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
