/* execthr [after]: a second thread calls execve() (the kernel makes it the
 * leader and kills the other threads); the new image ("after") writes
 * x.out 10 times with write(2) and exits 0. The first image writes pre.out
 * once before starting the thread. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char *self;

static void *execer(void *arg)
{
	char *args[] = {self, "after", NULL};

	(void)arg;
	execv("/proc/self/exe", args);
	_exit(5);
}

int main(int argc, char **argv)
{
	pthread_t t;
	int fd;

	if (argc > 1 && strcmp(argv[1], "after") == 0) {
		fd = open("x.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			return 3;
		for (int i = 0; i < 10; i++) {
			char line[32];
			int n = snprintf(line, sizeof(line), "after exec %d\n", i);

			(void)!write(fd, line, (size_t)n);
		}
		close(fd);
		return 0;
	}
	self = argv[0];
	fd = open("pre.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return 3;
	(void)!write(fd, "before exec\n", 12);
	close(fd);
	if (pthread_create(&t, NULL, execer, NULL))
		return 2;
	for (;;)
		pause();
}
