/* cli_docs.h — the documents the station verbs print that `invdes serve`
 * answers too, built once so that the command line and the HTTP API say the
 * same thing: status and best as their `--format json`, an ask's proposals
 * and why it handed out fewer, an import of a CSV table. Each is built from
 * the store (or driver) it is given; nothing here prints. */
#ifndef INVDES_CLI_DOCS_H
#define INVDES_CLI_DOCS_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "campaign.h"
#include "driver.h"
#include "error.h"
#include "store.h"
#include "table.h"

/* `invdes status --format json` as a new object; c (may be NULL) gives the
 * budget. NULL with err set on failure. */
json_t *invdes_cli_status_doc(invdes_store *s, const invdes_campaign *c, invdes_error *err);

/* `invdes best --format json` as a new object (a multi-objective campaign:
 * its front). NULL with err set on failure. */
json_t *invdes_cli_best_doc(invdes_store *s, invdes_error *err);

/* The proposals an ask handed out, as `invdes ask --format json` prints
 * them: [{"id", "parameters", "lease_expires"}]; NULL when out of memory or
 * when a proposal's recorded parameters are not JSON. */
json_t *invdes_cli_ask_json(const invdes_store_rows *rows);

/* Why an ask handed out `got` < n proposals (the budget, after the ask, or
 * a finite space with nothing untried), one line into buf; `more` names
 * what hands out more anyway ("--over-budget", or serve's "over_budget"). */
void invdes_cli_ask_note(invdes_driver *d, size_t got, unsigned long long n, int over,
                         const char *more, char *buf, size_t size);

/* Records the experiments of a CSV table (`invdes import`'s format) as one
 * batch of done proposals by `who`, all or none. *ids_out (the caller frees
 * it) gets the *n_out new ids. A refusal names the file's line and column. */
invdes_status invdes_cli_import(invdes_driver *d, const invdes_table *tab, const char *who,
                                int64_t **ids_out, size_t *n_out, invdes_error *err);

#endif
