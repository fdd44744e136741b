/* campaign_pool.c — the `pool` section: a CSV table of candidates that is
 * searched instead of a parameter space, loaded when the campaign is loaded.
 *
 * Reads the table (table.h), picks the id column and the feature columns
 * (given, or every numeric column that is neither the id nor a target), and
 * stores the features row-major with each candidate's id. Mistakes name the
 * campaign line of the key at fault and what the table holds. Also home of
 * the table helpers the data-set checks share. It does not choose candidates
 * or look up measured values (objectives do). */
#include "campaign_pool.h"

#include <stdlib.h>
#include <string.h>

#include "objective.h"

char *invdes_cload_resolve(invdes_cload *L, const char *file) {
  if (file[0] == '/' || strcmp(L->c->dir, ".") == 0) return invdes_cload_strdup(L, file);
  size_t n = strlen(L->c->dir) + strlen(file) + 2;
  char *p = malloc(n);
  if (!p) return invdes_cload_nomem(L);
  snprintf(p, n, "%s/%s", L->c->dir, file);
  return p;
}

invdes_table *invdes_cload_table(invdes_cload *L, const invdes_ynode *at, const char *what,
                                 const char *path) {
  invdes_error terr;
  invdes_error_clear(&terr);
  invdes_table *t = invdes_table_read(path, &terr);
  if (!t) {
    if (terr.status == INVDES_ERR_NOMEM) return invdes_cload_nomem(L);
    invdes_cload_error(L, at, terr.status == INVDES_ERR_IO ? INVDES_ERR_IO : INVDES_ERR_INVALID,
                       "%s: %s", what, terr.message);
  }
  return t;
}

long invdes_cload_column(invdes_cload *L, const invdes_ynode *at, const invdes_table *t,
                         const char *name, const char *role) {
  long j = invdes_table_find_col(t, name);
  if (j >= 0) return j;
  size_t n = invdes_table_n_cols(t);
  const char **names = calloc(n + 1, sizeof *names);
  if (!names) return invdes_cload_nomem(L), -1;
  for (size_t k = 0; k < n; k++) names[k] = invdes_table_col_name(t, k);
  const char *s = invdes_cload_suggest(name, names);
  free(names);
  if (s)
    invdes_cload_error(L, at, INVDES_ERR_INVALID, "%s '%s' is not a column of %s; did you mean '%s'?",
                       role, name, invdes_table_path(t), s);
  else
    invdes_cload_error(L, at, INVDES_ERR_INVALID, "%s '%s' is not a column of %s (it has %zu "
                       "columns, the first '%s')", role, name, invdes_table_path(t), n,
                       invdes_table_col_name(t, 0));
  return -1;
}

int invdes_cload_numeric(invdes_cload *L, const invdes_ynode *at, const invdes_table *t,
                         size_t j, const char *role, double *out) {
  invdes_error terr;
  invdes_error_clear(&terr);
  double *tmp = out ? out : malloc(invdes_table_n_rows(t) * sizeof *tmp);
  if (!tmp) return invdes_cload_nomem(L), 0;
  invdes_status s = invdes_table_numeric_column(t, j, tmp, &terr);
  if (!out) free(tmp);
  if (s == INVDES_OK) return 1;
  invdes_cload_error(L, at, INVDES_ERR_INVALID, "%s '%s' must be numeric: %s", role,
                     invdes_table_col_name(t, j), terr.message);
  return 0;
}

static int is_target(const invdes_campaign *c, const char *name) {
  for (size_t i = 0; i < c->n_targets; i++)
    if (c->targets[i].name && strcmp(c->targets[i].name, name) == 0) return 1;
  return 0;
}

/* Whether most cells of column j are decimal numbers. */
static int mostly_numbers(const invdes_table *t, size_t j) {
  size_t n = invdes_table_n_rows(t), numbers = 0;
  double v;
  for (size_t i = 0; i < n; i++) numbers += invdes_decimal_parse(invdes_table_cell(t, i, j), &v) == 0;
  return numbers * 2 > n;
}

/* Picks the default features: numeric columns other than the id and targets;
 * a column of numbers with some bad cells is refused, naming the first. */
static int default_features(invdes_cload *L, const invdes_ynode *n, invdes_pool *p,
                            const invdes_table *t, long id) {
  size_t nc = invdes_table_n_cols(t);
  p->features = calloc(nc, sizeof *p->features);
  if (!p->features) return invdes_cload_nomem(L), 0;
  for (size_t j = 0; j < nc; j++) {
    const char *name = invdes_table_col_name(t, j);
    if ((long)j == id || is_target(L->c, name)) continue;
    if (invdes_table_is_numeric_column(t, j) != INVDES_OK) {
      if (!mostly_numbers(t, j)) continue; /* a text column: labels, names */
      /* Numbers but for some cells: dropping it from the features without
       * a word would change the model behind the user's back. */
      invdes_error terr;
      invdes_error_clear(&terr);
      double *scratch = malloc(invdes_table_n_rows(t) * sizeof *scratch);
      if (!scratch) return invdes_cload_nomem(L), 0;
      invdes_table_numeric_column(t, j, scratch, &terr);
      free(scratch);
      invdes_cload_error(L, n, INVDES_ERR_INVALID,
                         "pool: %s; the column's other cells are numbers, so it would be a "
                         "feature: fix the cell, or list the features to use under "
                         "'features:' without it", terr.message);
      return 0;
    }
    if (!(p->features[p->n_features++] = invdes_cload_strdup(L, name))) return 0;
  }
  if (p->n_features == 0) {
    invdes_cload_error(L, n, INVDES_ERR_INVALID,
                       "pool: %s has no numeric column besides the id and the targets to use "
                       "as features", p->path);
    return 0;
  }
  return 1;
}

static int read_features(invdes_cload *L, const invdes_ynode *f, invdes_pool *p) {
  if (!invdes_cload_expect_list(L, f, "'features'")) return 0;
  if (f->n == 0) {
    invdes_cload_error(L, f, INVDES_ERR_INVALID, "'features' is empty: list the columns the "
                       "surrogate sees, or leave 'features' out to use every numeric column");
    return 0;
  }
  p->features = calloc(f->n, sizeof *p->features);
  if (!p->features) return invdes_cload_nomem(L), 0;
  int ok = 1;
  for (size_t i = 0; i < f->n; i++) {
    const char *s;
    if (!invdes_cload_string(L, f->items[i], "a feature", &s)) { ok = 0; continue; }
    for (size_t k = 0; k < p->n_features; k++)
      if (strcmp(p->features[k], s) == 0) {
        invdes_cload_error(L, f->items[i], INVDES_ERR_INVALID, "feature '%s' is listed twice", s);
        ok = 0;
      }
    if (is_target(L->c, s)) {
      invdes_cload_error(L, f->items[i], INVDES_ERR_INVALID,
                         "feature '%s' is also a target: a measured value cannot be an input", s);
      ok = 0;
    }
    if (!(p->features[p->n_features++] = invdes_cload_strdup(L, s))) return 0;
  }
  return ok;
}

/* Reports the first id used twice (sorting indices by id). */
static void check_ids(invdes_cload *L, const invdes_ynode *at, const invdes_pool *p,
                      const invdes_table *t) {
  size_t n = p->n_rows;
  size_t *ord = malloc(n * sizeof *ord);
  if (!ord) { invdes_cload_nomem(L); return; }
  for (size_t i = 0; i < n; i++) ord[i] = i;
  /* Bottom-up merge sort of row indices by id (qsort has no context). */
  size_t *tmp = malloc(n * sizeof *tmp);
  if (!tmp) { free(ord); invdes_cload_nomem(L); return; }
  for (size_t w = 1; w < n; w *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * w) {
      size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
      size_t a = lo, b = mid, k = lo;
      while (a < mid && b < hi)
        tmp[k++] = strcmp(p->ids[ord[a]], p->ids[ord[b]]) <= 0 ? ord[a++] : ord[b++];
      while (a < mid) tmp[k++] = ord[a++];
      while (b < hi) tmp[k++] = ord[b++];
    }
    memcpy(ord, tmp, n * sizeof *ord);
  }
  free(tmp);
  for (size_t i = 1; i < n; i++)
    if (strcmp(p->ids[ord[i - 1]], p->ids[ord[i]]) == 0) {
      size_t r1 = ord[i - 1] < ord[i] ? ord[i - 1] : ord[i];
      size_t r2 = ord[i - 1] < ord[i] ? ord[i] : ord[i - 1];
      invdes_cload_error(L, at, INVDES_ERR_INVALID,
                         "pool: id '%.80s' names two candidates (%s lines %d and %d)",
                         p->ids[r1], p->path, invdes_table_row_line(t, r1),
                         invdes_table_row_line(t, r2));
      break;
    }
  free(ord);
}

static const char *const pool_keys[] = {"file", "id", "features", NULL};

void invdes_cload_pool(invdes_cload *L, const invdes_ynode *n) {
  if (!n || invdes_ynode_is_null(n)) return;
  invdes_campaign *c = L->c;
  invdes_pool *p = c->pool = calloc(1, sizeof *c->pool);
  if (!p) { invdes_cload_nomem(L); return; }
  p->mark = invdes_cload_mark(n);
  if (!invdes_cload_expect_mapping(L, n, "'pool'")) return;
  invdes_cload_keys(L, n, "pool", pool_keys);
  const invdes_ynode *fn = invdes_cload_get(n, "file"), *idn = invdes_cload_get(n, "id");
  const invdes_ynode *feat = invdes_cload_get(n, "features");
  const char *s;
  if (!fn) {
    invdes_cload_error(L, L->section_key ? L->section_key : n, INVDES_ERR_INVALID,
                       "'pool' has no 'file' (the CSV table of candidates)");
    return;
  }
  if (!invdes_cload_string(L, fn, "'file'", &s)) return;
  if (!(p->file = invdes_cload_strdup(L, s)) || !(p->path = invdes_cload_resolve(L, s))) return;
  if (idn && !invdes_ynode_is_null(idn) && invdes_cload_string(L, idn, "'id'", &s))
    if (!(p->id_column = invdes_cload_strdup(L, s))) return;
  invdes_table *t = invdes_cload_table(L, fn, "pool file", p->path);
  if (!t) return;
  long id = -1;
  int ok = 1;
  if (p->id_column && (id = invdes_cload_column(L, idn, t, p->id_column, "id column")) < 0) ok = 0;
  if (feat) {
    ok &= read_features(L, feat, p);
  } else if (ok) {
    ok = default_features(L, n, p, t, id);
  }
  size_t nr = invdes_table_n_rows(t);
  long *cols = ok ? calloc(p->n_features ? p->n_features : 1, sizeof *cols) : NULL;
  if (ok && !cols) { invdes_cload_nomem(L); ok = 0; }
  for (size_t k = 0; ok && k < p->n_features; k++) {
    const invdes_ynode *at = feat ? feat->items[k] : n;
    cols[k] = invdes_cload_column(L, at, t, p->features[k], "feature");
    if (cols[k] < 0 || !invdes_cload_numeric(L, at, t, (size_t)cols[k], "feature", NULL)) ok = 0;
  }
  if (ok) {
    p->n_rows = nr;
    p->x = malloc(nr * p->n_features * sizeof *p->x);
    double *col = malloc(nr * sizeof *col);
    p->ids = calloc(nr, sizeof *p->ids);
    if (!p->x || !col || !p->ids) {
      invdes_cload_nomem(L);
    } else {
      for (size_t k = 0; k < p->n_features; k++) {
        invdes_table_numeric_column(t, (size_t)cols[k], col, NULL);
        for (size_t i = 0; i < nr; i++) p->x[i * p->n_features + k] = col[i];
      }
      int empty = 0;
      for (size_t i = 0; i < nr && !L->nomem; i++) {
        char num[32];
        snprintf(num, sizeof num, "%zu", i + 1);
        p->ids[i] = invdes_cload_strdup(L, id >= 0 ? invdes_table_cell(t, i, (size_t)id) : num);
        if (p->ids[i] && !p->ids[i][0] && !empty++)
          invdes_cload_error(L, idn, INVDES_ERR_INVALID, "pool: the candidate at %s line %d "
                             "has an empty id", p->path, invdes_table_row_line(t, i));
      }
      if (!L->nomem && id >= 0 && !empty) check_ids(L, idn, p, t);
    }
    free(col);
  }
  free(cols);
  /* A retrospective campaign looks each target up in the pool's own table. */
  if (c->objective.type && (c->objective.type->flags & INVDES_OBJECTIVE_POOL_TARGETS))
    for (size_t i = 0; i < c->n_targets; i++) {
      const invdes_target *tg = &c->targets[i];
      if (!tg->name) continue;
      const invdes_ynode at = {.line = tg->mark.line, .column = tg->mark.column};
      long j = invdes_cload_column(L, &at, t, tg->name, "target");
      if (j >= 0) invdes_cload_numeric(L, &at, t, (size_t)j, "target", NULL);
    }
  invdes_table_free(t);
}
