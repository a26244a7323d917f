/* multi M: writes M records of varying sizes to a.out, b.out and c.out with
 * write, pwrite64, writev and pwritev2 (flags 0) in turn, and prints one line
 * per call: "SYSCALL FILE LEN returned N" or "SYSCALL FILE LEN errno NAME".
 * Errors are ignored. Record sizes depend on M, so that a replay with another
 * M diverges at the first call. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
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
	int fd[3];
	off_t off[3] = {0, 0, 0};
	char buf[256];

	for (int i = 0; i < 3; i++) {
		fd[i] = open(names[i], O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd[i] < 0) {
			perror(names[i]);
			return 2;
		}
	}
	for (int i = 0; i < m; i++) {
		int f = i % 3;
		size_t len = 2 + (size_t)(i * 37 + m * 11) % 120;
		size_t half = len / 2;
		struct iovec iov[3];
		ssize_t r;

		for (size_t j = 0; j < len; j++)
			buf[j] = (char)('a' + (i + j) % 26);
		buf[len - 1] = '\n';
		iov[0] = (struct iovec){buf, half};
		iov[1] = (struct iovec){buf + half, 1};
		iov[2] = (struct iovec){buf + half + 1, len - half - 1};
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
			r = writev(fd[f], iov, 3);
			report("writev", names[f], len, r);
			break;
		default:
			r = pwritev2(fd[f], iov, 3, off[f], 0);
			report("pwritev2", names[f], len, r);
			break;
		}
		if (r > 0)
			off[f] += r;
	}
	for (int i = 0; i < 3; i++)
		close(fd[i]);
	return 0;
}
