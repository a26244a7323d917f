/* The template process of a worker's runs, and the clone that starts each
 * run from it (docs/snapshot.md).
 *
 * The template is the program as an exec'd run meets it at its entry point:
 * we keep its registers there and a syscall instruction and a breakpoint
 * over the entry's first bytes, through which it (and each new child,
 * before it runs) makes the calls we inject, one stop each. A run's child
 * is made with CLONE_PARENT, so it is our child as an exec'd run's process
 * is, and with glibc's fork flags, so its cached thread id is its own. What
 * fork does not carry over from the template (its robust futex list) is set
 * again in the child. */
#include "core/snapshot.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xxhash.h>

#include "core/arch.h"
#include "core/config.h"
#include "core/filter.h"
#include "core/mem.h"
#include "core/util.h"

#ifndef PR_GET_TID_ADDRESS
#define PR_GET_TID_ADDRESS 40
#endif

/* How far below the template's stack pointer we borrow bytes (past the
 * red zone) for an injected call's arguments; restored after the call. */
#define SCRATCH_GAP 4096

static struct {
	pid_t pid;	   /* 0: no template */
	struct ff_regs r0; /* its registers at the entry point */
	uint64_t at;	   /* the entry point, where the syscall instruction is */
	long word;	   /* the program's word there */
	uint64_t tidaddr;  /* where glibc keeps the thread id (set_tid_address), 0: nowhere */
	uint64_t robust, robust_len;
	uint64_t random[64];
	size_t nrandom;
	int pidfd, cwdfd;
	int dup[3]; /* our duplicates of its fds 0-2 when the run redirects them, else -1 */
	int flags[3];
	char *key;
	size_t keylen;
} tpl = {.pidfd = -1, .cwdfd = -1, .dup = {-1, -1, -1}};

/* A configuration refused once: its key and why. */
static char *refused_key, refused_why[256];
static size_t refused_len;

/* What must be equal for two runs to share a template: the program, its
 * directory, which fds are redirected and what stops before the entry.
 * The stdio paths themselves are checked (and reopened) at each fork. */
static char *make_key(const struct ff_config *cfg, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	if (!f)
		return NULL;
	for (int i = 0; i < cfg->argc; i++) {
		fputs(cfg->argv[i], f);
		fputc(0, f);
	}
	fprintf(f, "\1%s\1%d%d%d%d\1%" PRIx64 " %u %d %d", cfg->workdir ? cfg->workdir : "", cfg->stdin_null,
		!!cfg->stdin_path, !!cfg->stdout_path, !!cfg->stderr_path, cfg->sc_mask, ff_filter_extra(cfg),
		cfg->pin_cpu, cfg->real_random);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static bool key_is(const char *key, size_t len, const struct ff_config *cfg)
{
	size_t n;
	char *k = key ? make_key(cfg, &n) : NULL;
	bool same = k && n == len && !memcmp(k, key, n);
	free(k);
	return same;
}

const char *ff_snapshot_unusable(const struct ff_config *cfg)
{
	if (cfg->include_startup)
		return "--include-startup makes the calls before the entry point eligible";
	if (cfg->no_follow)
		return "--no-follow";
	if (cfg->no_seccomp)
		return "--no-seccomp";
	if (cfg->attach_pid || cfg->per_fork_runs)
		return "the program is not started by fifuzz";
	if (refused_key && key_is(refused_key, refused_len, cfg))
		return refused_why;
	return NULL;
}

void ff_snapshot_refuse(const struct ff_config *cfg, const char *why)
{
	free(refused_key);
	refused_key = make_key(cfg, &refused_len);
	snprintf(refused_why, sizeof(refused_why), "%s", why);
}

bool ff_snapshot_ready(const struct ff_config *cfg)
{
	return tpl.pid > 0 && key_is(tpl.key, tpl.keylen, cfg);
}

pid_t ff_snapshot_pid(void)
{
	return tpl.pid;
}

void ff_snapshot_random(uint64_t *out, size_t n)
{
	memset(out, 0, n * sizeof(*out));
	memcpy(out, tpl.random, (n < tpl.nrandom ? n : tpl.nrandom) * sizeof(*out));
}

void ff_snapshot_release(void)
{
	if (tpl.pid > 0) {
		int st;
		kill(tpl.pid, SIGKILL);
		while (waitpid(tpl.pid, &st, __WALL) < 0 && errno == EINTR)
			;
	}
	for (int i = 0; i < 3; i++)
		if (tpl.dup[i] >= 0)
			close(tpl.dup[i]);
	if (tpl.pidfd >= 0)
		close(tpl.pidfd);
	if (tpl.cwdfd >= 0)
		close(tpl.cwdfd);
	free(tpl.key);
	memset(&tpl, 0, sizeof(tpl));
	tpl.pidfd = tpl.cwdfd = tpl.dup[0] = tpl.dup[1] = tpl.dup[2] = -1;
}

uint64_t ff_snapshot_dir_state(const char *dir)
{
	DIR *d = opendir(dir);
	struct stat st;
	/* the directory's change time, then a sum over its entries: readdir's order does not count */
	uint64_t v[3] = {0};
	if (!d)
		return 0;
	if (fstat(dirfd(d), &st) == 0) {
		v[0] = (uint64_t)st.st_ctim.tv_sec;
		v[1] = (uint64_t)st.st_ctim.tv_nsec;
	}
	for (struct dirent *e; (e = readdir(d));) {
		/* ".." changes with its other entries (the run's stdout beside it) */
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		uint64_t k[4] = {XXH3_64bits(e->d_name, strlen(e->d_name)), (uint64_t)st.st_ino, (uint64_t)st.st_size,
				 (uint64_t)st.st_ctim.tv_sec * 1000000000u + (uint64_t)st.st_ctim.tv_nsec};
		v[2] += XXH3_64bits(k, sizeof(k));
	}
	closedir(d);
	return XXH3_64bits(v, sizeof(v));
}

/* Async-signal-safe: kill, waitpid and raise only. */
static void on_fatal_signal(int sig)
{
	pid_t pid = tpl.pid;
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, __WALL);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

void ff_snapshot_guard_signals(void)
{
	struct sigaction sa = {0};
	sa.sa_handler = on_fatal_signal;
	sigemptyset(&sa.sa_mask);
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	for (size_t i = 0; i < FF_ARRAY_LEN(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
}

void ff_snapshot_forget(void)
{
	tpl.pid = 0;
	ff_snapshot_release();
}

/* Makes stopped task pid run call nr(a) through the syscall instruction at
 * the entry point; *ret is what the call returned. The task runs until the
 * breakpoint after it (a stop per call, not an entry and an exit stop) and
 * is left there; signals it meets meanwhile are dropped (it has not started
 * the program). Returns 0 or -errno (-ESRCH: it died). */
static int inject(pid_t pid, long nr, const uint64_t a[6], long *ret)
{
	struct ff_regs r = tpl.r0;
	ff_arch_inject_call(&r, tpl.at, nr, a);
	int rc = ff_arch_push(pid, &r);
	if (rc < 0)
		return rc;
	if (ptrace(PTRACE_CONT, pid, 0, 0) < 0)
		return -errno;
	for (;;) {
		int st;
		pid_t w = waitpid(pid, &st, __WALL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		if (!WIFSTOPPED(st)) {
			if (pid == tpl.pid)
				tpl.pid = 0; /* reaped here: never to be killed by pid again */
			return -ESRCH;
		}
		if (WSTOPSIG(st) == SIGTRAP && !((unsigned)st >> 16) && ff_arch_fetch(pid, &r) == 0 &&
		    ff_arch_get(&r, FF_REG_IP) == tpl.at + FF_ARCH_SYSCALL_TRAP_LEN) {
			*ret = (long)ff_arch_get(&r, FF_REG_RESULT);
			return 0;
		}
		/* a seccomp stop, the fork event, a signal */
		if (ptrace(PTRACE_CONT, pid, 0, 0) < 0)
			return -errno;
	}
}

/* inject() with len bytes of data copied below the stack pointer first, at
 * the address that replaces argument 'slot' (0-5); the bytes there are put
 * back after. */
static int inject_with(pid_t pid, long nr, uint64_t a[6], int slot, const void *data, size_t len, void *out, long *ret)
{
	char save[4096]; /* a path; the kernel maps 128 KiB of stack at exec, so this is within it */
	if (len > sizeof(save))
		return -ENAMETOOLONG;
	uint64_t addr = (ff_arch_get(&tpl.r0, FF_REG_SP) - SCRATCH_GAP - len) & ~(uint64_t)15;
	if (ff_peek(pid, addr, save, len) != len || (data && ff_poke(pid, addr, data, len) != len))
		return -EFAULT;
	a[slot] = addr;
	int rc = inject(pid, nr, a, ret);
	if (rc == 0 && out && ff_peek(pid, addr, out, len) != len)
		rc = -EFAULT;
	if (rc != -ESRCH && ff_poke(pid, addr, save, len) != len)
		rc = -EFAULT;
	return rc;
}

/* Is every fd of the template one the run gets anyway: 0-2, or one it
 * inherited from us (an exec'd run shares those too)? */
static bool own_fds(pid_t pid, char *why, size_t len)
{
	char dir[64];
	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pid);
	DIR *d = opendir(dir);
	if (!d) {
		snprintf(why, len, "cannot list its fds: %s", strerror(errno));
		return false;
	}
	struct dirent *e;
	bool ok = true;
	while (ok && (e = readdir(d))) {
		int fd = atoi(e->d_name);
		if (e->d_name[0] == '.' || fd <= 2)
			continue;
		struct stat ours, its;
		char p[96];
		snprintf(p, sizeof(p), "%s/%d", dir, fd);
		ok = fstat(fd, &ours) == 0 && stat(p, &its) == 0 && ours.st_dev == its.st_dev &&
		     ours.st_ino == its.st_ino;
		if (!ok)
			snprintf(why, len, "it opened fd %d before its entry point, which every run would share", fd);
	}
	closedir(d);
	return ok;
}

/* Does it map memory that its runs would share (shared and writable), or
 * a file of the run's directory (emptied between runs)? */
static bool own_maps(pid_t pid, const char *cwd, char *why, size_t len)
{
	char p[64], line[4608];
	snprintf(p, sizeof(p), "/proc/%d/maps", (int)pid);
	FILE *f = fopen(p, "re");
	if (!f) {
		snprintf(why, len, "cannot read its maps: %s", strerror(errno));
		return false;
	}
	bool ok = true;
	size_t cl = strlen(cwd);
	while (ok && fgets(line, sizeof(line), f)) {
		char perms[8] = "", *path = strchr(line, '/');
		sscanf(line, "%*s %7s", perms);
		if (perms[1] == 'w' && perms[3] == 's') {
			ok = false;
			snprintf(why, len, "it maps memory shared and writable before its entry point");
		} else if (path && cl > 1 && !strncmp(path, cwd, cl) && path[cl] == '/') {
			ok = false;
			snprintf(why, len, "it maps a file of its run directory before its entry point");
		}
	}
	fclose(f);
	return ok;
}

/* Our duplicate of its fd i, and that fd's status flags. */
static int dup_stdio(int i)
{
	if (tpl.dup[i] >= 0)
		close(tpl.dup[i]);
	tpl.dup[i] = (int)syscall(SYS_pidfd_getfd, tpl.pidfd, i, 0);
	if (tpl.dup[i] < 0)
		return -errno;
	tpl.flags[i] = fcntl(tpl.dup[i], F_GETFL);
	return 0;
}

/* The path a run's fd i is opened from (NULL: inherited from us), and how. */
static const char *stdio_path(const struct ff_config *cfg, int i, int *flags)
{
	*flags = i ? O_WRONLY | O_CREAT | O_TRUNC : O_RDONLY;
	if (i == 0)
		return cfg->stdin_path ? cfg->stdin_path : cfg->stdin_null ? "/dev/null" : NULL;
	return i == 1 ? cfg->stdout_path : cfg->stderr_path;
}

/* Learns what each fork needs: where the thread id is cached, the robust
 * list, our handles on its directory and redirected fds. */
static int learn(const struct ff_config *cfg, char *why, size_t len)
{
	uint64_t a[6] = {PR_GET_TID_ADDRESS};
	long rc;
	int err = inject_with(tpl.pid, __NR_prctl, a, 1, NULL, sizeof(tpl.tidaddr), &tpl.tidaddr, &rc);
	if (err < 0 || rc < 0) {
		snprintf(why, len, "cannot learn where its thread id is kept (PR_GET_TID_ADDRESS): %s",
			 strerror(err < 0 ? -err : (int)-rc));
		return -EPERM;
	}
	size_t rl = 0;
	if (syscall(SYS_get_robust_list, tpl.pid, &tpl.robust, &rl) < 0)
		tpl.robust = 0;
	tpl.robust_len = rl;
	char p[64];
	snprintf(p, sizeof(p), "/proc/%d/cwd", (int)tpl.pid);
	tpl.cwdfd = open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
	tpl.pidfd = (int)syscall(SYS_pidfd_open, tpl.pid, 0);
	if (tpl.cwdfd < 0 || tpl.pidfd < 0) {
		snprintf(why, len, "cannot hold its directory or a pidfd: %s", strerror(errno));
		return -EPERM;
	}
	for (int i = 0; i < 3; i++) {
		int flags;
		if (stdio_path(cfg, i, &flags) && dup_stdio(i) < 0) {
			snprintf(why, len, "cannot share its fd %d (pidfd_getfd): %s", i, strerror(errno));
			return -EPERM;
		}
	}
	return 0;
}

int ff_snapshot_take(pid_t pid, const struct ff_config *cfg, uint64_t dir0, const uint64_t *random, size_t nrandom,
		     char *why, size_t len)
{
	ff_snapshot_release();
	tpl.pid = pid;
	char cwd[4096] = "";
	char p[64];
	snprintf(p, sizeof(p), "/proc/%d/cwd", (int)pid);
	ssize_t n = readlink(p, cwd, sizeof(cwd) - 1);
	cwd[n > 0 ? n : 0] = 0;
	errno = 0;
	if (!own_fds(pid, why, len) || !own_maps(pid, cwd, why, len))
		goto refuse;
	if (ff_snapshot_dir_state(cfg->workdir ? cfg->workdir : ".") != dir0) {
		snprintf(why, len, "it changed its run directory before its entry point");
		goto refuse;
	}
	if (ff_arch_fetch(pid, &tpl.r0) < 0) {
		snprintf(why, len, "cannot read its registers: %s", strerror(errno));
		goto refuse;
	}
	tpl.at = ff_arch_get(&tpl.r0, FF_REG_IP);
	errno = 0;
	tpl.word = ptrace(PTRACE_PEEKTEXT, pid, (void *)tpl.at, 0);
	if (errno || ptrace(PTRACE_POKETEXT, pid, (void *)tpl.at, (void *)ff_arch_syscall_trap_word(tpl.word)) < 0) {
		snprintf(why, len, "cannot place a syscall instruction at its entry point: %s", strerror(errno));
		goto refuse;
	}
	if (learn(cfg, why, len) < 0)
		goto refuse;
	tpl.nrandom = nrandom < FF_ARRAY_LEN(tpl.random) ? nrandom : FF_ARRAY_LEN(tpl.random);
	memcpy(tpl.random, random, tpl.nrandom * sizeof(*random));
	tpl.key = make_key(cfg, &tpl.keylen);
	return tpl.key ? 0 : -ENOMEM;
refuse:
	ff_snapshot_release();
	return -EPERM;
}

/* Is the template's fd i what a fresh open of path would give a run (the
 * same file, at offset 0, with its flags, and empty if written)? */
static bool stdio_fresh(int i, const char *path, int flags)
{
	struct stat a, b;
	if (fcntl(tpl.dup[i], F_GETFL) != tpl.flags[i] || lseek(tpl.dup[i], 0, SEEK_CUR) > 0)
		return false;
	if (fstat(tpl.dup[i], &a) < 0 || fstatat(tpl.cwdfd, path, &b, 0) < 0)
		return false;
	return a.st_dev == b.st_dev && a.st_ino == b.st_ino && (!(flags & O_TRUNC) || b.st_size == 0);
}

/* The template opens path as its fd i again, as the spawn would (relative
 * to its directory). Returns 0 or -errno. */
static int reopen(int i, const char *path, int flags)
{
	long fd, rc;
	uint64_t a[6] = {(uint64_t)AT_FDCWD, 0, (uint64_t)(flags | O_CLOEXEC), 0644};
	int err = inject_with(tpl.pid, __NR_openat, a, 1, path, strlen(path) + 1, NULL, &fd);
	if (err < 0 || fd < 0)
		return err < 0 ? err : (int)fd;
	uint64_t d[6] = {(uint64_t)fd, (uint64_t)i}, c[6] = {(uint64_t)fd};
	if ((err = inject(tpl.pid, __NR_dup2, d, &rc)) < 0 || (err = inject(tpl.pid, __NR_close, c, &rc)) < 0)
		return err;
	return dup_stdio(i);
}

/* Still fit for cfg's next run: its directory is the run's, its stdio is
 * what the run's would be (reopened if not). */
static int refresh(const struct ff_config *cfg)
{
	struct stat a, b;
	if (fstat(tpl.cwdfd, &a) < 0 || stat(cfg->workdir ? cfg->workdir : ".", &b) < 0 || a.st_dev != b.st_dev ||
	    a.st_ino != b.st_ino)
		return -ESTALE;
	for (int i = 0; i < 3; i++) {
		int flags;
		const char *path = stdio_path(cfg, i, &flags);
		if (path && !stdio_fresh(i, path, flags) && reopen(i, path, flags) < 0)
			return -ESTALE;
	}
	return 0;
}

/* The child's first stop, then what fork did not give it; it is left with
 * the template's registers at the entry point. */
static int prepare_child(pid_t child)
{
	int st;
	pid_t w;
	while ((w = waitpid(child, &st, __WALL)) < 0 && errno == EINTR)
		;
	if (w < 0 || !WIFSTOPPED(st))
		return -ESRCH;
	long rc;
	uint64_t a[6] = {tpl.robust, tpl.robust_len};
	int err = tpl.robust ? inject(child, __NR_set_robust_list, a, &rc) : 0;
	if (err < 0)
		return err;
	if (ptrace(PTRACE_POKETEXT, child, (void *)tpl.at, (void *)tpl.word) < 0)
		return -errno;
	struct ff_regs r = tpl.r0;
	r.dirty = true;
	return ff_arch_push(child, &r);
}

pid_t ff_snapshot_fork(const struct ff_config *cfg, char *err, size_t len)
{
	if (!ff_snapshot_ready(cfg) || refresh(cfg) < 0)
		return -ESTALE;
	long child;
	uint64_t a[6] = {CLONE_PARENT | SIGCHLD | (tpl.tidaddr ? CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID : 0), 0, 0,
			 tpl.tidaddr};
	if (inject(tpl.pid, __NR_clone, a, &child) < 0)
		return -ESTALE;
	if (child < 0) {
		snprintf(err, len, "fork from the snapshot: %s", strerror((int)-child));
		return (pid_t)child;
	}
	int rc = prepare_child((pid_t)child);
	if (rc < 0) {
		kill((pid_t)child, SIGKILL);
		waitpid((pid_t)child, NULL, __WALL);
		snprintf(err, len, "cannot prepare the run forked from the snapshot: %s", strerror(-rc));
		return rc;
	}
	return (pid_t)child;
}
