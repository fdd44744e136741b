/* knn.h — k nearest neighbours regression, the surrogate "knn".
 *
 * Fitted to n points X (n×d row-major, the encoded space [0,1]^d; any
 * finite value is accepted) with finite responses y, it predicts at x from
 * the k nearest training points by Euclidean distance (ties: the lower
 * index first), k = min(options k, n):
 *  - mean: the inverse-distance weighted mean, w_i = 1 / dist_i; when some
 *    of them lie exactly at x (dist 0), the plain mean of those alone, so
 *    the model interpolates its data;
 *  - variance: the neighbours' weighted spread, sum w_i (y_i - mean)^2 /
 *    sum w_i (over the exact hits alone at a data point), plus a floor
 *    s2 * min(1, dist_1 / sqrt(d)) growing linearly with the distance
 *    dist_1 to the nearest point (sqrt(d) is the diagonal of the unit
 *    cube), s2 the variance of all the training y. So it is 0 at a lone
 *    data point, and away from the data never 0 unless every y is the
 *    same. (A floor in dist_1^2 was measured too: it explores too little,
 *    and bo with it lost to random search on Branin.) Responses and both
 *    outputs are in the caller's units.
 * Deterministic; a prediction costs O(n d k) and allocates nothing. No
 * gradients, no conditioning on pending points, no per-point noise (a
 * strategy refits with lies). The surrogate table entry is
 * invdes_surrogate_type_knn (surrogate_type.h). */
#ifndef INVDES_KNN_H
#define INVDES_KNN_H

#include <stddef.h>

#include "error.h"

#define INVDES_KNN_K_DEFAULT 5
#define INVDES_KNN_K_MAX 64

typedef struct invdes_knn invdes_knn;

/* An unfitted model using k neighbours (1..INVDES_KNN_K_MAX), or NULL when
 * out of memory or k is out of range. The caller frees it. */
invdes_knn *invdes_knn_new(int k);
void invdes_knn_free(invdes_knn *m);

/* Fits to n >= 1 points (copied). INVDES_ERR_INVALID for a value that is
 * not finite or n, d of 0; a failed fit leaves the model unfitted. */
invdes_status invdes_knn_fit(invdes_knn *m, const double *X, size_t n, size_t d,
                             const double *y, invdes_error *err);

/* Mean and variance (var may be NULL) at the m points X (m×d). */
invdes_status invdes_knn_predict(const invdes_knn *m, const double *X, size_t n_x,
                                 double *mean, double *var, invdes_error *err);

#endif
