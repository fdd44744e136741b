/* fig_model.c — predicted against measured, one figure per target (fig.h).
 *
 * Where the strategy recorded a prediction when it made a proposal (bo
 * stores pred_mean and pred_sd with each proposal it makes from a model),
 * those are shown: what the model expected before the experiment, the honest
 * test of it. Where none were recorded (designs, pso, ga, prior imports), the
 * points are predicted out of sample instead: a Gaussian process
 * (surrogates/predict.h) on the encoded design vectors z the store keeps,
 * k-fold with k = min(n, 10) (leave-one-out up to 10 results), each fold
 * fitted on the others. Bars are ±2 sd of a new measurement; the dashed line
 * is y = x. Skipped for a target with too few results to say anything. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fig.h"
#include "predict.h"
#include "surrogate.h"
#include "svg.h"

/* Fewest points worth a figure; most results the cross-validation uses
 * (the latest ones: a GP fit is cubic in n). */
#define MODEL_MIN_POINTS 3
#define CV_MIN_POINTS 5
#define CV_MAX_POINTS 300
#define CV_FOLDS 10

#define FIG_W 560.0
#define FIG_H 520.0

typedef struct model_points {
  size_t n;
  double *measured, *mean, *lo, *hi;
  int recorded; /* 1: predictions made at proposal time; 0: cross-validated */
  size_t k;     /* folds when cross-validated */
} model_points;

static void points_free(model_points *m) {
  free(m->measured), free(m->mean), free(m->lo), free(m->hi);
  memset(m, 0, sizeof *m);
}

static int points_alloc(model_points *m, size_t n) {
  size_t b = (n ? n : 1) * sizeof(double);
  m->measured = malloc(b), m->mean = malloc(b), m->lo = malloc(b), m->hi = malloc(b);
  return m->measured && m->mean && m->lo && m->hi;
}

static void add_point(model_points *m, double y, double mu, double sd) {
  m->measured[m->n] = y;
  m->mean[m->n] = mu;
  m->lo[m->n] = isfinite(sd) ? mu - 2 * sd : NAN;
  m->hi[m->n] = isfinite(sd) ? mu + 2 * sd : NAN;
  m->n++;
}

static invdes_status recorded_points(const invdes_fig_data *d, size_t t, model_points *m,
                                     invdes_error *err) {
  if (!points_alloc(m, d->n_eval)) return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  m->recorded = 1;
  for (size_t k = 0; k < d->n_eval; k++) {
    const invdes_store_proposal *p = d->eval[k];
    if (!isnan(p->value[t]) && isfinite(p->pred_mean[t]))
      add_point(m, p->value[t], p->pred_mean[t], p->pred_sd[t]);
  }
  return INVDES_OK;
}

/* One fold: fit on the rows not in it, predict its rows into m. */
static invdes_status cv_fold(const double *X, const double *y, size_t n, size_t dim, size_t k,
                             size_t f, double *Xtr, double *ytr, double *Xte, double *mu,
                             double *sd, uint64_t seed, model_points *m, invdes_error *err) {
  size_t ntr = 0, nte = 0;
  for (size_t i = 0; i < n; i++) {
    if (i % k == f) memcpy(Xte + nte++ * dim, X + i * dim, dim * sizeof *X);
    else memcpy(Xtr + ntr * dim, X + i * dim, dim * sizeof *X), ytr[ntr++] = y[i];
  }
  invdes_surrogate_options opt;
  invdes_surrogate_options_init(&opt);
  invdes_surrogate_options_set_seed(&opt, seed + f);
  invdes_status st = invdes_predict_fit_predict(invdes_surrogate_type_find("gp"), &opt, Xtr, ntr,
                                                dim, ytr, Xte, nte, mu, sd, err);
  for (size_t i = 0, c = 0; st == INVDES_OK && i < n; i++)
    if (i % k == f) add_point(m, y[i], mu[c], sd[c]), c++;
  return st;
}

static invdes_status cv_points(const invdes_fig_data *d, size_t t, model_points *m,
                               invdes_error *err) {
  size_t dim = 0, n = 0;
  for (size_t k = 0; k < d->n_eval; k++)
    if (!isnan(d->eval[k]->value[t]) && d->eval[k]->dim) {
      if (!dim) dim = d->eval[k]->dim;
      if (d->eval[k]->dim == dim) n++;
    }
  if (n < CV_MIN_POINTS || !dim) return INVDES_OK;
  size_t skip = n > CV_MAX_POINTS ? n - CV_MAX_POINTS : 0;
  n -= skip;
  double *X = malloc(n * dim * sizeof *X), *y = malloc(n * sizeof *y);
  double *Xtr = malloc(n * dim * sizeof *Xtr), *ytr = malloc(n * sizeof *ytr);
  double *Xte = malloc(n * dim * sizeof *Xte), *mu = malloc(n * sizeof *mu);
  double *sd = malloc(n * sizeof *sd);
  invdes_status st = INVDES_OK;
  if (!X || !y || !Xtr || !ytr || !Xte || !mu || !sd || !points_alloc(m, n)) {
    st = invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
    goto done;
  }
  for (size_t k = 0, i = 0, seen = 0; k < d->n_eval; k++) {
    const invdes_store_proposal *p = d->eval[k];
    if (isnan(p->value[t]) || p->dim != dim || seen++ < skip) continue;
    memcpy(X + i * dim, p->z, dim * sizeof *X);
    y[i++] = p->value[t];
  }
  m->k = n < CV_FOLDS ? n : CV_FOLDS;
  uint64_t seed = d->c ? d->c->seed : 0;
  for (size_t f = 0; st == INVDES_OK && f < m->k; f++)
    st = cv_fold(X, y, n, dim, m->k, f, Xtr, ytr, Xte, mu, sd, seed, m, err);
done:
  free(X), free(y), free(Xtr), free(ytr), free(Xte), free(mu), free(sd);
  return st;
}

static void model_note(const invdes_fig_data *d, size_t t, const model_points *m, char *note,
                       size_t size) {
  double sse = 0;
  size_t inside = 0, with_sd = 0;
  for (size_t i = 0; i < m->n; i++) {
    double e = m->mean[i] - m->measured[i];
    sse += e * e;
    if (!isnan(m->lo[i])) {
      with_sd++;
      inside += m->measured[i] >= m->lo[i] && m->measured[i] <= m->hi[i];
    }
  }
  char rmse[40];
  invdes_svg_tick_label(NULL, invdes_svg_round(sqrt(sse / (double)m->n), 3), rmse);
  const char *unit = d->targets[t].unit ? d->targets[t].unit : "";
  int len = m->recorded
                ? snprintf(note, size,
                           "%s: the prediction the model made when it proposed each point "
                           "(%zu points), against the value measured. ",
                           d->targets[t].name, m->n)
                : snprintf(note, size,
                           "%s: out-of-sample predictions of a Gaussian process on the encoded "
                           "design, %zu-fold (%zu points), against the value measured. ",
                           d->targets[t].name, m->k, m->n);
  if (len < 0 || (size_t)len >= size) return;
  snprintf(note + len, size - (size_t)len,
           "RMSE %s %s; %zu of %zu measured values inside the ±2 sd bars; dashed: y = x.", rmse,
           unit, inside, with_sd);
}

static invdes_status draw(const invdes_fig_data *d, size_t t, const model_points *m,
                          invdes_fig_list *l, invdes_error *err) {
  char name[INVDES_FIG_NAME_MAX], title[INVDES_FIG_TITLE_MAX], label[INVDES_FIG_TITLE_MAX];
  char xl[INVDES_FIG_TITLE_MAX + 16], yl[INVDES_FIG_TITLE_MAX + 16];
  snprintf(name, sizeof name, "model-%s", d->targets[t].name);
  snprintf(title, sizeof title, "%s: predicted against measured", d->targets[t].name);
  invdes_fig_target_title(d, t, label, sizeof label);
  snprintf(xl, sizeof xl, "measured %s", label);
  snprintf(yl, sizeof yl, "predicted %s", label);
  FILE *out = invdes_fig_start(l, name, title, FIG_W, FIG_H);
  if (!out) return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  invdes_svg_range r;
  invdes_svg_range_init(&r);
  invdes_svg_range_add_all(&r, m->measured, m->n);
  invdes_svg_range_add_all(&r, m->mean, m->n);
  invdes_svg_range_add_all(&r, m->lo, m->n);
  invdes_svg_range_add_all(&r, m->hi, m->n);
  char pid[INVDES_FIG_NAME_MAX + 16];
  snprintf(pid, sizeof pid, "%s-0", invdes_fig_id(l));
  invdes_svg_plot p;
  invdes_svg_panel(&p, out, pid, 84, 40, FIG_W - 24, FIG_H - 56, &r, 0, &r, 0, xl, yl);
  double diag[2] = {p.x.lo, p.x.hi};
  invdes_svg_style line = {"#555555", 1.2, "6 4", 0}, bars = {"#56B4E9", 1.2, NULL, 0};
  invdes_svg_line(&p, diag, diag, 2, &line);
  invdes_svg_errorbars(&p, m->measured, m->lo, m->hi, m->n, &bars);
  invdes_svg_markers(&p, m->measured, m->mean, m->n, INVDES_SVG_CIRCLE, 3.5, "#0072B2", NULL,
                     0.9);
  char note[INVDES_FIG_NOTE_MAX];
  model_note(d, t, m, note, sizeof note);
  return invdes_fig_finish(l, note, err);
}

invdes_status invdes_fig_model(const invdes_fig_data *d, invdes_fig_list *l, invdes_error *err) {
  invdes_status st = INVDES_OK;
  for (size_t t = 0; st == INVDES_OK && t < d->n_targets; t++) {
    model_points m = {0};
    st = recorded_points(d, t, &m, err);
    if (st == INVDES_OK && m.n < MODEL_MIN_POINTS) {
      points_free(&m);
      st = cv_points(d, t, &m, err);
      /* A model that does not fit (e.g. every value equal) leaves no figure,
       * not a failed report. */
      if (st == INVDES_ERR_NUMERIC || st == INVDES_ERR_INVALID) {
        invdes_error_clear(err);
        st = INVDES_OK;
        m.n = 0;
      }
    }
    if (st == INVDES_OK && m.n >= MODEL_MIN_POINTS) st = draw(d, t, &m, l, err);
    points_free(&m);
  }
  return st;
}
