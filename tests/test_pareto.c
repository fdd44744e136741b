/* test_pareto.c — Pareto dominance (pareto.h) against independent
 * computations: ranks against a brute-force peel of non-dominated subsets on
 * random data with ties, duplicates and NaN rows; the crowding distance
 * against a neighbour search done point by point; the hypervolume against a
 * count of unit cells on integer-valued points (m = 2, 3, 4) and against
 * inclusion-exclusion over all subsets of small random sets (m = 2 to 5). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pareto.h"
#include "rng.h"

/* a draw in [0, k) from the library's reproducible streams */
static size_t pick(gsl_rng *r, size_t k) { return (size_t)gsl_rng_uniform_int(r, k); }
static double unif(gsl_rng *r) { return gsl_rng_uniform(r); }

/* n x m values: small integers (many ties and duplicates) when levels > 0,
 * else uniform doubles; about one row in eight gets a NaN when nan. */
static void fill(gsl_rng *s, double *Y, size_t n, size_t m, unsigned levels, int nan) {
  for (size_t i = 0; i < n * m; i++)
    Y[i] = levels ? (double)pick(s, levels) : unif(s);
  for (size_t i = 0; nan && i < n; i++)
    if (pick(s, 8) == 0) Y[i * m + pick(s, m)] = NAN;
}

/* cmocka's float comparison is in single precision: compare doubles here */
#define assert_near(a, b, tol) assert_true(fabs((a) - (b)) <= (tol))

static int row_nan(const double *y, size_t m) {
  for (size_t d = 0; d < m; d++)
    if (isnan(y[d])) return 1;
  return 0;
}

static int brute_dominates(const double *a, const double *b, size_t m) {
  size_t le = 0, lt = 0;
  for (size_t d = 0; d < m; d++) le += a[d] <= b[d], lt += a[d] < b[d];
  return le == m && lt > 0;
}

/* Peel: front r is the set of remaining points no remaining point dominates. */
static size_t brute_ranks(const double *Y, size_t n, size_t m, size_t *rank) {
  size_t left = 0, r = 0;
  for (size_t i = 0; i < n; i++) {
    rank[i] = row_nan(Y + i * m, m) ? SIZE_MAX : SIZE_MAX - 1; /* SIZE_MAX - 1: remaining */
    left += rank[i] == SIZE_MAX - 1;
  }
  unsigned char *in = malloc(n ? n : 1);
  for (; left > 0; r++) {
    for (size_t i = 0; i < n; i++) {
      in[i] = rank[i] == SIZE_MAX - 1;
      for (size_t j = 0; in[i] && j < n; j++)
        if (rank[j] == SIZE_MAX - 1 && brute_dominates(Y + j * m, Y + i * m, m)) in[i] = 0;
    }
    for (size_t i = 0; i < n; i++)
      if (in[i]) rank[i] = r, left--;
  }
  free(in);
  return r;
}

static void test_ranks_random(void **state) {
  (void)state;
  gsl_rng *s = invdes_rng_new(42, 0);
  for (int trial = 0; trial < 400; trial++) {
    size_t n = pick(s, 40), m = 1 + pick(s, 4);
    unsigned levels = trial % 3 == 2 ? 0 : 2 + (unsigned)pick(s, 5);
    double *Y = malloc((n ? n : 1) * m * sizeof *Y);
    size_t *rank = malloc((n ? n : 1) * sizeof *rank), *want = malloc((n ? n : 1) * sizeof *want);
    fill(s, Y, n, m, levels, trial % 2);
    size_t fronts = 99, want_fronts = brute_ranks(Y, n, m, want);
    assert_int_equal(invdes_pareto_ranks(Y, n, m, rank, &fronts, NULL), INVDES_OK);
    assert_int_equal(fronts, want_fronts);
    for (size_t i = 0; i < n; i++) assert_int_equal(rank[i], want[i]);
    /* equal points share a rank */
    for (size_t i = 0; i < n; i++)
      for (size_t j = 0; j < n; j++)
        if (!row_nan(Y + i * m, m) && memcmp(Y + i * m, Y + j * m, m * sizeof *Y) == 0)
          assert_int_equal(rank[i], rank[j]);
    free(Y), free(rank), free(want);
  }
  gsl_rng_free(s);
}

static void test_ranks_small(void **state) {
  (void)state;
  const double Y[] = {1, 4, 2, 2, 4, 1, 2, 2, 3, 3, NAN, 0, 5, 5, 0, NAN};
  size_t rank[8], fronts = 0;
  assert_int_equal(invdes_pareto_ranks(Y, 8, 2, rank, &fronts, NULL), INVDES_OK);
  const size_t want[8] = {0, 0, 0, 0, 1, SIZE_MAX, 2, SIZE_MAX};
  for (size_t i = 0; i < 8; i++) assert_int_equal(rank[i], want[i]);
  assert_int_equal(fronts, 3);
  /* only NaN rows: no front; no rows at all: no front */
  const double N[] = {NAN, 1};
  assert_int_equal(invdes_pareto_ranks(N, 1, 2, rank, &fronts, NULL), INVDES_OK);
  assert_int_equal(fronts, 0);
  assert_int_equal(rank[0], SIZE_MAX);
  assert_int_equal(invdes_pareto_ranks(NULL, 0, 2, NULL, &fronts, NULL), INVDES_OK);
  assert_int_equal(fronts, 0);
  invdes_error err;
  invdes_error_clear(&err);
  assert_int_equal(invdes_pareto_ranks(Y, 8, 0, rank, &fronts, &err), INVDES_ERR_USAGE);
  assert_non_null(strstr(err.message, "m = 0"));
}

/* The crowding distance of position j, found by scanning for its neighbours
 * in each coordinate under the order (value, position). */
static double brute_crowding(const double *Y, size_t m, const size_t *idx, size_t k, size_t j) {
  if (k <= 2) return INFINITY;
  double sum = 0.0;
  for (size_t d = 0; d < m; d++) {
    double v = Y[idx[j] * m + d], lo = INFINITY, hi = -INFINITY;
    long prev = -1, next = -1;
    for (size_t t = 0; t < k; t++) {
      double w = Y[idx[t] * m + d];
      lo = fmin(lo, w), hi = fmax(hi, w);
      int before = w < v || (w == v && t < j), after = w > v || (w == v && t > j);
      if (before && (prev < 0 || w > Y[idx[prev] * m + d] ||
                     (w == Y[idx[prev] * m + d] && t > (size_t)prev)))
        prev = (long)t;
      if (after && (next < 0 || w < Y[idx[next] * m + d] ||
                    (w == Y[idx[next] * m + d] && t < (size_t)next)))
        next = (long)t;
    }
    if (!(hi > lo)) continue;
    if (prev < 0 || next < 0) return INFINITY;
    sum += (Y[idx[next] * m + d] - Y[idx[prev] * m + d]) / (hi - lo);
  }
  return sum;
}

static void test_crowding(void **state) {
  (void)state;
  const double F[] = {0, 4, 1, 2, 2, 1, 4, 0};
  const size_t idx[] = {0, 1, 2, 3};
  double dist[4];
  assert_int_equal(invdes_pareto_crowding(F, 2, idx, 4, dist, NULL), INVDES_OK);
  assert_true(isinf(dist[0]) && isinf(dist[3]));
  assert_near(dist[1], 2.0 / 4 + 3.0 / 4, 1e-15);
  assert_near(dist[2], 3.0 / 4 + 2.0 / 4, 1e-15);
  gsl_rng *s = invdes_rng_new(7, 0);
  for (int trial = 0; trial < 200; trial++) {
    size_t n = 1 + pick(s, 20), m = 1 + pick(s, 3), k = 1 + pick(s, n);
    double *Y = malloc(n * m * sizeof *Y), *got = malloc(k * sizeof *got);
    size_t *ix = malloc(k * sizeof *ix);
    fill(s, Y, n, m, trial % 2 ? 4 : 0, 0);
    for (size_t j = 0; j < k; j++) ix[j] = pick(s, n); /* repeats allowed */
    assert_int_equal(invdes_pareto_crowding(Y, m, ix, k, got, NULL), INVDES_OK);
    for (size_t j = 0; j < k; j++) {
      double want = brute_crowding(Y, m, ix, k, j);
      if (isinf(want))
        assert_true(isinf(got[j]));
      else
        assert_near(got[j], want, 1e-12);
    }
    free(Y), free(got), free(ix);
  }
  gsl_rng_free(s);
  const double Nn[] = {0, NAN};
  invdes_error err;
  invdes_error_clear(&err);
  assert_int_equal(invdes_pareto_crowding(Nn, 2, idx, 1, dist, &err), INVDES_ERR_USAGE);
}

/* Unit cells c in [0, R)^m whose corner some kept point p <= c dominates. */
static double grid_count(const double *Y, size_t n, size_t m, unsigned R) {
  size_t cells = 1;
  for (size_t d = 0; d < m; d++) cells *= R;
  double count = 0;
  for (size_t c = 0; c < cells; c++) {
    double corner[8];
    size_t rest = c;
    for (size_t d = 0; d < m; d++) corner[d] = (double)(rest % R), rest /= R;
    for (size_t i = 0; i < n; i++) {
      size_t d = 0;
      while (d < m && Y[i * m + d] <= corner[d]) d++; /* NaN fails */
      if (d == m) {
        count++;
        break;
      }
    }
  }
  return count;
}

static void test_hypervolume_grid(void **state) {
  (void)state;
  gsl_rng *s = invdes_rng_new(2026, 0);
  for (int trial = 0; trial < 300; trial++) {
    size_t m = 2 + (size_t)trial % 3, n = pick(s, m == 4 ? 14 : 30);
    unsigned R = m == 4 ? 6 : 9;
    double *Y = malloc((n ? n : 1) * m * sizeof *Y), ref[4], hv = -1;
    /* values 0..R: a coordinate equal to the reference adds nothing */
    fill(s, Y, n, m, R + 1, 1);
    for (size_t d = 0; d < m; d++) ref[d] = R;
    assert_int_equal(invdes_hypervolume(Y, n, m, ref, &hv, NULL), INVDES_OK);
    assert_true(hv == grid_count(Y, n, m, R)); /* integers: exact */
    free(Y);
  }
  gsl_rng_free(s);
}

/* Inclusion-exclusion: the union of boxes [y_i, ref] is the alternating sum
 * over non-empty subsets of the volume of their intersection. */
static double inclusion_exclusion(const double *Y, size_t n, size_t m, const double *ref) {
  size_t keep[16], k = 0;
  for (size_t i = 0; i < n; i++) {
    size_t d = 0;
    while (d < m && Y[i * m + d] < ref[d]) d++;
    if (d == m) keep[k++] = i;
  }
  double total = 0.0;
  for (unsigned long set = 1; set < (1ul << k); set++) {
    double vol = 1.0;
    int bits = 0;
    for (size_t d = 0; d < m; d++) {
      double top = -INFINITY;
      for (size_t b = 0; b < k; b++)
        if (set >> b & 1) top = fmax(top, Y[keep[b] * m + d]);
      vol *= ref[d] - top;
    }
    for (size_t b = 0; b < k; b++) bits += (int)(set >> b & 1);
    total += bits % 2 ? vol : -vol;
  }
  return total;
}

static void test_hypervolume_subsets(void **state) {
  (void)state;
  gsl_rng *s = invdes_rng_new(99, 0);
  for (int trial = 0; trial < 400; trial++) {
    size_t m = 2 + (size_t)trial % 4, n = pick(s, 13);
    double *Y = malloc((n ? n : 1) * m * sizeof *Y), ref[5], hv = -1;
    fill(s, Y, n, m, trial % 4 == 0 ? 5 : 0, 1);
    for (size_t d = 0; d < m; d++) ref[d] = trial % 4 == 0 ? 4 : 0.8 + 0.4 * unif(s);
    assert_int_equal(invdes_hypervolume(Y, n, m, ref, &hv, NULL), INVDES_OK);
    double want = inclusion_exclusion(Y, n, m, ref);
    assert_near(hv, want, 1e-12 * (1 + fabs(want)));
    free(Y);
  }
  gsl_rng_free(s);
}

static void test_hypervolume_edges(void **state) {
  (void)state;
  double hv = -1;
  const double one[] = {0, 0}, ref[] = {1, 1};
  assert_int_equal(invdes_hypervolume(one, 1, 2, ref, &hv, NULL), INVDES_OK);
  assert_true(hv == 1.0);
  /* m = 1: the distance from the best point to the reference */
  const double line[] = {0.5, NAN, 0.25, 2};
  assert_int_equal(invdes_hypervolume(line, 4, 1, ref, &hv, NULL), INVDES_OK);
  assert_true(hv == 0.75);
  /* on the reference, beyond it, or NaN: nothing */
  const double none[] = {1, 0, 0, 2, NAN, 0};
  assert_int_equal(invdes_hypervolume(none, 3, 2, ref, &hv, NULL), INVDES_OK);
  assert_true(hv == 0.0);
  const double inf[] = {-INFINITY, 0.5};
  assert_int_equal(invdes_hypervolume(inf, 1, 2, ref, &hv, NULL), INVDES_OK);
  assert_true(isinf(hv) && hv > 0);
  const double ref3[] = {1, 1, 1};
  assert_int_equal(invdes_hypervolume(NULL, 0, 3, ref3, &hv, NULL), INVDES_OK);
  assert_true(hv == 0.0);
  invdes_error err;
  invdes_error_clear(&err);
  const double bad[] = {1, NAN};
  assert_int_equal(invdes_hypervolume(one, 1, 2, bad, &hv, &err), INVDES_ERR_USAGE);
  assert_non_null(strstr(err.message, "reference coordinate 2"));
  assert_int_equal(invdes_hypervolume(one, 1, 0, ref, &hv, NULL), INVDES_ERR_USAGE);
  /* a larger 3-d and 4-d front: points on the simplex x+y+z = 1 in a grid */
  enum { G = 12 };
  double P[(G + 1) * (G + 1) * 4];
  size_t k = 0;
  for (int a = 0; a <= G; a++)
    for (int b = 0; a + b <= G; b++, k++)
      P[3 * k] = a, P[3 * k + 1] = b, P[3 * k + 2] = G - a - b;
  const double r3[] = {G + 1, G + 1, G + 1};
  assert_int_equal(invdes_hypervolume(P, k, 3, r3, &hv, NULL), INVDES_OK);
  assert_true(hv == grid_count(P, k, 3, G + 1));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_ranks_random),         cmocka_unit_test(test_ranks_small),
      cmocka_unit_test(test_crowding),             cmocka_unit_test(test_hypervolume_grid),
      cmocka_unit_test(test_hypervolume_subsets), cmocka_unit_test(test_hypervolume_edges),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
