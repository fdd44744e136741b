/* objective.c — the registry of objective kinds and what is generic about
 * them (objective.h): reading the `objective:` section up to the kind's own
 * reader, checking keys against the kinds' fields, freeing, the field
 * getters and the public accessors of campaign.h.
 *
 * The registry is one constant list; the kinds' tables live in their own
 * files (builtin.c, command.c, dataset.c, station.c, capacity.c,
 * porous_electrode.c, combined.c). Nothing here names a
 * kind except that list. */
#include "objective.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The registered kinds, in the order messages list them. A new kind is one
 * line "X(name) \" here; its file defines invdes_objective_<name>. */
#define INVDES_OBJECTIVE_KINDS(X) \
  X(builtin) \
  X(command) \
  X(dataset) \
  X(station) \
  X(capacity) \
  X(porous_electrode) \
  X(combined) \
  /* end of the list */

#define DECLARE(k) extern const invdes_objective_type invdes_objective_##k;
INVDES_OBJECTIVE_KINDS(DECLARE)
#undef DECLARE
#define ENTRY(k) &invdes_objective_##k,
static const invdes_objective_type *const kinds[] = {INVDES_OBJECTIVE_KINDS(ENTRY) NULL};
#undef ENTRY

#define N_KINDS (sizeof kinds / sizeof kinds[0] - 1)

const invdes_objective_type *invdes_objective_at(size_t i) {
  return i < N_KINDS ? kinds[i] : NULL;
}

const invdes_objective_type *invdes_objective_find(const char *name) {
  for (size_t i = 0; name && i < N_KINDS; i++)
    if (strcmp(kinds[i]->name, name) == 0) return kinds[i];
  return NULL;
}

void invdes_objective_kinds_text(char *buf, size_t size) {
  size_t used = 0;
  if (size) buf[0] = '\0';
  for (size_t i = 0; i < N_KINDS && used < size; i++) {
    const char *sep = i == 0 ? "" : i + 1 == N_KINDS ? " or " : ", ";
    int k = snprintf(buf + used, size - used, "%s%s", sep, kinds[i]->name);
    if (k < 0) break;
    used += (size_t)k;
  }
}

static const invdes_objective_field *find_field(const invdes_objective_type *t,
                                                const char *key) {
  for (size_t i = 0; t && t->fields && t->fields[i].key; i++)
    if (strcmp(t->fields[i].key, key) == 0) return &t->fields[i];
  return NULL;
}

/* Every kind's keys once, "kind" first, NULL-terminated; the caller frees
 * the array (not the strings). NULL when out of memory. */
static const char **all_keys(void) {
  size_t cap = 2;
  for (size_t i = 0; i < N_KINDS; i++)
    for (size_t j = 0; kinds[i]->fields[j].key; j++) cap++;
  const char **keys = malloc(cap * sizeof *keys);
  if (!keys) return NULL;
  size_t n = 0;
  keys[n++] = "kind";
  for (size_t i = 0; i < N_KINDS; i++)
    for (size_t j = 0; kinds[i]->fields[j].key; j++) {
      const char *k = kinds[i]->fields[j].key;
      size_t m = 0;
      while (m < n && strcmp(keys[m], k) != 0) m++;
      if (m == n) keys[n++] = k;
    }
  keys[n] = NULL;
  return keys;
}

/* The kind named by the section, or NULL after a diagnostic. */
static const invdes_objective_type *read_kind(invdes_cload *L, const invdes_ynode *n) {
  const invdes_ynode *k = invdes_cload_get(n, "kind");
  char list[200];
  invdes_objective_kinds_text(list, sizeof list);
  if (!k) {
    invdes_cload_error(L, L->section_key ? L->section_key : n, INVDES_ERR_INVALID,
                       "'objective' has no 'kind' (%s)", list);
    return NULL;
  }
  const char *names[N_KINDS + 1];
  for (size_t i = 0; i <= N_KINDS; i++) names[i] = kinds[i] ? kinds[i]->name : NULL;
  int i = invdes_cload_choice(L, k, "objective kind", names);
  return i < 0 ? NULL : kinds[i];
}

void invdes_cload_objective(invdes_cload *L, const invdes_ynode *root) {
  const invdes_ynode *n = invdes_cload_get(root, "objective");
  if (!n) {
    char list[200];
    invdes_objective_kinds_text(list, sizeof list);
    invdes_cload_error(L, root, INVDES_ERR_INVALID, "the campaign has no 'objective' (%s)",
                       list);
    return;
  }
  invdes_cload_objective_section(L, n, &L->c->objective, "objective");
}

void invdes_cload_objective_section(invdes_cload *L, const invdes_ynode *n, invdes_objective *o,
                                    const char *what) {
  o->mark = invdes_cload_mark(n);
  char quoted[100];
  snprintf(quoted, sizeof quoted, "'%s'", what);
  if (!invdes_cload_expect_mapping(L, n, quoted)) return;
  const char **keys = all_keys();
  if (!keys) {
    invdes_cload_nomem(L);
    return;
  }
  invdes_cload_keys(L, n, what, keys);
  const invdes_objective_type *t = read_kind(L, n);
  for (size_t i = 0; t && i < n->n; i++) {
    const char *key = n->keys[i]->text;
    int known = 0;
    for (size_t j = 1; keys[j]; j++) known |= strcmp(keys[j], key) == 0;
    if (known && !find_field(t, key))
      invdes_cload_error(L, n->keys[i], INVDES_ERR_INVALID,
                         "'%s' does not apply to objective kind '%s'", key, t->name);
  }
  free(keys);
  if (!t) return;
  o->type = t;
  if (t->spec_size && !(o->spec = calloc(1, t->spec_size))) {
    invdes_cload_nomem(L);
    return;
  }
  if (t->read) t->read(L, n, o->spec);
}

void invdes_cload_objective_check(invdes_cload *L, const invdes_ynode *root) {
  invdes_objective *o = &L->c->objective;
  if (!o->type || !o->type->check) return;
  const invdes_ynode *saved = L->section_key;
  L->section_key = invdes_cload_key_node(root, "objective");
  o->type->check(L, invdes_cload_get(root, "objective"), o->spec);
  L->section_key = saved;
}

void invdes_objective_clear(invdes_objective *o) {
  if (!o) return;
  if (o->spec && o->type && o->type->free_spec) o->type->free_spec(o->spec);
  free(o->spec);
  memset(o, 0, sizeof *o);
}

/* ---- field getters ------------------------------------------------------------ */

const invdes_objective_field *invdes_objective_field_find(const invdes_objective *o,
                                                          const char *key,
                                                          const void **value) {
  const invdes_objective_field *f = o ? find_field(o->type, key) : NULL;
  if (f && value) *value = (const char *)o->spec + f->offset;
  return f;
}

/* The field's value when it has type t, else NULL. */
static const void *typed(const invdes_objective *o, const char *key,
                         invdes_objective_field_type t, size_t *count) {
  const void *v = NULL;
  const invdes_objective_field *f = invdes_objective_field_find(o, key, &v);
  if (count) *count = 0;
  if (!f || f->type != t || !o->spec) return NULL;
  if (count) *count = *(const size_t *)((const char *)o->spec + f->count_offset);
  return v;
}

const char *invdes_objective_text(const invdes_objective *o, const char *key) {
  const void *v = typed(o, key, INVDES_FIELD_TEXT, NULL);
  return v ? *(char *const *)v : NULL;
}

double invdes_objective_number(const invdes_objective *o, const char *key) {
  const void *v = typed(o, key, INVDES_FIELD_NUMBER, NULL);
  if (v) return *(const double *)v;
  v = typed(o, key, INVDES_FIELD_INT, NULL);
  return v ? (double)*(const int *)v : NAN;
}

const double *invdes_objective_numbers(const invdes_objective *o, const char *key, size_t *n) {
  size_t count;
  const void *v = typed(o, key, INVDES_FIELD_NUMBERS, &count);
  if (n) *n = count;
  return v ? *(double *const *)v : NULL;
}

char *const *invdes_objective_texts(const invdes_objective *o, const char *key, size_t *n) {
  size_t count;
  const void *v = typed(o, key, INVDES_FIELD_TEXTS, &count);
  if (n) *n = count;
  return v ? *(char **const *)v : NULL;
}

/* ---- the public accessors of campaign.h ----------------------------------------- */

const char *invdes_campaign_objective_kind(const invdes_campaign *c) {
  return c && c->objective.type ? c->objective.type->name : "?";
}

const char *invdes_campaign_objective_cannot_run(const invdes_campaign *c) {
  if (!c || !c->objective.type) return "the campaign has no objective";
  return c->objective.type->cannot_run;
}

void invdes_campaign_objective_describe(const invdes_campaign *c, char *buf, size_t size) {
  if (!size) return;
  snprintf(buf, size, "%s", invdes_campaign_objective_kind(c));
  const invdes_objective_type *t = c ? c->objective.type : NULL;
  if (t && t->describe) t->describe(c->objective.spec, buf, size);
}

/* ---- helpers for the kinds' files --------------------------------------------- */

void invdes_objective_append(char *buf, size_t size, const char *fmt, ...) {
  size_t used = strnlen(buf, size);
  if (used + 1 >= size) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf + used, size - used, fmt, ap);
  va_end(ap);
}

invdes_status invdes_objective_each(void *state, size_t n_targets, invdes_objective_one_fn one,
                                    const invdes_objective_point *p, size_t n,
                                    invdes_objective_done_fn done, void *data,
                                    invdes_error *err) {
  double *y = malloc((n * n_targets + 1) * sizeof *y);
  char(*reason)[512] = calloc(n + 1, sizeof *reason);
  invdes_objective_outcome *o = calloc(n + 1, sizeof *o);
  invdes_status st = INVDES_OK;
  if (!y || !reason || !o) {
    st = invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  } else {
    for (size_t i = 0; i < n; i++) {
      double *yi = y + i * n_targets;
      for (size_t k = 0; k < n_targets; k++) yi[k] = NAN;
      if (!p[i].x)
        snprintf(reason[i], sizeof reason[i], "%.500s", p[i].unreadable ? p[i].unreadable : "");
      else
        one(state, &p[i], yi, reason[i], sizeof reason[i]);
      int failed = reason[i][0] != 0;
      o[i] = (invdes_objective_outcome){.id = p[i].id, .failed = failed,
                                        .y = failed ? NULL : yi, .reason = reason[i]};
    }
    st = done(o, n, data, err);
  }
  free(y);
  free(reason);
  free(o);
  return st;
}
