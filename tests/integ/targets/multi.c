/* multi M [IOVCNT [SCALE [holes]]]: writes M records of varying sizes to
 * a.out, b.out and c.out with write, pwrite64, writev and pwritev2 (flags 0)
 * in turn, and prints one line per call: "SYSCALL FILE LEN returned N" or
 * "SYSCALL FILE LEN errno NAME". Errors are ignored; each file's offset
 * advances by what the calls returned (with "holes", by LEN after a failed
 * call, so what a torn call left stays visible). Record i is LEN = (2 + (37i + 11M) %
 * 120) * SCALE bytes: 'a' + (i + j) % 26 at byte j, a newline last; vector
 * calls split it into IOVCNT pieces (default 3). Sizes depend on M, so that a
 * replay with another M diverges at the first call. tests/integ/check.py
 * knows this layout. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

static const char *const names[] = {"a.out", "b.out", "c.out"};

static void report(const char *sc, const char *file, size_t len, ssize_t r)
{
	if (r < 0)
		printf("%s %s %zu errno %s\n", sc, file, len, strerrorname_np(errno));
	else
		printf("%s %s %zu returned %zd\n", sc, file, len, r);
}

int main(int argc, char **argv)
{
	int m = argc > 1 ? atoi(argv[1]) : 8;
	int iovcnt = argc > 2 ? atoi(argv[2]) : 3;
	int scale = argc > 3 ? atoi(argv[3]) : 1;
	int holes = argc > 4 && strcmp(argv[4], "holes") == 0;
	int fd[3];
	off_t off[3] = {0, 0, 0};
	char *buf = malloc((size_t)121 * (size_t)scale);
	struct iovec *iov = calloc((size_t)iovcnt, sizeof(*iov));

	if (!buf || !iov || iovcnt < 1 || iovcnt > IOV_MAX || scale < 1 || scale > 10000)
		return 2;
	for (int i = 0; i < 3; i++) {
		fd[i] = open(names[i], O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd[i] < 0) {
			perror(names[i]);
			return 2;
		}
	}
	for (int i = 0; i < m; i++) {
		int f = i % 3;
		size_t len = (2 + (size_t)(i * 37 + m * 11) % 120) * (size_t)scale;
		size_t k = (size_t)iovcnt < len ? (size_t)iovcnt : len, piece = len / k;
		ssize_t r;

		for (size_t j = 0; j < len; j++)
			buf[j] = (char)('a' + (i + j) % 26);
		buf[len - 1] = '\n';
		for (size_t j = 0; j < k; j++)
			iov[j] = (struct iovec){buf + j * piece, j + 1 < k ? piece : len - j * piece};
		switch (i % 4) {
		case 0:
			lseek(fd[f], off[f], SEEK_SET);
			r = write(fd[f], buf, len);
			report("write", names[f], len, r);
			break;
		case 1:
			r = pwrite(fd[f], buf, len, off[f]);
			report("pwrite64", names[f], len, r);
			break;
		case 2:
			lseek(fd[f], off[f], SEEK_SET);
			r = writev(fd[f], iov, (int)k);
			report("writev", names[f], len, r);
			break;
		default:
			r = pwritev2(fd[f], iov, (int)k, off[f], 0);
			report("pwritev2", names[f], len, r);
			break;
		}
		if (r > 0)
			off[f] += r;
		else if (r < 0 && holes)
			off[f] += (off_t)len;
	}
	for (int i = 0; i < 3; i++)
		close(fd[i]);
	free(iov);
	free(buf);
	return 0;
}
