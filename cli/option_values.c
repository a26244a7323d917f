/* The values of options: numbers, probabilities, ranges, globs, lists of
 * syscalls, errnos and kinds; each bad one dies with one line (exit 2)
 * naming the option and what was expected. */
#include "cli/cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/catalogue.h"
#include "core/util.h"

/* A..B, inclusive. */
void ff_cli_parse_range(const char *s, uint64_t *a, uint64_t *b)
{
	char *end;
	errno = 0;
	if (*s == '-')
		ff_die(FF_EXIT_USAGE, "bad --seeds '%s': expected A-B, two numbers with A <= B", s);
	*a = strtoull(s, &end, 0);
	if (errno || *end != '-' || end[1] == '-' || !end[1])
		ff_die(FF_EXIT_USAGE, "bad --seeds '%s': expected A-B, two numbers with A <= B", s);
	*b = strtoull(end + 1, &end, 0);
	if (errno || *end || *b < *a)
		ff_die(FF_EXIT_USAGE, "bad --seeds '%s': expected A-B, two numbers with A <= B", s);
}

uint64_t ff_cli_parse_seed(const char *s)
{
	char *end;
	errno = 0;
	if (!*s || *s == '-')
		ff_die(FF_EXIT_USAGE, "bad seed '%s': expected a number from 0 to 2^64-1", s);
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || *end)
		ff_die(FF_EXIT_USAGE, "bad seed '%s': expected a number from 0 to 2^64-1", s);
	return v;
}

double ff_cli_parse_prob(const char *s)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (!*s || errno || *end || !isfinite(v) || v < 0 || v > 1)
		ff_die(FF_EXIT_USAGE, "bad rate '%s': expected a probability from 0 to 1", s);
	return v;
}

uint64_t ff_cli_parse_count(const char *opt, const char *s)
{
	char *end;
	errno = 0;
	if (!*s || *s == '-')
		ff_die(FF_EXIT_USAGE, "bad %s '%s': expected a whole number", opt, s);
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end)
		ff_die(FF_EXIT_USAGE, "bad %s '%s': expected a whole number", opt, s);
	return v;
}

/* Site paths inside the directory a run starts in are relative to it: an
 * absolute glob for a file there is made relative the same way (a run, a
 * replay, --pid; a campaign's runs start elsewhere). */
char *ff_cli_relative_glob(enum cmd cmd, char *g)
{
	static char cwd[4096];
	if (g[0] != '/' || cmd == CMD_CAMPAIGN || cmd == CMD_MINIMIZE || (!cwd[0] && !getcwd(cwd, sizeof(cwd))))
		return g;
	size_t n = strlen(cwd);
	if (n > 1 && strncmp(g, cwd, n) == 0 && g[n] == '/' && g[n + 1])
		return g + n + 1;
	return g;
}

/* A glob is malformed when a '[' has no closing ']'. */
void ff_cli_check_glob(const char *g)
{
	if (!*g)
		ff_die(FF_EXIT_USAGE, "bad --path '': an empty glob matches nothing");
	for (const char *p = g; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
		} else if (*p == '[') {
			const char *q = p + 1;
			if (*q == '!' || *q == '^')
				q++;
			if (*q == ']')
				q++;
			while (*q && *q != ']')
				q++;
			if (!*q)
				ff_die(FF_EXIT_USAGE, "bad --path '%s': '[' without a closing ']'", g);
			p = q;
		}
	}
}

double ff_cli_parse_timeout(const char *s)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (!*s || errno || *end || !isfinite(v) || v <= 0 || v > 1e7)
		ff_die(FF_EXIT_USAGE, "bad timeout '%s': expected a positive number of seconds", s);
	return v;
}

/* Splits a comma list and maps each word through lookup; dies naming the bad word. */
uint64_t ff_cli_parse_list(const char *arg, const char *what, int (*lookup)(const char *), const char *valid)
{
	uint64_t mask = 0;
	char *buf = ff_xstrdup(arg), *save = NULL;
	for (char *w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		int v = lookup(w);
		if (v < 0)
			ff_die(FF_EXIT_USAGE, "unknown %s '%s' (valid: %s)", what, w, valid);
		mask |= 1ull << v;
	}
	free(buf);
	if (!mask)
		ff_die(FF_EXIT_USAGE, "empty %s list (valid: %s)", what, valid);
	return mask;
}

int ff_cli_fault_lookup(const char *w)
{
	int k = ff_fault_by_name(w);
	if (k == FF_CUT)
		ff_die(FF_EXIT_USAGE, "the power cut is not a fault kind of --faults: use --crash");
	return k == FF_PASS ? -1 : k;
}

int ff_cli_fdkind_lookup(const char *w)
{
	int k = ff_fdkind_by_name(w);
	return k == FF_FD_OTHER ? -1 : k;
}

char *ff_cli_valid_syscalls(void)
{
	static char buf[1024];
	size_t o = 0;
	for (int i = 0; i < FF_SC_COUNT && o + 32 < sizeof(buf); i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s", i ? ", " : "", ff_sc_table[i].name);
	return buf;
}

const char *const ff_cli_class_names[] = {"write", "read", "desc", "file", "sync", "net"};

/* -e grammar (strace-like):  LIST := WORD[,WORD]...   WORD := [!]NAME | [!]%CLASS
 * Words apply left to right; a list that starts with '!' starts from every
 * syscall, otherwise from none. */
uint64_t ff_cli_parse_syscalls(const char *arg)
{
	char *buf = ff_xstrdup(arg), *save = NULL;
	uint64_t all = (FF_SC_COUNT >= 64) ? ~0ull : (1ull << FF_SC_COUNT) - 1;
	uint64_t mask = arg[0] == '!' ? all : 0;
	for (char *w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		bool neg = *w == '!';
		const char *name = w + neg;
		uint64_t m = 0;
		if (*name == '%') {
			unsigned k = 0;
			while (k < FF_ARRAY_LEN(ff_cli_class_names) && strcmp(ff_cli_class_names[k], name + 1))
				k++;
			if (k == FF_ARRAY_LEN(ff_cli_class_names))
				ff_die(FF_EXIT_USAGE,
				       "unknown syscall class '%s' (valid: %%write, %%read, %%desc, %%file, %%sync, "
				       "%%net)",
				       name);
			for (int i = 0; i < FF_SC_COUNT; i++)
				if (ff_sc_table[i].classes & (1u << k))
					m |= 1ull << i;
		} else {
			int i = ff_sc_by_name(name);
			if (i < 0)
				ff_die(FF_EXIT_USAGE, "unknown syscall '%s' (valid: %s, or a %%class)", name,
				       ff_cli_valid_syscalls());
			m = 1ull << i;
		}
		mask = neg ? mask & ~m : mask | m;
	}
	free(buf);
	if (!mask)
		ff_die(FF_EXIT_USAGE, "-e '%s' selects no syscall that fifuzz can intercept (see fifuzz list)", arg);
	return mask;
}

/* --errno LIST: each name must be an errno that some selected syscall can
 * return under the profile. */
void ff_cli_parse_errnos(struct ff_config *cfg, const char *arg)
{
	char *buf = ff_xstrdup(arg), *save = NULL;
	for (char *w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		int e = ff_errno_by_name(w);
		if (e < 0)
			ff_die(FF_EXIT_USAGE, "unknown errno '%s' (names as in errno(3): EIO, ENOSPC, ...)", w);
		if (e == EINTR || e == EAGAIN)
			ff_die(FF_EXIT_USAGE, "%s is a fault kind of its own: use --faults %s", w,
			       e == EINTR ? "eintr" : "eagain");
		char valid[1024] = "";
		bool ok = false;
		/* Valid: some selected syscall can return it on some selected fd kind. */
		for (int sc = 0; sc < FF_SC_COUNT; sc++) {
			if (!(cfg->sc_mask & (1ull << sc)))
				continue;
			for (int k = 0; k < FF_FD_COUNT; k++) {
				int errs[FF_MAX_ERRNOS];
				if (!(cfg->fdkind_mask & (1u << k)) ||
				    (ff_sc_table[sc].res != FF_RES_FD && k != FF_FD_FILE))
					continue;
				int n =
				    ff_sc_errnos(sc, (enum ff_fdkind)k, (enum ff_profile)cfg->profile, NULL, 0, errs);
				for (int i = 0; i < n; i++) {
					const char *name = ff_errno_name(errs[i]);
					ok |= errs[i] == e;
					if (!strstr(valid, name))
						snprintf(valid + strlen(valid), sizeof(valid) - strlen(valid), "%s%s",
							 *valid ? ", " : "", name);
				}
			}
		}
		if (!ok)
			ff_die(FF_EXIT_USAGE,
			       "no selected syscall can fail with %s on the selected fd kinds under --profile %s "
			       "(valid: %s%s)",
			       w, cfg->profile == FF_PROFILE_ALL ? "all" : "realistic", *valid ? valid : "none",
			       cfg->profile == FF_PROFILE_ALL ? "" : "; --profile all allows every documented errno");
		if (cfg->nerrnos >= (int)FF_ARRAY_LEN(cfg->errnos))
			ff_die(FF_EXIT_USAGE, "too many errnos in --errno");
		cfg->errnos[cfg->nerrnos++] = (uint16_t)e;
	}
	free(buf);
	if (!cfg->nerrnos)
		ff_die(FF_EXIT_USAGE, "empty --errno list");
}

/* Dies on a selection that can never make a call eligible or faulted. */
void ff_cli_check_selection(const struct ff_config *cfg)
{
	bool any = false;
	for (int sc = 0; sc < FF_SC_COUNT && !any; sc++) {
		if (!(cfg->sc_mask & (1ull << sc)))
			continue;
		const struct ff_sc *e = &ff_sc_table[sc];
		if (e->res != FF_RES_FD)
			any = cfg->fdkind_mask & (1u << FF_FD_FILE);
		else if (e->classes & FF_CLASS_NET)
			any = cfg->fdkind_mask & (1u << FF_FD_SOCKET);
		else
			any = cfg->fdkind_mask != 0;
	}
	bool paths = false; /* a selected call that names a path: only --fd-kind file makes it eligible */
	for (int sc = 0; sc < FF_SC_COUNT; sc++)
		paths |= (cfg->sc_mask & (1ull << sc)) && ff_sc_table[sc].res != FF_RES_FD;
	if (!any && paths)
		ff_die(FF_EXIT_USAGE,
		       "--fd-kind has no file, but -e selects only calls on paths or files: add --fd-kind "
		       "file");
	if (!any)
		ff_die(FF_EXIT_USAGE, "-e selects only socket calls but --fd-kind has no socket: add --fd-kind socket");
	if (cfg->only && cfg->only <= cfg->after)
		ff_die(FF_EXIT_USAGE, "--only %llu falls inside --after %llu: that call is let through",
		       (unsigned long long)cfg->only, (unsigned long long)cfg->after);
}

/* Dies unless argv[0] names an executable file (as execvp would find it). */
void ff_cli_check_program(const char *prog)
{
	struct stat st;
	if (strchr(prog, '/')) {
		if (stat(prog, &st) < 0)
			ff_die(FF_EXIT_USAGE, "cannot execute %s: %s", prog, strerror(errno));
		if (!S_ISREG(st.st_mode) || access(prog, X_OK) < 0)
			ff_die(FF_EXIT_USAGE, "cannot execute %s: %s", prog,
			       S_ISDIR(st.st_mode) ? "is a directory" : "not executable");
		return;
	}
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	char *dirs = ff_xstrdup(path), *save = NULL, full[4096];
	for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		snprintf(full, sizeof(full), "%s/%s", *d ? d : ".", prog);
		if (stat(full, &st) == 0 && S_ISREG(st.st_mode) && access(full, X_OK) == 0) {
			free(dirs);
			return;
		}
	}
	free(dirs);
	ff_die(FF_EXIT_USAGE, "cannot execute %s: not found in PATH", prog);
}
