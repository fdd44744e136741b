/* test_serve.c — the parts of `invdes serve` that need no network: the
 * tokens file (serve_tokens.h: fields, comments, every refusal with its
 * line, the private-file rule), the comparison and lookup of a presented
 * token, and request bodies as JSON (serve_json.h: the depth scan with
 * strings and escapes, the object rule, duplicate keys, typed fields and
 * their ranges). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "serve_json.h"
#include "serve_tokens.h"

#define T1 "0123456789abcdef0123"
#define T2 "fedcba9876543210fedc"

/* ---- tokens ------------------------------------------------------------ */

static invdes_serve_tokens *parse(const char *text, invdes_error *err) {
  invdes_error_clear(err);
  return invdes_serve_tokens_parse("tok", text, strlen(text), err);
}

static void tokens_good_file(void **state) {
  invdes_error err;
  invdes_serve_tokens *t = parse("# who may connect\n\n" T1 " robot1 station\n"
                                 "  " T2 "\tlab-tv\tviewer   # the screen\r\n"
                                 "A-._~+/=Z0123456789xyz alice@lab admin",
                                 &err);
  assert_non_null(t);
  assert_int_equal(invdes_serve_tokens_count(t), 3);
  const char *name;
  assert_int_equal(invdes_serve_tokens_find(t, T1, strlen(T1), &name), INVDES_SERVE_STATION);
  assert_string_equal(name, "robot1");
  assert_int_equal(invdes_serve_tokens_find(t, T2, strlen(T2), &name), INVDES_SERVE_VIEWER);
  assert_string_equal(name, "lab-tv");
  assert_int_equal(invdes_serve_tokens_find(t, "A-._~+/=Z0123456789xyz", 22, &name),
                   INVDES_SERVE_ADMIN);
  assert_string_equal(name, "alice@lab");
  /* A prefix, an extension, a one-character change, the empty token: none. */
  assert_int_equal(invdes_serve_tokens_find(t, T1, strlen(T1) - 1, &name), INVDES_SERVE_NONE);
  assert_null(name);
  assert_int_equal(invdes_serve_tokens_find(t, T1 "0", strlen(T1) + 1, &name), INVDES_SERVE_NONE);
  assert_int_equal(invdes_serve_tokens_find(t, "1123456789abcdef0123", 20, &name),
                   INVDES_SERVE_NONE);
  assert_int_equal(invdes_serve_tokens_find(t, "0123456789abcdef0124", 20, &name),
                   INVDES_SERVE_NONE);
  assert_int_equal(invdes_serve_tokens_find(t, "", 0, &name), INVDES_SERVE_NONE);
  assert_int_equal(invdes_serve_tokens_find(NULL, T1, strlen(T1), &name), INVDES_SERVE_NONE);
  invdes_serve_tokens_free(t);
}

/* Each bad file is refused with its line and the reason. */
static void tokens_refused(void **state) {
  static const struct {
    const char *text, *where, *why;
  } cases[] = {
      {T1 " robot1\n", "tok:1:", "TOKEN NAME ROLE"},
      {T1 "\n", "tok:1:", "found 1 field"},
      {"# ok\n" T1 " robot1 station extra\n", "tok:2:", "4 fields"},
      {T1 " robot1 operator\n", "tok:1:", "unknown role 'operator'"},
      {T1 " robot1 Station\n", "tok:1:", "unknown role"},
      {"short robot1 station\n", "tok:1:", "16 to 256"},
      {"0123456789abcdef012\"3 robot1 station\n", "tok:1:20:", "letters, digits"},
      {T1 " robot=1 station\n", "tok:1:", "the name 'robot=1'"},
      {T1 " r1 station\n" T1 " r2 station\n", "tok:2:", "token is given twice"},
      {T1 " r1 station\n" T2 " r1 viewer\n", "tok:2:", "'r1' is given twice"},
      {"\n# nothing\n\n", "tok:", "no token"},
      {"", "tok:", "no token"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    invdes_error err;
    invdes_serve_tokens *t = parse(cases[i].text, &err);
    if (t) fail_msg("case %zu was accepted", i);
    if (!strstr(err.message, cases[i].where) || !strstr(err.message, cases[i].why))
      fail_msg("case %zu: '%s' lacks '%s' or '%s'", i, err.message, cases[i].where,
               cases[i].why);
  }
  /* A NUL byte inside a line: not a text file. */
  invdes_error err;
  invdes_error_clear(&err);
  static const char nul[] = T1 " r1 station\n" T2 "\0 r2 station\n";
  assert_null(invdes_serve_tokens_parse("tok", nul, sizeof nul - 1, &err));
  assert_non_null(strstr(err.message, "tok:2:"));
  /* A name of 65 characters. */
  char text[200];
  snprintf(text, sizeof text, "%s %065d station\n", T1, 7);
  assert_null(parse(text, &err));
  assert_non_null(strstr(err.message, "1 to 64"));
}

/* The file must be private: others may neither read nor write it. */
static void tokens_file_mode(void **state) {
  char dir[] = "/tmp/test_serve_XXXXXX";
  assert_non_null(mkdtemp(dir));
  char path[64];
  snprintf(path, sizeof path, "%s/tokens", dir);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(T1 " robot1 station\n", f);
  fclose(f);
  static const mode_t refused[] = {0644, 0640, 0604, 0620, 0602, 0660};
  invdes_error err;
  for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
    assert_int_equal(chmod(path, refused[i]), 0);
    invdes_error_clear(&err);
    assert_null(invdes_serve_tokens_load(path, &err));
    assert_non_null(strstr(err.message, "chmod 600"));
  }
  assert_int_equal(chmod(path, 0600), 0);
  invdes_serve_tokens *t = invdes_serve_tokens_load(path, &err);
  assert_non_null(t);
  assert_int_equal(invdes_serve_tokens_count(t), 1);
  invdes_serve_tokens_free(t);
  assert_int_equal(chmod(path, 0400), 0);
  t = invdes_serve_tokens_load(path, &err);
  assert_non_null(t);
  invdes_serve_tokens_free(t);
  invdes_error_clear(&err);
  assert_null(invdes_serve_tokens_load(dir, &err)); /* a folder */
  assert_non_null(strstr(err.message, "not a regular file"));
  unlink(path);
  invdes_error_clear(&err);
  assert_null(invdes_serve_tokens_load(path, &err)); /* missing */
  assert_non_null(strstr(err.message, "cannot open"));
  rmdir(dir);
}

static void ct_equal(void **state) {
  assert_true(invdes_serve_ct_equal("abc", 3, "abc", 3));
  assert_false(invdes_serve_ct_equal("abc", 3, "abd", 3));
  assert_false(invdes_serve_ct_equal("xbc", 3, "abc", 3));
  assert_false(invdes_serve_ct_equal("ab", 2, "abc", 3));
  assert_false(invdes_serve_ct_equal("abcd", 4, "abc", 3));
  /* a repeats itself cyclically over b's length: still not equal */
  assert_false(invdes_serve_ct_equal("ab", 2, "abab", 4));
  assert_false(invdes_serve_ct_equal("", 0, "a", 1));
  assert_false(invdes_serve_ct_equal("a", 1, "", 0));
  assert_true(invdes_serve_ct_equal("", 0, "", 0));
  /* bytes with the high bit, and a NUL inside */
  assert_true(invdes_serve_ct_equal("\xff\0x", 3, "\xff\0x", 3));
  assert_false(invdes_serve_ct_equal("\xff\0x", 3, "\xff\0y", 3));
  assert_string_equal(invdes_serve_role_name(INVDES_SERVE_ADMIN), "admin");
  assert_string_equal(invdes_serve_role_name(INVDES_SERVE_NONE), "none");
}

/* ---- JSON bodies ------------------------------------------------------- */

static void json_depth(void **state) {
  assert_int_equal(invdes_serve_json_depth("{}", 2, 32), 1);
  assert_int_equal(invdes_serve_json_depth("1", 1, 32), 0);
  const char *s = "{\"a\": [1, {\"b\": [[]]}]}";
  assert_int_equal(invdes_serve_json_depth(s, strlen(s), 32), 5);
  /* Brackets inside strings, escaped quotes and backslashes do not count. */
  s = "{\"a\": \"[[[[{{{\", \"b\": \"\\\"[[[\", \"c\": \"\\\\\", \"d\": [1]}";
  assert_int_equal(invdes_serve_json_depth(s, strlen(s), 32), 2);
  char deep[100];
  memset(deep, '[', 40);
  memset(deep + 40, ']', 40);
  assert_int_equal(invdes_serve_json_depth(deep, 80, 32), 33); /* stops past max */
  assert_int_equal(invdes_serve_json_depth(deep, 80, 40), 40);
  /* Unbalanced closers never go below zero. */
  assert_int_equal(invdes_serve_json_depth("]]]{", 4, 32), 1);
}

static int object(const char *text, int empty_ok, json_t **o, invdes_error *err) {
  invdes_error_clear(err);
  return invdes_serve_json_object(text, strlen(text), empty_ok, 32, o, err);
}

static void json_bodies(void **state) {
  invdes_error err;
  json_t *o;
  assert_int_equal(object("{\"n\": 2}", 0, &o, &err), 0);
  assert_int_equal(json_integer_value(json_object_get(o, "n")), 2);
  json_decref(o);
  assert_int_equal(object(" \r\n\t", 1, &o, &err), 0); /* empty: {} when allowed */
  assert_int_equal(json_object_size(o), 0);
  json_decref(o);
  assert_int_equal(object("", 0, &o, &err), 400);
  assert_null(o);
  static const char *const bad[] = {"[1]", "1", "\"x\"", "null", "{\"n\": 1} {}", "{\"n\": }",
                                    "{\"n\": 1, \"n\": 2}", "{\"x\": NaN}", "{\"x\": Infinity}",
                                    "{\"x\": 1e999}", "{\"x\": 99999999999999999999999}",
                                    "{\"x\": \"a\\u0000b\"}", "{'n': 1}", "\xef\xbb\xbf{}"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    if (object(bad[i], 1, &o, &err) != 400) fail_msg("'%s' was not refused with 400", bad[i]);
    assert_null(o);
    assert_true(err.message[0] != '\0');
  }
  char deep[200];
  memset(deep, '[', 40);
  memset(deep + 40, ']', 40);
  deep[80] = '\0';
  assert_int_equal(object(deep, 0, &o, &err), 413);
  assert_non_null(strstr(err.message, "32"));
  assert_int_equal(object("{\"a\": \"line\\nbreak [[[[[[\"}", 0, &o, &err), 0);
  json_decref(o);
}

static void json_fields(void **state) {
  invdes_error err;
  invdes_error_clear(&err);
  json_t *o = json_loads("{\"n\": 3, \"x\": 2.5, \"i\": 7, \"b\": true, \"s\": \"hi\", "
                         "\"e\": \"\", \"big\": 1001, \"neg\": -1, \"str\": \"2\"}", 0, NULL);
  assert_non_null(o);
  long long n;
  double x;
  int b;
  const char *s;
  assert_int_equal(invdes_serve_json_int(o, "n", 1, 1000, 1, &n, &err), 0);
  assert_int_equal(n, 3);
  assert_int_equal(invdes_serve_json_int(o, "absent", 1, 1000, 1, &n, &err), 0);
  assert_int_equal(n, 1);
  assert_int_equal(invdes_serve_json_int(o, "big", 1, 1000, 1, &n, &err), 400);
  assert_non_null(strstr(err.message, "\"big\""));
  assert_int_equal(invdes_serve_json_int(o, "x", 1, 1000, 1, &n, &err), 400); /* 2.5 */
  assert_int_equal(invdes_serve_json_int(o, "str", 1, 1000, 1, &n, &err), 400); /* "2" */
  assert_int_equal(invdes_serve_json_number(o, "x", 0, 10, 0, &x, &err), 0);
  assert_true(x == 2.5);
  assert_int_equal(invdes_serve_json_number(o, "i", 0, 10, 0, &x, &err), 0); /* integer */
  assert_true(x == 7);
  assert_int_equal(invdes_serve_json_number(o, "neg", 0, 10, 0, &x, &err), 400);
  assert_int_equal(invdes_serve_json_number(o, "s", 0, 10, 0, &x, &err), 400);
  assert_int_equal(invdes_serve_json_number(o, "absent", 0, 10, 4, &x, &err), 0);
  assert_true(x == 4);
  assert_int_equal(invdes_serve_json_bool(o, "b", 0, &b, &err), 0);
  assert_int_equal(b, 1);
  assert_int_equal(invdes_serve_json_bool(o, "n", 0, &b, &err), 400);
  assert_int_equal(invdes_serve_json_string(o, "s", 1, &s, &err), 0);
  assert_string_equal(s, "hi");
  assert_int_equal(invdes_serve_json_string(o, "e", 1, &s, &err), 400);
  assert_int_equal(invdes_serve_json_string(o, "e", 0, &s, &err), 0);
  assert_int_equal(invdes_serve_json_string(o, "n", 0, &s, &err), 400);
  assert_int_equal(invdes_serve_json_string(o, "absent", 1, &s, &err), 0);
  assert_null(s);
  static const char *const some[] = {"n", "x", NULL};
  static const char *const all[] = {"n", "x", "i", "b", "s", "e", "big", "neg", "str", NULL};
  assert_int_equal(invdes_serve_json_keys(o, all, &err), 0);
  assert_int_equal(invdes_serve_json_keys(o, some, &err), 400);
  assert_non_null(strstr(err.message, "keys: n, x"));
  json_decref(o);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(tokens_good_file), cmocka_unit_test(tokens_refused),
      cmocka_unit_test(tokens_file_mode), cmocka_unit_test(ct_equal),
      cmocka_unit_test(json_depth),       cmocka_unit_test(json_bodies),
      cmocka_unit_test(json_fields),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
