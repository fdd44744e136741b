/* bo_run.c — a simulated campaign for the bo strategy's tests
 * (bo_run.h): a campaign parsed from YAML text, its strategy, and the
 * proposals, outcomes and saved state of every ask so far. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bo_run.h"
#include "bo.h"

const char bo_run_unit_square[] =
    "name: t\nseed: 1\nparameters:\n"
    "  - {name: a, type: continuous, bounds: [0, 1]}\n"
    "  - {name: b, type: continuous, bounds: [0, 1]}\n"
    "targets:\n  - {name: f, goal: minimize}\n"
    "objective: {kind: station}\n"
    "strategy: {kind: bo, hyper: ml, initial: {design: sobol, count: 10}}\n"
    "budget: {evaluations: 100}\n";

char tmpdir[256];

int run_tmpdir_setup(void **state) {
  (void)state;
  const char *t = getenv("TMPDIR");
  snprintf(tmpdir, sizeof tmpdir, "%s/invdes-bo-XXXXXX", t ? t : "/tmp");
  return mkdtemp(tmpdir) ? 0 : -1;
}

int run_tmpdir_teardown(void **state) {
  (void)state;
  char path[600];
  snprintf(path, sizeof path, "%s/pool.csv", tmpdir);
  unlink(path);
  return rmdir(tmpdir) == 0 ? 0 : -1;
}

invdes_campaign *parse(const char *text) {
  char path[512];
  snprintf(path, sizeof path, "%s/campaign.yaml", tmpdir);
  invdes_error err;
  invdes_error_clear(&err);
  invdes_campaign *c = invdes_campaign_parse(path, text, strlen(text), &err);
  if (!c) fail_msg("campaign: %s", err.message);
  return c;
}

invdes_strategy *strategy_for(run *r, uint64_t seed) {
  return must_strategy_spec(r->sp, &r->c->strategy, r->T, seed);
}

run *run_from(invdes_campaign *c, uint64_t seed, size_t cap) {
  run *r = calloc(1, sizeof *r);
  assert_non_null(r);
  r->c = c;
  r->sp = must_space(r->c);
  r->T = r->c->n_targets;
  r->s = strategy_for(r, seed);
  r->dim = invdes_space_dim(r->sp);
  r->nv = invdes_space_n_vars(r->sp);
  r->cap = cap;
  r->p = invdes_proposals_new(r->s, 64);
  r->z = calloc(cap * r->dim, sizeof *r->z);
  r->x = calloc(cap * r->nv, sizeof *r->x);
  r->y = calloc(cap * r->T, sizeof *r->y);
  r->pm = calloc(cap * r->T, sizeof *r->pm);
  r->acq = calloc(cap, sizeof *r->acq);
  r->failed = calloc(cap, sizeof *r->failed);
  r->told = calloc(cap, sizeof *r->told);
  assert_true(r->p && r->z && r->x && r->y && r->pm && r->acq && r->failed &&
              r->told);
  return r;
}

run *run_new(const char *text, uint64_t seed, size_t cap) {
  return run_from(parse(text), seed, cap);
}

void run_free(run *r) {
  if (!r) return;
  invdes_proposals_free(r->p);
  invdes_strategy_free(r->s);
  invdes_space_free(r->sp);
  invdes_campaign_free(r->c);
  free(r->z);
  free(r->x);
  free(r->y);
  free(r->pm);
  free(r->acq);
  free(r->failed);
  free(r->told);
  free(r->blob);
  free(r);
}

/* z of the untold proposals; *np their number. */
double *pending(const run *r, size_t *np) {
  return untold_z(r->z, r->told, r->n, r->dim, np);
}

/* Asks n (pending = every untold proposal) into r->p; records them. */
void run_ask(run *r, size_t n) {
  size_t np;
  double *pz = pending(r, &np);
  invdes_error err;
  invdes_error_clear(&err);
  if (invdes_strategy_ask(r->s, r->iteration, n, pz, np, r->p, &err))
    fail_msg("ask %llu: %s", (unsigned long long)r->iteration, err.message);
  free(pz);
  assert_int_equal(r->p->n, n);
  assert_true(r->n + n <= r->cap);
  free(r->blob);
  if (invdes_strategy_save_state(r->s, &r->blob, &r->blob_len, &err))
    fail_msg("save: %s", err.message);
  memcpy(r->z + r->n * r->dim, r->p->z, n * r->dim * sizeof *r->z);
  memcpy(r->x + r->n * r->nv, r->p->x, n * r->nv * sizeof *r->x);
  memcpy(r->acq + r->n, r->p->acquisition, n * sizeof *r->acq);
  memcpy(r->pm + r->n * r->T, r->p->pred_mean, n * r->T * sizeof *r->pm);
  r->n += n;
  r->iteration++;
}

void tell_row(run *r, size_t i) {
  invdes_observation o = {(int64_t)i + 1, r->z + i * r->dim, r->x + i * r->nv,
                          r->y + i * r->T, r->failed[i], NULL};
  invdes_error err;
  invdes_error_clear(&err);
  if (invdes_strategy_tell(r->s, &o, 1, &err)) fail_msg("tell: %s", err.message);
  r->told[i] = 1;
}

/* One batch: ask n, then evaluate and tell every untold proposal except the
 * newest `lag` ones (which stay pending for the next ask). */
void run_step(run *r, size_t n, size_t lag, evaluator f) {
  run_ask(r, n);
  for (size_t i = 0; i + lag < r->n; i++) {
    if (r->told[i]) continue;
    f(r, r->x + i * r->nv, r->y + i * r->T, &r->failed[i]);
    tell_row(r, i);
  }
}

/* The best objective (target 0, minimized when sign < 0) among told rows. */
double run_best(const run *r, double sign) {
  double b = -INFINITY;
  for (size_t i = 0; i < r->n; i++)
    if (r->told[i] && !r->failed[i] && isfinite(r->y[i * r->T]) &&
        sign * r->y[i * r->T] > b)
      b = sign * r->y[i * r->T];
  return sign * b;
}

void assert_feasible_distinct(const run *r) {
  assert_feasible_x(r->sp, r->x, r->n);
  assert_distinct(r->z, r->n, r->dim);
}

void run_model(run *r, uint64_t iteration, bo_model *m) {
  invdes_error err;
  invdes_error_clear(&err);
  assert_int_equal(invdes_strategy_ctx_begin(r->s, iteration, NULL, 0, &err), INVDES_OK);
  double hin_v[64], hout_v[64];
  bo_hyper hin = {0, hin_v}, hout = {0, hout_v};
  int usable = 0;
  assert_true(r->dim + 2 <= 64);
  assert_int_equal(bo_model_build(r->s, iteration, &hin, &hout, m, &usable, &err), INVDES_OK);
  assert_true(usable);
}

run *run_same_any_threads(run *(*make)(void), size_t steps, evaluator f) {
  run *r[2];
  for (int k = 0; k < 2; k++) {
    harness_set_threads(k + 1);
    r[k] = make();
    for (size_t i = 0; i < steps; i++) run_step(r[k], 1, 0, f);
  }
  harness_set_threads(2);
  assert_int_equal(r[0]->n, r[1]->n);
  assert_memory_equal(r[0]->z, r[1]->z, r[0]->n * r[0]->dim * sizeof(double));
  assert_memory_equal(r[0]->acq, r[1]->acq, r[0]->n * sizeof(double));
  run_free(r[1]);
  return r[0];
}
