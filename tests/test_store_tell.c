/* test_store_tell.c — reports into the campaign database as a station's
 * tell meets them: a refused report leaves every row exactly as it was,
 * results may come target by target, proposals given back or with an expired
 * lease are offered again under the same id (a late result still counts
 * once), and a station that asks again before reporting gets the same
 * proposals back. The first steps of ask and tell are in test_store.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store_cases.h"

static void test_bad_tells_leave_db_unchanged(void **state) {
  ctx *c = *state;
  invdes_store_rows *rows = ask(c, "robot", 600, 3);
  invdes_store_rows_free(rows);
  tell_value(c, 1, "capacity", 120);
  invdes_error err;
  invdes_store_tell_req failed = {.id = 3, .kind = INVDES_TELL_FAILED, .reason = "cell shorted",
                                  .station = "robot"};
  assert_int_equal(invdes_store_tell(c->s, &failed, &err), INVDES_OK);
  char before[INVDES_SHA256_HEX], after[INVDES_SHA256_HEX];
  rows_checksum(c->db, before);

  invdes_store_value cap = {"capacity", 130, NAN}, volt = {"voltage", 3.7, NAN};
  invdes_store_value unknown = {"capacitance", 1, NAN}, nan_v = {"voltage", NAN, NAN};
  invdes_store_value inf_v = {"voltage", INFINITY, NAN}, neg_sd = {"voltage", 3.7, -1};
  invdes_store_value twice[2] = {{"voltage", 3.7, NAN}, {"voltage", 3.8, NAN}};
  invdes_store_value good_then_dup[2] = {{"voltage", 3.7, NAN}, {"capacity", 99, NAN}};
  struct {
    invdes_store_tell_req r;
    const char *says;
  } bad[] = {
      {{.id = 999, .kind = INVDES_TELL_RESULT, .values = &cap, .n_values = 1}, "no proposal 999"},
      {{.id = 1, .kind = INVDES_TELL_RESULT, .values = &cap, .n_values = 1},
       "already has a result for 'capacity'"},
      {{.id = 1, .kind = INVDES_TELL_RESULT, .values = good_then_dup, .n_values = 2},
       "already has a result for 'capacity'"},
      {{.id = 2, .kind = INVDES_TELL_RESULT, .values = &unknown, .n_values = 1},
       "unknown target 'capacitance' (targets: capacity, voltage, e_red)"},
      {{.id = 2, .kind = INVDES_TELL_RESULT, .values = &nan_v, .n_values = 1}, "not a finite"},
      {{.id = 2, .kind = INVDES_TELL_RESULT, .values = &inf_v, .n_values = 1}, "not a finite"},
      {{.id = 2, .kind = INVDES_TELL_RESULT, .values = &neg_sd, .n_values = 1}, "sd of voltage"},
      {{.id = 2, .kind = INVDES_TELL_RESULT, .values = twice, .n_values = 2}, "given twice"},
      {{.id = 2, .kind = INVDES_TELL_RESULT, .values = &volt, .n_values = 1,
        .campaign = "other-campaign"}, "holds campaign 'fixture'"},
      {{.id = 2, .kind = INVDES_TELL_RESULT, .values = NULL, .n_values = 0}, "at least one value"},
      {{.id = 3, .kind = INVDES_TELL_RESULT, .values = &volt, .n_values = 1},
       "reported failed (cell shorted)"},
      {{.id = 2, .kind = INVDES_TELL_FAILED, .reason = ""}, "needs a reason"},
      {{.id = 1, .kind = INVDES_TELL_FAILED, .reason = "late"}, "already partial"},
      {{.id = 1, .kind = INVDES_TELL_ABANDON}, "is partial, not pending"},
      {{.id = 2, .kind = INVDES_TELL_CLOSE}, "only a partial proposal"},
      {{.id = 3, .kind = INVDES_TELL_ABANDON}, "is failed, not pending"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    invdes_error_clear(&err);
    bad[i].r.station = "robot"; /* the holder: refused for what it says */
    assert_int_equal(invdes_store_tell(c->s, &bad[i].r, &err), INVDES_ERR_INVALID);
    if (!strstr(err.message, bad[i].says)) fail_msg("case %zu: %s", i, err.message);
    assert_non_null(strstr(err.message, c->db));
    rows_checksum(c->db, after);
    assert_string_equal(before, after);
  }
  /* Bulk: a good report followed by a bad one records neither. */
  invdes_store_tell_req bulk[2] = {
      {.id = 2, .kind = INVDES_TELL_RESULT, .values = &volt, .n_values = 1, .station = "robot"},
      {.id = 998, .kind = INVDES_TELL_RESULT, .values = &volt, .n_values = 1,
       .station = "robot"}};
  assert_int_equal(invdes_store_tell_many(c->s, bulk, 2, &err), INVDES_ERR_INVALID);
  assert_non_null(strstr(err.message, "report 2 of 2 (proposal 998)"));
  rows_checksum(c->db, after);
  assert_string_equal(before, after);
  /* The store still works afterwards, and the good report alone goes in. */
  assert_int_equal(invdes_store_tell_many(c->s, bulk, 1, &err), INVDES_OK);
  rows_checksum(c->db, after);
  assert_string_not_equal(before, after);
}

static void test_partial_results(void **state) {
  ctx *c = *state;
  invdes_store_rows_free(ask(c, "robot", 600, 1));
  tell_value(c, 1, "capacity", 140);
  invdes_error err;
  invdes_store_rows *rows = NULL;
  int64_t id = 1;
  assert_int_equal(invdes_store_get(c->s, &id, 1, &rows, &err), INVDES_OK);
  assert_int_equal(rows->items[0].status, INVDES_PROPOSAL_PARTIAL); /* not done: 2 to come */
  assert_true(rows->items[0].value[0] == 140);
  assert_true(isnan(rows->items[0].value[1]) && isnan(rows->items[0].value[2]));
  invdes_store_rows_free(rows);
  /* The missing targets may come later, each once. */
  tell_value(c, 1, "e_red", -3.5);
  assert_int_equal(invdes_store_get(c->s, &id, 1, &rows, &err), INVDES_OK);
  assert_true(rows->items[0].value[2] == -3.5);
  assert_true(isnan(rows->items[0].value[1]));
  invdes_store_rows_free(rows);
  invdes_store_counts n;
  assert_int_equal(invdes_store_counts_get(c->s, &n, &err), INVDES_OK);
  assert_int_equal(n.done, 0);
  assert_int_equal(n.partial, 1);
  assert_int_equal(n.results, 2);
  /* A partial proposal is no result for the budget: it holds its place. */
  int64_t evaluated = -1;
  assert_int_equal(invdes_store_n_evaluated(c->s, &evaluated, &err), INVDES_OK);
  assert_int_equal(evaluated, 0);
  invdes_store_budget b;
  assert_int_equal(invdes_store_budget_get(c->s, &b, &err), INVDES_OK);
  assert_true(b.results == 0 && b.outstanding == 1);
  /* The last target completes it. */
  tell_value(c, 1, "voltage", 3.7);
  assert_int_equal(invdes_store_counts_get(c->s, &n, &err), INVDES_OK);
  assert_true(n.done == 1 && n.partial == 0);
  /* Another is closed with a target missing: done, and takes no more values. */
  invdes_store_rows_free(ask(c, "robot", 600, 1));
  tell_value(c, 2, "capacity", 150);
  invdes_store_tell_req close = {.id = 2, .kind = INVDES_TELL_CLOSE, .station = "robot"};
  invdes_store_tell_req wrong = {.id = 2, .kind = INVDES_TELL_CLOSE, .station = "thief"};
  assert_int_equal(invdes_store_tell(c->s, &wrong, &err), INVDES_ERR_HELD);
  assert_int_equal(invdes_store_tell(c->s, &close, &err), INVDES_OK);
  assert_int_equal(invdes_store_tell(c->s, &close, &err), INVDES_ERR_INVALID);
  assert_non_null(strstr(err.message, "only a partial proposal"));
  invdes_store_value more = {"voltage", 3.6, NAN};
  invdes_store_tell_req late = {.id = 2, .kind = INVDES_TELL_RESULT, .values = &more,
                                .n_values = 1, .station = "robot"};
  assert_int_equal(invdes_store_tell(c->s, &late, &err), INVDES_ERR_INVALID);
  assert_non_null(strstr(err.message, "closed with targets missing"));
  assert_int_equal(invdes_store_n_evaluated(c->s, &evaluated, &err), INVDES_OK);
  assert_int_equal(evaluated, 2);
  /* Closing logs an event only when targets are missing (the run loop
   * closes every report; a complete one costs no event). */
  assert_int_equal(count_events(c, "closed"), 1);
  invdes_store_rows_free(ask(c, "robot", 600, 1));
  invdes_store_value all[3] = {{"capacity", 1, NAN}, {"voltage", 3.7, NAN}, {"e_red", -3, NAN}};
  invdes_store_tell_req full = {.id = 3, .kind = INVDES_TELL_RESULT, .values = all,
                                .n_values = 3, .station = "robot", .close = 1};
  assert_int_equal(invdes_store_tell(c->s, &full, &err), INVDES_OK);
  assert_int_equal(count_events(c, "closed"), 1);
}

static void test_abandon_and_expired_lease_reoffer_same_id(void **state) {
  ctx *c = *state;
  invdes_error err;
  invdes_store_rows *a = ask(c, "A", 60, 2); /* ids 1, 2 */
  invdes_store_rows *b = ask(c, "B", 60, 2); /* A's are leased: new ids 3, 4 */
  assert_int_equal(a->items[0].id, 1);
  assert_int_equal(b->items[0].id, 3);
  assert_int_equal(b->items[1].id, 4);
  invdes_store_rows_free(a);
  invdes_store_rows_free(b);
  invdes_store_tell_req give_back = {.id = 1, .kind = INVDES_TELL_ABANDON, .reason = "no Co left",
                                     .station = "A"};
  assert_int_equal(invdes_store_tell(c->s, &give_back, &err), INVDES_OK);
  invdes_store_counts n;
  assert_int_equal(invdes_store_counts_get(c->s, &n, &err), INVDES_OK);
  assert_int_equal(n.abandoned, 1);
  /* C gets the abandoned proposal back under its id, then a new one. */
  invdes_store_rows *r = ask(c, "C", 60, 2);
  assert_int_equal(r->n, 2);
  assert_int_equal(r->items[0].id, 1);
  assert_int_equal(r->items[0].offers, 2);
  assert_string_equal(r->items[0].station, "C");
  assert_int_equal(r->items[0].status, INVDES_PROPOSAL_PENDING);
  assert_true(r->items[0].z[0] == 0.0);
  assert_int_equal(r->items[1].id, 5);
  invdes_store_rows_free(r);
  /* C reports both; B keeps 3 alive; A's lease on 2 and B's on 4 expire and
   * D gets 2 (same id) before anything new. */
  tell_value(c, 1, "capacity", 101);
  tell_value(c, 5, "capacity", 105);
  assert_int_equal(invdes_store_heartbeat(c->s, 3, "B", 600, NULL, &err), INVDES_OK);
  c->now += 61;
  assert_int_equal(invdes_store_counts_get(c->s, &n, &err), INVDES_OK);
  assert_int_equal(n.pending, 3);
  assert_int_equal(n.pending_expired, 2);
  r = ask(c, "D", 60, 1);
  assert_int_equal(r->n, 1);
  assert_int_equal(r->items[0].id, 2);
  assert_string_equal(r->items[0].station, "D");
  invdes_store_rows_free(r);
  assert_int_equal(count_events(c, "offered_again"), 2);
  /* A's lease ran out and D holds 2 now: A's result is refused as not A's
   * (D is measuring it); D's is accepted, once. */
  invdes_store_value v = {"capacity", 112, NAN};
  invdes_store_tell_req a_late = {.id = 2, .kind = INVDES_TELL_RESULT, .values = &v,
                                  .n_values = 1, .station = "A"};
  assert_int_equal(invdes_store_tell(c->s, &a_late, &err), INVDES_ERR_HELD);
  assert_non_null(strstr(err.message, "leased to station 'D'"));
  tell_value(c, 2, "capacity", 111);
  assert_int_equal(count_events(c, "late_result"), 0); /* D's lease is live */
  invdes_store_tell_req d = {.id = 2, .kind = INVDES_TELL_RESULT, .values = &v, .n_values = 1,
                             .station = "D", .close = 1};
  assert_int_equal(invdes_store_tell(c->s, &d, &err), INVDES_ERR_INVALID);
  assert_non_null(strstr(err.message, "already has a result"));
  d.values = &(invdes_store_value){"voltage", 3.7, NAN};
  assert_int_equal(invdes_store_tell(c->s, &d, &err), INVDES_OK); /* closes it */
  assert_int_equal(invdes_store_heartbeat(c->s, 2, "D", 60, NULL, &err), INVDES_ERR_INVALID);
  assert_non_null(strstr(err.message, "is done"));
  /* A late result for a proposal whose lease ran out and nobody took. */
  tell_value(c, 4, "capacity", 90);
  assert_int_equal(count_events(c, "late_result"), 1);
}

static void test_repeated_ask_returns_the_same_proposals(void **state) {
  ctx *c = *state;
  invdes_store_rows *first = ask(c, "robot", 600, 3);
  c->now += 10;
  invdes_store_rows *again = ask(c, "robot", 600, 3);
  assert_int_equal(again->n, 3);
  for (size_t i = 0; i < 3; i++) {
    assert_int_equal(again->items[i].id, first->items[i].id);
    assert_string_equal(again->items[i].parameters, first->items[i].parameters);
    assert_int_equal(again->items[i].offers, 1);
    assert_true(again->items[i].lease_expires == c->now + 600); /* renewed */
  }
  invdes_store_rows_free(first);
  invdes_store_rows_free(again);
  invdes_error err;
  invdes_store_counts n;
  assert_int_equal(invdes_store_counts_get(c->s, &n, &err), INVDES_OK);
  assert_int_equal(n.proposals, 3);
  /* Asking for more tops up with new ones; a crash-restart even after the
   * lease ran out still gets its own back. */
  invdes_store_rows *more = ask(c, "robot", 600, 5);
  assert_int_equal(more->n, 5);
  assert_int_equal(more->items[3].id, 4);
  invdes_store_rows_free(more);
  c->now += 3600;
  more = ask(c, "robot", 600, 5);
  assert_int_equal(more->n, 5);
  assert_int_equal(more->items[4].id, 5);
  invdes_store_rows_free(more);
  assert_int_equal(invdes_store_counts_get(c->s, &n, &err), INVDES_OK);
  assert_int_equal(n.proposals, 5);
  /* An anonymous ask never gets another station's live proposals. */
  more = ask(c, NULL, 0, 1);
  assert_int_equal(more->items[0].id, 6);
  assert_null(more->items[0].station);
  assert_true(isnan(more->items[0].lease_expires));
  invdes_store_rows_free(more);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_bad_tells_leave_db_unchanged, setup, teardown),
      cmocka_unit_test_setup_teardown(test_partial_results, setup, teardown),
      cmocka_unit_test_setup_teardown(test_abandon_and_expired_lease_reoffer_same_id, setup, teardown),
      cmocka_unit_test_setup_teardown(test_repeated_ask_returns_the_same_proposals, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
