/* cli_recommend.c — `invdes best` under noise: the model's posterior-mean
 * recommendation (recommend.h) fitted from the database's results and laid
 * out for people and scripts; see cli_recommend.h. */
#include "cli_recommend.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli_station.h"
#include "report.h"
#include "target.h"

/* Without any sd reported the model only adds a note (a learned noise), so
 * it is not fitted for campaigns larger than this: best stays instant. */
#define LEARNED_NOTE_MAX_RESULTS 1000

/* Every result of the database as strategy observations (z borrowed from
 * rows), as a resume tells them. */
static invdes_observation *observations(const invdes_store_rows *rows, size_t dim, size_t *n,
                                        int *any_sd) {
  invdes_observation *obs = malloc((rows->n + 1) * sizeof *obs);
  *n = 0;
  *any_sd = 0;
  for (size_t i = 0; obs && i < rows->n; i++) {
    const invdes_store_proposal *p = &rows->items[i];
    if (p->dim != dim || (p->status != INVDES_PROPOSAL_DONE && p->status != INVDES_PROPOSAL_FAILED &&
                          p->status != INVDES_PROPOSAL_PARTIAL))
      continue;
    obs[(*n)++] = (invdes_observation){.id = p->id, .z = p->z, .y = p->value, .sd = p->sd,
                                       .failed = p->status == INVDES_PROPOSAL_FAILED};
    for (size_t t = 0; t < rows->n_targets; t++) *any_sd |= p->sd[t] > 0;
  }
  return obs;
}

int invdes_cli_recommend_reported(const invdes_recommendation *rec) {
  for (size_t t = 0; rec->by_model && t < rec->n_targets; t++)
    if (rec->smoothed[t] && rec->reported[t]) return 1;
  return 0;
}

int invdes_cli_recommend(invdes_store *s, invdes_recommendation *rec) {
  memset(rec, 0, sizeof *rec);
  invdes_campaign *c = invdes_cli_db_campaign(s);
  const invdes_space *sp = c ? invdes_campaign_space(c) : NULL;
  invdes_store_rows *rows = NULL;
  invdes_error err;
  invdes_error_clear(&err);
  invdes_status st = sp ? invdes_store_list(s, INVDES_PROPOSAL_ANY, 0, &rows, &err) : INVDES_ERR_INVALID;
  size_t n = 0;
  int any_sd = 0;
  invdes_observation *obs = st ? NULL : observations(rows, invdes_space_dim(sp), &n, &any_sd);
  if (obs && (any_sd || n <= LEARNED_NOTE_MAX_RESULTS))
    st = invdes_recommend(sp, obs, n, c->seed, rec, &err);
  free(obs);
  invdes_store_rows_free(rows);
  invdes_campaign_free(c);
  if (st || !obs) invdes_recommendation_release(rec);
  return rec->by_model;
}

/* The note on a learned noise: what the model would recommend. */
static void learned_note(const invdes_store *s, const invdes_recommendation *r, char *buf,
                         size_t size) {
  char names[512];
  size_t k = 0;
  names[0] = '\0';
  for (size_t t = 0; t < r->n_targets && k + 1 < sizeof names; t++)
    if (r->smoothed[t])
      k += (size_t)snprintf(names + k, sizeof names - k, "%s%s", k ? ", " : "",
                            invdes_store_target(s, t)->name);
  snprintf(buf, size, "a model of the results finds noise in %s (no sd reported); by its "
           "posterior mean proposal %" PRId64 " ranks first (report sd's with tell --sd and "
           "best recommends by the model)", names, r->id);
}

void invdes_cli_recommend_note_text(const invdes_store *s, const invdes_recommendation *r) {
  char note[1024];
  learned_note(s, r, note, sizeof note);
  printf("note: %s\n", note);
}

int invdes_cli_recommend_note_json(const invdes_store *s, const invdes_recommendation *r,
                                   json_t *o) {
  char note[1024];
  learned_note(s, r, note, sizeof note);
  int bad = json_object_set_new(o, "note", json_string(note));
  bad |= json_object_set_new(o, "model_recommends", json_integer(r->id));
  return bad ? -1 : 0;
}

/* "capacity, voltage": the targets ranked by their posterior mean. */
static void smoothed_names(const invdes_store *s, const invdes_recommendation *r, char *buf,
                           size_t size) {
  size_t k = 0;
  buf[0] = '\0';
  for (size_t t = 0; t < r->n_targets && k + 1 < size; t++)
    if (r->smoothed[t])
      k += (size_t)snprintf(buf + k, size - k, "%s%s (%s)", k ? ", " : "",
                            invdes_store_target(s, t)->name,
                            r->reported[t] ? "sd reported" : "noise learned");
}

/* "measured value capacity = 182.3, voltage = 3.71" of proposal p. */
static void measured_text(const invdes_store *s, const invdes_store_proposal *p, char *buf,
                          size_t size) {
  size_t k = (size_t)snprintf(buf, size, "measured value");
  char num[INVDES_REPORT_NUM_MAX];
  for (size_t t = 0; t < invdes_store_n_targets(s) && k + 1 < size; t++) {
    if (isnan(p->value[t])) snprintf(num, sizeof num, "-");
    else invdes_decimal_format(p->value[t], num);
    k += (size_t)snprintf(buf + k, size - k, "%s %s = %s", t ? "," : "",
                          invdes_store_target(s, t)->name, num);
  }
}

void invdes_cli_recommend_text(const invdes_store *s, const invdes_recommendation *r,
                               const invdes_store_proposal *p, int64_t measured_best) {
  char names[512], meas[1024], num[INVDES_REPORT_NUM_MAX], pm[INVDES_REPORT_NUM_MAX], goal[256];
  smoothed_names(s, r, names, sizeof names);
  measured_text(s, p, meas, sizeof meas);
  printf("best: proposal %" PRId64 " (batch %" PRId64 "), recommended by the model's posterior "
         "mean; %s\n", p->id, p->batch, meas);
  printf("  noisy measurements: %s; the best measured value is proposal %" PRId64 "'s\n", names,
         measured_best);
  printf("  %-16s %-24s %-14s %-14s %s\n", "target", "goal", "value", "posterior mean", "condition");
  for (size_t t = 0; t < invdes_store_n_targets(s); t++) {
    const invdes_target *tg = invdes_store_target(s, t);
    invdes_cli_goal_text(s, t, goal, sizeof goal);
    double v = p->value[t], m = r->mean[t];
    if (isnan(v)) snprintf(num, sizeof num, "-");
    else invdes_decimal_format(v, num);
    if (isnan(m)) snprintf(pm, sizeof pm, "-");
    else snprintf(pm, sizeof pm, "%.6g", m);
    const char *met = invdes_goal_is_objective(tg->goal) ? ""
                      : isnan(v)                         ? "not measured"
                      : invdes_target_meets(tg, r->smoothed[t] ? m : v) ? "meets"
                                                                        : "not met";
    printf("  %-16s %-24s %-14s %-14s %s\n", tg->name, goal, num, pm, met);
  }
}

int invdes_cli_recommend_json(const invdes_store *s, const invdes_recommendation *r,
                              const invdes_store_proposal *p, int64_t measured_best,
                              json_t *o) {
  char names[512], meas[1024];
  smoothed_names(s, r, names, sizeof names);
  measured_text(s, p, meas, sizeof meas);
  char note[1700];
  snprintf(note, sizeof note, "recommended by the model's posterior mean; %s", meas);
  size_t T = invdes_store_n_targets(s);
  invdes_score sc = invdes_score_observation(invdes_store_target(s, 0), T, p->value, 0);
  int bad = json_object_set_new(o, "ranking", json_string("posterior_mean"));
  bad |= json_object_set_new(o, "violation", json_real(sc.violation));
  bad |= json_object_set_new(o, "recommended_by", json_string("posterior_mean"));
  bad |= json_object_set_new(o, "note", json_string(note));
  bad |= json_object_set_new(o, "best_measured", json_integer(measured_best));
  json_t *targets = json_object_get(o, "targets");
  for (size_t t = 0; !bad && t < T; t++) {
    json_t *e = json_array_get(targets, t);
    if (!e) return -1;
    bad |= json_object_set_new(e, "posterior_mean", isnan(r->mean[t]) ? json_null()
                                                                      : json_real(r->mean[t]));
    bad |= json_object_set_new(e, "noisy", json_boolean(r->smoothed[t]));
    bad |= json_object_set_new(e, "sd_reported", json_boolean(r->reported[t]));
  }
  return bad ? -1 : 0;
}
