/* test_store_log.c — what the campaign database keeps besides proposals
 * and results, as a resumed run relies on it: the event log (with an
 * evaluator's stderr), the strategy's saved state, transactions that group
 * several changes or roll all of them back, and the history a resumed
 * strategy is rebuilt from. */
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

/* ---- events, state, transactions, history -------------------------------- */
static int keep_stderr(const invdes_store_event_row *row, void *data) {
  char **out = data;
  free(*out);
  *out = row->stderr_text ? strdup(row->stderr_text) : NULL;
  return 0;
}

static void test_events_and_strategy_state(void **state) {
  ctx *c = *state;
  invdes_error err;
  assert_int_equal(invdes_store_event(c->s, "run_started", 0, "seed 7", NULL, 0, &err), INVDES_OK);
  invdes_store_rows_free(ask(c, NULL, 0, 1));
  size_t big = 100000;
  char *text = malloc(big);
  assert_non_null(text);
  memset(text, 'e', big);
  memcpy(text + big - 9, "Traceback", 9);
  assert_int_equal(invdes_store_event(c->s, "evaluator_error", 1, "exit status 1", text, big,
                                      &err), INVDES_OK);
  free(text);
  char *kept = NULL;
  assert_int_equal(invdes_store_events(c->s, 0, "evaluator_error", keep_stderr, &kept, &err),
                   INVDES_OK);
  assert_non_null(kept);
  assert_true(strlen(kept) <= INVDES_STORE_STDERR_MAX + 64);
  assert_non_null(strstr(kept, "bytes cut"));
  assert_int_equal(strcmp(kept + strlen(kept) - 9, "Traceback"), 0); /* the tail is kept */
  free(kept);
  assert_int_equal(count_events(c, NULL), 2);
  assert_int_equal(count_events(c, "run_started"), 1);
  assert_int_equal(invdes_store_event(c->s, "evaluator_error", 77, "x", NULL, 0, &err),
                   INVDES_ERR_INVALID); /* foreign key: no proposal 77 */

  const char s1[] = "swarm at iteration 1", s3[] = "swarm at iteration 3";
  assert_int_equal(invdes_store_state_put(c->s, "pso", 1, s1, sizeof s1, &err), INVDES_OK);
  assert_int_equal(invdes_store_state_put(c->s, "pso", 3, s3, sizeof s3, &err), INVDES_OK);
  void *blob = NULL;
  size_t len = 0;
  int64_t it = 0;
  int found = 0;
  assert_int_equal(invdes_store_state_get(c->s, "pso", INT64_MAX, &blob, &len, &it, &found, &err),
                   INVDES_OK);
  assert_true(found);
  assert_int_equal(it, 3);
  assert_int_equal(len, sizeof s3);
  assert_memory_equal(blob, s3, len);
  free(blob);
  assert_int_equal(invdes_store_state_get(c->s, "pso", 2, &blob, &len, &it, &found, &err),
                   INVDES_OK);
  assert_int_equal(it, 1);
  assert_memory_equal(blob, s1, sizeof s1);
  free(blob);
  assert_int_equal(invdes_store_state_get(c->s, "ga", INT64_MAX, &blob, &len, &it, &found, &err),
                   INVDES_OK);
  assert_false(found);
  assert_null(blob);
}

static invdes_status insert_then_fail(invdes_store *s, void *data, invdes_error *err) {
  ctx *c = data;
  invdes_status st = propose(s, 2, NULL, 0, c, err);
  if (st != INVDES_OK) return st;
  return invdes_error_set(err, INVDES_ERR_EVAL, "the strategy gave up");
}

static invdes_status insert_with_a_bad_tell_inside(invdes_store *s, void *data,
                                                   invdes_error *err) {
  ctx *c = data;
  invdes_status st = propose(s, 2, NULL, 0, c, err);
  invdes_store_value v = {"nonsense", 1, NAN};
  invdes_store_tell_req bad = {.id = 1, .kind = INVDES_TELL_RESULT, .values = &v, .n_values = 1,
                               .close = 1};
  invdes_error inner;
  if (st == INVDES_OK && invdes_store_tell(s, &bad, &inner) == INVDES_OK) return INVDES_ERR_USAGE;
  invdes_store_value good = {"capacity", 5, NAN};
  invdes_store_tell_req ok = {.id = 1, .kind = INVDES_TELL_RESULT, .values = &good, .n_values = 1,
                              .close = 1};
  if (st == INVDES_OK) st = invdes_store_tell(s, &ok, err);
  return st;
}

static void test_transactions_group_and_roll_back(void **state) {
  ctx *c = *state;
  invdes_error err;
  char before[INVDES_SHA256_HEX], after[INVDES_SHA256_HEX];
  rows_checksum(c->db, before);
  assert_int_equal(invdes_store_transaction(c->s, insert_then_fail, c, &err), INVDES_ERR_EVAL);
  assert_string_equal(err.message, "the strategy gave up");
  rows_checksum(c->db, after);
  assert_string_equal(before, after);
  /* A refused call inside a transaction undoes only itself. */
  assert_int_equal(invdes_store_transaction(c->s, insert_with_a_bad_tell_inside, c, &err),
                   INVDES_OK);
  invdes_store_counts n;
  assert_int_equal(invdes_store_counts_get(c->s, &n, &err), INVDES_OK);
  assert_int_equal(n.proposals, 2);
  assert_int_equal(n.done, 1);
  assert_int_equal(n.results, 1);
}

static void test_history_for_resume(void **state) {
  ctx *c = *state;
  invdes_error err;
  const double z[2] = {0.1 + 0.2, 1.0 / 3.0}; /* values that do not print exactly */
  invdes_store_new_proposal p = {"{\"x\": 0.30000000000000004, \"y\": 0.33333333333333331}", z,
                                 2, NULL, NULL, NAN};
  int64_t ids[3], batch = 0;
  assert_int_equal(invdes_store_insert(c->s, 7, "sobol", &p, 1, NULL, 0, ids, &batch, &err),
                   INVDES_OK);
  assert_int_equal(batch, 1);
  invdes_store_new_proposal two[2] = {p, p};
  assert_int_equal(invdes_store_insert(c->s, 8, "bo", two, 2, NULL, 0, ids + 1, &batch, &err),
                   INVDES_OK);
  assert_int_equal(batch, 2);
  tell_value(c, ids[1], "capacity", 1);
  invdes_store_tell_req f = {.id = ids[2], .kind = INVDES_TELL_FAILED, .reason = "timeout"};
  assert_int_equal(invdes_store_tell(c->s, &f, &err), INVDES_OK);
  invdes_store_rows *all = NULL;
  assert_int_equal(invdes_store_list(c->s, INVDES_PROPOSAL_ANY, 0, &all, &err), INVDES_OK);
  assert_int_equal(all->n, 3);
  assert_memory_equal(all->items[0].z, z, sizeof z);
  assert_string_equal(all->items[0].strategy, "sobol");
  assert_int_equal(all->items[0].iteration, 7);
  assert_int_equal(all->items[2].batch, 2);
  assert_string_equal(all->items[2].reason, "timeout");
  assert_int_equal(all->items[2].status, INVDES_PROPOSAL_FAILED);
  assert_true(isnan(all->items[0].acquisition));
  assert_string_equal(all->target_names[2], "e_red");
  invdes_store_rows_free(all);
  assert_int_equal(invdes_store_list(c->s, INVDES_PROPOSAL_PENDING | INVDES_PROPOSAL_FAILED,
                                     0, &all, &err), INVDES_OK);
  assert_int_equal(all->n, 2);
  assert_int_equal(all->items[1].id, ids[2]);
  invdes_store_rows_free(all);
  assert_int_equal(invdes_store_list(c->s, INVDES_PROPOSAL_ANY, ids[1], &all, &err), INVDES_OK);
  assert_int_equal(all->n, 1);
  invdes_store_rows_free(all);
  int64_t evaluated = 0;
  assert_int_equal(invdes_store_n_evaluated(c->s, &evaluated, &err), INVDES_OK);
  assert_int_equal(evaluated, 1); /* the failure: the budget counts failures, and the
                                     partial result only once complete or closed */
  /* Bad proposals are refused before anything is written. */
  invdes_store_new_proposal bad = p;
  bad.parameters = "[1, 2]";
  assert_int_equal(invdes_store_insert(c->s, 9, "bo", &bad, 1, NULL, 0, NULL, NULL, &err),
                   INVDES_ERR_USAGE);
  assert_non_null(strstr(err.message, "not a JSON object"));
  const double znan[2] = {NAN, 0};
  bad = p;
  bad.z = znan;
  assert_int_equal(invdes_store_insert(c->s, 9, "bo", &bad, 1, NULL, 0, NULL, NULL, &err),
                   INVDES_ERR_USAGE);
  int64_t unknown = 99;
  assert_int_equal(invdes_store_get(c->s, &unknown, 1, &all, &err), INVDES_ERR_INVALID);
  assert_null(all);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_events_and_strategy_state, setup, teardown),
      cmocka_unit_test_setup_teardown(test_transactions_group_and_roll_back, setup, teardown),
      cmocka_unit_test_setup_teardown(test_history_for_resume, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
