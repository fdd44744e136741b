/* cli_station.h — what the station verbs (tell, heartbeat, status, export,
 * best) share on the command line: opening a campaign database with its
 * diagnostics printed, the exit status for a library status, reading the
 * campaign model back from the database, and describing a target's goal.
 * Printing lives here and in the cmd_*.c files, never in the library. */
#ifndef INVDES_CLI_STATION_H
#define INVDES_CLI_STATION_H

#include <stddef.h>

#include <jansson.h>

#include "campaign.h"
#include "error.h"
#include "store.h"

/* Opens an existing campaign database for verb `verb` (the name used in
 * messages). Never creates a file. On failure prints "invdes VERB: message"
 * on stderr, stores the exit status in *exit_status (invdes_cli_exit_for:
 * INVDES_EXIT_USAGE for a missing file, a file that is not a campaign
 * database and the like; INVDES_EXIT_FAILURE for a file it may not write, a
 * full disk, a lock, no memory) and returns NULL. */
invdes_store *invdes_cli_open_db(const char *verb, const char *path, int *exit_status);

/* The exit status for a library status (commands.h lists the codes): out of
 * memory and database errors (a lock held too long, a read-only file, a full
 * disk) are INVDES_EXIT_FAILURE; a proposal held by another station is
 * INVDES_EXIT_NOT_YOURS; everything the user can fix in the input is
 * INVDES_EXIT_USAGE. */
int invdes_cli_exit_for(invdes_status st);

/* The campaign model parsed from the text stored in the database, or NULL
 * when it no longer parses here (e.g. a pool file that moved); the verbs then
 * fall back to what the store itself knows. Relative paths resolve against
 * the campaign file the database was made from when the database recorded
 * one, else against the database's folder. The caller frees it. */
invdes_campaign *invdes_cli_db_campaign(invdes_store *s);

/* Target t's goal in words (target.h's invdes_target_describe: "maximize",
 * "window [3.6, 3.9]", "below -3.35") into buf, from the targets the
 * database records, so it needs no campaign file. */
void invdes_cli_goal_text(const invdes_store *s, size_t t, char *buf, size_t size);

/* Sets obj's "goal" (its name) and, as the goal takes them, "window":
 * [lo, hi] or "threshold". Returns 0, or -1 when out of memory. */
int invdes_cli_goal_json(const invdes_store *s, size_t t, json_t *obj);

#endif
