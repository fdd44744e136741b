/* page.h — the HTML page of `invdes report`: index.html with the figures
 * inline, the tables (best results, failures with their reasons) and the
 * campaign file as stored, plus each figure as its own .svg file beside it,
 * so one can be pasted into a lab notebook alone.
 *
 * The page stands alone: no script (but `invdes serve`'s one, below), no external style sheet, font or image,
 * one small inline style; it opens offline in any browser. Every text from
 * the database (names, units, reasons, the campaign) is escaped. Numbers are
 * written through invdes_decimal_format, never with the locale. */
#ifndef INVDES_PAGE_H
#define INVDES_PAGE_H

#include <stdio.h>

#include "error.h"
#include "fig.h"

/* Draws every figure that applies to d into l, in page order: best so far,
 * the Pareto front, each target, predicted against measured, ternary plots. */
invdes_status invdes_page_draw(const invdes_fig_data *d, invdes_fig_list *l, invdes_error *err);

/* Writes the page (index.html's text) to f. script (may be NULL) is put
 * inline at the end of the body as given: `invdes serve`'s live page adds
 * its refresh there; the report of `invdes report` has none. */
invdes_status invdes_page_html(FILE *f, const invdes_fig_data *d, const invdes_fig_list *l,
                               const char *script, invdes_error *err);

/* Writes DIR/<figure>.svg for every figure of l, then DIR/index.html, for
 * the data d (DIR exists). Fails with INVDES_ERR_IO naming the file that
 * cannot be written, or INVDES_ERR_NOMEM. */
invdes_status invdes_page_write(const char *dir, const invdes_fig_data *d,
                                const invdes_fig_list *l, invdes_error *err);

#endif
