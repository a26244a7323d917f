/* --schedule and --split-input: AFL++ test cases as fifuzz decisions. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "cli/cli.h"
#include "core/decide.h"
#include "core/util.h"

/* AFL++ keeps test cases small; a schedule larger than this is a mistake. */
#define MAX_SCHEDULE_FILE (64u << 20)

static uint8_t *slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0)
		ff_die(FF_EXIT_USAGE, "--schedule %s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode) || (size_t)st.st_size > MAX_SCHEDULE_FILE)
		ff_die(FF_EXIT_USAGE, "--schedule %s: not a regular file of at most %u bytes", path, MAX_SCHEDULE_FILE);
	uint8_t *buf = ff_xmalloc((size_t)st.st_size + 1);
	size_t got = 0;
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	*len = got;
	return buf;
}

void ff_cli_schedule_load(struct ff_config *cfg, struct ff_schedule *s, char **tmp_input, uint8_t **bufp)
{
	size_t len;
	uint8_t *buf = slurp(cfg->schedule_path, &len);
	*bufp = buf; /* s->bytes may point inside it (--split-input) */
	*tmp_input = NULL;
	s->bytes = buf;
	s->len = len;
	s->pos = 0;
	if (cfg->split_input) {
		/* [u16 little-endian schedule length][schedule][input]; short files are valid. */
		size_t sl = len >= 2 ? (size_t)(buf[0] | buf[1] << 8) : 0, body = len >= 2 ? len - 2 : 0;
		if (sl > body)
			sl = body;
		s->bytes = buf + (len >= 2 ? 2 : len);
		s->len = sl;
		const char *dir = getenv("TMPDIR");
		char *path = ff_xmalloc(4096);
		snprintf(path, 4096, "%s/fifuzz-input.XXXXXX", dir && *dir ? dir : "/tmp");
		int fd = mkstemp(path);
		if (fd < 0)
			ff_die(FF_EXIT_TRACE, "--split-input: cannot create %s: %s", path, strerror(errno));
		const uint8_t *in = s->bytes + sl;
		size_t inl = body - sl;
		if (inl && write(fd, in, inl) != (ssize_t)inl)
			ff_die(FF_EXIT_TRACE, "--split-input: cannot write %s: %s", path, strerror(errno));
		close(fd);
		*tmp_input = path;
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
	cfg->seed = XXH64(s->bytes, s->len, 0);
	cfg->prng = FF_PRNG_SCHEDULE;
	cfg->rate_q = 0;
	cfg->rate = 0;
}
