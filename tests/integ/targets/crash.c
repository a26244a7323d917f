/* crash [child]: writes three records to crash.out; a failed or short write
 * makes it dereference NULL (SIGSEGV), as careless code would. Otherwise it
 * exits 0. With "child", a forked child does the writing (and crashing) and
 * the parent exits 0 whatever happened to it. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int writer(void)
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

int main(int argc, char **argv)
{
	pid_t p;
	int st;

	if (argc < 2 || strcmp(argv[1], "child") != 0)
		return writer();
	fflush(stdout);
	p = fork();
	if (p < 0)
		return 2;
	if (p == 0) {
		fflush(stdout);
		_exit(writer());
	}
	if (waitpid(p, &st, 0) < 0)
		return 2;
	printf("child %s\n", WIFSIGNALED(st) ? "crashed" : "exited");
	return 0;
}
