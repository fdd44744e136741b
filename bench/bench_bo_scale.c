/* bench_bo_scale.c — the cost of one bo proposal late in a long campaign:
 * Hartmann6, bo with its default GP, after n told evaluations (n = 1,000 and
 * 5,000 by default).
 *
 * The first n points are the campaign's initial Sobol design (the strategy
 * hands them out without a model), so reaching n costs no model; then K more
 * asks (default 24, so a whole hyper-parameter refit period at n = 1,000 and
 * the refit ask itself are inside) are timed one by one, sequentially, each
 * told before the next. Printed: the first model ask (nothing carried: a
 * cold fit), the median and the mean of the K asks, and the largest. The
 * time of a campaign of n evaluations is about n times the mean of the
 * asks before it; asserts nothing.
 *
 * usage: bench_bo_scale [--n N[,N...]] [--asks K] [--seed S] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_data.h"
#include "bench_funcs.h"

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
    double *v = t + n, sum = 0, max = 0, first = v[0];
    for (int i = 0; i < asks; i++) {
      sum += v[i];
      if (v[i] > max) max = v[i];
    }
    double med = bench_median(v, (size_t)asks);
    printf("n = %5d: first model ask %7.3f s, then median %7.3f s, mean %7.3f s, "
           "max %7.3f s per proposal (%d asks; regret %.3g)\n",
           n, first, med, sum / asks, max, asks, best[evals - 1] - bench_func_min(f));
    fflush(stdout);
  }
  free(best);
  free(t);
  return rc;
}

int main(int argc, char **argv) {
  const char *ns = "1000,5000";
  int asks = 24;
  unsigned seed = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--n")) ns = argv[i + 1];
    else if (!strcmp(argv[i], "--asks")) asks = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "--seed")) seed = (unsigned)atoi(argv[i + 1]);
  }
  if (asks < 1 || asks > 1000) {
    fprintf(stderr, "usage: bench_bo_scale [--n N[,N...]] [--asks 1..1000] [--seed S]\n");
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
