/* table.c — reading CSV files into an in-memory table of strings (table.h).
 *
 * The file is read whole (file.h), then handed to libcsv one physical line at a time so
 * that every row and every parse error can be tied to its line and column.
 * Cell texts live in one growing arena (offsets while reading, so the arena may
 * move); a table of a hundred thousand rows costs a handful of allocations.
 * Nothing here interprets cells beyond the optional numeric conversion. */
#include "table.h"

#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"

struct invdes_table {
  char *path;
  char *arena;      /* every field, NUL-terminated, header first */
  size_t *offsets;  /* (n_rows + 1) * n_cols offsets into arena */
  int *lines;       /* n_rows start lines of data rows */
  size_t n_rows, n_cols;
};

/* State shared with the libcsv callbacks while reading. */
typedef struct reader {
  char *arena;
  size_t arena_len, arena_cap;
  size_t *offsets;
  size_t n_offsets, offsets_cap;
  int *lines;
  size_t lines_cap;
  size_t n_records;      /* records completed, header included */
  size_t n_cols;         /* header width, 0 until the header ends */
  size_t fields_in_row;  /* fields seen in the record being read */
  int line;              /* 1-based line being fed to libcsv */
  int row_line;          /* line where the record being read started */
  int open_line;         /* line where the last row still open began */
  const char *path;
  invdes_error *err;
  invdes_status status;  /* first failure inside a callback */
} reader;

static int grow(void **p, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap) return 1;
  size_t n = *cap ? *cap : 64;
  while (n < need) {
    if (n > ((size_t)-1) / 2 / elem) return 0;
    n *= 2;
  }
  void *q = realloc(*p, n * elem);
  if (!q) return 0;
  *p = q;
  *cap = n;
  return 1;
}

static size_t count_newlines(const char *s, size_t len) {
  size_t k = 0;
  for (size_t i = 0; i < len; i++) k += s[i] == '\n';
  return k;
}

static void on_field(void *data, size_t len, void *ctx) {
  reader *r = ctx;
  if (r->status != INVDES_OK) return;
  if (r->fields_in_row == 0)
    r->row_line = r->line - (int)count_newlines(data ? data : "", data ? len : 0);
  r->fields_in_row++;
  if (r->n_cols && r->fields_in_row > r->n_cols) return; /* reported at row end */
  if (data && len && memchr(data, '\0', len)) { /* read as a C string it would end there */
    r->status = invdes_error_set(r->err, INVDES_ERR_PARSE,
                                 "%s:%d: a NUL byte in a field (not a text file?)", r->path,
                                 r->line);
    return;
  }
  if (!grow((void **)&r->arena, &r->arena_cap, r->arena_len + len + 1, 1) ||
      !grow((void **)&r->offsets, &r->offsets_cap, r->n_offsets + 1, sizeof(size_t))) {
    r->status = invdes_error_set(r->err, INVDES_ERR_NOMEM, "%s: out of memory", r->path);
    return;
  }
  if (len) memcpy(r->arena + r->arena_len, data, len);
  r->arena[r->arena_len + len] = '\0';
  r->offsets[r->n_offsets++] = r->arena_len;
  r->arena_len += len + 1;
}

static void on_record(int term, void *ctx) {
  (void)term;
  reader *r = ctx;
  if (r->status != INVDES_OK) return;
  if (r->n_records == 0) {
    r->n_cols = r->fields_in_row;
  } else {
    if (r->fields_in_row != r->n_cols) {
      r->status = invdes_error_set(r->err, INVDES_ERR_PARSE,
                                   "%s:%d:1: row has %zu field%s, header has %zu",
                                   r->path, r->row_line, r->fields_in_row,
                                   r->fields_in_row == 1 ? "" : "s", r->n_cols);
      return;
    }
    if (!grow((void **)&r->lines, &r->lines_cap, r->n_records, sizeof(int))) {
      r->status = invdes_error_set(r->err, INVDES_ERR_NOMEM, "%s: out of memory", r->path);
      return;
    }
    r->lines[r->n_records - 1] = r->row_line;
  }
  r->n_records++;
  r->fields_in_row = 0;
}

/* Feeds text to libcsv line by line; returns the status (message in r->err). */
static invdes_status parse_text(reader *r, const char *text, size_t len) {
  struct csv_parser p;
  if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
    return invdes_error_set(r->err, INVDES_ERR_NOMEM, "%s: out of memory", r->path);
  size_t pos = 0;
  r->line = 1;
  while (pos < len && r->status == INVDES_OK) {
    const char *nl = memchr(text + pos, '\n', len - pos);
    size_t n = nl ? (size_t)(nl - (text + pos)) + 1 : len - pos;
    /* libcsv's pstate 0 is "no row begun": a row still open after this line
     * began on it, which dates an unclosed quote. */
    int between_rows = r->fields_in_row == 0 && p.pstate == 0;
    size_t done = csv_parse(&p, text + pos, n, on_field, on_record, r);
    if (r->status != INVDES_OK) break;
    if (between_rows && (p.pstate != 0 || r->fields_in_row > 0)) r->open_line = r->line;
    if (done != n) {
      int e = csv_error(&p);
      r->status = invdes_error_set(
          r->err, e == CSV_EPARSE ? INVDES_ERR_PARSE : INVDES_ERR_NOMEM,
          "%s:%d:%zu: %s", r->path, r->line, done + 1,
          e == CSV_EPARSE ? "malformed quoting (a quote inside an unquoted field, or "
                            "text after a closing quote)"
                          : csv_strerror(e));
      break;
    }
    pos += n;
    if (nl) r->line++;
  }
  if (r->status == INVDES_OK) {
    if (csv_fini(&p, on_field, on_record, r) != 0 && r->status == INVDES_OK)
      r->status = invdes_error_set(r->err, INVDES_ERR_PARSE,
                                   "%s:%d: a quoted field is not closed before the "
                                   "end of the file", r->path, r->open_line);
  }
  csv_free(&p);
  return r->status;
}

static void reader_free(reader *r) {
  free(r->arena);
  free(r->offsets);
  free(r->lines);
}

invdes_table *invdes_table_read(const char *path, invdes_error *err) {
  if (!path) {
    invdes_error_set(err, INVDES_ERR_USAGE, "invdes_table_read: no path");
    return NULL;
  }
  size_t len = 0;
  char *text = NULL;
  if (invdes_file_read(path, &text, &len, err) != INVDES_OK) return NULL;
  invdes_table *t = invdes_table_parse(path, text, len, err);
  free(text);
  return t;
}

invdes_table *invdes_table_parse(const char *path, const char *text, size_t len,
                                 invdes_error *err) {
  size_t start = 0;
  if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) start = 3;

  reader r = {0};
  r.path = path;
  r.err = err;
  r.status = INVDES_OK;
  parse_text(&r, text + start, len - start);
  if (r.status == INVDES_OK && r.n_records == 0)
    r.status = invdes_error_set(err, INVDES_ERR_PARSE,
                                "%s: empty file (a header row is required)", path);
  if (r.status == INVDES_OK && r.n_records == 1)
    r.status = invdes_error_set(err, INVDES_ERR_PARSE,
                                "%s: no data rows (only a header)", path);
  /* Column names must be distinct so that find_col means one column. */
  for (size_t a = 0; r.status == INVDES_OK && a < r.n_cols; a++)
    for (size_t b = a + 1; b < r.n_cols; b++)
      if (strcmp(r.arena + r.offsets[a], r.arena + r.offsets[b]) == 0) {
        r.status = invdes_error_set(err, INVDES_ERR_PARSE,
                                    "%s:1: columns %zu and %zu have the same name '%s'",
                                    path, a + 1, b + 1, r.arena + r.offsets[a]);
        break;
      }

  invdes_table *t = NULL;
  if (r.status == INVDES_OK) {
    t = calloc(1, sizeof *t);
    char *p = t ? strdup(path) : NULL;
    if (!p) {
      free(t);
      t = NULL;
      invdes_error_set(err, INVDES_ERR_NOMEM, "%s: out of memory", path);
    } else {
      t->path = p;
      t->arena = r.arena;
      t->offsets = r.offsets;
      t->lines = r.lines;
      t->n_cols = r.n_cols;
      t->n_rows = r.n_records - 1;
      return t;
    }
  }
  reader_free(&r);
  return NULL;
}

void invdes_table_free(invdes_table *t) {
  if (!t) return;
  free(t->path);
  free(t->arena);
  free(t->offsets);
  free(t->lines);
  free(t);
}

size_t invdes_table_n_rows(const invdes_table *t) { return t ? t->n_rows : 0; }
size_t invdes_table_n_cols(const invdes_table *t) { return t ? t->n_cols : 0; }
const char *invdes_table_path(const invdes_table *t) { return t ? t->path : NULL; }

const char *invdes_table_col_name(const invdes_table *t, size_t j) {
  if (!t || j >= t->n_cols) return NULL;
  return t->arena + t->offsets[j];
}

long invdes_table_find_col(const invdes_table *t, const char *name) {
  if (!t || !name) return -1;
  for (size_t j = 0; j < t->n_cols; j++)
    if (strcmp(t->arena + t->offsets[j], name) == 0) return (long)j;
  return -1;
}

const char *invdes_table_cell(const invdes_table *t, size_t i, size_t j) {
  if (!t || i >= t->n_rows || j >= t->n_cols) return NULL;
  return t->arena + t->offsets[(i + 1) * t->n_cols + j];
}

int invdes_table_row_line(const invdes_table *t, size_t i) {
  if (!t || i >= t->n_rows) return 0;
  return t->lines[i];
}

void invdes_decimal_format(double v, char *buf) {
  if (!isfinite(v)) {
    snprintf(buf, INVDES_DECIMAL_MAX, "%s", isnan(v) ? "nan" : v > 0 ? "inf" : "-inf");
    return;
  }
  double mag = fabs(v);
  int first = mag >= 1 && mag < 1e17 ? (int)floor(log10(mag)) + 1 : 1;
  for (int digits = first; digits <= 17; digits++) {
    snprintf(buf, INVDES_DECIMAL_MAX, "%.*g", digits, v);
    if (strtod(buf, NULL) == v) return;
  }
}

int invdes_decimal_parse(const char *s, double *v) {
  if (!s || !*s) return 1;
  /* The syntax first: strtod alone also takes hex ("0x10"), "inf", "nan"
   * and "infinity", which no laboratory value is written as. */
  const char *p = s;
  if (*p == '+' || *p == '-') p++;
  size_t int_digits = 0, frac_digits = 0;
  while (isdigit((unsigned char)*p)) p++, int_digits++;
  if (*p == '.') {
    p++;
    while (isdigit((unsigned char)*p)) p++, frac_digits++;
  }
  if (int_digits + frac_digits == 0) return 2;
  if (*p == 'e' || *p == 'E') {
    p++;
    if (*p == '+' || *p == '-') p++;
    if (!isdigit((unsigned char)*p)) return 2;
    while (isdigit((unsigned char)*p)) p++;
  }
  if (*p) return 2;
  errno = 0;
  double x = strtod(s, NULL);
  if (!isfinite(x)) return 3;
  *v = x;
  return 0;
}


invdes_status invdes_table_numeric_column(const invdes_table *t, size_t j,
                                          double *out, invdes_error *err) {
  if (!t || j >= t->n_cols || !out)
    return invdes_error_set(err, INVDES_ERR_USAGE,
                            "invdes_table_numeric_column: column %zu out of range", j);
  size_t first = 0, bad = 0;
  int kind = 0;
  for (size_t i = 0; i < t->n_rows; i++) {
    int k = invdes_decimal_parse(invdes_table_cell(t, i, j), &out[i]);
    if (k == 0) continue;
    if (bad++ == 0) { first = i; kind = k; }
  }
  if (!bad) return INVDES_OK;
  const char *cell = invdes_table_cell(t, first, j);
  char more[64] = "";
  if (bad > 1)
    snprintf(more, sizeof more, " (and %zu more bad cell%s in this column)", bad - 1,
             bad == 2 ? "" : "s");
  const char *name = invdes_table_col_name(t, j);
  int line = t->lines[first];
  if (kind == 1)
    return invdes_error_set(err, INVDES_ERR_INVALID, "%s:%d: column '%s': cell is empty%s",
                            t->path, line, name, more);
  return invdes_error_set(err, INVDES_ERR_INVALID, "%s:%d: column '%s': '%.200s' is not a %s%s",
                          t->path, line, name, cell,
                          kind == 3 ? "finite number" : "number", more);
}

invdes_status invdes_table_is_numeric_column(const invdes_table *t, size_t j) {
  if (!t || j >= t->n_cols) return INVDES_ERR_USAGE;
  double v;
  for (size_t i = 0; i < t->n_rows; i++)
    if (invdes_decimal_parse(invdes_table_cell(t, i, j), &v) != 0) return INVDES_ERR_INVALID;
  return INVDES_OK;
}

void invdes_csv_write_field(FILE *f, const char *s) {
  if (!s) return;
  size_t n = strlen(s);
  int quote = n > 0 && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t');
  if (!quote && strpbrk(s, ",\"\r\n")) quote = 1;
  if (!quote) {
    fputs(s, f);
    return;
  }
  fputc('"', f);
  for (const char *p = s; *p; p++) {
    if (*p == '"') fputc('"', f);
    fputc(*p, f);
  }
  fputc('"', f);
}
