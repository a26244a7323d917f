/* roiov: calls writev and pwritev2 several times on one iovec array kept in
 * read-only memory, and after each call prints what it returned and the
 * array's total length, which a tracer must leave as it was (shortening a
 * call must not edit the program's iovecs, nor fail because it cannot). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

static const struct iovec iov[4] = {
    {"first piece of the record, ", 27},
    {"second piece, ", 14},
    {"third piece", 11},
    {" and the end\n", 13},
};

static size_t total(void)
{
	size_t n = 0;

	for (int i = 0; i < 4; i++)
		n += iov[i].iov_len;
	return n;
}

int main(void)
{
	int fd = open("ro.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	off_t off = 0;

	if (fd < 0)
		return 2;
	for (int i = 0; i < 6; i++) {
		ssize_t r = i % 2 ? pwritev2(fd, iov, 4, off, 0) : writev(fd, iov, 4);

		if (r < 0)
			printf("%s errno %s; iovecs total %zu\n", i % 2 ? "pwritev2" : "writev", strerrorname_np(errno),
			       total());
		else
			printf("%s returned %zd; iovecs total %zu\n", i % 2 ? "pwritev2" : "writev", r, total());
		if (r > 0)
			off += r;
		lseek(fd, off, SEEK_SET);
	}
	close(fd);
	return 0;
}
