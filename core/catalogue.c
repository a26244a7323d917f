#include "core/catalogue.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

struct ff_sc ff_sc_table[FF_SC_COUNT] = {
#define FF_SYSCALL(n, cls, shp, k, errs) [FF_SC_##n] = {.name = #n, .nr = __NR_##n, .classes = cls, .shape = shp, .kinds = k, .errno_names = errs},
#include "core/syscalls.def"
#undef FF_SYSCALL
};

static const struct {
	const char *name;
	int value;
} errnoent[] = {
#define FF_ERRNO(n, v) {#n, v},
#include "core/errnoent.h"
#undef FF_ERRNO
};

static const char *const fault_names[FF_FAULT_COUNT] = {"pass", "short", "error", "torn"};
static const char *const fdkind_names[FF_FD_COUNT] = {"file", "pipe", "socket", "tty", "dev", "other"};

/* Syscall number -> catalogue index + 1 (0: not in the catalogue). */
#define NR_MAX 512
static unsigned char by_nr[NR_MAX];

int ff_catalogue_init(void)
{
	static int done;
	if (done)
		return 0;
	for (int i = 0; i < FF_SC_COUNT; i++) {
		struct ff_sc *s = &ff_sc_table[i];
		char buf[256];
		snprintf(buf, sizeof(buf), "%s", s->errno_names);
		s->nerrnos = 0;
		for (char *save, *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
			int e = ff_errno_by_name(w);
			if (e < 0 || s->nerrnos >= FF_MAX_ERRNOS) {
				fprintf(stderr, "fifuzz: catalogue: bad errno '%s' for %s\n", w, s->name);
				return -EINVAL;
			}
			s->errnos[s->nerrnos++] = e;
		}
		if (s->nr >= 0 && s->nr < NR_MAX)
			by_nr[s->nr] = (unsigned char)(i + 1);
	}
	done = 1;
	return 0;
}

int ff_is_fdtrack(long nr)
{
	return nr == __NR_close || nr == __NR_close_range || nr == __NR_dup2 || nr == __NR_dup3;
}

int ff_sc_by_nr(long nr)
{
	if (nr < 0 || nr >= NR_MAX)
		return -1;
	return (int)by_nr[nr] - 1;
}

int ff_sc_by_name(const char *name)
{
	for (int i = 0; i < FF_SC_COUNT; i++)
		if (!strcmp(ff_sc_table[i].name, name))
			return i;
	return -1;
}

const char *ff_errno_name(int err)
{
	for (size_t i = 0; i < sizeof(errnoent) / sizeof(errnoent[0]); i++)
		if (errnoent[i].value == err)
			return errnoent[i].name;
	return NULL;
}

int ff_errno_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof(errnoent) / sizeof(errnoent[0]); i++)
		if (!strcmp(errnoent[i].name, name))
			return errnoent[i].value;
	return -1;
}

const char *ff_fault_name(enum ff_fault k)
{
	return (unsigned)k < FF_FAULT_COUNT ? fault_names[k] : "?";
}

int ff_fault_by_name(const char *name)
{
	for (int i = 0; i < FF_FAULT_COUNT; i++)
		if (!strcmp(fault_names[i], name))
			return i;
	return -1;
}

const char *ff_fdkind_name(enum ff_fdkind k)
{
	return (unsigned)k < FF_FD_COUNT ? fdkind_names[k] : "?";
}

int ff_fdkind_by_name(const char *name)
{
	for (int i = 0; i < FF_FD_COUNT; i++)
		if (!strcmp(fdkind_names[i], name))
			return i;
	return -1;
}
