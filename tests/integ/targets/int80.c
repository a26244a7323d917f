/* int80: makes i386 system calls with `int $0x80` from a 64-bit program:
 * write (i386 nr 4) to i80.out, and getpid (i386 nr 20, which is writev's
 * number on x86-64). fifuzz must neither fault them (it injects only x86-64
 * calls) nor kill the program for using another ABI. Prints what it saw. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static long int80(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
	return ret;
}

int main(void)
{
	/* int 0x80 takes 32-bit pointers: the buffer must live below 4 GiB. */
	char *buf = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	int fd = open("i80.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (buf == MAP_FAILED || fd < 0)
		return 2;
	strcpy(buf, "written with int 0x80\n");
	for (int i = 0; i < 5; i++)
		printf("i386 write returned %ld\n", int80(4, fd, (long)buf, (long)strlen(buf)));
	printf("i386 getpid %s\n", int80(20, 0, 0, 0) == getpid() ? "matches" : "differs");
	close(fd);
	return 0;
}
