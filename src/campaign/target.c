/* target.c — goal semantics (target.h): one table describes the goals, and
 * meets, compare, violation, the SQL order and the description are written
 * once against it; the ranking of a whole result (Deb's rules) is built from
 * them. Pure functions of their arguments; no allocation, no I/O. This file
 * does not read campaign files (campaign_space.c does, with this table) nor
 * run SQL (the store does, with the text made here). */
#include "target.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

/* Indexed by invdes_goal. */
static const struct goal_info {
  int direction;   /* +1 larger better, -1 smaller better, 0 toward a window */
  int objective;   /* maximize/minimize */
  unsigned keys;   /* INVDES_GOAL_KEY_* */
} goal_info[] = {
    [INVDES_GOAL_MAXIMIZE] = {+1, 1, INVDES_GOAL_KEY_WEIGHT | INVDES_GOAL_KEY_REFERENCE},
    [INVDES_GOAL_MINIMIZE] = {-1, 1, INVDES_GOAL_KEY_WEIGHT | INVDES_GOAL_KEY_REFERENCE},
    [INVDES_GOAL_WINDOW] = {0, 0, INVDES_GOAL_KEY_WINDOW},
    [INVDES_GOAL_BELOW] = {-1, 0, INVDES_GOAL_KEY_THRESHOLD},
    [INVDES_GOAL_ABOVE] = {+1, 0, INVDES_GOAL_KEY_THRESHOLD},
};
static const char *const goal_names[] = {
    [INVDES_GOAL_MAXIMIZE] = "maximize", [INVDES_GOAL_MINIMIZE] = "minimize",
    [INVDES_GOAL_WINDOW] = "window",     [INVDES_GOAL_BELOW] = "below",
    [INVDES_GOAL_ABOVE] = "above",       NULL};
#define N_GOALS (sizeof goal_info / sizeof goal_info[0])

static int valid(invdes_goal g) { return (unsigned)g < N_GOALS; }

/* ---- goals ---------------------------------------------------------------- */

const char *const *invdes_goal_names(void) { return goal_names; }

const char *invdes_goal_name(invdes_goal g) { return valid(g) ? goal_names[g] : "?"; }

int invdes_goal_parse(const char *name, invdes_goal *g) {
  for (size_t i = 0; name && i < N_GOALS; i++)
    if (strcmp(name, goal_names[i]) == 0) {
      *g = (invdes_goal)i;
      return 1;
    }
  return 0;
}

unsigned invdes_goal_keys(invdes_goal g) { return valid(g) ? goal_info[g].keys : 0; }

int invdes_goal_is_objective(invdes_goal g) { return valid(g) && goal_info[g].objective; }

/* ---- one target ----------------------------------------------------------- */

int invdes_target_direction(const invdes_target *t) {
  return valid(t->goal) ? goal_info[t->goal].direction : 0;
}

void invdes_target_interval(const invdes_target *t, double *lo, double *hi) {
  *lo = -INFINITY;
  *hi = INFINITY;
  switch (t->goal) {
  case INVDES_GOAL_WINDOW:
    *lo = t->lo;
    *hi = t->hi;
    break;
  case INVDES_GOAL_BELOW: *hi = t->threshold; break;
  case INVDES_GOAL_ABOVE: *lo = t->threshold; break;
  default: break;
  }
}

int invdes_target_meets(const invdes_target *t, double v) {
  double lo, hi;
  invdes_target_interval(t, &lo, &hi);
  return v >= lo && v <= hi; /* false for NaN */
}

/* Distance of v outside a window (0 inside). */
static double window_distance(const invdes_target *t, double v) {
  return fmax(fmax(t->lo - v, v - t->hi), 0);
}

int invdes_target_compare(const invdes_target *t, double a, double b) {
  int na = isnan(a), nb = isnan(b);
  if (na || nb) return na - nb;
  int dir = invdes_target_direction(t);
  if (dir) return a == b ? 0 : (a > b) == (dir > 0) ? -1 : 1;
  if (t->goal != INVDES_GOAL_WINDOW) return 0;
  double da = window_distance(t, a), db = window_distance(t, b);
  if (da != db) return da < db ? -1 : 1;
  double mid = 0.5 * (t->lo + t->hi), ma = fabs(a - mid), mb = fabs(b - mid);
  return ma < mb ? -1 : ma > mb ? 1 : 0;
}

int invdes_target_better(const invdes_target *t, double a, double b) {
  return invdes_target_compare(t, a, b) < 0;
}

double invdes_target_violation(const invdes_target *t, double v) {
  if (isnan(v)) return INFINITY;
  if (invdes_target_meets(t, v)) return 0;
  double lo, hi;
  invdes_target_interval(t, &lo, &hi);
  double d = v < lo ? lo - v : v - hi;
  double scale = t->goal == INVDES_GOAL_WINDOW ? hi - lo : fabs(t->threshold);
  if (!(scale > 0)) scale = 1;
  double r = d / scale;
  return r > 0 ? r : DBL_TRUE_MIN; /* missed is never 0, even on underflow */
}

int invdes_target_sql_order(const invdes_target *t, const char *column, int first_param,
                            char *buf, size_t len, double bind[2], int *n_bind) {
  const char *c = column;
  int dir = invdes_target_direction(t), n;
  *n_bind = 0;
  if (!valid(t->goal)) return -1;
  if (dir) {
    n = snprintf(buf, len, "(%s) IS NULL, (%s)%s", c, c, dir > 0 ? " DESC" : "");
  } else {
    /* the same arithmetic as window_distance and the middle in compare:
     * (lo + hi) / 2 is 0.5 * (lo + hi) to the last bit */
    int p = first_param, q = first_param + 1;
    n = snprintf(buf, len, "(%s) IS NULL, max(?%d - (%s), (%s) - ?%d, 0),"
                 " abs((%s) - (?%d + ?%d) / 2)", c, p, c, c, q, c, p, q);
    bind[0] = t->lo;
    bind[1] = t->hi;
    *n_bind = 2;
  }
  return n >= 0 && (size_t)n < len ? n : -1;
}

/* v in the fewest significant digits that read back as v, but never fewer
 * than its integer part has ("170", not "1.7e+02"). */

int invdes_target_describe(const invdes_target *t, char *buf, size_t len) {
  char a[INVDES_DECIMAL_MAX], b[INVDES_DECIMAL_MAX];
  const char *name = invdes_goal_name(t->goal);
  unsigned keys = invdes_goal_keys(t->goal);
  if (keys & INVDES_GOAL_KEY_WINDOW) {
    invdes_decimal_format(t->lo, a);
    invdes_decimal_format(t->hi, b);
    return snprintf(buf, len, "%s [%s, %s]", name, a, b);
  }
  if (keys & INVDES_GOAL_KEY_THRESHOLD) {
    invdes_decimal_format(t->threshold, a);
    return snprintf(buf, len, "%s %s", name, a);
  }
  /* a weight when given and not 1; a reference when given */
  int weighted = (keys & INVDES_GOAL_KEY_WEIGHT) && isfinite(t->weight) && t->weight != 1;
  int referenced = (keys & INVDES_GOAL_KEY_REFERENCE) && isfinite(t->reference);
  if (weighted) invdes_decimal_format(t->weight, a);
  if (referenced) invdes_decimal_format(t->reference, b);
  return snprintf(buf, len, "%s%s%s%s%s", name, weighted ? ", weight " : "", weighted ? a : "",
                  referenced ? ", reference " : "", referenced ? b : "");
}

/* ---- a result over all targets -------------------------------------------- */

invdes_score invdes_score_observation(const invdes_target *targets, size_t n_targets,
                                      const double *y, int failed) {
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
    const invdes_target *tg = targets ? &targets[t] : NULL;
    if (!tg || invdes_goal_is_objective(tg->goal)) {
      double w = tg && tg->weight > 0 ? tg->weight : 1;
      /* NAN propagates: a missing objective target makes it unknown */
      sc.objective += (tg ? -invdes_target_direction(tg) : 1) * w * v;
    } else if (has) {
      sc.violation += invdes_target_violation(tg, v);
    }
  }
  if (!present) {
    sc.known = 0;
    sc.objective = NAN;
  }
  return sc;
}

static int cmp_num(double a, double b) { return a < b ? -1 : a > b ? 1 : 0; }

/* Objectives, lower first; a missing (NaN) one after a known one. */
static int cmp_objective(double a, double b) {
  int na = isnan(a), nb = isnan(b);
  if (na != nb) return na ? 1 : -1;
  return na ? 0 : cmp_num(a, b);
}

int invdes_score_compare(const invdes_score *a, const invdes_score *b) {
  if (a->known != b->known) return a->known ? -1 : 1;
  if (!a->known) return 0;
  int c = cmp_num(a->violation, b->violation);
  return c ? c : cmp_objective(a->objective, b->objective);
}

int invdes_score_compare_results(const invdes_target *targets, size_t n_targets,
                                 const double *ya, int failed_a, const double *yb,
                                 int failed_b) {
  invdes_score a = invdes_score_observation(targets, n_targets, ya, failed_a);
  invdes_score b = invdes_score_observation(targets, n_targets, yb, failed_b);
  return invdes_score_compare(&a, &b);
}

double invdes_score_value(const invdes_score *sc, double penalty_weight) {
  if (!sc->known) return NAN;
  if (isinf(sc->violation)) return INFINITY;
  return sc->objective + penalty_weight * sc->violation;
}

int invdes_targets_met(const invdes_target *targets, size_t n_targets, const double *y) {
  for (size_t t = 0; t < n_targets; t++)
    if (!y || !invdes_target_meets(&targets[t], y[t])) return 0;
  return 1;
}

/* ---- the one ranking of results ------------------------------------------- */

invdes_rank invdes_rank_result(const invdes_target *targets, size_t n_targets,
                               const double *y, int failed) {
  invdes_score sc = invdes_score_observation(targets, n_targets, y, failed);
  invdes_rank r = {sc.known && !failed, 1, 0, 0, sc.objective, 0};
  if (!r.ranked) {
    r.meets = 0;
    r.violation = INFINITY;
    return r;
  }
  for (size_t t = 0; t < n_targets; t++) {
    if (invdes_goal_is_objective(targets[t].goal)) continue;
    if (isnan(y[t])) {
      r.missing++;
      continue;
    }
    r.violation += invdes_target_violation(&targets[t], y[t]);
    if (targets[t].goal == INVDES_GOAL_WINDOW)
      r.centre += fabs(y[t] - 0.5 * (targets[t].lo + targets[t].hi)) /
                  (targets[t].hi - targets[t].lo);
  }
  r.meets = r.missing == 0 && r.violation == 0;
  return r;
}

int invdes_rank_compare(const invdes_rank *a, const invdes_rank *b) {
  if (a->ranked != b->ranked) return a->ranked ? -1 : 1;
  if (!a->ranked) return 0;
  if (a->meets != b->meets) return a->meets ? -1 : 1;
  if (a->missing != b->missing) return a->missing < b->missing ? -1 : 1;
  int c = cmp_num(a->violation, b->violation);
  if (!c) c = cmp_objective(a->objective, b->objective);
  return c ? c : cmp_num(a->centre, b->centre);
}

int invdes_stop_when_met(const invdes_target *targets, size_t n_targets, const double *levels,
                         const double *y) {
  int named = 0, objectives = 0;
  for (size_t t = 0; y && t < n_targets; t++) {
    const invdes_target *tg = &targets[t];
    if (!invdes_goal_is_objective(tg->goal)) {
      if (!invdes_target_meets(tg, y[t])) return 0;
      continue;
    }
    objectives++;
    double level = levels ? levels[t] : NAN;
    if (isnan(level)) continue;
    named++;
    /* false for a missing (NaN) value */
    if (!(invdes_target_direction(tg) > 0 ? y[t] >= level : y[t] <= level)) return 0;
  }
  return y && (named > 0 || objectives == 0);
}

int invdes_stop_when_describe(const invdes_target *targets, size_t n_targets, int stop,
                              const double *levels, char *buf, size_t len) {
  int used = snprintf(buf, len, "%s", stop ? "satisfied" : "never");
  if (!stop || !levels) return used;
  used = 0;
  if (len) buf[0] = '\0';
  for (size_t t = 0; t < n_targets; t++) {
    if (isnan(levels[t])) continue;
    char v[INVDES_DECIMAL_MAX];
    invdes_decimal_format(levels[t], v);
    size_t at = (size_t)used < len ? (size_t)used : len;
    int n = snprintf(buf + at, len - at, "%s%s %s %s", used ? ", " : "", targets[t].name,
                     invdes_target_direction(&targets[t]) > 0 ? ">=" : "<=", v);
    if (n < 0) return n;
    used += n;
  }
  return used;
}
