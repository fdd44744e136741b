/* cmd_capacity.c — `invdes capacity FORMULA [--electrons N] [--voltage V]
 * [--var NAME=VALUE ...]`: the theoretical gravimetric capacity of a
 * chemical formula (formula.h), so that a chemist can check a number
 * without writing a campaign. A malformed formula is shown with a caret
 * under the column at fault (exit 2). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_options.h"
#include "commands.h"
#include "formula.h"

static const char capacity_usage[] =
    "usage: invdes capacity FORMULA [--electrons N] [--voltage V] [--var NAME=VALUE ...]\n\n"
    "Prints the molar mass (IUPAC 2021 abridged atomic weights) and the theoretical\n"
    "gravimetric capacity Q = n F / (3.6 M) in mAh/g of FORMULA, and with a voltage\n"
    "the energy density Q x V in Wh/kg. Groups in ( ) or [ ] nest; subscripts are\n"
    "decimal numbers or variables in braces, given with --var; adducts follow '*':\n"
    "  invdes capacity LiFePO4\n"
    "  invdes capacity 'Li(Ni{ni}Mn{mn}Co{co})O2' --var ni=0.8 --var mn=0.1 --var co=0.1\n\n"
    "  --electrons N      electrons exchanged per formula unit (default 1, above 0)\n"
    "  --voltage V        average voltage in volts (above 0): also print the energy\n"
    "  --var NAME=VALUE   the value of the subscript variable {NAME} (0 or more)\n"
    "  -h, --help         this text\n"
    "  -V, --version      print the version\n";

/* A decimal number (no hex, inf or nan), finite. */
static int parse_number(const char *s, double *v) {
  if (!s || !*s || strspn(s, "0123456789.eE+-") != strlen(s)) return 0;
  char *end;
  *v = strtod(s, &end);
  return *end == '\0' && isfinite(*v);
}

/* Prints the parse error with the formula and a caret under column. */
static int show_error(const char *text, int column, const invdes_error *err) {
  fprintf(stderr, "invdes capacity: formula '%s': %s\n", text, err->message);
  if (column > 0 && strlen(text) < 200) {
    fprintf(stderr, "  %s\n  %*s^\n", text, column - 1, "");
  }
  return err->status == INVDES_ERR_NOMEM ? INVDES_EXIT_FAILURE : INVDES_EXIT_USAGE;
}

/* The values of f's variables from the --var list; exit status or -1. */
static int var_values(const invdes_formula *f, char **vars, size_t n, double *values) {
  size_t nv = invdes_formula_n_vars(f);
  for (size_t i = 0; i < n; i++) {
    const char *eq = strchr(vars[i], '=');
    size_t k = 0, len = eq ? (size_t)(eq - vars[i]) : 0;
    while (k < nv && !(strlen(invdes_formula_var(f, k)) == len &&
                       strncmp(invdes_formula_var(f, k), vars[i], len) == 0))
      k++;
    if (!eq || len == 0)
      return invdes_cli_usage_error("capacity", "--var takes NAME=VALUE, not '%s'", vars[i]);
    if (k == nv)
      return invdes_cli_usage_error("capacity", "--var %.*s: the formula has no variable "
                                    "{%.*s}", (int)len, vars[i], (int)len, vars[i]);
    if (!parse_number(eq + 1, &values[k]) || values[k] < 0)
      return invdes_cli_usage_error("capacity", "--var %s: the value must be a number, 0 or "
                                    "more", vars[i]);
  }
  for (size_t k = 0; k < nv; k++)
    if (isnan(values[k]))
      return invdes_cli_usage_error("capacity", "the formula's variable {%s} (column %d) has "
                                    "no value: give --var %s=VALUE", invdes_formula_var(f, k),
                                    invdes_formula_var_column(f, k), invdes_formula_var(f, k));
  return -1;
}

int invdes_cmd_capacity(int argc, char **argv) {
  const char *electrons_text = NULL, *voltage_text = NULL;
  char **vars = calloc((size_t)argc + 1, sizeof *vars);
  size_t n_vars = 0;
  if (!vars) return INVDES_EXIT_FAILURE;
  const invdes_cli_opt opts[] = {
      INVDES_CLI_OPT("electrons", "N", INVDES_OPT_TEXT, &electrons_text),
      INVDES_CLI_OPT("voltage", "V", INVDES_OPT_TEXT, &voltage_text),
      INVDES_CLI_OPT("var", "NAME=VALUE", INVDES_OPT_LIST, vars, .n = &n_vars),
      {NULL}};
  int first, rc = invdes_cli_parse("capacity", capacity_usage, opts, argc, argv, &first);
  double n = 1.0, v = NAN;
  if (rc < 0 && argc - first != 1)
    rc = invdes_cli_usage_error("capacity", "give one FORMULA (quote it in the shell when it "
                                "has parentheses or braces)");
  if (rc < 0 && electrons_text && (!parse_number(electrons_text, &n) || !(n > 0)))
    rc = invdes_cli_usage_error("capacity", "--electrons must be a number above 0, not '%s'",
                                electrons_text);
  if (rc < 0 && voltage_text && (!parse_number(voltage_text, &v) || !(v > 0)))
    rc = invdes_cli_usage_error("capacity", "--voltage must be a number of volts above 0, "
                                "not '%s'", voltage_text);
  invdes_formula *f = NULL;
  double *values = NULL;
  if (rc < 0) {
    invdes_error err;
    invdes_error_clear(&err);
    int column;
    if (!(f = invdes_formula_parse(argv[first], &column, &err)))
      rc = show_error(argv[first], column, &err);
  }
  if (rc < 0 && !(values = malloc((invdes_formula_n_vars(f) + 1) * sizeof *values)))
    rc = INVDES_EXIT_FAILURE;
  for (size_t k = 0; rc < 0 && k < invdes_formula_n_vars(f); k++) values[k] = NAN;
  if (rc < 0) rc = var_values(f, vars, n_vars, values);
  if (rc < 0) {
    double m = invdes_formula_molar_mass(f, values), q = invdes_capacity_mah_per_g(m, n);
    if (!(m > 0)) {
      fprintf(stderr, "invdes capacity: formula '%s' has no mass with these values\n",
              argv[first]);
      rc = INVDES_EXIT_USAGE;
    } else {
      printf("formula     %s\n", argv[first]);
      printf("molar mass  %.4f g/mol\n", m);
      printf("electrons   %g\n", n);
      printf("capacity    %.2f mAh/g\n", q);
      if (voltage_text) printf("energy      %.1f Wh/kg at %g V\n", q * v, v);
      rc = INVDES_EXIT_OK;
    }
  }
  invdes_formula_free(f);
  free(values);
  free(vars);
  return rc;
}
