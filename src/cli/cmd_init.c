/* cmd_init.c — `invdes init CAMPAIGN [--db FILE] [--from OLD.db]`: creates
 * the campaign's database without running anything, for a campaign whose
 * proposals are asked for (`invdes ask`) or run later (`invdes run` then uses
 * it). On an existing database it checks the campaign file against it
 * (recording harmless changes) and says that it exists. With --from it
 * starts a grown campaign from an older one's results (driver.h's
 * invdes_driver_migrate), and says what was carried and why the rest was not;
 * when the carrying fails, the new file is removed again. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli_audit.h"
#include "cli_options.h"
#include "commands.h"
#include "driver.h"

static const char init_usage[] =
    "usage: invdes init CAMPAIGN.yaml [--db FILE] [--from OLD.db [--station NAME]]\n\n"
    "Creates the campaign database without running anything. `invdes run`,\n"
    "`invdes ask` and `invdes tell` then use it.\n\n"
    "--from starts a grown campaign (a new label, wider bounds, another\n"
    "target) in a NEW database with every result of OLD.db whose point lies in\n"
    "the new design space (variables and targets matched by name; values inside\n"
    "the new targets' ranges). Carried results keep their values, times and\n"
    "history (source `migrated`); it prints how many were carried and, one line\n"
    "per reason, how many were not.\n\n"
    "  -d, --db FILE       the database (default: NAME.db beside the campaign)\n"
    "  -F, --from OLD.db   carry the results of this campaign database over\n"
    "  -s, --station NAME  who migrates (default: $USER, else \"operator\")\n"
    "  -h, --help          this text\n"
    "  -V, --version       print the version\n";

static int status_exit(invdes_status st) {
  return st == INVDES_ERR_NOMEM || st == INVDES_ERR_DB || st == INVDES_ERR_IO
             ? INVDES_EXIT_FAILURE
             : INVDES_EXIT_USAGE;
}

/* Carries OLD's results into d's new database and reports; the exit status. */
static int carry(invdes_driver *d, const char *from, const char *who) {
  static invdes_error err;
  invdes_error_clear(&err);
  invdes_migration m;
  invdes_status st = invdes_driver_migrate(d, from, who, &m, &err);
  if (st != INVDES_OK) {
    fprintf(stderr, "invdes init: --from %s: %s\ninvdes init: nothing was carried\n", from,
            err.message);
    return status_exit(st);
  }
  printf("created %s for campaign '%s'\n", invdes_driver_db_path(d),
         invdes_driver_campaign(d)->name);
  printf("carried %zu of %zu proposals of %s\n", m.carried, m.proposals, from);
  for (size_t i = 0; i < m.n_reasons; i++)
    printf("  not carried: %zu: %s\n", m.count[i], m.reason[i]);
  return INVDES_EXIT_OK;
}

int invdes_cmd_init(int argc, char **argv) {
  const char *db = NULL, *from = NULL, *station = NULL;
  int first;
  const invdes_cli_opt opts[] = {INVDES_CLI_OPT("db", "FILE", INVDES_OPT_TEXT, &db),
                                 INVDES_CLI_OPT("from", "OLD.db", INVDES_OPT_TEXT, &from),
                                 INVDES_CLI_OPT("station", "NAME", INVDES_OPT_NAME, &station),
                                 {NULL}};
  int early = invdes_cli_parse("init", init_usage, opts, argc, argv, &first);
  if (early != -1) return early;
  if (first != argc - 1)
    return invdes_cli_usage_error("init", "give one campaign file");
  if (station && !from) return invdes_cli_usage_error("init", "--station goes with --from");
  if (from && access(from, R_OK) != 0) {
    fprintf(stderr, "invdes init: --from %s: no such readable file; nothing was created\n", from);
    return INVDES_EXIT_USAGE;
  }
  static invdes_error err, notes;
  invdes_error_clear(&err);
  invdes_error_clear(&notes);
  int created = 0;
  invdes_driver *d = invdes_driver_open(argv[first], db, INVDES_DRIVER_CREATE, &created, &notes,
                                        &err);
  if (!d) {
    fprintf(stderr, "invdes init: %s\n", err.message);
    return status_exit(err.status);
  }
  if (from && !created) {
    fprintf(stderr, "invdes init: %s exists already; --from starts a new database "
            "(give another --db)\n", invdes_driver_db_path(d));
    invdes_driver_free(d);
    return INVDES_EXIT_USAGE;
  }
  if (notes.count) fprintf(stderr, "invdes init: accepted changes:\n%s\n", notes.message);
  /* With --from, "created" only once the carrying succeeded: a failure
   * removes the new database again. */
  if (!from)
    printf("%s %s for campaign '%s'\n", created ? "created" : "exists:",
           invdes_driver_db_path(d), invdes_driver_campaign(d)->name);
  int rc = from ? carry(d, from, invdes_cli_who(station)) : INVDES_EXIT_OK;
  char *path = rc != INVDES_EXIT_OK ? invdes_driver_default_db(argv[first]) : NULL;
  const char *made = db ? db : path;
  invdes_driver_free(d);
  if (rc != INVDES_EXIT_OK && made) {
    /* The new database holds nothing but the campaign: remove it so that the
     * same command can be given again once the cause is fixed. */
    char side[4096];
    unlink(made);
    snprintf(side, sizeof side, "%s-wal", made);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", made);
    unlink(side);
  }
  free(path);
  return rc;
}
