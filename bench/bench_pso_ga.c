/* bench_pso_ga.c — search quality and speed of the pso and ga strategies,
 * plain and surrogate-assisted, with random search beside them: regret
 * (best value found minus the known minimum) after 50 and after N
 * evaluations (default 100), the median over seeds (default 10), and asks
 * per second.
 *
 * Functions: Branin, Hartmann6, Ackley-5D on [-5, 5]^5 shifted so its
 * optimum is at (1.3, -2.1, 0.7, 2.9, -1.6), Rosenbrock-4D (as
 * bench/anchors.md and bench_bo), and with --all also Levy-4D and
 * Rosenbrock-8D, functions the defaults were not chosen on. Each run is
 * sequential (ask 1, evaluate, tell) with 10 initial Sobol points and the
 * campaign's budget set to N (pso and ga size their swarm and population
 * from it); the kind's
 * defaults otherwise. --surrogate K adds `surrogate: K` to the pso / ga
 * options; --options TEXT adds more (e.g. "population: 20").
 *
 * usage: bench_pso_ga [--seeds K] [--evals N] [--kinds random,pso,ga]
 *                     [--surrogate rf|gp|knn] [--options TEXT]
 *                     [--only NAME] [--all 1] [--seed0 S] [--verbose 1]
 * Seeds are seed0 .. seed0 + K - 1 (default 1000).
 * Output: one line per function and kind:
 *   pso_ga FUNCTION KIND CONFIG regret@50 R50 regret@N RN asks/s A
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

typedef struct func {
  const char *label, *name;
  size_t d;
  double shift[8];
  int shifted;
  double box;           /* > 0: search [-box, box]^d, not the usual box */
  int extra;            /* only with --all */
} func;

static const func FUNCS[] = {
    {"branin", "branin", 2, {0}, 0, 0, 0},
    {"hartmann6", "hartmann6", 6, {0}, 0, 0, 0},
    {"ackley5-shifted", "ackley", 5, {1.3, -2.1, 0.7, 2.9, -1.6}, 1, 5, 0},
    {"rosenbrock4", "rosenbrock", 4, {0}, 0, 0, 0},
    {"levy4", "levy", 4, {0}, 0, 0, 1},
    {"rosenbrock8", "rosenbrock", 8, {0}, 0, 0, 1},
};

typedef struct config {
  int evals;
  const char *surrogate, *options;
} config;

static invdes_campaign *make_campaign(const func *f, const char *kind,
                                      const config *cf, unsigned seed) {
  const invdes_builtin *b = invdes_builtin_find(f->name);
  double lo[8], hi[8];
  b->domain(f->d, lo, hi);
  for (size_t j = 0; f->box > 0 && j < f->d; j++) {
    lo[j] = -f->box;
    hi[j] = f->box;
  }
  char text[4096], opts[512] = "";
  size_t at = 0;
  at += (size_t)snprintf(text + at, sizeof text - at,
                         "name: bench-%s-%s\nseed: %u\nparameters:\n", f->label,
                         kind, seed);
  for (size_t j = 0; j < f->d; j++)
    at += (size_t)snprintf(text + at, sizeof text - at,
                           "  - {name: x%zu, type: continuous, bounds: [%.17g, %.17g]}\n",
                           j + 1, lo[j], hi[j]);
  int evo = !strcmp(kind, "pso") || !strcmp(kind, "ga");
  if (evo && (cf->surrogate || cf->options))
    snprintf(opts, sizeof opts, "  %s: {%s%s%s%s}\n", kind,
             cf->surrogate ? "surrogate: " : "", cf->surrogate ? cf->surrogate : "",
             cf->surrogate && cf->options ? ", " : "", cf->options ? cf->options : "");
  snprintf(text + at, sizeof text - at,
           "targets:\n  - {name: y, goal: minimize}\n"
           "objective: {kind: station}\n"
           "strategy:\n  kind: %s\n  initial: {design: sobol, count: 10}\n%s"
           "budget: {evaluations: %d}\n",
           kind, opts, cf->evals);
  invdes_error err;
  invdes_error_clear(&err);
  invdes_campaign *c = invdes_campaign_parse("bench.yaml", text, strlen(text), &err);
  if (!c) fprintf(stderr, "bench_pso_ga: %s\n", err.message);
  return c;
}

/* One run: regret after 50 and after cf->evals evaluations; returns the
 * seconds spent in ask and tell, -1 on error. */
static double run(const func *f, const char *kind, const config *cf,
                  unsigned seed, double *r50, double *rN) {
  const invdes_builtin *fn = invdes_builtin_find(f->name);
  invdes_campaign *c = make_campaign(f, kind, cf, seed);
  invdes_error err;
  invdes_error_clear(&err);
  invdes_space *sp = c ? invdes_space_new(c, &err) : NULL;
  invdes_strategy *s = sp ? invdes_strategy_new(sp, &c->strategy, 1, seed, &err) : NULL;
  invdes_proposals *out = s ? invdes_proposals_new(s, 1) : NULL;
  double best = INFINITY, spent = 0;
  if (!out) {
    fprintf(stderr, "bench_pso_ga: %s\n", err.message);
    spent = -1;
  }
  for (int id = 1; out && id <= cf->evals; id++) {
    double t0 = bench_now();
    if (invdes_strategy_ask(s, (uint64_t)id - 1, 1, NULL, 0, out, &err)) {
      fprintf(stderr, "bench_pso_ga: %s\n", err.message);
      spent = -1;
      break;
    }
    spent += bench_now() - t0;
    double y = invdes_builtin_eval(fn, out->x, f->d, f->shifted ? f->shift : NULL);
    if (y < best) best = y;
    invdes_observation o = {.id = id, .z = out->z, .x = out->x, .y = &y};
    t0 = bench_now();
    if (invdes_strategy_tell(s, &o, 1, &err)) {
      fprintf(stderr, "bench_pso_ga: %s\n", err.message);
      spent = -1;
      break;
    }
    spent += bench_now() - t0;
    if (id == 50) *r50 = best - fn->f_min;
  }
  *rN = best - fn->f_min;
  invdes_proposals_free(out);
  invdes_strategy_free(s);
  invdes_space_free(sp);
  invdes_campaign_free(c);
  return spent;
}

int main(int argc, char **argv) {
  int seeds = 10, all = 0, verbose = 0, seed0 = 1000;
  config cf = {100, NULL, NULL};
  const char *only = NULL, *kinds = "random,pso,ga";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--seeds")) seeds = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "--evals")) cf.evals = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "--kinds")) kinds = argv[i + 1];
    else if (!strcmp(argv[i], "--surrogate")) cf.surrogate = argv[i + 1];
    else if (!strcmp(argv[i], "--options")) cf.options = argv[i + 1];
    else if (!strcmp(argv[i], "--only")) only = argv[i + 1];
    else if (!strcmp(argv[i], "--all")) all = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "--verbose")) verbose = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "--seed0")) seed0 = atoi(argv[i + 1]);
  }
  if (seeds < 1 || seeds > 64 || cf.evals < 50 || strlen(kinds) > 200) {
    fprintf(stderr, "usage: bench_pso_ga [--seeds 1..64] [--evals >= 50] "
                    "[--kinds random,pso,ga] [--surrogate rf|gp|knn] "
                    "[--options TEXT] [--only LABEL] [--all 1]\n");
    return 2;
  }
  for (size_t k = 0; k < sizeof FUNCS / sizeof FUNCS[0]; k++) {
    if (only ? strcmp(only, FUNCS[k].label) != 0 : FUNCS[k].extra && !all) continue;
    char list[256];
    snprintf(list, sizeof list, "%s", kinds);
    for (char *kind = strtok(list, ","); kind; kind = strtok(NULL, ",")) {
      int evo = !strcmp(kind, "pso") || !strcmp(kind, "ga");
      double r50[64], rN[64], secs = 0;
      for (int i = 0; i < seeds; i++) {
        double t = run(&FUNCS[k], kind, &cf, (unsigned)(seed0 + i), &r50[i], &rN[i]);
        if (t < 0) return 1;
        secs += t;
        if (verbose)
          printf("  seed %d: regret %.3g / %.3g\n", seed0 + i, r50[i], rN[i]);
      }
      printf("pso_ga %s %s %s regret@50 %.3g regret@%d %.3g asks/s %.0f\n",
             FUNCS[k].label, kind,
             evo && cf.surrogate ? cf.surrogate : evo ? "plain" : "-",
             bench_median(r50, (size_t)seeds), cf.evals,
             bench_median(rN, (size_t)seeds), seeds * cf.evals / secs);
      fflush(stdout);
    }
  }
  return 0;
}
