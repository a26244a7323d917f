/* AFL++'s test case as a decision source: the schedule bytes (and, with
 * --split-input, the program's input) read from the test case file at the
 * start of the run and again at each forkserver run, inside the tracer loop.
 * Errors are returned or handed to the owner's callback, never fatal here. */
#include "core/decide/schedule_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "core/util.h"

static int read_case(struct ff_schedule_file *f, size_t *len, char *err, size_t errlen)
{
	struct stat st;
	int fd = open(f->path, O_RDONLY | O_CLOEXEC);
	free(f->buf);
	f->buf = NULL;
	if (fd < 0 && errno == ENOENT && f->may_be_missing) {
		f->buf = ff_xmalloc(1); /* afl-fuzz writes the first test case after the forkserver is up */
		*len = 0;
		return 0;
	}
	if (fd < 0 || fstat(fd, &st) < 0) {
		int rc = -errno;
		snprintf(err, errlen, "--schedule %s: %s", f->path, strerror(-rc));
		if (fd >= 0)
			close(fd);
		return rc;
	}
	int rc = !S_ISREG(st.st_mode) ? -EINVAL : ff_read_fd(fd, FF_SCHEDULE_MAX_FILE, &f->buf, len);
	close(fd);
	if (rc < 0)
		snprintf(err, errlen, "--schedule %s: %s", f->path,
			 rc == -EINVAL || rc == -EFBIG ? "not a regular file of at most 64 MiB" : strerror(-rc));
	return rc;
}

/* [u16 little-endian schedule length][schedule][input]; short files are valid. */
static int split(struct ff_schedule_file *f, size_t len, char *err, size_t errlen)
{
	size_t sl = len >= 2 ? (size_t)(f->buf[0] | f->buf[1] << 8) : 0, body = len >= 2 ? len - 2 : 0;
	if (sl > body)
		sl = body;
	f->s.bytes = f->buf + (len >= 2 ? 2 : len);
	f->s.len = sl;
	int fd = open(f->input, O_WRONLY | O_TRUNC | O_CLOEXEC);
	int rc = fd < 0 ? -errno : ff_write_all(fd, f->s.bytes + sl, body - sl);
	if (fd >= 0)
		close(fd);
	if (rc < 0)
		snprintf(err, errlen, "--split-input: cannot write %s: %s", f->input, strerror(-rc));
	return rc;
}

int ff_schedule_file_load(struct ff_schedule_file *f, char *err, size_t errlen)
{
	size_t len;
	int rc = read_case(f, &len, err, errlen);
	if (rc < 0)
		return rc;
	f->s.bytes = f->buf;
	f->s.len = len;
	f->s.pos = 0;
	if (f->input && (rc = split(f, len, err, errlen)) < 0)
		return rc;
	*f->seed = XXH64(f->s.bytes, f->s.len, 0);
	return 0;
}

static void reload(struct ff_source *src)
{
	struct ff_schedule_file *f = (void *)((char *)src->ctx - offsetof(struct ff_schedule_file, s));
	char err[600];
	if (ff_schedule_file_load(f, err, sizeof(err)) < 0) {
		f->s.len = 0; /* every call passes */
		if (f->failed)
			f->failed(err);
	}
}

void ff_source_schedule_file(struct ff_source *src, struct ff_schedule_file *f)
{
	ff_source_schedule(src, &f->s);
	src->new_run = reload;
}

void ff_schedule_file_free(struct ff_schedule_file *f)
{
	free(f->buf);
	f->buf = NULL;
}
