/* cat_files: calls every file syscall of the catalogue once or twice in its
 * working directory, through syscall(2) so that each is the syscall named (not
 * what libc turns it into), and prints one line per call:
 *
 *   SYSCALL SITE -> RESULT [data "BYTES"]     or     SYSCALL SITE -> -1 ERRNONAME
 *
 * SITE is what fifuzz names the call's site: the path argument, or the path of
 * the descriptor the catalogue names (copy_file_range: the file written,
 * sendfile: the file read, symlink: the link). Reads print the bytes they got;
 * getdents64 prints the sorted names. A call whose input is missing because
 * an earlier call failed is left out, so no call fails by itself and every
 * errno printed is one fifuzz injected. Exits 0. tests/integ/check.py reads
 * this format (cat_lines). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

/* Prints the line of a call and returns its result. */
static long show(const char *sc, const char *site, long r)
{
	if (r < 0)
		printf("%s %s -> -1 %s\n", sc, site, strerrorname_np(errno));
	else
		printf("%s %s -> %ld\n", sc, site, r);
	return r;
}

/* Prints the line of a read, with the bytes it got. */
static long show_data(const char *sc, const char *site, long r, const char *buf)
{
	if (r < 0)
		return show(sc, site, r);
	printf("%s %s -> %ld data \"", sc, site, r);
	for (long i = 0; i < r; i++) {
		unsigned char c = (unsigned char)buf[i];
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			putchar(c);
		else
			printf("\\x%02x", c);
	}
	printf("\"\n");
	return r;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* getdents64 on the directory fd, printing the sorted entry names. */
static void list_dir(int fd, const char *site)
{
	char buf[4096], *names[64];
	long r = syscall(SYS_getdents64, fd, buf, sizeof(buf));
	int n = 0;

	if (r < 0) {
		show("getdents64", site, r);
		return;
	}
	for (long off = 0; off < r && n < 64;) {
		unsigned short reclen;
		memcpy(&reclen, buf + off + 16, sizeof(reclen));
		names[n++] = buf + off + 19;
		off += reclen;
	}
	qsort(names, (size_t)n, sizeof(*names), cmp_str);
	printf("getdents64 %s -> %ld names", site, r > 0 ? (long)n : 0L);
	for (int i = 0; i < n; i++)
		printf(" %s", names[i]);
	printf("\n");
}

/* Opens PATH with openat(AT_FDCWD), printing the call. */
static int open_at(const char *path, int flags)
{
	return (int)show("openat", path, syscall(SYS_openat, AT_FDCWD, path, flags, 0644));
}

int main(void)
{
	char buf[128];
	struct iovec iov[2];
	struct stat st;
	struct statx stx;
	int sub, d2, d3, fa, fb, fc, fs, fr, fdir, fcc, fdd;
	int l1 = 0, l2 = 0, r1 = 0, r2 = 0, r3 = 0, s1 = 0, s2 = 0;
	loff_t off;

	/* Directories. */
	sub = show("mkdir", "sub", syscall(SYS_mkdir, "sub", 0755)) == 0;
	d2 = show("mkdirat", "d2", syscall(SYS_mkdirat, AT_FDCWD, "d2", 0755)) == 0;
	d3 = show("mkdir", "d3", syscall(SYS_mkdir, "d3", 0755)) == 0;

	/* Creating and writing. */
	fa = (int)show("open", "a1.dat", syscall(SYS_open, "a1.dat", O_RDWR | O_CREAT | O_TRUNC, 0644));
	fb = open_at("a2.dat", O_RDWR | O_CREAT | O_TRUNC);
	fc = (int)show("creat", "b.dat", syscall(SYS_creat, "b.dat", 0644));
	fs = sub ? open_at("sub/a3.dat", O_RDWR | O_CREAT | O_TRUNC) : -1;
	if (fa >= 0)
		show("write", "a1.dat", syscall(SYS_write, fa, "alpha-one-data\n", 15));
	if (fb >= 0)
		show("pwrite64", "a2.dat", syscall(SYS_pwrite64, fb, "alpha-two-data\n", 15, 0));
	if (fc >= 0) {
		iov[0] = (struct iovec){"bravo-", 6};
		iov[1] = (struct iovec){"data-block\n", 11};
		show("writev", "b.dat", syscall(SYS_writev, fc, iov, 2));
	}
	if (fs >= 0) {
		iov[0] = (struct iovec){"sub-", 4};
		iov[1] = (struct iovec){"three-data\n", 11};
		show("pwritev", "sub/a3.dat", syscall(SYS_pwritev, fs, iov, 2, 0, 0));
	}

	/* Durability. */
	if (fa >= 0)
		show("fsync", "a1.dat", syscall(SYS_fsync, fa));
	if (fb >= 0)
		show("fdatasync", "a2.dat", syscall(SYS_fdatasync, fb));
	if (fc >= 0)
		show("sync_file_range", "b.dat", syscall(SYS_sync_file_range, fc, 0, 0, 2 /* WRITE */));
	if (fs >= 0)
		show("syncfs", "sub/a3.dat", syscall(SYS_syncfs, fs));

	/* Sizes and offsets. */
	if (fb >= 0)
		show("ftruncate", "a2.dat", syscall(SYS_ftruncate, fb, 20));
	if (fa >= 0) {
		show("fallocate", "a1.dat", syscall(SYS_fallocate, fa, 1 /* KEEP_SIZE */, 0, 4096));
		show("lseek", "a1.dat", syscall(SYS_lseek, fa, 0, SEEK_SET));
	}

	/* Reading back. */
	if (fa >= 0)
		show_data("read", "a1.dat", syscall(SYS_read, fa, buf, sizeof(buf)), buf);
	if (fb >= 0)
		show_data("pread64", "a2.dat", syscall(SYS_pread64, fb, buf, sizeof(buf), 0), buf);
	if (fs >= 0) {
		iov[0] = (struct iovec){buf, 8};
		iov[1] = (struct iovec){buf + 8, sizeof(buf) - 8};
		show_data("preadv", "sub/a3.dat", syscall(SYS_preadv, fs, iov, 2, 0, 0), buf);
	}
	if (fa >= 0) {
		iov[0] = (struct iovec){buf, 5};
		iov[1] = (struct iovec){buf + 5, sizeof(buf) - 5};
		show_data("preadv2", "a1.dat", syscall(SYS_preadv2, fa, iov, 2, 0, 0, 0), buf);
	}
	fr = fc >= 0 ? open_at("b.dat", O_RDONLY) : -1;
	if (fr >= 0) {
		iov[0] = (struct iovec){buf, 3};
		iov[1] = (struct iovec){buf + 3, sizeof(buf) - 3};
		show_data("readv", "b.dat", syscall(SYS_readv, fr, iov, 2), buf);
	}

	/* Metadata. */
	if (fa >= 0 && show("fstat", "a1.dat", syscall(SYS_fstat, fa, &st)) == 0)
		printf("fstat size %lld\n", (long long)st.st_size);
	if (fb >= 0 && show("newfstatat", "a2.dat", syscall(SYS_newfstatat, AT_FDCWD, "a2.dat", &st, 0)) == 0)
		printf("newfstatat size %lld\n", (long long)st.st_size);
	if (fc >= 0 && show("statx", "b.dat", syscall(SYS_statx, AT_FDCWD, "b.dat", 0, STATX_SIZE, &stx)) == 0)
		printf("statx size %llu\n", (unsigned long long)stx.stx_size);
	if (fc >= 0)
		show("truncate", "b.dat", syscall(SYS_truncate, "b.dat", 12));

	/* In-kernel copies from b.dat. */
	fcc = fr >= 0 ? open_at("c.dat", O_WRONLY | O_CREAT | O_TRUNC) : -1;
	if (fcc >= 0) {
		off = 0;
		show("copy_file_range", "c.dat", syscall(SYS_copy_file_range, fr, &off, fcc, NULL, 64, 0));
	}
	fdd = fr >= 0 ? open_at("d.dat", O_WRONLY | O_CREAT | O_TRUNC) : -1;
	if (fdd >= 0) {
		off = 2;
		show("sendfile", "b.dat", syscall(SYS_sendfile, fdd, fr, &off, 64));
	}

	/* A directory. */
	fdir = sub ? open_at("sub", O_RDONLY | O_DIRECTORY) : -1;
	if (fdir >= 0)
		list_dir(fdir, "sub");

	/* Closing (close runs even when it reports an error). */
	if (fa >= 0)
		show("close", "a1.dat", syscall(SYS_close, fa));
	if (fb >= 0)
		show("close", "a2.dat", syscall(SYS_close, fb));
	if (fc >= 0)
		show("close", "b.dat", syscall(SYS_close, fc));
	if (fs >= 0)
		show("close", "sub/a3.dat", syscall(SYS_close, fs));
	if (fr >= 0)
		show("close", "b.dat", syscall(SYS_close, fr));
	if (fcc >= 0)
		show("close", "c.dat", syscall(SYS_close, fcc));
	if (fdd >= 0)
		show("close", "d.dat", syscall(SYS_close, fdd));
	if (fdir >= 0)
		show("close", "sub", syscall(SYS_close, fdir));

	/* Names: links, symlinks, renames, removals. */
	if (fa >= 0)
		l1 = show("link", "a1.dat", syscall(SYS_link, "a1.dat", "l1.lnk")) == 0;
	if (fb >= 0)
		l2 = show("linkat", "a2.dat", syscall(SYS_linkat, AT_FDCWD, "a2.dat", AT_FDCWD, "l2.lnk", 0)) == 0;
	s1 = show("symlink", "s1.lnk", syscall(SYS_symlink, "a1.dat", "s1.lnk")) == 0;
	s2 = show("symlinkat", "s2.lnk", syscall(SYS_symlinkat, "a2.dat", AT_FDCWD, "s2.lnk")) == 0;
	if (l1)
		r1 = show("rename", "l1.lnk", syscall(SYS_rename, "l1.lnk", "r1.lnk")) == 0;
	if (l2)
		r2 = show("renameat", "l2.lnk", syscall(SYS_renameat, AT_FDCWD, "l2.lnk", AT_FDCWD, "r2.lnk")) == 0;
	if (r1)
		r3 = show("renameat2", "r1.lnk",
			  syscall(SYS_renameat2, AT_FDCWD, "r1.lnk", AT_FDCWD, "r3.lnk", 1 /* NOREPLACE */)) == 0;
	if (r3)
		show("unlink", "r3.lnk", syscall(SYS_unlink, "r3.lnk"));
	if (r2)
		show("unlinkat", "r2.lnk", syscall(SYS_unlinkat, AT_FDCWD, "r2.lnk", 0));
	if (s1)
		show("unlink", "s1.lnk", syscall(SYS_unlink, "s1.lnk"));
	if (s2)
		show("unlinkat", "s2.lnk", syscall(SYS_unlinkat, AT_FDCWD, "s2.lnk", 0));
	if (d2)
		show("rmdir", "d2", syscall(SYS_rmdir, "d2"));
	if (d3)
		show("unlinkat", "d3", syscall(SYS_unlinkat, AT_FDCWD, "d3", AT_REMOVEDIR));
	return 0;
}
