/* driver_cases.h — what test_driver.c and test_driver_ask.c share: a
 * scratch folder made by setup and removed by teardown (cmocka group
 * fixtures), the invdes binary under test ($INVDES, made absolute), campaign
 * files written from a template, and helpers that open, run and read a
 * campaign database. Test code only: helpers fail the running test on an
 * error. */
#ifndef INVDES_DRIVER_CASES_H
#define INVDES_DRIVER_CASES_H

#include "driver.h"
#include "store.h"

/* The scratch folder of the test program. */
extern char dir[256];

/* The program under test, absolute (some tests run it from another folder). */
const char *invdes_bin(void);
/* $top_srcdir, or "." */
const char *srcdir(void);
/* dir/name in one of 8 rotating static buffers. */
char *path_in(const char *name);
/* Writes the formatted text to path. */
void write_file(const char *path, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A builtin Branin campaign: description (%s), lower bound of x1 (%s),
 * strategy kind (%s), batch (%d), budget (%d). */
extern const char branin_fmt[];

/* Opens (creating) the database of yaml for running. */
invdes_driver *open_run(const char *yaml, const char *db, invdes_error *notes,
                        invdes_error *err);
/* Runs to the end; fails the test on an error. */
invdes_run_end run_ok(invdes_driver *d, const invdes_run_options *opt);
/* Every proposal of the store; the caller frees. */
invdes_store_rows *rows_of(invdes_store *s);

typedef struct event_count {
  const char *kind;
  int n;
  char last[512];
} event_count;

/* The number of events of the kind (NULL: all) and the latest one's text. */
event_count events(invdes_store *s, const char *kind);

int setup(void **state);
int teardown(void **state);

#endif
