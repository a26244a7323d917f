/* careful: writes 8 records to careful.out the careful way: retries short
 * writes and EINTR/EAGAIN, fsyncs, checks close, and exits 1 on any other
 * error. Whatever is faulted, it either exits 0 with the whole file or
 * reports the error: a campaign must find nothing. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "write_all.h"

int main(void)
{
	char rec[64];
	int fd = open("careful.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0) {
		perror("careful: open");
		return 1;
	}
	for (int i = 0; i < 8; i++) {
		int n = snprintf(rec, sizeof(rec), "record %d of the careful program\n", i);

		if (write_all(fd, rec, (size_t)n) < 0) {
			perror("careful: write");
			return 1;
		}
	}
	if (fsync(fd) < 0) {
		perror("careful: fsync");
		return 1;
	}
	if (close(fd) < 0) {
		perror("careful: close");
		return 1;
	}
	puts("careful: done");
	return 0;
}
