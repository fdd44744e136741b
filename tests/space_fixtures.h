/* space_fixtures.h — campaigns built as C structs for the space, sample and
 * constraint tests and the space benchmark, so they do not depend on the
 * YAML loader. Each fixture owns every array its campaign points into;
 * fx_free releases it. Marks are made up (parameter i at line 3 + i,
 * column 5; constraint i at line 20 + i, column 7) so tests can check where
 * diagnostics point. */
#ifndef INVDES_SPACE_FIXTURES_H
#define INVDES_SPACE_FIXTURES_H

#include "campaign.h"

typedef struct fixture {
  invdes_campaign c;
  invdes_param p[8];
  invdes_composition g[2];
  invdes_component k[8];
  invdes_constraint_spec cs[8];
  char *labels[8];
  double values[8];
  invdes_pool pool;
  char *features[4];
  double pool_x[64];
  char *ids[16];
} fixture;

/* The acceptance campaign: sinter_T continuous [700, 950] degC, layers
 * integer [1, 6], dopant categorical (none Al Mg Ti Zr), group tm with ni
 * [0.33, 0.95], mn [0, 0.4], co [0, 0.4], total 1, and the constraints
 * "ni^2 + sinter_T/1000 <= 1.6" and "exp(mn) * co <= 0.3". */
fixture *fx_ncm(void);
/* One group a, b, c in [0, 1] summing to 1; nothing else. */
fixture *fx_simplex3(void);
/* Every parameter type: T continuous [700,950], lr continuous log
 * [1e-4, 1e-1], n integer [1,6], m integer log [1, 1000], c_rate discrete
 * (0.1 0.2 0.5 1 2), dopant categorical (none Al Mg), group tm as fx_ncm,
 * and "ni - 2*co >= 0". */
fixture *fx_all_types(void);
/* A pool of 8 rows with features f1, f2 and ids m1..m8; no constraints. */
fixture *fx_pool(void);
/* Appends a constraint (mark line 20 + index, column 7). */
void fx_add_constraint(fixture *f, const char *text, double tol);
void fx_free(fixture *f);

#endif
