/* tree.h — one regression tree of the random forest (internal to rf.c).
 *
 * A tree is grown on one bootstrap sample, given as a count per training row
 * (rows with count 0 are out of bag). Splits are chosen by the least weighted
 * sum of squared errors over a random subset of `mtry` features; numeric
 * features split at a threshold (left when x <= threshold), categorical ones
 * (values 0..k-1, k <= 64) by the best subset of categories, found exactly by
 * ordering the node's categories by their mean response (Breiman et al. 1984,
 * §9.4). Each leaf keeps the weighted mean and the weighted (population)
 * variance of the responses that reached it.
 *
 * Growing works on presorted index lists: the caller sorts the rows by every
 * feature once per fit; a tree keeps, per feature, its in-bag rows in that
 * order and partitions these lists stably at each split, so a node of m rows
 * costs O(m d) and no sorting happens while the tree grows.
 *
 * Nodes live in flat arrays (no pointers), so a tree is a handful of mallocs.
 * This file knows nothing of forests, OpenMP or out-of-bag bookkeeping. */
#ifndef INVDES_TREE_H
#define INVDES_TREE_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#define INVDES_TREE_MAX_CATEGORIES 64

/* Read-only training data shared by all trees of a fit. */
typedef struct invdes_tree_data {
  size_t n, d;
  const double *xc;       /* column-major copy: xc[j * n + i] */
  const double *y;        /* n responses */
  const int32_t *order;   /* order[j * n + k]: rows sorted by feature j */
  const int *n_cat;       /* per feature: 0 numeric, k >= 2 categorical; may be NULL */
} invdes_tree_data;

#define INVDES_TREE_EXTRA 2 /* rf.h's INVDES_RF_EXTRA_TREES (rf.c checks) */

typedef struct invdes_tree_params {
  size_t mtry;            /* features tried per split, 1..d */
  size_t min_leaf;        /* minimum distinct rows in a leaf, >= 1 */
  size_t max_depth;       /* 0 = unlimited */
  int random_threshold;   /* 1: threshold uniform between the two neighbouring
                             values (Hutter et al. 2014); 0: their midpoint;
                             INVDES_TREE_EXTRA: extra-trees, one threshold per
                             tried feature drawn uniformly over the node's
                             range, the best of those taken */
} invdes_tree_params;

typedef struct invdes_tree_node {
  union {
    double threshold;     /* numeric: left when x <= threshold */
    uint64_t mask;        /* categorical: left when bit (x) is set */
  } split;
  int32_t feature;        /* >= 0: split feature; -1: leaf */
  int32_t child;          /* split: left child (right is child + 1);
                             leaf: index into leaf_mean/leaf_var */
} invdes_tree_node;

typedef struct invdes_tree {
  /* One 16-byte record per node, so a walk touches one cache line per level;
   * node 0 is the root. */
  size_t n_nodes, n_leaves, cap_nodes, cap_leaves;
  invdes_tree_node *node;
  double *leaf_mean, *leaf_var;
} invdes_tree;

/* Scratch space for growing trees on data of n rows and d features; one per
 * thread, reused across trees. */
typedef struct invdes_tree_work invdes_tree_work;

invdes_tree_work *invdes_tree_work_new(size_t n, size_t d);
void invdes_tree_work_free(invdes_tree_work *w);

/* Grows `tree` (fresh, zero-initialised) on the rows with count[i] > 0, each
 * weighted by count[i]. Randomness (feature subsets, thresholds) comes from r.
 * Returns 0, or -1 when out of memory (the tree may then hold partial nodes;
 * free it with invdes_tree_release). */
int invdes_tree_grow(invdes_tree *tree, const invdes_tree_data *data,
                     const invdes_tree_params *p, const uint32_t *count,
                     invdes_tree_work *w, gsl_rng *r);

/* Releases the node arrays; the struct itself belongs to the caller. */
void invdes_tree_release(invdes_tree *tree);

/* The leaf reached by x (d features, row-major), as an index into
 * leaf_mean/leaf_var. A categorical value outside 0..63 goes right. */
size_t invdes_tree_leaf(const invdes_tree *tree, const int *n_cat,
                        const double *x);

/* The leaves reached by m points X (row-major, d features): leaf[i] as in
 * invdes_tree_leaf. Walks several points at once so that their memory loads
 * overlap; the result is the same as m calls of invdes_tree_leaf. */
void invdes_tree_leaves(const invdes_tree *tree, const int *n_cat, const double *X,
                        size_t d, size_t m, uint32_t *leaf);

#endif
