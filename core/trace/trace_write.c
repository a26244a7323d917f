/* The trace writer: encodes a trace as docs/trace-format.md specifies and
 * writes it atomically. Mirrors core/trace/trace_read.c. */
#include "core/trace/trace.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "core/catalogue.h"
#include "core/util.h"

struct buf {
	uint8_t *p;
	size_t len, cap;
};

static uint8_t *reserve(struct buf *b, size_t n)
{
	ff_grow(&b->p, &b->cap, b->len + n, 1);
	return b->p + b->len;
}

static void put_bytes(struct buf *b, const void *src, size_t n)
{
	memcpy(reserve(b, n), src, n);
	b->len += n;
}

/* Fixed-width integers are little-endian whatever the host. */
static void put_le(struct buf *b, uint64_t v, int bytes)
{
	uint8_t *o = reserve(b, (size_t)bytes);
	for (int i = 0; i < bytes; i++)
		o[i] = (uint8_t)(v >> (8 * i));
	b->len += (size_t)bytes;
}

static void put_varint(struct buf *b, uint64_t v)
{
	b->len += ff_varint_put(reserve(b, 10), v);
}

/* Returns 0, or -ENAMETOOLONG for a string the reader would refuse. */
static int put_str(struct buf *b, const char *s)
{
	size_t n = strlen(s);
	if (n > FF_TRACE_MAX_STR)
		return -ENAMETOOLONG;
	put_varint(b, n);
	put_bytes(b, s, n);
	return 0;
}

static int u16_cmp(const void *a, const void *b)
{
	return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

/* The selection: profile, limits, the --errno set sorted (duplicates
 * dropped: it is a set), the --path globs. Returns 0 or -errno. */
static int put_selection(struct buf *b, const struct ff_trace_hdr *h)
{
	int rc = 0;
	uint16_t *errnos = ff_xcalloc(h->nerrnos, sizeof(*errnos));
	uint32_t n = 0;

	if (h->profile > 1) {
		rc = -EINVAL;
		goto out;
	}
	put_le(b, h->profile, 1);
	put_varint(b, h->max_faults);
	put_varint(b, h->after);
	put_varint(b, h->only);
	if (h->nerrnos)
		memcpy(errnos, h->errnos, h->nerrnos * sizeof(*errnos));
	qsort(errnos, h->nerrnos, sizeof(*errnos), u16_cmp);
	for (uint32_t i = 0; i < h->nerrnos; i++) {
		if (errnos[i] < 1 || errnos[i] > FF_MAX_ERRNO) {
			rc = -EINVAL;
			goto out;
		}
		if (!n || errnos[n - 1] != errnos[i])
			errnos[n++] = errnos[i];
	}
	put_varint(b, n);
	for (uint32_t i = 0; i < n; i++)
		put_varint(b, errnos[i]);
	put_varint(b, h->nglobs);
	for (uint32_t i = 0; i < h->nglobs; i++) {
		if (!h->globs[i][0]) {
			rc = -EINVAL;
			goto out;
		}
		if ((rc = put_str(b, h->globs[i])) < 0)
			goto out;
	}
out:
	free(errnos);
	return rc;
}

static int stream_cmp(const void *a, const void *b)
{
	const struct ff_stream *x = *(const struct ff_stream *const *)a;
	const struct ff_stream *y = *(const struct ff_stream *const *)b;
	int c = strcmp(x->path, y->path);
	return c ? c : strcmp(x->sc, y->sc);
}

static int put_stream(struct buf *b, const struct ff_stream *s)
{
	int rc;
	if ((rc = put_str(b, s->sc)) < 0 || (rc = put_str(b, s->path)) < 0)
		return rc;
	put_varint(b, s->nitems);
	uint64_t calls = 0;
	for (size_t i = 0; i < s->nitems; i++) {
		const struct ff_item *it = &s->items[i];
		/* Refuse what the reader would refuse, so a bug in the recorder
		 * fails at write time, not as a trace nobody can replay. */
		if (ff_item_invalid(it))
			return -EINVAL;
		uint64_t c = it->kind == FF_PASS ? it->count : 1;
		if (calls + c < calls)
			return -EOVERFLOW;
		calls += c;
		put_le(b, it->kind, 1);
		if (it->kind == FF_PASS) {
			put_varint(b, it->count);
			put_le(b, it->lenhash, 4);
		} else {
			put_varint(b, it->err);
			put_varint(b, it->n);
			put_varint(b, it->len);
			if (it->kind == FF_CORRUPT) { /* format 4 */
				put_le(b, it->mode, 1);
				put_varint(b, it->off);
				put_varint(b, it->key);
			}
		}
	}
	return 0;
}

static int by_hash(const void *a, const void *b)
{
	uint64_t x = (*(const struct ff_context *const *)a)->hash, y = (*(const struct ff_context *const *)b)->hash;
	return x < y ? -1 : x > y;
}

/* Format 4: the site mode, the depth and the contexts' text, by hash. */
static void put_sites(struct buf *b, const struct ff_trace *t)
{
	put_le(b, t->hdr.site_mode, 1);
	put_le(b, t->hdr.site_depth, 1);
	const struct ff_context **v = ff_xcalloc(t->ncontexts + 1, sizeof(*v));
	for (size_t i = 0; i < t->ncontexts; i++)
		v[i] = &t->contexts[i];
	qsort(v, t->ncontexts, sizeof(*v), by_hash);
	size_t n = 0;
	for (size_t i = 0; i < t->ncontexts; i++)
		n += !i || v[i]->hash != v[i - 1]->hash;
	put_varint(b, n);
	for (size_t i = 0; i < t->ncontexts; i++) {
		if (i && v[i]->hash == v[i - 1]->hash)
			continue;
		put_le(b, v[i]->hash, 8);
		(void)put_str(b, v[i]->frames); /* capped at FF_TRACE_MAX_STR when added */
	}
	free(v);
}

/* Format 2's extension, only when power loss was simulated (or, format 4,
 * with stack sites). */
static void put_ext(struct buf *b, const struct ff_trace *t)
{
	const struct ff_trace_hdr *h = &t->hdr;
	if (!h->crash_mode && !h->site_mode) {
		put_varint(b, 0);
		return;
	}
	uint8_t tmp[64];
	size_t n = 0;
	tmp[n++] = h->crash_mode;
	tmp[n++] = h->fsync_failure;
	for (int i = 0; i < 4; i++)
		tmp[n++] = (uint8_t)(h->crash_rate_q >> (8 * i));
	n += ff_varint_put(tmp + n, h->crash_at);
	tmp[n++] = t->cut;
	for (int i = 0; i < 8; i++)
		tmp[n++] = (uint8_t)(t->state_hash >> (8 * i));
	n += ff_varint_put(tmp + n, t->state_files);
	struct buf more = {0};
	/* Format 3: the profile and the cut's changes, only when there is either:
	 * a posix trace without them is what format 2 wrote. */
	if (h->fs_profile || t->changes_total || h->site_mode) {
		put_bytes(&more, &h->fs_profile, 1);
		put_varint(&more, t->changes_total);
		put_varint(&more, t->nchanges);
		for (size_t i = 0; i < t->nchanges; i++) {
			const struct ff_cut_change *c = &t->changes[i];
			uint8_t k[3] = {c->kind, c->fate, c->rule};
			put_bytes(&more, k, 3);
			/* the model's names are under PATH_MAX: within FF_TRACE_MAX_STR */
			(void)put_str(&more, c->path);
			(void)put_str(&more, c->path2 ? c->path2 : "");
			put_varint(&more, c->off);
			put_varint(&more, c->len);
		}
	}
	if (h->site_mode)
		put_sites(&more, t);
	put_varint(b, n + more.len);
	put_bytes(b, tmp, n);
	if (more.len)
		put_bytes(b, more.p, more.len);
	free(more.p);
}

static uint32_t zigzag32(int32_t v)
{
	return ((uint32_t)v << 1) ^ (v < 0 ? UINT32_MAX : 0);
}

int ff_trace_encode(const struct ff_trace *t, uint8_t **out, size_t *outlen)
{
	const struct ff_trace_hdr *h = &t->hdr;
	struct buf b = {0};
	/* Sort an index, not t: the caller's stream pointers stay valid. */
	const struct ff_stream **idx = ff_xcalloc(t->nstreams, sizeof(*idx));
	int rc = 0;

	if (t->outcome.kind > FF_OUT_LAST || t->outcome.verdict > FF_V_LAST) {
		rc = -EINVAL;
		goto out;
	}
	put_bytes(&b, FF_TRACE_MAGIC, 8);
	/* Always our own version: what we write is format FF_TRACE_VERSION,
	 * whatever version the trace was read from. */
	put_le(&b, FF_TRACE_VERSION, 2);
	put_le(&b, ff_trace_min_reader(t), 2);
	put_le(&b, h->prng, 2);
	put_le(&b, h->flags, 2);
	put_le(&b, h->seed, 8);
	put_le(&b, h->rate_q, 4);
	put_le(&b, h->fault_mask, 4);
	put_le(&b, h->fdkind_mask, 4);
	if ((rc = put_selection(&b, h)) < 0)
		goto out;
	put_varint(&b, h->nsyscalls);
	for (uint32_t i = 0; i < h->nsyscalls; i++)
		if ((rc = put_str(&b, h->syscalls[i])) < 0)
			goto out;
	put_varint(&b, h->argc);
	for (uint32_t i = 0; i < h->argc; i++)
		if ((rc = put_str(&b, h->argv[i])) < 0)
			goto out;
	put_ext(&b, t);

	for (size_t i = 0; i < t->nstreams; i++)
		idx[i] = &t->streams[i];
	qsort(idx, t->nstreams, sizeof(*idx), stream_cmp);
	put_varint(&b, t->nstreams);
	for (size_t i = 0; i < t->nstreams; i++) {
		/* Two streams for one site would make replay ambiguous. */
		if (i && !stream_cmp(&idx[i - 1], &idx[i])) {
			rc = -EINVAL;
			goto out;
		}
		if ((rc = put_stream(&b, idx[i])) < 0)
			goto out;
	}

	put_le(&b, t->complete ? 1 : 0, 1);
	put_le(&b, t->outcome.kind, 1);
	put_varint(&b, zigzag32(t->outcome.code));
	put_le(&b, t->outcome.verdict, 1);
	put_varint(&b, t->eligible);
	put_varint(&b, t->faults);
	put_le(&b, XXH64(b.p, b.len, 0), 8);
	if (b.len > FF_TRACE_MAX_FILE) {
		rc = -EFBIG;
		goto out;
	}
	*out = b.p;
	*outlen = b.len;
	b.p = NULL;
out:
	free(b.p);
	free(idx);
	return rc;
}

/* Makes the rename itself durable. Best effort: some file systems refuse
 * fsync on a directory, and the trace is complete either way. */
static void sync_dir(const char *path)
{
	char *dir = ff_xstrdup(path);
	char *slash = strrchr(dir, '/');
	const char *d = ".";
	if (slash) {
		slash[slash == dir ? 1 : 0] = 0;
		d = dir;
	}
	int fd = open(d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

int ff_trace_write(const char *path, const struct ff_trace *t)
{
	return ff_trace_write_ex(path, t, true);
}

int ff_trace_write_ex(const char *path, const struct ff_trace *t, bool durable)
{
	uint8_t *data = NULL;
	size_t len = 0;
	size_t plen = strlen(path);
	char *tmp = NULL;
	int fd = -1, created = 0, rc;

	if ((rc = ff_trace_encode(t, &data, &len)) < 0)
		return rc;
	/* Same directory as path, so rename() cannot cross file systems. */
	tmp = ff_xmalloc(plen + sizeof(".XXXXXX"));
	memcpy(tmp, path, plen);
	memcpy(tmp + plen, ".XXXXXX", sizeof(".XXXXXX"));
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		goto out;
	}
	created = 1;
	/* mkstemp creates 0600; a trace is an ordinary output file, so give it
	 * the mode open(O_CREAT, 0666) would. fifuzz is single-threaded, so
	 * reading the umask by setting it is safe here. */
	mode_t um = umask(0);
	umask(um);
	if (fchmod(fd, 0666 & ~um) < 0) {
		rc = -errno;
		goto out;
	}
	if ((rc = ff_write_all(fd, data, len)) < 0)
		goto out;
	if (durable && fsync(fd) < 0) {
		rc = -errno;
		goto out;
	}
	rc = close(fd);
	fd = -1;
	/* close() can report a delayed write error: the data is not safe. */
	if (rc < 0 || rename(tmp, path) < 0) {
		rc = -errno;
		goto out;
	}
	created = 0;
	if (durable)
		sync_dir(path);
out:
	if (fd >= 0)
		close(fd);
	if (created)
		unlink(tmp);
	free(tmp);
	free(data);
	return rc;
}
