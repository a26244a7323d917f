/* `fifuzz campaign` and `fifuzz minimize`: loops over judged runs. */
#include "cli/cli.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "core/campaign/campaign.h"
#include "core/campaign/minimize.h"
#include "core/snapshot.h"
#include "core/campaign/outputs.h"
#include "core/campaign/workdir.h"
#include "core/tracer.h"
#include "core/quote.h"
#include "core/util.h"

/* Campaign and minimize run the program in other directories: a program
 * named by a relative path must be made absolute first. */
static void absolute_program(struct ff_config *cfg)
{
	static char abs[4096];
	if (strchr(cfg->argv[0], '/') && cfg->argv[0][0] != '/') {
		if (!realpath(cfg->argv[0], abs))
			ff_die(FF_EXIT_USAGE, "cannot execute %s: %s", cfg->argv[0], strerror(errno));
		cfg->argv[0] = abs;
	}
}

/* The campaign's command line: -o OUTDIR, the program, options that do not
 * go together. Returns OUTDIR. */
static const char *campaign_setup(int argc, char **argv, struct ff_config *cfg, struct extra *x)
{
	ff_cli_defaults(cfg);
	ff_cli_parse(argc, argv, cfg, CMD_CAMPAIGN, x);
	const char *outdir = cfg->trace_path;
	if (!outdir)
		ff_die(FF_EXIT_USAGE,
		       "campaign needs -o OUTDIR (usage: fifuzz campaign [OPTIONS] -o OUTDIR -- PROG [ARGS...])");
	cfg->trace_path = NULL;
	int dd = ff_cli_dashdash(argc, argv);
	if (dd < argc && optind < dd)
		ff_die(FF_EXIT_USAGE,
		       "unexpected '%s' before '--' (usage: fifuzz campaign [OPTIONS] -o OUTDIR -- PROG [ARGS...])",
		       argv[optind]);
	ff_cli_take_program(argc, argv, optind, cfg);
	absolute_program(cfg);
	if (x->have_seeds && x->have_runs)
		ff_die(FF_EXIT_USAGE, "--seeds and --runs both say which seeds to run: give one");
	if (x->sweep.given && !x->sweep.on)
		ff_die(FF_EXIT_USAGE, "the --sweep-* options shape a sweep: add --sweep");
	if (x->sweep.on && (x->have_seeds || x->have_runs || x->have_seed))
		ff_die(FF_EXIT_USAGE, "--sweep takes no seeds: its runs come from the fault-free run (drop --seeds, "
				      "--runs, --seed; --sweep-limit caps the runs)");
	if (x->sweep.on && (cfg->only || cfg->after || cfg->max_faults || cfg->crash_at))
		ff_die(FF_EXIT_USAGE, "--sweep chooses each run's one fault or cut itself: drop --only, --after, "
				      "--max-faults and --crash-at");
	if (!x->sweep.subsets)
		x->sweep.subsets = 4;
	return outdir;
}

/* Which seeds: --seeds A-B, or --runs N from --seed S (100 from 1); a sweep's come later. */
static void campaign_seeds(struct ff_campaign *c, const struct ff_config *cfg, const struct extra *x)
{
	if (x->sweep.on) {
		c->first = c->last = 0; /* the run list's indexes, once the baseline gave it */
	} else if (x->have_seeds) {
		c->first = x->first;
		c->last = x->last;
	} else {
		uint64_t base = x->have_seed ? cfg->seed : 1, n = x->have_runs ? x->runs : 100;
		if (base + (n - 1) < base)
			ff_die(FF_EXIT_USAGE, "--seed %" PRIu64 " --runs %" PRIu64 " runs past 2^64-1", base, n);
		c->first = base;
		c->last = base + (n - 1);
	}
}

int ff_cmd_campaign(int argc, char **argv)
{
	struct ff_config cfg;
	struct extra x = {0};
	const char *outdir = campaign_setup(argc, argv, &cfg, &x);
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	struct ff_campaign c = {
	    .cfg = &cfg,
	    .outdir = outdir,
	    .template_dir = x.template_dir,
	    .shard_i = x.shard_n ? x.shard_i : 1,
	    .shard_n = x.shard_n ? x.shard_n : 1,
	    .jobs = x.jobs     ? x.jobs
		    : ncpu > 0 ? (int)ncpu
			       : 1,
	    .stop_after = x.stop_after,
	    .min_time = x.min_time > 0 ? x.min_time : 120,
	    .minimize = !x.no_minimize,
	    .status = cfg.verbose >= 0 && isatty(2),
	    .quiet = cfg.verbose < 0,
	    .sweep = x.sweep,
	};
	campaign_seeds(&c, &cfg, &x);
	if (!c.quiet && c.sweep.on)
		fprintf(stderr, "fifuzz: sweep%s, %d in parallel, into %s\n", c.shard_n > 1 ? " (a shard of it)" : "",
			c.jobs, outdir);
	else if (!c.quiet)
		fprintf(stderr, "fifuzz: campaign over seeds %" PRIu64 "-%" PRIu64 "%s, %d in parallel, into %s\n",
			c.first, c.last, c.shard_n > 1 ? " (a shard of them)" : "", c.jobs, outdir);
	struct ff_campaign_result r;
	char err[700] = "";
	int rc = x.fs_all ? ff_campaign_profiles(&c, &r, err, sizeof(err)) : ff_campaign_run(&c, &r, err, sizeof(err));
	ff_campaign_result_free(&r);
	if (rc == -EINVAL || rc == -EEXIST)
		ff_die(FF_EXIT_USAGE, "%s", err);
	if (rc < 0)
		ff_die(FF_EXIT_TRACE, "campaign: %s", err);
	if (!c.quiet)
		fprintf(stderr,
			"fifuzz: %" PRIu64 " runs, %" PRIu64 " failing, %" PRIu64
			" distinct bug%s; report %s/report.json\n",
			r.runs, r.failures, r.bugs, r.bugs == 1 ? "" : "s", outdir);
	if (!c.quiet && r.bugs)
		fprintf(stderr, "fifuzz: see %s/%sfailures/*/README\n", outdir, x.fs_all ? "fs-*/" : "");
	free(cfg.globs);
	free(cfg.ignore);
	if (r.stop_sig)
		return 128 + r.stop_sig;
	return r.bugs ? FF_EXIT_FAILURE : FF_EXIT_OK;
}

static void min_progress(void *ctx, size_t faults, size_t tests)
{
	(void)ctx;
	if (isatty(2))
		fprintf(stderr, "\r\033[Kfifuzz: minimizing %zu faults: %zu replays", faults, tests);
}

/* minimize's command line: the trace, -o, the program, the recorded selection. */
static void minimize_setup(int argc, char **argv, struct ff_config *cfg, struct extra *x, struct ff_trace *t,
			   const char **in, const char **out)
{
	ff_cli_defaults(cfg);
	cfg->mode = FF_MODE_REPLAY;
	ff_cli_parse(argc, argv, cfg, CMD_MINIMIZE, x);
	*out = cfg->trace_path;
	if (optind >= argc)
		ff_die(FF_EXIT_USAGE, "no trace to minimize (usage: fifuzz minimize TRACE -o OUT -- PROG [ARGS...])");
	if (optind + 1 >= argc || (optind + 2 >= argc && !strcmp(argv[optind + 1], "--")))
		ff_die(FF_EXIT_USAGE, "no program to run (usage: fifuzz minimize TRACE -o OUT -- PROG [ARGS...])");
	if (!*out)
		ff_die(FF_EXIT_USAGE, "minimize needs -o OUT, the file for the minimized trace");
	cfg->trace_path = NULL;
	*in = argv[optind];
	ff_cli_read_trace(*in, t);
	int first = optind + 1, dd = ff_cli_dashdash(argc, argv);
	if (dd < argc && first < dd)
		ff_die(FF_EXIT_USAGE,
		       "unexpected '%s' before '--' (usage: fifuzz minimize TRACE -o OUT -- PROG [ARGS...])",
		       argv[first]);
	ff_cli_take_program(argc, argv, first, cfg);
	ff_cli_check_output("-o", *out);
	absolute_program(cfg);
	char why[600];
	if (ff_config_apply_trace(cfg, t, why, sizeof(why)) < 0)
		ff_die(FF_EXIT_USAGE, "%s: %s", *in, why);
	if (t->outcome.verdict == FF_V_PASS || t->outcome.verdict == FF_V_UNKNOWN)
		ff_die(FF_EXIT_USAGE, "%s: the recorded run did not fail (verdict %s): nothing to minimize", *in,
		       ff_verdict_name(t->outcome.verdict));
	if (t->outcome.verdict == FF_V_HANG && cfg->timeout <= 0)
		ff_die(FF_EXIT_USAGE, "%s: the recorded run hung: give --timeout SECS so each replay ends", *in);
}

/* For a corruption: the reference output, from two fault-free runs (what
 * differs between them varies by itself). Returns 0 or -errno. */
static int minimize_reference(struct ff_config *cfg, const char *template_dir, struct ff_manifest *ref, bool say)
{
	struct ff_manifest second;
	int rc;
	if ((rc = ff_judge_reference(cfg, template_dir, ref)) < 0 ||
	    (rc = ff_judge_reference(cfg, template_dir, &second)) < 0)
		return rc;
	char names[300];
	if (ff_outputs_learn(ref, &second, names, sizeof(names)) && say)
		ff_warn("two fault-free runs differ in %s: compared by size or left out", names);
	ff_manifest_free(&second);
	return 0;
}

static void say_minimized(const struct ff_config *cfg, const struct ff_min_result *mr, const char *out, double min_time)
{
	fprintf(stderr, "fifuzz: %zu fault%s -> %zu (%zu replays); wrote %s\n", mr->before, mr->before == 1 ? "" : "s",
		mr->after, mr->tests, out);
	if (mr->out_of_time)
		fprintf(stderr,
			"fifuzz: minimization stopped at its time budget (--min-time %g): not every one of the "
			"%zu faults may be needed\n",
			min_time, mr->after);
	fprintf(stderr, "fifuzz: replay it in a fresh directory: fifuzz replay %s -- ", out);
	ff_quote_cmd(stderr, cfg->argv, (size_t)cfg->argc);
	fputc('\n', stderr);
}

int ff_cmd_minimize(int argc, char **argv)
{
	struct ff_config cfg;
	struct extra x = {0};
	struct ff_trace t;
	const char *in, *out;
	minimize_setup(argc, argv, &cfg, &x, &t, &in, &out);
	/* Each replay runs in a fresh directory with its output captured, as in a campaign. */
	char base[] = "/tmp/fifuzz-minimize.XXXXXX", run[64], sout[64], serr[64];
	if (!mkdtemp(base))
		ff_die(FF_EXIT_TRACE, "mkdtemp: %s", strerror(errno));
	snprintf(run, sizeof(run), "%s/run", base);
	snprintf(sout, sizeof(sout), "%s/stdout", base);
	snprintf(serr, sizeof(serr), "%s/stderr", base);
	cfg.workdir = run;
	cfg.stdout_path = sout;
	cfg.stderr_path = serr;
	cfg.stdin_null = true;
	cfg.snapshot = !cfg.no_snapshot;
	int verbose = cfg.verbose;
	cfg.verbose = -1;
	struct ff_manifest ref = {0};
	struct ff_judge j = {.ref = &ref, .template_dir = x.template_dir};
	j.corruption = t.outcome.verdict == FF_V_CORRUPTION;
	int rc = j.corruption ? minimize_reference(&cfg, x.template_dir, &ref, verbose >= 0) : 0;
	if (rc < 0) {
		ff_workdir_remove(base);
		ff_die(FF_EXIT_TRACE, "the fault-free reference run %s",
		       rc == -EAGAIN ? "failed: the program fails without faults" : strerror(-rc));
	}
	struct ff_min m = {.cfg = &cfg,
			   .template_dir = x.template_dir,
			   .judge = &j,
			   .deadline = x.min_time,
			   .progress = verbose >= 0 ? min_progress : NULL};
	struct ff_min_result mr;
	char why[600];
	rc = ff_minimize(&m, &t, &mr, why, sizeof(why));
	ff_snapshot_release(); /* its directory goes now */
	if (verbose >= 0 && isatty(2))
		fprintf(stderr, "\r\033[K");
	ff_workdir_remove(base);
	if (rc == -EINTR)
		ff_die(128 + ff_tracer_stop_signal(), "minimize interrupted");
	if (rc == -ESRCH)
		ff_die(FF_EXIT_FAILURE, "%s: %s", in, why);
	if (rc < 0)
		ff_die(FF_EXIT_TRACE, "minimize: %s", why);
	if ((rc = ff_trace_write(out, &mr.trace)) < 0)
		ff_die(FF_EXIT_TRACE, "cannot write %s: %s", out, strerror(-rc));
	if (verbose >= 0)
		say_minimized(&cfg, &mr, out, x.min_time);
	ff_trace_free(&mr.trace);
	ff_trace_free(&t);
	ff_manifest_free(&ref);
	ff_config_release(&cfg);
	free(cfg.ignore);
	return 0;
}
