/* The cut: write back what the disk would hold after the power went, then
 * hash that state so a replay can prove it reached the same one. */
#define _XOPEN_SOURCE 700
#include "core/durable/durable_int.h"

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

#include "core/trace/trace.h"
#include "core/util.h"

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
			rc = ff_read_fd(v->ino->fd, SIZE_MAX, &buf, &len); /* already at its post-cut content */
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

/* Decides which unsynced name and size changes survive (data: restore_file).
 * lose-all: none. torn, under a profile whose metadata reaches the disk in
 * one order (a journal: ext4, XFS, btrfs): a prefix of them, in call order,
 * its length a coin. torn under posix: a coin per change keyed by its call,
 * the changes to one name (and to the directories it lives in) in order, so
 * once one is lost every later change to that name is lost too; changes to
 * different names are independent (so the outcome does not depend on how
 * threads interleaved them). */
static void choose(struct ff_durable *d)
{
	struct lostset lost = {0};
	bool torn = d->mode == FF_CRASH_TORN, ordered = ff_dur_rules(d)->meta_in_order;
	uint64_t nmeta = 0, prefix = 0;
	for (size_t i = 0; i < d->nev; i++)
		nmeta += d->ev[i].state == ES_PENDING && ff_dur_is_meta(d->ev[i].type);
	if (torn && ordered) {
		static const char tag[] = "journal";
		prefix = XXH3_64bits_withSeed(tag, sizeof(tag), d->seed) % (nmeta + 1);
	}
	d->journal_end = d->nev;
	for (size_t i = 0, m = 0; i < d->nev; i++) {
		struct dur_ev *e = &d->ev[i];
		if (e->state == ES_PINNED)
			e->survives = true, e->rule = RULE_PINNED;
		if (e->state != ES_PENDING || !ff_dur_is_meta(e->type))
			continue;
		if (!torn) {
			e->survives = false, e->rule = RULE_LOST;
			continue;
		}
		if (ordered) {
			e->survives = m++ < prefix;
			e->rule = RULE_PREFIX;
			if (!e->survives && d->journal_end == d->nev)
				d->journal_end = i;
			continue;
		}
		const char *names[5];
		event_names(e, names);
		bool ok = XXH3_64bits_withSeed(&e->key, sizeof(e->key), d->seed) & 1;
		e->rule = RULE_COIN;
		for (int j = 0; j < 5; j++)
			if (lost_has(&lost, names[j]))
				ok = false, e->rule = RULE_AFTER_LOST;
		e->survives = ok;
		if (!ok)
			for (int j = 0; j < 2; j++) /* what it changed: paths, not the directories it needed */
				lost_add(&lost, names[j]);
	}
	free(lost.s);
}

/* The history of ino's content: its unsynced data and size events, in order. */
static size_t history(struct ff_durable *d, const struct ff_dur_ino *ino, size_t **out)
{
	size_t n = 0, *h = ff_xcalloc(d->nev + 1, sizeof(*h));
	for (size_t i = 0; i < d->nev; i++)
		if (d->ev[i].ino == ino && d->ev[i].state != ES_DURABLE &&
		    (d->ev[i].type == EV_DATA || d->ev[i].type == EV_SIZE || d->ev[i].type == EV_REPLACE))
			h[n++] = i;
	*out = h;
	return n;
}

/* torn: the least moment every page of ino must reach, because a rename over
 * a file or a truncate to 0 that reached the disk flushed the data (ext4's
 * auto_da_alloc, btrfs): before the rename, after the truncate up to the
 * next size change. */
static size_t flushed(struct ff_durable *d, const struct ff_dur_ino *ino, const size_t *h, size_t n)
{
	size_t force = 0;
	if (!ff_dur_rules(d)->flush_replaced)
		return 0;
	for (size_t i = 0; i < d->nev; i++) {
		const struct dur_ev *e = &d->ev[i];
		if (e->type == EV_RENAME && e->survives && e->state == ES_PENDING && e->victim &&
		    e->victim->type == FF_VIC_REG && e->mino == ino->ino && e->mdev == ino->dev) {
			size_t k = 0;
			while (k < n && h[k] < i)
				k++;
			force = k > force ? k : force;
		}
	}
	for (size_t k = 0; k < n; k++) {
		const struct dur_ev *e = &d->ev[h[k]];
		if (e->type != EV_SIZE || e->size != 0 || !e->survives)
			continue;
		size_t next = k + 1;
		while (next < n && d->ev[h[next]].type != EV_SIZE)
			next++;
		force = next > force ? next : force;
	}
	return force;
}

/* Writeback is by page: page p holds ino's content as of some moment (the
 * first m[p] events of its history) or its durable content (m[p] = 0), never
 * a later change without an earlier one. Appended pages (from the durable
 * end on) are written in file order, so their moments never grow with the
 * page number: the size on disk never shows a page that was not written.
 * lose-all: every moment is 0. Returns the moments, one per page up to the
 * end of the furthest data event. */
static uint32_t *moments(struct ff_durable *d, const struct ff_dur_ino *ino, const size_t *h, size_t n, size_t *npages,
			 size_t *lim_out, size_t *force_out)
{
	uint64_t end = ino->blen;
	size_t lim = n, force = 0;
	*force_out = 0;
	for (size_t k = 0; k < n; k++) {
		const struct dur_ev *e = &d->ev[h[k]];
		if (e->type == EV_DATA && e->off + e->len > end && e->off + e->len <= FF_DUR_MAX_BYTES)
			end = e->off + e->len;
		if (e->type == EV_SIZE && !e->survives && lim == n)
			lim = k; /* data after a lost size change went to blocks the disk never pointed at */
	}
	*npages = (size_t)(end / FF_DUR_PIECE) + 1;
	*lim_out = lim;
	uint32_t *m = ff_xcalloc(*npages, sizeof(*m));
	if (d->mode != FF_CRASH_TORN)
		return m;
	force = *force_out = flushed(d, ino, h, n);
	const char *rel = ff_dur_rel(d, ino->path);
	uint64_t key = XXH3_64bits_withSeed(rel, strlen(rel), d->seed ^ 0x7061676573ull);
	size_t first_new = ino->blen / FF_DUR_PIECE;
	for (size_t p = 0; p < *npages; p++) {
		uint64_t k = XXH3_64bits_withSeed(&p, sizeof(p), key) % (n + 1);
		if (p > first_new && k > m[p - 1])
			k = m[p - 1];
		m[p] = (uint32_t)k;
	}
	/* Under a journal, an append shows only once its size change commits, in
	 * journal order: after every name and size change made before it. */
	size_t jcap = n;
	if (ff_dur_rules(d)->meta_in_order)
		for (jcap = 0; jcap < n && h[jcap] < d->journal_end;)
			jcap++;
	for (size_t p = 0; p < *npages; p++) {
		if (p >= first_new && m[p] > jcap)
			m[p] = (uint32_t)jcap;
		if (m[p] < force)
			m[p] = (uint32_t)force;
		if (m[p] > lim)
			m[p] = (uint32_t)lim;
	}
	return m;
}

/* Applies the pages of data event e (the k-th of its file's history) whose
 * moment includes it; returns whether any did. */
static bool apply_pages(struct dur_ev *e, size_t k, const uint32_t *m, size_t npages, uint8_t **buf, size_t *len)
{
	bool any = false, all = true;
	uint64_t end = e->off + e->len;
	for (uint64_t p = e->off / FF_DUR_PIECE, from = e->off; from < end && p < npages; p++) {
		uint64_t to = (p + 1) * FF_DUR_PIECE < end ? (p + 1) * FF_DUR_PIECE : end;
		if (k < m[p]) {
			if (to > *len) {
				*buf = ff_xrealloc(*buf, (size_t)to + 1);
				memset(*buf + *len, 0, (size_t)to - *len);
				*len = (size_t)to;
			}
			memcpy(*buf + from, e->data + (from - e->off), (size_t)(to - from));
			any = true;
		} else {
			all = false;
		}
		from = to;
	}
	e->fate = any ? all ? 1 : 2 : 0;
	return any;
}

static int restore_file(struct ff_durable *d, struct ff_dur_ino *ino)
{
	size_t *h, npages;
	ff_dur_fill(d, ino);
	size_t n = history(d, ino, &h);
	if (!n) {
		free(h);
		/* Nothing unsynced the model saw; what a shared mapping wrote since
		 * the last sync is lost with the power: back to the durable content. */
		return ino->mapped ? write_back(ino, ino->base, ino->blen) : 0;
	}
	size_t lim, force;
	uint32_t *m = moments(d, ino, h, n, &npages, &lim, &force);
	uint8_t *buf = ff_xmalloc(ino->blen + 1);
	size_t len = ino->blen;
	memcpy(buf, ino->base, len);
	int rc = 0;
	for (size_t k = 0; k < n && rc == 0; k++) {
		struct dur_ev *e = &d->ev[h[k]];
		if (e->type == EV_SIZE) {
			if (e->survives)
				rc = ff_dur_apply(e, &buf, &len, NULL);
			continue;
		}
		e->survives = false;
		e->rule = RULE_PAGES;
		if (e->state == ES_DROPPED || (e->type == EV_DATA && (e->off > FF_DUR_MAX_BYTES || !e->len)))
			continue;
		if (e->type == EV_REPLACE) {
			if ((e->survives = k < m[0]))
				rc = ff_dur_apply(e, &buf, &len, NULL);
			e->fate = e->survives;
		} else {
			e->survives = apply_pages(e, k, m, npages, &buf, &len);
		}
		if (d->mode != FF_CRASH_TORN)
			e->rule = RULE_LOST;
		else if (k < force && e->survives)
			e->rule = RULE_FLUSHED;
		else if (!e->survives && k >= lim)
			e->rule = RULE_UNREACHABLE;
	}
	if (rc == 0)
		rc = write_back(ino, buf, len);
	free(buf);
	free(m);
	free(h);
	return rc;
}

int ff_durable_cut(struct ff_durable *d, uint64_t *hash, uint64_t *nfiles, char *err, size_t errlen)
{
	int rc = 0;
	err[0] = 0;
	if (d->mode != FF_CRASH_KEEP_ALL) {
		choose(d);
		for (struct ff_dur_ino *ino = d->inos; ino; ino = ino->next) {
			int r = restore_file(d, ino);
			if (r < 0 && rc == 0) {
				rc = r;
				snprintf(err, errlen, "cannot restore %s: %s", ino->path, strerror(-r));
			}
		}
		for (size_t i = 0; i < d->nev; i++)
			d->st.lost += d->ev[i].state == ES_PENDING && !d->ev[i].survives;
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

size_t ff_durable_changes(const struct ff_durable *d, struct ff_cut_change *out, size_t max, uint64_t *total)
{
	size_t n = 0;
	*total = 0;
	if (d->mode == FF_CRASH_KEEP_ALL)
		return 0; /* nothing was cut */
	for (size_t i = 0; i < d->nev; i++) {
		const struct dur_ev *e = &d->ev[i];
		if (e->state == ES_DURABLE)
			continue;
		++*total;
		if (n == max)
			continue;
		struct ff_cut_change *c = &out[n++];
		bool file = e->type == EV_DATA || e->type == EV_SIZE || e->type == EV_REPLACE;
		memset(c, 0, sizeof(*c));
		c->kind = e->type;
		c->rule = e->state == ES_DROPPED ? RULE_DROPPED : e->rule;
		c->fate = e->state == ES_DROPPED ? 0 : file && e->type != EV_SIZE ? e->fate : e->survives;
		const char *p = file && e->ino ? e->ino->path : e->path;
		c->path = ff_xstrdup(ff_dur_rel(d, p ? p : "?"));
		c->path2 = ff_xstrdup(e->path2 ? ff_dur_rel(d, e->path2) : "");
		if (e->type == EV_DATA)
			c->off = e->off, c->len = e->len;
		else if (e->type == EV_SIZE)
			c->off = e->size;
	}
	return n;
}
