/* bench_bo.c — the bo strategy on analytic functions: regret after 50 and
 * 100 evaluations and the seconds a whole run takes, medians over seeds.
 *
 * Each run is a campaign with one minimize target over one of the problems
 * of bench_funcs.h (the four classic ones unless --only names another, e.g.
 * ackley20, levy3, levy6), strategy bo with a Matérn-5/2 GP
 * (by default; --surrogate rf, --kernel sqexp, --acq, --hyper mcmc choose
 * others),
 * batch 1 (--batch q: asks of q points, each batch told before the next
 * ask), 10 initial Sobol points, driven through the ask/tell interface
 * in memory (no database: the store's cost is bench_run's business).
 * Regret = best value found - the known minimum. With --fail-box, the
 * evaluations whose (x1, x2), scaled to [0,1], fall in the given box fail
 * (told as failed, no value): the regret then counts successful
 * evaluations, and the median fraction of failures after the initial design
 * is printed. With a batch, the proposals within 1e-6 and 1e-3 (encoded,
 * Euclidean) of an earlier one of their batch are counted over all seeds
 * (and those within 1e-2).
 * --strategy random runs the random strategy instead. Prints one line per
 * function; --verbose 1 adds one per seed, --verbose 2 also one per
 * evaluation ("eval SEED N VALUE X1 .. Xd", told order; what
 * bench/basins.py reads). Asserts nothing.
 *
 * usage: bench_bo [--seeds K] [--evals N] [--batch Q] [--acq ei|logei|ucb|pi]
 *                 [--surrogate gp|rf] [--kernel matern52|sqexp] [--hyper ml|mcmc]
 *                 [--strategy bo|random] [--fail-box lo1,hi1,lo2,hi2]
 *                 [--only NAME] [--verbose 1|2] */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_data.h"
#include "bench_funcs.h"
#include "campaign.h"
#include "space.h"
#include "strategy.h"


/* What a run varies beyond the function and the seed. */
typedef struct bench_cfg {
  int evals, batch;
  const char *acq, *surrogate, *kernel, *strategy;
  const char *hyper;    /* gp: ml or mcmc (bo's `hyper`); NULL: unset */
  double fail[4];       /* failing box in unit coordinates of x1, x2:
                           [fail0, fail1] x [fail2, fail3]; fail1 <= fail0:
                           no failures */
} bench_cfg;

/* What a run measured. */
typedef struct bench_out {
  double r50, rN, secs;
  int close6, close3, close2; /* proposals within 1e-6 / 1e-3 / 1e-2
                           (encoded, Euclidean) of an earlier one of the same
                           batch */
  int fails, fails_late;/* failed evaluations; those after the initial 10 */
} bench_out;

/* Whether the evaluation at x fails: x1, x2 (scaled to [0,1] by the box)
 * inside the failing box. The evaluator returns failure, no value. */
static int fails_at(const bench_cfg *cfg, const double *x, const double *lo,
                    const double *hi) {
  if (!(cfg->fail[1] > cfg->fail[0])) return 0;
  double u1 = (x[0] - lo[0]) / (hi[0] - lo[0]), u2 = (x[1] - lo[1]) / (hi[1] - lo[1]);
  return u1 >= cfg->fail[0] && u1 <= cfg->fail[1] && u2 >= cfg->fail[2] && u2 <= cfg->fail[3];
}

/* Counts proposals of p within 1e-6, 1e-3, 1e-2 of an earlier one of p. */
static void count_close(const invdes_proposals *p, bench_out *o) {
  for (size_t i = 1; i < p->n; i++) {
    double dmin = INFINITY;
    for (size_t j = 0; j < i; j++) {
      double d2 = 0;
      for (size_t k = 0; k < p->dim; k++) {
        double d = p->z[i * p->dim + k] - p->z[j * p->dim + k];
        d2 += d * d;
      }
      if (d2 < dmin) dmin = d2;
    }
    o->close6 += sqrt(dmin) < 1e-6;
    o->close3 += sqrt(dmin) < 1e-3;
    o->close2 += sqrt(dmin) < 1e-2;
  }
}

static invdes_campaign *make_campaign(const bench_func *f, unsigned seed, const bench_cfg *cfg,
                                      invdes_error *err) {
  char strategy[512], opts[256] = "";
  if (!strcmp(cfg->strategy, "bo"))
    snprintf(opts, sizeof opts, ", surrogate: %s%s%s, acquisition: %s%s%s", cfg->surrogate,
             strcmp(cfg->surrogate, "gp") ? "" : ", kernel: ",
             strcmp(cfg->surrogate, "gp") ? "" : cfg->kernel, cfg->acq,
             strcmp(cfg->surrogate, "gp") || !cfg->hyper ? "" : ", hyper: ",
             strcmp(cfg->surrogate, "gp") || !cfg->hyper ? "" : cfg->hyper);
  snprintf(strategy, sizeof strategy,
           "{kind: %s%s, batch: %d, initial: {design: sobol, count: 10}}", cfg->strategy, opts,
           cfg->batch);
  return bench_func_campaign(f, strategy, seed, cfg->evals, err);
}

/* One run: asks of cfg->batch points (the last one smaller), each batch
 * evaluated and told before the next ask. */
static int run(const bench_func *f, unsigned seed, const bench_cfg *cfg, int trace,
               bench_out *o) {
  double lo[BENCH_FUNC_MAX_DIM], hi[BENCH_FUNC_MAX_DIM], f_min = bench_func_min(f);
  if (isnan(f_min)) return -1;
  bench_func_box(f, lo, hi);
  memset(o, 0, sizeof *o);
  invdes_error err;
  invdes_error_clear(&err);
  invdes_campaign *c = make_campaign(f, seed, cfg, &err);
  invdes_space *sp = c ? invdes_space_new(c, &err) : NULL;
  invdes_strategy *s = sp ? invdes_strategy_new(sp, &c->strategy, 1, seed, &err) : NULL;
  invdes_proposals *p = s ? invdes_proposals_new(s, (size_t)cfg->batch) : NULL;
  if (!p) {
    fprintf(stderr, "bench_bo: %s\n", err.message);
    return -1;
  }
  double best = INFINITY, t0 = bench_now();
  int rc = 0, done = 0;
  for (uint64_t it = 0; done < cfg->evals && !rc; it++) {
    size_t q = (size_t)(cfg->evals - done < cfg->batch ? cfg->evals - done : cfg->batch);
    if (invdes_strategy_ask(s, it, q, NULL, 0, p, &err)) {
      fprintf(stderr, "bench_bo: ask %d: %s\n", (int)it, err.message);
      rc = -1;
      break;
    }
    count_close(p, o);
    for (size_t i = 0; i < p->n && !rc; i++, done++) {
      const double *x = p->x + i * p->n_vars;
      int failed = fails_at(cfg, x, lo, hi);
      double y = failed ? NAN : bench_func_eval(f, x);
      if (!failed && y < best) best = y;
      if (trace) {
        printf("eval %u %d %.17g", seed, done + 1, y);
        for (size_t k = 0; k < p->n_vars; k++) printf(" %.17g", x[k]);
        printf("\n");
      }
      o->fails += failed;
      o->fails_late += failed && done >= 10;
      invdes_observation ob = {done + 1, p->z + i * p->dim, x, &y, failed, NULL};
      if (invdes_strategy_tell(s, &ob, 1, &err)) rc = -1;
      if (done + 1 == 50) o->r50 = best - f_min;
    }
  }
  o->secs = bench_now() - t0;
  o->rN = best - f_min;
  invdes_proposals_free(p);
  invdes_strategy_free(s);
  invdes_space_free(sp);
  invdes_campaign_free(c);
  return rc;
}

static int parse_args(int argc, char **argv, bench_cfg *cfg, int *seeds, int *verbose,
                      const char **only) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const char *k = argv[i], *v = argv[i + 1];
    if (!strcmp(k, "--seeds")) *seeds = atoi(v);
    else if (!strcmp(k, "--evals")) cfg->evals = atoi(v);
    else if (!strcmp(k, "--batch")) cfg->batch = atoi(v);
    else if (!strcmp(k, "--acq")) cfg->acq = v;
    else if (!strcmp(k, "--surrogate")) cfg->surrogate = v;
    else if (!strcmp(k, "--strategy")) cfg->strategy = v;
    else if (!strcmp(k, "--only")) *only = v;
    else if (!strcmp(k, "--kernel")) cfg->kernel = v;
    else if (!strcmp(k, "--hyper")) cfg->hyper = v;
    else if (!strcmp(k, "--verbose")) *verbose = atoi(v);
    else if (!strcmp(k, "--fail-box")) {
      if (sscanf(v, "%lf,%lf,%lf,%lf", &cfg->fail[0], &cfg->fail[1], &cfg->fail[2],
                 &cfg->fail[3]) != 4)
        return -1;
    } else return -1;
  }
  return *seeds < 1 || *seeds > 64 || cfg->evals < 50 || cfg->batch < 1 ? -1 : 0;
}

int main(int argc, char **argv) {
  int seeds = 5, verbose = 0;
  const char *only = NULL;
  bench_cfg cfg = {100, 1, "ei", "gp", "matern52", "bo", NULL, {0, 0, 0, 0}};
  if (parse_args(argc, argv, &cfg, &seeds, &verbose, &only)) {
    fprintf(stderr, "usage: bench_bo [--seeds 1..64] [--evals >= 50] [--batch >= 1] "
                    "[--acq K] [--surrogate gp|rf] [--kernel K] [--hyper ml|mcmc] [--strategy bo|random] "
                    "[--fail-box lo1,hi1,lo2,hi2] [--only NAME] [--verbose 1|2]\n");
    return 2;
  }
  int failing = cfg.fail[1] > cfg.fail[0];
  printf("%-18s %12s %12s %10s%s   (%s %s/%s, batch %d, %d evaluations, median of %d "
         "seeds)\n", "function", "regret@50", "regret@N", "seconds",
         failing ? "  late-fail" : "", cfg.strategy, cfg.surrogate, cfg.acq, cfg.batch,
         cfg.evals, seeds);
  for (size_t k = 0; k < bench_func_count(); k++) {
    const bench_func *f = bench_func_at(k);
    if (only ? strcmp(only, f->key) != 0 : f->high_dim) continue;
    double r50[64], rN[64], t[64], lf[64];
    int c6 = 0, c3 = 0, c2 = 0;
    for (int i = 0; i < seeds; i++) {
      bench_out o;
      if (run(f, (unsigned)(i + 1), &cfg, verbose >= 2, &o)) return 1;
      r50[i] = o.r50, rN[i] = o.rN, t[i] = o.secs;
      lf[i] = (double)o.fails_late / (cfg.evals - 10);
      c6 += o.close6, c3 += o.close3, c2 += o.close2;
      if (verbose)
        printf("  seed %d: regret %.3g / %.3g, %.2f s, close 1e-6 %d, 1e-3 %d, "
               "failed %d (%d after the initial design)\n", i + 1, o.r50, o.rN, o.secs,
               o.close6, o.close3, o.fails, o.fails_late);
    }
    double m50 = bench_median(r50, (size_t)seeds), mN = bench_median(rN, (size_t)seeds);
    double mt = bench_median(t, (size_t)seeds);
    printf("%-18s %12.3g %12.3g %10.2f", f->label, m50, mN, mt);
    if (failing) printf("  %9.3f", bench_median(lf, (size_t)seeds));
    if (cfg.batch > 1)
      printf("   close: %d within 1e-6, %d within 1e-3, %d within 1e-2", c6, c3, c2);
    printf("\n");
    fflush(stdout);
  }
  return 0;
}
