#include "core/cli.h"

int main(int argc, char **argv)
{
	return ff_cli_main(argc, argv);
}
