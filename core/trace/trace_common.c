/* The in-memory trace: building streams, freeing, names. Shared by the
 * recorder, the writer and the reader. */
#include "core/trace/trace.h"

#include <assert.h>
#include <errno.h>
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

/* What each fault kind may carry: an errno in err_lo..err_hi (0..0: none),
 * and whether some bytes land first (0 < n < len) or none do (n == 0, and
 * len may be 0: unlink and fsync have no length). */
static const struct {
	uint16_t err_lo, err_hi;
	uint8_t partial;
	const char *bad_err;
} rules[FF_FAULT_COUNT] = {
    [FF_SHORT] = {0, 0, 1, "a short write with an errno"},
    [FF_ERROR] = {1, FF_MAX_ERRNO, 0, "an errno outside 1..4095"},
    [FF_TORN] = {1, FF_MAX_ERRNO, 1, "an errno outside 1..4095"},
    [FF_EINTR] = {EINTR, EINTR, 0, "an eintr fault whose errno is not EINTR (4)"},
    [FF_EAGAIN] = {EAGAIN, EAGAIN, 0, "an eagain fault whose errno is not EAGAIN (11)"},
    [FF_FSYNC] = {1, FF_MAX_ERRNO, 0, "an errno outside 1..4095"},
    [FF_CUT] = {0, 0, 0, "a cut with an errno"},
};

/* A corrupt read: a mode, and n damaged bytes within the len asked for
 * (n 0: the read returned nothing, so nothing was damaged). */
static const char *corrupt_invalid(const struct ff_item *it)
{
	if (it->err)
		return "a corrupt read with an errno";
	if (it->mode < 1 || it->mode > 3)
		return "a corrupt read of an unknown mode";
	if (it->n == 0)
		return it->off || it->key ? "a corrupt read of no bytes with an offset or key" : NULL;
	if (it->off > it->len || it->n > it->len - it->off)
		return "a corrupt read past the bytes asked for";
	if (it->mode == 1 && (it->n != 1 || it->key > 7))
		return "a bit flip that is not one bit of one byte";
	if (it->mode != 1 && it->n > 512)
		return "a damaged block over 512 bytes";
	if (it->mode == 2 && it->key)
		return "a zeroed block with a key";
	return NULL;
}

const char *ff_item_invalid(const struct ff_item *it)
{
	if (it->kind >= FF_FAULT_COUNT)
		return "an unknown item kind";
	if (it->kind == FF_PASS)
		return it->count ? NULL : "an empty pass run";
	if (it->kind == FF_CORRUPT)
		return corrupt_invalid(it);
	if (it->mode || it->off || it->key)
		return "a mode, offset or key on a fault that is not corrupt";
	if (it->err < rules[it->kind].err_lo || it->err > rules[it->kind].err_hi)
		return rules[it->kind].bad_err;
	if (rules[it->kind].partial && (it->n == 0 || it->n >= it->len))
		return "a partial write that is not 0 < n < len";
	if (!rules[it->kind].partial && it->n != 0)
		return "an error-like fault (error, eintr, eagain, fsync, cut) with n != 0";
	return NULL;
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
	free(t->hdr.errnos);
	free_strv(t->hdr.globs, t->hdr.nglobs);
	free_strv(t->hdr.syscalls, t->hdr.nsyscalls);
	free_strv(t->hdr.argv, t->hdr.argc);
	ff_trace_free_changes(t);
	for (size_t i = 0; i < t->ncontexts; i++)
		free(t->contexts[i].frames);
	free(t->contexts);
	for (size_t i = 0; i < t->nstreams; i++) {
		free(t->streams[i].sc);
		free(t->streams[i].path);
		free(t->streams[i].items);
	}
	free(t->streams);
	memset(t, 0, sizeof(*t));
}

void ff_trace_add_context(struct ff_trace *t, uint64_t hash, const char *frames)
{
	if (ff_trace_context(t, hash) || t->ncontexts >= FF_CONTEXTS_MAX)
		return;
	ff_grow(&t->contexts, &t->ctxcap, t->ncontexts + 1, sizeof(*t->contexts));
	char *f = ff_xstrdup(frames);
	if (strlen(f) > FF_TRACE_MAX_STR)
		f[FF_TRACE_MAX_STR] = 0; /* a str's limit */
	t->contexts[t->ncontexts++] = (struct ff_context){.hash = hash, .frames = f};
}

const char *ff_trace_context(const struct ff_trace *t, uint64_t hash)
{
	for (size_t i = 0; i < t->ncontexts; i++)
		if (t->contexts[i].hash == hash)
			return t->contexts[i].frames;
	return NULL;
}

long ff_site_split(const char *path, uint64_t *hash)
{
	size_t n = strlen(path);
	if (n < 18 || path[n - 18] != ' ' || path[n - 17] != '@')
		return -1;
	uint64_t h = 0;
	for (size_t i = n - 16; i < n; i++) {
		char c = path[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return -1;
		h = h << 4 | (uint64_t)(c <= '9' ? c - '0' : c - 'a' + 10);
	}
	*hash = h;
	return (long)(n - 18);
}

uint16_t ff_trace_min_reader(const struct ff_trace *t)
{
	if (t->hdr.site_mode)
		return 4; /* an older reader would replay it with path sites */
	for (size_t i = 0; i < t->nstreams; i++)
		for (size_t j = 0; j < t->streams[i].nitems; j++)
			if (t->streams[i].items[j].kind == FF_CORRUPT)
				return 4; /* an older reader does not know the item */
	if (t->hdr.crash_mode && t->hdr.fs_profile)
		return 3; /* a format 2 reader would replay it under posix rules: another post-cut state */
	if (t->hdr.crash_mode || t->outcome.kind == FF_OUT_CUT || t->outcome.verdict == FF_V_CRASH_CONSISTENCY)
		return 2;
	for (size_t i = 0; i < t->nstreams; i++)
		for (size_t j = 0; j < t->streams[i].nitems; j++)
			if (t->streams[i].items[j].kind == FF_CUT)
				return 2;
	return FF_TRACE_MIN_READER;
}

const char *ff_outcome_name(uint8_t kind)
{
	static const char *const names[] = {
	    [FF_OUT_NONE] = "none",	[FF_OUT_EXITED] = "exited",	      [FF_OUT_SIGNALED] = "signaled",
	    [FF_OUT_HANG] = "hang",	[FF_OUT_INTERRUPTED] = "interrupted", [FF_OUT_TRACE_ERROR] = "trace-error",
	    [FF_OUT_CUT] = "power-cut",
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
	    [FF_V_CORRUPTION] = "corruption",
	    [FF_V_CHECK] = "check",
	    [FF_V_SANITIZER] = "sanitizer",
	    [FF_V_CRASH_CONSISTENCY] = "crash-consistency",
	};
	return v < FF_ARRAY_LEN(names) ? names[v] : "?";
}

const char *ff_crash_mode_name(uint8_t m)
{
	static const char *const names[] = {"off", "lose-all", "torn", "keep-all"};
	return m < FF_ARRAY_LEN(names) ? names[m] : "?";
}

const char *ff_cut_change_name(uint8_t kind)
{
	static const char *const names[] = {"?",    "write",   "size",	 "replace",  "create", "mkdir",
					    "link", "symlink", "rename", "exchange", "unlink", "rmdir"};
	return kind < FF_ARRAY_LEN(names) ? names[kind] : "?";
}

static const char *const rule_names[FF_CUT_RULES][2] = {
    {"none", "no rule"},
    {"lose-all", "lose-all: nothing unsynced reaches the disk"},
    {"coin", "posix: its own coin, a name's changes in order"},
    {"journal-prefix", "the journal kept a prefix of the name and size changes, in call order"},
    {"after-lost", "an earlier change to the same name was lost"},
    {"pages", "writeback by page: each page holds its file as of some moment"},
    {"flushed", "flushed by a rename over the file or a truncate to 0 (auto_da_alloc)"},
    {"unreachable", "written after a size change that was lost"},
    {"journal-commit", "made durable by a journal commit (another file's fsync)"},
    {"fsync-failure", "dropped by a failed fsync (--fsync-failure drop)"},
};

const char *ff_cut_rule_name(uint8_t rule)
{
	return rule < FF_CUT_RULES ? rule_names[rule][0] : "?";
}

const char *ff_cut_rule_text(uint8_t rule)
{
	return rule < FF_CUT_RULES ? rule_names[rule][1] : "?";
}

void ff_trace_free_changes(struct ff_trace *t)
{
	for (size_t i = 0; i < t->nchanges; i++) {
		free(t->changes[i].path);
		free(t->changes[i].path2);
	}
	free(t->changes);
	t->changes = NULL;
	t->nchanges = 0;
	t->changes_total = 0;
}

const char *ff_cut_name(uint8_t where)
{
	static const char *const names[] = {"none", "call", "end"};
	return where < FF_ARRAY_LEN(names) ? names[where] : "?";
}

void ff_trace_clear_streams(struct ff_trace *t)
{
	for (size_t i = 0; i < t->nstreams; i++) {
		free(t->streams[i].sc);
		free(t->streams[i].path);
		free(t->streams[i].items);
	}
	free(t->streams);
	t->streams = NULL;
	t->nstreams = t->cap = 0;
	t->eligible = t->faults = 0;
}
