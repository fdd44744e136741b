/* bo_model.c — the model of one bo ask: a surrogate per target,
 * fitted on the encoded z of the observations that carry that target, the
 * incumbent, and the conditioning on pending points (bo.h).
 *
 * Targets combine as docs/campaign-format.md says. Maximize/minimize targets
 * form one objective to maximize, g = sum_t w_t s_t (y_t - mean_t)/sd_t
 * (s_t = +1 maximize, -1 minimize; mean and sd of the observed values), its
 * prediction normal with the summed means and variances (models taken as
 * independent). Window/below/above targets are constraints: the chance that
 * a new measurement (latent variance plus the learned noise) falls inside.
 * The score built from them is bo_score.c's. A multi-objective campaign
 * (target.h) keeps the objectives apart instead: bo_mo.c.
 * Failed experiments (their own values ignored): once one is told, a
 * classifier of success multiplies the score (bo_feasible.c). A surrogate
 * that conditions (the GP) is fitted on the successes only and then takes
 * each failed point at its predicted value, no better than the best seen
 * (bo_feasible.c), so no improvement is promised there and the fit's
 * hyper-parameters never see a jump; another kind takes failures into its
 * training set at the worst value observed for the target.
 * This file neither scores nor chooses points. */
#include "bo.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "acquisition.h"
#include "rng.h"
#include "target.h"

#define BO_XI 0.0           /* EI / PI margin (standardized objective units):
                               0.01 would ask for 1% of the spread of y, more
                               than is left to gain late in a run */
#define BO_RF_TREES 100
#define BO_FULL_REFIT 8     /* iterations between multi-start GP fits */
#define BO_WARM_EVALS 50    /* likelihood evaluations of a carried fit */

static invdes_status nomem(invdes_error *err) {
  return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
}

/* The role of target g in the model (NULL: no goal known), from target.h. */
static void set_role(bo_target *bt, const invdes_target *g) {
  bt->sd = 1;
  bt->goal = g;
  if (!g) return;
  if (invdes_goal_is_objective(g->goal)) {
    bt->role = BO_ROLE_OBJECTIVE;
    bt->sign = invdes_target_direction(g);
    bt->weight = g->weight > 0 ? g->weight : 1;
  } else {
    bt->role = BO_ROLE_CONSTRAINT;
    invdes_target_interval(g, &bt->lo, &bt->hi);
  }
}

/* Mean, sd and worst of target t's observed values. */
static void target_stats(const invdes_strategy *s, bo_target *bt, size_t t) {
  double sum = 0, ss = 0;
  size_t n = 0;
  for (size_t i = 0; i < s->n_hist; i++) {
    double y = s->h_y[i * s->n_targets + t];
    if (s->h_failed[i] || !isfinite(y)) continue;
    if (!n || invdes_target_better(bt->goal, bt->worst, y)) bt->worst = y;
    sum += y;
    n++;
  }
  bt->n_obs = n;
  bt->mean = n ? sum / (double)n : 0;
  for (size_t i = 0; i < s->n_hist; i++) {
    double y = s->h_y[i * s->n_targets + t];
    if (!s->h_failed[i] && isfinite(y)) ss += (y - bt->mean) * (y - bt->mean);
  }
  double sd = n > 1 ? sqrt(ss / (double)(n - 1)) : 0;
  bt->sd = sd > 0 && isfinite(sd) ? sd : 1;
}

/* The kept-hyper-parameter model from the cache (bo_cache.c), the carried
 * values handed on unchanged; an error leaves bt as it was. */
static invdes_status fit_cached(bo_model *m, bo_target *bt, const invdes_surrogate_options *o,
                                const bo_hyper *hin, bo_hyper *hout) {
  invdes_surrogate *sur;
  invdes_error e;
  invdes_status st = bo_cache_fit(m->cache, (size_t)(bt - m->t), m->opt.surrogate, o, bt->X,
                                  bt->y, bt->n, hin->h, &sur, &e);
  if (st) return st;
  if (hout) {
    memcpy(hout->h, hin->h, invdes_surrogate_type_hyper_size(m->opt.surrogate, m->D) *
                                sizeof *hout->h);
    hout->have = 1;
  }
  if (bt->sur != bt->base) invdes_surrogate_free(bt->sur);
  if (!bt->cached) invdes_surrogate_free(bt->base);
  bt->sur = bt->base = sur;
  bt->cached = 1;
  return INVDES_OK;
}

/* (Re)fits the scoring model of bt on its training set (lies included);
 * the first fit is also the reporting model. Each kind reads its part of
 * the options: the GP its kernel and starts, the forest extra-trees
 * (every dimension tried per split with one threshold drawn over the
 * node's range, no bootstrap, leaves down to one row: the mean varies
 * smoothly between data and the trees disagree away from them, which the
 * EI needs; SMAC's settings — 5/6 of the dimensions, best position,
 * bootstrap, 2 rows per leaf — left bo's global search on Branin at regret
 * 0.46 after 100 evaluations against 0.1, Rosenbrock-4D at 49 against 11;
 * rechecked inside the trust region of bo_region.c, leaves of 3 rows gave
 * Branin 0.062 and Ackley-5D 3.7 against 0.003 and 0.7),
 * others their named settings. A kind that carries hyper-parameters
 * (surrogate_type.h) continues from the carried ones (hin, may be NULL) and
 * hands its own to hout (may be NULL): a carried fit continues from where the last ask's ended; every
 * BO_FULL_REFIT-th iteration (and when nothing is carried) three more
 * starts search afresh, so a poor local optimum is left behind. */
static invdes_status fit_model(bo_model *m, bo_target *bt, const bo_hyper *hin,
                               bo_hyper *hout, invdes_error *e) {
  invdes_surrogate_options o = m->opt.model;
  invdes_surrogate_options_set_seed(&o, bt->seed);
  o.gp.kernel = m->opt.kernel == INVDES_KERNEL_SQEXP ? INVDES_GP_SE : INVDES_GP_MATERN52;
  int full = !hin || !hin->have || m->iteration % BO_FULL_REFIT == 0;
  o.gp.n_starts = full ? 4 : 1;
  if (!full) o.gp.max_eval = BO_WARM_EVALS;
  o.rf.n_trees = BO_RF_TREES;
  o.rf.mtry = m->D;
  o.rf.min_leaf = 1;
  o.rf.bootstrap = 0;
  o.rf.random_threshold = INVDES_RF_EXTRA_TREES;
  int carries = invdes_surrogate_type_hyper_size(m->opt.surrogate, m->D) > 0;
  /* a long campaign keeps the carried values between scheduled searches */
  int keep = carries && hin && hin->have && !bo_hyper_refit_due(m->iteration, bt->n);
  if (keep) o.gp.fit_hyper = 0;
  /* the kept model knows no per-point noise (bo_cache.c): with some, refit */
  if (keep && m->cache && !bt->noise && fit_cached(m, bt, &o, hin, hout) == INVDES_OK)
    return INVDES_OK;
  invdes_surrogate *sur = invdes_surrogate_new(m->opt.surrogate, &o);
  if (!sur) return invdes_error_set(e, INVDES_ERR_NOMEM, "out of memory");
  /* carried values out of range (not from a fit) leave the defaults (and
   * are searched: fit_hyper = 0 needs values) */
  if (carries && hin && hin->have &&
      invdes_surrogate_hyper_set(sur, m->D, hin->h, NULL) != INVDES_OK && keep) {
    invdes_surrogate_free(sur);
    o.gp.fit_hyper = 1;
    if (!(sur = invdes_surrogate_new(m->opt.surrogate, &o)))
      return invdes_error_set(e, INVDES_ERR_NOMEM, "out of memory");
  }
  invdes_status st = invdes_surrogate_fit(sur, bt->X, bt->n, m->D, bt->y, bt->noise, e);
  if (!st && carries && hout) {
    st = invdes_surrogate_hyper_get(sur, m->D, hout->h, e);
    hout->have = st == INVDES_OK;
  }
  if (st) {
    invdes_surrogate_free(sur);
    return st;
  }
  if (bt->sur != bt->base) invdes_surrogate_free(bt->sur);
  bt->sur = sur;
  if (!bt->base) bt->base = sur;
  return INVDES_OK;
}

invdes_status bo_model_fit_local(bo_model *m, size_t t, const double *X, const double *y,
                                 size_t n, invdes_surrogate **out, invdes_error *e) {
  bo_target *bt = &m->t[t];
  invdes_surrogate_options o = m->opt.model;
  /* a seed of its own (the golden-ratio word), so its random starts are
   * not those of the shared fit */
  invdes_surrogate_options_set_seed(&o, bt->seed ^ 0x9e3779b97f4a7c15ULL);
  o.gp.kernel = m->opt.kernel == INVDES_KERNEL_SQEXP ? INVDES_GP_SE : INVDES_GP_MATERN52;
  o.gp.n_starts = 2;
  *out = invdes_surrogate_new(m->opt.surrogate, &o);
  if (!*out) return invdes_error_set(e, INVDES_ERR_NOMEM, "out of memory");
  invdes_status st = invdes_surrogate_fit(*out, X, n, m->D, y, NULL, e);
  if (st) {
    invdes_surrogate_free(*out);
    *out = NULL;
  }
  return st;
}

/* Training set of target t: observed values; failures at the worst, except
 * where the classifier and fantasies stand in for them (see the top). */
static invdes_status target_fit(bo_model *m, size_t t, const bo_hyper *hin,
                                bo_hyper *hout, invdes_error *err) {
  invdes_strategy *s = m->s;
  bo_target *bt = &m->t[t];
  size_t D = m->D, cap = s->n_hist + s->ctx.n_pending + 64;
  bt->X = malloc((cap * D + 1) * sizeof *bt->X);
  bt->y = malloc((cap + 1) * sizeof *bt->y);
  int point_noise = (invdes_surrogate_type_caps(m->opt.surrogate) & INVDES_SURROGATE_POINT_NOISE) != 0;
  if (point_noise) bt->noise = malloc((cap + 1) * sizeof *bt->noise);
  if (!bt->X || !bt->y || (point_noise && !bt->noise)) return nomem(err);
  bt->cap = cap;
  for (size_t i = 0; i < s->n_hist; i++) {
    double y = s->h_y[i * s->n_targets + t];
    if (s->h_failed[i]) y = bt->n_obs && !(m->feas && m->conditions) ? bt->worst : NAN;
    if (!isfinite(y)) continue;
    memcpy(bt->X + bt->n * D, s->h_z + i * D, D * sizeof *bt->X);
    if (bt->noise) bo_noise_row(s, bt, t, i, s->h_failed[i]);
    bt->y[bt->n++] = y;
  }
  invdes_status cst = bo_noise_combine(m, bt, err);
  if (cst) return cst;
  if (bt->n < 2) return INVDES_OK;
  invdes_error e;
  invdes_error_clear(&e);
  invdes_status st = fit_model(m, bt, hin, hout, &e);
  if (st == INVDES_ERR_NOMEM) return nomem(err);
  if (st) { /* a model that cannot be fitted leaves its target out */
    invdes_surrogate_free(bt->sur);
    bt->sur = bt->base = NULL;
  }
  return INVDES_OK;
}

/* The combined objective of history row i, or NAN when the row does not
 * count (failed, no objective value, a constraint missed or unmeasured). */
double bo_model_row_objective(const bo_model *m, size_t i, int need_feasible) {
  const invdes_strategy *s = m->s;
  if (s->h_failed[i]) return NAN;
  double g = 0;
  int any = 0;
  for (size_t t = 0; t < m->T; t++) {
    const bo_target *bt = &m->t[t];
    double y = s->h_y[i * s->n_targets + t];
    if (bt->role == BO_ROLE_OBJECTIVE && isfinite(y)) {
      g += bt->weight * bt->sign * (y - bt->mean) / bt->sd;
      any = 1;
    } else if (bt->role == BO_ROLE_CONSTRAINT && need_feasible &&
               !invdes_target_meets(bt->goal, y)) {
      return NAN;
    }
  }
  return any ? g : NAN; /* missing objective values count at their mean */
}

void bo_model_top_rows(const bo_model *m, size_t k, size_t *rows,
                       size_t *n_rows) {
  const invdes_strategy *s = m->s;
  const invdes_target *tg =
      s->c->n_targets == s->n_targets ? s->c->targets : NULL;
  invdes_score sv[BO_TOP_MAX];
  if (k > BO_TOP_MAX) k = BO_TOP_MAX;
  if (m->mo) { /* several objectives: spread over the front */
    bo_mo_top_rows(m, k, rows, n_rows);
    return;
  }
  *n_rows = 0;
  for (size_t i = 0; i < s->n_hist && k; i++) {
    invdes_score sc = invdes_score_observation(
        tg, s->n_targets, s->h_y + i * s->n_targets, s->h_failed[i]);
    if (!sc.known || isinf(sc.violation)) continue; /* nothing, or failed */
    size_t j = *n_rows;
    if (j == k) {
      if (invdes_score_compare(&sc, &sv[k - 1]) >= 0) continue;
      j = k - 1;
    } else {
      (*n_rows)++;
    }
    for (; j > 0 && invdes_score_compare(&sc, &sv[j - 1]) < 0; j--) {
      sv[j] = sv[j - 1]; /* earlier rows first on ties */
      rows[j] = rows[j - 1];
    }
    sv[j] = sc;
    rows[j] = i;
  }
}

/* ---- building ------------------------------------------------------------ */

static invdes_status condition_failures(bo_model *m, void *err) {
  return bo_feasible_condition_failures(m, err);
}

void bo_model_free(bo_model *m) {
  for (size_t t = 0; m->t && t < m->T; t++) {
    bo_target *bt = &m->t[t];
    if (bt->cached) { /* the cache's: back to its real points */
      invdes_surrogate_condition_clear(bt->base);
      if (bt->sur == bt->base) bt->sur = NULL;
      bt->base = NULL;
    }
    if (bt->base && bt->base != bt->sur) invdes_surrogate_free(bt->base);
    invdes_surrogate_free(bt->sur);
    free(bt->X);
    free(bt->y);
    free(bt->noise);
    bo_mcmc_free_target(bt);
  }
  free(m->t);
  free(m->mu);
  free(m->var);
  free(m->dmu);
  free(m->dvar);
  free(m->basin_lo);
  invdes_surrogate_free(m->basin_sur);
  bo_feasible_free(m->feas);
  bo_mo_free(m->mo);
  memset(m, 0, sizeof *m);
}

invdes_status bo_model_build(invdes_strategy *s, uint64_t iteration,
                             const bo_hyper *hyper_in, bo_hyper *hyper_out,
                             bo_model *m, int *usable, invdes_error *err) {
  memset(m, 0, sizeof *m);
  *usable = 0;
  m->s = s;
  m->iteration = iteration;
  m->D = s->dim;
  m->T = s->n_targets;
  m->cache = bo_strategy_cache(s);
  if (s->spec.options) m->opt = *(const invdes_bo_options *)s->spec.options;
  else bo_options_defaults(&m->opt);
  unsigned caps = invdes_surrogate_type_caps(m->opt.surrogate);
  m->grad = (caps & INVDES_SURROGATE_GRADIENTS) != 0;
  m->conditions = (caps & INVDES_SURROGATE_CONDITIONS) != 0;
  m->kind = m->opt.acquisition;
  m->xi = BO_XI;
  m->t = calloc(m->T + 1, sizeof *m->t);
  m->dmu = malloc((m->T * m->D + 1) * sizeof *m->dmu);
  m->dvar = malloc((m->T * m->D + 1) * sizeof *m->dvar);
  m->basin_lo = malloc((3 * m->D + 1) * sizeof *m->basin_lo);
  if (!m->t || !m->dmu || !m->dvar || !m->basin_lo) return nomem(err);
  m->basin_hi = m->basin_lo + m->D;
  m->basin_center = m->basin_hi + m->D;
  invdes_status fst = bo_feasible_build(s, &m->feas, err);
  if (fst) return fst;
  int n_obj = 0, obj_ready = 1, con_ready = 0;
  for (size_t t = 0; t < m->T; t++) {
    bo_target *bt = &m->t[t];
    set_role(bt, t < s->c->n_targets ? &s->c->targets[t] : NULL);
    bt->seed = invdes_rng_stream_id(
        s->seed, invdes_rng_stream_id(iteration, BO_K_MODEL + t));
    if (bt->role == BO_ROLE_NONE) continue;
    target_stats(s, bt, t);
    invdes_status st = target_fit(m, t, &hyper_in[t], &hyper_out[t], err);
    if (st) return st;
    if (bt->role == BO_ROLE_OBJECTIVE) {
      n_obj++;
      obj_ready &= bt->sur != NULL;
    } else {
      con_ready |= bt->sur != NULL;
    }
  }
  m->has_objective = n_obj > 0;
  if (m->has_objective ? !obj_ready : !con_ready) return INVDES_OK;
  *usable = 1;
  m->best = -INFINITY;
  m->floor = INFINITY;
  size_t n_counted = 0;
  for (size_t i = 0; m->has_objective && i < s->n_hist; i++) {
    double g = bo_model_row_objective(m, i, 1), g0 = bo_model_row_objective(m, i, 0);
    if (!isnan(g) && g > m->best) m->best = g;
    if (!isnan(g0)) {
      if (g0 < m->floor) m->floor = g0;
      n_counted++;
    }
  }
  m->feas_only = !m->has_objective || m->best == -INFINITY;
  double pm = m->feas_only ? NAN : bo_noise_incumbent(m); /* noisy EI's plug-in */
  if (!isnan(pm)) m->best = pm;
  m->aei_var = m->feas_only ? 0 : bo_noise_aei_var(m);
  m->beta = invdes_acq_ucb_beta(m->D, n_counted);
  invdes_status cst = bo_mcmc_build(m, err);
  if (!cst && m->feas && m->conditions) {
    cst = bo_mcmc_each(m, condition_failures, err);
    if (!cst) cst = bo_feasible_condition_failures(m, err);
  }
  return cst ? cst : bo_mo_build(m, err);
}

invdes_status bo_model_condition(bo_model *m, const double *Z, size_t k,
                                 invdes_error *err) {
  if (!k) return INVDES_OK;
  invdes_status mst = bo_mo_condition(m, Z, k, err);
  if (mst) return mst;
  if (m->conditions) { /* fantasies, and their values as results */
    for (size_t t = 0; t < m->T; t++) {
      invdes_status st = m->t[t].sur ? invdes_surrogate_condition(m->t[t].sur, Z, k, err)
                                     : INVDES_OK;
      if (st) return st;
    }
    invdes_status st = bo_mcmc_condition(m, Z, k, err);
    return st ? st : bo_batch_believe(m, Z, k, err);
  }
  for (size_t t = 0; t < m->T; t++) {
    bo_target *bt = &m->t[t];
    if (!bt->sur) continue;
    if (bt->n + k > bt->cap) {
      size_t cap = 2 * (bt->n + k);
      double *X = realloc(bt->X, (cap * m->D + 1) * sizeof *X);
      if (X) bt->X = X;
      double *y = realloc(bt->y, (cap + 1) * sizeof *y);
      if (y) bt->y = y;
      double *nv = bt->noise ? realloc(bt->noise, (cap + 1) * sizeof *nv) : NULL;
      if (nv) bt->noise = nv;
      if (!X || !y || (bt->noise && !nv)) return nomem(err);
      bt->cap = cap;
    }
    memcpy(bt->X + bt->n * m->D, Z, k * m->D * sizeof *Z);
    for (size_t i = 0; i < k; i++) {
      if (bt->noise) bt->noise[bt->n] = NAN; /* a lie: the learned noise */
      bt->y[bt->n++] = bt->worst;
    }
    invdes_status st = fit_model(m, bt, NULL, NULL, err);
    if (st) return st;
  }
  return INVDES_OK;
}
