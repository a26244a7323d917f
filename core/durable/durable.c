/* The durability model's state: followed files, unsynced events, and what
 * fsync, a directory fsync and sync do to them (see core/durable/durable.h). */
#include "core/catalogue.h"
#include "core/durable/durable_int.h"

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "core/util.h"

void ff_durable_set_fs(struct ff_durable *d, uint8_t fs)
{
	d->fs = fs < FF_FS_COUNT ? fs : FF_FS_POSIX;
}

struct ff_durable *ff_durable_new(uint8_t mode, uint8_t fsync_failure, uint64_t seed, const char *cwd, bool stdio)
{
	(void)ff_catalogue_init(); /* which calls the model follows, by number (idempotent) */
	struct ff_durable *d = ff_xcalloc(1, sizeof(*d));
	d->stdio = stdio;
	d->mode = mode;
	d->fsyncf = fsync_failure;
	d->seed = seed;
	/* Every write with its own exit stop, as before the fast path: what the
	 * test crash_fast_same compares the fast path to (docs/performance.md). */
	d->no_fast = getenv("FIFUZZ_CRASH_NO_FAST") != NULL;
	snprintf(d->cwd, sizeof(d->cwd), "%s", cwd);
	return d;
}

void ff_durable_spare(struct ff_durable *d, int fd, const char *path)
{
	struct stat sb;
	if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode))
		ff_dur_spare_ino(d, sb.st_dev, sb.st_ino);
	if (path && d->nspare_path < FF_ARRAY_LEN(d->spare_path))
		d->spare_path[d->nspare_path++] = ff_xstrdup(path);
}

void ff_dur_spare_ino(struct ff_durable *d, dev_t dev, ino_t ino)
{
	for (size_t i = 0; i < d->nspare_ino; i++)
		if (d->spare_ino[i].dev == dev && d->spare_ino[i].ino == ino)
			return;
	if (d->nspare_ino == FF_ARRAY_LEN(d->spare_ino))
		return;
	d->spare_ino[d->nspare_ino].dev = dev;
	d->spare_ino[d->nspare_ino++].ino = ino;
}

bool ff_dur_spared(struct ff_durable *d, dev_t dev, ino_t ino)
{
	for (size_t i = 0; i < d->nspare_ino; i++)
		if (d->spare_ino[i].dev == dev && d->spare_ino[i].ino == ino)
			return true;
	struct stat sb;
	for (size_t i = 0; i < d->nspare_path; i++)
		if (stat(d->spare_path[i], &sb) == 0 && sb.st_dev == dev && sb.st_ino == ino) {
			ff_dur_spare_ino(d, dev, ino); /* found once: by inode from now on */
			return true;
		}
	return false;
}

static void victim_free(struct ff_dur_victim *v)
{
	if (v) {
		free(v->target);
		free(v);
	}
}

static void ev_free(struct dur_ev *e)
{
	free(e->data);
	free(e->path);
	free(e->path2);
	free(e->dir);
	free(e->dir2);
	victim_free(e->victim);
}

void ff_durable_free(struct ff_durable *d)
{
	if (!d)
		return;
	ff_durable_fd_drop(d, 0, 0, INT_MAX);
	for (size_t i = 0; i < d->nev; i++)
		ev_free(&d->ev[i]);
	free(d->ev);
	while (d->inos) {
		struct ff_dur_ino *n = d->inos->next;
		if (d->inos->fd >= 0)
			close(d->inos->fd);
		free(d->inos->base);
		free(d->inos->path);
		free(d->inos);
		d->inos = n;
	}
	for (size_t i = 0; i < d->nspare_path; i++)
		free(d->spare_path[i]);
	for (size_t i = 0; i < d->nnames; i++)
		free(d->names[i].abs);
	free(d->names);
	free(d->idx);
	free(d->kc);
	free(d);
}

void ff_durable_op_clear(struct ff_dur_op *op)
{
	free(op->path);
	free(op->path2);
	victim_free(op->victim);
	memset(op, 0, sizeof(*op));
}

void ff_durable_stats(const struct ff_durable *d, struct ff_durable_stats *st)
{
	*st = d->st;
	st->pending = 0;
	for (size_t i = 0; i < d->nev; i++)
		st->pending += d->ev[i].state == ES_PENDING;
}

struct ff_dur_ino *ff_dur_ino_find(struct ff_durable *d, dev_t dev, ino_t ino)
{
	for (struct ff_dur_ino *i = d->inos; i; i = i->next)
		if (i->dev == dev && i->ino == ino)
			return i;
	return NULL;
}

struct ff_dur_ino *ff_dur_track(struct ff_durable *d, const char *open_path, const char *name)
{
	struct stat sb;
	if (stat(open_path, &sb) < 0 || !S_ISREG(sb.st_mode))
		return NULL;
	struct ff_dur_ino *i = ff_dur_ino_find(d, sb.st_dev, sb.st_ino);
	if (i)
		return i;
	if (d->st.overflow || d->bytes + (uint64_t)sb.st_size > FF_DUR_MAX_BYTES) {
		d->st.overflow = true;
		return NULL;
	}
	int fd = open(open_path, O_RDWR | O_CLOEXEC); /* open_path may be a /proc magic link */
	bool ro = false;
	if (fd < 0 && errno != EMFILE && errno != ENFILE) {
		fd = open(open_path, O_RDONLY | O_CLOEXEC);
		ro = true;
	}
	if (fd < 0) {
		if (errno == EMFILE || errno == ENFILE)
			d->st.overflow = true; /* out of fds: files met from now on keep their content */
		return NULL;
	}
	i = ff_xcalloc(1, sizeof(*i));
	if (ff_read_fd(fd, SIZE_MAX, &i->base, &i->blen) < 0) {
		close(fd);
		free(i);
		return NULL;
	}
	if (ro) {
		/* keep the content for victims, but the file cannot be written back */
		close(fd);
		fd = -1;
	}
	i->fd = fd;
	i->dev = sb.st_dev;
	i->ino = sb.st_ino;
	i->mode = sb.st_mode & 07777;
	i->path = ff_xstrdup(name);
	i->next = d->inos;
	d->inos = i;
	d->bytes += i->blen;
	d->st.files++;
	size_t nl = strlen(name);
	if (nl < 10 || strcmp(name + nl - 10, " (deleted)"))
		ff_dur_name(d, name, true);
	return i;
}

struct dur_ev *ff_dur_event(struct ff_durable *d, uint8_t type)
{
	ff_grow(&d->ev, &d->cap, d->nev + 1, sizeof(*d->ev));
	struct dur_ev *e = &d->ev[d->nev++];
	memset(e, 0, sizeof(*e));
	e->type = type;
	return e;
}

/* The slot of abs in the index (a free one if absent). */
static size_t name_slot(const struct ff_durable *d, const char *abs)
{
	size_t j = XXH3_64bits(abs, strlen(abs)) & (d->icap - 1);
	while (d->idx[j] && strcmp(d->names[d->idx[j] - 1].abs, abs))
		j = (j + 1) & (d->icap - 1);
	return j;
}

void ff_dur_name(struct ff_durable *d, const char *abs, bool pre)
{
	if (2 * (d->nnames + 1) > d->icap) {
		free(d->idx);
		d->icap = d->icap ? 2 * d->icap : 64;
		d->idx = ff_xcalloc(d->icap, sizeof(*d->idx));
		for (size_t i = 0; i < d->nnames; i++)
			d->idx[name_slot(d, d->names[i].abs)] = i + 1;
	}
	size_t j = name_slot(d, abs);
	if (d->idx[j])
		return; /* the first sight says whether it existed before */
	ff_grow(&d->names, &d->ncap, d->nnames + 1, sizeof(*d->names));
	d->names[d->nnames].abs = ff_xstrdup(abs);
	d->names[d->nnames].pre = pre;
	d->idx[j] = ++d->nnames;
}

/* The name as the trace's sites name it: relative to the start directory
 * when under it, so a replay elsewhere gets the same keys and hash. */
const char *ff_dur_rel(const struct ff_durable *d, const char *abs)
{
	size_t n = strlen(d->cwd);
	if (n > 1 && !strncmp(abs, d->cwd, n) && abs[n] == '/')
		return abs + n + 1;
	if (!strcmp(abs, d->cwd))
		return ".";
	return abs;
}

uint64_t ff_dur_key(struct ff_durable *d, const char *sc, const char *abs)
{
	const char *rel = ff_dur_rel(d, abs);
	/* Keyed by the seed, then the kind of change, then the name (no allocation per call). */
	uint64_t h = XXH3_64bits_withSeed(rel, strlen(rel), XXH3_64bits_withSeed(sc, strlen(sc) + 1, d->seed));
	/* The n-th call of sc on this name: open addressing on h. */
	if (d->nkc * 2 >= d->kcap) {
		size_t ncap = d->kcap ? d->kcap * 2 : 64;
		void *old = d->kc;
		size_t ocap = d->kcap;
		d->kc = ff_xcalloc(ncap, sizeof(*d->kc));
		d->kcap = ncap;
		d->nkc = 0;
		for (size_t i = 0; i < ocap; i++) {
			struct {
				uint64_t h, n;
			} *o = (void *)((char *)old + i * sizeof(*d->kc));
			if (!o->h)
				continue;
			size_t j = o->h & (ncap - 1);
			while (d->kc[j].h)
				j = (j + 1) & (ncap - 1);
			d->kc[j].h = o->h;
			d->kc[j].n = o->n;
			d->nkc++;
		}
		free(old);
	}
	if (!h)
		h = 1;
	size_t j = h & (d->kcap - 1);
	while (d->kc[j].h && d->kc[j].h != h)
		j = (j + 1) & (d->kcap - 1);
	if (!d->kc[j].h) {
		d->kc[j].h = h;
		d->nkc++;
	}
	uint64_t ord = d->kc[j].n++;
	return XXH3_64bits_withSeed(&ord, sizeof(ord), h);
}

int ff_dur_apply(const struct dur_ev *e, uint8_t **buf, size_t *len, bool (*keep)(const struct dur_ev *, uint64_t))
{
	if (e->type == EV_SIZE) {
		if (e->size > FF_DUR_MAX_BYTES)
			return -EFBIG;
		if (e->size > *len) {
			*buf = ff_xrealloc(*buf, (size_t)e->size + 1);
			memset(*buf + *len, 0, (size_t)e->size - *len);
		}
		*len = (size_t)e->size;
		return 0;
	}
	if (e->type == EV_REPLACE) {
		if (keep && !keep(e, 0))
			return 0;
		*buf = ff_xrealloc(*buf, e->len + 1);
		if (e->len)
			memcpy(*buf, e->data, e->len);
		*len = e->len;
		return 0;
	}
	if (e->type != EV_DATA || !e->len)
		return 0;
	if (e->off > FF_DUR_MAX_BYTES || e->len > FF_DUR_MAX_BYTES - e->off)
		return -EFBIG;
	uint64_t end = e->off + e->len;
	for (uint64_t p = e->off / FF_DUR_PIECE, from = e->off; from < end; p++) {
		uint64_t to = (p + 1) * FF_DUR_PIECE < end ? (p + 1) * FF_DUR_PIECE : end;
		if (!keep || keep(e, p)) {
			if (to > *len) {
				*buf = ff_xrealloc(*buf, (size_t)to + 1);
				memset(*buf + *len, 0, (size_t)to - *len);
				*len = (size_t)to;
			}
			memcpy(*buf + from, e->data + (from - e->off), (size_t)(to - from));
		}
		from = to;
	}
	return 0;
}

static bool is_file_event(const struct dur_ev *e, const struct ff_dur_ino *ino)
{
	return e->ino == ino && (e->type == EV_DATA || e->type == EV_SIZE || e->type == EV_REPLACE);
}

/* The largest read ff_dur_fill makes at once (unless one event is larger). */
#define FILL_CHUNK (1u << 20)

/* Reads up to len bytes at off; returns how many it got. */
static size_t read_at(int fd, uint8_t *buf, size_t len, uint64_t off)
{
	size_t got = 0;
	while (got < len) {
		ssize_t r = pread(fd, buf + got, len - got, (off_t)(off + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	return got;
}

/* Copies ino's lazy event i and those after it whose ranges follow it in
 * the file, with one read. Returns the index after the last one. */
static size_t fill_run(struct ff_durable *d, struct ff_dur_ino *ino, size_t i)
{
	uint64_t start = d->ev[i].off, end = start;
	size_t last = i, n = 0;
	for (size_t j = i; j < d->nev && n < ino->nlazy; j++) {
		const struct dur_ev *e = &d->ev[j];
		if (!e->lazy || e->ino != ino)
			continue;
		if (e->off != end || (end > start && end - start + e->len > FILL_CHUNK))
			break;
		end += e->len;
		last = j;
		n++;
	}
	uint8_t *buf = ff_xmalloc((size_t)(end - start) + 1);
	size_t got = read_at(ino->fd, buf, (size_t)(end - start), start);
	for (size_t j = i; j <= last; j++) {
		struct dur_ev *e = &d->ev[j];
		if (!e->lazy || e->ino != ino)
			continue;
		size_t from = (size_t)(e->off - start), have = got > from ? got - from : 0;
		have = have < e->len ? have : e->len;
		e->data = ff_xmalloc(e->len + 1);
		memcpy(e->data, buf + from, have);
		memset(e->data + have, 0, e->len - have); /* cut short behind the model's back: read as a hole */
		e->lazy = false;
		ino->nlazy--;
	}
	free(buf);
	return last + 1;
}

void ff_dur_fill(struct ff_durable *d, struct ff_dur_ino *ino)
{
	for (size_t i = ino->lazy_from; ino->nlazy && i < d->nev;)
		i = d->ev[i].lazy && d->ev[i].ino == ino ? fill_run(d, ino, i) : i + 1;
	ino->nlazy = 0;
}

void ff_dur_fill_all(struct ff_durable *d)
{
	for (struct ff_dur_ino *i = d->inos; i; i = i->next)
		ff_dur_fill(d, i);
}

/* Drops the events that became durable (they no longer matter at the cut),
 * keeping the order of the rest, so that syncs stay cheap in long runs. */
static void compact(struct ff_durable *d)
{
	size_t j = 0;
	for (size_t i = 0; i < d->nev; i++) {
		struct dur_ev *e = &d->ev[i];
		if (e->state != ES_DURABLE) {
			if (e->lazy && e->ino->lazy_from == i)
				e->ino->lazy_from = j;
			d->ev[j++] = *e;
			continue;
		}
		ev_free(e);
	}
	d->nev = j;
	d->ndurable = 0;
}

void ff_dur_commit(struct ff_durable *d, struct ff_dur_ino *ino)
{
	ff_dur_commit_before(d, ino, d->nev);
	if (d->ndurable > 64 && 2 * d->ndurable > d->nev)
		compact(d);
}

void ff_dur_commit_before(struct ff_durable *d, struct ff_dur_ino *ino, size_t limit)
{
	ff_dur_fill(d, ino);
	for (size_t i = 0; i < d->nev && i < limit; i++) {
		struct dur_ev *e = &d->ev[i];
		if ((e->state != ES_PENDING && e->state != ES_PINNED) || !is_file_event(e, ino))
			continue;
		size_t before = ino->blen;
		if (ff_dur_apply(e, &ino->base, &ino->blen, NULL) == 0 && ino->blen > before)
			d->bytes += ino->blen - before;
		e->state = ES_DURABLE;
		d->ndurable++;
		free(e->data);
		e->data = NULL;
	}
}

void ff_dur_drop(struct ff_durable *d, struct ff_dur_ino *ino)
{
	for (size_t i = 0; i < d->nev; i++) {
		struct dur_ev *e = &d->ev[i];
		if (e->state == ES_PENDING && is_file_event(e, ino) && e->type != EV_SIZE) {
			e->state = ES_DROPPED;
			d->st.dropped++;
		}
	}
}

void ff_dur_sync_dir(struct ff_durable *d, const char *dir)
{
	for (size_t i = 0; i < d->nev; i++) {
		struct dur_ev *e = &d->ev[i];
		if (e->state != ES_PENDING || !e->dir)
			continue;
		if (!strcmp(e->dir, dir))
			e->dir_ok = true;
		if (e->dir2 && !strcmp(e->dir2, dir))
			e->dir2_ok = true;
		if (e->dir_ok && (!e->dir2 || e->dir2_ok)) {
			e->state = ES_DURABLE;
			d->ndurable++;
		}
	}
	if (d->ndurable > 64 && 2 * d->ndurable > d->nev)
		compact(d);
}

void ff_dur_sync_all(struct ff_durable *d)
{
	for (struct ff_dur_ino *i = d->inos; i; i = i->next)
		ff_dur_commit(d, i);
	for (size_t i = 0; i < d->nev; i++)
		if (d->ev[i].state == ES_PENDING)
			d->ev[i].state = ES_DURABLE;
	compact(d);
}
