/* The trace format: writer and reader mirror each other, the encoding is
 * canonical, and the reader refuses every damaged or hostile input with a
 * one-line reason. Also `show` and the JSON string helper. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "core/catalogue.h"
#include "core/json.h"
#include "core/durable/durable.h"
#include "core/trace/trace.h"
#include "core/util.h"
#include "core/trace/show.h"

/* ---- helpers ---- */

static char **strv(int n, ...)
{
	va_list ap;
	char **v = ff_xcalloc((size_t)n, sizeof(*v));
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		v[i] = ff_xstrdup(va_arg(ap, const char *));
	va_end(ap);
	return v;
}

static uint16_t *errnov(int n, ...)
{
	va_list ap;
	uint16_t *v = ff_xcalloc((size_t)n, sizeof(*v));
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		v[i] = (uint16_t)va_arg(ap, int);
	va_end(ap);
	return v;
}

/* Short, error and torn, spelled out so a change of FF_K_ALL does not move
 * the pinned bytes and texts below. */
#define MASK_SET (FF_K(FF_SHORT) | FF_K(FF_ERROR) | FF_K(FF_TORN))

/* Every header field set, the selection too (max_faults takes two bytes). */
static void set_header(struct ff_trace *t)
{
	t->hdr.prng = FF_PRNG_XXH3_SITE;
	t->hdr.flags = FF_TF_INCLUDE_STDIO | FF_TF_INCLUDE_STARTUP | FF_TF_NO_SECCOMP;
	t->hdr.seed = 7;
	t->hdr.rate_q = 1u << 31;
	t->hdr.fault_mask = MASK_SET;
	t->hdr.fdkind_mask = 1u << FF_FD_FILE;
	t->hdr.profile = 1;
	t->hdr.max_faults = 300;
	t->hdr.after = 5;
	t->hdr.only = 17;
	t->hdr.nerrnos = 2;
	t->hdr.errnos = errnov(2, EIO, ENOSPC);
	t->hdr.nglobs = 2;
	t->hdr.globs = strv(2, "*.txt", "log/*");
	t->hdr.nsyscalls = 2;
	t->hdr.syscalls = strv(2, "write", "pwrite64");
	t->hdr.argc = 2;
	t->hdr.argv = strv(2, "./prog", "arg");
}

static void fill_write_test(struct ff_stream *s)
{
	ff_stream_add(s, FF_TORN, EIO, 9, 16);
	ff_stream_add(s, FF_SHORT, 0, 3, 16);
	ff_stream_add(s, FF_ERROR, EIO, 0, 16);
	for (int i = 0; i < 1000; i++)
		ff_stream_add(s, FF_PASS, 0, 0, 16);
}

static void fill_pwrite_test(struct ff_stream *s)
{
	for (int i = 0; i < 5; i++)
		ff_stream_add(s, FF_PASS, 0, 0, (uint64_t)i * 100);
	ff_stream_add(s, FF_ERROR, ENOSPC, 0, 4096);
	ff_stream_add(s, FF_EINTR, EINTR, 0, 4096);
	ff_stream_add(s, FF_EAGAIN, EAGAIN, 0, 4096);
	ff_stream_add(s, FF_PASS, 0, 0, 1);
}

static void fill_write_log(struct ff_stream *s)
{
	ff_stream_add(s, FF_SHORT, 0, 1, 1u << 20);
	ff_stream_add(s, FF_TORN, EDQUOT, 4095, 4096);
	ff_stream_add(s, FF_PASS, 0, 0, 0);
	/* Error-like kinds on calls without a length. */
	ff_stream_add(s, FF_FSYNC, EIO, 0, 0);
	ff_stream_add(s, FF_ERROR, ENOENT, 0, 0);
	ff_stream_add(s, FF_EINTR, EINTR, 0, 0);
}

/* A trace with three streams and every item kind; perm picks the order in
 * which the streams are added (0..5). */
static void sample(struct ff_trace *t, int perm)
{
	static const int orders[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
	memset(t, 0, sizeof(*t));
	set_header(t);
	for (int i = 0; i < 3; i++) {
		switch (orders[perm][i]) {
		case 0:
			fill_write_test(ff_trace_add_stream(t, "write", "test.txt"));
			break;
		case 1:
			fill_pwrite_test(ff_trace_add_stream(t, "pwrite64", "test.txt"));
			break;
		case 2:
			fill_write_log(ff_trace_add_stream(t, "write", "a.log"));
			break;
		}
	}
	t->complete = 0;
	t->outcome = (struct ff_outcome){.kind = FF_OUT_SIGNALED, .code = 11, .verdict = FF_V_CRASH};
	t->eligible = 1003 + 9 + 6;
	t->faults = 3 + 3 + 5;
}

static uint8_t *encode(const struct ff_trace *t, size_t *len)
{
	uint8_t *buf = NULL;
	int rc = ff_trace_encode(t, &buf, len);
	cr_assert_eq(rc, 0, "ff_trace_encode returned %d (%s)", rc, strerror(-rc));
	return buf;
}

/* Rewrites the checksum so a hand-made change reaches the parser. */
static void fix_checksum(uint8_t *buf, size_t len)
{
	uint64_t h = XXH64(buf, len - 8, 0);
	for (int i = 0; i < 8; i++)
		buf[len - 8 + i] = (uint8_t)(h >> (8 * i));
}

/* Returns a copy of buf with del bytes at off replaced by ins. */
static uint8_t *splice(const uint8_t *buf, size_t len, size_t off, size_t del, const uint8_t *ins, size_t inslen,
		       size_t *outlen)
{
	*outlen = len - del + inslen;
	uint8_t *o = ff_xmalloc(*outlen);
	memcpy(o, buf, off);
	memcpy(o + off, ins, inslen);
	memcpy(o + off + inslen, buf + off + del, len - off - del);
	return o;
}

static void expect_str_eq(const char *what, const char *a, const char *b)
{
	cr_expect(!strcmp(a, b), "%s differs: got '%s', want '%s'", what, a, b);
}

static void expect_same(const struct ff_trace *a, const struct ff_trace *b)
{
	const struct ff_trace_hdr *x = &a->hdr, *y = &b->hdr;
	cr_expect_eq(x->prng, y->prng, "prng %u vs %u", x->prng, y->prng);
	cr_expect_eq(x->flags, y->flags, "flags %#x vs %#x", x->flags, y->flags);
	cr_expect_eq(x->seed, y->seed, "seed %" PRIu64 " vs %" PRIu64, x->seed, y->seed);
	cr_expect_eq(x->rate_q, y->rate_q, "rate_q %u vs %u", x->rate_q, y->rate_q);
	cr_expect_eq(x->fault_mask, y->fault_mask, "fault_mask %#x vs %#x", x->fault_mask, y->fault_mask);
	cr_expect_eq(x->fdkind_mask, y->fdkind_mask, "fdkind_mask %#x vs %#x", x->fdkind_mask, y->fdkind_mask);
	cr_expect_eq(x->profile, y->profile, "profile %u vs %u", x->profile, y->profile);
	cr_expect_eq(x->max_faults, y->max_faults, "max_faults %" PRIu64 " vs %" PRIu64, x->max_faults, y->max_faults);
	cr_expect_eq(x->after, y->after, "after %" PRIu64 " vs %" PRIu64, x->after, y->after);
	cr_expect_eq(x->only, y->only, "only %" PRIu64 " vs %" PRIu64, x->only, y->only);
	cr_assert_eq(x->nerrnos, y->nerrnos, "nerrnos %u vs %u", x->nerrnos, y->nerrnos);
	for (uint32_t i = 0; i < x->nerrnos; i++)
		cr_expect_eq(x->errnos[i], y->errnos[i], "errno %u: %u vs %u", i, x->errnos[i], y->errnos[i]);
	cr_assert_eq(x->nglobs, y->nglobs, "nglobs %u vs %u", x->nglobs, y->nglobs);
	for (uint32_t i = 0; i < x->nglobs; i++)
		expect_str_eq("path glob", x->globs[i], y->globs[i]);
	cr_assert_eq(x->nsyscalls, y->nsyscalls, "nsyscalls %u vs %u", x->nsyscalls, y->nsyscalls);
	for (uint32_t i = 0; i < x->nsyscalls; i++)
		expect_str_eq("syscall name", x->syscalls[i], y->syscalls[i]);
	cr_assert_eq(x->argc, y->argc, "argc %u vs %u", x->argc, y->argc);
	for (uint32_t i = 0; i < x->argc; i++)
		expect_str_eq("argument", x->argv[i], y->argv[i]);
	cr_expect_eq(a->complete, b->complete, "complete %u vs %u", a->complete, b->complete);
	cr_expect_eq(a->outcome.kind, b->outcome.kind, "outcome %u vs %u", a->outcome.kind, b->outcome.kind);
	cr_expect_eq(a->outcome.code, b->outcome.code, "code %d vs %d", a->outcome.code, b->outcome.code);
	cr_expect_eq(a->outcome.verdict, b->outcome.verdict, "verdict %u vs %u", a->outcome.verdict,
		     b->outcome.verdict);
	cr_expect_eq(a->eligible, b->eligible, "eligible %" PRIu64 " vs %" PRIu64, a->eligible, b->eligible);
	cr_expect_eq(a->faults, b->faults, "faults %" PRIu64 " vs %" PRIu64, a->faults, b->faults);
	cr_expect_eq(x->crash_mode, y->crash_mode, "crash mode %u vs %u", x->crash_mode, y->crash_mode);
	cr_expect_eq(x->fsync_failure, y->fsync_failure, "fsync failure %u vs %u", x->fsync_failure, y->fsync_failure);
	cr_expect_eq(x->crash_rate_q, y->crash_rate_q, "crash rate");
	cr_expect_eq(x->crash_at, y->crash_at, "crash at");
	cr_expect_eq(x->fs_profile, y->fs_profile, "fs profile %u vs %u", x->fs_profile, y->fs_profile);
	cr_expect_eq(a->cut, b->cut, "cut %u vs %u", a->cut, b->cut);
	cr_expect_eq(a->state_hash, b->state_hash, "state hash");
	cr_expect_eq(a->state_files, b->state_files, "state files");
	cr_assert_eq(a->nstreams, b->nstreams, "nstreams %zu vs %zu", a->nstreams, b->nstreams);
	for (size_t i = 0; i < a->nstreams; i++) {
		const struct ff_stream *s = &a->streams[i], *u = &b->streams[i];
		expect_str_eq("stream syscall", s->sc, u->sc);
		expect_str_eq("stream path", s->path, u->path);
		cr_expect_eq(s->calls, u->calls, "stream %zu calls %" PRIu64 " vs %" PRIu64, i, s->calls, u->calls);
		cr_assert_eq(s->nitems, u->nitems, "stream %zu nitems %zu vs %zu", i, s->nitems, u->nitems);
		for (size_t j = 0; j < s->nitems; j++) {
			const struct ff_item *p = &s->items[j], *q = &u->items[j];
			cr_expect(p->kind == q->kind && p->err == q->err && p->count == q->count && p->n == q->n &&
				      p->len == q->len && p->lenhash == q->lenhash,
				  "stream %zu item %zu: kind %u/%u err %u/%u count %" PRIu64 "/%" PRIu64 " n %" PRIu64
				  "/%" PRIu64 " len %" PRIu64 "/%" PRIu64 " lenhash %#x/%#x",
				  i, j, p->kind, q->kind, p->err, q->err, p->count, q->count, p->n, q->n, p->len,
				  q->len, p->lenhash, q->lenhash);
		}
	}
}

/* Decodes buf and expects a rejection with a message; returns rc. */
static int expect_reject(const uint8_t *buf, size_t len, const char *what, const char *want)
{
	struct ff_trace t;
	char err[256] = "unset";
	int rc = ff_trace_decode(buf, len, &t, err, sizeof(err));
	cr_expect_neq(rc, 0, "%s: accepted (nstreams %zu)", what, t.nstreams);
	cr_expect(err[0] && strcmp(err, "unset"), "%s: rc %d but no message", what, rc);
	cr_expect(!strchr(err, '\n'), "%s: message has a newline: '%s'", what, err);
	if (want)
		cr_expect(strstr(err, want), "%s: message '%s' lacks '%s'", what, err, want);
	cr_expect(t.nstreams == 0 && t.streams == NULL && t.hdr.syscalls == NULL && t.hdr.argv == NULL &&
		      t.hdr.errnos == NULL && t.hdr.globs == NULL,
		  "%s: the trace was not left empty after an error", what);
	return rc;
}

/* Offsets in a trace with an empty selection, no names and no command:
 * the fixed header ends with profile, then each empty varint is one byte. */
enum {
	OFF_PROFILE = 36,
	OFF_MAX_FAULTS,
	OFF_AFTER,
	OFF_ONLY,
	OFF_NERRNOS,
	OFF_NGLOBS,
	OFF_NSYSCALLS,
	OFF_ARGC,
	OFF_EXTLEN,
	OFF_NSTREAMS,
	OFF_FOOTER, /* with no streams */
};
/* The one-item trace's stream: sc "w", path "p", nitems, then the item
 * (kind, err, n, len for a fault). */
enum { OFF_SC = OFF_NSTREAMS + 1, OFF_PATH = OFF_SC + 2, OFF_NITEMS = OFF_PATH + 2, OFF_ITEM = OFF_NITEMS + 1 };

/* The smallest trace: no names, no command, no streams. */
static uint8_t *empty_trace(size_t *len)
{
	struct ff_trace t = {0};
	uint8_t *buf = encode(&t, len);
	cr_assert_eq(*len, 60, "the empty trace is %zu bytes, the spec says 60", *len);
	return buf;
}

/* One stream "w" "p" with one item. */
static uint8_t *one_item_trace(size_t *len)
{
	struct ff_trace t = {0};
	ff_stream_add(ff_trace_add_stream(&t, "w", "p"), FF_ERROR, 5, 0, 10);
	uint8_t *buf = encode(&t, len);
	ff_trace_free(&t);
	const uint8_t *it = buf + OFF_ITEM;
	cr_assert(buf[OFF_NSTREAMS] == 1 && buf[OFF_SC + 1] == 'w' && buf[OFF_NITEMS] == 1 && it[0] == FF_ERROR &&
		      it[1] == 5 && it[2] == 0 && it[3] == 10,
		  "unexpected layout of the one-item trace");
	return buf;
}

static char *capture(void (*fn)(FILE *, void *), void *arg)
{
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);
	cr_assert(f, "open_memstream failed");
	fn(f, arg);
	fclose(f);
	return s;
}

/* ---- the in-memory model ---- */

Test(trace, lenhash_is_xxh32_of_little_endian_length)
{
	uint8_t le[8] = {0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe};
	uint32_t want = XXH32(le, 8, 0x1234);
	uint32_t got = ff_lenhash(0x1234, 0xfedcba9876543210ull);
	cr_expect_eq(got, want, "ff_lenhash = %#x, XXH32 of the LE bytes = %#x", got, want);
	/* Pinned, so a second implementation can check itself. */
	cr_expect_eq(ff_lenhash(0, 16), 0x24fb049du, "ff_lenhash(0, 16) = %#x", ff_lenhash(0, 16));
}

Test(trace, stream_add_merges_passes_and_splits_on_faults)
{
	struct ff_trace t = {0};
	struct ff_stream *s = ff_trace_add_stream(&t, "write", "f");
	ff_stream_add(s, FF_PASS, 0, 0, 3);
	ff_stream_add(s, FF_PASS, 0, 0, 5);
	ff_stream_add(s, FF_ERROR, EIO, 0, 7);
	ff_stream_add(s, FF_PASS, 0, 0, 9);
	cr_assert_eq(s->nitems, 3, "nitems %zu, want 3", s->nitems);
	cr_expect_eq(s->calls, 4, "calls %" PRIu64 ", want 4", s->calls);
	struct ff_item *it = s->items;
	cr_expect(it[0].kind == FF_PASS && it[0].count == 2 && it[0].lenhash == ff_lenhash(ff_lenhash(0, 3), 5),
		  "first run: kind %u count %" PRIu64 " lenhash %#x", it[0].kind, it[0].count, it[0].lenhash);
	cr_expect(
	    it[1].kind == FF_ERROR && it[1].count == 1 && it[1].err == EIO && it[1].len == 7 && it[1].lenhash == 0,
	    "fault: kind %u count %" PRIu64 " err %u len %" PRIu64, it[1].kind, it[1].count, it[1].err, it[1].len);
	cr_expect(it[2].kind == FF_PASS && it[2].count == 1 && it[2].lenhash == ff_lenhash(0, 9),
		  "second run: count %" PRIu64, it[2].count);
	ff_trace_free(&t);
	struct ff_trace zero = {0};
	cr_expect(!memcmp(&t, &zero, sizeof(t)), "ff_trace_free left the trace non-zero");
}

Test(trace, names)
{
	static const char *const out[] = {"none",	 "exited",	"signaled", "hang",
					  "interrupted", "trace-error", "power-cut"};
	static const char *const ver[] = {"pass",	"crash", "hang",      "unknown",
					  "corruption", "check", "sanitizer", "crash-consistency"};
	cr_assert_eq(FF_ARRAY_LEN(out), FF_OUT_LAST + 1, "every outcome kind has its expected name here");
	cr_assert_eq(FF_ARRAY_LEN(ver), FF_V_LAST + 1, "every verdict has its expected name here");
	for (uint8_t i = 0; i <= FF_OUT_LAST; i++)
		expect_str_eq("outcome name", ff_outcome_name(i), out[i]);
	for (uint8_t i = 0; i <= FF_V_LAST; i++)
		expect_str_eq("verdict name", ff_verdict_name(i), ver[i]);
	expect_str_eq("an unknown outcome", ff_outcome_name(FF_OUT_LAST + 1), "?");
	expect_str_eq("an unknown verdict", ff_verdict_name(FF_V_LAST + 1), "?");
}

/* ---- encoding ---- */

Test(trace, roundtrip_keeps_every_field_and_bytes)
{
	struct ff_trace t, u;
	char err[256] = "";
	size_t len, len2;
	sample(&t, 0);
	uint8_t *buf = encode(&t, &len);
	int rc = ff_trace_decode(buf, len, &u, err, sizeof(err));
	cr_assert_eq(rc, 0, "decode failed: %d %s", rc, err);
	cr_expect_eq(u.hdr.version, FF_TRACE_VERSION, "version %u", u.hdr.version);
	cr_expect_eq(u.hdr.min_reader, FF_TRACE_MIN_READER, "min_reader %u", u.hdr.min_reader);
	/* The reader returns streams sorted by path, then syscall. */
	struct ff_trace sorted;
	sample(&sorted, 5); /* a.log write, then test.txt pwrite64, test.txt write */
	expect_same(&sorted, &u);
	uint8_t *buf2 = encode(&u, &len2);
	cr_expect(len == len2 && !memcmp(buf, buf2, len), "re-encoding a decoded trace changed it (%zu vs %zu bytes)",
		  len, len2);
	free(buf);
	free(buf2);
	ff_trace_free(&t);
	ff_trace_free(&u);
	ff_trace_free(&sorted);
}

Test(trace, roundtrip_outcome_codes_and_flags)
{
	static const int32_t codes[] = {0, 1, -1, 255, INT32_MAX, INT32_MIN, -123456};
	for (size_t i = 0; i < FF_ARRAY_LEN(codes); i++) {
		struct ff_trace t = {0}, u;
		char err[256] = "";
		size_t len;
		t.complete = i & 1;
		t.outcome =
		    (struct ff_outcome){.kind = (uint8_t)(i % 6), .code = codes[i], .verdict = (uint8_t)(i % 4)};
		t.eligible = UINT64_MAX - i;
		t.faults = i;
		t.hdr.seed = UINT64_MAX;
		t.hdr.rate_q = UINT32_MAX;
		uint8_t *buf = encode(&t, &len);
		int rc = ff_trace_decode(buf, len, &u, err, sizeof(err));
		cr_assert_eq(rc, 0, "code %d: %s", codes[i], err);
		expect_same(&t, &u);
		free(buf);
		ff_trace_free(&u);
	}
}

Test(trace, encoding_ignores_the_order_streams_were_added_in)
{
	struct ff_trace t;
	size_t len0, len;
	sample(&t, 0);
	uint8_t *ref = encode(&t, &len0);
	/* Encoding sorts an index; t itself must keep its order. */
	expect_str_eq("first stream after encode", t.streams[0].path, "test.txt");
	expect_str_eq("first stream after encode", t.streams[0].sc, "write");
	ff_trace_free(&t);
	for (int p = 1; p < 6; p++) {
		sample(&t, p);
		uint8_t *buf = encode(&t, &len);
		size_t diff = 0;
		while (diff < len && diff < len0 && buf[diff] == ref[diff])
			diff++;
		cr_expect(len == len0 && diff == len, "order %d: %zu bytes vs %zu, first difference at %zu", p, len,
			  len0, diff);
		free(buf);
		ff_trace_free(&t);
	}
	free(ref);
}

/* The example of docs/trace-format.md, byte for byte: a change to the
 * format must change the spec too. */
Test(trace, encoding_matches_the_spec_example)
{
	static const uint8_t want[] = {
	    0x46, 0x49, 0x46, 0x55, 0x5a, 0x5a, 0x1a, 0x54, 0x04, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x07, 0x00,
	    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x0e, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
	    0x00, 0x0a, 0x00, 0x00, 0x02, 0x05, 0x1c, 0x01, 0x05, 0x2a, 0x2e, 0x74, 0x78, 0x74, 0x01, 0x05, 0x77, 0x72,
	    0x69, 0x74, 0x65, 0x02, 0x06, 0x2e, 0x2f, 0x70, 0x72, 0x6f, 0x67, 0x03, 0x61, 0x72, 0x67, 0x00, 0x01, 0x05,
	    0x77, 0x72, 0x69, 0x74, 0x65, 0x08, 0x74, 0x65, 0x73, 0x74, 0x2e, 0x74, 0x78, 0x74, 0x04, 0x03, 0x05, 0x09,
	    0x10, 0x01, 0x00, 0x03, 0x10, 0x02, 0x05, 0x00, 0x10, 0x00, 0xe8, 0x07, 0x3b, 0xf6, 0x3f, 0xaa, 0x01, 0x01,
	    0x00, 0x00, 0xeb, 0x07, 0x03, 0x3c, 0xf7, 0x2f, 0x35, 0x2f, 0x02, 0xe2, 0x3e,
	};
	struct ff_trace t = {0};
	size_t len;
	t.hdr.prng = FF_PRNG_XXH3_SITE;
	t.hdr.seed = 7;
	t.hdr.rate_q = 1u << 31;
	t.hdr.fault_mask = MASK_SET;
	t.hdr.fdkind_mask = 1u << FF_FD_FILE;
	t.hdr.max_faults = 10;
	t.hdr.nerrnos = 2;
	t.hdr.errnos = errnov(2, ENOSPC, EIO);
	t.hdr.nglobs = 1;
	t.hdr.globs = strv(1, "*.txt");
	t.hdr.nsyscalls = 1;
	t.hdr.syscalls = strv(1, "write");
	t.hdr.argc = 2;
	t.hdr.argv = strv(2, "./prog", "arg");
	fill_write_test(ff_trace_add_stream(&t, "write", "test.txt"));
	t.complete = 1;
	t.outcome.kind = FF_OUT_EXITED;
	t.eligible = 1003;
	t.faults = 3;
	uint8_t *buf = encode(&t, &len);
	size_t diff = 0;
	while (diff < len && diff < sizeof(want) && buf[diff] == want[diff])
		diff++;
	cr_expect(len == sizeof(want) && diff == len, "%zu bytes (spec: %zu), first difference at offset %zu", len,
		  sizeof(want), diff);

	free(buf);
	ff_trace_free(&t);
}

Test(trace, encode_refuses_what_the_reader_would_refuse)
{
	struct ff_trace t = {0};
	uint8_t *buf = NULL;
	size_t len;
	struct ff_stream *s = ff_trace_add_stream(&t, "write", "f");
	ff_stream_add(s, FF_TORN, EIO, 16, 16); /* n == len */
	int rc = ff_trace_encode(&t, &buf, &len);
	cr_expect_eq(rc, -EINVAL, "torn with n == len: rc %d", rc);
	ff_trace_free(&t);

	ff_trace_add_stream(&t, "write", "f");
	ff_trace_add_stream(&t, "write", "f");
	rc = ff_trace_encode(&t, &buf, &len);
	cr_expect_eq(rc, -EINVAL, "two streams for one site: rc %d", rc);
	ff_trace_free(&t);

	char *big = ff_xmalloc(FF_TRACE_MAX_STR + 2);
	memset(big, 'x', FF_TRACE_MAX_STR + 1);
	big[FF_TRACE_MAX_STR + 1] = 0;
	ff_trace_add_stream(&t, "write", big);
	rc = ff_trace_encode(&t, &buf, &len);
	cr_expect_eq(rc, -ENAMETOOLONG, "a path of %d bytes: rc %d", FF_TRACE_MAX_STR + 1, rc);
	ff_trace_free(&t);

	t.hdr.nglobs = 1;
	t.hdr.globs = strv(1, big);
	rc = ff_trace_encode(&t, &buf, &len);
	cr_expect_eq(rc, -ENAMETOOLONG, "a glob of %d bytes: rc %d", FF_TRACE_MAX_STR + 1, rc);
	ff_trace_free(&t);
	free(big);

	t.hdr.nglobs = 2;
	t.hdr.globs = strv(2, "*.db", "");
	rc = ff_trace_encode(&t, &buf, &len);
	cr_expect_eq(rc, -EINVAL, "an empty glob: rc %d", rc);
	ff_trace_free(&t);

	t.hdr.profile = 2;
	rc = ff_trace_encode(&t, &buf, &len);
	cr_expect_eq(rc, -EINVAL, "profile 2: rc %d", rc);

	static const uint16_t bad_errnos[] = {0, 4096, UINT16_MAX};
	for (size_t i = 0; i < FF_ARRAY_LEN(bad_errnos); i++) {
		t = (struct ff_trace){0};
		t.hdr.nerrnos = 2;
		t.hdr.errnos = errnov(2, EIO, bad_errnos[i]);
		rc = ff_trace_encode(&t, &buf, &len);
		cr_expect_eq(rc, -EINVAL, "errno %u in the --errno set: rc %d", bad_errnos[i], rc);
		ff_trace_free(&t);
	}
}

Test(trace, writer_sorts_the_errno_set_and_drops_repeats)
{
	struct ff_trace t = {0}, u;
	char err[256] = "";
	size_t len;
	t.hdr.nerrnos = 5;
	t.hdr.errnos = errnov(5, ENOSPC, EIO, EDQUOT, EIO, 4095);
	uint8_t *buf = encode(&t, &len);
	int rc = ff_trace_decode(buf, len, &u, err, sizeof(err));
	cr_assert_eq(rc, 0, "decode: %s", err);
	cr_assert_eq(u.hdr.nerrnos, 4, "nerrnos %u, want 4", u.hdr.nerrnos);
	static const uint16_t want[] = {EIO, ENOSPC, EDQUOT, 4095};
	for (uint32_t i = 0; i < 4; i++)
		cr_expect_eq(u.hdr.errnos[i], want[i], "errno %u is %u, want %u", i, u.hdr.errnos[i], want[i]);
	cr_expect_eq(t.hdr.errnos[0], ENOSPC, "the writer sorted the caller's array");
	free(buf);
	ff_trace_free(&t);
	ff_trace_free(&u);
}

/* A trace whose selection is profile 0, errnos {5, 28}, globs {"a"}:
 * nerrnos at OFF_NERRNOS, the errnos after it, then nglobs and the glob. */
static uint8_t *selection_trace(size_t *len)
{
	struct ff_trace t = {0};
	t.hdr.nerrnos = 2;
	t.hdr.errnos = errnov(2, 5, 28);
	t.hdr.nglobs = 1;
	t.hdr.globs = strv(1, "a");
	uint8_t *buf = encode(&t, len);
	ff_trace_free(&t);
	static const uint8_t want[] = {2, 5, 28, 1, 1, 'a', 0, 0, 0, 0};
	cr_assert(!memcmp(buf + OFF_NERRNOS, want, sizeof(want)), "unexpected layout of the selection trace");
	return buf;
}

Test(trace, selection_constraints_are_enforced)
{
	size_t len, len2;
	uint8_t *buf = selection_trace(&len);
	const size_t glob = OFF_NERRNOS + 4; /* the glob's length byte */
	static const struct {
		size_t off;
		uint8_t v;
		const char *what, *want;
	} cases[] = {
	    {OFF_PROFILE, 2, "profile 2", "unknown profile 2"},
	    {OFF_PROFILE, 0xff, "profile 255", "unknown profile 255"},
	    {OFF_NERRNOS + 2, 5, "a repeated errno", "not strictly increasing"},
	    {OFF_NERRNOS + 1, 29, "unsorted errnos", "not strictly increasing"},
	    {OFF_NERRNOS + 1, 0, "errno 0", "errno 0 in the --errno set is outside 1..4095"},
	    {OFF_NERRNOS + 4, 0, "an empty glob", "empty string among the path globs"},
	};
	for (size_t i = 0; i < FF_ARRAY_LEN(cases); i++) {
		uint8_t *b = ff_xmalloc(len);
		size_t blen = len;
		memcpy(b, buf, len);
		b[cases[i].off] = cases[i].v;
		if (cases[i].off == glob) { /* the glob's text goes too */
			memmove(b + glob + 1, b + glob + 2, len - glob - 2);
			blen--;
		}
		fix_checksum(b, blen);
		expect_reject(b, blen, cases[i].what, cases[i].want);
		free(b);
	}
	/* errno 4096 needs a two-byte varint; it sorts after 5 but is too big. */
	static const uint8_t e4096[] = {0x80, 0x20};
	uint8_t *b = splice(buf, len, OFF_NERRNOS + 2, 1, e4096, sizeof(e4096), &len2);
	fix_checksum(b, len2);
	expect_reject(b, len2, "errno 4096", "errno 4096 in the --errno set is outside 1..4095");
	free(b);
	free(buf);
}

Test(trace, million_passes_take_a_handful_of_bytes)
{
	struct ff_trace t = {0};
	size_t empty_len, len;
	ff_trace_add_stream(&t, "write", "big.bin");
	uint8_t *empty = encode(&t, &empty_len);
	for (int i = 0; i < 1000000; i++)
		ff_stream_add(&t.streams[0], FF_PASS, 0, 0, 4096);
	uint8_t *buf = encode(&t, &len);
	size_t used = len - empty_len;
	cr_log_info("a pass run of 1,000,000 calls takes %zu bytes (trace %zu bytes)", used, len);
	printf("trace: a pass run of 1,000,000 calls takes %zu bytes\n", used);
	cr_expect_eq(t.streams[0].nitems, 1, "the run became %zu items", t.streams[0].nitems);
	cr_expect_leq(used, 10, "a pass run of 1,000,000 calls takes %zu bytes", used);
	free(empty);
	free(buf);
	ff_trace_free(&t);
}

/* ---- rejection ---- */

Test(trace, truncation_at_every_offset_is_rejected)
{
	struct ff_trace t;
	size_t len;
	sample(&t, 0);
	uint8_t *buf = encode(&t, &len);
	for (size_t k = 0; k < len; k++) {
		/* A copy of exactly k bytes, so a sanitizer sees any overread. */
		uint8_t *cut = ff_xmalloc(k);
		memcpy(cut, buf, k);
		char what[64];
		snprintf(what, sizeof(what), "cut at %zu of %zu", k, len);
		expect_reject(cut, k, what, NULL);
		free(cut);
	}
	free(buf);
	ff_trace_free(&t);
}

Test(trace, every_byte_flip_is_rejected)
{
	static const uint8_t masks[] = {0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0xff};
	struct ff_trace t;
	size_t len, accepted = 0;
	sample(&t, 0);
	uint8_t *buf = encode(&t, &len);
	for (size_t off = 0; off < len; off++) {
		for (size_t m = 0; m < FF_ARRAY_LEN(masks); m++) {
			struct ff_trace u;
			char err[256] = "";
			buf[off] ^= masks[m];
			int rc = ff_trace_decode(buf, len, &u, err, sizeof(err));
			buf[off] ^= masks[m];
			if (rc == 0) {
				accepted++;
				cr_log_error("flip %#x at offset %zu was accepted", masks[m], off);
				ff_trace_free(&u);
			} else {
				cr_expect(err[0], "flip %#x at %zu: rc %d, no message", masks[m], off, rc);
			}
		}
	}
	cr_expect_eq(accepted, 0, "%zu of %zu flips were accepted", accepted, len * FF_ARRAY_LEN(masks));
	free(buf);
	ff_trace_free(&t);
}

Test(trace, wrong_magic_is_rejected)
{
	size_t len;
	uint8_t *buf = empty_trace(&len);
	buf[0] = 'G';
	expect_reject(buf, len, "first byte changed", "not a fifuzz trace (bad magic)");
	const char *text = "hello, this is a text file and not a trace at all\n";
	expect_reject((const uint8_t *)text, strlen(text), "text file", "bad magic");
	expect_reject((const uint8_t *)"FIF", 3, "magic prefix", "truncated trace");
	expect_reject((const uint8_t *)"", 0, "empty file", "empty");
	free(buf);
}

Test(trace, newer_format_is_rejected_naming_the_version)
{
	size_t len;
	uint8_t *buf = empty_trace(&len);
	/* Version checks come before the checksum: no fix_checksum here. */
	buf[8] = 5;
	buf[10] = 5;
	int rc = expect_reject(buf, len, "format 5", "trace format 5 needs a newer fifuzz (this one reads format 4)");
	cr_expect_eq(rc, -EPROTONOSUPPORT, "rc %d", rc);
	buf[8] = 6;
	buf[10] = 5;
	expect_reject(buf, len, "format 6 readable by 5", "one that reads format 5");
	buf[8] = 1;
	buf[10] = 0;
	fix_checksum(buf, len);
	expect_reject(buf, len, "min_reader 0", "oldest reader");
	free(buf);
}

Test(trace, newer_format_with_old_min_reader_is_read_skipping_the_extension)
{
	struct ff_trace t, u;
	size_t len, len2;
	char err[256] = "";
	memset(&t, 0, sizeof(t));
	t.hdr.seed = 99;
	t.complete = 1;
	t.outcome.kind = FF_OUT_EXITED;
	ff_stream_add(ff_trace_add_stream(&t, "write", "x"), FF_PASS, 0, 0, 1);
	uint8_t *buf = encode(&t, &len);
	/* A v5 writer's extension: format 2's fields (power loss off: all 0),
	 * format 3's profile (posix) and changes (none), format 4's site mode
	 * (path), depth and contexts (none), then three bytes of its own, which
	 * this reader skips. */
	static const uint8_t ext[] = {26, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	   0,	 0,   0,
				      0,  0, 0, 0, 0, 0, 0, 0, 0, 0, 0xaa, 0xbb, 0xcc};
	uint8_t *v2 = splice(buf, len, OFF_EXTLEN, 1, ext, sizeof(ext), &len2);
	v2[8] = 5;
	fix_checksum(v2, len2);
	int rc = ff_trace_decode(v2, len2, &u, err, sizeof(err));
	cr_assert_eq(rc, 0, "a v5 trace with min_reader 1 was refused: %s", err);
	cr_expect_eq(u.hdr.version, 5, "version %u", u.hdr.version);
	expect_same(&t, &u);
	free(buf);
	free(v2);
	ff_trace_free(&t);
	ff_trace_free(&u);
}

/* Caps the address space so a count-driven allocation would fail loudly
 * (ff_xmalloc aborts) instead of quietly reserving gigabytes. Sanitizers
 * reserve terabytes of shadow memory, so there we rely on the messages. */
static void cap_memory(void)
{
#if defined(__SANITIZE_ADDRESS__)
	return;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
	return;
#endif
#endif
	unsigned long pages = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (!f || fscanf(f, "%lu", &pages) != 1) {
		if (f)
			fclose(f);
		return;
	}
	fclose(f);
	struct rlimit rl;
	getrlimit(RLIMIT_AS, &rl);
	rlim_t cap = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + (256u << 20);
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > cap) {
		rl.rlim_cur = cap;
		setrlimit(RLIMIT_AS, &rl);
	}
}

/* Replaces the byte at off with a varint v, fixes the checksum and expects
 * a rejection. */
static void hostile_varint(const uint8_t *buf, size_t len, size_t off, uint64_t v, const char *what, const char *want)
{
	uint8_t vb[10];
	size_t n = ff_varint_put(vb, v), len2;
	uint8_t *b = splice(buf, len, off, 1, vb, n, &len2);
	fix_checksum(b, len2);
	expect_reject(b, len2, what, want);
	free(b);
}

Test(trace, hostile_counts_are_rejected_without_allocating)
{
	size_t len, len1;
	uint8_t *buf = empty_trace(&len);
	uint8_t *one = one_item_trace(&len1);
	cap_memory();
	hostile_varint(buf, len, OFF_NSTREAMS, 1ull << 60, "nstreams 2^60", "streams cannot fit");
	hostile_varint(buf, len, OFF_NSTREAMS, 1ull << 26, "nstreams 2^26", "streams cannot fit");
	hostile_varint(buf, len, OFF_NERRNOS, 1ull << 60, "nerrnos 2^60", "errnos cannot fit");
	hostile_varint(buf, len, OFF_NERRNOS, 1ull << 32, "nerrnos 2^32", "errnos cannot fit");
	hostile_varint(buf, len, OFF_NGLOBS, 1ull << 40, "nglobs 2^40", "path globs cannot fit");
	/* A glob takes two bytes: the ten bytes left hold five, not six. */
	hostile_varint(buf, len, OFF_NGLOBS, 6, "nglobs 6", "6 path globs cannot fit in the 10 bytes");
	hostile_varint(buf, len, OFF_NSYSCALLS, 1ull << 60, "nsyscalls 2^60", "syscall names cannot fit");
	hostile_varint(buf, len, OFF_NSYSCALLS, 1ull << 32, "nsyscalls 2^32", "cannot fit");
	hostile_varint(buf, len, OFF_ARGC, 1ull << 40, "argc 2^40", "arguments cannot fit");
	hostile_varint(buf, len, OFF_EXTLEN, 1ull << 60, "extlen 2^60", "truncated");
	hostile_varint(one, len1, OFF_NITEMS, 1ull << 60, "nitems 2^60", "items cannot fit");
	hostile_varint(one, len1, OFF_NITEMS, 1ull << 24, "nitems 2^24", "items cannot fit");
	hostile_varint(one, len1, OFF_SC, 1ull << 60, "string length 2^60", "limit is 4096");
	hostile_varint(one, len1, OFF_SC, FF_TRACE_MAX_STR + 1, "string length 4097", "limit is 4096");
	hostile_varint(one, len1, OFF_SC, 20, "string longer than the file", "truncated");
	/* Eleven continuation bytes: no 64-bit number. */
	static const uint8_t overlong[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
	size_t len2;
	uint8_t *b = splice(buf, len, OFF_NSTREAMS, 1, overlong, sizeof(overlong), &len2);
	fix_checksum(b, len2);
	expect_reject(b, len2, "overlong varint", "more than 64 bits");
	free(b);
	/* nstreams 0 written as 0x80 0x00: one trace, one encoding. */
	static const uint8_t padded[] = {0x80, 0x00};
	b = splice(buf, len, OFF_NSTREAMS, 1, padded, sizeof(padded), &len2);
	fix_checksum(b, len2);
	expect_reject(b, len2, "padded varint", "not minimally encoded");
	free(b);
	free(buf);
	free(one);
}

/* A large file whose counts fit the bytes left can still ask for more
 * memory than the file is worth (48 bytes per 3-byte stream): the reader
 * refuses past FF_TRACE_MAX_MEM instead of allocating (before, a 256 MiB
 * trace aborted with "out of memory" under a 3 GB address-space limit). */
Test(trace, a_count_too_costly_in_memory_is_rejected_without_allocating)
{
	size_t elen, len = 72u << 20;
	uint8_t *e = empty_trace(&elen);
	uint8_t *b = calloc(len, 1);
	cr_assert(b);
	memcpy(b, e, OFF_NSTREAMS);
	size_t n = ff_varint_put(b + OFF_NSTREAMS, (len - OFF_NSTREAMS - 8 - 5) / 3);
	cr_assert_eq(n, 4);
	fix_checksum(b, len);
	cap_memory();
	expect_reject(b, len, "nstreams of 24M", "more than 1024 MiB of memory");
	free(b);
	free(e);
}

/* Patches the one-item trace's item (kind, err, n, len). */
static int decode_item(const uint8_t *base, size_t len, uint8_t kind, uint8_t err, uint8_t n, uint8_t ilen, char *msg,
		       size_t msglen)
{
	struct ff_trace t;
	uint8_t *b = ff_xmalloc(len);
	memcpy(b, base, len);
	b[OFF_ITEM] = kind, b[OFF_ITEM + 1] = err, b[OFF_ITEM + 2] = n, b[OFF_ITEM + 3] = ilen;
	fix_checksum(b, len);
	int rc = ff_trace_decode(b, len, &t, msg, msglen);
	ff_trace_free(&t);
	free(b);
	return rc;
}

/* Encodes a trace of one item, set field by field (ff_stream_add would
 * assert on an unknown kind). Returns what ff_trace_encode returned. */
static int encode_item(uint8_t kind, uint16_t err, uint64_t n, uint64_t ilen)
{
	struct ff_trace t = {0};
	uint8_t *buf = NULL;
	size_t len;
	struct ff_stream *s = ff_trace_add_stream(&t, "w", "p");
	ff_stream_add(s, FF_ERROR, EIO, 0, 1);
	s->items[0] = (struct ff_item){.kind = kind, .err = err, .count = 1, .n = n, .len = ilen};
	int rc = ff_trace_encode(&t, &buf, &len);
	free(buf);
	ff_trace_free(&t);
	return rc;
}

Test(trace, item_constraints_are_enforced)
{
	static const struct {
		uint8_t kind, err, n, len;
		int ok;
		const char *what, *want;
	} cases[] = {
	    {FF_ERROR, 5, 0, 10, 1, "error EIO", NULL},
	    {FF_ERROR, 5, 0, 0, 1, "error EIO on a call without a length", NULL},
	    {FF_SHORT, 0, 3, 10, 1, "short 3 of 10", NULL},
	    {FF_TORN, 5, 9, 10, 1, "torn 9 of 10", NULL},
	    {FF_EINTR, EINTR, 0, 10, 1, "eintr", NULL},
	    {FF_EINTR, EINTR, 0, 0, 1, "eintr without a length", NULL},
	    {FF_EAGAIN, EAGAIN, 0, 10, 1, "eagain", NULL},
	    {FF_FSYNC, EIO, 0, 0, 1, "fsync EIO", NULL},
	    {FF_FSYNC, ENOSPC, 0, 7, 1, "fsync ENOSPC with a length", NULL},
	    {9, 5, 0, 10, 0, "kind 9", "unknown item kind 9"},
	    {0xff, 5, 0, 10, 0, "kind 255", "unknown item kind 255"},
	    {FF_SHORT, 5, 3, 10, 0, "short with an errno", "short write with an errno"},
	    {FF_SHORT, 0, 0, 10, 0, "short 0", "0 < n < len"},
	    {FF_SHORT, 0, 10, 10, 0, "short n == len", "0 < n < len"},
	    {FF_SHORT, 0, 11, 10, 0, "short n > len", "0 < n < len"},
	    {FF_SHORT, 0, 0, 0, 0, "short without a length", "0 < n < len"},
	    {FF_ERROR, 0, 0, 10, 0, "error with errno 0", "errno outside"},
	    {FF_ERROR, 5, 3, 10, 0, "error that writes bytes", "n != 0"},
	    {FF_TORN, 0, 3, 10, 0, "torn with errno 0", "errno outside"},
	    {FF_TORN, 5, 0, 10, 0, "torn 0", "0 < n < len"},
	    {FF_TORN, 5, 10, 10, 0, "torn n == len", "0 < n < len"},
	    {FF_TORN, 5, 0, 0, 0, "torn without a length", "0 < n < len"},
	    {FF_EINTR, EIO, 0, 10, 0, "eintr with EIO", "not EINTR"},
	    {FF_EINTR, 0, 0, 10, 0, "eintr with errno 0", "not EINTR"},
	    {FF_EINTR, EINTR, 3, 10, 0, "eintr that writes bytes", "n != 0"},
	    {FF_EAGAIN, EINTR, 0, 10, 0, "eagain with EINTR", "not EAGAIN"},
	    {FF_EAGAIN, EAGAIN, 1, 10, 0, "eagain that writes bytes", "n != 0"},
	    {FF_FSYNC, 0, 0, 0, 0, "fsync with errno 0", "errno outside"},
	    {FF_FSYNC, EIO, 1, 0, 0, "fsync with n 1", "n != 0"},
	    {FF_FSYNC, EIO, 3, 10, 0, "fsync with n 3 of 10", "n != 0"},
	};
	size_t len;
	uint8_t *buf = one_item_trace(&len);
	for (size_t i = 0; i < FF_ARRAY_LEN(cases); i++) {
		char msg[256] = "";
		int rc = decode_item(buf, len, cases[i].kind, cases[i].err, cases[i].n, cases[i].len, msg, sizeof(msg));
		if (cases[i].ok)
			cr_expect_eq(rc, 0, "%s: refused: %s", cases[i].what, msg);
		else
			cr_expect(rc < 0 && strstr(msg, cases[i].want), "%s: rc %d, message '%s' lacks '%s'",
				  cases[i].what, rc, msg, cases[i].want);
		/* The writer agrees. */
		rc = encode_item(cases[i].kind, cases[i].err, cases[i].n, cases[i].len);
		cr_expect_eq(rc, cases[i].ok ? 0 : -EINVAL, "%s: the writer returned %d", cases[i].what, rc);
	}
	cr_expect_eq(encode_item(FF_ERROR, 4096, 0, 1), -EINVAL, "the writer took errno 4096");
	/* errno 4096 needs a two-byte varint. */
	static const uint8_t e4096[] = {0x80, 0x20};
	size_t len2;
	uint8_t *b = splice(buf, len, OFF_ITEM + 1, 1, e4096, sizeof(e4096), &len2);
	fix_checksum(b, len2);
	expect_reject(b, len2, "errno 4096", "errno outside");
	free(b);
	/* A pass run of zero calls. */
	static const uint8_t pass0[] = {FF_PASS, 0, 1, 2, 3, 4};
	b = splice(buf, len, OFF_ITEM, 4, pass0, sizeof(pass0), &len2);
	fix_checksum(b, len2);
	expect_reject(b, len2, "pass run of 0", "empty pass run");
	free(b);
	free(buf);
}

Test(trace, call_count_overflow_is_rejected)
{
	struct ff_trace t = {0};
	size_t len, len2;
	struct ff_stream *s = ff_trace_add_stream(&t, "w", "p");
	ff_stream_add(s, FF_PASS, 0, 0, 1);
	ff_stream_add(s, FF_ERROR, EIO, 0, 1);
	uint8_t *buf = encode(&t, &len);
	/* The pass run's count (1) becomes 2^64-1; the error adds one. */
	uint8_t vb[10];
	size_t n = ff_varint_put(vb, UINT64_MAX);
	cr_assert(buf[OFF_NITEMS] == 2 && buf[OFF_ITEM] == FF_PASS && buf[OFF_ITEM + 1] == 1, "layout changed");
	uint8_t *b = splice(buf, len, OFF_ITEM + 1, 1, vb, n, &len2);
	fix_checksum(b, len2);
	expect_reject(b, len2, "calls overflow", "overflows");
	free(b);
	free(buf);
	ff_trace_free(&t);
}

Test(trace, streams_must_be_sorted_and_unique)
{
	struct ff_trace t = {0};
	size_t len;
	ff_trace_add_stream(&t, "w", "a");
	ff_trace_add_stream(&t, "w", "b");
	uint8_t *buf = encode(&t, &len);
	/* Each stream is "w", a one-letter path and nitems 0: five bytes. */
	const size_t pa = OFF_PATH + 1, pb = pa + 5;
	cr_assert(buf[pa] == 'a' && buf[pb] == 'b', "layout changed");
	buf[pb] = 'a';
	fix_checksum(buf, len);
	expect_reject(buf, len, "duplicate site", "out of order or repeats");
	buf[pa] = 'c';
	fix_checksum(buf, len);
	expect_reject(buf, len, "unsorted", "out of order");
	buf[pa] = 0;
	fix_checksum(buf, len);
	expect_reject(buf, len, "NUL in a path", "NUL");
	free(buf);
	ff_trace_free(&t);
}

Test(trace, footer_fields_are_checked)
{
	size_t len, len2;
	uint8_t *buf = empty_trace(&len);
	/* The footer: complete, outcome, code, verdict, eligible, faults. */
	static const struct {
		size_t off;
		uint8_t v;
		const char *want;
	} cases[] = {{OFF_FOOTER, 2, "completion flag"},
		     {OFF_FOOTER + 1, FF_OUT_LAST + 1, "unknown outcome"},
		     {OFF_FOOTER + 3, FF_V_LAST + 1, "unknown verdict"}};
	for (size_t i = 0; i < FF_ARRAY_LEN(cases); i++) {
		uint8_t *b = ff_xmalloc(len);
		memcpy(b, buf, len);
		b[cases[i].off] = cases[i].v;
		fix_checksum(b, len);
		expect_reject(b, len, cases[i].want, cases[i].want);
		free(b);
	}
	hostile_varint(buf, len, OFF_FOOTER + 2, 1ull << 32, "code 2^32", "code out of range");
	static const uint8_t extra[] = {0, 0};
	uint8_t *b = splice(buf, len, len - 8, 0, extra, sizeof(extra), &len2);
	fix_checksum(b, len2);
	expect_reject(b, len2, "trailing bytes", "2 unexpected bytes after the footer");
	free(b);
	free(buf);
}

Test(trace, checksum_mismatch_message)
{
	size_t len;
	uint8_t *buf = empty_trace(&len);
	buf[len - 1] ^= 1;
	expect_reject(buf, len, "checksum byte", "checksum mismatch: the trace is corrupt");
	free(buf);
}

/* ---- files ---- */

static int count_entries(const char *dir, char *names, size_t namelen)
{
	DIR *d = opendir(dir);
	int n = 0;
	names[0] = 0;
	cr_assert(d, "opendir %s: %s", dir, strerror(errno));
	for (struct dirent *e; (e = readdir(d));) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		n++;
		strncat(names, e->d_name, namelen - strlen(names) - 2);
		strcat(names, " ");
	}
	closedir(d);
	return n;
}

static void rm_dir(const char *dir)
{
	DIR *d = opendir(dir);
	char p[512];
	for (struct dirent *e; d && (e = readdir(d));) {
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlink(p);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

/* The test's directory, removed by .fini even when an assertion fails. */
static char dir[] = "/tmp/fifuzz-trace-XXXXXX";

static void rm_test_dir(void)
{
	if (!strstr(dir, "XXXXXX"))
		rm_dir(dir);
	memcpy(dir + sizeof(dir) - 7, "XXXXXX", 6); /* ready for the next test */
}

Test(trace, write_is_atomic_and_reads_back, .fini = rm_test_dir)
{
	char path[64], names[512], err[256] = "";
	struct ff_trace t, u;
	cr_assert(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
	snprintf(path, sizeof(path), "%s/run.trace", dir);
	sample(&t, 2);
	int rc = ff_trace_write(path, &t);
	cr_assert_eq(rc, 0, "ff_trace_write: %s", strerror(-rc));
	int n = count_entries(dir, names, sizeof(names));
	cr_expect_eq(n, 1, "the directory holds %d entries: %s", n, names);
	rc = ff_trace_read(path, &u, err, sizeof(err));
	cr_assert_eq(rc, 0, "ff_trace_read: %s", err);
	struct ff_trace sorted;
	sample(&sorted, 5);
	expect_same(&sorted, &u);
	ff_trace_free(&u);
	struct stat st;
	stat(path, &st);
	mode_t um = umask(0);
	umask(um);
	cr_expect_eq(st.st_mode & 0777, 0666 & ~um, "mode %o, want %o", st.st_mode & 0777, 0666 & ~um);

	/* A write that fails midway (file size limit) leaves the old trace
	 * intact and no temporary file behind. */
	struct ff_trace big = {0};
	struct ff_stream *s = ff_trace_add_stream(&big, "write", "x");
	for (int i = 0; i < 100; i++)
		ff_stream_add(s, i % 2 ? FF_PASS : FF_ERROR, EIO, 0, 100);
	signal(SIGXFSZ, SIG_IGN);
	struct rlimit old, lim;
	getrlimit(RLIMIT_FSIZE, &old);
	lim = old;
	lim.rlim_cur = 64;
	setrlimit(RLIMIT_FSIZE, &lim);
	rc = ff_trace_write(path, &big);
	setrlimit(RLIMIT_FSIZE, &old);
	cr_expect_eq(rc, -EFBIG, "a write over the size limit returned %d (%s)", rc, strerror(-rc));
	n = count_entries(dir, names, sizeof(names));
	cr_expect_eq(n, 1, "after a failed write the directory holds %d entries: %s", n, names);
	rc = ff_trace_read(path, &u, err, sizeof(err));
	cr_assert_eq(rc, 0, "the old trace no longer reads: %s", err);
	expect_same(&sorted, &u);
	ff_trace_free(&u);

	/* Overwriting works and still leaves one file. */
	rc = ff_trace_write(path, &big);
	cr_expect_eq(rc, 0, "overwrite: %s", strerror(-rc));
	n = count_entries(dir, names, sizeof(names));
	cr_expect_eq(n, 1, "after an overwrite the directory holds %d entries: %s", n, names);
	rc = ff_trace_read(path, &u, err, sizeof(err));
	cr_expect_eq(rc, 0, "the overwritten trace does not read: %s", err);
	cr_expect_eq(u.nstreams, 1, "nstreams %zu", u.nstreams);
	ff_trace_free(&u);

	char missing[128];
	snprintf(missing, sizeof(missing), "%s/no/such/dir.trace", dir);
	rc = ff_trace_write(missing, &t);
	cr_expect_eq(rc, -ENOENT, "writing into a missing directory: %d", rc);

	ff_trace_free(&big);
	ff_trace_free(&t);
	ff_trace_free(&sorted);
}

Test(trace, read_reports_file_errors, .fini = rm_test_dir)
{
	char path[64], err[256] = "";
	struct ff_trace t;
	cr_assert(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
	snprintf(path, sizeof(path), "%s/missing.trace", dir);
	int rc = ff_trace_read(path, &t, err, sizeof(err));
	cr_expect(rc == -ENOENT && strstr(err, "cannot read") && strstr(err, "No such file"), "missing: %d '%s'", rc,
		  err);
	rc = ff_trace_read(dir, &t, err, sizeof(err));
	cr_expect(rc < 0 && strstr(err, "not a regular file"), "directory: %d '%s'", rc, err);
	FILE *f = fopen(path, "w");
	fputs("not a trace at all, just text\n", f);
	fclose(f);
	rc = ff_trace_read(path, &t, err, sizeof(err));
	cr_expect(rc < 0 && strstr(err, path) && strstr(err, "bad magic"), "text file: %d '%s'", rc, err);
	cr_expect(t.nstreams == 0 && t.streams == NULL, "the trace was not left empty");
}

/* ---- show and JSON ---- */

struct show_args {
	const struct ff_trace *t;
	const char *name;
	int json;
};

static void do_show(FILE *f, void *arg)
{
	struct show_args *a = arg;
	int rc = ff_show(a->t, a->name, f, a->json);
	cr_expect_eq(rc, 0, "ff_show returned %d", rc);
}

/* The example of the docs: one stream, every kind. */
static void doc_example(struct ff_trace *t)
{
	memset(t, 0, sizeof(*t));
	set_header(t);
	t->hdr.version = FF_TRACE_VERSION;
	fill_write_test(ff_trace_add_stream(t, "write", "test.txt"));
	t->complete = 1;
	t->outcome = (struct ff_outcome){.kind = FF_OUT_EXITED, .code = 0, .verdict = FF_V_PASS};
	t->eligible = 1003;
	t->faults = 3;
}

Test(trace, show_text)
{
	struct ff_trace t;
	doc_example(&t);
	struct show_args a = {&t, "t.trace", 0};
	char *out = capture(do_show, &a);
	const char *want = "trace: t.trace (format 4, complete)\n"
			   "seed: 7  prng: xxh3-site  rate: 0.5\n"
			   "syscalls: write,pwrite64  faults: short,error,torn  fd kinds: file  flags: "
			   "include-stdio,include-startup,no-seccomp\n"
			   "selection: profile all  errnos: EIO,ENOSPC  paths: *.txt,log/*  after: 5  only: 17  "
			   "max faults: 300\n"
			   "command: ./prog arg\n"
			   "write test.txt #0 (16 bytes): torn 9 + EIO\n"
			   "write test.txt #1 (16 bytes): short 3\n"
			   "write test.txt #2 (16 bytes): error EIO\n"
			   "write test.txt #3-#1002: pass (1000 calls)\n"
			   "outcome: exited 0; verdict: pass; 1003 eligible calls, 3 faults\n";
	cr_expect(!strcmp(out, want), "got:\n%s\nwant:\n%s", out, want);
	free(out);
	ff_trace_free(&t);
}

Test(trace, show_json)
{
	struct ff_trace t;
	doc_example(&t);
	struct show_args a = {&t, "t.trace", 1};
	char *out = capture(do_show, &a);
	const char *want =
	    "{\"trace\":\"t.trace\",\"format\":4,\"complete\":true,\"seed\":7,\"seed_hex\":\"0x7\","
	    "\"prng\":\"xxh3-site\",\"rate\":0.5,\"rate_q\":2147483648,\"syscalls\":[\"write\",\"pwrite64\"],"
	    "\"faults\":[\"short\",\"error\",\"torn\"],\"fd_kinds\":[\"file\"],"
	    "\"flags\":[\"include-stdio\",\"include-startup\",\"no-seccomp\"],\"profile\":\"all\","
	    "\"errnos\":[\"EIO\",\"ENOSPC\"],\"paths\":[\"*.txt\",\"log/*\"],\"after\":5,\"only\":17,"
	    "\"max_faults\":300,\"command\":[\"./prog\",\"arg\"],"
	    "\"streams\":[{\"syscall\":\"write\",\"path\":\"test.txt\",\"items\":["
	    "{\"ordinal\":0,\"kind\":\"torn\",\"len\":16,\"n\":9,\"errno\":\"EIO\"},"
	    "{\"ordinal\":1,\"kind\":\"short\",\"len\":16,\"n\":3},"
	    "{\"ordinal\":2,\"kind\":\"error\",\"len\":16,\"errno\":\"EIO\"},"
	    "{\"ordinal\":3,\"kind\":\"pass\",\"count\":1000}]}],"
	    "\"outcome\":{\"kind\":\"exited\",\"code\":0},\"verdict\":\"pass\",\"eligible\":1003,"
	    "\"faults_injected\":3,\"power_loss\":null}\n";
	cr_expect(!strcmp(out, want), "got:\n%s\nwant:\n%s", out, want);
	free(out);
	ff_trace_free(&t);
}

Test(trace, show_text_escapes_and_outcomes)
{
	struct ff_trace t = {0};
	t.hdr.version = 1;
	t.hdr.prng = 9;
	t.hdr.argc = 5;
	t.hdr.argv = strv(5, "sh", "-c", "echo 'hi' > x", "a\nb\x1b[31m", "");
	ff_stream_add(ff_trace_add_stream(&t, "write", "evil\n\x1b[2J\\name\xff"), FF_PASS, 0, 0, 1);
	t.outcome = (struct ff_outcome){.kind = FF_OUT_SIGNALED, .code = 11, .verdict = FF_V_CRASH};
	t.eligible = 1;
	struct show_args a = {&t, "x.trace", 0};
	char *out = capture(do_show, &a);
	const char *want = "trace: x.trace (format 1, INCOMPLETE: the run did not finish)\n"
			   "seed: 0  prng: unknown(9)  rate: 0\n"
			   "syscalls: none  faults: none  fd kinds: none  flags: none\n"
			   "selection: profile realistic  errnos: any  paths: any  after: 0  only: -  max faults: -\n"
			   "command: sh -c 'echo '\\''hi'\\'' > x' $'a\\nb\\x1b[31m' ''\n"
			   "write evil\\n\\x1b[2J\\\\name\\xff #0: pass (1 call)\n"
			   "outcome: killed by signal 11 (SIGSEGV); verdict: crash; 1 eligible call, 0 faults\n";
	cr_expect(!strcmp(out, want), "got:\n%s\nwant:\n%s", out, want);
	for (const char *p = out; *p; p++)
		cr_expect((unsigned char)*p >= 0x20 || *p == '\n', "control byte %#x in the output", *p);
	free(out);

	static const struct {
		struct ff_outcome o;
		const char *want;
	} outs[] = {
	    {{FF_OUT_NONE, 0, FF_V_UNKNOWN}, "outcome: none (the run did not finish); verdict: unknown"},
	    {{FF_OUT_HANG, 0, FF_V_HANG}, "outcome: hang; verdict: hang"},
	    {{FF_OUT_INTERRUPTED, 15, FF_V_UNKNOWN}, "outcome: interrupted by signal 15 (SIGTERM); verdict: unknown"},
	    {{FF_OUT_EXITED, 3, FF_V_PASS}, "outcome: exited 3; verdict: pass"},
	};
	for (size_t i = 0; i < FF_ARRAY_LEN(outs); i++) {
		t.outcome = outs[i].o;
		out = capture(do_show, &a);
		cr_expect(strstr(out, outs[i].want), "outcome %zu: want '%s' in:\n%s", i, outs[i].want, out);
		free(out);
	}
	ff_trace_free(&t);
}

/* The new kinds, unknown errnos, a glob that must be escaped, and calls
 * without a length (no "(0 bytes)"). */
Test(trace, show_error_like_kinds_and_selection)
{
	struct ff_trace t = {0};
	t.hdr.version = 1;
	t.hdr.nerrnos = 2;
	t.hdr.errnos = errnov(2, EIO, 4000);
	t.hdr.nglobs = 2;
	t.hdr.globs = strv(2, "\x1b[2J*", "a\\b");
	t.hdr.max_faults = 1;
	t.hdr.only = 3;
	struct ff_stream *s = ff_trace_add_stream(&t, "fsync", "data.db");
	ff_stream_add(s, FF_PASS, 0, 0, 0);
	ff_stream_add(s, FF_FSYNC, EIO, 0, 0);
	s = ff_trace_add_stream(&t, "read", "pipe:[1]");
	ff_stream_add(s, FF_EINTR, EINTR, 0, 4096);
	ff_stream_add(s, FF_EAGAIN, EAGAIN, 0, 1);
	ff_stream_add(s, FF_ERROR, ENOENT, 0, 0);
	struct show_args a = {&t, "k.trace", 0};
	char *out = capture(do_show, &a);
	const char *want = "selection: profile realistic  errnos: EIO,errno 4000  paths: \\x1b[2J*,a\\\\b  after: 0  "
			   "only: 3  max faults: 1\n"
			   "command: (none)\n"
			   "fsync data.db #0: pass (1 call)\n"
			   "fsync data.db #1: fsync EIO\n"
			   "read pipe:[1] #0 (4096 bytes): eintr\n"
			   "read pipe:[1] #1 (1 byte): eagain\n"
			   "read pipe:[1] #2: error ENOENT\n";
	cr_expect(strstr(out, want), "got:\n%s\nwant inside:\n%s", out, want);
	free(out);
	a.json = 1;
	out = capture(do_show, &a);
	const char *jwant[] = {
	    "\"profile\":\"realistic\",\"errnos\":[\"EIO\",\"unknown(4000)\"],"
	    "\"paths\":[\"\\u001b[2J*\",\"a\\\\b\"],\"after\":0,\"only\":3,\"max_faults\":1,",
	    "{\"ordinal\":1,\"kind\":\"fsync\",\"len\":0,\"errno\":\"EIO\"}",
	    "{\"ordinal\":0,\"kind\":\"eintr\",\"len\":4096,\"errno\":\"EINTR\"}",
	    "{\"ordinal\":1,\"kind\":\"eagain\",\"len\":1,\"errno\":\"EAGAIN\"}",
	    "{\"ordinal\":2,\"kind\":\"error\",\"len\":0,\"errno\":\"ENOENT\"}",
	};
	for (size_t i = 0; i < FF_ARRAY_LEN(jwant); i++)
		cr_expect(strstr(out, jwant[i]), "JSON lacks %s:\n%s", jwant[i], out);
	free(out);
	/* Empty selection: empty arrays, null for "off" and "no limit". */
	ff_trace_free(&t);
	t.hdr.version = 1;
	out = capture(do_show, &a);
	const char *empty = "\"profile\":\"realistic\",\"errnos\":[],\"paths\":[],\"after\":0,\"only\":null,"
			    "\"max_faults\":null,";
	cr_expect(strstr(out, empty), "JSON lacks %s:\n%s", empty, out);
	free(out);
	ff_trace_free(&t);
}

struct json_args {
	const char *s;
};

static void do_json(FILE *f, void *arg)
{
	ff_json_str(f, ((struct json_args *)arg)->s);
}

/* File names reach the terminal through ff_escape_name: no C0, DEL or C1
 * control passes, raw or as UTF-8; other valid UTF-8 passes whole. */
Test(trace, escape_name_keeps_terminal_controls_out)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
	    {"a b", "a b"},
	    {"new\nline\t\\", "new\\nline\\t\\\\"},
	    {"\x1b[31m\x7f", "\\x1b[31m\\x7f"},
	    {"caf\xc3\xa9 \xe2\x82\xac", "caf\xc3\xa9 \xe2\x82\xac"},
	    {"c1 \xc2\x9b"
	     "2J \xc2\x85 nbsp \xc2\xa0",
	     "c1 \\xc2\\x9b2J \\xc2\\x85 nbsp \xc2\xa0"},
	    {"bad \xff \xc0\xaf \xed\xa0\x80 \x9b", "bad \\xff \\xc0\\xaf \\xed\\xa0\\x80 \\x9b"},
	};
	for (size_t i = 0; i < FF_ARRAY_LEN(cases); i++) {
		char out[256];
		ff_escape_name(out, sizeof(out), cases[i].in);
		cr_expect(!strcmp(out, cases[i].want), "case %zu: got %s, want %s", i, out, cases[i].want);
	}
}

Test(trace, json_str_escapes_everything)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
	    {"plain", "\"plain\""},
	    {"q\"b\\s/", "\"q\\\"b\\\\s/\""},
	    {"\n\t\r\x01\x1f\x7f", "\"\\n\\t\\r\\u0001\\u001f\\u007f\""},
	    {"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\""},
	    {"bad \xff \xc3 \xc0\xaf \xed\xa0\x80", "\"bad \\u00ff \\u00c3 \\u00c0\\u00af \\u00ed\\u00a0\\u0080\""},
	    {"ls \xe2\x80\xa8 c1 \xc2\x85", "\"ls \\u2028 c1 \\u0085\""},
	    {"", "\"\""},
	    {NULL, "null"},
	};
	for (size_t i = 0; i < FF_ARRAY_LEN(cases); i++) {
		struct json_args a = {cases[i].in};
		char *out = capture(do_json, &a);
		cr_expect(!strcmp(out, cases[i].want), "case %zu: got %s, want %s", i, out, cases[i].want);
		free(out);
	}
	char *v[] = {"a", "b\"c"};
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);
	ff_json_strv(f, v, 2);
	ff_json_strv(f, NULL, 0);
	fclose(f);
	cr_expect(!strcmp(s, "[\"a\",\"b\\\"c\"][]"), "arrays: %s", s);
	free(s);
}

/* Format 2: the power-loss extension, the cut item, the power-cut outcome
 * and the crash-consistency verdict round-trip, raise min_reader to 2, and
 * every bad value is refused. */
Test(trace, power_loss_extension_round_trips_and_is_checked)
{
	struct ff_trace t, u;
	size_t len;
	char err[256] = "";
	memset(&t, 0, sizeof(t));
	t.hdr.seed = 5;
	t.hdr.crash_mode = 2;
	t.hdr.fsync_failure = 1;
	t.hdr.crash_rate_q = 0x12345678;
	t.hdr.crash_at = 300;
	t.cut = 1;
	t.state_hash = 0x0123456789abcdefull;
	t.state_files = 3;
	t.complete = 1;
	t.outcome = (struct ff_outcome){.kind = FF_OUT_CUT, .code = 0, .verdict = FF_V_CRASH_CONSISTENCY};
	struct ff_stream *s = ff_trace_add_stream(&t, "rename", "a.tmp");
	ff_stream_add(s, FF_PASS, 0, 0, 0);
	ff_stream_add(s, FF_CUT, 0, 0, 0);
	uint8_t *buf = encode(&t, &len);
	printf("power-loss trace: %zu bytes, version %u, min_reader %u\n", len, buf[8], buf[10]);
	cr_expect_eq(buf[10], 2, "min_reader %u", buf[10]);
	int rc = ff_trace_decode(buf, len, &u, err, sizeof(err));
	cr_assert_eq(rc, 0, "refused: %s", err);
	expect_same(&t, &u);
	ff_trace_free(&u);
	/* The extension follows extlen: mode, fsync, rate(4), at, cut, hash(8), files. */
	size_t ext = OFF_EXTLEN + 1;
	cr_assert_eq(buf[OFF_EXTLEN], 18, "extlen %u", buf[OFF_EXTLEN]);
	static const struct {
		size_t off;
		uint8_t v;
		const char *want;
	} bad[] = {{0, 4, "unknown crash mode 4"}, {1, 2, "unknown fsync-failure mode"}, {8, 3, "unknown cut place"}};
	for (size_t i = 0; i < FF_ARRAY_LEN(bad); i++) {
		uint8_t *b = ff_xmalloc(len);
		memcpy(b, buf, len);
		b[ext + bad[i].off] = bad[i].v;
		fix_checksum(b, len);
		expect_reject(b, len, bad[i].want, bad[i].want);
		free(b);
	}
	/* min_reader 1 would let a format 1 reader replay it without the cut. */
	uint8_t *b = ff_xmalloc(len);
	memcpy(b, buf, len);
	b[10] = 1;
	fix_checksum(b, len);
	expect_reject(b, len, "power loss with min_reader 1", "says format 1 readers may read it");
	/* Mode 0 with other fields set has no canonical encoding. */
	memcpy(b, buf, len);
	b[ext] = 0;
	fix_checksum(b, len);
	expect_reject(b, len, "fields without a mode", "power-loss fields without a crash mode");
	/* extlen shorter than the fields. */
	memcpy(b, buf, len);
	b[OFF_EXTLEN] = 9;
	fix_checksum(b, len);
	expect_reject(b, len, "short extension", "header extension");
	free(b);
	free(buf);
	ff_trace_free(&t);
}

/* Format 3: a file-system profile other than posix is one byte after format
 * 2's fields and raises min_reader to 3 (a format 2 reader would replay it
 * under posix rules); posix writes no byte, so the trace stays what format 2
 * wrote. Unknown profiles, and a profile with min_reader 2, are refused. */
Test(trace, fs_profile_round_trips_and_raises_min_reader)
{
	struct ff_trace t, u;
	size_t len, len0;
	char err[256] = "";
	memset(&t, 0, sizeof(t));
	t.hdr.seed = 5;
	t.hdr.crash_mode = 2;
	t.complete = 1;
	t.outcome = (struct ff_outcome){.kind = FF_OUT_EXITED};
	ff_stream_add(ff_trace_add_stream(&t, "rename", "a.tmp"), FF_PASS, 0, 0, 0);
	uint8_t *b0 = encode(&t, &len0);
	cr_expect_eq(b0[10], 2, "posix: min_reader %u", b0[10]);
	t.hdr.fs_profile = FF_FS_EXT4;
	uint8_t *buf = encode(&t, &len);
	cr_expect_eq(len, len0 + 3, "the profile, and no changes (two varints 0)");
	cr_expect_eq(buf[8], FF_TRACE_VERSION, "version %u", buf[8]);
	cr_expect_eq(buf[10], 3, "ext4: min_reader %u", buf[10]);
	int rc = ff_trace_decode(buf, len, &u, err, sizeof(err));
	cr_assert_eq(rc, 0, "refused: %s", err);
	expect_same(&t, &u);
	ff_trace_free(&u);
	uint8_t *b = ff_xmalloc(len);
	memcpy(b, buf, len);
	b[OFF_EXTLEN + 1 + buf[OFF_EXTLEN] - 3] = 9;
	fix_checksum(b, len);
	expect_reject(b, len, "profile 9", "unknown file-system profile 9");
	memcpy(b, buf, len);
	b[10] = 2;
	fix_checksum(b, len);
	expect_reject(b, len, "ext4 with min_reader 2", "that format 2 readers may read");
	free(b);
	free(b0);
	free(buf);
	ff_trace_free(&t);
}

/* Format 3: the cut's changes round-trip; a listed change with a bad kind,
 * more listed than counted, or changes without a crash mode are refused. */
Test(trace, cut_changes_round_trip_and_are_checked)
{
	struct ff_trace t, u;
	size_t len;
	char err[256] = "";
	memset(&t, 0, sizeof(t));
	t.hdr.crash_mode = 2;
	t.complete = 1;
	t.outcome = (struct ff_outcome){.kind = FF_OUT_EXITED};
	t.changes_total = 5;
	t.nchanges = 2;
	t.changes = ff_xcalloc(2, sizeof(*t.changes));
	t.changes[0] = (struct ff_cut_change){1, 2, 5, ff_xstrdup("data.txt.tmp"), ff_xstrdup(""), 4096, 3};
	t.changes[1] = (struct ff_cut_change){8, 0, 3, ff_xstrdup("data.txt"), ff_xstrdup("data.txt.tmp"), 0, 0};
	uint8_t *buf = encode(&t, &len);
	cr_expect_eq(buf[10], 2, "informational: min_reader %u", buf[10]);
	int rc = ff_trace_decode(buf, len, &u, err, sizeof(err));
	cr_assert_eq(rc, 0, "refused: %s", err);
	cr_assert_eq(u.nchanges, 2);
	cr_expect_eq(u.changes_total, 5);
	cr_expect_str_eq(u.changes[1].path2, "data.txt.tmp");
	cr_expect_eq(u.changes[0].off, 4096);
	cr_expect_eq(u.changes[0].fate, 2);
	ff_trace_free(&u);
	/* the first change's kind byte: after the 17 bytes of format 2, fs, total, n */
	size_t at = OFF_EXTLEN + 1 + 17 + 3;
	uint8_t *b = ff_xmalloc(len);
	memcpy(b, buf, len);
	b[at] = 12;
	fix_checksum(b, len);
	expect_reject(b, len, "change kind 12", "change 0 of the cut");
	memcpy(b, buf, len);
	b[at - 2] = 1; /* total 1 < 2 listed */
	fix_checksum(b, len);
	expect_reject(b, len, "more listed than counted", "2 changes listed of 1");
	free(b);
	free(buf);
	ff_trace_free(&t);
}
