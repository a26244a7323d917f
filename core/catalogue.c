#include "core/catalogue.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

struct ff_sc ff_sc_table[FF_SC_COUNT] = {
#define FF_SYSCALL(n, cls, rs, ra, shp, la, k, em, errs)                                                               \
	[FF_SC_##n] = {.name = #n,                                                                                     \
		       .nr = __NR_##n,                                                                                 \
		       .classes = cls,                                                                                 \
		       .res = rs,                                                                                      \
		       .res_arg = ra,                                                                                  \
		       .shape = shp,                                                                                   \
		       .len_arg = la,                                                                                  \
		       .kinds = k,                                                                                     \
		       .errmode = em,                                                                                  \
		       .errno_names = errs},
#include "core/syscalls.def"
#undef FF_SYSCALL
};

static const uint8_t durable_how[FF_SC_COUNT] = {
#define FF_SYSCALL(n, cls, rs, ra, shp, la, k, em, errs)
#define FF_DURABLE(n, how) [FF_SC_##n] = how,
#include "core/syscalls.def"
#undef FF_DURABLE
#undef FF_SYSCALL
};

enum ff_dur_call ff_sc_durable(int sc)
{
	return sc >= 0 && sc < FF_SC_COUNT ? (enum ff_dur_call)durable_how[sc] : FF_DC_NONE;
}

static const struct {
	const char *name;
	int value;
} errnoent[] = {
#define FF_ERRNO(n, v) {#n, v},
#include "core/errnoent.h"
#undef FF_ERRNO
};

static const char *const fault_names[FF_FAULT_COUNT] = {"pass",	  "short", "error", "torn",   "eintr",
							"eagain", "fsync", "cut",   "corrupt"};
static const char *const fdkind_names[FF_FD_COUNT] = {"file", "pipe", "socket", "tty", "dev", "other"};

/* Syscall number -> catalogue index + 1 (0: not in the catalogue). */
#define NR_MAX 512
static unsigned char by_nr[NR_MAX];

/* Parses one errno token: NAME, NAME/KINDS or NAME?. Returns 0 or -EINVAL. */
static int parse_token(char *w, int *err, uint8_t *real)
{
	static const char letters[FF_FD_COUNT] = {'f', 'p', 's', 't', 'd', 'o'};
	size_t n = strlen(w);
	*real = 0xff & ~(1u << FF_FD_OTHER);
	char *slash = strchr(w, '/');
	if (n && w[n - 1] == '?') {
		w[n - 1] = 0;
		*real = 0;
	} else if (slash) {
		*slash = 0;
		*real = 0;
		for (const char *k = slash + 1; *k; k++) {
			const char *at = memchr(letters, *k, sizeof(letters));
			if (!at)
				return -EINVAL;
			*real |= (uint8_t)(1u << (at - letters));
		}
	}
	*err = ff_errno_by_name(w);
	return *err > 0 && *err != EINTR && *err != EAGAIN ? 0 : -EINVAL;
}

int ff_catalogue_init(void)
{
	static int done;
	if (done)
		return 0;
	for (int i = 0; i < FF_SC_COUNT; i++) {
		struct ff_sc *s = &ff_sc_table[i];
		char buf[1024];
		snprintf(buf, sizeof(buf), "%s", s->errno_names);
		s->nerrnos = 0;
		for (char *save, *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
			char word[64];
			snprintf(word, sizeof(word), "%s", w);
			if (s->nerrnos >= FF_MAX_ERRNOS ||
			    parse_token(word, &s->errnos[s->nerrnos], &s->real[s->nerrnos]) < 0) {
				fprintf(stderr, "fifuzz: catalogue: bad errno '%s' for %s\n", w, s->name);
				return -EINVAL;
			}
			s->nerrnos++;
		}
		if (s->nr >= 0 && s->nr < NR_MAX)
			by_nr[s->nr] = (unsigned char)(i + 1);
	}
	done = 1;
	return 0;
}

int ff_sc_errnos(int sc, enum ff_fdkind kind, enum ff_profile profile, const uint16_t *filter, int nfilter, int *out)
{
	const struct ff_sc *s = &ff_sc_table[sc];
	int n = 0;
	for (int i = 0; i < s->nerrnos; i++) {
		if (profile == FF_PROFILE_REALISTIC && !(s->real[i] & (1u << kind)))
			continue;
		bool keep = nfilter == 0;
		for (int k = 0; k < nfilter && !keep; k++)
			keep = filter[k] == s->errnos[i];
		if (keep)
			out[n++] = s->errnos[i];
	}
	return n;
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
