/* The cut: write back what the disk would hold after the power went, then
 * hash that state so a replay can prove it reached the same one. */
#define _XOPEN_SOURCE 700
#include "core/durable_int.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <xxhash.h>

#include "core/util.h"

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

/* torn: does piece p of data event e reach the disk? A coin per piece, keyed
 * by the seed and the call that wrote it, so replay flips the same coins. */
static bool keep_piece(const struct dur_ev *e, uint64_t p)
{
	return XXH3_64bits_withSeed(&p, sizeof(p), e->key ^ 0x6e726f74ull) & 1;
}

/* Does any of e reach the disk? */
static bool lands(const struct dur_ev *e)
{
	if (!e->survives)
		return false;
	if (e->type == EV_REPLACE)
		return keep_piece(e, 0);
	if (e->type != EV_DATA || !e->len)
		return true;
	for (uint64_t p = e->off / FF_DUR_PIECE; p * FF_DUR_PIECE < e->off + e->len; p++)
		if (keep_piece(e, p))
			return true;
	return false;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb, (void)flag, (void)ftw;
	return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

/* Writes content back into a followed file. */
static int write_back(struct ff_dur_ino *ino, const uint8_t *buf, size_t len)
{
	if (ino->fd < 0)
		return -EACCES;
	if (ftruncate(ino->fd, (off_t)len) < 0)
		return -errno;
	for (size_t done = 0; done < len;) {
		ssize_t n = pwrite(ino->fd, buf + done, len - done, (off_t)done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		done += (size_t)n;
	}
	return 0;
}

/* Puts back what a removed or replaced name held. */
static int recreate(const char *path, const struct ff_dur_victim *v)
{
	switch (v->type) {
	case FF_VIC_LNK:
		return symlink(v->target, path) < 0 ? -errno : 0;
	case FF_VIC_DIR:
		return mkdir(path, v->mode) < 0 && errno != EEXIST ? -errno : 0;
	case FF_VIC_REG: {
		uint8_t *buf = NULL;
		size_t len = 0;
		int rc = 0;
		if (v->ino->fd >= 0)
			rc = ff_dur_slurp(v->ino->fd, &buf, &len); /* already at its post-cut content */
		else
			buf = ff_xmalloc(v->ino->blen + 1), memcpy(buf, v->ino->base, v->ino->blen), len = v->ino->blen;
		if (rc < 0)
			return rc;
		unlink(path);
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, v->mode);
		if (fd < 0) {
			free(buf);
			return -errno;
		}
		for (size_t done = 0; done < len && rc == 0;) {
			ssize_t n = write(fd, buf + done, len - done);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				rc = n < 0 ? -errno : -EIO;
			else
				done += (size_t)n;
		}
		if (fchmod(fd, v->mode) < 0 && rc == 0)
			rc = -errno;
		close(fd);
		free(buf);
		return rc;
	}
	default:
		return 0;
	}
}

/* Undoes one name event that did not reach the disk. */
static int undo(const struct dur_ev *e)
{
	int rc = 0;
	switch (e->type) {
	case EV_CREATE:
	case EV_LINK:
	case EV_SYMLINK:
		rc = unlink(e->path) < 0 ? -errno : 0;
		break;
	case EV_MKDIR:
		rc = nftw(e->path, rm_entry, 16, FTW_DEPTH | FTW_PHYS) < 0 ? -errno : 0;
		break;
	case EV_RENAME:
		if (rename(e->path, e->path2) < 0)
			return -errno;
		if (e->victim)
			rc = recreate(e->path, e->victim);
		break;
	case EV_EXCHANGE:
		rc = syscall(SYS_renameat2, AT_FDCWD, e->path, AT_FDCWD, e->path2, RENAME_EXCHANGE) < 0 ? -errno : 0;
		break;
	case EV_UNLINK:
	case EV_RMDIR:
		if (e->victim)
			rc = recreate(e->path, e->victim);
		break;
	default:
		break;
	}
	return rc == -ENOENT ? 0 : rc; /* already gone: what undo wanted */
}

/* Names whose changes stopped reaching the disk (a set of strings). */
struct lostset {
	const char **s;
	size_t cap, n;
};

static uint64_t name_hash(const char *s)
{
	return XXH3_64bits(s, strlen(s));
}

static bool lost_has(const struct lostset *l, const char *s)
{
	if (!s || !l->cap)
		return false;
	for (size_t j = name_hash(s) & (l->cap - 1); l->s[j]; j = (j + 1) & (l->cap - 1))
		if (!strcmp(l->s[j], s))
			return true;
	return false;
}

static void lost_add(struct lostset *l, const char *s)
{
	if (!s || lost_has(l, s))
		return;
	if (2 * (l->n + 1) > l->cap) {
		struct lostset g = {ff_xcalloc(l->cap ? 2 * l->cap : 64, sizeof(char *)), l->cap ? 2 * l->cap : 64, 0};
		for (size_t i = 0; i < l->cap; i++)
			if (l->s[i])
				lost_add(&g, l->s[i]);
		free(l->s);
		*l = g;
	}
	size_t j = name_hash(s) & (l->cap - 1);
	while (l->s[j])
		j = (j + 1) & (l->cap - 1);
	l->s[j] = s;
	l->n++;
}

/* The names a metadata event changes, and the directories it needs. */
static void event_names(const struct dur_ev *e, const char *out[5])
{
	memset(out, 0, 5 * sizeof(*out));
	if (e->type == EV_SIZE) {
		out[0] = e->ino ? e->ino->path : NULL;
		return;
	}
	out[0] = e->path, out[1] = e->path2, out[2] = e->dir, out[3] = e->dir2;
}

/* Decides which unsynced events survive: none (lose-all), or for torn a
 * coin per event keyed by its call, within the model's rules: the changes
 * to one name (and to the directories it lives in) reach the disk in order,
 * so once one is lost every later change to that name is lost too; changes
 * to different names are independent (so the outcome does not depend on how
 * threads interleaved them); data lands in pieces, a coin each (keep_piece). */
static void choose(struct ff_durable *d)
{
	struct lostset lost = {0};
	for (size_t i = 0; i < d->nev; i++) {
		struct dur_ev *e = &d->ev[i];
		if (e->state != ES_PENDING)
			continue;
		if (!ff_dur_is_meta(e->type)) {
			e->survives = d->mode == FF_CRASH_TORN;
			continue;
		}
		const char *names[5];
		event_names(e, names);
		bool ok = d->mode == FF_CRASH_TORN && (XXH3_64bits_withSeed(&e->key, sizeof(e->key), d->seed) & 1);
		for (int j = 0; j < 5 && ok; j++)
			ok = !lost_has(&lost, names[j]);
		e->survives = ok;
		if (!ok)
			for (int j = 0; j < 2; j++) /* what it changed: paths, not the directories it needed */
				lost_add(&lost, names[j]);
	}
	free(lost.s);
}

static int restore_file(struct ff_durable *d, struct ff_dur_ino *ino)
{
	bool touched = false;
	/* pending or dropped events: the file is not at its durable content */
	for (size_t i = 0; i < d->nev && !touched; i++)
		touched = d->ev[i].ino == ino && d->ev[i].state != ES_DURABLE;
	if (!touched)
		return 0;
	uint8_t *buf = ff_xmalloc(ino->blen + 1);
	size_t len = ino->blen;
	memcpy(buf, ino->base, len);
	int rc = 0;
	for (size_t i = 0; i < d->nev && rc == 0; i++) {
		struct dur_ev *e = &d->ev[i];
		if (e->ino != ino || e->state != ES_PENDING || !e->survives)
			continue;
		rc = ff_dur_apply(e, &buf, &len, e->type == EV_SIZE ? NULL : keep_piece);
	}
	if (rc == 0)
		rc = write_back(ino, buf, len);
	free(buf);
	return rc;
}

int ff_durable_cut(struct ff_durable *d, uint64_t *hash, uint64_t *nfiles, char *err, size_t errlen)
{
	int rc = 0;
	err[0] = 0;
	if (d->mode != FF_CRASH_KEEP_ALL) {
		choose(d);
		for (size_t i = 0; i < d->nev; i++)
			d->st.lost += d->ev[i].state == ES_PENDING && !lands(&d->ev[i]);
		for (struct ff_dur_ino *ino = d->inos; ino; ino = ino->next) {
			int r = restore_file(d, ino);
			if (r < 0 && rc == 0) {
				rc = r;
				snprintf(err, errlen, "cannot restore %s: %s", ino->path, strerror(-r));
			}
		}
		for (size_t i = d->nev; i-- > 0;) {
			const struct dur_ev *e = &d->ev[i];
			if (e->state != ES_PENDING || e->survives || !ff_dur_is_meta(e->type) || e->type == EV_SIZE)
				continue;
			int r = undo(e);
			if (r < 0 && rc == 0) {
				rc = r;
				snprintf(err, errlen, "cannot undo a change of %s: %s", e->path, strerror(-r));
			}
		}
	}
	*hash = ff_durable_state_hash(d, nfiles);
	return rc;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct dur_name *)a)->abs, ((const struct dur_name *)b)->abs);
}

uint64_t ff_durable_state_hash(struct ff_durable *d, uint64_t *nfiles)
{
	/* Sorted copies: the index points into d->names, which stays as it is. */
	struct dur_name *names = ff_xcalloc(d->nnames + 1, sizeof(*names));
	if (d->nnames)
		memcpy(names, d->names, d->nnames * sizeof(*names));
	qsort(names, d->nnames, sizeof(*names), cmp_name);
	XXH3_state_t *st = XXH3_createState();
	XXH3_64bits_reset(st);
	uint64_t n = 0;
	for (size_t i = 0; i < d->nnames; i++) {
		const char *abs = names[i].abs;
		const char *rel = ff_dur_rel(d, abs);
		struct stat sb;
		uint8_t tag = 'A';
		bool exists = lstat(abs, &sb) == 0;
		/* A name the run made and the cut took away is no part of the state:
		 * how far other tasks got before the cut must not change the hash. */
		if (!exists && !names[i].pre)
			continue;
		XXH3_64bits_update(st, rel, strlen(rel) + 1);
		if (!exists) {
			XXH3_64bits_update(st, &tag, 1);
			continue;
		}
		n++;
		uint32_t mode = sb.st_mode & 07777;
		tag = S_ISREG(sb.st_mode) ? 'F' : S_ISDIR(sb.st_mode) ? 'D' : S_ISLNK(sb.st_mode) ? 'L' : 'O';
		XXH3_64bits_update(st, &tag, 1);
		XXH3_64bits_update(st, &mode, sizeof(mode));
		if (tag == 'L') {
			char t[PATH_MAX];
			ssize_t l = readlink(abs, t, sizeof(t));
			if (l > 0)
				XXH3_64bits_update(st, t, (size_t)l);
		} else if (tag == 'F') {
			uint64_t size = (uint64_t)sb.st_size;
			XXH3_64bits_update(st, &size, sizeof(size));
			int fd = open(abs, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
			uint8_t buf[65536];
			ssize_t r;
			while (fd >= 0 && ((r = read(fd, buf, sizeof(buf))) > 0 || (r < 0 && errno == EINTR)))
				if (r > 0)
					XXH3_64bits_update(st, buf, (size_t)r);
			if (fd >= 0)
				close(fd);
		}
	}
	uint64_t h = XXH3_64bits_digest(st);
	XXH3_freeState(st);
	free(names);
	*nfiles = n;
	return h;
}
