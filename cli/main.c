/* main(): dispatches to the commands. */
#include "cli/cli.h"

#include <signal.h>
#include <string.h>

#include "core/util.h"

static int ff_cli_main(int argc, char **argv)
{
	if (ff_catalogue_init() < 0)
		return FF_EXIT_TRACE;
	if (argc >= 2 && !strcmp(argv[1], "show"))
		return ff_cmd_show(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "show-campaign"))
		return ff_cmd_show_campaign(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "plot"))
		return ff_cmd_plot(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "merge"))
		return ff_cmd_merge(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "list"))
		return ff_cmd_list(argc - 1, argv + 1);
	/* A tracer must outlive a closed stderr to kill its tracees and save the trace. */
	signal(SIGPIPE, SIG_IGN);
	if (argc >= 2 && !strcmp(argv[1], "replay"))
		return ff_cmd_replay(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "campaign"))
		return ff_cmd_campaign(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "minimize"))
		return ff_cmd_minimize(argc - 1, argv + 1);
	if (argc < 2)
		ff_die(FF_EXIT_USAGE,
		       "no program to run (usage: fifuzz [OPTIONS] -- PROG [ARGS...]; see fifuzz --help)");
	return ff_cmd_run(argc, argv);
}

int main(int argc, char **argv)
{
	return ff_cli_main(argc, argv);
}
