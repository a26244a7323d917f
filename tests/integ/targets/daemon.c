/* daemon [MARKER]: double-forks with setsid; the grandchild writes daemon.out
 * a few times and then sleeps forever; the original waits for the middle
 * process and exits 0. fifuzz must kill the grandchild when the root exits. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	pid_t p = fork();

	(void)argc;
	(void)argv;
	if (p < 0)
		return 2;
	if (p == 0) {
		setsid();
		p = fork();
		if (p != 0)
			_exit(p < 0 ? 2 : 0);
		int fd = open("daemon.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);

		for (int i = 0; fd >= 0 && i < 5; i++)
			(void)!write(fd, "daemon line\n", 12);
		for (;;)
			pause();
	}
	int st;

	if (waitpid(p, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return 2;
	puts("daemon started");
	return 0;
}
