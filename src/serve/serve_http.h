/* serve_http.h — libmicrohttpd's callbacks of `invdes serve` (serve_http.c):
 * the access handler that gathers a request, authenticates it, routes it and
 * replies, and the completion handler that frees its state. */
#ifndef INVDES_SERVE_HTTP_H
#define INVDES_SERVE_HTTP_H

#include <microhttpd.h>

#include "serve.h"

/* libmicrohttpd's MHD_YES/MHD_NO (a typedef: a definition line starting
 * with `enum` would not read as a function to tests/sizes.sh). */
typedef enum MHD_Result invdes_serve_result;

typedef struct invdes_serve_http {
  invdes_serve_ctx *ctx;
  int in_flight; /* requests begun and not completed (atomic): a clean stop waits */
} invdes_serve_http;

invdes_serve_result invdes_serve_http_access(void *cls, struct MHD_Connection *c,
                                             const char *url,
                                             const char *method, const char *version,
                                             const char *upload_data, size_t *upload_size,
                                             void **con_cls);
/* libmicrohttpd's unescaping of the path and the query (MHD_OPTION_UNESCAPE_
 * CALLBACK), except that "%00" is kept as it is: decoded, its NUL would end
 * the C string there, and "/v1/status%00x" or "/v1/proposals/1%00/result"
 * would be answered as the shorter path. Kept, it matches no route (404)
 * and no token. Decodes in place; returns the new length. */
size_t invdes_serve_http_unescape(void *cls, struct MHD_Connection *c, char *s);
void invdes_serve_http_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                                 enum MHD_RequestTerminationCode toe);

#endif
