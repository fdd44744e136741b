/* acquisition.h — acquisition functions of Bayesian optimization and the
 * chance that an outcome meets a window or a threshold, each with its
 * derivatives with respect to the predictive mean and standard deviation.
 *
 * The objective functions work on an objective to MAXIMIZE whose prediction
 * at a point is normal with mean mu and standard deviation sd (> 0); `best`
 * is the incumbent (the best value observed) in the same units:
 *  - EI  = E[max(Y - best - xi, 0)] = sd h(u), u = (mu - best - xi)/sd,
 *          h(u) = u Phi(u) + phi(u);
 *  - logEI = log EI, computed without underflow for any u (for u < -1 through
 *          the Mills ratio; an asymptotic series beyond u = -40), so it keeps
 *          ranking points where EI itself is 0 in double precision;
 *  - PI  = Phi(u);
 *  - UCB = mu + sqrt(beta) sd.
 * The feasibility functions give P(lo <= Y <= hi) for Y normal(mu, sd²)
 * (below: lo = -inf; above: hi = +inf), or its logarithm, again accurate far
 * in the tails. Pure functions of their arguments; no state, thread-safe.
 * This module knows nothing of models, targets or campaigns: the bo strategy
 * (bo.c, bo_model.c, bo_score.c, bo_opt.c) builds its scores from these pieces. */
#ifndef INVDES_ACQUISITION_H
#define INVDES_ACQUISITION_H

/* log Phi(u) for any finite u (accurate far in the lower tail). */
double invdes_acq_log_cdf(double u);

/* log h(u), h(u) = u Phi(u) + phi(u) > 0 (the standardized EI). */
double invdes_acq_log_h(double u);

/* EI and its derivatives d/dmu, d/dsd (either pointer may be NULL). */
double invdes_acq_ei(double mu, double sd, double best, double xi,
                     double *d_mu, double *d_sd);
/* log EI and its derivatives. */
double invdes_acq_log_ei(double mu, double sd, double best, double xi,
                         double *d_mu, double *d_sd);
/* PI = P(Y > best + xi) and its derivatives. */
double invdes_acq_pi(double mu, double sd, double best, double xi,
                     double *d_mu, double *d_sd);
/* UCB and its derivatives. */
double invdes_acq_ucb(double mu, double sd, double beta, double *d_mu,
                      double *d_sd);

/* The GP-UCB schedule used by bo: beta_t = 0.2 * 2 log(dim t² pi² / (6 δ))
 * with δ = 0.1 and t = max(n_obs, 1) (Srinivas et al. 2010, scaled by 0.2 as
 * is common in practice; about 5.5 for dim 6 at t = 100). */
double invdes_acq_ucb_beta(unsigned long dim, unsigned long n_obs);

/* P(lo <= Y <= hi) for Y ~ N(mu, sd²), lo < hi (either may be infinite), and
 * its derivatives. With `log_form` the logarithm (and the derivatives of
 * the logarithm) instead, finite even where the probability underflows. */
double invdes_acq_prob_between(double mu, double sd, double lo, double hi,
                               int log_form, double *d_mu, double *d_sd);

#endif
