/* slow MARKER DIR: a slow program for interrupting a campaign. It claims
 * the first free DIR/N (N = 1, 2, ...) with mkdir, creates DIR/ready once
 * N >= 3 (after the campaign's two baseline runs), then writes ten records
 * to slow.out, sleeping 0.2 s before each; write results are ignored.
 * MARKER only makes its processes easy to find in /proc. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec pause = {0, 200 * 1000 * 1000};
	char path[4096];
	int n = 1, fd;

	if (argc < 3)
		return 2;
	for (;; n++) {
		snprintf(path, sizeof(path), "%s/%d", argv[2], n);
		if (mkdir(path, 0755) == 0)
			break;
	}
	if (n >= 3) {
		snprintf(path, sizeof(path), "%s/ready", argv[2]);
		fd = open(path, O_WRONLY | O_CREAT, 0644);
		if (fd >= 0)
			close(fd);
	}
	fd = open("slow.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return 2;
	for (int i = 0; i < 10; i++) {
		nanosleep(&pause, NULL);
		(void)!write(fd, "a slow record\n", 14);
	}
	close(fd);
	return 0;
}
