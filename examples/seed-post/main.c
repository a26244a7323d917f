/* The seed post's program in C: writes "some great stuff" to test.txt and
 * ignores every error, so a short or failed write goes unnoticed. */
#include <stdio.h>

int main(void)
{
	FILE *f = fopen("test.txt", "w");
	if (f == NULL) {
		perror("test.txt");
		return 1;
	}
	(void)fputs("some great stuff", f);
	(void)fclose(f);
	return 0;
}
