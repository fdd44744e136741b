/* grid.c — the grid strategy: a full factorial design handed out in a
 * fixed order.
 *
 * The grid crosses the levels of each factor, the parameters first and then
 * the composition groups (the order of x), the last factor varying fastest:
 *  - a discrete or categorical parameter: all its values, in their order;
 *  - an integer parameter: all its integers, or, when it has more than
 *    `levels`, that many spread evenly over its range and rounded (spread
 *    evenly in log with `scale: log`), each once;
 *  - a continuous parameter: `levels` values evenly spaced from its lower to
 *    its upper bound (log-spaced with `scale: log`);
 *  - a composition group: the simplex lattice of `levels` steps, each
 *    component a multiple of total/(levels-1) within its bounds, the amounts
 *    summing to the total (the last component is the total minus the
 *    others, so the sum is exact), in lexicographic order.
 * A combination that misses a constraint (or, by rounding, a bound) is left
 * out. `levels` has a default for the campaign and may be given per
 * continuous or integer parameter and per composition (`levels_of`). Over a
 * pool the grid is the pool itself, in row order.
 *
 * An ask hands out the first grid points that are neither told, pending nor
 * already in the batch: a pure function of the history and the pending
 * points (way (a) of strategy.h), so a resumed campaign continues exactly
 * and the grid keeps no state. When every point is taken nothing is left
 * (invdes_strategy_remaining gives 0) and a driver stops. A grid of more
 * than GRID_MAX combinations, or a composition without a lattice point in
 * its bounds, is refused when the campaign is loaded (grid_check) and again
 * when the strategy is made, with its size, before anything is allocated
 * for the grid. */
#include "strategy_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GRID_MAX 100000        /* combinations a grid may have */
#define GRID_LEVELS_MAX 10000  /* levels of one factor */
#define GRID_LEVELS_DEFAULT 5
#define GRID_TOO_LARGE                                                                    \
  "the grid has %.0f combinations, more than the %d a grid may have: lower "              \
  "strategy.grid.levels or give some parameters fewer (levels_of)"
#define GRID_NO_LATTICE                                                                   \
  "the grid has no point for the composition '%s': no lattice point of %d levels lies "   \
  "within its components' bounds (give it more levels)"

/* ---- options ------------------------------------------------------------- */

typedef struct grid_options {
  int levels;                  /* default levels, >= 2 */
  size_t n_named;
  char **names;                /* `levels_of`: parameter or composition */
  int *named;                  /* its levels, >= 2 */
} grid_options;

static const grid_options grid_defaults = {GRID_LEVELS_DEFAULT, 0, NULL, NULL};

static void *grid_options_new(void) {
  return invdes_strategy_options_dup(&grid_defaults, sizeof grid_defaults);
}

static void grid_options_free(void *options) {
  grid_options *o = options;
  if (!o) return;
  for (size_t i = 0; i < o->n_named; i++) free(o->names[i]);
  free(o->names);
  free(o->named);
  free(o);
}

/* NULL when `name` may have levels of its own (a continuous or integer
 * parameter, a composition), else why not. */
static const char *why_not_named(const invdes_campaign *c, const char *name) {
  for (size_t i = 0; i < c->n_params; i++)
    if (c->params[i].name && strcmp(c->params[i].name, name) == 0)
      return c->params[i].type == INVDES_PARAM_CONTINUOUS ||
                     c->params[i].type == INVDES_PARAM_INTEGER
                 ? NULL
                 : "is a discrete or categorical parameter: the grid takes all its values";
  for (size_t g = 0; g < c->n_compositions; g++)
    if (c->compositions[g].name && strcmp(c->compositions[g].name, name) == 0) return NULL;
  return "is not a parameter or a composition of this campaign";
}

static void read_levels_of(invdes_cload *L, const invdes_ynode *v, grid_options *o) {
  if (!invdes_cload_expect_mapping(L, v, "'levels_of'")) return;
  o->names = calloc(v->n + 1, sizeof *o->names);
  o->named = calloc(v->n + 1, sizeof *o->named);
  if (!o->names || !o->named) {
    invdes_cload_nomem(L);
    return;
  }
  for (size_t i = 0; i < v->n; i++) {
    const char *name = v->keys[i]->text, *why = why_not_named(L->c, name);
    if (why) {
      invdes_cload_error(L, v->keys[i], INVDES_ERR_INVALID, "'levels_of' names '%s', which %s",
                         name, why);
      continue;
    }
    char what[100];
    snprintf(what, sizeof what, "the levels of '%.60s'", name);
    if (!invdes_cload_int(L, v->items[i], what, 2, GRID_LEVELS_MAX, &o->named[o->n_named]))
      continue;
    if (!(o->names[o->n_named] = invdes_cload_strdup(L, name))) return;
    o->n_named++;
  }
}

static void grid_check(invdes_cload *L, const invdes_ynode *strategy, const grid_options *o);

static void grid_options_read(invdes_cload *L, const invdes_ynode *strategy, void *options) {
  static const char *const keys[] = {"levels", "levels_of", NULL};
  grid_options *o = options;
  const invdes_ynode *n = invdes_cload_get(strategy, "grid"), *v;
  if (n && invdes_cload_expect_mapping(L, n, "'grid'")) {
    invdes_cload_keys(L, n, "strategy.grid", keys);
    if ((v = invdes_cload_get(n, "levels")))
      invdes_cload_int(L, v, "'levels'", 2, GRID_LEVELS_MAX, &o->levels);
    if ((v = invdes_cload_get(n, "levels_of"))) read_levels_of(L, v, o);
  }
  if (!L->n_errors && !L->nomem) grid_check(L, strategy, o);
}

static void grid_options_describe(const void *options, char *buf, size_t size) {
  const grid_options *o = options ? options : &grid_defaults;
  size_t len = (size_t)snprintf(buf, size, "levels %d", o->levels);
  for (size_t i = 0; i < o->n_named && len < size; i++)
    len += (size_t)snprintf(buf + len, size - len, "%s%s %d", i ? ", " : ", levels_of ",
                            o->names[i], o->named[i]);
}

static int levels_of(const grid_options *o, const char *name) {
  for (size_t i = 0; name && i < o->n_named; i++)
    if (strcmp(o->names[i], name) == 0) return o->named[i];
  return o->levels;
}

/* ---- the factors ------------------------------------------------------------ */

/* One factor: its levels, each `width` values of x from `off` on. */
typedef struct grid_factor {
  size_t off, width, n;
  double *v;                   /* n × width */
} grid_factor;

typedef struct grid_impl {
  size_t n;                    /* feasible grid points */
  double *x;                   /* n × n_vars */
  double *z;                   /* n × dim */
} grid_impl;

/* Value i of `levels` spread over [lo, hi], evenly or (log) geometrically,
 * the bounds exact. */
static double spread(double lo, double hi, int log_scale, size_t i, size_t levels) {
  if (i == 0) return lo;
  if (i + 1 == levels) return hi;
  double t = (double)i / (double)(levels - 1);
  return log_scale ? exp(log(lo) + t * (log(hi) - log(lo))) : lo + t * (hi - lo);
}

/* The levels of parameter p into f->v (allocated here, at most `levels` or
 * the parameter's values). */
static int param_levels(const invdes_param *p, int levels, grid_factor *f) {
  size_t cap = p->type == INVDES_PARAM_DISCRETE || p->type == INVDES_PARAM_CATEGORICAL
                   ? p->n_values : (size_t)levels;
  double lo = ceil(p->lo), hi = floor(p->hi);
  if (p->type == INVDES_PARAM_INTEGER && hi - lo + 1 <= (double)levels) cap = (size_t)(hi - lo + 1);
  if (!(f->v = malloc((cap + 1) * sizeof *f->v))) return -1;
  f->width = 1;
  f->n = 0;
  for (size_t i = 0; i < cap; i++) {
    double v;
    switch (p->type) {
    case INVDES_PARAM_DISCRETE: v = p->values[i]; break;
    case INVDES_PARAM_CATEGORICAL: v = (double)i; break;
    case INVDES_PARAM_INTEGER:
      v = cap < (size_t)levels ? lo + (double)i : round(spread(lo, hi, p->log_scale, i, cap));
      break;
    default: v = spread(p->lo, p->hi, p->log_scale, i, cap);
    }
    if (!f->n || f->v[f->n - 1] != v) f->v[f->n++] = v; /* rounding may repeat */
  }
  return 0;
}

/* Appends to f the lattice points of group g whose amounts lie within their
 * bounds: a holds the multiples chosen for components 0..j-1, `left` of the
 * `steps` steps remain. An amount is m * total / steps, one correctly rounded
 * division (0.3, not 3 * 0.1 = 0.30000000000000004). */
static int lattice(const invdes_composition *g, size_t steps, size_t *a, size_t j, size_t left,
                   grid_factor *f, size_t cap) {
  size_t k = g->n_components;
  if (j + 1 < k) {
    for (size_t m = 0; m <= left; m++) {
      a[j] = m;
      if (lattice(g, steps, a, j + 1, left - m, f, cap)) return -1;
    }
    return 0;
  }
  a[j] = left;
  double *row = f->v + f->n * k, sum = 0;
  for (size_t i = 0; i < k; i++) {
    row[i] = i + 1 < k ? (double)a[i] * g->total / (double)steps : g->total - sum;
    sum += row[i];
    double tol = INVDES_STRATEGY_FEASIBLE_TOL * fmax(1, fabs(g->total));
    if (row[i] < g->components[i].lo - tol || row[i] > g->components[i].hi + tol) return 0;
  }
  if (f->n + 1 > cap) return -1;
  f->n++;
  return 0;
}

/* n choose r as a double (large values only need to compare with GRID_MAX). */
static double choose(double n, double r) {
  double c = 1;
  for (double i = 1; i <= r; i++) c *= (n - r + i) / i;
  return c;
}

static int composition_levels(const invdes_composition *g, int levels, grid_factor *f) {
  size_t k = g->n_components, steps = (size_t)levels - 1;
  size_t cap = (size_t)choose((double)(steps + k - 1), (double)(k - 1)) + 1;
  size_t *a = malloc(k * sizeof *a);
  f->v = malloc((cap * k + 1) * sizeof *f->v);
  f->width = k;
  f->n = 0;
  int rc = !a || !f->v ? -1 : lattice(g, steps, a, 0, steps, f, cap);
  free(a);
  return rc;
}

/* The size of the grid before feasibility, as a double (no overflow). */
static double grid_size(const invdes_campaign *c, const grid_options *o) {
  double size = 1;
  for (size_t i = 0; i < c->n_params; i++) {
    const invdes_param *p = &c->params[i];
    double n = (double)levels_of(o, p->name);
    if (p->type == INVDES_PARAM_DISCRETE || p->type == INVDES_PARAM_CATEGORICAL)
      n = (double)p->n_values;
    else if (p->type == INVDES_PARAM_INTEGER)
      n = fmin(n, floor(p->hi) - ceil(p->lo) + 1);
    size *= n;
  }
  for (size_t g = 0; g < c->n_compositions; g++) {
    double k = (double)c->compositions[g].n_components;
    size *= choose((double)levels_of(o, c->compositions[g].name) - 1 + k - 1, k - 1);
  }
  return size;
}

/* What the loader can tell of the grid, so that `invdes validate` shows it:
 * at most GRID_MAX combinations, and a lattice point within bounds for every
 * composition (the parameters and compositions are read before the
 * strategy, and only when they read without error). grid_init checks both
 * again for a campaign made by hand. */
static void grid_check(invdes_cload *L, const invdes_ynode *strategy, const grid_options *o) {
  const invdes_campaign *c = L->c;
  const invdes_ynode *at = invdes_cload_key_node(strategy, "grid");
  if (!at) at = invdes_cload_get(strategy, "kind");
  double size = grid_size(c, o);
  if (size > GRID_MAX) {
    invdes_cload_error(L, at, INVDES_ERR_INVALID, GRID_TOO_LARGE, size, GRID_MAX);
    return;
  }
  for (size_t g = 0; g < c->n_compositions; g++) {
    const invdes_composition *cg = &c->compositions[g];
    grid_factor f = {0};
    if (composition_levels(cg, levels_of(o, cg->name), &f))
      invdes_cload_nomem(L);
    else if (!f.n)
      invdes_cload_error(L, at, INVDES_ERR_INVALID, GRID_NO_LATTICE, cg->name,
                         levels_of(o, cg->name));
    free(f.v);
  }
}

/* ---- enumeration ------------------------------------------------------------ */

static void factors_free(grid_factor *f, size_t n) {
  for (size_t i = 0; f && i < n; i++) free(f[i].v);
  free(f);
}

static invdes_status factors_build(const invdes_campaign *c, const grid_options *o,
                                   grid_factor *f, invdes_error *err) {
  size_t off = 0;
  for (size_t i = 0; i < c->n_params; i++, off++) {
    f[i].off = off;
    if (param_levels(&c->params[i], levels_of(o, c->params[i].name), &f[i]))
      return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  }
  for (size_t g = 0; g < c->n_compositions; g++) {
    const invdes_composition *cg = &c->compositions[g];
    grid_factor *fg = &f[c->n_params + g];
    fg->off = off;
    off += cg->n_components;
    if (composition_levels(cg, levels_of(o, cg->name), fg))
      return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
    if (!fg->n)
      return invdes_error_set(err, INVDES_ERR_INFEASIBLE, GRID_NO_LATTICE, cg->name,
                              levels_of(o, cg->name));
  }
  return INVDES_OK;
}

/* Walks every combination (last factor fastest), keeping the feasible ones
 * in g with their z. */
static invdes_status enumerate(invdes_strategy *s, const grid_factor *f, size_t nf,
                               size_t total, grid_impl *g, invdes_error *err) {
  size_t *digit = calloc(nf + 1, sizeof *digit);
  double *x = malloc((s->n_vars + 1) * sizeof *x);
  g->x = malloc((total * s->n_vars + 1) * sizeof *g->x);
  g->z = malloc((total * s->dim + 1) * sizeof *g->z);
  invdes_status st = INVDES_OK;
  if (!digit || !x || !g->x || !g->z) st = invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  for (size_t done = 0; !st && done < total; done++) {
    for (size_t i = 0; i < nf; i++)
      memcpy(x + f[i].off, f[i].v + digit[i] * f[i].width, f[i].width * sizeof *x);
    double *z = g->z + g->n * s->dim;
    if (invdes_space_violation(s->space, s->work, x) <= INVDES_STRATEGY_FEASIBLE_TOL &&
        invdes_space_constraints_hold(s->space, s->work, x) &&
        invdes_space_encode(s->space, x, z, NULL) == INVDES_OK) {
      memcpy(g->x + g->n * s->n_vars, x, s->n_vars * sizeof *x);
      g->n++;
    }
    for (size_t i = nf; i-- > 0;) { /* the next combination */
      if (++digit[i] < f[i].n) break;
      digit[i] = 0;
    }
  }
  if (!st && !g->n)
    st = invdes_error_set(err, INVDES_ERR_INFEASIBLE, "none of the grid's %zu combinations "
                          "satisfies the constraints (give it more levels)", total);
  free(digit);
  free(x);
  return st;
}

/* ---- operations ------------------------------------------------------------- */

static void grid_destroy(invdes_strategy *s) {
  grid_impl *g = s->impl;
  if (!g) return;
  free(g->x);
  free(g->z);
  free(g);
  s->impl = NULL;
}

static invdes_status grid_init(invdes_strategy *s, invdes_error *err) {
  const invdes_campaign *c = s->c;
  const grid_options *o = s->spec.options ? s->spec.options : &grid_defaults;
  grid_impl *g = calloc(1, sizeof *g);
  if (!g) return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  s->impl = g;
  if (c->pool) return INVDES_OK; /* the pool's candidates, in row order */
  double size = grid_size(c, o);
  if (size > GRID_MAX)
    return invdes_error_set(err, INVDES_ERR_INVALID, GRID_TOO_LARGE, size, GRID_MAX);
  size_t nf = c->n_params + c->n_compositions;
  grid_factor *f = calloc(nf + 1, sizeof *f);
  if (!f) return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  invdes_status st = factors_build(c, o, f, err);
  size_t total = 1;
  for (size_t i = 0; !st && i < nf; i++) total *= f[i].n;
  if (!st) st = enumerate(s, f, nf, total, g, err);
  factors_free(f, nf);
  return st;
}

static size_t grid_remaining(invdes_strategy *s, const invdes_strategy_ctx *ctx) {
  const grid_impl *g = s->impl;
  if (s->c->pool) return ctx->untaken;
  size_t left = 0;
  for (size_t i = 0; i < g->n; i++) left += (size_t)invdes_strategy_ctx_free_z(s, ctx, g->z + i * s->dim);
  return left;
}

static invdes_status grid_ask(invdes_strategy *s, invdes_strategy_ctx *ctx, size_t n,
                              invdes_proposals *out, invdes_error *err) {
  const grid_impl *g = s->impl;
  if (s->c->pool) {
    for (size_t k = 0; k < s->cands->n_groups && out->n < n; k++)
      while (out->n < n && ctx->count[k] < s->cands->g_size[k]) invdes_strategy_push_group(s, ctx, out, k);
    return INVDES_OK;
  }
  for (size_t i = 0; i < g->n && out->n < n; i++) {
    const double *z = g->z + i * s->dim;
    if (!invdes_strategy_ctx_free_z(s, ctx, z)) continue;
    invdes_status st = invdes_strategy_push(s, ctx, out, g->x + i * s->n_vars, z, err);
    if (st) return st;
  }
  return INVDES_OK;
}

static const char *const grid_keys[] = {"grid", NULL};

const invdes_strategy_type invdes_strategy_grid = {
    .name = "grid", .keys = grid_keys, .options_new = grid_options_new,
    .options_read = grid_options_read, .options_free = grid_options_free,
    .options_describe = grid_options_describe, .flags = INVDES_STRATEGY_POOL,
    .init = grid_init, .destroy = grid_destroy, .ask = grid_ask,
    .remaining = grid_remaining};
