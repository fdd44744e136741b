/* slurm_exec.c — runs one Slurm command (sbatch, squeue, scontrol, sacct,
 * scancel) from its argument vector, without a shell, and captures what it
 * prints (slurm.h).
 *
 * The child gets a process group of its own, so the Ctrl-C meant for
 * `invdes run` never interrupts an sbatch half-way, and PR_SET_PDEATHSIG, so
 * an sbatch outliving a SIGKILLed coordinator cannot submit after the
 * restarted one has looked for the job (the window between "intent
 * recorded" and "id recorded"). Output is read from two pipes with poll();
 * the command gets /dev/null as standard input. Unlike the command
 * evaluator's children (command_proc.c) nothing is written to it and no JSON
 * is involved. */
#define _GNU_SOURCE
#include "slurm.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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

/* In the child: never returns. */
static void child(const char *const *argv, int out_fd, int err_fd, pid_t parent) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(127); /* the parent died before prctl */
  setpgid(0, 0);
  int null = open("/dev/null", O_RDONLY);
  if (null >= 0) dup2(null, 0);
  dup2(out_fd, 1);
  dup2(err_fd, 2);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  signal(SIGPIPE, SIG_DFL);
  execvp(argv[0], (char *const *)argv);
  dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
  _exit(127);
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
  int po[2] = {-1, -1}, pe[2] = {-1, -1};
  if (pipe2(po, O_CLOEXEC) != 0 || pipe2(pe, O_CLOEXEC) != 0) {
    int e = errno;
    for (int i = 0; i < 2; i++) {
      if (po[i] >= 0) close(po[i]);
      if (pe[i] >= 0) close(pe[i]);
    }
    return invdes_error_set(err, INVDES_ERR_IO, "cannot run %s: %s", argv[0], strerror(e));
  }
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid == 0) child(argv, po[1], pe[1], parent);
  close(po[1]);
  close(pe[1]);
  if (pid < 0) {
    int e = errno;
    close(po[0]);
    close(pe[0]);
    return invdes_error_set(err, INVDES_ERR_IO, "cannot run %s: %s", argv[0], strerror(e));
  }
  int fd[2] = {po[0], pe[0]};
  capture c[2] = {{NULL, 0, 0}, {NULL, 0, 0}};
  int drained = drain(fd, c, pid, now_s() + timeout);
  int ws = 0;
  while (waitpid(pid, &ws, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(ws) && drained == 0) o->status = WEXITSTATUS(ws);
  o->out = c[0].p ? c[0].p : strdup("");
  o->err = c[1].p ? c[1].p : strdup("");
  if (!o->out || !o->err) {
    invdes_slurm_output_free(o);
    return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
  }
  if (o->status == 127 && strstr(o->err, "cannot run")) {
    invdes_status st = invdes_error_set(err, INVDES_ERR_IO, "%s", o->err);
    invdes_slurm_output_free(o);
    return st;
  }
  return INVDES_OK;
}

void invdes_slurm_output_free(slurm_output *o) {
  if (!o) return;
  free(o->out);
  free(o->err);
  o->out = o->err = NULL;
}
