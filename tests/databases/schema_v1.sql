-- schema_v1.sql — a campaign database made by invdes with schema version 1
-- (commit 9007c85: init station.yaml; ask -n 4 --station r1; 1 told in full,
-- 2 in part, 3 failed, 4 given back), as sqlite3 .dump writes it, with the
-- header PRAGMAs .dump leaves out. tests/station_own.sh upgrades a copy.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE campaign (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  name TEXT NOT NULL,
  text TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  pool_sha256 TEXT,
  created REAL NOT NULL,
  updated REAL NOT NULL
);
INSERT INTO campaign VALUES(1,'station-demo',replace('# A robotic-station campaign for the station verbs'' tests (tests/station.sh):\n# nobody is called; results come back through `invdes tell`. Two targets so\n# that partial results, sds and per-target bests can be checked; a\n# categorical parameter so that exports carry labels.\nname: station-demo\ndescription: sintering runs reported by hand\nseed: 11\n\nparameters:\n  - name: sinter_T\n    type: continuous\n    bounds: [700, 950]\n    unit: degC\n  - name: dwell_h\n    type: integer\n    bounds: [1, 12]\n  - name: dopant\n    type: categorical\n    values: [none, Al, Mg]\n\ntargets:\n  - name: capacity\n    goal: maximize\n    unit: mAh/g\n  - name: voltage\n    goal: window\n    window: [3.6, 3.9]\n    unit: V\n\nobjective: {kind: station}\n\nstrategy:\n  kind: random\n  batch: 2\n\nbudget:\n  evaluations: 400\n','\n',char(10)),'5898d39c941aba51e76afd1fac5d6cad8acbfaa7b17c589f915375de11e20aa1',NULL,1796516943.2625651359,1796516943.2625651359);
CREATE TABLE variables (
  position INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  unit TEXT
);
INSERT INTO variables VALUES(0,'sinter_T','continuous','degC');
INSERT INTO variables VALUES(1,'dwell_h','integer',NULL);
INSERT INTO variables VALUES(2,'dopant','categorical',NULL);
CREATE TABLE targets (
  position INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  goal TEXT NOT NULL CHECK (goal IN ('maximize', 'minimize', 'window', 'below', 'above')),
  lo REAL,
  hi REAL,
  threshold REAL,
  weight REAL,
  unit TEXT
);
INSERT INTO targets VALUES(0,'capacity','maximize',NULL,NULL,NULL,1.0,'mAh/g');
INSERT INTO targets VALUES(1,'voltage','window',3.6000000000000000888,3.8999999999999999111,NULL,NULL,'V');
CREATE TABLE proposals (
  id INTEGER PRIMARY KEY,
  batch INTEGER NOT NULL,
  iteration INTEGER NOT NULL,
  strategy TEXT NOT NULL,
  parameters TEXT NOT NULL,
  z BLOB NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'done', 'failed', 'abandoned')),
  station TEXT,
  lease_expires REAL,
  offers INTEGER NOT NULL DEFAULT 1,
  reason TEXT,
  acquisition REAL,
  created REAL NOT NULL,
  updated REAL NOT NULL
);
INSERT INTO proposals VALUES(1,1,1,'random','{"sinter_T":931.19069588551088,"dwell_h":11,"dopant":"Al"}',X'44dffb1ea897ed3f000000000000ec3f0000000000000000000000000000f03f0000000000000000','done','r1',1796517543.2822043895,1,NULL,NULL,1796516943.2822043895,1796516943.3008089066);
INSERT INTO proposals VALUES(2,1,1,'random','{"sinter_T":855.06615392598951,"dwell_h":3,"dopant":"none"}',X'7310ea2d35d9e33fabaaaaaaaaaaca3f000000000000f03f00000000000000000000000000000000','done','r1',1796517543.2822043895,1,NULL,NULL,1796516943.2822043895,1796516943.3183391094);
INSERT INTO proposals VALUES(3,1,1,'random','{"sinter_T":781.64507809013423,"dwell_h":3,"dopant":"Al"}',X'39c8461cb1e6d43fabaaaaaaaaaaca3f0000000000000000000000000000f03f0000000000000000','failed','r1',1796517543.2822043895,1,'furnace',NULL,1796516943.2822043895,1796516943.3375928402);
INSERT INTO proposals VALUES(4,1,1,'random','{"sinter_T":849.11601704162024,"dwell_h":7,"dopant":"Mg"}',X'ec7340d03b16e33f555555555555e13f00000000000000000000000000000000000000000000f03f','abandoned','r1',1796517543.2822043895,1,'no Mg',NULL,1796516943.2822043895,1796516943.3554682731);
CREATE TABLE predictions (
  proposal INTEGER NOT NULL REFERENCES proposals(id),
  target TEXT NOT NULL REFERENCES targets(name),
  mean REAL NOT NULL,
  sd REAL,
  PRIMARY KEY (proposal, target)
) WITHOUT ROWID;
CREATE TABLE results (
  proposal INTEGER NOT NULL REFERENCES proposals(id),
  target TEXT NOT NULL REFERENCES targets(name),
  value REAL NOT NULL,
  sd REAL CHECK (sd IS NULL OR sd >= 0),
  source TEXT,
  time REAL NOT NULL,
  PRIMARY KEY (proposal, target)
) WITHOUT ROWID;
INSERT INTO results VALUES(1,'capacity',180.0,NULL,'station:r1',1796516943.3008089066);
INSERT INTO results VALUES(1,'voltage',3.7000000000000001776,NULL,'station:r1',1796516943.3008089066);
INSERT INTO results VALUES(2,'voltage',3.7999999999999998223,NULL,'station:r1',1796516943.3183391094);
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  time REAL NOT NULL,
  kind TEXT NOT NULL,
  proposal INTEGER REFERENCES proposals(id),
  message TEXT,
  stderr TEXT
);
INSERT INTO events VALUES(1,1796516943.2634649276,'campaign_source',NULL,'/work/wt/own/tests/campaigns/good/station.yaml',NULL);
INSERT INTO events VALUES(2,1796516943.355553627,'abandoned',4,'no Mg',NULL);
CREATE TABLE strategy_state (
  key TEXT NOT NULL,
  iteration INTEGER NOT NULL,
  blob BLOB NOT NULL,
  time REAL NOT NULL,
  PRIMARY KEY (key, iteration)
) WITHOUT ROWID;
CREATE INDEX proposals_status ON proposals(status, lease_expires);
COMMIT;
PRAGMA application_id = 1229870660;
PRAGMA user_version = 1;
