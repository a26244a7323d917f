/* bloop: the syscall-heavy bench workload that makes no write.
 * Usage: bloop [N]; makes N getppid(2) calls (default 1000000) through
 * syscall(2), so libc cannot cache them, and exits 0. */
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 1000000;

	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	return 0;
}
