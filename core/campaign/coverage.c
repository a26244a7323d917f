/* Coverage tables (core/campaign/coverage.h): the recorder source, the per-site
 * table with its hash index, and the files workers leave for the campaign. */
#include "core/campaign/coverage.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "core/util.h"

static uint64_t site_hash(const char *sc, const char *path)
{
	return XXH3_64bits_withSeed(path, strlen(path), XXH3_64bits(sc, strlen(sc)));
}

static void reindex(struct ff_cov *cov)
{
	free(cov->slot);
	cov->nslot = 64;
	while (cov->nslot < cov->n * 2)
		cov->nslot *= 2;
	cov->slot = ff_xcalloc(cov->nslot, sizeof(*cov->slot)); /* 0: empty, else index + 1 */
	for (size_t i = 0; i < cov->n; i++) {
		size_t h = (size_t)site_hash(cov->v[i].sc, cov->v[i].path) & (cov->nslot - 1);
		while (cov->slot[h])
			h = (h + 1) & (cov->nslot - 1);
		cov->slot[h] = i + 1;
	}
}

struct ff_cov_site *ff_cov_get(struct ff_cov *cov, const char *sc, const char *path)
{
	if (!cov->slot)
		reindex(cov);
	size_t h = (size_t)site_hash(sc, path) & (cov->nslot - 1);
	for (; cov->slot[h]; h = (h + 1) & (cov->nslot - 1)) {
		struct ff_cov_site *s = &cov->v[cov->slot[h] - 1];
		if (!strcmp(s->path, path) && !strcmp(s->sc, sc))
			return s;
	}
	ff_grow(&cov->v, &cov->cap, cov->n + 1, sizeof(*cov->v));
	struct ff_cov_site *s = &cov->v[cov->n++];
	memset(s, 0, sizeof(*s));
	s->sc = ff_xstrdup(sc);
	s->path = ff_xstrdup(path);
	if (cov->n * 2 > cov->nslot)
		reindex(cov);
	else
		cov->slot[h] = cov->n;
	return s;
}

void ff_cov_free(struct ff_cov *cov)
{
	for (size_t i = 0; i < cov->n; i++) {
		free(cov->v[i].sc);
		free(cov->v[i].path);
	}
	free(cov->v);
	free(cov->slot);
	memset(cov, 0, sizeof(*cov));
}

void ff_cov_calls_free(struct ff_cov_call *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].path);
	free(v);
}

/* The kinds a call can really take (as ff_call_kinds), and the cut. */
static uint32_t call_kinds(const struct ff_call *c)
{
	uint8_t k[FF_FAULT_COUNT];
	int nk = ff_call_kinds(c, k);
	uint32_t m = c->kinds & FF_K(FF_CUT);
	for (int i = 0; i < nk; i++)
		m |= FF_K(k[i]);
	return m;
}

static void rec_decide(struct ff_source *src, const struct ff_call *c, struct ff_decision *d)
{
	struct ff_cov_rec *r = src->ctx;
	r->inner.decide(&r->inner, c, d);
	if (d->kind == FF_HOLD || d->kind == FF_HOLD_CUT)
		return;
	const char *sc = ff_sc_table[c->sc].name;
	struct ff_cov_site *s = ff_cov_get(r->cov, sc, c->path);
	uint32_t kinds = call_kinds(c);
	s->eligible++;
	s->run_calls++;
	s->possible |= kinds;
	if (d->kind != FF_PASS && d->kind < FF_FAULT_COUNT) {
		s->injected[d->kind]++;
		s->run_fault = true;
		s->run_kinds |= FF_K(d->kind);
	}
	if (r->keep_calls) {
		ff_grow(&r->calls, &r->capcalls, r->ncalls + 1, sizeof(*r->calls));
		struct ff_cov_call *k = &r->calls[r->ncalls++];
		*k = (struct ff_cov_call){.sc = c->sc,
					  .path = ff_xstrdup(c->path),
					  .ordinal = c->ordinal,
					  .index = c->index,
					  .len = c->len,
					  .kinds = kinds,
					  .nerrnos = c->nerrnos < FF_MAX_ERRNOS ? c->nerrnos : FF_MAX_ERRNOS};
		memcpy(k->errnos, c->errnos, sizeof(int) * (size_t)k->nerrnos);
	}
}

static void rec_new_run(struct ff_source *src)
{
	struct ff_cov_rec *r = src->ctx;
	if (r->inner.new_run)
		r->inner.new_run(&r->inner);
}

static void rec_released(struct ff_source *src, const char *why)
{
	struct ff_cov_rec *r = src->ctx;
	if (r->inner.released)
		r->inner.released(&r->inner, why);
}

static bool rec_cut_ready(struct ff_source *src)
{
	struct ff_cov_rec *r = src->ctx;
	return r->inner.cut_ready ? r->inner.cut_ready(&r->inner) : true;
}

void ff_cov_source(struct ff_source *src, struct ff_cov_rec *r)
{
	*src = (struct ff_source){.decide = rec_decide,
				  .new_run = r->inner.new_run ? rec_new_run : NULL,
				  .released = r->inner.released ? rec_released : NULL,
				  .cut_ready = r->inner.cut_ready ? rec_cut_ready : NULL,
				  .ctx = r,
				  .owner = r->inner.owner};
}

void ff_cov_end_run(struct ff_cov *cov, bool failed)
{
	for (size_t i = 0; i < cov->n; i++) {
		struct ff_cov_site *s = &cov->v[i];
		if (s->run_calls > s->max_calls)
			s->max_calls = s->run_calls;
		s->failures += failed && s->run_fault;
		s->run_calls = 0;
		s->run_fault = false;
		s->run_kinds = 0;
	}
}

void ff_cov_new_pairs(struct ff_cov *cov, uint64_t seed, FILE *f)
{
	bool any = false;
	for (size_t i = 0; i < cov->n; i++) {
		struct ff_cov_site *s = &cov->v[i];
		uint32_t fresh = s->run_kinds & ~s->seen_kinds;
		s->seen_kinds |= s->run_kinds;
		for (int k = 1; fresh && k < FF_FAULT_COUNT; k++)
			if (fresh & FF_K(k)) {
				if (!any)
					fprintf(f, "%" PRIu64, seed);
				any = true;
				fprintf(f, " %016" PRIx64, site_hash(s->sc, s->path) ^ (uint64_t)k);
			}
	}
	if (any)
		fputc('\n', f);
}

static int cmp_site(const void *a, const void *b)
{
	const struct ff_cov_site *x = a, *y = b;
	int c = strcmp(x->path, y->path);
	return c ? c : strcmp(x->sc, y->sc);
}

void ff_cov_sort(struct ff_cov *cov)
{
	if (cov->n)
		qsort(cov->v, cov->n, sizeof(*cov->v), cmp_site);
	free(cov->slot);
	cov->slot = NULL; /* rebuilt on the next get */
}

void ff_cov_summary(const struct ff_cov *cov, struct ff_cov_sum *s)
{
	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < cov->n; i++) {
		const struct ff_cov_site *e = &cov->v[i];
		uint32_t tried = ff_cov_tried(e);
		s->sites++;
		s->faulted += tried != 0;
		s->pairs += (uint64_t)__builtin_popcount(e->possible);
		s->tried += (uint64_t)__builtin_popcount(e->possible & tried);
	}
}
