/* serve_page.c — the live campaign page at `/`: the page of `invdes report`
 * (page.h: figures as inline SVG, the best results, failures, the campaign)
 * rendered in memory for each load, with one small inline script that polls
 * GET /v1/etag and reloads the page when the database changed. No external
 * script, style or font: it works on a lab network without internet.
 *
 * The tag is taken before the data are read, so a change landing between
 * the two makes the next poll differ and the page reload once more: a change
 * is never missed, at worst shown twice. */
#include "serve.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fig.h"
#include "page.h"

/* %s: the tag the page was drawn at, quotes included, as GET /v1/etag's
 * "etag" has it (so inside a single-quoted JS string). The
 * token of ?token= is removed from the address bar: the cookie set with the
 * page authenticates the polls and reloads. */
static const char script_fmt[] =
    "(function () {\n"
    "  var drawn = '%s';\n"
    "  if (location.search.indexOf('token=') >= 0 && window.history.replaceState)\n"
    "    history.replaceState(null, '', location.pathname);\n"
    "  function poll() {\n"
    "    fetch('/v1/etag', {credentials: 'same-origin', cache: 'no-store'})\n"
    "      .then(function (r) { return r.ok ? r.json() : null; })\n"
    "      .then(function (j) {\n"
    "        if (j && j.etag !== drawn) location.reload();\n"
    "        else setTimeout(poll, 2000);\n"
    "      })\n"
    "      .catch(function () { setTimeout(poll, 2000); });\n"
    "  }\n"
    "  setTimeout(poll, 2000);\n"
    "})();\n";

void invdes_serve_get_page(invdes_serve_req *r, invdes_driver *d) {
  invdes_store *s = invdes_driver_store(d);
  invdes_error err;
  invdes_error_clear(&err);
  char tag[96], script[sizeof script_fmt + 2 * sizeof tag];
  invdes_status st = invdes_serve_etag(r->ctx, s, tag, &err);
  if (st != INVDES_OK) {
    invdes_serve_fail(r, st, &err);
    return;
  }
  /* The tag is digits, dashes and double quotes: safe inside single quotes. */
  snprintf(script, sizeof script, script_fmt, tag);
  invdes_fig_data data = {0};
  invdes_fig_list figs = {0};
  char *html = NULL;
  size_t len = 0;
  st = invdes_fig_data_read(s, &data, &err);
  if (st == INVDES_OK) st = invdes_page_draw(&data, &figs, &err);
  if (st == INVDES_OK) {
    FILE *f = open_memstream(&html, &len);
    if (!f) st = invdes_error_set(&err, INVDES_ERR_NOMEM, "out of memory");
    else {
      st = invdes_page_html(f, &data, &figs, script, &err);
      if (fclose(f) != 0 && st == INVDES_OK)
        st = invdes_error_set(&err, INVDES_ERR_NOMEM, "out of memory");
    }
  }
  invdes_fig_list_free(&figs);
  invdes_fig_data_free(&data);
  if (st != INVDES_OK) {
    free(html);
    invdes_serve_fail(r, st, &err);
    return;
  }
  snprintf(r->rep->etag, sizeof r->rep->etag, "%s", tag);
  invdes_serve_text(r, 200, "text/html; charset=utf-8", html, len);
}
