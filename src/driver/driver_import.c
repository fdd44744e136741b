/* driver_import.c — points that come from outside the strategy: a row of
 * prior data (`invdes import`) or a result of an older campaign's database
 * (`invdes init --from`), turned into a point of this campaign's space.
 *
 * A point is given by variable name with each value as text (a decimal
 * number; a categorical's label; a pool candidate's id). It belongs to the
 * space when every variable is given exactly once, nothing else is, each
 * value lies within its bounds (space.h's encode: 1e-9 of the range), and
 * every composition sum and constraint holds to INVDES_DRIVER_IMPORT_TOL.
 * The caller gets the recorded parameters (the same JSON the run loop
 * records) and z; the store records them (invdes_store_import). */
#include "driver_internal.h"

#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

/* A decimal number and nothing else (no hex, no "inf", no spaces). */
static int parse_decimal(const char *t, double *out) {
  if (!t || !*t) return -1;
  for (const char *p = t; *p; p++)
    if (!isdigit((unsigned char)*p) && !strchr("+-.eE", *p)) return -1;
  char *end;
  double v = strtod(t, &end);
  if (*end || !isfinite(v)) return -1;
  *out = v;
  return 0;
}

static void set_why(char *why, size_t len, const char *fmt, const char *name) {
  if (why && len) snprintf(why, len, fmt, name);
}

/* Variable v's raw value from text. */
static invdes_status var_value(invdes_driver *d, size_t v, const char *text, double *x,
                               char *why, size_t why_len, invdes_error *err) {
  const invdes_campaign *c = d->c;
  const char *name = d->var_names[v];
  if (c->pool) {
    for (size_t r = 0; r < c->pool->n_rows; r++)
      if (strcmp(c->pool->ids[r], text) == 0) return *x = (double)r, INVDES_OK;
    set_why(why, why_len, "'%s' is not a candidate of the pool", name);
    return invdes_error_set(err, INVDES_ERR_INVALID, "column '%s': '%s' is not a candidate of "
                            "the pool", name, text);
  }
  if (v < c->n_params && c->params[v].type == INVDES_PARAM_CATEGORICAL) {
    const invdes_param *p = &c->params[v];
    for (size_t k = 0; k < p->n_values; k++)
      if (strcmp(p->labels[k], text) == 0) return *x = (double)k, INVDES_OK;
    char labels[512] = "";
    size_t used = 0;
    for (size_t k = 0; k < p->n_values && used < sizeof labels; k++)
      used += (size_t)snprintf(labels + used, sizeof labels - used, "%s%s", k ? ", " : "",
                               p->labels[k]);
    set_why(why, why_len, "an unknown label of '%s'", name);
    return invdes_error_set(err, INVDES_ERR_INVALID, "column '%s': unknown label '%s' "
                            "(labels: %s)", name, text, labels);
  }
  if (parse_decimal(text, x) == 0) return INVDES_OK;
  set_why(why, why_len, "'%s' is not a decimal number", name);
  return invdes_error_set(err, INVDES_ERR_INVALID, "column '%s': '%s' is not a decimal number",
                          name, text);
}

/* Checks sums and constraints at x (bounds were encode's). */
static invdes_status check_region(invdes_driver *d, const double *x, char *why, size_t why_len,
                                  invdes_error *err) {
  const invdes_campaign *c = d->c;
  size_t v = c->n_params;
  for (size_t g = 0; !c->pool && g < c->n_compositions; g++) {
    const invdes_composition *cg = &c->compositions[g];
    double sum = 0;
    for (size_t k = 0; k < cg->n_components; k++) sum += x[v + k];
    v += cg->n_components;
    if (fabs(sum - cg->total) > INVDES_DRIVER_IMPORT_TOL) {
      set_why(why, why_len, "the components of '%s' do not add up to its total", cg->name);
      return invdes_error_set(err, INVDES_ERR_INVALID, "the components of '%s' sum to %.10g, "
                              "not %.10g", cg->name, sum, cg->total);
    }
  }
  double viol = invdes_space_violation(d->space, d->work, x);
  if (viol > INVDES_DRIVER_IMPORT_TOL) {
    set_why(why, why_len, "%s", "a constraint of the campaign does not hold");
    return invdes_error_set(err, INVDES_ERR_INVALID, "the point breaks a constraint of the "
                            "campaign (by %.3g)", viol);
  }
  return INVDES_OK;
}

invdes_status invdes_driver_point(invdes_driver *d, const char *const *names,
                                  const char *const *texts, size_t n, char **parameters,
                                  double *z, char *why, size_t why_len, invdes_error *err) {
  *parameters = NULL;
  if (why && why_len) why[0] = '\0';
  double *x = calloc(d->n_vars + 1, sizeof *x);
  if (!x) return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  invdes_status st = INVDES_OK;
  for (size_t i = 0; i < n && st == INVDES_OK; i++) {
    size_t v = 0;
    while (v < d->n_vars && strcmp(d->var_names[v], names[i]) != 0) v++;
    for (size_t j = 0; j < i && v < d->n_vars; j++)
      if (strcmp(names[j], names[i]) == 0) v = d->n_vars;
    if (v == d->n_vars) {
      set_why(why, why_len, "'%s' is not a variable of the campaign (or given twice)", names[i]);
      st = invdes_error_set(err, INVDES_ERR_INVALID, "'%s' is not a variable of the campaign, "
                            "or is given twice", names[i]);
    }
  }
  for (size_t v = 0; v < d->n_vars && st == INVDES_OK; v++) {
    size_t i = 0;
    while (i < n && strcmp(names[i], d->var_names[v]) != 0) i++;
    if (i == n || !texts[i] || !*texts[i]) {
      set_why(why, why_len, "no value for '%s'", d->var_names[v]);
      st = invdes_error_set(err, INVDES_ERR_INVALID, "no value for '%s'", d->var_names[v]);
    } else {
      st = var_value(d, v, texts[i], &x[v], why, why_len, err);
    }
  }
  if (st == INVDES_OK && (st = invdes_space_encode(d->space, x, z, err)) != INVDES_OK) {
    const char *of = err ? strstr(err->message, " of '") : NULL;
    set_why(why, why_len, "%s", of ? of + 4 : "outside the space");
  }
  if (st == INVDES_OK) st = check_region(d, x, why, why_len, err);
  if (st == INVDES_OK && !(*parameters = driver_params_json(d, x)))
    st = invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  free(x);
  return st;
}
