/* store_error.c — the one place where SQLite's result codes become invdes
 * statuses, and so (through the command line's map) exit codes: 1 for what
 * the system may get past later (a read-only file or folder, a full disk, an
 * I/O error, permissions, a lock held too long), 2 for what no retry will
 * change (a file that is no database, a broken constraint). A damaged
 * database (SQLITE_CORRUPT) is the exception that store_db_error makes: one
 * message naming the file and `.recover` (store_damaged), with the system
 * error's status, since the input a robot sent was not at fault. Nothing
 * here retries or prints. */
#include "store_internal.h"

#include <stdio.h>

invdes_status store_status_of(int rc) {
  switch (rc & 0xff) {
  case SQLITE_OK:
  case SQLITE_ROW:
  case SQLITE_DONE: return INVDES_OK;
  case SQLITE_NOMEM: return INVDES_ERR_NOMEM;
  /* The file is no (undamaged) database: no retry will help. */
  case SQLITE_NOTADB:
  case SQLITE_CORRUPT:
  case SQLITE_FORMAT:
  case SQLITE_MISMATCH:
  case SQLITE_CONSTRAINT: return INVDES_ERR_INVALID;
  /* Everything else is the system's: SQLITE_READONLY, SQLITE_FULL,
   * SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED,
   * SQLITE_PROTOCOL... the same input may succeed later. */
  default: return INVDES_ERR_DB;
  }
}

invdes_status store_db_error(invdes_store *s, invdes_error *err, const char *what) {
  int rc = s->db ? sqlite3_extended_errcode(s->db) : SQLITE_CANTOPEN;
  if ((rc & 0xff) == SQLITE_CORRUPT) { /* one message naming the file and the cure */
    char detail[256];
    snprintf(detail, sizeof detail, "%s: %s", what, sqlite3_errmsg(s->db));
    return store_damaged(s, err, detail);
  }
  invdes_status st = store_status_of(rc);
  if (st == INVDES_OK) st = INVDES_ERR_DB; /* called without an SQLite error: ours */
  return invdes_error_set(err, st, "%s: %s: %s", s->path, what,
                          s->db ? sqlite3_errmsg(s->db) : "no connection");
}
