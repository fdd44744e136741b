/* page.h — the HTML page of `invdes report`: index.html with the figures
 * inline, the tables (best results, failures with their reasons) and the
 * campaign file as stored, plus each figure as its own .svg file beside it,
 * so one can be pasted into a lab notebook alone.
 *
 * The page stands alone: no script, no external style sheet, font or image,
 * one small inline style; it opens offline in any browser. Every text from
 * the database (names, units, reasons, the campaign) is escaped. Numbers are
 * written through invdes_decimal_format, never with the locale. */
#ifndef INVDES_PAGE_H
#define INVDES_PAGE_H

#include "error.h"
#include "fig.h"

/* Writes DIR/<figure>.svg for every figure of l, then DIR/index.html, for
 * the data d (DIR exists). Fails with INVDES_ERR_IO naming the file that
 * cannot be written, or INVDES_ERR_NOMEM. */
invdes_status invdes_page_write(const char *dir, const invdes_fig_data *d,
                                const invdes_fig_list *l, invdes_error *err);

#endif
