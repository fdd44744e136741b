/* cmd_export.c — `invdes export`: every proposal of a campaign database as
 * one row, in CSV or JSON, for pandas, spreadsheets and lab scripts. The
 * columns are report.h's (a contract: the same set for every export of a
 * campaign, whatever the data). Reads only; never changes the database. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli_options.h"
#include "cli_station.h"
#include "commands.h"
#include "report.h"
#include "store.h"

static const char export_usage[] =
    "usage: invdes export --db FILE [--format csv|json] [--out FILE] [--history]\n\n"
    "Writes one row per proposal, in id order, with the columns\n"
    "  id, batch, status, <each parameter>, <each target>, <each target>_sd,\n"
    "  <each target>_pred_mean, <each target>_pred_sd (target by target),\n"
    "  acquisition, strategy, station, reason, created, updated\n"
    "Parameters in campaign order (composition components after them;\n"
    "categorical ones as their labels); a target's value is empty (null in JSON)\n"
    "until measured, its _sd empty unless reported with --sd, the predictions\n"
    "empty unless a model made the proposal. status is pending, done, failed or\n"
    "abandoned; reason says why a proposal failed or was given back. Times are\n"
    "ISO 8601 UTC (2024-05-01T12:00:00Z).\n\n"
    "  -d, --db FILE      the campaign database (required; never created)\n"
    "  -f, --format F     csv (default) or json (an array of objects with the\n"
    "                     same keys in the same order)\n"
    "  -o, --out FILE     write there instead of standard output\n"
    "  --history          every version of every result instead: id, target,\n"
    "                     version, action (recorded, amended, retracted,\n"
    "                     migrated), value, sd, who, time, reason\n"
    "  -h, --help         this text\n"
    "  -V, --version      print the version\n\n"
    "In pandas: pd.read_csv(\"export.csv\", parse_dates=[\"created\", \"updated\"]).\n"
    "Exit status: 0 success, 2 bad input or usage, 1 other failures.\n";

int invdes_cmd_export(int argc, char **argv) {
  static const invdes_cli_choice formats[] = {{"csv", 0}, {"json", 1}, {NULL, 0}};
  const char *db = NULL, *out_path = NULL;
  int json = 0, history = 0, first;
  const invdes_cli_opt opts[] = {
      INVDES_CLI_OPT("db", "FILE", INVDES_OPT_TEXT, &db, .required = 1),
      INVDES_CLI_OPT("format", "F", INVDES_OPT_CHOICE, &json, .choices = formats),
      INVDES_CLI_OPT("out", "FILE", INVDES_OPT_TEXT, &out_path),
      INVDES_CLI_OPT("history", NULL, INVDES_OPT_FLAG, &history),
      {NULL}};
  int early = invdes_cli_parse("export", export_usage, opts, argc, argv, &first);
  if (early != -1) return early;
  if (first != argc)
    return invdes_cli_usage_error("export", "unexpected argument '%s'", argv[first]);
  int rc;
  invdes_store *s = invdes_cli_open_db("export", db, &rc);
  if (!s) return rc;
  invdes_error err;
  invdes_error_clear(&err);
  invdes_store_rows *rows = NULL;
  json_t *versions = NULL;
  invdes_status st = history ? ((versions = invdes_report_history_json(s, &err)) ? INVDES_OK
                                                                                 : err.status)
                             : invdes_store_list(s, INVDES_PROPOSAL_ANY, 0, &rows, &err);
  FILE *out = stdout;
  if (st == INVDES_OK && out_path && !(out = fopen(out_path, "w"))) {
    st = invdes_error_set(&err, INVDES_ERR_IO, "%s: cannot write: %s", out_path, strerror(errno));
    out = NULL;
  }
  if (st == INVDES_OK && !json)
    st = history ? invdes_report_write_history_csv(out, versions, &err)
                 : invdes_report_write_csv(out, s, rows, &err);
  if (st == INVDES_OK && json) {
    json_t *arr = history ? json_incref(versions) : invdes_report_rows_json(s, rows, &err);
    if (!arr) st = err.status != INVDES_OK ? err.status : INVDES_ERR_NOMEM;
    else if (invdes_report_write_json(out, arr, 2) || fputc('\n', out) == EOF)
      st = invdes_error_set(&err, INVDES_ERR_IO, "writing the export failed");
    json_decref(arr);
  }
  if (out && out != stdout && fclose(out) != 0 && st == INVDES_OK)
    st = invdes_error_set(&err, INVDES_ERR_IO, "%s: cannot write: %s", out_path, strerror(errno));
  if (st != INVDES_OK) {
    fprintf(stderr, "invdes export: %s\n", err.message);
    rc = invdes_cli_exit_for(st);
    if (st == INVDES_ERR_IO) rc = INVDES_EXIT_FAILURE;
  }
  json_decref(versions);
  invdes_store_rows_free(rows);
  invdes_store_close(s);
  return rc;
}
