/* Reading the tracee's memory: process_vm_readv only (never PEEKDATA on the
 * hot path), page by page so an unreadable page ends a read instead of
 * failing it whole. */
#ifndef FF_MEM_H
#define FF_MEM_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Reads up to len bytes at addr of tid. Returns the bytes read. */
size_t ff_peek(pid_t tid, uint64_t addr, void *buf, size_t len);
/* Reads a NUL-terminated string of at most size - 1 bytes. Returns 0, or
 * -EFAULT (unreadable) or -ENAMETOOLONG. */
int ff_peek_str(pid_t tid, uint64_t addr, char *buf, size_t size);

#endif
