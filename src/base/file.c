/* file.c — reading a whole file into one NUL-terminated buffer (file.h).
 *
 * The buffer grows by doubling from 64 KiB; the doubling is refused before
 * it would overflow size_t, so an absurdly large input ends in a message,
 * never in a wrapped size and a short buffer. */
#include "file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* First capacity of the buffer; doubled while the file fills it. */
#define FILE_READ_FIRST_CAP ((size_t)1 << 16)

invdes_status invdes_file_read_stream(FILE *f, const char *path, char **out, size_t *len,
                                      invdes_error *err) {
  *out = NULL;
  *len = 0;
  size_t cap = FILE_READ_FIRST_CAP, n = 0;
  char *buf = malloc(cap);
  if (!buf) return invdes_error_set(err, INVDES_ERR_NOMEM, "%s: out of memory", path);
  for (;;) {
    n += fread(buf + n, 1, cap - 1 - n, f); /* keeps one byte for the NUL */
    if (ferror(f)) {
      free(buf);
      return invdes_error_set(err, INVDES_ERR_IO, "%s: cannot read: %s", path, strerror(errno));
    }
    if (n < cap - 1) break;
    if (cap > ((size_t)-1) / 2) {
      free(buf);
      return invdes_error_set(err, INVDES_ERR_IO, "%s: too large to read into memory", path);
    }
    char *b = realloc(buf, cap * 2);
    if (!b) {
      free(buf);
      return invdes_error_set(err, INVDES_ERR_NOMEM, "%s: out of memory", path);
    }
    buf = b;
    cap *= 2;
  }
  buf[n] = '\0';
  *out = buf;
  *len = n;
  return INVDES_OK;
}

invdes_status invdes_file_read(const char *path, char **buf, size_t *len, invdes_error *err) {
  *buf = NULL;
  *len = 0;
  if (!path) return invdes_error_set(err, INVDES_ERR_USAGE, "invdes_file_read: no path");
  FILE *f = fopen(path, "rb");
  if (!f) return invdes_error_set(err, INVDES_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
  /* fopen opens a directory on Linux and the first read fails with EISDIR;
   * saying so plainly reads better than "cannot read: Is a directory". */
  struct stat sb;
  invdes_status st;
  if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode))
    st = invdes_error_set(err, INVDES_ERR_IO, "%s: is a directory, not a file", path);
  else
    st = invdes_file_read_stream(f, path, buf, len, err);
  fclose(f);
  return st;
}
