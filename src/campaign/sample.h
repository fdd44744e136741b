/* sample.h — space-filling and random designs over the feasible region.
 *
 * Every design draws points u of the sampling cube [0,1]^M, maps them to the
 * structural region with invdes_space_from_cube (uniform u -> uniform point;
 * composition groups exactly uniform over their bounded simplex) and keeps
 * the points that satisfy the constraints, in order, until n are kept:
 *  - random: independent uniform u from the stream (seed, stream) of rng.h;
 *  - sobol: GSL's Sobol sequence (M <= 40), Owen-scrambled (nested uniform,
 *    hashed per tree node) from keys of (seed, stream), so that each seed's
 *    design is an independent, equally even point set; Halton beyond 40
 *    dimensions (up to 1229), rotated by random amounts of (seed, stream);
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

#include <gsl/gsl_rng.h>

#include "campaign.h"
#include "error.h"
#include "invdes_export.h"
#include "space.h"

/* Writes n feasible points to x (n × n_vars, row-major, raw values; see
 * space.h). */
INVDES_API
invdes_status invdes_sample(const invdes_space *s, invdes_design_kind design,
                            size_t n, uint64_t seed, uint64_t stream,
                            double *x, invdes_error *err);

/* ---- the sequence of cube points behind a design ------------------------ */

/* The points of [0,1]^M that `design` draws for (seed, stream), one at a
 * time in the order invdes_sample tries them — before any mapping or
 * rejection. A strategy that continues a design across asks, or skips
 * points, walks the same sequence, so its points equal invdes_sample's for
 * the same (seed, stream). */
typedef struct invdes_sample_seq invdes_sample_seq;

/* A sequence at position 0. INVDES_ERR_INVALID for a quasi-random design of
 * more than 1229 dimensions, INVDES_ERR_NOMEM. The caller frees *out. */
INVDES_API
invdes_status invdes_sample_seq_new(invdes_design_kind design, size_t M,
                                    uint64_t seed, uint64_t stream,
                                    invdes_sample_seq **out,
                                    invdes_error *err);
INVDES_API
void invdes_sample_seq_free(invdes_sample_seq *q);

/* Writes the next point to u (M values in [0,1)) and advances the position
 * by one. `wanted` is how many points the caller still needs: lhs sizes a new hypercube by it when the
 * current one is used up (0 counts as 1); other designs ignore it.
 * INVDES_ERR_INFEASIBLE when the Sobol sequence is used up (2^30 - 1
 * points), INVDES_ERR_NOMEM; on failure the position is unchanged. */
INVDES_API
invdes_status invdes_sample_seq_next(invdes_sample_seq *q, double *u,
                                     size_t wanted, invdes_error *err);

/* Advances the position to pos (>= the current one) as if by next with
 * wanted = 1; same errors, the position then being where it stopped. */
INVDES_API
invdes_status invdes_sample_seq_seek(invdes_sample_seq *q, uint64_t pos,
                                     invdes_error *err);

/* Points handed out so far. */
INVDES_API
uint64_t invdes_sample_seq_pos(const invdes_sample_seq *q);
INVDES_API
invdes_design_kind invdes_sample_seq_design(const invdes_sample_seq *q);

/* The stream (seed, stream) itself, borrowed for the sequence's life: a
 * random design over a finite set of candidates draws from it (the draws of
 * next and of the caller then interleave, in the caller's order). */
INVDES_API
gsl_rng *invdes_sample_seq_rng(invdes_sample_seq *q);

/* Whether rejection sampling should give up after `tries` points of which
 * `kept` were feasible, wanting n: the limits stated at the top. */
INVDES_API
int invdes_sample_give_up(size_t kept, size_t n, size_t tries);

#endif
