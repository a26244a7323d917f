/* dblog: 24 log lines to log.txt whose write errors it ignores, and between
 * them 6 records to db.txt. A failed or short db write is reported (exit 1),
 * except the third one (ordinal #2), which crashes it (SIGSEGV). A run with
 * many faults, of which exactly one matters: what minimize must find. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	int log = open("log.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int db = open("db.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	char buf[64];

	if (log < 0 || db < 0)
		return 2;
	for (int i = 0; i < 24; i++) {
		int n = snprintf(buf, sizeof(buf), "log line %d\n", i);

		(void)!write(log, buf, (size_t)n);
		if (i % 4 != 3)
			continue;
		n = snprintf(buf, sizeof(buf), "db record %d\n", i / 4);
		if (write(db, buf, (size_t)n) != n) {
			if (i / 4 == 2) {
				volatile int *p = NULL;

				*p = 1; /* the bug */
			}
			fprintf(stderr, "dblog: db write %d failed\n", i / 4);
			return 1;
		}
	}
	close(log);
	close(db);
	return 0;
}
