/* surrogate.h — one interface to the regression models a strategy uses.
 *
 * A surrogate is fitted to points X (n×d, row-major) with responses y and
 * then predicts a mean and a variance at new points, whatever model is behind
 * it: a Gaussian process (gp.h), a random forest (rf.h), or any kind in the
 * registry (surrogate_type.h; k nearest neighbours, knn.h). Inputs follow the
 * encoded-space contract, entries in [0,1] (the GP refuses anything else at
 * fit; the forest accepts any finite value). Responses are in the caller's
 * units; so are the returned mean and variance.
 *
 * What the variance means differs by model and is stated, not hidden:
 * - GP: the posterior variance of the latent function (noise excluded);
 *   invdes_surrogate_noise_var gives the learned observation noise.
 * - RF: spread of the tree means plus mean within-leaf variance, which already
 *   includes the observation noise; invdes_surrogate_noise_var returns 0.
 * - kNN: the neighbours' weighted spread plus a floor growing with the
 *   distance to the nearest point (knn.h); invdes_surrogate_noise_var
 *   returns 0.
 * So var + noise_var is, for each, the predictive variance of a new
 * measurement. Gradients and conditioning on pending points are part of
 * this interface for the kinds whose flags say so; what only one model has
 * (GP hyper-parameters, RF out-of-bag error) is reached through the
 * borrowed handles invdes_surrogate_gp / invdes_surrogate_rf.
 *
 * A kind says what it can do by capability flags (gradients, conditioning
 * on pending points, per-point noise); callers ask those, not the kind.
 * This module only dispatches: it knows nothing of campaigns, spaces or
 * strategies, and it never prints. */
#ifndef INVDES_SURROGATE_H
#define INVDES_SURROGATE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "gp.h"
#include "invdes_export.h"
#include "rf.h"

/* A surrogate kind: an entry of the registry (surrogate_type.h), found by
 * name. invdes_model_kind is the older name of a pointer to one. */
typedef struct invdes_surrogate_type invdes_surrogate_type;
typedef const invdes_surrogate_type *invdes_model_kind;

/* Capabilities a kind may have, which a strategy asks instead of its name. */
#define INVDES_SURROGATE_GRADIENTS 1u  /* predict_grad: d mean, d var / d x */
#define INVDES_SURROGATE_CONDITIONS 2u /* conditions on pending points
                                          (fantasies) without a refit */
#define INVDES_SURROGATE_POINT_NOISE 4u /* uses per-point noise variances */
#define INVDES_SURROGATE_KERNEL 8u      /* takes a kernel (bo's `kernel`,
                                           invdes_gp_options.kernel) */
#define INVDES_SURROGATE_AVERAGES 16u   /* its mean is a weighted average of
                                           the observed values, never better
                                           than the best (rf, knn): bo
                                           searches a trust region */

/* The two kinds invdes started with, for callers that name them. */
#define INVDES_MODEL_GP invdes_surrogate_type_find("gp")
#define INVDES_MODEL_RF invdes_surrogate_type_find("rf")

#define INVDES_SURROGATE_MAX_SETTINGS 8

/* A numeric setting of a kind that has no part of its own below (knn's
 * "k"); key is borrowed from the kind's table. */
typedef struct invdes_surrogate_setting {
  const char *key;
  double value;
} invdes_surrogate_setting;

/* Options for any model; each kind reads only its part (gp, rf) or its
 * named settings. */
typedef struct invdes_surrogate_options {
  invdes_gp_options gp;
  invdes_rf_options rf;
  size_t n_settings;
  invdes_surrogate_setting settings[INVDES_SURROGATE_MAX_SETTINGS];
} invdes_surrogate_options;

typedef struct invdes_surrogate invdes_surrogate;

/* Fills both parts with their defaults. */
INVDES_API
void invdes_surrogate_options_init(invdes_surrogate_options *opt);

/* Sets the random seed of both parts (GP starts, RF trees). */
INVDES_API
void invdes_surrogate_options_set_seed(invdes_surrogate_options *opt, uint64_t seed);

/* The registered kind named `name` (exact), or NULL. */
INVDES_API
const invdes_surrogate_type *invdes_surrogate_type_find(const char *name);
/* The i-th kind of the registry, NULL past the end. */
INVDES_API
const invdes_surrogate_type *invdes_surrogate_type_at(size_t i);
/* The registry's names, NULL-terminated (static). */
INVDES_API
const char *const *invdes_surrogate_type_names(void);
/* The kind's capabilities (INVDES_SURROGATE_*); 0 for NULL. */
INVDES_API
unsigned invdes_surrogate_type_caps(const invdes_surrogate_type *t);
/* The names of the kind's numeric settings, NULL-terminated (never NULL). */
INVDES_API
const char *const *invdes_surrogate_type_keys(const invdes_surrogate_type *t);

/* Sets the kind's setting `key` to value (replacing an earlier one):
 * INVDES_ERR_INVALID for a key the kind does not have or a value out of its
 * range, with a message. */
INVDES_API
invdes_status invdes_surrogate_options_set(invdes_surrogate_options *opt,
                                           const invdes_surrogate_type *t,
                                           const char *key, double value,
                                           invdes_error *err);
/* The value of setting key, or dflt when it was not set. */
INVDES_API
double invdes_surrogate_options_get(const invdes_surrogate_options *opt,
                                    const char *key, double dflt);

/* The kind's name ("gp", "rf", ...); "?" for NULL. */
INVDES_API
const char *invdes_model_kind_name(invdes_model_kind kind);

/* Looks a registered kind up by name (exact); INVDES_ERR_INVALID with a
 * message listing the kinds otherwise. */
INVDES_API
invdes_status invdes_model_kind_parse(const char *name, invdes_model_kind *out,
                                      invdes_error *err);

/* A new, unfitted surrogate of a registered kind; opt NULL means defaults.
 * NULL when out of memory, for an unknown kind or when the options are out
 * of range. The caller frees it. */
INVDES_API
invdes_surrogate *invdes_surrogate_new(invdes_model_kind kind,
                                       const invdes_surrogate_options *opt);

/* Frees the surrogate and the model inside; NULL is a no-op. */
INVDES_API
void invdes_surrogate_free(invdes_surrogate *s);

INVDES_API
invdes_model_kind invdes_surrogate_model(const invdes_surrogate *s);

/* Fits to n points (see gp.h / rf.h for the exact checks). noise_var: NULL, or
 * n per-point variances in units of y² (used by the GP; the forest ignores
 * them). A refit replaces the previous model. */
INVDES_API
invdes_status invdes_surrogate_fit(invdes_surrogate *s, const double *X, size_t n,
                                   size_t d, const double *y,
                                   const double *noise_var, invdes_error *err);

/* Mean and variance at m points X (m×d, d as fitted). var may be NULL.
 * INVDES_ERR_USAGE before a successful fit. */
INVDES_API
invdes_status invdes_surrogate_predict(const invdes_surrogate *s, const double *X,
                                       size_t m, double *mean, double *var,
                                       invdes_error *err);

/* 1 when the model gives gradients of mean and variance (its kind has
 * INVDES_SURROGATE_GRADIENTS), else 0. */
INVDES_API
int invdes_surrogate_has_gradient(const invdes_surrogate *s);

/* As predict plus gradients with respect to the input (m×d row-major, either
 * may be NULL). INVDES_ERR_USAGE for a model without gradients. */
INVDES_API
invdes_status invdes_surrogate_predict_grad(const invdes_surrogate *s,
                                            const double *X, size_t m,
                                            double *mean, double *var,
                                            double *dmean, double *dvar,
                                            invdes_error *err);

/* Conditions the fitted model on m pending points X at its own mean
 * (fantasies; kinds with INVDES_SURROGATE_CONDITIONS, else
 * INVDES_ERR_USAGE); predictions then include them until the next fit or
 * invdes_surrogate_condition_clear. */
INVDES_API
invdes_status invdes_surrogate_condition(invdes_surrogate *s, const double *X,
                                         size_t m, invdes_error *err);
INVDES_API
void invdes_surrogate_condition_clear(invdes_surrogate *s);

/* Hyper-parameters of kind t that a strategy can carry from fit to fit
 * (surrogate_type.h): how many doubles for d inputs, 0 when the kind has
 * none (then the three calls below do nothing and return INVDES_OK). */
INVDES_API
size_t invdes_surrogate_type_hyper_size(const invdes_surrogate_type *t, size_t d);
/* Whether h (hyper_size values) could have come from a fit of kind t:
 * INVDES_ERR_INVALID with a message otherwise. */
INVDES_API
invdes_status invdes_surrogate_type_hyper_check(const invdes_surrogate_type *t,
                                                size_t d, const double *h,
                                                invdes_error *err);
/* The fitted model's hyper-parameters into h (hyper_size values for the d
 * it was fitted with); INVDES_ERR_USAGE before a fit. */
INVDES_API
invdes_status invdes_surrogate_hyper_get(const invdes_surrogate *s, size_t d, double *h,
                                         invdes_error *err);
/* Makes h the starting point of the next fit (checked first; nothing
 * changes when a value is out of range). */
INVDES_API
invdes_status invdes_surrogate_hyper_set(invdes_surrogate *s, size_t d, const double *h,
                                         invdes_error *err);

/* Observation-noise variance to add to var for a new measurement (units of
 * y²): the GP's learned noise, 0 for the forest and before a fit. */
INVDES_API
double invdes_surrogate_noise_var(const invdes_surrogate *s);

/* The model inside, borrowed (valid until invdes_surrogate_free), or NULL
 * when the surrogate is of the other kind. */
INVDES_API
invdes_gp *invdes_surrogate_gp(invdes_surrogate *s);
INVDES_API
invdes_rf *invdes_surrogate_rf(invdes_surrogate *s);

#endif
