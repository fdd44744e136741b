/* cmd_init.c — `invdes init CAMPAIGN [--db FILE]`: creates the campaign's
 * database without running anything, for a campaign whose proposals are
 * asked for (`invdes ask`) or run later (`invdes run` then uses it). On an
 * existing database it checks the campaign file against it (recording
 * harmless changes) and says that it exists. */
#include <stdio.h>

#include "cli_options.h"
#include "commands.h"
#include "driver.h"

static const char init_usage[] =
    "usage: invdes init CAMPAIGN.yaml [--db FILE]\n\n"
    "Creates the campaign database without running anything. `invdes run`,\n"
    "`invdes ask` and `invdes tell` then use it.\n\n"
    "  -d, --db FILE the database (default: NAME.db beside the campaign)\n"
    "  -h, --help    this text\n"
    "  -V, --version print the version\n";

int invdes_cmd_init(int argc, char **argv) {
  const char *db = NULL;
  int first;
  const invdes_cli_opt opts[] = {INVDES_CLI_OPT("db", "FILE", INVDES_OPT_TEXT, &db), {NULL}};
  int early = invdes_cli_parse("init", init_usage, opts, argc, argv, &first);
  if (early != -1) return early;
  if (first != argc - 1)
    return invdes_cli_usage_error("init", "give one campaign file");
  static invdes_error err, notes;
  invdes_error_clear(&err);
  invdes_error_clear(&notes);
  int created = 0;
  invdes_driver *d = invdes_driver_open(argv[first], db, INVDES_DRIVER_CREATE, &created, &notes,
                                        &err);
  if (!d) {
    fprintf(stderr, "invdes init: %s\n", err.message);
    return err.status == INVDES_ERR_NOMEM || err.status == INVDES_ERR_DB ||
                   err.status == INVDES_ERR_IO
               ? INVDES_EXIT_FAILURE
               : INVDES_EXIT_USAGE;
  }
  if (notes.count) fprintf(stderr, "invdes init: accepted changes:\n%s\n", notes.message);
  printf("%s %s for campaign '%s'\n", created ? "created" : "exists:",
         invdes_driver_db_path(d), invdes_driver_campaign(d)->name);
  invdes_driver_free(d);
  return INVDES_EXIT_OK;
}
