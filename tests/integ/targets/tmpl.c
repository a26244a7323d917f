/* tmpl: reads input.txt and sub/data.txt, which a campaign's --template
 * provides, and aborts (SIGABRT, with a message) unless they hold exactly
 * what the template has: "template input v1\n" and "nested 42\n". Then it
 * appends a line to input.txt (so a run that saw another run's copy would
 * abort) and copies the input to tmpl.out with retries; exits 1 on a write
 * error. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "write_all.h"

static void want(const char *path, const char *text)
{
	char buf[256];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (n < 0 || (size_t)n != strlen(text) || memcmp(buf, text, (size_t)n) != 0) {
		fprintf(stderr, "tmpl: %s does not hold the template's content\n", path);
		abort();
	}
	close(fd);
}

int main(void)
{
	static const char in[] = "template input v1\n";
	int fd, out;

	want("input.txt", in);
	want("sub/data.txt", "nested 42\n");
	fd = open("input.txt", O_WRONLY | O_APPEND);
	out = open("tmpl.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || out < 0)
		return 2;
	if (write_all(fd, "seen by a run\n", 14) < 0 || write_all(out, in, strlen(in)) < 0) {
		perror("tmpl: write");
		return 1;
	}
	if (close(fd) < 0 || close(out) < 0) {
		perror("tmpl: close");
		return 1;
	}
	return 0;
}
