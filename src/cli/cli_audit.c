/* cli_audit.c — the name the audit trail records for a change made from the
 * command line, and the options of a correction (cli_audit.h). A person at a
 * terminal is named by their login unless they name a station; a robot names
 * its station. */
#include "cli_audit.h"

#include <stdlib.h>

#include "cli_options.h"
#include "tell_input.h"

const char *invdes_cli_who(const char *station) {
  if (station && *station) return station;
  const char *user = getenv("USER");
  return user && *user ? user : "operator";
}

int invdes_cli_fix_options(const char *verb, const char *usage, int argc, char **argv,
                           char **sd_args, invdes_cli_fix *out) {
  const char *station = NULL;
  *out = (invdes_cli_fix){.sd_args = sd_args};
  invdes_cli_opt opts[] = {
      INVDES_CLI_OPT("db", "FILE", INVDES_OPT_TEXT, &out->db, .required = 1),
      INVDES_CLI_OPT("reason", "TEXT", INVDES_OPT_TEXT, &out->reason, .required = 1),
      INVDES_CLI_OPT("station", "NAME", INVDES_OPT_NAME, &station),
      INVDES_CLI_OPT("quiet", NULL, INVDES_OPT_FLAG, &out->quiet),
      INVDES_CLI_OPT("sd", "NAME=SD", INVDES_OPT_LIST, sd_args, .n = &out->n_sd),
      {NULL}};
  if (!sd_args) opts[4] = (invdes_cli_opt){NULL}; /* the verb takes no --sd */
  int first, rc = invdes_cli_parse(verb, usage, opts, argc, argv, &first);
  if (rc != -1) return rc;
  if (first == argc || invdes_tell_parse_id(argv[first], &out->id))
    return invdes_cli_usage_error(verb, "give a proposal id (a whole number >= 1)");
  if (!*out->reason) return invdes_cli_usage_error(verb, "--reason must say why");
  out->who = invdes_cli_who(station);
  out->first = first + 1;
  return -1;
}
