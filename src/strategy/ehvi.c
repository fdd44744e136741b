/* ehvi.c — the box decomposition of the non-dominated region and the
 * expected hypervolume improvement over it (ehvi.h). Pure numerics: no
 * model, no campaign, no randomness. */
#include "ehvi.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

static invdes_status nomem(invdes_error *err) {
  return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* 1 when row y counts: finite and strictly below ref everywhere. */
static int below(const double *y, size_t m, const double *ref) {
  for (size_t j = 0; j < m; j++)
    if (!(y[j] < ref[j])) return 0;
  return 1;
}

/* Sorted distinct values of coordinate j of the counted rows into v (room
 * n); returns how many. */
static size_t distinct(const double *Y, size_t n, size_t m, size_t j,
                       const double *ref, double *v) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (below(Y + i * m, m, ref)) v[k++] = Y[i * m + j];
  qsort(v, k, sizeof *v, cmp_double);
  size_t u = 0;
  for (size_t i = 0; i < k; i++)
    if (!u || v[i] != v[u - 1]) v[u++] = v[i];
  return u;
}

/* Index of value x in the sorted v[0..n) (present by construction). */
static size_t find(const double *v, size_t n, double x) {
  size_t lo = 0, hi = n;
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (v[mid] <= x) lo = mid;
    else hi = mid;
  }
  return lo;
}

void ehvi_boxes_free(ehvi_boxes *b) {
  free(b->edge[0]);
  free(b->edge[1]);
  free(b->top);
  free(b->cell);
  free(b->work);
  memset(b, 0, sizeof *b);
}

/* The cuts of coordinate j: -inf, the distinct values, ref. */
static invdes_status make_edges(ehvi_boxes *b, size_t j, const double *Y,
                                size_t n, const double *ref,
                                invdes_error *err) {
  double *e = malloc((n + 2) * sizeof *e);
  if (!e) return nomem(err);
  size_t k = distinct(Y, n, b->m, j, ref, e + 1);
  e[0] = -INFINITY;
  e[k + 1] = ref[j];
  b->edge[j] = e;
  b->ne[j] = k + 1;
  return INVDES_OK;
}

invdes_status ehvi_boxes_build(ehvi_boxes *b, const double *Y, size_t n,
                               size_t m, const double *ref,
                               invdes_error *err) {
  ehvi_boxes_free(b);
  if (m < 2 || m > EHVI_MAX_M)
    return invdes_error_set(err, INVDES_ERR_INVALID,
                            "ehvi: %zu objectives (2 or 3 are exact)", m);
  b->m = m;
  memcpy(b->ref, ref, m * sizeof *ref);
  invdes_status st = make_edges(b, 0, Y, n, ref, err);
  if (!st && m == 3) st = make_edges(b, 1, Y, n, ref, err);
  if (!st && m == 2) b->ne[1] = 1;
  if (st) return st;
  size_t cells = b->ne[0] * b->ne[1], last = m - 1;
  b->top = malloc((n + 2) * sizeof *b->top);
  b->cell = malloc((cells + 1) * sizeof *b->cell);
  double *g = malloc((cells + 1) * sizeof *g);
  b->work = malloc((4 * (b->ne[0] + b->ne[1] + 2) + n + 2) * sizeof *b->work);
  if (!b->top || !b->cell || !g || !b->work) {
    free(g);
    return nomem(err);
  }
  b->nv = distinct(Y, n, m, last, ref, b->top);
  b->top[b->nv++] = ref[last];
  for (size_t c = 0; c < cells; c++) g[c] = ref[last];
  for (size_t i = 0; i < n; i++) { /* each point at its own column */
    const double *y = Y + i * m;
    if (!below(y, m, ref)) continue;
    size_t r0 = find(b->edge[0], b->ne[0], y[0]);
    size_t r1 = m == 3 ? find(b->edge[1], b->ne[1], y[1]) : 0;
    double *c = &g[r0 * b->ne[1] + r1];
    if (y[last] < *c) *c = y[last];
  }
  for (size_t i0 = 0; i0 < b->ne[0]; i0++) /* prefix minima: all p <= cut */
    for (size_t i1 = 0; i1 < b->ne[1]; i1++) {
      double *c = &g[i0 * b->ne[1] + i1];
      if (i0 && g[(i0 - 1) * b->ne[1] + i1] < *c) *c = g[(i0 - 1) * b->ne[1] + i1];
      if (i1 && c[-1] < *c) *c = c[-1];
      b->cell[i0 * b->ne[1] + i1] = find(b->top, b->nv, *c);
    }
  free(g);
  return INVDES_OK;
}

size_t ehvi_boxes_count(const ehvi_boxes *b) { return b->ne[0] * b->ne[1]; }

void ehvi_boxes_get(const ehvi_boxes *b, size_t k, double *lo, double *hi) {
  size_t i0 = k / b->ne[1], i1 = k % b->ne[1], last = b->m - 1;
  lo[0] = b->edge[0][i0];
  hi[0] = b->edge[0][i0 + 1];
  if (b->m == 3) {
    lo[1] = b->edge[1][i1];
    hi[1] = b->edge[1][i1 + 1];
  }
  lo[last] = -INFINITY;
  hi[last] = b->top[b->cell[k]];
}

double ehvi_improvement(const ehvi_boxes *b, const double *y) {
  double lo[EHVI_MAX_M], hi[EHVI_MAX_M], sum = 0;
  for (size_t k = 0; k < ehvi_boxes_count(b); k++) {
    ehvi_boxes_get(b, k, lo, hi);
    double v = 1;
    for (size_t j = 0; j < b->m && v > 0; j++) {
      double l = y[j] > lo[j] ? y[j] : lo[j];
      v *= hi[j] > l ? hi[j] - l : 0;
    }
    sum += v;
  }
  return sum;
}

/* Factors E[(u - max(l, Y))_+] of the ne columns cut at e[0..ne], Y ~
 * N(mu, sd^2), into f; w holds 3 (ne + 1) scratch values. */
static void factors(const double *e, size_t ne, double mu, double sd,
                    double *w, double *f) {
  double *P = w, *Q = w + ne + 1, *phi = w + 2 * (ne + 1);
  for (size_t k = 0; k <= ne; k++) {
    double z = (e[k] - mu) / sd;
    P[k] = gsl_cdf_ugaussian_P(z);
    Q[k] = gsl_cdf_ugaussian_Q(z);
    phi[k] = isfinite(z) ? gsl_ran_ugaussian_pdf(z) : 0;
  }
  for (size_t i = 0; i < ne; i++) {
    double l = e[i], u = e[i + 1];
    /* P(l < Y < u) from the tail that keeps its digits */
    double mass = e[i] > mu ? Q[i] - Q[i + 1] : P[i + 1] - P[i];
    double v = (u - mu) * mass + sd * (phi[i + 1] - phi[i]);
    if (i) v += (u - l) * P[i];
    f[i] = v > 0 ? v : 0;
  }
}

double ehvi_gauss(ehvi_boxes *b, const double *mu, const double *sd) {
  size_t n0 = b->ne[0], n1 = b->ne[1], last = b->m - 1;
  double *w = b->work, *f0 = w + 3 * (n0 + n1 + 2), *f1 = f0 + n0;
  double *ft = f1 + n1;
  factors(b->edge[0], n0, mu[0], sd[0], w, f0);
  if (b->m == 3) factors(b->edge[1], n1, mu[1], sd[1], w, f1);
  else f1[0] = 1;
  for (size_t v = 0; v < b->nv; v++) { /* columns open below: l = -inf */
    double z = (b->top[v] - mu[last]) / sd[last];
    double x = (b->top[v] - mu[last]) * gsl_cdf_ugaussian_P(z) +
               sd[last] * gsl_ran_ugaussian_pdf(z);
    ft[v] = x > 0 ? x : 0;
  }
  double sum = 0;
  for (size_t i0 = 0; i0 < n0; i0++) {
    if (!(f0[i0] > 0)) continue;
    double row = 0;
    const size_t *c = b->cell + i0 * n1;
    for (size_t i1 = 0; i1 < n1; i1++) row += f1[i1] * ft[c[i1]];
    sum += f0[i0] * row;
  }
  return sum;
}
