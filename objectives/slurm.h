/* slurm.h — what the files of the `slurm` objective kind share (internal).
 *
 * slurm.c is the kind's table entry (keys, reader, checks); slurm_run.c the
 * evaluator (submit job arrays, record, poll, judge, retry); slurm_task.c
 * the work directory of a proposal (params.json in; the wrapper's job,
 * exit_code, result.json, stderr out) and the wrapper script itself;
 * slurm_parse.c reads what sbatch, squeue, scontrol and sacct print and maps
 * Slurm's job states to what the evaluator does; slurm_exec.c runs those
 * commands. Nothing here touches the store: the driver's callbacks
 * (objective.h, invdes_objective_jobs) record jobs. */
#ifndef INVDES_SLURM_H
#define INVDES_SLURM_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "objective.h"

/* The kind's settings (docs/slurm.md). */
typedef struct slurm_spec {
  char *script;       /* resolved against the campaign's folder */
  char *workdir;      /* resolved; default NAME.slurm beside the campaign */
  int array_max;      /* tasks of one array running at once; 0: no limit */
  char **sbatch_args; /* passed to sbatch as they are, before invdes's own */
  size_t n_sbatch_args;
  double poll;        /* seconds between looks at the queue */
  int retries;        /* resubmissions of a task lost to the cluster */
} slurm_spec;

/* ---- job states (slurm_parse.c) ------------------------------------------- */

/* What a Slurm state means for a task that left no exit status file. */
typedef enum slurm_verdict {
  SLURM_WAIT,    /* PENDING, RUNNING, COMPLETING, ...: look again later */
  SLURM_ENDED,   /* COMPLETED, FAILED: the task ran; its files say how */
  SLURM_LOST,    /* NODE_FAIL, PREEMPTED, BOOT_FAIL, CANCELLED (also: unknown
                    to Slurm): the cluster lost it; retried as configured */
  SLURM_FATAL    /* TIMEOUT, OUT_OF_MEMORY, DEADLINE and states we do not
                    know: the task's own failure, never retried */
} slurm_verdict;

/* The verdict of a state word as squeue, scontrol or sacct print it
 * ("CANCELLED by 0" counts as CANCELLED). */
slurm_verdict invdes_slurm_verdict(const char *state);

/* One task as the queue reports it. */
typedef struct slurm_task_state {
  int task;             /* array index */
  char state[32];       /* "RUNNING", ... */
  char reason[64];      /* scheduler's reason, "" when none */
  int exit_code;        /* from ExitCode=N:S, -1 unknown */
  int exit_signal;      /* the S of ExitCode, 0 none */
} slurm_task_state;

/* The tasks of array job `job_id` in `scontrol show job -o` output (one job
 * record per line; a pending array's record covers a range such as
 * "2-5,7%2", expanded here). Tasks of other jobs are skipped. Fills
 * out[0..max) and returns the count (more than max: the rest are dropped).
 * Unparseable lines are skipped. */
size_t invdes_slurm_parse_scontrol(const char *text, const char *job_id, slurm_task_state *out,
                                   size_t max);

/* The same from `squeue -h -r -t all -j ID -o %i|%K|%T|%r` lines, or from
 * `sacct -n -P -X -j ID -o JobID,State` lines ("ID_TASK|STATE"; sacct's
 * "ID_[2-5%2]" pending records expand). */
size_t invdes_slurm_parse_squeue(const char *text, const char *job_id, slurm_task_state *out,
                                 size_t max);

/* The job id sbatch --parsable printed ("1234" or "1234;cluster") into id
 * (size bytes): 1, or 0 when the text holds none. */
int invdes_slurm_parse_sbatch(const char *text, char *id, size_t size);

/* The first array job id in `squeue -h -t all --name=TAG -o %F` output: 1
 * when one was found. */
int invdes_slurm_parse_first_id(const char *text, char *id, size_t size);

/* ---- running commands (slurm_exec.c) ------------------------------------------ */

/* What a command printed. */
typedef struct slurm_output {
  char *out, *err;  /* NUL-terminated, owned (free with invdes_slurm_output_free) */
  int status;       /* exit status; -1 when it did not exit normally */
} slurm_output;

/* Runs argv (NULL-terminated; argv[0] looked up on PATH) without a shell,
 * in a process group of its own (a terminal's Ctrl-C does not reach it) that
 * dies with us (PR_SET_PDEATHSIG): a coordinator killed while sbatch runs
 * leaves no sbatch behind to submit after the restart has looked. Waits at
 * most timeout seconds (then SIGKILL, status -1). INVDES_ERR_IO when it
 * cannot be started (err names the program). */
invdes_status invdes_slurm_exec(const char *const *argv, double timeout, slurm_output *o,
                                invdes_error *err);
void invdes_slurm_output_free(slurm_output *o);

/* ---- a task's files (slurm_task.c) ----------------------------------------------- */

/* Writes WORKDIR/ID/params.json (the command evaluator's request) after
 * removing what an earlier attempt left (job, exit_code, result.json,
 * stdout, stderr). Atomic: a temporary file renamed. */
invdes_status invdes_slurm_task_prepare(const char *workdir, int64_t id, const char *request,
                                        size_t len, invdes_error *err);

/* The wrapper of one array job: task i changes into WORKDIR/ids[i], writes
 * `job` (tag, job id, task), runs the script with stdout and stderr to files
 * there, and writes `exit_code` (tag and status) when the script ends by
 * itself; signalled by Slurm (SIGTERM, SIGINT, SIGHUP) it exits 143 without
 * one, so the job's state (CANCELLED, NODE_FAIL, TIMEOUT, ...) decides. Written
 * to WORKDIR/.invdes/TAG.sh; *path (the caller frees it) names it. */
invdes_status invdes_slurm_write_wrapper(const char *workdir, const char *tag,
                                         const char *script, const int64_t *ids, size_t n,
                                         char **path, invdes_error *err);

/* The exit status the wrapper recorded for tag in WORKDIR/ID/exit_code: 1
 * with *status set, 0 when there is none for this tag (yet). */
int invdes_slurm_task_exit(const char *workdir, int64_t id, const char *tag, int *status);

/* The array job id the wrapper recorded for tag in WORKDIR/ID/job: 1 when
 * the task started under this tag. */
int invdes_slurm_task_job(const char *workdir, int64_t id, const char *tag, char *job_id,
                          size_t size);

/* The last max bytes of the file at path as a new string ("" when it is
 * missing); NULL when out of memory. *len its length. */
char *invdes_slurm_file_tail(const char *path, size_t max, size_t *len);

/* ---- the evaluator (slurm_run.c) --------------------------------------------------- */

invdes_status invdes_slurm_open(const invdes_objective_setup *s, void **state,
                                invdes_error *err);
invdes_status invdes_slurm_evaluate(void *state, const invdes_objective_point *p, size_t n,
                                    invdes_objective_done_fn done, void *data,
                                    invdes_error *err);
void invdes_slurm_close(void *state);
invdes_status invdes_slurm_cancel(const invdes_objective_setup *s, size_t *n,
                                  invdes_error *err);

#endif
