/* File-system profiles (--fs): what an fsync makes durable besides the file
 * itself, and in which order the unsynced changes reach the disk. One table,
 * asked by the model at each sync and by the cut (docs/durability.md gives
 * each rule its source). */
#include "core/durable/durable_int.h"

#include <string.h>

static const struct ff_fs_rules rules[FF_FS_COUNT] = {
    /* POSIX and the man pages: fsync makes the file's data and size durable,
     * a name only an fsync of its directory; nothing about order. */
    [FF_FS_POSIX] = {.name = "posix"},
    /* ext4, data=ordered, auto_da_alloc (the defaults): one journal; an fsync
     * commits the running transaction, so every earlier name and size change
     * with it; a rename over a file, and a truncate to 0, start the file's
     * writeback, whose data the ordered commit then writes first. */
    [FF_FS_EXT4] = {.name = "ext4", .commit_all = true, .meta_in_order = true, .flush_replaced = true},
    /* XFS: one log; an fsync forces the log up to the file's last change, so
     * every change logged before it; no rename or truncate heuristic. */
    [FF_FS_XFS] = {.name = "xfs", .commit_all = true, .meta_in_order = true},
    /* btrfs: an fsync writes the file's log tree: its data, its size and its
     * names (the new name of a rename, a new file's entry), not unrelated
     * names; transactions commit whole, in order; a rename over a file and a
     * truncate to 0 flush the file's data (like auto_da_alloc). */
    [FF_FS_BTRFS] = {.name = "btrfs", .log_own_names = true, .meta_in_order = true, .flush_replaced = true},
};

const char *ff_fs_name(uint8_t fs)
{
	return fs < FF_FS_COUNT ? rules[fs].name : NULL;
}

int ff_fs_by_name(const char *name)
{
	for (int i = 0; i < FF_FS_COUNT; i++)
		if (!strcmp(rules[i].name, name))
			return i;
	return -1;
}

const struct ff_fs_rules *ff_dur_rules(const struct ff_durable *d)
{
	return &rules[d->fs < FF_FS_COUNT ? d->fs : FF_FS_POSIX];
}

/* ext4's auto_da_alloc at a journal commit: the data that a rename over a
 * file (before the rename) or a truncate to 0 (after it) flagged for
 * writeback is written before the commit, so it is durable with it. */
static void commit_flagged(struct ff_durable *d)
{
	for (size_t i = 0; i < d->nev; i++) {
		struct dur_ev *e = &d->ev[i];
		if (e->state == ES_DURABLE || e->state == ES_DROPPED)
			continue;
		if (e->type == EV_RENAME && e->victim && e->victim->type == FF_VIC_REG && e->mino) {
			struct ff_dur_ino *ino = ff_dur_ino_find(d, e->mdev, e->mino);
			if (ino)
				ff_dur_commit_before(d, ino, i);
		} else if (e->type == EV_SIZE && e->size == 0 && e->ino) {
			ff_dur_commit_before(d, e->ino, d->nev);
		}
	}
}

/* One journal commit: every name and size change made so far is durable.
 * Names fold away; a size change stays pinned (the file's earlier data may
 * still be unsynced, and the cut applies them in order). */
static void commit_journal(struct ff_durable *d)
{
	if (ff_dur_rules(d)->flush_replaced)
		commit_flagged(d);
	for (size_t i = 0; i < d->nev; i++) {
		struct dur_ev *e = &d->ev[i];
		if (e->state != ES_PENDING || !ff_dur_is_meta(e->type))
			continue;
		if (e->type == EV_SIZE) {
			e->state = ES_PINNED;
		} else {
			e->state = ES_DURABLE;
			d->ndurable++;
		}
	}
}

/* btrfs: the fsync of ino logs its own names: creation, links, renames of
 * it (and the directories they need that the run made). */
static void log_names(struct ff_durable *d, const struct ff_dur_ino *ino)
{
	for (size_t i = d->nev; i-- > 0;) {
		struct dur_ev *e = &d->ev[i];
		if (e->state != ES_PENDING || !e->mino || e->mdev != ino->dev || e->mino != ino->ino)
			continue;
		e->state = ES_DURABLE;
		d->ndurable++;
		/* the new directories above the name */
		for (size_t j = 0; j < i; j++) {
			struct dur_ev *m = &d->ev[j];
			size_t n = m->path ? strlen(m->path) : 0;
			if (m->state == ES_PENDING && m->type == EV_MKDIR && !strncmp(e->path, m->path, n) &&
			    e->path[n] == '/') {
				m->state = ES_DURABLE;
				d->ndurable++;
			}
		}
	}
}

void ff_dur_fsync_file(struct ff_durable *d, struct ff_dur_ino *ino)
{
	const struct ff_fs_rules *r = ff_dur_rules(d);
	ff_dur_commit(d, ino);
	if (r->commit_all)
		commit_journal(d);
	else if (r->log_own_names)
		log_names(d, ino);
}

void ff_dur_fsync_dir(struct ff_durable *d, const char *dir)
{
	if (ff_dur_rules(d)->commit_all)
		commit_journal(d);
	ff_dur_sync_dir(d, dir);
}
