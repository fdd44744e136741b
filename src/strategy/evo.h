/* evo.h — what the population strategies pso and ga share: the
 * ranked told history (scores by target.h, a map from z to the
 * history), the layout of z in blocks (a categorical parameter's one-hot
 * dimensions form one block), the variation operators (evo_vary.c), the
 * optional surrogate the population moves on (evo_model.c), handing out a
 * search point in z as an untried feasible proposal, and the framing of
 * their saved state. Not installed.
 *
 * Handing out (invdes_evo_push): a search point z in [0,1]^D is mapped by
 * invdes_strategy_canonical to a feasible x and its exact z'. Finite spaces
 * (pools, small discrete spaces) take z's candidate when it is untried,
 * else the untried candidate group nearest z (squared Euclidean in z,
 * lowest group on ties), so a pool is never repeated. Other spaces: when z'
 * is taken (told, pending or earlier in the batch), z is jittered by
 * uniform steps of growing width (from the stream the caller gives) and
 * mapped again, up to EVO_JITTER_TRIES times; then a uniform feasible point
 * is drawn instead (the random design on the stream the caller names).
 *
 * Saved state: the payload starts with a version (u32) and the dimension
 * (u32) and ends with an FNV-1a 64-bit checksum of everything before it;
 * numbers are little-endian, doubles by their bits, so a reload is exact.
 * A reader fails on truncation, trailing bytes, a checksum or version
 * mismatch, another dimension. This file draws nothing of its own. */
#ifndef INVDES_STRATEGY_EVO_H
#define INVDES_STRATEGY_EVO_H

#include <gsl/gsl_rng.h>

#include "strategy_impl.h"
#include "surrogate.h"
#include "target.h"

/* The options of `strategy: {kind: pso, pso: {...}}` and of ga. surrogate
 * NULL: plain; else the kind the population moves on (evo_model.c). */
typedef struct invdes_pso_options {
  int swarm;                /* particles, >= 2; below 2: sized to the budget */
  double inertia, c1, c2;   /* inertia in [0, 1), c1, c2 >= 0 */
  const invdes_surrogate_type *surrogate;
} invdes_pso_options;
typedef struct invdes_ga_options {
  int population;           /* >= 2; below 2: sized to the budget */
  double crossover;         /* probability a pair is crossed */
  double mutation;          /* per gene; below 0: 1 / genes */
  const invdes_surrogate_type *surrogate;
} invdes_ga_options;

#define EVO_JITTER_TRIES 24
/* Version 2 added the surrogate mode word after the dimension; version 1
 * states (plain runs) are still read. */
#define EVO_STATE_VERSION 2

/* ---- the ranked history --------------------------------------------------- */

typedef struct invdes_evo_hist {
  uint64_t version;         /* s->hist_version it was built for */
  int built;
  size_t cap;               /* room in sc, order, at */
  invdes_score *sc;         /* per history index */
  size_t *order;            /* history indices of known scores, best first
                               (ties: lower index first) */
  size_t n_ranked;
  invdes_zset set;          /* the distinct told z */
  size_t *at;               /* per set entry: its best-ranked history index */
} invdes_evo_hist;

void invdes_evo_hist_init(invdes_evo_hist *h, size_t dim);
void invdes_evo_hist_free(invdes_evo_hist *h);
/* Brings h up to date with s's history (a no-op when nothing was told
 * since). Goals: the campaign's targets when their number is the
 * strategy's n_targets, else every target minimized. */
invdes_status invdes_evo_hist_update(const invdes_strategy *s,
                                     invdes_evo_hist *h, invdes_error *err);
/* The history index told for z (best-ranked among equal z), or SIZE_MAX. */
size_t invdes_evo_hist_find(const invdes_evo_hist *h, const double *z);

/* ---- blocks of z ------------------------------------------------------------ */

/* Blocks in dimension order: start, length, and whether the block is a
 * categorical one-hot (length = number of labels). Every other dimension
 * is a block of its own. */
typedef struct invdes_evo_blocks {
  size_t n;
  size_t *start, *len;
  unsigned char *onehot;
  size_t *levels;           /* per block: the equal cells of a linear integer
                               or discrete parameter (space_codec.c), else 0 */
} invdes_evo_blocks;

invdes_status invdes_evo_blocks_init(const invdes_strategy *s,
                                     invdes_evo_blocks *b, invdes_error *err);
void invdes_evo_blocks_free(invdes_evo_blocks *b);

/* The size of a swarm or population the campaign does not set: the square
 * root of the budget (evaluations) rounded, at least EVO_SIZE_MIN + genes
 * (so that every gene is in several members), at most EVO_SIZE_MAX;
 * no_budget when budget < 1. sqrt(budget) gives as many generations as
 * members: the balance between a broad population (exploration) and many
 * generations (convergence) that the budget can pay for. */
size_t invdes_evo_budget_size(int budget, size_t genes, size_t no_budget);
#define EVO_SIZE_MIN 4
#define EVO_SIZE_MAX 200

/* ---- variation (evo_vary.c) ---------------------------------------------------- */

/* Deb's operators on genes in [0, 1]; every result stays in [0, 1].
 * SBX (Deb and Agrawal 1995, the bounded form of NSGA-II's code): the pair
 * (a, b) becomes two children spread around it with distribution index
 * eta_c (larger: closer to the parents), their mean that of the parents
 * unless a bound clips; a pair closer than 1e-14 is left alone. */
void invdes_evo_sbx(double *a, double *b, double eta_c, gsl_rng *r);
/* Polynomial mutation (Deb and Deb 2014, bounded): y moved by a step of
 * index eta_m that never leaves [0, 1]. */
double invdes_evo_poly_mutate(double y, double eta_m, gsl_rng *r);

typedef struct invdes_evo_vary {
  double crossover;         /* probability a pair is crossed */
  double mutation;          /* per block */
  double eta_c, eta_m;      /* distribution indices */
} invdes_evo_vary;

/* Mutates block k of the point c: a one-hot block to another label at
 * random, a block of `levels` cells polynomially but always into another
 * cell, any other gene polynomially. */
void invdes_evo_mutate_block(const invdes_evo_blocks *bl, size_t k, double *c,
                             gsl_rng *r, double eta_m);
/* Binary tournament over ranks 0..P-1 (P >= 1): the lower rank wins. */
size_t invdes_evo_tournament(gsl_rng *r, size_t P);
/* n children into kids ((n + 1) x D: an odd brood's last second child is
 * bred in row n and dropped) from P >= 2 parents par (P x D, best
 * first): pairs by two tournaments, block-wise crossover (a one-hot block
 * swapped whole, other genes by SBX, each with probability 1/2) with
 * probability v->crossover, then each block mutated with probability
 * v->mutation; a child equal to a parent gets one block mutated. */
void invdes_evo_breed(const invdes_evo_blocks *bl, size_t D, const double *par,
                      size_t P, const invdes_evo_vary *v, double *kids,
                      size_t n, gsl_rng *r);

/* ---- the surrogate (evo_model.c) ----------------------------------------------- */

/* Reads `surrogate: NAME` of a pso / ga mapping (one of the registered
 * surrogates) into *out; `what` names the mapping in messages. */
void invdes_evo_read_surrogate(invdes_cload *L, const invdes_ynode *v,
                               const char *what,
                               const invdes_surrogate_type **out);

typedef struct invdes_evo_model {
  const invdes_surrogate_type *kind;
  uint64_t seed;
  invdes_surrogate *m;      /* NULL until fitted */
  uint64_t version;         /* hist_version of the fit */
  size_t n_fit;             /* points it was fitted on */
  double *X, *y;            /* the training data */
  size_t cap;
  double *mean, *var;       /* prediction scratch */
  size_t pcap;
} invdes_evo_model;

void invdes_evo_model_init(invdes_evo_model *em,
                           const invdes_surrogate_type *kind, uint64_t seed);
void invdes_evo_model_free(invdes_evo_model *em);
/* Brings the model up to date with h (s's ranked history): fitted afresh
 * on every distinct told z with a known score, its response the normal
 * score of its rank (best most negative). Leaves em->m NULL, with
 * INVDES_OK, while fewer than EVO_MODEL_MIN_POINTS such points exist. */
invdes_status invdes_evo_model_update(const invdes_strategy *s,
                                      const invdes_evo_hist *h,
                                      invdes_evo_model *em, invdes_error *err);
/* The optimistic bound mean - kappa sd (lower is better) at m points. */
invdes_status invdes_evo_model_acq(invdes_evo_model *em, const double *Z,
                                   size_t m, double *acq, invdes_error *err);

#define EVO_MODEL_MIN_POINTS 3

/* ---- handing out ------------------------------------------------------------ */

/* Scratch and the streams of one ask's hand-outs. */
typedef struct invdes_evo_pusher {
  gsl_rng *jitter;              /* borrowed: draws of the jitter */
  uint64_t fallback_stream;     /* stream of the uniform fallback */
  invdes_sample_seq *fallback;  /* made on first use; freed by _done */
  double *x, *z, *zt;           /* n_vars, dim, dim */
} invdes_evo_pusher;

invdes_status invdes_evo_push_begin(const invdes_strategy *s,
                                    invdes_evo_pusher *p, gsl_rng *jitter,
                                    uint64_t fallback_stream,
                                    invdes_error *err);
void invdes_evo_push_done(invdes_evo_pusher *p);

/* Appends one proposal for search point z (dim values, any reals) to out
 * as described above; its z is then out->z + (out->n - 1) * dim. A finite
 * space must have an untried candidate (strategy.c checks before ask). */
invdes_status invdes_evo_push(invdes_strategy *s, invdes_strategy_ctx *ctx,
                              invdes_evo_pusher *p, invdes_proposals *out,
                              const double *z, invdes_error *err);

/* Hands out up to `want` of the m candidates Z (m x D) in order of acq
 * (lower first, ties: lower index), skipping one whose canonical point is
 * taken or, outside finite spaces, closer than EVO_MODEL_MIN_DIST to a told
 * or pending point or an earlier proposal of this ask; *made gets how many
 * were appended to out. */
invdes_status invdes_evo_push_best(invdes_strategy *s, invdes_strategy_ctx *ctx,
                                   invdes_evo_pusher *p, invdes_proposals *out,
                                   const double *Z, const double *acq,
                                   size_t m, size_t want, size_t *made,
                                   invdes_error *err);
#define EVO_MODEL_MIN_DIST 1e-3 /* Euclidean, in z */

/* A uniform point of the structural region in z (pool: uniform feature
 * vector), drawn from r. */
void invdes_evo_random_z(const invdes_strategy *s, gsl_rng *r, double *x,
                         double *z);

/* ---- saved state ------------------------------------------------------------- */

typedef struct invdes_evo_writer {
  unsigned char *b;
  size_t len, cap;
  int nomem;
} invdes_evo_writer;

/* Starts with the version, dim and mode (the surrogate-kind word of
 * invdes_evo_mode). */
void invdes_evo_write_begin(invdes_evo_writer *w, size_t dim, uint64_t mode);
void invdes_evo_write_u64(invdes_evo_writer *w, uint64_t v);
void invdes_evo_write_f64s(invdes_evo_writer *w, const double *v, size_t n);
void invdes_evo_write_bytes(invdes_evo_writer *w, const unsigned char *v,
                            size_t n);
/* Appends the checksum and hands the buffer over (the caller frees it). */
invdes_status invdes_evo_write_end(invdes_evo_writer *w,
                                   unsigned char **payload, size_t *len,
                                   invdes_error *err);

typedef struct invdes_evo_reader {
  const unsigned char *b;
  size_t len, pos;          /* len excludes the checksum */
  int bad;                  /* a read ran past the end */
} invdes_evo_reader;

/* FNV-1a 64-bit of n bytes: the states' checksum. */
uint64_t invdes_evo_fnv1a(const unsigned char *b, size_t n);

/* The mode word of a state: 0 plain, else a hash of the surrogate's name. */
uint64_t invdes_evo_mode(const invdes_surrogate_type *surrogate);

/* Checks length, checksum, version, dim and mode (a version 1 state is a
 * plain one); `what` names the strategy in messages. */
invdes_status invdes_evo_read_begin(invdes_evo_reader *r,
                                    const unsigned char *payload, size_t len,
                                    size_t dim, uint64_t mode, const char *what,
                                    invdes_error *err);
uint64_t invdes_evo_read_u64(invdes_evo_reader *r);
void invdes_evo_read_f64s(invdes_evo_reader *r, double *v, size_t n);
void invdes_evo_read_bytes(invdes_evo_reader *r, unsigned char *v, size_t n);
/* Fails unless every byte was read exactly. */
invdes_status invdes_evo_read_end(const invdes_evo_reader *r,
                                  const char *what, invdes_error *err);

#endif
