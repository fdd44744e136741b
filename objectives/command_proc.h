/* command_proc.h — starting one evaluator process and capturing its output
 * (internal to the command evaluator).
 *
 * A child runs in its own process group with three pipes (stdin, stdout,
 * stderr) whose parent ends are non-blocking and close-on-exec. The capture
 * buffers here keep stdout up to a limit and stderr as head + tail. The batch
 * loop, time-outs and verdicts live in command_run.c. */
#ifndef INVDES_COMMAND_PROC_H
#define INVDES_COMMAND_PROC_H

#include <signal.h>
#include <stddef.h>
#include <sys/types.h>

/* A running child: the pid is also its process group id. fds are -1 once
 * closed. */
typedef struct invdes_proc {
  pid_t pid;
  int in_fd, out_fd, err_fd;
} invdes_proc;

/* invdes_proc_start's flags. */
enum {
  /* the child gets SIGKILL when the process that started it dies (Linux
   * PR_SET_PDEATHSIG): a scheduler command (sbatch) must not act after a
   * SIGKILLed coordinator was restarted and looked for its work */
  INVDES_PROC_DIE_WITH_PARENT = 1
};

/* Starts path with argv (NULL-terminated) in workdir (NULL = ours), with the
 * signal mask child_mask, SIGPIPE at its default action and flags
 * (INVDES_PROC_*). Returns 0 on success; -1 when the system refused (fork,
 * pipe: errno set, nothing left running); 1 when the child could not execute
 * (reason written, child reaped). */
int invdes_proc_start(invdes_proc *p, const char *path, char *const argv[],
                      const char *workdir, const sigset_t *child_mask, int flags,
                      char *reason, size_t reason_size);

/* Closes whichever of the three fds are open. */
void invdes_proc_close(invdes_proc *p);

/* Standard error kept as its first head_cap bytes and its last tail_cap. */
typedef struct invdes_errbuf {
  char *head, *tail;
  size_t head_cap, head_len, tail_cap, tail_len, tail_pos, total;
} invdes_errbuf;

int invdes_errbuf_init(invdes_errbuf *b, size_t max); /* 0, or -1 out of memory */
void invdes_errbuf_add(invdes_errbuf *b, const char *s, size_t n);
/* A new NUL-terminated text: the head, then (if something was dropped) a note
 * saying how much, then the tail. NULL when out of memory. */
char *invdes_errbuf_text(const invdes_errbuf *b);
void invdes_errbuf_free(invdes_errbuf *b);

#endif
