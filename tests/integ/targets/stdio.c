/* stdio: writes "hello\n" to fd 1, fd 2 and stdio.out with write(2), and
 * exits 3 if a standard stream write came back short. fds 0-2 must not be
 * faulted by default, even at --rate 1. */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	int fd = open("stdio.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ssize_t a = write(1, "hello\n", 6);
	ssize_t b = write(2, "hello\n", 6);
	ssize_t c;

	if (fd < 0)
		return 2;
	c = write(fd, "hello\n", 6);
	close(fd);
	if (a != 6 || b != 6)
		return 3;
	(void)c;
	return 0;
}
