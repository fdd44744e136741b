/* serve_read.c — the GET endpoints of `invdes serve`: who the caller is,
 * the page's change tag, the campaign, status, best, proposals and export.
 * Each answers what the matching verb prints with --format json (cli_docs.h,
 * report.h build both), read in the store's own read transactions. Reads
 * only. */
#include "serve.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_docs.h"
#include "cli_front.h"
#include "cli_station.h"
#include "report.h"

void invdes_serve_get_whoami(invdes_serve_req *r, invdes_driver *d) {
  invdes_serve_json(r, 200, json_pack("{s:o,s:s}", "name",
                                      r->who ? json_string(r->who) : json_null(), "role",
                                      invdes_serve_role_name(r->role)));
}

static int see_event(const invdes_store_event_row *row, void *data) {
  int64_t *max = data;
  if (row->id > *max) *max = row->id;
  return 0;
}

invdes_status invdes_serve_etag(invdes_serve_ctx *ctx, invdes_store *s, char *buf,
                                invdes_error *err) {
  /* Counts move with asks, results, failures, give-backs, retractions and
   * imports; the latest event id with amendments, late results and the
   * rest. Events are walked from the last id seen, so a poll reads only what
   * is new. */
  invdes_store_counts k;
  invdes_status st = invdes_store_counts_get(s, &k, err);
  pthread_mutex_lock(&ctx->etag_lock);
  int64_t seen = ctx->last_event;
  pthread_mutex_unlock(&ctx->etag_lock);
  if (st == INVDES_OK) st = invdes_store_events(s, seen, NULL, see_event, &seen, err);
  if (st != INVDES_OK) return st;
  pthread_mutex_lock(&ctx->etag_lock);
  if (seen > ctx->last_event) ctx->last_event = seen;
  seen = ctx->last_event;
  pthread_mutex_unlock(&ctx->etag_lock);
  snprintf(buf, 96, "\"%" PRId64 "-%" PRId64 "-%" PRId64 "-%" PRId64 "-%" PRId64 "-%" PRId64
                    "-%" PRId64 "\"",
           k.proposals, k.results, k.done, k.failed, k.abandoned, k.partial, seen);
  return INVDES_OK;
}

void invdes_serve_get_etag(invdes_serve_req *r, invdes_driver *d) {
  invdes_error err;
  invdes_error_clear(&err);
  char tag[96];
  invdes_status st = invdes_serve_etag(r->ctx, invdes_driver_store(d), tag, &err);
  if (st != INVDES_OK) {
    invdes_serve_fail(r, st, &err);
    return;
  }
  snprintf(r->rep->etag, sizeof r->rep->etag, "%s", tag);
  const char *inm = r->header(r->conn, "If-None-Match");
  if (inm && strcmp(inm, tag) == 0) {
    invdes_serve_text(r, 304, NULL, NULL, 0);
    return;
  }
  invdes_serve_json(r, 200, json_pack("{s:s}", "etag", tag));
}

void invdes_serve_get_campaign(invdes_serve_req *r, invdes_driver *d) {
  invdes_store *s = invdes_driver_store(d);
  json_t *vars = json_array(), *targets = json_array();
  int bad = !vars || !targets;
  for (size_t i = 0; !bad && i < invdes_store_n_variables(s); i++) {
    const char *unit = invdes_store_variable_unit(s, i);
    bad |= json_array_append_new(vars, json_pack("{s:s,s:s,s:o}", "name",
                                                 invdes_store_variable_name(s, i), "kind",
                                                 invdes_store_variable_kind(s, i), "unit",
                                                 unit ? json_string(unit) : json_null()));
  }
  for (size_t t = 0; !bad && t < invdes_store_n_targets(s); t++) {
    const invdes_target *tg = invdes_store_target(s, t);
    json_t *o = json_pack("{s:s}", "name", invdes_store_target_name(s, t));
    bad |= !o || invdes_cli_goal_json(s, t, o) ||
           json_object_set_new(o, "unit", tg && tg->unit ? json_string(tg->unit) : json_null());
    bad |= json_array_append_new(targets, o);
  }
  json_t *doc = bad ? NULL : json_pack("{s:s,s:s,s:s,s:o,s:o}", "name",
                                       invdes_store_campaign_name(s), "sha256",
                                       invdes_store_campaign_sha256(s), "text",
                                       invdes_store_campaign_text(s), "variables", vars,
                                       "targets", targets);
  if (!doc) json_decref(vars), json_decref(targets);
  invdes_serve_json(r, 200, doc);
}

void invdes_serve_get_status(invdes_serve_req *r, invdes_driver *d) {
  invdes_error err;
  invdes_error_clear(&err);
  json_t *doc = invdes_cli_status_doc(invdes_driver_store(d), invdes_driver_campaign(d), &err);
  if (doc) invdes_serve_json(r, 200, doc);
  else invdes_serve_fail(r, err.status != INVDES_OK ? err.status : INVDES_ERR_NOMEM, &err);
}

void invdes_serve_get_best(invdes_serve_req *r, invdes_driver *d) {
  invdes_error err;
  invdes_error_clear(&err);
  json_t *doc = invdes_cli_best_doc(invdes_driver_store(d), &err);
  if (doc) invdes_serve_json(r, 200, doc);
  else invdes_serve_fail(r, err.status != INVDES_OK ? err.status : INVDES_ERR_NOMEM, &err);
}

/* ?state=pending,done (or any) as a status mask; 0 when a word is unknown. */
static unsigned state_mask(const char *text) {
  if (!text || strcmp(text, "any") == 0) return INVDES_PROPOSAL_ANY;
  unsigned mask = 0;
  const char *p = text;
  while (*p) {
    size_t len = strcspn(p, ",");
    unsigned bit = 0;
    for (unsigned b = 1; b <= INVDES_PROPOSAL_PARTIAL; b <<= 1) {
      const char *name = invdes_proposal_status_name((invdes_proposal_status)b);
      if (strlen(name) == len && strncmp(name, p, len) == 0) bit = b;
    }
    if (!bit) return 0;
    mask |= bit;
    p += len;
    if (*p == ',') p++;
  }
  return mask;
}

void invdes_serve_get_proposals(invdes_serve_req *r, invdes_driver *d) {
  invdes_store *s = invdes_driver_store(d);
  const char *state = r->query(r->conn, "state"), *after = r->query(r->conn, "after");
  unsigned mask = state_mask(state);
  int64_t after_id = 0;
  if (!mask) {
    invdes_serve_error(r, 400, "bad_request", "state: a comma-separated list of pending, "
                       "partial, done, failed, abandoned, or any");
    return;
  }
  if (after && (strspn(after, "0123456789") != strlen(after) || !*after || strlen(after) > 18)) {
    invdes_serve_error(r, 400, "bad_request", "after: a whole number >= 0");
    return;
  }
  if (after) after_id = strtoll(after, NULL, 10);
  invdes_error err;
  invdes_error_clear(&err);
  invdes_store_rows *rows = NULL;
  invdes_status st = invdes_store_list(s, mask, after_id, &rows, &err);
  json_t *arr = st == INVDES_OK ? invdes_report_rows_json(s, rows, &err) : NULL;
  invdes_store_rows_free(rows);
  if (st == INVDES_OK && !arr) st = err.status != INVDES_OK ? err.status : INVDES_ERR_NOMEM;
  if (st != INVDES_OK) invdes_serve_fail(r, st, &err);
  else invdes_serve_json(r, 200, json_pack("{s:o}", "proposals", arr));
}

void invdes_serve_get_proposal(invdes_serve_req *r, invdes_driver *d) {
  invdes_serve_row_reply(r, invdes_driver_store(d));
}

void invdes_serve_row_reply(invdes_serve_req *r, invdes_store *s) {
  invdes_error err;
  invdes_error_clear(&err);
  invdes_store_rows *rows = NULL;
  /* A multi-objective campaign's pareto_rank is a rank among all results. */
  int all = invdes_cli_pareto(s);
  invdes_status st = all ? invdes_store_list(s, INVDES_PROPOSAL_ANY, 0, &rows, &err)
                         : invdes_store_get(s, &r->id, 1, &rows, &err);
  if (st == INVDES_ERR_INVALID) {
    invdes_serve_error(r, 404, "not_found", "no proposal %" PRId64, r->id);
    return;
  }
  json_t *arr = st == INVDES_OK ? invdes_report_rows_json(s, rows, &err) : NULL;
  if (st == INVDES_OK && !arr) st = err.status != INVDES_OK ? err.status : INVDES_ERR_NOMEM;
  json_t *row = NULL;
  for (size_t i = 0; st == INVDES_OK && i < rows->n; i++)
    if (rows->items[i].id == r->id) row = json_incref(json_array_get(arr, i));
  invdes_store_rows_free(rows);
  json_decref(arr);
  if (st != INVDES_OK) invdes_serve_fail(r, st, &err);
  else if (!row) invdes_serve_error(r, 404, "not_found", "no proposal %" PRId64, r->id);
  else invdes_serve_json(r, 200, row);
}

void invdes_serve_get_export(invdes_serve_req *r, invdes_driver *d) {
  invdes_store *s = invdes_driver_store(d);
  const char *format = r->query(r->conn, "format"), *history = r->query(r->conn, "history");
  int json = format && strcmp(format, "json") == 0;
  if (format && !json && strcmp(format, "csv") != 0) {
    invdes_serve_error(r, 400, "bad_request", "format: csv or json");
    return;
  }
  if (history && strcmp(history, "0") != 0 && strcmp(history, "1") != 0) {
    invdes_serve_error(r, 400, "bad_request", "history: 0 or 1");
    return;
  }
  int hist = history && strcmp(history, "1") == 0;
  invdes_error err;
  invdes_error_clear(&err);
  invdes_store_rows *rows = NULL;
  json_t *doc = NULL;
  invdes_status st = hist ? ((doc = invdes_report_history_json(s, &err)) ? INVDES_OK : err.status)
                          : invdes_store_list(s, INVDES_PROPOSAL_ANY, 0, &rows, &err);
  if (st == INVDES_OK && json && !hist && !(doc = invdes_report_rows_json(s, rows, &err)))
    st = err.status != INVDES_OK ? err.status : INVDES_ERR_NOMEM;
  if (st == INVDES_OK && json) {
    invdes_serve_json(r, 200, doc);
    doc = NULL;
  } else if (st == INVDES_OK) {
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) st = invdes_error_set(&err, INVDES_ERR_NOMEM, "out of memory");
    else {
      st = hist ? invdes_report_write_history_csv(f, doc, &err)
                : invdes_report_write_csv(f, s, rows, &err);
      if (fclose(f) != 0 && st == INVDES_OK)
        st = invdes_error_set(&err, INVDES_ERR_NOMEM, "out of memory");
      if (st == INVDES_OK) invdes_serve_text(r, 200, "text/csv; charset=utf-8", text, len);
      else free(text);
    }
  }
  if (st != INVDES_OK) invdes_serve_fail(r, st, &err);
  json_decref(doc);
  invdes_store_rows_free(rows);
}
