/* appender: the writes --crash follows without an exit stop and the ones it
 * follows with one, mixed: appends to log.txt (O_APPEND), sequential writes
 * to data.bin with an overwrite of its header, a pwrite past its end, an
 * fsync halfway and a truncate. Write errors are ignored; it exits 0. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	int log = open("log.txt", O_WRONLY | O_CREAT | O_APPEND, 0644);
	int data = open("data.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
	char buf[96];

	if (log < 0 || data < 0)
		return 2;
	(void)!write(data, "HEADER00", 8);
	for (int i = 0; i < 40; i++) {
		int n = snprintf(buf, sizeof(buf), "record %02d %.*s\n", i, i % 7 * 9,
				 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
		(void)!write(data, buf, (size_t)n);
		n = snprintf(buf, sizeof(buf), "log %d\n", i);
		(void)!write(log, buf, (size_t)n);
		if (i == 20)
			(void)!fsync(data);
		if (i % 10 == 9) {
			snprintf(buf, sizeof(buf), "HEADER%02d", i);
			(void)!pwrite(data, buf, 8, 0); /* an overwrite */
		}
	}
	off_t end = lseek(data, 0, SEEK_END);
	(void)!pwrite(data, "tail", 4, end + 100); /* past the end: a hole */
	(void)!ftruncate(data, end + 50);
	(void)!write(data, "after", 5);
	close(data);
	close(log);
	return 0;
}
