/* replicates.h — repeated measurements of one point combined into one row
 * before a fit, so a model never sees duplicate inputs (a GP's covariance
 * would be near-singular with a small learned noise) and each combined row
 * carries the noise variance of its mean.
 *
 * Rows are the same point when their inputs are equal number by number
 * (-0 equals 0). Within one point, the measurements with a known noise
 * variance v_i >= 0 become their inverse-variance mean Σ(y_i/v_i) / Σ(1/v_i)
 * with variance 1/Σ(1/v_i) (exact ones, v_i = 0, when there are any: their
 * plain mean, variance 0); those whose noise is not known (NaN, or -c for a
 * row that already is the mean of c such measurements) become their mean
 * weighted by c with the marker -Σc (the model's learned variance divided
 * by Σc: invdes_gp_fit's convention; NaN when Σc is 1). A point with both
 * kinds keeps one row of each: their noise is on the diagonal, so the pair is
 * not singular. Rows come out in the order of each point's first row.
 * Knows nothing of campaigns or models; never prints. */
#ifndef INVDES_REPLICATES_H
#define INVDES_REPLICATES_H

#include <stddef.h>

#include "error.h"
#include "invdes_export.h"

/* Combines the n rows of X (n×d row-major), y and var (n values, the
 * conventions above) in place; *n_out gets the number of rows kept (<= n).
 * row_of (NULL, or n entries) gets, for every input row, the output row it
 * went into. INVDES_ERR_INVALID for a y that is not finite or a var that is
 * infinite; INVDES_ERR_NOMEM. Nothing changes on error. */
INVDES_API
invdes_status invdes_replicates_combine(double *X, size_t n, size_t d, double *y,
                                        double *var, size_t *n_out, size_t *row_of,
                                        invdes_error *err);

#endif
