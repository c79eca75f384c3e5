/* cmd-diff.c - seclog diff: what two profiles allow differently */
#include "config.h"

#include <getopt.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "compare.h"
#include "policy.h"
#include "profile.h"
#include "tty.h"

static int cmd_diff(int argc, char **argv);

const struct sl_cmd sl_cmd_diff = {
	.name = "diff",
	.summary = "Show what two profiles allow differently",
	.usage = "[--json] OLD NEW",
	.help =
		"Compares what the two profiles do with each syscall, on each arch a runtime\n"
		"on this host loads, ignoring formatting, order and repetition: the default\n"
		"action, arches only one of them covers, and each name allowed in NEW only\n"
		"(+), in OLD only (-), or treated otherwise (~: another action or errno,\n"
		"other argument or capability conditions), grouped by the arches where that\n"
		"holds.  Prints nothing when they allow the same.  Either profile may be -,\n"
		"standard input.\n"
		"Options:\n"
		"      --json         the differences as one JSON document\n"
		"  -h, --help         show this help\n"
		"\n"
		"Exit status: 0 no difference, 1 differences, 2 usage error or a profile that\n"
		"cannot be read.\n",
	.exec = cmd_diff,
};

static const struct option longopts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static json_t *treat_json(const struct sl_treat *t)
{
	json_t *o = json_object();
	char *text = sl_treat_text(t);

	json_object_set_new(o, "action", json_string(t->action));
	if (t->errno_ret >= 0)
		json_object_set_new(o, "errnoRet", json_integer(t->errno_ret));
	json_object_set_new(o, "condition", t->cond ? json_string(t->cond) : json_null());
	json_object_set_new(o, "default", json_boolean(t->rule == SIZE_MAX));
	json_object_set_new(o, "text", json_string(text));
	free(text);
	return o;
}

static json_t *treats_json(const struct sl_treat *const *t, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, treat_json(t[i]));
	return a;
}

static json_t *arches_json(const struct sl_arch *const *a, size_t n)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(arr, json_string(a[i]->name));
	return arr;
}

static void print_json(const struct sl_compare *c, const char *oldp, const char *newp)
{
	json_t *doc = json_object(), *changes = json_array();
	size_t i, j;

	json_object_set_new(doc, "old", json_string(oldp));
	json_object_set_new(doc, "new", json_string(newp));
	json_object_set_new(doc, "differ", json_boolean(sl_compare_differ(c)));
	json_object_set_new(doc, "default",
			    json_pack("{s:o,s:o,s:b}", "old", treat_json(&c->old->def), "new",
				      treat_json(&c->new->def), "changed", c->default_changed));
	json_object_set_new(doc, "complain",
			    json_pack("{s:b,s:b,s:o}", "old", c->old->complain, "new",
				      c->new->complain, "twin",
				      c->new_is_twin ? json_string("new") :
				      c->old_is_twin ? json_string("old") : json_null()));
	json_object_set_new(doc, "arches",
			    json_pack("{s:o,s:o,s:o,s:o}", "old",
				      arches_json(c->old->arches, c->old->narches), "new",
				      arches_json(c->new->arches, c->new->narches), "added",
				      arches_json(c->added, c->nadded), "removed",
				      arches_json(c->removed, c->nremoved)));
	for (i = 0; i < c->nch; i++) {
		const struct sl_change *ch = &c->ch[i];
		json_t *arches = json_array();

		for (j = 0; j < c->ncommon; j++)
			if (ch->mask & (1u << j))
				json_array_append_new(arches, json_string(c->common[j]->name));
		json_array_append_new(changes,
				      json_pack("{s:s,s:s,s:o,s:o,s:o}", "name", ch->name, "change",
						sl_change_kind_name(ch->kind), "arches", arches,
						"old", treats_json(ch->old, ch->nold), "new",
						treats_json(ch->new, ch->nnew)));
	}
	json_object_set_new(doc, "changes", changes);
	json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putchar('\n');
	json_decref(doc);
}

static void print_treats(const struct sl_treat *const *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char *s = sl_treat_text(t[i]);

		printf("%s%s", i ? "; " : "", s);
		free(s);
	}
}

static void print_arches(const char *what, const struct sl_arch *const *a, size_t n)
{
	size_t i;

	if (!n)
		return;
	printf("%s%s:%s", sl_color(stdout, SL_SGR_BOLD), what, sl_color(stdout, SL_SGR_RESET));
	for (i = 0; i < n; i++)
		printf("%s %s", i ? "," : "", a[i]->name);
	putchar('\n');
}

static void print_text(const struct sl_compare *c)
{
	static const char sign[] = { '+', '-', '~', '~' };
	/* as git's diff: added green, removed red; a changed treatment yellow */
	static const char *const sgr[] = { SL_SGR_GREEN, SL_SGR_RED, SL_SGR_YELLOW,
					   SL_SGR_YELLOW };
	const char *reset = sl_color(stdout, SL_SGR_RESET);
	size_t i;

	if (c->default_changed) {
		char *o = sl_treat_text(&c->old->def), *n = sl_treat_text(&c->new->def);

		printf("%sdefault action:%s %s -> %s", sl_color(stdout, SL_SGR_BOLD), reset, o + 8,
		       n + 8);
		if (c->new_is_twin)
			printf(" (NEW is the complain twin of OLD: seclog enforce makes OLD's back)");
		else if (c->old_is_twin)
			printf(" (OLD is the complain twin of NEW)");
		putchar('\n');
		free(o);
		free(n);
	}
	print_arches("arches in OLD only", c->removed, c->nremoved);
	print_arches("arches in NEW only", c->added, c->nadded);
	for (i = 0; i < c->nch; i++) {
		const struct sl_change *ch = &c->ch[i];

		if (!i || ch->mask != c->ch[i - 1].mask) {
			char *l = sl_compare_arch_list(c, ch->mask);

			printf("%son %s:%s\n", sl_color(stdout, SL_SGR_BOLD), l, reset);
			free(l);
		}
		printf("  %s%c %s%s: ", sl_color(stdout, sgr[ch->kind]), sign[ch->kind], ch->name,
		       reset);
		print_treats(ch->new, ch->nnew);
		printf(" (was ");
		print_treats(ch->old, ch->nold);
		printf(")\n");
	}
}

static int cmd_diff(int argc, char **argv)
{
	const struct sl_cmd *cmd = &sl_cmd_diff;
	struct sl_profile po, pn;
	struct sl_policy o, n;
	struct sl_compare c;
	const char *oldp, *newp;
	char *cause = NULL;
	bool json = false, differ;
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			json = true;
			break;
		case 'h':
			return sl_cmd_help(cmd);
		default:
			return sl_opt_error(cmd, longopts, ch, argv);
		}
	}
	if (argc - optind < 2)
		return sl_usage_error(cmd, "two profiles to compare are needed, OLD and NEW");
	if (argc - optind > 2)
		return sl_usage_error(cmd, "unexpected argument '%s'", argv[optind + 2]);
	if (!strcmp(argv[optind], "-") && !strcmp(argv[optind + 1], "-"))
		return sl_usage_error(cmd, "standard input (-) can be OLD or NEW, not both");
	oldp = strcmp(argv[optind], "-") ? argv[optind] : "<stdin>";
	newp = strcmp(argv[optind + 1], "-") ? argv[optind + 1] : "<stdin>";
	if (sl_policy_load(&po, argv[optind], &cause)) {
		sl_err("%s: %s", oldp, cause);
		free(cause);
		return SL_EXIT_USAGE;
	}
	if (sl_policy_load(&pn, argv[optind + 1], &cause)) {
		sl_err("%s: %s", newp, cause);
		free(cause);
		sl_profile_free(&po);
		return SL_EXIT_USAGE;
	}
	sl_policy_build(&o, &po);
	sl_policy_build(&n, &pn);
	sl_compare(&c, &o, &n);
	differ = sl_compare_differ(&c);
	if (json)
		print_json(&c, oldp, newp);
	else
		print_text(&c);
	sl_compare_free(&c);
	sl_policy_free(&o);
	sl_policy_free(&n);
	sl_profile_free(&po);
	sl_profile_free(&pn);
	return differ ? SL_EXIT_FAIL : SL_EXIT_OK;
}
