/* cmd-status.c - seclog status: the passes a profile went through; converged? */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "history.h"
#include "profile.h"
#include "tty.h"
#include "twin.h"

static int cmd_status(int argc, char **argv);

const struct sl_cmd sl_cmd_status = {
	.name = "status",
	.summary = "Show a profile's passes and whether the loop has converged",
	.usage = "[--passes N] [--json] PROFILE",
	.help =
		"Reads PROFILE.seclog-history, where every harvest --merge and run --merge\n"
		"notes its pass, and shows each pass, what it added per arch, and whether the\n"
		"loop has converged: the last N passes read records, added nothing, and none\n"
		"was incomplete.\n"
		"Options:\n"
		"      --passes N     passes that must add nothing (default 2)\n"
		"      --json         the history and the verdict as JSON\n"
		"  -h, --help         show this help\n"
		"\n"
		"Exit status: 0 converged, 1 not converged (or a failure), 2 usage error.\n",
	.exec = cmd_status,
};

static const struct option longopts[] = {
	{ "passes", required_argument, NULL, 'p' },
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* "x86_64: a b c; x86: d" or "-" */
static void print_added(const json_t *e)
{
	const json_t *names, *v;
	const char *arch;
	size_t i, shown = 0;
	bool first = true;

	if (!sl_history_added(e)) {
		fputs("-", stdout);
		return;
	}
	json_object_foreach((json_t *)json_object_get(e, "added"), arch, names) {
		printf("%s%s:", first ? "" : "; ", arch);
		first = false;
		json_array_foreach(names, i, v) {
			if (shown++ == 12) {
				printf(" ...");
				break;
			}
			printf(" %s", json_string_value(v));
		}
	}
}

static const char *mode_of(const char *def)
{
	if (!def)
		return "?";
	if (!strcmp(def, "SCMP_ACT_LOG"))
		return "complain";
	if (!strcmp(def, "SCMP_ACT_ALLOW"))
		return "allow";
	return "enforce";
}

static int cmd_status(int argc, char **argv)
{
	const struct sl_cmd *cmd = &sl_cmd_status;
	struct sl_convergence conv;
	struct sl_profile p;
	bool json = false, edited = false, have = false;
	const char *path, *last_hash = NULL;
	char *cause = NULL, *hash = NULL, *end;
	json_t *entries, *e;
	size_t bad, i, n = 0;
	long need = 2;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			errno = 0;
			need = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || need < 1 || need > 1000)
				return sl_usage_error(cmd, "--passes: '%s' is not a number from 1 "
						      "to 1000", optarg);
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			return sl_cmd_help(cmd);
		default:
			return sl_opt_error(cmd, longopts, c, argv);
		}
	}
	if (!(path = sl_one_operand(cmd, argc, argv, "profile")))
		return SL_EXIT_USAGE;
	rc = sl_profile_load(&p, path, &cause);
	if (rc) {
		sl_err("%s: %s", path, cause ? cause : strerror(-rc));
		free(cause);
		return SL_EXIT_FAIL;
	}
	if (sl_history_load(path, &entries, &bad, &cause)) {
		sl_err("%s", cause);
		free(cause);
		sl_profile_free(&p);
		return SL_EXIT_FAIL;
	}
	sl_history_converged(entries, (size_t)need, &conv);
	hash = sl_history_hash(p.text, p.len);
	json_array_foreach(entries, i, e)
		if (json_string_value(json_object_get(e, "hash")))
			last_hash = json_string_value(json_object_get(e, "hash"));
	/* the file is not what the last pass left: edited by hand since */
	edited = last_hash && strcmp(last_hash, hash);
	have = json_array_size(entries) > 0;

	if (json) {
		json_t *doc = json_pack("{s:s, s:s+, s:O, s:I, s:b, s:I, s:I, s:I, s:s?, s:s, s:b, "
					"s:I}",
					"profile", path, "history", path, SL_HISTORY_SUFFIX,
					"entries", entries, "passes", (json_int_t)conv.passes,
					"converged", conv.converged, "quiet_passes",
					(json_int_t)conv.quiet, "empty_passes", (json_int_t)conv.empty,
					"passes_needed", (json_int_t)need,
					"why_not", conv.converged ? NULL : conv.why, "mode",
					mode_of(json_string_value(json_object_get(p.root,
										  "defaultAction"))),
					"edited_since_last_pass", edited, "bad_lines",
					(json_int_t)bad);

		json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(doc);
	} else {
		printf("%s: %zu pass%s", path, conv.passes, conv.passes == 1 ? "" : "es");
		if (!have)
			printf(" (no history: %s%s does not exist yet)", path, SL_HISTORY_SUFFIX);
		putchar('\n');
		json_array_foreach(entries, i, e) {
			const char *what = json_string_value(json_object_get(e, "command"));

			if (!sl_history_is_pass(e)) {
				printf("      %s  %s",
				       json_string_value(json_object_get(e, "time")) ?: "?",
				       what ? what : "?");
				if (json_object_get(e, "template"))
					printf(" (template %s)",
					       json_string_value(json_object_get(e, "template")));
				if (json_object_get(e, "dropped"))
					printf(": dropped %zu, kept %" JSON_INTEGER_FORMAT " (%"
					       JSON_INTEGER_FORMAT " trials)",
					       json_array_size(json_object_get(e, "dropped")),
					       json_integer_value(json_object_get(e, "kept")),
					       json_integer_value(json_object_get(e, "trials")));
				putchar('\n');
				continue;
			}
			n++;
			printf("%5zu %s  %-7s %8" JSON_INTEGER_FORMAT " records  ", n,
			       json_string_value(json_object_get(e, "time")) ?: "?", what,
			       json_integer_value(json_object_get(e, "matched")));
			printf("added %3zu  ", sl_history_added(e));
			print_added(e);
			if (json_is_true(json_object_get(e, "incomplete")))
				printf("  INCOMPLETE");
			putchar('\n');
		}
		if (bad)
			printf("(%zu line%s of the history could not be read)\n", bad,
			       bad == 1 ? "" : "s");
		if (edited)
			printf("The profile was changed since the last pass (by hand?).\n");
		if (conv.converged)
			printf("%sconverged%s: the last %ld passes added nothing and none was "
			       "incomplete\n", sl_color(stdout, SL_SGR_BOLD_GREEN),
			       sl_color(stdout, SL_SGR_RESET), need);
		else
			printf("%snot converged%s: %s (%zu of %ld quiet passes)\n",
			       sl_color(stdout, SL_SGR_BOLD_YELLOW), sl_color(stdout, SL_SGR_RESET),
			       conv.why, conv.quiet, need);
		if (conv.empty)
			printf("note: %zu of the last quiet passes were harvests that matched no "
			       "record: that is what a converged complain twin gives when the "
			       "workload ran, and what a wrong log or filter gives too\n",
			       conv.empty);
		if (sl_twin_is_complain(&p))
			printf("mode: complain twin%s\n", conv.converged ?
			       "; `seclog enforce` makes it enforce" : "");
		else
			printf("mode: %s (defaultAction %s)\n",
			       mode_of(json_string_value(json_object_get(p.root, "defaultAction"))),
			       json_string_value(json_object_get(p.root, "defaultAction")) ?: "?");
	}
	free(hash);
	json_decref(entries);
	sl_profile_free(&p);
	return conv.converged ? SL_EXIT_OK : SL_EXIT_FAIL;
}
