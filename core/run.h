/* One run: spawn the program under the tracer, take decisions from a
 * source, record the trace, and judge the outcome. Used by run, replay,
 * campaigns and minimize. */
#ifndef FF_RUN_H
#define FF_RUN_H
#include <stdbool.h>
#include <stdint.h>

#include "core/config.h"
#include "core/decide/decide.h"
#include "core/durable/durable.h"
#include "core/trace/trace.h"

struct ff_run_result {
	struct ff_trace trace; /* what was recorded (header, streams, outcome) */
	bool multi_writer;     /* some path had calls from several tasks */
	char multi_path[256];
	int child_crash_sig;
	int stop_sig;		   /* fifuzz was interrupted by this signal */
	bool used_fallback;	   /* PTRACE_SYSCALL instead of seccomp */
	bool forked;		   /* started from a snapshot (core/snapshot.h), not by exec */
	uint64_t refused_forks;	   /* forks refused by --max-procs */
	char stdio_glob_file[256]; /* a --path match met only through fds 0-2 ("": none) */
	/* --crash: the model's counts, and why the post-cut state is incomplete ("": it is not) */
	struct ff_durable_stats dur;
	char cut_error[256];
};

/* Runs cfg->argv with decisions from src. Returns 0, or a negative errno
 * with a one-line reason in err: -ENOENT (the program could not be executed,
 * whatever execve said: err has its reason; a usage error), -EPERM (the child
 * could not be set up for tracing) and others (cannot trace). Either way
 * res->trace is the caller's: free it with ff_trace_free. */
int ff_run(const struct ff_config *cfg, struct ff_source *src, struct ff_run_result *res, char *err, size_t errlen);

/* Takes the selection (syscalls, kinds, fd kinds, profile, globs, flags,
 * seed) from a recorded trace, as replay and minimize must. The trace must
 * outlive cfg (globs are shared); its site patterns are copied (free them
 * with ff_config_release). Returns 0 or -EINVAL with a reason. */
int ff_config_apply_trace(struct ff_config *cfg, const struct ff_trace *t, char *err, size_t errlen);

/* Frees what ff_config_apply_trace allocated in cfg (its site patterns). */
void ff_config_release(struct ff_config *cfg);

struct ff_session;
/* For ff_run and ff_attach (core/attach.c): a session recording into
 * res->trace (res cleared, its header filled from cfg). Free with free()
 * after ff_sites_free(&s->sites). */
struct ff_session *ff_run_session(const struct ff_config *cfg, struct ff_source *src, struct ff_run_result *res);
/* The outcome, verdict and completeness of a traced session, into res. */
void ff_run_outcome(const struct ff_session *s, struct ff_run_result *res);
/* Installs (on) or removes fifuzz's SIGINT/SIGTERM/SIGHUP handlers and the
 * --timeout alarm (timeout seconds, 0: none). */
void ff_run_set_handlers(bool on, double timeout);

/* The seeded generator's settings for cfg's selection and this seed. */
void ff_run_seeded(const struct ff_config *cfg, uint64_t seed, struct ff_seeded *s);

/* Fills a trace header from cfg (the selection and the command). */
void ff_run_fill_header(const struct ff_config *cfg, struct ff_trace_hdr *h);

#endif
