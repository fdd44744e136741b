/* command_json.c — request encoding and output decoding for the command
 * evaluator, with jansson.
 *
 * The request is assembled from jansson-escaped strings and numbers printed in
 * their shortest round-trip form (jansson's own dump would write 0.6 as
 * 0.59999999999999998). Output is parsed by jansson; the only text handled by
 * hand is a copy in which bare NaN/Infinity/inf words (which Python's json
 * module and printf produce, but JSON forbids) are turned into marked strings,
 * so that the target holding one can be named. Nothing here runs programs. */
#include "command_json.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

/* A growing text buffer; on allocation failure ok drops to 0 and stays. */
typedef struct sbuf {
  char *p;
  size_t len, cap;
  int ok;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n) {
  if (!b->ok)
    return;
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n + 1)
      cap *= 2;
    char *q = realloc(b->p, cap);
    if (!q) {
      b->ok = 0;
      return;
    }
    b->p = q;
    b->cap = cap;
  }
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
}

static void sb_str(sbuf *b, const char *s) { sb_add(b, s, strlen(s)); }

/* Appends s as a JSON string literal; 0 when s is not valid UTF-8. */
static int sb_json_string(sbuf *b, const char *s) {
  json_t *j = json_string(s);
  if (!j)
    return 0;
  char *t = json_dumps(j, JSON_ENCODE_ANY);
  json_decref(j);
  if (!t) {
    b->ok = 0;
    return 1;
  }
  sb_str(b, t);
  free(t);
  return 1;
}

/* The shortest %.Ng (N = 15..17) that reads back as v. */
static void shortest_number(double v, char *buf, size_t size) {
  for (int p = 15; p <= 17; p++) {
    snprintf(buf, size, "%.*g", p, v);
    if (strtod(buf, NULL) == v)
      return;
  }
}

invdes_status invdes_command_encode_request(const invdes_eval_request *req, char **text,
                                            size_t *len, invdes_error *err) {
  *text = NULL;
  *len = 0;
  sbuf b = {NULL, 0, 0, 1};
  char num[64];
  snprintf(num, sizeof num, "{\"id\": %ld, \"parameters\": {", req->id);
  sb_str(&b, num);
  for (size_t i = 0; i < req->n_params; i++) {
    const invdes_param_value *pv = &req->params[i];
    if (i)
      sb_str(&b, ", ");
    if (!pv->name || !sb_json_string(&b, pv->name)) {
      free(b.p);
      return invdes_error_set(err, INVDES_ERR_INVALID,
                              "parameter %zu has no name or one that is not UTF-8", i + 1);
    }
    sb_str(&b, ": ");
    if (pv->is_label) {
      if (!pv->label || !sb_json_string(&b, pv->label)) {
        free(b.p);
        return invdes_error_set(err, INVDES_ERR_INVALID,
                                "parameter '%s': label missing or not UTF-8", pv->name);
      }
    } else {
      if (!isfinite(pv->value)) {
        free(b.p);
        return invdes_error_set(err, INVDES_ERR_INVALID, "parameter '%s' is not finite (%g)",
                                pv->name, pv->value);
      }
      shortest_number(pv->value, num, sizeof num);
      sb_str(&b, num);
    }
  }
  sb_str(&b, "}}\n");
  if (!b.ok) {
    free(b.p);
    return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory encoding a request");
  }
  *text = b.p;
  *len = b.len;
  return INVDES_OK;
}

void invdes_command_quote(const char *s, size_t len, size_t max, char *buf, size_t size) {
  size_t o = 0;
  if (size == 0)
    return;
  size_t n = len < max ? len : max;
  for (size_t i = 0; i < n && o + 5 < size; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '\n') {
      buf[o++] = '\\';
      buf[o++] = 'n';
    } else if (c < 0x20 || c >= 0x7f) {
      o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
    } else {
      buf[o++] = (char)c;
    }
  }
  buf[o] = '\0';
  if (len > n && o + 4 <= size)
    memcpy(buf + o, "...", 4);
}

static void append(char *reason, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void append(char *reason, size_t size, const char *fmt, ...) {
  size_t used = strlen(reason);
  if (used + 1 >= size)
    return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(reason + used, size - used, fmt, ap);
  va_end(ap);
}

/* 1 when word[0..n) is nan, inf or infinity in any case. */
static int nonfinite_word(const char *word, size_t n) {
  return (n == 3 && (strncasecmp(word, "nan", 3) == 0 || strncasecmp(word, "inf", 3) == 0)) ||
         (n == 8 && strncasecmp(word, "infinity", 8) == 0);
}

/* A copy of out with bare non-finite words (optionally signed) outside
 * strings replaced by "\u0000WORD" strings; NULL when there was none or
 * memory ran out (*nomem then set). */
static char *mark_nonfinite(const char *out, size_t len, size_t *new_len, int *nomem) {
  sbuf b = {NULL, 0, 0, 1};
  int in_string = 0, changed = 0;
  size_t i = 0;
  while (i < len) {
    char c = out[i];
    if (in_string) {
      size_t n = (c == '\\' && i + 1 < len) ? 2 : 1;
      if (c == '"')
        in_string = 0;
      sb_add(&b, out + i, n);
      i += n;
      continue;
    }
    if (c == '"') {
      in_string = 1;
      sb_add(&b, out + i, 1);
      i++;
      continue;
    }
    size_t start = i, w = i;
    if ((c == '-' || c == '+') && i + 1 < len && isalpha((unsigned char)out[i + 1]))
      w = i + 1;
    if (isalpha((unsigned char)out[w])) {
      size_t k = w;
      while (k < len && isalpha((unsigned char)out[k]))
        k++;
      if (nonfinite_word(out + w, k - w)) {
        sb_str(&b, "\"\\u0000");
        sb_add(&b, out + start, k - start);
        sb_str(&b, "\"");
        changed = 1;
      } else {
        sb_add(&b, out + start, k - start);
      }
      i = k;
      continue;
    }
    /* Numbers are copied whole so that the 'e' of 1e5 is not a word. */
    if (isdigit((unsigned char)c) || c == '-' || c == '.') {
      size_t k = i + 1;
      while (k < len && (isalnum((unsigned char)out[k]) || out[k] == '.' || out[k] == '+' ||
                         out[k] == '-'))
        k++;
      sb_add(&b, out + i, k - i);
      i = k;
      continue;
    }
    sb_add(&b, out + i, 1);
    i++;
  }
  if (!b.ok) {
    *nomem = 1;
    free(b.p);
    return NULL;
  }
  if (!changed) {
    free(b.p);
    return NULL;
  }
  *new_len = b.len;
  return b.p;
}

static int only_space(const char *s, size_t len) {
  for (size_t i = 0; i < len; i++)
    if (!isspace((unsigned char)s[i]))
      return 0;
  return 1;
}

/* The value of "failed" as text: a string as is, anything else as JSON. */
static void failed_text(json_t *v, char *buf, size_t size) {
  if (json_is_string(v)) {
    invdes_command_quote(json_string_value(v), json_string_length(v), 400, buf, size);
    return;
  }
  char *t = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
  if (t) {
    invdes_command_quote(t, strlen(t), 400, buf, size);
    free(t);
  } else {
    snprintf(buf, size, "(unprintable)");
  }
}

int invdes_command_decode_output(const char *out, size_t len, const char *const *targets,
                                 size_t n_targets, double *values, char *reason,
                                 size_t reason_size) {
  for (size_t t = 0; t < n_targets; t++)
    values[t] = NAN;
  reason[0] = '\0';
  char quoted[1024];
  if (!out || only_space(out, len)) {
    snprintf(reason, reason_size, "no output on stdout");
    return 0;
  }
  json_error_t jerr;
  json_t *root = json_loadb(out, len, JSON_REJECT_DUPLICATES, &jerr);
  if (!root) {
    size_t marked_len = 0;
    int nomem = 0;
    char *marked = mark_nonfinite(out, len, &marked_len, &nomem);
    if (nomem) {
      snprintf(reason, reason_size, "out of memory reading the output");
      return -1;
    }
    if (marked) {
      json_error_t jerr2;
      root = json_loadb(marked, marked_len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr2);
      free(marked);
    }
  }
  if (!root) {
    invdes_command_quote(out, len, 200, quoted, sizeof quoted);
    snprintf(reason, reason_size, "output is not JSON (%s, line %d column %d): '%s'",
             jerr.text, jerr.line, jerr.column, quoted);
    return 0;
  }
  if (!json_is_object(root)) {
    invdes_command_quote(out, len, 200, quoted, sizeof quoted);
    snprintf(reason, reason_size, "output is not a JSON object: '%s'", quoted);
    json_decref(root);
    return 0;
  }
  json_t *failed = json_object_get(root, "failed");
  if (failed) {
    failed_text(failed, quoted, sizeof quoted);
    snprintf(reason, reason_size, "program reported failure: %s", quoted);
    json_decref(root);
    return 0;
  }
  int ok = 1, n_missing = 0;
  for (size_t t = 0; t < n_targets; t++) {
    json_t *v = json_object_get(root, targets[t]);
    if (!v) {
      append(reason, reason_size, "%s'%s'", n_missing ? ", " : "missing target ", targets[t]);
      n_missing++;
      ok = 0;
    }
  }
  for (size_t t = 0; t < n_targets; t++) {
    json_t *v = json_object_get(root, targets[t]);
    if (!v)
      continue;
    const char *sep = reason[0] ? "; " : "";
    if (json_is_number(v)) {
      values[t] = json_number_value(v);
    } else if (json_is_string(v) && json_string_length(v) >= 1 &&
               json_string_value(v)[0] == '\0') {
      append(reason, reason_size, "%starget '%s' is not finite (%s)", sep, targets[t],
             json_string_value(v) + 1);
      ok = 0;
    } else {
      char *dumped = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
      if (dumped)
        invdes_command_quote(dumped, strlen(dumped), 60, quoted, sizeof quoted);
      else
        snprintf(quoted, sizeof quoted, "(unprintable)");
      free(dumped);
      append(reason, reason_size, "%starget '%s' is not a number: %s", sep, targets[t], quoted);
      ok = 0;
    }
  }
  json_decref(root);
  return ok;
}
