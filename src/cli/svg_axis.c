/* svg_axis.c — the numbers of a plot (svg.h): value ranges, axes whose
 * limits are whole ticks (the 1-2-5 rule; decades on a log axis), the tick
 * values and their labels, and writing numbers without the locale. Tick
 * values are made from their decimal text ("25e-3"), so a label reads 0.025
 * and never 0.025000000000000001. Draws nothing. */
#include "svg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

void invdes_svg_range_init(invdes_svg_range *r) {
  r->lo = INFINITY;
  r->hi = -INFINITY;
  r->min_pos = INFINITY;
}

void invdes_svg_range_add(invdes_svg_range *r, double v) {
  if (!isfinite(v)) return;
  if (v < r->lo) r->lo = v;
  if (v > r->hi) r->hi = v;
  if (v > 0 && v < r->min_pos) r->min_pos = v;
}

void invdes_svg_range_add_all(invdes_svg_range *r, const double *v, size_t n) {
  for (size_t i = 0; i < n; i++) invdes_svg_range_add(r, v[i]);
}

/* m × 10^e as the double nearest the decimal it stands for. */
static double decimal(long long m, int e) {
  char text[48];
  snprintf(text, sizeof text, "%llde%d", m, e);
  return strtod(text, NULL);
}

static void set_log(invdes_svg_axis *a, double lo, double hi) {
  int e0 = (int)floor(log10(lo)), e1 = (int)ceil(log10(hi));
  if (e1 <= e0) e1 = e0 + 1;
  a->log = 1;
  a->lo = decimal(1, e0);
  a->hi = decimal(1, e1);
  a->step_m = 0;
  a->step_e = (e1 - e0 + 9) / 10; /* at most about ten decade ticks */
}

void invdes_svg_axis_set(invdes_svg_axis *a, const invdes_svg_range *r, int allow_log) {
  double lo = r->lo, hi = r->hi;
  if (!(lo <= hi)) lo = 0, hi = 1;
  if (allow_log && lo > 0 && hi / lo >= 100) {
    set_log(a, lo, hi);
    return;
  }
  a->log = 0;
  if (hi == lo) {
    double d = lo == 0 ? 1 : fabs(lo) * 0.1;
    lo -= d, hi += d;
  }
  double raw = (hi - lo) / 5, mag_e = floor(log10(raw));
  double f = raw / pow(10, mag_e);
  int m = f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10;
  int e = (int)mag_e;
  if (m == 10) m = 1, e++;
  double step = decimal(m, e);
  a->step_m = m;
  a->step_e = e;
  a->lo = decimal((long long)floor(lo / step + 1e-9) * m, e);
  a->hi = decimal((long long)ceil(hi / step - 1e-9) * m, e);
  if (a->hi <= a->lo) a->hi = decimal((long long)floor(lo / step + 1e-9) * m + m, e);
}

double invdes_svg_axis_map(const invdes_svg_axis *a, double v) {
  double t;
  if (a->log) t = v > 0 ? (log10(v) - log10(a->lo)) / (log10(a->hi) - log10(a->lo)) : -1;
  else t = (v - a->lo) / (a->hi - a->lo);
  return a->p0 + t * (a->p1 - a->p0);
}

size_t invdes_svg_ticks(const invdes_svg_axis *a, double *ticks) {
  size_t n = 0;
  if (a->log) {
    int e0 = (int)lround(log10(a->lo)), e1 = (int)lround(log10(a->hi));
    int every = a->step_e > 0 ? a->step_e : 1;
    int minor = e1 - e0 <= 2; /* few decades: 1, 2, 5 in each */
    for (int e = e0; e <= e1 && n < INVDES_SVG_TICKS_MAX; e += every) {
      ticks[n++] = decimal(1, e);
      if (minor && e < e1 && n + 2 <= INVDES_SVG_TICKS_MAX) {
        ticks[n++] = decimal(2, e);
        ticks[n++] = decimal(5, e);
      }
    }
    return n;
  }
  double step = decimal(a->step_m, a->step_e);
  long long k0 = llround(a->lo / step), k1 = llround(a->hi / step);
  for (long long k = k0; k <= k1 && n < INVDES_SVG_TICKS_MAX; k++)
    ticks[n++] = decimal(k * a->step_m, a->step_e);
  return n;
}

void invdes_svg_tick_label(const invdes_svg_axis *a, double v, char *buf) {
  (void)a;
  if (v == 0) v = 0; /* no "-0" */
  char tmp[INVDES_DECIMAL_MAX];
  invdes_decimal_format(v, tmp);
  snprintf(buf, INVDES_SVG_LABEL_MAX, "%s", tmp);
}

void invdes_svg_px(FILE *out, double v) {
  if (!isfinite(v)) v = 0;
  if (v > 1e9) v = 1e9;
  if (v < -1e9) v = -1e9;
  long long q = llround(v * 100);
  const char *sign = q < 0 ? "-" : "";
  long long a = llabs(q);
  if (a % 100 == 0) fprintf(out, "%s%lld", sign, a / 100);
  else if (a % 10 == 0) fprintf(out, "%s%lld.%lld", sign, a / 100, (a % 100) / 10);
  else fprintf(out, "%s%lld.%02lld", sign, a / 100, a % 100);
}

void invdes_svg_value(FILE *out, double v) {
  char buf[INVDES_DECIMAL_MAX];
  invdes_decimal_format(v, buf);
  fputs(buf, out);
}

void invdes_svg_escape(FILE *out, const char *text) {
  if (!text) return;
  for (const char *c = text; *c; c++) switch (*c) {
      case '&': fputs("&amp;", out); break;
      case '<': fputs("&lt;", out); break;
      case '>': fputs("&gt;", out); break;
      case '"': fputs("&quot;", out); break;
      case '\'': fputs("&#39;", out); break;
      default:
        /* Control characters other than tab and newline are not XML. */
        if ((unsigned char)*c < 0x20 && *c != '\n' && *c != '\t') fputc(' ', out);
        else fputc(*c, out);
    }
}

double invdes_svg_round(double v, int digits) {
  if (!isfinite(v) || v == 0 || digits < 1) return v;
  int e = (int)floor(log10(fabs(v))) - digits + 1;
  return decimal(llround(v / pow(10, e)), e);
}

void invdes_svg_axis_title(const char *name, const char *unit, char *buf, size_t size) {
  if (unit && *unit) snprintf(buf, size, "%s (%s)", name, unit);
  else snprintf(buf, size, "%s", name);
}

const char *invdes_svg_colour(size_t i) {
  /* Okabe & Ito (2008), ordered for contrast on white; yellow last. */
  static const char *const palette[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                        "#E69F00", "#56B4E9", "#000000", "#F0E442"};
  return palette[i % (sizeof palette / sizeof palette[0])];
}

void invdes_svg_viridis(double t, char buf[8]) {
  /* matplotlib's viridis at t = 0, 1/8, ..., 1; linear in between. */
  static const unsigned char stop[9][3] = {{68, 1, 84},    {71, 44, 122},  {59, 81, 139},
                                           {44, 113, 142}, {33, 144, 141}, {39, 173, 129},
                                           {92, 200, 99},  {170, 220, 50}, {253, 231, 37}};
  if (!(t >= 0)) t = 0;
  if (t > 1) t = 1;
  double u = t * 8;
  int i = (int)u;
  if (i > 7) i = 7;
  double f = u - i;
  int c[3];
  for (int k = 0; k < 3; k++) c[k] = (int)lround(stop[i][k] + f * (stop[i + 1][k] - stop[i][k]));
  snprintf(buf, 8, "#%02x%02x%02x", c[0], c[1], c[2]);
}
