/* bench_gp.c — speed and accuracy of the Gaussian process on Hartmann6 data.
 *
 * Draws a training pool of 2,000 and a test set of 2,000 points uniform in
 * [0,1]^6 (fixed seed), fits the GP on the first n pool points for n = 100,
 * 500, 1,000 and 2,000 (median wall time over a few repetitions), reports the
 * test RMSE, and times mean+variance at 10,000 points for n = 1,000 next to
 * the machine's dgemm rate at that moment (the variance needs m·n² = 1e10
 * flops of triangular solves, so 1e10 / rate is the floor). With
 * --data DIR it also writes DIR/train.csv and DIR/test.csv so a peer (the
 * scikit-learn script) fits exactly the same points. Output: one line per
 * figure, "key value" pairs that bench/gp.sh reads. Not a test: nothing here
 * passes or fails. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>

#include <gsl/gsl_blas.h>

#include "bench_data.h"
#include "gp.h"
#include "rng.h"

#define D 6
#define POOL 2000
#define NTEST 2000
#define NPRED 10000

/* Best of three dgemm n = 2000 (flop/s) with the BLAS's own threads; 0
 * when out of memory. */
static double dgemm_rate(void) {
  const size_t n = 2000;
  gsl_matrix *a = gsl_matrix_alloc(n, n), *b = gsl_matrix_alloc(n, n), *c = gsl_matrix_alloc(n, n);
  double best = 0.0;
  if (a && b && c) {
    for (size_t i = 0; i < n * n; i++) {
      a->data[i] = (double)(i % 17) * 0.1;
      b->data[i] = (double)(i % 7) * 0.1;
    }
    for (int k = 0; k < 3; k++) {
      double t0 = bench_now();
      gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, a, b, 0.0, c);
      double r = 2.0 * (double)n * (double)n * (double)n / (bench_now() - t0);
      if (r > best) best = r;
    }
  }
  gsl_matrix_free(a);
  gsl_matrix_free(b);
  gsl_matrix_free(c);
  return best;
}

/* Prints the hyper-parameters of the first fit at n points ("gp_hyper ...")
 * and sets *rmse, its error on the NTEST points Xt, yt (mean: room for
 * NTEST). Returns 0, or 1 after a message when prediction fails. */
static int first_fit_report(const invdes_gp *gp, size_t n, const double *Xt, const double *yt,
                            double *mean, double *rmse) {
  invdes_error err;
  if (invdes_gp_predict(gp, Xt, NTEST, mean, NULL, &err) != INVDES_OK) {
    fprintf(stderr, "bench_gp: predict failed: %s\n", err.message);
    return 1;
  }
  double ss = 0.0;
  for (size_t i = 0; i < NTEST; i++) ss += (mean[i] - yt[i]) * (mean[i] - yt[i]);
  *rmse = sqrt(ss / NTEST);
  double ls[D];
  invdes_gp_lengthscales(gp, ls);
  printf("gp_hyper n=%zu ls", n);
  for (size_t j = 0; j < D; j++) printf(" %.3g", ls[j]);
  printf(" signal %.3g noise %.3g jitter %.3g lml %.6g\n", invdes_gp_signal_var(gp),
         invdes_gp_noise_var(gp), invdes_gp_jitter(gp), invdes_gp_log_marginal_likelihood(gp));
  return 0;
}

int main(int argc, char **argv) {
  const char *dir = NULL;
  int reps = 3;
  for (int a = 1; a < argc; a++) {
    if (!strcmp(argv[a], "--data") && a + 1 < argc)
      dir = argv[++a];
    else if (!strcmp(argv[a], "--reps") && a + 1 < argc)
      reps = atoi(argv[++a]);
    else {
      fprintf(stderr, "usage: bench_gp [--data DIR] [--reps K]\n");
      return 2;
    }
  }
  if (reps < 1 || reps > 50) reps = 3;
  double *X = malloc(POOL * D * sizeof(double)), *y = malloc(POOL * sizeof(double));
  double *Xt = malloc(NTEST * D * sizeof(double)), *yt = malloc(NTEST * sizeof(double));
  double *Xp = malloc(NPRED * D * sizeof(double)), *yp = malloc(NPRED * sizeof(double));
  double *mean = malloc(NPRED * sizeof(double)), *var = malloc(NPRED * sizeof(double));
  gsl_rng *r = invdes_rng_new(20261126, 0);
  if (!X || !y || !Xt || !yt || !Xp || !yp || !mean || !var || !r) {
    fprintf(stderr, "bench_gp: out of memory\n");
    return 1;
  }
  if (bench_hartmann6(r, X, y, POOL) || bench_hartmann6(r, Xt, yt, NTEST) ||
      bench_hartmann6(r, Xp, yp, NPRED)) {
    fprintf(stderr, "bench_gp: hartmann6 is not registered\n");
    return 1;
  }
  if (dir && (bench_write_csv(dir, "train.csv", X, y, POOL) ||
              bench_write_csv(dir, "test.csv", Xt, yt, NTEST))) {
    fprintf(stderr, "bench_gp: cannot write the data to %s\n", dir);
    return 1;
  }

  const size_t ns[] = {100, 500, 1000, 2000};
  invdes_error err;
  invdes_gp *keep = NULL;
  for (size_t q = 0; q < sizeof ns / sizeof *ns; q++) {
    size_t n = ns[q];
    double t[50], rmse = 0.0;
    size_t evals = 0;
    for (int k = 0; k < reps; k++) {
      invdes_gp *gp = invdes_gp_new(NULL);
      double t0 = bench_now();
      if (!gp || invdes_gp_fit(gp, X, n, D, y, NULL, &err) != INVDES_OK) {
        fprintf(stderr, "bench_gp: fit n=%zu failed: %s\n", n, err.message);
        return 1;
      }
      t[k] = bench_now() - t0;
      evals = invdes_gp_fit_evaluations(gp);
      if (k == 0 && first_fit_report(gp, n, Xt, yt, mean, &rmse)) return 1;
      if (n == 1000 && !keep)
        keep = gp;
      else
        invdes_gp_free(gp);
    }
    printf("gp_fit n=%zu seconds %.4f rmse %.4f evals %zu reps %d\n", n,
           bench_median(t, (size_t)reps), rmse, evals, reps);
    fflush(stdout);
  }

  double t[50];
  for (int k = 0; k < reps; k++) {
    double t0 = bench_now();
    if (invdes_gp_predict(keep, Xp, NPRED, mean, var, &err) != INVDES_OK) {
      fprintf(stderr, "bench_gp: predict failed: %s\n", err.message);
      return 1;
    }
    t[k] = bench_now() - t0;
  }
  printf("gp_predict n=1000 m=%d seconds %.4f\n", NPRED, bench_median(t, (size_t)reps));
  double rate = dgemm_rate();
  if (rate > 0)
    printf("blas dgemm n=2000 gflops %.1f (1e10 flops take %.3f s at that rate)\n", rate / 1e9,
           1e10 / rate);
  invdes_gp_free(keep);
  gsl_rng_free(r);
  free(X);
  free(y);
  free(Xt);
  free(yt);
  free(Xp);
  free(yp);
  free(mean);
  free(var);
  return 0;
}
