/* target.h — what a target's goal means, in one place: the goal names, whether
 * a value meets a goal, which of two values is better, how far a value misses,
 * the SQL that orders a column of values the same way, the words that
 * describe a goal, and how a result over all targets ranks (Deb's rules).
 *
 * Every site that interprets a goal (the driver's best and stop_when, the
 * store's best, the strategies' ranking of observations, bo's roles, the
 * command line's descriptions) asks this module; none keeps its own copy.
 *
 * The rules, for a value v of target t (units: the target's own):
 *  - meets: window lo <= v <= hi; below v <= threshold; above v >= threshold;
 *    maximize/minimize: any value. Edges are inclusive and there is NO
 *    tolerance: values are compared exactly as measured and stored (the
 *    store keeps the same doubles, so C and SQL agree to the last bit).
 *    NaN (no value) meets nothing.
 *  - better (the per-target order): maximize and above, larger first;
 *    minimize and below, smaller first; window, nearer the window first and,
 *    at equal distance (typically 0, inside), nearer its middle. The order
 *    refines meets: every value that meets ranks before every one that does
 *    not. NaN ranks after every number.
 *  - violation: 0 when v meets; else the distance outside the window or
 *    beyond the threshold divided by the window's width or |threshold| (1
 *    when the threshold is 0), never 0 (the smallest positive double when
 *    the quotient underflows); INFINITY for NaN.
 *
 * This module holds no state, allocates nothing and knows no store, strategy
 * or model. The goal enum and the target struct are campaign.h's. */
#ifndef INVDES_TARGET_H
#define INVDES_TARGET_H

#include <stddef.h>

#include "campaign.h"
#include "error.h"
#include "invdes_export.h"

/* ---- goals ---------------------------------------------------------------- */

/* The goal names in enum order, NULL-terminated ("maximize", "minimize",
 * "window", "below", "above"): the words of campaign files and of the
 * store's targets table. Static, never freed. invdes_goal_name (campaign.h)
 * reads the same table. */
INVDES_API
const char *const *invdes_goal_names(void);

/* The goal called `name` into *g. Returns 1, or 0 (g untouched) when the
 * name is no goal's. */
INVDES_API
int invdes_goal_parse(const char *name, invdes_goal *g);

/* The campaign keys a goal takes besides name, goal and unit: window for a
 * window, threshold for below/above, weight and reference for
 * maximize/minimize. */
enum {
  INVDES_GOAL_KEY_WINDOW = 1,
  INVDES_GOAL_KEY_THRESHOLD = 2,
  INVDES_GOAL_KEY_WEIGHT = 4,
  INVDES_GOAL_KEY_REFERENCE = 8
};
INVDES_API
unsigned invdes_goal_keys(invdes_goal g);

/* 1 for maximize/minimize (a value to push as far as it goes: the
 * objective), 0 for window/below/above (a condition on the outcome). */
INVDES_API
int invdes_goal_is_objective(invdes_goal g);

/* ---- one target ----------------------------------------------------------- */

/* +1 when larger values are better (maximize, above), -1 when smaller are
 * (minimize, below), 0 for a window (better is nearer, not further). */
INVDES_API
int invdes_target_direction(const invdes_target *t);

/* The values a condition accepts, [*lo, *hi]: window [lo, hi], below
 * [-inf, threshold], above [threshold, +inf]; an objective goal accepts
 * every value, [-inf, +inf]. */
INVDES_API
void invdes_target_interval(const invdes_target *t, double *lo, double *hi);

/* 1 when v meets t's goal (rules above), else 0. */
INVDES_API
int invdes_target_meets(const invdes_target *t, double v);

/* < 0 when a is better than b for t, > 0 when worse, 0 when neither (equal
 * values, both NaN, or a window's mirror images). */
INVDES_API
int invdes_target_compare(const invdes_target *t, double a, double b);

/* 1 when a is strictly better than b: invdes_target_compare(t, a, b) < 0. */
INVDES_API
int invdes_target_better(const invdes_target *t, double a, double b);

/* How far v misses t's goal, normalized (rules above); >= 0. */
INVDES_API
double invdes_target_violation(const invdes_target *t, double v);

/* The terms of an ORDER BY that ranks rows by the value column `column`
 * exactly as invdes_target_compare ranks values (rows without a value,
 * NULL, last); the caller appends its own tie-break (e.g. ", proposal").
 * `column` is SQL written by the caller and copied verbatim (never text
 * from a user). A window's bounds are not written as decimal literals
 * (SQLite's reading of those is not exact to the last bit) but as the
 * parameters ?P and ?(P+1), P = first_param; their values go to bind[0]
 * and bind[1] and *n_bind says how many to bind (0 or 2). Returns the
 * length of the text, or -1 when it does not fit in len bytes (buf then
 * holds a truncated, unusable text) or t's goal is none of the enum's. */
INVDES_API
int invdes_target_sql_order(const invdes_target *t, const char *column, int first_param,
                            char *buf, size_t len, double bind[2], int *n_bind);

/* The goal in words: "maximize", "minimize, weight 0.5", "window [3.6, 3.9]",
 * "below -3.35", "above 0.8", "maximize, reference 150" (numbers in the
 * fewest digits that read back exactly; a weight only when it is not 1, a
 * reference only when given). Neither the name nor the unit:
 * each caller lays those out itself. Returns what snprintf returns. */
INVDES_API
int invdes_target_describe(const invdes_target *t, char *buf, size_t len);

/* ---- a result over all targets ---------------------------------------------
 *
 * Each observation gets two parts:
 *  - objective: the sum over maximize/minimize targets of weight × value,
 *    negated for maximize, so lower is better (units: the targets' own,
 *    weighted); 0 when the campaign has no such target; NAN when one of them
 *    is missing from the result;
 *  - violation: the sum over window/below/above targets whose value is
 *    present of invdes_target_violation, so 0 means every present condition
 *    is met; missing conditions count 0 (not known to be broken). A failed
 *    experiment has violation INFINITY.
 * An observation with no value at all that did not fail is not known
 * (`known` 0) and ranks nowhere: a strategy treats it as told but
 * uninformative.
 *
 * Ranking (invdes_score_compare) follows Deb's feasibility rules, so the
 * units of objective and violation never mix: a smaller violation ranks
 * first (conditions met before any broken, then the least total violation);
 * at equal violation (typically both 0) a known objective ranks before a
 * missing one and a lower objective before a higher one. */

typedef struct invdes_score {
  double objective;  /* lower is better; NAN: a max/min target is missing */
  double violation;  /* >= 0; 0: conditions met; INFINITY: failed */
  int known;         /* 0: no value and not failed: not ranked */
} invdes_score;

/* The score of one outcome. targets: n_targets goals (borrowed), or NULL
 * when the goals are unknown: every target is then minimized with weight
 * 1. y: n_targets values, NAN = missing (NULL: all missing). failed: the
 * experiment was done and failed (y is then ignored). */
INVDES_API
invdes_score invdes_score_observation(const invdes_target *targets, size_t n_targets,
                                      const double *y, int failed);

/* < 0 when a ranks before (is better than) b, > 0 after, 0 equal, by the
 * rules above; an unknown score ranks after every known one. */
INVDES_API
int invdes_score_compare(const invdes_score *a, const invdes_score *b);

/* The same for two results given by their values: scores both and compares. */
INVDES_API
int invdes_score_compare_results(const invdes_target *targets, size_t n_targets,
                                 const double *ya, int failed_a, const double *yb,
                                 int failed_b);

/* One number, lower is better: objective + penalty_weight × violation.
 * INFINITY for a failure; NAN when the score is not known or its objective
 * is missing. */
INVDES_API
double invdes_score_value(const invdes_score *sc, double penalty_weight);

/* 1 when every one of the n_targets targets has a value in y (not NaN) that
 * meets its goal (maximize/minimize: any value). y NULL: 0. */
INVDES_API
int invdes_targets_met(const invdes_target *targets, size_t n_targets, const double *y);

/* ---- the one ranking of results --------------------------------------------
 *
 * What `best`, `status`, the run's progress line and the driver's best use:
 *  1. results that meet every condition (every window/below/above target has
 *     a value that meets its goal) first, and among them the best objective
 *     (invdes_score's weighted sum of the maximize/minimize targets; a
 *     missing objective value after a known one);
 *  2. then the others: fewer conditions without a value first (an unknown
 *     value is not known to be close), then the least normalized violation
 *     (the sum of invdes_target_violation over the conditions that have a
 *     value), then the best objective;
 *  3. at an equal objective (or with none: a screen for a window), the
 *     result nearer the middle of its windows first (the sum over window
 *     targets of |v - middle| / width): inside a window, the middle is the
 *     value least likely to leave it on a repeat measurement;
 *  4. a result without any value, or failed, ranks nowhere (after all).
 * Ties are the caller's to break (the older proposal first, everywhere).
 * Unlike invdes_score (the strategies' view, where a missing condition
 * counts 0 so that partial results still teach the models), a missing
 * condition is never taken as met here.
 *
 * This key and invdes_rank_compare are the one place the order lives: with
 * several objectives it is where a Pareto front will replace the weighted
 * sum. */

typedef struct invdes_rank {
  int ranked;        /* 0: no value at all, or failed */
  int meets;         /* every condition has a value that meets it */
  int missing;       /* conditions without a value */
  double violation;  /* >= 0, over the conditions with a value; 0 when meets */
  double objective;  /* lower is better; NAN: an objective value is missing */
  double centre;     /* sum over windows with a value of |v - middle| / width */
} invdes_rank;

/* The key of one result. targets: n_targets goals (borrowed); y: their
 * values, NAN = missing (NULL: all missing); failed: the experiment failed. */
INVDES_API
invdes_rank invdes_rank_result(const invdes_target *targets, size_t n_targets,
                               const double *y, int failed);

/* < 0 when a ranks before (is better than) b, > 0 after, 0 when the ranking
 * does not separate them (rules above). */
INVDES_API
int invdes_rank_compare(const invdes_rank *a, const invdes_rank *b);

/* `stop_when` for one result: 1 when every condition has a value that meets
 * it and every level is reached (levels: n_targets entries or NULL; a number
 * for a maximize target is reached by values >= it, for a minimize target by
 * values <= it; NAN: no level for that target), provided some level is named
 * whenever the campaign has a maximize/minimize target. So `satisfied`
 * (no level) stops a campaign of conditions only: an objective has no value
 * that satisfies it until a level says what would be enough. y NULL: 0. */
INVDES_API
int invdes_stop_when_met(const invdes_target *targets, size_t n_targets, const double *levels,
                         const double *y);

/* stop_when in words: "never" (stop 0), "satisfied" (stop, no level), or the
 * levels "capacity >= 200, fade <= 0.1". Returns what snprintf returns (the
 * text is cut to len). */
INVDES_API
int invdes_stop_when_describe(const invdes_target *targets, size_t n_targets, int stop,
                              const double *levels, char *buf, size_t len);

/* ---- several objectives: the Pareto front ---------------------------------
 *
 * A campaign is multi-objective when it has two or more maximize/minimize
 * targets and none of them has `weight` (weight_set): its answer is the set
 * of results no other result beats on every objective, not one number.
 * Conditions (window/below/above) still filter: the front's candidates are
 * the results that did not fail and have a value for every target, each
 * condition's meeting it (invdes_targets_met). Objectives are turned into
 * minimized coordinates for pareto.h: v for minimize, -v for maximize, in
 * campaign order.
 *
 * The hypervolume's reference point, per minimized objective j: the
 * target's `reference` (negated for maximize) when given; otherwise the
 * worst value among the candidates plus 10% of their range on j (a range
 * of 0: plus 1e-6 × max(1, |worst|)), so every candidate lies strictly
 * inside and each one on the front adds volume. That default moves as
 * results arrive (a new worst point widens it): hypervolumes are comparable
 * across runs and over time only with `reference` given. NAN when neither
 * exists (no candidate and no reference).
 *
 * The one ranking (invdes_rank_result) of a multi-objective campaign keeps
 * the equal-weight sum of the minimized objectives: it names the result
 * that legacy callers wanting one (invdes_store_best_result, the driver's
 * best) get, and that result is always on the front (a minimizer of a sum
 * with positive weights is dominated by no candidate), but it is one
 * point of the trade-off, not the answer: `best`, `status` and the progress
 * line show the front instead. */

/* 1 when t (T targets) is multi-objective (rules above), else 0. */
INVDES_API
int invdes_targets_pareto(const invdes_target *t, size_t T);

/* The minimized objective vector of one result: for each maximize/minimize
 * target in order, v for minimize and -v for maximize (NAN stays NAN).
 * values: T doubles (NULL: all missing). y: room for the count, or NULL to
 * only count. Returns m, the number of objectives. */
INVDES_API
size_t invdes_targets_objectives(const invdes_target *t, size_t T, const double *values,
                                 double *y);

/* 1 when a result enters the front: not failed and every target has a
 * value meeting its goal (invdes_targets_met). */
INVDES_API
int invdes_targets_front_candidate(const invdes_target *t, size_t T, const double *values,
                                   int failed);

/* The reference point (rules above) into ref (m doubles). Y: the n
 * minimized objective vectors of the front's candidates (rows with a NaN
 * are skipped); only each column's smallest and largest value matter. m
 * must be invdes_targets_objectives' count (else INVDES_ERR_USAGE). */
INVDES_API
invdes_status invdes_targets_reference(const invdes_target *t, size_t T, const double *Y,
                                       size_t n, size_t m, double *ref, invdes_error *err);

typedef struct invdes_front_summary {
  size_t m;            /* objectives */
  size_t candidates;   /* results that enter the front */
  size_t size;         /* results on it (rank 0; equal results all count) */
  double hypervolume;  /* of the front below the reference; 0 without candidates */
} invdes_front_summary;

/* The Pareto ranks of n results. values: n × T row-major (NAN: missing);
 * failed: n flags or NULL (none failed). rank (n entries, or NULL): the
 * non-dominated rank among the candidates (pareto.h), SIZE_MAX for a result
 * that is no candidate. ref (m doubles, or NULL): the reference point used.
 * sum (may be NULL): the summary. Needs at least one objective
 * (INVDES_ERR_USAGE otherwise); O(m n^2). */
INVDES_API
invdes_status invdes_targets_front(const invdes_target *t, size_t T, const double *values,
                                   const int *failed, size_t n, size_t *rank, double *ref,
                                   invdes_front_summary *sum, invdes_error *err);

#endif
