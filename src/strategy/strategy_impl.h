/* strategy_impl.h — what a strategy implementation sees: the handle's
 * layout, the operations table the registry holds, the per-ask context of
 * taken points, and the shared building blocks (the design engine over
 * sample.h's sequences, design lists, the initial design). Not installed.
 *
 * Adding a strategy: write its table entry (strategy_type.h) in its own
 * file, named invdes_strategy_<name>, and add its name to the registry list
 * of strategy.c. Its ask receives a context whose taken set already holds the
 * told history and the pending points; it appends proposals with
 * invdes_strategy_push (or emits design points through the helpers), which
 * marks them taken, so a batch never repeats itself. Its random draws come
 * from invdes_rng_new(s->seed, invdes_rng_stream_id(ctx->iteration, k)),
 * k numbered by each strategy for its own uses (the initial design needs
 * none: it is fixed for the campaign). A strategy that keeps state
 * beyond the history implements save/load, and changes that state only in
 * ask, and only when the ask succeeds.
 *
 * This header holds no algorithm of a particular strategy. */
#ifndef INVDES_STRATEGY_IMPL_H
#define INVDES_STRATEGY_IMPL_H

#include <gsl/gsl_rng.h>

#include "sample.h"
#include "strategy.h"
#include "strategy_type.h"

/* ---- sets of points -------------------------------------------------- */

/* A set of z vectors compared by value, each stored once; entry i is the
 * i-th distinct vector added. */
typedef struct invdes_zset {
  size_t dim;
  size_t n, cap;        /* entries, room */
  double *z;            /* cap × dim */
  size_t *slot;         /* hash table: entry + 1, 0 = empty */
  size_t n_slots;       /* a power of two, > 2 n */
} invdes_zset;

void invdes_zset_init(invdes_zset *set, size_t dim);
void invdes_zset_clear(invdes_zset *set);
void invdes_zset_free(invdes_zset *set);
/* Entry holding z, or SIZE_MAX. */
size_t invdes_zset_find(const invdes_zset *set, const double *z);
/* Adds z unless present; *entry (may be NULL) gets its entry. -1: no
 * memory. */
int invdes_zset_add(invdes_zset *set, const double *z, size_t *entry);

/* The candidates of a finite space, grouped by equal z (pool rows with the
 * same features). Groups are numbered in the order of their first member,
 * members of a group by increasing candidate index, and the candidate order
 * is the pool's row order (feasible rows only) or the enumeration of the
 * parameter combinations (last parameter fastest, feasible ones only). */
typedef struct invdes_cands {
  size_t n;             /* candidates */
  double *x;            /* n × n_vars */
  size_t *group;        /* per candidate */
  size_t *rank;         /* per candidate: place within its group */
  invdes_zset index;    /* group g's z is entry g */
  size_t n_groups;
  size_t *g_size;       /* per group */
  size_t *g_off;        /* per group: start in members */
  size_t *members;      /* n, by group */
} invdes_cands;

/* ---- per-ask context ---------------------------------------------------- */

/* Which points are taken during one ask (or one design-list build). */
typedef struct invdes_strategy_ctx {
  uint64_t iteration;
  const double *pending_z;  /* n_pending × dim, borrowed for the ask */
  size_t n_pending;
  const invdes_zset *hist;  /* other spaces: told z's; NULL: none */
  invdes_zset extra;        /* other spaces: pending and this batch */
  size_t *count;            /* finite: per group, units taken */
  size_t untaken;           /* finite: candidates left */
} invdes_strategy_ctx;

/* ---- the handle ---------------------------------------------------------- */

typedef struct invdes_design_list invdes_design_list;

struct invdes_strategy {
  const invdes_strategy_type *ops; /* the kind's table entry */
  const invdes_space *space;
  const invdes_campaign *c;
  invdes_strategy_spec spec;
  uint64_t seed;
  size_t dim, n_vars, n_targets, cube_dim;
  invdes_space_work *work;
  /* Told history, by increasing id. */
  size_t n_hist, hist_cap;
  int64_t *h_id;
  double *h_z;              /* n_hist × dim */
  double *h_x;              /* n_hist × n_vars */
  double *h_y;              /* n_hist × n_targets, NAN: missing */
  double *h_sd;             /* n_hist × n_targets reported sd, NAN: none */
  unsigned char *h_failed;
  uint64_t hist_version;    /* raised by every tell: for model caches */
  /* Taken marks of the history, kept up to date by tell. */
  invdes_zset hist_set;     /* other spaces */
  invdes_cands *cands;      /* finite spaces, else NULL */
  size_t *h_count;          /* finite: per group, units told */
  int marks_stale;          /* a tell replaced a z: rebuild before use */
  uint64_t marks_epoch;     /* raised by each rebuild (list cursors) */
  invdes_strategy_ctx ctx;  /* reused by every ask */
  invdes_design_list *initial; /* model-based: the initial design, lazily */
  void *impl;
};

/* Appends (x, z) to out with no model information and marks it taken.
 * z must be encode(x). INVDES_ERR_NOMEM only. */
invdes_status invdes_strategy_push(invdes_strategy *s, invdes_strategy_ctx *ctx,
                                   invdes_proposals *out, const double *x,
                                   const double *z, invdes_error *err);
/* 1 when z is neither told, pending nor already in this batch (finite
 * spaces: a candidate of z's group is untried). */
int invdes_strategy_ctx_free_z(const invdes_strategy *s,
                               const invdes_strategy_ctx *ctx,
                               const double *z);
/* Finite spaces: appends the lowest untried member of group g. */
void invdes_strategy_push_group(invdes_strategy *s, invdes_strategy_ctx *ctx,
                                invdes_proposals *out, size_t g);
/* Finite spaces: the candidate group to hand out for a wanted z: z's own
 * group while it has an untried member, else the untried group nearest z
 * (squared Euclidean, z clamped to [0, 1]; lowest on ties); SIZE_MAX when
 * every candidate is taken. */
size_t invdes_strategy_untried_group(const invdes_strategy *s,
                                     const invdes_strategy_ctx *ctx,
                                     const double *z);
/* Any z in R^D -> a feasible x and its canonical z' = encode(x), for
 * strategies that search in z (bo, pso, ga). */
invdes_status invdes_strategy_canonical(invdes_strategy *s, const double *z,
                                        double *x, double *z_out,
                                        invdes_error *err);

/* Marks a newly told z in the history marks (tell calls it). */
void invdes_strategy_mark_told(invdes_strategy *s, const double *z);

/* Builds the taken marks of the history and pending into s->ctx. */
invdes_status invdes_strategy_ctx_begin(invdes_strategy *s, uint64_t iteration,
                                        const double *pending_z,
                                        size_t n_pending, invdes_error *err);

/* Enumerates the candidates of a finite space into s->cands (left NULL for
 * other spaces). */
invdes_status invdes_strategy_cands_build(invdes_strategy *s, invdes_error *err);
void invdes_strategy_cands_free(invdes_cands *c);

/* The design engine: appends n feasible, untried points drawn from seq to
 * out, marking them in ctx. Finite spaces: random picks uniformly among the
 * untried candidates (a partial Fisher-Yates shuffle over them in candidate
 * order, drawing from seq's stream); sobol and lhs map each cube point
 * (pool: read as scaled features; parameters: through
 * invdes_space_from_cube, an infeasible point is drawn again) to the untried
 * candidate group nearest in z (lowest on ties). Other spaces: rejection of
 * infeasible and taken points, failing as sample.h does when nearly every
 * point is rejected. The caller has checked that a finite space has n
 * untried candidates. */
invdes_status invdes_strategy_design_fill(invdes_strategy *s,
                                          invdes_strategy_ctx *ctx,
                                          invdes_sample_seq *seq, size_t n,
                                          invdes_proposals *out,
                                          invdes_error *err);

/* The design engine on uniform random points from the stream
 * (ctx->iteration, k) of s->seed: n feasible, untried proposals appended. */
invdes_status invdes_strategy_random_fill(invdes_strategy *s,
                                          invdes_strategy_ctx *ctx,
                                          uint64_t k, size_t n,
                                          invdes_proposals *out,
                                          invdes_error *err);

/* ---- design lists -------------------------------------------------------- */

/* A fixed, seed-determined list of distinct design points handed out in
 * order, skipping the taken ones; pure in the sense (a) of strategy.h.
 * Rounds of round_size points (finite spaces: no more than the candidates
 * not in earlier rounds) of design `kind`, round r drawn from the fixed
 * stream first_stream_k + r; `rounds` limits their number (0: none). */
invdes_status invdes_design_list_new(invdes_strategy *s,
                                     invdes_design_kind kind,
                                     size_t round_size,
                                     uint64_t first_stream_k, int rounds,
                                     invdes_design_list **out,
                                     invdes_error *err);
void invdes_design_list_free(invdes_design_list *l);
/* Appends up to n untried list points to out, in list order; with rounds,
 * further rounds are generated as earlier ones are used up. */
invdes_status invdes_design_list_take(invdes_strategy *s,
                                      invdes_design_list *l,
                                      invdes_strategy_ctx *ctx, size_t n,
                                      invdes_proposals *out,
                                      invdes_error *err);
/* Fixed-stream numbers k of INVDES_STRATEGY_FIXED_ITERATION. */
#define INVDES_STRATEGY_K_SOBOL 0    /* the sobol strategy's shift */
#define INVDES_STRATEGY_K_INITIAL 1  /* the initial design */
#define INVDES_STRATEGY_K_LHS 2      /* lhs round r uses K_LHS + r */

/* The initial design shared by model-based strategies: the first
 * spec.initial_count points of design spec.initial_design (stream
 * K_INITIAL), distinct, in order. Appends to out up to n of them that are
 * neither told nor pending nor in this batch; *made gets how many. The
 * initial phase is over when *made < n. */
invdes_status invdes_strategy_initial_design(invdes_strategy *s,
                                             invdes_strategy_ctx *ctx,
                                             size_t n, invdes_proposals *out,
                                             size_t *made, invdes_error *err);

#endif
