/* Options: one table says, for each option, its names, its argument, which
 * commands take it, its help and what it does; getopt's arrays, the check
 * that a command takes an option, and --help all come from it. */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/corrupt.h"
#include "core/durable/durable.h"
#include "core/unwind.h"
#include "core/util.h"

#define DEFAULT_CRASH_RATE 0.05
#define PID_MAX_LIMIT	   4194304 /* the kernel's highest pid_max (PID_MAX_LIMIT, 64-bit) */
/* Enough for any test program; a fork bomb stops there instead of taking the machine. */
#define DEFAULT_MAX_PROCS 4096
#define STR(x)		  #x
#define XSTR(x)		  STR(x)

struct opt;
/* What parsing one command line gathers besides cfg and x. */
struct parse {
	const struct opt *opt; /* the option being applied */
	struct ff_config *cfg;
	struct extra *x;
	enum cmd cmd;
	bool crash, fsyncf, crash_rate_set, rate_set, no_trace;
	const char *sc_arg, *errno_arg;
};

/* Which commands take an option. */
#define R    (1u << CMD_RUN)
#define P    (1u << CMD_REPLAY)
#define S    (1u << CMD_SHOW)
#define C    (1u << CMD_CAMPAIGN)
#define M    (1u << CMD_MINIMIZE)
#define RUNS (R | P | C | M) /* every command that runs the program */
#define ALL  (RUNS | S)

struct opt {
	const char *name; /* --name */
	char short_name;  /* -c, or 0 */
	const char *arg;  /* the argument's name in --help, or NULL: none */
	unsigned cmds;	  /* R, P, S, C, M */
	bool campaign;	  /* listed under "Campaign options" */
	void (*apply)(struct parse *p, const char *arg);
	const char *help; /* lines after the first are indented */
};

static void o_seed(struct parse *p, const char *a)
{
	p->cfg->seed = ff_cli_parse_seed(a);
	p->x->have_seed = true;
}
static void o_trace(struct parse *p, const char *a)
{
	p->x->have_trace = true;
	p->cfg->trace_path = a;
}
static void o_no_trace(struct parse *p, const char *a)
{
	(void)a;
	p->no_trace = true;
}
static void o_report(struct parse *p, const char *a)
{
	p->cfg->report_path = a;
}
static void o_rate(struct parse *p, const char *a)
{
	p->cfg->rate = ff_cli_parse_prob(a);
	p->rate_set = true;
}
static void o_syscalls(struct parse *p, const char *a)
{
	p->sc_arg = a;
}
static void o_faults(struct parse *p, const char *a)
{
	p->cfg->fault_mask =
	    !strcmp(a, "all")
		? FF_K_EVERY
		: (uint32_t)ff_cli_parse_list(a, "fault kind", ff_cli_fault_lookup,
					      "short, error, torn, eintr, eagain, fsync, corrupt, or all");
}
static void o_corrupt_mode(struct parse *p, const char *a)
{
	int m = ff_corrupt_mode_by_name(a);
	if (m < 0)
		ff_die(FF_EXIT_USAGE, "unknown --corrupt-mode '%s' (valid: flip, zero, garbage, mix)", a);
	p->cfg->corrupt_mode = (uint8_t)m;
}
static void o_site(struct parse *p, const char *a)
{
	if (strcmp(a, "path") && strcmp(a, "stack"))
		ff_die(FF_EXIT_USAGE, "unknown --site '%s' (valid: path, stack)", a);
	p->cfg->site_mode = !strcmp(a, "stack") ? FF_SITE_STACK : FF_SITE_PATH;
}
static void o_site_depth(struct parse *p, const char *a)
{
	uint64_t d = ff_cli_parse_count("--site-depth", a);
	if (d < 1 || d > FF_UNWIND_MAX_DEPTH)
		ff_die(FF_EXIT_USAGE, "bad --site-depth '%s' (valid: 1 to %d frames)", a, FF_UNWIND_MAX_DEPTH);
	p->cfg->site_depth = (uint8_t)d;
}
static void o_errno(struct parse *p, const char *a)
{
	p->errno_arg = a;
}
static void o_profile(struct parse *p, const char *a)
{
	if (!strcmp(a, "realistic"))
		p->cfg->profile = FF_PROFILE_REALISTIC;
	else if (!strcmp(a, "all"))
		p->cfg->profile = FF_PROFILE_ALL;
	else
		ff_die(FF_EXIT_USAGE, "unknown profile '%s' (valid: realistic, all)", a);
}
static void o_path(struct parse *p, const char *a)
{
	ff_cli_check_glob(a);
	p->cfg->globs = ff_xrealloc(p->cfg->globs, sizeof(char *) * (size_t)(p->cfg->nglobs + 1));
	p->cfg->globs[p->cfg->nglobs++] = ff_cli_relative_glob(p->cmd, (char *)a);
}
static void o_fd_kind(struct parse *p, const char *a)
{
	p->cfg->fdkind_mask =
	    (uint32_t)ff_cli_parse_list(a, "fd kind", ff_cli_fdkind_lookup, "file, pipe, socket, tty, dev");
}
static void o_after(struct parse *p, const char *a)
{
	p->cfg->after = ff_cli_parse_count("--after", a);
}
static void o_only(struct parse *p, const char *a)
{
	if (!(p->cfg->only = ff_cli_parse_count("--only", a)))
		ff_die(FF_EXIT_USAGE, "bad --only '0': eligible calls count from 1");
}
static void o_max_faults(struct parse *p, const char *a)
{
	p->cfg->max_faults = ff_cli_parse_count("--max-faults", a);
}
static void o_stdio(struct parse *p, const char *a)
{
	(void)a;
	p->cfg->include_stdio = true;
}
static void o_startup(struct parse *p, const char *a)
{
	(void)a;
	p->cfg->include_startup = true;
}
static void o_timeout(struct parse *p, const char *a)
{
	p->cfg->timeout = ff_cli_parse_timeout(a);
}
static void o_max_procs(struct parse *p, const char *a)
{
	uint64_t n = ff_cli_parse_count("--max-procs", a);
	if (n > PID_MAX_LIMIT)
		ff_die(FF_EXIT_USAGE, "bad --max-procs '%s': at most %d (the kernel's pid limit)", a, PID_MAX_LIMIT);
	p->cfg->max_procs = (uint32_t)n;
}
static void o_check(struct parse *p, const char *a)
{
	if (!*a)
		ff_die(FF_EXIT_USAGE, "bad --check '': expected a shell command");
	p->cfg->check_cmd = a;
}
static void o_real_random(struct parse *p, const char *a)
{
	(void)a;
	p->cfg->real_random = true;
}
static void o_no_seccomp(struct parse *p, const char *a)
{
	(void)a;
	p->cfg->no_seccomp = true;
}
static void o_no_follow(struct parse *p, const char *a)
{
	(void)a;
	/* A filter is inherited and cannot be removed: an untraced child would
	 * get ENOSYS from every selected call. */
	p->cfg->no_follow = true;
	p->cfg->no_seccomp = true;
}
static void o_pid(struct parse *p, const char *a)
{
	uint64_t n = ff_cli_parse_count("--pid", a);
	if (n < 1 || n > PID_MAX_LIMIT)
		ff_die(FF_EXIT_USAGE, "bad --pid '%s': expected a process id", a);
	p->cfg->attach_pid = (int)n;
}
static void o_schedule(struct parse *p, const char *a)
{
	p->cfg->schedule_path = a;
}
static void o_split_input(struct parse *p, const char *a)
{
	(void)a;
	p->cfg->split_input = true;
}
static void o_pin(struct parse *p, const char *a)
{
	(void)a;
	int cpu = sched_getcpu();
	p->cfg->pin_cpu = cpu >= 0 ? cpu : 0;
}
static void o_no_snapshot(struct parse *p, const char *a)
{
	(void)a;
	p->cfg->no_snapshot = true;
}
static void o_crash(struct parse *p, const char *a)
{
	(void)a;
	p->crash = true;
}
static void o_crash_mode(struct parse *p, const char *a)
{
	static const char *const names[] = {
	    [FF_CRASH_LOSE_ALL] = "lose-all", [FF_CRASH_TORN] = "torn", [FF_CRASH_KEEP_ALL] = "keep-all"};
	p->crash = true;
	for (uint8_t m = FF_CRASH_LOSE_ALL; m < FF_ARRAY_LEN(names); m++)
		if (!strcmp(a, names[m])) {
			p->cfg->crash_mode = m;
			return;
		}
	ff_die(FF_EXIT_USAGE, "unknown --crash-mode '%s' (valid: lose-all, torn, keep-all)", a);
}
static void o_crash_rate(struct parse *p, const char *a)
{
	p->crash = p->crash_rate_set = true;
	p->cfg->crash_rate = ff_cli_parse_prob(a);
}
static void o_crash_at(struct parse *p, const char *a)
{
	p->crash = true;
	if (!(p->cfg->crash_at = ff_cli_parse_count("--crash-at", a)))
		ff_die(FF_EXIT_USAGE, "bad --crash-at '0': eligible calls count from 1");
}
static void o_fs(struct parse *p, const char *a)
{
	int fs = ff_fs_by_name(a);
	bool all = !strcmp(a, "all");
	if (all && p->cmd != CMD_CAMPAIGN)
		ff_die(FF_EXIT_USAGE,
		       "--fs all judges a campaign under every profile; one run takes one of posix, ext4, xfs, btrfs");
	if (fs < 0 && !all)
		ff_die(FF_EXIT_USAGE, "unknown --fs '%s' (valid: posix, ext4, xfs, btrfs%s)", a,
		       p->cmd == CMD_CAMPAIGN ? ", all" : "");
	p->x->fs_all = all;
	p->cfg->fs_profile = all ? FF_FS_POSIX : (uint8_t)fs;
	p->crash = true;
}
static void o_fsync_failure(struct parse *p, const char *a)
{
	if (!strcmp(a, "drop"))
		p->cfg->fsync_failure = FF_FSYNCF_DROP;
	else if (!strcmp(a, "keep"))
		p->cfg->fsync_failure = FF_FSYNCF_KEEP;
	else
		ff_die(FF_EXIT_USAGE, "unknown --fsync-failure '%s' (valid: drop, keep)", a);
	p->fsyncf = true;
}
static void o_verbose(struct parse *p, const char *a)
{
	(void)a;
	p->cfg->verbose = 1;
}
static void o_quiet(struct parse *p, const char *a)
{
	(void)a;
	p->cfg->verbose = -1;
}
static void o_help(struct parse *p, const char *a)
{
	(void)p, (void)a;
	ff_cli_usage(stdout);
	exit(0);
}
static void o_version(struct parse *p, const char *a)
{
	(void)p, (void)a;
	printf("fifuzz %s (trace format %d)\n", FF_VERSION, FF_TRACE_VERSION);
	exit(0);
}
static void o_json(struct parse *p, const char *a)
{
	(void)a;
	p->x->json = true;
}
static void o_seeds(struct parse *p, const char *a)
{
	ff_cli_parse_range(a, &p->x->first, &p->x->last);
	p->x->have_seeds = true;
}
static void o_runs(struct parse *p, const char *a)
{
	if (!(p->x->runs = ff_cli_parse_count("--runs", a)))
		ff_die(FF_EXIT_USAGE, "bad --runs '0': expected at least 1");
	p->x->have_runs = true;
}
static void o_jobs(struct parse *p, const char *a)
{
	uint64_t j = ff_cli_parse_count("-j", a); /* checked before it is narrowed */
	if (j < 1 || j > 1024)
		ff_die(FF_EXIT_USAGE, "bad -j '%s': expected 1 to 1024 parallel runs", a);
	p->x->jobs = (int)j;
}
static void o_template(struct parse *p, const char *a)
{
	struct stat st;
	if (stat(a, &st) < 0 || !S_ISDIR(st.st_mode))
		ff_die(FF_EXIT_USAGE, "bad --template '%s': not a directory", a);
	p->x->template_dir = a;
}
static void o_ignore(struct parse *p, const char *a)
{
	ff_cli_check_glob(a);
	p->cfg->ignore = ff_xrealloc(p->cfg->ignore, sizeof(char *) * (size_t)(p->cfg->nignore + 1));
	p->cfg->ignore[p->cfg->nignore++] = (char *)a; /* argv: the program's own strings */
}
static void o_stop_after(struct parse *p, const char *a)
{
	p->x->stop_after = ff_cli_parse_count("--stop-after", a);
}
static void o_no_minimize(struct parse *p, const char *a)
{
	(void)a;
	p->x->no_minimize = true;
}
static void o_min_time(struct parse *p, const char *a)
{
	p->x->min_time = ff_cli_parse_timeout(a);
}
static void o_sweep(struct parse *p, const char *a)
{
	ff_cli_sweep_option(p->opt->name, a, &p->x->sweep);
}
static void o_shard(struct parse *p, const char *a)
{
	unsigned i, n;
	char tail;
	if (!strncmp(a, "auto", 4)) {
		ff_cli_shard_auto(a, &p->x->shard_i, &p->x->shard_n);
		return;
	}
	if (sscanf(a, "%u/%u%c", &i, &n, &tail) != 2 || n < 1 || i < 1 || i > n)
		ff_die(FF_EXIT_USAGE, "bad --shard '%s': expected I/N with 1 <= I <= N", a);
	p->x->shard_i = i;
	p->x->shard_n = n;
}

static const struct opt opts[] = {
    {"seed", 's', "N", R | C, false, o_seed, "64-bit seed (default: random, printed)"},
    {"trace", 'o', "FILE", RUNS, false, o_trace, "write the trace to FILE (default: fifuzz-SEED.trace)"},
    {"no-trace", 0, NULL, R | P, false, o_no_trace, "write no trace"},
    {"report", 0, "FILE", R | P, false, o_report, "write a JSON report"},
    {"rate", 'r', "P", R | C, false, o_rate,
     "probability that an eligible call is faulted (default " XSTR(DEFAULT_RATE) ")"},
    {"syscalls", 'e', "LIST", R | C, false, o_syscalls,
     "eligible syscalls: name, %class, !name, !%class, applied left to\n"
     "right; a list starting with '!' starts from every syscall\n"
     "(default %write,%sync; the classes and syscalls are below)"},
    {"faults", 0, "LIST", R | C, false, o_faults,
     "fault kinds: short,error,torn,eintr,eagain,fsync (default: all),\n"
     "corrupt (reads of regular files return damaged bytes; only when named)"},
    {"corrupt-mode", 0, "M", R | C, false, o_corrupt_mode,
     "flip (one bit), zero or garbage (a 512-byte block); default: a seeded mix"},
    {"site", 0, "S", R | C, false, o_site,
     "path (default): a site is (syscall, path, n-th call); stack: (syscall,\n"
     "path, calling context, n-th call in it)"},
    {"site-depth", 0, "N", R | C, false, o_site_depth,
     "frames of a stack site's calling context (default 16, at most 64)"},
    {"errno", 0, "LIST", R | C, false, o_errno,
     "errnos the error and torn faults may use (default: all the profile\n"
     "allows; fsync faults always report EIO)"},
    {"profile", 0, "P", R | C, false, o_profile,
     "realistic (default): only errnos and kinds the call and fd can\n"
     "really produce; all: every documented errno and kind"},
    {"path", 0, "GLOB", R | C, false, o_path,
     "only calls on matching files (repeatable; a glob without '/'\n"
     "also matches the file name); narrows power cuts too"},
    {"fd-kind", 0, "LIST", R | C, false, o_fd_kind,
     "eligible fd kinds: file,pipe,socket,tty,dev (default: file;\n"
     "file covers directories and every path syscall)"},
    {"after", 0, "N", R | C, false, o_after, "let the first N eligible calls through"},
    {"only", 0, "N", R | C, false, o_only, "fault exactly the N-th eligible call, nothing else"},
    {"max-faults", 0, "N", R | C, false, o_max_faults, "inject at most N faults (0: no limit)"},
    {"include-stdio", 0, NULL, R | C, false, o_stdio, "let fds 0-2 be faulted too"},
    {"include-startup", 0, NULL, R | C, false, o_startup, "let the loader and libc start-up be faulted too"},
    {"timeout", 0, "SECS", RUNS, false, o_timeout, "kill the process tree after SECS seconds: a hang"},
    {"max-procs", 0, "N", RUNS, false, o_max_procs,
     "at most N live tasks (processes and threads) in the traced tree: a\n"
     "fork or new thread beyond fails with EAGAIN (default " XSTR(DEFAULT_MAX_PROCS) "; 0: no limit)"},
    {"check", 0, "CMD", RUNS, false, o_check,
     "run CMD (sh -c) after the program, in its directory; non-zero is a\n"
     "failure (FIFUZZ_SEED, FIFUZZ_TRACE, FIFUZZ_EXIT ... in its env)"},
    {"real-random", 0, NULL, R | C, false, o_real_random,
     "let getrandom give the kernel's random bytes (by default fifuzz\n"
     "gives a fixed sequence, so temporary names and hash seeds are\n"
     "the same in every run and replay: docs/determinism.md)"},
    {"no-seccomp", 0, NULL, RUNS, false, o_no_seccomp, "trace every syscall with PTRACE_SYSCALL (slow fallback)"},
    {"no-follow", 0, NULL, R | C, false, o_no_follow,
     "trace only the program's process (its threads too), not its\n"
     "children, which run untouched; implies --no-seccomp (fifuzz\n"
     "under fifuzz: fifuzz --no-follow ... -- fifuzz ... -- PROG)"},
    {"pid", 0, "PID", R, false, o_pid,
     "instead of running a program, attach to process PID (all its\n"
     "threads, and its children from then on) with PTRACE_SYSCALL;\n"
     "Ctrl-C detaches and leaves it running; the trace cannot be replayed"},
    {"schedule", 0, "FILE", R, false, o_schedule, "take the decisions from FILE's bytes (AFL++; docs/schedule.md)"},
    {"split-input", 0, NULL, R, false, o_split_input,
     "FILE is [u16 length][schedule][input]: the input goes to '@@' in\n"
     "the program's arguments, or to its stdin"},
    {"pin", 0, NULL, RUNS, false, o_pin,
     "run fifuzz and the program on one CPU: faster stops, less\n"
     "parallelism (campaigns give each parallel run its own CPU)"},
    {"no-snapshot", 0, NULL, C | M, false, o_no_snapshot,
     "start every run by exec: by default a campaign's runs are forked\n"
     "from a copy of the program stopped at its entry point, after the\n"
     "dynamic loader, when that is safe (docs/snapshot.md)"},
    {"crash", 0, NULL, R | C, false, o_crash,
     "power loss: cut the power at a seeded eligible call (or after the\n"
     "run), kill the tree, and put every file the program changed back\n"
     "to what a disk would hold (docs/durability.md); no error faults\n"
     "with it unless --rate P is given"},
    {"crash-mode", 0, "M", R | C, false, o_crash_mode,
     "lose-all (default: every unsynced change is lost), torn (a seeded\n"
     "subset survives), keep-all (only the processes die)"},
    {"crash-rate", 0, "P", R | C, false, o_crash_rate,
     "probability of the cut before each call that changes or syncs a\n"
     "file (default " XSTR(DEFAULT_CRASH_RATE) "; a campaign: 1/(the baseline's such calls + 1))"},
    {"crash-at", 0, "N", R | C, false, o_crash_at, "cut at the first cut point from the N-th eligible call on"},
    {"fs", 0, "PROFILE", R | C, false, o_fs,
     "the file system whose persistence rules the cut follows: posix\n"
     "(default: only what POSIX promises), ext4, xfs, btrfs; implies --crash;\n"
     "a campaign also takes all: every profile, each bug says where it fails"},
    {"fsync-failure", 0, "F", R | C, false, o_fsync_failure,
     "drop (default, as Linux does: a failed fsync loses the file's\n"
     "unsynced data and a retry succeeds) or keep"},
    {"verbose", 'v', NULL, R | P, false, o_verbose, "print every eligible call and its decision"},
    {"quiet", 'q', NULL, RUNS, false, o_quiet, "print only errors"},
    {"json", 0, NULL, S, false, o_json, "show: print the trace as JSON"},
    {"help", 'h', NULL, ALL, false, o_help, "this help"},
    {"version", 'V', NULL, ALL, false, o_version, "the version"},
    {"seeds", 0, "A-B", C, true, o_seeds, "the seeds to run (or --runs N from --seed S; default 100 from 1)"},
    {"runs", 0, "N", C, true, o_runs, "how many seeds to run, from --seed S (default 100 from 1)"},
    {"jobs", 'j', "N", C, true, o_jobs, "parallel runs (default: the number of CPUs)"},
    {"template", 0, "DIR", C | M, true, o_template, "copy DIR into each run's fresh directory (default: empty)"},
    {"ignore", 0, "GLOB", C | M, true, o_ignore, "leave matching files out of the corruption comparison"},
    {"stop-after", 0, "N", C, true, o_stop_after, "stop after N failing runs"},
    {"no-minimize", 0, NULL, C, true, o_no_minimize, "keep bugs as found, without minimizing their traces"},
    {"min-time", 0, "SECS", C | M, true, o_min_time,
     "time one bug's minimization may take, then keep what it has\n"
     "(default 120; minimize: no limit)"},
    {"shard", 0, "I/N", C, true, o_shard,
     "run the I-th of N disjoint slices of the seeds (or of the sweep's\n"
     "runs); auto or auto/N: I (and N) from a Slurm job array, a\n"
     "Kubernetes Indexed Job or GNU parallel (docs/distributed.md)"},
    {"sweep", 0, NULL, C, true, o_sweep,
     "no seeds: one run per eligible call of the fault-free run and per\n"
     "fault kind, errno and cut it allows (with --crash: a power cut\n"
     "before each call the model follows, and after the run)"},
    {"sweep-errnos", 0, "W", C, true, o_sweep, "all (default: each errno the call can return) or first"},
    {"sweep-limit", 0, "N", C, true, o_sweep, "at most N runs, evenly spread over the list"},
    {"sweep-ordinals", 0, "L", C, true, o_sweep,
     "per site only these ordinals: first, last and K evenly spread\n"
     "(e.g. first,last,8)"},
    {"sweep-subsets", 0, "K", C, true, o_sweep, "torn power cuts: K seeded subsets per cut point (default 4)"},
};

/* One option's lines of --help: "  -s, --seed N          text". */
static void usage_opt(FILE *f, const struct opt *o)
{
	char head[64];
	int n = snprintf(head, sizeof(head), "  %c%c%s--%s%s%s", o->short_name ? '-' : ' ',
			 o->short_name ? o->short_name : ' ', o->short_name ? ", " : "  ", o->name, o->arg ? " " : "",
			 o->arg ? o->arg : "");
	const char *t = o->help;
	fprintf(f, "%s%*s", head, n < 24 ? 24 - n : 1, "");
	for (const char *nl; (nl = strchr(t, '\n')); t = nl + 1)
		fprintf(f, "%.*s\n%24s", (int)(nl - t), t, "");
	fprintf(f, "%s\n", t);
}

void ff_cli_usage(FILE *f)
{
	fputs("usage: fifuzz [OPTIONS] -- PROG [ARGS...]                run PROG with seeded syscall faults\n"
	      "       fifuzz replay [OPTIONS] TRACE -- PROG [ARGS...]   apply a trace's decisions again\n"
	      "       fifuzz campaign [OPTIONS] -o OUTDIR -- PROG [ARGS...]  many seeds, one dir per bug\n"
	      "       fifuzz minimize TRACE -o OUT -- PROG [ARGS...]    shrink a failing trace\n"
	      "       fifuzz show [--json] TRACE                        print a trace\n"
	      "       fifuzz list [--roff]                              print the fault catalogue\n"
	      "       fifuzz show-campaign OUTDIR                       a campaign's coverage, site by site\n"
	      "       fifuzz merge OUTDIR... -o MERGED                  merge shards or repeated campaigns\n"
	      "       fifuzz plot OUTDIR [-o FILE]                      failures, bugs, coverage over runs (SVG)\n"
	      "\nRun options:\n",
	      f);
	for (size_t i = 0; i < FF_ARRAY_LEN(opts); i++)
		if (!opts[i].campaign)
			usage_opt(f, &opts[i]);
	fputs("\nCampaign options (with the run options; -o names the output directory):\n", f);
	for (size_t i = 0; i < FF_ARRAY_LEN(opts); i++)
		if (opts[i].campaign)
			usage_opt(f, &opts[i]);
	fputs("\nReplay takes the selection from the trace; -o, --no-trace, --report, --timeout,\n"
	      "--check, --no-seccomp, -v and -q apply. Minimize takes --template, --check,\n"
	      "--ignore, --timeout and --min-time.\n"
	      "Exit status: 0 no failure, 1 failure found (crash, hang, corruption, sanitizer\n"
	      "report, failed --check), 2 bad usage or input,\n"
	      "3 cannot trace, 4 replay did not reproduce the recorded outcome, 128+N interrupted\n"
	      "by signal N. See fifuzz(1).\n",
	      f);
	/* The catalogue's own words, so --help cannot drift from `fifuzz list`. */
	fprintf(f, "\nSyscalls by class (%d in the catalogue; `fifuzz list` gives faults and errnos):\n", FF_SC_COUNT);
	for (unsigned k = 0; k < 6; k++) {
		int col = fprintf(f, "  %%%-6s", ff_cli_class_names[k]);
		for (int i = 0; i < FF_SC_COUNT; i++) {
			if (!(ff_sc_table[i].classes & (1u << k)))
				continue;
			if (col + (int)strlen(ff_sc_table[i].name) + 1 > 96)
				col = fprintf(f, "\n         ");
			col += fprintf(f, " %s", ff_sc_table[i].name);
		}
		fputc('\n', f);
	}
}

/* Index of the first "--" in argv, or argc. */
int ff_cli_dashdash(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--"))
			return i;
	return argc;
}

/* getopt_long's arrays from the table: an option's value is its index + 256. */
static void getopt_tables(struct option *lo, char *so, bool permute)
{
	size_t k = 0;
	if (!permute)
		so[k++] = '+';
	for (size_t i = 0; i < FF_ARRAY_LEN(opts); i++) {
		lo[i] = (struct option){opts[i].name, opts[i].arg ? required_argument : no_argument, 0, (int)i + 256};
		if (opts[i].short_name) {
			so[k++] = opts[i].short_name;
			if (opts[i].arg)
				so[k++] = ':';
		}
	}
	lo[FF_ARRAY_LEN(opts)] = (struct option){0};
	so[k] = 0;
}

static const struct opt *find_opt(int c)
{
	if (c >= 256)
		return &opts[c - 256];
	for (size_t i = 0; i < FF_ARRAY_LEN(opts); i++)
		if (opts[i].short_name == c)
			return &opts[i];
	return NULL;
}

static void refuse(const struct opt *o, enum cmd cmd)
{
	static const char *const names[] = {"a run", "replay", "show", "campaign", "minimize"};
	const char *why = cmd == CMD_REPLAY || cmd == CMD_MINIMIZE ? ": the selection comes from the trace" : "";
	if (o->short_name == 'j')
		ff_die(FF_EXIT_USAGE, "option -j does not apply to %s", names[cmd]);
	ff_die(FF_EXIT_USAGE, "option --%s does not apply to %s%s", o->name, names[cmd], why);
}

/* --crash and its companions: the defaults they imply. */
static void finish_crash(struct parse *p)
{
	struct ff_config *cfg = p->cfg;
	if (p->fsyncf && !p->crash)
		ff_die(FF_EXIT_USAGE,
		       "--fsync-failure goes with --crash (a failed fsync loses data only at a power cut)");
	if (!p->crash)
		return;
	if (!cfg->crash_mode)
		cfg->crash_mode = FF_CRASH_LOSE_ALL;
	cfg->crash_rate_q = ff_rate_q(cfg->crash_rate);
	cfg->crash_rate_auto = !p->crash_rate_set && !cfg->crash_at;
	if (!p->rate_set)
		cfg->rate = 0; /* power cuts only: error faults come with them when asked (--rate P) */
	if (!p->sc_arg) {
		/* Every call the model follows is eligible: a cut point, and a
		 * site where replay keeps tasks in step with the recording. */
		for (int sc = 0; sc < FF_SC_COUNT; sc++)
			if (ff_sc_durable(sc) && ff_sc_durable(sc) != FF_DC_MMAP) /* mmap changes nothing itself */
				cfg->sc_mask |= 1ull << sc;
	}
}

/* Options that do not go together. */
static void check_combinations(const struct ff_config *cfg)
{
	if (cfg->attach_pid) {
		if (cfg->timeout > 0)
			ff_die(FF_EXIT_USAGE,
			       "--timeout does not apply to --pid: end an attached run with Ctrl-C (SIGINT)");
		if (cfg->check_cmd)
			ff_die(FF_EXIT_USAGE,
			       "--check does not apply to --pid: the process keeps running after fifuzz detaches");
		if (cfg->pin_cpu >= 0)
			ff_die(FF_EXIT_USAGE, "--pin does not apply to --pid: fifuzz does not move a running process");
		if (cfg->crash_mode)
			ff_die(FF_EXIT_USAGE, "--crash does not apply to --pid: what the process changed before the "
					      "attach is not known, so the files cannot be put back");
	}
	if (cfg->no_follow && cfg->crash_mode)
		ff_die(FF_EXIT_USAGE, "--crash does not go with --no-follow: the children's changes to files would "
				      "not be seen");
}

/* The seed and the trace's name when none was given. */
static void finish_names(struct parse *p)
{
	struct ff_config *cfg = p->cfg;
	if (!p->x->have_seed && p->cmd == CMD_RUN) {
		uint64_t v;
		if (getrandom(&v, sizeof(v), 0) != sizeof(v))
			ff_die(FF_EXIT_TRACE, "getrandom: %s", strerror(errno));
		cfg->seed = v;
		cfg->seed_random = true;
	}
	if (p->no_trace) {
		cfg->trace_path = NULL;
	} else if (!cfg->trace_path && p->cmd == CMD_RUN) {
		static char def[64];
		snprintf(def, sizeof(def), "fifuzz-%" PRIu64 ".trace", cfg->seed);
		cfg->trace_path = def;
	}
}

/* Parses cmd's options. With a "--", options may stand anywhere before it
 * and operands (TRACE) are moved after them; without one, parsing stops at
 * the first operand (the program). On return optind is the first operand. */
void ff_cli_parse(int argc, char **argv, struct ff_config *cfg, enum cmd cmd, struct extra *x)
{
	struct parse p = {.cfg = cfg, .x = x, .cmd = cmd};
	struct option lo[FF_ARRAY_LEN(opts) + 1];
	char so[2 * FF_ARRAY_LEN(opts) + 2];
	int dd = ff_cli_dashdash(argc, argv), c;
	getopt_tables(lo, so, dd < argc);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(dd, argv, so, lo, NULL)) != -1) {
		const struct opt *o = c == '?' || c == ':' ? NULL : find_opt(c);
		const struct opt *known = !o && optopt ? find_opt(optopt) : NULL;
		if (known && known->arg)
			ff_die(FF_EXIT_USAGE, "option --%s needs %s (see fifuzz --help)", known->name, known->arg);
		if (!o && optopt && optopt < 256)
			ff_die(FF_EXIT_USAGE, "bad option '-%c' (see fifuzz --help)", optopt);
		if (!o)
			ff_die(FF_EXIT_USAGE, "bad option '%s' (see fifuzz --help)", argv[optind - 1]);
		if (!(o->cmds & (1u << cmd)))
			refuse(o, cmd);
		p.opt = o;
		o->apply(&p, optarg);
	}
	finish_crash(&p);
	if (!p.sc_arg && (cfg->fault_mask & FF_K(FF_CORRUPT)))
		for (int sc = 0; sc < FF_SC_COUNT; sc++) /* corrupt needs reads: the read family joins the default */
			if (ff_sc_table[sc].kinds & FF_K(FF_CORRUPT))
				cfg->sc_mask |= 1ull << sc;
	if (p.sc_arg)
		cfg->sc_mask = ff_cli_parse_syscalls(p.sc_arg);
	if (p.errno_arg)
		ff_cli_parse_errnos(cfg, p.errno_arg);
	if (cmd == CMD_RUN || cmd == CMD_CAMPAIGN)
		ff_cli_check_selection(cfg);
	check_combinations(cfg);
	finish_names(&p);
	cfg->rate_q = ff_rate_q(cfg->rate);
}

/* Dies (status 2) unless a file can be created at path: better now than
 * after a long run whose trace would then be lost. */
void ff_cli_check_output(const char *opt, const char *path)
{
	if (!path)
		return;
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash == dir)
		dir[1] = 0;
	else if (slash)
		*slash = 0;
	else
		snprintf(dir, sizeof(dir), ".");
	struct stat st;
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		ff_die(FF_EXIT_USAGE, "%s %s: no such directory: %s", opt, path, dir);
	if (access(dir, W_OK | X_OK) < 0)
		ff_die(FF_EXIT_USAGE, "%s %s: cannot create files in %s: %s", opt, path, dir, strerror(errno));
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		ff_die(FF_EXIT_USAGE, "%s %s: is a directory", opt, path);
}

void ff_cli_take_program(int argc, char **argv, int first, struct ff_config *cfg)
{
	ff_cli_check_output("-o", cfg->trace_path);
	ff_cli_check_output("--report", cfg->report_path);
	if (first < argc && !strcmp(argv[first], "--"))
		first++;
	if (first >= argc)
		ff_die(FF_EXIT_USAGE, "no program to run (usage: fifuzz [OPTIONS] -- PROG [ARGS...])");
	cfg->argv = argv + first;
	cfg->argc = argc - first;
	ff_cli_check_program(cfg->argv[0]);
}

void ff_cli_defaults(struct ff_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->rate = DEFAULT_RATE;
	for (int i = 0; i < FF_SC_COUNT; i++)
		if (ff_sc_table[i].classes & (FF_CLASS_WRITE | FF_CLASS_SYNC))
			cfg->sc_mask |= 1ull << i; /* the data path: writes and syncs */
	cfg->fault_mask = FF_K_EVERY;
	cfg->site_depth = FF_UNWIND_DEFAULT;
	cfg->fdkind_mask = 1u << FF_FD_FILE;
	cfg->pin_cpu = -1;
	cfg->crash_rate = DEFAULT_CRASH_RATE;
	cfg->max_procs = DEFAULT_MAX_PROCS;
}

const char *ff_cli_write_trace(const struct ff_config *cfg, struct ff_run_result *res)
{
	if (!cfg->trace_path)
		return NULL;
	int rc = ff_trace_write(cfg->trace_path, &res->trace);
	if (rc < 0)
		ff_die(FF_EXIT_TRACE, "cannot write the trace %s: %s", cfg->trace_path, strerror(-rc));
	return cfg->trace_path;
}
