/* A campaign directory's summary for `fifuzz merge` and `show-campaign`:
 * OUTDIR/campaign.tsv, beside report.json (which is for people and CI; this
 * one is read back). One record a line, tab-separated:
 *   identity  HEX            the program and selection (ff_campaign_identity)
 *   command   JSON           the program's argv as a JSON array
 *   runs      N
 *   failures  N
 *   elapsed   SECONDS
 *   bug  FIRST_SEED COUNT VERDICT OUTCOME_KIND CODE FAULTS MINIMIZED SIGNATURE MESSAGE
 * MINIMIZED is -1 when the bug was not minimized; MESSAGE is the normalized
 * check message, with \\, \t and \n escaped. */
#ifndef FF_MERGE_H
#define FF_MERGE_H
#include <stddef.h>
#include <stdint.h>

#include "core/campaign/campaign.h"

struct ff_merge_bug {
	char sig[160];
	char msg[64];
	uint64_t first_seed, count;
	uint8_t verdict, kind;
	int32_t code;
	int64_t faults, minimized; /* minimized: -1 when not */
	char *from;		   /* merge: the directory whose files are kept */
};

struct ff_merge_dir {
	uint64_t identity;
	char *command; /* JSON */
	uint64_t runs, failures;
	double elapsed;
	struct ff_merge_bug *bugs;
	size_t nbugs, capbugs;
};

/* A hash of the program, its arguments and the selection (not the seeds,
 * rate or jobs): campaigns with the same one can be merged. */
uint64_t ff_campaign_identity(const struct ff_campaign *c);

/* Writes out/campaign.tsv. Returns 0 or -errno. */
int ff_merge_write(const char *out, const struct ff_merge_dir *d);
/* Reads dir/campaign.tsv. Returns 0, -ENOENT, or -EINVAL (err names the line). */
int ff_merge_read(const char *dir, struct ff_merge_dir *d, char *err, size_t errlen);
void ff_merge_dir_free(struct ff_merge_dir *d);
/* Adds b to d: the same signature sums its count and keeps the lowest seed
 * (from names where its files are). */
void ff_merge_add_bug(struct ff_merge_dir *d, const struct ff_merge_bug *b, const char *from);

#endif
