#include "core/filter.h"

#include <errno.h>
#include <seccomp.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "core/catalogue.h"
#include "core/durable.h"

int ff_filter_load(uint64_t sc_mask, bool trace_forks, bool durable)
{
	int rc = -ENOMEM;
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		return rc;
	/* int 0x80 and x32 calls must run, not be killed: libseccomp's bad-arch
	 * action defaults to KILL even with a default of ALLOW. */
	if ((rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ALLOW)) < 0)
		goto out;
	/* As root, skip NO_NEW_PRIVS so setuid programs in the target keep working;
	 * otherwise the kernel requires it to load a filter. */
	if ((rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, geteuid() != 0)) < 0)
		goto out;
	/* The binary tree keeps the filter's cost flat as the catalogue grows. */
	(void)seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	for (int i = 0; i < FF_SC_COUNT; i++) {
		if (!(sc_mask & (1ull << i)))
			continue;
		int nr = seccomp_syscall_resolve_name(ff_sc_table[i].name);
		if (nr == __NR_SCMP_ERROR) {
			rc = -EINVAL;
			goto out;
		}
		if ((rc = seccomp_rule_add(ctx, SCMP_ACT_TRACE(0), nr, 0)) < 0)
			goto out;
	}
	static const char *const track[] = FF_FDTRACK_NAMES;
	for (size_t i = 0; sc_mask && i < sizeof(track) / sizeof(track[0]); i++) {
		int sc = ff_sc_by_name(track[i]);
		if (sc >= 0 && (sc_mask & (1ull << sc)))
			continue; /* already traced as an eligible call */
		int nr = seccomp_syscall_resolve_name(track[i]);
		if (nr != __NR_SCMP_ERROR && (rc = seccomp_rule_add(ctx, SCMP_ACT_TRACE(1), nr, 0)) < 0)
			goto out;
	}
	/* --crash: the durability model sees every change to files and names. */
	static const char *const dur[] = FF_DURABLE_NAMES;
	for (size_t i = 0; durable && i < sizeof(dur) / sizeof(dur[0]); i++) {
		int sc = ff_sc_by_name(dur[i]);
		if (sc >= 0 && (sc_mask & (1ull << sc)))
			continue;
		int nr = seccomp_syscall_resolve_name(dur[i]);
		if (nr != __NR_SCMP_ERROR && (rc = seccomp_rule_add(ctx, SCMP_ACT_TRACE(1), nr, 0)) < 0)
			goto out;
	}
	/* --max-procs: fork, vfork, clone and clone3 stop at entry, where the
	 * tracer lets them through or refuses them with EAGAIN. */
	static const char *const forks[] = {"fork", "vfork", "clone", "clone3"};
	for (size_t i = 0; trace_forks && i < sizeof(forks) / sizeof(forks[0]); i++) {
		int nr = seccomp_syscall_resolve_name(forks[i]);
		if (nr != __NR_SCMP_ERROR && (rc = seccomp_rule_add(ctx, SCMP_ACT_TRACE(2), nr, 0)) < 0)
			goto out;
	}
	rc = seccomp_load(ctx);
out:
	seccomp_release(ctx);
	return rc;
}
