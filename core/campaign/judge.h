/* Judging a finished run with the oracles that look past its exit status:
 * a sanitizer report on its stderr, the user's --check command, and silent
 * corruption (exit 0 with output that differs from a fault-free run). */
#ifndef FF_JUDGE_H
#define FF_JUDGE_H
#include <stdbool.h>
#include <stdint.h>

#include "core/config.h"
#include "core/run.h"
#include "core/campaign/workdir.h"

struct ff_judge {
	bool corruption;	  /* compare outputs with the reference */
	struct ff_manifest *ref;  /* what a fault-free run leaves; learns what varies (core/campaign/outputs.h) */
	const char *template_dir; /* for the confirming fault-free run, or NULL */
	size_t learned;		  /* entries ref learned from this judge's confirming runs */
	char why[400];		  /* after a corruption verdict: the first difference */
};

/* Applies the oracles to res (whose run used cfg) and updates its verdict.
 * trace_path is passed to --check as FIFUZZ_TRACE (may be NULL). The output
 * is read before --check runs (a check may write files of its own). A run
 * that exits 0 after faults with output unlike ref's is confirmed before it
 * is called corrupt: a fault-free run made right then (in cfg->workdir) must
 * leave the differing files as ref has them; what it changes by itself is
 * learned into ref. Returns 0 or -errno. */
int ff_judge_run(const struct ff_config *cfg, struct ff_judge *j, struct ff_run_result *res, const char *trace_path);
/* What a negative ff_judge_run result means, in words (-ETIMEDOUT: the
 * --check command outlived --timeout and was killed). */
const char *ff_judge_error(int rc);

/* A fault-free run of cfg's program in cfg->workdir (made fresh from
 * template_dir) whose output manifest goes to out; stdout and stderr go to
 * cfg's paths with ".ref" appended. Returns 0, -EAGAIN if that run did not
 * pass, or -errno. */
int ff_judge_reference(const struct ff_config *cfg, const char *template_dir, struct ff_manifest *out);

/* Where --check's output goes for a run whose stderr goes to stderr_path:
 * "check" beside it (the bug directory keeps it). */
void ff_judge_check_path(const struct ff_config *cfg, char *out, size_t len);

/* Does this stderr file hold a sanitizer report? */
bool ff_judge_sanitizer(const char *stderr_path);

#endif
