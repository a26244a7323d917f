/* Calling contexts (--site stack): the chain of return addresses of a task
 * stopped at a syscall, as perf record --call-graph dwarf takes it: one
 * process_vm_readv copy of the top of the stack and the registers, then
 * libdw unwinds from the copy with the modules' CFI (.eh_frame,
 * .debug_frame); code without CFI (Go's assembly) falls back to the frame
 * pointer chain. Each frame is named by its module's file name and the
 * offset from the module's start, so the context's hash does not depend on
 * ASLR, the pid or the directory. One unwinder per process: libdw keeps
 * each module's CFI and symbols, the unwinder each context's text. */
#ifndef FF_UNWIND_H
#define FF_UNWIND_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define FF_UNWIND_MAX_DEPTH 64
#define FF_UNWIND_DEFAULT   16
#define FF_UNWIND_STACK	    (32u << 10) /* bytes of stack copied per stop */

struct ff_unwind;

/* A new unwinder for process tgid (its modules are read at the first use). */
struct ff_unwind *ff_unwind_new(pid_t tgid);
void ff_unwind_free(struct ff_unwind *u);

/* The context of stopped task tid, at most depth frames: its hash into
 * *hash, and (when text is not NULL) its frames, innermost first, as
 * "write<-save_record<-commit<-main" (symbols where the module has them,
 * else module+0xOFFSET; the C library's frames left out when others
 * remain). *fresh says whether this unwinder had not seen the context
 * before (text is filled only then). Returns the frame count, or -errno. */
int ff_unwind_context(struct ff_unwind *u, pid_t tid, int depth, uint64_t *hash, char *text, size_t size, int *fresh);

/* The site path of a call on path in context (--site stack): "PATH @HASH",
 * into out. Creates *u for process tgid at the first call; records a new
 * context's text in rec. */
struct ff_trace;
const char *ff_unwind_site(struct ff_unwind **u, pid_t tgid, pid_t tid, int depth, const char *path,
			   struct ff_trace *rec, char *out, size_t size);

#endif
