/* bwrite: the write-heavy bench workload.
 * Usage: bwrite [N [FILE]]; does N write(2)s of 64 bytes to FILE (default
 * 100000 to bench.out). It keeps going after a failed or short write so that
 * every run makes the same N calls, even one with faults injected, and exits 1
 * if any write fell short, else 0. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 100000;
	const char *path = argc > 2 ? argv[2] : "bench.out";
	char buf[64];
	long bad = 0;

	memset(buf, 'w', sizeof(buf));
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		fprintf(stderr, "bwrite: %s: %s\n", path, strerror(errno));
		return 1;
	}
	for (long i = 0; i < n; i++)
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
			bad++;
	if (close(fd) < 0)
		bad++;
	if (bad) {
		fprintf(stderr, "bwrite: %ld of %ld writes failed or fell short\n", bad, n);
		return 1;
	}
	return 0;
}
