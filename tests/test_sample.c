/* test_sample.c — random, Sobol and Latin-hypercube designs: every point
 * feasible, the feasible region covered to its extremes, composition groups
 * uniform over their (bounded) simplex, reproducibility, pools. */
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

static invdes_space *must_space(fixture *f) {
  invdes_error err;
  invdes_error_clear(&err);
  invdes_space *s = invdes_space_new(&f->c, &err);
  if (!s) fail_msg("invdes_space_new: %s", err.message);
  return s;
}

static double *must_sample(const invdes_space *s, invdes_design_kind d,
                           size_t n, uint64_t seed, uint64_t stream) {
  double *x = malloc(n * invdes_space_n_vars(s) * sizeof *x);
  invdes_error err;
  invdes_error_clear(&err);
  if (invdes_sample(s, d, n, seed, stream, x, &err))
    fail_msg("invdes_sample: %s", err.message);
  return x;
}

/* Feasible extremes of ni, mn, co for fx_ncm, from a grid over (ni, mn)
 * with co = 1 - ni - mn; sinter_T = 700 is the loosest for the first
 * constraint, so a composition is feasible iff ni^2 <= 0.9 and
 * exp(mn) co <= 0.3. */
static void ncm_extremes(double lo[3], double hi[3]) {
  for (int j = 0; j < 3; j++) lo[j] = INFINITY, hi[j] = -INFINITY;
  const int N = 4000;
  for (int a = 0; a <= N; a++)
    for (int b = 0; b <= N; b++) {
      double ni = 0.33 + (0.95 - 0.33) * a / N, mn = 0.4 * b / N;
      double co = 1 - ni - mn, v[3] = {ni, mn, co};
      if (co < 0 || co > 0.4 || ni * ni > 0.9 || exp(mn) * co > 0.3) continue;
      for (int j = 0; j < 3; j++) {
        lo[j] = v[j] < lo[j] ? v[j] : lo[j];
        hi[j] = v[j] > hi[j] ? v[j] : hi[j];
      }
    }
}

static void test_ncm_acceptance(void **state) {
  (void)state;
  fixture *f = fx_ncm();
  invdes_space *s = must_space(f);
  invdes_space_work *w = invdes_space_work_new(s);
  double flo[3], fhi[3];
  ncm_extremes(flo, fhi);
  const size_t n = 100000, nv = invdes_space_n_vars(s);
  assert_int_equal(nv, 6);
  invdes_design_kind designs[2] = {INVDES_DESIGN_SOBOL, INVDES_DESIGN_RANDOM};
  for (int d = 0; d < 2; d++) {
    double *x = must_sample(s, designs[d], n, 42, 0);
    double lo[3] = {INFINITY, INFINITY, INFINITY}, hi[3] = {-INFINITY,
                                                           -INFINITY,
                                                           -INFINITY};
    int layers_seen[7] = {0}, dopant_seen[5] = {0};
    for (size_t i = 0; i < n; i++) {
      const double *xi = x + i * nv;
      double v = invdes_space_violation(s, w, xi);
      if (!(v <= 1e-9)) fail_msg("%s point %zu: violation %g",
                                 invdes_design_kind_name(designs[d]), i, v);
      layers_seen[(int)xi[1]] = 1;
      dopant_seen[(int)xi[2]] = 1;
      for (int j = 0; j < 3; j++) {
        lo[j] = xi[3 + j] < lo[j] ? xi[3 + j] : lo[j];
        hi[j] = xi[3 + j] > hi[j] ? xi[3 + j] : hi[j];
      }
    }
    for (int j = 0; j < 3; j++) {
      double tol = 0.05 * (fhi[j] - flo[j]);
      if (lo[j] > flo[j] + tol || hi[j] < fhi[j] - tol)
        fail_msg("%s: component %d spans [%g, %g], feasible [%g, %g]",
                 invdes_design_kind_name(designs[d]), j, lo[j], hi[j], flo[j],
                 fhi[j]);
    }
    for (int k = 1; k <= 6; k++) assert_true(layers_seen[k]);
    for (int k = 0; k < 5; k++) assert_true(dopant_seen[k]);
    free(x);
  }
  invdes_space_work_free(w);
  invdes_space_free(s);
  fx_free(f);
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Kolmogorov's asymptotic p-value for lambda = (sqrt(ne) + 0.12 +
 * 0.11/sqrt(ne)) D (Stephens' correction). */
static double ks_p(double D, double ne) {
  double l = (sqrt(ne) + 0.12 + 0.11 / sqrt(ne)) * D, p = 0;
  if (l < 0.2) return 1;
  for (int k = 1; k <= 100; k++)
    p += 2 * ((k & 1) ? 1 : -1) * exp(-2.0 * k * k * l * l);
  return p < 0 ? 0 : p > 1 ? 1 : p;
}

/* One-sample KS p-value of v (n values, sorted here) against Beta(1,2). */
static double ks_beta12(double *v, size_t n) {
  qsort(v, n, sizeof *v, cmp_double);
  double D = 0;
  for (size_t i = 0; i < n; i++) {
    double F = 1 - (1 - v[i]) * (1 - v[i]);
    double a = F - (double)i / n, b = (double)(i + 1) / n - F;
    D = fmax(D, fmax(a, b));
  }
  return ks_p(D, (double)n);
}

/* Two-sample KS p-value; sorts both. */
static double ks_two(double *a, size_t na, double *b, size_t nb) {
  qsort(a, na, sizeof *a, cmp_double);
  qsort(b, nb, sizeof *b, cmp_double);
  size_t i = 0, j = 0;
  double D = 0;
  while (i < na && j < nb) {
    double t = a[i] <= b[j] ? a[i] : b[j];
    while (i < na && a[i] <= t) i++;
    while (j < nb && b[j] <= t) j++;
    D = fmax(D, fabs((double)i / na - (double)j / nb));
  }
  return ks_p(D, (double)na * nb / (double)(na + nb));
}

static void test_unbounded_marginals(void **state) {
  (void)state;
  fixture *f = fx_simplex3();
  invdes_space *s = must_space(f);
  const size_t n = 5000;
  invdes_design_kind designs[3] = {INVDES_DESIGN_RANDOM, INVDES_DESIGN_LHS,
                                   INVDES_DESIGN_SOBOL};
  double *v = malloc(n * sizeof *v);
  for (int d = 0; d < 3; d++) {
    double *x = must_sample(s, designs[d], n, 5, 1);
    for (int j = 0; j < 3; j++) {
      for (size_t i = 0; i < n; i++) {
        assert_float_equal(x[3 * i] + x[3 * i + 1] + x[3 * i + 2], 1, 1e-12);
        v[i] = x[3 * i + j];
      }
      double p = ks_beta12(v, n);
      if (p < 0.01)
        fail_msg("%s component %d: KS p = %g against Beta(1,2)",
                 invdes_design_kind_name(designs[d]), j, p);
    }
    free(x);
  }
  free(v);
  invdes_space_free(s);
  fx_free(f);
}

/* A bounded group is sampled uniformly over its bounded simplex: compare
 * each marginal with a reference drawn by rejection from the unbounded
 * simplex (uniform spacings of sorted uniforms, shifted by the lower
 * bounds), which is uniform on the bounded simplex by construction. */
static void test_bounded_uniform(void **state) {
  (void)state;
  fixture *f = fx_simplex3();
  /* four components, ranges that bind: a [0.1,0.5] b [0,0.4] c [0,0.35]
   * d [0.05,0.3], total 1 */
  static invdes_component k4[4];
  k4[0] = (invdes_component){(char *)"a", 0.1, 0.5, {1, 1}};
  k4[1] = (invdes_component){(char *)"b", 0.0, 0.4, {1, 1}};
  k4[2] = (invdes_component){(char *)"c", 0.0, 0.35, {1, 1}};
  k4[3] = (invdes_component){(char *)"d", 0.05, 0.3, {1, 1}};
  f->g[0].components = k4;
  f->g[0].n_components = 4;
  invdes_space *s = must_space(f);
  const size_t n = 20000;
  double *x = must_sample(s, INVDES_DESIGN_RANDOM, n, 9, 0);
  double *ref = malloc(4 * n * sizeof *ref), *va = malloc(n * sizeof *va);
  gsl_rng *r = invdes_rng_new(123, 456);
  const double lo[4] = {0.1, 0, 0, 0.05}, hi[4] = {0.5, 0.4, 0.35, 0.3};
  for (size_t m = 0; m < n;) {
    double u[5] = {0, gsl_rng_uniform(r), gsl_rng_uniform(r),
                   gsl_rng_uniform(r), 1};
    qsort(u + 1, 3, sizeof *u, cmp_double);
    int ok = 1;
    for (int j = 0; j < 4; j++) {
      ref[4 * m + j] = lo[j] + 0.85 * (u[j + 1] - u[j]);
      ok &= ref[4 * m + j] <= hi[j];
    }
    m += (size_t)ok;
  }
  for (int j = 0; j < 4; j++) {
    double *a = malloc(n * sizeof *a);
    for (size_t i = 0; i < n; i++) {
      a[i] = x[4 * i + j];
      va[i] = ref[4 * i + j];
      assert_true(a[i] >= lo[j] && a[i] <= hi[j]);
    }
    double p = ks_two(a, n, va, n);
    if (p < 0.01) fail_msg("component %d: two-sample KS p = %g", j, p);
    free(a);
  }
  gsl_rng_free(r);
  free(ref);
  free(va);
  free(x);
  invdes_space_free(s);
  fx_free(f);
}

static void test_reproducible(void **state) {
  (void)state;
  fixture *f = fx_ncm();
  invdes_space *s = must_space(f);
  size_t n = 300, bytes = n * invdes_space_n_vars(s) * sizeof(double);
  invdes_design_kind designs[3] = {INVDES_DESIGN_RANDOM, INVDES_DESIGN_LHS,
                                   INVDES_DESIGN_SOBOL};
  for (int d = 0; d < 3; d++) {
    double *a = must_sample(s, designs[d], n, 1, 0);
    double *b = must_sample(s, designs[d], n, 1, 0);
    double *c = must_sample(s, designs[d], n, 2, 0);
    double *e = must_sample(s, designs[d], n, 1, 1);
    assert_memory_equal(a, b, bytes);
    assert_memory_not_equal(a, c, bytes);
    assert_memory_not_equal(a, e, bytes);
    free(a), free(b), free(c), free(e);
  }
  invdes_space_free(s);
  fx_free(f);
}

/* Without constraints an LHS puts exactly one point in each of n strata
 * of every continuous parameter. */
static void test_lhs_strata(void **state) {
  (void)state;
  fixture *f = fx_all_types();
  f->c.n_constraints = 0;
  invdes_space *s = must_space(f);
  const size_t n = 64, nv = invdes_space_n_vars(s);
  double *x = must_sample(s, INVDES_DESIGN_LHS, n, 3, 0);
  int seen_T[64] = {0}, seen_lr[64] = {0};
  for (size_t i = 0; i < n; i++) {
    int a = (int)((x[i * nv] - 700) / 250 * n);
    int b = (int)((log(x[i * nv + 1]) - log(1e-4)) / log(1e3) * n);
    assert_true(a >= 0 && a < 64 && b >= 0 && b < 64);
    seen_T[a]++, seen_lr[b]++;
  }
  for (size_t i = 0; i < n; i++) {
    assert_int_equal(seen_T[i], 1);
    assert_int_equal(seen_lr[i], 1);
  }
  free(x);
  invdes_space_free(s);
  fx_free(f);
}

static void test_pool_designs(void **state) {
  (void)state;
  fixture *f = fx_pool();
  fx_add_constraint(f, "f1 <= 0.5", 0); /* rows 0 2 4 5 7 */
  invdes_space *s = must_space(f);
  invdes_design_kind designs[3] = {INVDES_DESIGN_RANDOM, INVDES_DESIGN_LHS,
                                   INVDES_DESIGN_SOBOL};
  for (int d = 0; d < 3; d++) {
    double *x = must_sample(s, designs[d], 5, 4, 0);
    int seen[8] = {0};
    for (int i = 0; i < 5; i++) seen[(int)x[i]]++;
    assert_int_equal(seen[0] + seen[2] + seen[4] + seen[5] + seen[7], 5);
    for (int r = 0; r < 8; r++) assert_true(seen[r] <= 1);
    free(x);
    x = must_sample(s, designs[d], 7, 4, 0); /* more than the feasible rows */
    for (int i = 0; i < 7; i++)
      assert_true(invdes_space_pool_row_feasible(s, (size_t)x[i]));
    free(x);
  }
  invdes_space_free(s);
  fx_free(f);
}

/* The sequence behind a design: seeking to k gives the point the k-th next
 * would, and for random and sobol it is the point invdes_sample tries k-th
 * (here without constraints every point is kept, so row k of the sample). */
static void test_sequence_seek(void **state) {
  (void)state;
  fixture *f = fx_simplex3();
  invdes_space *s = must_space(f);
  size_t M = invdes_space_cube_dim(s), nv = invdes_space_n_vars(s);
  invdes_design_kind designs[3] = {INVDES_DESIGN_RANDOM, INVDES_DESIGN_LHS,
                                   INVDES_DESIGN_SOBOL};
  for (int d = 0; d < 3; d++) {
    double *x = must_sample(s, designs[d], 20, 5, 3);
    invdes_sample_seq *a, *b;
    invdes_error err;
    invdes_error_clear(&err);
    assert_int_equal(invdes_sample_seq_new(designs[d], M, 5, 3, &a, &err), 0);
    assert_int_equal(invdes_sample_seq_new(designs[d], M, 5, 3, &b, &err), 0);
    assert_int_equal(invdes_sample_seq_design(a), designs[d]);
    double u[8], v[8], xk[8];
    /* seek draws as next(wanted = 1) does (lhs: one-point rounds) */
    for (size_t k = 0; k < 13; k++)
      assert_int_equal(invdes_sample_seq_next(a, u, 1, &err), 0);
    assert_int_equal(invdes_sample_seq_seek(b, 12, &err), 0);
    assert_int_equal(invdes_sample_seq_pos(b), 12);
    assert_int_equal(invdes_sample_seq_next(b, v, 1, &err), 0);
    assert_int_equal(invdes_sample_seq_pos(b), 13);
    assert_memory_equal(u, v, M * sizeof *u);
    if (designs[d] != INVDES_DESIGN_LHS) {
      assert_true(invdes_space_from_cube(s, u, xk));
      assert_memory_equal(xk, x + 12 * nv, nv * sizeof *xk);
    }
    invdes_sample_seq_free(a);
    invdes_sample_seq_free(b);
    free(x);
  }
  invdes_sample_seq_free(NULL);
  invdes_sample_seq *q = NULL;
  assert_int_equal(invdes_sample_seq_new(INVDES_DESIGN_SOBOL, 1230, 1, 0, &q,
                                         NULL), INVDES_ERR_INVALID);
  assert_null(q);
  assert_false(invdes_sample_give_up(1, 10, 9999999));
  assert_true(invdes_sample_give_up(1, 10, 10000000));
  assert_true(invdes_sample_give_up(0, 10, 100000));
  assert_false(invdes_sample_give_up(1, 20000, 19999999));
  invdes_space_free(s);
  fx_free(f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_ncm_acceptance),
      cmocka_unit_test(test_unbounded_marginals),
      cmocka_unit_test(test_bounded_uniform),
      cmocka_unit_test(test_reproducible),
      cmocka_unit_test(test_lhs_strata),
      cmocka_unit_test(test_pool_designs),
      cmocka_unit_test(test_sequence_seek),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
