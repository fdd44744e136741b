/* bench_funcs.c — the shared benchmark problems and the in-memory ask/tell
 * run (see bench_funcs.h). Knows no strategy by name: the strategy block is
 * the caller's YAML, validated by the campaign loader like any other. */
#include "bench_funcs.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bench_data.h"
#include "builtin.h"
#include "campaign.h"
#include "space.h"
#include "strategy.h"

/* Ackley's optimum moved off the box centre (bench/anchors.md); the 20-D
 * problem repeats the 5-D shift four times. */
static const double ACKLEY_SHIFT[BENCH_FUNC_MAX_DIM] = {
    1.3, -2.1, 0.7, 2.9, -1.6, 1.3, -2.1, 0.7, 2.9, -1.6,
    1.3, -2.1, 0.7, 2.9, -1.6, 1.3, -2.1, 0.7, 2.9, -1.6};

static const bench_func FUNCS[] = {
    {"branin", "Branin", "branin", 2, NULL, 0, 0},
    {"hartmann6", "Hartmann6", "hartmann6", 6, NULL, 0, 0},
    {"ackley", "Ackley-5D shifted", "ackley", 5, ACKLEY_SHIFT, 5, 0},
    {"rosenbrock", "Rosenbrock-4D", "rosenbrock", 4, NULL, 0, 0},
    {"ackley20", "Ackley-20D shifted", "ackley", 20, ACKLEY_SHIFT, 5, 1},
    /* not in issue 9's list: a change tuned to the four above shows here
     * (a second-basin search that fixed Hartmann6 took Levy-3D from
     * 0.0175 to 0.149 at 100, docs/architecture.md) */
    {"levy3", "Levy-3D", "levy", 3, NULL, 0, 1},
    {"levy6", "Levy-6D", "levy", 6, NULL, 0, 1},
};

size_t bench_func_count(void) { return sizeof FUNCS / sizeof FUNCS[0]; }

const bench_func *bench_func_at(size_t i) {
  return i < bench_func_count() ? &FUNCS[i] : NULL;
}

const bench_func *bench_func_find(const char *key) {
  for (size_t i = 0; i < bench_func_count(); i++)
    if (!strcmp(FUNCS[i].key, key)) return &FUNCS[i];
  return NULL;
}

double bench_func_min(const bench_func *f) {
  const invdes_builtin *b = invdes_builtin_find(f->name);
  return b ? b->f_min : NAN;
}

void bench_func_box(const bench_func *f, double *lo, double *hi) {
  const invdes_builtin *b = invdes_builtin_find(f->name);
  if (b) b->domain(f->d, lo, hi);
  for (size_t j = 0; (f->box > 0 || !b) && j < f->d; j++) {
    lo[j] = -f->box;
    hi[j] = f->box;
  }
}

double bench_func_eval(const bench_func *f, const double *x) {
  return invdes_builtin_eval(invdes_builtin_find(f->name), x, f->d, f->shift);
}

/* The campaign text: the problem's box, one minimized target, a station
 * objective (the run evaluates), the strategy block and the budget. */
static int campaign_text(const bench_func *f, const char *strategy_yaml,
                         unsigned seed, int evals, char *text, size_t size) {
  double lo[BENCH_FUNC_MAX_DIM], hi[BENCH_FUNC_MAX_DIM];
  bench_func_box(f, lo, hi);
  size_t n = (size_t)snprintf(text, size, "name: bench-%s\nseed: %u\nparameters:\n",
                              f->key, seed);
  for (size_t j = 0; j < f->d && n < size; j++)
    n += (size_t)snprintf(text + n, size - n,
                          "  - {name: x%zu, type: continuous, bounds: [%.17g, %.17g]}\n",
                          j + 1, lo[j], hi[j]);
  if (n < size)
    n += (size_t)snprintf(text + n, size - n,
                          "targets:\n  - {name: f, goal: minimize}\n"
                          "objective: {kind: station}\n"
                          "strategy: %s\nbudget: {evaluations: %d}\n",
                          strategy_yaml, evals);
  return n < size ? 0 : -1;
}

invdes_campaign *bench_func_campaign(const bench_func *f, const char *strategy_yaml,
                                     unsigned seed, int evals, invdes_error *err) {
  char text[8192];
  if (!invdes_builtin_find(f->name) || f->d > BENCH_FUNC_MAX_DIM ||
      campaign_text(f, strategy_yaml, seed, evals, text, sizeof text)) {
    invdes_error_set(err, INVDES_ERR_USAGE, "bench problem %s: cannot be set up", f->key);
    return NULL;
  }
  return invdes_campaign_parse("bench.yaml", text, strlen(text), err);
}

int bench_func_run(const bench_func *f, const char *strategy_yaml,
                   unsigned seed, int evals, double *best, double *secs,
                   double *ask_secs, invdes_error *err) {
  invdes_campaign *c = bench_func_campaign(f, strategy_yaml, seed, evals, err);
  invdes_space *sp = c ? invdes_space_new(c, err) : NULL;
  invdes_strategy *s = sp ? invdes_strategy_new(sp, &c->strategy, 1, seed, err) : NULL;
  invdes_proposals *p = s ? invdes_proposals_new(s, 1) : NULL;
  int rc = p ? 0 : s ? -1 : -2;
  if (s && !p) invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  double lowest = INFINITY, t0 = bench_now();
  for (int i = 0; i < evals && !rc; i++) {
    double ta = bench_cpu_now();
    if (invdes_strategy_ask(s, (uint64_t)i, 1, NULL, 0, p, err)) {
      rc = -1;
      break;
    }
    if (p->n < 1) {
      invdes_error_set(err, INVDES_ERR_INFEASIBLE, "ask %d: no proposal", i);
      rc = -1;
      break;
    }
    if (ask_secs) ask_secs[i] = bench_cpu_now() - ta;
    double y = bench_func_eval(f, p->x);
    if (y < lowest) lowest = y;
    best[i] = lowest;
    invdes_observation o = {i + 1, p->z, p->x, &y, 0, NULL};
    if (invdes_strategy_tell(s, &o, 1, err)) rc = -1;
  }
  *secs = bench_now() - t0;
  invdes_proposals_free(p);
  invdes_strategy_free(s);
  invdes_space_free(sp);
  invdes_campaign_free(c);
  return rc;
}
