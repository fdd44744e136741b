/* test_file.c — the whole-file reader (file.h) as its callers meet it: a
 * missing file and a directory are refused with a message naming the path, an
 * empty file reads as an empty NUL-terminated buffer, NUL bytes inside a file
 * are kept and counted, and a file larger than the first buffer reads whole. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file.h"

static char dir[64];

static int make_dir(void **state) {
  (void)state;
  snprintf(dir, sizeof dir, "/tmp/invdes-file-XXXXXX");
  return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state) {
  (void)state;
  return rmdir(dir);
}

/* Writes `len` bytes to dir/name; returns the path (static buffer). */
static const char *write_file(const char *name, const char *bytes, size_t len) {
  static char path[128];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(bytes, 1, len, f), len);
  assert_int_equal(fclose(f), 0);
  return path;
}

static void test_missing(void **state) {
  (void)state;
  char path[128], *buf = (char *)"junk";
  size_t len = 7;
  invdes_error err;
  invdes_error_clear(&err);
  snprintf(path, sizeof path, "%s/no-such.yaml", dir);
  assert_int_equal(invdes_file_read(path, &buf, &len, &err), INVDES_ERR_IO);
  assert_null(buf);
  assert_int_equal(len, 0);
  assert_non_null(strstr(err.message, path));
  assert_non_null(strstr(err.message, "cannot open"));
}

static void test_directory(void **state) {
  (void)state;
  char *buf = NULL;
  size_t len = 0;
  invdes_error err;
  invdes_error_clear(&err);
  assert_int_equal(invdes_file_read(dir, &buf, &len, &err), INVDES_ERR_IO);
  assert_null(buf);
  assert_non_null(strstr(err.message, dir));
  assert_non_null(strstr(err.message, "is a directory"));
}

static void test_empty(void **state) {
  (void)state;
  const char *p = write_file("empty", "", 0);
  char *buf = NULL;
  size_t len = 99;
  invdes_error err;
  invdes_error_clear(&err);
  assert_int_equal(invdes_file_read(p, &buf, &len, &err), INVDES_OK);
  assert_non_null(buf);
  assert_int_equal(len, 0);
  assert_int_equal(buf[0], '\0');
  free(buf);
  unlink(p);
}

static void test_nul_bytes(void **state) {
  (void)state;
  static const char bytes[] = {'a', '\0', 'b', '\0', '\0', 'c'};
  const char *p = write_file("nul", bytes, sizeof bytes);
  char *buf = NULL;
  size_t len = 0;
  invdes_error err;
  invdes_error_clear(&err);
  assert_int_equal(invdes_file_read(p, &buf, &len, &err), INVDES_OK);
  assert_int_equal(len, sizeof bytes);
  assert_memory_equal(buf, bytes, sizeof bytes);
  assert_int_equal(buf[len], '\0');
  free(buf);
  unlink(p);
}

/* Several doublings of the buffer, and sizes on either side of a boundary
 * (the buffer keeps one byte for the NUL). */
static void test_large(void **state) {
  (void)state;
  const size_t sizes[] = {(1u << 16) - 1, 1u << 16, (1u << 16) + 1, 300001};
  for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
    size_t n = sizes[k];
    char *bytes = malloc(n);
    assert_non_null(bytes);
    for (size_t i = 0; i < n; i++) bytes[i] = (char)('a' + (i * 7 + k) % 26);
    const char *p = write_file("large", bytes, n);
    char *buf = NULL;
    size_t len = 0;
    invdes_error err;
    invdes_error_clear(&err);
    assert_int_equal(invdes_file_read(p, &buf, &len, &err), INVDES_OK);
    assert_int_equal(len, n);
    assert_memory_equal(buf, bytes, n);
    assert_int_equal(buf[n], '\0');
    free(buf);
    free(bytes);
    unlink(p);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_missing), cmocka_unit_test(test_directory),
      cmocka_unit_test(test_empty), cmocka_unit_test(test_nul_bytes),
      cmocka_unit_test(test_large),
  };
  return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
