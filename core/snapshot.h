/* Runs started from a snapshot: one template process per worker, traced and
 * stopped at its program's entry point (after exec and the dynamic loader),
 * forked for each run by a clone injected through ptrace, so a run skips the
 * exec and the loader (docs/snapshot.md). The run itself is traced as any
 * other (core/run.c); replay always execs. */
#ifndef FF_SNAPSHOT_H
#define FF_SNAPSHOT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct ff_config;
struct sock_fprog;

/* Why cfg's runs cannot start from a snapshot at all (an option that needs
 * the exec, or a template refused before: said once), or NULL. */
const char *ff_snapshot_unusable(const struct ff_config *cfg);

/* Is there a live template made for cfg's program and run set-up? */
bool ff_snapshot_ready(const struct ff_config *cfg);

/* Takes pid, a seized process stopped at its entry point with only its
 * first task, as the template of cfg (the one before is dropped). dir0: its
 * run directory's ff_snapshot_dir_state before it was spawned. random: its
 * getrandom counts, which its runs go on from. Returns 0, or -EPERM with why
 * it cannot serve (it is then killed and reaped, and cfg's runs exec). */
int ff_snapshot_take(pid_t pid, const struct ff_config *cfg, uint64_t dir0, const uint64_t *random, size_t nrandom,
		     char *why, size_t len);

/* A digest of directory dir's entries (names, inodes, sizes, change times)
 * and of the directory itself: a template's start-up must leave it as it
 * found it, or runs forked from it would miss what that start-up made. */
uint64_t ff_snapshot_dir_state(const char *dir);

/* Marks cfg as unable to start from a snapshot, for why (kept, said once). */
void ff_snapshot_refuse(const struct ff_config *cfg, const char *why);

/* A new run's process, forked from the template and stopped at the entry
 * point with the template's registers, its stdio and directory as an exec'd
 * run's would be; it is our child and tracee. Returns its pid, or -ESTALE
 * (the template is gone or no longer fits: make another), or -errno with
 * err set. */
pid_t ff_snapshot_fork(const struct ff_config *cfg, char *err, size_t len);

/* The template's pid (0: none): the tracer ignores it. */
pid_t ff_snapshot_pid(void);

/* The template's getrandom counts, for a run's process. */
void ff_snapshot_random(uint64_t *out, size_t n);

/* Kills and reaps the template, if any. */
void ff_snapshot_release(void);
/* For a process that keeps a template (a campaign worker): SIGINT, SIGTERM
 * and SIGHUP, outside a run, kill and reap the template before they take
 * their default action (ff_run_set_handlers puts this back after a run). */
void ff_snapshot_guard_signals(void);
/* The template died (and was reaped by the tracer): forget it. */
void ff_snapshot_forget(void);

#endif
