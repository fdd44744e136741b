/* test_slurm.c — the slurm kind without a cluster: reading what Slurm 22.05
 * printed (outputs captured from the one-node cluster of tests/slurm_lib.sh,
 * kept as text files in tests/slurm/), the map from job states to what the evaluator
 * does, the campaign keys and their errors, the task folder's files and the
 * wrapper script run by sh as slurmd would. tests/slurm.sh runs the kind on
 * the real cluster. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "campaign.h"
#include "file.h"
#include "objective.h"
#include "slurm.h"

static char *fixture(const char *name) {
  const char *dir = getenv("top_srcdir");
  char path[1024];
  snprintf(path, sizeof path, "%s/tests/slurm/%s", dir && *dir ? dir : ".", name);
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  char *buf = calloc(1 << 16, 1);
  assert_non_null(buf);
  size_t n = fread(buf, 1, (1 << 16) - 1, f);
  buf[n] = '\0';
  fclose(f);
  return buf;
}

static const slurm_task_state *find(const slurm_task_state *s, size_t n, int task) {
  for (size_t i = 0; i < n; i++)
    if (s[i].task == task) return &s[i];
  return NULL;
}

static void test_verdicts(void **state) {
  (void)state;
  const char *wait[] = {"PENDING", "RUNNING", "COMPLETING", "CONFIGURING", "REQUEUED",
                        "SUSPENDED"};
  for (size_t i = 0; i < sizeof wait / sizeof *wait; i++)
    assert_int_equal(invdes_slurm_verdict(wait[i]), SLURM_WAIT);
  assert_int_equal(invdes_slurm_verdict("COMPLETED"), SLURM_ENDED);
  assert_int_equal(invdes_slurm_verdict("FAILED"), SLURM_ENDED);
  const char *lost[] = {"NODE_FAIL", "PREEMPTED", "BOOT_FAIL", "CANCELLED",
                        "CANCELLED by 0"};
  for (size_t i = 0; i < sizeof lost / sizeof *lost; i++)
    assert_int_equal(invdes_slurm_verdict(lost[i]), SLURM_LOST);
  /* the task's own failures are never retried, nor what we do not know */
  assert_int_equal(invdes_slurm_verdict("TIMEOUT"), SLURM_FATAL);
  assert_int_equal(invdes_slurm_verdict("OUT_OF_MEMORY"), SLURM_FATAL);
  assert_int_equal(invdes_slurm_verdict("DEADLINE"), SLURM_FATAL);
  assert_int_equal(invdes_slurm_verdict("PENDINGX"), SLURM_FATAL);
  assert_int_equal(invdes_slurm_verdict(""), SLURM_FATAL);
}

static void test_scontrol(void **state) {
  (void)state;
  slurm_task_state s[16];
  /* a whole array pending: one record for 0-5%2 */
  char *t = fixture("scontrol_pending.txt");
  size_t n = invdes_slurm_parse_scontrol(t, "32", s, 16);
  assert_int_equal(n, 6);
  for (int k = 0; k < 6; k++) {
    assert_non_null(find(s, n, k));
    assert_string_equal(find(s, n, k)->state, "PENDING");
  }
  assert_int_equal(invdes_slurm_parse_scontrol(t, "3", s, 16), 0); /* another job's id */
  assert_int_equal(invdes_slurm_parse_scontrol(t, "32", s, 4), 4); /* room for 4 */
  free(t);
  /* one done, one running, task 3 cancelled while pending (gone), 2,4-5 pending */
  t = fixture("scontrol_mixed.txt");
  n = invdes_slurm_parse_scontrol(t, "32", s, 16);
  assert_int_equal(n, 5);
  assert_string_equal(find(s, n, 0)->state, "COMPLETED");
  assert_int_equal(find(s, n, 0)->exit_code, 0);
  assert_string_equal(find(s, n, 1)->state, "RUNNING");
  assert_string_equal(find(s, n, 2)->state, "PENDING");
  assert_string_equal(find(s, n, 2)->reason, "Resources");
  assert_null(find(s, n, 3));
  assert_non_null(find(s, n, 5));
  free(t);
  /* a failed task's exit code; garbage lines are skipped */
  const char *f = "JobId=9 ArrayJobId=8 ArrayTaskId=1 JobState=FAILED Reason=NonZeroExitCode "
                  "ExitCode=7:0\nnot a record\nJobId=10 ArrayJobId=8 ArrayTaskId=2 "
                  "JobState=TIMEOUT Reason=TimeLimit ExitCode=0:15\n";
  n = invdes_slurm_parse_scontrol(f, "8", s, 16);
  assert_int_equal(n, 2);
  assert_int_equal(find(s, n, 1)->exit_code, 7);
  assert_int_equal(find(s, n, 2)->exit_signal, 15);
  assert_int_equal(invdes_slurm_parse_scontrol("", "8", s, 16), 0);
}

static void test_squeue_sacct(void **state) {
  (void)state;
  slurm_task_state s[16];
  char *t = fixture("squeue_mixed.txt");
  size_t n = invdes_slurm_parse_squeue(t, "32", s, 16);
  assert_int_equal(n, 5);
  assert_string_equal(find(s, n, 0)->state, "COMPLETED");
  assert_string_equal(find(s, n, 1)->state, "RUNNING");
  assert_string_equal(find(s, n, 4)->reason, "Resources");
  free(t);
  t = fixture("squeue_node_fail.txt");
  n = invdes_slurm_parse_squeue(t, "5", s, 16);
  assert_int_equal(n, 2);
  assert_int_equal(invdes_slurm_verdict(find(s, n, 0)->state), SLURM_LOST);
  assert_int_equal(invdes_slurm_verdict(find(s, n, 1)->state), SLURM_ENDED);
  /* "1_2" is not job "12"'s; job 1 has tasks 0-3 */
  assert_int_equal(invdes_slurm_parse_squeue(t, "12", s, 16), 0);
  assert_int_equal(invdes_slurm_parse_squeue(t, "1", s, 16), 4);
  free(t);
  /* sacct -P: "ID_TASK|STATE", pending ranges in brackets */
  n = invdes_slurm_parse_squeue("77_0|CANCELLED by 0\n77_[1-3%2]|PENDING\n", "77", s, 16);
  assert_int_equal(n, 4);
  assert_string_equal(find(s, n, 0)->state, "CANCELLED");
  assert_string_equal(find(s, n, 3)->state, "PENDING");
}

static void test_ids(void **state) {
  (void)state;
  char id[32];
  assert_true(invdes_slurm_parse_sbatch("35\n", id, sizeof id));
  assert_string_equal(id, "35");
  assert_true(invdes_slurm_parse_sbatch("1234;cluster\n", id, sizeof id));
  assert_string_equal(id, "1234");
  assert_false(invdes_slurm_parse_sbatch("sbatch: error: Batch job submission failed\n", id,
                                         sizeof id));
  assert_false(invdes_slurm_parse_sbatch("12x\n", id, sizeof id));
  assert_false(invdes_slurm_parse_sbatch("", id, sizeof id));
  assert_false(invdes_slurm_parse_sbatch("123456", id, 4)); /* no room */
  assert_true(invdes_slurm_parse_first_id("\n41\n41\n", id, sizeof id));
  assert_string_equal(id, "41");
  assert_false(invdes_slurm_parse_first_id("", id, sizeof id));
}

/* A campaign whose objective section is `objective`, in folder dir. */
static invdes_campaign *parse(const char *dir, const char *objective, invdes_error *err) {
  char text[2048], path[1024];
  snprintf(text, sizeof text,
           "name: s\nparameters:\n  - {name: x, type: continuous, bounds: [0, 1]}\n"
           "targets: [{name: y, goal: minimize}]\nobjective: %s\nbudget: {evaluations: 4}\n",
           objective);
  snprintf(path, sizeof path, "%s/c.yaml", dir);
  return invdes_campaign_parse(path, text, strlen(text), err);
}

static void refused(const char *dir, const char *objective, const char *message) {
  invdes_error err;
  invdes_campaign *c = parse(dir, objective, &err);
  if (c) fail_msg("accepted: %s", objective);
  if (!strstr(err.message, message)) fail_msg("%s\nwanted: %s", err.message, message);
}

static void test_keys(void **state) {
  (void)state;
  char dir[] = "/tmp/test_slurm_XXXXXX", script[1100], text[1200];
  assert_non_null(mkdtemp(dir));
  snprintf(script, sizeof script, "%s/run.sh", dir);
  FILE *f = fopen(script, "w");
  fputs("#!/bin/sh\necho '{\"y\": 1}' >result.json\n", f);
  fclose(f);
  invdes_error err;
  invdes_campaign *c = parse(dir, "{kind: slurm, script: run.sh}", &err);
  assert_null(c); /* not executable yet */
  if (!strstr(err.message, "c.yaml:5:34: script 'run.sh' is not an executable"))
    fail_msg("%s", err.message);
  assert_int_equal(chmod(script, 0755), 0);
  c = parse(dir, "{kind: slurm, script: run.sh}", &err);
  assert_non_null(c);
  assert_string_equal(invdes_objective_text(&c->objective, "script"), script);
  snprintf(text, sizeof text, "%s/s.slurm", dir);
  assert_string_equal(invdes_objective_text(&c->objective, "workdir"), text);
  assert_true(invdes_objective_number(&c->objective, "poll") == 5);
  assert_true(invdes_objective_number(&c->objective, "retries") == 2);
  assert_true(invdes_objective_number(&c->objective, "array_max") == 0);
  invdes_campaign_free(c);
  c = parse(dir, "{kind: slurm, script: run.sh, workdir: w, array_max: 2, poll: 0.5, "
                 "retries: 0, sbatch_args: [--partition=debug, --time=5]}", &err);
  assert_non_null(c);
  size_t n = 0;
  char *const *args = invdes_objective_texts(&c->objective, "sbatch_args", &n);
  assert_int_equal(n, 2);
  assert_string_equal(args[1], "--time=5");
  invdes_campaign_free(c);
  refused(dir, "{kind: slurm}", "c.yaml:5:1: a slurm objective needs 'script'");
  refused(dir, "{kind: slurm, script: run.sh, array_max: 0}",
          "c.yaml:5:53: 'array_max' must be a whole number from 1 to 100000, not 0");
  refused(dir, "{kind: slurm, script: run.sh, poll: 0}", "c.yaml:5:48: 'poll' is in seconds");
  refused(dir, "{kind: slurm, script: run.sh, retries: -1}", "'retries' must be a whole number");
  refused(dir, "{kind: slurm, script: run.sh, sbatch_args: --time=5}",
          "c.yaml:5:55: 'sbatch_args' must be a list");
  refused(dir, "{kind: slurm, script: run.sh, sbatch_args: [debug]}",
          "c.yaml:5:56: 'sbatch_args' are sbatch options such as --partition=debug");
  refused(dir, "{kind: slurm, script: run.sh, sbatch_args: [--time=5, --array=0-3]}",
          "c.yaml:5:66: '--array=0-3' is set by invdes itself");
  refused(dir, "{kind: slurm, script: run.sh, sbatch_args: [-J, x]}", "'-J' is set by invdes");
  refused(dir, "{kind: slurm, script: run.sh, workdir: run.sh}",
          "c.yaml:5:51: workdir '");
  refused(dir, "{kind: slurm, script: run.sh, timeout: 3}",
          "'timeout' does not apply to objective kind 'slurm'");
  unlink(script);
  rmdir(dir);
}

/* The wrapper, run by sh as slurmd would (SLURM_ARRAY_TASK_ID set), and
 * the files the evaluator reads back. */
static void test_task_files(void **state) {
  (void)state;
  char dir[] = "/tmp/test_slurm_XXXXXX", script[1100], cmd[4600], id[32];
  assert_non_null(mkdtemp(dir));
  snprintf(script, sizeof script, "%s/it's.sh", dir); /* a quote in the path */
  FILE *f = fopen(script, "w");
  fputs("#!/bin/sh\ncat params.json >result.json\necho oops >&2\nexit 3\n", f);
  fclose(f);
  assert_int_equal(chmod(script, 0755), 0);
  invdes_error err;
  const int64_t ids[] = {41, 42};
  assert_int_equal(invdes_slurm_task_prepare(dir, 42, "{\"id\": 42}\n", 11, &err), INVDES_OK);
  char *wrapper = NULL;
  assert_int_equal(invdes_slurm_write_wrapper(dir, "tagA", script, ids, 2, &wrapper, &err),
                   INVDES_OK);
  int status = -1;
  assert_false(invdes_slurm_task_exit(dir, 42, "tagA", &status));
  snprintf(cmd, sizeof cmd, "SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_JOB_ID=77 sh '%s'", wrapper);
  assert_int_equal(WEXITSTATUS(system(cmd)), 3);
  assert_true(invdes_slurm_task_exit(dir, 42, "tagA", &status));
  assert_int_equal(status, 3);
  assert_false(invdes_slurm_task_exit(dir, 42, "tagB", &status)); /* another attempt's */
  assert_true(invdes_slurm_task_job(dir, 42, "tagA", id, sizeof id));
  assert_string_equal(id, "77");
  char path[1200];
  size_t len = 0;
  snprintf(path, sizeof path, "%s/42/result.json", dir);
  char *res = invdes_slurm_file_tail(path, 100, &len);
  assert_string_equal(res, "{\"id\": 42}\n");
  free(res);
  snprintf(path, sizeof path, "%s/42/stderr", dir);
  res = invdes_slurm_file_tail(path, 3, &len);
  assert_string_equal(res, "ps\n"); /* the tail */
  free(res);
  /* signalled as scancel does: no exit status, so Slurm's state decides */
  f = fopen(script, "w");
  fputs("#!/bin/sh\nsleep 2\n", f);
  fclose(f);
  assert_int_equal(invdes_slurm_task_prepare(dir, 41, "{}", 2, &err), INVDES_OK);
  snprintf(cmd, sizeof cmd,
           "SLURM_ARRAY_TASK_ID=0 SLURM_ARRAY_JOB_ID=78 sh '%s' & sleep 0.3; kill -TERM $!; "
           "wait $!",
           wrapper);
  assert_int_equal(WEXITSTATUS(system(cmd)), 143);
  assert_false(invdes_slurm_task_exit(dir, 41, "tagA", &status));
  assert_true(invdes_slurm_task_job(dir, 41, "tagA", id, sizeof id));
  /* a task index past the list fails before touching anything */
  snprintf(cmd, sizeof cmd, "SLURM_ARRAY_TASK_ID=2 sh '%s' 2>/dev/null", wrapper);
  assert_int_equal(WEXITSTATUS(system(cmd)), 97);
  /* a new attempt removes what the last one left */
  assert_int_equal(invdes_slurm_task_prepare(dir, 42, "{}", 2, &err), INVDES_OK);
  assert_false(invdes_slurm_task_exit(dir, 42, "tagA", &status));
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  assert_int_equal(system(cmd), 0);
  free(wrapper);
}

static void test_exec(void **state) {
  (void)state;
  slurm_output o;
  invdes_error err;
  const char *ok[] = {"sh", "-c", "echo out; echo err >&2; exit 4", NULL};
  assert_int_equal(invdes_slurm_exec(ok, 10, &o, &err), INVDES_OK);
  assert_string_equal(o.out, "out\n");
  assert_string_equal(o.err, "err\n");
  assert_int_equal(o.status, 4);
  invdes_slurm_output_free(&o);
  const char *slow[] = {"sleep", "5", NULL};
  assert_int_equal(invdes_slurm_exec(slow, 0.2, &o, &err), INVDES_OK);
  assert_int_equal(o.status, -1); /* killed at the time-out */
  invdes_slurm_output_free(&o);
  const char *none[] = {"no-such-program-here", NULL};
  assert_int_equal(invdes_slurm_exec(none, 10, &o, &err), INVDES_ERR_IO);
  assert_non_null(strstr(err.message, "no-such-program-here"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_verdicts), cmocka_unit_test(test_scontrol),
      cmocka_unit_test(test_squeue_sacct), cmocka_unit_test(test_ids),
      cmocka_unit_test(test_keys), cmocka_unit_test(test_task_files),
      cmocka_unit_test(test_exec),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
