/* `fifuzz merge DIR... -o MERGED` (campaign directories of one program and
 * selection: shards, or repeated campaigns) and `fifuzz show-campaign DIR`
 * (its coverage as a table). */
#include "cli/cli.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/campaign/coverage.h"
#include "core/json.h"
#include "core/campaign/merge.h"
#include "core/util.h"
#include "core/campaign/workdir.h"

#define MERGE_USAGE "usage: fifuzz merge DIR... -o MERGED"

static void load_cov(const char *dir, struct ff_cov *cov)
{
	char p[4200];
	snprintf(p, sizeof(p), "%s/coverage.tsv", dir);
	int rc = ff_cov_load(p, cov);
	if (rc == -EINVAL)
		ff_die(FF_EXIT_USAGE, "%s: a line is not a coverage record", p);
	if (rc < 0 && rc != -ENOENT)
		ff_die(FF_EXIT_USAGE, "cannot read %s: %s", p, strerror(-rc));
}

/* The merged directory: created, and holding no campaign yet. */
static void prepare_out(const char *out)
{
	char p[4200];
	if (mkdir(out, 0755) < 0 && errno != EEXIST)
		ff_die(FF_EXIT_USAGE, "cannot create %s: %s", out, strerror(errno));
	snprintf(p, sizeof(p), "%s/campaign.tsv", out);
	if (access(p, F_OK) == 0)
		ff_die(FF_EXIT_USAGE, "%s already holds a campaign: merge into a new directory", out);
	snprintf(p, sizeof(p), "%s/failures", out);
	if (mkdir(p, 0755) < 0 && errno != EEXIST)
		ff_die(FF_EXIT_USAGE, "cannot create %s: %s", p, strerror(errno));
}

static int cmp_bug(const void *a, const void *b)
{
	return strcmp(((const struct ff_merge_bug *)a)->sig, ((const struct ff_merge_bug *)b)->sig);
}

static void copy_bugs(const struct ff_merge_dir *m, const char *out)
{
	for (size_t i = 0; i < m->nbugs; i++) {
		char from[4400], to[4400];
		snprintf(from, sizeof(from), "%s/failures/%s", m->bugs[i].from, m->bugs[i].sig);
		snprintf(to, sizeof(to), "%s/failures/%s", out, m->bugs[i].sig);
		int rc = ff_workdir_fresh(to, from);
		if (rc < 0)
			ff_die(FF_EXIT_TRACE, "cannot copy %s to %s: %s", from, to, strerror(-rc));
	}
}

static void write_report(const char *out, const struct ff_merge_dir *m, char **dirs, int ndirs,
			 const struct ff_cov *cov, const struct ff_cov_sum *sum)
{
	char p[4200], tmp[4300];
	snprintf(p, sizeof(p), "%s/report.json", out);
	snprintf(tmp, sizeof(tmp), "%s.tmp", p);
	FILE *f = fopen(tmp, "we");
	if (!f)
		ff_die(FF_EXIT_TRACE, "cannot write %s: %s", tmp, strerror(errno));
	fprintf(f, "{\"fifuzz\":\"%s\",\"command\":%s,\"merged_from\":", FF_VERSION, m->command);
	ff_json_strv(f, dirs, (size_t)ndirs);
	fprintf(f, ",\n \"runs\":%" PRIu64 ",\"failures\":%" PRIu64 ",\"distinct_bugs\":%zu,\"elapsed_s\":%.3f,",
		m->runs, m->failures, m->nbugs, m->elapsed);
	ff_cov_write_json(f, cov, sum);
	fputs("\n \"bugs\":[", f);
	for (size_t i = 0; i < m->nbugs; i++) {
		const struct ff_merge_bug *b = &m->bugs[i];
		fprintf(f, "%s\n  {\"signature\":", i ? "," : "");
		ff_json_str(f, b->sig);
		fprintf(f,
			",\"verdict\":\"%s\",\"outcome\":{\"kind\":\"%s\",\"code\":%d},\"count\":%" PRIu64
			",\"first_seed\":%" PRIu64 ",\"faults\":%" PRId64 ",\"minimized_faults\":",
			ff_verdict_name(b->verdict), ff_outcome_name(b->kind), (int)b->code, b->count, b->first_seed,
			b->faults);
		if (b->minimized >= 0)
			fprintf(f, "%" PRId64, b->minimized);
		else
			fputs("null", f);
		snprintf(p, sizeof(p), "%s/failures/%s", out, b->sig);
		fputs(",\"dir\":", f);
		ff_json_str(f, p);
		fputs(",\"from\":", f);
		ff_json_str(f, b->from);
		fputs(",\"check_message\":", f);
		ff_json_str(f, b->msg);
		fputs("}", f);
	}
	fputs(m->nbugs ? "\n ]}\n" : "]}\n", f);
	snprintf(p, sizeof(p), "%s/report.json", out);
	if (ferror(f) | (fclose(f) != 0) || rename(tmp, p) < 0)
		ff_die(FF_EXIT_TRACE, "cannot write %s: %s", p, strerror(errno));
}

/* The directories of argv (the rest of them) and -o. */
static const char *merge_args(int argc, char **argv, char **dirs, int *ndirs, bool *quiet)
{
	const char *out = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "-q"))
			*quiet = true;
		else if (argv[i][0] == '-')
			ff_die(FF_EXIT_USAGE, "bad option '%s' (" MERGE_USAGE ")", argv[i]);
		else
			dirs[(*ndirs)++] = argv[i];
	}
	if (!out || !*ndirs)
		ff_die(FF_EXIT_USAGE, "%s (" MERGE_USAGE ")",
		       out ? "no campaign directory to merge" : "merge needs -o MERGED");
	return out;
}

int ff_cmd_merge(int argc, char **argv)
{
	char **dirs = ff_xcalloc((size_t)argc, sizeof(*dirs)), err[600];
	int ndirs = 0;
	bool quiet = false;
	const char *out = merge_args(argc, argv, dirs, &ndirs, &quiet);
	struct ff_merge_dir *in = ff_xcalloc((size_t)ndirs, sizeof(*in)), m = {0};
	struct ff_cov cov = {0};
	for (int i = 0; i < ndirs; i++) {
		if (ff_merge_read(dirs[i], &in[i], err, sizeof(err)) < 0)
			ff_die(FF_EXIT_USAGE, "%s is not a finished campaign directory (%s)", dirs[i], err);
		if (in[i].identity != in[0].identity)
			ff_die(FF_EXIT_USAGE,
			       "%s is a campaign of another program or selection than %s (%s vs %s): not merged",
			       dirs[i], dirs[0], in[i].command, in[0].command);
		m.runs += in[i].runs, m.failures += in[i].failures, m.elapsed += in[i].elapsed;
		for (size_t b = 0; b < in[i].nbugs; b++)
			ff_merge_add_bug(&m, &in[i].bugs[b], dirs[i]);
		load_cov(dirs[i], &cov);
	}
	m.identity = in[0].identity;
	m.command = in[0].command;
	if (m.nbugs)
		qsort(m.bugs, m.nbugs, sizeof(*m.bugs), cmp_bug);
	prepare_out(out);
	copy_bugs(&m, out);
	struct ff_cov_sum sum;
	char p[4200];
	ff_cov_sort(&cov);
	ff_cov_summary(&cov, &sum);
	snprintf(p, sizeof(p), "%s/coverage.tsv", out);
	unlink(p);
	int rc = ff_cov_append(p, &cov);
	if (rc < 0 || (rc = ff_merge_write(out, &m)) < 0)
		ff_die(FF_EXIT_TRACE, "cannot write into %s: %s", out, strerror(-rc));
	write_report(out, &m, dirs, ndirs, &cov, &sum);
	if (!quiet) {
		fprintf(stderr,
			"fifuzz: merged %d campaign%s: %" PRIu64 " runs, %" PRIu64 " failing, %zu distinct bug%s\n",
			ndirs, ndirs == 1 ? "" : "s", m.runs, m.failures, m.nbugs, m.nbugs == 1 ? "" : "s");
		fprintf(stderr,
			"fifuzz: coverage: %" PRIu64 " sites, %" PRIu64 " faulted; (site, kind) pairs tried %" PRIu64
			" of %" PRIu64 "; report %s/report.json\n",
			sum.sites, sum.faulted, sum.tried, sum.pairs, out);
	}
	int status = m.nbugs ? FF_EXIT_FAILURE : FF_EXIT_OK;
	for (int i = 0; i < ndirs; i++)
		ff_merge_dir_free(&in[i]);
	free(in);
	free(m.bugs);
	ff_cov_free(&cov);
	free(dirs);
	return status;
}

static void kind_list(char *out, size_t len, uint32_t m)
{
	size_t o = 0;
	out[0] = 0;
	for (int k = 1; k < FF_FAULT_COUNT && o + 1 < len; k++)
		if (m & FF_K(k))
			o += (size_t)snprintf(out + o, len - o, "%s%s", o ? "," : "", ff_fault_name(k));
	if (!o)
		snprintf(out, len, "-");
}

int ff_cmd_show_campaign(int argc, char **argv)
{
	if (argc != 2 || argv[1][0] == '-')
		ff_die(FF_EXIT_USAGE,
		       "usage: fifuzz show-campaign OUTDIR (a campaign's or a merge's output directory)");
	struct ff_merge_dir d;
	char err[600];
	if (ff_merge_read(argv[1], &d, err, sizeof(err)) < 0)
		ff_die(FF_EXIT_USAGE, "%s is not a finished campaign directory (%s)", argv[1], err);
	struct ff_cov cov = {0};
	struct ff_cov_sum sum;
	load_cov(argv[1], &cov);
	ff_cov_sort(&cov);
	ff_cov_summary(&cov, &sum);
	printf("campaign %s: %" PRIu64 " runs, %" PRIu64 " failing, %zu distinct bug%s, %.1f s\n", argv[1], d.runs,
	       d.failures, d.nbugs, d.nbugs == 1 ? "" : "s", d.elapsed);
	printf("coverage: %" PRIu64 " sites, %" PRIu64 " faulted; (site, kind) pairs tried %" PRIu64 " of %" PRIu64
	       " (%.0f%%)\n\n",
	       sum.sites, sum.faulted, sum.tried, sum.pairs,
	       sum.pairs ? 100.0 * (double)sum.tried / (double)sum.pairs : 100.0);
	printf("%-10s %-32s %-11s %9s  %-24s %-24s %s\n", "SYSCALL", "PATH", "ORDINALS", "ELIGIBLE", "KINDS TRIED",
	       "NOT TRIED", "FAILURES");
	for (size_t i = 0; i < cov.n; i++) {
		const struct ff_cov_site *s = &cov.v[i];
		char ords[32], tried[96], untried[96];
		snprintf(ords, sizeof(ords), "#0-%" PRIu64, s->max_calls ? s->max_calls - 1 : 0);
		kind_list(tried, sizeof(tried), ff_cov_tried(s));
		kind_list(untried, sizeof(untried), s->possible & ~ff_cov_tried(s));
		printf("%-10s %-32s %-11s %9" PRIu64 "  %-24s %-24s %" PRIu64 "\n", s->sc, s->path, ords, s->eligible,
		       tried, untried, s->failures);
	}
	for (size_t i = 0; i < d.nbugs; i++)
		printf("%sbug %s: %" PRIu64 " run%s, first seed %" PRIu64 "\n", i ? "" : "\n", d.bugs[i].sig,
		       d.bugs[i].count, d.bugs[i].count == 1 ? "" : "s", d.bugs[i].first_seed);
	ff_cov_free(&cov);
	ff_merge_dir_free(&d);
	return 0;
}
