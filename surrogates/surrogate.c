/* surrogate.c — the registry of surrogate kinds and the dispatch from the
 * common surrogate interface to a kind's table (surrogate_type.h). Holds no
 * numerics of its own: every check and every number comes from the kind's
 * file (gp.c, rf.c, knn.c). */
#include "surrogate_type.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The registry: every surrogate kind. Adding a kind adds its name here; its
 * entry is invdes_surrogate_type_<name>, defined in its own file. */
#define INVDES_SURROGATE_REGISTRY(X) X(gp) X(rf) X(knn)

#define DECLARE(name) extern const invdes_surrogate_type invdes_surrogate_type_##name;
INVDES_SURROGATE_REGISTRY(DECLARE)
#undef DECLARE
#define ENTRY(name) &invdes_surrogate_type_##name,
static const invdes_surrogate_type *const registry[] = {INVDES_SURROGATE_REGISTRY(ENTRY) NULL};
#undef ENTRY
#define NAME(name) #name,
static const char *const registry_names[] = {INVDES_SURROGATE_REGISTRY(NAME) NULL};
#undef NAME

struct invdes_surrogate {
  const invdes_surrogate_type *type;
  void *model;
  int fitted;
};

const invdes_surrogate_type *invdes_surrogate_type_find(const char *name) {
  for (size_t i = 0; name && registry[i]; i++)
    if (strcmp(registry[i]->name, name) == 0) return registry[i];
  return NULL;
}

const invdes_surrogate_type *invdes_surrogate_type_at(size_t i) {
  return i < sizeof registry / sizeof *registry ? registry[i] : NULL;
}

const char *const *invdes_surrogate_type_names(void) { return registry_names; }

unsigned invdes_surrogate_type_caps(const invdes_surrogate_type *t) {
  return t ? t->caps : 0;
}

const char *const *invdes_surrogate_type_keys(const invdes_surrogate_type *t) {
  static const char *const none[] = {NULL};
  return t && t->keys ? t->keys : none;
}

static int registered(const invdes_surrogate_type *t) {
  for (size_t i = 0; t && registry[i]; i++)
    if (registry[i] == t) return 1;
  return 0;
}

void invdes_surrogate_options_init(invdes_surrogate_options *o) {
  memset(o, 0, sizeof *o);
  invdes_gp_options_init(&o->gp);
  invdes_rf_options_init(&o->rf);
}

void invdes_surrogate_options_set_seed(invdes_surrogate_options *o, uint64_t seed) {
  o->gp.seed = seed;
  o->rf.seed = seed;
}

invdes_status invdes_surrogate_options_set(invdes_surrogate_options *o,
                                           const invdes_surrogate_type *t,
                                           const char *key, double value,
                                           invdes_error *err) {
  const char *const *keys = invdes_surrogate_type_keys(t);
  size_t k = 0;
  while (keys[k] && (!key || strcmp(keys[k], key) != 0)) k++;
  if (!keys[k])
    return invdes_error_set(err, INVDES_ERR_INVALID, "the %s surrogate has no "
                            "setting '%s'", invdes_model_kind_name(t),
                            key ? key : "(null)");
  if (!isfinite(value))
    return invdes_error_set(err, INVDES_ERR_INVALID, "'%s' must be a finite "
                            "number", key);
  if (t->check) {
    invdes_status st = t->check(key, value, err);
    if (st) return st;
  }
  size_t i = 0;
  while (i < o->n_settings && o->settings[i].key != keys[k]) i++;
  if (i == INVDES_SURROGATE_MAX_SETTINGS)
    return invdes_error_set(err, INVDES_ERR_INVALID, "too many surrogate "
                            "settings");
  o->settings[i].key = keys[k];
  o->settings[i].value = value;
  if (i == o->n_settings) o->n_settings++;
  return INVDES_OK;
}

double invdes_surrogate_options_get(const invdes_surrogate_options *o,
                                    const char *key, double dflt) {
  for (size_t i = 0; o && key && i < o->n_settings; i++)
    if (strcmp(o->settings[i].key, key) == 0) return o->settings[i].value;
  return dflt;
}

const char *invdes_model_kind_name(invdes_model_kind kind) {
  return kind ? kind->name : "?";
}

invdes_status invdes_model_kind_parse(const char *name, invdes_model_kind *out,
                                      invdes_error *err) {
  const invdes_surrogate_type *t = invdes_surrogate_type_find(name);
  if (t) {
    *out = t;
    return INVDES_OK;
  }
  char list[200] = "";
  size_t len = 0;
  for (size_t i = 0; registry[i] && len < sizeof list; i++)
    len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "",
                            registry[i]->name);
  return invdes_error_set(err, INVDES_ERR_INVALID,
                          "unknown model '%s' (expected one of: %s)",
                          name ? name : "(null)", list);
}

invdes_surrogate *invdes_surrogate_new(invdes_model_kind kind,
                                       const invdes_surrogate_options *opt) {
  invdes_surrogate_options def;
  if (!opt) {
    invdes_surrogate_options_init(&def);
    opt = &def;
  }
  if (!registered(kind)) return NULL;
  invdes_surrogate *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->type = kind;
  if (!(s->model = kind->create(opt))) {
    free(s);
    return NULL;
  }
  return s;
}

void invdes_surrogate_free(invdes_surrogate *s) {
  if (!s) return;
  s->type->destroy(s->model);
  free(s);
}

invdes_model_kind invdes_surrogate_model(const invdes_surrogate *s) { return s->type; }

invdes_status invdes_surrogate_fit(invdes_surrogate *s, const double *X, size_t n,
                                   size_t d, const double *y,
                                   const double *noise_var, invdes_error *err) {
  if (!s) return invdes_error_set(err, INVDES_ERR_USAGE, "surrogate: NULL handle");
  invdes_status st = s->type->fit(s->model, X, n, d, y, noise_var, err);
  if (st == INVDES_OK) s->fitted = 1;
  else if (!s->type->keeps_fit_on_error) s->fitted = 0;
  return st;
}

static invdes_status not_fitted(invdes_error *err) {
  return invdes_error_set(err, INVDES_ERR_USAGE,
                          "surrogate: predict called before a successful fit");
}

invdes_status invdes_surrogate_predict(const invdes_surrogate *s, const double *X,
                                       size_t m, double *mean, double *var,
                                       invdes_error *err) {
  if (!s || !s->fitted) return not_fitted(err);
  return s->type->predict(s->model, X, m, mean, var, err);
}

int invdes_surrogate_has_gradient(const invdes_surrogate *s) {
  return s && (s->type->caps & INVDES_SURROGATE_GRADIENTS) != 0;
}

invdes_status invdes_surrogate_predict_grad(const invdes_surrogate *s,
                                            const double *X, size_t m,
                                            double *mean, double *var,
                                            double *dmean, double *dvar,
                                            invdes_error *err) {
  if (!s || !s->fitted) return not_fitted(err);
  if (!s->type->predict_grad)
    return invdes_error_set(err, INVDES_ERR_USAGE,
                            "surrogate: the %s model has no gradients",
                            s->type->name);
  return s->type->predict_grad(s->model, X, m, mean, var, dmean, dvar, err);
}

invdes_status invdes_surrogate_condition(invdes_surrogate *s, const double *X,
                                         size_t m, invdes_error *err) {
  if (!s || !s->fitted) return not_fitted(err);
  if (!s->type->condition)
    return invdes_error_set(err, INVDES_ERR_USAGE, "surrogate: the %s model "
                            "cannot condition on pending points",
                            s->type->name);
  return s->type->condition(s->model, X, m, err);
}

void invdes_surrogate_condition_clear(invdes_surrogate *s) {
  if (s && s->type->condition_clear) s->type->condition_clear(s->model);
}

double invdes_surrogate_noise_var(const invdes_surrogate *s) {
  if (!s || !s->fitted || !s->type->noise_var) return 0.0;
  return s->type->noise_var(s->model);
}

/* The models inside, for features only one kind has (GP hyper-parameters,
 * RF out-of-bag error). */
extern const invdes_surrogate_type invdes_surrogate_type_gp, invdes_surrogate_type_rf;

invdes_gp *invdes_surrogate_gp(invdes_surrogate *s) {
  return s && s->type == &invdes_surrogate_type_gp ? s->model : NULL;
}

invdes_rf *invdes_surrogate_rf(invdes_surrogate *s) {
  return s && s->type == &invdes_surrogate_type_rf ? s->model : NULL;
}

size_t invdes_surrogate_type_hyper_size(const invdes_surrogate_type *t, size_t d) {
  return t && t->hyper_size ? t->hyper_size(d) : 0;
}

invdes_status invdes_surrogate_type_hyper_check(const invdes_surrogate_type *t,
                                                size_t d, const double *h,
                                                invdes_error *err) {
  if (!t || !t->hyper_size) return INVDES_OK;
  return t->hyper_check(d, h, err);
}

invdes_status invdes_surrogate_hyper_get(const invdes_surrogate *s, size_t d, double *h,
                                         invdes_error *err) {
  if (!s || !s->fitted) return not_fitted(err);
  if (s->type->hyper_size) s->type->hyper_get(s->model, d, h);
  return INVDES_OK;
}

invdes_status invdes_surrogate_hyper_set(invdes_surrogate *s, size_t d, const double *h,
                                         invdes_error *err) {
  if (!s) return invdes_error_set(err, INVDES_ERR_USAGE, "surrogate: NULL handle");
  if (!s->type->hyper_size) return INVDES_OK;
  return s->type->hyper_set(s->model, d, h, err);
}
