/* Injection as register edits, on synthetic registers (no tracee needed). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

#include "core/inject.h"

static struct ff_regs regs(long nr, uint64_t a1, uint64_t a2, uint64_t a3)
{
	struct ff_regs r;
	memset(&r, 0, sizeof(r));
	ff_arch_set(&r, FF_REG_NR, (uint64_t)nr);
	ff_arch_set(&r, FF_REG_ARG1, a1);
	ff_arch_set(&r, FF_REG_ARG2, a2);
	ff_arch_set(&r, FF_REG_ARG3, a3);
	ff_arch_set(&r, FF_REG_RESULT, (uint64_t)-38); /* -ENOSYS, as at a seccomp stop */
	r.dirty = false;
	return r;
}

static struct ff_xfer *iov(int n, const uint64_t *lens)
{
	static struct ff_xfer x;
	memset(&x, 0, sizeof(x));
	x.iovcnt = n;
	x.buf = 0x1000;
	for (int i = 0; i < n; i++) {
		x.lens[i] = lens[i];
		x.len += lens[i];
	}
	x.len0 = lens[0];
	return &x;
}

Test(inject, error_skips_the_call_at_the_seccomp_stop)
{
	struct ff_regs r = regs(SYS_write, 3, 0x1000, 16);
	struct ff_decision d = {.kind = FF_ERROR, .err = 5};
	struct ff_pending p;
	struct ff_xfer x = {.len = 16, .len0 = 16};
	bool exit = ff_inject_entry(&r, &ff_sc_table[FF_SC_write], &x, &d, true, &p);
	printf("nr %ld result %ld exit %d\n", (long)ff_arch_get(&r, FF_REG_NR), (long)ff_arch_get(&r, FF_REG_RESULT),
	       exit);
	cr_assert(!exit);
	cr_assert_eq((long)ff_arch_get(&r, FF_REG_NR), -1);
	cr_assert_eq((long)ff_arch_get(&r, FF_REG_RESULT), -5);
}

Test(inject, error_in_fallback_mode_sets_the_result_at_exit)
{
	struct ff_regs r = regs(SYS_write, 3, 0x1000, 16);
	struct ff_decision d = {.kind = FF_ERROR, .err = 28};
	struct ff_pending p;
	struct ff_xfer x = {.len = 16, .len0 = 16};
	cr_assert(ff_inject_entry(&r, &ff_sc_table[FF_SC_write], &x, &d, false, &p));
	ff_arch_set(&r, FF_REG_RESULT, (uint64_t)-38);
	cr_assert(!ff_inject_exit(&r, &p));
	cr_assert_eq((long)ff_arch_get(&r, FF_REG_RESULT), -28);
	cr_assert_eq((long)ff_arch_get(&r, FF_REG_NR), SYS_write, "the real number is back");
}

Test(inject, torn_cuts_then_fails_and_restores_the_length)
{
	struct ff_regs r = regs(SYS_write, 3, 0x1000, 16);
	struct ff_decision d = {.kind = FF_TORN, .err = 5, .n = 9};
	struct ff_pending p;
	struct ff_xfer x = {.len = 16, .len0 = 16};
	cr_assert(ff_inject_entry(&r, &ff_sc_table[FF_SC_write], &x, &d, true, &p));
	cr_assert_eq(ff_arch_get(&r, FF_REG_ARG3), 9);
	ff_arch_set(&r, FF_REG_RESULT, 9); /* the kernel wrote 9 */
	cr_assert(!ff_inject_exit(&r, &p));
	printf("after exit: count %llu result %ld\n", (unsigned long long)ff_arch_get(&r, FF_REG_ARG3),
	       (long)ff_arch_get(&r, FF_REG_RESULT));
	cr_assert_eq(ff_arch_get(&r, FF_REG_ARG3), 16);
	cr_assert_eq((long)ff_arch_get(&r, FF_REG_RESULT), -5);
}

Test(inject, short_keeps_the_kernel_result)
{
	struct ff_regs r = regs(SYS_pwrite64, 3, 0x1000, 100);
	struct ff_decision d = {.kind = FF_SHORT, .n = 40};
	struct ff_pending p;
	struct ff_xfer x = {.len = 100, .len0 = 100};
	cr_assert(ff_inject_entry(&r, &ff_sc_table[FF_SC_pwrite64], &x, &d, true, &p));
	ff_arch_set(&r, FF_REG_RESULT, 40);
	ff_inject_exit(&r, &p);
	cr_assert_eq(ff_arch_get(&r, FF_REG_RESULT), 40);
	cr_assert_eq(ff_arch_get(&r, FF_REG_ARG3), 100);
}

Test(inject, a_restart_keeps_its_code_and_the_original_registers)
{
	struct ff_regs r = regs(SYS_write, 3, 0x1000, 16);
	struct ff_decision d = {.kind = FF_SHORT, .n = 4};
	struct ff_pending p;
	struct ff_xfer x = {.len = 16, .len0 = 16};
	ff_inject_entry(&r, &ff_sc_table[FF_SC_write], &x, &d, true, &p);
	ff_arch_set(&r, FF_REG_RESULT, (uint64_t)-512); /* -ERESTARTSYS */
	cr_assert(ff_inject_exit(&r, &p));
	cr_assert_eq((long)ff_arch_get(&r, FF_REG_RESULT), -512);
	cr_assert_eq(ff_arch_get(&r, FF_REG_ARG3), 16);
}

Test(inject, writev_cut_inside_the_first_iovec_becomes_write)
{
	uint64_t lens[] = {10, 20, 30};
	struct ff_xfer *x = iov(3, lens);
	struct ff_regs r = regs(SYS_writev, 3, 0x5000, 3);
	struct ff_decision d = {.kind = FF_SHORT, .n = 7};
	ff_inject_fit(&r, &ff_sc_table[FF_SC_writev], x, &d);
	cr_assert_eq(d.n, 7);
	struct ff_pending p;
	ff_inject_entry(&r, &ff_sc_table[FF_SC_writev], x, &d, true, &p);
	printf("writev -> nr %ld buf %#llx count %llu\n", (long)ff_arch_get(&r, FF_REG_NR),
	       (unsigned long long)ff_arch_get(&r, FF_REG_ARG2), (unsigned long long)ff_arch_get(&r, FF_REG_ARG3));
	cr_assert_eq((long)ff_arch_get(&r, FF_REG_NR), SYS_write);
	cr_assert_eq(ff_arch_get(&r, FF_REG_ARG2), 0x1000);
	cr_assert_eq(ff_arch_get(&r, FF_REG_ARG3), 7);
	ff_arch_set(&r, FF_REG_RESULT, 7);
	ff_inject_exit(&r, &p);
	cr_assert_eq((long)ff_arch_get(&r, FF_REG_NR), SYS_writev);
	cr_assert_eq(ff_arch_get(&r, FF_REG_ARG2), 0x5000);
	cr_assert_eq(ff_arch_get(&r, FF_REG_ARG3), 3);
}

Test(inject, writev_cut_later_rounds_down_to_an_iovec_boundary)
{
	uint64_t lens[] = {10, 20, 30};
	struct ff_xfer *x = iov(3, lens);
	struct ff_regs r = regs(SYS_writev, 3, 0x5000, 3);
	struct ff_decision d = {.kind = FF_TORN, .err = 5, .n = 45};
	ff_inject_fit(&r, &ff_sc_table[FF_SC_writev], x, &d);
	cr_assert_eq(d.n, 30, "45 rounds down to 10+20");
	struct ff_pending p;
	ff_inject_entry(&r, &ff_sc_table[FF_SC_writev], x, &d, true, &p);
	cr_assert_eq(ff_arch_get(&r, FF_REG_ARG3), 2, "iovcnt lowered to 2");
}

Test(inject, pwritev2_with_flags_is_never_flattened)
{
	uint64_t lens[] = {10, 20};
	struct ff_xfer *x = iov(2, lens);
	struct ff_regs r = regs(SYS_pwritev2, 3, 0x5000, 2);
	ff_arch_set(&r, FF_REG_ARG6, 0x10); /* RWF_APPEND */
	struct ff_decision d = {.kind = FF_SHORT, .n = 5};
	ff_inject_fit(&r, &ff_sc_table[FF_SC_pwritev2], x, &d);
	cr_assert_eq(d.kind, FF_PASS, "a cut inside iov[0] with flags cannot be made: let it through");
	d = (struct ff_decision){.kind = FF_SHORT, .n = 15};
	ff_inject_fit(&r, &ff_sc_table[FF_SC_pwritev2], x, &d);
	cr_assert_eq(d.n, 10);
}

Test(inject, pwritev_flattens_to_pwrite64_keeping_the_offset)
{
	uint64_t lens[] = {10, 20};
	struct ff_xfer *x = iov(2, lens);
	struct ff_regs r = regs(SYS_pwritev, 3, 0x5000, 2);
	ff_arch_set(&r, FF_REG_ARG4, 4096);
	struct ff_decision d = {.kind = FF_SHORT, .n = 3};
	struct ff_pending p;
	ff_inject_entry(&r, &ff_sc_table[FF_SC_pwritev], x, &d, true, &p);
	cr_assert_eq((long)ff_arch_get(&r, FF_REG_NR), SYS_pwrite64);
	cr_assert_eq(ff_arch_get(&r, FF_REG_ARG4), 4096);
}

Test(inject, readv_cut_inside_the_first_iovec_becomes_read)
{
	uint64_t lens[] = {100, 50};
	struct ff_xfer *x = iov(2, lens);
	struct ff_regs r = regs(SYS_preadv, 3, 0x5000, 2);
	struct ff_decision d = {.kind = FF_SHORT, .n = 60};
	struct ff_pending p;
	ff_inject_entry(&r, &ff_sc_table[FF_SC_preadv], x, &d, true, &p);
	cr_assert_eq((long)ff_arch_get(&r, FF_REG_NR), SYS_pread64);
	cr_assert_eq(ff_arch_get(&r, FF_REG_ARG3), 60);
}

Test(inject, close_runs_then_fails)
{
	struct ff_regs r = regs(SYS_close, 5, 0, 0);
	struct ff_decision d = {.kind = FF_ERROR, .err = 5};
	struct ff_pending p;
	struct ff_xfer x = {0};
	bool exit = ff_inject_entry(&r, &ff_sc_table[FF_SC_close], &x, &d, true, &p);
	cr_assert(exit, "the error goes in at exit");
	cr_assert_eq((long)ff_arch_get(&r, FF_REG_NR), SYS_close, "the close itself runs: Linux frees the fd anyway");
	ff_arch_set(&r, FF_REG_RESULT, 0);
	ff_inject_exit(&r, &p);
	cr_assert_eq((long)ff_arch_get(&r, FF_REG_RESULT), -5);
}

Test(inject, sendfile_cuts_its_count_argument)
{
	struct ff_regs r = regs(SYS_sendfile, 4, 3, 0);
	ff_arch_set(&r, FF_REG_ARG4, 1000);
	struct ff_xfer x;
	cr_assert_eq(ff_xfer_read(0, &r, &ff_sc_table[FF_SC_sendfile], &x), 0);
	cr_assert_eq(x.len, 1000);
	struct ff_decision d = {.kind = FF_SHORT, .n = 10};
	struct ff_pending p;
	ff_inject_entry(&r, &ff_sc_table[FF_SC_sendfile], &x, &d, true, &p);
	cr_assert_eq(ff_arch_get(&r, FF_REG_ARG4), 10);
	ff_arch_set(&r, FF_REG_RESULT, 10);
	ff_inject_exit(&r, &p);
	cr_assert_eq(ff_arch_get(&r, FF_REG_ARG4), 1000);
}
