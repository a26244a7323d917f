/* The only interface that knows machine registers. Everything else names
 * syscall parts through enum ff_reg; core/arch_x86_64.c maps them. */
#ifndef FF_ARCH_H
#define FF_ARCH_H
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/user.h>

enum ff_reg {
	FF_REG_NR, /* the syscall number as the kernel will run it */
	FF_REG_ARG1,
	FF_REG_ARG2,
	FF_REG_ARG3,
	FF_REG_ARG4,
	FF_REG_ARG5,
	FF_REG_ARG6,
	FF_REG_RESULT, /* the return value register */
	FF_REG_IP,
	FF_REG_SP,
	FF_REG_COUNT
};

/* A stopped task's registers, as fetched and then edited. ff_arch_push
 * writes them back only if one changed. */
struct ff_regs {
	struct user_regs_struct cur;
	bool dirty;
	bool partial;	  /* only the call's registers were read (ff_arch_fetch_call) */
	uint32_t changed; /* 1 << enum ff_reg for each register set since the fetch */
};

/* Reads the registers of stopped task tid. Returns 0 or -errno. */
int ff_arch_fetch(pid_t tid, struct ff_regs *r);
/* At a seccomp or syscall-entry stop: reads only what the call needs (its
 * number, arguments, result register, ip and sp) in one cheaper request than
 * all registers; falls back to ff_arch_fetch. ff_arch_push then writes the
 * changed ones into the full set. Returns 0 or -errno. */
int ff_arch_fetch_call(pid_t tid, struct ff_regs *r);
/* Writes the registers back if any changed. Returns 0 or -errno. */
int ff_arch_push(pid_t tid, struct ff_regs *r);
uint64_t ff_arch_get(const struct ff_regs *r, enum ff_reg reg);
void ff_arch_set(struct ff_regs *r, enum ff_reg reg, uint64_t v);

/* Is a call of this audit arch and number a native x86-64 call (not int 0x80, not x32)? */
bool ff_arch_native_call(uint32_t audit_arch, uint64_t nr);

/* A system call made without libc: returns the kernel's value (-errno on
 * failure) and never touches errno, so a child sharing our memory
 * (core/spawn.c) can call it while we run. */
long ff_arch_syscall(long nr, long a1, long a2, long a3, long a4, long a5, long a6);

/* For unwinding (core/unwind.c): the registers at the stop, by DWARF
 * number, into out (n entries at least FF_ARCH_DWARF_NREGS, the last the
 * return-address column). Needs a full fetch (ff_arch_fetch). Returns how
 * many, or -EINVAL. */
#define FF_ARCH_DWARF_NREGS 17
int ff_arch_dwarf_regs(const struct ff_regs *r, uint64_t *out, int n);
/* The frame pointer, for code without CFI: the saved one at [fp], the return address at [fp + 8]. */
uint64_t ff_arch_frame_pointer(const struct ff_regs *r);
#define FF_ARCH_FP_RET_OFF 8

/* The size of one iovec in the tracee's ABI, and the i-th of raw (a copy
 * of the tracee's array): its base address and length. */
#define FF_ARCH_IOVEC_SIZE 16
void ff_arch_iovec(const void *raw, size_t i, uint64_t *base, uint64_t *len);

/* The breakpoint: word (read at addr) with its first instruction byte
 * replaced by the trap, and the length the trap adds to ip. */
long ff_arch_breakpoint_word(long word);
#define FF_ARCH_BREAKPOINT_LEN 1

/* A system call made by a stopped tracee on our behalf (core/snapshot.c):
 * word with a syscall instruction and a breakpoint after it at its start
 * (the call's end stops the tracee, FF_ARCH_SYSCALL_TRAP_LEN bytes on), and
 * r set to run call nr with args a from addr (as if not inside a call). */
long ff_arch_syscall_trap_word(long word);
#define FF_ARCH_SYSCALL_TRAP_LEN 3
void ff_arch_inject_call(struct ff_regs *r, uint64_t addr, long nr, const uint64_t a[6]);

/* From the auxiliary vector of task tid: the program's entry point (AT_ENTRY,
 * 0 if unknown) and where its interpreter was loaded (AT_BASE, 0: static). */
uint64_t ff_arch_auxv_entry(pid_t tid, uint64_t *interp_base);

#endif
