/* cmd_ask.c — `invdes ask --db FILE [-n N] [--station NAME] [--lease SECONDS]
 * [--format json|csv]`: hands out N proposals for a station and records them
 * as pending, in one transaction (driver.h: the station's own unreported
 * proposals first, then expired or abandoned ones with their ids, then new
 * ones from the strategy, which takes every pending proposal into account).
 *
 * Output contract (lab scripts parse it):
 *   json: [{"id": 17, "parameters": {...},
 *           "lease_expires": "2026-01-01T00:00:00.500Z"}, ...]
 *         parameters as recorded: labels as strings, integers as integers;
 *         lease_expires ISO 8601 UTC with milliseconds (report.h, as every
 *         output), null without a lease;
 *   csv:  id, each variable by name, lease_expires (empty without a lease).
 * Fewer than N lines (even none, with a note on stderr and exit status 4)
 * when the budget is spent (results + proposals out; --over-budget lifts it)
 * or a finite space has no untried candidate left. Works on the database
 * alone. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli_docs.h"
#include "cli_options.h"
#include "cli_station.h"
#include "commands.h"
#include "driver.h"
#include "report.h"
#include "table.h"

static const char ask_usage[] =
    "usage: invdes ask --db FILE [-n N] [--station NAME] [--lease SECONDS]\n"
    "                  [--over-budget] [--format json|csv]\n\n"
    "Prints N proposals (id and parameters) and records them as pending. An ask\n"
    "repeated by the same station before it reports gets the same proposals back\n"
    "(their leases kept, or extended to the new --lease, never shortened);\n"
    "proposals whose lease expired, or that were given back, are offered again\n"
    "with their ids. Never more than the budget allows: budget.evaluations minus\n"
    "the results (done or failed) minus the proposals out (pending with a live\n"
    "lease, partial); fewer are handed out with a note on stderr, and none with\n"
    "exit status 4.\n\n"
    "  -d, --db FILE      the campaign database (required; see invdes init)\n"
    "  -n, --count N      proposals wanted (default 1)\n"
    "  -s, --station NAME who takes them (default: nobody named)\n"
    "  -l, --lease S      seconds until they are offered to others again\n"
    "                     (default 86400; 0: never; at most 315576000, ten years)\n"
    "  --over-budget      hand out N even beyond the budget\n"
    "  -f, --format F     json (default) or csv\n"
    "  -h, --help         this text\n"
    "  -V, --version      print the version\n";

/* Shortest %g form that reads back as v. */
static void write_number(FILE *f, double v) {
  char buf[40];
  for (int prec = 15; prec <= 17; prec++) {
    snprintf(buf, sizeof buf, "%.*g", prec, v);
    if (strtod(buf, NULL) == v) break;
  }
  fputs(buf, f);
}

static int write_csv(invdes_store *s, const invdes_store_rows *rows) {
  size_t nv = invdes_store_n_variables(s);
  fputs("id", stdout);
  for (size_t v = 0; v < nv; v++) {
    fputc(',', stdout);
    char col[INVDES_REPORT_NAME_MAX]; /* a pool's id column as pool.NAME, like export */
    invdes_csv_write_field(stdout, invdes_report_variable_column(s, v, col, sizeof col));
  }
  fputs(",lease_expires\n", stdout);
  for (size_t i = 0; i < rows->n; i++) {
    const invdes_store_proposal *p = &rows->items[i];
    json_t *o = json_loads(p->parameters, 0, NULL);
    if (!o) return -1;
    printf("%" PRId64, p->id);
    for (size_t v = 0; v < nv; v++) {
      fputc(',', stdout);
      json_t *j = json_object_get(o, invdes_store_variable_name(s, v));
      if (json_is_string(j)) invdes_csv_write_field(stdout, json_string_value(j));
      else if (json_is_integer(j)) printf("%" JSON_INTEGER_FORMAT, json_integer_value(j));
      else if (json_is_number(j)) write_number(stdout, json_number_value(j));
    }
    char when[INVDES_REPORT_NUM_MAX];
    invdes_report_time(p->lease_expires, when);
    printf(",%s\n", when);
    json_decref(o);
  }
  return 0;
}

json_t *invdes_cli_ask_json(const invdes_store_rows *rows) {
  json_t *arr = json_array();
  if (!arr) return NULL;
  for (size_t i = 0; i < rows->n; i++) {
    const invdes_store_proposal *p = &rows->items[i];
    json_t *o = json_object();
    json_t *params = json_loads(p->parameters, 0, NULL);
    if (!o || !params || json_array_append_new(arr, o) ||
        json_object_set_new(o, "id", json_integer(p->id)) ||
        json_object_set_new(o, "parameters", params) ||
        json_object_set_new(o, "lease_expires", invdes_report_time_json(p->lease_expires))) {
      json_decref(arr);
      return NULL;
    }
  }
  return arr;
}

static int write_json(const invdes_store_rows *rows) {
  json_t *arr = invdes_cli_ask_json(rows);
  if (!arr) return -1;
  int rc = json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
  json_decref(arr);
  if (rc) return -1;
  fputc('\n', stdout);
  return 0;
}

void invdes_cli_ask_note(invdes_driver *d, size_t got, unsigned long long n, int over,
                         const char *more, char *buf, size_t size) {
  invdes_store_budget b;
  int64_t budget = invdes_driver_campaign(d)->budget.evaluations;
  if (!over && invdes_store_budget_get(invdes_driver_store(d), &b, NULL) == INVDES_OK &&
      b.results + b.outstanding >= budget) {
    snprintf(buf, size, "%zu of %llu proposals: the budget of %" PRId64 " evaluations "
             "is spent: %" PRId64 " results and %" PRId64 " proposals out (pending with "
             "a live lease, or partial); %s hands out more",
             got, n, budget, b.results, b.outstanding, more);
    return;
  }
  snprintf(buf, size, "only %zu of %llu proposals: every other candidate the "
           "strategy can propose (the space's, or its grid's) has been tried or is "
           "pending", got, n);
}

int invdes_cmd_ask(int argc, char **argv) {
  static const invdes_cli_choice formats[] = {{"json", 0}, {"csv", 1}, {NULL, 0}};
  const char *db = NULL, *station = NULL;
  unsigned long long n = 1;
  double lease = 86400;
  int csv = 0, over = 0, first;
  const invdes_cli_opt opts[] = {
      INVDES_CLI_OPT("db", "FILE", INVDES_OPT_TEXT, &db, .required = 1),
      INVDES_CLI_OPT("count", "N", INVDES_OPT_WHOLE, &n, .lo = 1, .hi = 1000000),
      INVDES_CLI_OPT("station", "NAME", INVDES_OPT_NAME, &station),
      INVDES_CLI_OPT("lease", "SECONDS", INVDES_OPT_SECONDS, &lease,
                     .hi = INVDES_STORE_LEASE_MAX),
      INVDES_CLI_OPT("over-budget", NULL, INVDES_OPT_FLAG, &over),
      INVDES_CLI_OPT("format", "F", INVDES_OPT_CHOICE, &csv, .choices = formats),
      {NULL}};
  int early = invdes_cli_parse("ask", ask_usage, opts, argc, argv, &first);
  if (early != -1) return early;
  if (first != argc) return invdes_cli_usage_error("ask", "unexpected argument '%s'", argv[first]);
  static invdes_error err;
  invdes_error_clear(&err);
  invdes_driver *d = invdes_driver_open_db(db, 0, &err);
  if (!d) {
    fprintf(stderr, "invdes ask: %s\n", err.message);
    return invdes_cli_exit_for(err.status);
  }
  invdes_store_rows *rows = NULL;
  invdes_status st = invdes_driver_propose(d, (size_t)n, station, lease,
                                           over ? INVDES_PROPOSE_OVER_BUDGET : 0, &rows, &err);
  int rc = INVDES_EXIT_OK;
  if (st != INVDES_OK) {
    fprintf(stderr, "invdes ask: %s\n", err.message);
    rc = invdes_cli_exit_for(st);
  } else {
    if (rows->n < (size_t)n) {
      char note[512];
      invdes_cli_ask_note(d, rows->n, n, over, "--over-budget", note, sizeof note);
      fprintf(stderr, "invdes ask: %s\n", note);
    }
    if (rows->n == 0) rc = INVDES_EXIT_NOTHING;
    if ((csv ? write_csv(invdes_driver_store(d), rows) : write_json(rows)) != 0 ||
        fflush(stdout) != 0) {
      fprintf(stderr, "invdes ask: cannot write the proposals (they are recorded; the same "
                      "station gets them back by asking again)\n");
      rc = INVDES_EXIT_FAILURE;
    }
  }
  invdes_store_rows_free(rows);
  invdes_driver_free(d);
  return rc;
}
