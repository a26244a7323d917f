/* Fresh working directories and their digests. Every walk goes through
 * directory descriptors (openat and friends with O_NOFOLLOW), so a symlink
 * left by the target never leads a removal, copy or digest outside the tree,
 * and paths longer than PATH_MAX never need to be spelled out. */
#include "core/campaign/workdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "core/util.h"

/* Each level of a walk holds one descriptor open; deeper trees give -ELOOP. */
#define MAX_DEPTH 256
#define COPY_BUF  (64 * 1024)

/* Frees a name list from list_names. */
static void free_names(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Reads the names in directory dfd (without . and ..) into *out. The
 * directory stream is closed before returning so a deep walk keeps one
 * descriptor per level, not one DIR buffer. Returns 0 or -errno. */
static int list_names(int dfd, char ***out, size_t *n)
{
	char **v = NULL;
	size_t cap = 0, cnt = 0;
	int rc = 0;
	int fd = fcntl(dfd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	DIR *d = fdopendir(fd);
	if (!d) {
		rc = -errno;
		close(fd);
		return rc;
	}
	/* The duplicate shares dfd's offset. */
	rewinddir(d);
	for (;;) {
		errno = 0;
		struct dirent *e = readdir(d);
		if (!e) {
			rc = -errno;
			break;
		}
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		ff_grow(&v, &cap, cnt + 1, sizeof(*v));
		v[cnt++] = ff_xstrdup(e->d_name);
	}
	closedir(d);
	if (rc < 0) {
		free_names(v, cnt);
		return rc;
	}
	*out = v;
	*n = cnt;
	return 0;
}

/* Opens directory name under pfd for removal, granting ourselves u+rwx
 * first if the target took it away (a target may chmod its own dirs).
 * Returns the descriptor or -errno. */
static int open_for_removal(int pfd, const char *name)
{
	int fd = openat(pfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == EACCES) {
		struct stat st;
		/* O_NOFOLLOW failed with EACCES, not ELOOP, so name is a real
		 * directory: chmod (which would follow a symlink) is safe here. */
		if (fstatat(pfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode))
			fchmodat(pfd, name, (st.st_mode & 07777) | S_IRWXU, 0);
		fd = openat(pfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd < 0)
		return -errno;
	struct stat st;
	/* Write and search permission are needed to unlink the entries. */
	if (fstat(fd, &st) == 0 && (st.st_mode & S_IRWXU) != S_IRWXU)
		fchmod(fd, (st.st_mode & 07777) | S_IRWXU);
	return fd;
}

static int remove_tree_at(int pfd, const char *name, int depth);

/* Removes everything in directory fd (opened by open_for_removal), which is
 * at depth. Keeps going after an error so as much as possible goes; returns
 * 0 or the first -errno. */
static int empty_at(int fd, int depth)
{
	char **names = NULL;
	size_t n = 0;
	int rc = list_names(fd, &names, &n);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		int r = 0;
		if (fstatat(fd, names[i], &st, AT_SYMLINK_NOFOLLOW) < 0)
			r = errno == ENOENT ? 0 : -errno;
		else if (S_ISDIR(st.st_mode))
			r = remove_tree_at(fd, names[i], depth + 1);
		else if (unlinkat(fd, names[i], 0) < 0 && errno != ENOENT)
			r = -errno;
		if (r < 0 && !rc)
			rc = r;
	}
	free_names(names, n);
	return rc;
}

/* Removes directory name under pfd and its tree. Keeps going after an
 * error so as much as possible goes; returns 0 or the first -errno. */
static int remove_tree_at(int pfd, const char *name, int depth)
{
	if (depth >= MAX_DEPTH)
		return -ELOOP;
	int fd = open_for_removal(pfd, name);
	if (fd < 0)
		return fd == -ENOENT ? 0 : fd;
	int rc = empty_at(fd, depth);
	close(fd);
	if (unlinkat(pfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT && !rc)
		rc = -errno;
	return rc;
}

/* Copies dir without trailing slashes into a new string: "link/" would
 * make lstat and O_NOFOLLOW follow the link. Returns NULL for "/", "." and
 * "..", which are never removed. */
static char *clean_dir(const char *dir)
{
	char *p = ff_xstrdup(dir);
	size_t len = strlen(p);
	while (len > 1 && p[len - 1] == '/')
		p[--len] = '\0';
	const char *base = strrchr(p, '/');
	base = base ? base + 1 : p;
	if (!*base || !strcmp(base, ".") || !strcmp(base, "..")) {
		free(p);
		return NULL;
	}
	return p;
}

int ff_workdir_remove(const char *dir)
{
	struct stat st;
	int rc = 0;
	char *p = clean_dir(dir);
	if (!p)
		return -EINVAL;
	if (fstatat(AT_FDCWD, p, &st, AT_SYMLINK_NOFOLLOW) < 0)
		rc = errno == ENOENT ? 0 : -errno;
	else if (S_ISDIR(st.st_mode))
		rc = remove_tree_at(AT_FDCWD, p, 0);
	else if (unlink(p) < 0 && errno != ENOENT)
		rc = -errno; /* a file or a symlink: only the name goes */
	free(p);
	return rc;
}

/* Copies all of in to out through buf. Plain read/write keeps memory
 * bounded and works across filesystems. Returns 0 or -errno. */
static int copy_fd(int in, int out, char *buf)
{
	for (;;) {
		ssize_t r = read(in, buf, COPY_BUF);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return 0;
		for (ssize_t off = 0; off < r;) {
			ssize_t w = write(out, buf + off, (size_t)(r - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return -errno;
			off += w;
		}
	}
}

/* Reads symlink name under dfd into a new string. Returns 0 or -errno. */
static int read_link(int dfd, const char *name, size_t hint, char **out)
{
	/* st_size may be 0 or stale; grow until the target fits with room to spare. */
	size_t cap = hint + 2 > 256 ? hint + 2 : 256;
	for (;;) {
		char *t = ff_xmalloc(cap);
		ssize_t r = readlinkat(dfd, name, t, cap);
		if (r < 0) {
			int rc = -errno;
			free(t);
			return rc;
		}
		if ((size_t)r < cap) {
			t[r] = '\0';
			*out = t;
			return 0;
		}
		free(t);
		cap *= 2;
	}
}

static int copy_tree(int sfd, int dfd, int depth, char *buf);

/* A copy keeps its original's mode and times (programs such as gzip and cpio
 * store an input's mtime in their output: a copy dated now would make every
 * run's output differ), and its owner where we may set it. Returns 0 or -errno. */
static int keep_attrs(int fd, const struct stat *st, mode_t mode)
{
	if (fchown(fd, st->st_uid, st->st_gid) < 0 && errno != EPERM)
		return -errno;
	if (fchmod(fd, mode) < 0 || futimens(fd, (struct timespec[2]){st->st_atim, st->st_mtim}) < 0)
		return -errno;
	return 0;
}

/* Copies one entry name from sfd into dfd. Returns 0 or -errno. */
static int copy_entry(int sfd, int dfd, const char *name, int depth, char *buf)
{
	struct stat st;
	int rc = 0, in = -1, out = -1;
	char *target = NULL;
	if (fstatat(sfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	mode_t mode = st.st_mode & 07777;
	switch (st.st_mode & S_IFMT) {
	case S_IFREG:
		if ((in = openat(sfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
			rc = -errno;
			goto out;
		}
		/* Owner-writable while filling; the real mode comes after. */
		if ((out = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0) {
			rc = -errno;
			goto out;
		}
		if ((rc = copy_fd(in, out, buf)) < 0)
			goto out;
		rc = keep_attrs(out, &st, mode);
		break;
	case S_IFDIR:
		if (depth + 1 >= MAX_DEPTH) {
			rc = -ELOOP;
			goto out;
		}
		if (mkdirat(dfd, name, 0700) < 0) {
			rc = -errno;
			goto out;
		}
		if ((in = openat(sfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0 ||
		    (out = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
			rc = -errno;
			goto out;
		}
		if ((rc = copy_tree(in, out, depth + 1, buf)) < 0)
			goto out;
		/* Last, so a read-only template directory can still be filled
		 * and its mtime is not changed by the entries made in it. */
		rc = keep_attrs(out, &st, mode);
		break;
	case S_IFLNK:
		if ((rc = read_link(sfd, name, (size_t)st.st_size, &target)) < 0)
			goto out;
		if (symlinkat(target, dfd, name) < 0 ||
		    utimensat(dfd, name, (struct timespec[2]){st.st_atim, st.st_mtim}, AT_SYMLINK_NOFOLLOW) < 0)
			rc = -errno;
		break;
	default:
		break; /* fifos, sockets and devices are not part of a template */
	}
out:
	free(target);
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return rc;
}

/* Copies the entries of directory sfd into directory dfd. Returns 0 or -errno. */
static int copy_tree(int sfd, int dfd, int depth, char *buf)
{
	char **names = NULL;
	size_t n = 0;
	int rc = list_names(sfd, &names, &n);
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = copy_entry(sfd, dfd, names[i], depth, buf);
	free_names(names, n);
	return rc;
}

/* The mode of a directory made with mkdir(dir, 0755). */
static mode_t fresh_mode(void)
{
	static mode_t mode = 01000; /* not known yet */
	if (mode == 01000) {
		mode_t mask = umask(0);
		umask(mask);
		mode = 0755 & ~mask;
	}
	return mode;
}

/* Empties the real directory dir in place and gives it a new directory's
 * mode: a run directory emptied and reused costs no inode and no block to
 * free and allocate again, as removing and making it would. Returns its
 * descriptor, or -errno if it is not a directory that could be emptied. */
static int empty_dir(const char *dir)
{
	char *p = clean_dir(dir);
	if (!p)
		return -EINVAL;
	int fd = open_for_removal(AT_FDCWD, p);
	free(p);
	if (fd < 0)
		return fd;
	int rc = empty_at(fd, 0);
	if (!rc && fchmod(fd, fresh_mode()) < 0)
		rc = -errno;
	if (rc < 0) {
		close(fd);
		return rc;
	}
	return fd;
}

int ff_workdir_fresh(const char *dir, const char *template_dir)
{
	int rc, sfd = -1, dfd = empty_dir(dir);
	char *buf = NULL;
	if (dfd < 0) {
		/* Not there yet, or not a directory we can empty (a symlink, a file). */
		if ((rc = ff_workdir_remove(dir)) < 0)
			return rc;
		if (mkdir(dir, 0755) < 0)
			return -errno;
	}
	if (!template_dir) {
		if (dfd >= 0)
			close(dfd);
		return 0;
	}
	/* The template itself may be reached through a symlink; nothing below it is followed. */
	if ((sfd = open(template_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    (dfd < 0 && (dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)) {
		rc = -errno;
		goto out;
	}
	buf = ff_xmalloc(COPY_BUF);
	rc = copy_tree(sfd, dfd, 0, buf);
out:
	free(buf);
	if (sfd >= 0)
		close(sfd);
	if (dfd >= 0)
		close(dfd);
	return rc;
}

struct digest {
	char *const *ignore;
	int nignore;
	struct ff_mentry *v;
	size_t n, cap;
	XXH64_state_t *file; /* reused for every file's content */
	char *buf;
};

static int dent_cmp(const void *a, const void *b)
{
	const struct ff_mentry *x = a, *y = b;
	int c = strcmp(x->rel, y->rel);
	return c ? c : (int)x->type - (int)y->type;
}

/* Whether rel (basename base) matches an ignore glob, as workdir.h says. */
static int ignored(const struct digest *g, const char *rel, const char *base)
{
	for (int i = 0; i < g->nignore; i++) {
		const char *p = g->ignore[i];
		if (fnmatch(p, rel, 0) == 0)
			return 1;
		if (!strchr(p, '/') && fnmatch(p, base, 0) == 0)
			return 1;
	}
	return 0;
}

/* Hashes the rest of fd with XXH64 into *out. Returns 0 or -errno. */
static int hash_fd(struct digest *g, int fd, uint64_t *out)
{
	if (XXH64_reset(g->file, 0) != XXH_OK)
		return -ENOMEM;
	for (;;) {
		ssize_t r = read(fd, g->buf, COPY_BUF);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			break;
		XXH64_update(g->file, g->buf, (size_t)r);
	}
	*out = XXH64_digest(g->file);
	return 0;
}

/* Appends an entry; takes ownership of rel. Returns its index. */
static size_t add(struct digest *g, char *rel, uint8_t type, uint64_t val)
{
	ff_grow(&g->v, &g->cap, g->n + 1, sizeof(*g->v));
	g->v[g->n] = (struct ff_mentry){.rel = rel, .type = type, .val = val};
	return g->n++;
}

static void add_sized(struct digest *g, char *rel, uint8_t type, uint64_t val, uint64_t size)
{
	size_t at = add(g, rel, type, val); /* g->v moves */
	g->v[at].size = size;
}

/* Records the entries under directory dfd, whose relative path is prefix
 * ("" at the top). Only errors that make the whole digest meaningless
 * (listing, allocation, depth) fail it. Returns 0 or -errno. */
static int digest_tree(struct digest *g, int dfd, const char *prefix, int depth);

/* "prefix/name", malloc'd ("name" at the top). */
static char *join_rel(const char *prefix, const char *name)
{
	size_t pl = strlen(prefix), nl = strlen(name);
	char *rel = ff_xmalloc(pl + 1 + nl + 1);
	if (pl) {
		memcpy(rel, prefix, pl);
		rel[pl++] = '/';
	}
	memcpy(rel + pl, name, nl + 1);
	return rel;
}

/* One entry of a directory into g (rel is taken over); a directory recurses.
 * Returns 0 or -ELOOP (too deep). */
static int digest_entry(struct digest *g, int dfd, const char *name, char *rel, const struct stat *st, int depth)
{
	int fd, r;
	uint64_t h;
	char *target;
	switch (st->st_mode & S_IFMT) {
	case S_IFREG:
		/* O_NONBLOCK: should a fifo replace the file meanwhile, do not hang on it. */
		if ((fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)) < 0) {
			add(g, rel, FF_ME_ERROR, (uint64_t)errno);
			return 0;
		}
		r = hash_fd(g, fd, &h);
		close(fd);
		if (r < 0)
			add(g, rel, FF_ME_ERROR, (uint64_t)-r);
		else
			add_sized(g, rel, FF_ME_FILE, h, (uint64_t)st->st_size);
		return 0;
	case S_IFLNK:
		if ((r = read_link(dfd, name, (size_t)st->st_size, &target)) < 0) {
			add(g, rel, FF_ME_ERROR, (uint64_t)-r);
			return 0;
		}
		add(g, rel, FF_ME_LINK, XXH64(target, strlen(target), 0));
		free(target);
		return 0;
	case S_IFDIR: {
		if (depth + 1 >= MAX_DEPTH) {
			free(rel);
			return -ELOOP;
		}
		if ((fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
			add(g, rel, FF_ME_ERROR, (uint64_t)errno);
			return 0;
		}
		size_t at = add(g, rel, FF_ME_DIR, 0);
		/* g->v may move while recursing; pass a stable copy of the prefix. */
		char *sub = ff_xstrdup(g->v[at].rel);
		r = digest_tree(g, fd, sub, depth + 1);
		free(sub);
		close(fd);
		return r;
	}
	default:
		add(g, rel, FF_ME_OTHER, 0);
		return 0;
	}
}

static int digest_tree(struct digest *g, int dfd, const char *prefix, int depth)
{
	char **names = NULL;
	size_t n = 0;
	int rc = list_names(dfd, &names, &n);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n && rc == 0; i++) {
		char *rel = join_rel(prefix, names[i]);
		struct stat st;
		if (ignored(g, rel, names[i]))
			free(rel); /* an ignored directory takes its whole subtree with it */
		else if (fstatat(dfd, names[i], &st, AT_SYMLINK_NOFOLLOW) < 0)
			add(g, rel, FF_ME_ERROR, (uint64_t)errno);
		else
			rc = digest_entry(g, dfd, names[i], rel, &st, depth);
	}
	free_names(names, n);
	return rc;
}

/* Feeds one record into the outer hash: name and its NUL, the type byte,
 * and the value as 8 little-endian bytes, so the stream parses one way only. */
static void feed(XXH64_state_t *s, const char *name, size_t namelen, uint8_t type, uint64_t val)
{
	uint8_t tail[9];
	tail[0] = type;
	for (int i = 0; i < 8; i++)
		tail[1 + i] = (uint8_t)(val >> (8 * i));
	XXH64_update(s, name, namelen);
	XXH64_update(s, tail, sizeof(tail));
}

int ff_manifest_dir(const char *dir, char *const *ignore, int nignore, const char *extra, struct ff_manifest *out)
{
	struct digest g = {.ignore = ignore, .nignore = nignore};
	int rc = 0, dfd = -1, xfd = -1;
	uint64_t xh = 0;
	struct stat xst;
	memset(out, 0, sizeof(*out));
	g.file = XXH64_createState();
	if (!g.file) {
		rc = -ENOMEM;
		goto out;
	}
	g.buf = ff_xmalloc(COPY_BUF);
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		rc = -errno;
		goto out;
	}
	if ((rc = digest_tree(&g, dfd, "", 0)) < 0)
		goto out;
	/* A missing or unreadable stdout file is the caller's mistake, not run output: fail. */
	if (extra) {
		if ((xfd = open(extra, O_RDONLY | O_CLOEXEC)) < 0 || fstat(xfd, &xst) < 0) {
			rc = -errno;
			goto out;
		}
		if ((rc = hash_fd(&g, xfd, &xh)) < 0)
			goto out;
		/* Relative paths are never empty: "" names stdout and sorts first. */
		add_sized(&g, ff_xstrdup(""), FF_ME_STDOUT, xh, (uint64_t)xst.st_size);
	}
	/* Sorted by strcmp: nothing may depend on readdir order. */
	if (g.n)
		qsort(g.v, g.n, sizeof(*g.v), dent_cmp);
	out->v = g.v;
	out->n = g.n;
	g.v = NULL;
	g.n = 0;
out:
	if (xfd >= 0)
		close(xfd);
	if (dfd >= 0)
		close(dfd);
	for (size_t i = 0; i < g.n; i++)
		free(g.v[i].rel);
	free(g.v);
	free(g.buf);
	XXH64_freeState(g.file);
	return rc;
}

void ff_manifest_free(struct ff_manifest *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i].rel);
	free(m->v);
	m->v = NULL;
	m->n = 0;
}

uint64_t ff_manifest_digest(const struct ff_manifest *m)
{
	XXH64_state_t *all = XXH64_createState();
	if (!all)
		abort();
	XXH64_reset(all, 0);
	const struct ff_mentry *so = NULL;
	for (size_t i = 0; i < m->n; i++)
		if (m->v[i].type == FF_ME_STDOUT)
			so = &m->v[i];
		else
			feed(all, m->v[i].rel, strlen(m->v[i].rel) + 1, m->v[i].type, m->v[i].val);
	/* Last, and starting with NUL: stdout never collides with a file named "stdout". */
	if (so)
		feed(all, "\0stdout", sizeof("\0stdout"), FF_ME_FILE, so->val);
	uint64_t h = XXH64_digest(all);
	XXH64_freeState(all);
	return h;
}

int ff_digest_dir(const char *dir, char *const *ignore, int nignore, const char *extra, uint64_t *out)
{
	struct ff_manifest m;
	int rc = ff_manifest_dir(dir, ignore, nignore, extra, &m);
	if (rc < 0)
		return rc;
	*out = ff_manifest_digest(&m);
	ff_manifest_free(&m);
	return 0;
}
