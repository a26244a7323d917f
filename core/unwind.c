#include "core/unwind.h"

#include <elfutils/libdwfl.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "core/arch.h"
#include "core/mem.h"
#include "core/trace/trace.h"
#include "core/util.h"

struct ff_unwind {
	pid_t tgid;
	Dwfl *dwfl;
	bool attached;	/* libdw's thread state is set up (else frame pointers only) */
	bool reported;	/* the modules of /proc/PID/maps are known */
	uint64_t *seen; /* contexts whose text was given out: open addressing, 0 empty */
	size_t nseen, seencap;
	/* The stop being unwound: registers and the copy of the stack top. */
	uint64_t regs[FF_ARCH_DWARF_NREGS];
	uint64_t sp, fp;
	size_t stack_len;
	uint8_t stack[FF_UNWIND_STACK];
	uint64_t pcs[FF_UNWIND_MAX_DEPTH];
	int npcs, depth;
};

static char *debuginfo_path;
static const Dwfl_Callbacks dwfl_cbs = {
    .find_elf = dwfl_linux_proc_find_elf,
    .find_debuginfo = dwfl_standard_find_debuginfo,
    .debuginfo_path = &debuginfo_path,
};

/* Memory libdw asks for: from the copy when it is there (nearly always),
 * else from the process. */
static bool memory_read(Dwfl *dwfl, Dwarf_Addr addr, Dwarf_Word *result, void *arg)
{
	(void)dwfl;
	struct ff_unwind *u = arg;
	if (addr >= u->sp && addr - u->sp + 8 <= u->stack_len) {
		memcpy(result, u->stack + (addr - u->sp), 8);
		return true;
	}
	uint64_t v;
	if (ff_peek(u->tgid, addr, &v, sizeof(v)) != sizeof(v))
		return false;
	*result = v;
	return true;
}

static bool set_initial_registers(Dwfl_Thread *thread, void *arg)
{
	struct ff_unwind *u = arg;
	return dwfl_thread_state_registers(thread, 0, FF_ARCH_DWARF_NREGS, u->regs);
}

static pid_t next_thread(Dwfl *dwfl, void *arg, void **thread_argp)
{
	(void)dwfl, (void)arg, (void)thread_argp;
	return 0; /* libdw never lists threads here: every unwind names its tid */
}

static bool get_thread(Dwfl *dwfl, pid_t tid, void *arg, void **thread_argp)
{
	(void)dwfl, (void)tid;
	*thread_argp = arg;
	return true;
}

static const Dwfl_Thread_Callbacks thread_cbs = {
    .next_thread = next_thread,
    .get_thread = get_thread,
    .memory_read = memory_read,
    .set_initial_registers = set_initial_registers,
};

struct ff_unwind *ff_unwind_new(pid_t tgid)
{
	struct ff_unwind *u = ff_xcalloc(1, sizeof(*u));
	u->tgid = tgid;
	u->dwfl = dwfl_begin(&dwfl_cbs);
	return u;
}

void ff_unwind_free(struct ff_unwind *u)
{
	if (!u)
		return;
	if (u->dwfl)
		dwfl_end(u->dwfl);
	free(u->seen);
	free(u);
}

/* (Re)reads the process's modules (at the first unwind, and when a frame
 * falls outside every known module: a dlopen). */
static void report(struct ff_unwind *u)
{
	if (!u->dwfl)
		return;
	dwfl_report_begin(u->dwfl);
	int rc = dwfl_linux_proc_report(u->dwfl, u->tgid);
	dwfl_report_end(u->dwfl, NULL, NULL);
	u->reported = true;
	if (rc == 0 && !u->attached)
		u->attached = dwfl_attach_state(u->dwfl, NULL, u->tgid, &thread_cbs, u);
}

static int frame_cb(Dwfl_Frame *state, void *arg)
{
	struct ff_unwind *u = arg;
	Dwarf_Addr pc;
	bool activation;
	if (!dwfl_frame_pc(state, &pc, &activation) || pc == 0)
		return DWARF_CB_ABORT;
	u->pcs[u->npcs++] = pc;
	return u->npcs < u->depth ? DWARF_CB_OK : DWARF_CB_ABORT;
}

/* Code without CFI: follows saved frame pointers through the copy. */
static void frame_pointers(struct ff_unwind *u)
{
	uint64_t fp = u->fp;
	while (u->npcs < u->depth && fp >= u->sp && fp - u->sp + FF_ARCH_FP_RET_OFF + 8 <= u->stack_len) {
		uint64_t next, ret;
		memcpy(&next, u->stack + (fp - u->sp), 8);
		memcpy(&ret, u->stack + (fp - u->sp) + FF_ARCH_FP_RET_OFF, 8);
		if (ret == 0)
			break;
		u->pcs[u->npcs++] = ret;
		if (next <= fp)
			break; /* stacks grow down: a saved pointer below is no frame */
		fp = next;
	}
}

/* The registers and the stack top of tid, then its return addresses. */
static int capture(struct ff_unwind *u, pid_t tid)
{
	struct ff_regs r;
	int rc = ff_arch_fetch(tid, &r);
	if (rc < 0)
		return rc;
	ff_arch_dwarf_regs(&r, u->regs, FF_ARCH_DWARF_NREGS);
	u->sp = ff_arch_get(&r, FF_REG_SP);
	u->fp = ff_arch_frame_pointer(&r);
	u->stack_len = ff_peek(tid, u->sp, u->stack, sizeof(u->stack));
	u->npcs = 0;
	if (!u->reported)
		report(u);
	if (u->attached)
		dwfl_getthread_frames(u->dwfl, tid, frame_cb, u); /* an error only ends the chain early */
	if (u->npcs < 2) {
		u->npcs = 1;
		u->pcs[0] = ff_arch_get(&r, FF_REG_IP);
		frame_pointers(u);
	}
	return 0;
}

static const char *base_name(const char *p)
{
	const char *s = p ? strrchr(p, '/') : NULL;
	return s ? s + 1 : p ? p : "?";
}

/* The module of pc, its file's base name and start; re-reads the modules
 * once per unwind when pc is in none (a library loaded since). */
static Dwfl_Module *module_of(struct ff_unwind *u, uint64_t pc, bool *again, const char **name, uint64_t *start)
{
	Dwfl_Module *m = u->dwfl ? dwfl_addrmodule(u->dwfl, pc) : NULL;
	if (!m && !*again) {
		*again = true;
		report(u);
		m = u->dwfl ? dwfl_addrmodule(u->dwfl, pc) : NULL;
	}
	Dwarf_Addr lo = 0;
	*name = m ? base_name(dwfl_module_info(m, NULL, &lo, NULL, NULL, NULL, NULL, NULL)) : "?";
	*start = lo;
	return m;
}

/* The C library's own frames (the syscall wrapper, stdio) say little about
 * the program's context in text; they stay in the hash. */
static bool libc_module(const char *name)
{
	return !strncmp(name, "libc.so", 7) || !strncmp(name, "ld-linux", 8) || !strncmp(name, "libpthread", 10);
}

/* Appends frame i's name to text (at *len). */
static void frame_text(struct ff_unwind *u, int i, Dwfl_Module *m, const char *mod, uint64_t start, char *text,
		       size_t size, size_t *len)
{
	uint64_t pc = u->pcs[i], adj = i ? pc - 1 : pc; /* a return address is past its call */
	const char *sym = m ? dwfl_module_addrname(m, adj) : NULL;
	int n = sym ? snprintf(text + *len, size - *len, "%s%s", *len ? "<-" : "", sym)
		    : snprintf(text + *len, size - *len, "%s%s+0x%" PRIx64, *len ? "<-" : "", mod, pc - start);
	if (n > 0)
		*len = *len + (size_t)n < size ? *len + (size_t)n : size - 1;
}

/* Remembers h; returns true if it is new. */
static bool seen_add(struct ff_unwind *u, uint64_t h)
{
	h |= 1; /* 0 marks an empty slot */
	if (2 * (u->nseen + 1) > u->seencap) {
		size_t oldcap = u->seencap;
		uint64_t *old = u->seen;
		u->seencap = oldcap ? 2 * oldcap : 256;
		u->seen = ff_xcalloc(u->seencap, sizeof(*u->seen));
		u->nseen = 0;
		for (size_t i = 0; i < oldcap; i++)
			if (old[i])
				seen_add(u, old[i]);
		free(old);
	}
	size_t i = (size_t)(h % u->seencap);
	for (; u->seen[i]; i = (i + 1) % u->seencap)
		if (u->seen[i] == h)
			return false;
	u->seen[i] = h;
	u->nseen++;
	return true;
}

int ff_unwind_context(struct ff_unwind *u, pid_t tid, int depth, uint64_t *hash, char *text, size_t size, int *fresh)
{
	u->depth = depth < 1 ? 1 : depth > FF_UNWIND_MAX_DEPTH ? FF_UNWIND_MAX_DEPTH : depth;
	int rc = capture(u, tid);
	if (rc < 0)
		return rc;
	XXH3_state_t *st = XXH3_createState();
	XXH3_64bits_reset(st);
	bool again = false;
	const char *mods[FF_UNWIND_MAX_DEPTH];
	uint64_t starts[FF_UNWIND_MAX_DEPTH];
	Dwfl_Module *ms[FF_UNWIND_MAX_DEPTH];
	int own = 0; /* frames outside the C library */
	for (int i = 0; i < u->npcs; i++) {
		ms[i] = module_of(u, u->pcs[i], &again, &mods[i], &starts[i]);
		uint8_t le[8];
		uint64_t off =
		    ms[i] ? u->pcs[i] - starts[i] : 0; /* code in no module (JIT): its address means nothing */
		for (int k = 0; k < 8; k++)
			le[k] = (uint8_t)(off >> (8 * k));
		XXH3_64bits_update(st, mods[i], strlen(mods[i]) + 1);
		XXH3_64bits_update(st, le, sizeof(le));
		own += !libc_module(mods[i]);
	}
	*hash = XXH3_64bits_digest(st);
	XXH3_freeState(st);
	*fresh = seen_add(u, *hash);
	if (!*fresh || !text || !size)
		return u->npcs;
	size_t len = 0;
	text[0] = 0;
	for (int i = 0; i < u->npcs; i++)
		if (!own || !libc_module(mods[i]))
			frame_text(u, i, ms[i], mods[i], starts[i], text, size, &len);
	return u->npcs;
}

const char *ff_unwind_site(struct ff_unwind **u, pid_t tgid, pid_t tid, int depth, const char *path,
			   struct ff_trace *rec, char *out, size_t size)
{
	if (!*u)
		*u = ff_unwind_new(tgid);
	uint64_t h = 0;
	int fresh = 0;
	char text[FF_TRACE_MAX_STR + 1];
	if (ff_unwind_context(*u, tid, depth, &h, text, sizeof(text), &fresh) < 0)
		h = 0, fresh = 0; /* the task is gone: its calls share the unknown context 0 */
	if (fresh)
		ff_trace_add_context(rec, h, text[0] ? text : "?");
	snprintf(out, size, "%s @%016" PRIx64, path, h);
	return out;
}
