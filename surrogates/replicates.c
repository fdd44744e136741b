/* replicates.c — combining repeated measurements of one point (see
 * replicates.h): a stable merge sort of the row indices by their inputs
 * finds the points, each point's rows are folded into at most two (known
 * and unknown noise) in the order of the points' first rows. */
#include "replicates.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* -1, 0, 1 as row a's inputs sort before, equal, after row b's. */
static int row_cmp(const double *X, size_t d, size_t a, size_t b) {
  const double *p = X + a * d, *q = X + b * d;
  for (size_t k = 0; k < d; k++) {
    if (p[k] < q[k]) return -1;
    if (p[k] > q[k]) return 1;
  }
  return 0;
}

/* Stable merge sort of idx[0..n) by row_cmp, tmp: n scratch entries. */
static void sort_rows(const double *X, size_t d, size_t *idx, size_t *tmp, size_t n) {
  for (size_t w = 1; w < n; w *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * w) {
      size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
      size_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) tmp[k++] = row_cmp(X, d, idx[j], idx[i]) < 0 ? idx[j++] : idx[i++];
      while (i < mid) tmp[k++] = idx[i++];
      while (j < hi) tmp[k++] = idx[j++];
    }
    memcpy(idx, tmp, n * sizeof *idx);
  }
}

/* Sums of one point's measurements of either kind. */
typedef struct fold {
  size_t count, exact;     /* rows; known: of them exact (v = 0) */
  size_t row;              /* the last row added */
  double sw, swy, sy0;     /* known: Σ1/v, Σy/v, Σy over exact; unknown: Σc, Σcy */
} fold;

static void fold_add(fold *f, size_t row, double y, double v) {
  f->count++;
  f->row = row;
  if (v >= 0) {
    if (v == 0) {
      f->exact++;
      f->sy0 += y;
    } else {
      f->sw += 1.0 / v;
      f->swy += y / v;
    }
  } else {
    double c = isnan(v) ? 1.0 : -v;
    f->sw += c;
    f->swy += c * y;
  }
}

invdes_status invdes_replicates_combine(double *X, size_t n, size_t d, double *y,
                                        double *var, size_t *n_out, size_t *row_of,
                                        invdes_error *err) {
  for (size_t i = 0; i < n; i++)
    if (!isfinite(y[i]) || isinf(var[i]))
      return invdes_error_set(err, INVDES_ERR_INVALID, "replicates: row %zu has value %g and "
                              "noise variance %g", i, y[i], var[i]);
  size_t *idx = malloc((2 * n + 1) * sizeof *idx), *first = malloc((n + 1) * sizeof *first);
  double *Xo = malloc((2 * n * d + 1) * sizeof *Xo), *yo = malloc((2 * n + 1) * sizeof *yo);
  double *vo = malloc((2 * n + 1) * sizeof *vo);
  if (!idx || !first || !Xo || !yo || !vo) {
    free(idx), free(first), free(Xo), free(yo), free(vo);
    return invdes_error_set(err, INVDES_ERR_NOMEM, "replicates: out of memory");
  }
  for (size_t i = 0; i < n; i++) idx[i] = i;
  sort_rows(X, d, idx, idx + n, n);
  /* first[i]: the first (lowest) row of i's point; the sort is stable */
  for (size_t s = 0; s < n; s++)
    first[idx[s]] = s > 0 && row_cmp(X, d, idx[s - 1], idx[s]) == 0 ? first[idx[s - 1]] : idx[s];
  /* span[leader] = where its point's rows start in idx; they end at the
   * next row of another point */
  size_t *span = idx + n; /* the sort's scratch, free again */
  for (size_t s = 0; s < n; s++)
    if (first[idx[s]] == idx[s]) span[idx[s]] = s;
  size_t m = 0;
  for (size_t i = 0; i < n; i++) { /* the points in the order of their first rows */
    if (first[i] != i) continue;
    size_t s0 = span[i], e = s0 + 1;
    while (e < n && first[idx[e]] == i) e++;
    fold kn = {0}, un = {0};
    for (size_t s = s0; s < e; s++) fold_add(var[idx[s]] >= 0 ? &kn : &un, idx[s], y[idx[s]], var[idx[s]]);
    size_t row_kn = SIZE_MAX, row_un = SIZE_MAX;
    if (kn.count) {
      memcpy(Xo + m * d, X + i * d, d * sizeof *Xo);
      yo[m] = kn.count == 1 ? y[kn.row] : kn.exact ? kn.sy0 / (double)kn.exact : kn.swy / kn.sw;
      vo[m] = kn.count == 1 ? var[kn.row] : kn.exact ? 0.0 : 1.0 / kn.sw;
      row_kn = m++;
    }
    if (un.count) {
      memcpy(Xo + m * d, X + i * d, d * sizeof *Xo);
      yo[m] = un.count == 1 ? y[un.row] : un.swy / un.sw; /* a single row as it was */
      vo[m] = un.count == 1 ? var[un.row] : -un.sw;
      row_un = m++;
    }
    for (size_t s = s0; row_of && s < e; s++) row_of[idx[s]] = var[idx[s]] >= 0 ? row_kn : row_un;
  }
  memcpy(X, Xo, m * d * sizeof *X);
  memcpy(y, yo, m * sizeof *y);
  memcpy(var, vo, m * sizeof *var);
  *n_out = m;
  free(idx), free(first), free(Xo), free(yo), free(vo);
  return INVDES_OK;
}
