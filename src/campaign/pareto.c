/* pareto.c — non-dominated sorting, crowding distance and exact hypervolume
 * (pareto.h). Everything is minimized. The sort peels fronts with domination
 * counts (Deb's fast non-dominated sort without its O(n^2) lists: the
 * dominance test is repeated instead, so memory stays O(n)). The hypervolume
 * is computed exactly: a staircase sweep in 2-d, a sweep over the third
 * coordinate that keeps the 2-d staircase in 3-d, and slicing along the last
 * coordinate above that (the "HSO" scheme of While et al.), bottoming out in
 * the 3-d sweep. Sorting is a stable merge sort on row pointers by one
 * coordinate, so the results do not depend on qsort's tie order. */
#include "pareto.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int row_has_nan(const double *y, size_t m) {
  for (size_t d = 0; d < m; d++)
    if (isnan(y[d])) return 1;
  return 0;
}

/* a dominates b: a <= b everywhere and a < b somewhere (no NaN in either). */
static int dominates(const double *a, const double *b, size_t m) {
  int strict = 0;
  for (size_t d = 0; d < m; d++) {
    if (a[d] > b[d]) return 0;
    if (a[d] < b[d]) strict = 1;
  }
  return strict;
}

static invdes_status check_shape(size_t n, size_t m, invdes_error *err) {
  if (m == 0) return invdes_error_set(err, INVDES_ERR_USAGE, "pareto: no objective (m = 0)");
  if (n > SIZE_MAX / m / sizeof(double))
    return invdes_error_set(err, INVDES_ERR_USAGE, "pareto: %zu x %zu values overflow", n, m);
  return INVDES_OK;
}

/* ---- non-dominated ranks ---------------------------------------------------- */

invdes_status invdes_pareto_ranks(const double *Y, size_t n, size_t m, size_t *rank,
                                  size_t *n_fronts, invdes_error *err) {
  if (!n_fronts) return invdes_error_set(err, INVDES_ERR_USAGE, "pareto ranks: n_fronts is NULL");
  *n_fronts = 0;
  invdes_status st = check_shape(n, m, err);
  if (st != INVDES_OK || n == 0) return st;
  if (!Y || !rank) return invdes_error_set(err, INVDES_ERR_USAGE, "pareto ranks: NULL array");
  size_t *count = calloc(n, sizeof *count), *queue = malloc(n * sizeof *queue);
  unsigned char *nan = malloc(n);
  if (!count || !queue || !nan) {
    free(count), free(queue), free(nan);
    return invdes_error_set(err, INVDES_ERR_NOMEM, "pareto ranks: out of memory (%zu points)", n);
  }
  for (size_t i = 0; i < n; i++) {
    nan[i] = (unsigned char)row_has_nan(Y + i * m, m);
    rank[i] = SIZE_MAX;
  }
  /* count[i]: how many points dominate i */
  size_t tail = 0;
  for (size_t i = 0; i < n; i++) {
    if (nan[i]) continue;
    for (size_t j = 0; j < n; j++)
      if (j != i && !nan[j] && dominates(Y + j * m, Y + i * m, m)) count[i]++;
    if (count[i] == 0) rank[i] = 0, queue[tail++] = i;
  }
  /* Peel: once every point of front r is out, the points they alone kept
   * dominated form front r + 1. */
  size_t front = 0, start = 0;
  while (start < tail) {
    size_t end = tail;
    for (size_t q = start; q < end; q++) {
      const double *p = Y + queue[q] * m;
      for (size_t j = 0; j < n; j++)
        if (!nan[j] && rank[j] == SIZE_MAX && dominates(p, Y + j * m, m) && --count[j] == 0)
          rank[j] = front + 1, queue[tail++] = j;
    }
    front++;
    start = end;
  }
  *n_fronts = front;
  free(count), free(queue), free(nan);
  return INVDES_OK;
}

/* ---- crowding distance ------------------------------------------------------ */

typedef struct crowd_key {
  double v;
  size_t pos; /* position in idx: the tie-break */
} crowd_key;

static int crowd_key_cmp(const void *pa, const void *pb) {
  const crowd_key *a = pa, *b = pb;
  if (a->v != b->v) return a->v < b->v ? -1 : 1;
  return (a->pos > b->pos) - (a->pos < b->pos);
}

invdes_status invdes_pareto_crowding(const double *Y, size_t m, const size_t *idx, size_t k,
                                     double *dist, invdes_error *err) {
  invdes_status st = check_shape(k, m, err);
  if (st != INVDES_OK || k == 0) return st;
  if (!Y || !idx || !dist)
    return invdes_error_set(err, INVDES_ERR_USAGE, "pareto crowding: NULL array");
  for (size_t j = 0; j < k; j++) {
    if (row_has_nan(Y + idx[j] * m, m))
      return invdes_error_set(err, INVDES_ERR_USAGE,
                              "pareto crowding: point %zu of the front has no value", idx[j]);
    dist[j] = k <= 2 ? INFINITY : 0.0;
  }
  if (k <= 2) return INVDES_OK;
  crowd_key *key = malloc(k * sizeof *key);
  if (!key) return invdes_error_set(err, INVDES_ERR_NOMEM, "pareto crowding: out of memory");
  for (size_t d = 0; d < m; d++) {
    for (size_t j = 0; j < k; j++) key[j] = (crowd_key){Y[idx[j] * m + d], j};
    qsort(key, k, sizeof *key, crowd_key_cmp);
    double range = key[k - 1].v - key[0].v;
    if (!(range > 0)) continue; /* all equal: no boundary, no gap */
    dist[key[0].pos] = dist[key[k - 1].pos] = INFINITY;
    if (!isfinite(range)) continue; /* an infinite value: only the boundaries count */
    for (size_t j = 1; j + 1 < k; j++) dist[key[j].pos] += (key[j + 1].v - key[j - 1].v) / range;
  }
  free(key);
  return INVDES_OK;
}

/* ---- hypervolume ------------------------------------------------------------ */

/* Stable merge sort of k row pointers by coordinate d, ascending; tmp holds
 * k pointers of scratch. */
static void sort_rows(const double **P, size_t k, size_t d, const double **tmp) {
  for (size_t w = 1; w < k; w *= 2) {
    for (size_t lo = 0; lo < k; lo += 2 * w) {
      size_t mid = lo + w < k ? lo + w : k, hi = lo + 2 * w < k ? lo + 2 * w : k;
      size_t a = lo, b = mid, o = lo;
      while (a < mid && b < hi) tmp[o++] = P[b][d] < P[a][d] ? P[b++] : P[a++];
      while (a < mid) tmp[o++] = P[a++];
      while (b < hi) tmp[o++] = P[b++];
    }
    memcpy(P, tmp, k * sizeof *P);
  }
}

/* 2-d: sorted by the first coordinate, each slice up to the next point is as
 * high as the lowest second coordinate seen so far. P is reordered. */
static double hv2(const double **P, size_t k, const double *ref, const double **tmp) {
  sort_rows(P, k, 0, tmp);
  double best = ref[1], hv = 0.0;
  for (size_t i = 0; i < k; i++) {
    if (P[i][1] < best) best = P[i][1];
    double next = i + 1 < k ? P[i + 1][0] : ref[0];
    hv += (next - P[i][0]) * (ref[1] - best);
  }
  return hv;
}

/* 3-d: sweep the third coordinate upward; between two consecutive points
 * the section is the 2-d area of the points passed, kept as a staircase
 * (x ascending, y strictly descending) in sx, sy (k doubles each). P is
 * reordered. */
static double hv3(const double **P, size_t k, const double *ref, const double **tmp, double *sx,
                  double *sy) {
  sort_rows(P, k, 2, tmp);
  size_t h = 0;
  double area = 0.0, hv = 0.0;
  for (size_t i = 0; i < k; i++) {
    double x = P[i][0], y = P[i][1];
    size_t le = 0; /* entries with sx <= x */
    while (le < h && sx[le] <= x) le++;
    if (!(le > 0 && sy[le - 1] <= y)) { /* not dominated by the staircase */
      size_t lo = le > 0 && sx[le - 1] == x ? le - 1 : le, e = lo;
      while (e < h && sy[e] >= y) e++; /* [lo, e): dominated by (x, y) */
      memmove(sx + lo + 1, sx + e, (h - e) * sizeof *sx);
      memmove(sy + lo + 1, sy + e, (h - e) * sizeof *sy);
      sx[lo] = x, sy[lo] = y;
      h = h - (e - lo) + 1;
      area = 0.0;
      for (size_t s = 0; s < h; s++) area += ((s + 1 < h ? sx[s + 1] : ref[0]) - sx[s]) * (ref[1] - sy[s]);
    }
    double next = i + 1 < k ? P[i + 1][2] : ref[2];
    hv += area * (next - P[i][2]);
  }
  return hv;
}

/* d > 3 coordinates: slice along coordinate d - 1; the slice from point i to
 * the next is as thick as their gap and its section is the (d-1)-volume of
 * the points up to i. P is copied, never reordered. Returns -1 when out of
 * memory. */
static int hv_slice(const double **P, size_t k, size_t d, const double *ref, double *out) {
  const double **Q = malloc(2 * k * sizeof *Q), **S = malloc(2 * k * sizeof *S);
  double *sx = malloc(2 * k * sizeof *sx);
  int rc = 0;
  if (!Q || !S || !sx) rc = -1;
  double hv = 0.0;
  if (rc == 0) {
    memcpy(Q, P, k * sizeof *Q);
    sort_rows(Q, k, d - 1, Q + k);
  }
  for (size_t i = 0; rc == 0 && i < k; i++) {
    double next = i + 1 < k ? Q[i + 1][d - 1] : ref[d - 1], section = 0.0;
    if (!(next > Q[i][d - 1])) continue;
    memcpy(S, Q, (i + 1) * sizeof *S);
    if (d - 1 == 3)
      section = hv3(S, i + 1, ref, S + k, sx, sx + k);
    else
      rc = hv_slice(S, i + 1, d - 1, ref, &section);
    hv += section * (next - Q[i][d - 1]);
  }
  free(Q), free(S), free(sx);
  *out = hv;
  return rc;
}

invdes_status invdes_hypervolume(const double *Y, size_t n, size_t m, const double *ref,
                                 double *hv, invdes_error *err) {
  if (!hv) return invdes_error_set(err, INVDES_ERR_USAGE, "hypervolume: hv is NULL");
  *hv = 0.0;
  invdes_status st = check_shape(n, m, err);
  if (st != INVDES_OK) return st;
  if (!ref || (n > 0 && !Y)) return invdes_error_set(err, INVDES_ERR_USAGE, "hypervolume: NULL array");
  for (size_t d = 0; d < m; d++)
    if (!isfinite(ref[d]))
      return invdes_error_set(err, INVDES_ERR_USAGE,
                              "hypervolume: reference coordinate %zu is not a finite number", d + 1);
  if (n == 0) return INVDES_OK;
  const double **P = malloc(2 * n * sizeof *P);
  double *stair = m == 3 ? malloc(2 * n * sizeof *stair) : NULL;
  if (!P || (m == 3 && !stair)) {
    free(P), free(stair);
    return invdes_error_set(err, INVDES_ERR_NOMEM, "hypervolume: out of memory (%zu points)", n);
  }
  size_t k = 0;
  int infinite = 0;
  for (size_t i = 0; i < n; i++) {
    const double *y = Y + i * m;
    size_t d = 0;
    while (d < m && y[d] < ref[d]) d++; /* NaN fails the test */
    if (d < m) continue;
    for (d = 0; d < m; d++) infinite |= isinf(y[d]);
    P[k++] = y;
  }
  double v = 0.0;
  if (infinite)
    v = INFINITY;
  else if (k > 0 && m == 1) {
    v = ref[0] - P[0][0];
    for (size_t i = 1; i < k; i++) v = fmax(v, ref[0] - P[i][0]);
  } else if (k > 0 && m == 2)
    v = hv2(P, k, ref, P + n);
  else if (k > 0 && m == 3)
    v = hv3(P, k, ref, P + n, stair, stair + n);
  else if (k > 0 && hv_slice(P, k, m, ref, &v) != 0)
    st = invdes_error_set(err, INVDES_ERR_NOMEM, "hypervolume: out of memory (%zu points)", n);
  free(P), free(stair);
  if (st == INVDES_OK) *hv = v;
  return st;
}
