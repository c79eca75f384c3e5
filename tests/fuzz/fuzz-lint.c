/*
 * fuzz-lint.c - a profile's meaning (policy.c), compared (compare.c) and
 * linted (lint.c).  Invariants: every name the rules list has a treatment
 * with a text; a profile never differs from itself, nor from its own
 * jansson dump with keys sorted and every "names" list reversed (meaning,
 * not text); every finding has a kind, a level and a message, and the
 * counts add up.
 */
#include "config.h"

#include <jansson.h>
#include <string.h>

#include "compare.h"
#include "fuzz.h"
#include "lint.h"
#include "policy.h"
#include "profile.h"

static void check_policy(const struct sl_policy *pol)
{
	const struct sl_treat *t[64];
	size_t i, j, n;

	FUZZ_CHECK(pol->narches >= 1 && pol->narches <= SL_POLICY_MAXARCH, "%zu arches",
		   pol->narches);
	for (i = 0; i < pol->nnames; i++) {
		const struct sl_pname *pn = &pol->names[i];

		FUZZ_CHECK(pn->nt >= 1, "%s: no rule", pn->name);
		FUZZ_CHECK(!i || strcmp(pol->names[i - 1].name, pn->name) < 0, "order");
		FUZZ_CHECK(sl_policy_find(pol, pn->name) == pn, "find %s", pn->name);
		FUZZ_CHECK(pol->narches >= 32 || !(pn->known >> pol->narches), "known bits");
		n = sl_policy_treatment(pol, pn, t, 64);
		FUZZ_CHECK(n >= 1, "%s: no treatment", pn->name);
		for (j = 0; j < n; j++) {
			char *s = sl_treat_text(t[j]);

			FUZZ_CHECK(s && *s, "treatment text");
			free(s);
			FUZZ_CHECK(!j || sl_treat_cmp(t[j - 1], t[j]) < 0 ||
					   t[j]->rule == SIZE_MAX, "treatments sorted, distinct");
		}
	}
}

static void same(const struct sl_policy *a, const struct sl_policy *b, const char *what)
{
	struct sl_compare c;

	sl_compare(&c, a, b);
	FUZZ_CHECK(!sl_compare_differ(&c), "differs from %s (%zu names, default %d)", what,
		   c.nch, c.default_changed);
	sl_compare_free(&c);
}

/* The same profile, written otherwise: keys sorted, names reversed. */
static char *rewritten(const struct sl_profile *p)
{
	json_t *root = json_deep_copy(p->root), *rule, *names;
	size_t i, j, n;
	char *text;

	json_array_foreach(json_object_get(root, "syscalls"), i, rule) {
		names = json_object_get(rule, "names");
		n = json_array_size(names);
		for (j = 0; j < n / 2; j++) {
			json_t *x = json_incref(json_array_get(names, j));

			json_array_set(names, j, json_array_get(names, n - 1 - j));
			json_array_set_new(names, n - 1 - j, x);
		}
	}
	text = json_dumps(root, JSON_SORT_KEYS | JSON_INDENT(1));
	json_decref(root);
	return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sl_profile p, q;
	struct sl_policy pol, qol;
	struct sl_lint l;
	char *cause = NULL, *text;
	size_t i, sum = 0;

	if (sl_profile_parse(&p, "fuzz.json", (const char *)data, size, &cause)) {
		free(cause);
		return 0;
	}
	sl_policy_build(&pol, &p);
	check_policy(&pol);
	same(&pol, &pol, "itself");
	text = rewritten(&p);
	FUZZ_CHECK(text, "dump");
	FUZZ_CHECK(!sl_profile_parse(&q, "fuzz2.json", text, strlen(text), &cause),
		   "its dump is refused: %s", cause);
	sl_policy_build(&qol, &q);
	same(&pol, &qol, "its dump");
	same(&qol, &pol, "its dump (reversed)");
	sl_policy_free(&qol);
	sl_profile_free(&q);
	free(text);

	sl_lint(&p, &l);
	for (i = 0; i < l.n; i++) {
		FUZZ_CHECK(l.f[i].kind && *l.f[i].kind, "kind");
		FUZZ_CHECK(l.f[i].message && *l.f[i].message, "message");
		FUZZ_CHECK(l.f[i].level <= SL_LEVEL_ERROR, "level");
		FUZZ_CHECK(!i || l.f[i - 1].line <= l.f[i].line, "sorted");
	}
	for (i = 0; i < 3; i++)
		sum += l.count[i];
	FUZZ_CHECK(sum == l.n, "counts %zu of %zu", sum, l.n);
	sl_lint_free(&l);
	sl_policy_free(&pol);
	sl_profile_free(&p);
	return 0;
}
