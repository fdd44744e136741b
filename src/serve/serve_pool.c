/* serve_pool.c — the database connections of `invdes serve`: n drivers
 * opened at start, each with its own SQLite connection (a store handle is
 * used by one thread at a time), lent to one request at a time.
 *
 * Why a pool and not one connection behind a mutex: reads (status, export,
 * the page) would then wait for each other and for asks whose strategy is
 * thinking; with a connection per thread SQLite's WAL lets readers go on
 * beside a writer, and writers are ordered by SQLite's lock as between
 * processes. Why not one connection per request: opening checks the whole
 * file (store.h: PRAGMA integrity_check) and loads the campaign. With n =
 * --threads a request never waits for a connection. */
#include "serve.h"

#include <stdlib.h>

struct invdes_serve_pool {
  pthread_mutex_t lock;
  pthread_cond_t freed;
  invdes_driver **all;   /* n drivers */
  invdes_driver **idle;  /* the n_idle not lent out */
  size_t n, n_idle;
};

void invdes_serve_pool_close(invdes_serve_pool *p) {
  if (!p) return;
  for (size_t i = 0; i < p->n; i++) invdes_driver_free(p->all[i]);
  pthread_cond_destroy(&p->freed);
  pthread_mutex_destroy(&p->lock);
  free(p->all);
  free(p->idle);
  free(p);
}

invdes_serve_pool *invdes_serve_pool_open(const char *db, size_t n, double busy,
                                          invdes_error *err) {
  invdes_serve_pool *p = calloc(1, sizeof *p);
  if (!p || !(p->all = calloc(n, sizeof *p->all)) || !(p->idle = calloc(n, sizeof *p->idle))) {
    if (p) free(p->all);
    free(p);
    invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
    return NULL;
  }
  pthread_mutex_init(&p->lock, NULL);
  pthread_cond_init(&p->freed, NULL);
  for (; p->n < n; p->n++) {
    invdes_driver *d = invdes_driver_open_db(db, 0, err);
    if (!d) {
      invdes_serve_pool_close(p);
      return NULL;
    }
    invdes_store_set_timeout(invdes_driver_store(d), busy);
    p->all[p->n] = d;
    p->idle[p->n_idle++] = d;
  }
  return p;
}

invdes_driver *invdes_serve_pool_take(invdes_serve_pool *p) {
  pthread_mutex_lock(&p->lock);
  while (p->n_idle == 0) pthread_cond_wait(&p->freed, &p->lock);
  invdes_driver *d = p->idle[--p->n_idle];
  pthread_mutex_unlock(&p->lock);
  return d;
}

void invdes_serve_pool_give(invdes_serve_pool *p, invdes_driver *d) {
  pthread_mutex_lock(&p->lock);
  p->idle[p->n_idle++] = d;
  pthread_cond_signal(&p->freed);
  pthread_mutex_unlock(&p->lock);
}
