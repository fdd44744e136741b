/* command.h — the command evaluator: runs an external program per evaluation.
 *
 * Protocol (docs/architecture.md): the program gets one JSON object on
 * standard input, {"id": 17, "parameters": {"ni": 0.6, "dopant": "Al"}}, and
 * writes one JSON object on standard output with one number per target,
 * {"capacity": 182.3, "voltage": 3.71}, or {"failed": "reason"}. Keys beyond
 * the targets are ignored (the raw output is kept). The program is executed
 * directly from its argument vector (searched in PATH when argv[0] has no
 * slash), never through a shell, in its own process group.
 *
 * Every way a program can go wrong — non-zero exit, death by a signal, a
 * time-out, output that is not a JSON object, a missing target, a value that
 * is not a finite number, {"failed": ...}, output beyond the size limit — is
 * a failed evaluation carrying its reason, never an error of the call.
 * Standard error is captured (bounded) for the event log.
 *
 * Process hygiene: on a time-out the whole process group gets SIGKILL and the
 * child is reaped; when a program exits, whatever it left running in its
 * process group is killed too (a program that moves its helpers into a
 * session or group of their own takes responsibility for them). SIGPIPE from
 * a program that does not read its input never reaches invdes: SIGPIPE is
 * blocked in the calling thread for the duration of a batch, a SIGPIPE raised
 * by our own writes is consumed before the mask is restored, and the caller's
 * mask and dispositions are left as they were. Children start with the
 * caller's original signal mask and SIGPIPE at its default action.
 * Children are reaped with waitpid on their pid only; the caller must not
 * set SIGCHLD to SIG_IGN (exit statuses would be lost and reported as such).
 *
 * The batch loop (command_run.c) does not know campaigns, targets' goals or
 * the store; the objective kind `command` (command.c, objective.h) formats
 * the parameters and hands the results to the driver, which records them. */
#ifndef INVDES_COMMAND_H
#define INVDES_COMMAND_H

#include <stddef.h>

#include "error.h"

/* One parameter value as the program will see it: a number, or the label of a
 * categorical choice. name and label are borrowed. */
typedef struct invdes_param_value {
  const char *name;
  int is_label;       /* 1: label is sent as a JSON string; 0: value as a number */
  double value;       /* must be finite when is_label is 0 */
  const char *label;  /* UTF-8, used when is_label is 1 */
} invdes_param_value;

/* One evaluation to run; params are borrowed for the duration of the call. */
typedef struct invdes_eval_request {
  long id; /* the proposal id, sent as "id" */
  const invdes_param_value *params;
  size_t n_params;
} invdes_eval_request;

/* What became of one evaluation. Members are owned by the result and freed by
 * invdes_eval_results_free. */
typedef struct invdes_eval_result {
  int ok;             /* 1: every target has a finite value */
  double *values;     /* n_targets entries; NaN where missing or invalid. When
                         ok is 0 the valid ones that were found are still set */
  char reason[512];   /* why it failed (empty when ok) */
  char *stdout_text;  /* raw standard output, NUL-terminated (at most
                         max_stdout bytes); may be NULL if the program never ran */
  size_t stdout_len;
  char *stderr_text;  /* captured standard error, NUL-terminated; when longer
                         than max_stderr the head and tail are kept with a note
                         between them. May be NULL if the program never ran */
  int exit_code;      /* exit status when it exited, else -1 */
  int term_signal;    /* the signal that ended it, else 0 (SIGKILL after a
                         time-out or oversized output too) */
  int timed_out;      /* 1 when the time-out ended it */
  double seconds;     /* wall-clock time from start to reaping */
} invdes_eval_result;

/* Called as each evaluation completes (in completion order), e.g. to record
 * it before the rest of the batch finishes. index is into the request array;
 * the result is borrowed (the batch's out[index]). */
typedef void (*invdes_command_done_fn)(size_t index, const invdes_eval_result *result,
                                       void *data);

typedef struct invdes_command_options {
  const char *const *argv; /* NULL-terminated; argv[0] is the program */
  double timeout;          /* seconds per evaluation; <= 0 means none */
  int parallel;            /* evaluations in flight at once; < 1 means 1 */
  const char *workdir;     /* the children's working directory; NULL = ours */
  size_t max_stdout;       /* bytes of output accepted; 0 = 1 MiB. More is a
                              failure and stops the program */
  size_t max_stderr;       /* bytes of stderr kept; 0 = 64 KiB */
  invdes_command_done_fn on_done; /* optional */
  void *data;              /* passed to on_done */
} invdes_command_options;

/* Runs the n_req evaluations with at most opt->parallel programs at once and
 * fills out[0..n_req) (the caller owns the array; the members are freed with
 * invdes_eval_results_free, also after an error). target_names are the keys
 * expected in each output. A failed evaluation is an out[i] with ok = 0 and
 * its reason; the call itself fails only when the machinery does:
 * INVDES_ERR_USAGE for bad options, INVDES_ERR_INVALID when the program cannot
 * be found or is not executable (nothing is run), INVDES_ERR_NOMEM, or
 * INVDES_ERR_IO when no process can be started at all (then running programs
 * are killed and the evaluations not run say "not run: ..."). */
invdes_status invdes_command_run_batch(const invdes_command_options *opt,
                                       const char *const *target_names, size_t n_targets,
                                       const invdes_eval_request *req, size_t n_req,
                                       invdes_eval_result *out, invdes_error *err);

/* Frees the members of out[0..n) (not the array) and leaves them zeroed.
 * out may be NULL. */
void invdes_eval_results_free(invdes_eval_result *out, size_t n);

struct invdes_objective_setup;

/* The parameters a program is sent for raw point x of the campaign being
 * evaluated (objective.h's setup): each variable, categorical ones as their
 * label; a pool candidate as its id and its feature values. pv needs room
 * for invdes_command_request_size(s) entries; returns the count. Names and
 * labels are borrowed from s. Shared by the command and slurm kinds. */
size_t invdes_command_request_size(const struct invdes_objective_setup *s);
size_t invdes_command_request_params(const struct invdes_objective_setup *s, const double *x,
                                     invdes_param_value *pv);

/* Resolves argv0 the way the evaluator will (PATH search when it has no
 * slash) and checks that it is an executable regular file; on success the
 * resolved path is written to path (size bytes). For validating a campaign
 * before a run. */
invdes_status invdes_command_resolve(const char *argv0, char *path, size_t size,
                                     invdes_error *err);

#endif
