/* restart N: the parent writes N records into a pipe while a SIGALRM timer
 * (SA_RESTART) interrupts it; a slow reader child collects the pipe and
 * then writes it to r.out. A write blocked on the full pipe is interrupted and restarted by the
 * kernel: the restart must not count as another call. The parent prints what
 * each write returned and how the reader ended; nothing timing-dependent. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t ticks;

static void on_alarm(int sig)
{
	(void)sig;
	ticks++;
}

/* Reads the pipe to its end (read sizes depend on timing), then writes what
 * it got to r.out in fixed chunks, so that its own writes are deterministic. */
static int reader(int in)
{
	size_t cap = 1 << 20, len = 0;
	char *buf = malloc(cap);
	int out;
	ssize_t n;

	if (!buf)
		return 3;
	while (len < cap && (n = read(in, buf + len, 1024 < cap - len ? 1024 : cap - len)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return 4;
		}
		len += (size_t)n;
		usleep(2000);
	}
	out = open("r.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0)
		return 3;
	for (size_t off = 0; off < len; off += 4096)
		(void)!write(out, buf + off, len - off < 4096 ? len - off : 4096);
	close(out);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 2000;
	struct sigaction sa;
	struct itimerval it = {{0, 200}, {0, 200}};
	char line[256];
	int p[2], st;
	pid_t pid;

	if (pipe(p) < 0)
		return 2;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		close(p[1]);
		_exit(reader(p[0]));
	}
	close(p[0]);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	for (int i = 0; i < n; i++) {
		int len = snprintf(line, sizeof(line), "record %d %.*s\n", i, 60 + i % 90,
				   "================================================================"
				   "==========================================================");
		ssize_t r = write(p[1], line, (size_t)len);

		if (r < 0)
			printf("write pipe %d errno %s\n", len, strerrorname_np(errno));
		else
			printf("write pipe %d returned %zd\n", len, r);
	}
	it = (struct itimerval){{0, 0}, {0, 0}};
	setitimer(ITIMER_REAL, &it, NULL);
	close(p[1]);
	if (waitpid(pid, &st, 0) < 0)
		return 2;
	printf("reader %s %d\n", WIFEXITED(st) ? "exited" : "killed", WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	return 0;
}
