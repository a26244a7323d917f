/* Minimal reproducers: delta debugging (Zeller's ddmin) over a failing
 * trace's faults. Each test replays a subset of the faults in a fresh
 * directory and keeps it if the same failure (verdict, outcome kind and
 * code) comes back; the result is 1-minimal: no single fault can go. Then
 * each kept cut lands as many bytes as still fail, and a torn write becomes
 * a plain error where that fails the same way. */
#ifndef FF_MINIMIZE_H
#define FF_MINIMIZE_H
#include <stdbool.h>
#include <stddef.h>

#include "core/config.h"
#include "core/campaign/judge.h"
#include "core/trace/trace.h"

struct ff_min {
	const struct ff_config *cfg; /* the program, its workdir (recreated per test), oracles */
	const char *template_dir;    /* copied into the workdir before each test, or NULL */
	struct ff_judge *judge;	     /* its reference learns what varies */
	double deadline;	     /* seconds the search may take (then it keeps what it has); 0: no limit */
	void (*progress)(void *ctx, size_t faults, size_t tests);
	void *ctx;
};

struct ff_min_result {
	size_t before, after, tests;
	bool out_of_time;      /* the deadline stopped the search: after may not be minimal */
	struct ff_trace trace; /* the minimized run as recorded: a valid trace that replays to the failure */
};

/* The part of minimize that only reads the trace (no process runs): the
 * reader fuzzer (fuzz/reader/) drives it with hostile traces. */
struct ff_fault_ref {
	size_t stream, item; /* in->streams[stream].items[item] */
};
/* Lists in's faults (its items that are not passes), in stream then item
 * order; *out is malloc'd (NULL when there are none). Returns how many. */
size_t ff_min_list_faults(const struct ff_trace *in, struct ff_fault_ref **out);
/* A candidate: a copy of in whose fault f (refs[f]) is now[f] when keep[f],
 * else one pass of the same length. Strings and the header are shared with
 * in; free with ff_min_candidate_free. */
void ff_min_candidate(const struct ff_trace *in, const struct ff_fault_ref *refs, const struct ff_item *now,
		      const bool *keep, size_t nfaults, struct ff_trace *out);
void ff_min_candidate_free(struct ff_trace *t);

/* Minimizes in (a failing run's trace). Returns 0; -ESRCH when the
 * failure does not reproduce at all (flaky); other -errno on errors; err
 * gets a one-line reason. */
int ff_minimize(const struct ff_min *m, const struct ff_trace *in, struct ff_min_result *out, char *err, size_t errlen);

#endif
