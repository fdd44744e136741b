/* porous_model.h — a physics model of a porous battery electrode, the
 * stand-in for the laboratory of the review's porous-electrode study
 * (internal; the kind is porous_electrode.c, the equations and their
 * sources are in docs/campaign-format.md, "kind: porous_electrode").
 *
 * From the coating's recipe (mass fractions of active material, binder and
 * carbon additive), its porosity and thickness, and the materials' constants
 * below, it computes the areal capacity, the effective conductivities of the
 * electrolyte in the pores (Bruggeman) and of the solid network (Bruggeman on
 * the active material plus a percolation law on the carbon), and the
 * through-thickness resistance (Newman and Tobias's porous-electrode result).
 * Pure functions, no state, nothing allocated. */
#ifndef INVDES_POROUS_MODEL_H
#define INVDES_POROUS_MODEL_H

#include <stddef.h>

/* Material and cell constants (SI-like units stated per field). */
typedef struct invdes_porous_params {
  double specific_capacity;       /* mAh/g of active material */
  double density_active;          /* g/cm3 */
  double density_binder;          /* g/cm3 */
  double density_carbon;          /* g/cm3 */
  double conductivity_electrolyte; /* S/m, bulk kappa */
  double conductivity_active;     /* S/m, bulk, of the active material */
  double conductivity_carbon;     /* S/m, bulk, of the carbon additive */
  double percolation_threshold;   /* carbon volume fraction of the electrode */
  double percolation_exponent;    /* t in sigma ~ (phi - phi_c)^t */
  double bruggeman;               /* alpha in kappa_eff = kappa eps^alpha */
  double porosity_coated;         /* Heckel: porosity at no pressure */
  double compaction;              /* Heckel: K, 1/MPa */
  double particle_radius;         /* um */
  double exchange_current;        /* A/m2 of particle surface */
  double temperature;             /* K */
} invdes_porous_params;

/* The defaults: an NMC811 cathode with carbon black and PVDF in 1 M LiPF6
 * EC/DMC (docs give each value's basis). */
void invdes_porous_params_default(invdes_porous_params *p);

/* The outputs, in this order (names in invdes_porous_output_names). */
enum {
  INVDES_PE_AREAL_CAPACITY,     /* mAh/cm2 */
  INVDES_PE_LOADING,            /* mg/cm2 of active material */
  INVDES_PE_DENSITY,            /* g/cm3 of the coating */
  INVDES_PE_VOLUMETRIC_CAPACITY, /* mAh/cm3 of the coating */
  INVDES_PE_POROSITY,           /* the porosity used (from pressure when given) */
  INVDES_PE_IONIC_CONDUCTIVITY, /* S/m, kappa_eff */
  INVDES_PE_ELECTRONIC_CONDUCTIVITY, /* S/m, sigma_eff */
  INVDES_PE_IONIC_RESISTANCE,   /* ohm cm2, L / (3 kappa_eff) */
  INVDES_PE_ELECTRONIC_RESISTANCE, /* ohm cm2, L / (3 sigma_eff) */
  INVDES_PE_OHMIC_RESISTANCE,   /* ohm cm2, the sum of the two */
  INVDES_PE_RESISTANCE,         /* ohm cm2, Newman-Tobias with linear kinetics */
  INVDES_PE_N_OUTPUTS
};

/* NULL-terminated names of the outputs, in enum order. */
extern const char *const invdes_porous_output_names[];

/* Evaluates the model: active and binder are mass fractions of the dry
 * coating (carbon is the rest), porosity in (0, 1) — or NAN with pressure
 * (MPa, >= 0) given instead —, thickness in um. Fills out[0..N_OUTPUTS) and
 * returns 1; or returns 0 with the reason (NUL-terminated, rn bytes) when
 * the inputs describe no electrode (fractions outside [0, 1] or summing
 * above 1, porosity outside (0, 1), thickness not above 0, no conducting
 * solid path). */
int invdes_porous_eval(const invdes_porous_params *p, double active, double binder,
                       double porosity, double pressure, double thickness, double *out,
                       char *reason, size_t rn);

#endif
