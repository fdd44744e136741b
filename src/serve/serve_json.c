/* serve_json.c — request bodies as JSON; see serve_json.h. The depth is
 * counted on the raw text first, so a hostile body of a million '[' costs a
 * scan, not a million stack frames in the parser. */
#include "serve_json.h"

#include <math.h>
#include <string.h>

int invdes_serve_json_depth(const char *text, size_t len, int max) {
  int depth = 0, deepest = 0, in_string = 0;
  for (size_t i = 0; i < len; i++) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') i++;
      else if (c == '"') in_string = 0;
      continue;
    }
    if (c == '"') in_string = 1;
    else if (c == '[' || c == '{') {
      if (++depth > deepest) deepest = depth;
      if (deepest > max) return max + 1;
    } else if ((c == ']' || c == '}') && depth > 0) {
      depth--;
    }
  }
  return deepest;
}

int invdes_serve_json_object(const char *text, size_t len, int empty_ok, int max_depth,
                             json_t **out, invdes_error *err) {
  *out = NULL;
  size_t i = 0;
  while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
    i++;
  if (i == len) {
    if (!empty_ok) {
      invdes_error_set(err, INVDES_ERR_INVALID, "the request needs a JSON object as its body");
      return 400;
    }
    *out = json_object();
    if (*out) return 0;
    invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
    return 500;
  }
  if (invdes_serve_json_depth(text, len, max_depth) > max_depth) {
    invdes_error_set(err, INVDES_ERR_INVALID, "the JSON body nests deeper than %d levels",
                     max_depth);
    return 413;
  }
  json_error_t jerr;
  json_t *v = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
  if (!v) {
    invdes_error_set(err, INVDES_ERR_PARSE, "the body is not valid JSON: line %d, column %d: %s",
                     jerr.line, jerr.column, jerr.text);
    return 400;
  }
  if (!json_is_object(v)) {
    json_decref(v);
    invdes_error_set(err, INVDES_ERR_INVALID, "the body must be a JSON object ({...})");
    return 400;
  }
  *out = v;
  return 0;
}

int invdes_serve_json_keys(const json_t *obj, const char *const *allowed, invdes_error *err) {
  const char *key;
  json_t *v;
  json_object_foreach((json_t *)obj, key, v) {
    size_t k = 0;
    while (allowed[k] && strcmp(allowed[k], key) != 0) k++;
    if (!allowed[k]) {
      char list[256] = "";
      for (size_t j = 0; allowed[j]; j++) {
        strncat(list, j ? ", " : "", sizeof list - strlen(list) - 1);
        strncat(list, allowed[j], sizeof list - strlen(list) - 1);
      }
      invdes_error_set(err, INVDES_ERR_INVALID, "unknown key \"%.100s\" (keys: %s)", key, list);
      return 400;
    }
  }
  return 0;
}

int invdes_serve_json_int(const json_t *obj, const char *key, long long lo, long long hi,
                          long long def, long long *out, invdes_error *err) {
  json_t *v = json_object_get(obj, key);
  *out = def;
  if (!v) return 0;
  if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
    invdes_error_set(err, INVDES_ERR_INVALID, "\"%s\" must be a whole number from %lld to %lld",
                     key, lo, hi);
    return 400;
  }
  *out = (long long)json_integer_value(v);
  return 0;
}

int invdes_serve_json_number(const json_t *obj, const char *key, double lo, double hi,
                             double def, double *out, invdes_error *err) {
  json_t *v = json_object_get(obj, key);
  *out = def;
  if (!v) return 0;
  double x = json_is_number(v) ? json_number_value(v) : NAN;
  if (!isfinite(x) || x < lo || x > hi) {
    invdes_error_set(err, INVDES_ERR_INVALID, "\"%s\" must be a number from %.17g to %.17g",
                     key, lo, hi);
    return 400;
  }
  *out = x;
  return 0;
}

int invdes_serve_json_bool(const json_t *obj, const char *key, int def, int *out,
                           invdes_error *err) {
  json_t *v = json_object_get(obj, key);
  *out = def;
  if (!v) return 0;
  if (!json_is_boolean(v)) {
    invdes_error_set(err, INVDES_ERR_INVALID, "\"%s\" must be true or false", key);
    return 400;
  }
  *out = json_is_true(v);
  return 0;
}

int invdes_serve_json_string(const json_t *obj, const char *key, int nonempty,
                             const char **out, invdes_error *err) {
  json_t *v = json_object_get(obj, key);
  *out = NULL;
  if (!v) return 0;
  if (!json_is_string(v) || (nonempty && !*json_string_value(v)) ||
      strlen(json_string_value(v)) != json_string_length(v)) {
    invdes_error_set(err, INVDES_ERR_INVALID, "\"%s\" must be a %sstring without NUL", key,
                     nonempty ? "non-empty " : "");
    return 400;
  }
  *out = json_string_value(v);
  return 0;
}
