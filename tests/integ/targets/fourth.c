/* fourth: writes five records to fourth.out, retrying short writes, and
 * reports any failed write with exit 1. Its one bug: when the fourth write
 * (ordinal #3) comes back short, it aborts instead of retrying. Errors,
 * even on the fourth write, are handled. Without faults it exits 0. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	static const char rec[] = "a record of fourth\n";
	int fd = open("fourth.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		return 2;
	for (int i = 0; i < 5; i++) {
		size_t done = 0, len = strlen(rec);

		while (done < len) {
			ssize_t r = write(fd, rec + done, len - done);

			if (r < 0) {
				fprintf(stderr, "fourth: write %d: %s\n", i, strerror(errno));
				return 1;
			}
			if (i == 3 && done == 0 && (size_t)r < len)
				abort(); /* the bug */
			done += (size_t)r;
		}
	}
	return close(fd) == 0 ? 0 : 1;
}
