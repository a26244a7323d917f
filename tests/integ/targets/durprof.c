/* durprof: small durability scenarios whose outcome after a power cut
 * differs between file-system profiles (docs/durability.md). Each exits 0
 * when every call succeeded; the state is judged by the case.
 *
 *   newfile      create f, write "new", fsync f (no directory fsync)
 *   rename       tmp := "new", fsync tmp, rename tmp -> data.txt, then create
 *                other, write and fsync it (no directory fsync anywhere)
 *   tworenames   a.tmp := "A", fsync, rename -> a, fsync a; then the same for b
 *   trunc        open data.txt with O_TRUNC, write "new", close (no fsync)
 *   replace      tmp := "new", close, rename tmp -> data.txt (no fsync)
 *   sync         overwrite data.txt with "new" in place, sync()
 *   msync        grow data.txt (a write at 4096), map it shared, put "new" at
 *                0 through the mapping, msync(MS_SYNC); nomsync: no msync
 *   appends      three 20-byte appends to log.txt, one page, no fsync
 *   maponly      put "new" into data.txt through a shared mapping only (no
 *                write call), no msync; mapsync: then msync(MS_SYNC) */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "write_all.h"

static int die(const char *what)
{
	perror(what);
	return 1;
}

/* name := text, fsynced when sync. Returns 0 or 1. */
static int put(const char *name, const char *text, int sync)
{
	int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write_all(fd, text, strlen(text)) < 0 || (sync && fsync(fd) < 0) || close(fd) < 0)
		return die(name);
	return 0;
}

static int fsync_name(const char *name)
{
	int fd = open(name, O_RDONLY);
	if (fd < 0 || fsync(fd) < 0 || close(fd) < 0)
		return die(name);
	return 0;
}

static int mapped(int sync)
{
	int fd = open("data.txt", O_RDWR);
	if (fd < 0 || pwrite(fd, "end", 3, 4096) != 3)
		return die("data.txt");
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return die("mmap");
	memcpy(p, "new", 3);
	if (sync && msync(p, 8192, MS_SYNC) < 0)
		return die("msync");
	return 0;
}

int main(int argc, char **argv)
{
	const char *s = argc > 1 ? argv[1] : "";
	if (!strcmp(s, "newfile"))
		return put("f", "new", 1);
	if (!strcmp(s, "rename"))
		return put("tmp", "new", 1) || (rename("tmp", "data.txt") < 0 && die("rename")) ||
		       put("other", "other", 1);
	if (!strcmp(s, "tworenames"))
		return put("a.tmp", "A", 1) || (rename("a.tmp", "a") < 0 && die("rename")) || fsync_name("a") ||
		       put("b.tmp", "B", 1) || (rename("b.tmp", "b") < 0 && die("rename")) || fsync_name("b");
	if (!strcmp(s, "trunc"))
		return put("data.txt", "new", 0);
	if (!strcmp(s, "replace"))
		return put("tmp", "new", 0) || (rename("tmp", "data.txt") < 0 && die("rename"));
	if (!strcmp(s, "sync")) {
		int fd = open("data.txt", O_WRONLY);
		if (fd < 0 || pwrite(fd, "new", 3, 0) != 3)
			return die("data.txt");
		sync();
		return close(fd) < 0;
	}
	if (!strcmp(s, "msync") || !strcmp(s, "nomsync"))
		return mapped(!strcmp(s, "msync"));
	if (!strcmp(s, "maponly") || !strcmp(s, "mapsync")) {
		int fd = open("data.txt", O_RDWR);
		char *p = fd < 0 ? MAP_FAILED : mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			return die("mmap");
		memcpy(p, "new", 3);
		return !strcmp(s, "mapsync") && msync(p, 4096, MS_SYNC) < 0 ? die("msync") : 0;
	}
	if (!strcmp(s, "appends")) {
		int fd = open("log.txt", O_WRONLY | O_APPEND);
		for (int i = 0; i < 3 && fd >= 0; i++)
			if (write_all(fd,
				      i == 0   ? "first line of three\n"
				      : i == 1 ? "second line of thre\n"
					       : "third line of three\n",
				      20) < 0)
				return die("log.txt");
		return fd < 0;
	}
	fprintf(stderr,
		"usage: durprof newfile|rename|tworenames|trunc|replace|sync|msync|nomsync|appends|maponly|mapsync\n");
	return 2;
}
