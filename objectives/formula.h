/* formula.h — chemical formulas, their molar mass from the IUPAC standard
 * atomic weights, and the theoretical capacity of an electrode material.
 *
 * A formula is written as chemists do, in ASCII: element symbols (a capital
 * letter and maybe one small one), each with an optional subscript; groups
 * in ( ) or [ ], nested, with a subscript of their own; adducts (hydrates)
 * after '*' or the middle dot U+00B7, each with an optional leading count:
 * "LiFePO4", "Li(Ni0.8Mn0.1Co0.1)O2", "Ca3(PO4)2", "CuSO4*5H2O". A subscript
 * is a decimal number ("0.8", ".5") or a variable in braces ("{ni}"), whose
 * value is given when the mass is computed: "Li(Ni{ni}Mn{mn}Co{co})O2". A '.'
 * is always a decimal point, so "CuSO4.5H2O" reads O4.5: write adducts with
 * '*'. Subscripts are at most 1e6; groups nest at most 16 deep.
 *
 * Capacity: Q = n F / (3.6 M) mAh/g for n electrons exchanged per formula
 * unit of molar mass M g/mol (F = 96485.33212 C/mol, CODATA 2018, exact; 1
 * mAh = 3.6 C). Energy density in Wh/kg = Q (mAh/g) × V (volts).
 *
 * A parsed formula is immutable and owns its memory; nothing is global. */
#ifndef INVDES_FORMULA_H
#define INVDES_FORMULA_H

#include <stddef.h>

#include "error.h"
#include "invdes_export.h"

/* The Faraday constant, C/mol (e · N_A, exact since the 2019 SI). */
#define INVDES_FARADAY 96485.33212331

typedef struct invdes_formula invdes_formula;

/* Parses text (NUL-terminated). On a mistake returns NULL, sets *column (may
 * be NULL) to the 1-based column, counted in characters, of the offending
 * character (or one past the end) and fills err with "column C: what was
 * expected" (INVDES_ERR_PARSE; an unknown element: INVDES_ERR_INVALID). The
 * caller frees the result with invdes_formula_free. */
INVDES_API
invdes_formula *invdes_formula_parse(const char *text, int *column, invdes_error *err);

/* Frees f; NULL is a no-op. */
INVDES_API
void invdes_formula_free(invdes_formula *f);

/* The variables of f's subscripts, in order of first use: their number, the
 * i-th one's name (borrowed from f) and the 1-based column of its first use. */
INVDES_API
size_t invdes_formula_n_vars(const invdes_formula *f);
INVDES_API
const char *invdes_formula_var(const invdes_formula *f, size_t i);
INVDES_API
int invdes_formula_var_column(const invdes_formula *f, size_t i);

/* Molar mass in g/mol, with values[i] the value of variable i (NULL when f
 * has none). NAN when a variable's value is negative or not finite. */
INVDES_API
double invdes_formula_molar_mass(const invdes_formula *f, const double *values);

/* The IUPAC 2021 abridged standard atomic weight of the element `symbol`
 * (case matters: "Co", not "CO"), or NAN for a symbol the table lacks
 * (atomic_weights.c cites the source). */
INVDES_API
double invdes_atomic_weight(const char *symbol);

/* Theoretical gravimetric capacity in mAh/g: electrons × F / (3.6 ×
 * molar_mass). NAN unless molar_mass > 0 and electrons > 0, both finite. */
INVDES_API
double invdes_capacity_mah_per_g(double molar_mass, double electrons);

#endif
