/* gp_predict.c — posterior mean, variance and their input gradients for many
 * points at once.
 *
 * Points go in blocks: the block's cross-covariance rows are built in
 * parallel (OpenMP), then one triangular solve with many right-hand sides
 * (level-3 BLAS, the BLAS's own threads) gives V = K*·L⁻ᵀ, whose row norms are
 * the explained variances; the gradient variant solves once more for the
 * weights K⁻¹k. No OpenMP region is open while the BLAS runs, so the two kinds
 * of threads take turns instead of competing. Results do not depend on the
 * thread count: each value is computed by one thread in a fixed order, and
 * the block boundaries depend only on m. This file does not modify the
 * model. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "gp_internal.h"

#define GP_PRED_BLOCK 512

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

invdes_status invdes_gp_predict_grad(const invdes_gp *gp, const double *X, size_t m,
                                     double *mean, double *var, double *dmean,
                                     double *dvar, invdes_error *err) {
  invdes_status st = check_args(gp, X, m, err);
  if (st != INVDES_OK || m == 0) return st;
  size_t n = gp->n, d = gp->d;
  size_t B = m < GP_PRED_BLOCK ? m : GP_PRED_BLOCK;
  int grad = dmean || dvar;
  int need_v = var || dvar;
  double *K = malloc(B * n * sizeof(double));
  double *Dk = grad ? malloc(B * n * sizeof(double)) : NULL;
  double *ms = malloc(B * sizeof(double));
  if (!K || !ms || (grad && !Dk)) {
    free(K);
    free(Dk);
    free(ms);
    return invdes_error_set(err, INVDES_ERR_NOMEM, "gp: out of memory predicting %zu points", m);
  }
  double a = gp->ymean, s = gp->ysd;
  gsl_matrix_const_view Lv = gsl_matrix_const_view_array_with_tda(gp->L, n, n, gp->cap);
  for (size_t q0 = 0; q0 < m; q0 += B) {
    size_t b = m - q0 < B ? m - q0 : B;
    const double *Xb = X + q0 * d;
    block_rows(gp, Xb, b, K, Dk, ms);
    if (mean)
      for (size_t r = 0; r < b; r++) mean[q0 + r] = a + s * ms[r];
    if (dmean)
      for (size_t r = 0; r < b; r++)
        for (size_t k = 0; k < d; k++) {
          /* ∂k_i/∂x_k = 2 s² dk/dr² (x_k − x_ik)/l_k² */
          const double *col = gp->Xs + k * gp->cap, *dr = Dk + r * n;
          double qk = Xb[r * d + k] / gp->ls[k], acc = 0.0;
#pragma omp simd reduction(+ : acc)
          for (size_t i = 0; i < n; i++) acc += gp->alpha[i] * dr[i] * (qk - col[i]);
          dmean[(q0 + r) * d + k] = s * 2.0 * acc / gp->ls[k];
        }
    if (!need_v) continue;
    gsl_matrix_view Kv = gsl_matrix_view_array(K, b, n);
    gsl_blas_dtrsm(CblasRight, CblasLower, CblasTrans, CblasNonUnit, 1.0, &Lv.matrix,
                   &Kv.matrix);
    for (size_t r = 0; r < b; r++) {
      const double *vr = K + r * n;
      double vv = 0.0;
#pragma omp simd reduction(+ : vv)
      for (size_t i = 0; i < n; i++) vv += vr[i] * vr[i];
      double v = gp->s2 - vv;
      if (var) var[q0 + r] = s * s * (v > 0.0 ? v : 0.0);
    }
    if (!dvar) continue;
    /* Rows of V·L⁻¹ are the weights w = K⁻¹k. */
    gsl_blas_dtrsm(CblasRight, CblasLower, CblasNoTrans, CblasNonUnit, 1.0, &Lv.matrix,
                   &Kv.matrix);
    for (size_t r = 0; r < b; r++)
      for (size_t k = 0; k < d; k++) {
        const double *col = gp->Xs + k * gp->cap, *dr = Dk + r * n, *wr = K + r * n;
        double qk = Xb[r * d + k] / gp->ls[k], acc = 0.0;
#pragma omp simd reduction(+ : acc)
        for (size_t i = 0; i < n; i++) acc += wr[i] * dr[i] * (qk - col[i]);
        dvar[(q0 + r) * d + k] = -2.0 * s * s * 2.0 * acc / gp->ls[k];
      }
  }
  free(K);
  free(Dk);
  free(ms);
  return INVDES_OK;
}
