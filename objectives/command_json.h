/* command_json.h — the JSON side of the command evaluator (internal).
 *
 * Encodes a request as the single line of JSON a program reads, and decodes a
 * program's output into one value per target or a failure reason. No
 * processes here; command_run.c runs the programs. */
#ifndef INVDES_COMMAND_JSON_H
#define INVDES_COMMAND_JSON_H

#include <stddef.h>

#include "command.h"

/* Writes {"id": N, "parameters": {...}}\n into a new buffer (*text, the caller
 * frees; *len its length without the NUL). Numbers are written in the
 * shortest form that reads back to the same double (850, 0.6). Returns
 * INVDES_OK; INVDES_ERR_INVALID with a reason in err for a non-finite number
 * or a name or label that is not UTF-8; INVDES_ERR_NOMEM. */
invdes_status invdes_command_encode_request(const invdes_eval_request *req, char **text,
                                            size_t *len, invdes_error *err);

/* Reads a program's standard output (len bytes, need not be NUL-terminated)
 * into values[0..n_targets) (NaN where missing or invalid). Returns 1 when
 * every target has a finite number; else 0 with the reason in reason (at most
 * reason_size bytes): not a JSON object (quoting the first 200 bytes), a
 * {"failed": ...} report, missing targets, and values that are not finite
 * numbers, each named. Python's and C's NaN/Infinity/inf spellings are
 * recognised so that such a value is named rather than reported as bad JSON.
 * Returns -1 when memory ran out (reason says so). */
int invdes_command_decode_output(const char *out, size_t len, const char *const *targets,
                                 size_t n_targets, double *values, char *reason,
                                 size_t reason_size);

/* Quotes up to max bytes of s (len bytes) into buf as printable text:
 * control characters and non-ASCII bytes become \xNN, and "..." marks a cut. */
void invdes_command_quote(const char *s, size_t len, size_t max, char *buf, size_t size);

#endif
