/* The coverage and calls files (format in core/campaign/coverage.h): text, one record
 * a line, the path last with \\, \t and \n escaped so any name fits. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/campaign/coverage.h"
#include "core/util.h"

static void put_path(FILE *f, const char *p)
{
	for (; *p; p++) {
		if (*p == '\\' || *p == '\t' || *p == '\n')
			fprintf(f, "\\%c", *p == '\\' ? '\\' : *p == '\t' ? 't' : 'n');
		else
			fputc(*p, f);
	}
	fputc('\n', f);
}

/* Unescapes s in place (it ends at the newline, dropped). Returns 0 or -EINVAL. */
static int take_path(char *s)
{
	char *o = s;
	for (; *s && *s != '\n'; s++) {
		if (*s != '\\') {
			*o++ = *s;
			continue;
		}
		s++;
		if (*s == '\\' || *s == 't' || *s == 'n')
			*o++ = *s == 't' ? '\t' : *s == 'n' ? '\n' : '\\';
		else
			return -EINVAL;
	}
	*o = 0;
	return 0;
}

static int close_out(FILE *f)
{
	int rc = ferror(f) ? -EIO : 0;
	if (fclose(f) != 0 && rc == 0)
		rc = -errno;
	return rc;
}

int ff_cov_append(const char *file, const struct ff_cov *cov)
{
	FILE *f = fopen(file, "ae");
	if (!f)
		return -errno;
	for (size_t i = 0; i < cov->n; i++) {
		const struct ff_cov_site *s = &cov->v[i];
		fprintf(f, "%s\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu32, s->sc, s->eligible, s->max_calls, s->possible);
		for (int k = 1; k < FF_FAULT_COUNT; k++)
			fprintf(f, "\t%" PRIu64, s->injected[k]);
		fprintf(f, "\t%" PRIu64 "\t", s->failures);
		put_path(f, s->path);
	}
	return close_out(f);
}

/* One coverage line into cov. Returns 0 or -EINVAL. */
static int add_line(struct ff_cov *cov, char *line)
{
	char sc[64];
	uint64_t el, mc, inj[FF_FAULT_COUNT] = {0}, fails;
	uint32_t poss;
	int used = 0;
	if (sscanf(line, "%63[^\t]\t%" SCNu64 "\t%" SCNu64 "\t%" SCNu32 "%n", sc, &el, &mc, &poss, &used) != 4)
		return -EINVAL;
	char *p = line + used;
	for (int k = 1; k < FF_FAULT_COUNT; k++) {
		char *end;
		inj[k] = strtoull(p, &end, 10);
		if (end == p || *p != '\t')
			return -EINVAL;
		p = end;
	}
	/* no whitespace directive before the path: it would eat the path's own leading blanks */
	if (sscanf(p, "\t%" SCNu64 "%n", &fails, &used) != 1 || !used || p[used] != '\t' || take_path(p + used + 1) < 0)
		return -EINVAL;
	used++;
	struct ff_cov_site *s = ff_cov_get(cov, sc, p + used);
	s->eligible += el;
	s->max_calls = mc > s->max_calls ? mc : s->max_calls;
	s->possible |= poss;
	for (int k = 1; k < FF_FAULT_COUNT; k++)
		s->injected[k] += inj[k];
	s->failures += fails;
	return 0;
}

int ff_cov_load(const char *file, struct ff_cov *cov)
{
	FILE *f = fopen(file, "re");
	if (!f)
		return -errno;
	char *line = NULL;
	size_t cap = 0;
	int rc = 0;
	while (rc == 0 && getline(&line, &cap, f) > 0)
		rc = add_line(cov, line);
	free(line);
	fclose(f);
	return rc;
}

int ff_cov_calls_save(const char *file, const struct ff_cov_call *v, size_t n)
{
	FILE *f = fopen(file, "we");
	if (!f)
		return -errno;
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "%d\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu32 "\t", v[i].sc, v[i].ordinal,
			v[i].index, v[i].len, v[i].kinds);
		for (int e = 0; e < v[i].nerrnos; e++)
			fprintf(f, "%s%d", e ? "," : "", v[i].errnos[e]);
		fputs("\t", f);
		put_path(f, v[i].path);
	}
	return close_out(f);
}

/* One calls line into c. Returns 0 or -EINVAL. */
static int call_line(char *line, struct ff_cov_call *c)
{
	int used = 0;
	memset(c, 0, sizeof(*c));
	/* no whitespace directive after the kinds: it would eat an empty errno list's tab */
	if (sscanf(line, "%d\t%" SCNu64 "\t%" SCNu64 "\t%" SCNu64 "\t%" SCNu32 "%n", &c->sc, &c->ordinal, &c->index,
		   &c->len, &c->kinds, &used) != 5 ||
	    !used || line[used] != '\t' || c->sc < 0 || c->sc >= FF_SC_COUNT)
		return -EINVAL;
	char *p = line + used + 1;
	while (*p != '\t') {
		char *end;
		long e = strtol(p, &end, 10);
		if (end == p || c->nerrnos == FF_MAX_ERRNOS || e <= 0 || e > 4095)
			return -EINVAL;
		c->errnos[c->nerrnos++] = (int)e;
		p = *end == ',' ? end + 1 : end;
		if (*end != ',' && *end != '\t')
			return -EINVAL;
	}
	if (take_path(p + 1) < 0)
		return -EINVAL;
	c->path = ff_xstrdup(p + 1);
	return 0;
}

int ff_cov_calls_load(const char *file, struct ff_cov_call **v, size_t *n)
{
	FILE *f = fopen(file, "re");
	*v = NULL;
	*n = 0;
	if (!f)
		return -errno;
	char *line = NULL;
	size_t cap = 0, vcap = 0;
	int rc = 0;
	while (rc == 0 && getline(&line, &cap, f) > 0) {
		ff_grow(v, &vcap, *n + 1, sizeof(**v));
		if ((rc = call_line(line, &(*v)[*n])) == 0)
			(*n)++;
	}
	free(line);
	fclose(f);
	return rc;
}
