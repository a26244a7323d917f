/* Site patterns: names a program draws at random (mkstemp's XXXXXX, a
 * writer's "file.json.<hash of the pid>") become one stable site name, so
 * that the faults on them group, minimize and replay. A pattern is a site
 * path with one '*' in one component (for example "tmp_obj_*"); it is
 * learned from two fault-free runs whose names differ only there, and a
 * trace keeps it as the path of its streams, so replay learns it back. */
#include "core/site.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

/* mkstemp draws 6 characters: a shorter difference is the part of them
 * that two runs happened not to share. */
#define MIN_RANDOM 6

static bool randomish(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

const char *ff_site_pattern(char *const *pats, int n, const char *path)
{
	for (int i = 0; i < n; i++)
		if (fnmatch(pats[i], path, FNM_PATHNAME) == 0)
			return pats[i];
	return path;
}

int ff_site_pattern_of(const char *a, const char *b, char *out, size_t len)
{
	size_t la = strlen(a), lb = strlen(b), p = 0, s = 0;
	while (p < la && p < lb && a[p] == b[p])
		p++;
	while (s < la - p && s < lb - p && a[la - 1 - s] == b[lb - 1 - s])
		s++;
	if (p == la || p == lb)
		return -1; /* one is a prefix of the other: not one drawn name */
	/* The common end counts from its first character that cannot be drawn
	 * (".tmp"); drawn characters there matched by chance. */
	while (s > 0 && randomish(a[la - s]))
		s--;
	/* The drawn part is at least MIN_RANDOM long: what matched before it by chance joins it. */
	while (p > 0 && (la - s) - p < MIN_RANDOM && randomish(a[p - 1]))
		p--;
	for (size_t i = p; i < la - s; i++)
		if (!randomish(a[i]))
			return -1;
	for (size_t i = p; i < lb - s; i++)
		if (!randomish(b[i]))
			return -1;
	/* One component, with something fixed in it: a lone star would be every file of its directory. */
	bool start = p == 0 || a[p - 1] == '/', end = s == 0 || a[la - s] == '/';
	if ((start && end) || (la - s) - p < MIN_RANDOM || (lb - s) - p < MIN_RANDOM)
		return -1;
	if (p + 1 + s + 1 > len)
		return -1;
	memcpy(out, a, p);
	out[p] = '*';
	memcpy(out + p + 1, a + la - s, s + 1);
	return 0;
}

static bool has(const struct ff_trace *t, const char *path)
{
	for (size_t i = 0; i < t->nstreams; i++)
		if (!strcmp(t->streams[i].path, path))
			return true;
	return false;
}

static void add_unique(char ***v, size_t *n, size_t *cap, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*v)[i], s))
			return;
	ff_grow(v, cap, *n + 1, sizeof(**v));
	(*v)[(*n)++] = ff_xstrdup(s);
}

size_t ff_site_patterns_learn(const struct ff_trace *a, const struct ff_trace *b, char ***out)
{
	char **v = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < a->nstreams; i++) {
		const char *x = a->streams[i].path;
		if (has(b, x))
			continue;
		for (size_t j = 0; j < b->nstreams; j++) {
			const char *y = b->streams[j].path;
			char pat[4200];
			if (!has(a, y) && ff_site_pattern_of(x, y, pat, sizeof(pat)) == 0) {
				uint64_t h;
				long k = a->hdr.site_mode ? ff_site_split(pat, &h) : -1;
				if (k >= 0)
					pat[k] = 0; /* stack sites: the names, not their contexts, were drawn */
				add_unique(&v, &n, &cap, pat);
				break;
			}
		}
	}
	*out = v;
	return n;
}

size_t ff_site_patterns_in(const struct ff_trace *t, char ***out)
{
	char **v = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < t->nstreams; i++) {
		if (!strchr(t->streams[i].path, '*'))
			continue;
		uint64_t h;
		long k = t->hdr.site_mode ? ff_site_split(t->streams[i].path, &h) : -1;
		char *p = ff_xstrdup(t->streams[i].path);
		if (k >= 0)
			p[k] = 0; /* a stack site: the pattern is the path before its context */
		if (strchr(p, '*'))
			add_unique(&v, &n, &cap, p);
		free(p);
	}
	*out = v;
	return n;
}
