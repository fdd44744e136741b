/* space_fixtures.c — the campaigns of space_fixtures.h. String fields point
 * at literals (the fixtures never free them). */
#include "space_fixtures.h"

#include <stdlib.h>
#include <string.h>

#define S(x) ((char *)(x))

static fixture *fx_new(void) {
  fixture *f = calloc(1, sizeof *f);
  if (!f) abort();
  f->c.path = S("test.yaml");
  f->c.name = S("fixture");
  f->c.seed = 7;
  f->c.params = f->p;
  f->c.compositions = f->g;
  f->c.constraints = f->cs;
  return f;
}

static invdes_param *add_param(fixture *f, const char *name,
                               invdes_param_type t, double lo, double hi) {
  invdes_param *p = &f->p[f->c.n_params];
  p->name = S(name);
  p->type = t;
  p->lo = lo;
  p->hi = hi;
  p->mark.line = 3 + (int)f->c.n_params;
  p->mark.column = 5;
  f->c.n_params++;
  return p;
}

static void add_tm(fixture *f, size_t k0) {
  invdes_component *k = f->k + k0;
  k[0] = (invdes_component){S("ni"), 0.33, 0.95, {12, 7}};
  k[1] = (invdes_component){S("mn"), 0.0, 0.40, {13, 7}};
  k[2] = (invdes_component){S("co"), 0.0, 0.40, {14, 7}};
  f->g[f->c.n_compositions] =
      (invdes_composition){S("tm"), 1.0, k, 3, {11, 5}};
  f->c.n_compositions++;
}

void fx_add_constraint(fixture *f, const char *text, double tol) {
  size_t i = f->c.n_constraints++;
  f->cs[i].text = S(text);
  f->cs[i].tol = tol;
  f->cs[i].mark.line = 20 + (int)i;
  f->cs[i].mark.column = 7;
}

fixture *fx_ncm(void) {
  fixture *f = fx_new();
  add_param(f, "sinter_T", INVDES_PARAM_CONTINUOUS, 700, 950);
  add_param(f, "layers", INVDES_PARAM_INTEGER, 1, 6);
  invdes_param *d = add_param(f, "dopant", INVDES_PARAM_CATEGORICAL, 0, 0);
  const char *labels[] = {"none", "Al", "Mg", "Ti", "Zr"};
  for (int i = 0; i < 5; i++) f->labels[i] = S(labels[i]);
  d->labels = f->labels;
  d->n_values = 5;
  add_tm(f, 0);
  fx_add_constraint(f, "ni^2 + sinter_T/1000 <= 1.6", 0);
  fx_add_constraint(f, "exp(mn) * co <= 0.3", 0);
  return f;
}

fixture *fx_simplex3(void) {
  fixture *f = fx_new();
  f->k[0] = (invdes_component){S("a"), 0, 1, {4, 7}};
  f->k[1] = (invdes_component){S("b"), 0, 1, {5, 7}};
  f->k[2] = (invdes_component){S("c"), 0, 1, {6, 7}};
  f->g[0] = (invdes_composition){S("abc"), 1.0, f->k, 3, {3, 5}};
  f->c.n_compositions = 1;
  return f;
}

fixture *fx_all_types(void) {
  fixture *f = fx_new();
  add_param(f, "T", INVDES_PARAM_CONTINUOUS, 700, 950);
  add_param(f, "lr", INVDES_PARAM_CONTINUOUS, 1e-4, 1e-1)->log_scale = 1;
  add_param(f, "n", INVDES_PARAM_INTEGER, 1, 6);
  add_param(f, "m", INVDES_PARAM_INTEGER, 1, 1000)->log_scale = 1;
  invdes_param *d = add_param(f, "c_rate", INVDES_PARAM_DISCRETE, 0.1, 2);
  const double v[] = {0.1, 0.2, 0.5, 1, 2};
  memcpy(f->values, v, sizeof v);
  d->values = f->values;
  d->n_values = 5;
  invdes_param *cat = add_param(f, "dopant", INVDES_PARAM_CATEGORICAL, 0, 0);
  f->labels[0] = S("none");
  f->labels[1] = S("Al");
  f->labels[2] = S("Mg");
  cat->labels = f->labels;
  cat->n_values = 3;
  add_tm(f, 0);
  fx_add_constraint(f, "ni - 2*co >= 0", 0);
  return f;
}

fixture *fx_pool(void) {
  fixture *f = fx_new();
  static const char *ids[] = {"m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8"};
  static const double x[] = {0, 0,   1, 0,   0, 1,   1, 1,
                             0.5, 0.5, 0.2, 0.8, 0.9, 0.1, 0.4, 0.6};
  memcpy(f->pool_x, x, sizeof x);
  for (int i = 0; i < 8; i++) f->ids[i] = S(ids[i]);
  f->features[0] = S("f1");
  f->features[1] = S("f2");
  f->pool.file = S("pool.csv");
  f->pool.path = S("pool.csv");
  f->pool.id_column = S("id");
  f->pool.features = f->features;
  f->pool.n_features = 2;
  f->pool.n_rows = 8;
  f->pool.x = f->pool_x;
  f->pool.ids = f->ids;
  f->pool.mark = (invdes_mark){5, 1};
  f->c.pool = &f->pool;
  return f;
}

void fx_free(fixture *f) { free(f); }
