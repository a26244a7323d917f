/* The AFL++ schedule decoder: the grammar of docs/schedule.md, byte by byte. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>

#include "core/catalogue.h"
#include "core/decide/decide.h"

static int errs[FF_MAX_ERRNOS];

static struct ff_call wcall(uint64_t len)
{
	ff_catalogue_init();
	int n = ff_sc_errnos(FF_SC_write, FF_FD_FILE, FF_PROFILE_REALISTIC, NULL, 0, errs); /* EIO ENOSPC EDQUOT */
	struct ff_call c = {
	    .sc = FF_SC_write, .path = "f", .len = len, .kinds = FF_K_ALL, .errnos = errs, .nerrnos = n};
	return c;
}

static struct ff_decision one(const uint8_t *b, size_t n, struct ff_call c, size_t *used)
{
	struct ff_schedule s = {.bytes = b, .len = n};
	struct ff_decision d;
	ff_decide_schedule(&s, &c, &d);
	if (used)
		*used = s.pos;
	printf("bytes %zu -> %s err %d n %llu (used %zu)\n", n, ff_fault_name(d.kind), d.err, (unsigned long long)d.n,
	       s.pos);
	return d;
}

Test(schedule, zero_and_ascii_zero_pass)
{
	uint8_t z[] = {0x00}, a[] = {'0'};
	size_t used;
	cr_assert_eq(one(z, 1, wcall(16), &used).kind, FF_PASS);
	cr_assert_eq(used, 1);
	cr_assert_eq(one(a, 1, wcall(16), &used).kind, FF_PASS);
	cr_assert_eq(used, 1, "a pass consumes its byte: later calls keep their bytes");
}

Test(schedule, running_out_passes_everything)
{
	struct ff_schedule s = {.bytes = NULL, .len = 0};
	for (int i = 0; i < 10; i++) {
		struct ff_call c = wcall(16);
		struct ff_decision d;
		ff_decide_schedule(&s, &c, &d);
		cr_assert_eq(d.kind, FF_PASS);
	}
}

Test(schedule, every_kind_is_encodable)
{
	/* Write on a file allows short, error, torn: K = 1, 2, 3 select them in order. */
	uint8_t sh[] = {1, 5, 0}, er[] = {2, 1}, to[] = {3, 2, 9, 0};
	struct ff_decision d = one(sh, sizeof(sh), wcall(16), NULL);
	cr_assert(d.kind == FF_SHORT && d.n == 1 + 5 % 15);
	d = one(er, sizeof(er), wcall(16), NULL);
	cr_assert(d.kind == FF_ERROR && d.err == ENOSPC, "errno byte 1 picks the second realistic errno");
	d = one(to, sizeof(to), wcall(16), NULL);
	cr_assert(d.kind == FF_TORN && d.err == EDQUOT && d.n == 1 + 9 % 15);
	/* K wraps around the allowed kinds: 4 is short again. */
	uint8_t wrap[] = {4, 0, 0};
	cr_assert_eq(one(wrap, sizeof(wrap), wcall(16), NULL).kind, FF_SHORT);
	/* eintr, eagain and fsync where a call allows them. */
	struct ff_call c = wcall(0);
	c.kinds = FF_K(FF_EINTR) | FF_K(FF_EAGAIN) | FF_K(FF_FSYNC);
	uint8_t k1[] = {1}, k2[] = {2}, k3[] = {3};
	cr_assert(one(k1, 1, c, NULL).err == EINTR);
	cr_assert(one(k2, 1, c, NULL).err == EAGAIN);
	d = one(k3, 1, c, NULL);
	cr_assert(d.kind == FF_FSYNC && d.err == EIO);
}

Test(schedule, missing_parameter_bytes_read_as_zero)
{
	uint8_t b[] = {3};
	size_t used;
	struct ff_decision d = one(b, 1, wcall(16), &used);
	cr_assert(d.kind == FF_TORN && d.err == EIO && d.n == 1);
	cr_assert_eq(used, 1);
}

Test(schedule, a_call_with_no_kind_consumes_its_byte_and_passes)
{
	struct ff_call c = wcall(1); /* a 1-byte write cannot be cut */
	c.nerrnos = 0;		     /* and has no errno here */
	uint8_t b[] = {7, 2, 1};
	struct ff_schedule s = {.bytes = b, .len = 3};
	struct ff_decision d;
	ff_decide_schedule(&s, &c, &d);
	cr_assert_eq(d.kind, FF_PASS);
	cr_assert_eq(s.pos, 1);
	struct ff_call next = wcall(16);
	ff_decide_schedule(&s, &next, &d);
	cr_assert(d.kind == FF_ERROR && d.err == ENOSPC, "the next call reads the next bytes");
}
