/* store_schema.c — the tables of a campaign database and the steps that bring
 * an older file up to date, one version at a time (PRAGMA user_version).
 *
 * upgrades[k] takes a file from version k to k + 1 inside the caller's write
 * transaction; version 0 is an empty file, so creating a database is the same
 * path as upgrading one. A later schema change adds the next step and raises
 * INVDES_STORE_SCHEMA_VERSION; it never edits an earlier step. Version 2
 * added the targets' plausible ranges and result_history (every version of
 * every result: corrections, retractions, carried-over results); version 3
 * the station of every event and the status `partial`; version 4 the
 * targets' hypervolume reference and NULL weights (not given). Also
 * here: copying a campaign's identity, variables and targets in at creation.
 * docs/database.md documents every table and column. */
#include "store_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sha256.h"
#include "target.h"

static const char schema_v1[] =
    "CREATE TABLE campaign (\n"
    "  id INTEGER PRIMARY KEY CHECK (id = 1),\n"
    "  name TEXT NOT NULL,\n"
    "  text TEXT NOT NULL,\n"
    "  sha256 TEXT NOT NULL,\n"
    "  pool_sha256 TEXT,\n"
    "  created REAL NOT NULL,\n"
    "  updated REAL NOT NULL\n"
    ");\n"
    "CREATE TABLE variables (\n"
    "  position INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL UNIQUE,\n"
    "  kind TEXT NOT NULL,\n"
    "  unit TEXT\n"
    ");\n"
    "CREATE TABLE targets (\n"
    "  position INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL UNIQUE,\n"
    "  goal TEXT NOT NULL CHECK (goal IN ('maximize', 'minimize', 'window', 'below', 'above')),\n"
    "  lo REAL,\n"
    "  hi REAL,\n"
    "  threshold REAL,\n"
    "  weight REAL,\n"
    "  unit TEXT\n"
    ");\n"
    "CREATE TABLE proposals (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  batch INTEGER NOT NULL,\n"
    "  iteration INTEGER NOT NULL,\n"
    "  strategy TEXT NOT NULL,\n"
    "  parameters TEXT NOT NULL,\n"
    "  z BLOB NOT NULL,\n"
    "  status TEXT NOT NULL DEFAULT 'pending'\n"
    "    CHECK (status IN ('pending', 'done', 'failed', 'abandoned')),\n"
    "  station TEXT,\n"
    "  lease_expires REAL,\n"
    "  offers INTEGER NOT NULL DEFAULT 1,\n"
    "  reason TEXT,\n"
    "  acquisition REAL,\n"
    "  created REAL NOT NULL,\n"
    "  updated REAL NOT NULL\n"
    ");\n"
    "CREATE INDEX proposals_status ON proposals(status, lease_expires);\n"
    "CREATE TABLE predictions (\n"
    "  proposal INTEGER NOT NULL REFERENCES proposals(id),\n"
    "  target TEXT NOT NULL REFERENCES targets(name),\n"
    "  mean REAL NOT NULL,\n"
    "  sd REAL,\n"
    "  PRIMARY KEY (proposal, target)\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE results (\n"
    "  proposal INTEGER NOT NULL REFERENCES proposals(id),\n"
    "  target TEXT NOT NULL REFERENCES targets(name),\n"
    "  value REAL NOT NULL,\n"
    "  sd REAL CHECK (sd IS NULL OR sd >= 0),\n"
    "  source TEXT,\n"
    "  time REAL NOT NULL,\n"
    "  PRIMARY KEY (proposal, target)\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE events (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  time REAL NOT NULL,\n"
    "  kind TEXT NOT NULL,\n"
    "  proposal INTEGER REFERENCES proposals(id),\n"
    "  message TEXT,\n"
    "  stderr TEXT\n"
    ");\n"
    "CREATE TABLE strategy_state (\n"
    "  key TEXT NOT NULL,\n"
    "  iteration INTEGER NOT NULL,\n"
    "  blob BLOB NOT NULL,\n"
    "  time REAL NOT NULL,\n"
    "  PRIMARY KEY (key, iteration)\n"
    ") WITHOUT ROWID;\n";

/* Version 2. `results` keeps holding the current value of each (proposal,
 * target), the one models, rankings and exports read; result_history keeps
 * every version. The trigger writes a result's first version whoever records
 * it (tell, the run loop, import); amend, retract and migration write their
 * own rows (with who, why) and mark their results rows with the sources
 * 'amend' and 'migrated' so the trigger leaves them alone. A file of
 * version 1 gets its results copied in as their first versions. */
static const char schema_v2[] =
    "ALTER TABLE targets ADD COLUMN range_lo REAL;\n"
    "ALTER TABLE targets ADD COLUMN range_hi REAL;\n"
    "CREATE TABLE result_history (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  proposal INTEGER NOT NULL REFERENCES proposals(id),\n"
    "  target TEXT NOT NULL REFERENCES targets(name),\n"
    "  action TEXT NOT NULL\n"
    "    CHECK (action IN ('recorded', 'amended', 'retracted', 'migrated')),\n"
    "  value REAL,\n"
    "  sd REAL,\n"
    "  who TEXT,\n"
    "  time REAL NOT NULL,\n"
    "  reason TEXT\n"
    ");\n"
    "CREATE INDEX result_history_proposal ON result_history(proposal, target, id);\n"
    "CREATE TRIGGER results_first_version AFTER INSERT ON results\n"
    "  WHEN NEW.source IS NULL OR NEW.source NOT IN ('amend', 'migrated')\n"
    "BEGIN\n"
    "  INSERT INTO result_history(proposal, target, action, value, sd, who, time)\n"
    "  VALUES (NEW.proposal, NEW.target, 'recorded', NEW.value, NEW.sd, NEW.source, NEW.time);\n"
    "END;\n"
    "INSERT INTO result_history(proposal, target, action, value, sd, who, time)\n"
    "  SELECT proposal, target, 'recorded', value, sd, source, time FROM results\n"
    "  ORDER BY time, proposal, target;\n";

static invdes_status upgrade_0_to_1(invdes_store *s, invdes_error *err) {
  return store_exec(s, schema_v1, err);
}

static invdes_status upgrade_1_to_2(invdes_store *s, invdes_error *err) {
  return store_exec(s, schema_v2, err);
}

/* Version 3: every event names the station that made the change (NULL for
 * the run loop's own and older events), and a proposal may be `partial`
 * (some targets reported). Adding a nullable column rewrites nothing; a CHECK
 * that allows one more value is widened in place by SQLite's documented
 * procedure for changes that leave every stored row valid (sqlite.org/
 * lang_altertable.html: writable_schema, then a new schema_version), so the
 * upgrade costs the same on a file of any size. Proposals `done` under
 * versions 1 and 2 with targets missing stay done: they spent their budget then. */
static invdes_status upgrade_2_to_3(invdes_store *s, invdes_error *err) {
  int cookie = 0;
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(s->db, "PRAGMA schema_version", -1, &st, NULL) != SQLITE_OK)
    return store_db_error(s, err, "reading the schema version");
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) cookie = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  if (rc != SQLITE_ROW) return store_db_error(s, err, "reading the schema version");
  char sql[512];
  snprintf(sql, sizeof sql,
           "ALTER TABLE events ADD COLUMN station TEXT;"
           " PRAGMA writable_schema = ON;"
           " UPDATE sqlite_master SET sql = replace(sql, '''abandoned'')',"
           " '''abandoned'', ''partial'')') WHERE type = 'table' AND name = 'proposals';"
           " PRAGMA schema_version = %d; PRAGMA writable_schema = OFF", cookie + 2);
  return store_exec(s, sql, err);
}

/* Version 4: several objectives (target.h). `reference` holds a target's
 * hypervolume reference (NULL: none given), and an objective's `weight` is
 * NULL when the campaign gave none, which is what makes a campaign of
 * several objectives multi-objective. Versions up to 3 recorded 1 for a
 * weight not given; a campaign text in which "weight" appears nowhere gave
 * none, so those become NULL, and any other keeps its weights (a text that
 * names a weight, or merely says the word, reads as a weighted sum). */
static const char schema_v4[] =
    "ALTER TABLE targets ADD COLUMN reference REAL;\n"
    "UPDATE targets SET weight = NULL\n"
    "  WHERE goal IN ('maximize', 'minimize')\n"
    "    AND (SELECT instr(text, 'weight') FROM campaign WHERE id = 1) = 0;\n";

static invdes_status upgrade_3_to_4(invdes_store *s, invdes_error *err) {
  return store_exec(s, schema_v4, err);
}

/* Version 5: jobs handed to an outside scheduler (the `slurm` objective kind)
 * and which proposal each task evaluates. A job row is written, with its
 * unique tag, BEFORE the scheduler is asked (the intent), and its
 * scheduler_id as the very next write once the scheduler answered, so a
 * coordinator killed in between finds the job again by its tag (the Slurm
 * job name) instead of submitting it twice. New tables only: nothing to
 * convert. */
static const char schema_v5[] =
    "CREATE TABLE jobs (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  kind TEXT NOT NULL,\n"
    "  tag TEXT NOT NULL UNIQUE,\n"
    "  scheduler_id TEXT,\n"
    "  created REAL NOT NULL,\n"
    "  submitted REAL,\n"
    "  cancelled REAL\n"
    ");\n"
    "CREATE TABLE job_tasks (\n"
    "  job INTEGER NOT NULL REFERENCES jobs(id),\n"
    "  task INTEGER NOT NULL CHECK (task >= 0),\n"
    "  proposal INTEGER NOT NULL REFERENCES proposals(id),\n"
    "  retries INTEGER NOT NULL DEFAULT 0 CHECK (retries >= 0),\n"
    "  PRIMARY KEY (job, task)\n"
    ") WITHOUT ROWID;\n"
    "CREATE INDEX job_tasks_proposal ON job_tasks(proposal, job);\n";

static invdes_status upgrade_4_to_5(invdes_store *s, invdes_error *err) {
  return store_exec(s, schema_v5, err);
}

typedef invdes_status (*upgrade_fn)(invdes_store *s, invdes_error *err);
static const upgrade_fn upgrades[INVDES_STORE_SCHEMA_VERSION] = {
    upgrade_0_to_1, upgrade_1_to_2, upgrade_2_to_3, upgrade_3_to_4,
    upgrade_4_to_5};

invdes_status store_schema_upgrade(invdes_store *s, int from, invdes_error *err) {
  for (int v = from; v < INVDES_STORE_SCHEMA_VERSION; v++) {
    invdes_status st = upgrades[v](s, err);
    if (st != INVDES_OK) {
      invdes_error_add(err, st, "%s: upgrading the schema from version %d to %d failed",
                       s->path, v, v + 1);
      return st;
    }
  }
  return INVDES_OK;
}

void store_pool_sha256(const invdes_campaign *c, char out[65]) {
  if (!c->pool) {
    out[0] = '\0';
    return;
  }
  const invdes_pool *p = c->pool;
  invdes_sha256 ctx;
  invdes_sha256_init(&ctx);
  uint64_t dims[2] = {p->n_rows, p->n_features};
  unsigned char buf[16];
  for (int i = 0; i < 2; i++)
    for (int b = 0; b < 8; b++) buf[8 * i + b] = (unsigned char)(dims[i] >> (8 * b));
  invdes_sha256_update(&ctx, buf, sizeof buf);
  /* Names end with their NUL so that ("ab","c") and ("a","bc") differ. */
  for (size_t j = 0; j < p->n_features; j++)
    invdes_sha256_update(&ctx, p->features[j], strlen(p->features[j]) + 1);
  for (size_t i = 0; i < p->n_rows; i++) {
    if (p->ids && p->ids[i]) invdes_sha256_update(&ctx, p->ids[i], strlen(p->ids[i]) + 1);
    for (size_t j = 0; j < p->n_features; j++) {
      unsigned char v[8];
      store_z_encode(&p->x[i * p->n_features + j], 1, v);
      invdes_sha256_update(&ctx, v, 8);
    }
  }
  unsigned char d[INVDES_SHA256_BYTES];
  invdes_sha256_final(&ctx, d);
  invdes_sha256_to_hex(d, out);
}

/* One-off inserts at creation: prepared, stepped once, finalized. */
static invdes_status insert_variable(invdes_store *s, sqlite3_stmt *st, int pos,
                                     const char *name, const char *kind, const char *unit,
                                     invdes_error *err) {
  sqlite3_reset(st);
  sqlite3_bind_int(st, 1, pos);
  sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
  store_bind_text(st, 4, unit);
  if (sqlite3_step(st) != SQLITE_DONE)
    return invdes_error_set(err, INVDES_ERR_DB, "%s: recording variable '%s': %s", s->path,
                            name, sqlite3_errmsg(s->db));
  return INVDES_OK;
}

static invdes_status fill_variables(invdes_store *s, const invdes_campaign *c,
                                    invdes_error *err) {
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(s->db, "INSERT INTO variables(position, name, kind, unit)"
                         " VALUES(?1, ?2, ?3, ?4)", -1, &st, NULL) != SQLITE_OK)
    return store_db_error(s, err, "recording the variables");
  invdes_status status = INVDES_OK;
  int pos = 0;
  if (c->pool) {
    status = insert_variable(s, st, pos++, c->pool->id_column ? c->pool->id_column : "candidate",
                             "pool", NULL, err);
  } else {
    for (size_t i = 0; status == INVDES_OK && i < c->n_params; i++)
      status = insert_variable(s, st, pos++, c->params[i].name,
                               invdes_param_type_name(c->params[i].type), c->params[i].unit, err);
    for (size_t g = 0; g < c->n_compositions; g++)
      for (size_t i = 0; status == INVDES_OK && i < c->compositions[g].n_components; i++)
        status = insert_variable(s, st, pos++, c->compositions[g].components[i].name,
                                 "component", NULL, err);
  }
  sqlite3_finalize(st);
  return status;
}

static invdes_status fill_targets(invdes_store *s, const invdes_campaign *c, invdes_error *err) {
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(s->db, "INSERT INTO targets(position, name, goal, lo, hi, threshold,"
                         " weight, unit, range_lo, range_hi, reference)"
                         " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", -1, &st,
                         NULL) != SQLITE_OK)
    return store_db_error(s, err, "recording the targets");
  invdes_status status = INVDES_OK;
  for (size_t i = 0; status == INVDES_OK && i < c->n_targets; i++) {
    const invdes_target *t = &c->targets[i];
    unsigned keys = invdes_goal_keys(t->goal);
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, (sqlite3_int64)i);
    sqlite3_bind_text(st, 2, t->name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, invdes_goal_name(t->goal), -1, SQLITE_STATIC);
    store_bind_real(st, 4, keys & INVDES_GOAL_KEY_WINDOW ? t->lo : NAN);
    store_bind_real(st, 5, keys & INVDES_GOAL_KEY_WINDOW ? t->hi : NAN);
    store_bind_real(st, 6, keys & INVDES_GOAL_KEY_THRESHOLD ? t->threshold : NAN);
    /* NULL on an objective: no `weight` given (a multi-objective campaign
     * when no objective has one; target.h's invdes_targets_pareto) */
    store_bind_real(st, 7, keys & INVDES_GOAL_KEY_WEIGHT && t->weight_set ? t->weight : NAN);
    store_bind_text(st, 8, t->unit);
    int ranged = t->range_lo < t->range_hi;
    store_bind_real(st, 9, ranged ? t->range_lo : NAN);
    store_bind_real(st, 10, ranged ? t->range_hi : NAN);
    store_bind_real(st, 11, keys & INVDES_GOAL_KEY_REFERENCE ? t->reference : NAN);
    if (sqlite3_step(st) != SQLITE_DONE)
      status = invdes_error_set(err, INVDES_ERR_DB, "%s: recording target '%s': %s", s->path,
                                t->name, sqlite3_errmsg(s->db));
  }
  sqlite3_finalize(st);
  return status;
}

invdes_status store_schema_fill(invdes_store *s, const invdes_campaign *c, invdes_error *err) {
  if (c->n_targets == 0)
    return invdes_error_set(err, INVDES_ERR_USAGE, "%s: the campaign has no targets", s->path);
  char hash[65], pool[65];
  invdes_sha256_hex(c->text, c->text_len, hash);
  store_pool_sha256(c, pool);
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(s->db, "INSERT INTO campaign(id, name, text, sha256, pool_sha256,"
                         " created, updated) VALUES(1, ?1, ?2, ?3, ?4, ?5, ?5)", -1, &st,
                         NULL) != SQLITE_OK)
    return store_db_error(s, err, "recording the campaign");
  sqlite3_bind_text(st, 1, c->name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, c->text, (int)c->text_len, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, hash, -1, SQLITE_TRANSIENT);
  store_bind_text(st, 4, pool[0] ? pool : NULL);
  sqlite3_bind_double(st, 5, store_now(s));
  int rc = sqlite3_step(st);
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) return store_db_error(s, err, "recording the campaign");
  invdes_status status = fill_variables(s, c, err);
  if (status == INVDES_OK) status = fill_targets(s, c, err);
  return status;
}
