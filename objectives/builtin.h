/* builtin.h — analytic benchmark functions with known optima.
 *
 * A read-only registry of test functions (Branin, Hartmann6, Ackley,
 * Rosenbrock, Levy; with two objectives BraninCurrin, DTLZ2, ZDT1) that a campaign names as its objective to check that a
 * strategy finds what is known to be there. Each entry carries its usual
 * search box, its global minimum value and one global minimiser; an optional
 * shift moves the optimum so a strategy cannot profit from a centred one.
 * Later analytic objectives join by adding a row to the table in builtin.c.
 * The registry is a constant table: no state, safe from any thread. These
 * functions know nothing of campaigns, targets or the store; the objective
 * kind `builtin` that evaluates one for a campaign (objective.h) is at the
 * end of builtin.c. */
#ifndef INVDES_BUILTIN_H
#define INVDES_BUILTIN_H

#include <stddef.h>

typedef struct invdes_builtin {
  const char *name;  /* "branin", "hartmann6", "ackley", "rosenbrock", "levy",
                        "branincurrin", "dtlz2", "zdt1" */
  size_t dim;        /* fixed dimension, or 0 when any d >= min_dim works */
  size_t min_dim;    /* smallest dimension accepted (equals dim when fixed) */
  /* The usual search box: fills lo[0..d) and hi[0..d). */
  void (*domain)(size_t d, double *lo, double *hi);
  double f_min;      /* global minimum value (for any accepted d); of the
                        first objective when there are several */
  /* One global minimiser of the unshifted function: fills x[0..d). */
  void (*argmin)(size_t d, double *x);
  /* The unshifted function; x has d entries and d must be accepted. */
  double (*eval)(const double *x, size_t d);
  const char *description;
  /* Several objectives (all minimized): n_out values from eval_all, the
   * first of which is eval's; 0 (or 1) and NULL for a single one. */
  size_t n_out;
  void (*eval_all)(const double *x, size_t d, double *f);
} invdes_builtin;

#define INVDES_BUILTIN_MAX_OUT 4 /* most outputs of any entry */

/* The entry called name (exact, case-sensitive), or NULL if there is none.
 * The pointer is to static constant storage and never needs freeing. */
const invdes_builtin *invdes_builtin_find(const char *name);

/* Number of registered functions; entries are numbered 0..count-1. */
size_t invdes_builtin_count(void);

/* Entry i, or NULL when i >= invdes_builtin_count(). */
const invdes_builtin *invdes_builtin_at(size_t i);

/* 1 when the function accepts dimension d, else 0. */
int invdes_builtin_accepts(const invdes_builtin *b, size_t d);

/* The first value of f(x - shift): with a shift (d entries) the optimum moves to argmin + shift;
 * shift NULL means no shift. Returns NaN when b is NULL, d is not accepted, or
 * (only for d > 64 with a shift) scratch memory cannot be had. Allocation-free
 * for d <= 64. */
double invdes_builtin_eval(const invdes_builtin *b, const double *x, size_t d,
                           const double *shift);

/* Number of values the function gives (1, or n_out for several objectives). */
size_t invdes_builtin_outputs(const invdes_builtin *b);

/* All invdes_builtin_outputs(b) values of f(x - shift) into f; NaN each and
 * -1 where invdes_builtin_eval gives NaN, 0 otherwise. */
int invdes_builtin_eval_all(const invdes_builtin *b, const double *x, size_t d,
                            const double *shift, double *f);

#endif
