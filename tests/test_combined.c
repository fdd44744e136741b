/* test_combined.c — the objective kind `combined`: a computed target (the
 * capacity kind) beside a measured one (a command) in one campaign, each
 * part seeing only its targets; a proposal that fails in a computed part is
 * never sent to the command; the command's failures and values come back
 * merged in the campaign's target order; and every malformed combination is
 * refused with its reason. */
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
#include "kind_eval.h"
#include "objective.h"

static char text[8192];

/* parts with every "@E" replaced by the folder of the test evaluators. */
static const char *expand(const char *parts) {
  static char out[4096];
  const char *top = getenv("top_srcdir");
  size_t n = 0;
  for (const char *s = parts; *s && n + 600 < sizeof out; s++) {
    if (s[0] == '@' && s[1] == 'E') {
      n += (size_t)snprintf(out + n, sizeof out - n, "%s/tests/evaluators", top ? top : ".");
      s++;
    } else {
      out[n++] = *s;
    }
  }
  out[n] = '\0';
  return out;
}

/* A campaign over an NMC composition with the given targets and parts. */
static const char *campaign(const char *targets, const char *parts) {
  parts = expand(parts);
  snprintf(text, sizeof text,
           "name: cm\n"
           "parameters: [{name: v, type: continuous, bounds: [3.5, 4.3]}]\n"
           "compositions:\n"
           "  - {name: tm, components: {ni: [0.3, 0.95], mn: [0.02, 0.4], co: [0.02, 0.4]}}\n"
           "targets: %s\n"
           "objective:\n"
           "  kind: combined\n"
           "  parts: %s\n"
           "budget: {evaluations: 10}\n",
           targets, parts);
  return text;
}

#define TARGETS3 "[{name: retention, goal: maximize}, {name: q, goal: window, " \
                 "window: [150, 300]}, {name: energy, goal: maximize}]"
#define CAPACITY_PART "{kind: capacity, formula: 'Li(Ni{ni}Mn{mn}Co{co})O2', voltage: v, " \
                      "outputs: {q: capacity}, targets: [q, energy]}"
#define COMMAND_PART "{kind: command, command: @E/retention.py, " \
                     "targets: [retention]}"

static invdes_campaign *load(const char *t) {
  invdes_error err;
  invdes_campaign *c = invdes_campaign_parse("cm.yaml", t, strlen(t), &err);
  if (!c) fail_msg("%s", err.message);
  return c;
}

static int log_lines(const char *path) {
  FILE *f = fopen(path, "r");
  int n = 0, ch;
  while (f && (ch = fgetc(f)) != EOF) n += ch == '\n';
  if (f) fclose(f);
  return n;
}

static void test_merge(void **state) {
  (void)state;
  char log[] = "/tmp/invdes_combined_XXXXXX";
  int fd = mkstemp(log);
  assert_true(fd >= 0);
  close(fd);
  setenv("RETENTION_LOG", log, 1);
  invdes_campaign *c = load(campaign(TARGETS3, "[" CAPACITY_PART ", " COMMAND_PART "]"));
  char describe[400];
  invdes_campaign_objective_describe(c, describe, sizeof describe);
  assert_non_null(strstr(describe, "combined capacity"));
  assert_non_null(strstr(describe, "-> retention"));
  double x[4] = {3.8, 0.8, 0.1, 0.1}, y[3];
  char reason[600];
  assert_false(kind_eval(c, x, y, reason, sizeof reason));
  assert_true(fabs(y[0] - (100.0 - 16.0)) < 1e-9);       /* measured */
  assert_true(fabs(y[1] - 275.5) < 0.05);               /* computed */
  assert_true(fabs(y[2] - 3.8 * y[1]) < 1e-9);
  assert_int_equal(log_lines(log), 1);
  /* the command fails: the whole proposal fails with its reason */
  double cracked[4] = {3.8, 0.9, 0.05, 0.05};
  assert_true(kind_eval(c, cracked, y, reason, sizeof reason));
  assert_non_null(strstr(reason, "command: "));
  assert_non_null(strstr(reason, "cracked"));
  assert_int_equal(log_lines(log), 2);
  /* the capacity part fails (a negative share): the command is not run */
  double negative[4] = {3.8, -0.2, 0.6, 0.6};
  assert_true(kind_eval(c, negative, y, reason, sizeof reason));
  assert_non_null(strstr(reason, "capacity: "));
  assert_int_equal(log_lines(log), 2);
  invdes_campaign_free(c);
  unsetenv("RETENTION_LOG");
  unlink(log);
}

/* Two in-process parts (no command): still merged in target order. */
static void test_in_process_parts(void **state) {
  (void)state;
  invdes_campaign *c = load(campaign(
      "[{name: molar_mass, goal: minimize}, {name: q, goal: maximize, weight: 1}]",
      "[{kind: capacity, formula: 'Li(Ni{ni}Mn{mn}Co{co})O2', outputs: {q: capacity},"
      " targets: [q]}, {kind: capacity, formula: 'Li(Ni{ni}Mn{mn}Co{co})O2',"
      " targets: [molar_mass]}]"));
  double x[4] = {3.8, 0.8, 0.1, 0.1}, y[2];
  char reason[600];
  assert_false(kind_eval(c, x, y, reason, sizeof reason));
  assert_true(fabs(y[0] * y[1] - 96485.33212331 / 3.6) < 1e-6);
  invdes_campaign_free(c);
}

static void test_hostile(void **state) {
  (void)state;
  static const struct {
    const char *targets, *parts, *words;
  } bad[] = {
      {TARGETS3, "[" CAPACITY_PART "]", "at least two parts"},
      {TARGETS3, "[]", "at least two parts"},
      {TARGETS3, "[" CAPACITY_PART ", {kind: command, command: @E/retention.py}]",
       "needs 'targets'"},
      {TARGETS3, "[" CAPACITY_PART ", {kind: station, targets: [retention]}]",
       "a station cannot be a part"},
      {TARGETS3, "[" CAPACITY_PART ", {kind: combined, parts: [], targets: [retention]}]",
       "cannot itself be combined"},
      {TARGETS3, "[" CAPACITY_PART ", " COMMAND_PART ", {kind: command, command: "
                 "@E/retention.py, targets: []}]", "at most one part"},
      {TARGETS3, "[" CAPACITY_PART ", {kind: command, command: @E/retention.py, "
                 "targets: [retention, q]}]", "given by two parts"},
      {TARGETS3, "[" CAPACITY_PART ", {kind: command, command: @E/retention.py, "
                 "targets: [retention, fade]}]", "'fade' is not a target"},
      {TARGETS3, "[{kind: capacity, formula: LiCoO2, outputs: {q: capacity}, targets: [q]}, "
                 COMMAND_PART "]", "target 'energy' is given by no part"},
      {TARGETS3, "[" CAPACITY_PART ", {kind: command, command: @E/retention.py, formula: x, "
                 "targets: [retention]}]",
       "'formula' does not apply to objective kind 'command'"},
      {TARGETS3, "[" CAPACITY_PART ", {kind: comand, targets: [retention]}]",
       "did you mean 'command'"},
      /* a part's own check sees only its targets */
      {TARGETS3, "[{kind: capacity, formula: LiCoO2, targets: [q, energy]}, " COMMAND_PART "]",
       "target 'q' is not an output of a capacity objective"},
      {TARGETS3, "{kind: capacity}", "'parts' must be"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    kind_refused(campaign(bad[i].targets, bad[i].parts), bad[i].words);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_merge),
      cmocka_unit_test(test_in_process_parts),
      cmocka_unit_test(test_hostile),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
