/* surrogate.c — dispatch from the common surrogate interface to the GP or the
 * random forest. Holds no numerics of its own: every check and every number
 * comes from gp.c or rf.c. */
#include "surrogate.h"

#include <stdlib.h>
#include <string.h>

struct invdes_surrogate {
  invdes_model_kind kind;
  invdes_gp *gp;
  invdes_rf *rf;
  int fitted;
};

void invdes_surrogate_options_init(invdes_surrogate_options *o) {
  memset(o, 0, sizeof *o);
  invdes_gp_options_init(&o->gp);
  invdes_rf_options_init(&o->rf);
}

void invdes_surrogate_options_set_seed(invdes_surrogate_options *o, uint64_t seed) {
  o->gp.seed = seed;
  o->rf.seed = seed;
}

const char *invdes_model_kind_name(invdes_model_kind kind) {
  switch (kind) {
  case INVDES_MODEL_GP: return "gp";
  case INVDES_MODEL_RF: return "rf";
  }
  return "?";
}

invdes_status invdes_model_kind_parse(const char *name, invdes_model_kind *out,
                                      invdes_error *err) {
  if (name && strcmp(name, "gp") == 0) *out = INVDES_MODEL_GP;
  else if (name && strcmp(name, "rf") == 0) *out = INVDES_MODEL_RF;
  else
    return invdes_error_set(err, INVDES_ERR_INVALID,
                            "unknown model '%s' (expected gp or rf)",
                            name ? name : "(null)");
  return INVDES_OK;
}

invdes_surrogate *invdes_surrogate_new(invdes_model_kind kind,
                                       const invdes_surrogate_options *opt) {
  invdes_surrogate_options def;
  if (!opt) {
    invdes_surrogate_options_init(&def);
    opt = &def;
  }
  if (kind != INVDES_MODEL_GP && kind != INVDES_MODEL_RF) return NULL;
  invdes_surrogate *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->kind = kind;
  if (kind == INVDES_MODEL_GP) s->gp = invdes_gp_new(&opt->gp);
  else s->rf = invdes_rf_new(&opt->rf);
  if (!s->gp && !s->rf) {
    free(s);
    return NULL;
  }
  return s;
}

void invdes_surrogate_free(invdes_surrogate *s) {
  if (!s) return;
  invdes_gp_free(s->gp);
  invdes_rf_free(s->rf);
  free(s);
}

invdes_model_kind invdes_surrogate_model(const invdes_surrogate *s) { return s->kind; }

invdes_status invdes_surrogate_fit(invdes_surrogate *s, const double *X, size_t n,
                                   size_t d, const double *y,
                                   const double *noise_var, invdes_error *err) {
  if (!s) return invdes_error_set(err, INVDES_ERR_USAGE, "surrogate: NULL handle");
  invdes_status st = s->gp ? invdes_gp_fit(s->gp, X, n, d, y, noise_var, err)
                           : invdes_rf_fit(s->rf, X, n, d, y, noise_var, err);
  /* The GP keeps its previous fit on error; the forest drops it. */
  if (st == INVDES_OK) s->fitted = 1;
  else if (s->rf) s->fitted = 0;
  return st;
}

invdes_status invdes_surrogate_predict(const invdes_surrogate *s, const double *X,
                                       size_t m, double *mean, double *var,
                                       invdes_error *err) {
  if (!s || !s->fitted)
    return invdes_error_set(err, INVDES_ERR_USAGE,
                            "surrogate: predict called before a successful fit");
  return s->gp ? invdes_gp_predict(s->gp, X, m, mean, var, err)
               : invdes_rf_predict(s->rf, X, m, mean, var, err);
}

int invdes_surrogate_has_gradient(const invdes_surrogate *s) {
  return s && s->gp != NULL;
}

invdes_status invdes_surrogate_predict_grad(const invdes_surrogate *s,
                                            const double *X, size_t m,
                                            double *mean, double *var,
                                            double *dmean, double *dvar,
                                            invdes_error *err) {
  if (!s || !s->fitted)
    return invdes_error_set(err, INVDES_ERR_USAGE,
                            "surrogate: predict called before a successful fit");
  if (!s->gp)
    return invdes_error_set(err, INVDES_ERR_USAGE,
                            "surrogate: the %s model has no gradients",
                            invdes_model_kind_name(s->kind));
  return invdes_gp_predict_grad(s->gp, X, m, mean, var, dmean, dvar, err);
}

double invdes_surrogate_noise_var(const invdes_surrogate *s) {
  if (!s || !s->fitted || !s->gp) return 0.0;
  return invdes_gp_noise_var(s->gp);
}

invdes_gp *invdes_surrogate_gp(invdes_surrogate *s) { return s ? s->gp : NULL; }

invdes_rf *invdes_surrogate_rf(invdes_surrogate *s) { return s ? s->rf : NULL; }
