/* Decision sources: the one interface through which every fault is chosen.
 *
 * A source sees one eligible call (its logical site and what the catalogue
 * allows) and returns a decision. Three sources slot in here: the seeded
 * generator (core/decide/decide_gen.c), the trace being replayed
 * (core/decide/replay_source.c), and AFL++ schedule bytes (core/decide/schedule_file.c). */
#ifndef FF_DECIDE_H
#define FF_DECIDE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/catalogue.h"

/* One eligible call, as the decision code sees it. */
struct ff_call {
	int sc;		   /* catalogue index */
	const char *path;  /* normalized resource name */
	uint64_t ordinal;  /* 0-based: the n-th call of sc on path */
	uint64_t index;	   /* 0-based: the n-th eligible call of the run (order may vary with threads) */
	uint64_t len;	   /* bytes the call asks to transfer */
	uint32_t kinds;	   /* FF_K() kinds allowed here (config and shape applied) */
	const int *errnos; /* errnos allowed here */
	int nerrnos;
	uint8_t cmode; /* --corrupt-mode: enum ff_corrupt_mode, 0 a seeded mix */
};

/* Not a fault: replay of a run cut at a call holds a task that reaches a
 * call the recording never saw (it had not got there when the power went)
 * until the cut comes. Never stored in traces. */
#define FF_HOLD 0xff
/* Replay of such a run: the cut, but other tasks have not yet made every
 * call they had made when the power went; hold this one until they have
 * (ff_source.cut_ready). */
#define FF_HOLD_CUT 0xfe

struct ff_decision {
	uint8_t kind; /* enum ff_fault, or FF_HOLD */
	uint16_t err; /* FF_ERROR, FF_TORN */
	uint64_t n;   /* FF_SHORT, FF_TORN: bytes that land, 0 < n < len; FF_CORRUPT: bytes damaged */
	/* FF_CORRUPT: the mode; until planned (at the exit stop, once the bytes
	 * returned are known) key is the seeded draw that places the damage. */
	uint8_t mode;
	bool planned;
	uint64_t off, key;
};

struct ff_source {
	/* Fills d for call c (a source cannot fail: a call it has nothing for passes). */
	void (*decide)(struct ff_source *src, const struct ff_call *c, struct ff_decision *d);
	/* Optional: a new run starts in the same traced tree (AFL++'s forkserver
	 * forked a new child): fetch the new decisions. */
	void (*new_run)(struct ff_source *src);
	/* Optional (replay): the tasks held by FF_HOLD were let go; why says why. */
	void (*released)(struct ff_source *src, const char *why);
	/* Optional (replay): may the cut held by FF_HOLD_CUT come now? */
	bool (*cut_ready)(struct ff_source *src);
	void *ctx;
	void *owner; /* for new_run: whoever set the source up */
};

/* A sweep's one fault (core/campaign/sweep.h): this call, this way; every other call
 * passes. The cut of short and torn is a fraction of the call's own length,
 * which the baseline does not record. */
enum ff_forced_cut { FF_FCUT_NONE, FF_FCUT_ONE, FF_FCUT_HALF, FF_FCUT_ALL_BUT_ONE };
struct ff_forced {
	int sc;
	const char *path;
	uint64_t ordinal;
	uint8_t kind; /* enum ff_fault, not FF_CUT */
	uint16_t err;
	uint8_t cut; /* enum ff_forced_cut */
};
/* Fills d for c: f's fault when c is f's call and allows it, else a pass. */
void ff_decide_forced(const struct ff_forced *f, const struct ff_call *c, struct ff_decision *d);

/* The seeded generator: keyed XXH3 of (seed, syscall, path, ordinal), and
 * the selection policy around it (--after, --only, --max-faults). */
struct ff_seeded {
	uint64_t seed;
	uint32_t rate_q;       /* probability * 2^32 */
	uint64_t after;	       /* let calls with index < after through */
	uint64_t only;	       /* 1-based index of the one call to fault; 0: off */
	uint64_t max_faults;   /* 0: no limit */
	uint64_t faults;       /* injected so far */
	uint32_t crash_rate_q; /* probability of a cut per call that allows one */
	uint64_t crash_at;     /* 1-based index of the call to cut; 0: seeded by crash_rate_q */

	/* A sweep run: this fault instead of seeded ones; NULL: off. */
	const struct ff_forced *force;
};
void ff_source_seeded(struct ff_source *src, struct ff_seeded *s);

/* The generator itself, for unit tests and other sources. */
void ff_decide_seeded(const struct ff_seeded *s, const struct ff_call *c, struct ff_decision *d);

/* The schedule decoder (AFL++): decisions from bytes, consumed in the order
 * eligible calls happen (docs/schedule.md):
 *   call     := PASS | FAULT
 *   PASS     := 0x00 | 0x30 ('0')           let the call through
 *   FAULT    := K [E] [C0 C1]               any other byte K
 *   kind     =  kinds[(K - 1) % nkinds]      among the kinds this call allows
 *   errno    =  errnos[E % nerrnos]          error and torn only
 *   cut      =  1 + (C0 | C1 << 8) % (len - 1) short and torn only
 *   corrupt  := K M D0 D1: mode 1 + M % 3 (or --corrupt-mode), draw D0 | D1 << 8
 * The cut is then fitted to the call like any other (a writev-family cut
 * past the first iovec rounds down to an iovec boundary). Running out of
 * bytes lets every later call through (a missing E or C byte reads as 0). A K byte for a call that allows no kind is
 * consumed and the call passes. */
struct ff_schedule {
	const uint8_t *bytes;
	size_t len, pos;
};
void ff_source_schedule(struct ff_source *src, struct ff_schedule *s);
/* The decoder itself, for unit tests. */
void ff_decide_schedule(struct ff_schedule *s, const struct ff_call *c, struct ff_decision *d);

/* The kinds a call can take, in the fixed order every source uses (short,
 * error, torn, eintr, eagain, fsync), filtered by what the call allows.
 * Returns how many were written to out. */
int ff_call_kinds(const struct ff_call *c, uint8_t *out);

/* Converts a probability in [0, 1] to rate_q. */
uint32_t ff_rate_q(double p);

#endif
