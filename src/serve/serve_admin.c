/* serve_admin.c — the corrections an admin token may make over HTTP, as
 * the verbs make them: amend (invdes_store_amend), retract
 * (invdes_store_retract) and import of a CSV table (cli_docs.h's
 * invdes_cli_import, `invdes import`'s own code). The token's name is
 * recorded as who changed what; every old version stays in the database. */
#include "serve.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_audit.h"
#include "cli_docs.h"
#include "serve_json.h"
#include "table.h"

/* The body as an object with only `keys`, a non-empty "reason" and the
 * acting name in *who; 0, or -1 with the reply set. */
static int correction(invdes_serve_req *r, const char *const *keys, json_t **o,
                      const char **reason, const char **who) {
  invdes_error err;
  invdes_error_clear(&err);
  int http = invdes_serve_json_object(r->body, r->len, 0, INVDES_SERVE_DEPTH_MAX, o, &err);
  if (!http) http = invdes_serve_json_keys(*o, keys, &err);
  if (!http) http = invdes_serve_json_string(*o, "reason", 1, reason, &err);
  if (!http && !*reason) {
    http = 400;
    invdes_error_set(&err, INVDES_ERR_INVALID, "\"reason\" is required: why the change");
  }
  if (http) {
    invdes_serve_error(r, http, http == 413 ? "too_large" : "bad_request", "%s", err.message);
    return -1;
  }
  const char *station;
  if (invdes_serve_station(r, *o, &station)) return -1;
  *who = station ? station : invdes_cli_who(NULL);
  return 0;
}

/* A store refusal of a change to proposal r->id: 404 when there is none. */
static void change_failed(invdes_serve_req *r, invdes_store *s, invdes_status st,
                          const invdes_error *err) {
  invdes_store_rows *rows = NULL;
  if (st == INVDES_ERR_INVALID && invdes_store_get(s, &r->id, 1, &rows, NULL) == INVDES_ERR_INVALID)
    invdes_serve_error(r, 404, "not_found", "no proposal %" PRId64, r->id);
  else
    invdes_serve_fail(r, st, err);
  invdes_store_rows_free(rows);
}

/* {"values": {t: v}, "sd": {t: sd}} as n store values into *vals (the
 * caller frees it; names borrowed from o); 0, or -1 with the reply set. */
static int amended_values(invdes_serve_req *r, const json_t *o, invdes_store_value **vals,
                          size_t *n) {
  json_t *values = json_object_get(o, "values"), *sd = json_object_get(o, "sd");
  *vals = NULL;
  *n = 0;
  if (!json_is_object(values) || !json_object_size(values) || (sd && !json_is_object(sd))) {
    invdes_serve_error(r, 400, "bad_request", "\"values\" must be an object {target: number} "
                       "with at least one entry, \"sd\" an object too");
    return -1;
  }
  *vals = calloc(json_object_size(values), sizeof **vals);
  if (!*vals) {
    invdes_serve_error(r, 500, "internal", "out of memory");
    return -1;
  }
  const char *key;
  json_t *v;
  json_object_foreach(values, key, v) {
    json_t *s = sd ? json_object_get(sd, key) : NULL;
    if (!json_is_number(v) || (s && !json_is_number(s))) {
      invdes_serve_error(r, 400, "bad_request", "\"%.100s\": values and sd's must be numbers",
                         key);
      return -1;
    }
    (*vals)[(*n)++] = (invdes_store_value){.target = key, .value = json_number_value(v),
                                           .sd = s ? json_number_value(s) : NAN};
  }
  json_object_foreach(sd, key, v) if (!json_object_get(values, key)) {
    invdes_serve_error(r, 400, "bad_request", "an sd for \"%.100s\", which gets no new value",
                       key);
    return -1;
  }
  return 0;
}

void invdes_serve_post_amend(invdes_serve_req *r, invdes_driver *d) {
  static const char *const keys[] = {"values", "sd", "reason", "station", NULL};
  invdes_store *s = invdes_driver_store(d);
  json_t *o = NULL;
  const char *reason, *who;
  invdes_store_value *vals = NULL;
  size_t n;
  if (!correction(r, keys, &o, &reason, &who) && !amended_values(r, o, &vals, &n)) {
    invdes_error err;
    invdes_error_clear(&err);
    invdes_status st = invdes_store_amend(s, r->id, vals, n, who, reason, &err);
    if (st == INVDES_OK) invdes_serve_row_reply(r, s);
    else change_failed(r, s, st, &err);
  }
  free(vals);
  json_decref(o);
}

void invdes_serve_post_retract(invdes_serve_req *r, invdes_driver *d) {
  static const char *const keys[] = {"reason", "station", NULL};
  invdes_store *s = invdes_driver_store(d);
  json_t *o = NULL;
  const char *reason, *who;
  if (!correction(r, keys, &o, &reason, &who)) {
    invdes_error err;
    invdes_error_clear(&err);
    invdes_status st = invdes_store_retract(s, r->id, who, reason, &err);
    if (st == INVDES_OK) invdes_serve_row_reply(r, s);
    else change_failed(r, s, st, &err);
  }
  json_decref(o);
}

void invdes_serve_post_import(invdes_serve_req *r, invdes_driver *d) {
  invdes_error err;
  invdes_error_clear(&err);
  const char *station = r->who;
  if (!r->ctx->tokens) {
    const char *q = r->query(r->conn, "station");
    if (q && *q && strlen(q) <= INVDES_SERVE_NAME_MAX) station = q;
  }
  const char *who = station ? station : invdes_cli_who(NULL);
  snprintf(r->station, sizeof r->station, "%s", who);
  invdes_table *tab = invdes_table_parse("the request body", r->body, r->len, &err);
  int64_t *ids = NULL;
  size_t n = 0;
  invdes_status st = tab ? invdes_cli_import(d, tab, who, &ids, &n, &err)
                         : err.status != INVDES_OK ? err.status : INVDES_ERR_PARSE;
  invdes_table_free(tab);
  if (st != INVDES_OK) {
    invdes_serve_fail(r, st, &err);
    return;
  }
  json_t *arr = json_array();
  for (size_t i = 0; arr && i < n; i++)
    if (json_array_append_new(arr, json_integer(ids[i]))) {
      json_decref(arr);
      arr = NULL;
    }
  free(ids);
  invdes_serve_json(r, 200, arr ? json_pack("{s:o}", "ids", arr) : NULL);
}
