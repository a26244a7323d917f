#include "core/filter.h"

#include <errno.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "core/catalogue.h"
#include "core/config.h"
#include "core/durable/durable.h"
#include "core/tracer.h"

/* The prepared program: libseccomp's output, exported once. */
static struct {
	bool ok;
	uint64_t sc_mask;
	unsigned extra;
	struct sock_fprog prog;
} prepared;

/* The rule that stops eligible call e (number nr). Under afl-fuzz, a call
 * on the forkserver's pipes (fds 198 and 199, never eligible) runs without
 * a stop: the forkserver's status writes, two per execution, cost nothing.
 * Two rules, below and above the pair. Returns 0 or -errno. */
static int add_eligible(scmp_filter_ctx ctx, const struct ff_sc *e, int nr, bool afl)
{
	if (!afl || e->res != FF_RES_FD)
		return seccomp_rule_add(ctx, SCMP_ACT_TRACE(0), nr, 0);
	_Static_assert(FF_AFL_ST_FD == FF_AFL_CTL_FD + 1, "afl-fuzz's two fds are a pair");
	int rc = seccomp_rule_add(ctx, SCMP_ACT_TRACE(0), nr, 1, SCMP_CMP(e->res_arg, SCMP_CMP_LT, FF_AFL_CTL_FD));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_TRACE(0), nr, 1, SCMP_CMP(e->res_arg, SCMP_CMP_GT, FF_AFL_ST_FD));
	return rc;
}

/* Builds the filter context into *out. Returns 0 or -errno. */
static int build(uint64_t sc_mask, unsigned extra, scmp_filter_ctx *out)
{
	bool trace_forks = extra & FF_FILTER_FORKS, durable = extra & FF_FILTER_DURABLE;
	int rc = -ENOMEM;
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		return rc;
	/* int 0x80 and x32 calls must run, not be killed: libseccomp's bad-arch
	 * action defaults to KILL even with a default of ALLOW. */
	if ((rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ALLOW)) < 0)
		goto out;
	/* No NO_NEW_PRIVS from libseccomp: ff_filter_load sets it itself. */
	if ((rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0)) < 0)
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
		if ((rc = add_eligible(ctx, &ff_sc_table[i], nr, extra & FF_FILTER_AFL)) < 0)
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
	for (int sc = 0; durable && sc < FF_SC_COUNT; sc++) {
		if (!ff_sc_durable(sc) || (sc_mask & (1ull << sc)))
			continue; /* not followed, or already traced as an eligible call */
		if ((rc = seccomp_rule_add(ctx, SCMP_ACT_TRACE(1), (int)ff_sc_table[sc].nr, 0)) < 0)
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
	int nr = seccomp_syscall_resolve_name("getrandom");
	if ((extra & FF_FILTER_RANDOM) && nr != __NR_SCMP_ERROR &&
	    (rc = seccomp_rule_add(ctx, SCMP_ACT_TRACE(3), nr, 0)) < 0)
		goto out;
	*out = ctx;
	return 0;
out:
	seccomp_release(ctx);
	return rc;
}

unsigned ff_filter_extra(const struct ff_config *cfg)
{
	return (cfg->max_procs > 0 ? FF_FILTER_FORKS : 0) | (cfg->crash_mode != FF_CRASH_OFF ? FF_FILTER_DURABLE : 0) |
	       (cfg->real_random ? 0 : FF_FILTER_RANDOM) | (cfg->afl ? FF_FILTER_AFL : 0);
}

int ff_filter_prepare(uint64_t sc_mask, unsigned extra)
{
	scmp_filter_ctx ctx;
	struct stat st;
	int rc = build(sc_mask, extra, &ctx);
	if (rc < 0)
		return rc;
	/* libseccomp 2.5 exports to a descriptor only: a memory file, read back. */
	int fd = memfd_create("fifuzz-bpf", MFD_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		goto out;
	}
	if ((rc = seccomp_export_bpf(ctx, fd)) < 0)
		goto out;
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		goto out;
	}
	size_t n = (size_t)st.st_size / sizeof(struct sock_filter);
	if (!n || n > BPF_MAXINSNS || (size_t)st.st_size % sizeof(struct sock_filter)) {
		rc = -EINVAL;
		goto out;
	}
	struct sock_filter *insns = malloc((size_t)st.st_size);
	if (!insns) {
		rc = -ENOMEM;
		goto out;
	}
	if (pread(fd, insns, (size_t)st.st_size, 0) != st.st_size) {
		rc = -EIO;
		free(insns);
		goto out;
	}
	free(prepared.prog.filter);
	prepared.prog = (struct sock_fprog){.len = (unsigned short)n, .filter = insns};
	prepared.sc_mask = sc_mask;
	prepared.extra = extra;
	prepared.ok = true;
out:
	if (fd >= 0)
		close(fd);
	seccomp_release(ctx);
	return rc;
}

int ff_filter_get(uint64_t sc_mask, unsigned extra, const struct sock_fprog **prog)
{
	int rc;
	bool same = prepared.ok && prepared.sc_mask == sc_mask && prepared.extra == extra;
	if (!same && (rc = ff_filter_prepare(sc_mask, extra)) < 0)
		return rc;
	*prog = &prepared.prog;
	return 0;
}

int ff_filter_load(uint64_t sc_mask, unsigned extra)
{
	const struct sock_fprog *prog;
	int rc = ff_filter_get(sc_mask, extra, &prog);
	if (rc < 0)
		return rc;
	/* As root, skip NO_NEW_PRIVS so setuid programs in the target keep working;
	 * otherwise the kernel requires it to load a filter. */
	if (geteuid() != 0 && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, prog) < 0)
		return -errno;
	return 0;
}
