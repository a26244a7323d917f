/* The replay source: decisions by site, and divergences named precisely. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/catalogue.h"
#include "core/run.h"
#include "core/decide/replay.h"

static struct ff_trace recorded(void)
{
	struct ff_trace t = {0};
	struct ff_stream *s = ff_trace_add_stream(&t, "write", "a.txt");
	ff_stream_add(s, FF_PASS, 0, 0, 10);
	ff_stream_add(s, FF_PASS, 0, 0, 11);
	ff_stream_add(s, FF_TORN, 5, 3, 12);
	ff_stream_add(s, FF_PASS, 0, 0, 13);
	return t;
}

/* A replay of t, ready to be asked. */
struct rig {
	struct ff_replay r;
	struct ff_source src;
};

static void start(struct rig *g, const struct ff_trace *t)
{
	ff_replay_init(&g->r, t);
	ff_source_replay(&g->src, &g->r);
}

static struct ff_decision ask(struct ff_source *src, const char *path, uint64_t ord, uint64_t len)
{
	ff_catalogue_init();
	struct ff_call c = {.sc = FF_SC_write, .path = path, .ordinal = ord, .len = len};
	struct ff_decision d;
	src->decide(src, &c, &d);
	return d;
}

Test(replay, the_same_calls_get_the_same_decisions)
{
	struct ff_trace t = recorded();
	struct rig g;
	start(&g, &t);
	cr_assert_eq(ask(&g.src, "a.txt", 0, 10).kind, FF_PASS);
	cr_assert_eq(ask(&g.src, "a.txt", 1, 11).kind, FF_PASS);
	struct ff_decision d = ask(&g.src, "a.txt", 2, 12);
	cr_assert(d.kind == FF_TORN && d.n == 3 && d.err == 5);
	cr_assert_eq(ask(&g.src, "a.txt", 3, 13).kind, FF_PASS);
	ff_replay_finish(&g.r);
	printf("divergences: %llu\n", (unsigned long long)g.r.divergences);
	cr_assert_eq(g.r.divergences, 0);
	ff_replay_free(&g.r);
	ff_trace_free(&t);
}

Test(replay, a_different_length_is_named)
{
	struct ff_trace t = recorded();
	struct rig g;
	start(&g, &t);
	ask(&g.src, "a.txt", 0, 10);
	ask(&g.src, "a.txt", 1, 11);
	ask(&g.src, "a.txt", 2, 20);
	printf("first: %s\n", g.r.first);
	cr_assert_eq(g.r.divergences, 1);
	cr_assert_str_eq(g.r.first, "write a.txt #2: trace expects 12 bytes, got 20");
	ff_replay_free(&g.r);
	ff_trace_free(&t);
}

Test(replay, pass_runs_check_their_lengths)
{
	struct ff_trace t = recorded();
	struct rig g;
	start(&g, &t);
	ask(&g.src, "a.txt", 0, 10);
	ask(&g.src, "a.txt", 1, 99);
	printf("first: %s\n", g.r.first);
	cr_assert_str_eq(g.r.first, "write a.txt #0-#1: the lengths of these calls differ from the trace");
	ff_replay_free(&g.r);
	ff_trace_free(&t);
}

Test(replay, missing_and_extra_calls_are_named)
{
	struct ff_trace t = recorded();
	struct rig g;
	start(&g, &t);
	cr_assert_eq(ask(&g.src, "b.txt", 0, 5).kind, FF_PASS);
	printf("first: %s\n", g.r.first);
	cr_assert_str_eq(g.r.first, "write b.txt #0 (5 bytes): not in the trace");
	ff_replay_finish(&g.r);
	cr_assert_eq(g.r.divergences, 2, "b.txt is extra, and all of a.txt is missing");
	ff_replay_free(&g.r);

	start(&g, &t);
	ask(&g.src, "a.txt", 0, 10);
	ff_replay_finish(&g.r);
	printf("first: %s\n", g.r.first);
	cr_assert_str_eq(g.r.first, "write a.txt #1: the trace has 3 more such calls that did not happen");
	ff_replay_free(&g.r);
	ff_trace_free(&t);
}

Test(replay, a_cut_longer_than_the_call_is_not_applied)
{
	struct ff_trace t = recorded();
	struct rig g;
	start(&g, &t);
	ask(&g.src, "a.txt", 0, 10);
	ask(&g.src, "a.txt", 1, 11);
	cr_assert_eq(ask(&g.src, "a.txt", 2, 2).kind, FF_PASS, "cut 3 of a 2-byte call");
	ff_replay_free(&g.r);
	ff_trace_free(&t);
}

/* A trace naming a syscall this fifuzz lacks is refused in one line that
 * shows the name escaped: the name is the trace's bytes. */
Test(replay, an_unknown_syscall_name_is_refused_escaped)
{
	struct ff_trace t = {0};
	char *names[] = {"write", "evil\n\x1b[2J"};
	t.hdr.syscalls = names;
	t.hdr.nsyscalls = 2;
	struct ff_config cfg = {0};
	char err[256];
	cr_assert_eq(ff_config_apply_trace(&cfg, &t, err, sizeof(err)), -EINVAL);
	cr_expect_str_eq(err, "the trace names syscall 'evil\\n\\x1b[2J', which this fifuzz cannot intercept");
}
