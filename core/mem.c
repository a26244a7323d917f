#include "core/mem.h"

#include <errno.h>
#include <stdio.h>
#include <sys/sysmacros.h>
#include <string.h>
#include <sys/uio.h>

#define PAGE 4096u

size_t ff_peek(pid_t tid, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = {buf, len}, remote = {(void *)(uintptr_t)addr, len};
	ssize_t n = process_vm_readv(tid, &local, 1, &remote, 1, 0);
	return n > 0 ? (size_t)n : 0;
}

size_t ff_poke(pid_t tid, uint64_t addr, const void *buf, size_t len)
{
	struct iovec local = {(void *)buf, len}, remote = {(void *)(uintptr_t)addr, len};
	ssize_t n = process_vm_writev(tid, &local, 1, &remote, 1, 0);
	return n > 0 ? (size_t)n : 0;
}

int ff_peek_str(pid_t tid, uint64_t addr, char *buf, size_t size)
{
	size_t got = 0;
	while (got < size - 1) {
		/* Never cross a page in one read: the next page may be unmapped. */
		size_t chunk = PAGE - (size_t)((addr + got) % PAGE);
		if (chunk > size - 1 - got)
			chunk = size - 1 - got;
		size_t n = ff_peek(tid, addr + got, buf + got, chunk);
		if (n == 0)
			return -EFAULT;
		char *nul = memchr(buf + got, 0, n);
		if (nul)
			return 0;
		got += n;
	}
	buf[size - 1] = 0;
	return -ENAMETOOLONG;
}

int ff_map_file(pid_t tid, uint64_t addr, char *path, size_t size, dev_t *dev, ino_t *ino)
{
	char name[64], line[4096 + 256];
	snprintf(name, sizeof(name), "/proc/%d/maps", (int)tid);
	FILE *f = fopen(name, "re");
	int rc = -ENOENT;
	if (!f)
		return rc;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long lo, hi, off, in;
		unsigned maj, mnr;
		int at = 0;
		/* start-end perms offset major:minor inode name */
		if (sscanf(line, "%llx-%llx %*s %llx %x:%x %llu %n", &lo, &hi, &off, &maj, &mnr, &in, &at) < 6 ||
		    addr < lo || addr >= hi)
			continue;
		char *nl = strchr(line + at, '\n');
		if (nl)
			*nl = 0;
		if (!in || line[at] != '/')
			break; /* anonymous memory: no file */
		snprintf(path, size, "%s", line + at);
		*dev = makedev(maj, mnr);
		*ino = (ino_t)in;
		rc = 0;
		break;
	}
	fclose(f);
	return rc;
}

bool ff_map_shared_write(pid_t tid, dev_t dev, ino_t ino)
{
	char name[64], line[4096 + 256];
	snprintf(name, sizeof(name), "/proc/%d/maps", (int)tid);
	FILE *f = fopen(name, "re");
	bool found = false;
	while (f && !found && fgets(line, sizeof(line), f)) {
		unsigned long long in;
		unsigned maj, mnr;
		char perms[8];
		if (sscanf(line, "%*x-%*x %7s %*x %x:%x %llu", perms, &maj, &mnr, &in) == 4)
			found = perms[1] == 'w' && perms[3] == 's' && makedev(maj, mnr) == dev && (ino_t)in == ino;
	}
	if (f)
		fclose(f);
	return found;
}
