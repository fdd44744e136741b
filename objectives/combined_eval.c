/* combined_eval.c — the evaluator of the `combined` objective kind
 * (combined.h): opens each part's kind on a view of the campaign holding
 * only its targets, evaluates the in-process parts over the whole batch,
 * fails at once what failed there, and sends the rest to the one part that
 * runs outside (if any), merging each outcome with the computed values as
 * it arrives. Outcomes reach the caller's done with every target in the
 * campaign's order. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "combined.h"

typedef struct combined_eval {
  const combined_spec *o;
  size_t n_targets;
  void **state;               /* each part's evaluator */
  invdes_campaign *views;     /* each part's view of the campaign */
  long outside;               /* the part run outside the process, or -1 */
  /* the batch being evaluated */
  const invdes_objective_point *p;
  size_t n;
  double *y;                  /* n × n_targets, campaign order */
  char (*reason)[512];        /* non-empty: failed */
  size_t part;                /* the part whose outcomes arrive */
  invdes_objective_done_fn done;
  void *data;
} combined_eval;

void invdes_combined_close(void *state) {
  combined_eval *e = state;
  if (!e) return;
  for (size_t i = 0; e->state && i < e->o->n_parts; i++)
    if (e->state[i]) e->o->parts[i].o.type->close(e->state[i]);
  free(e->state);
  free(e->views);
  free(e);
}

invdes_status invdes_combined_open(const invdes_objective_setup *s, void **state,
                                   invdes_error *err) {
  const combined_spec *o = s->spec;
  combined_eval *e = calloc(1, sizeof *e);
  if (e) {
    e->o = o;
    e->state = calloc(o->n_parts + 1, sizeof *e->state);
    e->views = calloc(o->n_parts + 1, sizeof *e->views);
  }
  if (!e || !e->state || !e->views) {
    invdes_combined_close(e);
    return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  }
  e->n_targets = s->n_targets;
  e->outside = -1;
  invdes_status st = INVDES_OK;
  for (size_t i = 0; st == INVDES_OK && i < o->n_parts; i++) {
    const invdes_combined_part *p = &o->parts[i];
    if (!p->index || !p->o.type || p->o.type->cannot_run) {
      st = invdes_error_set(err, INVDES_ERR_USAGE, "part %zu of the combined objective cannot "
                            "evaluate (not checked, or a kind without an evaluator)", i + 1);
      break;
    }
    if (!(p->o.type->flags & INVDES_OBJECTIVE_IN_PROCESS)) e->outside = (long)i;
    e->views[i] = *s->c;
    e->views[i].targets = p->view;
    e->views[i].n_targets = p->n_targets;
    invdes_objective_setup sub = *s;
    sub.c = &e->views[i];
    sub.spec = p->o.spec;
    sub.n_targets = p->n_targets;
    sub.target_names = (const char *const *)p->targets;
    st = p->o.type->open(&sub, &e->state[i], err);
  }
  if (st != INVDES_OK) {
    invdes_combined_close(e);
    return st;
  }
  *state = e;
  return INVDES_OK;
}

/* The batch index of proposal id (outcomes may come in any order). */
static size_t find(const combined_eval *e, int64_t id) {
  size_t j = 0;
  while (j < e->n && e->p[j].id != id) j++;
  return j;
}

/* Keeps outcome o of the current part: its values at their campaign places,
 * or its reason. Returns the batch index, e->n when unknown. */
static size_t keep_one(combined_eval *e, const invdes_objective_outcome *o) {
  const invdes_combined_part *p = &e->o->parts[e->part];
  size_t j = find(e, o->id);
  if (j == e->n) return j;
  if (o->failed) {
    if (!e->reason[j][0])
      snprintf(e->reason[j], sizeof e->reason[j], "%s: %.490s", p->o.type->name,
               o->reason ? o->reason : "failed");
  } else {
    for (size_t k = 0; k < p->n_targets; k++)
      e->y[j * e->n_targets + p->index[k]] = o->y ? o->y[k] : NAN;
  }
  return j;
}

static invdes_status keep(const invdes_objective_outcome *o, size_t n, void *data,
                          invdes_error *err) {
  (void)err;
  for (size_t i = 0; i < n; i++) keep_one(data, &o[i]);
  return INVDES_OK;
}

/* Hands the merged outcomes of batch indices idx[0..m) to the caller. */
static invdes_status deliver(combined_eval *e, const size_t *idx, size_t m,
                             const invdes_objective_outcome *from, invdes_error *err) {
  if (!m) return INVDES_OK;
  invdes_objective_outcome *out = calloc(m, sizeof *out);
  if (!out) return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  for (size_t i = 0; i < m; i++) {
    size_t j = idx[i];
    int failed = e->reason[j][0] != 0;
    out[i] = (invdes_objective_outcome){.id = e->p[j].id, .failed = failed,
                                        .y = failed ? NULL : e->y + j * e->n_targets,
                                        .reason = e->reason[j]};
    if (from) {
      out[i].stderr_text = from[i].stderr_text;
      out[i].stderr_len = from[i].stderr_len;
    }
  }
  invdes_status st = e->done(out, m, e->data, err);
  free(out);
  return st;
}

/* The outside part's outcomes: merged and handed on as they arrive. */
static invdes_status merge(const invdes_objective_outcome *o, size_t n, void *data,
                           invdes_error *err) {
  combined_eval *e = data;
  size_t *idx = malloc((n + 1) * sizeof *idx);
  invdes_objective_outcome *from = malloc((n + 1) * sizeof *from);
  invdes_status st = (!idx || !from) ? invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory")
                                     : INVDES_OK;
  size_t m = 0;
  for (size_t i = 0; st == INVDES_OK && i < n; i++) {
    size_t j = keep_one(e, &o[i]);
    if (j == e->n) continue;
    idx[m] = j;
    from[m++] = o[i];
  }
  if (st == INVDES_OK) st = deliver(e, idx, m, from, err);
  free(idx);
  free(from);
  return st;
}

invdes_status invdes_combined_evaluate(void *state, const invdes_objective_point *p, size_t n,
                                       invdes_objective_done_fn done, void *data,
                                       invdes_error *err) {
  combined_eval *e = state;
  const combined_spec *o = e->o;
  e->p = p;
  e->n = n;
  e->done = done;
  e->data = data;
  e->y = malloc((n * e->n_targets + 1) * sizeof *e->y);
  e->reason = calloc(n + 1, sizeof *e->reason);
  size_t *idx = malloc((n + 1) * sizeof *idx);
  invdes_objective_point *out = malloc((n + 1) * sizeof *out);
  invdes_status st = (!e->y || !e->reason || !idx || !out)
                         ? invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory") : INVDES_OK;
  for (size_t i = 0; st == INVDES_OK && i < n * e->n_targets; i++) e->y[i] = NAN;
  for (e->part = 0; st == INVDES_OK && e->part < o->n_parts; e->part++)
    if ((long)e->part != e->outside)
      st = o->parts[e->part].o.type->evaluate(e->state[e->part], p, n, keep, e, err);
  /* failures now; the rest now too when nothing runs outside */
  size_t m = 0, k = 0;
  for (size_t j = 0; st == INVDES_OK && j < n; j++) {
    if (e->reason[j][0] || e->outside < 0) idx[m++] = j;
    else out[k++] = p[j];
  }
  if (st == INVDES_OK) st = deliver(e, idx, m, NULL, err);
  if (st == INVDES_OK && k) {
    e->part = (size_t)e->outside;
    st = o->parts[e->part].o.type->evaluate(e->state[e->part], out, k, merge, e, err);
  }
  free(e->y);
  free(e->reason);
  free(idx);
  free(out);
  e->y = NULL;
  e->reason = NULL;
  return st;
}
