/* A campaign's coverage and sweep in report.json and in its closing lines. */
#include <inttypes.h>
#include <stdio.h>

#include "core/campaign/campaign_sweep.h"
#include "core/json.h"
#include "core/util.h"

static void kinds_json(FILE *f, uint32_t m)
{
	const char *sep = "";
	fputc('[', f);
	for (int k = 1; k < FF_FAULT_COUNT; k++)
		if (m & FF_K(k)) {
			fprintf(f, "%s\"%s\"", sep, k == FF_CUT ? "cut" : ff_fault_name(k));
			sep = ",";
		}
	fputc(']', f);
}

static uint64_t sweep_pairs_tried(const struct ff_cs *s)
{
	uint64_t n = 0, last = UINT64_MAX;
	for (size_t i = 0; i < s->plan.nruns; i++)
		if (s->tried[i] == 2 && ff_sweep_pair(&s->plan, i) != last)
			n++, last = ff_sweep_pair(&s->plan, i);
	return n;
}

static void sweep_json(FILE *f, const struct ff_cs *s)
{
	const struct ff_sweep_plan *p = &s->plan;
	fprintf(f,
		"\n \"sweep\":{\"runs\":%zu,\"baseline_calls\":%zu,\"baseline_eligible\":%" PRIu64
		",\"runs_before_limits\":%zu,\"left_out\":{\"ordinals\":%zu,\"limit\":%zu},",
		p->nruns, p->ncalls, s->base_eligible, p->full, p->by_ordinals, p->by_limit);
	fprintf(f,
		"\"pairs\":%" PRIu64 ",\"pairs_planned\":%" PRIu64 ",\"pairs_tried\":%" PRIu64
		",\"runs_not_reaching_their_call\":%" PRIu64 ",\"runs_reaching_fewer_calls\":%" PRIu64
		",\"runs_reaching_more_calls\":%" PRIu64 ",",
		p->pairs, p->pairs_kept, sweep_pairs_tried(s), s->missed, s->fewer, s->more);
	/* which runs never reached their call, and so which pairs were not tried: the first 50 */
	fputs("\"not_reached\":[", f);
	for (size_t i = 0, shown = 0; i < p->nruns && shown < 50; i++) {
		if (s->tried[i] != 1)
			continue; /* not run here (another shard, a stop), or it hit its call */
		char what[600];
		ff_sweep_describe(p, i, what, sizeof(what));
		fprintf(f, "%s{\"run\":%zu,\"what\":", shown++ ? "," : "", i);
		ff_json_str(f, what);
		fputc('}', f);
	}
	fputs("]},", f);
}

static void site_json(FILE *f, const struct ff_cov_site *e)
{
	fputs("\n  {\"syscall\":", f);
	ff_json_str(f, e->sc);
	fputs(",\"path\":", f);
	ff_json_str(f, e->path);
	fprintf(f, ",\"ordinals\":[0,%" PRIu64 "],\"eligible\":%" PRIu64 ",\"possible\":",
		e->max_calls ? e->max_calls - 1 : 0, e->eligible);
	kinds_json(f, e->possible);
	fputs(",\"injected\":{", f);
	const char *sep = "";
	for (int k = 1; k < FF_FAULT_COUNT; k++)
		if (e->injected[k]) {
			fprintf(f, "%s\"%s\":%" PRIu64, sep, k == FF_CUT ? "cut" : ff_fault_name(k), e->injected[k]);
			sep = ",";
		}
	fprintf(f, "},\"failures\":%" PRIu64 "}", e->failures);
}

void ff_cov_write_json(FILE *f, const struct ff_cov *cov, const struct ff_cov_sum *m)
{
	fprintf(f,
		"\n \"coverage\":{\"sites\":%" PRIu64 ",\"sites_faulted\":%" PRIu64 ",\"pairs\":%" PRIu64
		",\"pairs_tried\":%" PRIu64 "},",
		m->sites, m->faulted, m->pairs, m->tried);
	fputs("\n \"sites\":[", f);
	for (size_t i = 0; i < cov->n; i++) {
		if (i)
			fputc(',', f);
		site_json(f, &cov->v[i]);
	}
	fputs("],", f);
}

void ff_cs_write_json(FILE *f, const struct ff_cs *s, const struct ff_campaign *c)
{
	if (c->sweep.on && s->planned)
		sweep_json(f, s);
	ff_cov_write_json(f, &s->cov, &s->sum);
}

void ff_cs_print(const struct ff_cs *s, const struct ff_campaign *c)
{
	if (c->quiet)
		return;
	const struct ff_cov_sum *m = &s->sum;
	fprintf(stderr,
		"fifuzz: coverage: %" PRIu64 " sites, %" PRIu64 " faulted; (site, kind) pairs tried %" PRIu64
		" of %" PRIu64 " (%.0f%%)\n",
		m->sites, m->faulted, m->tried, m->pairs,
		m->pairs ? 100.0 * (double)m->tried / (double)m->pairs : 100.0);
	if (!c->sweep.on || !s->planned)
		return;
	const struct ff_sweep_plan *p = &s->plan;
	uint64_t t = sweep_pairs_tried(s);
	fprintf(stderr, "fifuzz: sweep: (call, kind) pairs of the baseline tried %" PRIu64 " of %" PRIu64 " (%.0f%%)",
		t, p->pairs, p->pairs ? 100.0 * (double)t / (double)p->pairs : 100.0);
	if (p->pairs_kept < p->pairs)
		fprintf(stderr, "; %" PRIu64 " left out by --sweep-ordinals/--sweep-limit", p->pairs - p->pairs_kept);
	if (s->missed)
		fprintf(stderr, "; %" PRIu64 " runs never reached their call as the baseline did", s->missed);
	fputc('\n', stderr);
	if (s->fewer || s->more)
		fprintf(stderr,
			"fifuzz: sweep: %" PRIu64 " runs reached fewer eligible calls than the baseline's %" PRIu64
			", %" PRIu64 " more\n",
			s->fewer, s->base_eligible, s->more);
}
