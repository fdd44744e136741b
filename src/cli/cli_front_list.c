/* cli_front_list.c — the Pareto front as `invdes best` and `invdes status`
 * show it for a multi-objective campaign (cli_front.h): the proposals on the
 * front, sorted by the first objective (best first; then by the next
 * objectives, then the older proposal), with the hypervolume and the
 * reference it was measured from; as text, as export rows in CSV, or as one
 * JSON object. No single result is presented as the answer. */
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli_front.h"
#include "report.h"

/* The front's order: minimized objectives in turn, then the older id. */
static int before(const invdes_store *s, const invdes_store_proposal *a,
                  const invdes_store_proposal *b) {
  for (size_t t = 0; t < invdes_store_n_targets(s); t++) {
    const invdes_target *tg = invdes_store_target(s, t);
    if (!invdes_goal_is_objective(tg->goal) || a->value[t] == b->value[t]) continue;
    return invdes_target_better(tg, a->value[t], b->value[t]);
  }
  return a->id < b->id;
}

invdes_status invdes_cli_front_read(invdes_store *s, invdes_cli_front_list *f,
                                    invdes_error *err) {
  memset(f, 0, sizeof *f);
  invdes_status st = invdes_store_list(s, INVDES_PROPOSAL_ANY, 0, &f->all, err);
  size_t n = f->all ? f->all->n : 0, m = 0;
  for (size_t t = 0; t < invdes_store_n_targets(s); t++)
    m += invdes_goal_is_objective(invdes_store_target_goal(s, t));
  if (st == INVDES_OK) {
    f->rank = malloc((n ? n : 1) * sizeof *f->rank);
    f->ref = malloc((m ? m : 1) * sizeof *f->ref);
    f->front.items = malloc((n ? n : 1) * sizeof *f->front.items);
    if (!f->rank || !f->ref || !f->front.items)
      st = invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory listing the front");
  }
  if (st == INVDES_OK) st = invdes_cli_front(s, f->all, f->rank, f->ref, &f->sum, err);
  if (st != INVDES_OK) return st;
  f->front.n_targets = f->all->n_targets;
  f->front.target_names = f->all->target_names;
  for (size_t i = 0; i < n; i++) {
    const invdes_store_proposal *p = &f->all->items[i];
    f->n_results += p->status & (INVDES_PROPOSAL_DONE | INVDES_PROPOSAL_FAILED |
                                 INVDES_PROPOSAL_PARTIAL) ? 1 : 0;
    if (f->rank[i] != 0) continue;
    /* insertion in order: fronts are small next to the results */
    size_t k = f->front.n;
    while (k > 0 && before(s, p, &f->front.items[k - 1])) {
      f->front.items[k] = f->front.items[k - 1];
      k--;
    }
    f->front.items[k] = *p;
    f->front.n++;
  }
  return INVDES_OK;
}

void invdes_cli_front_list_free(invdes_cli_front_list *f) {
  free(f->front.items); /* shallow copies of f->all's items */
  invdes_store_rows_free(f->all);
  free(f->rank), free(f->ref);
  memset(f, 0, sizeof *f);
}

/* The reference in the targets' own units: "capacity 150 mAh/g (from the
 * data), retention 70 %". */
static void reference_text(const invdes_store *s, const invdes_cli_front_list *f, char *buf,
                           size_t size) {
  size_t used = 0, j = 0;
  buf[0] = '\0';
  for (size_t t = 0; t < invdes_store_n_targets(s) && used < size; t++) {
    const invdes_target *tg = invdes_store_target(s, t);
    if (!invdes_goal_is_objective(tg->goal)) continue;
    char num[INVDES_REPORT_NUM_MAX];
    double v = tg->goal == INVDES_GOAL_MAXIMIZE ? -f->ref[j] : f->ref[j];
    j++;
    if (isnan(v)) snprintf(num, sizeof num, "-");
    else invdes_decimal_format(v, num);
    int n = snprintf(buf + used, size - used, "%s%s %s%s%s%s", used ? ", " : "", tg->name, num,
                     tg->unit ? " " : "", tg->unit ? tg->unit : "",
                     isnan(tg->reference) ? " (from the data)" : "");
    if (n < 0) break;
    used += (size_t)n;
  }
}

/* "x=0.25, dopant=Al" from the recorded parameters. */
static void parameters_text(const invdes_store_proposal *p, char *buf, size_t size) {
  json_error_t jerr;
  json_t *o = json_loads(p->parameters ? p->parameters : "{}", 0, &jerr), *v;
  const char *key;
  size_t used = 0;
  buf[0] = '\0';
  if (o) json_object_foreach(o, key, v) {
      char num[INVDES_REPORT_NUM_MAX];
      const char *text = json_is_string(v) ? json_string_value(v) : num;
      if (json_is_number(v)) invdes_decimal_format(json_number_value(v), num);
      else if (!json_is_string(v)) snprintf(num, sizeof num, "?");
      int n = used < size ? snprintf(buf + used, size - used, "%s%s=%s", used ? ", " : "", key,
                                     text) : 0;
      if (n > 0) used += (size_t)n;
    }
  json_decref(o);
}

void invdes_cli_front_text(const invdes_store *s, const invdes_cli_front_list *f) {
  const invdes_front_summary *m = &f->sum;
  if (!m->candidates) {
    printf("best: the Pareto front is empty: no result of %" PRId64 " meets every condition "
           "with every objective measured yet\n", f->n_results);
    return;
  }
  char line[1024], num[INVDES_REPORT_NUM_MAX];
  const char *first = "";
  for (size_t t = 0; !*first && t < invdes_store_n_targets(s); t++)
    if (invdes_goal_is_objective(invdes_store_target_goal(s, t)))
      first = invdes_store_target_name(s, t);
  printf("best: the Pareto front, %zu result%s (of %zu meeting every condition; %" PRId64
         " results), best %s first\n", m->size, m->size == 1 ? "" : "s", m->candidates,
         f->n_results, first);
  invdes_decimal_format(m->hypervolume, num);
  reference_text(s, f, line, sizeof line);
  printf("hypervolume %s (reference: %s)\n", num, line);
  printf("  %-8s %-6s", "proposal", "batch");
  for (size_t t = 0; t < invdes_store_n_targets(s); t++)
    printf(" %-14s", invdes_store_target_name(s, t));
  printf(" parameters\n");
  for (size_t i = 0; i < f->front.n; i++) {
    const invdes_store_proposal *p = &f->front.items[i];
    printf("  %-8" PRId64 " %-6" PRId64, p->id, p->batch);
    for (size_t t = 0; t < invdes_store_n_targets(s); t++) {
      invdes_decimal_format(p->value[t], num);
      printf(" %-14s", num);
    }
    parameters_text(p, line, sizeof line);
    printf(" %s\n", line);
  }
}

static json_t *reference_json(const invdes_store *s, const invdes_cli_front_list *f) {
  json_t *arr = json_array();
  size_t j = 0;
  for (size_t t = 0; arr && t < invdes_store_n_targets(s); t++) {
    const invdes_target *tg = invdes_store_target(s, t);
    if (!invdes_goal_is_objective(tg->goal)) continue;
    double v = tg->goal == INVDES_GOAL_MAXIMIZE ? -f->ref[j] : f->ref[j];
    j++;
    if (json_array_append_new(arr, json_pack("{sssosb}", "target", tg->name, "value",
                                             isnan(v) ? json_null() : json_real(v), "given",
                                             !isnan(tg->reference)))) {
      json_decref(arr);
      return NULL;
    }
  }
  return arr;
}

json_t *invdes_cli_front_json(const invdes_store *s, const invdes_cli_front_list *f,
                              invdes_error *err) {
  json_t *rows = json_array(), *ref = reference_json(s, f);
  for (size_t i = 0; rows && i < f->front.n; i++) {
    size_t zero = 0;
    json_t *row = invdes_report_row(s, &f->front, &f->front.items[i], &zero, err);
    if (!row || json_array_append_new(rows, row)) {
      json_decref(rows);
      rows = NULL;
    }
  }
  json_t *o = rows && ref ? json_pack("{sssIsIsIsfsOsO}", "ranking", "pareto", "n_results",
                                      (json_int_t)f->n_results, "n_meeting",
                                      (json_int_t)f->sum.candidates, "n_front",
                                      (json_int_t)f->sum.size, "hypervolume",
                                      f->sum.hypervolume, "reference", ref, "front", rows)
                          : NULL;
  json_decref(rows), json_decref(ref);
  if (!o && err && err->status == INVDES_OK)
    invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory listing the front");
  return o;
}

invdes_status invdes_cli_front_csv(FILE *out, const invdes_store *s,
                                   const invdes_cli_front_list *f, invdes_error *err) {
  size_t *zeros = calloc(f->front.n ? f->front.n : 1, sizeof *zeros);
  if (!zeros) return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory listing the front");
  invdes_status st = invdes_report_write_csv_ranked(out, s, &f->front, zeros, err);
  free(zeros);
  return st;
}
