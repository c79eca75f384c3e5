/*
 * fuzz-merge.c - the merge policy and its application to the text.
 * Input: a flag byte (bit 0 --allow-denied, bit 1 --add-arch, bits 2-5 the
 * record arches), 7 name selectors (0xff: none; else a name from a table
 * or from the profile's own rules), then the profile.  Invariants:
 *  - a merge of a valid profile succeeds, and its output parses;
 *  - every name the input lists is still listed;
 *  - every merged name is allowed after it (unless a deny rule keeps it and
 *    --allow-denied was not given); with --allow-denied no unconditional
 *    deny rule names it any more;
 *  - no name is listed by unconditional allow rules more often than before
 *    (at least once is fine: it was added);
 *  - a second merge of the same names into the output changes nothing.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "fuzz.h"
#include "merge.h"

#define HDR 8
#define MAX_NAMES 64

static const char *const table[] = {
	"read", "write", "getppid", "mount", "ptrace", "openat", "close", "personality",
	"clone", "kexec_load",
};
#define NTABLE (sizeof(table) / sizeof(table[0]))
static const char *const arch_names[] = { "x86_64", "x86", "x32", "aarch64" };

/* Every name a rule lists ("names" and the older "name"). */
static size_t rule_names(const json_t *rule, const char **out, size_t max)
{
	const json_t *v;
	size_t i, n = 0;
	const char *one = json_string_value(json_object_get(rule, "name"));

	if (one && n < max)
		out[n++] = one;
	json_array_foreach(json_object_get(rule, "names"), i, v)
		if (json_is_string(v) && n < max)
			out[n++] = json_string_value(v);
	return n;
}

static bool allow_rule(const json_t *r)
{
	return !strcmp(sl_rule_action(r), "SCMP_ACT_ALLOW") && sl_rule_unconditional(r);
}

/* How often unconditional allow rules list name; is it listed at all. */
static size_t allowed_count(const json_t *root, const char *name, bool *listed)
{
	const char *n[MAX_NAMES * 8];
	const json_t *r;
	size_t i, j, k, c = 0;

	*listed = false;
	json_array_foreach(json_object_get(root, "syscalls"), i, r) {
		k = rule_names(r, n, sizeof(n) / sizeof(n[0]));
		for (j = 0; j < k; j++) {
			if (strcmp(n[j], name))
				continue;
			*listed = true;
			c += allow_rule(r);
		}
	}
	return c;
}

static bool denied_unconditionally(const json_t *root, const char *name)
{
	const json_t *r;
	size_t i;

	json_array_foreach(json_object_get(root, "syscalls"), i, r)
		if (strcmp(sl_rule_action(r), "SCMP_ACT_ALLOW") && sl_rule_unconditional(r) &&
		    sl_rule_has_name(r, name))
			return true;
	return false;
}

static bool claimed(const json_t *root, const char *name)
{
	const json_t *r;
	size_t i;

	json_array_foreach(json_object_get(root, "syscalls"), i, r)
		if (strcmp(sl_rule_action(r), "SCMP_ACT_ALLOW") && sl_rule_has_name(r, name))
			return true;
	return false;
}

static bool bare_lf(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == '\n' && (!i || s[i - 1] != '\r'))
			return true;
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct sl_arch *arches[4];
	const char *pool[NTABLE + MAX_NAMES], *names[HDR], *in_names[MAX_NAMES];
	struct sl_merge_opts o = { 0 };
	struct sl_merge_plan plan, again;
	struct sl_profile p, q;
	char *out = NULL, *cause = NULL;
	size_t npool = NTABLE, nnames = 0, narches = 0, nin = 0, i, outlen;
	const json_t *r;
	int rc;

	if (size < HDR)
		return 0;
	if (sl_profile_parse(&p, "fuzz.json", (const char *)data + HDR, size - HDR, NULL))
		return 0;
	o.allow_denied = data[0] & 1;
	o.add_arch = data[0] & 2;
	for (i = 0; i < 4; i++)
		if (data[0] >> (2 + i) & 1 && sl_arch_by_name(arch_names[i]))
			arches[narches++] = sl_arch_by_name(arch_names[i]);
	memcpy(pool, table, sizeof(table));
	json_array_foreach(json_object_get(p.root, "syscalls"), i, r) {
		nin += rule_names(r, in_names + nin, MAX_NAMES - nin);
	}
	memcpy(pool + NTABLE, in_names, nin * sizeof(*in_names));
	npool += nin;
	for (i = 1; i < HDR; i++)
		if (data[i] != 0xff)
			names[nnames++] = pool[data[i] % npool];

	sl_merge_plan(&p, names, nnames, arches, narches, &o, &plan);
	if (sl_merge_changes(&plan)) {
		rc = sl_merge_apply(&p, &plan, &out, &outlen, &cause);
		FUZZ_CHECK(rc == 0, "merge failed: %s", cause ? cause : "?");
	} else {
		out = strdup(p.text);
		outlen = p.len;
	}
	rc = sl_profile_parse(&q, "out.json", out, outlen, &cause);
	FUZZ_CHECK(rc == 0, "the output does not parse: %s", cause ? cause : "?");
	/* a CRLF profile stays CRLF: no bare LF is added to one */
	if (memmem(p.text, p.len, "\r\n", 2) && !bare_lf(p.text, p.len))
		FUZZ_CHECK(!bare_lf(out, outlen), "a bare LF in a CRLF profile");

	for (i = 0; i < nin; i++) {
		bool listed, freed = false;
		size_t k;

		/* a name freed from its deny rules need not be listed when
		 * the default action allows it */
		for (k = 0; k < plan.nfreed; k++)
			freed |= !strcmp(plan.freed[k].name, in_names[i]);
		allowed_count(q.root, in_names[i], &listed);
		FUZZ_CHECK(listed || (freed && !strcmp(json_string_value(json_object_get(
							q.root, "defaultAction")), "SCMP_ACT_ALLOW")),
			   "%s was listed, is not any more", in_names[i]);
	}
	for (i = 0; i < npool; i++) {
		bool l1, l2;
		size_t before = allowed_count(p.root, pool[i], &l1);
		size_t after = allowed_count(q.root, pool[i], &l2);

		FUZZ_CHECK(after <= (before ? before : 1), "%s allowed %zu times, was %zu",
			   pool[i], after, before);
	}
	for (i = 0; i < nnames; i++) {
		bool listed, dflt = !strcmp(json_string_value(json_object_get(q.root,
									       "defaultAction")),
					    "SCMP_ACT_ALLOW");

		if (!o.allow_denied && claimed(p.root, names[i]))
			continue;
		FUZZ_CHECK(dflt || allowed_count(q.root, names[i], &listed),
			   "%s merged but not allowed", names[i]);
		if (o.allow_denied)
			FUZZ_CHECK(!denied_unconditionally(q.root, names[i]),
				   "%s freed but still denied", names[i]);
	}

	sl_merge_plan(&q, names, nnames, arches, narches, &o, &again);
	FUZZ_CHECK(!sl_merge_changes(&again), "a second merge adds %zu names, frees %zu%s",
		   again.nadd, again.nfreed, again.add_arches ? ", adds arches" : "");
	sl_merge_plan_free(&again);
	sl_profile_free(&q);
	sl_merge_plan_free(&plan);
	free(out);
	free(cause);
	sl_profile_free(&p);
	return 0;
}
