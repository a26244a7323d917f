/* snapctor: three records to snap.out through write(2), then "done" on
 * stdout. A failed or short write aborts (abort(3): raise() signals the
 * thread glibc believes is running, so a run whose cached thread id were its
 * template's would not die of SIGABRT). Linked with libsnapctor.so, whose
 * constructor runs before the entry point (SNAP_CTOR says what it does). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	static const char rec[] = "a record of snapctor\n";
	int fd = open("snap.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		return 2;
	for (int i = 0; i < 3; i++)
		if (write(fd, rec, strlen(rec)) != (ssize_t)strlen(rec))
			abort();
	if (close(fd))
		return 1;
	printf("done\n");
	return 0;
}
