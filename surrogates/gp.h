/* gp.h — Gaussian-process regression: fit, predict with gradients, cheap updates.
 *
 * A GP with a constant mean and a stationary ARD kernel (Matérn 5/2 or squared
 * exponential) over inputs in the unit box [0,1]^d: callers encode their
 * variables first (the space module does that); fit rejects inputs outside
 * the box. Outputs are standardized internally (mean 0, sample sd 1); every
 * number this API takes or returns is in the caller's units of y, except where
 * a comment says otherwise. Observation noise is either learned (one
 * homoscedastic variance), fixed from per-point variances the caller gives
 * (BoTorch's FixedNoiseGP: each point's variance on its own diagonal entry),
 * or mixed: points with a known variance keep theirs and the others share
 * one learned variance.
 *
 * Hyper-parameters (length scales, signal variance, noise variance) maximize
 * the marginal likelihood plus mild log-normal priors, in log space, with NLopt
 * L-BFGS and analytic gradients; several starts run in parallel with OpenMP,
 * each from its own random stream, and the best is chosen in start order, so
 * the result does not depend on the thread count. The constant mean is the
 * generalized-least-squares estimate for the hyper-parameters at hand. Large
 * data sets search on a random subset, polish on a larger one and factor all
 * points once (see invdes_gp_options). Fits and predictions hold OpenBLAS to
 * one thread while they run (restoring the caller's setting) and use OpenMP
 * instead, so hyper-parameters and predictions are identical for any thread
 * count.
 *
 * The covariance is factored by Cholesky (blocked, on the BLAS GSL is linked
 * to). Jitter is added to the diagonal only when a factorization fails, raised
 * tenfold until it succeeds, and kept for invdes_gp_jitter.
 *
 * Predictions give the posterior of the latent function (observation noise
 * excluded; add invdes_gp_noise_var for the spread of a new measurement).
 * The constant mean is treated as known (simple kriging). Not thread-safe for
 * calls on one handle that modify it; concurrent predictions on one fitted
 * handle are safe. Knows nothing of campaigns or strategies. */
#ifndef INVDES_GP_H
#define INVDES_GP_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "invdes_export.h"

typedef struct invdes_gp invdes_gp;

typedef enum invdes_gp_kernel {
  INVDES_GP_MATERN52 = 0, /* (1 + √5 r + 5r²/3) exp(−√5 r) */
  INVDES_GP_SE            /* exp(−r²/2) */
} invdes_gp_kernel;

typedef struct invdes_gp_options {
  invdes_gp_kernel kernel; /* default INVDES_GP_MATERN52 */
  uint64_t seed;           /* random streams of the starts and the subset */
  int n_starts;            /* L-BFGS starts, run in parallel; default 4, >= 1 */
  int fit_hyper;           /* 1 (default): maximize; 0: keep the hyper-parameters
                              set by invdes_gp_set_hyper or the previous fit */
  int warm_start;          /* 1 (default): start 0 begins at the previous
                              hyper-parameters when there are some for this d */
  size_t search_points;    /* multi-start search on a random subset of at most
                              this many points; default 256 */
  size_t polish_points;    /* the best start is then polished on at most this
                              many points (a superset); default 1000 */
  int max_eval;            /* likelihood evaluations per L-BFGS run; default 200 */
} invdes_gp_options;

/* Fills *opt with the defaults above. */
INVDES_API
void invdes_gp_options_init(invdes_gp_options *opt);

/* A new, unfitted GP; opt NULL means defaults. Copies *opt. NULL when out of
 * memory or when an option is out of range. The caller frees it. */
INVDES_API
invdes_gp *invdes_gp_new(const invdes_gp_options *opt);

/* Frees the GP; NULL is a no-op. */
INVDES_API
void invdes_gp_free(invdes_gp *gp);

/* Fits to n points: X is n×d row-major with entries in [0,1], y has n finite
 * values, noise_var NULL learns the noise, otherwise n variances >= 0 in units
 * of y² (0 = exact observation) or, for a point whose noise is not known,
 * NaN (one measurement) or -c (c > 0: the mean of c measurements): such
 * points share one learned variance τ² (τ²/c for a mean of c), the others
 * keep theirs. Copies everything; drops fantasies. On error
 * the handle keeps its previous fit. Needs n >= 1 (n >= 2 to fit
 * hyper-parameters). */
INVDES_API
invdes_status invdes_gp_fit(invdes_gp *gp, const double *X, size_t n, size_t d,
                            const double *y, const double *noise_var,
                            invdes_error *err);

/* Sets hyper-parameters for the next fit with fit_hyper = 0 and the warm start
 * of the next fit_hyper = 1 fit: d length scales (> 0, in input units),
 * signal variance and noise variance (units of y², noise > 0 is used only when
 * the noise is learned). Does not change a current fit. */
INVDES_API
invdes_status invdes_gp_set_hyper(invdes_gp *gp, size_t d, const double *lengthscale,
                                  double signal_var, double noise_var,
                                  invdes_error *err);

/* Posterior mean and variance at m points (X m×d row-major, finite; points
 * outside [0,1] are allowed). mean and/or var may be NULL. */
INVDES_API
invdes_status invdes_gp_predict(const invdes_gp *gp, const double *X, size_t m,
                                double *mean, double *var, invdes_error *err);

/* As invdes_gp_predict plus the gradients with respect to the input: dmean
 * and dvar are m×d row-major (either may be NULL). The variance gradient is
 * that of the unclamped variance (the variance is clamped at 0). */
INVDES_API
invdes_status invdes_gp_predict_grad(const invdes_gp *gp, const double *X, size_t m,
                                     double *mean, double *var, double *dmean,
                                     double *dvar, invdes_error *err);

/* Conditions on one more observation with the hyper-parameters and the output
 * scaling kept: O(n²). noise_var is used only when the GP was fitted with
 * per-point noise (NaN or -c: the learned noise, for a mixed fit). Fails with INVDES_ERR_USAGE while fantasies are present. */
INVDES_API
invdes_status invdes_gp_add_point(invdes_gp *gp, const double *x, double y,
                                  double noise_var, invdes_error *err);

/* Adds m fantasy points (pending proposals): each is conditioned on the
 * model's current mean there, which leaves the mean unchanged and shrinks the
 * variance around it. O(n²) each, no refit. They stay until
 * invdes_gp_fantasy_clear, add_point refuses to mix with them, fit drops them. */
INVDES_API
invdes_status invdes_gp_fantasy_add(invdes_gp *gp, const double *X, size_t m,
                                    invdes_error *err);

/* Removes all fantasy points, restoring the model exactly as before them. */
INVDES_API
void invdes_gp_fantasy_clear(invdes_gp *gp);

/* Number of fantasy points present. */
INVDES_API
size_t invdes_gp_fantasy_count(const invdes_gp *gp);

/* 1 when the GP has been fitted. */
INVDES_API
int invdes_gp_is_fitted(const invdes_gp *gp);

/* Input dimension and number of real observations (0 before a fit). */
INVDES_API
size_t invdes_gp_dim(const invdes_gp *gp);
INVDES_API
size_t invdes_gp_size(const invdes_gp *gp);

/* Copies the d length scales into out (input units). */
INVDES_API
void invdes_gp_lengthscales(const invdes_gp *gp, double *out);

/* Signal variance, noise variance (learned, which the points without a known
 * variance take; 0 when every point has its own) and the
 * constant mean, in units of y² and y. */
INVDES_API
double invdes_gp_signal_var(const invdes_gp *gp);
INVDES_API
double invdes_gp_noise_var(const invdes_gp *gp);
INVDES_API
double invdes_gp_mean_const(const invdes_gp *gp);

/* Log marginal likelihood of y (density in units of y, without the priors)
 * at the fitted hyper-parameters, real points only. */
INVDES_API
double invdes_gp_log_marginal_likelihood(const invdes_gp *gp);

/* Largest jitter (units of y²) added to the covariance diagonal since the
 * last fit, 0 when every factorization succeeded as it was. */
INVDES_API
double invdes_gp_jitter(const invdes_gp *gp);

/* Likelihood evaluations the last fit spent (all starts and stages). */
INVDES_API
size_t invdes_gp_fit_evaluations(const invdes_gp *gp);

/* The penalized negative log marginal likelihood that the fit minimizes, on
 * the fitted data (real points), at theta = (log l_1..log l_d, log s², log τ²)
 * in standardized units (log τ² is absent when every point has its own
 * noise); grad (same
 * length) may be NULL. For checks and diagnostics; NaN on failure. */
INVDES_API
double invdes_gp_objective(const invdes_gp *gp, const double *theta, double *grad);

/* n_samples draws of the hyper-parameters from their posterior given the
 * fitted data (real points): a slice-sampling chain (gp_sample.c) started
 * at the fitted values, burn sweeps discarded, one sample per sweep of all
 * coordinates, from the random stream of seed. Each sample is d+2 values
 * into h (n_samples × (d+2)) in the layout of the carried hyper-parameters
 * (invdes_gp_set_hyper's arguments): d length scales, the signal variance
 * and the noise variance, units of y (0 noise when every point has its
 * own). Deterministic for a given seed and fit. */
INVDES_API
invdes_status invdes_gp_sample_hyper(const invdes_gp *gp, uint64_t seed, size_t n_samples,
                                     size_t burn, double *h, invdes_error *err);

/* Number of entries of theta for invdes_gp_objective, and the fitted theta. */
INVDES_API
size_t invdes_gp_theta_size(const invdes_gp *gp);
INVDES_API
void invdes_gp_theta(const invdes_gp *gp, double *theta);

#endif
