/* names: writes one record to each of six files whose names hold a newline,
 * a tab, a quote and a backslash, UTF-8, invalid UTF-8 and an escape
 * sequence, and prints what each write returned. Traces, `show` and JSON
 * reports must carry such names without breaking their format. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *const names[] = {
    "new\nline.out", "tab\there.out", "quote\"back\\slash.out", "utf8-\xc3\xa9.out", "bad-\xff.out", "esc-\x1b[31m.out",
};

int main(void)
{
	for (int i = 0; i < 6; i++) {
		int fd = open(names[i], O_WRONLY | O_CREAT | O_TRUNC, 0644);
		ssize_t r;

		if (fd < 0)
			return 2;
		r = write(fd, "a record\n", 9);
		if (r < 0)
			printf("file %d errno %s\n", i, strerrorname_np(errno));
		else
			printf("file %d returned %zd\n", i, r);
		close(fd);
	}
	return 0;
}
