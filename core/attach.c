/* --pid: attach to a running process, inject from then on, detach at the end.
 *
 * No seccomp filter can be installed into a running process, so an attached
 * run stops at every system call (PTRACE_SYSCALL), like --no-seccomp. Every
 * thread is seized (PTRACE_SEIZE, rescanning /proc/PID/task until no new
 * thread appears) and interrupted, so that the tracer can resume it with
 * PTRACE_SYSCALL; children and threads created later are followed as in a
 * normal run. EXITKILL is not set: if fifuzz dies, the kernel detaches the
 * process instead of killing it. The run ends when the process exits, or on
 * SIGINT, SIGTERM or SIGHUP, which detach every task (see the tracer's
 * on_detach_stop) and leave the process running. */
#include "core/attach.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <unistd.h>

#include "core/tracer.h"
#include "core/util.h"

/* The TracerPid of tid, or -1. */
static int tracer_of(pid_t tid)
{
	char p[64], buf[1024];
	snprintf(p, sizeof(p), "/proc/%d/status", (int)tid);
	if (ff_read_small(p, buf, sizeof(buf)) < 0)
		return -1;
	char *l = strstr(buf, "\nTracerPid:");
	return l ? atoi(l + 11) : -1;
}

/* Seizes every thread of pid; returns the number seized this pass, or
 * -errno (nothing seized at all: the process is gone or not ours to trace). */
static int seize_pass(struct ff_session *s, pid_t pid, long opts)
{
	char p[64];
	snprintf(p, sizeof(p), "/proc/%d/task", (int)pid);
	DIR *d = opendir(p);
	if (!d)
		return -ESRCH;
	int added = 0, rc = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		pid_t tid = (pid_t)atoi(e->d_name);
		if (tid <= 0)
			continue;
		if (ptrace(PTRACE_SEIZE, tid, 0, (void *)opts) < 0) {
			/* A thread that a seized one created meanwhile is ours already. */
			if (errno == EPERM && tracer_of(tid) == (int)getpid()) {
				added += ff_tracer_adopt(s, tid, pid); /* its first stop is on the way */
				continue;
			}
			if (tid == pid && !s->ntasks)
				rc = -errno;
			continue; /* a thread that exited meanwhile */
		}
		ff_tracer_adopt(s, tid, pid);
		ptrace(PTRACE_INTERRUPT, tid, 0, 0);
		added++;
	}
	closedir(d);
	return rc < 0 ? rc : added;
}

/* The process's command line, for the trace header. */
static void read_cmdline(pid_t pid, struct ff_trace_hdr *h)
{
	char p[64], buf[8192];
	snprintf(p, sizeof(p), "/proc/%d/cmdline", (int)pid);
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		n = snprintf(buf, sizeof(buf), "[pid %d]", (int)pid) + 1;
	buf[n] = 0;
	for (uint32_t i = 0; i < h->argc; i++)
		free(h->argv[i]);
	free(h->argv);
	h->argc = 0;
	h->argv = ff_xcalloc((size_t)n + 1, sizeof(char *));
	for (ssize_t o = 0; o < n; o += (ssize_t)strlen(buf + o) + 1) {
		h->argv[h->argc] = ff_xstrdup(buf + o);
		if (strlen(h->argv[h->argc]) > FF_TRACE_MAX_STR)
			h->argv[h->argc][FF_TRACE_MAX_STR] = 0;
		h->argc++;
	}
}

int ff_attach(const struct ff_config *cfg, struct ff_source *src, struct ff_run_result *res, char *err, size_t errlen)
{
	pid_t pid = (pid_t)cfg->attach_pid;
	struct ff_session *s = ff_run_session(cfg, src, res);
	int rc = 0;
	s->attach = true;
	s->root = pid;
	s->seccomp = false;
	res->trace.hdr.flags |= FF_TF_NO_SECCOMP | FF_TF_ATTACHED;
	read_cmdline(pid, &res->trace.hdr);
	/* Sites are named relative to the process's working directory at attach. */
	char link[64];
	snprintf(link, sizeof(link), "/proc/%d/cwd", (int)pid);
	ssize_t n = readlink(link, s->cwd, sizeof(s->cwd) - 1);
	if (n <= 0 || n >= (ssize_t)sizeof(s->cwd) - 1)
		snprintf(s->cwd, sizeof(s->cwd), "/");
	else
		s->cwd[n] = 0;

	long opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC |
		    (cfg->no_follow ? 0 : PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK);
	/* The signal handlers first: a Ctrl-C from here on detaches. */
	ff_run_set_handlers(true, 0);
	for (int pass = 0; pass < 1000; pass++) {
		int added = seize_pass(s, pid, opts);
		if (added < 0) {
			rc = added;
			int tracer = tracer_of(pid);
			if (rc == -EPERM && tracer > 0)
				snprintf(err, errlen, "cannot attach to pid %d: it is traced by pid %d already",
					 (int)pid, tracer);
			else
				snprintf(err, errlen, "cannot attach to pid %d: %s%s", (int)pid, strerror(-rc),
					 rc == -EPERM
					     ? " (ptrace is restricted here: see /proc/sys/kernel/yama/ptrace_scope, "
					       "or a container without CAP_SYS_PTRACE)"
					     : "");
			goto out;
		}
		if (!added)
			break;
	}
	if (!s->ntasks) {
		rc = -ESRCH;
		snprintf(err, errlen, "cannot attach to pid %d: %s", (int)pid, strerror(ESRCH));
		goto out;
	}
	rc = ff_tracer_loop(s);
	if (rc < 0) {
		snprintf(err, errlen, "waitpid: %s", strerror(-rc));
		goto out;
	}
	ff_run_outcome(s, res);
out:
	ff_run_set_handlers(false, 0);
	ff_sites_free(&s->sites);
	free(s);
	return rc;
}
