/* The seccomp filter: only eligible syscalls stop the tracee. */
#ifndef FF_FILTER_H
#define FF_FILTER_H
#include <stdbool.h>
#include <stdint.h>

/* Builds (with libseccomp) the filter ff_filter_load would load and keeps its BPF program
 * in this process, so that ff_filter_load in every child forked later skips
 * libseccomp. Campaigns call it once. Returns 0 or -errno. */
int ff_filter_prepare(uint64_t sc_mask, bool trace_forks, bool durable);

/* Loads, in the calling process, a filter that returns SECCOMP_RET_TRACE for
 * the catalogue entries whose bit is set in sc_mask and allows everything
 * else (other ABIs included); the prepared program if it is the same.
 * Call in the child, after the tracer has seized it with TRACESECCOMP and
 * EXITKILL. trace_forks: fork, vfork, clone and clone3 stop too
 * (--max-procs). durable: also every call the durability model needs
 * (--crash; FF_DURABLE_NAMES). Returns 0 or -errno. */
int ff_filter_load(uint64_t sc_mask, bool trace_forks, bool durable);

#endif
