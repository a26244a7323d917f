/* From syscalls to durability events: what each traced call changes, read
 * from its arguments at entry (pre-images first) and its result at exit. */
#include "core/durable/durable_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/catalogue.h"
#include "core/mem.h"
#include "core/site.h"
#include "core/util.h"

#ifndef FALLOC_FL_KEEP_SIZE
#define FALLOC_FL_KEEP_SIZE 0x01
#endif

/* Op types (ff_dur_op.type). */
enum {
	OP_NONE,
	OP_DATA,
	OP_TRUNC,
	OP_FALLOC,
	OP_OPEN,
	OP_RENAME,
	OP_UNLINK,
	OP_MKDIR,
	OP_LINK,
	OP_SYMLINK,
	OP_FSYNC,
	OP_SYNCALL
};

/* The absolute name a (dirfd, path) argument of tid means, with its parent
 * directory canonical (the form a directory fd's fsync names). */
static int abs_name(pid_t tid, long dirfd, uint64_t addr, char *out, size_t size)
{
	char arg[PATH_MAX], tmp[2 * PATH_MAX + 2];
	if (ff_peek_str(tid, addr, arg, sizeof(arg)) < 0 || !arg[0])
		return -EINVAL;
	if (ff_path_absolute(tid, (int)dirfd, arg, tmp, sizeof(tmp)) < 0)
		return -ENOENT;
	size_t l = strlen(tmp);
	while (l > 1 && tmp[l - 1] == '/')
		tmp[--l] = 0;
	char *slash = strrchr(tmp, '/');
	if (!slash || !slash[1] || !strcmp(slash + 1, ".") || !strcmp(slash + 1, ".."))
		return -EINVAL;
	*slash = 0;
	char parent[PATH_MAX];
	if (!realpath(tmp[0] ? tmp : "/", parent))
		return -errno;
	int n = snprintf(out, size, "%s/%s", strcmp(parent, "/") ? parent : "", slash + 1);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

static char *parent_of(const char *abs)
{
	char *p = ff_xstrdup(abs);
	char *s = strrchr(p, '/');
	if (s == p)
		s[1] = 0;
	else if (s)
		*s = 0;
	return p;
}

/* The position and open flags of tid's fd, from one read of its fdinfo.
 * Returns 0 or -1. */
static int fd_info(pid_t tid, int fd, int64_t *pos, long *flags)
{
	int fl;
	if (ff_fdinfo(tid, fd, pos, &fl) < 0)
		return -1;
	*flags = fl;
	return 0;
}

void ff_durable_fd_drop(struct ff_durable *d, pid_t tid, int lo, int hi)
{
	d->end_ino = NULL; /* an exec's start-up runs calls the model does not see */
	for (size_t i = 0; i < d->nfdc;) {
		struct dur_fd *c = &d->fdc[i];
		if ((tid && c->tid != tid) || c->fd < lo || c->fd > hi) {
			i++;
			continue;
		}
		close(c->dup); /* the description (and any flock on it) goes with the task's fd */
		*c = d->fdc[--d->nfdc];
	}
}

static struct dur_fd *fd_cached(struct ff_durable *d, pid_t tid, int fd)
{
	for (size_t i = 0; d->solo && i < d->nfdc; i++)
		if (d->fdc[i].tid == tid && d->fdc[i].fd == fd)
			return &d->fdc[i];
	return NULL;
}

/* Keeps a duplicate of tid's fd (a lone task's, followed by the model). */
static void fd_cache(struct ff_durable *d, pid_t tid, int fd, struct ff_dur_ino *ino)
{
	if (!d->solo || d->nfdc == FF_ARRAY_LEN(d->fdc))
		return;
	int pfd = (int)syscall(SYS_pidfd_open, tid, 0);
	if (pfd < 0)
		return;
	int dup = (int)syscall(SYS_pidfd_getfd, pfd, fd, 0); /* close-on-exec */
	close(pfd);
	long fl = dup >= 0 ? fcntl(dup, F_GETFL) : -1;
	if (fl >= 0)
		d->fdc[d->nfdc++] = (struct dur_fd){.tid = tid, .fd = fd, .dup = dup, .fl = fl, .ino = ino};
	else if (dup >= 0)
		close(dup);
}

/* The position and flags of a write's fd (explicit offset off, or
 * UINT64_MAX), for a file of size bytes: from its duplicate, or fdinfo.
 * O_APPEND is asked again only where it matters: when the write would not
 * start at the end anyway. Returns 0 or -1. */
static int write_fd_state(struct ff_durable *d, pid_t tid, int fd, uint64_t off, uint64_t size, int64_t *pos,
			  long *flags)
{
	struct dur_fd *c = fd_cached(d, tid, fd);
	if (!c)
		return fd_info(tid, fd, pos, flags);
	*pos = lseek(c->dup, 0, SEEK_CUR);
	*flags = c->fl;
	if (*pos >= 0 && (off != UINT64_MAX ? off : (uint64_t)*pos) != size)
		*flags = c->fl = fcntl(c->dup, F_GETFL);
	return *pos < 0 || *flags < 0 ? -1 : 0;
}

/* A write that only extends the file (it starts at or past the end, or the
 * fd appends), made while the traced tree has one task, needs no exit stop:
 * what it wrote is what the file grew by, and nothing else can grow the
 * file before its task stops again (truncations, other writes and syncs are
 * traced: their stop comes first). The position and flags are read here
 * instead of at the exit. Other writes keep their exit stop. */
static void try_defer(struct ff_durable *d, pid_t tid, struct ff_dur_op *op, uint64_t len)
{
	int64_t pos;
	long fl;
	if (!d->solo || !len || op->ino->fd < 0)
		return;
	/* The size: what the write settled at this stop left, or the end of the
	 * model's own description of the file (no one else moves its position). */
	int64_t size = d->end_ino == op->ino ? (int64_t)d->end : lseek(op->ino->fd, 0, SEEK_END);
	if (size < 0 || write_fd_state(d, tid, op->fd, op->off, (uint64_t)size, &pos, &fl) < 0)
		return;
	bool append = fl & O_APPEND;
	uint64_t off = append ? (uint64_t)size : op->off != UINT64_MAX ? op->off : (uint64_t)pos;
	if (pos < 0 || off < (uint64_t)size)
		return; /* an overwrite: only its exit can say how much of it landed */
	op->deferred = true;
	op->append = append;
	op->sync_fd = fl & (O_SYNC | O_DSYNC);
	op->off = off;
	op->dlen = len;
}

void ff_durable_set_solo(struct ff_durable *d, bool solo)
{
	d->solo = solo && !d->no_fast;
}

/* A regular file fd of tid: follows its inode. */
static bool data_fd(struct ff_durable *d, pid_t tid, int fd, struct ff_dur_op *op)
{
	char link[64], name[PATH_MAX];
	struct stat sb;
	struct dur_fd *c = fd_cached(d, tid, fd);
	if (c) {
		op->ino = c->ino;
		op->fd = fd;
		op->key = ff_dur_key(d, "data", op->ino->path);
		return true;
	}
	snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int)tid, fd);
	if (ff_readlink(link, name, sizeof(name)) < 0 || name[0] != '/' || !strncmp(name, "/proc/", 6) ||
	    !strncmp(name, "/sys/", 5) || !strncmp(name, "/dev/", 5))
		return false;
	/* fds 0-2 to a regular file are followed (`cmd > file`), unless the file
	 * is fifuzz's own (its capture of the program's output). */
	if (fd <= 2 && (stat(link, &sb) < 0 ||
			(!ff_dur_ino_find(d, sb.st_dev, sb.st_ino) && ff_dur_spared(d, sb.st_dev, sb.st_ino))))
		return false;
	/* " (deleted)" names are still the inode: the name does not matter for data. */
	op->ino = ff_dur_track(d, link, name);
	if (!op->ino)
		return false;
	op->fd = fd; /* its position and flags are read at the exit */
	op->key = ff_dur_key(d, "data", op->ino->path);
	fd_cache(d, tid, fd, op->ino);
	return true;
}

/* Keeps what the name holds now, to put it back if its removal is undone. */
static struct ff_dur_victim *capture(struct ff_durable *d, const char *abs)
{
	struct stat sb;
	if (lstat(abs, &sb) < 0)
		return NULL;
	struct ff_dur_victim *v = ff_xcalloc(1, sizeof(*v));
	v->mode = sb.st_mode & 07777;
	if (S_ISREG(sb.st_mode)) {
		v->type = FF_VIC_REG;
		v->ino = ff_dur_track(d, abs, abs);
	} else if (S_ISLNK(sb.st_mode)) {
		char t[PATH_MAX];
		v->type = FF_VIC_LNK;
		v->target = ff_xstrdup(ff_readlink(abs, t, sizeof(t)) == 0 ? t : "");
	} else if (S_ISDIR(sb.st_mode)) {
		v->type = FF_VIC_DIR;
	} else {
		free(v);
		return NULL; /* fifos, sockets, devices: not modelled */
	}
	if (v->type == FF_VIC_REG && !v->ino) {
		free(v);
		return NULL;
	}
	return v;
}

static bool path_op(pid_t tid, uint8_t type, long dirfd, uint64_t addr, struct ff_dur_op *op)
{
	char abs[PATH_MAX];
	struct stat sb;
	if (abs_name(tid, dirfd, addr, abs, sizeof(abs)) < 0)
		return false;
	op->type = type;
	op->path = ff_xstrdup(abs);
	op->existed = lstat(abs, &sb) == 0;
	return true;
}

static bool path2_op(pid_t tid, uint8_t type, long odirfd, uint64_t oaddr, long ndirfd, uint64_t naddr,
		     struct ff_dur_op *op)
{
	char abs[PATH_MAX];
	if (abs_name(tid, odirfd, oaddr, abs, sizeof(abs)) < 0)
		return false;
	if (!path_op(tid, type, ndirfd, naddr, op))
		return false;
	op->path2 = ff_xstrdup(abs);
	return true;
}

static bool open_op(struct ff_durable *d, pid_t tid, long dirfd, uint64_t addr, uint64_t flags, struct ff_dur_op *op)
{
	if (!(flags & (O_CREAT | O_TRUNC)) || (flags & __O_TMPFILE) == __O_TMPFILE)
		return false;
	if ((flags & O_TRUNC) && !(flags & O_CREAT) && (flags & O_ACCMODE) == O_RDONLY)
		return false;
	if (!path_op(tid, OP_OPEN, dirfd, addr, op))
		return false;
	struct stat sb;
	lstat(op->path, &sb);
	op->aux = flags;
	if (op->existed && (flags & O_TRUNC) && S_ISREG(sb.st_mode) && sb.st_size > 0)
		op->ino = ff_dur_track(d, op->path, op->path);
	return true;
}

/* Calls that change a file's data or size (and mmap, which only makes the
 * model follow a file). Returns whether the exit must be seen. */
static bool data_entry(struct ff_durable *d, pid_t tid, long nr, enum ff_dur_call how, const uint64_t a[6],
		       struct ff_dur_op *op)
{
	bool want = false;
	char abs[PATH_MAX];
	switch (how) {
	case FF_DC_DATA:
	case FF_DC_DATA_AT:
		want = data_fd(d, tid, (int)a[0], op);
		op->type = OP_DATA;
		if (how == FF_DC_DATA_AT)
			op->off = a[3];
		if (want && (nr == SYS_write || nr == SYS_pwrite64))
			try_defer(d, tid, op, a[2]);
		return want;
	case FF_DC_COPY:
		op->type = OP_DATA;
		op->aux = a[3]; /* off_out: the offset is read back at exit */
		return data_fd(d, tid, (int)a[2], op);
	case FF_DC_FTRUNCATE:
		op->type = OP_TRUNC;
		op->aux = a[1];
		return data_fd(d, tid, (int)a[0], op);
	case FF_DC_FALLOCATE:
		op->type = OP_FALLOC;
		return data_fd(d, tid, (int)a[0], op);
	case FF_DC_TRUNCATE:
		if (abs_name(tid, AT_FDCWD, a[0], abs, sizeof(abs)) < 0 || !(op->ino = ff_dur_track(d, abs, abs)))
			return false;
		op->type = OP_TRUNC;
		op->aux = a[1];
		return true;
	case FF_DC_MMAP:
		/* Stores through a shared mapping (writable now or after an
		 * untraced mprotect) could change what earlier writes landed: their
		 * data is copied now, and from now on at once. */
		if ((a[3] & MAP_SHARED) && (int)a[4] >= 0 && !d->shared_map) {
			d->shared_map = true;
			ff_dur_fill_all(d);
		}
		/* Writes through a shared writable mapping are no calls: the
		 * file's pre-image is taken now, so a cut can put it back. */
		if ((a[3] & MAP_SHARED) && (a[2] & PROT_WRITE) && (int)a[4] >= 0 && data_fd(d, tid, (int)a[4], op))
			op->ino->mapped = true;
		return false;
	default:
		return false;
	}
}

/* Calls that create, remove or move names. */
static bool name_entry(struct ff_durable *d, pid_t tid, long nr, enum ff_dur_call how, const uint64_t a[6],
		       struct ff_dur_op *op)
{
	uint64_t fl = 0;
	switch (how) {
	case FF_DC_OPEN:
		return open_op(d, tid, AT_FDCWD, a[0], a[1], op);
	case FF_DC_CREAT:
		return open_op(d, tid, AT_FDCWD, a[0], O_CREAT | O_WRONLY | O_TRUNC, op);
	case FF_DC_OPENAT:
		return open_op(d, tid, (long)a[0], a[1], a[2], op);
	case FF_DC_OPENAT2: /* struct open_how starts with the flags */
		return ff_peek(tid, a[2], &fl, sizeof(fl)) == sizeof(fl) && open_op(d, tid, (long)a[0], a[1], fl, op);
	case FF_DC_RENAME:
		return path2_op(tid, OP_RENAME, AT_FDCWD, a[0], AT_FDCWD, a[1], op);
	case FF_DC_RENAMEAT:
		op->aux = nr == SYS_renameat2 ? a[4] : 0;
		return path2_op(tid, OP_RENAME, (long)a[0], a[1], (long)a[2], a[3], op);
	case FF_DC_UNLINK:
		return path_op(tid, OP_UNLINK, AT_FDCWD, a[0], op);
	case FF_DC_UNLINKAT:
		return path_op(tid, OP_UNLINK, (long)a[0], a[1], op);
	case FF_DC_MKDIR:
		return path_op(tid, OP_MKDIR, AT_FDCWD, a[0], op);
	case FF_DC_MKDIRAT:
		return path_op(tid, OP_MKDIR, (long)a[0], a[1], op);
	case FF_DC_LINK:
		return path2_op(tid, OP_LINK, AT_FDCWD, a[0], AT_FDCWD, a[1], op);
	case FF_DC_LINKAT:
		return path2_op(tid, OP_LINK, (long)a[0], a[1], (long)a[2], a[3], op);
	case FF_DC_SYMLINK:
		return path_op(tid, OP_SYMLINK, AT_FDCWD, a[1], op);
	case FF_DC_SYMLINKAT:
		return path_op(tid, OP_SYMLINK, (long)a[1], a[2], op);
	default:
		return false;
	}
}

/* Calls that make things durable: fsync of a file or a directory, msync, sync. */
static bool sync_entry(struct ff_durable *d, pid_t tid, enum ff_dur_call how, const uint64_t a[6], struct ff_dur_op *op)
{
	char link[64], name[PATH_MAX];
	struct stat sb;
	dev_t dev;
	ino_t ino;
	switch (how) {
	case FF_DC_FSYNC:
		snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int)tid, (int)a[0]);
		if (stat(link, &sb) < 0 || ff_readlink(link, name, sizeof(name)) < 0)
			return false;
		op->type = OP_FSYNC;
		if (S_ISDIR(sb.st_mode))
			op->path = ff_xstrdup(name);
		else if (!S_ISREG(sb.st_mode) || !(op->ino = ff_dur_ino_find(d, sb.st_dev, sb.st_ino)))
			return false;
		return true;
	case FF_DC_MSYNC:
		/* MS_SYNC flushes the mapping's pages as fsync does; MS_ASYNC is a no-op since 2.6.19 */
		if (!(a[2] & MS_SYNC) || ff_map_file(tid, a[0], name, sizeof(name), &dev, &ino) < 0 ||
		    !(op->ino = ff_dur_ino_find(d, dev, ino)))
			return false;
		op->type = OP_FSYNC;
		op->fd = -1;
		return true;
	case FF_DC_SYNCALL:
		op->type = OP_SYNCALL;
		return true;
	default:
		return false;
	}
}

bool ff_durable_entry(struct ff_durable *d, pid_t tid, long nr, const uint64_t a[6], struct ff_dur_op *op)
{
	ff_durable_op_clear(op);
	op->runs = true;
	op->off = UINT64_MAX;
	enum ff_dur_call how = ff_sc_durable(ff_sc_by_nr(nr));
	bool want = false;
	/* No default: a kind of call core/syscalls.def names but this switch
	 * does not handle is a -Wswitch error. */
	switch (how) {
	case FF_DC_NONE:
		break;
	case FF_DC_DATA:
	case FF_DC_DATA_AT:
	case FF_DC_COPY:
	case FF_DC_FTRUNCATE:
	case FF_DC_FALLOCATE:
	case FF_DC_TRUNCATE:
	case FF_DC_MMAP:
		want = data_entry(d, tid, nr, how, a, op);
		break;
	case FF_DC_OPEN:
	case FF_DC_CREAT:
	case FF_DC_OPENAT:
	case FF_DC_OPENAT2:
	case FF_DC_RENAME:
	case FF_DC_RENAMEAT:
	case FF_DC_UNLINK:
	case FF_DC_UNLINKAT:
	case FF_DC_MKDIR:
	case FF_DC_MKDIRAT:
	case FF_DC_LINK:
	case FF_DC_LINKAT:
	case FF_DC_SYMLINK:
	case FF_DC_SYMLINKAT:
		want = name_entry(d, tid, nr, how, a, op);
		break;
	case FF_DC_FSYNC:
	case FF_DC_MSYNC:
	case FF_DC_SYNCALL:
		want = sync_entry(d, tid, how, a, op);
		break;
	}
	d->end_ino = NULL; /* the size it kept was for this call only */
	/* A call on a file other than a write that only extends it may change
	 * the bytes of its lazy events: they are copied before it runs. */
	if (want && op->ino && !op->deferred)
		ff_dur_fill(d, op->ino);
	if (!want) {
		ff_durable_op_clear(op);
		return false;
	}
	/* Pre-images of the names this call removes or replaces. */
	if ((op->type == OP_RENAME && !(op->aux & RENAME_EXCHANGE)) || op->type == OP_UNLINK)
		op->victim = capture(d, op->path);
	return !op->deferred;
}

void ff_durable_skipped(struct ff_durable *d, struct ff_dur_op *op, int err)
{
	/* An fsync that fails loses the file's unsynced data in Linux's page
	 * cache (it is marked clean): a retry then succeeds with nothing to write. */
	if (op->type == OP_FSYNC && op->ino && err && d->fsyncf == FF_FSYNCF_DROP)
		ff_dur_drop(d, op->ino);
	op->runs = false;
	ff_durable_op_clear(op);
}

static void name_event(struct ff_durable *d, uint8_t type, struct ff_dur_op *op)
{
	struct dur_ev *e = ff_dur_event(d, type);
	e->path = op->path;
	e->path2 = op->path2;
	op->path = op->path2 = NULL;
	e->dir = parent_of(e->path);
	if (e->path2) {
		e->dir2 = parent_of(e->path2);
		if (!strcmp(e->dir, e->dir2)) {
			free(e->dir2);
			e->dir2 = NULL;
		}
	}
	e->victim = op->victim;
	op->victim = NULL;
	struct stat sb;
	/* the inode the name now names: a btrfs fsync of it logs the name, and a
	 * rename over a file flushes its data (core/durable/durable_fs.c) */
	if ((type == EV_CREATE || type == EV_LINK || type == EV_RENAME) && lstat(e->path, &sb) == 0 &&
	    S_ISREG(sb.st_mode)) {
		e->mdev = sb.st_dev;
		e->mino = sb.st_ino;
	}
	static const char *const kinds[] = {
	    [EV_CREATE] = "create", [EV_MKDIR] = "mkdir",	[EV_LINK] = "link",	[EV_SYMLINK] = "symlink",
	    [EV_RENAME] = "rename", [EV_EXCHANGE] = "exchange", [EV_UNLINK] = "unlink", [EV_RMDIR] = "rmdir"};
	e->key = ff_dur_key(d, kinds[type], e->path);
	/* Did the name exist before? A new name did not; a rename's target did
	 * when it replaced something; removed and moved-away names did. */
	bool pre = type == EV_UNLINK || type == EV_RMDIR || type == EV_EXCHANGE || (type == EV_RENAME && e->victim);
	ff_dur_name(d, e->path, pre);
	if (e->path2)
		ff_dur_name(d, e->path2, true);
}

/* The event of len bytes (buf, now the event's) landed at off in op's file. */
static void data_landed(struct ff_durable *d, struct ff_dur_op *op, uint64_t off, uint8_t *buf, size_t len)
{
	struct dur_ev *e = ff_dur_event(d, EV_DATA);
	e->ino = op->ino;
	e->off = off;
	e->key = op->key;
	e->data = buf;
	e->len = len;
	d->bytes += e->len;
	if (op->sync_fd)
		ff_dur_fsync_file(d, op->ino); /* O_SYNC/O_DSYNC: durable when the call returns, as after fsync */
}

/* Where a data call's ret bytes landed, into *off (its fd's position and
 * flags read now, at the exit, unless a deferred op read them at entry).
 * Returns 0 or -1 (unknown: no event). */
static int data_offset(pid_t tid, struct ff_dur_op *op, int64_t ret, uint64_t *off)
{
	struct stat sb;
	int64_t pos;
	long fl;
	if (op->deferred) {
		*off = op->off;
		return 0;
	}
	if (fd_info(tid, op->fd, &pos, &fl) < 0)
		return -1;
	op->append = fl & O_APPEND;
	op->sync_fd = fl & (O_SYNC | O_DSYNC);
	if (op->aux && op->type == OP_DATA && op->off == UINT64_MAX) {
		uint64_t v = 0; /* copy_file_range's off_out, advanced by the call */
		if (ff_peek(tid, op->aux, &v, sizeof(v)) != sizeof(v))
			return -1;
		*off = v - (uint64_t)ret;
	} else if (op->append && fstat(op->ino->fd, &sb) == 0) {
		*off = (uint64_t)sb.st_size - (uint64_t)ret; /* appended: it ends at the end */
	} else if (op->off != UINT64_MAX) {
		*off = op->off;
	} else {
		if (pos < ret)
			return -1;
		*off = (uint64_t)(pos - ret);
	}
	return 0;
}

static void data_event(struct ff_durable *d, pid_t tid, struct ff_dur_op *op, int64_t ret)
{
	struct ff_dur_ino *ino = op->ino;
	uint64_t off;
	if (ino->fd < 0 || data_offset(tid, op, ret, &off) < 0)
		return;
	if ((uint64_t)ret > FF_DUR_MAX_BYTES || d->bytes + (uint64_t)ret > FF_DUR_MAX_BYTES) {
		d->st.overflow = true;
		return;
	}
	uint8_t *buf = ff_xmalloc((size_t)ret + 1);
	/* What landed is what the file holds there now. */
	ssize_t n = pread(ino->fd, buf, (size_t)ret, (off_t)off);
	data_landed(d, op, off, buf, n > 0 ? (size_t)n : 0);
}

/* A deferred write over: one read measures and copies what landed. */
static void settle_copy(struct ff_durable *d, struct ff_dur_op *op)
{
	uint8_t *buf = op->dlen <= FF_DUR_MAX_BYTES ? ff_xmalloc((size_t)op->dlen + 1) : NULL;
	ssize_t n = buf ? pread(op->ino->fd, buf, (size_t)op->dlen, (off_t)op->off) : -1;
	if (n > 0 && d->bytes + (uint64_t)n <= FF_DUR_MAX_BYTES) {
		data_landed(d, op, op->off, buf, (size_t)n);
	} else {
		d->st.overflow |= n > 0 || !buf;
		free(buf);
	}
}

/* A deferred write over: the file's end measures what landed; its range
 * only becomes the event, the data stays in the file until something may
 * change it (ff_dur_fill). Shared mappings and O_SYNC fds copy at once. */
static void settle_lazy(struct ff_durable *d, struct ff_dur_op *op)
{
	struct ff_dur_ino *ino = op->ino;
	if (op->dlen > FF_DUR_MAX_BYTES || ino->mapped || d->shared_map || op->sync_fd)
		return settle_copy(d, op);
	off_t end = lseek(ino->fd, 0, SEEK_END);
	if (end < 0)
		return;
	d->end_ino = ino;
	d->end = (uint64_t)end;
	uint64_t n = (uint64_t)end > op->off ? (uint64_t)end - op->off : 0;
	n = n < op->dlen ? n : op->dlen;
	if (!n)
		return;
	if (d->bytes + n > FF_DUR_MAX_BYTES) {
		d->st.overflow = true;
		return;
	}
	data_landed(d, op, op->off, NULL, (size_t)n);
	d->ev[d->nev - 1].lazy = true;
	if (!ino->nlazy++)
		ino->lazy_from = d->nev - 1;
}

void ff_durable_settle(struct ff_durable *d, struct ff_dur_op *op)
{
	if (!op->deferred)
		return;
	/* The file ended at or before off: what it holds from off on is what
	 * the write landed. */
	settle_lazy(d, op);
	ff_durable_op_clear(op);
}

/* A successful fsync, fdatasync or msync(MS_SYNC) of ino: its data is
 * durable, including what reached it through a shared writable mapping
 * (which the model does not see call by call): then the base is re-read. */
static void sync_file(struct ff_durable *d, pid_t tid, struct ff_dur_ino *ino)
{
	ff_dur_fsync_file(d, ino);
	uint8_t *buf;
	size_t len;
	if (ino->fd >= 0 && ff_map_shared_write(tid, ino->dev, ino->ino) &&
	    ff_read_fd(ino->fd, SIZE_MAX, &buf, &len) == 0) {
		d->bytes += len > ino->blen ? len - ino->blen : 0;
		free(ino->base);
		ino->base = buf;
		ino->blen = len;
	}
}

/* A new size of op's file (a truncation, or an open with O_TRUNC). */
static void size_event(struct ff_durable *d, const struct ff_dur_op *op, uint64_t size)
{
	struct dur_ev *e = ff_dur_event(d, EV_SIZE);
	e->ino = op->ino;
	e->size = size;
	e->key = ff_dur_key(d, "size", op->ino->path);
}

/* fallocate: the file's content as it is now replaces it (holes, sizes). */
static void replace_event(struct ff_durable *d, const struct ff_dur_op *op)
{
	struct dur_ev *e = ff_dur_event(d, EV_REPLACE);
	e->ino = op->ino;
	e->key = op->key;
	if (ff_read_fd(op->ino->fd, SIZE_MAX, &e->data, &e->len) == 0)
		d->bytes += e->len;
}

/* A name call that returned ret: its event, if it changed a name. */
static void name_exit(struct ff_durable *d, struct ff_dur_op *op, int64_t ret)
{
	if (op->type == OP_OPEN && ret >= 0 && !op->existed)
		name_event(d, EV_CREATE, op);
	else if (op->type == OP_OPEN && ret >= 0 && op->ino && (op->aux & O_TRUNC))
		size_event(d, op, 0);
	if (ret != 0)
		return;
	if (op->type == OP_RENAME)
		name_event(d, (op->aux & RENAME_EXCHANGE) ? EV_EXCHANGE : EV_RENAME, op);
	else if (op->type == OP_UNLINK)
		name_event(d, op->victim && op->victim->type == FF_VIC_DIR ? EV_RMDIR : EV_UNLINK, op);
	else if (op->type == OP_MKDIR)
		name_event(d, EV_MKDIR, op);
	else if (op->type == OP_LINK)
		name_event(d, EV_LINK, op);
	else if (op->type == OP_SYMLINK)
		name_event(d, EV_SYMLINK, op);
}

void ff_durable_exit(struct ff_durable *d, pid_t tid, struct ff_dur_op *op, int64_t ret)
{
	if (!op->type || !op->runs) {
		ff_durable_op_clear(op);
		return;
	}
	switch (op->type) {
	case OP_DATA:
		if (ret > 0)
			data_event(d, tid, op, ret);
		break;
	case OP_TRUNC:
		if (ret == 0)
			size_event(d, op, op->aux);
		break;
	case OP_FALLOC:
		if (ret == 0 && op->ino->fd >= 0)
			replace_event(d, op);
		break;
	case OP_FSYNC:
		if (ret == 0 && op->path)
			ff_dur_fsync_dir(d, op->path);
		else if (ret == 0 && op->ino)
			sync_file(d, tid, op->ino);
		else if (ret < 0 && op->ino && d->fsyncf == FF_FSYNCF_DROP)
			ff_dur_drop(d, op->ino); /* a real writeback error: the same as an injected one */
		break;
	case OP_SYNCALL:
		if (ret == 0)
			ff_dur_sync_all(d);
		break;
	default:
		name_exit(d, op, ret);
		break;
	}
	ff_durable_op_clear(op);
}

void ff_durable_abandon(struct ff_durable *d, struct ff_dur_op *op)
{
	if (op->deferred) {
		/* It returned before its task died: the file says what landed. */
		ff_durable_settle(d, op);
		return;
	}
	/* The task died inside the call (the cut, or the end of the run): the
	 * kernel may have finished it. Name changes that happened are events;
	 * data that landed unseen is lost at the cut, as if it never had. */
	struct stat sb;
	bool now = op->path && lstat(op->path, &sb) == 0;
	bool old_now = op->path2 && lstat(op->path2, &sb) == 0;
	int64_t ret = -1;
	if (!op->type || !op->runs) {
		ff_durable_op_clear(op);
		return;
	}
	switch (op->type) {
	case OP_OPEN:
	case OP_MKDIR:
	case OP_LINK:
	case OP_SYMLINK:
		ret = !op->existed && now ? 0 : -1;
		if (op->type == OP_OPEN && ret == 0)
			op->aux &= ~(uint64_t)O_TRUNC;
		break;
	case OP_UNLINK:
		ret = op->existed && !now ? 0 : -1;
		break;
	case OP_RENAME:
		ret = !(op->aux & RENAME_EXCHANGE) && now && !old_now ? 0 : -1;
		break;
	default:
		break;
	}
	if (ret == 0)
		ff_durable_exit(d, 0, op, 0);
	ff_durable_op_clear(op);
}
