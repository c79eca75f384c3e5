/* cmd-enforce.c - seclog enforce: a complain twin made enforcing again */
#include "config.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "rewrite.h"
#include "twin.h"

static int cmd_enforce(int argc, char **argv);

const struct sl_cmd sl_cmd_enforce = {
	.name = "enforce",
	.summary = "Make a complain twin enforce again (the way back from seclog complain)",
	.usage = "[-o FILE] [--default-action ACTION] [--dry-run] [-q] PROFILE",
	.help =
		"Puts back the default action (and rule actions) the twin's \"seclog\" record\n"
		"holds and removes the record: enforce after complain gives the original\n"
		"bytes back. A profile without the record gets SCMP_ACT_ERRNO with\n"
		"defaultErrnoRet 1 if its default does not deny already. Writes PROFILE in\n"
		"place (the old one kept as PROFILE.bak) unless -o is given.\n"
		"Options:\n"
		"  -o, --output FILE  write the result to FILE (- for standard output)\n"
		"      --default-action ACTION\n"
		"                     enforce with ACTION (SCMP_ACT_ERRNO, SCMP_ACT_KILL_PROCESS,\n"
		"                     SCMP_ACT_KILL_THREAD, SCMP_ACT_KILL, SCMP_ACT_TRAP)\n"
		"                     instead of the recorded one\n"
		"  -n, --dry-run      show the change as a unified diff, write nothing\n"
		"  -q, --quiet        no message on success\n"
		"  -h, --help         show this help\n"
		"\n"
		"Exit status: 0 success, 1 failure, 2 usage error.\n",
	.exec = cmd_enforce,
};

static const struct option longopts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "default-action", required_argument, NULL, 'D' },
	{ "dry-run", no_argument, NULL, 'n' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int edit(const struct sl_profile *p, void *arg, char **out, size_t *outlen,
		struct sl_jedits *edits, char **cause)
{
	return sl_twin_enforce(p, arg, out, outlen, edits, cause);
}

static int cmd_enforce(int argc, char **argv)
{
	const struct sl_cmd *cmd = &sl_cmd_enforce;
	struct sl_rewrite_opts ro = { 0 };
	const char *action = NULL;
	const char *path;
	bool quiet = false;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, ":o:nqh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			ro.output = optarg;
			break;
		case 'D':
			if (!sl_twin_enforcing_action(optarg))
				return sl_usage_error(cmd, "--default-action: '%s' is not a deny "
						      "action", optarg);
			action = optarg;
			break;
		case 'n':
			ro.dry_run = true;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			return sl_cmd_help(cmd);
		default:
			return sl_opt_error(cmd, longopts, c, argv);
		}
	}
	if (!(path = sl_one_operand(cmd, argc, argv, "profile")))
		return SL_EXIT_USAGE;
	ro.history = json_pack("{s:s}", "command", "enforce");
	rc = sl_report_rewrite(path, &ro, edit, (void *)action, quiet,
				 "enforcing profile");
	json_decref(ro.history);
	return rc;
}
