/* test_store_concurrency.c — several processes sharing one campaign database,
 * as stations running `invdes ask`/`invdes tell` side by side do.
 *
 * 8 processes × 25 cycles of ask(1) then tell: each new proposal's parameters
 * come from a counter read inside the ask's own write transaction, so a lost
 * lock would show as two proposals with the same counter. Then 4 processes
 * compete for 40 proposals whose leases expired: each must go to exactly one
 * of them (a second report for a target would be refused and fail the
 * child). No timing is asserted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store.h"
#include "store_fixture.h"

enum { PROCS = 8, CYCLES = 25, RACERS = 4, STALE = 40 };

/* Makes n proposals numbered by the count of proposals seen inside the ask's
 * transaction (the store nests this read as a savepoint). */
static invdes_status propose_counted(invdes_store *s, size_t n, const char *station,
                                     double lease, void *data, invdes_error *err) {
  (void)data;
  invdes_store_counts counts;
  invdes_status st = invdes_store_counts_get(s, &counts, err);
  for (size_t i = 0; st == INVDES_OK && i < n; i++) {
    int64_t k = counts.proposals + (int64_t)i;
    char json[96];
    snprintf(json, sizeof json, "{\"x\": %" PRId64 ", \"y\": 0}", k);
    double z[2] = {(double)k, 0};
    invdes_store_new_proposal p = {json, z, 2, NULL, NULL, NAN};
    st = invdes_store_insert(s, k, "counter", &p, 1, station, lease, NULL, NULL, err);
  }
  return st;
}

/* One station: CYCLES rounds of ask(1) + tell(capacity = counter). */
static int station_main(const char *db, int who) {
  invdes_error err;
  invdes_store *s = invdes_store_open(db, &err);
  if (!s) {
    fprintf(stderr, "station %d: %s\n", who, err.message);
    return 1;
  }
  char name[32];
  snprintf(name, sizeof name, "station-%d", who);
  int rc = 0;
  for (int cycle = 0; cycle < CYCLES && rc == 0; cycle++) {
    invdes_store_rows *rows = NULL;
    if (invdes_store_ask(s, name, 300, 1, propose_counted, NULL, &rows, &err) != INVDES_OK ||
        rows->n != 1) {
      fprintf(stderr, "station %d ask: %s\n", who, err.message);
      rc = 1;
    } else {
      invdes_store_value v = {"capacity", rows->items[0].z[0], NAN};
      invdes_store_tell_req r = {.id = rows->items[0].id, .kind = INVDES_TELL_RESULT,
                                 .values = &v, .n_values = 1, .source = name, .station = name,
                                 .close = 1};
      if (invdes_store_tell(s, &r, &err) != INVDES_OK) {
        fprintf(stderr, "station %d tell: %s\n", who, err.message);
        rc = 1;
      }
    }
    invdes_store_rows_free(rows);
  }
  invdes_store_close(s);
  return rc;
}

static double far_future(void *data) {
  (void)data;
  return 4e9; /* every lease made with the real clock has expired */
}

/* One racer: claims expired proposals one at a time and reports each. */
static int racer_main(const char *db, int who) {
  invdes_error err;
  invdes_store *s = invdes_store_open(db, &err);
  if (!s) return 1;
  invdes_store_set_clock(s, far_future, NULL);
  char name[32];
  snprintf(name, sizeof name, "racer-%d", who);
  int rc = 0;
  for (;;) {
    int64_t id = 0;
    size_t got = 0;
    if (invdes_store_claim(s, name, 60, 1, &id, &got, &err) != INVDES_OK) {
      fprintf(stderr, "racer %d claim: %s\n", who, err.message);
      rc = 1;
      break;
    }
    if (got == 0) break;
    invdes_store_value v = {"voltage", 3.0 + who, NAN};
    invdes_store_tell_req r = {.id = id, .kind = INVDES_TELL_RESULT, .values = &v,
                               .n_values = 1, .source = name, .station = name,
                                 .close = 1};
    if (invdes_store_tell(s, &r, &err) != INVDES_OK) {
      fprintf(stderr, "racer %d tell: %s\n", who, err.message);
      rc = 1;
      break;
    }
  }
  invdes_store_close(s);
  return rc;
}

static void run_children(const char *db, int n, int (*child)(const char *, int)) {
  pid_t pids[PROCS];
  for (int i = 0; i < n; i++) {
    pids[i] = fork();
    assert_true(pids[i] >= 0);
    if (pids[i] == 0) _exit(child(db, i));
  }
  for (int i = 0; i < n; i++) {
    int status = 0;
    assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
  }
}

static void test_eight_stations_ask_and_tell(void **state) {
  (void)state;
  char dir[4096], db[4200];
  assert_int_equal(store_fixture_tmp(dir, db, sizeof dir), 0);
  store_fixture f;
  store_fixture_init(&f);
  invdes_error err;
  invdes_store *s = invdes_store_create(db, &f.c, &err);
  assert_non_null(s);
  invdes_store_close(s); /* no handle open across fork */

  run_children(db, PROCS, station_main);

  s = invdes_store_open(db, &err);
  assert_non_null(s);
  invdes_store_counts n;
  assert_int_equal(invdes_store_counts_get(s, &n, &err), INVDES_OK);
  assert_int_equal(n.proposals, PROCS * CYCLES);
  assert_int_equal(n.done, PROCS * CYCLES);
  assert_int_equal(n.results, PROCS * CYCLES);
  invdes_store_rows *rows = NULL;
  assert_int_equal(invdes_store_list(s, INVDES_PROPOSAL_ANY, 0, &rows, &err), INVDES_OK);
  int seen[PROCS * CYCLES] = {0};
  for (size_t i = 0; i < rows->n; i++) {
    double k = rows->items[i].z[0];
    assert_true(k >= 0 && k < PROCS * CYCLES);
    seen[(int)k]++;
    assert_true(rows->items[i].value[0] == k); /* the report reached its own proposal */
  }
  for (int k = 0; k < PROCS * CYCLES; k++) assert_int_equal(seen[k], 1);
  invdes_store_rows_free(rows);
  invdes_store_close(s);
  store_fixture_cleanup(dir, db);
}

static void test_expired_proposals_go_to_one_racer_each(void **state) {
  (void)state;
  char dir[4096], db[4200];
  assert_int_equal(store_fixture_tmp(dir, db, sizeof dir), 0);
  store_fixture f;
  store_fixture_init(&f);
  invdes_error err;
  invdes_store *s = invdes_store_create(db, &f.c, &err);
  assert_non_null(s);
  invdes_store_new_proposal p[STALE];
  double z[STALE][2];
  for (int i = 0; i < STALE; i++) {
    z[i][0] = i;
    z[i][1] = 0;
    p[i] = (invdes_store_new_proposal){"{\"x\": 0, \"y\": 0}", z[i], 2, NULL, NULL, NAN};
  }
  assert_int_equal(invdes_store_insert(s, 0, "random", p, STALE, "crashed", 60, NULL, NULL, &err),
                   INVDES_OK);
  invdes_store_close(s);

  run_children(db, RACERS, racer_main);

  s = invdes_store_open(db, &err);
  assert_non_null(s);
  invdes_store_counts n;
  assert_int_equal(invdes_store_counts_get(s, &n, &err), INVDES_OK);
  assert_int_equal(n.proposals, STALE);
  assert_int_equal(n.done, STALE);
  assert_int_equal(n.results, STALE);
  invdes_store_rows *rows = NULL;
  assert_int_equal(invdes_store_list(s, INVDES_PROPOSAL_ANY, 0, &rows, &err), INVDES_OK);
  for (size_t i = 0; i < rows->n; i++) {
    assert_int_equal(rows->items[i].offers, 2); /* offered again exactly once */
    assert_non_null(strstr(rows->items[i].station, "racer-"));
  }
  invdes_store_rows_free(rows);
  invdes_store_close(s);
  store_fixture_cleanup(dir, db);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_eight_stations_ask_and_tell),
      cmocka_unit_test(test_expired_proposals_go_to_one_racer_each),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
