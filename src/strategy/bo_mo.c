/* bo_mo.c — the bo strategy on a multi-objective campaign
 * (target.h's invdes_targets_pareto): the front the acquisition improves,
 * its reference point, and the objective part of the score.
 *
 * Objectives are the maximize/minimize targets, each modelled alone (bo.h),
 * turned into minimized standardized units y = -s (v - mean)/sd (s = +1
 * maximize, -1 minimize), so a GP prediction stays Gaussian. The front is
 * the non-dominated set of the results that meet every condition and were
 * not failed (pareto.h); the reference point is target.h's
 * (invdes_targets_reference: the campaign's `reference` values, else its
 * documented default from those results). While no result meets the
 * conditions, the score is the chance of meeting them (bo_score.c).
 *
 * Two or three objectives: expected hypervolume improvement, exact over the
 * box decomposition of ehvi.h (as BoTorch's qEHVI/qNEHVI). More: ParEGO as
 * BoTorch's qParEGO does it — the augmented Chebyshev scalarization
 * max_j w_j u_j + 0.05 sum_j w_j u_j of the objectives scaled to [0,1] over
 * the front, weights uniform on the simplex from the stream (iteration,
 * BO_K_PAREGO), and its expected improvement over the front's best by
 * BO_MO_SAMPLES fixed normal draws from the same stream (so the score is a
 * deterministic function of the point). Either way, window/below/above
 * targets multiply in as chances of being met (bo_score.c).
 *
 * Pending points and a batch's earlier points (q >= 1): bo_model_condition
 * calls bo_mo_condition before it conditions the models, which adds each
 * point's predicted objectives (the fantasy at the mean, when its
 * predicted constraint values meet their conditions) to the front, so the
 * next point is scored for the hypervolume it adds beyond them (sequential
 * greedy). The score has no analytic gradient: the local search is NLopt's
 * derivative-free subplex (bo_opt.c). Nothing here is carried between asks. */
#include "bo.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "ehvi.h"
#include "pareto.h"
#include "rng.h"
#include "target.h"

#define BO_MO_SAMPLES 128  /* ParEGO's fixed normal draws */
#define BO_MO_RHO 0.05     /* ParEGO's augmentation */
#define BO_MO_MIN_VAR 1e-12

struct bo_mo {
  size_t M;
  size_t *obj;            /* M target indices */
  double *ref;            /* M, standardized */
  double *front;          /* n × M standardized rows (fantasies appended) */
  size_t n, cap;
  size_t *rows;           /* history rows of the observed front */
  size_t n_rows;
  ehvi_boxes boxes;       /* M <= 3 */
  double *w, *lo, *span;  /* ParEGO: weights, scaling */
  double *eps;            /* ParEGO: BO_MO_SAMPLES × M draws */
  double best_s;          /* ParEGO: the front's best scalarization */
  double *tmp;            /* 3 M scratch */
};

static invdes_status nomem(invdes_error *err) {
  return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
}

void bo_mo_free(bo_mo *mo) {
  if (!mo) return;
  free(mo->obj);
  free(mo->ref);
  free(mo->front);
  free(mo->rows);
  ehvi_boxes_free(&mo->boxes);
  free(mo->w);
  free(mo->lo);
  free(mo->span);
  free(mo->eps);
  free(mo->tmp);
  free(mo);
}

/* Standardized minimized value of objective j from a target value. */
static double std_of(const bo_model *m, const bo_mo *mo, size_t j, double v) {
  const bo_target *bt = &m->t[mo->obj[j]];
  return -bt->sign * (v - bt->mean) / bt->sd;
}

static double scalarize(const bo_mo *mo, const double *y) {
  double mx = -INFINITY, sum = 0;
  for (size_t j = 0; j < mo->M; j++) {
    double u = mo->w[j] * (y[j] - mo->lo[j]) / mo->span[j];
    if (u > mx) mx = u;
    sum += u;
  }
  return mx + BO_MO_RHO * sum;
}

/* Recomputes what depends on the front: the boxes, or ParEGO's best. */
static invdes_status front_changed(bo_mo *mo, invdes_error *err) {
  if (mo->M <= EHVI_MAX_M)
    return ehvi_boxes_build(&mo->boxes, mo->front, mo->n, mo->M, mo->ref, err);
  mo->best_s = INFINITY;
  for (size_t i = 0; i < mo->n; i++) {
    double v = scalarize(mo, mo->front + i * mo->M);
    if (v < mo->best_s) mo->best_s = v;
  }
  return INVDES_OK;
}

static invdes_status front_add(bo_mo *mo, const double *y, invdes_error *err) {
  if (mo->n == mo->cap) {
    size_t cap = mo->cap ? 2 * mo->cap : 64;
    double *f = realloc(mo->front, (cap * mo->M + 1) * sizeof *f);
    if (!f) return nomem(err);
    mo->front = f;
    mo->cap = cap;
  }
  memcpy(mo->front + mo->n++ * mo->M, y, mo->M * sizeof *y);
  return INVDES_OK;
}

/* ParEGO's weights, scaling and draws for this ask. */
static invdes_status parego_setup(bo_model *m, bo_mo *mo, invdes_error *err) {
  size_t M = mo->M;
  mo->w = malloc(M * sizeof *mo->w);
  mo->lo = malloc(M * sizeof *mo->lo);
  mo->span = malloc(M * sizeof *mo->span);
  mo->eps = malloc(BO_MO_SAMPLES * M * sizeof *mo->eps);
  gsl_rng *r = invdes_rng_new(m->s->seed, invdes_rng_stream_id(m->iteration, BO_K_PAREGO));
  if (!mo->w || !mo->lo || !mo->span || !mo->eps || !r) {
    if (r) gsl_rng_free(r);
    return nomem(err);
  }
  double sum = 0;
  for (size_t j = 0; j < M; j++) sum += mo->w[j] = -log1p(-gsl_rng_uniform(r));
  for (size_t j = 0; j < M; j++) {
    mo->w[j] = sum > 0 ? mo->w[j] / sum : 1.0 / (double)M;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < mo->n; i++) {
      lo = fmin(lo, mo->front[i * M + j]);
      hi = fmax(hi, mo->front[i * M + j]);
    }
    mo->lo[j] = isfinite(lo) ? lo : 0;
    mo->span[j] = hi > lo ? hi - lo : 1;
  }
  for (size_t k = 0; k < BO_MO_SAMPLES * M; k++) mo->eps[k] = gsl_ran_ugaussian(r);
  gsl_rng_free(r);
  return INVDES_OK;
}

/* The objective vectors (target units, minimized) of the history rows that
 * are front candidates (target.h) into Y (n_hist × M), their rows into rows. */
static size_t feasible_rows(const bo_model *m, const bo_mo *mo, double *Y,
                            size_t *rows) {
  const invdes_strategy *s = m->s;
  size_t nf = 0;
  for (size_t i = 0; i < s->n_hist; i++) {
    const double *y = s->h_y + i * s->n_targets;
    if (!invdes_targets_front_candidate(s->c->targets, m->T, y, s->h_failed[i])) continue;
    invdes_targets_objectives(s->c->targets, m->T, y, Y + nf * mo->M);
    rows[nf++] = i;
  }
  return nf;
}

/* The observed front (standardized) and the reference point. */
static invdes_status observed_front(bo_model *m, bo_mo *mo, invdes_error *err) {
  const invdes_strategy *s = m->s;
  size_t M = mo->M, nh = s->n_hist;
  double *Y = malloc((nh * M + 1) * sizeof *Y), *ref = malloc(M * sizeof *ref);
  size_t *rows = malloc((nh + 1) * sizeof *rows), *rank = malloc((nh + 1) * sizeof *rank);
  mo->rows = malloc((nh + 1) * sizeof *mo->rows);
  invdes_status st = !Y || !ref || !rows || !rank || !mo->rows ? nomem(err) : INVDES_OK;
  size_t nf = st ? 0 : feasible_rows(m, mo, Y, rows), fronts = 0;
  if (!st && nf) st = invdes_targets_reference(s->c->targets, s->c->n_targets, Y, nf, M, ref, err);
  if (!st && nf) st = invdes_pareto_ranks(Y, nf, M, rank, &fronts, err);
  for (size_t j = 0; !st && nf && j < M; j++) /* the target's units back */
    mo->ref[j] = std_of(m, mo, j, -m->t[mo->obj[j]].sign * ref[j]);
  for (size_t i = 0; !st && i < nf; i++) {
    if (rank[i] != 0) continue;
    double *y = mo->tmp;
    for (size_t j = 0; j < M; j++) y[j] = std_of(m, mo, j, s->h_y[rows[i] * s->n_targets + mo->obj[j]]);
    st = front_add(mo, y, err);
    mo->rows[mo->n_rows++] = rows[i];
  }
  free(Y);
  free(ref);
  free(rows);
  free(rank);
  return st;
}

invdes_status bo_mo_build(bo_model *m, invdes_error *err) {
  const invdes_strategy *s = m->s;
  if (s->c->n_targets != m->T || !invdes_targets_pareto(s->c->targets, m->T)) return INVDES_OK;
  bo_mo *mo = calloc(1, sizeof *mo);
  if (!mo) return nomem(err);
  m->mo = mo;
  for (size_t t = 0; t < m->T; t++) mo->M += m->t[t].role == BO_ROLE_OBJECTIVE;
  mo->obj = malloc(mo->M * sizeof *mo->obj);
  mo->ref = calloc(mo->M, sizeof *mo->ref);
  mo->tmp = malloc(3 * mo->M * sizeof *mo->tmp);
  if (!mo->obj || !mo->ref || !mo->tmp) return nomem(err);
  for (size_t t = 0, j = 0; t < m->T; t++)
    if (m->t[t].role == BO_ROLE_OBJECTIVE) mo->obj[j++] = t;
  invdes_status st = observed_front(m, mo, err);
  if (st) return st;
  int constrained = 0;
  for (size_t t = 0; t < m->T; t++)
    constrained |= m->t[t].role == BO_ROLE_CONSTRAINT && m->t[t].sur;
  if (!mo->n_rows && !constrained) { /* no complete result: the weighted sum */
    bo_mo_free(mo);
    m->mo = NULL;
    return INVDES_OK;
  }
  m->grad = 0; /* EHVI is searched without gradients */
  m->feas_only = !mo->n_rows;
  if (mo->M > EHVI_MAX_M && (st = parego_setup(m, mo, err))) return st;
  return front_changed(mo, err);
}

double bo_mo_acq(const bo_model *m, size_t i, size_t k) {
  bo_mo *mo = m->mo;
  size_t M = mo->M;
  double *mu = mo->tmp, *sd = mo->tmp + M, *y = mo->tmp + 2 * M;
  for (size_t j = 0; j < M; j++) {
    const bo_target *bt = &m->t[mo->obj[j]];
    mu[j] = std_of(m, mo, j, m->mu[mo->obj[j] * k + i]);
    sd[j] = sqrt(fmax(m->var[mo->obj[j] * k + i] / (bt->sd * bt->sd), BO_MO_MIN_VAR));
  }
  if (M <= EHVI_MAX_M) return ehvi_gauss(&mo->boxes, mu, sd);
  double sum = 0;
  for (size_t r = 0; r < BO_MO_SAMPLES; r++) {
    for (size_t j = 0; j < M; j++) y[j] = mu[j] + sd[j] * mo->eps[r * M + j];
    double gain = mo->best_s - scalarize(mo, y);
    if (gain > 0) sum += gain;
  }
  return sum / BO_MO_SAMPLES;
}

/* 1 when every constraint's predicted value at column i meets it. */
static int predicted_feasible(const bo_model *m, const double *mu, size_t i,
                              size_t k) {
  for (size_t t = 0; t < m->T; t++) {
    const bo_target *bt = &m->t[t];
    if (bt->role == BO_ROLE_CONSTRAINT && bt->sur &&
        !invdes_target_meets(bt->goal, mu[t * k + i]))
      return 0;
  }
  return 1;
}

invdes_status bo_mo_condition(bo_model *m, const double *Z, size_t k,
                              invdes_error *err) {
  bo_mo *mo = m->mo;
  if (!mo || !k) return INVDES_OK;
  double *mu = malloc((m->T * k + 1) * sizeof *mu), *var = malloc((k + 1) * sizeof *var);
  invdes_status st = !mu || !var ? nomem(err) : INVDES_OK;
  for (size_t t = 0; !st && t < m->T; t++) {
    const bo_target *bt = &m->t[t];
    if (bt->sur && bt->role != BO_ROLE_NONE)
      st = invdes_surrogate_predict(bt->sur, Z, k, mu + t * k, var, err);
  }
  for (size_t i = 0; !st && i < k; i++) {
    if (!predicted_feasible(m, mu, i, k)) continue;
    for (size_t j = 0; j < mo->M; j++)
      mo->tmp[j] = std_of(m, mo, j, mu[mo->obj[j] * k + i]);
    st = front_add(mo, mo->tmp, err);
  }
  if (!st) st = front_changed(mo, err);
  free(mu);
  free(var);
  return st;
}

void bo_mo_top_rows(const bo_model *m, size_t k, size_t *rows, size_t *n_rows) {
  const bo_mo *mo = m->mo;
  size_t n = mo->n_rows;
  *n_rows = 0;
  if (!n) return;
  if (k > n) k = n;
  /* evenly spread over the front in the order of its first objective */
  size_t idx[BO_TOP_MAX], used = 0;
  for (size_t q = 0; q < k && q < BO_TOP_MAX; q++) idx[used++] = k > 1 ? q * (n - 1) / (k - 1) : 0;
  size_t *ord = malloc(n * sizeof *ord);
  if (!ord) { /* the first rows will do */
    for (size_t q = 0; q < used; q++) rows[(*n_rows)++] = mo->rows[q];
    return;
  }
  for (size_t i = 0; i < n; i++) ord[i] = i;
  for (size_t i = 1; i < n; i++) /* insertion sort: fronts are small */
    for (size_t j = i; j > 0 && mo->front[ord[j] * mo->M] < mo->front[ord[j - 1] * mo->M]; j--) {
      size_t t = ord[j];
      ord[j] = ord[j - 1];
      ord[j - 1] = t;
    }
  for (size_t q = 0; q < used; q++) rows[(*n_rows)++] = mo->rows[ord[idx[q]]];
  free(ord);
}
