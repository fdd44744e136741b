/* bench_store.c — store throughput: how many ask+tell cycles per second the
 * SQLite campaign database sustains, the ceiling it puts on `invdes run`.
 *
 * Modes (one per run, printed as KEY=VALUE on one line):
 *   run     insert(1 proposal) + tell(3 targets) per cycle, as the run loop
 *           records a built-in evaluation;
 *   station invdes_store_ask(station, lease, 1) + tell per cycle, as
 *           `invdes ask`/`tell` do (claim query, lease, one transaction each);
 *   batch   insert(10) then 10 tells, per 10 cycles;
 *   grouped insert(10) then one tell_many of the 10 reports (one transaction),
 *           as a run loop may record a batch of built-in evaluations.
 * Usage: bench_store MODE CYCLES. Times are wall-clock; nothing is asserted. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_data.h"
#include "store.h"
#include "store_fixture.h"

static invdes_status propose(invdes_store *s, size_t n, const char *station, double lease,
                             void *data, invdes_error *err) {
  int *k = data;
  invdes_store_new_proposal p[16];
  char json[16][96];
  double z[16][2];
  for (size_t i = 0; i < n && i < 16; i++, (*k)++) {
    z[i][0] = (*k % 1000) / 1000.0;
    z[i][1] = 1 - z[i][0];
    snprintf(json[i], sizeof json[i], "{\"x\": %.17g, \"y\": %.17g}", z[i][0], z[i][1]);
    p[i] = (invdes_store_new_proposal){json[i], z[i], 2, NULL, NULL, NAN};
  }
  return invdes_store_insert(s, *k, "random", p, n < 16 ? n : 16, station, lease, NULL, NULL,
                             err);
}

/* Reports all three targets as `station`, the proposal's holder. */
static int tell(invdes_store *s, const char *station, int64_t id, double x, invdes_error *err) {
  invdes_store_value v[3] = {{"capacity", 100 * x, NAN}, {"voltage", 3 + x, NAN},
                             {"e_red", -3 - x, NAN}};
  invdes_store_tell_req r = {.id = id, .kind = INVDES_TELL_RESULT, .values = v, .n_values = 3,
                             .source = "builtin", .station = station};
  return invdes_store_tell(s, &r, err) == INVDES_OK;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: bench_store run|station|batch|grouped CYCLES\n");
    return 2;
  }
  const char *mode = argv[1];
  int cycles = atoi(argv[2]);
  char dir[4096], db[4200];
  store_fixture f;
  store_fixture_init(&f);
  invdes_error err;
  if (store_fixture_tmp(dir, db, sizeof dir) != 0) return 1;
  invdes_store *s = invdes_store_create(db, &f.c, &err);
  if (!s) {
    fprintf(stderr, "%s\n", err.message);
    return 1;
  }
  int k = 0, ok = 1;
  double t0 = bench_now();
  if (strcmp(mode, "run") == 0) {
    for (int i = 0; ok && i < cycles; i++) {
      int64_t id;
      double z[2] = {(i % 1000) / 1000.0, 0.5};
      char json[96];
      snprintf(json, sizeof json, "{\"x\": %.17g, \"y\": 0.5}", z[0]);
      invdes_store_new_proposal p = {json, z, 2, NULL, NULL, NAN};
      ok = invdes_store_insert(s, i, "random", &p, 1, "run", 0, &id, NULL, &err) == INVDES_OK &&
           tell(s, "run", id, z[0], &err);
    }
  } else if (strcmp(mode, "station") == 0) {
    for (int i = 0; ok && i < cycles; i++) {
      invdes_store_rows *rows = NULL;
      ok = invdes_store_ask(s, "robot", 600, 1, propose, &k, &rows, &err) == INVDES_OK &&
           rows->n == 1 && tell(s, "robot", rows->items[0].id, rows->items[0].z[0], &err);
      invdes_store_rows_free(rows);
    }
  } else if (strcmp(mode, "batch") == 0) {
    for (int i = 0; ok && i < cycles; i += 10) {
      int64_t ids[10];
      invdes_store_new_proposal p[10];
      double z[10][2];
      char json[10][96];
      for (int j = 0; j < 10; j++) {
        z[j][0] = ((i + j) % 1000) / 1000.0;
        z[j][1] = 0.5;
        snprintf(json[j], sizeof json[j], "{\"x\": %.17g, \"y\": 0.5}", z[j][0]);
        p[j] = (invdes_store_new_proposal){json[j], z[j], 2, NULL, NULL, NAN};
      }
      ok = invdes_store_insert(s, i, "random", p, 10, "run", 0, ids, NULL, &err) == INVDES_OK;
      for (int j = 0; ok && j < 10; j++) ok = tell(s, "run", ids[j], z[j][0], &err);
    }
  } else if (strcmp(mode, "grouped") == 0) {
    for (int i = 0; ok && i < cycles; i += 10) {
      int64_t ids[10];
      invdes_store_new_proposal p[10];
      invdes_store_tell_req r[10];
      invdes_store_value v[10][3];
      double z[10][2];
      char json[10][96];
      for (int j = 0; j < 10; j++) {
        z[j][0] = ((i + j) % 1000) / 1000.0;
        z[j][1] = 0.5;
        snprintf(json[j], sizeof json[j], "{\"x\": %.17g, \"y\": 0.5}", z[j][0]);
        p[j] = (invdes_store_new_proposal){json[j], z[j], 2, NULL, NULL, NAN};
      }
      ok = invdes_store_insert(s, i, "random", p, 10, "run", 0, ids, NULL, &err) == INVDES_OK;
      for (int j = 0; j < 10; j++) {
        v[j][0] = (invdes_store_value){"capacity", 100 * z[j][0], NAN};
        v[j][1] = (invdes_store_value){"voltage", 3 + z[j][0], NAN};
        v[j][2] = (invdes_store_value){"e_red", -3 - z[j][0], NAN};
        r[j] = (invdes_store_tell_req){.id = ids[j], .kind = INVDES_TELL_RESULT,
                                       .values = v[j], .n_values = 3, .source = "builtin",
                                       .station = "run"};
      }
      if (ok) ok = invdes_store_tell_many(s, r, 10, &err) == INVDES_OK;
    }
  } else {
    fprintf(stderr, "bench_store: unknown mode '%s'\n", mode);
    ok = 0;
  }
  double t = bench_now() - t0;
  double t1 = bench_now();
  invdes_store_rows *all = NULL;
  if (ok) ok = invdes_store_list(s, INVDES_PROPOSAL_ANY, 0, &all, &err) == INVDES_OK;
  double tl = bench_now() - t1;
  if (!ok) fprintf(stderr, "bench_store: %s\n", err.message);
  else
    printf("mode=%s cycles=%d seconds=%.3f cycles_per_s=%.0f list_all_ms=%.1f rows=%zu\n", mode,
           cycles, t, cycles / t, 1e3 * tl, all->n);
  invdes_store_rows_free(all);
  invdes_store_close(s);
  store_fixture_cleanup(dir, db);
  return ok ? 0 : 1;
}
