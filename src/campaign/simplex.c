/* simplex.c — uniform sampling of and projection onto a bounded simplex.
 *
 * Sampling (see simplex.h): shift by the lower bounds, so y_i = x_i - lo_i
 * lies in [0, c_i] with c_i = hi_i - lo_i and sum y = R = total - sum lo.
 * Components are drawn in order. With m components left after component i,
 * the density of y_i given the amount R still to place is proportional to
 * the (m-1)-volume of { 0 <= y_j <= c_j (j after i), sum y_j = R - y_i },
 * which by inclusion-exclusion is
 *   V(s) = sum over subsets J of the later components of
 *          (-1)^|J| (s - c_J)_+^(m-1) / (m-1)!,    s = R - y_i,
 * and its integral W(s) has the power m. Only components with c_j < R can
 * bind, and a subset whose c_J already exceeds s contributes nothing, which
 * prunes the enumeration. The conditional CDF is inverted by bisection on a
 * bracket that keeps the remaining components able to absorb the rest, so
 * every output is in P even where rounding blurs the CDF. Components with
 * lo == hi are fixed and take no part. This file knows nothing else. */
#include "simplex.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct invdes_simplex {
  size_t k;
  double total;
  double *lo, *hi, *cap;    /* cap = hi - lo */
  size_t *act;              /* indices of components with cap > 0 */
  size_t n_act;
  double *rest_cap;         /* rest_cap[a] = sum of cap over act[a+1 ..] */
  double r0;                /* total - sum lo */
};

invdes_simplex *invdes_simplex_new(const double *lo, const double *hi,
                                   size_t k, double total) {
  invdes_simplex *g = calloc(1, sizeof *g);
  if (!g) return NULL;
  g->k = k;
  g->total = total;
  g->lo = malloc(k * sizeof *g->lo);
  g->hi = malloc(k * sizeof *g->hi);
  g->cap = malloc(k * sizeof *g->cap);
  g->act = malloc(k * sizeof *g->act);
  g->rest_cap = malloc(k * sizeof *g->rest_cap);
  if (!g->lo || !g->hi || !g->cap || !g->act || !g->rest_cap) {
    invdes_simplex_free(g);
    return NULL;
  }
  double slo = 0;
  for (size_t i = 0; i < k; i++) {
    g->lo[i] = lo[i];
    g->hi[i] = hi[i];
    g->cap[i] = hi[i] - lo[i] > 0 ? hi[i] - lo[i] : 0;
    slo += lo[i];
    if (g->cap[i] > 0) g->act[g->n_act++] = i;
  }
  g->r0 = total - slo > 0 ? total - slo : 0;
  double s = 0;
  for (size_t a = g->n_act; a-- > 0;) {
    g->rest_cap[a] = s;
    s += g->cap[g->act[a]];
  }
  return g;
}

void invdes_simplex_free(invdes_simplex *g) {
  if (!g) return;
  free(g->lo);
  free(g->hi);
  free(g->cap);
  free(g->act);
  free(g->rest_cap);
  free(g);
}

/* Adds sum over subsets J of q[from..t-1] of sign (-1)^|J| (s - q_J)_+^m
 * to *w and its derivative in s to *dw. */
static void wsum(const double *q, size_t t, size_t from, double s, int m,
                 double sign, double *w, double *dw) {
  if (s <= 0) return;
  double p = 1;
  for (int e = 1; e < m; e++) p *= s;
  *w += sign * p * s;
  *dw += sign * m * p;
  for (size_t j = from; j < t; j++)
    wsum(q, t, j + 1, s - q[j], m, -sign, w, dw);
}

/* The s in [lo, hi] with W(s) = target, W increasing: Newton steps kept
 * inside a shrinking bracket, bisection when a step leaves it. */
static double solve_w(const double *q, size_t t, int m, double target,
                      double lo, double hi, double s) {
  for (int it = 0; it < 100 && hi - lo > 1e-16; it++) {
    double w = 0, dw = 0;
    wsum(q, t, 0, s, m, 1, &w, &dw);
    if (w < target) lo = s;
    else hi = s;
    double next = dw > 0 ? s - (w - target) / dw : 0.5 * (lo + hi);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (fabs(next - s) <= 1e-16 * (1 + s)) return next;
    s = next;
  }
  return s < lo ? lo : s > hi ? hi : s;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int invdes_simplex_from_cube(const invdes_simplex *g, const double *u,
                             double *x) {
  double R = g->r0;
  memcpy(x, g->lo, g->k * sizeof *x);
  if (g->n_act == 0) return 1;
  double q[INVDES_SIMPLEX_MAX_TIGHT], all[64];
  for (size_t a = 0; a + 1 < g->n_act; a++) {
    size_t i = g->act[a];
    int m = (int)(g->n_act - 1 - a);
    double ui = u[a] < 0 ? 0 : u[a] > 1 ? 1 : u[a];
    double ymin = R - g->rest_cap[a] > 0 ? R - g->rest_cap[a] : 0;
    double ymax = g->cap[i] < R ? g->cap[i] : R;
    double y;
    if (R <= 0 || ymax <= ymin) {
      y = ymin;
    } else {
      /* caps of later components that can bind, scaled by R, smallest
       * (most binding) first, at most MAX_TIGHT of them */
      size_t t = 0, n_all = 0;
      for (size_t b = a + 1; b < g->n_act; b++) {
        double c = g->cap[g->act[b]];
        if (c < R && n_all < sizeof all / sizeof all[0]) all[n_all++] = c / R;
      }
      if (n_all > INVDES_SIMPLEX_MAX_TIGHT)
        qsort(all, n_all, sizeof *all, cmp_double);
      t = n_all < INVDES_SIMPLEX_MAX_TIGHT ? n_all : INVDES_SIMPLEX_MAX_TIGHT;
      memcpy(q, all, t * sizeof *q);
      double smin = (R - ymax) / R, smax = (R - ymin) / R;
      if (t == 0) {
        /* stick-breaking: Beta(1, m) truncated to [0, ymax/R] */
        double tail = pow(smin, m);
        double s = pow(1 - ui * (1 - tail), 1.0 / m);
        y = R - R * s;
      } else {
        double A = 0, B = 0, d = 0;
        wsum(q, t, 0, smax, m, 1, &A, &d);
        wsum(q, t, 0, smin, m, 1, &B, &d);
        double target = A - ui * (A - B);
        /* start from the unbounded (stick-breaking) answer */
        double s0 = pow(1 - ui, 1.0 / m);
        s0 = s0 < smin ? smin : s0 > smax ? smax : s0;
        y = R - R * solve_w(q, t, m, target, smin, smax, s0);
      }
      y = y < ymin ? ymin : y > ymax ? ymax : y;
    }
    x[i] += y;
    R -= y;
  }
  size_t last = g->act[g->n_act - 1];
  double y = R < 0 ? 0 : R > g->cap[last] ? g->cap[last] : R;
  x[last] += y;
  int ok = 1;
  for (size_t i = 0; i < g->k; i++)
    if (x[i] > g->hi[i]) {
      if (x[i] > g->hi[i] + 1e-12 * (1 + fabs(g->hi[i]))) ok = 0;
      x[i] = g->hi[i];
    }
  return ok;
}

static void sort_small(double *v, size_t n) {
  if (n > 32) {
    qsort(v, n, sizeof *v, cmp_double);
    return;
  }
  for (size_t i = 1; i < n; i++) {
    double x = v[i];
    size_t j = i;
    for (; j > 0 && v[j - 1] > x; j--) v[j] = v[j - 1];
    v[j] = x;
  }
}

static double clamped_sum(const invdes_simplex *g, const double *t,
                          double lam) {
  double s = 0;
  for (size_t i = 0; i < g->k; i++) {
    double v = t[i] - lam;
    s += v < g->lo[i] ? g->lo[i] : v > g->hi[i] ? g->hi[i] : v;
  }
  return s;
}

/* The sum of clamp(t_i - lam, lo_i, hi_i) is piecewise linear and
 * non-increasing in lam with kinks at t_i - hi_i and t_i - lo_i: find the
 * piece holding `total` by binary search over the sorted kinks, then solve
 * on it exactly. */
void invdes_simplex_project(const invdes_simplex *g, const double *t,
                            double *x) {
  size_t k = g->k, nb = 2 * k;
  double tbuf[64], bbuf[128];
  double *tv = k <= 64 ? tbuf : malloc(k * sizeof *tv);
  double *b = k <= 64 ? bbuf : malloc(nb * sizeof *b);
  if (!tv || !b) { /* out of memory: a feasible answer without projection */
    if (tv != tbuf) free(tv);
    if (b != bbuf) free(b);
    double u[64] = {0};
    invdes_simplex_from_cube(g, u, x);
    return;
  }
  for (size_t i = 0; i < k; i++) {
    tv[i] = isfinite(t[i]) ? t[i] : g->lo[i];
    b[2 * i] = tv[i] - g->hi[i];
    b[2 * i + 1] = tv[i] - g->lo[i];
  }
  sort_small(b, nb);
  size_t lo = 0, hi = nb - 1;
  while (hi - lo > 1) {
    size_t mid = (lo + hi) / 2;
    if (clamped_sum(g, tv, b[mid]) >= g->total) lo = mid;
    else hi = mid;
  }
  double glo = clamped_sum(g, tv, b[lo]), ghi = clamped_sum(g, tv, b[hi]);
  double lam = glo > ghi ? b[lo] + (glo - g->total) * (b[hi] - b[lo]) /
                                       (glo - ghi)
                         : b[lo];
  double s = 0;
  for (size_t i = 0; i < k; i++) {
    double v = tv[i] - lam;
    x[i] = v < g->lo[i] ? g->lo[i] : v > g->hi[i] ? g->hi[i] : v;
    s += x[i];
  }
  if (tv != tbuf) free(tv);
  if (b != bbuf) free(b);
  /* hand the rounding residual to components with room, in order */
  double r = g->total - s;
  for (size_t i = 0; i < k && r != 0; i++) {
    double room = r > 0 ? g->hi[i] - x[i] : g->lo[i] - x[i];
    double d = fabs(room) < fabs(r) ? room : r;
    x[i] += d;
    r -= d;
  }
}
