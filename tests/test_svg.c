/* test_svg.c — the report's plotting numbers (src/cli/svg.h): axes end on
 * whole ticks spaced 1, 2 or 5 × 10^k, a log axis only for positive values
 * spanning two decades, tick labels that read as the decimal they stand for
 * (0.3, never 0.30000000000000004), pixel coordinates without the locale,
 * text escaped for XML, and a series path with data for every point. */
#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svg.h"

static void axis_of(invdes_svg_axis *a, const double *v, size_t n, int allow_log) {
  invdes_svg_range r;
  invdes_svg_range_init(&r);
  invdes_svg_range_add_all(&r, v, n);
  invdes_svg_axis_set(a, &r, allow_log);
}

static void test_nice_ticks(void **state) {
  (void)state;
  struct {
    double lo, hi, want_lo, want_hi;
    int step_m;
  } cases[] = {{0.13, 0.87, 0.1, 0.9, 1}, {1.4, 3.38, 1, 3.5, 5},   {-7, 103, -20, 120, 2},
               {195, 205, 194, 206, 2}, {0, 96, 0, 100, 2},      {1e-7, 9e-7, 0, 1e-6, 2}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    double v[2] = {cases[i].lo, cases[i].hi};
    invdes_svg_axis a;
    axis_of(&a, v, 2, 1);
    assert_int_equal(a.log, 0);
    assert_true(a.lo <= cases[i].lo && a.hi >= cases[i].hi);
    assert_true(fabs(a.lo - cases[i].want_lo) < 1e-12 * fmax(1, fabs(a.lo)));
    assert_true(fabs(a.hi - cases[i].want_hi) < 1e-12 * fmax(1, fabs(a.hi)));
    double t[INVDES_SVG_TICKS_MAX];
    size_t n = invdes_svg_ticks(&a, t);
    assert_true(n >= 4 && n <= 12);
    assert_int_equal(a.step_m, cases[i].step_m);
    /* Every tick is a whole multiple of the step, written as that decimal. */
    for (size_t k = 0; k < n; k++) {
      char label[INVDES_SVG_LABEL_MAX];
      invdes_svg_tick_label(&a, t[k], label);
      assert_true(strlen(label) <= 6 || strchr(label, 'e'));
      assert_true(strtod(label, NULL) == t[k]);
    }
  }
}

static void test_tick_label_decimal(void **state) {
  (void)state;
  double v[2] = {0.1, 0.7};
  invdes_svg_axis a;
  axis_of(&a, v, 2, 0);
  double t[INVDES_SVG_TICKS_MAX];
  size_t n = invdes_svg_ticks(&a, t);
  char labels[256] = "";
  for (size_t k = 0; k < n; k++) {
    char label[INVDES_SVG_LABEL_MAX];
    invdes_svg_tick_label(&a, t[k], label);
    strcat(labels, label), strcat(labels, " ");
  }
  assert_string_equal(labels, "0.1 0.2 0.3 0.4 0.5 0.6 0.7 ");
}

static void test_log_axis(void **state) {
  (void)state;
  double decades[3] = {0.004, 0.2, 35};
  invdes_svg_axis a;
  axis_of(&a, decades, 3, 1);
  assert_int_equal(a.log, 1);
  assert_true(a.lo == 1e-3 && a.hi == 100);
  double t[INVDES_SVG_TICKS_MAX];
  size_t n = invdes_svg_ticks(&a, t);
  assert_int_equal(n, 6); /* 1e-3 ... 1e2: one tick per decade */
  assert_true(t[0] == 1e-3 && t[5] == 100);
  /* Mapping is linear in the logarithm. */
  a.p0 = 0, a.p1 = 500;
  assert_true(fabs(invdes_svg_axis_map(&a, 0.1) - 200) < 1e-9);
  /* Not log: a zero, a negative value, less than two decades, or not allowed. */
  double with_zero[2] = {0, 1000}, narrow[2] = {2, 150}, neg[2] = {-1, 1000};
  axis_of(&a, with_zero, 2, 1), assert_int_equal(a.log, 0);
  axis_of(&a, narrow, 2, 1), assert_int_equal(a.log, 0);
  axis_of(&a, neg, 2, 1), assert_int_equal(a.log, 0);
  axis_of(&a, decades, 3, 0), assert_int_equal(a.log, 0);
  /* Two decades or fewer: 1, 2, 5 in each. */
  double two[2] = {1, 100};
  axis_of(&a, two, 2, 1);
  assert_int_equal(a.log, 1);
  assert_int_equal(invdes_svg_ticks(&a, t), 7); /* 1 2 5 10 20 50 100 */
  assert_true(t[1] == 2 && t[5] == 50);
}

static void test_degenerate_ranges(void **state) {
  (void)state;
  invdes_svg_axis a;
  axis_of(&a, NULL, 0, 1); /* nothing */
  assert_true(a.lo == 0 && a.hi == 1);
  double one = 204.9, nan_only = NAN;
  axis_of(&a, &one, 1, 1);
  assert_true(a.lo < one && a.hi > one);
  axis_of(&a, &nan_only, 1, 1);
  assert_true(a.lo == 0 && a.hi == 1);
}

static char *draw(void (*fn)(FILE *)) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_non_null(f);
  fn(f);
  fclose(f);
  return buf;
}

static void px_numbers(FILE *f) {
  invdes_svg_px(f, 12.345), fputc(' ', f);
  invdes_svg_px(f, -0.5), fputc(' ', f);
  invdes_svg_px(f, 3), fputc(' ', f);
  invdes_svg_px(f, 0.004);
}

static void test_px_without_locale(void **state) {
  (void)state;
  char *s = draw(px_numbers);
  assert_string_equal(s, "12.35 -0.5 3 0");
  free(s);
  /* A decimal comma locale changes nothing (when the system has one). */
  if (setlocale(LC_NUMERIC, "de_DE.UTF-8") || setlocale(LC_NUMERIC, "fr_FR.UTF-8")) {
    s = draw(px_numbers);
    assert_string_equal(s, "12.35 -0.5 3 0");
    free(s);
    setlocale(LC_NUMERIC, "C");
  }
}

static void escaped(FILE *f) { invdes_svg_escape(f, "a<b & \"c\" 'd'>\x01"); }

static void test_escape(void **state) {
  (void)state;
  char *s = draw(escaped);
  assert_string_equal(s, "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt; ");
  free(s);
}

static void series(FILE *f) {
  invdes_svg_plot p;
  invdes_svg_range r;
  invdes_svg_range_init(&r);
  invdes_svg_range_add(&r, 0), invdes_svg_range_add(&r, 10);
  invdes_svg_begin(f, "t", 640, 400, "A & B");
  invdes_svg_panel(&p, f, "t-0", 80, 40, 620, 340, &r, 0, &r, 0, "x (mAh/g)", "y");
  double x[3] = {1, NAN, 9}, y[3] = {2, 5, 8};
  invdes_svg_style st = {"#0072B2", 2, NULL, 0};
  invdes_svg_line(&p, x, y, 3, &st);
  invdes_svg_end(f);
}

static void test_series_path(void **state) {
  (void)state;
  char *s = draw(series);
  assert_non_null(strstr(s, "<title>A &amp; B</title>"));
  assert_non_null(strstr(s, "clipPath id=\"t-0-clip\""));
  assert_non_null(strstr(s, "x (mAh/g)"));
  /* The NaN point breaks the line: two moves, no line segment. */
  const char *d = strstr(s, "class=\"series\"");
  assert_non_null(d);
  d = strstr(d, " d=\"");
  assert_non_null(d);
  assert_int_equal(strncmp(d, " d=\"M134 280M566 100\"", 21), 0);
  free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_nice_ticks),        cmocka_unit_test(test_tick_label_decimal),
      cmocka_unit_test(test_log_axis),          cmocka_unit_test(test_degenerate_ranges),
      cmocka_unit_test(test_px_without_locale), cmocka_unit_test(test_escape),
      cmocka_unit_test(test_series_path),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
