/* command.c — the objective kind `command` (objective.h): an external
 * program per evaluation, run by the batch loop of command_run.c
 * (command.h's protocol: JSON on standard input and output).
 *
 * Keys: `command` (a list, or one string split at blanks), `timeout` in
 * seconds (0: none) and `parallel`, the evaluations in flight. The loader
 * resolves argv[0] (with a '/': against the campaign's folder; without: on
 * PATH, then in the campaign's folder) and refuses a program that is not
 * executable. A run sends each variable (categorical ones as their label; a
 * pool candidate as its id and its feature values) and records each outcome
 * as soon as it arrives, so a kill loses only what is in flight. The time-out
 * and the parallel count change no result: a re-opened campaign may change
 * them. */
#include "command.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "campaign_pool.h"
#include "objective.h"

typedef struct command_spec {
  char **argv;      /* argv[0..argc-1], NULL-terminated; argv[0] resolved */
  size_t argc;
  double timeout;   /* seconds, 0 = none */
  int parallel;     /* evaluations in flight, >= 1 */
} command_spec;

/* ---- reading -------------------------------------------------------------------- */

/* Splits a command written as one string at blanks (no shell quoting). */
static int split_command(invdes_cload *L, const char *s, command_spec *o) {
  size_t n = 0;
  for (const char *p = s; *p;) {
    while (*p && isspace((unsigned char)*p)) p++;
    if (!*p) break;
    n++;
    while (*p && !isspace((unsigned char)*p)) p++;
  }
  o->argv = calloc(n + 1, sizeof *o->argv);
  if (!o->argv) return invdes_cload_nomem(L), 0;
  for (const char *p = s; *p;) {
    while (*p && isspace((unsigned char)*p)) p++;
    if (!*p) break;
    const char *b = p;
    while (*p && !isspace((unsigned char)*p)) p++;
    if (!(o->argv[o->argc] = strndup(b, (size_t)(p - b)))) return invdes_cload_nomem(L), 0;
    o->argc++;
  }
  return 1;
}

static void read_command(invdes_cload *L, const invdes_ynode *cmd, command_spec *o) {
  if (cmd->kind == INVDES_YNODE_SCALAR && !invdes_ynode_is_null(cmd)) {
    split_command(L, cmd->text, o);
  } else if (cmd->kind == INVDES_YNODE_SEQUENCE) {
    o->argv = calloc(cmd->n + 1, sizeof *o->argv);
    if (!o->argv) {
      invdes_cload_nomem(L);
      return;
    }
    for (size_t i = 0; i < cmd->n; i++) {
      const char *s;
      if (!invdes_cload_string(L, cmd->items[i], "a command argument", &s)) return;
      if (!(o->argv[o->argc] = invdes_cload_strdup(L, s))) return;
      o->argc++;
    }
  } else {
    invdes_cload_error(L, cmd, INVDES_ERR_INVALID,
                       "'command' must be a list such as [python3, simulate.py], not %s",
                       invdes_ynode_kind_noun(cmd));
    return;
  }
  if (o->argc == 0)
    invdes_cload_error(L, cmd, INVDES_ERR_INVALID, "'command' is empty: name a program to run");
}

static void spec_read(invdes_cload *L, const invdes_ynode *n, void *spec) {
  command_spec *o = spec;
  o->parallel = 1;
  const invdes_ynode *v = invdes_cload_get(n, "command");
  if (!v)
    invdes_cload_error(L, L->section_key ? L->section_key : n, INVDES_ERR_INVALID,
                       "a command objective needs 'command' (e.g. [python3, simulate.py])");
  else
    read_command(L, v, o);
  if ((v = invdes_cload_get(n, "timeout")) &&
      invdes_cload_number(L, v, "'timeout'", &o->timeout) && o->timeout < 0)
    invdes_cload_error(L, v, INVDES_ERR_INVALID,
                       "'timeout' is in seconds and must be 0 (none) or more, not %g",
                       o->timeout);
  if ((v = invdes_cload_get(n, "parallel")))
    invdes_cload_int(L, v, "'parallel'", 1, 4096, &o->parallel);
}

static void spec_free(void *spec) {
  command_spec *o = spec;
  for (size_t i = 0; o->argv && i < o->argc; i++) free(o->argv[i]);
  free(o->argv);
}

/* ---- checking: the program can be run ------------------------------------------ */

/* p when it names an executable regular file, else NULL (p freed). */
static char *executable_or_null(char *p) {
  struct stat st;
  if (p && (stat(p, &st) != 0 || !S_ISREG(st.st_mode) || access(p, X_OK) != 0)) {
    free(p);
    return NULL;
  }
  return p;
}

/* Finds argv[0]: with a '/', relative to the campaign's folder; without one,
 * on PATH, then in the campaign's folder. Returns a path the caller frees
 * (NULL when nothing executable is found or out of memory). */
static char *find_program(invdes_cload *L, const char *prog) {
  if (strchr(prog, '/')) return executable_or_null(invdes_cload_resolve(L, prog));
  const char *path = getenv("PATH");
  if (!path || !*path) path = "/usr/bin:/bin";
  while (*path) {
    const char *end = strchr(path, ':');
    size_t len = end ? (size_t)(end - path) : strlen(path);
    size_t n = len + strlen(prog) + 3;
    char *cand = malloc(n);
    if (!cand) return invdes_cload_nomem(L);
    snprintf(cand, n, "%.*s/%s", (int)(len ? len : 1), len ? path : ".", prog);
    if ((cand = executable_or_null(cand))) return cand;
    path += len + (end != NULL);
  }
  return executable_or_null(invdes_cload_resolve(L, prog));
}

static void spec_check(invdes_cload *L, const invdes_ynode *n, void *spec) {
  command_spec *o = spec;
  if (o->argc == 0) return;
  char *p = find_program(L, o->argv[0]);
  if (!p) {
    if (!L->nomem)
      invdes_cload_error(L, invdes_cload_get(n, "command"), INVDES_ERR_INVALID,
                         strchr(o->argv[0], '/')
                             ? "command '%s' is not an executable file (paths are relative to "
                               "the campaign's folder)"
                             : "command '%s' is not an executable found on PATH or in the "
                               "campaign's folder",
                         o->argv[0]);
    return;
  }
  free(o->argv[0]);
  o->argv[0] = p;
}

static void spec_describe(const void *spec, char *buf, size_t size) {
  const command_spec *o = spec;
  for (size_t i = 0; i < o->argc; i++) invdes_objective_append(buf, size, " %s", o->argv[i]);
  if (o->timeout > 0)
    invdes_objective_append(buf, size, " (timeout %g s, parallel %d)", o->timeout, o->parallel);
}

/* ---- evaluating ------------------------------------------------------------------ */

typedef struct command_eval {
  invdes_objective_setup s;
  const command_spec *o;
} command_eval;

static invdes_status eval_open(const invdes_objective_setup *s, void **state,
                               invdes_error *err) {
  command_eval *e = calloc(1, sizeof *e);
  if (!e) return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  e->s = *s;
  e->o = s->spec;
  *state = e;
  return INVDES_OK;
}

static void eval_close(void *state) { free(state); }

size_t invdes_command_request_size(const invdes_objective_setup *s) {
  return s->c->pool ? 1 + s->c->pool->n_features : s->n_vars;
}

size_t invdes_command_request_params(const invdes_objective_setup *s, const double *x,
                                     invdes_param_value *pv) {
  const invdes_campaign *c = s->c;
  size_t k = 0;
  if (c->pool) {
    size_t row = (size_t)x[0];
    pv[k++] = (invdes_param_value){.name = s->var_names[0], .is_label = 1,
                                   .label = c->pool->ids[row]};
    for (size_t j = 0; j < c->pool->n_features; j++)
      pv[k++] = (invdes_param_value){.name = c->pool->features[j],
                                     .value = c->pool->x[row * c->pool->n_features + j]};
  } else {
    for (size_t v = 0; v < s->n_vars; v++) {
      int cat = v < c->n_params && c->params[v].type == INVDES_PARAM_CATEGORICAL;
      pv[k++] = (invdes_param_value){.name = s->var_names[v], .is_label = cat,
                                     .value = cat ? 0 : x[v],
                                     .label = cat ? c->params[v].labels[(size_t)x[v]] : NULL};
    }
  }
  return k;
}

/* Hands each result to the caller's done as it arrives; keeps the first error. */
typedef struct done_ctx {
  const invdes_objective_point *p;
  invdes_objective_done_fn done;
  void *data;
  invdes_status status;
  invdes_error err;
} done_ctx;

static void on_result(size_t i, const invdes_eval_result *r, void *data) {
  done_ctx *cx = data;
  invdes_objective_outcome o = {.id = cx->p[i].id, .failed = !r->ok,
                                .y = r->ok ? r->values : NULL, .reason = r->reason,
                                .stderr_text = r->stderr_text,
                                .stderr_len = r->stderr_text ? strlen(r->stderr_text) : 0};
  invdes_error e;
  invdes_error_clear(&e);
  invdes_status st = cx->done(&o, 1, cx->data, &e);
  if (st != INVDES_OK && cx->status == INVDES_OK) {
    cx->status = st;
    cx->err = e;
  }
}

static invdes_status eval_batch(void *state, const invdes_objective_point *p, size_t n,
                                invdes_objective_done_fn done, void *data, invdes_error *err) {
  command_eval *e = state;
  size_t per = invdes_command_request_size(&e->s);
  invdes_param_value *pv = calloc(n * per + 1, sizeof *pv);
  invdes_eval_request *req = calloc(n + 1, sizeof *req);
  invdes_eval_result *res = calloc(n + 1, sizeof *res);
  invdes_status st = (!pv || !req || !res)
                         ? invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory")
                         : INVDES_OK;
  for (size_t i = 0; st == INVDES_OK && i < n; i++) {
    if (!p[i].x) {
      st = invdes_error_set(err, INVDES_ERR_INVALID, "%s", p[i].unreadable);
      break;
    }
    size_t k = invdes_command_request_params(&e->s, p[i].x, pv + i * per);
    req[i] = (invdes_eval_request){.id = (long)p[i].id, .params = pv + i * per, .n_params = k};
  }
  done_ctx cx = {.p = p, .done = done, .data = data, .status = INVDES_OK};
  if (st == INVDES_OK) {
    invdes_command_options opt = {.argv = (const char *const *)e->o->argv,
                                  .timeout = e->o->timeout,
                                  .parallel = e->o->parallel,
                                  .workdir = NULL,
                                  .on_done = on_result,
                                  .data = &cx};
    st = invdes_command_run_batch(&opt, e->s.target_names, e->s.n_targets, req, n, res, err);
    if (st == INVDES_OK && cx.status != INVDES_OK) {
      st = cx.status;
      if (err) *err = cx.err;
    }
  }
  invdes_eval_results_free(res, n);
  free(res);
  free(req);
  free(pv);
  return st;
}

static const invdes_objective_field fields[] = {
    {"command", INVDES_FIELD_TEXTS, offsetof(command_spec, argv), offsetof(command_spec, argc),
     0},
    {"timeout", INVDES_FIELD_NUMBER, offsetof(command_spec, timeout), 0, 1},
    {"parallel", INVDES_FIELD_INT, offsetof(command_spec, parallel), 0, 1},
    {NULL, 0, 0, 0, 0}};

const invdes_objective_type invdes_objective_command = {
    .name = "command",
    .fields = fields,
    .spec_size = sizeof(command_spec),
    .flags = 0,
    .read = spec_read,
    .free_spec = spec_free,
    .check = spec_check,
    .describe = spec_describe,
    .open = eval_open,
    .evaluate = eval_batch,
    .close = eval_close,
};
