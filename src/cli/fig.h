/* fig.h — the figures of `invdes report`: what they are drawn from (one
 * campaign database read once) and the list they are collected in.
 *
 * fig_data.c reads the database: every proposal, the targets as stored, the
 * campaign model when its stored text still loads here, and the evaluations
 * (the proposals with an outcome: done, failed, or partial with a value),
 * numbered 1, 2, ... by proposal id, which is the order an ask/tell loop or a
 * run produced them. Each figure file draws one concept from that data and
 * adds its figures to the list:
 *   fig_progress.c  best-so-far against evaluations; each target against
 *                   evaluations with its window or threshold;
 *   fig_pareto.c    the Pareto front of a multi-objective campaign;
 *   fig_model.c     predicted against measured, per target;
 *   fig_ternary.c   the proposals of each composition group on a ternary.
 * A figure is a standalone SVG document (svg.h) kept in memory; page.c puts
 * them in index.html and writes each to its own .svg file. */
#ifndef INVDES_FIG_H
#define INVDES_FIG_H

#include <stddef.h>
#include <stdio.h>

#include "campaign.h"
#include "error.h"
#include "store.h"

typedef struct invdes_fig_data {
  invdes_store *s;           /* borrowed */
  invdes_campaign *c;        /* owned; NULL when the stored text does not load */
  invdes_store_rows *rows;   /* owned: every proposal, by id */
  size_t n_targets;
  invdes_target *targets;    /* owned array of the store's targets (shallow:
                                names and units borrowed from the store) */
  size_t n_eval;
  const invdes_store_proposal **eval; /* owned array; items borrowed from rows */
  size_t n_initial;          /* evaluations of the initial design (0: none known) */
} invdes_fig_data;

/* Reads everything the figures need from s. On failure returns the status
 * with err set, and d holds nothing to free beyond invdes_fig_data_free. */
invdes_status invdes_fig_data_read(invdes_store *s, invdes_fig_data *d, invdes_error *err);
void invdes_fig_data_free(invdes_fig_data *d);

/* 1 when evaluation p has a value for every condition (window, below,
 * above) target and each meets its goal, and p did not fail. */
int invdes_fig_meets_conditions(const invdes_fig_data *d, const invdes_store_proposal *p);

/* 1 when p failed. */
int invdes_fig_failed(const invdes_store_proposal *p);

/* The numeric value of variable `name` in p's parameters (NAN when absent
 * or not a number). */
double invdes_fig_parameter(const invdes_store_proposal *p, const char *name);

/* Target t's axis title, "name (unit)", into buf. */
void invdes_fig_target_title(const invdes_fig_data *d, size_t t, char *buf, size_t size);

/* Longest figure name and title, with the NUL. */
#define INVDES_FIG_NAME_MAX 96
#define INVDES_FIG_TITLE_MAX 256
#define INVDES_FIG_NOTE_MAX 1024

typedef struct invdes_fig {
  char name[INVDES_FIG_NAME_MAX];   /* file name without .svg; also the id */
  char title[INVDES_FIG_TITLE_MAX];
  char note[INVDES_FIG_NOTE_MAX];   /* a caption for the page ("" for none) */
  char *svg;                        /* the document, owned */
  size_t len;
  FILE *f;                          /* open while being drawn */
} invdes_fig;

typedef struct invdes_fig_list {
  invdes_fig *items;
  size_t n, cap;
} invdes_fig_list;

/* Adds a figure named from name (letters, digits, '-' and '_' are kept, anything
 * else becomes '-'), titled `title`, and returns the stream to draw it into
 * (its SVG document already begun, width × height); NULL when out of memory.
 * Draw, then call invdes_fig_finish. */
FILE *invdes_fig_start(invdes_fig_list *l, const char *name, const char *title, double width,
                       double height);
/* Ends the SVG document of the last figure started and keeps its text;
 * `note` (may be NULL) becomes its caption. INVDES_ERR_NOMEM on failure. */
invdes_status invdes_fig_finish(invdes_fig_list *l, const char *note, invdes_error *err);
/* The id of the last figure started, for panel ids ("name-0", ...). */
const char *invdes_fig_id(const invdes_fig_list *l);
void invdes_fig_list_free(invdes_fig_list *l);

/* The Pareto front of a multi-objective campaign (target.h's
 * invdes_targets_pareto): *idx (the caller frees it) gets the indices into
 * d->eval of the non-dominated results among those that meet every
 * condition, best first by the first objective; *n their number. *idx is
 * NULL when the campaign has a single objective or none (fig_pareto.c). */
invdes_status invdes_fig_front(const invdes_fig_data *d, size_t **idx, size_t *n,
                               invdes_error *err);

/* The figure makers, called in this order by cmd_report.c. Each adds
 * nothing when its figure does not apply (no objective, no model data, no
 * composition group, a single objective). */
invdes_status invdes_fig_progress(const invdes_fig_data *d, invdes_fig_list *l,
                                  invdes_error *err);
invdes_status invdes_fig_targets(const invdes_fig_data *d, invdes_fig_list *l,
                                 invdes_error *err);
invdes_status invdes_fig_pareto(const invdes_fig_data *d, invdes_fig_list *l,
                                invdes_error *err);
invdes_status invdes_fig_model(const invdes_fig_data *d, invdes_fig_list *l, invdes_error *err);
invdes_status invdes_fig_ternary(const invdes_fig_data *d, invdes_fig_list *l,
                                 invdes_error *err);

#endif
