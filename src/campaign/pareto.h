/* pareto.h — Pareto dominance on sets of objective vectors: non-dominated
 * ranks (fronts), the NSGA-II crowding distance of one front, and the exact
 * hypervolume a set dominates below a reference point.
 *
 * Every objective is MINIMIZED: a caller with maximized objectives negates
 * them first (target.h's invdes_targets_objectives does it for a campaign).
 * Y is row-major, n rows of m doubles (m >= 1), borrowed and never changed.
 * A row holding a NaN is no point: it has no rank, dominates nothing and adds
 * no volume.
 *
 * This module holds no state, does no I/O and knows nothing of campaigns,
 * targets or conditions: which rows enter a front (results that meet the
 * conditions and did not fail) is the caller's choice. Scratch memory is
 * allocated per call and freed before returning; every function may fail
 * only with INVDES_ERR_NOMEM or INVDES_ERR_USAGE (NULL arrays, m = 0, a
 * size that overflows, a NaN in a reference point or a front). */
#ifndef INVDES_PARETO_H
#define INVDES_PARETO_H

#include <stddef.h>

#include "error.h"
#include "invdes_export.h"

/* Non-dominated sorting (Deb's fast sort). rank[i] = 0 for points no other
 * point dominates, 1 for those non-dominated once rank 0 is removed, ...
 * a dominates b: a <= b in every coordinate and a < b in at least one.
 * Equal points share a rank. A row with a NaN gets rank SIZE_MAX and
 * dominates nothing. *n_fronts receives the number of fronts (the largest
 * finite rank + 1; 0 when no row is a point). rank: n entries, filled by
 * the call. O(m n^2) time, O(n) memory. n = 0 is allowed (Y and rank may
 * then be NULL). */
INVDES_API
invdes_status invdes_pareto_ranks(const double *Y, size_t n, size_t m, size_t *rank,
                                  size_t *n_fronts, invdes_error *err);

/* Crowding distance (NSGA-II) of the k points idx[0..k) (rows of Y, one
 * front, no NaN): for each coordinate, the points are ordered by it (ties
 * by their position in idx, so the result is deterministic); the first and
 * the last get INFINITY and each other point adds the gap between its two
 * neighbours divided by the coordinate's range over the k points. A
 * coordinate on which all k points are equal adds nothing and makes no
 * boundary. dist: k entries, filled by the call (k <= 2: all INFINITY). */
INVDES_API
invdes_status invdes_pareto_crowding(const double *Y, size_t m, const size_t *idx, size_t k,
                                     double *dist, invdes_error *err);

/* Exact hypervolume (Lebesgue measure) of the region dominated by the
 * points and bounded above by ref (m finite doubles): the union of the
 * boxes [y, ref]. Rows not strictly below ref in every coordinate, and NaN
 * rows, add nothing; a kept row with a -INFINITY coordinate makes the
 * volume INFINITY. m = 1, 2: O(n log n); m = 3: a sweep over the third
 * coordinate keeping the 2-d staircase, O(n^2); m > 3: slicing along the
 * last coordinate recursively down to the 3-d sweep (O(n^(m-1)): fine for
 * fronts of a few hundred points at m = 4). *hv = 0 when no row adds. */
INVDES_API
invdes_status invdes_hypervolume(const double *Y, size_t n, size_t m, const double *ref,
                                 double *hv, invdes_error *err);

#endif
