/* acquisition.c — EI, log EI, PI, UCB and the probability of a window, with
 * their derivatives (acquisition.h).
 *
 * The only delicate part is the lower tail: EI and the probability of a far
 * window underflow long before their logarithms stop being informative, so
 * the log forms go through log Phi (GSL's log erfc) and, for EI, through the
 * Mills ratio Phi(-v)/phi(v) = 1/hazard(v) (GSL's hazard function), with an
 * asymptotic series where even that cancels. No state; nothing here knows
 * what is being optimized. */
#include "acquisition.h"

#include <math.h>

#include <gsl/gsl_sf_erf.h>

#define LOG_SQRT_2PI 0.91893853320467274178
#define SQRT1_2 0.70710678118654752440
#define PI_SQ 9.86960440108935861883
#define LN2 0.69314718055994530942

static double phi(double u) { return exp(-0.5 * u * u - LOG_SQRT_2PI); }
static double log_phi(double u) { return -0.5 * u * u - LOG_SQRT_2PI; }
static double cdf(double u) { return 0.5 * erfc(-u * SQRT1_2); }

double invdes_acq_log_cdf(double u) {
  if (u > 5) return log1p(-0.5 * erfc(u * SQRT1_2));
  return gsl_sf_log_erfc(-u * SQRT1_2) - LN2;
}

double invdes_acq_log_h(double u) {
  if (u >= -1) return log(u * cdf(u) + phi(u));
  double v = -u;
  if (v < 40) /* h(u) = phi(v) (1 - v Phi(-v)/phi(v)) */
    return log_phi(v) + log1p(-v / gsl_sf_hazard(v));
  /* 1 - v m(v) = v^-2 - 3 v^-4 + 15 v^-6 - 105 v^-8 + 945 v^-10 - ... */
  double w = 1 / (v * v);
  double s = w * (1 + w * (-3 + w * (15 + w * (-105 + w * 945))));
  return log_phi(v) + log(s);
}

double invdes_acq_ei(double mu, double sd, double best, double xi,
                     double *d_mu, double *d_sd) {
  double u = (mu - best - xi) / sd;
  double h = u >= -1 ? u * cdf(u) + phi(u) : exp(invdes_acq_log_h(u));
  if (d_mu) *d_mu = cdf(u);
  if (d_sd) *d_sd = phi(u);
  return sd * h;
}

double invdes_acq_log_ei(double mu, double sd, double best, double xi,
                         double *d_mu, double *d_sd) {
  double u = (mu - best - xi) / sd;
  double lh = invdes_acq_log_h(u);
  if (d_mu) *d_mu = exp(invdes_acq_log_cdf(u) - lh) / sd;
  if (d_sd) *d_sd = exp(log_phi(u) - lh) / sd;
  return log(sd) + lh;
}

double invdes_acq_pi(double mu, double sd, double best, double xi,
                     double *d_mu, double *d_sd) {
  double u = (mu - best - xi) / sd;
  double p = phi(u);
  if (d_mu) *d_mu = p / sd;
  if (d_sd) *d_sd = -u * p / sd;
  return cdf(u);
}

double invdes_acq_ucb(double mu, double sd, double beta, double *d_mu,
                      double *d_sd) {
  double k = sqrt(beta);
  if (d_mu) *d_mu = 1;
  if (d_sd) *d_sd = k;
  return mu + k * sd;
}

double invdes_acq_ucb_beta(unsigned long dim, unsigned long n_obs) {
  double t = n_obs ? (double)n_obs : 1.0;
  double D = dim ? (double)dim : 1.0;
  return 0.2 * 2 * log(D * t * t * PI_SQ / (6 * 0.1));
}

/* u phi(u), 0 at infinity. */
static double uphi(double u) { return isinf(u) ? 0.0 : u * phi(u); }

double invdes_acq_prob_between(double mu, double sd, double lo, double hi,
                               int log_form, double *d_mu, double *d_sd) {
  double a = (lo - mu) / sd, b = (hi - mu) / sd;
  double pa = isinf(a) ? 0.0 : phi(a), pb = isinf(b) ? 0.0 : phi(b);
  double dmu = (pa - pb) / sd, dsd = (uphi(a) - uphi(b)) / sd;
  if (!log_form) {
    double p = a > 0 ? cdf(-a) - cdf(-b) : cdf(b) - cdf(a);
    if (d_mu) *d_mu = dmu;
    if (d_sd) *d_sd = dsd;
    return p;
  }
  double lp;
  if (b <= 0) { /* both ends in the lower tail */
    double lb = invdes_acq_log_cdf(b);
    lp = isinf(a) ? lb : lb + log1p(-exp(invdes_acq_log_cdf(a) - lb));
  } else if (a >= 0) { /* both in the upper tail */
    double la = invdes_acq_log_cdf(-a);
    lp = isinf(b) ? la : la + log1p(-exp(invdes_acq_log_cdf(-b) - la));
  } else {
    lp = log(cdf(b) - cdf(a));
  }
  /* d log P = dP / P, with phi/P formed in logs (both may underflow) */
  double ra = isinf(a) ? 0.0 : exp(log_phi(a) - lp);
  double rb = isinf(b) ? 0.0 : exp(log_phi(b) - lp);
  if (d_mu) *d_mu = (ra - rb) / sd;
  if (d_sd) *d_sd = ((isinf(a) ? 0.0 : a * ra) - (isinf(b) ? 0.0 : b * rb)) / sd;
  return lp;
}
