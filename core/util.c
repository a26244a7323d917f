#include "core/util.h"

#include "core/json.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void vmsg(const char *fmt, va_list ap)
{
	char buf[1024];
	vsnprintf(buf, sizeof(buf), fmt, ap);
	fprintf(stderr, "fifuzz: %s\n", buf);
}

void ff_die(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	exit(code);
}

void ff_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

static void *oom(size_t n)
{
	fprintf(stderr, "fifuzz: out of memory (%zu bytes)\n", n);
	abort();
}

void *ff_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	return p ? p : oom(n);
}

void *ff_xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);
	return p ? p : oom(n * sz);
}

void *ff_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	return q ? q : oom(n);
}

char *ff_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(ff_xmalloc(n), s, n);
}

void ff_grow(void *pp, size_t *cap, size_t need, size_t sz)
{
	void **p = pp;
	if (need <= *cap)
		return;
	size_t c = *cap ? *cap : 8;
	while (c < need)
		c *= 2;
	*p = ff_xrealloc(*p, c * sz);
	*cap = c;
}

int ff_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int ff_read_fd(int fd, size_t max, uint8_t **out, size_t *len)
{
	struct stat sb;
	*out = NULL;
	*len = 0;
	if (fstat(fd, &sb) < 0)
		return -errno;
	/* st_size is a hint (a /proc file says 0, a file may grow): read to the end. */
	size_t cap = (size_t)sb.st_size < max ? (size_t)sb.st_size + 2 : max + 2, n = 0;
	uint8_t *buf = ff_xmalloc(cap);
	for (;;) {
		if (n + 1 == cap)
			buf = ff_xrealloc(buf, cap *= 2);
		ssize_t r = pread(fd, buf + n, cap - 1 - n, (off_t)n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || (n += (size_t)r) > max) {
			int rc = r < 0 ? -errno : r > 0 ? -EFBIG : 0;
			if (rc < 0) {
				free(buf);
				return rc;
			}
			break;
		}
	}
	buf[n] = 0;
	*out = buf;
	*len = n;
	return 0;
}

int ff_read_file(const char *path, size_t max, uint8_t **out, size_t *len)
{
	*out = NULL;
	*len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int rc = ff_read_fd(fd, max, out, len);
	close(fd);
	return rc;
}

int ff_write_file(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	int rc = ff_write_all(fd, buf, len);
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	return rc;
}

int ff_which(const char *name, char *out, size_t len)
{
	if (strchr(name, '/')) {
		char abs[PATH_MAX];
		if (!realpath(name, abs))
			return -errno;
		snprintf(out, len, "%s", abs);
		return 0;
	}
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (const char *p = path;; p++) {
		const char *e = strchr(p, ':');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char cand[PATH_MAX];
		if (n && snprintf(cand, sizeof(cand), "%.*s/%s", (int)n, p, name) < (int)sizeof(cand) &&
		    access(cand, X_OK) == 0) {
			snprintf(out, len, "%s", cand);
			return 0;
		}
		if (!e)
			return -ENOENT;
		p = e;
	}
}

size_t ff_varint_put(uint8_t *out, uint64_t v)
{
	size_t n = 0;
	do {
		uint8_t b = v & 0x7f;
		v >>= 7;
		out[n++] = b | (v ? 0x80 : 0);
	} while (v);
	return n;
}

int ff_varint_get(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	uint64_t r = 0;
	for (unsigned shift = 0; shift < 64; shift += 7) {
		if (*p >= end)
			return -EBADMSG;
		uint8_t b = *(*p)++;
		if (shift == 63 && (b & 0x7e))
			return -EBADMSG; /* more than 64 bits */
		r |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = r;
			return 0;
		}
	}
	return -EBADMSG;
}

void ff_escape(char *out, size_t outlen, const uint8_t *buf, size_t len, size_t max)
{
	size_t o = 0;
	if (outlen < 8)
		return;
	out[o++] = '"';
	for (size_t i = 0; i < len && i < max && o + 6 < outlen; i++) {
		uint8_t c = buf[i];
		if (c == '\n')
			o += snprintf(out + o, outlen - o, "\\n");
		else if (c == '\t')
			o += snprintf(out + o, outlen - o, "\\t");
		else if (c == '"' || c == '\\')
			o += snprintf(out + o, outlen - o, "\\%c", c);
		else if (c < 32 || c >= 127)
			o += snprintf(out + o, outlen - o, "\\x%02x", c);
		else
			out[o++] = (char)c;
	}
	out[o++] = '"';
	if (len > max && o + 4 < outlen)
		o += snprintf(out + o, outlen - o, "...");
	out[o] = 0;
}

void ff_escape_name(char *out, size_t outlen, const char *name)
{
	size_t o = 0;
	const unsigned char *p = (const unsigned char *)name;
	while (*p && o + 5 < outlen) {
		unsigned c = *p;
		uint32_t cp = 0;
		/* A valid UTF-8 sequence passes whole, but not a C1 control
		 * (U+0080-U+009F): terminals obey those like ESC sequences. */
		size_t seq = c >= 0x80 ? ff_utf8_seq((const char *)p, &cp) : 0;
		if (seq && cp >= 0xa0 && o + seq < outlen) {
			memcpy(out + o, p, seq);
			o += seq;
			p += seq;
			continue;
		}
		if (c == '\\')
			o += (size_t)snprintf(out + o, outlen - o, "\\\\");
		else if (c == '\n')
			o += (size_t)snprintf(out + o, outlen - o, "\\n");
		else if (c == '\t')
			o += (size_t)snprintf(out + o, outlen - o, "\\t");
		else if (c < 0x20 || c >= 0x7f)
			o += (size_t)snprintf(out + o, outlen - o, "\\x%02x", c);
		else
			out[o++] = (char)c;
		p++;
	}
	out[o] = 0;
}

int ff_readlink(const char *link, char *out, size_t size)
{
	ssize_t n = readlink(link, out, size - 1);
	if (n < 0)
		return -errno;
	out[n] = 0;
	return 0;
}

long ff_read_small(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, buf, size - 1);
	int e = errno;
	close(fd);
	if (n < 0)
		return -e;
	buf[n] = 0;
	return n ? (long)n : -ENODATA;
}
