/* Logical sites: what a call is about, independent of tids, fds and ASLR.
 *
 * A site is (syscall, path, ordinal). The path is the fd's file as
 * /proc/TID/fd/N names it, made relative to the directory the run started
 * in (so a trace replays in another directory); pipes and sockets become
 * "pipe:" and "socket:" (their inode numbers change from run to run). The
 * ordinal counts the calls of that syscall on that path. docs/determinism.md
 * lists the limits. */
#ifndef FF_SITE_H
#define FF_SITE_H
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "core/catalogue.h"
#include "core/trace/trace.h"

#define FF_FDCACHE_MAX 1024

struct ff_fdcache_ent {
	enum ff_fdkind kind;
	int sotype; /* sockets: SOCK_STREAM, SOCK_DGRAM ...; 0 not probed yet */
	char *path; /* normalized ("" for kinds that were not eligible); NULL: empty slot */
};

/* Per-process fd -> (kind, path) cache. Exact, not validated: the tracer
 * drops entries at close, close_range, dup2, dup3 and exec, the only ways an
 * fd number can start naming another file. */
struct ff_fdcache {
	struct ff_fdcache_ent ent[FF_FDCACHE_MAX];
};

struct ff_fdinfo {
	enum ff_fdkind kind;
	char path[4096 + 32];
};

/* Classifies fd of task tid and, when its kind is in kind_mask, names it.
 * Returns 0, or -errno (e.g. the fd is already closed). */
int ff_fd_resolve(pid_t tid, int fd, const char *cwd, struct ff_fdcache *cache, uint32_t kind_mask,
		  struct ff_fdinfo *out);
/* Forgets fds first..last. */
void ff_fdcache_drop(struct ff_fdcache *c, unsigned long first, unsigned long last);
void ff_fdcache_clear(struct ff_fdcache *c);

/* A path argument as the tracee passed it, relative to dirfd (AT_FDCWD: the
 * task's cwd), made absolute and cleaned lexically (symlinks not followed: a
 * name that does not exist yet has one too). An empty path names dirfd
 * itself (AT_EMPTY_PATH). Returns 0 or -errno. The durability model builds
 * on it and makes the parent canonical (realpath), as a directory fd names it. */
int ff_path_absolute(pid_t tid, int dirfd, const char *path, char *out, size_t size);
/* The site name of a path argument: ff_path_absolute, then normalized
 * against cwd (relative inside it). Returns 0 or -errno. */
int ff_path_resolve(pid_t tid, int dirfd, const char *path, const char *cwd, char *out, size_t size);
/* Lexically cleans an absolute path: "//" and "/./" collapse, "x/.." drops x. */
void ff_path_clean(char *p);
/* Does path match any of the globs? A glob without '/' also matches the basename. */
bool ff_path_match(const char *path, char *const *globs, int nglobs);
/* One read of fd's /proc fdinfo in task tid: its position and open flags
 * (either may be NULL). Returns 0 or -errno. */
int ff_fdinfo(pid_t tid, int fd, int64_t *pos, int *flags);
/* The open flags (O_ACCMODE, O_NONBLOCK ...) of fd of tid, or -errno. */
int ff_fd_flags(pid_t tid, int fd);
/* Is fd of tid in non-blocking mode? Returns 1, 0, or -errno. */
int ff_fd_nonblock(pid_t tid, int fd);
/* The socket type (SOCK_STREAM ...) of fd in process tgid, or -errno. */
int ff_fd_sotype(pid_t tgid, int fd);

/* Rewrites a /proc fd link target into a site path (in place). */
void ff_path_normalize(char *path, size_t size, const char *cwd);

/* Site patterns (core/site_pattern.c): the first of pats that path
 * matches (fnmatch, '*' within one component), or path itself. */
const char *ff_site_pattern(char *const *pats, int n, const char *path);
/* The pattern of two names one drawing made differently ("tmp_obj_Ab3dE1",
 * "tmp_obj_x9Pq2Z" -> "tmp_obj_*") into out. Returns 0, or -1 if they are
 * not that. */
int ff_site_pattern_of(const char *a, const char *b, char *out, size_t len);
/* The patterns of the stream paths two fault-free runs do not share, into
 * *out (malloc'd strings). Returns how many. */
size_t ff_site_patterns_learn(const struct ff_trace *a, const struct ff_trace *b, char ***out);
/* The patterns a trace's streams carry (paths with a '*'). Returns how many. */
size_t ff_site_patterns_in(const struct ff_trace *t, char ***out);

/* The index of streams (sites without ordinal) of a trace being recorded. */
struct ff_sites {
	struct ff_trace *t;
	size_t *slot; /* stream index + 1; 0 empty */
	uint64_t *hash;
	size_t nslots, used;
	pid_t *writer; /* first tid that used each stream */
	bool *multi;   /* more than one tid used it: ordinals may vary */
	size_t wcap;
	size_t last; /* the stream the previous lookup found, + 1; 0: none */
};

void ff_sites_init(struct ff_sites *s, struct ff_trace *t);
void ff_sites_free(struct ff_sites *s);
/* Returns the index in s->t->streams of (sc, path), adding it if new. */
size_t ff_sites_get(struct ff_sites *s, const char *sc, const char *path, pid_t tid);

/* A read-only lookup index over any trace (replay). Returns index or -1. */
struct ff_site_index {
	size_t *slot;
	uint64_t *hash;
	size_t nslots;
};
void ff_site_index_build(struct ff_site_index *ix, const struct ff_trace *t);
long ff_site_index_find(const struct ff_site_index *ix, const struct ff_trace *t, const char *sc, const char *path);
void ff_site_index_free(struct ff_site_index *ix);

#endif
