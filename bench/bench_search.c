/* bench_search.c — search quality of every strategy, side by side: regret
 * (best value found minus the known minimum) at half and at all of the
 * budget, median and worst over seeds 1..K, on the problems of
 * bench_funcs.h (Branin, Hartmann6, shifted Ackley-5D, Rosenbrock-4D at 100
 * evaluations; shifted Ackley-20D at 200), each run sequential (ask 1,
 * evaluate, tell) with 10 initial Sobol points and each strategy's defaults
 * otherwise, through the ask/tell interface in memory (bench_func_run).
 *
 * A strategy whose block the campaign loader refuses (an option another
 * build does not have, e.g. a surrogate on pso) is reported as refused and
 * skipped, never fails the run. One line per (problem, strategy), the same
 * format bench/optuna_search.py prints, which bench/search.sh turns into
 * the table:
 *   search KEY STRATEGY EVALS SEEDS r_half_median r_all_median
 *          r_half_worst r_all_worst seconds_median
 *   search KEY STRATEGY refused MESSAGE
 * Benchmarks only: asserts nothing.
 *
 * With --values 1 it prints instead, for each problem, its value at three
 * fixed points of its box ("KEY f(x) x_1 ... x_d"), which
 * bench/optuna_search.py --check compares with its own definitions.
 *
 * usage: bench_search [--seeds K] [--only KEY[,KEY...]]
 *                     [--strategies NAME[,NAME...]] [--values 1] */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_data.h"
#include "bench_funcs.h"

#define INITIAL "initial: {design: sobol, count: 10}"

typedef struct strategy {
  const char *name;
  const char *yaml;
} strategy;

static const strategy STRATEGIES[] = {
    {"bo-gp", "{kind: bo, surrogate: gp, batch: 1, " INITIAL "}"},
    {"bo-rf", "{kind: bo, surrogate: rf, batch: 1, " INITIAL "}"},
    {"pso", "{kind: pso, " INITIAL "}"},
    {"ga", "{kind: ga, " INITIAL "}"},
    {"pso-rf", "{kind: pso, pso: {surrogate: rf}, " INITIAL "}"},
    {"ga-rf", "{kind: ga, ga: {surrogate: rf}, " INITIAL "}"},
    {"pso-gp", "{kind: pso, pso: {surrogate: gp}, " INITIAL "}"},
    {"ga-gp", "{kind: ga, ga: {surrogate: gp}, " INITIAL "}"},
    {"random", "{kind: random}"},
};

/* 1 when name is one of the comma-separated words of list (NULL: all). */
static int listed(const char *list, const char *name) {
  if (!list) return 1;
  size_t len = strlen(name);
  for (const char *p = list; *p;) {
    const char *end = strchr(p, ',');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    if (n == len && !strncmp(p, name, n)) return 1;
    p += n + (end != NULL);
  }
  return 0;
}

static double worst(const double *v, int k) {
  double w = v[0];
  for (int i = 1; i < k; i++)
    if (v[i] > w || isnan(v[i])) w = v[i];
  return w;
}

/* f at three fixed points of its box, each coordinate at its own fraction. */
static void print_values(const bench_func *f) {
  double lo[BENCH_FUNC_MAX_DIM], hi[BENCH_FUNC_MAX_DIM], x[BENCH_FUNC_MAX_DIM];
  bench_func_box(f, lo, hi);
  for (int k = 0; k < 3; k++) {
    for (size_t j = 0; j < f->d; j++) {
      double u = fmod(0.1 + 0.37 * (double)j + 0.23 * k, 1.0);
      x[j] = lo[j] + u * (hi[j] - lo[j]);
    }
    printf("%s %.17g", f->key, bench_func_eval(f, x));
    for (size_t j = 0; j < f->d; j++) printf(" %.17g", x[j]);
    printf("\n");
  }
}

/* Seeds 1..seeds of one strategy on one problem; prints its line. 0, or -1
 * when a run failed after its start. */
static int bench_one(const bench_func *f, const strategy *st, int seeds) {
  int evals = f->high_dim ? 200 : 100;
  double *best = malloc((size_t)evals * sizeof *best);
  double half[64], all[64], secs[64];
  if (!best) return -1;
  double fmin = bench_func_min(f);
  for (int i = 0; i < seeds; i++) {
    invdes_error err;
    invdes_error_clear(&err);
    int rc = bench_func_run(f, st->yaml, (unsigned)(i + 1), evals, best, &secs[i], NULL, &err);
    if (rc) {
      char *nl = strchr(err.message, '\n');
      if (nl) *nl = '\0';
      if (rc == -2) printf("search %s %s refused %s\n", f->key, st->name, err.message);
      else fprintf(stderr, "bench_search: %s on %s, seed %d: %s\n", st->name, f->key, i + 1,
                   err.message);
      free(best);
      return rc == -2 ? 0 : -1;
    }
    half[i] = best[evals / 2 - 1] - fmin;
    all[i] = best[evals - 1] - fmin;
  }
  free(best);
  double wh = worst(half, seeds), wa = worst(all, seeds);
  printf("search %s %s %d %d %.3g %.3g %.3g %.3g %.3g\n", f->key, st->name, evals, seeds,
         bench_median(half, (size_t)seeds), bench_median(all, (size_t)seeds), wh, wa,
         bench_median(secs, (size_t)seeds));
  fflush(stdout);
  return 0;
}

int main(int argc, char **argv) {
  int seeds = 10, values = 0;
  const char *only = NULL, *which = NULL;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--seeds")) seeds = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "--only")) only = argv[i + 1];
    else if (!strcmp(argv[i], "--strategies")) which = argv[i + 1];
    else if (!strcmp(argv[i], "--values")) values = atoi(argv[i + 1]);
  }
  if (seeds < 1 || seeds > 64) {
    fprintf(stderr, "usage: bench_search [--seeds 1..64] [--only KEY,...] "
                    "[--strategies NAME,...]\n");
    return 2;
  }
  int rc = 0;
  for (size_t k = 0; k < bench_func_count(); k++) {
    const bench_func *f = bench_func_at(k);
    if (!listed(only, f->key)) continue;
    if (values) {
      print_values(f);
      continue;
    }
    for (size_t j = 0; j < sizeof STRATEGIES / sizeof *STRATEGIES; j++)
      if (listed(which, STRATEGIES[j].name) && bench_one(f, &STRATEGIES[j], seeds)) rc = 1;
  }
  return rc;
}
