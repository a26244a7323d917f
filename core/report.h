/* The end of a run for humans (stderr lines) and machines (JSON report). */
#ifndef FF_REPORT_H
#define FF_REPORT_H
#include <stdio.h>

#include "core/config.h"
#include "core/run.h"

struct ff_replay;

/* Prints the outcome lines on stderr (unless quiet). */
void ff_report_print(const struct ff_config *cfg, const struct ff_run_result *res, const char *trace_written);
/* Writes the JSON report to path (atomically). rp is NULL for a plain run.
 * Returns 0 or -errno. */
int ff_report_json(const char *path, const struct ff_config *cfg, const struct ff_run_result *res,
		   const char *trace_written, const struct ff_replay *rp, int reproduced);
/* Describes an outcome: "exited with status 0", "killed by signal 11 (SIGSEGV)", ... */
void ff_outcome_describe(const struct ff_outcome *o, char *buf, size_t len);

#endif
