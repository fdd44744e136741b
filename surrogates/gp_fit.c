/* gp_fit.c — the hyper-parameter search: parallel multi-start L-BFGS on a
 * subset, then one polish on a larger subset.
 *
 * Likelihood evaluations cost O(n³), so starts run on a random subset of at
 * most opt->search_points points (all of them when n is small), one OpenMP
 * task per start, each from its own stream invdes_rng_new(seed, start); the
 * best start is chosen in start order after the parallel region, so the
 * result is the same for any thread count. The winner is then polished on
 * the first opt->polish_points points of the same random order (a superset),
 * with the BLAS free to use its threads. OpenBLAS is held to one thread while
 * the starts run, so BLAS and OpenMP threads do not oversubscribe the cores.
 * This file neither factors the final model nor touches the handle. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gp_internal.h"
#include "rng.h"

#ifdef HAVE_OPENBLAS
void openblas_set_num_threads(int);
int openblas_get_num_threads(void);
#endif

/* Convergence in nats of log likelihood: differences below these are far
 * inside the statistical uncertainty of the hyper-parameters. */
#define GP_FTOL_SEARCH 1e-3
#define GP_FTOL_POLISH 1e-3

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

int gp_search(const invdes_gp_options *opt, const gp_data *data, double *theta,
              size_t *evals) {
  size_t n = data->n, d = data->d;
  size_t dim = d + (data->noise ? 1 : 2);
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

#ifdef HAVE_OPENBLAS
  int blas_threads = openblas_get_num_threads();
  openblas_set_num_threads(1);
#endif
#pragma omp parallel for schedule(dynamic, 1)
  for (int s = 0; s < S; s++)
    rcs[s] = run_one(&sub, thetas + (size_t)s * dim, opt->max_eval, GP_FTOL_SEARCH, &fvals[s],
                     &ev[s]);
#ifdef HAVE_OPENBLAS
  openblas_set_num_threads(blas_threads);
#endif

  int best = -1;
  for (int s = 0; s < S; s++) {
    *evals += ev[s];
    if (rcs[s] != 0) status = -1;
    if (rcs[s] == 0 && isfinite(fvals[s]) && (best < 0 || fvals[s] < fvals[best])) best = s;
  }
  if (status != 0) goto done;
  if (best >= 0) memcpy(theta, thetas + (size_t)best * dim, dim * sizeof(double));

  if (m1 < n) {
    gp_data pol = m2 < n ? subset(data, idx, m2, buf) : *data;
    double th[dim], f;
    memcpy(th, theta, dim * sizeof(double));
    if (run_one(&pol, th, opt->max_eval, GP_FTOL_POLISH, &f, evals) != 0) {
      status = -1;
      goto done;
    }
    if (isfinite(f)) memcpy(theta, th, dim * sizeof(double));
  }
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
