/* test_error.c — the error record: messages accumulate line by line, the first
 * status sticks, and an overflowing list ends with a note, never mid-line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "error.h"

static void test_set_and_add(void **state) {
  (void)state;
  invdes_error err;
  invdes_error_clear(&err);
  assert_int_equal(err.status, INVDES_OK);
  assert_int_equal(invdes_error_set(&err, INVDES_ERR_IO, "cannot open %s", "x.yaml"),
                   INVDES_ERR_IO);
  invdes_error_at(&err, INVDES_ERR_PARSE, "c.yaml", 3, 7, "unknown key '%s'", "bound");
  assert_int_equal(err.status, INVDES_ERR_IO);
  assert_int_equal(err.count, 2);
  assert_string_equal(err.message, "cannot open x.yaml\nc.yaml:3:7: unknown key 'bound'");
}

static void test_overflow_is_marked(void **state) {
  (void)state;
  invdes_error err;
  invdes_error_clear(&err);
  for (int i = 0; i < 1000; i++)
    invdes_error_at(&err, INVDES_ERR_INVALID, "c.yaml", i + 1, 1, "problem number %d", i);
  size_t len = strlen(err.message);
  assert_true(len < sizeof err.message);
  assert_non_null(strstr(err.message, "(further errors not shown)\n"));
  assert_true(err.count > 10 && err.count < 1000);
  /* Every kept line is whole: it ends with its own number. */
  assert_null(strstr(err.message, "problem number \n"));
}

static void test_null_record(void **state) {
  (void)state;
  assert_int_equal(invdes_error_set(NULL, INVDES_ERR_NOMEM, "x"), INVDES_ERR_NOMEM);
  assert_string_equal(invdes_status_string(INVDES_ERR_PARSE), "parse error");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_set_and_add),
      cmocka_unit_test(test_overflow_is_marked),
      cmocka_unit_test(test_null_record),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
