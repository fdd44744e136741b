/* cmd_best.c — `invdes best`: the best result so far by the one ranking
 * (target.h; the store's invdes_store_best_result): results meeting every
 * condition first and the best objective among them; when none meets them,
 * the least normalized violation; ties to the older proposal. Prints which
 * ranking named it, every target's value on it and its parameters. A
 * multi-objective campaign has no single best: its Pareto front is listed
 * instead (cli_front.h). When sd's are reported for noisy measurements the
 * recommendation is the model's instead (cli_recommend.h): the evaluated
 * point whose posterior mean ranks best, and the output says so; a noise the
 * model learns without reported sd's gets a note. Text for people, JSON for
 * scripts, CSV rows in the export's columns for spreadsheets. Reads only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli_best.h"
#include "cli_front.h"
#include "cli_docs.h"
#include "cli_options.h"
#include "cli_recommend.h"
#include "cli_station.h"
#include "commands.h"
#include "report.h"
#include "store.h"

enum { BEST_TEXT, BEST_JSON, BEST_CSV };

static const char best_usage[] =
    "usage: invdes best --db FILE [--format text|csv|json]\n\n"
    "Shows the best result so far and its parameters. One ranking, the same as\n"
    "status and run's progress line: results that meet every condition (window,\n"
    "below, above) come first, and among them the best objective (maximize,\n"
    "minimize; several: their weighted sum); when no result meets every\n"
    "condition, the one with the least normalized violation (distance outside\n"
    "a window over its width, beyond a threshold over |threshold|; a condition\n"
    "not measured counts as unmet). Ties go to the older proposal. The output\n"
    "says which ranking applied.\n\n"
    "A multi-objective campaign (two or more maximize/minimize targets, none\n"
    "with a weight) has no single best: best lists its Pareto front, the\n"
    "results that meet every condition and that no other such result beats on\n"
    "every objective, sorted by the first objective (best first), with the\n"
    "hypervolume and its reference point (docs/campaign-format.md).\n\n"
    "With noisy measurements (an sd > 0 reported: tell --sd, <target>_sd)\n"
    "best recommends the evaluated point whose posterior mean in a model of\n"
    "the results (a GP with the sd's as per-point noise) ranks best, the same\n"
    "way, and says so: \"recommended by the model's posterior mean; measured\n"
    "value ...\" (JSON: \"ranking\" and \"recommended_by\": \"posterior_mean\",\n"
    "\"note\", \"best_measured\", and per target \"posterior_mean\", \"noisy\",\n"
    "\"sd_reported\"). When no sd is reported but the model finds noise of at\n"
    "least 10% of a target's spread (20 to 1000 results), the ranking stays\n"
    "and a note names the model's choice (JSON: \"note\", \"model_recommends\").\n\n"
    "  -d, --db FILE      the campaign database (required; never created)\n"
    "  -f, --format F     text (default), csv (the columns of invdes export, one\n"
    "                     row per result listed) or json: {\"proposal\", \"batch\",\n"
    "                     \"ranking\": \"meets_all\" or \"least_violation\",\n"
    "                     \"violation\", \"n_ranked\", \"n_meeting\", \"targets\":\n"
    "                     [{\"target\", \"goal\" (with \"window\" or \"threshold\"),\n"
    "                     \"value\", \"sd\", \"meets\"}], \"parameters\": {...}}\n"
    "                     (null where nothing exists yet); for a\n"
    "                     multi-objective campaign {\"ranking\": \"pareto\",\n"
    "                     \"n_results\", \"n_meeting\", \"n_front\",\n"
    "                     \"hypervolume\", \"reference\": [{\"target\", \"value\",\n"
    "                     \"given\"}], \"front\": [export rows]}\n"
    "  -h, --help         this text\n"
    "  -V, --version      print the version\n";

static void print_parameters(const invdes_store_proposal *p) {
  json_error_t jerr;
  json_t *params = json_loads(p->parameters ? p->parameters : "{}", 0, &jerr);
  const char *key;
  json_t *v;
  printf("parameters\n");
  if (params) json_object_foreach(params, key, v) {
      printf("  %-16s ", key);
      if (json_is_string(v)) fputs(json_string_value(v), stdout);
      else invdes_report_write_json(stdout, v, 0);
      putchar('\n');
    }
  json_decref(params);
}

/* One best result (one objective, or a weighted sum): text, JSON or one
 * export row. With reported sd's the model's recommendation replaces the
 * measured best and says so (cli_recommend.h); a noise the model learns
 * without them adds a note. */
static invdes_status best_single(invdes_store *s, int format, json_t **doc,
                                 invdes_error *err) {
  invdes_store_best b;
  invdes_store_rows *rows = NULL, *rrows = NULL; /* rrows: the recommended proposal */
  invdes_recommendation rec = {0};
  invdes_status st = invdes_cli_best_read(s, &b, &rows, err);
  if (st == INVDES_OK && b.proposal && invdes_cli_recommend(s, &rec) &&
      invdes_cli_recommend_reported(&rec))
    st = invdes_store_get(s, &rec.id, 1, &rrows, err);
  const invdes_store_proposal *p = rrows && rrows->n ? &rrows->items[0]
                                   : rows && rows->n ? &rows->items[0] : NULL;
  if (st == INVDES_OK && format == BEST_JSON) {
    json_t *o = invdes_cli_best_json(s, &b, p);
    if (o && (rrows ? invdes_cli_recommend_json(s, &rec, p, b.proposal, o)
              : rec.by_model ? invdes_cli_recommend_note_json(s, &rec, o) : 0)) {
      json_decref(o);
      o = NULL;
    }
    if (!o) st = invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
    *doc = o;
  } else if (st == INVDES_OK && format == BEST_CSV) {
    invdes_store_rows none = {0};
    invdes_store_rows *out = rrows ? rrows : rows ? rows : &none;
    st = invdes_report_write_csv_ranked(stdout, s, out, NULL, err);
  } else if (st == INVDES_OK) {
    if (rrows) invdes_cli_recommend_text(s, &rec, p, b.proposal);
    else invdes_cli_best_text(s, &b, p);
    if (!rrows && rec.by_model) invdes_cli_recommend_note_text(s, &rec);
    if (p) print_parameters(p);
  }
  invdes_store_rows_free(rows);
  invdes_store_rows_free(rrows);
  invdes_recommendation_release(&rec);
  return st;
}

/* A multi-objective campaign: its Pareto front. With an empty front the
 * text also names the result nearest to meeting the conditions. */
static invdes_status best_front(invdes_store *s, int format, json_t **doc,
                                invdes_error *err) {
  invdes_cli_front_list f;
  invdes_status st = invdes_cli_front_read(s, &f, err);
  if (st == INVDES_OK && format == BEST_JSON) {
    *doc = invdes_cli_front_json(s, &f, err);
    if (!*doc) st = err->status != INVDES_OK ? err->status : INVDES_ERR_NOMEM;
  } else if (st == INVDES_OK && format == BEST_CSV) {
    st = invdes_cli_front_csv(stdout, s, &f, err);
  } else if (st == INVDES_OK) {
    invdes_cli_front_text(s, &f);
    if (!f.sum.candidates && f.n_results) {
      printf("nearest to meeting every condition:\n");
      st = best_single(s, BEST_TEXT, NULL, err);
    }
  }
  invdes_cli_front_list_free(&f);
  return st;
}

/* The best as `--format json` has it (`invdes serve`'s GET /v1/best too). */
json_t *invdes_cli_best_doc(invdes_store *s, invdes_error *err) {
  json_t *doc = NULL;
  invdes_status st = invdes_cli_pareto(s) ? best_front(s, BEST_JSON, &doc, err)
                                          : best_single(s, BEST_JSON, &doc, err);
  if (st != INVDES_OK) {
    json_decref(doc);
    if (err && err->status == INVDES_OK) invdes_error_set(err, st, "out of memory");
    return NULL;
  }
  return doc;
}

int invdes_cmd_best(int argc, char **argv) {
  static const invdes_cli_choice formats[] = {
      {"text", BEST_TEXT}, {"json", BEST_JSON}, {"csv", BEST_CSV}, {NULL, 0}};
  const char *db = NULL;
  int format = BEST_TEXT, first;
  const invdes_cli_opt opts[] = {
      INVDES_CLI_OPT("db", "FILE", INVDES_OPT_TEXT, &db, .required = 1),
      INVDES_CLI_OPT("format", "F", INVDES_OPT_CHOICE, &format, .choices = formats),
      {NULL}};
  int early = invdes_cli_parse("best", best_usage, opts, argc, argv, &first);
  if (early != -1) return early;
  if (first != argc) return invdes_cli_usage_error("best", "unexpected argument '%s'", argv[first]);
  int rc;
  invdes_store *s = invdes_cli_open_db("best", db, &rc);
  if (!s) return rc;
  invdes_error err;
  invdes_error_clear(&err);
  invdes_status st = INVDES_OK;
  if (format == BEST_JSON) {
    json_t *doc = invdes_cli_best_doc(s, &err);
    if (!doc) st = err.status != INVDES_OK ? err.status : INVDES_ERR_NOMEM;
    else if (invdes_report_write_json(stdout, doc, 2) || putchar('\n') == EOF)
      st = invdes_error_set(&err, INVDES_ERR_IO, "cannot write to standard output");
    json_decref(doc);
  } else {
    st = invdes_cli_pareto(s) ? best_front(s, format, NULL, &err)
                              : best_single(s, format, NULL, &err);
  }
  if (st == INVDES_OK && fflush(stdout) != 0)
    st = invdes_error_set(&err, INVDES_ERR_IO, "cannot write to standard output");
  if (st != INVDES_OK) {
    fprintf(stderr, "invdes best: %s\n", err.message[0] ? err.message : "out of memory");
    rc = invdes_cli_exit_for(st);
    if (st == INVDES_ERR_IO) rc = INVDES_EXIT_FAILURE;
  }
  invdes_store_close(s);
  return rc;
}
