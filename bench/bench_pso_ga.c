/* bench_pso_ga.c — search quality and speed of the pso and ga strategies
 * (random beside them): regret (best value found minus the known minimum)
 * on shifted Ackley-5D and Rosenbrock-4D at 100 and 500 evaluations, the
 * median over 5 seeds, and asks per second. Each run is sequential (ask 1,
 * evaluate, tell), with 10 initial Sobol points as the peers in
 * bench/anchors.md, the campaign defaults otherwise (pso: swarm 24, w 0.72,
 * c1 = c2 = 1.49; ga: population 40, crossover 0.9, mutation 0.1), and a
 * second configuration with a smaller swarm / population (12 / 16).
 * Output lines:
 *   pso_ga FUNCTION STRATEGY CONFIG regret@100 R100 regret@500 R500 asks/s A
 * Benchmarks only: asserts nothing. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_data.h"
#include "builtin.h"
#include "campaign.h"
#include "space.h"
#include "strategy.h"

#define SEEDS 5
#define BUDGET 500

typedef struct problem {
  const char *label, *name;
  size_t d;
  double lo, hi;
  const double *shift;
} problem;

static const double ackley_shift[5] = {1.3, -2.1, 0.7, 2.9, -1.6};

static invdes_campaign *make_campaign(const problem *p, const char *kind,
                                      int small) {
  char text[4096];
  size_t at = 0;
  at += (size_t)snprintf(text + at, sizeof text - at,
                         "name: bench-%s-%s\nseed: 1\nparameters:\n", p->label,
                         kind);
  for (size_t j = 0; j < p->d; j++)
    at += (size_t)snprintf(text + at, sizeof text - at,
                           "  - {name: x%zu, type: continuous, bounds: [%g, %g]}\n",
                           j + 1, p->lo, p->hi);
  at += (size_t)snprintf(text + at, sizeof text - at,
                         "targets:\n  - {name: y, goal: minimize}\n"
                         "objective: {kind: builtin, name: %s}\n"
                         "strategy:\n  kind: %s\n  initial: {design: sobol, "
                         "count: 10}\n",
                         p->name, kind);
  if (small && !strcmp(kind, "pso"))
    at += (size_t)snprintf(text + at, sizeof text - at,
                           "  pso: {swarm: 12, inertia: 0.72, c1: 1.49, c2: 1.49}\n");
  if (small && !strcmp(kind, "ga"))
    at += (size_t)snprintf(text + at, sizeof text - at,
                           "  ga: {population: 16, crossover: 0.9, mutation: 0.2}\n");
  snprintf(text + at, sizeof text - at, "budget: {evaluations: %d}\n", BUDGET);
  invdes_error err;
  invdes_error_clear(&err);
  invdes_campaign *c = invdes_campaign_parse("bench.yaml", text, strlen(text), &err);
  if (!c) fprintf(stderr, "bench_pso_ga: %s\n", err.message);
  return c;
}

/* One run; fills regret at 100 and BUDGET evaluations; returns the seconds
 * spent in ask and tell. -1 on error. */
static double run(const problem *p, const invdes_campaign *c,
                  const invdes_space *sp, uint64_t seed, double *r100,
                  double *r500) {
  const invdes_builtin *fn = invdes_builtin_find(p->name);
  invdes_error err;
  invdes_error_clear(&err);
  invdes_strategy *s = invdes_strategy_new(sp, &c->strategy, 1, seed, &err);
  if (!s) {
    fprintf(stderr, "bench_pso_ga: %s\n", err.message);
    return -1;
  }
  invdes_proposals *out = invdes_proposals_new(s, 1);
  double best = INFINITY, spent = 0;
  for (int64_t id = 1; id <= BUDGET; id++) {
    double t0 = bench_now();
    if (invdes_strategy_ask(s, (uint64_t)id - 1, 1, NULL, 0, out, &err)) {
      fprintf(stderr, "bench_pso_ga: %s\n", err.message);
      spent = -1;
      break;
    }
    spent += bench_now() - t0;
    double y = invdes_builtin_eval(fn, out->x, p->d, p->shift);
    if (y < best) best = y;
    invdes_observation o = {.id = id, .z = out->z, .x = out->x, .y = &y};
    t0 = bench_now();
    if (invdes_strategy_tell(s, &o, 1, &err)) {
      fprintf(stderr, "bench_pso_ga: %s\n", err.message);
      spent = -1;
      break;
    }
    spent += bench_now() - t0;
    if (id == 100) *r100 = best - fn->f_min;
  }
  *r500 = best - fn->f_min;
  invdes_proposals_free(out);
  invdes_strategy_free(s);
  return spent;
}

int main(void) {
  const problem probs[2] = {
      {"ackley5-shifted", "ackley", 5, -5, 5, ackley_shift},
      {"rosenbrock4", "rosenbrock", 4, -2.048, 2.048, NULL}};
  const char *kinds[3] = {"random", "pso", "ga"};
  for (int f = 0; f < 2; f++) {
    for (int k = 0; k < 3; k++) {
      for (int small = 0; small < (k ? 2 : 1); small++) {
        invdes_campaign *c = make_campaign(&probs[f], kinds[k], small);
        if (!c) return 1;
        invdes_error err;
        invdes_error_clear(&err);
        invdes_space *sp = invdes_space_new(c, &err);
        if (!sp) {
          fprintf(stderr, "bench_pso_ga: %s\n", err.message);
          return 1;
        }
        double r100[SEEDS], r500[SEEDS], secs = 0;
        for (int seed = 0; seed < SEEDS; seed++) {
          double t = run(&probs[f], c, sp, 1000 + (uint64_t)seed, &r100[seed],
                         &r500[seed]);
          if (t < 0) return 1;
          secs += t;
        }
        printf("pso_ga %s %s %s regret@100 %.3g regret@500 %.3g asks/s %.0f\n",
               probs[f].label, kinds[k],
               !k ? "-" : small ? (k == 1 ? "swarm12" : "pop16")
                        : (k == 1 ? "swarm24" : "pop40"),
               bench_median(r100, SEEDS), bench_median(r500, SEEDS),
               SEEDS * BUDGET / secs);
        fflush(stdout);
        invdes_space_free(sp);
        invdes_campaign_free(c);
      }
    }
  }
  return 0;
}
