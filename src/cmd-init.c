/* cmd-init.c - seclog init: a profile to start the loop from */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "history.h"
#include "profile.h"
#include "template.h"

static int cmd_init(int argc, char **argv);

const struct sl_cmd sl_cmd_init = {
	.name = "init",
	.summary = "Write a profile to start the loop from (a complain twin of a template)",
	.usage = "[--template NAME] [--force] -o FILE | --list",
	.help =
		"Writes the template as a complain twin, ready for the first pass: what it\n"
		"allows runs silently, everything else is logged; seclog enforce makes it\n"
		"enforce (SCMP_ACT_ERRNO, errno 1).\n"
		"Options:\n"
		"  -t, --template NAME  empty (the default) or glibc-base\n"
		"  -o, --output FILE    where to write it (- for standard output)\n"
		"  -f, --force          replace FILE if it exists (kept as FILE.bak)\n"
		"      --list           list the templates\n"
		"  -q, --quiet          no message on success\n"
		"  -h, --help           show this help\n"
		"\n"
		"Exit status: 0 success, 1 failure (FILE exists without --force, a template\n"
		"not made for this arch), 2 usage error.\n",
	.exec = cmd_init,
};

static const struct option longopts[] = {
	{ "template", required_argument, NULL, 't' },
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, 'f' },
	{ "list", no_argument, NULL, 'l' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int cmd_init(int argc, char **argv)
{
	const struct sl_cmd *cmd = &sl_cmd_init;
	const char *name = "empty", *out = NULL;
	bool force = false, list = false, quiet = false;
	char *text = NULL, *cause = NULL;
	json_t *entry;
	size_t i;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, ":t:o:fqh", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			name = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'f':
			force = true;
			break;
		case 'l':
			list = true;
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
	if (optind < argc)
		return sl_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if (list) {
		for (i = 0; sl_templates[i].name; i++)
			printf("%-12s %s\n", sl_templates[i].name, sl_templates[i].summary);
		return SL_EXIT_OK;
	}
	if (!out)
		return sl_usage_error(cmd, "-o FILE is needed (- for standard output)");
	rc = sl_template_text(name, &text, &cause);
	if (rc) {
		sl_err("template %s: %s", name, cause);
		free(cause);
		return rc == -ENOENT ? SL_EXIT_USAGE : SL_EXIT_FAIL;
	}
	if (!strcmp(out, "-")) {
		fputs(text, stdout);
		free(text);
		return SL_EXIT_OK;
	}
	if (!force && !access(out, F_OK)) {
		sl_err("%s: exists already (--force replaces it, keeping it as %s.bak)", out, out);
		free(text);
		return SL_EXIT_FAIL;
	}
	rc = sl_write_atomic(out, text, strlen(text), true, &cause);
	if (!rc) {
		entry = json_pack("{s:s, s:s}", "command", "init", "template", name);
		if (sl_history_note(out, entry, text, strlen(text), &cause)) {
			sl_warn("%s (not noted in the history)", cause);
			free(cause);
			cause = NULL;
		}
		json_decref(entry);
	}
	free(text);
	if (rc) {
		sl_err("%s: %s", out, cause);
		free(cause);
		return SL_EXIT_FAIL;
	}
	if (!quiet)
		fprintf(stderr, "seclog: %s: %s template written as a complain twin\n", out, name);
	return SL_EXIT_OK;
}
