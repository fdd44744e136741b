/* space_codec.c — encode, decode, cube map, violation and formatting of
 * points in a design space (conventions in space.h).
 *
 * Integer (linear scale) and discrete parameters use equal cells: value
 * index i of n owns z in [i/n, (i+1)/n) and encodes to the cell's centre, so
 * a uniform z gives every value the same chance. Decoding never fails; the
 * repair of a constraint violation is a bisection between the anchor's z and
 * the requested z (space.h). This file does not sample (sample.c) or build
 * the space (space.c). */
#include "space_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define REPAIR_STEPS 60

static double clamp01(double v) {
  return v >= 0 ? (v <= 1 ? v : 1) : (v < 0 ? 0 : 0.5); /* NaN -> 0.5 */
}

static size_t cell(double u, size_t n) {
  size_t i = (size_t)(u * (double)n);
  return i < n ? i : n - 1;
}

/* The value at position u in [0,1] of a non-categorical parameter. */
static double param_at(const invdes_space *s, size_t i, double u) {
  const invdes_param *p = &s->c->params[i];
  switch (p->type) {
  case INVDES_PARAM_CONTINUOUS: {
    double v = p->log_scale ? exp(log(p->lo) + u * (log(p->hi) - log(p->lo)))
                            : p->lo + u * (p->hi - p->lo);
    return v < p->lo ? p->lo : v > p->hi ? p->hi : v;
  }
  case INVDES_PARAM_INTEGER: {
    long lo = s->ilo[i], hi = s->ihi[i];
    if (p->log_scale) {
      double v = round(exp(log(p->lo) + u * (log(p->hi) - log(p->lo))));
      return v < lo ? (double)lo : v > hi ? (double)hi : v;
    }
    return (double)(lo + (long)cell(u, (size_t)(hi - lo + 1)));
  }
  case INVDES_PARAM_DISCRETE:
    return p->values[cell(u, p->n_values)];
  default:
    return (double)cell(u, p->n_values);
  }
}

int invdes_space_from_cube(const invdes_space *s, const double *u, double *x) {
  const invdes_campaign *c = s->c;
  for (size_t i = 0; i < c->n_params; i++) x[i] = param_at(s, i, clamp01(u[i]));
  int ok = 1;
  for (size_t g = 0; g < c->n_compositions; g++)
    ok &= invdes_simplex_from_cube(s->groups[g], u + s->g_u0[g],
                                   x + s->g_var0[g]);
  return ok;
}

void invdes_space_decode_structural(const invdes_space *s, const double *z,
                                    double *x) {
  const invdes_campaign *c = s->c;
  for (size_t i = 0; i < c->n_params; i++) {
    const invdes_param *p = &c->params[i];
    const double *zi = z + s->pz[i];
    if (p->type != INVDES_PARAM_CATEGORICAL) {
      x[i] = param_at(s, i, zi[0]);
      continue;
    }
    size_t best = 0;
    for (size_t j = 1; j < p->n_values; j++)
      if (zi[j] > zi[best]) best = j;
    x[i] = (double)best;
  }
  for (size_t g = 0; g < c->n_compositions; g++) {
    const invdes_composition *cg = &c->compositions[g];
    double *xg = x + s->g_var0[g];
    const double *zg = z + s->g_z0[g];
    for (size_t j = 0; j < cg->n_components; j++) {
      const invdes_component *k = &cg->components[j];
      xg[j] = k->lo + zg[j] * (k->hi - k->lo);
    }
    invdes_simplex_project(s->groups[g], xg, xg);
  }
}

int invdes_space_constraints_hold(const invdes_space *s, invdes_space_work *w,
                                  const double *x) {
  if (!s->cons || s->pool) return 1;
  return invdes_constraint_eval_violation(w->ce, x, 1, NULL) == 0;
}

size_t invdes_space_pool_nearest(const invdes_space *s, const double *z,
                                 const unsigned char *taken) {
  const invdes_pool *p = s->c->pool;
  size_t F = p->n_features, best = (size_t)-1;
  double bd = INFINITY;
  for (size_t r = 0; r < p->n_rows; r++) {
    if (!s->row_ok[r] || (taken && taken[r])) continue;
    double d = 0;
    for (size_t f = 0; f < F && d < bd; f++) {
      double v = s->fspan[f] > 0 ? (p->x[r * F + f] - s->fmin[f]) / s->fspan[f]
                                 : 0.5;
      d += (v - z[f]) * (v - z[f]);
    }
    if (d < bd || best == (size_t)-1) bd = d, best = r;
  }
  return best;
}

void invdes_space_decode(const invdes_space *s, invdes_space_work *w,
                         const double *z, double *x) {
  for (size_t j = 0; j < s->dim; j++) w->z[j] = clamp01(z[j]);
  if (s->pool) {
    x[0] = (double)invdes_space_pool_nearest(s, w->z, NULL);
    return;
  }
  invdes_space_decode_structural(s, w->z, x);
  if (invdes_space_constraints_hold(s, w, x)) return;
  /* repair: bisection on t in [0,1] along anchor_z + t (z - anchor_z);
   * t = lo is known feasible (x holds its point), t = hi is not */
  double lo = 0, hi = 1;
  memcpy(x, s->anchor_x, s->n_vars * sizeof *x);
  for (int it = 0; it < REPAIR_STEPS && hi - lo > 1e-10; it++) {
    double t = 0.5 * (lo + hi);
    for (size_t j = 0; j < s->dim; j++)
      w->z[j] = s->anchor_z[j] + t * (clamp01(z[j]) - s->anchor_z[j]);
    invdes_space_decode_structural(s, w->z, w->x);
    if (invdes_space_constraints_hold(s, w, w->x)) {
      lo = t;
      memcpy(x, w->x, s->n_vars * sizeof *x);
    } else {
      hi = t;
    }
  }
}

static invdes_status bad_value(const invdes_space *s, size_t i, double v,
                               const char *why, invdes_error *err) {
  return invdes_error_set(err, INVDES_ERR_INVALID, "value %.10g of '%s' %s",
                          v, s->names[i], why);
}

invdes_status invdes_space_encode(const invdes_space *s, const double *x,
                                  double *z, invdes_error *err) {
  const invdes_campaign *c = s->c;
  for (size_t i = 0; i < s->n_vars; i++)
    if (!isfinite(x[i])) return bad_value(s, i, x[i], "is not finite", err);
  if (s->pool) {
    const invdes_pool *p = c->pool;
    if (x[0] < 0 || x[0] >= (double)p->n_rows || x[0] != floor(x[0]))
      return bad_value(s, 0, x[0], "is not a row of the pool", err);
    size_t r = (size_t)x[0], F = p->n_features;
    for (size_t f = 0; f < F; f++)
      z[f] = s->fspan[f] > 0 ? (p->x[r * F + f] - s->fmin[f]) / s->fspan[f]
                             : 0.5;
    return INVDES_OK;
  }
  for (size_t i = 0; i < c->n_params; i++) {
    const invdes_param *p = &c->params[i];
    double v = x[i], *zi = z + s->pz[i];
    double slack = 1e-9 * (p->hi - p->lo);
    switch (p->type) {
    case INVDES_PARAM_INTEGER:
      if (v != floor(v))
        return bad_value(s, i, v, "is not a whole number", err);
      if (v < (double)s->ilo[i] || v > (double)s->ihi[i])
        return bad_value(s, i, v, "is outside its bounds", err);
      zi[0] = p->log_scale
                  ? (log(v) - log(p->lo)) / (log(p->hi) - log(p->lo))
                  : (v - (double)s->ilo[i] + 0.5) /
                        (double)(s->ihi[i] - s->ilo[i] + 1);
      zi[0] = clamp01(zi[0]);
      break;
    case INVDES_PARAM_CONTINUOUS:
      if (v < p->lo - slack || v > p->hi + slack)
        return bad_value(s, i, v, "is outside its bounds", err);
      v = v < p->lo ? p->lo : v > p->hi ? p->hi : v;
      zi[0] = p->log_scale ? (log(v) - log(p->lo)) / (log(p->hi) - log(p->lo))
                           : (v - p->lo) / (p->hi - p->lo);
      zi[0] = clamp01(zi[0]);
      break;
    case INVDES_PARAM_DISCRETE: {
      size_t j = 0;
      while (j < p->n_values && p->values[j] != v) j++;
      if (j == p->n_values)
        return bad_value(s, i, v, "is not one of its values", err);
      zi[0] = ((double)j + 0.5) / (double)p->n_values;
      break;
    }
    case INVDES_PARAM_CATEGORICAL:
      if (v < 0 || v >= (double)p->n_values || v != floor(v))
        return bad_value(s, i, v, "is not a label index", err);
      for (size_t j = 0; j < p->n_values; j++) zi[j] = (double)(j == (size_t)v);
      break;
    }
  }
  for (size_t g = 0; g < c->n_compositions; g++) {
    const invdes_composition *cg = &c->compositions[g];
    for (size_t j = 0; j < cg->n_components; j++) {
      const invdes_component *k = &cg->components[j];
      size_t xi = s->g_var0[g] + j;
      double v = x[xi], span = k->hi - k->lo;
      double slack = 1e-9 * (span > 0 ? span : 1);
      if (v < k->lo - slack || v > k->hi + slack)
        return bad_value(s, xi, v, "is outside its bounds", err);
      z[s->g_z0[g] + j] = span > 0 ? clamp01((v - k->lo) / span) : 0.5;
    }
  }
  return INVDES_OK;
}

static double excess(double v, double lo, double hi) {
  if (v != v) return INFINITY;
  return v < lo ? lo - v : v > hi ? v - hi : 0;
}

double invdes_space_violation(const invdes_space *s, invdes_space_work *w,
                              const double *x) {
  const invdes_campaign *c = s->c;
  double vmax = 0, v;
  if (s->pool) {
    double r = x[0];
    if (!(r >= 0 && r < (double)c->pool->n_rows)) return INFINITY;
    v = fabs(r - round(r));
    if (v == 0 && !s->row_ok[(size_t)r]) v = INFINITY;
    return v;
  }
  for (size_t i = 0; i < c->n_params; i++) {
    const invdes_param *p = &c->params[i];
    double xi = x[i];
    switch (p->type) {
    case INVDES_PARAM_CONTINUOUS: v = excess(xi, p->lo, p->hi); break;
    case INVDES_PARAM_INTEGER:
      v = excess(xi, (double)s->ilo[i], (double)s->ihi[i]);
      if (v == 0) v = fabs(xi - round(xi));
      break;
    case INVDES_PARAM_DISCRETE:
      v = INFINITY;
      for (size_t j = 0; j < p->n_values; j++)
        if (fabs(xi - p->values[j]) < v) v = fabs(xi - p->values[j]);
      break;
    default:
      v = excess(xi, 0, (double)p->n_values - 1);
      if (v == 0) v = fabs(xi - round(xi));
      break;
    }
    if (!(v <= vmax)) vmax = v;
  }
  for (size_t g = 0; g < c->n_compositions; g++) {
    const invdes_composition *cg = &c->compositions[g];
    double sum = 0;
    for (size_t j = 0; j < cg->n_components; j++) {
      double xi = x[s->g_var0[g] + j];
      v = excess(xi, cg->components[j].lo, cg->components[j].hi);
      if (!(v <= vmax)) vmax = v;
      sum += xi;
    }
    v = fabs(sum - cg->total);
    if (!(v <= vmax)) vmax = v;
  }
  if (s->cons) {
    v = invdes_constraint_eval_violation(w->ce, x, 0, NULL);
    if (!(v <= vmax)) vmax = v;
  }
  return vmax;
}

int invdes_space_format_value(const invdes_space *s, size_t i, double v,
                              char *buf, size_t n) {
  const invdes_campaign *c = s->c;
  if (s->pool) {
    if (v >= 0 && v < (double)c->pool->n_rows && c->pool->ids)
      return snprintf(buf, n, "%s", c->pool->ids[(size_t)v]);
    return snprintf(buf, n, "%.10g", v);
  }
  if (i < c->n_params) {
    const invdes_param *p = &c->params[i];
    if (p->type == INVDES_PARAM_CATEGORICAL && v >= 0 &&
        v < (double)p->n_values)
      return snprintf(buf, n, "%s", p->labels[(size_t)v]);
    if (p->type == INVDES_PARAM_INTEGER && fabs(v) < 9e15)
      return snprintf(buf, n, "%.0f", v);
  }
  return snprintf(buf, n, "%.10g", v);
}
