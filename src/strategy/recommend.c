/* recommend.c — the posterior-mean recommendation under noise (see
 * recommend.h): a throw-away bo strategy is told the observations, bo's
 * model of one ask is built from them (the full multi-start fit of
 * iteration 0), and the evaluated rows are ranked with their noisy targets
 * replaced by the model's posterior mean there. */
#include "recommend.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bo.h"
#include "target.h"

void invdes_recommendation_release(invdes_recommendation *r) {
  if (!r) return;
  free(r->mean);
  free(r->smoothed);
  free(r->reported);
  memset(r, 0, sizeof *r);
}

/* bo's options for the model: the campaign's when they name a surrogate
 * with per-point noise, else the defaults with the campaign's kernel. */
static void model_options(const invdes_strategy_spec *spec, const invdes_strategy_type *bo,
                          invdes_bo_options *o) {
  bo_options_defaults(o);
  if (spec->kind != bo || !spec->options) return;
  const invdes_bo_options *c = spec->options;
  o->kernel = c->kernel;
  if (invdes_surrogate_type_caps(c->surrogate) & INVDES_SURROGATE_POINT_NOISE) *o = *c;
}

/* Ranks the history rows of m with noisy targets at their posterior mean. */
static void choose(bo_model *m, invdes_recommendation *out) {
  const invdes_strategy *s = m->s;
  size_t T = m->T;
  const invdes_target *tg = s->c->n_targets == T ? s->c->targets : NULL;
  double v[T + 1], mu[T + 1];
  invdes_score best = {0};
  size_t best_row = SIZE_MAX;
  invdes_error e;
  for (size_t i = 0; i < s->n_hist; i++) {
    for (size_t t = 0; t < T; t++) {
      const bo_target *bt = &m->t[t];
      v[t] = s->h_y[i * T + t];
      mu[t] = NAN;
      if (bt->sur && invdes_surrogate_predict(bt->sur, s->h_z + i * m->D, 1, &mu[t], NULL, &e))
        mu[t] = NAN;
      if (out->smoothed[t] && isfinite(v[t]) && isfinite(mu[t])) v[t] = mu[t];
    }
    invdes_score sc = invdes_score_observation(tg, T, v, s->h_failed[i]);
    if (!sc.known || isinf(sc.violation)) continue;
    if (best_row == SIZE_MAX || invdes_score_compare(&sc, &best) < 0) {
      best = sc;
      best_row = i;
      memcpy(out->mean, mu, T * sizeof *mu);
    }
  }
  if (best_row == SIZE_MAX) return;
  out->by_model = 1;
  out->id = s->h_id[best_row];
}

invdes_status invdes_recommend(const invdes_space *space, const invdes_observation *obs,
                               size_t n, uint64_t seed, invdes_recommendation *out,
                               invdes_error *err) {
  memset(out, 0, sizeof *out);
  const invdes_campaign *c = invdes_space_campaign(space);
  size_t T = c->n_targets;
  const invdes_strategy_type *bo = invdes_strategy_kind_find("bo");
  invdes_bo_options o;
  model_options(&c->strategy, bo, &o);
  invdes_strategy_spec spec = c->strategy;
  spec.kind = bo;
  spec.options = &o;
  out->n_targets = T;
  out->mean = calloc(T + 1, sizeof *out->mean);
  out->smoothed = calloc(T + 1, sizeof *out->smoothed);
  out->reported = calloc(T + 1, sizeof *out->reported);
  size_t H = invdes_surrogate_type_hyper_size(o.surrogate, invdes_space_dim(space));
  bo_hyper *hyper = calloc(2 * T + 1, sizeof *hyper);
  double *vals = calloc(2 * T * H + 1, sizeof *vals);
  invdes_strategy *s = NULL;
  invdes_status st = INVDES_OK;
  if (!out->mean || !out->smoothed || !out->reported || !hyper || !vals) {
    st = invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
    goto done;
  }
  for (size_t t = 0; t < 2 * T; t++) hyper[t].h = vals + t * H;
  s = invdes_strategy_new(space, &spec, T, seed, err);
  if (!s) {
    st = err && err->status ? err->status : INVDES_ERR_NOMEM;
    goto done;
  }
  st = invdes_strategy_tell(s, obs, n, err);
  bo_model m;
  int usable = 0;
  if (!st) st = bo_model_build(s, 0, hyper, hyper + T, &m, &usable, err);
  else goto done;
  for (size_t t = 0; !st && t < T; t++) {
    for (size_t i = 0; i < s->n_hist; i++) out->reported[t] |= s->h_sd[i * T + t] > 0;
    out->smoothed[t] = m.t[t].role != BO_ROLE_NONE && bo_noise_target_noisy(&m.t[t], 1);
  }
  int any = 0;
  for (size_t t = 0; t < T; t++) any |= out->smoothed[t];
  if (!st && usable && any) choose(&m, out);
  bo_model_free(&m);
done:
  invdes_strategy_free(s);
  free(hyper);
  free(vals);
  return st;
}
