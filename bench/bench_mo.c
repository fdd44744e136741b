/* bench_mo.c — the strategies on two-objective functions: the hypervolume
 * of everything evaluated after N evaluations (both objectives minimized,
 * pareto.h's exact hypervolume to the problem's reference point), the
 * median over seeds, and the seconds a run takes.
 *
 * Problems (builtin.h): BraninCurrin as BoTorch defines it ([0,1]^2, ref
 * (18, 6)), DTLZ2 and ZDT1 in 6 dimensions (ref (1.1, 1.1)). Each run is a
 * campaign with two minimize targets carrying the reference point
 * (`reference`, so the campaign is multi-objective and bo improves the
 * hypervolume that is measured), driven through the ask/tell interface in
 * memory, batch 1 (no database). Strategies: bo (GP Matérn 5/2, EHVI, the
 * default initial design of max(2d, 5) points), ga (NSGA-II: population
 * 20 as Optuna's run beside it, crossover 0.9, mutation 1/d per gene, the
 * first generation a Sobol design of 20 points), random.
 * Output, one line per problem and strategy:
 *   mo PROBLEM STRATEGY EVALS hv MEDIAN min MIN max MAX seconds S
 * Asserts nothing.
 *
 * usage: bench_mo [--seeds K] [--evals N] [--strategies bo,ga,random]
 *                 [--only NAME] [--verbose 1] [--reference 0] */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_data.h"
#include "builtin.h"
#include "campaign.h"
#include "pareto.h"
#include "space.h"
#include "strategy.h"

typedef struct problem {
  const char *label, *name;
  size_t d;
  double ref[2];
} problem;

static const problem PROBLEMS[] = {
    {"BraninCurrin", "branincurrin", 2, {18, 6}},
    {"DTLZ2", "dtlz2", 6, {1.1, 1.1}},
    {"ZDT1", "zdt1", 6, {1.1, 1.1}},
};

static int with_reference = 1; /* --reference 0: the campaign's default */

static invdes_campaign *make_campaign(const problem *p, const char *kind,
                                      unsigned seed, int evals,
                                      invdes_error *err) {
  char text[4096], r1[64] = "", r2[64] = "";
  if (with_reference) {
    snprintf(r1, sizeof r1, ", reference: %g", p->ref[0]);
    snprintf(r2, sizeof r2, ", reference: %g", p->ref[1]);
  }
  int n = snprintf(text, sizeof text, "name: bench-mo-%s\nseed: %u\nparameters:\n",
                   p->name, seed);
  for (size_t j = 0; j < p->d; j++)
    n += snprintf(text + n, sizeof text - (size_t)n,
                  "  - {name: x%zu, type: continuous, bounds: [0, 1]}\n", j + 1);
  n += snprintf(text + n, sizeof text - (size_t)n,
                "targets:\n  - {name: f1, goal: minimize%s}\n"
                "  - {name: f2, goal: minimize%s}\n"
                "objective: {kind: builtin, name: %s}\nstrategy:\n  kind: %s\n",
                r1, r2, p->name, kind);
  if (!strcmp(kind, "ga"))
    n += snprintf(text + n, sizeof text - (size_t)n,
                  "  initial: {design: sobol, count: 20}\n"
                  "  ga: {population: 20, crossover: 0.9, mutation: %.6f}\n",
                  1.0 / (double)p->d);
  snprintf(text + n, sizeof text - (size_t)n, "budget: {evaluations: %d}\n", evals);
  return invdes_campaign_parse("bench_mo.yaml", text, strlen(text), err);
}

/* One run: the hypervolume after `evals` evaluations, seconds. */
static int run(const problem *p, const char *kind, unsigned seed, int evals,
               double *hv, double *secs) {
  const invdes_builtin *b = invdes_builtin_find(p->name);
  invdes_error err;
  invdes_error_clear(&err);
  invdes_campaign *c = b ? make_campaign(p, kind, seed, evals, &err) : NULL;
  invdes_space *sp = c ? invdes_space_new(c, &err) : NULL;
  invdes_strategy *s = sp ? invdes_strategy_new(sp, &c->strategy, 2, seed, &err) : NULL;
  invdes_proposals *pr = s ? invdes_proposals_new(s, 1) : NULL;
  double *Y = malloc((size_t)evals * 2 * sizeof *Y);
  if (!pr || !Y) {
    fprintf(stderr, "bench_mo: %s\n", err.message);
    return -1;
  }
  int rc = 0;
  double t0 = bench_now();
  for (int i = 0; i < evals && !rc; i++) {
    if (invdes_strategy_ask(s, (uint64_t)i, 1, NULL, 0, pr, &err)) {
      fprintf(stderr, "bench_mo: %s %s ask %d: %s\n", p->label, kind, i, err.message);
      rc = -1;
      break;
    }
    invdes_builtin_eval_all(b, pr->x, p->d, NULL, Y + 2 * i);
    invdes_observation o = {i + 1, pr->z, pr->x, Y + 2 * i, 0, NULL};
    if (invdes_strategy_tell(s, &o, 1, &err)) rc = -1;
  }
  *secs = bench_now() - t0;
  if (!rc && invdes_hypervolume(Y, (size_t)evals, 2, p->ref, hv, &err)) rc = -1;
  free(Y);
  invdes_proposals_free(pr);
  invdes_strategy_free(s);
  invdes_space_free(sp);
  invdes_campaign_free(c);
  return rc;
}

int main(int argc, char **argv) {
  int seeds = 10, evals = 100, verbose = 0;
  const char *only = NULL, *strategies = "bo,ga,random";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--seeds")) seeds = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "--evals")) evals = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "--only")) only = argv[i + 1];
    else if (!strcmp(argv[i], "--strategies")) strategies = argv[i + 1];
    else if (!strcmp(argv[i], "--verbose")) verbose = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "--reference")) with_reference = atoi(argv[i + 1]);
  }
  if (seeds < 1 || seeds > 64 || evals < 1) {
    fprintf(stderr, "usage: bench_mo [--seeds 1..64] [--evals N] [--strategies bo,ga,random] "
                    "[--only NAME]\n");
    return 2;
  }
  for (size_t k = 0; k < sizeof PROBLEMS / sizeof PROBLEMS[0]; k++) {
    if (only && strcmp(only, PROBLEMS[k].name)) continue;
    char list[128];
    snprintf(list, sizeof list, "%s", strategies);
    for (char *kind = strtok(list, ","); kind; kind = strtok(NULL, ",")) {
      double hv[64], t[64];
      for (int i = 0; i < seeds; i++) {
        if (run(&PROBLEMS[k], kind, (unsigned)(i + 1), evals, &hv[i], &t[i])) return 1;
        if (verbose) fprintf(stderr, "  %s %s seed %d: hv %.4f, %.2f s\n", PROBLEMS[k].label,
                             kind, i + 1, hv[i], t[i]);
      }
      double lo = hv[0], hi = hv[0];
      for (int i = 1; i < seeds; i++) lo = fmin(lo, hv[i]), hi = fmax(hi, hv[i]);
      printf("mo %s %s %d hv %.4f min %.4f max %.4f seconds %.2f\n", PROBLEMS[k].label, kind,
             evals, bench_median(hv, (size_t)seeds), lo, hi, bench_median(t, (size_t)seeds));
      fflush(stdout);
    }
  }
  return 0;
}
