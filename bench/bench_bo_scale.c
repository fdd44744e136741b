/* bench_bo_scale.c — the cost of one bo proposal late in a long campaign:
 * Hartmann6, bo with its default GP, after n told evaluations (n = 1,000 and
 * 5,000 by default).
 *
 * The first n points are the campaign's initial Sobol design (the strategy
 * hands them out without a model), so reaching n costs no model; then K more
 * asks (default 6) are timed one by one, sequentially, each told before the
 * next, in CPU seconds of the process (with OMP_NUM_THREADS=1 the wall time
 * of an idle machine; the machines this runs on are shared). The first of them searches the hyper-parameters (nothing is carried
 * yet), the others keep them (bo_scale.c: a search every k-th iteration at
 * this size). Printed: that search ask, the median of the others, and the
 * mean over one period of k asks, (search + (k - 1) · median) / k, which is
 * what a long campaign spends per proposal there. Asserts nothing.
 *
 * usage: bench_bo_scale [--n N[,N...]] [--asks K] [--seed S] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_data.h"
#include "bench_funcs.h"
#include "bo.h"

static int measure(int n, int asks, unsigned seed) {
  const bench_func *f = bench_func_find("hartmann6");
  char strategy[256];
  snprintf(strategy, sizeof strategy,
           "{kind: bo, surrogate: gp, batch: 1, initial: {design: sobol, count: %d}}", n);
  int evals = n + asks;
  double *best = malloc((size_t)evals * sizeof *best);
  double *t = malloc((size_t)evals * sizeof *t), secs;
  invdes_error err;
  invdes_error_clear(&err);
  int rc = best && t ? bench_func_run(f, strategy, seed, evals, best, &secs, t, &err) : -1;
  if (rc) {
    fprintf(stderr, "bench_bo_scale: %s\n", best && t ? err.message : "out of memory");
  } else {
    double *v = t + n, search = v[0], max = 0;
    for (int i = 1; i < asks; i++)
      if (v[i] > max) max = v[i];
    double med = asks > 1 ? bench_median(v + 1, (size_t)(asks - 1)) : search;
    uint64_t k = 1;
    while (k < 100000 && !bo_hyper_refit_due((uint64_t)n + k, (size_t)n)) k++;
    printf("n = %5d: %7.3f CPU s per proposal over a period of %llu asks (search ask %.3f s, "
           "then median %.3f s, max %.3f s of %d; regret %.3g)\n",
           n, (search + (double)(k - 1) * med) / (double)k, (unsigned long long)k, search, med,
           max, asks - 1, best[evals - 1] - bench_func_min(f));
    fflush(stdout);
  }
  free(best);
  free(t);
  return rc;
}

int main(int argc, char **argv) {
  const char *ns = "1000,5000";
  int asks = 6;
  unsigned seed = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--n")) ns = argv[i + 1];
    else if (!strcmp(argv[i], "--asks")) asks = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "--seed")) seed = (unsigned)atoi(argv[i + 1]);
  }
  if (asks < 2 || asks > 1000) {
    fprintf(stderr, "usage: bench_bo_scale [--n N[,N...]] [--asks 2..1000] [--seed S]\n");
    return 2;
  }
  for (const char *p = ns; *p;) {
    char *end;
    long n = strtol(p, &end, 10);
    if (end == p || n < 10 || n > 100000) {
      fprintf(stderr, "bench_bo_scale: bad --n list '%s'\n", ns);
      return 2;
    }
    if (measure((int)n, asks, seed)) return 1;
    p = *end == ',' ? end + 1 : end;
  }
  return 0;
}
