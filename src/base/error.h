/* error.h — status codes and the error record every fallible call fills.
 *
 * A function that can fail returns an invdes_status and, when the caller passes
 * a non-NULL invdes_error, leaves a human-readable message there. Messages about
 * input files start with "FILE:LINE:COLUMN: " (1-based, as editors count) so a
 * user can jump to the spot. Several diagnostics may be collected in one record,
 * one per line. Nothing here is global: two campaigns in one process each have
 * their own records. This module never prints. */
#ifndef INVDES_ERROR_H
#define INVDES_ERROR_H

#include <stdarg.h>
#include <stddef.h>

#include "invdes_export.h"

typedef enum invdes_status {
  INVDES_OK = 0,
  INVDES_ERR_NOMEM,      /* an allocation failed */
  INVDES_ERR_IO,         /* a file could not be opened, read or written */
  INVDES_ERR_PARSE,      /* a file is not well-formed (YAML, CSV, expression) */
  INVDES_ERR_INVALID,    /* well-formed but wrong: a bad value, a missing key */
  INVDES_ERR_INFEASIBLE, /* no point satisfies the constraints */
  INVDES_ERR_NUMERIC,    /* a computation failed (non-finite, no factorization) */
  INVDES_ERR_DB,         /* the SQLite store refused an operation */
  INVDES_ERR_EVAL,       /* an evaluation failed */
  INVDES_ERR_USAGE,      /* a call's arguments are off (a programming error) */
  INVDES_ERR_HELD        /* a proposal is leased to another station: not the caller's */
} invdes_status;

/* Room for a few dozen diagnostics; a longer list ends with a note that it was
 * cut, never with a truncated line. */
#define INVDES_ERROR_MAX 8192

typedef struct invdes_error {
  invdes_status status; /* the first failure recorded, INVDES_OK if none */
  int count;            /* number of diagnostics recorded */
  char message[INVDES_ERROR_MAX];
} invdes_error;

/* Clears the record (status OK, empty message). err may be NULL. */
INVDES_API
void invdes_error_clear(invdes_error *err);

/* Replaces the record with one formatted message; returns status so callers can
 * write `return invdes_error_set(err, INVDES_ERR_IO, "...")`. err may be NULL. */
INVDES_API
invdes_status invdes_error_set(invdes_error *err, invdes_status status,
                               const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Adds one diagnostic as a new line, keeping the earlier ones (the record's
 * status stays the first non-OK one). Returns status. err may be NULL. */
INVDES_API
invdes_status invdes_error_add(invdes_error *err, invdes_status status,
                               const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

INVDES_API
invdes_status invdes_error_vadd(invdes_error *err, invdes_status status,
                                const char *fmt, va_list ap);

/* Adds "FILE:LINE:COLUMN: message" (line and column 1-based; a line of 0 leaves
 * out line and column). Returns status. */
INVDES_API
invdes_status invdes_error_at(invdes_error *err, invdes_status status,
                              const char *file, int line, int column,
                              const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* A short constant name for a status ("parse error", ...). */
INVDES_API
const char *invdes_status_string(invdes_status status);

#endif
