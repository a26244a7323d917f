/* drawn: writes through names drawn at random, as real programs do. Three
 * records go to a mkstemp file "tmp_obj_XXXXXX" (glibc draws its letters
 * from the clock) that is then renamed to out.dat; a write that fails or
 * falls short there aborts (its bug). Then it makes a file named after 4
 * getrandom bytes, as git names objects, and prints that name. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

int main(void)
{
	char tmpl[] = "tmp_obj_XXXXXX", name[32];
	unsigned char r[4];
	int fd = mkstemp(tmpl);
	if (fd < 0)
		return 2;
	for (int i = 0; i < 3; i++) {
		char rec[32];
		int n = snprintf(rec, sizeof(rec), "record %d\n", i);
		if (write(fd, rec, (size_t)n) != n)
			abort();
	}
	if (close(fd) < 0 || rename(tmpl, "out.dat") < 0)
		return 1;
	if (getrandom(r, sizeof(r), 0) != sizeof(r))
		return 1;
	snprintf(name, sizeof(name), "obj_%02x%02x%02x%02x", r[0], r[1], r[2], r[3]);
	if ((fd = open(name, O_WRONLY | O_CREAT | O_EXCL, 0644)) < 0 || write(fd, "x", 1) != 1 || close(fd) < 0)
		return 1;
	printf("%s\n", name);
	return 0;
}
