#include "core/campaign/minimize.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/run.h"
#include "core/util.h"
#include "core/campaign/workdir.h"
#include "core/decide/replay.h"

struct state {
	const struct ff_min *m;
	const struct ff_trace *in;
	struct ff_fault_ref *faults;
	struct ff_item *now; /* each fault as currently simplified */
	size_t nfaults;
	struct ff_outcome want;
	size_t tests;
	struct ff_run_result last; /* the last reproducing run */
	struct timespec t0;
	bool final;	  /* the last check runs whatever the time */
	bool out_of_time; /* m->deadline passed: the search stopped where it was */
	bool have_last;
};

size_t ff_min_list_faults(const struct ff_trace *in, struct ff_fault_ref **out)
{
	size_t n = 0, cap = 0;
	*out = NULL;
	for (size_t i = 0; i < in->nstreams; i++)
		for (size_t j = 0; j < in->streams[i].nitems; j++)
			if (in->streams[i].items[j].kind != FF_PASS) {
				ff_grow(out, &cap, n + 1, sizeof(**out));
				(*out)[n++] = (struct ff_fault_ref){i, j};
			}
	return n;
}

void ff_min_candidate(const struct ff_trace *in, const struct ff_fault_ref *refs, const struct ff_item *now,
		      const bool *keep, size_t nfaults, struct ff_trace *out)
{
	*out = *in;
	out->streams = ff_xcalloc(in->nstreams + 1, sizeof(*out->streams));
	out->cap = in->nstreams;
	for (size_t i = 0; i < in->nstreams; i++) {
		out->streams[i] = in->streams[i];
		out->streams[i].items = ff_xcalloc(in->streams[i].nitems + 1, sizeof(struct ff_item));
		memcpy(out->streams[i].items, in->streams[i].items, in->streams[i].nitems * sizeof(struct ff_item));
	}
	for (size_t f = 0; f < nfaults; f++) {
		struct ff_item *it = &out->streams[refs[f].stream].items[refs[f].item];
		if (keep[f]) {
			*it = now[f];
			continue;
		}
		uint64_t len = it->len;
		memset(it, 0, sizeof(*it));
		it->kind = FF_PASS;
		it->count = 1;
		it->lenhash = ff_lenhash(0, len);
	}
}

void ff_min_candidate_free(struct ff_trace *t)
{
	for (size_t i = 0; i < t->nstreams; i++)
		free(t->streams[i].items);
	free(t->streams);
}

/* Replays the faults in keep[]; returns 1 if the same failure came back, 0 if not, -errno on error. */
static int test(struct state *st, const bool *keep, char *err, size_t errlen)
{
	const struct ff_min *m = st->m;
	if (m->deadline > 0 && !st->final) {
		struct timespec t;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((double)(t.tv_sec - st->t0.tv_sec) + (double)(t.tv_nsec - st->t0.tv_nsec) / 1e9 > m->deadline) {
			st->out_of_time = true;
			snprintf(err, errlen, "out of time");
			return -ETIME;
		}
	}
	struct ff_trace sub;
	ff_min_candidate(st->in, st->faults, st->now, keep, st->nfaults, &sub);
	int rc = ff_workdir_fresh(m->cfg->workdir, m->template_dir);
	if (rc < 0) {
		snprintf(err, errlen, "cannot prepare %s: %s", m->cfg->workdir, strerror(-rc));
		ff_min_candidate_free(&sub);
		return rc;
	}
	struct ff_replay rp;
	ff_replay_init(&rp, &sub);
	struct ff_source src;
	ff_source_replay(&src, &rp);
	struct ff_run_result res;
	rc = ff_run(m->cfg, &src, &res, err, errlen);
	ff_replay_free(&rp);
	ff_min_candidate_free(&sub);
	st->tests++;
	if (rc < 0) {
		ff_trace_free(&res.trace);
		return rc;
	}
	if (res.trace.outcome.kind == FF_OUT_INTERRUPTED) {
		snprintf(err, errlen, "interrupted");
		ff_trace_free(&res.trace);
		return -EINTR; /* an interrupted replay says nothing about the failure */
	}
	/* --check may read the candidate's trace: it lies beside the workdir. */
	char tpath[4200];
	snprintf(tpath, sizeof(tpath), "%s.trace", m->cfg->workdir);
	if ((rc = ff_trace_write_ex(tpath, &res.trace, false)) < 0 ||
	    (rc = ff_judge_run(m->cfg, m->judge, &res, tpath)) < 0) {
		snprintf(err, errlen, "cannot judge a run: %s", ff_judge_error(rc));
		ff_trace_free(&res.trace);
		return rc;
	}
	const struct ff_outcome *o = &res.trace.outcome;
	int same = o->verdict == st->want.verdict && o->kind == st->want.kind && o->code == st->want.code;
	if (same) {
		if (st->have_last)
			ff_trace_free(&st->last.trace);
		st->last = res;
		st->have_last = true;
	} else {
		ff_trace_free(&res.trace);
	}
	if (m->progress)
		m->progress(m->ctx, st->nfaults, st->tests);
	return same;
}

/* ddmin over the set c (indices into st->faults) of size *n; shrinks it in place. */
static int ddmin(struct state *st, size_t *c, size_t *n, char *err, size_t errlen)
{
	bool *keep = ff_xcalloc(st->nfaults + 1, sizeof(bool));
	size_t *cand = ff_xcalloc(*n + 1, sizeof(size_t));
	size_t gran = 2;
	int rc = 0;
	while (*n >= 2) {
		bool reduced = false;
		size_t chunk = (*n + gran - 1) / gran;
		/* Try each chunk alone, then each complement. */
		for (int pass = 0; pass < 2 && !reduced; pass++) {
			for (size_t start = 0; start < *n && !reduced; start += chunk) {
				size_t end = start + chunk < *n ? start + chunk : *n, k = 0;
				for (size_t i = 0; i < *n; i++) {
					bool in_chunk = i >= start && i < end;
					if (in_chunk == (pass == 0))
						cand[k++] = c[i];
				}
				if (k == 0 || k == *n)
					continue;
				memset(keep, 0, st->nfaults * sizeof(bool));
				for (size_t i = 0; i < k; i++)
					keep[cand[i]] = true;
				if ((rc = test(st, keep, err, errlen)) < 0)
					goto out;
				if (rc == 1) {
					memcpy(c, cand, k * sizeof(size_t));
					*n = k;
					gran = pass == 0 ? 2 : (gran > 2 ? gran - 1 : 2);
					reduced = true;
				}
			}
		}
		if (!reduced) {
			if (gran >= *n)
				break;
			gran = gran * 2 < *n ? gran * 2 : *n;
		}
	}
	rc = 0;
out:
	free(keep);
	free(cand);
	return rc;
}

/* Truncation amounts: each kept cut loses as few bytes as still fail
 * (a binary search on the bytes that land), and a torn write becomes a plain error if that fails
 * the same way. Returns 0 or -errno. */
static int simplify(struct state *st, const size_t *c, size_t n, char *err, size_t errlen)
{
	bool *keep = ff_xcalloc(st->nfaults + 1, sizeof(bool));
	for (size_t i = 0; i < n; i++)
		keep[c[i]] = true;
	int rc = 0;
	for (size_t i = 0; i < n && rc >= 0; i++) {
		struct ff_item *it = &st->now[c[i]], was = *it;
		if (it->kind == FF_TORN) {
			it->kind = FF_ERROR;
			it->n = 0;
			if ((rc = test(st, keep, err, errlen)) < 0) {
				*it = was;
				break;
			}
			if (rc == 1)
				continue;
			*it = was;
		}
		if (it->kind != FF_SHORT && it->kind != FF_TORN)
			continue;
		/* Binary search for the most bytes that may land while it still
		 * fails: lo fails, hi is the whole call (assumed to pass). */
		uint64_t lo = it->n, hi = it->len;
		while (hi - lo > 1) {
			it->n = lo + (hi - lo) / 2;
			if ((rc = test(st, keep, err, errlen)) < 0)
				break;
			if (rc == 1)
				lo = it->n;
			else
				hi = it->n;
		}
		it->n = lo;
	}
	free(keep);
	return rc < 0 ? rc : 0;
}

int ff_minimize(const struct ff_min *m, const struct ff_trace *in, struct ff_min_result *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	struct state st = {.m = m, .in = in, .want = in->outcome};
	clock_gettime(CLOCK_MONOTONIC, &st.t0);
	st.nfaults = ff_min_list_faults(in, &st.faults);
	out->before = st.nfaults;
	st.now = ff_xcalloc(st.nfaults + 1, sizeof(*st.now));
	for (size_t i = 0; i < st.nfaults; i++)
		st.now[i] = in->streams[st.faults[i].stream].items[st.faults[i].item];
	size_t *c = ff_xcalloc(st.nfaults + 1, sizeof(size_t)), n = st.nfaults;
	bool *all = ff_xcalloc(st.nfaults + 1, sizeof(bool));
	for (size_t i = 0; i < n; i++) {
		c[i] = i;
		all[i] = true;
	}
	/* The whole trace must fail first, or there is nothing to minimize. */
	st.final = true; /* the first check runs whatever the budget */
	int rc = test(&st, all, err, errlen);
	st.final = false;
	if (rc == 0) {
		snprintf(err, errlen, "the recorded failure (%s) does not reproduce on replay",
			 ff_verdict_name(st.want.verdict));
		rc = -ESRCH;
	}
	if (rc > 0)
		rc = ddmin(&st, c, &n, err, errlen);
	if (rc == 0 && n > 0) {
		/* ddmin keeps at least one fault: a failure that needs none (a power
		 * cut after the run loses what was never synced) is named after it. */
		memset(all, 0, st.nfaults * sizeof(bool));
		int z = test(&st, all, err, errlen);
		if (z == 1)
			n = 0;
		else if (z < 0)
			rc = z;
	}
	if (rc == 0)
		rc = simplify(&st, c, n, err, errlen);
	if (rc == -ETIME)
		rc = 0; /* what was found so far is still a failing subset */
	if (rc == 0) {
		st.final = true;
		/* Replay the result once more so the kept trace is this exact subset's run. */
		memset(all, 0, st.nfaults * sizeof(bool));
		for (size_t i = 0; i < n; i++)
			all[c[i]] = true;
		rc = test(&st, all, err, errlen);
		if (rc == 0) {
			snprintf(err, errlen, "the minimized trace did not reproduce on a last check (flaky target?)");
			rc = -ESRCH;
		} else if (rc > 0) {
			rc = 0;
			out->after = n;
			out->trace = st.last.trace;
			st.have_last = false;
		}
	}
	if (st.have_last)
		ff_trace_free(&st.last.trace);
	out->tests = st.tests;
	out->out_of_time = st.out_of_time;
	free(c);
	free(all);
	free(st.faults);
	free(st.now);
	return rc;
}
