/* The sweep's options and --shard auto (the shard from the engine that
 * started the process). */
#include "cli/cli.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

static uint64_t whole(const char *opt, const char *s, uint64_t max)
{
	char *end;
	errno = 0;
	unsigned long long v = *s >= '0' && *s <= '9' ? strtoull(s, &end, 10) : 0;
	if (*s < '0' || *s > '9' || errno || *end || v > max)
		ff_die(FF_EXIT_USAGE, "bad --%s '%s': expected a whole number up to %" PRIu64, opt, s, max);
	return v;
}

void ff_cli_sweep_option(const char *name, const char *arg, struct ff_sweep_opts *o)
{
	if (!strcmp(name, "sweep")) {
		o->on = true;
	} else if (!strcmp(name, "sweep-errnos")) {
		if (strcmp(arg, "first") && strcmp(arg, "all"))
			ff_die(FF_EXIT_USAGE, "bad --sweep-errnos '%s' (valid: all, first)", arg);
		o->errnos_first = !strcmp(arg, "first");
	} else if (!strcmp(name, "sweep-limit")) {
		if (!(o->limit = whole(name, arg, UINT32_MAX)))
			ff_die(FF_EXIT_USAGE, "bad --sweep-limit '0': expected at least 1 run");
	} else if (!strcmp(name, "sweep-ordinals")) {
		if (ff_sweep_parse_ordinals(arg, o) < 0)
			ff_die(FF_EXIT_USAGE,
			       "bad --sweep-ordinals '%s': expected a list of first, last and a count K "
			       "(at most 100000), e.g. first,last,8",
			       arg);
	} else if (!strcmp(name, "sweep-subsets")) {
		if (!(o->subsets = (unsigned)whole(name, arg, 1000)))
			ff_die(FF_EXIT_USAGE, "bad --sweep-subsets '0': expected at least 1 subset");
	}
	o->given = true;
}

/* An environment variable as a number, or -1 when it is unset. Dies when it is not a number. */
static long long env_num(const char *name)
{
	const char *v = getenv(name);
	if (!v || !*v)
		return -1;
	char *end;
	errno = 0;
	long long n = strtoll(v, &end, 10);
	if (errno || *end || n < 0)
		ff_die(FF_EXIT_USAGE, "--shard auto: %s='%s' is not a whole number", name, v);
	return n;
}

/* Grammar: auto | auto/N. Slurm job arrays give I and N; a Kubernetes
 * Indexed Job (JOB_COMPLETION_INDEX, 0-based) and GNU parallel
 * (PARALLEL_SEQ, 1-based) give I only, so they need auto/N. */
void ff_cli_shard_auto(const char *arg, unsigned *i, unsigned *n)
{
	long long given = 0, id, idx, seq;
	if (strcmp(arg, "auto")) {
		if (strncmp(arg, "auto/", 5) || !(given = (long long)whole("shard", arg + 5, 1000000)))
			ff_die(FF_EXIT_USAGE, "bad --shard '%s': expected I/N, auto or auto/N", arg);
	}
	long long si, sn;
	if ((id = env_num("SLURM_ARRAY_TASK_ID")) >= 0) {
		long long min = env_num("SLURM_ARRAY_TASK_MIN"), cnt = env_num("SLURM_ARRAY_TASK_COUNT");
		if (cnt < 1 && !given)
			ff_die(FF_EXIT_USAGE,
			       "--shard auto: SLURM_ARRAY_TASK_ID is set but not SLURM_ARRAY_TASK_COUNT: "
			       "give --shard auto/N");
		if (given && cnt >= 1 && cnt != given)
			ff_die(FF_EXIT_USAGE, "--shard auto/%lld: the Slurm array has %lld tasks", given, cnt);
		si = id - (min >= 0 ? min : 0) + 1, sn = given ? given : cnt;
	} else if ((idx = env_num("JOB_COMPLETION_INDEX")) >= 0) {
		if (!given)
			ff_die(FF_EXIT_USAGE, "--shard auto: a Kubernetes Indexed Job gives the index only: give "
					      "--shard auto/N with N the Job's completions");
		si = idx + 1, sn = given;
	} else if ((seq = env_num("PARALLEL_SEQ")) >= 0) {
		if (!given)
			ff_die(FF_EXIT_USAGE,
			       "--shard auto: GNU parallel gives the job's number only: give --shard auto/N");
		si = seq, sn = given;
	} else {
		ff_die(FF_EXIT_USAGE,
		       "--shard auto: none of SLURM_ARRAY_TASK_ID (Slurm job array), "
		       "JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or PARALLEL_SEQ (GNU parallel) is set");
	}
	if (si < 1 || si > sn)
		ff_die(FF_EXIT_USAGE,
		       "--shard auto: this is task %lld of %lld: outside 1..%lld (a Slurm array with a "
		       "step, or more parallel jobs than shards?)",
		       si, sn, sn);
	*i = (unsigned)si;
	*n = (unsigned)sn;
}
