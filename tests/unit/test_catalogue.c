/* The catalogue and the generated errno table. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <sys/syscall.h>

#include "core/catalogue.h"

Test(catalogue, every_entry_parses)
{
	cr_assert_eq(ff_catalogue_init(), 0);
	for (int i = 0; i < FF_SC_COUNT; i++) {
		const struct ff_sc *s = &ff_sc_table[i];
		printf("%s: nr %ld, %d errnos\n", s->name, s->nr, s->nerrnos);
		cr_assert(s->nerrnos > 0 || !s->kinds, "%s: fault kinds without errnos",
			  s->name); /* sync cannot fail */
		cr_assert_eq(ff_sc_by_nr(s->nr), i);
		cr_assert_eq(ff_sc_by_name(s->name), i);
	}
	cr_assert_eq(ff_sc_by_nr(SYS_getpid), -1);
	cr_assert_eq(ff_sc_by_name("frobnicate"), -1);
}

Test(catalogue, errno_names_come_from_the_generated_table)
{
	cr_assert_str_eq(ff_errno_name(EIO), "EIO");
	cr_assert_str_eq(ff_errno_name(EAGAIN), "EAGAIN", "the canonical name before its alias");
	cr_assert_eq(ff_errno_by_name("EWOULDBLOCK"), EAGAIN);
	cr_assert_eq(ff_errno_by_name("ENOSPC"), ENOSPC);
	cr_assert_eq(ff_errno_by_name("EBOGUS"), -1);
	cr_assert_null(ff_errno_name(4000));
}

Test(catalogue, kind_names_round_trip)
{
	for (int k = 0; k < FF_FAULT_COUNT; k++)
		cr_assert_eq(ff_fault_by_name(ff_fault_name(k)), k);
	for (int k = 0; k < FF_FD_COUNT; k++)
		cr_assert_eq(ff_fdkind_by_name(ff_fdkind_name(k)), k);
	cr_assert_eq(ff_fault_by_name("melt"), -1);
}

Test(catalogue, realism_depends_on_the_fd_kind)
{
	ff_catalogue_init();
	int out[FF_MAX_ERRNOS], n;
	n = ff_sc_errnos(FF_SC_write, FF_FD_FILE, FF_PROFILE_REALISTIC, NULL, 0, out);
	printf("write on a file: %d errnos, first %s\n", n, ff_errno_name(out[0]));
	cr_assert_eq(n, 3);
	cr_assert_eq(out[0], EIO);
	n = ff_sc_errnos(FF_SC_write, FF_FD_SOCKET, FF_PROFILE_REALISTIC, NULL, 0, out);
	cr_assert_eq(n, 1);
	cr_assert_eq(out[0], ECONNRESET, "no EIO on a socket, ECONNRESET only there");
	n = ff_sc_errnos(FF_SC_write, FF_FD_PIPE, FF_PROFILE_REALISTIC, NULL, 0, out);
	cr_assert_eq(n, 0, "a pipe write has no realistic errno (EPIPE comes with SIGPIPE)");
	n = ff_sc_errnos(FF_SC_write, FF_FD_PIPE, FF_PROFILE_ALL, NULL, 0, out);
	cr_assert_gt(n, 5, "--profile all allows every documented errno");
	n = ff_sc_errnos(FF_SC_lseek, FF_FD_FILE, FF_PROFILE_REALISTIC, NULL, 0, out);
	cr_assert_eq(n, 0);
}

Test(catalogue, the_errno_filter_narrows)
{
	ff_catalogue_init();
	int out[FF_MAX_ERRNOS];
	uint16_t f[] = {ENOSPC, ECONNRESET};
	int n = ff_sc_errnos(FF_SC_write, FF_FD_FILE, FF_PROFILE_REALISTIC, f, 2, out);
	cr_assert_eq(n, 1);
	cr_assert_eq(out[0], ENOSPC);
	uint16_t pipe_only[] = {EPIPE};
	cr_assert_eq(ff_sc_errnos(FF_SC_write, FF_FD_PIPE, FF_PROFILE_REALISTIC, pipe_only, 1, out), 0,
		     "EPIPE is documented-only: realistic never picks it");
	cr_assert_eq(ff_sc_errnos(FF_SC_write, FF_FD_PIPE, FF_PROFILE_ALL, pipe_only, 1, out), 1);
}

Test(catalogue, no_row_lists_eintr_or_eagain_as_an_errno)
{
	ff_catalogue_init();
	for (int i = 0; i < FF_SC_COUNT; i++)
		for (int k = 0; k < ff_sc_table[i].nerrnos; k++)
			cr_assert(ff_sc_table[i].errnos[k] != EINTR && ff_sc_table[i].errnos[k] != EAGAIN, "%s",
				  ff_sc_table[i].name);
}

Test(catalogue, rows_are_consistent)
{
	ff_catalogue_init();
	for (int i = 0; i < FF_SC_COUNT; i++) {
		const struct ff_sc *s = &ff_sc_table[i];
		bool cut = s->kinds & (FF_K(FF_SHORT) | FF_K(FF_TORN));
		cr_assert(!cut || s->shape != FF_SHAPE_NONE, "%s: a cut needs a length", s->name);
		cr_assert(!(s->kinds & FF_K(FF_TORN)) || (s->classes & FF_CLASS_WRITE), "%s: torn is for writes",
			  s->name);
		cr_assert(!(s->kinds & FF_K(FF_FSYNC)) || (s->classes & FF_CLASS_SYNC), "%s: fsync is for syncs",
			  s->name);
		cr_assert(s->res != FF_RES_AT || s->res_arg >= 1, "%s: a dirfd comes before the path", s->name);
	}
	printf("%d syscalls in the catalogue\n", FF_SC_COUNT);
	cr_assert_geq(FF_SC_COUNT, 48);
}

/* The durability model follows exactly the calls that change files, names
 * or what is durable; everything else (reads, stat, sockets) it ignores. */
Test(catalogue, durable_calls_are_the_ones_that_change_files)
{
	static const char *const followed[] = {
	    "write",	 "writev",    "sendfile",  "pwrite64", "pwritev",   "pwritev2", "copy_file_range",
	    "ftruncate", "fallocate", "truncate",  "open",     "creat",	    "openat",	"openat2",
	    "rename",	 "renameat",  "renameat2", "unlink",   "rmdir",	    "unlinkat", "mkdir",
	    "mkdirat",	 "link",      "linkat",	   "symlink",  "symlinkat", "fsync",	"fdatasync",
	    "msync",	 "syncfs",    "sync"};
	int n = 0;
	for (int sc = 0; sc < FF_SC_COUNT; sc++)
		n += ff_sc_durable(sc) != FF_DC_NONE;
	printf("%d catalogue calls followed by the durability model\n", n);
	cr_assert_eq(n, (int)(sizeof(followed) / sizeof(followed[0])));
	for (size_t i = 0; i < sizeof(followed) / sizeof(followed[0]); i++)
		cr_expect_neq(ff_sc_durable(ff_sc_by_name(followed[i])), FF_DC_NONE, "%s is not followed", followed[i]);
	cr_expect_eq(ff_sc_durable(ff_sc_by_name("read")), FF_DC_NONE);
	cr_expect_eq(ff_sc_durable(ff_sc_by_name("fstat")), FF_DC_NONE);
	cr_expect_eq(ff_sc_durable(ff_sc_by_name("write")), FF_DC_DATA);
	cr_expect_eq(ff_sc_durable(ff_sc_by_name("renameat2")), FF_DC_RENAMEAT);
	cr_expect_eq(ff_sc_durable(-1), FF_DC_NONE);
}
