/* serve_json.h — request bodies of `invdes serve` read as JSON: the nesting
 * depth checked before parsing (jansson would recurse), duplicate keys
 * refused, and typed fields read with their ranges, unknown keys refused.
 * Each reader returns 0, or the HTTP status to answer (400, or 413 for a
 * body nested too deep) with a message in err. Nothing here prints or
 * touches the network. */
#ifndef INVDES_SERVE_JSON_H
#define INVDES_SERVE_JSON_H

#include <stddef.h>

#include <jansson.h>

#include "error.h"

/* The deepest nesting of arrays and objects in text (len bytes), strings
 * skipped; stops counting once past `max` and returns max + 1. */
int invdes_serve_json_depth(const char *text, size_t len, int max);

/* Parses a body that must be one JSON object into *out (a new reference).
 * An empty body (only blanks) is {} when empty_ok, else 400. Nesting deeper
 * than max_depth is 413; bad JSON, duplicate keys, a non-object and text
 * after it are 400 with jansson's line and column. */
int invdes_serve_json_object(const char *text, size_t len, int empty_ok, int max_depth,
                             json_t **out, invdes_error *err);

/* 400 naming the first key of obj that is not in `allowed` (NULL-ended). */
int invdes_serve_json_keys(const json_t *obj, const char *const *allowed, invdes_error *err);

/* obj[key], absent: *out = def. A whole number in [lo, hi]. */
int invdes_serve_json_int(const json_t *obj, const char *key, long long lo, long long hi,
                          long long def, long long *out, invdes_error *err);
/* A finite number (integer or real) in [lo, hi]. */
int invdes_serve_json_number(const json_t *obj, const char *key, double lo, double hi,
                             double def, double *out, invdes_error *err);
/* true or false. */
int invdes_serve_json_bool(const json_t *obj, const char *key, int def, int *out,
                           invdes_error *err);
/* A string (borrowed from obj), non-empty when nonempty; absent: *out NULL. */
int invdes_serve_json_string(const json_t *obj, const char *key, int nonempty,
                             const char **out, invdes_error *err);

#endif
