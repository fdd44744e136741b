/* constraint.h — constraint expressions: compile once, evaluate fast.
 *
 * A constraint is one comparison between two formulas over named variables,
 * e.g. "ni^2 + sinter_T/1000 <= 1.6". Formulas use numbers, + - * / ^ (right
 * associative; unary minus binds looser than ^, so -x^2 is -(x^2)),
 * parentheses and the functions exp, log (natural), sqrt, abs, min and max
 * (min/max take one or more arguments). Exactly one comparison <= >= < > ==
 * stands outside all parentheses; it is split off here and each side becomes
 * a muparser formula. Everything else muparser would accept (&&, ||, ?:, =,
 * !=, a second comparison, constants such as _pi, other functions) is
 * rejected with its column. < and > are treated as <= and >= (in floating
 * point the difference is not observable).
 *
 * Violation of one constraint, in the units of its two sides:
 *   lhs <= rhs: max(0, lhs - rhs)      lhs >= rhs: max(0, rhs - lhs)
 *   lhs == rhs: max(0, |lhs - rhs| - tol), tol = spec->tol, or when that is 0
 *               1e-9 * max(1, |rhs|)
 * and +inf when a side is not a number (sqrt(-1), log(0) ...).
 *
 * The compiled set is immutable and may be shared between threads; muparser
 * handles are not thread-safe, so evaluation goes through an evaluator
 * (invdes_constraint_eval), one per thread, which owns its handles and the
 * variable buffer they are bound to. This module knows nothing of campaigns'
 * parameters beyond their names and does not decide what is feasible. */
#ifndef INVDES_CONSTRAINT_H
#define INVDES_CONSTRAINT_H

#include <stddef.h>

#include "campaign.h"
#include "error.h"

typedef enum invdes_cmp {
  INVDES_CMP_LE,  /* <= (and <) */
  INVDES_CMP_GE,  /* >= (and >) */
  INVDES_CMP_EQ   /* == within a tolerance */
} invdes_cmp;

typedef struct invdes_constraint_set invdes_constraint_set;
typedef struct invdes_constraint_eval invdes_constraint_eval;

/* Compiles n specs over the variables `names` (n_names of them; a variable's
 * value is read from x[i] at evaluation). `file` names the campaign file in
 * diagnostics ("FILE:LINE:COL: ...", the column being the spec's mark plus
 * the offending character's offset in the text). Names that are not
 * identifiers ([A-Za-z_][A-Za-z0-9_]*) cannot be used in formulas. Every bad
 * constraint gets its own diagnostic; then NULL is returned (status
 * INVDES_ERR_PARSE). Borrows nothing: texts and names are copied. */
invdes_constraint_set *invdes_constraint_set_new(
    const invdes_constraint_spec *specs, size_t n, const char *file,
    const char *const *names, size_t n_names, invdes_error *err);
void invdes_constraint_set_free(invdes_constraint_set *set);

size_t invdes_constraint_set_count(const invdes_constraint_set *set);
/* The constraint's text as written (borrowed from the set). */
const char *invdes_constraint_text(const invdes_constraint_set *set, size_t i);
invdes_cmp invdes_constraint_cmp(const invdes_constraint_set *set, size_t i);
/* The equality tolerance in effect for constraint i at right-hand side rhs. */
double invdes_constraint_tol(const invdes_constraint_set *set, size_t i,
                             double rhs);
/* Where constraint i starts in the campaign file. */
invdes_mark invdes_constraint_mark(const invdes_constraint_set *set, size_t i);

/* An evaluator for one thread; NULL when out of memory or muparser fails.
 * The set must outlive it. */
invdes_constraint_eval *invdes_constraint_eval_new(
    const invdes_constraint_set *set);
void invdes_constraint_eval_free(invdes_constraint_eval *e);

/* Evaluates constraint i at x (n_names values): *lhs and *rhs receive the
 * two sides (may be NULL) and the violation is returned (see above). */
double invdes_constraint_eval_one(invdes_constraint_eval *e, size_t i,
                                  const double *x, double *lhs, double *rhs);

/* Largest violation over all constraints at x (0 when all hold, 0 for an
 * empty set); *worst (may be NULL) receives the index of the most violated
 * constraint, or (size_t)-1 when none is violated. Stops at the first
 * violation when `first_only` is non-zero (a fast feasibility test). */
double invdes_constraint_eval_violation(invdes_constraint_eval *e,
                                        const double *x, int first_only,
                                        size_t *worst);

/* Signed slack of constraint i at x, scaled by 1 + |lhs| + |rhs|: positive
 * inside, negative outside, for picking interior points. */
double invdes_constraint_eval_slack(invdes_constraint_eval *e, size_t i,
                                    const double *x);

#endif
