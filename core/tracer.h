/* The tracer: the waitpid loop over every task of the traced tree, its
 * events and signals, and the per-call path from a stop to a decision. */
#ifndef FF_TRACER_H
#define FF_TRACER_H
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/config.h"
#include "core/decide.h"
#include "core/inject.h"
#include "core/site.h"
#include "core/trace.h"

struct ff_task;
struct ff_proc;

/* afl-fuzz's forkserver control and status fds. */
#define FF_AFL_CTL_FD 198
#define FF_AFL_ST_FD  199

/* The errnos one call may get, per (syscall, fd kind), for this run's profile and --errno. */
struct ff_errset {
	int n;
	int e[FF_MAX_ERRNOS];
};

/* Everything one traced run shares between the tracer's rooms. */
struct ff_session {
	const struct ff_config *cfg;
	struct ff_source *src; /* where decisions come from */
	struct ff_trace *rec;  /* the trace being recorded */
	struct ff_sites sites; /* logical sites of rec */
	char cwd[4096];	       /* paths are named relative to this */
	pid_t root;
	bool seccomp;		 /* false: the PTRACE_SYSCALL fallback */
	struct ff_xfer xfer;	 /* scratch for one call */
	struct ff_fdinfo fdinfo; /* scratch for one call */
	struct ff_errset errsets[FF_SC_COUNT][FF_FD_COUNT];
	bool dgram; /* the current call is on a datagram socket */
	/* The task table: tid -> task, chained. */
	struct ff_task *buckets[256];
	size_t ntasks;
	/* Outcome */
	bool root_done;
	int root_status;     /* wait status of the root */
	int child_crash_sig; /* first crash signal of another process */
	pid_t child_crash_pid;
	bool root_execed; /* the root reached its program */
	int stop_sig;	  /* SIGINT/TERM/HUP that stopped fifuzz, or SIGALRM for timeout */
};

/* Traces the already-seized root until the run ends; fills the outcome
 * fields of s. Returns 0, or -errno if tracing itself failed. */
int ff_tracer_loop(struct ff_session *s);

/* The SIGINT/SIGTERM/SIGHUP that asked fifuzz to stop (sticky), or 0. */
int ff_tracer_stop_signal(void);
/* Called from signal handlers: ends the run (kills the root). */
void ff_tracer_request_stop(int sig);
/* The root pid the signal handlers kill. */
void ff_tracer_set_root(pid_t root);

#endif
