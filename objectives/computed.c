/* computed.c — inputs and output mapping of the computing kinds
 * (computed.h): the campaign-side plumbing, so that capacity.c and
 * porous_electrode.c hold only their science. */
#include "computed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

long invdes_computed_var_index(const invdes_campaign *c, const char *name, int *categorical) {
  long v = 0;
  if (categorical) *categorical = 0;
  for (size_t i = 0; i < c->n_params; i++, v++)
    if (strcmp(c->params[i].name, name) == 0) {
      if (categorical) *categorical = c->params[i].type == INVDES_PARAM_CATEGORICAL;
      return v;
    }
  for (size_t g = 0; g < c->n_compositions; g++)
    for (size_t i = 0; i < c->compositions[g].n_components; i++, v++)
      if (strcmp(c->compositions[g].components[i].name, name) == 0) return v;
  return -1;
}

/* "a, b, c" of the campaign's variables, for messages. */
static void var_list(const invdes_campaign *c, char *buf, size_t size) {
  size_t used = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < c->n_params; i++)
    invdes_objective_append(buf, size, "%s%s", used++ ? ", " : "", c->params[i].name);
  for (size_t g = 0; g < c->n_compositions; g++)
    for (size_t i = 0; i < c->compositions[g].n_components; i++)
      invdes_objective_append(buf, size, "%s%s", used++ ? ", " : "",
                              c->compositions[g].components[i].name);
  if (!used) snprintf(buf, size, "none");
}

int invdes_computed_resolve(invdes_cload *L, const invdes_ynode *at, const char *key,
                            const char *text, invdes_computed_input *in) {
  *in = (invdes_computed_input){.var = -1};
  if (invdes_cload_parse_double(text, &in->value)) return 1;
  int categorical;
  long v = invdes_computed_var_index(L->c, text, &categorical);
  if (v >= 0 && !categorical) {
    in->var = v;
    return 1;
  }
  char list[400];
  var_list(L->c, list, sizeof list);
  if (v >= 0)
    invdes_cload_error(L, at, INVDES_ERR_INVALID, "'%s': '%s' is a categorical parameter; a "
                       "number or a numeric variable is needed", key, text);
  else
    invdes_cload_error(L, at, INVDES_ERR_INVALID, "'%s' must be a number or a variable of the "
                       "campaign, not '%s' (variables: %s)", key, text, list);
  return 0;
}

void invdes_computed_read_text(invdes_cload *L, const invdes_ynode *n, const char *key,
                               char **text) {
  const invdes_ynode *v = invdes_cload_get(n, key);
  const char *s;
  char what[80];
  snprintf(what, sizeof what, "'%s'", key);
  if (v && invdes_cload_string(L, v, what, &s)) *text = invdes_cload_strdup(L, s);
}

void invdes_computed_read_outputs(invdes_cload *L, const invdes_ynode *n, char ***pairs,
                                  size_t *n_pairs) {
  const invdes_ynode *m = invdes_cload_get(n, "outputs");
  if (!m || !invdes_cload_expect_mapping(L, m, "'outputs' (TARGET: OUTPUT)") || !m->n) return;
  if (!(*pairs = calloc(2 * m->n, sizeof **pairs))) {
    invdes_cload_nomem(L);
    return;
  }
  for (size_t i = 0; i < m->n; i++) {
    const char *s;
    (*pairs)[2 * i] = invdes_cload_strdup(L, m->keys[i]->text);
    if (invdes_cload_string(L, m->items[i], "an output name", &s))
      (*pairs)[2 * i + 1] = invdes_cload_strdup(L, s);
  }
  *n_pairs = 2 * m->n;
}

/* Index of name in the NULL-terminated list, or -1. */
static int find(const char *const *names, const char *name) {
  for (int i = 0; name && names[i]; i++)
    if (strcmp(names[i], name) == 0) return i;
  return -1;
}

void invdes_computed_map(invdes_cload *L, const invdes_ynode *n, const char *kind,
                         const char *const *outputs, char *const *pairs, size_t n_pairs,
                         int *map) {
  const invdes_campaign *c = L->c;
  char list[400] = "";
  for (size_t i = 0; outputs[i]; i++)
    invdes_objective_append(list, sizeof list, "%s%s", i ? ", " : "", outputs[i]);
  if (c->pool) {
    invdes_cload_error(L, invdes_cload_get(n, "kind"), INVDES_ERR_INVALID,
                       "a %s objective computes from a parameter space, not a pool", kind);
    return;
  }
  const invdes_ynode *m = invdes_cload_get(n, "outputs");
  for (size_t i = 0; i + 1 < n_pairs; i += 2) {
    const invdes_ynode *at = m && i / 2 < m->n ? m->keys[i / 2] : n;
    size_t k = 0;
    while (k < c->n_targets && (!pairs[i] || strcmp(c->targets[k].name, pairs[i]) != 0)) k++;
    if (k == c->n_targets)
      invdes_cload_error(L, at, INVDES_ERR_INVALID, "'outputs': '%s' is not a target of the "
                         "campaign", pairs[i] ? pairs[i] : "");
    if (pairs[i + 1] && find(outputs, pairs[i + 1]) < 0)
      invdes_cload_error(L, m && i / 2 < m->n ? m->items[i / 2] : n, INVDES_ERR_INVALID,
                         "'outputs': %s has no output '%s' (outputs: %s)", kind, pairs[i + 1],
                         list);
  }
  for (size_t k = 0; k < c->n_targets; k++) {
    const char *name = c->targets[k].name, *out = name;
    for (size_t i = 0; i + 1 < n_pairs; i += 2)
      if (pairs[i] && strcmp(pairs[i], name) == 0) out = pairs[i + 1];
    map[k] = find(outputs, out);
    if (map[k] < 0 && out == name)
      invdes_cload_error_at(L, c->targets[k].mark.line, c->targets[k].mark.column,
                            INVDES_ERR_INVALID, "target '%s' is not an output of a %s "
                            "objective (outputs: %s); name the target after one or map it "
                            "with 'outputs: {%s: OUTPUT}'", name, kind, list, name);
  }
}

void invdes_computed_free_pairs(char **pairs, size_t n_pairs) {
  for (size_t i = 0; pairs && i < n_pairs; i++) free(pairs[i]);
  free(pairs);
}
