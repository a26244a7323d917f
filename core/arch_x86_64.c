/* x86-64: the register names behind enum ff_reg (syscall ABI: rdi, rsi,
 * rdx, r10, r8, r9; number in orig_rax, result in rax). */
#include "core/arch.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <linux/audit.h>
#include <sys/ptrace.h>

static const size_t reg_off[FF_REG_COUNT] = {
    [FF_REG_NR] = offsetof(struct user_regs_struct, orig_rax), [FF_REG_ARG1] = offsetof(struct user_regs_struct, rdi),
    [FF_REG_ARG2] = offsetof(struct user_regs_struct, rsi),    [FF_REG_ARG3] = offsetof(struct user_regs_struct, rdx),
    [FF_REG_ARG4] = offsetof(struct user_regs_struct, r10),    [FF_REG_ARG5] = offsetof(struct user_regs_struct, r8),
    [FF_REG_ARG6] = offsetof(struct user_regs_struct, r9),     [FF_REG_RESULT] = offsetof(struct user_regs_struct, rax),
    [FF_REG_IP] = offsetof(struct user_regs_struct, rip),      [FF_REG_SP] = offsetof(struct user_regs_struct, rsp),
};

int ff_arch_fetch(pid_t tid, struct ff_regs *r)
{
	if (ptrace(PTRACE_GETREGS, tid, 0, &r->cur) < 0)
		return -errno;
	r->orig = r->cur;
	r->dirty = r->partial = false;
	r->changed = 0;
	return 0;
}

int ff_arch_fetch_call(pid_t tid, struct ff_regs *r)
{
	struct __ptrace_syscall_info info;
	long n = ptrace(PTRACE_GET_SYSCALL_INFO, tid, (void *)sizeof(info), &info);
	/* Before Linux 5.3, or not at an entry: all registers. */
	if (n < (long)offsetof(struct __ptrace_syscall_info, seccomp.ret_data) ||
	    (info.op != PTRACE_SYSCALL_INFO_SECCOMP && info.op != PTRACE_SYSCALL_INFO_ENTRY))
		return ff_arch_fetch(tid, r);
	/* The entry and seccomp views start alike: nr, then args[6]. */
	memset(&r->cur, 0, sizeof(r->cur));
	r->cur.orig_rax = info.entry.nr;
	r->cur.rdi = info.entry.args[0];
	r->cur.rsi = info.entry.args[1];
	r->cur.rdx = info.entry.args[2];
	r->cur.r10 = info.entry.args[3];
	r->cur.r8 = info.entry.args[4];
	r->cur.r9 = info.entry.args[5];
	r->cur.rip = info.instruction_pointer;
	r->cur.rsp = info.stack_pointer;
	r->cur.rax = (uint64_t)-ENOSYS; /* what the kernel puts there at every syscall entry */
	r->orig = r->cur;
	r->dirty = false;
	r->partial = true;
	r->changed = 0;
	return 0;
}

int ff_arch_push(pid_t tid, struct ff_regs *r)
{
	if (!r->dirty)
		return 0;
	if (r->partial) {
		/* Only some were read: the changed ones go into the full set. */
		struct user_regs_struct full;
		if (ptrace(PTRACE_GETREGS, tid, 0, &full) < 0)
			return -errno;
		for (int reg = 0; reg < FF_REG_COUNT; reg++)
			if (r->changed & (1u << reg))
				memcpy((char *)&full + reg_off[reg], (const char *)&r->cur + reg_off[reg],
				       sizeof(uint64_t));
		r->cur = full;
	}
	if (ptrace(PTRACE_SETREGS, tid, 0, &r->cur) < 0)
		return -errno;
	r->orig = r->cur;
	r->dirty = r->partial = false;
	r->changed = 0;
	return 0;
}

static uint64_t get(const struct user_regs_struct *u, enum ff_reg reg)
{
	uint64_t v;
	memcpy(&v, (const char *)u + reg_off[reg], sizeof(v));
	return v;
}

uint64_t ff_arch_get(const struct ff_regs *r, enum ff_reg reg)
{
	return get(&r->cur, reg);
}

uint64_t ff_arch_get_orig(const struct ff_regs *r, enum ff_reg reg)
{
	return get(&r->orig, reg);
}

void ff_arch_set(struct ff_regs *r, enum ff_reg reg, uint64_t v)
{
	if (get(&r->cur, reg) == v)
		return;
	memcpy((char *)&r->cur + reg_off[reg], &v, sizeof(v));
	r->dirty = true;
	r->changed |= 1u << reg;
}

bool ff_arch_native_call(uint32_t audit_arch, uint64_t nr)
{
	return audit_arch == AUDIT_ARCH_X86_64 && !(nr & 0x40000000); /* x32 bit */
}

long ff_arch_syscall(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
	register long r10 __asm__("r10") = a4, r8 __asm__("r8") = a5, r9 __asm__("r9") = a6;
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}
