/* twobugs: interleaves four writes to a.out and four to b.out and ignores
 * their results, except two: a failed or short third write to a.out
 * crashes it (SIGSEGV), a failed or short second write to b.out aborts it
 * (SIGABRT). Any other fault is silently ignored (exit 0: corruption).
 * Several independent bugs, for campaigns that must group them the same
 * way whatever the parallelism. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	static const char ra[] = "a record for a.out\n", rb[] = "b record for b.out\n";
	int a = open("a.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int b = open("b.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (a < 0 || b < 0)
		return 2;
	for (int i = 0; i < 4; i++) {
		ssize_t r = write(a, ra, strlen(ra));

		if (i == 2 && r != (ssize_t)strlen(ra)) {
			volatile int *p = NULL;

			*p = 1;
		}
		r = write(b, rb, strlen(rb));
		if (i == 1 && r != (ssize_t)strlen(rb))
			abort();
	}
	close(a);
	close(b);
	return 0;
}
