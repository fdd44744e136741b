/* strategy.h — the ask/tell interface every search strategy implements.
 *
 * A strategy proposes experiments (ask) and learns from their outcomes
 * (tell). It works on the encoded vectors z in [0,1]^D of space.h and hands
 * out, with each z, the raw point x it stands for; x always satisfies every
 * bound, sum and constraint: invdes_space_violation(x) <=
 * INVDES_STRATEGY_FEASIBLE_TOL (a composition's sum is exact up to rounding;
 * bounds, integrality and constraints hold exactly), and z is exactly
 * invdes_space_encode(x). One interface serves the design strategies
 * here (random, sobol, lhs) and the model-based ones that join the registry
 * later (bo, pso, ga).
 *
 * Identity of points. Points are identified by their z, compared as numbers
 * (bit for bit except that -0 equals 0). The driver stores each proposal's z
 * as handed out and passes it back unchanged, in `pending` and in tell.
 * A strategy never proposes a z that is pending or already told, when the
 * space has another point left:
 *  - finite spaces — a pool, or parameters that are all integer, discrete or
 *    categorical with at most INVDES_STRATEGY_FINITE_MAX combinations — are
 *    handled as a list of feasible candidates; a proposal is always an
 *    untried candidate (pool rows with identical features share one z and
 *    are handed out lowest row first), and asking for more than
 *    invdes_strategy_remaining() is an INVDES_ERR_INFEASIBLE error that
 *    names what is left;
 *  - other spaces reject a drawn point equal to a taken one and draw again.
 *
 * Determinism and exact resume. Every random decision of an ask draws from
 * the stream invdes_rng_new(seed, invdes_rng_stream_id(iteration, k)) (rng.h),
 * where `iteration` is the number the driver passes to ask (its batch counter,
 * kept in the database) and k a small number each strategy assigns to its
 * own uses. Randomness that must stay the same across iterations (a Sobol
 * shift, an initial design, a hypercube) draws from the reserved iteration
 * INVDES_STRATEGY_FIXED_ITERATION. A strategy's state is rebuilt from what the
 * store keeps, in one of two ways, both offered here:
 *  (a) ask is a pure function of (campaign, seed, iteration, told history,
 *      pending): resume = a new strategy + tell of the whole history. random,
 *      lhs and a model-based strategy's initial design are of this kind;
 *  (b) whatever else the strategy needs is a byte blob
 *      (invdes_strategy_save_state) that the driver stores in the same
 *      transaction as the proposals of the ask that produced it, and hands
 *      back with invdes_strategy_load_state after the tells of a resume.
 *      sobol keeps its sequence position this way.
 * A strategy changes its state only inside ask; tell only records. The told
 * history is keyed by proposal id, so the order of tells does not matter, and
 * a later tell for the same id (more targets arrived) replaces the earlier.
 *
 * The driver's protocol, per batch: (1) ask(iteration, n, pending = z of
 * every proposal without an outcome: pending or abandoned); (2) store the
 * proposals and the saved state in one transaction; (3) tell outcomes as they
 * come. On resume: new strategy, tell every proposal that has an outcome,
 * load the latest saved state, ask with the next iteration number.
 *
 * This module does not store anything (store.h), evaluate anything, fit
 * models (surrogates/) or decide when a campaign stops. It never prints.
 * A handle is used by one thread at a time; it uses no OpenMP itself. */
#ifndef INVDES_STRATEGY_H
#define INVDES_STRATEGY_H

#include <stddef.h>
#include <stdint.h>

#include "campaign.h"
#include "error.h"
#include "invdes_export.h"
#include "space.h"

/* Largest violation a proposal may show (rounding of composition sums). */
#define INVDES_STRATEGY_FEASIBLE_TOL 1e-9
/* Finite parameter spaces up to this many combinations are enumerated. */
#define INVDES_STRATEGY_FINITE_MAX 65536
/* The iteration number reserved for randomness fixed over a whole campaign;
 * ask refuses it. */
#define INVDES_STRATEGY_FIXED_ITERATION UINT64_MAX

typedef struct invdes_strategy invdes_strategy;

/* A batch of proposals, allocated by the caller for a strategy
 * (invdes_proposals_new) and filled by ask. Arrays are row-major. */
typedef struct invdes_proposals {
  size_t n;             /* proposals held */
  size_t cap;           /* room for this many */
  size_t dim, n_vars, n_targets;
  double *z;            /* n × dim, encoded, each exactly encode(x) */
  double *x;            /* n × n_vars raw values (space.h), feasible */
  double *pred_mean;    /* n × n_targets, the model's predicted mean per
                           target in the target's units; NAN: no model */
  double *pred_sd;      /* n × n_targets, its standard deviation; NAN: none */
  double *acquisition;  /* n, the acquisition value; NAN: no model */
} invdes_proposals;

/* One outcome to tell. Pointers are borrowed for the call. */
typedef struct invdes_observation {
  int64_t id;           /* the proposal's id (the store's), >= 1 */
  const double *z;      /* dim values as handed out, finite, in [0,1] */
  const double *x;      /* n_vars raw values, or NULL: decoded from z */
  const double *y;      /* n_targets values, NAN = missing (a result may carry
                           only some targets); NULL: all missing */
  int failed;           /* the experiment was done and failed */
  const double *sd;     /* n_targets reported standard deviations of y (the
                           measurement's noise, >= 0), NAN = not reported;
                           NULL: none. Models that take per-point noise
                           use them (bo with a GP). */
} invdes_observation;

/* Whether `kind` is an entry of the registry (every kind a campaign can
 * name is; NULL is not). */
INVDES_API
int invdes_strategy_available(const invdes_strategy_type *kind);

/* The registered kind named `name` ("bo", "pso", ...), or NULL. */
INVDES_API
const invdes_strategy_type *invdes_strategy_kind_find(const char *name);

/* Writes the kind's own options of spec ("swarm 24, inertia 0.72, ...";
 * "" for a kind without options) into buf of size bytes. */
INVDES_API
void invdes_strategy_describe(const invdes_strategy_spec *spec, char *buf,
                              size_t size);

/* A new strategy of kind spec->kind over `space` (borrowed; it and its
 * campaign must outlive the strategy). spec is copied; its options are
 * borrowed and must outlive the strategy too (NULL: the kind's defaults). n_targets is the
 * length of every y told and of the prediction rows handed out. Design
 * choices: lhs cuts each cube dimension into budget.evaluations strata of the
 * space's campaign (a new hypercube follows when the budget is used up);
 * model-based strategies start with spec->initial_count points of design
 * spec->initial_design. Returns NULL with a message on failure: a kind this
 * build lacks, lhs without a budget, no memory. The caller frees it. */
INVDES_API
invdes_strategy *invdes_strategy_new(const invdes_space *space,
                                     const invdes_strategy_spec *spec,
                                     size_t n_targets, uint64_t seed,
                                     invdes_error *err);
INVDES_API
void invdes_strategy_free(invdes_strategy *s);

INVDES_API
const invdes_strategy_type *invdes_strategy_kind_of(const invdes_strategy *s);
/* "random", "sobol", ...: also the key for its saved state in the store. */
INVDES_API
const char *invdes_strategy_name(const invdes_strategy *s);
INVDES_API
const invdes_space *invdes_strategy_space(const invdes_strategy *s);
INVDES_API
size_t invdes_strategy_n_targets(const invdes_strategy *s);
/* Proposals told so far (distinct ids). */
INVDES_API
size_t invdes_strategy_n_told(const invdes_strategy *s);

/* Room for cap proposals of strategy s (dimensions taken from it); n = 0.
 * NULL when out of memory. The caller frees it. */
INVDES_API
invdes_proposals *invdes_proposals_new(const invdes_strategy *s, size_t cap);
INVDES_API
void invdes_proposals_free(invdes_proposals *p);

/* Replaces out's content by n new proposals (out->cap >= n, dimensions as
 * from invdes_proposals_new(s, ...)). pending_z: n_pending × dim, the points
 * handed out earlier that have no outcome yet (may be NULL when n_pending is
 * 0). iteration < INVDES_STRATEGY_FIXED_ITERATION. On failure out->n is 0
 * and the strategy's state is as before the call. Errors: INVDES_ERR_USAGE
 * (bad arguments), INVDES_ERR_INFEASIBLE (a finite space has fewer than n
 * untried points left, or the constraints reject nearly every sample),
 * INVDES_ERR_NOMEM. */
INVDES_API
invdes_status invdes_strategy_ask(invdes_strategy *s, uint64_t iteration,
                                  size_t n, const double *pending_z,
                                  size_t n_pending, invdes_proposals *out,
                                  invdes_error *err);

/* Records n outcomes, all or none: INVDES_ERR_INVALID (naming the
 * observation) for an id < 1, a z that is not finite or outside [0,1], an
 * infinite y, an sd that is negative or infinite, or an x that does not
 * encode. */
INVDES_API
invdes_status invdes_strategy_tell(invdes_strategy *s,
                                   const invdes_observation *obs, size_t n,
                                   invdes_error *err);

/* Untried points left given the pending ones: for a finite space the number
 * of candidates neither told nor pending; for a kind with a finite supply
 * of its own (grid) no more than it can still hand out; else SIZE_MAX.
 * Lets a driver stop a campaign that has tried everything instead of
 * failing. */
INVDES_API
size_t invdes_strategy_remaining(invdes_strategy *s, const double *pending_z,
                                 size_t n_pending);

/* The state that (b) above needs: *blob (malloc'ed, the caller frees it) and
 * *len. A strategy without such state gives *blob = NULL, *len = 0 (nothing
 * to store). The blob starts with a tag naming the strategy. */
INVDES_API
invdes_status invdes_strategy_save_state(const invdes_strategy *s, void **blob,
                                         size_t *len, invdes_error *err);

/* Restores a blob from invdes_strategy_save_state of a strategy of the same
 * kind, campaign and seed; blob NULL (len 0) resets to the initial state.
 * INVDES_ERR_INVALID, state unchanged, for a blob of another kind, a
 * truncated or corrupt one, or any blob given to a stateless strategy. */
INVDES_API
invdes_status invdes_strategy_load_state(invdes_strategy *s, const void *blob,
                                         size_t len, invdes_error *err);

#endif
