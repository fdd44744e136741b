/* bench_data.h — what the benchmark programs share: a monotonic clock, the
 * median of repeated timings, and the Hartmann6 data the surrogate benchmarks
 * fit (uniform points of [0,1]^6 and their values), with a CSV writer so a
 * peer script (scikit-learn) reads exactly the same points. Benchmarks only:
 * not part of libinvdes, asserts nothing, prints nothing. */
#ifndef INVDES_BENCH_DATA_H
#define INVDES_BENCH_DATA_H

#include <stddef.h>

#include <gsl/gsl_rng.h>

#define BENCH_H6_DIM 6

/* Seconds on the monotonic clock (only differences mean anything). */
double bench_now(void);

/* Seconds of CPU time of the whole process (every thread): with one thread
 * the wall time an idle machine would show, whatever else runs beside. */
double bench_cpu_now(void);

/* The median of v[0..k), k >= 1; sorts v in place. */
double bench_median(double *v, size_t k);

/* Fills X (n × 6, row-major) with points drawn uniformly from r, row by row
 * and coordinate by coordinate, and y (n) with Hartmann6 at them. Successive
 * calls on one r continue its stream, so two calls of n1 and n2 points equal
 * one call of n1 + n2. -1 when hartmann6 is not registered, else 0. */
int bench_hartmann6(gsl_rng *r, double *X, double *y, size_t n);

/* Writes dir/name: the header x1,...,x6,y and n rows at %.17g. 0, or -1
 * when the file cannot be written. */
int bench_write_csv(const char *dir, const char *name, const double *X,
                    const double *y, size_t n);

#endif
