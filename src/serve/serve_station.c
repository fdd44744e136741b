/* serve_station.c — what a station does over HTTP: ask for proposals,
 * report what became of one, extend its lease. Each is the command-line
 * verb's store call (`invdes ask --station`, `tell`, `heartbeat`) with the
 * station taken from the token. Results are idempotent: a report the
 * database already holds is answered 200 "recorded": false, a different one
 * for a proposal with an outcome 409, decided after the store refused it, so
 * two identical posts racing each other both get 200. */
#include "serve.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli_docs.h"
#include "report.h"
#include "serve_json.h"
#include "tell_input.h"

/* Reads the body as a JSON object; 0, or -1 with the reply set. */
static int body_object(invdes_serve_req *r, int empty_ok, json_t **o) {
  invdes_error err;
  invdes_error_clear(&err);
  int http = invdes_serve_json_object(r->body, r->len, empty_ok, INVDES_SERVE_DEPTH_MAX, o, &err);
  if (!http) return 0;
  invdes_serve_error(r, http, http == 413 ? "too_large" : http == 500 ? "internal" : "bad_request",
                     "%s", err.message);
  return -1;
}

static int bad(invdes_serve_req *r, int http, const invdes_error *err) {
  if (http) invdes_serve_error(r, http, "bad_request", "%s", err->message);
  return http;
}

int invdes_serve_station(invdes_serve_req *r, json_t *obj, const char **station) {
  invdes_error err;
  invdes_error_clear(&err);
  const char *given = NULL;
  *station = NULL;
  if (bad(r, invdes_serve_json_string(obj, "station", 1, &given, &err), &err)) return -1;
  if (r->ctx->tokens && given && strcmp(given, r->who) != 0) {
    invdes_serve_error(r, 403, "forbidden", "a station is named by its token: this one is "
                       "'%s', not '%.64s'", r->who, given);
    return -1;
  }
  const char *name = r->ctx->tokens ? r->who : given;
  if (name && (strlen(name) > INVDES_SERVE_NAME_MAX || strchr(name, '='))) {
    invdes_serve_error(r, 400, "bad_request", "\"station\": at most %d characters, no '='",
                       INVDES_SERVE_NAME_MAX);
    return -1;
  }
  for (size_t i = 0; name && name[i]; i++)
    if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f) {
      invdes_serve_error(r, 400, "bad_request", "\"station\": no control characters");
      return -1;
    }
  snprintf(r->station, sizeof r->station, "%s", name ? name : "");
  json_object_del(obj, "station");
  *station = name ? r->station : NULL;
  return 0;
}

void invdes_serve_post_ask(invdes_serve_req *r, invdes_driver *d) {
  static const char *const keys[] = {"n", "lease", "over_budget", "station", NULL};
  json_t *o = NULL;
  if (body_object(r, 1, &o)) return;
  invdes_error err;
  invdes_error_clear(&err);
  long long n;
  double lease;
  int over;
  const char *station;
  if (bad(r, invdes_serve_json_keys(o, keys, &err), &err) ||
      bad(r, invdes_serve_json_int(o, "n", 1, 1000, 1, &n, &err), &err) ||
      bad(r, invdes_serve_json_number(o, "lease", 0, INVDES_STORE_LEASE_MAX,
                                      INVDES_SERVE_LEASE_DEFAULT, &lease, &err), &err) ||
      bad(r, invdes_serve_json_bool(o, "over_budget", 0, &over, &err), &err) ||
      invdes_serve_station(r, o, &station)) {
    json_decref(o);
    return;
  }
  json_decref(o);
  invdes_store_rows *rows = NULL;
  unsigned flags = INVDES_PROPOSE_SYNC | (over ? INVDES_PROPOSE_OVER_BUDGET : 0);
  invdes_status st = invdes_driver_propose(d, (size_t)n, station, lease, flags, &rows, &err);
  if (st != INVDES_OK) {
    invdes_serve_fail(r, st, &err);
    return;
  }
  char note[512];
  if (rows->n < (size_t)n)
    invdes_cli_ask_note(d, rows->n, (unsigned long long)n, over, "\"over_budget\": true",
                        note, sizeof note);
  json_t *arr = invdes_cli_ask_json(rows);
  invdes_serve_json(r, 200, arr ? json_pack("{s:o,s:o}", "proposals", arr, "note",
                                            rows->n < (size_t)n ? json_string(note) : json_null())
                                : NULL);
  invdes_store_rows_free(rows);
}

/* Whether proposal p already holds exactly what req reports. */
static int same_outcome(invdes_store *s, const invdes_store_tell_req *q,
                        const invdes_store_proposal *p) {
  switch (q->kind) {
  case INVDES_TELL_RESULT:
    if (q->close && p->status != INVDES_PROPOSAL_DONE) return 0;
    for (size_t i = 0; i < q->n_values; i++) {
      size_t t = 0;
      while (t < invdes_store_n_targets(s) && strcmp(invdes_store_target_name(s, t),
                                                     q->values[i].target) != 0)
        t++;
      if (t == invdes_store_n_targets(s) || p->value[t] != q->values[i].value) return 0;
      if (!(isnan(p->sd[t]) && isnan(q->values[i].sd)) && p->sd[t] != q->values[i].sd) return 0;
    }
    return p->status == INVDES_PROPOSAL_DONE || p->status == INVDES_PROPOSAL_PARTIAL;
  case INVDES_TELL_FAILED:
    return p->status == INVDES_PROPOSAL_FAILED && p->reason && strcmp(p->reason, q->reason) == 0;
  case INVDES_TELL_ABANDON:
    return p->status == INVDES_PROPOSAL_ABANDONED &&
           (!q->reason || (p->reason && strcmp(p->reason, q->reason) == 0));
  case INVDES_TELL_CLOSE: return p->status == INVDES_PROPOSAL_DONE;
  }
  return 0;
}

/* Whether p has an outcome that req would change (409) rather than a
 * report the store refused on its own terms (400). */
static int has_outcome(invdes_store *s, const invdes_store_tell_req *q,
                       const invdes_store_proposal *p) {
  if (p->status == INVDES_PROPOSAL_DONE || p->status == INVDES_PROPOSAL_FAILED) return 1;
  if (q->kind == INVDES_TELL_ABANDON && p->status == INVDES_PROPOSAL_ABANDONED) return 1;
  for (size_t i = 0; q->kind == INVDES_TELL_RESULT && i < q->n_values; i++)
    for (size_t t = 0; t < invdes_store_n_targets(s); t++)
      if (strcmp(invdes_store_target_name(s, t), q->values[i].target) == 0 &&
          isfinite(p->value[t]))
        return 1;
  return 0;
}

/* The store refused q: a repeat (200), a conflict (409), a proposal of
 * another station (403) or the store's own refusal (400). */
static void refused(invdes_serve_req *r, invdes_store *s, const invdes_store_tell_req *q,
                    invdes_status st, const invdes_error *why) {
  invdes_error err;
  invdes_error_clear(&err);
  invdes_store_rows *now = NULL;
  invdes_status gst = st == INVDES_ERR_INVALID ? invdes_store_get(s, &r->id, 1, &now, &err) : st;
  if (gst == INVDES_ERR_INVALID) {
    invdes_serve_error(r, 404, "not_found", "no proposal %" PRId64, r->id);
  } else if (gst != INVDES_OK) {
    invdes_serve_fail(r, st, why);
  } else {
    const invdes_store_proposal *p = &now->items[0];
    if (p->station && q->station && strcmp(p->station, q->station) != 0)
      invdes_serve_error(r, 403, "not_yours", "proposal %" PRId64 " was handed to station "
                         "'%s', not to '%s'", r->id, p->station, q->station);
    else if (same_outcome(s, q, p))
      invdes_serve_json(r, 200, json_pack("{s:I,s:s,s:b}", "id", (json_int_t)r->id, "status",
                                          invdes_proposal_status_name(p->status), "recorded", 0));
    else if (has_outcome(s, q, p))
      invdes_serve_error(r, 409, "conflict", "%s (proposal %" PRId64 " is %s; nothing was "
                         "changed)", why->message, r->id, invdes_proposal_status_name(p->status));
    else
      invdes_serve_fail(r, st, why);
  }
  invdes_store_rows_free(now);
}

/* The report of a result request into `in`; 0, or -1 with the reply set. */
static int read_report(invdes_serve_req *r, json_t *o, const char *source,
                       invdes_tell_input *in) {
  invdes_error err;
  invdes_error_clear(&err);
  json_t *jid = json_object_get(o, "id");
  if (jid && (!json_is_integer(jid) || json_integer_value(jid) != r->id)) {
    invdes_serve_error(r, 400, "bad_request", "\"id\" must equal the path's id, %" PRId64,
                       r->id);
    return -1;
  }
  if (json_object_set_new(o, "id", json_integer(r->id))) {
    invdes_serve_error(r, 500, "internal", "out of memory");
    return -1;
  }
  const char *campaign = NULL;
  if (bad(r, invdes_serve_json_string(o, "campaign", 1, &campaign, &err), &err)) return -1;
  invdes_status st;
  if (json_object_size(o) == 1 + (campaign != NULL)) /* "close" alone */
    st = invdes_tell_input_add(in, r->id, INVDES_TELL_CLOSE, NULL, 0, NULL, source, campaign,
                               &err);
  else
    st = invdes_tell_input_add_json(in, o, "the request", source, &err);
  if (st != INVDES_OK) {
    invdes_serve_fail(r, st, &err);
    return -1;
  }
  return 0;
}

void invdes_serve_post_result(invdes_serve_req *r, invdes_driver *d) {
  invdes_store *s = invdes_driver_store(d);
  json_t *o = NULL;
  if (body_object(r, 0, &o)) return;
  invdes_error err;
  invdes_error_clear(&err);
  const char *station;
  int close = 0;
  invdes_tell_input *in = NULL;
  if (invdes_serve_station(r, o, &station) ||
      bad(r, invdes_serve_json_bool(o, "close", 0, &close, &err), &err))
    goto done;
  json_object_del(o, "close");
  if (close && (json_object_get(o, "failed") || json_object_get(o, "abandon"))) {
    invdes_serve_error(r, 400, "bad_request", "\"close\" goes with values or alone: a failed "
                       "or given-back proposal is closed already");
    goto done;
  }
  if (!close && json_object_size(o) == (size_t)(json_object_get(o, "id") != NULL) +
                                           (json_object_get(o, "campaign") != NULL)) {
    invdes_serve_error(r, 400, "bad_request", "give \"values\", \"failed\", \"abandon\" or "
                       "\"close\"");
    goto done;
  }
  char source[INVDES_SERVE_NAME_MAX + 16];
  snprintf(source, sizeof source, station ? "station:%s" : "serve", station);
  if (!(in = invdes_tell_input_new())) {
    invdes_serve_error(r, 500, "internal", "out of memory");
    goto done;
  }
  if (read_report(r, o, source, in)) goto done;
  if (invdes_tell_input_set_station(in, station, close, &err) != INVDES_OK) {
    invdes_serve_fail(r, err.status, &err);
    goto done;
  }
  const invdes_store_tell_req *q = invdes_tell_input_reqs(in);
  invdes_status st = invdes_store_tell(s, q, &err);
  if (st == INVDES_OK) {
    invdes_store_rows *now = NULL;
    invdes_status gst = invdes_store_get(s, &r->id, 1, &now, NULL);
    invdes_serve_json(r, 200, json_pack("{s:I,s:s,s:b}", "id", (json_int_t)r->id, "status",
                                        gst == INVDES_OK
                                            ? invdes_proposal_status_name(now->items[0].status)
                                            : "recorded",
                                        "recorded", 1));
    invdes_store_rows_free(now);
  } else if (st == INVDES_ERR_INVALID) {
    refused(r, s, q, st, &err);
  } else {
    invdes_serve_fail(r, st, &err);
  }
done:
  invdes_tell_input_free(in);
  json_decref(o);
}

void invdes_serve_post_heartbeat(invdes_serve_req *r, invdes_driver *d) {
  static const char *const keys[] = {"lease", "station", NULL};
  invdes_store *s = invdes_driver_store(d);
  json_t *o = NULL;
  if (body_object(r, 1, &o)) return;
  invdes_error err;
  invdes_error_clear(&err);
  double lease, expires;
  const char *station;
  int refused_here = bad(r, invdes_serve_json_keys(o, keys, &err), &err) ||
                     bad(r, invdes_serve_json_number(o, "lease", 1, INVDES_STORE_LEASE_MAX,
                                                     INVDES_SERVE_LEASE_DEFAULT, &lease, &err),
                         &err) ||
                     invdes_serve_station(r, o, &station);
  json_decref(o);
  if (refused_here) return;
  invdes_status st = invdes_store_heartbeat(s, r->id, station, lease, &expires, &err);
  if (st == INVDES_OK) {
    invdes_serve_json(r, 200, json_pack("{s:I,s:o}", "id", (json_int_t)r->id, "lease_expires",
                                        invdes_report_time_json(expires)));
    return;
  }
  invdes_store_rows *now = NULL;
  invdes_error gerr;
  invdes_status gst = st == INVDES_ERR_INVALID ? invdes_store_get(s, &r->id, 1, &now, &gerr) : st;
  if (gst == INVDES_ERR_INVALID) invdes_serve_error(r, 404, "not_found", "no proposal %" PRId64, r->id);
  else if (st == INVDES_ERR_INVALID && gst == INVDES_OK)
    invdes_serve_error(r, 409, "conflict", "%s", err.message);
  else invdes_serve_fail(r, st, &err);
  invdes_store_rows_free(now);
}
