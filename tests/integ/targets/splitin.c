/* splitin [FILE]: reads FILE (or stdin) to its end, prints "read N bytes: "
 * and what it read, then writes it to in.out in one write and prints
 * "write LEN returned N" or "write LEN errno NAME". For --split-input. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static char buf[4096];
	size_t len = 0;
	int in = argc > 1 ? open(argv[1], O_RDONLY) : 0;

	if (in < 0) {
		perror(argv[1]);
		return 2;
	}
	for (;;) {
		ssize_t r = read(in, buf + len, sizeof(buf) - len);

		if (r <= 0)
			break;
		len += (size_t)r;
	}
	printf("read %zu bytes: %.*s\n", len, (int)len, buf);
	int fd = open("in.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0) {
		perror("in.out");
		return 2;
	}
	ssize_t r = write(fd, buf, len);

	if (r < 0)
		printf("write %zu errno %s\n", len, strerrorname_np(errno));
	else
		printf("write %zu returned %zd\n", len, r);
	return 0;
}
