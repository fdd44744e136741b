/* test_command.c — the command evaluator against real programs (the scripts
 * in tests/evaluators/): a good answer is read, every way of going wrong is a
 * failed evaluation with a reason that names the problem, time-outs kill the
 * whole process group, parallel evaluations overlap, and SIGPIPE from a
 * program that ignores its input leaves invdes alive and its signal mask as
 * it was. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "command.h"
#include "command_json.h"

static const char *targets[2] = {"capacity", "voltage"};
static const invdes_param_value params[3] = {
    {"ni", 0, 0.6, NULL}, {"sinter_T", 0, 850.0, NULL}, {"dopant", 1, 0.0, "Al"}};

/* tests/evaluators/NAME in the source tree. */
static const char *script(const char *name) {
  static char path[4096];
  const char *top = getenv("top_srcdir");
  snprintf(path, sizeof path, "%s/tests/evaluators/%s", top ? top : ".", name);
  return path;
}

/* A fresh temporary directory (the caller removes it with rm_tree). */
static char *temp_dir(void) {
  const char *tmp = getenv("TMPDIR");
  static char dir[4096];
  snprintf(dir, sizeof dir, "%s/invdes-cmd-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  assert_non_null(mkdtemp(dir));
  return dir;
}

static void rm_tree(const char *dir) {
  char cmd[4200];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  assert_int_equal(system(cmd), 0);
}

/* Runs one evaluation of `interp script [arg]` and returns its result. */
static invdes_eval_result run_one(const char *interp, const char *name, const char *arg,
                                  double timeout) {
  const char *argv[4] = {interp, script(name), arg, NULL};
  invdes_command_options opt = {argv, timeout, 1, NULL, 0, 0, NULL, NULL};
  invdes_eval_request req = {17, params, 3};
  invdes_eval_result r;
  invdes_error err;
  invdes_error_clear(&err);
  invdes_status st = invdes_command_run_batch(&opt, targets, 2, &req, 1, &r, &err);
  if (st != INVDES_OK)
    fail_msg("run_batch failed: %s", err.message);
  return r;
}

static void expect_failure(invdes_eval_result *r, const char *fragment) {
  assert_false(r->ok);
  if (!strstr(r->reason, fragment))
    fail_msg("reason '%s' does not contain '%s'", r->reason, fragment);
}

static void test_good_evaluator(void **state) {
  (void)state;
  invdes_eval_result r = run_one("python3", "good.py", NULL, 30);
  if (!r.ok)
    fail_msg("failed: %s\nstderr: %s", r.reason, r.stderr_text);
  assert_true(fabs(r.values[0] - (60.0 + 85.0)) < 1e-9);
  assert_true(fabs(r.values[1] - 3.75) < 1e-12);
  assert_int_equal(r.exit_code, 0);
  assert_string_equal(r.reason, "");
  assert_non_null(strstr(r.stderr_text, "evaluating 17"));
  /* The raw output keeps the extra key; it echoes the request as sent. */
  json_t *o = json_loads(r.stdout_text, 0, NULL);
  assert_non_null(o);
  json_t *echo = json_object_get(o, "echo");
  assert_int_equal(json_integer_value(json_object_get(echo, "id")), 17);
  json_t *p = json_object_get(echo, "parameters");
  assert_true(json_real_value(json_object_get(p, "ni")) == 0.6);
  assert_true(json_is_integer(json_object_get(p, "sinter_T")));
  assert_string_equal(json_string_value(json_object_get(p, "dopant")), "Al");
  json_decref(o);
  invdes_eval_results_free(&r, 1);
  assert_null(r.values);
}

static void test_request_encoding(void **state) {
  (void)state;
  invdes_eval_request req = {17, params, 3};
  char *text = NULL;
  size_t len = 0;
  assert_int_equal(invdes_command_encode_request(&req, &text, &len, NULL), INVDES_OK);
  assert_string_equal(text,
                      "{\"id\": 17, \"parameters\": {\"ni\": 0.6, \"sinter_T\": 850, "
                      "\"dopant\": \"Al\"}}\n");
  assert_int_equal(len, strlen(text));
  free(text);
  invdes_param_value odd[2] = {{"q\"uote", 1, 0, "a\\b\n"}, {"x", 0, 0.1 + 0.2, NULL}};
  invdes_eval_request r2 = {-3, odd, 2};
  assert_int_equal(invdes_command_encode_request(&r2, &text, &len, NULL), INVDES_OK);
  json_t *o = json_loads(text, 0, NULL);
  assert_non_null(o);
  json_t *p = json_object_get(o, "parameters");
  assert_string_equal(json_string_value(json_object_get(p, "q\"uote")), "a\\b\n");
  assert_true(json_real_value(json_object_get(p, "x")) == 0.1 + 0.2);
  json_decref(o);
  free(text);
  invdes_param_value bad = {"x", 0, NAN, NULL};
  invdes_eval_request r3 = {1, &bad, 1};
  invdes_error err;
  invdes_error_clear(&err);
  assert_int_equal(invdes_command_encode_request(&r3, &text, &len, &err), INVDES_ERR_INVALID);
  assert_non_null(strstr(err.message, "'x'"));
}

static void test_crash_exit_code(void **state) {
  (void)state;
  invdes_eval_result r = run_one("/bin/sh", "crash.sh", NULL, 30);
  expect_failure(&r, "exited with status 3");
  assert_int_equal(r.exit_code, 3);
  assert_non_null(strstr(r.stderr_text, "cannot converge"));
  invdes_eval_results_free(&r, 1);

  r = run_one("/bin/sh", "fail_exit.sh", NULL, 30);
  expect_failure(&r, "exited with status 2");
  expect_failure(&r, "solver diverged");
  invdes_eval_results_free(&r, 1);
}

static void test_killed_by_signal(void **state) {
  (void)state;
  invdes_eval_result r = run_one("/bin/sh", "signal.sh", NULL, 30);
  expect_failure(&r, "killed by signal 15 (SIGTERM)");
  assert_int_equal(r.term_signal, SIGTERM);
  assert_int_equal(r.exit_code, -1);
  invdes_eval_results_free(&r, 1);
}

/* 1 once pid is gone or a zombie. */
static int process_dead(long pid) {
  char path[64], buf[512];
  snprintf(path, sizeof path, "/proc/%ld/stat", pid);
  FILE *f = fopen(path, "r");
  if (!f)
    return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  const char *close_paren = strrchr(buf, ')');
  return close_paren && close_paren[1] == ' ' && close_paren[2] == 'Z';
}

static long read_pid(const char *file) {
  FILE *f = fopen(file, "r");
  assert_non_null(f);
  long pid = 0;
  assert_int_equal(fscanf(f, "%ld", &pid), 1);
  fclose(f);
  return pid;
}

static void wait_dead(long pid) {
  for (int i = 0; i < 500 && !process_dead(pid); i++) {
    struct timespec ts = {0, 10000000};
    nanosleep(&ts, NULL);
  }
  assert_true(process_dead(pid));
}

static void test_timeout_kills_group(void **state) {
  (void)state;
  char *dir = temp_dir();
  char pidfile[4200];
  snprintf(pidfile, sizeof pidfile, "%s/bg.pid", dir);
  invdes_eval_result r = run_one("/bin/sh", "hang.sh", pidfile, 1.0);
  expect_failure(&r, "timed out after 1 s");
  assert_true(r.timed_out);
  assert_int_equal(r.term_signal, SIGKILL);
  /* The scripts sleep 30 s: far from that means the kill worked. */
  assert_true(r.seconds >= 1.0 && r.seconds < 10.0);
  wait_dead(read_pid(pidfile));
  invdes_eval_results_free(&r, 1);
  rm_tree(dir);
}

static void test_background_child_does_not_block(void **state) {
  (void)state;
  char *dir = temp_dir();
  char pidfile[4200];
  snprintf(pidfile, sizeof pidfile, "%s/bg.pid", dir);
  invdes_eval_result r = run_one("/bin/sh", "background.sh", pidfile, 0);
  assert_true(r.ok);
  assert_true(r.values[0] == 1.0 && r.values[1] == 2.0);
  assert_true(r.seconds < 10.0);
  wait_dead(read_pid(pidfile));
  invdes_eval_results_free(&r, 1);
  rm_tree(dir);
}

static void test_bad_output(void **state) {
  (void)state;
  invdes_eval_result r = run_one("/bin/sh", "garbage.sh", NULL, 30);
  expect_failure(&r, "output is not JSON");
  expect_failure(&r, "'capacity = 182.3 <not json>");
  invdes_eval_results_free(&r, 1);

  r = run_one("/bin/sh", "array.sh", NULL, 30);
  expect_failure(&r, "not a JSON object: '[182.3, 3.7]");
  invdes_eval_results_free(&r, 1);

  r = run_one("/bin/sh", "closed.sh", NULL, 30);
  expect_failure(&r, "no output");
  invdes_eval_results_free(&r, 1);
}

static void test_missing_target(void **state) {
  (void)state;
  invdes_eval_result r = run_one("/bin/sh", "missing.sh", NULL, 30);
  expect_failure(&r, "missing target 'voltage'");
  assert_null(strstr(r.reason, "'capacity'"));
  /* The value that was there is kept. */
  assert_true(r.values[0] == 150.5);
  assert_true(isnan(r.values[1]));
  invdes_eval_results_free(&r, 1);
}

static void test_nonfinite_and_non_numeric(void **state) {
  (void)state;
  invdes_eval_result r = run_one("python3", "nonfinite.py", NULL, 30);
  expect_failure(&r, "target 'capacity' is not finite (NaN)");
  expect_failure(&r, "target 'voltage' is not a number: \"abc\"");
  assert_true(isnan(r.values[0]) && isnan(r.values[1]));
  invdes_eval_results_free(&r, 1);
}

static void test_reported_failure(void **state) {
  (void)state;
  invdes_eval_result r = run_one("/bin/sh", "failed.sh", NULL, 30);
  expect_failure(&r, "program reported failure: furnace offline");
  assert_int_equal(r.exit_code, 0);
  invdes_eval_results_free(&r, 1);
}

static void test_stderr_truncated(void **state) {
  (void)state;
  invdes_eval_result r = run_one("python3", "noisy.py", "300000", 30);
  assert_true(r.ok);
  assert_true(strlen(r.stderr_text) < 66000);
  assert_true(strncmp(r.stderr_text, "HEAD-MARK\n", 10) == 0);
  assert_non_null(strstr(r.stderr_text, "TAIL-MARK\n"));
  assert_non_null(strstr(r.stderr_text, "bytes of stderr left out, 300000 in all"));
  invdes_eval_results_free(&r, 1);

  r = run_one("python3", "noisy.py", "1000", 30);
  assert_true(r.ok);
  assert_int_equal(strlen(r.stderr_text), 1000);
  invdes_eval_results_free(&r, 1);
}

typedef struct done_log {
  size_t n;
  size_t order[16];
} done_log;

static void on_done(size_t index, const invdes_eval_result *r, void *data) {
  done_log *log = data;
  assert_true(r->ok || r->reason[0]);
  log->order[log->n++] = index;
}

static void test_parallel_overlap(void **state) {
  (void)state;
  enum { N = 8 };
  char *dir = temp_dir();
  const char *argv[] = {"python3", script("overlap.py"), dir, "0.5", NULL};
  done_log log = {0, {0}};
  invdes_command_options opt = {argv, 60, 4, NULL, 0, 0, on_done, &log};
  invdes_eval_request req[N];
  for (int i = 0; i < N; i++)
    req[i] = (invdes_eval_request){100 + i, params, 3};
  invdes_eval_result out[N];
  invdes_error err;
  invdes_error_clear(&err);
  assert_int_equal(invdes_command_run_batch(&opt, targets, 2, req, N, out, &err), INVDES_OK);
  double t0[N], t1[N];
  for (int i = 0; i < N; i++) {
    if (!out[i].ok)
      fail_msg("evaluation %d: %s", i, out[i].reason);
    assert_true(out[i].values[0] == 100 + i); /* each result lands at its own index */
    char file[4200];
    snprintf(file, sizeof file, "%s/%d", dir, 100 + i);
    FILE *f = fopen(file, "r");
    assert_non_null(f);
    assert_int_equal(fscanf(f, "%lf %lf", &t0[i], &t1[i]), 2);
    fclose(f);
  }
  /* The most intervals covering one moment (a moment is some start). */
  int most = 0;
  for (int i = 0; i < N; i++) {
    int c = 0;
    for (int j = 0; j < N; j++)
      c += t0[j] <= t0[i] && t0[i] < t1[j];
    most = c > most ? c : most;
  }
  assert_true(most >= 2);
  assert_true(most <= 4);
  /* Every evaluation was reported once through the callback. */
  assert_int_equal(log.n, N);
  int seen[N] = {0};
  for (size_t k = 0; k < log.n; k++)
    seen[log.order[k]]++;
  for (int i = 0; i < N; i++)
    assert_int_equal(seen[i], 1);
  invdes_eval_results_free(out, N);
  rm_tree(dir);
}

/* A request far bigger than a pipe buffer, sent to a program that never
 * reads it: our write meets EPIPE, not a fatal SIGPIPE. */
static void test_program_not_reading_stdin(void **state) {
  (void)state;
  enum { NP = 20000 };
  invdes_param_value *many = calloc(NP, sizeof *many);
  char (*names)[16] = calloc(NP, sizeof *names);
  assert_non_null(many);
  assert_non_null(names);
  for (int i = 0; i < NP; i++) {
    snprintf(names[i], sizeof names[i], "p%d", i);
    many[i] = (invdes_param_value){names[i], 0, 0.123456789 * i, NULL};
  }
  sigset_t before, after;
  pthread_sigmask(SIG_BLOCK, NULL, &before);
  const char *argv[] = {"/bin/sh", script("noread.sh"), NULL};
  invdes_command_options opt = {argv, 30, 2, NULL, 0, 0, NULL, NULL};
  invdes_eval_request req[4];
  for (int i = 0; i < 4; i++)
    req[i] = (invdes_eval_request){i, many, NP};
  invdes_eval_result out[4];
  assert_int_equal(invdes_command_run_batch(&opt, targets, 2, req, 4, out, NULL), INVDES_OK);
  for (int i = 0; i < 4; i++) {
    if (!out[i].ok)
      fail_msg("evaluation %d: %s", i, out[i].reason);
    assert_true(out[i].values[0] == 7.0 && out[i].values[1] == 8.0);
  }
  pthread_sigmask(SIG_BLOCK, NULL, &after);
  assert_int_equal(sigismember(&before, SIGPIPE), sigismember(&after, SIGPIPE));
  sigset_t pending;
  sigpending(&pending);
  assert_false(sigismember(&pending, SIGPIPE));
  invdes_eval_results_free(out, 4);
  free(many);
  free(names);
}

static void test_huge_output(void **state) {
  (void)state;
  invdes_eval_result r = run_one("/bin/sh", "huge.sh", NULL, 60);
  expect_failure(&r, "output exceeds 1048576 bytes");
  expect_failure(&r, "'{\"capacity\": 1, \"voltage\": 2}\\n");
  assert_false(r.timed_out);
  assert_int_equal(r.stdout_len, 1048576);
  invdes_eval_results_free(&r, 1);

  /* Large but within the limit: read whole. */
  r = run_one("python3", "padded.py", "600000", 60);
  if (!r.ok)
    fail_msg("%s", r.reason);
  assert_true(r.values[0] == 3.25 && r.values[1] == 4.5);
  assert_true(r.stdout_len > 600000);
  invdes_eval_results_free(&r, 1);
}

static void test_stdout_closed_early(void **state) {
  (void)state;
  invdes_eval_result r = run_one("/bin/sh", "answer_then_close.sh", NULL, 30);
  assert_true(r.ok);
  assert_true(r.values[0] == 5.0 && r.values[1] == 6.0);
  invdes_eval_results_free(&r, 1);
}

static void test_program_lookup(void **state) {
  (void)state;
  char *dir = temp_dir();
  char path[4200];
  invdes_error err;
  /* Not found in PATH: nothing runs, the call says why. */
  const char *argv1[] = {"no-such-program-invdes", NULL};
  invdes_command_options opt = {argv1, 5, 1, NULL, 0, 0, NULL, NULL};
  invdes_eval_request req = {1, params, 3};
  invdes_eval_result r;
  invdes_error_clear(&err);
  assert_int_equal(invdes_command_run_batch(&opt, targets, 2, &req, 1, &r, &err),
                   INVDES_ERR_INVALID);
  assert_non_null(strstr(err.message, "no-such-program-invdes"));
  assert_false(r.ok);
  invdes_eval_results_free(&r, 1);
  /* Executable but not a program (no #! line): a failed evaluation. */
  snprintf(path, sizeof path, "%s/plain.txt", dir);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs("just text\n", f);
  fclose(f);
  assert_int_equal(chmod(path, 0755), 0);
  const char *argv2[] = {path, NULL};
  opt.argv = argv2;
  assert_int_equal(invdes_command_run_batch(&opt, targets, 2, &req, 1, &r, &err), INVDES_OK);
  expect_failure(&r, "cannot execute");
  invdes_eval_results_free(&r, 1);
  /* Not executable at all. */
  assert_int_equal(chmod(path, 0644), 0);
  assert_int_equal(invdes_command_resolve(path, path, sizeof path, &err), INVDES_ERR_INVALID);
  assert_int_equal(invdes_command_resolve("sh", path, sizeof path, NULL), INVDES_OK);
  assert_true(path[0] == '/');
  rm_tree(dir);
}

static void test_workdir(void **state) {
  (void)state;
  char *dir = temp_dir();
  const char *argv[] = {"/bin/sh", script("cwd.sh"), NULL};
  invdes_command_options opt = {argv, 30, 1, dir, 0, 0, NULL, NULL};
  invdes_eval_request req = {1, params, 3};
  invdes_eval_result r;
  assert_int_equal(invdes_command_run_batch(&opt, targets, 2, &req, 1, &r, NULL), INVDES_OK);
  assert_true(r.ok);
  json_t *o = json_loads(r.stdout_text, 0, NULL);
  assert_non_null(o);
  /* The same directory, whatever symbolic links its name went through. */
  struct stat want, got;
  assert_int_equal(stat(dir, &want), 0);
  assert_int_equal(stat(json_string_value(json_object_get(o, "cwd")), &got), 0);
  assert_true(want.st_dev == got.st_dev && want.st_ino == got.st_ino);
  json_decref(o);
  invdes_eval_results_free(&r, 1);
  rm_tree(dir);
}

/* The decoder alone, for spellings the scripts do not produce. */
static void test_decode_cases(void **state) {
  (void)state;
  double v[2];
  char reason[512];
#define DECODE(s) invdes_command_decode_output(s, strlen(s), targets, 2, v, reason, sizeof reason)
  assert_int_equal(DECODE("{\"capacity\": 1e3, \"voltage\": -2, \"x\": [1]}"), 1);
  assert_true(v[0] == 1000.0 && v[1] == -2.0);
  assert_int_equal(DECODE("{\"capacity\": -Infinity, \"voltage\": inf}"), 0);
  assert_non_null(strstr(reason, "'capacity' is not finite (-Infinity)"));
  assert_non_null(strstr(reason, "'voltage' is not finite (inf)"));
  assert_int_equal(DECODE("{\"capacity\": \"NaN\", \"voltage\": null}"), 0);
  assert_non_null(strstr(reason, "'capacity' is not a number: \"NaN\""));
  assert_non_null(strstr(reason, "'voltage' is not a number: null"));
  assert_int_equal(DECODE("{}"), 0);
  assert_string_equal(reason, "missing target 'capacity', 'voltage'");
  assert_int_equal(DECODE("{\"capacity\": 1, \"capacity\": 2, \"voltage\": 3}"), 0);
  assert_non_null(strstr(reason, "not JSON"));
  assert_int_equal(DECODE("{\"failed\": {\"code\": 4}}"), 0);
  assert_string_equal(reason, "program reported failure: {\"code\":4}");
  assert_int_equal(DECODE("  \n"), 0);
  assert_string_equal(reason, "no output on stdout");
  /* A long garbage output is quoted in part, control bytes escaped. */
  char junk[600];
  memset(junk, 'z', sizeof junk - 1);
  junk[sizeof junk - 1] = '\0';
  junk[0] = '\x01';
  assert_int_equal(DECODE(junk), 0);
  assert_non_null(strstr(reason, "'\\x01zzz"));
  assert_non_null(strstr(reason, "z...'"));
#undef DECODE
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_request_encoding),
      cmocka_unit_test(test_decode_cases),
      cmocka_unit_test(test_good_evaluator),
      cmocka_unit_test(test_crash_exit_code),
      cmocka_unit_test(test_killed_by_signal),
      cmocka_unit_test(test_timeout_kills_group),
      cmocka_unit_test(test_background_child_does_not_block),
      cmocka_unit_test(test_bad_output),
      cmocka_unit_test(test_missing_target),
      cmocka_unit_test(test_nonfinite_and_non_numeric),
      cmocka_unit_test(test_reported_failure),
      cmocka_unit_test(test_stderr_truncated),
      cmocka_unit_test(test_parallel_overlap),
      cmocka_unit_test(test_program_not_reading_stdin),
      cmocka_unit_test(test_huge_output),
      cmocka_unit_test(test_stdout_closed_early),
      cmocka_unit_test(test_program_lookup),
      cmocka_unit_test(test_workdir),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
