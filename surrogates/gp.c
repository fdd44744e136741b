/* gp.c — the GP handle: fitting (validation, standardization, final
 * factorization), hyper-parameters in and out, and the O(n²) updates (one
 * more observation, fantasy points and their removal).
 *
 * Appending a point appends a row to the Cholesky factor, and the leading
 * block of the factor is untouched, so removing trailing fantasies is just
 * shrinking n and restoring the saved weights. The search over
 * hyper-parameters lives in gp_fit.c and gp_lik.c, prediction in
 * gp_predict.c. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>

#include "gp_internal.h"
#include "surrogate_type.h"

void invdes_gp_options_init(invdes_gp_options *opt) {
  memset(opt, 0, sizeof *opt);
  opt->kernel = INVDES_GP_MATERN52;
  opt->seed = 0;
  opt->n_starts = 4;
  opt->fit_hyper = 1;
  opt->warm_start = 1;
  opt->search_points = 256;
  opt->polish_points = 1000;
  opt->max_eval = 200;
}

invdes_gp *invdes_gp_new(const invdes_gp_options *opt) {
  invdes_gp_options o;
  if (opt)
    o = *opt;
  else
    invdes_gp_options_init(&o);
  if ((o.kernel != INVDES_GP_MATERN52 && o.kernel != INVDES_GP_SE) || o.n_starts < 1 ||
      o.max_eval < 1 || o.search_points < 2 || o.polish_points < 2)
    return NULL;
  invdes_gp *gp = calloc(1, sizeof *gp);
  if (!gp) return NULL;
  gp->opt = o;
  return gp;
}

/* Releases the model arrays (not the stored hyper-parameters). */
static void model_free(invdes_gp *gp) {
  free(gp->Xt);
  free(gp->Xs);
  free(gp->y);
  free(gp->noise);
  free(gp->ls);
  free(gp->theta);
  free(gp->L);
  free(gp->v1);
  free(gp->vy);
  free(gp->alpha);
  free(gp->work);
  free(gp->alpha_saved);
}

void invdes_gp_free(invdes_gp *gp) {
  if (!gp) return;
  model_free(gp);
  free(gp->hyper_ls);
  free(gp);
}

invdes_status invdes_gp_set_hyper(invdes_gp *gp, size_t d, const double *lengthscale,
                                  double signal_var, double noise_var,
                                  invdes_error *err) {
  if (!gp || !lengthscale || d == 0)
    return invdes_error_set(err, INVDES_ERR_USAGE, "gp: set_hyper needs a GP and d >= 1 length scales");
  for (size_t k = 0; k < d; k++)
    if (!(lengthscale[k] > 0) || !isfinite(lengthscale[k]))
      return invdes_error_set(err, INVDES_ERR_INVALID, "gp: length scale %zu is %g, not a positive number", k, lengthscale[k]);
  if (!(signal_var > 0) || !isfinite(signal_var))
    return invdes_error_set(err, INVDES_ERR_INVALID, "gp: signal variance %g is not a positive number", signal_var);
  if (!(noise_var >= 0) || !isfinite(noise_var))
    return invdes_error_set(err, INVDES_ERR_INVALID, "gp: noise variance %g is not a number >= 0", noise_var);
  double *ls = realloc(gp->hyper_ls, d * sizeof(double));
  if (!ls) return invdes_error_set(err, INVDES_ERR_NOMEM, "gp: out of memory");
  memcpy(ls, lengthscale, d * sizeof(double));
  gp->hyper_ls = ls;
  gp->hyper_d = d;
  gp->hyper_s2 = signal_var;
  gp->hyper_tau2 = noise_var;
  gp->have_hyper = 1;
  return INVDES_OK;
}

static invdes_status check_data(const double *X, size_t n, size_t d, const double *y,
                                const double *noise_var, invdes_error *err) {
  if (n == 0) return invdes_error_set(err, INVDES_ERR_INVALID, "gp: no data points to fit");
  if (d == 0) return invdes_error_set(err, INVDES_ERR_INVALID, "gp: input dimension is 0");
  for (size_t i = 0; i < n; i++) {
    for (size_t k = 0; k < d; k++) {
      double x = X[i * d + k];
      if (!(x >= 0.0 && x <= 1.0))
        return invdes_error_set(err, INVDES_ERR_INVALID,
                                "gp: input %zu of point %zu is %g, outside [0,1] (encode inputs first)",
                                k, i, x);
    }
    if (!isfinite(y[i]))
      return invdes_error_set(err, INVDES_ERR_INVALID, "gp: output of point %zu is not finite", i);
    if (noise_var && !isnan(noise_var[i]) && !isfinite(noise_var[i]))
      return invdes_error_set(err, INVDES_ERR_INVALID,
                              "gp: noise variance of point %zu is %g, not a number >= 0 "
                              "(or NaN / -c: not known)", i, noise_var[i]);
  }
  return INVDES_OK;
}

/* Allocates the model arrays of m for n points and dimension d with room
 * for cap points. Returns 0 or -1. */
static int model_alloc(invdes_gp *m, size_t d, size_t cap, int per_point, int learn) {
  size_t dim = d + (learn ? 2 : 1);
  m->Xt = malloc(d * cap * sizeof(double));
  m->Xs = malloc(d * cap * sizeof(double));
  m->y = malloc(cap * sizeof(double));
  m->noise = per_point ? malloc(cap * sizeof(double)) : NULL;
  m->ls = malloc(d * sizeof(double));
  m->theta = malloc(dim * sizeof(double));
  m->L = malloc(cap * cap * sizeof(double));
  m->v1 = malloc(cap * sizeof(double));
  m->vy = malloc(cap * sizeof(double));
  m->alpha = malloc(cap * sizeof(double));
  m->work = malloc(cap * sizeof(double));
  m->alpha_saved = malloc(cap * sizeof(double));
  return (m->Xt && m->Xs && m->y && (m->noise || !per_point) && m->ls && m->theta && m->L &&
          m->v1 && m->vy && m->alpha && m->work && m->alpha_saved)
             ? 0
             : -1;
}

/* Mean (*mean) and sample sd of y, the sd 1 when it is 0 or undefined. */
static double y_scale(const double *y, size_t n, double *mean) {
  double mu = 0.0, ss = 0.0;
  for (size_t i = 0; i < n; i++) mu += y[i];
  mu /= (double)n;
  for (size_t i = 0; i < n; i++) ss += (y[i] - mu) * (y[i] - mu);
  double sd = n > 1 ? sqrt(ss / (double)(n - 1)) : 0.0;
  *mean = mu;
  return sd > 1e-300 && isfinite(sd) ? sd : 1.0;
}

/* 1 when some of the n noise variances is not known (NaN, -c). */
static int noise_mixed(const double *noise_var, size_t n) {
  for (size_t i = 0; noise_var && i < n; i++)
    if (!(noise_var[i] >= 0)) return 1;
  return 0;
}

/* The log marginal likelihood in units of y from the standardized parts. */
static double lml_of(const invdes_gp *m) {
  double rr = 0.0;
  for (size_t i = 0; i < m->n; i++) {
    double r = m->vy[i] - m->mu * m->v1[i];
    rr += r * r;
  }
  return -0.5 * rr - m->logdet_real - 0.5 * (double)m->n * GP_LOG_2PI -
         (double)m->n * log(m->ysd);
}

invdes_status invdes_gp_fit(invdes_gp *gp, const double *X, size_t n, size_t d,
                            const double *y, const double *noise_var, invdes_error *err) {
  if (!gp || (!X && n) || (!y && n))
    return invdes_error_set(err, INVDES_ERR_USAGE, "gp: fit needs a GP, X and y");
  invdes_status st = check_data(X, n, d, y, noise_var, err);
  if (st != INVDES_OK) return st;
  int have = gp->have_hyper && gp->hyper_d == d;
  if (!gp->opt.fit_hyper && !have)
    return invdes_error_set(err, INVDES_ERR_USAGE,
                            "gp: fit_hyper is off but no hyper-parameters for d = %zu were set", d);

  invdes_gp m;
  memset(&m, 0, sizeof m);
  m.opt = gp->opt;
  m.d = d;
  m.n = m.n_real = n;
  m.cap = n + 64;
  int per_point = noise_var != NULL, mixed = noise_mixed(noise_var, n);
  int learn = !per_point || mixed; /* τ² in theta */
  m.mixed = mixed;
  if (model_alloc(&m, d, m.cap, per_point, learn) != 0) {
    model_free(&m);
    return invdes_error_set(err, INVDES_ERR_NOMEM, "gp: out of memory for %zu points", n);
  }
  double mean, sd = y_scale(y, n, &mean);
  m.ymean = mean;
  m.ysd = sd;
  for (size_t i = 0; i < n; i++) {
    m.y[i] = (y[i] - mean) / sd;
    /* unknown entries (NaN, -c) are kept as given: they scale tau2 */
    if (per_point) m.noise[i] = noise_var[i] >= 0 ? noise_var[i] / (sd * sd) : noise_var[i];
    for (size_t k = 0; k < d; k++) m.Xt[k * m.cap + i] = X[i * d + k];
  }

  size_t dim = d + (learn ? 2 : 1);
  if (have) {
    for (size_t k = 0; k < d; k++) m.theta[k] = log(gp->hyper_ls[k]);
    m.theta[d] = log(gp->hyper_s2 / (sd * sd));
    if (learn) m.theta[d + 1] = log(fmax(gp->hyper_tau2, 1e-300) / (sd * sd));
  } else {
    gp_theta_default(d, dim, m.theta);
  }
  if (!gp->opt.warm_start && gp->opt.fit_hyper) gp_theta_default(d, dim, m.theta);
  gp_data data = {n, d, m.cap, m.Xt, m.y, m.noise, gp->opt.kernel, mixed};
  if (gp->opt.fit_hyper && n >= 2 && gp_search(&gp->opt, &data, m.theta, &m.evals) != 0) {
    model_free(&m);
    return invdes_error_set(err, INVDES_ERR_NOMEM, "gp: out of memory in the hyper-parameter search");
  }

  for (size_t k = 0; k < d; k++) m.ls[k] = exp(m.theta[k]);
  m.s2 = exp(m.theta[d]);
  m.tau2 = learn ? exp(m.theta[d + 1]) : 0.0;
  for (size_t k = 0; k < d; k++)
    for (size_t i = 0; i < n; i++) m.Xs[k * m.cap + i] = m.Xt[k * m.cap + i] / m.ls[k];

  double *C = malloc(n * n * sizeof(double));
  double *xs = malloc(d * n * sizeof(double));
  if (!C || !xs) {
    free(C);
    free(xs);
    model_free(&m);
    return invdes_error_set(err, INVDES_ERR_NOMEM, "gp: out of memory for %zu points", n);
  }
  gp_params p = {d, m.ls, m.s2, m.tau2};
  int blas_threads = gp_blas_threads(1); /* the same factor for any thread count */
  gp_cov_build(&data, &p, C, NULL, n, xs);
  int frc = gp_factor(C, n, m.tau2, m.noise, m.L, m.cap, n, &m.jitter);
  gp_blas_threads(blas_threads);
  free(C);
  free(xs);
  if (frc != 0) {
    model_free(&m);
    return invdes_error_set(err, INVDES_ERR_NUMERIC,
                            "gp: the covariance of %zu points cannot be factored even with jitter", n);
  }
  gp_profile(m.L, m.cap, n, m.y, m.v1, m.vy, m.alpha, &m.mu);
  m.logdet_real = 0.0;
  for (size_t i = 0; i < n; i++) m.logdet_real += log(m.L[i * m.cap + i]);
  m.lml = lml_of(&m);
  m.fitted = 1;

  /* Commit: the model replaces the old one; hyper-parameters are kept for
   * the next warm start, in units of y. */
  double *hls = realloc(gp->hyper_ls, d * sizeof(double));
  if (!hls) {
    model_free(&m);
    return invdes_error_set(err, INVDES_ERR_NOMEM, "gp: out of memory");
  }
  memcpy(hls, m.ls, d * sizeof(double));
  m.hyper_ls = hls;
  m.hyper_d = d;
  m.hyper_s2 = m.s2 * sd * sd;
  m.hyper_tau2 = learn ? m.tau2 * sd * sd : (have ? gp->hyper_tau2 : 0.0);
  m.have_hyper = 1;
  model_free(gp);
  *gp = m;
  return INVDES_OK;
}

/* Room for at least need points: grows the arrays, re-laying out the
 * transposed inputs and the factor for the new leading dimension. */
static int ensure_capacity(invdes_gp *gp, size_t need) {
  if (need <= gp->cap) return 0;
  size_t cap = gp->cap + (gp->cap / 4 > 64 ? gp->cap / 4 : 64);
  if (cap < need) cap = need;
  size_t d = gp->d, n = gp->n;
  double *Xt = malloc(d * cap * sizeof(double)), *Xs = malloc(d * cap * sizeof(double));
  double *L = malloc(cap * cap * sizeof(double));
  if (!Xt || !Xs || !L) {
    free(Xt);
    free(Xs);
    free(L);
    return -1;
  }
  for (size_t k = 0; k < d; k++) {
    memcpy(Xt + k * cap, gp->Xt + k * gp->cap, n * sizeof(double));
    memcpy(Xs + k * cap, gp->Xs + k * gp->cap, n * sizeof(double));
  }
  for (size_t i = 0; i < n; i++) memcpy(L + i * cap, gp->L + i * gp->cap, (i + 1) * sizeof(double));
  double **vecs[] = {&gp->y, &gp->noise, &gp->v1, &gp->vy, &gp->alpha, &gp->work, &gp->alpha_saved};
  for (size_t v = 0; v < sizeof vecs / sizeof *vecs; v++) {
    if (!*vecs[v]) continue;
    double *nv = realloc(*vecs[v], cap * sizeof(double));
    if (!nv) {
      free(Xt);
      free(Xs);
      free(L);
      return -1;
    }
    *vecs[v] = nv;
  }
  free(gp->Xt);
  free(gp->Xs);
  free(gp->L);
  gp->Xt = Xt;
  gp->Xs = Xs;
  gp->L = L;
  gp->cap = cap;
  return 0;
}

/* Appends one point (raw input x, standardized ys and per-point noise nu) to
 * the factor; updates v1, vy. Leaves mu and alpha to the caller. */
static int append_point(invdes_gp *gp, const double *x, double ys, double nu) {
  if (ensure_capacity(gp, gp->n + 1) != 0) return -1;
  size_t n = gp->n, cap = gp->cap, d = gp->d;
  double *row = gp->L + n * cap;
  gp_kernel_row(gp, x, row);
  double base = gp->s2 + gp_point_noise(gp->noise ? &nu : NULL, 0, gp->tau2), piv = base;
  if (n > 0) {
    gsl_matrix_const_view Lv = gsl_matrix_const_view_array_with_tda(gp->L, n, n, cap);
    gsl_vector_view rv = gsl_vector_view_array(row, n);
    gsl_blas_dtrsv(CblasLower, CblasNoTrans, CblasNonUnit, &Lv.matrix, &rv.vector);
    double ll = 0.0, a = 0.0, b = 0.0;
    for (size_t i = 0; i < n; i++) {
      ll += row[i] * row[i];
      a += row[i] * gp->v1[i];
      b += row[i] * gp->vy[i];
    }
    piv = base - ll;
    gp->work[0] = a;
    gp->work[1] = b;
  } else {
    gp->work[0] = gp->work[1] = 0.0;
  }
  if (!(piv > 1e-12 * base)) {
    double j = gp->jitter > 1e-10 * base ? gp->jitter : 1e-10 * base;
    while (!(piv + j > 1e-12 * base) && j < 0.1 * base) j *= 10.0;
    if (!(piv + j > 1e-12 * base)) return -2;
    piv += j;
    if (j > gp->jitter) gp->jitter = j;
  }
  double lnn = sqrt(piv);
  row[n] = lnn;
  gp->v1[n] = (1.0 - gp->work[0]) / lnn;
  gp->vy[n] = (ys - gp->work[1]) / lnn;
  gp->y[n] = ys;
  if (gp->noise) gp->noise[n] = nu;
  for (size_t k = 0; k < d; k++) {
    gp->Xt[k * cap + n] = x[k];
    gp->Xs[k * cap + n] = x[k] / gp->ls[k];
  }
  gp->n = n + 1;
  return 0;
}

/* alpha = L⁻ᵀ(vy − mu·v1) over the current n points. */
static void update_alpha(invdes_gp *gp) {
  size_t n = gp->n;
  for (size_t i = 0; i < n; i++) gp->alpha[i] = gp->vy[i] - gp->mu * gp->v1[i];
  gsl_matrix_const_view Lv = gsl_matrix_const_view_array_with_tda(gp->L, n, n, gp->cap);
  gsl_vector_view av = gsl_vector_view_array(gp->alpha, n);
  gsl_blas_dtrsv(CblasLower, CblasTrans, CblasNonUnit, &Lv.matrix, &av.vector);
}

static invdes_status check_point(const invdes_gp *gp, const double *x, invdes_error *err) {
  for (size_t k = 0; k < gp->d; k++)
    if (!(x[k] >= 0.0 && x[k] <= 1.0))
      return invdes_error_set(err, INVDES_ERR_INVALID, "gp: input %zu is %g, outside [0,1]", k, x[k]);
  return INVDES_OK;
}

invdes_status invdes_gp_add_point(invdes_gp *gp, const double *x, double y,
                                  double noise_var, invdes_error *err) {
  if (!gp || !x || !gp->fitted)
    return invdes_error_set(err, INVDES_ERR_USAGE, "gp: add_point needs a fitted GP and a point");
  if (gp->n != gp->n_real)
    return invdes_error_set(err, INVDES_ERR_USAGE, "gp: clear the fantasy points before adding data");
  invdes_status st = check_point(gp, x, err);
  if (st != INVDES_OK) return st;
  if (!isfinite(y)) return invdes_error_set(err, INVDES_ERR_INVALID, "gp: output is not finite");
  /* NaN / -c (not known) take the learned noise, which only a mixed fit has */
  if (gp->noise && (!(noise_var >= 0) ? !gp->mixed || isinf(noise_var) : isinf(noise_var)))
    return invdes_error_set(err, INVDES_ERR_INVALID, "gp: noise variance %g is not a number >= 0", noise_var);
  double nu = !gp->noise ? 0.0 : noise_var >= 0 ? noise_var / (gp->ysd * gp->ysd) : noise_var;
  int rc = append_point(gp, x, (y - gp->ymean) / gp->ysd, nu);
  if (rc == -1) return invdes_error_set(err, INVDES_ERR_NOMEM, "gp: out of memory");
  if (rc == -2)
    return invdes_error_set(err, INVDES_ERR_NUMERIC, "gp: the new point cannot be factored even with jitter");
  size_t n = gp->n;
  double a = 0.0, b = 0.0;
  for (size_t i = 0; i < n; i++) {
    a += gp->v1[i] * gp->vy[i];
    b += gp->v1[i] * gp->v1[i];
  }
  gp->mu = a / b;
  update_alpha(gp);
  gp->n_real = n;
  gp->logdet_real += log(gp->L[(n - 1) * gp->cap + n - 1]);
  gp->lml = lml_of(gp);
  return INVDES_OK;
}

invdes_status invdes_gp_fantasy_add(invdes_gp *gp, const double *X, size_t m,
                                    invdes_error *err) {
  if (!gp || (!X && m) || !gp->fitted)
    return invdes_error_set(err, INVDES_ERR_USAGE, "gp: fantasy_add needs a fitted GP and points");
  for (size_t q = 0; q < m; q++) {
    const double *x = X + q * gp->d;
    invdes_status st = check_point(gp, x, err);
    if (st != INVDES_OK) return st;
    if (gp->n == gp->n_real) {
      memcpy(gp->alpha_saved, gp->alpha, gp->n * sizeof(double));
      gp->mu_saved = gp->mu;
    }
    /* The mean at x; conditioning on it keeps the mean, mu stays fixed. */
    gp_kernel_row(gp, x, gp->work);
    double f = gp->mu;
    for (size_t i = 0; i < gp->n; i++) f += gp->work[i] * gp->alpha[i];
    int rc = append_point(gp, x, f, 0.0);
    if (rc == -1) return invdes_error_set(err, INVDES_ERR_NOMEM, "gp: out of memory");
    if (rc == -2)
      return invdes_error_set(err, INVDES_ERR_NUMERIC, "gp: a fantasy point cannot be factored");
    update_alpha(gp);
  }
  return INVDES_OK;
}

void invdes_gp_fantasy_clear(invdes_gp *gp) {
  if (!gp || gp->n == gp->n_real) return;
  gp->n = gp->n_real;
  memcpy(gp->alpha, gp->alpha_saved, gp->n * sizeof(double));
  gp->mu = gp->mu_saved;
}

size_t invdes_gp_fantasy_count(const invdes_gp *gp) { return gp ? gp->n - gp->n_real : 0; }
int invdes_gp_is_fitted(const invdes_gp *gp) { return gp && gp->fitted; }
size_t invdes_gp_dim(const invdes_gp *gp) { return gp && gp->fitted ? gp->d : 0; }
size_t invdes_gp_size(const invdes_gp *gp) { return gp && gp->fitted ? gp->n_real : 0; }

void invdes_gp_lengthscales(const invdes_gp *gp, double *out) {
  if (gp && gp->fitted) memcpy(out, gp->ls, gp->d * sizeof(double));
}

double invdes_gp_signal_var(const invdes_gp *gp) {
  return gp && gp->fitted ? gp->s2 * gp->ysd * gp->ysd : NAN;
}
double invdes_gp_noise_var(const invdes_gp *gp) {
  return gp && gp->fitted ? gp->tau2 * gp->ysd * gp->ysd : NAN;
}
double invdes_gp_mean_const(const invdes_gp *gp) {
  return gp && gp->fitted ? gp->ymean + gp->ysd * gp->mu : NAN;
}
double invdes_gp_log_marginal_likelihood(const invdes_gp *gp) {
  return gp && gp->fitted ? gp->lml : NAN;
}
double invdes_gp_jitter(const invdes_gp *gp) {
  return gp && gp->fitted ? gp->jitter * gp->ysd * gp->ysd : NAN;
}
size_t invdes_gp_fit_evaluations(const invdes_gp *gp) { return gp ? gp->evals : 0; }

size_t invdes_gp_theta_size(const invdes_gp *gp) {
  return gp && gp->fitted ? gp->d + (gp->noise && !gp->mixed ? 1 : 2) : 0;
}

void invdes_gp_theta(const invdes_gp *gp, double *theta) {
  if (gp && gp->fitted) memcpy(theta, gp->theta, invdes_gp_theta_size(gp) * sizeof(double));
}

double invdes_gp_objective(const invdes_gp *gp, const double *theta, double *grad) {
  if (!gp || !gp->fitted) return NAN;
  gp_data data = {gp->n_real, gp->d, gp->cap, gp->Xt, gp->y, gp->noise, gp->opt.kernel,
                  gp->mixed};
  gp_lik *lik = gp_lik_new(&data);
  if (!lik) return NAN;
  double f = gp_lik_objective((unsigned)gp_lik_dim(lik), theta, grad, lik);
  gp_lik_free(lik);
  return f;
}

/* ---- the surrogate kind "gp" (surrogate_type.h) --------------------------- */

static void *gp_create(const invdes_surrogate_options *o) { return invdes_gp_new(&o->gp); }
static void gp_destroy(void *m) { invdes_gp_free(m); }
static invdes_status gp_fit_any(void *m, const double *X, size_t n, size_t d,
                                const double *y, const double *nv, invdes_error *e) {
  return invdes_gp_fit(m, X, n, d, y, nv, e);
}
static invdes_status gp_predict_any(const void *m, const double *X, size_t k,
                                    double *mean, double *var, invdes_error *e) {
  return invdes_gp_predict(m, X, k, mean, var, e);
}
static invdes_status gp_grad_any(const void *m, const double *X, size_t k, double *mean,
                                 double *var, double *dmean, double *dvar, invdes_error *e) {
  return invdes_gp_predict_grad(m, X, k, mean, var, dmean, dvar, e);
}
static double gp_noise_any(const void *m) { return invdes_gp_noise_var(m); }
static invdes_status gp_condition(void *m, const double *X, size_t k, invdes_error *e) {
  return invdes_gp_fantasy_add(m, X, k, e);
}
static void gp_condition_clear(void *m) { invdes_gp_fantasy_clear(m); }

/* Carried hyper-parameters: d length scales, the signal variance and the
 * noise variance, in that order (the layout bo's saved state keeps). */
static size_t gp_hyper_size(size_t d) { return d + 2; }
static invdes_status gp_hyper_check(size_t d, const double *h, invdes_error *e) {
  for (size_t j = 0; j < d + 2; j++)
    if (!isfinite(h[j]) || h[j] < 0 || (j < d + 1 && h[j] == 0))
      return invdes_error_set(e, INVDES_ERR_INVALID, "gp: hyper-parameter %zu is %g, out "
                              "of range", j, h[j]);
  return INVDES_OK;
}
static void gp_hyper_get(const void *m, size_t d, double *h) {
  invdes_gp_lengthscales(m, h);
  h[d] = invdes_gp_signal_var(m);
  h[d + 1] = invdes_gp_noise_var(m);
}
static invdes_status gp_hyper_set(void *m, size_t d, const double *h, invdes_error *e) {
  return invdes_gp_set_hyper(m, d, h, h[d], h[d + 1], e);
}

const invdes_surrogate_type invdes_surrogate_type_gp = {
    .name = "gp",
    .caps = INVDES_SURROGATE_GRADIENTS | INVDES_SURROGATE_CONDITIONS |
            INVDES_SURROGATE_POINT_NOISE | INVDES_SURROGATE_KERNEL,
    .create = gp_create, .destroy = gp_destroy, .fit = gp_fit_any,
    .keeps_fit_on_error = 1, /* the GP keeps its previous fit */
    .predict = gp_predict_any, .predict_grad = gp_grad_any,
    .noise_var = gp_noise_any, .condition = gp_condition,
    .condition_clear = gp_condition_clear, .hyper_size = gp_hyper_size,
    .hyper_check = gp_hyper_check, .hyper_get = gp_hyper_get,
    .hyper_set = gp_hyper_set};
