/* Decision generators: the seeded one and the AFL++ schedule decoder.
 *
 * The seeded generator ("xxh3-site", FF_PRNG_XXH3_SITE): a counter-based
 * generator keyed by the seed and the call's logical site. The same seed
 * gives the same decision for the same (syscall, path, ordinal) whatever
 * else happens in the run, so thread interleavings do not move faults.
 *
 * 128 bits = XXH3_128(seed; "syscall\0path\0" || le64(ordinal))
 *   low 32 bits  < rate_q        -> fault (else pass)
 *   high 64 bits                 -> kind, errno and cut, by successive
 *                                   divisions (uniform enough: the ranges
 *                                   are tiny against 2^64)
 * When the call allows a power cut (--crash), a second hash decides it
 * first: XXH3_64(seed ^ FF_CUT_SALT; the same key) < crash_rate_q. The
 * fault decisions above do not change with --crash.
 * Changing this function changes every recorded decision: give it a new
 * FF_PRNG_* id instead. tests/unit/test_decide.c pins what it yields. */
#include <errno.h>
#include <string.h>
#include <xxhash.h>

#include "core/decide/decide.h"
#include "core/trace/trace.h"

uint32_t ff_rate_q(double p)
{
	if (!(p > 0))
		return 0;
	if (p >= 1)
		return UINT32_MAX;
	return (uint32_t)(p * 4294967296.0);
}

int ff_call_kinds(const struct ff_call *c, uint8_t *out)
{
	int nk = 0;
	for (int kd = FF_SHORT; kd < FF_FAULT_COUNT; kd++) {
		bool needs_cut = kd == FF_SHORT || kd == FF_TORN;
		bool needs_errno = kd == FF_ERROR || kd == FF_TORN;
		if (!(c->kinds & FF_K(kd)) || (needs_cut && c->len < 2) || (needs_errno && c->nerrnos == 0) ||
		    (kd == FF_CORRUPT && c->len == 0))
			continue;
		out[nk++] = (uint8_t)kd;
	}
	return nk;
}

/* The errno of the kinds that always report the same one. */
static uint16_t fixed_errno(uint8_t kind)
{
	switch (kind) {
	case FF_EINTR:
		return EINTR;
	case FF_EAGAIN:
		return EAGAIN;
	case FF_FSYNC:
		return EIO; /* what Linux reports when writeback failed */
	default:
		return 0;
	}
}

/* A corrupt read's mode: --corrupt-mode, or the seeded choice of a mix. */
static void corrupt_mode(struct ff_decision *d, const struct ff_call *c, uint64_t pick)
{
	d->mode = c->cmode ? c->cmode : (uint8_t)(1 + pick);
}

#define FF_CUT_SALT 0x7475632d72776f70ull /* "pwr-cut" */

void ff_decide_seeded(const struct ff_seeded *s, const struct ff_call *c, struct ff_decision *d)
{
	memset(d, 0, sizeof(*d));
	bool cut = c->kinds & FF_K(FF_CUT);
	if ((!s->rate_q || !(c->kinds & ~FF_K(FF_CUT))) && !(cut && s->crash_rate_q))
		return;

	char key[4096 + 64];
	size_t sl = strlen(ff_sc_table[c->sc].name), pl = strlen(c->path);
	if (sl + pl + 10 > sizeof(key))
		pl = sizeof(key) - sl - 10; /* paths are capped at PATH_MAX anyway */
	memcpy(key, ff_sc_table[c->sc].name, sl + 1);
	memcpy(key + sl + 1, c->path, pl);
	key[sl + 1 + pl] = 0;
	size_t k = sl + pl + 2;
	for (int i = 0; i < 8; i++)
		key[k++] = (char)(c->ordinal >> (8 * i));

	if (cut && s->crash_rate_q && (uint32_t)XXH3_64bits_withSeed(key, k, s->seed ^ FF_CUT_SALT) < s->crash_rate_q) {
		d->kind = FF_CUT;
		return;
	}
	if (!s->rate_q)
		return;
	XXH128_hash_t h = XXH3_128bits_withSeed(key, k, s->seed);
	uint32_t roll = (uint32_t)h.low64;
	if (s->rate_q != UINT32_MAX && roll >= s->rate_q)
		return;

	uint64_t r = h.high64;
	uint8_t kinds[FF_FAULT_COUNT];
	struct ff_call faults = *c;
	faults.kinds &= ~FF_K(FF_CUT); /* the cut has its own roll above */
	int nk = ff_call_kinds(&faults, kinds);
	if (!nk)
		return;
	d->kind = kinds[r % (uint64_t)nk];
	r /= (uint64_t)nk;
	d->err = fixed_errno(d->kind);
	if (d->kind == FF_ERROR || d->kind == FF_TORN) {
		d->err = (uint16_t)c->errnos[r % (uint64_t)c->nerrnos];
		r /= (uint64_t)c->nerrnos;
	}
	if (d->kind == FF_SHORT || d->kind == FF_TORN)
		d->n = 1 + r % (c->len - 1); /* 0 < n < len */
	if (d->kind == FF_CORRUPT) {
		corrupt_mode(d, c, r % 3);
		d->key = r / 3; /* the draw that places the damage once the bytes returned are known */
	}
}

static void seeded_decide(struct ff_source *src, const struct ff_call *c, struct ff_decision *d)
{
	struct ff_seeded *s = src->ctx;
	memset(d, 0, sizeof(*d));
	/* The cut first: --after, --only and --max-faults select faults, not it. */
	if (c->kinds & FF_K(FF_CUT)) {
		if (s->crash_at) {
			/* the first cut point at or after the crash_at-th eligible call
			 * (nothing is decided after a cut) */
			if (c->index + 1 >= s->crash_at) {
				d->kind = FF_CUT;
				return;
			}
		} else {
			struct ff_seeded cut = *s;
			cut.rate_q = 0;
			ff_decide_seeded(&cut, c, d);
			if (d->kind == FF_CUT)
				return;
		}
	}
	if (s->force) {
		ff_decide_forced(s->force, c, d);
		s->faults += d->kind != FF_PASS;
		return;
	}
	if (c->index < s->after || (s->only && c->index + 1 != s->only) ||
	    (s->max_faults && s->faults >= s->max_faults))
		return;
	struct ff_call f = *c;
	f.kinds &= ~FF_K(FF_CUT);
	struct ff_seeded one = *s;
	one.crash_rate_q = 0;
	if (s->only)
		one.rate_q = UINT32_MAX; /* the chosen call always fails */
	ff_decide_seeded(&one, &f, d);
	if (d->kind != FF_PASS)
		s->faults++;
}

void ff_source_seeded(struct ff_source *src, struct ff_seeded *s)
{
	*src = (struct ff_source){.decide = seeded_decide, .ctx = s};
}

/* ---- the schedule decoder (see decide.h for the grammar) ---- */

static int next_byte(struct ff_schedule *s)
{
	return s->pos < s->len ? s->bytes[s->pos++] : -1;
}

void ff_decide_schedule(struct ff_schedule *s, const struct ff_call *c, struct ff_decision *d)
{
	memset(d, 0, sizeof(*d));
	int b = next_byte(s);
	if (b <= 0 || b == '0')
		return; /* out of bytes, 0x00 or '0': let it through */
	uint8_t kinds[FF_FAULT_COUNT];
	int nk = ff_call_kinds(c, kinds);
	if (!nk)
		return;
	d->kind = kinds[(b - 1) % nk];
	d->err = fixed_errno(d->kind);
	if (d->kind == FF_ERROR || d->kind == FF_TORN) {
		int e = next_byte(s);
		d->err = (uint16_t)c->errnos[(e < 0 ? 0 : e) % c->nerrnos];
	}
	if (d->kind == FF_SHORT || d->kind == FF_TORN) {
		int lo = next_byte(s), hi = next_byte(s);
		uint64_t v = (uint64_t)(lo < 0 ? 0 : lo) | (uint64_t)(hi < 0 ? 0 : hi) << 8;
		d->n = 1 + v % (c->len - 1);
	}
	if (d->kind == FF_CORRUPT) {
		int m = next_byte(s), lo = next_byte(s), hi = next_byte(s);
		corrupt_mode(d, c, (uint64_t)(m < 0 ? 0 : m) % 3);
		d->key = (uint64_t)(lo < 0 ? 0 : lo) | (uint64_t)(hi < 0 ? 0 : hi) << 8;
	}
}

static void schedule_decide(struct ff_source *src, const struct ff_call *c, struct ff_decision *d)
{
	ff_decide_schedule(src->ctx, c, d);
}

void ff_source_schedule(struct ff_source *src, struct ff_schedule *s)
{
	*src = (struct ff_source){.decide = schedule_decide, .ctx = s};
}
