/* porous_model.c — the porous-electrode physics of porous_model.h.
 *
 * Volume fractions: the dry coating's mass fractions w_i over the materials'
 * densities rho_i give the solid's volume shares s_i = (w_i / rho_i) /
 * sum_j (w_j / rho_j); in the electrode phi_i = (1 - eps) s_i.
 * Capacity: loading m = rho_a phi_a L, areal capacity Q_A = q m.
 * Porosity from calendering pressure (Heckel, Trans. Metall. Soc. AIME 221
 * (1961) 671): eps = eps0 exp(-K P).
 * Ionic: kappa_eff = kappa eps^alpha (Bruggeman, Ann. Phys. 416 (1935) 636;
 * alpha = 1.5 for spheres).
 * Electronic: sigma_eff = sigma_a phi_a^alpha + sigma_c ((phi_c - phi*) /
 * (1 - phi*))^t above the threshold phi* (percolation, Kirkpatrick, Rev.
 * Mod. Phys. 45 (1973) 574; Stauffer and Aharony, Introduction to
 * Percolation Theory (1994): t about 2 in three dimensions).
 * Resistance through the thickness L of a porous electrode with linear
 * kinetics (Newman and Tobias, J. Electrochem. Soc. 109 (1962) 1183; Newman
 * and Thomas-Alyea, Electrochemical Systems, 3rd ed. (2004), ch. 22):
 *   R = L / (kappa + sigma) [1 + (2 + (kappa/sigma + sigma/kappa) cosh nu)
 *                               / (nu sinh nu)],
 *   nu^2 = L^2 a i0 F / (R_g T) (1/kappa + 1/sigma), a = 3 phi_a / r_p,
 * with kappa, sigma the effective values. Its limit of uniform reaction
 * (small nu) is the charge-transfer resistance R_g T / (F i0 a L) plus the
 * ohmic L/3 (1/kappa + 1/sigma), reported apart as ionic and electronic
 * resistances. */
#include "porous_model.h"

#include <math.h>
#include <stdio.h>

#define FARADAY 96485.33212331 /* C/mol */
#define GAS 8.314462618        /* J/(mol K) */

const char *const invdes_porous_output_names[] = {
    "areal_capacity",   "loading",          "density",
    "volumetric_capacity", "porosity",      "ionic_conductivity",
    "electronic_conductivity", "ionic_resistance", "electronic_resistance",
    "ohmic_resistance", "resistance",       NULL};

void invdes_porous_params_default(invdes_porous_params *p) {
  *p = (invdes_porous_params){.specific_capacity = 200.0,
                              .density_active = 4.75,
                              .density_binder = 1.78,
                              .density_carbon = 1.9,
                              .conductivity_electrolyte = 1.0,
                              .conductivity_active = 0.01,
                              .conductivity_carbon = 1000.0,
                              .percolation_threshold = 0.02,
                              .percolation_exponent = 2.0,
                              .bruggeman = 1.5,
                              .porosity_coated = 0.55,
                              .compaction = 0.008,
                              .particle_radius = 5.0,
                              .exchange_current = 2.5,
                              .temperature = 298.15};
}

/* Newman and Tobias's resistance (ohm m2) of thickness L (m) with effective
 * conductivities k, s (S/m) and kinetic conductance per volume g = a i0 F /
 * (R_g T) (S/m3); written with 1/sinh and 1/tanh so that a thick electrode
 * (nu in the hundreds) does not overflow. */
static double newman_tobias(double L, double k, double s, double g) {
  double nu = L * sqrt(g * (1.0 / k + 1.0 / s));
  double r = k / s + s / k;
  return L / (k + s) * (1.0 + (2.0 / sinh(nu) + r / tanh(nu)) / nu);
}

static int refuse(char *reason, size_t rn, const char *what, double v) {
  snprintf(reason, rn, what, v);
  return 0;
}

int invdes_porous_eval(const invdes_porous_params *p, double active, double binder,
                       double porosity, double pressure, double thickness, double *out,
                       char *reason, size_t rn) {
  for (int i = 0; i < INVDES_PE_N_OUTPUTS; i++) out[i] = NAN;
  double carbon = 1.0 - active - binder;
  if (!(active > 0 && active <= 1))
    return refuse(reason, rn, "active fraction %g is not in (0, 1]", active);
  if (!(binder >= 0 && binder < 1))
    return refuse(reason, rn, "binder fraction %g is not in [0, 1)", binder);
  if (carbon < -1e-12)
    return refuse(reason, rn, "active and binder fractions sum to %g, above 1", active + binder);
  if (carbon < 0) carbon = 0; /* a composition's rounding */
  if (isnan(porosity)) {
    if (!(pressure >= 0 && isfinite(pressure)))
      return refuse(reason, rn, "calendering pressure %g MPa is not 0 or more", pressure);
    porosity = p->porosity_coated * exp(-p->compaction * pressure);
  }
  if (!(porosity > 0 && porosity < 1))
    return refuse(reason, rn, "porosity %g is not in (0, 1)", porosity);
  if (!(thickness > 0 && isfinite(thickness)))
    return refuse(reason, rn, "thickness %g um is not above 0", thickness);
  double va = active / p->density_active, vb = binder / p->density_binder,
         vc = carbon / p->density_carbon, vs = va + vb + vc;
  double solid = 1.0 - porosity;
  double phi_a = solid * va / vs, phi_b = solid * vb / vs, phi_c = solid * vc / vs;
  double L_cm = thickness * 1e-4, L = thickness * 1e-6;
  out[INVDES_PE_POROSITY] = porosity;
  out[INVDES_PE_LOADING] = 1000.0 * p->density_active * phi_a * L_cm;
  out[INVDES_PE_AREAL_CAPACITY] = p->specific_capacity * p->density_active * phi_a * L_cm;
  out[INVDES_PE_VOLUMETRIC_CAPACITY] = p->specific_capacity * p->density_active * phi_a;
  out[INVDES_PE_DENSITY] = p->density_active * phi_a + p->density_binder * phi_b +
                           p->density_carbon * phi_c;
  double k = p->conductivity_electrolyte * pow(porosity, p->bruggeman);
  double above = (phi_c - p->percolation_threshold) / (1.0 - p->percolation_threshold);
  double s = p->conductivity_active * pow(phi_a, p->bruggeman) +
             (above > 0 ? p->conductivity_carbon * pow(above, p->percolation_exponent) : 0.0);
  if (!(s > 0))
    return refuse(reason, rn, "no conducting solid path: carbon volume fraction %g is below the "
                  "percolation threshold and the active material does not conduct", phi_c);
  out[INVDES_PE_IONIC_CONDUCTIVITY] = k;
  out[INVDES_PE_ELECTRONIC_CONDUCTIVITY] = s;
  out[INVDES_PE_IONIC_RESISTANCE] = 1e4 * L / (3.0 * k);
  out[INVDES_PE_ELECTRONIC_RESISTANCE] = 1e4 * L / (3.0 * s);
  out[INVDES_PE_OHMIC_RESISTANCE] = out[INVDES_PE_IONIC_RESISTANCE] +
                                    out[INVDES_PE_ELECTRONIC_RESISTANCE];
  double a = 3.0 * phi_a / (p->particle_radius * 1e-6);
  double g = a * p->exchange_current * FARADAY / (GAS * p->temperature);
  out[INVDES_PE_RESISTANCE] = 1e4 * newman_tobias(L, k, s, g);
  return 1;
}
