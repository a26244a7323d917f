/* The tracer: the waitpid loop over every task of the traced tree, its
 * events and signals, and the per-call path from a stop to a decision. */
#ifndef FF_TRACER_H
#define FF_TRACER_H
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/config.h"
#include "core/decide/decide.h"
#include "core/durable/durable.h"
#include "core/inject.h"
#include "core/site.h"
#include "core/trace/trace.h"

/* How long a replay waits for the cut while tasks are held, with no event. */
#define FF_HOLD_WAIT_MS 2000

struct ff_task;
struct ff_proc;

/* afl-fuzz's forkserver control and status fds. */
#define FF_AFL_CTL_FD 198
#define FF_AFL_ST_FD  199

/* getrandom calls are answered by (length, flags) class: their counts per process. */
#define FF_RANDOM_CLASSES 16

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
	bool attach;		 /* attached (--pid): the run ends by detaching, never by killing */
	struct ff_xfer xfer;	 /* scratch for one call */
	struct ff_fdinfo fdinfo; /* scratch for one call */
	const struct ff_errset (*errsets)[FF_FD_COUNT]; /* [FF_SC_COUNT], shared by the runs (ff_run_session) */
	bool dgram;					/* the current call is on a datagram socket */
	struct ff_durable *dur;				/* --crash: the durability model; NULL: off */
	struct ff_task *deferred; /* --crash: the task whose write waits for its next stop (ff_durable_settle) */
	bool cut_pending;	  /* the cut is decided; running calls finish first */
	bool cut;		  /* the power was cut at a call */
	size_t nheld;		  /* replay of a cut run: tasks held until the cut (FF_HOLD) */
	struct ff_task *cut_task; /* replay: the task whose cut waits for the others (FF_HOLD_CUT) */
	unsigned held_wait_ms;	  /* how long no event came while tasks were held */
	/* The task table: tid -> task, chained. */
	struct ff_task *buckets[256];
	size_t ntasks;
	size_t nforking;	   /* tasks inside a fork the limit let through */
	uint64_t refused_forks;	   /* forks refused with EAGAIN by --max-procs */
	char stdio_glob_file[256]; /* a --path match written through fds 0-2, which are not eligible */
	/* Outcome */
	bool root_done;
	int root_status;     /* wait status of the root */
	int child_crash_sig; /* first crash signal of another process */
	pid_t child_crash_pid;
	bool root_execed; /* the root reached its program */
	int stop_sig;	  /* SIGINT/TERM/HUP that stopped fifuzz, or SIGALRM for timeout */
	/* Snapshots (core/snapshot.h) */
	bool to_entry;			    /* making a template: the loop ends with the root stopped at its entry */
	bool at_entry;			    /* it got there, alone (entry_tasks: how many tasks were there) */
	size_t entry_tasks;		    /* tasks at the entry point (more than 1: no template) */
	bool forked;			    /* the root was forked from a template, stopped at its entry point */
	pid_t keep;			    /* the template: not traced by this run, which ends without it */
	bool keep_gone;			    /* the template died meanwhile */
	uint64_t random[FF_RANDOM_CLASSES]; /* getrandom counts: the template's (forked), or the root's (to_entry) */
};

/* Traces the already-seized root until the run ends; fills the outcome
 * fields of s. Returns 0, or -errno if tracing itself failed. With
 * s->attach the tasks were adopted beforehand, and the end detaches them. */
int ff_tracer_loop(struct ff_session *s);

/* Takes a task that was seized (and interrupted) outside the loop into the
 * table; its first stop is absorbed. Returns false if it is known already. */
bool ff_tracer_adopt(struct ff_session *s, pid_t tid, pid_t tgid);

/* The SIGINT/SIGTERM/SIGHUP that asked fifuzz to stop (sticky), or 0. */
int ff_tracer_stop_signal(void);
/* Called from signal handlers: ends the run (kills the root). */
void ff_tracer_request_stop(int sig);
/* A new run begins: a timeout (SIGALRM) of the last one no longer applies;
 * SIGINT, SIGTERM and SIGHUP stay, they stop every later run too. */
void ff_tracer_new_run(void);
/* The root pid the signal handlers kill. */
void ff_tracer_set_root(pid_t root);

#endif
