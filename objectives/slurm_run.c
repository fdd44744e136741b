/* slurm_run.c — the `slurm` kind's evaluator: a batch of proposals becomes
 * one job array; the queue is watched until every task has an outcome.
 *
 * Submitting (never twice for one proposal): params.json is written into
 * each proposal's folder, the intent (a new unique tag, the proposals in
 * task order) is recorded, sbatch runs (its own process group, dying with
 * us), and its job id is the very next thing recorded. A proposal handed
 * back to a resumed run (the driver claims in-flight proposals first) is
 * looked up in that record: a job id means reattach; an intent without one
 * means the coordinator died around sbatch, so the queue is asked for a job
 * named by the tag (and the task folders for a `job` file of that tag)
 * before anything is submitted again.
 *
 * Judging a task: the wrapper's `exit_code` of the task's own tag decides
 * first (0: result.json read with the command evaluator's reader; else a
 * failure with the script's stderr tail). Without it, the state Slurm
 * reports (scontrol show job, then sacct when the controller has forgotten
 * the job) maps through invdes_slurm_verdict: wait; ended without an exit
 * status (after two more looks: a failure); the task's own failure (TIMEOUT,
 * OUT_OF_MEMORY: failed at once); or lost to the cluster (NODE_FAIL,
 * PREEMPTED, BOOT_FAIL, CANCELLED, or vanished from the queue: resubmitted
 * up to `retries` times, all lost tasks of a round in one new array).
 * Cancelling by `invdes cancel` does not spend a retry. When the run is
 * asked to stop, what is recorded stays and the jobs keep running. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "command.h"
#include "command_json.h"
#include "slurm.h"

#define CMD_TIMEOUT 120.0   /* seconds an sbatch/scontrol may take */
#define TAIL_REASON 400     /* bytes of stderr quoted in a failure's reason */
#define TAIL_EVENT 65536    /* bytes of stderr kept for the event log */
#define RESULT_MAX ((size_t)1 << 20)
#define GRACE_LOOKS 2       /* looks before an ended task without exit status fails */

typedef struct slurm_eval {
  invdes_objective_setup s;
  const slurm_spec *o;
  char *workdir, *script;  /* absolute */
} slurm_eval;

enum { T_SUBMIT, T_QUEUED, T_DONE };

typedef struct task {
  int64_t id;
  const double *x;
  int phase;
  char tag[128], job[64];
  int index, retries, looks;
} task;

static invdes_status nomem(invdes_error *err) {
  return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
}

invdes_status invdes_slurm_open(const invdes_objective_setup *s, void **state,
                                invdes_error *err) {
  const slurm_spec *o = s->spec;
  if (!s->jobs)
    return invdes_error_set(err, INVDES_ERR_USAGE,
                            "the slurm objective needs a campaign database to record its jobs");
  if (mkdir(o->workdir, 0777) != 0 && access(o->workdir, W_OK) != 0)
    return invdes_error_set(err, INVDES_ERR_IO, "cannot make the work folder %s", o->workdir);
  slurm_eval *e = calloc(1, sizeof *e);
  if (!e) return nomem(err);
  e->s = *s;
  e->o = o;
  e->workdir = realpath(o->workdir, NULL);
  e->script = realpath(o->script, NULL);
  if (!e->workdir || !e->script) {
    invdes_slurm_close(e);
    return invdes_error_set(err, INVDES_ERR_IO, "cannot resolve %s or %s", o->workdir,
                            o->script);
  }
  *state = e;
  return INVDES_OK;
}

void invdes_slurm_close(void *state) {
  slurm_eval *e = state;
  if (!e) return;
  free(e->workdir);
  free(e->script);
  free(e);
}

/* A tag no other submission has: the job name in Slurm. */
static void new_tag(const slurm_eval *e, char *tag, size_t size) {
  unsigned char r[8] = {0};
  if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    unsigned long long v = (unsigned long long)ts.tv_nsec ^ ((unsigned long long)getpid() << 32);
    memcpy(r, &v, sizeof r);
  }
  char name[25];
  snprintf(name, sizeof name, "%s", e->s.c->name ? e->s.c->name : "campaign");
  for (char *p = name; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
      *p = '_';
  snprintf(tag, size, "invdes-%s-%02x%02x%02x%02x%02x%02x%02x%02x", name, r[0], r[1], r[2],
           r[3], r[4], r[5], r[6], r[7]);
}

/* Writes params.json of each task in sel[0..n). */
static invdes_status prepare(slurm_eval *e, task *t, const size_t *sel, size_t n,
                             invdes_error *err) {
  size_t per = invdes_command_request_size(&e->s);
  invdes_param_value *pv = calloc(per + 1, sizeof *pv);
  if (!pv) return nomem(err);
  invdes_status st = INVDES_OK;
  for (size_t i = 0; st == INVDES_OK && i < n; i++) {
    task *k = &t[sel[i]];
    invdes_eval_request req = {.id = (long)k->id, .params = pv,
                               .n_params = invdes_command_request_params(&e->s, k->x, pv)};
    char *text = NULL;
    size_t len = 0;
    st = invdes_command_encode_request(&req, &text, &len, err);
    if (st == INVDES_OK) st = invdes_slurm_task_prepare(e->workdir, k->id, text, len, err);
    free(text);
  }
  free(pv);
  return st;
}

/* sbatch's argument vector for one array of n tasks (the caller frees the
 * array and argv[k] for k >= first_owned). */
static const char **sbatch_argv(const slurm_eval *e, const char *tag, size_t n,
                                const char *wrapper, size_t *first_owned) {
  const slurm_spec *o = e->o;
  const char **argv = calloc(o->n_sbatch_args + 10, sizeof *argv);
  if (!argv) return NULL;
  size_t k = 0;
  argv[k++] = "sbatch";
  for (size_t i = 0; i < o->n_sbatch_args; i++) argv[k++] = o->sbatch_args[i];
  argv[k++] = "--parsable";
  argv[k++] = "--no-requeue";
  *first_owned = k;
  char buf[4400];
  if (o->array_max > 0) snprintf(buf, sizeof buf, "--array=0-%zu%%%d", n - 1, o->array_max);
  else snprintf(buf, sizeof buf, "--array=0-%zu", n - 1);
  argv[k++] = strdup(buf);
  snprintf(buf, sizeof buf, "--job-name=%s", tag);
  argv[k++] = strdup(buf);
  snprintf(buf, sizeof buf, "--chdir=%s", e->workdir);
  argv[k++] = strdup(buf);
  snprintf(buf, sizeof buf, "--output=%s/.invdes/%s_%%a.out", e->workdir, tag);
  argv[k++] = strdup(buf);
  argv[k++] = strdup(wrapper);
  for (size_t i = *first_owned; i < k; i++)
    if (!argv[i]) {
      for (size_t j = *first_owned; j < k; j++) free((char *)argv[j]);
      free(argv);
      return NULL;
    }
  return argv;
}

/* Runs sbatch; *id gets the job id. */
static invdes_status run_sbatch(slurm_eval *e, const char *tag, size_t n, const char *wrapper,
                                char *id, size_t size, invdes_error *err) {
  size_t first = 0;
  const char **argv = sbatch_argv(e, tag, n, wrapper, &first);
  if (!argv) return nomem(err);
  slurm_output out;
  invdes_status st = invdes_slurm_exec(argv, CMD_TIMEOUT, &out, err);
  for (size_t i = first; argv[i]; i++) free((char *)argv[i]);
  free(argv);
  if (st != INVDES_OK) return st;
  if (out.status != 0 || !invdes_slurm_parse_sbatch(out.out, id, size))
    st = invdes_error_set(err, INVDES_ERR_IO, "sbatch failed (exit %d): %.600s", out.status,
                          out.err[0] ? out.err : out.out);
  invdes_slurm_output_free(&out);
  return st;
}

/* Submits the tasks sel[0..n) as one array: params, intent, sbatch, id. */
static invdes_status submit(slurm_eval *e, task *t, const size_t *sel, size_t n,
                            invdes_error *err) {
  if (n == 0) return INVDES_OK;
  const invdes_objective_jobs *J = e->s.jobs;
  int64_t *ids = calloc(n, sizeof *ids);
  int *retries = calloc(n, sizeof *retries);
  char tag[128], id[64], *wrapper = NULL;
  invdes_status st = ids && retries ? prepare(e, t, sel, n, err) : nomem(err);
  for (size_t i = 0; st == INVDES_OK && i < n; i++) {
    ids[i] = t[sel[i]].id;
    retries[i] = t[sel[i]].retries;
  }
  new_tag(e, tag, sizeof tag);
  if (st == INVDES_OK)
    st = invdes_slurm_write_wrapper(e->workdir, tag, e->script, ids, n, &wrapper, err);
  if (st == INVDES_OK) st = J->intent(J->data, tag, ids, retries, n, err);
  if (st == INVDES_OK) st = run_sbatch(e, tag, n, wrapper, id, sizeof id, err);
  if (st == INVDES_OK) st = J->submitted(J->data, tag, id, err);
  for (size_t i = 0; st == INVDES_OK && i < n; i++) {
    task *k = &t[sel[i]];
    snprintf(k->tag, sizeof k->tag, "%s", tag);
    snprintf(k->job, sizeof k->job, "%s", id);
    k->index = (int)i;
    k->phase = T_QUEUED;
    k->looks = 0;
  }
  free(wrapper);
  free(ids);
  free(retries);
  return st;
}

/* An intent without a job id: the job Slurm knows by that tag, or the id a
 * started task wrote; "" when sbatch never got through. */
static invdes_status find_by_tag(slurm_eval *e, const task *k, char *id, size_t size,
                                 invdes_error *err) {
  id[0] = '\0';
  char name[160];
  snprintf(name, sizeof name, "--name=%s", k->tag);
  const char *argv[] = {"squeue", "-h", "-t", "all", name, "-o", "%F", NULL};
  slurm_output out;
  invdes_status st = invdes_slurm_exec(argv, CMD_TIMEOUT, &out, err);
  if (st != INVDES_OK) return st;
  if (out.status != 0)
    st = invdes_error_set(err, INVDES_ERR_IO, "squeue failed (exit %d): %.600s", out.status,
                          out.err);
  else if (!invdes_slurm_parse_first_id(out.out, id, size))
    invdes_slurm_task_job(e->workdir, k->id, k->tag, id, size);
  invdes_slurm_output_free(&out);
  return st;
}

/* Where each proposal stands according to the record. */
static invdes_status attach(slurm_eval *e, task *k, invdes_error *err) {
  const invdes_objective_jobs *J = e->s.jobs;
  invdes_objective_job j;
  int found = 0;
  invdes_status st = J->latest(J->data, k->id, &j, &found, err);
  if (st != INVDES_OK || !found) return st;
  k->retries = j.retries;
  if (j.cancelled) return INVDES_OK; /* cancelled by the user: submitted anew, no retry spent */
  snprintf(k->tag, sizeof k->tag, "%s", j.tag);
  snprintf(k->job, sizeof k->job, "%s", j.scheduler_id);
  k->index = j.task;
  if (!k->job[0]) {
    st = find_by_tag(e, k, k->job, sizeof k->job, err);
    if (st == INVDES_OK && k->job[0]) st = J->submitted(J->data, k->tag, k->job, err);
  }
  if (k->job[0]) k->phase = T_QUEUED;
  return st;
}

/* Quotes the tail of a task's stderr into the reason. */
static void reason_tail(char *reason, size_t size, const char *tail, size_t len) {
  if (!tail || !len) return;
  char q[TAIL_REASON * 4 + 8];
  size_t from = len > TAIL_REASON ? len - TAIL_REASON : 0;
  invdes_command_quote(tail + from, len - from, TAIL_REASON, q, sizeof q);
  size_t used = strlen(reason);
  snprintf(reason + used, size - used, "; stderr%s: %s", from ? " (tail)" : "", q);
}

/* Records one outcome for k; fail_why NULL means: read the result file.
 * The stderr shown is the script's, or with slurm_out Slurm's own output of
 * the task (what went wrong before or around the script). */
static invdes_status finish(slurm_eval *e, task *k, const char *fail_why, int slurm_out,
                            invdes_objective_done_fn done, void *data, invdes_error *err) {
  size_t T = e->s.n_targets, elen = 0, rlen = 0;
  char reason[2048] = "", path[4400];
  if (slurm_out) snprintf(path, sizeof path, "%s/.invdes/%s_%d.out", e->workdir, k->tag, k->index);
  else snprintf(path, sizeof path, "%s/%lld/stderr", e->workdir, (long long)k->id);
  double *y = calloc(T + 1, sizeof *y);
  char *tail = invdes_slurm_file_tail(path, TAIL_EVENT, &elen);
  int ok = 0;
  if (y && tail && fail_why) {
    snprintf(reason, sizeof reason, "slurm job %s task %d: %s", k->job, k->index, fail_why);
    reason_tail(reason, sizeof reason, tail, elen);
  } else if (y && tail) {
    snprintf(path, sizeof path, "%s/%lld/result.json", e->workdir, (long long)k->id);
    char *res = invdes_slurm_file_tail(path, RESULT_MAX, &rlen);
    char why[1024];
    ok = res ? invdes_command_decode_output(res, rlen, e->s.target_names, T, y, why,
                                            sizeof why) : -1;
    if (ok != 1)
      snprintf(reason, sizeof reason, "result.json: %s",
               !res ? "out of memory" : rlen ? why : "missing or empty");
    free(res);
  }
  invdes_status st = INVDES_OK;
  if (!y || !tail || ok < 0) {
    st = nomem(err);
  } else {
    invdes_objective_outcome out = {.id = k->id, .failed = ok != 1, .y = ok == 1 ? y : NULL,
                                    .reason = reason, .stderr_text = tail, .stderr_len = elen};
    k->phase = T_DONE;
    st = done(&out, 1, data, err);
  }
  free(tail);
  free(y);
  return st;
}

/* The queue's view of job `job`: scontrol, then sacct once forgotten.
 * *known 0 when neither could say anything (the controller not answering). */
static invdes_status query(const char *job, slurm_task_state *s, size_t max, size_t *n,
                           int *known, invdes_error *err) {
  const char *sc[] = {"scontrol", "show", "job", "-o", job, NULL};
  slurm_output out;
  *n = 0;
  *known = 0;
  invdes_status st = invdes_slurm_exec(sc, CMD_TIMEOUT, &out, err);
  if (st != INVDES_OK) return st;
  if (out.status == 0) {
    *n = invdes_slurm_parse_scontrol(out.out, job, s, max);
    *known = 1;
  }
  int forgotten = out.status != 0 && strstr(out.err, "Invalid job id") != NULL;
  invdes_slurm_output_free(&out);
  if (!forgotten) return INVDES_OK;
  const char *sa[] = {"sacct", "-n", "-P", "-X", "-j", job, "-o", "JobID,State", NULL};
  if (invdes_slurm_exec(sa, CMD_TIMEOUT, &out, NULL) == INVDES_OK) {
    if (out.status == 0) *n = invdes_slurm_parse_squeue(out.out, job, s, max);
    invdes_slurm_output_free(&out);
  }
  *known = 1; /* forgotten, and sacct said what it could: unknown tasks are lost */
  return INVDES_OK;
}

/* Judges queued task k by its files and the queue's states s[0..n). A
 * script that died of a signal while Slurm reports the task lost (scancel,
 * a node going DOWN: Slurm signals the script, and the wrapper may still
 * record its status) is lost too, and waits while Slurm still tears it
 * down; one that ended by itself is its own failure. */
static invdes_status judge(slurm_eval *e, task *k, const slurm_task_state *s, size_t n,
                           invdes_objective_done_fn done, void *data, invdes_error *err) {
  int code = 0;
  char why[256];
  const slurm_task_state *ts = NULL;
  for (size_t i = 0; i < n && !ts; i++)
    if (s[i].task == k->index) ts = &s[i];
  slurm_verdict v = ts ? invdes_slurm_verdict(ts->state) : SLURM_LOST;
  if (invdes_slurm_task_exit(e->workdir, k->id, k->tag, &code)) {
    int signalled = code > 128 && ts && (v == SLURM_LOST || v == SLURM_WAIT);
    if (code == 0) return finish(e, k, NULL, 0, done, data, err);
    if (signalled && v == SLURM_WAIT) return INVDES_OK;
    if (!signalled) {
      if (code > 128) snprintf(why, sizeof why, "the script was killed by signal %d", code - 128);
      else snprintf(why, sizeof why, "the script exited %d", code);
      return finish(e, k, why, 0, done, data, err);
    }
  } else if (v == SLURM_WAIT) {
    return INVDES_OK;
  }
  /* an ended task's files may lag behind the queue; a vanished one may be a
   * look taken between two of the controller's updates */
  if ((v == SLURM_ENDED || !ts) && k->looks++ < GRACE_LOOKS) return INVDES_OK;
  const char *state = ts ? ts->state : "vanished from the queue";
  if (v == SLURM_LOST) {
    if (k->retries < e->o->retries) {
      k->retries++;
      k->phase = T_SUBMIT;
      return INVDES_OK;
    }
    snprintf(why, sizeof why, "%s, and %d retr%s spent", state, k->retries,
             k->retries == 1 ? "y" : "ies");
  } else if (v == SLURM_ENDED) {
    snprintf(why, sizeof why, "Slurm says %s (exit %d) but the task left no exit status",
             state, ts->exit_code);
  } else {
    snprintf(why, sizeof why, "Slurm state %s%s%s", state, ts->reason[0] ? ", reason " : "",
             ts->reason);
  }
  return finish(e, k, why, v == SLURM_ENDED || !ts, done, data, err);
}

/* One look at the queue for every queued task; lost ones become T_SUBMIT. */
static invdes_status look(slurm_eval *e, task *t, size_t n, slurm_task_state *s,
                          invdes_objective_done_fn done, void *data, invdes_error *err) {
  invdes_status st = INVDES_OK;
  for (size_t i = 0; st == INVDES_OK && i < n; i++) {
    if (t[i].phase != T_QUEUED) continue;
    int seen = 0;
    for (size_t j = 0; j < i && !seen; j++)
      seen = t[j].phase == T_QUEUED && strcmp(t[j].job, t[i].job) == 0;
    if (seen) continue; /* its job was looked at with an earlier task */
    size_t ns = 0;
    int known = 0;
    st = query(t[i].job, s, 4 * n + 64, &ns, &known, err);
    for (size_t j = i; st == INVDES_OK && known && j < n; j++)
      if (t[j].phase == T_QUEUED && strcmp(t[j].job, t[i].job) == 0)
        st = judge(e, &t[j], s, ns, done, data, err);
  }
  return st;
}

/* Sleeps the poll interval in slices; 1 when the run is asked to stop. */
static int nap(const slurm_eval *e) {
  const invdes_objective_jobs *J = e->s.jobs;
  for (double left = e->o->poll; left > 0; left -= 0.1) {
    if (J->stopping && J->stopping(J->data)) return 1;
    struct timespec ts = {0, (long)(1e9 * (left < 0.1 ? left : 0.1))};
    nanosleep(&ts, NULL);
  }
  return J->stopping && J->stopping(J->data);
}

/* Submits every task in phase T_SUBMIT as one array. */
static invdes_status submit_waiting(slurm_eval *e, task *t, size_t n, size_t *sel,
                                    invdes_error *err) {
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (t[i].phase == T_SUBMIT) sel[m++] = i;
  return submit(e, t, sel, m, err);
}

invdes_status invdes_slurm_evaluate(void *state, const invdes_objective_point *p, size_t n,
                                    invdes_objective_done_fn done, void *data,
                                    invdes_error *err) {
  slurm_eval *e = state;
  task *t = calloc(n + 1, sizeof *t);
  size_t *sel = calloc(n + 1, sizeof *sel);
  slurm_task_state *s = calloc(4 * n + 64, sizeof *s);
  invdes_status st = t && sel && s ? INVDES_OK : nomem(err);
  for (size_t i = 0; st == INVDES_OK && i < n; i++) {
    t[i] = (task){.id = p[i].id, .x = p[i].x, .phase = T_SUBMIT};
    if (!p[i].x) st = invdes_error_set(err, INVDES_ERR_INVALID, "%s", p[i].unreadable);
    else st = attach(e, &t[i], err);
  }
  if (st == INVDES_OK) st = submit_waiting(e, t, n, sel, err);
  for (;;) {
    size_t open = 0;
    for (size_t i = 0; i < n; i++) open += t[i].phase != T_DONE;
    if (st != INVDES_OK || open == 0 || nap(e)) break;
    st = look(e, t, n, s, done, data, err);
    if (st == INVDES_OK) st = submit_waiting(e, t, n, sel, err);
  }
  free(t);
  free(sel);
  free(s);
  return st;
}

/* ---- invdes cancel ---------------------------------------------------------- */

typedef struct live_list {
  char (*tag)[128];
  char (*id)[64];
  size_t n, cap;
  int nomem;
} live_list;

static int collect(const char *tag, const char *id, void *data) {
  live_list *l = data;
  if (l->n == l->cap) {
    size_t cap = l->cap ? 2 * l->cap : 16;
    void *a = realloc(l->tag, cap * sizeof *l->tag), *b = a ? realloc(l->id, cap * sizeof *l->id) : NULL;
    if (a) l->tag = a;
    if (!a || !b) return l->nomem = 1;
    l->id = b;
    l->cap = cap;
  }
  snprintf(l->tag[l->n], sizeof l->tag[0], "%s", tag);
  snprintf(l->id[l->n], sizeof l->id[0], "%s", id);
  l->n++;
  return 0;
}

invdes_status invdes_slurm_cancel(const invdes_objective_setup *s, size_t *n,
                                  invdes_error *err) {
  const invdes_objective_jobs *J = s->jobs;
  live_list l = {0};
  *n = 0;
  invdes_status st = J->live(J->data, collect, &l, err);
  if (st == INVDES_OK && l.nomem) st = nomem(err);
  for (size_t i = 0; st == INVDES_OK && i < l.n; i++) {
    char name[160];
    snprintf(name, sizeof name, "--name=%s", l.tag[i]);
    const char *by_id[] = {"scancel", l.id[i], NULL}, *by_name[] = {"scancel", name, NULL};
    slurm_output out;
    st = invdes_slurm_exec(l.id[i][0] ? by_id : by_name, CMD_TIMEOUT, &out, err);
    if (st != INVDES_OK) break;
    /* a job that already ended is no error: scancel says "Invalid job id" */
    if (out.status != 0 && !strstr(out.err, "Invalid job id"))
      st = invdes_error_set(err, INVDES_ERR_IO, "scancel %s failed (exit %d): %.600s",
                            l.id[i][0] ? l.id[i] : name, out.status, out.err);
    invdes_slurm_output_free(&out);
    if (st == INVDES_OK) st = J->cancelled(J->data, l.tag[i], err);
    if (st == INVDES_OK) (*n)++;
  }
  free(l.tag);
  free(l.id);
  return st;
}
