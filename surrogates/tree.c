/* tree.c — growing and walking one regression tree on presorted rows.
 *
 * See tree.h for the split rule. The work lists idx[j] hold the in-bag rows of
 * every node contiguously, in increasing order of feature j; a node is a range
 * [lo, hi) that is the same set of rows in every list. Splitting a node marks
 * each row left or right and partitions every list stably, which keeps each
 * half sorted. Nodes are grown depth first from an explicit stack, so no
 * recursion depth limits the tree. This file does no bootstrap sampling, no
 * aggregation over trees and no threading. */
#include "tree.h"

#include <float.h>
#include <stdlib.h>
#include <string.h>

struct invdes_tree_work {
  size_t n, d;
  int32_t *idx;     /* d lists of n row ids: idx[j * n + k] */
  int32_t *tmp;     /* n: right halves while partitioning */
  uint8_t *left;    /* n: per row, 1 when the current split sends it left */
  size_t *feats;    /* d: feature order for the random subset */
  struct frame { size_t node, lo, hi, depth; } *stack; /* n + 1 */
};

invdes_tree_work *invdes_tree_work_new(size_t n, size_t d) {
  invdes_tree_work *w = calloc(1, sizeof *w);
  if (!w) return NULL;
  w->n = n;
  w->d = d;
  w->idx = malloc(n * d * sizeof *w->idx);
  w->tmp = malloc(n * sizeof *w->tmp);
  w->left = malloc(n);
  w->feats = malloc(d * sizeof *w->feats);
  w->stack = malloc((n + 1) * sizeof *w->stack);
  if (!w->idx || !w->tmp || !w->left || !w->feats || !w->stack) {
    invdes_tree_work_free(w);
    return NULL;
  }
  return w;
}

void invdes_tree_work_free(invdes_tree_work *w) {
  if (!w) return;
  free(w->idx);
  free(w->tmp);
  free(w->left);
  free(w->feats);
  free(w->stack);
  free(w);
}

void invdes_tree_release(invdes_tree *t) {
  if (!t) return;
  free(t->node);
  free(t->leaf_mean);
  free(t->leaf_var);
  memset(t, 0, sizeof *t);
}

/* Makes room for `extra` more nodes. */
static int reserve_nodes(invdes_tree *t, size_t extra) {
  if (t->n_nodes + extra <= t->cap_nodes) return 0;
  size_t cap = t->cap_nodes ? 2 * t->cap_nodes : 64;
  while (cap < t->n_nodes + extra) cap *= 2;
  invdes_tree_node *nd = realloc(t->node, cap * sizeof *nd);
  if (!nd) return -1;
  t->node = nd;
  t->cap_nodes = cap;
  return 0;
}

static int add_leaf(invdes_tree *t, size_t node, double mean, double var) {
  if (t->n_leaves == t->cap_leaves) {
    size_t cap = t->cap_leaves ? 2 * t->cap_leaves : 64;
    double *m = realloc(t->leaf_mean, cap * sizeof *m);
    if (!m) return -1;
    t->leaf_mean = m;
    double *v = realloc(t->leaf_var, cap * sizeof *v);
    if (!v) return -1;
    t->leaf_var = v;
    t->cap_leaves = cap;
  }
  t->node[node].feature = -1;
  t->node[node].child = (int32_t)t->n_leaves;
  t->node[node].split.threshold = 0.0;
  t->leaf_mean[t->n_leaves] = mean;
  t->leaf_var[t->n_leaves] = var;
  t->n_leaves++;
  return 0;
}

/* The best split found so far in a node. score is the weighted sum of
 * (side sum)^2 / (side weight) over both sides: larger is a smaller SSE. */
typedef struct best_split {
  double score;
  int feature;          /* -1: none found */
  size_t pos;           /* numeric: last position (in idx[feature]) going left */
  uint64_t mask;        /* categorical: categories going left */
  double thr;           /* extra-trees: the drawn threshold */
} best_split;

static void scan_numeric(const invdes_tree_data *D, const invdes_tree_params *p,
                         const uint32_t *cnt, const int32_t *ids, size_t lo,
                         size_t hi, double W, double S, int j, best_split *b) {
  const double *x = D->xc + (size_t)j * D->n, *y = D->y;
  size_t m = hi - lo;
  double wl = 0.0, sl = 0.0;
  double xn = x[ids[lo]];
  for (size_t k = lo; k + 1 < hi; k++) {
    int32_t r = ids[k];
    double xv = xn;
    xn = x[ids[k + 1]];
    wl += cnt[r];
    sl += cnt[r] * y[r];
    size_t nl = k - lo + 1;
    if (nl < p->min_leaf) continue;
    if (m - nl < p->min_leaf) break;
    if (!(xv < xn)) continue;
    double sr = S - sl, wr = W - wl;
    double score = sl * sl / wl + sr * sr / wr;
    if (score > b->score) {
      b->score = score;
      b->feature = j;
      b->pos = k;
    }
  }
}

/* Extra-trees (Geurts et al. 2006): one threshold drawn uniformly between
 * the node's smallest and largest value of feature j, scored like any
 * other; a draw that leaves a side with fewer than min_leaf rows is no
 * candidate (as scikit-learn's ExtraTreesRegressor). */
static void scan_extra(const invdes_tree_data *D, const invdes_tree_params *p,
                       const uint32_t *cnt, const int32_t *ids, size_t lo,
                       size_t hi, double W, double S, int j, gsl_rng *r, best_split *b) {
  const double *x = D->xc + (size_t)j * D->n, *y = D->y;
  double a = x[ids[lo]], c = x[ids[hi - 1]];
  double t = a + gsl_rng_uniform(r) * (c - a);
  if (!(t >= a && t < c)) t = a;
  double wl = 0.0, sl = 0.0;
  size_t k = lo;
  for (; k < hi && x[ids[k]] <= t; k++) {
    wl += cnt[ids[k]];
    sl += cnt[ids[k]] * y[ids[k]];
  }
  size_t nl = k - lo;
  if (nl < p->min_leaf || hi - k < p->min_leaf || nl == 0 || k == hi) return;
  double sr = S - sl, wr = W - wl;
  double score = sl * sl / wl + sr * sr / wr;
  if (score > b->score) {
    b->score = score;
    b->feature = j;
    b->pos = k - 1;
    b->thr = t;
  }
}

static void scan_categorical(const invdes_tree_data *D,
                             const invdes_tree_params *p, const uint32_t *cnt,
                             const int32_t *ids, size_t lo, size_t hi,
                             double W, double S, int j, int k_cat,
                             best_split *b) {
  const double *x = D->xc + (size_t)j * D->n, *y = D->y;
  double cw[INVDES_TREE_MAX_CATEGORIES] = {0}, cs[INVDES_TREE_MAX_CATEGORIES] = {0};
  size_t cn[INVDES_TREE_MAX_CATEGORIES] = {0};
  for (size_t k = lo; k < hi; k++) {
    int32_t r = ids[k];
    int c = (int)x[r];
    cw[c] += cnt[r];
    cs[c] += cnt[r] * y[r];
    cn[c]++;
  }
  int present[INVDES_TREE_MAX_CATEGORIES], np = 0;
  for (int c = 0; c < k_cat; c++)
    if (cn[c] > 0) present[np++] = c;
  /* Insertion sort by mean response; ties keep category order. */
  for (int a = 1; a < np; a++) {
    int c = present[a];
    double mc = cs[c] / cw[c];
    int z = a - 1;
    while (z >= 0 && cs[present[z]] / cw[present[z]] > mc) {
      present[z + 1] = present[z];
      z--;
    }
    present[z + 1] = c;
  }
  size_t m = hi - lo, nl = 0;
  double wl = 0.0, sl = 0.0;
  uint64_t mask = 0;
  for (int a = 0; a + 1 < np; a++) {
    int c = present[a];
    nl += cn[c];
    wl += cw[c];
    sl += cs[c];
    mask |= (uint64_t)1 << c;
    if (nl < p->min_leaf || m - nl < p->min_leaf) continue;
    double sr = S - sl, wr = W - wl;
    double score = sl * sl / wl + sr * sr / wr;
    if (score > b->score) {
      b->score = score;
      b->feature = j;
      b->mask = mask;
    }
  }
}

/* 1 when feature j takes one value only on the node's rows. */
static int is_constant(const invdes_tree_data *D, const int32_t *ids,
                       size_t lo, size_t hi, int j) {
  const double *x = D->xc + (size_t)j * D->n;
  if (D->n_cat && D->n_cat[j] > 0) {
    double v = x[ids[lo]];
    for (size_t k = lo + 1; k < hi; k++)
      if (x[ids[k]] != v) return 0;
    return 1;
  }
  return !(x[ids[lo]] < x[ids[hi - 1]]);
}

/* Splits rows [lo, hi) of every feature's sorted list by the marks in
 * w->left, stably: rows going left first, in their order, then the rest.
 * Returns how many went left. */
static size_t partition_lists(invdes_tree_work *w, size_t n, size_t d, size_t lo,
                              size_t hi) {
  size_t nl = 0;
  for (size_t j = 0; j < d; j++) {
    int32_t *ids = w->idx + j * n;
    size_t kl = lo, kr = 0;
    for (size_t k = lo; k < hi; k++) { /* branch-free: flags are random */
      int32_t row = ids[k];
      size_t go = w->left[row];
      ids[kl] = row;
      w->tmp[kr] = row;
      kl += go;
      kr += 1 - go;
    }
    memcpy(ids + kl, w->tmp, kr * sizeof *ids);
    nl = kl - lo;
  }
  return nl;
}

int invdes_tree_grow(invdes_tree *t, const invdes_tree_data *D,
                     const invdes_tree_params *p, const uint32_t *cnt,
                     invdes_tree_work *w, gsl_rng *r) {
  const size_t n = D->n, d = D->d;
  const double *y = D->y;
  size_t nu = 0;
  for (size_t j = 0; j < d; j++) {
    const int32_t *ord = D->order + j * n;
    int32_t *dst = w->idx + j * n;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
      if (cnt[ord[i]]) dst[k++] = ord[i];
    nu = k;
  }
  if (nu == 0 || reserve_nodes(t, 1)) return -1;
  t->n_nodes = 1;
  size_t sp = 0;
  w->stack[sp++] = (struct frame){0, 0, nu, 0};
  for (size_t j = 0; j < d; j++) w->feats[j] = j;

  while (sp > 0) {
    struct frame f = w->stack[--sp];
    const int32_t *ids0 = w->idx;
    double W = 0.0, S = 0.0;
    for (size_t k = f.lo; k < f.hi; k++) {
      W += cnt[ids0[k]];
      S += cnt[ids0[k]] * y[ids0[k]];
    }
    double mean = S / W, sse = 0.0, sumsq = 0.0;
    for (size_t k = f.lo; k < f.hi; k++) {
      double e = y[ids0[k]] - mean;
      sse += cnt[ids0[k]] * e * e;
      sumsq += cnt[ids0[k]] * y[ids0[k]] * y[ids0[k]];
    }
    size_t m = f.hi - f.lo;
    int leaf = m < 2 * p->min_leaf || (p->max_depth && f.depth >= p->max_depth) ||
               sse <= 1e-14 * sumsq + DBL_MIN;
    best_split b = {-DBL_MAX, -1, 0, 0, 0.0};
    if (!leaf) {
      size_t tried = 0;
      for (size_t a = 0; a < d && tried < p->mtry; a++) {
        if (p->mtry < d) {
          size_t s = a + gsl_rng_uniform_int(r, d - a);
          size_t tmp = w->feats[a];
          w->feats[a] = w->feats[s];
          w->feats[s] = tmp;
        }
        int j = (int)w->feats[a];
        const int32_t *ids = w->idx + (size_t)j * n;
        if (is_constant(D, ids, f.lo, f.hi, j)) continue;
        tried++;
        if (D->n_cat && D->n_cat[j] > 0)
          scan_categorical(D, p, cnt, ids, f.lo, f.hi, W, S, j, D->n_cat[j], &b);
        else if (p->random_threshold == INVDES_TREE_EXTRA)
          scan_extra(D, p, cnt, ids, f.lo, f.hi, W, S, j, r, &b);
        else
          scan_numeric(D, p, cnt, ids, f.lo, f.hi, W, S, j, &b);
      }
      leaf = b.feature < 0;
    }
    if (leaf) {
      if (add_leaf(t, f.node, mean, sse / W)) return -1;
      continue;
    }

    /* Mark rows, set the split, partition every list. */
    int bj = b.feature;
    const int32_t *bid = w->idx + (size_t)bj * n;
    const double *bx = D->xc + (size_t)bj * n;
    int cat = D->n_cat && D->n_cat[bj] > 0;
    if (cat) {
      for (size_t k = f.lo; k < f.hi; k++)
        w->left[bid[k]] = (uint8_t)((b.mask >> (int)bx[bid[k]]) & 1u);
      t->node[f.node].split.mask = b.mask;
    } else {
      for (size_t k = f.lo; k < f.hi; k++) w->left[bid[k]] = k <= b.pos;
      double a = bx[bid[b.pos]], c = bx[bid[b.pos + 1]];
      double u = p->random_threshold == 1 ? gsl_rng_uniform(r) : 0.5;
      double thr = a + u * (c - a);
      if (p->random_threshold == INVDES_TREE_EXTRA) thr = b.thr; /* a <= thr < c */
      if (!(thr >= a && thr < c)) thr = a;
      t->node[f.node].split.threshold = thr;
    }
    size_t nl = partition_lists(w, n, d, f.lo, f.hi);
    if (reserve_nodes(t, 2)) return -1;
    size_t lc = t->n_nodes;
    t->n_nodes += 2;
    t->node[f.node].feature = bj;
    t->node[f.node].child = (int32_t)lc;
    w->stack[sp++] = (struct frame){lc + 1, f.lo + nl, f.hi, f.depth + 1};
    w->stack[sp++] = (struct frame){lc, f.lo, f.lo + nl, f.depth + 1};
  }
  return 0;
}

size_t invdes_tree_leaf(const invdes_tree *t, const int *n_cat,
                        const double *x) {
  const invdes_tree_node *nd = t->node;
  size_t k = 0;
  if (!n_cat) {
    while (nd[k].feature >= 0)
      k = (size_t)nd[k].child + (x[nd[k].feature] <= nd[k].split.threshold ? 0 : 1);
    return (size_t)nd[k].child;
  }
  while (nd[k].feature >= 0) {
    int j = nd[k].feature;
    double v = x[j];
    int go_left;
    if (n_cat[j] > 0)
      go_left = v >= 0.0 && v < (double)INVDES_TREE_MAX_CATEGORIES &&
                ((nd[k].split.mask >> (int)v) & 1u);
    else
      go_left = v <= nd[k].split.threshold;
    k = (size_t)nd[k].child + (go_left ? 0 : 1);
  }
  return (size_t)nd[k].child;
}

void invdes_tree_leaves(const invdes_tree *t, const int *n_cat, const double *X,
                        size_t d, size_t m, uint32_t *leaf) {
  enum { L = 8 };
  const invdes_tree_node *nd = t->node;
  size_t i = 0;
  if (!n_cat) {
    for (; i + L <= m; i += L) {
      size_t k[L] = {0};
      int active = 1;
      while (active) {
        active = 0;
        for (int l = 0; l < L; l++) {
          const invdes_tree_node *q = &nd[k[l]];
          if (q->feature < 0) continue;
          active = 1;
          k[l] = (size_t)q->child +
                 (X[(i + l) * d + (size_t)q->feature] <= q->split.threshold ? 0 : 1);
        }
      }
      for (int l = 0; l < L; l++) leaf[i + l] = (uint32_t)nd[k[l]].child;
    }
  }
  for (; i < m; i++) leaf[i] = (uint32_t)invdes_tree_leaf(t, n_cat, X + i * d);
}
