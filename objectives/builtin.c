/* builtin.c — the benchmark functions, their registry table, and the
 * objective kind `builtin` that evaluates one of them (objective.h).
 *
 * Definitions follow the usual forms of the optimization test-function
 * literature (Surjanovic & Bingham's Virtual Library of Simulation
 * Experiments): Branin-Hoo with its standard constants, Hartmann 6-D with the
 * standard alpha, A and P, Ackley with a = 20, b = 0.2, c = 2 pi, Rosenbrock's
 * valley summed over neighbouring pairs, and Levy in its d-dimensional form.
 * The functions are pure and the table constant; they allocate nothing
 * except scratch for a shifted evaluation in more than 64 dimensions.
 *
 * The objective kind (at the end): `name`, an optional `shift` and `noise`,
 * the standard deviation of Gaussian noise drawn from the stream (seed,
 * stream_id(NOISE_TAG, proposal id)), so that a proposal evaluated again
 * after a resume gets the same value. The values are the campaign's targets
 * in order (one, or each objective of a multi-objective function); the
 * function sees the raw point (parameters, then components). */
#include "builtin.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "objective.h"
#include "rng.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif
#ifndef M_E
#define M_E 2.7182818284590452354
#endif

static void fill(size_t d, double *x, double v) {
  for (size_t i = 0; i < d; i++)
    x[i] = v;
}

static void fill_box(size_t d, double *lo, double *hi, double a, double b) {
  fill(d, lo, a);
  fill(d, hi, b);
}

/* --- Branin-Hoo: 2-D, three global minimisers, f* = 5 / (4 pi). ---------- */

static void branin_domain(size_t d, double *lo, double *hi) {
  (void)d;
  lo[0] = -5.0;
  hi[0] = 10.0;
  lo[1] = 0.0;
  hi[1] = 15.0;
}

static void branin_argmin(size_t d, double *x) {
  (void)d;
  x[0] = M_PI;
  x[1] = 2.275;
}

static double branin_eval(const double *x, size_t d) {
  (void)d;
  const double b = 5.1 / (4.0 * M_PI * M_PI), c = 5.0 / M_PI, r = 6.0, s = 10.0,
               t = 1.0 / (8.0 * M_PI);
  double q = x[1] - b * x[0] * x[0] + c * x[0] - r;
  return q * q + s * (1.0 - t) * cos(x[0]) + s;
}

/* --- Hartmann 6-D on [0,1]^6. -------------------------------------------- */

static const double hart_alpha[4] = {1.0, 1.2, 3.0, 3.2};
static const double hart_A[4][6] = {{10.0, 3.0, 17.0, 3.5, 1.7, 8.0},
                                    {0.05, 10.0, 17.0, 0.1, 8.0, 14.0},
                                    {3.0, 3.5, 1.7, 10.0, 17.0, 8.0},
                                    {17.0, 8.0, 0.05, 10.0, 0.1, 14.0}};
static const double hart_P[4][6] = {{0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886},
                                    {0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991},
                                    {0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650},
                                    {0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381}};

static void unit_domain(size_t d, double *lo, double *hi) { fill_box(d, lo, hi, 0.0, 1.0); }

static void hartmann6_argmin(size_t d, double *x) {
  (void)d;
  static const double xs[6] = {0.20168950934703, 0.15001069043144, 0.47687397266175,
                               0.27533243050599, 0.31165161480992, 0.65730053281543};
  memcpy(x, xs, sizeof xs);
}

static double hartmann6_eval(const double *x, size_t d) {
  (void)d;
  double f = 0.0;
  for (int i = 0; i < 4; i++) {
    double e = 0.0;
    for (int j = 0; j < 6; j++) {
      double u = x[j] - hart_P[i][j];
      e += hart_A[i][j] * u * u;
    }
    f -= hart_alpha[i] * exp(-e);
  }
  return f;
}

/* --- Ackley, any d >= 1, minimum 0 at the origin. ------------------------ */

static void ackley_domain(size_t d, double *lo, double *hi) {
  fill_box(d, lo, hi, -32.768, 32.768);
}

static void zero_argmin(size_t d, double *x) { fill(d, x, 0.0); }

static double ackley_eval(const double *x, size_t d) {
  const double a = 20.0, b = 0.2, c = 2.0 * M_PI;
  double s2 = 0.0, sc = 0.0;
  for (size_t i = 0; i < d; i++) {
    s2 += x[i] * x[i];
    sc += cos(c * x[i]);
  }
  double f = -a * exp(-b * sqrt(s2 / (double)d)) - exp(sc / (double)d) + a + M_E;
  /* exp(1) and M_E differ in the last bit on some libms: never report below 0. */
  return f < 0.0 ? 0.0 : f;
}

/* --- Rosenbrock, any d >= 2, minimum 0 at (1, ..., 1). -------------------- */

static void rosenbrock_domain(size_t d, double *lo, double *hi) {
  fill_box(d, lo, hi, -2.048, 2.048);
}

static void one_argmin(size_t d, double *x) { fill(d, x, 1.0); }

static double rosenbrock_eval(const double *x, size_t d) {
  double f = 0.0;
  for (size_t i = 0; i + 1 < d; i++) {
    double u = x[i + 1] - x[i] * x[i], v = 1.0 - x[i];
    f += 100.0 * u * u + v * v;
  }
  return f;
}

/* --- Levy, any d >= 1, minimum 0 at (1, ..., 1). ------------------------- */

static void levy_domain(size_t d, double *lo, double *hi) { fill_box(d, lo, hi, -10.0, 10.0); }

static double levy_eval(const double *x, size_t d) {
  double w1 = 1.0 + (x[0] - 1.0) / 4.0;
  double s = sin(M_PI * w1);
  double f = s * s;
  for (size_t i = 0; i + 1 < d; i++) {
    double w = 1.0 + (x[i] - 1.0) / 4.0;
    double si = sin(M_PI * w + 1.0);
    f += (w - 1.0) * (w - 1.0) * (1.0 + 10.0 * si * si);
  }
  double wd = 1.0 + (x[d - 1] - 1.0) / 4.0;
  double sd = sin(2.0 * M_PI * wd);
  f += (wd - 1.0) * (wd - 1.0) * (1.0 + sd * sd);
  return f;
}

/* --- Two-objective problems (the first objective is `eval`, both are
 * `eval_all`'s). Definitions as BoTorch's test_functions.multi_objective. -- */

/* BraninCurrin on [0,1]^2: Branin on the rescaled point (15 x0 - 5, 15 x1)
 * and Currin's exponential function; both minimized. */
static double currin_eval(const double *x) {
  double f1 = 1.0 - exp(-1.0 / (2.0 * x[1])); /* x1 = 0: exp(-inf) = 0 */
  double num = 2300.0 * x[0] * x[0] * x[0] + 1900.0 * x[0] * x[0] + 2092.0 * x[0] + 60.0;
  double den = 100.0 * x[0] * x[0] * x[0] + 500.0 * x[0] * x[0] + 4.0 * x[0] + 20.0;
  return f1 * num / den;
}

static double branincurrin_eval(const double *x, size_t d) {
  (void)d;
  double u[2] = {15.0 * x[0] - 5.0, 15.0 * x[1]};
  return branin_eval(u, 2);
}

static void branincurrin_all(const double *x, size_t d, double *f) {
  f[0] = branincurrin_eval(x, d);
  f[1] = currin_eval(x);
}

static void branincurrin_argmin(size_t d, double *x) {
  (void)d;
  x[0] = (M_PI + 5.0) / 15.0;
  x[1] = 2.275 / 15.0;
}

/* DTLZ2 with two objectives, any d >= 2 on [0,1]^d:
 * g = sum_{i>=1} (x_i - 0.5)^2, f = (1 + g) (cos(pi x0 / 2), sin(pi x0 / 2)). */
static double dtlz2_g(const double *x, size_t d) {
  double g = 0.0;
  for (size_t i = 1; i < d; i++) g += (x[i] - 0.5) * (x[i] - 0.5);
  return g;
}

static double dtlz2_eval(const double *x, size_t d) {
  return (1.0 + dtlz2_g(x, d)) * cos(0.5 * M_PI * x[0]);
}

static void dtlz2_all(const double *x, size_t d, double *f) {
  double g = dtlz2_g(x, d);
  f[0] = (1.0 + g) * cos(0.5 * M_PI * x[0]);
  f[1] = (1.0 + g) * sin(0.5 * M_PI * x[0]);
}

static void dtlz2_argmin(size_t d, double *x) {
  fill(d, x, 0.5);
  x[0] = 1.0;
}

/* ZDT1, any d >= 2 on [0,1]^d: f1 = x0, g = 1 + 9 sum_{i>=1} x_i / (d - 1),
 * f2 = g (1 - sqrt(f1 / g)). */
static double zdt1_eval(const double *x, size_t d) {
  (void)d;
  return x[0];
}

static void zdt1_all(const double *x, size_t d, double *f) {
  double g = 0.0;
  for (size_t i = 1; i < d; i++) g += x[i];
  g = 1.0 + 9.0 * g / (double)(d - 1);
  f[0] = x[0];
  f[1] = g * (1.0 - sqrt(x[0] / g));
}

/* --- the registry -------------------------------------------------------- */

static const invdes_builtin registry[] = {
    {"branin", 2, 2, branin_domain, 0.39788735772973816, branin_argmin, branin_eval,
     "Branin-Hoo, 2-D on [-5,10]x[0,15]; three global minima f* = 0.397887 at "
     "(-pi, 12.275), (pi, 2.275), (9.42478, 2.475)", 0, NULL},
    {"hartmann6", 6, 6, unit_domain, -3.32236801141551, hartmann6_argmin, hartmann6_eval,
     "Hartmann 6-D on [0,1]^6; f* = -3.32237 at (0.20169, 0.150011, 0.476874, "
     "0.275332, 0.311652, 0.6573); six local minima", 0, NULL},
    {"ackley", 0, 1, ackley_domain, 0.0, zero_argmin, ackley_eval,
     "Ackley (a=20, b=0.2, c=2pi), any d on [-32.768,32.768]^d; f* = 0 at the origin; "
     "many local minima", 0, NULL},
    {"rosenbrock", 0, 2, rosenbrock_domain, 0.0, one_argmin, rosenbrock_eval,
     "Rosenbrock, any d >= 2 on [-2.048,2.048]^d; f* = 0 at (1,...,1) in a curved "
     "narrow valley", 0, NULL},
    {"levy", 0, 1, levy_domain, 0.0, one_argmin, levy_eval,
     "Levy, any d on [-10,10]^d; f* = 0 at (1,...,1); many local minima", 0, NULL},
    {"branincurrin", 2, 2, unit_domain, 0.39788735772973816, branincurrin_argmin,
     branincurrin_eval,
     "BraninCurrin (BoTorch), 2-D on [0,1]^2, two objectives minimized: Branin at "
     "(15 x0 - 5, 15 x1) and Currin; hypervolume to (18, 6) at most 59.36",
     2, branincurrin_all},
    {"dtlz2", 0, 2, unit_domain, 0.0, dtlz2_argmin, dtlz2_eval,
     "DTLZ2 with two objectives, any d >= 2 on [0,1]^d, both minimized; front: the "
     "quarter circle f1^2 + f2^2 = 1 (x1.. = 0.5)",
     2, dtlz2_all},
    {"zdt1", 0, 2, unit_domain, 0.0, zero_argmin, zdt1_eval,
     "ZDT1, any d >= 2 on [0,1]^d, two objectives minimized; front: f2 = 1 - sqrt(f1) "
     "(x1.. = 0)",
     2, zdt1_all},
};

size_t invdes_builtin_count(void) { return sizeof registry / sizeof registry[0]; }

const invdes_builtin *invdes_builtin_at(size_t i) {
  return i < invdes_builtin_count() ? &registry[i] : NULL;
}

const invdes_builtin *invdes_builtin_find(const char *name) {
  if (!name)
    return NULL;
  for (size_t i = 0; i < invdes_builtin_count(); i++)
    if (strcmp(registry[i].name, name) == 0)
      return &registry[i];
  return NULL;
}

int invdes_builtin_accepts(const invdes_builtin *b, size_t d) {
  if (!b || d < 1 || d < b->min_dim)
    return 0;
  return b->dim == 0 || d == b->dim;
}

size_t invdes_builtin_outputs(const invdes_builtin *b) {
  return b && b->n_out > 1 ? b->n_out : 1;
}

int invdes_builtin_eval_all(const invdes_builtin *b, const double *x, size_t d,
                            const double *shift, double *f) {
  size_t m = invdes_builtin_outputs(b);
  for (size_t k = 0; k < m; k++) f[k] = NAN;
  if (!invdes_builtin_accepts(b, d) || !x)
    return -1;
  double local[64];
  double *y = !shift ? (double *)x : d <= 64 ? local : malloc(d * sizeof *y);
  if (!y)
    return -1;
  for (size_t i = 0; shift && i < d; i++)
    y[i] = x[i] - shift[i];
  if (b->eval_all)
    b->eval_all(y, d, f);
  else
    f[0] = b->eval(y, d);
  if (y != local && y != x)
    free(y);
  return 0;
}

double invdes_builtin_eval(const invdes_builtin *b, const double *x, size_t d,
                           const double *shift) {
  double f[INVDES_BUILTIN_MAX_OUT];
  invdes_builtin_eval_all(b, x, d, shift, f);
  return f[0];
}

/* ---- the objective kind `builtin` ---------------------------------------------- */

/* Stream tag of builtin noise, paired with the proposal id. */
#define NOISE_TAG UINT64_C(0x6e6f697365)

typedef struct builtin_spec {
  char *name;        /* registry name, e.g. "hartmann6" */
  double *shift;     /* optional domain shift, n_shift values (one per variable) */
  size_t n_shift;
  double noise_sd;   /* sd of the Gaussian noise added, 0 = none */
} builtin_spec;

static void spec_read(invdes_cload *L, const invdes_ynode *n, void *spec) {
  builtin_spec *o = spec;
  const invdes_ynode *v;
  const char *s;
  v = invdes_cload_get(n, "name");
  if (!v)
    invdes_cload_error(L, L->section_key ? L->section_key : n, INVDES_ERR_INVALID,
                       "a builtin objective needs 'name' (a function such as hartmann6)");
  else if (invdes_cload_string(L, v, "'name'", &s))
    o->name = invdes_cload_strdup(L, s);
  if ((v = invdes_cload_get(n, "shift")) && invdes_cload_expect_list(L, v, "'shift'") && v->n) {
    if (!(o->shift = calloc(v->n, sizeof *o->shift))) {
      invdes_cload_nomem(L);
      return;
    }
    o->n_shift = v->n;
    for (size_t i = 0; i < v->n; i++)
      invdes_cload_number(L, v->items[i], "a 'shift' entry", &o->shift[i]);
  }
  if ((v = invdes_cload_get(n, "noise")) &&
      invdes_cload_number(L, v, "'noise'", &o->noise_sd) && o->noise_sd < 0)
    invdes_cload_error(L, v, INVDES_ERR_INVALID,
                       "'noise' is a standard deviation and must be 0 or more, not %g",
                       o->noise_sd);
}

static void spec_free(void *spec) {
  builtin_spec *o = spec;
  free(o->name);
  free(o->shift);
}

/* "unknown builtin objective 'x'; did you mean 'y'? (branin, ...)" at node at. */
static void unknown_name(invdes_cload *L, const invdes_ynode *at, const char *name) {
  size_t n = invdes_builtin_count();
  const char *names[sizeof registry / sizeof registry[0] + 1];
  char list[300] = "";
  size_t used = 0;
  for (size_t i = 0; i < n; i++) {
    names[i] = registry[i].name;
    int k = snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", names[i]);
    if (k > 0 && used + (size_t)k < sizeof list) used += (size_t)k;
  }
  names[n] = NULL;
  const char *s = invdes_cload_suggest(name, names);
  if (s)
    invdes_cload_error(L, at, INVDES_ERR_INVALID,
                       "unknown builtin objective '%s'; did you mean '%s'? (%s)", name, s, list);
  else
    invdes_cload_error(L, at, INVDES_ERR_INVALID, "unknown builtin objective '%s' (one of: %s)",
                       name, list);
}

/* The function fits the campaign: a parameter space of an accepted
 * dimension (the shift one value per variable) and one target per value. */
static void spec_check(invdes_cload *L, const invdes_ynode *n, void *spec) {
  const invdes_campaign *c = L->c;
  builtin_spec *o = spec;
  const invdes_ynode *nn = invdes_cload_get(n, "name");
  if (!o->name) return;
  const invdes_builtin *b = invdes_builtin_find(o->name);
  if (!b) {
    unknown_name(L, nn, o->name);
    return;
  }
  size_t d = invdes_campaign_n_vars(c);
  if (c->pool) {
    invdes_cload_error(L, invdes_cload_get(n, "kind"), INVDES_ERR_INVALID,
                       "a builtin objective evaluates a parameter space, not a pool; use "
                       "kind dataset, command or station with 'pool'");
    return;
  }
  if (d > 0 && !invdes_builtin_accepts(b, d)) {
    if (b->dim)
      invdes_cload_error(L, nn, INVDES_ERR_INVALID,
                         "builtin '%s' takes exactly %zu variables, but the campaign has %zu",
                         b->name, b->dim, d);
    else
      invdes_cload_error(L, nn, INVDES_ERR_INVALID,
                         "builtin '%s' takes at least %zu variables, but the campaign has %zu",
                         b->name, b->min_dim, d);
  }
  if (o->n_shift && o->n_shift != d)
    invdes_cload_error(L, invdes_cload_get(n, "shift"), INVDES_ERR_INVALID,
                       "'shift' has %zu values but the campaign has %zu variables", o->n_shift,
                       d);
  size_t m = invdes_builtin_outputs(b);
  if (c->n_targets > m)
    invdes_cload_error_at(L, c->targets[m].mark.line, c->targets[m].mark.column,
                          INVDES_ERR_INVALID,
                          "builtin '%s' gives %zu value%s, so the campaign takes %zu "
                          "target%s (its objectives in order), not %zu", b->name, m,
                          m == 1 ? "" : "s", m, m == 1 ? "" : "s", c->n_targets);
  else if (c->n_targets && c->n_targets < m)
    invdes_cload_error(L, nn, INVDES_ERR_INVALID,
                       "builtin '%s' gives %zu values (its objectives in order), so the "
                       "campaign takes %zu targets, not %zu", b->name, m, m, c->n_targets);
}

static void spec_describe(const void *spec, char *buf, size_t size) {
  const builtin_spec *o = spec;
  invdes_objective_append(buf, size, " %s", o->name);
}

typedef struct builtin_eval {
  const builtin_spec *o;
  const invdes_builtin *fn;
  uint64_t seed;
  size_t n_vars;
  gsl_rng *rng;
} builtin_eval;

static void eval_close(void *state) {
  builtin_eval *e = state;
  if (!e) return;
  if (e->rng) gsl_rng_free(e->rng);
  free(e);
}

static invdes_status eval_open(const invdes_objective_setup *s, void **state,
                               invdes_error *err) {
  const builtin_spec *o = s->spec;
  builtin_eval *e = calloc(1, sizeof *e);
  if (!e) return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  *e = (builtin_eval){.o = o, .fn = invdes_builtin_find(o->name), .seed = s->c->seed,
                      .n_vars = s->n_vars};
  invdes_status st = INVDES_OK;
  if (!e->fn)
    st = invdes_error_set(err, INVDES_ERR_INVALID, "no builtin function '%s'", o->name);
  else if (s->n_targets != invdes_builtin_outputs(e->fn))
    st = invdes_error_set(err, INVDES_ERR_INVALID, "builtin '%s' gives %zu value(s), "
                          "not %zu", o->name, invdes_builtin_outputs(e->fn), s->n_targets);
  else if (!(e->rng = invdes_rng_new(e->seed, 0)))
    st = invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  if (st != INVDES_OK) {
    eval_close(e);
    return st;
  }
  *state = e;
  return INVDES_OK;
}

static void eval_one(void *state, const invdes_objective_point *p, double *y, char *reason,
                     size_t rn) {
  builtin_eval *e = state;
  size_t m = invdes_builtin_outputs(e->fn);
  invdes_builtin_eval_all(e->fn, p->x, e->n_vars, e->o->n_shift ? e->o->shift : NULL, y);
  if (e->o->noise_sd > 0) /* one stream per proposal, drawn in output order */
    invdes_rng_reset(e->rng, e->seed, invdes_rng_stream_id(NOISE_TAG, (uint64_t)p->id));
  for (size_t k = 0; k < m; k++) {
    if (isfinite(y[k]) && e->o->noise_sd > 0) y[k] += gsl_ran_gaussian(e->rng, e->o->noise_sd);
    if (!isfinite(y[k])) snprintf(reason, rn, "%s gave a non-finite value", e->fn->name);
  }
}

static invdes_status eval_batch(void *state, const invdes_objective_point *p, size_t n,
                                invdes_objective_done_fn done, void *data, invdes_error *err) {
  const builtin_eval *e = state;
  return invdes_objective_each(state, invdes_builtin_outputs(e->fn), eval_one, p, n, done,
                               data, err);
}

static const invdes_objective_field fields[] = {
    {"name", INVDES_FIELD_TEXT, offsetof(builtin_spec, name), 0, 0},
    {"shift", INVDES_FIELD_NUMBERS, offsetof(builtin_spec, shift),
     offsetof(builtin_spec, n_shift), 0},
    {"noise", INVDES_FIELD_NUMBER, offsetof(builtin_spec, noise_sd), 0, 0},
    {NULL, 0, 0, 0, 0}};

const invdes_objective_type invdes_objective_builtin = {
    .name = "builtin",
    .fields = fields,
    .spec_size = sizeof(builtin_spec),
    .flags = INVDES_OBJECTIVE_IN_PROCESS,
    .read = spec_read,
    .free_spec = spec_free,
    .check = spec_check,
    .describe = spec_describe,
    .open = eval_open,
    .evaluate = eval_batch,
    .close = eval_close,
};
