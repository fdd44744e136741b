/* cmd_export.c — `invdes export`: every proposal of a campaign database as
 * one row, in CSV or JSON, for pandas, spreadsheets and lab scripts. The
 * columns are report.h's (a contract: the same set for every export of a
 * campaign, whatever the data). Reads only; never changes the database. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "cli_options.h"
#include "cli_station.h"
#include "commands.h"
#include "report.h"
#include "store.h"

static const char export_usage[] =
    "usage: invdes export --db FILE [--format csv|json] [--units | --history]\n"
    "                     [--out FILE [--force]]\n\n"
    "Writes one row per proposal, in id order, with the columns\n"
    "  id, batch, status, <each parameter>, <each target>, [pareto_rank],\n"
    "  <each target>_sd, <each target>_pred_mean, <each target>_pred_sd (target\n"
    "  by target), acquisition, strategy, station, reason, created, updated\n"
    "pareto_rank only for a multi-objective campaign (two or more\n"
    "maximize/minimize targets, none with a weight): 0 on the Pareto front of\n"
    "the results meeting every condition, 1 on the front of the rest, and so on;\n"
    "empty for a failed result, one missing a condition or a value.\n"
    "Parameters in campaign order (composition components after them; a\n"
    "pool's id column as pool.NAME, so that id is always the proposal's;\n"
    "categorical ones as their labels); a target's value is empty (null in JSON)\n"
    "until measured, its _sd empty unless reported with --sd, the predictions\n"
    "empty unless a model made the proposal. status is pending, partial, done,\n"
    "failed or abandoned; reason says why a proposal failed or was given\n"
    "back. Times are ISO 8601 UTC with milliseconds (2024-05-01T12:00:00.250Z).\n\n"
    "  -d, --db FILE      the campaign database (required; never created)\n"
    "  -f, --format F     csv (default) or json (an array of objects with the\n"
    "                     same keys in the same order)\n"
    "  -o, --out FILE     write there instead of standard output; an existing\n"
    "                     file is refused unless --force, the database itself\n"
    "                     (and its -wal/-shm files) always. The export is\n"
    "                     written beside it and renamed into place at the\n"
    "                     end, so a failed export leaves no half file\n"
    "      --force        replace an existing --out file\n"
    "      --units        the campaign's units: CSV headers NAME [UNIT] (e.g.\n"
    "                     capacity [mAh/g]; the name is the text before \" [\");\n"
    "                     JSON {\"units\": {column: unit}, \"rows\": [...]}\n"
    "      --history      every version of every result instead: id, target,\n"
    "                     version, action (recorded, amended, retracted,\n"
    "                     migrated), value, sd, who, time, reason\n"
    "  -h, --help         this text\n"
    "  -V, --version      print the version\n\n"
    "In pandas: pd.read_csv(\"export.csv\", parse_dates=[\"created\", \"updated\"]).\n";

/* The folder part of path ("." when it has none), in buf. */
static const char *folder_of(const char *path, char *buf, size_t size) {
  const char *slash = strrchr(path, '/');
  if (!slash) return ".";
  snprintf(buf, size, "%.*s", slash == path ? 1 : (int)(slash - path), path);
  return buf;
}

/* Whether out names db's -wal or -shm (or -journal) file, existing or not:
 * the same folder (device and inode) and the database's name with the
 * suffix. SQLite makes these files when a connection opens and deletes them
 * when the last one closes, so an export renamed onto a name that does not
 * exist yet would be taken for the journal, and deleted with it. */
static const char *sidecar_of(const char *out, const char *db) {
  static const char *const suffixes[] = {"-wal", "-shm", "-journal"};
  char fo[4096], fd[4096];
  struct stat so, sd;
  if (stat(folder_of(out, fo, sizeof fo), &so) != 0 ||
      stat(folder_of(db, fd, sizeof fd), &sd) != 0 || so.st_dev != sd.st_dev ||
      so.st_ino != sd.st_ino)
    return NULL;
  const char *ob = strrchr(out, '/'), *dbb = strrchr(db, '/');
  ob = ob ? ob + 1 : out;
  dbb = dbb ? dbb + 1 : db;
  size_t n = strlen(dbb);
  for (size_t i = 0; i < 3; i++)
    if (strncmp(ob, dbb, n) == 0 && strcmp(ob + n, suffixes[i]) == 0) return suffixes[i];
  return NULL;
}

/* Refuses an --out that is the database or one of its -wal/-shm files (same
 * device and inode, whatever the path says, or the database's name with the
 * suffix in its folder even before SQLite made the file), or any existing
 * file without --force. Returns 0 when out may be written. */
static int out_refused(const char *out, const char *db, int force) {
  struct stat so, sd;
  const char *side = sidecar_of(out, db);
  if (side) {
    fprintf(stderr, "invdes export: --out %s is the campaign database%s itself; "
            "refused (it would destroy the record)\n", out, side);
    return 1;
  }
  if (stat(out, &so) != 0) return 0;
  static const char *const suffixes[] = {"", "-wal", "-shm"};
  for (size_t i = 0; i < 3; i++) {
    char path[4096];
    snprintf(path, sizeof path, "%s%s", db, suffixes[i]);
    if (stat(path, &sd) == 0 && sd.st_dev == so.st_dev && sd.st_ino == so.st_ino) {
      fprintf(stderr, "invdes export: --out %s is the campaign database%s itself; "
              "refused (it would destroy the record)\n", out, suffixes[i]);
      return 1;
    }
  }
  if (force) return 0;
  fprintf(stderr, "invdes export: --out %s already exists; give --force to replace it\n", out);
  return 1;
}

/* A new temporary file beside out_path (same folder, so that rename is
 * atomic); *tmp gets its name (the caller frees it). */
static FILE *open_beside(const char *out_path, char **tmp, invdes_error *err) {
  const char *slash = strrchr(out_path, '/');
  size_t dn = slash ? (size_t)(slash - out_path) + 1 : 0;
  *tmp = malloc(dn + strlen(out_path) + 32);
  if (!*tmp) {
    invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
    return NULL;
  }
  sprintf(*tmp, "%.*s.%s.XXXXXX", (int)dn, out_path, out_path + dn);
  int fd = mkstemp(*tmp);
  /* mkstemp makes the file 0600; an export gets the usual mode. */
  mode_t mask = umask(0);
  umask(mask);
  if (fd >= 0) fchmod(fd, 0666 & ~mask);
  FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
  if (!f) {
    invdes_error_set(err, INVDES_ERR_IO, "%s: cannot write beside it: %s", out_path,
                     strerror(errno));
    if (fd >= 0) {
      close(fd);
      unlink(*tmp);
    }
    free(*tmp);
    *tmp = NULL;
  }
  return f;
}

int invdes_cmd_export(int argc, char **argv) {
  static const invdes_cli_choice formats[] = {{"csv", 0}, {"json", 1}, {NULL, 0}};
  const char *db = NULL, *out_path = NULL;
  int json = 0, force = 0, with_units = 0, history = 0, first;
  const invdes_cli_opt opts[] = {
      INVDES_CLI_OPT("db", "FILE", INVDES_OPT_TEXT, &db, .required = 1),
      INVDES_CLI_OPT("format", "F", INVDES_OPT_CHOICE, &json, .choices = formats),
      INVDES_CLI_OPT("out", "FILE", INVDES_OPT_TEXT, &out_path),
      INVDES_CLI_OPT("force", NULL, INVDES_OPT_FLAG, &force),
      INVDES_CLI_OPT("units", NULL, INVDES_OPT_FLAG, &with_units),
      INVDES_CLI_OPT("history", NULL, INVDES_OPT_FLAG, &history),
      {NULL}};
  int early = invdes_cli_parse("export", export_usage, opts, argc, argv, &first);
  if (early != -1) return early;
  if (first != argc)
    return invdes_cli_usage_error("export", "unexpected argument '%s'", argv[first]);
  if (history && with_units)
    return invdes_cli_usage_error("export", "--history and --units do not go together");
  if (out_path && out_refused(out_path, db, force)) return INVDES_EXIT_USAGE;
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
  char *tmp = NULL;
  if (st == INVDES_OK && out_path && !(out = open_beside(out_path, &tmp, &err)))
    st = err.status;
  json_t *units = st == INVDES_OK && with_units ? invdes_report_units(s) : NULL;
  if (with_units && !units && st == INVDES_OK)
    st = invdes_error_set(&err, INVDES_ERR_NOMEM, "out of memory");
  if (st == INVDES_OK && !json)
    st = history ? invdes_report_write_history_csv(out, versions, &err)
                 : invdes_report_write_csv_units(out, s, rows, units, &err);
  if (st == INVDES_OK && json) {
    json_t *arr = history ? json_incref(versions) : invdes_report_rows_json(s, rows, &err);
    if (arr && units) arr = json_pack("{sOso}", "units", units, "rows", arr);
    if (!arr) st = err.status != INVDES_OK ? err.status : INVDES_ERR_NOMEM;
    else if (invdes_report_write_json(out, arr, 2) || fputc('\n', out) == EOF)
      st = invdes_error_set(&err, INVDES_ERR_IO, "writing the export failed");
    json_decref(arr);
  }
  int close_bad = 0;
  if (out && out != stdout) {
    close_bad = fflush(out) != 0 || fsync(fileno(out)) != 0;
    close_bad |= fclose(out) != 0;
  }
  if (close_bad && st == INVDES_OK)
    st = invdes_error_set(&err, INVDES_ERR_IO, "%s: cannot write: %s", out_path, strerror(errno));
  if (tmp && st == INVDES_OK && rename(tmp, out_path) != 0)
    st = invdes_error_set(&err, INVDES_ERR_IO, "%s: cannot write: %s", out_path, strerror(errno));
  if (tmp && st != INVDES_OK) unlink(tmp);
  free(tmp);
  if (st != INVDES_OK) {
    fprintf(stderr, "invdes export: %s\n", err.message);
    rc = invdes_cli_exit_for(st);
    if (st == INVDES_ERR_IO) rc = INVDES_EXIT_FAILURE;
  }
  json_decref(units);
  json_decref(versions);
  invdes_store_rows_free(rows);
  invdes_store_close(s);
  return rc;
}
