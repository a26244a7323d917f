/* The sweep planner, its forced decision, and the coverage files. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/campaign/coverage.h"
#include "core/durable/durable.h"
#include "core/campaign/sweep.h"
#include "core/util.h"

/* n writes of len bytes to path, as a baseline lists them (EIO ENOSPC EDQUOT). */
static struct ff_cov_call *writes(const char *path, size_t n, uint64_t len)
{
	ff_catalogue_init();
	struct ff_cov_call *v = ff_xcalloc(n, sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		v[i] = (struct ff_cov_call){.sc = FF_SC_write,
					    .path = ff_xstrdup(path),
					    .ordinal = i,
					    .index = i,
					    .len = len,
					    .kinds = FF_K_ALL | FF_K(FF_CUT)};
		v[i].nerrnos = ff_sc_errnos(FF_SC_write, FF_FD_FILE, FF_PROFILE_REALISTIC, NULL, 0, v[i].errnos);
	}
	return v;
}

/* short: 3 cuts; error: 3 errnos; torn: 3 errnos x 3 cuts: 15 runs a call. */
Test(sweep, every_kind_errno_and_cut)
{
	struct ff_sweep_opts o = {.on = true};
	struct ff_sweep_plan p;
	cr_assert_eq(ff_sweep_plan(&o, 0, writes("a.out", 5, 100), 5, &p), 0);
	printf("5 writes of 100 bytes: %zu runs, %llu pairs\n", p.nruns, (unsigned long long)p.pairs);
	cr_assert_eq(p.nruns, 75);
	cr_assert_eq(p.pairs, 15);
	cr_assert_eq(p.pairs_kept, 15);
	char d[200];
	ff_sweep_describe(&p, 3, d, sizeof(d));
	cr_assert_str_eq(d, "write a.out #0 error EIO");
	ff_sweep_plan_free(&p);
	o.errnos_first = true;
	cr_assert_eq(ff_sweep_plan(&o, 0, writes("a.out", 5, 2), 5, &p), 0);
	cr_assert_eq(p.nruns, 15, "2 bytes: one cut (1 byte), one errno: 3 runs a call, got %zu", p.nruns);
	ff_sweep_plan_free(&p);
}

Test(sweep, ordinals_and_limit)
{
	struct ff_sweep_opts o = {.on = true, .errnos_first = true};
	cr_assert_eq(ff_sweep_parse_ordinals("first,last,2", &o), 0);
	cr_assert_eq(ff_sweep_parse_ordinals("first,middle", &o), -EINVAL);
	cr_assert_eq(ff_sweep_parse_ordinals("first,last,2", &o), 0);
	struct ff_sweep_plan p;
	cr_assert_eq(ff_sweep_plan(&o, 0, writes("db", 10000, 2), 10000, &p), 0);
	/* ordinals 0, 3333, 6666, 9999: 4 calls, 3 runs each */
	cr_assert_eq(p.nruns, 12, "got %zu", p.nruns);
	cr_assert_eq(p.by_ordinals, 30000 - 12);
	cr_assert_eq(p.calls[p.runs[4].call].ordinal, 3333);
	ff_sweep_plan_free(&p);
	o = (struct ff_sweep_opts){.on = true, .limit = 10};
	cr_assert_eq(ff_sweep_plan(&o, 0, writes("db", 20, 100), 20, &p), 0);
	cr_assert_eq(p.nruns, 10);
	cr_assert_eq(p.by_limit, 300 - 10);
	cr_assert_eq(p.calls[p.runs[9].call].ordinal, 18, "evenly spread: the last kept run is of call 18");
	ff_sweep_plan_free(&p);
}

/* A power-cut sweep: every cut point, and after the run; torn: K subsets. */
Test(sweep, cut_points)
{
	struct ff_sweep_opts o = {.on = true, .subsets = 3};
	struct ff_sweep_plan p;
	cr_assert_eq(ff_sweep_plan(&o, FF_CRASH_TORN, writes("a", 4, 10), 4, &p), 0);
	cr_assert_eq(p.nruns, 15);
	struct ff_config cfg = {0};
	struct ff_seeded s;
	struct ff_forced f;
	ff_sweep_setup(&p, 14, &cfg, &s, &f);
	cr_assert_eq(cfg.crash_at, UINT64_MAX, "the last run cuts after the run");
	cr_assert_eq(cfg.seed, 3);
	ff_sweep_setup(&p, 4, &cfg, &s, &f);
	cr_assert_eq(cfg.crash_at, 2);
	cr_assert_null(s.force);
	ff_sweep_plan_free(&p);
	cr_assert_eq(ff_sweep_plan(&o, FF_CRASH_LOSE_ALL, writes("a", 4, 10), 4, &p), 0);
	cr_assert_eq(p.nruns, 5);
	ff_sweep_plan_free(&p);
}

Test(sweep, forced_decision_hits_its_call_only)
{
	int errs[] = {EIO, ENOSPC};
	struct ff_call c = {
	    .sc = FF_SC_write, .path = "a", .ordinal = 3, .len = 9, .kinds = FF_K_ALL, .errnos = errs, .nerrnos = 2};
	struct ff_forced f = {FF_SC_write, "a", 3, FF_TORN, ENOSPC, FF_FCUT_HALF};
	struct ff_decision d;
	ff_decide_forced(&f, &c, &d);
	cr_assert(d.kind == FF_TORN && d.err == ENOSPC && d.n == 4);
	f.cut = FF_FCUT_ALL_BUT_ONE;
	ff_decide_forced(&f, &c, &d);
	cr_assert_eq(d.n, 8);
	c.ordinal = 2;
	ff_decide_forced(&f, &c, &d);
	cr_assert_eq(d.kind, FF_PASS);
	c.ordinal = 3;
	f.err = EDQUOT; /* not an errno this call may get */
	ff_decide_forced(&f, &c, &d);
	cr_assert_eq(d.kind, FF_PASS);
}

Test(sweep, coverage_files_roundtrip)
{
	char dir[] = "/tmp/ff-test-sweep.XXXXXX", p[64], q[64];
	cr_assert_not_null(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/cov", dir);
	snprintf(q, sizeof(q), "%s/calls", dir);
	struct ff_cov a = {0}, b = {0};
	struct ff_cov_site *s = ff_cov_get(&a, "write", " odd\tname\nwith \\ bytes");
	s->eligible = 7, s->max_calls = 3, s->possible = FF_K_ALL, s->injected[FF_TORN] = 2, s->failures = 1;
	ff_cov_get(&a, "fsync", "x")->eligible = 1;
	cr_assert_eq(ff_cov_append(p, &a), 0);
	cr_assert_eq(ff_cov_append(p, &a), 0); /* two workers: summed */
	cr_assert_eq(ff_cov_load(p, &b), 0);
	struct ff_cov_site *t = ff_cov_get(&b, "write", " odd\tname\nwith \\ bytes");
	cr_assert(b.n == 2 && t->eligible == 14 && t->max_calls == 3 && t->injected[FF_TORN] == 4 && t->failures == 2);
	struct ff_cov_sum sum;
	ff_cov_summary(&b, &sum);
	cr_assert(sum.sites == 2 && sum.faulted == 1 && sum.pairs == 3 && sum.tried == 1);
	struct ff_cov_call *v = writes(" sp ace\\x", 3, 5), *w;
	v[1].nerrnos = 0; /* a call that can get no errno: an empty list */
	size_t n;
	cr_assert_eq(ff_cov_calls_save(q, v, 3), 0);
	cr_assert_eq(ff_cov_calls_load(q, &w, &n), 0);
	cr_assert(n == 3 && !strcmp(w[2].path, " sp ace\\x") && w[2].ordinal == 2 && w[2].nerrnos == v[2].nerrnos);
	cr_assert(w[1].nerrnos == 0 && !strcmp(w[1].path, " sp ace\\x"));
	ff_cov_calls_free(v, 3);
	ff_cov_calls_free(w, n);
	ff_cov_free(&a);
	ff_cov_free(&b);
	unlink(p);
	unlink(q);
	rmdir(dir);
}
