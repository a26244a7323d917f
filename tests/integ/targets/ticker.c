/* ticker MARKER [THREADS]: THREADS threads (default 1, the main thread
 * included) each append "tick N\n" to tick<i>.out every 20 ms, forever.
 * A write that fails or is short prints one line on stderr ("tick<i>.out:
 * write failed: ERRNO" or "...: short write"). Creates ticker.ready once
 * running. For `fifuzz --pid`: the test attaches, detaches, and checks it
 * ticks on without errors. MARKER only makes it easy to find in /proc. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void *tick(void *arg)
{
	long i = (long)arg;
	char name[32], line[64];
	struct timespec pause = {0, 20 * 1000 * 1000};

	snprintf(name, sizeof(name), "tick%ld.out", i);
	int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
	if (fd < 0)
		exit(2);
	for (unsigned long n = 0;; n++) {
		int len = snprintf(line, sizeof(line), "tick %lu\n", n);
		ssize_t w = write(fd, line, (size_t)len);
		if (w < 0)
			fprintf(stderr, "%s: write failed: %s\n", name, strerrorname_np(errno));
		else if (w != len)
			fprintf(stderr, "%s: short write\n", name);
		nanosleep(&pause, NULL);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	long threads = argc > 2 ? atol(argv[2]) : 1;
	pthread_t t;

	for (long i = 1; i < threads; i++)
		if (pthread_create(&t, NULL, tick, (void *)i))
			return 2;
	int fd = open("ticker.ready", O_WRONLY | O_CREAT, 0644);
	if (fd >= 0)
		close(fd);
	tick((void *)0);
	return 0;
}
