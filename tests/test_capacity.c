/* test_capacity.c — chemical formulas, molar masses and theoretical
 * capacities (objectives/formula.h) and the objective kind `capacity`.
 *
 * Textbook capacities are checked to 0.5 mAh/g; beyond them, formulas the
 * test invents at run time (random elements, subscripts, nested groups and
 * adducts) are compared with a molar mass the test computes itself from its
 * own small table of IUPAC 2021 abridged atomic weights, so no table of
 * answers could pass. Hostile formulas must give a clear error at the right
 * column; hostile campaigns a diagnostic at the right key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign.h"
#include "formula.h"
#include "objective.h"
#include "kind_eval.h"
#include "space.h"

static double mass_of(const char *text, const double *values) {
  invdes_error err;
  int column;
  invdes_formula *f = invdes_formula_parse(text, &column, &err);
  if (!f) fail_msg("%s: %s", text, err.message);
  double m = invdes_formula_molar_mass(f, values);
  invdes_formula_free(f);
  return m;
}

static double capacity_of(const char *text, double n) {
  return invdes_capacity_mah_per_g(mass_of(text, NULL), n);
}

/* Textbook theoretical capacities (one electron per formula unit). */
static void test_textbook(void **state) {
  (void)state;
  assert_true(fabs(capacity_of("LiCoO2", 1) - 274) <= 0.5);
  assert_true(fabs(capacity_of("LiFePO4", 1) - 170) <= 0.5);
  assert_true(fabs(capacity_of("LiMn2O4", 1) - 148) <= 0.5);
  /* NMC811: 275.5 with the IUPAC 2021 abridged weights (M = 97.28 g/mol);
   * the "about 275" is that figure rounded down. */
  double q = capacity_of("LiNi0.8Mn0.1Co0.1O2", 1);
  assert_true(fabs(q - 275.5) <= 0.05);
  assert_true(fabs(q - capacity_of("Li(Ni0.8Mn0.1Co0.1)O2", 1)) < 1e-9);
  /* two electrons halve nothing but double the charge */
  assert_true(fabs(capacity_of("FeS2", 4) - 4 * capacity_of("FeS2", 1)) < 1e-9);
  /* water: 2 H + O */
  assert_true(fabs(mass_of("H2O", NULL) - (2 * 1.0080 + 15.999)) < 1e-12);
  assert_true(fabs(mass_of("CuSO4*5H2O", NULL) - mass_of("CuSO4\xC2\xB7" "5H2O", NULL)) < 1e-12);
  assert_true(fabs(mass_of("Ca3(PO4)2", NULL) - mass_of("Ca3P2O8", NULL)) < 1e-9);
}

/* The test's own atomic weights (IUPAC 2021 abridged, typed in here, not
 * read from the library). */
static const struct {
  const char *sym;
  double w;
} own[] = {{"H", 1.0080},  {"Li", 6.94},    {"C", 12.011},   {"N", 14.007},
           {"O", 15.999},  {"F", 18.998},   {"Na", 22.990},  {"Mg", 24.305},
           {"Al", 26.982}, {"P", 30.974},   {"S", 32.06},    {"Ti", 47.867},
           {"V", 50.942},  {"Mn", 54.938},  {"Fe", 55.845},  {"Co", 58.933},
           {"Ni", 58.693}, {"Zr", 91.224},  {"Nb", 92.906},  {"La", 138.91}};
#define N_OWN (sizeof own / sizeof own[0])

typedef struct gen {
  char text[2048];
  size_t len;
  uint64_t s;
} gen;

/* splitmix64 */
static uint64_t next(gen *g) {
  uint64_t z = (g->s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/* Appends a random subscript (none, whole, or decimal) and returns its value. */
static double sub(gen *g) {
  int kind = (int)(next(g) % 3);
  if (kind == 0) return 1.0;
  if (kind == 1) {
    int v = (int)(next(g) % 12) + 1;
    g->len += (size_t)snprintf(g->text + g->len, sizeof g->text - g->len, "%d", v);
    return v;
  }
  int whole = (int)(next(g) % 4), frac = (int)(next(g) % 1000);
  g->len += (size_t)snprintf(g->text + g->len, sizeof g->text - g->len, "%d.%03d", whole, frac);
  return whole + frac / 1000.0;
}

/* Appends a random sequence at depth d and returns its mass. */
static double seq(gen *g, int d) {
  double m = 0;
  int items = 1 + (int)(next(g) % 4);
  for (int i = 0; i < items; i++) {
    if (d < 3 && next(g) % 4 == 0) {
      int square = next(g) % 2;
      g->text[g->len++] = square ? '[' : '(';
      double inner = seq(g, d + 1);
      g->text[g->len++] = square ? ']' : ')';
      m += inner * sub(g);
    } else {
      size_t e = next(g) % N_OWN;
      g->len += (size_t)snprintf(g->text + g->len, sizeof g->text - g->len, "%s", own[e].sym);
      m += own[e].w * sub(g);
    }
  }
  return m;
}

/* 2000 formulas invented here, their masses computed here. */
static void test_random_formulas(void **state) {
  (void)state;
  gen g = {.s = 0x13c0ffee};
  for (int t = 0; t < 2000; t++) {
    g.len = 0;
    double m = seq(&g, 0);
    if (next(&g) % 5 == 0) { /* an adduct with a count */
      int k = 1 + (int)(next(&g) % 9);
      g.len += (size_t)snprintf(g.text + g.len, sizeof g.text - g.len, "*%d", k);
      m += k * seq(&g, 1);
    }
    g.text[g.len] = '\0';
    double got = mass_of(g.text, NULL);
    if (!(fabs(got - m) <= 1e-9 * m)) fail_msg("%s: %.12g, expected %.12g", g.text, got, m);
    double q = invdes_capacity_mah_per_g(got, 1.0);
    assert_true(fabs(q - 96485.33212331 / (3.6 * m)) <= 1e-9 * q);
  }
}

/* Subscript variables, nested: (A{x}B){y} multiplies. */
static void test_variables(void **state) {
  (void)state;
  double v[3] = {0.8, 0.1, 0.1};
  assert_true(fabs(mass_of("Li(Ni{ni}Mn{mn}Co{co})O2", v) - mass_of("LiNi0.8Mn0.1Co0.1O2", NULL))
              < 1e-12);
  double w[2] = {0.5, 3};
  assert_true(fabs(mass_of("(Li{x}O)[Fe{y}]2", w) - mass_of("Li0.5OFe6", NULL)) < 1e-12);
  invdes_error err;
  invdes_formula *f = invdes_formula_parse("Li{x}Fe{y}P{x}", NULL, &err);
  assert_non_null(f);
  assert_int_equal(invdes_formula_n_vars(f), 2);
  assert_string_equal(invdes_formula_var(f, 1), "y");
  assert_int_equal(invdes_formula_var_column(f, 1), 9);
  double neg[2] = {-0.1, 1};
  assert_true(isnan(invdes_formula_molar_mass(f, neg)));
  assert_true(isnan(invdes_formula_molar_mass(f, NULL)));
  invdes_formula_free(f);
}

/* Each hostile formula: no crash, a message with its column and words. */
static void test_hostile(void **state) {
  (void)state;
  static const struct {
    const char *text;
    int column;
    const char *words;
  } bad[] = {
      {"", 1, "empty"},
      {"Li(FePO4", 9, "expected ')' to close the '(' at column 3"},
      {"LiFe)PO4", 5, "')' closes no group"},
      {"Li[Fe)", 6, "')' closes no group"},
      {"Li0..5", 5, "expected a digit after the decimal point"},
      {"Li0.", 5, "expected a digit after the decimal point, found the end"},
      {"Li99999999", 3, "too large"},
      {"Li1234567890123456789012345678901234567890123456789012345678901234567890", 3,
       "too long"},
      {"li", 1, "capital letter (Li?)"},
      {"LiCoo2", 5, "capital letter"},
      {"Xx2", 1, "unknown element 'Xx'"},
      {"LiFe\xC3\xA9PO4", 5, "U+00E9"},
      {"Li\xFF", 3, "not UTF-8"},
      {"Li Fe", 3, "a blank"},
      {"()", 2, "empty group"},
      {"Li{", 4, "variable name"},
      {"Li{x", 5, "expected '}'"},
      {"Li{1x}", 4, "variable name"},
      {"Li*", 4, "expected an element symbol or a group"},
      {"2", 2, "expected an element symbol or a group"},
      {"Li-2", 3, "found '-'"},
      {"((((((((((((((((((Li))))))))))))))))))", 17, "nested more than 16"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    invdes_error err;
    invdes_error_clear(&err);
    int column = -1;
    invdes_formula *f = invdes_formula_parse(bad[i].text, &column, &err);
    if (f) fail_msg("'%s' was accepted", bad[i].text);
    if (column != bad[i].column || !strstr(err.message, bad[i].words))
      fail_msg("'%s': column %d '%s', expected column %d with '%s'", bad[i].text, column,
               err.message, bad[i].column, bad[i].words);
    char prefix[32];
    snprintf(prefix, sizeof prefix, "column %d", bad[i].column);
    if (bad[i].column <= 4096 && !strstr(err.message, prefix))
      fail_msg("'%s': '%s' does not name %s", bad[i].text, err.message, prefix);
  }
  assert_true(isnan(invdes_atomic_weight("Xx")));
  assert_true(isnan(invdes_capacity_mah_per_g(100, 0)));
  assert_true(isnan(invdes_capacity_mah_per_g(0, 1)));
}

/* A campaign over the NMC composition; the capacity kind's targets. */
static char text[2048];

static const char *nmc_text(const char *targets, const char *objective) {
  snprintf(text, sizeof text,
           "name: nmc\n"
           "parameters: [{name: v, type: continuous, bounds: [3.5, 4.3]},\n"
           "             {name: mode, type: categorical, values: [a, b]}]\n"
           "compositions:\n"
           "  - name: tm\n"
           "    components: {ni: [0.3, 0.9], mn: [0.05, 0.4], co: [0.05, 0.4]}\n"
           "targets: %s\n"
           "objective: %s\n"
           "budget: {evaluations: 10}\n",
           targets, objective);
  return text;
}

static invdes_campaign *nmc(const char *targets, const char *objective, invdes_error *err) {
  const char *t = nmc_text(targets, objective);
  return invdes_campaign_parse("nmc.yaml", t, strlen(t), err);
}

static void test_kind(void **state) {
  (void)state;
  invdes_error err;
  invdes_campaign *c = nmc("[{name: q, goal: window, window: [270, 280]},\n"
                           "         {name: energy, goal: maximize}]",
                           "{kind: capacity, formula: 'Li(Ni{ni}Mn{mn}Co{co})O2', voltage: v,"
                           " outputs: {q: capacity}}", &err);
  if (!c) fail_msg("%s", err.message);
  assert_string_equal(invdes_campaign_objective_kind(c), "capacity");
  double x[5] = {3.8, 0, 0.8, 0.1, 0.1}, y[2];
  char reason[300];
  assert_false(kind_eval(c, x, y, reason, sizeof reason));
  double q = capacity_of("LiNi0.8Mn0.1Co0.1O2", 1);
  assert_true(fabs(y[0] - q) < 1e-9);
  assert_true(fabs(y[1] - 3.8 * q) < 1e-9);
  x[2] = -0.5; /* outside the space, as a hand-made point might be */
  assert_true(kind_eval(c, x, y, reason, sizeof reason));
  assert_non_null(strstr(reason, "negative"));
  invdes_campaign_free(c);
  /* two electrons, no voltage: the capacity only */
  c = nmc("[{name: capacity, goal: maximize}]",
          "{kind: capacity, formula: 'Li2(Ni{ni}Mn{mn}Co{co})O2', electrons: 2}", &err);
  if (!c) fail_msg("%s", err.message);
  x[2] = 0.8;
  assert_false(kind_eval(c, x, y, reason, sizeof reason));
  assert_true(fabs(y[0] - capacity_of("Li2Ni0.8Mn0.1Co0.1O2", 2)) < 1e-9);
  invdes_campaign_free(c);
}

/* Hostile campaign keys: each refused with words naming the problem. */
static void test_kind_hostile(void **state) {
  (void)state;
  static const struct {
    const char *targets, *objective, *words;
  } bad[] = {
      {"[{name: capacity, goal: maximize}]", "{kind: capacity}", "needs 'formula'"},
      {"[{name: capacity, goal: maximize}]", "{kind: capacity, formula: 'Li(Ni{nj})O2'}",
       "column 7: 'nj' is not a parameter or component"},
      {"[{name: capacity, goal: maximize}]", "{kind: capacity, formula: 'Li{mode}O2'}",
       "categorical"},
      {"[{name: capacity, goal: maximize}]", "{kind: capacity, formula: 'Li(NiO2'}",
       "column 8: expected ')'"},
      {"[{name: capacity, goal: maximize}]", "{kind: capacity, formula: LiQO2}",
       "unknown element 'Q'"},
      {"[{name: energy, goal: maximize}]", "{kind: capacity, formula: LiCoO2}",
       "needs 'voltage'"},
      {"[{name: retention, goal: maximize}]", "{kind: capacity, formula: LiCoO2}",
       "target 'retention' is not an output of a capacity objective"},
      {"[{name: capacity, goal: maximize}]", "{kind: capacity, formula: LiCoO2, electrons: 0}",
       "'electrons' must be above 0"},
      {"[{name: capacity, goal: maximize}]", "{kind: capacity, formula: LiCoO2, voltage: vv}",
       "'voltage' must be a number or a variable"},
      {"[{name: q, goal: maximize}]", "{kind: capacity, formula: LiCoO2, outputs: {q: cap}}",
       "has no output 'cap'"},
      {"[{name: capacity, goal: maximize}]",
       "{kind: capacity, formula: LiCoO2, outputs: {z: capacity}}", "'z' is not a target"},
      {"[{name: capacity, goal: maximize}]", "{kind: capacity, formula: LiCoO2, name: x}",
       "'name' does not apply to objective kind 'capacity'"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    kind_refused(nmc_text(bad[i].targets, bad[i].objective), bad[i].words);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_textbook),  cmocka_unit_test(test_random_formulas),
      cmocka_unit_test(test_variables), cmocka_unit_test(test_hostile),
      cmocka_unit_test(test_kind),      cmocka_unit_test(test_kind_hostile),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
