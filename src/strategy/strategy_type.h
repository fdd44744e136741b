/* strategy_type.h — a strategy kind as a table of functions, registered by
 * name (like curl's Curl_handler or SQLite's sqlite3_module). Not installed.
 *
 * One entry carries everything the rest of invdes needs to know about a
 * kind: its name (the value of `strategy.kind`), the keys of the `strategy:`
 * mapping that only it accepts, its reader (YAML → its own options struct,
 * with defaults), how to describe and free those options, its default
 * initial count, what it can do (flags), and its operations. The campaign
 * loader, the store's campaign comparison and `invdes validate` ask the
 * table; none of them names a kind. The registry (strategy.c) is one list;
 * adding a kind is its own file plus one word in that list.
 *
 * Options belong to the campaign that read them (spec.options); a strategy
 * handle borrows them. A spec with options NULL means the kind's defaults. */
#ifndef INVDES_STRATEGY_TYPE_H
#define INVDES_STRATEGY_TYPE_H

#include <stddef.h>

#include "campaign_read.h"

struct invdes_strategy;
struct invdes_strategy_ctx;
struct invdes_proposals;

/* The kind works on a pool of candidates (else: parameter spaces only). */
#define INVDES_STRATEGY_POOL 1u
/* Its proposals depend on budget.evaluations, so a changed budget is not a
 * harmless edit of a running campaign. */
#define INVDES_STRATEGY_USES_BUDGET 2u
/* It follows one objective (a weighted sum at most): a multi-objective
 * campaign (target.h's invdes_targets_pareto) is refused when it loads. */
#define INVDES_STRATEGY_ONE_OBJECTIVE 4u
/* It searches for the front of a multi-objective campaign (named in that
 * refusal). Kinds with neither flag (designs) ignore the objectives. */
#define INVDES_STRATEGY_SEVERAL_OBJECTIVES 8u

struct invdes_strategy_type {
  const char *name;
  /* Keys of the `strategy:` mapping only this kind accepts, NULL-terminated
   * (NULL: none). By convention the per-kind options live in a sub-mapping
   * named after the kind (`pso: {swarm: 24}`), listed here. */
  const char *const *keys;
  /* Keys of that sub-mapping, NULL-terminated (NULL: none): a campaign that
   * writes one at the top of `strategy:` is told where it goes. */
  const char *const *sub_keys;
  /* A new options struct holding the kind's defaults, or NULL when out of
   * memory; NULL for a kind without options. */
  void *(*options_new)(void);
  /* Reads the kind's keys of the `strategy:` mapping n into options, with
   * invdes_cload diagnostics. NULL: the kind has no keys to read. */
  void (*options_read)(invdes_cload *L, const invdes_ynode *n, void *options);
  void (*options_free)(void *options);
  /* Writes "swarm 24, inertia 0.72, ..." (options NULL: the defaults);
   * equal text means equal options. NULL: nothing to describe. */
  void (*options_describe)(const void *options, char *buf, size_t size);
  /* The initial count when the campaign gives none: d variables (or pool
   * features) and the budget (> 0). NULL: 0, no initial design. */
  int (*initial_default)(size_t d, int budget);
  unsigned flags;

  /* Operations of a strategy handle (strategy_impl.h). init sets s->impl
   * and may be NULL. ask appends exactly n proposals to out (out->n is 0 on
   * entry). save/load: (b) state, NULL for a stateless kind; save gives a
   * malloc'ed payload, load with NULL resets. */
  invdes_status (*init)(struct invdes_strategy *s, invdes_error *err);
  void (*destroy)(struct invdes_strategy *s);
  invdes_status (*ask)(struct invdes_strategy *s,
                       struct invdes_strategy_ctx *ctx, size_t n,
                       struct invdes_proposals *out, invdes_error *err);
  invdes_status (*save)(const struct invdes_strategy *s,
                        unsigned char **payload, size_t *len,
                        invdes_error *err);
  invdes_status (*load)(struct invdes_strategy *s,
                        const unsigned char *payload, size_t len,
                        invdes_error *err);
  /* How many points the kind can still hand out, given the taken marks of
   * ctx (told, pending), for a kind whose supply is finite on any space (a
   * grid); NULL: only a finite space limits it. Asking for more is refused
   * before ask is called, and the driver stops at 0. */
  size_t (*remaining)(struct invdes_strategy *s,
                      const struct invdes_strategy_ctx *ctx);
};

/* The kind named `name`, or NULL. */
const invdes_strategy_type *invdes_strategy_type_find(const char *name);
/* The registry's names, NULL-terminated, in registry order (borrowed,
 * static). */
const char *const *invdes_strategy_type_names(void);
/* The i-th kind of the registry, NULL past the end. */
const invdes_strategy_type *invdes_strategy_type_at(size_t i);

/* A malloc'ed copy of size bytes of defaults (an options_new helper);
 * NULL when out of memory. */
void *invdes_strategy_options_dup(const void *defaults, size_t size);

/* The default initial count of the model-based kinds (bo, pso, ga):
 * max(5, 2 d), capped by the budget. */
int invdes_strategy_initial_default(size_t d, int budget);

#endif
