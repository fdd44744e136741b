/* cmd_amend.c — `invdes amend`: corrects recorded values of a proposal. The
 * old value is never lost: the store keeps every version with who changed it,
 * when and why (`invdes export --history` shows them), and models, rankings
 * and exports use the new one from then on. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_audit.h"
#include "cli_options.h"
#include "cli_station.h"
#include "commands.h"
#include "report.h"
#include "store.h"
#include "tell_input.h"

static const char amend_usage[] =
    "usage: invdes amend --db FILE ID NAME=VALUE... --reason TEXT [--sd NAME=SD]...\n"
    "                    [--station NAME]\n\n"
    "Replaces the recorded value of target NAME of proposal ID (a typo, a\n"
    "recalibrated instrument). The target must have had a value (current, or\n"
    "withdrawn by `invdes retract`, which an amendment restores). The new value\n"
    "is checked as a tell's: finite, inside the target's `range` when the\n"
    "campaign declares one. It carries the sd given with --sd, else none.\n"
    "Every earlier version stays in the database; `invdes export --history`\n"
    "lists them all.\n\n"
    "  -d, --db FILE        the campaign database (required; never created)\n"
    "  -r, --reason TEXT    why (required; recorded with the new version)\n"
    "  --sd NAME=SD         standard deviation of the new value of NAME\n"
    "  -s, --station NAME   who amends (default: $USER, else \"operator\")\n"
    "  -q, --quiet          print nothing on success\n"
    "  -h, --help           this text\n"
    "  -V, --version        print the version\n";

/* Attaches each --sd NAME=SD to the value of NAME; the exit status. */
static int attach_sds(const invdes_cli_fix *a, invdes_store_value *vals, size_t n) {
  invdes_error err;
  invdes_error_clear(&err);
  for (size_t k = 0; k < a->n_sd; k++) {
    char *name = NULL;
    double sd;
    if (invdes_tell_parse_assignment(a->sd_args[k], &name, &sd, &err) != INVDES_OK) {
      fprintf(stderr, "invdes amend: --sd %s\n", err.message);
      return invdes_cli_exit_for(err.status);
    }
    size_t i = 0;
    while (i < n && strcmp(vals[i].target, name) != 0) i++;
    int rc = i < n && isnan(vals[i].sd) ? INVDES_EXIT_OK : INVDES_EXIT_USAGE;
    if (rc == INVDES_EXIT_OK) vals[i].sd = sd;
    else fprintf(stderr, "invdes amend: --sd %s: no new value for '%s', or its sd given twice\n",
                 a->sd_args[k], name);
    free(name);
    if (rc != INVDES_EXIT_OK) return rc;
  }
  return INVDES_EXIT_OK;
}

/* The amendment of a parsed command line; the exit status. */
static int amend(const invdes_cli_fix *a, int argc, char **argv) {
  if (a->first == argc) return invdes_cli_usage_error("amend", "give NAME=VALUE...");
  size_t n = (size_t)(argc - a->first);
  invdes_store_value *vals = calloc(n, sizeof *vals);
  char **names = calloc(n, sizeof *names);
  invdes_error err;
  invdes_error_clear(&err);
  int rc = vals && names ? INVDES_EXIT_OK : INVDES_EXIT_FAILURE;
  for (size_t i = 0; rc == INVDES_EXIT_OK && i < n; i++) {
    if (invdes_tell_parse_assignment(argv[a->first + (int)i], &names[i], &vals[i].value,
                                     &err) != INVDES_OK) {
      fprintf(stderr, "invdes amend: %s\n", err.message);
      rc = invdes_cli_exit_for(err.status);
    }
    vals[i].target = names[i];
    vals[i].sd = NAN;
  }
  if (rc == INVDES_EXIT_OK) rc = attach_sds(a, vals, n);
  invdes_store *s = NULL;
  if (rc == INVDES_EXIT_OK) s = invdes_cli_open_db("amend", a->db, &rc);
  if (rc == INVDES_EXIT_OK) {
    invdes_status st = invdes_store_amend(s, a->id, vals, n, a->who, a->reason, &err);
    if (st != INVDES_OK) {
      fprintf(stderr, "invdes amend: %s\ninvdes amend: nothing was changed\n", err.message);
      rc = invdes_cli_exit_for(st);
    } else if (!a->quiet) {
      printf("proposal %" PRId64 ": amended by %s:", a->id, a->who);
      for (size_t i = 0; i < n; i++) {
        char num[INVDES_REPORT_NUM_MAX];
        invdes_decimal_format(vals[i].value, num);
        printf(" %s=%s", vals[i].target, num);
        if (!isnan(vals[i].sd)) {
          invdes_decimal_format(vals[i].sd, num);
          printf(" (sd %s)", num);
        }
      }
      printf(" (%s)\n", a->reason);
    }
  }
  invdes_store_close(s);
  for (size_t i = 0; names && i < n; i++) free(names[i]);
  free(names);
  free(vals);
  return rc;
}

int invdes_cmd_amend(int argc, char **argv) {
  invdes_cli_fix a;
  char **sd_args = calloc((size_t)argc + 1, sizeof *sd_args);
  if (!sd_args) return INVDES_EXIT_FAILURE;
  int rc = invdes_cli_fix_options("amend", amend_usage, argc, argv, sd_args, &a);
  if (rc == -1) rc = amend(&a, argc, argv);
  free(sd_args);
  return rc;
}
