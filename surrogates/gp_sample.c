/* gp_sample.c — samples of a fitted GP's hyper-parameters from their
 * posterior (likelihood × the priors of gp_lik.c), for callers that
 * integrate a quantity over hyper-parameter uncertainty instead of trusting
 * the one ML-II point (Snoek, Larochelle & Adams 2012, "Practical Bayesian
 * optimization of machine learning algorithms": EI averaged over such
 * samples).
 *
 * Method: univariate slice sampling with stepping out and shrinkage (Neal
 * 2003, "Slice sampling", Ann. Statist. 31), one coordinate of theta =
 * (log l_1..d, log s², [log τ²]) at a time in a fixed order, restricted to
 * the fit's search box (gp_lik_bounds), the chain started at the fitted
 * theta (the posterior's mode, so no long burn-in is needed). The stream is
 * invdes_rng_new(seed, 0): the same seed, data and fit give the same
 * samples, whatever the thread count (the likelihood over fewer than
 * GP_PAR_MIN points runs on one thread, and beyond that its values do not
 * depend on the thread count). This file changes no model. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gp_internal.h"
#include "rng.h"

#define SLICE_WIDTH 1.0    /* initial bracket, natural-log units */
#define SLICE_STEPS 4      /* stepping-out steps on each side at most */
#define SLICE_SHRINKS 30   /* shrinkage steps before the coordinate stays */

typedef struct chain {
  gp_lik *lik;
  unsigned dim;
  double *lo, *hi;
} chain;

/* Log posterior density (up to a constant) at theta; -inf when the
 * covariance cannot be factored. */
static double log_post(chain *c, const double *theta) {
  double f = gp_lik_objective(c->dim, theta, NULL, c->lik);
  return isfinite(f) ? -f : -HUGE_VAL;
}

/* One slice-sampling update of coordinate p of theta (log density *lp at
 * theta on entry, at the new theta on return). */
static void slice_update(chain *c, gsl_rng *r, double *theta, size_t p, double *lp) {
  double x0 = theta[p];
  double level = *lp + log(1.0 - gsl_rng_uniform(r)); /* log(u), u in (0,1] */
  double left = x0 - SLICE_WIDTH * gsl_rng_uniform(r), right = left + SLICE_WIDTH;
  for (int s = 0; s < SLICE_STEPS && left > c->lo[p]; s++) {
    theta[p] = left;
    if (log_post(c, theta) <= level) break;
    left -= SLICE_WIDTH;
  }
  for (int s = 0; s < SLICE_STEPS && right < c->hi[p]; s++) {
    theta[p] = right;
    if (log_post(c, theta) <= level) break;
    right += SLICE_WIDTH;
  }
  left = fmax(left, c->lo[p]);
  right = fmin(right, c->hi[p]);
  for (int s = 0; s < SLICE_SHRINKS; s++) {
    theta[p] = left + (right - left) * gsl_rng_uniform(r);
    double l = log_post(c, theta);
    if (l > level) {
      *lp = l;
      return;
    }
    if (theta[p] < x0) left = theta[p];
    else right = theta[p];
  }
  theta[p] = x0; /* the slice was not found: stay (a valid, if lazy, move) */
}

invdes_status invdes_gp_sample_hyper(const invdes_gp *gp, uint64_t seed, size_t n_samples,
                                     size_t burn, double *h, invdes_error *err) {
  if (!gp || !gp->fitted)
    return invdes_error_set(err, INVDES_ERR_USAGE, "gp: sampling needs a fitted GP");
  size_t d = gp->d;
  gp_data data = {gp->n_real, d, gp->cap, gp->Xt, gp->y, gp->noise, gp->opt.kernel,
                  gp->mixed};
  chain c = {gp_lik_new(&data), 0, NULL, NULL};
  gsl_rng *r = invdes_rng_new(seed, 0);
  double *buf = malloc(3 * (d + 2) * sizeof *buf);
  invdes_status st = INVDES_OK;
  if (!c.lik || !r || !buf) {
    st = invdes_error_set(err, INVDES_ERR_NOMEM, "gp: out of memory for sampling");
    goto done;
  }
  c.dim = (unsigned)gp_lik_dim(c.lik);
  double *theta = buf;
  c.lo = buf + (d + 2);
  c.hi = buf + 2 * (d + 2);
  gp_lik_bounds(c.lik, c.lo, c.hi);
  memcpy(theta, gp->theta, c.dim * sizeof *theta);
  for (unsigned p = 0; p < c.dim; p++) theta[p] = fmin(fmax(theta[p], c.lo[p]), c.hi[p]);
  int blas_threads = gp_blas_threads(1);
  double lp = log_post(&c, theta);
  double v = gp->ysd * gp->ysd;
  for (size_t it = 0; it < burn + n_samples && isfinite(lp); it++) {
    for (size_t p = 0; p < c.dim; p++) slice_update(&c, r, theta, p, &lp);
    if (it < burn) continue;
    double *o = h + (it - burn) * (d + 2);
    for (size_t k = 0; k < d; k++) o[k] = exp(theta[k]);
    o[d] = exp(theta[d]) * v;
    o[d + 1] = c.dim > d + 1 ? exp(theta[d + 1]) * v : 0.0;
  }
  gp_blas_threads(blas_threads);
  if (!isfinite(lp))
    st = invdes_error_set(err, INVDES_ERR_NUMERIC, "gp: the fitted covariance cannot be "
                          "factored for sampling");
done:
  gp_lik_free(c.lik);
  if (r) gsl_rng_free(r);
  free(buf);
  return st;
}

