/* slurm_task.c — a proposal's work directory and the job wrapper (slurm.h).
 *
 * WORKDIR/ID/ holds what one task reads and leaves: params.json (written
 * here before submitting: the command evaluator's request), and from the
 * wrapper `job` ("TAG JOBID TASK", when it started), stdout and stderr of the
 * script, result.json (the script's), `exit_code` ("TAG STATUS", when the
 * script ended by itself). A wrapper that Slurm signals (scancel, a node
 * going down, preemption, a time limit) leaves no exit_code, so the job's
 * state decides: the script runs in the background and the wrapper waits,
 * so its trap runs at once instead of after the script. Lines carry the submission's tag so that nothing an
 * earlier attempt left is mistaken for this one's. WORKDIR/.invdes/ holds
 * each job's wrapper (TAG.sh) and Slurm's own output of each task
 * (TAG_N.out: what went wrong before the script ran). */
#include "slurm.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int mkdir_p(const char *path) {
  char buf[4096];
  if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) return -1;
  for (char *p = buf + 1; *p; p++) {
    if (*p != '/') continue;
    *p = '\0';
    if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
    *p = '/';
  }
  return mkdir(buf, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

/* WORKDIR/ID/NAME (NAME "" for the folder) into buf. */
static void task_path(char *buf, size_t size, const char *workdir, int64_t id,
                      const char *name) {
  snprintf(buf, size, "%s/%lld%s%s", workdir, (long long)id, *name ? "/" : "", name);
}

/* Writes text to path through path.tmp and a rename. */
static invdes_status write_atomic(const char *path, const char *text, size_t len, int mode,
                                  invdes_error *err) {
  char tmp[4200];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  FILE *f = fopen(tmp, "w");
  int ok = f && fwrite(text, 1, len, f) == len;
  if (f && fclose(f) != 0) ok = 0;
  if (ok && mode) ok = chmod(tmp, (mode_t)mode) == 0;
  if (ok) ok = rename(tmp, path) == 0;
  if (!ok) {
    int e = errno;
    unlink(tmp);
    return invdes_error_set(err, INVDES_ERR_IO, "cannot write %s: %s", path, strerror(e));
  }
  return INVDES_OK;
}

invdes_status invdes_slurm_task_prepare(const char *workdir, int64_t id, const char *request,
                                        size_t len, invdes_error *err) {
  char path[4200];
  task_path(path, sizeof path, workdir, id, "");
  if (mkdir_p(path) != 0)
    return invdes_error_set(err, INVDES_ERR_IO, "cannot make the folder %s: %s", path,
                            strerror(errno));
  static const char *const stale[] = {"job", "exit_code", "result.json", "stdout", "stderr"};
  for (size_t i = 0; i < sizeof stale / sizeof stale[0]; i++) {
    task_path(path, sizeof path, workdir, id, stale[i]);
    if (unlink(path) != 0 && errno != ENOENT)
      return invdes_error_set(err, INVDES_ERR_IO, "cannot remove %s: %s", path,
                              strerror(errno));
  }
  task_path(path, sizeof path, workdir, id, "params.json");
  return write_atomic(path, request, len, 0, err);
}

/* Appends s single-quoted for sh ('it'\''s') to f. */
static void sh_quote(FILE *f, const char *s) {
  fputc('\'', f);
  for (; *s; s++)
    if (*s == '\'') fputs("'\\''", f);
    else fputc(*s, f);
  fputc('\'', f);
}

invdes_status invdes_slurm_write_wrapper(const char *workdir, const char *tag,
                                         const char *script, const int64_t *ids, size_t n,
                                         char **path, invdes_error *err) {
  *path = NULL;
  char *text = NULL, dir[4200], file[4300];
  size_t len = 0;
  snprintf(dir, sizeof dir, "%s/.invdes", workdir);
  if (mkdir_p(dir) != 0)
    return invdes_error_set(err, INVDES_ERR_IO, "cannot make the folder %s: %s", dir,
                            strerror(errno));
  FILE *f = open_memstream(&text, &len);
  if (!f) return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  fprintf(f, "#!/bin/sh\n# invdes: job %s, one task per proposal (docs/slurm.md)\nset --", tag);
  for (size_t i = 0; i < n; i++) fprintf(f, " %lld", (long long)ids[i]);
  fprintf(f, "\ntask=${SLURM_ARRAY_TASK_ID:-0}\n"
             "[ \"$task\" -lt $# ] || { echo \"invdes: no proposal for task $task\" >&2; "
             "exit 97; }\nshift \"$task\"\ncd ");
  sh_quote(f, workdir);
  fprintf(f, "/\"$1\" || exit 98\necho \"%s ${SLURM_ARRAY_JOB_ID:-0} $task\" >job\n"
             "trap 'exit 143' TERM INT HUP\n", tag);
  sh_quote(f, script);
  fprintf(f, " >stdout 2>stderr </dev/null &\nwait $!\nrc=$?\n"
             "echo \"%s $rc\" >exit_code.tmp && mv -f exit_code.tmp exit_code\nexit $rc\n",
          tag);
  if (fclose(f) != 0 || !text) {
    free(text);
    return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  }
  snprintf(file, sizeof file, "%s/%s.sh", dir, tag);
  invdes_status st = write_atomic(file, text, len, 0755, err);
  free(text);
  if (st == INVDES_OK && !(*path = strdup(file)))
    st = invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  return st;
}

/* Reads "TAG WORD..." from WORKDIR/ID/NAME: the rest after the tag into
 * rest (size bytes) when the tag matches; 1 then. */
static int tagged_line(const char *workdir, int64_t id, const char *name, const char *tag,
                       char *rest, size_t size) {
  char path[4200], line[512];
  task_path(path, sizeof path, workdir, id, name);
  FILE *f = fopen(path, "r");
  if (!f) return 0;
  int ok = fgets(line, sizeof line, f) != NULL;
  fclose(f);
  size_t tn = strlen(tag);
  if (!ok || strncmp(line, tag, tn) != 0 || line[tn] != ' ') return 0;
  snprintf(rest, size, "%s", line + tn + 1);
  rest[strcspn(rest, "\r\n")] = '\0';
  return 1;
}

int invdes_slurm_task_exit(const char *workdir, int64_t id, const char *tag, int *status) {
  char rest[64];
  char *end;
  if (!tagged_line(workdir, id, "exit_code", tag, rest, sizeof rest)) return 0;
  long v = strtol(rest, &end, 10);
  if (end == rest) return 0;
  *status = (int)v;
  return 1;
}

int invdes_slurm_task_job(const char *workdir, int64_t id, const char *tag, char *job_id,
                          size_t size) {
  char rest[128];
  if (!tagged_line(workdir, id, "job", tag, rest, sizeof rest)) return 0;
  return invdes_slurm_parse_sbatch(rest, job_id, size) && strcmp(job_id, "0") != 0;
}

char *invdes_slurm_file_tail(const char *path, size_t max, size_t *len) {
  *len = 0;
  FILE *f = fopen(path, "rb");
  char *buf = malloc(max + 1);
  if (!buf) {
    if (f) fclose(f);
    return NULL;
  }
  if (f) {
    if (fseek(f, 0, SEEK_END) == 0) {
      long size = ftell(f);
      if (size > (long)max) fseek(f, size - (long)max, SEEK_SET);
      else rewind(f);
    }
    *len = fread(buf, 1, max, f);
    fclose(f);
  }
  buf[*len] = '\0';
  return buf;
}
