/* gen COUNTER: counts its runs in the file COUNTER (outside its directory)
 * and writes "generation N/3" to out.txt the careful way (short writes and
 * EINTR retried, any other error: exit 1). Its output changes every third
 * run by itself: two quick fault-free runs agree, later ones do not. */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "write_all.h"

int main(int argc, char **argv)
{
	char buf[64];
	int n = 0;
	if (argc < 2)
		return 2;
	FILE *f = fopen(argv[1], "r");
	if (f) {
		if (fscanf(f, "%d", &n) != 1)
			n = 0;
		fclose(f);
	}
	if (!(f = fopen(argv[1], "w")) || fprintf(f, "%d\n", n + 1) < 0 || fclose(f) != 0)
		return 2;
	int fd = open("out.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return 1;
	int len = snprintf(buf, sizeof(buf), "generation %d\n", n / 3);
	if (write_all(fd, buf, (size_t)len) < 0 || close(fd) < 0) {
		perror("gen: out.txt");
		return 1;
	}
	return 0;
}
