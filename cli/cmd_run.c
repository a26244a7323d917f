/* `fifuzz [OPTIONS] -- PROG` and `fifuzz replay TRACE -- PROG`: one run, its trace, report and verdict. */
#include "cli/cli.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "core/attach.h"
#include "core/campaign/judge.h"
#include "core/report.h"
#include "core/quote.h"
#include "core/util.h"
#include "core/decide/replay.h"

int ff_cli_exit_status(const struct ff_run_result *res)
{
	if (res->stop_sig && res->stop_sig != SIGALRM)
		return 128 + res->stop_sig;
	uint8_t v = res->trace.outcome.verdict;
	return v != FF_V_PASS && v != FF_V_UNKNOWN ? FF_EXIT_FAILURE : FF_EXIT_OK;
}

void ff_cli_run_or_die(const struct ff_config *cfg, struct ff_source *src, struct ff_run_result *res)
{
	char err[600] = "";
	int rc = ff_run(cfg, src, res, err, sizeof(err));
	if (rc == -ENOENT)
		ff_die(FF_EXIT_USAGE, "%s", err);
	if (rc < 0)
		ff_die(FF_EXIT_TRACE, "cannot trace: %s", err);
	if (res->used_fallback && !cfg->no_seccomp && cfg->verbose >= 0)
		ff_warn("seccomp cannot stop this tracee: traced every syscall with PTRACE_SYSCALL (slower)");
}

/* --pid: says how an attached run traces, and attaches. */
static void attach_or_die(const struct ff_config *cfg, struct ff_source *src, struct ff_run_result *res)
{
	if (cfg->verbose >= 0)
		fprintf(stderr,
			"fifuzz: attaching to pid %d with PTRACE_SYSCALL (a seccomp filter cannot be installed into a "
			"running process): every syscall stops; Ctrl-C detaches and leaves it running\n",
			cfg->attach_pid);
	char err[600] = "";
	int rc = ff_attach(cfg, src, res, err, sizeof(err));
	if (rc == -ESRCH)
		ff_die(FF_EXIT_USAGE, "%s", err);
	if (rc < 0)
		ff_die(FF_EXIT_TRACE, "%s", err);
}

/* --check: the user's oracle, run after the program (the trace already
 * written so the check can read it; rewritten if the verdict changes). */
void ff_cli_judge_or_die(const struct ff_config *cfg, struct ff_run_result *res, const char *trace)
{
	if (!cfg->check_cmd)
		return;
	uint8_t before = res->trace.outcome.verdict;
	int rc = ff_judge_run(cfg, NULL, res, trace);
	if (rc < 0)
		ff_die(FF_EXIT_TRACE, "%s%s",
		       rc == -ETIMEDOUT ? "" : "cannot run the --check command: ", ff_judge_error(rc));
	if (res->trace.outcome.verdict != before)
		ff_cli_write_trace(cfg, res);
}

void ff_cli_finish_report(const struct ff_config *cfg, const struct ff_run_result *res, const char *trace,
			  const struct ff_replay *rp, int reproduced)
{
	if (!cfg->report_path)
		return;
	int rc = ff_report_json(cfg->report_path, cfg, res, trace, rp, reproduced);
	if (rc < 0)
		ff_die(FF_EXIT_TRACE, "cannot write the report %s: %s", cfg->report_path, strerror(-rc));
}

/* The program to run (after "--"), or the process to attach to (--pid). */
static void run_target(int argc, char **argv, struct ff_config *cfg)
{
	int dd = ff_cli_dashdash(argc, argv);
	if (dd < argc && optind < dd) {
		const char *w = argv[optind];
		if (!strcmp(w, "replay") || !strcmp(w, "show") || !strcmp(w, "list") || !strcmp(w, "campaign") ||
		    !strcmp(w, "minimize"))
			ff_die(FF_EXIT_USAGE, "put the command first: fifuzz %s [OPTIONS] ...", w);
		ff_die(FF_EXIT_USAGE, "unexpected '%s' before '--' (usage: fifuzz [OPTIONS] -- PROG [ARGS...])", w);
	}
	if (cfg->split_input && !cfg->schedule_path)
		ff_die(FF_EXIT_USAGE, "--split-input goes with --schedule FILE");
	if (!cfg->attach_pid) {
		ff_cli_take_program(argc, argv, optind, cfg);
		return;
	}
	if (optind < argc)
		ff_die(FF_EXIT_USAGE,
		       "--pid attaches to a running process: give no program (usage: fifuzz [OPTIONS] --pid PID)");
	ff_cli_check_output("-o", cfg->trace_path);
	ff_cli_check_output("--report", cfg->report_path);
	if (cfg->schedule_path)
		ff_die(FF_EXIT_USAGE, "--schedule does not apply to --pid");
	if (cfg->attach_pid == (int)getpid())
		ff_die(FF_EXIT_USAGE, "--pid %d is fifuzz itself", cfg->attach_pid);
	if (kill(cfg->attach_pid, 0) < 0 && errno == ESRCH)
		ff_die(FF_EXIT_USAGE, "--pid %d: no such process", cfg->attach_pid);
}

/* The decisions: AFL++'s schedule bytes (--schedule) or the seed. */
static void run_source(struct ff_config *cfg, const struct extra *x, struct ff_seeded *seeded, struct ff_source *src,
		       char **tmp_input)
{
	*tmp_input = NULL;
	if (!cfg->schedule_path) {
		ff_run_seeded(cfg, cfg->seed, seeded);
		ff_source_seeded(src, seeded);
		if (cfg->verbose >= 0)
			fprintf(stderr, "fifuzz: seed %" PRIu64 "%s\n", cfg->seed,
				cfg->seed_random ? " (random; pass --seed to run it again)" : "");
		return;
	}
	/* Under AFL++ every exec would litter a trace: only -o writes one. */
	if (!x->have_trace)
		cfg->trace_path = NULL;
	ff_cli_schedule_load(cfg, src, tmp_input);
	if (cfg->verbose >= 0)
		fprintf(stderr, "fifuzz: schedule %s (%zu bytes)\n", cfg->schedule_path, ff_cli_schedule_len());
}

/* The signal AFL++ must see for this run's failure (it knows crashes only), or 0. */
static int afl_signal(const struct ff_config *cfg, const struct ff_run_result *res)
{
	const struct ff_outcome *o = &res->trace.outcome;
	int sig = o->verdict != FF_V_CRASH ? 0 : o->kind == FF_OUT_SIGNALED ? (int)o->code : res->child_crash_sig;
	/* A failed --check (after a power cut or not) reaches it as SIGABRT. */
	if (cfg->afl && (o->verdict == FF_V_CHECK || o->verdict == FF_V_CRASH_CONSISTENCY))
		sig = SIGABRT;
	return sig;
}

int ff_cmd_run(int argc, char **argv)
{
	struct ff_config cfg;
	ff_cli_defaults(&cfg);
	struct extra x = {0};
	ff_cli_parse(argc, argv, &cfg, CMD_RUN, &x);
	run_target(argc, argv, &cfg);
	struct ff_seeded seeded;
	struct ff_source src;
	char *tmp_input;
	run_source(&cfg, &x, &seeded, &src, &tmp_input);
	struct ff_run_result res;
	if (cfg.attach_pid)
		attach_or_die(&cfg, &src, &res);
	else
		ff_cli_run_or_die(&cfg, &src, &res);
	if (tmp_input)
		unlink(tmp_input);
	free(tmp_input);
	const char *trace = ff_cli_write_trace(&cfg, &res);
	ff_cli_judge_or_die(&cfg, &res, trace);
	ff_cli_finish_report(&cfg, &res, trace, NULL, 0);
	ff_report_print(&cfg, &res, trace);
	int st = ff_cli_exit_status(&res), sig = afl_signal(&cfg, &res);
	ff_trace_free(&res.trace);
	free(cfg.globs);
	free(cfg.shown_argv);
	ff_cli_schedule_free();
	if (cfg.schedule_path && sig > 0 && !cfg.per_fork_runs) {
		/* AFL++ without a forkserver judges fifuzz itself: die the target's death. */
		fflush(NULL);
		signal(sig, SIG_DFL);
		raise(sig);
	}
	return st;
}

void ff_cli_read_trace(const char *path, struct ff_trace *t)
{
	char err[512];
	if (ff_trace_read(path, t, err, sizeof(err)) < 0)
		ff_die(FF_EXIT_USAGE, "%s", err); /* the reader's message names the file */
}

/* The replay's command line: the trace, the program, the recorded selection. */
static void replay_setup(int argc, char **argv, struct ff_config *cfg, struct ff_trace *t)
{
	struct extra x = {0};
	ff_cli_defaults(cfg);
	cfg->mode = FF_MODE_REPLAY;
	ff_cli_parse(argc, argv, cfg, CMD_REPLAY, &x);
	if (optind >= argc)
		ff_die(FF_EXIT_USAGE, "no trace to replay (usage: fifuzz replay TRACE -- PROG [ARGS...])");
	cfg->replay_path = argv[optind];
	ff_cli_read_trace(cfg->replay_path, t);
	int first = optind + 1, dd = ff_cli_dashdash(argc, argv);
	if (dd < argc && first < dd)
		ff_die(FF_EXIT_USAGE, "unexpected '%s' before '--' (usage: fifuzz replay TRACE -- PROG [ARGS...])",
		       argv[first]);
	ff_cli_take_program(argc, argv, first, cfg);
	char why[512];
	if (ff_config_apply_trace(cfg, t, why, sizeof(why)) < 0)
		ff_die(FF_EXIT_USAGE, "%s: %s", cfg->replay_path, why);
	if (cfg->verbose < 0)
		return;
	fprintf(stderr, "fifuzz: replaying %s (seed %" PRIu64 "%s), recorded command: ", cfg->replay_path, t->hdr.seed,
		t->complete ? "" : ", INCOMPLETE: the recorded run did not finish");
	ff_quote_cmd(stderr, t->hdr.argv, t->hdr.argc);
	fputc('\n', stderr);
	bool same = t->hdr.argc == (uint32_t)cfg->argc;
	for (int i = 0; same && i < cfg->argc; i++)
		same = !strcmp(t->hdr.argv[i], cfg->argv[i]);
	if (!same)
		fprintf(stderr, "fifuzz: note: replaying a different command than the one recorded\n");
}

/* How a replay's run compares with the recording. */
struct replayed {
	bool unjudged; /* the recorded verdict needs what a replay lacks; the outcome matched */
	bool outcome;  /* the outcome (and verdict, where it can be judged) came back */
	bool reproduced;
};

static struct replayed compare(const struct ff_config *cfg, const struct ff_trace *t, const struct ff_run_result *res,
			       const struct ff_replay *rp)
{
	const struct ff_outcome *was = &t->outcome, *now = &res->trace.outcome;
	struct replayed r;
	/* A replay alone cannot judge corruption (no baseline) or a sanitizer
	 * report (stderr is not captured): for those the outcome must match. */
	r.unjudged = (was->verdict == FF_V_CORRUPTION || was->verdict == FF_V_SANITIZER ||
		      ((was->verdict == FF_V_CHECK || was->verdict == FF_V_CRASH_CONSISTENCY) && !cfg->check_cmd)) &&
		     now->verdict == FF_V_PASS;
	/* A corruption judged again by the user's --check: the check failing is the same bad output. */
	bool rejudged = was->verdict == FF_V_CORRUPTION && now->verdict == FF_V_CHECK;
	r.outcome = t->complete && was->kind == now->kind && was->code == now->code &&
		    (was->verdict == now->verdict || r.unjudged || rejudged);
	/* The recorded faults must all have come back too: a replay that met other
	 * sites and injected less ends the same way only by chance. */
	r.reproduced = r.outcome && res->trace.faults == t->faults && !rp->state_differs;
	return r;
}

static void say_replayed(const struct ff_trace *t, const struct ff_run_result *res, const struct ff_replay *rp,
			 struct replayed r)
{
	const struct ff_outcome *was = &t->outcome, *now = &res->trace.outcome;
	if (rp->divergences) {
		char esc[4 * sizeof(rp->first)];
		ff_escape_name(esc, sizeof(esc), rp->first);
		fprintf(stderr, "fifuzz: diverged at %s%s\n", esc, rp->divergences > 1 ? " (and later calls)" : "");
	}
	char a[128], b[128];
	ff_outcome_describe(was, a, sizeof(a));
	ff_outcome_describe(now, b, sizeof(b));
	if (r.reproduced && r.unjudged)
		fprintf(stderr,
			"fifuzz: replay reproduced the recorded outcome (%s); the recorded verdict %s needs %s to "
			"judge: compare the output with a fault-free run, or use `fifuzz minimize`\n",
			b, ff_verdict_name(was->verdict),
			was->verdict == FF_V_CORRUPTION ? "a fault-free baseline"
			: was->verdict == FF_V_CHECK || was->verdict == FF_V_CRASH_CONSISTENCY
			    ? "the --check command"
			    : "the program's captured stderr");
	else if (r.reproduced)
		fprintf(stderr, "fifuzz: replay reproduced the recorded outcome (%s; verdict %s)\n", b,
			ff_verdict_name(now->verdict));
	else if (r.outcome && rp->state_differs)
		fprintf(stderr,
			"fifuzz: replay did not reproduce the post-cut files: the outcome and verdict came back "
			"(%s; verdict %s), but the files the cut left differ from the recorded ones (the program "
			"is not deterministic: it may read /dev/urandom or the clock; or it started from other "
			"files)\n",
			b, ff_verdict_name(now->verdict));
	else if (r.outcome)
		fprintf(stderr,
			"fifuzz: replay did not reproduce every fault: the outcome is the same (%s), but %" PRIu64
			" of the %" PRIu64 " recorded faults were injected (the program took another path)\n",
			b, res->trace.faults, t->faults);
	else
		fprintf(stderr, "fifuzz: replay did not reproduce: recorded %s (verdict %s), got %s (verdict %s)\n", a,
			ff_verdict_name(was->verdict), b, ff_verdict_name(now->verdict));
}

int ff_cmd_replay(int argc, char **argv)
{
	struct ff_config cfg;
	struct ff_trace t;
	replay_setup(argc, argv, &cfg, &t);
	struct ff_replay rp;
	ff_replay_init(&rp, &t);
	struct ff_source src;
	ff_source_replay(&src, &rp);
	struct ff_run_result res;
	ff_cli_run_or_die(&cfg, &src, &res);
	ff_replay_finish(&rp);
	ff_replay_state(&rp, &res.trace);
	const char *trace = ff_cli_write_trace(&cfg, &res);
	ff_cli_judge_or_die(&cfg, &res, trace);
	struct replayed r = compare(&cfg, &t, &res, &rp);
	ff_cli_finish_report(&cfg, &res, trace, &rp, r.reproduced);
	if (cfg.verbose >= 0)
		say_replayed(&t, &res, &rp, r);
	ff_report_print(&cfg, &res, trace);
	int st = ff_cli_exit_status(&res);
	if (!r.outcome && st < 128)
		st = FF_EXIT_NOT_REPRODUCED; /* a script can tell it from a faithful replay */
	ff_replay_free(&rp);
	ff_trace_free(&res.trace);
	ff_trace_free(&t);
	ff_config_release(&cfg);
	return st;
}
