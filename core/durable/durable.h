/* Power loss at the syscall level: what the disk holds when the power is cut.
 *
 * The tracer shows the model every call that changes a file or a name
 * (writes, truncations, creations, renames, links, unlinks) and every sync.
 * Before a file first changes after its last sync, the model keeps its
 * durable content (the base) and holds an fd on it; each change then becomes
 * an event: data landed at an offset, a new size, a name created or removed.
 * A successful fsync/fdatasync folds the file's events into its base; an
 * fsync of a directory makes the name changes in it durable; sync/syncfs
 * make everything durable. A failed fsync drops the file's unsynced data
 * (--fsync-failure=drop, what Linux does) or leaves it pending (keep).
 *
 * At the cut, the model writes back what a disk would hold: lose-all keeps
 * only the durable state, torn keeps a seeded subset of the unsynced events
 * (data pieces independently, name and size changes as an ordered prefix),
 * keep-all changes nothing. docs/durability.md is the model's reference. */
#ifndef FF_DURABLE_H
#define FF_DURABLE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Values stored in traces: never renumber. */
enum ff_crash_mode { FF_CRASH_OFF = 0, FF_CRASH_LOSE_ALL = 1, FF_CRASH_TORN = 2, FF_CRASH_KEEP_ALL = 3 };
enum ff_fsync_failure { FF_FSYNCF_DROP = 0, FF_FSYNCF_KEEP = 1 };
enum ff_cut_where { FF_CUT_NONE = 0, FF_CUT_CALL = 1, FF_CUT_END = 2 };
/* File-system profiles (--fs): whose persistence rules the cut follows
 * (core/durable/durable_fs.c holds the table, docs/durability.md the reasons). */
enum ff_fs_profile { FF_FS_POSIX = 0, FF_FS_EXT4 = 1, FF_FS_XFS = 2, FF_FS_BTRFS = 3, FF_FS_COUNT };

/* The syscalls the model must see are core/syscalls.def's FF_DURABLE lines
 * (ff_sc_durable). */
struct ff_durable;

/* One call in flight between its entry and its exit (one per task). */
struct ff_dur_op {
	uint8_t type; /* internal: 0 none */
	bool runs;    /* false once a decision skipped the call */
	int fd;	      /* the tracee's fd (data calls, syncs) */
	bool append;  /* the fd was O_APPEND */
	bool sync_fd; /* the fd was O_SYNC/O_DSYNC: each write is durable */
	uint64_t off; /* pwrite-style explicit offset, or UINT64_MAX */
	uint64_t aux; /* a length, flags or a tracee address, by type */
	struct ff_dur_ino *ino;
	char *path, *path2;	      /* absolute; path2: the old name of a rename or link */
	bool existed;		      /* open: the name existed before the call */
	struct ff_dur_victim *victim; /* what a removed or replaced name held */
	uint64_t key;		      /* seeded identity of the call (torn choices) */
	bool deferred;		      /* no exit stop: the result is read at the task's next stop (ff_durable_settle) */
	uint64_t dlen;		      /* deferred: the length asked for; op->off is where it lands */
};

/* seed keys the torn choices; cwd names paths in the state hash; stdio
 * (--include-stdio) is recorded but changes nothing here: writes through fds
 * 0-2 to regular files are followed like any other (a shell's `cmd > file`),
 * except to the files ff_durable_spare names. */
struct ff_durable *ff_durable_new(uint8_t mode, uint8_t fsync_failure, uint64_t seed, const char *cwd, bool stdio);
void ff_durable_free(struct ff_durable *d);
/* The file-system profile (FF_FS_POSIX unless set; before the first call). */
void ff_durable_set_fs(struct ff_durable *d, uint8_t fs);
/* "posix", "ext4", "xfs", "btrfs", or NULL; and back (-1: unknown). */
const char *ff_fs_name(uint8_t fs);
int ff_fs_by_name(const char *name);
/* fifuzz's own files that the program's fds 0-2 may point at (the capture of
 * its stdout and stderr, or fifuzz's own stdio): the model never follows
 * them, so a cut never rolls them back. fd: one of fifuzz's fds (its file,
 * if regular, is spared), or -1; path: an absolute name, looked up when the
 * program writes to fds 0-2 (the file may not exist yet), or NULL. */
void ff_durable_spare(struct ff_durable *d, int fd, const char *path);

/* A traced call enters: nr and its six arguments, in task tid. Captures what
 * must be kept before the call runs. Returns true if its exit must be seen. */
bool ff_durable_entry(struct ff_durable *d, pid_t tid, long nr, const uint64_t args[6], struct ff_dur_op *op);
/* Whether the traced tree has one task now (deferred writes need it: no
 * other task can change a file between a write and its owner's next stop). */
void ff_durable_set_solo(struct ff_durable *d, bool solo);
/* Task tid closes or replaces its fds lo..hi (close, dup2, dup3,
 * close_range), or all of them (lo 0, hi INT_MAX: exec, death). */
void ff_durable_fd_drop(struct ff_durable *d, pid_t tid, int lo, int hi);
/* A deferred write (op->deferred) is over: the task stopped again, or died.
 * Its result is what the file grew by; it becomes an event as at an exit. */
void ff_durable_settle(struct ff_durable *d, struct ff_dur_op *op);
/* A decision skipped the call (an injected error): it will not run. err is
 * what it returns; a failed fsync drops or keeps the file's unsynced data. */
void ff_durable_skipped(struct ff_durable *d, struct ff_dur_op *op, int err);
/* The call's exit, with its real return value (before any injected edit). */
void ff_durable_exit(struct ff_durable *d, pid_t tid, struct ff_dur_op *op, int64_t ret);
/* The task died before the call's exit: records the name changes the kernel
 * made anyway (it looks at the names), then forgets the op. */
void ff_durable_abandon(struct ff_durable *d, struct ff_dur_op *op);
/* Forgets an op. */
void ff_durable_op_clear(struct ff_dur_op *op);

/* The cut: puts every file the run touched into its post-cut state. Then
 * hashes that state (names relative to cwd, types, modes, contents) into
 * *hash and counts the names in *nfiles. Returns 0, or -errno with a reason
 * (the state is then only partly restored). */
int ff_durable_cut(struct ff_durable *d, uint64_t *hash, uint64_t *nfiles, char *err, size_t errlen);
/* Hashes the current state of the names the run touched (no restore). */
uint64_t ff_durable_state_hash(struct ff_durable *d, uint64_t *nfiles);

struct ff_cut_change;
/* After the cut: what it did to each unsynced change, the first max into
 * out (names malloc'd, relative to the start directory). Returns how many it
 * filled; *total counts them all. */
size_t ff_durable_changes(const struct ff_durable *d, struct ff_cut_change *out, size_t max, uint64_t *total);

/* Counts, for reports. */
struct ff_durable_stats {
	uint64_t files;	  /* files whose content the model followed */
	uint64_t pending; /* unsynced events at the cut */
	uint64_t lost;	  /* of them, lost at the cut */
	uint64_t dropped; /* data dropped by failed fsyncs */
	bool overflow;	  /* more than FF_DUR_MAX_BYTES to keep: the model stopped following new files */
};
void ff_durable_stats(const struct ff_durable *d, struct ff_durable_stats *st);

#define FF_DUR_MAX_BYTES (512ull << 20)

#endif
