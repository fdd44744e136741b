/* svg.h — a small plotting layer for `invdes report`: axes with nice ticks
 * (the 1-2-5 rule, or decades on a log axis), paths for lines, steps,
 * markers and error bars, bands and reference lines, a colour-blind-safe
 * palette (Okabe & Ito) and a perceptually uniform colour map (viridis), and
 * text escaped for XML/HTML.
 *
 * Everything is written to a FILE (a file or an open_memstream buffer) as
 * SVG 1.1 text that stands alone (a .svg file) and also inline in an HTML
 * page: no script, no external font, no CSS beyond attributes. Numbers are
 * written without printf's locale: coordinates to 0.01 px by integer
 * arithmetic, data values through invdes_decimal_format. Ids inside one
 * figure (its clip path) carry the figure's own id, so several figures can
 * share one page.
 *
 * Data series are <path class="series"> elements: a figure with data has at
 * least one non-empty series path (tests/report.sh checks this in the DOM a
 * browser built). This module knows nothing of campaigns or stores. */
#ifndef INVDES_SVG_H
#define INVDES_SVG_H

#include <stddef.h>
#include <stdio.h>

/* The range of some values (finite ones only; lo > hi when none seen). */
typedef struct invdes_svg_range {
  double lo, hi;
  double min_pos; /* the smallest value > 0, for a log axis; INFINITY: none */
} invdes_svg_range;

void invdes_svg_range_init(invdes_svg_range *r);
void invdes_svg_range_add(invdes_svg_range *r, double v);
void invdes_svg_range_add_all(invdes_svg_range *r, const double *v, size_t n);

/* One axis: the values shown, [lo, hi], mapped to pixels [p0, p1]. */
typedef struct invdes_svg_axis {
  double lo, hi; /* data units (a log axis: the values, not their logs) */
  int log;       /* 1: log10 scale */
  int step_m, step_e; /* linear: ticks every step_m × 10^step_e (step_m 1, 2
                         or 5); log: every 10^step_e decades (step_m 0) */
  double p0, p1; /* pixels of lo and hi */
} invdes_svg_axis;

/* Most ticks an axis draws. */
#define INVDES_SVG_TICKS_MAX 16

/* Sets the axis to show range r, widened outward to whole ticks. allow_log:
 * a log axis when every value is > 0 and they span at least two decades
 * (max/min >= 100). An empty range shows [0, 1]; a single value a unit
 * around it. */
void invdes_svg_axis_set(invdes_svg_axis *a, const invdes_svg_range *r, int allow_log);

/* The pixel of value v on a (a log axis maps v <= 0 below its start). */
double invdes_svg_axis_map(const invdes_svg_axis *a, double v);

/* The tick values of a, at most INVDES_SVG_TICKS_MAX; returns their number. */
size_t invdes_svg_ticks(const invdes_svg_axis *a, double *ticks);

/* One plot area in one SVG document. */
typedef struct invdes_svg_plot {
  FILE *out;
  const char *id;          /* the figure's id: clip path ids derive from it */
  double width, height;    /* the whole drawing, pixels */
  double left, top, right, bottom; /* the plot area's edges, pixels */
  invdes_svg_axis x, y;
} invdes_svg_plot;

/* The drawing size for a one-panel figure (legible in a notebook page). */
#define INVDES_SVG_WIDTH 640
#define INVDES_SVG_HEIGHT 400

/* Starts the document: <svg> of width × height with title (escaped) as its
 * accessible name. id: letters, digits, '-' and '_' only (the caller's). */
void invdes_svg_begin(FILE *out, const char *id, double width, double height,
                      const char *title);
/* Ends the document. */
void invdes_svg_end(FILE *out);

/* Sets p's area (edges in pixels) and axes (x from r_x, y from r_y; the
 * allow flags as invdes_svg_axis_set's), then draws the frame: grid, ticks
 * with their labels, the axis labels (escaped; NULL: none) and a clip path
 * the series below are drawn through. */
void invdes_svg_panel(invdes_svg_plot *p, FILE *out, const char *id, double left, double top,
                      double right, double bottom, const invdes_svg_range *r_x, int log_x,
                      const invdes_svg_range *r_y, int log_y, const char *xlabel,
                      const char *ylabel);

/* Line styles. dash: NULL for solid, else an SVG dash array ("6 4"). */
typedef struct invdes_svg_style {
  const char *colour; /* "#rrggbb" */
  double width;       /* stroke width, px */
  const char *dash;
  double opacity;     /* 0: opaque (1) */
} invdes_svg_style;

/* A polyline through (x[i], y[i]); a non-finite point breaks the line. */
void invdes_svg_line(const invdes_svg_plot *p, const double *x, const double *y, size_t n,
                     const invdes_svg_style *st);
/* A step line holding each y until the next x (best-so-far curves). */
void invdes_svg_steps(const invdes_svg_plot *p, const double *x, const double *y, size_t n,
                      const invdes_svg_style *st);

/* Marker shapes. */
typedef enum { INVDES_SVG_CIRCLE, INVDES_SVG_SQUARE, INVDES_SVG_DIAMOND } invdes_svg_shape;

/* Markers of radius r at the finite points, filled with fill (NULL: hollow)
 * and outlined with stroke (NULL: none), as one series path. */
void invdes_svg_markers(const invdes_svg_plot *p, const double *x, const double *y, size_t n,
                        invdes_svg_shape shape, double r, const char *fill,
                        const char *stroke, double opacity);
/* The same at pixel positions (px, py), for drawings without axes. */
void invdes_svg_markers_px(FILE *out, const double *px, const double *py, size_t n,
                           invdes_svg_shape shape, double r, const char *fill,
                           const char *stroke, double opacity);

/* Vertical error bars from (x[i], lo[i]) to (x[i], hi[i]), capped. */
void invdes_svg_errorbars(const invdes_svg_plot *p, const double *x, const double *lo,
                          const double *hi, size_t n, const invdes_svg_style *st);

/* A horizontal band lo <= y <= hi across the plot (infinite ends clipped to
 * the axis), filled with colour at the opacity given. */
void invdes_svg_hband(const invdes_svg_plot *p, double lo, double hi, const char *colour,
                      double opacity);
/* A horizontal line at y and a vertical line at x (skipped off the axis). */
void invdes_svg_hline(const invdes_svg_plot *p, double y, const invdes_svg_style *st);
void invdes_svg_vline(const invdes_svg_plot *p, double x, const invdes_svg_style *st);

/* Text at pixel (x, y): anchor "start", "middle" or "end"; size in px;
 * extra: further attributes written verbatim (NULL: none). Escaped. */
void invdes_svg_text(FILE *out, double x, double y, const char *anchor, double size,
                     const char *extra, const char *text);

/* A legend in a corner of the plot area: n entries, each a line or a
 * marker in its colour and its label. The corner is the one whose legend
 * box would cover the fewest of the m data points (x[i], y[i]) (ties: top
 * right, top left, bottom right, bottom left), so it hides as little as
 * can be. */
typedef struct invdes_svg_key {
  const char *label;
  const char *colour;
  int marker;       /* 0: a line; 1 + an invdes_svg_shape: that marker */
  const char *dash; /* a line's dash array, NULL: solid */
} invdes_svg_key;
void invdes_svg_legend(const invdes_svg_plot *p, const invdes_svg_key *keys, size_t n,
                       const double *x, const double *y, size_t m);

/* The i-th colour of the Okabe–Ito palette (cycles). */
const char *invdes_svg_colour(size_t i);
/* The grey of dominated or unmet points. */
#define INVDES_SVG_GREY "#aaaaaa"

/* viridis at t in [0, 1] (clamped) as "#rrggbb" into buf (8 bytes). */
void invdes_svg_viridis(double t, char buf[8]);

/* A vertical colour bar at pixel x, from y_top to y_bottom, for values
 * [lo, hi] (lo at the bottom), with ticks and a label (escaped). */
void invdes_svg_colourbar(FILE *out, const char *id, double x, double y_top, double y_bottom,
                          double lo, double hi, const char *label);

/* Writes a pixel coordinate (to 0.01 px) or a data value (the fewest
 * digits that read back) without the locale. */
void invdes_svg_px(FILE *out, double v);
void invdes_svg_value(FILE *out, double v);

/* Writes text escaped for XML and HTML (& < > " '). NULL writes nothing. */
void invdes_svg_escape(FILE *out, const char *text);

/* A tick label for value v of axis a into buf (INVDES_SVG_LABEL_MAX bytes):
 * the decimal the tick stands for ("0.2", not 0.20000000000000001),
 * powers of ten on a log axis written out as numbers or "1e-05". */
#define INVDES_SVG_LABEL_MAX 32
void invdes_svg_tick_label(const invdes_svg_axis *a, double v, char *buf);

/* v rounded to `digits` significant digits (the double nearest that
 * decimal), for numbers in captions. */
double invdes_svg_round(double v, int digits);

/* "name (unit)" or "name" into buf (size bytes). */
void invdes_svg_axis_title(const char *name, const char *unit, char *buf, size_t size);

#endif
