#include "core/tracer.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/socket.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xxhash.h>

#include "core/corrupt.h"
#include "core/mem.h"
#include "core/unwind.h"
#include "core/util.h"

/* Keys getrandom's answers (XXH3 of the call's length, flags, count, offset). */
#define FF_RANDOM_SALT 0x66696675757a7a72ull /* "fifuzzr" */

struct ff_proc {
	pid_t tgid;
	int refs;
	bool startup;	  /* before the program's entry point */
	uint64_t bp_addr; /* entry breakpoint, 0: none */
	long bp_word;	  /* the word the breakpoint replaced */
	struct ff_fdcache fds;
	struct ff_unwind *unw; /* --site stack: this process's unwinder (created at its first call) */
	/* getrandom calls answered, by (length, flags) class: the key of the next one's bytes */
	uint64_t random_calls[FF_RANDOM_CLASSES];
};

struct ff_task {
	pid_t tid;
	struct ff_task *next;
	struct ff_proc *proc;
	bool started;	   /* its first (attach) stop was seen */
	bool exit_pending; /* resume with PTRACE_SYSCALL until the exit stop */
	bool killed;	   /* SIGKILL sent while ending the run */
	bool lazy;	   /* seen before its parent's fork/clone event */
	bool held;	   /* a forkserver child kept stopped until its run begins */
	bool forking;	   /* inside a fork counted against --max-procs */
	bool detaching;	   /* attach mode is ending: interrupted, detached at its next stop */
	struct ff_pending pend;
	struct ff_corrupt_op cop; /* --faults corrupt: the read whose bytes the exit stop damages */
	/* A call that returned -ERESTART*: its re-entry reuses the decision. */
	bool restart;
	long restart_nr;
	struct ff_decision restart_d;
	bool restart_watch;
	struct ff_dur_op dop; /* --crash: the call in flight, for the durability model */
	bool held_cut;	      /* replay: kept at a call the recording never reached, until the cut */
	bool frozen;	      /* the cut was decided: kept stopped until it is killed */
	size_t held_si;	      /* its stream, and its length, to record it if it is let go */
	uint64_t held_len;
};

static volatile sig_atomic_t stop_req;
static volatile pid_t root_pid;
static volatile sig_atomic_t root_detach; /* attached: wake the loop without killing */

void ff_tracer_set_root(pid_t root)
{
	root_pid = root;
}

int ff_tracer_stop_signal(void)
{
	return stop_req;
}

void ff_tracer_new_run(void)
{
	if (stop_req == SIGALRM)
		stop_req = 0;
}

void ff_tracer_request_stop(int sig)
{
	if (!stop_req)
		stop_req = sig;
	/* Wakes the waitpid loop with an event, in case the signal came just
	 * before it blocked. An attached process must survive: interrupt it. */
	if (root_pid > 0 && root_detach)
		ptrace(PTRACE_INTERRUPT, root_pid, 0, 0);
	else if (root_pid > 0)
		kill(root_pid, SIGKILL);
}

/* ---- task and process table ---- */

static struct ff_task **bucket(struct ff_session *s, pid_t tid)
{
	return &s->buckets[(unsigned)tid % FF_ARRAY_LEN(s->buckets)];
}

static struct ff_task *task_find(struct ff_session *s, pid_t tid)
{
	for (struct ff_task *t = *bucket(s, tid); t; t = t->next)
		if (t->tid == tid)
			return t;
	return NULL;
}

static struct ff_proc *proc_find(struct ff_session *s, pid_t tgid)
{
	for (size_t b = 0; b < FF_ARRAY_LEN(s->buckets); b++)
		for (struct ff_task *t = s->buckets[b]; t; t = t->next)
			if (t->proc->tgid == tgid)
				return t->proc;
	return NULL;
}

static pid_t read_tgid(pid_t tid)
{
	char p[64], buf[512];
	snprintf(p, sizeof(p), "/proc/%d/status", (int)tid);
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return tid;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return tid;
	buf[n] = 0;
	char *l = strstr(buf, "\nTgid:");
	return l ? (pid_t)atoi(l + 6) : tid;
}

static struct ff_task *task_add(struct ff_session *s, pid_t tid, pid_t tgid)
{
	struct ff_task *t = ff_xcalloc(1, sizeof(*t));
	t->tid = tid;
	struct ff_proc *p = proc_find(s, tgid);
	if (!p) {
		p = ff_xcalloc(1, sizeof(*p));
		p->tgid = tgid;
	}
	p->refs++;
	t->proc = p;
	t->next = *bucket(s, tid);
	*bucket(s, tid) = t;
	s->ntasks++;
	return t;
}

/* The fork this task was making has created its child or failed. */
static void fork_done(struct ff_session *s, struct ff_task *t)
{
	if (t->forking) {
		t->forking = false;
		s->nforking--;
	}
}

static void task_del(struct ff_session *s, struct ff_task *t)
{
	fork_done(s, t);
	for (struct ff_task **pp = bucket(s, t->tid); *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	}
	if (s->deferred == t)
		s->deferred = NULL;
	if (s->dur && t->dop.type)
		ff_durable_abandon(s->dur, &t->dop);
	if (s->dur)
		ff_durable_fd_drop(s->dur, t->tid, 0, INT_MAX);
	ff_durable_op_clear(&t->dop);
	if (t->held_cut)
		s->nheld--;
	if (s->cut_task == t)
		s->cut_task = NULL;
	if (--t->proc->refs == 0) {
		ff_fdcache_clear(&t->proc->fds);
		ff_unwind_free(t->proc->unw);
		free(t->proc);
	}
	free(t);
	s->ntasks--;
}

static void kill_all(struct ff_session *s);

/* After the cut was decided: once no task is inside a call the durability
 * model follows, the power goes (every task is killed where it stands). */
static void try_cut(struct ff_session *s)
{
	if (!s->cut_pending || s->cut)
		return;
	for (size_t b = 0; b < FF_ARRAY_LEN(s->buckets); b++)
		for (struct ff_task *t = s->buckets[b]; t; t = t->next)
			if (t->dop.type && t->exit_pending && !t->held_cut && !t->frozen)
				return; /* inside a call (a held task has not started its call) */
	s->cut = true;
	kill_all(s);
}

/* ---- resuming ---- */

static void resume(struct ff_session *s, struct ff_task *t, int sig)
{
	enum __ptrace_request req = (!s->seccomp || t->exit_pending) ? PTRACE_SYSCALL : PTRACE_CONT;
	ptrace(req, t->tid, 0, (void *)(long)sig); /* ESRCH: it died; its exit comes next */
}

/* ---- start-up exclusion: a breakpoint at the program's entry point ---- */

static void arm_startup(struct ff_session *s, struct ff_task *t)
{
	struct ff_proc *p = t->proc;
	p->startup = false;
	p->bp_addr = 0;
	if (s->cfg->include_startup)
		return;
	uint64_t base, entry = ff_arch_auxv_entry(t->tid, &base);
	/* Without an interpreter the kernel starts the program at its entry
	 * point: there is no start-up to skip, so no breakpoint (and no stop),
	 * unless a template is wanted there. */
	if (!entry || (!base && !(s->to_entry && t->tid == s->root)))
		return;
	errno = 0;
	long w = ptrace(PTRACE_PEEKTEXT, t->tid, (void *)entry, 0);
	if (errno)
		return;
	long bp = ff_arch_breakpoint_word(w);
	if (ptrace(PTRACE_POKETEXT, t->tid, (void *)entry, (void *)bp) < 0)
		return;
	p->bp_word = w;
	p->bp_addr = entry;
	p->startup = true;
}

/* Returns true if this SIGTRAP was our entry breakpoint (and consumed it). */
static bool hit_startup(struct ff_task *t)
{
	struct ff_proc *p = t->proc;
	struct ff_regs r;
	if (!p->bp_addr || ff_arch_fetch(t->tid, &r) < 0)
		return false;
	if (ff_arch_get(&r, FF_REG_IP) != p->bp_addr + FF_ARCH_BREAKPOINT_LEN)
		return false;
	ptrace(PTRACE_POKETEXT, t->tid, (void *)p->bp_addr, (void *)p->bp_word);
	ff_arch_set(&r, FF_REG_IP, p->bp_addr);
	ff_arch_push(t->tid, &r);
	p->bp_addr = 0;
	p->startup = false;
	return true;
}

/* ---- the per-call path ---- */

static void describe(char *what, size_t len, const struct ff_decision *d)
{
	const char *en = d->err ? ff_errno_name(d->err) : NULL;
	if (!en)
		en = "?";
	switch (d->kind) {
	case FF_SHORT:
		snprintf(what, len, "short %llu", (unsigned long long)d->n);
		break;
	case FF_TORN:
		snprintf(what, len, "torn %llu + %s", (unsigned long long)d->n, en);
		break;
	case FF_ERROR:
		snprintf(what, len, "error %s", en);
		break;
	case FF_FSYNC:
		snprintf(what, len, "fsync %s", en);
		break;
	case FF_PASS:
		snprintf(what, len, "pass");
		break;
	default:
		snprintf(what, len, "%s", ff_fault_name(d->kind));
	}
}

static void print_call(struct ff_session *s, struct ff_task *t, const struct ff_call *c, int fd,
		       const struct ff_decision *d)
{
	if (s->cfg->verbose < 0 || (s->cfg->verbose == 0 && d->kind == FF_PASS))
		return; /* the hot path: nothing to print */
	char what[96], size[48] = "", path[4 * 4096 + 8];
	describe(what, sizeof(what), d);
	/* File names may hold newlines or escape sequences: never print them raw. */
	ff_escape_name(path, sizeof(path), c->path);
	const struct ff_sc *e = &ff_sc_table[c->sc];
	if (e->shape != FF_SHAPE_NONE)
		snprintf(size, sizeof(size), " (%llu bytes)", (unsigned long long)c->len);
	if (s->cfg->verbose == 0) {
		fprintf(stderr, "fifuzz: %s %s #%llu%s: %s\n", e->name, path, (unsigned long long)c->ordinal, size,
			what);
		return;
	}
	char prev[160] = "";
	bool out = (e->classes & FF_CLASS_WRITE) && s->xfer.buf; /* a read's buffer is not filled yet */
	if (out) {
		uint8_t buf[32];
		size_t want = s->xfer.len0 < sizeof(buf) ? s->xfer.len0 : sizeof(buf);
		size_t got = ff_peek(t->tid, s->xfer.buf, buf, want);
		prev[0] = ',';
		prev[1] = ' ';
		ff_escape(prev + 2, sizeof(prev) - 2, buf, got, sizeof(buf));
		if (got < s->xfer.len0 && got == sizeof(buf))
			strcat(prev, "...");
	}
	if (fd >= 0)
		fprintf(stderr, "fifuzz: [pid %d] %s(%d<%s>%s%s) #%llu -> %s\n", (int)t->tid, e->name, fd, path, prev,
			size, (unsigned long long)c->ordinal, what);
	else
		fprintf(stderr, "fifuzz: [pid %d] %s(\"%s\") #%llu -> %s\n", (int)t->tid, e->name, path,
			(unsigned long long)c->ordinal, what);
}

/* Applies d. watch: follow a pass to its exit stop too, because the call
 * may return -ERESTART* (pipes, sockets, ttys; never regular files) and its
 * re-entry must not count as a new call. */
static void apply(struct ff_session *s, struct ff_task *t, struct ff_regs *r, int sc, const struct ff_decision *d,
		  bool watch)
{
	t->restart_d = *d;
	if (d->kind == FF_CUT) {
		/* The power goes: this call never runs, no call starts after it, and
		 * the calls already running finish first (try_cut), so that a replay
		 * reaches the same state whatever the timing. */
		ff_arch_set(r, FF_REG_NR, (uint64_t)-1);
		ff_arch_push(t->tid, r);
		ff_durable_op_clear(&t->dop);
		t->exit_pending = false;
		t->frozen = true;
		s->cut_pending = true;
		try_cut(s);
		return;
	}
	bool skipped = d->kind == FF_ERROR || d->kind == FF_FSYNC || d->kind == FF_EINTR || d->kind == FF_EAGAIN;
	if (t->dop.type && skipped && ff_sc_table[sc].errmode == FF_ERR_SKIP)
		ff_durable_skipped(s->dur, &t->dop, d->err); /* the call does not run */
	bool dur_exit = t->dop.type && !t->dop.deferred;     /* the model needs its result */
	if (d->kind == FF_PASS) {
		t->exit_pending |= dur_exit;
		if (watch) {
			memset(&t->pend, 0, sizeof(t->pend));
			t->pend.active = true;
			t->pend.nr = (long)ff_arch_get(r, FF_REG_NR);
			t->exit_pending = true;
		}
		resume(s, t, 0);
		return;
	}
	t->exit_pending = ff_inject_entry(r, &ff_sc_table[sc], &s->xfer, d, s->seccomp, &t->pend) || dur_exit;
	ff_arch_push(t->tid, r);
	resume(s, t, 0);
}

/* A new run in the same traced tree (AFL++ forkserver): fresh sites,
 * counts and decisions; the header (the selection) stays. */
static void new_run(struct ff_session *s)
{
	ff_sites_free(&s->sites);
	ff_trace_clear_streams(s->rec);
	ff_sites_init(&s->sites, s->rec);
	if (s->src->new_run)
		s->src->new_run(s->src);
}

/* close, close_range, dup2, dup3: the fd numbers they free or replace stop
 * naming their cached files (dropped even if the call then fails). */
static void track_fds(struct ff_session *s, struct ff_task *t, long nr, const struct ff_regs *r)
{
	uint64_t a1 = ff_arch_get(r, FF_REG_ARG1), a2 = ff_arch_get(r, FF_REG_ARG2);
	uint64_t lo = nr == __NR_close || nr == __NR_close_range ? a1 : a2, hi = nr == __NR_close ? a1 : a2;
	ff_fdcache_drop(&t->proc->fds, lo, hi);
	if (s->dur && lo <= INT_MAX)
		ff_durable_fd_drop(s->dur, t->tid, (int)lo, hi > INT_MAX ? INT_MAX : (int)hi);
}

/* A call on fd 0-2, not eligible without --include-stdio: remembers its file
 * when --path names it, so the end of the run can say why nothing matched. */
static void stdio_glob_note(struct ff_session *s, struct ff_task *t, int fd)
{
	struct ff_fdinfo fi;
	if (ff_fd_resolve(t->tid, fd, s->cwd, &t->proc->fds, 1u << FF_FD_FILE, &fi) == 0 && fi.kind == FF_FD_FILE &&
	    ff_path_match(fi.path, s->cfg->globs, s->cfg->nglobs))
		snprintf(s->stdio_glob_file, sizeof(s->stdio_glob_file), "%.255s", fi.path);
}

/* Names what the call is about into s->fdinfo. Returns the fd (or -1 for a
 * path) when the call is eligible, or -2 when it is not. */
static int resource(struct ff_session *s, struct ff_task *t, const struct ff_regs *r, const struct ff_sc *e)
{
	struct ff_fdinfo *fi = &s->fdinfo;
	const struct ff_config *cfg = s->cfg;
	if (e->res == FF_RES_FD) {
		int fd = (int)ff_arch_get(r, FF_REG_ARG1 + e->res_arg);
		if (fd >= 0 && fd <= 2 && !cfg->include_stdio && cfg->nglobs && !s->stdio_glob_file[0])
			stdio_glob_note(s, t, fd);
		if (fd < 0 || (fd <= 2 && !cfg->include_stdio))
			return -2;
		if (cfg->afl && (fd == FF_AFL_CTL_FD || fd == FF_AFL_ST_FD))
			return -2; /* afl-fuzz's forkserver pipes */
		if (ff_fd_resolve(t->tid, fd, s->cwd, &t->proc->fds, cfg->fdkind_mask, fi) < 0 ||
		    !(cfg->fdkind_mask & (1u << fi->kind)))
			return -2;
		return fd;
	}
	/* Path calls act on the file system: they are of the file kind. */
	if (!(cfg->fdkind_mask & (1u << FF_FD_FILE)))
		return -2;
	fi->kind = FF_FD_FILE;
	if (e->res == FF_RES_NONE) {
		snprintf(fi->path, sizeof(fi->path), "/"); /* sync: every file system */
		return -1;
	}
	if (e->res == FF_RES_MAP) {
		dev_t dev;
		ino_t ino;
		if (ff_map_file(t->tid, ff_arch_get(r, FF_REG_ARG1 + e->res_arg), fi->path, sizeof(fi->path), &dev,
				&ino) < 0)
			return -2; /* anonymous memory: not a file's data */
		ff_path_normalize(fi->path, sizeof(fi->path), s->cwd);
		return -1;
	}
	char arg[4096];
	if (ff_peek_str(t->tid, ff_arch_get(r, FF_REG_ARG1 + e->res_arg), arg, sizeof(arg)) < 0)
		return -2; /* the kernel will say EFAULT or ENAMETOOLONG itself */
	int dirfd = e->res == FF_RES_AT ? (int)ff_arch_get(r, FF_REG_ARG1 + e->res_arg - 1) : AT_FDCWD;
	if (ff_path_resolve(t->tid, dirfd, arg, s->cwd, fi->path, sizeof(fi->path)) < 0)
		return -2;
	fi->kind = FF_FD_FILE;
	return -1;
}

/* The socket type of fd (cached per fd below FF_FDCACHE_MAX). */
static int socket_type(struct ff_task *t, int fd)
{
	if (fd >= FF_FDCACHE_MAX || !t->proc->fds.ent[fd].path)
		return ff_fd_sotype(t->proc->tgid, fd);
	struct ff_fdcache_ent *ce = &t->proc->fds.ent[fd];
	if (!ce->sotype)
		ce->sotype = ff_fd_sotype(t->proc->tgid, fd);
	return ce->sotype;
}

/* The fault kinds that are real for this call on this fd (--profile realistic). */
static uint32_t real_kinds(struct ff_session *s, struct ff_task *t, const struct ff_sc *e, int fd, uint32_t kinds)
{
	enum ff_fdkind k = s->fdinfo.kind;
	if (k != FF_FD_FILE)
		kinds &= ~FF_K(FF_CORRUPT); /* file data only, under every profile */
	if (s->cfg->profile == FF_PROFILE_ALL)
		return kinds;
	/* POSIX lets a read of a regular file return less than asked only at
	 * its end or when a signal interrupts it, and Linux's local file systems
	 * do just that: a program may rely on it, so it is no fault to test. */
	if (k == FF_FD_FILE && (e->classes & FF_CLASS_READ))
		kinds &= ~FF_K(FF_SHORT);
	bool blocking_kind = k == FF_FD_PIPE || k == FF_FD_SOCKET || k == FF_FD_TTY;
	if (!blocking_kind || fd < 0) {
		kinds &= ~(FF_K(FF_EINTR) | FF_K(FF_EAGAIN)); /* files never block, never EAGAIN */
	} else if (kinds & (FF_K(FF_EINTR) | FF_K(FF_EAGAIN))) {
		/* EINTR interrupts a blocking call; EAGAIN answers a non-blocking one. */
		int nb = ff_fd_nonblock(t->tid, fd);
		kinds &= nb == 1 ? ~FF_K(FF_EINTR) : ~FF_K(FF_EAGAIN);
	}
	if (k != FF_FD_FILE)
		kinds &= ~FF_K(FF_FSYNC); /* fsync of a pipe or socket is EINVAL, not EIO */
	if (k == FF_FD_SOCKET && fd >= 0 && socket_type(t, fd) != SOCK_STREAM) {
		/* A datagram is sent or received whole, and has no connection to reset. */
		kinds &= ~(FF_K(FF_SHORT) | FF_K(FF_TORN));
		s->dgram = true;
	}
	return kinds;
}

/* The errnos this call may get: the run's set for (syscall, fd kind), less
 * what this particular fd cannot produce under --profile realistic. buf
 * holds a narrowed copy when one is needed. Call after real_kinds. */
/* The open flags of an open call, or -1 for another call. */
static long open_flags(struct ff_task *t, int sc, const struct ff_regs *r)
{
	if (sc == FF_SC_open)
		return (long)ff_arch_get(r, FF_REG_ARG2);
	if (sc == FF_SC_openat)
		return (long)ff_arch_get(r, FF_REG_ARG3);
	if (sc == FF_SC_creat)
		return O_CREAT | O_WRONLY | O_TRUNC;
	uint64_t how = 0; /* openat2: struct open_how starts with the flags */
	if (sc == FF_SC_openat2 && ff_peek(t->tid, ff_arch_get(r, FF_REG_ARG3), &how, sizeof(how)) == sizeof(how))
		return (long)how;
	return -1;
}

/* open(2): EROFS only "when write access was requested", ENOSPC and EDQUOT
 * only for a file to be created. Narrows es into buf for an open call. */
static const struct ff_errset *open_errnos(const struct ff_errset *es, long flags, struct ff_errset *buf)
{
	bool writes = (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC), creates = flags & O_CREAT;
	buf->n = 0;
	for (int i = 0; i < es->n; i++)
		if ((es->e[i] != EROFS || writes) && ((es->e[i] != ENOSPC && es->e[i] != EDQUOT) || creates))
			buf->e[buf->n++] = es->e[i];
	return buf;
}

static const struct ff_errset *real_errnos(struct ff_session *s, struct ff_task *t, int sc, int fd,
					   const struct ff_regs *r, struct ff_errset *buf)
{
	const struct ff_errset *es = &s->errsets[sc][s->fdinfo.kind];
	if (s->cfg->profile != FF_PROFILE_REALISTIC)
		return es;
	long flags = fd < 0 ? open_flags(t, sc, r) : -1;
	if (flags >= 0)
		return open_errnos(es, flags, buf);
	if (fd < 0)
		return es;
	if (sc == FF_SC_close) {
		/* close reports writeback errors only: nothing to report for a read-only fd */
		int fl = ff_fd_flags(t->tid, fd);
		if (fl >= 0 && (fl & O_ACCMODE) == O_RDONLY) {
			buf->n = 0;
			return buf;
		}
	}
	if (s->dgram) {
		/* No ECONNRESET on a datagram socket: keep the rest of the set. */
		buf->n = 0;
		for (int i = 0; i < es->n; i++)
			if (es->e[i] != ECONNRESET)
				buf->e[buf->n++] = es->e[i];
		return buf;
	}
	return es;
}

static bool is_fork(long nr)
{
	return nr == __NR_fork || nr == __NR_vfork || nr == __NR_clone || nr == __NR_clone3;
}

/* --max-procs: a fork, vfork or clone (thread or process) that would take
 * the traced tree past the limit fails with EAGAIN, as RLIMIT_NPROC makes
 * it fail. Tasks counted: those alive in the table plus the forks let
 * through whose child has not been reported yet (an overestimate, never
 * an underestimate). Refusals are not decisions: no site, no ordinal, no
 * randomness. */
static void on_fork_entry(struct ff_session *s, struct ff_task *t, struct ff_regs *r)
{
	if (s->ntasks + s->nforking < s->cfg->max_procs) {
		t->forking = true;
		s->nforking++;
		return resume(s, t, 0);
	}
	if (!s->refused_forks++ && s->cfg->verbose >= 0)
		fprintf(stderr,
			"fifuzz: --max-procs %u reached: forks and new threads fail with EAGAIN while it holds\n",
			s->cfg->max_procs);
	static const struct ff_sc skip = {.name = "fork", .errmode = FF_ERR_SKIP, .shape = FF_SHAPE_NONE};
	struct ff_decision d = {.kind = FF_ERROR, .err = EAGAIN};
	t->exit_pending = ff_inject_entry(r, &skip, &s->xfer, &d, s->seccomp, &t->pend);
	ff_arch_push(t->tid, r);
	resume(s, t, 0);
}

/* getrandom answered with bytes of a fixed sequence instead of the kernel's:
 * temporary names (Python's tempfile, git's), hash seeds and nonces come out
 * the same in every run, so sites keep their names and outputs their content,
 * and replay meets the same program. The key is the call's length and flags
 * and how many such calls the process made: glibc's mkstemp sometimes draws
 * an extra 8 bytes (when its clock-based draw is rejected), which must not
 * change what the program's own calls get. Returns false to let the kernel
 * answer (a bad buffer). */
static bool fake_random(struct ff_task *t, struct ff_regs *r)
{
	uint64_t addr = ff_arch_get(r, FF_REG_ARG1), len = ff_arch_get(r, FF_REG_ARG2);
	uint64_t flags = ff_arch_get(r, FF_REG_ARG3);
	uint64_t *count = &t->proc->random_calls[(len * 31 + flags) % FF_ARRAY_LEN(t->proc->random_calls)];
	uint8_t buf[4096];
	if (len > 1u << 16)
		len = 1u << 16; /* getrandom may return less than asked; callers loop */
	for (uint64_t off = 0; off < len; off += sizeof(buf)) {
		size_t n = len - off < sizeof(buf) ? (size_t)(len - off) : sizeof(buf);
		for (size_t i = 0; i < n; i += 8) {
			uint64_t key[4] = {len, flags, *count, off + i};
			uint64_t h = XXH3_64bits_withSeed(key, sizeof(key), FF_RANDOM_SALT);
			memcpy(buf + i, &h, n - i < 8 ? n - i : 8);
		}
		if (ff_poke(t->tid, addr + off, buf, n) != n)
			return false;
	}
	(*count)++;
	ff_arch_set(r, FF_REG_NR, (uint64_t)-1);
	ff_arch_set(r, FF_REG_RESULT, len);
	ff_arch_push(t->tid, r);
	return true;
}

/* An eligible syscall is entering (seccomp stop, or entry stop in fallback). */
/* Before the call runs: the durability model keeps what it may have to put back. */
static void durable_entry(struct ff_session *s, struct ff_task *t, const struct ff_regs *r, long nr)
{
	uint64_t a[6];
	for (int i = 0; i < 6; i++)
		a[i] = ff_arch_get(r, FF_REG_ARG1 + i);
	ff_durable_set_solo(s->dur, s->ntasks == 1);
	t->exit_pending = ff_durable_entry(s->dur, t->tid, nr, a, &t->dop);
	if (t->dop.deferred)
		s->deferred = t;
}

/* Is this call eligible (selected, after start-up, on a selected file)?
 * Names its resource into s->fdinfo and *fd, and keeps the fd cache right. */
static bool eligible(struct ff_session *s, struct ff_task *t, const struct ff_regs *r, long nr, int sc, int *fd)
{
	bool track = ff_is_fdtrack(nr);
	bool forkserver = s->cfg->per_fork_runs && t->proc->tgid == s->root;
	if (sc < 0 || !(s->cfg->sc_mask & (1ull << sc)) || t->proc->startup || forkserver) {
		if (track)
			track_fds(s, t, nr, r);
		return false;
	}
	const struct ff_sc *e = &ff_sc_table[sc];
	*fd = resource(s, t, r, e);
	if (track)
		track_fds(s, t, nr, r); /* after naming it: close names the file it closes */
	if (*fd == -2 || (s->cfg->nglobs && !ff_path_match(s->fdinfo.path, s->cfg->globs, s->cfg->nglobs)))
		return false;
	return ff_xfer_read(t->tid, r, e, &s->xfer) == 0;
}

/* The call's logical site: its path (or the pattern of a drawn name), with
 * the calling context under --site stack. Returns its stream's index. */
static size_t call_site(struct ff_session *s, struct ff_task *t, const struct ff_sc *e)
{
	const char *site = s->cfg->nsite_patterns
			       ? ff_site_pattern(s->cfg->site_patterns, s->cfg->nsite_patterns, s->fdinfo.path)
			       : s->fdinfo.path;
	char ctx_site[sizeof(s->fdinfo.path) + 24];
	if (s->cfg->site_mode == FF_SITE_STACK) /* the calling context joins the path */
		site = ff_unwind_site(&t->proc->unw, t->proc->tgid, t->tid, s->cfg->site_depth, site, s->rec, ctx_site,
				      sizeof(ctx_site));
	return ff_sites_get(&s->sites, e->name, site, t->tid);
}

/* Stays in this stop: the cut kills it, or release_held lets it run
 * (FF_HOLD); the cut comes when the others have caught up (FF_HOLD_CUT). */
static void hold(struct ff_session *s, struct ff_task *t, size_t si, uint64_t len, uint8_t kind)
{
	if (t->dop.deferred) {
		/* Held, its write runs later: the exit stop reads the result. */
		t->dop.deferred = false;
		t->exit_pending = true;
		s->deferred = NULL;
	}
	t->held_cut = true;
	t->held_si = si;
	t->held_len = len;
	s->nheld++;
	if (kind == FF_HOLD_CUT)
		s->cut_task = t;
}

/* An eligible call: its decision, recorded, then applied. */
static void decide_call(struct ff_session *s, struct ff_task *t, struct ff_regs *r, long nr, int sc, int fd)
{
	const struct ff_sc *e = &ff_sc_table[sc];
	size_t si = call_site(s, t, e);
	struct ff_stream *st = &s->rec->streams[si];
	s->dgram = false;
	/* Cut points are the calls that change what a disk holds, or make it
	 * durable (the model follows them): a cut before a read-only open or a
	 * read leaves the same disk as the cut before the next change. */
	uint32_t kinds = real_kinds(s, t, e, fd, s->cfg->fault_mask & e->kinds) | (t->dop.type ? FF_K(FF_CUT) : 0);
	struct ff_errset buf;
	const struct ff_errset *es = real_errnos(s, t, sc, fd, r, &buf);
	struct ff_call c = {.sc = sc,
			    .path = st->path,
			    .ordinal = st->calls,
			    .index = s->rec->eligible,
			    .len = s->xfer.len,
			    .kinds = kinds,
			    .errnos = es->e,
			    .nerrnos = es->n,
			    .cmode = s->cfg->corrupt_mode};
	struct ff_decision d;
	s->src->decide(s->src, &c, &d);
	if (d.kind == FF_HOLD || d.kind == FF_HOLD_CUT)
		return hold(s, t, si, c.len, d.kind);
	ff_inject_fit(r, e, &s->xfer, &d);
	ff_stream_add(st, d.kind, d.err, d.n, c.len);
	if (d.kind == FF_CORRUPT) {
		st->items[st->nitems - 1].mode = d.mode; /* the rest when the exit stop has placed it */
		ff_corrupt_entry(&t->cop, r, e, &d, si, st->nitems - 1);
	}
	s->rec->eligible++;
	s->rec->cut_points += (kinds & FF_K(FF_CUT)) != 0;
	if (d.kind != FF_PASS)
		s->rec->faults++;
	print_call(s, t, &c, fd, &d);
	t->restart_nr = nr;
	t->restart_watch = fd >= 0 && s->fdinfo.kind != FF_FD_FILE;
	apply(s, t, r, sc, &d, t->restart_watch);
}

static void on_entry(struct ff_session *s, struct ff_task *t)
{
	struct ff_regs r;
	if (ff_arch_fetch_call(t->tid, &r) < 0)
		return resume(s, t, 0);
	long nr = (long)ff_arch_get(&r, FF_REG_NR);
	int sc = ff_sc_by_nr(nr), fd = -1;
	if (s->cut_pending) {
		t->frozen = true; /* no call starts once the cut is decided */
		return try_cut(s);
	}
	if (s->dur && !t->proc->startup)
		durable_entry(s, t, &r, nr);
	if (nr == SYS_getrandom && s->seccomp && !s->cfg->real_random && fake_random(t, &r))
		return resume(s, t, 0);
	if (t->restart) {
		t->restart = false;
		if (nr == t->restart_nr && sc >= 0 && ff_xfer_read(t->tid, &r, &ff_sc_table[sc], &s->xfer) == 0)
			return apply(s, t, &r, sc, &t->restart_d, t->restart_watch);
	}
	if (s->cfg->max_procs && is_fork(nr))
		return on_fork_entry(s, t, &r);
	if (!eligible(s, t, &r, nr, sc, &fd))
		return resume(s, t, 0);
	decide_call(s, t, &r, nr, sc, fd);
}

static void on_exit_stop(struct ff_session *s, struct ff_task *t)
{
	struct ff_regs r;
	t->exit_pending = false;
	if (ff_arch_fetch(t->tid, &r) < 0)
		return resume(s, t, 0);
	if (t->dop.type) /* the real result, before an injected fault rewrites it */
		ff_durable_exit(s->dur, t->tid, &t->dop, (int64_t)ff_arch_get(&r, FF_REG_RESULT));
	if (ff_inject_exit(&r, &t->pend))
		t->restart = true; /* a corrupt read's damage waits for the re-run's exit */
	else if (t->cop.active)
		ff_corrupt_exit(t->tid, &t->cop, (int64_t)ff_arch_get(&r, FF_REG_RESULT), s->rec);
	ff_arch_push(t->tid, &r);
	if (s->cut_pending) {
		t->frozen = true; /* it finished its call: now it waits for the cut */
		return try_cut(s);
	}
	resume(s, t, 0);
}

/* Fallback mode: is this syscall stop an entry? */
static int syscall_op(pid_t tid)
{
	struct __ptrace_syscall_info info;
	long n = ptrace(PTRACE_GET_SYSCALL_INFO, tid, (void *)sizeof(info), &info);
	if (n <= 0)
		return -1;
	if (info.op == PTRACE_SYSCALL_INFO_ENTRY) {
		/* Only native calls: int 0x80 and x32 numbers mean other syscalls. */
		return ff_arch_native_call(info.arch, info.entry.nr) ? 1 : 0;
	}
	return info.op == PTRACE_SYSCALL_INFO_EXIT ? 2 : 0;
}

/* ---- events ---- */

static void on_exec(struct ff_session *s, struct ff_task *t)
{
	unsigned long old = 0;
	ptrace(PTRACE_GETEVENTMSG, t->tid, 0, &old);
	if ((pid_t)old != t->tid) {
		/* A non-leader exec'd: it now has the leader's tid. */
		struct ff_task *o = task_find(s, (pid_t)old);
		if (o)
			task_del(s, o); /* that tid no longer exists; exec resets the state anyway */
	}
	t->exit_pending = t->pend.active = t->restart = false;
	ff_fdcache_clear(&t->proc->fds);
	ff_unwind_free(t->proc->unw); /* another program: other modules */
	t->proc->unw = NULL;
	if (s->dur) /* close-on-exec fds are gone (the old leader's are dropped with it) */
		ff_durable_fd_drop(s->dur, t->tid, 0, INT_MAX);
	if (t->tid == s->root)
		s->root_execed = true;
	arm_startup(s, t);
	resume(s, t, 0);
}

/* Replay: the held cut comes now, at the call where t waits. */
static void held_cut(struct ff_session *s)
{
	struct ff_task *t = s->cut_task;
	struct ff_regs r;
	s->cut_task = NULL;
	t->held_cut = false;
	s->nheld--;
	ff_stream_add(&s->rec->streams[t->held_si], FF_CUT, 0, 0, t->held_len);
	s->rec->eligible++;
	s->rec->faults++;
	if (ff_arch_fetch(t->tid, &r) < 0) {
		s->cut = true;
		kill_all(s);
		return;
	}
	struct ff_decision d = {.kind = FF_CUT};
	apply(s, t, &r, ff_sc_by_nr((long)ff_arch_get(&r, FF_REG_NR)), &d, false);
}

/* The cut a replay waits for did not come: the held tasks run their calls
 * (as passes) and the replay reports why. */
static void release_held(struct ff_session *s, const char *why)
{
	if (s->cut_task) {
		held_cut(s); /* the others did not catch up: cut anyway (the replay reports what is missing) */
		return;
	}
	if (s->src->released)
		s->src->released(s->src, why);
	for (size_t b = 0; b < FF_ARRAY_LEN(s->buckets); b++)
		for (struct ff_task *t = s->buckets[b]; t; t = t->next) {
			if (!t->held_cut)
				continue;
			t->held_cut = false;
			s->nheld--;
			ff_stream_add(&s->rec->streams[t->held_si], FF_PASS, 0, 0, t->held_len);
			s->rec->eligible++;
			resume(s, t, 0);
		}
}

static bool is_crash_signal(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGABRT || sig == SIGFPE || sig == SIGILL || sig == SIGSYS ||
	       sig == SIGTRAP;
}

static void kill_all(struct ff_session *s)
{
	for (size_t b = 0; b < FF_ARRAY_LEN(s->buckets); b++)
		for (struct ff_task *t = s->buckets[b]; t; t = t->next)
			if (!t->killed) {
				t->killed = true;
				kill(t->tid, SIGKILL);
			}
}

/* Attached runs end by detaching: every task is interrupted and detached
 * at its next stop (on_detach_stop). */
static void detach_all(struct ff_session *s)
{
	for (size_t b = 0; b < FF_ARRAY_LEN(s->buckets); b++)
		for (struct ff_task *t = s->buckets[b]; t; t = t->next)
			if (!t->detaching) {
				t->detaching = true;
				ptrace(PTRACE_INTERRUPT, t->tid, 0, 0);
			}
}

/* A stop of a task being detached. An injection in flight is finished
 * first (its exit stop restores the registers and sets the result), the
 * entry breakpoint is taken out, and a pending signal is handed over with
 * the detach, so the process runs on as if never traced. */
static void on_detach_stop(struct ff_session *s, struct ff_task *t, int status)
{
	int sig = WSTOPSIG(status), ev = (unsigned)status >> 16;
	if (ev == 0 && sig == (SIGTRAP | 0x80)) {
		if (syscall_op(t->tid) == 2 && (t->pend.active || t->exit_pending)) {
			struct ff_regs r;
			t->exit_pending = false;
			if (ff_arch_fetch(t->tid, &r) == 0) {
				ff_inject_exit(&r, &t->pend); /* a restart re-runs with the restored registers */
				ff_arch_push(t->tid, &r);
			}
		}
		sig = 0;
	} else if (t->pend.active || t->exit_pending) {
		return resume(s, t, 0); /* its exit stop comes next: finish the call there */
	} else if (ev || (sig == SIGTRAP && hit_startup(t))) {
		sig = 0; /* interrupt, group-stop and event stops carry no signal to pass */
	}
	struct ff_proc *p = t->proc;
	if (p->bp_addr) {
		ptrace(PTRACE_POKETEXT, t->tid, (void *)p->bp_addr, (void *)p->bp_word);
		p->bp_addr = 0;
		p->startup = false;
	}
	ptrace(PTRACE_DETACH, t->tid, 0, (void *)(long)sig);
	task_del(s, t);
}

static void on_death(struct ff_session *s, struct ff_task *t, int status)
{
	if (t->tid == s->root) {
		s->root_done = true;
		s->root_status = status;
	} else if (WIFSIGNALED(status) && !t->killed && t->tid == t->proc->tgid && is_crash_signal(WTERMSIG(status)) &&
		   !s->child_crash_sig) {
		s->child_crash_sig = WTERMSIG(status);
		s->child_crash_pid = t->tid;
	}
	task_del(s, t);
}

/* A clone, fork or vfork event: the new task joins (a new process starts
 * past start-up, its proc is new; a thread shares its parent's). */
static void on_new_task(struct ff_session *s, struct ff_task *t, int ev)
{
	unsigned long child = 0;
	if (ptrace(PTRACE_GETEVENTMSG, t->tid, 0, &child) == 0 && !task_find(s, (pid_t)child))
		task_add(s, (pid_t)child, ev == PTRACE_EVENT_CLONE ? read_tgid((pid_t)child) : (pid_t)child);
	/* AFL++'s forkserver forked the next test case: a fresh run. */
	if (s->cfg->per_fork_runs && ev != PTRACE_EVENT_CLONE && t->proc->tgid == s->root)
		new_run(s);
	struct ff_task *c = child ? task_find(s, (pid_t)child) : NULL;
	if (c && c->held) {
		c->held = false;
		resume(s, c, 0);
	}
	resume(s, t, 0);
}

/* PTRACE_EVENT_STOP: a new task's first stop, or a group-stop. */
static void on_event_stop(struct ff_session *s, struct ff_task *t, int sig)
{
	if (!t->started) {
		t->started = true;
		if (s->attach && sig != SIGTRAP) {
			ptrace(PTRACE_LISTEN, t->tid, 0, 0); /* attached while stopped: stay stopped */
			return;
		}
		if (s->cfg->per_fork_runs && t->lazy) {
			t->held = true; /* wait for its parent's event: it may be a new run */
			return;
		}
		return resume(s, t, 0);
	}
	if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) {
		ptrace(PTRACE_LISTEN, t->tid, 0, 0); /* a group-stop: keep job control working */
		return;
	}
	resume(s, t, 0);
}

/* Making a template: the root stands at its entry point. Alone, it stays
 * stopped there and the loop ends; with other tasks (threads or processes
 * its libraries started), a fork would lose them: the run ends. */
static void reached_entry(struct ff_session *s, struct ff_task *t)
{
	s->entry_tasks = s->ntasks;
	if (s->ntasks > 1) {
		s->root_done = true; /* ends the run: every task is killed */
		return resume(s, t, 0);
	}
	memcpy(s->random, t->proc->random_calls, sizeof(s->random));
	s->at_entry = true;
}

/* A stop without an event: a syscall stop, our breakpoint, or a signal. */
static void on_plain_stop(struct ff_session *s, struct ff_task *t, int sig)
{
	if (sig == (SIGTRAP | 0x80)) {
		if (s->seccomp) {
			/* Only exit stops reach here: we resume with SYSCALL only while one is pending. */
			return on_exit_stop(s, t);
		}
		int op = syscall_op(t->tid);
		if (op == 1)
			return on_entry(s, t);
		if (op == 2 && (t->pend.active || t->exit_pending))
			return on_exit_stop(s, t);
		return resume(s, t, 0);
	}
	if (sig == SIGTRAP && hit_startup(t)) {
		if (s->to_entry && t->tid == s->root)
			return reached_entry(s, t);
		return resume(s, t, 0);
	}
	resume(s, t, sig); /* a signal-delivery stop: pass the signal on */
}

static void on_stop(struct ff_session *s, struct ff_task *t, int status)
{
	int sig = WSTOPSIG(status), ev = (unsigned)status >> 16;
	fork_done(s, t); /* its event, or any other stop after a fork that failed */
	if (t->detaching) {
		t->started = true;
		return on_detach_stop(s, t, status);
	}
	if (t->killed) {
		kill(t->tid, SIGKILL);
		ptrace(PTRACE_CONT, t->tid, 0, 0);
		return;
	}
	switch (ev) {
	case PTRACE_EVENT_SECCOMP:
		return on_entry(s, t);
	case PTRACE_EVENT_EXEC:
		return on_exec(s, t);
	case PTRACE_EVENT_CLONE:
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
		return on_new_task(s, t, ev);
	case PTRACE_EVENT_STOP:
		return on_event_stop(s, t, sig);
	case 0:
		return on_plain_stop(s, t, sig);
	default:
		return resume(s, t, 0);
	}
}

bool ff_tracer_adopt(struct ff_session *s, pid_t tid, pid_t tgid)
{
	if (task_find(s, tid))
		return false;
	task_add(s, tid, tgid);
	return true;
}

/* While tasks are held by replay, or a cut waits for calls to drain:
 * waits for an event at most FF_HOLD_WAIT_MS. Returns a tid, -1 (errno),
 * or 0 when the caller should look again (it may have released or cut). */
static pid_t wait_held(struct ff_session *s, int *status, bool draining)
{
	if (s->nheld >= s->ntasks && !draining) {
		release_held(s, "every task reached a call the recording never saw, and no cut came");
		return 0;
	}
	/* Others may be blocked on a held one, or a call may not finish. */
	pid_t tid = waitpid(-1, status, __WALL | WNOHANG);
	if (tid != 0) {
		s->held_wait_ms = 0;
		return tid;
	}
	struct timespec ts = {0, 1000000};
	nanosleep(&ts, NULL);
	if (++s->held_wait_ms < FF_HOLD_WAIT_MS)
		return 0;
	s->held_wait_ms = 0;
	if (draining) {
		s->cut = true; /* a call that does not finish: cut anyway */
		kill_all(s);
	} else {
		release_held(s, "no cut came within 2 s of a task reaching a call the recording never saw");
	}
	return 0;
}

/* The task an event is for; a new one can stop before its parent's event
 * reports it (then, while ending, it is killed or detached at once). */
static struct ff_task *event_task(struct ff_session *s, pid_t tid, bool ending)
{
	struct ff_task *t = task_find(s, tid);
	if (t)
		return t;
	t = task_add(s, tid, read_tgid(tid));
	t->lazy = true;
	if (ending && s->attach) {
		t->detaching = true;
	} else if (ending) {
		t->killed = true;
		kill(tid, SIGKILL);
	}
	return t;
}

/* One event of task t. */
static void on_event(struct ff_session *s, struct ff_task *t, int status)
{
	/* Any event after a deferred write means it returned (its own
	 * exit stop, after an injection, reads the result itself). */
	if (s->deferred && !(s->deferred == t && t->exit_pending && WIFSTOPPED(status))) {
		ff_durable_settle(s->dur, &s->deferred->dop);
		s->deferred = NULL;
	}
	if (WIFEXITED(status) || WIFSIGNALED(status))
		on_death(s, t, status);
	else if (WIFSTOPPED(status))
		on_stop(s, t, status);
}

/* Has the calling thread children other than keep (processes of the run
 * not reaped yet, or not seen yet)? True when it cannot tell. */
static bool other_children(pid_t keep)
{
	char p[64], buf[4096];
	snprintf(p, sizeof(p), "/proc/self/task/%d/children", (int)syscall(SYS_gettid));
	long n = ff_read_small(p, buf, sizeof(buf));
	if (n == -ENODATA)
		return false;
	if (n < 0 || n >= (long)sizeof(buf) - 1)
		return true;
	for (char *q = buf, *end; *q; q = end) {
		long pid = strtol(q, &end, 10);
		if (end == q)
			break;
		if (pid != keep)
			return true;
	}
	return false;
}

int ff_tracer_loop(struct ff_session *s)
{
	if (!s->attach) {
		struct ff_task *root = task_add(s, s->root, s->root);
		root->started = true;
		if (s->forked) {
			/* past exec and start-up, as its template was */
			memcpy(root->proc->random_calls, s->random, sizeof(s->random));
			s->root_execed = true;
			resume(s, root, 0);
		}
	}
	root_detach = s->attach;
	ff_tracer_set_root(s->root);
	bool ending = false;
	for (;;) {
		if (stop_req && !s->stop_sig)
			s->stop_sig = stop_req;
		if (!ending && (s->stop_sig || s->root_done || s->cut))
			ending = true;
		if (ending && s->attach)
			detach_all(s); /* also tasks that appeared since */
		else if (ending)
			kill_all(s); /* also tasks that appeared since */
		int status;
		pid_t tid;
		if (s->keep && ending && !s->ntasks && !other_children(s->keep))
			break; /* the template stays */
		if (s->cut_task && !ending && !s->cut_pending && s->src->cut_ready && s->src->cut_ready(s->src)) {
			held_cut(s);
			continue;
		}
		bool draining = s->cut_pending && !s->cut;
		if ((s->nheld || draining) && !ending) {
			if ((tid = wait_held(s, &status, draining)) == 0)
				continue;
		} else {
			tid = waitpid(-1, &status, __WALL);
		}
		if (tid < 0 && errno == EINTR)
			continue;
		if (tid < 0 && errno == ECHILD)
			break;
		if (tid < 0)
			return -errno;
		if (tid == s->keep) {
			s->keep_gone = !WIFSTOPPED(status);
			s->keep = s->keep_gone ? 0 : s->keep;
			continue;
		}
		on_event(s, event_task(s, tid, ending), status);
		if (s->at_entry)
			break;
	}
	/* Free what the kernel never reported (e.g. a vanished old leader). */
	for (size_t b = 0; b < FF_ARRAY_LEN(s->buckets); b++)
		while (s->buckets[b])
			task_del(s, s->buckets[b]);
	root_pid = 0;
	root_detach = 0;
	return 0;
}
