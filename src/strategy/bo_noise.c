/* bo_noise.c — measurement noise in bo's model (bo.h): the reported
 * standard deviations of the told history become per-point noise variances
 * of a surrogate that takes them (INVDES_SURROGATE_POINT_NOISE: the GP,
 * BoTorch's FixedNoiseGP; points without a reported sd share the learned
 * noise), repeated measurements of one point are folded into one training
 * row (replicates.h), and, when an objective target is noisy, the
 * incumbent of the acquisition is the best posterior mean among the
 * evaluated points rather than the best noisy observation (the plug-in of
 * noisy expected improvement; a lucky measurement would otherwise set a bar
 * no point can clear). Noisy: sd's reported, or a learned noise that is
 * clearly there (sd >= BO_NOISE_RATIO of the values' sd with at least
 * BO_NOISE_MIN_POINTS rows: a misfit of a noise-free function looks like
 * noise early in a run, 5-12% of the values' sd at 24 points on Hartmann6
 * and Rosenbrock). Structure too fine for the model counts as noise too: on
 * the shifted Ackley-5D the GP takes the ripples for noise, and with the
 * best observed value as the bar EI stayed in one ripple (median regret
 * 1.51 at 100 evaluations over 10 seeds) where the plug-in reaches 0.060;
 * Branin, Hartmann6 and Rosenbrock-4D ran the same proposals either way.
 * The recommendation of `best` (recommend.h) uses the same test.
 *
 * With a reported sd, EI and log EI are augmented (Huang et al., J. Glob.
 * Optim. 34, 2006): EI times 1 - s_n / sqrt(var + s_n^2), s_n^2 the median
 * reported noise variance (bo_score.c applies it), so that points the model
 * already knows to within the noise are not measured again and again
 * (Hartmann6, noise sd 0.05, 10 seeds, regret of the recommendation @100:
 * 0.0206 -> 0.0091; Branin 0.0015 -> 0.0021; Rosenbrock-4D 0.130 -> 0.134).
 *
 * With no sd reported and no point measured twice nothing here changes the
 * fit: bt->noise is dropped and the surrogate learns one noise as before. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_statistics_double.h>

#include "bo.h"
#include "replicates.h"

void bo_noise_row(const invdes_strategy *s, bo_target *bt, size_t t, size_t i, int failed) {
  double sd = failed ? NAN : s->h_sd[i * s->n_targets + t];
  bt->noise[bt->n] = sd >= 0 ? sd * sd : NAN;
}

invdes_status bo_noise_combine(const bo_model *m, bo_target *bt, invdes_error *err) {
  if (!bt->noise) return INVDES_OK;
  size_t n = bt->n;
  invdes_status st = invdes_replicates_combine(bt->X, n, m->D, bt->y, bt->noise, &bt->n, NULL, err);
  if (st) return st;
  int known = 0;
  for (size_t i = 0; i < bt->n; i++) known |= !isnan(bt->noise[i]);
  if (!known) { /* nothing reported, nothing folded: the homoscedastic fit */
    free(bt->noise);
    bt->noise = NULL;
  }
  return INVDES_OK;
}

int bo_noise_target_noisy(const bo_target *bt, int learned) {
  if (!bt->sur) return 0;
  for (size_t i = 0; bt->noise && i < bt->n; i++)
    if (bt->noise[i] > 0) return 1;
  if (!learned || bt->n < BO_NOISE_MIN_POINTS) return 0;
  /* the learned noise against the spread of the values (sd 1 when undefined) */
  double nv = invdes_surrogate_noise_var(bt->sur);
  return nv >= BO_NOISE_RATIO * BO_NOISE_RATIO * bt->sd * bt->sd;
}

double bo_noise_incumbent(bo_model *m) {
  const invdes_strategy *s = m->s;
  size_t N = s->n_hist, T = m->T;
  int any = 0;
  for (size_t t = 0; t < T; t++)
    any |= m->t[t].role == BO_ROLE_OBJECTIVE && bo_noise_target_noisy(&m->t[t], 1);
  if (!any || !N) return NAN;
  /* the posterior means of every row in one prediction per noisy target;
   * NAN (no model, no memory, a failed prediction): the measured value */
  double *mu = malloc((N * T + 1) * sizeof *mu);
  invdes_error e;
  for (size_t t = 0; t < T; t++) {
    const bo_target *bt = &m->t[t];
    double *col = mu ? mu + t * N : NULL;
    if (!col) break;
    int noisy = bt->role == BO_ROLE_OBJECTIVE && bo_noise_target_noisy(bt, 1);
    if (!noisy || invdes_surrogate_predict(bt->sur, s->h_z, N, col, NULL, &e))
      for (size_t i = 0; i < N; i++) col[i] = NAN;
  }
  double best = -INFINITY;
  for (size_t i = 0; i < N; i++) {
    if (isnan(bo_model_row_objective(m, i, 1))) continue;
    double g = 0;
    for (size_t t = 0; t < T; t++) {
      const bo_target *bt = &m->t[t];
      double y = s->h_y[i * s->n_targets + t];
      if (bt->role != BO_ROLE_OBJECTIVE || !isfinite(y)) continue;
      double v = mu && isfinite(mu[t * N + i]) ? mu[t * N + i] : y;
      g += bt->weight * bt->sign * (v - bt->mean) / bt->sd;
    }
    if (g > best) best = g;
  }
  free(mu);
  return best == -INFINITY ? NAN : best;
}

double bo_noise_aei_var(const bo_model *m) {
  if (m->mo || m->feas_only || (m->kind != INVDES_ACQ_EI && m->kind != INVDES_ACQ_LOGEI))
    return 0;
  double v = 0;
  for (size_t t = 0; t < m->T; t++) {
    const bo_target *bt = &m->t[t];
    if (bt->role != BO_ROLE_OBJECTIVE || !bt->noise || !bt->sur) continue;
    double *r = malloc((bt->n + 1) * sizeof *r); /* NULL: plain EI for t */
    size_t k = 0;
    for (size_t i = 0; r && i < bt->n; i++)
      if (bt->noise[i] > 0) r[k++] = bt->noise[i];
    if (k) v += bt->weight * bt->weight * gsl_stats_median(r, 1, k) / (bt->sd * bt->sd);
    free(r);
  }
  return v;
}
