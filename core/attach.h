/* --pid: one run over a process that is already running. */
#ifndef FF_ATTACH_H
#define FF_ATTACH_H
#include <stddef.h>

#include "core/config.h"
#include "core/decide/decide.h"
#include "core/run.h"

/* Attaches to cfg->attach_pid (every thread; its future children unless
 * cfg->no_follow), takes decisions from src until the process exits or
 * fifuzz gets SIGINT, SIGTERM or SIGHUP, then detaches from whatever is
 * left, which keeps running. Returns 0, or a negative errno with a one-line
 * reason in err: -ESRCH (no such process), -EPERM (not allowed to trace). */
int ff_attach(const struct ff_config *cfg, struct ff_source *src, struct ff_run_result *res, char *err, size_t errlen);

#endif
