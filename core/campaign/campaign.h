/* Campaigns: many seeded runs, each in its own fresh directory, judged by
 * the oracles; one directory per distinct bug with its traces, stderr and a
 * README; minimized automatically. A loop over runs: it never reaches into
 * the tracer. Runs and minimizations execute in worker processes, so the
 * campaign itself traces nothing and -j N runs N tracers side by side. */
#ifndef FF_CAMPAIGN_H
#define FF_CAMPAIGN_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "core/campaign/sweep.h"

struct ff_campaign {
	struct ff_config *cfg;	   /* selection, rate, timeout, oracles, program (absolute) */
	const char *outdir;	   /* created if missing */
	const char *template_dir;  /* copied into each run's directory, or NULL */
	uint64_t first, last;	   /* seeds, inclusive */
	unsigned shard_i, shard_n; /* this is shard i (1-based) of n */
	int jobs;
	uint64_t stop_after; /* stop after this many failing runs; 0: never */
	bool minimize;
	double min_time; /* seconds one bug's minimization may take; 0: no limit */
	bool status;	 /* live status line on stderr */
	bool quiet;
	struct ff_sweep_opts sweep; /* --sweep: runs from the plan (core/campaign/sweep.h), first..last their indexes */
};

/* One distinct bug as the campaign filed it. */
struct ff_campaign_bug {
	char sig[160];	 /* its signature */
	char dir[200];	 /* its directory's name under failures/ (the signature once settled) */
	uint8_t verdict; /* enum ff_verdict */
	uint64_t count, first_seed;
};

struct ff_campaign_result {
	uint64_t runs, failures, bugs;
	int stop_sig;		     /* SIGINT/SIGTERM/SIGHUP that ended it early, or 0 */
	struct ff_campaign_bug *bug; /* the bugs filed (bugs of them); ff_campaign_result_free */
};

void ff_campaign_result_free(struct ff_campaign_result *r);

/* --fs all: the same campaign once per file-system profile, into
 * OUTDIR/fs-NAME, then OUTDIR/report.json saying under which profiles each
 * bug fails (core/campaign/campaign_fs.c). Same seeds, so the same cut points and
 * the same torn choices are judged under every profile. */
int ff_campaign_profiles(const struct ff_campaign *c, struct ff_campaign_result *r, char *err, size_t errlen);

/* Runs the campaign. Returns 0, or -errno with a one-line reason in err
 * (-EINVAL: the program fails without any fault: a usage problem). */
int ff_campaign_run(const struct ff_campaign *c, struct ff_campaign_result *r, char *err, size_t errlen);

#endif
