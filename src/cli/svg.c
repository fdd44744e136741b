/* svg.c — drawing (svg.h): the document, a panel's frame with grid, ticks
 * and labels, and the marks put on it (lines, steps, markers, error bars,
 * bands, reference lines, legends, a colour bar). Series go through the
 * panel's clip path, a few pixels wider than the area so that a marker on
 * the frame shows whole. The axis numbers are svg_axis.c's. */
#include "svg.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#define FONT_SIZE 12.0
#define CLIP_PAD 6.0

static void attr_px(FILE *out, const char *name, double v) {
  fprintf(out, " %s=\"", name);
  invdes_svg_px(out, v);
  fputc('"', out);
}

void invdes_svg_begin(FILE *out, const char *id, double width, double height,
                      const char *title) {
  fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" id=\"%s\"", id);
  attr_px(out, "width", width);
  attr_px(out, "height", height);
  fputs(" viewBox=\"0 0 ", out);
  invdes_svg_px(out, width);
  fputc(' ', out);
  invdes_svg_px(out, height);
  fputs("\" role=\"img\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\""
        " font-size=\"12\">\n<title>",
        out);
  invdes_svg_escape(out, title);
  fputs("</title>\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n", out);
  invdes_svg_text(out, width / 2, 20, "middle", 14, "font-weight=\"bold\"", title);
}

void invdes_svg_end(FILE *out) { fputs("</svg>\n", out); }

void invdes_svg_text(FILE *out, double x, double y, const char *anchor, double size,
                     const char *extra, const char *text) {
  fputs("<text", out);
  attr_px(out, "x", x);
  attr_px(out, "y", y);
  fprintf(out, " text-anchor=\"%s\"", anchor);
  if (size != FONT_SIZE) attr_px(out, "font-size", size);
  if (extra) fprintf(out, " %s", extra);
  fputc('>', out);
  invdes_svg_escape(out, text);
  fputs("</text>\n", out);
}

static void style_attrs(FILE *out, const invdes_svg_style *st) {
  fprintf(out, " fill=\"none\" stroke=\"%s\"", st->colour);
  attr_px(out, "stroke-width", st->width > 0 ? st->width : 1.5);
  if (st->dash) fprintf(out, " stroke-dasharray=\"%s\"", st->dash);
  if (st->opacity > 0 && st->opacity < 1) attr_px(out, "stroke-opacity", st->opacity);
  fputs(" stroke-linejoin=\"round\"", out);
}

static void series_open(const invdes_svg_plot *p) {
  fprintf(p->out, "<path class=\"series\" clip-path=\"url(#%s-clip)\" d=\"", p->id);
}

static void point(FILE *out, char cmd, double x, double y) {
  fputc(cmd, out);
  invdes_svg_px(out, x);
  fputc(' ', out);
  invdes_svg_px(out, y);
}

static void frame_ticks(const invdes_svg_plot *p) {
  FILE *out = p->out;
  double t[INVDES_SVG_TICKS_MAX];
  char label[INVDES_SVG_LABEL_MAX];
  size_t n = invdes_svg_ticks(&p->x, t);
  fputs("<path class=\"grid\" fill=\"none\" stroke=\"#e3e3e3\" d=\"", out);
  for (size_t i = 0; i < n; i++) {
    double px = invdes_svg_axis_map(&p->x, t[i]);
    point(out, 'M', px, p->top), point(out, 'L', px, p->bottom);
  }
  size_t m = invdes_svg_ticks(&p->y, t + 0);
  for (size_t i = 0; i < m; i++) {
    double py = invdes_svg_axis_map(&p->y, t[i]);
    point(out, 'M', p->left, py), point(out, 'L', p->right, py);
  }
  fputs("\"/>\n", out);
  n = invdes_svg_ticks(&p->x, t);
  for (size_t i = 0; i < n; i++) {
    double px = invdes_svg_axis_map(&p->x, t[i]);
    invdes_svg_tick_label(&p->x, t[i], label);
    invdes_svg_text(out, px, p->bottom + 16, "middle", 11, "fill=\"#333333\"", label);
  }
  m = invdes_svg_ticks(&p->y, t);
  for (size_t i = 0; i < m; i++) {
    double py = invdes_svg_axis_map(&p->y, t[i]);
    invdes_svg_tick_label(&p->y, t[i], label);
    invdes_svg_text(out, p->left - 6, py + 4, "end", 11, "fill=\"#333333\"", label);
  }
}

void invdes_svg_panel(invdes_svg_plot *p, FILE *out, const char *id, double left, double top,
                      double right, double bottom, const invdes_svg_range *r_x, int log_x,
                      const invdes_svg_range *r_y, int log_y, const char *xlabel,
                      const char *ylabel) {
  p->out = out;
  p->id = id;
  p->left = left, p->top = top, p->right = right, p->bottom = bottom;
  invdes_svg_axis_set(&p->x, r_x, log_x);
  invdes_svg_axis_set(&p->y, r_y, log_y);
  p->x.p0 = left, p->x.p1 = right;
  p->y.p0 = bottom, p->y.p1 = top;
  fprintf(out, "<clipPath id=\"%s-clip\"><rect", id);
  attr_px(out, "x", left - CLIP_PAD);
  attr_px(out, "y", top - CLIP_PAD);
  attr_px(out, "width", right - left + 2 * CLIP_PAD);
  attr_px(out, "height", bottom - top + 2 * CLIP_PAD);
  fputs("/></clipPath>\n", out);
  frame_ticks(p);
  fputs("<rect class=\"frame\" fill=\"none\" stroke=\"#444444\"", out);
  attr_px(out, "x", left);
  attr_px(out, "y", top);
  attr_px(out, "width", right - left);
  attr_px(out, "height", bottom - top);
  fputs("/>\n", out);
  if (xlabel) invdes_svg_text(out, (left + right) / 2, bottom + 36, "middle", FONT_SIZE, NULL,
                              xlabel);
  if (ylabel) {
    char rot[96];
    double x = left - 52, y = (top + bottom) / 2;
    snprintf(rot, sizeof rot, "transform=\"rotate(-90 %d %d)\"", (int)lround(x), (int)lround(y));
    invdes_svg_text(out, x, y, "middle", FONT_SIZE, rot, ylabel);
  }
}

void invdes_svg_line(const invdes_svg_plot *p, const double *x, const double *y, size_t n,
                     const invdes_svg_style *st) {
  series_open(p);
  int pen = 0;
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(x[i]) || !isfinite(y[i])) {
      pen = 0;
      continue;
    }
    point(p->out, pen ? 'L' : 'M', invdes_svg_axis_map(&p->x, x[i]),
          invdes_svg_axis_map(&p->y, y[i]));
    pen = 1;
  }
  fputc('"', p->out);
  style_attrs(p->out, st);
  fputs("/>\n", p->out);
}

void invdes_svg_steps(const invdes_svg_plot *p, const double *x, const double *y, size_t n,
                      const invdes_svg_style *st) {
  series_open(p);
  int pen = 0;
  double last_py = 0;
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(x[i]) || !isfinite(y[i])) {
      pen = 0;
      continue;
    }
    double px = invdes_svg_axis_map(&p->x, x[i]), py = invdes_svg_axis_map(&p->y, y[i]);
    if (pen) point(p->out, 'L', px, last_py);
    point(p->out, pen ? 'L' : 'M', px, py);
    last_py = py;
    pen = 1;
  }
  fputc('"', p->out);
  style_attrs(p->out, st);
  fputs("/>\n", p->out);
}

static void marker_path(FILE *out, double x, double y, invdes_svg_shape shape, double r) {
  switch (shape) {
    case INVDES_SVG_SQUARE:
      point(out, 'M', x - r, y - r), point(out, 'L', x + r, y - r);
      point(out, 'L', x + r, y + r), point(out, 'L', x - r, y + r);
      fputc('Z', out);
      break;
    case INVDES_SVG_DIAMOND:
      point(out, 'M', x, y - r * 1.3), point(out, 'L', x + r * 1.3, y);
      point(out, 'L', x, y + r * 1.3), point(out, 'L', x - r * 1.3, y);
      fputc('Z', out);
      break;
    default: /* a circle: two half arcs */
      point(out, 'M', x - r, y);
      fputs("a", out);
      invdes_svg_px(out, r), fputc(' ', out), invdes_svg_px(out, r);
      fputs(" 0 1 0 ", out);
      invdes_svg_px(out, 2 * r), fputs(" 0a", out);
      invdes_svg_px(out, r), fputc(' ', out), invdes_svg_px(out, r);
      fputs(" 0 1 0 ", out);
      invdes_svg_px(out, -2 * r), fputs(" 0Z", out);
  }
}

static void marker_attrs(FILE *out, const char *fill, const char *stroke, double opacity) {
  fprintf(out, "\" fill=\"%s\"", fill ? fill : "none");
  if (stroke) fprintf(out, " stroke=\"%s\" stroke-width=\"1\"", stroke);
  if (opacity > 0 && opacity < 1) attr_px(out, "fill-opacity", opacity);
  fputs("/>\n", out);
}

void invdes_svg_markers(const invdes_svg_plot *p, const double *x, const double *y, size_t n,
                        invdes_svg_shape shape, double r, const char *fill,
                        const char *stroke, double opacity) {
  series_open(p);
  for (size_t i = 0; i < n; i++)
    if (isfinite(x[i]) && isfinite(y[i]))
      marker_path(p->out, invdes_svg_axis_map(&p->x, x[i]), invdes_svg_axis_map(&p->y, y[i]),
                  shape, r);
  marker_attrs(p->out, fill, stroke, opacity);
}

void invdes_svg_markers_px(FILE *out, const double *px, const double *py, size_t n,
                           invdes_svg_shape shape, double r, const char *fill,
                           const char *stroke, double opacity) {
  fputs("<path class=\"series\" d=\"", out);
  for (size_t i = 0; i < n; i++)
    if (isfinite(px[i]) && isfinite(py[i])) marker_path(out, px[i], py[i], shape, r);
  marker_attrs(out, fill, stroke, opacity);
}

void invdes_svg_errorbars(const invdes_svg_plot *p, const double *x, const double *lo,
                          const double *hi, size_t n, const invdes_svg_style *st) {
  series_open(p);
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(x[i]) || !isfinite(lo[i]) || !isfinite(hi[i])) continue;
    double px = invdes_svg_axis_map(&p->x, x[i]);
    double a = invdes_svg_axis_map(&p->y, lo[i]), b = invdes_svg_axis_map(&p->y, hi[i]);
    point(p->out, 'M', px, a), point(p->out, 'L', px, b);
    point(p->out, 'M', px - 3, a), point(p->out, 'L', px + 3, a);
    point(p->out, 'M', px - 3, b), point(p->out, 'L', px + 3, b);
  }
  fputc('"', p->out);
  style_attrs(p->out, st);
  fputs("/>\n", p->out);
}

/* v's pixel on the y axis, held inside the plot area. */
static double clamp_y(const invdes_svg_plot *p, double v) {
  double py = isinf(v) ? (v > 0 ? p->top : p->bottom) : invdes_svg_axis_map(&p->y, v);
  if (py < p->top) py = p->top;
  if (py > p->bottom) py = p->bottom;
  return py;
}

void invdes_svg_hband(const invdes_svg_plot *p, double lo, double hi, const char *colour,
                      double opacity) {
  double a = clamp_y(p, hi), b = clamp_y(p, lo);
  if (!(b > a)) return;
  fprintf(p->out, "<rect class=\"band\" fill=\"%s\"", colour);
  attr_px(p->out, "fill-opacity", opacity);
  attr_px(p->out, "x", p->left);
  attr_px(p->out, "y", a);
  attr_px(p->out, "width", p->right - p->left);
  attr_px(p->out, "height", b - a);
  fputs("/>\n", p->out);
}

void invdes_svg_hline(const invdes_svg_plot *p, double y, const invdes_svg_style *st) {
  double py = invdes_svg_axis_map(&p->y, y);
  if (!isfinite(y) || py < p->top - 0.01 || py > p->bottom + 0.01) return;
  fputs("<path d=\"", p->out);
  point(p->out, 'M', p->left, py), point(p->out, 'L', p->right, py);
  fputc('"', p->out);
  style_attrs(p->out, st);
  fputs("/>\n", p->out);
}

void invdes_svg_vline(const invdes_svg_plot *p, double x, const invdes_svg_style *st) {
  double px = invdes_svg_axis_map(&p->x, x);
  if (!isfinite(x) || px < p->left - 0.01 || px > p->right + 0.01) return;
  fputs("<path d=\"", p->out);
  point(p->out, 'M', px, p->top), point(p->out, 'L', px, p->bottom);
  fputc('"', p->out);
  style_attrs(p->out, st);
  fputs("/>\n", p->out);
}

/* The data points inside the box [x0, x0 + w] × [y0, y0 + h] (pixels). */
static size_t covered(const invdes_svg_plot *p, const double *x, const double *y, size_t m,
                      double x0, double y0, double w, double h) {
  size_t c = 0;
  for (size_t i = 0; i < m; i++) {
    if (!isfinite(x[i]) || !isfinite(y[i])) continue;
    double px = invdes_svg_axis_map(&p->x, x[i]), py = invdes_svg_axis_map(&p->y, y[i]);
    c += px >= x0 - 4 && px <= x0 + w + 4 && py >= y0 - 4 && py <= y0 + h + 4;
  }
  return c;
}

void invdes_svg_legend(const invdes_svg_plot *p, const invdes_svg_key *keys, size_t n,
                       const double *dx, const double *dy, size_t m) {
  size_t longest = 0;
  for (size_t i = 0; i < n; i++) {
    size_t len = strlen(keys[i].label);
    if (len > longest) longest = len;
  }
  double w = 34 + 6.8 * (double)longest, h = 8 + 17 * (double)n;
  const double corner_x[4] = {p->right - w - 8, p->left + 8, p->right - w - 8, p->left + 8};
  const double corner_y[4] = {p->top + 8, p->top + 8, p->bottom - h - 8, p->bottom - h - 8};
  size_t best = 0, least = SIZE_MAX;
  for (size_t k = 0; k < 4; k++) {
    size_t c = covered(p, dx, dy, m, corner_x[k], corner_y[k], w, h);
    if (c < least) least = c, best = k;
  }
  double x = corner_x[best], y = corner_y[best];
  fputs("<rect class=\"legend\" fill=\"#ffffff\" fill-opacity=\"0.85\" stroke=\"#bbbbbb\"",
        p->out);
  attr_px(p->out, "x", x), attr_px(p->out, "y", y);
  attr_px(p->out, "width", w), attr_px(p->out, "height", h);
  fputs("/>\n", p->out);
  for (size_t i = 0; i < n; i++) {
    double cy = y + 13 + 17 * (double)i;
    if (keys[i].marker) {
      double px = x + 15, py = cy;
      invdes_svg_markers_px(p->out, &px, &py, 1, (invdes_svg_shape)(keys[i].marker - 1), 4,
                            keys[i].colour, NULL, 0);
    } else {
      invdes_svg_style st = {keys[i].colour, 2, keys[i].dash, 0};
      fputs("<path d=\"", p->out);
      point(p->out, 'M', x + 6, cy), point(p->out, 'L', x + 24, cy);
      fputc('"', p->out);
      style_attrs(p->out, &st);
      fputs("/>\n", p->out);
    }
    invdes_svg_text(p->out, x + 30, cy + 4, "start", 11, NULL, keys[i].label);
  }
}

void invdes_svg_colourbar(FILE *out, const char *id, double x, double y_top, double y_bottom,
                          double lo, double hi, const char *label) {
  char c[8];
  fprintf(out, "<defs><linearGradient id=\"%s-cbar\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">", id);
  for (int i = 0; i <= 8; i++) {
    invdes_svg_viridis(i / 8.0, c);
    fprintf(out, "<stop offset=\"%d%%\" stop-color=\"%s\"/>", i * 100 / 8, c);
  }
  fprintf(out, "</linearGradient></defs>\n<rect stroke=\"#444444\" fill=\"url(#%s-cbar)\"", id);
  attr_px(out, "x", x), attr_px(out, "y", y_top);
  attr_px(out, "width", 14), attr_px(out, "height", y_bottom - y_top);
  fputs("/>\n", out);
  invdes_svg_plot p = {.out = out, .id = id, .left = x, .right = x + 14, .top = y_top,
                       .bottom = y_bottom};
  invdes_svg_range r;
  invdes_svg_range_init(&r);
  invdes_svg_range_add(&r, lo), invdes_svg_range_add(&r, hi);
  /* The bar spans exactly [lo, hi]: ticks inside it only. */
  invdes_svg_axis_set(&p.y, &r, 0);
  double t[INVDES_SVG_TICKS_MAX];
  char txt[INVDES_SVG_LABEL_MAX];
  size_t n = invdes_svg_ticks(&p.y, t);
  p.y.lo = lo, p.y.hi = hi > lo ? hi : lo + 1;
  p.y.p0 = y_bottom, p.y.p1 = y_top;
  for (size_t i = 0; i < n; i++) {
    if (t[i] < lo || t[i] > p.y.hi) continue;
    double py = invdes_svg_axis_map(&p.y, t[i]);
    invdes_svg_tick_label(&p.y, t[i], txt);
    invdes_svg_text(out, x + 18, py + 4, "start", 11, NULL, txt);
  }
  char rot[96];
  double lx = x + 66, ly = (y_top + y_bottom) / 2;
  snprintf(rot, sizeof rot, "transform=\"rotate(-90 %d %d)\"", (int)lround(lx), (int)lround(ly));
  invdes_svg_text(out, lx, ly, "middle", FONT_SIZE, rot, label);
}
