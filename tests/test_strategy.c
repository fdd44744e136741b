/* test_strategy.c — the ask/tell interface and the design strategies
 * random, sobol and lhs: proposals feasible and encoded exactly, the same
 * seed giving the same campaign, iterations giving different streams, exact
 * resume from (seed, history, saved state) however the history is told,
 * pools and small finite spaces never repeating a point that is told or
 * pending (the redox pool file also by pso and ga), a clear error when they
 * run out, the initial design shared by
 * model-based strategies, and bad tells refused. Uses the C-struct
 * campaigns of space_fixtures.h and one campaign file of tests/campaigns. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rng.h"
#include "sample.h"
#include "space.h"
#include "space_fixtures.h"
#include "strategy.h"
#include "strategy_harness.h"
#include "strategy_impl.h"

#define NT HARNESS_NT /* targets in every test campaign */

static const char *const KIND_NAMES[] = {"random", "sobol", "lhs"};
#define N_KINDS 3
#define KIND(i) invdes_strategy_kind_find(KIND_NAMES[i])

static invdes_strategy_spec spec_of(const invdes_strategy_type *kind) {
  invdes_strategy_spec spec;
  memset(&spec, 0, sizeof spec);
  spec.kind = kind;
  spec.batch = 1;
  return spec;
}

static invdes_strategy *must_strategy(const invdes_space *sp,
                                      const invdes_strategy_type *kind,
                                      uint64_t seed) {
  invdes_strategy_spec spec = spec_of(kind);
  return must_strategy_spec(sp, &spec, NT, seed);
}

/* ---- tests ------------------------------------------------------------------- */

static void test_feasible_and_reproducible(void **state) {
  (void)state;
  fixture *fx[3] = {fx_ncm(), fx_all_types(), fx_simplex3()};
  for (int f = 0; f < 3; f++) {
    fx[f]->c.budget.evaluations = 30;
    invdes_space *sp = must_space(&fx[f]->c);
    for (int k = 0; k < N_KINDS; k++) {
      invdes_strategy_spec spec = spec_of(KIND(k));
      harness_check_reproducible(sp, &spec, 8, 5);
    }
    invdes_space_free(sp);
    fx_free(fx[f]);
  }
}

static void test_random_streams_by_iteration(void **state) {
  (void)state;
  fixture *f = fx_ncm();
  invdes_space *sp = must_space(&f->c);
  size_t nv = invdes_space_n_vars(sp);
  invdes_strategy *s = must_strategy(sp, invdes_strategy_kind_find("random"), 5);
  invdes_proposals *a = invdes_proposals_new(s, 6);
  invdes_proposals *b = invdes_proposals_new(s, 6);
  invdes_proposals *c = invdes_proposals_new(s, 6);
  assert_int_equal(invdes_strategy_ask(s, 3, 6, NULL, 0, a, NULL), INVDES_OK);
  assert_int_equal(invdes_strategy_ask(s, 3, 6, NULL, 0, b, NULL), INVDES_OK);
  assert_int_equal(invdes_strategy_ask(s, 4, 6, NULL, 0, c, NULL), INVDES_OK);
  assert_memory_equal(a->x, b->x, 6 * nv * sizeof *a->x);
  assert_memory_not_equal(a->x, c->x, 6 * nv * sizeof *a->x);
  /* the documented stream: (seed, stream_id(iteration, 0)), as sample.h */
  double *x = malloc(6 * nv * sizeof *x);
  assert_int_equal(invdes_sample(sp, INVDES_DESIGN_RANDOM, 6, 5,
                                 invdes_rng_stream_id(3, 0), x, NULL),
                   INVDES_OK);
  assert_memory_equal(a->x, x, 6 * nv * sizeof *x);
  /* the reserved iteration is refused */
  invdes_error err;
  invdes_error_clear(&err);
  assert_int_equal(invdes_strategy_ask(s, INVDES_STRATEGY_FIXED_ITERATION, 1,
                                       NULL, 0, a, &err),
                   INVDES_ERR_USAGE);
  free(x);
  invdes_proposals_free(a);
  invdes_proposals_free(b);
  invdes_proposals_free(c);
  invdes_strategy_free(s);
  invdes_space_free(sp);
  fx_free(f);
}

/* Sobol continues its sequence from ask to ask: 3 + 4 + 5 proposals are the
 * first 12 points of the design sample.h draws from the sobol stream. */
static void test_sobol_continues(void **state) {
  (void)state;
  fixture *f = fx_ncm();
  invdes_space *sp = must_space(&f->c);
  size_t nv = invdes_space_n_vars(sp);
  invdes_strategy *s = must_strategy(sp, invdes_strategy_kind_find("sobol"), 9);
  invdes_proposals *p = invdes_proposals_new(s, 5);
  double *got = malloc(12 * nv * sizeof *got), *want = malloc(12 * nv * sizeof *want);
  size_t at = 0, sizes[3] = {3, 4, 5};
  for (int i = 0; i < 3; i++) {
    assert_int_equal(invdes_strategy_ask(s, (uint64_t)i, sizes[i], NULL, 0, p,
                                         NULL),
                     INVDES_OK);
    memcpy(got + at * nv, p->x, sizes[i] * nv * sizeof *got);
    at += sizes[i];
  }
  assert_int_equal(invdes_sample(sp, INVDES_DESIGN_SOBOL, 12, 9,
                                 invdes_rng_stream_id(
                                     INVDES_STRATEGY_FIXED_ITERATION,
                                     INVDES_STRATEGY_K_SOBOL),
                                 want, NULL),
                   INVDES_OK);
  assert_memory_equal(got, want, 12 * nv * sizeof *got);
  free(got);
  free(want);
  invdes_proposals_free(p);
  invdes_strategy_free(s);
  invdes_space_free(sp);
  fx_free(f);
}

/* One continuous parameter on [0, 1], budget 10: the lhs strategy's first
 * ten proposals fall one in each tenth, and so do the next ten. */
static void test_lhs_strata(void **state) {
  (void)state;
  fixture *f = fx_simplex3();
  f->c.n_compositions = 0;
  f->p[0] = (invdes_param){.name = "a", .type = INVDES_PARAM_CONTINUOUS,
                           .lo = 0, .hi = 1, .mark = {3, 5}};
  f->c.n_params = 1;
  f->c.budget.evaluations = 10;
  invdes_space *sp = must_space(&f->c);
  invdes_strategy *s = must_strategy(sp, invdes_strategy_kind_find("lhs"), 3);
  sim *m = sim_new(s, 20);
  invdes_proposals *p = invdes_proposals_new(s, 4);
  size_t sizes[6] = {4, 3, 3, 2, 4, 4};
  for (int i = 0; i < 6; i++) sim_step(s, m, sizes[i], p);
  for (int round = 0; round < 2; round++) {
    int seen[10] = {0};
    for (size_t i = 0; i < 10; i++) seen[(int)(m->x[round * 10 + i] * 10)]++;
    for (int b = 0; b < 10; b++) assert_int_equal(seen[b], 1);
  }
  double want[10];
  assert_int_equal(invdes_sample(sp, INVDES_DESIGN_LHS, 10, 3,
                                 invdes_rng_stream_id(
                                     INVDES_STRATEGY_FIXED_ITERATION,
                                     INVDES_STRATEGY_K_LHS),
                                 want, NULL),
                   INVDES_OK);
  assert_memory_equal(m->x, want, sizeof want);
  invdes_proposals_free(p);
  sim_free(m);
  invdes_strategy_free(s);
  invdes_space_free(sp);
  fx_free(f);
}

/* A strategy rebuilt at any point of a campaign from the seed, the told
 * history (told in reverse order) and the saved state continues exactly as
 * the original; only sobol has a saved state. */
static void check_resume(const invdes_space *sp, const invdes_strategy_type *kind,
                         size_t iters, size_t batch) {
  size_t sizes[16];
  assert_true(iters <= 16);
  for (size_t it = 0; it < iters; it++) sizes[it] = batch;
  invdes_strategy_spec spec = spec_of(kind);
  harness_check_resume(sp, &spec, iters, sizes,
                       kind == invdes_strategy_kind_find("sobol"));
}

static void test_resume_exact(void **state) {
  (void)state;
  fixture *f = fx_ncm();
  f->c.budget.evaluations = 12;
  invdes_space *sp = must_space(&f->c);
  for (int k = 0; k < N_KINDS; k++) check_resume(sp, KIND(k), 9, 4);
  invdes_space_free(sp);
  fx_free(f);
  /* a finite space: 5 dopants × 6 layers, with pending points in play */
  f = fx_ncm();
  f->c.n_compositions = 0;
  f->c.n_constraints = 0;
  f->p[0] = f->p[2];
  f->c.n_params = 2;
  f->c.budget.evaluations = 7;
  sp = must_space(&f->c);
  for (int k = 0; k < N_KINDS; k++) check_resume(sp, KIND(k), 7, 4);
  invdes_space_free(sp);
  fx_free(f);
  /* a pool of 8 rows, used up by the last batch */
  f = fx_pool();
  f->c.budget.evaluations = 3;
  sp = must_space(&f->c);
  for (int k = 0; k < N_KINDS; k++) check_resume(sp, KIND(k), 4, 2);
  invdes_space_free(sp);
  fx_free(f);
}

static void check_exhaust(const invdes_space *sp, const invdes_strategy_type *kind,
                          size_t total, size_t batch, const char *what) {
  invdes_strategy_spec spec = spec_of(kind);
  harness_check_exhaust(sp, &spec, total, batch, what);
}

static void test_pool_never_repeats(void **state) {
  (void)state;
  fixture *f = fx_pool();
  f->c.budget.evaluations = 3;
  invdes_space *sp = must_space(&f->c);
  for (int k = 0; k < N_KINDS; k++) check_exhaust(sp, KIND(k), 8, 3, "pool");
  invdes_space_free(sp);
  /* a constraint leaves 7 rows */
  fx_add_constraint(f, "f1 + f2 <= 1.5", 0);
  sp = must_space(&f->c);
  for (int k = 0; k < N_KINDS; k++) check_exhaust(sp, KIND(k), 7, 2, "pool");
  invdes_space_free(sp);
  fx_free(f);
}

/* Rows 1 and 2 (0-based 0, 1) have the same features, so the same z: both
 * are still handed out, and once one z is told only the other is left. */
static void test_pool_same_features(void **state) {
  (void)state;
  fixture *f = fx_pool();
  f->pool_x[2] = 0;
  f->pool_x[3] = 0;
  f->c.budget.evaluations = 8;
  invdes_space *sp = must_space(&f->c);
  for (int k = 0; k < N_KINDS; k++) check_exhaust(sp, KIND(k), 8, 3, "pool");
  invdes_strategy *s = must_strategy(sp, invdes_strategy_kind_find("sobol"), 1);
  double z0[2] = {0, 0}, y[NT] = {1, 2};
  invdes_observation o = {.id = 1, .z = z0, .y = y};
  must_tell(s, &o, 1);
  assert_int_equal(invdes_strategy_remaining(s, NULL, 0), 7);
  invdes_proposals *out = invdes_proposals_new(s, 7);
  assert_int_equal(invdes_strategy_ask(s, 0, 7, NULL, 0, out, NULL),
                   INVDES_OK);
  int seen[8] = {0};
  for (size_t i = 0; i < 7; i++) seen[(int)out->x[i]]++;
  assert_int_equal(seen[0], 0);
  for (int r = 1; r < 8; r++) assert_int_equal(seen[r], 1);
  invdes_proposals_free(out);
  invdes_strategy_free(s);
  invdes_space_free(sp);
  fx_free(f);
}

/* Categorical-only and small integer spaces: pending points are never
 * proposed again while others are left. */
static void test_small_finite_space(void **state) {
  (void)state;
  fixture *f = fx_ncm();
  f->c.n_compositions = 0;
  f->c.n_constraints = 0;
  f->p[0] = f->p[2];      /* dopant: 5 labels */
  f->c.n_params = 1;
  f->c.budget.evaluations = 2;
  invdes_space *sp = must_space(&f->c);
  for (int k = 0; k < N_KINDS; k++)
    check_exhaust(sp, KIND(k), 5, 2, "space");
  invdes_space_free(sp);
  /* dopant × an integer in [0, 1], and a constraint on the integer */
  f->p[1] = (invdes_param){.name = "n", .type = INVDES_PARAM_INTEGER,
                           .lo = 0, .hi = 2, .mark = {4, 5}};
  f->c.n_params = 2;
  fx_add_constraint(f, "n <= 1", 0);
  sp = must_space(&f->c);
  for (int k = 0; k < N_KINDS; k++)
    check_exhaust(sp, KIND(k), 10, 4, "space");
  invdes_space_free(sp);
  fx_free(f);
}

/* The redox-mer pool of tests/campaigns/good/pool.yaml, asked in batches
 * of 100 with everything earlier pending, until none is left: by the design
 * strategies and by pso and ga (their pool paths differ: seq.c and
 * random fill; evo.c's nearest untried row), the file loaded once. */
static void test_pool_campaign_file(void **state) {
  (void)state;
  invdes_error err;
  invdes_error_clear(&err);
  invdes_campaign *c =
      invdes_campaign_load(data_path("tests/campaigns/good/pool.yaml"), &err);
  if (!c) fail_msg("load: %s", err.message);
  invdes_space *sp = must_space(c);
  size_t rows = invdes_space_pool_feasible_rows(sp);
  assert_true(rows > 1000);
  for (int k = 0; k < N_KINDS; k++) {
    invdes_strategy_spec spec = spec_of(KIND(k));
    harness_exhaust_pool(sp, c, &spec);
  }
  static const char *const evo[2] = {"pso", "ga"};
  for (int k = 0; k < 2; k++) {
    invdes_strategy_spec spec = harness_evo_spec(invdes_strategy_kind_find(evo[k]));
    harness_exhaust_pool(sp, c, &spec);
  }
  invdes_space_free(sp);
  invdes_campaign_free(c);
}

static void test_saved_state(void **state) {
  (void)state;
  fixture *f = fx_ncm();
  f->c.budget.evaluations = 10;
  invdes_space *sp = must_space(&f->c);
  invdes_strategy *r = must_strategy(sp, invdes_strategy_kind_find("random"), 1);
  invdes_strategy *so = must_strategy(sp, invdes_strategy_kind_find("sobol"), 1);
  invdes_strategy *l = must_strategy(sp, invdes_strategy_kind_find("lhs"), 1);
  void *blob;
  size_t len;
  invdes_error err;
  invdes_error_clear(&err);
  assert_int_equal(invdes_strategy_save_state(r, &blob, &len, &err), INVDES_OK);
  assert_null(blob);
  assert_int_equal(len, 0);
  assert_int_equal(invdes_strategy_load_state(r, NULL, 0, &err), INVDES_OK);

  invdes_proposals *first = invdes_proposals_new(so, 3);
  invdes_proposals *p = invdes_proposals_new(so, 3);
  assert_int_equal(invdes_strategy_ask(so, 0, 3, NULL, 0, first, NULL), 0);
  assert_int_equal(invdes_strategy_save_state(so, &blob, &len, &err), 0);
  assert_int_equal(len, 4 + sizeof "sobol" + 8); /* tag, name, position */
  /* another strategy's state, a stateless strategy, truncation, garbage */
  assert_int_equal(invdes_strategy_load_state(l, blob, len, &err),
                   INVDES_ERR_INVALID);
  assert_non_null(strstr(err.message, "sobol"));
  assert_int_equal(invdes_strategy_load_state(r, blob, len, &err),
                   INVDES_ERR_INVALID);
  assert_int_equal(invdes_strategy_load_state(so, blob, len - 1, &err),
                   INVDES_ERR_INVALID);
  unsigned char junk[13] = "not a state!";
  assert_int_equal(invdes_strategy_load_state(so, junk, sizeof junk, &err),
                   INVDES_ERR_INVALID);
  /* a refused load leaves the position: the next ask continues */
  assert_int_equal(invdes_strategy_ask(so, 1, 3, NULL, 0, p, NULL), 0);
  assert_memory_not_equal(p->z, first->z, 3 * p->dim * sizeof *p->z);
  /* restoring the saved position repeats that ask; resetting starts over */
  assert_int_equal(invdes_strategy_load_state(so, blob, len, &err), 0);
  invdes_proposals *q = invdes_proposals_new(so, 3);
  assert_int_equal(invdes_strategy_ask(so, 1, 3, NULL, 0, q, NULL), 0);
  assert_memory_equal(p->z, q->z, 3 * p->dim * sizeof *p->z);
  assert_int_equal(invdes_strategy_load_state(so, NULL, 0, &err), 0);
  assert_int_equal(invdes_strategy_ask(so, 0, 3, NULL, 0, q, NULL), 0);
  assert_memory_equal(first->z, q->z, 3 * p->dim * sizeof *p->z);
  free(blob);
  invdes_proposals_free(first);
  invdes_proposals_free(p);
  invdes_proposals_free(q);
  invdes_strategy_free(r);
  invdes_strategy_free(so);
  invdes_strategy_free(l);
  invdes_space_free(sp);
  fx_free(f);
}

/* A failed ask (the pool is short) leaves sobol's position alone. */
static void test_failed_ask_keeps_state(void **state) {
  (void)state;
  fixture *f = fx_pool();
  invdes_space *sp = must_space(&f->c);
  invdes_strategy *a = must_strategy(sp, invdes_strategy_kind_find("sobol"), 2);
  invdes_strategy *b = must_strategy(sp, invdes_strategy_kind_find("sobol"), 2);
  invdes_proposals *pa = invdes_proposals_new(a, 6);
  invdes_proposals *pb = invdes_proposals_new(b, 6);
  double pend[12];
  assert_int_equal(invdes_strategy_ask(a, 0, 5, NULL, 0, pa, NULL), 0);
  assert_int_equal(invdes_strategy_ask(b, 0, 5, NULL, 0, pb, NULL), 0);
  memcpy(pend, pa->z, 10 * sizeof *pend);
  invdes_error err;
  invdes_error_clear(&err);
  assert_int_equal(invdes_strategy_ask(a, 1, 4, pend, 5, pa, &err),
                   INVDES_ERR_INFEASIBLE);
  assert_non_null(strstr(err.message, "3 untried candidates left"));
  assert_int_equal(invdes_strategy_ask(a, 1, 3, pend, 5, pa, NULL), 0);
  assert_int_equal(invdes_strategy_ask(b, 1, 3, pend, 5, pb, NULL), 0);
  assert_memory_equal(pa->x, pb->x, 3 * sizeof *pa->x);
  invdes_proposals_free(pa);
  invdes_proposals_free(pb);
  invdes_strategy_free(a);
  invdes_strategy_free(b);
  invdes_space_free(sp);
  fx_free(f);
}

static void test_tell_checks(void **state) {
  (void)state;
  fixture *f = fx_ncm();
  invdes_space *sp = must_space(&f->c);
  invdes_strategy *s = must_strategy(sp, invdes_strategy_kind_find("random"), 1);
  invdes_proposals *p = invdes_proposals_new(s, 2);
  assert_int_equal(invdes_strategy_ask(s, 0, 2, NULL, 0, p, NULL), 0);
  size_t D = p->dim, nv = p->n_vars;
  double y[NT] = {1, NAN}, yinf[NT] = {INFINITY, 0};
  double zbad[16], xbad[16];
  memcpy(zbad, p->z, D * sizeof *zbad);
  memcpy(xbad, p->x, nv * sizeof *xbad);
  zbad[0] = 1.5;
  xbad[0] = 2000; /* sinter_T out of bounds */
  invdes_observation good = {.id = 1, .z = p->z, .y = y};
  invdes_observation bad[5] = {
      {.id = 0, .z = p->z, .y = y},
      {.id = 2, .z = zbad, .y = y},
      {.id = 2, .z = p->z + D, .y = yinf},
      {.id = 2, .z = p->z + D, .x = xbad, .y = y},
      {.id = 2, .z = NULL, .y = y}};
  for (int i = 0; i < 5; i++) {
    invdes_observation two[2] = {good, bad[i]};
    invdes_error err;
    invdes_error_clear(&err);
    assert_int_equal(invdes_strategy_tell(s, two, 2, &err),
                     INVDES_ERR_INVALID);
    assert_non_null(strstr(err.message, "observation 1"));
    assert_int_equal(invdes_strategy_n_told(s), 0);
  }
  /* a second tell of the same id replaces the first */
  must_tell(s, &good, 1);
  double y2[NT] = {1, 3};
  good.y = y2;
  must_tell(s, &good, 1);
  assert_int_equal(invdes_strategy_n_told(s), 1);
  assert_true(s->h_y[1] == 3);
  invdes_proposals_free(p);
  invdes_strategy_free(s);
  invdes_space_free(sp);
  fx_free(f);
}

static void test_registry(void **state) {
  (void)state;
  assert_true(invdes_strategy_available(invdes_strategy_kind_find("random")));
  assert_true(invdes_strategy_available(invdes_strategy_kind_find("sobol")));
  assert_true(invdes_strategy_available(invdes_strategy_kind_find("lhs")));
  fixture *f = fx_ncm();
  invdes_space *sp = must_space(&f->c);
  invdes_strategy_spec spec;
  memset(&spec, 0, sizeof spec);
  invdes_error err;
  invdes_error_clear(&err);
  /* every kind a campaign can name is built in; anything else is refused */
  assert_true(invdes_strategy_available(invdes_strategy_kind_find("bo")));
  assert_true(invdes_strategy_available(invdes_strategy_kind_find("pso")));
  assert_true(invdes_strategy_available(invdes_strategy_kind_find("ga")));
  static const invdes_strategy_type unregistered = {.name = "unregistered"};
  spec.kind = &unregistered;
  assert_false(invdes_strategy_available(spec.kind));
  assert_null(invdes_strategy_new(sp, &spec, NT, 1, &err));
  assert_non_null(strstr(err.message, "is not available in this build"));
  /* lhs needs a budget to size its hypercube */
  spec.kind = invdes_strategy_kind_find("lhs");
  assert_null(invdes_strategy_new(sp, &spec, NT, 1, &err));
  assert_non_null(strstr(err.message, "budget"));
  spec.kind = invdes_strategy_kind_find("sobol");
  invdes_strategy *s = invdes_strategy_new(sp, &spec, NT, 1, &err);
  assert_non_null(s);
  assert_string_equal(invdes_strategy_name(s), "sobol");
  assert_ptr_equal(invdes_strategy_kind_of(s), invdes_strategy_kind_find("sobol"));
  invdes_strategy_free(s);
  invdes_strategy_free(NULL);
  invdes_proposals_free(NULL);
  invdes_space_free(sp);
  fx_free(f);
}

/* The initial design of model-based strategies, through the implementer's
 * helper: the first initial_count points of the design, then only those
 * neither told nor pending, and nothing once all are taken. */
static void test_initial_design(void **state) {
  (void)state;
  fixture *f = fx_ncm();
  invdes_space *sp = must_space(&f->c);
  size_t nv = invdes_space_n_vars(sp), D = invdes_space_dim(sp);
  invdes_strategy_spec spec;
  memset(&spec, 0, sizeof spec);
  spec.kind = invdes_strategy_kind_find("random");
  spec.initial_design = INVDES_DESIGN_SOBOL;
  spec.initial_count = 7;
  invdes_strategy *s = invdes_strategy_new(sp, &spec, NT, 8, NULL);
  assert_non_null(s);
  invdes_proposals *p = invdes_proposals_new(s, 10);
  size_t made;
  assert_int_equal(invdes_strategy_ctx_begin(s, 0, NULL, 0, NULL), 0);
  assert_int_equal(invdes_strategy_initial_design(s, &s->ctx, 10, p, &made,
                                                  NULL),
                   0);
  assert_int_equal(made, 7);
  check_batch(s, p);
  double want[7 * 16];
  assert_true(7 * nv <= sizeof want / sizeof *want);
  assert_int_equal(invdes_sample(sp, INVDES_DESIGN_SOBOL, 7, 8,
                                 invdes_rng_stream_id(
                                     INVDES_STRATEGY_FIXED_ITERATION,
                                     INVDES_STRATEGY_K_INITIAL),
                                 want, NULL),
                   0);
  assert_memory_equal(p->x, want, 7 * nv * sizeof *want);
  /* points 0-2 pending, 3-4 told: 5 and 6 remain, in order */
  double *z = malloc(7 * D * sizeof *z), y[NT] = {0, 0};
  memcpy(z, p->z, 7 * D * sizeof *z);
  invdes_observation o[2] = {{.id = 4, .z = z + 3 * D, .y = y},
                             {.id = 5, .z = z + 4 * D, .y = y}};
  for (int pass = 0; pass < 2; pass++) {
    /* pass 1: a rebuilt strategy gives the same */
    invdes_strategy *t = pass ? invdes_strategy_new(sp, &spec, NT, 8, NULL) : s;
    must_tell(t, o, 2);
    p->n = 0;
    assert_int_equal(invdes_strategy_ctx_begin(t, 1, z, 3, NULL), 0);
    assert_int_equal(invdes_strategy_initial_design(t, &t->ctx, 4, p, &made,
                                                    NULL),
                     0);
    assert_int_equal(made, 2);
    assert_memory_equal(p->z, z + 5 * D, 2 * D * sizeof *z);
    /* all seven taken: the initial phase is over */
    p->n = 0;
    assert_int_equal(invdes_strategy_ctx_begin(t, 2, z, 7, NULL), 0);
    assert_int_equal(invdes_strategy_initial_design(t, &t->ctx, 4, p, &made,
                                                    NULL),
                     0);
    assert_int_equal(made, 0);
    if (pass) invdes_strategy_free(t);
  }
  free(z);
  invdes_proposals_free(p);
  invdes_strategy_free(s);
  invdes_space_free(sp);
  /* a finite space smaller than the design: every point once */
  f->c.n_compositions = 0;
  f->c.n_constraints = 0;
  f->p[0] = f->p[2];
  f->c.n_params = 1;
  sp = must_space(&f->c);
  s = invdes_strategy_new(sp, &spec, NT, 8, NULL);
  p = invdes_proposals_new(s, 10);
  assert_int_equal(invdes_strategy_ctx_begin(s, 0, NULL, 0, NULL), 0);
  assert_int_equal(invdes_strategy_initial_design(s, &s->ctx, 10, p, &made,
                                                  NULL),
                   0);
  assert_int_equal(made, 5);
  assert_distinct(p->x, 5, 1);
  invdes_proposals_free(p);
  invdes_strategy_free(s);
  invdes_space_free(sp);
  fx_free(f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_feasible_and_reproducible),
      cmocka_unit_test(test_random_streams_by_iteration),
      cmocka_unit_test(test_sobol_continues),
      cmocka_unit_test(test_lhs_strata),
      cmocka_unit_test(test_resume_exact),
      cmocka_unit_test(test_pool_never_repeats),
      cmocka_unit_test(test_pool_same_features),
      cmocka_unit_test(test_small_finite_space),
      cmocka_unit_test(test_pool_campaign_file),
      cmocka_unit_test(test_saved_state),
      cmocka_unit_test(test_failed_ask_keeps_state),
      cmocka_unit_test(test_tell_checks),
      cmocka_unit_test(test_registry),
      cmocka_unit_test(test_initial_design),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
