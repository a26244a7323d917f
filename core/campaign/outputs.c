#include "core/campaign/outputs.h"

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"

#define MAGIC "fifuzz-manifest-1\n"

static int entry_cmp(const void *a, const void *b)
{
	const struct ff_mentry *x = a, *y = b;
	int c = strcmp(x->rel, y->rel);
	return c ? c : (int)x->type - (int)y->type;
}

static const char *shown(const struct ff_mentry *e)
{
	return e->type == FF_ME_STDOUT ? "(stdout)" : e->rel;
}

/* Appends name to the comma-separated list out (which holds at most len bytes). */
static void list_add(char *out, size_t len, const char *name)
{
	if (!out || !len)
		return;
	size_t n = strlen(out);
	if (n + 8 >= len)
		return;
	if (n && strcmp(out + n - 3, "...") == 0)
		return;
	int w = snprintf(out + n, len - n, "%s%s", n ? ", " : "", name);
	if (w < 0 || (size_t)w >= len - n)
		snprintf(out + (n + 3 < len ? n : 0), len - (n + 3 < len ? n : 0), "%s...", n ? ", " : "");
}

/* Walks two sorted manifests by name; calls f for each name with the entry of each side (or NULL). */
static size_t walk(const struct ff_manifest *a, const struct ff_manifest *b,
		   size_t (*f)(void *ctx, struct ff_mentry *x, const struct ff_mentry *y), void *ctx)
{
	size_t i = 0, j = 0, n = 0;
	while (i < a->n || j < b->n) {
		int c = i == a->n ? 1 : j == b->n ? -1 : strcmp(a->v[i].rel, b->v[j].rel);
		if (c == 0 && a->v[i].type != b->v[j].type &&
		    (a->v[i].type == FF_ME_STDOUT || b->v[j].type == FF_ME_STDOUT))
			c = a->v[i].type == FF_ME_STDOUT ? -1 : 1; /* stdout is "" like nothing else */
		n += f(ctx, c <= 0 ? &a->v[i] : NULL, c >= 0 ? &b->v[j] : NULL);
		i += c <= 0;
		j += c >= 0;
	}
	return n;
}

struct diff_ctx {
	char *why;
	size_t len;
	size_t n;
};

static size_t diff_one(void *ctx, struct ff_mentry *r, const struct ff_mentry *x)
{
	struct diff_ctx *d = ctx;
	const char *what = NULL;
	char buf[200];
	if (r && (r->flags & (FF_VARY_PRESENCE | FF_VARY_SIZE)))
		return 0;
	if (!x) {
		what = "missing (there without faults)";
	} else if (!r) {
		what = "new (not there without faults)";
	} else if (r->type != x->type) {
		what = "of another type than without faults";
	} else if (r->flags & FF_VARY_CONTENT) {
		if (r->size != x->size) {
			snprintf(buf, sizeof(buf),
				 "%" PRIu64 " bytes, %" PRIu64
				 " without faults (its content varies by itself: size compared)",
				 x->size, r->size);
			what = buf;
		}
	} else if (r->val != x->val || r->size != x->size) {
		if (r->type == FF_ME_FILE || r->type == FF_ME_STDOUT) {
			snprintf(buf, sizeof(buf), "%" PRIu64 " bytes, %" PRIu64 " without faults%s", x->size, r->size,
				 r->size == x->size ? ", other content" : "");
			what = buf;
		} else {
			what = "differs from the run without faults";
		}
	}
	if (!what)
		return 0;
	if (!d->n++ && d->why && d->len)
		snprintf(d->why, d->len, "%s: %s", shown(r ? r : x), what);
	return 1;
}

size_t ff_outputs_diff(const struct ff_manifest *ref, const struct ff_manifest *run, char *why, size_t len)
{
	struct diff_ctx d = {.why = why, .len = len};
	if (why && len)
		why[0] = 0;
	walk(ref, run, diff_one, &d);
	return d.n;
}

struct learn_ctx {
	struct ff_mentry *add; /* entries fresh has and ref lacks */
	size_t nadd, capadd;
	char *names;
	size_t len;
};

static uint8_t more(struct ff_mentry *r, uint8_t flags, struct learn_ctx *l)
{
	uint8_t was = r->flags;
	r->flags |= flags;
	if (r->flags == was)
		return 0;
	list_add(l->names, l->len, shown(r));
	return 1;
}

static void add_copy(struct learn_ctx *l, const struct ff_mentry *x, uint8_t flags)
{
	ff_grow(&l->add, &l->capadd, l->nadd + 1, sizeof(*l->add));
	l->add[l->nadd] = *x;
	l->add[l->nadd].rel = ff_xstrdup(x->rel);
	l->add[l->nadd++].flags = flags;
	list_add(l->names, l->len, shown(x));
}

static size_t learn_one(void *ctx, struct ff_mentry *r, const struct ff_mentry *x)
{
	struct learn_ctx *l = ctx;
	if (!x)
		return more(r, FF_VARY_PRESENCE, l);
	if (!r) {
		add_copy(l, x, FF_VARY_PRESENCE);
		return 1;
	}
	uint8_t f = 0;
	if (r->type != x->type)
		f = FF_VARY_CONTENT | FF_VARY_SIZE;
	else if (r->val != x->val)
		f = FF_VARY_CONTENT | (r->size != x->size ? FF_VARY_SIZE : 0);
	return f ? more(r, f, l) : 0;
}

/* ref takes the entries collected in l, kept sorted. */
static void take(struct ff_manifest *ref, struct learn_ctx *l)
{
	if (!l->nadd)
		return;
	ff_grow(&ref->v, &(size_t){ref->n}, ref->n + l->nadd, sizeof(*ref->v));
	memcpy(ref->v + ref->n, l->add, l->nadd * sizeof(*l->add));
	ref->n += l->nadd;
	qsort(ref->v, ref->n, sizeof(*ref->v), entry_cmp);
	free(l->add);
}

/* ref takes what f makes of each pair of entries of ref and other. */
static size_t absorb(struct ff_manifest *ref, const struct ff_manifest *other,
		     size_t (*f)(void *ctx, struct ff_mentry *x, const struct ff_mentry *y), char *names, size_t len)
{
	struct learn_ctx l = {.names = names, .len = len};
	if (names && len)
		names[0] = 0;
	size_t n = walk(ref, other, f, &l);
	take(ref, &l);
	return n;
}

size_t ff_outputs_learn(struct ff_manifest *ref, const struct ff_manifest *fresh, char *names, size_t len)
{
	return absorb(ref, fresh, learn_one, names, len);
}

static size_t merge_one(void *ctx, struct ff_mentry *r, const struct ff_mentry *x)
{
	struct learn_ctx *l = ctx;
	if (!x || !x->flags)
		return 0;
	if (!r) {
		add_copy(l, x, x->flags);
		return 1;
	}
	return more(r, x->flags, l);
}

size_t ff_outputs_merge(struct ff_manifest *ref, const struct ff_manifest *other, char *names, size_t len)
{
	return absorb(ref, other, merge_one, names, len);
}

static int put(FILE *f, const void *p, size_t n)
{
	return fwrite(p, 1, n, f) == n ? 0 : -EIO;
}

int ff_outputs_save(const char *path, const struct ff_manifest *m)
{
	char tmp[4400];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	FILE *f = fopen(tmp, "we");
	if (!f)
		return -errno;
	int rc = put(f, MAGIC, strlen(MAGIC));
	for (size_t i = 0; rc == 0 && i < m->n; i++) {
		const struct ff_mentry *e = &m->v[i];
		uint32_t n = (uint32_t)strlen(e->rel);
		rc = put(f, &e->type, 1) || put(f, &e->flags, 1) || put(f, &e->val, 8) || put(f, &e->size, 8) ||
			     put(f, &n, 4) || put(f, e->rel, n)
			 ? -EIO
			 : 0;
	}
	if (fclose(f) != 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) < 0)
		rc = -errno;
	if (rc < 0)
		unlink(tmp);
	return rc;
}

static int get(FILE *f, void *p, size_t n)
{
	return fread(p, 1, n, f) == n ? 0 : -EIO;
}

int ff_outputs_load(const char *path, struct ff_manifest *m)
{
	memset(m, 0, sizeof(*m));
	FILE *f = fopen(path, "re");
	if (!f)
		return -errno;
	char magic[sizeof(MAGIC)];
	size_t cap = 0;
	int rc = get(f, magic, strlen(MAGIC));
	if (rc == 0 && memcmp(magic, MAGIC, strlen(MAGIC)))
		rc = -EINVAL;
	while (rc == 0) {
		struct ff_mentry e = {0};
		uint32_t n;
		if (fread(&e.type, 1, 1, f) != 1)
			break; /* the end */
		if (get(f, &e.flags, 1) || get(f, &e.val, 8) || get(f, &e.size, 8) || get(f, &n, 4) || n > 65536) {
			rc = -EINVAL;
			break;
		}
		e.rel = ff_xmalloc(n + 1);
		if (get(f, e.rel, n)) {
			free(e.rel);
			rc = -EINVAL;
			break;
		}
		e.rel[n] = 0;
		ff_grow(&m->v, &cap, m->n + 1, sizeof(*m->v));
		m->v[m->n++] = e;
	}
	fclose(f);
	if (rc < 0)
		ff_manifest_free(m);
	return rc;
}
