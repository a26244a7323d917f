/* The durability model on real files: this process makes the syscalls
 * itself and shows each one to the model as the tracer would (entry with
 * the arguments, the call, exit with its result), then cuts the power and
 * looks at what is left. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/durable/durable.h"

static char dir[256];

static void in_tmpdir(void)
{
	snprintf(dir, sizeof(dir), "/tmp/ff-durable.XXXXXX");
	cr_assert(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
	cr_assert_eq(chdir(dir), 0);
}

static void cleanup(void)
{
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (chdir("/") == 0 && system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
}

TestSuite(durable, .init = in_tmpdir, .fini = cleanup);

static struct ff_durable *model(uint8_t mode, uint8_t fsyncf, uint64_t seed)
{
	char cwd[4096];
	cr_assert(getcwd(cwd, sizeof(cwd)));
	return ff_durable_new(mode, fsyncf, seed, cwd, false);
}

/* One syscall, seen by the model as the tracer shows it. */
static long sys6(struct ff_durable *d, long nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	uint64_t a[6] = {a0, a1, a2, a3, 0, 0};
	struct ff_dur_op op = {0};
	bool want = ff_durable_entry(d, getpid(), nr, a, &op);
	long r = syscall(nr, a0, a1, a2, a3, 0, 0);
	if (want)
		ff_durable_exit(d, getpid(), &op, r < 0 ? -errno : r);
	return r;
}
#define P(s) ((uint64_t)(uintptr_t)(s))

/* A call the decision skipped with err (an injected error). */
static void skipped(struct ff_durable *d, long nr, uint64_t a0, int err)
{
	uint64_t a[6] = {a0, 0, 0, 0, 0, 0};
	struct ff_dur_op op = {0};
	if (ff_durable_entry(d, getpid(), nr, a, &op))
		ff_durable_skipped(d, &op, err);
}

static void put(const char *name, const char *text)
{
	FILE *f = fopen(name, "w");
	cr_assert(f);
	fputs(text, f);
	fclose(f);
}

/* The file's content, "<missing>" if absent. */
static const char *get(const char *name)
{
	static char buf[256];
	FILE *f = fopen(name, "r");
	if (!f)
		return "<missing>";
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

static int cut(struct ff_durable *d, uint64_t *hash)
{
	uint64_t h, n;
	char err[256];
	int rc = ff_durable_cut(d, hash ? hash : &h, &n, err, sizeof(err));
	cr_expect_eq(rc, 0, "cut: %s", err);
	return rc;
}

/* write data.txt.tmp, rename it over data.txt; careful adds the fsyncs. */
static void save(struct ff_durable *d, bool careful)
{
	long fd = sys6(d, SYS_openat, (uint64_t)AT_FDCWD, P("data.txt.tmp"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	cr_assert(fd >= 0);
	cr_assert_eq(sys6(d, SYS_write, (uint64_t)fd, P("new"), 3, 0), 3);
	if (careful)
		cr_assert_eq(sys6(d, SYS_fsync, (uint64_t)fd, 0, 0, 0), 0);
	close((int)fd);
	cr_assert_eq(sys6(d, SYS_rename, P("data.txt.tmp"), P("data.txt"), 0, 0), 0);
	if (careful) {
		long dfd = open(".", O_RDONLY | O_DIRECTORY);
		cr_assert_eq(sys6(d, SYS_fsync, (uint64_t)dfd, 0, 0, 0), 0);
		close((int)dfd);
	}
}

Test(durable, lose_all_undoes_an_unsynced_save)
{
	put("data.txt", "old");
	struct ff_durable *d = model(FF_CRASH_LOSE_ALL, FF_FSYNCF_DROP, 1);
	save(d, false);
	printf("before the cut: data.txt '%s', ", get("data.txt"));
	printf("tmp %s\n", get("data.txt.tmp"));
	cut(d, NULL);
	struct ff_durable_stats st;
	ff_durable_stats(d, &st);
	printf("after: data.txt '%s', ", get("data.txt"));
	printf("tmp %s; %llu unsynced, %llu lost\n", get("data.txt.tmp"), (unsigned long long)st.pending,
	       (unsigned long long)st.lost);
	cr_expect_str_eq(get("data.txt"), "old");
	cr_expect_str_eq(get("data.txt.tmp"), "<missing>");
	cr_expect_eq(st.lost, 3, "create, write and rename are lost");
	ff_durable_free(d);
}

Test(durable, careful_save_survives)
{
	put("data.txt", "old");
	struct ff_durable *d = model(FF_CRASH_LOSE_ALL, FF_FSYNCF_DROP, 1);
	save(d, true);
	cut(d, NULL);
	printf("careful, cut after the directory fsync: '%s'\n", get("data.txt"));
	cr_expect_str_eq(get("data.txt"), "new");
	cr_expect_str_eq(get("data.txt.tmp"), "<missing>");
	ff_durable_free(d);
}

/* A fresh subdirectory holding data.txt = "old", and a torn model there. */
static struct ff_durable *torn_in_subdir(uint64_t seed)
{
	char sub[32];
	snprintf(sub, sizeof(sub), "s%llu", (unsigned long long)seed);
	mkdir(sub, 0755);
	cr_assert_eq(chdir(sub), 0);
	put("data.txt", "old");
	return model(FF_CRASH_TORN, FF_FSYNCF_DROP, seed);
}

/* torn keeps a coin per name change (in order per name) and per data piece and a coin per data piece: over
 * many seeds the naive save leaves every state the model allows, including
 * the empty file, and nothing else. */
Test(durable, torn_naive_save_can_leave_an_empty_file)
{
	int seen[4] = {0}; /* old, new, empty, tmp-only */
	for (uint64_t seed = 1; seed <= 64; seed++) {
		struct ff_durable *d = torn_in_subdir(seed);
		save(d, false);
		cut(d, NULL);
		const char *f = get("data.txt");
		bool tmp = strcmp(get("data.txt.tmp"), "<missing>") != 0;
		if (!strcmp(f, "old"))
			seen[0]++;
		else if (!strcmp(f, "new"))
			seen[1]++;
		else if (!*f)
			seen[2]++;
		else
			cr_expect(0, "seed %llu: data.txt holds '%s'", (unsigned long long)seed, f);
		seen[3] += tmp;
		ff_durable_free(d);
		cr_assert_eq(chdir(".."), 0);
	}
	printf("64 seeds: old %d, new %d, empty %d; tmp left %d\n", seen[0], seen[1], seen[2], seen[3]);
	cr_expect(seen[0] && seen[1] && seen[2], "every outcome the model allows shows up");
	cr_expect_eq(seen[0] + seen[1] + seen[2], 64, "every seed left old, new or empty");
	cr_expect(seen[3] > 0 && seen[3] < 64, "the tmp name survives in some seeds only (%d)", seen[3]);
}

Test(durable, torn_careful_save_is_old_or_new)
{
	for (uint64_t seed = 1; seed <= 64; seed++) {
		struct ff_durable *d = torn_in_subdir(seed);
		save(d, true);
		cut(d, NULL);
		cr_expect_str_eq(get("data.txt"), "new", "seed %llu", (unsigned long long)seed);
		ff_durable_free(d);
		cr_assert_eq(chdir(".."), 0);
	}
}

/* Rebello et al.: a failed fsync marks the pages clean; the retry succeeds
 * with nothing to write. With keep, the retry makes the data durable. */
Test(durable, fsync_failure_drop_loses_the_data_keep_does_not)
{
	const char *want[] = {[FF_FSYNCF_DROP] = "", [FF_FSYNCF_KEEP] = "new"};
	for (uint8_t mode = FF_FSYNCF_DROP; mode <= FF_FSYNCF_KEEP; mode++) {
		put("data.txt", "old");
		struct ff_durable *d = model(FF_CRASH_LOSE_ALL, mode, 1);
		long fd = sys6(d, SYS_openat, (uint64_t)AT_FDCWD, P("data.txt"), O_WRONLY | O_TRUNC, 0);
		cr_assert(fd >= 0);
		cr_assert_eq(sys6(d, SYS_write, (uint64_t)fd, P("new"), 3, 0), 3);
		skipped(d, SYS_fsync, (uint64_t)fd, EIO);
		cr_assert_eq(sys6(d, SYS_fsync, (uint64_t)fd, 0, 0, 0), 0);
		close((int)fd);
		cut(d, NULL);
		struct ff_durable_stats st;
		ff_durable_stats(d, &st);
		printf("fsync failure %s: data.txt '%s' (%llu dropped)\n", mode ? "keep" : "drop", get("data.txt"),
		       (unsigned long long)st.dropped);
		cr_expect_str_eq(get("data.txt"), want[mode]);
		ff_durable_free(d);
	}
}

Test(durable, names_come_back)
{
	put("victim", "precious");
	put("gone", "unlinked");
	mkdir("keep", 0755);
	put("keep/x", "x");
	struct ff_durable *d = model(FF_CRASH_LOSE_ALL, FF_FSYNCF_DROP, 1);
	put("src", "moved"); /* made before the model looked: durable */
	cr_assert_eq(sys6(d, SYS_rename, P("src"), P("victim"), 0, 0), 0);
	cr_assert_eq(sys6(d, SYS_unlink, P("gone"), 0, 0, 0), 0);
	cr_assert_eq(sys6(d, SYS_mkdir, P("newdir"), 0755, 0, 0), 0);
	long fd = sys6(d, SYS_openat, (uint64_t)AT_FDCWD, P("newdir/f"), O_WRONLY | O_CREAT, 0644);
	cr_assert(fd >= 0);
	close((int)fd);
	cr_assert_eq(sys6(d, SYS_symlink, P("victim"), P("sl"), 0, 0), 0);
	cr_assert_eq(sys6(d, SYS_unlink, P("keep/x"), 0, 0, 0), 0);
	cr_assert_eq(sys6(d, SYS_rmdir, P("keep"), 0, 0, 0), 0);
	cut(d, NULL);
	struct stat sb;
	printf("victim '%s', ", get("victim"));
	printf("src '%s', ", get("src"));
	printf("gone '%s', ", get("gone"));
	printf("keep/x '%s', newdir %s, sl %s\n", get("keep/x"), stat("newdir", &sb) == 0 ? "exists" : "gone",
	       lstat("sl", &sb) == 0 ? "exists" : "gone");
	cr_expect_str_eq(get("victim"), "precious");
	cr_expect_str_eq(get("src"), "moved");
	cr_expect_str_eq(get("gone"), "unlinked");
	cr_expect_neq(stat("newdir", &sb), 0, "mkdir undone with what was made inside");
	cr_expect_neq(lstat("sl", &sb), 0, "symlink undone");
	cr_expect_str_eq(get("keep/x"), "x");
	ff_durable_free(d);
}

Test(durable, keep_all_changes_nothing)
{
	put("data.txt", "old");
	struct ff_durable *d = model(FF_CRASH_KEEP_ALL, FF_FSYNCF_DROP, 1);
	save(d, false);
	cut(d, NULL);
	cr_expect_str_eq(get("data.txt"), "new");
	ff_durable_free(d);
}

/* The state hash names files relative to the start directory: the same
 * post-cut state in two directories hashes alike; one byte apart does not. */
Test(durable, state_hash_is_relative_and_exact)
{
	uint64_t h[3];
	const char *text[3] = {"new", "new", "nex"};
	for (int i = 0; i < 3; i++) {
		char sub[16];
		snprintf(sub, sizeof(sub), "d%d", i);
		mkdir(sub, 0755);
		cr_assert_eq(chdir(sub), 0);
		put("data.txt", "old");
		struct ff_durable *d = model(FF_CRASH_KEEP_ALL, FF_FSYNCF_DROP, 1);
		long fd = sys6(d, SYS_openat, (uint64_t)AT_FDCWD, P("data.txt"), O_WRONLY | O_TRUNC, 0);
		sys6(d, SYS_write, (uint64_t)fd, P(text[i]), 3, 0);
		close((int)fd);
		cut(d, &h[i]);
		ff_durable_free(d);
		cr_assert_eq(chdir(".."), 0);
	}
	printf("state hashes: %016llx %016llx %016llx\n", (unsigned long long)h[0], (unsigned long long)h[1],
	       (unsigned long long)h[2]);
	cr_expect_eq(h[0], h[1]);
	cr_expect_neq(h[0], h[2]);
}

/* Data lands in 4 KiB pieces under torn: a large unsynced write can be
 * partly on disk, page by page, never byte-torn inside a page. */
Test(durable, torn_data_lands_in_pieces)
{
	static char big[5 * 4096];
	memset(big, 'N', sizeof(big));
	int partial = 0;
	for (uint64_t seed = 1; seed <= 16; seed++) {
		char old[sizeof(big) + 1];
		memset(old, 'o', sizeof(big));
		old[sizeof(big)] = 0;
		put("big", old);
		struct ff_durable *d = model(FF_CRASH_TORN, FF_FSYNCF_DROP, seed);
		long fd = sys6(d, SYS_openat, (uint64_t)AT_FDCWD, P("big"), O_WRONLY, 0);
		cr_assert_eq(sys6(d, SYS_write, (uint64_t)fd, P(big), sizeof(big), 0), (long)sizeof(big));
		close((int)fd);
		cut(d, NULL);
		FILE *f = fopen("big", "r");
		char got[sizeof(big)];
		cr_assert_eq(fread(got, 1, sizeof(got), f), sizeof(got));
		fclose(f);
		int n = 0;
		for (int p = 0; p < 5; p++) {
			char c = got[p * 4096];
			for (int i = 0; i < 4096; i++)
				cr_assert_eq(got[p * 4096 + i], c, "seed %llu: page %d is torn inside",
					     (unsigned long long)seed, p);
			n += c == 'N';
		}
		partial += n > 0 && n < 5;
		ff_durable_free(d);
	}
	printf("16 seeds: %d left the 5-page write partly on disk\n", partial);
	cr_expect(partial > 0);
}

/* ---- File-system profiles (--fs): one test per rule of core/durable/durable_fs.c. */

static struct ff_durable *model_fs(uint8_t mode, uint8_t fs, uint64_t seed)
{
	struct ff_durable *d = model(mode, FF_FSYNCF_DROP, seed);
	ff_durable_set_fs(d, fs);
	return d;
}

/* A fresh subdirectory per profile, entered; returns its model. */
static struct ff_durable *in_sub(const char *tag, uint8_t mode, uint8_t fs, uint64_t seed)
{
	char sub[64];
	snprintf(sub, sizeof(sub), "%s-%s-%llu", tag, ff_fs_name(fs), (unsigned long long)seed);
	cr_assert_eq(mkdir(sub, 0755), 0);
	cr_assert_eq(chdir(sub), 0);
	put("data.txt", "old");
	return model_fs(mode, fs, seed);
}

static void leave(struct ff_durable *d)
{
	ff_durable_free(d);
	cr_assert_eq(chdir(".."), 0);
}

/* name := text through the model; fsynced when sync. */
static void mput(struct ff_durable *d, const char *name, const char *text, bool sync, int extra)
{
	long fd = sys6(d, SYS_openat, (uint64_t)AT_FDCWD, P(name), O_WRONLY | O_CREAT | O_TRUNC | extra, 0644);
	cr_assert(fd >= 0, "open %s", name);
	cr_assert_eq(sys6(d, SYS_write, (uint64_t)fd, P(text), strlen(text), 0), (long)strlen(text));
	if (sync)
		cr_assert_eq(sys6(d, SYS_fsync, (uint64_t)fd, 0, 0, 0), 0);
	close((int)fd);
}

/* posix: a file's fsync does not make its new name durable; ext4 and XFS
 * (the journal commit carries the entry) and btrfs (the log tree logs the
 * inode's names) do. */
Test(durable, fs_fsync_of_a_new_file_and_its_name)
{
	const char *want[FF_FS_COUNT] = {"<missing>", "new", "new", "new"};
	for (uint8_t fs = 0; fs < FF_FS_COUNT; fs++) {
		struct ff_durable *d = in_sub("newfile", FF_CRASH_LOSE_ALL, fs, 1);
		mput(d, "f", "new", true, 0);
		cut(d, NULL);
		printf("%s: fsync of a new file, no directory fsync: f %s\n", ff_fs_name(fs), get("f"));
		cr_expect_str_eq(get("f"), want[fs], "%s", ff_fs_name(fs));
		leave(d);
	}
}

/* ext4 and XFS: the fsync of another file commits an earlier rename; posix
 * and btrfs (the other file's log has nothing of the rename): not. */
Test(durable, fs_unrelated_fsync_commits_earlier_renames_on_ext4_and_xfs)
{
	const char *want[FF_FS_COUNT] = {"old", "new", "new", "old"};
	for (uint8_t fs = 0; fs < FF_FS_COUNT; fs++) {
		struct ff_durable *d = in_sub("rename", FF_CRASH_LOSE_ALL, fs, 1);
		mput(d, "tmp", "new", true, 0);
		cr_assert_eq(sys6(d, SYS_rename, P("tmp"), P("data.txt"), 0, 0), 0);
		mput(d, "other", "x", true, 0);
		cut(d, NULL);
		printf("%s: rename, then another file's fsync: data.txt %s\n", ff_fs_name(fs), get("data.txt"));
		cr_expect_str_eq(get("data.txt"), want[fs], "%s", ff_fs_name(fs));
		leave(d);
	}
}

/* btrfs logs the fsynced file's own names, not an unrelated new one; ext4
 * and XFS commit both; posix neither. */
Test(durable, fs_btrfs_logs_only_the_fsynced_files_names)
{
	const char *want_a[FF_FS_COUNT] = {"<missing>", "A", "A", "A"};
	const char *want_b[FF_FS_COUNT] = {"<missing>", "", "", "<missing>"};
	for (uint8_t fs = 0; fs < FF_FS_COUNT; fs++) {
		struct ff_durable *d = in_sub("own", FF_CRASH_LOSE_ALL, fs, 1);
		long fd = sys6(d, SYS_openat, (uint64_t)AT_FDCWD, P("b"), O_WRONLY | O_CREAT, 0644);
		close((int)fd);
		mput(d, "a", "A", true, 0);
		cut(d, NULL);
		printf("%s: b created, a created and fsynced: a %s, ", ff_fs_name(fs), get("a"));
		printf("b '%s'\n", get("b"));
		cr_expect_str_eq(get("a"), want_a[fs], "%s", ff_fs_name(fs));
		cr_expect_str_eq(get("b"), want_b[fs], "%s", ff_fs_name(fs));
		leave(d);
	}
}

/* ext4's auto_da_alloc: a rename over a file flushes the renamed file's data,
 * so a journal commit (here another file's fsync) carries it; XFS commits the
 * rename without the data: the empty file. */
Test(durable, fs_rename_over_a_file_carries_its_data_on_ext4)
{
	const char *want[FF_FS_COUNT] = {"old", "new", "", "old"};
	for (uint8_t fs = 0; fs < FF_FS_COUNT; fs++) {
		struct ff_durable *d = in_sub("replace", FF_CRASH_LOSE_ALL, fs, 1);
		mput(d, "tmp", "new", false, 0);
		cr_assert_eq(sys6(d, SYS_rename, P("tmp"), P("data.txt"), 0, 0), 0);
		mput(d, "other", "x", true, 0);
		cut(d, NULL);
		printf("%s: unsynced rename over data.txt, then another fsync: '%s'\n", ff_fs_name(fs),
		       get("data.txt"));
		cr_expect_str_eq(get("data.txt"), want[fs], "%s", ff_fs_name(fs));
		leave(d);
	}
}

/* ext4's auto_da_alloc: a truncate to 0 then a write: the commit carries the
 * data with the truncate; XFS: the truncate without it. */
Test(durable, fs_truncate_then_write_carries_its_data_on_ext4)
{
	const char *want[FF_FS_COUNT] = {"old", "new", "", "old"};
	for (uint8_t fs = 0; fs < FF_FS_COUNT; fs++) {
		struct ff_durable *d = in_sub("trunc", FF_CRASH_LOSE_ALL, fs, 1);
		mput(d, "data.txt", "new", false, 0);
		mput(d, "other", "x", true, 0);
		cut(d, NULL);
		printf("%s: O_TRUNC, write, then another fsync: '%s'\n", ff_fs_name(fs), get("data.txt"));
		cr_expect_str_eq(get("data.txt"), want[fs], "%s", ff_fs_name(fs));
		leave(d);
	}
}

/* A directory fsync: the names in it under posix and btrfs; ext4 and XFS
 * commit every earlier change (a name in another directory too). */
Test(durable, fs_directory_fsync)
{
	const char *want[FF_FS_COUNT] = {"<missing>", "", "", "<missing>"};
	for (uint8_t fs = 0; fs < FF_FS_COUNT; fs++) {
		struct ff_durable *d = in_sub("dirsync", FF_CRASH_LOSE_ALL, fs, 1);
		mkdir("sub", 0755);
		long fd = sys6(d, SYS_openat, (uint64_t)AT_FDCWD, P("sub/x"), O_WRONLY | O_CREAT, 0644);
		close((int)fd);
		fd = sys6(d, SYS_openat, (uint64_t)AT_FDCWD, P("y"), O_WRONLY | O_CREAT, 0644);
		close((int)fd);
		long dfd = open(".", O_RDONLY | O_DIRECTORY);
		cr_assert_eq(sys6(d, SYS_fsync, (uint64_t)dfd, 0, 0, 0), 0);
		close((int)dfd);
		cut(d, NULL);
		printf("%s: fsync of . keeps y %s, sub/x '%s'\n", ff_fs_name(fs), get("y"), get("sub/x"));
		cr_expect_str_eq(get("y"), "", "%s", ff_fs_name(fs));
		cr_expect_str_eq(get("sub/x"), want[fs], "%s", ff_fs_name(fs));
		leave(d);
	}
}

/* ---- torn never leaves a state outside its profile's rules (properties over many seeds). */

/* Appends within a page, and an append that extends the file over pages:
 * what survives is the durable content plus a prefix of what was appended
 * (a page is written with all it held at some moment: never a later append
 * without an earlier one, never NULs). */
Test(durable, torn_appends_leave_a_prefix)
{
	static const char *lines[3] = {"first line of three\n", "second line of thre\n", "third line of three\n"};
	static char big[9000];
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)('a' + i % 26);
	int seen[4] = {0}, partial = 0;
	for (uint8_t fs = 0; fs < FF_FS_COUNT; fs++)
		for (uint64_t seed = 1; seed <= 100; seed++) {
			struct ff_durable *d = in_sub("appends", FF_CRASH_TORN, fs, seed);
			put("log.txt", "");
			put("grow", "0123456789");
			long fd = sys6(d, SYS_openat, (uint64_t)AT_FDCWD, P("log.txt"), O_WRONLY | O_APPEND, 0);
			for (int i = 0; i < 3; i++)
				cr_assert_eq(sys6(d, SYS_write, (uint64_t)fd, P(lines[i]), 20, 0), 20);
			close((int)fd);
			fd = sys6(d, SYS_openat, (uint64_t)AT_FDCWD, P("grow"), O_WRONLY | O_APPEND, 0);
			cr_assert_eq(sys6(d, SYS_write, (uint64_t)fd, P(big), sizeof(big), 0), (long)sizeof(big));
			close((int)fd);
			cut(d, NULL);
			char want[64] = "";
			const char *got = get("log.txt");
			int k = 0;
			while (k <= 3 && strcmp(got, want)) {
				if (k < 3)
					strcat(want, lines[k]);
				k++;
			}
			cr_expect(k <= 3, "%s seed %llu: log.txt holds '%s', not a prefix of the appends",
				  ff_fs_name(fs), (unsigned long long)seed, got);
			if (k <= 3)
				seen[k]++;
			FILE *f = fopen("grow", "r");
			static char g[sizeof(big) + 64];
			size_t n = fread(g, 1, sizeof(g), f);
			fclose(f);
			cr_expect(n >= 10 && !memcmp(g, "0123456789", 10) && !memcmp(g + 10, big, n - 10),
				  "%s seed %llu: grow is not its durable content plus a prefix of the append",
				  ff_fs_name(fs), (unsigned long long)seed);
			partial += n > 10 && n < 10 + sizeof(big);
			leave(d);
		}
	printf("400 torn cuts: log.txt kept 0, 1, 2, 3 appends: %d %d %d %d; grow partly appended %d times\n", seen[0],
	       seen[1], seen[2], seen[3], partial);
	cr_expect(seen[0] && seen[1] && seen[2] && seen[3], "every prefix shows up");
}

/* Name changes under a journal (ext4, XFS, btrfs) reach the disk as one
 * prefix, in call order: of mkdir A, B, C the ones left are A, AB or ABC.
 * posix keeps a coin per name: any subset. */
Test(durable, torn_names_keep_their_order_per_profile)
{
	int subsets[FF_FS_COUNT] = {0};
	for (uint8_t fs = 0; fs < FF_FS_COUNT; fs++) {
		bool seen[8] = {false};
		for (uint64_t seed = 1; seed <= 100; seed++) {
			struct ff_durable *d = in_sub("order", FF_CRASH_TORN, fs, seed);
			const char *names[3] = {"A", "B", "C"};
			for (int i = 0; i < 3; i++)
				cr_assert_eq(sys6(d, SYS_mkdir, P(names[i]), 0755, 0, 0), 0);
			cut(d, NULL);
			struct stat sb;
			int mask = 0;
			for (int i = 0; i < 3; i++)
				mask |= (stat(names[i], &sb) == 0) << i;
			seen[mask] = true;
			if (fs != FF_FS_POSIX)
				cr_expect(mask == 0 || mask == 1 || mask == 3 || mask == 7,
					  "%s seed %llu: directories %s%s%s survived", ff_fs_name(fs),
					  (unsigned long long)seed, mask & 1 ? "A" : "", mask & 2 ? "B" : "",
					  mask & 4 ? "C" : "");
			leave(d);
		}
		for (int i = 0; i < 8; i++)
			subsets[fs] += seen[i];
		printf("%s: %d distinct sets of A, B, C survived over 100 seeds\n", ff_fs_name(fs), subsets[fs]);
	}
	cr_expect_eq(subsets[FF_FS_POSIX], 8, "posix: names are independent");
	cr_expect_eq(subsets[FF_FS_EXT4], 4);
}

/* torn under ext4 (auto_da_alloc): the naive save leaves old or new, never
 * the empty file; under XFS it can. */
Test(durable, torn_naive_save_per_profile)
{
	int empty[FF_FS_COUNT] = {0};
	for (uint8_t fs = 0; fs < FF_FS_COUNT; fs++)
		for (uint64_t seed = 1; seed <= 100; seed++) {
			struct ff_durable *d = in_sub("naive", FF_CRASH_TORN, fs, seed);
			save(d, false);
			cut(d, NULL);
			const char *f = get("data.txt");
			cr_expect(!strcmp(f, "old") || !strcmp(f, "new") || !*f, "%s seed %llu: '%s'", ff_fs_name(fs),
				  (unsigned long long)seed, f);
			empty[fs] += !*f;
			leave(d);
		}
	printf("naive save, torn, 100 seeds: empty data.txt posix %d, ext4 %d, xfs %d, btrfs %d\n", empty[0], empty[1],
	       empty[2], empty[3]);
	cr_expect_eq(empty[FF_FS_EXT4], 0);
	cr_expect_eq(empty[FF_FS_BTRFS], 0);
	cr_expect_gt(empty[FF_FS_XFS], 0);
	cr_expect_gt(empty[FF_FS_POSIX], 0);
}

/* A file grown by a size change, then written in the new part (as gdbm grows
 * its file, then fills it): when torn loses the growth, the data written into
 * it does not survive either; the file never holds data past the size the
 * cut gave it. */
Test(durable, torn_data_past_a_lost_growth_does_not_survive)
{
	int lost = 0;
	for (uint8_t fs = 0; fs < FF_FS_COUNT; fs++)
		for (uint64_t seed = 1; seed <= 50; seed++) {
			struct ff_durable *d = in_sub("grow", FF_CRASH_TORN, fs, seed);
			long fd = sys6(d, SYS_openat, (uint64_t)AT_FDCWD, P("data.txt"), O_RDWR, 0);
			cr_assert_eq(sys6(d, SYS_ftruncate, (uint64_t)fd, 8192, 0, 0), 0);
			cr_assert_eq(sys6(d, SYS_pwrite64, (uint64_t)fd, P("X"), 1, 4096), 1);
			close((int)fd);
			cut(d, NULL);
			struct stat sb;
			cr_assert_eq(stat("data.txt", &sb), 0);
			cr_expect(sb.st_size == 3 || sb.st_size == 8192, "%s seed %llu: size %lld", ff_fs_name(fs),
				  (unsigned long long)seed, (long long)sb.st_size);
			if (sb.st_size == 3) {
				cr_expect_str_eq(get("data.txt"), "old");
				lost++;
			}
			leave(d);
		}
	printf("200 torn cuts of a growth then a write into it: the growth lost %d times, never the data past it\n",
	       lost);
	cr_expect_gt(lost, 0);
}

/* Under a journal an append shows only when its size change commits, in
 * journal order: an append made after a mkdir never survives without the
 * directory (ext4, XFS, btrfs); posix promises no order (git's reflog entry
 * for an object whose name was lost). */
Test(durable, torn_append_after_a_lost_name_change_is_lost_under_a_journal)
{
	int alone[FF_FS_COUNT] = {0};
	for (uint8_t fs = 0; fs < FF_FS_COUNT; fs++)
		for (uint64_t seed = 1; seed <= 60; seed++) {
			struct ff_durable *d = in_sub("jorder", FF_CRASH_TORN, fs, seed);
			put("log.txt", "");
			cr_assert_eq(sys6(d, SYS_mkdir, P("A"), 0755, 0, 0), 0);
			long fd = sys6(d, SYS_openat, (uint64_t)AT_FDCWD, P("log.txt"), O_WRONLY | O_APPEND, 0);
			cr_assert_eq(sys6(d, SYS_write, (uint64_t)fd, P("entry\n"), 6, 0), 6);
			close((int)fd);
			cut(d, NULL);
			struct stat sb;
			alone[fs] += stat("A", &sb) != 0 && !strcmp(get("log.txt"), "entry\n");
			leave(d);
		}
	printf("append kept without the earlier mkdir: posix %d, ext4 %d, xfs %d, btrfs %d of 60\n", alone[0], alone[1],
	       alone[2], alone[3]);
	cr_expect_gt(alone[FF_FS_POSIX], 0);
	cr_expect_eq(alone[FF_FS_EXT4] + alone[FF_FS_XFS] + alone[FF_FS_BTRFS], 0);
}
