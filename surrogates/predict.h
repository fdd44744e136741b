/* predict.h — direct property prediction: learn a target column of a table
 * from its other columns, predict it for new rows, or estimate the accuracy by
 * K-fold cross-validation. The library side of `invdes predict`.
 *
 * Features are numeric columns chosen by name, or by default every column
 * except the target (and any excluded ones) that holds at least one number;
 * columns of labels (no number at all) are left out by default. Every chosen
 * cell must be a finite number: a missing or non-numeric cell is an error that
 * names the file, line, column and value. Inputs are scaled to [0,1] with the
 * minimum and maximum of the rows a model is trained on (per fold in
 * cross-validation, so a held-out row never informs its own scaling); a
 * constant column maps to 0. The standard deviation reported for a prediction
 * is that of a new measurement: model variance plus learned noise (see
 * surrogate.h).
 *
 * This module reads tables and fits surrogates; it does not parse command
 * lines, write files or print (cmd_predict.c does). */
#ifndef INVDES_PREDICT_H
#define INVDES_PREDICT_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "invdes_export.h"
#include "surrogate.h"
#include "table.h"

/* Numeric training data taken from a table. */
typedef struct invdes_dataset {
  size_t n, d;
  double *X;       /* n×d row-major, in the table's units */
  double *y;       /* n targets */
  char **names;    /* d feature column names */
  char *target;    /* target column name */
} invdes_dataset;

/* Takes the target column and the feature columns from t into *out (which the
 * caller releases with invdes_dataset_release, also after an error).
 * features: comma-separated column names, or NULL for the default choice
 * above; exclude: comma-separated names left out of the default choice (NULL
 * for none; an error when combined with features). Errors (INVDES_ERR_INVALID):
 * an unknown column, the target among the features, a name listed twice, no
 * feature left, a missing or non-numeric cell. */
INVDES_API
invdes_status invdes_dataset_from_table(const invdes_table *t, const char *target,
                                        const char *features, const char *exclude,
                                        invdes_dataset *out, invdes_error *err);

INVDES_API
void invdes_dataset_release(invdes_dataset *ds);

/* The feature columns `names` (d of them) of table t as an m×d row-major array
 * (m = rows of t), which the caller frees; NULL with a message in err when a
 * column is missing or a cell is not a number. */
INVDES_API
double *invdes_table_features(const invdes_table *t, char *const *names, size_t d,
                              invdes_error *err);

/* Fits a model of the given kind to (X, y) — n rows, d raw features — and
 * predicts m raw points Xq: mean[m] and sd[m] (sd may be NULL). */
INVDES_API
invdes_status invdes_predict_fit_predict(invdes_model_kind kind,
                                         const invdes_surrogate_options *opt,
                                         const double *X, size_t n, size_t d,
                                         const double *y, const double *Xq,
                                         size_t m, double *mean, double *sd,
                                         invdes_error *err);

typedef struct invdes_cv_result {
  double rmse;     /* root mean squared error over all held-out predictions */
  double mae;      /* mean absolute error */
  double r2;       /* 1 - SSE / SST, SST about the mean of all targets; NaN
                      when every target is the same */
  size_t n, k;     /* rows and folds */
} invdes_cv_result;

/* K-fold cross-validation: rows are shuffled with the stream (seed, a fixed
 * id) and dealt into k folds of sizes differing by at most one; each fold is
 * predicted by a model fitted on the others with the options as given.
 * Needs 2 <= k <= n (INVDES_ERR_INVALID otherwise). pred, when not
 * NULL, receives the n held-out predictions in row order. */
INVDES_API
invdes_status invdes_predict_cv(invdes_model_kind kind,
                                const invdes_surrogate_options *opt,
                                const double *X, size_t n, size_t d,
                                const double *y, size_t k, uint64_t seed,
                                invdes_cv_result *res, double *pred,
                                invdes_error *err);

#endif
