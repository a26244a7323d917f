/* hang [MARKER]: writes a marker line to hang.out, creates hang.ready, then
 * sleeps forever. MARKER only makes the process easy to find with pgrep -f. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char line[256];
	int fd = open("hang.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int n;

	if (fd < 0)
		return 2;
	n = snprintf(line, sizeof(line), "hang %s\n", argc > 1 ? argv[1] : "-");
	(void)!write(fd, line, (size_t)n);
	close(fd);
	fd = open("hang.ready", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0)
		close(fd);
	for (;;)
		pause();
}
