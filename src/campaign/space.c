/* space.c — building a design space from a campaign: layout of the raw and
 * encoded vectors, constraint compilation, the feasible-fraction estimate
 * and the feasible anchor that decode repairs toward.
 *
 * The estimate draws points uniformly from the structural region (bounds,
 * integrality, composition sums; see space.h) on a fixed random stream of
 * the campaign seed: 10,000 points, or up to 200,000 while none is feasible.
 * The anchor is the drawn feasible point with the largest smallest scaled
 * slack over the constraints, i.e. the one deepest inside them, whose
 * encode-decode round trip still satisfies them. For a pool the fraction is
 * the exact share of rows whose features satisfy the constraints. Encoding
 * and decoding live in space_codec.c; sampling in sample.c. */
#include "space_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

#define EST_SAMPLES 10000
#define EST_MAX_SAMPLES 200000
#define ANCHOR_CANDIDATES 16
/* 2^53: integers beyond it are not all doubles. */
#define INTEGER_LIMIT 9007199254740992.0
/* stream id of the feasibility estimate ("space" in ASCII) */
#define FEASIBILITY_STREAM UINT64_C(0x7370616365)

static invdes_status bad(invdes_error *err, invdes_status st,
                         const invdes_campaign *c, invdes_mark m,
                         const char *what, const char *name) {
  return invdes_error_at(err, st, c->path, m.line, m.column, "%s '%s'", what,
                         name);
}

static invdes_status layout_params(invdes_space *s, invdes_error *err) {
  const invdes_campaign *c = s->c;
  size_t zi = 0;
  for (size_t i = 0; i < c->n_params; i++) {
    const invdes_param *p = &c->params[i];
    s->names[i] = p->name;
    s->pz[i] = zi;
    switch (p->type) {
    case INVDES_PARAM_CONTINUOUS:
    case INVDES_PARAM_INTEGER:
      if (!(p->lo < p->hi) || !isfinite(p->hi - p->lo))
        return bad(err, INVDES_ERR_INVALID, c, p->mark,
                   "bounds must be finite with lower < upper, and their "
                   "difference finite, for", p->name);
      if (p->type == INVDES_PARAM_INTEGER &&
          (p->lo < -INTEGER_LIMIT || p->hi > INTEGER_LIMIT))
        return bad(err, INVDES_ERR_INVALID, c, p->mark,
                   "integer bounds must lie within +-2^53 (where a double "
                   "holds every whole number) for", p->name);
      if (p->log_scale && p->lo <= 0)
        return bad(err, INVDES_ERR_INVALID, c, p->mark,
                   "a log scale needs a lower bound > 0 for", p->name);
      if (p->type == INVDES_PARAM_INTEGER) {
        s->ilo[i] = (long)ceil(p->lo);
        s->ihi[i] = (long)floor(p->hi);
        if (s->ilo[i] > s->ihi[i])
          return bad(err, INVDES_ERR_INVALID, c, p->mark,
                     "no whole number lies within the bounds of", p->name);
      }
      zi += 1;
      break;
    case INVDES_PARAM_DISCRETE:
    case INVDES_PARAM_CATEGORICAL:
      if (p->n_values == 0)
        return bad(err, INVDES_ERR_INVALID, c, p->mark, "no values for",
                   p->name);
      zi += p->type == INVDES_PARAM_DISCRETE ? 1 : p->n_values;
      break;
    }
  }
  s->dim = zi;
  s->cube_dim = c->n_params;
  return INVDES_OK;
}

static invdes_status layout_groups(invdes_space *s, invdes_error *err) {
  const invdes_campaign *c = s->c;
  size_t xi = c->n_params;
  for (size_t g = 0; g < c->n_compositions; g++) {
    const invdes_composition *cg = &c->compositions[g];
    size_t k = cg->n_components;
    double *lo = malloc((k + 1) * sizeof *lo);
    double *hi = malloc((k + 1) * sizeof *hi);
    if (!lo || !hi) {
      free(lo);
      free(hi);
      return invdes_error_add(err, INVDES_ERR_NOMEM, "out of memory");
    }
    double slo = 0, shi = 0;
    for (size_t j = 0; j < k; j++) {
      lo[j] = cg->components[j].lo;
      hi[j] = cg->components[j].hi;
      slo += lo[j];
      shi += hi[j];
      s->names[xi + j] = cg->components[j].name;
    }
    double tol = 1e-12 * (1 + fabs(cg->total));
    if (k == 0 || slo > cg->total + tol || shi < cg->total - tol) {
      free(lo);
      free(hi);
      return invdes_error_at(err, INVDES_ERR_INVALID, c->path, cg->mark.line,
                             cg->mark.column, "composition '%s': its "
                             "components' bounds cannot reach the total %g "
                             "(lower bounds sum to %g, upper to %g)",
                             cg->name, cg->total, slo, shi);
    }
    s->groups[g] = invdes_simplex_new(lo, hi, k, cg->total);
    free(lo);
    free(hi);
    if (!s->groups[g])
      return invdes_error_add(err, INVDES_ERR_NOMEM, "out of memory");
    s->g_var0[g] = xi;
    s->g_z0[g] = s->dim;
    s->g_u0[g] = s->cube_dim;
    xi += k;
    s->dim += k;
    s->cube_dim += k - 1;
  }
  return INVDES_OK;
}

static invdes_status infeasible_report(const invdes_space *s, size_t tried,
                                       const size_t *held,
                                       invdes_error *err) {
  const invdes_campaign *c = s->c;
  invdes_error_at(err, INVDES_ERR_INFEASIBLE, c->path,
                  c->constraints[0].mark.line, c->constraints[0].mark.column,
                  "no feasible point found: none of %zu points drawn "
                  "uniformly within the bounds and composition groups "
                  "satisfies every constraint", tried);
  for (size_t i = 0; i < c->n_constraints; i++) {
    int eq = invdes_constraint_cmp(s->cons, i) == INVDES_CMP_EQ &&
             !(c->constraints[i].tol > 0);
    invdes_error_at(err, INVDES_ERR_INFEASIBLE, c->path,
                    c->constraints[i].mark.line, c->constraints[i].mark.column,
                    "constraint \"%s\" holds at %zu of them%s",
                    c->constraints[i].text, held[i],
                    eq ? "; an equality (==) without a tolerance must hold "
                         "to 1e-9*max(1,|rhs|), which sampling cannot hit: "
                         "give it `tol:`" : "");
  }
  return INVDES_ERR_INFEASIBLE;
}

/* Feasible-fraction estimate and anchor for a parameter space. */
static invdes_status find_feasible(invdes_space *s, invdes_error *err) {
  size_t nv = s->n_vars, nc = s->c->n_constraints;
  invdes_status st = INVDES_OK;
  invdes_space_work *w = invdes_space_work_new(s);
  gsl_rng *r = invdes_rng_new(s->c->seed, FEASIBILITY_STREAM);
  double *u = malloc((s->cube_dim + 1) * sizeof *u);
  double *x = malloc(nv * sizeof *x);
  double *cand = malloc(ANCHOR_CANDIDATES * nv * sizeof *cand);
  double cslack[ANCHOR_CANDIDATES];
  size_t *held = calloc(nc + 1, sizeof *held);
  size_t n_cand = 0, tried = 0, ok = 0, rejected = 0;
  if (!w || !r || !u || !x || !cand || !held) {
    st = invdes_error_add(err, INVDES_ERR_NOMEM, "out of memory");
    goto done;
  }
  while (tried < EST_SAMPLES || (ok == 0 && tried < EST_MAX_SAMPLES)) {
    for (size_t j = 0; j < s->cube_dim; j++) u[j] = gsl_rng_uniform(r);
    if (!invdes_space_from_cube(s, u, x)) {
      if (++rejected > 100 * (size_t)EST_MAX_SAMPLES) break;
      continue;
    }
    tried++;
    double smin = INFINITY;
    for (size_t i = 0; i < nc; i++) {
      double sl = invdes_constraint_eval_slack(w->ce, i, x);
      if (sl >= 0) held[i]++;
      if (sl < smin) smin = sl;
    }
    if (!(smin >= 0)) continue;
    ok++;
    /* keep the ANCHOR_CANDIDATES deepest points, deepest first */
    size_t pos = n_cand;
    while (pos > 0 && cslack[pos - 1] < smin) pos--;
    if (pos >= ANCHOR_CANDIDATES) continue;
    size_t last = n_cand < ANCHOR_CANDIDATES ? n_cand : ANCHOR_CANDIDATES - 1;
    memmove(cand + (pos + 1) * nv, cand + pos * nv,
            (last - pos) * nv * sizeof *x);
    memmove(cslack + pos + 1, cslack + pos, (last - pos) * sizeof *cslack);
    memcpy(cand + pos * nv, x, nv * sizeof *x);
    cslack[pos] = smin;
    if (n_cand < ANCHOR_CANDIDATES) n_cand++;
  }
  s->frac_n = tried;
  s->frac = tried ? (double)ok / (double)tried : 0;
  if (ok == 0) {
    st = infeasible_report(s, tried, held, err);
    goto done;
  }
  for (size_t k = 0; k < n_cand; k++) {
    if (invdes_space_encode(s, cand + k * nv, s->anchor_z, NULL)) continue;
    invdes_space_decode_structural(s, s->anchor_z, s->anchor_x);
    if (invdes_space_constraints_hold(s, w, s->anchor_x)) goto done;
  }
  st = invdes_error_add(err, INVDES_ERR_INFEASIBLE, "%s: feasible points "
                        "were found but none stays feasible after encoding "
                        "and decoding", s->c->path);
done:
  invdes_space_work_free(w);
  if (r) gsl_rng_free(r);
  free(u);
  free(x);
  free(cand);
  free(held);
  return st;
}

static invdes_status pool_setup(invdes_space *s, invdes_error *err) {
  const invdes_campaign *c = s->c;
  const invdes_pool *p = c->pool;
  size_t F = p->n_features;
  s->pool = 1;
  s->n_vars = 1;
  s->dim = s->cube_dim = F;
  s->names[0] = p->id_column ? p->id_column : "row";
  if (p->n_rows == 0)
    return invdes_error_at(err, INVDES_ERR_INVALID, c->path, p->mark.line,
                           p->mark.column, "the pool '%s' has no rows",
                           p->file ? p->file : "");
  s->fmin = malloc((F + 1) * sizeof *s->fmin);
  s->fspan = malloc((F + 1) * sizeof *s->fspan);
  s->row_ok = malloc(p->n_rows);
  if (!s->fmin || !s->fspan || !s->row_ok)
    return invdes_error_add(err, INVDES_ERR_NOMEM, "out of memory");
  for (size_t f = 0; f < F; f++) {
    double lo = INFINITY, hi = -INFINITY;
    for (size_t r = 0; r < p->n_rows; r++) {
      double v = p->x[r * F + f];
      lo = v < lo ? v : lo;
      hi = v > hi ? v : hi;
    }
    s->fmin[f] = lo;
    s->fspan[f] = hi - lo;
  }
  invdes_constraint_eval *ce = NULL;
  if (s->cons && !(ce = invdes_constraint_eval_new(s->cons)))
    return invdes_error_add(err, INVDES_ERR_NOMEM, "out of memory");
  size_t *held = calloc(c->n_constraints + 1, sizeof *held);
  if (!held) {
    invdes_constraint_eval_free(ce);
    return invdes_error_add(err, INVDES_ERR_NOMEM, "out of memory");
  }
  s->n_ok = 0;
  for (size_t r = 0; r < p->n_rows; r++) {
    int ok = 1;
    for (size_t i = 0; ce && i < c->n_constraints; i++) {
      if (invdes_constraint_eval_one(ce, i, p->x + r * F, NULL, NULL) == 0)
        held[i]++;
      else
        ok = 0;
    }
    s->row_ok[r] = (unsigned char)ok;
    if (ok && s->n_ok++ == 0) s->anchor_x[0] = (double)r;
  }
  invdes_constraint_eval_free(ce);
  s->frac_n = p->n_rows;
  s->frac = (double)s->n_ok / (double)p->n_rows;
  invdes_status st = INVDES_OK;
  if (s->n_ok == 0) {
    invdes_error_at(err, INVDES_ERR_INFEASIBLE, c->path,
                    c->constraints[0].mark.line, c->constraints[0].mark.column,
                    "no feasible point found: none of the pool's %zu rows "
                    "satisfies every constraint", p->n_rows);
    for (size_t i = 0; i < c->n_constraints; i++)
      invdes_error_at(err, INVDES_ERR_INFEASIBLE, c->path,
                      c->constraints[i].mark.line,
                      c->constraints[i].mark.column,
                      "constraint \"%s\" holds at %zu of them",
                      c->constraints[i].text, held[i]);
    st = INVDES_ERR_INFEASIBLE;
  } else {
    st = invdes_space_encode(s, s->anchor_x, s->anchor_z, err);
  }
  free(held);
  return st;
}

invdes_space *invdes_space_new(const invdes_campaign *c, invdes_error *err) {
  invdes_space *s = calloc(1, sizeof *s);
  if (!s) goto nomem;
  s->c = c;
  size_t nv = c->n_params, np = c->n_params + 1, ng = c->n_compositions + 1;
  for (size_t g = 0; g < c->n_compositions; g++)
    nv += c->compositions[g].n_components;
  if (c->pool) nv = 1;
  s->n_vars = nv;
  s->names = calloc(nv + 1, sizeof *s->names);
  s->pz = calloc(np, sizeof *s->pz);
  s->ilo = calloc(np, sizeof *s->ilo);
  s->ihi = calloc(np, sizeof *s->ihi);
  s->groups = calloc(ng, sizeof *s->groups);
  s->g_var0 = calloc(ng, sizeof *s->g_var0);
  s->g_z0 = calloc(ng, sizeof *s->g_z0);
  s->g_u0 = calloc(ng, sizeof *s->g_u0);
  s->anchor_x = calloc(nv + 1, sizeof *s->anchor_x);
  if (!s->names || !s->pz || !s->ilo || !s->ihi || !s->groups || !s->g_var0 ||
      !s->g_z0 || !s->g_u0 || !s->anchor_x)
    goto nomem;
  const char *const *cnames = (const char *const *)s->names;
  size_t n_cnames = nv;
  if (c->pool) {
    cnames = (const char *const *)c->pool->features;
    n_cnames = c->pool->n_features;
  } else if (layout_params(s, err) || layout_groups(s, err)) {
    goto fail;
  }
  if (c->n_constraints &&
      !(s->cons = invdes_constraint_set_new(c->constraints, c->n_constraints,
                                            c->path, cnames, n_cnames, err)))
    goto fail;
  if (c->pool) s->dim = c->pool->n_features;
  if (!(s->anchor_z = calloc(s->dim + 1, sizeof *s->anchor_z))) goto nomem;
  if (c->pool) {
    if (pool_setup(s, err)) goto fail;
  } else if (s->cons) {
    if (find_feasible(s, err)) goto fail;
  } else {
    s->frac = 1;
    for (size_t j = 0; j < s->dim; j++) s->anchor_z[j] = 0.5;
    invdes_space_decode_structural(s, s->anchor_z, s->anchor_x);
    if (invdes_space_encode(s, s->anchor_x, s->anchor_z, err)) goto fail;
  }
  return s;
nomem:
  invdes_error_add(err, INVDES_ERR_NOMEM, "out of memory");
fail:
  invdes_space_free(s);
  return NULL;
}

void invdes_space_free(invdes_space *s) {
  if (!s) return;
  for (size_t g = 0; s->groups && g < s->c->n_compositions; g++)
    invdes_simplex_free(s->groups[g]);
  invdes_constraint_set_free(s->cons);
  free(s->names);
  free(s->pz);
  free(s->ilo);
  free(s->ihi);
  free(s->groups);
  free(s->g_var0);
  free(s->g_z0);
  free(s->g_u0);
  free(s->anchor_x);
  free(s->anchor_z);
  free(s->fmin);
  free(s->fspan);
  free(s->row_ok);
  free(s);
}

invdes_space_work *invdes_space_work_new(const invdes_space *s) {
  invdes_space_work *w = calloc(1, sizeof *w);
  if (!w) return NULL;
  w->s = s;
  w->x = malloc((s->n_vars + 1) * sizeof *w->x);
  w->z = malloc((s->dim + 1) * sizeof *w->z);
  if (!w->x || !w->z || (s->cons && !s->pool &&
                         !(w->ce = invdes_constraint_eval_new(s->cons)))) {
    invdes_space_work_free(w);
    return NULL;
  }
  return w;
}

void invdes_space_work_free(invdes_space_work *w) {
  if (!w) return;
  invdes_constraint_eval_free(w->ce);
  free(w->x);
  free(w->z);
  free(w);
}

size_t invdes_space_dim(const invdes_space *s) { return s->dim; }
size_t invdes_space_n_vars(const invdes_space *s) { return s->n_vars; }
size_t invdes_space_cube_dim(const invdes_space *s) { return s->cube_dim; }
const char *invdes_space_var_name(const invdes_space *s, size_t i) {
  return i < s->n_vars ? s->names[i] : NULL;
}
const invdes_campaign *invdes_space_campaign(const invdes_space *s) {
  return s->c;
}
double invdes_space_feasible_fraction(const invdes_space *s) { return s->frac; }
size_t invdes_space_feasible_samples(const invdes_space *s) {
  return s->frac_n;
}
const double *invdes_space_anchor(const invdes_space *s) { return s->anchor_x; }
int invdes_space_is_pool(const invdes_space *s) { return s->pool; }
size_t invdes_space_pool_feasible_rows(const invdes_space *s) {
  return s->n_ok;
}
int invdes_space_pool_row_feasible(const invdes_space *s, size_t row) {
  return s->pool && row < s->c->pool->n_rows && s->row_ok[row];
}
