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
		cr_assert_gt(s->nerrnos, 0);
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
