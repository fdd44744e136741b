/* test_objective.c — the objective kinds' registry and tables (objective.h):
 * the loader's kind and key checks as a user meets them (suggestions, a key
 * of another kind), each kind's reader defaults, the harmless changes the
 * store accepts from the tables, and an evaluator driven through the table
 * alone. The kinds' own behaviour in runs is test_driver's and
 * test_command's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "campaign.h"
#include "objective.h"
#include "space.h"
#include "store.h"

/* A campaign over x1 in [-5, 10], x2 in [0, 15] (Branin's box) with one
 * target and the given objective section (a YAML flow mapping). */
static char *campaign_text(const char *objective) {
  static const char *fmt = "name: t\n"
                           "parameters:\n"
                           "  - {name: x1, type: continuous, bounds: [-5, 10]}\n"
                           "  - {name: x2, type: continuous, bounds: [0, 15]}\n"
                           "targets: [{name: y, goal: minimize}]\n"
                           "objective: %s\n"
                           "budget: {evaluations: 10}\n";
  size_t n = strlen(fmt) + strlen(objective) + 1;
  char *s = malloc(n);
  assert_non_null(s);
  snprintf(s, n, fmt, objective);
  return s;
}

/* The campaign as if it were the file `path` (relative paths resolve beside it). */
static invdes_campaign *parse_at(const char *path, const char *objective, invdes_error *err) {
  char *text = campaign_text(objective);
  invdes_campaign *c = invdes_campaign_parse(path, text, strlen(text), err);
  free(text);
  return c;
}

static invdes_campaign *parse(const char *objective, invdes_error *err) {
  return parse_at("o.yaml", objective, err);
}

static invdes_campaign *load_at(const char *path, const char *objective) {
  invdes_error err;
  invdes_campaign *c = parse_at(path, objective, &err);
  if (!c) fail_msg("objective %s: %s", objective, err.message);
  return c;
}

static invdes_campaign *load(const char *objective) { return load_at("o.yaml", objective); }

/* Loading fails and one diagnostic holds `want`. */
static void refused(const char *objective, const char *want) {
  invdes_error err;
  invdes_campaign *c = parse(objective, &err);
  if (c) {
    invdes_campaign_free(c);
    fail_msg("objective %s loaded, expected: %s", objective, want);
  }
  if (!strstr(err.message, want)) fail_msg("wanted \"%s\", got:\n%s", want, err.message);
}

/* Collects what an evaluator hands over. */
typedef struct collected {
  size_t calls, n;
  double y[8];
  int failed[8];
  char reason[8][200];
} collected;

static invdes_status collect(const invdes_objective_outcome *o, size_t n, void *data,
                             invdes_error *err) {
  collected *k = data;
  k->calls++;
  for (size_t i = 0; i < n && k->n < 8; i++, k->n++) {
    k->failed[k->n] = o[i].failed;
    k->y[k->n] = o[i].failed ? NAN : o[i].y[0];
    snprintf(k->reason[k->n], sizeof k->reason[0], "%s", o[i].reason ? o[i].reason : "");
  }
  return INVDES_OK;
}

/* Runs points p[0..n) through the campaign's kind, opened from the table. */
static void evaluate(const invdes_campaign *c, const invdes_objective_point *p, size_t n,
                     collected *k) {
  invdes_error err;
  invdes_space *space = invdes_space_new(c, &err);
  assert_non_null(space);
  const char *vars[] = {"x1", "x2"}, *targets[] = {"y"};
  invdes_objective_setup s = {.c = c, .spec = c->objective.spec, .space = space, .n_vars = 2,
                              .n_targets = 1, .var_names = vars, .target_names = targets};
  const invdes_objective_type *t = c->objective.type;
  void *ev = NULL;
  assert_int_equal(t->open(&s, &ev, &err), INVDES_OK);
  memset(k, 0, sizeof *k);
  assert_int_equal(t->evaluate(ev, p, n, collect, k, &err), INVDES_OK);
  t->close(ev);
  invdes_space_free(space);
}

/* The four kinds of today come first; a kind added later (one line in the
 * registry) must keep these tests passing, so lists are checked by prefix. */
static void test_registry(void **state) {
  (void)state;
  const char *names[] = {"builtin", "command", "dataset", "station"};
  for (size_t i = 0; i < 4; i++) {
    assert_non_null(invdes_objective_at(i));
    assert_string_equal(invdes_objective_at(i)->name, names[i]);
  }
  size_t n = 0;
  for (const invdes_objective_type *t; (t = invdes_objective_at(n)); n++) {
    assert_ptr_equal(invdes_objective_find(t->name), t);
    assert_non_null(t->fields);
    /* A kind either evaluates (all three operations) or says why not. */
    assert_true(t->cannot_run ? !t->open : t->open && t->evaluate && t->close);
    assert_true(t->spec_size > 0 || !t->fields[0].key);
  }
  assert_true(n >= 4);
  assert_null(invdes_objective_find("no-such-kind"));
  assert_null(invdes_objective_find(NULL));
  char list[300], last[100];
  invdes_objective_kinds_text(list, sizeof list);
  snprintf(last, sizeof last, " or %s", invdes_objective_at(n - 1)->name);
  assert_non_null(strstr(list, "builtin, command, dataset"));
  assert_string_equal(list + strlen(list) - strlen(last), last);
  invdes_objective_kinds_text(list, 10);
  assert_string_equal(list, "builtin, ");
}

static void test_kind_and_keys(void **state) {
  (void)state;
  refused("{kind: comand, command: [sh]}",
          "o.yaml:6:19: unknown objective kind 'comand'; did you mean 'command'? "
          "(builtin, command, dataset, station");
  refused("{kind: oracle}",
          "unknown objective kind 'oracle' (one of: builtin, command, dataset, station");
  refused("{name: branin}", "o.yaml:6:1: 'objective' has no 'kind' (builtin, command, "
                            "dataset");
  /* A key of another kind is named as such, wherever it is known. */
  refused("{kind: builtin, name: branin, timeout: 5}",
          "o.yaml:6:42: 'timeout' does not apply to objective kind 'builtin'");
  refused("{kind: station, model: gp}", "'model' does not apply to objective kind 'station'");
  refused("{kind: dataset, file: x.csv, noise: 1}",
          "'noise' does not apply to objective kind 'dataset'");
  refused("{kind: builtin, name: branin, nosie: 1}",
          "unknown key 'nosie' in objective; did you mean 'noise'?");
  refused("{kind: builtin, name: branin, frobnicate: 1}",
          "unknown key 'frobnicate' in objective (known keys: kind, name, shift, noise, "
          "command, timeout, parallel, file, model");
  refused("[builtin]", "'objective' must be a mapping");
  invdes_error err;
  const char *text = "name: t\nparameters: [{name: a, type: continuous, bounds: [0, 1]}]\n"
                     "targets: [{name: y, goal: maximize}]\nbudget: {evaluations: 3}\n";
  assert_null(invdes_campaign_parse("o.yaml", text, strlen(text), &err));
  assert_non_null(strstr(err.message, "o.yaml:1:1: the campaign has no 'objective' "
                                      "(builtin, command, dataset"));
}

static void test_reader_defaults(void **state) {
  (void)state;
  char line[300];
  invdes_campaign *c = load("{kind: builtin, name: branin}");
  const invdes_objective *o = &c->objective;
  assert_ptr_equal(o->type, invdes_objective_find("builtin"));
  assert_int_equal(o->mark.line, 6);
  assert_string_equal(invdes_objective_text(o, "name"), "branin");
  size_t n = 9;
  assert_null(invdes_objective_numbers(o, "shift", &n));
  assert_int_equal(n, 0);
  assert_true(invdes_objective_number(o, "noise") == 0);
  assert_null(invdes_campaign_objective_cannot_run(c));
  invdes_campaign_objective_describe(c, line, sizeof line);
  assert_string_equal(line, "builtin branin");
  /* Getters of another type or another kind's key find nothing. */
  assert_null(invdes_objective_text(o, "noise"));
  assert_true(isnan(invdes_objective_number(o, "timeout")));
  invdes_campaign_free(c);

  c = load("{kind: command, command: sh -c true}");
  o = &c->objective;
  char *const *argv = invdes_objective_texts(o, "command", &n);
  assert_int_equal(n, 3);
  assert_string_equal(argv[2], "true");
  assert_true(invdes_objective_number(o, "timeout") == 0);
  assert_true(invdes_objective_number(o, "parallel") == 1);
  invdes_campaign_objective_describe(c, line, sizeof line);
  assert_non_null(strstr(line, "/sh -c true"));
  assert_null(strstr(line, "timeout"));
  invdes_campaign_free(c);

  refused("{kind: dataset}", "o.yaml:6:1: a dataset objective needs 'file' (a CSV table) or a "
                             "'pool'");
  refused("{kind: dataset, model: svm}", "unknown data-set model 'svm' (one of: gp, rf");
  refused("{kind: dataset, file: /nonexistent/data.csv}",
          "o.yaml:6:34: data set: /nonexistent/data.csv: cannot open");

  c = load("{kind: station}");
  assert_null(c->objective.spec);
  assert_non_null(strstr(invdes_campaign_objective_cannot_run(c), "use invdes ask / invdes tell"));
  invdes_campaign_objective_describe(c, line, sizeof line);
  assert_string_equal(line, "station (results come by `invdes tell`)");
  invdes_campaign_free(c);
}

/* A data set over a space: the file is resolved beside the campaign, the
 * emulator defaults to rf, and the table drives it. */
static void test_dataset(void **state) {
  (void)state;
  const char *tmp = getenv("TMPDIR");
  char dir[4000], path[4100], csv[4100];
  snprintf(dir, sizeof dir, "%s/invdes-objective-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  assert_non_null(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/o.yaml", dir);
  snprintf(csv, sizeof csv, "%s/data.csv", dir);
  FILE *f = fopen(csv, "w");
  assert_non_null(f);
  fprintf(f, "x1,x2,y\n");
  for (int i = 0; i < 12; i++) fprintf(f, "%d,%d,%d\n", i - 5, i, 2 * i);
  fprintf(f, "99,1,5\n"); /* outside the space: left out of the fit */
  fclose(f);
  invdes_campaign *c = load_at(path, "{kind: dataset, file: data.csv}");
  assert_string_equal(invdes_objective_text(&c->objective, "file"), csv);
  assert_string_equal(invdes_objective_text(&c->objective, "model"), "rf");
  char line[300];
  invdes_campaign_objective_describe(c, line, sizeof line);
  assert_non_null(strstr(line, "/data.csv (emulator rf)"));
  const double x[] = {0, 5};
  invdes_objective_point p[] = {{.id = 1, .x = x}};
  collected k;
  evaluate(c, p, 1, &k);
  assert_false(k.failed[0]);
  assert_true(k.y[0] >= 0 && k.y[0] <= 22); /* a forest predicts within the data's range */
  invdes_campaign_free(c);
  remove(csv);
  rmdir(dir);
}

/* The store accepts exactly the changes the kind's table marks harmless. */
static void test_harmless_changes(void **state) {
  (void)state;
  invdes_campaign *a = load("{kind: command, command: [sh, -c, true], timeout: 5}");
  invdes_campaign *b = load("{kind: command, command: [sh, -c, true], timeout: 9, parallel: 4}");
  invdes_campaign *cmd = load("{kind: command, command: [sh, -c, false]}");
  invdes_campaign *bi = load("{kind: builtin, name: branin}");
  invdes_campaign *bi2 = load("{kind: builtin, name: branin, noise: 0.1}");
  invdes_error ch;
  invdes_error_clear(&ch);
  assert_int_equal(invdes_store_campaign_diff(a, b, &ch), INVDES_OK);
  assert_non_null(strstr(ch.message, "objective.timeout: 5 -> 9 (allowed)"));
  assert_non_null(strstr(ch.message, "objective.parallel: 1 -> 4 (allowed)"));
  invdes_error_clear(&ch);
  assert_int_equal(invdes_store_campaign_diff(a, cmd, &ch), INVDES_ERR_INVALID);
  assert_non_null(strstr(ch.message, "objective.command: the list changed"));
  invdes_error_clear(&ch);
  assert_int_equal(invdes_store_campaign_diff(bi, bi2, &ch), INVDES_ERR_INVALID);
  assert_non_null(strstr(ch.message, "objective.noise: 0 -> 0.10000000000000001"));
  invdes_error_clear(&ch);
  assert_int_equal(invdes_store_campaign_diff(bi, a, &ch), INVDES_ERR_INVALID);
  assert_non_null(strstr(ch.message, "objective.kind: builtin -> command"));
  invdes_error_clear(&ch);
  assert_int_equal(invdes_store_campaign_diff(bi, bi, &ch), INVDES_OK);
  assert_int_equal(ch.count, 0);
  invdes_campaign_free(a);
  invdes_campaign_free(b);
  invdes_campaign_free(cmd);
  invdes_campaign_free(bi);
  invdes_campaign_free(bi2);
}

static void test_builtin_through_table(void **state) {
  (void)state;
  invdes_campaign *c = load("{kind: builtin, name: branin}");
  assert_true(c->objective.type->flags & INVDES_OBJECTIVE_IN_PROCESS);
  const double at_min[] = {3.14159265358979323846, 2.275}, far[] = {-5, 0};
  invdes_objective_point p[] = {{.id = 1, .x = at_min}, {.id = 2, .unreadable = "bad row"},
                                {.id = 3, .x = far}};
  collected k;
  evaluate(c, p, 3, &k);
  assert_int_equal(k.calls, 1); /* in-process: the batch at once */
  assert_int_equal(k.n, 3);
  assert_true(fabs(k.y[0] - 0.397887357729738) < 1e-12);
  assert_true(k.failed[1] && strcmp(k.reason[1], "bad row") == 0);
  assert_false(k.failed[2]);
  assert_true(k.y[2] > 300);
  invdes_campaign_free(c);

  /* Noise is drawn per proposal id: the same id gives the same value. */
  c = load("{kind: builtin, name: branin, noise: 0.5}");
  invdes_objective_point q[] = {{.id = 7, .x = at_min}, {.id = 8, .x = at_min},
                                {.id = 7, .x = at_min}};
  evaluate(c, q, 3, &k);
  assert_true(k.y[0] == k.y[2]);
  assert_true(k.y[0] != k.y[1]);
  assert_true(fabs(k.y[0] - 0.397887357729738) < 3);
  invdes_campaign_free(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_registry),         cmocka_unit_test(test_kind_and_keys),
      cmocka_unit_test(test_reader_defaults),  cmocka_unit_test(test_harmless_changes),
      cmocka_unit_test(test_dataset),          cmocka_unit_test(test_builtin_through_table),
  };
  return cmocka_run_group_tests_name("objective kinds", tests, NULL, NULL);
}
