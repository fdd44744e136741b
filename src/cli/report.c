/* report.c — export rows of a campaign database (see report.h): the column
 * set, one proposal as an ordered JSON object, the CSV and JSON writers, and
 * the number and time formats they share. Reading the rows is the store's
 * job; choosing what to print is the command line's. */
#include "report.h"

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli_front.h"
#include "table.h"

void invdes_report_time(double t, char *buf) {
  buf[0] = '\0';
  if (!isfinite(t)) return;
  /* Whole milliseconds, rounded (0.9996 s is 1.000, not 0.1000). */
  double ms_total = floor(t * 1000.0 + 0.5);
  double secs_f = floor(ms_total / 1000.0);
  if (fabs(secs_f) > 1e15) return;
  time_t secs = (time_t)secs_f;
  int ms = (int)(ms_total - secs_f * 1000.0);
  struct tm tm;
  char date[INVDES_REPORT_NUM_MAX - 8]; /* room left for ".mmmZ" */
  if (!gmtime_r(&secs, &tm) || !strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm)) return;
  snprintf(buf, INVDES_REPORT_NUM_MAX, "%s.%03dZ", date, ms % 1000);
}

json_t *invdes_report_time_json(double t) {
  char buf[INVDES_REPORT_NUM_MAX];
  invdes_report_time(t, buf);
  return buf[0] ? json_string(buf) : json_null();
}

/* Appends name + suffix to the array; returns 0 or -1 when out of memory. */
static int add_column(json_t *cols, const char *name, const char *suffix) {
  size_t n = strlen(name) + strlen(suffix) + 1;
  char *s = malloc(n);
  if (!s) return -1;
  snprintf(s, n, "%s%s", name, suffix);
  int rc = json_array_append_new(cols, json_string(s));
  free(s);
  return rc;
}

const char *invdes_report_variable_column(const invdes_store *s, size_t i, char *buf,
                                          size_t size) {
  const char *name = invdes_store_variable_name(s, i);
  const char *kind = invdes_store_variable_kind(s, i);
  if (!name || !kind || strcmp(kind, "pool") != 0) return name;
  snprintf(buf, size, "pool.%s", name);
  return buf;
}

json_t *invdes_report_columns(const invdes_store *s) {
  static const char *const head[] = {"id", "batch", "status"};
  static const char *const tail[] = {"acquisition", "strategy", "station",
                                     "reason",      "created",  "updated"};
  json_t *cols = json_array();
  if (!cols) return NULL;
  const size_t nv = invdes_store_n_variables(s), nt = invdes_store_n_targets(s);
  int bad = 0;
  for (size_t i = 0; i < sizeof head / sizeof head[0]; i++) bad |= add_column(cols, head[i], "");
  char var[INVDES_REPORT_NAME_MAX];
  for (size_t i = 0; i < nv; i++)
    bad |= add_column(cols, invdes_report_variable_column(s, i, var, sizeof var), "");
  for (size_t i = 0; i < nt; i++) bad |= add_column(cols, invdes_store_target_name(s, i), "");
  if (invdes_cli_pareto(s)) bad |= add_column(cols, "pareto_rank", "");
  for (size_t i = 0; i < nt; i++) bad |= add_column(cols, invdes_store_target_name(s, i), "_sd");
  for (size_t i = 0; i < nt; i++) {
    bad |= add_column(cols, invdes_store_target_name(s, i), "_pred_mean");
    bad |= add_column(cols, invdes_store_target_name(s, i), "_pred_sd");
  }
  for (size_t i = 0; i < sizeof tail / sizeof tail[0]; i++) bad |= add_column(cols, tail[i], "");
  if (bad) {
    json_decref(cols);
    return NULL;
  }
  return cols;
}

static json_t *real_or_null(double v) { return isfinite(v) ? json_real(v) : json_null(); }
static json_t *text_or_null(const char *t) { return t ? json_string(t) : json_null(); }

/* Sets obj[name + suffix] = v (stolen). Returns 0, or -1 when out of memory. */
static int put(json_t *obj, const char *name, const char *suffix, json_t *v) {
  if (!v) return -1;
  char small[256], *key = small;
  size_t n = strlen(name) + strlen(suffix) + 1;
  if (n > sizeof small && !(key = malloc(n))) {
    json_decref(v);
    return -1;
  }
  size_t ln = strlen(name);
  memcpy(key, name, ln);
  memcpy(key + ln, suffix, n - ln);
  int rc = json_object_set_new(obj, key, v);
  if (key != small) free(key);
  return rc;
}

json_t *invdes_report_row(const invdes_store *s, const invdes_store_rows *rows,
                          const invdes_store_proposal *p, const size_t *pareto_rank,
                          invdes_error *err) {
  json_error_t jerr;
  json_t *params = json_loads(p->parameters ? p->parameters : "{}", 0, &jerr);
  if (!params || !json_is_object(params)) {
    json_decref(params);
    invdes_error_set(err, INVDES_ERR_INVALID,
                     "%s: proposal %" PRId64 ": its recorded parameters are not a JSON object",
                     invdes_store_path(s), p->id);
    return NULL;
  }
  json_t *row = json_object();
  const size_t nv = invdes_store_n_variables(s), nt = rows->n_targets;
  int bad = !row;
  if (row) {
    bad |= put(row, "id", "", json_integer(p->id));
    bad |= put(row, "batch", "", json_integer(p->batch));
    bad |= put(row, "status", "", json_string(invdes_proposal_status_name(p->status)));
    char var[INVDES_REPORT_NAME_MAX];
    for (size_t i = 0; i < nv; i++) {
      json_t *v = json_object_get(params, invdes_store_variable_name(s, i));
      bad |= put(row, invdes_report_variable_column(s, i, var, sizeof var), "",
                 v ? json_incref(v) : json_null());
    }
    for (size_t t = 0; t < nt; t++) bad |= put(row, rows->target_names[t], "", real_or_null(p->value[t]));
    if (pareto_rank)
      bad |= put(row, "pareto_rank", "", *pareto_rank == SIZE_MAX
                                             ? json_null()
                                             : json_integer((json_int_t)*pareto_rank));
    for (size_t t = 0; t < nt; t++) bad |= put(row, rows->target_names[t], "_sd", real_or_null(p->sd[t]));
    for (size_t t = 0; t < nt; t++) {
      bad |= put(row, rows->target_names[t], "_pred_mean", real_or_null(p->pred_mean[t]));
      bad |= put(row, rows->target_names[t], "_pred_sd", real_or_null(p->pred_sd[t]));
    }
    bad |= put(row, "acquisition", "", real_or_null(p->acquisition));
    bad |= put(row, "strategy", "", text_or_null(p->strategy));
    bad |= put(row, "station", "", text_or_null(p->station));
    bad |= put(row, "reason", "", text_or_null(p->reason));
    bad |= put(row, "created", "", invdes_report_time_json(p->created));
    bad |= put(row, "updated", "", invdes_report_time_json(p->updated));
  }
  json_decref(params);
  if (bad) {
    json_decref(row);
    invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory building an export row");
    return NULL;
  }
  return row;
}

invdes_status invdes_report_ranks(const invdes_store *s, const invdes_store_rows *rows,
                                  size_t **ranks, invdes_error *err) {
  *ranks = NULL;
  if (!invdes_cli_pareto(s)) return INVDES_OK;
  if (!(*ranks = malloc((rows->n ? rows->n : 1) * sizeof **ranks)))
    return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory building the export");
  invdes_status st = invdes_cli_front(s, rows, *ranks, NULL, NULL, err);
  if (st != INVDES_OK) {
    free(*ranks);
    *ranks = NULL;
  }
  return st;
}

json_t *invdes_report_rows_json(const invdes_store *s, const invdes_store_rows *rows,
                                invdes_error *err) {
  size_t *ranks = NULL;
  json_t *arr = NULL;
  if (invdes_report_ranks(s, rows, &ranks, err) != INVDES_OK) return NULL;
  if (!(arr = json_array()))
    invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory building the export");
  for (size_t i = 0; arr && i < rows->n; i++) {
    json_t *row = invdes_report_row(s, rows, &rows->items[i], ranks ? ranks + i : NULL, err);
    if (!row || json_array_append_new(arr, row)) {
      if (row) invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory building the export");
      json_decref(arr);
      arr = NULL;
    }
  }
  free(ranks);
  return arr;
}

/* One CSV cell for a scalar JSON value: null is an empty field. */
static void csv_cell(FILE *f, const json_t *v) {
  char buf[INVDES_REPORT_NUM_MAX];
  switch (json_typeof(v)) {
  case JSON_STRING: invdes_csv_write_field(f, json_string_value(v)); break;
  case JSON_INTEGER: fprintf(f, "%" JSON_INTEGER_FORMAT, json_integer_value(v)); break;
  case JSON_REAL:
    invdes_decimal_format(json_real_value(v), buf);
    fputs(buf, f);
    break;
  case JSON_TRUE: fputs("true", f); break;
  case JSON_FALSE: fputs("false", f); break;
  case JSON_OBJECT:
  case JSON_ARRAY: {
    char *text = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
    invdes_csv_write_field(f, text);
    free(text);
    break;
  }
  case JSON_NULL: break;
  }
}

json_t *invdes_report_units(const invdes_store *s) {
  json_t *units = json_object();
  int bad = !units;
  char var[INVDES_REPORT_NAME_MAX];
  for (size_t i = 0; units && i < invdes_store_n_variables(s); i++) {
    const char *u = invdes_store_variable_unit(s, i);
    if (u && *u)
      bad |= put(units, invdes_report_variable_column(s, i, var, sizeof var), "", json_string(u));
  }
  static const char *const suffixes[] = {"", "_sd", "_pred_mean", "_pred_sd"};
  for (size_t t = 0; units && t < invdes_store_n_targets(s); t++) {
    const invdes_target *tg = invdes_store_target(s, t);
    if (!tg || !tg->unit || !*tg->unit) continue;
    for (size_t k = 0; k < sizeof suffixes / sizeof suffixes[0]; k++)
      bad |= put(units, tg->name, suffixes[k], json_string(tg->unit));
  }
  if (bad) {
    json_decref(units);
    return NULL;
  }
  return units;
}

invdes_status invdes_report_write_csv(FILE *f, const invdes_store *s,
                                      const invdes_store_rows *rows, invdes_error *err) {
  return invdes_report_write_csv_units(f, s, rows, NULL, err);
}

static invdes_status write_csv(FILE *f, const invdes_store *s, const invdes_store_rows *rows,
                               const size_t *ranks, const json_t *units, invdes_error *err);

invdes_status invdes_report_write_csv_ranked(FILE *f, const invdes_store *s,
                                             const invdes_store_rows *rows, const size_t *ranks,
                                             invdes_error *err) {
  return write_csv(f, s, rows, invdes_cli_pareto(s) ? ranks : NULL, NULL, err);
}

invdes_status invdes_report_write_csv_units(FILE *f, const invdes_store *s,
                                            const invdes_store_rows *rows, const json_t *units,
                                            invdes_error *err) {
  size_t *ranks = NULL;
  invdes_status st = invdes_report_ranks(s, rows, &ranks, err);
  if (st != INVDES_OK) return st;
  st = write_csv(f, s, rows, ranks, units, err);
  free(ranks);
  return st;
}

/* The export's CSV with the given ranks (NULL: no pareto_rank column). */
static invdes_status write_csv(FILE *f, const invdes_store *s, const invdes_store_rows *rows,
                               const size_t *ranks, const json_t *units, invdes_error *err) {
  json_t *cols = invdes_report_columns(s);
  if (!cols) return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory building the export");
  size_t j;
  json_t *c;
  json_array_foreach(cols, j, c) {
    if (j) fputc(',', f);
    const char *name = json_string_value(c);
    const char *unit = units ? json_string_value(json_object_get(units, name)) : NULL;
    if (!unit) {
      invdes_csv_write_field(f, name);
      continue;
    }
    size_t n = strlen(name) + strlen(unit) + 4;
    char *head = malloc(n);
    if (!head) {
      json_decref(cols);
      return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory building the export");
    }
    snprintf(head, n, "%s [%s]", name, unit);
    invdes_csv_write_field(f, head);
    free(head);
  }
  fputc('\n', f);
  for (size_t i = 0; i < rows->n; i++) {
    json_t *row = invdes_report_row(s, rows, &rows->items[i], ranks ? ranks + i : NULL, err);
    if (!row) {
      json_decref(cols);
      return err ? err->status : INVDES_ERR_NOMEM;
    }
    json_array_foreach(cols, j, c) {
      if (j) fputc(',', f);
      csv_cell(f, json_object_get(row, json_string_value(c)));
    }
    fputc('\n', f);
    json_decref(row);
  }
  json_decref(cols);
  if (ferror(f)) return invdes_error_set(err, INVDES_ERR_IO, "writing the export failed");
  return INVDES_OK;
}

static void newline(FILE *f, int indent, int level) {
  if (indent <= 0) return;
  fputc('\n', f);
  for (int i = 0; i < indent * level; i++) fputc(' ', f);
}

static void write_string(FILE *f, const char *s, size_t len) {
  json_t *str = json_stringn(s, len);
  char *text = str ? json_dumps(str, JSON_ENCODE_ANY) : NULL;
  if (text) fputs(text, f);
  free(text);
  json_decref(str);
}

static void write_value(FILE *f, const json_t *v, int indent, int level) {
  char buf[INVDES_REPORT_NUM_MAX];
  const char *sep = indent > 0 ? ": " : ":";
  switch (json_typeof(v)) {
  case JSON_OBJECT: {
    const char *key;
    json_t *item;
    size_t k = 0;
    fputc('{', f);
    json_object_foreach((json_t *)v, key, item) {
      if (k++) fputc(',', f);
      newline(f, indent, level + 1);
      write_string(f, key, strlen(key));
      fputs(sep, f);
      write_value(f, item, indent, level + 1);
    }
    if (k) newline(f, indent, level);
    fputc('}', f);
    break;
  }
  case JSON_ARRAY: {
    size_t i;
    json_t *item;
    fputc('[', f);
    json_array_foreach(v, i, item) {
      if (i) fputc(',', f);
      newline(f, indent, level + 1);
      write_value(f, item, indent, level + 1);
    }
    if (json_array_size(v)) newline(f, indent, level);
    fputc(']', f);
    break;
  }
  case JSON_STRING: write_string(f, json_string_value(v), json_string_length(v)); break;
  case JSON_INTEGER: fprintf(f, "%" JSON_INTEGER_FORMAT, json_integer_value(v)); break;
  case JSON_REAL:
    if (isfinite(json_real_value(v))) {
      invdes_decimal_format(json_real_value(v), buf);
      /* "3" would read back as an integer; keep reals recognisable. */
      if (!strpbrk(buf, ".eE")) strcat(buf, ".0");
      fputs(buf, f);
    } else {
      fputs("null", f);
    }
    break;
  case JSON_TRUE: fputs("true", f); break;
  case JSON_FALSE: fputs("false", f); break;
  case JSON_NULL: fputs("null", f); break;
  }
}

int invdes_report_write_json(FILE *f, const json_t *v, int indent) {
  write_value(f, v, indent, 0);
  return ferror(f) ? -1 : 0;
}

/* ---- the audit trail (export --history) --------------------------------- */

static const char *const history_cols[] = {"id",  "target", "version", "action", "value",
                                           "sd",  "who",    "time",    "reason"};
enum { N_HISTORY_COLS = sizeof history_cols / sizeof history_cols[0] };

typedef struct history_ctx {
  json_t *arr;
  int nomem;
} history_ctx;

static int history_row(const invdes_store_version *v, void *data) {
  history_ctx *h = data;
  json_t *row = json_object();
  int bad = !row;
  if (row) {
    bad |= put(row, "id", "", json_integer(v->proposal));
    bad |= put(row, "target", "", text_or_null(v->target));
    bad |= put(row, "version", "", json_integer(v->version));
    bad |= put(row, "action", "", text_or_null(v->action));
    bad |= put(row, "value", "", real_or_null(v->value));
    bad |= put(row, "sd", "", real_or_null(v->sd));
    bad |= put(row, "who", "", text_or_null(v->who));
    bad |= put(row, "time", "", invdes_report_time_json(v->time));
    bad |= put(row, "reason", "", text_or_null(v->reason));
  }
  if (bad) json_decref(row);
  /* json_array_append_new releases row when it fails. */
  h->nomem = bad || json_array_append_new(h->arr, row);
  return h->nomem;
}

json_t *invdes_report_history_json(invdes_store *s, invdes_error *err) {
  json_t *arr = json_array();
  if (!arr) {
    invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory building the history");
    return NULL;
  }
  history_ctx h = {.arr = arr};
  invdes_status st = invdes_store_history(s, 0, history_row, &h, err);
  if (st == INVDES_OK && h.nomem)
    st = invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory building the history");
  if (st != INVDES_OK) {
    json_decref(arr);
    return NULL;
  }
  return arr;
}

invdes_status invdes_report_write_history_csv(FILE *f, const json_t *arr, invdes_error *err) {
  for (size_t j = 0; j < N_HISTORY_COLS; j++) {
    if (j) fputc(',', f);
    fputs(history_cols[j], f);
  }
  fputc('\n', f);
  size_t i;
  json_t *row;
  json_array_foreach(arr, i, row) {
    for (size_t j = 0; j < N_HISTORY_COLS; j++) {
      if (j) fputc(',', f);
      csv_cell(f, json_object_get(row, history_cols[j]));
    }
    fputc('\n', f);
  }
  if (ferror(f)) return invdes_error_set(err, INVDES_ERR_IO, "writing the history failed");
  return INVDES_OK;
}
