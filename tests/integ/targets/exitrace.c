/* exitrace T N: T threads write their own file (e<i>.out) in an endless
 * loop while the main thread writes main.out N times and then calls exit(0),
 * which kills the writers wherever they are (often inside a traced write).
 * Only the main thread's writes are deterministic. A third argument is
 * ignored (a marker for pgrep). */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void *spin(void *arg)
{
	char name[32];
	int fd;

	snprintf(name, sizeof(name), "e%ld.out", (long)arg);
	fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	for (;;)
		(void)!write(fd, "endless writer\n", 15);
	return NULL;
}

int main(int argc, char **argv)
{
	int t = argc > 1 ? atoi(argv[1]) : 4;
	int n = argc > 2 ? atoi(argv[2]) : 200;
	int fd = open("main.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	pthread_t tid;

	if (fd < 0)
		return 2;
	for (long i = 0; i < t; i++)
		if (pthread_create(&tid, NULL, spin, (void *)i))
			return 2;
	for (int i = 0; i < n; i++)
		(void)!write(fd, "main thread record\n", 19);
	exit(0);
}
