/* invdes.c — the command-line driver: finds the verb and hands the remaining
 * arguments to its src/cli/cmd_<verb>.c. The only place in invdes that exits. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "cli_options.h"
#include "commands.h"

typedef struct {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary;
} verb;

static const verb verbs[] = {
    {"validate", invdes_cmd_validate, "check a campaign file and describe its design space"},
    {"sample", invdes_cmd_sample, "print N feasible points of a campaign (a first plate)"},
    {"predict", invdes_cmd_predict, "train a surrogate (gp, rf, knn) on a CSV table and predict"},
    {"init", invdes_cmd_init, "create a campaign's database without running anything"},
    {"run", invdes_cmd_run, "propose, evaluate and record until the budget is spent (resumes)"},
    {"ask", invdes_cmd_ask, "hand out N proposals to a station and record them as pending"},
    {"tell", invdes_cmd_tell, "record results, failures or give-backs of proposals"},
    {"heartbeat", invdes_cmd_heartbeat, "extend the lease of pending proposals"},
    {"status", invdes_cmd_status, "results, budget, best so far and pending leases"},
    {"export", invdes_cmd_export, "every proposal as one CSV or JSON row"},
    {"best", invdes_cmd_best, "the best result by the one ranking, with its parameters"},
    {"amend", invdes_cmd_amend, "correct a recorded value (every version is kept)"},
    {"retract", invdes_cmd_retract, "withdraw a proposal's results (kept in the history)"},
    {"import", invdes_cmd_import, "record prior experiments from a CSV file"},
    {"report", invdes_cmd_report, "write a web page of figures and tables (offline, SVG)"},
    {"capacity", invdes_cmd_capacity, "theoretical capacity (mAh/g) of a chemical formula"},
};

void invdes_cli_print_version(void) { printf("invdes %s\n", PACKAGE_VERSION); }

static void usage(FILE *out) {
  fprintf(out,
          "usage: invdes COMMAND [OPTIONS] ...\n"
          "       invdes --help | --version\n\n"
          "Inverse design of battery materials: campaigns of experiments proposed by\n"
          "Bayesian optimization, particle swarms or genetic algorithms.\n\ncommands:\n");
  for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
    fprintf(out, "  %-10s %s\n", verbs[i].name, verbs[i].summary);
  fprintf(out, "\n`invdes COMMAND --help` describes each command.\n");
  invdes_cli_print_short_options(out);
}

int main(int argc, char **argv) {
  /* GSL's default handler aborts the process on any error; libinvdes checks
   * the status GSL returns instead, so a failure becomes a message and an
   * exit status, never a core dump with a half-written output. Process-wide,
   * hence set here and not in the library. */
  gsl_set_error_handler_off();
  if (argc < 2) {
    usage(stderr);
    return INVDES_EXIT_USAGE;
  }
  if (strcmp(argv[1], "help") == 0 && argc > 2) {
    /* `invdes help VERB` is `invdes VERB --help`. */
    char help[] = "--help";
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
      if (strcmp(argv[2], verbs[i].name) == 0) {
        char *args[] = {argv[2], help, NULL};
        return verbs[i].run(2, args);
      }
    fprintf(stderr, "invdes: unknown command '%s' (see invdes --help)\n", argv[2]);
    return INVDES_EXIT_USAGE;
  }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
      strcmp(argv[1], "help") == 0) {
    usage(stdout);
    return INVDES_EXIT_OK;
  }
  if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
    invdes_cli_print_version();
    return INVDES_EXIT_OK;
  }
  for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
    if (strcmp(argv[1], verbs[i].name) == 0) return verbs[i].run(argc - 1, argv + 1);
  fprintf(stderr, "invdes: unknown command '%s' (see invdes --help)\n", argv[1]);
  return INVDES_EXIT_USAGE;
}
