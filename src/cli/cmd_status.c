/* cmd_status.c — `invdes status`: where a campaign stands, read from its
 * database alone: results against the budget, proposals by status, the best
 * result so far by the one ranking (cli_best.h, as `invdes best`; for a
 * multi-objective campaign the Pareto front's size and hypervolume instead,
 * cli_front.h), and the pending proposals with
 * their stations and leases (expired ones marked). As text for people or as
 * one JSON object for scripts. Reads only; never changes the database. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include <jansson.h>

#include "cli_best.h"
#include "cli_front.h"
#include "cli_docs.h"
#include "cli_options.h"
#include "cli_station.h"
#include "commands.h"
#include "report.h"
#include "store.h"
#include "target.h"

/* Pending proposals listed in the text form; JSON lists all. */
#define STATUS_TEXT_PENDING_MAX 50

static const char status_usage[] =
    "usage: invdes status --db FILE [--format text|json]\n\n"
    "Shows a campaign database: results so far against the budget, proposals by\n"
    "status, the best result so far (ranked as `invdes best` ranks) and the\n"
    "pending proposals with their stations and leases (expired leases marked;\n"
    "the next ask offers those again). A multi-objective campaign has no single\n"
    "best: status gives its Pareto front's size and hypervolume (invdes best\n"
    "lists the front).\n\n"
    "  -d, --db FILE      the campaign database (required; never created)\n"
    "  -f, --format F     text (default) or json: {\"campaign\", \"database\",\n"
    "                     \"evaluated\", \"budget\", \"counts\": {...}, \"best\": {...}\n"
    "                     (as invdes best --format json: the front's summary\n"
    "                     and rows for a multi-objective campaign),\n"
    "                     \"pending\": [...]}\n"
    "  -h, --help         this text\n"
    "  -V, --version      print the version\n";

typedef struct status_data {
  invdes_store *s;
  invdes_campaign *c;  /* NULL when the stored text no longer parses here */
  invdes_store_counts counts;
  int64_t evaluated;
  invdes_store_best best;
  invdes_store_rows *best_row; /* the best proposal, NULL: none */
  invdes_store_rows *pending;
  int pareto;                 /* multi-objective: `front` replaces the best */
  invdes_cli_front_list front;
  double now;
} status_data;

static double wall_clock(void) {
  struct timeval tv;
  gettimeofday(&tv, NULL);
  return (double)tv.tv_sec + tv.tv_usec / 1e6;
}

static int expired(const invdes_store_proposal *p, double now) {
  return isfinite(p->lease_expires) && p->lease_expires < now;
}

/* The front in two lines: its size and the hypervolume. */
static void front_text(const status_data *d) {
  const invdes_front_summary *m = &d->front.sum;
  char hv[INVDES_REPORT_NUM_MAX];
  invdes_decimal_format(m->hypervolume, hv);
  printf("front      %zu result%s on the Pareto front, of %zu meeting every condition "
         "(invdes best lists them)\n", m->size, m->size == 1 ? "" : "s", m->candidates);
  printf("hypervolume %s\n", hv);
}

static void print_text(const status_data *d) {
  const invdes_store_counts *k = &d->counts;
  char when[INVDES_REPORT_NUM_MAX];
  printf("campaign   %s\n", invdes_store_campaign_name(d->s));
  printf("database   %s\n", invdes_store_path(d->s));
  if (d->c) printf("results    %" PRId64 " / %d", d->evaluated, d->c->budget.evaluations);
  else printf("results    %" PRId64 " / ? (the campaign text does not load here)", d->evaluated);
  printf(" (%" PRId64 " done, %" PRId64 " failed)\n", k->done, k->failed);
  printf("proposals  %" PRId64 " in %" PRId64 " batch%s: %" PRId64 " pending", k->proposals,
         k->batches, k->batches == 1 ? "" : "es", k->pending);
  if (k->pending_expired) printf(" (%" PRId64 " lease%s expired)", k->pending_expired,
                                 k->pending_expired == 1 ? "" : "s");
  if (k->partial) printf(", %" PRId64 " partial", k->partial);
  printf(", %" PRId64 " done, %" PRId64 " failed, %" PRId64 " abandoned\n", k->done, k->failed,
         k->abandoned);
  printf("\n");
  if (d->pareto) front_text(d);
  else invdes_cli_best_text(d->s, &d->best, d->best_row ? &d->best_row->items[0] : NULL);
  const invdes_store_rows *p = d->pending;
  printf("\npending\n");
  if (!p->n) {
    printf("  none\n");
    return;
  }
  printf("  %-8s %-16s %-6s %s\n", "id", "station", "offers", "lease until (UTC)");
  for (size_t i = 0; i < p->n && i < STATUS_TEXT_PENDING_MAX; i++) {
    const invdes_store_proposal *q = &p->items[i];
    invdes_report_time(q->lease_expires, when);
    printf("  %-8" PRId64 " %-16s %-6d %s%s\n", q->id, q->station ? q->station : "-", q->offers,
           when[0] ? when : "no lease", expired(q, d->now) ? "  EXPIRED" : "");
  }
  if (p->n > STATUS_TEXT_PENDING_MAX)
    printf("  ... %zu more (invdes status --format json lists all)\n",
           p->n - STATUS_TEXT_PENDING_MAX);
}

static json_t *status_json(const status_data *d) {
  const invdes_store_counts *k = &d->counts;
  json_t *o = json_object(), *counts = json_object(),
         *best = d->pareto ? invdes_cli_front_json(d->s, &d->front, NULL)
                           : invdes_cli_best_json(d->s, &d->best,
                                                  d->best_row ? &d->best_row->items[0] : NULL),
         *pend = json_array();
  int bad = !o || !counts || !best || !pend;
  if (bad) {
    json_decref(o), json_decref(counts), json_decref(best), json_decref(pend);
    return NULL;
  }
  bad |= json_object_set_new(o, "campaign", json_string(invdes_store_campaign_name(d->s)));
  bad |= json_object_set_new(o, "database", json_string(invdes_store_path(d->s)));
  bad |= json_object_set_new(o, "evaluated", json_integer(d->evaluated));
  bad |= json_object_set_new(o, "budget",
                             d->c ? json_integer(d->c->budget.evaluations) : json_null());
  bad |= json_object_set_new(counts, "proposals", json_integer(k->proposals));
  bad |= json_object_set_new(counts, "pending", json_integer(k->pending));
  bad |= json_object_set_new(counts, "pending_expired", json_integer(k->pending_expired));
  bad |= json_object_set_new(counts, "partial", json_integer(k->partial));
  bad |= json_object_set_new(counts, "done", json_integer(k->done));
  bad |= json_object_set_new(counts, "failed", json_integer(k->failed));
  bad |= json_object_set_new(counts, "abandoned", json_integer(k->abandoned));
  bad |= json_object_set_new(counts, "results", json_integer(k->results));
  bad |= json_object_set_new(counts, "batches", json_integer(k->batches));
  bad |= json_object_set_new(o, "counts", counts);
  bad |= json_object_set_new(o, "best", best);
  for (size_t i = 0; i < d->pending->n; i++) {
    const invdes_store_proposal *q = &d->pending->items[i];
    json_t *e = json_object();
    bad |= !e || json_array_append_new(pend, e);
    if (!e) break;
    bad |= json_object_set_new(e, "id", json_integer(q->id));
    bad |= json_object_set_new(e, "batch", json_integer(q->batch));
    bad |= json_object_set_new(e, "station", q->station ? json_string(q->station) : json_null());
    bad |= json_object_set_new(e, "offers", json_integer(q->offers));
    bad |= json_object_set_new(e, "lease_expires", invdes_report_time_json(q->lease_expires));
    bad |= json_object_set_new(e, "expired", json_boolean(expired(q, d->now)));
  }
  bad |= json_object_set_new(o, "pending", pend);
  if (bad) {
    json_decref(o);
    return NULL;
  }
  return o;
}

/* Reads everything status shows into d (d->s set); d->c is left to the
 * caller. Separate reads: a tell arriving meanwhile may show in some and not
 * others. */
static invdes_status status_read(status_data *d, invdes_error *err) {
  invdes_status st = invdes_store_counts_get(d->s, &d->counts, err);
  if (st == INVDES_OK) st = invdes_store_n_evaluated(d->s, &d->evaluated, err);
  d->pareto = invdes_cli_pareto(d->s);
  if (st == INVDES_OK && d->pareto) st = invdes_cli_front_read(d->s, &d->front, err);
  if (st == INVDES_OK && !d->pareto) st = invdes_cli_best_read(d->s, &d->best, &d->best_row, err);
  if (st == INVDES_OK) st = invdes_store_list(d->s, INVDES_PROPOSAL_PENDING, 0, &d->pending, err);
  d->now = wall_clock();
  return st;
}

static void status_release(status_data *d) {
  invdes_store_rows_free(d->pending);
  invdes_store_rows_free(d->best_row);
  invdes_cli_front_list_free(&d->front);
}

json_t *invdes_cli_status_doc(invdes_store *s, const invdes_campaign *c, invdes_error *err) {
  status_data d = {.s = s, .c = (invdes_campaign *)c};
  json_t *o = NULL;
  if (status_read(&d, err) == INVDES_OK && !(o = status_json(&d)))
    invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  status_release(&d);
  return o;
}

int invdes_cmd_status(int argc, char **argv) {
  const char *db;
  int json;
  int early = invdes_cli_report_options("status", status_usage, argc, argv, &db, &json);
  if (early >= 0) return early;
  int rc;
  status_data d = {0};
  if (!(d.s = invdes_cli_open_db("status", db, &rc))) return rc;
  invdes_error err;
  invdes_error_clear(&err);
  invdes_status st = status_read(&d, &err);
  if (st == INVDES_OK) {
    d.c = invdes_cli_db_campaign(d.s);
    if (json) {
      json_t *o = status_json(&d);
      if (!o || invdes_report_write_json(stdout, o, 2)) st = o ? INVDES_ERR_IO : INVDES_ERR_NOMEM;
      else putchar('\n');
      json_decref(o);
    } else {
      print_text(&d);
    }
    if (st != INVDES_OK) invdes_error_set(&err, st, "cannot write the status");
  }
  if (st != INVDES_OK) {
    fprintf(stderr, "invdes status: %s\n", st == INVDES_ERR_NOMEM && !err.message[0]
                                               ? "out of memory" : err.message);
    rc = invdes_cli_exit_for(st);
  }
  invdes_campaign_free(d.c);
  status_release(&d);
  invdes_store_close(d.s);
  return rc;
}
