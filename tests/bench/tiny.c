/* The launch benchmark's program: one small write to a file, then exit. Built
 * static so that launching it costs no dynamic loading. */
#include <fcntl.h>
#include <unistd.h>

int main(void)
{
	int fd = open("tiny.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, "tiny\n", 5) != 5)
		return 1;
	return close(fd) ? 1 : 0;
}
