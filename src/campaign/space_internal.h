/* space_internal.h — the layout of invdes_space shared by space.c
 * (construction, feasibility estimate, anchor) and space_codec.c (encode,
 * decode, violation). Not installed; nothing outside the space module
 * includes it. */
#ifndef INVDES_SPACE_INTERNAL_H
#define INVDES_SPACE_INTERNAL_H

#include "constraint.h"
#include "simplex.h"
#include "space.h"

struct invdes_space {
  const invdes_campaign *c;   /* borrowed */
  size_t n_vars, dim, cube_dim;
  const char **names;         /* n_vars, borrowed from c */
  size_t *pz;                 /* per parameter: first z index */
  long *ilo, *ihi;            /* per parameter: integer range (integer type) */
  invdes_simplex **groups;    /* per composition */
  size_t *g_var0, *g_z0, *g_u0; /* per composition: first x, z, cube index */
  invdes_constraint_set *cons; /* NULL without constraints */
  double frac;                /* feasible fraction */
  size_t frac_n;              /* from this many samples (pool: rows) */
  double *anchor_x, *anchor_z;
  int pool;                   /* a pool campaign */
  double *fmin, *fspan;       /* pool: per feature min and max - min */
  unsigned char *row_ok;      /* pool: row satisfies the constraints */
  size_t n_ok;
};

struct invdes_space_work {
  const invdes_space *s;
  invdes_constraint_eval *ce; /* NULL without constraints */
  double *x, *z;              /* n_vars and D scratch */
};

/* z -> x meeting bounds, integrality and sums (constraints ignored). z must
 * be finite and inside [0,1]. */
void invdes_space_decode_structural(const invdes_space *s, const double *z,
                                    double *x);

#endif
