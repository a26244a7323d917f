#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/durable/durable.h"
#include "core/util.h"
#include "core/decide/replay.h"

__attribute__((format(printf, 2, 3))) static void diverge(struct ff_replay *r, const char *fmt, ...)
{
	if (r->divergences++)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->first, sizeof(r->first), fmt, ap);
	va_end(ap);
}

void ff_replay_init(struct ff_replay *r, const struct ff_trace *t)
{
	memset(r, 0, sizeof(*r));
	r->t = t;
	ff_site_index_build(&r->ix, t);
	r->cur = ff_xcalloc(t->nstreams + 1, sizeof(*r->cur));
}

void ff_replay_free(struct ff_replay *r)
{
	ff_site_index_free(&r->ix);
	free(r->cur);
	r->cur = NULL;
}

/* A call past the end of the recording of a run the power cut at a call: in
 * the recording this task had not got there yet. */
static bool hold(struct ff_replay *r, struct ff_decision *d)
{
	if (r->t->cut != FF_CUT_CALL || r->released)
		return false;
	d->kind = FF_HOLD;
	return true;
}

/* Has every task made all the calls the trace has? */
static bool all_done(const struct ff_replay *r)
{
	for (size_t i = 0; i < r->t->nstreams; i++)
		if (r->cur[i].calls < r->t->streams[i].calls)
			return false;
	return true;
}

static bool cut_ready_cb(struct ff_source *src)
{
	return all_done(src->ctx);
}

static void replay_decide(struct ff_source *src, const struct ff_call *c, struct ff_decision *d)
{
	struct ff_replay *r = src->ctx;
	const char *sc = ff_sc_table[c->sc].name;
	memset(d, 0, sizeof(*d));
	long si = ff_site_index_find(&r->ix, r->t, sc, c->path);
	if (si < 0 && hold(r, d))
		return;
	if (si < 0) {
		diverge(r, "%s %s #%llu (%llu bytes): not in the trace", sc, c->path, (unsigned long long)c->ordinal,
			(unsigned long long)c->len);
		return;
	}
	const struct ff_stream *s = &r->t->streams[si];
	struct ff_replay_cursor *k = &r->cur[si];
	if (k->item >= s->nitems && hold(r, d))
		return;
	if (k->item >= s->nitems) {
		diverge(r, "%s %s #%llu (%llu bytes): the trace has only %llu such calls", sc, c->path,
			(unsigned long long)c->ordinal, (unsigned long long)c->len, (unsigned long long)s->calls);
		k->calls++;
		return;
	}
	const struct ff_item *it = &s->items[k->item];
	uint64_t ord = k->calls++;
	if (it->kind == FF_PASS) {
		k->lenhash = ff_lenhash(k->within ? k->lenhash : 0, c->len);
		if (++k->within == it->count) {
			if (k->lenhash != it->lenhash)
				diverge(r, "%s %s #%llu-#%llu: the lengths of these calls differ from the trace", sc,
					c->path, (unsigned long long)(ord + 1 - it->count), (unsigned long long)ord);
			k->item++;
			k->within = 0;
		}
		return;
	}
	k->item++;
	k->within = 0;
	if (it->kind == FF_CUT && !all_done(r)) {
		d->kind = FF_HOLD_CUT; /* the others catch up first */
		return;
	}
	if (it->len != c->len)
		diverge(r, "%s %s #%llu: trace expects %llu bytes, got %llu", sc, c->path, (unsigned long long)ord,
			(unsigned long long)it->len, (unsigned long long)c->len);
	d->kind = it->kind;
	d->err = it->err;
	d->n = it->n;
	if (d->kind == FF_CORRUPT) { /* exactly the recorded damage, clipped at exit to what the read returns */
		d->mode = it->mode;
		d->off = it->off;
		d->key = it->key;
		d->planned = true;
	}
	if ((d->kind == FF_SHORT || d->kind == FF_TORN) && d->n >= c->len)
		memset(d, 0, sizeof(*d)); /* cannot cut a call shorter than the cut */
}

void ff_replay_released(struct ff_replay *r, const char *why)
{
	if (r->released)
		return;
	r->released = true;
	diverge(r, "the power cut: %s", why);
}

static void released_cb(struct ff_source *src, const char *why)
{
	ff_replay_released(src->ctx, why);
}

void ff_source_replay(struct ff_source *src, struct ff_replay *r)
{
	*src =
	    (struct ff_source){.decide = replay_decide, .released = released_cb, .cut_ready = cut_ready_cb, .ctx = r};
}

void ff_replay_finish(struct ff_replay *r)
{
	for (size_t i = 0; i < r->t->nstreams; i++) {
		const struct ff_stream *s = &r->t->streams[i];
		const struct ff_replay_cursor *k = &r->cur[i];
		if (k->calls < s->calls)
			diverge(r, "%s %s #%llu: the trace has %llu more such calls that did not happen", s->sc,
				s->path, (unsigned long long)k->calls, (unsigned long long)(s->calls - k->calls));
	}
}

void ff_replay_state(struct ff_replay *r, const struct ff_trace *now)
{
	static const char *const where[] = {"no cut", "a cut at a call", "a cut after the run"};
	const struct ff_trace *t = r->t;
	if (!t->hdr.crash_mode || !t->complete)
		return;
	if (t->cut != now->cut) {
		r->state_differs = true;
		diverge(r, "the power cut: the trace has %s, the replay %s", where[t->cut % 3], where[now->cut % 3]);
	} else if (t->state_hash != now->state_hash) {
		r->state_differs = true;
		diverge(r, "the post-cut file state: hash %016llx, the trace has %016llx (%llu names, the trace %llu)",
			(unsigned long long)now->state_hash, (unsigned long long)t->state_hash,
			(unsigned long long)now->state_files, (unsigned long long)t->state_files);
	}
}
