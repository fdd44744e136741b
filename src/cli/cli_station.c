/* cli_station.c — shared pieces of the station verbs; see cli_station.h. */
#include "cli_station.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "report.h"
#include "target.h"
#include "tell_input.h"

int invdes_cli_exit_for(invdes_status st) {
  switch (st) {
  case INVDES_OK: return INVDES_EXIT_OK;
  case INVDES_ERR_NOMEM:
  case INVDES_ERR_DB:
  case INVDES_ERR_NUMERIC:
  case INVDES_ERR_EVAL: return INVDES_EXIT_FAILURE;
  default: return INVDES_EXIT_USAGE;
  }
}

invdes_store *invdes_cli_open_db(const char *verb, const char *path, int *exit_status) {
  invdes_error err;
  invdes_error_clear(&err);
  invdes_store *s = invdes_store_open(path, &err);
  if (s) {
    *exit_status = INVDES_EXIT_OK;
    return s;
  }
  fprintf(stderr, "invdes %s: %s\n", verb, err.message);
  /* A file that cannot be opened as a campaign database is bad input, even
   * when SQLite is the one that says so ("file is not a database"). */
  *exit_status = err.status == INVDES_ERR_NOMEM ? INVDES_EXIT_FAILURE : INVDES_EXIT_USAGE;
  return NULL;
}

/* Keeps the message of the latest "campaign_source" event: the path of the
 * campaign file the database was made from or last run with. */
static int last_source(const invdes_store_event_row *row, void *data) {
  char **path = data;
  if (!row->message) return 0;
  char *copy = strdup(row->message);
  if (!copy) return 0;
  free(*path);
  *path = copy;
  return 0;
}

invdes_campaign *invdes_cli_db_campaign(invdes_store *s) {
  const char *text = invdes_store_campaign_text(s);
  if (!text) return NULL;
  char *source = NULL;
  invdes_error err;
  invdes_error_clear(&err);
  invdes_store_events(s, 0, "campaign_source", last_source, &source, &err);
  invdes_campaign *c = NULL;
  if (source) c = invdes_campaign_parse(source, text, strlen(text), &err);
  if (!c) c = invdes_campaign_parse(invdes_store_path(s), text, strlen(text), &err);
  free(source);
  return c;
}

void invdes_cli_goal_text(const invdes_store *s, size_t t, char *buf, size_t size) {
  const invdes_target *tg = invdes_store_target(s, t);
  if (tg) invdes_target_describe(tg, buf, size);
  else snprintf(buf, size, "?");
}

int invdes_cli_goal_json(const invdes_store *s, size_t t, json_t *obj) {
  const invdes_target *tg = invdes_store_target(s, t);
  if (!tg) return json_object_set_new(obj, "goal", json_null()) ? -1 : 0;
  unsigned keys = invdes_goal_keys(tg->goal);
  int bad = json_object_set_new(obj, "goal", json_string(invdes_goal_name(tg->goal)));
  if (keys & INVDES_GOAL_KEY_WINDOW)
    bad |= json_object_set_new(obj, "window", json_pack("[ff]", tg->lo, tg->hi));
  if (keys & INVDES_GOAL_KEY_THRESHOLD)
    bad |= json_object_set_new(obj, "threshold", json_real(tg->threshold));
  return bad ? -1 : 0;
}
