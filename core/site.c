#include "core/site.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <stdint.h>
#include <unistd.h>
#include <xxhash.h>

#include "core/util.h"

static enum ff_fdkind kind_of(const struct stat *st)
{
	switch (st->st_mode & S_IFMT) {
	case S_IFREG:
	case S_IFDIR: /* fsync of a directory makes a rename durable; getdents64 reads one */
		return FF_FD_FILE;
	case S_IFIFO:
		return FF_FD_PIPE;
	case S_IFSOCK:
		return FF_FD_SOCKET;
	case S_IFCHR: {
		unsigned maj = major(st->st_rdev);
		/* 4: virtual consoles and ttyS, 5: /dev/tty and ptmx, 136-143: pts */
		if (maj == 4 || maj == 5 || (maj >= 136 && maj <= 143))
			return FF_FD_TTY;
		return FF_FD_DEV;
	}
	case S_IFBLK:
		return FF_FD_DEV;
	default:
		return FF_FD_OTHER;
	}
}

void ff_path_normalize(char *path, size_t size, const char *cwd)
{
	size_t cl = strlen(cwd);
	/* Inode numbers of pipes and sockets differ between runs. */
	if (!strncmp(path, "pipe:[", 6)) {
		snprintf(path, size, "pipe:");
		return;
	}
	if (!strncmp(path, "socket:[", 8)) {
		snprintf(path, size, "socket:");
		return;
	}
	if (cl == 1 && cwd[0] == '/') { /* started in / */
		if (path[0] == '/' && path[1])
			memmove(path, path + 1, strlen(path));
		return;
	}
	if (!strncmp(path, cwd, cl)) {
		if (path[cl] == '/')
			memmove(path, path + cl + 1, strlen(path + cl + 1) + 1);
		else if (path[cl] == 0)
			snprintf(path, size, ".");
	}
}

int ff_fd_resolve(pid_t tid, int fd, const char *cwd, struct ff_fdcache *cache, uint32_t kind_mask,
		  struct ff_fdinfo *out)
{
	struct ff_fdcache_ent *e = NULL;
	if (cache && fd >= 0 && fd < FF_FDCACHE_MAX) {
		e = &cache->ent[fd];
		if (e->path) {
			/* The hot path of every call on a known fd: a plain copy. */
			size_t n = strnlen(e->path, sizeof(out->path) - 1);
			out->kind = e->kind;
			memcpy(out->path, e->path, n);
			out->path[n] = 0;
			return 0;
		}
	}
	char link[64];
	struct stat st;
	snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int)tid, fd);
	if (stat(link, &st) < 0)
		return -errno;
	out->kind = kind_of(&st);
	out->path[0] = 0;
	if (kind_mask & (1u << out->kind)) {
		ssize_t n = readlink(link, out->path, sizeof(out->path) - 1);
		if (n < 0)
			return -errno;
		out->path[n] = 0;
		ff_path_normalize(out->path, sizeof(out->path), cwd);
		out->path[FF_TRACE_MAX_STR] = 0; /* the trace's limit; PATH_MAX is the same */
	}
	if (e) {
		e->kind = out->kind;
		e->sotype = 0;
		e->path = ff_xstrdup(out->path);
	}
	return 0;
}

void ff_path_clean(char *p)
{
	char *out = p, *in = p;
	if (*in != '/')
		return;
	while (*in) {
		while (*in == '/')
			in++;
		char *seg = in;
		while (*in && *in != '/')
			in++;
		size_t len = (size_t)(in - seg);
		if (len == 0 || (len == 1 && seg[0] == '.'))
			continue;
		if (len == 2 && seg[0] == '.' && seg[1] == '.') {
			while (out > p && *--out != '/')
				;
			continue;
		}
		*out++ = '/';
		memmove(out, seg, len);
		out += len;
	}
	if (out == p)
		*out++ = '/';
	*out = 0;
}

int ff_path_absolute(pid_t tid, int dirfd, const char *path, char *out, size_t size)
{
	char link[64];
	int rc;
	if (path[0] == '/') {
		snprintf(out, size, "%s", path);
	} else {
		if (dirfd == AT_FDCWD)
			snprintf(link, sizeof(link), "/proc/%d/cwd", (int)tid);
		else
			snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int)tid, dirfd);
		if ((rc = ff_readlink(link, out, size)) < 0)
			return rc;
		if (path[0]) {
			size_t l = strlen(out);
			if (l + 1 + strlen(path) + 1 > size)
				return -ENAMETOOLONG;
			snprintf(out + l, size - l, "/%s", path);
		}
	}
	ff_path_clean(out);
	return 0;
}

int ff_path_resolve(pid_t tid, int dirfd, const char *path, const char *cwd, char *out, size_t size)
{
	int rc = ff_path_absolute(tid, dirfd, path, out, size);
	if (rc < 0)
		return rc;
	ff_path_normalize(out, size, cwd);
	if (strlen(out) > FF_TRACE_MAX_STR)
		out[FF_TRACE_MAX_STR] = 0;
	return 0;
}

bool ff_path_match(const char *path, char *const *globs, int nglobs)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	for (int i = 0; i < nglobs; i++) {
		if (fnmatch(globs[i], path, 0) == 0)
			return true;
		if (!strchr(globs[i], '/') && fnmatch(globs[i], base, 0) == 0)
			return true;
	}
	return false;
}

int ff_fdinfo(pid_t tid, int fd, int64_t *pos, int *flags)
{
	char p[64], buf[256];
	snprintf(p, sizeof(p), "/proc/%d/fdinfo/%d", (int)tid, fd);
	long n = ff_read_small(p, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	char *s = strstr(buf, "pos:"), *f = strstr(buf, "flags:");
	if (!s || !f)
		return -EIO;
	if (pos)
		*pos = strtoll(s + 4, NULL, 10);
	if (flags)
		*flags = (int)strtoul(f + 6, NULL, 8);
	return 0;
}

int ff_fd_flags(pid_t tid, int fd)
{
	int flags, rc = ff_fdinfo(tid, fd, NULL, &flags);
	return rc < 0 ? rc : flags;
}

int ff_fd_nonblock(pid_t tid, int fd)
{
	int flags = ff_fd_flags(tid, fd);
	return flags < 0 ? flags : (flags & O_NONBLOCK) ? 1 : 0;
}

int ff_fd_sotype(pid_t tgid, int fd)
{
	/* A copy of the tracee's socket answers getsockopt for it. */
	int pidfd = (int)syscall(SYS_pidfd_open, tgid, 0);
	if (pidfd < 0)
		return -errno;
	int local = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	int e = errno;
	close(pidfd);
	if (local < 0)
		return -e;
	int type = 0;
	socklen_t len = sizeof(type);
	int rc = getsockopt(local, SOL_SOCKET, SO_TYPE, &type, &len) < 0 ? -errno : type;
	close(local);
	return rc;
}

void ff_fdcache_drop(struct ff_fdcache *c, unsigned long first, unsigned long last)
{
	if (last >= FF_FDCACHE_MAX)
		last = FF_FDCACHE_MAX - 1;
	for (unsigned long i = first; i <= last; i++) {
		free(c->ent[i].path);
		c->ent[i].path = NULL;
	}
}

void ff_fdcache_clear(struct ff_fdcache *c)
{
	ff_fdcache_drop(c, 0, FF_FDCACHE_MAX - 1);
}

static uint64_t key_hash(const char *sc, const char *path)
{
	/* Both strings are bounded (syscall names; FF_TRACE_MAX_STR paths). */
	char key[64 + FF_TRACE_MAX_STR + 2];
	size_t sl = strnlen(sc, 63), pl = strnlen(path, FF_TRACE_MAX_STR);
	memcpy(key, sc, sl);
	key[sl] = 0;
	memcpy(key + sl + 1, path, pl);
	return XXH3_64bits(key, sl + 1 + pl);
}

static void rehash(size_t **slot, uint64_t **hash, size_t *nslots, size_t want)
{
	size_t n = 64;
	while (n < want * 2)
		n *= 2;
	size_t *ns = ff_xcalloc(n, sizeof(*ns));
	uint64_t *nh = ff_xcalloc(n, sizeof(*nh));
	for (size_t i = 0; i < *nslots; i++) {
		if (!(*slot)[i])
			continue;
		size_t j = (*hash)[i] & (n - 1);
		while (ns[j])
			j = (j + 1) & (n - 1);
		ns[j] = (*slot)[i];
		nh[j] = (*hash)[i];
	}
	free(*slot);
	free(*hash);
	*slot = ns;
	*hash = nh;
	*nslots = n;
}

static long probe(size_t *slot, const uint64_t *hash, size_t nslots, const struct ff_trace *t, uint64_t h,
		  const char *sc, const char *path, size_t *empty)
{
	if (!nslots)
		return -1;
	size_t j = h & (nslots - 1);
	while (slot[j]) {
		const struct ff_stream *s = &t->streams[slot[j] - 1];
		if (hash[j] == h && !strcmp(s->sc, sc) && !strcmp(s->path, path))
			return (long)slot[j] - 1;
		j = (j + 1) & (nslots - 1);
	}
	if (empty)
		*empty = j;
	return -1;
}

void ff_sites_init(struct ff_sites *s, struct ff_trace *t)
{
	memset(s, 0, sizeof(*s));
	s->t = t;
}

void ff_sites_free(struct ff_sites *s)
{
	free(s->slot);
	free(s->hash);
	free(s->writer);
	free(s->multi);
	memset(s, 0, sizeof(*s));
}

size_t ff_sites_get(struct ff_sites *s, const char *sc, const char *path, pid_t tid)
{
	long i;
	/* A program mostly calls the same site again and again: try it first. */
	if (s->last) {
		const struct ff_stream *st = &s->t->streams[s->last - 1];
		if (!strcmp(st->path, path) && !strcmp(st->sc, sc)) {
			i = (long)s->last - 1;
			goto found;
		}
	}
	uint64_t h = key_hash(sc, path);
	size_t empty = 0;
	i = probe(s->slot, s->hash, s->nslots, s->t, h, sc, path, &empty);
	if (i < 0) {
		if ((s->used + 1) * 2 > s->nslots) {
			rehash(&s->slot, &s->hash, &s->nslots, s->used + 1);
			probe(s->slot, s->hash, s->nslots, s->t, h, sc, path, &empty);
		}
		ff_trace_add_stream(s->t, sc, path);
		i = (long)s->t->nstreams - 1;
		s->slot[empty] = (size_t)i + 1;
		s->hash[empty] = h;
		s->used++;
		size_t wc = s->wcap, mc = s->wcap;
		ff_grow(&s->writer, &wc, s->t->nstreams, sizeof(*s->writer));
		ff_grow(&s->multi, &mc, s->t->nstreams, sizeof(*s->multi));
		s->wcap = wc;
		s->writer[i] = tid;
		s->multi[i] = false;
		s->last = (size_t)i + 1;
		return (size_t)i;
	}
found:
	if (s->writer[i] != tid)
		s->multi[i] = true;
	s->last = (size_t)i + 1;
	return (size_t)i;
}

void ff_site_index_build(struct ff_site_index *ix, const struct ff_trace *t)
{
	memset(ix, 0, sizeof(*ix));
	rehash(&ix->slot, &ix->hash, &ix->nslots, t->nstreams + 1);
	for (size_t i = 0; i < t->nstreams; i++) {
		uint64_t h = key_hash(t->streams[i].sc, t->streams[i].path);
		size_t empty = 0;
		if (probe(ix->slot, ix->hash, ix->nslots, t, h, t->streams[i].sc, t->streams[i].path, &empty) >= 0)
			continue; /* duplicate stream in a hostile trace: first wins */
		ix->slot[empty] = i + 1;
		ix->hash[empty] = h;
	}
}

long ff_site_index_find(const struct ff_site_index *ix, const struct ff_trace *t, const char *sc, const char *path)
{
	return probe(ix->slot, ix->hash, ix->nslots, t, key_hash(sc, path), sc, path, NULL);
}

void ff_site_index_free(struct ff_site_index *ix)
{
	free(ix->slot);
	free(ix->hash);
	memset(ix, 0, sizeof(*ix));
}
