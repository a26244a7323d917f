/* Snapshots (core/snapshot.c): which configurations cannot use one, the
 * refusal kept per program, and two real runs of /bin/sh forked from one
 * template. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/catalogue.h"
#include "core/run.h"
#include "core/snapshot.h"

static char *sh_argv[] = {"/bin/sh", "-c", "echo snap > snap.out", NULL};

static struct ff_config base(void)
{
	struct ff_config c;
	memset(&c, 0, sizeof(c));
	c.sc_mask = 1ull << FF_SC_write;
	c.fault_mask = ~0u;
	c.fdkind_mask = ~0u;
	c.pin_cpu = -1;
	c.argv = sh_argv;
	c.argc = 3;
	c.snapshot = true;
	return c;
}

Test(snapshot, options_that_need_the_exec_are_refused_at_once)
{
	struct ff_config c = base();
	cr_assert_null(ff_snapshot_unusable(&c));
	c.include_startup = true;
	printf("--include-startup: %s\n", ff_snapshot_unusable(&c));
	cr_assert(strstr(ff_snapshot_unusable(&c), "--include-startup"));
	c = base();
	c.no_follow = true;
	cr_assert_not_null(ff_snapshot_unusable(&c));
	c = base();
	c.per_fork_runs = true;
	cr_assert_not_null(ff_snapshot_unusable(&c));
}

Test(snapshot, a_refusal_is_kept_for_its_program_only)
{
	struct ff_config c = base(), d = base();
	static char *other[] = {"/bin/true", NULL};
	ff_snapshot_refuse(&c, "it had 2 tasks at its entry point");
	printf("refused: %s\n", ff_snapshot_unusable(&c));
	cr_assert_str_eq(ff_snapshot_unusable(&c), "it had 2 tasks at its entry point");
	d.argv = other;
	d.argc = 1;
	cr_assert_null(ff_snapshot_unusable(&d));
}

static void run_once(struct ff_config *c, struct ff_run_result *res)
{
	struct ff_seeded seeded;
	struct ff_source src;
	char err[512] = "";
	ff_run_seeded(c, 1, &seeded);
	ff_source_seeded(&src, &seeded);
	cr_assert_eq(ff_run(c, &src, res, err, sizeof(err)), 0, "%s", err);
}

Test(snapshot, two_runs_fork_from_one_template)
{
	char dir[] = "/tmp/ff-snap-unit.XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	struct ff_config c = base();
	c.workdir = dir;
	c.stdin_null = true;
	struct ff_run_result a, b;
	run_once(&c, &a);
	pid_t tpl = ff_snapshot_pid();
	run_once(&c, &b);
	printf("forked %d %d, template %d then %d, outcomes %d/%d %d/%d\n", a.forked, b.forked, (int)tpl,
	       (int)ff_snapshot_pid(), a.trace.outcome.kind, a.trace.outcome.code, b.trace.outcome.kind,
	       b.trace.outcome.code);
	cr_assert(a.forked && b.forked);
	cr_assert(tpl > 0 && ff_snapshot_pid() == tpl);
	cr_assert_eq(a.trace.outcome.kind, FF_OUT_EXITED);
	cr_assert_eq(b.trace.outcome.code, 0);
	cr_assert_eq(a.trace.eligible, b.trace.eligible);
	ff_snapshot_release();
	cr_assert_eq(kill(tpl, 0), -1, "the template outlived its release");
	ff_trace_free(&a.trace);
	ff_trace_free(&b.trace);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

Test(snapshot, the_run_directory_digest_sees_a_new_file_not_a_read)
{
	char dir[] = "/tmp/ff-snap-dir.XXXXXX", path[64];
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/a", dir);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("a\n", f);
	fclose(f);
	uint64_t before = ff_snapshot_dir_state(dir);
	char buf[8];
	f = fopen(path, "r");
	cr_assert(f && fgets(buf, sizeof(buf), f));
	fclose(f);
	uint64_t read_only = ff_snapshot_dir_state(dir);
	snprintf(path, sizeof(path), "%s/b", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fclose(f);
	uint64_t created = ff_snapshot_dir_state(dir);
	printf("digests: %016llx, after a read %016llx, after a new file %016llx\n", (unsigned long long)before,
	       (unsigned long long)read_only, (unsigned long long)created);
	cr_assert_eq(before, read_only);
	cr_assert_neq(before, created);
	char cmd[96];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}
