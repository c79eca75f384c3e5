/* main.c - seclog: find the command and run it; nothing else lives here */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <getopt.h>
#include <unistd.h>

#include "cmd.h"
#include "host-limits.h"
#include "tty.h"

/*
 * A seclog that lifted the limits and was killed before it could put them
 * back left its state file: any seclog run puts the host back first.
 */
static void restore_stale(void)
{
	struct sl_holder *stale;
	char *cause = NULL, who[160] = "a seclog";
	bool restored;
	size_t n;
	int rc;

	if (access(SL_LIMITS_STATE, F_OK))
		return;
	rc = sl_limits_restore_stale(SL_LIMITS_STATE, &stale, &n, &restored, &cause);
	if (n) {
		strcpy(who, "seclog (");
		sl_pid_list(who + 8, sizeof(who) - 9, stale, n);
		strcat(who, ")");
	}
	if (rc && n)
		sl_warn("%s left the limits lifted and they could not be restored: %s; run "
			"'seclog limits restore' as root", who, cause);
	else if (rc)
		sl_warn("cannot check for limits a killed seclog left lifted: %s", cause);
	else if (restored)
		fprintf(stderr, "seclog: restored the limits %s left lifted when it did not "
			"exit cleanly\n", who);
	free(stale);
	free(cause);
}

static void usage(FILE *f)
{
	const struct sl_cmd *const *c;

	fprintf(f, "usage: seclog [--help | --version] [--color=WHEN] COMMAND [ARGS]\n\n"
		   "Build seccomp profiles from the kernel's SECCOMP audit records.\n\n"
		   "Commands:\n");
	for (c = sl_cmds; *c; c++)
		fprintf(f, "  %-10s %s\n", (*c)->name, (*c)->summary);
	fprintf(f, "\n  --color=WHEN  colour on a terminal: auto (the default, not with NO_COLOR),\n"
		   "                always or never\n");
	fprintf(f, "\nRun 'seclog COMMAND --help' for a command's options; see seclog(1).\n");
}

int main(int argc, char **argv)
{
	const struct sl_cmd *const *c;

	opterr = 0;	/* each command says what is wrong, as "seclog: ..." */
	/* the one option of seclog itself that goes with a command, as git's */
	while (argc > 1 && !strncmp(argv[1], "--color=", 8)) {
		if (!sl_color_when(argv[1] + 8)) {
			fprintf(stderr, "seclog: --color: '%s' is not auto, always or never\n",
				argv[1] + 8);
			return SL_EXIT_USAGE;
		}
		argc--;
		argv++;
	}
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
