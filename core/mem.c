#include "core/mem.h"

#include <errno.h>
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
