/* test_station.c — the library half of the station verbs: reading reports
 * (tell_input.h: numbers, NAME=VALUE, CSV and JSON results files, all or
 * nothing) and writing export rows (report.h: the column contract, nulls,
 * numbers that read back exactly, ISO 8601 times), on a real database made
 * from tests/campaigns/good/station.yaml. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "campaign.h"
#include "cli_station.h"
#include "commands.h"
#include "report.h"
#include "store.h"
#include "store_internal.h" /* the store's own connection, to fill its disk */
#include "tell_input.h"

/* ---- fixtures ------------------------------------------------------------- */

typedef struct fixture {
  char dir[512], db[600];
  invdes_store *s;
  invdes_campaign *c;
} fixture;

static const char *const targets[] = {"capacity", "voltage"};

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  if (!f) return -1;
  const char *base = getenv("TMPDIR");
  snprintf(f->dir, sizeof f->dir, "%s/invdes-station-XXXXXX", base && *base ? base : "/tmp");
  if (!mkdtemp(f->dir)) return -1;
  snprintf(f->db, sizeof f->db, "%s/s.db", f->dir);
  const char *top = getenv("top_srcdir");
  char path[1024];
  snprintf(path, sizeof path, "%s/tests/campaigns/good/station.yaml", top ? top : ".");
  invdes_error err;
  invdes_error_clear(&err);
  f->c = invdes_campaign_load(path, &err);
  if (!f->c) return fprintf(stderr, "%s\n", err.message), -1;
  f->s = invdes_store_create(f->db, f->c, &err);
  if (!f->s) return fprintf(stderr, "%s\n", err.message), -1;
  /* Three proposals, the first made by a model (predictions, acquisition). */
  double mean[2] = {170, 3.75}, sd[2] = {5, 0.02};
  invdes_store_new_proposal p[3] = {
      {.parameters = "{\"sinter_T\": 800.1, \"dwell_h\": 4, \"dopant\": \"Al\"}",
       .pred_mean = mean, .pred_sd = sd, .acquisition = 0.25},
      {.parameters = "{\"sinter_T\": 900, \"dwell_h\": 2, \"dopant\": \"none\"}",
       .acquisition = NAN},
      {.parameters = "{\"sinter_T\": 750, \"dwell_h\": 12, \"dopant\": \"Mg, \\\"x\\\"\"}",
       .acquisition = NAN}};
  if (invdes_store_insert(f->s, 1, "bo", p, 3, "robot1", 3600, NULL, NULL, &err))
    return fprintf(stderr, "%s\n", err.message), -1;
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  invdes_store_close(f->s);
  invdes_campaign_free(f->c);
  char p[700];
  const char *suffix[] = {"", "-wal", "-shm", ".csv", ".json"};
  for (size_t i = 0; i < 5; i++) {
    snprintf(p, sizeof p, "%s%s", f->db, suffix[i]);
    unlink(p);
  }
  rmdir(f->dir);
  free(f);
  return 0;
}

/* ---- numbers and NAME=VALUE ----------------------------------------------- */

static void numbers_are_whole_and_finite(void **state) {
  (void)state;
  double v = 0;
  assert_int_equal(invdes_tell_parse_number("182.5", &v), 0);
  assert_true(v == 182.5);
  assert_int_equal(invdes_tell_parse_number("-3.4e-1", &v), 0);
  assert_true(v == -0.34);
  assert_int_equal(invdes_tell_parse_number("abc", &v), -1);
  assert_int_equal(invdes_tell_parse_number("1.5x", &v), -1);
  assert_int_equal(invdes_tell_parse_number("", &v), -1);
  assert_int_equal(invdes_tell_parse_number(" 1", &v), -1);
  assert_int_equal(invdes_tell_parse_number("nan", &v), -2);
  assert_int_equal(invdes_tell_parse_number("inf", &v), -2);
  assert_int_equal(invdes_tell_parse_number("-Infinity", &v), -2);
  assert_int_equal(invdes_tell_parse_number("1e999", &v), -2);
  /* Decimal only: hex is refused like everywhere else (issue 8). */
  assert_int_equal(invdes_tell_parse_number("0x10", &v), -3);
  assert_int_equal(invdes_tell_parse_number("0x1p4", &v), -3);
  assert_int_equal(invdes_tell_parse_number(".5", &v), 0);
  assert_true(v == 0.5);
  assert_int_equal(invdes_tell_parse_number("2.", &v), 0);
  assert_int_equal(invdes_tell_parse_number("+1E+2", &v), 0);
  assert_true(v == 100);
  assert_int_equal(invdes_tell_parse_number("1e", &v), -1);
  assert_int_equal(invdes_tell_parse_number(".", &v), -1);
  int64_t id = 0;
  assert_int_equal(invdes_tell_parse_id("17", &id), 0);
  assert_int_equal(id, 17);
  assert_int_equal(invdes_tell_parse_id("0", &id), -1);
  assert_int_equal(invdes_tell_parse_id("-3", &id), -1);
  assert_int_equal(invdes_tell_parse_id("4.5", &id), -1);
  assert_int_equal(invdes_tell_parse_id("99999999999999999999", &id), -1);
}

static void assignments_name_the_bad_argument(void **state) {
  (void)state;
  invdes_error err;
  char *name = NULL;
  double v = 0;
  assert_int_equal(invdes_tell_parse_assignment("capacity=182.3", &name, &v, &err), INVDES_OK);
  assert_string_equal(name, "capacity");
  assert_true(v == 182.3);
  free(name);
  const char *bad[] = {"capacity", "=3", "capacity=", "capacity=abc", "capacity=nan"};
  const char *said[] = {"'capacity' is not NAME=VALUE", "'=3' is not NAME=VALUE",
                        "'capacity=' is not NAME=VALUE", "'abc' is not a number",
                        "'nan' is not a finite number"};
  for (size_t i = 0; i < 5; i++) {
    invdes_error_clear(&err);
    assert_int_equal(invdes_tell_parse_assignment(bad[i], &name, &v, &err), INVDES_ERR_INVALID);
    assert_null(name);
    assert_non_null(strstr(err.message, said[i]));
  }
}

/* ---- results files -------------------------------------------------------- */

static void csv_file_reads_values_sds_and_failures(void **state) {
  fixture *f = *state;
  char path[700];
  snprintf(path, sizeof path, "%s.csv", f->db);
  write_file(path, "id,capacity,voltage_sd,voltage,failed,campaign\n"
                   "1,180.5,0.01,3.7,,\n"
                   "2,,,,\"furnace tripped, twice\",station-demo\n"
                   "3,,,3.95,,\n");
  invdes_tell_input *in = invdes_tell_input_new();
  invdes_error err;
  invdes_error_clear(&err);
  assert_int_equal(invdes_tell_input_read(in, path, targets, 2, "tell-file", &err), INVDES_OK);
  assert_int_equal(invdes_tell_input_n(in), 3);
  const invdes_store_tell_req *r = invdes_tell_input_reqs(in);
  assert_int_equal(r[0].kind, INVDES_TELL_RESULT);
  assert_int_equal(r[0].n_values, 2);
  assert_string_equal(r[0].values[0].target, "capacity");
  assert_true(isnan(r[0].values[0].sd));
  assert_string_equal(r[0].values[1].target, "voltage");
  assert_true(r[0].values[1].value == 3.7 && r[0].values[1].sd == 0.01);
  assert_int_equal(r[1].kind, INVDES_TELL_FAILED);
  assert_string_equal(r[1].reason, "furnace tripped, twice");
  assert_string_equal(r[1].campaign, "station-demo");
  assert_int_equal(r[2].n_values, 1);
  assert_string_equal(r[2].source, "tell-file");
  /* Recorded in one go by the holder, robot1, they show in the export. */
  assert_int_equal(invdes_tell_input_set_station(in, "robot1", 0, &err), INVDES_OK);
  r = invdes_tell_input_reqs(in);
  assert_string_equal(r[0].station, "robot1");
  assert_int_equal(invdes_store_tell_many(f->s, r, 3, &err), INVDES_OK);
  invdes_tell_input_free(in);
}

/* Each bad file is refused with its message and adds no report. */
static void bad_files_add_nothing(void **state) {
  fixture *f = *state;
  static const struct {
    const char *text, *said;
  } cases[] = {
      {"id,capacity\n1,180\n2,abc\n", ":3: column 'capacity': 'abc' is not a number"},
      {"id,capacity\n1,inf\n", "'inf' is not a finite number"},
      {"id,capactiy\n1,180\n", "unknown column 'capactiy' (columns: id, the targets capacity, voltage"},
      {"capacity\n180\n", "no 'id' column"},
      {"id,capacity\nx,180\n", "id 'x' is not a proposal id"},
      {"id,capacity,failed\n1,180,broke\n", "has both values and a failure"},
      {"id,capacity,failed\n1,,\n", "no value and no failure"},
      {"id,capacity,capacity_sd\n1,,2\n", "has an sd but 'capacity' has no value"},
      {"[{\"id\": 1, \"capacity\": \"abc\"}]", "report 1 (id 1): capacity: \"abc\" is not a number"},
      {"[{\"id\": 1, \"capacity\": 1}, {\"id\": 0, \"capacity\": 1}]", "report 2: \"id\" must be"},
      {"[{\"id\": 1, \"capacity\": 1, \"capacity\": 2}]", "duplicate"},
      {"[{\"id\": 1, \"failed\": \"x\", \"capacity\": 2}]", "unexpected key \"capacity\""},
      {"[{\"id\": 1}]", "no values, no failure"},
      {"[{\"id\": 1, \"values\": {\"capacity\": 1}, \"sd\": {\"voltage\": 1}}]",
       "an sd for 'voltage', which has no value"},
      {"{\"campaign\": \"a\", \"rows\": []}", "unexpected key \"rows\""},
      {"[]", "no reports"},
      {"[{\"id\": 1, \"capacity\": 1}", ":1:"},
  };
  char path[700];
  snprintf(path, sizeof path, "%s.json", f->db);
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    write_file(path, cases[i].text);
    invdes_tell_input *in = invdes_tell_input_new();
    invdes_error err;
    invdes_error_clear(&err);
    /* One good report first: a bad file must not leave its own reports. */
    assert_int_equal(invdes_tell_input_add(in, 5, INVDES_TELL_ABANDON, NULL, 0, NULL, NULL,
                                           NULL, &err), INVDES_OK);
    assert_int_not_equal(invdes_tell_input_read(in, path, targets, 2, NULL, &err), INVDES_OK);
    if (!strstr(err.message, cases[i].said))
      fail_msg("case %zu: wanted '%s' in '%s'", i, cases[i].said, err.message);
    assert_int_equal(invdes_tell_input_n(in), 1);
    invdes_tell_input_free(in);
  }
}

static void json_forms_are_all_read(void **state) {
  fixture *f = *state;
  char path[700];
  snprintf(path, sizeof path, "%s.json", f->db);
  write_file(path, "{\"campaign\": \"station-demo\", \"results\": [\n"
                   " {\"id\": 1, \"values\": {\"capacity\": 180}, \"sd\": {\"capacity\": 2}},\n"
                   " {\"id\": 2, \"capacity\": 175, \"voltage\": 3.7, \"campaign\": \"other\"},\n"
                   " {\"id\": 3, \"failed\": \"no pellet\"},\n"
                   " {\"id\": 4, \"abandon\": true, \"reason\": \"out of Mg\"}]}\n");
  invdes_tell_input *in = invdes_tell_input_new();
  invdes_error err;
  invdes_error_clear(&err);
  assert_int_equal(invdes_tell_input_read(in, path, targets, 2, NULL, &err), INVDES_OK);
  assert_int_equal(invdes_tell_input_n(in), 4);
  const invdes_store_tell_req *r = invdes_tell_input_reqs(in);
  assert_true(r[0].values[0].value == 180 && r[0].values[0].sd == 2);
  assert_string_equal(r[0].campaign, "station-demo");
  assert_int_equal(r[1].n_values, 2);
  assert_string_equal(r[1].campaign, "other");
  assert_int_equal(r[2].kind, INVDES_TELL_FAILED);
  assert_string_equal(r[2].reason, "no pellet");
  assert_int_equal(r[3].kind, INVDES_TELL_ABANDON);
  assert_string_equal(r[3].reason, "out of Mg");
  /* The store refuses the whole file for the one report of another campaign. */
  assert_int_equal(invdes_tell_input_set_station(in, "robot1", 0, &err), INVDES_OK);
  r = invdes_tell_input_reqs(in);
  assert_int_equal(invdes_store_tell_many(f->s, r, 4, &err), INVDES_ERR_INVALID);
  assert_non_null(strstr(err.message, "campaign 'other'"));
  invdes_store_counts k;
  assert_int_equal(invdes_store_counts_get(f->s, &k, &err), INVDES_OK);
  assert_int_equal(k.results, 0);
  assert_int_equal(k.pending, 3);
  invdes_tell_input_free(in);
}

/* ---- export rows ---------------------------------------------------------- */

static void numbers_and_times_have_one_spelling(void **state) {
  (void)state;
  char buf[INVDES_REPORT_NUM_MAX];
  const double v[] = {0.1, 1.0 / 3, 182.3, -3.35, 1e-300, 931.19069588551088, 0, 170, 1e20, -1200};
  const char *want[] = {"0.1", NULL, "182.3", "-3.35", "1e-300", "931.1906958855109", "0", "170",
                        "1e+20", "-1200"};
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
    invdes_decimal_format(v[i], buf);
    assert_true(strtod(buf, NULL) == v[i]);
    if (want[i]) assert_string_equal(buf, want[i]);
  }
  /* A real stays a real in JSON ("3.0", not "3"). */
  FILE *out = tmpfile();
  json_t *three = json_pack("[fi]", 3.0, 3);
  assert_int_equal(invdes_report_write_json(out, three, 0), 0);
  json_decref(three);
  fflush(out);
  rewind(out);
  char line[64] = "";
  assert_non_null(fgets(line, sizeof line, out));
  fclose(out);
  assert_string_equal(line, "[3.0,3]");
  invdes_report_time(0, buf);
  assert_string_equal(buf, "1970-01-01T00:00:00.000Z");
  invdes_report_time(1714564800.75, buf);
  assert_string_equal(buf, "2024-05-01T12:00:00.750Z");
  invdes_report_time(1714564800.9996, buf); /* rounds up into the next second */
  assert_string_equal(buf, "2024-05-01T12:00:01.000Z");
  invdes_report_time(-0.25, buf);
  assert_string_equal(buf, "1969-12-31T23:59:59.750Z");
  invdes_report_time(1e30, buf);
  assert_string_equal(buf, "");
  invdes_report_time(NAN, buf);
  assert_string_equal(buf, "");
}

static char *read_all(FILE *f) {
  long n = ftell(f);
  rewind(f);
  char *text = calloc((size_t)n + 1, 1);
  assert_non_null(text);
  assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
  return text;
}

/* Found 9: a report that meets a full disk (SQLite's SQLITE_FULL, simulated
 * by PRAGMA max_page_count on the store's own connection) is a system error,
 * exit status 1 (retry later), never 2 (refused: a robot would drop a valid
 * measurement), and nothing is recorded. The statuses of a refused report
 * and of another station's proposal map to 2 and 3. */
static void full_disk_is_a_system_error(void **state) {
  fixture *f = *state;
  invdes_error err;
  invdes_error_clear(&err);
  sqlite3_stmt *st = NULL;
  assert_int_equal(sqlite3_prepare_v2(f->s->db, "PRAGMA page_count", -1, &st, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  int pages = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  char sql[64];
  snprintf(sql, sizeof sql, "PRAGMA max_page_count = %d", pages);
  assert_int_equal(sqlite3_exec(f->s->db, sql, NULL, NULL, NULL), SQLITE_OK);
  static char reason[40000];
  memset(reason, 'x', sizeof reason - 1); /* needs new pages: the file may not grow */
  invdes_store_tell_req r = {.id = 1, .kind = INVDES_TELL_FAILED, .reason = reason,
                             .station = "robot1"};
  invdes_status status = invdes_store_tell(f->s, &r, &err);
  assert_int_equal(status, INVDES_ERR_DB);
  assert_non_null(strstr(err.message, "full"));
  assert_int_equal(invdes_cli_exit_for(status), INVDES_EXIT_FAILURE);
  invdes_store_rows *rows = NULL;
  int64_t id = 1;
  assert_int_equal(invdes_store_get(f->s, &id, 1, &rows, &err), INVDES_OK);
  assert_int_equal(rows->items[0].status, INVDES_PROPOSAL_PENDING);
  invdes_store_rows_free(rows);
  r.reason = "cracked";
  r.station = "robot2";
  assert_int_equal(invdes_cli_exit_for(invdes_store_tell(f->s, &r, &err)), INVDES_EXIT_NOT_YOURS);
  r.id = 99;
  r.station = "robot1";
  assert_int_equal(invdes_cli_exit_for(invdes_store_tell(f->s, &r, &err)), INVDES_EXIT_USAGE);
}

static void export_columns_are_the_contract(void **state) {
  fixture *f = *state;
  invdes_error err;
  invdes_error_clear(&err);
  invdes_store_value v[2] = {{"capacity", 180.5, 1.5}, {"voltage", 3.7, NAN}};
  invdes_store_tell_req r[2] = {{.id = 1, .kind = INVDES_TELL_RESULT, .values = v, .n_values = 2,
                                 .station = "robot1"},
                                {.id = 2, .kind = INVDES_TELL_FAILED, .reason = "cracked",
                                 .station = "robot1"}};
  assert_int_equal(invdes_store_tell_many(f->s, r, 2, &err), INVDES_OK);
  invdes_store_rows *rows = NULL;
  assert_int_equal(invdes_store_list(f->s, INVDES_PROPOSAL_ANY, 0, &rows, &err), INVDES_OK);
  FILE *out = tmpfile();
  assert_non_null(out);
  assert_int_equal(invdes_report_write_csv(out, f->s, rows, &err), INVDES_OK);
  char *text = read_all(out);
  fclose(out);
  const char *header =
      "id,batch,status,sinter_T,dwell_h,dopant,capacity,voltage,capacity_sd,voltage_sd,"
      "capacity_pred_mean,capacity_pred_sd,voltage_pred_mean,voltage_pred_sd,acquisition,"
      "strategy,station,reason,created,updated\n";
  assert_memory_equal(text, header, strlen(header));
  const char *line1 = text + strlen(header);
  assert_memory_equal(line1, "1,1,done,800.1,4,Al,180.5,3.7,1.5,,170,5,3.75,0.02,0.25,bo,robot1,,",
                      strlen("1,1,done,800.1,4,Al,180.5,3.7,1.5,,170,5,3.75,0.02,0.25,bo,robot1,,"));
  assert_non_null(strstr(text, "\n2,1,failed,900,2,none,,,,,,,,,,bo,robot1,cracked,"));
  /* A label with a comma and quotes is quoted per RFC 4180. */
  assert_non_null(strstr(text, "\n3,1,pending,750,12,\"Mg, \"\"x\"\"\",,,"));
  int lines = 0;
  for (const char *c = text; *c; c++) lines += *c == '\n';
  assert_int_equal(lines, 4);
  free(text);

  /* JSON: the same keys in the same order, null where CSV is empty. */
  json_t *arr = invdes_report_rows_json(f->s, rows, &err);
  assert_non_null(arr);
  assert_int_equal(json_array_size(arr), 3);
  json_t *cols = invdes_report_columns(f->s);
  json_t *row2 = json_array_get(arr, 1);
  size_t j = 0;
  const char *key;
  json_t *val;
  json_object_foreach(row2, key, val) assert_string_equal(key, json_string_value(json_array_get(cols, j++)));
  assert_int_equal(j, json_array_size(cols));
  assert_true(json_is_null(json_object_get(row2, "capacity")));
  assert_true(json_is_null(json_object_get(row2, "acquisition")));
  assert_string_equal(json_string_value(json_object_get(row2, "reason")), "cracked");
  assert_int_equal(json_integer_value(json_object_get(row2, "dwell_h")), 2);
  out = tmpfile();
  assert_int_equal(invdes_report_write_json(out, arr, 2), 0);
  text = read_all(out);
  fclose(out);
  json_error_t jerr;
  json_t *back = json_loads(text, 0, &jerr);
  assert_non_null(back);
  assert_true(json_equal(back, arr));
  /* Values pass through with their JSON type (900 was recorded as a whole number). */
  assert_non_null(strstr(text, "\"sinter_T\": 900,"));
  assert_non_null(strstr(text, "\"acquisition\": 0.25,"));
  json_decref(back);
  free(text);
  json_decref(cols);
  json_decref(arr);
  invdes_store_rows_free(rows);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(numbers_are_whole_and_finite),
      cmocka_unit_test(assignments_name_the_bad_argument),
      cmocka_unit_test(numbers_and_times_have_one_spelling),
      cmocka_unit_test_setup_teardown(csv_file_reads_values_sds_and_failures, setup, teardown),
      cmocka_unit_test_setup_teardown(bad_files_add_nothing, setup, teardown),
      cmocka_unit_test_setup_teardown(json_forms_are_all_read, setup, teardown),
      cmocka_unit_test_setup_teardown(export_columns_are_the_contract, setup, teardown),
      cmocka_unit_test_setup_teardown(full_disk_is_a_system_error, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
