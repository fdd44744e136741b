/* seq.c — the design engine that turns a design sequence of cube
 * points (sample.h's invdes_sample_seq) into untried feasible proposals
 * (see strategy_impl.h).
 *
 * The sequences are the ones invdes_sample walks for the same (seed,
 * stream), so a design strategy's first batch in a fresh campaign equals
 * `invdes sample` with that stream; unlike invdes_sample the engine skips
 * points already taken, and a caller may keep a sequence across asks.
 * Nothing here is parallel: serial order is what makes designs
 * reproducible. This file does not decide which stream or how many points a
 * strategy uses. */
#include "strategy_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static invdes_status nomem(invdes_error *err) {
  return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
}

/* ---- the design engine ---------------------------------------------------- */

/* Finite space, random design: a partial Fisher-Yates shuffle over the
 * untried candidates in candidate order. */
static invdes_status fill_finite_random(invdes_strategy *s,
                                        invdes_strategy_ctx *ctx,
                                        invdes_sample_seq *seq, size_t n,
                                        invdes_proposals *out,
                                        invdes_error *err) {
  const invdes_cands *c = s->cands;
  gsl_rng *r = invdes_sample_seq_rng(seq);
  size_t *rows = malloc((ctx->untaken + 1) * sizeof *rows);
  if (!rows) return nomem(err);
  size_t m = 0;
  for (size_t i = 0; i < c->n; i++)
    if (c->rank[i] >= ctx->count[c->group[i]]) rows[m++] = i;
  for (size_t j = 0; j < n && j < m; j++) {
    size_t k = j + gsl_rng_uniform_int(r, (unsigned long)(m - j));
    size_t t = rows[j];
    rows[j] = rows[k];
    rows[k] = t;
    invdes_strategy_push_group(s, ctx, out, c->group[rows[j]]);
  }
  free(rows);
  return INVDES_OK;
}

static invdes_status too_many_rejected(const invdes_strategy *s, size_t made,
                                       size_t n, size_t tries,
                                       invdes_error *err) {
  return invdes_error_set(
      err, INVDES_ERR_INFEASIBLE,
      "only %zu of %zu new feasible points found after %zu tries (the "
      "campaign's estimate is that %.3g%% of the space is feasible, %zu "
      "points are taken already): the constraints leave too small a region "
      "for rejection sampling",
      made, n, tries, 100 * invdes_space_feasible_fraction(s->space),
      s->n_hist);
}

invdes_status invdes_strategy_design_fill(invdes_strategy *s,
                                          invdes_strategy_ctx *ctx,
                                          invdes_sample_seq *seq, size_t n,
                                          invdes_proposals *out,
                                          invdes_error *err) {
  if (!n) return INVDES_OK;
  int pool = invdes_space_is_pool(s->space);
  if (s->cands && invdes_sample_seq_design(seq) == INVDES_DESIGN_RANDOM)
    return fill_finite_random(s, ctx, seq, n, out, err);
  double *u = malloc((s->cube_dim + 1) * sizeof *u);
  double *x = malloc((s->n_vars + 1) * sizeof *x);
  double *z = malloc((s->dim + 1) * sizeof *z);
  invdes_status st = INVDES_OK;
  if (!u || !x || !z) {
    st = nomem(err);
    goto done;
  }
  size_t made = 0, tries = 0;
  while (made < n && !st) {
    if (invdes_sample_give_up(made, n, tries)) {
      st = too_many_rejected(s, made, n, tries, err);
      break;
    }
    if ((st = invdes_sample_seq_next(seq, u, n - made, err))) break;
    tries++;
    if (pool) {
      invdes_strategy_push_group(s, ctx, out,
                                 invdes_strategy_untried_group(s, ctx, u));
      made++;
      continue;
    }
    if (!invdes_space_from_cube(s->space, u, x) ||
        !invdes_space_constraints_hold(s->space, s->work, x))
      continue;
    if ((st = invdes_space_encode(s->space, x, z, err))) break;
    if (s->cands) {
      invdes_strategy_push_group(s, ctx, out,
                                 invdes_strategy_untried_group(s, ctx, z));
      made++;
    } else if (invdes_strategy_ctx_free_z(s, ctx, z)) {
      st = invdes_strategy_push(s, ctx, out, x, z, err);
      made++;
    }
  }
done:
  free(u);
  free(x);
  free(z);
  return st;
}
