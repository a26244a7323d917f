/* The launch floor: fork, exec and wait for PROG N times, each time in an
 * empty directory like a campaign run (one of four, emptied of what the
 * run before left there, as a campaign empties its run directory); prints
 * runs per second. Emptying matters: on ext4, a program that truncates the
 * file its previous run wrote pays for that file's writeback. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Removes the files in directory dir (the programs timed here make no subdirectories). */
static void empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	if (!d)
		return;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlinkat(dirfd(d), e->d_name, 0);
	closedir(d);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: spawn N PROG [ARGS...]\n");
		return 2;
	}
	long n = atol(argv[1]);
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n; i++) {
		char dir[64];
		snprintf(dir, sizeof(dir), "run%ld", i % 4);
		if (mkdir(dir, 0755) < 0)
			empty(dir);
		pid_t pid = fork();
		if (pid == 0) {
			if (chdir(dir) < 0)
				_exit(127);
			execv(argv[2], argv + 2);
			_exit(127);
		}
		int st;
		if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) {
			fprintf(stderr, "spawn: run %ld failed\n", i);
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	double t = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	printf("%.1f\n", (double)n / t);
	return 0;
}
