/* appender: the writes --crash follows without an exit stop and the ones it
 * follows with one, mixed: appends to log.txt (O_APPEND), sequential writes
 * to data.bin with an overwrite of its header, a pwrite past its end, an
 * fsync halfway and a truncate; then, in other files, what can move a
 * position or change landed bytes between two calls the model sees: an
 * lseek back before a write, O_APPEND turned on and off by fcntl, a run of
 * writes longer than one copy (1 MiB), a truncate below landed bytes, a
 * rename over a file and another file's fsync, and stores through a shared mapping made read-only
 * then writable (mprotect). Write errors are ignored; it exits 0. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* An untraced lseek moves the position: the next write overwrites. */
static void seek_back(void)
{
	int fd = open("seek.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return;
	for (int i = 0; i < 12; i++) {
		(void)!write(fd, "0123456789abcdef", 16);
		if (i % 4 == 3) {
			lseek(fd, -24, SEEK_CUR);
			(void)!write(fd, "BACK", 4);
			lseek(fd, 0, SEEK_END);
		}
	}
	lseek(fd, 100, SEEK_END); /* a hole, by position */
	(void)!write(fd, "far", 3);
	close(fd);
}

/* fcntl (untraced) turns O_APPEND on and off under the model. */
static void append_flip(void)
{
	int fd = open("flip.bin", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return;
	for (int i = 0; i < 6; i++) {
		(void)!write(fd, "plain-", 6);
		lseek(fd, 0, SEEK_SET);
		fcntl(fd, F_SETFL, O_APPEND);
		(void)!write(fd, "append", 6); /* at the end, though the position was 0 */
		fcntl(fd, F_SETFL, 0);
		lseek(fd, 2, SEEK_SET);
		(void)!write(fd, "ov", 2); /* an overwrite */
		lseek(fd, 0, SEEK_END);
	}
	close(fd);
}

/* Many appends, an fsync, a truncate into them, a rename over a file. */
static void long_run(void)
{
	char buf[4000];
	int fd = open("run.tmp", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int old = open("run.bin", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || old < 0)
		return;
	(void)!write(old, "old content\n", 12);
	close(old);
	for (int i = 0; i < 300; i++) {
		memset(buf, 'a' + i % 26, sizeof(buf));
		(void)!write(fd, buf, sizeof(buf));
		if (i == 150)
			(void)!fdatasync(fd);
		if (i == 200)
			(void)!ftruncate(fd, 700000);
	}
	close(fd);
	(void)!rename("run.tmp", "run.bin");
}

/* Stores through a shared mapping, writable only after an mprotect (no
 * call the model sees), into bytes earlier writes landed. */
static void mapped(void)
{
	int fd = open("map.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return;
	for (int i = 0; i < 8; i++)
		(void)!write(fd, "mapped-file-data", 16);
	if (lseek(fd, 0, SEEK_END) < 48) { /* failed writes: stores would fault */
		close(fd);
		return;
	}
	char *p = mmap(NULL, 128, PROT_READ, MAP_SHARED, fd, 0);
	if (p != MAP_FAILED && mprotect(p, 128, PROT_READ | PROT_WRITE) == 0) {
		memcpy(p + 4, "STORE", 5);
		(void)!write(fd, "after-the-store", 15);
		memcpy(p + 40, "AGAIN", 5);
		(void)!write(fd, "and-after-again", 15);
	}
	if (p != MAP_FAILED)
		munmap(p, 128);
	close(fd);
}

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
	seek_back();
	append_flip();
	long_run();
	(void)!fsync(log); /* ext4, btrfs: commits the data the rename over run.bin flagged */
	mapped();
	close(log);
	return 0;
}
