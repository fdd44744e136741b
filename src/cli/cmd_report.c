/* cmd_report.c — `invdes report`: a campaign database as a web page a
 * scientist can open offline and paste from: index.html with the figures
 * (fig.h: best so far, each target against evaluations, the Pareto front,
 * predicted against measured, ternary plots of composition groups) drawn as
 * inline SVG by invdes itself, each also written as its own .svg file, and
 * the tables of page.h. Reads the database only; writes only into the
 * output folder, which it creates when missing. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "cli_options.h"
#include "cli_station.h"
#include "commands.h"
#include "fig.h"
#include "page.h"
#include "store.h"

static const char report_usage[] =
    "usage: invdes report --db FILE [--out DIR]\n\n"
    "Writes a campaign's report as a web page, DIR/index.html, that opens offline\n"
    "in any browser (no network, no script): figures drawn by invdes as SVG --\n"
    "best so far against evaluations (the initial design marked), each target\n"
    "against evaluations with its window or threshold, the Pareto front of a\n"
    "multi-objective campaign, predicted against measured for each target (the\n"
    "prediction recorded when a model proposed the point, else a cross-validated\n"
    "Gaussian process), a ternary plot of each composition group -- then the best\n"
    "results (or the Pareto front), the failures with their reasons and the\n"
    "campaign file as stored. Each figure is also written as DIR/NAME.svg, to\n"
    "paste into a notebook alone. Files already in DIR with those names are\n"
    "replaced; nothing else in DIR is touched.\n\n"
    "  -d, --db FILE      the campaign database (required; never created)\n"
    "  -o, --out DIR      the folder to write (default: the database's file name\n"
    "                     without its extension, then -report, in the current\n"
    "                     folder: runs.db gives runs-report/); created if missing\n"
    "  -h, --help         this text\n"
    "  -V, --version      print the version\n";

/* "<basename of db without its extension>-report" (the caller frees it). */
static char *default_out(const char *db) {
  const char *base = strrchr(db, '/');
  base = base ? base + 1 : db;
  size_t len = strlen(base);
  const char *dot = strrchr(base, '.');
  if (dot && dot != base) len = (size_t)(dot - base);
  char *out = malloc(len + sizeof "-report");
  if (out) snprintf(out, len + sizeof "-report", "%.*s-report", (int)len, base);
  return out;
}

/* Makes sure dir is a folder, creating it (one level) when missing. */
static int prepare_out(const char *dir) {
  struct stat sb;
  if (stat(dir, &sb) == 0) {
    if (S_ISDIR(sb.st_mode)) return INVDES_EXIT_OK;
    fprintf(stderr, "invdes report: %s exists and is not a folder; give another --out\n", dir);
    return INVDES_EXIT_USAGE;
  }
  if (errno != ENOENT || mkdir(dir, 0777) != 0) {
    fprintf(stderr, "invdes report: cannot create the folder %s: %s\n", dir, strerror(errno));
    return errno == ENOENT || errno == ENOTDIR ? INVDES_EXIT_USAGE : INVDES_EXIT_FAILURE;
  }
  return INVDES_EXIT_OK;
}

int invdes_cmd_report(int argc, char **argv) {
  const char *db = NULL, *out = NULL;
  const invdes_cli_opt opts[] = {
      INVDES_CLI_OPT("db", "FILE", INVDES_OPT_TEXT, &db, .required = 1),
      INVDES_CLI_OPT("out", "DIR", INVDES_OPT_TEXT, &out),
      {NULL}};
  int first, rc = invdes_cli_parse("report", report_usage, opts, argc, argv, &first);
  if (rc == -1 && first != argc)
    rc = invdes_cli_usage_error("report", "unexpected argument '%s'", argv[first]);
  if (rc != -1) return rc;
  if (out && !*out) return invdes_cli_usage_error("report", "--out needs a folder name");
  invdes_store *s = invdes_cli_open_db("report", db, &rc);
  if (!s) return rc;
  char *dir = out ? strdup(out) : default_out(db);
  invdes_error err;
  invdes_error_clear(&err);
  invdes_fig_data d = {0};
  invdes_fig_list l = {0};
  invdes_status st = dir ? INVDES_OK : invdes_error_set(&err, INVDES_ERR_NOMEM, "out of memory");
  if (st == INVDES_OK) st = invdes_fig_data_read(s, &d, &err);
  if (st == INVDES_OK) st = invdes_page_draw(&d, &l, &err);
  rc = INVDES_EXIT_OK;
  if (st == INVDES_OK) rc = prepare_out(dir);
  if (st == INVDES_OK && rc == INVDES_EXIT_OK) st = invdes_page_write(dir, &d, &l, &err);
  if (st != INVDES_OK) {
    fprintf(stderr, "invdes report: %s\n", err.message[0] ? err.message : "out of memory");
    rc = st == INVDES_ERR_IO ? INVDES_EXIT_FAILURE : invdes_cli_exit_for(st);
  } else if (rc == INVDES_EXIT_OK) {
    printf("wrote %s/index.html (%zu figure%s)\n", dir, l.n, l.n == 1 ? "" : "s");
  }
  invdes_fig_list_free(&l);
  invdes_fig_data_free(&d);
  free(dir);
  invdes_store_close(s);
  return rc;
}
