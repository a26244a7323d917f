/* Fresh working directories (template copies, removal of hostile trees)
 * and the output digest behind the silent-corruption oracle. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/campaign/workdir.h"

/* Root reads and removes anything, which would hide the permission cases:
 * run those as nobody, from a directory nobody owns. */
#define NOBODY 65534

static const char *pathf(const char *fmt, ...)
{
	static char bufs[4][PATH_MAX];
	static int k;
	char *b = bufs[k++ % 4];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(b, PATH_MAX, fmt, ap);
	va_end(ap);
	return b;
}

static void put(const char *path, const char *content, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	cr_assert_geq(fd, 0, "create %s: %s", path, strerror(errno));
	size_t len = strlen(content);
	cr_assert_eq(write(fd, content, len), (ssize_t)len);
	cr_assert_eq(fchmod(fd, mode), 0);
	close(fd);
}

static void mkd(const char *path, mode_t mode)
{
	cr_assert_eq(mkdir(path, 0700), 0, "mkdir %s: %s", path, strerror(errno));
	cr_assert_eq(chmod(path, mode), 0);
}

static char *slurp(const char *path)
{
	static char buf[256];
	int fd = open(path, O_RDONLY);
	cr_assert_geq(fd, 0, "open %s: %s", path, strerror(errno));
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	cr_assert_geq(n, 0);
	buf[n] = '\0';
	close(fd);
	return buf;
}

static mode_t mode_of(const char *path)
{
	struct stat st;
	cr_assert_eq(lstat(path, &st), 0, "lstat %s: %s", path, strerror(errno));
	return st.st_mode;
}

static int exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

static char *tmpdir(void)
{
	char *d = strdup("/tmp/ff-workdir-XXXXXX");
	cr_assert(mkdtemp(d), "mkdtemp: %s", strerror(errno));
	return d;
}

static uint64_t digest(const char *dir, char *const *ign, int nign, const char *extra)
{
	uint64_t h = 0;
	int rc = ff_digest_dir(dir, ign, nign, extra, &h);
	cr_assert_eq(rc, 0, "digest %s: %s", dir, strerror(-rc));
	return h;
}

/* Root ignores permissions: these tests drop to nobody. In a user namespace
 * that does not map nobody's uid, seteuid fails with EINVAL: skip there. */
static void become_nobody(void)
{
	if (geteuid() == 0 && seteuid(NOBODY) < 0) {
		if (errno == EINVAL)
			cr_skip_test("uid %d is not mapped in this user namespace: permission tests skipped", NOBODY);
		cr_assert_fail("seteuid: %s", strerror(errno));
	}
	printf("running as uid %d\n", (int)geteuid());
}

static void become_root_again(void)
{
	if (getuid() == 0)
		cr_assert_eq(seteuid(0), 0);
}

Test(workdir, fresh_copies_files_dirs_and_symlinks_with_modes)
{
	char *t = tmpdir(), *w = tmpdir();
	put(pathf("%s/a", t), "alpha", 0640);
	mkd(pathf("%s/sub", t), 0750);
	put(pathf("%s/sub/run.sh", t), "#!/bin/sh\n", 0755);
	put(pathf("%s/ro", t), "read only", 0444);
	mkd(pathf("%s/rodir", t), 0700);
	put(pathf("%s/rodir/in", t), "inside", 0600);
	cr_assert_eq(chmod(pathf("%s/rodir", t), 0555), 0);
	cr_assert_eq(symlink("a", pathf("%s/link", t)), 0);
	cr_assert_eq(symlink("/nowhere/at/all", pathf("%s/dangling", t)), 0);
	cr_assert_eq(mkfifo(pathf("%s/fifo", t), 0600), 0);
	put(pathf("%s/junk", w), "left by the previous run", 0600);

	cr_assert_eq(ff_workdir_fresh(w, t), 0);
	printf("a: \"%s\" mode %o\n", slurp(pathf("%s/a", w)), mode_of(pathf("%s/a", w)) & 07777);
	cr_assert_str_eq(slurp(pathf("%s/a", w)), "alpha");
	cr_assert_eq(mode_of(pathf("%s/a", w)) & 07777, 0640);
	cr_assert(S_ISDIR(mode_of(pathf("%s/sub", w))));
	cr_assert_eq(mode_of(pathf("%s/sub", w)) & 07777, 0750);
	cr_assert_str_eq(slurp(pathf("%s/sub/run.sh", w)), "#!/bin/sh\n");
	cr_assert_eq(mode_of(pathf("%s/sub/run.sh", w)) & 07777, 0755);
	cr_assert_eq(mode_of(pathf("%s/ro", w)) & 07777, 0444);
	cr_assert_str_eq(slurp(pathf("%s/ro", w)), "read only");
	cr_assert_eq(mode_of(pathf("%s/rodir", w)) & 07777, 0555, "a read-only dir is filled, then made read-only");
	cr_assert_str_eq(slurp(pathf("%s/rodir/in", w)), "inside");

	char target[64] = "";
	cr_assert(S_ISLNK(mode_of(pathf("%s/link", w))), "symlinks stay symlinks");
	cr_assert_eq(readlink(pathf("%s/link", w), target, sizeof(target) - 1), 1);
	printf("link -> %s\n", target);
	cr_assert_str_eq(target, "a");
	memset(target, 0, sizeof(target));
	cr_assert(S_ISLNK(mode_of(pathf("%s/dangling", w))));
	cr_assert_gt(readlink(pathf("%s/dangling", w), target, sizeof(target) - 1), 0);
	cr_assert_str_eq(target, "/nowhere/at/all");
	cr_assert_not(exists(pathf("%s/fifo", w)), "fifos are skipped");
	cr_assert_not(exists(pathf("%s/junk", w)), "the previous content is gone");
	printf("template copied: files, dirs, symlinks with modes; fifo skipped; junk removed\n");

	/* Without a template: an empty directory, 0755 before the umask. */
	cr_assert_eq(ff_workdir_fresh(w, NULL), 0);
	cr_assert(S_ISDIR(mode_of(w)));
	cr_assert_not(exists(pathf("%s/a", w)));

	/* A copy digests like its template (once the skipped fifo is gone from it). */
	cr_assert_eq(ff_workdir_fresh(w, t), 0);
	cr_assert_neq(digest(w, NULL, 0, NULL), digest(t, NULL, 0, NULL), "the fifo counts by name in the template");
	cr_assert_eq(unlink(pathf("%s/fifo", t)), 0);
	cr_assert_eq(digest(w, NULL, 0, NULL), digest(t, NULL, 0, NULL));
	cr_assert_eq(ff_workdir_remove(t), 0);
	cr_assert_eq(ff_workdir_remove(w), 0);
	free(t);
	free(w);
}

Test(workdir, remove_survives_read_only_dirs_and_never_follows_symlinks)
{
	char *outside = tmpdir();
	put(pathf("%s/keep", outside), "precious", 0600);
	cr_assert_eq(chmod(outside, 0777), 0);
	become_nobody();
	char *d = tmpdir();
	mkd(pathf("%s/ro", d), 0700);
	put(pathf("%s/ro/f", d), "x", 0400);
	mkd(pathf("%s/ro/deeper", d), 0700);
	put(pathf("%s/ro/deeper/g", d), "y", 0600);
	cr_assert_eq(chmod(pathf("%s/ro/deeper", d), 0500), 0);
	cr_assert_eq(chmod(pathf("%s/ro", d), 0555), 0);
	mkd(pathf("%s/locked", d), 0700);
	put(pathf("%s/locked/h", d), "z", 0600);
	cr_assert_eq(chmod(pathf("%s/locked", d), 0), 0, "no permission at all");
	cr_assert_eq(symlink(outside, pathf("%s/out", d)), 0);
	cr_assert_eq(symlink(pathf("%s/keep", outside), pathf("%s/keepfile", d)), 0);

	int rc = ff_workdir_remove(d);
	printf("remove of a tree with 0555, 0500 and 0000 dirs: %d (%s)\n", rc, rc ? strerror(-rc) : "ok");
	cr_assert_eq(rc, 0);
	cr_assert_not(exists(d));
	become_root_again();
	cr_assert_str_eq(slurp(pathf("%s/keep", outside)), "precious", "symlinked targets are untouched");
	cr_assert_eq(ff_workdir_remove(d), 0, "a missing dir is not an error");

	/* A symlink given as the dir: only the link goes. */
	cr_assert_eq(symlink(outside, d), 0);
	cr_assert_eq(ff_workdir_remove(pathf("%s/", d)), 0);
	cr_assert_not(exists(d));
	cr_assert_str_eq(slurp(pathf("%s/keep", outside)), "precious");
	cr_assert_eq(ff_workdir_remove("/"), -EINVAL);
	cr_assert_eq(ff_workdir_remove("."), -EINVAL);
	printf("symlink as dir: link removed, target kept; \"/\" and \".\" refused\n");
	cr_assert_eq(ff_workdir_remove(outside), 0);
	free(d);
	free(outside);
}

/* Builds the same tree in one of two orders. */
static void build(const char *d, int reverse)
{
	if (!reverse) {
		put(pathf("%s/a", d), "one", 0644);
		put(pathf("%s/b", d), "two", 0644);
		mkd(pathf("%s/sub", d), 0755);
		put(pathf("%s/sub/c", d), "three", 0644);
		mkd(pathf("%s/empty", d), 0755);
		cr_assert_eq(symlink("a", pathf("%s/ln", d)), 0);
	} else {
		cr_assert_eq(symlink("a", pathf("%s/ln", d)), 0);
		mkd(pathf("%s/empty", d), 0755);
		mkd(pathf("%s/sub", d), 0755);
		put(pathf("%s/sub/c", d), "three", 0600);
		put(pathf("%s/b", d), "two", 0644);
		put(pathf("%s/a", d), "one", 0644);
	}
}

Test(workdir, digest_is_stable_and_sees_every_change)
{
	char *x = tmpdir(), *y = tmpdir(), *o = tmpdir();
	build(x, 0);
	build(y, 1);
	uint64_t hx = digest(x, NULL, 0, NULL), hy = digest(y, NULL, 0, NULL);
	printf("same tree, two creation orders: %016llx %016llx\n", (unsigned long long)hx, (unsigned long long)hy);
	cr_assert_eq(hx, hy);
	cr_assert_eq(digest(x, NULL, 0, NULL), hx, "twice the same");

	put(pathf("%s/sub/c", y), "thref", 0644);
	uint64_t h = digest(y, NULL, 0, NULL);
	printf("one byte changed: %016llx\n", (unsigned long long)h);
	cr_assert_neq(h, hx);
	put(pathf("%s/sub/c", y), "three", 0644);
	cr_assert_eq(digest(y, NULL, 0, NULL), hx, "and back");

	put(pathf("%s/new", y), "", 0644);
	cr_assert_neq(digest(y, NULL, 0, NULL), hx, "an added empty file counts");
	cr_assert_eq(unlink(pathf("%s/new", y)), 0);
	mkd(pathf("%s/sub/newdir", y), 0755);
	cr_assert_neq(digest(y, NULL, 0, NULL), hx, "an added empty dir counts");
	cr_assert_eq(rmdir(pathf("%s/sub/newdir", y)), 0);

	cr_assert_eq(rename(pathf("%s/b", y), pathf("%s/bb", y)), 0);
	cr_assert_neq(digest(y, NULL, 0, NULL), hx, "a rename counts");
	cr_assert_eq(rename(pathf("%s/bb", y), pathf("%s/b", y)), 0);
	/* Moving content between names: a=two, b=one. */
	put(pathf("%s/a", y), "two", 0644);
	put(pathf("%s/b", y), "one", 0644);
	cr_assert_neq(digest(y, NULL, 0, NULL), hx, "swapped contents count");
	put(pathf("%s/a", y), "one", 0644);
	put(pathf("%s/b", y), "two", 0644);

	cr_assert_eq(unlink(pathf("%s/ln", y)), 0);
	cr_assert_eq(symlink("b", pathf("%s/ln", y)), 0);
	cr_assert_neq(digest(y, NULL, 0, NULL), hx, "a symlink's target counts");
	cr_assert_eq(unlink(pathf("%s/ln", y)), 0);
	cr_assert_eq(symlink("a", pathf("%s/ln", y)), 0);
	cr_assert_eq(digest(y, NULL, 0, NULL), hx);

	/* stdout: part of the digest, under a name no file can have. */
	put(pathf("%s/out1", o), "hello\n", 0644);
	put(pathf("%s/out2", o), "hello!\n", 0644);
	uint64_t s1 = digest(x, NULL, 0, pathf("%s/out1", o));
	uint64_t s2 = digest(x, NULL, 0, pathf("%s/out2", o));
	printf("stdout hello / hello!: %016llx %016llx\n", (unsigned long long)s1, (unsigned long long)s2);
	cr_assert_neq(s1, hx);
	cr_assert_neq(s1, s2);
	put(pathf("%s/e", o), "", 0644);
	cr_assert_neq(digest(x, NULL, 0, pathf("%s/e", o)), hx, "an empty stdout still differs from none");
	/* The same bytes as a file named "stdout" in the tree are not stdout. */
	char *z = tmpdir();
	put(pathf("%s/stdout", z), "hello\n", 0644);
	char *w = tmpdir();
	uint64_t as_file = digest(z, NULL, 0, NULL), as_stdout = digest(w, NULL, 0, pathf("%s/out1", o));
	cr_assert_neq(as_file, as_stdout);

	for (char *d, **p = (char *[]){x, y, o, z, w, NULL}; (d = *p); p++) {
		cr_assert_eq(ff_workdir_remove(d), 0);
		free(d);
	}
}

Test(workdir, ignore_globs_by_basename_and_by_path)
{
	char *x = tmpdir(), *y = tmpdir();
	build(x, 0);
	build(y, 0);
	uint64_t base = digest(x, NULL, 0, NULL);
	mkd(pathf("%s/sub/cache", y), 0755);
	put(pathf("%s/sub/cache/blob", y), "noise", 0644);
	put(pathf("%s/sub/run.log", y), "12:00 started", 0644);
	put(pathf("%s/t.pid", y), "4242", 0644);
	mkd(pathf("%s/__pycache__", y), 0755);
	put(pathf("%s/__pycache__/m.pyc", y), "bytecode", 0644);
	cr_assert_neq(digest(y, NULL, 0, NULL), base);

	char *globs[] = {"*.log", "sub/cache", "t.pid", "__pycache__"};
	uint64_t h = digest(y, globs, 4, NULL);
	printf("without ignores %016llx, with %016llx, clean tree %016llx\n",
	       (unsigned long long)digest(y, NULL, 0, NULL), (unsigned long long)h, (unsigned long long)base);
	cr_assert_eq(h, base, "*.log (basename), sub/cache (path, with its subtree), __pycache__ (a dir by basename)");

	/* Without FNM_PATHNAME, '*' crosses '/': the glob sub/(star) takes everything below sub. */
	char *under_y[] = {"sub/*", "t.pid", "__pycache__"}, *under_x[] = {"sub/*"};
	cr_assert_eq(digest(y, under_y, 3, NULL), digest(x, under_x, 1, NULL));
	cr_assert_neq(digest(x, under_x, 1, NULL), base);
	/* A glob with '/' matches whole relative paths only, never a basename. */
	char *path_only[] = {"zzz/a"};
	cr_assert_eq(digest(x, path_only, 1, NULL), base);
	/* Ignoring changes the digest only when something matched. */
	char *nothing[] = {"*.nomatch"};
	cr_assert_eq(digest(x, nothing, 1, NULL), base);
	char *a_only[] = {"a"};
	cr_assert_neq(digest(x, a_only, 1, NULL), base);
	cr_assert_eq(ff_workdir_remove(x), 0);
	cr_assert_eq(ff_workdir_remove(y), 0);
	free(x);
	free(y);
}

/* A missing stdout file is an error (-ENOENT), not a distinct digest: the
 * caller named a file that must exist, so a typo never passes silently. */
Test(workdir, missing_stdout_file_is_an_error)
{
	char *x = tmpdir();
	uint64_t h = 0x1234;
	int rc = ff_digest_dir(x, NULL, 0, pathf("%s/no-such-stdout", x), &h);
	printf("missing extra file: %d (%s), out untouched: %llx\n", rc, strerror(-rc), (unsigned long long)h);
	cr_assert_eq(rc, -ENOENT);
	cr_assert_eq(h, 0x1234);
	cr_assert_eq(ff_digest_dir(pathf("%s/no-such-dir", x), NULL, 0, NULL, &h), -ENOENT);
	cr_assert_eq(ff_workdir_remove(x), 0);
	free(x);
}

Test(workdir, unreadable_files_count_by_their_error)
{
	become_nobody();
	char *x = tmpdir();
	put(pathf("%s/secret", x), "abc", 0644);
	mkd(pathf("%s/closed", x), 0755);
	put(pathf("%s/closed/f", x), "def", 0644);
	uint64_t readable = digest(x, NULL, 0, NULL);
	cr_assert_eq(chmod(pathf("%s/secret", x), 0), 0);
	uint64_t h1 = digest(x, NULL, 0, NULL);
	put(pathf("%s/other", x), "", 0644);
	cr_assert_eq(unlink(pathf("%s/other", x)), 0);
	cr_assert_eq(digest(x, NULL, 0, NULL), h1, "the error value is stable");
	cr_assert_eq(chmod(pathf("%s/closed", x), 0), 0);
	uint64_t h2 = digest(x, NULL, 0, NULL);
	printf("readable %016llx, file 000 %016llx, dir 000 too %016llx\n", (unsigned long long)readable,
	       (unsigned long long)h1, (unsigned long long)h2);
	cr_assert_neq(h1, readable);
	cr_assert_neq(h2, h1);
	cr_assert_eq(ff_workdir_remove(x), 0);
	become_root_again();
	free(x);
}

static void chain(const char *top, int levels)
{
	int fd = open(top, O_RDONLY | O_DIRECTORY);
	cr_assert_geq(fd, 0);
	for (int i = 0; i < levels; i++) {
		cr_assert_eq(mkdirat(fd, "d", 0755), 0);
		int nfd = openat(fd, "d", O_RDONLY | O_DIRECTORY);
		cr_assert_geq(nfd, 0);
		close(fd);
		fd = nfd;
	}
	int f = openat(fd, "leaf", O_WRONLY | O_CREAT, 0644);
	cr_assert_geq(f, 0);
	cr_assert_eq(write(f, "bottom", 6), 6);
	close(f);
	close(fd);
}

Test(workdir, deep_trees_work_and_very_deep_ones_give_eloop)
{
	char *x = tmpdir(), *y = tmpdir();
	chain(x, 100);
	uint64_t h = digest(x, NULL, 0, NULL);
	cr_assert_eq(ff_workdir_fresh(y, x), 0, "a 100-level template is copied");
	cr_assert_eq(digest(y, NULL, 0, NULL), h);
	printf("100 levels: digest %016llx, copied and digested alike\n", (unsigned long long)h);
	cr_assert_eq(ff_workdir_remove(x), 0);
	cr_assert_eq(ff_workdir_remove(y), 0);

	cr_assert_eq(mkdir(x, 0755), 0);
	chain(x, 300);
	uint64_t dummy;
	int rc = ff_digest_dir(x, NULL, 0, NULL, &dummy);
	printf("300 levels: digest %d (%s)\n", rc, strerror(-rc));
	cr_assert_eq(rc, -ELOOP);
	cr_assert_eq(ff_workdir_remove(x), -ELOOP);
	/* Cut the chain in two to clean up. */
	char mid[PATH_MAX];
	int n = snprintf(mid, sizeof(mid), "%s", x);
	for (int i = 0; i < 150; i++)
		n += snprintf(mid + n, sizeof(mid) - n, "/d");
	cr_assert_eq(rename(mid, pathf("%s-lower", x)), 0);
	cr_assert_eq(ff_workdir_remove(pathf("%s-lower", x)), 0);
	cr_assert_eq(ff_workdir_remove(x), 0);
	cr_assert_not(exists(x));
	free(x);
	free(y);
}
