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

/* What a call is about (its site's resource). */
enum ff_res {
	FF_RES_FD,   /* an fd in argument res_arg */
	FF_RES_PATH, /* a path in argument res_arg */
	FF_RES_AT,   /* a dirfd in res_arg - 1, a path in res_arg */
	FF_RES_NONE, /* nothing: the call acts on every file system (sync); its site's path is "/" */
	FF_RES_MAP,  /* an address in res_arg: the file mapped there (msync) */
};

/* Where a call's length is. */
enum ff_shape {
	FF_SHAPE_NONE,	   /* no length */
	FF_SHAPE_BUF,	   /* buffer in len_arg - 1, count in len_arg */
	FF_SHAPE_BUF_POS,  /* the same, with an offset after the count */
	FF_SHAPE_COUNT,	   /* a count in len_arg, no buffer */
	FF_SHAPE_IOV,	   /* fd, iov, iovcnt */
	FF_SHAPE_IOV_POS,  /* fd, iov, iovcnt, pos_l, pos_h */
	FF_SHAPE_IOV_POS2, /* fd, iov, iovcnt, pos_l, pos_h, flags */
};

/* How an injected error is applied. */
enum ff_errmode {
	FF_ERR_SKIP,  /* the call does not run */
	FF_ERR_AFTER, /* the call runs, then reports the error */
};

enum ff_profile { FF_PROFILE_REALISTIC = 0, FF_PROFILE_ALL = 1 };

/* Fault kinds. Values are stored in traces: never renumber. */
enum ff_fault {
	FF_PASS = 0,	/* let the call through untouched */
	FF_SHORT = 1,	/* only n bytes land; the call returns n */
	FF_ERROR = 2,	/* nothing happens; the call returns -errno */
	FF_TORN = 3,	/* n bytes land, then the call returns -errno */
	FF_EINTR = 4,	/* nothing happens; -EINTR (blocking pipes, sockets, ttys) */
	FF_EAGAIN = 5,	/* nothing happens; -EAGAIN (non-blocking fds) */
	FF_FSYNC = 6,	/* a sync call fails with -errno (EIO) */
	FF_CUT = 7,	/* the power is cut before the call runs (--crash; core/durable/durable.h) */
	FF_CORRUPT = 8, /* a read runs, then its bytes are damaged (core/corrupt.h); format 4 */
	FF_FAULT_COUNT
};
#define FF_K(kind) (1u << (kind))
#define FF_K_ALL   (FF_K(FF_SHORT) | FF_K(FF_ERROR) | FF_K(FF_TORN))
/* The default kinds: every kind but corrupt, which changes tracee memory and is asked for by name. */
#define FF_K_EVERY (FF_K_ALL | FF_K(FF_EINTR) | FF_K(FF_EAGAIN) | FF_K(FF_FSYNC))

/* Kinds of file descriptor, for --fd-kind. */
enum ff_fdkind { FF_FD_FILE, FF_FD_PIPE, FF_FD_SOCKET, FF_FD_TTY, FF_FD_DEV, FF_FD_OTHER, FF_FD_COUNT };

enum ff_sc_id {
#define FF_SYSCALL(name, cls, res, res_arg, shape, len_arg, kinds, errmode, errnos) FF_SC_##name,
#include "core/syscalls.def"
#undef FF_SYSCALL
	FF_SC_COUNT
};
_Static_assert(FF_SC_COUNT <= 64, "syscall masks are 64-bit");

#define FF_MAX_ERRNOS 32

struct ff_sc {
	const char *name;
	long nr;
	uint32_t classes;
	enum ff_res res;
	int res_arg;
	enum ff_shape shape;
	int len_arg;
	uint32_t kinds;
	enum ff_errmode errmode;
	const char *errno_names;
	/* Filled by ff_catalogue_init(): */
	int nerrnos;
	int errnos[FF_MAX_ERRNOS];
	uint8_t real[FF_MAX_ERRNOS]; /* 1 << fd kind where realistic; 0: --profile all only */
};

extern struct ff_sc ff_sc_table[FF_SC_COUNT];

/* How the durability model reads a call it follows (core/syscalls.def's
 * FF_DURABLE lines): which arguments name the file, the names, the offset. */
enum ff_dur_call {
	FF_DC_NONE,	 /* not followed */
	FF_DC_DATA,	 /* data at the fd's position: fd in arg 1 */
	FF_DC_DATA_AT,	 /* data at an explicit offset: fd 1, offset 4 */
	FF_DC_COPY,	 /* copy_file_range: the written fd 3, its offset pointer 4 */
	FF_DC_FTRUNCATE, /* fd 1, length 2 */
	FF_DC_FALLOCATE, /* fd 1 */
	FF_DC_TRUNCATE,	 /* path 1, length 2 */
	FF_DC_OPEN,	 /* path 1, flags 2 */
	FF_DC_CREAT,	 /* path 1 (O_CREAT|O_WRONLY|O_TRUNC) */
	FF_DC_OPENAT,	 /* dirfd 1, path 2, flags 3 */
	FF_DC_OPENAT2,	 /* dirfd 1, path 2, struct open_how 3 */
	FF_DC_RENAME,	 /* old 1, new 2 */
	FF_DC_RENAMEAT,	 /* olddirfd 1, old 2, newdirfd 3, new 4 (renameat2: flags 5) */
	FF_DC_UNLINK,	 /* path 1 (unlink, rmdir) */
	FF_DC_UNLINKAT,	 /* dirfd 1, path 2 */
	FF_DC_MKDIR,	 /* path 1 */
	FF_DC_MKDIRAT,	 /* dirfd 1, path 2 */
	FF_DC_LINK,	 /* old 1, new 2 */
	FF_DC_LINKAT,	 /* olddirfd 1, old 2, newdirfd 3, new 4 */
	FF_DC_SYMLINK,	 /* the link's path 2 */
	FF_DC_SYMLINKAT, /* dirfd 2, the link's path 3 */
	FF_DC_FSYNC,	 /* fd 1 (fsync, fdatasync) */
	FF_DC_MSYNC,	 /* the mapping at address 1, flags 3 */
	FF_DC_SYNCALL,	 /* sync, syncfs: everything */
	FF_DC_MMAP,	 /* a shared writable mapping of fd 5: its file is followed from here */
};
/* How the model reads catalogue syscall sc (FF_DC_NONE: not followed). */
enum ff_dur_call ff_sc_durable(int sc);

/* Syscalls that free or replace an fd number: they stop (entry only) so the
 * fd -> path cache never outlives the file it names. */
#define FF_FDTRACK_NAMES                                                                                               \
	{                                                                                                              \
		"close", "close_range", "dup2", "dup3"                                                                 \
	}
/* Is nr one of them? */
int ff_is_fdtrack(long nr);

/* Parses the errno lists; returns 0 or -EINVAL naming a bad entry on stderr. */
int ff_catalogue_init(void);
/* The errnos of sc that may be chosen for an fd of this kind under profile,
 * narrowed to filter (a list of nfilter errnos; nfilter 0: no filter).
 * Returns how many were written to out (at most FF_MAX_ERRNOS). */
int ff_sc_errnos(int sc, enum ff_fdkind kind, enum ff_profile profile, const uint16_t *filter, int nfilter, int *out);

/* Returns the catalogue index of syscall number nr, or -1. */
int ff_sc_by_nr(long nr);
/* Returns the catalogue index of a syscall name, or -1. */
int ff_sc_by_name(const char *name);

/* errno names from the generated table. */
const char *ff_errno_name(int err);	/* NULL if unknown */
int ff_errno_by_name(const char *name); /* value, or -1 */

const char *ff_fault_name(enum ff_fault k);
int ff_fault_by_name(const char *name); /* value, or -1 */
const char *ff_fdkind_name(enum ff_fdkind k);
int ff_fdkind_by_name(const char *name);

#endif
