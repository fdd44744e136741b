/* cmd_sample.c — `invdes sample FILE -n N`: prints N feasible points of a
 * campaign's space as CSV or JSON, e.g. a laboratory's first plate. Points
 * come from sample.h (random, Sobol or Latin hypercube over the feasible
 * region) with the campaign's seed unless --seed is given. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "campaign.h"
#include "cli_options.h"
#include "commands.h"
#include "sample.h"
#include "space.h"
#include "table.h"

static const char sample_usage[] =
    "usage: invdes sample CAMPAIGN.yaml -n N [--design sobol|lhs|random]\n"
    "                     [--format csv|json] [--seed S]\n\n"
    "Prints N points that satisfy every bound, composition sum and constraint of\n"
    "the campaign (for a pool campaign: N distinct candidates).\n\n"
    "  -n, --count N      number of points (required, >= 1)\n"
    "  --design D         sobol (default), lhs or random\n"
    "  -f, --format F     csv (default) or json\n"
    "  --seed S           seed (default: the campaign's seed)\n"
    "  -h, --help         this text\n"
    "  -V, --version      print the version\n";

/* Stream id of the sample command, distinct from the run loop's iterations. */
enum { SAMPLE_STREAM = 0x5a3b1e };

static void write_csv(const invdes_campaign *c, const invdes_space *s, const double *x, size_t n) {
  size_t nv = invdes_space_n_vars(s);
  char buf[256];
  if (c->pool) {
    const invdes_pool *p = c->pool;
    invdes_csv_write_field(stdout, p->id_column ? p->id_column : "row");
    for (size_t j = 0; j < p->n_features; j++) {
      fputc(',', stdout);
      invdes_csv_write_field(stdout, p->features[j]);
    }
    fputc('\n', stdout);
    for (size_t i = 0; i < n; i++) {
      size_t row = (size_t)x[i];
      invdes_csv_write_field(stdout, p->ids[row]);
      for (size_t j = 0; j < p->n_features; j++) printf(",%.10g", p->x[row * p->n_features + j]);
      fputc('\n', stdout);
    }
    return;
  }
  for (size_t v = 0; v < nv; v++) {
    if (v) fputc(',', stdout);
    invdes_csv_write_field(stdout, invdes_space_var_name(s, v));
  }
  fputc('\n', stdout);
  for (size_t i = 0; i < n; i++) {
    for (size_t v = 0; v < nv; v++) {
      if (v) fputc(',', stdout);
      invdes_space_format_value(s, v, x[i * nv + v], buf, sizeof buf);
      invdes_csv_write_field(stdout, buf);
    }
    fputc('\n', stdout);
  }
}

/* One JSON value for variable v: labels as strings, everything else a number. */
static json_t *json_value(const invdes_campaign *c, const invdes_space *s, size_t v, double x) {
  if (v < c->n_params) {
    const invdes_param *p = &c->params[v];
    if (p->type == INVDES_PARAM_CATEGORICAL) return json_string(p->labels[(size_t)x]);
    if (p->type == INVDES_PARAM_INTEGER) return json_integer((json_int_t)x);
  }
  return json_real(x);
}

static int write_json(const invdes_campaign *c, const invdes_space *s, const double *x, size_t n) {
  size_t nv = invdes_space_n_vars(s);
  json_t *arr = json_array();
  if (!arr) return -1;
  for (size_t i = 0; i < n; i++) {
    json_t *obj = json_object();
    if (!obj || json_array_append_new(arr, obj)) goto fail;
    if (c->pool) {
      const invdes_pool *p = c->pool;
      size_t row = (size_t)x[i];
      if (json_object_set_new(obj, p->id_column ? p->id_column : "row", json_string(p->ids[row])))
        goto fail;
      for (size_t j = 0; j < p->n_features; j++)
        if (json_object_set_new(obj, p->features[j], json_real(p->x[row * p->n_features + j])))
          goto fail;
      continue;
    }
    for (size_t v = 0; v < nv; v++)
      if (json_object_set_new(obj, invdes_space_var_name(s, v), json_value(c, s, v, x[i * nv + v])))
        goto fail;
  }
  if (json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10)))
    goto fail;
  fputc('\n', stdout);
  json_decref(arr);
  return 0;
fail:
  json_decref(arr);
  return -1;
}

int invdes_cmd_sample(int argc, char **argv) {
  static const invdes_cli_choice designs[] = {{"sobol", INVDES_DESIGN_SOBOL},
                                              {"lhs", INVDES_DESIGN_LHS},
                                              {"random", INVDES_DESIGN_RANDOM},
                                              {NULL, 0}};
  static const invdes_cli_choice formats[] = {{"csv", 0}, {"json", 1}, {NULL, 0}};
  unsigned long long count = 0, seed = 0;
  int design = INVDES_DESIGN_SOBOL, json = 0, have_seed = 0, first;
  /* --design was -d and --seed -s before -d meant --db and -s --station. */
  const invdes_cli_opt opts[] = {
      INVDES_CLI_OPT("count", "N", INVDES_OPT_WHOLE, &count, .required = 1, .lo = 1),
      INVDES_CLI_OPT("design", "D", INVDES_OPT_CHOICE, &design, .choices = designs, .retired = 'd'),
      INVDES_CLI_OPT("format", "F", INVDES_OPT_CHOICE, &json, .choices = formats),
      INVDES_CLI_OPT("seed", "S", INVDES_OPT_WHOLE, &seed, .given = &have_seed, .retired = 's'),
      {NULL}};
  int early = invdes_cli_parse("sample", sample_usage, opts, argc, argv, &first);
  if (early != -1) return early;
  if (first != argc - 1) return invdes_cli_usage_error("sample", "give one campaign file");
  invdes_campaign *c;
  const invdes_space *s;
  int status = invdes_cli_load_campaign(argv[first], &c, &s);
  if (status != INVDES_EXIT_OK) return status;
  status = INVDES_EXIT_FAILURE;
  double *x = NULL;
  invdes_error err;
  invdes_error_clear(&err);
  size_t nv = invdes_space_n_vars(s);
  if (c->pool && (size_t)count > c->pool->n_rows) {
    fprintf(stderr, "invdes sample: the pool has %zu candidates, fewer than -n %llu\n",
            c->pool->n_rows, count);
    status = INVDES_EXIT_USAGE;
    goto done;
  }
  if ((unsigned long long)count > SIZE_MAX / sizeof(double) / nv ||
      !(x = malloc((size_t)count * nv * sizeof *x))) {
    fprintf(stderr, "invdes sample: cannot hold %llu points in memory\n", count);
    goto done;
  }
  uint64_t use_seed = have_seed ? (uint64_t)seed : c->seed;
  if (invdes_sample(s, (invdes_design_kind)design, (size_t)count, use_seed, SAMPLE_STREAM, x,
                    &err) != INVDES_OK) {
    fprintf(stderr, "%s\n", err.message);
    goto done;
  }
  if (json ? write_json(c, s, x, (size_t)count) : (write_csv(c, s, x, (size_t)count), 0)) {
    fprintf(stderr, "invdes sample: writing JSON failed\n");
    goto done;
  }
  if (fflush(stdout) || ferror(stdout)) {
    fprintf(stderr, "invdes sample: writing the output failed\n");
    goto done;
  }
  status = INVDES_EXIT_OK;
done:
  free(x);
  invdes_campaign_free(c);
  return status;
}
