/* fig_ternary.c — where the proposals of each composition group lie, on a
 * ternary diagram coloured by an objective (fig.h). Each point is one
 * proposal's three fractions, normalized to sum to 1; a group of more than
 * three components shows the three whose amounts varied most, renormalized
 * (the caption says so). Colour is viridis over the objective's values (the
 * colour bar beside); a proposal without a value for it (pending, failed)
 * is a hollow grey ring. One figure per group and objective (the
 * maximize/minimize targets, else the conditions; three at most). Needs the
 * campaign model (the groups are not in the store's own tables). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fig.h"
#include "svg.h"
#include "target.h"

#define FIG_W 640.0
#define FIG_H 500.0
#define SIDE 400.0
#define X0 56.0
#define Y0 440.0
#define COLOUR_BINS 32
#define MAX_COLOURED 3

/* The zoom: the sub-triangle where each fraction i is at least lo[i], of
 * side `side` (1 - the sum of lo) in fractions; grid lines every `step`. */
typedef struct tern_zoom {
  double lo[3], side, step;
} tern_zoom;

/* Pixel of fractions f (f[0] at the bottom left, f[1] bottom right, f[2]
 * at the top) in the zoomed triangle. */
static void place(const tern_zoom *z, const double f[3], double *x, double *y) {
  double h = SIDE * sqrt(3) / 2;
  double b = (f[1] - z->lo[1]) / z->side, c = (f[2] - z->lo[2]) / z->side;
  *x = X0 + b * SIDE + c * SIDE / 2;
  *y = Y0 - c * h;
}

/* Zooms in on the proposals: each lower edge the largest multiple of 0.05
 * below the smallest fraction seen, grid steps by the 1-2-5 rule. */
static void zoom_fit(tern_zoom *z, const double *f, size_t n) {
  double sum = 0;
  for (int i = 0; i < 3; i++) {
    double m = 1;
    for (size_t k = 0; k < n; k++) m = fmin(m, f[3 * k + i]);
    z->lo[i] = fmax(0, floor(m / 0.05 + 1e-9) * 0.05);
    sum += z->lo[i];
  }
  if (sum > 0.95) z->lo[0] = z->lo[1] = z->lo[2] = 0, sum = 0;
  z->side = 1 - sum;
  double raw = z->side / 4, e = pow(10, floor(log10(raw))), r = raw / e;
  z->step = (r < 1.5 ? 1 : r < 3.5 ? 2 : r < 7.5 ? 5 : 10) * e;
}

static void grid_line(FILE *out, const tern_zoom *z, const double f0[3], const double f1[3]) {
  double x0, y0, x1, y1;
  place(z, f0, &x0, &y0);
  place(z, f1, &x1, &y1);
  fputs("M", out), invdes_svg_px(out, x0), fputc(' ', out), invdes_svg_px(out, y0);
  fputs("L", out), invdes_svg_px(out, x1), fputc(' ', out), invdes_svg_px(out, y1);
}

/* The point of the zoomed triangle where fraction i is v and fraction j
 * is at its lower edge (the third takes the rest). */
static void edge_point(const tern_zoom *z, int i, int j, double v, double f[3]) {
  int k = 3 - i - j;
  f[i] = v, f[j] = z->lo[j], f[k] = 1 - v - z->lo[j];
}

/* The triangle, its grid with labels, and the corner names. */
static void axes(FILE *out, const tern_zoom *z, const char *const names[3]) {
  static const char *const anchor[3] = {"end", "middle", "start"};
  static const double dx[3] = {-6, 0, 6}, dy[3] = {4, 15, 4};
  fputs("<path class=\"grid\" fill=\"none\" stroke=\"#dddddd\" d=\"", out);
  for (int i = 0; i < 3; i++)
    for (int k = 1; z->lo[i] + k * z->step < z->lo[i] + z->side - 1e-9; k++) {
      double f0[3], f1[3], v = z->lo[i] + k * z->step;
      edge_point(z, i, (i + 1) % 3, v, f0);
      edge_point(z, i, (i + 2) % 3, v, f1);
      grid_line(out, z, f0, f1);
    }
  fputs("\"/>\n<path class=\"frame\" fill=\"none\" stroke=\"#444444\" d=\"", out);
  double c[3][3];
  for (int i = 0; i < 3; i++) edge_point(z, i, (i + 1) % 3, z->lo[i] + z->side, c[i]);
  for (int i = 0; i < 3; i++) grid_line(out, z, c[i], c[(i + 1) % 3]);
  fputs("\"/>\n", out);
  /* Labels of fraction i along the edge where fraction i+1 is at its
   * lower edge: a on the left, b along the bottom, c on the right. */
  for (int i = 0; i < 3; i++)
    for (int k = 1; z->lo[i] + k * z->step < z->lo[i] + z->side - 1e-9; k++) {
      double f[3], x, y, v = z->lo[i] + k * z->step;
      char txt[INVDES_SVG_LABEL_MAX];
      edge_point(z, i, (i + 1) % 3, v, f);
      place(z, f, &x, &y);
      invdes_svg_tick_label(NULL, invdes_svg_round(v, 6), txt);
      invdes_svg_text(out, x + dx[i], y + dy[i], anchor[i], 10, "fill=\"#555555\"", txt);
    }
  double x, y;
  place(z, c[0], &x, &y);
  invdes_svg_text(out, x, y + 34, "middle", 13, "font-weight=\"bold\"", names[0]);
  place(z, c[1], &x, &y);
  invdes_svg_text(out, x, y + 34, "middle", 13, "font-weight=\"bold\"", names[1]);
  place(z, c[2], &x, &y);
  invdes_svg_text(out, x, y - 10, "middle", 13, "font-weight=\"bold\"", names[2]);
}

/* The three components shown: all of a group of three, else the three
 * whose values spread most over the proposals (ties: campaign order). */
static void pick(const invdes_fig_data *d, const invdes_composition *g, size_t idx[3]) {
  double spread[3] = {-1, -1, -1};
  for (size_t j = 0; j < g->n_components; j++) {
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < d->rows->n; i++) {
      double v = invdes_fig_parameter(&d->rows->items[i], g->components[j].name);
      if (isfinite(v)) lo = fmin(lo, v), hi = fmax(hi, v);
    }
    double s = hi >= lo ? hi - lo : 0;
    for (int k = 0; k < 3; k++)
      if (s > spread[k]) {
        for (int m = 2; m > k; m--) spread[m] = spread[m - 1], idx[m] = idx[m - 1];
        spread[k] = s, idx[k] = j;
        break;
      }
  }
  /* Keep the campaign's order of the three picked. */
  for (int a = 0; a < 3; a++)
    for (int b = a + 1; b < 3; b++)
      if (idx[b] < idx[a]) {
        size_t t = idx[a];
        idx[a] = idx[b], idx[b] = t;
      }
}

typedef struct tern_pts {
  size_t n;
  double *x, *y, *v; /* pixels and the colouring value (NAN: none) */
  double *f;         /* 3 fractions per point */
} tern_pts;

static void draw_points(FILE *out, const tern_pts *q, double lo, double hi) {
  double *px = malloc((q->n ? q->n : 1) * sizeof *px), *py = malloc((q->n ? q->n : 1) * sizeof *py);
  if (!px || !py) {
    free(px), free(py);
    return;
  }
  size_t m = 0;
  for (size_t i = 0; i < q->n; i++)
    if (isnan(q->v[i])) px[m] = q->x[i], py[m++] = q->y[i];
  invdes_svg_markers_px(out, px, py, m, INVDES_SVG_CIRCLE, 4, NULL, INVDES_SVG_GREY, 0);
  for (int b = 0; b < COLOUR_BINS; b++) {
    m = 0;
    for (size_t i = 0; i < q->n; i++) {
      if (isnan(q->v[i])) continue;
      double t = hi > lo ? (q->v[i] - lo) / (hi - lo) : 0.5;
      int bin = (int)floor(t * COLOUR_BINS);
      if (bin >= COLOUR_BINS) bin = COLOUR_BINS - 1;
      if (bin == b) px[m] = q->x[i], py[m++] = q->y[i];
    }
    if (!m) continue;
    char c[8];
    invdes_svg_viridis((b + 0.5) / COLOUR_BINS, c);
    invdes_svg_markers_px(out, px, py, m, INVDES_SVG_CIRCLE, 4.5, c, "#333333", 0.95);
  }
  free(px), free(py);
}

static invdes_status ternary(const invdes_fig_data *d, const invdes_composition *g, size_t t,
                             tern_pts *q, invdes_fig_list *l, invdes_error *err) {
  size_t idx[3] = {0, 1, 2};
  if (g->n_components > 3) pick(d, g, idx);
  const char *names[3] = {g->components[idx[0]].name, g->components[idx[1]].name,
                          g->components[idx[2]].name};
  invdes_svg_range r;
  invdes_svg_range_init(&r);
  q->n = 0;
  for (size_t i = 0; i < d->rows->n; i++) {
    const invdes_store_proposal *p = &d->rows->items[i];
    double *f = q->f + 3 * q->n, sum = 0;
    for (int k = 0; k < 3; k++) sum += f[k] = invdes_fig_parameter(p, names[k]);
    if (!isfinite(sum) || sum <= 0 || f[0] < 0 || f[1] < 0 || f[2] < 0) continue;
    for (int k = 0; k < 3; k++) f[k] /= sum;
    q->v[q->n] = invdes_fig_failed(p) ? NAN : p->value[t];
    invdes_svg_range_add(&r, q->v[q->n++]);
  }
  tern_zoom z;
  zoom_fit(&z, q->f, q->n);
  for (size_t k = 0; k < q->n; k++) place(&z, q->f + 3 * k, &q->x[k], &q->y[k]);
  if (!q->n) return INVDES_OK;
  char name[INVDES_FIG_NAME_MAX], title[INVDES_FIG_TITLE_MAX], label[INVDES_FIG_TITLE_MAX];
  snprintf(name, sizeof name, "ternary-%s-%s", g->name, d->targets[t].name);
  snprintf(title, sizeof title, "Composition %s, coloured by %s", g->name, d->targets[t].name);
  FILE *out = invdes_fig_start(l, name, title, FIG_W, FIG_H);
  if (!out) return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  axes(out, &z, names);
  double lo = r.lo <= r.hi ? r.lo : 0, hi = r.lo <= r.hi ? r.hi : 1;
  draw_points(out, q, lo, hi);
  invdes_fig_target_title(d, t, label, sizeof label);
  if (r.lo <= r.hi) invdes_svg_colourbar(out, invdes_fig_id(l), X0 + SIDE + 60, 90, Y0, lo, hi,
                                         label);
  char note[INVDES_FIG_NOTE_MAX];
  char edge[3][INVDES_SVG_LABEL_MAX];
  for (int k = 0; k < 3; k++) invdes_svg_tick_label(NULL, invdes_svg_round(z.lo[k], 6), edge[k]);
  snprintf(note, sizeof note,
           "Every proposal's fractions of %s, %s and %s%s, on the part of the triangle where "
           "they are at least %s, %s and %s; filled: coloured by its %s (viridis, the bar "
           "beside); hollow grey: no value (pending or failed).",
           names[0], names[1], names[2],
           g->n_components > 3 ? " (the three that varied most, renormalized to sum to 1)" : "",
           edge[0], edge[1], edge[2], label);
  return invdes_fig_finish(l, note, err);
}

invdes_status invdes_fig_ternary(const invdes_fig_data *d, invdes_fig_list *l,
                                 invdes_error *err) {
  if (!d->c || !d->c->n_compositions || !d->rows->n || !d->n_targets) return INVDES_OK;
  size_t n_obj = 0;
  for (size_t t = 0; t < d->n_targets; t++) n_obj += invdes_goal_is_objective(d->targets[t].goal);
  size_t n = d->rows->n;
  tern_pts q = {0, malloc(n * sizeof(double)), malloc(n * sizeof(double)),
                malloc(n * sizeof(double)), malloc(3 * n * sizeof(double))};
  invdes_status st = q.x && q.y && q.v && q.f ? INVDES_OK
                                       : invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  for (size_t gi = 0; st == INVDES_OK && gi < d->c->n_compositions; gi++) {
    const invdes_composition *g = &d->c->compositions[gi];
    if (g->n_components < 3) continue;
    size_t drawn = 0;
    for (size_t t = 0; st == INVDES_OK && t < d->n_targets && drawn < MAX_COLOURED; t++) {
      if (n_obj && !invdes_goal_is_objective(d->targets[t].goal)) continue;
      st = ternary(d, g, t, &q, l, err);
      drawn++;
    }
  }
  free(q.x), free(q.y), free(q.v), free(q.f);
  return st;
}
