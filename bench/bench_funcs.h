/* bench_funcs.h — the analytic problems the search benchmarks share, and one
 * sequential ask/tell run of any strategy on one of them, in memory.
 *
 * A problem is a builtin function (objectives/builtin.h) with its search box
 * and an optional shift of the optimum (bench/anchors.md: Ackley is shifted so
 * that a strategy that samples the box centre first gains nothing). The run
 * builds a campaign from the problem and a strategy block given as YAML
 * (e.g. "{kind: bo, surrogate: gp, initial: {design: sobol, count: 10}}"),
 * asks one point at a time, evaluates the function and tells the value back;
 * no database (the store's cost is bench_run's business). Benchmarks only:
 * not part of libinvdes, asserts nothing. */
#ifndef INVDES_BENCH_FUNCS_H
#define INVDES_BENCH_FUNCS_H

#include <stddef.h>

#include "error.h"

#define BENCH_FUNC_MAX_DIM 20

typedef struct bench_func {
  const char *key;      /* unique: "branin", "hartmann6", "ackley", ... */
  const char *label;    /* printed name */
  const char *name;     /* the builtin function */
  size_t d;
  const double *shift;  /* d entries, or NULL for the unshifted function */
  double box;           /* > 0: search [-box, box]^d, not the usual box */
  int high_dim;         /* 1: not among the four classic problems */
} bench_func;

/* Number of problems; entries are 0..count-1, the four classic ones
 * (Branin, Hartmann6, shifted Ackley-5D, Rosenbrock-4D) first. */
size_t bench_func_count(void);
const bench_func *bench_func_at(size_t i);
/* The problem whose key is key, or NULL. */
const bench_func *bench_func_find(const char *key);

/* The problem's known minimum value (NaN if the builtin is missing). */
double bench_func_min(const bench_func *f);

/* The problem's search box: lo[0..d), hi[0..d). */
void bench_func_box(const bench_func *f, double *lo, double *hi);

/* The problem's value at x (d raw values; the shift applied); NaN when the
 * builtin is missing. */
double bench_func_eval(const bench_func *f, const double *x);

/* The campaign of one run: the problem's box as continuous x1..xd, one
 * minimized target f, a station objective (the caller evaluates), the
 * strategy block (YAML) and a budget of evals. NULL with err filled when the
 * problem cannot be set up or the campaign is refused. */
struct invdes_campaign;
struct invdes_campaign *bench_func_campaign(const bench_func *f, const char *strategy_yaml,
                                            unsigned seed, int evals, invdes_error *err);

/* One run of evals sequential asks with the given strategy block and seed.
 * best[i] receives the best value found after i + 1 evaluations (evals
 * entries), *secs the seconds of the whole run, ask_secs[i] (evals entries;
 * NULL: not wanted) the CPU seconds (bench_cpu_now) of ask i + 1 alone
 * (evaluation and tell excluded). 0 on success; -2 with err filled when the campaign or the
 * strategy block is refused before any ask (the caller may skip that
 * strategy); -1 with err filled when the run fails later. */
int bench_func_run(const bench_func *f, const char *strategy_yaml,
                   unsigned seed, int evals, double *best, double *secs,
                   double *ask_secs, invdes_error *err);

#endif
