/* The trace reader's fuzz harness: one input through every path of fifuzz
 * that reads a trace, as `show`, `replay` and `minimize` do, without running
 * a program.
 *
 *   harness FILE...   each file (regression runs; prints one line per file)
 *   harness           AFL++ persistent mode, the input in shared memory
 *                     (only when built with afl-clang-fast)
 *   harness --fix-checksum FILE...   rewrites each file's last 8 bytes with
 *                     the checksum of the rest (for corpus files)
 *
 * For each input: decode it (ff_trace_read for a file, ff_trace_decode for a
 * buffer); a refusal must be one line that cannot drive a terminal. An
 * accepted trace goes through show (text and JSON, each line checked the
 * same way), the command line's quoting,
 * replay's preparation (ff_config_apply_trace, the site index, the replay
 * source asked about every call the trace holds and a few it does not, the
 * path globs, the end-of-run check), minimize's enumeration of the faults and
 * the candidate traces its first steps build (each encoded and decoded
 * again), and a round trip: encode, decode, compare. A broken invariant calls
 * abort(), so AFL++ and the regression test see it as a crash.
 *
 * Mutated bytes almost never keep the XXH64 checksum right, and the reader
 * stops at a wrong one; so under AFL++ each input is decoded as it is, then
 * (if its checksum is wrong) again with the checksum recomputed, which lets
 * the mutations reach the parser. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "core/catalogue.h"
#include "core/config.h"
#include "core/json.h"
#include "core/campaign/minimize.h"
#include "core/run.h"
#include "core/site.h"
#include "core/trace/trace.h"
#include "core/quote.h"
#include "core/util.h"
#include "core/decide/replay.h"
#include "core/trace/show.h"

/* Calls the replay simulation makes at most per input: pass runs can claim
 * 2^64 calls. */
#define REPLAY_BUDGET 4096
/* Faults minimize's single-fault candidates cover at most per input. */
#define MIN_SINGLES 8

static FILE *devnull;

__attribute__((noreturn)) static void broken(const char *what)
{
	fprintf(stderr, "harness: invariant broken: %s\n", what);
	abort();
}

/* A message fifuzz prints about a trace: one non-empty line that cannot
 * drive a terminal (valid UTF-8 without C0 controls, DEL or C1 controls). */
static bool one_safe_line(const char *s)
{
	if (!*s)
		return false;
	while (*s) {
		uint32_t cp;
		size_t n = ff_utf8_seq(s, &cp);
		if (!n || cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
			return false;
		s += n;
	}
	return true;
}

static bool item_eq(const struct ff_item *a, const struct ff_item *b)
{
	return a->kind == b->kind && a->err == b->err && a->count == b->count && a->n == b->n && a->len == b->len &&
	       a->lenhash == b->lenhash && a->mode == b->mode && a->off == b->off && a->key == b->key;
}

static bool strv_eq(char *const *a, char *const *b, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (strcmp(a[i], b[i]))
			return false;
	return true;
}

/* Equal as traces: every field but the versions (the writer writes its own). */
static bool trace_eq(const struct ff_trace *a, const struct ff_trace *b)
{
	const struct ff_trace_hdr *x = &a->hdr, *y = &b->hdr;
	if (x->prng != y->prng || x->flags != y->flags || x->seed != y->seed || x->rate_q != y->rate_q ||
	    x->fault_mask != y->fault_mask || x->fdkind_mask != y->fdkind_mask || x->profile != y->profile ||
	    x->max_faults != y->max_faults || x->after != y->after || x->only != y->only || x->nerrnos != y->nerrnos ||
	    x->nglobs != y->nglobs || x->nsyscalls != y->nsyscalls || x->argc != y->argc)
		return false;
	if ((x->nerrnos && memcmp(x->errnos, y->errnos, x->nerrnos * sizeof(*x->errnos))) ||
	    !strv_eq(x->globs, y->globs, x->nglobs) || !strv_eq(x->syscalls, y->syscalls, x->nsyscalls) ||
	    !strv_eq(x->argv, y->argv, x->argc))
		return false;
	if (a->nstreams != b->nstreams || a->complete != b->complete || a->outcome.kind != b->outcome.kind ||
	    a->outcome.code != b->outcome.code || a->outcome.verdict != b->outcome.verdict ||
	    a->eligible != b->eligible || a->faults != b->faults)
		return false;
	if (x->crash_mode != y->crash_mode || x->fsync_failure != y->fsync_failure || x->crash_rate_q != y->crash_rate_q ||
	    x->crash_at != y->crash_at || a->cut != b->cut || a->state_hash != b->state_hash ||
	    a->state_files != b->state_files)
		return false;
	if (x->site_mode != y->site_mode || x->site_depth != y->site_depth || a->ncontexts != b->ncontexts)
		return false;
	for (size_t i = 0; i < a->ncontexts; i++)
		if (a->contexts[i].hash != b->contexts[i].hash || strcmp(a->contexts[i].frames, b->contexts[i].frames))
			return false;
	for (size_t i = 0; i < a->nstreams; i++) {
		const struct ff_stream *s = &a->streams[i], *t = &b->streams[i];
		if (strcmp(s->sc, t->sc) || strcmp(s->path, t->path) || s->nitems != t->nitems || s->calls != t->calls)
			return false;
		for (size_t j = 0; j < s->nitems; j++)
			if (!item_eq(&s->items[j], &t->items[j]))
				return false;
	}
	return true;
}

/* The encoding is canonical: re-encoding what was read gives the input's
 * bytes, except the two version fields and the header extension past the
 * fields of this format (the writer writes its own versions, and format 2's
 * power-loss fields only when power loss was on). ext is where the
 * extension's length sits. */
static void same_bytes(const uint8_t *in, size_t inlen, const uint8_t *out, size_t outlen, size_t ext)
{
	if (ext + 1 + 8 > outlen || ext > inlen || memcmp(in, out, 8) || memcmp(in + 12, out + 12, ext - 12))
		broken("re-encoding changed the header");
	const uint8_t *p = in + ext, *q = out + ext;
	uint64_t extlen, outext;
	if (ff_varint_get(&p, in + inlen, &extlen) < 0 || extlen > (size_t)(in + inlen - p) ||
	    ff_varint_get(&q, out + outlen, &outext) < 0 || outext > (size_t)(out + outlen - q))
		broken("re-encoding moved the extension");
	/* What the writer wrote of the extension is what the input had first. */
	if (outext > extlen || memcmp(p, q, (size_t)outext))
		broken("re-encoding changed the extension");
	p += extlen;
	q += outext;
	size_t rest = (size_t)(in + inlen - p);
	if (rest != (size_t)(out + outlen - q) || rest < 8 || memcmp(p, q, rest - 8))
		broken("re-encoding changed the body or footer");
}

/* Where the writer puts the extension length: after the header, found by
 * encoding the same header with no streams and the smallest footer (a
 * one-byte stream count, six one-byte footer fields, the checksum). */
static size_t ext_offset(const struct ff_trace *t)
{
	struct ff_trace h = *t;
	h.streams = NULL;
	h.nstreams = h.cap = 0;
	h.complete = 0;
	memset(&h.outcome, 0, sizeof(h.outcome));
	h.eligible = h.faults = 0;
	/* No power-loss fields: the extension is then the one byte 0. */
	h.hdr.crash_mode = h.hdr.fsync_failure = 0;
	h.hdr.crash_rate_q = 0;
	h.hdr.crash_at = 0;
	h.cut = 0;
	h.state_hash = h.state_files = 0;
	h.hdr.site_mode = h.hdr.site_depth = 0; /* nor stack sites' */
	h.contexts = NULL;
	h.ncontexts = 0;
	uint8_t *b;
	size_t n;
	if (ff_trace_encode(&h, &b, &n) < 0 || n < 12 + 1 + 1 + 6 + 8)
		broken("the header alone does not encode");
	free(b);
	return n - 8 - 6 - 1 - 1;
}

/* Encode, decode, compare; and the bytes are the input's. */
static void roundtrip(const uint8_t *in, size_t inlen, const struct ff_trace *t)
{
	uint8_t *out, *again;
	size_t outlen, againlen;
	struct ff_trace u;
	char err[256];
	if (ff_trace_encode(t, &out, &outlen) < 0)
		broken("a trace the reader accepted does not encode");
	if (ff_trace_decode(out, outlen, &u, err, sizeof(err)) < 0) {
		fprintf(stderr, "harness: %s\n", err);
		broken("the reader refuses what the writer wrote");
	}
	if (!trace_eq(t, &u))
		broken("decode(encode(t)) != t");
	if (ff_trace_encode(&u, &again, &againlen) < 0 || againlen != outlen || memcmp(out, again, outlen))
		broken("encode(decode(encode(t))) != encode(t)");
	same_bytes(in, inlen, out, outlen, ext_offset(t));
	free(again);
	free(out);
	ff_trace_free(&u);
}

/* What show prints: lines (one for JSON) that are each one safe line. */
static void check_lines(char *out, size_t len, bool json)
{
	if (!len || out[len - 1] != '\n' || strlen(out) != len)
		broken("show's output does not end a line, or holds a NUL");
	out[len - 1] = 0;
	if (json && strchr(out, '\n'))
		broken("show --json printed more than one line");
	for (char *line = out, *nl; line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		if (!one_safe_line(line))
			broken(json ? "show --json printed bytes a terminal obeys"
				    : "show printed bytes a terminal obeys");
	}
}

/* show as text and as JSON, into memory, each checked; the command line's
 * quoting of the recorded command (replay prints it). */
static void show(const struct ff_trace *t, const char *name)
{
	for (int json = 0; json < 2; json++) {
		char *out = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&out, &len);
		if (!f || ff_show(t, name, f, json) < 0 || fclose(f) != 0)
			broken("show failed on a memory stream");
		check_lines(out, len, json);
		free(out);
	}
	ff_quote_cmd(devnull, t->hdr.argv, t->hdr.argc);
}

/* A replay decision must be one the injector can apply to this call. */
static void check_decision(const struct ff_call *c, const struct ff_decision *d)
{
	if (d->kind == FF_HOLD || d->kind == FF_HOLD_CUT)
		return; /* a power-cut trace's replay holds the task: nothing is applied */
	if (d->kind >= FF_FAULT_COUNT)
		broken("replay chose an unknown fault kind");
	if ((d->kind == FF_SHORT || d->kind == FF_TORN) && (d->n == 0 || d->n >= c->len))
		broken("replay chose a cut that is not 0 < n < len");
	if ((d->kind == FF_ERROR || d->kind == FF_TORN || d->kind == FF_FSYNC) && (d->err < 1 || d->err > 4095))
		broken("replay chose an errno outside 1..4095");
	if (d->kind == FF_CORRUPT && (d->mode < 1 || d->mode > 3 || !d->planned ||
				      (d->mode == 1 && d->n > 1) || d->n > 512))
		broken("replay chose a corrupt read the injector cannot apply");
	if (d->kind != FF_CORRUPT && (d->mode || d->off || d->key))
		broken("replay gave a corrupt read's fields to another fault");
}

static void ask(struct ff_source *src, struct ff_call *c, unsigned *budget)
{
	struct ff_decision d;
	src->decide(src, c, &d);
	check_decision(c, &d);
	c->ordinal++;
	c->index++;
	(*budget)--;
}

/* What replay does before and around the run: the recorded selection, the
 * index, a decision for each call the trace holds (pass runs with made-up
 * lengths, faults with their length and with half of it), one call past
 * each stream's end, a site the trace lacks, the end-of-run check. */
static void replay(const struct ff_trace *t)
{
	struct ff_config cfg;
	char why[512];
	memset(&cfg, 0, sizeof(cfg));
	if (ff_config_apply_trace(&cfg, t, why, sizeof(why)) < 0) {
		if (!one_safe_line(why))
			broken("replay's refusal is not one safe line");
		return; /* replay stops here with exit 2 */
	}
	struct ff_replay rp;
	struct ff_source src;
	ff_replay_init(&rp, t);
	ff_source_replay(&src, &rp);
	unsigned budget = REPLAY_BUDGET;
	struct ff_call c = {0};
	for (size_t i = 0; i < t->nstreams && budget; i++) {
		const struct ff_stream *s = &t->streams[i];
		int sc = ff_sc_by_name(s->sc);
		if (sc < 0)
			continue; /* no call of the program can reach this stream */
		ff_path_match(s->path, cfg.globs, cfg.nglobs);
		c = (struct ff_call){.sc = sc, .path = s->path, .index = c.index};
		for (size_t j = 0; j < s->nitems && budget; j++) {
			const struct ff_item *it = &s->items[j];
			if (it->kind == FF_PASS) {
				for (uint64_t k = 0; k < it->count && budget; k++) {
					c.len = k;
					ask(&src, &c, &budget);
				}
				continue;
			}
			c.len = (j & 1) ? it->len / 2 : it->len;
			ask(&src, &c, &budget);
		}
		if (budget)
			ask(&src, &c, &budget);
	}
	c = (struct ff_call){.sc = 0, .path = "\x01not-in-any-trace", .len = 1};
	ask(&src, &c, &budget);
	ff_replay_finish(&rp);
	ff_config_release(&cfg);
	char esc[4 * sizeof(rp.first)];
	ff_escape_name(esc, sizeof(esc), rp.first);
	if (rp.divergences && !one_safe_line(esc))
		broken("the escaped divergence is not one safe line");
	ff_replay_free(&rp);
}

/* A minimize candidate must be a trace the writer takes and the reader
 * reads back as written; minimize then replays it (the index is built). */
static void candidate(const struct ff_trace *t, const struct ff_fault_ref *refs, const struct ff_item *now,
		      const bool *keep, size_t n)
{
	struct ff_trace c, back;
	uint8_t *b;
	size_t len;
	char err[256];
	ff_min_candidate(t, refs, now, keep, n, &c);
	if (ff_trace_encode(&c, &b, &len) < 0)
		broken("a minimize candidate does not encode");
	if (ff_trace_decode(b, len, &back, err, sizeof(err)) < 0) {
		fprintf(stderr, "harness: %s\n", err);
		broken("a minimize candidate does not decode");
	}
	if (!trace_eq(&c, &back))
		broken("a minimize candidate changed on the way through the file");
	struct ff_replay rp;
	ff_replay_init(&rp, &c);
	ff_replay_free(&rp);
	ff_trace_free(&back);
	free(b);
	ff_min_candidate_free(&c);
}

/* Minimize's work before its first replay and the shapes of its later
 * candidates: every fault, none, each half (ddmin's first split), each of
 * the first faults alone, then the simplifications (torn as a plain error,
 * a cut halfway to the whole call). */
static void minimize(const struct ff_trace *t)
{
	struct ff_fault_ref *refs;
	size_t n = ff_min_list_faults(t, &refs);
	struct ff_item *now = ff_xcalloc(n + 1, sizeof(*now));
	bool *keep = ff_xcalloc(n + 1, sizeof(*keep));
	for (size_t f = 0; f < n; f++) {
		if (refs[f].stream >= t->nstreams || refs[f].item >= t->streams[refs[f].stream].nitems)
			broken("minimize listed a fault that is not in the trace");
		now[f] = t->streams[refs[f].stream].items[refs[f].item];
		if (now[f].kind == FF_PASS)
			broken("minimize listed a pass as a fault");
	}
	for (int shape = 0; shape < 4; shape++) {
		for (size_t f = 0; f < n; f++)
			keep[f] = shape == 0 || (shape == 2 && f < n / 2) || (shape == 3 && f >= n / 2);
		candidate(t, refs, now, keep, n);
	}
	for (size_t one = 0; one < n && one < MIN_SINGLES; one++) {
		memset(keep, 0, n * sizeof(*keep));
		keep[one] = true;
		candidate(t, refs, now, keep, n);
	}
	for (size_t f = 0; f < n; f++) {
		keep[f] = true;
		if (now[f].kind == FF_TORN && f % 2) {
			now[f].kind = FF_ERROR;
			now[f].n = 0;
		} else if (now[f].kind == FF_SHORT || now[f].kind == FF_TORN) {
			now[f].n += (now[f].len - now[f].n) / 2;
		}
	}
	candidate(t, refs, now, keep, n);
	free(keep);
	free(now);
	free(refs);
}

/* A refusal is one line, and the trace is left empty. */
static void refused(const struct ff_trace *t, const char *err)
{
	if (!one_safe_line(err))
		broken("the reader's refusal is not one safe line");
	if (t->streams || t->nstreams || t->hdr.argv || t->hdr.globs || t->hdr.syscalls || t->hdr.errnos)
		broken("a refused trace was not freed");
}

static void accepted(const uint8_t *buf, size_t len, struct ff_trace *t, const char *name)
{
	roundtrip(buf, len, t);
	show(t, name);
	replay(t);
	minimize(t);
	ff_trace_free(t);
}

/* One input in memory. Returns 0 if the reader accepted it, 2 if not. */
static int one_buffer(const uint8_t *buf, size_t len, const char *name, char *err, size_t errlen)
{
	struct ff_trace t;
	if (ff_trace_decode(buf, len, &t, err, errlen) < 0) {
		refused(&t, err);
		return 2;
	}
	accepted(buf, len, &t, name);
	return 0;
}

/* One file, read as the commands read it (ff_trace_read), and again as a
 * buffer: both must agree. Returns 0, 2 (refused) or 3 (unreadable). */
static int one_file(const char *path)
{
	struct ff_trace t;
	char err[512], err2[512];
	int rc = ff_trace_read(path, &t, err, sizeof(err));
	if (rc < 0)
		refused(&t, err);
	else
		ff_trace_free(&t);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > FF_TRACE_MAX_FILE) {
		if (fd >= 0)
			close(fd);
		printf("%s: %s\n", path, err);
		return rc < 0 ? 2 : 3;
	}
	size_t len = (size_t)st.st_size, got = 0;
	uint8_t *buf = ff_xmalloc(len + 1);
	while (got < len) {
		ssize_t n = read(fd, buf + got, len - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (got != len) {
		free(buf);
		printf("%s: short read\n", path);
		return 3;
	}
	int rc2 = one_buffer(buf, len, path, err2, sizeof(err2));
	free(buf);
	if ((rc < 0) != (rc2 != 0))
		broken("ff_trace_read and ff_trace_decode disagree");
	printf("%s: %s\n", path, rc < 0 ? err : "ok");
	return rc2;
}

/* Sets the last 8 bytes to XXH64 of the rest. Returns 1 if they changed. */
static int fix_checksum(uint8_t *buf, size_t len)
{
	if (len < 8)
		return 0;
	uint64_t h = XXH64(buf, len - 8, 0);
	uint8_t le[8];
	for (int i = 0; i < 8; i++)
		le[i] = (uint8_t)(h >> (8 * i));
	if (!memcmp(buf + len - 8, le, 8))
		return 0;
	memcpy(buf + len - 8, le, 8);
	return 1;
}

static int fix_files(int n, char **paths)
{
	int rc = 0;
	for (int i = 0; i < n; i++) {
		FILE *f = fopen(paths[i], "r+b");
		uint8_t *buf = NULL;
		long len = -1;
		if (f && fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
			buf = ff_xmalloc((size_t)len + 1);
			if (fread(buf, 1, (size_t)len, f) != (size_t)len)
				len = -1;
		}
		if (len >= 0 && fix_checksum(buf, (size_t)len) &&
		    (fseek(f, 0, SEEK_SET) != 0 || fwrite(buf, 1, (size_t)len, f) != (size_t)len))
			len = -1;
		if (!f || fclose(f) != 0 || len < 0) {
			fprintf(stderr, "harness: cannot fix %s\n", paths[i]);
			rc = 3;
		}
		free(buf);
	}
	return rc;
}

#ifdef __AFL_FUZZ_TESTCASE_LEN
__AFL_FUZZ_INIT();
#endif

int main(int argc, char **argv)
{
	devnull = fopen("/dev/null", "w");
	if (!devnull || ff_catalogue_init() < 0) {
		perror("harness: /dev/null");
		return 3;
	}
#ifdef __AFL_FUZZ_TESTCASE_LEN
	if (argc < 2) {
		__AFL_INIT();
		const unsigned char *shm = __AFL_FUZZ_TESTCASE_BUF;
		char err[512];
		while (__AFL_LOOP(10000)) {
			size_t len = (size_t)__AFL_FUZZ_TESTCASE_LEN;
			/* An exact-size copy, so reading one byte too far is a
			 * sanitizer report, not a read of AFL++'s buffer. */
			uint8_t *buf = ff_xmalloc(len ? len : 1);
			memcpy(buf, shm, len);
			one_buffer(buf, len, "input", err, sizeof(err));
			if (fix_checksum(buf, len))
				one_buffer(buf, len, "input", err, sizeof(err));
			free(buf);
		}
		return 0;
	}
#endif
	if (argc >= 2 && !strcmp(argv[1], "--fix-checksum"))
		return fix_files(argc - 2, argv + 2);
	if (argc < 2) {
		fprintf(stderr, "usage: %s TRACE... | --fix-checksum FILE...\n", argv[0]);
		return 2;
	}
	int ok = 0, nrefused = 0, unreadable = 0;
	for (int i = 1; i < argc; i++) {
		int rc = one_file(argv[i]);
		ok += rc == 0;
		nrefused += rc == 2;
		unreadable += rc == 3;
	}
	printf("harness: %d files: %d read, %d refused, %d unreadable\n", argc - 1, ok, nrefused, unreadable);
	return unreadable ? 3 : 0;
}
