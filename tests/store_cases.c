/* store_cases.c — the fixture every test_store*.c program shares
 * (store_cases.h): a store made from store_fixture.h's campaign with a fake
 * clock, a scripted proposer, and readers that look at the database file
 * through a second connection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_cases.h"

double fake_clock(void *data) { return *(double *)data; }

int setup(void **state) {
  ctx *c = calloc(1, sizeof *c);
  if (!c || store_fixture_tmp(c->dir, c->db, sizeof c->dir) != 0) return -1;
  store_fixture_init(&c->f);
  invdes_error err;
  c->s = invdes_store_create(c->db, &c->f.c, &err);
  if (!c->s) {
    fprintf(stderr, "%s\n", err.message);
    return -1;
  }
  c->now = 1.7e9;
  invdes_store_set_clock(c->s, fake_clock, &c->now);
  *state = c;
  return 0;
}

int teardown(void **state) {
  ctx *c = *state;
  invdes_store_close(c->s);
  store_fixture_cleanup(c->dir, c->db);
  free(c);
  return 0;
}

/* Makes n proposals with x = k/100, y = 1 - x, a prediction for capacity
 * only, and acquisition k (k counts proposals made in this test). */
invdes_status propose(invdes_store *s, size_t n, const char *station, double lease,
                             void *data, invdes_error *err) {
  ctx *c = data;
  invdes_store_new_proposal p[16];
  char json[16][96];
  double z[16][2], mean[16][3], sd[16][3];
  assert_true(n <= 16);
  for (size_t i = 0; i < n; i++) {
    int k = c->iteration * 16 + (int)i;
    z[i][0] = k / 100.0;
    z[i][1] = 1 - k / 100.0;
    snprintf(json[i], sizeof json[i], "{\"x\": %.17g, \"y\": %.17g}", z[i][0], z[i][1]);
    mean[i][0] = 100 + k;
    sd[i][0] = 5;
    mean[i][1] = mean[i][2] = sd[i][1] = sd[i][2] = NAN;
    p[i] = (invdes_store_new_proposal){json[i], z[i], 2, mean[i], sd[i], (double)k};
  }
  return invdes_store_insert(s, c->iteration++, "random", p, n, station, lease, NULL, NULL, err);
}

invdes_store_rows *ask(ctx *c, const char *station, double lease, size_t n) {
  invdes_error err;
  invdes_store_rows *rows = NULL;
  invdes_status st = invdes_store_ask(c->s, station, lease, n, propose, c, &rows, &err);
  if (st != INVDES_OK) fprintf(stderr, "%s\n", err.message);
  assert_int_equal(st, INVDES_OK);
  return rows;
}

void tell_value(ctx *c, int64_t id, const char *target, double v) {
  invdes_error err;
  invdes_store_value val = {target, v, NAN};
  /* reported by the proposal's holder, as a station does */
  invdes_store_rows *held = NULL;
  assert_int_equal(invdes_store_get(c->s, &id, 1, &held, &err), INVDES_OK);
  invdes_store_tell_req r = {.id = id, .kind = INVDES_TELL_RESULT, .values = &val,
                             .n_values = 1, .source = "test", .station = held->items[0].station};
  invdes_status st = invdes_store_tell(c->s, &r, &err);
  invdes_store_rows_free(held);
  if (st != INVDES_OK) fprintf(stderr, "%s\n", err.message);
  assert_int_equal(st, INVDES_OK);
}

/* A digest of every row of every table, read through a second connection. */
void rows_checksum(const char *db, char out[INVDES_SHA256_HEX]) {
  static const char *const tables[] = {"campaign", "variables", "targets", "proposals",
                                       "predictions", "results", "events", "strategy_state"};
  sqlite3 *h = NULL;
  assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  invdes_sha256 h256;
  invdes_sha256_init(&h256);
  for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT * FROM %s ORDER BY 1, 2", tables[t]);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
      for (int i = 0; i < sqlite3_column_count(st); i++) {
        int type = sqlite3_column_type(st, i);
        invdes_sha256_update(&h256, &type, sizeof type);
        const void *b = sqlite3_column_blob(st, i);
        invdes_sha256_update(&h256, b ? b : "", (size_t)sqlite3_column_bytes(st, i));
        double d = sqlite3_column_double(st, i);
        invdes_sha256_update(&h256, &d, sizeof d);
      }
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(h);
  unsigned char d[INVDES_SHA256_BYTES];
  invdes_sha256_final(&h256, d);
  invdes_sha256_to_hex(d, out);
}

int64_t sql_int(const char *db, const char *sql) {
  sqlite3 *h = NULL;
  sqlite3_stmt *st = NULL;
  assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  int64_t v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(h);
  return v;
}

void write_file(const char *path, const char *text, size_t len) {
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(text, 1, len, f), len);
  fclose(f);
}

static int count_cb(const invdes_store_event_row *row, void *data) {
  (void)row;
  (*(int64_t *)data)++;
  return 0;
}

int64_t count_events(ctx *c, const char *kind) {
  int64_t n = 0;
  invdes_error err;
  assert_int_equal(invdes_store_events(c->s, 0, kind, count_cb, &n, &err), INVDES_OK);
  return n;
}
