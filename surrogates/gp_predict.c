/* gp_predict.c — posterior mean, variance and their input gradients for many
 * points at once.
 *
 * Points go in blocks of fixed size, one OpenMP task each: the task builds
 * the block's cross-covariance rows K*, solves with the Cholesky factor
 * (level-3 BLAS held to one thread) for V = K*·L⁻ᵀ, whose row norms are the
 * explained variances, and for the gradients solves once more for the
 * weights K⁻¹k. Keeping a block's work in one thread keeps it in
 * that core's cache and keeps BLAS and OpenMP threads from competing.
 * Results do not depend on the thread count: each value is computed by one
 * thread in a fixed order, and the block boundaries depend only on m. This
 * file does not modify the model. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "gp_internal.h"

/* Points per block: fixed, so no result depends on the thread count. */
#define GP_PRED_BLOCK 256

/* r² to every training point from a point with scaled coordinates qs. */
static void sqdist_row(const invdes_gp *gp, const double *qs, double *out) {
  size_t n = gp->n;
  memset(out, 0, n * sizeof(double));
  for (size_t k = 0; k < gp->d; k++) {
    const double *col = gp->Xs + k * gp->cap;
    double a = qs[k];
#pragma omp simd
    for (size_t i = 0; i < n; i++) {
      double t = a - col[i];
      out[i] += t * t;
    }
  }
}

void gp_kernel_row(const invdes_gp *gp, const double *x, double *out) {
  double qs[gp->d];
  for (size_t k = 0; k < gp->d; k++) qs[k] = x[k] / gp->ls[k];
  sqdist_row(gp, qs, out);
  for (size_t i = 0; i < gp->n; i++) {
    double kv, dk;
    gp_kernel_eval(gp->opt.kernel, out[i], &kv, &dk);
    out[i] = gp->s2 * kv;
  }
}

static int in_parallel(void) {
#ifdef _OPENMP
  return omp_in_parallel();
#else
  return 0;
#endif
}

/* Worth an OpenMP region: rows × n at least 20,000 and not inside one. */
static int par_ok(size_t rows, size_t n) {
#ifdef _OPENMP
  return rows * n >= 20000 && !omp_in_parallel();
#else
  (void)rows;
  (void)n;
  return 0;
#endif
}

/* Builds rows [0, b) of the block for points X (b×d): K (b×n) with s²k and,
 * when Dk is not NULL, Dk with s² dk/d(r²); standardized means into mean_s. */
static void block_rows(const invdes_gp *gp, const double *X, size_t b, double *K,
                       double *Dk, double *mean_s) {
  size_t n = gp->n, d = gp->d;
  long bb = (long)b;
#pragma omp parallel for schedule(static) if (par_ok(b, n))
  for (long rr = 0; rr < bb; rr++) {
    size_t r = (size_t)rr;
    double qs[d];
    for (size_t k = 0; k < d; k++) qs[k] = X[r * d + k] / gp->ls[k];
    double *kr = K + r * n;
    double *dr = Dk ? Dk + r * n : NULL;
    sqdist_row(gp, qs, kr);
    double f = 0.0;
    for (size_t i = 0; i < n; i++) {
      double kv, dk;
      gp_kernel_eval(gp->opt.kernel, kr[i], &kv, &dk);
      kr[i] = gp->s2 * kv;
      if (dr) dr[i] = gp->s2 * dk;
      f += kr[i] * gp->alpha[i];
    }
    mean_s[r] = gp->mu + f;
  }
}

static invdes_status check_args(const invdes_gp *gp, const double *X, size_t m,
                                invdes_error *err) {
  if (!gp || (!X && m))
    return invdes_error_set(err, INVDES_ERR_USAGE, "gp: predict needs a GP and points");
  if (!gp->fitted) return invdes_error_set(err, INVDES_ERR_USAGE, "gp: predict before fit");
  for (size_t q = 0; q < m * gp->d; q++)
    if (!isfinite(X[q]))
      return invdes_error_set(err, INVDES_ERR_INVALID, "gp: input %zu of point %zu is not finite",
                              q % gp->d, q / gp->d);
  return INVDES_OK;
}

invdes_status invdes_gp_predict(const invdes_gp *gp, const double *X, size_t m,
                                double *mean, double *var, invdes_error *err) {
  return invdes_gp_predict_grad(gp, X, m, mean, var, NULL, NULL, err);
}

/* Rows [0, b) of one block: the points Xb (b×d) and their outputs (each
 * NULL or offset to the block). K, Dk (b×n each, Dk only for gradients) and
 * ms (b) are the caller's scratch. The explained variance is ‖L⁻¹k‖², by a
 * triangular solve (level-3 BLAS on one thread): multiplying by a stored
 * L⁻¹ instead is ~10% faster but loses digits of small variances on
 * ill-conditioned kernels (the finite-difference gradient tests notice). */
static void predict_block(const invdes_gp *gp, const double *Xb, size_t b, double *K,
                          double *Dk, double *ms, double *mean, double *var, double *dmean,
                          double *dvar) {
  size_t n = gp->n, d = gp->d;
  double a = gp->ymean, s = gp->ysd;
  block_rows(gp, Xb, b, K, (dmean || dvar) ? Dk : NULL, ms);
  if (mean)
    for (size_t r = 0; r < b; r++) mean[r] = a + s * ms[r];
  if (dmean)
    for (size_t r = 0; r < b; r++)
      for (size_t k = 0; k < d; k++) {
        /* ∂k_i/∂x_k = 2 s² dk/dr² (x_k − x_ik)/l_k² */
        const double *col = gp->Xs + k * gp->cap, *dr = Dk + r * n;
        double qk = Xb[r * d + k] / gp->ls[k], acc = 0.0;
#pragma omp simd reduction(+ : acc)
        for (size_t i = 0; i < n; i++) acc += gp->alpha[i] * dr[i] * (qk - col[i]);
        dmean[r * d + k] = s * 2.0 * acc / gp->ls[k];
      }
  if (!var && !dvar) return;
  gsl_matrix_const_view Lv = gsl_matrix_const_view_array_with_tda(gp->L, n, n, gp->cap);
  gsl_matrix_view Kv = gsl_matrix_view_array(K, b, n);
  /* Rows of V = K·L⁻ᵀ are L⁻¹k. One point (a local search's step) goes
   * through the level-2 solve: the level-3 one packs the whole factor
   * first, which at n in the thousands costs more than the solve. */
  gsl_vector_view k1 = gsl_vector_view_array(K, n);
  if (b == 1)
    gsl_blas_dtrsv(CblasLower, CblasNoTrans, CblasNonUnit, &Lv.matrix, &k1.vector);
  else
    gsl_blas_dtrsm(CblasRight, CblasLower, CblasTrans, CblasNonUnit, 1.0, &Lv.matrix,
                   &Kv.matrix);
  for (size_t r = 0; r < b; r++) {
    const double *vr = K + r * n;
    double vv = 0.0;
#pragma omp simd reduction(+ : vv)
    for (size_t i = 0; i < n; i++) vv += vr[i] * vr[i];
    double v = gp->s2 - vv;
    if (var) var[r] = s * s * (v > 0.0 ? v : 0.0);
  }
  if (!dvar) return;
  /* Rows of V·L⁻¹ are the weights w = K⁻¹k. */
  if (b == 1)
    gsl_blas_dtrsv(CblasLower, CblasTrans, CblasNonUnit, &Lv.matrix, &k1.vector);
  else
    gsl_blas_dtrsm(CblasRight, CblasLower, CblasNoTrans, CblasNonUnit, 1.0, &Lv.matrix,
                   &Kv.matrix);
  for (size_t r = 0; r < b; r++)
    for (size_t k = 0; k < d; k++) {
      const double *col = gp->Xs + k * gp->cap, *dr = Dk + r * n, *wr = K + r * n;
      double qk = Xb[r * d + k] / gp->ls[k], acc = 0.0;
#pragma omp simd reduction(+ : acc)
      for (size_t i = 0; i < n; i++) acc += wr[i] * dr[i] * (qk - col[i]);
      dvar[r * d + k] = -2.0 * s * s * 2.0 * acc / gp->ls[k];
    }
}

invdes_status invdes_gp_predict_grad(const invdes_gp *gp, const double *X, size_t m,
                                     double *mean, double *var, double *dmean,
                                     double *dvar, invdes_error *err) {
  invdes_status st = check_args(gp, X, m, err);
  if (st != INVDES_OK || m == 0) return st;
  size_t n = gp->n, d = gp->d;
  size_t B = m < GP_PRED_BLOCK ? m : GP_PRED_BLOCK;
  long nb = (long)((m + B - 1) / B);
  int grad = dmean || dvar;
  int failed = 0;
  int blas_threads = gp_blas_threads(1);
#pragma omp parallel if (nb > 1 && !in_parallel())
  {
    double *K = malloc(B * n * sizeof(double));
    double *Dk = grad ? malloc(B * n * sizeof(double)) : NULL;
    double *ms = malloc(B * sizeof(double));
    int ok = K && ms && (Dk || !grad);
    if (!ok) {
#pragma omp atomic write
      failed = 1;
    }
#pragma omp for schedule(dynamic, 1)
    for (long q = 0; q < nb; q++) {
      if (!ok) continue;
      size_t q0 = (size_t)q * B, b = m - q0 < B ? m - q0 : B;
      predict_block(gp, X + q0 * d, b, K, Dk, ms, mean ? mean + q0 : NULL,
                    var ? var + q0 : NULL, dmean ? dmean + q0 * d : NULL,
                    dvar ? dvar + q0 * d : NULL);
    }
    free(K);
    free(Dk);
    free(ms);
  }
  gp_blas_threads(blas_threads);
  if (failed)
    return invdes_error_set(err, INVDES_ERR_NOMEM, "gp: out of memory predicting %zu points", m);
  return INVDES_OK;
}
