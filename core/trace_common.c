/* The in-memory trace: building streams, freeing, names. Shared by the
 * recorder, the writer and the reader. */
#include "core/trace.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "core/catalogue.h"
#include "core/util.h"

/* Returns XXH32 of len as 8 little-endian bytes, seeded with h: the byte
 * order is fixed so the fingerprint is the same on every host. */
uint32_t ff_lenhash(uint32_t h, uint64_t len)
{
	uint8_t b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(len >> (8 * i));
	return XXH32(b, sizeof(b), h);
}

/* A pass extends the last item when that is a pass run; a run's hash starts
 * from 0 and chains every call's length in order. */
void ff_stream_add(struct ff_stream *s, uint8_t kind, uint16_t err, uint64_t n, uint64_t len)
{
	assert(kind < FF_FAULT_COUNT);
	s->calls++;
	if (kind == FF_PASS && s->nitems && s->items[s->nitems - 1].kind == FF_PASS) {
		struct ff_item *it = &s->items[s->nitems - 1];
		it->count++;
		it->lenhash = ff_lenhash(it->lenhash, len);
		return;
	}
	ff_grow(&s->items, &s->cap, s->nitems + 1, sizeof(*s->items));
	struct ff_item *it = &s->items[s->nitems++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->count = 1;
	if (kind == FF_PASS) {
		it->lenhash = ff_lenhash(0, len);
	} else {
		it->err = err;
		it->n = n;
		it->len = len;
	}
}

struct ff_stream *ff_trace_add_stream(struct ff_trace *t, const char *sc, const char *path)
{
	ff_grow(&t->streams, &t->cap, t->nstreams + 1, sizeof(*t->streams));
	struct ff_stream *s = &t->streams[t->nstreams++];
	memset(s, 0, sizeof(*s));
	s->sc = ff_xstrdup(sc);
	s->path = ff_xstrdup(path);
	return s;
}

static void free_strv(char **v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Also frees partially built traces (the reader's error path): NULL entries
 * and NULL arrays are skipped. */
void ff_trace_free(struct ff_trace *t)
{
	if (!t)
		return;
	free_strv(t->hdr.syscalls, t->hdr.nsyscalls);
	free_strv(t->hdr.argv, t->hdr.argc);
	for (size_t i = 0; i < t->nstreams; i++) {
		free(t->streams[i].sc);
		free(t->streams[i].path);
		free(t->streams[i].items);
	}
	free(t->streams);
	memset(t, 0, sizeof(*t));
}

const char *ff_outcome_name(uint8_t kind)
{
	static const char *const names[] = {
		[FF_OUT_NONE] = "none",
		[FF_OUT_EXITED] = "exited",
		[FF_OUT_SIGNALED] = "signaled",
		[FF_OUT_HANG] = "hang",
		[FF_OUT_INTERRUPTED] = "interrupted",
		[FF_OUT_TRACE_ERROR] = "trace-error",
	};
	return kind < FF_ARRAY_LEN(names) ? names[kind] : "?";
}

const char *ff_verdict_name(uint8_t v)
{
	static const char *const names[] = {
		[FF_V_PASS] = "pass",
		[FF_V_CRASH] = "crash",
		[FF_V_HANG] = "hang",
		[FF_V_UNKNOWN] = "unknown",
	};
	return v < FF_ARRAY_LEN(names) ? names[v] : "?";
}
