/* test_sha256.c — SHA-256 against the FIPS 180-4 / NIST example vectors, and
 * streaming in odd-sized pieces giving the same digest as one call. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"

static void test_known_vectors(void **state) {
  (void)state;
  char hex[INVDES_SHA256_HEX];
  invdes_sha256_hex("", 0, hex);
  assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  invdes_sha256_hex("abc", 3, hex);
  assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"; /* 448 bits */
  invdes_sha256_hex(m, strlen(m), hex);
  assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  const char *m2 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                   "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"; /* 896 bits */
  invdes_sha256_hex(m2, strlen(m2), hex);
  assert_string_equal(hex, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

static void test_million_a_streamed(void **state) {
  (void)state;
  size_t n = 1000000;
  char *a = malloc(n);
  assert_non_null(a);
  memset(a, 'a', n);
  char hex[INVDES_SHA256_HEX];
  invdes_sha256_hex(a, n, hex);
  assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  /* The same bytes in pieces of 1, 63, 64, 65, 7 ... bytes. */
  static const size_t pieces[] = {1, 63, 64, 65, 7, 128, 55, 56, 57};
  invdes_sha256 ctx;
  invdes_sha256_init(&ctx);
  size_t done = 0;
  for (size_t k = 0; done < n; k++) {
    size_t take = pieces[k % 9] < n - done ? pieces[k % 9] : n - done;
    invdes_sha256_update(&ctx, a + done, take);
    done += take;
  }
  unsigned char d[INVDES_SHA256_BYTES];
  char hex2[INVDES_SHA256_HEX];
  invdes_sha256_final(&ctx, d);
  invdes_sha256_to_hex(d, hex2);
  assert_string_equal(hex2, hex);
  free(a);
}

static void test_lengths_near_block_edges_differ(void **state) {
  (void)state;
  /* Padding bugs show as equal digests for messages 55..65 bytes long. */
  char buf[70], hex[12][INVDES_SHA256_HEX];
  memset(buf, 'x', sizeof buf);
  for (int i = 0; i < 12; i++) invdes_sha256_hex(buf, 54 + (size_t)i, hex[i]);
  for (int i = 0; i < 12; i++)
    for (int j = i + 1; j < 12; j++) assert_string_not_equal(hex[i], hex[j]);
  /* 55 bytes of 'a' (one block exactly with padding), a published vector. */
  memset(buf, 'a', 55);
  char h55[INVDES_SHA256_HEX];
  invdes_sha256_hex(buf, 55, h55);
  assert_string_equal(h55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_known_vectors),
      cmocka_unit_test(test_million_a_streamed),
      cmocka_unit_test(test_lengths_near_block_edges_differ),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
