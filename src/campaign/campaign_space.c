/* campaign_space.c — the campaign sections that describe what may vary and
 * what is wanted: `parameters`, `compositions`, `constraints` and `targets`.
 *
 * Each entry is read into its struct and checked on its own (types, bounds,
 * values, fields that belong to its kind). Checks that span entries (names
 * used twice, a pool beside parameters) are in campaign_check.c; whether a
 * constraint parses and can be met is the space's business (space.h). */
#include "campaign_read.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "target.h"

static const char *const param_keys[] = {"name", "type", "bounds", "values", "unit", "scale",
                                         NULL};
static const char *const param_types[] = {"continuous", "integer", "discrete", "categorical",
                                          NULL};

/* Reads `name` of an entry: required, an identifier. Returns a copy or NULL. */
static char *read_name(invdes_cload *L, const invdes_ynode *m, const char *what) {
  const invdes_ynode *n = invdes_cload_get(m, "name");
  const char *s;
  if (!n) {
    invdes_cload_error(L, m, INVDES_ERR_INVALID, "%s has no 'name'", what);
    return NULL;
  }
  if (!invdes_cload_string(L, n, "'name'", &s)) return NULL;
  if (!invdes_cload_identifier(L, n, "name", s)) return NULL;
  return invdes_cload_strdup(L, s);
}

static const char *shown(const char *name) { return name ? name : "?"; }

/* Refuses a key that does not apply (e.g. `values` on a continuous parameter). */
static void stray(invdes_cload *L, const invdes_ynode *m, const char *key, const char *why) {
  const invdes_ynode *k = invdes_cload_key_node(m, key);
  if (k) invdes_cload_error(L, k, INVDES_ERR_INVALID, "'%s' %s", key, why);
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void read_bounds(invdes_cload *L, const invdes_ynode *m, invdes_param *p) {
  const invdes_ynode *b = invdes_cload_get(m, "bounds");
  const char *tn = invdes_param_type_name(p->type);
  if (!b) {
    invdes_cload_error(L, m, INVDES_ERR_INVALID, "%s parameter '%s' needs 'bounds: [low, high]'",
                       tn, shown(p->name));
    return;
  }
  if (!invdes_cload_pair(L, b, "'bounds'", &p->lo, &p->hi)) return;
  if (p->type == INVDES_PARAM_INTEGER && (p->lo != floor(p->lo) || p->hi != floor(p->hi))) {
    invdes_cload_error(L, b, INVDES_ERR_INVALID,
                       "integer parameter '%s': bounds [%g, %g] must be whole numbers",
                       shown(p->name), p->lo, p->hi);
    return;
  }
  if (p->lo > p->hi)
    invdes_cload_error(L, b, INVDES_ERR_INVALID,
                       "parameter '%s': bounds [%g, %g] are reversed (low must be below high)",
                       shown(p->name), p->lo, p->hi);
  else if (p->lo == p->hi)
    invdes_cload_error(L, b, INVDES_ERR_INVALID,
                       "parameter '%s': bounds [%g, %g] are equal; a parameter must be able "
                       "to vary (remove it to fix its value)",
                       shown(p->name), p->lo, p->hi);
  else if (p->log_scale && p->lo <= 0)
    invdes_cload_error(L, b, INVDES_ERR_INVALID,
                       "parameter '%s': log scale needs bounds above 0, got [%g, %g]",
                       shown(p->name), p->lo, p->hi);
}

/* Finds the first repeated scalar in a list (by number when numeric != 0). */
static const invdes_ynode *first_repeat(const invdes_ynode *list, int numeric,
                                        const invdes_ynode **earlier) {
  for (size_t i = 1; i < list->n; i++)
    for (size_t j = 0; j < i; j++) {
      const invdes_ynode *a = list->items[j], *b = list->items[i];
      if (a->kind != INVDES_YNODE_SCALAR || b->kind != INVDES_YNODE_SCALAR) continue;
      double x, y;
      int same = numeric ? invdes_cload_parse_double(a->text, &x) &&
                               invdes_cload_parse_double(b->text, &y) && x == y
                         : strcmp(a->text, b->text) == 0;
      if (same) {
        *earlier = a;
        return b;
      }
    }
  return NULL;
}

static void read_values(invdes_cload *L, const invdes_ynode *m, invdes_param *p) {
  const invdes_ynode *v = invdes_cload_get(m, "values");
  const char *tn = invdes_param_type_name(p->type);
  if (!v) {
    invdes_cload_error(L, m, INVDES_ERR_INVALID, "%s parameter '%s' needs 'values: [...]'", tn,
                       shown(p->name));
    return;
  }
  if (!invdes_cload_expect_list(L, v, "'values'")) return;
  if (v->n < 2) {
    invdes_cload_error(L, v, INVDES_ERR_INVALID,
                       "parameter '%s': 'values' lists %zu value%s; at least two are needed "
                       "(remove the parameter to fix its value)",
                       shown(p->name), v->n, v->n == 1 ? "" : "s");
    return;
  }
  int numeric = p->type == INVDES_PARAM_DISCRETE;
  int ok = 1;
  if (numeric) {
    p->values = calloc(v->n, sizeof *p->values);
    if (!p->values) { invdes_cload_nomem(L); return; }
  } else {
    p->labels = calloc(v->n, sizeof *p->labels);
    if (!p->labels) { invdes_cload_nomem(L); return; }
  }
  p->n_values = v->n;
  for (size_t i = 0; i < v->n; i++) {
    const invdes_ynode *it = v->items[i];
    if (numeric) {
      ok &= invdes_cload_number(L, it, "a discrete value", &p->values[i]);
    } else if (it->kind != INVDES_YNODE_SCALAR || it->len == 0) {
      invdes_cload_error(L, it, INVDES_ERR_INVALID,
                         "parameter '%s': a categorical value must be a non-empty label, not %s",
                         shown(p->name), it->len == 0 ? "an empty text" : invdes_ynode_kind_noun(it));
      ok = 0;
    } else if (!(p->labels[i] = invdes_cload_strdup(L, it->text))) {
      return;
    }
  }
  if (!ok) return;
  const invdes_ynode *earlier = NULL, *rep = first_repeat(v, numeric, &earlier);
  if (rep) {
    invdes_cload_error(L, rep, INVDES_ERR_INVALID,
                       "parameter '%s': value '%.60s' is listed twice (first at line %d, "
                       "column %d)", shown(p->name), rep->text, earlier->line, earlier->column);
    return;
  }
  if (numeric) {
    qsort(p->values, p->n_values, sizeof *p->values, cmp_double);
    p->lo = p->values[0];
    p->hi = p->values[p->n_values - 1];
  } else {
    p->lo = 0;
    p->hi = (double)(p->n_values - 1);
  }
}

static void read_param(invdes_cload *L, const invdes_ynode *m, invdes_param *p) {
  p->mark = invdes_cload_mark(m);
  if (!invdes_cload_expect_mapping(L, m, "a parameter")) return;
  invdes_cload_keys(L, m, "parameter", param_keys);
  p->name = read_name(L, m, "a parameter");
  const invdes_ynode *t = invdes_cload_get(m, "type");
  if (!t) {
    invdes_cload_error(L, m, INVDES_ERR_INVALID,
                       "parameter '%s' has no 'type' (continuous, integer, discrete or "
                       "categorical)", shown(p->name));
    return;
  }
  int k = invdes_cload_choice(L, t, "parameter type", param_types);
  if (k < 0) return;
  p->type = (invdes_param_type)k;
  const invdes_ynode *u = invdes_cload_get(m, "unit");
  const char *s;
  if (u && !invdes_ynode_is_null(u) && invdes_cload_string(L, u, "'unit'", &s))
    p->unit = invdes_cload_strdup(L, s);
  const invdes_ynode *sc = invdes_cload_get(m, "scale");
  int ranged = p->type == INVDES_PARAM_CONTINUOUS || p->type == INVDES_PARAM_INTEGER;
  if (sc) {
    if (!ranged) {
      stray(L, m, "scale", "applies to continuous and integer parameters only");
    } else {
      static const char *const scales[] = {"linear", "log", NULL};
      int sk = invdes_cload_choice(L, sc, "scale", scales);
      p->log_scale = sk == 1;
    }
  }
  if (ranged) {
    stray(L, m, "values", "is for discrete and categorical parameters; "
                          "continuous and integer ones take 'bounds'");
    read_bounds(L, m, p);
  } else {
    stray(L, m, "bounds", "is for continuous and integer parameters; "
                          "discrete and categorical ones take 'values'");
    read_values(L, m, p);
  }
}

void invdes_cload_parameters(invdes_cload *L, const invdes_ynode *n) {
  if (!n || invdes_ynode_is_null(n)) return;
  if (!invdes_cload_expect_list(L, n, "'parameters'")) return;
  invdes_campaign *c = L->c;
  if (n->n == 0) return;
  c->params = calloc(n->n, sizeof *c->params);
  if (!c->params) { invdes_cload_nomem(L); return; }
  for (size_t i = 0; i < n->n && !L->nomem; i++) {
    c->n_params++;
    read_param(L, n->items[i], &c->params[i]);
  }
}

/* One component: `name: [lo, hi]`, or `name:` alone for [0, total]. */
static void read_component(invdes_cload *L, const invdes_composition *g, const invdes_ynode *key,
                           const invdes_ynode *val, invdes_component *k) {
  k->mark = invdes_cload_mark(key);
  if (invdes_cload_identifier(L, key, "component name", key->text))
    k->name = invdes_cload_strdup(L, key->text);
  k->lo = 0;
  k->hi = g->total;
  if (!val || invdes_ynode_is_null(val)) return;
  if (!invdes_cload_pair(L, val, "component bounds", &k->lo, &k->hi)) return;
  if (k->lo > k->hi)
    invdes_cload_error(L, val, INVDES_ERR_INVALID,
                       "component '%s': bounds [%g, %g] are reversed", key->text, k->lo, k->hi);
  else if (k->lo < 0 || k->hi > g->total)
    invdes_cload_error(L, val, INVDES_ERR_INVALID,
                       "component '%s': bounds [%g, %g] must lie within [0, %g] (the group's "
                       "total)", key->text, k->lo, k->hi, g->total);
}

static const char *const group_keys[] = {"name", "total", "components", NULL};

static void read_group(invdes_cload *L, const invdes_ynode *m, invdes_composition *g) {
  g->mark = invdes_cload_mark(m);
  if (!invdes_cload_expect_mapping(L, m, "a composition")) return;
  invdes_cload_keys(L, m, "composition", group_keys);
  g->name = read_name(L, m, "a composition");
  g->total = 1.0;
  const invdes_ynode *t = invdes_cload_get(m, "total");
  if (t && invdes_cload_number(L, t, "'total'", &g->total) && g->total <= 0) {
    invdes_cload_error(L, t, INVDES_ERR_INVALID, "composition '%s': 'total' must be above 0, not %g",
                       shown(g->name), g->total);
    return;
  }
  const invdes_ynode *cs = invdes_cload_get(m, "components");
  if (!cs) {
    invdes_cload_error(L, m, INVDES_ERR_INVALID,
                       "composition '%s' has no 'components' (name: [low, high] lines)",
                       shown(g->name));
    return;
  }
  if (cs->kind != INVDES_YNODE_MAPPING && cs->kind != INVDES_YNODE_SEQUENCE) {
    invdes_cload_error(L, cs, INVDES_ERR_INVALID,
                       "'components' must be a mapping (name: [low, high]) or a list of "
                       "names, not %s", invdes_ynode_kind_noun(cs));
    return;
  }
  if (cs->n < 2) {
    invdes_cload_error(L, cs, INVDES_ERR_INVALID,
                       "composition '%s' has %zu component%s; it needs at least two",
                       shown(g->name), cs->n, cs->n == 1 ? "" : "s");
    return;
  }
  g->components = calloc(cs->n, sizeof *g->components);
  if (!g->components) { invdes_cload_nomem(L); return; }
  int before = L->n_errors;
  for (size_t i = 0; i < cs->n && !L->nomem; i++) {
    g->n_components++;
    if (cs->kind == INVDES_YNODE_MAPPING) {
      read_component(L, g, cs->keys[i], cs->items[i], &g->components[i]);
    } else if (cs->items[i]->kind != INVDES_YNODE_SCALAR) {
      invdes_cload_error(L, cs->items[i], INVDES_ERR_INVALID,
                         "a component in a list is just its name, not %s (write "
                         "'name: [low, high]' lines for bounds)",
                         invdes_ynode_kind_noun(cs->items[i]));
    } else {
      read_component(L, g, cs->items[i], NULL, &g->components[i]);
    }
  }
  if (L->n_errors != before) return;
  double slo = 0, shi = 0;
  for (size_t i = 0; i < g->n_components; i++) {
    slo += g->components[i].lo;
    shi += g->components[i].hi;
  }
  double eps = 1e-12 * (fabs(g->total) + 1);
  if (slo > g->total + eps)
    invdes_cload_error(L, cs, INVDES_ERR_INVALID,
                       "composition '%s': the lower bounds sum to %g, above the total %g, so "
                       "no composition fits", shown(g->name), slo, g->total);
  else if (shi < g->total - eps)
    invdes_cload_error(L, cs, INVDES_ERR_INVALID,
                       "composition '%s': the upper bounds sum to %g, below the total %g, so "
                       "no composition reaches it", shown(g->name), shi, g->total);
}

void invdes_cload_compositions(invdes_cload *L, const invdes_ynode *n) {
  if (!n || invdes_ynode_is_null(n)) return;
  if (!invdes_cload_expect_list(L, n, "'compositions'")) return;
  invdes_campaign *c = L->c;
  if (n->n == 0) return;
  c->compositions = calloc(n->n, sizeof *c->compositions);
  if (!c->compositions) { invdes_cload_nomem(L); return; }
  for (size_t i = 0; i < n->n && !L->nomem; i++) {
    c->n_compositions++;
    read_group(L, n->items[i], &c->compositions[i]);
  }
}

/* 0 asks constraint.h for its default slack, 1e-9 * max(1, |rhs|). */
#define DEFAULT_EQ_TOL 0.0

static const char *const constraint_keys[] = {"expr", "tol", NULL};

static void read_constraint(invdes_cload *L, const invdes_ynode *it, invdes_constraint_spec *k) {
  const invdes_ynode *e = it, *tol = NULL;
  k->mark = invdes_cload_mark(it);
  if (it->kind == INVDES_YNODE_MAPPING) {
    invdes_cload_keys(L, it, "constraint", constraint_keys);
    e = invdes_cload_get(it, "expr");
    tol = invdes_cload_get(it, "tol");
    if (!e) {
      invdes_cload_error(L, it, INVDES_ERR_INVALID, "constraint has no 'expr'");
      return;
    }
  }
  const char *s;
  if (e->kind != INVDES_YNODE_SCALAR || invdes_ynode_is_null(e)) {
    invdes_cload_error(L, e, INVDES_ERR_INVALID,
                       "a constraint must be an expression such as \"a + b <= 1\" (or "
                       "{expr: ..., tol: ...}), not %s", invdes_ynode_kind_noun(e));
    return;
  }
  s = e->text;
  k->mark = invdes_cload_mark(e);
  /* The mark points at the expression's first character, inside any quote,
   * so that a column inside the expression adds to it. */
  if (e->quoted && e->line == k->mark.line) {
    const char *src = L->c->text;
    size_t line = 1, col = 1, i = 0;
    for (; i < L->c->text_len && (line < (size_t)e->line || col < (size_t)e->column); i++) {
      if (src[i] == '\n') { line++; col = 1; } else col++;
    }
    if (i < L->c->text_len && (src[i] == '"' || src[i] == '\'')) k->mark.column++;
  }
  if (!(k->text = invdes_cload_strdup(L, s))) return;
  int equality = strstr(s, "==") != NULL;
  k->tol = equality ? DEFAULT_EQ_TOL : 0;
  if (tol) {
    if (!equality) {
      stray(L, it, "tol", "applies to equality constraints ('==') only");
    } else if (invdes_cload_number(L, tol, "'tol'", &k->tol) && k->tol < 0) {
      invdes_cload_error(L, tol, INVDES_ERR_INVALID, "'tol' must be 0 or more, not %g", k->tol);
    }
  }
}

void invdes_cload_constraints(invdes_cload *L, const invdes_ynode *n) {
  if (!n || invdes_ynode_is_null(n)) return;
  if (!invdes_cload_expect_list(L, n, "'constraints'")) return;
  invdes_campaign *c = L->c;
  if (n->n == 0) return;
  c->constraints = calloc(n->n, sizeof *c->constraints);
  if (!c->constraints) { invdes_cload_nomem(L); return; }
  for (size_t i = 0; i < n->n && !L->nomem; i++) {
    c->n_constraints++;
    read_constraint(L, n->items[i], &c->constraints[i]);
  }
}

static const char *const target_keys[] = {"name", "goal", "window", "threshold", "weight",
                                          "reference", "unit", "range", NULL};

/* `range: [lo, hi]`: the values a measurement can plausibly take. */
static void read_range(invdes_cload *L, const invdes_ynode *m, invdes_target *t) {
  const invdes_ynode *r = invdes_cload_get(m, "range");
  double lo, hi;
  if (!r || !invdes_cload_pair(L, r, "'range'", &lo, &hi)) return;
  if (!(lo < hi))
    invdes_cload_error(L, r, INVDES_ERR_INVALID,
                       "target '%s': range [%g, %g] is empty (low must be below high)",
                       shown(t->name), lo, hi);
  else
    t->range_lo = lo, t->range_hi = hi;
}

/* A condition that no value inside the declared range can meet (a window
 * beside the range, a `below` threshold under it, an `above` one over it)
 * would rank every result as failing; refused at the condition. */
static void check_reachable(invdes_cload *L, const invdes_target *t, const invdes_ynode *w,
                            const invdes_ynode *th) {
  if (!(t->range_lo < t->range_hi)) return;
  if (t->goal == INVDES_GOAL_WINDOW && w && t->lo < t->hi &&
      (t->hi < t->range_lo || t->lo > t->range_hi))
    invdes_cload_error(L, w, INVDES_ERR_INVALID,
                       "target '%s': window [%g, %g] lies outside its range [%g, %g]: no "
                       "measurement could meet it", shown(t->name), t->lo, t->hi, t->range_lo,
                       t->range_hi);
  else if (t->goal == INVDES_GOAL_BELOW && th && t->threshold < t->range_lo)
    invdes_cload_error(L, th, INVDES_ERR_INVALID,
                       "target '%s': threshold %g lies below its range [%g, %g]: no "
                       "measurement could meet it", shown(t->name), t->threshold, t->range_lo,
                       t->range_hi);
  else if (t->goal == INVDES_GOAL_ABOVE && th && t->threshold > t->range_hi)
    invdes_cload_error(L, th, INVDES_ERR_INVALID,
                       "target '%s': threshold %g lies above its range [%g, %g]: no "
                       "measurement could meet it", shown(t->name), t->threshold, t->range_lo,
                       t->range_hi);
}

/* `reference: <number>` on a maximize/minimize target: the hypervolume's
 * reference value; whether the campaign is multi-objective is checked once
 * every target is read (check_references). */
static void read_reference(invdes_cload *L, const invdes_ynode *m, invdes_target *t) {
  const invdes_ynode *r = invdes_cload_get(m, "reference");
  double v;
  if (r && invdes_cload_number(L, r, "'reference'", &v)) t->reference = v;
}

/* A reference serves only a multi-objective campaign's hypervolume: on a
 * single objective or a weighted sum it would be silently ignored, so it
 * is refused where it is written. */
static void check_references(invdes_cload *L, const invdes_ynode *list) {
  const invdes_campaign *c = L->c;
  if (invdes_targets_pareto(c->targets, c->n_targets)) return;
  for (size_t i = 0; i < c->n_targets; i++) {
    if (isnan(c->targets[i].reference)) continue;
    const invdes_ynode *r = invdes_cload_get(list->items[i], "reference");
    invdes_cload_error(L, r ? r : list->items[i], INVDES_ERR_INVALID,
                       "target '%s': 'reference' serves the hypervolume of a multi-objective "
                       "campaign (two or more maximize/minimize targets, none with 'weight'); "
                       "this campaign is not one", shown(c->targets[i].name));
  }
}

static void read_target(invdes_cload *L, const invdes_ynode *m, invdes_target *t) {
  t->mark = invdes_cload_mark(m);
  t->weight = 1;
  t->reference = NAN;
  if (!invdes_cload_expect_mapping(L, m, "a target")) return;
  invdes_cload_keys(L, m, "target", target_keys);
  t->name = read_name(L, m, "a target");
  const char *s;
  const invdes_ynode *u = invdes_cload_get(m, "unit");
  if (u && !invdes_ynode_is_null(u) && invdes_cload_string(L, u, "'unit'", &s))
    t->unit = invdes_cload_strdup(L, s);
  read_range(L, m, t);
  const invdes_ynode *g = invdes_cload_get(m, "goal");
  if (!g) {
    invdes_cload_error(L, m, INVDES_ERR_INVALID,
                       "target '%s' has no 'goal' (maximize, minimize, window, below or above)",
                       shown(t->name));
    return;
  }
  int k = invdes_cload_choice(L, g, "goal", invdes_goal_names());
  if (k < 0) return;
  t->goal = (invdes_goal)k;
  unsigned keys = invdes_goal_keys(t->goal);
  const invdes_ynode *w = invdes_cload_get(m, "window");
  const invdes_ynode *th = invdes_cload_get(m, "threshold");
  const invdes_ynode *wt = invdes_cload_get(m, "weight");
  char why[120];
  snprintf(why, sizeof why, "does not apply to goal '%s'", invdes_goal_name(t->goal));
  if (!(keys & INVDES_GOAL_KEY_WINDOW)) stray(L, m, "window", why);
  if (!(keys & INVDES_GOAL_KEY_THRESHOLD)) stray(L, m, "threshold", why);
  if (!(keys & INVDES_GOAL_KEY_WEIGHT)) stray(L, m, "weight", why);
  if (!(keys & INVDES_GOAL_KEY_REFERENCE)) stray(L, m, "reference", why);
  if (keys & INVDES_GOAL_KEY_WEIGHT) {
    t->weight_set = wt != NULL;
    if (wt && invdes_cload_number(L, wt, "'weight'", &t->weight) && t->weight <= 0)
      invdes_cload_error(L, wt, INVDES_ERR_INVALID, "target '%s': 'weight' must be above 0, not %g",
                         shown(t->name), t->weight);
    read_reference(L, m, t);
  } else if (keys & INVDES_GOAL_KEY_WINDOW) {
    if (!w) {
      invdes_cload_error(L, m, INVDES_ERR_INVALID, "target '%s' with goal 'window' needs "
                         "'window: [low, high]'", shown(t->name));
    } else if (invdes_cload_pair(L, w, "'window'", &t->lo, &t->hi) && !(t->lo < t->hi)) {
      invdes_cload_error(L, w, INVDES_ERR_INVALID,
                         "target '%s': window [%g, %g] is empty (low must be below high)",
                         shown(t->name), t->lo, t->hi);
    }
  } else if (keys & INVDES_GOAL_KEY_THRESHOLD) {
    if (!th)
      invdes_cload_error(L, m, INVDES_ERR_INVALID, "target '%s' with goal '%s' needs "
                         "'threshold: <number>'", shown(t->name), invdes_goal_name(t->goal));
    else
      invdes_cload_number(L, th, "'threshold'", &t->threshold);
  }
  check_reachable(L, t, w, th);
}

void invdes_cload_targets(invdes_cload *L, const invdes_ynode *n) {
  if (!n || invdes_ynode_is_null(n)) return;
  if (!invdes_cload_expect_list(L, n, "'targets'")) return;
  invdes_campaign *c = L->c;
  if (n->n == 0) return;
  c->targets = calloc(n->n, sizeof *c->targets);
  if (!c->targets) { invdes_cload_nomem(L); return; }
  for (size_t i = 0; i < n->n && !L->nomem; i++) {
    c->n_targets++;
    read_target(L, n->items[i], &c->targets[i]);
  }
  if (!L->nomem) check_references(L, n);
}
