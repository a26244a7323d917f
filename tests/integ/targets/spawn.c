/* spawn P K: posix_spawn()s itself P times (glibc uses clone with
 * CLONE_VM|CLONE_VFORK, then exec); child i writes s<i>.out K times.
 * The parent waits for all of them and prints how each ended. */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int child(int id, int k)
{
	char name[32], line[128];
	int fd;

	snprintf(name, sizeof(name), "s%d.out", id);
	fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return 3;
	for (int i = 0; i < k; i++) {
		int n = snprintf(line, sizeof(line), "spawned %d line %d\n", id, i);
		(void)!write(fd, line, (size_t)n);
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	int p, k;
	pid_t pids[64];

	if (argc == 4 && argv[1][0] == 'c')
		return child(atoi(argv[2]), atoi(argv[3]));
	p = argc > 1 ? atoi(argv[1]) : 4;
	k = argc > 2 ? atoi(argv[2]) : 20;
	if (p < 1 || p > 64)
		return 2;
	for (int i = 0; i < p; i++) {
		char id[16], ks[16];
		char *args[] = {argv[0], "c", id, ks, NULL};

		snprintf(id, sizeof(id), "%d", i);
		snprintf(ks, sizeof(ks), "%d", k);
		if (posix_spawn(&pids[i], "/proc/self/exe", NULL, NULL, args, environ))
			return 2;
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
