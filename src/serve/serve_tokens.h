/* serve_tokens.h — who may use `invdes serve`: the tokens file and the
 * lookup of a presented bearer token (docs/security.md).
 *
 * The file has one entry per line, `TOKEN NAME ROLE` separated by blanks;
 * `#` starts a comment and blank lines are skipped. A token is 16 to 256
 * characters of [A-Za-z0-9-._~+/=]; a name 1 to 64 of [A-Za-z0-9-_.@:]
 * (what `--station` takes); a role `viewer`, `station` or `admin`. A token
 * or a name given twice is an error. Lookup compares the presented token
 * with every entry over their full lengths, without an early exit, so its
 * time does not depend on where they differ. Nothing here prints. */
#ifndef INVDES_SERVE_TOKENS_H
#define INVDES_SERVE_TOKENS_H

#include <stddef.h>

#include "error.h"

/* Roles nest: each may do what the ones before it may. */
typedef enum invdes_serve_role {
  INVDES_SERVE_NONE = 0,   /* no valid token */
  INVDES_SERVE_VIEWER = 1, /* read */
  INVDES_SERVE_STATION = 2,/* read; ask, report and heartbeat its own proposals */
  INVDES_SERVE_ADMIN = 3   /* all that, and amend, retract, import */
} invdes_serve_role;

#define INVDES_SERVE_TOKEN_MIN 16
#define INVDES_SERVE_TOKEN_MAX 256
#define INVDES_SERVE_NAME_MAX 64

typedef struct invdes_serve_tokens invdes_serve_tokens;

/* "viewer", "station", "admin" ("none" for INVDES_SERVE_NONE). */
const char *invdes_serve_role_name(invdes_serve_role role);

/* Parses the text of a tokens file (len bytes; `path` names it in messages
 * as "PATH:LINE: ..."). NULL with err set (INVDES_ERR_PARSE for a bad line,
 * INVDES_ERR_INVALID for a file without any entry). The caller frees the
 * result with invdes_serve_tokens_free. */
invdes_serve_tokens *invdes_serve_tokens_parse(const char *path, const char *text, size_t len,
                                               invdes_error *err);

/* Reads and parses the file at path. Refuses (INVDES_ERR_INVALID) a file
 * that group or others may read or write, naming its mode and `chmod 600`,
 * and anything that is not a regular file. */
invdes_serve_tokens *invdes_serve_tokens_load(const char *path, invdes_error *err);

void invdes_serve_tokens_free(invdes_serve_tokens *t); /* NULL is a no-op */

size_t invdes_serve_tokens_count(const invdes_serve_tokens *t);

/* The entry of the presented token (len bytes, not NUL-terminated): its role
 * and *name (borrowed from t), or INVDES_SERVE_NONE and *name NULL. Every
 * entry is compared, in constant time each. */
invdes_serve_role invdes_serve_tokens_find(const invdes_serve_tokens *t, const char *token,
                                           size_t len, const char **name);

/* 1 when a (alen bytes) equals b (blen bytes). Its time depends on the
 * lengths only, never on the contents or where they first differ. */
int invdes_serve_ct_equal(const char *a, size_t alen, const char *b, size_t blen);

#endif
