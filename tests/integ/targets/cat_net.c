/* cat_net [ROUNDS]: the socket and pipe calls of the catalogue, on loopback
 * only: an AF_UNIX stream socketpair, an AF_UNIX datagram socketpair, two TCP
 * connections to a listener on 127.0.0.1 (port 0), a blocking pipe and an
 * O_NONBLOCK pipe. Prints one line per call:
 *
 *   SYSCALL LABEL -> RESULT [data "BYTES"]     or     SYSCALL LABEL -> -1 ERRNONAME
 *
 * LABEL is fifuzz's site ("socket:" or "pipe:") followed by what the fd is:
 * stream (AF_UNIX stream), dgram (AF_UNIX datagram), tcp, tcplisten-nb, tcp-nb,
 * blk (blocking pipe), nb (O_NONBLOCK pipe); labels with "nb" are the
 * non-blocking fds. Nothing blocks forever: a read is made only when poll()
 * (not a catalogue call) says data is there, waiting up to 5 s when the
 * write before it reported bytes sent and not at all otherwise; connect and
 * accept go to a listener that is already listening. Exits 0.
 * tests/integ/check.py reads this format (cat_lines). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

/* Prints the line of a call and returns its result. */
static long show(const char *sc, const char *label, long r)
{
	if (r < 0)
		printf("%s %s -> -1 %s\n", sc, label, strerrorname_np(errno));
	else
		printf("%s %s -> %ld\n", sc, label, r);
	return r;
}

/* Prints the line of a read, with the bytes it got. */
static long show_data(const char *sc, const char *label, long r, const char *buf)
{
	if (r < 0)
		return show(sc, label, r);
	printf("%s %s -> %ld data \"%.*s\"\n", sc, label, r, (int)r, buf);
	return r;
}

/* Whether fd has data: waits up to 5 s if a write reported bytes sent
 * (sent > 0), else only looks (a torn write may have left some). */
static int readable(int fd, long sent)
{
	struct pollfd p = {fd, POLLIN, 0};
	return poll(&p, 1, sent > 0 ? 5000 : 0) > 0 && (p.revents & POLLIN);
}

/* One round of writes and reads between wfd and rfd with each call pair the
 * catalogue has for this kind of fd; dgram: no read()/write() streaming. */
static void round_trip(int wfd, int rfd, const char *wl, const char *rl, int round, int msgs)
{
	char out[32], in[64];
	struct iovec iov;
	struct msghdr mh;
	int n = snprintf(out, sizeof(out), "%s-r%d", wl, round);
	long s;

	s = show("write", wl, write(wfd, out, (size_t)n));
	if (readable(rfd, s))
		show_data("read", rl, read(rfd, in, sizeof(in)), in);
	if (!msgs)
		return;
	s = show("sendto", wl, sendto(wfd, out, (size_t)n, MSG_NOSIGNAL, NULL, 0));
	if (readable(rfd, s))
		show_data("recvfrom", rl, recvfrom(rfd, in, sizeof(in), 0, NULL, NULL), in);
	iov = (struct iovec){out, (size_t)n};
	mh = (struct msghdr){.msg_iov = &iov, .msg_iovlen = 1};
	s = show("sendmsg", wl, sendmsg(wfd, &mh, MSG_NOSIGNAL));
	iov = (struct iovec){in, sizeof(in)};
	mh = (struct msghdr){.msg_iov = &iov, .msg_iovlen = 1};
	if (readable(rfd, s))
		show_data("recvmsg", rl, recvmsg(rfd, &mh, 0), in);
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 2;
	int pb[2], pn[2], us[2], ud[2], lst, c1, c2, s1 = -1, s2 = -1;
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t alen = sizeof(a);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (pipe2(pb, 0) < 0 || pipe2(pn, O_NONBLOCK) < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, us) < 0 ||
	    socketpair(AF_UNIX, SOCK_DGRAM, 0, ud) < 0)
		return 2;
	lst = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	c1 = socket(AF_INET, SOCK_STREAM, 0);
	c2 = socket(AF_INET, SOCK_STREAM, 0);
	if (lst < 0 || c1 < 0 || c2 < 0 || bind(lst, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(lst, 8) < 0 ||
	    getsockname(lst, (struct sockaddr *)&a, &alen) < 0)
		return 2;

	/* Two TCP connections; an accept is tried only for a connect that worked,
	 * and the first connection gets a second chance with accept4. */
	if (show("connect", "socket:tcp", connect(c1, (struct sockaddr *)&a, sizeof(a))) == 0) {
		s1 = (int)show("accept", "socket:tcplisten-nb", accept(lst, NULL, NULL));
		if (s1 < 0)
			s1 = (int)show("accept4", "socket:tcplisten-nb", accept4(lst, NULL, NULL, 0));
	}
	if (show("connect", "socket:tcp", connect(c2, (struct sockaddr *)&a, sizeof(a))) == 0)
		s2 = (int)show("accept4", "socket:tcplisten-nb", accept4(lst, NULL, NULL, SOCK_NONBLOCK));

	for (int r = 0; r < rounds; r++) {
		round_trip(us[0], us[1], "socket:stream", "socket:stream", r, 1);
		round_trip(ud[0], ud[1], "socket:dgram", "socket:dgram", r, 1);
		if (s1 >= 0)
			round_trip(c1, s1, "socket:tcp", "socket:tcp", r, 1);
		if (s2 >= 0)
			round_trip(s2, c2, "socket:tcp-nb", "socket:tcp", r, 1);
		round_trip(pb[1], pb[0], "pipe:blk", "pipe:blk", r, 0);
		round_trip(pn[1], pn[0], "pipe:nb", "pipe:nb", r, 0);
	}
	return 0;
}
