/* test_table.c — the CSV reader as a user meets it: quoted fields with commas,
 * quotes and line breaks come back intact, CRLF files and a byte-order mark
 * read like plain files, ragged rows and bad numbers are reported with the
 * line they are on, and written fields read back unchanged. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "table.h"

static char dir[64];

static int make_dir(void **state) {
  (void)state;
  snprintf(dir, sizeof dir, "/tmp/invdes-table-XXXXXX");
  return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state) {
  (void)state;
  return rmdir(dir);
}

/* Writes `len` bytes to a fresh file under dir; returns its path (static). */
static const char *write_file(const char *name, const char *text, size_t len) {
  static char path[128];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(text, 1, len, f), len);
  fclose(f);
  return path;
}
#define WRITE(name, lit) write_file(name, lit, sizeof lit - 1)

static void test_quoting(void **state) {
  (void)state;
  const char *p = WRITE("q.csv",
                        "id,note,x\n"
                        "a,\"has, comma\",1.5\n"
                        "b,\"says \"\"hi\"\"\",2\n"
                        "\"c\",\"two\nlines\",3e2\n"
                        "d,,-4\n");
  invdes_error err;
  invdes_error_clear(&err);
  invdes_table *t = invdes_table_read(p, &err);
  assert_non_null(t);
  assert_int_equal(invdes_table_n_rows(t), 4);
  assert_int_equal(invdes_table_n_cols(t), 3);
  assert_string_equal(invdes_table_col_name(t, 1), "note");
  assert_null(invdes_table_col_name(t, 3));
  assert_int_equal(invdes_table_find_col(t, "x"), 2);
  assert_int_equal(invdes_table_find_col(t, "y"), -1);
  assert_string_equal(invdes_table_cell(t, 0, 1), "has, comma");
  assert_string_equal(invdes_table_cell(t, 1, 1), "says \"hi\"");
  assert_string_equal(invdes_table_cell(t, 2, 0), "c");
  assert_string_equal(invdes_table_cell(t, 2, 1), "two\nlines");
  assert_string_equal(invdes_table_cell(t, 3, 1), "");
  assert_null(invdes_table_cell(t, 4, 0));
  /* Row 2 spans lines 4-5, so row 3 starts on line 6. */
  assert_int_equal(invdes_table_row_line(t, 0), 2);
  assert_int_equal(invdes_table_row_line(t, 2), 4);
  assert_int_equal(invdes_table_row_line(t, 3), 6);
  assert_string_equal(invdes_table_path(t), p);
  double x[4];
  assert_int_equal(invdes_table_numeric_column(t, 2, x, &err), INVDES_OK);
  assert_true(x[0] == 1.5 && x[1] == 2 && x[2] == 300 && x[3] == -4);
  assert_int_equal(invdes_table_is_numeric_column(t, 2), INVDES_OK);
  assert_int_not_equal(invdes_table_is_numeric_column(t, 1), INVDES_OK);
  invdes_table_free(t);
  unlink(p);
}

static void test_ragged_row(void **state) {
  (void)state;
  const char *p = WRITE("r.csv", "a,b,c,d,e,f\n1,2,3,4,5,6\n\n\"x\ny\",2,3,4,5\n");
  invdes_error err;
  invdes_error_clear(&err);
  assert_null(invdes_table_read(p, &err));
  char want[256];
  snprintf(want, sizeof want, "%s:4:1: row has 5 fields, header has 6", p);
  assert_string_equal(err.message, want);
  assert_int_equal(err.status, INVDES_ERR_PARSE);
  unlink(p);

  p = WRITE("r2.csv", "a,b\n1,2,3\n");
  invdes_error_clear(&err);
  assert_null(invdes_table_read(p, &err));
  assert_non_null(strstr(err.message, ":2:1: row has 3 fields, header has 2"));
  unlink(p);
}

static void test_not_a_number(void **state) {
  (void)state;
  const char *p = WRITE("n.csv", "x,y\n1,2\n3,abc\n4,\n5,inf\n");
  invdes_error err;
  invdes_error_clear(&err);
  invdes_table *t = invdes_table_read(p, &err);
  assert_non_null(t);
  double v[4];
  assert_int_equal(invdes_table_numeric_column(t, 0, v, &err), INVDES_OK);
  assert_int_equal(invdes_table_numeric_column(t, 1, v, &err), INVDES_ERR_INVALID);
  char want[256];
  snprintf(want, sizeof want,
           "%s:3: column 'y': 'abc' is not a number (and 2 more bad cells in this column)", p);
  assert_string_equal(err.message, want);
  invdes_table_free(t);
  unlink(p);

  p = WRITE("n2.csv", "x,y\n1,2\n3,\n");
  invdes_error_clear(&err);
  t = invdes_table_read(p, &err);
  assert_non_null(t);
  assert_int_equal(invdes_table_numeric_column(t, 1, v, &err), INVDES_ERR_INVALID);
  assert_non_null(strstr(err.message, ":3: column 'y': cell is empty"));
  invdes_table_free(t);
  unlink(p);

  /* A number followed by text is not a number, nor is a lone sign. */
  p = WRITE("n3.csv", "x\n1.5kg\n");
  t = invdes_table_read(p, &err);
  assert_int_not_equal(invdes_table_is_numeric_column(t, 0), INVDES_OK);
  invdes_table_free(t);
  unlink(p);
}

static void test_missing_and_empty(void **state) {
  (void)state;
  invdes_error err;
  invdes_error_clear(&err);
  char path[128];
  snprintf(path, sizeof path, "%s/none.csv", dir);
  assert_null(invdes_table_read(path, &err));
  assert_int_equal(err.status, INVDES_ERR_IO);
  assert_non_null(strstr(err.message, "none.csv: cannot open: No such file"));

  const char *p = write_file("e.csv", "", 0);
  invdes_error_clear(&err);
  assert_null(invdes_table_read(p, &err));
  assert_non_null(strstr(err.message, "empty file"));
  unlink(p);

  p = WRITE("h.csv", "a,b\n");
  invdes_error_clear(&err);
  assert_null(invdes_table_read(p, &err));
  assert_non_null(strstr(err.message, "no data rows"));
  unlink(p);

  p = WRITE("d.csv", "a,b,a\n1,2,3\n");
  invdes_error_clear(&err);
  assert_null(invdes_table_read(p, &err));
  assert_non_null(strstr(err.message, ":1: columns 1 and 3 have the same name 'a'"));
  unlink(p);
}

static void test_crlf_and_bom(void **state) {
  (void)state;
  const char *p = WRITE("c.csv", "\xEF\xBB\xBFid,v\r\nx,1\r\n\"y\r\nz\",2\r\nw,3");
  invdes_error err;
  invdes_error_clear(&err);
  invdes_table *t = invdes_table_read(p, &err);
  assert_non_null(t);
  assert_int_equal(invdes_table_n_rows(t), 3);
  assert_string_equal(invdes_table_col_name(t, 0), "id");
  assert_int_equal(invdes_table_find_col(t, "id"), 0);
  assert_string_equal(invdes_table_cell(t, 0, 1), "1");
  assert_string_equal(invdes_table_cell(t, 1, 0), "y\r\nz");
  assert_string_equal(invdes_table_cell(t, 2, 0), "w");
  assert_int_equal(invdes_table_row_line(t, 2), 5);
  double v[3];
  assert_int_equal(invdes_table_numeric_column(t, 1, v, &err), INVDES_OK);
  assert_true(v[2] == 3);
  invdes_table_free(t);
  unlink(p);
}

static void test_malformed_quotes(void **state) {
  (void)state;
  const char *p = WRITE("m.csv", "a,b\n1,\"2\"x\n");
  invdes_error err;
  invdes_error_clear(&err);
  assert_null(invdes_table_read(p, &err));
  assert_int_equal(err.status, INVDES_ERR_PARSE);
  assert_non_null(strstr(err.message, "m.csv:2:"));
  assert_non_null(strstr(err.message, "malformed quoting"));
  unlink(p);

  p = WRITE("u.csv", "a,b\n1,2\n3,\"open\nand never closed\n");
  invdes_error_clear(&err);
  assert_null(invdes_table_read(p, &err));
  assert_non_null(strstr(err.message, "u.csv:3: a quoted field is not closed"));
  unlink(p);
}

/* Decimal numbers only, the one spelling of a value everywhere (issue 8). */
static void test_decimal_only(void **state) {
  (void)state;
  double v = -1;
  const char *good[] = {"0", "-1", "+2.5", ".5", "3.", "1e3", "6.02E+23", "-1e-300"};
  const double want[] = {0, -1, 2.5, 0.5, 3, 1000, 6.02e23, -1e-300};
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    assert_int_equal(invdes_decimal_parse(good[i], &v), 0);
    assert_true(v == want[i]);
  }
  const char *bad[] = {"0x10", "0X1p4", "inf", "-inf", "nan", "NAN", "infinity", "1,5",
                       " 1", "1 ", "e3", ".", "-", "1e", "1e+", "1.2.3", "12abc"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_int_equal(invdes_decimal_parse(bad[i], &v), 2);
  assert_int_equal(invdes_decimal_parse("", &v), 1);
  assert_int_equal(invdes_decimal_parse("1e999", &v), 3);
  assert_int_equal(invdes_decimal_parse("-1e999", &v), 3);
}

/* The way back: the fewest digits that read back exactly, integers as
 * integers, and every finite double through parse again unchanged. */
static void test_decimal_format(void **state) {
  (void)state;
  char buf[INVDES_DECIMAL_MAX];
  const double v[] = {3.7, 0.1 + 0.2, 170, 400.1, -1e-300, 1e17, 6.02e23, 0};
  const char *want[] = {"3.7", "0.30000000000000004", "170", "400.1", "-1e-300", "1e+17",
                        "6.02e+23", "0"};
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
    invdes_decimal_format(v[i], buf);
    assert_string_equal(buf, want[i]);
    double back = NAN;
    assert_int_equal(invdes_decimal_parse(buf, &back), 0);
    assert_true(back == v[i]);
  }
  invdes_decimal_format(NAN, buf);
  assert_string_equal(buf, "nan");
  invdes_decimal_format(-INFINITY, buf);
  assert_string_equal(buf, "-inf");
}

/* A NUL byte inside a cell (a binary file, a serial line's noise) is
 * refused with its line: read as a C string, "1\0002" was the number 1. */
static void test_nul_byte(void **state) {
  (void)state;
  static const char text[] = "id,capacity\n1,1\0002\n";
  invdes_error err;
  invdes_error_clear(&err);
  invdes_table *t = invdes_table_parse("nul.csv", text, sizeof text - 1, &err);
  assert_null(t);
  assert_int_equal(err.status, INVDES_ERR_PARSE);
  assert_string_equal(err.message, "nul.csv:2: a NUL byte in a field (not a text file?)");
}

static void test_write_reads_back(void **state) {
  (void)state;
  const char *fields[] = {"plain", "with, comma", "quote \"q\"", "line\nbreak",
                          " padded ", "", "cr\r"};
  size_t n = sizeof fields / sizeof *fields;
  char path[128];
  snprintf(path, sizeof path, "%s/w.csv", dir);
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  for (size_t j = 0; j < n; j++) fprintf(f, "%sc%zu", j ? "," : "", j);
  fputc('\n', f);
  for (size_t j = 0; j < n; j++) {
    if (j) fputc(',', f);
    invdes_csv_write_field(f, fields[j]);
  }
  fputc('\n', f);
  fclose(f);
  invdes_error err;
  invdes_error_clear(&err);
  invdes_table *t = invdes_table_read(path, &err);
  assert_non_null(t);
  for (size_t j = 0; j < n; j++) assert_string_equal(invdes_table_cell(t, 0, j), fields[j]);
  invdes_table_free(t);
  unlink(path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_quoting),         cmocka_unit_test(test_ragged_row),
      cmocka_unit_test(test_not_a_number),    cmocka_unit_test(test_missing_and_empty),
      cmocka_unit_test(test_crlf_and_bom),    cmocka_unit_test(test_malformed_quotes),
      cmocka_unit_test(test_write_reads_back), cmocka_unit_test(test_decimal_only),
      cmocka_unit_test(test_decimal_format),
      cmocka_unit_test(test_nul_byte),
  };
  return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
