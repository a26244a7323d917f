/* hangerr: writes 6 lines to hangerr.out; when a write fails it "retries"
 * forever without ever writing again (a hang that only a fault causes). */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	int fd = open("hangerr.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return 1;
	for (int i = 0; i < 6; i++) {
		char line[32];
		int n = snprintf(line, sizeof(line), "line %d\n", i);
		while (write(fd, line, (size_t)n) < 0)
			pause(); /* waits for a signal that never comes */
	}
	return close(fd) < 0;
}
