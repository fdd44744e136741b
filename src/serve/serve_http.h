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
void invdes_serve_http_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                                 enum MHD_RequestTerminationCode toe);

#endif
