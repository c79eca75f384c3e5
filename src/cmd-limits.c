/* cmd-limits.c - seclog limits status|lift|restore */
#include "config.h"

#include <getopt.h>
#include <stdbool.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "host-limits.h"
#include "limits-state.h"

static int cmd_limits(int argc, char **argv);

const struct sl_cmd sl_cmd_limits = {
	.name = "limits",
	.summary = "Show, lift and restore the settings that drop SECCOMP records",
	.usage = "[status] [--json] | lift [--state FILE] [-q] | restore [--state FILE] [-q]",
	.help =
		"Subcommands:\n"
		"  status             every setting that can drop or hide a record, its value,\n"
		"                     whether it is a problem, and what lift would set\n"
		"                     (the default)\n"
		"  lift               set them to values that drop nothing; the previous\n"
		"                     values are saved first in the state file\n"
		"  restore            put back exactly the saved values; remove the state file,\n"
		"                     even while a running harvest still holds it\n"
		"Options:\n"
		"      --state FILE   the state file (default " SL_LIMITS_STATE ")\n"
		"      --json         status as JSON\n"
		"  -q, --quiet        no message on success\n"
		"  -h, --help         show this help\n"
		"\n"
		"Exit status: 0 success, 1 failure (e.g. not root), 2 usage error.\n",
	.exec = cmd_limits,
};

static const struct option longopts[] = {
	{ "state", required_argument, NULL, 's' },
	{ "json", no_argument, NULL, 'j' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Say who keeps them lifted, when seclog did and this user may know. */
static void print_held(const char *state)
{
	struct sl_holder *held;
	char pids[160];
	size_t n;
	bool manual;

	if (sl_limits_held(state, &manual, &held, &n, NULL))
		return;
	sl_pid_list(pids, sizeof(pids), held, n);
	printf("\nseclog lifted these limits (%s): ", state);
	if (manual)
		printf("by 'seclog limits lift'%s", n ? ", and " : "");
	if (n)
		printf("for seclog harvest --lift-limits, %s", pids);
	if (!manual && !n)
		printf("for a seclog that is gone");
	printf("; 'seclog limits restore' puts them back\n");
	free(held);
}

static int status(const char *state, bool json)
{
	struct sl_limit *v;
	size_t n, i;

	sl_limits_status(&v, &n);
	if (json) {
		json_t *arr = json_array();

		for (i = 0; i < n; i++) {
			json_t *o = json_pack("{s:s,s:o,s:b,s:o,s:s}", "name", v[i].name, "value",
					      v[i].value[0] ? json_string(v[i].value) : json_null(),
					      "problem", v[i].problem, "lift_to",
					      v[i].lifted[0] ? json_string(v[i].lifted) : json_null(),
					      "note", v[i].note);

			if (v[i].error[0])
				json_object_set_new(o, "error", json_string(v[i].error));
			json_array_append_new(arr, o);
		}
		json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(arr);
	} else {
		printf("%-34s %-8s %-8s %s\n", "SETTING", "STATE", "LIFT TO", "VALUE");
		for (i = 0; i < n; i++)
			printf("%-34s %-8s %-8s %s\n", v[i].name,
			       v[i].error[0] ? "unknown" : v[i].problem ? "PROBLEM" : "ok",
			       v[i].error[0] ? "?" : v[i].lifted[0] ? v[i].lifted :
			       v[i].liftable ? "-" : "n/a",
			       v[i].value[0] ? v[i].value : "?");
		for (i = 0; i < n; i++)
			if (v[i].error[0])
				fprintf(stderr, "seclog: %s: %s\n", v[i].name, v[i].error);
		print_held(state);
	}
	free(v);
	return SL_EXIT_OK;
}

static int lift(const char *state, bool quiet)
{
	char *cause = NULL;
	bool saved;

	if (sl_limits_lift(state, 0, &saved, &cause)) {
		sl_err("limits lift: %s", cause);
		free(cause);
		return SL_EXIT_FAIL;
	}
	if (!quiet)
		fprintf(stderr, saved ? "seclog: limits lifted; previous values saved in %s "
			"('seclog limits restore' puts them back)\n" :
			"seclog: limits lifted; %s already held the original values, kept as "
			"they were\n", state);
	return SL_EXIT_OK;
}

static int restore(const char *state, bool quiet)
{
	struct sl_holder *held;
	char *cause = NULL, pids[160];
	size_t nheld;
	bool had;
	int rc;

	rc = sl_limits_restore(state, &had, &held, &nheld, &cause);
	if (nheld) {
		/* restored all the same: the user asked, and knows best */
		sl_pid_list(pids, sizeof(pids), held, nheld);
		sl_warn("%s (seclog harvest --lift-limits) still held the limits lifted; %s "
			"now with the limits in place and may lose records", pids,
			nheld == 1 ? "it runs" : "they run");
	}
	free(held);
	if (rc) {
		sl_err("limits restore: %s", cause);
		free(cause);
		return SL_EXIT_FAIL;
	}
	if (!quiet)
		fprintf(stderr, had ? "seclog: limits restored from %s\n" :
				      "seclog: nothing to restore (no %s)\n", state);
	return SL_EXIT_OK;
}

static int cmd_limits(int argc, char **argv)
{
	const struct sl_cmd *cmd = &sl_cmd_limits;
	const char *state = SL_LIMITS_STATE, *sub;
	bool json = false, quiet = false;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, ":qh", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			state = optarg;
			break;
		case 'j':
			json = true;
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
	if (optind < argc - 1)
		return sl_usage_error(cmd, "one subcommand at a time");
	/* a bare `seclog limits` asks what they are */
	sub = optind < argc ? argv[optind] : "status";
	if (!strcmp(sub, "status"))
		return status(state, json);
	if (json)
		return sl_usage_error(cmd, "--json goes with status");
	if (!strcmp(sub, "lift"))
		return lift(state, quiet);
	if (!strcmp(sub, "restore"))
		return restore(state, quiet);
	return sl_usage_error(cmd, "'%s' is not a limits subcommand (status, lift or restore)",
			      sub);
}
