/* cmd_cancel.c — `invdes cancel --db FILE`: cancels what a campaign left
 * running outside invdes. For a slurm campaign that is every job still
 * holding a proposal without an outcome (`invdes run` stopped by a signal
 * leaves its jobs running); each is scancel'ed and marked cancelled, so a
 * later run submits those proposals anew without spending a retry. Other
 * kinds leave nothing running: nothing to do. */
#include <stdio.h>

#include "cli_options.h"
#include "cli_station.h"
#include "commands.h"
#include "driver.h"

static const char cancel_usage[] =
    "usage: invdes cancel --db FILE [--quiet]\n\n"
    "Cancels the jobs a campaign left with its batch scheduler (a slurm\n"
    "objective: scancel of every job that still holds a proposal without an\n"
    "outcome). The proposals stay pending: `invdes run` submits them again\n"
    "(a cancelled job spends none of their retries).\n\n"
    "  -d, --db FILE  the campaign database (required)\n"
    "  -q, --quiet    print nothing on success\n"
    "  -h, --help     this text\n"
    "  -V, --version  print the version\n\n"
    "Prints how many jobs were cancelled. Exit status 1 when scancel fails\n"
    "(Slurm not reachable).\n";

int invdes_cmd_cancel(int argc, char **argv) {
  const char *db = NULL;
  int quiet = 0, first;
  const invdes_cli_opt opts[] = {
      INVDES_CLI_OPT("db", "FILE", INVDES_OPT_TEXT, &db, .required = 1),
      INVDES_CLI_OPT("quiet", NULL, INVDES_OPT_FLAG, &quiet), {NULL}};
  int early = invdes_cli_parse("cancel", cancel_usage, opts, argc, argv, &first);
  if (early != -1) return early;
  if (first != argc) return invdes_cli_usage_error("cancel", "no arguments besides --db");
  static invdes_error err;
  invdes_error_clear(&err);
  invdes_driver *d = invdes_driver_open_db(db, 0, &err);
  if (!d) {
    fprintf(stderr, "invdes cancel: %s\n", err.message);
    return invdes_cli_exit_for(err.status);
  }
  size_t n = 0;
  invdes_status st = invdes_driver_cancel(d, &n, &err);
  int rc = INVDES_EXIT_OK;
  if (st != INVDES_OK) {
    fprintf(stderr, "invdes cancel: %s (%zu jobs cancelled before)\n", err.message, n);
    rc = invdes_cli_exit_for(st);
  } else if (!quiet) {
    printf("%zu job%s cancelled (%s)\n", n, n == 1 ? "" : "s", invdes_driver_db_path(d));
  }
  invdes_driver_free(d);
  return rc;
}
