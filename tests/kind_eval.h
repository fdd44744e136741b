/* kind_eval.h — evaluating a campaign's objective through its kind's table
 * alone (open, evaluate, close), for the tests of the computing kinds
 * (test_capacity.c, test_porous_electrode.c). cmocka asserts each step. */
#ifndef INVDES_TESTS_KIND_EVAL_H
#define INVDES_TESTS_KIND_EVAL_H

#include <stddef.h>

#include "campaign.h"

/* Evaluates raw point x (parameters, then components): y[0..n_targets)
 * receives the values (NAN when failed), reason (rn bytes) why it failed.
 * Returns 1 when the proposal failed. */
int kind_eval(const invdes_campaign *c, const double *x, double *y, char *reason, size_t rn);

/* The campaign text must be refused with `words` in the diagnostics. */
void kind_refused(const char *text, const char *words);

#endif
