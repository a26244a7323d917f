/* forkbomb MODE MARKER: a bomb that only a limit stops. MODE fork: every
 * process forks in a loop, each new process appends one byte to
 * procs.count and forks too; a fork that fails with EAGAIN is counted, and
 * after 50 such failures the root prints "root: N EAGAIN" and exits 0 while
 * the others pause forever (fifuzz must kill them). MODE thread: the root
 * starts threads that sleep forever until pthread_create fails 50 times,
 * prints "threads: N started, M EAGAIN" and exits 0. MARKER only makes the
 * processes easy to find in /proc. Any other error exits 2. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

int main(int argc, char **argv)
{
	int fails = 0;

	if (argc < 2)
		return 2;
	if (!strcmp(argv[1], "thread")) {
		int started = 0;
		pthread_t t;

		while (fails < 50) {
			int e = pthread_create(&t, NULL, sleeper, NULL);

			if (e == 0)
				started++;
			else if (e == EAGAIN)
				fails++;
			else
				return 2;
		}
		printf("threads: %d started, %d EAGAIN\n", started, fails);
		return 0;
	}
	pid_t root = getpid();
	int fd = open("procs.count", O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);

	if (fd < 0)
		return 2;
	for (;;) {
		pid_t p = fork();

		if (p == 0) {
			if (write(fd, "x", 1) != 1)
				_exit(2);
			continue; /* the child forks too */
		}
		if (p > 0)
			continue;
		if (errno != EAGAIN)
			_exit(2);
		if (++fails < 50)
			continue;
		if (getpid() != root)
			for (;;)
				pause();
		printf("root: %d EAGAIN\n", fails);
		return 0;
	}
}
