/* stopcont: stops itself with SIGSTOP; a child sends SIGCONT until the
 * parent says (through a pipe) that it runs again. Then the parent writes
 * sc.out a few times and exits 0. A tracer that mishandles group-stops
 * leaves it stopped forever (a hang) or never stops it (harmless here). */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int p[2], fd, st;
	pid_t parent = getpid(), child;
	char c;

	if (pipe(p) < 0)
		return 2;
	fflush(stdout);
	child = fork();
	if (child < 0)
		return 2;
	if (child == 0) {
		close(p[1]);
		fcntl(p[0], F_SETFL, O_NONBLOCK);
		while (read(p[0], &c, 1) != 1) {
			kill(parent, SIGCONT);
			usleep(10000);
		}
		_exit(0);
	}
	close(p[0]);
	raise(SIGSTOP);
	(void)!write(p[1], "r", 1);
	close(p[1]);
	if (waitpid(child, &st, 0) < 0)
		return 2;
	fd = open("sc.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return 3;
	for (int i = 0; i < 5; i++)
		(void)!write(fd, "resumed and writing\n", 20);
	close(fd);
	puts("resumed");
	return 0;
}
