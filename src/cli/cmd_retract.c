/* cmd_retract.c — `invdes retract`: withdraws a proposal's results (a
 * contaminated sample, a broken cell). Nothing is deleted: the values stay in
 * the audit trail with who withdrew them, when and why; models, rankings and
 * exports no longer use them. The proposal stays done (its experiment was
 * run and spent its budget) and is not proposed again. */
#include <inttypes.h>
#include <stdio.h>

#include "cli_audit.h"
#include "cli_options.h"
#include "cli_station.h"
#include "commands.h"
#include "store.h"

static const char retract_usage[] =
    "usage: invdes retract --db FILE ID --reason TEXT [--station NAME]\n\n"
    "Withdraws every current value of proposal ID. The values stay in the\n"
    "database's history (`invdes export --history`); models, `best`, `status`\n"
    "and exports stop using them. The experiment still counts against the\n"
    "budget and is not proposed again; `invdes tell` refuses new values for it,\n"
    "`invdes amend` may give it a corrected value.\n\n"
    "  -d, --db FILE        the campaign database (required; never created)\n"
    "  -r, --reason TEXT    why (required)\n"
    "  -s, --station NAME   who retracts (default: $USER, else \"operator\")\n"
    "  -q, --quiet          print nothing on success\n"
    "  -h, --help           this text\n"
    "  -V, --version        print the version\n";

int invdes_cmd_retract(int argc, char **argv) {
  invdes_cli_fix a;
  int rc = invdes_cli_fix_options("retract", retract_usage, argc, argv, NULL, &a);
  if (rc != -1) return rc;
  if (a.first != argc)
    return invdes_cli_usage_error("retract", "'%s': give only the proposal id", argv[a.first]);
  invdes_store *s = invdes_cli_open_db("retract", a.db, &rc);
  if (!s) return rc;
  invdes_error err;
  invdes_error_clear(&err);
  invdes_status st = invdes_store_retract(s, a.id, a.who, a.reason, &err);
  if (st != INVDES_OK) {
    fprintf(stderr, "invdes retract: %s\ninvdes retract: nothing was changed\n", err.message);
    rc = invdes_cli_exit_for(st);
  } else if (!a.quiet) {
    printf("proposal %" PRId64 ": results retracted by %s (%s)\n", a.id, a.who, a.reason);
  }
  invdes_store_close(s);
  return rc;
}
