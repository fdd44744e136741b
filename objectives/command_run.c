/* command_run.c — the command evaluator's batch loop: up to N programs in flight,
 * fed and drained through non-blocking pipes with one poll() loop (no
 * threads), time-outs enforced by killing the process group, each child
 * reaped and judged.
 *
 * A child's end is noticed with waitid(WNOWAIT), so its process group can be
 * killed (cleaning up anything it left behind) while the zombie still holds
 * the group id, before the child is reaped. Checks back off from 1 ms to
 * 50 ms while a child is quiet; once its pipes reach end of file (it is most
 * likely exiting) they restart at 0.1 ms, sub-millisecond waits spinning on
 * poll(0) for at most ~1.5 ms. JSON encoding and decoding are in
 * command_json.c, process start-up and capture buffers in command_proc.c. */
#include "command.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "command_json.h"
#include "command_proc.h"

#define DEFAULT_MAX_STDOUT ((size_t)1 << 20)
#define DEFAULT_MAX_STDERR ((size_t)64 << 10)
#define MAX_CHECK_INTERVAL 0.05

typedef struct slot {
  int active;
  size_t index;
  invdes_proc proc;
  char *input;
  size_t in_len, in_off;
  char *out;
  size_t out_len, out_cap;
  int overflow;
  invdes_errbuf errb;
  double start, deadline, next_check, interval;
  int timed_out;
} slot;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static const char *signal_name(int sig) {
  switch (sig) {
  case SIGHUP: return "SIGHUP";
  case SIGINT: return "SIGINT";
  case SIGQUIT: return "SIGQUIT";
  case SIGILL: return "SIGILL";
  case SIGTRAP: return "SIGTRAP";
  case SIGABRT: return "SIGABRT";
  case SIGBUS: return "SIGBUS";
  case SIGFPE: return "SIGFPE";
  case SIGKILL: return "SIGKILL";
  case SIGUSR1: return "SIGUSR1";
  case SIGSEGV: return "SIGSEGV";
  case SIGUSR2: return "SIGUSR2";
  case SIGPIPE: return "SIGPIPE";
  case SIGALRM: return "SIGALRM";
  case SIGTERM: return "SIGTERM";
  case SIGXCPU: return "SIGXCPU";
  case SIGXFSZ: return "SIGXFSZ";
  default: return "a signal";
  }
}

void invdes_eval_results_free(invdes_eval_result *out, size_t n) {
  if (!out)
    return;
  for (size_t i = 0; i < n; i++) {
    free(out[i].values);
    free(out[i].stdout_text);
    free(out[i].stderr_text);
    memset(&out[i], 0, sizeof out[i]);
  }
}

/* Appends fresh stdout bytes; beyond max the program is stopped. */
static void take_stdout(slot *s, const char *buf, size_t n, size_t max) {
  if (s->overflow)
    return;
  if (s->out_len + n > max) {
    s->overflow = 1;
    kill(-s->proc.pid, SIGKILL);
    n = max - s->out_len;
  }
  if (s->out_len + n + 1 > s->out_cap) {
    size_t cap = s->out_cap ? s->out_cap : 4096;
    while (cap < s->out_len + n + 1)
      cap *= 2;
    char *q = realloc(s->out, cap);
    if (!q) { /* Treated like an overflow: the output cannot be kept. */
      s->overflow = 1;
      kill(-s->proc.pid, SIGKILL);
      return;
    }
    s->out = q;
    s->out_cap = cap;
  }
  memcpy(s->out + s->out_len, buf, n);
  s->out_len += n;
  s->out[s->out_len] = '\0';
}

/* Reads what is available on fd (at most ~1 MiB per call so that one noisy
 * child cannot starve the others); closes it at end of file or error.
 * Returns the number of bytes read. */
static size_t drain(slot *s, int *fd, int is_stdout, size_t max_out) {
  char buf[65536];
  size_t got = 0;
  for (int round = 0; *fd >= 0 && round < 16; round++) {
    ssize_t r = read(*fd, buf, sizeof buf);
    if (r > 0) {
      got += (size_t)r;
      if (is_stdout)
        take_stdout(s, buf, (size_t)r, max_out);
      else
        invdes_errbuf_add(&s->errb, buf, (size_t)r);
      continue;
    }
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
      break;
    close(*fd);
    *fd = -1;
  }
  return got;
}

/* Feeds the request; a reader that went away (EPIPE) just ends the feeding. */
static void feed(slot *s) {
  while (s->proc.in_fd >= 0 && s->in_off < s->in_len) {
    ssize_t w = write(s->proc.in_fd, s->input + s->in_off, s->in_len - s->in_off);
    if (w > 0) {
      s->in_off += (size_t)w;
    } else if (w < 0 && errno == EINTR) {
      continue;
    } else if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return;
    } else {
      break;
    }
  }
  if (s->proc.in_fd >= 0) {
    close(s->proc.in_fd);
    s->proc.in_fd = -1;
  }
}

/* The verdict on a reaped child. */
static void judge(const invdes_command_options *opt, slot *s, int status, int have_status,
                  const char *const *targets, size_t n_targets, invdes_eval_result *r,
                  size_t max_out) {
  r->seconds = now_s() - s->start;
  r->stdout_text = s->out;
  r->stdout_len = s->out_len;
  s->out = NULL;
  if (!r->stdout_text)
    r->stdout_text = calloc(1, 1);
  r->stderr_text = invdes_errbuf_text(&s->errb);
  r->exit_code = -1;
  if (have_status && WIFEXITED(status))
    r->exit_code = WEXITSTATUS(status);
  if (have_status && WIFSIGNALED(status))
    r->term_signal = WTERMSIG(status);
  r->timed_out = s->timed_out;
  char quoted[1024];
  const char *text = r->stdout_text ? r->stdout_text : "";
  size_t len = r->stdout_text ? r->stdout_len : 0;
  if (s->timed_out) {
    snprintf(r->reason, sizeof r->reason, "timed out after %g s", opt->timeout);
  } else if (s->overflow) {
    invdes_command_quote(text, len, 200, quoted, sizeof quoted);
    snprintf(r->reason, sizeof r->reason,
             "output exceeds %zu bytes (program stopped): '%.400s'", max_out, quoted);
  } else if (!have_status) {
    snprintf(r->reason, sizeof r->reason, "exit status lost (is SIGCHLD ignored?)");
  } else if (WIFSIGNALED(status)) {
    snprintf(r->reason, sizeof r->reason, "killed by signal %d (%s)", r->term_signal,
             signal_name(r->term_signal));
  } else if (r->exit_code != 0) {
    char why[sizeof r->reason];
    snprintf(r->reason, sizeof r->reason, "exited with status %d", r->exit_code);
    if (invdes_command_decode_output(text, len, targets, n_targets, r->values, why,
                                     sizeof why) == 0 &&
        strncmp(why, "program reported failure", 24) == 0)
      snprintf(r->reason + strlen(r->reason), sizeof r->reason - strlen(r->reason), "; %s",
               why);
    for (size_t t = 0; t < n_targets; t++)
      r->values[t] = NAN;
  } else {
    r->ok = invdes_command_decode_output(text, len, targets, n_targets, r->values, r->reason,
                                         sizeof r->reason) == 1;
  }
  if (r->ok)
    r->reason[0] = '\0';
}

static void slot_release(slot *s) {
  invdes_proc_close(&s->proc);
  free(s->input);
  free(s->out);
  invdes_errbuf_free(&s->errb);
  memset(s, 0, sizeof *s);
  s->proc.in_fd = s->proc.out_fd = s->proc.err_fd = -1;
}

/* If the child has ended: kill what it left in its group, drain, reap,
 * judge. Returns 1 when the slot was finished. */
static int try_finish(const invdes_command_options *opt, slot *s, const char *const *targets,
                      size_t n_targets, invdes_eval_result *out, size_t max_out) {
  siginfo_t info;
  memset(&info, 0, sizeof info);
  int w = waitid(P_PID, (id_t)s->proc.pid, &info, WEXITED | WNOHANG | WNOWAIT);
  int lost = w < 0 && errno == ECHILD;
  if (!lost && (w < 0 || info.si_pid == 0))
    return 0;
  if (!lost)
    kill(-s->proc.pid, SIGKILL);
  /* What the program wrote before it ended is in the pipes; read until they
   * are empty. The bound stops a process that escaped the group (and keeps
   * writing) from holding us here. */
  for (int round = 0; round < 64 && (s->proc.out_fd >= 0 || s->proc.err_fd >= 0); round++) {
    size_t got = 0;
    if (s->proc.out_fd >= 0)
      got += drain(s, &s->proc.out_fd, 1, max_out);
    if (s->proc.err_fd >= 0)
      got += drain(s, &s->proc.err_fd, 0, 0);
    if (got == 0)
      break;
  }
  int status = 0, have = 0;
  if (!lost) {
    pid_t p;
    while ((p = waitpid(s->proc.pid, &status, 0)) < 0 && errno == EINTR)
      ;
    have = p == s->proc.pid;
  }
  invdes_eval_result *r = &out[s->index];
  judge(opt, s, status, have, targets, n_targets, r, max_out);
  size_t index = s->index;
  slot_release(s);
  if (opt->on_done)
    opt->on_done(index, r, opt->data);
  return 1;
}

/* Kills and reaps every running child (after a machinery failure). */
static void abort_all(slot *slots, int n) {
  for (int k = 0; k < n; k++) {
    if (!slots[k].active)
      continue;
    kill(-slots[k].proc.pid, SIGKILL);
    while (waitpid(slots[k].proc.pid, NULL, 0) < 0 && errno == EINTR)
      ;
    slot_release(&slots[k]);
  }
}

/* Starts request i in slot s. Returns 1 when it is running, 0 when it was
 * settled at once (bad request, exec failure), -1 on a system failure
 * (errno set; the request is untouched and may be retried). */
static int launch(const invdes_command_options *opt, const char *path, char *const *argv,
                  const sigset_t *child_mask, const invdes_eval_request *req, size_t i,
                  slot *s, invdes_eval_result *r, size_t max_err) {
  invdes_error e;
  invdes_error_clear(&e);
  char *input = NULL;
  size_t in_len = 0;
  invdes_status st = invdes_command_encode_request(&req[i], &input, &in_len, &e);
  if (st == INVDES_ERR_NOMEM) {
    errno = ENOMEM;
    return -1;
  }
  if (st != INVDES_OK) {
    snprintf(r->reason, sizeof r->reason, "not run: %.400s", e.message);
    return 0;
  }
  if (invdes_errbuf_init(&s->errb, max_err) != 0) {
    free(input);
    errno = ENOMEM;
    return -1;
  }
  s->start = now_s();
  int rc = invdes_proc_start(&s->proc, path, argv, opt->workdir, child_mask, 0, r->reason,
                             sizeof r->reason);
  if (rc != 0) {
    int e2 = errno;
    free(input);
    invdes_errbuf_free(&s->errb);
    if (rc > 0) {
      r->seconds = now_s() - s->start;
      r->exit_code = 127;
      return 0;
    }
    errno = e2;
    return -1;
  }
  s->active = 1;
  s->index = i;
  s->input = input;
  s->in_len = in_len;
  s->in_off = 0;
  s->deadline = opt->timeout > 0 ? s->start + opt->timeout : INFINITY;
  s->interval = 0.001;
  s->next_check = s->start + s->interval;
  return 1;
}

/* Milliseconds poll may sleep: until the nearest check or deadline. */
static int poll_wait_ms(const slot *slots, int n, double t) {
  double until = INFINITY;
  for (int k = 0; k < n; k++) {
    if (!slots[k].active)
      continue;
    if (slots[k].next_check < until)
      until = slots[k].next_check;
    if (!slots[k].timed_out && slots[k].deadline < until)
      until = slots[k].deadline;
  }
  if (!isfinite(until))
    return -1;
  double ms = (until - t) * 1000.0;
  ms = ms < 1.0 ? floor(ms) : ceil(ms);
  return ms < 0 ? 0 : ms > 1000 ? 1000 : (int)ms;
}

/* The program to exec. A relative path with a slash is taken relative to the
 * working directory the child will have, so it is checked there but passed
 * to execv as given. */
static invdes_status find_program(const invdes_command_options *opt, char *path, size_t size,
                                  invdes_error *err) {
  const char *a0 = opt->argv[0];
  if (!opt->workdir || !strchr(a0, '/') || a0[0] == '/')
    return invdes_command_resolve(a0, path, size, err);
  char there[PATH_MAX];
  if ((size_t)snprintf(there, sizeof there, "%s/%s", opt->workdir, a0) >= sizeof there)
    return invdes_error_set(err, INVDES_ERR_INVALID, "command path too long");
  invdes_status st = invdes_command_resolve(there, path, size, err);
  if (st == INVDES_OK)
    snprintf(path, size, "%s", a0);
  return st;
}

/* One round of poll() over every open pipe, then servicing what it reported. */
static invdes_status poll_round(slot *slots, int n, struct pollfd *pfd, int *owner,
                                size_t max_out, invdes_error *err) {
  int m = 0;
  for (int k = 0; k < n; k++) {
    if (!slots[k].active)
      continue;
    int fds[3] = {slots[k].proc.in_fd, slots[k].proc.out_fd, slots[k].proc.err_fd};
    for (int j = 0; j < 3; j++) {
      if (fds[j] < 0)
        continue;
      pfd[m].fd = fds[j];
      pfd[m].events = j == 0 ? POLLOUT : POLLIN;
      pfd[m].revents = 0;
      owner[m] = 3 * k + j;
      m++;
    }
  }
  int rc = poll(pfd, (nfds_t)m, poll_wait_ms(slots, n, now_s()));
  if (rc < 0 && errno != EINTR)
    return invdes_error_set(err, INVDES_ERR_IO, "poll failed: %s", strerror(errno));
  if (rc <= 0)
    return INVDES_OK;
  double t = now_s();
  for (int q = 0; q < m; q++) {
    if (!pfd[q].revents)
      continue;
    slot *s = &slots[owner[q] / 3];
    int which = owner[q] % 3;
    if (which == 0) {
      feed(s);
    } else {
      int *fd = which == 1 ? &s->proc.out_fd : &s->proc.err_fd;
      drain(s, fd, which == 1, max_out);
      if (*fd < 0) { /* end of file: the program is probably exiting */
        s->interval = 0.0001;
        s->next_check = t;
      }
    }
  }
  return INVDES_OK;
}

/* Fills out[0..n_req) with empty results (NaN values, exit code -1); on
 * failure frees what it allocated. */
static invdes_status results_init(invdes_eval_result *out, size_t n_req, size_t n_targets,
                                  invdes_error *err) {
  for (size_t i = 0; i < n_req; i++) {
    memset(&out[i], 0, sizeof out[i]);
    out[i].exit_code = -1;
    out[i].values = malloc((n_targets ? n_targets : 1) * sizeof(double));
    if (!out[i].values) {
      invdes_eval_results_free(out, i);
      return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory for results");
    }
    for (size_t t = 0; t < n_targets; t++)
      out[i].values[t] = NAN;
  }
  return INVDES_OK;
}

/* After a poll round: kills the children past their deadline and finishes
 * the slots whose child has ended, backing the check interval off for the
 * others. Returns how many slots finished. */
static size_t check_slots(const invdes_command_options *opt, slot *slots, int n,
                          const char *const *target_names, size_t n_targets,
                          invdes_eval_result *out, size_t max_out) {
  size_t finished = 0;
  double t = now_s();
  for (int k = 0; k < n; k++) {
    slot *s = &slots[k];
    if (!s->active)
      continue;
    if (!s->timed_out && t >= s->deadline) {
      s->timed_out = 1;
      kill(-s->proc.pid, SIGKILL);
      s->interval = 0.001;
      s->next_check = t;
    }
    if (t < s->next_check)
      continue;
    if (try_finish(opt, s, target_names, n_targets, out, max_out)) {
      finished++;
    } else {
      s->interval = s->interval * 2 > MAX_CHECK_INTERVAL ? MAX_CHECK_INTERVAL
                                                         : s->interval * 2;
      s->next_check = t + s->interval;
    }
  }
  return finished;
}

invdes_status invdes_command_run_batch(const invdes_command_options *opt,
                                       const char *const *target_names, size_t n_targets,
                                       const invdes_eval_request *req, size_t n_req,
                                       invdes_eval_result *out, invdes_error *err) {
  if (!opt || !opt->argv || !opt->argv[0] || (n_req && (!req || !out)) ||
      (n_targets && !target_names))
    return invdes_error_set(err, INVDES_ERR_USAGE, "command evaluator: missing arguments");
  invdes_status st = results_init(out, n_req, n_targets, err);
  if (st != INVDES_OK)
    return st;
  char path[PATH_MAX];
  st = find_program(opt, path, sizeof path, err);
  if (st != INVDES_OK) {
    for (size_t i = 0; i < n_req; i++)
      snprintf(out[i].reason, sizeof out[i].reason, "not run: program not found");
    return st;
  }
  int n = opt->parallel < 1 ? 1 : opt->parallel;
  if ((size_t)n > n_req)
    n = n_req ? (int)n_req : 1;
  size_t max_out = opt->max_stdout ? opt->max_stdout : DEFAULT_MAX_STDOUT;
  size_t max_err = opt->max_stderr ? opt->max_stderr : DEFAULT_MAX_STDERR;
  slot *slots = calloc((size_t)n, sizeof *slots);
  struct pollfd *pfd = malloc(3 * (size_t)n * sizeof *pfd);
  int *owner = malloc(3 * (size_t)n * sizeof *owner);
  if (!slots || !pfd || !owner) {
    free(slots);
    free(pfd);
    free(owner);
    return invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory for the batch");
  }
  for (int k = 0; k < n; k++)
    slot_release(&slots[k]);

  /* SIGPIPE stays blocked in this thread for the batch; see command.h. */
  sigset_t pipe_set, old_mask, pending;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  sigemptyset(&pending);
  sigpending(&pending);
  int was_pending = sigismember(&pending, SIGPIPE) == 1;
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old_mask);

  size_t next = 0, done = 0;
  int running = 0;
  st = INVDES_OK;
  while (done < n_req) {
    for (int k = 0; k < n && next < n_req; k++) {
      if (slots[k].active)
        continue;
      int rc = launch(opt, path, (char *const *)opt->argv, &old_mask, req, next, &slots[k],
                      &out[next], max_err);
      if (rc < 0) {
        if (running > 0 && errno != ENOMEM)
          break; /* out of processes or fds for now: retry when one ends */
        st = invdes_error_set(err, errno == ENOMEM ? INVDES_ERR_NOMEM : INVDES_ERR_IO,
                              "cannot start '%s': %s", opt->argv[0], strerror(errno));
        break;
      }
      if (rc == 0) {
        done++;
        if (opt->on_done)
          opt->on_done(next, &out[next], opt->data);
      } else {
        running++;
      }
      next++;
    }
    if (st != INVDES_OK)
      break;
    if (running == 0)
      continue;
    st = poll_round(slots, n, pfd, owner, max_out, err);
    if (st != INVDES_OK)
      break;
    size_t finished = check_slots(opt, slots, n, target_names, n_targets, out, max_out);
    running -= (int)finished;
    done += finished;
  }
  if (st != INVDES_OK) {
    abort_all(slots, n);
    for (size_t i = 0; i < n_req; i++)
      if (!out[i].reason[0] && !out[i].ok && !out[i].stdout_text)
        snprintf(out[i].reason, sizeof out[i].reason, "not run or not completed: %.400s",
                 err ? err->message : "");
  }
  free(slots);
  free(pfd);
  free(owner);

  sigemptyset(&pending);
  sigpending(&pending);
  if (!was_pending && sigismember(&pending, SIGPIPE) == 1) {
    struct timespec zero = {0, 0};
    while (sigtimedwait(&pipe_set, NULL, &zero) < 0 && errno == EINTR)
      ;
  }
  pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
  return st;
}
