#include "core/judge.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/oracle.h"
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
		snprintf(v, sizeof(v), "%" PRIu64, res->trace.hdr.seed);
		setenv("FIFUZZ_SEED", v, 1);
		setenv("FIFUZZ_TRACE", trace_path ? trace_path : "", 1);
		snprintf(v, sizeof(v), "%d", o->kind == FF_OUT_EXITED ? (int)o->code : -1);
		setenv("FIFUZZ_EXIT", v, 1);
		snprintf(v, sizeof(v), "%d", o->kind == FF_OUT_SIGNALED ? (int)o->code : 0);
		setenv("FIFUZZ_SIGNAL", v, 1);
		setenv("FIFUZZ_VERDICT", ff_verdict_name(o->verdict), 1);
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

int ff_judge_run(const struct ff_config *cfg, const struct ff_judge *j, struct ff_run_result *res,
		 const char *trace_path, uint64_t *digest)
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
	if (cfg->check_cmd) {
		int st = run_check(cfg, res, trace_path);
		if (st < 0)
			return st;
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			o->verdict = FF_V_CHECK;
			return 0;
		}
	}
	if (j && j->corruption && o->kind == FF_OUT_EXITED) {
		rc = ff_digest_dir(cfg->workdir ? cfg->workdir : ".", cfg->ignore, cfg->nignore, cfg->stdout_path,
				   digest);
		if (rc < 0)
			return rc;
		/* Only exit 0 claims success; a non-zero exit reported the fault. */
		if (o->code == 0 && res->trace.faults > 0 && *digest != j->baseline)
			o->verdict = FF_V_CORRUPTION;
	}
	return 0;
}
