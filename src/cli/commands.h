/* commands.h — the verbs of the `invdes` command line, one file each
 * (src/cli/cmd_<verb>.c). Each takes the arguments after the verb (argv[0] is the
 * verb itself), prints its output on stdout and its diagnostics on stderr, and
 * returns the process exit status (the enum below; README, "Exit codes"). Only
 * main() in invdes.c turns that into exit(). */
#ifndef INVDES_COMMANDS_H
#define INVDES_COMMANDS_H

#include "campaign.h"
#include "space.h"

int invdes_cmd_validate(int argc, char **argv);
int invdes_cmd_sample(int argc, char **argv);
int invdes_cmd_predict(int argc, char **argv);
int invdes_cmd_init(int argc, char **argv);
int invdes_cmd_run(int argc, char **argv);
int invdes_cmd_ask(int argc, char **argv);
int invdes_cmd_tell(int argc, char **argv);
int invdes_cmd_heartbeat(int argc, char **argv);
int invdes_cmd_status(int argc, char **argv);
int invdes_cmd_export(int argc, char **argv);
int invdes_cmd_best(int argc, char **argv);
int invdes_cmd_amend(int argc, char **argv);
int invdes_cmd_retract(int argc, char **argv);
int invdes_cmd_import(int argc, char **argv);
int invdes_cmd_report(int argc, char **argv);
int invdes_cmd_capacity(int argc, char **argv);

/* Loads the campaign at path; *space is its design space, built by the
 * loader and borrowed from the campaign. On failure prints the diagnostics
 * on stderr, leaves both NULL and returns the exit status (INVDES_EXIT_USAGE
 * for a bad campaign). The caller frees the campaign on success. */
int invdes_cli_load_campaign(const char *path, invdes_campaign **campaign,
                             const invdes_space **space);

/* Prints "invdes VERSION" on stdout (every verb's --version). */
void invdes_cli_print_version(void);

/* Exit statuses shared by every verb, so that a lab script can decide what
 * to do from the number alone:
 *   0 done;
 *   1 a system error: disk full, permissions, a read-only file, the database
 *     locked too long, out of memory; nothing was recorded: retry later;
 *   2 the input was refused (usage, a bad value, an unknown id); nothing was
 *     recorded: do not retry the same input;
 *   3 not yours: the proposal is leased to another station;
 *   4 nothing to do: the budget is spent or no candidate is left. */
enum {
  INVDES_EXIT_OK = 0,
  INVDES_EXIT_FAILURE = 1,
  INVDES_EXIT_USAGE = 2,
  INVDES_EXIT_NOT_YOURS = 3,
  INVDES_EXIT_NOTHING = 4
};

/* The paragraph every verb's --help ends with: the codes above in words. */
extern const char invdes_cli_exit_help[];

#endif
