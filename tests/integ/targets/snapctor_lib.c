/* libsnapctor.so: a constructor that runs in the dynamic loader, before the
 * program's entry point, and leaves behind what a snapshot of the program at
 * its entry could not share safely between runs. SNAP_CTOR: thread (a
 * thread that sleeps), fd (a file kept open), shm (shared writable memory),
 * file (a file made in the working directory); unset: nothing. */
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

__attribute__((constructor)) static void snapctor_init(void)
{
	const char *what = getenv("SNAP_CTOR");
	pthread_t t;

	if (!what)
		return;
	if (!strcmp(what, "thread"))
		pthread_create(&t, NULL, sleeper, NULL);
	else if (!strcmp(what, "fd"))
		(void)open("/dev/null", O_RDONLY);
	else if (!strcmp(what, "shm"))
		(void)mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	else if (!strcmp(what, "file"))
		close(open("ctor.log", O_WRONLY | O_CREAT | O_APPEND, 0644));
}
