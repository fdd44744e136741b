/* simplex.h — geometry of one composition group: the bounded simplex
 *   P = { x : lo_i <= x_i <= hi_i, sum_i x_i = total }.
 *
 * Two maps are provided. invdes_simplex_from_cube sends a point of the unit
 * cube [0,1]^(k-1) to P so that a uniform cube point gives a uniform point of
 * P, exactly and without rejection: it is the Rosenblatt transform (inverse
 * conditional CDFs, component by component) of the uniform distribution on P.
 * The conditional CDFs of a box-truncated simplex are piecewise polynomials
 * obtained by inclusion-exclusion over the components whose upper bound can
 * bind; with no binding upper bound this is stick-breaking with Beta(1, m)
 * inverse CDFs. Because the map is smooth and monotone in each coordinate,
 * Sobol and Latin-hypercube points keep their structure. Inclusion-exclusion
 * costs 2^t terms for t binding bounds; above INVDES_SIMPLEX_MAX_TIGHT the
 * loosest bounds are left out of the formula and the result may exceed them,
 * which invdes_simplex_from_cube reports so the caller can reject the point.
 *
 * invdes_simplex_project is the Euclidean projection of any point onto P
 * (exact: the multiplier of the sum is found on the piecewise-linear sum
 * of clamped coordinates), used to decode. Neither map
 * knows component names or constraints; that is space.c's business. */
#ifndef INVDES_SIMPLEX_H
#define INVDES_SIMPLEX_H

#include <stddef.h>

#define INVDES_SIMPLEX_MAX_TIGHT 16

typedef struct invdes_simplex invdes_simplex;

/* k >= 1 components with bounds lo[i] <= hi[i] and sum(lo) <= total <=
 * sum(hi) (the caller checks). Copies the arrays. NULL when out of memory. */
invdes_simplex *invdes_simplex_new(const double *lo, const double *hi,
                                   size_t k, double total);
void invdes_simplex_free(invdes_simplex *g);

/* u: k-1 numbers in [0,1]; x: k numbers in P. Returns 1 when x respects all
 * bounds, 0 when a bound left out of the formula (more than
 * INVDES_SIMPLEX_MAX_TIGHT binding bounds) is exceeded: reject x then. */
int invdes_simplex_from_cube(const invdes_simplex *g, const double *u,
                             double *x);

/* x = the point of P nearest to t (both k numbers; may alias). The sum
 * holds to a few ulps of total. */
void invdes_simplex_project(const invdes_simplex *g, const double *t,
                            double *x);

#endif
