/* saver: replaces FILE's content with TEXT, in one of three ways, and exits 0
 * only when it believes the new content is safe on disk.
 *
 *   saver naive FILE TEXT    write FILE.tmp, rename it over FILE; no fsync
 *                            (after a power cut FILE can be empty)
 *   saver careful FILE TEXT  write FILE.tmp, fsync it, rename it over FILE,
 *                            fsync the directory (FILE is old or new, never
 *                            anything else; once it exits 0, new)
 *   saver retry FILE TEXT    overwrite FILE in place and fsync it, retrying a
 *                            failed fsync up to 3 times (Linux dropped the
 *                            data at the first failure: the retry succeeds
 *                            with nothing to write, and the data is lost) */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "write_all.h"

static int fail(const char *what)
{
	fprintf(stderr, "saver: %s: %s\n", what, strerror(errno));
	return 1;
}

/* The directory part of path ("." for a bare name). */
static void dir_of(const char *path, char *out, size_t size)
{
	const char *s = strrchr(path, '/');
	if (!s)
		snprintf(out, size, ".");
	else
		snprintf(out, size, "%.*s", (int)(s - path) ? (int)(s - path) : 1, path);
}

static int via_tmp(const char *file, const char *text, int careful)
{
	char tmp[4096], dir[4096];
	snprintf(tmp, sizeof(tmp), "%s.tmp", file);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return fail("open");
	if (write_all(fd, text, strlen(text)) < 0)
		return fail("write");
	if (careful && fsync(fd) < 0)
		return fail("fsync");
	if (close(fd) < 0)
		return fail("close");
	if (rename(tmp, file) < 0)
		return fail("rename");
	if (careful) {
		dir_of(file, dir, sizeof(dir));
		int dfd = open(dir, O_RDONLY | O_DIRECTORY);
		if (dfd < 0)
			return fail("open dir");
		if (fsync(dfd) < 0)
			return fail("fsync dir");
		close(dfd);
	}
	return 0;
}

static int in_place(const char *file, const char *text)
{
	int fd = open(file, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return fail("open");
	if (write_all(fd, text, strlen(text)) < 0)
		return fail("write");
	int tries = 0;
	while (fsync(fd) < 0) {
		fprintf(stderr, "saver: fsync: %s; retrying\n", strerror(errno));
		if (++tries == 3)
			return fail("fsync");
	}
	return close(fd) < 0 ? fail("close") : 0;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: saver naive|careful|retry FILE TEXT\n");
		return 2;
	}
	int rc = !strcmp(argv[1], "retry") ? in_place(argv[2], argv[3])
					   : via_tmp(argv[2], argv[3], !strcmp(argv[1], "careful"));
	if (rc == 0)
		printf("saved\n");
	return rc;
}
