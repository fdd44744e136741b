/* test_porous_electrode.c — the porous-electrode model (porous_model.h) and
 * the objective kind `porous_electrode`: hand-computed values, the
 * Bruggeman exponent, monotonicity and limits (no porosity, no ionic path;
 * fast and slow kinetics in Newman and Tobias's formula), Heckel's
 * compaction law, the known optimum of the reference problem (minimum
 * resistance at an areal capacity in [3.9, 4.1] mAh/cm2) against a grid,
 * and hostile campaign keys. */
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
#include "objective.h"
#include "porous_model.h"
#include "kind_eval.h"
#include "space.h"

static double *eval(const invdes_porous_params *p, double a, double b, double eps, double L) {
  static double out[INVDES_PE_N_OUTPUTS];
  char reason[200];
  if (!invdes_porous_eval(p, a, b, eps, NAN, L, out, reason, sizeof reason))
    fail_msg("(%g, %g, %g, %g): %s", a, b, eps, L, reason);
  return out;
}

static void near(double got, double want, double rel) {
  if (!(fabs(got - want) <= rel * fabs(want))) fail_msg("%.10g, expected %.10g", got, want);
}

/* Pure active material, half porous, 100 um: every number by hand. */
static void test_hand_values(void **state) {
  (void)state;
  invdes_porous_params p;
  invdes_porous_params_default(&p);
  double *o = eval(&p, 1.0, 0.0, 0.5, 100.0);
  near(o[INVDES_PE_LOADING], 4.75 * 0.5 * 0.01 * 1000, 1e-12);     /* mg/cm2 */
  near(o[INVDES_PE_AREAL_CAPACITY], 200 * 4.75 * 0.5 * 0.01, 1e-12); /* mAh/cm2 */
  near(o[INVDES_PE_DENSITY], 4.75 * 0.5, 1e-12);
  near(o[INVDES_PE_IONIC_CONDUCTIVITY], pow(0.5, 1.5), 1e-12);
  /* L / (3 kappa_eff) in ohm cm2: 1e-4 m / (3 * 0.35355 S/m) * 1e4 */
  near(o[INVDES_PE_IONIC_RESISTANCE], 1e-4 / (3 * pow(0.5, 1.5)) * 1e4, 1e-12);
  /* no carbon: only the active material conducts, Bruggeman on its share */
  near(o[INVDES_PE_ELECTRONIC_CONDUCTIVITY], 0.01 * pow(0.5, 1.5), 1e-12);
  /* the Bruggeman exponent is a key */
  p.bruggeman = 2.0;
  near(eval(&p, 1.0, 0.0, 0.5, 100.0)[INVDES_PE_IONIC_CONDUCTIVITY], 0.25, 1e-12);
}

static void test_monotone_and_limits(void **state) {
  (void)state;
  invdes_porous_params p;
  invdes_porous_params_default(&p);
  double prev_q = 0, prev_r = 0;
  for (double L = 20; L <= 300; L += 20) { /* capacity linear, resistance up */
    double q100 = eval(&p, 0.9, 0.05, 0.35, 100)[INVDES_PE_AREAL_CAPACITY];
    double *o = eval(&p, 0.9, 0.05, 0.35, L);
    near(o[INVDES_PE_AREAL_CAPACITY], L / 100.0 * q100, 1e-12);
    assert_true(o[INVDES_PE_AREAL_CAPACITY] > prev_q && o[INVDES_PE_OHMIC_RESISTANCE] > prev_r);
    prev_q = o[INVDES_PE_AREAL_CAPACITY];
    prev_r = o[INVDES_PE_OHMIC_RESISTANCE];
  }
  double prev = 0;
  for (double eps = 0.6; eps >= 1e-7; eps /= 4) { /* less porosity: ionic resistance grows */
    double r = eval(&p, 0.9, 0.05, eps, 100)[INVDES_PE_IONIC_RESISTANCE];
    assert_true(r > prev);
    prev = r;
  }
  assert_true(prev > 1e9); /* eps -> 0: no ionic path */
  double out[INVDES_PE_N_OUTPUTS];
  char reason[200];
  assert_false(invdes_porous_eval(&p, 0.9, 0.05, 0.0, NAN, 100, out, reason, sizeof reason));
  assert_non_null(strstr(reason, "porosity 0"));
  /* more carbon conducts better (at equal porosity) */
  assert_true(eval(&p, 0.85, 0.05, 0.35, 100)[INVDES_PE_ELECTRONIC_CONDUCTIVITY] >
              eval(&p, 0.9, 0.05, 0.35, 100)[INVDES_PE_ELECTRONIC_CONDUCTIVITY]);
  /* below the percolation threshold and with an insulating active material:
   * no path at all */
  p.conductivity_active = 0;
  assert_false(invdes_porous_eval(&p, 0.995, 0.004, 0.35, NAN, 100, out, reason, sizeof reason));
  assert_non_null(strstr(reason, "percolation"));
  assert_false(invdes_porous_eval(&p, 0.9, 0.2, 0.35, NAN, 100, out, reason, sizeof reason));
  assert_non_null(strstr(reason, "above 1"));
  assert_false(invdes_porous_eval(&p, 0.9, 0.05, 0.35, NAN, -1, out, reason, sizeof reason));
}

/* Newman and Tobias: slow kinetics -> R_ct + L/3 (1/k + 1/s); fast
 * kinetics -> L / (k + s). */
static void test_newman_tobias_limits(void **state) {
  (void)state;
  invdes_porous_params p;
  invdes_porous_params_default(&p);
  p.exchange_current = 1e-3;
  double *o = eval(&p, 0.9, 0.05, 0.35, 100);
  double phi_a = 0.65 * (0.9 / 4.75) / (0.9 / 4.75 + 0.05 / 1.78 + 0.05 / 1.9);
  double aL = 3 * phi_a / 5e-6 * 1e-4; /* surface per area, m2/m2 */
  double rct = 8.314462618 * 298.15 / (96485.33212331 * 1e-3 * aL) * 1e4;
  near(o[INVDES_PE_RESISTANCE] - rct, o[INVDES_PE_OHMIC_RESISTANCE], 1e-3);
  p.exchange_current = 1e8; /* nu about 23,000: sinh overflows, R does not */
  o = eval(&p, 0.9, 0.05, 0.35, 300);
  double k = o[INVDES_PE_IONIC_CONDUCTIVITY], s = o[INVDES_PE_ELECTRONIC_CONDUCTIVITY];
  near(o[INVDES_PE_RESISTANCE], 3e-4 / (k + s) * 1e4, 1e-3);
  assert_true(isfinite(o[INVDES_PE_RESISTANCE]));
}

/* Heckel: eps = eps0 exp(-K P). */
static void test_pressure(void **state) {
  (void)state;
  invdes_porous_params p;
  invdes_porous_params_default(&p);
  double out[INVDES_PE_N_OUTPUTS];
  char reason[200];
  assert_true(invdes_porous_eval(&p, 0.9, 0.05, NAN, 0, 100, out, reason, sizeof reason));
  near(out[INVDES_PE_POROSITY], 0.55, 1e-12);
  assert_true(invdes_porous_eval(&p, 0.9, 0.05, NAN, 50, 100, out, reason, sizeof reason));
  near(log(0.55 / out[INVDES_PE_POROSITY]), 0.008 * 50, 1e-12);
  assert_false(invdes_porous_eval(&p, 0.9, 0.05, NAN, -1, 100, out, reason, sizeof reason));
}

/* The reference problem's known optimum (docs/campaign-format.md): no point
 * of a grid over the box beats it, and it lies inside the window. */
#define OPT_R 5.04252
static void test_known_optimum(void **state) {
  (void)state;
  invdes_porous_params p;
  invdes_porous_params_default(&p);
  double *o = eval(&p, 0.89497, 0.02, 0.52635, 118.194);
  near(o[INVDES_PE_RESISTANCE], OPT_R, 2e-6);
  assert_true(o[INVDES_PE_AREAL_CAPACITY] >= 3.9 && o[INVDES_PE_AREAL_CAPACITY] <= 4.1 + 1e-4);
  double best = INFINITY;
  for (double a = 0.80; a <= 0.97 + 1e-9; a += 0.005)
    for (double b = 0.02; b <= 0.10 + 1e-9; b += 0.02)
      for (double e = 0.20; e <= 0.60 + 1e-9 && a + b <= 1; e += 0.01) {
        double q100 = eval(&p, a, b, e, 100)[INVDES_PE_AREAL_CAPACITY];
        for (int m = 0; m <= 10; m++) {
          double L = 100 * (3.9 + 0.02 * m) / q100;
          if (L < 40 || L > 200) continue;
          o = eval(&p, a, b, e, L);
          if (o[0] >= 3.9 && o[0] <= 4.1 && o[INVDES_PE_RESISTANCE] < best)
            best = o[INVDES_PE_RESISTANCE];
        }
      }
  assert_true(best >= OPT_R - 1e-5);
  assert_true(best <= OPT_R * 1.01); /* the grid comes close */
}

static char text[2048];

static const char *electrode_text(const char *params, const char *objective) {
  snprintf(text, sizeof text,
           "name: pe\n"
           "parameters:\n%s"
           "targets: [{name: areal_capacity, goal: window, window: [3.9, 4.1]},\n"
           "          {name: asr, goal: minimize}]\n"
           "objective: %s\n"
           "budget: {evaluations: 10}\n",
           params, objective);
  return text;
}

static invdes_campaign *electrode(const char *params, const char *objective, invdes_error *err) {
  const char *t = electrode_text(params, objective);
  return invdes_campaign_parse("pe.yaml", t, strlen(t), err);
}

#define PARAMS4 \
  "  - {name: active, type: continuous, bounds: [0.8, 0.97]}\n" \
  "  - {name: binder, type: continuous, bounds: [0.02, 0.1]}\n" \
  "  - {name: porosity, type: continuous, bounds: [0.2, 0.6]}\n" \
  "  - {name: thickness, type: continuous, bounds: [40, 200]}\n" \
  "  - {name: press, type: continuous, bounds: [0, 100]}\n" \
  "  - {name: kind2, type: categorical, values: [a, b]}\n"

static void test_kind(void **state) {
  (void)state;
  invdes_error err;
  invdes_campaign *c = electrode(PARAMS4, "{kind: porous_electrode, outputs: {asr: resistance}}",
                                 &err);
  if (!c) fail_msg("%s", err.message);
  double x[6] = {0.89497, 0.02, 0.52635, 118.194, 0, 0}, y[2];
  char reason[300];
  assert_false(kind_eval(c, x, y, reason, sizeof reason));
  near(y[1], OPT_R, 2e-6);
  invdes_campaign_free(c);
  /* calendering pressure instead of porosity, a constant binder */
  c = electrode(PARAMS4, "{kind: porous_electrode, pressure: press, binder: 0.05,"
                         " conductivity_electrolyte: 1.2, outputs: {asr: ohmic_resistance}}",
                &err);
  if (!c) fail_msg("%s", err.message);
  double x2[6] = {0.9, 0.07, 0.3, 100, 50, 0};
  assert_false(kind_eval(c, x2, y, reason, sizeof reason));
  invdes_porous_params p;
  invdes_porous_params_default(&p);
  p.conductivity_electrolyte = 1.2;
  double *o = eval(&p, 0.9, 0.05, 0.55 * exp(-0.4), 100);
  near(y[0], o[INVDES_PE_AREAL_CAPACITY], 1e-12);
  near(y[1], o[INVDES_PE_OHMIC_RESISTANCE], 1e-12);
  invdes_campaign_free(c);
}

static void test_kind_hostile(void **state) {
  (void)state;
#define only2 \
  "  - {name: a, type: continuous, bounds: [0.8, 0.97]}\n" \
  "  - {name: b, type: continuous, bounds: [0.02, 0.1]}\n"
  static const struct {
    const char *params, *objective, *words;
  } bad[] = {
      {PARAMS4, "{kind: porous_electrode, porosity: 0.3, pressure: press, outputs: {asr: "
                "resistance}}", "not both"},
      {only2, "{kind: porous_electrode, active: a, binder: b, porosity: 0.3, "
              "outputs: {asr: resistance}}", "needs 'thickness'"},
      {only2, "{kind: porous_electrode, active: a, binder: b, thickness: 80, "
              "outputs: {asr: resistance}}", "needs 'porosity'"},
      {PARAMS4, "{kind: porous_electrode, bruggeman: 0.5, outputs: {asr: resistance}}",
       "'bruggeman' must be in [1, 5]"},
      {PARAMS4, "{kind: porous_electrode, density_active: -4, outputs: {asr: resistance}}",
       "'density_active' must be in (0, 25] g/cm3"},
      {PARAMS4, "{kind: porous_electrode, temperature: hot, outputs: {asr: resistance}}",
       "'temperature'"},
      {PARAMS4, "{kind: porous_electrode, outputs: {asr: resistence}}", "no output 'resistence'"},
      {PARAMS4, "{kind: porous_electrode}", "target 'asr' is not an output"},
      {PARAMS4, "{kind: porous_electrode, thickness: kind2, outputs: {asr: resistance}}",
       "categorical"},
      {PARAMS4, "{kind: porous_electrode, formula: LiCoO2, outputs: {asr: resistance}}",
       "'formula' does not apply to objective kind 'porous_electrode'"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    kind_refused(electrode_text(bad[i].params, bad[i].objective), bad[i].words);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_hand_values),    cmocka_unit_test(test_monotone_and_limits),
      cmocka_unit_test(test_newman_tobias_limits), cmocka_unit_test(test_pressure),
      cmocka_unit_test(test_known_optimum),  cmocka_unit_test(test_kind),
      cmocka_unit_test(test_kind_hostile),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
