/* bench_bo.c — the bo strategy on analytic functions: regret after 50 and
 * 100 evaluations and the seconds a whole run takes, medians over seeds.
 *
 * Each run is a campaign with one minimize target over one of the problems
 * of bench_funcs.h (the four classic ones unless --only names another, e.g.
 * ackley20), strategy bo with a Matérn-5/2 GP
 * (by default; --surrogate rf, --kernel sqexp, --acq choose others),
 * batch 1, 10 initial Sobol points, driven through the ask/tell interface
 * in memory (bench_func_run).
 * Regret = best value found - the known minimum. Prints one line per
 * function; asserts nothing.
 *
 * usage: bench_bo [--seeds K] [--evals N] [--acq ei|logei|ucb|pi]
 *                 [--surrogate gp|rf] [--kernel matern52|sqexp] [--only NAME]
 *                 [--verbose 1] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_data.h"
#include "bench_funcs.h"

/* One run; regret after 50 and after `evals` evaluations, seconds. */
static int run(const bench_func *f, unsigned seed, int evals, const char *acq,
               const char *surrogate, const char *kernel, double *r50, double *rN, double *secs) {
  char strategy[512];
  snprintf(strategy, sizeof strategy,
           "{kind: bo, surrogate: %s%s%s, "
           "acquisition: %s, batch: 1, initial: {design: sobol, count: 10}}",
           surrogate, strcmp(surrogate, "gp") ? "" : ", kernel: ",
           strcmp(surrogate, "gp") ? "" : kernel, acq);
  double *best = malloc((size_t)evals * sizeof *best);
  invdes_error err;
  invdes_error_clear(&err);
  int rc = best ? bench_func_run(f, strategy, seed, evals, best, secs, NULL, &err) : -1;
  if (rc) {
    fprintf(stderr, "bench_bo: %s\n", best ? err.message : "out of memory");
  } else {
    *r50 = best[49] - bench_func_min(f);
    *rN = best[evals - 1] - bench_func_min(f);
  }
  free(best);
  return rc;
}

int main(int argc, char **argv) {
  int seeds = 5, evals = 100, verbose = 0;
  const char *acq = "ei", *surrogate = "gp", *kernel = "matern52", *only = NULL;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--seeds")) seeds = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "--evals")) evals = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "--acq")) acq = argv[i + 1];
    else if (!strcmp(argv[i], "--surrogate")) surrogate = argv[i + 1];
    else if (!strcmp(argv[i], "--only")) only = argv[i + 1];
    else if (!strcmp(argv[i], "--kernel")) kernel = argv[i + 1];
    else if (!strcmp(argv[i], "--verbose")) verbose = atoi(argv[i + 1]);
  }
  if (seeds < 1 || seeds > 64 || evals < 50) {
    fprintf(stderr, "usage: bench_bo [--seeds 1..64] [--evals >= 50] [--acq K] "
                    "[--surrogate gp|rf] [--only NAME]\n");
    return 2;
  }
  printf("%-18s %12s %12s %10s   (bo %s/%s, %d evaluations, median of %d seeds)\n",
         "function", "regret@50", "regret@N", "seconds", surrogate, acq, evals, seeds);
  for (size_t k = 0; k < bench_func_count(); k++) {
    const bench_func *f = bench_func_at(k);
    if (only ? strcmp(only, f->key) != 0 : f->high_dim) continue;
    double r50[64], rN[64], t[64];
    for (int i = 0; i < seeds; i++)
      if (run(f, (unsigned)(i + 1), evals, acq, surrogate, kernel, &r50[i], &rN[i], &t[i]))
        return 1;
      else if (verbose)
        printf("  seed %d: regret %.3g / %.3g, %.2f s\n", i + 1, r50[i], rN[i], t[i]);
    double m50 = bench_median(r50, (size_t)seeds), mN = bench_median(rN, (size_t)seeds);
    double mt = bench_median(t, (size_t)seeds);
    printf("%-18s %12.3g %12.3g %10.2f\n", f->label, m50, mN, mt);
    fflush(stdout);
  }
  return 0;
}
