/* gp_internal.h — pieces of the GP shared by its files, not installed.
 *
 * The kernel functions in terms of the scaled squared distance
 * r² = Σ_k ((x_k − x'_k)/l_k)², the blocked Cholesky factorization with jitter,
 * covariance assembly, and the penalized likelihood with its gradient that the
 * hyper-parameter search minimizes. Everything works in standardized units
 * (outputs with mean 0 and sd 1). Matrices are row-major with a leading
 * dimension; only lower triangles are meaningful unless a comment says so. */
#ifndef INVDES_GP_INTERNAL_H
#define INVDES_GP_INTERNAL_H

#include <math.h>
#include <stddef.h>

#include "gp.h"

#define GP_LOG_2PI 1.8378770664093454836 /* log(2π) */

/* Unit-variance kernel value k(r²) and its derivative dk/d(r²). */
static inline void gp_kernel_eval(invdes_gp_kernel kind, double r2, double *k,
                                  double *dk_dr2) {
  if (r2 < 0) r2 = 0;
  if (kind == INVDES_GP_SE) {
    double e = exp(-0.5 * r2);
    *k = e;
    *dk_dr2 = -0.5 * e;
  } else {
    const double s5 = 2.23606797749978969641; /* √5 */
    double r = sqrt(r2);
    double e = exp(-s5 * r);
    *k = (1.0 + s5 * r + (5.0 / 3.0) * r2) * e;
    *dk_dr2 = -(5.0 / 6.0) * (1.0 + s5 * r) * e;
  }
}

/* Parameters in the search space: theta = (log l_1..d, log s², [log τ²]). */
typedef struct gp_params {
  size_t d;
  const double *lengthscale; /* d entries */
  double signal;             /* s², standardized */
  double noise;              /* τ², standardized; added to every diagonal entry */
} gp_params;

/* Training data in standardized form; all pointers borrowed. */
typedef struct gp_data {
  size_t n, d;
  size_t ld;           /* stride between the columns of Xt (>= n) */
  const double *Xt;    /* d columns: input k of point i at Xt[k*ld + i], in [0,1] */
  const double *y;     /* n standardized outputs */
  const double *noise; /* n standardized per-point noise variances, or NULL */
  invdes_gp_kernel kind;
  int mixed;           /* with noise: 1 when τ² is learned for the points
                          whose noise is not known (NaN, or -c: a mean of c
                          such measurements), 0 when every point has its
                          own (no τ² at all) */
} gp_data;

/* 1 when theta has a log τ² entry: no per-point noise, or mixed data. */
static inline int gp_data_learns_noise(const gp_data *data) {
  return !data->noise || data->mixed;
}

/* The share of τ² on point i's diagonal: 1 without per-point noise or for
 * NaN (not known), 1/c for -c (a mean of c measurements of unknown noise),
 * 0 for a known variance (>= 0). */
static inline double gp_tau_share(const double *noise, size_t i) {
  if (!noise || isnan(noise[i])) return 1.0;
  return noise[i] >= 0 ? 0.0 : 1.0 / -noise[i];
}

/* The noise variance on point i's diagonal: its own when known, else its
 * share of the learned τ². */
static inline double gp_point_noise(const double *noise, size_t i, double tau2) {
  return noise && noise[i] >= 0 ? noise[i] : tau2 * gp_tau_share(noise, i);
}

/* Sets the BLAS thread count (OpenBLAS; a no-op elsewhere) and returns the
 * previous one. The GP holds the BLAS to one thread wherever its results
 * must not depend on the thread count (every fit stage, the final factor,
 * prediction) and gets its parallelism from OpenMP over pieces of fixed
 * shape instead; that also keeps BLAS and OpenMP threads from competing
 * for the cores. Process-wide, as OpenBLAS's setting is, so inside an
 * active OpenMP region (a caller predicting from several threads) it
 * changes nothing and returns n. */
int gp_blas_threads(int n);

/* Fills the lower triangle (with diagonal) of C (n×n, leading dimension ldc)
 * with s²·k(x_i, x_j), and, when D is not NULL, the strict lower triangle of D
 * (leading dimension ldc) with −2 s² dk/d(r²), the factor of ∂k/∂log l_k.
 * xs is scratch of d*n doubles. Rows are computed in parallel (OpenMP) when
 * not already inside a parallel region; the values do not depend on it. */
void gp_cov_build(const gp_data *data, const gp_params *p, double *C, double *D,
                  size_t ldc, double *xs);

/* In-place lower Cholesky of the n×n matrix A (leading dimension lda): on
 * success returns 0 and the lower triangle holds L; otherwise returns the
 * 1-based index of the pivot that was not positive (A is then garbage). */
size_t gp_cholesky(double *A, size_t n, size_t lda);

/* Factors L = chol(C + diag(ν_i) + jitter·I) into L (leading dimension lda),
 * reading C's lower triangle (leading dimension ldc; C and L may not alias),
 * with ν_i = gp_point_noise(extra, i, noise): extra_i where known, else
 * its share of noise (τ²). extra may be NULL. Jitter starts at 0, then 1e-10 times the
 * mean diagonal and grows tenfold up to 0.1 times it; *jitter gets what was
 * used. Returns 0 on success, -1 when even the largest jitter failed. */
int gp_factor(const double *C, size_t ldc, double noise, const double *extra,
              double *L, size_t lda, size_t n, double *jitter);

/* Profile solve after a factorization: v1 = L⁻¹1, vy = L⁻¹y, mu the GLS mean,
 * alpha = K⁻¹(y − mu). Returns the log likelihood (standardized units). */
double gp_profile(const double *L, size_t lda, size_t n, const double *y, double *v1,
                  double *vy, double *alpha, double *mu);

/* The penalized likelihood over one data set, with its own scratch. */
typedef struct gp_lik gp_lik;

gp_lik *gp_lik_new(const gp_data *data);
void gp_lik_free(gp_lik *lik);

/* Length of theta for this data set (d+2 when τ² is learned, else d+1). */
size_t gp_lik_dim(const gp_lik *lik);

/* −(log likelihood + log prior) at theta, gradient into grad when not NULL.
 * NLopt's objective signature; data is the gp_lik. Returns +inf when the
 * covariance cannot be factored even with jitter. Counts evaluations and
 * remembers the best theta seen. */
double gp_lik_objective(unsigned dim, const double *theta, double *grad, void *data);

/* Bounds of the search box for theta (dim entries each). */
void gp_lik_bounds(const gp_lik *lik, double *lo, double *hi);

/* Best value and theta seen since creation (theta: dim entries); evaluations. */
double gp_lik_best(const gp_lik *lik, double *theta);
size_t gp_lik_evaluations(const gp_lik *lik);

/* Runs L-BFGS from theta (dim entries, clamped to the box, then overwritten
 * by the best point evaluated) until the objective changes by less than
 * ftol_abs (nats) or max_eval evaluations, and puts the best objective value in *fbest
 * (+inf when no evaluation could be factored). Returns 0, or -1 when NLopt
 * could not be set up (out of memory). */
int gp_lik_minimize(gp_lik *lik, double *theta, int max_eval, double ftol_abs,
                    double *fbest);

/* The handle. Training inputs are kept transposed (column k of point i at
 * [k*cap + i]) so kernel rows vectorize over points; L is cap×cap with
 * leading dimension cap, its leading n×n lower triangle the current factor.
 * Points n_real..n-1 are fantasies. Everything in standardized units. */
struct invdes_gp {
  invdes_gp_options opt;
  int fitted;
  size_t d, n, n_real, cap;
  double *Xt;          /* d × cap raw inputs */
  double *Xs;          /* d × cap inputs divided by the length scales */
  double *y;           /* cap standardized outputs (fantasies: the mean) */
  double *noise;       /* cap standardized per-point noise, NULL when learned
                          for all; unknown entries (mixed: NaN, -c) take
                          their share of tau2 (gp_tau_share) */
  int mixed;           /* per-point noise with NaN entries: tau2 learned */
  double ymean, ysd;   /* y = ymean + ysd · standardized */
  double *ls;          /* d length scales */
  double s2, tau2;     /* signal and learned noise variance (tau2 0 when every
                          point has its own) */
  double *theta;       /* fitted theta (d+2 or d+1) */
  double *L;           /* cap × cap */
  double *v1, *vy, *alpha, *work; /* cap each */
  double mu;           /* GLS constant mean */
  double logdet_real;  /* Σ log L_ii over the real points */
  double lml;          /* log marginal likelihood, units of y */
  double jitter;       /* largest jitter since the fit, standardized */
  size_t evals;
  /* model state saved at the first fantasy */
  double *alpha_saved;
  double mu_saved;
  /* hyper-parameters for warm starts and fit_hyper = 0, units of y */
  int have_hyper;
  size_t hyper_d;
  double *hyper_ls;
  double hyper_s2, hyper_tau2;
};

/* The multi-start search: theta (dim entries) holds the first start on entry
 * and the result on return; *evals adds the likelihood evaluations. Returns
 * 0, or -1 when out of memory. Runs the starts in parallel with OpenMP and
 * the BLAS kept to one thread inside. */
int gp_search(const invdes_gp_options *opt, const gp_data *data, double *theta,
              size_t *evals);

/* Default first start for dimension d (dim entries). */
void gp_theta_default(size_t d, size_t dim, double *theta);

/* W = L⁻¹ (lower, zeros written above the diagonal; leading dimension ldw)
 * from the lower Cholesky factor L
 * (leading dimension lda) of order n; W and L may not alias. Column blocks
 * of fixed width are OpenMP tasks, each a one-thread triangular solve, so
 * the result does not depend on the thread count (call with the BLAS held
 * to one thread). */
void gp_tri_inverse(const double *L, size_t lda, double *W, size_t ldw, size_t n);

/* Standardized kernel row k_i = s²·k(x, x_i), i < gp->n, into out. */
void gp_kernel_row(const invdes_gp *gp, const double *x, double *out);

#endif
