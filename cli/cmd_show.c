/* `fifuzz show` and `fifuzz list`: traces and the catalogue, for people and for the man page. */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <string.h>

#include "core/util.h"
#include "core/trace/show.h"

int ff_cmd_show(int argc, char **argv)
{
	struct ff_config cfg;
	struct extra x = {0};
	ff_cli_defaults(&cfg);
	ff_cli_parse(argc, argv, &cfg, CMD_SHOW, &x);
	if (optind != argc - 1)
		ff_die(FF_EXIT_USAGE, "usage: fifuzz show [--json] TRACE");
	struct ff_trace t;
	ff_cli_read_trace(argv[optind], &t);
	int rc = ff_show(&t, argv[optind], stdout, x.json);
	ff_trace_free(&t);
	if (fflush(stdout) != 0 && !rc)
		rc = -errno;
	if (rc < 0)
		ff_die(FF_EXIT_TRACE, "cannot print the trace: %s", strerror(-rc));
	return 0;
}

static void list_row(int sc, char *cls, size_t cl, char *kinds, size_t kl, char *real, size_t rl, char *doc, size_t dl)
{
	const struct ff_sc *s = &ff_sc_table[sc];
	static const char letters[] = "fpstdo";
	*cls = *kinds = *real = *doc = 0;
	for (unsigned b = 0; b < FF_ARRAY_LEN(ff_cli_class_names); b++)
		if (s->classes & (1u << b))
			snprintf(cls + strlen(cls), cl - strlen(cls), "%s%%%s", *cls ? "," : "", ff_cli_class_names[b]);
	for (int f = FF_SHORT; f < FF_FAULT_COUNT; f++)
		if (s->kinds & FF_K(f))
			snprintf(kinds + strlen(kinds), kl - strlen(kinds), "%s%s", *kinds ? "," : "",
				 ff_fault_name(f));
	for (int i = 0; i < s->nerrnos; i++) {
		const char *n = ff_errno_name(s->errnos[i]);
		if (!s->real[i]) {
			snprintf(doc + strlen(doc), dl - strlen(doc), "%s%s", *doc ? " " : "", n);
			continue;
		}
		snprintf(real + strlen(real), rl - strlen(real), "%s%s", *real ? " " : "", n);
		if (s->real[i] != (0xff & ~(1u << FF_FD_OTHER))) {
			snprintf(real + strlen(real), rl - strlen(real), "/");
			for (int k = 0; k < FF_FD_COUNT; k++)
				if (s->real[i] & (1u << k))
					snprintf(real + strlen(real), rl - strlen(real), "%c", letters[k]);
		}
	}
}

/* `fifuzz list [--roff]`: the catalogue, as a table for people or as the
 * roff table that the man page includes (built from this same data). */
int ff_cmd_list(int argc, char **argv)
{
	bool roff = argc >= 2 && !strcmp(argv[1], "--roff");
	if (argc >= 2 && !roff)
		ff_die(FF_EXIT_USAGE, "usage: fifuzz list [--roff]");
	char cls[64], kinds[96], real[512], doc[512];
	if (roff) {
		printf(".TS\nl l l lx.\nSYSCALL\tCLASSES\tFAULTS\tREALISTIC ERRNOS\n");
		for (int i = 0; i < FF_SC_COUNT; i++) {
			list_row(i, cls, sizeof(cls), kinds, sizeof(kinds), real, sizeof(real), doc, sizeof(doc));
			printf("%s\t%s\t%s\tT{\n%s\nT}\n", ff_sc_table[i].name, cls, kinds, *real ? real : "(none)");
		}
		printf(".TE\n");
		return 0;
	}
	printf("%-16s %-20s %-34s %s\n", "SYSCALL", "CLASSES", "FAULTS",
	       "ERRNOS (realistic; /fpstd: only on those fd kinds)");
	for (int i = 0; i < FF_SC_COUNT; i++) {
		list_row(i, cls, sizeof(cls), kinds, sizeof(kinds), real, sizeof(real), doc, sizeof(doc));
		printf("%-16s %-20s %-34s %s\n", ff_sc_table[i].name, cls, kinds, *real ? real : "(none)");
	}
	printf("\nfd kinds: f file, p pipe, s socket, t tty, d device. --profile all also allows each call's\n"
	       "other documented errnos; docs/catalogue.md lists them and explains each choice.\n");
	return 0;
}
