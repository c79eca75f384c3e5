/* main.c - seclog: find the command and run it; nothing else lives here */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "host-limits.h"

/*
 * A seclog that lifted the limits and was killed before it could put them
 * back left its state file: any seclog run puts the host back first.
 */
static void restore_stale(void)
{
	char *cause = NULL;
	pid_t pid;

	if (access(SL_LIMITS_STATE, F_OK))
		return;
	if (sl_limits_restore_stale(SL_LIMITS_STATE, &pid, &cause))
		fprintf(stderr, "seclog: warning: seclog (pid %d) left the limits lifted and "
			"they could not be restored: %s; run 'seclog limits restore' as root\n",
			(int)pid, cause);
	else if (pid)
		fprintf(stderr, "seclog: restored the limits seclog (pid %d) left lifted when it "
			"did not exit cleanly\n", (int)pid);
	free(cause);
}

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
	for (c = sl_cmds; *c; c++) {
		if (!strcmp(argv[1], (*c)->name)) {
			restore_stale();
			return (*c)->exec(argc - 1, argv + 1);
		}
	}
	if (argv[1][0] == '-')
		fprintf(stderr, "seclog: unknown option '%s'\n", argv[1]);
	else
		fprintf(stderr, "seclog: '%s' is not a seclog command\n", argv[1]);
	usage(stderr);
	return SL_EXIT_USAGE;
}
