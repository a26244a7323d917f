/* uaf: built with -fsanitize=address. Writes three records to uaf.out; on a
 * failed or short write its error path frees the record and then reads it
 * (a use after free that ASan reports). Without faults it exits 0. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	int fd = open("uaf.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		return 2;
	for (int i = 0; i < 3; i++) {
		char *rec = malloc(32);
		size_t n;
		ssize_t r;

		if (!rec)
			return 2;
		n = (size_t)snprintf(rec, 32, "record %d\n", i);
		r = write(fd, rec, n);
		if (r != (ssize_t)n) {
			free(rec);
			fprintf(stderr, "uaf: could not write record starting with '%c'\n", rec[0]); /* the bug */
			return 1;
		}
		free(rec);
	}
	close(fd);
	return 0;
}
