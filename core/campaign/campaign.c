#include "core/campaign/campaign.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xxhash.h>

#include "core/campaign/campaign_sweep.h"
#include "core/durable/durable.h"
#include "core/filter.h"
#include "core/json.h"
#include "core/campaign/judge.h"
#include "core/snapshot.h"
#include "core/campaign/merge.h"
#include "core/campaign/minimize.h"
#include "core/campaign/outputs.h"
#include "core/quote.h"
#include "core/report.h"
#include "core/site.h"
#include "core/run.h"
#include "core/util.h"
#include "core/campaign/workdir.h"

enum job { JOB_NONE, JOB_RUN, JOB_MIN, JOB_BASELINE };

struct slot {
	pid_t pid; /* the job's process: the slot's run worker, or a minimizer */
	int rfd;   /* where the job's result line comes from, -1 when idle */
	enum job job;
	uint64_t seed;
	size_t bug;
	pid_t wpid;	/* the slot's run worker, 0 when there is none */
	int wcmd, wres; /* its order pipe (write end) and result pipe (read end) */
	char dir[4200]; /* OUTDIR/work/K */
};

struct bug {
	char sig[160];	/* final signature (after minimization), "" while pending */
	char dir[4300]; /* OUTDIR/failures/... */
	struct ff_outcome outcome;
	uint64_t first_seed, count;
	size_t faults_before, faults_after;
	char msg[64];	    /* what the check said, normalized ("" if no check failed) */
	char min_note[200]; /* why it was not minimized, or not all the way */
	char **sites;	    /* the minimized faults' sites, to recognize later runs */
	size_t nsites;
	bool pending, merged;
	bool dropped;	/* a corruption that did not come back on replay: not filed */
	bool minimized; /* faults_after is the minimized count */
	size_t into;	/* merged into this bug */
};

/* A distinct set of faults that failed, and the bug it turned out to be. */
struct raw {
	char *key;
	size_t bug;
};

struct camp {
	const struct ff_campaign *c; /* &cc */
	struct ff_campaign cc;	     /* a sweep's run indexes are known after the first baseline */
	struct ff_cs sw;
	char out[4096];
	struct ff_judge judge;
	struct ff_manifest ref; /* the reference output (judge.ref), saved for the workers */
	uint32_t ref_gen;	/* bumped whenever ref changes: workers reload it */
	int warned_varying;	/* lines said about varying outputs */
	uint64_t unconfirmed;	/* corruptions that did not come back on replay */
	uint64_t max_eligible;	/* the most eligible calls a faulted run made */
	int baselines_done;
	uint32_t crash_rate_q; /* --crash without --crash-rate: from the first baseline */
	struct slot *slots;
	struct bug *bugs;
	size_t nbugs, capbugs;
	size_t *minq; /* bugs waiting for a minimization slot, oldest first */
	size_t nminq, capminq, minhead;
	struct raw *raws;
	size_t nraws, capraws;
	uint64_t next_seed, runs, failures, total;
	uint64_t forked; /* runs started from a snapshot */
	/* Runs by outcome, so "0 failures" can be told from "it never got going". */
	uint64_t by_exit[256], by_signal[65], hangs, other, by_faults[4];
	struct timespec t0;
	struct sigaction old_pipe; /* SIGPIPE as the campaign found it, for its workers */
};

static volatile sig_atomic_t stop_sig;
static void on_stop(int sig)
{
	if (!stop_sig)
		stop_sig = sig;
}

static double elapsed(const struct camp *k)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - k->t0.tv_sec) + (double)(t.tv_nsec - k->t0.tv_nsec) / 1e9;
}

static size_t distinct(const struct camp *k)
{
	size_t n = 0;
	for (size_t i = 0; i < k->nbugs; i++)
		n += !k->bugs[i].merged && !k->bugs[i].dropped;
	return n;
}

static void status(const struct camp *k, bool final)
{
	if (!k->c->status && !final)
		return;
	if (k->c->quiet && final)
		return;
	double t = elapsed(k);
	fprintf(stderr,
		"%sfifuzz: runs %" PRIu64 "/%" PRIu64 "  %.1f runs/s  failures %" PRIu64 "  bugs %zu  %02d:%02d%s",
		k->c->status ? "\r\033[K" : "", k->runs, k->total, t > 0 ? (double)k->runs / t : 0.0, k->failures,
		distinct(k), (int)t / 60, (int)t % 60, final ? "\n" : "");
	fflush(stderr);
}

/* Is seed s in this shard? */
static bool in_shard(const struct ff_campaign *c, uint64_t s)
{
	return c->shard_n <= 1 || (s - c->first) % c->shard_n == c->shard_i - 1;
}

/* How many seeds of first..last this shard runs, counted without a loop
 * (a range may hold 2^64 seeds). Saturates at UINT64_MAX. */
static uint64_t shard_seeds(const struct ff_campaign *c)
{
	uint64_t span = c->last - c->first; /* the count less one */
	uint64_t n = c->shard_n > 1 ? c->shard_n : 1, i = c->shard_n > 1 ? c->shard_i - 1 : 0;
	if (span < i)
		return 0;
	uint64_t q = (span - i) / n;
	return q == UINT64_MAX ? q : q + 1;
}

static bool next_seed(struct camp *k, uint64_t *seed)
{
	while (k->next_seed <= k->c->last && k->next_seed >= k->c->first) {
		uint64_t s = k->next_seed++;
		if (k->next_seed == 0)
			k->next_seed = k->c->last + 1; /* wrapped past 2^64-1 */
		if (in_shard(k->c, s)) {
			*seed = s;
			return true;
		}
	}
	return false;
}

static void path_in(char *buf, size_t len, const char *dir, const char *name)
{
	snprintf(buf, len, "%s/%s", dir, name);
}

static int move_file(const char *from_dir, const char *name, const char *to_dir)
{
	char a[4400], b[4400];
	path_in(a, sizeof(a), from_dir, name);
	path_in(b, sizeof(b), to_dir, name);
	return rename(a, b) < 0 && errno != ENOENT ? -errno : 0;
}

/* The config of one run in slot directory dir. */
/* Where one run of a slot works and keeps its output: OUTDIR/work/K/... */
struct run_paths {
	char run[4300], out[4300], err[4300];
};

static struct ff_config run_cfg(const struct camp *k, const char *dir, struct run_paths *p)
{
	struct ff_config cfg = *k->c->cfg;
	path_in(p->run, sizeof(p->run), dir, "run");
	path_in(p->out, sizeof(p->out), dir, "stdout");
	path_in(p->err, sizeof(p->err), dir, "stderr");
	cfg.workdir = p->run;
	cfg.stdout_path = p->out;
	cfg.stderr_path = p->err;
	cfg.stdin_null = true;
	cfg.snapshot = !cfg.no_snapshot;
	cfg.verbose = -1;
	cfg.trace_path = NULL;
	cfg.report_path = NULL;
	if (cfg.pin_cpu >= 0) {
		/* each slot on its own CPU: slot K of OUTDIR/work/K */
		long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
		const char *slash = strrchr(dir, '/');
		cfg.pin_cpu = (int)(strtol(slash ? slash + 1 : dir, NULL, 10) % (ncpu > 0 ? ncpu : 1));
	}
	return cfg;
}

/* What the campaign asks of a run worker: one seeded run, judged with the
 * campaign's judge as it stands now (the baselines change it). */
struct order {
	uint64_t seed;
	uint32_t ref_gen;      /* the reference output's version (OUTDIR/work/reference) */
	uint8_t baseline;      /* a fault-free baseline run */
	uint8_t corruption;    /* judge corruption against the reference */
	uint32_t crash_rate_q; /* --crash without --crash-rate: the rate the baseline gave */
};

/* Removes file path if it holds data. */
static void unlink_used(const char *path)
{
	struct stat st;
	if (lstat(path, &st) == 0 && st.st_size > 0)
		unlink(path);
}

/* The worker's copy of the campaign's reference output, loaded when its
 * version changes; its judge's confirming runs may teach it more. */
static struct ff_manifest wref;
static uint32_t wref_gen;
static char **wpats; /* and its site patterns */
static size_t wnpats;

/* Loads NUL-terminated strings from path into *v (none if it is missing). Returns 0 or -errno. */
static int load_strings(const char *path, char ***v, size_t *n)
{
	FILE *f = fopen(path, "re");
	*v = NULL;
	*n = 0;
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	size_t cap = 0, len = 0;
	char *line = NULL;
	ssize_t r;
	while ((r = getdelim(&line, &len, '\0', f)) > 0) {
		ff_grow(v, &cap, *n + 1, sizeof(**v));
		(*v)[(*n)++] = ff_xstrdup(line);
	}
	free(line);
	fclose(f);
	return 0;
}

static int load_ref(const struct camp *k, uint32_t gen)
{
	if (gen == wref_gen)
		return 0;
	char p[4200];
	snprintf(p, sizeof(p), "%s/work/reference", k->out);
	ff_manifest_free(&wref);
	int rc = ff_outputs_load(p, &wref);
	if (rc == -ENOENT)
		rc = 0; /* no corruption oracle (--crash) */
	for (size_t i = 0; i < wnpats; i++)
		free(wpats[i]);
	free(wpats);
	snprintf(p, sizeof(p), "%s/work/patterns", k->out);
	if (rc == 0)
		rc = load_strings(p, &wpats, &wnpats);
	wref_gen = rc == 0 ? gen : 0;
	return rc;
}

/* A baseline's output manifest into dir/manifest. Returns 0 or -errno. */
static int save_manifest(const char *dir, const struct ff_config *cfg)
{
	char p[4400];
	struct ff_manifest m;
	path_in(p, sizeof(p), dir, "manifest");
	int rc = ff_manifest_dir(cfg->workdir, cfg->ignore, cfg->nignore, cfg->stdout_path, &m);
	if (rc < 0)
		return rc;
	rc = ff_outputs_save(p, &m);
	ff_manifest_free(&m);
	return rc;
}

/* What a worker leaves beside a run for the campaign (see run_once). Returns 0 or -errno. */
static int leave_notes(const char *dir, const struct ff_judge *j, const struct ff_run_result *res)
{
	char p[4400];
	int rc = 0;
	path_in(p, sizeof(p), dir, "difference");
	unlink(p);
	if (res->trace.outcome.verdict == FF_V_CORRUPTION && (rc = ff_write_file(p, j->why, strlen(j->why))) < 0)
		return rc;
	path_in(p, sizeof(p), dir, "learned");
	if (rc == 0 && j->learned)
		rc = ff_outputs_save(p, j->ref);
	return rc;
}

/* One seeded run in slot directory dir. Fills line with its result line
 * ("ok VERDICT KIND CODE FAULTS ELIGIBLE LEARNED RETIRE" or "error WHY"), and
 * writes dir/trace when the run failed (or --check may read it): a passing
 * run's trace is never read. A baseline leaves its output's manifest in
 * dir/manifest; a run whose confirming run taught the reference something
 * leaves the reference in dir/learned (LEARNED 1); a corrupt run says its
 * first difference in dir/difference. Returns true (RETIRE 1) when the worker must
 * not run again: after an error, or a timeout or stop signal, which stays
 * set in the tracer for the rest of the process. */
/* The run's settings for this order: a baseline has no fault and no power
 * cut (with --crash the model still follows the calls, keep-all changing
 * nothing, which counts the cut points); others take the baseline's rate. */
static void order_cfg(struct ff_config *cfg, const struct order *ord)
{
	cfg->seed = ord->seed;
	if (ord->baseline) {
		cfg->rate_q = 0, cfg->rate = 0, cfg->only = 0;
		cfg->crash_mode = cfg->crash_mode ? FF_CRASH_KEEP_ALL : 0;
		cfg->crash_rate_q = 0, cfg->crash_rate = 0, cfg->crash_at = 0;
	} else if (cfg->crash_rate_auto && ord->crash_rate_q) {
		cfg->crash_rate_q = ord->crash_rate_q, cfg->crash_rate = ord->crash_rate_q / 4294967296.0;
	}
}

/* Judges a finished run and keeps its trace where it failed (or --check
 * reads it). Returns 0 or -errno; *learned: the judge learned what varies. */
static int judge_once(const struct camp *k, const char *dir, const struct order *ord, const struct ff_config *cfg,
		      struct ff_run_result *res, const char *tpath, bool *learned)
{
	struct ff_judge j = {
	    .corruption = ord->corruption && !ord->baseline, .ref = &wref, .template_dir = k->c->template_dir};
	/* --check may read the trace: written before judging, again if the verdict changed. */
	uint8_t before = res->trace.outcome.verdict;
	bool written = false;
	int rc = 0;
	/* A baseline's trace tells which names the program draws at random. */
	if ((cfg->check_cmd || ord->baseline) && (rc = ff_trace_write_ex(tpath, &res->trace, false)) == 0)
		written = true;
	const struct ff_outcome *o = &res->trace.outcome;
	if (rc < 0 || (rc = ff_judge_run(cfg, &j, res, tpath)) < 0 || (rc = leave_notes(dir, &j, res)) < 0)
		return rc;
	*learned = j.learned > 0;
	if ((written && o->verdict != before) || (!written && o->verdict != FF_V_PASS && o->verdict != FF_V_UNKNOWN))
		rc = ff_trace_write_ex(tpath, &res->trace, false);
	return rc;
}

/* Why this worker's runs exec instead of starting from a snapshot, for the
 * campaign (OUTDIR/work/exec-why, written by the first worker to know). */
static void note_exec(const char *dir, const struct ff_config *cfg)
{
	static bool noted;
	const char *why = ff_snapshot_unusable(cfg);
	if (noted || !why)
		return;
	noted = true;
	char p[4400];
	snprintf(p, sizeof(p), "%s/../exec-why", dir);
	int fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd >= 0) {
		(void)!ff_write_all(fd, why, strlen(why));
		close(fd);
	}
}

static bool run_once(const struct camp *k, const char *dir, const struct order *ord, char *line, size_t len)
{
	char tpath[4300], why[600] = "";
	struct run_paths rp;
	struct ff_config cfg = run_cfg(k, dir, &rp);
	path_in(tpath, sizeof(tpath), dir, "trace");
	order_cfg(&cfg, ord);
	/* The child truncates them: fine when empty, but on ext4 truncating a
	 * file with unwritten data forces its writeback (auto_da_alloc), so a
	 * used one makes way for a new file. */
	unlink_used(rp.out);
	unlink_used(rp.err);
	int rc = ord->baseline ? 0 : load_ref(k, ord->ref_gen);
	cfg.site_patterns = wpats; /* as load_ref left them */
	cfg.nsite_patterns = (int)wnpats;
	if (rc == 0)
		rc = ff_workdir_fresh(rp.run, k->c->template_dir);
	if (rc < 0) {
		snprintf(line, len, "error cannot prepare %.512s: %s\n", rp.run, strerror(-rc));
		return true;
	}
	struct ff_cs_run cs;
	struct ff_run_result res = {0};
	if ((rc = ff_cs_run_setup(&cs, k->c, k->out, ord->baseline, ord->seed, &cfg, why, sizeof(why))) < 0 ||
	    (rc = ff_run(&cfg, &cs.src, &res, why, sizeof(why))) < 0) {
		snprintf(line, len, "error %s\n", why);
		ff_trace_free(&res.trace);
		return true;
	}
	/* A baseline's output, read before --check may write files of its own. */
	if (ord->baseline && !k->c->cfg->crash_mode && (rc = save_manifest(dir, &cfg)) < 0) {
		snprintf(line, len, "error cannot read the output of %.512s: %s\n", rp.run, strerror(-rc));
		ff_trace_free(&res.trace);
		return true;
	}
	const struct ff_outcome *o = &res.trace.outcome;
	bool retire = true, learned = false;
	if ((rc = judge_once(k, dir, ord, &cfg, &res, tpath, &learned)) < 0) {
		snprintf(line, len, "error cannot finish the run (trace %.512s): %s\n", tpath, ff_judge_error(rc));
	} else if ((rc = ff_cs_run_done(&cs, dir, o->verdict != FF_V_PASS && o->verdict != FF_V_UNKNOWN)) < 0) {
		snprintf(line, len, "error cannot keep the baseline's calls in %.512s: %s\n", dir, strerror(-rc));
	} else {
		retire = res.stop_sig != 0;
		/* The retire flag stays last: finish() reads it there. */
		snprintf(line, len, "ok %u %u %d %" PRIu64 " %" PRIu64 " %d %" PRIu64 " %d %d\n", o->verdict, o->kind,
			 (int)o->code, res.trace.faults, res.trace.eligible, learned, res.trace.cut_points, res.forked,
			 retire);
		if (cfg.snapshot && !res.forked)
			note_exec(dir, &cfg);
	}
	ff_trace_free(&res.trace);
	return retire;
}

/* A slot's run worker: takes orders from cmd, answers each with one result
 * line on res (well under PIPE_BUF: one atomic write). Living across runs,
 * it saves a fork, an exit and the first-touch costs of a fresh process per
 * run. Exits at end of file, or after a line that says it must retire. */
__attribute__((noreturn)) static void run_worker(const struct camp *k, const char *dir, int cmd, int res)
{
	for (;;) {
		struct order ord;
		ssize_t n = read(cmd, &ord, sizeof(ord));
		if (n < 0 && errno == EINTR)
			continue;
		if (n != (ssize_t)sizeof(ord)) {
			ff_cs_worker_exit(dir);
			ff_snapshot_release();
			_exit(0);
		}
		char line[PIPE_BUF];
		bool last = run_once(k, dir, &ord, line, sizeof(line));
		if (ff_write_all(res, line, strlen(line)) < 0)
			_exit(3);
		if (last) {
			ff_cs_worker_exit(dir);
			ff_snapshot_release();
			_exit(0); /* the campaign starts a fresh worker for the next order */
		}
	}
}

/* Minimizer: minimize bug b's trace into its directory; the result line goes to rfd. */
__attribute__((noreturn)) static void work_min(const struct camp *k, const char *dir, int rfd, const struct bug *b)
{
	char in[4400], mout[4400], why[600] = "";
	struct run_paths rp;
	struct ff_config cfg = run_cfg(k, dir, &rp);
	path_in(in, sizeof(in), b->dir, "trace");
	path_in(mout, sizeof(mout), b->dir, "minimized.trace");
	FILE *r = fdopen(rfd, "w");
	if (!r)
		_exit(3);
	struct ff_trace t;
	if (ff_trace_read(in, &t, why, sizeof(why)) < 0 || ff_config_apply_trace(&cfg, &t, why, sizeof(why)) < 0) {
		fprintf(r, "error %s\n", why);
		_exit(3);
	}
	struct ff_judge j = k->judge; /* its reference (inherited) may learn in this process only */
	struct ff_min m = {.cfg = &cfg, .template_dir = k->c->template_dir, .judge = &j, .deadline = k->c->min_time};
	struct ff_min_result mr;
	int rc = ff_minimize(&m, &t, &mr, why, sizeof(why));
	ff_snapshot_release();
	if (rc < 0) {
		fprintf(r, "error %s\n", why);
		_exit(rc == -ESRCH ? 4 : 3);
	}
	if ((rc = ff_trace_write(mout, &mr.trace)) < 0) {
		fprintf(r, "error cannot write %s: %s\n", mout, strerror(-rc));
		_exit(3);
	}
	/* The bug shows the minimized run's output; the first run's stays beside it. */
	static const char *const keep[][2] = {
	    {"stderr", "original.stderr"}, {"stdout", "original.stdout"}, {"check", "original.check"}};
	for (size_t i = 0; i < FF_ARRAY_LEN(keep); i++) {
		char a[4400], c[4400];
		path_in(a, sizeof(a), b->dir, keep[i][0]);
		path_in(c, sizeof(c), b->dir, keep[i][1]);
		if (rename(a, c) == 0 || errno == ENOENT)
			move_file(dir, keep[i][0], b->dir);
	}
	fprintf(r, "ok %zu %zu %zu %.1f %d\n", mr.before, mr.after, mr.tests, k->c->min_time, mr.out_of_time);
	_exit(fclose(r) == 0 ? 0 : 3);
}

/* In a new worker: the signals back to what the campaign found (their
 * default action, after the template is killed), and no
 * descriptor of another slot's pipes (a worker holding one would keep that
 * slot's end of file from coming). */
static void child_setup(const struct camp *k, int keep1, int keep2)
{
	ff_snapshot_guard_signals(); /* SIGINT, SIGTERM, SIGHUP: its template dies with it */
	sigaction(SIGPIPE, &k->old_pipe, NULL);
	int jobs = k->c->jobs > 0 ? k->c->jobs : 1;
	for (int i = 0; i < jobs; i++) {
		const struct slot *o = &k->slots[i];
		int fds[] = {o->rfd, o->wcmd, o->wres};
		for (size_t f = 0; f < FF_ARRAY_LEN(fds); f++)
			if (fds[f] >= 0 && fds[f] != keep1 && fds[f] != keep2)
				close(fds[f]);
	}
}

/* Reaps slot s's run worker (which exits on its own) and forgets it. */
static void retire(struct slot *s)
{
	if (!s->wpid)
		return;
	close(s->wcmd);
	close(s->wres);
	s->wcmd = s->wres = -1;
	int st;
	while (waitpid(s->wpid, &st, 0) < 0 && errno == EINTR)
		;
	s->wpid = 0;
}

/* Starts slot s's run worker. Returns 0 or -errno. */
static int spawn_worker(struct camp *k, struct slot *s)
{
	int cmd[2], res[2];
	if (pipe2(cmd, O_CLOEXEC) < 0)
		return -errno;
	if (pipe2(res, O_CLOEXEC) < 0) {
		int rc = -errno;
		close(cmd[0]);
		close(cmd[1]);
		return rc;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		int rc = -errno;
		close(cmd[0]);
		close(cmd[1]);
		close(res[0]);
		close(res[1]);
		return rc;
	}
	if (pid == 0) {
		close(cmd[1]);
		close(res[0]);
		child_setup(k, cmd[0], res[1]);
		run_worker(k, s->dir, cmd[0], res[1]);
	}
	close(cmd[0]);
	close(res[1]);
	s->wpid = pid;
	s->wcmd = cmd[1];
	s->wres = res[0];
	return 0;
}

/* Gives slot s a job: a run or baseline to its run worker (started if
 * needed), or a minimization to a process of its own. Returns 0 or -errno. */
static int start(struct camp *k, struct slot *s, enum job job, uint64_t seed, size_t bug)
{
	int rc;
	s->seed = seed;
	s->bug = bug;
	if (job != JOB_MIN) {
		struct order ord = {.seed = seed,
				    .ref_gen = k->ref_gen,
				    .baseline = job == JOB_BASELINE,
				    .corruption = k->judge.corruption,
				    .crash_rate_q = k->crash_rate_q};
		for (int attempt = 0;; attempt++) {
			if (!s->wpid && (rc = spawn_worker(k, s)) < 0)
				return rc;
			if ((rc = ff_write_all(s->wcmd, (const char *)&ord, sizeof(ord))) == 0)
				break;
			retire(s); /* it died between two runs (EPIPE): once more with a new one */
			if (attempt)
				return rc;
		}
		s->job = job;
		s->pid = s->wpid;
		s->rfd = s->wres;
		return 0;
	}
	int p[2];
	/* The minimizer's one result line waits in the pipe until it exits. */
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		rc = -errno;
		close(p[0]);
		close(p[1]);
		return rc;
	}
	if (pid == 0) {
		close(p[0]);
		child_setup(k, p[1], -1);
		work_min(k, s->dir, p[1], &k->bugs[bug]);
	}
	close(p[1]);
	s->job = job;
	s->rfd = p[0];
	s->pid = pid;
	return 0;
}

/* How much a fault says about a failure that follows it: a power cut or a
 * reported error more than a short count or an EINTR, which programs are
 * expected to retry. A bug is named after its weightiest fault. */
static int weight(uint8_t kind)
{
	switch (kind) {
	case FF_CUT:
		return 4;
	case FF_ERROR:
	case FF_TORN:
	case FF_FSYNC:
		return 3;
	case FF_SHORT:
		return 2;
	default:
		return 1;
	}
}

/* The faults of a trace, as "syscall path #ordinal: fault", the weightiest
 * first (then in trace order). */
static char **fault_sites(const struct ff_trace *t, size_t *n)
{
	char **v = NULL;
	int *w = NULL;
	size_t cap = 0, wcap = 0;
	*n = 0;
	for (size_t i = 0; i < t->nstreams; i++) {
		uint64_t ord = 0;
		for (size_t j = 0; j < t->streams[i].nitems; ord += t->streams[i].items[j].count, j++) {
			const struct ff_item *it = &t->streams[i].items[j];
			if (it->kind == FF_PASS)
				continue;
			char buf[4400], what[64];
			const char *en = ff_errno_name(it->err);
			if (it->kind == FF_SHORT)
				snprintf(what, sizeof(what), "short %" PRIu64, it->n);
			else if (it->kind == FF_TORN)
				snprintf(what, sizeof(what), "torn %" PRIu64 " + %s", it->n, en ? en : "?");
			else if (it->kind == FF_ERROR || it->kind == FF_FSYNC)
				snprintf(what, sizeof(what), "%s", en ? en : "?");
			else
				snprintf(what, sizeof(what), "%s", ff_fault_name(it->kind));
			snprintf(buf, sizeof(buf), "%s %s #%" PRIu64 ": %s", t->streams[i].sc, t->streams[i].path, ord,
				 what);
			ff_grow(&v, &cap, *n + 1, sizeof(*v));
			ff_grow(&w, &wcap, *n + 1, sizeof(*w));
			/* insertion keeps the weightiest first, stable within a weight */
			size_t at = *n;
			int wt = weight(it->kind);
			while (at > 0 && w[at - 1] < wt) {
				v[at] = v[at - 1];
				w[at] = w[at - 1];
				at--;
			}
			v[at] = ff_xstrdup(buf);
			w[at] = wt;
			(*n)++;
		}
	}
	free(w);
	if (t->cut == FF_CUT_END) {
		/* The power cut after the run is no item of a stream, but it is the weightiest fault. */
		ff_grow(&v, &cap, *n + 1, sizeof(*v));
		memmove(v + 1, v, *n * sizeof(*v));
		v[0] = ff_xstrdup("power-cut after-exit #0: cut");
		(*n)++;
	}
	return v;
}

/* A fault's site without its ordinal or fault: "write out.txt #3: EIO" ->
 * "write out.txt". What identifies the code path is the call and the file;
 * the ordinal only says which time round a loop it was, and a crash that
 * follows any failure of a write is one bug, whether it was short or failed. */
static void site_key(char *out, size_t len, const char *site)
{
	const char *colon = strrchr(site, ':');
	const char *hash = colon ? colon : site + strlen(site);
	while (hash > site && *hash != '#')
		hash--;
	if (hash == site) {
		snprintf(out, len, "%s", site);
		return;
	}
	snprintf(out, len, "%.*s", (int)(hash - 1 - site), site);
}

static void free_sites(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* A power cut's entry among a trace's faults (at a call, or after the run). */
static bool is_cut(const char *site)
{
	size_t n = strlen(site);
	return n >= 5 && !strcmp(site + n - 5, ": cut");
}

/* Whether a fault names the bug: a crash-consistency failure is what the
 * check found, wherever the cut fell (a cut at each of a transaction's
 * writes that leaves the same damage is one bug); its other faults count. */
static bool names_bug(const struct ff_outcome *o, const char *site)
{
	return o->verdict != FF_V_CRASH_CONSISTENCY || !is_cut(site);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The key of a failing run: its outcome, what its check said, and the set
 * of its faults' sites without ordinals. Two runs with the same key are the same
 * failure (a loop that ignores every failed write fails alike at each
 * round), whatever order they came in: only the first is minimized. */
static char *raw_key(const struct ff_outcome *o, const char *msg, char **sites, size_t n)
{
	char **v = ff_xcalloc(n + 1, sizeof(*v));
	size_t len = 64 + strlen(msg), m = 0;
	for (size_t i = 0; i < n; i++) {
		char buf[4400];
		if (!names_bug(o, sites[i]))
			continue;
		site_key(buf, sizeof(buf), sites[i]);
		v[m++] = ff_xstrdup(buf);
		len += strlen(buf) + 1;
	}
	if (m)
		qsort(v, m, sizeof(*v), str_cmp);
	char *k = ff_xmalloc(len);
	int off = snprintf(k, len, "%u %u %d %s", o->verdict, o->kind, (int)o->code, msg);
	for (size_t i = 0; i < m; i++)
		if (!i || strcmp(v[i], v[i - 1]))
			off += snprintf(k + off, len - (size_t)off, "\n%s", v[i]);
	for (size_t i = 0; i < m; i++)
		free(v[i]);
	free(v);
	return k;
}

static long find_raw(const struct camp *k, const char *key)
{
	for (size_t i = 0; i < k->nraws; i++)
		if (!strcmp(k->raws[i].key, key))
			return (long)i;
	return -1;
}

/* The bug a (possibly merged) bug index stands for now. */
static size_t live(const struct camp *k, size_t b)
{
	while (k->bugs[b].merged)
		b = k->bugs[b].into;
	return b;
}

/* A file-name-safe signature: verdict, signal or exit, the weightiest
 * fault's site without its ordinal, and what the check said. */
static void signature(char *out, size_t len, const struct ff_outcome *o, const char *msg, char **sites, size_t n)
{
	char how[32], site[300] = "nofault";
	if (o->kind == FF_OUT_SIGNALED) {
		const char *a = sigabbrev_np((int)o->code);
		snprintf(how, sizeof(how), "SIG%s", a ? a : "?");
	} else if (o->kind == FF_OUT_EXITED) {
		snprintf(how, sizeof(how), "exit%d", (int)o->code);
	} else {
		snprintf(how, sizeof(how), "%s", ff_outcome_name(o->kind));
	}
	size_t first = 0;
	while (first < n && !names_bug(o, sites[first]))
		first++;
	if (first < n)
		site_key(site, sizeof(site), sites[first]); /* "write out.txt #2: EIO" -> write-out.txt */
	else if (n)
		snprintf(site, sizeof(site), "power-cut");
	snprintf(out, len, "%s-%s-%s%s%.40s", ff_verdict_name(o->verdict), how, site, *msg ? "-" : "", msg);
	for (char *p = out; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
		      *p == '.' || *p == '_'))
			*p = *p == ' ' ? '-' : '_';
	if (strlen(out) > 120) {
		char tail[24];
		snprintf(tail, sizeof(tail), "-%016llx", (unsigned long long)XXH64(out, strlen(out), 0));
		snprintf(out + 100, len - 100, "%s", tail);
	}
}

/* Writes bug b's README. Returns 0 or -errno. */
static int write_readme(const struct camp *k, const struct bug *b)
{
	char p[4400];
	path_in(p, sizeof(p), b->dir, "README");
	FILE *f = fopen(p, "we");
	if (!f)
		return -errno;
	char how[128];
	ff_outcome_describe(&b->outcome, how, sizeof(how));
	fprintf(f, "fifuzz found: %s (outcome: %s)\n", ff_verdict_name(b->outcome.verdict), how);
	fprintf(f, "signature: %s\nfirst seen with seed %" PRIu64 ", %" PRIu64 " run%s in all\n", b->sig, b->first_seed,
		b->count, b->count == 1 ? "" : "s");
	if (k->c->sweep.on && k->sw.planned && b->first_seed < k->sw.plan.nruns) {
		char what[600];
		ff_sweep_describe(&k->sw.plan, (size_t)b->first_seed, what, sizeof(what));
		fprintf(f, "(a sweep: its seed is the run's index in the list; run %" PRIu64 " was: %s)\n",
			b->first_seed, what);
	}
	if (b->msg[0])
		fprintf(f, "the check said (normalized): %s\n", b->msg);
	char diff[400];
	path_in(p, sizeof(p), b->dir, "difference");
	long dn = ff_read_small(p, diff, sizeof(diff));
	if (dn > 0)
		fprintf(f, "first difference from a fault-free run: %.*s\n", (int)dn, diff);
	if (b->minimized)
		fprintf(f, "faults: %zu in the failing run, %zu after minimization:\n", b->faults_before,
			b->faults_after);
	else
		fprintf(f, "faults: %zu in the failing run (not minimized):\n", b->faults_before);
	for (size_t i = 0; i < b->nsites; i++)
		fprintf(f, "  %s\n", b->sites[i]);
	if (b->min_note[0])
		fprintf(f, "(%s)\n", b->min_note);
	const char *t = b->minimized ? "minimized.trace" : "trace";
	fprintf(f, "\nFiles: trace (the failing run), %sstderr and stdout (the program's%s)%s.\n",
		b->minimized ? "minimized.trace (the smallest set of faults that still fails), " : "",
		b->minimized ? " in the minimized run; original.* in the first" : "",
		k->c->cfg->check_cmd ? ", check (what --check printed)" : "");
	fprintf(f, "\nReplay it in an empty directory%s:\n\n  fifuzz replay",
		k->c->template_dir ? " (a copy of the template)" : "");
	if (k->c->cfg->timeout > 0)
		fprintf(f, " --timeout %g", k->c->cfg->timeout);
	if (k->c->cfg->check_cmd) {
		fputs(" --check ", f);
		ff_quote_arg(f, k->c->cfg->check_cmd);
	}
	fprintf(f, " %s/%s --", b->dir, t);
	char prog[4096]; /* the program as the runs found it, wherever the replay is typed */
	for (int i = 0; i < k->c->cfg->argc; i++) {
		fputc(' ', f);
		ff_quote_arg(f, i == 0 && ff_which(k->c->cfg->argv[0], prog, sizeof(prog)) == 0 ? prog
												: k->c->cfg->argv[i]);
	}
	fprintf(f, "\n\nPrint it:\n\n  fifuzz show %s/%s\n", b->dir, t);
	if (k->c->cfg->crash_mode)
		fprintf(
		    f,
		    "\nThe run simulated power loss (%s): the trace holds where the cut came and a hash of the files\n"
		    "it left; the replay verifies that it reaches the same files (docs/durability.md).\n",
		    ff_crash_mode_name(k->c->cfg->crash_mode));
	int rc = ferror(f) ? -EIO : 0;
	if (fclose(f) != 0 && rc == 0)
		rc = -errno;
	return rc;
}

/* What a failing run leaves that its bug keeps. */
static const char *const run_files[] = {"trace", "stderr", "stdout", "check", "difference"};

static void adopt_files(const struct slot *s, const char *dir)
{
	for (size_t i = 0; i < FF_ARRAY_LEN(run_files); i++)
		move_file(s->dir, run_files[i], dir);
}

/* Bug g takes the files of run s (its new first seed). */
static void adopt_run(struct bug *g, const struct slot *s)
{
	adopt_files(s, g->dir);
	g->first_seed = s->seed;
}

/* Bug g takes bug b's files and first seed (b was seen first). */
static void adopt_bug(struct bug *g, const struct bug *b)
{
	static const char *const files[] = {"trace",	       "minimized.trace", "stderr",
					    "stdout",	       "check",		  "difference",
					    "original.stderr", "original.stdout", "original.check"};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		move_file(b->dir, files[i], g->dir);
	g->first_seed = b->first_seed;
	g->faults_before = b->faults_before;
	g->faults_after = b->faults_after;
	g->minimized = b->minimized;
}

/* A failing run's files become a bug directory, pending its minimization. */
static long new_bug(struct camp *k, const struct slot *s, const struct ff_trace *t, const char *msg, char **sites,
		    size_t n)
{
	ff_grow(&k->bugs, &k->capbugs, k->nbugs + 1, sizeof(*k->bugs));
	struct bug *b = &k->bugs[k->nbugs];
	memset(b, 0, sizeof(*b));
	b->outcome = t->outcome;
	b->first_seed = s->seed;
	b->count = 1;
	b->faults_before = n;
	snprintf(b->msg, sizeof(b->msg), "%s", msg);
	snprintf(b->dir, sizeof(b->dir), "%s/failures/pending-%zu", k->out, k->nbugs);
	ff_workdir_remove(b->dir);
	if (mkdir(b->dir, 0755) < 0)
		return -errno;
	adopt_files(s, b->dir);
	if (k->c->minimize) {
		b->pending = true;
		ff_grow(&k->minq, &k->capminq, k->nminq + 1, sizeof(*k->minq));
		k->minq[k->nminq++] = k->nbugs;
	} else {
		b->sites = sites;
		b->nsites = n;
		b->faults_after = 0;
	}
	return (long)k->nbugs++;
}

/* Gives bug b its final name, or merges it into an existing bug with the same signature. */
static void settle(struct camp *k, size_t bi)
{
	struct bug *b = &k->bugs[bi];
	signature(b->sig, sizeof(b->sig), &b->outcome, b->msg, b->sites, b->nsites);
	for (size_t i = 0; i < k->nbugs; i++) {
		struct bug *g = &k->bugs[i];
		if (i != bi && !g->merged && !g->pending && !g->dropped && !strcmp(g->sig, b->sig)) {
			g->count += b->count;
			if (b->first_seed < g->first_seed) {
				adopt_bug(g, b);
				write_readme(k, g);
			}
			b->merged = true;
			b->into = i;
			ff_workdir_remove(b->dir);
			return;
		}
	}
	char dst[4300];
	snprintf(dst, sizeof(dst), "%s/failures/%s", k->out, b->sig);
	ff_workdir_remove(dst);
	if (rename(b->dir, dst) == 0)
		snprintf(b->dir, sizeof(b->dir), "%s", dst);
	write_readme(k, b);
	if (!k->c->quiet) {
		if (k->c->status)
			fprintf(stderr, "\r\033[K");
		fprintf(stderr, "fifuzz: new bug: %s (seed %" PRIu64 "%s)\n", b->sig, b->first_seed,
			b->minimized ? "" : ", not minimized");
	}
}

/* Reads one result line from fd: up to its newline, or to end of file.
 * Returns 0 if a whole line came, else -EIO. */
static int read_line(int fd, char *line, size_t len)
{
	size_t n = 0;
	line[0] = 0;
	while (n + 1 < len && !memchr(line, '\n', n)) {
		ssize_t r = read(fd, line + n, len - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	line[n] = 0;
	char *nl = strchr(line, '\n');
	if (!nl)
		return -EIO;
	*nl = 0;
	return 0;
}

/* Ends slot s's job, whose result is ready (or whose process died): its
 * result line into line ("" if none came), a minimizer reaped (*wstatus),
 * a run worker that retired or died too. */
static void finish(struct slot *s, char *line, size_t len, int *wstatus)
{
	bool whole = read_line(s->rfd, line, len) == 0;
	size_t n = strlen(line);
	*wstatus = 0;
	if (!whole)
		line[0] = 0;
	if (s->job == JOB_MIN) {
		close(s->rfd);
		while (waitpid(s->pid, wstatus, 0) < 0 && errno == EINTR)
			;
	} else if (!whole || strncmp(line, "ok ", 3) || n < 2 || strcmp(line + n - 2, " 0")) {
		retire(s); /* it exits after an error or a stop, or it died */
	}
	s->rfd = -1;
	s->job = JOB_NONE;
}

/* What a failed check said, normalized so that runs failing alike say the
 * same: its first non-empty line, numbers and hex names as '#'. */
static void check_message(const char *dir, char *out, size_t len)
{
	char p[4400], buf[512];
	out[0] = 0;
	path_in(p, sizeof(p), dir, "check");
	long n = ff_read_small(p, buf, sizeof(buf));
	if (n <= 0)
		return;
	char *line = buf;
	while (*line == '\n' || *line == ' ')
		line++;
	size_t o = 0;
	for (const char *c = line; *c && *c != '\n' && o + 1 < len; c++) {
		/* a word of hex digits that holds a digit: a number, an object id, an
		 * address ("sqlite3" and "line42" stay as they are) */
		bool start = c == line || !(isalnum((unsigned char)c[-1]) || c[-1] == '_');
		size_t pre = start && c[0] == '0' && c[1] == 'x' ? 2 : 0; /* 0x7ffd... */
		size_t hex = start ? pre + strspn(c + pre, "0123456789abcdefABCDEF") : 0;
		if (hex && (isalnum((unsigned char)c[hex]) || c[hex] == '_'))
			hex = 0;
		if (hex && strcspn(c, "0123456789") < hex) {
			if (o == 0 || out[o - 1] != '#')
				out[o++] = '#';
			c += hex - 1;
		} else {
			out[o++] = *c;
		}
	}
	out[o] = 0;
}

/* Counts a finished run by its outcome and faults, for report.json. */
static void count_outcome(struct camp *k, unsigned kind, int code, uint64_t faults)
{
	if (kind == FF_OUT_EXITED && code >= 0 && code < 256)
		k->by_exit[code]++;
	else if (kind == FF_OUT_SIGNALED && code > 0 && code < 65)
		k->by_signal[code]++;
	else if (kind == FF_OUT_HANG)
		k->hangs++;
	else
		k->other++;
	k->by_faults[faults == 0 ? 0 : faults == 1 ? 1 : faults < 10 ? 2 : 3]++;
}

/* The reference output takes what a worker's run taught its copy, or a
 * baseline's manifest; the workers reload it. Returns 0 or -errno. */
static int update_ref(struct camp *k, const struct slot *s, bool baseline, char *err, size_t errlen)
{
	char p[4400], names[400] = "";
	struct ff_manifest m;
	path_in(p, sizeof(p), s->dir, baseline ? "manifest" : "learned");
	int rc = ff_outputs_load(p, &m);
	if (rc < 0) {
		snprintf(err, errlen, "cannot read %s: %s", p, strerror(-rc));
		return rc;
	}
	size_t n = 0;
	if (baseline && !k->baselines_done++) {
		k->ref = m; /* the first baseline is the reference */
	} else {
		n = baseline ? ff_outputs_learn(&k->ref, &m, names, sizeof(names))
			     : ff_outputs_merge(&k->ref, &m, names, sizeof(names));
		ff_manifest_free(&m);
	}
	/* A few such lines say what goes on; the rest is in report.json. */
	if (n && !k->c->quiet && k->warned_varying < 3) {
		if (k->c->status)
			fprintf(stderr, "\r\033[K");
		ff_warn("%s fault-free runs differ in %s: such output is compared by size, or left out where "
			"its size or presence changes too (--ignore GLOB leaves files out, --check judges them)%s",
			baseline ? "two" : "a fault-free run made to confirm a corruption shows that", names,
			++k->warned_varying == 3 ? "; more such files are listed in report.json (varying_outputs)"
						 : "");
	}
	path_in(p, sizeof(p), k->out, "work/reference");
	if ((rc = ff_outputs_save(p, &k->ref)) < 0) {
		snprintf(err, errlen, "cannot write %s: %s", p, strerror(-rc));
		return rc;
	}
	k->ref_gen++;
	return 0;
}

/* The baselines' traces: names that differ between them only in a drawn
 * part become site patterns (core/site_pattern.c), which the workers load
 * with the reference. Returns 0 or -errno. */
static int learn_patterns(struct camp *k, const struct slot *s, char *err, size_t errlen)
{
	char from[4400], to[4400], why[512];
	path_in(from, sizeof(from), s->dir, "trace");
	snprintf(to, sizeof(to), "%s/work/baseline-%d.trace", k->out, k->baselines_done);
	if (rename(from, to) < 0) {
		snprintf(err, errlen, "cannot keep the baseline's trace %s: %s", to, strerror(errno));
		return -errno;
	}
	if (k->baselines_done == 0)
		return 0;
	struct ff_trace a, b;
	snprintf(from, sizeof(from), "%s/work/baseline-0.trace", k->out);
	if (ff_trace_read(from, &a, why, sizeof(why)) < 0 || ff_trace_read(to, &b, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "%s", why);
		return -EIO;
	}
	char **v;
	size_t n = ff_site_patterns_learn(&a, &b, &v);
	ff_trace_free(&a);
	ff_trace_free(&b);
	if (!n)
		return 0;
	FILE *f;
	snprintf(to, sizeof(to), "%s/work/patterns", k->out);
	int rc = (f = fopen(to, "we")) ? 0 : -errno;
	for (size_t i = 0; i < n; i++) {
		if (f && fwrite(v[i], 1, strlen(v[i]) + 1, f) != strlen(v[i]) + 1)
			rc = -EIO;
		if (!k->c->quiet)
			ff_warn("the program draws names at random: its calls on them are sites named %s", v[i]);
		free(v[i]);
	}
	free(v);
	if (f && fclose(f) != 0 && rc == 0)
		rc = -errno;
	if (rc < 0)
		snprintf(err, errlen, "cannot write %s: %s", to, strerror(-rc));
	return rc;
}

/* A baseline run finished. Returns 0 or -errno (err says why). */
static int done_baseline(struct camp *k, const struct slot *s, unsigned verdict, unsigned kind, int code, uint64_t cuts,
			 uint64_t eligible, char *err, size_t errlen)
{
	if (verdict != FF_V_PASS) {
		snprintf(err, errlen, "the program fails without any fault (verdict %s, %s %d): fix that first",
			 ff_verdict_name((uint8_t)verdict), ff_outcome_name((uint8_t)kind), code);
		return -EINVAL;
	}
	if (!k->baselines_done && k->c->cfg->crash_rate_auto && !k->c->sweep.on) {
		/* About one cut per run, before any of the calls a cut can come
		 * before (those that change or sync files), and a third after it. */
		k->crash_rate_q = ff_rate_q(1.0 / (double)(cuts + 1));
		if (!k->c->quiet)
			ff_warn("power cut: probability 1/%" PRIu64
				" before each call that changes or syncs a file (the "
				"fault-free run made %" PRIu64 "; --crash-rate sets it)",
				cuts + 1, cuts);
	}
	int rc = learn_patterns(k, s, err, errlen);
	if (rc == 0 && !k->baselines_done &&
	    (rc = ff_cs_plan(&k->sw, k->c, k->out, s->dir, eligible, err, errlen)) == 0 && k->c->sweep.on) {
		/* the run list's indexes are the campaign's seeds from now on */
		k->cc.first = k->next_seed = k->sw.plan.nruns ? 0 : 1;
		k->cc.last = k->sw.plan.nruns ? k->sw.plan.nruns - 1 : 0;
		k->total = k->sw.plan.nruns ? shard_seeds(k->c) : 0;
	}
	if (rc < 0)
		return rc;
	if (k->c->cfg->crash_mode) {
		k->baselines_done++;
		k->ref_gen++;
		return 0;
	}
	return update_ref(k, s, true, err, errlen);
}

/* A run finished in slot s with this result line. Returns 0 or -errno (err says why). */
static int done_run(struct camp *k, struct slot *s, enum job job, const char *line, char *err, size_t errlen)
{
	unsigned verdict, kind;
	int code, learned, forked;
	uint64_t faults, eligible, cuts;
	if (strncmp(line, "ok ", 3) || sscanf(line + 3, "%u %u %d %" SCNu64 " %" SCNu64 " %d %" SCNu64 " %d", &verdict,
					      &kind, &code, &faults, &eligible, &learned, &cuts, &forked) != 8) {
		snprintf(err, errlen, "run with seed %" PRIu64 " failed: %s", s->seed,
			 strncmp(line, "error ", 6) ? "no result" : line + 6);
		return -EIO;
	}
	if (job == JOB_BASELINE)
		return done_baseline(k, s, verdict, kind, code, cuts, eligible, err, errlen);
	int rc;
	if (learned && (rc = update_ref(k, s, false, err, errlen)) < 0)
		return rc;
	k->runs++;
	k->forked += forked > 0;
	count_outcome(k, kind, code, faults);
	ff_cs_done_run(&k->sw, k->c, s->seed, faults, eligible, verdict != FF_V_PASS && verdict != FF_V_UNKNOWN);
	if (eligible > k->max_eligible)
		k->max_eligible = eligible;
	if (verdict == FF_V_PASS || verdict == FF_V_UNKNOWN)
		return 0;
	k->failures++;
	char tpath[4400], why[512], msg[64] = "";
	path_in(tpath, sizeof(tpath), s->dir, "trace");
	struct ff_trace t;
	if (ff_trace_read(tpath, &t, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "%s", why);
		return -EIO;
	}
	if (verdict == FF_V_CHECK || verdict == FF_V_CRASH_CONSISTENCY)
		check_message(s->dir, msg, sizeof(msg));
	size_t n;
	char **sites = fault_sites(&t, &n);
	char *key = raw_key(&t.outcome, msg, sites, n);
	long r = find_raw(k, key);
	if (r >= 0) {
		/* The same failure again: count it, keep the lowest seed's files. */
		struct bug *g = &k->bugs[live(k, k->raws[r].bug)];
		g->count++;
		k->unconfirmed += g->dropped;
		if (s->seed < g->first_seed && !g->dropped) {
			adopt_run(g, s);
			if (!g->pending)
				write_readme(k, g);
		}
		free(key);
		free_sites(sites, n);
		ff_trace_free(&t);
		return 0;
	}
	long b = new_bug(k, s, &t, msg, sites, n);
	if (b < 0) {
		snprintf(err, errlen, "cannot create a failure directory: %s", strerror((int)-b));
		free(key);
		free_sites(sites, n);
		ff_trace_free(&t);
		return (int)b;
	}
	ff_grow(&k->raws, &k->capraws, k->nraws + 1, sizeof(*k->raws));
	k->raws[k->nraws++] = (struct raw){key, (size_t)b};
	if (k->c->minimize)
		free_sites(sites, n);
	else
		settle(k, (size_t)b);
	ff_trace_free(&t);
	return 0;
}

static int done_min(struct camp *k, struct slot *s, const char *line, int wstatus)
{
	struct bug *b = &k->bugs[s->bug];
	char mpath[4400], why[512];
	size_t before, after, tests;
	double budget = 0;
	int out_of_time = 0;
	b->pending = false;
	struct ff_trace t;
	path_in(mpath, sizeof(mpath), b->dir, "minimized.trace");
	if (!strncmp(line, "ok ", 3) &&
	    sscanf(line + 3, "%zu %zu %zu %lf %d", &before, &after, &tests, &budget, &out_of_time) == 5 &&
	    ff_trace_read(mpath, &t, why, sizeof(why)) == 0) {
		b->faults_after = after;
		b->minimized = true;
		b->sites = fault_sites(&t, &b->nsites);
		ff_trace_free(&t);
		if (out_of_time)
			snprintf(b->min_note, sizeof(b->min_note),
				 "minimization stopped at its time budget (%g s, --min-time) after %zu replays: "
				 "some of these faults may not be needed",
				 budget, tests);
	} else if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 4 && b->outcome.verdict == FF_V_CORRUPTION) {
		/* Its replay, judged against the reference as it is now (it may have learned
		 * since), left the output as a fault-free run does: nothing to file. */
		b->dropped = true;
		k->unconfirmed++;
		ff_workdir_remove(b->dir);
		if (!k->c->quiet) {
			if (k->c->status)
				fprintf(stderr, "\r\033[K");
			ff_warn("the corruption seen with seed %" PRIu64 " did not come back when replayed: not filed",
				b->first_seed);
		}
		return 0;
	} else {
		/* Flaky or broken: keep the bug with its unminimized faults. */
		path_in(mpath, sizeof(mpath), b->dir, "trace");
		if (ff_trace_read(mpath, &t, why, sizeof(why)) == 0) {
			b->sites = fault_sites(&t, &b->nsites);
			ff_trace_free(&t);
		}
		snprintf(b->min_note, sizeof(b->min_note), "not minimized: %.180s",
			 WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 4
			     ? "it does not reproduce on replay (the program is not deterministic?)"
			 : line[0] ? line + (strncmp(line, "error ", 6) ? 0 : 6)
				   : "the minimizer died");
		if (!k->c->quiet)
			ff_warn("could not minimize the failure of seed %" PRIu64 ": %s", b->first_seed,
				b->min_note + strlen("not minimized: "));
	}
	settle(k, s->bug);
	return 0;
}

/* "outcomes": runs by how they ended and by how many faults they had. */
static void write_outcomes(FILE *f, const struct camp *k)
{
	fputs("\n \"outcomes\":{\"exit\":{", f);
	const char *sep = "";
	for (int i = 0; i < 256; i++)
		if (k->by_exit[i]) {
			fprintf(f, "%s\"%d\":%" PRIu64, sep, i, k->by_exit[i]);
			sep = ",";
		}
	fputs("},\"signal\":{", f);
	sep = "";
	for (int i = 1; i < 65; i++)
		if (k->by_signal[i]) {
			const char *a = sigabbrev_np(i);
			fprintf(f, "%s\"SIG%s\":%" PRIu64, sep, a ? a : "?", k->by_signal[i]);
			sep = ",";
		}
	fprintf(f, "},\"hang\":%" PRIu64 ",\"other\":%" PRIu64 "},", k->hangs, k->other);
	fprintf(f, "\"runs_by_faults\":{\"0\":%" PRIu64 ",\"1\":%" PRIu64 ",\"2-9\":%" PRIu64 ",\"10+\":%" PRIu64 "},",
		k->by_faults[0], k->by_faults[1], k->by_faults[2], k->by_faults[3]);
}

/* "varying": the outputs that change between fault-free runs by themselves. */
static void write_varying(FILE *f, const struct camp *k)
{
	fputs("\n \"varying_outputs\":[", f);
	const char *sep = "";
	for (size_t i = 0; i < k->ref.n; i++) {
		const struct ff_mentry *e = &k->ref.v[i];
		if (!e->flags)
			continue;
		fprintf(f, "%s{\"path\":", sep);
		ff_json_str(f, e->type == FF_ME_STDOUT ? "(stdout)" : e->rel);
		fprintf(f, ",\"compared\":\"%s\"}", e->flags & (FF_VARY_PRESENCE | FF_VARY_SIZE) ? "no" : "size");
		sep = ",";
	}
	fputs("]", f);
}

/* Writes OUTDIR/report.json (through a temporary file). Returns 0 or -errno. */
/* Why runs exec'd instead of starting from a snapshot ("" if none did). */
static void exec_why(const struct camp *k, char *why, size_t len)
{
	char p[4400];
	why[0] = 0;
	if (k->forked == k->runs)
		return;
	snprintf(p, sizeof(p), "%s/work/exec-why", k->out);
	if (k->c->cfg->no_snapshot)
		snprintf(why, len, "--no-snapshot");
	else if (ff_read_small(p, why, len) < 0)
		snprintf(why, len, "unknown");
}

/* "launch": how many runs started from a snapshot, and why the others exec'd. */
static void write_launch(FILE *f, const struct camp *k)
{
	char why[300];
	exec_why(k, why, sizeof(why));
	fprintf(f, "\n \"launch\":{\"snapshot\":%" PRIu64 ",\"exec\":%" PRIu64 ",\"exec_why\":", k->forked,
		k->runs - k->forked);
	if (why[0])
		ff_json_str(f, why);
	else
		fputs("null", f);
	fputs("},", f);
}

static int write_report(const struct camp *k, const struct ff_campaign_result *r)
{
	char p[4200], tmp[4300];
	snprintf(p, sizeof(p), "%s/report.json", k->out);
	snprintf(tmp, sizeof(tmp), "%s.tmp", p);
	FILE *f = fopen(tmp, "we");
	if (!f)
		return -errno;
	double t = elapsed(k);
	fprintf(f, "{\"fifuzz\":\"%s\",\"command\":", FF_VERSION);
	/* The program as it was run: its path resolved through PATH. */
	char prog[4096];
	char **argv = k->c->cfg->argv, *given = argv[0];
	if (ff_which(given, prog, sizeof(prog)) == 0)
		argv[0] = prog;
	ff_json_strv(f, argv, (size_t)k->c->cfg->argc);
	argv[0] = given;
	fprintf(f,
		",\"seeds\":{\"first\":%" PRIu64 ",\"last\":%" PRIu64 ",\"shard\":\"%u/%u\"},\"rate\":%g,\"jobs\":%d,",
		k->c->first, k->c->last, k->c->shard_n ? k->c->shard_i : 1, k->c->shard_n ? k->c->shard_n : 1,
		k->c->cfg->rate, k->c->jobs);
	fprintf(f,
		"\n \"runs\":%" PRIu64 ",\"failures\":%" PRIu64
		",\"distinct_bugs\":%zu,\"elapsed_s\":%.3f,\"runs_per_s\":%.2f,",
		r->runs, r->failures, distinct(k), t, t > 0 ? (double)r->runs / t : 0.0);
	fprintf(f,
		"\"interrupted\":%s,\"corruption_oracle\":%s,\"unconfirmed_corruptions\":%" PRIu64
		",\"max_eligible\":%" PRIu64 ",",
		r->stop_sig ? "true" : "false", k->judge.corruption ? "true" : "false", k->unconfirmed,
		k->max_eligible);
	write_outcomes(f, k);
	write_launch(f, k);
	ff_cs_write_json(f, &k->sw, k->c);
	write_varying(f, k);
	fputs(",\n \"bugs\":[", f);
	bool first = true;
	for (size_t i = 0; i < k->nbugs; i++) {
		const struct bug *b = &k->bugs[i];
		if (b->merged || b->dropped)
			continue;
		fprintf(f, "%s\n  {\"signature\":", first ? "" : ",");
		first = false;
		ff_json_str(f, b->sig[0] ? b->sig : "pending");
		fprintf(f,
			",\"verdict\":\"%s\",\"outcome\":{\"kind\":\"%s\",\"code\":%d},\"count\":%" PRIu64
			",\"first_seed\":%" PRIu64 ",\"faults\":%zu,\"minimized_faults\":",
			ff_verdict_name(b->outcome.verdict), ff_outcome_name(b->outcome.kind), (int)b->outcome.code,
			b->count, b->first_seed, b->faults_before);
		if (b->minimized)
			fprintf(f, "%zu", b->faults_after);
		else
			fputs("null", f);
		fputs(",\"dir\":", f);
		ff_json_str(f, b->dir);
		fputs(",\"sites\":", f);
		ff_json_strv(f, b->sites, b->nsites);
		fputs(",\"check_message\":", f);
		ff_json_str(f, b->msg);
		fputs(",\"minimize_note\":", f);
		ff_json_str(f, b->min_note);
		fputs("}", f);
	}
	fputs(first ? "]}\n" : "\n ]}\n", f);
	int rc = ferror(f) ? -EIO : 0;
	if (fclose(f) != 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, p) < 0)
		rc = -errno;
	if (rc < 0)
		unlink(tmp);
	return rc;
}

/* OUTDIR/campaign.tsv, what fifuzz merge reads back (core/campaign/merge.h). Returns 0 or -errno. */
static int write_summary(const struct camp *k, const struct ff_campaign_result *r)
{
	struct ff_merge_dir d = {
	    .identity = ff_campaign_identity(k->c), .runs = r->runs, .failures = r->failures, .elapsed = elapsed(k)};
	size_t len = 0;
	FILE *m = open_memstream(&d.command, &len);
	if (!m)
		return -errno;
	char prog[4096], **argv = k->c->cfg->argv, *given = argv[0];
	if (ff_which(given, prog, sizeof(prog)) == 0)
		argv[0] = prog;
	ff_json_strv(m, argv, (size_t)k->c->cfg->argc);
	argv[0] = given;
	fclose(m);
	for (size_t i = 0; i < k->nbugs; i++) {
		const struct bug *b = &k->bugs[i];
		if (b->merged || b->dropped)
			continue;
		struct ff_merge_bug g = {.first_seed = b->first_seed,
					 .count = b->count,
					 .verdict = b->outcome.verdict,
					 .kind = b->outcome.kind,
					 .code = b->outcome.code,
					 .faults = (int64_t)b->faults_before,
					 .minimized = b->minimized ? (int64_t)b->faults_after : -1};
		snprintf(g.sig, sizeof(g.sig), "%s", b->sig[0] ? b->sig : "pending");
		snprintf(g.msg, sizeof(g.msg), "%s", b->msg);
		ff_merge_add_bug(&d, &g, NULL);
	}
	int rc = ff_merge_write(k->out, &d);
	free(d.command);
	free(d.bugs);
	return rc;
}

/* The filed bugs, for a caller that runs several campaigns (--fs all). */
static void keep_bugs(const struct camp *k, struct ff_campaign_result *r)
{
	r->bug = ff_xcalloc(k->nbugs + 1, sizeof(*r->bug));
	size_t n = 0;
	for (size_t i = 0; i < k->nbugs; i++) {
		const struct bug *b = &k->bugs[i];
		if (b->merged || b->dropped)
			continue;
		struct ff_campaign_bug *o = &r->bug[n++];
		snprintf(o->sig, sizeof(o->sig), "%s", b->sig[0] ? b->sig : "pending");
		const char *base = strrchr(b->dir, '/');
		snprintf(o->dir, sizeof(o->dir), "%.199s", base ? base + 1 : b->dir);
		o->verdict = b->outcome.verdict;
		o->count = b->count;
		o->first_seed = b->first_seed;
	}
}

void ff_campaign_result_free(struct ff_campaign_result *r)
{
	free(r->bug);
	r->bug = NULL;
}

static int mkdirs(const char *p)
{
	char buf[4096];
	snprintf(buf, sizeof(buf), "%s", p);
	for (char *s = buf + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -errno;
		*s = '/';
	}
	return mkdir(buf, 0755) < 0 && errno != EEXIST ? -errno : 0;
}

/* OUTDIR (refused when it holds an earlier campaign's bugs), its failures/,
 * and a fresh work/K per slot. Returns 0 or -errno (err says why). */
static int prepare_dirs(struct camp *k, int jobs, char *err, size_t errlen)
{
	const struct ff_campaign *c = k->c;
	int rc = mkdirs(c->outdir);
	if (rc < 0 || !realpath(c->outdir, k->out)) {
		snprintf(err, errlen, "cannot create %s: %s", c->outdir, strerror(rc < 0 ? -rc : errno));
		return rc < 0 ? rc : -errno;
	}
	char sub[4200];
	snprintf(sub, sizeof(sub), "%s/failures", k->out);
	DIR *prev = opendir(sub);
	if (prev) {
		struct dirent *e;
		bool used = false;
		while (!used && (e = readdir(prev)))
			used = strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
		closedir(prev);
		if (used) {
			snprintf(err, errlen,
				 "%s already holds an earlier campaign's failures: use another -o, or remove it",
				 c->outdir);
			return -EEXIST;
		}
	}
	snprintf(sub, sizeof(sub), "%s/work", k->out);
	ff_workdir_remove(sub);
	if ((rc = mkdirs(sub)) < 0 || (snprintf(sub, sizeof(sub), "%s/failures", k->out), (rc = mkdirs(sub)) < 0)) {
		snprintf(err, errlen, "cannot create %s: %s", sub, strerror(-rc));
		return rc;
	}
	k->slots = ff_xcalloc((size_t)jobs, sizeof(*k->slots));
	for (int i = 0; i < jobs; i++) {
		snprintf(k->slots[i].dir, sizeof(k->slots[i].dir), "%s/work/%d", k->out, i);
		k->slots[i].rfd = k->slots[i].wcmd = k->slots[i].wres = -1;
		if ((rc = mkdirs(k->slots[i].dir)) < 0) {
			snprintf(err, errlen, "cannot create %s: %s", k->slots[i].dir, strerror(-rc));
			return rc;
		}
	}
	return 0;
}

static const int stop_sigs[3] = {SIGINT, SIGTERM, SIGHUP};

/* SIGINT, SIGTERM and SIGHUP end the campaign; an order to a worker that
 * died fails with EPIPE instead of killing it. */
static void catch_signals(struct camp *k, struct sigaction old[3])
{
	struct sigaction sa = {0}, ign = {0};
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < 3; i++)
		sigaction(stop_sigs[i], &sa, &old[i]);
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &k->old_pipe);
	stop_sig = 0;
}

static void restore_signals(struct camp *k, const struct sigaction old[3])
{
	for (int i = 0; i < 3; i++)
		sigaction(stop_sigs[i], &old[i], NULL);
	sigaction(SIGPIPE, &k->old_pipe, NULL);
}

static void kill_jobs(struct camp *k, int jobs)
{
	for (int i = 0; i < jobs; i++)
		if (k->slots[i].job != JOB_NONE)
			kill(k->slots[i].pid, SIGTERM);
}

/* Gives each idle slot its next job: the two baselines one after the other
 * (the second checks that the first's output is stable; runs wait for
 * them), then minimizations, then runs. Returns the busy slots, or -errno. */
static int fill_slots(struct camp *k, int jobs, int *baselines, bool may_start, bool may_run)
{
	int active = 0, rc = 0;
	bool baseline_active = false;
	for (int i = 0; i < jobs; i++)
		baseline_active |= k->slots[i].job == JOB_BASELINE;
	for (int i = 0; i < jobs; i++) {
		struct slot *s = &k->slots[i];
		uint64_t seed;
		if (s->job == JOB_NONE && may_start && rc == 0) {
			if (*baselines > 0 && !baseline_active) {
				rc = start(k, s, JOB_BASELINE, k->c->first, 0);
				(*baselines)--;
				baseline_active = true;
			} else if (*baselines > 0 || baseline_active) {
				/* runs wait until the baselines say whether corruption can be judged */
			} else if (k->minhead < k->nminq) {
				rc = start(k, s, JOB_MIN, 0, k->minq[k->minhead++]);
			} else if (may_run && next_seed(k, &seed)) {
				rc = start(k, s, JOB_RUN, seed, 0);
			}
		}
		active += s->job != JOB_NONE;
	}
	return rc < 0 ? rc : active;
}

/* Waits until a busy slot's job ends and takes in every one that did.
 * Returns 0, -EINTR (a signal: look again), or the first job's -errno. */
static int take_results(struct camp *k, int jobs, struct pollfd *pfds, struct ff_campaign_result *r, char *err,
			size_t errlen)
{
	int np = 0, rc = 0;
	for (int i = 0; i < jobs; i++)
		if (k->slots[i].job != JOB_NONE)
			pfds[np++] = (struct pollfd){.fd = k->slots[i].rfd, .events = POLLIN};
	if (poll(pfds, (nfds_t)np, -1) < 0) {
		if (errno == EINTR)
			return -EINTR;
		snprintf(err, errlen, "poll: %s", strerror(errno));
		return -errno;
	}
	for (int i = 0, p = 0; i < jobs; i++) {
		struct slot *s = &k->slots[i];
		if (s->job == JOB_NONE || !pfds[p++].revents)
			continue;
		enum job job = s->job;
		char line[PIPE_BUF];
		int st;
		finish(s, line, sizeof(line), &st);
		if (r->stop_sig)
			continue;  /* an interrupted run proves nothing */
		char scratch[700]; /* after the first failure: its words stay in err */
		int jr = job == JOB_MIN ? done_min(k, s, line, st)
					: done_run(k, s, job, line, rc ? scratch : err, rc ? sizeof(scratch) : errlen);
		if (jr < 0 && rc == 0)
			rc = jr;
	}
	return rc;
}

/* The bug READMEs, coverage, report.json and campaign.tsv, and the end
 * lines. Returns 0 or -errno (err says which could not be written). */
static int finish_campaign(struct camp *k, const struct ff_campaign_result *r, char *err, size_t errlen)
{
	const struct ff_campaign *c = k->c;
	status(k, true);
	char why[300];
	exec_why(k, why, sizeof(why));
	if (why[0] && !c->cfg->no_snapshot && !c->quiet)
		ff_warn("%" PRIu64 " of %" PRIu64 " runs started by exec, not from a snapshot: %s", k->runs - k->forked,
			k->runs, why);
	if (k->runs && !k->max_eligible && !c->quiet)
		ff_warn("no run made an eligible call, so nothing was faulted: the selection (-e, --path, "
			"--fd-kind) matches nothing the program does; writes through fds 0-2 need "
			"--include-stdio");
	int wr = 0;
	for (size_t i = 0; i < k->nbugs && wr == 0; i++)
		if (!k->bugs[i].merged && !k->bugs[i].pending && !k->bugs[i].dropped &&
		    (wr = write_readme(k, &k->bugs[i])) < 0)
			snprintf(err, errlen, "cannot write %s/README: %s", k->bugs[i].dir, strerror(-wr));
	if (wr == 0 && (wr = ff_cs_finish(&k->sw, k->out)) < 0)
		snprintf(err, errlen, "cannot write %s/coverage.tsv: %s", k->out, strerror(-wr));
	if (wr == 0 && (wr = write_report(k, r)) < 0)
		snprintf(err, errlen, "cannot write %s/report.json: %s", k->out, strerror(-wr));
	if (wr == 0 && (wr = write_summary(k, r)) < 0)
		snprintf(err, errlen, "cannot write %s/campaign.tsv: %s", k->out, strerror(-wr));
	for (size_t i = 0; i < k->nbugs && !c->quiet; i++)
		if (!k->bugs[i].merged && !k->bugs[i].dropped)
			fprintf(stderr, "fifuzz: bug %s: %" PRIu64 " run%s, first with %s %" PRIu64 "\n",
				k->bugs[i].sig[0] ? k->bugs[i].sig : "(not minimized)", k->bugs[i].count,
				k->bugs[i].count == 1 ? "" : "s", c->sweep.on ? "sweep run" : "seed",
				k->bugs[i].first_seed);
	if (wr == 0)
		ff_cs_print(&k->sw, c);
	return wr;
}

static void free_camp(struct camp *k)
{
	for (size_t i = 0; i < k->nbugs; i++)
		free_sites(k->bugs[i].sites, k->bugs[i].nsites);
	for (size_t i = 0; i < k->nraws; i++)
		free(k->raws[i].key);
	ff_manifest_free(&k->ref);
	ff_cs_free(&k->sw);
	free(k->raws);
	free(k->bugs);
	free(k->minq);
	free(k->slots);
}

/* The loop: jobs into idle slots, results out, until nothing is left to do.
 * Returns 0 or the first failure's -errno (err says why). */
static int run_jobs(struct camp *k, int jobs, struct ff_campaign_result *r, char *err, size_t errlen)
{
	struct pollfd *pfds = ff_xcalloc((size_t)jobs, sizeof(*pfds));
	int baselines = 2, rc = 0;
	for (;;) {
		if (stop_sig && !r->stop_sig) {
			r->stop_sig = stop_sig;
			kill_jobs(k, jobs);
		}
		bool may_start = !r->stop_sig && rc == 0;
		int active = fill_slots(k, jobs, &baselines, may_start,
					may_start && (!k->c->stop_after || k->failures < k->c->stop_after));
		if (active < 0) {
			snprintf(err, errlen, "fork: %s", strerror(-active));
			rc = active;
			continue; /* nothing more starts; what runs ends */
		}
		if (!active)
			break;
		status(k, false);
		char scratch[700];
		int tr = take_results(k, jobs, pfds, r, rc ? scratch : err, rc ? sizeof(scratch) : errlen);
		if (tr < 0 && tr != -EINTR && rc == 0) {
			rc = tr;
			kill_jobs(k, jobs); /* the jobs end; their slots are reaped in the loop */
		}
	}
	free(pfds);
	return rc;
}

int ff_campaign_run(const struct ff_campaign *c, struct ff_campaign_result *r, char *err, size_t errlen)
{
	memset(r, 0, sizeof(*r));
	struct camp k = {.cc = *c, .next_seed = c->first};
	k.c = &k.cc;
	c = k.c;
	clock_gettime(CLOCK_MONOTONIC, &k.t0);
	int jobs = c->jobs > 0 ? c->jobs : 1;
	int rc = prepare_dirs(&k, jobs, err, errlen);
	if (rc < 0) {
		free_camp(&k);
		return rc;
	}
	k.total = shard_seeds(c);
	/* Every run's child loads the same filter: libseccomp builds it once,
	 * here, before the workers fork. A failure shows in the first run. */
	if (!c->cfg->no_seccomp)
		(void)ff_filter_prepare(c->cfg->sc_mask, ff_filter_extra(c->cfg));
	struct sigaction old[3];
	catch_signals(&k, old);
	/* After a power cut the files differ by design: --check judges them instead. */
	k.judge.corruption = !c->cfg->crash_mode;
	k.judge.ref = &k.ref;
	k.judge.template_dir = c->template_dir;
	rc = run_jobs(&k, jobs, r, err, errlen);
	for (int i = 0; i < jobs; i++)
		retire(&k.slots[i]); /* idle now: end of file ends it */
	for (int i = 0; i < jobs; i++)
		ff_cs_collect(&k.sw, k.slots[i].dir);
	restore_signals(&k, old);
	r->runs = k.runs;
	r->failures = k.failures;
	r->bugs = distinct(&k);
	keep_bugs(&k, r);
	if (rc == 0 || k.runs) {
		char scratch[700];
		int wr = finish_campaign(&k, r, rc == 0 ? err : scratch, rc == 0 ? errlen : sizeof(scratch));
		if (wr < 0 && rc == 0)
			rc = wr; /* what it found is said above; where it could not be kept, here */
	}
	char sub[4200];
	snprintf(sub, sizeof(sub), "%s/work", k.out);
	ff_workdir_remove(sub);
	free_camp(&k);
	return rc;
}
