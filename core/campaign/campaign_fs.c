/* --fs all: one campaign per file-system profile, and which profiles each
 * bug fails under. The seeds are the same in every profile's campaign, so
 * every seed's cut point and torn choices are judged under each profile:
 * a bug that fails under posix only is a program relying on what ext4, XFS
 * or btrfs promise beyond POSIX; one that fails everywhere is careless. */
#include "core/campaign/campaign.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/durable/durable.h"
#include "core/json.h"
#include "core/trace/trace.h"
#include "core/util.h"

/* One signature across the profiles' campaigns: as each profile filed it, or NULL. */
struct fs_bug {
	const struct ff_campaign_bug *b[FF_FS_COUNT];
};

static const char *sig_of(const struct fs_bug *g)
{
	for (int p = 0; p < FF_FS_COUNT; p++)
		if (g->b[p])
			return g->b[p]->sig;
	return "";
}

/* Groups the profiles' bugs by signature; returns how many groups (in *out, malloc'd). */
static size_t collect(const struct ff_campaign_result *per, struct fs_bug **out)
{
	size_t cap = 1;
	for (int p = 0; p < FF_FS_COUNT; p++)
		cap += per[p].bugs;
	struct fs_bug *g = ff_xcalloc(cap, sizeof(*g));
	size_t n = 0;
	for (int p = 0; p < FF_FS_COUNT; p++)
		for (uint64_t i = 0; per[p].bug && i < per[p].bugs; i++) {
			const struct ff_campaign_bug *b = &per[p].bug[i];
			size_t j = 0;
			while (j < n && strcmp(sig_of(&g[j]), b->sig))
				j++;
			n += j == n;
			g[j].b[p] = b;
		}
	*out = g;
	return n;
}

/* "posix only", "posix, xfs", "every profile". */
static void fails_on(const struct fs_bug *g, char *out, size_t len)
{
	int n = 0;
	size_t o = 0;
	out[0] = 0;
	for (int p = 0; p < FF_FS_COUNT; p++)
		if (g->b[p] && o < len)
			o += (size_t)snprintf(out + o, len - o, "%s%s", n++ ? ", " : "", ff_fs_name((uint8_t)p));
	if (n == FF_FS_COUNT)
		snprintf(out, len, "every profile");
	else if (n == 1 && o < len)
		snprintf(out + o, len - o, " only");
}

static void json_profiles(FILE *f, const struct fs_bug *g, bool failing)
{
	fputc('[', f);
	for (int p = 0, n = 0; p < FF_FS_COUNT; p++)
		if (!g->b[p] == !failing)
			fprintf(f, "%s\"%s\"", n++ ? "," : "", ff_fs_name((uint8_t)p));
	fputc(']', f);
}

static void json_bug(FILE *f, const struct fs_bug *g)
{
	fputs("\n  {\"signature\":", f);
	ff_json_str(f, sig_of(g));
	fputs(",\"fails_on\":", f);
	json_profiles(f, g, true);
	fputs(",\"passes_on\":", f);
	json_profiles(f, g, false);
	fputs(",\"by_profile\":{", f);
	for (int p = 0, n = 0; p < FF_FS_COUNT; p++) {
		const struct ff_campaign_bug *b = g->b[p];
		if (!b)
			continue;
		char dir[300];
		snprintf(dir, sizeof(dir), "fs-%s/failures/%s", ff_fs_name((uint8_t)p), b->dir);
		fprintf(f, "%s\"%s\":{\"verdict\":\"%s\",\"count\":%" PRIu64 ",\"first_seed\":%" PRIu64 ",\"dir\":",
			n++ ? "," : "", ff_fs_name((uint8_t)p), ff_verdict_name(b->verdict), b->count, b->first_seed);
		ff_json_str(f, dir);
		fputc('}', f);
	}
	fputs("}}", f);
}

static int write_report(const char *outdir, const struct ff_campaign_result *per, const struct fs_bug *g, size_t n)
{
	char p[4200], tmp[4300];
	snprintf(p, sizeof(p), "%s/report.json", outdir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", p);
	FILE *f = fopen(tmp, "we");
	if (!f)
		return -errno;
	fprintf(f, "{\"fifuzz\":\"%s\",\"fs\":\"all\",\"distinct_bugs\":%zu,\n \"profiles\":[", FF_VERSION, n);
	for (int i = 0; i < FF_FS_COUNT; i++)
		fprintf(f,
			"%s\n  {\"fs\":\"%s\",\"runs\":%" PRIu64 ",\"failures\":%" PRIu64 ",\"distinct_bugs\":%" PRIu64
			",\"report\":\"fs-%s/report.json\"}",
			i ? "," : "", ff_fs_name((uint8_t)i), per[i].runs, per[i].failures, per[i].bugs,
			ff_fs_name((uint8_t)i));
	fputs("\n ],\n \"bugs\":[", f);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? "," : "", f);
		json_bug(f, &g[i]);
	}
	fputs(n ? "\n ]}\n" : "]}\n", f);
	int rc = ferror(f) ? -EIO : 0;
	if (fclose(f) != 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, p) < 0)
		rc = -errno;
	if (rc < 0)
		unlink(tmp);
	return rc;
}

int ff_campaign_profiles(const struct ff_campaign *c, struct ff_campaign_result *r, char *err, size_t errlen)
{
	struct ff_campaign_result per[FF_FS_COUNT] = {0};
	memset(r, 0, sizeof(*r));
	int rc = 0, p;
	for (p = 0; p < FF_FS_COUNT && rc == 0 && !r->stop_sig; p++) {
		char dir[4200];
		snprintf(dir, sizeof(dir), "%s/fs-%s", c->outdir, ff_fs_name((uint8_t)p));
		struct ff_campaign one = *c;
		one.outdir = dir;
		c->cfg->fs_profile = (uint8_t)p;
		if (!c->quiet)
			fprintf(stderr, "fifuzz: --fs %s: into %s\n", ff_fs_name((uint8_t)p), dir);
		rc = ff_campaign_run(&one, &per[p], err, errlen);
		r->runs += per[p].runs;
		r->failures += per[p].failures;
		r->stop_sig = per[p].stop_sig;
	}
	struct fs_bug *g = NULL;
	size_t n = collect(per, &g);
	r->bugs = n;
	if (rc == 0 && (rc = write_report(c->outdir, per, g, n)) < 0)
		snprintf(err, errlen, "cannot write %s/report.json: %s", c->outdir, strerror(-rc));
	for (size_t i = 0; i < n && !c->quiet && rc == 0; i++) {
		char on[80];
		fails_on(&g[i], on, sizeof(on));
		fprintf(stderr, "fifuzz: bug %s: fails on %s\n", sig_of(&g[i]), on);
	}
	free(g);
	for (p = 0; p < FF_FS_COUNT; p++)
		ff_campaign_result_free(&per[p]);
	return rc;
}
