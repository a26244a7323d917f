/* The replay decision source: decisions come from a recorded trace, looked
 * up by logical site, and every call is checked against the trace's
 * fingerprint (the call's length; for pass runs a hash of the lengths). */
#ifndef FF_REPLAY_H
#define FF_REPLAY_H
#include <stdbool.h>
#include <stdint.h>

#include "core/decide/decide.h"
#include "core/site.h"
#include "core/trace/trace.h"

struct ff_replay_cursor {
	size_t item;	 /* current item of the stream */
	uint64_t within; /* calls consumed inside the current item */
	uint64_t calls;	 /* calls consumed in the stream */
	uint32_t lenhash;
};

struct ff_replay {
	const struct ff_trace *t;
	struct ff_site_index ix;
	struct ff_replay_cursor *cur; /* one per stream of t */
	uint64_t divergences;
	bool state_differs; /* --crash: the post-cut files differ from the recorded ones */
	bool released;	    /* the held tasks were let go: the cut did not come */
	char first[512];    /* the first divergence, for humans */
};

void ff_replay_init(struct ff_replay *r, const struct ff_trace *t);
void ff_source_replay(struct ff_source *src, struct ff_replay *r);
/* After the run: reports calls the trace has that did not happen. */
void ff_replay_finish(struct ff_replay *r);
/* After a power-cut run: compares the cut and the post-cut file state with
 * the recorded ones (a divergence when they differ). */
void ff_replay_state(struct ff_replay *r, const struct ff_trace *now);
/* The tasks held for the cut were let go (why: for the divergence message). */
void ff_replay_released(struct ff_replay *r, const char *why);
void ff_replay_free(struct ff_replay *r);

#endif
