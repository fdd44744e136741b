/* bench_pool.c — bo over a pool of a million candidates: what loading the
 * pool costs and what one model iteration costs, apart.
 *
 * Writes DIR/pool.csv (N rows, default 1,000,000: an id and six features
 * uniform in [0,1] from a fixed generator; not stored anywhere else) and a
 * campaign over it (bo, GP, TOLD random initial candidates (default 10), a
 * station objective), then times: loading the campaign (CSV parse and the pool's
 * table), building the space and the strategy (the candidate index), the
 * initial asks with Hartmann6 of the features told back, and each of
 * ITER bo asks (a model fit and every untried candidate scored). Prints the
 * process's peak resident set (getrusage) at the end; bench/pool.sh runs it
 * under /usr/bin/time -v as well. Asserts nothing.
 *
 * Each bo line names the chosen candidate's first features, so runs with
 * OMP_NUM_THREADS=1 and 2 can be compared.
 *
 * usage: bench_pool DIR [--rows N] [--iters K] [--told T] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "bench_data.h"
#include "builtin.h"
#include "campaign.h"
#include "space.h"
#include "strategy.h"

/* A 64-bit LCG's top 53 bits: the same file on every machine. */
static double next_unit(unsigned long long *s) {
  *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
  return (double)(*s >> 11) / 9007199254740992.0;
}

static int write_pool(const char *path, long rows) {
  FILE *f = fopen(path, "w");
  if (!f) return -1;
  unsigned long long s = 42;
  fputs("id,f1,f2,f3,f4,f5,f6\n", f);
  for (long r = 1; r <= rows; r++) {
    fprintf(f, "c%ld", r);
    for (int j = 0; j < 6; j++) fprintf(f, ",%.6f", next_unit(&s));
    fputc('\n', f);
  }
  return fclose(f) == 0 ? 0 : -1;
}

static int write_campaign(const char *path, long rows, int iters, int told) {
  FILE *f = fopen(path, "w");
  if (!f) return -1;
  fprintf(f, "name: pool-bench\nseed: 3\n"
             "pool: {file: pool.csv, id: id, features: [f1, f2, f3, f4, f5, f6]}\n"
             "targets:\n  - {name: y, goal: minimize}\n"
             "objective: {kind: station}\n"
             "strategy: {kind: bo, surrogate: gp, batch: 1, "
             "initial: {design: random, count: %d}}\n"
             "budget: {evaluations: %ld}\n", told, rows < told + iters ? rows : told + iters);
  return fclose(f) == 0 ? 0 : -1;
}

static double peak_mb(void) {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return (double)u.ru_maxrss / 1024.0;
}

/* Asks one proposal (iteration i), tells Hartmann6 of its features. */
static int ask_tell(invdes_strategy *s, invdes_proposals *p, int i, invdes_error *err) {
  if (invdes_strategy_ask(s, (uint64_t)i, 1, NULL, 0, p, err) || p->n != 1) return -1;
  double y = invdes_builtin_eval(invdes_builtin_find("hartmann6"), p->x, 6, NULL);
  invdes_observation o = {i + 1, p->z, p->x, &y, 0, NULL};
  return invdes_strategy_tell(s, &o, 1, err) ? -1 : 0;
}

int main(int argc, char **argv) {
  long rows = 1000000;
  int iters = 3, told = 10;
  if (argc < 2) {
    fprintf(stderr, "usage: bench_pool DIR [--rows N] [--iters K]\n");
    return 2;
  }
  for (int i = 2; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--rows")) rows = atol(argv[i + 1]);
    else if (!strcmp(argv[i], "--iters")) iters = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "--told")) told = atoi(argv[i + 1]);
  }
  if (iters < 1 || iters > 100 || told < 2 || told > 5000 || rows < told + iters) {
    fprintf(stderr, "bench_pool: --iters 1..100, --told 2..5000, --rows >= told + iters\n");
    return 2;
  }
  char csv[4096], yaml[4096];
  snprintf(csv, sizeof csv, "%s/pool.csv", argv[1]);
  snprintf(yaml, sizeof yaml, "%s/pool.yaml", argv[1]);
  double t0 = bench_now();
  if (write_pool(csv, rows) || write_campaign(yaml, rows, iters, told)) {
    fprintf(stderr, "bench_pool: cannot write %s\n", argv[1]);
    return 1;
  }
  double t1 = bench_now(), c1 = bench_cpu_now();
  invdes_error err;
  invdes_error_clear(&err);
  invdes_campaign *c = invdes_campaign_load(yaml, &err);
  double t2 = bench_now(), c2 = bench_cpu_now();
  invdes_space *sp = c ? invdes_space_new(c, &err) : NULL;
  invdes_strategy *s = sp ? invdes_strategy_new(sp, &c->strategy, 1, 3, &err) : NULL;
  invdes_proposals *p = s ? invdes_proposals_new(s, 1) : NULL;
  double t3 = bench_now();
  int rc = p ? 0 : -1;
  for (int i = 0; i < told && !rc; i++) rc = ask_tell(s, p, i, &err);
  double t4 = bench_now();
  if (!rc)
    printf("pool %ld rows: write %.2f s, load (CSV parse, table) %.2f s (CPU %.2f s), space "
           "and strategy %.2f s, %d initial asks %.2f s\n", rows, t1 - t0, t2 - t1, c2 - c1,
           t3 - t2, told, t4 - t3);
  for (int i = 0; i < iters && !rc; i++) {
    double a = bench_now(), ca = bench_cpu_now();
    rc = ask_tell(s, p, told + i, &err);
    if (!rc) printf("pool %ld rows: bo iteration %d (model on %d points, every untried "
                    "candidate scored) %.2f s (CPU %.2f s), chose z = (%.6f, %.6f, %.6f, ...)\n",
                    rows, i + 1, told + i, bench_now() - a, bench_cpu_now() - ca, p->z[0], p->z[1],
                    p->z[2]);
    fflush(stdout);
  }
  if (rc) fprintf(stderr, "bench_pool: %s\n", err.message);
  else printf("pool %ld rows: peak resident set %.0f MB\n", rows, peak_mb());
  invdes_proposals_free(p);
  invdes_strategy_free(s);
  invdes_space_free(sp);
  invdes_campaign_free(c);
  remove(csv);
  remove(yaml);
  return rc ? 1 : 0;
}
