/* test_store.c — the campaign database as a user of `invdes init/ask/tell/
 * heartbeat/status/best` and a resumed run would notice it: files are made,
 * reopened and refused clearly; ask/tell cycles record what they should;
 * every refused report leaves the rows exactly as they were; leases expire
 * and proposals are offered again under the same id; best values follow each
 * target's goal; changed campaign files are judged. Concurrency is in
 * test_store_concurrency.c. */
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
#include <sys/stat.h>

#include "sha256.h"
#include "store.h"
#include "store_fixture.h"
#include "strategy.h"

typedef struct ctx {
  char dir[4096], db[4200];
  store_fixture f;
  invdes_store *s;
  double now;
  int iteration;
} ctx;

static double fake_clock(void *data) { return *(double *)data; }

static int setup(void **state) {
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

static int teardown(void **state) {
  ctx *c = *state;
  invdes_store_close(c->s);
  store_fixture_cleanup(c->dir, c->db);
  free(c);
  return 0;
}

/* Makes n proposals with x = k/100, y = 1 - x, a prediction for capacity
 * only, and acquisition k (k counts proposals made in this test). */
static invdes_status propose(invdes_store *s, size_t n, const char *station, double lease,
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

static invdes_store_rows *ask(ctx *c, const char *station, double lease, size_t n) {
  invdes_error err;
  invdes_store_rows *rows = NULL;
  invdes_status st = invdes_store_ask(c->s, station, lease, n, propose, c, &rows, &err);
  if (st != INVDES_OK) fprintf(stderr, "%s\n", err.message);
  assert_int_equal(st, INVDES_OK);
  return rows;
}

static void tell_value(ctx *c, int64_t id, const char *target, double v) {
  invdes_error err;
  invdes_store_value val = {target, v, NAN};
  invdes_store_tell_req r = {.id = id, .kind = INVDES_TELL_RESULT, .values = &val,
                             .n_values = 1, .source = "test"};
  invdes_status st = invdes_store_tell(c->s, &r, &err);
  if (st != INVDES_OK) fprintf(stderr, "%s\n", err.message);
  assert_int_equal(st, INVDES_OK);
}

/* A digest of every row of every table, read through a second connection. */
static void rows_checksum(const char *db, char out[INVDES_SHA256_HEX]) {
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

static int64_t sql_int(const char *db, const char *sql) {
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

static void write_file(const char *path, const char *text, size_t len) {
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(text, 1, len, f), len);
  fclose(f);
}

/* ---- creating and opening ---------------------------------------------- */

static void test_create_and_reopen(void **state) {
  ctx *c = *state;
  char hex[INVDES_SHA256_HEX];
  invdes_sha256_hex(c->f.c.text, c->f.c.text_len, hex);
  assert_string_equal(invdes_store_campaign_sha256(c->s), hex);
  invdes_store_close(c->s);
  invdes_error err;
  c->s = invdes_store_open(c->db, &err);
  assert_non_null(c->s);
  assert_string_equal(invdes_store_campaign_name(c->s), "fixture");
  assert_string_equal(invdes_store_campaign_text(c->s), c->f.c.text);
  assert_int_equal(invdes_store_n_targets(c->s), 3);
  assert_string_equal(invdes_store_target_name(c->s, 1), "voltage");
  assert_int_equal(invdes_store_target_goal(c->s, 2), INVDES_GOAL_BELOW);
  assert_int_equal(invdes_store_n_variables(c->s), 2);
  assert_string_equal(invdes_store_variable_name(c->s, 1), "y");
  assert_int_equal(sql_int(c->db, "PRAGMA user_version"), INVDES_STORE_SCHEMA_VERSION);
  sqlite3 *h = NULL;
  sqlite3_stmt *st = NULL;
  sqlite3_open(c->db, &h);
  sqlite3_prepare_v2(h, "PRAGMA journal_mode", -1, &st, NULL);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
  sqlite3_finalize(st);
  sqlite3_close(h);
  /* A second create on the same file is refused and changes nothing. */
  invdes_store *again = invdes_store_create(c->db, &c->f.c, &err);
  assert_null(again);
  assert_int_equal(err.status, INVDES_ERR_INVALID);
  assert_non_null(strstr(err.message, c->db));
  assert_non_null(strstr(err.message, "already holds a campaign"));
}

static void test_refused_files(void **state) {
  ctx *c = *state;
  char path[4300];
  invdes_error err;
  /* Missing. */
  snprintf(path, sizeof path, "%s/missing.db", c->dir);
  assert_null(invdes_store_open(path, &err));
  assert_int_equal(err.status, INVDES_ERR_IO);
  assert_non_null(strstr(err.message, path));
  /* Not SQLite at all. */
  snprintf(path, sizeof path, "%s/garbage.db", c->dir);
  const char junk[] = "name: this is a YAML file, not a database\nparameters: []\n";
  write_file(path, junk, sizeof junk - 1);
  assert_null(invdes_store_open(path, &err));
  assert_int_equal(err.status, INVDES_ERR_DB);
  assert_non_null(strstr(err.message, path));
  assert_non_null(strstr(err.message, "not a database"));
  assert_null(invdes_store_create(path, &c->f.c, &err));
  store_fixture_cleanup(c->dir, path);
  /* Another application's SQLite file. */
  snprintf(path, sizeof path, "%s/other.db", c->dir);
  sqlite3 *h = NULL;
  sqlite3_open(path, &h);
  assert_int_equal(sqlite3_exec(h, "CREATE TABLE t(a); INSERT INTO t VALUES (1)", NULL, NULL, NULL),
                   SQLITE_OK);
  sqlite3_close(h);
  assert_null(invdes_store_open(path, &err));
  assert_non_null(strstr(err.message, "not a campaign database"));
  assert_null(invdes_store_create(path, &c->f.c, &err));
  assert_int_equal(sql_int(path, "SELECT count(*) FROM sqlite_master"), 1);
  store_fixture_cleanup(c->dir, path);
  /* An empty file: open refuses it (no campaign), create turns it into a
   * version-1 database through the upgrade path 0 -> 1. */
  snprintf(path, sizeof path, "%s/empty.db", c->dir);
  write_file(path, "", 0);
  assert_null(invdes_store_open(path, &err));
  assert_non_null(strstr(err.message, "empty, not a campaign database"));
  struct stat sb;
  assert_int_equal(stat(path, &sb), 0);
  assert_int_equal(sb.st_size, 0); /* opening wrote nothing into it */
  invdes_store *s = invdes_store_create(path, &c->f.c, &err);
  assert_non_null(s);
  invdes_store_close(s);
  assert_int_equal(sql_int(path, "PRAGMA user_version"), 1);
  /* A newer schema than this build knows. */
  h = NULL;
  sqlite3_open(path, &h);
  assert_int_equal(sqlite3_exec(h, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(h);
  assert_null(invdes_store_open(path, &err));
  assert_int_equal(err.status, INVDES_ERR_INVALID);
  assert_non_null(strstr(err.message, "schema version 99 is newer"));
  store_fixture_cleanup(c->dir, path);
}

/* ---- ask and tell ------------------------------------------------------- */

static void test_ask_tell_cycle(void **state) {
  ctx *c = *state;
  invdes_store_rows *rows = ask(c, "robot", 600, 3);
  assert_int_equal(rows->n, 3);
  assert_int_equal(rows->n_targets, 3);
  for (size_t i = 0; i < 3; i++) {
    const invdes_store_proposal *p = &rows->items[i];
    assert_int_equal(p->id, (int64_t)i + 1);
    assert_int_equal(p->batch, 1);
    assert_int_equal(p->status, INVDES_PROPOSAL_PENDING);
    assert_string_equal(p->station, "robot");
    assert_true(p->lease_expires == c->now + 600);
    assert_int_equal(p->dim, 2);
    assert_true(p->z[0] == (double)i / 100.0); /* exact round trip */
    assert_true(p->pred_mean[0] == 100.0 + (double)i);
    assert_true(isnan(p->pred_mean[1]));
    assert_true(p->acquisition == (double)i);
    assert_non_null(strstr(p->parameters, "\"x\""));
    invdes_store_value v[3] = {{"capacity", 150.0 + (double)i, 2.5},
                               {"voltage", 3.7, NAN},
                               {"e_red", -3.4, NAN}};
    invdes_error err;
    invdes_store_tell_req r = {.id = p->id, .kind = INVDES_TELL_RESULT, .values = v,
                               .n_values = 3, .source = "station:robot", .campaign = "fixture"};
    assert_int_equal(invdes_store_tell(c->s, &r, &err), INVDES_OK);
  }
  invdes_store_rows_free(rows);
  invdes_error err;
  invdes_store_counts n;
  assert_int_equal(invdes_store_counts_get(c->s, &n, &err), INVDES_OK);
  assert_int_equal(n.proposals, 3);
  assert_int_equal(n.done, 3);
  assert_int_equal(n.pending, 0);
  assert_int_equal(n.results, 9);
  assert_int_equal(n.batches, 1);
  int64_t evaluated = 0;
  assert_int_equal(invdes_store_n_evaluated(c->s, &evaluated, &err), INVDES_OK);
  assert_int_equal(evaluated, 3);
  /* The history a strategy rebuilds from carries the measured values. */
  assert_int_equal(invdes_store_list(c->s, INVDES_PROPOSAL_DONE, 0, &rows, &err), INVDES_OK);
  assert_int_equal(rows->n, 3);
  assert_true(rows->items[2].value[0] == 152.0);
  assert_true(rows->items[2].sd[0] == 2.5);
  assert_true(isnan(rows->items[2].sd[1]));
  assert_true(rows->items[2].value[2] == -3.4);
  invdes_store_rows_free(rows);
  /* A second ask makes batch 2. */
  rows = ask(c, "robot", 600, 2);
  assert_int_equal(rows->n, 2);
  assert_int_equal(rows->items[0].id, 4);
  assert_int_equal(rows->items[0].batch, 2);
  invdes_store_rows_free(rows);
}

static void test_bad_tells_leave_db_unchanged(void **state) {
  ctx *c = *state;
  invdes_store_rows *rows = ask(c, "robot", 600, 3);
  invdes_store_rows_free(rows);
  tell_value(c, 1, "capacity", 120);
  invdes_error err;
  invdes_store_tell_req failed = {.id = 3, .kind = INVDES_TELL_FAILED, .reason = "cell shorted"};
  assert_int_equal(invdes_store_tell(c->s, &failed, &err), INVDES_OK);
  char before[INVDES_SHA256_HEX], after[INVDES_SHA256_HEX];
  rows_checksum(c->db, before);

  invdes_store_value cap = {"capacity", 130, NAN}, volt = {"voltage", 3.7, NAN};
  invdes_store_value unknown = {"capacitance", 1, NAN}, nan_v = {"voltage", NAN, NAN};
  invdes_store_value inf_v = {"voltage", INFINITY, NAN}, neg_sd = {"voltage", 3.7, -1};
  invdes_store_value twice[2] = {{"voltage", 3.7, NAN}, {"voltage", 3.8, NAN}};
  invdes_store_value good_then_dup[2] = {{"voltage", 3.7, NAN}, {"capacity", 99, NAN}};
  struct {
    invdes_store_tell_req r;
    const char *says;
  } bad[] = {
      {{.id = 999, .kind = INVDES_TELL_RESULT, .values = &cap, .n_values = 1}, "no proposal 999"},
      {{.id = 1, .kind = INVDES_TELL_RESULT, .values = &cap, .n_values = 1},
       "already has a result for 'capacity'"},
      {{.id = 1, .kind = INVDES_TELL_RESULT, .values = good_then_dup, .n_values = 2},
       "already has a result for 'capacity'"},
      {{.id = 2, .kind = INVDES_TELL_RESULT, .values = &unknown, .n_values = 1},
       "unknown target 'capacitance' (targets: capacity, voltage, e_red)"},
      {{.id = 2, .kind = INVDES_TELL_RESULT, .values = &nan_v, .n_values = 1}, "not a finite"},
      {{.id = 2, .kind = INVDES_TELL_RESULT, .values = &inf_v, .n_values = 1}, "not a finite"},
      {{.id = 2, .kind = INVDES_TELL_RESULT, .values = &neg_sd, .n_values = 1}, "sd of voltage"},
      {{.id = 2, .kind = INVDES_TELL_RESULT, .values = twice, .n_values = 2}, "given twice"},
      {{.id = 2, .kind = INVDES_TELL_RESULT, .values = &volt, .n_values = 1,
        .campaign = "other-campaign"}, "holds campaign 'fixture'"},
      {{.id = 2, .kind = INVDES_TELL_RESULT, .values = NULL, .n_values = 0}, "at least one value"},
      {{.id = 3, .kind = INVDES_TELL_RESULT, .values = &volt, .n_values = 1},
       "reported failed (cell shorted)"},
      {{.id = 2, .kind = INVDES_TELL_FAILED, .reason = ""}, "needs a reason"},
      {{.id = 1, .kind = INVDES_TELL_FAILED, .reason = "late"}, "already done"},
      {{.id = 1, .kind = INVDES_TELL_ABANDON}, "is done, not pending"},
      {{.id = 3, .kind = INVDES_TELL_ABANDON}, "is failed, not pending"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    invdes_error_clear(&err);
    assert_int_equal(invdes_store_tell(c->s, &bad[i].r, &err), INVDES_ERR_INVALID);
    if (!strstr(err.message, bad[i].says)) fail_msg("case %zu: %s", i, err.message);
    assert_non_null(strstr(err.message, c->db));
    rows_checksum(c->db, after);
    assert_string_equal(before, after);
  }
  /* Bulk: a good report followed by a bad one records neither. */
  invdes_store_tell_req bulk[2] = {
      {.id = 2, .kind = INVDES_TELL_RESULT, .values = &volt, .n_values = 1},
      {.id = 998, .kind = INVDES_TELL_RESULT, .values = &volt, .n_values = 1}};
  assert_int_equal(invdes_store_tell_many(c->s, bulk, 2, &err), INVDES_ERR_INVALID);
  assert_non_null(strstr(err.message, "report 2 of 2 (proposal 998)"));
  rows_checksum(c->db, after);
  assert_string_equal(before, after);
  /* The store still works afterwards, and the good report alone goes in. */
  assert_int_equal(invdes_store_tell_many(c->s, bulk, 1, &err), INVDES_OK);
  rows_checksum(c->db, after);
  assert_string_not_equal(before, after);
}

static void test_partial_results(void **state) {
  ctx *c = *state;
  invdes_store_rows_free(ask(c, "robot", 600, 1));
  tell_value(c, 1, "capacity", 140);
  invdes_error err;
  invdes_store_rows *rows = NULL;
  int64_t id = 1;
  assert_int_equal(invdes_store_get(c->s, &id, 1, &rows, &err), INVDES_OK);
  assert_int_equal(rows->items[0].status, INVDES_PROPOSAL_DONE);
  assert_true(rows->items[0].value[0] == 140);
  assert_true(isnan(rows->items[0].value[1]) && isnan(rows->items[0].value[2]));
  invdes_store_rows_free(rows);
  /* The missing targets may come later, each once. */
  tell_value(c, 1, "e_red", -3.5);
  assert_int_equal(invdes_store_get(c->s, &id, 1, &rows, &err), INVDES_OK);
  assert_true(rows->items[0].value[2] == -3.5);
  assert_true(isnan(rows->items[0].value[1]));
  invdes_store_rows_free(rows);
  invdes_store_counts n;
  assert_int_equal(invdes_store_counts_get(c->s, &n, &err), INVDES_OK);
  assert_int_equal(n.done, 1);
  assert_int_equal(n.results, 2);
}

static int64_t count_events(ctx *c, const char *kind);

static void test_abandon_and_expired_lease_reoffer_same_id(void **state) {
  ctx *c = *state;
  invdes_error err;
  invdes_store_rows *a = ask(c, "A", 60, 2); /* ids 1, 2 */
  invdes_store_rows *b = ask(c, "B", 60, 2); /* A's are leased: new ids 3, 4 */
  assert_int_equal(a->items[0].id, 1);
  assert_int_equal(b->items[0].id, 3);
  assert_int_equal(b->items[1].id, 4);
  invdes_store_rows_free(a);
  invdes_store_rows_free(b);
  invdes_store_tell_req give_back = {.id = 1, .kind = INVDES_TELL_ABANDON, .reason = "no Co left"};
  assert_int_equal(invdes_store_tell(c->s, &give_back, &err), INVDES_OK);
  invdes_store_counts n;
  assert_int_equal(invdes_store_counts_get(c->s, &n, &err), INVDES_OK);
  assert_int_equal(n.abandoned, 1);
  /* C gets the abandoned proposal back under its id, then a new one. */
  invdes_store_rows *r = ask(c, "C", 60, 2);
  assert_int_equal(r->n, 2);
  assert_int_equal(r->items[0].id, 1);
  assert_int_equal(r->items[0].offers, 2);
  assert_string_equal(r->items[0].station, "C");
  assert_int_equal(r->items[0].status, INVDES_PROPOSAL_PENDING);
  assert_true(r->items[0].z[0] == 0.0);
  assert_int_equal(r->items[1].id, 5);
  invdes_store_rows_free(r);
  /* C reports both; B keeps 3 alive; A's lease on 2 and B's on 4 expire and
   * D gets 2 (same id) before anything new. */
  tell_value(c, 1, "capacity", 101);
  tell_value(c, 5, "capacity", 105);
  assert_int_equal(invdes_store_heartbeat(c->s, 3, "B", 600, NULL, &err), INVDES_OK);
  c->now += 61;
  assert_int_equal(invdes_store_counts_get(c->s, &n, &err), INVDES_OK);
  assert_int_equal(n.pending, 3);
  assert_int_equal(n.pending_expired, 2);
  r = ask(c, "D", 60, 1);
  assert_int_equal(r->n, 1);
  assert_int_equal(r->items[0].id, 2);
  assert_string_equal(r->items[0].station, "D");
  invdes_store_rows_free(r);
  assert_int_equal(count_events(c, "offered_again"), 2);
  /* A's late result is accepted once; D's result then is a second one. */
  tell_value(c, 2, "capacity", 111);
  assert_int_equal(count_events(c, "late_result"), 0); /* D's lease is live */
  invdes_store_value v = {"capacity", 112, NAN};
  invdes_store_tell_req d = {.id = 2, .kind = INVDES_TELL_RESULT, .values = &v, .n_values = 1};
  assert_int_equal(invdes_store_tell(c->s, &d, &err), INVDES_ERR_INVALID);
  assert_non_null(strstr(err.message, "already has a result"));
  assert_int_equal(invdes_store_heartbeat(c->s, 2, "D", 60, NULL, &err), INVDES_ERR_INVALID);
  assert_non_null(strstr(err.message, "is done"));
  /* A late result for a proposal whose lease ran out and nobody took. */
  tell_value(c, 4, "capacity", 90);
  assert_int_equal(count_events(c, "late_result"), 1);
}

static void test_repeated_ask_returns_the_same_proposals(void **state) {
  ctx *c = *state;
  invdes_store_rows *first = ask(c, "robot", 600, 3);
  c->now += 10;
  invdes_store_rows *again = ask(c, "robot", 600, 3);
  assert_int_equal(again->n, 3);
  for (size_t i = 0; i < 3; i++) {
    assert_int_equal(again->items[i].id, first->items[i].id);
    assert_string_equal(again->items[i].parameters, first->items[i].parameters);
    assert_int_equal(again->items[i].offers, 1);
    assert_true(again->items[i].lease_expires == c->now + 600); /* renewed */
  }
  invdes_store_rows_free(first);
  invdes_store_rows_free(again);
  invdes_error err;
  invdes_store_counts n;
  assert_int_equal(invdes_store_counts_get(c->s, &n, &err), INVDES_OK);
  assert_int_equal(n.proposals, 3);
  /* Asking for more tops up with new ones; a crash-restart even after the
   * lease ran out still gets its own back. */
  invdes_store_rows *more = ask(c, "robot", 600, 5);
  assert_int_equal(more->n, 5);
  assert_int_equal(more->items[3].id, 4);
  invdes_store_rows_free(more);
  c->now += 3600;
  more = ask(c, "robot", 600, 5);
  assert_int_equal(more->n, 5);
  assert_int_equal(more->items[4].id, 5);
  invdes_store_rows_free(more);
  assert_int_equal(invdes_store_counts_get(c->s, &n, &err), INVDES_OK);
  assert_int_equal(n.proposals, 5);
  /* An anonymous ask never gets another station's live proposals. */
  more = ask(c, NULL, 0, 1);
  assert_int_equal(more->items[0].id, 6);
  assert_null(more->items[0].station);
  assert_true(isnan(more->items[0].lease_expires));
  invdes_store_rows_free(more);
}

static void test_heartbeat(void **state) {
  ctx *c = *state;
  invdes_error err;
  invdes_store_rows_free(ask(c, "robot", 10, 1));
  c->now += 8;
  double until = 0;
  assert_int_equal(invdes_store_heartbeat(c->s, 1, "robot", 10, &until, &err), INVDES_OK);
  assert_true(until == c->now + 10);
  c->now += 5; /* past the first expiry, within the extended one */
  invdes_store_rows *r = ask(c, "other", 10, 1);
  assert_int_equal(r->items[0].id, 2);
  invdes_store_rows_free(r);
  assert_int_equal(invdes_store_heartbeat(c->s, 1, "other", 10, NULL, &err), INVDES_ERR_INVALID);
  assert_non_null(strstr(err.message, "held by station 'robot'"));
  assert_int_equal(invdes_store_heartbeat(c->s, 42, NULL, 10, NULL, &err), INVDES_ERR_INVALID);
  assert_non_null(strstr(err.message, "no proposal 42"));
  assert_int_equal(invdes_store_heartbeat(c->s, 1, NULL, 0, NULL, &err), INVDES_ERR_USAGE);
  /* Without heartbeats the lease runs out and the proposal moves on. */
  c->now += 11;
  r = ask(c, "other", 10, 2);
  assert_int_equal(r->n, 2);
  assert_int_equal(r->items[0].id, 2); /* its own first */
  assert_int_equal(r->items[1].id, 1); /* then robot's, expired */
  invdes_store_rows_free(r);
  assert_int_equal(invdes_store_heartbeat(c->s, 1, "robot", 10, NULL, &err), INVDES_ERR_INVALID);
}

static void test_best_per_target_by_goal(void **state) {
  ctx *c = *state;
  invdes_error err;
  invdes_store_best best[3];
  assert_int_equal(invdes_store_best_get(c->s, best, &err), INVDES_OK);
  assert_int_equal(best[0].proposal, 0);
  assert_int_equal(best[0].n_values, 0);
  invdes_store_rows_free(ask(c, "robot", 0, 5));
  const double cap[5] = {100, 150, 120, 150, 90};
  const double volt[5] = {3.5, 3.85, 4.0, 3.7, 3.2};
  const double ered[5] = {-3.2, -3.4, -3.5, -3.3, -3.1};
  for (int i = 0; i < 5; i++) {
    tell_value(c, i + 1, "capacity", cap[i]);
    tell_value(c, i + 1, "voltage", volt[i]);
    tell_value(c, i + 1, "e_red", ered[i]);
  }
  assert_int_equal(invdes_store_best_get(c->s, best, &err), INVDES_OK);
  assert_int_equal(best[0].proposal, 2); /* 150 twice: the older id */
  assert_true(best[0].value == 150);
  assert_int_equal(best[0].n_values, 5);
  assert_int_equal(best[1].proposal, 4); /* 3.7: inside, nearest the middle 3.75 */
  assert_true(best[1].satisfied);
  assert_int_equal(best[2].proposal, 3); /* lowest below -3.35 */
  assert_true(best[2].satisfied);
}

static void test_best_window_outside_and_threshold_unmet(void **state) {
  ctx *c = *state;
  invdes_error err;
  invdes_store_rows_free(ask(c, "robot", 0, 2));
  tell_value(c, 1, "voltage", 3.0); /* 0.6 below the window */
  tell_value(c, 2, "voltage", 4.0); /* 0.1 above it */
  tell_value(c, 1, "e_red", -3.0);
  tell_value(c, 2, "e_red", -3.2);
  invdes_store_best best[3];
  assert_int_equal(invdes_store_best_get(c->s, best, &err), INVDES_OK);
  assert_int_equal(best[0].proposal, 0);
  assert_int_equal(best[1].proposal, 2);
  assert_false(best[1].satisfied);
  assert_int_equal(best[2].proposal, 2);
  assert_false(best[2].satisfied);
}

/* ---- events, state, transactions, history -------------------------------- */

static int count_cb(const invdes_store_event_row *row, void *data) {
  (void)row;
  (*(int64_t *)data)++;
  return 0;
}

static int64_t count_events(ctx *c, const char *kind) {
  int64_t n = 0;
  invdes_error err;
  assert_int_equal(invdes_store_events(c->s, 0, kind, count_cb, &n, &err), INVDES_OK);
  return n;
}

static int keep_stderr(const invdes_store_event_row *row, void *data) {
  char **out = data;
  free(*out);
  *out = row->stderr_text ? strdup(row->stderr_text) : NULL;
  return 0;
}

static void test_events_and_strategy_state(void **state) {
  ctx *c = *state;
  invdes_error err;
  assert_int_equal(invdes_store_event(c->s, "run_started", 0, "seed 7", NULL, 0, &err), INVDES_OK);
  invdes_store_rows_free(ask(c, NULL, 0, 1));
  size_t big = 100000;
  char *text = malloc(big);
  assert_non_null(text);
  memset(text, 'e', big);
  memcpy(text + big - 9, "Traceback", 9);
  assert_int_equal(invdes_store_event(c->s, "evaluator_error", 1, "exit status 1", text, big,
                                      &err), INVDES_OK);
  free(text);
  char *kept = NULL;
  assert_int_equal(invdes_store_events(c->s, 0, "evaluator_error", keep_stderr, &kept, &err),
                   INVDES_OK);
  assert_non_null(kept);
  assert_true(strlen(kept) <= INVDES_STORE_STDERR_MAX + 64);
  assert_non_null(strstr(kept, "bytes cut"));
  assert_int_equal(strcmp(kept + strlen(kept) - 9, "Traceback"), 0); /* the tail is kept */
  free(kept);
  assert_int_equal(count_events(c, NULL), 2);
  assert_int_equal(count_events(c, "run_started"), 1);
  assert_int_equal(invdes_store_event(c->s, "evaluator_error", 77, "x", NULL, 0, &err),
                   INVDES_ERR_DB); /* foreign key: no proposal 77 */

  const char s1[] = "swarm at iteration 1", s3[] = "swarm at iteration 3";
  assert_int_equal(invdes_store_state_put(c->s, "pso", 1, s1, sizeof s1, &err), INVDES_OK);
  assert_int_equal(invdes_store_state_put(c->s, "pso", 3, s3, sizeof s3, &err), INVDES_OK);
  void *blob = NULL;
  size_t len = 0;
  int64_t it = 0;
  int found = 0;
  assert_int_equal(invdes_store_state_get(c->s, "pso", INT64_MAX, &blob, &len, &it, &found, &err),
                   INVDES_OK);
  assert_true(found);
  assert_int_equal(it, 3);
  assert_int_equal(len, sizeof s3);
  assert_memory_equal(blob, s3, len);
  free(blob);
  assert_int_equal(invdes_store_state_get(c->s, "pso", 2, &blob, &len, &it, &found, &err),
                   INVDES_OK);
  assert_int_equal(it, 1);
  assert_memory_equal(blob, s1, sizeof s1);
  free(blob);
  assert_int_equal(invdes_store_state_get(c->s, "ga", INT64_MAX, &blob, &len, &it, &found, &err),
                   INVDES_OK);
  assert_false(found);
  assert_null(blob);
}

static invdes_status insert_then_fail(invdes_store *s, void *data, invdes_error *err) {
  ctx *c = data;
  invdes_status st = propose(s, 2, NULL, 0, c, err);
  if (st != INVDES_OK) return st;
  return invdes_error_set(err, INVDES_ERR_EVAL, "the strategy gave up");
}

static invdes_status insert_with_a_bad_tell_inside(invdes_store *s, void *data,
                                                   invdes_error *err) {
  ctx *c = data;
  invdes_status st = propose(s, 2, NULL, 0, c, err);
  invdes_store_value v = {"nonsense", 1, NAN};
  invdes_store_tell_req bad = {.id = 1, .kind = INVDES_TELL_RESULT, .values = &v, .n_values = 1};
  invdes_error inner;
  if (st == INVDES_OK && invdes_store_tell(s, &bad, &inner) == INVDES_OK) return INVDES_ERR_USAGE;
  invdes_store_value good = {"capacity", 5, NAN};
  invdes_store_tell_req ok = {.id = 1, .kind = INVDES_TELL_RESULT, .values = &good, .n_values = 1};
  if (st == INVDES_OK) st = invdes_store_tell(s, &ok, err);
  return st;
}

static void test_transactions_group_and_roll_back(void **state) {
  ctx *c = *state;
  invdes_error err;
  char before[INVDES_SHA256_HEX], after[INVDES_SHA256_HEX];
  rows_checksum(c->db, before);
  assert_int_equal(invdes_store_transaction(c->s, insert_then_fail, c, &err), INVDES_ERR_EVAL);
  assert_string_equal(err.message, "the strategy gave up");
  rows_checksum(c->db, after);
  assert_string_equal(before, after);
  /* A refused call inside a transaction undoes only itself. */
  assert_int_equal(invdes_store_transaction(c->s, insert_with_a_bad_tell_inside, c, &err),
                   INVDES_OK);
  invdes_store_counts n;
  assert_int_equal(invdes_store_counts_get(c->s, &n, &err), INVDES_OK);
  assert_int_equal(n.proposals, 2);
  assert_int_equal(n.done, 1);
  assert_int_equal(n.results, 1);
}

static void test_history_for_resume(void **state) {
  ctx *c = *state;
  invdes_error err;
  const double z[2] = {0.1 + 0.2, 1.0 / 3.0}; /* values that do not print exactly */
  invdes_store_new_proposal p = {"{\"x\": 0.30000000000000004, \"y\": 0.33333333333333331}", z,
                                 2, NULL, NULL, NAN};
  int64_t ids[3], batch = 0;
  assert_int_equal(invdes_store_insert(c->s, 7, "sobol", &p, 1, NULL, 0, ids, &batch, &err),
                   INVDES_OK);
  assert_int_equal(batch, 1);
  invdes_store_new_proposal two[2] = {p, p};
  assert_int_equal(invdes_store_insert(c->s, 8, "bo", two, 2, NULL, 0, ids + 1, &batch, &err),
                   INVDES_OK);
  assert_int_equal(batch, 2);
  tell_value(c, ids[1], "capacity", 1);
  invdes_store_tell_req f = {.id = ids[2], .kind = INVDES_TELL_FAILED, .reason = "timeout"};
  assert_int_equal(invdes_store_tell(c->s, &f, &err), INVDES_OK);
  invdes_store_rows *all = NULL;
  assert_int_equal(invdes_store_list(c->s, INVDES_PROPOSAL_ANY, 0, &all, &err), INVDES_OK);
  assert_int_equal(all->n, 3);
  assert_memory_equal(all->items[0].z, z, sizeof z);
  assert_string_equal(all->items[0].strategy, "sobol");
  assert_int_equal(all->items[0].iteration, 7);
  assert_int_equal(all->items[2].batch, 2);
  assert_string_equal(all->items[2].reason, "timeout");
  assert_int_equal(all->items[2].status, INVDES_PROPOSAL_FAILED);
  assert_true(isnan(all->items[0].acquisition));
  assert_string_equal(all->target_names[2], "e_red");
  invdes_store_rows_free(all);
  assert_int_equal(invdes_store_list(c->s, INVDES_PROPOSAL_PENDING | INVDES_PROPOSAL_FAILED,
                                     0, &all, &err), INVDES_OK);
  assert_int_equal(all->n, 2);
  assert_int_equal(all->items[1].id, ids[2]);
  invdes_store_rows_free(all);
  assert_int_equal(invdes_store_list(c->s, INVDES_PROPOSAL_ANY, ids[1], &all, &err), INVDES_OK);
  assert_int_equal(all->n, 1);
  invdes_store_rows_free(all);
  int64_t evaluated = 0;
  assert_int_equal(invdes_store_n_evaluated(c->s, &evaluated, &err), INVDES_OK);
  assert_int_equal(evaluated, 2); /* the budget counts failures too */
  /* Bad proposals are refused before anything is written. */
  invdes_store_new_proposal bad = p;
  bad.parameters = "[1, 2]";
  assert_int_equal(invdes_store_insert(c->s, 9, "bo", &bad, 1, NULL, 0, NULL, NULL, &err),
                   INVDES_ERR_USAGE);
  assert_non_null(strstr(err.message, "not a JSON object"));
  const double znan[2] = {NAN, 0};
  bad = p;
  bad.z = znan;
  assert_int_equal(invdes_store_insert(c->s, 9, "bo", &bad, 1, NULL, 0, NULL, NULL, &err),
                   INVDES_ERR_USAGE);
  int64_t unknown = 99;
  assert_int_equal(invdes_store_get(c->s, &unknown, 1, &all, &err), INVDES_ERR_INVALID);
  assert_null(all);
}

/* ---- a changed campaign file ------------------------------------------ */

static void test_campaign_diff_of_models(void **state) {
  ctx *c = *state;
  store_fixture g;
  store_fixture_init(&g);
  invdes_error ch;
  invdes_error_clear(&ch);
  assert_int_equal(invdes_store_campaign_diff(&c->f.c, &g.c, &ch), INVDES_OK);
  assert_int_equal(ch.count, 0);
  g.c.budget.evaluations = 80;
  g.c.description = "longer run";
  assert_int_equal(invdes_store_campaign_diff(&c->f.c, &g.c, &ch), INVDES_OK);
  assert_non_null(strstr(ch.message, "budget.evaluations: 50 -> 80 (allowed)"));
  assert_non_null(strstr(ch.message, "description: '(none)' -> 'longer run' (allowed)"));
  invdes_error_clear(&ch);
  /* lhs strata are cut by the budget: there a new budget is refused. */
  invdes_campaign lhs_old = c->f.c, lhs_new = g.c;
  lhs_old.strategy.kind = lhs_new.strategy.kind = invdes_strategy_kind_find("lhs");
  assert_int_equal(invdes_store_campaign_diff(&lhs_old, &lhs_new, &ch), INVDES_ERR_INVALID);
  assert_non_null(strstr(ch.message, "budget.evaluations: 50 -> 80"));
  assert_null(strstr(ch.message, "budget.evaluations: 50 -> 80 (allowed)"));
  invdes_error_clear(&ch);
  g.params[1].hi = 2;
  g.targets[1].goal = INVDES_GOAL_ABOVE;
  g.c.strategy.batch = 4;
  assert_int_equal(invdes_store_campaign_diff(&c->f.c, &g.c, &ch), INVDES_ERR_INVALID);
  assert_non_null(strstr(ch.message, "parameter 'y': upper bound: 1 -> 2"));
  assert_non_null(strstr(ch.message, "target 'voltage': goal window -> above"));
  assert_non_null(strstr(ch.message, "strategy.batch: 2 -> 4"));
  invdes_error_clear(&ch);
  store_fixture_init(&g);
  g.params[0].name = "z";
  assert_int_equal(invdes_store_campaign_diff(&c->f.c, &g.c, &ch), INVDES_ERR_INVALID);
  assert_non_null(strstr(ch.message, "parameter 'x' removed"));
  assert_non_null(strstr(ch.message, "parameter 'z' added"));
}

/* A pool campaign: its variable is the id column, and an edited table is a
 * changed campaign although the campaign text is the same. */
static void test_pool_data_change_is_seen(void **state) {
  ctx *c = *state;
  char *features[2] = {"f1", "f2"};
  char *ids[3] = {"LiPF6", "LiBF4", "LiTFSI"};
  double x[6] = {1, 2, 3, 4, 5, 6};
  invdes_pool pool = {.file = "pool.csv", .path = "pool.csv", .id_column = "salt",
                      .features = features, .n_features = 2, .n_rows = 3, .x = x, .ids = ids};
  store_fixture g;
  store_fixture_init(&g);
  g.c.pool = &pool;
  g.c.n_params = 0;
  char path[4300];
  snprintf(path, sizeof path, "%s/pool.db", c->dir);
  invdes_error err;
  invdes_store *s = invdes_store_create(path, &g.c, &err);
  assert_non_null(s);
  assert_int_equal(invdes_store_n_variables(s), 1);
  assert_string_equal(invdes_store_variable_name(s, 0), "salt");
  invdes_error ch;
  invdes_error_clear(&ch);
  assert_int_equal(invdes_store_check_campaign(s, &g.c, &ch), INVDES_OK);
  x[4] = 5.5; /* one cell of the table edited */
  assert_int_equal(invdes_store_check_campaign(s, &g.c, &ch), INVDES_ERR_INVALID);
  assert_non_null(strstr(ch.message, "pool: the candidate table's contents changed"));
  invdes_store_close(s);
  store_fixture_cleanup(c->dir, path);
}

/* The same judgement through the real loader, on files that differ only in
 * text, in the budget, or in what is searched. */
static void test_check_campaign_files(void **state) {
  ctx *c = *state;
  invdes_error err;
  const char *base = c->f.c.text;
  invdes_campaign *parsed = invdes_campaign_parse("fixture.yaml", base, strlen(base), &err);
  if (!parsed) fail_msg("fixture does not load: %s", err.message);
  char path[4300];
  snprintf(path, sizeof path, "%s/loaded.db", c->dir);
  invdes_store *s = invdes_store_create(path, parsed, &err);
  assert_non_null(s);
  invdes_campaign_free(parsed);

  char text[2048];
  /* Comments and spacing only. */
  snprintf(text, sizeof text, "# a note\n%s\n\n", base);
  invdes_campaign *k = invdes_campaign_parse("fixture.yaml", text, strlen(text), &err);
  assert_non_null(k);
  invdes_error ch;
  invdes_error_clear(&ch);
  assert_int_equal(invdes_store_check_campaign(s, k, &ch), INVDES_OK);
  assert_int_equal(ch.count, 0);
  invdes_campaign_free(k);
  /* A larger budget: allowed, and update_campaign stores the new text. */
  char *at = strstr(base, "evaluations: 50");
  assert_non_null(at);
  snprintf(text, sizeof text, "%.*sevaluations: 80%s", (int)(at - base), base, at + 15);
  k = invdes_campaign_parse("fixture.yaml", text, strlen(text), &err);
  assert_non_null(k);
  invdes_error_clear(&ch);
  assert_int_equal(invdes_store_update_campaign(s, k, &ch), INVDES_OK);
  assert_non_null(strstr(ch.message, "budget.evaluations: 50 -> 80 (allowed)"));
  assert_string_equal(invdes_store_campaign_text(s), text);
  invdes_campaign_free(k);
  invdes_store_close(s);
  s = invdes_store_open(path, &err);
  assert_non_null(s);
  assert_string_equal(invdes_store_campaign_text(s), text);
  /* Other bounds: refused, saying what changed. */
  char *b = strstr(text, "bounds: [0, 1]}\n  - {name: y");
  assert_non_null(b);
  memcpy(b, "bounds: [0, 2]", 14);
  k = invdes_campaign_parse("fixture.yaml", text, strlen(text), &err);
  assert_non_null(k);
  invdes_error_clear(&ch);
  assert_int_equal(invdes_store_update_campaign(s, k, &ch), INVDES_ERR_INVALID);
  assert_non_null(strstr(ch.message, "parameter 'x': upper bound: 1 -> 2"));
  assert_non_null(strstr(ch.message, "changed since the database was made"));
  assert_string_not_equal(invdes_store_campaign_text(s), text);
  invdes_campaign_free(k);
  invdes_store_close(s);
  store_fixture_cleanup(c->dir, path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_create_and_reopen, setup, teardown),
      cmocka_unit_test_setup_teardown(test_refused_files, setup, teardown),
      cmocka_unit_test_setup_teardown(test_ask_tell_cycle, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bad_tells_leave_db_unchanged, setup, teardown),
      cmocka_unit_test_setup_teardown(test_partial_results, setup, teardown),
      cmocka_unit_test_setup_teardown(test_abandon_and_expired_lease_reoffer_same_id, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_repeated_ask_returns_the_same_proposals, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_heartbeat, setup, teardown),
      cmocka_unit_test_setup_teardown(test_best_per_target_by_goal, setup, teardown),
      cmocka_unit_test_setup_teardown(test_best_window_outside_and_threshold_unmet, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_events_and_strategy_state, setup, teardown),
      cmocka_unit_test_setup_teardown(test_transactions_group_and_roll_back, setup, teardown),
      cmocka_unit_test_setup_teardown(test_history_for_resume, setup, teardown),
      cmocka_unit_test_setup_teardown(test_campaign_diff_of_models, setup, teardown),
      cmocka_unit_test_setup_teardown(test_pool_data_change_is_seen, setup, teardown),
      cmocka_unit_test_setup_teardown(test_check_campaign_files, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
