/* The careful write loop the integration targets share: retries short
 * writes, EINTR and EAGAIN; returns 0, or -1 with errno set. */
#ifndef FF_TARGET_WRITE_ALL_H
#define FF_TARGET_WRITE_ALL_H
#include <errno.h>
#include <stddef.h>
#include <unistd.h>

static inline int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t r = write(fd, p, n);

		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r < 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

#endif
