/* x86-64: the register names behind enum ff_reg (syscall ABI: rdi, rsi,
 * rdx, r10, r8, r9; number in orig_rax, result in rax). */
#include "core/arch.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
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

void ff_arch_iovec(const void *raw, size_t i, uint64_t *base, uint64_t *len)
{
	const uint64_t *v = raw; /* struct iovec: void *iov_base; size_t iov_len */
	*base = v[2 * i];
	*len = v[2 * i + 1];
}

long ff_arch_breakpoint_word(long word)
{
	return (word & ~0xffL) | 0xcc; /* int3, in the lowest (first, little-endian) byte */
}

long ff_arch_syscall_trap_word(long word)
{
	return (word & ~0xffffffL) | 0xcc050f; /* syscall (0f 05), int3 (cc) */
}

void ff_arch_inject_call(struct ff_regs *r, uint64_t addr, long nr, const uint64_t a[6])
{
	ff_arch_set(r, FF_REG_IP, addr);
	r->cur.rax = (uint64_t)nr;	/* the syscall instruction takes its number here */
	r->cur.orig_rax = (uint64_t)-1; /* not in a call: nothing to restart */
	for (int i = 0; i < 6; i++)
		ff_arch_set(r, (enum ff_reg)(FF_REG_ARG1 + i), a[i]);
	r->dirty = true;
}

uint64_t ff_arch_auxv_entry(pid_t tid, uint64_t *interp_base)
{
	char p[64];
	Elf64_auxv_t a[64];
	uint64_t entry = 0;
	*interp_base = 0;
	snprintf(p, sizeof(p), "/proc/%d/auxv", (int)tid);
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, a, sizeof(a));
	close(fd);
	for (ssize_t i = 0; n > 0 && i < n / (ssize_t)sizeof(a[0]); i++) {
		if (a[i].a_type == AT_ENTRY)
			entry = a[i].a_un.a_val;
		else if (a[i].a_type == AT_BASE)
			*interp_base = a[i].a_un.a_val;
	}
	return entry;
}

/* DWARF numbering for x86-64 (System V psABI): rax rdx rcx rbx rsi rdi rbp rsp r8-r15, then the return address (rip).
 */
int ff_arch_dwarf_regs(const struct ff_regs *r, uint64_t *out, int n)
{
	const struct user_regs_struct *u = &r->cur;
	const uint64_t v[FF_ARCH_DWARF_NREGS] = {u->rax, u->rdx, u->rcx, u->rbx, u->rsi, u->rdi, u->rbp, u->rsp, u->r8,
						 u->r9,	 u->r10, u->r11, u->r12, u->r13, u->r14, u->r15, u->rip};
	if (n < FF_ARCH_DWARF_NREGS)
		return -EINVAL;
	memcpy(out, v, sizeof(v));
	return FF_ARCH_DWARF_NREGS;
}

uint64_t ff_arch_frame_pointer(const struct ff_regs *r)
{
	return r->cur.rbp;
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
