/* Corrupted reads (--faults corrupt): a read of a regular file runs for
 * real, then fifuzz damages what it returned in the tracee's buffer: one
 * flipped bit, or a zeroed or garbage 512-byte block aligned on the file's
 * offsets (a disk sector), clipped to the bytes returned. Where the damage
 * goes depends on how many bytes the read returned, so it is placed at the
 * exit stop from a draw chosen at entry; the trace keeps the result (mode,
 * offset, bytes, key), and replay applies exactly that. */
#ifndef FF_CORRUPT_H
#define FF_CORRUPT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/arch.h"
#include "core/catalogue.h"
#include "core/decide/decide.h"
#include "core/trace/trace.h"

/* Values are stored in traces: never renumber. */
enum ff_corrupt_mode { FF_CM_MIX = 0, FF_CM_FLIP = 1, FF_CM_ZERO = 2, FF_CM_GARBAGE = 3, FF_CM_COUNT };
#define FF_CORRUPT_BLOCK 512

/* "mix", "flip", "zero", "garbage", or "?". */
const char *ff_corrupt_mode_name(uint8_t mode);
/* The mode of a name, or -1. */
int ff_corrupt_mode_by_name(const char *name);

/* Places d's damage in ret returned bytes whose first byte is at file offset
 * foff: fills d->off, d->n and d->key from the draw in d->key. */
void ff_corrupt_plan(struct ff_decision *d, uint64_t ret, uint64_t foff);
/* Damages buf, the n bytes the decision covers (mode, key) in place. */
void ff_corrupt_bytes(uint8_t mode, uint64_t key, uint8_t *buf, size_t n);

/* A corrupt decision waiting for its call's exit stop. */
struct ff_corrupt_op {
	bool active;
	struct ff_decision d;
	size_t si, ii;	 /* its item in the trace being recorded */
	int fd;		 /* for the file offset of read and readv */
	bool positional; /* pread64, preadv, preadv2 with an offset: pos holds it */
	uint64_t pos;
	uint64_t buf; /* the buffer, or the iovec array */
	int iovcnt;   /* 0: one buffer */
};

/* At entry: remembers what the exit stop needs. */
void ff_corrupt_entry(struct ff_corrupt_op *op, const struct ff_regs *r, const struct ff_sc *sc,
		      const struct ff_decision *d, size_t si, size_t ii);
/* At the exit stop (result ret): places the damage (unless replayed),
 * writes it into tid's buffers and records it in t. Returns 0 or -errno. */
int ff_corrupt_exit(pid_t tid, struct ff_corrupt_op *op, int64_t ret, struct ff_trace *t);

#endif
