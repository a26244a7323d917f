/* The seeded generator: pinned outputs, determinism, rate and kind rules. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>

#include "core/catalogue.h"
#include "core/decide/decide.h"

static struct ff_call call(const char *path, uint64_t ord, uint64_t len)
{
	static int errs[FF_MAX_ERRNOS];
	ff_catalogue_init();
	/* A write to a regular file under --profile realistic: EIO ENOSPC EDQUOT. */
	int n = ff_sc_errnos(FF_SC_write, FF_FD_FILE, FF_PROFILE_REALISTIC, NULL, 0, errs);
	struct ff_call c = {.sc = FF_SC_write,
			    .path = path,
			    .ordinal = ord,
			    .len = len,
			    .kinds = FF_K_ALL,
			    .errnos = errs,
			    .nerrnos = n};
	return c;
}

/* Changing what a seed yields breaks every recorded trace: this pins it. */
Test(decide, seed_1234_is_pinned)
{
	struct ff_seeded s = {.seed = 1234, .rate_q = ff_rate_q(0.5)};
	char got[512] = "";
	for (int i = 0; i < 8; i++) {
		struct ff_call c = call("data/db.log", (uint64_t)i, 100);
		struct ff_decision d;
		ff_decide_seeded(&s, &c, &d);
		const char *en = ff_errno_name(d.err);
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s/%s/%llu ", ff_fault_name(d.kind),
			 d.err ? en : "-", (unsigned long long)d.n);
	}
	printf("seed 1234 yields: %s\n", got);
	cr_assert_str_eq(got,
			 "error/ENOSPC/0 pass/-/0 error/EIO/0 pass/-/0 error/EIO/0 short/-/89 error/EDQUOT/0 pass/-/0 ",
			 "seed 1234 now yields: %s", got);
}

Test(decide, same_site_same_decision_any_order)
{
	struct ff_seeded s = {.seed = 99, .rate_q = ff_rate_q(0.3)};
	struct ff_decision a[50], b[50];
	for (int i = 0; i < 50; i++) {
		struct ff_call c = call("f", (uint64_t)i, 64);
		ff_decide_seeded(&s, &c, &a[i]);
	}
	for (int i = 49; i >= 0; i--) {
		struct ff_call c = call("f", (uint64_t)i, 64);
		ff_decide_seeded(&s, &c, &b[i]);
	}
	cr_assert(memcmp(a, b, sizeof(a)) == 0);
}

Test(decide, rate_zero_and_one)
{
	struct ff_seeded zero = {.seed = 5, .rate_q = ff_rate_q(0)}, one = {.seed = 5, .rate_q = ff_rate_q(1)};
	int faults0 = 0, faults1 = 0;
	for (int i = 0; i < 1000; i++) {
		struct ff_call c = call("f", (uint64_t)i, 64);
		struct ff_decision d;
		ff_decide_seeded(&zero, &c, &d);
		faults0 += d.kind != FF_PASS;
		ff_decide_seeded(&one, &c, &d);
		faults1 += d.kind != FF_PASS;
	}
	printf("rate 0: %d faults, rate 1: %d faults of 1000\n", faults0, faults1);
	cr_assert_eq(faults0, 0);
	cr_assert_eq(faults1, 1000);
}

Test(decide, rate_is_roughly_respected)
{
	struct ff_seeded s = {.seed = 7, .rate_q = ff_rate_q(0.25)};
	int faults = 0;
	for (int i = 0; i < 20000; i++) {
		struct ff_call c = call("f", (uint64_t)i, 64);
		struct ff_decision d;
		ff_decide_seeded(&s, &c, &d);
		faults += d.kind != FF_PASS;
	}
	printf("rate 0.25: %d faults of 20000\n", faults);
	cr_assert(faults > 4600 && faults < 5400);
}

Test(decide, cuts_and_errnos_are_valid)
{
	struct ff_seeded s = {.seed = 11, .rate_q = ff_rate_q(1)};
	int seen[FF_FAULT_COUNT] = {0};
	for (int i = 0; i < 3000; i++) {
		uint64_t len = 1 + (uint64_t)(i % 37);
		struct ff_call c = call("f", (uint64_t)i, len);
		struct ff_decision d;
		ff_decide_seeded(&s, &c, &d);
		seen[d.kind]++;
		if (d.kind == FF_SHORT || d.kind == FF_TORN)
			cr_assert(d.n > 0 && d.n < len, "cut %llu of %llu", (unsigned long long)d.n,
				  (unsigned long long)len);
		if (d.kind == FF_ERROR || d.kind == FF_TORN) {
			bool ok = false;
			for (int k = 0; k < c.nerrnos; k++)
				ok |= c.errnos[k] == d.err;
			cr_assert(ok, "errno %d not allowed for write", d.err);
		}
		if (len == 1)
			cr_assert(d.kind == FF_ERROR, "a 1-byte write can only fail, got %s", ff_fault_name(d.kind));
	}
	printf("kinds: short %d error %d torn %d pass %d\n", seen[FF_SHORT], seen[FF_ERROR], seen[FF_TORN],
	       seen[FF_PASS]);
	cr_assert(seen[FF_SHORT] && seen[FF_ERROR] && seen[FF_TORN]);
}

Test(decide, kinds_mask_is_obeyed)
{
	struct ff_seeded s = {.seed = 3, .rate_q = ff_rate_q(1)};
	for (int i = 0; i < 500; i++) {
		struct ff_call c = call("f", (uint64_t)i, 64);
		c.kinds = FF_K(FF_TORN);
		struct ff_decision d;
		ff_decide_seeded(&s, &c, &d);
		cr_assert_eq(d.kind, FF_TORN);
	}
}

Test(decide, different_paths_and_seeds_differ)
{
	struct ff_seeded s1 = {.seed = 1, .rate_q = ff_rate_q(0.5)}, s2 = {.seed = 2, .rate_q = ff_rate_q(0.5)};
	int diff_seed = 0, diff_path = 0;
	for (int i = 0; i < 200; i++) {
		struct ff_call a = call("a", (uint64_t)i, 64), b = call("b", (uint64_t)i, 64);
		struct ff_decision d1, d2, d3;
		ff_decide_seeded(&s1, &a, &d1);
		ff_decide_seeded(&s2, &a, &d2);
		ff_decide_seeded(&s1, &b, &d3);
		diff_seed += d1.kind != d2.kind;
		diff_path += d1.kind != d3.kind;
	}
	printf("of 200 sites: %d differ by seed, %d by path\n", diff_seed, diff_path);
	cr_assert(diff_seed > 40 && diff_path > 40);
}

Test(decide, eintr_eagain_fsync_carry_their_errno)
{
	struct ff_seeded s = {.seed = 21, .rate_q = ff_rate_q(1)};
	int seen[FF_FAULT_COUNT] = {0};
	for (int i = 0; i < 600; i++) {
		struct ff_call c = call("f", (uint64_t)i, 64);
		c.kinds = FF_K(FF_EINTR) | FF_K(FF_EAGAIN) | FF_K(FF_FSYNC);
		struct ff_decision d;
		ff_decide_seeded(&s, &c, &d);
		seen[d.kind]++;
		int want = d.kind == FF_EINTR ? EINTR : d.kind == FF_EAGAIN ? EAGAIN : EIO;
		cr_assert_eq(d.err, want, "%s with errno %d", ff_fault_name(d.kind), d.err);
		cr_assert_eq(d.n, 0);
	}
	printf("eintr %d eagain %d fsync %d\n", seen[FF_EINTR], seen[FF_EAGAIN], seen[FF_FSYNC]);
	cr_assert(seen[FF_EINTR] && seen[FF_EAGAIN] && seen[FF_FSYNC]);
}

Test(decide, error_needs_an_errno)
{
	struct ff_seeded s = {.seed = 4, .rate_q = ff_rate_q(1)};
	struct ff_call c = call("f", 0, 64);
	c.nerrnos = 0; /* e.g. a pipe write under --profile realistic */
	c.kinds = FF_K(FF_ERROR) | FF_K(FF_TORN);
	struct ff_decision d;
	ff_decide_seeded(&s, &c, &d);
	cr_assert_eq(d.kind, FF_PASS, "no errno to report: nothing to inject");
}

static int run_policy(struct ff_seeded *s, int calls, int *first)
{
	struct ff_source src;
	ff_source_seeded(&src, s);
	int n = 0;
	*first = -1;
	for (int i = 0; i < calls; i++) {
		struct ff_call c = call("f", (uint64_t)i, 64);
		c.index = (uint64_t)i;
		struct ff_decision d;
		src.decide(&src, &c, &d);
		if (d.kind != FF_PASS) {
			n++;
			if (*first < 0)
				*first = i;
		}
	}
	return n;
}

Test(decide, after_only_and_max_faults)
{
	int first, n;
	struct ff_seeded a = {.seed = 1, .rate_q = ff_rate_q(1), .after = 10};
	n = run_policy(&a, 20, &first);
	printf("--after 10: %d faults, first at %d\n", n, first);
	cr_assert(n == 10 && first == 10);
	struct ff_seeded o = {.seed = 1, .rate_q = ff_rate_q(0), .only = 7};
	n = run_policy(&o, 20, &first);
	printf("--only 7 at rate 0: %d faults, at %d\n", n, first);
	cr_assert(n == 1 && first == 6, "exactly the 7th call, whatever the rate");
	struct ff_seeded m = {.seed = 1, .rate_q = ff_rate_q(1), .max_faults = 3};
	n = run_policy(&m, 20, &first);
	cr_assert_eq(n, 3);
}
