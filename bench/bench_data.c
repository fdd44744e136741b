/* bench_data.c — clock, medians, Hartmann6 data and CSV files for the
 * benchmark programs (see bench_data.h). Knows no surrogate and no
 * benchmark's figures. */
#include "bench_data.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "builtin.h"

double bench_now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

double bench_cpu_now(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

double bench_median(double *v, size_t k) {
  qsort(v, k, sizeof *v, cmp_double);
  return k % 2 ? v[k / 2] : 0.5 * (v[k / 2 - 1] + v[k / 2]);
}

int bench_hartmann6(gsl_rng *r, double *X, double *y, size_t n) {
  const invdes_builtin *h6 = invdes_builtin_find("hartmann6");
  if (!h6) return -1;
  for (size_t i = 0; i < n; i++) {
    double *x = X + i * BENCH_H6_DIM;
    for (size_t j = 0; j < BENCH_H6_DIM; j++) x[j] = gsl_rng_uniform(r);
    y[i] = h6->eval(x, BENCH_H6_DIM);
  }
  return 0;
}

int bench_write_csv(const char *dir, const char *name, const double *X,
                    const double *y, size_t n) {
  char path[4096];
  if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
    return -1;
  FILE *f = fopen(path, "w");
  if (!f) return -1;
  fprintf(f, "x1,x2,x3,x4,x5,x6,y\n");
  for (size_t i = 0; i < n; i++) {
    for (size_t j = 0; j < BENCH_H6_DIM; j++)
      fprintf(f, "%.17g,", X[i * BENCH_H6_DIM + j]);
    fprintf(f, "%.17g\n", y[i]);
  }
  int bad = ferror(f);
  return fclose(f) || bad ? -1 : 0;
}
