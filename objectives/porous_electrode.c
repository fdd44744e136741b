/* porous_electrode.c — the objective kind `porous_electrode` (objective.h):
 * the physics model of porous_model.h evaluated at each proposal, the
 * stand-in for a laboratory that coats, calenders and measures electrodes.
 *
 * Inputs (each a number or a campaign variable; a key left out means the
 * variable of the same name): `active` and `binder` (mass fractions of the
 * dry coating, carbon additive the rest), `porosity` or `pressure` (the
 * calendering pressure in MPa, mapped to a porosity by Heckel's law) and
 * `thickness` (um). The model's constants are number keys with NMC-like
 * defaults, each checked against its range. Outputs (porous_model.h) go to
 * the targets of the same name or as `outputs` maps them (computed.h). */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "computed.h"
#include "objective.h"
#include "porous_model.h"

enum { IN_ACTIVE, IN_BINDER, IN_POROSITY, IN_PRESSURE, IN_THICKNESS, N_INPUTS };
static const char *const input_keys[N_INPUTS] = {"active", "binder", "porosity", "pressure",
                                                 "thickness"};

typedef struct pe_spec {
  char *input[N_INPUTS];          /* as written (NULL: the variable of that name) */
  invdes_porous_params params;
  char **outputs;                 /* TARGET, OUTPUT pairs */
  size_t n_outputs;
  /* completed by check */
  invdes_computed_input in[N_INPUTS];
  int use_pressure;
  int *map;
} pe_spec;

#define PARAM(f) offsetof(pe_spec, params) + offsetof(invdes_porous_params, f)

/* A model constant: its key, place, range (lo excluded when open) and unit. */
static const struct constant {
  const char *key;
  size_t offset;
  double lo, hi;
  int open;
  const char *unit;
} constants[] = {
    {"specific_capacity", PARAM(specific_capacity), 0, 1e4, 1, "mAh/g"},
    {"density_active", PARAM(density_active), 0, 25, 1, "g/cm3"},
    {"density_binder", PARAM(density_binder), 0, 25, 1, "g/cm3"},
    {"density_carbon", PARAM(density_carbon), 0, 25, 1, "g/cm3"},
    {"conductivity_electrolyte", PARAM(conductivity_electrolyte), 0, 1e3, 1, "S/m"},
    {"conductivity_active", PARAM(conductivity_active), 0, 1e8, 0, "S/m"},
    {"conductivity_carbon", PARAM(conductivity_carbon), 0, 1e8, 1, "S/m"},
    {"percolation_threshold", PARAM(percolation_threshold), 0, 0.999, 0, "volume fraction"},
    {"percolation_exponent", PARAM(percolation_exponent), 0, 10, 1, ""},
    {"bruggeman", PARAM(bruggeman), 1, 5, 0, ""},
    {"porosity_coated", PARAM(porosity_coated), 0, 0.999, 1, ""},
    {"compaction", PARAM(compaction), 0, 1, 0, "1/MPa"},
    {"particle_radius", PARAM(particle_radius), 0, 1000, 1, "um"},
    {"exchange_current", PARAM(exchange_current), 0, 1e4, 1, "A/m2"},
    {"temperature", PARAM(temperature), 0, 1000, 1, "K"},
};
#define N_CONSTANTS (sizeof constants / sizeof constants[0])

static void spec_read(invdes_cload *L, const invdes_ynode *n, void *spec) {
  pe_spec *o = spec;
  invdes_porous_params_default(&o->params);
  for (int i = 0; i < N_INPUTS; i++) invdes_computed_read_text(L, n, input_keys[i], &o->input[i]);
  for (size_t i = 0; i < N_CONSTANTS; i++) {
    const struct constant *k = &constants[i];
    const invdes_ynode *v = invdes_cload_get(n, k->key);
    double *at = (double *)((char *)o + k->offset);
    char what[80];
    snprintf(what, sizeof what, "'%s'", k->key);
    if (!v || !invdes_cload_number(L, v, what, at)) continue;
    if (*at < k->lo || (k->open && *at == k->lo) || *at > k->hi)
      invdes_cload_error(L, v, INVDES_ERR_INVALID, "'%s' must be in %s%g, %g] %s, not %g",
                         k->key, k->open ? "(" : "[", k->lo, k->hi, k->unit, *at);
  }
  invdes_computed_read_outputs(L, n, &o->outputs, &o->n_outputs);
}

static void spec_free(void *spec) {
  pe_spec *o = spec;
  for (int i = 0; i < N_INPUTS; i++) free(o->input[i]);
  invdes_computed_free_pairs(o->outputs, o->n_outputs);
  free(o->map);
}

/* Input i: as written, or the variable of its name; 0 when neither. */
static int resolve(invdes_cload *L, const invdes_ynode *n, pe_spec *o, int i) {
  const char *key = input_keys[i];
  if (o->input[i])
    return invdes_computed_resolve(L, invdes_cload_get(n, key), key, o->input[i], &o->in[i]);
  int categorical;
  long v = invdes_computed_var_index(L->c, key, &categorical);
  if (v < 0 || categorical) return 0;
  o->in[i] = (invdes_computed_input){.var = v};
  return 1;
}

static void spec_check(invdes_cload *L, const invdes_ynode *n, void *spec) {
  pe_spec *o = spec;
  const invdes_campaign *c = L->c;
  if (!(o->map = calloc(c->n_targets + 1, sizeof *o->map))) {
    invdes_cload_nomem(L);
    return;
  }
  invdes_computed_map(L, n, "porous_electrode", invdes_porous_output_names, o->outputs,
                      o->n_outputs, o->map);
  if (c->pool) return;
  const invdes_ynode *at = L->section_key ? L->section_key : n;
  int has_porosity = o->input[IN_POROSITY] != NULL, has_pressure = o->input[IN_PRESSURE] != NULL;
  if (has_porosity && has_pressure)
    invdes_cload_error(L, invdes_cload_key_node(n, "pressure"), INVDES_ERR_INVALID,
                       "give 'porosity' or 'pressure' (calendering, mapped to a porosity), "
                       "not both");
  if (!has_porosity && !has_pressure)
    o->use_pressure = invdes_computed_var_index(L->c, "porosity", NULL) < 0 &&
                      invdes_computed_var_index(L->c, "pressure", NULL) >= 0;
  else
    o->use_pressure = has_pressure;
  for (int i = 0; i < N_INPUTS; i++) {
    if (i == (o->use_pressure ? IN_POROSITY : IN_PRESSURE)) continue;
    if (!resolve(L, n, o, i) && !o->input[i])
      invdes_cload_error(L, at, INVDES_ERR_INVALID, "a porous_electrode objective needs '%s' "
                         "(a number or a variable; no numeric variable is called '%s')%s",
                         input_keys[i], input_keys[i],
                         i == IN_POROSITY ? ", or 'pressure' instead" : "");
  }
}

static void spec_describe(const void *spec, char *buf, size_t size) {
  const pe_spec *o = spec;
  int shown = 0;
  for (int i = 0; i < N_INPUTS; i++)
    if (o->input[i])
      invdes_objective_append(buf, size, "%s %s=%s", shown++ ? "," : "", input_keys[i],
                              o->input[i]);
}

/* ---- evaluating ---------------------------------------------------------------- */

typedef struct pe_eval {
  const pe_spec *o;
  size_t n_targets;
} pe_eval;

static void eval_close(void *state) { free(state); }

static invdes_status eval_open(const invdes_objective_setup *s, void **state,
                               invdes_error *err) {
  const pe_spec *o = s->spec;
  if (!o->map)
    return invdes_error_set(err, INVDES_ERR_USAGE, "the porous_electrode objective was not "
                            "checked");
  pe_eval *e = calloc(1, sizeof *e);
  if (!e) return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  *e = (pe_eval){.o = o, .n_targets = s->n_targets};
  *state = e;
  return INVDES_OK;
}

static void eval_one(void *state, const invdes_objective_point *p, double *y, char *reason,
                     size_t rn) {
  const pe_eval *e = state;
  const pe_spec *o = e->o;
  double v[N_INPUTS];
  for (int i = 0; i < N_INPUTS; i++) v[i] = invdes_computed_value(&o->in[i], p->x);
  double out[INVDES_PE_N_OUTPUTS];
  if (!invdes_porous_eval(&o->params, v[IN_ACTIVE], v[IN_BINDER],
                          o->use_pressure ? NAN : v[IN_POROSITY], v[IN_PRESSURE],
                          v[IN_THICKNESS], out, reason, rn))
    return;
  for (size_t k = 0; k < e->n_targets; k++) y[k] = out[o->map[k]];
}

static invdes_status eval_batch(void *state, const invdes_objective_point *p, size_t n,
                                invdes_objective_done_fn done, void *data, invdes_error *err) {
  const pe_eval *e = state;
  return invdes_objective_each(state, e->n_targets, eval_one, p, n, done, data, err);
}

#define NUMBER(f) {#f, INVDES_FIELD_NUMBER, PARAM(f), 0, 0}
static const invdes_objective_field fields[] = {
    {"active", INVDES_FIELD_TEXT, offsetof(pe_spec, input[IN_ACTIVE]), 0, 0},
    {"binder", INVDES_FIELD_TEXT, offsetof(pe_spec, input[IN_BINDER]), 0, 0},
    {"porosity", INVDES_FIELD_TEXT, offsetof(pe_spec, input[IN_POROSITY]), 0, 0},
    {"pressure", INVDES_FIELD_TEXT, offsetof(pe_spec, input[IN_PRESSURE]), 0, 0},
    {"thickness", INVDES_FIELD_TEXT, offsetof(pe_spec, input[IN_THICKNESS]), 0, 0},
    NUMBER(specific_capacity),     NUMBER(density_active),      NUMBER(density_binder),
    NUMBER(density_carbon),        NUMBER(conductivity_electrolyte),
    NUMBER(conductivity_active),   NUMBER(conductivity_carbon), NUMBER(percolation_threshold),
    NUMBER(percolation_exponent),  NUMBER(bruggeman),           NUMBER(porosity_coated),
    NUMBER(compaction),            NUMBER(particle_radius),     NUMBER(exchange_current),
    NUMBER(temperature),
    {"outputs", INVDES_FIELD_TEXTS, offsetof(pe_spec, outputs), offsetof(pe_spec, n_outputs), 0},
    {NULL, 0, 0, 0, 0}};

const invdes_objective_type invdes_objective_porous_electrode = {
    .name = "porous_electrode",
    .fields = fields,
    .spec_size = sizeof(pe_spec),
    .flags = INVDES_OBJECTIVE_IN_PROCESS,
    .read = spec_read,
    .free_spec = spec_free,
    .check = spec_check,
    .describe = spec_describe,
    .open = eval_open,
    .evaluate = eval_batch,
    .close = eval_close,
};
