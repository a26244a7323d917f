/* The sweep planner (core/campaign/sweep.h) and the forced decision it runs with. */
#include "core/campaign/sweep.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/durable/durable.h"
#include "core/run.h"
#include "core/util.h"

void ff_decide_forced(const struct ff_forced *f, const struct ff_call *c, struct ff_decision *d)
{
	memset(d, 0, sizeof(*d));
	if (c->sc != f->sc || c->ordinal != f->ordinal || strcmp(c->path, f->path))
		return;
	uint8_t kinds[FF_FAULT_COUNT];
	int nk = ff_call_kinds(c, kinds), i = 0;
	while (i < nk && kinds[i] != f->kind)
		i++;
	if (i == nk)
		return; /* this time round the call cannot fail so: the run counts as not reached */
	uint16_t err = f->kind == FF_EINTR ? EINTR : f->kind == FF_EAGAIN ? EAGAIN : f->kind == FF_FSYNC ? EIO : 0;
	if (f->kind == FF_ERROR || f->kind == FF_TORN) {
		int e = 0;
		while (e < c->nerrnos && c->errnos[e] != f->err)
			e++;
		if (e == c->nerrnos)
			return;
		err = f->err;
	}
	d->kind = f->kind;
	d->err = err;
	if (f->kind == FF_SHORT || f->kind == FF_TORN)
		d->n = f->cut == FF_FCUT_ONE ? 1 : f->cut == FF_FCUT_HALF ? c->len / 2 : c->len - 1; /* len >= 2 */
}

/* Is c's ordinal one --sweep-ordinals keeps? max: its site's last ordinal. */
static bool keep_ordinal(const struct ff_sweep_opts *o, uint64_t ord, uint64_t max)
{
	if (!o->ordinals || (o->ord_first && ord == 0) || (o->ord_last && ord == max))
		return true;
	for (uint64_t j = 1; j <= o->ord_k; j++)
		if ((uint64_t)((unsigned __int128)max * j / (o->ord_k + 1)) == ord)
			return true;
	return false;
}

struct builder {
	struct ff_sweep_plan *p;
	size_t cap;
	bool keep; /* the current call's ordinal is kept */
};

static void add(struct builder *b, uint32_t call, uint8_t kind, uint16_t err, uint8_t cut, uint32_t subset)
{
	b->p->full++;
	if (!b->keep) {
		b->p->by_ordinals++;
		return;
	}
	ff_grow(&b->p->runs, &b->cap, b->p->nruns + 1, sizeof(*b->p->runs));
	b->p->runs[b->p->nruns++] = (struct ff_sweep_run){call, kind, err, cut, subset};
}

/* The runs of one call's faults. */
static void fault_runs(struct builder *b, const struct ff_sweep_opts *o, uint32_t i)
{
	const struct ff_cov_call *c = &b->p->calls[i];
	for (uint8_t k = FF_SHORT; k < FF_CUT; k++) {
		if (!(c->kinds & FF_K(k)))
			continue;
		b->p->pairs++;
		bool errs = k == FF_ERROR || k == FF_TORN, cuts = k == FF_SHORT || k == FF_TORN;
		int ne = errs ? (o->errnos_first ? 1 : c->nerrnos) : 1;
		for (int e = 0; e < ne; e++) {
			uint16_t err = errs ? (uint16_t)c->errnos[e] : 0;
			if (!cuts) {
				add(b, i, k, err, FF_FCUT_NONE, 0);
				continue;
			}
			/* 1 byte, half, all but one: the distinct ones for this length */
			uint64_t n1 = 1, nh = c->len / 2, na = c->len - 1;
			add(b, i, k, err, FF_FCUT_ONE, 0);
			if (nh != n1)
				add(b, i, k, err, FF_FCUT_HALF, 0);
			if (na != nh && na != n1)
				add(b, i, k, err, FF_FCUT_ALL_BUT_ONE, 0);
		}
	}
}

static void cut_runs(struct builder *b, const struct ff_sweep_opts *o, uint8_t mode, uint32_t i)
{
	unsigned n = mode == FF_CRASH_TORN ? (o->subsets ? o->subsets : 1) : 1;
	b->p->pairs++;
	for (unsigned s = 0; s < n; s++)
		add(b, i, FF_CUT, 0, FF_FCUT_NONE, mode == FF_CRASH_TORN ? s + 1 : 0);
}

/* --sweep-limit: an evenly spread subset, in list order. */
static void limit_runs(struct ff_sweep_plan *p, uint64_t limit)
{
	if (!limit || p->nruns <= limit)
		return;
	for (uint64_t j = 0; j < limit; j++)
		p->runs[j] = p->runs[(size_t)((unsigned __int128)j * p->nruns / limit)];
	p->by_limit = p->nruns - (size_t)limit;
	p->nruns = (size_t)limit;
}

int ff_sweep_plan(const struct ff_sweep_opts *o, uint8_t crash_mode, struct ff_cov_call *calls, size_t ncalls,
		  struct ff_sweep_plan *p)
{
	memset(p, 0, sizeof(*p));
	p->calls = calls;
	p->ncalls = ncalls;
	if (ncalls >= UINT32_MAX)
		return -E2BIG;
	struct ff_cov sites = {0}; /* each site's last ordinal, as max_calls */
	for (size_t i = 0; i < ncalls; i++) {
		struct ff_cov_site *s = ff_cov_get(&sites, ff_sc_table[calls[i].sc].name, calls[i].path);
		if (calls[i].ordinal > s->max_calls)
			s->max_calls = calls[i].ordinal;
	}
	struct builder b = {.p = p};
	for (size_t i = 0; i < ncalls; i++) {
		const struct ff_cov_call *c = &calls[i];
		b.keep = keep_ordinal(o, c->ordinal, ff_cov_get(&sites, ff_sc_table[c->sc].name, c->path)->max_calls);
		if (!crash_mode)
			fault_runs(&b, o, (uint32_t)i);
		else if (c->kinds & FF_K(FF_CUT))
			cut_runs(&b, o, crash_mode, (uint32_t)i);
	}
	ff_cov_free(&sites);
	if (crash_mode) {
		b.keep = true;
		cut_runs(&b, o, crash_mode, (uint32_t)ncalls); /* after the run */
	}
	limit_runs(p, o->limit);
	for (size_t i = 0; i < p->nruns; i++)
		p->pairs_kept += i == 0 || ff_sweep_pair(p, i) != ff_sweep_pair(p, i - 1);
	return 0;
}

void ff_sweep_plan_free(struct ff_sweep_plan *p)
{
	ff_cov_calls_free(p->calls, p->ncalls);
	free(p->runs);
	memset(p, 0, sizeof(*p));
}

uint64_t ff_sweep_pair(const struct ff_sweep_plan *p, size_t i)
{
	return (uint64_t)p->runs[i].call * FF_FAULT_COUNT + p->runs[i].kind;
}

void ff_sweep_setup(const struct ff_sweep_plan *p, size_t i, struct ff_config *cfg, struct ff_seeded *s,
		    struct ff_forced *f)
{
	const struct ff_sweep_run *r = &p->runs[i];
	cfg->rate_q = 0, cfg->rate = 0, cfg->only = 0, cfg->after = 0, cfg->max_faults = 0;
	cfg->seed = r->subset; /* torn crash mode: which seeded subset survives; else unused */
	if (r->kind == FF_CUT) {
		/* the first cut point at or after it: that very call; past every call, the end */
		cfg->crash_at = r->call < p->ncalls ? p->calls[r->call].index + 1 : UINT64_MAX;
		cfg->crash_rate_q = 0, cfg->crash_rate = 0, cfg->crash_rate_auto = false;
		ff_run_seeded(cfg, cfg->seed, s);
		return;
	}
	const struct ff_cov_call *c = &p->calls[r->call];
	*f = (struct ff_forced){c->sc, c->path, c->ordinal, r->kind, r->err, r->cut};
	ff_run_seeded(cfg, cfg->seed, s);
	s->force = f;
}

void ff_sweep_describe(const struct ff_sweep_plan *p, size_t i, char *out, size_t len)
{
	const struct ff_sweep_run *r = &p->runs[i];
	if (r->call >= p->ncalls) {
		snprintf(out, len, "cut after the run%s", "");
		if (r->subset)
			snprintf(out, len, "cut after the run, subset %" PRIu32, r->subset);
		return;
	}
	const struct ff_cov_call *c = &p->calls[r->call];
	static const char *const cuts[] = {"", " 1 byte", " half", " all but 1 byte"};
	const char *en = r->err ? ff_errno_name(r->err) : NULL;
	if (r->kind == FF_CUT)
		snprintf(out, len, "cut before %s %s #%" PRIu64 " (subset %" PRIu32 ")", ff_sc_table[c->sc].name,
			 c->path, c->ordinal, r->subset);
	else
		snprintf(out, len, "%s %s #%" PRIu64 " %s%s%s%s", ff_sc_table[c->sc].name, c->path, c->ordinal,
			 ff_fault_name(r->kind), en ? " " : "", en ? en : "", cuts[r->cut & 3]);
}

/* Grammar: ITEM[,ITEM]...  ITEM := first | last | K (a count, at most 100000) */
int ff_sweep_parse_ordinals(const char *s, struct ff_sweep_opts *o)
{
	o->ordinals = true;
	o->ord_first = o->ord_last = false;
	o->ord_k = 0;
	char buf[256];
	if (!*s || strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	for (char *save, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		char *end;
		if (!strcmp(t, "first"))
			o->ord_first = true;
		else if (!strcmp(t, "last"))
			o->ord_last = true;
		else if ((o->ord_k = strtoull(t, &end, 10)), *t < '0' || *t > '9' || *end || o->ord_k > 100000)
			return -EINVAL;
	}
	return 0;
}
