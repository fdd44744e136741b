/* cmd_best.c — `invdes best`: for each target, the proposal with the best
 * value so far by the target's goal (the store's invdes_store_best_get:
 * largest for maximize/above, smallest for minimize/below, nearest the window,
 * ties to the older proposal), with its parameters and everything measured
 * on it. Text for people, JSON for scripts. Reads only. */
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli_options.h"
#include "cli_station.h"
#include "commands.h"
#include "report.h"
#include "store.h"
#include "target.h"

static const char best_usage[] =
    "usage: invdes best --db FILE [--format text|json]\n\n"
    "Shows, for each target, the best value measured so far by the target's\n"
    "goal, the proposal that gave it and that proposal's parameters.\n\n"
    "  -d, --db FILE      the campaign database (required; never created)\n"
    "  -f, --format F     text (default) or json: an array with one object per\n"
    "                     target, {\"target\", \"goal\" (with \"window\" or\n"
    "                     \"threshold\"), \"proposal\", \"value\", \"sd\",\n"
    "                     \"satisfied\", \"n_values\", \"parameters\": {...},\n"
    "                     \"values\": {every target measured on that proposal}}\n"
    "                     (null where no value exists yet)\n"
    "  -h, --help         this text\n"
    "  -V, --version      print the version\n\n"
    "satisfied: the value meets a window, below or above goal; for maximize and\n"
    "minimize, true once any value exists. Exit status: 0 success, 2 bad input\n"
    "or usage, 1 other failures.\n";

/* The measured values of proposal p as {target: value}. */
static json_t *measured(const invdes_store_rows *rows, const invdes_store_proposal *p) {
  json_t *o = json_object();
  for (size_t t = 0; o && t < rows->n_targets; t++)
    if (!isnan(p->value[t]) && json_object_set_new(o, rows->target_names[t], json_real(p->value[t]))) {
      json_decref(o);
      return NULL;
    }
  return o;
}

/* One object per target; found[t] indexes rows (or is SIZE_MAX: none). */
static json_t *best_json(invdes_store *s, const invdes_store_best *b,
                         const invdes_store_rows *rows, const size_t *found) {
  json_t *arr = json_array();
  int bad = !arr;
  for (size_t t = 0; !bad && t < invdes_store_n_targets(s); t++) {
    const invdes_store_proposal *p = found[t] == SIZE_MAX ? NULL : &rows->items[found[t]];
    json_t *e = json_object(), *params = NULL;
    if (!e || json_array_append_new(arr, e)) {
      bad = 1;
      break;
    }
    if (p) {
      json_error_t jerr;
      params = json_loads(p->parameters ? p->parameters : "{}", 0, &jerr);
      bad |= !params;
    }
    bad |= json_object_set_new(e, "target", json_string(invdes_store_target_name(s, t)));
    bad |= invdes_cli_goal_json(s, t, e);
    bad |= json_object_set_new(e, "proposal", p ? json_integer(p->id) : json_null());
    bad |= json_object_set_new(e, "value", p ? json_real(b[t].value) : json_null());
    bad |= json_object_set_new(e, "sd", p && !isnan(p->sd[t]) ? json_real(p->sd[t]) : json_null());
    bad |= json_object_set_new(e, "satisfied", json_boolean(p && b[t].satisfied));
    bad |= json_object_set_new(e, "n_values", json_integer(b[t].n_values));
    bad |= json_object_set_new(e, "parameters", params ? params : json_null());
    bad |= json_object_set_new(e, "values", p ? measured(rows, p) : json_null());
  }
  if (bad) {
    json_decref(arr);
    return NULL;
  }
  return arr;
}

static void print_text(invdes_store *s, const invdes_store_best *b,
                       const invdes_store_rows *rows, const size_t *found) {
  char goal[256], num[INVDES_REPORT_NUM_MAX];
  for (size_t t = 0; t < invdes_store_n_targets(s); t++) {
    invdes_cli_goal_text(s, t, goal, sizeof goal);
    int objective = invdes_goal_is_objective(invdes_store_target_goal(s, t));
    if (t) putchar('\n');
    if (found[t] == SIZE_MAX) {
      printf("%s (%s): no value yet\n", invdes_store_target_name(s, t), goal);
      continue;
    }
    const invdes_store_proposal *p = &rows->items[found[t]];
    invdes_report_number(b[t].value, num);
    printf("%s (%s): %s at proposal %" PRId64 " (batch %" PRId64 ")%s\n",
           invdes_store_target_name(s, t), goal, num, p->id, p->batch,
           objective ? "" : b[t].satisfied ? ", meets the goal" : ", goal not met yet");
    json_error_t jerr;
    json_t *params = json_loads(p->parameters ? p->parameters : "{}", 0, &jerr);
    const char *key;
    json_t *v;
    if (params) json_object_foreach(params, key, v) {
        printf("  %-16s ", key);
        if (json_is_string(v)) fputs(json_string_value(v), stdout);
        else invdes_report_write_json(stdout, v, 0);
        putchar('\n');
      }
    json_decref(params);
    printf("  measured:");
    for (size_t u = 0; u < rows->n_targets; u++)
      if (!isnan(p->value[u])) {
        invdes_report_number(p->value[u], num);
        printf(" %s=%s", rows->target_names[u], num);
      }
    putchar('\n');
  }
}

int invdes_cmd_best(int argc, char **argv) {
  const char *db;
  int json;
  int early = invdes_cli_report_options("best", best_usage, argc, argv, &db, &json);
  if (early >= 0) return early;
  int rc;
  invdes_store *s = invdes_cli_open_db("best", db, &rc);
  if (!s) return rc;
  invdes_error err;
  invdes_error_clear(&err);
  const size_t nt = invdes_store_n_targets(s);
  invdes_store_best *b = calloc(nt + 1, sizeof *b);
  int64_t *ids = calloc(nt + 1, sizeof *ids);
  size_t *found = calloc(nt + 1, sizeof *found);
  invdes_store_rows *rows = NULL;
  invdes_status st = b && ids && found ? invdes_store_best_get(s, b, &err) : INVDES_ERR_NOMEM;
  size_t n = 0;
  for (size_t t = 0; st == INVDES_OK && t < nt; t++) {
    found[t] = SIZE_MAX;
    if (b[t].proposal) {
      found[t] = n;
      ids[n++] = b[t].proposal;
    }
  }
  if (st == INVDES_OK) st = invdes_store_get(s, ids, n, &rows, &err);
  if (st == INVDES_OK && json) {
    json_t *arr = best_json(s, b, rows, found);
    if (!arr) st = INVDES_ERR_NOMEM;
    else if (invdes_report_write_json(stdout, arr, 2) || putchar('\n') == EOF)
      st = invdes_error_set(&err, INVDES_ERR_IO, "cannot write to standard output");
    json_decref(arr);
  } else if (st == INVDES_OK) {
    print_text(s, b, rows, found);
  }
  if (st != INVDES_OK) {
    fprintf(stderr, "invdes best: %s\n", err.message[0] ? err.message : "out of memory");
    rc = invdes_cli_exit_for(st);
    if (st == INVDES_ERR_IO) rc = INVDES_EXIT_FAILURE;
  }
  invdes_store_rows_free(rows);
  free(b);
  free(ids);
  free(found);
  invdes_store_close(s);
  return rc;
}
