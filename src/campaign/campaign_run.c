/* campaign_run.c — the campaign sections that say how a campaign runs:
 * `strategy` and `budget` (the `objective` section is read through the
 * objective kinds' tables, objectives/objective.c). Each is read into its
 * spec with its defaults and checked on its own: kinds (with suggestions),
 * the fields that belong to each kind, ranges. Whether the budget covers the
 * initial design needs other sections and is checked in campaign_check.c.
 * The strategy section knows no kind: the registry (strategy_type.h) says
 * which kinds exist, which keys each accepts, and reads each kind's own
 * options. */
#include "campaign_read.h"
#include "strategy_type.h"
#include "target.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
 * "'kernel' applies to strategy kind 'bo' only, not 'pso'"; a key of the
 * kind's own sub-mapping says where it goes ("pso: {surrogate: ...}"). */
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
    if (len && listed(kind->sub_keys, key))
      invdes_cload_error(L, n->keys[i], INVDES_ERR_INVALID,
                         "'%s' of strategy kind '%s' goes under '%s:' (%s: {%s: ...}); at the "
                         "top of 'strategy' it applies to kind %s only", key, kind->name,
                         kind->name, kind->name, key, owners);
    else if (len)
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

/* One entry of `stop_when: {TARGET: {at_least|at_most: NUMBER}}`: the level
 * of an objective target into levels[t]. The key must agree with the goal
 * (at_least for maximize, at_most for minimize); conditions take no level,
 * since stop_when always waits for them to be met. */
static void read_level(invdes_cload *L, const invdes_ynode *key, const invdes_ynode *v,
                       double *levels) {
  const invdes_campaign *c = L->c;
  size_t t = 0;
  while (t < c->n_targets && strcmp(c->targets[t].name, key->text) != 0) t++;
  if (t == c->n_targets) {
    const char *names[65];
    size_t k;
    for (k = 0; k < c->n_targets && k < 64; k++) names[k] = c->targets[k].name;
    names[k] = NULL;
    const char *sug = invdes_cload_suggest(key->text, names);
    invdes_cload_error(L, key, INVDES_ERR_INVALID, "stop_when: no target '%.60s'%s%s%s",
                       key->text, sug ? "; did you mean '" : "", sug ? sug : "", sug ? "'?" : "");
    return;
  }
  const invdes_target *tg = &c->targets[t];
  char goal[128];
  invdes_target_describe(tg, goal, sizeof goal);
  if (!invdes_goal_is_objective(tg->goal)) {
    invdes_cload_error(L, key, INVDES_ERR_INVALID, "stop_when: '%s' is a condition (%s), "
                       "which stop_when always waits for; a level (at_least, at_most) is "
                       "for a maximize or minimize target", tg->name, goal);
    return;
  }
  const char *want = tg->goal == INVDES_GOAL_MAXIMIZE ? "at_least" : "at_most";
  const char *other = tg->goal == INVDES_GOAL_MAXIMIZE ? "at_most" : "at_least";
  if (!invdes_cload_expect_mapping(L, v, "a stop_when level (e.g. {at_least: 200})")) return;
  if (v->n != 1) {
    invdes_cload_error(L, v, INVDES_ERR_INVALID, "stop_when: '%s' needs exactly one level, "
                       "'%s: <number>' (%s)", tg->name, want, goal);
    return;
  }
  const invdes_ynode *k = v->keys[0];
  if (strcmp(k->text, other) == 0) {
    invdes_cload_error(L, k, INVDES_ERR_INVALID, "stop_when: '%s' is to %s, so its level is "
                       "'%s', not '%s'", tg->name, invdes_goal_name(tg->goal), want, other);
    return;
  }
  const char *const keys[] = {want, NULL};
  char what[160];
  snprintf(what, sizeof what, "stop_when.%s", tg->name);
  if (invdes_cload_keys(L, v, what, keys)) return;
  snprintf(what, sizeof what, "stop_when: the level of '%s'", tg->name);
  invdes_cload_number(L, v->items[0], what, &levels[t]);
}

static void read_levels(invdes_cload *L, const invdes_ynode *m, invdes_budget *b) {
  const invdes_campaign *c = L->c;
  if (m->n == 0) {
    invdes_cload_error(L, m, INVDES_ERR_INVALID, "stop_when: name at least one target and its "
                       "level (e.g. {capacity: {at_least: 200}}), or write satisfied or never");
    return;
  }
  b->stop_levels = malloc((c->n_targets + 1) * sizeof *b->stop_levels);
  if (!b->stop_levels) {
    invdes_cload_nomem(L);
    return;
  }
  for (size_t t = 0; t < c->n_targets; t++) b->stop_levels[t] = NAN;
  for (size_t i = 0; i < m->n; i++) read_level(L, m->keys[i], m->items[i], b->stop_levels);
  b->stop_when_satisfied = 1;
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
    if (v->kind == INVDES_YNODE_MAPPING) {
      read_levels(L, v, b);
      return;
    }
    if (v->kind != INVDES_YNODE_SCALAR) {
      invdes_cload_error(L, v, INVDES_ERR_INVALID, "stop_when must be satisfied, never or "
                         "levels ({capacity: {at_least: 200}}), not %s",
                         invdes_ynode_kind_noun(v));
      return;
    }
    static const char *const whens[] = {"satisfied", "never", NULL};
    int w = invdes_cload_choice(L, v, "stop_when condition", whens);
    b->stop_when_satisfied = w == 0;
  }
}
