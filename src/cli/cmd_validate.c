/* cmd_validate.c — `invdes validate FILE`: loads a campaign with every check
 * the loader makes and prints what the search space is (parameters,
 * composition groups, constraints, targets, encoded dimension, estimated
 * feasible fraction), or the diagnostics and exit status 2. */
#include <stdio.h>
#include <string.h>

#include "campaign.h"
#include "cli_best.h"
#include "cli_options.h"
#include "commands.h"
#include "space.h"
#include "strategy.h"
#include "target.h"

static const char validate_usage[] =
    "usage: invdes validate [--quiet] CAMPAIGN.yaml\n\n"
    "Checks a campaign file and prints its design space: parameters (type, range\n"
    "or values, unit), composition groups, constraints, targets, the encoded\n"
    "dimension and the estimated feasible fraction. Errors name file, line and\n"
    "column. Exit status 0 when valid, 2 otherwise.\n\n"
    "  -q, --quiet    print nothing when the campaign is valid\n"
    "  -h, --help     this text\n"
    "  -V, --version  print the version\n";

static size_t name_width(const invdes_campaign *c) {
  size_t w = 4;
  for (size_t i = 0; i < c->n_params; i++)
    if (strlen(c->params[i].name) > w) w = strlen(c->params[i].name);
  for (size_t g = 0; g < c->n_compositions; g++)
    for (size_t k = 0; k < c->compositions[g].n_components; k++)
      if (strlen(c->compositions[g].components[k].name) + 2 > w)
        w = strlen(c->compositions[g].components[k].name) + 2;
  for (size_t t = 0; t < c->n_targets; t++)
    if (strlen(c->targets[t].name) > w) w = strlen(c->targets[t].name);
  return w;
}

/* The "range or values" column of a parameter. */
static void format_domain(const invdes_param *p, char *buf, size_t n) {
  size_t used = 0;
  switch (p->type) {
  case INVDES_PARAM_CONTINUOUS:
  case INVDES_PARAM_INTEGER:
    snprintf(buf, n, "[%g, %g]%s", p->lo, p->hi, p->log_scale ? " log" : "");
    return;
  case INVDES_PARAM_DISCRETE:
  case INVDES_PARAM_CATEGORICAL:
    buf[0] = '\0';
    for (size_t i = 0; i < p->n_values && used + 1 < n; i++) {
      int k = p->type == INVDES_PARAM_DISCRETE
                  ? snprintf(buf + used, n - used, "%s%g", i ? ", " : "{", p->values[i])
                  : snprintf(buf + used, n - used, "%s%s", i ? ", " : "{", p->labels[i]);
      if (k < 0 || (size_t)k >= n - used) break;
      used += (size_t)k;
    }
    if (used + 2 < n) snprintf(buf + used, n - used, "}");
    return;
  }
}

static void print_strategy(const invdes_campaign *c) {
  const invdes_strategy_spec *s = &c->strategy;
  printf("strategy     %s", invdes_strategy_kind_name(s->kind));
  char d[400];
  invdes_strategy_describe(s, d, sizeof d);
  if (d[0]) printf(" (%s)", d);
  printf(", batch %d, initial design %s x %d\n", s->batch,
         invdes_design_kind_name(s->initial_design), s->initial_count);
}

static void print_objective(const invdes_campaign *c) {
  char line[1024];
  invdes_campaign_objective_describe(c, line, sizeof line);
  printf("objective    %s\n", line);
}

static void describe(const invdes_campaign *c, const invdes_space *space) {
  int w = (int)name_width(c);
  char dom[512], goal[128];
  printf("campaign     %s (%s)\n", c->name, c->path);
  if (c->description) printf("description  %s\n", c->description);
  printf("seed         %llu\n\n", (unsigned long long)c->seed);
  if (c->n_params > 0) {
    printf("%-*s  %-12s  %-30s  %s\n", w, "name", "type", "range or values", "unit");
    for (size_t i = 0; i < c->n_params; i++) {
      const invdes_param *p = &c->params[i];
      format_domain(p, dom, sizeof dom);
      printf("%-*s  %-12s  %-30s  %s\n", w, p->name, invdes_param_type_name(p->type), dom,
             p->unit ? p->unit : "");
    }
    printf("\n");
  }
  for (size_t g = 0; g < c->n_compositions; g++) {
    const invdes_composition *cg = &c->compositions[g];
    printf("composition %s: ", cg->name);
    for (size_t k = 0; k < cg->n_components; k++)
      printf("%s%s", k ? " + " : "", cg->components[k].name);
    printf(" = %g\n", cg->total);
    for (size_t k = 0; k < cg->n_components; k++)
      printf("  %-*s  [%g, %g]\n", w - 2, cg->components[k].name, cg->components[k].lo,
             cg->components[k].hi);
    printf("\n");
  }
  if (c->pool)
    printf("pool         %s: %zu candidates, %zu features\n\n", c->pool->file, c->pool->n_rows,
           c->pool->n_features);
  if (c->n_constraints > 0) {
    printf("constraints\n");
    for (size_t i = 0; i < c->n_constraints; i++) {
      printf("  %s", c->constraints[i].text);
      if (c->constraints[i].tol > 0) printf("  (tol %g)", c->constraints[i].tol);
      printf("\n");
    }
    printf("\n");
  }
  printf("%-*s  %-28s  %s\n", w, "target", "goal", "unit");
  for (size_t t = 0; t < c->n_targets; t++) {
    invdes_target_describe(&c->targets[t], goal, sizeof goal);
    printf("%-*s  %-28s  %s\n", w, c->targets[t].name, goal,
           c->targets[t].unit ? c->targets[t].unit : "");
  }
  if (invdes_targets_pareto(c->targets, c->n_targets))
    printf("%-*s  several objectives, no weights: the answer is their Pareto front\n", w, "");
  printf("\n");
  print_objective(c);
  print_strategy(c);
  char when[768];
  invdes_cli_stop_when_text(c, when, sizeof when);
  printf("budget       %d evaluations%s\n", c->budget.evaluations, when);
  printf("encoded dim  %zu\n", invdes_space_dim(space));
  printf("feasible     %.3g of the region within bounds and composition sums\n",
         invdes_space_feasible_fraction(space));
}

int invdes_cmd_validate(int argc, char **argv) {
  int quiet = 0, first;
  const invdes_cli_opt opts[] = {INVDES_CLI_OPT("quiet", NULL, INVDES_OPT_FLAG, &quiet), {NULL}};
  int early = invdes_cli_parse("validate", validate_usage, opts, argc, argv, &first);
  if (early != -1) return early;
  if (first != argc - 1)
    return invdes_cli_usage_error("validate", "give one campaign file");
  invdes_campaign *c;
  const invdes_space *space;
  int status = invdes_cli_load_campaign(argv[first], &c, &space);
  if (status != INVDES_EXIT_OK) return status;
  if (!quiet) describe(c, space);
  invdes_campaign_free(c);
  return INVDES_EXIT_OK;
}
