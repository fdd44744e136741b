/* sha256.h — SHA-256 (FIPS 180-4) of byte strings, for telling whether a
 * campaign file or a candidate pool changed since a database was made.
 *
 * A compact, dependency-free implementation: streaming (init/update/final) and
 * one-shot, with a lower-case hex form. It is a fingerprint, not a security
 * boundary: nothing here is constant-time and there is no HMAC. */
#ifndef INVDES_SHA256_H
#define INVDES_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define INVDES_SHA256_BYTES 32
#define INVDES_SHA256_HEX 65 /* 64 hex digits and the terminating NUL */

typedef struct invdes_sha256 {
  uint32_t h[8];
  uint64_t bytes;        /* message length so far */
  unsigned char buf[64]; /* a partial block */
  size_t used;           /* bytes in buf, < 64 */
} invdes_sha256;

void invdes_sha256_init(invdes_sha256 *ctx);
void invdes_sha256_update(invdes_sha256 *ctx, const void *data, size_t len);
/* Writes the 32-byte digest; ctx must be initialised again before reuse. */
void invdes_sha256_final(invdes_sha256 *ctx, unsigned char out[INVDES_SHA256_BYTES]);

/* The digest of data[0..len) as 64 lower-case hex digits and a NUL. */
void invdes_sha256_hex(const void *data, size_t len, char out[INVDES_SHA256_HEX]);

/* The hex form of a digest finished with invdes_sha256_final. */
void invdes_sha256_to_hex(const unsigned char digest[INVDES_SHA256_BYTES],
                          char out[INVDES_SHA256_HEX]);

#endif
