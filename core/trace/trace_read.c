/* The trace reader: the mirror of core/trace/trace_write.c. Every field is
 * checked against docs/trace-format.md; a hostile file gets a one-line
 * reason, never a crash or an allocation larger than the file justifies. */
#include "core/trace/trace.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "core/catalogue.h"
#include "core/durable/durable.h"
#include "core/util.h"

/* Fixed part of the header: magic, version, min_reader, prng, flags, seed,
 * rate_q, fault_mask, fdkind_mask, profile. */
#define HDR_FIXED (8 + 2 + 2 + 2 + 2 + 8 + 4 + 4 + 4 + 1)
/* The smallest trace: fixed header, eight empty varints (max_faults, after,
 * only, errnos, globs, syscalls, argv, extension), nstreams 0, a footer of
 * six one-byte fields, the checksum. */
#define MIN_TRACE (HDR_FIXED + 8 + 1 + 6 + 8)
/* Bytes a count's elements need at least, to bound counts by the input
 * before allocating: an errno is a one-byte varint at least; a str is a
 * length byte, a glob also one byte of text; a stream is two strs and an
 * item count; an item is a kind plus three one-byte varints (a pass run
 * needs six). */
#define MIN_ERRNO  1
#define MIN_STREAM 3
#define MIN_ITEM   4

struct rd {
	const uint8_t *p, *end;
	uint64_t mem; /* heap bytes the trace takes so far (see charge) */
	char *err;
	size_t errlen;
	char where[48]; /* what is being parsed, for messages */
};

__attribute__((format(printf, 3, 4))) static int fail(struct rd *r, int rc, const char *fmt, ...)
{
	if (r->err && r->errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(r->err, r->errlen, fmt, ap);
		va_end(ap);
	}
	return rc;
}

static int truncated(struct rd *r)
{
	return fail(r, -EBADMSG, "truncated trace (ends inside the %s)", r->where);
}

static size_t left(const struct rd *r)
{
	return (size_t)(r->end - r->p);
}

static uint64_t le(const uint8_t *p, int bytes)
{
	uint64_t v = 0;
	for (int i = 0; i < bytes; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static int get_le(struct rd *r, int bytes, uint64_t *v)
{
	if (left(r) < (size_t)bytes)
		return truncated(r);
	*v = le(r->p, bytes);
	r->p += bytes;
	return 0;
}

static int get_u8(struct rd *r, uint8_t *v)
{
	uint64_t x = 0;
	int rc = get_le(r, 1, &x);
	*v = (uint8_t)x;
	return rc;
}

/* Counts bytes about to be allocated for the trace against
 * FF_TRACE_MAX_MEM. Counts are bounded by the bytes left, but the in-memory
 * model is larger than the encoding (an empty string is one byte in the file
 * and a malloc'd block in memory), so a 256 MiB file could otherwise ask for
 * gigabytes and end in "out of memory" instead of a refusal. */
static int charge(struct rd *r, uint64_t bytes)
{
	if (bytes > FF_TRACE_MAX_MEM - r->mem)
		return fail(r, -EFBIG, "trace too large (reading it would take more than %u MiB of memory)",
			    FF_TRACE_MAX_MEM >> 20);
	r->mem += bytes;
	return 0;
}

/* Heap bytes a string of n bytes takes: malloc's header and rounding. */
#define STR_COST(n) ((n) + 1 + 32)

/* Varints must be minimal (no trailing 0x80 0x00 padding), so each trace
 * has exactly one encoding. */
static int get_varint(struct rd *r, uint64_t *v)
{
	const uint8_t *start = r->p;
	if (ff_varint_get(&r->p, r->end, v) == 0) {
		if (r->p - start > 1 && r->p[-1] == 0)
			return fail(r, -EBADMSG, "bad trace (a number in the %s is not minimally encoded)", r->where);
		return 0;
	}
	if (r->p >= r->end)
		return truncated(r);
	return fail(r, -EBADMSG, "bad trace (a number in the %s has more than 64 bits)", r->where);
}

/* Reads a count of things that each take at least min bytes. */
static int get_count(struct rd *r, uint64_t max, size_t min, const char *what, uint64_t *v)
{
	int rc = get_varint(r, v);
	if (rc < 0)
		return rc;
	if (*v > max || *v > left(r) / min)
		return fail(r, -EBADMSG, "bad trace (%" PRIu64 " %s cannot fit in the %zu bytes left of the %s)", *v,
			    what, left(r), r->where);
	return 0;
}

/* str: varint length, then that many bytes, none of them NUL. */
static int get_str(struct rd *r, char **out)
{
	uint64_t n;
	int rc = get_varint(r, &n);
	if (rc < 0)
		return rc;
	if (n > FF_TRACE_MAX_STR)
		return fail(r, -EBADMSG, "bad trace (a string of %" PRIu64 " bytes in the %s; the limit is %d)", n,
			    r->where, FF_TRACE_MAX_STR);
	if (n > left(r))
		return truncated(r);
	if (memchr(r->p, 0, n))
		return fail(r, -EBADMSG, "bad trace (a string in the %s contains a NUL byte)", r->where);
	if ((rc = charge(r, STR_COST(n))) < 0)
		return rc;
	*out = ff_xmalloc(n + 1);
	memcpy(*out, r->p, n);
	(*out)[n] = 0;
	r->p += n;
	return 0;
}

/* A count, then that many strs of at least min_len bytes each. */
static int get_strv(struct rd *r, const char *what, size_t min_len, uint32_t *n, char ***v)
{
	uint64_t c;
	int rc = get_count(r, UINT32_MAX, 1 + min_len, what, &c);
	if (rc < 0 || (rc = charge(r, c * sizeof(**v))) < 0)
		return rc;
	*v = ff_xcalloc(c, sizeof(**v));
	*n = (uint32_t)c; /* set first so ff_trace_free sees every slot */
	for (uint64_t i = 0; i < c; i++) {
		if ((rc = get_str(r, &(*v)[i])) < 0)
			return rc;
		if (strlen((*v)[i]) < min_len)
			return fail(r, -EBADMSG, "bad trace (an empty string among the %s)", what);
	}
	return 0;
}

/* The --errno set: strictly increasing, so each set has one encoding. */
static int get_errnos(struct rd *r, struct ff_trace_hdr *h)
{
	uint64_t c, e;
	int rc = get_count(r, UINT32_MAX, MIN_ERRNO, "errnos", &c);
	if (rc < 0 || (rc = charge(r, c * sizeof(*h->errnos))) < 0)
		return rc;
	h->errnos = ff_xcalloc(c, sizeof(*h->errnos));
	for (; h->nerrnos < c; h->nerrnos++) {
		if ((rc = get_varint(r, &e)) < 0)
			return rc;
		if (e < 1 || e > FF_MAX_ERRNO)
			return fail(r, -EBADMSG, "bad trace (errno %" PRIu64 " in the --errno set is outside 1..4095)",
				    e);
		if (h->nerrnos && e <= h->errnos[h->nerrnos - 1])
			return fail(r, -EBADMSG, "bad trace (the --errno set is not strictly increasing)");
		h->errnos[h->nerrnos] = (uint16_t)e;
	}
	return 0;
}

/* Format 3: the cut's changes, each 7 bytes at least (3 u8, 2 strs, 2 varints). */
static int get_changes(struct rd *r, struct ff_trace *t)
{
	uint64_t n;
	int rc;
	if ((rc = get_varint(r, &t->changes_total)) < 0 ||
	    (rc = get_count(r, FF_CUT_CHANGES_MAX, 7, "changes", &n)) < 0)
		return rc;
	if (n > t->changes_total)
		return fail(r, -EBADMSG, "bad trace (%" PRIu64 " changes listed of %" PRIu64 ")", n, t->changes_total);
	if ((rc = charge(r, (n + 1) * sizeof(*t->changes))) < 0)
		return rc;
	t->changes = ff_xcalloc((size_t)n + 1, sizeof(*t->changes));
	for (; t->nchanges < n; t->nchanges++) {
		struct ff_cut_change *c = &t->changes[t->nchanges];
		if ((rc = get_u8(r, &c->kind)) < 0 || (rc = get_u8(r, &c->fate)) < 0 ||
		    (rc = get_u8(r, &c->rule)) < 0 || (rc = get_str(r, &c->path)) < 0 ||
		    (rc = get_str(r, &c->path2)) < 0 || (rc = get_varint(r, &c->off)) < 0 ||
		    (rc = get_varint(r, &c->len)) < 0) {
			t->nchanges++; /* freed with the trace */
			return rc;
		}
		if (!c->kind || c->kind > FF_CUT_CHANGE_KINDS || c->fate > 2 || c->rule >= FF_CUT_RULES ||
		    !c->path[0]) {
			t->nchanges++;
			return fail(r, -EBADMSG, "bad trace (change %zu of the cut: kind %u, fate %u, rule %u)",
				    t->nchanges - 1, c->kind, c->fate, c->rule);
		}
	}
	return 0;
}

/* Format 4: the site mode, the depth and the contexts' text, by strictly
 * increasing hash. */
static int get_sites(struct rd *r, struct ff_trace *t)
{
	struct ff_trace_hdr *h = &t->hdr;
	uint64_t n;
	int rc;
	if ((rc = get_u8(r, &h->site_mode)) < 0 || (rc = get_u8(r, &h->site_depth)) < 0 ||
	    (rc = get_count(r, FF_CONTEXTS_MAX, 9, "contexts", &n)) < 0)
		return rc;
	if (h->site_mode > FF_SITE_STACK)
		return fail(r, -EBADMSG, "bad trace (unknown site mode %u)", h->site_mode);
	if (h->site_mode == FF_SITE_PATH ? h->site_depth || n : h->site_depth < 1 || h->site_depth > 64)
		return fail(r, -EBADMSG, "bad trace (site depth %u or contexts with site mode %u)", h->site_depth,
			    h->site_mode);
	if ((rc = charge(r, (n + 1) * sizeof(*t->contexts))) < 0)
		return rc;
	t->contexts = ff_xcalloc((size_t)n + 1, sizeof(*t->contexts));
	t->ctxcap = (size_t)n + 1;
	for (; t->ncontexts < n; t->ncontexts++) {
		struct ff_context *c = &t->contexts[t->ncontexts];
		if ((rc = get_le(r, 8, &c->hash)) < 0 || (rc = get_str(r, &c->frames)) < 0) {
			t->ncontexts++; /* freed with the trace */
			return rc;
		}
		if (t->ncontexts && c->hash <= c[-1].hash) {
			t->ncontexts++;
			return fail(r, -EBADMSG, "bad trace (contexts not in strictly increasing order of hash)");
		}
	}
	return 0;
}

/* Format 2's extension: the power-loss settings and the cut's result
 * (docs/trace-format.md, "Extension"). Bytes after them are a newer
 * version's and are skipped. */
static int get_ext(struct rd *r, struct ff_trace *t, uint64_t extlen)
{
	struct ff_trace_hdr *h = &t->hdr;
	const uint8_t *end = r->end;
	uint64_t v = 0;
	int rc;
	if (h->version < 2 || extlen == 0) {
		r->p += extlen;
		return 0;
	}
	r->end = r->p + extlen; /* a field past the extension is truncation */
	snprintf(r->where, sizeof(r->where), "header extension");
	if ((rc = get_u8(r, &h->crash_mode)) < 0 || (rc = get_u8(r, &h->fsync_failure)) < 0 ||
	    (rc = get_le(r, 4, &v)) < 0)
		goto out;
	h->crash_rate_q = (uint32_t)v;
	if ((rc = get_varint(r, &h->crash_at)) < 0 || (rc = get_u8(r, &t->cut)) < 0 ||
	    (rc = get_le(r, 8, &t->state_hash)) < 0 || (rc = get_varint(r, &t->state_files)) < 0)
		goto out;
	/* Format 3: the file-system profile and the cut's changes (absent: posix, none). */
	if (h->version >= 3 && r->p < r->end && ((rc = get_u8(r, &h->fs_profile)) < 0 || (rc = get_changes(r, t)) < 0))
		goto out;
	/* Format 4: stack sites (absent: path sites). */
	if (h->version >= 4 && r->p < r->end && (rc = get_sites(r, t)) < 0)
		goto out;
	if (h->crash_mode > 3)
		rc = fail(r, -EBADMSG, "bad trace (unknown crash mode %u)", h->crash_mode);
	else if (!h->crash_mode &&
		 (h->fsync_failure || h->crash_rate_q || h->crash_at || t->cut || t->state_hash || t->state_files))
		rc = fail(r, -EBADMSG, "bad trace (power-loss fields without a crash mode)");
	else if (h->fsync_failure > 1)
		rc = fail(r, -EBADMSG, "bad trace (unknown fsync-failure mode %u)", h->fsync_failure);
	else if (t->cut > 2)
		rc = fail(r, -EBADMSG, "bad trace (unknown cut place %u)", t->cut);
	else if (h->fs_profile >= FF_FS_COUNT)
		rc = fail(r, -EBADMSG, "bad trace (unknown file-system profile %u)", h->fs_profile);
	else if (t->changes_total && !h->crash_mode)
		rc = fail(r, -EBADMSG, "bad trace (a cut's changes without a crash mode)");
	else if (h->site_mode && h->min_reader < 4)
		rc = fail(r, -EBADMSG, "bad trace (stack sites that format 3 readers may read)");
	else if (h->fs_profile && (!h->crash_mode || h->min_reader < 3))
		rc = fail(r, -EBADMSG, "bad trace (a file-system profile %s)",
			  h->crash_mode ? "that format 2 readers may read" : "without a crash mode");
	r->p = r->end;
out:
	r->end = end;
	snprintf(r->where, sizeof(r->where), "header");
	return rc;
}

static int get_header(struct rd *r, struct ff_trace *t)
{
	struct ff_trace_hdr *h = &t->hdr;
	uint64_t v;
	int rc;
	snprintf(r->where, sizeof(r->where), "header");
	/* Magic and versions were checked by the caller before the checksum. */
	r->p += 8;
	h->version = (uint16_t)le(r->p, 2);
	h->min_reader = (uint16_t)le(r->p + 2, 2);
	r->p += 4;
	h->prng = (uint16_t)le(r->p, 2);
	h->flags = (uint16_t)le(r->p + 2, 2);
	h->seed = le(r->p + 4, 8);
	h->rate_q = (uint32_t)le(r->p + 12, 4);
	h->fault_mask = (uint32_t)le(r->p + 16, 4);
	h->fdkind_mask = (uint32_t)le(r->p + 20, 4);
	h->profile = r->p[24];
	r->p += HDR_FIXED - 12;
	if (h->profile > 1)
		return fail(r, -EBADMSG, "bad trace (unknown profile %u)", h->profile);
	if ((rc = get_varint(r, &h->max_faults)) < 0 || (rc = get_varint(r, &h->after)) < 0 ||
	    (rc = get_varint(r, &h->only)) < 0 || (rc = get_errnos(r, h)) < 0 ||
	    (rc = get_strv(r, "path globs", 1, &h->nglobs, &h->globs)) < 0 ||
	    (rc = get_strv(r, "syscall names", 0, &h->nsyscalls, &h->syscalls)) < 0 ||
	    (rc = get_strv(r, "arguments", 0, &h->argc, &h->argv)) < 0)
		return rc;
	/* The extension: fields a newer writer added that this reader skips. */
	if ((rc = get_varint(r, &v)) < 0)
		return rc;
	if (v > left(r))
		return truncated(r);
	return get_ext(r, t, v);
}

static int get_item(struct rd *r, struct ff_item *it)
{
	uint64_t err, n, len;
	int rc;
	memset(it, 0, sizeof(*it));
	if ((rc = get_u8(r, &it->kind)) < 0)
		return rc;
	if (it->kind == FF_PASS) {
		if ((rc = get_varint(r, &it->count)) < 0 || (rc = get_le(r, 4, &len)) < 0)
			return rc;
		if (it->count == 0)
			return fail(r, -EBADMSG, "bad trace (an empty pass run in the %s)", r->where);
		it->lenhash = (uint32_t)len;
		return 0;
	}
	if (it->kind >= FF_FAULT_COUNT)
		return fail(r, -EBADMSG, "bad trace (unknown item kind %u in the %s)", it->kind, r->where);
	if ((rc = get_varint(r, &err)) < 0 || (rc = get_varint(r, &n)) < 0 || (rc = get_varint(r, &len)) < 0)
		return rc;
	if (err > FF_MAX_ERRNO)
		return fail(r, -EBADMSG, "bad trace (an errno outside 1..4095 in the %s)", r->where);
	it->err = (uint16_t)err;
	it->n = n;
	it->len = len;
	it->count = 1;
	if (it->kind == FF_CORRUPT && ((rc = get_u8(r, &it->mode)) < 0 || (rc = get_varint(r, &it->off)) < 0 ||
				       (rc = get_varint(r, &it->key)) < 0))
		return rc;
	const char *why = ff_item_invalid(it);
	if (why)
		return fail(r, -EBADMSG, "bad trace (%s in the %s)", why, r->where);
	return 0;
}

static int get_stream(struct rd *r, struct ff_stream *s)
{
	uint64_t nitems;
	int rc;
	if ((rc = get_str(r, &s->sc)) < 0 || (rc = get_str(r, &s->path)) < 0 ||
	    (rc = get_count(r, SIZE_MAX / sizeof(*s->items), MIN_ITEM, "items", &nitems)) < 0 ||
	    (rc = charge(r, nitems * sizeof(*s->items))) < 0)
		return rc;
	s->items = ff_xcalloc(nitems, sizeof(*s->items));
	s->cap = nitems;
	for (; s->nitems < nitems; s->nitems++) {
		struct ff_item *it = &s->items[s->nitems];
		if ((rc = get_item(r, it)) < 0)
			return rc;
		if (s->calls + it->count < s->calls)
			return fail(r, -EBADMSG, "bad trace (the call count of the %s overflows)", r->where);
		s->calls += it->count;
	}
	return 0;
}

/* Streams are strictly sorted by path, then syscall: one encoding per
 * trace, and at most one stream per site. */
static int stream_order(const struct ff_stream *a, const struct ff_stream *b)
{
	int c = strcmp(a->path, b->path);
	return c ? c : strcmp(a->sc, b->sc);
}

static int get_body(struct rd *r, struct ff_trace *t)
{
	uint64_t n;
	int rc;
	snprintf(r->where, sizeof(r->where), "stream list");
	if ((rc = get_count(r, SIZE_MAX / sizeof(*t->streams), MIN_STREAM, "streams", &n)) < 0 ||
	    (rc = charge(r, n * sizeof(*t->streams))) < 0)
		return rc;
	t->streams = ff_xcalloc(n, sizeof(*t->streams));
	t->cap = n;
	for (uint64_t i = 0; i < n; i++) {
		snprintf(r->where, sizeof(r->where), "stream %" PRIu64, i);
		t->nstreams = i + 1; /* so ff_trace_free sees a partial stream */
		if ((rc = get_stream(r, &t->streams[i])) < 0)
			return rc;
		if (i && stream_order(&t->streams[i - 1], &t->streams[i]) >= 0)
			return fail(r, -EBADMSG, "bad trace (stream %" PRIu64 " is out of order or repeats a site)", i);
	}
	return 0;
}

static int get_footer(struct rd *r, struct ff_trace *t)
{
	uint64_t code;
	int rc;
	snprintf(r->where, sizeof(r->where), "footer");
	if ((rc = get_u8(r, &t->complete)) < 0 || (rc = get_u8(r, &t->outcome.kind)) < 0 ||
	    (rc = get_varint(r, &code)) < 0 || (rc = get_u8(r, &t->outcome.verdict)) < 0 ||
	    (rc = get_varint(r, &t->eligible)) < 0 || (rc = get_varint(r, &t->faults)) < 0)
		return rc;
	if (t->complete > 1)
		return fail(r, -EBADMSG, "bad trace (completion flag %u)", t->complete);
	if (t->outcome.kind > FF_OUT_LAST)
		return fail(r, -EBADMSG, "bad trace (unknown outcome %u)", t->outcome.kind);
	if (code > UINT32_MAX)
		return fail(r, -EBADMSG, "bad trace (outcome code out of range)");
	if (t->outcome.verdict > FF_V_LAST)
		return fail(r, -EBADMSG, "bad trace (unknown verdict %u)", t->outcome.verdict);
	/* Zigzag: 0, -1, 1, -2 ... are 0, 1, 2, 3 ... */
	uint32_t u = (uint32_t)(code >> 1) ^ (0u - (uint32_t)(code & 1));
	t->outcome.code = u <= INT32_MAX ? (int32_t)u : -(int32_t)~u - 1;
	if (r->p != r->end)
		return fail(r, -EBADMSG, "bad trace (%zu unexpected bytes after the footer)", left(r));
	/* Format 2 features in a file that says format 1 readers may read it. */
	if (ff_trace_min_reader(t) > t->hdr.min_reader)
		return fail(r, -EBADMSG,
			    "bad trace (it uses format %u features but says format %u readers may read it)",
			    ff_trace_min_reader(t), t->hdr.min_reader);
	return 0;
}

/* Checks what must be right before the checksum means anything: a file of
 * another kind or a newer format gets its own message, not "corrupt". */
static int check_prefix(struct rd *r, const uint8_t *buf, size_t len)
{
	snprintf(r->where, sizeof(r->where), "header");
	if (len > FF_TRACE_MAX_FILE)
		return fail(r, -EFBIG, "trace too large (%zu bytes; the limit is %u)", len, FF_TRACE_MAX_FILE);
	if (len == 0)
		return fail(r, -EBADMSG, "empty file (not a fifuzz trace)");
	if (memcmp(buf, FF_TRACE_MAGIC, len < 8 ? len : 8))
		return fail(r, -EBADMSG, "not a fifuzz trace (bad magic)");
	if (len < 12)
		return truncated(r);
	unsigned version = (unsigned)le(buf + 8, 2), min_reader = (unsigned)le(buf + 10, 2);
	if (min_reader > FF_TRACE_VERSION) {
		if (version == min_reader)
			return fail(r, -EPROTONOSUPPORT,
				    "trace format %u needs a newer fifuzz (this one reads format %d)", version,
				    FF_TRACE_VERSION);
		return fail(r, -EPROTONOSUPPORT,
			    "trace format %u needs a newer fifuzz, one that reads format %u (this one reads format %d)",
			    version, min_reader, FF_TRACE_VERSION);
	}
	if (min_reader == 0 || version < min_reader)
		return fail(r, -EBADMSG, "bad trace (format %u says its oldest reader is format %u)", version,
			    min_reader);
	if (len < MIN_TRACE)
		return truncated(r);
	return 0;
}

int ff_trace_decode(const uint8_t *buf, size_t len, struct ff_trace *t, char *err, size_t errlen)
{
	struct rd r = {.p = buf, .end = buf + len, .err = err, .errlen = errlen};
	int rc;

	memset(t, 0, sizeof(*t));
	if (err && errlen)
		err[0] = 0;
	if ((rc = check_prefix(&r, buf, len)) < 0)
		goto out;
	if (XXH64(buf, len - 8, 0) != le(buf + len - 8, 8)) {
		rc = fail(&r, -EBADMSG, "checksum mismatch: the trace is corrupt or was cut short");
		goto out;
	}
	r.end = buf + len - 8;
	if ((rc = get_header(&r, t)) < 0 || (rc = get_body(&r, t)) < 0 || (rc = get_footer(&r, t)) < 0)
		goto out;
	return 0;
out:
	ff_trace_free(t);
	return rc;
}

int ff_trace_read(const char *path, struct ff_trace *t, char *err, size_t errlen)
{
	struct rd r = {.err = err, .errlen = errlen};
	uint8_t *buf = NULL;
	size_t len = 0;
	struct stat st;
	int rc = 0;

	memset(t, 0, sizeof(*t));
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		rc = -errno;
		fail(&r, rc, "cannot read %s: %s", path, strerror(-rc));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = fail(&r, S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL, "cannot read %s: not a regular file", path);
		goto out;
	}
	if ((uint64_t)st.st_size > FF_TRACE_MAX_FILE) {
		rc = fail(&r, -EFBIG, "cannot read %s: trace too large (%jd bytes; the limit is %u)", path,
			  (intmax_t)st.st_size, FF_TRACE_MAX_FILE);
		goto out;
	}
	/* No more than fstat said: a file still growing is refused. */
	if ((rc = ff_read_fd(fd, (size_t)st.st_size, &buf, &len)) < 0) {
		if (rc == -EFBIG)
			rc = fail(&r, -EAGAIN, "cannot read %s: the file changed while being read", path);
		else
			fail(&r, rc, "cannot read %s: %s", path, strerror(-rc));
		goto out;
	}
	char msg[256];
	if ((rc = ff_trace_decode(buf, len, t, msg, sizeof(msg))) < 0)
		fail(&r, rc, "%s: %s", path, msg);
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	return rc;
}
