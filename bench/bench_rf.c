/* bench_rf.c — random forest fit/predict speed and accuracy on Hartmann6.
 *
 * Draws n training points and 2,000 test points uniformly in [0,1]^6, labels
 * them with Hartmann6, fits a forest (100 trees, scikit-learn-like defaults
 * unless told otherwise) `reps` times and prints one line of medians:
 *   rf n=N fit_s=... predict_s=... rmse=... oob_rmse=... nodes=...
 * where predict_s is mean + variance at 10,000 points. With --write DIR the
 * same data goes to DIR/train.csv, DIR/test.csv and DIR/query.csv (header
 * x1..x6,y) so a peer (bench/sklearn_rf.py) can run on identical points. This
 * program is a benchmark only: it asserts nothing and is not run by make check. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_data.h"
#include "rf.h"
#include "rng.h"

enum { D = BENCH_H6_DIM, N_TEST = 2000, N_QUERY = 10000 };

int main(int argc, char **argv) {
  size_t n = 1000, trees = 100, mtry = 0, min_leaf = 1;
  int reps = 5, random_thr = 0;
  const char *dir = NULL;
  for (int a = 1; a < argc; a++) {
    if (!strcmp(argv[a], "--n") && a + 1 < argc) n = strtoul(argv[++a], NULL, 10);
    else if (!strcmp(argv[a], "--reps") && a + 1 < argc) reps = atoi(argv[++a]);
    else if (!strcmp(argv[a], "--trees") && a + 1 < argc) trees = strtoul(argv[++a], NULL, 10);
    else if (!strcmp(argv[a], "--mtry") && a + 1 < argc) mtry = strtoul(argv[++a], NULL, 10);
    else if (!strcmp(argv[a], "--min-leaf") && a + 1 < argc) min_leaf = strtoul(argv[++a], NULL, 10);
    else if (!strcmp(argv[a], "--random-threshold")) random_thr = 1;
    else if (!strcmp(argv[a], "--write") && a + 1 < argc) dir = argv[++a];
    else {
      fprintf(stderr, "usage: bench_rf [--n N] [--reps R] [--trees T] [--mtry M] "
                      "[--min-leaf L] [--random-threshold] [--write DIR]\n");
      return 2;
    }
  }
  if (n < 2 || reps < 1 || reps > 100) {
    fprintf(stderr, "bench_rf: need n >= 2 and 1 <= reps <= 100\n");
    return 2;
  }
  size_t tot = n + N_TEST + N_QUERY;
  double *X = malloc(tot * D * sizeof *X), *y = malloc(tot * sizeof *y);
  double *mu = malloc(N_QUERY * sizeof *mu), *var = malloc(N_QUERY * sizeof *var);
  gsl_rng *r = invdes_rng_new(2024, 0);
  if (!X || !y || !mu || !var || !r || bench_hartmann6(r, X, y, tot)) {
    fprintf(stderr, "bench_rf: setup failed\n");
    return 1;
  }
  gsl_rng_free(r);
  const double *Xt = X + n * D, *yt = y + n, *Xq = X + (n + N_TEST) * D;
  if (dir && (bench_write_csv(dir, "train.csv", X, y, n) ||
              bench_write_csv(dir, "test.csv", Xt, yt, N_TEST) ||
              bench_write_csv(dir, "query.csv", Xq, y + n + N_TEST, N_QUERY))) {
    fprintf(stderr, "bench_rf: cannot write to %s\n", dir);
    return 1;
  }

  double tf[100], tp[100], rmse = 0.0, oob = 0.0;
  size_t nodes = 0;
  invdes_error err;
  for (int k = 0; k < reps; k++) {
    invdes_rf_options o;
    invdes_rf_options_init(&o);
    o.n_trees = trees;
    o.mtry = mtry;
    o.min_leaf = min_leaf;
    o.random_threshold = random_thr;
    o.seed = (uint64_t)k;
    invdes_rf *rf = invdes_rf_new(&o);
    double t0 = bench_now();
    if (!rf || invdes_rf_fit(rf, X, n, D, y, NULL, &err) != INVDES_OK) {
      fprintf(stderr, "bench_rf: fit failed: %s\n", rf ? err.message : "options");
      return 1;
    }
    tf[k] = bench_now() - t0;
    t0 = bench_now();
    if (invdes_rf_predict(rf, Xq, N_QUERY, mu, var, &err) != INVDES_OK) {
      fprintf(stderr, "bench_rf: predict failed: %s\n", err.message);
      return 1;
    }
    tp[k] = bench_now() - t0;
    if (k == 0) {
      if (invdes_rf_predict(rf, Xt, N_TEST, mu, NULL, &err) != INVDES_OK) return 1;
      double se = 0.0;
      for (size_t i = 0; i < N_TEST; i++) se += (mu[i] - yt[i]) * (mu[i] - yt[i]);
      rmse = sqrt(se / N_TEST);
      oob = invdes_rf_oob_rmse(rf);
      nodes = invdes_rf_n_nodes(rf);
    }
    invdes_rf_free(rf);
  }
  printf("rf n=%zu fit_s=%.4f predict_s=%.4f rmse=%.4f oob_rmse=%.4f nodes=%zu\n", n,
         bench_median(tf, (size_t)reps), bench_median(tp, (size_t)reps), rmse, oob, nodes);
  free(X);
  free(y);
  free(mu);
  free(var);
  return 0;
}
