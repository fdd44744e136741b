/* rng.h — reproducible, independent random streams.
 *
 * Every random decision in invdes draws from a stream named by (seed, stream):
 * the campaign seed and an id for the task (an iteration, a tree, a restart).
 * Streams are xoshiro256** generators whose 256-bit state is filled by
 * splitmix64 from the two keys, so neighbouring ids give unrelated sequences
 * and a result never depends on which thread ran which task. The generator is
 * wrapped as a gsl_rng so GSL's distributions (gsl_ran_*) draw from it. */
#ifndef INVDES_RNG_H
#define INVDES_RNG_H

#include <stdint.h>

#include <gsl/gsl_rng.h>

/* A new stream; the caller frees it with gsl_rng_free. NULL when out of memory.
 * gsl_rng_set(r, s) on it restarts it as stream (s, 0). */
gsl_rng *invdes_rng_new(uint64_t seed, uint64_t stream);

/* Restarts an existing stream r as (seed, stream) without allocating. r must
 * have come from invdes_rng_new. */
void invdes_rng_reset(gsl_rng *r, uint64_t seed, uint64_t stream);

/* Combines two ids into one stream id (e.g. iteration and task), so that
 * (a, b) pairs do not collide the way a + b or a * k + b can. */
uint64_t invdes_rng_stream_id(uint64_t a, uint64_t b);

#endif
