/* `fifuzz plot OUTDIR [-o FILE]`: a campaign's progress as SVG. */
#include "cli/cli.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/campaign/coverage.h"
#include "core/campaign/merge.h"
#include "core/campaign/plot.h"
#include "core/util.h"

#define PLOT_USAGE "usage: fifuzz plot OUTDIR [-o FILE.svg]"

struct row {
	uint64_t seed, failed, pairs;
};

/* OUTDIR/progress.tsv's rows (in seed order, as written). Dies on bad input. */
static struct row *read_progress(const char *dir, size_t *n)
{
	char p[4200], *line = NULL;
	size_t cap = 0, rcap = 0;
	struct row *v = NULL;
	snprintf(p, sizeof(p), "%s/progress.tsv", dir);
	FILE *f = fopen(p, "re");
	if (!f)
		ff_die(FF_EXIT_USAGE, "cannot read %s: %s (a campaign writes it; a merge does not)", p,
		       strerror(errno));
	*n = 0;
	while (getline(&line, &cap, f) > 0) {
		ff_grow(&v, &rcap, *n + 1, sizeof(*v));
		struct row *r = &v[*n];
		if (sscanf(line, "%" SCNu64 "\t%" SCNu64 "\t%" SCNu64, &r->seed, &r->failed, &r->pairs) != 3)
			ff_die(FF_EXIT_USAGE, "%s: line %zu is not 'seed failed pairs'", p, *n + 1);
		(*n)++;
	}
	free(line);
	fclose(f);
	return v;
}

int ff_cmd_plot(int argc, char **argv)
{
	const char *dir = NULL, *out = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out = argv[++i];
		else if (argv[i][0] == '-' || dir)
			ff_die(FF_EXIT_USAGE, "bad argument '%s' (" PLOT_USAGE ")", argv[i]);
		else
			dir = argv[i];
	}
	if (!dir)
		ff_die(FF_EXIT_USAGE, "no campaign directory (" PLOT_USAGE ")");
	struct ff_merge_dir d;
	char err[600], def[4200];
	if (ff_merge_read(dir, &d, err, sizeof(err)) < 0)
		ff_die(FF_EXIT_USAGE, "%s is not a finished campaign directory (%s)", dir, err);
	size_t n;
	struct row *v = read_progress(dir, &n);
	struct ff_cov cov = {0};
	struct ff_cov_sum sum;
	snprintf(def, sizeof(def), "%s/coverage.tsv", dir);
	if (ff_cov_load(def, &cov) < 0)
		ff_die(FF_EXIT_USAGE, "cannot read %s", def);
	ff_cov_summary(&cov, &sum);
	struct ff_plot p = {.n = n, .pairs_possible = sum.pairs};
	p.failures = ff_xcalloc(n + 1, sizeof(uint64_t));
	p.bugs = ff_xcalloc(n + 1, sizeof(uint64_t));
	p.pairs = ff_xcalloc(n + 1, sizeof(uint64_t));
	for (size_t i = 0; i < n; i++) {
		uint64_t nb = 0;
		for (size_t b = 0; b < d.nbugs; b++)
			nb += d.bugs[b].first_seed == v[i].seed;
		p.failures[i] = (i ? p.failures[i - 1] : 0) + (v[i].failed != 0);
		p.bugs[i] = (i ? p.bugs[i - 1] : 0) + nb;
		p.pairs[i] = (i ? p.pairs[i - 1] : 0) + v[i].pairs;
	}
	snprintf(def, sizeof(def), "%s/plot.svg", dir);
	int rc = ff_plot_svg(out ? out : def, &p);
	if (rc < 0)
		ff_die(FF_EXIT_TRACE, "cannot write %s: %s", out ? out : def, strerror(-rc));
	fprintf(stderr,
		"fifuzz: %zu runs, %" PRIu64 " failing, %zu bugs, %" PRIu64 " of %" PRIu64
		" (site, kind) pairs tried: plotted in %s\n",
		n, n ? p.failures[n - 1] : 0, d.nbugs, n ? p.pairs[n - 1] : 0, sum.pairs, out ? out : def);
	free(p.failures);
	free(p.bugs);
	free(p.pairs);
	free(v);
	ff_cov_free(&cov);
	ff_merge_dir_free(&d);
	return 0;
}
