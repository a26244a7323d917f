/* third: writes five records to third.out. Its error handling has one bug:
 * when the third write (ordinal #2) fails or comes back short it crashes
 * (SIGSEGV) instead of reporting; any other failed write is reported on
 * stderr with exit 1. Without faults it exits 0. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	static const char rec[] = "a record of third\n";
	int fd = open("third.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		return 2;
	for (int i = 0; i < 5; i++) {
		ssize_t r = write(fd, rec, strlen(rec));

		if (r == (ssize_t)strlen(rec))
			continue;
		if (i == 2) {
			volatile int *p = NULL;

			*p = 1; /* the bug */
		}
		fprintf(stderr, "third: write %d: %s\n", i, r < 0 ? strerror(errno) : "short write");
		return 1;
	}
	return close(fd) == 0 ? 0 : 1;
}
