#include "core/run.h"

#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/seccomp.h>

#include "core/filter.h"
#include "core/oracle.h"
#include "core/snapshot.h"
#include "core/spawn.h"
#include "core/tracer.h"
#include "core/util.h"

void ff_run_seeded(const struct ff_config *cfg, uint64_t seed, struct ff_seeded *s)
{
	*s = (struct ff_seeded){.seed = seed,
				.rate_q = cfg->rate_q,
				.after = cfg->after,
				.only = cfg->only,
				.max_faults = cfg->max_faults,
				.crash_rate_q = cfg->crash_rate_q,
				.crash_at = cfg->crash_at};
}

void ff_run_fill_header(const struct ff_config *cfg, struct ff_trace_hdr *h)
{
	memset(h, 0, sizeof(*h));
	h->version = FF_TRACE_VERSION;
	h->min_reader = FF_TRACE_MIN_READER;
	h->prng = cfg->prng ? cfg->prng : FF_PRNG_XXH3_SITE;
	h->flags = (cfg->include_stdio ? FF_TF_INCLUDE_STDIO : 0) | (cfg->include_startup ? FF_TF_INCLUDE_STARTUP : 0) |
		   (cfg->no_seccomp ? FF_TF_NO_SECCOMP : 0) | (cfg->no_follow ? FF_TF_NO_FOLLOW : 0) |
		   (cfg->attach_pid ? FF_TF_ATTACHED : 0) | (cfg->real_random ? FF_TF_REAL_RANDOM : 0);
	h->seed = cfg->seed;
	h->rate_q = cfg->rate_q;
	h->fault_mask = cfg->fault_mask;
	h->fdkind_mask = cfg->fdkind_mask;
	h->profile = cfg->profile;
	h->max_faults = cfg->max_faults;
	h->after = cfg->after;
	h->only = cfg->only;
	h->crash_mode = cfg->crash_mode;
	h->site_mode = cfg->site_mode;
	h->site_depth = cfg->site_mode ? cfg->site_depth : 0;
	if (cfg->crash_mode) {
		h->fsync_failure = cfg->fsync_failure;
		h->crash_rate_q = cfg->crash_rate_q;
		h->crash_at = cfg->crash_at;
		h->fs_profile = cfg->fs_profile;
	}
	h->errnos = ff_xcalloc((size_t)cfg->nerrnos + 1, sizeof(uint16_t));
	for (int i = 0; i < cfg->nerrnos; i++) {
		/* sorted and unique, as the format requires */
		uint16_t e = cfg->errnos[i];
		uint32_t j = h->nerrnos;
		bool dup = false;
		for (uint32_t k = 0; k < h->nerrnos; k++)
			dup |= h->errnos[k] == e;
		if (dup)
			continue;
		while (j > 0 && h->errnos[j - 1] > e) {
			h->errnos[j] = h->errnos[j - 1];
			j--;
		}
		h->errnos[j] = e;
		h->nerrnos++;
	}
	h->globs = ff_xcalloc((size_t)cfg->nglobs + 1, sizeof(char *));
	for (int i = 0; i < cfg->nglobs; i++)
		h->globs[h->nglobs++] = ff_xstrdup(cfg->globs[i]);
	h->syscalls = ff_xcalloc(FF_SC_COUNT, sizeof(char *));
	for (int i = 0; i < FF_SC_COUNT; i++)
		if (cfg->sc_mask & (1ull << i))
			h->syscalls[h->nsyscalls++] = ff_xstrdup(ff_sc_table[i].name);
	h->argc = (uint32_t)cfg->argc;
	h->argv = ff_xcalloc((size_t)cfg->argc + 1, sizeof(char *));
	for (int i = 0; i < cfg->argc; i++) {
		/* The trace keeps at most FF_TRACE_MAX_STR bytes of an argument: it is shown, never run. */
		h->argv[i] = ff_xstrdup(cfg->shown_argv ? cfg->shown_argv[i] : cfg->argv[i]);
		if (strlen(h->argv[i]) > FF_TRACE_MAX_STR)
			h->argv[i][FF_TRACE_MAX_STR] = 0;
	}
}

/* Can this kernel stop a tracee with SECCOMP_RET_TRACE? Asked once. */
static bool seccomp_trace_available(void)
{
	static int avail = -1;
	unsigned int action = SECCOMP_RET_TRACE;
	if (avail < 0)
		avail = syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0;
	return avail;
}

/* The run directory's real path into cwd (a campaign's slot asks for the
 * same one at every run: the last answer is kept). Returns 0 or -errno. */
static int run_dir(const char *dir, char cwd[4096])
{
	static char last[4096], real[4096];
	if (last[0] && !strcmp(last, dir)) {
		memcpy(cwd, real, sizeof(real));
		return 0;
	}
	if (!realpath(dir, cwd))
		return -errno;
	if (strlen(dir) < sizeof(last)) {
		snprintf(last, sizeof(last), "%s", dir);
		memcpy(real, cwd, sizeof(real));
	}
	return 0;
}

/* The files behind the program's fds 0-2 that are fifuzz's (the capture
 * files a campaign names, or fifuzz's own stdio, which the child inherits):
 * the durability model never rolls them back. */
static void spare_stdio(const struct ff_config *cfg, struct ff_session *s)
{
	const char *paths[3] = {cfg->stdin_path, cfg->stdout_path, cfg->stderr_path};
	for (int fd = 0; fd < 3; fd++) {
		if (!paths[fd]) {
			ff_durable_spare(s->dur, fd, NULL);
			continue;
		}
		char abs[8192];
		/* the child opens it after its chdir into the run's directory */
		snprintf(abs, sizeof(abs), "%s%s%s", paths[fd][0] == '/' ? "" : s->cwd, paths[fd][0] == '/' ? "" : "/",
			 paths[fd]);
		ff_durable_spare(s->dur, -1, abs);
	}
}

/* After the tree is gone: the disk loses what it had not made durable. The
 * cut came at a call, or (no call was chosen) right after the run ended. */
static void power_cut(struct ff_session *s, struct ff_run_result *res)
{
	res->trace.cut = s->cut || s->cut_pending ? FF_CUT_CALL : FF_CUT_END;
	int rc = ff_durable_cut(s->dur, &res->trace.state_hash, &res->trace.state_files, res->cut_error,
				sizeof(res->cut_error));
	if (rc < 0 && !res->cut_error[0])
		snprintf(res->cut_error, sizeof(res->cut_error), "%s", strerror(-rc));
	ff_durable_stats(s->dur, &res->dur);
	/* What the cut did, change by change, for fifuzz show. */
	ff_trace_free_changes(&res->trace);
	res->trace.changes = ff_xcalloc(FF_CUT_CHANGES_MAX, sizeof(*res->trace.changes));
	res->trace.nchanges =
	    ff_durable_changes(s->dur, res->trace.changes, FF_CUT_CHANGES_MAX, &res->trace.changes_total);
}

static void on_signal(int sig)
{
	ff_tracer_request_stop(sig);
}

void ff_run_set_handlers(bool on, double timeout)
{
	/* Off puts back what on found (a campaign worker's guard, or the default). */
	static struct sigaction before[4];
	static bool saved;
	struct sigaction sa = {0};
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: waitpid must return so the loop sees the request. */
	int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGALRM};
	for (size_t i = 0; i < FF_ARRAY_LEN(sigs); i++) {
		if (on)
			sigaction(sigs[i], &sa, &before[i]);
		else if (saved)
			sigaction(sigs[i], &before[i], NULL);
		else
			signal(sigs[i], SIG_DFL);
	}
	saved = on;
	struct itimerval it = {0};
	if (on)
		ff_tracer_new_run(); /* the last run's timeout is over (campaign workers, minimize) */
	if (on && timeout > 0) {
		it.it_value.tv_sec = (time_t)timeout;
		it.it_value.tv_usec = (suseconds_t)((timeout - (double)(time_t)timeout) * 1e6);
		if (!it.it_value.tv_sec && !it.it_value.tv_usec)
			it.it_value.tv_usec = 1;
	}
	setitimer(ITIMER_REAL, &it, NULL);
}

/* The errnos of each (syscall, fd kind) under cfg's profile and --errno:
 * the same for every run of a campaign, so computed once (47 KB that a
 * fresh session would otherwise zero and fill at every run). */
static const struct ff_errset (*errsets_for(const struct ff_config *cfg))[FF_FD_COUNT]
{
	static struct ff_errset sets[FF_SC_COUNT][FF_FD_COUNT];
	static struct {
		bool ok;
		uint8_t profile;
		int n;
		uint16_t e[FF_ARRAY_LEN(cfg->errnos)];
	} key;
	size_t ne = (size_t)cfg->nerrnos * sizeof(cfg->errnos[0]);
	if (key.ok && key.profile == cfg->profile && key.n == cfg->nerrnos && !memcmp(key.e, cfg->errnos, ne))
		return sets;
	for (int sc = 0; sc < FF_SC_COUNT; sc++)
		for (int k = 0; k < FF_FD_COUNT; k++)
			sets[sc][k].n = ff_sc_errnos(sc, (enum ff_fdkind)k, (enum ff_profile)cfg->profile, cfg->errnos,
						     cfg->nerrnos, sets[sc][k].e);
	key.ok = true;
	key.profile = (uint8_t)cfg->profile;
	key.n = cfg->nerrnos;
	memcpy(key.e, cfg->errnos, ne);
	return sets;
}

struct ff_session *ff_run_session(const struct ff_config *cfg, struct ff_source *src, struct ff_run_result *res)
{
	memset(res, 0, sizeof(*res));
	ff_run_fill_header(cfg, &res->trace.hdr);
	struct ff_session *s = ff_xcalloc(1, sizeof(*s));
	s->cfg = cfg;
	s->src = src;
	s->rec = &res->trace;
	ff_sites_init(&s->sites, s->rec);
	s->errsets = errsets_for(cfg);
	return s;
}

void ff_run_outcome(const struct ff_session *s, struct ff_run_result *res)
{
	struct ff_outcome *o = &res->trace.outcome;
	res->stop_sig = s->stop_sig;
	res->child_crash_sig = s->child_crash_sig;
	res->refused_forks = s->refused_forks;
	snprintf(res->stdio_glob_file, sizeof(res->stdio_glob_file), "%s", s->stdio_glob_file);
	if (s->stop_sig == SIGALRM) {
		o->kind = FF_OUT_HANG;
		o->code = 0;
	} else if (s->stop_sig) {
		o->kind = FF_OUT_INTERRUPTED;
		o->code = s->stop_sig;
	} else if (!s->root_done) {
		o->kind = FF_OUT_TRACE_ERROR;
	} else if (WIFEXITED(s->root_status)) {
		o->kind = FF_OUT_EXITED;
		o->code = WEXITSTATUS(s->root_status);
	} else {
		o->kind = FF_OUT_SIGNALED;
		o->code = WTERMSIG(s->root_status);
	}
	if ((s->cut || s->cut_pending) && !s->stop_sig) {
		o->kind = FF_OUT_CUT; /* the root died of the cut, not of itself */
		o->code = 0;
	}
	o->verdict = (uint8_t)ff_oracle_verdict(o, s->child_crash_sig);
	res->trace.complete = o->kind != FF_OUT_INTERRUPTED && o->kind != FF_OUT_TRACE_ERROR;
	for (size_t i = 0; i < s->rec->nstreams; i++) {
		if (s->sites.multi && s->sites.multi[i] && !res->multi_writer) {
			res->multi_writer = true;
			snprintf(res->multi_path, sizeof(res->multi_path), "%s", s->rec->streams[i].path);
		}
	}
}

/* The session's start directory, durability model and tracing method. */
static void run_setup(const struct ff_config *cfg, struct ff_session *s, struct ff_run_result *res)
{
	if (cfg->workdir && run_dir(cfg->workdir, s->cwd) < 0)
		snprintf(s->cwd, sizeof(s->cwd), "%s", cfg->workdir);
	else if (!cfg->workdir && !getcwd(s->cwd, sizeof(s->cwd)))
		snprintf(s->cwd, sizeof(s->cwd), "/");
	if (cfg->crash_mode) {
		s->dur = ff_durable_new(cfg->crash_mode, cfg->fsync_failure, cfg->seed, s->cwd, cfg->include_stdio);
		ff_durable_set_fs(s->dur, cfg->fs_profile);
		spare_stdio(cfg, s);
	}
	s->seccomp = !cfg->no_seccomp && seccomp_trace_available();
	res->used_fallback = !s->seccomp;
	if (!s->seccomp)
		res->trace.hdr.flags |= FF_TF_NO_SECCOMP;
}

/* One CPU for tracer and tracee: a stop then costs no cross-CPU wake-up
 * (about half the time per stop here), at the price of parallelism. */
static bool pin(const struct ff_config *cfg, cpu_set_t *saved)
{
	if (cfg->pin_cpu < 0 || sched_getaffinity(0, sizeof(*saved), saved) < 0)
		return false;
	cpu_set_t one;
	CPU_ZERO(&one);
	CPU_SET(cfg->pin_cpu, &one);
	return sched_setaffinity(0, sizeof(one), &one) == 0;
}

/* Seizes the spawned child pid with the options the session needs; kills it
 * on failure. Returns 0 or -errno (err says why). */
static int seize(const struct ff_config *cfg, const struct ff_session *s, pid_t pid, char *err, size_t errlen)
{
	/* --no-follow keeps TRACECLONE: threads are clones without SIGCHLD, so
	 * it follows them; forks and vforks are left alone. */
	long opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL |
		    (cfg->no_follow ? 0 : PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK) |
		    (s->seccomp ? PTRACE_O_TRACESECCOMP : 0);
	if (ptrace(PTRACE_SEIZE, pid, 0, (void *)opts) == 0)
		return 0;
	int rc = -errno, st;
	snprintf(err, errlen, "ptrace(PTRACE_SEIZE): %s%s", strerror(-rc),
		 rc == -EPERM ? " (ptrace is restricted here: see /proc/sys/kernel/yama/ptrace_scope, or "
				"a container without CAP_SYS_PTRACE)"
			      : "");
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return rc;
}

/* Spawns the program (waiting on gfd[0] to be seized, reporting on pfd[1])
 * and seizes it. Returns its pid, or -errno (err says why). */
static pid_t spawn_seized(const struct ff_config *cfg, struct ff_session *s, struct ff_spawn *sp, int pfd[2],
			  int gfd[2], char *err, size_t errlen)
{
	/* Orphans of the traced tree (double-forked daemons) become our children,
	 * so the loop reaps them instead of leaving zombies to init. Not with
	 * --no-follow: the children are not ours to wait for. */
	if (!cfg->no_follow)
		prctl(PR_SET_CHILD_SUBREAPER, 1);
	fflush(NULL);
	*sp = (struct ff_spawn){.cfg = cfg, .gofd = gfd[0], .errfd = pfd[1]};
	pid_t pid = -EINVAL;
	if (!s->seccomp || (pid = ff_filter_get(cfg->sc_mask, ff_filter_extra(cfg), &sp->filter)) == 0)
		pid = ff_spawn_start(sp);
	close(pfd[1]);
	close(gfd[0]);
	if (pid < 0) {
		snprintf(err, errlen, "%s: %s", s->seccomp && !sp->filter ? "seccomp filter" : "clone", strerror(-pid));
		return pid;
	}
	int rc = seize(cfg, s, pid, err, errlen);
	return rc < 0 ? rc : pid;
}

/* After the tracer loop (rc: what it returned): the outcome and the power
 * cut. Returns 0 or -errno (err says why). */
static int run_end(struct ff_session *s, struct ff_run_result *res, int rc, char *err, size_t errlen)
{
	if (rc < 0) {
		snprintf(err, errlen, "waitpid: %s", strerror(-rc));
		return rc;
	}
	ff_run_outcome(s, res);
	if (s->dur && res->trace.complete)
		power_cut(s, res);
	return 0;
}

/* The traced run, from the go byte to the outcome. Returns 0 or -errno. */
static int trace_run(const struct ff_config *cfg, struct ff_session *s, struct ff_spawn *sp, int pfd0, int gfd1,
		     struct ff_run_result *res, char *err, size_t errlen)
{
	ff_run_set_handlers(true, cfg->timeout);
	/* If the byte cannot go, the child reads end of file and exits 127. */
	(void)!write(gfd1, "g", 1);
	close(gfd1);
	int rc = ff_tracer_loop(s);
	ff_run_set_handlers(false, 0);
	struct ff_spawn_err se;
	ssize_t n = read(pfd0, &se, sizeof(se));
	if (n == (ssize_t)sizeof(se) && !s->root_execed)
		return ff_spawn_describe(sp, &se, err, errlen);
	return run_end(s, res, rc, err, errlen);
}

/* pfd: the child's report of a failure before exec; gfd: the go byte. */
static int open_pipes(int pfd[2], int gfd[2])
{
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -errno;
	if (pipe2(gfd, O_CLOEXEC) == 0)
		return 0;
	int rc = -errno;
	close(pfd[0]);
	close(pfd[1]);
	return rc;
}

/* The run by exec: spawn, seize, trace. Returns 0 or -errno (err says why). */
static int exec_run(const struct ff_config *cfg, struct ff_session *s, struct ff_run_result *res, char *err,
		    size_t errlen)
{
	int pfd[2], gfd[2], rc = open_pipes(pfd, gfd);
	if (rc < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(-rc));
		return rc;
	}
	struct ff_spawn sp;
	pid_t pid = spawn_seized(cfg, s, &sp, pfd, gfd, err, errlen);
	if (pid < 0) {
		rc = pid;
		close(gfd[1]);
	} else {
		s->root = pid;
		rc = trace_run(cfg, s, &sp, pfd[0], gfd[1], res, err, errlen);
	}
	close(pfd[0]);
	return rc;
}

/* cfg's template: the program spawned as its runs are, traced to its entry
 * point. Returns 0, -EPERM (it cannot serve: why says so) or -EINTR. */
static int make_template(const struct ff_config *cfg, struct ff_source *src, char *why, size_t len)
{
	struct ff_run_result tres;
	struct ff_session *t = ff_run_session(cfg, src, &tres);
	run_setup(cfg, t, &tres);
	t->to_entry = true;
	uint64_t dir0 = ff_snapshot_dir_state(cfg->workdir ? cfg->workdir : ".");
	int pfd[2], gfd[2];
	pid_t pid = open_pipes(pfd, gfd);
	if (pid < 0) {
		snprintf(why, len, "pipe: %s", strerror(-pid));
	} else {
		struct ff_spawn sp;
		if ((pid = spawn_seized(cfg, t, &sp, pfd, gfd, why, len)) >= 0) {
			t->root = pid;
			ff_run_set_handlers(true, cfg->timeout);
			(void)!write(gfd[1], "g", 1);
			close(gfd[1]);
			ff_tracer_loop(t);
			ff_run_set_handlers(false, 0);
		} else {
			close(gfd[1]);
		}
		close(pfd[0]);
	}
	int rc = -EPERM;
	if (t->at_entry && !t->stop_sig) {
		rc = ff_snapshot_take(pid, cfg, dir0, t->random, FF_ARRAY_LEN(t->random), why, len);
	} else if (t->stop_sig && t->stop_sig != SIGALRM) {
		rc = -EINTR;
	} else if (t->stop_sig) {
		/* A start-up that hangs would cost every run its --timeout twice. */
		snprintf(why, len, "it did not reach its entry point within --timeout");
	} else if (t->entry_tasks > 1) {
		snprintf(why, len, "it had %zu tasks at its entry point (a fork keeps one)", t->entry_tasks);
	} else if (pid >= 0) {
		snprintf(why, len, "it did not reach its entry point");
	}
	if (t->at_entry && t->stop_sig) {
		kill(pid, SIGKILL); /* interrupted at its entry point (ff_snapshot_take reaps what it refuses) */
		waitpid(pid, NULL, __WALL);
	}
	ff_sites_free(&t->sites);
	ff_durable_free(t->dur);
	ff_trace_free(&tres.trace);
	free(t);
	return rc;
}

/* A run forked from cfg's template (made first if needed). Returns 0,
 * -errno (err says why), or -EAGAIN: this run execs instead. */
static int snap_run(const struct ff_config *cfg, struct ff_session *s, struct ff_run_result *res, char *err,
		    size_t errlen)
{
	char why[256] = "";
	if (!s->seccomp || ff_snapshot_unusable(cfg))
		return -EAGAIN;
	pid_t pid = -ESTALE;
	for (int tries = 0; pid == -ESTALE && tries < 2; tries++) {
		int rc = ff_snapshot_ready(cfg) ? 0 : make_template(cfg, s->src, why, sizeof(why));
		if (rc == -EPERM)
			ff_snapshot_refuse(cfg, why);
		if (rc < 0)
			return -EAGAIN;
		if ((pid = ff_snapshot_fork(cfg, err, errlen)) == -ESTALE)
			ff_snapshot_release();
	}
	if (pid < 0)
		return pid == -ESTALE ? -EAGAIN : pid;
	s->root = pid;
	s->forked = res->forked = true;
	s->keep = ff_snapshot_pid();
	ff_snapshot_random(s->random, FF_ARRAY_LEN(s->random));
	ff_run_set_handlers(true, cfg->timeout);
	int rc = ff_tracer_loop(s);
	ff_run_set_handlers(false, 0);
	if (s->keep_gone)
		ff_snapshot_forget();
	return run_end(s, res, rc, err, errlen);
}

int ff_run(const struct ff_config *cfg, struct ff_source *src, struct ff_run_result *res, char *err, size_t errlen)
{
	cpu_set_t saved;
	struct ff_session *s = ff_run_session(cfg, src, res);
	run_setup(cfg, s, res);
	bool pinned = pin(cfg, &saved);
	int rc = cfg->snapshot ? snap_run(cfg, s, res, err, errlen) : -EAGAIN;
	if (rc == -EAGAIN)
		rc = exec_run(cfg, s, res, err, errlen);
	if (pinned)
		sched_setaffinity(0, sizeof(saved), &saved);
	ff_sites_free(&s->sites);
	ff_durable_free(s->dur);
	free(s);
	return rc;
}

void ff_config_release(struct ff_config *cfg)
{
	for (int i = 0; i < cfg->nsite_patterns; i++)
		free(cfg->site_patterns[i]);
	free(cfg->site_patterns);
	cfg->site_patterns = NULL;
	cfg->nsite_patterns = 0;
}

int ff_config_apply_trace(struct ff_config *cfg, const struct ff_trace *t, char *err, size_t errlen)
{
	uint64_t mask = 0;
	if (t->hdr.flags & FF_TF_ATTACHED) {
		snprintf(err, errlen,
			 "recorded by attaching to a running process (--pid): its calls were counted from the moment "
			 "of attach, so a run from the start cannot follow it; it can be shown, not replayed");
		return -EINVAL;
	}
	for (uint32_t i = 0; i < t->hdr.nsyscalls; i++) {
		int sc = ff_sc_by_name(t->hdr.syscalls[i]);
		if (sc < 0) {
			/* The name is the trace's bytes: escaped, it cannot break the line or drive the terminal. */
			char esc[4 * FF_TRACE_MAX_STR + 8];
			ff_escape_name(esc, sizeof(esc), t->hdr.syscalls[i]);
			snprintf(err, errlen, "the trace names syscall '%s', which this fifuzz cannot intercept", esc);
			return -EINVAL;
		}
		mask |= 1ull << sc;
	}
	cfg->sc_mask = mask;
	cfg->seed = t->hdr.seed;
	cfg->rate_q = t->hdr.rate_q;
	cfg->rate = t->hdr.rate_q / 4294967296.0;
	cfg->fault_mask = t->hdr.fault_mask;
	cfg->fdkind_mask = t->hdr.fdkind_mask;
	cfg->profile = t->hdr.profile;
	cfg->max_faults = t->hdr.max_faults;
	cfg->after = t->hdr.after;
	cfg->only = t->hdr.only;
	/* errnos only steer new decisions; replay takes its decisions from the trace */
	cfg->nerrnos = (int)(t->hdr.nerrnos < FF_ARRAY_LEN(cfg->errnos) ? t->hdr.nerrnos : FF_ARRAY_LEN(cfg->errnos));
	for (int i = 0; i < cfg->nerrnos; i++)
		cfg->errnos[i] = t->hdr.errnos[i];
	cfg->globs = t->hdr.globs;
	cfg->nglobs = (int)t->hdr.nglobs;
	cfg->include_stdio = t->hdr.flags & FF_TF_INCLUDE_STDIO;
	cfg->include_startup = t->hdr.flags & FF_TF_INCLUDE_STARTUP;
	cfg->crash_mode = t->hdr.crash_mode;
	cfg->fsync_failure = t->hdr.fsync_failure;
	cfg->crash_rate_q = t->hdr.crash_rate_q;
	cfg->crash_rate = t->hdr.crash_rate_q / 4294967296.0;
	cfg->crash_at = t->hdr.crash_at;
	cfg->fs_profile = t->hdr.fs_profile;
	cfg->site_mode = t->hdr.site_mode; /* the sites the decisions are keyed by */
	cfg->site_depth = t->hdr.site_depth;
	/* Children's calls were not counted: they must not be now either. */
	cfg->no_follow = t->hdr.flags & FF_TF_NO_FOLLOW;
	cfg->real_random = t->hdr.flags & FF_TF_REAL_RANDOM;
	if (cfg->no_follow)
		cfg->no_seccomp = true;
	/* Names the recording drew at random keep the stable names it gave them. */
	char **pats;
	size_t np = ff_site_patterns_in(t, &pats);
	if (np) {
		cfg->site_patterns = pats;
		cfg->nsite_patterns = (int)np;
	}
	return 0;
}
