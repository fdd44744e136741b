/* strategy_harness.h — the scripted campaign shared by the strategy tests
 * (test_strategy, test_pso_ga, test_bo): a simulated campaign database of
 * proposals with pending and told outcomes, ask/tell steps against it, the
 * checks every strategy must pass on a batch (feasible, z = encode(x), no
 * model values, distinct), and the whole-campaign checks that differ only
 * in the strategy spec: reproducibility by seed, exact resume at every cut,
 * exhausting a finite space, and a pool campaign file asked to the end.
 *
 * Every function fails the running cmocka test on a broken expectation or
 * a failed call; none returns an error. What a strategy does differently
 * (its spec, its state length, its quality) stays in its own test file.
 * Outcomes have HARNESS_NT targets. */
#ifndef INVDES_STRATEGY_HARNESS_H
#define INVDES_STRATEGY_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include "campaign.h"
#include "space.h"
#include "strategy.h"

#define HARNESS_NT 2 /* targets of the simulated outcomes */

/* ---- construction that must succeed ----------------------------------- */

invdes_space *must_space(const invdes_campaign *c);
invdes_strategy *must_strategy_spec(const invdes_space *sp,
                                    const invdes_strategy_spec *spec,
                                    size_t n_targets, uint64_t seed);
void must_tell(invdes_strategy *s, const invdes_observation *o, size_t n);

/* The spec of the pso and ga tests: batch 1, a small swarm (6) and
 * population (7, mutation 0.2) so that short tests cross several
 * generations, an initial design of 4 Sobol points. */
invdes_strategy_spec harness_evo_spec(const invdes_strategy_type *kind);
/* The same with swarm / population `size` and ga's mutation as given. */
invdes_strategy_spec harness_evo_spec_sized(const invdes_strategy_type *kind,
                                            int size, double mutation);

/* top_srcdir/rel (top_srcdir from the environment, "." without); the
 * buffer is static: valid until the next call. */
const char *data_path(const char *rel);

/* ---- a simulated campaign database ------------------------------------ */

/* Proposals as a store would keep them: id i+1 is row i. */
typedef struct sim {
  size_t dim, nv, n, cap;
  double *z, *x;           /* cap × dim, cap × nv */
  int *told;               /* cap */
  uint64_t iteration;      /* of the next ask */
} sim;

sim *sim_new(const invdes_strategy *s, size_t cap);
void sim_free(sim *m);

/* The z rows (dim values each) of the n rows whose told[i] is 0, in row
 * order, in a malloc'ed array the caller frees; *np their number. */
double *untold_z(const double *z, const int *told, size_t n, size_t dim,
                 size_t *np);
/* untold_z of the sim: its pending proposals. */
double *sim_pending(const sim *m, size_t *np);

/* The observation of row i: a smooth function of z; every fifth fails,
 * every fourth carries only the first target; x given on odd rows. y
 * (HARNESS_NT values) receives the values o.y points to. */
invdes_observation sim_obs(const sim *m, size_t i, double *y);

/* One batch: ask n with the pending ones into out, record them; then
 * outcomes arrive for the pending proposals whose id is not congruent to
 * the iteration mod 3 (so some stay pending for a while), newest first. */
void sim_step(invdes_strategy *s, sim *m, size_t n, invdes_proposals *out);

/* ---- checks ------------------------------------------------------------ */

/* Each of the n raw points x (n × nv) is feasible within
 * INVDES_STRATEGY_FEASIBLE_TOL and satisfies the constraints. */
void assert_feasible_x(const invdes_space *sp, const double *x, size_t n);
/* No two of the n rows of v (n × d) are the same. */
void assert_distinct(const double *v, size_t n, size_t d);
/* Every proposal feasible, z exactly encode(x), no model information
 * (acquisition, predicted mean and sd all NAN). */
void check_batch(const invdes_strategy *s, const invdes_proposals *p);

/* Runs `iters` batches of `batch` on a fresh strategy of spec (HARNESS_NT
 * targets), checking each batch; returns the sim (the caller frees). */
sim *run_campaign_spec(const invdes_space *sp,
                       const invdes_strategy_spec *spec, uint64_t seed,
                       size_t iters, size_t batch);

/* Three runs of `iters` batches of `batch`: seeds 11, 11 and 12. The first
 * two are identical in z and x, the third differs, and no two proposals of
 * the first are alike. */
void harness_check_reproducible(const invdes_space *sp,
                                const invdes_strategy_spec *spec,
                                size_t iters, size_t batch);

/* A strategy rebuilt after each of the first iters-1 batches (sizes[it]
 * proposals each) from the seed, the told history (told in reverse order,
 * so n_told matches) and the state saved after the last ask continues
 * exactly as the uninterrupted one. The saved state is non-empty exactly
 * when has_state. */
void harness_check_resume(const invdes_space *sp,
                          const invdes_strategy_spec *spec, size_t iters,
                          const size_t *sizes, int has_state);

/* Exhausts a finite space of `total` feasible points in batches of at most
 * `batch`, earlier proposals pending or told, remaining() counting down;
 * then one more ask is INVDES_ERR_INFEASIBLE with nothing proposed and a
 * message naming `what` ("pool" or "space") and "0 untried". */
void harness_check_exhaust(const invdes_space *sp,
                           const invdes_strategy_spec *spec, size_t total,
                           size_t batch, const char *what);

/* Asks the pool campaign c (space sp) in batches of 100 with everything
 * earlier pending until no feasible row is left: every row once, then
 * INVDES_ERR_INFEASIBLE. */
void harness_exhaust_pool(const invdes_space *sp, const invdes_campaign *c,
                          const invdes_strategy_spec *spec);

/* Sets OpenMP's thread count for what follows (nothing without OpenMP):
 * the tests that proposals do not depend on it. */
void harness_set_threads(int n);

#endif
