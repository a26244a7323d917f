#include "core/judge.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/decide.h"
#include "core/oracle.h"
#include "core/outputs.h"
#include "core/workdir.h"

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

/* Runs the user's check in the run's directory; returns its wait status or -errno. */
static int run_check(const struct ff_config *cfg, const struct ff_run_result *res, const char *trace_path)
{
	pid_t pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		char v[32];
		const struct ff_outcome *o = &res->trace.outcome;
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
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return st;
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
