/* tell_input.c — reports as typed on the command line or written in a
 * results file (CSV or JSON) turned into store requests; see tell_input.h for
 * the accepted forms. Checks syntax and numbers only: ids, targets and
 * repeated values are judged by the store inside the tell's transaction. */
#include "tell_input.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "file.h"
#include "table.h"

struct invdes_tell_input {
  invdes_store_tell_req *reqs;
  size_t n, cap;
};

invdes_tell_input *invdes_tell_input_new(void) { return calloc(1, sizeof(invdes_tell_input)); }

static void req_release(invdes_store_tell_req *r) {
  for (size_t i = 0; i < r->n_values; i++) free((char *)r->values[i].target);
  free((invdes_store_value *)r->values);
  free((char *)r->reason);
  free((char *)r->source);
  free((char *)r->campaign);
  free((char *)r->station);
}

/* Drops the reports from index `keep` on (a file that failed halfway). */
static void truncate_to(invdes_tell_input *in, size_t keep) {
  while (in->n > keep) req_release(&in->reqs[--in->n]);
}

void invdes_tell_input_free(invdes_tell_input *in) {
  if (!in) return;
  truncate_to(in, 0);
  free(in->reqs);
  free(in);
}

size_t invdes_tell_input_n(const invdes_tell_input *in) { return in->n; }
const invdes_store_tell_req *invdes_tell_input_reqs(const invdes_tell_input *in) {
  return in->reqs;
}

static int dup_or_null(const char *s, const char **out) {
  *out = NULL;
  if (!s) return 0;
  char *d = strdup(s);
  if (!d) return -1;
  *out = d;
  return 0;
}

invdes_status invdes_tell_input_add(invdes_tell_input *in, int64_t id, invdes_tell_kind kind,
                                    const invdes_store_value *values, size_t n_values,
                                    const char *reason, const char *source,
                                    const char *campaign, invdes_error *err) {
  if (in->n == in->cap) {
    size_t cap = in->cap ? 2 * in->cap : 16;
    invdes_store_tell_req *r = realloc(in->reqs, cap * sizeof *r);
    if (!r) return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory reading reports");
    in->reqs = r;
    in->cap = cap;
  }
  invdes_store_tell_req *r = &in->reqs[in->n];
  memset(r, 0, sizeof *r);
  r->id = id;
  r->kind = kind;
  int bad = 0;
  if (n_values) {
    invdes_store_value *v = calloc(n_values, sizeof *v);
    bad = !v;
    r->values = v;
    for (size_t i = 0; v && i < n_values; i++) {
      v[i] = values[i];
      v[i].target = NULL;
      bad |= dup_or_null(values[i].target, &v[i].target);
      r->n_values = i + 1;
    }
  }
  bad |= dup_or_null(reason, &r->reason);
  bad |= dup_or_null(source, &r->source);
  bad |= dup_or_null(campaign, &r->campaign);
  if (bad) {
    req_release(r);
    return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory reading reports");
  }
  in->n++;
  return INVDES_OK;
}

invdes_status invdes_tell_input_default_campaign(invdes_tell_input *in, const char *name,
                                                 invdes_error *err) {
  for (size_t i = 0; i < in->n; i++)
    if (!in->reqs[i].campaign && dup_or_null(name, &in->reqs[i].campaign))
      return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  return INVDES_OK;
}

invdes_status invdes_tell_input_set_station(invdes_tell_input *in, const char *station,
                                            int close, invdes_error *err) {
  for (size_t i = 0; i < in->n; i++) {
    free((char *)in->reqs[i].station);
    if (dup_or_null(station, &in->reqs[i].station))
      return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
    if (close && in->reqs[i].kind == INVDES_TELL_RESULT) in->reqs[i].close = 1;
  }
  return INVDES_OK;
}

int invdes_tell_parse_number(const char *text, double *out) {
  /* Decimal numbers only (table.h). What strtod alone would take says which
   * message fits: inf/nan spellings and 1e999 are not finite, 0x10 is not
   * decimal, anything else is not a number. */
  int k = invdes_decimal_parse(text, out);
  if (k == 0) return 0;
  if (k == 3) return -2;
  char *end;
  double v = text && *text && !isspace((unsigned char)*text) ? strtod(text, &end) : 0;
  if (!text || !*text || isspace((unsigned char)*text) || end == text || *end) return -1;
  return isfinite(v) ? -3 : -2;
}

int invdes_tell_parse_id(const char *text, int64_t *out) {
  char *end;
  if (!text || !isdigit((unsigned char)*text)) return -1;
  errno = 0;
  long long v = strtoll(text, &end, 10);
  if (errno || *end || v < 1) return -1;
  *out = (int64_t)v;
  return 0;
}

/* The message for a value that did not parse; returns INVDES_ERR_INVALID. */
static invdes_status bad_number(invdes_error *err, int why, const char *where,
                                const char *name, const char *text) {
  return invdes_error_set(err, INVDES_ERR_INVALID, "%s%s: '%s' is %s", where, name, text,
                          why == -2   ? "not a finite number"
                          : why == -3 ? "not a decimal number (like 12, -0.5 or 1.5e3)"
                                      : "not a number");
}

invdes_status invdes_tell_parse_assignment(const char *arg, char **name, double *value,
                                           invdes_error *err) {
  *name = NULL;
  const char *eq = strchr(arg, '=');
  if (!eq || eq == arg || !eq[1])
    return invdes_error_set(err, INVDES_ERR_INVALID,
                            "'%s' is not NAME=VALUE (a target name, '=', a number)", arg);
  size_t len = (size_t)(eq - arg);
  char *n = malloc(len + 1);
  if (!n) return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  memcpy(n, arg, len);
  n[len] = '\0';
  int why = invdes_tell_parse_number(eq + 1, value);
  if (why) {
    invdes_status st = bad_number(err, why, "", n, eq + 1);
    free(n);
    return st;
  }
  *name = n;
  return INVDES_OK;
}

/* ---- CSV ---------------------------------------------------------------- */

typedef enum { COL_ID, COL_VALUE, COL_SD, COL_FAILED, COL_CAMPAIGN } col_role;

/* What column `name` is: its role and, for values and sds, the target. */
static int classify(const char *name, const char *const *targets, size_t nt, col_role *role,
                    size_t *target) {
  if (strcmp(name, "id") == 0) return *role = COL_ID, 0;
  if (strcmp(name, "failed") == 0) return *role = COL_FAILED, 0;
  if (strcmp(name, "campaign") == 0) return *role = COL_CAMPAIGN, 0;
  size_t len = strlen(name);
  for (size_t t = 0; t < nt; t++) {
    size_t tl = strlen(targets[t]);
    if (strcmp(name, targets[t]) == 0) return *role = COL_VALUE, *target = t, 0;
    if (len == tl + 3 && strncmp(name, targets[t], tl) == 0 && strcmp(name + tl, "_sd") == 0)
      return *role = COL_SD, *target = t, 0;
  }
  return -1;
}

static void target_list(const char *const *targets, size_t nt, char *buf, size_t size) {
  size_t used = 0;
  buf[0] = '\0';
  for (size_t t = 0; t < nt && used + 1 < size; t++) {
    int k = snprintf(buf + used, size - used, "%s%s", t ? ", " : "", targets[t]);
    if (k < 0) break;
    used += (size_t)k;
  }
}

/* One CSV data row to a report. vals/sds/have are scratch of n_targets. */
static invdes_status csv_row(invdes_tell_input *in, const invdes_table *tab, size_t i,
                             const col_role *roles, const size_t *tidx,
                             const char *const *targets, size_t nt, invdes_store_value *vals,
                             const char *source, invdes_error *err) {
  const size_t nc = invdes_table_n_cols(tab);
  char where[1200];
  int64_t id = 0;
  const char *failed = NULL, *campaign = NULL;
  double *value = calloc(2 * nt + 1, sizeof *value);
  if (!value) return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory reading reports");
  double *sd = value + nt;
  for (size_t t = 0; t < nt; t++) value[t] = sd[t] = NAN;
  invdes_status st = INVDES_OK;
  for (size_t j = 0; j < nc && st == INVDES_OK; j++) {
    const char *cell = invdes_table_cell(tab, i, j);
    snprintf(where, sizeof where, "%s:%d: column '", invdes_table_path(tab),
             invdes_table_row_line(tab, i));
    switch (roles[j]) {
    case COL_ID:
      if (invdes_tell_parse_id(cell, &id))
        st = invdes_error_set(err, INVDES_ERR_INVALID,
                              "%s:%d: id '%s' is not a proposal id (a whole number >= 1)",
                              invdes_table_path(tab), invdes_table_row_line(tab, i), cell);
      break;
    case COL_FAILED: failed = *cell ? cell : NULL; break;
    case COL_CAMPAIGN: campaign = *cell ? cell : NULL; break;
    case COL_VALUE:
    case COL_SD:
      if (*cell) {
        double *slot = roles[j] == COL_VALUE ? &value[tidx[j]] : &sd[tidx[j]];
        int why = invdes_tell_parse_number(cell, slot);
        if (why) {
          char name[600];
          snprintf(name, sizeof name, "%s'", invdes_table_col_name(tab, j));
          st = bad_number(err, why, where, name, cell);
        }
      }
      break;
    }
  }
  size_t nv = 0;
  for (size_t t = 0; st == INVDES_OK && t < nt; t++) {
    if (!isnan(sd[t]) && isnan(value[t]))
      st = invdes_error_set(err, INVDES_ERR_INVALID,
                            "%s:%d: column '%s_sd' has an sd but '%s' has no value",
                            invdes_table_path(tab), invdes_table_row_line(tab, i), targets[t],
                            targets[t]);
    else if (!isnan(value[t]))
      vals[nv++] = (invdes_store_value){.target = targets[t], .value = value[t], .sd = sd[t]};
  }
  if (st == INVDES_OK && failed && nv)
    st = invdes_error_set(err, INVDES_ERR_INVALID,
                          "%s:%d: proposal %" PRId64 " has both values and a failure ('%s'); "
                          "leave the values empty in a failed row",
                          invdes_table_path(tab), invdes_table_row_line(tab, i), id, failed);
  if (st == INVDES_OK && !failed && !nv)
    st = invdes_error_set(err, INVDES_ERR_INVALID,
                          "%s:%d: proposal %" PRId64 ": no value and no failure in this row",
                          invdes_table_path(tab), invdes_table_row_line(tab, i), id);
  if (st == INVDES_OK)
    st = invdes_tell_input_add(in, id, failed ? INVDES_TELL_FAILED : INVDES_TELL_RESULT, vals,
                               nv, failed, source, campaign, err);
  free(value);
  return st;
}

/* The reports of a CSV table already read (freed here). */
static invdes_status csv_table(invdes_tell_input *in, invdes_table *tab, const char *path,
                               const char *const *targets, size_t n_targets,
                               const char *source, invdes_error *err) {
  if (!tab) return err ? err->status : INVDES_ERR_IO;
  const size_t nc = invdes_table_n_cols(tab), keep = in->n;
  col_role *roles = calloc(nc, sizeof *roles);
  size_t *tidx = calloc(nc, sizeof *tidx);
  invdes_store_value *vals = calloc(n_targets + 1, sizeof *vals);
  invdes_status st = INVDES_OK;
  if (!roles || !tidx || !vals) st = invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  int have_id = 0;
  for (size_t j = 0; st == INVDES_OK && j < nc; j++) {
    const char *name = invdes_table_col_name(tab, j);
    if (classify(name, targets, n_targets, &roles[j], &tidx[j])) {
      char names[1024];
      target_list(targets, n_targets, names, sizeof names);
      st = invdes_error_set(err, INVDES_ERR_INVALID,
                            "%s:1: unknown column '%s' (columns: id, the targets %s, "
                            "<target>_sd, failed, campaign)", path, name, names);
    }
    have_id |= st == INVDES_OK && roles[j] == COL_ID;
  }
  if (st == INVDES_OK && !have_id)
    st = invdes_error_set(err, INVDES_ERR_INVALID, "%s:1: no 'id' column", path);
  for (size_t i = 0; st == INVDES_OK && i < invdes_table_n_rows(tab); i++)
    st = csv_row(in, tab, i, roles, tidx, targets, n_targets, vals, source, err);
  if (st != INVDES_OK) truncate_to(in, keep);
  free(roles);
  free(tidx);
  free(vals);
  invdes_table_free(tab);
  return st;
}

invdes_status invdes_tell_input_read_csv(invdes_tell_input *in, const char *path,
                                         const char *const *targets, size_t n_targets,
                                         const char *source, invdes_error *err) {
  return csv_table(in, invdes_table_read(path, err), path, targets, n_targets, source, err);
}

/* ---- JSON --------------------------------------------------------------- */

/* Reads {target: number} pairs of `obj` (skipping the keys in `skip`) into a
 * new array *out of *n values. sd (may be NULL) gives sds by target. */
static invdes_status json_values(const json_t *obj, const char *const *skip, const json_t *sd,
                                 const char *where, invdes_store_value **out, size_t *n,
                                 invdes_error *err) {
  *n = 0;
  *out = calloc(json_object_size(obj) + 1, sizeof **out);
  if (!*out) return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  const char *key;
  json_t *v;
  json_object_foreach((json_t *)obj, key, v) {
    int skipped = 0;
    for (size_t k = 0; skip && skip[k]; k++) skipped |= strcmp(key, skip[k]) == 0;
    if (skipped) continue;
    if (!json_is_number(v)) {
      char *text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
      invdes_status st = invdes_error_set(err, INVDES_ERR_INVALID,
                                          "%s: %s: %s is not a number", where, key,
                                          text ? text : "the value");
      free(text);
      return st;
    }
    (*out)[*n] = (invdes_store_value){.target = key, .value = json_number_value(v), .sd = NAN};
    if (sd) {
      json_t *s = json_object_get(sd, key);
      if (s && !json_is_number(s))
        return invdes_error_set(err, INVDES_ERR_INVALID, "%s: sd of %s is not a number", where,
                                key);
      if (s) (*out)[*n].sd = json_number_value(s);
    }
    (*n)++;
  }
  if (sd) {
    json_object_foreach((json_t *)sd, key, v) {
      int found = 0;
      for (size_t i = 0; i < *n; i++) found |= strcmp((*out)[i].target, key) == 0;
      if (!found)
        return invdes_error_set(err, INVDES_ERR_INVALID,
                                "%s: an sd for '%s', which has no value", where, key);
    }
  }
  return INVDES_OK;
}

static invdes_status json_report(invdes_tell_input *in, const json_t *item, size_t pos,
                                 const char *path, const char *campaign, const char *source,
                                 invdes_error *err) {
  char where[1200];
  snprintf(where, sizeof where, "%s: report %zu", path, pos + 1);
  if (!json_is_object(item))
    return invdes_error_set(err, INVDES_ERR_INVALID, "%s: not an object", where);
  json_t *jid = json_object_get(item, "id");
  if (!json_is_integer(jid) || json_integer_value(jid) < 1)
    return invdes_error_set(err, INVDES_ERR_INVALID,
                            "%s: \"id\" must be a whole number >= 1 (a proposal id)", where);
  int64_t id = (int64_t)json_integer_value(jid);
  snprintf(where, sizeof where, "%s: report %zu (id %" PRId64 ")", path, pos + 1, id);
  json_t *jc = json_object_get(item, "campaign");
  if (jc && !json_is_string(jc))
    return invdes_error_set(err, INVDES_ERR_INVALID, "%s: \"campaign\" must be a string", where);
  if (jc) campaign = json_string_value(jc);
  json_t *failed = json_object_get(item, "failed"), *abandon = json_object_get(item, "abandon");
  json_t *values = json_object_get(item, "values"), *sd = json_object_get(item, "sd");
  json_t *reason = json_object_get(item, "reason");
  if ((failed != NULL) + (abandon != NULL) + (values != NULL) > 1)
    return invdes_error_set(err, INVDES_ERR_INVALID,
                            "%s: give one of \"values\", \"failed\" and \"abandon\"", where);
  if (sd && !json_is_object(sd))
    return invdes_error_set(err, INVDES_ERR_INVALID, "%s: \"sd\" must be an object", where);
  if (reason && !json_is_string(reason))
    return invdes_error_set(err, INVDES_ERR_INVALID, "%s: \"reason\" must be a string", where);
  static const char *const reserved[] = {"id", "campaign", "sd", NULL};
  static const char *const reserved_other[] = {"id", "campaign", "failed", "abandon", "reason",
                                               NULL};
  if (failed || abandon) {
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)item, key, v) {
      int ok = 0;
      for (size_t k = 0; reserved_other[k]; k++) ok |= strcmp(key, reserved_other[k]) == 0;
      if (!ok)
        return invdes_error_set(err, INVDES_ERR_INVALID, "%s: unexpected key \"%s\" in a %s",
                                where, key, failed ? "failure" : "give-back");
    }
  }
  if (failed) {
    if (!json_is_string(failed) || !*json_string_value(failed))
      return invdes_error_set(err, INVDES_ERR_INVALID,
                              "%s: \"failed\" must be a non-empty reason", where);
    return invdes_tell_input_add(in, id, INVDES_TELL_FAILED, NULL, 0, json_string_value(failed),
                                 source, campaign, err);
  }
  if (abandon) {
    if (!json_is_true(abandon))
      return invdes_error_set(err, INVDES_ERR_INVALID, "%s: \"abandon\" must be true", where);
    return invdes_tell_input_add(in, id, INVDES_TELL_ABANDON, NULL, 0,
                                 reason ? json_string_value(reason) : NULL, source, campaign,
                                 err);
  }
  if (values && !json_is_object(values))
    return invdes_error_set(err, INVDES_ERR_INVALID, "%s: \"values\" must be an object", where);
  if (values) {
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)item, key, v)
      if (strcmp(key, "id") && strcmp(key, "campaign") && strcmp(key, "sd") &&
          strcmp(key, "values"))
        return invdes_error_set(err, INVDES_ERR_INVALID,
                                "%s: unexpected key \"%s\" beside \"values\"", where, key);
  }
  invdes_store_value *vals = NULL;
  size_t n = 0;
  invdes_status st = json_values(values ? values : item, values ? NULL : reserved, sd, where,
                                 &vals, &n, err);
  if (st == INVDES_OK && n == 0)
    st = invdes_error_set(err, INVDES_ERR_INVALID, "%s: no values, no failure", where);
  if (st == INVDES_OK)
    st = invdes_tell_input_add(in, id, INVDES_TELL_RESULT, vals, n, NULL, source, campaign, err);
  free(vals);
  return st;
}

invdes_status invdes_tell_input_add_json(invdes_tell_input *in, const json_t *item,
                                         const char *where, const char *source,
                                         invdes_error *err) {
  const size_t keep = in->n;
  invdes_status st = json_report(in, item, 0, where, NULL, source, err);
  if (st != INVDES_OK) truncate_to(in, keep);
  return st;
}

/* The reports of a JSON document: the file at path, or len bytes at text
 * when text is not NULL (path then only names it). */
static invdes_status json_document(invdes_tell_input *in, const char *path, const char *text,
                                   size_t len, const char *source, invdes_error *err) {
  json_error_t jerr;
  json_t *root = text ? json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr)
                      : json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
  if (!root) {
    if (jerr.line <= 0)
      return invdes_error_set(err, INVDES_ERR_IO, "%s: %s", path, jerr.text);
    return invdes_error_at(err, INVDES_ERR_PARSE, path, jerr.line, jerr.column, "%s",
                           jerr.text);
  }
  const char *campaign = NULL;
  json_t *list = root;
  invdes_status st = INVDES_OK;
  if (json_is_object(root)) {
    json_t *jc = json_object_get(root, "campaign");
    list = json_object_get(root, "results");
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v)
      if (strcmp(key, "campaign") && strcmp(key, "results"))
        st = invdes_error_set(err, INVDES_ERR_INVALID,
                              "%s: unexpected key \"%s\" (an object holds \"campaign\" and "
                              "\"results\")", path, key);
    if (st == INVDES_OK && jc && !json_is_string(jc))
      st = invdes_error_set(err, INVDES_ERR_INVALID, "%s: \"campaign\" must be a string", path);
    if (jc && json_is_string(jc)) campaign = json_string_value(jc);
  }
  if (st == INVDES_OK && !json_is_array(list))
    st = invdes_error_set(err, INVDES_ERR_INVALID,
                          "%s: expected an array of reports, or {\"campaign\": NAME, "
                          "\"results\": [...]}", path);
  if (st == INVDES_OK && json_array_size(list) == 0)
    st = invdes_error_set(err, INVDES_ERR_INVALID, "%s: no reports", path);
  const size_t keep = in->n;
  size_t i;
  json_t *item;
  if (st == INVDES_OK) json_array_foreach(list, i, item) {
      st = json_report(in, item, i, path, campaign, source, err);
      if (st != INVDES_OK) break;
    }
  if (st != INVDES_OK) truncate_to(in, keep);
  json_decref(root);
  return st;
}

invdes_status invdes_tell_input_read_json(invdes_tell_input *in, const char *path,
                                          const char *source, invdes_error *err) {
  return json_document(in, path, NULL, 0, source, err);
}

invdes_status invdes_tell_input_read(invdes_tell_input *in, const char *path,
                                     const char *const *targets, size_t n_targets,
                                     const char *source, invdes_error *err) {
  /* Read whole once, then parsed from memory: standard input cannot be read
   * twice, and the format is decided by its first character. */
  int from_stdin = strcmp(path, "-") == 0;
  const char *name = from_stdin ? "standard input" : path;
  char *text = NULL;
  size_t len = 0;
  FILE *f = from_stdin ? stdin : fopen(path, "rb");
  if (!f) return invdes_error_set(err, INVDES_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
  invdes_status st = invdes_file_read_stream(f, name, &text, &len, err);
  if (!from_stdin) fclose(f);
  if (st != INVDES_OK) return st;
  size_t i = 0;
  while (i < len && (isspace((unsigned char)text[i]) || (unsigned char)text[i] == 0xEF ||
                     (unsigned char)text[i] == 0xBB || (unsigned char)text[i] == 0xBF))
    i++;
  /* jansson takes a UTF-8 byte order mark for a bad token: skip it. */
  size_t bom = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  if (i < len && (text[i] == '[' || text[i] == '{'))
    st = json_document(in, name, text + bom, len - bom, source, err);
  else
    st = csv_table(in, invdes_table_parse(name, text, len, err), name, targets, n_targets,
                   source, err);
  free(text);
  return st;
}
