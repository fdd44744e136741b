/* bo_score.c — the score the bo strategy maximizes, from the
 * per-target predictions of its model (bo.h), with its gradient in
 * z for the GP; and the predictions reported with a proposal.
 *
 * Score = acquisition of the combined objective g (mean and variance summed
 * over the objective targets, standardized; acquisition.h) times the
 * product of the constraint targets' chances of being met (logei: log
 * acquisition plus the sum of the log chances). With no objective target,
 * or while no observation is feasible, the score is the chance of meeting
 * every constraint. Once a failure is told, the score is also multiplied by
 * the chance of success (bo_feasible.c). UCB is shifted by the smallest observed g, so that it is
 * >= 0 where it matters and a product with chances ranks sensibly. Variances
 * are floored at BO_MIN_VAR (standardized) so a score never divides by 0.
 * With a reported sd, EI and log EI carry augmented EI's factor
 * (bo_noise.c), with its gradient.
 * On a multi-objective campaign the objective part is bo_mo.c's (EHVI or
 * ParEGO; its logarithm for logei), times the same chances.
 * With hyper-parameter samples (bo_hyper_mcmc.c) the score is their
 * average, taken before the chance of success multiplies it.
 * This file fits nothing and chooses no points. */
#include "bo.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "acquisition.h"

#define BO_MIN_VAR 1e-12

static invdes_status nomem(invdes_error *err) {
  return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
}

static invdes_status reserve_points(bo_model *m, size_t k, invdes_error *err) {
  if (k <= m->cap) return INVDES_OK;
  free(m->mu);
  free(m->var);
  m->mu = malloc((m->T * k + 1) * sizeof *m->mu);
  m->var = malloc((m->T * k + 1) * sizeof *m->var);
  m->cap = m->mu && m->var ? k : 0;
  return m->cap ? INVDES_OK : nomem(err);
}

/* The acquisition of the objective at one point: value, d/dmu, d/dsd. */
static double objective_acq(const bo_model *m, double mu, double sd,
                            double *a_mu, double *a_sd) {
  switch (m->kind) {
  case INVDES_ACQ_LOGEI:
    return invdes_acq_log_ei(mu, sd, m->best, m->xi, a_mu, a_sd);
  case INVDES_ACQ_PI:
    return invdes_acq_pi(mu, sd, m->best, m->xi, a_mu, a_sd);
  case INVDES_ACQ_UCB: /* shifted so that it is >= 0 where it matters */
    return invdes_acq_ucb(mu, sd, m->beta, a_mu, a_sd) - m->floor;
  default:
    return invdes_acq_ei(mu, sd, m->best, m->xi, a_mu, a_sd);
  }
}

/* Score of point i from the predictions in m->mu / m->var (column i of T ×
 * k), and, with dS (2 T values), dS/dmu_t and dS/dvar_t. */
static double score_point(const bo_model *m, size_t i, size_t k, double *dS) {
  int logf = m->kind == INVDES_ACQ_LOGEI;
  double mu_g = 0, var_g = 0;
  for (size_t t = 0; t < m->T; t++) {
    const bo_target *bt = &m->t[t];
    if (bt->role != BO_ROLE_OBJECTIVE || !bt->sur || m->feas_only) continue;
    double v = fmax(m->var[t * k + i], 0);
    mu_g += bt->weight * bt->sign * (m->mu[t * k + i] - bt->mean) / bt->sd;
    var_g += bt->weight * bt->weight * v / (bt->sd * bt->sd);
  }
  int floored = var_g < BO_MIN_VAR;
  double sd_g = sqrt(floored ? BO_MIN_VAR : var_g);
  double a_mu = 0, a_sd = 0;
  double A = m->feas_only ? (logf ? 0 : 1)
             : m->mo     ? (logf ? log(bo_mo_acq(m, i, k)) : bo_mo_acq(m, i, k))
                         : objective_acq(m, mu_g, sd_g, &a_mu, &a_sd);
  if (m->aei_var > 0 && !m->feas_only && !m->mo) { /* augmented EI */
    double s2 = m->aei_var, q = sd_g * sd_g + s2, rq = sqrt(q);
    double f = 1 - sqrt(s2) / rq, df = sqrt(s2) * sd_g / (q * rq);
    if (logf) {
      A += log(f);
      a_sd += df / f;
    } else {
      a_sd = a_sd * f + A * df;
      a_mu *= f;
      A *= f;
    }
  }
  double lp_sum = 0, p_prod = 1;
  double P[m->T ? m->T : 1], p_mu[m->T ? m->T : 1], p_sd[m->T ? m->T : 1];
  double sdc[m->T ? m->T : 1];
  for (size_t t = 0; t < m->T; t++) {
    const bo_target *bt = &m->t[t];
    P[t] = logf ? 0 : 1;
    p_mu[t] = p_sd[t] = 0;
    if (bt->role != BO_ROLE_CONSTRAINT || !bt->sur) continue;
    double v = fmax(m->var[t * k + i], 0) +
               invdes_surrogate_noise_var(bt->sur);
    sdc[t] = sqrt(fmax(v, BO_MIN_VAR * bt->sd * bt->sd));
    P[t] = invdes_acq_prob_between(m->mu[t * k + i], sdc[t], bt->lo, bt->hi,
                                   logf, &p_mu[t], &p_sd[t]);
    lp_sum += P[t];
    p_prod *= P[t];
  }
  double S = logf ? A + lp_sum : A * p_prod;
  if (dS) {
    for (size_t t = 0; t < m->T; t++) {
      const bo_target *bt = &m->t[t];
      dS[2 * t] = dS[2 * t + 1] = 0;
      if (!bt->sur) continue;
      if (bt->role == BO_ROLE_OBJECTIVE && !m->feas_only) {
        double f = logf ? 1 : p_prod;
        dS[2 * t] = f * a_mu * bt->weight * bt->sign / bt->sd;
        if (!floored && m->var[t * k + i] > 0)
          dS[2 * t + 1] = f * a_sd * bt->weight * bt->weight /
                          (bt->sd * bt->sd * 2 * sd_g);
      } else if (bt->role == BO_ROLE_CONSTRAINT) {
        double f = 1;
        if (!logf) { /* product of the other factors */
          f = A;
          for (size_t u = 0; u < m->T; u++)
            if (u != t) f *= P[u];
        }
        dS[2 * t] = f * p_mu[t];
        dS[2 * t + 1] = f * p_sd[t] / (2 * sdc[t]);
      }
    }
  }
  return S;
}

invdes_status bo_model_score_one(bo_model *m, const double *Z, size_t k,
                                 double *score, double *grad, invdes_error *err) {
  invdes_status st = reserve_points(m, k, err);
  if (st) return st;
  int with_grad = grad && k == 1 && m->grad;
  for (size_t t = 0; t < m->T; t++) {
    bo_target *bt = &m->t[t];
    if (!bt->sur) continue;
    st = with_grad
             ? invdes_surrogate_predict_grad(bt->sur, Z, 1, m->mu + t, m->var + t,
                                             m->dmu + t * m->D,
                                             m->dvar + t * m->D, err)
             : invdes_surrogate_predict(bt->sur, Z, k, m->mu + t * k,
                                        m->var + t * k, err);
    if (st) return st;
  }
  double dS[2 * m->T + 2];
  for (size_t i = 0; i < k; i++) {
    double S = score_point(m, i, k, with_grad ? dS : NULL);
    int ok = isfinite(S);
    score[i] = ok ? S : -HUGE_VAL;
    if (!with_grad) continue;
    for (size_t j = 0; j < m->D; j++) {
      double g = 0;
      for (size_t t = 0; ok && t < m->T; t++)
        if (m->t[t].sur)
          g += dS[2 * t] * m->dmu[t * m->D + j] +
               dS[2 * t + 1] * m->dvar[t * m->D + j];
      grad[j] = isfinite(g) ? g : 0;
    }
  }
  return INVDES_OK;
}

invdes_status bo_model_score(bo_model *m, const double *Z, size_t k,
                             double *score, double *grad, invdes_error *err) {
  if (!(k == 1 && m->grad)) grad = NULL;
  invdes_status st = m->n_samp ? bo_mcmc_score(m, Z, k, score, grad, err)
                               : bo_model_score_one(m, Z, k, score, grad, err);
  return st ? st : bo_feasible_apply(m, Z, k, score, grad, err);
}

invdes_status bo_model_report(bo_model *m, const double *Z, size_t k,
                              double *mean, double *sd, invdes_error *err) {
  invdes_status st = reserve_points(m, k, err);
  for (size_t t = 0; !st && t < m->T; t++) {
    bo_target *bt = &m->t[t];
    invdes_surrogate *r = bt->base;
    if (!r) {
      for (size_t i = 0; i < k; i++) mean[i * m->T + t] = sd[i * m->T + t] = NAN;
      continue;
    }
    invdes_surrogate_condition_clear(r);
    st = invdes_surrogate_predict(r, Z, k, m->mu, m->var, err);
    double noise = invdes_surrogate_noise_var(r);
    for (size_t i = 0; !st && i < k; i++) {
      mean[i * m->T + t] = m->mu[i];
      sd[i * m->T + t] = sqrt(fmax(m->var[i], 0) + noise);
    }
  }
  return st;
}
