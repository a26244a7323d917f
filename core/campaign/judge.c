#include "core/campaign/judge.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/decide/decide.h"
#include "core/oracle.h"
#include "core/campaign/outputs.h"
#include "core/util.h"
#include "core/campaign/workdir.h"

bool ff_judge_sanitizer(const char *stderr_path)
{
	static const char *const marks[] = {
	    "ERROR: AddressSanitizer",	"ERROR: LeakSanitizer", "WARNING: MemorySanitizer",
	    "WARNING: ThreadSanitizer", "runtime error: ",	"ERROR: HWAddressSanitizer",
	};
	FILE *f = stderr_path ? fopen(stderr_path, "re") : NULL;
	if (!f)
		return false;
	char line[4096];
	bool hit = false;
	while (!hit && fgets(line, sizeof(line), f))
		for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]) && !hit; i++)
			hit = strstr(line, marks[i]) != NULL;
	fclose(f);
	return hit;
}

/* The check's process: its directory, output and environment. */
static void exec_check(const struct ff_config *cfg, const struct ff_run_result *res, const char *trace_path)
{
	char v[32];
	const struct ff_outcome *o = &res->trace.outcome;
	setpgid(0, 0);
	if (cfg->workdir && chdir(cfg->workdir) < 0)
		_exit(126);
	char cp[4400];
	ff_judge_check_path(cfg, cp, sizeof(cp));
	if (cp[0]) {
		/* Its output is kept, not poured on the terminal of a campaign. */
		int fd = open(cp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(126);
	}
	snprintf(v, sizeof(v), "%" PRIu64, res->trace.hdr.seed);
	setenv("FIFUZZ_SEED", v, 1);
	setenv("FIFUZZ_TRACE", trace_path ? trace_path : "", 1);
	snprintf(v, sizeof(v), "%d", o->kind == FF_OUT_EXITED ? (int)o->code : -1);
	setenv("FIFUZZ_EXIT", v, 1);
	snprintf(v, sizeof(v), "%d", o->kind == FF_OUT_SIGNALED ? (int)o->code : 0);
	setenv("FIFUZZ_SIGNAL", v, 1);
	setenv("FIFUZZ_VERDICT", ff_verdict_name(o->verdict), 1);
	/* After a power cut: where it came (call, end); unset without --crash. */
	if (res->trace.cut)
		setenv("FIFUZZ_CUT", res->trace.cut == FF_CUT_CALL ? "call" : "end", 1);
	snprintf(v, sizeof(v), "%" PRIu64, res->trace.faults);
	setenv("FIFUZZ_FAULTS", v, 1);
	if (cfg->stdout_path)
		setenv("FIFUZZ_STDOUT", cfg->stdout_path, 1);
	if (cfg->stderr_path)
		setenv("FIFUZZ_STDERR", cfg->stderr_path, 1);
	execl("/bin/sh", "sh", "-c", cfg->check_cmd, (char *)NULL);
	_exit(127);
}

static void on_alarm(int sig)
{
	(void)sig; /* interrupts waitpid */
}

/* Kills this process's children, found by their parent in /proc/PID/stat. */
static void kill_children_by_scan(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	while (d && (e = readdir(d))) {
		char p[300], buf[512];
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(p, sizeof(p), "/proc/%s/stat", e->d_name);
		char *rp = ff_read_small(p, buf, sizeof(buf)) > 0 ? strrchr(buf, ')') : NULL;
		int ppid = 0;
		if (rp && sscanf(rp, ") %*c %d", &ppid) == 1 && ppid == (int)getpid())
			kill((pid_t)atoi(e->d_name), SIGKILL);
	}
	if (d)
		closedir(d);
}

/* In the subreaper: kills what the check left behind (its group, and
 * daemons that left it and were reparented here) and reaps them all. */
static void kill_leftovers(pid_t group)
{
	char p[64];
	snprintf(p, sizeof(p), "/proc/self/task/%d/children", (int)getpid());
	kill(-group, SIGKILL);
	for (;;) {
		char buf[4096];
		long n = ff_read_small(p, buf, sizeof(buf));
		for (char *s = buf, *e; n > 0 && *s; s = e) {
			long pid = strtol(s, &e, 10);
			if (e == s)
				break;
			kill((pid_t)pid, SIGKILL);
		}
		if (n < 0 && n != -ENODATA)
			kill_children_by_scan(); /* a kernel without /proc/PID/task/TID/children */
		if (waitpid(-1, NULL, 0) < 0 && errno == ECHILD)
			return;
	}
}

/* The subreaper's life: runs the check, waits for it (up to timeout
 * seconds), kills what is left, and writes the check's wait status (or
 * -ETIMEDOUT) to fd. */
static void check_reaper(const struct ff_config *cfg, const struct ff_run_result *res, const char *trace_path, int fd)
{
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	pid_t pid = fork();
	if (pid == 0)
		exec_check(cfg, res, trace_path);
	int st = pid < 0 ? -errno : 0;
	if (pid > 0) {
		setpgid(pid, pid); /* also in the child: whichever runs first */
		struct sigaction sa = {.sa_handler = on_alarm};
		sigaction(SIGALRM, &sa, NULL);
		if (cfg->timeout > 0)
			alarm((unsigned)cfg->timeout + (cfg->timeout > (unsigned)cfg->timeout));
		while (waitpid(pid, &st, 0) < 0)
			if (errno != EINTR || cfg->timeout > 0) {
				st = -ETIMEDOUT;
				break;
			}
		alarm(0);
		kill_leftovers(pid);
	}
	(void)!write(fd, &st, sizeof(st));
	_exit(0);
}

/* Runs the user's check in the run's directory, under the run's timeout,
 * in a subreaper of its own so nothing it starts outlives it. Returns its
 * wait status, -ETIMEDOUT when it did not finish in time, or -errno. */
static int run_check(const struct ff_config *cfg, const struct ff_run_result *res, const char *trace_path)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	pid_t helper = fork();
	if (helper < 0) {
		int rc = -errno;
		close(p[0]);
		close(p[1]);
		return rc;
	}
	if (helper == 0) {
		close(p[0]);
		check_reaper(cfg, res, trace_path, p[1]);
	}
	close(p[1]);
	int st = -EIO;
	ssize_t n;
	while ((n = read(p[0], &st, sizeof(st))) < 0 && errno == EINTR)
		;
	close(p[0]);
	while (waitpid(helper, NULL, 0) < 0 && errno == EINTR)
		;
	return n == (ssize_t)sizeof(st) ? st : -EIO;
}

const char *ff_judge_error(int rc)
{
	if (rc == -ETIMEDOUT)
		return "the --check command did not finish within --timeout and was killed (the check's fault, "
		       "not the program's: make it end, or give a longer --timeout)";
	return strerror(-rc);
}

void ff_judge_check_path(const struct ff_config *cfg, char *out, size_t len)
{
	out[0] = 0;
	if (!cfg->stderr_path)
		return;
	const char *slash = strrchr(cfg->stderr_path, '/');
	if (slash)
		snprintf(out, len, "%.*s/check", (int)(slash - cfg->stderr_path), cfg->stderr_path);
	else
		snprintf(out, len, "check");
}

int ff_judge_reference(const struct ff_config *cfg, const char *template_dir, struct ff_manifest *out)
{
	struct ff_config c = *cfg;
	char so[4400] = "", se[4400] = "", why[600];
	memset(out, 0, sizeof(*out));
	c.rate_q = 0, c.rate = 0, c.only = 0, c.crash_mode = 0; /* no fault, no power cut */
	c.trace_path = NULL;
	c.report_path = NULL;
	c.verbose = -1;
	if (cfg->stdout_path) {
		snprintf(so, sizeof(so), "%s.ref", cfg->stdout_path);
		c.stdout_path = so;
	}
	if (cfg->stderr_path) {
		snprintf(se, sizeof(se), "%s.ref", cfg->stderr_path);
		c.stderr_path = se;
	}
	int rc = ff_workdir_fresh(c.workdir ? c.workdir : ".", template_dir);
	if (rc < 0)
		return rc;
	struct ff_seeded seeded;
	ff_run_seeded(&c, cfg->seed, &seeded);
	struct ff_source src;
	ff_source_seeded(&src, &seeded);
	struct ff_run_result res;
	if ((rc = ff_run(&c, &src, &res, why, sizeof(why))) < 0) {
		ff_trace_free(&res.trace);
		return rc;
	}
	const struct ff_outcome *o = &res.trace.outcome;
	bool ok =
	    o->verdict == FF_V_PASS && o->kind == FF_OUT_EXITED && o->code == 0 && !ff_judge_sanitizer(c.stderr_path);
	ff_trace_free(&res.trace);
	if (!ok)
		return -EAGAIN;
	return ff_manifest_dir(c.workdir ? c.workdir : ".", c.ignore, c.nignore, c.stdout_path, out);
}

/* Whether the difference of run's output from j->ref is real: a fresh
 * fault-free run shows what changes by itself, and j->ref learns it.
 * Returns 1 (still differs), 0 (it was only what varies) or -errno. */
static int confirm(const struct ff_config *cfg, struct ff_judge *j, const struct ff_manifest *run)
{
	struct ff_manifest fresh;
	int rc = ff_judge_reference(cfg, j->template_dir, &fresh);
	if (rc == -EAGAIN)
		return 0; /* the program fails without faults now: nothing can be blamed on them */
	if (rc < 0)
		return rc;
	j->learned += ff_outputs_learn(j->ref, &fresh, NULL, 0);
	ff_manifest_free(&fresh);
	return ff_outputs_diff(j->ref, run, j->why, sizeof(j->why)) > 0;
}

int ff_judge_run(const struct ff_config *cfg, struct ff_judge *j, struct ff_run_result *res, const char *trace_path)
{
	struct ff_outcome *o = &res->trace.outcome;
	int rc = 0;
	/* A crash or hang is already the verdict; the rest look at clean exits. */
	if (o->verdict != FF_V_PASS)
		return 0;
	if (ff_judge_sanitizer(cfg->stderr_path)) {
		o->verdict = FF_V_SANITIZER;
		return 0;
	}
	/* Only exit 0 after faults claims success despite them; a non-zero exit
	 * reported the fault. After a power cut the files differ from a
	 * fault-free run by design: --check judges them. */
	struct ff_manifest run = {0};
	bool judge = j && j->corruption && j->ref && o->kind == FF_OUT_EXITED && o->code == 0 &&
		     res->trace.faults > 0 && !cfg->crash_mode;
	if (judge && (rc = ff_manifest_dir(cfg->workdir ? cfg->workdir : ".", cfg->ignore, cfg->nignore,
					   cfg->stdout_path, &run)) < 0)
		return rc;
	if (cfg->check_cmd) {
		int st = run_check(cfg, res, trace_path);
		if (st < 0) {
			rc = st;
			goto out;
		}
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			o->verdict = res->trace.cut ? FF_V_CRASH_CONSISTENCY : FF_V_CHECK;
			goto out;
		}
	}
	if (judge && ff_outputs_diff(j->ref, &run, j->why, sizeof(j->why)) > 0 && (rc = confirm(cfg, j, &run)) > 0)
		o->verdict = FF_V_CORRUPTION;
	rc = rc > 0 ? 0 : rc;
out:
	ff_manifest_free(&run);
	return rc;
}
