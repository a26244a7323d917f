/* stamp [careless]: writes the current time (nanoseconds) to stamp.out,
 * ignoring errors, and 6 fixed records to data.out the careful way (retries
 * short writes and EINTR/EAGAIN, exits 1 on other errors), or with
 * "careless" ignoring their errors too. Two fault-free runs never leave the
 * same stamp.out. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "write_all.h"

int main(int argc, char **argv)
{
	int careless = argc > 1 && strcmp(argv[1], "careless") == 0;
	struct timespec now;
	char buf[64];
	int fd = open("stamp.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int n;

	if (fd < 0)
		return 2;
	clock_gettime(CLOCK_REALTIME, &now);
	n = snprintf(buf, sizeof(buf), "%lld.%09ld\n", (long long)now.tv_sec, now.tv_nsec);
	(void)!write(fd, buf, (size_t)n);
	close(fd);
	fd = open("data.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return 2;
	for (int i = 0; i < 6; i++) {
		n = snprintf(buf, sizeof(buf), "data record %d\n", i);
		if (careless) {
			(void)!write(fd, buf, (size_t)n);
			continue;
		}
		if (write_all(fd, buf, (size_t)n) < 0) {
			perror("stamp: write data.out");
			return 1;
		}
	}
	if (close(fd) < 0) {
		perror("stamp: close data.out");
		return 1;
	}
	return 0;
}
