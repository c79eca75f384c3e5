/* cmd-doctor.c - seclog doctor: will a harvest see every record? */
#include "config.h"

#include <getopt.h>
#include <stdbool.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "doctor.h"

static int cmd_doctor(int argc, char **argv);

const struct sl_cmd sl_cmd_doctor = {
	.name = "doctor",
	.summary = "Check that a complain-mode run's records will all reach a log",
	.usage = "[--json]",
	.help =
		"Checks the kernel's SECCOMP_RET_LOG support and actions_logged, audit=0,\n"
		"audit exclude rules, where records land on this host, whether the sources a\n"
		"harvest reads (the same list seclog harvest opens) keep every record and\n"
		"can be read, and every rate limit (see seclog limits status); says how to\n"
		"fix each problem.\n"
		"Options:\n"
		"      --json         the checks as JSON\n"
		"  -h, --help         show this help\n"
		"\n"
		"Exit status: 0 a harvest will see every record, 1 otherwise (a problem, or a\n"
		"check that could not be made, e.g. when not root), 2 usage error.\n",
	.exec = cmd_doctor,
};

static const struct option longopts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int cmd_doctor(int argc, char **argv)
{
	const struct sl_cmd *cmd = &sl_cmd_doctor;
	struct sl_check *v;
	bool json = false, bad = false;
	size_t n, i;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'h':
			return sl_cmd_help(cmd);
		default:
			return sl_opt_error(cmd, longopts, c, argv);
		}
	}
	if (optind < argc)
		return sl_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	sl_doctor_run(&v, &n);
	for (i = 0; i < n; i++)
		if (v[i].verdict == SL_PROBLEM || v[i].verdict == SL_UNKNOWN)
			bad = true;
	if (json) {
		json_t *arr = json_array();

		for (i = 0; i < n; i++)
			json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:o}", "check", v[i].name,
							     "status", sl_verdict_name(v[i].verdict),
							     "detail", v[i].detail, "fix",
							     v[i].fix[0] ? json_string(v[i].fix) :
									   json_null()));
		json_t *doc = json_pack("{s:o,s:b}", "checks", arr, "ok", !bad);

		json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(doc);
	} else {
		for (i = 0; i < n; i++) {
			printf("%-8s %-22s %s\n", sl_verdict_name(v[i].verdict), v[i].name,
			       v[i].detail);
			if (v[i].fix[0])
				printf("%-8s %-22s fix: %s\n", "", "", v[i].fix);
		}
		printf("\n%s\n", bad ? "Records may be lost: fix the problems above." :
				       "A harvest will see every record.");
	}
	free(v);
	return bad ? SL_EXIT_FAIL : SL_EXIT_OK;
}
