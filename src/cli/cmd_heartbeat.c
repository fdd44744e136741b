/* cmd_heartbeat.c — `invdes heartbeat`: a station still working on pending
 * proposals extends their leases, so a later ask does not offer them to
 * another station. Several ids are extended in one transaction (all or
 * none). The lease rules are the store's (invdes_store_heartbeat). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli_options.h"
#include "cli_station.h"
#include "commands.h"
#include "report.h"
#include "store.h"
#include "tell_input.h"

/* Seconds a heartbeat extends a lease by when --lease is not given. */
#define HEARTBEAT_DEFAULT_LEASE 86400.0

static const char heartbeat_usage[] =
    "usage: invdes heartbeat --db FILE ID... [--station NAME] [--lease SECONDS]\n\n"
    "Extends the lease of pending proposals: each stays with its station until\n"
    "now + SECONDS. A proposal whose lease has passed is offered again by the\n"
    "next ask (its result is still accepted once when it arrives late).\n\n"
    "  -d, --db FILE         the campaign database (required; never created)\n"
    "  -s, --station NAME    the station holding the proposals: only it may\n"
    "                        extend their leases (another gets exit status 3)\n"
    "  -l, --lease SECONDS   the new lease from now, 1 to 315576000 (ten years;\n"
    "                        default 86400, as ask)\n"
    "  -q, --quiet           print nothing on success\n"
    "  -h, --help            this text\n"
    "  -V, --version         print the version\n\n"
    "Prints one line per id: \"ID lease until YYYY-MM-DDTHH:MM:SSZ\" (UTC).\n"
    "Nothing is extended unless every id is.\n";

typedef struct beat {
  const int64_t *ids;
  size_t n;
  const char *station;
  double lease;
  double *expires;
} beat;

static invdes_status beat_all(invdes_store *s, void *data, invdes_error *err) {
  beat *b = data;
  for (size_t i = 0; i < b->n; i++) {
    invdes_status st = invdes_store_heartbeat(s, b->ids[i], b->station, b->lease,
                                              &b->expires[i], err);
    if (st != INVDES_OK) return st;
  }
  return INVDES_OK;
}

int invdes_cmd_heartbeat(int argc, char **argv) {
  const char *db = NULL, *station = NULL;
  double lease = HEARTBEAT_DEFAULT_LEASE;
  int quiet = 0, first;
  const invdes_cli_opt opts[] = {
      INVDES_CLI_OPT("db", "FILE", INVDES_OPT_TEXT, &db, .required = 1),
      INVDES_CLI_OPT("station", "NAME", INVDES_OPT_NAME, &station, .retired = 'S'),
      INVDES_CLI_OPT("lease", "SECONDS", INVDES_OPT_SECONDS, &lease, .lo = 1,
                     .hi = INVDES_STORE_LEASE_MAX),
      INVDES_CLI_OPT("quiet", NULL, INVDES_OPT_FLAG, &quiet),
      {NULL}};
  int early = invdes_cli_parse("heartbeat", heartbeat_usage, opts, argc, argv, &first);
  if (early != -1) return early;
  if (first == argc) return invdes_cli_usage_error("heartbeat", "give the ids of the proposals");
  const size_t n = (size_t)(argc - first);
  int64_t *ids = calloc(n, sizeof *ids);
  double *expires = calloc(n, sizeof *expires);
  if (!ids || !expires) {
    free(ids);
    free(expires);
    fprintf(stderr, "invdes heartbeat: out of memory\n");
    return INVDES_EXIT_FAILURE;
  }
  int rc = INVDES_EXIT_OK;
  for (size_t i = 0; i < n && rc == INVDES_EXIT_OK; i++)
    if (invdes_tell_parse_id(argv[first + (int)i], &ids[i])) {
      fprintf(stderr, "invdes heartbeat: '%s' is not a proposal id (a whole number >= 1)\n",
              argv[first + (int)i]);
      rc = INVDES_EXIT_USAGE;
    }
  invdes_store *s = rc == INVDES_EXIT_OK ? invdes_cli_open_db("heartbeat", db, &rc) : NULL;
  if (s) {
    invdes_error err;
    invdes_error_clear(&err);
    beat b = {ids, n, station, lease, expires};
    invdes_status st = invdes_store_transaction(s, beat_all, &b, &err);
    if (st != INVDES_OK) {
      fprintf(stderr, "invdes heartbeat: %s\n", err.message);
      if (n > 1) fprintf(stderr, "invdes heartbeat: no lease was extended\n");
      rc = invdes_cli_exit_for(st);
    } else if (!quiet) {
      char when[INVDES_REPORT_NUM_MAX];
      for (size_t i = 0; i < n; i++) {
        invdes_report_time(expires[i], when);
        printf("%" PRId64 " lease until %s\n", ids[i], when);
      }
    }
  }
  invdes_store_close(s);
  free(ids);
  free(expires);
  return rc;
}
