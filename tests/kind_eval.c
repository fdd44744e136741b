/* kind_eval.c — see kind_eval.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "kind_eval.h"
#include "objective.h"

typedef struct seen {
  double *y;
  size_t n;
  int failed;
  char *reason;
  size_t rn;
} seen;

static invdes_status keep(const invdes_objective_outcome *o, size_t n, void *data,
                          invdes_error *err) {
  (void)err;
  seen *s = data;
  assert_int_equal(n, 1);
  s->failed = o[0].failed;
  snprintf(s->reason, s->rn, "%s", o[0].reason ? o[0].reason : "");
  for (size_t k = 0; k < s->n; k++) s->y[k] = o[0].y ? o[0].y[k] : NAN;
  return INVDES_OK;
}

int kind_eval(const invdes_campaign *c, const double *x, double *y, char *reason, size_t rn) {
  const invdes_objective_type *t = c->objective.type;
  const char *vars[64], *targets[64];
  size_t nv = 0;
  for (size_t i = 0; i < c->n_params && nv < 64; i++) vars[nv++] = c->params[i].name;
  for (size_t g = 0; g < c->n_compositions; g++)
    for (size_t i = 0; i < c->compositions[g].n_components && nv < 64; i++)
      vars[nv++] = c->compositions[g].components[i].name;
  for (size_t k = 0; k < c->n_targets && k < 64; k++) targets[k] = c->targets[k].name;
  invdes_objective_setup s = {.c = c, .spec = c->objective.spec,
                              .space = invdes_campaign_space(c), .n_vars = nv,
                              .n_targets = c->n_targets, .var_names = vars,
                              .target_names = targets};
  void *ev = NULL;
  invdes_error err;
  invdes_error_clear(&err);
  if (t->open(&s, &ev, &err) != INVDES_OK) fail_msg("open: %s", err.message);
  invdes_objective_point p = {.id = 1, .x = x};
  seen out = {.y = y, .n = c->n_targets, .reason = reason, .rn = rn};
  if (t->evaluate(ev, &p, 1, keep, &out, &err) != INVDES_OK) fail_msg("evaluate: %s", err.message);
  t->close(ev);
  return out.failed;
}

void kind_refused(const char *text, const char *words) {
  invdes_error err;
  invdes_error_clear(&err);
  invdes_campaign *c = invdes_campaign_parse("c.yaml", text, strlen(text), &err);
  if (c) fail_msg("accepted:\n%s", text);
  if (!strstr(err.message, words)) fail_msg("'%s' lacks '%s' for\n%s", err.message, words, text);
}
