/* lastline [N]: writes "line 1" .. "line N" (default 5) to lastline.out
 * and "lastline: wrote N lines" to stdout, ignoring every write error: a
 * --check that wants the last line catches the lost ones. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 5;
	int fd = open("lastline.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	char line[32];

	if (fd < 0)
		return 2;
	for (int i = 1; i <= n; i++) {
		int len = snprintf(line, sizeof(line), "line %d\n", i);

		(void)!write(fd, line, (size_t)len);
	}
	close(fd);
	printf("lastline: wrote %d lines\n", n);
	return 0;
}
