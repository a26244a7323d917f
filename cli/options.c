/* Options: the grammar of every command line, its validation, and --help. */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>

#include "core/corrupt.h"
#include "core/durable.h"
#include "core/unwind.h"
#include "core/util.h"

#define DEFAULT_RATE	   0.1
#define DEFAULT_CRASH_RATE 0.05
/* Enough for any test program; a fork bomb stops there instead of taking the machine. */
#define DEFAULT_MAX_PROCS 4096

void ff_cli_usage(FILE *f)
{
	fprintf(f,
		"usage: fifuzz [OPTIONS] -- PROG [ARGS...]                run PROG with seeded syscall faults\n"
		"       fifuzz replay [OPTIONS] TRACE -- PROG [ARGS...]   apply a trace's decisions again\n"
		"       fifuzz campaign [OPTIONS] -o OUTDIR -- PROG [ARGS...]  many seeds, one dir per bug\n"
		"       fifuzz minimize TRACE -o OUT -- PROG [ARGS...]    shrink a failing trace\n"
		"       fifuzz show [--json] TRACE                        print a trace\n"
		"       fifuzz list [--roff]                              print the fault catalogue\n"
		"\n"
		"Run options:\n"
		"  -s, --seed N          64-bit seed (default: random, printed)\n"
		"  -o, --trace FILE      write the trace to FILE (default: fifuzz-SEED.trace)\n"
		"      --no-trace        write no trace\n"
		"      --report FILE     write a JSON report\n"
		"  -r, --rate P          probability that an eligible call is faulted (default %g)\n"
		"  -e, --syscalls LIST   eligible syscalls: name, %%class, !name, !%%class, applied left to\n"
		"                        right; a list starting with '!' starts from every syscall\n"
		"                        (default %%write,%%sync; the classes and syscalls are below)\n"
		"      --faults LIST     fault kinds: short,error,torn,eintr,eagain,fsync (default: all),\n"
		"                        corrupt (reads of regular files return damaged bytes; only when named)\n"
		"      --corrupt-mode M  flip (one bit), zero or garbage (a 512-byte block); default: a seeded mix\n"
		"      --site S          path (default): a site is (syscall, path, n-th call); stack: (syscall,\n"
		"                        path, calling context, n-th call in it)\n"
		"      --site-depth N    frames of a stack site's calling context (default 16, at most 64)\n"
		"      --errno LIST      errnos the error and torn faults may use (default: all the profile\n"
		"                        allows; fsync faults always report EIO)\n"
		"      --profile P       realistic (default): only errnos and kinds the call and fd can\n"
		"                        really produce; all: every documented errno and kind\n"
		"      --path GLOB       only calls on matching files (repeatable; a glob without '/'\n"
		"                        also matches the file name)\n"
		"      --fd-kind LIST    eligible fd kinds: file,pipe,socket,tty,dev (default: file;\n"
		"                        file covers directories and every path syscall)\n"
		"      --after N         let the first N eligible calls through\n"
		"      --only N          fault exactly the N-th eligible call, nothing else\n"
		"      --max-faults N    inject at most N faults (0: no limit)\n"
		"      --include-stdio   let fds 0-2 be faulted too\n"
		"      --include-startup let the loader and libc start-up be faulted too\n"
		"      --timeout SECS    kill the process tree after SECS seconds: a hang\n"
		"      --max-procs N     at most N live tasks (processes and threads) in the traced tree: a\n"
		"                        fork or new thread beyond fails with EAGAIN (default %d; 0: no limit)\n"
		"      --check CMD       run CMD (sh -c) after the program, in its directory; non-zero is a\n"
		"                        failure (FIFUZZ_SEED, FIFUZZ_TRACE, FIFUZZ_EXIT ... in its env)\n"
		"      --real-random     let getrandom give the kernel's random bytes (by default fifuzz\n"
		"                        gives a fixed sequence, so temporary names and hash seeds are\n"
		"                        the same in every run and replay: docs/determinism.md)\n"
		"      --no-seccomp      trace every syscall with PTRACE_SYSCALL (slow fallback)\n"
		"      --no-follow       trace only the program's process (its threads too), not its\n"
		"                        children, which run untouched; implies --no-seccomp (fifuzz\n"
		"                        under fifuzz: fifuzz --no-follow ... -- fifuzz ... -- PROG)\n"
		"      --pid PID         instead of running a program, attach to process PID (all its\n"
		"                        threads, and its children from then on) with PTRACE_SYSCALL;\n"
		"                        Ctrl-C detaches and leaves it running; the trace cannot be replayed\n"
		"      --schedule FILE   take the decisions from FILE's bytes (AFL++; docs/schedule.md)\n"
		"      --split-input     FILE is [u16 length][schedule][input]: the input goes to '@@' in\n"
		"                        the program's arguments, or to its stdin\n"
		"      --pin             run fifuzz and the program on one CPU: faster stops, less\n"
		"                        parallelism (campaigns give each parallel run its own CPU)\n"
		"      --crash           power loss: cut the power at a seeded eligible call (or after the\n"
		"                        run), kill the tree, and put every file the program changed back\n"
		"                        to what a disk would hold (docs/durability.md); no error faults\n"
		"                        with it unless --rate P is given\n"
		"      --crash-mode M    lose-all (default: every unsynced change is lost), torn (a seeded\n"
		"                        subset survives), keep-all (only the processes die)\n"
		"      --crash-rate P    probability of the cut at each eligible call (default %g; a\n"
		"                        campaign: 1/(the baseline run's eligible calls + 1))\n"
		"      --crash-at N      cut at the first cut point from the N-th eligible call on\n"
		"      --fs PROFILE      the file system whose persistence rules the cut follows: posix\n"
		"                        (default: only what POSIX promises), ext4, xfs, btrfs; implies --crash\n"
		"      --fsync-failure F drop (default, as Linux does: a failed fsync loses the file's\n"
		"                        unsynced data and a retry succeeds) or keep\n"
		"  -v, --verbose         print every eligible call and its decision\n"
		"  -q, --quiet           print only errors\n"
		"  -h, --help            this help;  -V, --version  the version\n"
		"\n"
		"Campaign options (with the run options; -o names the output directory):\n"
		"      --seeds A-B       the seeds to run (or --runs N from --seed S; default 100 from 1)\n"
		"  -j, --jobs N          parallel runs (default: the number of CPUs)\n"
		"      --template DIR    copy DIR into each run's fresh directory (default: empty)\n"
		"      --ignore GLOB     leave matching files out of the corruption comparison\n"
		"      --stop-after N    stop after N failing runs\n"
		"      --no-minimize     keep bugs as found, without minimizing their traces\n"
		"      --min-time SECS   time one bug's minimization may take, then keep what it has\n"
		"                        (default 120; minimize: no limit)\n"
		"      --shard I/N       run the I-th of N disjoint slices of the seeds\n"
		"\n"
		"Replay takes the selection from the trace; -o, --no-trace, --report, --timeout,\n"
		"--check, --no-seccomp, -v and -q apply. Minimize takes --template, --check,\n"
		"--ignore, --timeout and --min-time.\n"
		"Exit status: 0 no failure, 1 failure found (crash, hang, corruption, sanitizer\n"
		"report, failed --check), 2 bad usage or input,\n"
		"3 cannot trace, 4 replay did not reproduce the recorded outcome, 128+N interrupted\n"
		"by signal N. See fifuzz(1).\n",
		DEFAULT_RATE, DEFAULT_MAX_PROCS, DEFAULT_CRASH_RATE);
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

enum {
	OPT_NO_TRACE = 256,
	OPT_REPORT,
	OPT_FAULTS,
	OPT_FDKIND,
	OPT_STDIO,
	OPT_STARTUP,
	OPT_TIMEOUT,
	OPT_NO_SECCOMP,
	OPT_JSON,
	OPT_ERRNO,
	OPT_PATH,
	OPT_PROFILE,
	OPT_MAX_FAULTS,
	OPT_AFTER,
	OPT_ONLY,
	OPT_CHECK,
	OPT_IGNORE,
	OPT_SEEDS,
	OPT_RUNS,
	OPT_TEMPLATE,
	OPT_STOP_AFTER,
	OPT_NO_MINIMIZE,
	OPT_MIN_TIME,
	OPT_SHARD,
	OPT_PIN,
	OPT_SCHEDULE,
	OPT_SPLIT_INPUT,
	OPT_CRASH,
	OPT_CRASH_MODE,
	OPT_CRASH_RATE,
	OPT_CRASH_AT,
	OPT_FSYNC_FAILURE,
	OPT_FS,
	OPT_MAX_PROCS,
	OPT_NO_FOLLOW,
	OPT_REAL_RANDOM,
	OPT_PID,
	OPT_CORRUPT_MODE,
	OPT_SITE,
	OPT_SITE_DEPTH,
};

static const struct option run_opts[] = {
    {"seed", required_argument, 0, 's'},
    {"trace", required_argument, 0, 'o'},
    {"no-trace", no_argument, 0, OPT_NO_TRACE},
    {"report", required_argument, 0, OPT_REPORT},
    {"rate", required_argument, 0, 'r'},
    {"syscalls", required_argument, 0, 'e'},
    {"faults", required_argument, 0, OPT_FAULTS},
    {"fd-kind", required_argument, 0, OPT_FDKIND},
    {"include-stdio", no_argument, 0, OPT_STDIO},
    {"include-startup", no_argument, 0, OPT_STARTUP},
    {"timeout", required_argument, 0, OPT_TIMEOUT},
    {"no-seccomp", no_argument, 0, OPT_NO_SECCOMP},
    {"verbose", no_argument, 0, 'v'},
    {"quiet", no_argument, 0, 'q'},
    {"help", no_argument, 0, 'h'},
    {"version", no_argument, 0, 'V'},
    {"json", no_argument, 0, OPT_JSON},
    {"errno", required_argument, 0, OPT_ERRNO},
    {"path", required_argument, 0, OPT_PATH},
    {"profile", required_argument, 0, OPT_PROFILE},
    {"max-faults", required_argument, 0, OPT_MAX_FAULTS},
    {"after", required_argument, 0, OPT_AFTER},
    {"only", required_argument, 0, OPT_ONLY},
    {"check", required_argument, 0, OPT_CHECK},
    {"ignore", required_argument, 0, OPT_IGNORE},
    {"seeds", required_argument, 0, OPT_SEEDS},
    {"runs", required_argument, 0, OPT_RUNS},
    {"jobs", required_argument, 0, 'j'},
    {"template", required_argument, 0, OPT_TEMPLATE},
    {"stop-after", required_argument, 0, OPT_STOP_AFTER},
    {"no-minimize", no_argument, 0, OPT_NO_MINIMIZE},
    {"min-time", required_argument, 0, OPT_MIN_TIME},
    {"shard", required_argument, 0, OPT_SHARD},
    {"pin", no_argument, 0, OPT_PIN},
    {"schedule", required_argument, 0, OPT_SCHEDULE},
    {"split-input", no_argument, 0, OPT_SPLIT_INPUT},
    {"crash", no_argument, 0, OPT_CRASH},
    {"crash-mode", required_argument, 0, OPT_CRASH_MODE},
    {"crash-rate", required_argument, 0, OPT_CRASH_RATE},
    {"crash-at", required_argument, 0, OPT_CRASH_AT},
    {"fsync-failure", required_argument, 0, OPT_FSYNC_FAILURE},
    {"fs", required_argument, 0, OPT_FS},
    {"max-procs", required_argument, 0, OPT_MAX_PROCS},
    {"no-follow", no_argument, 0, OPT_NO_FOLLOW},
    {"real-random", no_argument, 0, OPT_REAL_RANDOM},
    {"pid", required_argument, 0, OPT_PID},
    {"corrupt-mode", required_argument, 0, OPT_CORRUPT_MODE},
    {"site", required_argument, 0, OPT_SITE},
    {"site-depth", required_argument, 0, OPT_SITE_DEPTH},
    {0, 0, 0, 0},
};

void ff_cli_print_cmd(FILE *f, char *const *argv, size_t argc);

static const char *opt_name(int c)
{
	for (const struct option *o = run_opts; o->name; o++)
		if (o->val == c)
			return o->name;
	return "?";
}

/* Which options each command accepts (by value). */
static bool allows_base(enum cmd cmd, int c)
{
	bool common = c == 'h' || c == 'V' || c == 'q' || c == OPT_TIMEOUT || c == OPT_NO_SECCOMP || c == OPT_MAX_PROCS;
	bool campaign_only = c == OPT_SEEDS || c == OPT_RUNS || c == 'j' || c == OPT_STOP_AFTER ||
			     c == OPT_NO_MINIMIZE || c == OPT_SHARD || c == OPT_MIN_TIME;
	switch (cmd) {
	case CMD_SHOW:
		return c == OPT_JSON || c == 'h' || c == 'V';
	case CMD_REPLAY:
		if (c == OPT_NO_FOLLOW)
			return false;
		return common || c == 'o' || c == OPT_NO_TRACE || c == OPT_REPORT || c == 'v' || c == OPT_CHECK ||
		       c == OPT_PIN;
	case CMD_MINIMIZE:
		if (c == OPT_NO_FOLLOW)
			return false;
		return common || c == 'o' || c == OPT_CHECK || c == OPT_IGNORE || c == OPT_TEMPLATE || c == OPT_PIN ||
		       c == OPT_MIN_TIME;
	case CMD_CAMPAIGN:
		return c != OPT_JSON && c != OPT_NO_TRACE && c != OPT_REPORT && c != 'v';
	default:
		return c != OPT_JSON && !campaign_only && c != OPT_IGNORE && c != OPT_TEMPLATE;
	}
}

/* Options only a plain run takes. */
static bool run_only(int c)
{
	return c == OPT_SCHEDULE || c == OPT_SPLIT_INPUT || c == OPT_PID;
}

static bool allows(enum cmd cmd, int c)
{
	return (!run_only(c) || cmd == CMD_RUN) && allows_base(cmd, c);
}

/* A..B, inclusive. */
static void parse_range(const char *s, uint64_t *a, uint64_t *b)
{
	char *end;
	errno = 0;
	if (*s == '-')
		ff_die(FF_EXIT_USAGE, "bad --seeds '%s': expected A-B, two numbers with A <= B", s);
	*a = strtoull(s, &end, 0);
	if (errno || *end != '-' || end[1] == '-' || !end[1])
		ff_die(FF_EXIT_USAGE, "bad --seeds '%s': expected A-B, two numbers with A <= B", s);
	*b = strtoull(end + 1, &end, 0);
	if (errno || *end || *b < *a)
		ff_die(FF_EXIT_USAGE, "bad --seeds '%s': expected A-B, two numbers with A <= B", s);
}

static uint64_t parse_seed(const char *s)
{
	char *end;
	errno = 0;
	if (!*s || *s == '-')
		ff_die(FF_EXIT_USAGE, "bad seed '%s': expected a number from 0 to 2^64-1", s);
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || *end)
		ff_die(FF_EXIT_USAGE, "bad seed '%s': expected a number from 0 to 2^64-1", s);
	return v;
}

static double parse_prob(const char *s)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (!*s || errno || *end || !isfinite(v) || v < 0 || v > 1)
		ff_die(FF_EXIT_USAGE, "bad rate '%s': expected a probability from 0 to 1", s);
	return v;
}

static uint64_t parse_count(const char *opt, const char *s)
{
	char *end;
	errno = 0;
	if (!*s || *s == '-')
		ff_die(FF_EXIT_USAGE, "bad %s '%s': expected a whole number", opt, s);
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end)
		ff_die(FF_EXIT_USAGE, "bad %s '%s': expected a whole number", opt, s);
	return v;
}

/* Site paths inside the directory a run starts in are relative to it: an
 * absolute glob for a file there is made relative the same way (a run, a
 * replay, --pid; a campaign's runs start elsewhere). */
static char *relative_glob(enum cmd cmd, char *g)
{
	static char cwd[4096];
	if (g[0] != '/' || cmd == CMD_CAMPAIGN || cmd == CMD_MINIMIZE || (!cwd[0] && !getcwd(cwd, sizeof(cwd))))
		return g;
	size_t n = strlen(cwd);
	if (n > 1 && strncmp(g, cwd, n) == 0 && g[n] == '/' && g[n + 1])
		return g + n + 1;
	return g;
}

/* A glob is malformed when a '[' has no closing ']'. */
static void check_glob(const char *g)
{
	if (!*g)
		ff_die(FF_EXIT_USAGE, "bad --path '': an empty glob matches nothing");
	for (const char *p = g; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
		} else if (*p == '[') {
			const char *q = p + 1;
			if (*q == '!' || *q == '^')
				q++;
			if (*q == ']')
				q++;
			while (*q && *q != ']')
				q++;
			if (!*q)
				ff_die(FF_EXIT_USAGE, "bad --path '%s': '[' without a closing ']'", g);
			p = q;
		}
	}
}

static double parse_timeout(const char *s)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (!*s || errno || *end || !isfinite(v) || v <= 0 || v > 1e7)
		ff_die(FF_EXIT_USAGE, "bad timeout '%s': expected a positive number of seconds", s);
	return v;
}

/* Splits a comma list and maps each word through lookup; dies naming the bad word. */
static uint64_t parse_list(const char *arg, const char *what, int (*lookup)(const char *), const char *valid)
{
	uint64_t mask = 0;
	char *buf = ff_xstrdup(arg), *save = NULL;
	for (char *w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		int v = lookup(w);
		if (v < 0)
			ff_die(FF_EXIT_USAGE, "unknown %s '%s' (valid: %s)", what, w, valid);
		mask |= 1ull << v;
	}
	free(buf);
	if (!mask)
		ff_die(FF_EXIT_USAGE, "empty %s list (valid: %s)", what, valid);
	return mask;
}

static int fault_lookup(const char *w)
{
	int k = ff_fault_by_name(w);
	if (k == FF_CUT)
		ff_die(FF_EXIT_USAGE, "the power cut is not a fault kind of --faults: use --crash");
	return k == FF_PASS ? -1 : k;
}

static int fdkind_lookup(const char *w)
{
	int k = ff_fdkind_by_name(w);
	return k == FF_FD_OTHER ? -1 : k;
}

char *ff_cli_valid_syscalls(void)
{
	static char buf[1024];
	size_t o = 0;
	for (int i = 0; i < FF_SC_COUNT && o + 32 < sizeof(buf); i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s", i ? ", " : "", ff_sc_table[i].name);
	return buf;
}

const char *const ff_cli_class_names[] = {"write", "read", "desc", "file", "sync", "net"};

/* -e grammar (strace-like):  LIST := WORD[,WORD]...   WORD := [!]NAME | [!]%CLASS
 * Words apply left to right; a list that starts with '!' starts from every
 * syscall, otherwise from none. */
static uint64_t parse_syscalls(const char *arg)
{
	char *buf = ff_xstrdup(arg), *save = NULL;
	uint64_t all = (FF_SC_COUNT >= 64) ? ~0ull : (1ull << FF_SC_COUNT) - 1;
	uint64_t mask = arg[0] == '!' ? all : 0;
	for (char *w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		bool neg = *w == '!';
		const char *name = w + neg;
		uint64_t m = 0;
		if (*name == '%') {
			unsigned k = 0;
			while (k < FF_ARRAY_LEN(ff_cli_class_names) && strcmp(ff_cli_class_names[k], name + 1))
				k++;
			if (k == FF_ARRAY_LEN(ff_cli_class_names))
				ff_die(FF_EXIT_USAGE,
				       "unknown syscall class '%s' (valid: %%write, %%read, %%desc, %%file, %%sync, "
				       "%%net)",
				       name);
			for (int i = 0; i < FF_SC_COUNT; i++)
				if (ff_sc_table[i].classes & (1u << k))
					m |= 1ull << i;
		} else {
			int i = ff_sc_by_name(name);
			if (i < 0)
				ff_die(FF_EXIT_USAGE, "unknown syscall '%s' (valid: %s, or a %%class)", name,
				       ff_cli_valid_syscalls());
			m = 1ull << i;
		}
		mask = neg ? mask & ~m : mask | m;
	}
	free(buf);
	if (!mask)
		ff_die(FF_EXIT_USAGE, "-e '%s' selects no syscall that fifuzz can intercept (see fifuzz list)", arg);
	return mask;
}

/* --errno LIST: each name must be an errno that some selected syscall can
 * return under the profile. */
static void parse_errnos(struct ff_config *cfg, const char *arg)
{
	char *buf = ff_xstrdup(arg), *save = NULL;
	for (char *w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		int e = ff_errno_by_name(w);
		if (e < 0)
			ff_die(FF_EXIT_USAGE, "unknown errno '%s' (names as in errno(3): EIO, ENOSPC, ...)", w);
		if (e == EINTR || e == EAGAIN)
			ff_die(FF_EXIT_USAGE, "%s is a fault kind of its own: use --faults %s", w,
			       e == EINTR ? "eintr" : "eagain");
		char valid[1024] = "";
		bool ok = false;
		/* Valid: some selected syscall can return it on some selected fd kind. */
		for (int sc = 0; sc < FF_SC_COUNT; sc++) {
			if (!(cfg->sc_mask & (1ull << sc)))
				continue;
			for (int k = 0; k < FF_FD_COUNT; k++) {
				int errs[FF_MAX_ERRNOS];
				if (!(cfg->fdkind_mask & (1u << k)) ||
				    (ff_sc_table[sc].res != FF_RES_FD && k != FF_FD_FILE))
					continue;
				int n =
				    ff_sc_errnos(sc, (enum ff_fdkind)k, (enum ff_profile)cfg->profile, NULL, 0, errs);
				for (int i = 0; i < n; i++) {
					const char *name = ff_errno_name(errs[i]);
					ok |= errs[i] == e;
					if (!strstr(valid, name))
						snprintf(valid + strlen(valid), sizeof(valid) - strlen(valid), "%s%s",
							 *valid ? ", " : "", name);
				}
			}
		}
		if (!ok)
			ff_die(FF_EXIT_USAGE,
			       "no selected syscall can fail with %s on the selected fd kinds under --profile %s "
			       "(valid: %s%s)",
			       w, cfg->profile == FF_PROFILE_ALL ? "all" : "realistic", *valid ? valid : "none",
			       cfg->profile == FF_PROFILE_ALL ? "" : "; --profile all allows every documented errno");
		if (cfg->nerrnos >= (int)FF_ARRAY_LEN(cfg->errnos))
			ff_die(FF_EXIT_USAGE, "too many errnos in --errno");
		cfg->errnos[cfg->nerrnos++] = (uint16_t)e;
	}
	free(buf);
	if (!cfg->nerrnos)
		ff_die(FF_EXIT_USAGE, "empty --errno list");
}

/* Dies on a selection that can never make a call eligible or faulted. */
static void check_selection(const struct ff_config *cfg)
{
	bool any = false;
	for (int sc = 0; sc < FF_SC_COUNT && !any; sc++) {
		if (!(cfg->sc_mask & (1ull << sc)))
			continue;
		const struct ff_sc *e = &ff_sc_table[sc];
		if (e->res != FF_RES_FD)
			any = cfg->fdkind_mask & (1u << FF_FD_FILE);
		else if (e->classes & FF_CLASS_NET)
			any = cfg->fdkind_mask & (1u << FF_FD_SOCKET);
		else
			any = cfg->fdkind_mask != 0;
	}
	bool paths = false; /* a selected call that names a path: only --fd-kind file makes it eligible */
	for (int sc = 0; sc < FF_SC_COUNT; sc++)
		paths |= (cfg->sc_mask & (1ull << sc)) && ff_sc_table[sc].res != FF_RES_FD;
	if (!any && paths)
		ff_die(FF_EXIT_USAGE,
		       "--fd-kind has no file, but -e selects only calls on paths or files: add --fd-kind "
		       "file");
	if (!any)
		ff_die(FF_EXIT_USAGE, "-e selects only socket calls but --fd-kind has no socket: add --fd-kind socket");
	if (cfg->only && cfg->only <= cfg->after)
		ff_die(FF_EXIT_USAGE, "--only %llu falls inside --after %llu: that call is let through",
		       (unsigned long long)cfg->only, (unsigned long long)cfg->after);
}

/* Dies unless argv[0] names an executable file (as execvp would find it). */
static void check_program(const char *prog)
{
	struct stat st;
	if (strchr(prog, '/')) {
		if (stat(prog, &st) < 0)
			ff_die(FF_EXIT_USAGE, "cannot execute %s: %s", prog, strerror(errno));
		if (!S_ISREG(st.st_mode) || access(prog, X_OK) < 0)
			ff_die(FF_EXIT_USAGE, "cannot execute %s: %s", prog,
			       S_ISDIR(st.st_mode) ? "is a directory" : "not executable");
		return;
	}
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	char *dirs = ff_xstrdup(path), *save = NULL, full[4096];
	for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		snprintf(full, sizeof(full), "%s/%s", *d ? d : ".", prog);
		if (stat(full, &st) == 0 && S_ISREG(st.st_mode) && access(full, X_OK) == 0) {
			free(dirs);
			return;
		}
	}
	free(dirs);
	ff_die(FF_EXIT_USAGE, "cannot execute %s: not found in PATH", prog);
}

/* Index of the first "--" in argv, or argc. */
int ff_cli_dashdash(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--"))
			return i;
	return argc;
}

/* Parses options for run or replay (or show). With a "--", options may
 * stand anywhere before it and operands (TRACE) are moved after them;
 * without one, parsing stops at the first operand (the program). On return
 * optind is the first operand. */
void ff_cli_parse(int argc, char **argv, struct ff_config *cfg, enum cmd cmd, struct extra *x)
{
	bool have_seed = false, no_trace = false, crash = false, fsyncf = false, crash_rate_set = false;
	bool rate_set = false;
	const char *sc_arg = NULL, *errno_arg = NULL;
	int dd = ff_cli_dashdash(argc, argv);
	const char *shortopts = dd < argc ? "s:o:r:e:j:vqhV" : "+s:o:r:e:j:vqhV";
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(dd, argv, shortopts, run_opts, NULL)) != -1) {
		if (c == '?' || c == ':') {
			if (optopt && optopt < 256)
				ff_die(FF_EXIT_USAGE, "bad option '-%c' (see fifuzz --help)", optopt);
			ff_die(FF_EXIT_USAGE, "bad option '%s' (see fifuzz --help)", argv[optind - 1]);
		}
		if (c == 'h') {
			ff_cli_usage(stdout);
			exit(0);
		}
		if (c == 'V') {
			printf("fifuzz %s (trace format %d)\n", FF_VERSION, FF_TRACE_VERSION);
			exit(0);
		}
		if (!allows(cmd, c)) {
			static const char *const names[] = {"a run", "replay", "show", "campaign", "minimize"};
			const char *why =
			    cmd == CMD_REPLAY || cmd == CMD_MINIMIZE ? ": the selection comes from the trace" : "";
			if (c == 'j')
				ff_die(FF_EXIT_USAGE, "option -j does not apply to %s", names[cmd]);
			ff_die(FF_EXIT_USAGE, "option --%s does not apply to %s%s", opt_name(c), names[cmd], why);
		}
		switch (c) {
		case 's':
			cfg->seed = parse_seed(optarg);
			have_seed = x->have_seed = true;
			break;
		case 'o':
			x->have_trace = true;
			cfg->trace_path = optarg;
			break;
		case OPT_NO_TRACE:
			no_trace = true;
			break;
		case OPT_REPORT:
			cfg->report_path = optarg;
			break;
		case 'r':
			cfg->rate = parse_prob(optarg);
			rate_set = true;
			break;
		case 'e':
			sc_arg = optarg;
			break;
		case OPT_FAULTS:
			if (!strcmp(optarg, "all")) {
				cfg->fault_mask = FF_K_EVERY;
				break;
			}
			cfg->fault_mask =
			    (uint32_t)parse_list(optarg, "fault kind", fault_lookup,
						 "short, error, torn, eintr, eagain, fsync, corrupt, or all");
			break;
		case OPT_FDKIND:
			cfg->fdkind_mask =
			    (uint32_t)parse_list(optarg, "fd kind", fdkind_lookup, "file, pipe, socket, tty, dev");
			break;
		case OPT_STDIO:
			cfg->include_stdio = true;
			break;
		case OPT_STARTUP:
			cfg->include_startup = true;
			break;
		case OPT_TIMEOUT:
			cfg->timeout = parse_timeout(optarg);
			break;
		case OPT_NO_SECCOMP:
			cfg->no_seccomp = true;
			break;
		case OPT_ERRNO:
			errno_arg = optarg;
			break;
		case OPT_PATH:
			check_glob(optarg);
			cfg->globs = ff_xrealloc(cfg->globs, sizeof(char *) * (size_t)(cfg->nglobs + 1));
			cfg->globs[cfg->nglobs++] = relative_glob(cmd, optarg);
			break;
		case OPT_PROFILE:
			if (!strcmp(optarg, "realistic"))
				cfg->profile = FF_PROFILE_REALISTIC;
			else if (!strcmp(optarg, "all"))
				cfg->profile = FF_PROFILE_ALL;
			else
				ff_die(FF_EXIT_USAGE, "unknown profile '%s' (valid: realistic, all)", optarg);
			break;
		case OPT_JSON:
			x->json = true;
			break;
		case OPT_CHECK:
			if (!*optarg)
				ff_die(FF_EXIT_USAGE, "bad --check '': expected a shell command");
			cfg->check_cmd = optarg;
			break;
		case OPT_IGNORE:
			check_glob(optarg);
			cfg->ignore = ff_xrealloc(cfg->ignore, sizeof(char *) * (size_t)(cfg->nignore + 1));
			cfg->ignore[cfg->nignore++] = optarg;
			break;
		case OPT_SEEDS:
			parse_range(optarg, &x->first, &x->last);
			x->have_seeds = true;
			break;
		case OPT_RUNS:
			x->runs = parse_count("--runs", optarg);
			if (!x->runs)
				ff_die(FF_EXIT_USAGE, "bad --runs '0': expected at least 1");
			x->have_runs = true;
			break;
		case 'j': {
			uint64_t j = parse_count("-j", optarg); /* checked before it is narrowed */
			if (j < 1 || j > 1024)
				ff_die(FF_EXIT_USAGE, "bad -j '%s': expected 1 to 1024 parallel runs", optarg);
			x->jobs = (int)j;
		} break;
		case OPT_TEMPLATE: {
			struct stat st;
			if (stat(optarg, &st) < 0 || !S_ISDIR(st.st_mode))
				ff_die(FF_EXIT_USAGE, "bad --template '%s': not a directory", optarg);
			x->template_dir = optarg;
			break;
		}
		case OPT_STOP_AFTER:
			x->stop_after = parse_count("--stop-after", optarg);
			break;
		case OPT_NO_MINIMIZE:
			x->no_minimize = true;
			break;
		case OPT_MIN_TIME:
			x->min_time = parse_timeout(optarg);
			break;
		case OPT_SCHEDULE:
			cfg->schedule_path = optarg;
			break;
		case OPT_SPLIT_INPUT:
			cfg->split_input = true;
			break;
		case OPT_PIN: {
			int cpu = sched_getcpu();
			cfg->pin_cpu = cpu >= 0 ? cpu : 0;
			break;
		}
		case OPT_SHARD: {
			unsigned i, n;
			char tail;
			if (sscanf(optarg, "%u/%u%c", &i, &n, &tail) != 2 || n < 1 || i < 1 || i > n)
				ff_die(FF_EXIT_USAGE, "bad --shard '%s': expected I/N with 1 <= I <= N", optarg);
			x->shard_i = i;
			x->shard_n = n;
			break;
		}
		case OPT_REAL_RANDOM:
			cfg->real_random = true;
			break;
		case OPT_NO_FOLLOW:
			/* A filter is inherited and cannot be removed: an untraced
			 * child would get ENOSYS from every selected call. */
			cfg->no_follow = true;
			cfg->no_seccomp = true;
			break;
		case OPT_PID: {
			uint64_t n = parse_count("--pid", optarg);
			if (n < 1 || n > 4194304)
				ff_die(FF_EXIT_USAGE, "bad --pid '%s': expected a process id", optarg);
			cfg->attach_pid = (int)n;
			break;
		}
		case OPT_MAX_PROCS: {
			uint64_t n = parse_count("--max-procs", optarg);
			if (n > 4194304)
				ff_die(FF_EXIT_USAGE, "bad --max-procs '%s': at most 4194304 (the kernel's pid limit)",
				       optarg);
			cfg->max_procs = (uint32_t)n;
			break;
		}
		case OPT_MAX_FAULTS:
			cfg->max_faults = parse_count("--max-faults", optarg);
			break;
		case OPT_AFTER:
			cfg->after = parse_count("--after", optarg);
			break;
		case OPT_ONLY:
			cfg->only = parse_count("--only", optarg);
			if (!cfg->only)
				ff_die(FF_EXIT_USAGE, "bad --only '0': eligible calls count from 1");
			break;
		case OPT_CRASH:
			crash = true;
			break;
		case OPT_CRASH_MODE:
			crash = true;
			if (!strcmp(optarg, "lose-all"))
				cfg->crash_mode = FF_CRASH_LOSE_ALL;
			else if (!strcmp(optarg, "torn"))
				cfg->crash_mode = FF_CRASH_TORN;
			else if (!strcmp(optarg, "keep-all"))
				cfg->crash_mode = FF_CRASH_KEEP_ALL;
			else
				ff_die(FF_EXIT_USAGE, "unknown --crash-mode '%s' (valid: lose-all, torn, keep-all)",
				       optarg);
			break;
		case OPT_CRASH_RATE:
			crash = true;
			crash_rate_set = true;
			cfg->crash_rate = parse_prob(optarg);
			break;
		case OPT_CRASH_AT:
			crash = true;
			cfg->crash_at = parse_count("--crash-at", optarg);
			if (!cfg->crash_at)
				ff_die(FF_EXIT_USAGE, "bad --crash-at '0': eligible calls count from 1");
			break;
		case OPT_FS: {
			int fs = ff_fs_by_name(optarg);
			if (fs < 0)
				ff_die(FF_EXIT_USAGE, "unknown --fs '%s' (valid: posix, ext4, xfs, btrfs)", optarg);
			cfg->fs_profile = (uint8_t)fs;
			crash = true;
			break;
		}
		case OPT_SITE:
			if (!strcmp(optarg, "path") || !strcmp(optarg, "stack"))
				cfg->site_mode = !strcmp(optarg, "stack") ? FF_SITE_STACK : FF_SITE_PATH;
			else
				ff_die(FF_EXIT_USAGE, "unknown --site '%s' (valid: path, stack)", optarg);
			break;
		case OPT_SITE_DEPTH: {
			uint64_t d = parse_count("--site-depth", optarg);
			if (d < 1 || d > FF_UNWIND_MAX_DEPTH)
				ff_die(FF_EXIT_USAGE, "bad --site-depth '%s' (valid: 1 to %d frames)", optarg,
				       FF_UNWIND_MAX_DEPTH);
			cfg->site_depth = (uint8_t)d;
			break;
		}
		case OPT_CORRUPT_MODE: {
			int m = ff_corrupt_mode_by_name(optarg);
			if (m < 0)
				ff_die(FF_EXIT_USAGE, "unknown --corrupt-mode '%s' (valid: flip, zero, garbage, mix)",
				       optarg);
			cfg->corrupt_mode = (uint8_t)m;
			break;
		}
		case OPT_FSYNC_FAILURE:
			if (!strcmp(optarg, "drop"))
				cfg->fsync_failure = FF_FSYNCF_DROP;
			else if (!strcmp(optarg, "keep"))
				cfg->fsync_failure = FF_FSYNCF_KEEP;
			else
				ff_die(FF_EXIT_USAGE, "unknown --fsync-failure '%s' (valid: drop, keep)", optarg);
			fsyncf = true;
			break;
		case 'v':
			cfg->verbose = 1;
			break;
		case 'q':
			cfg->verbose = -1;
			break;
		}
	}
	if (fsyncf && !crash)
		ff_die(FF_EXIT_USAGE,
		       "--fsync-failure goes with --crash (a failed fsync loses data only at a power cut)");
	if (crash) {
		if (!cfg->crash_mode)
			cfg->crash_mode = FF_CRASH_LOSE_ALL;
		cfg->crash_rate_q = ff_rate_q(cfg->crash_rate);
		cfg->crash_rate_auto = !crash_rate_set && !cfg->crash_at;
		if (!rate_set)
			cfg->rate = 0; /* power cuts only: error faults come with them when asked (--rate P) */
		if (!sc_arg) {
			/* Every call the model follows is eligible: a cut point, and a
			 * site where replay keeps tasks in step with the recording. */
			static const char *const dur[] = FF_DURABLE_NAMES;
			for (size_t i = 0; i < FF_ARRAY_LEN(dur); i++) {
				int sc = ff_sc_by_name(dur[i]);
				if (sc >= 0)
					cfg->sc_mask |= 1ull << sc;
			}
		}
	}
	if (!sc_arg && (cfg->fault_mask & FF_K(FF_CORRUPT)))
		for (int sc = 0; sc < FF_SC_COUNT; sc++) /* corrupt needs reads: the read family joins the default */
			if (ff_sc_table[sc].kinds & FF_K(FF_CORRUPT))
				cfg->sc_mask |= 1ull << sc;
	if (sc_arg)
		cfg->sc_mask = parse_syscalls(sc_arg);
	if (errno_arg)
		parse_errnos(cfg, errno_arg);
	if (cmd == CMD_RUN || cmd == CMD_CAMPAIGN)
		check_selection(cfg);
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
	if (!have_seed && cmd == CMD_RUN) {
		uint64_t v;
		if (getrandom(&v, sizeof(v), 0) != sizeof(v))
			ff_die(FF_EXIT_TRACE, "getrandom: %s", strerror(errno));
		cfg->seed = v;
		cfg->seed_random = true;
	}
	if (no_trace)
		cfg->trace_path = NULL;
	else if (!cfg->trace_path && cmd == CMD_RUN) {
		static char def[64];
		snprintf(def, sizeof(def), "fifuzz-%" PRIu64 ".trace", cfg->seed);
		cfg->trace_path = def;
	}
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
	check_program(cfg->argv[0]);
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
