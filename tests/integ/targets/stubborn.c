/* stubborn MARKER: ignores SIGINT, SIGTERM and SIGHUP, blocks every other
 * signal it can, forks a child that does the same (inherited), creates
 * stubborn.ready and sleeps forever. Only SIGKILL ends it. MARKER only
 * makes its processes easy to find in /proc. */
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

int main(void)
{
	sigset_t all;

	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	if (fork() < 0)
		return 2;
	int fd = open("stubborn.ready", O_WRONLY | O_CREAT, 0644);

	if (fd >= 0)
		close(fd);
	for (;;)
		pause();
}
