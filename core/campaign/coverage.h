/* Coverage: which logical sites a campaign's runs reached, which fault kinds
 * were injected at each, and how many runs failed after a fault there.
 *
 * A recorder wraps a run's decision source and sees every eligible call and
 * its decision; it adds nothing to the decisions. Each run worker keeps one
 * table and appends it to a file when it exits; the campaign sums them. */
#ifndef FF_COVERAGE_H
#define FF_COVERAGE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/catalogue.h"
#include "core/decide/decide.h"

struct ff_cov_site {
	char *sc, *path;
	uint64_t eligible;  /* calls over every run */
	uint64_t max_calls; /* the most calls in one run: ordinals 0 .. max_calls-1 */
	uint32_t possible;  /* FF_K() kinds some call here allowed */
	uint64_t injected[FF_FAULT_COUNT];
	uint64_t failures;  /* failing runs with a fault here */
	uint64_t run_calls; /* this run's, while it goes */
	bool run_fault;
	uint32_t run_kinds;  /* FF_K() kinds injected here in this run */
	uint32_t seen_kinds; /* and in any run this process made (for ff_cov_new_pairs) */
};

struct ff_cov {
	struct ff_cov_site *v;
	size_t n, cap;
	size_t *slot; /* open-addressing index into v, nslot a power of two */
	size_t nslot;
};

/* One eligible call as a sweep needs it (the baseline's calls). */
struct ff_cov_call {
	int sc;
	char *path;
	uint64_t ordinal, index, len;
	uint32_t kinds; /* ff_call_kinds of the call, as FF_K() bits (FF_CUT kept) */
	int nerrnos;
	int errnos[FF_MAX_ERRNOS];
};

/* The recorder: wraps inner; calls, when keep_calls, lists every call seen. */
struct ff_cov_rec {
	struct ff_source inner;
	struct ff_cov *cov;
	bool keep_calls;
	struct ff_cov_call *calls;
	size_t ncalls, capcalls;
};
void ff_cov_source(struct ff_source *src, struct ff_cov_rec *r);
/* A run ends: failed says whether it failed (its faulted sites count it). */
void ff_cov_end_run(struct ff_cov *cov, bool failed);
/* Call before ff_cov_end_run: writes "SEED HASH..." to f, a hash per (site,
 * kind) pair this run injected that no earlier run of this process did (if
 * any). The earliest seed of a pair over every process is when a campaign
 * first tried it. */
void ff_cov_new_pairs(struct ff_cov *cov, uint64_t seed, FILE *f);

/* The site (sc, path), added if new. */
struct ff_cov_site *ff_cov_get(struct ff_cov *cov, const char *sc, const char *path);
void ff_cov_free(struct ff_cov *cov);
void ff_cov_calls_free(struct ff_cov_call *v, size_t n);

/* The kinds of a site's possible set that were injected at least once. */
static inline uint32_t ff_cov_tried(const struct ff_cov_site *s)
{
	uint32_t m = 0;
	for (int k = 1; k < FF_FAULT_COUNT; k++)
		m |= s->injected[k] ? FF_K(k) : 0;
	return m;
}

/* Files, one line a record, the path last and escaped (\\, \t, \n):
 *   coverage: sc eligible max_calls possible inj1..inj7 failures path
 *   calls:    sc ordinal index len kinds errno,errno,... path
 * Append adds to what is there; load adds what it reads into cov.
 * Return 0 or -errno (-EINVAL: a malformed line). */
int ff_cov_append(const char *file, const struct ff_cov *cov);
int ff_cov_load(const char *file, struct ff_cov *cov);
int ff_cov_calls_save(const char *file, const struct ff_cov_call *v, size_t n);
int ff_cov_calls_load(const char *file, struct ff_cov_call **v, size_t *n);

/* Sites sorted by path, then syscall (for reports that compare equal). */
void ff_cov_sort(struct ff_cov *cov);

struct ff_cov_sum {
	uint64_t sites, faulted, pairs, tried;
};
void ff_cov_summary(const struct ff_cov *cov, struct ff_cov_sum *s);

/* report.json's "coverage" and "sites" members, each followed by a comma
 * (core/campaign/coverage_report.c). */
void ff_cov_write_json(FILE *f, const struct ff_cov *cov, const struct ff_cov_sum *m);

#endif
