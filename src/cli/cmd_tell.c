/* cmd_tell.c — `invdes tell`: report what became of a proposal (measured
 * values, a failure, or giving it back unrun), one on the command line or
 * many from a results file, into a campaign database. Every tell is one
 * transaction: a refused report (or one bad row of a file) leaves the
 * database exactly as it was. Parsing is tell_input.h's, judging the
 * reports the store's; this file reads the command line and prints. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_options.h"
#include "cli_station.h"
#include "commands.h"
#include "report.h"
#include "store.h"
#include "tell_input.h"

static const char tell_usage[] =
    "usage: invdes tell --db FILE ID NAME=VALUE... [--sd NAME=VALUE]...\n"
    "       invdes tell --db FILE ID --failed REASON\n"
    "       invdes tell --db FILE ID --abandon [--reason TEXT]\n"
    "       invdes tell --db FILE ID --close\n"
    "       invdes tell --db FILE --from RESULTS.csv|RESULTS.json\n\n"
    "Records what became of proposal ID (as printed by `invdes ask`): values\n"
    "measured for some or all targets (the proposal is `partial` until every\n"
    "target is reported or it is closed), a failed experiment, or the proposal\n"
    "given back unrun (the next ask offers it again). --from records a whole\n"
    "file of reports, all or none. While a proposal's lease lasts, only the\n"
    "station holding it (--station, as given to ask) may report on it; others\n"
    "are refused with exit status 3. A result after the lease ran out is still\n"
    "accepted, once per target.\n\n"
    "  -d, --db FILE        the campaign database (required; never created)\n"
    "  --sd NAME=SD         standard deviation of the value of target NAME\n"
    "                       (repeat for several targets)\n"
    "  --failed REASON      the experiment was run and failed\n"
    "  -a, --abandon        give the proposal back unrun\n"
    "  -r, --reason TEXT    why it was given back (with --abandon)\n"
    "  --close              finish a partial proposal as it is (alone), or with\n"
    "                       the values given: the missing targets stay missing\n"
    "                       and it counts as a result for the budget\n"
    "  -F, --from FILE      reports from a CSV or JSON file (see below);\n"
    "                       - reads them from standard input\n"
    "  -c, --campaign NAME  the campaign the report is meant for: refused unless\n"
    "                       the database holds that campaign\n"
    "  -s, --station NAME   who reports: the station holding the proposal\n"
    "                       (recorded as source station:NAME and in the log)\n"
    "  -q, --quiet          print nothing on success\n"
    "  -h, --help           this text\n"
    "  -V, --version        print the version\n\n"
    "RESULTS.csv: a header row with `id`, any target names (empty cell: not\n"
    "measured), `<target>_sd`, `failed` (a reason; the row's values then stay\n"
    "empty) and `campaign`. RESULTS.json: an array of {\"id\": 17, \"values\":\n"
    "{\"capacity\": 182.3}, \"sd\": {\"capacity\": 1.5}}, {\"id\": 18, \"failed\":\n"
    "\"REASON\"}, {\"id\": 19, \"abandon\": true} or {\"id\": 20, \"capacity\": 175}\n"
    "(the evaluator's own output with the id added), or {\"campaign\": NAME,\n"
    "\"results\": [...]}. Files starting with '[' or '{' are read as JSON.\n\n"
    "A value must be a finite number; a target may be reported once.\n";

typedef struct tell_args {
  const char *db, *from, *failed, *reason, *campaign, *station;
  int abandon, quiet, close;
  char **sd_args;
  size_t n_sd;
} tell_args;

static int usage_error(const char *fmt, const char *arg) {
  char msg[1024];
  snprintf(msg, sizeof msg, fmt, arg);
  return invdes_cli_usage_error("tell", "%s", msg);
}

/* Builds the single report of the command line into `in`. */
static int command_line_report(const tell_args *a, int argc, char **argv, const char *source,
                               invdes_tell_input *in) {
  int64_t id;
  if (invdes_tell_parse_id(argv[0], &id))
    return usage_error("'%s' is not a proposal id (a whole number >= 1)", argv[0]);
  const size_t n = (size_t)argc - 1;
  if ((a->failed || a->abandon) && a->close)
    return usage_error("%s: a failed or given-back proposal is closed already", "--close");
  if (a->failed || a->abandon || (a->close && !n)) {
    if (n) return usage_error("'%s': values go with neither --failed nor --abandon", argv[1]);
    if (a->n_sd) return usage_error("%s: --sd goes with values only", "--sd");
    if (a->failed && !*a->failed) return usage_error("%s needs a reason", "--failed");
  } else if (!n) {
    return usage_error("proposal %s: give NAME=VALUE..., --failed REASON, --abandon or --close",
                       argv[0]);
  }
  if (a->reason && !a->abandon) return usage_error("%s goes with --abandon", "--reason");
  invdes_error err;
  invdes_error_clear(&err);
  invdes_store_value *vals = calloc(n + 1, sizeof *vals);
  char **names = calloc(n + a->n_sd + 1, sizeof *names);
  int rc = INVDES_EXIT_OK;
  if (!vals || !names) {
    fprintf(stderr, "invdes tell: out of memory\n");
    rc = INVDES_EXIT_FAILURE;
  }
  for (size_t i = 0; rc == INVDES_EXIT_OK && i < n; i++) {
    if (invdes_tell_parse_assignment(argv[1 + i], &names[i], &vals[i].value, &err)) {
      fprintf(stderr, "invdes tell: %s\n", err.message);
      rc = invdes_cli_exit_for(err.status);
      break;
    }
    vals[i].target = names[i];
    vals[i].sd = NAN;
  }
  for (size_t k = 0; rc == INVDES_EXIT_OK && k < a->n_sd; k++) {
    double sd;
    char **name = &names[n + k];
    if (invdes_tell_parse_assignment(a->sd_args[k], name, &sd, &err)) {
      fprintf(stderr, "invdes tell: --sd %s\n", err.message);
      rc = invdes_cli_exit_for(err.status);
      break;
    }
    size_t i = 0;
    while (i < n && strcmp(vals[i].target, *name) != 0) i++;
    if (i == n) {
      fprintf(stderr, "invdes tell: --sd %s: no value given for '%s'\n", a->sd_args[k], *name);
      rc = INVDES_EXIT_USAGE;
    } else if (!isnan(vals[i].sd)) {
      fprintf(stderr, "invdes tell: --sd given twice for '%s'\n", *name);
      rc = INVDES_EXIT_USAGE;
    } else {
      vals[i].sd = sd;
    }
  }
  if (rc == INVDES_EXIT_OK) {
    invdes_tell_kind kind = a->failed    ? INVDES_TELL_FAILED
                            : a->abandon ? INVDES_TELL_ABANDON
                            : n == 0     ? INVDES_TELL_CLOSE
                                         : INVDES_TELL_RESULT;
    if (invdes_tell_input_add(in, id, kind, vals, n, a->failed ? a->failed : a->reason, source,
                              a->campaign, &err)) {
      fprintf(stderr, "invdes tell: %s\n", err.message);
      rc = invdes_cli_exit_for(err.status);
    }
  }
  for (size_t i = 0; names && i < n + a->n_sd; i++) free(names[i]);
  free(names);
  free(vals);
  return rc;
}

static void print_outcome(invdes_store *s, const invdes_tell_input *in, const char *from) {
  const invdes_store_tell_req *r = invdes_tell_input_reqs(in);
  const size_t n = invdes_tell_input_n(in);
  if (from) {
    size_t res = 0, vals = 0, fail = 0, back = 0;
    for (size_t i = 0; i < n; i++) {
      res += r[i].kind == INVDES_TELL_RESULT;
      vals += r[i].n_values;
      fail += r[i].kind == INVDES_TELL_FAILED;
      back += r[i].kind == INVDES_TELL_ABANDON;
    }
    printf("%s: recorded %zu report%s: %zu result%s (%zu value%s), %zu failure%s, "
           "%zu given back\n", strcmp(from, "-") ? from : "standard input", n, n == 1 ? "" : "s", res, res == 1 ? "" : "s", vals,
           vals == 1 ? "" : "s", fail, fail == 1 ? "" : "s", back);
    return;
  }
  char num[INVDES_REPORT_NUM_MAX];
  switch (r->kind) {
  case INVDES_TELL_CLOSE: printf("proposal %" PRId64 ": closed\n", r->id); break;
  case INVDES_TELL_RESULT: {
    /* done, or partial while targets are missing: as the store now says */
    invdes_store_rows *now = NULL;
    invdes_status st = invdes_store_get(s, &r->id, 1, &now, NULL);
    printf("proposal %" PRId64 ": %s:", r->id,
           st == INVDES_OK ? invdes_proposal_status_name(now->items[0].status) : "recorded");
    invdes_store_rows_free(now);
    for (size_t i = 0; i < r->n_values; i++) {
      invdes_decimal_format(r->values[i].value, num);
      printf(" %s=%s", r->values[i].target, num);
      if (!isnan(r->values[i].sd)) {
        invdes_decimal_format(r->values[i].sd, num);
        printf(" (sd %s)", num);
      }
    }
    putchar('\n');
    break;
  }
  case INVDES_TELL_FAILED: printf("proposal %" PRId64 ": failed: %s\n", r->id, r->reason); break;
  case INVDES_TELL_ABANDON:
    printf("proposal %" PRId64 ": given back; the next ask offers it again\n", r->id);
    break;
  }
}

int invdes_cmd_tell(int argc, char **argv) {
  tell_args a = {0};
  char **sd_args = calloc((size_t)argc + 1, sizeof *sd_args);
  if (!sd_args) {
    fprintf(stderr, "invdes tell: out of memory\n");
    return INVDES_EXIT_FAILURE;
  }
  a.sd_args = sd_args;
  /* -s was --sd and -f --failed before the tool's short options were made
   * one map; -S was the station. */
  const invdes_cli_opt opts[] = {
      INVDES_CLI_OPT("db", "FILE", INVDES_OPT_TEXT, &a.db, .required = 1),
      INVDES_CLI_OPT("sd", "NAME=SD", INVDES_OPT_LIST, sd_args, .n = &a.n_sd),
      INVDES_CLI_OPT("failed", "REASON", INVDES_OPT_TEXT, &a.failed, .retired = 'f'),
      INVDES_CLI_OPT("abandon", NULL, INVDES_OPT_FLAG, &a.abandon),
      INVDES_CLI_OPT("close", NULL, INVDES_OPT_FLAG, &a.close),
      INVDES_CLI_OPT("reason", "TEXT", INVDES_OPT_TEXT, &a.reason),
      INVDES_CLI_OPT("from", "FILE", INVDES_OPT_TEXT, &a.from),
      INVDES_CLI_OPT("campaign", "NAME", INVDES_OPT_TEXT, &a.campaign),
      INVDES_CLI_OPT("station", "NAME", INVDES_OPT_NAME, &a.station, .retired = 'S'),
      INVDES_CLI_OPT("quiet", NULL, INVDES_OPT_FLAG, &a.quiet),
      {NULL}};
  int first = 1, rc = invdes_cli_parse("tell", tell_usage, opts, argc, argv, &first);
  if (rc != -1) {
    free(sd_args);
    return rc;
  }
  rc = INVDES_EXIT_OK;
  if (rc == INVDES_EXIT_OK) {
    if (a.failed && a.abandon) rc = usage_error("%s: give one of them", "--failed and --abandon");
    else if (a.from && first != argc)
      rc = usage_error("'%s': --from takes no id or values on the command line", argv[first]);
    else if (a.from && (a.failed || a.abandon || a.n_sd || a.reason || a.close))
      rc = usage_error("%s: the file says it per report", "--from");
    else if (!a.from && first == argc)
      rc = usage_error("%s", "give a proposal id, or --from FILE");
  }
  char *source = NULL;
  if (rc == INVDES_EXIT_OK) {
    const char *who = a.station ? a.station : NULL;
    size_t len = (who ? strlen(who) : 0) + 16;
    source = malloc(len);
    if (!source) rc = INVDES_EXIT_FAILURE;
    else if (who) snprintf(source, len, "station:%s", who);
    else snprintf(source, len, "%s", a.from ? "tell-file" : "tell");
  }
  invdes_tell_input *in = rc == INVDES_EXIT_OK ? invdes_tell_input_new() : NULL;
  if (rc == INVDES_EXIT_OK && !in) rc = INVDES_EXIT_FAILURE;
  /* Command-line syntax is checked before the database is opened. */
  if (rc == INVDES_EXIT_OK && !a.from)
    rc = command_line_report(&a, argc - first, argv + first, source, in);
  invdes_store *s = NULL;
  if (rc == INVDES_EXIT_OK) s = invdes_cli_open_db("tell", a.db, &rc);
  invdes_error err;
  invdes_error_clear(&err);
  if (rc == INVDES_EXIT_OK && a.from) {
    const size_t nt = invdes_store_n_targets(s);
    const char **names = calloc(nt + 1, sizeof *names);
    for (size_t t = 0; names && t < nt; t++) names[t] = invdes_store_target_name(s, t);
    invdes_status st = names ? invdes_tell_input_read(in, a.from, names, nt, source, &err)
                             : INVDES_ERR_NOMEM;
    free(names);
    if (st != INVDES_OK) {
      fprintf(stderr, "invdes tell: %s\n", st == INVDES_ERR_NOMEM ? "out of memory" : err.message);
      fprintf(stderr, "invdes tell: nothing was recorded\n");
      rc = invdes_cli_exit_for(st);
    }
    /* The option names the campaign for every report that does not. */
    if (rc == INVDES_EXIT_OK && a.campaign &&
        invdes_tell_input_default_campaign(in, a.campaign, &err) != INVDES_OK) {
      fprintf(stderr, "invdes tell: %s\n", err.message);
      rc = INVDES_EXIT_FAILURE;
    }
  }
  if (rc == INVDES_EXIT_OK && invdes_tell_input_set_station(in, a.station, a.close, &err)) {
    fprintf(stderr, "invdes tell: out of memory\n");
    rc = INVDES_EXIT_FAILURE;
  }
  if (rc == INVDES_EXIT_OK) {
    /* A file is one transaction: the store names the refused report and
     * says that none was recorded. */
    invdes_status st = a.from ? invdes_store_tell_many(s, invdes_tell_input_reqs(in),
                                                       invdes_tell_input_n(in), &err)
                              : invdes_store_tell(s, invdes_tell_input_reqs(in), &err);
    if (st != INVDES_OK) {
      fprintf(stderr, "invdes tell: %s\n", err.message);
      if (!a.from) fprintf(stderr, "invdes tell: nothing was recorded\n");
      rc = invdes_cli_exit_for(st);
    } else if (!a.quiet) {
      print_outcome(s, in, a.from);
    }
  }
  invdes_store_close(s);
  invdes_tell_input_free(in);
  free(source);
  free(sd_args);
  return rc;
}
