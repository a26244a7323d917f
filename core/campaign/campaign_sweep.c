/* A campaign's sweep and coverage (core/campaign/campaign_sweep.h). */
#include "core/campaign/campaign_sweep.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/json.h"
#include "core/run.h"
#include "core/util.h"

/* The worker's coverage over its runs, and its copy of the plan. */
static struct ff_cov wcov, bcov; /* bcov: a baseline's, thrown away */
static struct ff_sweep_plan wplan;
static bool wplanned;

static int load_plan(struct ff_sweep_plan *p, const struct ff_campaign *c, const char *calls_file)
{
	struct ff_cov_call *v;
	size_t n;
	int rc = ff_cov_calls_load(calls_file, &v, &n);
	if (rc < 0) {
		ff_cov_calls_free(v, n);
		return rc;
	}
	return ff_sweep_plan(&c->sweep, c->cfg->crash_mode, v, n, p);
}

int ff_cs_run_setup(struct ff_cs_run *r, const struct ff_campaign *c, const char *out, bool baseline, uint64_t seed,
		    struct ff_config *cfg, char *err, size_t errlen)
{
	memset(r, 0, sizeof(*r));
	r->baseline = baseline;
	r->seed = seed;
	ff_run_seeded(cfg, seed, &r->seeded);
	if (c->sweep.on && !baseline) {
		char p[4200];
		snprintf(p, sizeof(p), "%s/work/sweep.calls", out);
		int rc = wplanned ? 0 : load_plan(&wplan, c, p);
		if (rc < 0) {
			snprintf(err, errlen, "cannot read the sweep's calls %s: %s", p, strerror(-rc));
			return rc;
		}
		wplanned = true;
		if (seed >= wplan.nruns) {
			snprintf(err, errlen, "sweep run %" PRIu64 " is not in the plan of %zu", seed, wplan.nruns);
			return -EINVAL;
		}
		ff_sweep_setup(&wplan, (size_t)seed, cfg, &r->seeded, &r->forced);
	}
	/* a baseline of a power-cut campaign follows durability (keep-all): its calls show the cut points */
	r->rec = (struct ff_cov_rec){.cov = baseline ? &bcov : &wcov, .keep_calls = baseline && c->sweep.on};
	ff_source_seeded(&r->rec.inner, &r->seeded); /* ctx points into r, which stays put */
	ff_cov_source(&r->src, &r->rec);
	return 0;
}

int ff_cs_run_done(struct ff_cs_run *r, const char *dir, bool failed)
{
	int rc = 0;
	if (r->baseline) {
		ff_cov_free(&bcov); /* a baseline's calls are not a campaign's coverage */
		if (r->rec.keep_calls) {
			char p[4400];
			snprintf(p, sizeof(p), "%s/calls", dir);
			rc = ff_cov_calls_save(p, r->rec.calls, r->rec.ncalls);
		}
	} else {
		char p[4400];
		snprintf(p, sizeof(p), "%s/progress", dir);
		FILE *f = fopen(p, "ae");
		if (f) {
			ff_cov_new_pairs(&wcov, r->seed, f);
			rc = fclose(f) == 0 ? 0 : -errno;
		} else {
			rc = -errno;
		}
		ff_cov_end_run(&wcov, failed);
	}
	ff_cov_calls_free(r->rec.calls, r->rec.ncalls);
	r->rec.calls = NULL;
	r->rec.ncalls = 0;
	return rc;
}

void ff_cs_worker_exit(const char *dir)
{
	char p[4400];
	snprintf(p, sizeof(p), "%s/coverage", dir);
	if (wcov.n && ff_cov_append(p, &wcov) < 0)
		ff_warn("cannot write %s: this worker's coverage is lost", p);
}

int ff_cs_plan(struct ff_cs *s, const struct ff_campaign *c, const char *out, const char *dir, uint64_t eligible,
	       char *err, size_t errlen)
{
	char from[4400], to[4400];
	s->base_eligible = eligible;
	if (!c->sweep.on)
		return 0;
	snprintf(from, sizeof(from), "%s/calls", dir);
	snprintf(to, sizeof(to), "%s/work/sweep.calls", out);
	int rc = rename(from, to) < 0 ? -errno : load_plan(&s->plan, c, to);
	if (rc < 0) {
		snprintf(err, errlen, "cannot plan the sweep from %s: %s", from, strerror(-rc));
		return rc;
	}
	s->planned = true;
	s->tried = ff_xcalloc(s->plan.nruns + 1, 1);
	if (!c->quiet) {
		ff_warn("sweep: %zu runs over the baseline's %zu eligible calls%s", s->plan.nruns, s->plan.ncalls,
			c->cfg->crash_mode ? " (power cuts)" : "");
		if (!s->plan.ncalls)
			ff_warn(
			    "sweep: the fault-free run made no eligible call, so there is nothing to sweep: the "
			    "selection (-e, --path, --fd-kind) matches nothing the program does; writes through fds "
			    "0-2 need --include-stdio");
		if (s->plan.by_ordinals || s->plan.by_limit)
			ff_warn("sweep: %zu of %zu runs left out (%zu by --sweep-ordinals, %zu by --sweep-limit)",
				s->plan.by_ordinals + s->plan.by_limit, s->plan.full, s->plan.by_ordinals,
				s->plan.by_limit);
	}
	return 0;
}

void ff_cs_done_run(struct ff_cs *s, const struct ff_campaign *c, uint64_t seed, uint64_t faults, uint64_t eligible,
		    bool failed)
{
	ff_grow(&s->runs, &s->capruns, s->nruns + 1, sizeof(*s->runs));
	s->runs[s->nruns++] = (struct ff_cs_point){seed, failed};
	if (!c->sweep.on || !s->planned || seed >= s->plan.nruns)
		return;
	s->fewer += eligible < s->base_eligible;
	s->more += eligible > s->base_eligible;
	/* a cut is not a fault: its run counts as tried when it ran */
	bool hit = faults > 0 || s->plan.runs[seed].kind == FF_CUT;
	s->missed += !hit;
	s->tried[seed] = hit ? 2 : 1;
}

void ff_cs_collect(struct ff_cs *s, const char *dir)
{
	char p[4400];
	snprintf(p, sizeof(p), "%s/coverage", dir);
	int rc = ff_cov_load(p, &s->cov);
	if (rc < 0 && rc != -ENOENT)
		ff_warn("cannot read %s: %s (coverage is incomplete)", p, strerror(-rc));
	snprintf(p, sizeof(p), "%s/progress", dir);
	FILE *f = fopen(p, "re");
	char *line = NULL;
	size_t cap = 0;
	while (f && getline(&line, &cap, f) > 0) {
		char *end, *q = line;
		uint64_t seed = strtoull(q, &end, 10), h;
		for (q = end; (h = strtoull(q, &end, 16)), end != q; q = end) {
			ff_grow(&s->pairs, &s->cappairs, s->npairs + 1, sizeof(*s->pairs));
			s->pairs[s->npairs++] = (struct ff_cs_pair){seed, h};
		}
	}
	free(line);
	if (f)
		fclose(f);
}

static int cmp_point(const void *a, const void *b)
{
	uint64_t x = ((const struct ff_cs_point *)a)->seed, y = ((const struct ff_cs_point *)b)->seed;
	return x < y ? -1 : x > y;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* By hash, then seed: the first of each hash is when that pair was first tried. */
static int cmp_pair(const void *a, const void *b)
{
	const struct ff_cs_pair *x = a, *y = b;
	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return x->seed < y->seed ? -1 : x->seed > y->seed;
}

/* out/progress.tsv: seed, failed, pairs first tried by that run. Returns 0 or -errno. */
static int write_progress(struct ff_cs *s, const char *out)
{
	char p[4200];
	if (s->nruns)
		qsort(s->runs, s->nruns, sizeof(*s->runs), cmp_point);
	if (s->npairs)
		qsort(s->pairs, s->npairs, sizeof(*s->pairs), cmp_pair);
	uint64_t *first = ff_xcalloc(s->npairs + 1, sizeof(*first));
	size_t nfirst = 0;
	for (size_t i = 0; i < s->npairs; i++)
		if (i == 0 || s->pairs[i].hash != s->pairs[i - 1].hash)
			first[nfirst++] = s->pairs[i].seed;
	snprintf(p, sizeof(p), "%s/progress.tsv", out);
	FILE *f = fopen(p, "we");
	if (!f) {
		free(first);
		return -errno;
	}
	if (nfirst)
		qsort(first, nfirst, sizeof(*first), cmp_u64);
	for (size_t i = 0, j = 0; i < s->nruns; i++) {
		uint64_t n = 0;
		while (j < nfirst && first[j] < s->runs[i].seed)
			j++;
		for (; j < nfirst && first[j] == s->runs[i].seed; j++)
			n++;
		fprintf(f, "%" PRIu64 "\t%d\t%" PRIu64 "\n", s->runs[i].seed, s->runs[i].failed, n);
	}
	free(first);
	int rc = ferror(f) ? -EIO : 0;
	return fclose(f) != 0 && rc == 0 ? -errno : rc;
}

int ff_cs_finish(struct ff_cs *s, const char *out)
{
	char p[4200];
	ff_cov_sort(&s->cov);
	ff_cov_summary(&s->cov, &s->sum);
	snprintf(p, sizeof(p), "%s/coverage.tsv", out);
	unlink(p);
	int rc = ff_cov_append(p, &s->cov);
	return rc < 0 ? rc : write_progress(s, out);
}

void ff_cs_free(struct ff_cs *s)
{
	if (s->planned)
		ff_sweep_plan_free(&s->plan);
	free(s->tried);
	free(s->runs);
	free(s->pairs);
	ff_cov_free(&s->cov);
}
