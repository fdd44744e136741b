/* serve_tokens.c — the tokens file of `invdes serve` and constant-time
 * lookup; see serve_tokens.h. Identity comes from here alone: a request's
 * station is the name of the entry its token matches. */
#include "serve_tokens.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "file.h"

typedef struct entry {
  char *token, *name;
  size_t len;
  invdes_serve_role role;
} entry;

struct invdes_serve_tokens {
  entry *items;
  size_t n, cap;
};

const char *invdes_serve_role_name(invdes_serve_role role) {
  switch (role) {
  case INVDES_SERVE_VIEWER: return "viewer";
  case INVDES_SERVE_STATION: return "station";
  case INVDES_SERVE_ADMIN: return "admin";
  case INVDES_SERVE_NONE: break;
  }
  return "none";
}

void invdes_serve_tokens_free(invdes_serve_tokens *t) {
  if (!t) return;
  for (size_t i = 0; i < t->n; i++) {
    /* Tokens are secrets: wiped before the memory goes back. */
    volatile char *p = t->items[i].token;
    for (size_t k = 0; k < t->items[i].len; k++) p[k] = 0;
    free(t->items[i].token);
    free(t->items[i].name);
  }
  free(t->items);
  free(t);
}

size_t invdes_serve_tokens_count(const invdes_serve_tokens *t) { return t ? t->n : 0; }

int invdes_serve_ct_equal(const char *a, size_t alen, const char *b, size_t blen) {
  /* Every byte of b is visited whatever a holds; a is read cyclically, so
   * its contents never change the work done. */
  unsigned char diff = (unsigned char)(alen != blen);
  if (alen == 0) return blen == 0;
  for (size_t i = 0; i < blen; i++) diff |= (unsigned char)(a[i % alen] ^ b[i]);
  return diff == 0;
}

invdes_serve_role invdes_serve_tokens_find(const invdes_serve_tokens *t, const char *token,
                                           size_t len, const char **name) {
  invdes_serve_role role = INVDES_SERVE_NONE;
  *name = NULL;
  if (!t || len > INVDES_SERVE_TOKEN_MAX) return role;
  for (size_t i = 0; i < t->n; i++) { /* no break: every entry costs the same */
    int eq = invdes_serve_ct_equal(token, len, t->items[i].token, t->items[i].len);
    if (eq) {
      role = t->items[i].role;
      *name = t->items[i].name;
    }
  }
  return role;
}

static int token_char(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         (c && strchr("-._~+/=", c));
}

static int name_char(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         (c && strchr("-_.@:", c));
}

/* The next blank-separated field of line [*p, end): its start and length. */
static size_t field(const char **p, const char *end, const char **start) {
  while (*p < end && (**p == ' ' || **p == '\t' || **p == '\r')) (*p)++;
  *start = *p;
  while (*p < end && **p != ' ' && **p != '\t' && **p != '\r') (*p)++;
  return (size_t)(*p - *start);
}

static invdes_status add(invdes_serve_tokens *t, const char *tok, size_t tl, const char *name,
                         size_t nl, invdes_serve_role role, const char *path, int line,
                         invdes_error *err) {
  for (size_t i = 0; i < t->n; i++) {
    if (invdes_serve_ct_equal(tok, tl, t->items[i].token, t->items[i].len))
      return invdes_error_at(err, INVDES_ERR_PARSE, path, line, 0,
                             "this token is given twice (also for '%s')", t->items[i].name);
    if (strlen(t->items[i].name) == nl && memcmp(t->items[i].name, name, nl) == 0)
      return invdes_error_at(err, INVDES_ERR_PARSE, path, line, 0,
                             "the name '%.*s' is given twice: one token per name",
                             (int)nl, name);
  }
  if (t->n == t->cap) {
    size_t cap = t->cap ? 2 * t->cap : 8;
    entry *e = realloc(t->items, cap * sizeof *e);
    if (!e) return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
    t->items = e;
    t->cap = cap;
  }
  entry *e = &t->items[t->n];
  e->token = strndup(tok, tl);
  e->name = strndup(name, nl);
  e->len = tl;
  e->role = role;
  if (!e->token || !e->name) {
    free(e->token);
    free(e->name);
    return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  }
  t->n++;
  return INVDES_OK;
}

/* One line (without its newline); empty and comment-only lines add nothing. */
static invdes_status parse_line(invdes_serve_tokens *t, const char *p, const char *end,
                                const char *path, int line, invdes_error *err) {
  const char *start = p, *hash = memchr(p, '#', (size_t)(end - p));
  if (hash) end = hash;
  const char *f[4];
  size_t len[4];
  for (int k = 0; k < 4; k++) len[k] = field(&p, end, &f[k]);
  if (!len[0]) return INVDES_OK;
  if (!len[1] || !len[2] || len[3])
    return invdes_error_at(err, INVDES_ERR_PARSE, path, line, 0,
                           "expected TOKEN NAME ROLE separated by blanks, found %d field%s",
                           len[3] ? 4 : !len[1] ? 1 : 2, !len[1] ? "" : "s");
  for (size_t i = 0; i < len[0]; i++)
    if (!token_char((unsigned char)f[0][i]))
      return invdes_error_at(err, INVDES_ERR_PARSE, path, line, (int)(f[0] - start + i) + 1,
                             "a token holds only letters, digits and -._~+/=");
  if (len[0] < INVDES_SERVE_TOKEN_MIN || len[0] > INVDES_SERVE_TOKEN_MAX)
    return invdes_error_at(err, INVDES_ERR_PARSE, path, line, 0,
                           "a token has %d to %d characters, this one %zu (make one with "
                           "`openssl rand -hex 16`)",
                           INVDES_SERVE_TOKEN_MIN, INVDES_SERVE_TOKEN_MAX, len[0]);
  for (size_t i = 0; i < len[1]; i++)
    if (!name_char((unsigned char)f[1][i]) || len[1] > INVDES_SERVE_NAME_MAX)
      return invdes_error_at(err, INVDES_ERR_PARSE, path, line, 0,
                             "the name '%.*s' is not 1 to %d letters, digits or -_.@:",
                             (int)(len[1] > 80 ? 80 : len[1]), f[1], INVDES_SERVE_NAME_MAX);
  invdes_serve_role role = INVDES_SERVE_NONE;
  for (invdes_serve_role r = INVDES_SERVE_VIEWER; r <= INVDES_SERVE_ADMIN; r++)
    if (strlen(invdes_serve_role_name(r)) == len[2] &&
        memcmp(invdes_serve_role_name(r), f[2], len[2]) == 0)
      role = r;
  if (role == INVDES_SERVE_NONE)
    return invdes_error_at(err, INVDES_ERR_PARSE, path, line, 0,
                           "unknown role '%.*s' (roles: station, viewer, admin)",
                           (int)(len[2] > 40 ? 40 : len[2]), f[2]);
  return add(t, f[0], len[0], f[1], len[1], role, path, line, err);
}

invdes_serve_tokens *invdes_serve_tokens_parse(const char *path, const char *text, size_t len,
                                               invdes_error *err) {
  invdes_serve_tokens *t = calloc(1, sizeof *t);
  if (!t) {
    invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
    return NULL;
  }
  const char *p = text, *end = text + len;
  invdes_status st = INVDES_OK;
  for (int line = 1; st == INVDES_OK && p < end; line++) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *eol = nl ? nl : end;
    if (memchr(p, '\0', (size_t)(eol - p)))
      st = invdes_error_at(err, INVDES_ERR_PARSE, path, line, 0, "a NUL byte: not a text file");
    else
      st = parse_line(t, p, eol, path, line, err);
    p = nl ? nl + 1 : end;
  }
  if (st == INVDES_OK && t->n == 0)
    st = invdes_error_set(err, INVDES_ERR_INVALID, "%s: no token in the file (a line is "
                          "TOKEN NAME ROLE)", path);
  if (st != INVDES_OK) {
    invdes_serve_tokens_free(t);
    return NULL;
  }
  return t;
}

invdes_serve_tokens *invdes_serve_tokens_load(const char *path, invdes_error *err) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    invdes_error_set(err, INVDES_ERR_IO, "%s: cannot open the tokens file: %s", path,
                     strerror(errno));
    return NULL;
  }
  struct stat sb;
  if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
    fclose(f);
    invdes_error_set(err, INVDES_ERR_INVALID, "%s: the tokens file is not a regular file", path);
    return NULL;
  }
  if (sb.st_mode & (S_IRWXG | S_IRWXO)) {
    fclose(f);
    invdes_error_set(err, INVDES_ERR_INVALID,
                     "%s: the tokens file may be read or written by others (mode %04o); "
                     "make it private: chmod 600 %s", path, (unsigned)(sb.st_mode & 07777), path);
    return NULL;
  }
  char *text = NULL;
  size_t len = 0;
  invdes_status st = invdes_file_read_stream(f, path, &text, &len, err);
  fclose(f);
  if (st != INVDES_OK) return NULL;
  invdes_serve_tokens *t = invdes_serve_tokens_parse(path, text, len, err);
  memset(text, 0, len);
  free(text);
  return t;
}
