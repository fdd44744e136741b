/* cmd_run.c — `invdes run CAMPAIGN [--db FILE] [--quiet]`: proposes,
 * evaluates and records until the campaign's budget is spent; on an existing
 * database it resumes. Progress goes to stderr, one line per batch (at most
 * about five a second; the last line always). SIGINT and SIGTERM stop the run
 * after what is in flight has finished and is recorded; the exit status is
 * then 128 + the signal (130, 143). A second signal ends the process at once;
 * proposals then in flight stay pending and are evaluated first by the next
 * run. A slurm campaign stops at once and leaves its jobs with Slurm (said
 * on stderr): the next run reattaches to them, `invdes cancel` cancels. */
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli_best.h"
#include "cli_options.h"
#include "commands.h"
#include "driver.h"

static const char run_usage[] =
    "usage: invdes run CAMPAIGN.yaml [--db FILE] [--quiet]\n\n"
    "Proposes, evaluates and records experiments until the budget is spent (or\n"
    "a result passes budget.stop_when).\n"
    "Run again on the same database, it resumes where it stopped: proposals in\n"
    "flight when it was stopped are evaluated first, nothing recorded is redone.\n"
    "A changed campaign file is refused (only description, budget and a command's\n"
    "timeout and parallel may change). One run works on a database at a time:\n"
    "a second run on it exits 1 at once (retry when the first has ended);\n"
    "stations may ask and tell meanwhile.\n\n"
    "  -d, --db FILE the campaign database (default: NAME.db beside the campaign)\n"
    "  -q, --quiet   no progress lines on stderr (each names the best result so\n"
    "                far, ranked as invdes best ranks it; for a multi-objective\n"
    "                campaign the Pareto front's size and hypervolume)\n"
    "  -h, --help    this text\n"
    "  -V, --version print the version\n\n"
    "Ctrl-C (SIGINT) or SIGTERM: stop once the evaluations in flight are recorded;\n"
    "a second one stops at once (those in flight are redone by the next run).\n"
    "A slurm objective stops at once and leaves its jobs running (the next run\n"
    "collects them; `invdes cancel --db FILE` cancels them).\n"
    "It exits 130/143 when stopped by SIGINT/SIGTERM, 4 when the rest of the\n"
    "budget is held by proposals out with stations.\n";

static volatile sig_atomic_t stop_signal = 0;

/* The first SIGINT/SIGTERM asks the loop to stop after what is in flight; a
 * second one ends the process at once (in-flight proposals stay pending). */
static void on_signal(int sig) {
  if (stop_signal) {
    signal(sig, SIG_DFL);
    raise(sig);
    return;
  }
  stop_signal = sig;
}

typedef struct progress_state {
  double last;      /* monotonic time of the last line */
  int64_t printed;  /* results shown by the last line, -1 before any */
} progress_state;

static double mono(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void fmt_time(double s, char *buf, size_t n) {
  if (!isfinite(s)) snprintf(buf, n, "?");
  else if (s < 60) snprintf(buf, n, "%.1fs", s);
  else if (s < 3600) snprintf(buf, n, "%dm%02ds", (int)(s / 60), (int)fmod(s, 60));
  else snprintf(buf, n, "%dh%02dm", (int)(s / 3600), (int)fmod(s / 60, 60));
}

static void print_progress(const invdes_run_progress *p, void *data) {
  progress_state *ps = data;
  double t = mono();
  /* At most five lines a second; the final line only when it says more. */
  if (!p->final && t - ps->last < 0.2) return;
  if (p->final && p->evaluated == ps->printed) return;
  ps->last = t;
  ps->printed = p->evaluated;
  char el[32], eta[32];
  fmt_time(p->elapsed, el, sizeof el);
  fmt_time(p->eta, eta, sizeof eta);
  fprintf(stderr, "invdes run: %" PRId64 "/%" PRId64 " results", p->evaluated, p->budget);
  if (p->failed) fprintf(stderr, " (%" PRId64 " failed)", p->failed);
  /* several objectives: the front, as `invdes status` shows it */
  if (p->pareto) fprintf(stderr, "; front %zu, hypervolume %.6g", p->front_size, p->hypervolume);
  /* the one ranking, as `invdes best` shows it */
  else if (!p->best_id) fprintf(stderr, "; best -");
  else fprintf(stderr, "; best #%" PRId64, p->best_id);
  for (size_t t2 = 0; !p->pareto && p->best_id && t2 < p->n_targets; t2++) {
    if (isnan(p->best[t2])) fprintf(stderr, " %s=-", p->target_names[t2]);
    else fprintf(stderr, " %s=%.6g", p->target_names[t2], p->best[t2]);
  }
  if (!p->pareto && p->best_id && p->best_meets) fprintf(stderr, " (meets every condition)");
  else if (!p->pareto && p->best_id) fprintf(stderr, " (least violation %.3g)", p->best_violation);
  fprintf(stderr, "; elapsed %s, ETA %s\n", el, p->final ? "0.0s" : eta);
}

int invdes_cmd_run(int argc, char **argv) {
  const char *db = NULL;
  int quiet = 0, first;
  const invdes_cli_opt opts[] = {INVDES_CLI_OPT("db", "FILE", INVDES_OPT_TEXT, &db),
                                 INVDES_CLI_OPT("quiet", NULL, INVDES_OPT_FLAG, &quiet), {NULL}};
  int early = invdes_cli_parse("run", run_usage, opts, argc, argv, &first);
  if (early != -1) return early;
  if (first != argc - 1)
    return invdes_cli_usage_error("run", "give one campaign file");
  static invdes_error err, notes;
  invdes_error_clear(&err);
  invdes_error_clear(&notes);
  int created = 0;
  invdes_driver *d = invdes_driver_open(argv[first], db, INVDES_DRIVER_CREATE |
                                        INVDES_DRIVER_EVALUATE, &created, &notes, &err);
  if (!d) {
    fprintf(stderr, "invdes run: %s\n", err.message);
    return err.status == INVDES_ERR_NOMEM || err.status == INVDES_ERR_DB ||
                   err.status == INVDES_ERR_IO
               ? INVDES_EXIT_FAILURE
               : INVDES_EXIT_USAGE;
  }
  if (notes.count && !quiet)
    fprintf(stderr, "invdes run: accepted changes of the campaign file:\n%s\n", notes.message);
  char when[768];
  if (invdes_cli_stop_when_text(invdes_driver_campaign(d), when, sizeof when) && !quiet)
    fprintf(stderr, "invdes run: note: %s\n", when + 2); /* past "; " */
  const char *cannot = invdes_campaign_objective_cannot_run(invdes_driver_campaign(d));
  if (cannot) {
    fprintf(stderr, "invdes run: %s (database %s)\n", cannot, invdes_driver_db_path(d));
    invdes_driver_free(d);
    return INVDES_EXIT_USAGE;
  }
  struct sigaction sa, old_int, old_term;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGINT, &sa, &old_int);
  sigaction(SIGTERM, &sa, &old_term);
  progress_state ps = {.last = -1, .printed = -1};
  invdes_run_options ro = {.stop = &stop_signal, .progress = quiet ? NULL : print_progress,
                           .data = &ps};
  invdes_run_end end = INVDES_RUN_BUDGET;
  invdes_status st = invdes_driver_run(d, &ro, &end, &err);
  sigaction(SIGINT, &old_int, NULL);
  sigaction(SIGTERM, &old_term, NULL);
  int rc = INVDES_EXIT_OK;
  if (st != INVDES_OK) {
    fprintf(stderr, "invdes run: %s\n", err.message);
    rc = st == INVDES_ERR_USAGE || st == INVDES_ERR_INVALID ? INVDES_EXIT_USAGE
                                                             : INVDES_EXIT_FAILURE;
  } else if (end == INVDES_RUN_INTERRUPTED) {
    fprintf(stderr, "invdes run: stopped by signal %d; run again to resume (%s)\n",
            (int)stop_signal, invdes_driver_db_path(d));
    size_t jobs = 0;
    if (invdes_store_jobs_live(invdes_driver_store(d), NULL, NULL, &jobs, NULL) == INVDES_OK &&
        jobs)
      fprintf(stderr, "invdes run: %zu job%s left running with the scheduler: run again to "
              "collect their results, or `invdes cancel --db %s` to cancel them\n",
              jobs, jobs == 1 ? "" : "s", invdes_driver_db_path(d));
    rc = 128 + (int)stop_signal;
  } else if (!quiet || end != INVDES_RUN_BUDGET) {
    fprintf(stderr, "invdes run: %s (%s)\n", invdes_run_end_message(end),
            invdes_driver_db_path(d));
    if (end == INVDES_RUN_HELD) rc = INVDES_EXIT_NOTHING;
  }
  invdes_driver_free(d);
  return rc;
}
