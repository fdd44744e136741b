/* bo.h — the parts of the bo strategy shared by its files: the
 * per-ask model (one surrogate per target, the combined score) and the
 * choice of points. Not installed.
 *
 *  bo.c        the ops table: phases of an ask, saved state;
 *  bo_model.c  training sets, fits, fantasies / lies;
 *  bo_score.c  the score and the reported predictions;
 *  bo_opt.c    candidates, local optimization, the batch loop;
 *  bo_noise.c  reported noise and repeats in the training sets, the
 *              posterior-mean incumbent and recommendation under noise;
 *  bo_batch.c  the believed incumbent and the separation of points in flight;
 *  bo_feasible.c  the chance of success (a GP classifier on failures);
 *  bo_mo.c     several objectives: the front, EHVI (ehvi.c) or ParEGO;
 *  bo_region.c the trust region searched with a surrogate that averages;
 *  bo_basin.c  the second basin searched once the incumbent's converged;
 *  acquisition.c        EI, log EI, PI, UCB, probabilities of windows.
 *
 * Random streams of an ask (strategy.h): (iteration, k) with the k below;
 * the initial design uses the fixed stream of strategy_impl.h. */
#ifndef INVDES_STRATEGY_BO_H
#define INVDES_STRATEGY_BO_H

#include "strategy_impl.h"
#include "surrogate.h"

/* The options of `strategy: {kind: bo, ...}` (bo.c reads them). */
typedef enum invdes_kernel_kind { INVDES_KERNEL_MATERN52, INVDES_KERNEL_SQEXP } invdes_kernel_kind;
typedef enum invdes_acquisition_kind {
  INVDES_ACQ_EI, INVDES_ACQ_LOGEI, INVDES_ACQ_UCB, INVDES_ACQ_PI
} invdes_acquisition_kind;
/* How the GP's hyper-parameters enter the score: the ML-II point, or EI
 * averaged over posterior samples as well (bo_hyper_mcmc.c); unset (AUTO,
 * the default): samples unless the space is finite with more than
 * BO_MCMC_MAX_CANDS candidates, each of which would be scored 5 times. */
typedef enum invdes_hyper_kind {
  INVDES_HYPER_ML, INVDES_HYPER_MCMC, INVDES_HYPER_AUTO
} invdes_hyper_kind;
#define BO_MCMC_MAX_CANDS 100000
typedef struct invdes_bo_options {
  const invdes_surrogate_type *surrogate; /* a registered kind */
  invdes_surrogate_options model;  /* its named settings (`surrogate:
                                      {kind: knn, k: 7}`); bo fills the gp
                                      and rf parts itself */
  invdes_kernel_kind kernel;       /* gp */
  invdes_acquisition_kind acquisition;
  invdes_hyper_kind hyper;         /* gp */
} invdes_bo_options;

/* The defaults: gp, matern52, ei, hyper unset (AUTO), no settings. */
void bo_options_defaults(invdes_bo_options *o);

#define BO_K_CANDS 1     /* the Sobol candidates of an ask */
#define BO_K_LOCAL 2     /* perturbations around the best points */
#define BO_K_FALLBACK 3  /* random proposals while no model can be fitted */
#define BO_K_PAREGO 4    /* ParEGO's weights and draws (bo_mo.c) */
#define BO_K_BASIN 5     /* the candidates of the second basin (bo_opt.c) */
#define BO_K_MODEL 16    /* + target index: the model's seed */
#define BO_TOP_MAX 16     /* most rows bo_model_top_rows ranks */

/* Hyper-parameters of one target's model, carried from ask to ask (the
 * saved state (b) of strategy.h): as many as the surrogate's kind carries
 * (invdes_surrogate_type_hyper_size; the GP: d length scales in input units,
 * signal and noise variance in target units²; 0 for kinds with none). */
typedef struct bo_hyper {
  int have;
  double *h;              /* hyper_size values (allocated for every target) */
} bo_hyper;

typedef enum bo_role {
  BO_ROLE_NONE,           /* no goal known for this column */
  BO_ROLE_OBJECTIVE,      /* maximize / minimize */
  BO_ROLE_CONSTRAINT      /* window / below / above */
} bo_role;

/* The GP kept between asks of a long campaign (bo_cache.c). */
typedef struct bo_cache bo_cache;

typedef struct bo_target {
  const invdes_target *goal; /* the campaign's target (borrowed), NULL: none */
  bo_role role;
  double sign, weight;    /* objective: +1 maximize, -1 minimize; weight */
  double lo, hi;          /* constraint: the accepted interval */
  double mean, sd;        /* of the observed values (sd 1 when undefined) */
  double worst;           /* the worst observed value (failures, lies) */
  size_t n_obs;           /* observed values, failures excluded */
  invdes_surrogate *sur;  /* scoring model (with fantasies, or refitted
                             with lies), NULL: this target has no model */
  invdes_surrogate *base; /* the first fit, without lies, for reports */
  int cached;             /* sur (= base) belongs to the cache: cleared of
                             fantasies, not freed, with the model */
  double *X, *y;          /* training set (lies appended) */
  double *noise;          /* its noise variances for a surrogate with
                             INVDES_SURROGATE_POINT_NOISE (NaN / -c: not
                             known, surrogate.h); NULL: none reported and
                             no repeats (the surrogate learns the noise) */
  size_t n, cap;
  uint64_t seed;
  invdes_surrogate **samp; /* BO_MCMC_SAMPLES models at sampled
                              hyper-parameters (bo_hyper_mcmc.c), NULL: none */
} bo_target;

/* The chance that an experiment succeeds (bo_feasible.c). */
typedef struct bo_feasible bo_feasible;
typedef struct bo_mo bo_mo; /* bo_mo.c */

typedef struct bo_model {
  invdes_strategy *s;
  uint64_t iteration;
  size_t D, T;
  bo_target *t;
  bo_cache *cache;        /* the strategy's (borrowed), NULL: none */
  invdes_bo_options opt;  /* the strategy's options (or the defaults) */
  int grad;               /* the surrogate gives gradients: L-BFGS */
  int conditions;         /* it conditions on pending points (fantasies);
                             else bo refits it with lies */
  int has_objective;      /* an objective target has a model */
  int feas_only;          /* score = chance of meeting every constraint */
  bo_feasible *feas;      /* multiplies the score; NULL: no failure told */
  invdes_acquisition_kind kind;
  double best;            /* incumbent of the combined objective */
  double floor;           /* ucb: smallest observed combined objective */
  double xi, beta;
  size_t cap;             /* room in the scratch below, points */
  double *mu, *var;       /* T × cap */
  double *dmu, *dvar;     /* T × D (gradients at one point) */
  bo_mo *mo;              /* several objectives (bo_mo.c), else NULL */
  size_t n_samp;          /* hyper-parameter samples scored besides the
                             ML-II models (0 or BO_MCMC_SAMPLES) */
  double aei_var;         /* augmented EI (bo_noise.c): the combined
                             objective's reported noise variance at a new
                             point, standardized; 0: plain EI */
  int basin_on;           /* a second basin is searched (bo_basin.c) */
  double basin_best;      /* its incumbent (combined objective) */
  double *basin_lo, *basin_hi, *basin_center; /* its box and best row, z */
  invdes_surrogate *basin_sur; /* its own model of the objective target
                                  basin_t, NULL: the shared one */
  size_t basin_t;
  const double *basin_prev; /* the last basin point bo proposed (D, z; the
                               saved state), NULL: none */
  double *basin_pick;     /* receives this ask's basin point (D), NULL:
                             none kept */
  int basin_picked;       /* 1: basin_pick holds one */
} bo_model;

/* Builds and fits the model of an ask from the told history: returns
 * INVDES_OK with *usable 0 when no target that matters has >= 2 values yet
 * (the caller proposes random points then). hyper_in: the carried
 * hyper-parameters (T entries), hyper_out: receives the fitted ones. */
invdes_status bo_model_build(invdes_strategy *s, uint64_t iteration,
                             const bo_hyper *hyper_in, bo_hyper *hyper_out,
                             bo_model *m, int *usable, invdes_error *err);
void bo_model_free(bo_model *m);

/* Conditions the scoring models on k pending points Z (k × D): a
 * surrogate that can condition takes fantasies at its mean (kriging
 * believer; the GP), whose values then count as results for the incumbent
 * (bo_batch_believe); another is refitted with each target's worst observed
 * value at Z (pessimistic constant liar; the forest, knn). */
invdes_status bo_model_condition(bo_model *m, const double *Z, size_t k,
                                 invdes_error *err);

/* The score (the acquisition that bo maximizes) at k points Z. grad (D
 * values) only with k = 1 and a model with gradients. A score that is
 * not finite comes back as -HUGE_VAL. */
invdes_status bo_model_score(bo_model *m, const double *Z, size_t k,
                             double *score, double *grad, invdes_error *err);

/* Predictions of the unconditioned models at k points (k × T each, target
 * units; sd of a new measurement); NAN where a target has no model. Drops
 * the fantasies: call once the batch is chosen. */
invdes_status bo_model_report(bo_model *m, const double *Z, size_t k,
                              double *mean, double *sd, invdes_error *err);

/* The combined objective of history row i (bo_model.c), or NAN when the
 * row does not count (failed, no objective value, or with need_feasible a
 * constraint missed or unmeasured). */
double bo_model_row_objective(const bo_model *m, size_t i, int need_feasible);

/* ---- noise (bo_noise.c) ---- */

/* Sets bt->noise[bt->n] for the training row just appended from history
 * row i (bt->noise allocated): its reported sd² or NaN. */
void bo_noise_row(const invdes_strategy *s, bo_target *bt, size_t t, size_t i, int failed);

/* Folds repeated points of bt's training set (replicates.h) and drops
 * bt->noise when it holds nothing known and nothing was folded, so such a
 * fit is exactly the homoscedastic one. */
invdes_status bo_noise_combine(const bo_model *m, bo_target *bt, invdes_error *err);

/* 1 when target bt's model sees noise worth smoothing: a reported sd > 0,
 * or, with learned 1, a learned noise sd of at least BO_NOISE_RATIO times
 * the observed values' sd with at least BO_NOISE_MIN_POINTS training rows
 * (fewer: the learned noise is mostly its prior's). */
int bo_noise_target_noisy(const bo_target *bt, int learned);
#define BO_NOISE_RATIO 0.1
#define BO_NOISE_MIN_POINTS 20

/* The incumbent of noisy EI: the best posterior mean of the combined
 * objective over the history rows that count (measured values for targets
 * without noise), or NAN when no objective target is noisy
 * (bo_noise_target_noisy with learned 1; the caller keeps the best
 * observed). Before any conditioning. */
double bo_noise_incumbent(bo_model *m);

/* The noise variance of augmented EI (bo_model.aei_var) for a built model:
 * with EI or log EI and a reported sd on an objective target, the median
 * reported variance of each such target, combined as the score combines
 * the targets; else 0. */
double bo_noise_aei_var(const bo_model *m);

/* Rows of the history ranked as observed results rank (target.h:
 * conditions met first, then the weighted objective; earlier rows first on
 * ties), failed and empty rows left out, for local candidates: up to k <=
 * BO_TOP_MAX entries into rows, *n_rows set. */
void bo_model_top_rows(const bo_model *m, size_t k, size_t *rows,
                       size_t *n_rows);

/* Points in flight (pending, or earlier in the batch) are never closer
 * than this, encoded and Euclidean (bo_batch.c). */
#define BO_MIN_SEP 1e-3

/* 1 when z may be proposed: neither told, pending nor in out
 * (invdes_strategy_ctx_free_z) and at least BO_MIN_SEP from every pending
 * point and every point of out. */
int bo_batch_free(const invdes_strategy *s, const invdes_strategy_ctx *ctx,
                  const invdes_proposals *out, const double *z);

/* After the models were conditioned on k points Z at their predicted means:
 * counts those believed values as results, raising the incumbent and
 * lowering UCB's floor (bo_batch.c). */
invdes_status bo_batch_believe(bo_model *m, const double *Z, size_t k,
                               invdes_error *err);

/* The score of bo_model_score from the current scoring models alone,
 * without the chance of success (bo_score.c). */
invdes_status bo_model_score_one(bo_model *m, const double *Z, size_t k,
                                 double *score, double *grad, invdes_error *err);

/* ---- hyper-parameter samples (bo_hyper_mcmc.c) ---- */

#define BO_MCMC_SAMPLES 4  /* sampled models per GP target and ask */
#define BO_MCMC_BURN 1     /* sweeps discarded (the chain starts at ML-II) */
#define BO_MCMC_MAX_N 200  /* more training points: the ML-II model alone */

/* With `hyper: mcmc`, draws the samples of every GP target of a built model
 * (before any conditioning) and sets m->n_samp (else 0); a target that cannot be sampled keeps
 * its ML-II model alone. Errors: out of memory only. */
invdes_status bo_mcmc_build(bo_model *m, invdes_error *err);
void bo_mcmc_free_target(bo_target *bt);

/* Runs fn(m, arg) once with each sample standing in as the scoring model
 * of its target (bt->sur), then restores the ML-II models. */
invdes_status bo_mcmc_each(bo_model *m, invdes_status (*fn)(bo_model *, void *), void *arg);

/* Conditions every sampled model on k pending points Z (fantasies). */
invdes_status bo_mcmc_condition(bo_model *m, const double *Z, size_t k, invdes_error *err);

/* The average score over the ML-II models and the samples (log EI: the log
 * of the average EI), gradient likewise when grad is not NULL (k = 1);
 * without the chance of success. */
invdes_status bo_mcmc_score(bo_model *m, const double *Z, size_t k, double *score,
                            double *grad, invdes_error *err);

/* The classifier of the told rows' success, or *out NULL when none failed
 * (or when no fit factors). */
invdes_status bo_feasible_build(const invdes_strategy *s, bo_feasible **out,
                                invdes_error *err);
void bo_feasible_free(bo_feasible *f);
/* The chance of success at k points Z into p; with dp and k = 1, its
 * gradient (D values). */
void bo_feasible_prob(const bo_feasible *f, const double *Z, size_t k, double *p,
                      double *dp);

/* Adds every failed point told to the models of the kinds that condition,
 * at its predicted value but no better than the best value seen for the
 * target (bo_model_build calls it once the fits are done). */
invdes_status bo_feasible_condition_failures(bo_model *m, invdes_error *err);

/* Multiplies the scores of k points Z by their chance of success (logei:
 * adds its logarithm), and with grad (k = 1) corrects the gradient; nothing
 * without m->feas. */
invdes_status bo_feasible_apply(const bo_model *m, const double *Z, size_t k,
                                double *score, double *grad, invdes_error *err);

/* 1 when an ask of this iteration with n training points searches the
 * carried hyper-parameters again, 0 when it keeps them (bo_scale.c). */
int bo_hyper_refit_due(uint64_t iteration, size_t n);

/* The evaluation budget of one local search of the score, evals at small
 * sizes, with n training points (bo_scale.c). */
int bo_local_evals(int evals, size_t n);

/* The largest training set among m's fitted targets (lies included). */
size_t bo_model_train_size(const bo_model *m);

/* The cache of T targets' models in D dimensions with H carried values
 * each; NULL when out of memory. bo_cache_free(NULL) is a no-op. */
bo_cache *bo_cache_new(size_t T, size_t D, size_t H);
void bo_cache_free(bo_cache *c);

/* The model of target t for n training rows (X n × D, y) with the kept
 * hyper-parameters h (H values), as bo_cache.c defines it, into *out
 * (borrowed from the cache, valid until the next call for t). On an error
 * the caller fits the usual way. */
invdes_status bo_cache_fit(bo_cache *c, size_t t, const invdes_surrogate_type *type,
                           const invdes_surrogate_options *opt, const double *X,
                           const double *y, size_t n, const double *h,
                           invdes_surrogate **out, invdes_error *err);

/* The cache of a bo strategy (bo.c), NULL when it has none. */
bo_cache *bo_strategy_cache(invdes_strategy *s);
/* Several objectives (bo_mo.c). bo_mo_build: on a multi-objective
 * campaign, the front, reference and acquisition of this ask into m->mo
 * (left NULL otherwise); bo_mo_acq: the objective part of the score of
 * column i of m->mu/m->var (k columns); bo_mo_condition: adds pending or
 * chosen points' predicted objectives to the front; bo_mo_top_rows: rows of
 * the observed front for local candidates. */
invdes_status bo_mo_build(bo_model *m, invdes_error *err);
void bo_mo_free(bo_mo *mo);
double bo_mo_acq(const bo_model *m, size_t i, size_t k);
invdes_status bo_mo_condition(bo_model *m, const double *Z, size_t k,
                              invdes_error *err);
void bo_mo_top_rows(const bo_model *m, size_t k, size_t *rows, size_t *n_rows);

/* ---- trust region (bo_region.c) ---- */

/* The side of the trust region (encoded units) after the history g (n
 * values of the combined objective to maximize, in history order, NAN: a
 * row that does not count), whose first n0 rows are the initial design, in
 * D dimensions: TuRBO's rule as bo_region.c states it. */
double bo_region_side(const double *g, size_t n, size_t n0, size_t D);
/* Whether this ask searches a trust region (*on): the surrogate has
 * INVDES_SURROGATE_AVERAGES, a single combined objective and a feasible
 * observation; then center (D values) is the z of the best observed row
 * and *side the box's side, the box being center ± side / 2 clipped to
 * [0, 1]^D. */
invdes_status bo_region(const bo_model *m, int *on, double *center, double *side,
                        invdes_error *err);

/* ---- the second basin (bo_basin.c) ---- */

/* Smallest L-infinity distance, in the model's length scales, from a row
 * to every better row for the row to stand for a basin of its own. */
#define BO_BASIN_SEP 1.0
/* The widest side of the basin's box (z, the unit cube): a descent starts
 * from one row in a well no other row has entered, and in a box the size
 * of the well's surroundings the basin's EI explored the box instead of
 * descending (bo_basin.c). */
#define BO_BASIN_SIDE 0.2
/* The global EI (standardized) below which the incumbent's basin counts
 * as converged and the second basin's search takes the ask. */
#define BO_BASIN_EI 1e-4
/* The basin's EI (against its own best, standardized) that keeps a
 * descent under way (the last point in flight is its point) going. */
#define BO_BASIN_GO_EI 1e-3
/* Sets m->basin_on and, when on, the box, center, incumbent and own
 * model of the second basin from the told history (bo_basin.c states the
 * rule). Errors: out of memory only. */
invdes_status bo_basin_find(bo_model *m, invdes_error *err);
/* 1 when z lies in the second basin's box (0 when there is none). */
int bo_basin_holds(const bo_model *m, const double *z);
/* A fresh full fit of target t's kind on (X, y), n rows, into *out. */
invdes_status bo_model_fit_local(bo_model *m, size_t t, const double *X, const double *y,
                                 size_t n, invdes_surrogate **out, invdes_error *e);

/* Appends n model-chosen proposals to out (acquisition filled, predictions
 * filled later by the caller). */
invdes_status bo_select(invdes_strategy *s, invdes_strategy_ctx *ctx,
                        bo_model *m, size_t n, invdes_proposals *out,
                        invdes_error *err);

#endif
