/* threads T K [shared]: T threads, thread i writes t<i>.out K times with
 * write(2) (with "shared", all of them write one shared.out, opened by each).
 * Errors are ignored; after joining, prints each thread's results in order. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAXT 64
#define MAXK 256

static int shared;

struct job {
	int id, k;
	long res[MAXK];
	int err[MAXK];
};

static void *worker(void *arg)
{
	struct job *j = arg;
	char name[32], line[128];
	int fd;

	snprintf(name, sizeof(name), "t%d.out", j->id);
	fd = shared ? open("shared.out", O_WRONLY | O_CREAT | O_APPEND, 0644)
		    : open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return NULL;
	for (int i = 0; i < j->k; i++) {
		int n = snprintf(line, sizeof(line), "thread %d line %d %.*s\n", j->id, i, (i * 7 + j->id) % 40,
				 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
		ssize_t r = write(fd, line, (size_t)n);

		j->res[i] = r;
		j->err[i] = r < 0 ? errno : 0;
	}
	close(fd);
	return NULL;
}

int main(int argc, char **argv)
{
	int t = argc > 1 ? atoi(argv[1]) : 4;
	int k = argc > 2 ? atoi(argv[2]) : 20;
	static struct job jobs[MAXT];
	pthread_t tid[MAXT];

	if (t < 1 || t > MAXT || k < 0 || k > MAXK)
		return 2;
	shared = argc > 3 && strcmp(argv[3], "shared") == 0;
	for (int i = 0; i < t; i++) {
		jobs[i].id = i;
		jobs[i].k = k;
		if (pthread_create(&tid[i], NULL, worker, &jobs[i]))
			return 2;
	}
	for (int i = 0; i < t; i++)
		pthread_join(tid[i], NULL);
	for (int i = 0; i < t; i++)
		for (int n = 0; n < k; n++)
			if (jobs[i].res[n] < 0)
				printf("t%d #%d errno %s\n", i, n, strerrorname_np(jobs[i].err[n]));
			else
				printf("t%d #%d returned %ld\n", i, n, jobs[i].res[n]);
	return 0;
}
