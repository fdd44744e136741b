/* campaign_pool.h — table helpers of the campaign loader (internal): reading
 * a CSV file named in the campaign and checking its columns, with diagnostics
 * at the campaign line that named them. Shared by the pool section and the
 * data-set objective checks. */
#ifndef INVDES_CAMPAIGN_POOL_H
#define INVDES_CAMPAIGN_POOL_H

#include "campaign_read.h"
#include "table.h"

/* `file` resolved against the campaign's folder (absolute paths kept); the
 * caller frees. NULL when out of memory. */
char *invdes_cload_resolve(invdes_cload *L, const char *file);
/* Reads the table at path; on failure adds "WHAT: <the reader's message>"
 * at node `at` and returns NULL. */
invdes_table *invdes_cload_table(invdes_cload *L, const invdes_ynode *at, const char *what,
                                 const char *path);
/* Index of column `name`, or -1 after "ROLE 'name' is not a column of FILE;
 * did you mean ...?" at node `at`. */
long invdes_cload_column(invdes_cload *L, const invdes_ynode *at, const invdes_table *t,
                         const char *name, const char *role);
/* 1 when column j is all finite numbers (stored in out when out is not
 * NULL), else 0 after a diagnostic at `at` naming the bad cell's line. */
int invdes_cload_numeric(invdes_cload *L, const invdes_ynode *at, const invdes_table *t,
                         size_t j, const char *role, double *out);

#endif
