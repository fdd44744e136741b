/* campaign_read.h — shared by the campaign loader's files (internal).
 *
 * The loader walks the YAML node tree (yaml_tree.h) section by section. These
 * helpers read one typed value from a node or check a mapping's keys, and on a
 * mistake add a "FILE:LINE:COL: message" diagnostic to the load's record and
 * return 0, so that the walk goes on and reports further mistakes. They never
 * print and never stop the load by themselves. */
#ifndef INVDES_CAMPAIGN_READ_H
#define INVDES_CAMPAIGN_READ_H

#include <stdint.h>

#include "campaign.h"
#include "yaml_tree.h"

typedef struct invdes_cload {
  invdes_campaign *c;
  invdes_error *err;
  int n_errors;       /* diagnostics added so far */
  int nomem;          /* an allocation failed: stop as soon as possible */
  int initial_count_given;
  const invdes_ynode *section_key; /* key of the section being read, for
                                      "X has no Y" messages (NULL: the value) */
} invdes_cload;

/* Adds a diagnostic at node n (or at line 1, column 1 when n is NULL). */
void invdes_cload_error(invdes_cload *L, const invdes_ynode *n, invdes_status s,
                        const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void invdes_cload_error_at(invdes_cload *L, int line, int column, invdes_status s,
                           const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Records an allocation failure; returns NULL for `return` convenience. */
void *invdes_cload_nomem(invdes_cload *L);
/* strdup that records failure. NULL in, NULL out. */
char *invdes_cload_strdup(invdes_cload *L, const char *s);

invdes_mark invdes_cload_mark(const invdes_ynode *n);

/* Checks that every key of mapping m is in the NULL-terminated list `known`;
 * an unknown key gives "unknown key 'k' in WHAT; did you mean 'x'?" (the
 * suggestion only when a known key is close). Returns the number of bad keys. */
int invdes_cload_keys(invdes_cload *L, const invdes_ynode *m, const char *what,
                      const char *const *known);
/* The value of key in mapping m, or NULL if absent. */
const invdes_ynode *invdes_cload_get(const invdes_ynode *m, const char *key);
/* The key node for key in mapping m (for messages about the key), or NULL. */
const invdes_ynode *invdes_cload_key_node(const invdes_ynode *m, const char *key);

/* Typed readers: return 1 and store the value, or 0 after a diagnostic that
 * names `what` (e.g. "'bounds'"). A NULL node is reported as missing. */
int invdes_cload_expect_mapping(invdes_cload *L, const invdes_ynode *n, const char *what);
int invdes_cload_expect_list(invdes_cload *L, const invdes_ynode *n, const char *what);
int invdes_cload_string(invdes_cload *L, const invdes_ynode *n, const char *what,
                        const char **out);
int invdes_cload_number(invdes_cload *L, const invdes_ynode *n, const char *what,
                        double *out);
int invdes_cload_int(invdes_cload *L, const invdes_ynode *n, const char *what,
                     long long min, long long max, int *out);
/* Reads a list of exactly two numbers [lo, hi] (no order check). */
int invdes_cload_pair(invdes_cload *L, const invdes_ynode *n, const char *what,
                      double *lo, double *hi);
/* Checks that s is an identifier ([A-Za-z_][A-Za-z0-9_]*). */
int invdes_cload_identifier(invdes_cload *L, const invdes_ynode *n, const char *what,
                            const char *s);
/* Looks text up in the NULL-terminated list `names`; returns its index, or -1
 * after "unknown WHAT 'x'; did you mean 'y'? (one of: a, b, c)". */
int invdes_cload_choice(invdes_cload *L, const invdes_ynode *n, const char *what,
                        const char *const *names);
/* The closest of `names` to s, when close enough to suggest, else NULL. */
const char *invdes_cload_suggest(const char *s, const char *const *names);

/* Whole-string number parse: 1 and *v on a finite number, else 0. */
int invdes_cload_parse_double(const char *s, double *v);

/* Sections (campaign_space.c, campaign_run.c, campaign_pool.c; the objective
 * in objectives/objective.h). Each reads its part of the tree into L->c,
 * adding diagnostics; a NULL node means the key is absent. */
void invdes_cload_parameters(invdes_cload *L, const invdes_ynode *n);
void invdes_cload_compositions(invdes_cload *L, const invdes_ynode *n);
void invdes_cload_constraints(invdes_cload *L, const invdes_ynode *n);
void invdes_cload_targets(invdes_cload *L, const invdes_ynode *n);
void invdes_cload_strategy(invdes_cload *L, const invdes_ynode *n);
void invdes_cload_budget(invdes_cload *L, const invdes_ynode *n);
void invdes_cload_pool(invdes_cload *L, const invdes_ynode *n);
/* Checks that need several sections at once (campaign_check.c). */
void invdes_cload_cross_checks(invdes_cload *L, const invdes_ynode *root);

#endif
