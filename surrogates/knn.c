/* knn.c — k nearest neighbours regression (knn.h) and its surrogate table
 * entry. Brute force over the training set, the k nearest kept sorted in
 * arrays on the stack: nothing is allocated per prediction and nothing is
 * shared between predictions, so they may run in parallel. */
#include "knn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "surrogate_type.h"

struct invdes_knn {
  int k;
  size_t n, d;
  double *X, *y;   /* the training set, n × d and n; NULL before a fit */
  double s2;       /* variance of y (divisor n) */
};

invdes_knn *invdes_knn_new(int k) {
  if (k < 1 || k > INVDES_KNN_K_MAX) return NULL;
  invdes_knn *m = calloc(1, sizeof *m);
  if (m) m->k = k;
  return m;
}

static void drop(invdes_knn *m) {
  free(m->X);
  free(m->y);
  m->X = m->y = NULL;
  m->n = 0;
}

void invdes_knn_free(invdes_knn *m) {
  if (!m) return;
  drop(m);
  free(m);
}

invdes_status invdes_knn_fit(invdes_knn *m, const double *X, size_t n, size_t d,
                             const double *y, invdes_error *err) {
  drop(m);
  if (!n || !d || !X || !y)
    return invdes_error_set(err, INVDES_ERR_INVALID, "knn: no points to fit (n %zu, d %zu)",
                            n, d);
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(y[i]))
      return invdes_error_set(err, INVDES_ERR_INVALID, "knn: y[%zu] is not finite", i);
    for (size_t j = 0; j < d; j++)
      if (!isfinite(X[i * d + j]))
        return invdes_error_set(err, INVDES_ERR_INVALID, "knn: X[%zu][%zu] is not finite", i,
                                j);
  }
  m->X = malloc(n * d * sizeof *m->X);
  m->y = malloc(n * sizeof *m->y);
  if (!m->X || !m->y) {
    drop(m);
    return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  }
  memcpy(m->X, X, n * d * sizeof *X);
  memcpy(m->y, y, n * sizeof *y);
  m->n = n;
  m->d = d;
  double mean = 0, ss = 0;
  for (size_t i = 0; i < n; i++) mean += y[i];
  mean /= (double)n;
  for (size_t i = 0; i < n; i++) ss += (y[i] - mean) * (y[i] - mean);
  m->s2 = ss / (double)n;
  return INVDES_OK;
}

/* The k nearest rows to x: squared distances ascending in dist, their rows
 * in idx (a strictly nearer row displaces, so ties keep the lower index). */
static size_t nearest(const invdes_knn *m, const double *x, size_t k, double *dist,
                      size_t *idx) {
  size_t have = 0;
  for (size_t i = 0; i < m->n; i++) {
    const double *r = m->X + i * m->d;
    double s = 0;
    for (size_t j = 0; j < m->d; j++) s += (r[j] - x[j]) * (r[j] - x[j]);
    if (have == k && s >= dist[k - 1]) continue;
    size_t p = have < k ? have++ : k - 1;
    while (p > 0 && dist[p - 1] > s) {
      dist[p] = dist[p - 1];
      idx[p] = idx[p - 1];
      p--;
    }
    dist[p] = s;
    idx[p] = i;
  }
  return have;
}

static void predict_one(const invdes_knn *m, const double *x, double *mean, double *var) {
  double dist[INVDES_KNN_K_MAX], w[INVDES_KNN_K_MAX];
  size_t idx[INVDES_KNN_K_MAX];
  size_t k = nearest(m, x, (size_t)m->k < m->n ? (size_t)m->k : m->n, dist, idx);
  size_t hits = 0;
  while (hits < k && dist[hits] == 0) hits++;
  if (hits) k = hits; /* at a data point: those points alone, equally */
  double sw = 0, mu = 0;
  for (size_t i = 0; i < k; i++) {
    w[i] = hits ? 1.0 : 1.0 / sqrt(dist[i]);
    sw += w[i];
    mu += w[i] * m->y[idx[i]];
  }
  mu /= sw;
  *mean = mu;
  if (!var) return;
  double spread = 0;
  for (size_t i = 0; i < k; i++) spread += w[i] * (m->y[idx[i]] - mu) * (m->y[idx[i]] - mu);
  *var = spread / sw + m->s2 * fmin(1.0, sqrt(dist[0] / (double)m->d));
}

invdes_status invdes_knn_predict(const invdes_knn *m, const double *X, size_t n_x,
                                 double *mean, double *var, invdes_error *err) {
  if (!m || !m->X)
    return invdes_error_set(err, INVDES_ERR_USAGE, "knn: predict called before a fit");
  for (size_t i = 0; i < n_x; i++)
    predict_one(m, X + i * m->d, &mean[i], var ? &var[i] : NULL);
  return INVDES_OK;
}

/* ---- the surrogate kind "knn" (surrogate_type.h) --------------------------- */

static const char *const knn_keys[] = {"k", NULL};

static invdes_status knn_check(const char *key, double v, invdes_error *err) {
  (void)key;
  if (v != floor(v) || v < 1 || v > INVDES_KNN_K_MAX)
    return invdes_error_set(err, INVDES_ERR_INVALID, "'k' is a whole number from 1 to %d, "
                            "not %g", INVDES_KNN_K_MAX, v);
  return INVDES_OK;
}

static void *knn_create(const invdes_surrogate_options *o) {
  return invdes_knn_new((int)invdes_surrogate_options_get(o, "k", INVDES_KNN_K_DEFAULT));
}
static void knn_destroy(void *m) { invdes_knn_free(m); }
static invdes_status knn_fit_any(void *m, const double *X, size_t n, size_t d,
                                 const double *y, const double *nv, invdes_error *e) {
  (void)nv; /* no per-point noise: the neighbours' spread holds it */
  return invdes_knn_fit(m, X, n, d, y, e);
}
static invdes_status knn_predict_any(const void *m, const double *X, size_t k,
                                     double *mean, double *var, invdes_error *e) {
  return invdes_knn_predict(m, X, k, mean, var, e);
}

const invdes_surrogate_type invdes_surrogate_type_knn = {
    .name = "knn", .caps = INVDES_SURROGATE_AVERAGES, .keys = knn_keys, .check = knn_check, .create = knn_create,
    .destroy = knn_destroy, .fit = knn_fit_any, .keeps_fit_on_error = 0,
    .predict = knn_predict_any};
