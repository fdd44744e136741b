/* gp_lik.c — covariance assembly, Cholesky with jitter, and the penalized
 * marginal likelihood with its analytic gradient, minimized with NLopt L-BFGS.
 *
 * The likelihood is that of standardized outputs with the constant mean
 * profiled out (its GLS estimate), so by the envelope theorem the gradient
 * needs no term for it: ∂ℓ/∂θ = ½ tr((ααᵀ − K⁻¹) ∂K/∂θ). The inverse comes from
 * the Cholesky factor (GSL, level-3 BLAS). Priors are independent normals on
 * the log parameters: mild enough that a few hundred points decide, firm enough
 * that tiny data sets cannot run to the bounds. This file does not choose
 * starts, subsets or threads for the search; gp_fit.c does. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_linalg.h>
#include <nlopt.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "gp_internal.h"

/* Loops over at least this many points are worth an OpenMP region. Below
 * it a region's work (~n² kernel values, a few milliseconds) is too small to
 * pay for its barrier on a loaded machine, where a team member waits for a
 * descheduled one: measured, a 500-point polish ran slower on two threads
 * than on one with the load average at 4 on two cores. */
#define GP_PAR_MIN 600
#define GP_BLOCK 32

#ifdef HAVE_OPENBLAS
void openblas_set_num_threads(int);
int openblas_get_num_threads(void);
#endif

int gp_blas_threads(int n) {
#ifdef _OPENMP
  if (omp_in_parallel()) return n; /* the caller's threads: leave the setting alone */
#endif
#ifdef HAVE_OPENBLAS
  int old = openblas_get_num_threads();
  if (n != old) openblas_set_num_threads(n);
  return old;
#else
  (void)n;
  return 1;
#endif
}

static int gp_parallel_ok(size_t n) {
#ifdef _OPENMP
  return n >= GP_PAR_MIN && !omp_in_parallel();
#else
  (void)n;
  return 0;
#endif
}

void gp_cov_build(const gp_data *data, const gp_params *p, double *C, double *D,
                  size_t ldc, double *xs) {
  size_t n = data->n, d = data->d;
  for (size_t k = 0; k < d; k++) {
    double inv = 1.0 / p->lengthscale[k];
    for (size_t i = 0; i < n; i++) xs[k * n + i] = data->Xt[k * data->ld + i] * inv;
  }
  double s2 = p->signal;
  long nn = (long)n;
#pragma omp parallel for schedule(dynamic, 16) if (gp_parallel_ok(n))
  for (long ii = 0; ii < nn; ii++) {
    size_t i = (size_t)ii;
    double *ci = C + i * ldc;
    double *di = D ? D + i * ldc : NULL;
    for (size_t j = 0; j < i; j++) ci[j] = 0.0;
    for (size_t k = 0; k < d; k++) {
      const double *col = xs + k * n;
      double a = col[i];
#pragma omp simd
      for (size_t j = 0; j < i; j++) {
        double t = a - col[j];
        ci[j] += t * t;
      }
    }
    for (size_t j = 0; j < i; j++) {
      double kv, dk;
      gp_kernel_eval(data->kind, ci[j], &kv, &dk);
      ci[j] = s2 * kv;
      if (di) di[j] = -2.0 * s2 * dk;
    }
    ci[i] = s2;
  }
}

/* Unblocked lower Cholesky of a b×b block (leading dimension lda). */
static size_t chol_unblocked(double *A, size_t b, size_t lda) {
  for (size_t j = 0; j < b; j++) {
    double *rj = A + j * lda;
    double s = rj[j];
    for (size_t p = 0; p < j; p++) s -= rj[p] * rj[p];
    if (!(s > 0.0) || !isfinite(s)) return j + 1;
    double ljj = sqrt(s);
    rj[j] = ljj;
    double inv = 1.0 / ljj;
    for (size_t i = j + 1; i < b; i++) {
      double *ri = A + i * lda;
      double t = ri[j];
      for (size_t p = 0; p < j; p++) t -= ri[p] * rj[p];
      ri[j] = t * inv;
    }
  }
  return 0;
}

/* Recursive factorization (split in halves until a block is small): the
 * panel below the leading half is a triangular solve and the trailing update
 * a symmetric rank-k update, both level-3 BLAS through GSL. */
size_t gp_cholesky(double *A, size_t n, size_t lda) {
  if (n <= GP_BLOCK) return chol_unblocked(A, n, lda);
  size_t b = n / 2, rest = n - b;
  size_t fail = gp_cholesky(A, b, lda);
  if (fail) return fail;
  gsl_matrix_view L11 = gsl_matrix_view_array_with_tda(A, b, b, lda);
  gsl_matrix_view A21 = gsl_matrix_view_array_with_tda(A + b * lda, rest, b, lda);
  gsl_matrix_view A22 = gsl_matrix_view_array_with_tda(A + b * lda + b, rest, rest, lda);
  gsl_blas_dtrsm(CblasRight, CblasLower, CblasTrans, CblasNonUnit, 1.0, &L11.matrix,
                 &A21.matrix);
  gsl_blas_dsyrk(CblasLower, CblasNoTrans, -1.0, &A21.matrix, 1.0, &A22.matrix);
  fail = gp_cholesky(A + b * lda + b, rest, lda);
  return fail ? b + fail : 0;
}

#define GP_INV_BLOCK 64

void gp_tri_inverse(const double *L, size_t lda, double *W, size_t ldw, size_t n) {
  long nb = (long)((n + GP_INV_BLOCK - 1) / GP_INV_BLOCK);
#pragma omp parallel for schedule(dynamic, 1) if (gp_parallel_ok(n))
  for (long q = 0; q < nb; q++) {
    /* Columns j0..j1-1 of W: zero above row j0 (explicitly: gram_lower reads
     * them), below it the solution of
     * L[j0:, j0:] X = I[j0:, j0:j1]. Earlier blocks are the bigger ones. */
    size_t j0 = (size_t)q * GP_INV_BLOCK, j1 = j0 + GP_INV_BLOCK < n ? j0 + GP_INV_BLOCK : n;
    for (size_t i = 0; i < n; i++)
      for (size_t j = j0; j < j1; j++) W[i * ldw + j] = i == j ? 1.0 : 0.0;
    gsl_matrix_const_view Lv =
        gsl_matrix_const_view_array_with_tda(L + j0 * lda + j0, n - j0, n - j0, lda);
    gsl_matrix_view Xv = gsl_matrix_view_array_with_tda(W + j0 * ldw + j0, n - j0, j1 - j0, ldw);
    gsl_blas_dtrsm(CblasLeft, CblasLower, CblasNoTrans, CblasNonUnit, 1.0, &Lv.matrix,
                   &Xv.matrix);
  }
}

#define GP_TILE 128

/* Lower triangle of P = WᵀW (leading dimension ldp) for W (n×n, leading
 * dimension ldw) lower triangular with explicit zeros above the diagonal,
 * as gp_tri_inverse leaves it. Tiles of fixed size are OpenMP tasks, each
 * one single-thread product, so the result does not depend on the thread
 * count. With W = L⁻¹, P = K⁻¹. */
static void gram_lower(const double *W, size_t ldw, double *P, size_t ldp, size_t n) {
  size_t nt = (n + GP_TILE - 1) / GP_TILE;
  long np = (long)(nt * (nt + 1) / 2);
#pragma omp parallel for schedule(dynamic, 1) if (gp_parallel_ok(n))
  for (long p = 0; p < np; p++) {
    size_t I = 0, rest = (size_t)p; /* tile (I, J), J <= I, row by row */
    while (rest > I) rest -= ++I;
    size_t J = rest;
    size_t i0 = I * GP_TILE, j0 = J * GP_TILE;
    size_t ti = i0 + GP_TILE < n ? GP_TILE : n - i0, tj = j0 + GP_TILE < n ? GP_TILE : n - j0;
    /* P_IJ = Σ_{k >= i0} W[k, I]ᵀ W[k, J]: rows above i0 of column tile I are 0. */
    gsl_matrix_const_view A =
        gsl_matrix_const_view_array_with_tda(W + i0 * ldw + i0, n - i0, ti, ldw);
    gsl_matrix_const_view B =
        gsl_matrix_const_view_array_with_tda(W + i0 * ldw + j0, n - i0, tj, ldw);
    gsl_matrix_view Cv = gsl_matrix_view_array_with_tda(P + i0 * ldp + j0, ti, tj, ldp);
    gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, &A.matrix, &B.matrix, 0.0, &Cv.matrix);
  }
}

int gp_factor(const double *C, size_t ldc, double noise, const double *extra,
              double *L, size_t lda, size_t n, double *jitter) {
  double base = 0.0;
  for (size_t i = 0; i < n; i++) base += C[i * ldc + i] + gp_point_noise(extra, i, noise);
  base = n ? base / (double)n : 1.0;
  if (!(base > 0.0) || !isfinite(base)) base = 1.0;
  double jit = 0.0;
  for (;;) {
    for (size_t i = 0; i < n; i++) {
      memcpy(L + i * lda, C + i * ldc, (i + 1) * sizeof(double));
      L[i * lda + i] += gp_point_noise(extra, i, noise) + jit;
    }
    if (gp_cholesky(L, n, lda) == 0) {
      *jitter = jit;
      return 0;
    }
    jit = jit == 0.0 ? 1e-10 * base : jit * 10.0;
    if (jit > 0.1 * base) {
      *jitter = jit;
      return -1;
    }
  }
}

double gp_profile(const double *L, size_t lda, size_t n, const double *y, double *v1,
                  double *vy, double *alpha, double *mu) {
  gsl_matrix_const_view Lv = gsl_matrix_const_view_array_with_tda(L, n, n, lda);
  gsl_vector_view v1v = gsl_vector_view_array(v1, n);
  gsl_vector_view vyv = gsl_vector_view_array(vy, n);
  gsl_vector_view av = gsl_vector_view_array(alpha, n);
  for (size_t i = 0; i < n; i++) {
    v1[i] = 1.0;
    vy[i] = y[i];
  }
  gsl_blas_dtrsv(CblasLower, CblasNoTrans, CblasNonUnit, &Lv.matrix, &v1v.vector);
  gsl_blas_dtrsv(CblasLower, CblasNoTrans, CblasNonUnit, &Lv.matrix, &vyv.vector);
  double a = 0, b = 0;
  for (size_t i = 0; i < n; i++) {
    a += v1[i] * vy[i];
    b += v1[i] * v1[i];
  }
  double m = a / b;
  double rr = 0, logdet = 0;
  for (size_t i = 0; i < n; i++) {
    double r = vy[i] - m * v1[i];
    alpha[i] = r;
    rr += r * r;
    logdet += log(L[i * lda + i]);
  }
  gsl_blas_dtrsv(CblasLower, CblasTrans, CblasNonUnit, &Lv.matrix, &av.vector);
  *mu = m;
  return -0.5 * rr - logdet - 0.5 * (double)n * GP_LOG_2PI;
}

/* Priors (mean, sd) on log l, log s², log τ² and the search box. Inputs live
 * in [0,1] and outputs have unit variance, so these are scale-free.
 * The noise may go down to 1e-10 of the output variance, centred at 1e-6
 * with a wide sd: a floor of 1e-6 held the model of a deterministic
 * function to a resolution of 1e-3 output sd near its optimum (bo on
 * Branin stopped at regret 5e-5 after 50 evaluations instead of 4e-7),
 * while data with real noise still decide its level (a noise variance of
 * 1e-2 costs the prior 2.3 nats against 0.2 before). The jitter of the
 * factorization (gp_factor) keeps a tiny noise well conditioned. */
static const double PRIOR_LS_MU = 0.0, PRIOR_LS_SD = 1.5;
static const double PRIOR_SIG_MU = 0.0, PRIOR_SIG_SD = 1.5;
static const double PRIOR_NOISE_MU = -13.815510557964274, PRIOR_NOISE_SD = 4.0; /* ln 1e-6 */
static const double BOX_LS[2] = {-4.605170185988091, 4.605170185988091};      /* 0.01..100 */
static const double BOX_SIG[2] = {-6.907755278982137, 6.907755278982137};     /* 1e-3..1e3 */
static const double BOX_NOISE[2] = {-23.025850929940457, 2.302585092994046};  /* 1e-10..10 */

struct gp_lik {
  gp_data data;
  size_t dim;
  double *C, *D, *L, *W;       /* n×n each; W scratch for L⁻¹ */
  double *xs, *v1, *vy, *alpha;
  double *acc;                 /* n × (d+1) per-row gradient parts */
  double *ls;                  /* d */
  double best_f;
  double *best_theta;          /* dim */
  size_t evals;
};

gp_lik *gp_lik_new(const gp_data *data) {
  gp_lik *lik = calloc(1, sizeof *lik);
  if (!lik) return NULL;
  size_t n = data->n, d = data->d;
  lik->data = *data;
  lik->dim = d + (gp_data_learns_noise(data) ? 2 : 1);
  lik->C = malloc(n * n * sizeof(double));
  lik->D = malloc(n * n * sizeof(double));
  lik->L = malloc(n * n * sizeof(double));
  lik->W = malloc(n * n * sizeof(double));
  lik->xs = malloc(d * n * sizeof(double));
  lik->v1 = malloc(n * sizeof(double));
  lik->vy = malloc(n * sizeof(double));
  lik->alpha = malloc(n * sizeof(double));
  lik->acc = malloc(n * (d + 1) * sizeof(double));
  lik->ls = malloc(d * sizeof(double));
  lik->best_theta = malloc(lik->dim * sizeof(double));
  if (!lik->C || !lik->D || !lik->L || !lik->W || !lik->xs || !lik->v1 || !lik->vy || !lik->alpha ||
      !lik->acc || !lik->ls || !lik->best_theta) {
    gp_lik_free(lik);
    return NULL;
  }
  lik->best_f = HUGE_VAL;
  return lik;
}

void gp_lik_free(gp_lik *lik) {
  if (!lik) return;
  free(lik->C);
  free(lik->D);
  free(lik->L);
  free(lik->W);
  free(lik->xs);
  free(lik->v1);
  free(lik->vy);
  free(lik->alpha);
  free(lik->acc);
  free(lik->ls);
  free(lik->best_theta);
  free(lik);
}

size_t gp_lik_dim(const gp_lik *lik) { return lik->dim; }

void gp_lik_bounds(const gp_lik *lik, double *lo, double *hi) {
  size_t d = lik->data.d;
  for (size_t k = 0; k < d; k++) {
    lo[k] = BOX_LS[0];
    hi[k] = BOX_LS[1];
  }
  lo[d] = BOX_SIG[0];
  hi[d] = BOX_SIG[1];
  if (lik->dim > d + 1) {
    lo[d + 1] = BOX_NOISE[0];
    hi[d + 1] = BOX_NOISE[1];
  }
}

static double log_prior(const gp_lik *lik, const double *theta, double *grad) {
  size_t d = lik->data.d;
  double lp = 0;
  for (size_t p = 0; p < lik->dim; p++) {
    double mu = p < d ? PRIOR_LS_MU : p == d ? PRIOR_SIG_MU : PRIOR_NOISE_MU;
    double sd = p < d ? PRIOR_LS_SD : p == d ? PRIOR_SIG_SD : PRIOR_NOISE_SD;
    double z = (theta[p] - mu) / sd;
    lp -= 0.5 * z * z;
    if (grad) grad[p] = -z / sd;
  }
  return lp;
}

/* Fills grad (d+2 or d+1 entries) with ∂ℓ/∂θ once lik->L holds K⁻¹. */
static void lik_gradient(gp_lik *lik, double s2, double tau2, double *grad) {
  size_t n = lik->data.n, d = lik->data.d;
  const double *Kinv = lik->L, *alpha = lik->alpha, *xs = lik->xs;
  long nn = (long)n;
#pragma omp parallel for schedule(dynamic, 16) if (gp_parallel_ok(n))
  for (long ii = 0; ii < nn; ii++) {
    size_t i = (size_t)ii;
    const double *ki = Kinv + i * n, *ci = lik->C + i * n;
    double *di = lik->D + i * n;
    double ai = alpha[i], sg = 0.0;
#pragma omp simd reduction(+ : sg)
    for (size_t j = 0; j < i; j++) {
      double w = ai * alpha[j] - ki[j];
      sg += w * ci[j];
      di[j] *= w;
    }
    double *acc = lik->acc + i * (d + 1);
    for (size_t k = 0; k < d; k++) {
      const double *col = xs + k * n;
      double a = col[i], s = 0.0;
#pragma omp simd reduction(+ : s)
      for (size_t j = 0; j < i; j++) {
        double t = a - col[j];
        s += di[j] * t * t;
      }
      acc[k] = s;
    }
    acc[d] = sg;
  }
  for (size_t p = 0; p <= d; p++) grad[p] = 0.0;
  double trW = 0.0, trN = 0.0; /* trN: over the points that take τ² */
  const double *noise = lik->data.noise;
  for (size_t i = 0; i < n; i++) {
    const double *acc = lik->acc + i * (d + 1);
    for (size_t p = 0; p <= d; p++) grad[p] += acc[p];
    double w = alpha[i] * alpha[i] - Kinv[i * n + i];
    trW += w;
    trN += w * gp_tau_share(noise, i);
  }
  grad[d] += 0.5 * s2 * trW;
  if (lik->dim > d + 1) grad[d + 1] = 0.5 * tau2 * trN;
}

double gp_lik_objective(unsigned dim, const double *theta, double *grad, void *data) {
  gp_lik *lik = data;
  size_t n = lik->data.n, d = lik->data.d;
  lik->evals++;
  for (size_t k = 0; k < d; k++) lik->ls[k] = exp(theta[k]);
  double s2 = exp(theta[d]);
  double tau2 = dim > d + 1 ? exp(theta[d + 1]) : 0.0;
  gp_params p = {d, lik->ls, s2, tau2};
  gp_cov_build(&lik->data, &p, lik->C, lik->D, n, lik->xs);
  double jit, mu;
  if (gp_factor(lik->C, n, tau2, lik->data.noise, lik->L, n, n, &jit) != 0) {
    if (grad) memset(grad, 0, dim * sizeof(double));
    return HUGE_VAL;
  }
  double ll = gp_profile(lik->L, n, n, lik->data.y, lik->v1, lik->vy, lik->alpha, &mu);
  double gp_[dim > 0 ? dim : 1];
  double lp = log_prior(lik, theta, grad ? gp_ : NULL);
  double f = -(ll + lp);
  if (grad) {
    /* K⁻¹ = L⁻ᵀL⁻¹ into L, lower triangle only: the gradient reads no more. */
    gp_tri_inverse(lik->L, n, lik->W, n, n);
    gram_lower(lik->W, n, lik->L, n, n);
    lik_gradient(lik, s2, tau2, grad);
    for (size_t q = 0; q < dim; q++) grad[q] = -(grad[q] + gp_[q]);
  }
  if (!isfinite(f)) f = HUGE_VAL;
  if (f < lik->best_f) {
    lik->best_f = f;
    memcpy(lik->best_theta, theta, dim * sizeof(double));
  }
  return f;
}

double gp_lik_best(const gp_lik *lik, double *theta) {
  if (theta) memcpy(theta, lik->best_theta, lik->dim * sizeof(double));
  return lik->best_f;
}

size_t gp_lik_evaluations(const gp_lik *lik) { return lik->evals; }

int gp_lik_minimize(gp_lik *lik, double *theta, int max_eval, double ftol_abs,
                    double *fbest) {
  unsigned dim = (unsigned)lik->dim;
  double lo[dim], hi[dim];
  gp_lik_bounds(lik, lo, hi);
  for (unsigned q = 0; q < dim; q++) {
    if (!(theta[q] >= lo[q])) theta[q] = lo[q];
    if (theta[q] > hi[q]) theta[q] = hi[q];
  }
  nlopt_opt opt = nlopt_create(NLOPT_LD_LBFGS, dim);
  if (!opt) return -1;
  lik->best_f = HUGE_VAL;
  memcpy(lik->best_theta, theta, dim * sizeof(double));
  if (nlopt_set_lower_bounds(opt, lo) < 0 || nlopt_set_upper_bounds(opt, hi) < 0 ||
      nlopt_set_min_objective(opt, gp_lik_objective, lik) < 0 ||
      nlopt_set_ftol_abs(opt, ftol_abs) < 0 || nlopt_set_xtol_abs1(opt, 1e-5) < 0 ||
      nlopt_set_maxeval(opt, max_eval) < 0) {
    nlopt_destroy(opt);
    return -1;
  }
  double fval;
  nlopt_result rc = nlopt_optimize(opt, theta, &fval);
  nlopt_destroy(opt);
  if (rc == NLOPT_OUT_OF_MEMORY) return -1;
  /* Whatever NLopt reports (roundoff limits are common near an optimum), the
   * best evaluated point is a valid answer. */
  *fbest = gp_lik_best(lik, theta);
  return 0;
}
