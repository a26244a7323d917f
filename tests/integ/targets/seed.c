/* The seed post's program in C: one fputs through stdio, errors ignored. */
#include <stdio.h>

int main(void)
{
	FILE *f = fopen("test.txt", "w");

	if (!f)
		return 2;
	fputs("some great stuff", f);
	fclose(f);
	return 0;
}
