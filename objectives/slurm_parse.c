/* slurm_parse.c — what Slurm's commands print, read into task states, and
 * the one map from a Slurm job state to what the evaluator does
 * (slurm.h). Formats, as Slurm 22.05 prints them (tests/test_slurm.c keeps
 * captured outputs):
 *   sbatch --parsable                 "1234" or "1234;cluster"
 *   scontrol show job -o ID           one record per line, Key=Value words;
 *                                     a pending array's record has
 *                                     ArrayTaskId=2-5,7%2
 *   squeue -h -r -t all -j ID -o '%i|%K|%T|%r'    "1234_3|3|RUNNING|None"
 *   sacct -n -P -X -j ID -o JobID,State           "1234_3|CANCELLED by 0"
 * Values are split at blanks: only the keys read here are trusted, and none
 * of them holds user text (the job name is invdes's tag). */
#include "slurm.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

slurm_verdict invdes_slurm_verdict(const char *state) {
  static const char *const wait[] = {"PENDING", "RUNNING", "CONFIGURING", "COMPLETING",
                                     "REQUEUED", "REQUEUE_FED", "REQUEUE_HOLD", "RESIZING",
                                     "SUSPENDED", "STOPPED", "SIGNALING", "STAGE_OUT",
                                     "RESV_DEL_HOLD", "SPECIAL_EXIT", NULL};
  static const char *const ended[] = {"COMPLETED", "FAILED", NULL};
  static const char *const lost[] = {"NODE_FAIL", "PREEMPTED", "BOOT_FAIL", "CANCELLED", NULL};
  size_t n = strcspn(state, " \t\n+");
  const char *const *lists[] = {wait, ended, lost};
  const slurm_verdict verdicts[] = {SLURM_WAIT, SLURM_ENDED, SLURM_LOST};
  for (size_t l = 0; l < 3; l++)
    for (size_t i = 0; lists[l][i]; i++)
      if (strlen(lists[l][i]) == n && strncmp(lists[l][i], state, n) == 0) return verdicts[l];
  return SLURM_FATAL; /* TIMEOUT, OUT_OF_MEMORY, DEADLINE, and anything unknown */
}

/* Appends tasks of the range list r ("2-5,7%2", "[2-5%2]", "3") with state
 * st; returns the new count. */
static size_t expand(const char *r, const slurm_task_state *st, slurm_task_state *out,
                     size_t k, size_t max) {
  const char *p = r;
  if (*p == '[') p++;
  while (*p && isdigit((unsigned char)*p)) {
    char *end;
    long a = strtol(p, &end, 10), b = a;
    if (*end == '-') b = strtol(end + 1, &end, 10);
    for (long t = a; t <= b && t - a < 1000000; t++) {
      if (k < max) {
        out[k] = *st;
        out[k].task = (int)t;
      }
      k++;
    }
    p = end;
    if (*p != ',') break;
    p++;
  }
  return k;
}

/* The value of key in a record line (up to the next blank) into buf. */
static int field(const char *line, size_t len, const char *key, char *buf, size_t size) {
  size_t kn = strlen(key);
  for (size_t i = 0; i + kn < len; i++) {
    if ((i > 0 && !isspace((unsigned char)line[i - 1])) || strncmp(line + i, key, kn) != 0 ||
        line[i + kn] != '=')
      continue;
    size_t b = i + kn + 1, e = b;
    while (e < len && !isspace((unsigned char)line[e])) e++;
    snprintf(buf, size, "%.*s", (int)(e - b), line + b);
    return 1;
  }
  return 0;
}

size_t invdes_slurm_parse_scontrol(const char *text, const char *job_id, slurm_task_state *out,
                                   size_t max) {
  size_t k = 0;
  for (const char *line = text; line && *line;) {
    const char *nl = strchr(line, '\n');
    size_t len = nl ? (size_t)(nl - line) : strlen(line);
    char arr[64], tasks[256], code[32];
    slurm_task_state st = {.exit_code = -1};
    if (field(line, len, "ArrayJobId", arr, sizeof arr) && strcmp(arr, job_id) == 0 &&
        field(line, len, "ArrayTaskId", tasks, sizeof tasks) &&
        field(line, len, "JobState", st.state, sizeof st.state)) {
      if (!field(line, len, "Reason", st.reason, sizeof st.reason)) st.reason[0] = '\0';
      if (field(line, len, "ExitCode", code, sizeof code) &&
          sscanf(code, "%d:%d", &st.exit_code, &st.exit_signal) != 2)
        st.exit_code = -1;
      k = expand(tasks, &st, out, k, max);
    }
    line = nl ? nl + 1 : NULL;
  }
  return k < max ? k : max;
}

size_t invdes_slurm_parse_squeue(const char *text, const char *job_id, slurm_task_state *out,
                                 size_t max) {
  size_t k = 0, idn = strlen(job_id);
  for (const char *line = text; line && *line;) {
    const char *nl = strchr(line, '\n');
    size_t len = nl ? (size_t)(nl - line) : strlen(line);
    char buf[512];
    snprintf(buf, sizeof buf, "%.*s", (int)(len < sizeof buf ? len : sizeof buf - 1), line);
    line = nl ? nl + 1 : NULL;
    /* "ID_TASK|..." : the job id, then the task (or a bracketed range) */
    while (*buf && isspace((unsigned char)buf[0])) memmove(buf, buf + 1, strlen(buf));
    if (strncmp(buf, job_id, idn) != 0 || buf[idn] != '_') continue;
    char *f[4] = {buf + idn + 1, NULL, NULL, NULL};
    size_t nf = 1;
    for (char *p = f[0]; *p && nf < 4; p++)
      if (*p == '|') {
        *p = '\0';
        f[nf++] = p + 1;
      }
    slurm_task_state st = {.exit_code = -1};
    /* squeue: TASKID|K|STATE|REASON; sacct: TASKID|STATE */
    const char *state = nf >= 3 ? f[2] : nf == 2 ? f[1] : NULL;
    if (!state) continue;
    snprintf(st.state, sizeof st.state, "%s", state);
    st.state[strcspn(st.state, " \r\n")] = '\0';
    if (nf >= 4) snprintf(st.reason, sizeof st.reason, "%s", f[3]);
    st.reason[strcspn(st.reason, "\r\n")] = '\0';
    k = expand(f[0], &st, out, k, max);
  }
  return k < max ? k : max;
}

int invdes_slurm_parse_sbatch(const char *text, char *id, size_t size) {
  while (*text && isspace((unsigned char)*text)) text++;
  size_t n = 0;
  while (isdigit((unsigned char)text[n])) n++;
  if (n == 0 || n >= size || (text[n] && text[n] != ';' && !isspace((unsigned char)text[n])))
    return 0;
  memcpy(id, text, n);
  id[n] = '\0';
  return 1;
}

int invdes_slurm_parse_first_id(const char *text, char *id, size_t size) {
  for (const char *line = text; line && *line;) {
    if (invdes_slurm_parse_sbatch(line, id, size)) return 1;
    const char *nl = strchr(line, '\n');
    line = nl ? nl + 1 : NULL;
  }
  return 0;
}
