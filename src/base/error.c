/* error.c — filling invdes_error records (see error.h). Formatting only; the
 * record never allocates, so reporting an out-of-memory condition cannot fail. */
#include "error.h"

#include <stdio.h>
#include <string.h>

void invdes_error_clear(invdes_error *err) {
  if (!err) return;
  err->status = INVDES_OK;
  err->count = 0;
  err->message[0] = '\0';
}

static const char truncated_note[] = "(further errors not shown)\n";

invdes_status invdes_error_vadd(invdes_error *err, invdes_status status,
                                const char *fmt, va_list ap) {
  if (!err) return status;
  if (err->status == INVDES_OK) err->status = status;
  size_t used = strlen(err->message);
  size_t room = sizeof err->message - used;
  if (room <= sizeof truncated_note) return status; /* already full */
  char line[1024];
  int n = vsnprintf(line, sizeof line, fmt, ap);
  if (n < 0) return status;
  size_t len = strlen(line);
  /* Keep space for the note so that the record never ends mid-line. */
  if (len + 2 + sizeof truncated_note > room) {
    if (!strstr(err->message, truncated_note))
      memcpy(err->message + used, truncated_note, sizeof truncated_note);
    return status;
  }
  if (used > 0 && err->message[used - 1] != '\n') err->message[used++] = '\n';
  memcpy(err->message + used, line, len + 1);
  err->count++;
  return status;
}

invdes_status invdes_error_add(invdes_error *err, invdes_status status,
                               const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  invdes_error_vadd(err, status, fmt, ap);
  va_end(ap);
  return status;
}

invdes_status invdes_error_set(invdes_error *err, invdes_status status,
                               const char *fmt, ...) {
  invdes_error_clear(err);
  va_list ap;
  va_start(ap, fmt);
  invdes_error_vadd(err, status, fmt, ap);
  va_end(ap);
  return status;
}

invdes_status invdes_error_at(invdes_error *err, invdes_status status,
                              const char *file, int line, int column,
                              const char *fmt, ...) {
  if (!err) return status;
  char body[900];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(body, sizeof body, fmt, ap);
  va_end(ap);
  if (line > 0)
    return invdes_error_add(err, status, "%s:%d:%d: %s", file ? file : "<input>",
                            line, column, body);
  return invdes_error_add(err, status, "%s: %s", file ? file : "<input>", body);
}

const char *invdes_status_string(invdes_status status) {
  switch (status) {
  case INVDES_OK: return "ok";
  case INVDES_ERR_NOMEM: return "out of memory";
  case INVDES_ERR_IO: return "input/output error";
  case INVDES_ERR_PARSE: return "parse error";
  case INVDES_ERR_INVALID: return "invalid input";
  case INVDES_ERR_INFEASIBLE: return "infeasible";
  case INVDES_ERR_NUMERIC: return "numerical failure";
  case INVDES_ERR_DB: return "database error";
  case INVDES_ERR_EVAL: return "evaluation failed";
  case INVDES_ERR_USAGE: return "usage error";
  case INVDES_ERR_HELD: return "held by another station";
  }
  return "unknown error";
}
