/* campaign_read.c — typed values out of YAML nodes, with diagnostics that say
 * where and what was expected (see campaign_read.h). Also the "did you mean"
 * suggestions: the closest known word by edit distance (adjacent swaps count
 * as one edit), offered only when it is close relative to the word's length.
 * Nothing here knows which keys a campaign has; the section readers pass them. */
#include "campaign_read.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

void invdes_cload_error_at(invdes_cload *L, int line, int column, invdes_status s,
                           const char *fmt, ...) {
  char body[800];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(body, sizeof body, fmt, ap);
  va_end(ap);
  invdes_error_at(L->err, s, L->c->path, line, column, "%s", body);
  L->n_errors++;
}

void invdes_cload_error(invdes_cload *L, const invdes_ynode *n, invdes_status s,
                        const char *fmt, ...) {
  char body[800];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(body, sizeof body, fmt, ap);
  va_end(ap);
  invdes_error_at(L->err, s, L->c->path, n ? n->line : 1, n ? n->column : 1, "%s", body);
  L->n_errors++;
}

void *invdes_cload_nomem(invdes_cload *L) {
  if (!L->nomem) {
    invdes_error_add(L->err, INVDES_ERR_NOMEM, "%s: out of memory", L->c->path);
    L->n_errors++;
  }
  L->nomem = 1;
  return NULL;
}

char *invdes_cload_strdup(invdes_cload *L, const char *s) {
  if (!s) return NULL;
  char *d = strdup(s);
  if (!d) invdes_cload_nomem(L);
  return d;
}

invdes_mark invdes_cload_mark(const invdes_ynode *n) {
  invdes_mark m = {n ? n->line : 1, n ? n->column : 1};
  return m;
}

/* Optimal string alignment distance, case-insensitive, for short words. */
static size_t edit_distance(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 63 || lb > 63) return (size_t)-1;
  size_t d[64][64];
  for (size_t i = 0; i <= la; i++) d[i][0] = i;
  for (size_t j = 0; j <= lb; j++) d[0][j] = j;
  for (size_t i = 1; i <= la; i++)
    for (size_t j = 1; j <= lb; j++) {
      int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
      size_t best = d[i - 1][j - 1] + (ca != cb);
      if (d[i - 1][j] + 1 < best) best = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < best) best = d[i][j - 1] + 1;
      if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
          tolower((unsigned char)a[i - 2]) == cb && d[i - 2][j - 2] + 1 < best)
        best = d[i - 2][j - 2] + 1;
      d[i][j] = best;
    }
  return d[la][lb];
}

const char *invdes_cload_suggest(const char *s, const char *const *names) {
  const char *best = NULL;
  size_t best_d = (size_t)-1;
  for (size_t i = 0; names[i]; i++) {
    size_t d = edit_distance(s, names[i]);
    size_t len = strlen(names[i]);
    size_t limit = (len + 1) / 3;
    if (limit < 1) limit = 1;
    if (limit > 3) limit = 3;
    if (d <= limit && d < best_d) {
      best = names[i];
      best_d = d;
    }
  }
  return best;
}

static void join(char *buf, size_t size, const char *const *names) {
  size_t used = 0;
  buf[0] = '\0';
  for (size_t i = 0; names[i] && used + 1 < size; i++) {
    int k = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", names[i]);
    if (k < 0) break;
    used += (size_t)k;
  }
}

int invdes_cload_keys(invdes_cload *L, const invdes_ynode *m, const char *what,
                      const char *const *known) {
  int bad = 0;
  if (!m || m->kind != INVDES_YNODE_MAPPING) return 0;
  for (size_t i = 0; i < m->n; i++) {
    const char *k = m->keys[i]->text;
    size_t j = 0;
    while (known[j] && strcmp(known[j], k) != 0) j++;
    if (known[j]) continue;
    bad++;
    const char *s = invdes_cload_suggest(k, known);
    if (s) {
      invdes_cload_error(L, m->keys[i], INVDES_ERR_INVALID,
                         "unknown key '%s' in %s; did you mean '%s'?", k, what, s);
    } else {
      char list[400];
      join(list, sizeof list, known);
      invdes_cload_error(L, m->keys[i], INVDES_ERR_INVALID,
                         "unknown key '%s' in %s (known keys: %s)", k, what, list);
    }
  }
  return bad;
}

const invdes_ynode *invdes_cload_get(const invdes_ynode *m, const char *key) {
  if (!m || m->kind != INVDES_YNODE_MAPPING) return NULL;
  for (size_t i = 0; i < m->n; i++)
    if (strcmp(m->keys[i]->text, key) == 0) return m->items[i];
  return NULL;
}

const invdes_ynode *invdes_cload_key_node(const invdes_ynode *m, const char *key) {
  if (!m || m->kind != INVDES_YNODE_MAPPING) return NULL;
  for (size_t i = 0; i < m->n; i++)
    if (strcmp(m->keys[i]->text, key) == 0) return m->keys[i];
  return NULL;
}

int invdes_cload_expect_mapping(invdes_cload *L, const invdes_ynode *n, const char *what) {
  if (n && n->kind == INVDES_YNODE_MAPPING) return 1;
  invdes_cload_error(L, n, INVDES_ERR_INVALID, "%s must be a mapping (key: value lines), not %s",
                     what, invdes_ynode_kind_noun(n));
  return 0;
}

int invdes_cload_expect_list(invdes_cload *L, const invdes_ynode *n, const char *what) {
  if (n && n->kind == INVDES_YNODE_SEQUENCE) return 1;
  invdes_cload_error(L, n, INVDES_ERR_INVALID, "%s must be a list, not %s", what,
                     invdes_ynode_kind_noun(n));
  return 0;
}

int invdes_cload_string(invdes_cload *L, const invdes_ynode *n, const char *what,
                        const char **out) {
  if (!n || n->kind != INVDES_YNODE_SCALAR || invdes_ynode_is_null(n)) {
    invdes_cload_error(L, n, INVDES_ERR_INVALID, "%s must be a text, not %s", what,
                       invdes_ynode_kind_noun(n));
    return 0;
  }
  *out = n->text;
  return 1;
}

int invdes_cload_parse_double(const char *s, double *v) {
  /* Decimal numbers only, as everywhere (table.h): no 0x10, inf or nan. */
  while (isspace((unsigned char)*s)) s++;
  size_t n = strlen(s);
  while (n > 0 && isspace((unsigned char)s[n - 1])) n--;
  char buf[128];
  if (n == 0 || n >= sizeof buf) return 0;
  memcpy(buf, s, n);
  buf[n] = '\0';
  return invdes_decimal_parse(buf, v) == 0;
}

int invdes_cload_number(invdes_cload *L, const invdes_ynode *n, const char *what,
                        double *out) {
  if (!n || n->kind != INVDES_YNODE_SCALAR || invdes_ynode_is_null(n)) {
    invdes_cload_error(L, n, INVDES_ERR_INVALID, "%s must be a number, not %s", what,
                       invdes_ynode_kind_noun(n));
    return 0;
  }
  if (!invdes_cload_parse_double(n->text, out)) {
    invdes_cload_error(L, n, INVDES_ERR_INVALID, "%s must be a finite number, not '%.60s'",
                       what, n->text);
    return 0;
  }
  return 1;
}

int invdes_cload_int(invdes_cload *L, const invdes_ynode *n, const char *what,
                     long long min, long long max, int *out) {
  double x;
  if (!invdes_cload_number(L, n, what, &x)) return 0;
  if (x != floor(x) || x < (double)min || x > (double)max) {
    if (max >= INT_MAX)
      invdes_cload_error(L, n, INVDES_ERR_INVALID, "%s must be a whole number >= %lld, not %s",
                         what, min, n->text);
    else
      invdes_cload_error(L, n, INVDES_ERR_INVALID,
                         "%s must be a whole number from %lld to %lld, not %s", what, min, max,
                         n->text);
    return 0;
  }
  *out = (int)x;
  return 1;
}

int invdes_cload_pair(invdes_cload *L, const invdes_ynode *n, const char *what,
                      double *lo, double *hi) {
  if (!n || n->kind != INVDES_YNODE_SEQUENCE || n->n != 2) {
    if (n && n->kind == INVDES_YNODE_SEQUENCE)
      invdes_cload_error(L, n, INVDES_ERR_INVALID,
                         "%s must be [low, high], two numbers; got %zu", what, n->n);
    else
      invdes_cload_error(L, n, INVDES_ERR_INVALID, "%s must be [low, high], not %s", what,
                         invdes_ynode_kind_noun(n));
    return 0;
  }
  int ok = invdes_cload_number(L, n->items[0], what, lo);
  ok &= invdes_cload_number(L, n->items[1], what, hi);
  return ok;
}

int invdes_cload_identifier(invdes_cload *L, const invdes_ynode *n, const char *what,
                            const char *s) {
  int ok = (isalpha((unsigned char)s[0]) || s[0] == '_');
  for (const char *p = s; ok && *p; p++)
    ok = isalnum((unsigned char)*p) || *p == '_';
  if (!ok)
    invdes_cload_error(L, n, INVDES_ERR_INVALID,
                       "%s '%.60s' is not a valid name: use letters, digits and '_', "
                       "starting with a letter or '_' (constraints refer to names)",
                       what, s);
  return ok;
}

int invdes_cload_choice(invdes_cload *L, const invdes_ynode *n, const char *what,
                        const char *const *names) {
  const char *s;
  if (!invdes_cload_string(L, n, what, &s)) return -1;
  for (int i = 0; names[i]; i++)
    if (strcmp(names[i], s) == 0) return i;
  char list[300];
  join(list, sizeof list, names);
  const char *sug = invdes_cload_suggest(s, names);
  if (sug)
    invdes_cload_error(L, n, INVDES_ERR_INVALID, "unknown %s '%.60s'; did you mean '%s'? (%s)",
                       what, s, sug, list);
  else
    invdes_cload_error(L, n, INVDES_ERR_INVALID, "unknown %s '%.60s' (one of: %s)", what, s,
                       list);
  return -1;
}
