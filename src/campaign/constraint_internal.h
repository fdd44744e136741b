/* constraint_internal.h — the compiled form of a constraint set, shared by
 * constraint.c (compiling sides with muparser, evaluating) and
 * constraint_scan.c (splitting the comparison off and checking tokens).
 * Not installed. */
#ifndef INVDES_CONSTRAINT_INTERNAL_H
#define INVDES_CONSTRAINT_INTERNAL_H

#include "constraint.h"

enum side_kind { SIDE_CONST, SIDE_VAR, SIDE_FORMULA };

typedef struct side {
  char *text;          /* the side's own text (owned) */
  size_t offset;       /* where it starts in the constraint's text */
  enum side_kind kind;
  double value;        /* SIDE_CONST */
  size_t var;          /* SIDE_VAR */
} side;

typedef struct cons {
  char *text;          /* as written (owned) */
  invdes_cmp cmp;
  double tol;
  invdes_mark mark;
  side s[2];
} cons;

struct invdes_constraint_set {
  cons *c;
  size_t n;
  char **names;        /* n_names copies; NULL where not an identifier */
  size_t n_names;
};

/* Splits c->text at its one top-level comparison (sets c->cmp, *op and
 * *oplen) after rejecting &&, ||, ?: and misplaced or repeated comparisons;
 * 0 when fine, else -1 with one diagnostic added to err. */
int invdes_constraint_split(cons *c, size_t *op, size_t *oplen,
                            const char *file, invdes_error *err);

/* Checks the tokens of c->text[a, b) (one side): characters, function names
 * and variable names of `set`; 0 when fine, else -1 with one diagnostic. */
int invdes_constraint_scan_side(const invdes_constraint_set *set,
                                const cons *c, size_t a, size_t b,
                                const char *file, invdes_error *err);

/* Adds "FILE:LINE:COL: constraint "TEXT": MESSAGE" for byte `off` of c's
 * text; fmt has one %s, filled with arg (NULL counts as ""). */
void invdes_constraint_diag(invdes_error *err, const char *file,
                            const cons *c, size_t off, const char *fmt,
                            const char *arg);

#endif
