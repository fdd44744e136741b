/* bo_run.h — a simulated campaign for test_bo.c: the campaign comes from
 * YAML text, asks go through the strategy handle with every untold
 * proposal pending, an evaluator function plays the laboratory, and the
 * state saved after each ask is kept for resume checks. Test code only:
 * every helper fails the running cmocka test on an error. */
#ifndef INVDES_BO_RUN_H
#define INVDES_BO_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "campaign.h"
#include "space.h"
#include "strategy.h"
#include "strategy_harness.h"

/* The scratch folder of the test program: campaign paths, pools. */
extern char tmpdir[256];
/* cmocka group set-up and tear-down for it: makes a fresh folder under
 * $TMPDIR (or /tmp); removes it with the pool.csv a test may leave there. */
int run_tmpdir_setup(void **state);
int run_tmpdir_teardown(void **state);

typedef struct run run;
/* Outcome of proposal i (x raw values): targets into y (NAN: missing). */
typedef void (*evaluator)(const run *r, const double *x, double *y, int *failed);

struct run {
  invdes_campaign *c;
  invdes_space *sp;
  invdes_strategy *s;
  invdes_proposals *p;
  size_t dim, nv, T;
  size_t n, cap;
  double *z, *x, *y, *acq, *pm;
  int *failed, *told;
  uint64_t iteration;
  void *blob;               /* the state saved after the last ask */
  size_t blob_len;
};

/* Two continuous parameters in [0, 1], one target f minimized, answered by
 * a station; bo with one ML-II model (hyper: ml) and 10 Sobol points. */
extern const char bo_run_unit_square[];

/* The campaign of text (named TMPDIR/campaign.yaml in messages). */
invdes_campaign *parse(const char *text);
/* A fresh strategy for r's campaign and space with the seed. */
invdes_strategy *strategy_for(run *r, uint64_t seed);
/* A run of campaign c (taken over) with room for cap proposals. */
run *run_from(invdes_campaign *c, uint64_t seed, size_t cap);
run *run_new(const char *text, uint64_t seed, size_t cap);
void run_free(run *r);
/* z of the untold proposals; *np their number (the caller frees). */
double *pending(const run *r, size_t *np);
/* Asks n (pending = every untold proposal) into r->p; records them. */
void run_ask(run *r, size_t n);
/* Tells proposal i's outcome as recorded in r. */
void tell_row(run *r, size_t i);
/* One batch: ask n, then evaluate and tell every untold proposal except the
 * newest `lag` ones (which stay pending for the next ask). */
void run_step(run *r, size_t n, size_t lag, evaluator f);
/* The best objective (target 0, minimized when sign < 0) among told rows. */
double run_best(const run *r, double sign);
/* Every proposal feasible, no two alike. */
void assert_feasible_distinct(const run *r);
/* bo's model of ask `iteration` over r's told rows, fitted afresh (nothing
 * carried); asserts it is usable. The caller frees it (bo_model_free). */
struct bo_model;
void run_model(run *r, uint64_t iteration, struct bo_model *m);
/* `steps` single asks of make()'s run, evaluated by f, with one thread and
 * with two: asserts the same proposals and scores; returns the one-thread
 * run (the caller frees it). */
run *run_same_any_threads(run *(*make)(void), size_t steps, evaluator f);

#endif
