/* fig_data.c — what `invdes report` draws from (fig.h): one read of the
 * campaign database (every proposal with its values and predictions, the
 * targets as stored, the campaign model when its text still loads), the
 * evaluations in order, and the list the figures are collected in. */
#include "fig.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli_station.h"
#include "svg.h"
#include "target.h"

static int has_value(const invdes_store_proposal *p, size_t n_targets) {
  for (size_t t = 0; t < n_targets; t++)
    if (!isnan(p->value[t])) return 1;
  return 0;
}

int invdes_fig_failed(const invdes_store_proposal *p) {
  return p->status == INVDES_PROPOSAL_FAILED;
}

invdes_status invdes_fig_data_read(invdes_store *s, invdes_fig_data *d, invdes_error *err) {
  memset(d, 0, sizeof *d);
  d->s = s;
  invdes_status st = invdes_store_list(s, INVDES_PROPOSAL_ANY, 0, &d->rows, err);
  if (st != INVDES_OK) return st;
  d->n_targets = invdes_store_n_targets(s);
  d->targets = calloc(d->n_targets ? d->n_targets : 1, sizeof *d->targets);
  d->eval = calloc(d->rows->n ? d->rows->n : 1, sizeof *d->eval);
  if (!d->targets || !d->eval) return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  for (size_t t = 0; t < d->n_targets; t++) d->targets[t] = *invdes_store_target(s, t);
  for (size_t i = 0; i < d->rows->n; i++) {
    const invdes_store_proposal *p = &d->rows->items[i];
    int outcome = p->status == INVDES_PROPOSAL_DONE || p->status == INVDES_PROPOSAL_FAILED ||
                  (p->status == INVDES_PROPOSAL_PARTIAL && has_value(p, d->n_targets));
    if (outcome) d->eval[d->n_eval++] = p;
  }
  d->c = invdes_cli_db_campaign(s);
  /* The initial design: the first initial_count proposals of a strategy
   * that has one (bo, pso, ga); designs and grids are all "initial". */
  if (d->c && d->c->strategy.initial_count > 0) {
    size_t k = (size_t)d->c->strategy.initial_count;
    d->n_initial = k < d->n_eval ? k : d->n_eval;
  }
  return INVDES_OK;
}

void invdes_fig_data_free(invdes_fig_data *d) {
  invdes_campaign_free(d->c);
  invdes_store_rows_free(d->rows);
  free(d->targets);
  free(d->eval);
  memset(d, 0, sizeof *d);
}

int invdes_fig_meets_conditions(const invdes_fig_data *d, const invdes_store_proposal *p) {
  if (invdes_fig_failed(p)) return 0;
  for (size_t t = 0; t < d->n_targets; t++) {
    if (invdes_goal_is_objective(d->targets[t].goal)) continue;
    if (!invdes_target_meets(&d->targets[t], p->value[t])) return 0;
  }
  return 1;
}

double invdes_fig_parameter(const invdes_store_proposal *p, const char *name) {
  json_error_t jerr;
  json_t *o = json_loads(p->parameters ? p->parameters : "{}", 0, &jerr);
  json_t *v = o ? json_object_get(o, name) : NULL;
  double x = v && json_is_number(v) ? json_number_value(v) : NAN;
  json_decref(o);
  return x;
}

void invdes_fig_target_title(const invdes_fig_data *d, size_t t, char *buf, size_t size) {
  invdes_svg_axis_title(d->targets[t].name, d->targets[t].unit, buf, size);
}

/* ---- the list of figures ------------------------------------------------ */

FILE *invdes_fig_start(invdes_fig_list *l, const char *name, const char *title, double width,
                       double height) {
  if (l->n == l->cap) {
    size_t cap = l->cap ? 2 * l->cap : 8;
    invdes_fig *items = realloc(l->items, cap * sizeof *items);
    if (!items) return NULL;
    l->items = items, l->cap = cap;
  }
  invdes_fig *f = &l->items[l->n];
  memset(f, 0, sizeof *f);
  size_t i = 0;
  for (; name[i] && i + 1 < sizeof f->name; i++)
    f->name[i] = isalnum((unsigned char)name[i]) || name[i] == '-' || name[i] == '_' ? name[i] : '-';
  f->name[i] = 0;
  /* Names that clean up alike ("a b", "a-b") get -2, -3, ...: one file and
   * one id each. */
  for (unsigned k = 2;; k++) {
    size_t j = 0;
    while (j < l->n && strcmp(l->items[j].name, f->name) != 0) j++;
    if (j == l->n) break;
    char *dash = k > 2 ? strrchr(f->name, '-') : NULL;
    size_t base = dash ? (size_t)(dash - f->name) : strlen(f->name);
    if (base + 12 > sizeof f->name) base = sizeof f->name - 12;
    snprintf(f->name + base, sizeof f->name - base, "-%u", k);
  }
  snprintf(f->title, sizeof f->title, "%s", title);
  f->f = open_memstream(&f->svg, &f->len);
  if (!f->f) return NULL;
  l->n++;
  invdes_svg_begin(f->f, f->name, width, height, title);
  return f->f;
}

invdes_status invdes_fig_finish(invdes_fig_list *l, const char *note, invdes_error *err) {
  invdes_fig *f = &l->items[l->n - 1];
  invdes_svg_end(f->f);
  int bad = ferror(f->f);
  bad |= fclose(f->f) != 0;
  f->f = NULL;
  if (note) snprintf(f->note, sizeof f->note, "%s", note);
  if (bad || !f->svg) return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory drawing %s",
                                              f->name);
  return INVDES_OK;
}

const char *invdes_fig_id(const invdes_fig_list *l) { return l->items[l->n - 1].name; }

void invdes_fig_list_free(invdes_fig_list *l) {
  for (size_t i = 0; i < l->n; i++) {
    if (l->items[i].f) fclose(l->items[i].f);
    free(l->items[i].svg);
  }
  free(l->items);
  memset(l, 0, sizeof *l);
}
