/* serve_http.c — libmicrohttpd's side of `invdes serve`: a request's body
 * gathered under the cap, the caller identified from its bearer token (or
 * the live page's ?token= and cookie), the route run with a borrowed
 * driver, the reply sent with its headers, one access line logged. The only
 * file that talks to libmicrohttpd's request API; handlers see a
 * invdes_serve_req and fill its reply. */
#include "serve_http.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "report.h"

/* One request's state across libmicrohttpd's calls. */
typedef struct conn_state {
  struct timespec start;
  char *body;
  size_t len, cap;
  int too_large;
  int replied;   /* a reply is queued: whatever still comes is dropped */
  invdes_serve_http *http;
} conn_state;

static double ms_since(const struct timespec *t0) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

/* ---- replies ------------------------------------------------------------ */

static void set_body(invdes_serve_reply *rep, int http, const char *type, char *text,
                     size_t len) {
  free(rep->body);
  rep->status = http;
  rep->type = type;
  rep->body = text;
  rep->len = len;
}

void invdes_serve_text(invdes_serve_req *r, int http, const char *type, char *text, size_t len) {
  set_body(r->rep, http, type, text, len);
}

void invdes_serve_error(invdes_serve_req *r, int http, const char *code, const char *fmt, ...) {
  char msg[INVDES_ERROR_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  json_t *o = json_pack("{s{ssss}}", "error", "code", code, "message", msg);
  char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
  json_decref(o);
  if (!text) { /* out of memory: a fixed body */
    static const char none[] = "{\"error\": {\"code\": \"internal\", \"message\": \"out of memory\"}}";
    text = strdup(none);
    http = 500;
  }
  set_body(r->rep, http, "application/json", text, text ? strlen(text) : 0);
  r->rep->retry_after = http == 503 ? INVDES_SERVE_RETRY_AFTER : 0;
}

void invdes_serve_fail(invdes_serve_req *r, invdes_status st, const invdes_error *err) {
  const char *msg = err && err->message[0] ? err->message : invdes_status_string(st);
  switch (st) {
  case INVDES_ERR_DB:
    invdes_serve_error(r, 503, "busy", "%s (nothing was recorded; retry)", msg);
    return;
  case INVDES_ERR_HELD: invdes_serve_error(r, 403, "not_yours", "%s", msg); return;
  case INVDES_ERR_NOMEM:
  case INVDES_ERR_IO:
  case INVDES_ERR_NUMERIC:
  case INVDES_ERR_EVAL:
  case INVDES_OK: invdes_serve_error(r, 500, "internal", "%s", msg); return;
  case INVDES_ERR_PARSE:
  case INVDES_ERR_INVALID:
  case INVDES_ERR_INFEASIBLE:
  case INVDES_ERR_USAGE: invdes_serve_error(r, 400, "bad_request", "%s", msg); return;
  }
  invdes_serve_error(r, 500, "internal", "%s", msg);
}

void invdes_serve_json(invdes_serve_req *r, int http, json_t *doc) {
  char *text = NULL;
  size_t len = 0;
  FILE *f = doc ? open_memstream(&text, &len) : NULL;
  int bad = !f;
  if (f) {
    bad = invdes_report_write_json(f, doc, 2) != 0 || fputc('\n', f) == EOF;
    bad |= fclose(f) != 0;
  }
  json_decref(doc);
  if (bad) {
    free(text);
    invdes_serve_error(r, 500, "internal", "out of memory");
    return;
  }
  set_body(r->rep, http, "application/json", text, len);
}

/* ---- the path as sent -------------------------------------------------- */

static int hex_digit(char ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

size_t invdes_serve_http_unescape(void *cls, struct MHD_Connection *c, char *s) {
  char *w = s;
  for (const char *p = s; *p; p++) {
    int hi, lo; /* p[2] is read only when p[1] is a digit, so not past the end */
    if (p[0] == '%' && (hi = hex_digit(p[1])) >= 0 && (lo = hex_digit(p[2])) >= 0 &&
        (hi | lo) != 0) {
      *w++ = (char)(hi * 16 + lo);
      p += 2;
    } else {
      *w++ = *p;
    }
  }
  *w = '\0';
  return (size_t)(w - s);
}

/* ---- who is calling ----------------------------------------------------- */

static const char *lookup(void *conn, enum MHD_ValueKind kind, const char *key) {
  return MHD_lookup_connection_value((struct MHD_Connection *)conn, kind, key);
}
static const char *query_of(void *conn, const char *key) {
  return lookup(conn, MHD_GET_ARGUMENT_KIND, key);
}
static const char *header_of(void *conn, const char *key) {
  return lookup(conn, MHD_HEADER_KIND, key);
}

/* The token presented: "Authorization: Bearer T"; for a GET also the
 * page's cookie, and for GET / the ?token= argument (*from_query set). */
static const char *presented(invdes_serve_req *r, int *from_query) {
  *from_query = 0;
  const char *auth = header_of(r->conn, MHD_HTTP_HEADER_AUTHORIZATION);
  if (auth) {
    if (strncasecmp(auth, "Bearer ", 7) != 0) return "";
    auth += 7;
    while (*auth == ' ') auth++;
    return auth;
  }
  if (strcmp(r->method, "GET") != 0) return NULL;
  const char *q = strcmp(r->path, "/") == 0 ? query_of(r->conn, "token") : NULL;
  if (q) {
    *from_query = 1;
    return q;
  }
  return lookup(r->conn, MHD_COOKIE_KIND, "invdes_token");
}

/* Sets r->who and r->role; 0, or -1 with a 401 reply. */
static int authenticate(invdes_serve_req *r) {
  if (!r->ctx->tokens) {
    r->role = INVDES_SERVE_ADMIN;
    return 0;
  }
  int from_query;
  const char *tok = presented(r, &from_query);
  if (strcmp(r->path, "/v1/openapi.json") == 0) return 0; /* public */
  r->role = tok ? invdes_serve_tokens_find(r->ctx->tokens, tok, strlen(tok), &r->who)
                : INVDES_SERVE_NONE;
  if (r->role == INVDES_SERVE_NONE) {
    invdes_serve_error(r, 401, "unauthorized", tok ? "unknown token" :
                       "no token: send Authorization: Bearer TOKEN (a token of the server's "
                       "--tokens file)");
    r->rep->www_authenticate = 1;
    return -1;
  }
  if (from_query)
    snprintf(r->rep->cookie, sizeof r->rep->cookie,
             "invdes_token=%s; HttpOnly; SameSite=Strict; Path=/%s", tok,
             r->ctx->tls ? "; Secure" : "");
  return 0;
}

/* ---- the callback ------------------------------------------------------- */

static enum MHD_Result send_reply(struct MHD_Connection *c, invdes_serve_reply *rep) {
  struct MHD_Response *resp = MHD_create_response_from_buffer(rep->len, rep->body,
                                                              MHD_RESPMEM_MUST_FREE);
  if (!resp) return MHD_NO;
  rep->body = NULL; /* the response owns it now */
  if (rep->type) MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, rep->type);
  MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
  MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
  if (rep->etag[0]) MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, rep->etag);
  if (rep->cookie[0]) MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, rep->cookie);
  if (rep->allow) MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, rep->allow);
  if (rep->www_authenticate)
    MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
  if (rep->retry_after > 0) {
    char s[16];
    snprintf(s, sizeof s, "%d", rep->retry_after);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, s);
  }
  enum MHD_Result ok = MHD_queue_response(c, (unsigned)rep->status, resp);
  MHD_destroy_response(resp);
  return ok;
}

static void log_line(const invdes_serve_req *r, const conn_state *cs) {
  char when[INVDES_REPORT_NUM_MAX], id[24] = "-";
  struct timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  invdes_report_time((double)t.tv_sec + (double)t.tv_nsec / 1e9, when);
  if (r->id > 0) snprintf(id, sizeof id, "%" PRId64, r->id);
  const char *who = r->station[0] ? r->station : r->who ? r->who : "-";
  /* The path is printed as given up to 200 bytes, control bytes as '?':
   * one request is one line whatever it sent. */
  char path[201];
  size_t k = 0;
  for (; r->path[k] && k < sizeof path - 1; k++)
    path[k] = (unsigned char)r->path[k] < 0x20 || r->path[k] == 0x7f ? '?' : r->path[k];
  path[k] = '\0';
  fprintf(stderr, "%s %s %s %s id=%s %d %.1fms\n", when, who, r->method, path, id,
          r->rep->status, ms_since(&cs->start));
}

/* The whole request is in: authenticate, route, reply, log. */
static enum MHD_Result complete(invdes_serve_http *h, struct MHD_Connection *c, const char *url,
                                const char *method, conn_state *cs) {
  invdes_serve_reply rep = {0};
  invdes_serve_req r = {.ctx = h->ctx, .method = strcmp(method, "HEAD") ? method : "GET",
                        .path = url, .body = cs->body ? cs->body : "", .len = cs->len,
                        .query = query_of, .header = header_of, .conn = c, .rep = &rep};
  if (cs->too_large)
    invdes_serve_error(&r, 413, "too_large", "the request body is over %d bytes",
                       INVDES_SERVE_BODY_MAX);
  else if (authenticate(&r) == 0)
    invdes_serve_route(&r);
  if (!rep.status) invdes_serve_error(&r, 500, "internal", "no reply was made");
  enum MHD_Result ok = send_reply(c, &rep);
  cs->replied = 1;
  free(rep.body);
  log_line(&r, cs);
  return ok;
}

invdes_serve_result invdes_serve_http_access(void *cls, struct MHD_Connection *c,
                                             const char *url,
                                             const char *method, const char *version,
                                             const char *upload_data, size_t *upload_size,
                                             void **con_cls) {
  invdes_serve_http *h = cls;
  conn_state *cs = *con_cls;
  if (!cs) {
    if (!(cs = calloc(1, sizeof *cs))) return MHD_NO;
    clock_gettime(CLOCK_MONOTONIC, &cs->start);
    cs->http = h;
    *con_cls = cs;
    __atomic_add_fetch(&h->in_flight, 1, __ATOMIC_SEQ_CST);
    /* A declared length over the cap is refused before a byte is read. */
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                 MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (cl && strtoull(cl, NULL, 10) > INVDES_SERVE_BODY_MAX) {
      cs->too_large = 1;
      return complete(h, c, url, method, cs);
    }
    return MHD_YES;
  }
  if (cs->replied) { /* the 413 above went out before the body came */
    *upload_size = 0;
    return MHD_YES;
  }
  if (*upload_size) {
    if (!cs->too_large && cs->len + *upload_size > INVDES_SERVE_BODY_MAX) {
      cs->too_large = 1; /* the rest is read and dropped; the reply is 413 */
      free(cs->body);
      cs->body = NULL;
      cs->len = 0;
    }
    if (!cs->too_large) {
      if (cs->len + *upload_size + 1 > cs->cap) {
        size_t cap = (cs->len + *upload_size + 1) * 2;
        if (cap > INVDES_SERVE_BODY_MAX + 1) cap = INVDES_SERVE_BODY_MAX + 1;
        char *b = realloc(cs->body, cap);
        if (!b) return MHD_NO;
        cs->body = b;
        cs->cap = cap;
      }
      memcpy(cs->body + cs->len, upload_data, *upload_size);
      cs->len += *upload_size;
      cs->body[cs->len] = '\0';
    }
    *upload_size = 0;
    return MHD_YES;
  }
  return complete(h, c, url, method, cs);
}

void invdes_serve_http_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                                 enum MHD_RequestTerminationCode toe) {
  conn_state *cs = *con_cls;
  if (!cs) return;
  __atomic_sub_fetch(&cs->http->in_flight, 1, __ATOMIC_SEQ_CST);
  free(cs->body);
  free(cs);
  *con_cls = NULL;
}
