/* gp_fit.c — the hyper-parameter search: parallel multi-start L-BFGS on a
 * subset, then one preconditioned polish on a larger subset.
 *
 * Likelihood evaluations cost O(n³), so starts run on a random subset of at
 * most opt->search_points points (all of them when n is small), one OpenMP
 * task per start, each from its own stream invdes_rng_new(seed, start); the
 * best start is chosen in start order after the parallel region, so the
 * result is the same for any thread count. The winner is then polished on
 * the first opt->polish_points points of the same random order (a superset).
 * The BLAS is held to one thread for the whole search (gp_blas_threads): a
 * multi-threaded BLAS rounds differently with different thread counts, and
 * it would compete with the OpenMP teams for the cores; the polish gets its
 * parallelism from OpenMP loops over points and a blocked triangular inverse
 * instead.
 *
 * The polish is preconditioned: the Hessian of the subset objective at the
 * winner (forward differences of the analytic gradient, computed in parallel
 * like the starts), scaled by the ratio of the subset sizes, defines the
 * coordinates z with θ = θ₀ + L⁻ᵀz (H = LLᵀ), in which the polish objective is
 * near the identity quadratic; L-BFGS then needs a dozen or so of the
 * expensive evaluations instead of thirty. The box is kept by evaluating at
 * the clamped θ plus a quadratic penalty on the excess. This file neither
 * factors the final model nor touches the handle. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_linalg.h>
#include <nlopt.h>

#include "gp_internal.h"
#include "rng.h"

/* Convergence in nats of log likelihood: differences below these are far
 * inside the statistical uncertainty of the hyper-parameters. The search is
 * held to the tighter one only when no polish follows it. */
#define GP_FTOL_FINAL 1e-3
#define GP_FTOL_POLISH 1e-2

/* Forward-difference step for the Hessian (log units) and the weight of the
 * penalty on a preconditioned step that leaves the box (per squared log unit). */
#define GP_HESS_STEP 1e-4
#define GP_BOX_PENALTY 100.0

/* Stream of the subset order, apart from the start streams 0, 1, 2, ... */
#define GP_SUBSET_STREAM 0x67705375ULL

void gp_theta_default(size_t d, size_t dim, double *theta) {
  for (size_t k = 0; k < d; k++) theta[k] = log(0.5);
  theta[d] = 0.0;
  if (dim > d + 1) theta[d + 1] = log(1e-3);
}

/* A random start drawn from a box well inside the search bounds. */
static void theta_random(gsl_rng *r, size_t d, size_t dim, double *theta) {
  for (size_t k = 0; k < d; k++) theta[k] = log(0.1) + gsl_rng_uniform(r) * log(20.0);
  theta[d] = log(0.3) + gsl_rng_uniform(r) * log(10.0);
  if (dim > d + 1) theta[d + 1] = log(1e-5) + gsl_rng_uniform(r) * log(1e4);
}

/* The data restricted to idx[0..m), copied into buf (d*m + m + m doubles). */
static gp_data subset(const gp_data *data, const size_t *idx, size_t m, double *buf) {
  gp_data s = *data;
  double *Xt = buf, *y = buf + data->d * m, *noise = y + m;
  for (size_t k = 0; k < data->d; k++)
    for (size_t i = 0; i < m; i++) Xt[k * m + i] = data->Xt[k * data->ld + idx[i]];
  for (size_t i = 0; i < m; i++) {
    y[i] = data->y[idx[i]];
    if (data->noise) noise[i] = data->noise[idx[i]];
  }
  s.n = m;
  s.ld = m;
  s.Xt = Xt;
  s.y = y;
  s.noise = data->noise ? noise : NULL;
  return s;
}

/* One L-BFGS run on data from theta; fval +inf on failure. */
static int run_one(const gp_data *data, double *theta, int max_eval, double ftol,
                   double *fval, size_t *evals) {
  gp_lik *lik = gp_lik_new(data);
  if (!lik) return -1;
  int rc = gp_lik_minimize(lik, theta, max_eval, ftol, fval);
  *evals += gp_lik_evaluations(lik);
  gp_lik_free(lik);
  return rc;
}

/* Objective curvature at theta on data into H (dim×dim, row-major):
 * forward differences of the analytic gradient, symmetrized. The dim + 1
 * gradients are OpenMP tasks (the caller holds the BLAS to one thread).
 * Returns 0, -1 when out of memory, 1 when a gradient was not finite. */
static int hessian_fd(const gp_data *data, const double *theta, size_t dim, double *H,
                      size_t *evals) {
  long nt = (long)dim + 1;
  double *G = malloc((size_t)nt * dim * sizeof(double));
  double *step = malloc(dim * sizeof(double));
  int *ok = calloc((size_t)nt, sizeof *ok);
  size_t *ev = calloc((size_t)nt, sizeof *ev);
  if (!G || !step || !ok || !ev) {
    free(G);
    free(step);
    free(ok);
    free(ev);
    return -1;
  }
#pragma omp parallel for schedule(dynamic, 1)
  for (long t = 0; t < nt; t++) {
    gp_lik *lik = gp_lik_new(data);
    if (!lik) {
      ok[t] = -1;
      continue;
    }
    double th[dim], lo[dim], hi[dim];
    gp_lik_bounds(lik, lo, hi);
    memcpy(th, theta, dim * sizeof(double));
    if (t < nt - 1) {
      double h = th[t] + GP_HESS_STEP > hi[t] ? -GP_HESS_STEP : GP_HESS_STEP;
      th[t] += h;
      step[t] = h;
    }
    double *g = G + (size_t)t * dim;
    double f = gp_lik_objective((unsigned)dim, th, g, lik);
    int fin = isfinite(f);
    for (size_t q = 0; q < dim; q++) fin = fin && isfinite(g[q]);
    ok[t] = fin;
    ev[t] = gp_lik_evaluations(lik);
    gp_lik_free(lik);
  }
  int rc = 0;
  for (long t = 0; t < nt; t++) {
    *evals += ev[t];
    if (ok[t] < 0) rc = -1;
    if (ok[t] == 0 && rc == 0) rc = 1;
  }
  if (rc == 0) {
    const double *g0 = G + dim * dim;
    for (size_t j = 0; j < dim; j++)
      for (size_t i = 0; i < dim; i++) H[i * dim + j] = (G[j * dim + i] - g0[i]) / step[j];
    for (size_t i = 0; i < dim; i++)
      for (size_t j = 0; j < i; j++)
        H[i * dim + j] = H[j * dim + i] = 0.5 * (H[i * dim + j] + H[j * dim + i]);
  }
  free(G);
  free(step);
  free(ok);
  free(ev);
  return rc;
}

/* R = L⁻ᵀ for the Cholesky factor of H + λI with the smallest λ in
 * 0, 1e-6, 1e-5, ... times the largest |H_ii| that makes it positive
 * definite (λ also floors curvature that is negative or near zero). H is
 * overwritten. Returns 0, or -1 when no λ up to that scale works. */
static int precond_factor(double *H, size_t dim, double *R) {
  double big = 0.0;
  for (size_t i = 0; i < dim; i++) big = fmax(big, fabs(H[i * dim + i]));
  if (!(big > 0.0) || !isfinite(big)) return -1;
  for (double lam = 0.0; lam <= big; lam = lam == 0.0 ? 1e-6 * big : 10.0 * lam) {
    for (size_t i = 0; i < dim; i++)
      for (size_t j = 0; j <= i; j++) R[i * dim + j] = H[i * dim + j] + (i == j ? lam : 0.0);
    if (gp_cholesky(R, dim, dim) != 0) continue;
    /* Floor: no direction may be flatter than 1e-6 of the stiffest. */
    double dmin = HUGE_VAL, dmax = 0.0;
    for (size_t i = 0; i < dim; i++) {
      dmin = fmin(dmin, R[i * dim + i]);
      dmax = fmax(dmax, R[i * dim + i]);
    }
    if (dmin * dmin < 1e-6 * dmax * dmax && lam < big) continue;
    gsl_matrix_view Lv = gsl_matrix_view_array(R, dim, dim);
    gsl_linalg_tri_invert(CblasLower, CblasNonUnit, &Lv.matrix);
    for (size_t i = 0; i < dim; i++) /* transpose in place: R = (L⁻¹)ᵀ */
      for (size_t j = 0; j < i; j++) {
        R[j * dim + i] = R[i * dim + j];
        R[i * dim + j] = 0.0;
      }
    return 0;
  }
  return -1;
}

/* The polish objective in preconditioned coordinates. */
typedef struct precond {
  gp_lik *lik;
  size_t dim;
  const double *t0, *R, *lo, *hi; /* θ = t0 + R z, R upper triangular */
} precond;

static double precond_objective(unsigned dim, const double *z, double *grad, void *data) {
  const precond *p = data;
  if (dim == 0) return HUGE_VAL;
  double th[dim], c[dim], g[dim];
  double pen = 0.0;
  for (unsigned i = 0; i < dim; i++) {
    double t = p->t0[i];
    for (unsigned j = i; j < dim; j++) t += p->R[i * dim + j] * z[j];
    th[i] = t;
    g[i] = 0.0;
    c[i] = t < p->lo[i] ? p->lo[i] : t > p->hi[i] ? p->hi[i] : t;
    pen += (t - c[i]) * (t - c[i]);
  }
  double f = gp_lik_objective(dim, c, grad ? g : NULL, p->lik);
  if (grad) {
    for (unsigned i = 0; i < dim; i++)
      if (th[i] != c[i]) g[i] = 2.0 * GP_BOX_PENALTY * (th[i] - c[i]);
    for (unsigned j = 0; j < dim; j++) {
      double s = 0.0;
      for (unsigned i = 0; i <= j; i++) s += p->R[i * dim + j] * g[i];
      grad[j] = s;
    }
  }
  return f + GP_BOX_PENALTY * pen;
}

/* L-BFGS on data from theta in the coordinates of R (see precond); theta
 * gets the best point evaluated (inside the box), fval its objective
 * (+inf when none could be factored). Returns 0 or -1 (out of memory). */
static int run_precond(const gp_data *data, double *theta, const double *R, int max_eval,
                       double ftol, double *fval, size_t *evals) {
  gp_lik *lik = gp_lik_new(data);
  if (!lik) return -1;
  unsigned dim = (unsigned)gp_lik_dim(lik);
  double lo[dim], hi[dim], t0[dim], z[dim];
  gp_lik_bounds(lik, lo, hi);
  memcpy(t0, theta, dim * sizeof(double));
  for (unsigned q = 0; q < dim; q++) z[q] = 0.0;
  precond p = {lik, dim, t0, R, lo, hi};
  nlopt_opt opt = nlopt_create(NLOPT_LD_LBFGS, dim);
  int rc = opt ? 0 : -1;
  if (rc == 0 && (nlopt_set_min_objective(opt, precond_objective, &p) < 0 ||
                  nlopt_set_ftol_abs(opt, ftol) < 0 || nlopt_set_xtol_abs1(opt, 1e-5) < 0 ||
                  nlopt_set_maxeval(opt, max_eval) < 0))
    rc = -1;
  if (rc == 0) {
    double fz;
    if (nlopt_optimize(opt, z, &fz) == NLOPT_OUT_OF_MEMORY) rc = -1;
  }
  nlopt_destroy(opt);
  if (rc == 0) {
    *fval = gp_lik_best(lik, NULL);
    if (isfinite(*fval)) gp_lik_best(lik, theta);
  }
  *evals += gp_lik_evaluations(lik);
  gp_lik_free(lik);
  return rc;
}

int gp_search(const invdes_gp_options *opt, const gp_data *data, double *theta,
              size_t *evals) {
  size_t n = data->n, d = data->d;
  size_t dim = d + (gp_data_learns_noise(data) ? 2 : 1);
  size_t m1 = opt->search_points < n ? opt->search_points : n;
  size_t m2 = opt->polish_points < n ? opt->polish_points : n;
  if (m1 < 2) m1 = n < 2 ? n : 2;
  if (m2 < m1) m2 = m1;
  int S = opt->n_starts;

  size_t *idx = malloc(n * sizeof *idx);
  double *buf = malloc((d + 2) * m2 * sizeof(double));
  double *thetas = malloc((size_t)S * dim * sizeof(double));
  double *fvals = malloc((size_t)S * sizeof(double));
  size_t *ev = calloc((size_t)S, sizeof *ev);
  int *rcs = calloc((size_t)S, sizeof *rcs);
  gsl_rng *r = invdes_rng_new(opt->seed, GP_SUBSET_STREAM);
  int status = 0;
  if (!idx || !buf || !thetas || !fvals || !ev || !rcs || !r) {
    status = -1;
    goto done;
  }
  for (size_t i = 0; i < n; i++) idx[i] = i;
  if (m1 < n) /* a random order; its prefixes are the subsets */
    for (size_t i = 0; i + 1 < n; i++) {
      size_t j = i + (size_t)gsl_rng_uniform_int(r, (unsigned long)(n - i));
      size_t t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
    }
  gp_data sub = m1 < n ? subset(data, idx, m1, buf) : *data;

  for (int s = 0; s < S; s++) {
    double *th = thetas + (size_t)s * dim;
    if (s == 0) {
      memcpy(th, theta, dim * sizeof(double));
    } else {
      gsl_rng *rs = invdes_rng_new(opt->seed, (uint64_t)s);
      if (!rs) {
        status = -1;
        goto done;
      }
      theta_random(rs, d, dim, th);
      gsl_rng_free(rs);
    }
  }

  int blas_threads = gp_blas_threads(1);
#pragma omp parallel for schedule(dynamic, 1)
  for (int s = 0; s < S; s++)
    rcs[s] = run_one(&sub, thetas + (size_t)s * dim, opt->max_eval,
                     m1 < m2 ? GP_FTOL_POLISH : GP_FTOL_FINAL, &fvals[s], &ev[s]);
  int best = -1;
  for (int s = 0; s < S; s++) {
    *evals += ev[s];
    if (rcs[s] != 0) status = -1;
    if (rcs[s] == 0 && isfinite(fvals[s]) && (best < 0 || fvals[s] < fvals[best])) best = s;
  }
  if (best >= 0) memcpy(theta, thetas + (size_t)best * dim, dim * sizeof(double));
  /* Curvature at the winner for the polish, still with one BLAS thread;
   * without it (a gradient not finite) the polish runs unpreconditioned. */
  int precondition = 0;
  double *H = NULL, *R = NULL;
  if (status == 0 && m1 < m2 && best >= 0) {
    H = malloc(dim * dim * sizeof(double));
    R = malloc(dim * dim * sizeof(double));
    int hrc = H && R ? hessian_fd(&sub, theta, dim, H, evals) : -1;
    if (hrc < 0) status = -1;
    if (hrc == 0) precondition = precond_factor(H, dim, R) == 0;
  }
  if (status == 0 && m1 < m2) {
    if (precondition) { /* the likelihood part of H grows with the data */
      double scale = sqrt((double)m2 / (double)m1);
      for (size_t q = 0; q < dim * dim; q++) R[q] /= scale;
    }
    gp_data pol = m2 < n ? subset(data, idx, m2, buf) : *data; /* sub is gone */
    double th[dim], f;
    memcpy(th, theta, dim * sizeof(double));
    int prc = precondition
                  ? run_precond(&pol, th, R, opt->max_eval, GP_FTOL_POLISH, &f, evals)
                  : run_one(&pol, th, opt->max_eval, GP_FTOL_POLISH, &f, evals);
    if (prc != 0)
      status = -1;
    else if (isfinite(f))
      memcpy(theta, th, dim * sizeof(double));
  }
  gp_blas_threads(blas_threads);
  free(H);
  free(R);
done:
  free(idx);
  free(buf);
  free(thetas);
  free(fvals);
  free(ev);
  free(rcs);
  gsl_rng_free(r);
  return status;
}
