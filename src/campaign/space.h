/* space.h — the design space: raw values <-> encoded z in [0,1]^D, and
 * feasibility.
 *
 * Raw values (x, n_vars numbers): the parameters in campaign order, then each
 * composition's components. A continuous, integer or discrete parameter holds
 * its value; a categorical one holds its label's index 0..k-1. A pool
 * campaign has one raw variable, the candidate's row index (0-based).
 *
 * Encoding (z, D numbers in [0,1]):
 *  - continuous: one dimension, linear or (scale: log) logarithmic in value;
 *  - integer: one dimension cut into equal cells, one per whole number (log
 *    scale: logarithmic in value, decode rounds);
 *  - discrete: one dimension cut into equal cells, one per listed value;
 *  - categorical with k labels: one-hot, k dimensions; decode takes the
 *    largest coordinate, the lowest index on ties;
 *  - composition group with k components: k dimensions, each component's
 *    position within its own bounds; decode projects that point onto the
 *    group's bounded simplex (Euclidean, see simplex.h), so any z gives a
 *    valid composition;
 *  - pool: one dimension per feature, min-max scaled over the rows; decode
 *    picks the nearest row (Euclidean in z, lowest row on ties) among the
 *    rows whose features satisfy the constraints.
 * decode clamps z to [0,1] (NaN counts as 0.5) and always returns a point that
 * satisfies bounds, integrality, composition sums and every constraint. When
 * the structural decode of z breaks a constraint, the point is repaired by
 * bisection on the segment from the space's feasible anchor to z (in z
 * space, decoding each trial point), and the feasible end of the final
 * bracket (|bracket| < 1e-10 of the segment) is returned.
 *
 * The structural region is the set of points meeting bounds, integrality and
 * composition sums; the uniform measure on it is the product of uniform
 * measures per parameter (uniform over values for integer/discrete/
 * categorical; log-uniform for log scale) and per group (uniform over the
 * bounded simplex). invdes_space_from_cube maps the unit cube onto it
 * measure-preservingly; the samplers (sample.h) build on that.
 *
 * This module does not choose points (strategies do) or evaluate anything. */
#ifndef INVDES_SPACE_H
#define INVDES_SPACE_H

#include <stddef.h>

#include "campaign.h"
#include "error.h"
#include "invdes_export.h"

typedef struct invdes_space invdes_space;
/* Per-thread scratch: muparser handles are not thread-safe, so each thread
 * that decodes or checks points needs its own. */
typedef struct invdes_space_work invdes_space_work;

/* Builds the space of campaign c (borrowed: c must outlive the space).
 * Compiles the constraints, estimates the feasible fraction from uniform
 * samples of the structural region (a fixed stream of c->seed) and picks a
 * feasible anchor (the sampled point deepest inside the constraints).
 * Returns NULL with diagnostics "FILE:LINE:COL: ..." (FILE = c->path) when a
 * constraint does not parse or names an unknown variable (the column of the
 * offending character), when a group's bounds cannot reach its total, or
 * when no feasible point is found (saying how many points were tried and how
 * often each constraint held; status INVDES_ERR_INFEASIBLE). */
INVDES_API
invdes_space *invdes_space_new(const invdes_campaign *c, invdes_error *err);
INVDES_API
void invdes_space_free(invdes_space *s);

INVDES_API
invdes_space_work *invdes_space_work_new(const invdes_space *s);
INVDES_API
void invdes_space_work_free(invdes_space_work *w);

INVDES_API
size_t invdes_space_dim(const invdes_space *s);     /* encoded dimension D */
INVDES_API
size_t invdes_space_n_vars(const invdes_space *s);  /* raw scalars */
/* Borrowed from the campaign. Pool: the id column's name, or "row". */
INVDES_API
const char *invdes_space_var_name(const invdes_space *s, size_t i);
INVDES_API
const invdes_campaign *invdes_space_campaign(const invdes_space *s);

/* Share of the structural region (of the pool's rows) satisfying every
 * constraint, estimated at construction from *n_samples uniform samples
 * (n_samples may be NULL; for a pool it is the row count and the share is
 * exact). 1 without constraints. */
INVDES_API
double invdes_space_feasible_fraction(const invdes_space *s);
INVDES_API
size_t invdes_space_feasible_samples(const invdes_space *s);

/* x -> z. Fails (INVDES_ERR_INVALID, naming the variable) when a value is
 * not finite, outside its bounds by more than 1e-9 of its range, not a whole
 * number for an integer, not a listed value for a discrete parameter, not a
 * label index, or not a row. Constraints are not checked. */
INVDES_API
invdes_status invdes_space_encode(const invdes_space *s, const double *x,
                                  double *z, invdes_error *err);

/* z (any D numbers) -> x, feasible; see above. */
INVDES_API
void invdes_space_decode(const invdes_space *s, invdes_space_work *w,
                         const double *z, double *x);

/* Largest violation at x over bounds, integrality, listed values, sums and
 * constraints, each in its own units (constraint.h); 0 when feasible. */
INVDES_API
double invdes_space_violation(const invdes_space *s, invdes_space_work *w,
                              const double *x);

/* Writes variable i's value v as a user reads it: categorical -> its label,
 * pool -> the candidate's id, integer -> "%d", otherwise "%.10g". snprintf
 * semantics: returns the length it needed. */
INVDES_API
int invdes_space_format_value(const invdes_space *s, size_t i, double v,
                              char *buf, size_t n);

/* The feasible anchor (n_vars values, borrowed). */
INVDES_API
const double *invdes_space_anchor(const invdes_space *s);

/* --- for samplers ------------------------------------------------------- */

/* Dimension M of the sampling cube: one per parameter, k-1 per composition
 * group of k components; for a pool, the number of features. */
INVDES_API
size_t invdes_space_cube_dim(const invdes_space *s);

/* u in [0,1]^M -> a point x of the structural region; a uniform u gives a
 * uniform x. Returns 0 when x must be rejected (only for a group with more
 * than INVDES_SIMPLEX_MAX_TIGHT binding upper bounds). Not for pools. */
INVDES_API
int invdes_space_from_cube(const invdes_space *s, const double *u, double *x);

/* 1 when every constraint holds at x (exactly: violation 0), else 0. */
INVDES_API
int invdes_space_constraints_hold(const invdes_space *s, invdes_space_work *w,
                                  const double *x);

INVDES_API
int invdes_space_is_pool(const invdes_space *s);
/* Pool: rows whose features satisfy the constraints. */
INVDES_API
size_t invdes_space_pool_feasible_rows(const invdes_space *s);
INVDES_API
int invdes_space_pool_row_feasible(const invdes_space *s, size_t row);
/* Pool: the feasible row nearest z (D values, scaled features) that is not
 * marked in `taken` (n_rows flags, may be NULL); (size_t)-1 when none. */
INVDES_API
size_t invdes_space_pool_nearest(const invdes_space *s, const double *z,
                                 const unsigned char *taken);

#endif
