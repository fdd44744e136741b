/* evo_model.c — the surrogate a surrogate-assisted pso or ga moves on
 * (evo.h): the `surrogate` key of their options, the fit on the told
 * history and the optimistic bound the population is ranked by.
 *
 * Response. pso and ga only ever compare results (target.h's ranking:
 * Deb's feasibility rules over any number of targets, failures last), so
 * the model learns that order and nothing the order does not say: each
 * distinct told z with a known score gets the normal score of its rank,
 * Phi^-1((r + 1/2) / n) for rank r of n (best most negative; tied scores
 * share their mean rank). This is invariant to any monotone change of the
 * objective (Rosenbrock's huge range, a log scale) and puts failures at the
 * bottom, where the model steers the population away from them.
 *
 * Fit. Afresh whenever the history changed, from the campaign's seed and
 * the data alone (no hyper-parameters carried from fit to fit), so a
 * resumed run refits exactly the model the uninterrupted run had: the
 * model is not part of the saved state. Forests use BO's settings (100
 * trees, random thresholds).
 *
 * Ranking. acq = mean - EVO_MODEL_KAPPA sd, an optimistic (lower
 * confidence) bound in units of the normal scores: a point the model knows
 * little about is tried before a known mediocre one, and among equally
 * known points the lower mean wins. */
#include "evo.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EVO_MODEL_KAPPA 1.0
#define EVO_MODEL_RF_TREES 100

static invdes_status nomem(invdes_error *err) {
  return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
}

void invdes_evo_read_surrogate(invdes_cload *L, const invdes_ynode *v,
                               const char *what,
                               const invdes_surrogate_type **out) {
  char label[64];
  snprintf(label, sizeof label, "%s surrogate", what);
  int k = invdes_cload_choice(L, v, label, invdes_surrogate_type_names());
  if (k >= 0) *out = invdes_surrogate_type_at((size_t)k);
}

void invdes_evo_model_init(invdes_evo_model *em,
                           const invdes_surrogate_type *kind, uint64_t seed) {
  memset(em, 0, sizeof *em);
  em->kind = kind;
  em->seed = seed;
}

void invdes_evo_model_free(invdes_evo_model *em) {
  invdes_surrogate_free(em->m);
  free(em->X);
  free(em->y);
  free(em->mean);
  free(em->var);
  invdes_evo_model_init(em, em->kind, em->seed);
}

static int grow(double **a, size_t n) {
  double *t = realloc(*a, (n + 1) * sizeof *t);
  if (!t) return -1;
  *a = t;
  return 0;
}

/* The training set: distinct told z by rank, responses the normal scores. */
static invdes_status training_set(const invdes_strategy *s,
                                  const invdes_evo_hist *h,
                                  invdes_evo_model *em, invdes_error *err) {
  size_t D = s->dim, n = 0;
  if (h->n_ranked > em->cap) {
    if (grow(&em->X, h->n_ranked * D) || grow(&em->y, h->n_ranked))
      return nomem(err);
    em->cap = h->n_ranked;
  }
  size_t *idx = malloc((h->n_ranked + 1) * sizeof *idx);
  if (!idx) return nomem(err);
  for (size_t k = 0; k < h->n_ranked; k++) {
    size_t i = h->order[k];
    if (invdes_evo_hist_find(h, s->h_z + i * D) == i) idx[n++] = i;
  }
  for (size_t a = 0; a < n;) {
    size_t b = a + 1;
    while (b < n && invdes_score_compare(&h->sc[idx[a]], &h->sc[idx[b]]) == 0)
      b++;
    double r = 0.5 * (double)(a + b - 1); /* the tie's mean rank */
    double q = gsl_cdf_ugaussian_Pinv((r + 0.5) / (double)n);
    for (size_t k = a; k < b; k++) {
      memcpy(em->X + k * D, s->h_z + idx[k] * D, D * sizeof *em->X);
      em->y[k] = q;
    }
    a = b;
  }
  em->n_fit = n;
  free(idx);
  return INVDES_OK;
}

invdes_status invdes_evo_model_update(const invdes_strategy *s,
                                      const invdes_evo_hist *h,
                                      invdes_evo_model *em, invdes_error *err) {
  if (em->m && em->version == s->hist_version) return INVDES_OK;
  invdes_surrogate_free(em->m);
  em->m = NULL;
  invdes_status st = training_set(s, h, em, err);
  if (st || em->n_fit < EVO_MODEL_MIN_POINTS) return st;
  invdes_surrogate_options o;
  invdes_surrogate_options_init(&o);
  invdes_surrogate_options_set_seed(&o, em->seed);
  o.rf.n_trees = EVO_MODEL_RF_TREES;
  o.rf.random_threshold = 1;
  invdes_surrogate *m = invdes_surrogate_new(em->kind, &o);
  if (!m) return nomem(err);
  st = invdes_surrogate_fit(m, em->X, em->n_fit, s->dim, em->y, NULL, err);
  if (st) {
    invdes_surrogate_free(m);
    return st;
  }
  em->m = m;
  em->version = s->hist_version;
  return INVDES_OK;
}

invdes_status invdes_evo_model_acq(invdes_evo_model *em, const double *Z,
                                   size_t m, double *acq, invdes_error *err) {
  if (m > em->pcap) {
    if (grow(&em->mean, m) || grow(&em->var, m)) return nomem(err);
    em->pcap = m;
  }
  invdes_status st = invdes_surrogate_predict(em->m, Z, m, em->mean, em->var, err);
  if (st) return st;
  for (size_t i = 0; i < m; i++) {
    double v = em->var[i] > 0 ? em->var[i] : 0;
    acq[i] = em->mean[i] - EVO_MODEL_KAPPA * sqrt(v);
    if (!isfinite(acq[i])) acq[i] = INFINITY;
  }
  return INVDES_OK;
}
