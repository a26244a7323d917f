/* `fifuzz show`: prints a trace as text (one decision a line, like strace
 * prints a call) or as JSON. Names come from the catalogue; anything read
 * from the file is escaped so it cannot drive the terminal. */
#include "core/trace/show.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/catalogue.h"
#include "core/corrupt.h"
#include "core/durable/durable.h"
#include "core/json.h"
#include "core/quote.h"
#include "core/util.h"

static const char *const flag_names[] = {"include-stdio", "include-startup", "no-seccomp",
					 "no-follow",	  "attached",	     "real-random"};

static void put_prng(FILE *f, uint16_t prng, int json)
{
	if (prng == FF_PRNG_XXH3_SITE)
		fputs(json ? "\"xxh3-site\"" : "xxh3-site", f);
	else if (prng == FF_PRNG_SCHEDULE)
		fputs(json ? "\"schedule\"" : "schedule", f);
	else
		fprintf(f, json ? "\"unknown(%u)\"" : "unknown(%u)", prng);
}

static double rate(uint32_t q)
{
	return q / 4294967296.0;
}

/* Prints the names of the set bits of mask (name(i) for bit i, NULL when
 * unknown) as "a,b" or a JSON array; unknown bits print as hex. */
static void put_mask(FILE *f, uint32_t mask, const char *(*name)(unsigned), int json)
{
	int first = 1;
	if (json)
		putc('[', f);
	for (unsigned i = 0; i < 32; i++) {
		if (!(mask & (1u << i)))
			continue;
		const char *nm = name(i);
		if (!first)
			putc(',', f);
		first = 0;
		if (json)
			putc('"', f);
		if (nm)
			fputs(nm, f);
		else
			fprintf(f, "0x%x", 1u << i);
		if (json)
			putc('"', f);
	}
	if (json)
		putc(']', f);
	else if (first)
		fputs("none", f);
}

static const char *fault_bit(unsigned i)
{
	return i > FF_PASS && i < FF_FAULT_COUNT ? ff_fault_name(i) : NULL;
}

static const char *fdkind_bit(unsigned i)
{
	return i < FF_FD_COUNT ? ff_fdkind_name(i) : NULL;
}

static const char *flag_bit(unsigned i)
{
	return i < FF_ARRAY_LEN(flag_names) ? flag_names[i] : NULL;
}

static const char *sig_name(int sig, char *buf, size_t len)
{
	const char *abbrev = sigabbrev_np(sig);
	if (abbrev)
		snprintf(buf, len, "SIG%s", abbrev);
	else
		snprintf(buf, len, "unknown");
	return buf;
}

/* Prints an errno by name, or by number when the table lacks it. */
static void put_errno(FILE *f, uint16_t err, int json)
{
	const char *nm = ff_errno_name(err);
	if (nm)
		fprintf(f, json ? "\"%s\"" : "%s", nm);
	else
		fprintf(f, json ? "\"unknown(%u)\"" : "errno %u", err);
}

static void put_profile(FILE *f, uint8_t profile, int json)
{
	static const char *const names[] = {"realistic", "all"};
	if (profile < FF_ARRAY_LEN(names))
		fprintf(f, json ? "\"%s\"" : "%s", names[profile]);
	else
		fprintf(f, json ? "\"unknown(%u)\"" : "unknown(%u)", profile);
}

/* Prints a count where 0 means "off" or "no limit": "-" or null. */
static void put_opt(FILE *f, uint64_t v, int json)
{
	if (v)
		fprintf(f, "%" PRIu64, v);
	else
		fputs(json ? "null" : "-", f);
}

/* The selection line: which calls the recorder could fault. */
static void text_selection(FILE *f, const struct ff_trace_hdr *h)
{
	fputs("selection: profile ", f);
	put_profile(f, h->profile, 0);
	fputs("  errnos: ", f);
	for (uint32_t i = 0; i < h->nerrnos; i++) {
		if (i)
			putc(',', f);
		put_errno(f, h->errnos[i], 0);
	}
	if (!h->nerrnos)
		fputs("any", f);
	fputs("  paths: ", f);
	for (uint32_t i = 0; i < h->nglobs; i++) {
		if (i)
			putc(',', f);
		ff_quote_text(f, h->globs[i]);
	}
	if (!h->nglobs)
		fputs("any", f);
	fprintf(f, "  after: %" PRIu64 "  only: ", h->after);
	put_opt(f, h->only, 0);
	fputs("  max faults: ", f);
	put_opt(f, h->max_faults, 0);
	putc('\n', f);
}

static int has_errno(uint8_t kind)
{
	return kind != FF_PASS && kind != FF_SHORT && kind != FF_CORRUPT;
}

/* A corrupt read: "corrupt flip @OFF bit B", "corrupt zero @OFF +N",
 * "corrupt garbage @OFF +N key K", or "corrupt nothing" (it returned no bytes). */
static void text_corrupt(FILE *f, const struct ff_item *it)
{
	fprintf(f, " %s", ff_corrupt_mode_name(it->mode));
	if (!it->n)
		fputs(" nothing (no bytes returned)", f);
	else if (it->mode == FF_CM_FLIP)
		fprintf(f, " @%" PRIu64 " bit %" PRIu64, it->off, it->key);
	else
		fprintf(f, " @%" PRIu64 " +%" PRIu64, it->off, it->n);
	if (it->n && it->mode == FF_CM_GARBAGE)
		fprintf(f, " key %016" PRIx64, it->key);
}

static void json_corrupt(FILE *f, const struct ff_item *it)
{
	fprintf(f, ",\"mode\":\"%s\",\"offset\":%" PRIu64 ",\"bytes\":%" PRIu64, ff_corrupt_mode_name(it->mode),
		it->off, it->n);
	if (it->mode == FF_CM_FLIP && it->n)
		fprintf(f, ",\"bit\":%" PRIu64, it->key);
	if (it->mode == FF_CM_GARBAGE && it->n)
		fprintf(f, ",\"key\":\"%016" PRIx64 "\"", it->key);
}

static const char *plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* A site's path; a stack site's as "PATH @ f<-g<-main" when the trace has
 * its context's text. */
static void text_path(FILE *f, const struct ff_trace *t, const char *path)
{
	uint64_t h;
	long n = t->hdr.site_mode ? ff_site_split(path, &h) : -1;
	const char *frames = n >= 0 ? ff_trace_context(t, h) : NULL;
	if (!frames) {
		ff_quote_text(f, path);
		return;
	}
	char *p = ff_xstrdup(path);
	p[n] = 0;
	ff_quote_text(f, p);
	fputs(" @ ", f);
	ff_quote_text(f, frames);
	free(p);
}

static void text_stream(FILE *f, const struct ff_trace *t, const struct ff_stream *s)
{
	uint64_t ord = 0;
	for (size_t i = 0; i < s->nitems; i++) {
		const struct ff_item *it = &s->items[i];
		ff_quote_text(f, s->sc);
		putc(' ', f);
		text_path(f, t, s->path);
		if (it->kind == FF_PASS) {
			if (it->count == 1)
				fprintf(f, " #%" PRIu64 ": pass (1 call)\n", ord);
			else
				fprintf(f, " #%" PRIu64 "-#%" PRIu64 ": pass (%" PRIu64 " calls)\n", ord,
					ord + it->count - 1, it->count);
			ord += it->count;
			continue;
		}
		/* Calls without a length (unlink, fsync) record 0: no "(0 bytes)". */
		fprintf(f, " #%" PRIu64, ord);
		if (it->len)
			fprintf(f, " (%" PRIu64 " %s)", it->len, plural(it->len, "byte", "bytes"));
		fprintf(f, ": %s", ff_fault_name(it->kind));
		if (it->kind == FF_SHORT || it->kind == FF_TORN)
			fprintf(f, " %" PRIu64, it->n);
		if (it->kind == FF_TORN)
			fputs(" +", f);
		if (it->kind == FF_CORRUPT)
			text_corrupt(f, it);
		/* eintr and eagain name their errno already. */
		if (it->kind == FF_ERROR || it->kind == FF_TORN || it->kind == FF_FSYNC) {
			putc(' ', f);
			put_errno(f, it->err, 0);
		}
		putc('\n', f);
		ord++;
	}
}

static void text_outcome(FILE *f, const struct ff_outcome *o)
{
	char sig[32];
	switch (o->kind) {
	case FF_OUT_NONE:
		fputs("none (the run did not finish)", f);
		break;
	case FF_OUT_EXITED:
		fprintf(f, "exited %" PRId32, o->code);
		break;
	case FF_OUT_SIGNALED:
		fprintf(f, "killed by signal %" PRId32 " (%s)", o->code, sig_name(o->code, sig, sizeof(sig)));
		break;
	case FF_OUT_HANG:
		fputs("hang", f);
		break;
	case FF_OUT_INTERRUPTED:
		fprintf(f, "interrupted by signal %" PRId32 " (%s)", o->code, sig_name(o->code, sig, sizeof(sig)));
		break;
	case FF_OUT_TRACE_ERROR:
		fputs("trace-error (fifuzz lost control of the tracee)", f);
		break;
	case FF_OUT_CUT:
		fputs("power cut (fifuzz killed the tree at the cut)", f);
		break;
	default:
		fprintf(f, "unknown(%u)", o->kind);
	}
}

static const char *const fates[] = {"lost", "survived", "partly survived"};

/* What the cut did: one unsynced change a line, its fate and the rule. */
static void text_changes(FILE *f, const struct ff_trace *t)
{
	uint64_t lost = 0;
	if (!t->changes_total)
		return;
	for (size_t i = 0; i < t->nchanges; i++)
		lost += t->changes[i].fate != 1;
	fprintf(f, "cut changes: %" PRIu64 " unsynced", t->changes_total);
	if (t->nchanges < t->changes_total)
		fprintf(f, " (the first %zu listed)", t->nchanges);
	fprintf(f, ", %" PRIu64 " of those listed lost in whole or part\n", lost);
	for (size_t i = 0; i < t->nchanges; i++) {
		const struct ff_cut_change *c = &t->changes[i];
		fprintf(f, "  %s ", ff_cut_change_name(c->kind));
		ff_quote_text(f, c->path);
		if (c->path2[0]) {
			fputs(c->kind == FF_CHG_RENAME ? " <- " : c->kind == FF_CHG_LINK ? " = " : " <-> ", f);
			ff_quote_text(f, c->path2);
		}
		if (c->kind == FF_CHG_WRITE)
			fprintf(f, " @%" PRIu64 " +%" PRIu64, c->off, c->len);
		else if (c->kind == FF_CHG_SIZE)
			fprintf(f, " -> %" PRIu64 " bytes", c->off);
		fprintf(f, ": %s (%s)\n", c->fate < 3 ? fates[c->fate] : "?", ff_cut_rule_text(c->rule));
	}
}

static void json_changes(FILE *f, const struct ff_trace *t)
{
	fprintf(f, ",\"changes_total\":%" PRIu64 ",\"changes\":[", t->changes_total);
	for (size_t i = 0; i < t->nchanges; i++) {
		const struct ff_cut_change *c = &t->changes[i];
		fprintf(f, "%s{\"change\":\"%s\",\"path\":", i ? "," : "", ff_cut_change_name(c->kind));
		ff_json_str(f, c->path);
		if (c->path2[0]) {
			fputs(",\"from\":", f);
			ff_json_str(f, c->path2);
		}
		if (c->kind == FF_CHG_WRITE)
			fprintf(f, ",\"offset\":%" PRIu64 ",\"length\":%" PRIu64, c->off, c->len);
		else if (c->kind == FF_CHG_SIZE)
			fprintf(f, ",\"size\":%" PRIu64, c->off);
		fprintf(f, ",\"fate\":\"%s\",\"rule\":\"%s\"}", c->fate < 3 ? fates[c->fate] : "?",
			ff_cut_rule_name(c->rule));
	}
	fputc(']', f);
}

static void show_text(const struct ff_trace *t, const char *name, FILE *f)
{
	const struct ff_trace_hdr *h = &t->hdr;
	fputs("trace: ", f);
	ff_quote_text(f, name);
	fprintf(f, " (format %u, %s)\n", h->version, t->complete ? "complete" : "INCOMPLETE: the run did not finish");
	fprintf(f, "seed: %" PRIu64 "  prng: ", h->seed);
	put_prng(f, h->prng, 0);
	fprintf(f, "  rate: %g\n", rate(h->rate_q));
	fputs("syscalls: ", f);
	for (uint32_t i = 0; i < h->nsyscalls; i++) {
		if (i)
			putc(',', f);
		ff_quote_text(f, h->syscalls[i]);
	}
	if (!h->nsyscalls)
		fputs("none", f);
	fputs("  faults: ", f);
	put_mask(f, h->fault_mask, fault_bit, 0);
	fputs("  fd kinds: ", f);
	put_mask(f, h->fdkind_mask, fdkind_bit, 0);
	fputs("  flags: ", f);
	put_mask(f, h->flags, flag_bit, 0);
	putc('\n', f);
	text_selection(f, h);
	fputs("command:", f);
	for (uint32_t i = 0; i < h->argc; i++) {
		putc(' ', f);
		ff_quote_arg(f, h->argv[i]);
	}
	if (!h->argc)
		fputs(" (none)", f);
	putc('\n', f);
	if (h->crash_mode) {
		fprintf(f, "power loss: mode %s  fsync failure: %s  crash rate: %g  crash at: ",
			ff_crash_mode_name(h->crash_mode), h->fsync_failure ? "keep" : "drop", rate(h->crash_rate_q));
		put_opt(f, h->crash_at, 0);
		fprintf(f, "  fs: %s\n", ff_fs_name(h->fs_profile) ? ff_fs_name(h->fs_profile) : "?");
	}
	if (h->site_mode)
		fprintf(f, "sites: stack (calling contexts of at most %u frames; %zu %s)\n", h->site_depth,
			t->ncontexts, plural(t->ncontexts, "context", "contexts"));
	for (size_t i = 0; i < t->nstreams; i++)
		text_stream(f, t, &t->streams[i]);
	fputs("outcome: ", f);
	text_outcome(f, &t->outcome);
	fprintf(f, "; verdict: %s; %" PRIu64 " eligible %s, %" PRIu64 " %s\n", ff_verdict_name(t->outcome.verdict),
		t->eligible, plural(t->eligible, "call", "calls"), t->faults, plural(t->faults, "fault", "faults"));
	if (h->crash_mode)
		fprintf(f, "cut: %s; post-cut state %016" PRIx64 " (%" PRIu64 " %s left)\n",
			t->cut == FF_CUT_CALL  ? "at a call"
			: t->cut == FF_CUT_END ? "after the run"
					       : "none",
			t->state_hash, t->state_files, plural(t->state_files, "name", "names"));
	text_changes(f, t);
}

static void json_stream(FILE *f, const struct ff_trace *t, const struct ff_stream *s)
{
	uint64_t ord = 0, h;
	fputs("{\"syscall\":", f);
	ff_json_str(f, s->sc);
	fputs(",\"path\":", f);
	ff_json_str(f, s->path);
	long n = t->hdr.site_mode ? ff_site_split(s->path, &h) : -1;
	if (n >= 0) { /* a stack site: its context, and the frames when the trace has them */
		const char *frames = ff_trace_context(t, h);
		fprintf(f, ",\"context\":\"%016" PRIx64 "\",\"frames\":", h);
		if (frames)
			ff_json_str(f, frames);
		else
			fputs("null", f);
	}
	fputs(",\"items\":[", f);
	for (size_t i = 0; i < s->nitems; i++) {
		const struct ff_item *it = &s->items[i];
		fprintf(f, "%s{\"ordinal\":%" PRIu64 ",\"kind\":\"%s\"", i ? "," : "", ord, ff_fault_name(it->kind));
		if (it->kind == FF_PASS) {
			fprintf(f, ",\"count\":%" PRIu64 "}", it->count);
			ord += it->count;
			continue;
		}
		fprintf(f, ",\"len\":%" PRIu64, it->len);
		if (it->kind == FF_SHORT || it->kind == FF_TORN)
			fprintf(f, ",\"n\":%" PRIu64, it->n);
		if (it->kind == FF_CORRUPT)
			json_corrupt(f, it);
		if (has_errno(it->kind)) {
			fputs(",\"errno\":", f);
			put_errno(f, it->err, 1);
		}
		putc('}', f);
		ord++;
	}
	fputs("]}", f);
}

static void show_json(const struct ff_trace *t, const char *name, FILE *f)
{
	const struct ff_trace_hdr *h = &t->hdr;
	char sig[32];
	fputs("{\"trace\":", f);
	ff_json_str(f, name);
	fprintf(f, ",\"format\":%u,\"complete\":%s", h->version, t->complete ? "true" : "false");
	/* Numbers above 2^53 lose precision in some parsers: seed_hex is exact. */
	fprintf(f, ",\"seed\":%" PRIu64 ",\"seed_hex\":\"0x%" PRIx64 "\",\"prng\":", h->seed, h->seed);
	put_prng(f, h->prng, 1);
	fprintf(f, ",\"rate\":%g,\"rate_q\":%" PRIu32 ",\"syscalls\":", rate(h->rate_q), h->rate_q);
	ff_json_strv(f, h->syscalls, h->nsyscalls);
	fputs(",\"faults\":", f);
	put_mask(f, h->fault_mask, fault_bit, 1);
	fputs(",\"fd_kinds\":", f);
	put_mask(f, h->fdkind_mask, fdkind_bit, 1);
	fputs(",\"flags\":", f);
	put_mask(f, h->flags, flag_bit, 1);
	fputs(",\"profile\":", f);
	put_profile(f, h->profile, 1);
	fputs(",\"errnos\":[", f);
	for (uint32_t i = 0; i < h->nerrnos; i++) {
		if (i)
			putc(',', f);
		put_errno(f, h->errnos[i], 1);
	}
	fputs("],\"paths\":", f);
	ff_json_strv(f, h->globs, h->nglobs);
	fprintf(f, ",\"after\":%" PRIu64 ",\"only\":", h->after);
	put_opt(f, h->only, 1);
	fputs(",\"max_faults\":", f);
	put_opt(f, h->max_faults, 1);
	fputs(",\"command\":", f);
	ff_json_strv(f, h->argv, h->argc);
	fputs(",\"streams\":[", f);
	for (size_t i = 0; i < t->nstreams; i++) {
		if (i)
			putc(',', f);
		json_stream(f, t, &t->streams[i]);
	}
	fprintf(f, "],\"outcome\":{\"kind\":\"%s\",\"code\":%" PRId32, ff_outcome_name(t->outcome.kind),
		t->outcome.code);
	if (t->outcome.kind == FF_OUT_SIGNALED || t->outcome.kind == FF_OUT_INTERRUPTED)
		fprintf(f, ",\"signal\":\"%s\"", sig_name(t->outcome.code, sig, sizeof(sig)));
	fprintf(f, "},\"verdict\":\"%s\",\"eligible\":%" PRIu64 ",\"faults_injected\":%" PRIu64,
		ff_verdict_name(t->outcome.verdict), t->eligible, t->faults);
	if (h->site_mode)
		fprintf(f, ",\"sites\":{\"mode\":\"stack\",\"depth\":%u,\"contexts\":%zu}", h->site_depth,
			t->ncontexts);
	fputs(",\"power_loss\":", f);
	if (h->crash_mode) {
		fprintf(f, "{\"mode\":\"%s\",\"fsync_failure\":\"%s\",\"crash_rate\":%g,\"crash_at\":",
			ff_crash_mode_name(h->crash_mode), h->fsync_failure ? "keep" : "drop", rate(h->crash_rate_q));
		put_opt(f, h->crash_at, 1);
		fprintf(f, ",\"fs\":\"%s\"", ff_fs_name(h->fs_profile) ? ff_fs_name(h->fs_profile) : "?");
		fprintf(f, ",\"cut\":\"%s\",\"state_hash\":\"%016" PRIx64 "\",\"state_names\":%" PRIu64,
			ff_cut_name(t->cut), t->state_hash, t->state_files);
		json_changes(f, t);
		fputc('}', f);
	} else {
		fputs("null", f);
	}
	fputs("}\n", f);
}

int ff_show(const struct ff_trace *t, const char *name, FILE *out, int json)
{
	if (!name)
		name = "-";
	if (json)
		show_json(t, name, out);
	else
		show_text(t, name, out);
	return fflush(out) == 0 && !ferror(out) ? 0 : -EIO;
}
