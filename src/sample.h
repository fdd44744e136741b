/* sample.h — space-filling and random designs over the feasible region.
 *
 * Every design draws points u of the sampling cube [0,1]^M, maps them to the
 * structural region with invdes_space_from_cube (uniform u -> uniform point;
 * composition groups exactly uniform over their bounded simplex) and keeps
 * the points that satisfy the constraints, in order, until n are kept:
 *  - random: independent uniform u from the stream (seed, stream) of rng.h;
 *  - sobol: GSL's Sobol sequence (M <= 40; Halton up to 1229 dimensions
 *    beyond that), digitally shifted by random bits of (seed, stream) so
 *    that seeds give different but equally even designs;
 *  - lhs: Latin hypercube, each cube dimension cut into as many strata as
 *    points still wanted; when constraints reject some, another hypercube of
 *    the missing size is drawn (stratification holds within each round).
 * A pool campaign picks distinct feasible rows (with repeats only when n
 * exceeds them): random draws rows uniformly; sobol and lhs place their cube
 * points in the scaled feature space and take the nearest row not yet
 * chosen.
 * Rejection stops, and the call fails with INVDES_ERR_INFEASIBLE saying how
 * many points were tried and kept, when 100,000 tries kept nothing or after
 * max(10^7, 1000 n) tries. The result depends only on (space, design, n, seed,
 * stream). This module does not decide how many points a campaign wants. */
#ifndef INVDES_SAMPLE_H
#define INVDES_SAMPLE_H

#include <stddef.h>
#include <stdint.h>

#include "campaign.h"
#include "error.h"
#include "space.h"

/* Writes n feasible points to x (n × n_vars, row-major, raw values; see
 * space.h). */
invdes_status invdes_sample(const invdes_space *s, invdes_design_kind design,
                            size_t n, uint64_t seed, uint64_t stream,
                            double *x, invdes_error *err);

#endif
