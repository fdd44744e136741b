/* file.h — reading a whole file into memory, for the readers that parse a
 * file from a buffer (campaign YAML, CSV tables, station reports).
 *
 * One reader with one set of guarantees: the size never overflows (a file
 * too large to hold is refused, not wrapped around), every message names the
 * file ("FILE: cannot open: ...", "FILE: is a directory", "FILE: cannot read:
 * ...", "FILE: out of memory"), and the buffer ends with a NUL byte after the
 * last byte read so a text parser may treat it as a C string. The buffer may
 * hold NUL bytes of its own: *len, not strlen, is its length. This module does
 * not interpret the bytes (no byte-order mark, no line ends) and never prints. */
#ifndef INVDES_FILE_H
#define INVDES_FILE_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"
#include "invdes_export.h"

/* Reads the file at `path` whole. On success returns INVDES_OK, *buf holds
 * *len bytes plus a terminating NUL (the caller frees it with free()) and an
 * empty file gives *len == 0 and *buf "". On failure returns INVDES_ERR_IO
 * (cannot open, a directory, a read error, too large) or INVDES_ERR_NOMEM with
 * one message in err, and sets *buf to NULL and *len to 0. */
INVDES_API
invdes_status invdes_file_read(const char *path, char **buf, size_t *len, invdes_error *err);

/* The same from an open stream (standard input, say) to its end; `name`
 * names it in messages. The caller keeps and closes f. */
INVDES_API
invdes_status invdes_file_read_stream(FILE *f, const char *name, char **buf, size_t *len,
                                      invdes_error *err);

#endif
