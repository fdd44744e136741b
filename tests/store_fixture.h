/* store_fixture.h — a small campaign built by hand and scratch database
 * paths, shared by the store's tests and benchmark (so they do not depend on
 * the YAML loader). Not part of the library. */
#ifndef INVDES_STORE_FIXTURE_H
#define INVDES_STORE_FIXTURE_H

#include <stddef.h>

#include "campaign.h"

/* Two continuous parameters x, y in [0, 1]; targets capacity (maximize),
 * voltage (window [3.6, 3.9]) and e_red (below -3.35). Everything points
 * into the fixture itself: no freeing, copy it by value with care. */
typedef struct store_fixture {
  invdes_campaign c;
  invdes_param params[2];
  invdes_target targets[3];
} store_fixture;

void store_fixture_init(store_fixture *f);

/* A fresh scratch folder with `dir` (room for size bytes) its path and
 * `db` its "campaign.db" inside. Returns 0 on success. */
int store_fixture_tmp(char *dir, char *db, size_t size);

/* Removes the database (with -wal and -shm) and the folder. */
void store_fixture_cleanup(const char *dir, const char *db);

#endif
