/* btime: the bench's timer.
 * Usage: btime REPS PROG ARGS; runs PROG REPS times and prints the fastest
 * and the slowest wall time in seconds on stdout ("MIN MAX"). PROG's stdout
 * goes to stderr so that it cannot mix with the numbers. Exits 0 if every run
 * exited 0, else with the first failing run's status (128+N for signal N). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs argv once; returns its exit status, 128+signal, or 127 if it could not run. */
static int run(char **argv, double *secs)
{
	double t0 = now();
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return 127;
	if (pid == 0) {
		dup2(STDERR_FILENO, STDOUT_FILENO);
		execvp(argv[0], argv);
		fprintf(stderr, "btime: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return 127;
	*secs = now() - t0;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(int argc, char **argv)
{
	int reps = argc > 2 ? atoi(argv[1]) : 0;
	double lo = 0, hi = 0;
	int status = 0;

	if (reps < 1) {
		fprintf(stderr, "usage: btime REPS PROG [ARGS...]\n");
		return 2;
	}
	for (int i = 0; i < reps; i++) {
		double secs = 0;
		int rc = run(argv + 2, &secs);
		if (rc && !status)
			status = rc;
		if (i == 0 || secs < lo)
			lo = secs;
		if (secs > hi)
			hi = secs;
	}
	printf("%.4f %.4f\n", lo, hi);
	return status;
}
