/* computed.h — what the computing kinds (capacity.c, porous_electrode.c)
 * share: inputs that are a number or a campaign variable, and the mapping of
 * the kind's named outputs onto the campaign's targets (internal).
 *
 * A computing kind evaluates a formula of the proposal's variables in
 * process. Its inputs are campaign keys whose value is either a number (a
 * constant: `voltage: 3.8`) or the name of a parameter or component
 * (`voltage: v_cut`). Its outputs have fixed names (`capacity`, `energy`,
 * `resistance`, ...): a target named like an output receives it, and
 * `outputs: {TARGET: OUTPUT}` maps a target of another name. Every target
 * must receive an output; the mapping is stored as a flat list of
 * "TARGET", "OUTPUT" pairs, so the store compares it as a list. */
#ifndef INVDES_COMPUTED_H
#define INVDES_COMPUTED_H

#include <stddef.h>

#include "objective.h"

/* An input once resolved: var >= 0 is the index into the raw point x
 * (parameters, then components), else the constant value. */
typedef struct invdes_computed_input {
  double value;
  long var;
} invdes_computed_input;

/* The input's value at raw point x. */
static inline double invdes_computed_value(const invdes_computed_input *in, const double *x) {
  return in->var >= 0 ? x[in->var] : in->value;
}

/* The raw-point index of the campaign variable `name` (parameters, then
 * components), or -1. *categorical is set when it is a categorical
 * parameter. */
long invdes_computed_var_index(const invdes_campaign *c, const char *name, int *categorical);

/* Resolves text (a number, or a non-categorical variable's name) given for
 * `key` at node at into *in; 0 after a diagnostic naming the variables. */
int invdes_computed_resolve(invdes_cload *L, const invdes_ynode *at, const char *key,
                            const char *text, invdes_computed_input *in);

/* Reads key `key` of section n into *text when present (a scalar). */
void invdes_computed_read_text(invdes_cload *L, const invdes_ynode *n, const char *key,
                               char **text);

/* Reads `outputs:` of section n (a mapping TARGET: OUTPUT) into the flat
 * pairs list (*pairs owned by the spec, 2 × entries strings, *n_pairs the
 * count of strings). */
void invdes_computed_read_outputs(invdes_cload *L, const invdes_ynode *n, char ***pairs,
                                  size_t *n_pairs);

/* Maps every target of the campaign onto one of the kind's outputs
 * (NULL-terminated names): map[k] = output index of target k. Reports a
 * target with no output, and a mapping entry naming no target or no output,
 * at their place. map has room for the campaign's targets. A pool is
 * refused: these kinds compute from a parameter space. */
void invdes_computed_map(invdes_cload *L, const invdes_ynode *n, const char *kind,
                         const char *const *outputs, char *const *pairs, size_t n_pairs,
                         int *map);

/* Frees a pairs list. */
void invdes_computed_free_pairs(char **pairs, size_t n_pairs);

#endif
