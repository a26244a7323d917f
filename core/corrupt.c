#include "core/corrupt.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <xxhash.h>

#include "core/mem.h"
#include "core/site.h"

static const char *const mode_names[FF_CM_COUNT] = {"mix", "flip", "zero", "garbage"};

const char *ff_corrupt_mode_name(uint8_t mode)
{
	return mode < FF_CM_COUNT ? mode_names[mode] : "?";
}

int ff_corrupt_mode_by_name(const char *name)
{
	for (int i = 0; i < FF_CM_COUNT; i++)
		if (!strcmp(mode_names[i], name))
			return i;
	return -1;
}

/* flip: any byte, any bit. zero and garbage: one of the 512-byte blocks of
 * the file that the returned bytes touch, clipped to them (a sector the
 * disk gave back wrong). */
void ff_corrupt_plan(struct ff_decision *d, uint64_t ret, uint64_t foff)
{
	uint64_t draw = d->key;
	d->off = d->n = d->key = 0;
	d->planned = true;
	if (ret == 0)
		return; /* end of file: nothing to damage */
	if (d->mode == FF_CM_FLIP) {
		d->off = draw % ret;
		d->n = 1;
		d->key = (draw / ret) % 8;
		return;
	}
	uint64_t lead = foff % FF_CORRUPT_BLOCK;
	uint64_t nblocks = (lead + ret + FF_CORRUPT_BLOCK - 1) / FF_CORRUPT_BLOCK;
	uint64_t start = (draw % nblocks) * FF_CORRUPT_BLOCK, end = start + FF_CORRUPT_BLOCK;
	d->off = start > lead ? start - lead : 0;
	d->n = (end - lead < ret ? end - lead : ret) - d->off;
	/* garbage: the rest of the draw keys the bytes (never 0, so a key says garbage) */
	d->key = d->mode == FF_CM_GARBAGE ? XXH64(&draw, sizeof(draw), nblocks) | 1 : 0;
}

/* Garbage byte j is byte j % 8 (little-endian) of XXH64(le64(j / 8), seed key). */
void ff_corrupt_bytes(uint8_t mode, uint64_t key, uint8_t *buf, size_t n)
{
	if (mode == FF_CM_FLIP) {
		if (n)
			buf[0] ^= (uint8_t)(1u << (key & 7));
		return;
	}
	for (size_t j = 0; j < n; j++) {
		if (mode == FF_CM_ZERO) {
			buf[j] = 0;
			continue;
		}
		uint8_t le[8];
		for (int i = 0; i < 8; i++)
			le[i] = (uint8_t)((uint64_t)(j / 8) >> (8 * i));
		buf[j] = (uint8_t)(XXH64(le, sizeof(le), key) >> (8 * (j % 8)));
	}
}

void ff_corrupt_entry(struct ff_corrupt_op *op, const struct ff_regs *r, const struct ff_sc *sc,
		      const struct ff_decision *d, size_t si, size_t ii)
{
	memset(op, 0, sizeof(*op));
	op->active = true;
	op->d = *d;
	op->si = si;
	op->ii = ii;
	op->fd = (int)ff_arch_get(r, FF_REG_ARG1);
	bool iov = sc->shape == FF_SHAPE_IOV || sc->shape == FF_SHAPE_IOV_POS || sc->shape == FF_SHAPE_IOV_POS2;
	op->buf = ff_arch_get(r, FF_REG_ARG2);
	op->iovcnt = iov ? (int)ff_arch_get(r, FF_REG_ARG3) : 0;
	/* pread64's offset and p{read}v's pos_l share the fourth argument; preadv2 with -1 reads at the position */
	op->pos = ff_arch_get(r, FF_REG_ARG4);
	op->positional = sc->shape == FF_SHAPE_BUF_POS || sc->shape == FF_SHAPE_IOV_POS ||
			 (sc->shape == FF_SHAPE_IOV_POS2 && op->pos != (uint64_t)-1);
}

/* The file offset of the first byte a read of ret bytes returned. */
static uint64_t first_offset(pid_t tid, const struct ff_corrupt_op *op, uint64_t ret)
{
	if (op->positional)
		return op->pos;
	int64_t pos;
	if (ff_fdinfo(tid, op->fd, &pos, NULL) < 0)
		return 0; /* the fd was closed by another thread: align on the buffer instead */
	return pos >= 0 && (uint64_t)pos >= ret ? (uint64_t)pos - ret : 0;
}

/* Copies the n bytes at offset off of the call's buffers out of (or back
 * into, when put) tid. Returns the bytes moved. */
static size_t move(pid_t tid, const struct ff_corrupt_op *op, uint64_t off, uint8_t *buf, size_t n, bool put)
{
	if (!op->iovcnt)
		return put ? ff_poke(tid, op->buf + off, buf, n) : ff_peek(tid, op->buf + off, buf, n);
	size_t done = 0;
	uint64_t at = 0; /* offset of the current iovec's first byte */
	for (int i = 0; i < op->iovcnt && i < 1024 && done < n; i++) {
		uint64_t iov[2];
		if (ff_peek(tid, op->buf + (uint64_t)i * FF_ARCH_IOVEC_SIZE, iov, sizeof(iov)) != sizeof(iov))
			break;
		uint64_t want = off + done;
		if (want < at + iov[1]) {
			uint64_t in = want - at, k = iov[1] - in < n - done ? iov[1] - in : n - done;
			size_t got =
			    put ? ff_poke(tid, iov[0] + in, buf + done, k) : ff_peek(tid, iov[0] + in, buf + done, k);
			done += got;
			if (got < k)
				break;
		}
		at += iov[1];
	}
	return done;
}

int ff_corrupt_exit(pid_t tid, struct ff_corrupt_op *op, int64_t ret, struct ff_trace *t)
{
	op->active = false;
	struct ff_decision *d = &op->d;
	uint64_t got = ret > 0 ? (uint64_t)ret : 0;
	if (!d->planned)
		ff_corrupt_plan(d, got, got ? first_offset(tid, op, got) : 0);
	if (d->off + d->n > got) /* replay: the read returned less than recorded */
		d->n = d->off < got ? got - d->off : 0;
	if (d->n == 0)
		d->off = d->key = 0;
	int rc = 0;
	uint8_t buf[FF_CORRUPT_BLOCK];
	if (d->n && d->n <= sizeof(buf)) {
		if (move(tid, op, d->off, buf, d->n, false) != d->n)
			rc = -EFAULT;
		else {
			ff_corrupt_bytes(d->mode, d->key, buf, d->n);
			if (move(tid, op, d->off, buf, d->n, true) != d->n)
				rc = -EFAULT;
		}
	}
	if (op->si < t->nstreams && op->ii < t->streams[op->si].nitems) {
		struct ff_item *it = &t->streams[op->si].items[op->ii];
		if (it->kind == FF_CORRUPT && !rc) {
			it->off = d->off;
			it->n = d->n;
			it->key = d->key;
		}
	}
	return rc;
}
