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

const char invdes_cli_exit_help[] =
    "\nExit status: 0 ok; 1 system error (disk, permissions, database busy: nothing\n"
    "was recorded, retry later); 2 the input was refused (nothing was recorded, do\n"
    "not retry the same input); 3 not yours (the proposal is leased to another\n"
    "station); 4 nothing to do (the budget is spent, no candidate is left).\n";

/* The one map from a library status to an exit status. The store maps
 * SQLite's codes to statuses (store.c, store_status_of): a read-only file,
 * a full disk, an I/O error or a lock held too long arrive here as
 * INVDES_ERR_DB, a file that is no database as INVDES_ERR_INVALID. */
int invdes_cli_exit_for(invdes_status st) {
  switch (st) {
  case INVDES_OK: return INVDES_EXIT_OK;
  case INVDES_ERR_NOMEM:
  case INVDES_ERR_DB:
  case INVDES_ERR_NUMERIC:
  case INVDES_ERR_EVAL: return INVDES_EXIT_FAILURE;
  case INVDES_ERR_HELD: return INVDES_EXIT_NOT_YOURS;
  case INVDES_ERR_IO:
  case INVDES_ERR_PARSE:
  case INVDES_ERR_INVALID:
  case INVDES_ERR_INFEASIBLE:
  case INVDES_ERR_USAGE: return INVDES_EXIT_USAGE;
  }
  return INVDES_EXIT_FAILURE;
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
  /* A missing file or one that is no campaign database is bad input (2); a
   * database that cannot be written or read now (permissions, a read-only
   * folder, a full disk, a lock) is a system error (1). */
  *exit_status = invdes_cli_exit_for(err.status);
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
