/* bo_feasible.c — the chance that an experiment at z succeeds, for the bo
 * strategy (bo.h): a Gaussian-process classifier on the told rows (failed
 * or not), whose probability multiplies the score, as Atlas does for
 * unknown constraints. Built only when the history holds a failure.
 *
 * Model. A latent f(z) = m0 + g(z), g ~ GP(0, s2 k), k the isotropic
 * Matérn-5/2 kernel of length scale ell in the encoded space; a row succeeds
 * with probability sigmoid(f). m0 = logit of the smoothed success rate
 * ((successes + 1) / (rows + 2)), so far from the data the chance is the
 * rate seen so far, not one half. The posterior of g is the Laplace
 * approximation (Rasmussen & Williams, algorithms 3.1 and 3.2: Newton on
 * the mode, step halved while the objective does not rise), the predictive
 * chance sigmoid(kappa mean) with kappa = (1 + pi var / 8)^-1/2 (MacKay's
 * probit approximation), with its gradient in z for L-BFGS. ell and s2 are
 * chosen on a fixed grid (ell = sqrt(D) x 0.04 ... 0.64, s2 = 1 ... 256) by
 * the approximate marginal likelihood, one coordinate after the other (ell
 * at s2 = 16, then s2), each Newton run starting from the last mode:
 * deterministic, nothing carried from ask to ask, so resume is exact
 * without saved state.
 *
 * The failed points also enter a surrogate that conditions
 * (bo_feasible_condition_failures), after its fit on the successes (so its
 * hyper-parameters never see them): each as an observation at its predicted
 * value, but no better than the best value seen for that target (the GP:
 * invdes_gp_add_point; another kind: a fantasy at its mean). Without this
 * the model's uncertainty in a failing region never shrinks and the
 * improvement it predicts there keeps EI up however low the chance (one
 * Branin seed failed 61 of 90 times with the classifier alone, another 74
 * with fantasies at the predicted mean).
 *
 * Cost. Each fit is O(n^3); at most BO_FEAS_MAX rows are used (every
 * failure, the most recent ones first when there are more than half that;
 * the successes evenly strided over the history to fill). Predictions go
 * in blocks of BO_FEAS_BLOCK points, O(n^2) each for the variance; more
 * than BO_FEAS_PLUG_IN points at once (a pool of a million rows) take the
 * plug-in chance sigmoid(mean), O(n) each: on the same side of 1/2 as the
 * moderated one, further from it where the classifier is unsure. */
#include "bo.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>

#include "target.h"

#define BO_FEAS_MAX 256
#define BO_FEAS_BLOCK 512
#define BO_FEAS_NEWTON 40
#define BO_FEAS_PLUG_IN 65536 /* more points at once: sigmoid(mean) */
#define SQRT5 2.23606797749979

struct bo_feasible {
  size_t n, D;
  double *X;              /* n × D */
  double *t;              /* n labels: 1 success, 0 failure */
  double *K, *L;          /* n × n: kernel, Cholesky of I + sW K sW */
  double *f, *a, *b, *c, *sW, *resid; /* n each */
  double ell, s2, m0;
  double *blk;            /* n × BO_FEAS_BLOCK scratch */
};

static invdes_status nomem(invdes_error *err) {
  return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
}

void bo_feasible_free(bo_feasible *fm) {
  if (!fm) return;
  free(fm->X);
  free(fm->K);
  free(fm->blk);
  free(fm);
}

/* Matérn-5/2 of the distance between a and b, without s2; with dk (D
 * values), also its gradient in a. */
static double matern(const bo_feasible *fm, const double *a, const double *b, double *dk) {
  double r2 = 0;
  for (size_t j = 0; j < fm->D; j++) r2 += (a[j] - b[j]) * (a[j] - b[j]);
  double r = sqrt(r2) / fm->ell, e = exp(-SQRT5 * r);
  if (dk) {
    double c = -5.0 / (3 * fm->ell * fm->ell) * (1 + SQRT5 * r) * e;
    for (size_t j = 0; j < fm->D; j++) dk[j] = c * (a[j] - b[j]);
  }
  return (1 + SQRT5 * r + 5 * r * r / 3) * e;
}

static double log_sigmoid(double x) {
  return x >= 0 ? -log1p(exp(-x)) : x - log1p(exp(x));
}
static double sigmoid(double x) {
  return x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x));
}

/* W, sW and L at the current mode estimate f; 0, or -1 when the matrix
 * cannot be factored. */
static int factor(bo_feasible *fm) {
  size_t n = fm->n;
  for (size_t i = 0; i < n; i++) {
    double p = sigmoid(fm->m0 + fm->f[i]);
    fm->sW[i] = sqrt(p * (1 - p));
    fm->resid[i] = fm->t[i] - p;
  }
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j <= i; j++)
      fm->L[i * n + j] = (i == j) + fm->sW[i] * fm->K[i * n + j] * fm->sW[j];
  gsl_matrix_view Lv = gsl_matrix_view_array(fm->L, n, n);
  return gsl_linalg_cholesky_decomp1(&Lv.matrix) == GSL_SUCCESS ? 0 : -1;
}

/* Psi(f) = -a'f/2 + sum log p(t | m0 + f), the objective of the mode. */
static double psi(const bo_feasible *fm) {
  double s = 0;
  for (size_t i = 0; i < fm->n; i++) {
    double g = fm->m0 + fm->f[i];
    s += -0.5 * fm->a[i] * fm->f[i] + log_sigmoid(fm->t[i] > 0.5 ? g : -g);
  }
  return s;
}

/* f = K a */
static void k_times(const bo_feasible *fm, const double *a, double *f) {
  gsl_matrix_const_view Kv = gsl_matrix_const_view_array(fm->K, fm->n, fm->n);
  gsl_vector_const_view av = gsl_vector_const_view_array(a, fm->n);
  gsl_vector_view fv = gsl_vector_view_array(f, fm->n);
  gsl_blas_dsymv(CblasLower, 1.0, &Kv.matrix, &av.vector, 0.0, &fv.vector);
}

/* The Laplace mode for the current ell, s2: returns the approximate log
 * marginal likelihood, -INFINITY when a factorization fails. warm: Newton
 * starts from the last mode's a (f = K a), else from f = 0. */
static double laplace(bo_feasible *fm, int warm) {
  size_t n = fm->n;
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j <= i; j++)
      fm->K[i * n + j] = fm->K[j * n + i] =
          fm->s2 * matern(fm, fm->X + i * fm->D, fm->X + j * fm->D, NULL);
  if (!warm) memset(fm->a, 0, n * sizeof *fm->a);
  k_times(fm, fm->a, fm->f);
  double obj = psi(fm);
  gsl_matrix_const_view Lv = gsl_matrix_const_view_array(fm->L, n, n);
  gsl_vector_view cv = gsl_vector_view_array(fm->c, n);
  for (int it = 0; it < BO_FEAS_NEWTON; it++) {
    if (factor(fm)) return -INFINITY;
    for (size_t i = 0; i < n; i++) /* b = W f + (t - p) */
      fm->b[i] = fm->sW[i] * fm->sW[i] * fm->f[i] + fm->resid[i];
    k_times(fm, fm->b, fm->c);
    for (size_t i = 0; i < n; i++) fm->c[i] *= fm->sW[i];
    gsl_linalg_cholesky_svx(&Lv.matrix, &cv.vector); /* (L L')^-1 sW K b */
    double *a_old = fm->blk, *f_old = fm->blk + n;
    memcpy(a_old, fm->a, n * sizeof *a_old);
    memcpy(f_old, fm->f, n * sizeof *f_old);
    for (size_t i = 0; i < n; i++) fm->a[i] = fm->b[i] - fm->sW[i] * fm->c[i];
    k_times(fm, fm->a, fm->f);
    double next = psi(fm);
    for (int h = 0; h < 8 && !(next >= obj); h++) { /* halve the step */
      for (size_t i = 0; i < n; i++) {
        fm->a[i] = 0.5 * (fm->a[i] + a_old[i]);
        fm->f[i] = 0.5 * (fm->f[i] + f_old[i]);
      }
      next = psi(fm);
    }
    int done = fabs(next - obj) < 1e-10 * (1 + fabs(obj));
    if (next >= obj) obj = next;
    if (done) break;
  }
  if (factor(fm)) return -INFINITY;
  double logdet = 0;
  for (size_t i = 0; i < n; i++) logdet += log(fm->L[i * n + i]);
  return obj - logdet;
}

/* The rows the classifier learns from: indices into rows, labels into t. */
static size_t pick_rows(const invdes_strategy *s, size_t n_fail, size_t *rows) {
  size_t n_ok = s->n_hist - n_fail, k = 0, want_f = n_fail, want_s = n_ok;
  if (s->n_hist > BO_FEAS_MAX) {
    if (want_f > BO_FEAS_MAX / 2) want_f = BO_FEAS_MAX / 2;
    if (want_s > BO_FEAS_MAX - want_f) want_s = BO_FEAS_MAX - want_f;
  }
  size_t seen_f = 0, seen_s = 0, took_s = 0;
  for (size_t i = 0; i < s->n_hist; i++) {
    if (s->h_failed[i]) {
      if (seen_f++ >= n_fail - want_f) rows[k++] = i; /* the most recent */
    } else if (want_s && seen_s++ * want_s / n_ok == took_s) {
      rows[k++] = i; /* evenly strided */
      took_s++;
    }
  }
  return k;
}

static invdes_status alloc_model(bo_feasible **out, size_t n, size_t D, invdes_error *err) {
  bo_feasible *fm = calloc(1, sizeof *fm);
  if (!fm) return nomem(err);
  fm->n = n;
  fm->D = D;
  fm->X = malloc((n * D + 8 * n + 1) * sizeof *fm->X);
  fm->K = malloc((2 * n * n + 1) * sizeof *fm->K);
  fm->blk = malloc((n * BO_FEAS_BLOCK + 2 * n + 1) * sizeof *fm->blk);
  if (!fm->X || !fm->K || !fm->blk) {
    bo_feasible_free(fm);
    return nomem(err);
  }
  double *v = fm->X + n * D;
  fm->t = v, fm->f = v + n, fm->a = v + 2 * n, fm->b = v + 3 * n;
  fm->c = v + 4 * n, fm->sW = v + 5 * n, fm->resid = v + 6 * n;
  fm->L = fm->K + n * n;
  *out = fm;
  return INVDES_OK;
}

invdes_status bo_feasible_build(const invdes_strategy *s, bo_feasible **out,
                                invdes_error *err) {
  *out = NULL;
  size_t n_fail = 0, D = s->dim;
  for (size_t i = 0; i < s->n_hist; i++) n_fail += s->h_failed[i] != 0;
  if (!n_fail) return INVDES_OK;
  size_t *rows = malloc((s->n_hist + 1) * sizeof *rows);
  if (!rows) return nomem(err);
  size_t n = pick_rows(s, n_fail, rows), n_ok = 0;
  bo_feasible *fm = NULL;
  invdes_status st = alloc_model(&fm, n, D, err);
  if (st) {
    free(rows);
    return st;
  }
  for (size_t i = 0; i < n; i++) {
    memcpy(fm->X + i * D, s->h_z + rows[i] * D, D * sizeof *fm->X);
    fm->t[i] = s->h_failed[rows[i]] ? 0 : 1;
    n_ok += !s->h_failed[rows[i]];
  }
  free(rows);
  double rate = ((double)n_ok + 1) / ((double)n + 2);
  fm->m0 = log(rate / (1 - rate));
  /* coordinate search on the grid: ell at s2 = 16, then s2 at that ell;
     each mode starts from the last one */
  static const double ells[] = {0.04, 0.08, 0.16, 0.32, 0.64}, s2s[] = {1, 4, 64, 256};
  double best = -INFINITY, b_ell = 0, b_s2 = 16;
  gsl_error_handler_t *old = gsl_set_error_handler_off();
  int warm = 0;
  for (size_t i = 0; i < sizeof ells / sizeof *ells + sizeof s2s / sizeof *s2s; i++) {
    int by_ell = i < sizeof ells / sizeof *ells;
    if (!by_ell && best == -INFINITY) break;
    fm->ell = by_ell ? ells[i] * sqrt((double)D) : b_ell;
    fm->s2 = by_ell ? 16 : s2s[i - sizeof ells / sizeof *ells];
    double lz = laplace(fm, warm);
    warm = lz > -INFINITY;
    if (lz > best) best = lz, b_ell = fm->ell, b_s2 = fm->s2;
  }
  if (best > -INFINITY) {
    fm->ell = b_ell, fm->s2 = b_s2;
    best = laplace(fm, warm);
  }
  gsl_set_error_handler(old);
  if (!(best > -INFINITY)) { /* nothing factors: no feasibility model */
    bo_feasible_free(fm);
    return INVDES_OK;
  }
  *out = fm;
  return INVDES_OK;
}

/* Chances at k <= BO_FEAS_BLOCK points; with dp (k = 1), the gradient;
 * with plug_in, sigmoid(mean) without the variance. */
static void prob_block(const bo_feasible *fm, const double *Z, size_t k, double *p,
                       double *dp, int plug_in) {
  size_t n = fm->n, D = fm->D;
  double *V = fm->blk; /* n × k: sW k(x_i, z_j), then L^-1 of it */
  for (size_t j = 0; j < k; j++) {
    double mu = fm->m0;
    for (size_t i = 0; i < n; i++) {
      double kij = fm->s2 * matern(fm, Z + j * D, fm->X + i * D, NULL);
      mu += kij * fm->resid[i];
      V[i * k + j] = fm->sW[i] * kij;
    }
    p[j] = plug_in ? sigmoid(mu) : mu; /* else the latent mean, for now */
  }
  if (plug_in) return;
  gsl_matrix_const_view Lv = gsl_matrix_const_view_array(fm->L, n, n);
  gsl_matrix_view Vv = gsl_matrix_view_array(V, n, k);
  gsl_blas_dtrsm(CblasLeft, CblasLower, CblasNoTrans, CblasNonUnit, 1.0, &Lv.matrix,
                 &Vv.matrix);
  for (size_t j = 0; j < k; j++) {
    double var = fm->s2;
    for (size_t i = 0; i < n; i++) var -= V[i * k + j] * V[i * k + j];
    if (var < 0) var = 0;
    double mu = p[j], kappa = 1 / sqrt(1 + M_PI * var / 8);
    p[j] = sigmoid(kappa * mu);
    if (!dp) continue;
    /* u = sW (L'^-1 v): dvar = -2 sum u_i dk_i, dmu = sum resid_i dk_i */
    double *u = V + n, dk[D ? D : 1], dmu[D ? D : 1], dvar[D ? D : 1];
    memcpy(u, V, n * sizeof *u);
    gsl_vector_view uv = gsl_vector_view_array(u, n);
    gsl_blas_dtrsv(CblasLower, CblasTrans, CblasNonUnit, &Lv.matrix, &uv.vector);
    memset(dmu, 0, sizeof dmu);
    memset(dvar, 0, sizeof dvar);
    for (size_t i = 0; i < n; i++) {
      matern(fm, Z, fm->X + i * D, dk);
      for (size_t d = 0; d < D; d++) {
        dmu[d] += fm->s2 * dk[d] * fm->resid[i];
        dvar[d] -= 2 * fm->s2 * dk[d] * fm->sW[i] * u[i];
      }
    }
    double dkap = -M_PI / 16 * kappa * kappa * kappa, q = p[j] * (1 - p[j]);
    for (size_t d = 0; d < D; d++) dp[d] = q * (kappa * dmu[d] + mu * dkap * dvar[d]);
  }
}

void bo_feasible_prob(const bo_feasible *fm, const double *Z, size_t k, double *p,
                      double *dp) {
  for (size_t at = 0; at < k; at += BO_FEAS_BLOCK) {
    size_t m = k - at < BO_FEAS_BLOCK ? k - at : BO_FEAS_BLOCK;
    prob_block(fm, Z + at * fm->D, m, p + at, k == 1 ? dp : NULL, k > BO_FEAS_PLUG_IN);
  }
}

invdes_status bo_feasible_apply(const bo_model *m, const double *Z, size_t k, double *score,
                                double *grad, invdes_error *err) {
  if (!m->feas || !k) return INVDES_OK;
  size_t D = m->D;
  double p1, dp[D ? D : 1];
  double *p = k == 1 ? &p1 : malloc(k * sizeof *p);
  if (!p) return nomem(err);
  bo_feasible_prob(m->feas, Z, k, p, k == 1 && grad ? dp : NULL);
  int logf = m->kind == INVDES_ACQ_LOGEI;
  for (size_t i = 0; i < k; i++) {
    double q = p[i] > 1e-300 ? p[i] : 1e-300, S = score[i];
    if (!(S > -HUGE_VAL)) continue;
    score[i] = logf ? S + log(q) : S * q;
    if (k != 1 || !grad) continue;
    for (size_t d = 0; d < D; d++)
      grad[d] = logf ? grad[d] + dp[d] / q : grad[d] * q + S * dp[d];
  }
  if (p != &p1) free(p);
  return INVDES_OK;
}

/* Best observed value of target t (successes only); NAN when none. */
static double best_seen(const invdes_strategy *s, const bo_target *bt, size_t t) {
  double b = NAN;
  for (size_t i = 0; i < s->n_hist; i++) {
    double y = s->h_y[i * s->n_targets + t];
    if (s->h_failed[i] || !isfinite(y)) continue;
    if (isnan(b) || invdes_target_better(bt->goal, y, b)) b = y;
  }
  return b;
}

invdes_status bo_feasible_condition_failures(bo_model *m, invdes_error *err) {
  const invdes_strategy *s = m->s;
  for (size_t t = 0; t < m->T; t++) {
    bo_target *bt = &m->t[t];
    invdes_gp *gp = bt->sur ? invdes_surrogate_gp(bt->sur) : NULL;
    double best = bt->role == BO_ROLE_OBJECTIVE ? best_seen(s, bt, t) : NAN;
    for (size_t i = 0; bt->sur && i < s->n_hist; i++) {
      if (!s->h_failed[i]) continue;
      const double *z = s->h_z + i * m->D;
      invdes_error e;
      invdes_error_clear(&e);
      double mu;
      invdes_status st = invdes_surrogate_predict(bt->sur, z, 1, &mu, NULL, &e);
      if (!st && !isnan(best) && invdes_target_better(bt->goal, mu, best)) mu = best;
      if (!st)
        st = gp ? invdes_gp_add_point(gp, z, mu, 0.0, &e)
                : invdes_surrogate_condition(bt->sur, z, 1, &e);
      if (st == INVDES_ERR_NOMEM) return invdes_error_set(err, st, "%s", e.message);
      /* a point the model cannot take (it repeats one told, say) is left out */
    }
  }
  return INVDES_OK;
}
