/* evo.h — what the population strategies pso and ga share: the
 * ranked told history (scores by target.h, a map from z to the
 * history), the layout of z in blocks (a categorical parameter's one-hot
 * dimensions form one block), handing out a search point in z as an
 * untried feasible proposal, and the framing of their saved state. Not
 * installed.
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
#include "target.h"

/* The options of `strategy: {kind: pso, pso: {...}}` and of ga. */
typedef struct invdes_pso_options {
  int swarm;                /* particles, >= 2 */
  double inertia, c1, c2;   /* inertia in [0, 1), c1, c2 >= 0 */
} invdes_pso_options;
typedef struct invdes_ga_options {
  int population;           /* >= 2 */
  double crossover, mutation; /* probabilities */
} invdes_ga_options;

#define EVO_JITTER_TRIES 24
#define EVO_STATE_VERSION 1

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
} invdes_evo_blocks;

invdes_status invdes_evo_blocks_init(const invdes_strategy *s,
                                     invdes_evo_blocks *b, invdes_error *err);
void invdes_evo_blocks_free(invdes_evo_blocks *b);

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

/* Starts with the version and dim. */
void invdes_evo_write_begin(invdes_evo_writer *w, size_t dim);
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

/* Checks length, checksum, version and dim; `what` names the strategy in
 * messages. */
invdes_status invdes_evo_read_begin(invdes_evo_reader *r,
                                    const unsigned char *payload, size_t len,
                                    size_t dim, const char *what,
                                    invdes_error *err);
uint64_t invdes_evo_read_u64(invdes_evo_reader *r);
void invdes_evo_read_f64s(invdes_evo_reader *r, double *v, size_t n);
void invdes_evo_read_bytes(invdes_evo_reader *r, unsigned char *v, size_t n);
/* Fails unless every byte was read exactly. */
invdes_status invdes_evo_read_end(const invdes_evo_reader *r,
                                  const char *what, invdes_error *err);

#endif
