/* One plain configuration, filled by the CLI (cli/options.c) and read by the
 * run. Nothing here prints or exits. */
#ifndef FF_CONFIG_H
#define FF_CONFIG_H
#include <stdbool.h>
#include <stdint.h>

struct ff_trace;

enum ff_mode { FF_MODE_RUN, FF_MODE_REPLAY };

struct ff_config {
	enum ff_mode mode;
	uint64_t seed;
	bool seed_random;     /* drawn from getrandom(): print it */
	uint32_t rate_q;      /* fault probability * 2^32 */
	double rate;	      /* as typed, for reports */
	uint64_t sc_mask;     /* 1 << catalogue index: eligible syscalls */
	uint32_t fault_mask;  /* FF_K() kinds that may be chosen */
	uint8_t corrupt_mode; /* --corrupt-mode: enum ff_corrupt_mode, 0 a seeded mix */
	uint8_t site_mode;    /* --site: enum ff_site_mode */
	uint8_t site_depth;   /* --site-depth: frames of a stack site's context */
	uint32_t fdkind_mask; /* 1 << enum ff_fdkind */
	uint8_t profile;      /* enum ff_profile */
	uint16_t errnos[64];  /* --errno filter; nerrnos 0: none */
	int nerrnos;
	char **globs; /* --path globs; nglobs 0: every path */
	int nglobs;
	char **site_patterns; /* drawn names' stable site names (core/site_pattern.c) */
	int nsite_patterns;
	uint64_t max_faults; /* 0: no limit */
	uint64_t after;	     /* let the first N eligible calls through */
	uint64_t only;	     /* fault exactly the N-th eligible call (1-based); 0: off */
	bool include_stdio;
	bool include_startup;
	bool no_seccomp;
	bool no_follow;		 /* trace the root process (all its threads) only, not its children */
	int attach_pid;		 /* --pid: attach to this running process instead of spawning; 0: spawn */
	double timeout;		 /* seconds; 0 = none */
	uint32_t max_procs;	 /* live tasks of the traced tree; a fork beyond gets EAGAIN; 0: no limit */
	int verbose;		 /* -1 quiet, 0 faults only, 1 every eligible call */
	const char *trace_path;	 /* NULL: no trace */
	const char *report_path; /* NULL: no report */
	char **argv;		 /* the program and its arguments */
	char **shown_argv;	 /* what the trace records as the command, if not argv (--split-input) */
	int argc;
	/* Where and how the program runs (campaigns and minimize set these). */
	const char *workdir;	   /* NULL: fifuzz's own cwd */
	const char *stdout_path;   /* NULL: inherit */
	const char *stderr_path;   /* NULL: inherit */
	bool stdin_null;	   /* read stdin from /dev/null */
	const char *stdin_path;	   /* read stdin from this file (--split-input) */
	uint16_t prng;		   /* FF_PRNG_* of the decisions, for the trace header */
	const char *schedule_path; /* --schedule FILE */
	bool split_input;	   /* the schedule file is [u16 length][schedule][input] */
	bool afl;		   /* under afl-fuzz: its fds 198/199 are never eligible */
	bool per_fork_runs;	   /* AFL++ forkserver: each fork of the root process is a new run,
				    * and the root (the forkserver) is never faulted */
	int pin_cpu;		   /* run fifuzz and the program on this CPU; -1: no pinning */
	bool snapshot;		   /* start runs from a template process (core/snapshot.h) when safe */
	bool no_snapshot;	   /* --no-snapshot: campaigns and minimize exec every run */
	/* Power loss (core/durable/durable.h): crash_mode 0 is off. */
	uint8_t crash_mode;    /* enum ff_crash_mode */
	uint8_t fsync_failure; /* enum ff_fsync_failure */
	uint8_t fs_profile;    /* enum ff_fs_profile (--fs) */
	uint32_t crash_rate_q; /* per eligible call probability of the cut * 2^32 */
	double crash_rate;     /* as typed */
	uint64_t crash_at;     /* cut at this 1-based eligible call; 0: seeded */
	bool crash_rate_auto;  /* no --crash-rate: a campaign uses 1 / (the baseline's eligible calls + 1) */
	/* Oracles */
	bool real_random;      /* --real-random: getrandom is left to the kernel */
	const char *check_cmd; /* --check: run after the program; non-zero is a failure */
	char **ignore;	       /* --ignore globs, left out of the corruption digest */
	int nignore;
	/* Replay */
	const char *replay_path;
	struct ff_trace *replay; /* the trace being replayed */
};

#endif
