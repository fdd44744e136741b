/* fig_progress.c — how a campaign went, evaluation by evaluation (fig.h):
 *  - best so far: one panel per objective (maximize/minimize target), the
 *    best value among the results that meet every condition, as a step line
 *    (a minimize objective spanning two decades or more gets a log axis, as
 *    a regret does); a multi-objective campaign adds, on top, the
 *    hypervolume of the front so far (against the reference point of all
 *    its results, so the curve only rises); a campaign of conditions only
 *    shows the least normalized violation so far instead (0: all met);
 *  - each target: every measured value (±2 sd where an sd was reported) with
 *    its window drawn as a band, or its threshold as a line with the
 *    accepted side shaded; values that meet in colour, the others marked.
 * Both mark where the initial design ends. Reads nothing itself. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fig.h"
#include "pareto.h"
#include "svg.h"
#include "target.h"

#define MARGIN_LEFT 84.0
#define MARGIN_RIGHT 24.0
#define PANEL_HEIGHT 250.0
#define TITLE_SPACE 40.0

static const char *const MET = "#0072B2";    /* blue: met, or an objective */
static const char *const MISSED = "#D55E00"; /* vermillion: a condition missed */
static const char *const BAND = "#009E73";   /* green: the accepted values */

static void mark_initial(const invdes_svg_plot *p, size_t n_initial, size_t n_eval) {
  if (!n_initial || n_initial >= n_eval) return;
  invdes_svg_style st = {"#555555", 1.2, "4 3", 0};
  double x = (double)n_initial + 0.5;
  invdes_svg_vline(p, x, &st);
  double px = invdes_svg_axis_map(&p->x, x);
  int left = px - p->left > 100; /* the label left of the line when it fits */
  invdes_svg_text(p->out, left ? px - 4 : px + 4, p->bottom - 6, left ? "end" : "start", 11,
                  "fill=\"#555555\"", "initial design");
}

static void x_range(const invdes_fig_data *d, invdes_svg_range *r) {
  invdes_svg_range_init(r);
  invdes_svg_range_add(r, 0);
  invdes_svg_range_add(r, (double)(d->n_eval ? d->n_eval : 1));
}

/* The running best of target t over results meeting every condition. */
static void best_so_far(const invdes_fig_data *d, size_t t, double *ys) {
  double best = NAN;
  for (size_t k = 0; k < d->n_eval; k++) {
    const invdes_store_proposal *p = d->eval[k];
    double v = p->value[t];
    if (!isnan(v) && invdes_fig_meets_conditions(d, p) &&
        (isnan(best) || invdes_target_better(&d->targets[t], v, best)))
      best = v;
    ys[k] = best;
  }
}

/* The least normalized violation so far, over results with every condition
 * measured (0 once one meets them all). */
static void least_violation(const invdes_fig_data *d, double *ys) {
  double best = NAN;
  for (size_t k = 0; k < d->n_eval; k++) {
    const invdes_store_proposal *p = d->eval[k];
    invdes_rank r = invdes_rank_result(d->targets, d->n_targets, p->value, invdes_fig_failed(p));
    if (r.ranked && !r.missing && (isnan(best) || r.violation < best)) best = r.violation;
    ys[k] = best;
  }
}

/* One best-so-far curve: y[i] after evaluation x[i]. */
typedef struct best_series {
  const double *x, *y;
  size_t n;
  int log_ok;          /* a log axis is allowed (a minimized quantity) */
  const char *label;   /* the y axis title */
  const char *colour;
} best_series;

/* One best-so-far panel: the step line and a marker at each improvement. */
static void best_panel(const invdes_fig_data *d, FILE *out, const char *pid, double top,
                       double height, const best_series *b) {
  invdes_svg_plot p;
  invdes_svg_range rx, ry;
  x_range(d, &rx);
  invdes_svg_range_init(&ry);
  invdes_svg_range_add_all(&ry, b->y, b->n);
  invdes_svg_panel(&p, out, pid, MARGIN_LEFT, top, INVDES_SVG_WIDTH - MARGIN_RIGHT,
                   top + height - 70, &rx, 0, &ry, b->log_ok, "evaluations", b->label);
  invdes_svg_style st = {b->colour, 2.2, NULL, 0};
  invdes_svg_steps(&p, b->x, b->y, b->n, &st);
  double *ix = malloc((b->n ? b->n : 1) * sizeof *ix), *iy = malloc((b->n ? b->n : 1) * sizeof *iy);
  size_t m = 0;
  for (size_t k = 0; ix && iy && k < b->n; k++)
    if (!isnan(b->y[k]) && (k == 0 || isnan(b->y[k - 1]) || b->y[k] != b->y[k - 1]))
      ix[m] = b->x[k], iy[m++] = b->y[k];
  if (ix && iy) invdes_svg_markers(&p, ix, iy, m, INVDES_SVG_CIRCLE, 3.5, b->colour, NULL, 0);
  free(ix), free(iy);
  mark_initial(&p, d->n_initial, d->n_eval);
}

/* The hypervolume of the results so far that enter the front, against the
 * reference point of all of them (fixed, so the curve only rises), at
 * every evaluation, or at HV_SAMPLES evenly spaced ones in a long campaign.
 * Writes x, y (room for n_eval) and their count *n (0: no candidate). */
#define HV_SAMPLES 400
static invdes_status hypervolume_so_far(const invdes_fig_data *d, double *x, double *y,
                                        size_t *n, invdes_error *err) {
  size_t T = d->n_targets, N = d->n_eval, nc = 0;
  size_t m = invdes_targets_objectives(d->targets, T, NULL, NULL);
  double *Y = malloc(N * m * sizeof *Y), *ref = malloc(m * sizeof *ref);
  size_t *upto = malloc(N * sizeof *upto);
  invdes_status st = Y && ref && upto ? INVDES_OK
                                      : invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  *n = 0;
  for (size_t k = 0; st == INVDES_OK && k < N; k++) {
    const invdes_store_proposal *p = d->eval[k];
    if (invdes_targets_front_candidate(d->targets, T, p->value, invdes_fig_failed(p)))
      invdes_targets_objectives(d->targets, T, p->value, Y + m * nc++);
    upto[k] = nc;
  }
  if (st == INVDES_OK && nc) st = invdes_targets_reference(d->targets, T, Y, nc, m, ref, err);
  size_t stride = N > HV_SAMPLES ? (N + HV_SAMPLES - 1) / HV_SAMPLES : 1;
  for (size_t k = 0; st == INVDES_OK && nc && k < N; k += stride) {
    if (k + stride >= N) k = N - 1; /* always the last evaluation */
    x[*n] = (double)(k + 1);
    y[*n] = NAN;
    if (upto[k]) st = invdes_hypervolume(Y, upto[k], m, ref, &y[*n], err);
    (*n)++;
  }
  free(Y), free(ref), free(upto);
  return st;
}

static const char *progress_note(int pareto, size_t n_obj) {
  if (pareto)
    return "Top: the hypervolume the front so far dominates, against the reference point of "
           "the Pareto figure; below, the best value of each objective so far among the "
           "results that meet every condition; a dot marks each improvement.";
  if (n_obj)
    return "The best value of each objective so far among the results that meet every "
           "condition; a dot marks each improvement.";
  return "The campaign has conditions only: the least normalized violation so far (distance "
         "outside a window over its width, beyond a threshold over |threshold|); 0 once a "
         "result meets every condition.";
}

/* Draws the panels into out: hypervolume (pareto), each objective, or the
 * least violation; xs, ys, hx, hy have room for n_eval. */
static invdes_status progress_panels(const invdes_fig_data *d, FILE *out, const char *id,
                                     int pareto, size_t n_obj, double ph, double *xs, double *ys,
                                     double *hx, double *hy, invdes_error *err) {
  char pid[INVDES_FIG_NAME_MAX + 16], label[INVDES_FIG_TITLE_MAX];
  size_t panel = 0;
  for (size_t k = 0; k < d->n_eval; k++) xs[k] = (double)(k + 1);
  if (pareto) {
    size_t n = 0;
    invdes_status st = hypervolume_so_far(d, hx, hy, &n, err);
    if (st != INVDES_OK) return st;
    best_series b = {hx, hy, n, 0, "hypervolume so far", "#000000"};
    snprintf(pid, sizeof pid, "%s-%zu", id, panel);
    best_panel(d, out, pid, TITLE_SPACE, ph, &b);
    panel++;
  }
  for (size_t t = 0; t < d->n_targets; t++) {
    if (!invdes_goal_is_objective(d->targets[t].goal)) continue;
    best_so_far(d, t, ys);
    invdes_fig_target_title(d, t, label, sizeof label);
    best_series b = {xs, ys, d->n_eval, d->targets[t].goal == INVDES_GOAL_MINIMIZE, label,
                     invdes_svg_colour(panel - (size_t)pareto)};
    snprintf(pid, sizeof pid, "%s-%zu", id, panel);
    best_panel(d, out, pid, TITLE_SPACE + ph * (double)panel, ph, &b);
    panel++;
  }
  if (!n_obj) {
    least_violation(d, ys);
    best_series b = {xs, ys, d->n_eval, 0, "least violation so far (0: all met)",
                     invdes_svg_colour(0)};
    snprintf(pid, sizeof pid, "%s-0", id);
    best_panel(d, out, pid, TITLE_SPACE, ph, &b);
  }
  return INVDES_OK;
}

invdes_status invdes_fig_progress(const invdes_fig_data *d, invdes_fig_list *l,
                                  invdes_error *err) {
  if (!d->n_eval) return INVDES_OK;
  size_t n_obj = 0;
  for (size_t t = 0; t < d->n_targets; t++) n_obj += invdes_goal_is_objective(d->targets[t].goal);
  int pareto = invdes_targets_pareto(d->targets, d->n_targets);
  size_t panels = (n_obj ? n_obj : 1) + (size_t)pareto;
  /* One panel: the standard size; several: shorter ones, stacked. */
  double ph = panels == 1 ? INVDES_SVG_HEIGHT - TITLE_SPACE + 14 : PANEL_HEIGHT;
  FILE *out = invdes_fig_start(l, "best-so-far", "Best so far against evaluations",
                               INVDES_SVG_WIDTH, TITLE_SPACE + ph * (double)panels);
  size_t bytes = d->n_eval * sizeof(double);
  double *xs = malloc(bytes), *ys = malloc(bytes), *hx = malloc(bytes), *hy = malloc(bytes);
  invdes_status st = out && xs && ys && hx && hy
                         ? progress_panels(d, out, invdes_fig_id(l), pareto, n_obj, ph, xs, ys,
                                           hx, hy, err)
                         : invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  free(xs), free(ys), free(hx), free(hy);
  if (st != INVDES_OK) return st;
  return invdes_fig_finish(l, progress_note(pareto, n_obj), err);
}

/* ---- each target against evaluations ------------------------------------ */

/* The window or threshold of t drawn behind its values. */
static void goal_marks(const invdes_svg_plot *p, const invdes_target *t) {
  invdes_svg_style edge = {BAND, 1.4, "6 4", 0};
  double lo, hi;
  invdes_target_interval(t, &lo, &hi);
  if (invdes_goal_is_objective(t->goal)) return;
  invdes_svg_hband(p, lo, hi, BAND, 0.14);
  if (isfinite(lo)) invdes_svg_hline(p, lo, &edge);
  if (isfinite(hi)) invdes_svg_hline(p, hi, &edge);
}

static void target_note(const invdes_fig_data *d, size_t t, size_t n_val, size_t n_met,
                        char *note, size_t size) {
  char goal[160];
  invdes_target_describe(&d->targets[t], goal, sizeof goal);
  const char *unit = d->targets[t].unit ? d->targets[t].unit : "";
  if (invdes_goal_is_objective(d->targets[t].goal))
    snprintf(note, size, "Every measured %s (%s) against its evaluation; %zu values%s.",
             d->targets[t].name, goal, n_val, n_val ? ", bars ±2 sd where reported" : "");
  else
    snprintf(note, size,
             "Every measured %s against its evaluation; the shaded side is the goal, %s %s: "
             "%zu of %zu values meet it (blue), the others are marked in vermillion.",
             d->targets[t].name, goal, unit, n_met, n_val);
}

/* One target's figure: xs are the evaluation numbers. */
static invdes_status target_figure(const invdes_fig_data *d, size_t t, const double *xs,
                                   double *buf, invdes_fig_list *l, invdes_error *err) {
  const invdes_target *tg = &d->targets[t];
  size_t n = d->n_eval;
  double *met = buf, *missed = buf + n, *lo = buf + 2 * n, *hi = buf + 3 * n;
  size_t n_val = 0, n_met = 0;
  invdes_svg_range rx, ry;
  x_range(d, &rx);
  invdes_svg_range_init(&ry);
  for (size_t k = 0; k < n; k++) {
    double v = d->eval[k]->value[t], sd = d->eval[k]->sd[t];
    int ok = invdes_target_meets(tg, v);
    met[k] = ok ? v : NAN;
    missed[k] = ok ? NAN : v;
    lo[k] = isnan(sd) ? NAN : v - 2 * sd;
    hi[k] = isnan(sd) ? NAN : v + 2 * sd;
    n_val += !isnan(v), n_met += ok && !isnan(v);
    invdes_svg_range_add(&ry, v), invdes_svg_range_add(&ry, lo[k]);
    invdes_svg_range_add(&ry, hi[k]);
  }
  if (!n_val) return INVDES_OK;
  double glo, ghi;
  invdes_target_interval(tg, &glo, &ghi);
  invdes_svg_range_add(&ry, glo), invdes_svg_range_add(&ry, ghi);
  char name[INVDES_FIG_NAME_MAX], title[INVDES_FIG_TITLE_MAX], label[INVDES_FIG_TITLE_MAX];
  snprintf(name, sizeof name, "target-%s", tg->name);
  snprintf(title, sizeof title, "%s against evaluations", tg->name);
  invdes_fig_target_title(d, t, label, sizeof label);
  FILE *out = invdes_fig_start(l, name, title, INVDES_SVG_WIDTH, INVDES_SVG_HEIGHT);
  if (!out) return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  char pid[INVDES_FIG_NAME_MAX + 16];
  snprintf(pid, sizeof pid, "%s-0", invdes_fig_id(l));
  invdes_svg_plot p;
  int log_ok = tg->goal == INVDES_GOAL_MINIMIZE;
  invdes_svg_panel(&p, out, pid, MARGIN_LEFT, TITLE_SPACE, INVDES_SVG_WIDTH - MARGIN_RIGHT,
                   INVDES_SVG_HEIGHT - 56, &rx, 0, &ry, log_ok, "evaluations", label);
  goal_marks(&p, tg);
  invdes_svg_style bars = {"#666666", 1, NULL, 0};
  invdes_svg_errorbars(&p, xs, lo, hi, n, &bars);
  invdes_svg_markers(&p, xs, met, n, INVDES_SVG_CIRCLE, 3.5, MET, NULL, 0.85);
  invdes_svg_markers(&p, xs, missed, n, INVDES_SVG_DIAMOND, 3.5, MISSED, NULL, 0.85);
  mark_initial(&p, d->n_initial, n);
  if (!invdes_goal_is_objective(tg->goal)) {
    invdes_svg_key keys[] = {{"meets", MET, 1, NULL},
                             {"misses", MISSED, 1 + INVDES_SVG_DIAMOND, NULL},
                             {"goal", BAND, 0, "6 4"}};
    for (size_t k = 0; k < n; k++) lo[k] = d->eval[k]->value[t]; /* bars drawn: reused */
    invdes_svg_legend(&p, keys, 3, xs, lo, n);
  }
  char note[INVDES_FIG_NOTE_MAX];
  target_note(d, t, n_val, n_met, note, sizeof note);
  return invdes_fig_finish(l, note, err);
}

invdes_status invdes_fig_targets(const invdes_fig_data *d, invdes_fig_list *l,
                                 invdes_error *err) {
  if (!d->n_eval) return INVDES_OK;
  double *xs = malloc(d->n_eval * sizeof *xs), *buf = malloc(4 * d->n_eval * sizeof *buf);
  invdes_status st = xs && buf ? INVDES_OK
                               : invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  for (size_t k = 0; st == INVDES_OK && k < d->n_eval; k++) xs[k] = (double)(k + 1);
  for (size_t t = 0; st == INVDES_OK && t < d->n_targets; t++)
    st = target_figure(d, t, xs, buf, l, err);
  free(xs), free(buf);
  return st;
}
