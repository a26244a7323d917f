/* kinds: three rounds of writes to a socket, a pipe and /dev/null (each read
 * back where it can be), printing what each call returned:
 * "sock N read N pipe N read N dev N". Used to check --fd-kind. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	int sv[2], p[2], dn = open("/dev/null", O_WRONLY);
	char buf[64];

	if (dn < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0 || pipe(p) < 0)
		return 2;
	for (int i = 0; i < 3; i++) {
		printf("sock %zd ", write(sv[0], "socketdata", 10));
		printf("read %zd ", read(sv[1], buf, sizeof(buf)));
		printf("pipe %zd ", write(p[1], "pipedata", 8));
		printf("read %zd ", read(p[0], buf, sizeof(buf)));
		printf("dev %zd\n", write(dn, "devnull", 7));
	}
	return 0;
}
