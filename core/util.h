/* Small helpers shared by every room: allocation that cannot fail silently,
 * the CLI's fatal exit, and LEB128 varints used by the trace format. */
#ifndef FF_UTIL_H
#define FF_UTIL_H
#include <stddef.h>
#include <stdint.h>

/* Exit statuses, documented in the man page and README. */
enum {
	FF_EXIT_OK = 0,		    /* no failure found */
	FF_EXIT_FAILURE = 1,	    /* the program crashed or hung */
	FF_EXIT_USAGE = 2,	    /* bad usage or bad input (a corrupt trace ...) */
	FF_EXIT_TRACE = 3,	    /* fifuzz itself could not trace */
	FF_EXIT_NOT_REPRODUCED = 4, /* replay: the recorded outcome or faults did not come back */
};

#define FF_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Prints "fifuzz: MSG" on stderr and exits with status CODE. CLI only. */
__attribute__((noreturn, format(printf, 2, 3))) void ff_die(int code, const char *fmt, ...);
/* Prints "fifuzz: MSG" on stderr. */
__attribute__((format(printf, 1, 2))) void ff_warn(const char *fmt, ...);

/* Allocators that abort on exhaustion: fifuzz never continues half-allocated. */
void *ff_xmalloc(size_t n);
void *ff_xcalloc(size_t n, size_t sz);
void *ff_xrealloc(void *p, size_t n);
char *ff_xstrdup(const char *s);
/* Grows *p (of *cap elements of size sz) to hold at least need elements. */
void ff_grow(void *pp, size_t *cap, size_t need, size_t sz);

/* readlink(2) into a NUL-terminated string. Returns 0 or -errno. */
int ff_readlink(const char *link, char *out, size_t size);
/* Reads a small file (a /proc entry) into buf, NUL-terminated. Returns the
 * bytes read (> 0) or -errno (-ENODATA when it is empty). */
long ff_read_small(const char *path, char *buf, size_t size);

/* Appends an unsigned LEB128 varint; returns the bytes written (at most 10). */
/* Writes all of buf to fd, through EINTR and short writes. Returns 0 or -errno. */
int ff_write_all(int fd, const void *buf, size_t len);
/* Reads all of fd from offset 0 (pread: its offset stays) into *out
 * (malloc'd, one spare byte, NUL-terminated), at most max bytes. Returns 0,
 * -EFBIG when it holds more, or -errno. */
int ff_read_fd(int fd, size_t max, uint8_t **out, size_t *len);
/* The same for a named file. */
int ff_read_file(const char *path, size_t max, uint8_t **out, size_t *len);
/* Makes path a file holding exactly buf. Returns 0 or -errno. */
int ff_write_file(const char *path, const void *buf, size_t len);
/* Finds an executable name through PATH as execvp would; a name with a '/'
 * is made absolute. Returns 0 or -errno. */
int ff_which(const char *name, char *out, size_t len);

size_t ff_varint_put(uint8_t *out, uint64_t v);
/* Reads a varint from [*p, end); returns 0 or -EBADMSG on truncation/overflow. */
int ff_varint_get(const uint8_t **p, const uint8_t *end, uint64_t *v);

/* Writes an escaped, quoted preview of buf (at most max bytes shown) into out. */
void ff_escape(char *out, size_t outlen, const uint8_t *buf, size_t len, size_t max);

/* Writes a file name for a terminal line: printable ASCII and valid UTF-8
 * as they are, '\\' doubled, anything else as \n, \t or \xNN. */
void ff_escape_name(char *out, size_t outlen, const char *name);

#endif
