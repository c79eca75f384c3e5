/* main.c - seclog: find the command and run it; nothing else lives here */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cmd.h"

static void usage(FILE *f)
{
	const struct sl_cmd *const *c;

	fprintf(f, "usage: seclog [--help | --version] COMMAND [ARGS]\n\n"
		   "Build seccomp profiles from the kernel's SECCOMP audit records.\n\n"
		   "Commands:\n");
	for (c = sl_cmds; *c; c++)
		fprintf(f, "  %-10s %s\n", (*c)->name, (*c)->summary);
	fprintf(f, "\nRun 'seclog COMMAND --help' for a command's options; see seclog(1).\n");
}

int main(int argc, char **argv)
{
	const struct sl_cmd *const *c;

	if (argc < 2) {
		usage(stderr);
		return SL_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return SL_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("seclog %s\n", PACKAGE_VERSION);
		return SL_EXIT_OK;
	}
	for (c = sl_cmds; *c; c++)
		if (!strcmp(argv[1], (*c)->name))
			return (*c)->exec(argc - 1, argv + 1);
	if (argv[1][0] == '-')
		fprintf(stderr, "seclog: unknown option '%s'\n", argv[1]);
	else
		fprintf(stderr, "seclog: '%s' is not a seclog command\n", argv[1]);
	usage(stderr);
	return SL_EXIT_USAGE;
}
