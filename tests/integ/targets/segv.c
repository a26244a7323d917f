/* segv: writes a line to segv.out, then dereferences NULL: it crashes
 * without any fault, so a campaign must refuse to start. */
#include <fcntl.h>
#include <unistd.h>

int main(void)
{
	int fd = open("segv.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	volatile int *p = NULL;

	if (fd >= 0) {
		(void)!write(fd, "about to crash\n", 15);
		close(fd);
	}
	*p = 1;
	return 0;
}
