/* command_proc.c — fork/exec of one evaluator process, program lookup, and the
 * stderr capture buffer.
 *
 * Between fork and exec the child calls only async-signal-safe functions
 * (prctl, getppid, setpgid, sigaction, sigprocmask, dup2, chdir, execv,
 * write, _exit), so a
 * multi-threaded caller (OpenMP) is safe. The program is looked up in PATH by
 * the parent beforehand, which is why execv (not execvp) suffices. An exec
 * failure travels back on a close-on-exec status pipe. No shell is involved
 * at any point. */
#include "command_proc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "command.h"

/* A pipe whose both ends are close-on-exec and at least 3, so that dup2 onto
 * 0..2 in the child never clobbers another end. */
static int safe_pipe(int fd[2]) {
  if (pipe(fd) != 0)
    return -1;
  for (int k = 0; k < 2; k++) {
    if (fd[k] < 3) {
      int moved = fcntl(fd[k], F_DUPFD, 3);
      if (moved < 0) {
        int e = errno;
        close(fd[0]);
        close(fd[1]);
        errno = e;
        return -1;
      }
      close(fd[k]);
      fd[k] = moved;
    }
    fcntl(fd[k], F_SETFD, FD_CLOEXEC);
  }
  return 0;
}

static void close_fd(int *fd) {
  if (*fd >= 0) {
    close(*fd);
    *fd = -1;
  }
}

void invdes_proc_close(invdes_proc *p) {
  close_fd(&p->in_fd);
  close_fd(&p->out_fd);
  close_fd(&p->err_fd);
}

/* What the child reports on the status pipe when it cannot go on. */
typedef struct exec_failure {
  int stage; /* 1: chdir, 2: exec, 3: setting up */
  int error;
} exec_failure;

static void child_fail(int status_fd, int stage) {
  exec_failure f = {stage, errno};
  ssize_t w = write(status_fd, &f, sizeof f);
  (void)w;
  _exit(127);
}

int invdes_proc_start(invdes_proc *p, const char *path, char *const argv[],
                      const char *workdir, const sigset_t *child_mask, int flags,
                      char *reason, size_t reason_size) {
  int in[2] = {-1, -1}, out[2] = {-1, -1}, er[2] = {-1, -1}, st[2] = {-1, -1};
  p->pid = -1;
  p->in_fd = p->out_fd = p->err_fd = -1;
  if (safe_pipe(in) || safe_pipe(out) || safe_pipe(er) || safe_pipe(st)) {
    int e = errno;
    int *all[4] = {in, out, er, st};
    for (int k = 0; k < 4; k++) {
      close_fd(&all[k][0]);
      close_fd(&all[k][1]);
    }
    errno = e;
    return -1;
  }
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    int e = errno;
    int *all[4] = {in, out, er, st};
    for (int k = 0; k < 4; k++) {
      close(all[k][0]);
      close(all[k][1]);
    }
    errno = e;
    return -1;
  }
  if (pid == 0) {
    /* the parent may have died before prctl took effect: then go at once */
    if ((flags & INVDES_PROC_DIE_WITH_PARENT) &&
        (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent))
      _exit(127);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    if (setpgid(0, 0) != 0 || sigaction(SIGPIPE, &sa, NULL) != 0 ||
        sigprocmask(SIG_SETMASK, child_mask, NULL) != 0 || dup2(in[0], 0) < 0 ||
        dup2(out[1], 1) < 0 || dup2(er[1], 2) < 0)
      child_fail(st[1], 3);
    if (workdir && chdir(workdir) != 0)
      child_fail(st[1], 1);
    execv(path, argv);
    child_fail(st[1], 2);
  }
  /* Both sides set the group so that a kill of the group right after fork
   * cannot miss the child. EACCES after its exec is harmless. */
  setpgid(pid, pid);
  close(in[0]);
  close(out[1]);
  close(er[1]);
  close(st[1]);
  exec_failure f;
  ssize_t got;
  do
    got = read(st[0], &f, sizeof f);
  while (got < 0 && errno == EINTR);
  close(st[0]);
  if (got == (ssize_t)sizeof f) {
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
      ;
    close(in[1]);
    close(out[0]);
    close(er[0]);
    if (f.stage == 1)
      snprintf(reason, reason_size, "cannot change to directory '%s': %s", workdir,
               strerror(f.error));
    else if (f.stage == 2)
      snprintf(reason, reason_size, "cannot execute '%s': %s", path, strerror(f.error));
    else
      snprintf(reason, reason_size, "cannot set up the child process: %s",
               strerror(f.error));
    return 1;
  }
  p->pid = pid;
  p->in_fd = in[1];
  p->out_fd = out[0];
  p->err_fd = er[0];
  int fds[3] = {p->in_fd, p->out_fd, p->err_fd};
  for (int k = 0; k < 3; k++)
    fcntl(fds[k], F_SETFL, fcntl(fds[k], F_GETFL) | O_NONBLOCK);
  return 0;
}

/* 1 when path names an executable regular file. */
static int executable(const char *path) {
  struct stat sb;
  return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && access(path, X_OK) == 0;
}

invdes_status invdes_command_resolve(const char *argv0, char *path, size_t size,
                                     invdes_error *err) {
  if (!argv0 || !*argv0)
    return invdes_error_set(err, INVDES_ERR_INVALID, "the command is empty");
  if (strchr(argv0, '/')) {
    if ((size_t)snprintf(path, size, "%s", argv0) >= size)
      return invdes_error_set(err, INVDES_ERR_INVALID, "command path too long");
    if (!executable(path))
      return invdes_error_set(err, INVDES_ERR_INVALID, "command '%s' is not an executable file",
                              argv0);
    return INVDES_OK;
  }
  const char *dirs = getenv("PATH");
  if (!dirs || !*dirs)
    dirs = "/usr/local/bin:/usr/bin:/bin";
  const char *d = dirs;
  for (;;) {
    const char *end = strchr(d, ':');
    size_t n = end ? (size_t)(end - d) : strlen(d);
    char cand[PATH_MAX];
    int w;
    if (n == 0)
      w = snprintf(cand, sizeof cand, "%s", argv0); /* empty entry = "." */
    else
      w = snprintf(cand, sizeof cand, "%.*s/%s", (int)n, d, argv0);
    if (w > 0 && (size_t)w < sizeof cand && executable(cand)) {
      if (cand[0] != '/') {
        /* A relative PATH entry: anchor it here, since the child may chdir. */
        char cwd[PATH_MAX];
        if (!getcwd(cwd, sizeof cwd))
          return invdes_error_set(err, INVDES_ERR_IO, "cannot get the working directory");
        w = snprintf(path, size, "%s/%s", cwd, cand);
      } else {
        w = snprintf(path, size, "%s", cand);
      }
      if (w < 0 || (size_t)w >= size)
        return invdes_error_set(err, INVDES_ERR_INVALID, "command path too long");
      return INVDES_OK;
    }
    if (!end)
      break;
    d = end + 1;
  }
  return invdes_error_set(err, INVDES_ERR_INVALID, "command '%s' not found in PATH", argv0);
}

int invdes_errbuf_init(invdes_errbuf *b, size_t max) {
  memset(b, 0, sizeof *b);
  b->head_cap = max / 2;
  b->tail_cap = max - b->head_cap;
  b->head = malloc(b->head_cap ? b->head_cap : 1);
  b->tail = malloc(b->tail_cap ? b->tail_cap : 1);
  if (!b->head || !b->tail) {
    invdes_errbuf_free(b);
    return -1;
  }
  return 0;
}

void invdes_errbuf_add(invdes_errbuf *b, const char *s, size_t n) {
  b->total += n;
  size_t h = b->head_cap - b->head_len;
  if (h > n)
    h = n;
  memcpy(b->head + b->head_len, s, h);
  b->head_len += h;
  s += h;
  n -= h;
  if (b->tail_cap == 0 || n == 0)
    return;
  if (n > b->tail_cap) {
    s += n - b->tail_cap;
    n = b->tail_cap;
  }
  for (size_t i = 0; i < n; i++) {
    b->tail[b->tail_pos] = s[i];
    b->tail_pos = (b->tail_pos + 1) % b->tail_cap;
  }
  b->tail_len = b->tail_len + n > b->tail_cap ? b->tail_cap : b->tail_len + n;
}

char *invdes_errbuf_text(const invdes_errbuf *b) {
  size_t dropped = b->total - b->head_len - b->tail_len;
  char note[128] = "";
  if (dropped)
    snprintf(note, sizeof note, "\n[... %zu bytes of stderr left out, %zu in all ...]\n",
             dropped, b->total);
  size_t nl = strlen(note);
  char *t = malloc(b->head_len + nl + b->tail_len + 1);
  if (!t)
    return NULL;
  memcpy(t, b->head, b->head_len);
  memcpy(t + b->head_len, note, nl);
  /* The ring's oldest byte sits at tail_pos once it has wrapped. */
  size_t start = b->tail_len == b->tail_cap ? b->tail_pos : 0;
  for (size_t i = 0; i < b->tail_len; i++)
    t[b->head_len + nl + i] = b->tail[(start + i) % (b->tail_cap ? b->tail_cap : 1)];
  t[b->head_len + nl + b->tail_len] = '\0';
  return t;
}

void invdes_errbuf_free(invdes_errbuf *b) {
  free(b->head);
  free(b->tail);
  b->head = b->tail = NULL;
}
