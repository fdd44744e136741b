/* page.c — index.html and the .svg files of `invdes report` (page.h): a
 * summary of the campaign, the figures with their captions, the best results
 * (the one ranking of target.h; a multi-objective campaign lists its Pareto
 * front instead), the failures with their reasons and the campaign file as
 * stored. Reads only the figure data it is given. */
#include "page.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "svg.h"
#include "table.h"
#include "target.h"

/* Rows of the best-results table for a single-objective campaign. */
#define BEST_ROWS 10

static const char style[] =
    "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;max-width:72em;margin:1.5em "
    "auto;padding:0 1em;color:#222;line-height:1.4}\n"
    "h1{font-size:1.6em;margin-bottom:0.2em}h2{margin-top:1.8em;border-bottom:1px solid "
    "#ddd}\n"
    "figure{margin:1.2em 0 2em 0;break-inside:avoid}figure svg{max-width:100%;height:auto}\n"
    "figcaption{font-size:0.9em;color:#444;max-width:46em}\n"
    "table{border-collapse:collapse;font-size:0.88em;margin:0.6em 0}\n"
    "th,td{border:1px solid #ccc;padding:0.2em 0.55em;text-align:left;vertical-align:top}\n"
    "th{background:#f2f2f2}td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    "td.miss{color:#b34700}pre{background:#f6f6f6;padding:0.8em;overflow-x:auto;"
    "font-size:0.85em}\n";

static void esc(FILE *f, const char *s) { invdes_svg_escape(f, s); }

/* A table's number: six significant digits (invdes export has them all). */
static void num(FILE *f, double v) {
  if (isnan(v)) return;
  invdes_svg_value(f, invdes_svg_round(v, 6));
}

static void summary(FILE *f, const invdes_fig_data *d) {
  const invdes_campaign *c = d->c;
  size_t n_failed = 0, n_pending = 0, n_abandoned = 0;
  for (size_t i = 0; i < d->rows->n; i++) {
    invdes_proposal_status st = d->rows->items[i].status;
    n_failed += st == INVDES_PROPOSAL_FAILED;
    n_pending += st == INVDES_PROPOSAL_PENDING;
    n_abandoned += st == INVDES_PROPOSAL_ABANDONED;
  }
  fputs("<table class=\"summary\">\n<tr><th>database</th><td>", f);
  esc(f, invdes_store_path(d->s));
  fputs("</td></tr>\n", f);
  if (c) {
    char obj[256];
    invdes_campaign_objective_describe(c, obj, sizeof obj);
    fputs("<tr><th>objective</th><td>", f);
    esc(f, obj);
    fprintf(f, "</td></tr>\n<tr><th>strategy</th><td>%s, batch %d",
            invdes_strategy_kind_name(c->strategy.kind), c->strategy.batch);
    if (c->strategy.initial_count > 0)
      fprintf(f, ", initial design %s × %d", invdes_design_kind_name(c->strategy.initial_design),
              c->strategy.initial_count);
    fprintf(f, "</td></tr>\n<tr><th>evaluations</th><td>%zu of a budget of %d", d->n_eval,
            c->budget.evaluations);
  } else {
    fprintf(f, "<tr><th>evaluations</th><td>%zu", d->n_eval);
  }
  fprintf(f, " (%zu failed); %zu proposals, %zu pending, %zu given back</td></tr>\n", n_failed,
          d->rows->n, n_pending, n_abandoned);
  fputs("<tr><th>targets</th><td>", f);
  for (size_t t = 0; t < d->n_targets; t++) {
    char goal[160];
    invdes_target_describe(&d->targets[t], goal, sizeof goal);
    fputs(t ? "; " : "", f);
    esc(f, d->targets[t].name);
    fputs(": ", f);
    esc(f, goal);
    if (d->targets[t].unit) fputs(" ", f), esc(f, d->targets[t].unit);
  }
  fputs("</td></tr>\n</table>\n", f);
}

static void figures(FILE *f, const invdes_fig_list *l) {
  fputs("<h2>Figures</h2>\n", f);
  if (!l->n) {
    fputs("<p class=\"empty\">No results yet: nothing to plot. The figures appear once "
          "results are recorded (invdes run, or invdes tell).</p>\n",
          f);
    return;
  }
  for (size_t i = 0; i < l->n; i++) {
    const invdes_fig *g = &l->items[i];
    fprintf(f, "<figure id=\"figure-%s\">\n", g->name);
    fwrite(g->svg, 1, g->len, f);
    fprintf(f, "<figcaption><b>Figure %zu.</b> ", i + 1);
    esc(f, g->title);
    fputs(". ", f);
    esc(f, g->note);
    fprintf(f, " <a href=\"%s.svg\">%s.svg</a></figcaption>\n</figure>\n", g->name, g->name);
  }
}

/* Variable `name` of a proposal's parameters: a number, or a label. */
static void variable_cell(FILE *f, const char *name, const json_t *params) {
  const json_t *v = json_object_get(params, name);
  if (json_is_number(v)) {
    fputs("<td class=\"n\">", f);
    num(f, json_number_value(v));
  } else {
    fputs("<td>", f);
    if (json_is_string(v)) esc(f, json_string_value(v));
  }
  fputs("</td>", f);
}

static void results_header(FILE *f, const invdes_fig_data *d) {
  fputs("<tr><th>id</th><th>status</th>", f);
  for (size_t t = 0; t < d->n_targets; t++) {
    char title[INVDES_FIG_TITLE_MAX];
    invdes_fig_target_title(d, t, title, sizeof title);
    fputs("<th>", f), esc(f, title), fputs("</th>", f);
  }
  for (size_t i = 0; i < invdes_store_n_variables(d->s); i++) {
    char buf[INVDES_REPORT_NAME_MAX], title[INVDES_REPORT_NAME_MAX + 64];
    invdes_svg_axis_title(invdes_report_variable_column(d->s, i, buf, sizeof buf),
                          invdes_store_variable_unit(d->s, i), title, sizeof title);
    fputs("<th>", f), esc(f, title), fputs("</th>", f);
  }
  fputs("</tr>\n", f);
}

static void result_row(FILE *f, const invdes_fig_data *d, const invdes_store_proposal *p) {
  fprintf(f, "<tr><td class=\"n\">%lld</td><td>%s</td>", (long long)p->id,
          invdes_proposal_status_name(p->status));
  for (size_t t = 0; t < d->n_targets; t++) {
    int miss = !isnan(p->value[t]) && !invdes_target_meets(&d->targets[t], p->value[t]);
    fprintf(f, "<td class=\"n%s\">", miss ? " miss" : "");
    num(f, p->value[t]);
    if (!isnan(p->sd[t])) fputs(" ± ", f), num(f, p->sd[t]);
    fputs("</td>", f);
  }
  json_error_t jerr;
  json_t *params = json_loads(p->parameters ? p->parameters : "{}", 0, &jerr);
  for (size_t i = 0; i < invdes_store_n_variables(d->s); i++)
    variable_cell(f, invdes_store_variable_name(d->s, i), params);
  json_decref(params);
  fputs("</tr>\n", f);
}

typedef struct ranked {
  const invdes_store_proposal *p;
  invdes_rank r;
} ranked;

static int ranked_cmp(const void *a, const void *b) {
  const ranked *x = a, *y = b;
  int c = invdes_rank_compare(&x->r, &y->r);
  if (c) return c;
  return x->p->id < y->p->id ? -1 : x->p->id > y->p->id;
}

static invdes_status best_table(FILE *f, const invdes_fig_data *d, invdes_error *err) {
  size_t n_front = 0;
  size_t *front = NULL;
  invdes_status st = invdes_fig_front(d, &front, &n_front, err);
  if (st != INVDES_OK) return st;
  if (front) {
    fprintf(f, "<h2>Pareto front</h2>\n<p>The %zu non-dominated results among those that meet "
               "every condition, by the first objective.</p>\n",
            n_front);
    if (n_front) {
      fputs("<table class=\"best\">\n", f);
      results_header(f, d);
      for (size_t i = 0; i < n_front; i++) result_row(f, d, d->eval[front[i]]);
      fputs("</table>\n", f);
    }
    free(front);
    return INVDES_OK;
  }
  ranked *r = malloc((d->n_eval ? d->n_eval : 1) * sizeof *r);
  if (!r) return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  size_t n = 0;
  for (size_t k = 0; k < d->n_eval; k++) {
    const invdes_store_proposal *p = d->eval[k];
    invdes_rank key = invdes_rank_result(d->targets, d->n_targets, p->value, invdes_fig_failed(p));
    if (key.ranked) r[n].p = p, r[n++].r = key;
  }
  qsort(r, n, sizeof *r, ranked_cmp);
  fputs("<h2>Best results</h2>\n", f);
  if (!n) fputs("<p>No result yet.</p>\n", f);
  else {
    fprintf(f, "<p>The %s best of %zu results by the one ranking of <code>invdes best</code>: "
               "results meeting every condition first, then the least violation; values that "
               "miss their goal in orange.</p>\n<table class=\"best\">\n",
            n < BEST_ROWS ? "" : "ten", n);
    results_header(f, d);
    for (size_t i = 0; i < n && i < BEST_ROWS; i++) result_row(f, d, r[i].p);
    fputs("</table>\n", f);
  }
  free(r);
  return INVDES_OK;
}

static void failures(FILE *f, const invdes_fig_data *d) {
  size_t n = 0;
  fputs("<h2>Failures</h2>\n", f);
  for (size_t i = 0; i < d->rows->n; i++) {
    const invdes_store_proposal *p = &d->rows->items[i];
    if (p->status != INVDES_PROPOSAL_FAILED) continue;
    if (!n++) fputs("<table class=\"failures\">\n<tr><th>id</th><th>station</th><th>reason</th>"
                    "</tr>\n",
                    f);
    fprintf(f, "<tr><td class=\"n\">%lld</td><td>", (long long)p->id);
    esc(f, p->station ? p->station : "");
    fputs("</td><td>", f);
    esc(f, p->reason ? p->reason : "");
    fputs("</td></tr>\n", f);
  }
  fputs(n ? "</table>\n" : "<p>No experiment failed.</p>\n", f);
}

invdes_status invdes_page_html(FILE *f, const invdes_fig_data *d, const invdes_fig_list *l,
                               const char *script, invdes_error *err) {
  const char *name = invdes_store_campaign_name(d->s);
  fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"generator\" content=\"invdes report\">\n<title>invdes report: ",
        f);
  esc(f, name);
  fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", style);
  esc(f, name);
  fputs("</h1>\n", f);
  if (d->c && d->c->description) fputs("<p>", f), esc(f, d->c->description), fputs("</p>\n", f);
  summary(f, d);
  figures(f, l);
  invdes_status st = best_table(f, d, err);
  if (st != INVDES_OK) return st;
  failures(f, d);
  fputs("<p>Numbers on this page have six significant digits; <code>invdes export</code> "
        "has every value as recorded.</p>\n<h2>Campaign</h2>\n<p>The campaign file as stored in the database.</p>\n<pre>", f);
  esc(f, invdes_store_campaign_text(d->s));
  fputs("</pre>\n", f);
  if (script) fprintf(f, "<script>\n%s</script>\n", script);
  fputs("</body>\n</html>\n", f);
  return INVDES_OK;
}

/* Opens dir/name for writing; NULL with err naming it. */
static FILE *create(const char *dir, const char *name, char *path, size_t size,
                    invdes_error *err) {
  snprintf(path, size, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  if (!f) invdes_error_set(err, INVDES_ERR_IO, "cannot write %s: %s", path, strerror(errno));
  return f;
}

static invdes_status close_checked(FILE *f, const char *path, invdes_error *err) {
  int bad = ferror(f);
  int e = errno;
  if (fclose(f) != 0) bad = 1, e = errno;
  if (bad) return invdes_error_set(err, INVDES_ERR_IO, "cannot write %s: %s", path, strerror(e));
  return INVDES_OK;
}

invdes_status invdes_page_write(const char *dir, const invdes_fig_data *d,
                                const invdes_fig_list *l, invdes_error *err) {
  size_t size = strlen(dir) + INVDES_FIG_NAME_MAX + 16;
  char *path = malloc(size);
  if (!path) return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  invdes_status st = INVDES_OK;
  for (size_t i = 0; st == INVDES_OK && i < l->n; i++) {
    char name[INVDES_FIG_NAME_MAX + 8];
    snprintf(name, sizeof name, "%s.svg", l->items[i].name);
    FILE *f = create(dir, name, path, size, err);
    if (!f) st = INVDES_ERR_IO;
    else {
      fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
      fwrite(l->items[i].svg, 1, l->items[i].len, f);
      st = close_checked(f, path, err);
    }
  }
  FILE *f = st == INVDES_OK ? create(dir, "index.html", path, size, err) : NULL;
  if (st == INVDES_OK && !f) st = INVDES_ERR_IO;
  if (f) {
    st = invdes_page_html(f, d, l, NULL, err);
    invdes_status cst = close_checked(f, path, err);
    if (st == INVDES_OK) st = cst;
  }
  free(path);
  return st;
}

invdes_status invdes_page_draw(const invdes_fig_data *d, invdes_fig_list *l, invdes_error *err) {
  invdes_status st = invdes_fig_progress(d, l, err);
  if (st == INVDES_OK) st = invdes_fig_pareto(d, l, err);
  if (st == INVDES_OK) st = invdes_fig_targets(d, l, err);
  if (st == INVDES_OK) st = invdes_fig_model(d, l, err);
  if (st == INVDES_OK) st = invdes_fig_ternary(d, l, err);
  return st;
}
