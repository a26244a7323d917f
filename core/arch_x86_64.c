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
	r->dirty = false;
	return 0;
}

int ff_arch_push(pid_t tid, struct ff_regs *r)
{
	if (!r->dirty)
		return 0;
	if (ptrace(PTRACE_SETREGS, tid, 0, &r->cur) < 0)
		return -errno;
	r->orig = r->cur;
	r->dirty = false;
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
}

bool ff_arch_native_call(uint32_t audit_arch, uint64_t nr)
{
	return audit_arch == AUDIT_ARCH_X86_64 && !(nr & 0x40000000); /* x32 bit */
}
