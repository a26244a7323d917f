/* floor: the least a seccomp + ptrace write tracer can do, which `make bench`
 * compares fifuzz to. Usage: floor PROG ARGS; exits with PROG's status.
 *
 * It spawns PROG the way fifuzz does (the child stops itself, the tracer
 * seizes it with the options, then SIGCONT; only then the filter and exec),
 * stops PROG at each write-class call, reads the registers once and resumes.
 * Nothing else: no decision, no trace, no exit-stop. */
#include <errno.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

/* The calls fifuzz intercepts (core/syscalls.def). */
static const int traced[] = {
    SCMP_SYS(write), SCMP_SYS(pwrite64), SCMP_SYS(writev), SCMP_SYS(pwritev), SCMP_SYS(pwritev2),
};

/* Loads the filter that sends each traced call to the tracer; returns 0 or -errno. */
static int load_filter(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int rc;

	if (!ctx)
		return -ENOMEM;
	/* libseccomp kills other ABIs (int 0x80, x32) by default. */
	rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ALLOW);
	for (size_t i = 0; !rc && i < sizeof(traced) / sizeof(traced[0]); i++)
		rc = seccomp_rule_add(ctx, SCMP_ACT_TRACE(0), traced[i], 0);
	if (!rc)
		rc = seccomp_load(ctx);
	seccomp_release(ctx);
	return rc;
}

/* The child: waits until seized, loads the filter and execs argv. */
__attribute__((noreturn)) static void child(char **argv)
{
	raise(SIGSTOP);
	int rc = load_filter();
	if (rc < 0) {
		fprintf(stderr, "floor: seccomp: %s\n", strerror(-rc));
		_exit(127);
	}
	execvp(argv[0], argv);
	fprintf(stderr, "floor: %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

int main(int argc, char **argv)
{
	const long opts = PTRACE_O_TRACESECCOMP | PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL | PTRACE_O_TRACECLONE |
			  PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC;
	struct user_regs_struct regs;
	int st;

	if (argc < 2) {
		fprintf(stderr, "usage: floor PROG [ARGS...]\n");
		return 2;
	}
	pid_t root = fork();
	if (root < 0) {
		perror("floor: fork");
		return 3;
	}
	if (root == 0)
		child(argv + 1);
	if (waitpid(root, &st, WSTOPPED) < 0 || !WIFSTOPPED(st) || ptrace(PTRACE_SEIZE, root, 0, opts) < 0) {
		perror("floor: seize");
		kill(root, SIGKILL);
		return 3;
	}
	kill(root, SIGCONT);

	for (;;) {
		pid_t tid = waitpid(-1, &st, __WALL);
		if (tid < 0) {
			if (errno == EINTR)
				continue;
			perror("floor: waitpid");
			return 3;
		}
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			if (tid != root)
				continue;
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		}
		int sig = WSTOPSIG(st);
		int event = (unsigned)st >> 16;
		if (event == PTRACE_EVENT_SECCOMP)
			ptrace(PTRACE_GETREGS, tid, 0, &regs);
		/* Only a signal-delivery-stop passes its signal on. */
		if (event || sig == (SIGTRAP | 0x80))
			sig = 0;
		ptrace(PTRACE_CONT, tid, 0, (void *)(long)sig);
	}
}
