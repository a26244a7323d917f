/* The command line: parses options into one ff_config, runs the command,
 * prints, and chooses the exit status. The only room that exits. */
#ifndef FF_CLI_H
#define FF_CLI_H

int ff_cli_main(int argc, char **argv);

#endif
