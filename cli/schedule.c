/* --schedule and --split-input on the command line: the temporary input
 * file and the program's arguments, afl-fuzz and its forkserver detected,
 * and the test case loaded (core/decide/schedule_file.c is the source itself). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/decide/schedule_file.h"
#include "core/tracer.h"
#include "core/util.h"

static struct ff_schedule_file file;

static void die_loading(const char *why)
{
	ff_die(strncmp(why, "--split-input", 13) ? FF_EXIT_USAGE : FF_EXIT_TRACE, "%s", why);
}

/* --split-input: a temporary file gets the input; "@@" (or AFL's own test
 * case path, which it put there) names it, else it becomes stdin. The trace
 * records "@@": the temporary file is gone after the run. */
static char *split_input(struct ff_config *cfg)
{
	const char *dir = getenv("TMPDIR");
	char *path = ff_xmalloc(4096);
	snprintf(path, 4096, "%s/fifuzz-input.XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		ff_die(FF_EXIT_TRACE, "--split-input: cannot create %s: %s", path, strerror(errno));
	close(fd);
	bool named = false;
	char **shown = ff_xcalloc((size_t)cfg->argc + 1, sizeof(char *));
	for (int i = 0; i < cfg->argc; i++)
		shown[i] = cfg->argv[i];
	for (int i = 1; i < cfg->argc; i++)
		if (!strcmp(cfg->argv[i], "@@") || !strcmp(cfg->argv[i], cfg->schedule_path)) {
			shown[i] = "@@";
			cfg->argv[i] = path;
			named = true;
		}
	cfg->shown_argv = shown;
	if (!named)
		cfg->stdin_path = path;
	return path;
}

void ff_cli_schedule_load(struct ff_config *cfg, struct ff_source *src, char **tmp_input)
{
	*tmp_input = cfg->split_input ? split_input(cfg) : NULL;
	/* Under afl-fuzz its forkserver pipes are never eligible; with the pipes
	 * open (no AFL_NO_FORKSRV), the instrumented target's own forkserver
	 * answers afl-fuzz, and each of its forks is a new run. */
	cfg->afl = getenv("__AFL_SHM_ID") != NULL;
	cfg->per_fork_runs = cfg->afl && !getenv("AFL_NO_FORKSRV") && fcntl(FF_AFL_CTL_FD, F_GETFD) >= 0 &&
			     fcntl(FF_AFL_ST_FD, F_GETFD) >= 0;
	/* A cut kills the whole tree, forkserver included, and its files and
	 * --check belong to one run: each exec must be a whole fifuzz run. */
	if (cfg->per_fork_runs && cfg->crash_mode)
		ff_die(FF_EXIT_USAGE,
		       "--crash under AFL++'s forkserver: set AFL_NO_FORKSRV=1, so that each execution is one "
		       "whole run with its power cut and --check");
	file = (struct ff_schedule_file){.path = cfg->schedule_path,
					 .input = *tmp_input,
					 .may_be_missing = cfg->per_fork_runs,
					 .seed = &cfg->seed,
					 .failed = die_loading};
	char err[600];
	if (ff_schedule_file_load(&file, err, sizeof(err)) < 0)
		die_loading(err);
	ff_source_schedule_file(src, &file);
	cfg->prng = FF_PRNG_SCHEDULE;
	cfg->rate_q = 0;
	cfg->rate = 0;
}

size_t ff_cli_schedule_len(void)
{
	return file.s.len;
}

void ff_cli_schedule_free(void)
{
	ff_schedule_file_free(&file);
}
