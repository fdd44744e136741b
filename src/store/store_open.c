/* store_open.c — opening a campaign database safely: the connection and its
 * settings, read-only access when the file or its folder cannot be written,
 * the integrity check every open makes, the one message a damaged file gets,
 * and the run lock that keeps two `invdes run` loops off one database.
 *
 * Loading the campaign and the schema version are store.c's; this file only
 * decides how the file is opened and whether it can be trusted. */
#include "store_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

invdes_status store_damaged(invdes_store *s, invdes_error *err, const char *detail) {
  return invdes_error_set(err, INVDES_ERR_DB,
                          "%s: the database file is damaged (%s); nothing is read from it. "
                          "Save what can be saved with `sqlite3 %s .recover | sqlite3 "
                          "recovered.db` and work on recovered.db, or restore a backup",
                          s->path, detail, s->path);
}

invdes_status store_pragma_int(invdes_store *s, const char *sql, int *out, invdes_error *err) {
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
    return store_db_error(s, err, "reading the database header");
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *out = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  if (rc != SQLITE_ROW) return store_db_error(s, err, "reading the database header");
  return INVDES_OK;
}

/* PRAGMA integrity_check(1): every page of every b-tree read and its
 * structure checked, and every index entry compared with its row. quick_check
 * skips that comparison, and an index whose entries no longer match its rows
 * is exactly what made `status` count 0 of 8 results (issue 8): the queries
 * go through the index. 27 ms for 20,000 results against quick_check's 20 ms
 * (docs/database.md), so it runs on every open: a damaged file is refused
 * before any figure is read from it. */
static invdes_status check_integrity(invdes_store *s, invdes_error *err) {
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(s->db, "PRAGMA integrity_check(1)", -1, &st, NULL) != SQLITE_OK)
    return store_db_error(s, err, "checking the file");
  int rc = sqlite3_step(st);
  char detail[300] = "";
  if (rc == SQLITE_ROW) {
    const unsigned char *t = sqlite3_column_text(st, 0);
    if (t && strcmp((const char *)t, "ok") != 0) {
      /* "*** in database main ***\nPage 8: ..." -> "page 8: ..." on one line */
      const char *m = strstr((const char *)t, "***\n");
      snprintf(detail, sizeof detail, "%s", m ? m + 4 : (const char *)t);
      for (char *c = detail; *c; c++)
        if (*c == '\n') *c = ';';
    }
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_ROW) return store_db_error(s, err, "checking the file");
  return detail[0] ? store_damaged(s, err, detail) : INVDES_OK;
}

/* Whether the file has `what` (a column of a table, or an index). */
static int file_has(invdes_store *s, const char *sql, const char *a, const char *b, int *has) {
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) return -1;
  sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
  if (b) sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
  int rc = sqlite3_step(st);
  sqlite3_finalize(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return -1;
  *has = rc == SQLITE_ROW;
  return 0;
}

invdes_status store_check_schema(invdes_store *s, invdes_error *err) {
  /* The reference is the schema this build makes, built in memory by the
   * same upgrade steps as a new file: every table, column and index in it
   * must be in the file (more is allowed). */
  invdes_store ref = {.path = "the reference schema", .run_lock_fd = -1};
  if (sqlite3_open(":memory:", &ref.db) != SQLITE_OK) {
    sqlite3_close(ref.db);
    return invdes_error_set(err, INVDES_ERR_NOMEM, "%s: out of memory", s->path);
  }
  invdes_status st = store_schema_upgrade(&ref, 0, err);
  for (int i = 0; i < ST_COUNT; i++) sqlite3_finalize(ref.stmt[i]);
  sqlite3_stmt *q = NULL;
  if (st == INVDES_OK &&
      sqlite3_prepare_v2(ref.db,
                         "SELECT m.type, m.name, p.name FROM sqlite_master m"
                         " LEFT JOIN pragma_table_info(m.name) p ON m.type = 'table'"
                         " WHERE m.type IN ('table', 'index', 'trigger')"
                         " AND m.name NOT LIKE 'sqlite_%'"
                         " ORDER BY m.rowid, p.cid",
                         -1, &q, NULL) != SQLITE_OK)
    st = invdes_error_set(err, INVDES_ERR_DB, "%s: reading the reference schema: %s", s->path,
                          sqlite3_errmsg(ref.db));
  while (st == INVDES_OK && sqlite3_step(q) == SQLITE_ROW) {
    const char *type = (const char *)sqlite3_column_text(q, 0);
    const char *name = (const char *)sqlite3_column_text(q, 1);
    const char *column = (const char *)sqlite3_column_text(q, 2);
    /* an index or a trigger (results_first_version writes the audit trail's
     * first versions) by name; a table by each of its columns */
    int index = strcmp(type, "table") != 0, has = 0;
    if (file_has(s, index ? "SELECT 1 FROM sqlite_master WHERE name = ?1 AND type = ?2"
                          : "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2",
                 name, index ? type : column, &has) != 0)
      st = store_db_error(s, err, "reading the schema");
    else if (!has)
      st = invdes_error_set(err, INVDES_ERR_INVALID,
                            "%s: the %s %s%s%s is missing: the file was changed outside "
                            "invdes and is no campaign database it can read; restore a "
                            "backup", s->path, index ? type : "column", name,
                            index ? "" : ".", index ? "" : column);
  }
  sqlite3_finalize(q);
  sqlite3_close(ref.db);
  return st;
}

/* Whether the folder holding path can take new files (-wal, -shm). */
static int folder_writable(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash) return access(".", W_OK) == 0;
  if (slash == path) return access("/", W_OK) == 0;
  char *dir = strndup(path, (size_t)(slash - path));
  int ok = dir && access(dir, W_OK) == 0;
  free(dir);
  return ok;
}

static int exists_with_suffix(const char *path, const char *suffix) {
  char buf[4096];
  struct stat sb;
  return (size_t)snprintf(buf, sizeof buf, "%s%s", path, suffix) < sizeof buf &&
         stat(buf, &sb) == 0;
}

/* "file:PATH?immutable=1" with the URI's reserved characters escaped; the
 * caller frees it. */
static char *immutable_uri(const char *path) {
  size_t n = strlen(path);
  char *uri = malloc(3 * n + 32);
  if (!uri) return NULL;
  char *o = uri + sprintf(uri, "file:");
  for (const char *p = path; *p; p++) {
    if (*p == '%' || *p == '?' || *p == '#') o += sprintf(o, "%%%02X", (unsigned char)*p);
    else *o++ = *p;
  }
  strcpy(o, "?immutable=1");
  return uri;
}

/* Opens the SQLite connection: read-write normally; read-only when the file
 * cannot be written; when the folder cannot take the -wal/-shm files either
 * and none are there, as an immutable file (nobody can be writing it then:
 * a writer would need those files). A -wal without its -shm in such a folder
 * may hold committed data an immutable open would miss: refused. */
static invdes_status open_connection(invdes_store *s, int create, invdes_error *err) {
  int ro = !create && access(s->path, W_OK) != 0;
  int dir_ok = folder_writable(s->path);
  int flags = SQLITE_OPEN_NOMUTEX;
  char *uri = NULL;
  if (!create && !dir_ok && !exists_with_suffix(s->path, "-shm")) {
    if (exists_with_suffix(s->path, "-wal"))
      return invdes_error_set(err, INVDES_ERR_IO,
                              "%s: its folder cannot be written and it has a -wal file but "
                              "no -shm file; open it where it can be written", s->path);
    ro = 1;
    if (!(uri = immutable_uri(s->path)))
      return invdes_error_set(err, INVDES_ERR_NOMEM, "%s: out of memory", s->path);
    flags |= SQLITE_OPEN_URI;
  }
  flags |= ro ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(uri ? uri : s->path, &s->db, flags, NULL);
  free(uri);
  s->readonly = ro;
  if (rc != SQLITE_OK) return store_db_error(s, err, "cannot open");
  return INVDES_OK;
}

/* WAL persists in the file; switching needs a moment's exclusive lock, so
 * processes opening a fresh file together may be told it is busy. */
static invdes_status set_wal(invdes_store *s, invdes_error *err) {
  double start = store_system_clock(NULL);
  for (;;) {
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = WAL", -1, &st, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    const unsigned char *mode = rc == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
    int wal = mode && strcmp((const char *)mode, "wal") == 0;
    sqlite3_finalize(st);
    if (wal) return INVDES_OK;
    if ((rc & 0xff) == SQLITE_BUSY && store_system_clock(NULL) - start < s->timeout) {
      store_sleep(0.005);
      continue;
    }
    if (rc == SQLITE_ROW)
      return invdes_error_set(err, INVDES_ERR_DB, "%s: cannot switch the journal to WAL mode",
                              s->path);
    return store_db_error(s, err, "setting WAL mode");
  }
}

invdes_store *store_connect(const char *path, int create, invdes_error *err) {
  invdes_store *s = calloc(1, sizeof *s);
  if (!s || !(s->path = strdup(path))) {
    free(s);
    invdes_error_set(err, INVDES_ERR_NOMEM, "%s: out of memory", path);
    return NULL;
  }
  s->run_lock_fd = -1;
  s->timeout = 30;
  s->now = store_system_clock;
  struct stat sb;
  if (!create && stat(path, &sb) != 0) {
    invdes_error_set(err, INVDES_ERR_IO, "%s: %s (a campaign database is made by `invdes init`)",
                     path, strerror(errno));
    goto fail;
  }
  /* SQLite would write its header into an empty file on opening it: refuse
   * before, so that opening never changes a file that is not a database. */
  if (!create && sb.st_size == 0) {
    invdes_error_set(err, INVDES_ERR_INVALID,
                     "%s: the file is empty, not a campaign database (made by `invdes init`)",
                     path);
    goto fail;
  }
  if (open_connection(s, create, err) != INVDES_OK) goto fail;
  sqlite3_extended_result_codes(s->db, 1);
  sqlite3_busy_timeout(s->db, 1000);
  /* The page cache first: the integrity check below looks rows up through
   * their indexes, and with SQLite's default 2 MB cache it takes twice as
   * long on a campaign of 20,000 results. */
  if (store_exec(s, "PRAGMA cache_size = -16000", err) != INVDES_OK) goto fail;
  int app = 0;
  if (store_pragma_int(s, "PRAGMA application_id", &app, err) != INVDES_OK) goto fail;
  if (app != 0 && app != STORE_APPLICATION_ID) {
    invdes_error_set(err, INVDES_ERR_INVALID,
                     "%s: an SQLite database of another application (application_id %d), "
                     "not an invdes campaign database", path, app);
    goto fail;
  }
  if (app == STORE_APPLICATION_ID && check_integrity(s, err) != INVDES_OK) goto fail;
  if (!s->readonly && set_wal(s, err) != INVDES_OK) goto fail;
  /* synchronous NORMAL: in WAL mode a killed process loses nothing committed,
   * and commits do not wait for the disk. Checkpoints (which do) every 10,000
   * pages (40 MB) instead of SQLite's 1,000: on a slow disk the run loop's
   * throughput doubles (docs/database.md). */
  if (store_exec(s, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;"
                    " PRAGMA wal_autocheckpoint = 10000",
                 err) != INVDES_OK)
    goto fail;
  return s;
fail:
  invdes_store_close(s);
  return NULL;
}

/* ---- the run lock ----------------------------------------------------- */

/* How long a run waits for a lock whose taker is dead, in seconds. A killed
 * run's lock lives on while an evaluator it forked holds a copy of the
 * descriptor between fork and exec (O_CLOEXEC closes it only at the exec), a
 * window that on a loaded machine can outlast the run itself. A lock whose
 * taker is alive is refused at once. */
#define RUN_LOCK_WAIT 3.0

static double monotonic_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* 1 when no flock on fd's file listed in /proc/locks (Linux) was taken by
 * a living process, so the lock is only an orphaned copy about to close; 0
 * when a taker lives or the list cannot be read. Inside a PID namespace (a
 * container) the kernel leaves out, or shows as pid 0, a lock whose taker
 * died and whose pid was freed, the same as one taken in another namespace;
 * both count as gone, and the bounded wait in flock_run still refuses a
 * live one in the end. */
static int lock_taker_gone(int fd) {
  struct stat sb;
  FILE *f;
  if (fstat(fd, &sb) != 0 || !(f = fopen("/proc/locks", "r"))) return 0;
  char line[256];
  int alive = 0;
  while (fgets(line, sizeof line, f)) {
    char kind[16];
    long pid;
    unsigned maj, min;
    unsigned long long ino;
    if (strstr(line, "->") ||
        sscanf(line, "%*[^:]: %15s %*s %*s %ld %x:%x:%llu", kind, &pid, &maj, &min, &ino) != 5 ||
        strcmp(kind, "FLOCK") != 0 || ino != (unsigned long long)sb.st_ino ||
        maj != major(sb.st_dev) || min != minor(sb.st_dev))
      continue;
    if (pid < 0 || (pid > 0 && (kill((pid_t)pid, 0) == 0 || errno != ESRCH))) alive = 1;
  }
  fclose(f);
  return !alive;
}

/* flock(LOCK_EX | LOCK_NB), retried every 20 ms for up to RUN_LOCK_WAIT
 * seconds while the lock's taker is dead. Returns 0 or an errno value. */
static int flock_run(int fd) {
  double until = monotonic_s() + RUN_LOCK_WAIT;
  for (;;) {
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) return 0;
    int e = errno;
    if (e == EINTR) continue;
    if (e != EWOULDBLOCK || monotonic_s() >= until || !lock_taker_gone(fd)) return e;
    struct timespec nap = {0, 20 * 1000 * 1000};
    nanosleep(&nap, NULL);
  }
}

/* flock(2) on the database file itself, through a descriptor of its own:
 * SQLite locks with fcntl(2) byte ranges, which flock does not touch on
 * local file systems; the kernel drops the lock when the holder exits in any
 * way (SIGKILL included), so a dead run never blocks the next one (but for
 * the moment flock_run waits out). */
invdes_status invdes_store_lock_run(invdes_store *s, invdes_error *err) {
  if (s->run_lock_fd >= 0) return INVDES_OK;
  int fd = open(s->path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return invdes_error_set(err, INVDES_ERR_IO, "%s: cannot open for the run lock: %s", s->path,
                            strerror(errno));
  int e = flock_run(fd);
  if (e != 0) {
    close(fd);
    if (e == EWOULDBLOCK)
      return invdes_error_set(err, INVDES_ERR_DB,
                              "%s: another `invdes run` is working on this database; "
                              "wait until it ends (or stop it) and run again. Stations may "
                              "still use ask/tell meanwhile", s->path);
    return invdes_error_set(err, INVDES_ERR_IO, "%s: cannot take the run lock: %s", s->path,
                            strerror(e));
  }
  s->run_lock_fd = fd;
  return INVDES_OK;
}

void store_run_unlock(invdes_store *s) {
  if (s->run_lock_fd < 0) return;
  close(s->run_lock_fd); /* closing the only descriptor releases the flock */
  s->run_lock_fd = -1;
}

void invdes_store_unlock_run(invdes_store *s) {
  if (s) store_run_unlock(s);
}
