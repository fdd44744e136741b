/* test_evo.c — the variation operators of ga (Deb's SBX and polynomial
 * mutation: bounds, spread by distribution index, symmetry; block
 * mutation that keeps a categorical one-hot and moves an integer to
 * another value), pso's swarm and ga's population sized to the budget,
 * ga's elitism (the best told point keeps breeding
 * however bad its children are), and the surrogate-assisted pso and ga:
 * the `surrogate` key read and refused as documented, proposals feasible
 * and distinct from told points, the same with 1 and 2 OpenMP threads,
 * exact resume at every cut, a saved state of the other mode refused, and
 * a state of the previous version (1) still read. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "evo.h"
#include "rng.h"
#include "space.h"
#include "space_fixtures.h"
#include "strategy.h"
#include "strategy_harness.h"

#define NT HARNESS_NT
#define DRAWS 20000

/* ---- operators ------------------------------------------------------------------ */

static void test_sbx(void **state) {
  (void)state;
  gsl_rng *r = invdes_rng_new(5, 1);
  /* children of any pair stay in [0, 1], also at and near the bounds */
  static const double pairs[5][2] = {{0.4, 0.6}, {0, 1e-3}, {0.999, 1},
                                     {0, 1}, {0.2, 0.9}};
  for (int p = 0; p < 5; p++)
    for (int i = 0; i < DRAWS / 10; i++) {
      double a = pairs[p][0], b = pairs[p][1];
      invdes_evo_sbx(&a, &b, 15, r);
      assert_true(a >= 0 && a <= 1 && b >= 0 && b <= 1);
    }
  /* symmetric around a centred pair; a larger index keeps children closer
   * to their parents; an equal pair is left alone */
  double spread[2] = {0, 0};
  const double eta[2] = {2, 30};
  for (int e = 0; e < 2; e++) {
    int below = 0;
    for (int i = 0; i < DRAWS; i++) {
      double a = 0.45, b = 0.55;
      invdes_evo_sbx(&a, &b, eta[e], r);
      below += a < 0.5;
      double lo = a < b ? a : b, hi = a < b ? b : a;
      spread[e] += (hi - lo) / DRAWS;
      assert_true(fabs(0.5 * (a + b) - 0.5) < 1e-12); /* unclipped: mean kept */
    }
    assert_true(abs(below - DRAWS / 2) < DRAWS / 50);
  }
  assert_true(spread[1] < spread[0]);
  assert_true(fabs(spread[1] - 0.1) < 0.02);  /* eta 30: close to the pair */
  double a = 0.3, b = 0.3;
  invdes_evo_sbx(&a, &b, 15, r);
  assert_true(a == 0.3 && b == 0.3);
  gsl_rng_free(r);
}

static void test_poly_mutation(void **state) {
  (void)state;
  gsl_rng *r = invdes_rng_new(6, 1);
  static const double ys[4] = {0, 1, 0.3, 0.999};
  for (int k = 0; k < 4; k++) {
    int down = 0, up = 0;
    for (int i = 0; i < DRAWS; i++) {
      double v = invdes_evo_poly_mutate(ys[k], 20, r);
      assert_true(v >= 0 && v <= 1);
      down += v < ys[k];
      up += v > ys[k];
    }
    /* half the draws go each way where there is room */
    if (ys[k] > 0.1 && ys[k] < 0.9) {
      assert_true(abs(down - DRAWS / 2) < DRAWS / 50);
      assert_true(abs(up - DRAWS / 2) < DRAWS / 50);
    }
    if (ys[k] == 0) assert_int_equal(down, 0);
    if (ys[k] == 1) assert_int_equal(up, 0);
  }
  /* a larger index, smaller steps */
  double step[2] = {0, 0};
  const double eta[2] = {2, 50};
  for (int e = 0; e < 2; e++)
    for (int i = 0; i < DRAWS; i++)
      step[e] += fabs(invdes_evo_poly_mutate(0.5, eta[e], r) - 0.5) / DRAWS;
  assert_true(step[1] < 0.5 * step[0]);
  gsl_rng_free(r);
}

static void test_mutate_block(void **state) {
  (void)state;
  gsl_rng *r = invdes_rng_new(7, 1);
  /* blocks: an integer of 6 values, a one-hot of 3 labels, a real gene */
  size_t start[3] = {0, 1, 4}, len[3] = {1, 3, 1}, levels[3] = {6, 0, 0};
  unsigned char onehot[3] = {0, 1, 0};
  invdes_evo_blocks bl = {3, start, len, onehot, levels};
  for (int i = 0; i < 2000; i++) {
    double c[5] = {(double)(i % 6 + 0.5) / 6, 0, 1, 0, 0.5};
    size_t cell = (size_t)(c[0] * 6);
    invdes_evo_mutate_block(&bl, 0, c, r, 20);
    size_t now = (size_t)(c[0] * 6);
    assert_true(now < 6 && now != cell);
    invdes_evo_mutate_block(&bl, 1, c, r, 20);
    assert_true(c[1] + c[2] + c[3] == 1 && c[2] == 0);
    assert_true((c[1] == 1 || c[1] == 0) && (c[3] == 1 || c[3] == 0));
  }
  gsl_rng_free(r);
}

/* ---- elitism ---------------------------------------------------------------------- */

/* A 2-D continuous space. */
static fixture *square(void) {
  fixture *f = fx_simplex3();
  f->c.n_compositions = 0;
  static const char *names[2] = {"a", "b"};
  for (int j = 0; j < 2; j++)
    f->p[j] = (invdes_param){.name = (char *)names[j], .type = INVDES_PARAM_CONTINUOUS,
                             .lo = 0, .hi = 1, .mark = {3 + j, 5}};
  f->c.n_params = 2;
  return f;
}

/* The first child is told far better than anything else will ever be;
 * every other result is better the farther it lies from that point. A ga
 * that kept only its last generation would lose the point after one
 * generation and drift away; elitism over the history keeps breeding from
 * it, so children keep landing near it. */
static void test_ga_elitism(void **state) {
  (void)state;
  fixture *f = square();
  invdes_space *sp = must_space(&f->c);
  invdes_strategy_spec spec = harness_evo_spec_sized(invdes_strategy_kind_find("ga"), 8, 0.2);
  spec.initial_count = 8;
  invdes_strategy *s = must_strategy_spec(sp, &spec, 1, 3);
  invdes_proposals *out = invdes_proposals_new(s, 1);
  double star[2] = {0, 0};
  int near = 0, late = 0;
  for (int64_t id = 1; id <= 120; id++) {
    invdes_error err;
    invdes_error_clear(&err);
    assert_int_equal(invdes_strategy_ask(s, (uint64_t)id, 1, NULL, 0, out, &err), 0);
    if (id == 9) memcpy(star, out->z, sizeof star);
    double d = hypot(out->z[0] - star[0], out->z[1] - star[1]);
    double y = id == 9 ? -1000 : -d;
    if (id > 60) {
      late++;
      near += d < 0.15;
    }
    invdes_observation o = {.id = id, .z = out->z, .x = out->x, .y = &y};
    must_tell(s, &o, 1);
  }
  /* parents are drawn by rank: the star, first of 8, breeds in most
   * generations */
  print_message("elitism: %d of %d late children near the best\n", near, late);
  assert_true(near * 10 >= late);
  invdes_proposals_free(out);
  invdes_strategy_free(s);
  invdes_space_free(sp);
  fx_free(f);
}

/* ---- surrogate-assisted ---------------------------------------------------------- */

static invdes_campaign *parse_budget(const char *strategy, int budget,
                                     invdes_error *err) {
  char text[1024];
  snprintf(text, sizeof text,
           "name: t\nparameters:\n  - {name: x, type: continuous, bounds: [0, 1]}\n"
           "targets:\n  - {name: y, goal: minimize}\n"
           "objective: {kind: station}\nstrategy: %s\nbudget: {evaluations: %d}\n",
           strategy, budget);
  invdes_error_clear(err);
  return invdes_campaign_parse("c.yaml", text, strlen(text), err);
}

static invdes_campaign *parse(const char *strategy, invdes_error *err) {
  return parse_budget(strategy, 50, err);
}

/* A swarm or population the campaign does not set is sqrt(budget) when it
 * begins: 10 for 100 evaluations, 20 for 400 (one gene: the floor 5 does not
 * bind). The saved state keeps its size, so a campaign whose budget grew
 * resumes it; a size the campaign sets must match the saved one. */
static void test_budget_sizes(void **state) {
  (void)state;
  static const char *const specs[4] = {"{kind: pso}", "{kind: ga}",
                                       "{kind: pso, pso: {swarm: 7}}",
                                       "{kind: ga, ga: {population: 7}}"};
  void *unset[2] = {NULL, NULL}; /* the saved states of the unset sizes */
  size_t unset_len[2] = {0, 0};
  for (int k = 0; k < 4; k++) {
    invdes_error err;
    invdes_campaign *c[2];
    invdes_space *sp[2];
    invdes_strategy *s[2];
    for (int b = 0; b < 2; b++) {
      c[b] = parse_budget(specs[k], b ? 400 : 100, &err);
      if (!c[b]) fail_msg("%s", err.message);
      sp[b] = must_space(c[b]);
      s[b] = must_strategy_spec(sp[b], &c[b]->strategy, 1, 2);
    }
    void *blob;
    size_t len;
    assert_int_equal(invdes_strategy_save_state(s[0], &blob, &len, &err), 0);
    /* Budget 100 sized the unset swarm/population at 10, budget 400 at 20:
     * the saved state keeps its size, so the grown campaign resumes it and
     * saves the very same state again. */
    invdes_status st = invdes_strategy_load_state(s[1], blob, len, &err);
    if (st) fail_msg("%s", err.message);
    void *again;
    size_t alen;
    assert_int_equal(invdes_strategy_save_state(s[1], &again, &alen, &err), 0);
    assert_int_equal(alen, len);
    assert_memory_equal(again, blob, len);
    free(again);
    if (k < 2) {
      unset[k] = blob;
      unset_len[k] = len;
    } else {
      free(blob);
      assert_int_equal(invdes_strategy_load_state(s[0], unset[k - 2], unset_len[k - 2], &err),
                       INVDES_ERR_INVALID);
      if (!strstr(err.message, "of 10, the campaign 7")) fail_msg("%s", err.message);
      free(unset[k - 2]);
    }
    for (int b = 0; b < 2; b++) {
      invdes_strategy_free(s[b]);
      invdes_space_free(sp[b]);
      invdes_campaign_free(c[b]);
    }
  }
}

static void test_surrogate_key(void **state) {
  (void)state;
  invdes_error err;
  static const char *const good[4] = {
      "{kind: pso, pso: {surrogate: rf}}", "{kind: ga, ga: {surrogate: knn}}",
      "{kind: pso, pso: {swarm: 8, surrogate: gp}}", "{kind: ga}"};
  static const char *const describe[4] = {"surrogate rf", "surrogate knn",
                                          "surrogate gp", "from the budget"};
  for (int i = 0; i < 4; i++) {
    invdes_campaign *c = parse(good[i], &err);
    if (!c) fail_msg("%s: %s", good[i], err.message);
    char buf[256];
    c->strategy.kind->options_describe(c->strategy.options, buf, sizeof buf);
    assert_non_null(strstr(buf, describe[i]));
    if (i == 3) assert_null(strstr(buf, "surrogate"));
    invdes_campaign_free(c);
  }
  static const char *const bad[4][2] = {
      {"{kind: pso, pso: {surrogate: forest}}", "forest"},
      {"{kind: ga, ga: {surrogate: [rf]}}", "surrogate"},
      {"{kind: bo, pso: {surrogate: rf}}", "pso"},
      {"{kind: ga, ga: {surogate: rf}}", "surogate"}};
  for (int i = 0; i < 4; i++) {
    invdes_campaign *c = parse(bad[i][0], &err);
    if (c) fail_msg("accepted %s", bad[i][0]);
    assert_int_equal(err.status, INVDES_ERR_INVALID);
    assert_non_null(strstr(err.message, bad[i][1]));
    assert_non_null(strstr(err.message, "c.yaml:"));
  }
}

static invdes_pso_options pso_o;
static invdes_ga_options ga_o;

/* pso (swarm 6) or ga (population 7) on the model of `surrogate`. */
static invdes_strategy_spec sa_spec(int ga, const char *surrogate) {
  invdes_strategy_spec spec = harness_evo_spec(invdes_strategy_kind_find(ga ? "ga" : "pso"));
  const invdes_surrogate_type *t = invdes_surrogate_type_find(surrogate);
  assert_non_null(t);
  if (ga) {
    ga_o = *(const invdes_ga_options *)spec.options;
    ga_o.surrogate = t;
    spec.options = &ga_o;
  } else {
    pso_o = *(const invdes_pso_options *)spec.options;
    pso_o.surrogate = t;
    spec.options = &pso_o;
  }
  return spec;
}

static void test_surrogate_runs(void **state) {
  (void)state;
  fixture *f = fx_ncm();
  invdes_space *sp = must_space(&f->c);
  static const char *const kinds[3] = {"rf", "gp", "knn"};
  for (int ga = 0; ga < 2; ga++)
    for (int k = 0; k < 3; k++) {
      invdes_strategy_spec spec = sa_spec(ga, kinds[k]);
      /* feasible, distinct batches (run_campaign_spec checks each) with
       * 1 and 2 threads, the same proposals */
      harness_set_threads(1);
      sim *a = run_campaign_spec(sp, &spec, 21, 8, 3);
      harness_set_threads(2);
      sim *b = run_campaign_spec(sp, &spec, 21, 8, 3);
      assert_int_equal(a->n, b->n);
      assert_memory_equal(a->z, b->z, a->n * a->dim * sizeof *a->z);
      assert_distinct(a->z, a->n, a->dim);
      sim_free(a);
      sim_free(b);
    }
  harness_set_threads(1);
  invdes_space_free(sp);
  fx_free(f);
}

static void test_surrogate_resume(void **state) {
  (void)state;
  static const size_t sizes[10] = {3, 5, 1, 8, 2, 4, 7, 3, 9, 1};
  fixture *f = fx_ncm();
  invdes_space *sp = must_space(&f->c);
  static const char *const kinds[3] = {"rf", "knn", "gp"};
  for (int ga = 0; ga < 2; ga++)
    for (int k = 0; k < 3; k++) {
      invdes_strategy_spec spec = sa_spec(ga, kinds[k]);
      harness_check_resume(sp, &spec, 10, sizes, 1);
    }
  /* a state saved by a plain run is refused by a surrogate run, and the
   * other way round, with a message saying so */
  for (int ga = 0; ga < 2; ga++) {
    invdes_strategy_spec plain = harness_evo_spec(invdes_strategy_kind_find(ga ? "ga" : "pso"));
    invdes_strategy_spec sa = sa_spec(ga, "rf");
    invdes_strategy *p = must_strategy_spec(sp, &plain, NT, 4);
    invdes_strategy *q = must_strategy_spec(sp, &sa, NT, 4);
    invdes_proposals *out = invdes_proposals_new(p, 6);
    assert_int_equal(invdes_strategy_ask(p, 0, 6, NULL, 0, out, NULL), 0);
    assert_int_equal(invdes_strategy_ask(q, 0, 6, NULL, 0, out, NULL), 0);
    void *bp, *bq;
    size_t lp, lq;
    invdes_error err;
    invdes_error_clear(&err);
    assert_int_equal(invdes_strategy_save_state(p, &bp, &lp, &err), 0);
    assert_int_equal(invdes_strategy_save_state(q, &bq, &lq, &err), 0);
    assert_int_equal(invdes_strategy_load_state(q, bp, lp, &err), INVDES_ERR_INVALID);
    assert_non_null(strstr(err.message, "without a surrogate"));
    assert_int_equal(invdes_strategy_load_state(p, bq, lq, &err), INVDES_ERR_INVALID);
    assert_non_null(strstr(err.message, "with a surrogate"));
    free(bp);
    free(bq);
    invdes_proposals_free(out);
    invdes_strategy_free(p);
    invdes_strategy_free(q);
  }
  invdes_space_free(sp);
  fx_free(f);
}

/* A version 1 state (no mode word; written by plain runs before surrogates
 * existed) is still read, and the run continues as from the version 2
 * state; an unknown version is refused naming the versions read. */
static void test_old_blobs(void **state) {
  (void)state;
  fixture *f = fx_ncm();
  invdes_space *sp = must_space(&f->c);
  for (int ga = 0; ga < 2; ga++) {
    invdes_strategy_spec spec = harness_evo_spec(invdes_strategy_kind_find(ga ? "ga" : "pso"));
    invdes_strategy *a = must_strategy_spec(sp, &spec, NT, 8);
    invdes_strategy *b = must_strategy_spec(sp, &spec, NT, 8);
    invdes_proposals *p = invdes_proposals_new(a, 9), *q = invdes_proposals_new(a, 9);
    assert_int_equal(invdes_strategy_ask(a, 0, 9, NULL, 0, p, NULL), 0);
    void *blob;
    size_t len;
    invdes_error err;
    invdes_error_clear(&err);
    assert_int_equal(invdes_strategy_save_state(a, &blob, &len, &err), 0);
    /* the registry's frame (a tag, the kind's name and a NUL), then the
     * payload: u32 version 2, u32 dim, u64 mode (0), ..., u64 checksum */
    const char *name = ga ? "ga" : "pso";
    size_t off = 0, nl = strlen(name);
    while (off + nl < len && (memcmp((char *)blob + off, name, nl) || ((char *)blob)[off + nl]))
      off++;
    off += nl + 1;
    unsigned char *v2 = (unsigned char *)blob + off, *frame = malloc(len);
    size_t plen = len - off;
    assert_int_equal(v2[0], 2);
    memcpy(frame, blob, off);
    unsigned char *v1 = frame + off;
    memcpy(v1, v2, 8);
    memcpy(v1 + 8, v2 + 16, plen - 16);
    v1[0] = 1;
    uint64_t h = invdes_evo_fnv1a(v1, plen - 16);
    for (int i = 0; i < 8; i++) v1[plen - 16 + (size_t)i] = (unsigned char)(h >> (8 * i));
    assert_int_equal(invdes_strategy_load_state(b, frame, len - 8, &err), 0);
    double *pz = malloc(9 * p->dim * sizeof *pz);
    memcpy(pz, p->z, 9 * p->dim * sizeof *pz);
    assert_int_equal(invdes_strategy_ask(a, 1, 9, pz, 9, p, NULL), 0);
    assert_int_equal(invdes_strategy_ask(b, 1, 9, pz, 9, q, NULL), 0);
    assert_memory_equal(p->z, q->z, 9 * p->dim * sizeof *p->z);
    /* version 3 is not known */
    v2[0] = 3;
    h = invdes_evo_fnv1a(v2, plen - 8);
    for (int i = 0; i < 8; i++) v2[plen - 8 + (size_t)i] = (unsigned char)(h >> (8 * i));
    assert_int_equal(invdes_strategy_load_state(b, blob, len, &err), INVDES_ERR_INVALID);
    if (!strstr(err.message, "version 3")) fail_msg("%s", err.message);
    assert_non_null(strstr(err.message, "versions 1 to 2"));
    free(pz);
    free(frame);
    free(blob);
    invdes_proposals_free(p);
    invdes_proposals_free(q);
    invdes_strategy_free(a);
    invdes_strategy_free(b);
  }
  invdes_space_free(sp);
  fx_free(f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sbx),
      cmocka_unit_test(test_poly_mutation),
      cmocka_unit_test(test_mutate_block),
      cmocka_unit_test(test_ga_elitism),
      cmocka_unit_test(test_budget_sizes),
      cmocka_unit_test(test_surrogate_key),
      cmocka_unit_test(test_surrogate_runs),
      cmocka_unit_test(test_surrogate_resume),
      cmocka_unit_test(test_old_blobs),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
