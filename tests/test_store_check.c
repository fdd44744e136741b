/* test_store_check.c — a campaign file changed after its database was
 * made, as `invdes run` and `invdes init` judge it: which changes of the
 * model are harmless and recorded, which are refused and why, and a change
 * of a pool's data file is seen even when the campaign text is the same. */
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
#include "strategy.h"

/* ---- a changed campaign file ------------------------------------------ */

static void test_campaign_diff_of_models(void **state) {
  ctx *c = *state;
  store_fixture g;
  store_fixture_init(&g);
  invdes_error ch;
  invdes_error_clear(&ch);
  assert_int_equal(invdes_store_campaign_diff(&c->f.c, &g.c, &ch), INVDES_OK);
  assert_int_equal(ch.count, 0);
  g.c.budget.evaluations = 80;
  g.c.description = "longer run";
  assert_int_equal(invdes_store_campaign_diff(&c->f.c, &g.c, &ch), INVDES_OK);
  assert_non_null(strstr(ch.message, "budget.evaluations: 50 -> 80 (allowed)"));
  assert_non_null(strstr(ch.message, "description: '(none)' -> 'longer run' (allowed)"));
  invdes_error_clear(&ch);
  /* stop_when levels are described and harmless */
  double levels[3] = {200, NAN, NAN};
  g.c.budget.stop_when_satisfied = 1;
  g.c.budget.stop_levels = levels;
  assert_int_equal(invdes_store_campaign_diff(&c->f.c, &g.c, &ch), INVDES_OK);
  assert_non_null(strstr(ch.message, "budget.stop_when: 'never' -> 'capacity >= 200' (allowed)"));
  g.c.budget.stop_when_satisfied = 0;
  g.c.budget.stop_levels = NULL;
  invdes_error_clear(&ch);
  /* a reference only measures the front: allowed; a weight given where
   * none was turns a front into a weighted sum: refused */
  g.targets[0].reference = 150;
  assert_int_equal(invdes_store_campaign_diff(&c->f.c, &g.c, &ch), INVDES_OK);
  assert_non_null(strstr(ch.message, "target 'capacity': reference: nan -> 150 (allowed)"));
  g.targets[0].weight_set = 1;
  assert_int_equal(invdes_store_campaign_diff(&c->f.c, &g.c, &ch), INVDES_ERR_INVALID);
  assert_non_null(strstr(ch.message, "target 'capacity': weight given (a weighted sum now)"));
  g.targets[0].weight_set = 0;
  g.targets[0].reference = NAN;
  invdes_error_clear(&ch);
  /* lhs strata are cut by the budget: there a new budget is refused. */
  invdes_campaign lhs_old = c->f.c, lhs_new = g.c;
  lhs_old.strategy.kind = lhs_new.strategy.kind = invdes_strategy_kind_find("lhs");
  assert_int_equal(invdes_store_campaign_diff(&lhs_old, &lhs_new, &ch), INVDES_ERR_INVALID);
  assert_non_null(strstr(ch.message, "budget.evaluations: 50 -> 80"));
  assert_null(strstr(ch.message, "budget.evaluations: 50 -> 80 (allowed)"));
  invdes_error_clear(&ch);
  g.params[1].hi = 2;
  g.targets[1].goal = INVDES_GOAL_ABOVE;
  g.c.strategy.batch = 4;
  assert_int_equal(invdes_store_campaign_diff(&c->f.c, &g.c, &ch), INVDES_ERR_INVALID);
  assert_non_null(strstr(ch.message, "parameter 'y': upper bound: 1 -> 2"));
  assert_non_null(strstr(ch.message, "target 'voltage': goal window -> above"));
  assert_non_null(strstr(ch.message, "strategy.batch: 2 -> 4"));
  invdes_error_clear(&ch);
  store_fixture_init(&g);
  g.params[0].name = "z";
  assert_int_equal(invdes_store_campaign_diff(&c->f.c, &g.c, &ch), INVDES_ERR_INVALID);
  assert_non_null(strstr(ch.message, "parameter 'x' removed"));
  assert_non_null(strstr(ch.message, "parameter 'z' added"));
}

/* A pool campaign: its variable is the id column, and an edited table is a
 * changed campaign although the campaign text is the same. */
static void test_pool_data_change_is_seen(void **state) {
  ctx *c = *state;
  char *features[2] = {"f1", "f2"};
  char *ids[3] = {"LiPF6", "LiBF4", "LiTFSI"};
  double x[6] = {1, 2, 3, 4, 5, 6};
  invdes_pool pool = {.file = "pool.csv", .path = "pool.csv", .id_column = "salt",
                      .features = features, .n_features = 2, .n_rows = 3, .x = x, .ids = ids};
  store_fixture g;
  store_fixture_init(&g);
  g.c.pool = &pool;
  g.c.n_params = 0;
  char path[4300];
  snprintf(path, sizeof path, "%s/pool.db", c->dir);
  invdes_error err;
  invdes_store *s = invdes_store_create(path, &g.c, &err);
  assert_non_null(s);
  assert_int_equal(invdes_store_n_variables(s), 1);
  assert_string_equal(invdes_store_variable_name(s, 0), "salt");
  invdes_error ch;
  invdes_error_clear(&ch);
  assert_int_equal(invdes_store_check_campaign(s, &g.c, &ch), INVDES_OK);
  x[4] = 5.5; /* one cell of the table edited */
  assert_int_equal(invdes_store_check_campaign(s, &g.c, &ch), INVDES_ERR_INVALID);
  assert_non_null(strstr(ch.message, "pool: the candidate table's contents changed"));
  invdes_store_close(s);
  store_fixture_cleanup(c->dir, path);
}

/* The same judgement through the real loader, on files that differ only in
 * text, in the budget, or in what is searched. */
static void test_check_campaign_files(void **state) {
  ctx *c = *state;
  invdes_error err;
  const char *base = c->f.c.text;
  invdes_campaign *parsed = invdes_campaign_parse("fixture.yaml", base, strlen(base), &err);
  if (!parsed) fail_msg("fixture does not load: %s", err.message);
  char path[4300];
  snprintf(path, sizeof path, "%s/loaded.db", c->dir);
  invdes_store *s = invdes_store_create(path, parsed, &err);
  assert_non_null(s);
  invdes_campaign_free(parsed);

  char text[2048];
  /* Comments and spacing only. */
  snprintf(text, sizeof text, "# a note\n%s\n\n", base);
  invdes_campaign *k = invdes_campaign_parse("fixture.yaml", text, strlen(text), &err);
  assert_non_null(k);
  invdes_error ch;
  invdes_error_clear(&ch);
  assert_int_equal(invdes_store_check_campaign(s, k, &ch), INVDES_OK);
  assert_int_equal(ch.count, 0);
  invdes_campaign_free(k);
  /* A larger budget: allowed, and update_campaign stores the new text. */
  char *at = strstr(base, "evaluations: 50");
  assert_non_null(at);
  snprintf(text, sizeof text, "%.*sevaluations: 80%s", (int)(at - base), base, at + 15);
  k = invdes_campaign_parse("fixture.yaml", text, strlen(text), &err);
  assert_non_null(k);
  invdes_error_clear(&ch);
  assert_int_equal(invdes_store_update_campaign(s, k, &ch), INVDES_OK);
  assert_non_null(strstr(ch.message, "budget.evaluations: 50 -> 80 (allowed)"));
  assert_string_equal(invdes_store_campaign_text(s), text);
  invdes_campaign_free(k);
  invdes_store_close(s);
  s = invdes_store_open(path, &err);
  assert_non_null(s);
  assert_string_equal(invdes_store_campaign_text(s), text);
  /* Other bounds: refused, saying what changed. */
  char *b = strstr(text, "bounds: [0, 1]}\n  - {name: y");
  assert_non_null(b);
  memcpy(b, "bounds: [0, 2]", 14);
  k = invdes_campaign_parse("fixture.yaml", text, strlen(text), &err);
  assert_non_null(k);
  invdes_error_clear(&ch);
  assert_int_equal(invdes_store_update_campaign(s, k, &ch), INVDES_ERR_INVALID);
  assert_non_null(strstr(ch.message, "parameter 'x': upper bound: 1 -> 2"));
  assert_non_null(strstr(ch.message, "changed since the database was made"));
  assert_string_not_equal(invdes_store_campaign_text(s), text);
  invdes_campaign_free(k);
  invdes_store_close(s);
  store_fixture_cleanup(c->dir, path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_campaign_diff_of_models, setup, teardown),
      cmocka_unit_test_setup_teardown(test_pool_data_change_is_seen, setup, teardown),
      cmocka_unit_test_setup_teardown(test_check_campaign_files, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
