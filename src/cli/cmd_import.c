/* cmd_import.c — `invdes import`: experiments measured before the campaign
 * (or beside it) recorded as results, so every strategy learns from them.
 *
 * The file is a CSV table: one column per variable (named as in the
 * campaign), one per measured target, optional `<target>_sd`. Each row is
 * checked as a tell's values are (decimal numbers, the targets' ranges) and
 * its point must lie in the design space (driver.h's invdes_driver_point);
 * the first bad row refuses the whole file, named by its line and column, and
 * nothing is recorded. The numbers are read with tell_input.h's parser. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_audit.h"
#include "cli_docs.h"
#include "cli_options.h"
#include "cli_station.h"
#include "commands.h"
#include "driver.h"
#include "report.h"
#include "table.h"
#include "tell_input.h"

static const char import_usage[] =
    "usage: invdes import --db FILE DATA.csv [--station NAME]\n\n"
    "Records experiments invdes did not propose (prior data) as done\n"
    "proposals of one new batch, with source `import`. DATA.csv has a header\n"
    "row naming every variable of the campaign (categorical ones by label,\n"
    "composition components each), the targets measured (an empty cell: not\n"
    "measured; each row needs one value) and optionally <target>_sd. Every\n"
    "point must lie in the design space: bounds, integer and listed values,\n"
    "known labels, composition sums and constraints (to 1e-6). Values must be\n"
    "finite decimal numbers inside a target's `range` when one is declared.\n"
    "All or nothing: one bad row refuses the file, naming its line and column.\n\n"
    "  -d, --db FILE        the campaign database (required; never created)\n"
    "  -s, --station NAME   who imports (default: $USER, else \"operator\")\n"
    "  -q, --quiet          print nothing on success\n"
    "  -h, --help           this text\n"
    "  -V, --version        print the version\n";

/* What each column of the file is. */
typedef struct columns {
  size_t nc;
  long *target;       /* target index of a value or sd column, -1: a variable */
  int *is_sd;
  const char **var;   /* variable names of the variable columns */
  const char **cells; /* one row's variable cells, in var order */
  size_t n_var;
} columns;

static invdes_status read_header(invdes_store *s, const invdes_table *tab, columns *c,
                                 invdes_error *err) {
  const size_t nt = invdes_store_n_targets(s), nv = invdes_store_n_variables(s);
  for (size_t j = 0; j < c->nc; j++) {
    const char *name = invdes_table_col_name(tab, j);
    size_t len = strlen(name);
    c->target[j] = -1;
    for (size_t t = 0; t < nt && c->target[j] < 0; t++) {
      const char *tn = invdes_store_target_name(s, t);
      size_t tl = strlen(tn);
      if (strcmp(name, tn) == 0) c->target[j] = (long)t;
      else if (len == tl + 3 && strncmp(name, tn, tl) == 0 && strcmp(name + tl, "_sd") == 0)
        c->target[j] = (long)t, c->is_sd[j] = 1;
    }
    size_t v = 0;
    while (c->target[j] < 0 && v < nv && strcmp(invdes_store_variable_name(s, v), name) != 0) v++;
    if (c->target[j] < 0 && v == nv) {
      return invdes_error_set(err, INVDES_ERR_INVALID, "%s:1: unknown column '%s' (columns: "
                              "the campaign's variables, its targets and <target>_sd)",
                              invdes_table_path(tab), name);
    }
    if (c->target[j] < 0) c->var[c->n_var++] = name;
  }
  for (size_t v = 0; v < nv; v++) {
    const char *vn = invdes_store_variable_name(s, v);
    size_t k = 0;
    while (k < c->n_var && strcmp(c->var[k], vn) != 0) k++;
    if (k == c->n_var) {
      return invdes_error_set(err, INVDES_ERR_INVALID, "%s:1: no column for variable '%s'",
                              invdes_table_path(tab), vn);
    }
  }
  return INVDES_OK;
}

/* Row i of the table to an import row; err names the refusal. */
static invdes_status read_row(invdes_driver *d, const invdes_table *tab, size_t i, columns *c,
                              invdes_store_import_row *r, invdes_store_value *vals, double *z,
                              invdes_error *err) {
  invdes_store *s = invdes_driver_store(d);
  const char *path = invdes_table_path(tab);
  int line = invdes_table_row_line(tab, i);
  size_t k = 0, nt = invdes_store_n_targets(s);
  for (size_t t = 0; t < nt; t++)
    vals[t] = (invdes_store_value){.target = invdes_store_target_name(s, t), .value = NAN,
                                   .sd = NAN};
  for (size_t j = 0; j < c->nc; j++) {
    const char *cell = invdes_table_cell(tab, i, j);
    if (c->target[j] < 0) {
      c->cells[k++] = cell;
      continue;
    }
    if (!*cell) continue;
    invdes_store_value *v = &vals[c->target[j]];
    double x;
    if (invdes_tell_parse_number(cell, &x) != 0 || (c->is_sd[j] && x < 0)) {
      return invdes_error_set(err, INVDES_ERR_INVALID,
                              "%s:%d (row %zu): column '%s': '%s' is not a finite %s", path,
                              line, i + 1, invdes_table_col_name(tab, j), cell,
                              c->is_sd[j] ? "number >= 0" : "number");
    }
    *(c->is_sd[j] ? &v->sd : &v->value) = x;
  }
  size_t n = 0;
  for (size_t t = 0; t < nt; t++) {
    const invdes_target *tg = invdes_store_target(s, t);
    if (isnan(vals[t].value) && !isnan(vals[t].sd)) {
      return invdes_error_set(err, INVDES_ERR_INVALID,
                              "%s:%d (row %zu): column '%s_sd': an sd but no value", path, line,
                              i + 1, tg->name);
    }
    if (!isnan(vals[t].value) && tg->range_lo < tg->range_hi &&
        (vals[t].value < tg->range_lo || vals[t].value > tg->range_hi)) {
      char v[INVDES_REPORT_NUM_MAX], lo[INVDES_REPORT_NUM_MAX], hi[INVDES_REPORT_NUM_MAX];
      invdes_decimal_format(vals[t].value, v);
      invdes_decimal_format(tg->range_lo, lo);
      invdes_decimal_format(tg->range_hi, hi);
      return invdes_error_set(err, INVDES_ERR_INVALID, "%s:%d (row %zu): column '%s': %s is "
                              "outside the plausible range [%s, %s]", path, line, i + 1,
                              tg->name, v, lo, hi);
    }
    if (!isnan(vals[t].value)) vals[n++] = vals[t];
  }
  if (!n)
    return invdes_error_set(err, INVDES_ERR_INVALID, "%s:%d (row %zu): no target value in this "
                            "row", path, line, i + 1);
  invdes_error why;
  invdes_error_clear(&why);
  char *params = NULL;
  invdes_status st = invdes_driver_point(d, c->var, c->cells, c->n_var, &params, z, NULL, 0,
                                         &why);
  if (st != INVDES_OK)
    return invdes_error_set(err, st, "%s:%d (row %zu): outside the design space: %s", path,
                            line, i + 1, why.message);
  *r = (invdes_store_import_row){.parameters = params, .z = z,
                                 .dim = invdes_space_dim(invdes_driver_space(d)),
                                 .values = vals, .n_values = n, .time = NAN};
  return INVDES_OK;
}

invdes_status invdes_cli_import(invdes_driver *d, const invdes_table *tab, const char *who,
                                int64_t **ids_out, size_t *n_out, invdes_error *err) {
  invdes_store *s = invdes_driver_store(d);
  const size_t nr = invdes_table_n_rows(tab), nt = invdes_store_n_targets(s);
  const size_t dim = invdes_space_dim(invdes_driver_space(d));
  columns c = {.nc = invdes_table_n_cols(tab)};
  c.target = calloc(c.nc + 1, sizeof *c.target);
  c.is_sd = calloc(c.nc + 1, sizeof *c.is_sd);
  c.var = calloc(c.nc + 1, sizeof *c.var);
  c.cells = calloc(c.nc + 1, sizeof *c.cells);
  invdes_store_import_row *rows = calloc(nr + 1, sizeof *rows);
  invdes_store_value *vals = calloc((nr + 1) * (nt + 1), sizeof *vals);
  double *zs = calloc((nr + 1) * (dim + 1), sizeof *zs);
  int64_t *ids = calloc(nr + 1, sizeof *ids);
  invdes_status st = c.target && c.is_sd && c.var && c.cells && rows && vals && zs && ids
                         ? INVDES_OK
                         : invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  if (st == INVDES_OK) st = read_header(s, tab, &c, err);
  if (st == INVDES_OK && nr == 0)
    st = invdes_error_set(err, INVDES_ERR_INVALID, "%s: no data rows", invdes_table_path(tab));
  for (size_t i = 0; st == INVDES_OK && i < nr; i++)
    st = read_row(d, tab, i, &c, &rows[i], vals + i * (nt + 1), zs + i * (dim + 1), err);
  if (st == INVDES_OK) st = invdes_store_import(s, rows, nr, "import", who, ids, err);
  if (st == INVDES_OK) {
    *ids_out = ids;
    *n_out = nr;
    ids = NULL;
  }
  for (size_t i = 0; rows && i < nr; i++) free((char *)rows[i].parameters);
  free(c.target);
  free(c.is_sd);
  free(c.var);
  free(c.cells);
  free(rows);
  free(vals);
  free(zs);
  free(ids);
  return st;
}

static int import_table(invdes_driver *d, const invdes_table *tab, const char *who, int quiet) {
  invdes_error err;
  invdes_error_clear(&err);
  int64_t *ids = NULL;
  size_t n = 0;
  invdes_status st = invdes_cli_import(d, tab, who, &ids, &n, &err);
  if (st != INVDES_OK) {
    fprintf(stderr, "invdes import: %s\ninvdes import: nothing was recorded\n",
            err.message[0] ? err.message : "out of memory");
  } else if (!quiet) {
    printf("%s: imported %zu experiment%s as proposals %" PRId64 " to %" PRId64 "\n",
           invdes_table_path(tab), n, n == 1 ? "" : "s", ids[0], ids[n - 1]);
  }
  free(ids);
  return invdes_cli_exit_for(st);
}

int invdes_cmd_import(int argc, char **argv) {
  const char *db = NULL, *station = NULL;
  int quiet = 0, first;
  const invdes_cli_opt opts[] = {
      INVDES_CLI_OPT("db", "FILE", INVDES_OPT_TEXT, &db, .required = 1),
      INVDES_CLI_OPT("station", "NAME", INVDES_OPT_NAME, &station),
      INVDES_CLI_OPT("quiet", NULL, INVDES_OPT_FLAG, &quiet),
      {NULL}};
  int rc = invdes_cli_parse("import", import_usage, opts, argc, argv, &first);
  if (rc != -1) return rc;
  if (first + 1 != argc) return invdes_cli_usage_error("import", "give one CSV file");
  invdes_error err;
  invdes_error_clear(&err);
  invdes_store *probe = invdes_cli_open_db("import", db, &rc); /* its messages for a bad db */
  if (!probe) return rc;
  invdes_store_close(probe);
  invdes_driver *d = invdes_driver_open_db(db, 0, &err);
  if (!d) {
    fprintf(stderr, "invdes import: %s\n", err.message);
    return invdes_cli_exit_for(err.status);
  }
  invdes_table *tab = invdes_table_read(argv[first], &err);
  if (!tab) {
    fprintf(stderr, "invdes import: %s\ninvdes import: nothing was recorded\n", err.message);
    rc = invdes_cli_exit_for(err.status);
  } else {
    rc = import_table(d, tab, invdes_cli_who(station), quiet);
  }
  invdes_table_free(tab);
  invdes_driver_free(d);
  return rc;
}
