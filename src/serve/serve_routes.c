/* serve_routes.c — the paths of `invdes serve` (docs/openapi.json) and who
 * may take them. Paths are matched exactly; a proposal id in a path is 1 to
 * 18 decimal digits and nothing else. An unknown path is 404, a known one
 * with another method 405 (with Allow), a role below the route's 403.
 * Handlers get a driver borrowed from the pool for the request's duration. */
#include "serve.h"

#include <stdio.h>
#include <string.h>

typedef void (*serve_handler)(invdes_serve_req *r, invdes_driver *d);

typedef struct route {
  const char *method;
  const char *path;   /* exact, or after "/v1/proposals/{id}" when by_id */
  int by_id;
  invdes_serve_role role;
  serve_handler fn;
} route;

static void get_openapi(invdes_serve_req *r, invdes_driver *d) {
  char *text = strdup(invdes_serve_openapi);
  if (!text) invdes_serve_error(r, 500, "internal", "out of memory");
  else invdes_serve_text(r, 200, "application/json", text, strlen(text));
}

static const route routes[] = {
    {"GET", "/", 0, INVDES_SERVE_VIEWER, invdes_serve_get_page},
    {"GET", "/v1/openapi.json", 0, INVDES_SERVE_NONE, get_openapi},
    {"GET", "/v1/whoami", 0, INVDES_SERVE_VIEWER, invdes_serve_get_whoami},
    {"GET", "/v1/etag", 0, INVDES_SERVE_VIEWER, invdes_serve_get_etag},
    {"GET", "/v1/campaign", 0, INVDES_SERVE_VIEWER, invdes_serve_get_campaign},
    {"GET", "/v1/status", 0, INVDES_SERVE_VIEWER, invdes_serve_get_status},
    {"GET", "/v1/best", 0, INVDES_SERVE_VIEWER, invdes_serve_get_best},
    {"GET", "/v1/proposals", 0, INVDES_SERVE_VIEWER, invdes_serve_get_proposals},
    {"GET", "/v1/export", 0, INVDES_SERVE_VIEWER, invdes_serve_get_export},
    {"POST", "/v1/ask", 0, INVDES_SERVE_STATION, invdes_serve_post_ask},
    {"POST", "/v1/import", 0, INVDES_SERVE_ADMIN, invdes_serve_post_import},
    {"GET", "", 1, INVDES_SERVE_VIEWER, invdes_serve_get_proposal},
    {"POST", "/result", 1, INVDES_SERVE_STATION, invdes_serve_post_result},
    {"POST", "/heartbeat", 1, INVDES_SERVE_STATION, invdes_serve_post_heartbeat},
    {"POST", "/amend", 1, INVDES_SERVE_ADMIN, invdes_serve_post_amend},
    {"POST", "/retract", 1, INVDES_SERVE_ADMIN, invdes_serve_post_retract},
};
enum { N_ROUTES = sizeof routes / sizeof routes[0] };

#define PROPOSALS_PREFIX "/v1/proposals/"

/* For a path under /v1/proposals/: the id and the rest after it. Returns 0,
 * or -1 when what follows the prefix does not start with 1 to 18 digits
 * making a number >= 1. */
static int split_id(const char *path, int64_t *id, const char **rest) {
  const char *p = path + strlen(PROPOSALS_PREFIX);
  int64_t v = 0;
  int n = 0;
  /* At most 18 digits are read (a 19th would overflow int64_t); one more
   * digit after them is refused, not read. */
  while (n < 18 && p[n] >= '0' && p[n] <= '9') v = v * 10 + (p[n] - '0'), n++;
  if (n == 0 || (p[n] >= '0' && p[n] <= '9') || v < 1) return -1;
  *id = v;
  *rest = p + n;
  return 0;
}

static int matches(const route *rt, const char *path, int by_id, const char *rest) {
  return rt->by_id ? by_id && strcmp(rt->path, rest) == 0 : !by_id && strcmp(rt->path, path) == 0;
}

void invdes_serve_route(invdes_serve_req *r) {
  int by_id = strncmp(r->path, PROPOSALS_PREFIX, strlen(PROPOSALS_PREFIX)) == 0;
  const char *rest = "";
  int64_t id = 0;
  if (by_id && split_id(r->path, &id, &rest) != 0) {
    invdes_serve_error(r, 404, "not_found", "no such path: a proposal id is a whole number "
                       ">= 1 in decimal digits (at most 18)");
    return;
  }
  const route *hit = NULL;
  char allow[32] = "";
  for (size_t i = 0; i < N_ROUTES; i++) {
    if (!matches(&routes[i], r->path, by_id, rest)) continue;
    if (strcmp(routes[i].method, r->method) == 0) hit = &routes[i];
    else if (!strstr(allow, routes[i].method))
      snprintf(allow + strlen(allow), sizeof allow - strlen(allow), "%s%s", *allow ? ", " : "",
               routes[i].method);
  }
  if (!hit && !*allow) {
    invdes_serve_error(r, 404, "not_found", "no such path (GET /v1/openapi.json lists them)");
    return;
  }
  r->id = id;
  if (!hit) {
    static const char get_head[] = "GET, HEAD", post[] = "POST";
    r->rep->allow = strcmp(allow, "GET") == 0 ? get_head : strcmp(allow, "POST") == 0 ? post
                                                                                     : "GET, POST";
    invdes_serve_error(r, 405, "method_not_allowed", "%s is not allowed here (allowed: %s)",
                       r->method, r->rep->allow);
    return;
  }
  if (r->role < hit->role) {
    invdes_serve_error(r, 403, "forbidden", "the role %s may not %s this path (it needs %s)",
                       invdes_serve_role_name(r->role), r->method,
                       invdes_serve_role_name(hit->role));
    return;
  }
  if (hit->fn == get_openapi) {
    hit->fn(r, NULL);
    return;
  }
  invdes_driver *d = invdes_serve_pool_take(r->ctx->pool);
  hit->fn(r, d);
  invdes_serve_pool_give(r->ctx->pool, d);
}
