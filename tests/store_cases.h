/* store_cases.h — the fixture of the store's test programs (test_store.c,
 * test_store_tell.c, test_store_log.c, test_store_check.c): each test gets a
 * fresh database made from store_fixture.h's campaign, a fake clock it moves
 * by hand, and helpers that ask, tell and read the file back. Test code only:
 * the helpers fail the running cmocka test on any error. */
#ifndef INVDES_STORE_CASES_H
#define INVDES_STORE_CASES_H

#include <stddef.h>
#include <stdint.h>

#include "sha256.h"
#include "store.h"
#include "store_fixture.h"

typedef struct ctx {
  char dir[4096], db[4200];
  store_fixture f;
  invdes_store *s;
  double now;      /* the store's clock, seconds */
  int iteration;   /* proposals made so far come from iterations 0..iteration-1 */
} ctx;

/* cmocka setup and teardown: *state becomes a ctx with an open store at
 * now = 1.7e9; teardown closes it and removes the folder. */
int setup(void **state);
int teardown(void **state);

/* The proposer handed to invdes_store_ask (data is the ctx): n <= 16
 * proposals with x = k/100, y = 1 - x, a prediction for capacity only and
 * acquisition k, k counting the proposals of the test. */
invdes_status propose(invdes_store *s, size_t n, const char *station, double lease, void *data,
                      invdes_error *err);

/* Asks for n proposals for station with the lease; the caller frees the rows. */
invdes_store_rows *ask(ctx *c, const char *station, double lease, size_t n);

/* Tells one value of one target of proposal id, as its holder (station). */
void tell_value(ctx *c, int64_t id, const char *target, double v);

/* A digest of every row of every table, read through a second connection. */
void rows_checksum(const char *db, char out[INVDES_SHA256_HEX]);

/* The first column of the first row of sql on db (read-only). */
int64_t sql_int(const char *db, const char *sql);

/* Writes len bytes of text to path. */
void write_file(const char *path, const char *text, size_t len);

/* Events of the kind (NULL: every kind) in the log. */
int64_t count_events(ctx *c, const char *kind);

#endif
