/* slurm_exec.c — runs one Slurm command (sbatch, squeue, scontrol, sacct,
 * scancel) from its argument vector, without a shell, and captures what it
 * prints (slurm.h).
 *
 * The command is started by the command evaluator's spawner
 * (command_proc.c): a process group of its own, so the Ctrl-C meant for
 * `invdes run` never interrupts an sbatch half-way, and death with its
 * parent (INVDES_PROC_DIE_WITH_PARENT), so an sbatch outliving a SIGKILLed
 * coordinator cannot submit after the restarted one has looked for the job
 * (the window between "intent recorded" and "id recorded"). Its standard
 * input is closed at once; both outputs are read with poll() up to a
 * deadline. */
#include "slurm.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "command.h"
#include "command_proc.h"

/* Captured output beyond this is dropped (squeue of a large array is far
 * below it). */
#define OUTPUT_MAX ((size_t)4 << 20)

typedef struct capture {
  char *p;
  size_t len, cap;
} capture;

static int capture_add(capture *c, const char *s, size_t n) {
  if (c->len + n > OUTPUT_MAX) n = OUTPUT_MAX - c->len;
  if (c->len + n + 1 > c->cap) {
    size_t cap = c->cap ? c->cap * 2 : 4096;
    while (cap < c->len + n + 1) cap *= 2;
    char *q = realloc(c->p, cap);
    if (!q) return -1;
    c->p = q;
    c->cap = cap;
  }
  memcpy(c->p + c->len, s, n);
  c->len += n;
  c->p[c->len] = '\0';
  return 0;
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Reads both pipes until both end or the deadline passes; 0, or -1 on a
 * deadline (the child then gets SIGKILL) or out of memory. */
static int drain(int fd[2], capture c[2], pid_t pid, double deadline) {
  int rc = 0;
  while (fd[0] >= 0 || fd[1] >= 0) {
    struct pollfd pf[2] = {{fd[0], POLLIN, 0}, {fd[1], POLLIN, 0}};
    double left = deadline - now_s();
    if (left <= 0) {
      kill(pid, SIGKILL);
      rc = -1;
      break;
    }
    int r = poll(pf, 2, (int)(left * 1000) + 1);
    if (r < 0 && errno != EINTR) break;
    for (int i = 0; r > 0 && i < 2; i++) {
      if (fd[i] < 0 || !(pf[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[8192];
      ssize_t k = read(fd[i], buf, sizeof buf);
      if (k > 0 && capture_add(&c[i], buf, (size_t)k) != 0) rc = -1;
      if (k == 0 || (k < 0 && errno != EINTR && errno != EAGAIN)) {
        close(fd[i]);
        fd[i] = -1;
      }
    }
  }
  for (int i = 0; i < 2; i++)
    if (fd[i] >= 0) close(fd[i]);
  return rc;
}

invdes_status invdes_slurm_exec(const char *const *argv, double timeout, slurm_output *o,
                                invdes_error *err) {
  memset(o, 0, sizeof *o);
  o->status = -1;
  char path[PATH_MAX], reason[512];
  invdes_error e;
  invdes_error_clear(&e);
  if (invdes_command_resolve(argv[0], path, sizeof path, &e) != INVDES_OK)
    return invdes_error_set(err, INVDES_ERR_IO, "cannot run %s: %s", argv[0], e.message);
  sigset_t none;
  sigemptyset(&none);
  invdes_proc p;
  int rc = invdes_proc_start(&p, path, (char *const *)argv, NULL, &none,
                             INVDES_PROC_DIE_WITH_PARENT, reason, sizeof reason);
  if (rc < 0)
    return invdes_error_set(err, INVDES_ERR_IO, "cannot run %s: %s", argv[0], strerror(errno));
  if (rc > 0) return invdes_error_set(err, INVDES_ERR_IO, "cannot run %s: %s", argv[0], reason);
  close(p.in_fd); /* nothing to say: the command reads end-of-file */
  int fd[2] = {p.out_fd, p.err_fd};
  capture c[2] = {{NULL, 0, 0}, {NULL, 0, 0}};
  int drained = drain(fd, c, p.pid, now_s() + timeout);
  int ws = 0;
  while (waitpid(p.pid, &ws, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(ws) && drained == 0) o->status = WEXITSTATUS(ws);
  o->out = c[0].p ? c[0].p : strdup("");
  o->err = c[1].p ? c[1].p : strdup("");
  if (!o->out || !o->err) {
    invdes_slurm_output_free(o);
    return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  }
  return INVDES_OK;
}

void invdes_slurm_output_free(slurm_output *o) {
  if (!o) return;
  free(o->out);
  free(o->err);
  o->out = o->err = NULL;
}
