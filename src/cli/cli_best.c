/* cli_best.c — the best result laid out for people and scripts, and
 * stop_when in words; see cli_best.h. Reads nothing but what it is given
 * (and, in invdes_cli_best_read, the store's ranking). */
#include "cli_best.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "cli_station.h"
#include "report.h"
#include "target.h"

const char *invdes_cli_ranking_name(const invdes_store_best *b) {
  if (!b->proposal) return NULL;
  return b->rank.meets ? "meets_all" : "least_violation";
}

static size_t n_conditions(const invdes_store *s) {
  size_t n = 0;
  for (size_t t = 0; t < invdes_store_n_targets(s); t++)
    n += !invdes_goal_is_objective(invdes_store_target_goal(s, t));
  return n;
}

void invdes_cli_best_text(const invdes_store *s, const invdes_store_best *b,
                          const invdes_store_proposal *p) {
  char num[INVDES_REPORT_NUM_MAX], goal[256];
  if (!b->proposal || !p) {
    printf("best: no result yet\n");
    return;
  }
  printf("best: proposal %" PRId64 " (batch %" PRId64 "), ", p->id, p->batch);
  if (!n_conditions(s)) {
    printf("by the objective (the campaign has no conditions; %" PRId64 " results ranked)\n",
           b->n_ranked);
  } else if (b->rank.meets) {
    printf("meets every condition (%" PRId64 " of %" PRId64 " results do)\n", b->n_meeting,
           b->n_ranked);
  } else {
    /* a normalized distance: three digits say enough */
    snprintf(num, sizeof num, "%.3g", b->rank.violation);
    printf("least violation %s%s: no result of %" PRId64 " meets every condition yet\n", num,
           b->rank.missing ? " (some conditions not measured)" : "", b->n_ranked);
  }
  printf("  %-16s %-24s %-14s %s\n", "target", "goal", "value", "condition");
  for (size_t t = 0; t < invdes_store_n_targets(s); t++) {
    const invdes_target *tg = invdes_store_target(s, t);
    invdes_cli_goal_text(s, t, goal, sizeof goal);
    double v = p->value[t];
    if (isnan(v)) snprintf(num, sizeof num, "-");
    else invdes_decimal_format(v, num);
    const char *met = invdes_goal_is_objective(tg->goal) ? ""
                      : isnan(v)                         ? "not measured"
                      : invdes_target_meets(tg, v)       ? "meets"
                                                         : "not met";
    if (*met) printf("  %-16s %-24s %-14s %s\n", tg->name, goal, num, met);
    else printf("  %-16s %-24s %s\n", tg->name, goal, num);
  }
}

static json_t *target_json(const invdes_store *s, size_t t, const invdes_store_proposal *p) {
  const invdes_target *tg = invdes_store_target(s, t);
  json_t *e = json_object();
  if (!e) return NULL;
  double v = p ? p->value[t] : NAN, sd = p ? p->sd[t] : NAN;
  int bad = json_object_set_new(e, "target", json_string(tg->name));
  bad |= invdes_cli_goal_json(s, t, e);
  bad |= json_object_set_new(e, "value", isnan(v) ? json_null() : json_real(v));
  bad |= json_object_set_new(e, "sd", isnan(sd) ? json_null() : json_real(sd));
  bad |= json_object_set_new(e, "meets", !p || invdes_goal_is_objective(tg->goal)
                                             ? json_null()
                                             : json_boolean(invdes_target_meets(tg, v)));
  if (bad) {
    json_decref(e);
    return NULL;
  }
  return e;
}

json_t *invdes_cli_best_json(const invdes_store *s, const invdes_store_best *b,
                             const invdes_store_proposal *p) {
  json_t *o = json_object(), *targets = json_array(), *params = NULL;
  int bad = !o || !targets;
  if (!bad && p) {
    json_error_t jerr;
    bad = !(params = json_loads(p->parameters ? p->parameters : "{}", 0, &jerr));
  }
  const char *ranking = invdes_cli_ranking_name(b);
  if (!bad) {
    bad |= json_object_set_new(o, "proposal", p ? json_integer(p->id) : json_null());
    bad |= json_object_set_new(o, "batch", p ? json_integer(p->batch) : json_null());
    bad |= json_object_set_new(o, "ranking", ranking ? json_string(ranking) : json_null());
    bad |= json_object_set_new(o, "violation", p ? json_real(b->rank.violation) : json_null());
    bad |= json_object_set_new(o, "n_ranked", json_integer(b->n_ranked));
    bad |= json_object_set_new(o, "n_meeting", json_integer(b->n_meeting));
  }
  for (size_t t = 0; !bad && t < invdes_store_n_targets(s); t++)
    bad |= json_array_append_new(targets, target_json(s, t, p));
  if (!bad) {
    bad |= json_object_set_new(o, "targets", targets);
    targets = NULL;
    bad |= json_object_set_new(o, "parameters", params ? params : json_null());
    params = NULL;
  }
  json_decref(targets);
  json_decref(params);
  if (bad) {
    json_decref(o);
    return NULL;
  }
  return o;
}

invdes_status invdes_cli_best_read(invdes_store *s, invdes_store_best *b,
                                   invdes_store_rows **rows, invdes_error *err) {
  *rows = NULL;
  invdes_status st = invdes_store_best_result(s, b, err);
  if (st == INVDES_OK && b->proposal) st = invdes_store_get(s, &b->proposal, 1, rows, err);
  return st;
}

int invdes_cli_stop_when_text(const invdes_campaign *c, char *buf, size_t size) {
  const invdes_budget *b = &c->budget;
  buf[0] = '\0';
  if (!b->stop_when_satisfied) return 0;
  size_t conditions = 0;
  for (size_t t = 0; t < c->n_targets; t++)
    conditions += !invdes_goal_is_objective(c->targets[t].goal);
  if (b->stop_levels) {
    char levels[512];
    invdes_stop_when_describe(c->targets, c->n_targets, 1, b->stop_levels, levels,
                              sizeof levels);
    snprintf(buf, size, ", or until a result %s%s",
             conditions ? "meets every condition and " : "reaches ", levels);
    return 0;
  }
  for (size_t t = 0; t < c->n_targets; t++) {
    const invdes_target *tg = &c->targets[t];
    if (!invdes_goal_is_objective(tg->goal)) continue;
    snprintf(buf, size, "; stop_when: satisfied cannot stop early: '%s' is to %s and no "
             "level says what would be enough (e.g. stop_when: {%s: {%s: NUMBER}})", tg->name,
             invdes_goal_name(tg->goal), tg->name,
             tg->goal == INVDES_GOAL_MAXIMIZE ? "at_least" : "at_most");
    return 1;
  }
  snprintf(buf, size, ", or until a result meets every condition");
  return 0;
}
