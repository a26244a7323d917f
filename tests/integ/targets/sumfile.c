/* sumfile FILE OUT [pread]: reads FILE in 4 KiB reads (pread64 with
 * "pread", readv with "readv") and writes the sum of its bytes to OUT
 * without checking anything: damaged data goes through silently. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	int fd = open(argv[1], O_RDONLY);
	if (fd < 0)
		return 1;
	const char *how = argc > 3 ? argv[3] : "read";
	unsigned char buf[4096];
	unsigned long long sum = 0;
	off_t pos = 0;
	for (;;) {
		ssize_t n;
		if (!strcmp(how, "pread"))
			n = pread(fd, buf, sizeof(buf), pos);
		else if (!strcmp(how, "readv")) {
			struct iovec iov[2] = {{buf, 1000}, {buf + 1000, sizeof(buf) - 1000}};
			n = readv(fd, iov, 2);
		} else
			n = read(fd, buf, sizeof(buf));
		if (n < 0)
			return 1;
		if (n == 0)
			break;
		pos += n;
		for (ssize_t i = 0; i < n; i++)
			sum = sum * 31 + buf[i];
	}
	close(fd);
	FILE *f = fopen(argv[2], "w");
	if (!f)
		return 1;
	fprintf(f, "%llu\n", sum);
	return fclose(f) ? 1 : 0;
}
