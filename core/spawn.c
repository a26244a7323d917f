/* The traced program's process, started with clone(CLONE_VM) rather than
 * fork: a fork copies the run worker's page tables and then both sides pay a
 * copy-on-write fault for every page they touch before the exec (together
 * the largest part of fifuzz's own time per campaign run, with TLB
 * shoot-downs on top when the two run on different CPUs).
 *
 * Sharing our memory, the child must not touch what we use: it runs on its
 * own stack, makes every call through ff_arch_syscall (libc's wrappers
 * write errno, which is ours too) and uses no malloc. Signals are blocked
 * across the clone, so none of our handlers runs in it; it sets fifuzz's
 * handled signals back to their defaults before unblocking them for the
 * exec, as a fork's child would be after the exec anyway. */
#include "core/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "core/arch.h"
#include "core/config.h"

extern char **environ;

/* The child's stack: used by one child at a time, until it execs. */
#define STACK_SIZE (256 * 1024)
static _Alignas(16) char child_stack[STACK_SIZE];

/* What the child needs beyond sp, worked out by the parent. */
static struct {
	struct ff_spawn *sp;
	sigset_t mask;	  /* the parent's signal mask, for the program */
	bool nnp;	  /* set NO_NEW_PRIVS (not root) */
	const char *path; /* PATH, for a name without '/' */
} job;

#define SYS(nr, a, b, c) ff_arch_syscall((nr), (long)(a), (long)(b), (long)(c), 0, 0, 0)

/* The child's code: no sanitizer runtime (SANITIZE=1 builds) on a stack and
 * an address space it does not know are shared. */
#define CHILD_CODE __attribute__((no_sanitize_address, no_sanitize_undefined))

CHILD_CODE __attribute__((noreturn)) static void fail(int stage, long rc)
{
	struct ff_spawn_err e = {.stage = stage, .err = (int)-rc};
	SYS(__NR_write, job.sp->errfd, &e, sizeof(e));
	for (;;)
		SYS(__NR_exit_group, 127, 0, 0);
}

/* Points fd at path opened with flags; returns 0 or -errno. */
CHILD_CODE static long reopen(int fd, const char *path, int flags)
{
	long f = ff_arch_syscall(__NR_openat, AT_FDCWD, (long)path, flags | O_CLOEXEC, 0644, 0, 0);
	if (f < 0)
		return f;
	long rc = SYS(__NR_dup2, f, fd, 0);
	SYS(__NR_close, f, 0, 0);
	return rc < 0 ? rc : 0;
}

/* execve, or /bin/sh FILE ARGS for a file the kernel cannot run (as execvp). */
CHILD_CODE static long exec_one(const char *file, char **argv)
{
	long rc = SYS(__NR_execve, file, argv, environ);
	if (rc != -ENOEXEC)
		return rc;
	int argc = 0;
	while (argv[argc])
		argc++;
	if (argc > 4096)
		return rc;
	char *sh[argc + 2];
	sh[0] = "/bin/sh";
	sh[1] = (char *)file;
	for (int i = 1; i <= argc; i++)
		sh[i + 1] = argv[i];
	return SYS(__NR_execve, "/bin/sh", sh, environ);
}

/* execvp without libc: PATH searched in order, EACCES remembered. */
CHILD_CODE static long exec_path(char **argv)
{
	const char *name = argv[0];
	size_t nl = 0;
	bool slash = false;
	for (; name[nl]; nl++)
		slash |= name[nl] == '/';
	if (slash)
		return exec_one(name, argv);
	if (nl > 255)
		return -ENAMETOOLONG;
	long rc = -ENOENT;
	bool denied = false;
	char cand[4096 + 256 + 2];
	for (const char *p = job.path;;) {
		const char *e = p;
		while (*e && *e != ':')
			e++;
		size_t dl = (size_t)(e - p);
		if (dl < 4096) {
			/* An empty entry is the current directory. */
			memcpy(cand, dl ? p : ".", dl ? dl : 1);
			size_t at = dl ? dl : 1;
			cand[at++] = '/';
			memcpy(cand + at, name, nl + 1);
			rc = exec_one(cand, argv);
			if (rc == -EACCES)
				denied = true;
			else if (rc != -ENOENT && rc != -ENOTDIR && rc != -ESTALE && rc != -ENODEV && rc != -ETIMEDOUT)
				return rc;
		}
		if (!*e)
			break;
		p = e + 1;
	}
	return denied ? -EACCES : rc;
}

/* The child: wait to be seized, prepare the run, load the filter, exec. */
CHILD_CODE static int child(void *unused)
{
	(void)unused;
	const struct ff_config *cfg = job.sp->cfg;
	char go;
	long rc;
	/* If fifuzz dies before it has seized us (and EXITKILL holds), die too. */
	SYS(__NR_prctl, PR_SET_PDEATHSIG, SIGKILL, 0);
	if (SYS(__NR_getppid, 0, 0, 0) == 1)
		SYS(__NR_exit_group, 127, 0, 0);
	/* Signals are blocked: no EINTR. End of file: fifuzz gave up. */
	if (SYS(__NR_read, job.sp->gofd, &go, 1) != 1)
		SYS(__NR_exit_group, 127, 0, 0);
	SYS(__NR_close, job.sp->gofd, 0, 0);
	if (cfg->workdir && (rc = SYS(__NR_chdir, cfg->workdir, 0, 0)) < 0)
		fail(FF_SPAWN_WORKDIR, rc);
	if (cfg->stdin_null && (rc = reopen(0, "/dev/null", O_RDONLY)) < 0)
		fail(FF_SPAWN_STDIN, rc);
	if (cfg->stdin_path && (rc = reopen(0, cfg->stdin_path, O_RDONLY)) < 0)
		fail(FF_SPAWN_STDIN, rc);
	if (cfg->stdout_path && (rc = reopen(1, cfg->stdout_path, O_WRONLY | O_CREAT | O_TRUNC)) < 0)
		fail(FF_SPAWN_STDOUT, rc);
	if (cfg->stderr_path && (rc = reopen(2, cfg->stderr_path, O_WRONLY | O_CREAT | O_TRUNC)) < 0)
		fail(FF_SPAWN_STDERR, rc);
	/* fifuzz's own handlers must not run here, on our memory. */
	static const int handled[] = {SIGINT, SIGTERM, SIGHUP, SIGALRM};
	struct {
		void *handler;
		unsigned long flags;
		void *restorer;
		unsigned long mask;
	} dfl = {0};
	for (size_t i = 0; i < sizeof(handled) / sizeof(handled[0]); i++)
		ff_arch_syscall(__NR_rt_sigaction, handled[i], (long)&dfl, 0, 8, 0, 0);
	if (job.sp->filter) {
		/* As root, no NO_NEW_PRIVS: setuid programs in the target keep working. */
		if (job.nnp && (rc = ff_arch_syscall(__NR_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0, 0)) < 0)
			fail(FF_SPAWN_FILTER, rc);
		if ((rc = SYS(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, job.sp->filter)) < 0)
			fail(FF_SPAWN_FILTER, rc);
	}
	SYS(__NR_rt_sigprocmask, SIG_SETMASK, &job.mask, 8);
	fail(FF_SPAWN_EXEC, exec_path(cfg->argv));
}

pid_t ff_spawn_start(struct ff_spawn *sp)
{
	sigset_t all;
	job.sp = sp;
	job.nnp = geteuid() != 0;
	job.path = getenv("PATH");
	if (!job.path || !*job.path)
		job.path = "/bin:/usr/bin"; /* glibc's execvp default */
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &job.mask);
	/* SIGCHLD: the tracer waits for it as for a forked child. */
	pid_t pid = clone(child, child_stack + STACK_SIZE, CLONE_VM | SIGCHLD, NULL);
	int err = errno;
	sigprocmask(SIG_SETMASK, &job.mask, NULL);
	return pid < 0 ? -err : pid;
}

int ff_spawn_describe(const struct ff_spawn *sp, const struct ff_spawn_err *e, char *msg, size_t len)
{
	const struct ff_config *cfg = sp->cfg;
	const char *what = NULL;
	switch (e->stage) {
	case FF_SPAWN_WORKDIR:
		what = cfg->workdir;
		break;
	case FF_SPAWN_STDIN:
		what = cfg->stdin_path ? cfg->stdin_path : "/dev/null";
		break;
	case FF_SPAWN_STDOUT:
		what = cfg->stdout_path;
		break;
	case FF_SPAWN_STDERR:
		what = cfg->stderr_path;
		break;
	case FF_SPAWN_FILTER:
		snprintf(msg, len, "cannot install the seccomp filter: %s (try --no-seccomp)", strerror(e->err));
		return -EPERM;
	default:
		snprintf(msg, len, "cannot execute %s: %s", cfg->argv[0], strerror(e->err));
		return -ENOENT;
	}
	snprintf(msg, len, "cannot prepare the run (%s): %s", what ? what : "?", strerror(e->err));
	return -EPERM;
}
