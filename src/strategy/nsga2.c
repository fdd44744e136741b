/* nsga2.c — NSGA-II's order of the told history for the ga strategy
 * (nsga2.h): non-dominated sorting and crowding distance (pareto.h) over
 * the results that meet every condition, then the rest by target.h's
 * ranking (Deb's constrained domination: a feasible result beats an
 * infeasible one, two infeasible ones compare by violation). ga.c breeds
 * from this order with its own SBX and polynomial mutation; this file
 * draws nothing and keeps no state. */
#include "nsga2.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pareto.h"

static invdes_status nomem(invdes_error *err) {
  return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
}

typedef struct nsga_key {
  size_t row;             /* history index */
  int feasible;
  size_t rank;
  double crowd;
  const invdes_score *sc;
} nsga_key;

static int key_cmp(const void *pa, const void *pb) {
  const nsga_key *a = pa, *b = pb;
  if (a->feasible != b->feasible) return a->feasible ? -1 : 1;
  if (a->feasible) {
    if (a->rank != b->rank) return a->rank < b->rank ? -1 : 1;
    if (a->crowd != b->crowd) return a->crowd > b->crowd ? -1 : 1;
  } else {
    int c = invdes_score_compare(a->sc, b->sc);
    if (c) return c;
  }
  return a->row < b->row ? -1 : a->row > b->row;
}

static int row_cmp(const void *pa, const void *pb) {
  size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
  return a < b ? -1 : a > b;
}

/* The minimized objective vector of row i into y; 1 when the row is a
 * front candidate (target.h: not failed, every condition met, every
 * objective measured). */
static int row_vector(const invdes_strategy *s, size_t i, double *y) {
  const double *v = s->h_y + i * s->n_targets;
  if (!invdes_targets_front_candidate(s->c->targets, s->n_targets, v, s->h_failed[i])) return 0;
  invdes_targets_objectives(s->c->targets, s->n_targets, v, y);
  return 1;
}

/* Crowding of each front of the n feasible keys (rows of Y in key order). */
static invdes_status crowd_fronts(nsga_key *k, size_t n, const double *Y,
                                  size_t M, size_t n_fronts,
                                  invdes_error *err) {
  size_t *idx = malloc((n + 1) * sizeof *idx);
  double *d = malloc((n + 1) * sizeof *d);
  invdes_status st = !idx || !d ? nomem(err) : INVDES_OK;
  for (size_t f = 0; !st && f < n_fronts; f++) {
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
      if (k[i].rank == f) idx[c++] = i;
    if (c) st = invdes_pareto_crowding(Y, M, idx, c, d, err);
    for (size_t q = 0; !st && q < c; q++) k[idx[q]].crowd = d[q];
  }
  free(idx);
  free(d);
  return st;
}

invdes_status invdes_nsga2_order(const invdes_strategy *s, invdes_evo_hist *h,
                                 invdes_error *err) {
  if (s->c->n_targets != s->n_targets ||
      !invdes_targets_pareto(s->c->targets, s->n_targets) || !h->n_ranked)
    return INVDES_OK;
  size_t n = h->n_ranked, nf = 0, n_fronts = 0;
  size_t M = invdes_targets_objectives(s->c->targets, s->n_targets, NULL, NULL);
  nsga_key *k = calloc(n, sizeof *k);
  double *Y = malloc(((n + 1) * M + 1) * sizeof *Y); /* a spare row */
  size_t *rank = malloc((n + 1) * sizeof *rank);
  invdes_status st = !k || !Y || !rank ? nomem(err) : INVDES_OK;
  /* history order, never the order given (crowding breaks ties by
   * position); feasible rows first, so Y's rows follow the keys */
  if (!st) qsort(h->order, n, sizeof *h->order, row_cmp);
  for (size_t q = 0; !st && q < n; q++) {
    size_t row = h->order[q];
    if (row_vector(s, row, Y + nf * M)) k[nf++] = (nsga_key){row, 1, 0, 0, &h->sc[row]};
  }
  size_t ni = nf;
  for (size_t q = 0; !st && q < n; q++) {
    size_t row = h->order[q];
    if (!row_vector(s, row, Y + nf * M)) k[ni++] = (nsga_key){row, 0, SIZE_MAX, 0, &h->sc[row]};
  }
  if (!st && nf) st = invdes_pareto_ranks(Y, nf, M, rank, &n_fronts, err);
  for (size_t i = 0; !st && i < nf; i++) k[i].rank = rank[i];
  if (!st && nf) st = crowd_fronts(k, nf, Y, M, n_fronts, err);
  if (!st) {
    qsort(k, n, sizeof *k, key_cmp);
    for (size_t q = 0; q < n; q++) h->order[q] = k[q].row;
  }
  free(k);
  free(Y);
  free(rank);
  return st;
}
