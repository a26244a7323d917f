/* Starting the traced program's process: a child that shares our memory
 * until it execs (no page tables copied, no copy-on-write faults), waits to
 * be seized, prepares its directory and stdio, loads the filter and execs. */
#ifndef FF_SPAWN_H
#define FF_SPAWN_H
#include <stdbool.h>
#include <sys/types.h>

struct ff_config;
struct sock_fprog;

/* What the child does, all prepared by the parent: the child calls no libc. */
struct ff_spawn {
	const struct ff_config *cfg;	 /* workdir, stdio paths, argv */
	const struct sock_fprog *filter; /* NULL: no seccomp filter */
	int gofd;			 /* a byte here: seized, go on */
	int errfd;			 /* close-on-exec: a struct ff_spawn_err if it fails */
};

/* What the child reports when it cannot exec. */
struct ff_spawn_err {
	int stage; /* enum below */
	int err;   /* errno */
};
enum { FF_SPAWN_WORKDIR, FF_SPAWN_STDIN, FF_SPAWN_STDOUT, FF_SPAWN_STDERR, FF_SPAWN_FILTER, FF_SPAWN_EXEC };

/* Starts the child; sp must stay untouched until it has exec'd or died.
 * Returns its pid or -errno. */
pid_t ff_spawn_start(struct ff_spawn *sp);

/* The message for a child's report (as ff_run gives it) into msg; returns
 * -ENOENT when the program could not be executed, else -EPERM. */
int ff_spawn_describe(const struct ff_spawn *sp, const struct ff_spawn_err *e, char *msg, size_t len);

#endif
