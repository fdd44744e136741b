/* invdes_export.h — INVDES_API, the mark of the library's public functions.
 *
 * The library's objects are compiled with -fvisibility=hidden (configure
 * checks that the compiler takes it), so libinvdes.so exports a function only
 * when its declaration carries INVDES_API; every other function stays
 * internal however it is named (SQLite's SQLITE_API, libgit2's GIT_EXTERN).
 * Every function declared in an installed header (pkginclude_HEADERS in
 * Makefile.am) carries the mark on its own line before the declaration:
 *
 *     INVDES_API
 *     invdes_store *invdes_store_open(const char *path, invdes_error *err);
 *
 * and no other declaration does. tests/layering.sh checks that the shared
 * library exports only invdes_ names. A program using the library includes
 * this header through the others; for it the mark changes nothing. */
#ifndef INVDES_EXPORT_H
#define INVDES_EXPORT_H

#if defined(__GNUC__) && __GNUC__ >= 4
#define INVDES_API __attribute__((visibility("default")))
#else
#define INVDES_API
#endif

#endif
