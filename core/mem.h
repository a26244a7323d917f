/* Reading the tracee's memory: process_vm_readv only (never PEEKDATA on the
 * hot path), page by page so an unreadable page ends a read instead of
 * failing it whole. */
#ifndef FF_MEM_H
#define FF_MEM_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Reads up to len bytes at addr of tid. Returns the bytes read. */
size_t ff_peek(pid_t tid, uint64_t addr, void *buf, size_t len);
/* Reads a NUL-terminated string of at most size - 1 bytes. Returns 0, or
 * -EFAULT (unreadable) or -ENAMETOOLONG. */
/* Writes len bytes of buf at addr in tid's memory with process_vm_writev
 * (writable pages only). Returns the bytes written, 0 on failure. */
size_t ff_poke(pid_t tid, uint64_t addr, const void *buf, size_t len);
int ff_peek_str(pid_t tid, uint64_t addr, char *buf, size_t size);
/* The file mapped at addr in tid (from /proc/TID/maps): its name into path,
 * its device and inode. Returns 0, or -ENOENT (no file is mapped there). */
int ff_map_file(pid_t tid, uint64_t addr, char *path, size_t size, dev_t *dev, ino_t *ino);
/* Does tid map (dev, ino) shared and writable (writes through memory)? */
bool ff_map_shared_write(pid_t tid, dev_t dev, ino_t ino);

#endif
