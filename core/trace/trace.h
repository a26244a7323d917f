/* The trace: every decision of one run, grouped by logical site.
 *
 * In memory a trace is a header, a list of streams and an outcome. A stream
 * is every eligible call of one syscall on one file (path relative to the
 * directory the run started in), in ordinal order; its items are either a
 * run of passes (run-length encoded, with a chained hash of the calls'
 * lengths as a fingerprint) or one fault. Because decisions are keyed by
 * (syscall, path, ordinal) and not by global order, a trace of a threaded
 * run replays although threads interleave differently.
 *
 * The on-disk encoding is specified in docs/trace-format.md. The writer
 * (core/trace/trace_write.c) and reader (core/trace/trace_read.c) mirror each other. */
#ifndef FF_TRACE_H
#define FF_TRACE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FF_TRACE_MAGIC	    "FIFUZZ\x1aT" /* 8 bytes */
#define FF_TRACE_VERSION    4		  /* this writer's format version */
#define FF_TRACE_MIN_READER 1		  /* the oldest reader version that reads a trace without v2 features */
/* Errnos a trace may hold: Linux's range (the kernel returns -1..-4095). */
#define FF_MAX_ERRNO	  4095
#define FF_PRNG_XXH3_SITE 1 /* the seeded generator of core/decide/decide_gen.c */
#define FF_PRNG_SCHEDULE  2 /* AFL++ schedule bytes; the seed field holds XXH64 of them */

/* Reader limits: a hostile file cannot make us allocate more than this. */
#define FF_TRACE_MAX_FILE (256u << 20)
#define FF_TRACE_MAX_STR  4096
#define FF_TRACE_MAX_MEM  (1u << 30) /* heap a decoded trace may take */

/* Header flags (ff_trace_hdr.flags). */
#define FF_TF_INCLUDE_STDIO   (1u << 0) /* fds 0-2 were eligible */
#define FF_TF_INCLUDE_STARTUP (1u << 1) /* the loader and libc start-up were eligible */
#define FF_TF_NO_SECCOMP      (1u << 2) /* recorded with the PTRACE_SYSCALL fallback */
#define FF_TF_NO_FOLLOW	      (1u << 3) /* --no-follow: only the root process was traced */
#define FF_TF_ATTACHED	      (1u << 4) /* --pid: recorded by attaching to a running process */
#define FF_TF_REAL_RANDOM     (1u << 5) /* --real-random: getrandom gave the kernel's bytes */

/* How the run ended. Values are stored in traces: never renumber. */
enum ff_outcome_kind {
	FF_OUT_NONE = 0,	/* not known (incomplete trace) */
	FF_OUT_EXITED = 1,	/* code = exit status */
	FF_OUT_SIGNALED = 2,	/* code = signal number */
	FF_OUT_HANG = 3,	/* killed by fifuzz after --timeout */
	FF_OUT_INTERRUPTED = 4, /* fifuzz got SIGINT/SIGTERM/SIGHUP; code = that signal */
	FF_OUT_TRACE_ERROR = 5, /* fifuzz lost control of the tracee */
	FF_OUT_CUT = 6,		/* the power was cut at a call (format 2) */
	FF_OUT_LAST = FF_OUT_CUT
};

/* Verdicts. Values are stored in traces: never renumber. */
enum ff_verdict {
	FF_V_PASS = 0,	/* no failure found */
	FF_V_CRASH = 1, /* a process died by a signal */
	FF_V_HANG = 2,	/* the tree outlived --timeout */
	FF_V_UNKNOWN = 3,
	FF_V_CORRUPTION = 4,	    /* exit 0, but the output differs from a fault-free run */
	FF_V_CHECK = 5,		    /* the user's --check command failed */
	FF_V_SANITIZER = 6,	    /* a sanitizer report on the program's stderr */
	FF_V_CRASH_CONSISTENCY = 7, /* after a power cut, --check failed (format 2) */
	FF_V_LAST = FF_V_CRASH_CONSISTENCY
};

struct ff_outcome {
	uint8_t kind;	 /* enum ff_outcome_kind */
	int32_t code;	 /* exit status or signal */
	uint8_t verdict; /* enum ff_verdict */
};

struct ff_item {
	uint8_t kind;	  /* enum ff_fault (0..7); FF_PASS: a run of passes */
	uint16_t err;	  /* FF_ERROR/FF_TORN: the errno returned */
	uint64_t count;	  /* FF_PASS: calls in the run; faults: 1 */
	uint64_t n;	  /* FF_SHORT/FF_TORN: bytes that land */
	uint64_t len;	  /* faults: the call's length, to notice divergence */
	uint32_t lenhash; /* FF_PASS: ff_lenhash() chained over the run's lengths */
	/* FF_CORRUPT (format 4): n bytes damaged from off of the bytes the read returned. */
	uint8_t mode; /* enum ff_corrupt_mode: 1 flip, 2 zero, 3 garbage */
	uint64_t off; /* where the damage starts, in the bytes returned */
	uint64_t key; /* flip: the bit (0..7); garbage: the bytes' key; zero: 0 */
};

struct ff_stream {
	char *sc;   /* syscall name, as in the catalogue */
	char *path; /* normalized resource name (see core/site.h) */
	struct ff_item *items;
	size_t nitems, cap;
	uint64_t calls; /* sum of counts: the ordinal of the next call */
};

struct ff_trace_hdr {
	uint16_t version;    /* format version of the file */
	uint16_t min_reader; /* the oldest reader that can read it */
	uint16_t prng;	     /* FF_PRNG_* */
	uint16_t flags;	     /* FF_TF_* */
	uint64_t seed;
	uint32_t rate_q;      /* fault probability * 2^32, saturated at 2^32-1 for 1.0 */
	uint32_t fault_mask;  /* FF_K() bits */
	uint32_t fdkind_mask; /* 1 << enum ff_fdkind */
	uint8_t profile;      /* 0: realistic, 1: all (enum ff_profile) */
	uint64_t max_faults;  /* --max-faults; 0: no limit */
	uint64_t after;	      /* --after: eligible calls let through first */
	uint64_t only;	      /* --only: fault exactly this 1-based eligible call; 0: off */
	uint32_t nerrnos;
	uint16_t *errnos; /* --errno filter (empty: none) */
	uint32_t nglobs;
	char **globs; /* --path globs (empty: every path) */
	uint32_t nsyscalls;
	char **syscalls; /* eligible syscall names */
	uint32_t argc;
	char **argv; /* the command, shown by show and replay, never executed */
	/* Format 2 extension: power-loss simulation (core/durable/durable.h); crash_mode 0: off. */
	uint8_t crash_mode;    /* enum ff_crash_mode */
	uint8_t fsync_failure; /* enum ff_fsync_failure */
	uint32_t crash_rate_q; /* per eligible call probability of the cut * 2^32 */
	uint64_t crash_at;     /* --crash-at: the 1-based eligible call cut; 0: seeded */
	/* Format 3: the file-system profile (enum ff_fs_profile); written only when not posix. */
	uint8_t fs_profile;
	/* Format 4: how sites are keyed (enum ff_site_mode); written only for stack sites. */
	uint8_t site_mode;
	uint8_t site_depth; /* stack sites: the most frames a context has (1..64) */
};

/* How a site is keyed. Values are stored in traces: never renumber. */
enum ff_site_mode {
	FF_SITE_PATH = 0,  /* (syscall, path, ordinal) */
	FF_SITE_STACK = 1, /* (syscall, path @ calling context, ordinal): a stream's path is "PATH @HASH" */
};

/* Format 4, stack sites: a calling context's frames as text, for show. */
struct ff_context {
	uint64_t hash; /* as in the stream paths ("PATH @%016llx") */
	char *frames;  /* "write<-save_record<-main", innermost first */
};
#define FF_CONTEXTS_MAX 65536 /* contexts a trace keeps text for */

/* Format 3: what the cut did to one unsynced change (shown by fifuzz show). */
struct ff_cut_change {
	uint8_t kind;	    /* 1 write, 2 size, 3 replace (fallocate), 4 create, 5 mkdir, 6 link, 7 symlink, 8 rename,
			       9 exchange, 10 unlink, 11 rmdir */
	uint8_t fate;	    /* 0 lost, 1 survived, 2 partly (some of its pages) */
	uint8_t rule;	    /* why (ff_cut_rule_name): 0..9 */
	char *path, *path2; /* relative to the start directory when under it; path2 "" unless two names */
	uint64_t off, len;  /* write: where and how many bytes; size: the new size in off */
};
#define FF_CUT_CHANGE_KINDS 11
enum { FF_CHG_WRITE = 1, FF_CHG_SIZE = 2, FF_CHG_LINK = 6, FF_CHG_RENAME = 8 };
#define FF_CUT_RULES	   10
#define FF_CUT_CHANGES_MAX 256 /* changes a trace lists; changes_total counts them all */

struct ff_trace {
	struct ff_trace_hdr hdr;
	struct ff_stream *streams;
	size_t nstreams, cap;
	uint8_t complete; /* 1 only when the run ended and the writer finished */
	struct ff_outcome outcome;
	uint64_t eligible;   /* eligible calls seen */
	uint64_t faults;     /* faults injected */
	uint64_t cut_points; /* calls a power cut could have come before (not stored) */
	/* Format 2, with crash_mode: where the cut came and the state it left. */
	uint8_t cut;	      /* enum ff_cut_where */
	uint64_t state_hash;  /* XXH3-64 of the post-cut files (core/durable/durable_cut.c) */
	uint64_t state_files; /* names that existed after the cut */
	/* Format 3, with crash_mode: the unsynced changes at the cut, the first FF_CUT_CHANGES_MAX. */
	struct ff_cut_change *changes;
	size_t nchanges;
	uint64_t changes_total;
	/* Format 4, with stack sites: the text of each context the streams name. */
	struct ff_context *contexts;
	size_t ncontexts, ctxcap;
};

/* Records a context's text (once per hash; at most FF_CONTEXTS_MAX). */
void ff_trace_add_context(struct ff_trace *t, uint64_t hash, const char *frames);
/* The text of a context, or NULL. */
const char *ff_trace_context(const struct ff_trace *t, uint64_t hash);
/* A stack site's path "PATH @HASH": the length of PATH, with *hash set;
 * -1 for any other path. */
long ff_site_split(const char *path, uint64_t *hash);

/* The oldest reader version that can read t (2 when it uses format 2 features). */
uint16_t ff_trace_min_reader(const struct ff_trace *t);

/* Chains one call's length into a pass run's fingerprint. */
uint32_t ff_lenhash(uint32_t h, uint64_t len);

/* Returns NULL if it is an item the format allows (docs/trace-format.md,
 * "Body"), else why not, as a phrase for a message. The writer and the
 * reader both ask it, so they cannot disagree. */
const char *ff_item_invalid(const struct ff_item *it);

/* Appends a decision to a stream (merging passes into the last run). */
void ff_stream_add(struct ff_stream *s, uint8_t kind, uint16_t err, uint64_t n, uint64_t len);
/* Adds a stream to t and returns it (owned by t; pointers stay valid until the next add). */
struct ff_stream *ff_trace_add_stream(struct ff_trace *t, const char *sc, const char *path);
void ff_trace_free(struct ff_trace *t);
/* Drops every stream and count, keeping the header (a new run begins). */
void ff_trace_clear_streams(struct ff_trace *t);

/* Serializes t (streams sorted by path then syscall) into a malloc'd buffer.
 * Returns 0 or -errno. */
int ff_trace_encode(const struct ff_trace *t, uint8_t **out, size_t *outlen);
/* Writes t to path atomically: a temporary file, fsync, rename. Returns 0 or -errno. */
int ff_trace_write(const char *path, const struct ff_trace *t);
/* The same; without durable, no fsync (still atomic): for scratch traces a
 * campaign or minimize reads back at once. */
int ff_trace_write_ex(const char *path, const struct ff_trace *t, bool durable);

/* Parses a trace. Returns 0, or -errno with a one-line reason in err.
 * Never crashes or over-allocates on hostile input. */
int ff_trace_decode(const uint8_t *buf, size_t len, struct ff_trace *t, char *err, size_t errlen);
/* Reads and decodes a file (at most FF_TRACE_MAX_FILE bytes). */
int ff_trace_read(const char *path, struct ff_trace *t, char *err, size_t errlen);

/* Names for printing. */
const char *ff_outcome_name(uint8_t kind);
const char *ff_verdict_name(uint8_t v);
const char *ff_crash_mode_name(uint8_t m);    /* lose-all, torn, keep-all */
const char *ff_cut_change_name(uint8_t kind); /* write, size, ..., or "?" */
const char *ff_cut_rule_name(uint8_t rule);   /* lose-all, coin, journal-prefix, ..., or "?" */
const char *ff_cut_rule_text(uint8_t rule);   /* the rule in words, for show */
void ff_trace_free_changes(struct ff_trace *t);
const char *ff_cut_name(uint8_t where); /* none, call, end */

#endif
