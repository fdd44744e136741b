/* score.c — the scalarization of observed outcomes by the targets'
 * goals (score.h). Pure functions of their arguments; no
 * allocation. This file does not know strategies, histories or models. */
#include "score.h"

#include <math.h>

/* How far v lies outside the condition of target t, relative to the
 * window's width or |threshold| (1 for a zero threshold); 0 inside. */
static double outside(const invdes_target *t, double v) {
  double d = 0, scale = 1;
  switch (t->goal) {
  case INVDES_GOAL_WINDOW:
    d = v < t->lo ? t->lo - v : v > t->hi ? v - t->hi : 0;
    scale = t->hi - t->lo;
    break;
  case INVDES_GOAL_BELOW:
    d = v > t->threshold ? v - t->threshold : 0;
    scale = fabs(t->threshold);
    break;
  case INVDES_GOAL_ABOVE:
    d = v < t->threshold ? t->threshold - v : 0;
    scale = fabs(t->threshold);
    break;
  default:
    return 0;
  }
  if (!(scale > 0)) scale = 1;
  return d / scale;
}

invdes_score invdes_score_observation(const invdes_target *targets,
                                      size_t n_targets, const double *y,
                                      int failed) {
  invdes_score sc = {0, 0, 1};
  if (failed) {
    sc.objective = NAN;
    sc.violation = INFINITY;
    return sc;
  }
  size_t present = 0;
  for (size_t t = 0; t < n_targets; t++) {
    double v = y ? y[t] : NAN;
    int has = !isnan(v);
    present += (size_t)has;
    invdes_goal goal = targets ? targets[t].goal : INVDES_GOAL_MINIMIZE;
    double w = targets ? targets[t].weight : 1;
    if (!(w > 0)) w = 1;
    if (goal == INVDES_GOAL_MAXIMIZE || goal == INVDES_GOAL_MINIMIZE) {
      /* NAN propagates: a missing objective target makes it unknown */
      sc.objective += (goal == INVDES_GOAL_MAXIMIZE ? -w : w) * v;
    } else if (has) {
      sc.violation += outside(&targets[t], v);
    }
  }
  if (!present) {
    sc.known = 0;
    sc.objective = NAN;
  }
  return sc;
}

static int cmp_num(double a, double b) { return a < b ? -1 : a > b ? 1 : 0; }

int invdes_score_compare(const invdes_score *a, const invdes_score *b) {
  if (a->known != b->known) return a->known ? -1 : 1;
  if (!a->known) return 0;
  int c = cmp_num(a->violation, b->violation);
  if (c) return c;
  int na = isnan(a->objective), nb = isnan(b->objective);
  if (na != nb) return na ? 1 : -1;
  return na ? 0 : cmp_num(a->objective, b->objective);
}

double invdes_score_value(const invdes_score *sc, double penalty_weight) {
  if (!sc->known) return NAN;
  if (isinf(sc->violation)) return INFINITY;
  return sc->objective + penalty_weight * sc->violation;
}
