/* bench_noise.c — bo on a function measured with Gaussian noise: the
 * noise-free regret of the point recommended at the end, with the noise sd
 * reported to the strategy (tell's --sd: per-point noise in the GP, the
 * recommendation by the model's posterior mean, invdes_recommend) against
 * the same runs without it (the best measured value's point, what `best`
 * shows for a campaign without noise). Also shows what invdes_recommend
 * picks without the reported sd (from the learned noise alone).
 *
 * Each run: one minimize target over the function's usual box, bo with a
 * Matérn-5/2 GP and EI, batch 1, 10 initial Sobol points, driven through
 * ask/tell in memory; every evaluation is f(x) + N(0, sd²) from its own
 * stream. Regret = f(recommended x) − the known minimum, noise-free.
 * Medians over seeds; asserts nothing.
 *
 * usage: bench_noise [--seeds K] [--evals N] [--noise SD] [--only NAME]
 *                    [--verbose 1] */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "bench_data.h"
#include "bench_funcs.h"
#include "campaign.h"
#include "recommend.h"
#include "rng.h"
#include "space.h"
#include "strategy.h"

#define NOISE_STREAM 0x6e6f697365ULL /* "noise": the measurement errors */

typedef struct outcome {
  double measured;  /* regret of the best measured value's point */
  double model;     /* regret of invdes_recommend's point (NAN: none) */
} outcome;

/* One run; report: whether the sd is told. */
static int run(const bench_func *f, unsigned seed, int evals, double noise, int report,
               outcome *out) {
  size_t d = f->d;
  invdes_error err;
  invdes_error_clear(&err);
  invdes_campaign *c = bench_func_campaign(
      f, "{kind: bo, surrogate: gp, acquisition: ei, batch: 1, "
         "initial: {design: sobol, count: 10}}", seed, evals, &err);
  invdes_space *sp = c ? invdes_space_new(c, &err) : NULL;
  invdes_strategy *s = sp ? invdes_strategy_new(sp, &c->strategy, 1, seed, &err) : NULL;
  invdes_proposals *p = s ? invdes_proposals_new(s, 1) : NULL;
  size_t D = sp ? invdes_space_dim(sp) : 0;
  double *Z = malloc(((size_t)evals * (D + d) + 1) * sizeof *Z), *Y = malloc(evals * sizeof *Y);
  double *F = malloc(evals * sizeof *F), sd = noise;
  invdes_observation *obs = malloc(evals * sizeof *obs);
  gsl_rng *r = invdes_rng_new(seed, NOISE_STREAM);
  int rc = p && Z && Y && F && obs && r ? 0 : -1;
  if (rc) fprintf(stderr, "bench_noise: %s\n", err.message[0] ? err.message : "out of memory");
  size_t best = 0;
  for (int i = 0; i < evals && !rc; i++) {
    if (invdes_strategy_ask(s, (uint64_t)i, 1, NULL, 0, p, &err)) {
      fprintf(stderr, "bench_noise: ask %d: %s\n", i, err.message);
      rc = -1;
      break;
    }
    double *z = Z + (size_t)i * (D + d), *x = z + D;
    memcpy(z, p->z, D * sizeof *z);
    memcpy(x, p->x, d * sizeof *x);
    F[i] = bench_func_eval(f, x);
    Y[i] = F[i] + gsl_ran_gaussian(r, noise);
    if (Y[i] < Y[best]) best = (size_t)i;
    obs[i] = (invdes_observation){.id = i + 1, .z = z, .x = x, .y = &Y[i],
                                  .sd = report ? &sd : NULL};
    if (invdes_strategy_tell(s, &obs[i], 1, &err)) rc = -1;
  }
  if (!rc) {
    out->measured = F[best] - bench_func_min(f);
    invdes_recommendation rec;
    if (invdes_recommend(sp, obs, (size_t)evals, seed, &rec, &err)) {
      fprintf(stderr, "bench_noise: recommend: %s\n", err.message);
      rc = -1;
    } else {
      out->model = rec.by_model ? F[rec.id - 1] - bench_func_min(f) : NAN;
    }
    invdes_recommendation_release(&rec);
  }
  gsl_rng_free(r);
  free(obs), free(Z), free(Y), free(F);
  invdes_proposals_free(p);
  invdes_strategy_free(s);
  invdes_space_free(sp);
  invdes_campaign_free(c);
  return rc;
}

int main(int argc, char **argv) {
  int seeds = 10, evals = 100, verbose = 0;
  double noise = 0.05;
  const char *only = "hartmann6";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--seeds")) seeds = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "--evals")) evals = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "--noise")) noise = atof(argv[i + 1]);
    else if (!strcmp(argv[i], "--only")) only = argv[i + 1];
    else if (!strcmp(argv[i], "--verbose")) verbose = atoi(argv[i + 1]);
  }
  static const char *const funcs[] = {"branin", "hartmann6", "rosenbrock"};
  if (seeds < 1 || seeds > 64 || evals < 20 || !(noise > 0)) {
    fprintf(stderr, "usage: bench_noise [--seeds 1..64] [--evals >= 20] [--noise SD > 0] "
                    "[--only branin|hartmann6|rosenbrock|all]\n");
    return 2;
  }
  printf("%-12s %14s %14s %14s   (bo gp/ei, noise sd %g, regret of the recommended "
         "point at %d, noise-free, median of %d seeds)\n", "function", "sd reported",
         "not reported", "not rep.+model", noise, evals, seeds);
  for (size_t k = 0; k < sizeof funcs / sizeof funcs[0]; k++) {
    if (strcmp(only, "all") && strcmp(only, funcs[k])) continue;
    const bench_func *f = bench_func_find(funcs[k]);
    double rep[64], meas[64], learned[64];
    for (int i = 0; i < seeds; i++) {
      outcome a, b;
      if (!f || run(f, (unsigned)(i + 1), evals, noise, 1, &a) ||
          run(f, (unsigned)(i + 1), evals, noise, 0, &b))
        return 1;
      rep[i] = isnan(a.model) ? a.measured : a.model;
      meas[i] = b.measured;
      learned[i] = isnan(b.model) ? b.measured : b.model;
      if (verbose)
        printf("  seed %d: reported %.3g (measured best %.3g), not reported %.3g, "
               "learned-noise model %.3g\n", i + 1, rep[i], a.measured, meas[i], learned[i]);
    }
    printf("%-12s %14.3g %14.3g %14.3g\n", funcs[k], bench_median(rep, (size_t)seeds),
           bench_median(meas, (size_t)seeds), bench_median(learned, (size_t)seeds));
    fflush(stdout);
  }
  return 0;
}
