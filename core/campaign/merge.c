/* OUTDIR/campaign.tsv (core/campaign/merge.h): written by a campaign, read by merge
 * and show-campaign. */
#include "core/campaign/merge.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "core/util.h"

static void mix(XXH3_state_t *h, const void *p, size_t n)
{
	XXH3_64bits_update(h, p, n);
}

static void mix_str(XXH3_state_t *h, const char *s)
{
	mix(h, s, strlen(s) + 1);
}

uint64_t ff_campaign_identity(const struct ff_campaign *c)
{
	const struct ff_config *g = c->cfg;
	XXH3_state_t *h = XXH3_createState();
	XXH3_64bits_reset(h);
	char prog[4096];
	mix_str(h, ff_which(g->argv[0], prog, sizeof(prog)) == 0 ? prog : g->argv[0]);
	for (int i = 1; i < g->argc; i++)
		mix_str(h, g->argv[i]);
	uint64_t sel[] = {g->sc_mask,		g->fault_mask,	       g->fdkind_mask,	  g->profile,
			  g->include_stdio,	g->include_startup,    g->crash_mode,	  g->fs_profile,
			  c->sweep.on,		c->sweep.errnos_first, c->sweep.limit,	  c->sweep.ord_k,
			  c->sweep.ordinals,	c->sweep.ord_first,    c->sweep.ord_last, c->sweep.subsets,
			  (uint64_t)g->nerrnos, (uint64_t)g->nglobs,   g->after,	  g->max_faults};
	mix(h, sel, sizeof(sel));
	mix(h, g->errnos, sizeof(uint16_t) * (size_t)g->nerrnos);
	for (int i = 0; i < g->nglobs; i++)
		mix_str(h, g->globs[i]);
	mix_str(h, g->check_cmd ? g->check_cmd : "");
	uint64_t id = XXH3_64bits_digest(h);
	XXH3_freeState(h);
	return id;
}

static void put_esc(FILE *f, const char *p)
{
	for (; *p; p++) {
		if (*p == '\\' || *p == '\t' || *p == '\n')
			fprintf(f, "\\%c", *p == '\\' ? '\\' : *p == '\t' ? 't' : 'n');
		else
			fputc(*p, f);
	}
}

static void unesc(char *s)
{
	char *o = s;
	for (; *s && *s != '\n'; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			*o++ = *s == 't' ? '\t' : *s == 'n' ? '\n' : *s;
		} else {
			*o++ = *s;
		}
	}
	*o = 0;
}

int ff_merge_write(const char *out, const struct ff_merge_dir *d)
{
	char p[4200], tmp[4300];
	snprintf(p, sizeof(p), "%s/campaign.tsv", out);
	snprintf(tmp, sizeof(tmp), "%s.tmp", p);
	FILE *f = fopen(tmp, "we");
	if (!f)
		return -errno;
	fprintf(f, "identity\t%016" PRIx64 "\ncommand\t%s\nruns\t%" PRIu64 "\nfailures\t%" PRIu64 "\nelapsed\t%.3f\n",
		d->identity, d->command, d->runs, d->failures, d->elapsed);
	for (size_t i = 0; i < d->nbugs; i++) {
		const struct ff_merge_bug *b = &d->bugs[i];
		fprintf(f, "bug\t%" PRIu64 "\t%" PRIu64 "\t%u\t%u\t%d\t%" PRId64 "\t%" PRId64 "\t%s\t", b->first_seed,
			b->count, b->verdict, b->kind, (int)b->code, b->faults, b->minimized, b->sig);
		put_esc(f, b->msg);
		fputc('\n', f);
	}
	int rc = ferror(f) ? -EIO : 0;
	if (fclose(f) != 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, p) < 0)
		rc = -errno;
	return rc;
}

/* One bug line (after "bug\t") into b. Returns 0 or -EINVAL. */
static int bug_line(char *s, struct ff_merge_bug *b)
{
	unsigned v, k;
	int code, used = 0;
	memset(b, 0, sizeof(*b));
	if (sscanf(s, "%" SCNu64 "\t%" SCNu64 "\t%u\t%u\t%d\t%" SCNd64 "\t%" SCNd64 "\t%159[^\t\n]%n", &b->first_seed,
		   &b->count, &v, &k, &code, &b->faults, &b->minimized, b->sig, &used) != 8 ||
	    !used || s[used] != '\t' || v > 255 || k > 255)
		return -EINVAL;
	used++; /* the message may start with a blank */
	b->verdict = (uint8_t)v, b->kind = (uint8_t)k, b->code = code;
	unesc(s + used);
	snprintf(b->msg, sizeof(b->msg), "%s", s + used);
	return 0;
}

static int read_line(struct ff_merge_dir *d, char *line)
{
	char *tab = strchr(line, '\t');
	if (!tab)
		return -EINVAL;
	*tab++ = 0;
	tab[strcspn(tab, "\n")] = 0;
	if (!strcmp(line, "identity"))
		return sscanf(tab, "%" SCNx64, &d->identity) == 1 ? 0 : -EINVAL;
	if (!strcmp(line, "command"))
		return free(d->command), d->command = ff_xstrdup(tab), 0;
	if (!strcmp(line, "runs"))
		return sscanf(tab, "%" SCNu64, &d->runs) == 1 ? 0 : -EINVAL;
	if (!strcmp(line, "failures"))
		return sscanf(tab, "%" SCNu64, &d->failures) == 1 ? 0 : -EINVAL;
	if (!strcmp(line, "elapsed"))
		return sscanf(tab, "%lf", &d->elapsed) == 1 ? 0 : -EINVAL;
	if (strcmp(line, "bug"))
		return -EINVAL;
	ff_grow(&d->bugs, &d->capbugs, d->nbugs + 1, sizeof(*d->bugs));
	int rc = bug_line(tab, &d->bugs[d->nbugs]);
	d->nbugs += rc == 0;
	return rc;
}

int ff_merge_read(const char *dir, struct ff_merge_dir *d, char *err, size_t errlen)
{
	char p[4200];
	memset(d, 0, sizeof(*d));
	snprintf(p, sizeof(p), "%s/campaign.tsv", dir);
	FILE *f = fopen(p, "re");
	if (!f) {
		snprintf(err, errlen, "%s: %s", p, strerror(errno));
		return -errno;
	}
	char *line = NULL;
	size_t cap = 0;
	int rc = 0, n = 0;
	while (rc == 0 && getline(&line, &cap, f) > 0)
		if ((rc = read_line(d, line)) < 0)
			snprintf(err, errlen, "%s: line %d is not a campaign summary's", p, n + 1);
		else
			n++;
	free(line);
	fclose(f);
	if (rc == 0 && (!d->command || !d->identity)) {
		snprintf(err, errlen, "%s: no identity or command line", p);
		rc = -EINVAL;
	}
	return rc;
}

void ff_merge_dir_free(struct ff_merge_dir *d)
{
	free(d->command);
	free(d->bugs);
	memset(d, 0, sizeof(*d));
}

void ff_merge_add_bug(struct ff_merge_dir *d, const struct ff_merge_bug *b, const char *from)
{
	for (size_t i = 0; i < d->nbugs; i++) {
		struct ff_merge_bug *g = &d->bugs[i];
		if (strcmp(g->sig, b->sig))
			continue;
		g->count += b->count;
		if (b->first_seed < g->first_seed) {
			uint64_t count = g->count;
			*g = *b;
			g->count = count;
			g->from = (char *)from;
		}
		return;
	}
	ff_grow(&d->bugs, &d->capbugs, d->nbugs + 1, sizeof(*d->bugs));
	d->bugs[d->nbugs] = *b;
	d->bugs[d->nbugs++].from = (char *)from;
}
