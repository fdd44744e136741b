/* capacity.c — the objective kind `capacity` (objective.h): the theoretical
 * gravimetric capacity of the material a proposal's variables describe,
 * computed exactly in process (formula.h).
 *
 * Keys: `formula` (required; subscripts may be the campaign's variables,
 * "Li(Ni{ni}Mn{mn}Co{co})O2"), `electrons` (n per formula unit, a number or
 * a variable, default 1) and `voltage` (volts, a number or a variable;
 * needed for `energy`). Outputs (computed.h maps them onto targets):
 *   capacity    Q = n F / (3.6 M)            mAh/g
 *   energy      Q × V                        Wh/kg (of active material)
 *   molar_mass  M                            g/mol
 * A proposal whose subscript variables are negative, or whose electrons or
 * voltage are not above 0, fails with the reason. The kind does not measure
 * anything: a campaign that also needs measured targets puts it beside
 * another kind in a `combined` objective (combined.c). */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "computed.h"
#include "formula.h"
#include "objective.h"

enum { OUT_CAPACITY, OUT_ENERGY, OUT_MOLAR_MASS };
static const char *const outputs[] = {"capacity", "energy", "molar_mass", NULL};

typedef struct capacity_spec {
  char *formula, *electrons, *voltage; /* as written (electrons NULL: 1) */
  char **outputs;                      /* TARGET, OUTPUT pairs */
  size_t n_outputs;
  /* completed by check */
  invdes_formula *f;
  long *vars;                          /* raw-point index of each formula variable */
  invdes_computed_input n, v;
  int has_voltage;
  int *map;                            /* output index of each target */
} capacity_spec;

static void spec_read(invdes_cload *L, const invdes_ynode *n, void *spec) {
  capacity_spec *o = spec;
  invdes_computed_read_text(L, n, "formula", &o->formula);
  invdes_computed_read_text(L, n, "electrons", &o->electrons);
  invdes_computed_read_text(L, n, "voltage", &o->voltage);
  invdes_computed_read_outputs(L, n, &o->outputs, &o->n_outputs);
  if (!invdes_cload_get(n, "formula"))
    invdes_cload_error(L, L->section_key ? L->section_key : n, INVDES_ERR_INVALID,
                       "a capacity objective needs 'formula' (e.g. LiFePO4 or "
                       "Li(Ni{ni}Mn{mn}Co{co})O2)");
}

static void spec_free(void *spec) {
  capacity_spec *o = spec;
  free(o->formula);
  free(o->electrons);
  free(o->voltage);
  invdes_computed_free_pairs(o->outputs, o->n_outputs);
  invdes_formula_free(o->f);
  free(o->vars);
  free(o->map);
}

/* The formula parses and its variables are numeric variables of the
 * campaign. */
static void check_formula(invdes_cload *L, const invdes_ynode *at, capacity_spec *o) {
  invdes_error e;
  invdes_error_clear(&e);
  int column;
  if (!(o->f = invdes_formula_parse(o->formula, &column, &e))) {
    if (e.status == INVDES_ERR_NOMEM) invdes_cload_nomem(L);
    else invdes_cload_error(L, at, INVDES_ERR_INVALID, "formula '%s': %s", o->formula,
                            e.message);
    return;
  }
  size_t nv = invdes_formula_n_vars(o->f);
  if (!(o->vars = calloc(nv + 1, sizeof *o->vars))) {
    invdes_cload_nomem(L);
    return;
  }
  for (size_t i = 0; i < nv; i++) {
    const char *name = invdes_formula_var(o->f, i);
    int categorical;
    o->vars[i] = invdes_computed_var_index(L->c, name, &categorical);
    if (o->vars[i] < 0 || categorical)
      invdes_cload_error(L, at, INVDES_ERR_INVALID, "formula '%s': column %d: '%s' is %s",
                         o->formula, invdes_formula_var_column(o->f, i), name,
                         categorical ? "a categorical parameter, not a number"
                                     : "not a parameter or component of the campaign");
  }
}

/* A constant input is a finite number above 0. */
static void check_positive(invdes_cload *L, const invdes_ynode *at, const char *key,
                           const invdes_computed_input *in) {
  if (in->var < 0 && !(in->value > 0))
    invdes_cload_error(L, at, INVDES_ERR_INVALID, "'%s' must be above 0, not %g", key,
                       in->value);
}

static void spec_check(invdes_cload *L, const invdes_ynode *n, void *spec) {
  capacity_spec *o = spec;
  const invdes_campaign *c = L->c;
  if (!o->formula) return;
  if (!(o->map = calloc(c->n_targets + 1, sizeof *o->map))) {
    invdes_cload_nomem(L);
    return;
  }
  invdes_computed_map(L, n, "capacity", outputs, o->outputs, o->n_outputs, o->map);
  if (c->pool) return;
  check_formula(L, invdes_cload_get(n, "formula"), o);
  const invdes_ynode *at = invdes_cload_get(n, "electrons");
  o->n = (invdes_computed_input){.value = 1.0, .var = -1};
  if (o->electrons && invdes_computed_resolve(L, at, "electrons", o->electrons, &o->n))
    check_positive(L, at, "electrons", &o->n);
  at = invdes_cload_get(n, "voltage");
  if (o->voltage && invdes_computed_resolve(L, at, "voltage", o->voltage, &o->v)) {
    o->has_voltage = 1;
    check_positive(L, at, "voltage", &o->v);
  }
  for (size_t k = 0; k < c->n_targets && !o->voltage; k++)
    if (o->map[k] == OUT_ENERGY)
      invdes_cload_error_at(L, c->targets[k].mark.line, c->targets[k].mark.column,
                            INVDES_ERR_INVALID, "target '%s' is the energy density, which "
                            "needs 'voltage' in the capacity objective (volts, a number or a "
                            "variable)", c->targets[k].name);
}

static void spec_describe(const void *spec, char *buf, size_t size) {
  const capacity_spec *o = spec;
  invdes_objective_append(buf, size, " %s, %s electron(s)", o->formula,
                          o->electrons ? o->electrons : "1");
  if (o->voltage) invdes_objective_append(buf, size, " at %s V", o->voltage);
}

/* ---- evaluating ---------------------------------------------------------------- */

typedef struct capacity_eval {
  const capacity_spec *o;
  size_t n_targets;
  double *values; /* the formula's variables at the current point */
} capacity_eval;

static void eval_close(void *state) {
  capacity_eval *e = state;
  if (!e) return;
  free(e->values);
  free(e);
}

static invdes_status eval_open(const invdes_objective_setup *s, void **state,
                               invdes_error *err) {
  const capacity_spec *o = s->spec;
  if (!o->f || !o->map)
    return invdes_error_set(err, INVDES_ERR_USAGE, "the capacity objective was not checked");
  capacity_eval *e = calloc(1, sizeof *e);
  if (e) e->values = calloc(invdes_formula_n_vars(o->f) + 1, sizeof *e->values);
  if (!e || !e->values) {
    eval_close(e);
    return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  }
  e->o = o;
  e->n_targets = s->n_targets;
  *state = e;
  return INVDES_OK;
}

static void eval_one(void *state, const invdes_objective_point *p, double *y, char *reason,
                     size_t rn) {
  capacity_eval *e = state;
  const capacity_spec *o = e->o;
  size_t nv = invdes_formula_n_vars(o->f);
  for (size_t i = 0; i < nv; i++) e->values[i] = p->x[o->vars[i]];
  double out[3];
  out[OUT_MOLAR_MASS] = invdes_formula_molar_mass(o->f, e->values);
  double n = invdes_computed_value(&o->n, p->x);
  out[OUT_CAPACITY] = invdes_capacity_mah_per_g(out[OUT_MOLAR_MASS], n);
  double v = o->has_voltage ? invdes_computed_value(&o->v, p->x) : NAN;
  out[OUT_ENERGY] = v > 0 ? out[OUT_CAPACITY] * v : NAN;
  for (size_t k = 0; k < e->n_targets; k++) y[k] = out[o->map[k]];
  for (size_t k = 0; k < e->n_targets; k++) {
    if (isfinite(y[k])) continue;
    if (isnan(out[OUT_MOLAR_MASS]) || !(out[OUT_MOLAR_MASS] > 0))
      snprintf(reason, rn, "formula %s has no positive molar mass here (a subscript variable "
               "is negative, or every subscript is 0)", o->formula);
    else if (!(n > 0))
      snprintf(reason, rn, "electrons must be above 0, not %g", n);
    else
      snprintf(reason, rn, "voltage must be above 0, not %g", v);
    return;
  }
}

static invdes_status eval_batch(void *state, const invdes_objective_point *p, size_t n,
                                invdes_objective_done_fn done, void *data, invdes_error *err) {
  capacity_eval *e = state;
  return invdes_objective_each(state, e->n_targets, eval_one, p, n, done, data, err);
}

static const invdes_objective_field fields[] = {
    {"formula", INVDES_FIELD_TEXT, offsetof(capacity_spec, formula), 0, 0},
    {"electrons", INVDES_FIELD_TEXT, offsetof(capacity_spec, electrons), 0, 0},
    {"voltage", INVDES_FIELD_TEXT, offsetof(capacity_spec, voltage), 0, 0},
    {"outputs", INVDES_FIELD_TEXTS, offsetof(capacity_spec, outputs),
     offsetof(capacity_spec, n_outputs), 0},
    {NULL, 0, 0, 0, 0}};

const invdes_objective_type invdes_objective_capacity = {
    .name = "capacity",
    .fields = fields,
    .spec_size = sizeof(capacity_spec),
    .flags = INVDES_OBJECTIVE_IN_PROCESS,
    .read = spec_read,
    .free_spec = spec_free,
    .check = spec_check,
    .describe = spec_describe,
    .open = eval_open,
    .evaluate = eval_batch,
    .close = eval_close,
};
