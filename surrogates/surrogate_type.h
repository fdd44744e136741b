/* surrogate_type.h — a surrogate kind as a table of functions, registered by
 * name in surrogate.c (like SQLite's sqlite3_vfs). Not installed.
 *
 * An entry holds the kind's name, what it can do (capability flags of
 * surrogate.h), the numeric settings it accepts by name and its checks, and
 * its operations on its own model. surrogate.c dispatches through it and a
 * strategy asks the flags; no caller tests which kind it has. Adding a kind
 * is its own file with an entry named invdes_surrogate_type_<name>, plus its
 * name in the registry list of surrogate.c. */
#ifndef INVDES_SURROGATE_TYPE_H
#define INVDES_SURROGATE_TYPE_H

#include "surrogate.h"

struct invdes_surrogate_type {
  const char *name;
  unsigned caps;              /* INVDES_SURROGATE_GRADIENTS | ... */
  /* Names of the numeric settings the kind reads from
   * invdes_surrogate_options.settings, NULL-terminated (NULL: none); check
   * says whether a value is in range (NULL: any finite value). */
  const char *const *keys;
  invdes_status (*check)(const char *key, double value, invdes_error *err);
  /* A new unfitted model, NULL when out of memory or options out of range. */
  void *(*create)(const invdes_surrogate_options *opt);
  void (*destroy)(void *model);
  invdes_status (*fit)(void *model, const double *X, size_t n, size_t d,
                       const double *y, const double *noise_var,
                       invdes_error *err);
  /* 1: a failed fit leaves the previous fit usable; 0: it drops it. */
  int keeps_fit_on_error;
  invdes_status (*predict)(const void *model, const double *X, size_t m,
                           double *mean, double *var, invdes_error *err);
  /* With INVDES_SURROGATE_GRADIENTS, else NULL. */
  invdes_status (*predict_grad)(const void *model, const double *X, size_t m,
                                double *mean, double *var, double *dmean,
                                double *dvar, invdes_error *err);
  /* Learned observation noise (units of y²); NULL: 0. */
  double (*noise_var)(const void *model);
  /* With INVDES_SURROGATE_CONDITIONS, else NULL: condition on m pending
   * points at the model's own mean, and drop those conditions. */
  invdes_status (*condition)(void *model, const double *X, size_t m,
                             invdes_error *err);
  void (*condition_clear)(void *model);
  /* Hyper-parameters a strategy may carry from one fit to the next (a warm
   * start, and the saved state that makes a resumed campaign fit as the
   * uninterrupted one would): hyper_size gives how many doubles for d
   * inputs (NULL: the kind has none to carry); hyper_check says whether
   * values could have come from a fit; hyper_get reads the fitted ones;
   * hyper_set makes values the start of the next fit (checked, nothing
   * changed when out of range). All four or none. */
  size_t (*hyper_size)(size_t d);
  invdes_status (*hyper_check)(size_t d, const double *h, invdes_error *err);
  void (*hyper_get)(const void *model, size_t d, double *h);
  invdes_status (*hyper_set)(void *model, size_t d, const double *h,
                             invdes_error *err);
};

#endif
