/* test_resume.c — the exact-resume acceptance test of issue 3.
 *
 * A 200-evaluation campaign whose command evaluator appends each request
 * (id and parameters) to a log is run by `invdes run` and killed with SIGKILL
 * at 100 random moments (seeded: a fifth during start-up, the rest within an
 * evaluation's time after the next evaluation started, so the kills spread
 * over the campaign whatever the machine's load), resumed after each kill,
 * and finally run to the end.
 * Then: exactly 200 results, one per proposal; no recorded result evaluated
 * again (a proposal is called at most once more than the number of kills
 * after which it was still in flight, and all extra calls together are at
 * most the number of kills times the evaluations in flight at once); and the proposals (ids, batches, iterations,
 * parameters, z bit for bit) equal those of an uninterrupted run with the
 * same seed. For every strategy (random, sobol, lhs, bo, pso, ga, and pso
 * and ga surrogate-assisted), with batch 1 and with batch 4 run by 2
 * parallel evaluators. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "campaign.h"
#include "rng.h"
#include "store.h"
#include "strategy.h"

#define BUDGET 200
#define KILLS 100

static char dir[256];

static const char *invdes_bin(void) {
  const char *p = getenv("INVDES");
  return p && *p ? p : "./invdes";
}

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  assert_int_equal(fclose(f), 0);
}

/* The evaluator: logs the request, sleeps a little (so kills land in
 * evaluations), answers a value derived from the id (deterministic). */
static const char evaluator[] =
    "IFS= read -r req || [ -n \"$req\" ] || exit 3\n"
    "printf '%s\\n' \"$req\" >> \"$1\"\n"
    "sleep 0.005\n"
    "id=${req#*\\\"id\\\":}\n"
    "id=${id%%,*}\n"
    "id=${id# }\n"
    "printf '{\"y\": %d.%03d}\\n' $(( (id * 7919) % 1000 )) $(( (id * 104729) % 1000 ))\n";

/* keys: more keys of the strategy mapping (", grid: {levels: 9}"), or "". */
static void write_campaign(const char *path, const char *kind, const char *keys, int batch,
                           int parallel, const char *log) {
  char text[2048];
  snprintf(text, sizeof text,
           "name: resume-%s-%d\n"
           "seed: 11\n"
           "parameters:\n"
           "  - {name: a, type: continuous, bounds: [0, 1]}\n"
           "  - {name: b, type: integer, bounds: [1, 50]}\n"
           "  - {name: c, type: categorical, values: [red, green, blue]}\n"
           "targets:\n"
           "  - {name: y, goal: minimize}\n"
           "objective: {kind: command, command: [sh, %s/eval.sh, %s], parallel: %d}\n"
           "strategy: {kind: %s%s, batch: %d}\n"
           "budget: {evaluations: %d}\n",
           kind, batch, dir, log, parallel, kind, keys, batch, BUDGET);
  write_file(path, text);
}

static pid_t start_run(const char *campaign, const char *db) {
  /* stdout is dropped; stderr goes to dir/run.err (truncated per run) so a
   * run that fails says why (run_failed). */
  char errpath[300];
  snprintf(errpath, sizeof errpath, "%s/run.err", dir);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    int null = open("/dev/null", O_WRONLY);
    int errfd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (null >= 0) dup2(null, 1);
    if (errfd >= 0) dup2(errfd, 2);
    execl(invdes_bin(), invdes_bin(), "run", "--quiet", "--db", db, campaign, (char *)NULL);
    _exit(127);
  }
  return pid;
}

/* Prints what the last run wrote on stderr; returns code (for asserts). */
static int run_failed(int code) {
  if (code == 0) return 0;
  char path[300], line[512];
  snprintf(path, sizeof path, "%s/run.err", dir);
  FILE *f = fopen(path, "r");
  fprintf(stderr, "invdes run exited %d; its stderr:\n", code);
  while (f && fgets(line, sizeof line, f)) fprintf(stderr, "  %s", line);
  if (f) fclose(f);
  return code;
}

static int run_to_end(const char *campaign, const char *db) {
  int status;
  pid_t pid = start_run(campaign, db);
  while (waitpid(pid, &status, 0) < 0) assert_int_equal(errno, EINTR);
  return run_failed(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}

static invdes_store_rows *read_rows(const char *db) {
  invdes_error err;
  invdes_error_clear(&err);
  invdes_store *s = invdes_store_open(db, &err);
  if (!s) fail_msg("%s", err.message);
  invdes_store_rows *rows = NULL;
  if (invdes_store_list(s, INVDES_PROPOSAL_ANY, 0, &rows, &err) != INVDES_OK)
    fail_msg("%s", err.message);
  invdes_store_close(s);
  return rows;
}

/* The proposals, or NULL while the file is not (yet) a campaign database. */
static invdes_store_rows *try_rows(const char *db) {
  invdes_store *s = invdes_store_open(db, NULL);
  if (!s) return NULL;
  invdes_store_rows *rows = NULL;
  invdes_error err;
  invdes_error_clear(&err);
  if (invdes_store_list(s, INVDES_PROPOSAL_ANY, 0, &rows, &err) != INVDES_OK)
    fail_msg("%s", err.message);
  invdes_store_close(s);
  return rows;
}

/* calls[id] += 1 for each request in the log (ids up to max_id). */
static void count_calls(const char *log, int *calls, int max_id) {
  FILE *f = fopen(log, "r");
  assert_non_null(f);
  char line[4096];
  while (fgets(line, sizeof line, f)) {
    const char *p = strstr(line, "\"id\":");
    assert_non_null(p);
    long id = strtol(p + 5, NULL, 10);
    assert_true(id >= 1 && id <= max_id);
    calls[id]++;
  }
  fclose(f);
}

static off_t file_size(const char *path) {
  struct stat sb;
  return stat(path, &sb) == 0 ? sb.st_size : 0;
}

static void sleep_s(double s) {
  struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
  while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
  }
}

/* Starts the run of yaml into db and kills it at a seeded random moment: in
 * a fifth of the cases during start-up (opening, checking, syncing, the first
 * ask), otherwise after the next evaluation has started (its line in log), up
 * to per_eval seconds later, so every window makes progress whatever the
 * machine's load. Returns 1 when the run finished by itself first (exit 0),
 * else 0. */
static int kill_once(const char *yaml, const char *db, const char *log, gsl_rng *r,
                     double per_eval) {
  pid_t pid = start_run(yaml, db);
  int status, gone = 0;
  if (gsl_rng_uniform(r) < 0.2) {
    sleep_s(gsl_rng_uniform(r) * 0.03);
  } else {
    off_t base = file_size(log);
    for (int w = 0; w < 20000 && file_size(log) == base; w++) {
      if (waitpid(pid, &status, WNOHANG) == pid) {
        gone = 1;
        break;
      }
      sleep_s(0.0005);
    }
    if (!gone) sleep_s(gsl_rng_uniform(r) * per_eval);
  }
  if (!gone) {
    kill(pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0) assert_int_equal(errno, EINTR);
  }
  if (!WIFEXITED(status)) return 0;
  assert_int_equal(run_failed(WEXITSTATUS(status)), 0);
  return 1;
}

/* Up to KILLS killed runs (seeded by seed) until one finishes by itself
 * (*finished). After each kill, every pending proposal counts one in
 * inflight[id], and *mid counts the kills that left any pending. Returns the
 * number of kills. */
static int kill_runs(const char *yaml, const char *db, const char *log, uint64_t seed,
                     double per_eval, int *inflight, int *mid, int *finished) {
  gsl_rng *r = invdes_rng_new(seed, 0);
  assert_non_null(r);
  int kills = 0;
  for (int k = 0; k < KILLS && !*finished; k++) {
    if (kill_once(yaml, db, log, r, per_eval)) {
      *finished = 1;
      break;
    }
    kills++;
    invdes_store_rows *rows = try_rows(db);
    if (!rows) continue; /* killed before the database was made */
    int any = 0;
    for (size_t i = 0; i < rows->n; i++)
      if (rows->items[i].status == INVDES_PROPOSAL_PENDING) {
        assert_true(rows->items[i].id <= BUDGET * 4);
        inflight[rows->items[i].id]++;
        any = 1;
      }
    *mid += any;
    invdes_store_rows_free(rows);
  }
  gsl_rng_free(r);
  return kills;
}

/* The resumed run proposed exactly what the uninterrupted one did. */
static void assert_same_proposals(const invdes_store_rows *ref, const invdes_store_rows *got) {
  for (size_t i = 0; i < BUDGET; i++) {
    const invdes_store_proposal *a = &ref->items[i], *b = &got->items[i];
    assert_int_equal(a->id, b->id);
    assert_int_equal(a->batch, b->batch);
    assert_int_equal(a->iteration, b->iteration);
    assert_string_equal(a->parameters, b->parameters);
    assert_int_equal(a->dim, b->dim);
    assert_memory_equal(a->z, b->z, a->dim * sizeof(double));
    assert_true(a->value[0] == b->value[0]);
  }
}

static void exact_resume(const char *kind, const char *keys, int batch, int parallel,
                         uint64_t seed) {
  char ref_yaml[512], ref_db[512], ref_log[512], yaml[512], db[512], log[512];
  /* a kind listed twice (plain and with more keys) gets files of its own */
  const char *tag = *keys ? "-k" : "";
  snprintf(ref_yaml, sizeof ref_yaml, "%s/ref-%s%s-%d.yaml", dir, kind, tag, batch);
  snprintf(ref_db, sizeof ref_db, "%s/ref-%s%s-%d.db", dir, kind, tag, batch);
  snprintf(ref_log, sizeof ref_log, "%s/ref-%s%s-%d.log", dir, kind, tag, batch);
  snprintf(yaml, sizeof yaml, "%s/kill-%s%s-%d.yaml", dir, kind, tag, batch);
  snprintf(db, sizeof db, "%s/kill-%s%s-%d.db", dir, kind, tag, batch);
  snprintf(log, sizeof log, "%s/kill-%s%s-%d.log", dir, kind, tag, batch);
  write_campaign(ref_yaml, kind, keys, batch, parallel, ref_log);
  write_campaign(yaml, kind, keys, batch, parallel, log);

  /* The uninterrupted run, timed to place the kills within a run's span. */
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  assert_int_equal(run_to_end(ref_yaml, ref_db), 0);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double span = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
  invdes_store_rows *ref = read_rows(ref_db);
  assert_int_equal(ref->n, BUDGET);

  /* Kills at seeded random moments spread over the whole campaign. */
  int *inflight = calloc(BUDGET * 4 + 2, sizeof *inflight);
  int *calls = calloc(BUDGET * 4 + 2, sizeof *calls);
  assert_non_null(inflight);
  assert_non_null(calls);
  int mid = 0, finished = 0;
  int kills = kill_runs(yaml, db, log, seed, span / BUDGET, inflight, &mid, &finished);
  if (!finished) assert_int_equal(run_to_end(yaml, db), 0);
  sleep_s(0.05); /* an evaluator orphaned by the last kill may still append */

  /* Exactly BUDGET results, one per proposal, none pending. */
  invdes_store_rows *got = read_rows(db);
  assert_int_equal(got->n, BUDGET);
  for (size_t i = 0; i < got->n; i++) assert_int_equal(got->items[i].status, INVDES_PROPOSAL_DONE);
  assert_same_proposals(ref, got);
  /* No recorded result evaluated again. */
  count_calls(log, calls, BUDGET);
  int extra = 0;
  for (int id = 1; id <= BUDGET; id++) {
    assert_true(calls[id] >= 1);
    if (calls[id] - 1 > inflight[id])
      fail_msg("%s batch %d: proposal %d evaluated %d times, in flight at %d kills", kind, batch,
               id, calls[id], inflight[id]);
    extra += calls[id] - 1;
  }
  assert_true(extra <= kills * parallel); /* parallel evaluations are in flight at once */
  print_message("exact resume, %s batch %d parallel %d: %d kills (%d with evaluations in "
                "flight), %d evaluations repeated, reference run %.2f s\n",
                kind, batch, parallel, kills, mid, extra, span);
  assert_true(kills > 0);
  invdes_store_rows_free(got);
  invdes_store_rows_free(ref);
  free(inflight);
  free(calls);
}

/* This file builds three test programs so that `make -j2 check` runs them
 * side by side: test_resume_designs (RESUME_MODELS 0: the design strategies
 * and the grouped builtin test), test_resume_models (RESUME_MODELS 1: pso and
 * ga, plain and surrogate-assisted) and test_resume_bo (RESUME_MODELS 2: bo,
 * the slowest to ask, alone). A strategy that joins later goes in the
 * second. */
/* The strategies under test, with the keys a kind needs here (a grid large
 * enough for the budget). */
typedef struct resume_kind {
  const char *name, *keys;
} resume_kind;
#if RESUME_MODELS == 2
static const resume_kind kinds[] = {{"bo", ""}};
#elif RESUME_MODELS
static const resume_kind kinds[] = {{"pso", ""}, {"ga", ""},
                                    {"pso", ", pso: {surrogate: rf}"},
                                    {"ga", ", ga: {surrogate: knn}"}};
#else
static const resume_kind kinds[] = {
    {"random", ""}, {"sobol", ""}, {"lhs", ""}, {"grid", ", grid: {levels: 9}"}};
#endif

static void for_every_strategy(int batch, int parallel) {
  int tested = 0;
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
    assert_true(invdes_strategy_available(invdes_strategy_kind_find(kinds[i].name)));
    exact_resume(kinds[i].name, kinds[i].keys, batch, parallel, 1000 + i + 10 * batch);
    tested++;
  }
  assert_true(tested >= 1 && (size_t)tested == sizeof kinds / sizeof kinds[0]);
}

static void test_exact_resume_batch1(void **state) { for_every_strategy(1, 1); }
static void test_exact_resume_batch4_parallel2(void **state) { for_every_strategy(4, 2); }

#if !RESUME_MODELS
/* The grouped transactions of in-process evaluators: a builtin campaign
 * killed 20 times ends with the proposals and the (noisy) values of an
 * uninterrupted run. */
static void test_exact_resume_builtin_grouped(void **state) {
  static const char fmt[] =
      "name: grouped-%s\nseed: 4\n"
      "parameters:\n  - {name: x1, type: continuous, bounds: [-5, 10]}\n"
      "  - {name: x2, type: continuous, bounds: [0, 15]}\n"
      "targets:\n  - {name: f, goal: minimize}\n"
      "objective: {kind: builtin, name: branin, noise: 0.5}\n"
      "strategy: {kind: %s, batch: %d}\n"
      "budget: {evaluations: 4000}\n";
  static const char *const kinds2[] = {"random", "sobol"};
  for (int k = 0; k < 2; k++) {
    char yaml[512], ref_db[512], db[512], text[1024];
    snprintf(yaml, sizeof yaml, "%s/grouped-%s.yaml", dir, kinds2[k]);
    snprintf(ref_db, sizeof ref_db, "%s/grouped-ref-%s.db", dir, kinds2[k]);
    snprintf(db, sizeof db, "%s/grouped-kill-%s.db", dir, kinds2[k]);
    snprintf(text, sizeof text, fmt, kinds2[k], kinds2[k], k + 1);
    write_file(yaml, text);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(run_to_end(yaml, ref_db), 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double span = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    gsl_rng *r = invdes_rng_new(77, (uint64_t)k);
    int kills = 0;
    for (int i = 0; i < 20; i++) {
      pid_t pid = start_run(yaml, db);
      sleep_s(0.01 + gsl_rng_uniform(r) * span / 10);
      kill(pid, SIGKILL);
      int status;
      while (waitpid(pid, &status, 0) < 0) assert_int_equal(errno, EINTR);
      if (WIFEXITED(status)) break;
      kills++;
    }
    gsl_rng_free(r);
    assert_int_equal(run_to_end(yaml, db), 0);
    invdes_store_rows *ref = read_rows(ref_db), *got = read_rows(db);
    assert_int_equal(ref->n, 4000);
    assert_int_equal(got->n, 4000);
    for (size_t i = 0; i < ref->n; i++) {
      assert_int_equal(ref->items[i].id, got->items[i].id);
      assert_int_equal(ref->items[i].iteration, got->items[i].iteration);
      assert_string_equal(ref->items[i].parameters, got->items[i].parameters);
      assert_int_equal(got->items[i].status, INVDES_PROPOSAL_DONE);
      assert_true(ref->items[i].value[0] == got->items[i].value[0]);
    }
    print_message("grouped builtin, %s batch %d: %d kills, same 4000 proposals and values\n",
                  kinds2[k], k + 1, kills);
    invdes_store_rows_free(ref);
    invdes_store_rows_free(got);
  }
}
#endif

static int setup(void **state) {
  snprintf(dir, sizeof dir, "%s/invdes-resume-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  if (!mkdtemp(dir)) return -1;
  char path[512];
  snprintf(path, sizeof path, "%s/eval.sh", dir);
  FILE *f = fopen(path, "w");
  if (!f) return -1;
  fputs(evaluator, f);
  return fclose(f);
}

static int teardown(void **state) {
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  return system(cmd) == 0 ? 0 : -1;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_exact_resume_batch1),
      cmocka_unit_test(test_exact_resume_batch4_parallel2),
#if !RESUME_MODELS
      cmocka_unit_test(test_exact_resume_builtin_grouped),
#endif
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
