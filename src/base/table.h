/* table.h — a CSV file read into memory as a table of strings.
 *
 * The reader follows RFC 4180 (quoted fields may hold commas, quotes written
 * as "" and line breaks) through libcsv in strict mode, accepts LF or CRLF
 * line ends, drops a UTF-8 byte-order mark at the start of the file and skips
 * blank lines. Leading and trailing spaces and tabs of an unquoted field are
 * dropped (libcsv's default); quote a field to keep them. The first row is the
 * header and names the columns (names are distinct); every other row must have
 * exactly as many fields as the header, and at least one data row must exist.
 *
 * Cells stay strings; numeric_column converts one column when the caller asks.
 * Every message about the file starts "FILE:LINE" so a user can find the row.
 * This module does not guess types, infer headers, or know what a column means
 * (pools, data sets and exports decide that). It never prints. */
#ifndef INVDES_TABLE_H
#define INVDES_TABLE_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"
#include "invdes_export.h"

typedef struct invdes_table invdes_table;

/* Reads the CSV file at `path`. Returns the table (free with invdes_table_free)
 * or NULL with one message in `err`, e.g. "FILE:LINE:1: row has 5 fields,
 * header has 6", "FILE: cannot open: No such file or directory",
 * "FILE: empty file (a header row is required)", "FILE: no data rows". */
INVDES_API
invdes_table *invdes_table_read(const char *path, invdes_error *err);

/* The same from len bytes of CSV text already in memory (e.g. read from
 * standard input); `path` names it in messages and becomes the table's path. */
INVDES_API
invdes_table *invdes_table_parse(const char *path, const char *text, size_t len,
                                 invdes_error *err);

/* Reads a decimal number, the only spelling invdes accepts for a value
 * anywhere (results, options, CSV cells, campaign files): an optional sign,
 * digits with an optional decimal point, an optional exponent (1, -0.5, .5,
 * 2., 1e-3, 6.02E23). Hex (0x10), inf, nan and infinity are not numbers here,
 * nor is any space. Returns 0 with *v set, 1 for empty text, 2 for anything
 * else that is not a decimal number, 3 for one too large for a double
 * (1e999). */
INVDES_API
int invdes_decimal_parse(const char *text, double *v);

/* Bytes invdes_decimal_format writes at most, the NUL included. */
#define INVDES_DECIMAL_MAX 32

/* The inverse of invdes_decimal_parse for people: the fewest significant
 * digits (%.Ng, N <= 17) that read back as exactly v — the 3.7 a station
 * typed, not 3.7000000000000002 — and at least the integer part's digits
 * below 1e17 ("170", not "1.7e+02"). A non-finite v gives "nan", "inf" or
 * "-inf". buf has INVDES_DECIMAL_MAX bytes. */
INVDES_API
void invdes_decimal_format(double v, char *buf);

/* Frees the table and every string borrowed from it. NULL is a no-op. */
INVDES_API
void invdes_table_free(invdes_table *t);

/* Number of data rows (the header not counted), >= 1. */
INVDES_API
size_t invdes_table_n_rows(const invdes_table *t);
/* Number of columns, >= 1. */
INVDES_API
size_t invdes_table_n_cols(const invdes_table *t);
/* Name of column j (0-based), borrowed; NULL if j is out of range. */
INVDES_API
const char *invdes_table_col_name(const invdes_table *t, size_t j);
/* Index of the column named exactly `name`, or -1 if there is none. */
INVDES_API
long invdes_table_find_col(const invdes_table *t, const char *name);
/* Cell of data row i, column j (0-based), borrowed, never NULL for indices in
 * range (an empty field is ""); NULL if out of range. */
INVDES_API
const char *invdes_table_cell(const invdes_table *t, size_t i, size_t j);
/* 1-based line of the file where data row i starts (a quoted field may carry
 * the row over several lines); 0 if i is out of range. */
INVDES_API
int invdes_table_row_line(const invdes_table *t, size_t i);
/* The path the table was read from, borrowed. */
INVDES_API
const char *invdes_table_path(const invdes_table *t);

/* Converts column j: out[i] (room for n_rows values) receives every cell
 * a decimal number (invdes_decimal_parse) and finite. Otherwise returns INVDES_ERR_INVALID
 * with "FILE:LINE: column 'x': 'abc' is not a number" (or "...: cell is empty",
 * "'1e999' is not a finite number") for the first bad cell, noting how many
 * others are bad; out is then unspecified. */
INVDES_API
invdes_status invdes_table_numeric_column(const invdes_table *t, size_t j,
                                          double *out, invdes_error *err);

/* INVDES_OK if every cell of column j is a finite number, else
 * INVDES_ERR_INVALID; no message. */
INVDES_API
invdes_status invdes_table_is_numeric_column(const invdes_table *t, size_t j);

/* Writes one field to f, quoted per RFC 4180 when it holds a comma, quote,
 * CR or LF, or starts or ends with a space or tab (which the reader would
 * drop otherwise). NULL writes an empty field. No delimiter is written. */
INVDES_API
void invdes_csv_write_field(FILE *f, const char *s);

#endif
