/* AFL++'s test case file as the schedule source (core/decide/decide.h's decoder,
 * fed from a file that changes at every forkserver run). */
#ifndef FF_SCHEDULE_FILE_H
#define FF_SCHEDULE_FILE_H
#include <stdbool.h>
#include <stdint.h>

#include "core/decide/decide.h"

/* AFL++ keeps test cases small; a schedule larger than this is a mistake. */
#define FF_SCHEDULE_MAX_FILE (64u << 20)

struct ff_schedule_file {
	const char *path;		 /* the test case */
	const char *input;		 /* --split-input: the file that gets the input part, or NULL */
	bool may_be_missing;		 /* under the forkserver the first test case comes later */
	uint64_t *seed;			 /* gets XXH64 of the schedule bytes (the trace's seed field) */
	void (*failed)(const char *why); /* a reload at a forkserver run failed (every call then passes) */
	struct ff_schedule s;
	uint8_t *buf;
};

/* Reads the test case (and writes the input part). Returns 0, or -errno
 * with a one-line reason in err. */
int ff_schedule_file_load(struct ff_schedule_file *f, char *err, size_t errlen);
/* The source: decodes f's bytes, and reloads them at each new run. */
void ff_source_schedule_file(struct ff_source *src, struct ff_schedule_file *f);
void ff_schedule_file_free(struct ff_schedule_file *f);

#endif
