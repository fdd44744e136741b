/* objective.h — objective kinds as function tables registered by name
 * (internal; the model's public face is invdes_objective in campaign.h).
 *
 * An objective kind says who turns a proposal into measured values: a
 * benchmark function (builtin.c), an external program (command.c), a table
 * (dataset.c), a computation in process (capacity.c, porous_electrode.c),
 * several of these for different targets (combined.c), or nobody because
 * results come by `invdes tell` (station.c).
 * Each kind is one file defining one invdes_objective_type, in the manner of
 * curl's protocol handlers and SQLite's sqlite3_module: its name, the campaign
 * keys it accepts (the fields below), a reader from the YAML section into its
 * own spec struct, the checks that need the rest of the campaign, and the
 * evaluator operations the driver calls. objective.c holds the registry (one
 * line per kind) and everything generic: the `objective:` section's kind and
 * key checks, freeing, the field getters and the dispatch.
 *
 * Adding a kind: objectives/KIND.c defining invdes_objective_KIND, one X(KIND)
 * line in objective.c's list, Makefile.am, its test, the docs. Nothing else
 * looks at kinds: callers ask the table (flags, cannot_run, fields). */
#ifndef INVDES_OBJECTIVE_H
#define INVDES_OBJECTIVE_H

#include <stddef.h>
#include <stdint.h>

#include "campaign.h"
#include "campaign_read.h"
#include "error.h"
#include "space.h"

/* ---- settings: the keys of a kind ----------------------------------------- */

/* How a setting is stored in the kind's spec struct. */
typedef enum invdes_objective_field_type {
  INVDES_FIELD_TEXT,     /* char * (NULL: not given) */
  INVDES_FIELD_NUMBER,   /* double */
  INVDES_FIELD_INT,      /* int */
  INVDES_FIELD_NUMBERS,  /* double *, with a size_t count at count_offset */
  INVDES_FIELD_TEXTS     /* char **, with a size_t count at count_offset */
} invdes_objective_field_type;

/* One campaign key of a kind and where its value lives (offsetof into the
 * spec struct), like nginx's ngx_command_t. The list of fields is the list of
 * keys the kind accepts besides `kind`; a re-opened campaign may change the
 * `harmless` ones (the store records the change) but no other. */
typedef struct invdes_objective_field {
  const char *key;       /* as written in the campaign, e.g. "timeout" */
  invdes_objective_field_type type;
  size_t offset;
  size_t count_offset;   /* NUMBERS and TEXTS only */
  int harmless;          /* 1: changing it changes no result (e.g. a time-out);
                            TEXT, NUMBER and INT only: a changed list never is */
} invdes_objective_field;

/* ---- evaluating ------------------------------------------------------------ */

/* What an evaluator is opened for. Everything is borrowed and outlives it. */
typedef struct invdes_objective_setup {
  const invdes_campaign *c;
  const void *spec;                /* c->objective.spec */
  const invdes_space *space;       /* the campaign's design space */
  size_t n_vars, n_targets;
  const char *const *var_names;    /* n_vars export names (a pool: its id column) */
  const char *const *target_names; /* n_targets */
} invdes_objective_setup;

/* One proposal to evaluate. x holds the raw values recorded for it
 * (parameters in order with categorical labels as indices, then components;
 * for a pool x[0] is the candidate's row). When the recorded parameters could
 * not be read, x is NULL and `unreadable` says why: an in-process kind fails
 * that proposal with this reason, an external one refuses the batch. */
typedef struct invdes_objective_point {
  int64_t id;
  const double *x;
  const char *unreadable;
} invdes_objective_point;

/* What became of one proposal. y: n_targets values, NAN = missing (NULL when
 * failed). reason for failures; stderr (may be NULL) for the event log. */
typedef struct invdes_objective_outcome {
  int64_t id;
  int failed;
  const double *y;
  const char *reason;
  const char *stderr_text;
  size_t stderr_len;
} invdes_objective_outcome;

/* Records outcomes o[0..n) (the driver: one transaction). An error stops an
 * in-process batch at once; an external one finishes what is in flight and
 * returns the first error. */
typedef invdes_status (*invdes_objective_done_fn)(const invdes_objective_outcome *o, size_t n,
                                                   void *data, invdes_error *err);

enum {
  /* evaluations run inside this process and cost next to nothing to redo:
   * the run loop groups many rounds per store transaction */
  INVDES_OBJECTIVE_IN_PROCESS = 1,
  /* with a pool, the targets are columns of the pool's own table (the pool
   * reader checks them while it has the table open) */
  INVDES_OBJECTIVE_POOL_TARGETS = 2
};

/* ---- the table entry ------------------------------------------------------- */

struct invdes_objective_type {
  const char *name;                     /* the `kind:` value, e.g. "command" */
  const invdes_objective_field *fields; /* its keys, ended by a NULL key (an
                                           array even when empty) */
  size_t spec_size;                     /* bytes of its spec struct (0: none) */
  unsigned flags;                       /* INVDES_OBJECTIVE_* above */
  /* Reads the section n (a mapping whose keys are already checked) into spec
   * (zeroed, spec_size bytes): defaults, then each key, adding diagnostics
   * through L. NULL: nothing to read. */
  void (*read)(invdes_cload *L, const invdes_ynode *n, void *spec);
  /* Frees what spec's members own (not spec itself). NULL: nothing. */
  void (*free_spec)(void *spec);
  /* Checks against the rest of the campaign (L->c: variables, pool,
   * targets), after every section was read without running out of memory;
   * may complete the spec (resolve paths, defaults that depend on the
   * campaign). n is the section, L->section_key its key. NULL: none. */
  void (*check)(invdes_cload *L, const invdes_ynode *n, void *spec);
  /* Appends " details" of spec to buf (NUL-terminated, size bytes) for
   * `invdes validate`, e.g. " hartmann6". NULL: nothing to add. */
  void (*describe)(const void *spec, char *buf, size_t size);
  /* NULL when the kind evaluates proposals itself (open, evaluate and close
   * are then set); else why `invdes run` cannot, for the user. */
  const char *cannot_run;
  /* Builds the evaluator's state for a run (*state, freed by close). */
  invdes_status (*open)(const invdes_objective_setup *s, void **state, invdes_error *err);
  /* Evaluates p[0..n) and hands every outcome to done (as each arrives, or
   * all at once); returns done's first error or one of the machinery. */
  invdes_status (*evaluate)(void *state, const invdes_objective_point *p, size_t n,
                            invdes_objective_done_fn done, void *data, invdes_error *err);
  void (*close)(void *state);
};

/* ---- the registry (objective.c) ---------------------------------------------- */

/* The kind called name, or NULL. */
const invdes_objective_type *invdes_objective_find(const char *name);
/* Registered kind i (0, 1, ...), or NULL past the last. */
const invdes_objective_type *invdes_objective_at(size_t i);
/* "builtin, command, dataset or station", for messages. */
void invdes_objective_kinds_text(char *buf, size_t size);

/* The campaign section `objective:` of root into L->c->objective: the kind
 * (with a suggestion when unknown), keys checked against every kind's fields
 * ("unknown key", or "does not apply to objective kind"), then the kind's
 * reader. Reports a missing section itself. */
void invdes_cload_objective(invdes_cload *L, const invdes_ynode *root);
/* The same for any mapping n holding an objective section (a part of a
 * `combined` objective) into o; `what` names it in messages. */
void invdes_cload_objective_section(invdes_cload *L, const invdes_ynode *n, invdes_objective *o,
                                    const char *what);
/* The kind's cross-section check (campaign_check.c calls it last but one). */
void invdes_cload_objective_check(invdes_cload *L, const invdes_ynode *root);

/* Frees what o owns and zeroes it. */
void invdes_objective_clear(invdes_objective *o);

/* The field `key` of o's kind, or NULL; *value (when found) points at its
 * value inside o->spec. */
const invdes_objective_field *invdes_objective_field_find(const invdes_objective *o,
                                                          const char *key,
                                                          const void **value);
/* Typed getters over invdes_objective_field, for tests and tools: the value,
 * or NULL / NAN / 0 items when the kind has no such key of that type. */
const char *invdes_objective_text(const invdes_objective *o, const char *key);
double invdes_objective_number(const invdes_objective *o, const char *key);
const double *invdes_objective_numbers(const invdes_objective *o, const char *key, size_t *n);
char *const *invdes_objective_texts(const invdes_objective *o, const char *key, size_t *n);

/* ---- helpers for the kinds' files (objective.c) ------------------------------ */

/* Appends printf output to the NUL-terminated buf of size bytes (truncating):
 * for describe. */
void invdes_objective_append(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Evaluates one proposal of an in-process kind: y[0..n_targets) start NAN;
 * writing a reason (NUL-terminated, at most rn bytes) fails it. */
typedef void (*invdes_objective_one_fn)(void *state, const invdes_objective_point *p,
                                        double *y, char *reason, size_t rn);

/* The evaluate operation of an in-process kind: one() on each proposal in
 * order (an unreadable one fails with its reason, one() is not called), then
 * every outcome handed to done at once. */
invdes_status invdes_objective_each(void *state, size_t n_targets, invdes_objective_one_fn one,
                                    const invdes_objective_point *p, size_t n,
                                    invdes_objective_done_fn done, void *data,
                                    invdes_error *err);

#endif
