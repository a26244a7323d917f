/* The syscall catalogue (core/syscalls.def) and the errno and fault-kind
 * name tables, as C data. */
#ifndef FF_CATALOGUE_H
#define FF_CATALOGUE_H
#include <stdint.h>

enum ff_class {
	FF_CLASS_WRITE = 1u << 0,
	FF_CLASS_READ = 1u << 1,
	FF_CLASS_DESC = 1u << 2,
	FF_CLASS_FILE = 1u << 3,
	FF_CLASS_SYNC = 1u << 4,
	FF_CLASS_NET = 1u << 5,
};

enum ff_shape {
	FF_SHAPE_BUF,      /* fd, buf, count */
	FF_SHAPE_BUF_POS,  /* fd, buf, count, offset */
	FF_SHAPE_IOV,      /* fd, iov, iovcnt */
	FF_SHAPE_IOV_POS,  /* fd, iov, iovcnt, pos_l, pos_h */
	FF_SHAPE_IOV_POS2, /* fd, iov, iovcnt, pos_l, pos_h, flags */
};

/* Fault kinds. Values are stored in traces: never renumber. */
enum ff_fault {
	FF_PASS = 0,  /* let the call through untouched */
	FF_SHORT = 1, /* only n bytes land; the call returns n */
	FF_ERROR = 2, /* nothing happens; the call returns -errno */
	FF_TORN = 3,  /* n bytes land, then the call returns -errno */
	FF_FAULT_COUNT
};
#define FF_K(kind) (1u << (kind))
#define FF_K_ALL (FF_K(FF_SHORT) | FF_K(FF_ERROR) | FF_K(FF_TORN))

/* Kinds of file descriptor, for --fd-kind. */
enum ff_fdkind { FF_FD_FILE, FF_FD_PIPE, FF_FD_SOCKET, FF_FD_TTY, FF_FD_DEV, FF_FD_OTHER, FF_FD_COUNT };

enum ff_sc_id {
#define FF_SYSCALL(name, cls, shape, kinds, errnos) FF_SC_##name,
#include "core/syscalls.def"
#undef FF_SYSCALL
	FF_SC_COUNT
};

#define FF_MAX_ERRNOS 16

struct ff_sc {
	const char *name;
	long nr;
	uint32_t classes;
	enum ff_shape shape;
	uint32_t kinds;
	const char *errno_names;
	int nerrnos; /* filled by ff_catalogue_init() */
	int errnos[FF_MAX_ERRNOS];
};

extern struct ff_sc ff_sc_table[FF_SC_COUNT];

/* Syscalls that free or replace an fd number: they stop (entry only) so the
 * fd -> path cache never outlives the file it names. */
#define FF_FDTRACK_NAMES {"close", "close_range", "dup2", "dup3"}
/* Is nr one of them? */
int ff_is_fdtrack(long nr);

/* Parses the errno lists; returns 0 or -EINVAL naming a bad entry on stderr. */
int ff_catalogue_init(void);
/* Returns the catalogue index of syscall number nr, or -1. */
int ff_sc_by_nr(long nr);
/* Returns the catalogue index of a syscall name, or -1. */
int ff_sc_by_name(const char *name);

/* errno names from the generated table. */
const char *ff_errno_name(int err); /* NULL if unknown */
int ff_errno_by_name(const char *name); /* value, or -1 */

const char *ff_fault_name(enum ff_fault k);
int ff_fault_by_name(const char *name); /* value, or -1 */
const char *ff_fdkind_name(enum ff_fdkind k);
int ff_fdkind_by_name(const char *name);

#endif
