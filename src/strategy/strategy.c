/* strategy.c — the strategy handle: registry by kind, the told history,
 * ask and tell with their checks, and the framing of saved state.
 *
 * Every ask goes through here: the arguments are checked, the taken marks
 * (history + pending) are built, a finite space that has too few untried
 * points left is refused with what is left, and after the strategy's own ask
 * every proposal is checked to be feasible, so a faulty strategy cannot hand
 * an infeasible point to an evaluator. This file holds no search algorithm;
 * each kind lives in its own file (design.c, bo.c, pso.c, ga.c, grid.c) and
 * is known here only by its name in the registry list. */
#include "strategy_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The registry: every strategy kind, in the order `invdes validate` and the
 * loader's messages list them. Adding a kind adds its name here; its entry
 * is invdes_strategy_<name>, defined in its own file. */
#define INVDES_STRATEGY_REGISTRY(X) X(bo) X(pso) X(ga) X(random) X(sobol) X(lhs) X(grid)

#define DECLARE(name) extern const invdes_strategy_type invdes_strategy_##name;
INVDES_STRATEGY_REGISTRY(DECLARE)
#undef DECLARE
#define ENTRY(name) &invdes_strategy_##name,
static const invdes_strategy_type *const registry[] = {INVDES_STRATEGY_REGISTRY(ENTRY) NULL};
#undef ENTRY
#define NAME(name) #name,
static const char *const registry_names[] = {INVDES_STRATEGY_REGISTRY(NAME) NULL};
#undef NAME

/* Saved state: this tag, the kind's name and its NUL, then the strategy's
 * bytes. */
static const unsigned char STATE_TAG[4] = {'I', 'V', 'S', '2'};

const invdes_strategy_type *invdes_strategy_type_at(size_t i) {
  return i < sizeof registry / sizeof *registry ? registry[i] : NULL;
}

const char *const *invdes_strategy_type_names(void) { return registry_names; }

const invdes_strategy_type *invdes_strategy_type_find(const char *name) {
  for (size_t i = 0; name && registry[i]; i++)
    if (strcmp(registry[i]->name, name) == 0) return registry[i];
  return NULL;
}

const invdes_strategy_type *invdes_strategy_kind_find(const char *name) {
  return invdes_strategy_type_find(name);
}

int invdes_strategy_available(const invdes_strategy_type *kind) {
  for (size_t i = 0; kind && registry[i]; i++)
    if (registry[i] == kind) return 1;
  return 0;
}

void *invdes_strategy_options_dup(const void *defaults, size_t size) {
  void *o = malloc(size);
  if (o) memcpy(o, defaults, size);
  return o;
}

int invdes_strategy_initial_default(size_t d, int budget) {
  size_t want = 2 * d > 5 ? 2 * d : 5;
  return want < (size_t)budget ? (int)want : budget;
}

void invdes_strategy_describe(const invdes_strategy_spec *spec, char *buf,
                              size_t size) {
  if (!size) return;
  buf[0] = '\0';
  if (spec && spec->kind && spec->kind->options_describe)
    spec->kind->options_describe(spec->options, buf, size);
}

static invdes_status nomem(invdes_error *err) {
  return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
}

invdes_strategy *invdes_strategy_new(const invdes_space *space,
                                     const invdes_strategy_spec *spec,
                                     size_t n_targets, uint64_t seed,
                                     invdes_error *err) {
  if (!space || !spec) {
    invdes_error_set(err, INVDES_ERR_USAGE, "invdes_strategy_new: no space "
                     "or no strategy given");
    return NULL;
  }
  const invdes_strategy_type *ops = spec->kind;
  if (!invdes_strategy_available(ops)) {
    invdes_error_set(err, INVDES_ERR_INVALID, "the strategy '%s' is not "
                     "available in this build",
                     invdes_strategy_kind_name(spec->kind));
    return NULL;
  }
  invdes_strategy *s = calloc(1, sizeof *s);
  if (!s) {
    nomem(err);
    return NULL;
  }
  s->ops = ops;
  s->space = space;
  s->c = invdes_space_campaign(space);
  s->spec = *spec;
  s->seed = seed;
  s->dim = invdes_space_dim(space);
  s->n_vars = invdes_space_n_vars(space);
  s->cube_dim = invdes_space_cube_dim(space);
  s->n_targets = n_targets;
  invdes_zset_init(&s->hist_set, s->dim);
  invdes_zset_init(&s->ctx.extra, s->dim);
  if (!(s->work = invdes_space_work_new(space))) {
    nomem(err);
    goto fail;
  }
  if (invdes_strategy_cands_build(s, err)) goto fail;
  if (ops->init && ops->init(s, err)) goto fail;
  return s;
fail:
  invdes_strategy_free(s);
  return NULL;
}

void invdes_strategy_free(invdes_strategy *s) {
  if (!s) return;
  if (s->ops->destroy) s->ops->destroy(s);
  invdes_space_work_free(s->work);
  free(s->h_id);
  free(s->h_z);
  free(s->h_x);
  free(s->h_y);
  free(s->h_sd);
  free(s->h_failed);
  invdes_zset_free(&s->hist_set);
  invdes_zset_free(&s->ctx.extra);
  invdes_strategy_cands_free(s->cands);
  free(s->h_count);
  free(s->ctx.count);
  invdes_design_list_free(s->initial);
  free(s);
}

const invdes_strategy_type *invdes_strategy_kind_of(const invdes_strategy *s) {
  return s->ops;
}
const char *invdes_strategy_name(const invdes_strategy *s) {
  return s->ops->name;
}
const invdes_space *invdes_strategy_space(const invdes_strategy *s) {
  return s->space;
}
size_t invdes_strategy_n_targets(const invdes_strategy *s) {
  return s->n_targets;
}
size_t invdes_strategy_n_told(const invdes_strategy *s) { return s->n_hist; }

/* ---- proposals ------------------------------------------------------------ */

invdes_proposals *invdes_proposals_new(const invdes_strategy *s, size_t cap) {
  invdes_proposals *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  p->cap = cap;
  p->dim = s->dim;
  p->n_vars = s->n_vars;
  p->n_targets = s->n_targets;
  p->z = malloc((cap * s->dim + 1) * sizeof *p->z);
  p->x = malloc((cap * s->n_vars + 1) * sizeof *p->x);
  p->pred_mean = malloc((cap * s->n_targets + 1) * sizeof *p->pred_mean);
  p->pred_sd = malloc((cap * s->n_targets + 1) * sizeof *p->pred_sd);
  p->acquisition = malloc((cap + 1) * sizeof *p->acquisition);
  if (!p->z || !p->x || !p->pred_mean || !p->pred_sd || !p->acquisition) {
    invdes_proposals_free(p);
    return NULL;
  }
  return p;
}

void invdes_proposals_free(invdes_proposals *p) {
  if (!p) return;
  free(p->z);
  free(p->x);
  free(p->pred_mean);
  free(p->pred_sd);
  free(p->acquisition);
  free(p);
}

/* ---- ask ------------------------------------------------------------------- */

static invdes_status exhausted(const invdes_strategy *s, size_t n,
                               size_t n_pending, invdes_error *err) {
  const invdes_cands *c = s->cands;
  if (s->c->pool)
    return invdes_error_set(
        err, INVDES_ERR_INFEASIBLE,
        "the pool has %zu untried candidate%s left (%zu of its %zu rows are "
        "feasible; %zu told, %zu pending) and %zu %s asked for",
        s->ctx.untaken, s->ctx.untaken == 1 ? "" : "s", c->n,
        s->c->pool->n_rows, s->n_hist, n_pending, n,
        n == 1 ? "was" : "were");
  return invdes_error_set(
      err, INVDES_ERR_INFEASIBLE,
      "the space has %zu untried point%s left (%zu feasible combinations; "
      "%zu told, %zu pending) and %zu %s asked for",
      s->ctx.untaken, s->ctx.untaken == 1 ? "" : "s", c->n, s->n_hist,
      n_pending, n, n == 1 ? "was" : "were");
}

invdes_status invdes_strategy_ask(invdes_strategy *s, uint64_t iteration,
                                  size_t n, const double *pending_z,
                                  size_t n_pending, invdes_proposals *out,
                                  invdes_error *err) {
  if (!s || !out)
    return invdes_error_set(err, INVDES_ERR_USAGE, "ask: no strategy or no "
                            "output");
  out->n = 0;
  if (out->cap < n || out->dim != s->dim || out->n_vars != s->n_vars ||
      out->n_targets != s->n_targets)
    return invdes_error_set(err, INVDES_ERR_USAGE, "ask: the output has room "
                            "for %zu proposals of another shape, %zu asked",
                            out->cap, n);
  if (iteration == INVDES_STRATEGY_FIXED_ITERATION)
    return invdes_error_set(err, INVDES_ERR_USAGE, "ask: iteration %llu is "
                            "reserved", (unsigned long long)iteration);
  if (n_pending && !pending_z)
    return invdes_error_set(err, INVDES_ERR_USAGE, "ask: %zu pending points "
                            "without their z", n_pending);
  if (!n) return INVDES_OK;
  invdes_status st =
      invdes_strategy_ctx_begin(s, iteration, pending_z, n_pending, err);
  if (st) return st;
  if (s->cands && s->ctx.untaken < n) return exhausted(s, n, n_pending, err);
  size_t left = s->ops->remaining ? s->ops->remaining(s, &s->ctx) : SIZE_MAX;
  if (left < n)
    return invdes_error_set(
        err, INVDES_ERR_INFEASIBLE, "the strategy '%s' has %zu untried "
        "point%s left (%zu told, %zu pending) and %zu %s asked for",
        s->ops->name, left, left == 1 ? "" : "s", s->n_hist, n_pending, n,
        n == 1 ? "was" : "were");
  st = s->ops->ask(s, &s->ctx, n, out, err);
  if (!st && out->n != n)
    st = invdes_error_set(err, INVDES_ERR_USAGE, "the strategy '%s' made %zu "
                          "proposals, %zu were asked for", s->ops->name,
                          out->n, n);
  for (size_t i = 0; !st && i < out->n; i++) {
    double v = invdes_space_violation(s->space, s->work,
                                      out->x + i * s->n_vars);
    if (!(v <= INVDES_STRATEGY_FEASIBLE_TOL) ||
        !invdes_space_constraints_hold(s->space, s->work,
                                       out->x + i * s->n_vars))
      st = invdes_error_set(err, INVDES_ERR_NUMERIC, "the strategy '%s' "
                            "proposed an infeasible point (violation %g)",
                            s->ops->name, v);
  }
  if (st) out->n = 0;
  return st;
}

size_t invdes_strategy_remaining(invdes_strategy *s, const double *pending_z,
                                 size_t n_pending) {
  if (!s->cands && !s->ops->remaining) return SIZE_MAX;
  if (invdes_strategy_ctx_begin(s, 0, pending_z, n_pending, NULL)) return 0;
  size_t left = s->cands ? s->ctx.untaken : SIZE_MAX;
  if (s->ops->remaining) {
    size_t r = s->ops->remaining(s, &s->ctx);
    if (r < left) left = r;
  }
  return left;
}

/* ---- tell ------------------------------------------------------------------ */

static invdes_status check_obs(invdes_strategy *s, const invdes_observation *o,
                               size_t i, double *zscratch, invdes_error *err) {
  if (o->id < 1)
    return invdes_error_set(err, INVDES_ERR_INVALID, "observation %zu: the "
                            "proposal id %lld is not >= 1", i,
                            (long long)o->id);
  if (!o->z)
    return invdes_error_set(err, INVDES_ERR_INVALID, "observation %zu (id "
                            "%lld) has no z", i, (long long)o->id);
  for (size_t j = 0; j < s->dim; j++)
    if (!(o->z[j] >= 0 && o->z[j] <= 1))
      return invdes_error_set(err, INVDES_ERR_INVALID, "observation %zu (id "
                              "%lld): z[%zu] = %g is not in [0,1]", i,
                              (long long)o->id, j, o->z[j]);
  for (size_t t = 0; o->y && t < s->n_targets; t++)
    if (isinf(o->y[t]))
      return invdes_error_set(err, INVDES_ERR_INVALID, "observation %zu (id "
                              "%lld): the value of target %zu is infinite",
                              i, (long long)o->id, t);
  for (size_t t = 0; o->sd && t < s->n_targets; t++)
    if (!isnan(o->sd[t]) && !(o->sd[t] >= 0 && isfinite(o->sd[t])))
      return invdes_error_set(err, INVDES_ERR_INVALID, "observation %zu (id "
                              "%lld): the sd of target %zu is %g, not a "
                              "number >= 0", i, (long long)o->id, t, o->sd[t]);
  if (o->x) {
    invdes_error e;
    invdes_error_clear(&e);
    if (invdes_space_encode(s->space, o->x, zscratch, &e))
      return invdes_error_set(err, INVDES_ERR_INVALID, "observation %zu (id "
                              "%lld): %s", i, (long long)o->id, e.message);
  }
  return INVDES_OK;
}

static invdes_status reserve(invdes_strategy *s, size_t extra) {
  size_t need = s->n_hist + extra;
  if (need <= s->hist_cap) return INVDES_OK;
  size_t cap = s->hist_cap ? s->hist_cap : 64;
  while (cap < need) cap *= 2;
  int64_t *id = realloc(s->h_id, cap * sizeof *id);
  if (id) s->h_id = id;
  double *z = realloc(s->h_z, (cap * s->dim + 1) * sizeof *z);
  if (z) s->h_z = z;
  double *x = realloc(s->h_x, (cap * s->n_vars + 1) * sizeof *x);
  if (x) s->h_x = x;
  double *y = realloc(s->h_y, (cap * s->n_targets + 1) * sizeof *y);
  if (y) s->h_y = y;
  double *sd = realloc(s->h_sd, (cap * s->n_targets + 1) * sizeof *sd);
  if (sd) s->h_sd = sd;
  unsigned char *f = realloc(s->h_failed, cap);
  if (f) s->h_failed = f;
  if (!id || !z || !x || !y || !sd || !f) return INVDES_ERR_NOMEM;
  s->hist_cap = cap;
  return INVDES_OK;
}

/* Index of id in the history, or where it goes (*found 0). */
static size_t hist_find(const invdes_strategy *s, int64_t id, int *found) {
  size_t lo = 0, hi = s->n_hist;
  if (hi && s->h_id[hi - 1] < id) lo = hi;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (s->h_id[mid] < id) lo = mid + 1;
    else hi = mid;
  }
  *found = lo < s->n_hist && s->h_id[lo] == id;
  return lo;
}

static void hist_open(invdes_strategy *s, size_t i) {
  size_t m = s->n_hist - i;
  memmove(s->h_id + i + 1, s->h_id + i, m * sizeof *s->h_id);
  memmove(s->h_z + (i + 1) * s->dim, s->h_z + i * s->dim,
          m * s->dim * sizeof *s->h_z);
  memmove(s->h_x + (i + 1) * s->n_vars, s->h_x + i * s->n_vars,
          m * s->n_vars * sizeof *s->h_x);
  memmove(s->h_y + (i + 1) * s->n_targets, s->h_y + i * s->n_targets,
          m * s->n_targets * sizeof *s->h_y);
  memmove(s->h_sd + (i + 1) * s->n_targets, s->h_sd + i * s->n_targets,
          m * s->n_targets * sizeof *s->h_sd);
  memmove(s->h_failed + i + 1, s->h_failed + i, m);
  s->n_hist++;
}

invdes_status invdes_strategy_tell(invdes_strategy *s,
                                   const invdes_observation *obs, size_t n,
                                   invdes_error *err) {
  if (!s || (n && !obs))
    return invdes_error_set(err, INVDES_ERR_USAGE, "tell: no strategy or no "
                            "observations");
  double *zs = malloc((s->dim + 1) * sizeof *zs);
  if (!zs) return nomem(err);
  invdes_status st = INVDES_OK;
  for (size_t i = 0; i < n && !st; i++) st = check_obs(s, &obs[i], i, zs, err);
  free(zs);
  if (st) return st;
  if (reserve(s, n)) return nomem(err);
  for (size_t k = 0; k < n; k++) {
    const invdes_observation *o = &obs[k];
    int found;
    size_t i = hist_find(s, o->id, &found);
    if (!found) {
      hist_open(s, i);
      s->h_id[i] = o->id;
    }
    double *z = s->h_z + i * s->dim;
    int moved = found && memcmp(z, o->z, s->dim * sizeof *z) != 0;
    memcpy(z, o->z, s->dim * sizeof *z);
    if (o->x)
      memcpy(s->h_x + i * s->n_vars, o->x, s->n_vars * sizeof *o->x);
    else
      invdes_space_decode(s->space, s->work, z, s->h_x + i * s->n_vars);
    for (size_t t = 0; t < s->n_targets; t++) {
      s->h_y[i * s->n_targets + t] = o->y ? o->y[t] : NAN;
      s->h_sd[i * s->n_targets + t] = o->sd ? o->sd[t] : NAN;
    }
    s->h_failed[i] = o->failed != 0;
    if (moved) s->marks_stale = 1;
    else if (!found && !s->marks_stale) invdes_strategy_mark_told(s, z);
  }
  s->hist_version++;
  return INVDES_OK;
}

/* ---- saved state ------------------------------------------------------------ */

invdes_status invdes_strategy_save_state(const invdes_strategy *s, void **blob,
                                         size_t *len, invdes_error *err) {
  *blob = NULL;
  *len = 0;
  if (!s->ops->save) return INVDES_OK;
  unsigned char *payload = NULL;
  size_t plen = 0;
  invdes_status st = s->ops->save(s, &payload, &plen, err);
  if (st) return st;
  size_t head = sizeof STATE_TAG + strlen(s->ops->name) + 1;
  unsigned char *b = malloc(head + plen);
  if (!b) {
    free(payload);
    return nomem(err);
  }
  memcpy(b, STATE_TAG, sizeof STATE_TAG);
  memcpy(b + sizeof STATE_TAG, s->ops->name, head - sizeof STATE_TAG);
  if (plen) memcpy(b + head, payload, plen);
  free(payload);
  *blob = b;
  *len = head + plen;
  return INVDES_OK;
}

invdes_status invdes_strategy_load_state(invdes_strategy *s, const void *blob,
                                         size_t len, invdes_error *err) {
  if (!blob || !len)
    return s->ops->load ? s->ops->load(s, NULL, 0, err) : INVDES_OK;
  const unsigned char *b = blob;
  /* Version 1 (before kinds were tables) had one byte of an enum here; the
   * store keeps states by strategy name, so that byte adds nothing. */
  if (len >= sizeof STATE_TAG + 1 && !memcmp(b, "IVS1", 4) && s->ops->load)
    return s->ops->load(s, b + 5, len - 5, err);
  const unsigned char *name = b + sizeof STATE_TAG;
  const unsigned char *end =
      len > sizeof STATE_TAG ? memchr(name, '\0', len - sizeof STATE_TAG) : NULL;
  if (!end || memcmp(b, STATE_TAG, sizeof STATE_TAG))
    return invdes_error_set(err, INVDES_ERR_INVALID, "the saved strategy "
                            "state (%zu bytes) is not one invdes wrote", len);
  if (strcmp((const char *)name, s->ops->name) != 0)
    return invdes_error_set(err, INVDES_ERR_INVALID, "the saved strategy "
                            "state belongs to the strategy '%.40s', not to '%s'",
                            (const char *)name, s->ops->name);
  size_t head = (size_t)(end - b) + 1;
  if (!s->ops->load)
    return invdes_error_set(err, INVDES_ERR_INVALID, "the strategy '%s' keeps "
                            "no state, but a saved state of %zu bytes was "
                            "given", s->ops->name, len);
  return s->ops->load(s, b + head, len - head, err);
}
