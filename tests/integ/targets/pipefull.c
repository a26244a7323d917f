/* pipefull MARKER: fills a pipe, creates pipefull.ready, waits for the file
 * go, then makes one blocking write of 100000 bytes to the full pipe. A
 * second thread waits for the file drain and then reads the pipe to the
 * end. Prints "write returned N" and "read M bytes". For `fifuzz --pid`: a
 * write shortened by fifuzz that is still blocked when fifuzz detaches must
 * get its whole length back (N = 100000). MARKER only makes it easy to find
 * in /proc. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BIG 100000

static int p[2];

static void wait_for(const char *name)
{
	struct timespec pause = {0, 10 * 1000 * 1000};

	while (access(name, F_OK) != 0)
		nanosleep(&pause, NULL);
}

static void *drain(void *arg)
{
	char buf[65536];
	long total = 0;
	ssize_t n;

	(void)arg;
	wait_for("drain");
	while ((n = read(p[0], buf, sizeof(buf))) > 0)
		total += n;
	printf("read %ld bytes\n", total);
	return NULL;
}

int main(void)
{
	static char big[BIG];
	char chunk[4096];
	pthread_t t;

	if (pipe(p) < 0)
		return 2;
	memset(chunk, 'f', sizeof(chunk));
	memset(big, 'b', sizeof(big));
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	while (write(p[1], chunk, sizeof(chunk)) > 0)
		;
	if (errno != EAGAIN)
		return 2;
	fcntl(p[1], F_SETFL, 0);
	if (pthread_create(&t, NULL, drain, NULL))
		return 2;
	int fd = open("pipefull.ready", O_WRONLY | O_CREAT, 0644);
	if (fd >= 0)
		close(fd);
	wait_for("go");
	ssize_t w = write(p[1], big, BIG);
	printf("write returned %zd\n", w);
	fflush(stdout);
	close(p[1]);
	pthread_join(t, NULL);
	return 0;
}
