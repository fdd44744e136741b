/* test_gp_noise.c — measurement noise as a user of the GP and of bo would
 * notice it: a point reported with a huge sd does not move the posterior,
 * one with a small sd pulls it; repeated measurements fold into their
 * inverse-variance mean (equal-weight mean with the learned noise / k where
 * no sd was given) and a GP on the folded row predicts as on the repeats;
 * mixed data (some sd's known, some not) learns the noise of the unknown
 * ones only, with an exact likelihood gradient; the recommendation under
 * noise ranks by the posterior mean, not by a lucky measurement; and bo
 * told sd's (and a repeat) proposes otherwise than without them, the same
 * for any thread count and after a resume. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "campaign.h"
#include "gp.h"
#include "recommend.h"
#include "replicates.h"
#include "rng.h"
#include "space.h"
#include "strategy.h"

static double f_true(double x0, double x1) { return sin(6.0 * x0) + 0.5 * cos(4.0 * x1); }

static invdes_gp *gp_fitted(const double *X, size_t n, const double *y, const double *nv) {
  invdes_gp_options o;
  invdes_gp_options_init(&o);
  o.seed = 3;
  invdes_gp *gp = invdes_gp_new(&o);
  assert_non_null(gp);
  invdes_error err;
  assert_int_equal(invdes_gp_fit(gp, X, n, 2, y, nv, &err), INVDES_OK);
  return gp;
}

/* 25 points on a grid in [0,1]², the last one an outlier at (0.5, 0.5). */
static void grid_data(double *X, double *y) {
  for (size_t i = 0; i < 24; i++) {
    X[2 * i] = (double)(i % 5) / 4.0;
    X[2 * i + 1] = (double)(i / 5) / 5.0 + 0.1 * (double)(i % 2);
    y[i] = f_true(X[2 * i], X[2 * i + 1]);
  }
  X[48] = 0.5;
  X[49] = 0.55;
  y[24] = f_true(0.5, 0.55) + 5.0;
}

static void test_huge_sd_is_ignored(void **state) {
  (void)state;
  double X[50], y[25], nv[25];
  grid_data(X, y);
  for (size_t i = 0; i < 24; i++) nv[i] = 1e-6;
  double xq[2] = {0.5, 0.55}, m_huge, m_small, m_without;
  invdes_error err;
  invdes_gp *without = gp_fitted(X, 24, y, nv);
  assert_int_equal(invdes_gp_predict(without, xq, 1, &m_without, NULL, &err), INVDES_OK);
  nv[24] = 1e8; /* sd 1e4: tells nothing */
  invdes_gp *huge = gp_fitted(X, 25, y, nv);
  assert_int_equal(invdes_gp_predict(huge, xq, 1, &m_huge, NULL, &err), INVDES_OK);
  nv[24] = 1e-4; /* sd 0.01: believed */
  invdes_gp *small = gp_fitted(X, 25, y, nv);
  assert_int_equal(invdes_gp_predict(small, xq, 1, &m_small, NULL, &err), INVDES_OK);
  assert_true(fabs(m_huge - m_without) < 0.05);
  assert_true(fabs(m_huge - f_true(0.5, 0.55)) < 0.2);
  assert_true(fabs(m_small - y[24]) < 0.1);
  /* every point has its own noise: nothing is learned */
  assert_true(invdes_gp_noise_var(huge) == 0.0);
  assert_int_equal(invdes_gp_theta_size(huge), 3);
  invdes_gp_free(without);
  invdes_gp_free(huge);
  invdes_gp_free(small);
}

static void test_combine_inverse_variance(void **state) {
  (void)state;
  /* rows: a (1, v 1), b (2, NaN), a (3, v 3), c (5, v 0.5), b (4, NaN),
   * -0 equals 0 in c's input, b (6, -2: already a mean of two) */
  double X[] = {0.1, 0.2, 0.3, 0.4, 0.1, 0.2, 0.0, 0.9, 0.3, 0.4, -0.0, 0.9, 0.3, 0.4};
  double y[] = {1, 2, 3, 5, 4, 7, 6}, v[] = {1, NAN, 3, 0.5, NAN, 0.5, -2};
  size_t n, row_of[7];
  invdes_error err;
  assert_int_equal(invdes_replicates_combine(X, 7, 2, y, v, &n, row_of, &err), INVDES_OK);
  assert_int_equal(n, 3);
  /* a: (1/1 + 3/3) / (1 + 1/3) = 1.5, variance 1 / (4/3) = 0.75 */
  assert_true(X[0] == 0.1 && X[1] == 0.2);
  assert_true(fabs(y[0] - 1.5) < 1e-12 && fabs(v[0] - 0.75) < 1e-12);
  /* b: weights 1, 1, 2: (2 + 4 + 12) / 4 = 4.5, the learned noise / 4 */
  assert_true(X[2] == 0.3 && X[3] == 0.4);
  assert_true(fabs(y[1] - 4.5) < 1e-12 && v[1] == -4.0);
  /* c: equal variances, plain mean 6, variance 0.25 */
  assert_true(fabs(y[2] - 6.0) < 1e-12 && fabs(v[2] - 0.25) < 1e-12);
  size_t want[] = {0, 1, 0, 2, 1, 2, 1};
  for (size_t i = 0; i < 7; i++) assert_int_equal(row_of[i], want[i]);
  /* a point measured both ways keeps one row of each; single rows stay */
  double X2[] = {0.5, 0.5, 0.7}, y2[] = {1, 2, 3}, v2[] = {0.1, NAN, 0.3};
  assert_int_equal(invdes_replicates_combine(X2, 3, 1, y2, v2, &n, NULL, &err), INVDES_OK);
  assert_int_equal(n, 3);
  assert_true(y2[0] == 1 && v2[0] == 0.1 && y2[1] == 2 && isnan(v2[1]) && v2[2] == 0.3);
  double bad[] = {INFINITY};
  assert_int_equal(invdes_replicates_combine(X2, 1, 1, y2, bad, &n, NULL, &err),
                   INVDES_ERR_INVALID);
}

/* k repeats with the learned noise τ² predict as their mean with τ²/k. */
static void test_folded_repeats_predict_as_repeats(void **state) {
  (void)state;
  double X[40], y[20];
  gsl_rng *r = invdes_rng_new(5, 0);
  for (size_t i = 0; i < 16; i++) {
    X[2 * i] = gsl_rng_uniform(r);
    X[2 * i + 1] = gsl_rng_uniform(r);
    y[i] = f_true(X[2 * i], X[2 * i + 1]) + 0.05 * gsl_ran_gaussian(r, 1.0);
  }
  for (size_t i = 16; i < 20; i++) { /* point 15 measured four more times */
    X[2 * i] = X[30];
    X[2 * i + 1] = X[31];
    y[i] = f_true(X[30], X[31]) + 0.05 * gsl_ran_gaussian(r, 1.0);
  }
  gsl_rng_free(r);
  invdes_gp_options o;
  invdes_gp_options_init(&o);
  o.fit_hyper = 0;
  invdes_gp *rep = invdes_gp_new(&o), *fold = invdes_gp_new(&o);
  double ls[2] = {0.3, 0.4};
  invdes_error err;
  assert_int_equal(invdes_gp_set_hyper(rep, 2, ls, 0.6, 2.5e-3, &err), INVDES_OK);
  assert_int_equal(invdes_gp_set_hyper(fold, 2, ls, 0.6, 2.5e-3, &err), INVDES_OK);
  assert_int_equal(invdes_gp_fit(rep, X, 20, 2, y, NULL, &err), INVDES_OK);
  double v[20];
  for (size_t i = 0; i < 20; i++) v[i] = NAN;
  size_t n;
  assert_int_equal(invdes_replicates_combine(X, 20, 2, y, v, &n, NULL, &err), INVDES_OK);
  assert_int_equal(n, 16);
  assert_true(v[15] == -5.0);
  /* the output scaling differs (fewer rows): give the same τ² in y units */
  assert_int_equal(invdes_gp_fit(fold, X, n, 2, y, v, &err), INVDES_OK);
  double q[6] = {0.1, 0.9, X[30], X[31], 0.5, 0.5}, m1[3], m2[3], v1[3], v2[3];
  assert_int_equal(invdes_gp_predict(rep, q, 3, m1, v1, &err), INVDES_OK);
  assert_int_equal(invdes_gp_predict(fold, q, 3, m2, v2, &err), INVDES_OK);
  for (size_t i = 0; i < 3; i++) {
    assert_true(fabs(m1[i] - m2[i]) < 1e-6);
    assert_true(fabs(v1[i] - v2[i]) < 1e-6);
  }
  invdes_gp_free(rep);
  invdes_gp_free(fold);
}

/* Half the points reported with sd 0.01, half unreported with noise sd 0.2:
 * the learned noise is that of the unreported half. */
static void test_mixed_known_and_unknown(void **state) {
  (void)state;
  size_t n = 80;
  double X[160], y[80], nv[80];
  gsl_rng *r = invdes_rng_new(11, 0);
  for (size_t i = 0; i < n; i++) {
    X[2 * i] = gsl_rng_uniform(r);
    X[2 * i + 1] = gsl_rng_uniform(r);
    int known = i % 2 == 0;
    double sd = known ? 0.01 : 0.2;
    y[i] = f_true(X[2 * i], X[2 * i + 1]) + sd * gsl_ran_gaussian(r, 1.0);
    nv[i] = known ? sd * sd : NAN;
  }
  gsl_rng_free(r);
  invdes_gp *gp = gp_fitted(X, n, y, nv);
  double tau2 = invdes_gp_noise_var(gp);
  assert_true(tau2 > 0.02 && tau2 < 0.08); /* 0.04 */
  size_t p = invdes_gp_theta_size(gp);
  assert_int_equal(p, 4);
  /* the likelihood gradient (τ² on the unknown half only) is exact */
  double th[4], g[4];
  invdes_gp_theta(gp, th);
  th[0] += 0.2;
  th[3] -= 0.3;
  double f0 = invdes_gp_objective(gp, th, g);
  assert_true(isfinite(f0));
  for (size_t k = 0; k < p; k++) {
    double h = 1e-5, tp[4], tm[4];
    memcpy(tp, th, sizeof tp);
    memcpy(tm, th, sizeof tm);
    tp[k] += h;
    tm[k] -= h;
    double fd = (invdes_gp_objective(gp, tp, NULL) - invdes_gp_objective(gp, tm, NULL)) / (2 * h);
    assert_true(fabs(fd - g[k]) < 1e-4 * (1.0 + fabs(fd)));
  }
  /* a known point is believed more than an unknown one next to it */
  double xq[2] = {X[0], X[1]}, m;
  invdes_error err;
  assert_int_equal(invdes_gp_predict(gp, xq, 1, &m, NULL, &err), INVDES_OK);
  assert_true(fabs(m - y[0]) < 0.05);
  /* add_point takes NaN (the learned noise) in a mixed fit, not in a fixed one */
  double xn[2] = {0.42, 0.42};
  assert_int_equal(invdes_gp_add_point(gp, xn, 0.3, NAN, &err), INVDES_OK);
  for (size_t i = 0; i < n; i++) nv[i] = 1e-4;
  invdes_gp *fixed = gp_fitted(X, n, y, nv);
  assert_int_equal(invdes_gp_add_point(fixed, xn, 0.3, NAN, &err), INVDES_ERR_INVALID);
  invdes_gp_free(gp);
  invdes_gp_free(fixed);
}

/* One-variable campaign, maximize f; ten results on -(x-0.3)², the one at
 * x = 0.55 lucky by +0.16 with sd 0.1 reported: the recommendation is a
 * point near 0.3, by the posterior mean; without sd's on smooth data there
 * is none (the measured ranking stands). */
static void test_recommend_by_posterior_mean(void **state) {
  (void)state;
  const char *text = "name: rec\nseed: 2\nparameters:\n"
                     "  - {name: x, type: continuous, bounds: [0, 1]}\n"
                     "targets:\n  - {name: f, goal: maximize}\nobjective: {kind: station}\n"
                     "strategy: {kind: random}\nbudget: {evaluations: 20}\n";
  invdes_error err;
  invdes_campaign *c = invdes_campaign_parse("rec.yaml", text, strlen(text), &err);
  assert_non_null(c);
  invdes_space *sp = invdes_space_new(c, &err);
  assert_non_null(sp);
  static const double noise[10] = {-0.002, 0.003, 0.004, -0.006, 0.0225, 0.16,
                                   -0.0025, 0.0025, -0.0025, 0.0025};
  double z[10], y[10], sd[10], y0[10];
  invdes_observation obs[10];
  for (size_t i = 0; i < 10; i++) {
    z[i] = 0.05 + 0.1 * (double)i;
    y0[i] = -(z[i] - 0.3) * (z[i] - 0.3);
    y[i] = y0[i] + noise[i];
    sd[i] = 0.1;
    obs[i] = (invdes_observation){.id = (int64_t)i + 1, .z = &z[i], .y = &y[i], .sd = &sd[i]};
  }
  invdes_recommendation rec;
  assert_int_equal(invdes_recommend(sp, obs, 10, 2, &rec, &err), INVDES_OK);
  assert_int_equal(rec.by_model, 1);
  assert_true(rec.smoothed[0] && rec.reported[0]);
  assert_true(rec.id == 3 || rec.id == 4); /* x = 0.25 or 0.35, not the lucky 0.55 */
  assert_true(rec.mean[0] < y[5]);
  invdes_recommendation_release(&rec);
  for (size_t i = 0; i < 10; i++) obs[i] = (invdes_observation){.id = (int64_t)i + 1,
                                                                .z = &z[i], .y = &y0[i]};
  assert_int_equal(invdes_recommend(sp, obs, 10, 2, &rec, &err), INVDES_OK);
  assert_int_equal(rec.by_model, 0);
  invdes_recommendation_release(&rec);
  invdes_space_free(sp);
  invdes_campaign_free(c);
}

/* ---- bo with reported sd's: deterministic, resumable, and it matters ---- */

#define BO_STEPS 16
#define BO_RESUME_AT 11

static const char bo_campaign[] =
    "name: bo-noise\nseed: 4\nparameters:\n"
    "  - {name: a, type: continuous, bounds: [0, 1]}\n"
    "  - {name: b, type: continuous, bounds: [0, 1]}\n"
    "targets:\n  - {name: f, goal: minimize}\nobjective: {kind: station}\n"
    "strategy: {kind: bo, initial: {design: sobol, count: 6}}\nbudget: {evaluations: 40}\n";

/* A noisy bowl; the noise is a function of the step, so runs compare. */
static double bowl(const double *x, size_t i) {
  return (x[0] - 0.3) * (x[0] - 0.3) + (x[1] - 0.6) * (x[1] - 0.6) + 0.05 * sin(7.3 * (double)i);
}

/* BO_STEPS asks of one point, each told (with sd 0.05 when report) before
 * the next; Z gets the proposals, blob the state saved after ask
 * BO_RESUME_AT. The point of step 8 is told twice (a repeat, folded). */
static void bo_steps(int threads, int report, double *Z, void **blob, size_t *len) {
#ifdef _OPENMP
  omp_set_num_threads(threads);
#else
  (void)threads;
#endif
  invdes_error err;
  invdes_campaign *c = invdes_campaign_parse("bo.yaml", bo_campaign, strlen(bo_campaign), &err);
  assert_non_null(c);
  invdes_space *sp = invdes_space_new(c, &err);
  invdes_strategy *s = invdes_strategy_new(sp, &c->strategy, 1, 4, &err);
  assert_non_null(s);
  invdes_proposals *p = invdes_proposals_new(s, 1);
  double y[BO_STEPS + 1], sd = 0.05;
  for (size_t i = 0; i < BO_STEPS; i++) {
    assert_int_equal(invdes_strategy_ask(s, i, 1, NULL, 0, p, &err), INVDES_OK);
    memcpy(Z + 2 * i, p->z, 2 * sizeof *Z);
    if (blob && i == BO_RESUME_AT)
      assert_int_equal(invdes_strategy_save_state(s, blob, len, &err), INVDES_OK);
    y[i] = bowl(p->x, i);
    invdes_observation o = {.id = (int64_t)i + 1, .z = p->z, .y = &y[i],
                            .sd = report ? &sd : NULL};
    assert_int_equal(invdes_strategy_tell(s, &o, 1, &err), INVDES_OK);
    if (i == 8) { /* measured again: another proposal id, the same point */
      y[BO_STEPS] = bowl(p->x, 99);
      o = (invdes_observation){.id = 1000, .z = p->z, .y = &y[BO_STEPS],
                               .sd = report ? &sd : NULL};
      assert_int_equal(invdes_strategy_tell(s, &o, 1, &err), INVDES_OK);
    }
  }
  invdes_proposals_free(p);
  invdes_strategy_free(s);
  invdes_space_free(sp);
  invdes_campaign_free(c);
}

static void test_bo_with_sd_deterministic_and_resumable(void **state) {
  (void)state;
  double Z1[2 * BO_STEPS], Z2[2 * BO_STEPS], Zn[2 * BO_STEPS];
  void *blob = NULL;
  size_t len = 0;
  bo_steps(1, 1, Z1, &blob, &len);
  bo_steps(2, 1, Z2, NULL, NULL);
  assert_memory_equal(Z1, Z2, sizeof Z1); /* any thread count */
  bo_steps(1, 0, Zn, NULL, NULL);
  /* the sd's reach the model: the model-made proposals differ */
  assert_memory_equal(Z1, Zn, 6 * 2 * sizeof *Z1);
  assert_true(memcmp(Z1 + 12, Zn + 12, (BO_STEPS - 6) * 2 * sizeof *Z1) != 0);
  /* resume after ask BO_RESUME_AT: a new strategy told the history (with
   * the repeat) and the saved state asks what the run asked next */
  invdes_error err;
  invdes_campaign *c = invdes_campaign_parse("bo.yaml", bo_campaign, strlen(bo_campaign), &err);
  invdes_space *sp = invdes_space_new(c, &err);
  invdes_strategy *s = invdes_strategy_new(sp, &c->strategy, 1, 4, &err);
  double y[BO_STEPS + 1], sd = 0.05, x[2];
  invdes_space_work *w = invdes_space_work_new(sp);
  for (size_t i = 0; i <= BO_RESUME_AT; i++) {
    invdes_space_decode(sp, w, Z1 + 2 * i, x);
    y[i] = bowl(x, i);
    invdes_observation o = {.id = (int64_t)i + 1, .z = Z1 + 2 * i, .y = &y[i], .sd = &sd};
    assert_int_equal(invdes_strategy_tell(s, &o, 1, &err), INVDES_OK);
  }
  invdes_space_decode(sp, w, Z1 + 16, x);
  invdes_space_work_free(w);
  y[BO_STEPS] = bowl(x, 99);
  invdes_observation o = {.id = 1000, .z = Z1 + 16, .y = &y[BO_STEPS], .sd = &sd};
  assert_int_equal(invdes_strategy_tell(s, &o, 1, &err), INVDES_OK);
  assert_int_equal(invdes_strategy_load_state(s, blob, len, &err), INVDES_OK);
  invdes_proposals *p = invdes_proposals_new(s, 1);
  assert_int_equal(invdes_strategy_ask(s, BO_RESUME_AT + 1, 1, NULL, 0, p, &err), INVDES_OK);
  assert_memory_equal(p->z, Z1 + 2 * (BO_RESUME_AT + 1), 2 * sizeof *Z1);
  free(blob);
  invdes_proposals_free(p);
  invdes_strategy_free(s);
  invdes_space_free(sp);
  invdes_campaign_free(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_huge_sd_is_ignored),
      cmocka_unit_test(test_combine_inverse_variance),
      cmocka_unit_test(test_folded_repeats_predict_as_repeats),
      cmocka_unit_test(test_mixed_known_and_unknown),
      cmocka_unit_test(test_recommend_by_posterior_mean),
      cmocka_unit_test(test_bo_with_sd_deterministic_and_resumable),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
