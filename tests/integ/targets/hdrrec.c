/* hdrrec [N]: writes data.db through two functions, a header writer and a
 * record writer (N records, default 3), with the same write(2) call in
 * one helper. It crashes only when the header writer's write fails: the
 * record writer checks its error, the header writer trusts its result as
 * an index. Per-path sites cannot tell the two apart; stack sites can. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int fd;

__attribute__((noinline)) static ssize_t put(const char *buf, size_t n)
{
	return write(fd, buf, n);
}

__attribute__((noinline)) static void write_header(void)
{
	static const char head[] = "fifuzz-db v1\n";
	ssize_t n = put(head, strlen(head));
	/* The bug: a failed write (-1) is taken for a length, and the end of
	 * the header it marks lands far outside the buffer. */
	if (n < (ssize_t)strlen(head)) {
		volatile const char *end = head + n * 100000000;
		if (*end == 'x')
			puts("never");
	}
}

__attribute__((noinline)) static int write_record(int i)
{
	char buf[64];
	int len = snprintf(buf, sizeof(buf), "record %d\n", i);
	if (put(buf, (size_t)len) != len) {
		fprintf(stderr, "hdrrec: record %d: %s\n", i, strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 3;
	fd = open("data.db", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return 1;
	write_header();
	for (int i = 0; i < n; i++)
		if (write_record(i) < 0)
			return 1;
	return close(fd) ? 1 : 0;
}
