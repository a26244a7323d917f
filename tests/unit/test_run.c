/* The run's header and the trace-to-config path: what --no-follow and --pid
 * leave in a trace, and what replay makes of it. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/catalogue.h"
#include "core/run.h"

static struct ff_config base(void)
{
	struct ff_config c;
	memset(&c, 0, sizeof(c));
	c.sc_mask = 1ull << FF_SC_write;
	c.pin_cpu = -1;
	return c;
}

Test(run, header_flags_no_follow_and_attach)
{
	struct ff_config c = base();
	struct ff_trace t = {0};
	c.no_follow = c.no_seccomp = true;
	ff_run_fill_header(&c, &t.hdr);
	printf("--no-follow flags: %#x\n", t.hdr.flags);
	cr_assert_eq(t.hdr.flags, FF_TF_NO_FOLLOW | FF_TF_NO_SECCOMP);
	ff_trace_free(&t);
	c = base();
	c.attach_pid = 1234;
	memset(&t, 0, sizeof(t));
	ff_run_fill_header(&c, &t.hdr);
	printf("--pid flags: %#x\n", t.hdr.flags);
	cr_assert(t.hdr.flags & FF_TF_ATTACHED);
	ff_trace_free(&t);
}

Test(run, replay_takes_no_follow_from_the_trace)
{
	struct ff_config c = base(), r = base();
	struct ff_trace t = {0};
	char err[512] = "";
	c.no_follow = c.no_seccomp = true;
	ff_run_fill_header(&c, &t.hdr);
	cr_assert_eq(ff_config_apply_trace(&r, &t, err, sizeof(err)), 0, "%s", err);
	cr_assert(r.no_follow && r.no_seccomp);
	ff_trace_free(&t);
}

Test(run, an_attached_trace_is_refused_with_a_reason)
{
	struct ff_config c = base(), r = base();
	struct ff_trace t = {0};
	char err[512] = "";
	c.attach_pid = 1234;
	ff_run_fill_header(&c, &t.hdr);
	cr_assert_eq(ff_config_apply_trace(&r, &t, err, sizeof(err)), -EINVAL);
	printf("refused: %s\n", err);
	cr_assert(strstr(err, "--pid") && strstr(err, "replayed"));
	ff_trace_free(&t);
}
