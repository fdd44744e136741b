/* formula.c — the chemical formula parser and molar mass of formula.h.
 *
 * A recursive-descent parser over the bytes of the text turns the formula
 * into flat terms: one per element symbol written, each the element's weight
 * times a constant and times the variables of the subscripts that apply to
 * it (its own, its groups', its adduct's count). The molar mass is the sum
 * of the terms, so evaluating a formula in a campaign costs a few
 * multiplications and allocates nothing. Columns in messages count
 * characters (a UTF-8 sequence is one), 1-based, as editors do. */
#include "formula.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 16
#define MAX_SUBSCRIPT 1e6
#define MAX_VARS 64
#define MAX_LEN 4096

typedef struct term {
  double weight;          /* g/mol of one atom */
  double coef;            /* the product of the constant subscripts */
  int n_vars;
  int vars[MAX_DEPTH + 2]; /* indices of the variable subscripts multiplied in */
} term;

struct invdes_formula {
  term *terms;
  size_t n_terms;
  char *names[MAX_VARS];
  int columns[MAX_VARS];
  size_t n_vars;
};

/* The parser's state; a failure leaves err set and ok 0. */
typedef struct parser {
  const char *s;
  size_t pos;
  int depth;
  invdes_formula *f;
  invdes_error *err;
  int *column;
  int ok;
} parser;

/* A multiplier on a run of terms: a constant or a variable. */
typedef struct factor {
  double value;
  int var; /* -1: the constant value */
} factor;

static int column_of(const parser *p, size_t pos) {
  int c = 1;
  for (size_t i = 0; i < pos && p->s[i]; i++)
    if (((unsigned char)p->s[i] & 0xC0) != 0x80) c++;
  return c;
}

/* Fails at byte pos: "column C: message". */
static int fail(parser *p, size_t pos, invdes_status st, const char *fmt, const char *a) {
  if (!p->ok) return 0;
  p->ok = 0;
  int c = column_of(p, pos);
  if (p->column) *p->column = c;
  char what[300];
  snprintf(what, sizeof what, fmt, a ? a : "");
  invdes_error_set(p->err, st, "column %d: %s", c, what);
  return 0;
}

/* The character at pos for messages: "'x'", "the end", "a space", or the
 * code point of a non-ASCII character. */
static const char *shown(const parser *p, size_t pos, char *buf, size_t n) {
  unsigned char ch = (unsigned char)p->s[pos];
  if (!ch) return "the end of the formula";
  if (ch == ' ' || ch == '\t') return "a blank";
  if (ch < 0x20 || ch == 0x7F) {
    snprintf(buf, n, "control character 0x%02X", ch);
    return buf;
  }
  if (ch < 0x80) {
    snprintf(buf, n, "'%c'", ch);
    return buf;
  }
  /* decode one UTF-8 sequence, for the message only */
  uint32_t cp = 0;
  int len = ch >= 0xF0 ? 4 : ch >= 0xE0 ? 3 : ch >= 0xC0 ? 2 : 0;
  if (len) {
    cp = ch & (0x7F >> len);
    for (int k = 1; k < len; k++) {
      unsigned char c = (unsigned char)p->s[pos + (size_t)k];
      if ((c & 0xC0) != 0x80) {
        len = 0;
        break;
      }
      cp = (cp << 6) | (c & 0x3F);
    }
  }
  if (!len) snprintf(buf, n, "the byte 0x%02X (not UTF-8)", ch);
  else snprintf(buf, n, "the non-ASCII character U+%04X", (unsigned)cp);
  return buf;
}

static int is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static int is_lower(char c) { return c >= 'a' && c <= 'z'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_ident(char c) { return is_upper(c) || is_lower(c) || is_digit(c) || c == '_'; }

/* At the middle dot U+00B7 (bytes C2 B7) or '*'. */
static size_t separator_len(const parser *p) {
  if (p->s[p->pos] == '*') return 1;
  if ((unsigned char)p->s[p->pos] == 0xC2 && (unsigned char)p->s[p->pos + 1] == 0xB7) return 2;
  return 0;
}

/* A decimal number at pos ("12", "0.8", ".5"); *has 0 when none is there. */
static int number(parser *p, double *v, int *has) {
  size_t start = p->pos;
  *has = 0;
  while (is_digit(p->s[p->pos])) p->pos++;
  if (p->s[p->pos] == '.') {
    p->pos++;
    if (!is_digit(p->s[p->pos])) {
      char b[40];
      return fail(p, p->pos, INVDES_ERR_PARSE, "expected a digit after the decimal point, "
                  "found %s", shown(p, p->pos, b, sizeof b));
    }
    while (is_digit(p->s[p->pos])) p->pos++;
  }
  if (p->pos == start) return 1;
  *has = 1;
  char buf[64];
  size_t len = p->pos - start;
  if (len >= sizeof buf)
    return fail(p, start, INVDES_ERR_PARSE, "the number is too long (a subscript is at most "
                "1000000)%s", NULL);
  memcpy(buf, p->s + start, len);
  buf[len] = '\0';
  *v = strtod(buf, NULL);
  if (*v > MAX_SUBSCRIPT)
    return fail(p, start, INVDES_ERR_PARSE, "subscript %s is too large (at most 1000000)", buf);
  return 1;
}

/* A variable subscript "{name}" at pos (p->s[pos] == '{'). */
static int variable(parser *p, int *index) {
  size_t open = p->pos++;
  size_t start = p->pos;
  char b[40];
  if (!is_upper(p->s[p->pos]) && !is_lower(p->s[p->pos]) && p->s[p->pos] != '_')
    return fail(p, p->pos, INVDES_ERR_PARSE, "expected a variable name after '{', found %s",
                shown(p, p->pos, b, sizeof b));
  while (is_ident(p->s[p->pos])) p->pos++;
  size_t len = p->pos - start;
  if (p->s[p->pos] != '}')
    return fail(p, p->pos, INVDES_ERR_PARSE, "expected '}' to close the variable, found %s",
                shown(p, p->pos, b, sizeof b));
  p->pos++;
  invdes_formula *f = p->f;
  for (size_t i = 0; i < f->n_vars; i++)
    if (strlen(f->names[i]) == len && strncmp(f->names[i], p->s + start, len) == 0) {
      *index = (int)i;
      return 1;
    }
  if (f->n_vars == MAX_VARS)
    return fail(p, open, INVDES_ERR_PARSE, "more than 64 different variables%s", NULL);
  char *name = malloc(len + 1);
  if (!name) {
    p->ok = 0;
    invdes_error_set(p->err, INVDES_ERR_NOMEM, "out of memory");
    return 0;
  }
  memcpy(name, p->s + start, len);
  name[len] = '\0';
  f->names[f->n_vars] = name;
  f->columns[f->n_vars] = column_of(p, start);
  *index = (int)f->n_vars++;
  return 1;
}

/* An optional subscript: a number or a variable; 1 when absent. */
static int subscript(parser *p, factor *k) {
  *k = (factor){1.0, -1};
  if (p->s[p->pos] == '{') return variable(p, &k->var);
  int has;
  return number(p, &k->value, &has);
}

/* Multiplies terms [from, n_terms) by k. */
static int apply(parser *p, size_t from, factor k) {
  for (size_t i = from; i < p->f->n_terms; i++) {
    term *t = &p->f->terms[i];
    if (k.var < 0) {
      t->coef *= k.value;
    } else {
      if (t->n_vars == MAX_DEPTH + 2)
        return fail(p, p->pos, INVDES_ERR_PARSE, "too many variable subscripts on one "
                    "element%s", NULL);
      t->vars[t->n_vars++] = k.var;
    }
  }
  return 1;
}

static int sequence(parser *p, char close);

/* One element symbol with its subscript. */
static int element(parser *p) {
  size_t at = p->pos;
  char sym[3] = {p->s[p->pos], 0, 0};
  p->pos++;
  if (is_lower(p->s[p->pos])) sym[1] = p->s[p->pos++];
  double w = invdes_atomic_weight(sym);
  if (isnan(w))
    return fail(p, at, INVDES_ERR_INVALID, "unknown element '%s'", sym);
  term *t = &p->f->terms[p->f->n_terms++];
  *t = (term){.weight = w, .coef = 1.0};
  factor k;
  size_t from = p->f->n_terms - 1;
  return subscript(p, &k) && apply(p, from, k);
}

/* A group "( ... )" or "[ ... ]" with its subscript. */
static int group(parser *p) {
  size_t open = p->pos;
  char close = p->s[p->pos] == '(' ? ')' : ']';
  if (++p->depth > MAX_DEPTH)
    return fail(p, open, INVDES_ERR_PARSE, "groups nested more than 16 deep%s", NULL);
  p->pos++;
  size_t from = p->f->n_terms;
  if (p->s[p->pos] == close)
    return fail(p, p->pos, INVDES_ERR_PARSE, "empty group: expected an element inside%s", NULL);
  if (!sequence(p, close)) return 0;
  if (p->s[p->pos] != close) {
    char b[40], what[120];
    snprintf(what, sizeof what, "expected '%c' to close the '%c' at column %d, found %%s",
             close, p->s[open], column_of(p, open));
    return fail(p, p->pos, INVDES_ERR_PARSE, what, shown(p, p->pos, b, sizeof b));
  }
  p->pos++;
  p->depth--;
  factor k;
  return subscript(p, &k) && apply(p, from, k);
}

/* Elements and groups up to `close` (0: up to an adduct separator or the
 * end). */
static int sequence(parser *p, char close) {
  char b[40];
  int items = 0;
  for (;;) {
    char c = p->s[p->pos];
    if (is_upper(c)) {
      if (!element(p)) return 0;
    } else if (c == '(' || c == '[') {
      if (!group(p)) return 0;
    } else if (items && (c == close || !c || (!close && separator_len(p)))) {
      return 1;
    } else if (c == ')' || c == ']') {
      return fail(p, p->pos, INVDES_ERR_PARSE, "'%s' closes no group", c == ')' ? ")" : "]");
    } else if (is_lower(c)) {
      char up[3] = {(char)(c - 'a' + 'A'), is_lower(p->s[p->pos + 1]) ? p->s[p->pos + 1] : 0, 0};
      return fail(p, p->pos, INVDES_ERR_PARSE, "an element symbol starts with a capital "
                  "letter (%s?)", up);
    } else {
      char what[120];
      snprintf(what, sizeof what, "expected %s, found %%s",
               !items ? "an element symbol or a group"
               : close ? (close == ')' ? "an element symbol, a group or ')'"
                                       : "an element symbol, a group or ']'")
                       : "an element symbol, a group or an adduct ('*')");
      return fail(p, p->pos, INVDES_ERR_PARSE, what, shown(p, p->pos, b, sizeof b));
    }
    items++;
  }
}

/* The whole formula: parts separated by '*' or U+00B7, each with an optional
 * leading count. */
static int formula(parser *p) {
  for (;;) {
    size_t from = p->f->n_terms;
    factor k = {1.0, -1};
    if (p->s[p->pos] == '{' || is_digit(p->s[p->pos]) || p->s[p->pos] == '.')
      if (!subscript(p, &k)) return 0;
    if (!sequence(p, 0) || !apply(p, from, k)) return 0;
    size_t sep = separator_len(p);
    if (!sep) return 1;
    p->pos += sep;
  }
}

invdes_formula *invdes_formula_parse(const char *text, int *column, invdes_error *err) {
  if (column) *column = 0;
  if (!text || !*text) {
    if (column) *column = 1;
    invdes_error_set(err, INVDES_ERR_PARSE, "column 1: the formula is empty");
    return NULL;
  }
  size_t len = strlen(text);
  if (len > MAX_LEN) {
    if (column) *column = MAX_LEN + 1;
    invdes_error_set(err, INVDES_ERR_PARSE, "the formula is longer than %d characters",
                     MAX_LEN);
    return NULL;
  }
  invdes_formula *f = calloc(1, sizeof *f);
  /* each term consumes at least one character */
  if (!f || !(f->terms = calloc(len + 1, sizeof *f->terms))) {
    invdes_formula_free(f);
    invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
    return NULL;
  }
  parser p = {.s = text, .f = f, .err = err, .column = column, .ok = 1};
  if (!formula(&p) || !p.ok) {
    invdes_formula_free(f);
    return NULL;
  }
  return f;
}

void invdes_formula_free(invdes_formula *f) {
  if (!f) return;
  for (size_t i = 0; i < f->n_vars; i++) free(f->names[i]);
  free(f->terms);
  free(f);
}

size_t invdes_formula_n_vars(const invdes_formula *f) { return f ? f->n_vars : 0; }

const char *invdes_formula_var(const invdes_formula *f, size_t i) {
  return f && i < f->n_vars ? f->names[i] : NULL;
}

int invdes_formula_var_column(const invdes_formula *f, size_t i) {
  return f && i < f->n_vars ? f->columns[i] : 0;
}

double invdes_formula_molar_mass(const invdes_formula *f, const double *values) {
  if (!f) return NAN;
  for (size_t i = 0; i < f->n_vars; i++)
    if (!values || !isfinite(values[i]) || values[i] < 0) return NAN;
  double m = 0.0;
  for (size_t i = 0; i < f->n_terms; i++) {
    const term *t = &f->terms[i];
    double a = t->weight * t->coef;
    for (int k = 0; k < t->n_vars; k++) a *= values[t->vars[k]];
    m += a;
  }
  return m;
}

double invdes_capacity_mah_per_g(double molar_mass, double electrons) {
  if (!(molar_mass > 0) || !(electrons > 0) || !isfinite(molar_mass) || !isfinite(electrons))
    return NAN;
  return electrons * INVDES_FARADAY / (3.6 * molar_mass);
}
