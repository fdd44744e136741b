/* driver_cases.c — the fixture of the driver's test programs
 * (driver_cases.h): a scratch folder, the invdes binary, campaign files
 * written from templates, and readers of a run's database. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "driver_cases.h"

char dir[256];

static char bin[4096];

const char *invdes_bin(void) { return bin; }

const char *srcdir(void) {
  const char *p = getenv("top_srcdir");
  return p && *p ? p : ".";
}

char *path_in(const char *name) {
  static char buf[8][512];
  static int k;
  k = (k + 1) % 8;
  snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
  return buf[k];
}

void write_file(const char *path, const char *fmt, ...) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  va_list ap;
  va_start(ap, fmt);
  vfprintf(f, fmt, ap);
  va_end(ap);
  assert_int_equal(fclose(f), 0);
}

const char branin_fmt[] =
    "name: branin-test\n"
    "description: %s\n"
    "seed: 3\n"
    "parameters:\n"
    "  - {name: x1, type: continuous, bounds: [%s, 10]}\n"
    "  - {name: x2, type: continuous, bounds: [0, 15]}\n"
    "targets:\n"
    "  - {name: f, goal: minimize}\n"
    "objective: {kind: builtin, name: branin, noise: 0.1}\n"
    "strategy: {kind: %s, batch: %d}\n"
    "budget: {evaluations: %d}\n";

invdes_driver *open_run(const char *yaml, const char *db, invdes_error *notes,
                               invdes_error *err) {
  invdes_error_clear(err);
  if (notes) invdes_error_clear(notes);
  return invdes_driver_open(yaml, db, INVDES_DRIVER_CREATE | INVDES_DRIVER_EVALUATE, NULL, notes,
                            err);
}

invdes_run_end run_ok(invdes_driver *d, const invdes_run_options *opt) {
  static invdes_error err;
  invdes_error_clear(&err);
  invdes_run_end end = INVDES_RUN_INTERRUPTED;
  if (invdes_driver_run(d, opt, &end, &err) != INVDES_OK) fail_msg("%s", err.message);
  return end;
}

invdes_store_rows *rows_of(invdes_store *s) {
  invdes_store_rows *rows = NULL;
  invdes_error err;
  invdes_error_clear(&err);
  if (invdes_store_list(s, INVDES_PROPOSAL_ANY, 0, &rows, &err) != INVDES_OK)
    fail_msg("%s", err.message);
  return rows;
}

static int count_event(const invdes_store_event_row *row, void *data) {
  event_count *c = data;
  c->n++;
  snprintf(c->last, sizeof c->last, "%s%s%s", row->message ? row->message : "",
           row->stderr_text ? " | " : "", row->stderr_text ? row->stderr_text : "");
  return 0;
}

event_count events(invdes_store *s, const char *kind) {
  event_count c = {kind, 0, ""};
  assert_int_equal(invdes_store_events(s, 0, kind, count_event, &c, NULL), INVDES_OK);
  return c;
}


int setup(void **state) {
  const char *p = getenv("INVDES");
  if (!realpath(p && *p ? p : "./invdes", bin)) return -1;
  snprintf(dir, sizeof dir, "%s/invdes-driver-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  return mkdtemp(dir) ? 0 : -1;
}

int teardown(void **state) {
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  return system(cmd) == 0 ? 0 : -1;
}
