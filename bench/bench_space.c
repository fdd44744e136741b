/* bench_space.c — speed of constraint evaluation, decoding and sampling on
 * the acceptance campaign of tests/space_fixtures.h (fx_ncm: a 3-component
 * group, sinter_T, layers, dopant, two nonlinear constraints). Prints
 * key=value lines, medians over REPS repetitions; asserts nothing.
 * The constraint figure is compared with the same two constraints written
 * in C (the floor any expression evaluator can approach). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench_data.h"
#include "constraint.h"
#include "rng.h"
#include "sample.h"
#include "space.h"
#include "space_fixtures.h"

#define REPS 5

static double native(const double *x) {
  double a = x[3] * x[3] + x[0] / 1000 - 1.6, b = exp(x[4]) * x[5] - 0.3;
  return fmax(fmax(a, 0), fmax(b, 0));
}

int main(void) {
  fixture *f = fx_ncm();
  invdes_error err;
  invdes_space *s = invdes_space_new(&f->c, &err);
  if (!s) {
    fprintf(stderr, "%s\n", err.message);
    return 1;
  }
  size_t nv = invdes_space_n_vars(s), D = invdes_space_dim(s);
  const char *names[16];
  for (size_t i = 0; i < nv; i++) names[i] = invdes_space_var_name(s, i);
  invdes_constraint_set *set = invdes_constraint_set_new(
      f->c.constraints, f->c.n_constraints, "bench", names, nv, &err);
  invdes_constraint_eval *ce = invdes_constraint_eval_new(set);
  invdes_space_work *w = invdes_space_work_new(s);
  const size_t P = 4096, N = 2000000;
  double *pts = malloc(P * nv * sizeof *pts), *z = malloc(P * D * sizeof *z);
  invdes_sample(s, INVDES_DESIGN_RANDOM, P, 1, 0, pts, &err);
  gsl_rng *r = invdes_rng_new(1, 1);
  for (size_t i = 0; i < P * D; i++) z[i] = gsl_rng_uniform(r);
  double t_c[REPS], t_n[REPS], t_d[REPS], t_s[3][REPS], sink = 0;
  for (int rep = 0; rep < REPS; rep++) {
    double t0 = bench_now();
    for (size_t i = 0; i < N; i++)
      sink += invdes_constraint_eval_violation(ce, pts + (i % P) * nv, 0, NULL);
    t_c[rep] = (bench_now() - t0) / (double)N / 2 * 1e9;
    t0 = bench_now();
    for (size_t i = 0; i < N; i++) sink += native(pts + (i % P) * nv);
    t_n[rep] = (bench_now() - t0) / (double)N / 2 * 1e9;
    double x[16];
    const size_t ND = 200000;
    t0 = bench_now();
    for (size_t i = 0; i < ND; i++) {
      invdes_space_decode(s, w, z + (i % P) * D, x);
      sink += x[3];
    }
    t_d[rep] = (bench_now() - t0) / (double)ND * 1e9;
    const size_t NS = 100000;
    double *xs = malloc(NS * nv * sizeof *xs);
    invdes_design_kind dk[3] = {INVDES_DESIGN_RANDOM, INVDES_DESIGN_SOBOL,
                                INVDES_DESIGN_LHS};
    for (int d = 0; d < 3; d++) {
      t0 = bench_now();
      invdes_sample(s, dk[d], NS, 42, (uint64_t)rep, xs, &err);
      t_s[d][rep] = (double)NS / (bench_now() - t0);
    }
    free(xs);
  }
  double m_c = bench_median(t_c, REPS), m_n = bench_median(t_n, REPS);
  printf("constraint_eval_ns=%.1f native_c_ns=%.1f ratio=%.1f\n", m_c, m_n,
         m_c / m_n);
  printf("decode_ns=%.0f\n", bench_median(t_d, REPS));
  printf("samples_per_s random=%.0f sobol=%.0f lhs=%.0f\n",
         bench_median(t_s[0], REPS), bench_median(t_s[1], REPS),
         bench_median(t_s[2], REPS));
  printf("feasible_fraction=%.4f samples=%zu\n",
         invdes_space_feasible_fraction(s), invdes_space_feasible_samples(s));
  fprintf(stderr, "%g\n", sink > 0 ? 0.0 : 1.0);
  free(pts);
  free(z);
  gsl_rng_free(r);
  invdes_space_work_free(w);
  invdes_constraint_eval_free(ce);
  invdes_constraint_set_free(set);
  invdes_space_free(s);
  fx_free(f);
  return 0;
}
