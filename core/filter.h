/* The seccomp filter: only eligible syscalls stop the tracee. */
#ifndef FF_FILTER_H
#define FF_FILTER_H
#include <stdbool.h>
#include <stdint.h>

/* Builds (with libseccomp) the filter ff_filter_load would load and keeps its BPF program
 * in this process, so that ff_filter_load in every child forked later skips
 * libseccomp. Campaigns call it once. Returns 0 or -errno. */
int ff_filter_prepare(uint64_t sc_mask, unsigned extra);

/* Loads, in the calling process, a filter that returns SECCOMP_RET_TRACE for
 * the catalogue entries whose bit is set in sc_mask and allows everything
 * else (other ABIs included); the prepared program if it is the same.
 * Call in the child, after the tracer has seized it with TRACESECCOMP and
 * EXITKILL. extra adds stops for the FF_FILTER_* below. Returns 0 or -errno. */
int ff_filter_load(uint64_t sc_mask, unsigned extra);

struct sock_fprog;
/* The program ff_filter_load would load, prepared now if it is not yet: for
 * a child that loads it without libc (core/spawn.c). Returns 0 or -errno. */
int ff_filter_get(uint64_t sc_mask, unsigned extra, const struct sock_fprog **prog);

/* Not eligible calls that stop too. */
enum {
	FF_FILTER_FORKS = 1, /* fork, vfork, clone and clone3 (--max-procs) */
	FF_FILTER_DURABLE =
	    2, /* every call the durability model needs (--crash; core/syscalls.def's FF_DURABLE lines) */
	FF_FILTER_RANDOM = 4, /* getrandom, whose bytes fifuzz makes (docs/determinism.md) */
	FF_FILTER_AFL = 8,    /* under afl-fuzz: calls on its fds 198 and 199 do not stop */
};

struct ff_config;
/* The extra stops a run of cfg needs. */
unsigned ff_filter_extra(const struct ff_config *cfg);

#endif
