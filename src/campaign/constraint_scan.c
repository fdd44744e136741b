/* constraint_scan.c — reading a constraint's text before muparser sees it:
 * the single top-level comparison is split off, and each side is checked
 * token by token (characters, function names, variable names with a
 * "did you mean" for near misses), so a user gets the exact column and a
 * plain message. Syntax that needs a real parser ("ni + * co") is left to
 * muparser in constraint.c. Nothing here evaluates anything. */
#include "constraint_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const char *const FUNCS[] = {"exp", "log", "sqrt", "abs", "min", "max"};
#define N_FUNCS (sizeof FUNCS / sizeof FUNCS[0])

static size_t edit_distance(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 64 || lb > 64) return 1000;
  size_t row[65];
  for (size_t j = 0; j <= lb; j++)
    row[j] = j;
  for (size_t i = 1; i <= la; i++) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= lb; j++) {
      size_t up = row[j];
      size_t sub = diag + (tolower((unsigned char)a[i - 1]) !=
                           tolower((unsigned char)b[j - 1]));
      size_t best = up + 1 < row[j - 1] + 1 ? up + 1 : row[j - 1] + 1;
      row[j] = sub < best ? sub : best;
      diag = up;
    }
  }
  return row[lb];
}

void invdes_constraint_diag(invdes_error *err, const char *file, const cons *c,
                            size_t off, const char *fmt, const char *arg) {
  char msg[512];
  snprintf(msg, sizeof msg, fmt, arg ? arg : "");
  int line = c->mark.line, col = c->mark.line ? c->mark.column + (int)off : 0;
  invdes_error_at(err, INVDES_ERR_PARSE, file, line, col,
                  "constraint \"%s\": %s", c->text, msg);
}

static const char *closest_name(const invdes_constraint_set *set,
                                const char *w) {
  const char *best = NULL;
  size_t bd = (size_t)-1;
  for (size_t i = 0; i < set->n_names; i++) {
    if (!set->names[i]) continue;
    size_t d = edit_distance(w, set->names[i]);
    if (d < bd) bd = d, best = set->names[i];
  }
  size_t lim = strlen(w) / 3 > 2 ? strlen(w) / 3 : 2;
  return bd <= lim ? best : NULL;
}

/* Checks the name at t[*i] (a function when '(' follows, else a variable)
 * and moves *i past it; *after_func says whether it was a function. Returns
 * 0, or -1 after a diagnostic for an unknown name. */
static int scan_word(const invdes_constraint_set *set, const cons *c, size_t *i, size_t b,
                     const char *file, invdes_error *err, int *after_func) {
  const char *t = c->text;
  size_t j = *i;
  while (j < b && (isalnum((unsigned char)t[j]) || t[j] == '_'))
    j++;
  char word[128];
  size_t len = j - *i < sizeof word - 1 ? j - *i : sizeof word - 1;
  memcpy(word, t + *i, len);
  word[len] = '\0';
  size_t k = j;
  while (k < b && isspace((unsigned char)t[k]))
    k++;
  if (k < b && t[k] == '(') {
    int known = 0;
    for (size_t f = 0; f < N_FUNCS; f++)
      known |= !strcmp(word, FUNCS[f]);
    if (!known) {
      invdes_constraint_diag(err, file, c, *i,
                             "unknown function '%s' (known: exp, log, "
                             "sqrt, abs, min, max)",
                             word);
      return -1;
    }
    *after_func = 1;
  } else {
    size_t v = 0;
    while (v < set->n_names &&
           !(set->names[v] && !strcmp(set->names[v], word)))
      v++;
    if (v == set->n_names) {
      const char *sug = closest_name(set, word);
      char m[300];
      snprintf(m, sizeof m, "unknown variable '%%s'%s%s%s",
               sug ? ", did you mean '" : "", sug ? sug : "",
               sug ? "'?" : "");
      invdes_constraint_diag(err, file, c, *i, m, word);
      return -1;
    }
    *after_func = 0;
  }
  *i = j;
  return 0;
}

/* The index just past the number starting at t[i] (digits and dots, then an
 * optional exponent). */
static size_t skip_number(const char *t, size_t i, size_t b) {
  while (i < b && (isdigit((unsigned char)t[i]) || t[i] == '.'))
    i++;
  if (i < b && (t[i] == 'e' || t[i] == 'E')) {
    size_t j = i + 1;
    if (j < b && (t[j] == '+' || t[j] == '-')) j++;
    if (j < b && isdigit((unsigned char)t[j])) {
      while (j < b && isdigit((unsigned char)t[j]))
        j++;
      i = j;
    }
  }
  return i;
}

int invdes_constraint_scan_side(const invdes_constraint_set *set, const cons *c,
                                size_t a, size_t b, const char *file,
                                invdes_error *err) {
  const char *t = c->text;
  char stack[256]; /* 'f' function call, 'g' grouping */
  size_t depth = 0;
  int after_func = 0;
  for (size_t i = a; i < b;) {
    unsigned char ch = (unsigned char)t[i];
    if (isspace(ch)) {
      i++;
      continue;
    }
    if (isalpha(ch) || ch == '_') {
      if (scan_word(set, c, &i, b, file, err, &after_func)) return -1;
      continue;
    }
    if (isdigit(ch) || ch == '.') {
      i = skip_number(t, i, b);
      after_func = 0;
      continue;
    }
    switch (ch) {
    case '(':
      if (depth == sizeof stack) {
        invdes_constraint_diag(err, file, c, i,
                               "parentheses nested too deeply%s", NULL);
        return -1;
      }
      stack[depth++] = after_func ? 'f' : 'g';
      break;
    case ')':
      if (depth) depth--;
      break;
    case ',':
      if (!depth || stack[depth - 1] != 'f') {
        invdes_constraint_diag(
            err, file, c, i, "',' outside a function's argument list%s", NULL);
        return -1;
      }
      break;
    case '+':
    case '-':
    case '*':
    case '/':
    case '^': break;
    case '&':
    case '|':
      invdes_constraint_diag(
          err, file, c, i,
          "'%s' is not allowed: a constraint is one "
          "comparison; write each condition as its own constraint",
          ch == '&' ? "&&" : "||");
      return -1;
    case '?':
    case ':':
      invdes_constraint_diag(err, file, c, i,
                             "the conditional '?:' is not allowed%s", NULL);
      return -1;
    default: {
      char s[2] = {(char)ch, 0};
      invdes_constraint_diag(err, file, c, i, "unexpected character '%s'", s);
      return -1;
    }
    }
    after_func = 0;
    i++;
  }
  return 0;
}

int invdes_constraint_split(cons *c, size_t *op, size_t *oplen,
                            const char *file, invdes_error *err) {
  const char *t = c->text;
  int depth = 0, found = 0;
  for (size_t i = 0; t[i]; i++) {
    char ch = t[i];
    if (ch == '(') depth++;
    if (ch == ')') depth--;
    if (ch == '&' || ch == '|') {
      invdes_constraint_diag(
          err, file, c, i,
          "'%s' is not allowed: a constraint is one "
          "comparison; write each condition as its own constraint",
          ch == '&' ? "&&" : "||");
      return -1;
    }
    if (ch == '?' || ch == ':') {
      invdes_constraint_diag(err, file, c, i,
                             "the conditional '?:' is not allowed%s", NULL);
      return -1;
    }
    if (ch != '<' && ch != '>' && ch != '=' && ch != '!') continue;
    size_t len = t[i + 1] == '=' ? 2 : 1;
    if (ch == '!' || (ch == '=' && len == 1)) {
      invdes_constraint_diag(
          err, file, c, i,
          ch == '!' ? "'!=' is not supported%s"
                    : "'=' is not a comparison; write '==' for equality%s",
          NULL);
      return -1;
    }
    if (depth > 0) {
      invdes_constraint_diag(err, file, c, i,
                             "a comparison inside parentheses is not "
                             "allowed%s",
                             NULL);
      return -1;
    }
    if (found) {
      invdes_constraint_diag(
          err, file, c, i,
          "a second comparison: a constraint has exactly "
          "one of <= >= < > ==; write each condition as its own "
          "constraint%s",
          NULL);
      return -1;
    }
    found = 1;
    *op = i;
    *oplen = len;
    c->cmp = ch == '<'   ? INVDES_CMP_LE
             : ch == '>' ? INVDES_CMP_GE
                         : INVDES_CMP_EQ;
    i += len - 1;
  }
  if (!found) {
    invdes_constraint_diag(err, file, c, 0,
                           "no comparison: a constraint compares two sides "
                           "with one of <= >= < > ==%s",
                           NULL);
    return -1;
  }
  return 0;
}
