/* bug: writes five records to bug.out, with two planted bugs in its error
 * handling, for fuzzing fifuzz schedules with AFL++ (README.md):
 *   - the third write (#2) failing with EIO dereferences NULL (SIGSEGV);
 *   - a short write followed by ENOSPC on the next write frees the carried
 *     tail twice (glibc aborts: SIGABRT).
 * A short write is otherwise handled: its unwritten tail is carried and
 * written in front of the next record. Every other failure is reported on
 * stderr with exit 1; without faults it exits 0. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RECORDS 5

struct undo {
	const char *what;
};

int main(void)
{
	char rec[64], *buf = NULL, *carry = NULL;
	struct undo *undo = NULL; /* only set up from record #3 on: the first bug */
	size_t carried = 0;
	int status = 1;
	int fd = open("bug.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0) {
		perror("bug.out");
		return 2;
	}
	for (int i = 0; i < RECORDS; i++) {
		int rl = snprintf(rec, sizeof(rec), "record %d of bug\n", i);
		size_t len = carried + (size_t)rl;

		buf = malloc(len);
		if (buf == NULL)
			goto out;
		if (carried)
			memcpy(buf, carry, carried);
		memcpy(buf + carried, rec, (size_t)rl);
		ssize_t r = write(fd, buf, len);

		if (r >= 0) {
			/* Whole, or short: the unwritten tail goes in front of the next record. */
			free(carry);
			carry = NULL;
			carried = len - (size_t)r;
			if (carried) {
				carry = malloc(carried);
				if (carry == NULL)
					goto out;
				memcpy(carry, buf + r, carried);
			}
			free(buf);
			buf = NULL;
			continue;
		}
		free(buf);
		buf = NULL;
		int e = errno;

		if (e == EIO && i == 2)
			fprintf(stderr, "bug: undoing %s\n", undo->what); /* the first bug */
		if (e == ENOSPC && carried)
			free(carry); /* the second bug: out: frees it again */
		fprintf(stderr, "bug: write %d: %s\n", i, strerror(e));
		goto out;
	}
	/* A tail still carried after the last record is written on its own. */
	if (carried && write(fd, carry, carried) != (ssize_t)carried) {
		fprintf(stderr, "bug: the last tail: %s\n", strerror(errno));
		goto out;
	}
	status = close(fd) == 0 ? 0 : 1;
	fd = -1;
out:
	free(buf);
	free(carry);
	if (fd >= 0)
		close(fd);
	return status;
}
