/* cli_front.c — the front of a database's proposals (cli_front.h): lays the
 * listed values out as the n × T matrix target.h's invdes_targets_front takes.
 * The targets are copied out of the store one by one (the store hands them
 * out singly, invdes_store_target). */
#include "cli_front.h"

#include <stdlib.h>
#include <string.h>

/* The store's targets as one array (a shallow copy: names borrowed). */
static invdes_target *targets_of(const invdes_store *s, size_t *T) {
  *T = invdes_store_n_targets(s);
  invdes_target *t = calloc(*T ? *T : 1, sizeof *t);
  for (size_t i = 0; t && i < *T; i++) t[i] = *invdes_store_target(s, i);
  return t;
}

int invdes_cli_pareto(const invdes_store *s) {
  size_t T;
  invdes_target *t = targets_of(s, &T);
  int pareto = t && invdes_targets_pareto(t, T);
  free(t);
  return pareto;
}

invdes_status invdes_cli_front(const invdes_store *s, const invdes_store_rows *rows, size_t *rank,
                               double *ref, invdes_front_summary *sum, invdes_error *err) {
  size_t T, n = rows->n;
  invdes_target *t = targets_of(s, &T);
  double *values = malloc((n ? n : 1) * (T ? T : 1) * sizeof *values);
  int *failed = malloc((n ? n : 1) * sizeof *failed);
  invdes_status st = INVDES_OK;
  if (!t || !values || !failed) {
    st = invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory ranking %zu results", n);
  } else {
    for (size_t i = 0; i < n; i++) {
      const invdes_store_proposal *p = &rows->items[i];
      memcpy(values + i * T, p->value, T * sizeof *values);
      failed[i] = p->status == INVDES_PROPOSAL_FAILED;
    }
    st = invdes_targets_front(t, T, values, failed, n, rank, ref, sum, err);
  }
  free(t), free(values), free(failed);
  return st;
}
