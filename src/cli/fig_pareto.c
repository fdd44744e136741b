/* fig_pareto.c — the Pareto front of a multi-objective campaign (fig.h;
 * target.h says when a campaign is one, and ranks its results).
 *
 * Two objectives: every result in the objectives' own units, the
 * non-dominated ones among those that meet every condition in colour and
 * joined by the front's staircase (the edge of the region they dominate),
 * the dominated ones in grey, the ones that miss a condition or lack a value
 * as grey rings, and the hypervolume's reference point. Three or more: the
 * pairwise projections of the first four objectives, one panel each, same
 * colours (a projection of a front is no staircase, so no line). The front
 * is also what the page's table lists (invdes_fig_front). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fig.h"
#include "svg.h"
#include "target.h"

#define FRONT "#0072B2"
#define PANEL 300.0  /* a projection panel's side, pixels */
#define MAX_PAIRS_OBJ 4

typedef struct front_data {
  size_t n, m;      /* evaluations, objectives */
  size_t obj[8];    /* target index of objective j (the first 8) */
  size_t *rank;     /* n: Pareto rank, SIZE_MAX: no candidate */
  double ref[8];    /* the reference point, minimized coordinates */
  invdes_front_summary sum;
} front_data;

static void front_free(front_data *f) { free(f->rank); }

/* Ranks the evaluations; f->rank NULL (and OK) when d is not a
 * multi-objective campaign. */
static invdes_status front_read(const invdes_fig_data *d, front_data *f, invdes_error *err) {
  memset(f, 0, sizeof *f);
  if (!d->n_eval || !invdes_targets_pareto(d->targets, d->n_targets)) return INVDES_OK;
  f->n = d->n_eval;
  f->m = invdes_targets_objectives(d->targets, d->n_targets, NULL, NULL);
  if (f->m > 8) f->m = 8; /* more than eight objectives: the first eight are drawn */
  for (size_t t = 0, j = 0; t < d->n_targets && j < f->m; t++)
    if (invdes_goal_is_objective(d->targets[t].goal)) f->obj[j++] = t;
  double *values = malloc(f->n * (d->n_targets ? d->n_targets : 1) * sizeof *values);
  int *failed = malloc(f->n * sizeof *failed);
  double *ref = malloc((invdes_targets_objectives(d->targets, d->n_targets, NULL, NULL) + 1) *
                       sizeof *ref);
  f->rank = malloc(f->n * sizeof *f->rank);
  invdes_status st = INVDES_OK;
  if (!values || !failed || !ref || !f->rank) {
    st = invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  } else {
    for (size_t k = 0; k < f->n; k++) {
      memcpy(values + k * d->n_targets, d->eval[k]->value, d->n_targets * sizeof *values);
      failed[k] = invdes_fig_failed(d->eval[k]);
    }
    st = invdes_targets_front(d->targets, d->n_targets, values, failed, f->n, f->rank, ref,
                              &f->sum, err);
    for (size_t j = 0; st == INVDES_OK && j < f->m; j++) f->ref[j] = ref[j];
  }
  free(values), free(failed), free(ref);
  if (st != INVDES_OK) front_free(f), f->rank = NULL;
  return st;
}

/* Objective j of evaluation k in the target's own units. */
static double obj_value(const invdes_fig_data *d, const front_data *f, size_t k, size_t j) {
  return d->eval[k]->value[f->obj[j]];
}

/* The reference's coordinate j in the target's own units. */
static double ref_value(const invdes_fig_data *d, const front_data *f, size_t j) {
  return d->targets[f->obj[j]].goal == INVDES_GOAL_MAXIMIZE ? -f->ref[j] : f->ref[j];
}

typedef struct front_sort {
  const invdes_fig_data *d;
  const front_data *f;
} front_sort;

/* The front's evaluation indices sorted by the first objective (best
 * first), ties by the second, then id. */
static size_t front_members(const invdes_fig_data *d, const front_data *f, size_t *idx) {
  size_t n = 0;
  for (size_t k = 0; k < f->n; k++)
    if (f->rank[k] == 0) idx[n++] = k;
  for (size_t a = 1; a < n; a++) /* insertion sort: fronts are small */
    for (size_t b = a; b > 0; b--) {
      size_t i = idx[b - 1], j = idx[b];
      int c = invdes_target_compare(&d->targets[f->obj[0]], obj_value(d, f, j, 0),
                                    obj_value(d, f, i, 0));
      if (c == 0 && f->m > 1)
        c = invdes_target_compare(&d->targets[f->obj[1]], obj_value(d, f, j, 1),
                                  obj_value(d, f, i, 1));
      if (c > 0 || (c == 0 && d->eval[j]->id > d->eval[i]->id)) break;
      idx[b - 1] = j, idx[b] = i;
    }
  return n;
}

invdes_status invdes_fig_front(const invdes_fig_data *d, size_t **idx, size_t *n,
                               invdes_error *err) {
  *idx = NULL, *n = 0;
  front_data f;
  invdes_status st = front_read(d, &f, err);
  if (st != INVDES_OK || !f.rank) return st;
  *idx = malloc((f.n ? f.n : 1) * sizeof **idx);
  if (!*idx) st = invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  else *n = front_members(d, &f, *idx);
  front_free(&f);
  return st;
}

/* One panel of objectives (a, b): points by class, the staircase when
 * `steps`, the reference point. */
static void panel(const invdes_fig_data *d, const front_data *f, FILE *out, const char *pid,
                  size_t a, size_t b, double left, double top, double right, double bottom,
                  const size_t *members, size_t n_front, double *buf, int steps) {
  size_t n = f->n;
  double *xa = buf, *ya = buf + n, *xb = buf + 2 * n, *yb = buf + 3 * n;
  double *xc = buf + 4 * n, *yc = buf + 5 * n;
  invdes_svg_range rx, ry;
  invdes_svg_range_init(&rx), invdes_svg_range_init(&ry);
  for (size_t k = 0; k < n; k++) {
    double x = obj_value(d, f, k, a), y = obj_value(d, f, k, b);
    invdes_svg_range_add(&rx, x), invdes_svg_range_add(&ry, y);
    int cand = f->rank[k] != SIZE_MAX;
    xa[k] = cand && f->rank[k] == 0 ? x : NAN, ya[k] = y;       /* the front */
    xb[k] = cand && f->rank[k] > 0 ? x : NAN, yb[k] = y;        /* dominated */
    xc[k] = !cand ? x : NAN, yc[k] = y;                         /* no candidate */
  }
  invdes_svg_range_add(&rx, ref_value(d, f, a)), invdes_svg_range_add(&ry, ref_value(d, f, b));
  char xl[INVDES_FIG_TITLE_MAX], yl[INVDES_FIG_TITLE_MAX];
  invdes_fig_target_title(d, f->obj[a], xl, sizeof xl);
  invdes_fig_target_title(d, f->obj[b], yl, sizeof yl);
  invdes_svg_plot p;
  invdes_svg_panel(&p, out, pid, left, top, right, bottom, &rx, 0, &ry, 0, xl, yl);
  invdes_svg_markers(&p, xc, yc, n, INVDES_SVG_CIRCLE, 3.5, NULL, INVDES_SVG_GREY, 0);
  invdes_svg_markers(&p, xb, yb, n, INVDES_SVG_CIRCLE, 3.5, INVDES_SVG_GREY, NULL, 0.8);
  if (steps && n_front) {
    double *sx = buf + 6 * n, *sy = buf + 8 * n;
    size_t m = 0;
    for (size_t i = 0; i < n_front; i++) {
      double x = obj_value(d, f, members[i], a), y = obj_value(d, f, members[i], b);
      if (m) sx[m] = x, sy[m] = sy[m - 1], m++; /* the corner: next x, this y */
      sx[m] = x, sy[m] = y, m++;
    }
    invdes_svg_style st = {FRONT, 2, NULL, 0};
    invdes_svg_line(&p, sx, sy, m, &st);
  }
  invdes_svg_markers(&p, xa, ya, n, INVDES_SVG_CIRCLE, 4.5, FRONT, "#ffffff", 0);
  double rx1 = ref_value(d, f, a), ry1 = ref_value(d, f, b);
  invdes_svg_markers(&p, &rx1, &ry1, 1, INVDES_SVG_SQUARE, 4, NULL, "#D55E00", 0);
  if (steps) {
    invdes_svg_key keys[] = {{"Pareto front", FRONT, 1, NULL},
                             {"dominated / misses a condition", INVDES_SVG_GREY, 1, NULL},
                             {"reference point", "#D55E00", 1 + INVDES_SVG_SQUARE, NULL}};
    double *ax = buf + 6 * n, *ay = buf + 8 * n; /* the staircase is drawn: reused */
    for (size_t k = 0; k < n; k++) ax[k] = obj_value(d, f, k, a), ay[k] = obj_value(d, f, k, b);
    ax[n] = rx1, ay[n] = ry1;
    invdes_svg_legend(&p, keys, 3, ax, ay, n + 1);
  }
}

static void pareto_note(const invdes_fig_data *d, const front_data *f, char *note, size_t size) {
  char hv[40];
  invdes_svg_tick_label(NULL, invdes_svg_round(f->sum.hypervolume, 4), hv);
  int len = snprintf(note, size,
                     "%zu of %zu results meet every condition; %zu of them are non-dominated "
                     "(blue%s), the rest grey (rings: a condition missed or a value lacking). "
                     "Hypervolume %s against the reference point (orange square:",
                     f->sum.candidates, f->n, f->sum.size,
                     f->m == 2 ? ", joined by the front's staircase" : "", hv);
  for (size_t j = 0; j < f->m && len > 0 && (size_t)len < size; j++) {
    char v[INVDES_SVG_LABEL_MAX];
    invdes_svg_tick_label(NULL, invdes_svg_round(ref_value(d, f, j), 6), v);
    len += snprintf(note + len, size - (size_t)len, "%s %s %s", j ? "," : "",
                    d->targets[f->obj[j]].name, v);
  }
  if (len > 0 && (size_t)len < size)
    snprintf(note + len, size - (size_t)len, "%s).",
             f->m > 2 ? "; the panels are pairwise projections" : "");
}

invdes_status invdes_fig_pareto(const invdes_fig_data *d, invdes_fig_list *l,
                                invdes_error *err) {
  front_data f;
  invdes_status st = front_read(d, &f, err);
  if (st != INVDES_OK || !f.rank || f.m < 2) {
    if (f.rank) front_free(&f);
    return st;
  }
  size_t k_obj = f.m < MAX_PAIRS_OBJ ? f.m : MAX_PAIRS_OBJ;
  size_t pairs = k_obj * (k_obj - 1) / 2, cols = pairs < 3 ? pairs : 3;
  size_t rows = (pairs + cols - 1) / cols;
  double w = f.m == 2 ? INVDES_SVG_WIDTH : 24 + (PANEL + 90) * (double)cols;
  double h = f.m == 2 ? 480 : 40 + (PANEL + 70) * (double)rows;
  size_t *members = malloc(f.n * sizeof *members);
  double *buf = malloc(10 * f.n * sizeof *buf);
  FILE *out = members && buf ? invdes_fig_start(l, "pareto-front", "Pareto front", w, h) : NULL;
  if (!out) st = invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  size_t n_front = st == INVDES_OK ? front_members(d, &f, members) : 0;
  char pid[INVDES_FIG_NAME_MAX + 16];
  for (size_t a = 0, i = 0; st == INVDES_OK && a < k_obj; a++)
    for (size_t b = a + 1; b < k_obj; b++, i++) {
      snprintf(pid, sizeof pid, "%s-%zu", invdes_fig_id(l), i);
      if (f.m == 2) {
        panel(d, &f, out, pid, 0, 1, 84, 40, w - 24, h - 56, members, n_front, buf, 1);
      } else {
        double left = 84 + (PANEL + 90) * (double)(i % cols), top = 40 + (PANEL + 70) * (double)(i / cols);
        panel(d, &f, out, pid, a, b, left, top, left + PANEL, top + PANEL, members, n_front, buf,
              0);
      }
    }
  if (st == INVDES_OK) {
    char note[INVDES_FIG_NOTE_MAX];
    pareto_note(d, &f, note, sizeof note);
    st = invdes_fig_finish(l, note, err);
  }
  free(members), free(buf);
  front_free(&f);
  return st;
}
