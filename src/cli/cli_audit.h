/* cli_audit.h — what the correcting verbs (amend, retract, import, init
 * --from) share: the name recorded as who made a change, and the options of
 * a correction of one proposal. */
#ifndef INVDES_CLI_AUDIT_H
#define INVDES_CLI_AUDIT_H

#include <stdint.h>

/* Who makes a change, for the audit trail: the --station name when given,
 * else the login name in $USER, else "operator". Borrowed (argv or the
 * environment), never NULL. */
const char *invdes_cli_who(const char *station);

#include <stddef.h>

/* A correction's command line: VERB --db FILE ID ... --reason TEXT
 * [--station NAME] [--quiet] [--sd NAME=SD]... */
typedef struct invdes_cli_fix {
  const char *db, *reason, *who;
  int quiet;
  int64_t id;
  int first;      /* index of the first operand after the id */
  char **sd_args; /* the --sd arguments (borrowed from argv) */
  size_t n_sd;
} invdes_cli_fix;

/* Parses a correction's options and its proposal id; the reason must not be
 * empty. sd_args NULL: the verb takes no --sd; else room for argc entries.
 * Returns -1 when the verb should go on (out filled), else the exit status
 * to return at once (the mistake printed). */
int invdes_cli_fix_options(const char *verb, const char *usage, int argc, char **argv,
                           char **sd_args, invdes_cli_fix *out);

#endif
