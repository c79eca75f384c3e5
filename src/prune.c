/*
 * prune.c - removing allowed names from a profile's text.  Like the merge
 * (merge.c) it edits the text, not the tree, so what it does not touch
 * keeps its bytes: order, spacing, comments, unknown members.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "prune.h"

static bool allows(const json_t *rule, const struct sl_scope *scope)
{
	const char *a = sl_rule_action(rule);

	return a && !strcmp(a, "SCMP_ACT_ALLOW") && (!scope || sl_scope_applies(rule, scope));
}

static bool listed(const char *const *names, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return true;
	return false;
}

void sl_prune_names(const struct sl_profile *p, const struct sl_scope *scope, const char ***names,
		    size_t *n)
{
	const json_t *rule, *v;
	const char **out = NULL;
	size_t i, j, k = 0;

	json_array_foreach(json_object_get(p->root, "syscalls"), i, rule) {
		const char *one = json_string_value(json_object_get(rule, "name"));

		if (!allows(rule, scope))
			continue;
		if (one && !listed(out, k, one)) {
			out = sl_xrealloc(out, (k + 1) * sizeof(*out));
			out[k++] = one;
		}
		json_array_foreach(json_object_get(rule, "names"), j, v) {
			const char *s = json_string_value(v);

			if (s && !listed(out, k, s)) {
				out = sl_xrealloc(out, (k + 1) * sizeof(*out));
				out[k++] = s;
			}
		}
	}
	*names = out;
	*n = k;
}

/* Is name one of the names to drop? */
static bool goes(const char *const *names, size_t n, const bool *drop, const char *name)
{
	size_t i;

	if (!name)
		return false;
	for (i = 0; i < n; i++)
		if (drop[i] && !strcmp(names[i], name))
			return true;
	return false;
}

int sl_prune(const struct sl_profile *p, const struct sl_scope *scope, const char *const *names,
	     size_t n, const bool *drop, char **out, size_t *len, char **cause)
{
	const json_t *calls = json_object_get(p->root, "syscalls"), *rule;
	const struct sl_jnode *sn = sl_jnode_member(&p->jt, &p->jt.root, "syscalls");
	struct sl_jedits e = { 0 };
	struct sl_profile check;
	bool *drop_rule, any = false;
	size_t r, i;
	int rc;

	*out = NULL;
	if (!sn || sn->type != '[' || sn->nkids != json_array_size(calls)) {
		/* nothing allowed by name: nothing to remove */
		*out = sl_xmalloc(p->len + 1);
		memcpy(*out, p->text, p->len);
		(*out)[p->len] = '\0';
		*len = p->len;
		return 0;
	}
	drop_rule = sl_xcalloc(sn->nkids + 1, sizeof(bool));
	json_array_foreach(calls, r, rule) {
		const json_t *arr = json_object_get(rule, "names");
		const char *one = json_string_value(json_object_get(rule, "name"));
		const struct sl_jnode *rn = &sn->kids[r];
		const struct sl_jnode *nn = sl_jnode_member(&p->jt, rn, "names");
		const struct sl_jnode *on = sl_jnode_member(&p->jt, rn, "name");
		size_t na = json_array_size(arr), left = 0;
		bool *d, hit = false, one_goes;

		if (!allows(rule, scope))
			continue;
		one_goes = goes(names, n, drop, one);
		d = sl_xcalloc(na + 1, sizeof(bool));
		for (i = 0; i < na; i++) {
			const json_t *v = json_array_get(arr, i);

			d[i] = goes(names, n, drop, json_string_value(v));
			hit |= d[i];
			left += !d[i];
		}
		left += one && !one_goes;
		if (hit || one_goes) {
			if (!left) {
				drop_rule[r] = any = true;
			} else {
				if (hit && nn && nn->type == '[' && nn->nkids == na)
					sl_jedit_remove(&e, &p->jt, nn, d);
				if (one_goes && on) {
					bool *dm = sl_xcalloc(rn->nkids + 1, sizeof(bool));

					dm[on - rn->kids] = true;
					sl_jedit_remove(&e, &p->jt, rn, dm);
					free(dm);
				}
			}
		}
		free(d);
	}
	if (any)
		sl_jedit_remove(&e, &p->jt, sn, drop_rule);
	free(drop_rule);
	*out = sl_jedits_apply(&e, p->text, p->len, len);
	sl_jedits_free(&e);
	if (!*out)
		return sl_fail(cause, -EPROTO, "internal error: the pruning edits overlap");
	/* never hand on what we could not read back */
	rc = sl_profile_parse(&check, p->path, *out, *len, cause);
	if (rc) {
		free(*out);
		*out = NULL;
		return sl_fail(cause, -EPROTO, "internal error: the pruned profile does not parse");
	}
	sl_profile_free(&check);
	return 0;
}
