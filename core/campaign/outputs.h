/* The corruption oracle's reference: what a fault-free run leaves (a
 * manifest, core/campaign/workdir.h), and what of it varies between fault-free runs
 * by itself (the time in an archive header, a random name), learned from
 * more fault-free runs. A run's output is compared entry by entry; what
 * varies is compared by size only, or not at all. */
#ifndef FF_OUTPUTS_H
#define FF_OUTPUTS_H
#include <stdbool.h>
#include <stddef.h>

#include "core/campaign/workdir.h"

enum {
	FF_VARY_CONTENT = 1,  /* the content changes: compare the size */
	FF_VARY_SIZE = 2,     /* the size changes too: do not compare */
	FF_VARY_PRESENCE = 4, /* it is there in some fault-free runs only */
};

/* Compares run with ref, skipping what ref says varies. Returns how many
 * entries differ; the first is described in why ("out.lz4: 70 bytes, 4096
 * without faults"). */
size_t ff_outputs_diff(const struct ff_manifest *ref, const struct ff_manifest *run, char *why, size_t len);

/* ref learns from fresh, another fault-free run: what differs becomes
 * varying. Returns how many entries changed; when names is not NULL, the
 * first of them are listed in it (comma-separated, "(stdout)" for stdout). */
size_t ff_outputs_learn(struct ff_manifest *ref, const struct ff_manifest *fresh, char *names, size_t len);

/* ref takes the varying flags (and varying names) of other, a copy of ref
 * that learned elsewhere. Returns how many entries changed. */
size_t ff_outputs_merge(struct ff_manifest *ref, const struct ff_manifest *other, char *names, size_t len);

/* A manifest in a file, for the campaign's run workers. Returns 0 or -errno. */
int ff_outputs_save(const char *path, const struct ff_manifest *m);
int ff_outputs_load(const char *path, struct ff_manifest *m);

#endif
