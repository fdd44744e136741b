/* constraint.c — compiling and evaluating constraint expressions.
 *
 * After constraint_scan.c has split the comparison off and checked each
 * side's tokens, muparser parses each side into byte code (syntax errors
 * such as "ni + * co" come from it, with its position, reworded here) and
 * evaluates it. A side without variables is folded to a number and a side
 * that is a bare variable is read directly, both skipping muparser at
 * evaluation. This file does not know what the variables mean or how points
 * are sampled. */
#include "constraint_internal.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <muParserDLL.h>

struct invdes_constraint_eval {
  const invdes_constraint_set *set;
  double *buf;                 /* n_names values the handles are bound to */
  muParserHandle_t *h;         /* 2 per constraint; NULL unless SIDE_FORMULA */
};

/* The functions a formula may call; muparser's own set is cleared first so
 * that log is the natural logarithm and nothing else slips in. */
static double f_exp(double x) { return exp(x); }
static double f_log(double x) { return log(x); }
static double f_sqrt(double x) { return sqrt(x); }
static double f_abs(double x) { return fabs(x); }
static double f_min(const double *a, int n) {
  double m = a[0];
  for (int i = 1; i < n; i++) m = a[i] < m ? a[i] : m;
  return m;
}
static double f_max(const double *a, int n) {
  double m = a[0];
  for (int i = 1; i < n; i++) m = a[i] > m ? a[i] : m;
  return m;
}

static int is_ident(const char *s) {
  if (!s || !(isalpha((unsigned char)*s) || *s == '_')) return 0;
  for (s++; *s; s++)
    if (!(isalnum((unsigned char)*s) || *s == '_')) return 0;
  return 1;
}

/* A parser with our functions and every identifier variable bound to buf;
 * NULL on failure. */
static muParserHandle_t make_parser(const invdes_constraint_set *set,
                                    double *buf) {
  muParserHandle_t h = mupCreate(muBASETYPE_FLOAT);
  if (!h) return NULL;
  mupClearFun(h);
  mupClearConst(h);
  mupDefineFun1(h, "exp", f_exp, 1);
  mupDefineFun1(h, "log", f_log, 1);
  mupDefineFun1(h, "sqrt", f_sqrt, 1);
  mupDefineFun1(h, "abs", f_abs, 1);
  mupDefineMultFun(h, "min", f_min, 1);
  mupDefineMultFun(h, "max", f_max, 1);
  for (size_t i = 0; i < set->n_names; i++)
    if (set->names[i]) mupDefineVar(h, set->names[i], &buf[i]);
  if (mupError(h)) {
    mupRelease(h);
    return NULL;
  }
  return h;
}

static const char *mup_message(int code) {
  switch (code) {
  case 1: return "unexpected '%s'";
  case 2: return "the formula ends too early%s";
  case 3: return "unexpected ','%s";
  case 4: case 5: case 6: case 12:
    return "'%s' follows a value with no operator in between";
  case 7: return "unexpected parenthesis '%s'";
  case 11: return "missing ')'%s";
  case 14: return "too many arguments for '%s'";
  case 15: return "too few arguments for '%s'";
  case 25: return "empty formula%s";
  default: return "cannot parse the formula near '%s'";
  }
}

/* Splits at the one top-level comparison; 0 when fine. */
/* Fills c->s[k] from text[a, b) and checks it with muparser; 0 when fine. */
static int compile_side(invdes_constraint_set *set, cons *c, int k, size_t a,
                        size_t b, size_t op, muParserHandle_t h,
                        const char *file, invdes_error *err) {
  const char *t = c->text;
  while (a < b && isspace((unsigned char)t[a])) a++;
  while (b > a && isspace((unsigned char)t[b - 1])) b--;
  if (a == b) {
    invdes_constraint_diag(err, file, c, op,
                           "the %s side of the comparison is missing",
                           k ? "right" : "left");
    return -1;
  }
  side *s = &c->s[k];
  s->offset = a;
  s->text = strndup(t + a, b - a);
  if (!s->text) {
    invdes_error_add(err, INVDES_ERR_NOMEM, "out of memory");
    return -1;
  }
  mupErrorReset(h);
  mupSetExpr(h, s->text);
  double v = mupEval(h);
  if (mupError(h)) {
    int pos = mupGetErrorPos(h);
    size_t len = b - a;
    size_t off = pos < 0 ? 0 : (size_t)pos >= len ? len - 1 : (size_t)pos;
    const char *tok = mupGetErrorToken(h);
    invdes_constraint_diag(err, file, c, a + off,
                           mup_message(mupGetErrorCode(h)),
                           tok && *tok ? tok : t + a + off);
    return -1;
  }
  s->kind = SIDE_FORMULA;
  if (mupGetExprVarNum(h) == 0) {
    s->kind = SIDE_CONST;
    s->value = v;
  } else {
    for (size_t i = 0; i < set->n_names; i++)
      if (set->names[i] && !strcmp(set->names[i], s->text)) {
        s->kind = SIDE_VAR;
        s->var = i;
      }
  }
  return 0;
}

invdes_constraint_set *invdes_constraint_set_new(
    const invdes_constraint_spec *specs, size_t n, const char *file,
    const char *const *names, size_t n_names, invdes_error *err) {
  invdes_constraint_set *set = calloc(1, sizeof *set);
  double *buf = calloc(n_names + 1, sizeof *buf);
  if (!set || !buf) goto nomem;
  set->c = calloc(n + 1, sizeof *set->c);
  set->names = calloc(n_names + 1, sizeof *set->names);
  if (!set->c || !set->names) goto nomem;
  set->n = n;
  set->n_names = n_names;
  for (size_t i = 0; i < n_names; i++)
    if (is_ident(names[i]) && !(set->names[i] = strdup(names[i]))) goto nomem;
  muParserHandle_t h = make_parser(set, buf);
  if (!h) {
    free(buf);
    invdes_constraint_set_free(set);
    invdes_error_add(err, INVDES_ERR_PARSE, "the expression parser "
                     "(muparser) could not be set up");
    return NULL;
  }
  int bad = 0;
  for (size_t i = 0; i < n; i++) {
    cons *c = &set->c[i];
    c->mark = specs[i].mark;
    c->tol = specs[i].tol;
    if (!(c->text = strdup(specs[i].text ? specs[i].text : ""))) {
      mupRelease(h);
      goto nomem;
    }
    size_t op = 0, oplen = 0;
    if (invdes_constraint_split(c, &op, &oplen, file, err) ||
        invdes_constraint_scan_side(set, c, 0, op, file, err) ||
        invdes_constraint_scan_side(set, c, op + oplen, strlen(c->text), file,
                                    err) ||
        compile_side(set, c, 0, 0, op, op, h, file, err) ||
        compile_side(set, c, 1, op + oplen, strlen(c->text), op, h, file,
                     err))
      bad = 1;
  }
  mupRelease(h);
  free(buf);
  if (bad) {
    invdes_constraint_set_free(set);
    return NULL;
  }
  return set;
nomem:
  free(buf);
  invdes_constraint_set_free(set);
  invdes_error_add(err, INVDES_ERR_NOMEM, "out of memory");
  return NULL;
}

void invdes_constraint_set_free(invdes_constraint_set *set) {
  if (!set) return;
  for (size_t i = 0; set->c && i < set->n; i++) {
    free(set->c[i].text);
    free(set->c[i].s[0].text);
    free(set->c[i].s[1].text);
  }
  for (size_t i = 0; set->names && i < set->n_names; i++) free(set->names[i]);
  free(set->names);
  free(set->c);
  free(set);
}

size_t invdes_constraint_set_count(const invdes_constraint_set *set) {
  return set ? set->n : 0;
}
const char *invdes_constraint_text(const invdes_constraint_set *set,
                                   size_t i) {
  return set->c[i].text;
}
invdes_cmp invdes_constraint_cmp(const invdes_constraint_set *set, size_t i) {
  return set->c[i].cmp;
}
invdes_mark invdes_constraint_mark(const invdes_constraint_set *set,
                                   size_t i) {
  return set->c[i].mark;
}
double invdes_constraint_tol(const invdes_constraint_set *set, size_t i,
                             double rhs) {
  if (set->c[i].tol > 0) return set->c[i].tol;
  return 1e-9 * (fabs(rhs) > 1 ? fabs(rhs) : 1);
}

invdes_constraint_eval *invdes_constraint_eval_new(
    const invdes_constraint_set *set) {
  invdes_constraint_eval *e = calloc(1, sizeof *e);
  if (!e) return NULL;
  e->set = set;
  e->buf = calloc(set->n_names + 1, sizeof *e->buf);
  e->h = calloc(2 * set->n + 1, sizeof *e->h);
  if (!e->buf || !e->h) goto fail;
  for (size_t i = 0; i < set->n; i++)
    for (int k = 0; k < 2; k++) {
      const side *s = &set->c[i].s[k];
      if (s->kind != SIDE_FORMULA) continue;
      muParserHandle_t h = make_parser(set, e->buf);
      if (!h) goto fail;
      e->h[2 * i + k] = h;
      mupSetExpr(h, s->text);
      mupEval(h); /* parses into byte code now, not on the hot path */
      if (mupError(h)) goto fail;
    }
  return e;
fail:
  invdes_constraint_eval_free(e);
  return NULL;
}

void invdes_constraint_eval_free(invdes_constraint_eval *e) {
  if (!e) return;
  for (size_t i = 0; e->h && i < 2 * e->set->n; i++)
    if (e->h[i]) mupRelease(e->h[i]);
  free(e->h);
  free(e->buf);
  free(e);
}

static inline double side_value(const invdes_constraint_eval *e, size_t i,
                                int k) {
  const side *s = &e->set->c[i].s[k];
  switch (s->kind) {
  case SIDE_CONST: return s->value;
  case SIDE_VAR: return e->buf[s->var];
  default: return mupEval(e->h[2 * i + k]);
  }
}

/* Violation of constraint i with the buffer already loaded. */
static double violation_loaded(invdes_constraint_eval *e, size_t i,
                               double *lhs, double *rhs) {
  double l = side_value(e, i, 0), r = side_value(e, i, 1), d;
  if (lhs) *lhs = l;
  if (rhs) *rhs = r;
  switch (e->set->c[i].cmp) {
  case INVDES_CMP_LE: d = l - r; break;
  case INVDES_CMP_GE: d = r - l; break;
  default: d = fabs(l - r) - invdes_constraint_tol(e->set, i, r); break;
  }
  if (d <= 0) return 0;
  return d > 0 && d < INFINITY ? d : INFINITY;
}

static void load(invdes_constraint_eval *e, const double *x) {
  memcpy(e->buf, x, e->set->n_names * sizeof *x);
}

double invdes_constraint_eval_one(invdes_constraint_eval *e, size_t i,
                                  const double *x, double *lhs, double *rhs) {
  load(e, x);
  return violation_loaded(e, i, lhs, rhs);
}

double invdes_constraint_eval_violation(invdes_constraint_eval *e,
                                        const double *x, int first_only,
                                        size_t *worst) {
  double vmax = 0;
  size_t w = (size_t)-1;
  if (e->set->n) load(e, x);
  for (size_t i = 0; i < e->set->n; i++) {
    double v = violation_loaded(e, i, NULL, NULL);
    if (v > vmax) {
      vmax = v;
      w = i;
      if (first_only) break;
    }
  }
  if (worst) *worst = w;
  return vmax;
}

double invdes_constraint_eval_slack(invdes_constraint_eval *e, size_t i,
                                    const double *x) {
  double l, r;
  load(e, x);
  violation_loaded(e, i, &l, &r);
  double s;
  switch (e->set->c[i].cmp) {
  case INVDES_CMP_LE: s = r - l; break;
  case INVDES_CMP_GE: s = l - r; break;
  default: s = invdes_constraint_tol(e->set, i, r) - fabs(l - r); break;
  }
  if (s != s) return -INFINITY;
  return s / (1 + fabs(l) + fabs(r));
}
