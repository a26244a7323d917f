/* crash: writes three records to crash.out; a failed or short write makes it
 * dereference NULL (SIGSEGV), as careless code would. Otherwise exits 0. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	static const char rec[] = "a record of some length\n";
	int fd = open("crash.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		return 2;
	for (int i = 0; i < 3; i++) {
		ssize_t r = write(fd, rec, strlen(rec));

		if (r != (ssize_t)strlen(rec)) {
			volatile int *p = NULL;

			printf("write returned %zd: crashing\n", r);
			fflush(stdout);
			*p = 1;
		}
	}
	close(fd);
	puts("all writes complete");
	return 0;
}
