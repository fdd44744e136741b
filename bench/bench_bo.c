/* bench_bo.c — the bo strategy on analytic functions: regret after 50 and
 * 100 evaluations and the seconds a whole run takes, medians over seeds.
 *
 * Each run is a campaign with one minimize target over the function's usual
 * box (Ackley-5D on [-5, 5]^5, shifted so its optimum is at
 * (1.3, -2.1, 0.7, 2.9, -1.6),
 * as in bench/anchors.md; on request, --only ackley20, the same on
 * [-5, 5]^20 with a fixed pseudo-random shift), strategy bo with a Matérn-5/2 GP
 * (by default; --surrogate rf, --kernel sqexp, --acq choose others),
 * batch 1, 10 initial Sobol points, driven through the ask/tell interface
 * in memory (no database: the store's cost is bench_run's business).
 * Regret = best value found - the known minimum. Prints one line per
 * function; asserts nothing.
 *
 * usage: bench_bo [--seeds K] [--evals N] [--acq ei|logei|ucb|pi]
 *                 [--surrogate gp|rf] [--kernel matern52|sqexp] [--only NAME]
 *                 [--verbose 1] */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_data.h"
#include "builtin.h"
#include "campaign.h"
#include "space.h"
#include "strategy.h"

#define SHIFT20                                                                  \
  2.4338, 1.1175, 1.5991, 2.4277, -1.441, 0.8144, 2.4297, 2.2328, 0.4376, -1.9837, \
      -0.5309, 2.963, -2.3805, -1.0852, 2.7002, -0.3036, -1.7481, -1.0986, 2.4518, -0.9866

typedef struct func {
  const char *label, *name;
  size_t d;
  double shift[20];
  int shifted;
  double box;           /* > 0: search [-box, box]^d, not the usual box */
  int on_request;       /* run only when named by --only */
} func;

static const func FUNCS[] = {
    {"Branin", "branin", 2, {0}, 0, 0, 0},
    {"Hartmann6", "hartmann6", 6, {0}, 0, 0, 0},
    {"Ackley-5D shifted", "ackley", 5, {1.3, -2.1, 0.7, 2.9, -1.6}, 1, 5, 0},
    {"Rosenbrock-4D", "rosenbrock", 4, {0}, 0, 0, 0},
    /* the 20-D case of issue 9: a fixed shift drawn once, uniformly in
     * [-3, 3]^20 (Python's random.Random(20).uniform), so the optimum is off
     * the box centre and off every diagonal; run it with --only ackley20
     * --evals 200 (bench/ackley20_peers.py runs random search and
     * Optuna's TPE on the same function) */
    {"Ackley-20D shifted", "ackley20", 20, {SHIFT20}, 1, 5, 1},
};

/* One run; regret after 50 and after `evals` evaluations, seconds. */
static int run(const func *f, unsigned seed, int evals, const char *acq,
               const char *surrogate, const char *kernel, double *r50, double *rN, double *secs) {
  const invdes_builtin *b =
      invdes_builtin_find(strcmp(f->name, "ackley20") ? f->name : "ackley");
  if (!b) return -1;
  double lo[20], hi[20];
  b->domain(f->d, lo, hi);
  for (size_t j = 0; f->box > 0 && j < f->d; j++) {
    lo[j] = -f->box;
    hi[j] = f->box;
  }
  char text[4096];
  int n = snprintf(text, sizeof text, "name: bench-%s\nseed: %u\nparameters:\n",
                   f->name, seed);
  for (size_t j = 0; j < f->d; j++)
    n += snprintf(text + n, sizeof text - (size_t)n,
                  "  - {name: x%zu, type: continuous, bounds: [%.17g, %.17g]}\n",
                  j + 1, lo[j], hi[j]);
  snprintf(text + n, sizeof text - (size_t)n,
           "targets:\n  - {name: f, goal: minimize}\n"
           "objective: {kind: station}\n"
           "strategy: {kind: bo, surrogate: %s%s%s, "
           "acquisition: %s, batch: 1, initial: {design: sobol, count: 10}}\n"
           "budget: {evaluations: %d}\n",
           surrogate, strcmp(surrogate, "gp") ? "" : ", kernel: ",
           strcmp(surrogate, "gp") ? "" : kernel, acq, evals);
  invdes_error err;
  invdes_error_clear(&err);
  invdes_campaign *c = invdes_campaign_parse("bench.yaml", text, strlen(text), &err);
  invdes_space *sp = c ? invdes_space_new(c, &err) : NULL;
  invdes_strategy *s = sp ? invdes_strategy_new(sp, &c->strategy, 1, seed, &err) : NULL;
  invdes_proposals *p = s ? invdes_proposals_new(s, 1) : NULL;
  if (!p) {
    fprintf(stderr, "bench_bo: %s\n", err.message);
    return -1;
  }
  double best = INFINITY, t0 = bench_now();
  int rc = 0;
  for (int i = 0; i < evals && !rc; i++) {
    if (invdes_strategy_ask(s, (uint64_t)i, 1, NULL, 0, p, &err)) {
      fprintf(stderr, "bench_bo: ask %d: %s\n", i, err.message);
      rc = -1;
      break;
    }
    double y = invdes_builtin_eval(b, p->x, f->d, f->shifted ? f->shift : NULL);
    if (y < best) best = y;
    invdes_observation o = {i + 1, p->z, p->x, &y, 0};
    if (invdes_strategy_tell(s, &o, 1, &err)) rc = -1;
    if (i + 1 == 50) *r50 = best - b->f_min;
  }
  *secs = bench_now() - t0;
  *rN = best - b->f_min;
  invdes_proposals_free(p);
  invdes_strategy_free(s);
  invdes_space_free(sp);
  invdes_campaign_free(c);
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
  for (size_t k = 0; k < sizeof FUNCS / sizeof FUNCS[0]; k++) {
    if (only ? strcmp(only, FUNCS[k].name) != 0 : FUNCS[k].on_request) continue;
    double r50[64], rN[64], t[64];
    for (int i = 0; i < seeds; i++)
      if (run(&FUNCS[k], (unsigned)(i + 1), evals, acq, surrogate, kernel, &r50[i], &rN[i],
              &t[i]))
        return 1;
      else if (verbose)
        printf("  seed %d: regret %.3g / %.3g, %.2f s\n", i + 1, r50[i], rN[i], t[i]);
    double m50 = bench_median(r50, (size_t)seeds), mN = bench_median(rN, (size_t)seeds);
    double mt = bench_median(t, (size_t)seeds);
    printf("%-18s %12.3g %12.3g %10.2f\n", FUNCS[k].label, m50, mN, mt);
    fflush(stdout);
  }
  return 0;
}
