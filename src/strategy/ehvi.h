/* ehvi.h — the exact box decomposition of the region a front does not
 * dominate, and the expected hypervolume improvement (EHVI) of a point
 * whose objectives are independent Gaussians, for two and three
 * objectives, all minimized. Not installed; no state beyond the handle.
 *
 * Decomposition (the grid form of Lacour, Klamroth and Fonseca's and of
 * BoTorch's non-dominated partitioning): the first m - 1 coordinates are cut
 * at every distinct front coordinate below the reference, giving a grid of
 * columns [a_i, a_{i+1}) (the first from -inf, the last up to ref); within a
 * column the points with p_j <= a_i (j < m - 1) dominate exactly the part of
 * the last coordinate above their smallest p_{m-1}, so the column's
 * non-dominated part is one box (-inf, c*) in the last coordinate, c* that
 * minimum (or ref). The boxes are disjoint and their union is exactly
 * { y < ref : no front point weakly dominates y }. O(n^(m-1)) boxes.
 *
 * EHVI (Emmerich et al. 2006; Yang et al. 2019 for the box form): the
 * improvement of y is sum over boxes of prod_j (u_j - max(l_j, y_j))_+, a
 * product of independent factors, so its expectation is the sum of the
 * products of E[(u - max(l, Y_j))_+] = (u - l) Phi(A) + (u - mu)(Phi(B) -
 * Phi(A)) + sd (phi(B) - phi(A)), A = (l - mu)/sd, B = (u - mu)/sd. The
 * grid lets each factor be computed once per cut, so one evaluation costs
 * O(n) normal CDFs and O(n^(m-1)) multiplications. */
#ifndef INVDES_STRATEGY_EHVI_H
#define INVDES_STRATEGY_EHVI_H

#include <stddef.h>

#include "error.h"

#define EHVI_MAX_M 3

typedef struct ehvi_boxes {
  size_t m;                 /* 2 or 3 objectives */
  size_t ne[2];             /* columns along the first m - 1 coordinates
                               (ne[1] = 1 when m = 2) */
  double *edge[2];          /* ne[j] + 1 cuts each: -inf, the sorted
                               distinct front values below ref, ref */
  size_t nv;                /* distinct column tops */
  double *top;              /* nv values: the sorted distinct last
                               coordinates below ref, then ref */
  size_t *cell;             /* ne[0] × ne[1]: index of each column's top */
  double *work;             /* scratch of one evaluation */
  double ref[EHVI_MAX_M];
} ehvi_boxes;

/* Decomposes the region below ref (m doubles) that the n points Y (n × m,
 * row-major; dominated points, duplicates, points not below ref and NaN
 * rows are harmless) leave non-dominated. b is overwritten: initialise it
 * with {0} once and free it with ehvi_boxes_free. m must be 2 or 3. */
invdes_status ehvi_boxes_build(ehvi_boxes *b, const double *Y, size_t n,
                               size_t m, const double *ref,
                               invdes_error *err);
void ehvi_boxes_free(ehvi_boxes *b);

/* The number of boxes. */
size_t ehvi_boxes_count(const ehvi_boxes *b);

/* Box k's corners (m values each; lo holds -inf where unbounded). */
void ehvi_boxes_get(const ehvi_boxes *b, size_t k, double *lo, double *hi);

/* The hypervolume improvement of the point y over the front. */
double ehvi_improvement(const ehvi_boxes *b, const double *y);

/* EHVI of Y ~ N(mu, diag(sd^2)) (m values each; sd > 0). */
double ehvi_gauss(ehvi_boxes *b, const double *mu, const double *sd);

#endif
