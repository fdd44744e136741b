/* cli.c — small pieces every verb of the command line shares: loading a
 * campaign (and so its design space) and printing the diagnostics when that
 * fails. Printing lives here, not in the library. */
#include <stdio.h>

#include "commands.h"

int invdes_cli_load_campaign(const char *path, invdes_campaign **campaign,
                             const invdes_space **space) {
  invdes_error err;
  invdes_error_clear(&err);
  *campaign = invdes_campaign_load(path, &err);
  *space = invdes_campaign_space(*campaign);
  if (*space) return INVDES_EXIT_OK;
  fprintf(stderr, "%s\n", err.message);
  invdes_campaign_free(*campaign);
  *campaign = NULL;
  return err.status == INVDES_ERR_NOMEM ? INVDES_EXIT_FAILURE : INVDES_EXIT_USAGE;
}
