/* predict.c — choosing feature columns, scaling, fitting and K-fold
 * cross-validation for direct property prediction (see predict.h). Cells are
 * converted by table.c, models come from surrogate.h; nothing here prints. */
#include "predict.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "rng.h"

/* Stream id of the fold assignment ("cv"), apart from every model stream. */
enum { CV_STREAM = 0x6376 };

void invdes_dataset_release(invdes_dataset *ds) {
  if (!ds) return;
  if (ds->names)
    for (size_t j = 0; j < ds->d; j++) free(ds->names[j]);
  free(ds->names);
  free(ds->X);
  free(ds->y);
  free(ds->target);
  memset(ds, 0, sizeof *ds);
}

/* Splits a comma-separated list into trimmed, non-empty names (owned array of
 * owned strings; *count set). NULL on an empty name or out of memory. */
static char **split_names(const char *list, size_t *count, invdes_error *err) {
  size_t cap = 1;
  for (const char *p = list; *p; p++) cap += *p == ',';
  char **out = calloc(cap, sizeof *out);
  if (!out) {
    invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
    return NULL;
  }
  size_t k = 0;
  const char *p = list;
  for (;;) {
    const char *e = strchr(p, ',');
    if (!e) e = p + strlen(p);
    const char *a = p, *b = e;
    while (a < b && (*a == ' ' || *a == '\t')) a++;
    while (b > a && (b[-1] == ' ' || b[-1] == '\t')) b--;
    if (a == b) {
      invdes_error_set(err, INVDES_ERR_INVALID, "empty column name in list '%s'", list);
      goto fail;
    }
    out[k] = strndup(a, (size_t)(b - a));
    if (!out[k]) {
      invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
      goto fail;
    }
    k++;
    if (!*e) break;
    p = e + 1;
  }
  *count = k;
  return out;
fail:
  for (size_t j = 0; j < k; j++) free(out[j]);
  free(out);
  return NULL;
}

static void free_names(char **v, size_t k) {
  if (!v) return;
  for (size_t j = 0; j < k; j++) free(v[j]);
  free(v);
}

/* 1 when some cell of column j reads as a finite number. */
static int has_number(const invdes_table *t, size_t j) {
  for (size_t i = 0; i < invdes_table_n_rows(t); i++) {
    const char *c = invdes_table_cell(t, i, j);
    char *end;
    double v = strtod(c, &end);
    while (*end == ' ' || *end == '\t') end++;
    if (end != c && !*end && isfinite(v)) return 1;
  }
  return 0;
}

invdes_status invdes_dataset_from_table(const invdes_table *t, const char *target,
                                        const char *features, const char *exclude,
                                        invdes_dataset *out, invdes_error *err) {
  memset(out, 0, sizeof *out);
  const char *path = invdes_table_path(t);
  const size_t nc = invdes_table_n_cols(t), n = invdes_table_n_rows(t);
  long tj = invdes_table_find_col(t, target);
  if (tj < 0)
    return invdes_error_set(err, INVDES_ERR_INVALID,
                            "%s: no column named '%s' (the target)", path, target);
  if (features && exclude)
    return invdes_error_set(err, INVDES_ERR_INVALID,
                            "give either the feature columns or the columns to "
                            "exclude, not both");
  out->target = strdup(target);
  out->y = malloc(n * sizeof *out->y);
  if (!out->target || !out->y)
    return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  invdes_status st = invdes_table_numeric_column(t, (size_t)tj, out->y, err);
  if (st != INVDES_OK) return st;
  out->n = n;

  char **list = NULL;
  size_t nl = 0;
  if (features || exclude) {
    list = split_names(features ? features : exclude, &nl, err);
    if (!list) return err ? err->status : INVDES_ERR_INVALID;
    for (size_t a = 0; a < nl; a++) {
      if (invdes_table_find_col(t, list[a]) < 0)
        st = invdes_error_add(err, INVDES_ERR_INVALID, "%s: no column named '%s'",
                              path, list[a]);
      else if (features && strcmp(list[a], target) == 0)
        st = invdes_error_add(err, INVDES_ERR_INVALID,
                              "the target '%s' cannot also be a feature", target);
      for (size_t b = 0; b < a; b++)
        if (strcmp(list[a], list[b]) == 0)
          st = invdes_error_add(err, INVDES_ERR_INVALID, "column '%s' is listed twice",
                                list[a]);
    }
    if (st != INVDES_OK) {
      free_names(list, nl);
      return st;
    }
  }
  if (features) {
    out->names = list;
    out->d = nl;
  } else {
    out->names = calloc(nc, sizeof *out->names);
    if (!out->names) {
      free_names(list, nl);
      return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
    }
    for (size_t j = 0; j < nc; j++) {
      const char *name = invdes_table_col_name(t, j);
      int skip = (long)j == tj;
      for (size_t a = 0; a < nl && !skip; a++) skip = strcmp(list[a], name) == 0;
      if (skip || !has_number(t, j)) continue;
      out->names[out->d] = strdup(name);
      if (!out->names[out->d]) {
        free_names(list, nl);
        return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
      }
      out->d++;
    }
    free_names(list, nl);
    if (out->d == 0)
      return invdes_error_set(err, INVDES_ERR_INVALID,
                              "%s: no numeric column besides the target '%s' to "
                              "use as a feature", path, target);
  }
  out->X = invdes_table_features(t, out->names, out->d, err);
  return out->X ? INVDES_OK : (err ? err->status : INVDES_ERR_INVALID);
}

double *invdes_table_features(const invdes_table *t, char *const *names, size_t d,
                              invdes_error *err) {
  const size_t n = invdes_table_n_rows(t);
  double *X = malloc(n * d * sizeof *X), *col = malloc(n * sizeof *col);
  invdes_status st = INVDES_OK;
  if (!X || !col) st = invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  for (size_t j = 0; j < d && st == INVDES_OK; j++) {
    long c = invdes_table_find_col(t, names[j]);
    if (c < 0) {
      st = invdes_error_set(err, INVDES_ERR_INVALID, "%s: no column named '%s'",
                            invdes_table_path(t), names[j]);
      break;
    }
    st = invdes_table_numeric_column(t, (size_t)c, col, err);
    for (size_t i = 0; i < n && st == INVDES_OK; i++) X[i * d + j] = col[i];
  }
  free(col);
  if (st != INVDES_OK) {
    free(X);
    return NULL;
  }
  return X;
}

/* Scales X (n×d) into out with the column minima lo and ranges span of the
 * training rows; a constant column (span 0) maps to 0. */
static void scale_rows(const double *X, size_t n, size_t d, const double *lo,
                       const double *span, double *out) {
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < d; j++)
      out[i * d + j] = span[j] > 0.0 ? (X[i * d + j] - lo[j]) / span[j] : 0.0;
}

invdes_status invdes_predict_fit_predict(invdes_model_kind kind,
                                         const invdes_surrogate_options *opt,
                                         const double *X, size_t n, size_t d,
                                         const double *y, const double *Xq,
                                         size_t m, double *mean, double *sd,
                                         invdes_error *err) {
  if (n < 1 || d < 1)
    return invdes_error_set(err, INVDES_ERR_INVALID, "no training rows or features");
  double *lo = malloc(d * sizeof *lo), *span = malloc(d * sizeof *span);
  double *Xs = malloc(n * d * sizeof *Xs), *Qs = malloc((m ? m : 1) * d * sizeof *Qs);
  double *var = malloc((m ? m : 1) * sizeof *var);
  invdes_surrogate *s = invdes_surrogate_new(kind, opt);
  invdes_status st = INVDES_OK;
  if (!lo || !span || !Xs || !Qs || !var || !s) {
    st = invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory (or bad model options)");
    goto done;
  }
  for (size_t j = 0; j < d; j++) {
    double a = X[j], b = X[j];
    for (size_t i = 1; i < n; i++) {
      a = fmin(a, X[i * d + j]);
      b = fmax(b, X[i * d + j]);
    }
    lo[j] = a;
    span[j] = b - a;
  }
  scale_rows(X, n, d, lo, span, Xs);
  for (size_t i = 0; i < n * d; i++) Xs[i] = fmin(1.0, fmax(0.0, Xs[i]));
  scale_rows(Xq, m, d, lo, span, Qs);
  st = invdes_surrogate_fit(s, Xs, n, d, y, NULL, err);
  if (st == INVDES_OK && m > 0) st = invdes_surrogate_predict(s, Qs, m, mean, var, err);
  if (st == INVDES_OK && sd) {
    double noise = invdes_surrogate_noise_var(s);
    for (size_t i = 0; i < m; i++) sd[i] = sqrt(fmax(0.0, var[i]) + noise);
  }
done:
  invdes_surrogate_free(s);
  free(lo);
  free(span);
  free(Xs);
  free(Qs);
  free(var);
  return st;
}

invdes_status invdes_predict_cv(invdes_model_kind kind,
                                const invdes_surrogate_options *opt,
                                const double *X, size_t n, size_t d,
                                const double *y, size_t k, uint64_t seed,
                                invdes_cv_result *res, double *pred,
                                invdes_error *err) {
  if (k < 2)
    return invdes_error_set(err, INVDES_ERR_INVALID,
                            "cross-validation needs at least 2 folds (got %zu)", k);
  if (n < k)
    return invdes_error_set(err, INVDES_ERR_INVALID,
                            "%zu-fold cross-validation needs at least %zu rows (got %zu)",
                            k, k, n);
  size_t *perm = malloc(n * sizeof *perm), *fold = malloc(n * sizeof *fold);
  double *Xtr = malloc(n * d * sizeof *Xtr), *ytr = malloc(n * sizeof *ytr);
  double *Xte = malloc(n * d * sizeof *Xte), *mu = malloc(n * sizeof *mu);
  double *all = malloc(n * sizeof *all);
  gsl_rng *r = invdes_rng_new(seed, CV_STREAM);
  invdes_status st = INVDES_OK;
  if (!perm || !fold || !Xtr || !ytr || !Xte || !mu || !all || !r) {
    st = invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
    goto done;
  }
  for (size_t i = 0; i < n; i++) perm[i] = i;
  gsl_ran_shuffle(r, perm, n, sizeof *perm);
  for (size_t i = 0; i < n; i++) fold[perm[i]] = i % k;
  for (size_t f = 0; f < k && st == INVDES_OK; f++) {
    size_t ntr = 0, nte = 0;
    for (size_t i = 0; i < n; i++) {
      if (fold[i] == f) {
        memcpy(Xte + nte * d, X + i * d, d * sizeof *X);
        nte++;
      } else {
        memcpy(Xtr + ntr * d, X + i * d, d * sizeof *X);
        ytr[ntr++] = y[i];
      }
    }
    st = invdes_predict_fit_predict(kind, opt, Xtr, ntr, d, ytr, Xte, nte, mu, NULL, err);
    if (st != INVDES_OK) {
      invdes_error_add(err, st, "while fitting fold %zu of %zu", f + 1, k);
      break;
    }
    for (size_t i = 0, c = 0; i < n; i++)
      if (fold[i] == f) all[i] = mu[c++];
  }
  if (st == INVDES_OK) {
    double ybar = 0.0, sse = 0.0, sae = 0.0, sst = 0.0;
    for (size_t i = 0; i < n; i++) ybar += y[i];
    ybar /= (double)n;
    for (size_t i = 0; i < n; i++) {
      double e = all[i] - y[i];
      sse += e * e;
      sae += fabs(e);
      sst += (y[i] - ybar) * (y[i] - ybar);
    }
    res->rmse = sqrt(sse / (double)n);
    res->mae = sae / (double)n;
    res->r2 = sst > 0.0 ? 1.0 - sse / sst : NAN;
    res->n = n;
    res->k = k;
    if (pred) memcpy(pred, all, n * sizeof *pred);
  }
done:
  if (r) gsl_rng_free(r);
  free(perm);
  free(fold);
  free(Xtr);
  free(ytr);
  free(Xte);
  free(mu);
  free(all);
  return st;
}
