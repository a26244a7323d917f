/* The sweep planner: from the fault-free baseline's eligible calls to a
 * deterministic run list, one fault (or one power cut) a run.
 *
 * Faults: for every call, every kind it allows (short, error, torn, eintr,
 * eagain, fsync); error and torn once per errno it can return (or the first
 * only); short and torn cut at 1 byte, half and all but one byte.
 * Cuts (--crash): before every call the durability model follows, and after
 * the run; torn crash mode takes `subsets` seeded subsets at each.
 * Then --sweep-ordinals thins each site's ordinals, and --sweep-limit keeps
 * an evenly spread subset of the list. No seed, no clock: the same baseline
 * gives the same list. */
#ifndef FF_SWEEP_H
#define FF_SWEEP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "core/campaign/coverage.h"
#include "core/decide/decide.h"

struct ff_sweep_opts {
	bool on;
	bool errnos_first; /* --sweep-errnos first: one errno a call */
	uint64_t limit;	   /* --sweep-limit: at most this many runs; 0: all */
	bool ordinals;	   /* --sweep-ordinals given */
	bool ord_first, ord_last;
	uint64_t ord_k;	  /* evenly spread ordinals between them */
	unsigned subsets; /* --sweep-subsets: torn cuts per cut point */
	bool given;	  /* some --sweep option was given (the CLI checks them) */
};

/* One run of the list. */
struct ff_sweep_run {
	uint32_t call; /* index in the calls; for a cut after the run, ncalls */
	uint8_t kind;  /* enum ff_fault; FF_CUT for a power cut */
	uint16_t err;
	uint8_t cut;	 /* enum ff_forced_cut */
	uint32_t subset; /* torn crash mode: the seed of the kept subset (1-based); 0 */
};

struct ff_sweep_plan {
	struct ff_cov_call *calls; /* the baseline's, in the order they came */
	size_t ncalls;
	struct ff_sweep_run *runs;
	size_t nruns;
	size_t full;	     /* runs before --sweep-ordinals and --sweep-limit */
	size_t by_ordinals;  /* runs --sweep-ordinals left out */
	size_t by_limit;     /* runs --sweep-limit left out */
	uint64_t pairs;	     /* distinct (call, kind) pairs of the baseline */
	uint64_t pairs_kept; /* those at least one listed run tries */
};

/* Builds the list from calls (taken over by the plan). crash_mode: the
 * campaign's (0: faults). Returns 0 or -errno. */
int ff_sweep_plan(const struct ff_sweep_opts *o, uint8_t crash_mode, struct ff_cov_call *calls, size_t ncalls,
		  struct ff_sweep_plan *p);
void ff_sweep_plan_free(struct ff_sweep_plan *p);

/* Sets run i of p up: cfg (seed, rate, cut) and s, with f the one fault s
 * points at. */
void ff_sweep_setup(const struct ff_sweep_plan *p, size_t i, struct ff_config *cfg, struct ff_seeded *s,
		    struct ff_forced *f);

/* The (call, kind) pair a run tries, as a number < ncalls * FF_FAULT_COUNT + FF_FAULT_COUNT. */
uint64_t ff_sweep_pair(const struct ff_sweep_plan *p, size_t i);

/* One line saying what run i does ("write out.txt #3 short 1 byte"). */
void ff_sweep_describe(const struct ff_sweep_plan *p, size_t i, char *out, size_t len);

/* Parses --sweep-ordinals LIST ("first,last,K", any of them). Returns 0 or -EINVAL. */
int ff_sweep_parse_ordinals(const char *s, struct ff_sweep_opts *o);

#endif
