/* rf.h — random forest regression with a predictive variance.
 *
 * A forest of regression trees, each grown on a bootstrap sample of the
 * training rows (n draws with replacement), trying `mtry` randomly chosen
 * features at every split and stopping at `min_leaf` distinct rows per leaf or
 * at `max_depth`. The defaults match scikit-learn's RandomForestRegressor
 * (100 trees, all features per split — max_features = 1.0 —, min_samples_leaf
 * = 1, unlimited depth, threshold halfway between neighbouring values), so
 * accuracies can be compared with it directly; SMAC's settings (mtry = 5/6 d,
 * min_leaf 3, thresholds drawn uniformly between neighbours) are a choice of
 * options away.
 *
 * Prediction at x gives mean and variance in the way of SMAC's forest
 * (Hutter et al., "Algorithm runtime prediction", AIJ 2014): tree t's leaf
 * holds the mean m_t and the variance v_t of the bootstrap responses in it, and
 * by the law of total variance over a uniformly chosen tree
 *     mean = (1/T) sum_t m_t,
 *     var  = (1/T) sum_t (m_t - mean)^2  +  (1/T) sum_t v_t,
 * the spread of the tree means plus the mean within-leaf variance.
 *
 * Categorical inputs are handled natively: a feature declared with k >= 2
 * categories (2 <= k <= 64) takes the values 0, 1, ..., k-1 and is split by
 * the best subset of categories (exact for squared error: categories ordered
 * by mean response). At prediction a category a node never saw goes right.
 * A caller that prefers one-hot columns just declares them numeric.
 *
 * Inputs need no scaling (trees are invariant to monotone maps of each
 * feature). Per-point noise variances are not used: within-leaf variance
 * already carries the noise. Trees are grown in parallel with OpenMP; tree t
 * draws only from the stream invdes_rng_new(seed, t), so a fit and its
 * predictions are bit-identical for any number of threads. Fitting and
 * predicting never print. */
#ifndef INVDES_RF_H
#define INVDES_RF_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "invdes_export.h"

/* random_threshold value for extremely randomized trees (below). */
#define INVDES_RF_EXTRA_TREES 2

typedef struct invdes_rf_options {
  size_t n_trees;          /* number of trees, >= 1; default 100 */
  size_t mtry;             /* features tried per split; 0 = all d (default) */
  size_t min_leaf;         /* minimum distinct training rows per leaf; default 1 */
  size_t max_depth;        /* 0 = unlimited (default) */
  int bootstrap;           /* 1 (default): bootstrap samples; 0: every tree
                              sees all rows once (no out-of-bag error then) */
  int random_threshold;    /* 0 (default): midpoint of neighbouring values;
                              1: uniform between them (smoother mean, wider
                              variance between data, as SMAC);
                              2 (INVDES_RF_EXTRA_TREES): extremely randomized
                              trees, one threshold per tried feature drawn
                              uniformly over the node's range (scikit-learn's
                              ExtraTreesRegressor, with bootstrap 0) */
  uint64_t seed;           /* default 0 */
  int n_threads;           /* OpenMP threads for fit and predict; 0 = default */
  /* Per feature: 0 numeric, k categorical with values 0..k-1. NULL (default)
   * means all numeric; otherwise n_categories_len must equal the d given to
   * fit. Copied by invdes_rf_new. */
  const int *n_categories;
  size_t n_categories_len;
} invdes_rf_options;

typedef struct invdes_rf invdes_rf;

/* Fills opt with the defaults above. */
INVDES_API
void invdes_rf_options_init(invdes_rf_options *opt);

/* A new, unfitted forest; opt NULL means defaults. NULL when out of memory or
 * when an option is out of range (n_trees 0, a category count of 1 or > 64). */
INVDES_API
invdes_rf *invdes_rf_new(const invdes_rf_options *opt);

INVDES_API
void invdes_rf_free(invdes_rf *rf);

/* Fits on n rows of d features, X row-major (X[i * d + j]), responses y[n].
 * noise_var is accepted for the common surrogate interface and ignored.
 * A refit replaces the previous trees. Errors: INVDES_ERR_INVALID for n < 1,
 * d < 1, a non-finite value, a categorical value that is not one of 0..k-1, or
 * d different from the declared categories; INVDES_ERR_NUMERIC for responses
 * so large that their sums overflow (|y| near 1e308); INVDES_ERR_NOMEM. A
 * failed fit leaves the forest unfitted. */
INVDES_API
invdes_status invdes_rf_fit(invdes_rf *rf, const double *X, size_t n, size_t d,
                            const double *y, const double *noise_var,
                            invdes_error *err);

/* Predicts m points X (row-major, d columns as fitted): mean[m] and, when var
 * is not NULL, var[m] (see the header comment). Safe to call from several
 * threads at once. Errors: INVDES_ERR_USAGE before a fit, INVDES_ERR_INVALID
 * for a non-finite input. */
INVDES_API
invdes_status invdes_rf_predict(const invdes_rf *rf, const double *X, size_t m,
                                double *mean, double *var, invdes_error *err);

/* Out-of-bag root mean squared error of the last fit: every training row is
 * predicted by the trees whose bootstrap sample missed it, averaged over the
 * rows that at least one tree missed. NaN before a fit, without bootstrap, or
 * when every tree saw every row. */
INVDES_API
double invdes_rf_oob_rmse(const invdes_rf *rf);

/* Number of training rows that entered the out-of-bag error. */
INVDES_API
size_t invdes_rf_oob_count(const invdes_rf *rf);

/* Total number of nodes over all trees (0 before a fit). */
INVDES_API
size_t invdes_rf_n_nodes(const invdes_rf *rf);

/* Number of features of the last fit (0 before a fit). */
INVDES_API
size_t invdes_rf_dim(const invdes_rf *rf);

#endif
