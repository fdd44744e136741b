/* bo.h — the parts of the bo strategy shared by its files: the
 * per-ask model (one surrogate per target, the combined score) and the
 * choice of points. Not installed.
 *
 *  bo.c        the ops table: phases of an ask, saved state;
 *  bo_model.c  training sets, fits, fantasies / lies;
 *  bo_score.c  the score and the reported predictions;
 *  bo_opt.c    candidates, local optimization, the batch loop;
 *  bo_mo.c     several objectives: the front, EHVI (ehvi.c) or ParEGO;
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
typedef struct invdes_bo_options {
  const invdes_surrogate_type *surrogate; /* a registered kind */
  invdes_surrogate_options model;  /* its named settings (`surrogate:
                                      {kind: knn, k: 7}`); bo fills the gp
                                      and rf parts itself */
  invdes_kernel_kind kernel;       /* gp */
  invdes_acquisition_kind acquisition;
} invdes_bo_options;

/* The defaults: gp, matern52, ei, no settings. */
void bo_options_defaults(invdes_bo_options *o);

#define BO_K_CANDS 1     /* the Sobol candidates of an ask */
#define BO_K_LOCAL 2     /* perturbations around the best points */
#define BO_K_FALLBACK 3  /* random proposals while no model can be fitted */
#define BO_K_PAREGO 4    /* ParEGO's weights and draws (bo_mo.c) */
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
  double *X, *y;          /* training set (lies appended) */
  size_t n, cap;
  uint64_t seed;
} bo_target;

typedef struct bo_mo bo_mo; /* bo_mo.c */

typedef struct bo_model {
  invdes_strategy *s;
  uint64_t iteration;
  size_t D, T;
  bo_target *t;
  invdes_bo_options opt;  /* the strategy's options (or the defaults) */
  int grad;               /* the surrogate gives gradients: L-BFGS */
  int conditions;         /* it conditions on pending points (fantasies);
                             else bo refits it with lies */
  int has_objective;      /* an objective target has a model */
  int feas_only;          /* score = chance of meeting every constraint */
  invdes_acquisition_kind kind;
  double best;            /* incumbent of the combined objective */
  double floor;           /* ucb: smallest observed combined objective */
  double xi, beta;
  size_t cap;             /* room in the scratch below, points */
  double *mu, *var;       /* T × cap */
  double *dmu, *dvar;     /* T × D (gradients at one point) */
  bo_mo *mo;              /* several objectives (bo_mo.c), else NULL */
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
 * believer; the GP), another is refitted with each target's worst observed
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

/* Rows of the history ranked as observed results rank (target.h:
 * conditions met first, then the weighted objective; earlier rows first on
 * ties), failed and empty rows left out, for local candidates: up to k <=
 * BO_TOP_MAX entries into rows, *n_rows set. */
void bo_model_top_rows(const bo_model *m, size_t k, size_t *rows,
                       size_t *n_rows);

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

/* Appends n model-chosen proposals to out (acquisition filled, predictions
 * filled later by the caller). */
invdes_status bo_select(invdes_strategy *s, invdes_strategy_ctx *ctx,
                        bo_model *m, size_t n, invdes_proposals *out,
                        invdes_error *err);

#endif
