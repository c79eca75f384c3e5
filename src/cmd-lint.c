/* cmd-lint.c - seclog lint: known problems of a profile */
#include "config.h"

#include <getopt.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "lint.h"
#include "policy.h"
#include "profile.h"
#include "tty.h"

static int cmd_lint(int argc, char **argv);

const struct sl_cmd sl_cmd_lint = {
	.name = "lint",
	.summary = "Report known problems of a profile",
	.usage = "[--json] [--strict] PROFILE",
	.help =
		"Reports, as errors, warnings and notes with the line they concern: names no\n"
		"arch of the profile knows (with the nearest known name), names listed twice,\n"
		"a name both allowed and denied unconditionally, a default action that\n"
		"enforces nothing, unconditional allows of syscalls that let a process out\n"
		"of its container or widen the kernel's attack surface (each with the\n"
		"reason), personality, clone and clone3 allowed without the conditions\n"
		"Docker sets, and arches a multi-arch host runs that the profile leaves out.\n"
		"PROFILE - reads standard input.\n"
		"Options:\n"
		"      --json         the findings as one JSON document\n"
		"      --strict       exit 1 on warnings too\n"
		"  -h, --help         show this help\n"
		"\n"
		"Exit status: 0 no error (with --strict: no error or warning), 1 an error (or\n"
		"with --strict a warning), 2 usage error or a profile that cannot be read.\n",
	.exec = cmd_lint,
};

enum { OPT_JSON = 256, OPT_STRICT };

static const struct option longopts[] = {
	{ "json", no_argument, NULL, OPT_JSON },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void print_json(const struct sl_lint *l, const char *path, bool ok)
{
	json_t *doc = json_object(), *arr = json_array();
	size_t i;

	for (i = 0; i < l->n; i++) {
		const struct sl_finding *f = &l->f[i];

		json_array_append_new(arr, json_pack("{s:s,s:s,s:o,s:o,s:o,s:s}", "level",
						     sl_level_name(f->level), "kind", f->kind,
						     "name", f->name ? json_string(f->name) :
								       json_null(),
						     "line", f->line ? json_integer((json_int_t)f->line) :
								       json_null(),
						     "column", f->col ? json_integer((json_int_t)f->col) :
									json_null(),
						     "message", f->message));
	}
	json_object_set_new(doc, "profile", json_string(path));
	json_object_set_new(doc, "findings", arr);
	json_object_set_new(doc, "errors", json_integer((json_int_t)l->count[SL_LEVEL_ERROR]));
	json_object_set_new(doc, "warnings",
			    json_integer((json_int_t)l->count[SL_LEVEL_WARNING]));
	json_object_set_new(doc, "notes", json_integer((json_int_t)l->count[SL_LEVEL_NOTE]));
	json_object_set_new(doc, "ok", json_boolean(ok));
	json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putchar('\n');
	json_decref(doc);
}

static void print_text(const struct sl_lint *l, const char *path)
{
	static const char *const sgr[] = { [SL_LEVEL_NOTE] = SL_SGR_BOLD_CYAN,
					   [SL_LEVEL_WARNING] = SL_SGR_BOLD_YELLOW,
					   [SL_LEVEL_ERROR] = SL_SGR_BOLD_RED };
	size_t i;

	for (i = 0; i < l->n; i++) {
		const struct sl_finding *f = &l->f[i];

		if (f->line)
			printf("%s:%zu:%zu: ", path, f->line, f->col);
		else
			printf("%s: ", path);
		/* as gcc: error bold red, warning bold yellow, note bold cyan */
		printf("%s%s:%s %s [%s]\n", sl_color(stdout, sgr[f->level]),
		       sl_level_name(f->level), sl_color(stdout, SL_SGR_RESET), f->message, f->kind);
	}
	printf("%zu error%s, %zu warning%s, %zu note%s\n", l->count[SL_LEVEL_ERROR],
	       l->count[SL_LEVEL_ERROR] == 1 ? "" : "s", l->count[SL_LEVEL_WARNING],
	       l->count[SL_LEVEL_WARNING] == 1 ? "" : "s", l->count[SL_LEVEL_NOTE],
	       l->count[SL_LEVEL_NOTE] == 1 ? "" : "s");
}

static int cmd_lint(int argc, char **argv)
{
	const struct sl_cmd *cmd = &sl_cmd_lint;
	bool json = false, strict = false, ok;
	struct sl_profile p;
	struct sl_lint l;
	const char *path;
	char *cause = NULL;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_JSON:
			json = true;
			break;
		case OPT_STRICT:
			strict = true;
			break;
		case 'h':
			return sl_cmd_help(cmd);
		default:
			return sl_opt_error(cmd, longopts, c, argv);
		}
	}
	if (!(path = sl_one_operand(cmd, argc, argv, "profile")))
		return SL_EXIT_USAGE;
	if (sl_policy_load(&p, path, &cause)) {
		sl_err("%s: %s", strcmp(path, "-") ? path : "<stdin>", cause);
		free(cause);
		return SL_EXIT_USAGE;
	}
	if (!strcmp(path, "-"))
		path = "<stdin>";
	sl_lint(&p, &l);
	ok = !l.count[SL_LEVEL_ERROR] && !(strict && l.count[SL_LEVEL_WARNING]);
	if (json)
		print_json(&l, path, ok);
	else
		print_text(&l, path);
	sl_lint_free(&l);
	sl_profile_free(&p);
	return ok ? SL_EXIT_OK : SL_EXIT_FAIL;
}
