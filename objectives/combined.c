/* combined.c — the objective kind `combined` (objective.h): the campaign's
 * targets split among several kinds, so that targets known exactly (a
 * theoretical capacity, a physics model's output) stand beside measured ones
 * (a command's cycling test, a data set's emulator) in one campaign.
 *
 *   objective:
 *     kind: combined
 *     parts:
 *       - {kind: capacity, formula: "Li(Ni{ni}Mn{mn}Co{co})O2", targets: [capacity]}
 *       - {kind: command, command: [./cycle.py], targets: [retention]}
 *
 * Each part is an objective section of its own (read, checked and opened
 * through its kind's table) plus `targets`: the campaign's targets it gives.
 * Every target is given by exactly one part. A part's kind sees a view of the
 * campaign holding only its own targets, so its checks and its evaluator
 * work as if it were the only one. At most one part runs outside the
 * process (a command): the in-process parts evaluate the whole batch first;
 * a proposal that fails there fails at once and is not sent out; the others
 * go to the outside part, whose outcomes come back merged with the computed
 * values as they arrive. A station cannot be a part (its results come by
 * `invdes tell`, where nothing would compute the other targets), nor can a
 * combined objective. The kind is not flagged in-process: the run loop
 * records each batch in its own transaction, as for a command. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "combined.h"

typedef invdes_combined_part part;

/* n without its `targets` key; the arrays are new, the nodes borrowed. */
static int without_targets(const invdes_ynode *n, invdes_ynode *out) {
  *out = *n;
  out->keys = malloc((n->n + 1) * sizeof *out->keys);
  out->items = malloc((n->n + 1) * sizeof *out->items);
  if (!out->keys || !out->items) return 0;
  out->n = 0;
  for (size_t i = 0; i < n->n; i++)
    if (strcmp(n->keys[i]->text, "targets") != 0) {
      out->keys[out->n] = n->keys[i];
      out->items[out->n++] = n->items[i];
    }
  return 1;
}

static void read_part(invdes_cload *L, const invdes_ynode *m, part *p) {
  if (!invdes_cload_expect_mapping(L, m, "a part of 'parts'")) return;
  const invdes_ynode *t = invdes_cload_get(m, "targets");
  if (!t)
    invdes_cload_error(L, m, INVDES_ERR_INVALID, "a part of a combined objective needs "
                       "'targets' (the campaign's targets it gives)");
  else if (invdes_cload_expect_list(L, t, "'targets'") && t->n) {
    if (!(p->targets = calloc(t->n, sizeof *p->targets))) {
      invdes_cload_nomem(L);
      return;
    }
    p->n_targets = t->n;
    for (size_t i = 0; i < t->n; i++) {
      const char *s;
      if (invdes_cload_string(L, t->items[i], "a target's name", &s))
        p->targets[i] = invdes_cload_strdup(L, s);
    }
  }
  invdes_ynode f;
  if (!without_targets(m, &f)) {
    invdes_cload_nomem(L);
  } else {
    const invdes_ynode *saved = L->section_key;
    L->section_key = m;
    invdes_cload_objective_section(L, &f, &p->o, "part");
    L->section_key = saved;
  }
  free(f.keys);
  free(f.items);
  const invdes_ynode *kind = invdes_cload_get(m, "kind");
  if (p->o.type == &invdes_objective_combined)
    invdes_cload_error(L, kind, INVDES_ERR_INVALID, "a part cannot itself be combined");
  else if (p->o.type && p->o.type->cannot_run)
    invdes_cload_error(L, kind, INVDES_ERR_INVALID, "a %s cannot be a part of a combined "
                       "objective (%s)", p->o.type->name, p->o.type->cannot_run);
}

static void spec_read(invdes_cload *L, const invdes_ynode *n, void *spec) {
  combined_spec *o = spec;
  const invdes_ynode *v = invdes_cload_get(n, "parts");
  if (!v) {
    invdes_cload_error(L, L->section_key ? L->section_key : n, INVDES_ERR_INVALID,
                       "a combined objective needs 'parts' (objective sections, each with "
                       "the 'targets' it gives)");
    return;
  }
  if (!invdes_cload_expect_list(L, v, "'parts'")) return;
  if (v->n < 2)
    invdes_cload_error(L, v, INVDES_ERR_INVALID, "'parts' needs at least two parts, not %zu "
                       "(one kind alone is an objective of its own)", v->n);
  if (!v->n) return;
  if (!(o->parts = calloc(v->n, sizeof *o->parts))) {
    invdes_cload_nomem(L);
    return;
  }
  o->n_parts = v->n;
  for (size_t i = 0; i < v->n; i++) read_part(L, v->items[i], &o->parts[i]);
}

static void spec_free(void *spec) {
  combined_spec *o = spec;
  for (size_t i = 0; i < o->n_parts; i++) {
    part *p = &o->parts[i];
    invdes_objective_clear(&p->o);
    for (size_t j = 0; j < p->n_targets; j++) free(p->targets[j]);
    free(p->targets);
    free(p->index);
    free(p->view);
  }
  free(o->parts);
  for (size_t i = 0; i < o->n_canon; i++) free(o->canon[i]);
  free(o->canon);
}

/* Every target given by exactly one part: p->index and p->view. */
static void assign_targets(invdes_cload *L, const invdes_ynode *list, combined_spec *o) {
  const invdes_campaign *c = L->c;
  int *owner = malloc((c->n_targets + 1) * sizeof *owner);
  if (!owner) {
    invdes_cload_nomem(L);
    return;
  }
  for (size_t k = 0; k < c->n_targets; k++) owner[k] = -1;
  for (size_t i = 0; i < o->n_parts; i++) {
    part *p = &o->parts[i];
    const invdes_ynode *t = invdes_cload_get(list->items[i], "targets");
    p->index = calloc(p->n_targets + 1, sizeof *p->index);
    p->view = calloc(p->n_targets + 1, sizeof *p->view);
    if (!p->index || !p->view) {
      invdes_cload_nomem(L);
      break;
    }
    for (size_t j = 0; j < p->n_targets; j++) {
      size_t k = 0;
      while (k < c->n_targets && (!p->targets[j] || strcmp(c->targets[k].name, p->targets[j])))
        k++;
      if (k == c->n_targets)
        invdes_cload_error(L, t->items[j], INVDES_ERR_INVALID, "'%s' is not a target of the "
                           "campaign", p->targets[j] ? p->targets[j] : "");
      else if (owner[k] >= 0)
        invdes_cload_error(L, t->items[j], INVDES_ERR_INVALID, "target '%s' is given by two "
                           "parts (%d and %zu)", p->targets[j], owner[k] + 1, i + 1);
      else {
        owner[k] = (int)i;
        p->index[j] = k;
        p->view[j] = c->targets[k];
      }
    }
  }
  for (size_t k = 0; k < c->n_targets; k++)
    if (owner[k] < 0)
      invdes_cload_error_at(L, c->targets[k].mark.line, c->targets[k].mark.column,
                            INVDES_ERR_INVALID, "target '%s' is given by no part of the "
                            "combined objective", c->targets[k].name);
  free(owner);
}

/* "targets=[a,b] kind=K key=value ..." of part p, for the store. */
static char *canon_of(const part *p) {
  char buf[4096] = "targets=[";
  for (size_t j = 0; j < p->n_targets; j++)
    invdes_objective_append(buf, sizeof buf, "%s%s", j ? "," : "", p->targets[j]);
  invdes_objective_append(buf, sizeof buf, "] kind=%s", p->o.type->name);
  for (size_t f = 0; p->o.type->fields[f].key; f++) {
    const invdes_objective_field *fd = &p->o.type->fields[f];
    const char *key = fd->key;
    size_t count;
    if (fd->type == INVDES_FIELD_TEXT) {
      const char *v = invdes_objective_text(&p->o, key);
      invdes_objective_append(buf, sizeof buf, " %s=%s", key, v ? v : "-");
    } else if (fd->type == INVDES_FIELD_NUMBER || fd->type == INVDES_FIELD_INT) {
      invdes_objective_append(buf, sizeof buf, " %s=%.17g", key,
                              invdes_objective_number(&p->o, key));
    } else if (fd->type == INVDES_FIELD_NUMBERS) {
      const double *v = invdes_objective_numbers(&p->o, key, &count);
      invdes_objective_append(buf, sizeof buf, " %s=[", key);
      for (size_t i = 0; v && i < count; i++)
        invdes_objective_append(buf, sizeof buf, "%s%.17g", i ? "," : "", v[i]);
      invdes_objective_append(buf, sizeof buf, "]");
    } else {
      char *const *v = invdes_objective_texts(&p->o, key, &count);
      invdes_objective_append(buf, sizeof buf, " %s=[", key);
      for (size_t i = 0; v && i < count; i++)
        invdes_objective_append(buf, sizeof buf, "%s%s", i ? "," : "", v[i] ? v[i] : "");
      invdes_objective_append(buf, sizeof buf, "]");
    }
  }
  return strdup(buf);
}

static void spec_check(invdes_cload *L, const invdes_ynode *n, void *spec) {
  combined_spec *o = spec;
  invdes_campaign *c = L->c;
  const invdes_ynode *list = invdes_cload_get(n, "parts");
  if (!o->n_parts || !list) return;
  if (c->pool) {
    invdes_cload_error(L, invdes_cload_get(n, "kind"), INVDES_ERR_INVALID, "a combined "
                       "objective splits the targets of a parameter space, not of a pool");
    return;
  }
  for (size_t i = 0; i < o->n_parts; i++)
    if (!o->parts[i].o.type) return; /* its kind was reported */
  int errors = L->n_errors, outside = 0;
  for (size_t i = 0; i < o->n_parts; i++)
    if (!(o->parts[i].o.type->flags & INVDES_OBJECTIVE_IN_PROCESS) &&
        ++outside == 2)
      invdes_cload_error(L, invdes_cload_get(list->items[i], "kind"), INVDES_ERR_INVALID,
                         "at most one part may run outside invdes (a %s); the others must "
                         "compute in process", o->parts[i].o.type->name);
  assign_targets(L, list, o);
  if (L->n_errors != errors || L->nomem) return;
  for (size_t i = 0; i < o->n_parts; i++) {
    part *p = &o->parts[i];
    if (!p->o.type->check) continue;
    invdes_campaign view = *c;
    view.targets = p->view;
    view.n_targets = p->n_targets;
    invdes_ynode f;
    if (without_targets(list->items[i], &f)) {
      const invdes_ynode *saved = L->section_key;
      L->c = &view;
      L->section_key = list->items[i];
      p->o.type->check(L, &f, p->o.spec);
      L->c = c;
      L->section_key = saved;
    } else {
      invdes_cload_nomem(L);
    }
    free(f.keys);
    free(f.items);
  }
  if (!(o->canon = calloc(o->n_parts, sizeof *o->canon))) {
    invdes_cload_nomem(L);
    return;
  }
  for (size_t i = 0; i < o->n_parts; i++, o->n_canon++)
    if (!(o->canon[i] = canon_of(&o->parts[i]))) invdes_cload_nomem(L);
}

static void spec_describe(const void *spec, char *buf, size_t size) {
  const combined_spec *o = spec;
  for (size_t i = 0; i < o->n_parts; i++) {
    const part *p = &o->parts[i];
    invdes_objective_append(buf, size, "%s %s", i ? ";" : "", p->o.type ? p->o.type->name : "?");
    if (p->o.type && p->o.type->describe) p->o.type->describe(p->o.spec, buf, size);
    invdes_objective_append(buf, size, " ->");
    for (size_t j = 0; j < p->n_targets; j++)
      invdes_objective_append(buf, size, " %s", p->targets[j]);
  }
}

static const invdes_objective_field fields[] = {
    {"parts", INVDES_FIELD_TEXTS, offsetof(combined_spec, canon),
     offsetof(combined_spec, n_canon), 0},
    {NULL, 0, 0, 0, 0}};

const invdes_objective_type invdes_objective_combined = {
    .name = "combined",
    .fields = fields,
    .spec_size = sizeof(combined_spec),
    .flags = 0,
    .read = spec_read,
    .free_spec = spec_free,
    .check = spec_check,
    .describe = spec_describe,
    .open = invdes_combined_open,
    .evaluate = invdes_combined_evaluate,
    .close = invdes_combined_close,
};
