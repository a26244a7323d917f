#include "core/report.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/json.h"
#include "core/util.h"
#include "core/decide/replay.h"

void ff_outcome_describe(const struct ff_outcome *o, char *buf, size_t len)
{
	const char *abbr;
	switch (o->kind) {
	case FF_OUT_EXITED:
		snprintf(buf, len, "exited with status %d", (int)o->code);
		break;
	case FF_OUT_SIGNALED:
		abbr = sigabbrev_np((int)o->code);
		snprintf(buf, len, "killed by signal %d (SIG%s)", (int)o->code, abbr ? abbr : "?");
		break;
	case FF_OUT_HANG:
		snprintf(buf, len, "hung: killed after the timeout");
		break;
	case FF_OUT_INTERRUPTED:
		abbr = sigabbrev_np((int)o->code);
		snprintf(buf, len, "interrupted: fifuzz got SIG%s", abbr ? abbr : "?");
		break;
	case FF_OUT_CUT:
		snprintf(buf, len, "stopped by the power cut");
		break;
	default:
		snprintf(buf, len, "%s", ff_outcome_name(o->kind));
	}
}

void ff_report_print(const struct ff_config *cfg, const struct ff_run_result *res, const char *trace_written)
{
	if (cfg->verbose < 0)
		return;
	const struct ff_trace *t = &res->trace;
	char out[128];
	ff_outcome_describe(&t->outcome, out, sizeof(out));
	fprintf(stderr, "fifuzz: program %s\n", out);
	if (res->child_crash_sig && t->outcome.kind == FF_OUT_EXITED) {
		const char *a = sigabbrev_np(res->child_crash_sig);
		fprintf(stderr, "fifuzz: a child process was killed by signal %d (SIG%s)\n", res->child_crash_sig,
			a ? a : "?");
	}
	if (res->refused_forks)
		fprintf(stderr, "fifuzz: %" PRIu64 " fork%s refused with EAGAIN (--max-procs %u)\n", res->refused_forks,
			res->refused_forks == 1 ? "" : "s", cfg->max_procs);
	if (res->multi_writer) {
		char esc[4 * sizeof(res->multi_path)];
		ff_escape_name(esc, sizeof(esc), res->multi_path);
		fprintf(stderr,
			"fifuzz: note: %s was used by several tasks; ordinals there depend on scheduling "
			"(see docs/determinism.md)\n",
			esc);
	}
	if (t->hdr.crash_mode && t->cut) {
		const struct ff_durable_stats *d = &res->dur;
		fprintf(stderr,
			"fifuzz: power cut %s (%s): %" PRIu64 " unsynced change%s, %" PRIu64
			" lost%s; post-cut state %016" PRIx64 " (%" PRIu64 " name%s left)\n",
			t->cut == FF_CUT_CALL ? "at a call" : "after the run", ff_crash_mode_name(t->hdr.crash_mode),
			d->pending, d->pending == 1 ? "" : "s", d->lost,
			d->dropped ? " (and data dropped by a failed fsync)" : "", t->state_hash, t->state_files,
			t->state_files == 1 ? "" : "s");
		if (d->overflow)
			fprintf(stderr,
				"fifuzz: warning: the model ran out of room (over %llu MiB of unsynced data, or out "
				"of fds): files met after that keep their content\n",
				(unsigned long long)(FF_DUR_MAX_BYTES >> 20));
		if (res->cut_error[0])
			fprintf(stderr, "fifuzz: warning: the post-cut state is incomplete: %s\n", res->cut_error);
	}
	if (res->stdio_glob_file[0])
		fprintf(stderr,
			"fifuzz: note: %s, which --path names, was used through fds 0-2, which are not eligible "
			"without --include-stdio\n",
			res->stdio_glob_file);
	if (cfg->nglobs && !t->eligible)
		fprintf(stderr,
			"fifuzz: warning: no call of the program matched --path%s (site paths are relative to "
			"the directory the run started in: see fifuzz show of a run without --path)\n",
			cfg->nglobs > 1 ? " (any of them)" : "");
	fprintf(stderr, "fifuzz: %" PRIu64 " eligible call%s, %" PRIu64 " fault%s; verdict: %s", t->eligible,
		t->eligible == 1 ? "" : "s", t->faults, t->faults == 1 ? "" : "s", ff_verdict_name(t->outcome.verdict));
	if (trace_written)
		fprintf(stderr, "; trace %s", trace_written);
	fputc('\n', stderr);
}

static void json_faults(FILE *f, const struct ff_trace *t)
{
	fputs("[", f);
	int first = 1;
	for (size_t i = 0; i < t->nstreams; i++) {
		const struct ff_stream *s = &t->streams[i];
		uint64_t ord = 0;
		for (size_t j = 0; j < s->nitems; ord += s->items[j].count, j++) {
			const struct ff_item *it = &s->items[j];
			if (it->kind == FF_PASS)
				continue;
			fputs(first ? "\n  {" : ",\n  {", f);
			first = 0;
			fputs("\"syscall\":", f);
			ff_json_str(f, s->sc);
			fputs(",\"path\":", f);
			ff_json_str(f, s->path);
			fprintf(f, ",\"ordinal\":%" PRIu64 ",\"kind\":\"%s\",\"len\":%" PRIu64, ord,
				ff_fault_name(it->kind), it->len);
			if (it->kind != FF_ERROR)
				fprintf(f, ",\"n\":%" PRIu64, it->n);
			if (it->kind != FF_SHORT) {
				const char *en = ff_errno_name(it->err);
				fprintf(f, ",\"errno\":\"%s\"", en ? en : "?");
			}
			fputs("}", f);
		}
	}
	fputs(first ? "]" : "\n ]", f);
}

static void json_power_loss(FILE *f, const struct ff_run_result *res)
{
	const struct ff_trace *t = &res->trace;
	const struct ff_durable_stats *d = &res->dur;
	fprintf(
	    f,
	    ",\n \"power_loss\":{\"mode\":\"%s\",\"fsync_failure\":\"%s\",\"cut\":\"%s\",\"state_hash\":\"%016" PRIx64
	    "\",\"state_names\":%" PRIu64 ",\"files_followed\":%" PRIu64 ",\"unsynced\":%" PRIu64 ",\"lost\":%" PRIu64
	    ",\"dropped_by_fsync_failure\":%" PRIu64 ",\"complete\":%s}",
	    ff_crash_mode_name(t->hdr.crash_mode), t->hdr.fsync_failure ? "keep" : "drop", ff_cut_name(t->cut),
	    t->state_hash, t->state_files, d->files, d->pending, d->lost, d->dropped,
	    res->cut_error[0] || d->overflow ? "false" : "true");
}

static void json_replay(FILE *f, const struct ff_config *cfg, const struct ff_replay *rp, int reproduced)
{
	fputs(",\n \"replay\":{\"trace\":", f);
	ff_json_str(f, cfg->replay_path);
	fprintf(f, ",\"reproduced\":%s,\"diverged\":%s,\"divergences\":%" PRIu64 ",\"divergence\":",
		reproduced ? "true" : "false", rp->divergences ? "true" : "false", rp->divergences);
	if (rp->divergences)
		ff_json_str(f, rp->first);
	else
		fputs("null", f);
	fputs("}", f);
}

static void json_run(FILE *f, const struct ff_config *cfg, const struct ff_run_result *res, const char *trace_written,
		     bool replay)
{
	const struct ff_trace *t = &res->trace;
	fprintf(f, "{\"fifuzz\":\"%s\",\"mode\":\"%s\",\"seed\":%" PRIu64 ",\"seed_hex\":\"0x%" PRIx64 "\"", FF_VERSION,
		replay ? "replay" : "run", t->hdr.seed, t->hdr.seed);
	fprintf(f, ",\"rate\":%g,\n \"command\":", cfg->rate);
	ff_json_strv(f, cfg->argv, (size_t)cfg->argc);
	fputs(",\"trace\":", f);
	if (trace_written)
		ff_json_str(f, trace_written);
	else
		fputs("null", f);
	fprintf(f, ",\"complete\":%s,\"eligible\":%" PRIu64 ",\"faults_injected\":%" PRIu64 ",\n \"faults\":",
		t->complete ? "true" : "false", t->eligible, t->faults);
	json_faults(f, t);
	fprintf(f, ",\n \"outcome\":{\"kind\":\"%s\",\"code\":%d", ff_outcome_name(t->outcome.kind),
		(int)t->outcome.code);
	if (t->outcome.kind == FF_OUT_SIGNALED) {
		const char *a = sigabbrev_np((int)t->outcome.code);
		fprintf(f, ",\"signal\":\"SIG%s\"", a ? a : "?");
	}
	fprintf(f, "},\"verdict\":\"%s\",\"multi_writer\":%s,\"refused_forks\":%" PRIu64,
		ff_verdict_name(t->outcome.verdict), res->multi_writer ? "true" : "false", res->refused_forks);
}

int ff_report_json(const char *path, const struct ff_config *cfg, const struct ff_run_result *res,
		   const char *trace_written, const struct ff_replay *rp, int reproduced)
{
	char tmp[4200];
	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	int fd = mkstemp(tmp);
	if (fd < 0)
		return -errno;
	FILE *f = fdopen(fd, "w");
	if (!f) {
		int e = errno;
		close(fd);
		unlink(tmp);
		return -e;
	}
	json_run(f, cfg, res, trace_written, rp != NULL);
	if (res->trace.hdr.crash_mode)
		json_power_loss(f, res);
	if (rp)
		json_replay(f, cfg, rp, reproduced);
	fputs("}\n", f);
	int rc = 0;
	if (fflush(f) != 0 || fsync(fd) != 0)
		rc = -errno;
	if (fclose(f) != 0 && !rc)
		rc = -errno;
	if (!rc && rename(tmp, path) != 0)
		rc = -errno;
	if (rc)
		unlink(tmp);
	return rc;
}
