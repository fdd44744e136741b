/* serve_main.c — `invdes serve`: reads the options and the tokens file,
 * opens the database connections, starts libmicrohttpd on the address asked
 * for, waits for SIGTERM or SIGINT and stops cleanly: the listening socket
 * closed first, requests under way finished, then every connection to the
 * database closed. The only file of the server that prints outside the
 * access log. */
#include "serve.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cli_options.h"
#include "cli_station.h"
#include "commands.h"
#include "file.h"
#include "serve_http.h"

/* Seconds a stop waits for requests under way before closing anyway. */
#define SERVE_STOP_GRACE 30.0

static const char serve_usage[] =
    "usage: invdes serve --db FILE [--listen ADDR:PORT] [--tokens FILE]\n"
    "                    [--tls-cert CERT.pem --tls-key KEY.pem] [--threads N]\n"
    "                    [--busy-timeout SECONDS]\n\n"
    "Serves a campaign database over HTTP/JSON so that stations on other hosts\n"
    "can ask for proposals, heartbeat and post results (docs/serve.md; the API\n"
    "is docs/openapi.json, also at GET /v1/openapi.json), with a live campaign\n"
    "page at /. The command-line verbs keep working on the same database.\n\n"
    "  -d, --db FILE        the campaign database (required; never created)\n"
    "  --listen ADDR:PORT   where to listen (default 127.0.0.1:8080; [::1]:PORT\n"
    "                       for IPv6; port 0 picks a free one, printed at start)\n"
    "  --tokens FILE        who may connect: lines `TOKEN NAME ROLE` (roles\n"
    "                       station, viewer, admin); the file must be private\n"
    "                       (chmod 600). Without it: loopback only, no token,\n"
    "                       every request may read and write\n"
    "  --tls-cert FILE      serve HTTPS with this PEM certificate...\n"
    "  --tls-key FILE       ...and its PEM private key\n"
    "  --threads N          requests answered at once, 1 to 64 (default 4)\n"
    "  --busy-timeout S     how long a request waits for another writer's lock\n"
    "                       before it is answered 503 busy (default 5)\n"
    "  -h, --help           this text\n"
    "  -V, --version        print the version\n\n"
    "Prints `invdes serve: listening on URL` on stderr when ready, then one line\n"
    "per request: time, station, method, path, proposal id, status, duration.\n"
    "SIGTERM or SIGINT stop it: requests under way finish, the database is\n"
    "closed, exit status 0.\n";

typedef struct serve_opts {
  const char *db, *listen, *tokens, *cert, *key;
  unsigned long long threads;
  double busy;
} serve_opts;

/* "HOST:PORT", "[V6]:PORT" into a socket address; 0 or -1 (message printed). */
static int parse_listen(const char *text, struct sockaddr_storage *addr, socklen_t *len) {
  char host[256];
  const char *colon = strrchr(text, ':'), *port = colon ? colon + 1 : NULL;
  size_t hl = colon ? (size_t)(colon - text) : 0;
  if (hl >= 2 && text[0] == '[' && text[hl - 1] == ']') text++, hl -= 2;
  if (!colon || !hl || hl >= sizeof host || !*port || strspn(port, "0123456789") != strlen(port) ||
      strtoul(port, NULL, 10) > 65535) {
    fprintf(stderr, "invdes serve: --listen '%s': expected ADDR:PORT (127.0.0.1:8080, "
                    "[::1]:8080, 0.0.0.0:8080)\n", text);
    return -1;
  }
  memcpy(host, text, hl);
  host[hl] = '\0';
  struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                           .ai_flags = AI_NUMERICSERV}, *res = NULL;
  int rc = getaddrinfo(host, port, &hints, &res);
  if (rc != 0 || !res) {
    fprintf(stderr, "invdes serve: --listen '%s': %s\n", text, gai_strerror(rc));
    return -1;
  }
  memcpy(addr, res->ai_addr, res->ai_addrlen);
  *len = res->ai_addrlen;
  freeaddrinfo(res);
  return 0;
}

static int is_loopback(const struct sockaddr_storage *a) {
  if (a->ss_family == AF_INET)
    return (ntohl(((const struct sockaddr_in *)a)->sin_addr.s_addr) >> 24) == 127;
  if (a->ss_family == AF_INET6) {
    const struct in6_addr *v6 = &((const struct sockaddr_in6 *)a)->sin6_addr;
    return IN6_IS_ADDR_LOOPBACK(v6) ||
           (IN6_IS_ADDR_V4MAPPED(v6) && v6->s6_addr[12] == 127);
  }
  return 0;
}

/* Reads a PEM file whole (libmicrohttpd takes them in memory). */
static char *read_pem(const char *path) {
  char *text = NULL;
  size_t len = 0;
  invdes_error err;
  invdes_error_clear(&err);
  FILE *f = fopen(path, "rb");
  if (!f || invdes_file_read_stream(f, path, &text, &len, &err) != INVDES_OK) {
    fprintf(stderr, "invdes serve: %s: %s\n", path, f ? err.message : strerror(errno));
    if (f) fclose(f);
    return NULL;
  }
  fclose(f);
  return text;
}

static struct MHD_Daemon *start(const serve_opts *o, invdes_serve_http *h,
                                struct sockaddr_storage *addr, const char *cert,
                                const char *key) {
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ITC |
                   MHD_USE_ERROR_LOG | (cert ? MHD_USE_TLS : 0) |
                   (addr->ss_family == AF_INET6 ? MHD_USE_IPv6 : 0);
  return MHD_start_daemon(
      flags, 0, NULL, NULL, invdes_serve_http_access, h,
      MHD_OPTION_SOCK_ADDR, (struct sockaddr *)addr,
      MHD_OPTION_THREAD_POOL_SIZE, (unsigned)o->threads,
      MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)INVDES_SERVE_IDLE_TIMEOUT,
      MHD_OPTION_NOTIFY_COMPLETED, invdes_serve_http_completed, h,
      MHD_OPTION_UNESCAPE_CALLBACK, invdes_serve_http_unescape, NULL,
      cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, cert,
      MHD_OPTION_HTTPS_MEM_KEY, key, MHD_OPTION_END);
}

/* The write end of the stop pipe. A signal may be delivered to any thread,
 * among them threads of libraries started before main (OpenBLAS's pool), so
 * blocking it in ours and waiting with sigwait is not enough: the handler
 * runs wherever it lands and only writes one byte, which the main thread
 * reads. A handler reaches nothing but a global, hence this one. */
static int stop_fd = -1;

static void on_stop(int sig) {
  unsigned char b = (unsigned char)sig;
  ssize_t w = write(stop_fd, &b, 1);
  (void)w; /* the pipe holds the first byte already when it fails */
}

/* Installs the handler for SIGTERM and SIGINT; the read end of the pipe, or
 * -1. */
static int catch_stop(void) {
  int p[2];
  if (pipe(p) != 0) return -1;
  fcntl(p[0], F_SETFD, FD_CLOEXEC);
  fcntl(p[1], F_SETFD, FD_CLOEXEC);
  fcntl(p[1], F_SETFL, O_NONBLOCK);
  stop_fd = p[1];
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_stop;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);
  return p[0];
}

/* Runs until SIGTERM/SIGINT; the exit status. */
static int run(const serve_opts *o, invdes_serve_ctx *ctx, struct sockaddr_storage *addr,
               const char *cert, const char *key) {
  invdes_serve_http h = {.ctx = ctx};
  int stop = catch_stop();
  if (stop < 0) {
    fprintf(stderr, "invdes serve: cannot make a pipe: %s\n", strerror(errno));
    return INVDES_EXIT_FAILURE;
  }
  struct MHD_Daemon *daemon = start(o, &h, addr, cert, key);
  if (!daemon) {
    fprintf(stderr, "invdes serve: cannot listen on %s (address in use, not this host's, or "
                    "a bad TLS certificate or key)\n", o->listen);
    return INVDES_EXIT_FAILURE;
  }
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
  char shown[300];
  snprintf(shown, sizeof shown, "%s", o->listen);
  char *colon = strrchr(shown, ':');
  if (colon && info) snprintf(colon + 1, sizeof shown - (size_t)(colon + 1 - shown), "%u",
                              (unsigned)info->port);
  fprintf(stderr, "invdes serve: listening on %s://%s/ (database %s, %llu thread%s, %s)\n",
          cert ? "https" : "http", shown, o->db, o->threads, o->threads == 1 ? "" : "s",
          ctx->tokens ? "tokens required" : "no --tokens: loopback only, every request may "
                                            "read and write");
  unsigned char sig = 0;
  while (read(stop, &sig, 1) < 0 && errno == EINTR) {
  }
  fprintf(stderr, "invdes serve: %s: stopping (requests under way finish)\n",
          sig == SIGINT ? "SIGINT" : "SIGTERM");
  MHD_socket ls = MHD_quiesce_daemon(daemon); /* no new connection from here on */
  if (ls != MHD_INVALID_SOCKET) close(ls);
  struct timespec pause = {0, 10 * 1000 * 1000};
  for (double waited = 0; __atomic_load_n(&h.in_flight, __ATOMIC_SEQ_CST) > 0 &&
                          waited < SERVE_STOP_GRACE; waited += 0.01)
    nanosleep(&pause, NULL);
  MHD_stop_daemon(daemon);
  return INVDES_EXIT_OK;
}

int invdes_cmd_serve(int argc, char **argv) {
  serve_opts o = {.listen = "127.0.0.1:8080", .threads = 4, .busy = INVDES_SERVE_DB_TIMEOUT};
  const invdes_cli_opt opts[] = {
      INVDES_CLI_OPT("db", "FILE", INVDES_OPT_TEXT, &o.db, .required = 1),
      INVDES_CLI_OPT("listen", "ADDR:PORT", INVDES_OPT_TEXT, &o.listen),
      INVDES_CLI_OPT("tokens", "FILE", INVDES_OPT_TEXT, &o.tokens),
      INVDES_CLI_OPT("tls-cert", "FILE", INVDES_OPT_TEXT, &o.cert),
      INVDES_CLI_OPT("tls-key", "FILE", INVDES_OPT_TEXT, &o.key),
      INVDES_CLI_OPT("threads", "N", INVDES_OPT_WHOLE, &o.threads, .lo = 1, .hi = 64),
      INVDES_CLI_OPT("busy-timeout", "SECONDS", INVDES_OPT_SECONDS, &o.busy, .lo = 1, .hi = 3600),
      {NULL}};
  int first, rc = invdes_cli_parse("serve", serve_usage, opts, argc, argv, &first);
  if (rc == -1 && first != argc)
    rc = invdes_cli_usage_error("serve", "unexpected argument '%s'", argv[first]);
  if (rc == -1 && !o.cert != !o.key)
    rc = invdes_cli_usage_error("serve", "--tls-cert and --tls-key go together");
  if (rc != -1) return rc;
  struct sockaddr_storage addr = {0};
  socklen_t alen;
  if (parse_listen(o.listen, &addr, &alen)) return INVDES_EXIT_USAGE;
  if (!o.tokens && !is_loopback(&addr)) {
    fprintf(stderr, "invdes serve: --listen %s is not a loopback address: without --tokens "
                    "anyone reaching it could read and write the campaign; give --tokens FILE "
                    "(docs/security.md)\n", o.listen);
    return INVDES_EXIT_USAGE;
  }
  if (o.cert && !MHD_is_feature_supported(MHD_FEATURE_TLS)) {
    fprintf(stderr, "invdes serve: this libmicrohttpd was built without TLS\n");
    return INVDES_EXIT_FAILURE;
  }
  invdes_error err;
  invdes_error_clear(&err);
  invdes_serve_tokens *tokens = NULL;
  if (o.tokens && !(tokens = invdes_serve_tokens_load(o.tokens, &err))) {
    fprintf(stderr, "invdes serve: %s\n", err.message);
    return err.status == INVDES_ERR_NOMEM ? INVDES_EXIT_FAILURE : INVDES_EXIT_USAGE;
  }
  invdes_store *db = invdes_cli_open_db("serve", o.db, &rc); /* the verbs' messages */
  int probe = db != NULL;
  invdes_store_close(db);
  invdes_serve_ctx ctx = {.tokens = tokens, .tls = o.cert != NULL};
  char *cert = probe && o.cert ? read_pem(o.cert) : NULL, *key = cert ? read_pem(o.key) : NULL;
  if (probe && o.cert && !key) rc = INVDES_EXIT_USAGE;
  if (probe && rc == INVDES_EXIT_OK && !(ctx.pool = invdes_serve_pool_open(o.db, o.threads, o.busy, &err))) {
    fprintf(stderr, "invdes serve: %s\n", err.message);
    rc = invdes_cli_exit_for(err.status);
  }
  if (ctx.pool) {
    pthread_mutex_init(&ctx.etag_lock, NULL);
    rc = run(&o, &ctx, &addr, cert, key);
    invdes_serve_pool_close(ctx.pool);
    pthread_mutex_destroy(&ctx.etag_lock);
    if (rc == INVDES_EXIT_OK) fprintf(stderr, "invdes serve: stopped; database closed\n");
  }
  if (key) memset(key, 0, strlen(key));
  free(cert);
  free(key);
  invdes_serve_tokens_free(tokens);
  return rc;
}
