/* rf.c — the forest: input checks, presorting, bootstrap, parallel growth,
 * out-of-bag error and aggregated prediction.
 *
 * The fit sorts the rows by every feature once and shares that order with all
 * trees (tree.c partitions it). Trees are grown in an OpenMP loop, each from
 * its own random stream and its own bootstrap counts, so the result does not
 * depend on which thread grew which tree; every sum over trees runs in tree
 * order inside one point's loop, never across threads. The forest works on
 * y minus its mean and adds the mean back when predicting. This file does not
 * split nodes (tree.c) and knows nothing of other surrogates. */
#include "rf.h"
#include "surrogate_type.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "rng.h"
#include "tree.h"

_Static_assert(INVDES_RF_EXTRA_TREES == INVDES_TREE_EXTRA, "one extra-trees code");

#ifndef _OPENMP
static int omp_get_max_threads(void) { return 1; }
#endif

struct invdes_rf {
  invdes_rf_options opt;
  int *n_cat;         /* d entries or NULL (owned copy of opt.n_categories) */
  size_t d;           /* 0 before a fit */
  double y_mean;
  invdes_tree *trees; /* opt.n_trees after a fit */
  double oob_rmse;
  size_t oob_n;
};

void invdes_rf_options_init(invdes_rf_options *o) {
  memset(o, 0, sizeof *o);
  o->n_trees = 100;
  o->mtry = 0;
  o->min_leaf = 1;
  o->max_depth = 0;
  o->bootstrap = 1;
  o->random_threshold = 0;
  o->seed = 0;
}

invdes_rf *invdes_rf_new(const invdes_rf_options *opt) {
  invdes_rf_options o;
  if (opt) o = *opt;
  else invdes_rf_options_init(&o);
  if (o.n_trees < 1 || o.n_trees > INT32_MAX) return NULL;
  if (o.min_leaf < 1) o.min_leaf = 1;
  for (size_t j = 0; o.n_categories && j < o.n_categories_len; j++)
    if (o.n_categories[j] < 0 || o.n_categories[j] == 1 ||
        o.n_categories[j] > INVDES_TREE_MAX_CATEGORIES)
      return NULL;
  invdes_rf *rf = calloc(1, sizeof *rf);
  if (!rf) return NULL;
  if (o.n_categories && o.n_categories_len > 0) {
    rf->n_cat = malloc(o.n_categories_len * sizeof *rf->n_cat);
    if (!rf->n_cat) {
      free(rf);
      return NULL;
    }
    memcpy(rf->n_cat, o.n_categories, o.n_categories_len * sizeof *rf->n_cat);
  } else {
    o.n_categories_len = 0;
  }
  o.n_categories = rf->n_cat;
  rf->opt = o;
  rf->oob_rmse = NAN;
  return rf;
}

static void drop_trees(invdes_rf *rf) {
  if (rf->trees)
    for (size_t t = 0; t < rf->opt.n_trees; t++) invdes_tree_release(&rf->trees[t]);
  free(rf->trees);
  rf->trees = NULL;
  rf->d = 0;
  rf->oob_rmse = NAN;
  rf->oob_n = 0;
}

void invdes_rf_free(invdes_rf *rf) {
  if (!rf) return;
  drop_trees(rf);
  free(rf->n_cat);
  free(rf);
}

typedef struct keyed { double v; int32_t row; } keyed;

static int cmp_keyed(const void *a, const void *b) {
  const keyed *p = a, *q = b;
  if (p->v < q->v) return -1;
  if (p->v > q->v) return 1;
  return (p->row > q->row) - (p->row < q->row);
}

static invdes_status check_inputs(const invdes_rf *rf, const double *X,
                                  size_t n, size_t d, const double *y,
                                  invdes_error *err) {
  if (n < 1 || d < 1 || !X || !y)
    return invdes_error_set(err, INVDES_ERR_INVALID,
                            "random forest: need at least one row and one feature "
                            "(got %zu rows, %zu features)", n, d);
  if (n > INT32_MAX)
    return invdes_error_set(err, INVDES_ERR_INVALID,
                            "random forest: %zu rows is too many", n);
  if (rf->n_cat && rf->opt.n_categories_len != d)
    return invdes_error_set(err, INVDES_ERR_INVALID,
                            "random forest: categories declared for %zu features, "
                            "data has %zu", rf->opt.n_categories_len, d);
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(y[i]))
      return invdes_error_set(err, INVDES_ERR_INVALID,
                              "random forest: response of row %zu is not finite", i);
    for (size_t j = 0; j < d; j++) {
      double v = X[i * d + j];
      if (!isfinite(v))
        return invdes_error_set(err, INVDES_ERR_INVALID,
                                "random forest: row %zu, feature %zu is not finite",
                                i, j);
      if (rf->n_cat && rf->n_cat[j] > 0 &&
          (v < 0 || v >= rf->n_cat[j] || v != floor(v)))
        return invdes_error_set(err, INVDES_ERR_INVALID,
                                "random forest: row %zu, feature %zu: %g is not a "
                                "category 0..%d", i, j, v, rf->n_cat[j] - 1);
    }
  }
  return INVDES_OK;
}

/* Bootstrap counts of tree t (or all ones) drawn from r. */
static void sample_counts(const invdes_rf *rf, size_t n, gsl_rng *r, uint32_t *cnt) {
  if (!rf->opt.bootstrap) {
    for (size_t i = 0; i < n; i++) cnt[i] = 1;
    return;
  }
  memset(cnt, 0, n * sizeof *cnt);
  for (size_t i = 0; i < n; i++) cnt[gsl_rng_uniform_int(r, n)]++;
}

/* Out-of-bag RMSE from the in-bag bit sets (tree t, row i: bit i of row t).
 * Returns 0, or -1 when out of memory. */
static int compute_oob(invdes_rf *rf, const double *X, size_t n, size_t d,
                        const double *y, const uint64_t *inbag, size_t words) {
  double *se = malloc(n * sizeof *se);
  if (!se) return -1;
  const size_t T = rf->opt.n_trees;
  const int nt = rf->opt.n_threads;
#pragma omp parallel for schedule(static) num_threads(nt > 0 ? nt : omp_get_max_threads())
  for (size_t i = 0; i < n; i++) {
    double s = 0.0;
    size_t k = 0;
    for (size_t t = 0; t < T; t++) {
      if ((inbag[t * words + i / 64] >> (i % 64)) & 1u) continue;
      s += rf->trees[t].leaf_mean[invdes_tree_leaf(&rf->trees[t], rf->n_cat, X + i * d)];
      k++;
    }
    se[i] = k ? (s / (double)k + rf->y_mean - y[i]) : NAN;
  }
  double sum = 0.0;
  size_t cnt = 0;
  for (size_t i = 0; i < n; i++)
    if (!isnan(se[i])) {
      sum += se[i] * se[i];
      cnt++;
    }
  free(se);
  rf->oob_n = cnt;
  rf->oob_rmse = cnt ? sqrt(sum / (double)cnt) : NAN;
  return 0;
}

/* Responses whose sums overflow a double leave no finite leaf means. */
static invdes_status too_large(invdes_error *err) {
  return invdes_error_set(err, INVDES_ERR_NUMERIC,
                          "random forest: the responses are too large to average "
                          "in double precision; rescale them");
}

invdes_status invdes_rf_fit(invdes_rf *rf, const double *X, size_t n, size_t d,
                            const double *y, const double *noise_var,
                            invdes_error *err) {
  (void)noise_var;
  if (!rf) return invdes_error_set(err, INVDES_ERR_USAGE, "random forest: NULL handle");
  invdes_status st = check_inputs(rf, X, n, d, y, err);
  if (st != INVDES_OK) return st;
  drop_trees(rf);

  const size_t T = rf->opt.n_trees, words = (n + 63) / 64;
  double *xc = malloc(n * d * sizeof *xc), *yc = malloc(n * sizeof *yc);
  int32_t *order = malloc(n * d * sizeof *order);
  keyed *kv = malloc(n * sizeof *kv);
  uint64_t *inbag = calloc(T * words, sizeof *inbag);
  char *failed = calloc(T, 1);
  rf->trees = calloc(T, sizeof *rf->trees);
  if (!xc || !yc || !order || !kv || !inbag || !failed || !rf->trees) {
    st = invdes_error_set(err, INVDES_ERR_NOMEM, "random forest: out of memory");
    goto done;
  }
  double ysum = 0.0;
  for (size_t i = 0; i < n; i++) ysum += y[i];
  rf->y_mean = ysum / (double)n;
  for (size_t i = 0; i < n; i++) yc[i] = y[i] - rf->y_mean;
  if (!isfinite(ysum)) {
    st = too_large(err);
    goto done;
  }
  for (size_t j = 0; j < d; j++) {
    for (size_t i = 0; i < n; i++) {
      xc[j * n + i] = X[i * d + j];
      kv[i] = (keyed){X[i * d + j], (int32_t)i};
    }
    qsort(kv, n, sizeof *kv, cmp_keyed);
    for (size_t i = 0; i < n; i++) order[j * n + i] = kv[i].row;
  }

  invdes_tree_data data = {n, d, xc, yc, order, rf->n_cat};
  invdes_tree_params par = {rf->opt.mtry ? rf->opt.mtry : d, rf->opt.min_leaf,
                            rf->opt.max_depth, rf->opt.random_threshold};
  if (par.mtry > d) par.mtry = d;
  const int nt = rf->opt.n_threads > 0 ? rf->opt.n_threads : omp_get_max_threads();
#pragma omp parallel num_threads(nt)
  {
    invdes_tree_work *w = invdes_tree_work_new(n, d);
    uint32_t *cnt = malloc(n * sizeof *cnt);
    gsl_rng *r = invdes_rng_new(rf->opt.seed, 0);
#pragma omp for schedule(dynamic, 1)
    for (size_t t = 0; t < T; t++) {
      if (!w || !cnt || !r) {
        failed[t] = 1;
        continue;
      }
      invdes_rng_reset(r, rf->opt.seed, t);
      sample_counts(rf, n, r, cnt);
      for (size_t i = 0; i < n; i++)
        if (cnt[i]) inbag[t * words + i / 64] |= (uint64_t)1 << (i % 64);
      if (invdes_tree_grow(&rf->trees[t], &data, &par, cnt, w, r)) failed[t] = 1;
    }
    invdes_tree_work_free(w);
    free(cnt);
    if (r) gsl_rng_free(r);
  }
  for (size_t t = 0; t < T; t++)
    if (failed[t]) {
      st = invdes_error_set(err, INVDES_ERR_NOMEM,
                            "random forest: out of memory growing tree %zu", t);
      goto done;
    }
  for (size_t t = 0; t < T; t++)
    for (size_t k = 0; k < rf->trees[t].n_leaves; k++)
      if (!isfinite(rf->trees[t].leaf_mean[k])) {
        st = too_large(err);
        goto done;
      }
  rf->d = d;
  if (rf->opt.bootstrap && compute_oob(rf, X, n, d, y, inbag, words))
    st = invdes_error_set(err, INVDES_ERR_NOMEM, "random forest: out of memory");

done:
  if (st != INVDES_OK) drop_trees(rf);
  free(xc);
  free(yc);
  free(order);
  free(kv);
  free(inbag);
  free(failed);
  return st;
}

invdes_status invdes_rf_predict(const invdes_rf *rf, const double *X, size_t m,
                                double *mean, double *var, invdes_error *err) {
  if (!rf || !rf->trees || rf->d == 0)
    return invdes_error_set(err, INVDES_ERR_USAGE,
                            "random forest: predict called before a successful fit");
  const size_t d = rf->d, T = rf->opt.n_trees;
  for (size_t i = 0; i < m * d; i++)
    if (!isfinite(X[i]))
      return invdes_error_set(err, INVDES_ERR_INVALID,
                              "random forest: point %zu, feature %zu is not finite",
                              i / d, i % d);
  /* Points go in blocks of PB; within a block the trees are the outer loop so
   * a tree stays in cache while it serves PB points. Each point still sums its
   * trees in tree order (Welford's running mean and sum of squares). */
  enum { PB = 256 };
  const size_t nb = (m + PB - 1) / PB;
  const int nt = rf->opt.n_threads > 0 ? rf->opt.n_threads : omp_get_max_threads();
#pragma omp parallel for schedule(dynamic, 1) num_threads(nt) if (m * T > 20000)
  for (size_t b = 0; b < nb; b++) {
    double mu[PB], m2[PB], within[PB];
    uint32_t lf[PB];
    size_t i0 = b * PB, cnt = m - i0 < PB ? m - i0 : PB;
    for (size_t k = 0; k < cnt; k++) mu[k] = m2[k] = within[k] = 0.0;
    for (size_t t = 0; t < T; t++) {
      const invdes_tree *tr = &rf->trees[t];
      double inv = 1.0 / (double)(t + 1);
      invdes_tree_leaves(tr, rf->n_cat, X + i0 * d, d, cnt, lf);
      for (size_t k = 0; k < cnt; k++) {
        uint32_t leaf = lf[k];
        double v = tr->leaf_mean[leaf], delta = v - mu[k];
        mu[k] += delta * inv;
        m2[k] += delta * (v - mu[k]);
        within[k] += tr->leaf_var[leaf];
      }
    }
    for (size_t k = 0; k < cnt; k++) {
      mean[i0 + k] = mu[k] + rf->y_mean;
      if (var) var[i0 + k] = m2[k] / (double)T + within[k] / (double)T;
    }
  }
  return INVDES_OK;
}

double invdes_rf_oob_rmse(const invdes_rf *rf) { return rf ? rf->oob_rmse : NAN; }

size_t invdes_rf_oob_count(const invdes_rf *rf) { return rf ? rf->oob_n : 0; }

size_t invdes_rf_n_nodes(const invdes_rf *rf) {
  size_t s = 0;
  if (rf && rf->trees && rf->d)
    for (size_t t = 0; t < rf->opt.n_trees; t++) s += rf->trees[t].n_nodes;
  return s;
}

size_t invdes_rf_dim(const invdes_rf *rf) { return rf ? rf->d : 0; }

/* ---- the surrogate kind "rf" (surrogate_type.h) --------------------------- */

static void *rf_create(const invdes_surrogate_options *o) { return invdes_rf_new(&o->rf); }
static void rf_destroy(void *m) { invdes_rf_free(m); }
static invdes_status rf_fit_any(void *m, const double *X, size_t n, size_t d,
                                const double *y, const double *nv, invdes_error *e) {
  return invdes_rf_fit(m, X, n, d, y, nv, e);
}
static invdes_status rf_predict_any(const void *m, const double *X, size_t k,
                                    double *mean, double *var, invdes_error *e) {
  return invdes_rf_predict(m, X, k, mean, var, e);
}

/* No gradients, no conditioning (a strategy refits with lies), and the
 * per-point noise is ignored: the leaves' spread already holds the noise.
 * The mean averages training values (leaf means of leaf means). */
const invdes_surrogate_type invdes_surrogate_type_rf = {
    .name = "rf", .caps = INVDES_SURROGATE_AVERAGES, .create = rf_create, .destroy = rf_destroy, .fit = rf_fit_any,
    .keeps_fit_on_error = 0, .predict = rf_predict_any};
