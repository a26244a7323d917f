/* What core/durable*.c share: the model's files, events and their states.
 * Nothing outside core/durable*.c includes this. */
#ifndef FF_DURABLE_INT_H
#define FF_DURABLE_INT_H
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/durable/durable.h"

/* A file whose content the model follows (one per inode). */
struct ff_dur_ino {
	dev_t dev;
	ino_t ino;
	int fd;	       /* held open, so the inode outlives unlinks; -1: cannot write it back */
	uint8_t *base; /* the durable content */
	size_t blen;
	mode_t mode;
	char *path;  /* absolute, where the model first met it */
	bool mapped; /* a shared writable mapping may have changed it behind the model's back */
	/* Its events whose data is still in the file only (dur_ev.lazy): how
	 * many, and the index of the first (ff_dur_fill copies them). */
	size_t nlazy, lazy_from;
	struct ff_dur_ino *next;
};

/* What a removed or replaced name held, to put it back. */
enum { FF_VIC_REG = 1, FF_VIC_LNK, FF_VIC_DIR };
struct ff_dur_victim {
	uint8_t type;
	struct ff_dur_ino *ino; /* FF_VIC_REG */
	char *target;		/* FF_VIC_LNK */
	mode_t mode;
};

/* Event types. Data events change one file's content; the others are
 * metadata (sizes and names), which a journal keeps in order. */
enum {
	EV_DATA = 1, /* data landed at off */
	EV_SIZE,     /* the size became size */
	EV_REPLACE,  /* the whole content became data (fallocate) */
	EV_CREATE,   /* a new regular file at path */
	EV_MKDIR,
	EV_LINK, /* a new hard link at path */
	EV_SYMLINK,
	EV_RENAME,   /* path2 -> path, replacing victim */
	EV_EXCHANGE, /* path and path2 swapped */
	EV_UNLINK,   /* path removed; it held victim */
	EV_RMDIR,
};
/* PINNED: a size change a journal commit made durable while the file's
 * earlier data is not: it stays in the list and applies in order at the cut. */
enum { ES_PENDING = 0, ES_DURABLE, ES_DROPPED, ES_PINNED };

struct dur_ev {
	uint8_t type, state;
	bool survives; /* set at the cut */
	bool lazy;     /* EV_DATA of a deferred write: data not copied yet, the file holds it at off (ff_dur_fill) */
	struct ff_dur_ino *ino;
	uint64_t off, size;
	uint8_t *data;
	size_t len;
	char *path, *path2;
	char *dir, *dir2; /* parent directories whose fsync makes the event durable */
	bool dir_ok, dir2_ok;
	struct ff_dur_victim *victim;
	uint64_t key;
	dev_t mdev; /* name events: the inode the name names (created, moved, linked); 0: unknown */
	ino_t mino;
	uint8_t rule; /* set at the cut: why it survived or not (enum ff_dur_rule) */
	uint8_t fate; /* set at the cut: 0 lost, 1 survived, 2 partly (some pages) */
};

/* Why an unsynced change survived the cut or not (fifuzz's report). */
enum ff_dur_rule {
	RULE_NONE = 0,
	RULE_LOST,	  /* lose-all: nothing unsynced reaches the disk */
	RULE_COIN,	  /* torn: its own coin (posix: per name, in order) */
	RULE_PREFIX,	  /* torn: inside / outside the journal's surviving prefix */
	RULE_AFTER_LOST,  /* torn: an earlier change to the same name was lost */
	RULE_PAGES,	  /* torn: its pages' writeback moments */
	RULE_FLUSHED,	  /* torn: flushed by a rename over a file or a truncate (auto_da_alloc) */
	RULE_UNREACHABLE, /* torn: written after a size change that was lost */
	RULE_PINNED,	  /* made durable by a journal commit (another file's fsync) */
	RULE_DROPPED,	  /* dropped by a failed fsync */
};

struct ff_durable {
	uint8_t mode, fsyncf, fs;
	size_t journal_end; /* at the cut, journaled profiles: the event index of the first lost name or size change */
	bool stdio;	    /* fds 0-2 are followed too (--include-stdio) */
	bool solo;	    /* one task in the traced tree (ff_durable_set_solo) */
	bool no_fast;	    /* FIFUZZ_CRASH_NO_FAST: no deferred writes, no fd duplicates */
	bool shared_map;    /* the program mapped a file shared: its stores may change landed data, copy at once */
	/* The size a settled deferred write left its file with, for the next
	 * call's entry (the same stop, or only untraced calls in between). */
	struct ff_dur_ino *end_ino;
	uint64_t end;
	/* Regular-file fds of a lone task the model follows: its open file
	 * description duplicated here (pidfd_getfd), so that a write's position
	 * and flags cost an lseek and an fcntl, not a /proc read; dropped when
	 * the task closes or replaces the fd, execs or dies (ff_durable_fd_drop). */
	struct dur_fd {
		pid_t tid;
		int fd, dup;
		long fl; /* its flags when met: only O_APPEND can change (F_SETFL) */
		struct ff_dur_ino *ino;
	} fdc[8];
	size_t nfdc;
	uint64_t seed;
	char cwd[4096];
	struct ff_dur_ino *inos;
	struct dur_ev *ev;
	size_t nev, cap;
	size_t ndurable; /* events of ev that are durable (compact() drops them) */
	uint64_t bytes;
	/* Every absolute name the run touched, for the state hash; pre: it existed
	 * before the run first touched it. idx: an open-addressing index into names. */
	struct dur_name {
		char *abs;
		bool pre;
	} * names;
	size_t nnames, ncap;
	size_t *idx, icap;
	struct {
		uint64_t h, n;
	} * kc; /* call counters per (syscall, path): the keys */
	size_t kcap, nkc;
	struct ff_durable_stats st;
	/* fifuzz's own files behind the program's fds 0-2 (its capture, its
	 * stdio): never followed. By inode, and by name for files not made yet. */
	struct {
		dev_t dev;
		ino_t ino;
	} spare_ino[8];
	size_t nspare_ino;
	char *spare_path[4];
	size_t nspare_path;
};

static inline bool ff_dur_is_meta(uint8_t type)
{
	return type != EV_DATA && type != EV_REPLACE;
}

/* core/durable/durable_fs.c: the profile's rules. */
struct ff_fs_rules {
	const char *name;
	bool commit_all;    /* a file's or directory's fsync commits every earlier name and size change (one journal) */
	bool log_own_names; /* a file's fsync makes its own names durable (btrfs log tree) */
	bool meta_in_order; /* torn: name and size changes survive as one prefix, in call order (else per name) */
	bool flush_replaced; /* a rename over a file, or a truncate to 0, carries the file's data (auto_da_alloc) */
};
const struct ff_fs_rules *ff_dur_rules(const struct ff_durable *d);
/* A successful fsync (fdatasync, msync) of ino, and of a directory, under the profile. */
void ff_dur_fsync_file(struct ff_durable *d, struct ff_dur_ino *ino);
void ff_dur_fsync_dir(struct ff_durable *d, const char *dir);
/* Folds ino's pending and pinned events before index limit into its base. */
void ff_dur_commit_before(struct ff_durable *d, struct ff_dur_ino *ino, size_t limit);

/* core/durable/durable.c */
/* Is (dev, ino) one of fifuzz's own files (ff_durable_spare)? */
bool ff_dur_spared(struct ff_durable *d, dev_t dev, ino_t ino);
void ff_dur_spare_ino(struct ff_durable *d, dev_t dev, ino_t ino);
struct ff_dur_ino *ff_dur_ino_find(struct ff_durable *d, dev_t dev, ino_t ino);
/* Follows the file open at path (a /proc/PID/fd/N link or a name): returns
 * its entry, reading its content as the base the first time. NULL: not a
 * regular file, or over the byte budget. */
struct ff_dur_ino *ff_dur_track(struct ff_durable *d, const char *open_path, const char *name);
struct dur_ev *ff_dur_event(struct ff_durable *d, uint8_t type);
void ff_dur_name(struct ff_durable *d, const char *abs, bool pre);
/* abs relative to the start directory when under it (as sites name paths). */
const char *ff_dur_rel(const struct ff_durable *d, const char *abs);
uint64_t ff_dur_key(struct ff_durable *d, const char *sc, const char *abs);
void ff_dur_commit(struct ff_durable *d, struct ff_dur_ino *ino);
/* Copies the data of ino's lazy events from the file, where it still is:
 * called before anything may change those bytes, or reads the events. */
void ff_dur_fill(struct ff_durable *d, struct ff_dur_ino *ino);
void ff_dur_fill_all(struct ff_durable *d);
void ff_dur_drop(struct ff_durable *d, struct ff_dur_ino *ino);
void ff_dur_sync_dir(struct ff_durable *d, const char *dir);
void ff_dur_sync_all(struct ff_durable *d);
/* Applies one data or size event to a buffer (grown as needed). keep(i)
 * says whether piece i of a data event lands (NULL: all). */
int ff_dur_apply(const struct dur_ev *e, uint8_t **buf, size_t *len, bool (*keep)(const struct dur_ev *, uint64_t));

#define FF_DUR_PIECE 4096 /* data lands in pieces of this alignment */

#endif
