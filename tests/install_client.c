/* install_client.c — a program written as a user writes one against the
 * installed library: tests/install.sh builds it with `pkg-config --cflags
 * --libs invdes` alone, and it includes no header of invdes but
 * <invdes/invdes.h>.
 *
 * Usage: install_client DIR. It writes a small campaign into DIR (Branin
 * minimized by Bayesian optimization, 8 evaluations), runs it to its budget
 * in DIR/campaign.db through the driver, and checks the outcome: the run
 * ended on its budget and the store counts 8 results, none failed. It
 * also draws from a design's random stream with GSL itself, which a program
 * can only link when invdes.pc carries GSL in Requires. Prints one line and
 * exits 0 when everything holds, 1 otherwise. */
#include <invdes/invdes.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUDGET 8

static const char campaign_text[] =
    "name: install-client\n"
    "seed: 3\n"
    "parameters:\n"
    "  - {name: x1, type: continuous, bounds: [-5, 10]}\n"
    "  - {name: x2, type: continuous, bounds: [0, 15]}\n"
    "targets:\n"
    "  - {name: y, goal: minimize}\n"
    "objective: {kind: builtin, name: branin}\n"
    "strategy: {kind: bo}\n"
    "budget: {evaluations: 8}\n";

static int fail(const char *what, const invdes_error *err) {
  fprintf(stderr, "install_client: %s%s%s\n", what, err ? ": " : "", err ? err->message : "");
  return 1;
}

/* The random design's stream is a gsl_rng: draw from it with GSL. */
static int draw_with_gsl(void) {
  invdes_error err;
  invdes_error_clear(&err);
  invdes_sample_seq *q = NULL;
  if (invdes_sample_seq_new(INVDES_DESIGN_RANDOM, 2, 3, 0, &q, &err) != INVDES_OK)
    return fail("invdes_sample_seq_new", &err);
  double u = gsl_rng_uniform(invdes_sample_seq_rng(q));
  invdes_sample_seq_free(q);
  return u >= 0 && u < 1 ? 0 : fail("gsl_rng_uniform out of [0,1)", NULL);
}

static int run(const char *campaign, const char *db) {
  invdes_error err, notes;
  invdes_error_clear(&err);
  invdes_error_clear(&notes);
  int created = 0;
  invdes_driver *d = invdes_driver_open(campaign, db, INVDES_DRIVER_CREATE |
                                        INVDES_DRIVER_EVALUATE, &created, &notes, &err);
  if (!d) return fail("invdes_driver_open", &err);
  invdes_run_end end;
  invdes_run_options opt = {0};
  int bad = 0;
  if (invdes_driver_run(d, &opt, &end, &err) != INVDES_OK) {
    bad = fail("invdes_driver_run", &err);
  } else if (end != INVDES_RUN_BUDGET) {
    bad = fail(invdes_run_end_message(end), NULL);
  } else {
    int64_t n = 0;
    invdes_store_counts k;
    if (invdes_store_n_evaluated(invdes_driver_store(d), &n, &err) != INVDES_OK ||
        invdes_store_counts_get(invdes_driver_store(d), &k, &err) != INVDES_OK)
      bad = fail("reading the store", &err);
    else if (!created || n != BUDGET || k.done != BUDGET || k.failed != 0 ||
             k.results != BUDGET)
      bad = fail("the run did not record its budget of results", NULL);
    else
      printf("install_client: %lld results in %lld batches, %s\n", (long long)n,
             (long long)k.batches, invdes_run_end_message(end));
  }
  invdes_driver_free(d);
  return bad;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: install_client DIR\n");
    return 2;
  }
  size_t n = strlen(argv[1]);
  char *campaign = malloc(n + sizeof "/campaign.yaml");
  char *db = malloc(n + sizeof "/campaign.db");
  if (!campaign || !db) {
    free(campaign);
    free(db);
    return fail("out of memory", NULL);
  }
  sprintf(campaign, "%s/campaign.yaml", argv[1]);
  sprintf(db, "%s/campaign.db", argv[1]);
  FILE *f = fopen(campaign, "w");
  int bad = !f || fputs(campaign_text, f) == EOF;
  if (f && fclose(f) != 0) bad = 1;
  if (bad) bad = fail("cannot write the campaign file", NULL);
  if (!bad) bad = draw_with_gsl();
  if (!bad) bad = run(campaign, db);
  free(campaign);
  free(db);
  return bad;
}
