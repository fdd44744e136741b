/* campaign.h — the typed campaign model and its loader.
 *
 * A campaign file (YAML, see docs/campaign-format.md) is parsed once into the
 * structs below and checked; afterwards nothing looks at YAML or strings on a
 * hot path. The model is plain data owned by the invdes_campaign handle: every
 * pointer inside is borrowed from it and lives until invdes_campaign_free.
 *
 * The loader also builds the campaign's design space (space.h), which checks
 * that the constraints parse and that a feasible point exists, so every error
 * a user can make in the file is reported when it is loaded, with file, line
 * and column; the campaign keeps that space and hands it out
 * (invdes_campaign_space), so nobody builds it a second time. Beyond that this
 * module does not encode points, compile constraints itself or run anything. */
#ifndef INVDES_CAMPAIGN_H
#define INVDES_CAMPAIGN_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "invdes_export.h"

/* Where an item was written in the campaign file: 1-based line and column. */
typedef struct invdes_mark {
  int line;
  int column;
} invdes_mark;

typedef enum invdes_param_type {
  INVDES_PARAM_CONTINUOUS,  /* real value in [lo, hi] */
  INVDES_PARAM_INTEGER,     /* whole number in [lo, hi] */
  INVDES_PARAM_DISCRETE,    /* one of an ordered list of numbers */
  INVDES_PARAM_CATEGORICAL  /* one of a list of labels, unordered */
} invdes_param_type;

typedef struct invdes_param {
  char *name;
  invdes_param_type type;
  double lo, hi;        /* continuous and integer: bounds, lo < hi;
                           discrete: smallest and largest value */
  int log_scale;        /* continuous/integer with `scale: log` (then lo > 0) */
  double *values;       /* discrete: n_values numbers, sorted ascending, distinct */
  char **labels;        /* categorical: n_values labels, distinct */
  size_t n_values;
  char *unit;           /* may be NULL */
  invdes_mark mark;
} invdes_param;

typedef struct invdes_component {
  char *name;
  double lo, hi;        /* bounds on this component's amount, 0 <= lo <= hi */
  invdes_mark mark;
} invdes_component;

/* Components that sum to `total` (e.g. Ni+Mn+Co = 1). Σlo <= total <= Σhi. */
typedef struct invdes_composition {
  char *name;
  double total;
  invdes_component *components;
  size_t n_components;  /* >= 2 */
  invdes_mark mark;
} invdes_composition;

/* A constraint as written; compiled by constraint.h. `tol` is the slack an
 * equality (==) is allowed, absolute, in the units of its two sides. */
typedef struct invdes_constraint_spec {
  char *text;
  double tol;
  invdes_mark mark;     /* where the expression text starts */
} invdes_constraint_spec;

typedef enum invdes_goal {
  INVDES_GOAL_MAXIMIZE,
  INVDES_GOAL_MINIMIZE,
  INVDES_GOAL_WINDOW,   /* lo <= value <= hi is fully satisfied */
  INVDES_GOAL_BELOW,    /* value <= threshold */
  INVDES_GOAL_ABOVE     /* value >= threshold */
} invdes_goal;

typedef struct invdes_target {
  char *name;
  invdes_goal goal;
  double lo, hi;        /* window: lo < hi */
  double threshold;     /* below/above */
  double weight;        /* maximize/minimize: weight when several combine (> 0) */
  /* 1 when the campaign file gave `weight` (a hand-built target: set it to
   * ask for the weighted sum). Two or more maximize/minimize targets none of
   * which has it make the campaign multi-objective (target.h's
   * invdes_targets_pareto); one weight anywhere keeps the weighted sum. */
  int weight_set;
  /* maximize/minimize: the hypervolume's reference value (`reference:`, in
   * the target's units: the worst value worth counting); NAN when not given
   * (target.h's invdes_targets_reference then takes it from the data). A
   * target built by hand must set NAN here: 0 is a reference. */
  double reference;
  char *unit;           /* may be NULL */
  /* The plausible values (`range: [lo, hi]`): a value outside is refused by
   * tell, amend and import. Declared when range_lo < range_hi (both finite);
   * zero-initialized (0, 0) means none. */
  double range_lo, range_hi;
  invdes_mark mark;
} invdes_target;

/* The objective: who turns a proposal into measured values. Its kind is a
 * function table registered by name (objectives/objective.h: builtin,
 * command, dataset, station) and its settings are that kind's own spec
 * struct, both opaque here; read them through the functions below. */
typedef struct invdes_objective_type invdes_objective_type;

typedef struct invdes_objective {
  const invdes_objective_type *type; /* NULL only in a campaign that failed to load */
  void *spec;                        /* the kind's settings, owned (NULL: none) */
  invdes_mark mark;
} invdes_objective;

/* A strategy kind: its table entry (strategy_type.h), found by name. */
typedef struct invdes_strategy_type invdes_strategy_type;

typedef enum invdes_design_kind {
  INVDES_DESIGN_RANDOM,
  INVDES_DESIGN_SOBOL,
  INVDES_DESIGN_LHS
} invdes_design_kind;

typedef struct invdes_strategy_spec {
  const invdes_strategy_type *kind;
  void *options;                       /* the kind's own options as its reader
                                          filled them (NULL: its defaults);
                                          owned by the campaign */
  int batch;                           /* proposals per ask, >= 1 */
  invdes_design_kind initial_design;
  int initial_count;                   /* >= 0; default: the kind's rule
                                          (bo/pso/ga: max(5, 2 x variables, or
                                          features of a pool) capped by the
                                          budget; others 0) */
  invdes_mark mark;
} invdes_strategy_spec;

typedef struct invdes_budget {
  int evaluations;      /* stop after this many results, >= 1 */
  int stop_when_satisfied; /* stop_when is `satisfied` or names levels: stop once
                              a result passes invdes_stop_when_met (target.h) */
  double *stop_levels;     /* n_targets levels named by stop_when ({capacity:
                              {at_least: 200}}), NAN where none; NULL: none */
  invdes_mark mark;
} invdes_budget;

/* A table of candidates searched instead of (not beside) a parameter space. */
typedef struct invdes_pool {
  char *file;           /* as written */
  char *path;           /* resolved against the campaign's folder */
  char *id_column;      /* NULL: candidates are named by row number (1-based) */
  char **features;      /* n_features column names the surrogate sees */
  size_t n_features;
  /* Loaded and checked when the campaign is loaded: */
  size_t n_rows;
  double *x;            /* n_rows × n_features, row-major, all finite */
  char **ids;           /* n_rows names (the id column, or "1", "2", ...) */
  invdes_mark mark;
} invdes_pool;

typedef struct invdes_campaign {
  char *path;           /* the file as given */
  char *dir;            /* its folder, for resolving relative paths */
  char *text;           /* the file's full text (stored in the database) */
  size_t text_len;
  char *name;
  char *description;    /* may be NULL */
  uint64_t seed;

  invdes_param *params;
  size_t n_params;
  invdes_composition *compositions;
  size_t n_compositions;
  invdes_constraint_spec *constraints;
  size_t n_constraints;
  invdes_target *targets;
  size_t n_targets;
  invdes_pool *pool;    /* NULL unless `pool:` is given */
  invdes_objective objective;
  invdes_strategy_spec strategy;
  invdes_budget budget;
  /* The design space (space.h) the loader built from the fields above, owned;
   * NULL in a campaign filled in by hand. Read it with invdes_campaign_space. */
  struct invdes_space *space;
} invdes_campaign;

/* Reads, parses and checks a campaign file, and builds its design space. On
 * success returns the campaign (the caller frees it with invdes_campaign_free,
 * which frees the space too). On failure returns NULL and `err` holds every
 * diagnostic found, each "FILE:LINE:COLUMN: message". */
INVDES_API
invdes_campaign *invdes_campaign_load(const char *path, invdes_error *err);

/* The same from text already in memory; `path` names it in messages and
 * anchors relative paths (pool files, commands). */
INVDES_API
invdes_campaign *invdes_campaign_parse(const char *path, const char *text,
                                       size_t len, invdes_error *err);

INVDES_API
void invdes_campaign_free(invdes_campaign *c);

/* The design space the loader built (borrowed: valid until
 * invdes_campaign_free), as invdes_space_new(c) would build it. NULL for a
 * campaign the loader did not make. A caller that changes the fields the
 * space is made of (parameters, compositions, constraints, pool, seed) builds
 * its own with invdes_space_new. */
INVDES_API
const struct invdes_space *invdes_campaign_space(const invdes_campaign *c);

/* Total number of scalar variables: parameters plus composition components. */
INVDES_API
size_t invdes_campaign_n_vars(const invdes_campaign *c);

INVDES_API
const char *invdes_param_type_name(invdes_param_type t);
INVDES_API
const char *invdes_goal_name(invdes_goal g);
/* The kind's name, "?" for NULL. */
INVDES_API
const char *invdes_strategy_kind_name(const invdes_strategy_type *k);
INVDES_API
const char *invdes_design_kind_name(invdes_design_kind k);

/* The objective's kind, e.g. "builtin" ("?" when there is none). */
INVDES_API
const char *invdes_campaign_objective_kind(const invdes_campaign *c);
/* NULL when `invdes run` evaluates this campaign's proposals itself; else why
 * it cannot (a station campaign: "... use invdes ask / invdes tell"). */
INVDES_API
const char *invdes_campaign_objective_cannot_run(const invdes_campaign *c);
/* The kind and its settings in one line for people, e.g. "builtin hartmann6",
 * into buf (NUL-terminated, truncated to size bytes). */
INVDES_API
void invdes_campaign_objective_describe(const invdes_campaign *c, char *buf, size_t size);

#endif
