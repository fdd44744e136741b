/* store_fixture.c — see store_fixture.h. */
#include "store_fixture.h"
#include "strategy.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "objective.h"

static char fixture_text[] =
    "name: fixture\n"
    "seed: 7\n"
    "parameters:\n"
    "  - {name: x, type: continuous, bounds: [0, 1]}\n"
    "  - {name: y, type: continuous, bounds: [0, 1]}\n"
    "targets:\n"
    "  - {name: capacity, goal: maximize}\n"
    "  - {name: voltage, goal: window, window: [3.6, 3.9]}\n"
    "  - {name: e_red, goal: below, threshold: -3.35}\n"
    "objective: {kind: station}\n"
    "strategy: {kind: random, batch: 2}\n"
    "budget: {evaluations: 50}\n";

void store_fixture_init(store_fixture *f) {
  memset(f, 0, sizeof *f);
  f->params[0] = (invdes_param){.name = "x", .type = INVDES_PARAM_CONTINUOUS, .lo = 0, .hi = 1};
  f->params[1] = (invdes_param){.name = "y", .type = INVDES_PARAM_CONTINUOUS, .lo = 0, .hi = 1};
  f->targets[0] = (invdes_target){.name = "capacity", .goal = INVDES_GOAL_MAXIMIZE, .weight = 1,
                                  .reference = NAN};
  f->targets[1] = (invdes_target){.name = "voltage", .goal = INVDES_GOAL_WINDOW, .lo = 3.6,
                                  .hi = 3.9, .weight = 1};
  f->targets[2] = (invdes_target){.name = "e_red", .goal = INVDES_GOAL_BELOW,
                                  .threshold = -3.35, .weight = 1};
  invdes_campaign *c = &f->c;
  c->path = "fixture.yaml";
  c->dir = ".";
  c->text = fixture_text;
  c->text_len = strlen(fixture_text);
  c->name = "fixture";
  c->seed = 7;
  c->params = f->params;
  c->n_params = 2;
  c->targets = f->targets;
  c->n_targets = 3;
  c->objective.type = invdes_objective_find("station");
  c->strategy.kind = invdes_strategy_kind_find("random");
  c->strategy.batch = 2;
  c->budget.evaluations = 50;
}

int store_fixture_tmp(char *dir, char *db, size_t size) {
  const char *base = getenv("TMPDIR");
  if (!base || !*base) base = "/tmp";
  if ((size_t)snprintf(dir, size, "%s/invdes-store-XXXXXX", base) >= size) return -1;
  if (!mkdtemp(dir)) return -1;
  if ((size_t)snprintf(db, size, "%s/campaign.db", dir) >= size) return -1;
  return 0;
}

void store_fixture_cleanup(const char *dir, const char *db) {
  char p[4200];
  snprintf(p, sizeof p, "%s-wal", db);
  unlink(p);
  snprintf(p, sizeof p, "%s-shm", db);
  unlink(p);
  unlink(db);
  rmdir(dir);
}
