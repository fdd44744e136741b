/* campaign_run.c — the campaign sections that say how a campaign runs:
 * `objective`, `strategy` and `budget`. Each is read into its spec with its
 * defaults and checked on its own: kinds (with suggestions), the fields that
 * belong to each kind, ranges. Whether a builtin fits the number of variables,
 * whether a command can run and whether the budget covers the initial design
 * need other sections and are checked in campaign_check.c. The strategy
 * section knows no kind: the registry (strategy_type.h) says which kinds
 * exist, which keys each accepts, and reads each kind's own options. */
#include "campaign_read.h"
#include "strategy_type.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const objective_keys[] = {"kind", "name", "shift", "noise", "command",
                                             "timeout", "parallel", "file", "model", NULL};
static const char *const objective_kinds[] = {"builtin", "command", "dataset", "station", NULL};

/* Which objective keys belong to which kind (index by invdes_objective_kind). */
static const char *const objective_kind_keys[][5] = {
    {"name", "shift", "noise", NULL},
    {"command", "timeout", "parallel", NULL},
    {"file", "model", NULL},
    {NULL},
};

static int kind_has_key(int kind, const char *key) {
  for (size_t i = 0; objective_kind_keys[kind][i]; i++)
    if (strcmp(objective_kind_keys[kind][i], key) == 0) return 1;
  return 0;
}

/* Splits a command written as one string at blanks (no shell quoting). */
static int split_command(invdes_cload *L, const char *s, invdes_objective_spec *o) {
  size_t n = 0;
  for (const char *p = s; *p;) {
    while (*p && isspace((unsigned char)*p)) p++;
    if (!*p) break;
    n++;
    while (*p && !isspace((unsigned char)*p)) p++;
  }
  o->argv = calloc(n + 1, sizeof *o->argv);
  if (!o->argv) return invdes_cload_nomem(L), 0;
  for (const char *p = s; *p;) {
    while (*p && isspace((unsigned char)*p)) p++;
    if (!*p) break;
    const char *b = p;
    while (*p && !isspace((unsigned char)*p)) p++;
    if (!(o->argv[o->argc] = strndup(b, (size_t)(p - b)))) return invdes_cload_nomem(L), 0;
    o->argc++;
  }
  return 1;
}

static void read_command(invdes_cload *L, const invdes_ynode *cmd, invdes_objective_spec *o) {
  if (cmd->kind == INVDES_YNODE_SCALAR && !invdes_ynode_is_null(cmd)) {
    split_command(L, cmd->text, o);
  } else if (cmd->kind == INVDES_YNODE_SEQUENCE) {
    o->argv = calloc(cmd->n + 1, sizeof *o->argv);
    if (!o->argv) { invdes_cload_nomem(L); return; }
    for (size_t i = 0; i < cmd->n; i++) {
      const char *s;
      if (!invdes_cload_string(L, cmd->items[i], "a command argument", &s)) return;
      if (!(o->argv[o->argc] = invdes_cload_strdup(L, s))) return;
      o->argc++;
    }
  } else {
    invdes_cload_error(L, cmd, INVDES_ERR_INVALID,
                       "'command' must be a list such as [python3, simulate.py], not %s",
                       invdes_ynode_kind_noun(cmd));
    return;
  }
  if (o->argc == 0)
    invdes_cload_error(L, cmd, INVDES_ERR_INVALID, "'command' is empty: name a program to run");
}

void invdes_cload_objective(invdes_cload *L, const invdes_ynode *n) {
  invdes_objective_spec *o = &L->c->objective;
  o->parallel = 1;
  if (!n) return; /* reported as missing by the caller */
  o->mark = invdes_cload_mark(n);
  if (!invdes_cload_expect_mapping(L, n, "'objective'")) return;
  invdes_cload_keys(L, n, "objective", objective_keys);
  const invdes_ynode *k = invdes_cload_get(n, "kind");
  if (!k) {
    invdes_cload_error(L, L->section_key ? L->section_key : n, INVDES_ERR_INVALID,
                       "'objective' has no 'kind' (builtin, command, dataset or station)");
    return;
  }
  int kind = invdes_cload_choice(L, k, "objective kind", objective_kinds);
  if (kind < 0) return;
  o->kind = (invdes_objective_kind)kind;
  for (size_t i = 0; i < n->n; i++) {
    const char *key = n->keys[i]->text;
    int known = 0;
    for (size_t j = 0; objective_keys[j]; j++) known |= strcmp(objective_keys[j], key) == 0;
    if (known && strcmp(key, "kind") != 0 && !kind_has_key(kind, key))
      invdes_cload_error(L, n->keys[i], INVDES_ERR_INVALID,
                         "'%s' does not apply to objective kind '%s'", key,
                         objective_kinds[kind]);
  }
  const invdes_ynode *v;
  const char *s;
  switch (o->kind) {
  case INVDES_OBJECTIVE_BUILTIN:
    v = invdes_cload_get(n, "name");
    if (!v)
      invdes_cload_error(L, L->section_key ? L->section_key : n, INVDES_ERR_INVALID,
                         "a builtin objective needs 'name' (a function such as hartmann6)");
    else if (invdes_cload_string(L, v, "'name'", &s))
      o->name = invdes_cload_strdup(L, s);
    if ((v = invdes_cload_get(n, "shift")) && invdes_cload_expect_list(L, v, "'shift'") && v->n) {
      if (!(o->shift = calloc(v->n, sizeof *o->shift))) { invdes_cload_nomem(L); return; }
      o->n_shift = v->n;
      for (size_t i = 0; i < v->n; i++)
        invdes_cload_number(L, v->items[i], "a 'shift' entry", &o->shift[i]);
    }
    if ((v = invdes_cload_get(n, "noise")) &&
        invdes_cload_number(L, v, "'noise'", &o->noise_sd) && o->noise_sd < 0)
      invdes_cload_error(L, v, INVDES_ERR_INVALID,
                         "'noise' is a standard deviation and must be 0 or more, not %g",
                         o->noise_sd);
    break;
  case INVDES_OBJECTIVE_COMMAND:
    v = invdes_cload_get(n, "command");
    if (!v)
      invdes_cload_error(L, L->section_key ? L->section_key : n, INVDES_ERR_INVALID,
                         "a command objective needs 'command' (e.g. [python3, simulate.py])");
    else
      read_command(L, v, o);
    if ((v = invdes_cload_get(n, "timeout")) &&
        invdes_cload_number(L, v, "'timeout'", &o->timeout) && o->timeout < 0)
      invdes_cload_error(L, v, INVDES_ERR_INVALID,
                         "'timeout' is in seconds and must be 0 (none) or more, not %g",
                         o->timeout);
    if ((v = invdes_cload_get(n, "parallel")))
      invdes_cload_int(L, v, "'parallel'", 1, 4096, &o->parallel);
    break;
  case INVDES_OBJECTIVE_DATASET:
    if ((v = invdes_cload_get(n, "file")) && invdes_cload_string(L, v, "'file'", &s))
      o->file = invdes_cload_strdup(L, s);
    if ((v = invdes_cload_get(n, "model"))) {
      static const char *const models[] = {"gp", "rf", NULL};
      int m = invdes_cload_choice(L, v, "data-set model", models);
      if (m >= 0) o->model = invdes_cload_strdup(L, models[m]);
    }
    break;
  case INVDES_OBJECTIVE_STATION:
    break;
  }
}

static const char *const designs[] = {"random", "sobol", "lhs", NULL};

static void read_initial(invdes_cload *L, const invdes_ynode *n, invdes_strategy_spec *s) {
  static const char *const keys[] = {"design", "count", NULL};
  if (!invdes_cload_expect_mapping(L, n, "'initial'")) return;
  invdes_cload_keys(L, n, "strategy.initial", keys);
  const invdes_ynode *v;
  if ((v = invdes_cload_get(n, "design"))) {
    int d = invdes_cload_choice(L, v, "initial design", designs);
    if (d >= 0) s->initial_design = (invdes_design_kind)d;
  }
  if ((v = invdes_cload_get(n, "count")) &&
      invdes_cload_int(L, v, "'count'", 0, 100000000, &s->initial_count))
    L->initial_count_given = 1;
}

/* 1 when the NULL-terminated list (may be NULL) holds key. */
static int listed(const char *const *list, const char *key) {
  for (size_t i = 0; list && list[i]; i++)
    if (strcmp(list[i], key) == 0) return 1;
  return 0;
}

#define STRATEGY_MAX_KEYS 64

/* The keys a `strategy:` mapping may hold: the common ones and those of
 * every kind in the registry, each once, so that another kind's key is
 * reported as belonging to that kind rather than as unknown. */
static void strategy_keys(const char **keys) {
  size_t n = 0;
  keys[n++] = "kind";
  keys[n] = NULL;
  const invdes_strategy_type *t;
  for (size_t i = 0; (t = invdes_strategy_type_at(i)); i++)
    for (size_t j = 0; t->keys && t->keys[j]; j++)
      if (n < STRATEGY_MAX_KEYS - 3 && !listed(keys, t->keys[j])) {
        keys[n++] = t->keys[j];
        keys[n] = NULL;
      }
  keys[n++] = "batch";
  keys[n++] = "initial";
  keys[n] = NULL;
}

/* Refuses each key of mapping n that belongs to other kinds than `kind`:
 * "'kernel' applies to strategy kind 'bo' only, not 'pso'". */
static void foreign_keys(invdes_cload *L, const invdes_ynode *n, const invdes_strategy_type *kind) {
  for (size_t i = 0; i < n->n; i++) {
    const char *key = n->keys[i]->text;
    if (listed(kind->keys, key)) continue;
    char owners[200] = "";
    size_t len = 0;
    const invdes_strategy_type *t;
    for (size_t j = 0; (t = invdes_strategy_type_at(j)) && len < sizeof owners; j++)
      if (listed(t->keys, key))
        len += (size_t)snprintf(owners + len, sizeof owners - len, "%s'%s'", len ? " or " : "",
                                t->name);
    if (len)
      invdes_cload_error(L, n->keys[i], INVDES_ERR_INVALID,
                         "'%s' applies to strategy kind %s only, not '%s'", key, owners,
                         kind->name);
  }
}

void invdes_cload_strategy(invdes_cload *L, const invdes_ynode *n) {
  invdes_strategy_spec *s = &L->c->strategy;
  s->kind = invdes_strategy_type_find("bo");
  s->batch = 1;
  s->initial_design = INVDES_DESIGN_SOBOL;
  s->initial_count = 0;
  if (n && !invdes_ynode_is_null(n)) {
    s->mark = invdes_cload_mark(n);
    if (!invdes_cload_expect_mapping(L, n, "'strategy'")) return;
    const char *keys[STRATEGY_MAX_KEYS + 1];
    strategy_keys(keys);
    invdes_cload_keys(L, n, "strategy", keys);
    const invdes_ynode *v;
    if ((v = invdes_cload_get(n, "kind"))) {
      int k = invdes_cload_choice(L, v, "strategy kind", invdes_strategy_type_names());
      if (k < 0) return;
      s->kind = invdes_strategy_type_at((size_t)k);
    }
    foreign_keys(L, n, s->kind);
    if ((v = invdes_cload_get(n, "batch"))) invdes_cload_int(L, v, "'batch'", 1, 1000000, &s->batch);
    if ((v = invdes_cload_get(n, "initial"))) read_initial(L, v, s);
  }
  if (!s->kind->options_new) return;
  if (!(s->options = s->kind->options_new())) {
    invdes_cload_nomem(L);
    return;
  }
  if (n && !invdes_ynode_is_null(n) && s->kind->options_read)
    s->kind->options_read(L, n, s->options);
}

void invdes_cload_budget(invdes_cload *L, const invdes_ynode *n) {
  static const char *const keys[] = {"evaluations", "stop_when", NULL};
  invdes_budget *b = &L->c->budget;
  if (!n) return; /* reported as missing by the caller */
  b->mark = invdes_cload_mark(n);
  if (!invdes_cload_expect_mapping(L, n, "'budget'")) return;
  invdes_cload_keys(L, n, "budget", keys);
  const invdes_ynode *v = invdes_cload_get(n, "evaluations");
  if (!v)
    invdes_cload_error(L, L->section_key ? L->section_key : n, INVDES_ERR_INVALID,
                       "'budget' has no 'evaluations' (how many results to collect)");
  else
    invdes_cload_int(L, v, "'evaluations'", 1, 100000000, &b->evaluations);
  if ((v = invdes_cload_get(n, "stop_when"))) {
    static const char *const whens[] = {"satisfied", "never", NULL};
    int w = invdes_cload_choice(L, v, "stop_when condition", whens);
    b->stop_when_satisfied = w == 0;
  }
}
