/* slurm.c — the objective kind `slurm` (objective.h): each batch of
 * proposals becomes one Slurm job array, one task per proposal, each task
 * running the campaign's script in a folder of its own (docs/slurm.md).
 *
 * Keys: `script` (an executable; relative paths against the campaign's
 * folder), `workdir` (the root of the per-proposal folders; default
 * NAME.slurm beside the campaign), `array_max` (tasks of an array running
 * at once, sbatch's --array=0-N%K), `sbatch_args` (a list given to sbatch
 * as it is, without a shell), `poll` (seconds between looks at the queue)
 * and `retries` (resubmissions of a task the cluster lost: NODE_FAIL,
 * PREEMPTED, BOOT_FAIL, cancelled or vanished; never a script's own
 * failure). poll changes no result; a re-opened campaign may change it.
 * This file reads and checks the keys; slurm_run.c evaluates. */
#include "slurm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "campaign_pool.h"

/* sbatch options invdes sets itself: a campaign may not give them. */
static const char *const owned[] = {"--array", "-a", "--job-name", "-J", "--output", "-o",
                                    "--error", "-e", "--chdir", "-D", "--parsable", "--wrap",
                                    "--requeue", "--no-requeue", "--wait", "-W", "--input",
                                    "-i", NULL};

/* 1 when arg is (or starts, as --opt=value or -oVALUE) an option invdes owns. */
static int owned_option(const char *arg) {
  for (size_t i = 0; owned[i]; i++) {
    size_t n = strlen(owned[i]);
    if (strncmp(arg, owned[i], n) != 0) continue;
    if (arg[n] == '\0' || arg[n] == '=' || (owned[i][1] != '-' && n == 2)) return 1;
  }
  return 0;
}

static void read_args(invdes_cload *L, const invdes_ynode *v, slurm_spec *o) {
  if (!invdes_cload_expect_list(L, v, "'sbatch_args'")) return;
  if (!(o->sbatch_args = calloc(v->n + 1, sizeof *o->sbatch_args))) {
    invdes_cload_nomem(L);
    return;
  }
  for (size_t i = 0; i < v->n; i++) {
    const char *s;
    if (!invdes_cload_string(L, v->items[i], "an sbatch argument", &s)) continue;
    if (i == 0 && s[0] != '-')
      invdes_cload_error(L, v->items[i], INVDES_ERR_INVALID,
                         "'sbatch_args' are sbatch options such as --partition=debug; '%s' is "
                         "not one",
                         s);
    else if (owned_option(s))
      invdes_cload_error(L, v->items[i], INVDES_ERR_INVALID,
                         "'%s' is set by invdes itself (array, job name, output files, "
                         "folder, requeueing); remove it from 'sbatch_args'",
                         s);
    if (!(o->sbatch_args[o->n_sbatch_args] = invdes_cload_strdup(L, s))) return;
    o->n_sbatch_args++;
  }
}

static void read_text(invdes_cload *L, const invdes_ynode *v, const char *what, char **out) {
  const char *s;
  if (!invdes_cload_string(L, v, what, &s)) return;
  if (!*s) {
    invdes_cload_error(L, v, INVDES_ERR_INVALID, "%s is empty", what);
    return;
  }
  *out = invdes_cload_strdup(L, s);
}

static void spec_read(invdes_cload *L, const invdes_ynode *n, void *spec) {
  slurm_spec *o = spec;
  o->poll = 5;
  o->retries = 2;
  const invdes_ynode *v = invdes_cload_get(n, "script");
  if (!v)
    invdes_cload_error(L, L->section_key ? L->section_key : n, INVDES_ERR_INVALID,
                       "a slurm objective needs 'script' (an executable that reads params.json "
                       "and writes result.json)");
  else
    read_text(L, v, "'script'", &o->script);
  if ((v = invdes_cload_get(n, "workdir"))) read_text(L, v, "'workdir'", &o->workdir);
  if ((v = invdes_cload_get(n, "array_max")))
    invdes_cload_int(L, v, "'array_max'", 1, 100000, &o->array_max);
  if ((v = invdes_cload_get(n, "sbatch_args"))) read_args(L, v, o);
  if ((v = invdes_cload_get(n, "poll")) && invdes_cload_number(L, v, "'poll'", &o->poll) &&
      !(o->poll >= 0.1 && o->poll <= 3600))
    invdes_cload_error(L, v, INVDES_ERR_INVALID,
                       "'poll' is in seconds and must be from 0.1 to 3600, not %g", o->poll);
  if ((v = invdes_cload_get(n, "retries")))
    invdes_cload_int(L, v, "'retries'", 0, 100, &o->retries);
}

static void spec_free(void *spec) {
  slurm_spec *o = spec;
  free(o->script);
  free(o->workdir);
  for (size_t i = 0; o->sbatch_args && i < o->n_sbatch_args; i++) free(o->sbatch_args[i]);
  free(o->sbatch_args);
}

/* Resolves script (must be an executable file) and workdir (default
 * NAME.slurm; an existing one must be a folder). */
static void spec_check(invdes_cload *L, const invdes_ynode *n, void *spec) {
  slurm_spec *o = spec;
  struct stat st;
  if (o->script) {
    char *p = invdes_cload_resolve(L, o->script);
    if (!p) return;
    if (stat(p, &st) != 0 || !S_ISREG(st.st_mode) || access(p, X_OK) != 0) {
      invdes_cload_error(L, invdes_cload_get(n, "script"), INVDES_ERR_INVALID,
                         "script '%s' is not an executable file (paths are relative to the "
                         "campaign's folder; chmod +x it)",
                         o->script);
      free(p);
      return;
    }
    free(o->script);
    o->script = p;
  }
  char dflt[300];
  snprintf(dflt, sizeof dflt, "%s.slurm", L->c->name ? L->c->name : "campaign");
  char *w = invdes_cload_resolve(L, o->workdir ? o->workdir : dflt);
  if (!w) return;
  if (stat(w, &st) == 0 && !S_ISDIR(st.st_mode)) {
    invdes_cload_error(L, o->workdir ? invdes_cload_get(n, "workdir") : L->section_key,
                       INVDES_ERR_INVALID, "workdir '%s' exists and is not a folder", w);
    free(w);
    return;
  }
  free(o->workdir);
  o->workdir = w;
}

static void spec_describe(const void *spec, char *buf, size_t size) {
  const slurm_spec *o = spec;
  invdes_objective_append(buf, size, " %s in %s", o->script ? o->script : "?",
                          o->workdir ? o->workdir : "?");
  if (o->array_max) invdes_objective_append(buf, size, " (array_max %d)", o->array_max);
  for (size_t i = 0; i < o->n_sbatch_args; i++)
    invdes_objective_append(buf, size, " %s", o->sbatch_args[i]);
  invdes_objective_append(buf, size, ", poll %g s, retries %d", o->poll, o->retries);
}

static const invdes_objective_field fields[] = {
    {"script", INVDES_FIELD_TEXT, offsetof(slurm_spec, script), 0, 0},
    {"workdir", INVDES_FIELD_TEXT, offsetof(slurm_spec, workdir), 0, 0},
    {"array_max", INVDES_FIELD_INT, offsetof(slurm_spec, array_max), 0, 0},
    {"sbatch_args", INVDES_FIELD_TEXTS, offsetof(slurm_spec, sbatch_args),
     offsetof(slurm_spec, n_sbatch_args), 0},
    {"poll", INVDES_FIELD_NUMBER, offsetof(slurm_spec, poll), 0, 1},
    {"retries", INVDES_FIELD_INT, offsetof(slurm_spec, retries), 0, 0},
    {NULL, 0, 0, 0, 0}};

const invdes_objective_type invdes_objective_slurm = {
    .name = "slurm",
    .fields = fields,
    .spec_size = sizeof(slurm_spec),
    .flags = 0,
    .read = spec_read,
    .free_spec = spec_free,
    .check = spec_check,
    .describe = spec_describe,
    .open = invdes_slurm_open,
    .evaluate = invdes_slurm_evaluate,
    .close = invdes_slurm_close,
    .cancel = invdes_slurm_cancel,
};
