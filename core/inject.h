/* Applying a decision to a stopped call, through the arch interface only.
 *
 * error: at the seccomp stop the syscall number becomes -1 (the kernel skips
 *   the call) and the result register -errno; no exit stop is needed.
 * short/torn: the length shrinks at entry and every changed register is
 *   restored at the exit stop; torn then turns the result into -errno.
 * writev family: a cut inside the first iovec turns the call into
 *   write/pwrite64 of a prefix of it; any other cut is rounded down to an
 *   iovec boundary by lowering iovcnt. Tracee memory is never written. */
#ifndef FF_INJECT_H
#define FF_INJECT_H
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/arch.h"
#include "core/catalogue.h"
#include "core/decide/decide.h"

#define FF_IOV_MAX 1024

/* What one call would transfer. */
struct ff_xfer {
	uint64_t len;  /* total bytes */
	uint64_t buf;  /* first buffer (for previews and iovec cuts) */
	uint64_t len0; /* length of the first buffer */
	int iovcnt;
	uint64_t lens[FF_IOV_MAX];
};

/* Work left for the exit stop. */
struct ff_pending {
	bool active;
	long nr; /* the real syscall number */
	uint8_t kind;
	uint16_t err;
	bool error_at_exit; /* PTRACE_SYSCALL fallback: the skip's errno goes in at exit */
	uint32_t restore;   /* 1 << enum ff_reg to put back */
	uint64_t saved[FF_REG_COUNT];
};

/* Reads the call's buffers' lengths (iovecs through process_vm_readv).
 * Returns 0 or -errno (unreadable iovecs: let the call through). */
int ff_xfer_read(pid_t tid, const struct ff_regs *r, const struct ff_sc *sc, struct ff_xfer *x);

/* Adapts d to what the call's shape can do; may turn it into a pass. */
void ff_inject_fit(const struct ff_regs *r, const struct ff_sc *sc, const struct ff_xfer *x, struct ff_decision *d);

/* Edits r for d at an entry stop (seccomp, or syscall-entry when
 * at_seccomp is false). Returns true if the exit stop must be seen. */
bool ff_inject_entry(struct ff_regs *r, const struct ff_sc *sc, const struct ff_xfer *x, const struct ff_decision *d,
		     bool at_seccomp, struct ff_pending *p);

/* At the exit stop: restores registers and sets the result. Returns true if
 * the kernel will restart the call (-ERESTART*), which then re-enters with
 * the original registers and must get the same decision. */
bool ff_inject_exit(struct ff_regs *r, struct ff_pending *p);

#endif
