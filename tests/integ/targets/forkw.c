/* forkw P K: forks P children; child i writes f<i>.out K times and exits 0.
 * The parent waits for all of them and prints how each ended. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void child(int id, int k)
{
	char name[32], line[128];
	int fd;

	snprintf(name, sizeof(name), "f%d.out", id);
	fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		_exit(3);
	for (int i = 0; i < k; i++) {
		int n = snprintf(line, sizeof(line), "child %d line %d %.*s\n", id, i, (i * 5 + id) % 30,
				 "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyy");
		(void)!write(fd, line, (size_t)n);
	}
	close(fd);
	_exit(0);
}

int main(int argc, char **argv)
{
	int p = argc > 1 ? atoi(argv[1]) : 4;
	int k = argc > 2 ? atoi(argv[2]) : 20;
	pid_t pids[64];

	if (p < 1 || p > 64)
		return 2;
	fflush(stdout);
	for (int i = 0; i < p; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			return 2;
		if (pids[i] == 0)
			child(i, k);
	}
	for (int i = 0; i < p; i++) {
		int st;

		if (waitpid(pids[i], &st, 0) < 0)
			return 2;
		if (WIFEXITED(st))
			printf("child %d exited %d\n", i, WEXITSTATUS(st));
		else
			printf("child %d killed by signal %d\n", i, WTERMSIG(st));
	}
	return 0;
}
