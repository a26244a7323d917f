/* --schedule and --split-input: AFL++ test cases as fifuzz decisions, and
 * the detection of afl-fuzz and its forkserver. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "cli/cli.h"
#include "core/decide.h"
#include "core/tracer.h"
#include "core/util.h"

/* AFL++ keeps test cases small; a schedule larger than this is a mistake. */
#define MAX_SCHEDULE_FILE (64u << 20)

/* One loaded test case; reloaded in place for each forkserver run. */
static struct {
	struct ff_config *cfg;
	struct ff_schedule *s;
	uint8_t *buf;
	char *input; /* --split-input: the temporary file holding the input */
} cur;

static uint8_t *slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 && errno == ENOENT && cur.cfg->per_fork_runs) {
		/* afl-fuzz writes the first test case only after the forkserver is up */
		*len = 0;
		return ff_xmalloc(1);
	}
	if (fd < 0 || fstat(fd, &st) < 0)
		ff_die(FF_EXIT_USAGE, "--schedule %s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode) || (size_t)st.st_size > MAX_SCHEDULE_FILE)
		ff_die(FF_EXIT_USAGE, "--schedule %s: not a regular file of at most %u bytes", path, MAX_SCHEDULE_FILE);
	uint8_t *buf;
	int rc = ff_read_fd(fd, MAX_SCHEDULE_FILE, &buf, len);
	close(fd);
	if (rc < 0)
		ff_die(FF_EXIT_USAGE, "--schedule %s: %s", path,
		       rc == -EFBIG ? "it grew past the limit while being read" : strerror(-rc));
	return buf;
}

/* Reads the test case: the schedule, and with --split-input the input,
 * written to cur.input. */
static void load(void)
{
	size_t len;
	free(cur.buf);
	cur.buf = slurp(cur.cfg->schedule_path, &len);
	cur.s->bytes = cur.buf;
	cur.s->len = len;
	cur.s->pos = 0;
	if (cur.cfg->split_input) {
		/* [u16 little-endian schedule length][schedule][input]; short files are valid. */
		size_t sl = len >= 2 ? (size_t)(cur.buf[0] | cur.buf[1] << 8) : 0, body = len >= 2 ? len - 2 : 0;
		if (sl > body)
			sl = body;
		cur.s->bytes = cur.buf + (len >= 2 ? 2 : len);
		cur.s->len = sl;
		int fd = open(cur.input, O_WRONLY | O_TRUNC | O_CLOEXEC);
		size_t inl = body - sl;
		if (fd < 0 || (inl && write(fd, cur.s->bytes + sl, inl) != (ssize_t)inl))
			ff_die(FF_EXIT_TRACE, "--split-input: cannot write %s: %s", cur.input, strerror(errno));
		close(fd);
	}
	cur.cfg->seed = XXH64(cur.s->bytes, cur.s->len, 0);
}

static void reload(struct ff_source *src)
{
	(void)src;
	load();
}

void ff_cli_schedule_load(struct ff_config *cfg, struct ff_schedule *s, char **tmp_input)
{
	cur.cfg = cfg;
	cur.s = s;
	*tmp_input = NULL;
	if (cfg->split_input) {
		const char *dir = getenv("TMPDIR");
		char *path = ff_xmalloc(4096);
		snprintf(path, 4096, "%s/fifuzz-input.XXXXXX", dir && *dir ? dir : "/tmp");
		int fd = mkstemp(path);
		if (fd < 0)
			ff_die(FF_EXIT_TRACE, "--split-input: cannot create %s: %s", path, strerror(errno));
		close(fd);
		cur.input = *tmp_input = path;
		/* "@@" (or AFL's own test case path, which it put there) names the input.
		 * The trace records "@@": the temporary file is gone after the run. */
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
	}
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
	load(); /* the bytes are owned here: freed by ff_cli_schedule_free */
	cfg->prng = FF_PRNG_SCHEDULE;
	cfg->rate_q = 0;
	cfg->rate = 0;
}

void ff_cli_schedule_source(struct ff_source *src, struct ff_schedule *s)
{
	ff_source_schedule(src, s);
	src->new_run = reload;
}

void ff_cli_schedule_free(void)
{
	free(cur.buf);
	cur.buf = NULL;
}
