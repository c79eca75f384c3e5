/* cmd-complain.c - seclog complain: the complain twin of an enforcing profile */
#include "config.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "rewrite.h"
#include "twin.h"

static int cmd_complain(int argc, char **argv);

const struct sl_cmd sl_cmd_complain = {
	.name = "complain",
	.summary = "Make a profile log what it would deny by default (its complain twin)",
	.usage = "[-o FILE] [--log-denied] [--dry-run] [-q] PROFILE",
	.help =
		"Sets defaultAction to SCMP_ACT_LOG; what the profile allows stays allowed as\n"
		"written, its deny rules stay (--log-denied: they log too). The enforcing\n"
		"default is recorded in a top-level \"seclog\" member, so that seclog enforce\n"
		"gives the profile back byte for byte. Writes PROFILE in place (the old one\n"
		"kept as PROFILE.bak) unless -o is given.\n"
		"Options:\n"
		"  -o, --output FILE  write the twin to FILE (- for standard output)\n"
		"      --log-denied   deny rules (ERRNO, KILL, TRAP) log too\n"
		"  -n, --dry-run      show the change as a unified diff, write nothing\n"
		"  -q, --quiet        no message on success\n"
		"  -h, --help         show this help\n"
		"\n"
		"Exit status: 0 success, 1 failure (a profile already in complain mode, or\n"
		"one whose default does not deny), 2 usage error.\n",
	.exec = cmd_complain,
};

static const struct option longopts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "log-denied", no_argument, NULL, 'L' },
	{ "dry-run", no_argument, NULL, 'n' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int edit(const struct sl_profile *p, void *arg, char **out, size_t *outlen,
		struct sl_jedits *edits, char **cause)
{
	return sl_twin_complain(p, arg, out, outlen, edits, cause);
}

static int cmd_complain(int argc, char **argv)
{
	const struct sl_cmd *cmd = &sl_cmd_complain;
	struct sl_twin_opts to = { 0 };
	struct sl_rewrite_opts ro = { 0 };
	const char *path;
	bool quiet = false;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, ":o:nqh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			ro.output = optarg;
			break;
		case 'L':
			to.log_denied = true;
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
	ro.history = json_pack("{s:s}", "command", "complain");
	rc = sl_report_rewrite(path, &ro, edit, &to, quiet, "complain twin");
	json_decref(ro.history);
	return rc;
}
