/* campaign.c — loading a campaign file: the public entry points of campaign.h.
 *
 * Reads the file, parses it once with libyaml into a node tree (yaml_tree.h),
 * walks the top-level keys into the typed model section by section
 * (campaign_space.c, campaign_run.c, campaign_pool.c), runs the checks that
 * span sections (campaign_check.c) and, when all of that passed, builds the
 * design space (space.h) so that constraints that do not parse or cannot be
 * met are reported at load time too; the campaign keeps that space for its
 * users (invdes_campaign_space). Diagnostics accumulate: one load reports
 * every mistake it can find, each "FILE:LINE:COL: message".
 *
 * This file also owns freeing the model and the enum-to-name tables (the
 * goals' is target.c's). */
#include "campaign.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign_read.h"
#include "file.h"
#include "objective.h"
#include "strategy_type.h"
#include "space.h"

const char *invdes_param_type_name(invdes_param_type t) {
  switch (t) {
  case INVDES_PARAM_CONTINUOUS: return "continuous";
  case INVDES_PARAM_INTEGER: return "integer";
  case INVDES_PARAM_DISCRETE: return "discrete";
  case INVDES_PARAM_CATEGORICAL: return "categorical";
  }
  return "?";
}

const char *invdes_strategy_kind_name(const invdes_strategy_type *k) {
  return k ? k->name : "?";
}

const char *invdes_design_kind_name(invdes_design_kind k) {
  switch (k) {
  case INVDES_DESIGN_RANDOM: return "random";
  case INVDES_DESIGN_SOBOL: return "sobol";
  case INVDES_DESIGN_LHS: return "lhs";
  }
  return "?";
}

size_t invdes_campaign_n_vars(const invdes_campaign *c) {
  if (!c) return 0;
  size_t n = c->n_params;
  for (size_t g = 0; g < c->n_compositions; g++) n += c->compositions[g].n_components;
  return n;
}

static void free_strings(char **s, size_t n) {
  if (!s) return;
  for (size_t i = 0; i < n; i++) free(s[i]);
  free(s);
}

void invdes_campaign_free(invdes_campaign *c) {
  if (!c) return;
  invdes_space_free(c->space); /* it borrows the fields freed below */
  for (size_t i = 0; i < c->n_params; i++) {
    invdes_param *p = &c->params[i];
    free(p->name);
    free(p->values);
    free_strings(p->labels, p->labels ? p->n_values : 0);
    free(p->unit);
  }
  free(c->params);
  for (size_t g = 0; g < c->n_compositions; g++) {
    invdes_composition *cg = &c->compositions[g];
    free(cg->name);
    for (size_t i = 0; i < cg->n_components; i++) free(cg->components[i].name);
    free(cg->components);
  }
  free(c->compositions);
  for (size_t i = 0; i < c->n_constraints; i++) free(c->constraints[i].text);
  free(c->constraints);
  for (size_t i = 0; i < c->n_targets; i++) {
    free(c->targets[i].name);
    free(c->targets[i].unit);
  }
  free(c->targets);
  free(c->budget.stop_levels);
  if (c->pool) {
    invdes_pool *p = c->pool;
    free(p->file);
    free(p->path);
    free(p->id_column);
    free_strings(p->features, p->n_features);
    free(p->x);
    free_strings(p->ids, p->ids ? p->n_rows : 0);
    free(p);
  }
  invdes_objective_clear(&c->objective);
  if (c->strategy.kind && c->strategy.kind->options_free)
    c->strategy.kind->options_free(c->strategy.options);
  free(c->path);
  free(c->dir);
  free(c->text);
  free(c->name);
  free(c->description);
  free(c);
}

static const char *const top_keys[] = {"name", "description", "seed", "parameters",
                                       "compositions", "constraints", "targets", "objective",
                                       "strategy", "budget", "pool", NULL};

static void read_name(invdes_cload *L, const invdes_ynode *root) {
  const invdes_ynode *n = invdes_cload_get(root, "name");
  const char *s;
  if (!n) {
    invdes_cload_error(L, root, INVDES_ERR_INVALID, "the campaign has no 'name'");
    return;
  }
  if (!invdes_cload_string(L, n, "'name'", &s)) return;
  int ok = *s != '\0';
  for (const char *p = s; *p; p++)
    ok &= isalnum((unsigned char)*p) || *p == '-' || *p == '_';
  if (!ok) {
    invdes_cload_error(L, n, INVDES_ERR_INVALID,
                       "campaign name '%.60s' may hold only letters, digits, '-' and '_'", s);
    return;
  }
  L->c->name = invdes_cload_strdup(L, s);
}

static void read_seed(invdes_cload *L, const invdes_ynode *n) {
  if (!n) return;
  const char *s = n->kind == INVDES_YNODE_SCALAR ? n->text : "";
  int ok = n->kind == INVDES_YNODE_SCALAR && *s;
  for (const char *p = s; ok && *p; p++) ok = isdigit((unsigned char)*p);
  unsigned long long v = 0;
  if (ok) {
    errno = 0;
    v = strtoull(s, NULL, 10);
    ok = errno == 0;
  }
  if (!ok) {
    invdes_cload_error(L, n, INVDES_ERR_INVALID,
                       "'seed' must be a whole number from 0 to 18446744073709551615, not %s%.40s%s",
                       n->kind == INVDES_YNODE_SCALAR ? "'" : "",
                       n->kind == INVDES_YNODE_SCALAR ? s : invdes_ynode_kind_noun(n),
                       n->kind == INVDES_YNODE_SCALAR ? "'" : "");
    return;
  }
  L->c->seed = (uint64_t)v;
}

/* Walks the document into c; diagnostics go to L. */
static void walk(invdes_cload *L, const invdes_ynode *root) {
  invdes_campaign *c = L->c;
  if (!root || invdes_ynode_is_null(root)) {
    invdes_cload_error(L, NULL, INVDES_ERR_INVALID,
                       "the campaign file is empty (see docs/campaign-format.md)");
    return;
  }
  if (!invdes_cload_expect_mapping(L, root, "a campaign file")) return;
  invdes_cload_keys(L, root, "the campaign", top_keys);
  read_name(L, root);
  const invdes_ynode *d = invdes_cload_get(root, "description");
  const char *s;
  if (d && !invdes_ynode_is_null(d) && invdes_cload_string(L, d, "'description'", &s))
    c->description = invdes_cload_strdup(L, s);
  read_seed(L, invdes_cload_get(root, "seed"));
  invdes_cload_parameters(L, invdes_cload_get(root, "parameters"));
  invdes_cload_compositions(L, invdes_cload_get(root, "compositions"));
  invdes_cload_constraints(L, invdes_cload_get(root, "constraints"));
  const invdes_ynode *t = invdes_cload_get(root, "targets");
  if (!t || invdes_ynode_is_null(t) || (t->kind == INVDES_YNODE_SEQUENCE && t->n == 0))
    invdes_cload_error(L, t ? t : root, INVDES_ERR_INVALID,
                       "the campaign has no 'targets': list at least one measured value "
                       "and its goal");
  else
    invdes_cload_targets(L, t);
  L->section_key = invdes_cload_key_node(root, "objective");
  invdes_cload_objective(L, root);
  invdes_cload_strategy(L, invdes_cload_get(root, "strategy"));
  const invdes_ynode *b = invdes_cload_get(root, "budget");
  if (!b)
    invdes_cload_error(L, root, INVDES_ERR_INVALID,
                       "the campaign has no 'budget' (e.g. budget: {evaluations: 50})");
  L->section_key = invdes_cload_key_node(root, "budget");
  invdes_cload_budget(L, b);
  L->section_key = invdes_cload_key_node(root, "pool");
  if (!L->nomem) invdes_cload_pool(L, invdes_cload_get(root, "pool"));
  L->section_key = NULL;
  if (!L->nomem) invdes_cload_cross_checks(L, root);
}

static char *dir_of(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash) return strdup(".");
  if (slash == path) return strdup("/");
  return strndup(path, (size_t)(slash - path));
}

invdes_campaign *invdes_campaign_parse(const char *path, const char *text, size_t len,
                                       invdes_error *err) {
  invdes_error_clear(err);
  if (!path) path = "<input>";
  if (!text) {
    invdes_error_set(err, INVDES_ERR_USAGE, "invdes_campaign_parse: no text");
    return NULL;
  }
  invdes_campaign *c = calloc(1, sizeof *c);
  if (!c || !(c->path = strdup(path)) || !(c->dir = dir_of(path)) ||
      !(c->text = malloc(len + 1))) {
    invdes_campaign_free(c);
    invdes_error_set(err, INVDES_ERR_NOMEM, "%s: out of memory", path);
    return NULL;
  }
  memcpy(c->text, text, len);
  c->text[len] = '\0';
  c->text_len = len;
  invdes_error local;
  if (!err) err = &local; /* diagnostics are counted even when nobody reads them */
  invdes_error_clear(err);
  invdes_ytree *tree = invdes_ytree_parse(c->path, c->text, len, err);
  if (!tree) {
    invdes_campaign_free(c);
    return NULL;
  }
  invdes_cload L = {.c = c, .err = err};
  walk(&L, invdes_ytree_root(tree));
  invdes_ytree_free(tree);
  if (L.n_errors == 0) {
    /* The space compiles the constraints and looks for a feasible point; the
     * campaign keeps it (invdes_campaign_space). */
    c->space = invdes_space_new(c, err);
    if (!c->space) L.n_errors++;
  }
  if (L.n_errors) {
    invdes_campaign_free(c);
    return NULL;
  }
  return c;
}

const invdes_space *invdes_campaign_space(const invdes_campaign *c) {
  return c ? c->space : NULL;
}

invdes_campaign *invdes_campaign_load(const char *path, invdes_error *err) {
  invdes_error_clear(err);
  if (!path) {
    invdes_error_set(err, INVDES_ERR_USAGE, "invdes_campaign_load: no path");
    return NULL;
  }
  char *buf = NULL;
  size_t n = 0;
  if (invdes_file_read(path, &buf, &n, err) != INVDES_OK) return NULL;
  invdes_campaign *c = invdes_campaign_parse(path, buf, n, err);
  free(buf);
  return c;
}
