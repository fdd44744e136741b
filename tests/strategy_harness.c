/* strategy_harness.c — the scripted campaign of the strategy tests
 * (strategy_harness.h). It judges only what every strategy must do; it
 * holds no expectation of a particular strategy's search. */
#include "strategy_harness.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "evo.h"

#define NT HARNESS_NT

invdes_space *must_space(const invdes_campaign *c) {
  invdes_error err;
  invdes_error_clear(&err);
  invdes_space *s = invdes_space_new(c, &err);
  if (!s) fail_msg("invdes_space_new: %s", err.message);
  return s;
}

invdes_strategy *must_strategy_spec(const invdes_space *sp,
                                    const invdes_strategy_spec *spec,
                                    size_t n_targets, uint64_t seed) {
  invdes_error err;
  invdes_error_clear(&err);
  invdes_strategy *s = invdes_strategy_new(sp, spec, n_targets, seed, &err);
  if (!s) fail_msg("invdes_strategy_new(%s): %s",
                   invdes_strategy_kind_name(spec->kind), err.message);
  return s;
}

/* Options of the specs made here: each spec its own slot, so that specs
 * alive at once do not share them. */
static invdes_pso_options pso_opts[64];
static invdes_ga_options ga_opts[64];
static size_t n_opts;

invdes_strategy_spec harness_evo_spec_sized(const invdes_strategy_type *kind,
                                            int size, double mutation) {
  invdes_strategy_spec spec;
  memset(&spec, 0, sizeof spec);
  spec.kind = kind;
  spec.batch = 1;
  spec.initial_design = INVDES_DESIGN_SOBOL;
  spec.initial_count = 4;
  size_t i = n_opts++ % 64;
  if (kind == invdes_strategy_kind_find("pso")) {
    pso_opts[i] = (invdes_pso_options){size, 0.72, 1.49, 1.49, NULL};
    spec.options = &pso_opts[i];
  } else {
    ga_opts[i] = (invdes_ga_options){size, 0.9, mutation, NULL};
    spec.options = &ga_opts[i];
  }
  return spec;
}

invdes_strategy_spec harness_evo_spec(const invdes_strategy_type *kind) {
  return harness_evo_spec_sized(kind, kind == invdes_strategy_kind_find("pso") ? 6 : 7,
                                0.2);
}

void must_tell(invdes_strategy *s, const invdes_observation *o, size_t n) {
  invdes_error err;
  invdes_error_clear(&err);
  if (invdes_strategy_tell(s, o, n, &err)) fail_msg("tell: %s", err.message);
}

const char *data_path(const char *rel) {
  const char *top = getenv("top_srcdir");
  static char buf[4096];
  snprintf(buf, sizeof buf, "%s/%s", top && *top ? top : ".", rel);
  return buf;
}

/* ---- the simulated database ------------------------------------------ */

sim *sim_new(const invdes_strategy *s, size_t cap) {
  sim *m = calloc(1, sizeof *m);
  assert_non_null(m);
  m->dim = invdes_space_dim(invdes_strategy_space(s));
  m->nv = invdes_space_n_vars(invdes_strategy_space(s));
  m->cap = cap;
  m->z = malloc((cap * m->dim + 1) * sizeof *m->z);
  m->x = malloc((cap * m->nv + 1) * sizeof *m->x);
  m->told = calloc(cap + 1, sizeof *m->told);
  assert_true(m->z && m->x && m->told);
  return m;
}

void sim_free(sim *m) {
  if (!m) return;
  free(m->z);
  free(m->x);
  free(m->told);
  free(m);
}

double *untold_z(const double *z, const int *told, size_t n, size_t dim,
                 size_t *np) {
  double *p = malloc((n * dim + 1) * sizeof *p);
  assert_non_null(p);
  *np = 0;
  for (size_t i = 0; i < n; i++)
    if (!told[i]) memcpy(p + (*np)++ * dim, z + i * dim, dim * sizeof *p);
  return p;
}

double *sim_pending(const sim *m, size_t *np) {
  return untold_z(m->z, m->told, m->n, m->dim, np);
}

static void sim_outcome(const sim *m, size_t i, double y[NT], int *failed) {
  double a = 0;
  for (size_t j = 0; j < m->dim; j++) a += (j + 1) * m->z[i * m->dim + j];
  y[0] = sin(a);
  y[1] = (i + 1) % 4 == 0 ? NAN : a * a;
  *failed = (i + 1) % 5 == 0;
}

invdes_observation sim_obs(const sim *m, size_t i, double *y) {
  invdes_observation o;
  memset(&o, 0, sizeof o);
  o.id = (int64_t)i + 1;
  o.z = m->z + i * m->dim;
  o.x = (i % 2) ? m->x + i * m->nv : NULL;
  sim_outcome(m, i, y, &o.failed);
  o.y = o.failed ? NULL : y;
  return o;
}

void sim_step(invdes_strategy *s, sim *m, size_t n, invdes_proposals *out) {
  size_t np;
  double *p = sim_pending(m, &np);
  invdes_error err;
  invdes_error_clear(&err);
  if (invdes_strategy_ask(s, m->iteration, n, p, np, out, &err))
    fail_msg("ask at iteration %llu: %s", (unsigned long long)m->iteration,
             err.message);
  free(p);
  assert_int_equal(out->n, n);
  assert_true(m->n + n <= m->cap);
  memcpy(m->z + m->n * m->dim, out->z, n * m->dim * sizeof *m->z);
  memcpy(m->x + m->n * m->nv, out->x, n * m->nv * sizeof *m->x);
  m->n += n;
  for (size_t i = m->n; i-- > 0;) {
    if (m->told[i] || (i + 1) % 3 == m->iteration % 3) continue;
    double y[NT];
    invdes_observation o = sim_obs(m, i, y);
    must_tell(s, &o, 1);
    m->told[i] = 1;
  }
  m->iteration++;
}

/* ---- checks ------------------------------------------------------------ */

void assert_feasible_x(const invdes_space *sp, const double *x, size_t n) {
  invdes_space_work *w = invdes_space_work_new(sp);
  assert_non_null(w);
  size_t nv = invdes_space_n_vars(sp);
  for (size_t i = 0; i < n; i++) {
    assert_true(invdes_space_violation(sp, w, x + i * nv) <=
                INVDES_STRATEGY_FEASIBLE_TOL);
    assert_true(invdes_space_constraints_hold(sp, w, x + i * nv));
  }
  invdes_space_work_free(w);
}

void assert_distinct(const double *v, size_t n, size_t d) {
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < i; j++)
      if (!memcmp(v + i * d, v + j * d, d * sizeof *v))
        fail_msg("rows %zu and %zu are the same point", j + 1, i + 1);
}

void check_batch(const invdes_strategy *s, const invdes_proposals *p) {
  const invdes_space *sp = invdes_strategy_space(s);
  size_t D = p->dim, nv = p->n_vars;
  assert_feasible_x(sp, p->x, p->n);
  double *z = malloc((D + 1) * sizeof *z);
  assert_non_null(z);
  for (size_t i = 0; i < p->n; i++) {
    invdes_error err;
    invdes_error_clear(&err);
    if (invdes_space_encode(sp, p->x + i * nv, z, &err))
      fail_msg("encode: %s", err.message);
    assert_memory_equal(z, p->z + i * D, D * sizeof *z);
    assert_true(isnan(p->acquisition[i]));
    for (size_t t = 0; t < p->n_targets; t++) {
      assert_true(isnan(p->pred_mean[i * p->n_targets + t]));
      assert_true(isnan(p->pred_sd[i * p->n_targets + t]));
    }
  }
  free(z);
}

/* ---- whole campaigns --------------------------------------------------- */

sim *run_campaign_spec(const invdes_space *sp,
                       const invdes_strategy_spec *spec, uint64_t seed,
                       size_t iters, size_t batch) {
  invdes_strategy *s = must_strategy_spec(sp, spec, NT, seed);
  sim *m = sim_new(s, iters * batch);
  invdes_proposals *out = invdes_proposals_new(s, batch);
  assert_non_null(out);
  for (size_t it = 0; it < iters; it++) {
    sim_step(s, m, batch, out);
    check_batch(s, out);
  }
  invdes_proposals_free(out);
  invdes_strategy_free(s);
  return m;
}

void harness_check_reproducible(const invdes_space *sp,
                                const invdes_strategy_spec *spec,
                                size_t iters, size_t batch) {
  sim *a = run_campaign_spec(sp, spec, 11, iters, batch);
  sim *b = run_campaign_spec(sp, spec, 11, iters, batch);
  sim *c = run_campaign_spec(sp, spec, 12, iters, batch);
  assert_memory_equal(a->z, b->z, a->n * a->dim * sizeof *a->z);
  assert_memory_equal(a->x, b->x, a->n * a->nv * sizeof *a->x);
  assert_memory_not_equal(a->z, c->z, a->n * a->dim * sizeof *a->z);
  assert_distinct(a->z, a->n, a->dim);
  sim_free(a);
  sim_free(b);
  sim_free(c);
}

void harness_check_resume(const invdes_space *sp,
                          const invdes_strategy_spec *spec, size_t iters,
                          const size_t *sizes, int has_state) {
  const uint64_t seed = 21;
  size_t total = 0, most = 1;
  for (size_t it = 0; it < iters; it++) {
    total += sizes[it];
    if (sizes[it] > most) most = sizes[it];
  }
  invdes_strategy *r = must_strategy_spec(sp, spec, NT, seed);
  sim *ref = sim_new(r, total);
  invdes_proposals *out = invdes_proposals_new(r, most);
  assert_non_null(out);
  for (size_t it = 0; it < iters; it++) {
    sim_step(r, ref, sizes[it], out);
    check_batch(r, out);
  }
  invdes_strategy_free(r);
  for (size_t cut = 1; cut < iters; cut++) {
    /* the original up to `cut` batches, its state saved after the last ask */
    invdes_strategy *a = must_strategy_spec(sp, spec, NT, seed);
    sim *m = sim_new(a, total);
    for (size_t it = 0; it < cut; it++) sim_step(a, m, sizes[it], out);
    void *blob;
    size_t len;
    assert_int_equal(invdes_strategy_save_state(a, &blob, &len, NULL),
                     INVDES_OK);
    assert_int_equal(len > 0, has_state != 0);
    /* the rebuilt one */
    invdes_strategy *b = must_strategy_spec(sp, spec, NT, seed);
    for (size_t i = m->n; i-- > 0;) {
      if (!m->told[i]) continue;
      double y[NT];
      invdes_observation o = sim_obs(m, i, y);
      must_tell(b, &o, 1);
    }
    assert_int_equal(invdes_strategy_n_told(b), invdes_strategy_n_told(a));
    invdes_error err;
    invdes_error_clear(&err);
    if (invdes_strategy_load_state(b, blob, len, &err))
      fail_msg("load_state: %s", err.message);
    free(blob);
    for (size_t it = cut; it < iters; it++) sim_step(b, m, sizes[it], out);
    assert_memory_equal(m->z, ref->z, ref->n * ref->dim * sizeof *m->z);
    assert_memory_equal(m->x, ref->x, ref->n * ref->nv * sizeof *m->x);
    sim_free(m);
    invdes_strategy_free(a);
    invdes_strategy_free(b);
  }
  invdes_proposals_free(out);
  sim_free(ref);
}

void harness_check_exhaust(const invdes_space *sp,
                           const invdes_strategy_spec *spec, size_t total,
                           size_t batch, const char *what) {
  invdes_strategy *s = must_strategy_spec(sp, spec, NT, 4);
  sim *m = sim_new(s, total);
  invdes_proposals *out = invdes_proposals_new(s, batch);
  assert_non_null(out);
  while (m->n < total) {
    size_t np;
    double *p = sim_pending(m, &np);
    assert_int_equal(invdes_strategy_remaining(s, p, np), total - m->n);
    free(p);
    size_t n = total - m->n < batch ? total - m->n : batch;
    sim_step(s, m, n, out);
    check_batch(s, out);
  }
  assert_distinct(m->x, m->n, m->nv);
  size_t np;
  double *p = sim_pending(m, &np);
  assert_int_equal(invdes_strategy_remaining(s, p, np), 0);
  invdes_error err;
  invdes_error_clear(&err);
  assert_int_equal(invdes_strategy_ask(s, 99, 1, p, np, out, &err),
                   INVDES_ERR_INFEASIBLE);
  assert_int_equal(out->n, 0);
  assert_non_null(strstr(err.message, what));
  assert_non_null(strstr(err.message, "0 untried"));
  free(p);
  invdes_proposals_free(out);
  sim_free(m);
  invdes_strategy_free(s);
}

void harness_exhaust_pool(const invdes_space *sp, const invdes_campaign *c,
                          const invdes_strategy_spec *spec) {
  size_t rows = invdes_space_pool_feasible_rows(sp);
  size_t D = invdes_space_dim(sp), n = 0;
  invdes_strategy *s = must_strategy_spec(sp, spec, NT, c->seed);
  invdes_proposals *out = invdes_proposals_new(s, 100);
  double *pend = malloc((rows * D + 1) * sizeof *pend);
  unsigned char *seen = calloc(c->pool->n_rows + 1, 1);
  assert_true(out && pend && seen);
  invdes_error err;
  invdes_error_clear(&err);
  while (n < rows) {
    size_t want = rows - n < 100 ? rows - n : 100;
    if (invdes_strategy_ask(s, n, want, pend, n, out, &err))
      fail_msg("ask: %s", err.message);
    for (size_t i = 0; i < want; i++) {
      size_t r = (size_t)out->x[i];
      assert_int_equal(seen[r], 0);
      seen[r] = 1;
    }
    memcpy(pend + n * D, out->z, want * D * sizeof *pend);
    n += want;
  }
  assert_int_equal(invdes_strategy_ask(s, n, 1, pend, n, out, &err),
                   INVDES_ERR_INFEASIBLE);
  free(pend);
  free(seen);
  invdes_proposals_free(out);
  invdes_strategy_free(s);
}

void harness_set_threads(int n) {
#ifdef _OPENMP
  omp_set_num_threads(n);
#else
  (void)n;
#endif
}
