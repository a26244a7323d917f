/* What a campaign adds for --sweep and for coverage, kept out of
 * core/campaign/campaign.c: the run workers' side (a recorder around every run's
 * source, the sweep run set up from the plan) and the campaign's side (the
 * plan from the first baseline, counts of what the runs reached, the
 * coverage summed at the end, its part of report.json). */
#ifndef FF_CAMPAIGN_SWEEP_H
#define FF_CAMPAIGN_SWEEP_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/campaign/campaign.h"
#include "core/campaign/coverage.h"
#include "core/campaign/sweep.h"

/* ---- in a run worker ---- */
struct ff_cs_run {
	struct ff_seeded seeded;
	struct ff_forced forced;
	struct ff_cov_rec rec;
	struct ff_source src; /* the one the run uses */
	bool baseline;
	uint64_t seed;
};
/* Sets one run up: run index or seed `seed` of campaign c whose output
 * directory is out; cfg is adjusted for a sweep run. Returns 0 or -errno
 * (err says why). */
int ff_cs_run_setup(struct ff_cs_run *r, const struct ff_campaign *c, const char *out, bool baseline, uint64_t seed,
		    struct ff_config *cfg, char *err, size_t errlen);
/* After the judged run: counts it in the worker's coverage, and leaves a
 * sweep's first baseline's calls in dir/calls. Returns 0 or -errno. */
int ff_cs_run_done(struct ff_cs_run *r, const char *dir, bool failed);
/* The worker is about to exit: its coverage goes to dir/coverage. */
void ff_cs_worker_exit(const char *dir);

/* ---- in the campaign ---- */
struct ff_cs_point {
	uint64_t seed;
	bool failed;
};
struct ff_cs_pair {
	uint64_t seed, hash;
};
struct ff_cs {
	struct ff_sweep_plan plan;
	bool planned;
	uint64_t base_eligible;
	uint64_t fewer, more, missed; /* sweep runs that reached fewer or more calls than the baseline, or not
					 their call */
	uint8_t *tried;		      /* per run: 0 not run, 1 ran without reaching its call, 2 its fault came */
	struct ff_cs_point *runs;     /* every run, for progress.tsv */
	size_t nruns, capruns;
	struct ff_cs_pair *pairs; /* (site, kind) pairs the workers first tried, by seed */
	size_t npairs, cappairs;
	struct ff_cov cov;
	struct ff_cov_sum sum;
};
/* The first baseline finished in slot directory dir: the plan from its
 * calls (kept as out/work/sweep.calls). Returns 0 or -errno (err says why). */
int ff_cs_plan(struct ff_cs *s, const struct ff_campaign *c, const char *out, const char *dir, uint64_t eligible,
	       char *err, size_t errlen);
void ff_cs_done_run(struct ff_cs *s, const struct ff_campaign *c, uint64_t seed, uint64_t faults, uint64_t eligible,
		    bool failed);
/* Sums the workers' coverage of slot directory dir (call once per slot). */
void ff_cs_collect(struct ff_cs *s, const char *dir);
/* Writes out/coverage.tsv and out/progress.tsv (per run in seed order:
 * seed, failed, (site, kind) pairs first tried); fills s->sum. Returns 0 or
 * -errno. */
int ff_cs_finish(struct ff_cs *s, const char *out);
/* report.json's "coverage", "sweep" (when on) and "sites" members, each
 * followed by a comma. */
void ff_cs_write_json(FILE *f, const struct ff_cs *s, const struct ff_campaign *c);
/* The end-of-campaign lines. */
void ff_cs_print(const struct ff_cs *s, const struct ff_campaign *c);
void ff_cs_free(struct ff_cs *s);

#endif
