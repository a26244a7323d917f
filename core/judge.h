/* Judging a finished run with the oracles that look past its exit status:
 * a sanitizer report on its stderr, the user's --check command, and silent
 * corruption (exit 0 with output that differs from a fault-free run). */
#ifndef FF_JUDGE_H
#define FF_JUDGE_H
#include <stdbool.h>
#include <stdint.h>

#include "core/config.h"
#include "core/run.h"

struct ff_judge {
	bool corruption;   /* compare outputs with the baseline */
	uint64_t baseline; /* digest of the fault-free run's output */
};

/* Applies the oracles to res (whose run used cfg) and updates its verdict.
 * trace_path is passed to --check as FIFUZZ_TRACE (may be NULL). digest
 * receives the output digest when j->corruption. Returns 0 or -errno. */
int ff_judge_run(const struct ff_config *cfg, const struct ff_judge *j, struct ff_run_result *res,
		 const char *trace_path, uint64_t *digest);

/* Does this stderr file hold a sanitizer report? */
bool ff_judge_sanitizer(const char *stderr_path);

#endif
