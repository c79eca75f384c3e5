/* merge.c - the merge policy, and its application to the profile's text */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "merge.h"

#define ALLOW "SCMP_ACT_ALLOW"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void push_claim(struct sl_claim **v, size_t *n, const char *name, size_t rule,
		       const json_t *r)
{
	*v = sl_xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[*n].name = name;
	(*v)[*n].rule = rule;
	(*v)[*n].action = sl_xstrdup(sl_rule_action(r));
	(*v)[*n].conditional = !sl_rule_unconditional(r);
	(*n)++;
}

static void push_str(const char ***v, size_t *n, const char *s)
{
	*v = sl_xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = s;
}

void sl_merge_plan(const struct sl_profile *p, const char *const *names, size_t n,
		   const struct sl_arch *const *arches, size_t narches,
		   const struct sl_merge_opts *o, struct sl_merge_plan *plan)
{
	const json_t *calls = json_object_get(p->root, "syscalls"), *r;
	const char *def = json_string_value(json_object_get(p->root, "defaultAction"));
	const char **sorted;
	size_t i, j;

	memset(plan, 0, sizeof(*plan));
	plan->rule = -1;
	json_array_foreach(calls, i, r) {
		/* only a "names" list can grow; a lone "name" rule cannot */
		if (!strcmp(sl_rule_action(r), ALLOW) && sl_rule_unconditional(r) &&
		    json_is_array(json_object_get(r, "names"))) {
			plan->rule = (long)i;
			break;
		}
	}

	sorted = sl_xmalloc((n ? n : 1) * sizeof(*sorted));
	memcpy(sorted, names, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_str);
	for (i = 0; i < n; i++) {
		bool allowed = !strcmp(def, ALLOW), claimed = false, cond = false;

		if (i && !strcmp(sorted[i], sorted[i - 1]))
			continue;
		json_array_foreach(calls, j, r) {
			if (!sl_rule_has_name(r, sorted[i]))
				continue;
			if (strcmp(sl_rule_action(r), ALLOW))
				claimed = true;
			else if (sl_rule_unconditional(r))
				allowed = true;
			else
				cond = true;
		}
		if (claimed) {
			json_array_foreach(calls, j, r) {
				if (!sl_rule_has_name(r, sorted[i]) ||
				    !strcmp(sl_rule_action(r), ALLOW))
					continue;
				/* a conditional deny stays: it only acts on its args */
				if (o->allow_denied && sl_rule_unconditional(r))
					push_claim(&plan->freed, &plan->nfreed, sorted[i], j, r);
				else
					push_claim(&plan->kept, &plan->nkept, sorted[i], j, r);
			}
			if (!o->allow_denied)
				continue;
		} else if (allowed) {
			continue;
		}
		if (cond)
			push_str(&plan->widened, &plan->nwidened, sorted[i]);
		push_str(&plan->add, &plan->nadd, sorted[i]);
	}
	free(sorted);

	for (i = 0; i < narches; i++) {
		for (j = 0; j < plan->narches; j++)
			if (plan->arches[j] == arches[i])
				break;
		if (j == plan->narches && !sl_profile_has_arch(p, arches[i])) {
			plan->arches = sl_xrealloc(plan->arches,
						   (plan->narches + 1) * sizeof(*plan->arches));
			plan->arches[plan->narches++] = arches[i];
		}
	}
	plan->add_arches = o->add_arch && plan->narches;
}

void sl_merge_plan_free(struct sl_merge_plan *plan)
{
	size_t i;

	for (i = 0; i < plan->nkept; i++)
		free(plan->kept[i].action);
	for (i = 0; i < plan->nfreed; i++)
		free(plan->freed[i].action);
	free(plan->add);
	free(plan->kept);
	free(plan->freed);
	free(plan->widened);
	free(plan->arches);
	memset(plan, 0, sizeof(*plan));
}

bool sl_merge_changes(const struct sl_merge_plan *plan)
{
	return plan->nadd || plan->nfreed || plan->add_arches;
}

/* JSON text of a string value */
static char *quote(const char *s)
{
	json_t *v = json_string(s);
	char *q = json_dumps(v, JSON_ENCODE_ANY);

	json_decref(v);
	return q ? q : sl_xstrdup("\"\"");
}

static void append_strings(struct sl_jedits *e, const struct sl_jtext *jt,
			   const struct sl_jnode *arr, const char *const *s, size_t n)
{
	char **q = sl_xmalloc((n ? n : 1) * sizeof(*q));
	size_t i;

	for (i = 0; i < n; i++)
		q[i] = quote(s[i]);
	sl_jedit_append(e, jt, arr, (const char *const *)q, n);
	for (i = 0; i < n; i++)
		free(q[i]);
	free(q);
}

/* Take freed names out of their deny rules; a rule left with no name goes. */
static void free_denied(struct sl_jedits *e, const struct sl_profile *p,
			const struct sl_merge_plan *plan, const struct sl_jnode *sn)
{
	const json_t *calls = json_object_get(p->root, "syscalls");
	bool *drop_rule = sl_xcalloc(sn->nkids, sizeof(bool)), any = false;
	size_t r, i, k;

	for (r = 0; r < sn->nkids; r++) {
		const json_t *rule = json_array_get(calls, r);
		const json_t *names = json_object_get(rule, "names");
		const char *one = json_string_value(json_object_get(rule, "name"));
		const struct sl_jnode *nn = sl_jnode_member(&p->jt, &sn->kids[r], "names");
		size_t left = json_array_size(names) + (one ? 1 : 0);
		bool *drop = sl_xcalloc(json_array_size(names) + 1, sizeof(bool));
		bool hit = false, touched = false;

		for (k = 0; k < plan->nfreed; k++) {
			if (plan->freed[k].rule != r)
				continue;
			if (one && !strcmp(one, plan->freed[k].name)) {
				left--;
				one = NULL;
				touched = true;
			}
			for (i = 0; i < json_array_size(names); i++) {
				if (!drop[i] && !strcmp(json_string_value(json_array_get(names, i)),
							plan->freed[k].name)) {
					drop[i] = hit = touched = true;
					left--;
				}
			}
		}
		if (!left && touched) {
			drop_rule[r] = any = true;
		} else if (hit && nn) {
			sl_jedit_remove(e, &p->jt, nn, drop);
		}
		free(drop);
	}
	if (any)
		sl_jedit_remove(e, &p->jt, sn, drop_rule);
	free(drop_rule);
}

/* A top-level value: replaces a null one, or becomes a new member. */
static void put_top(struct sl_jedits *e, const struct sl_profile *p, const struct sl_jnode *n,
		    const char *key, const char *text)
{
	if (n)
		sl_jedit_replace(e, n, text);
	else
		sl_jedit_add_member(e, &p->jt, &p->jt.root, key, text);
}

/* A new allow rule, in the style of the rules around it. */
static void add_rule(struct sl_jedits *e, const struct sl_profile *p,
		     const struct sl_merge_plan *plan, const struct sl_jnode *sn)
{
	const struct sl_jnode *root = &p->jt.root;
	json_t *rule = json_object(), *calls;
	char *unit, *base, *text;

	json_object_set_new(rule, "names", sl_json_strings(plan->add, plan->nadd));
	json_object_set_new(rule, "action", json_string(ALLOW));
	json_object_set_new(rule, "comment", json_string("added by seclog"));
	unit = sl_jtext_indent_unit(&p->jt, root);
	if (sn && sn->type == '[' && sn->nkids) {
		const struct sl_jnode *last = &sn->kids[sn->nkids - 1];
		char *u = sl_jtext_indent_unit(&p->jt, last);

		base = sl_jtext_indent_of(&p->jt, last->start);
		text = sl_jtext_render(rule, base, u);
		free(u);
		sl_jedit_append(e, &p->jt, sn, (const char *const *)&text, 1);
	} else if (sn && sn->type == '[') {
		base = sl_jtext_indent_of(&p->jt, sn->key_start);
		text = sl_jtext_render(rule, base, unit);
		sl_jedit_append(e, &p->jt, sn, (const char *const *)&text, 1);
	} else {
		calls = json_array();
		json_array_append(calls, rule);
		base = root->nkids ? sl_jtext_indent_of(&p->jt, root->kids[0].key_start) :
				     sl_xstrdup("");
		text = sl_jtext_render(calls, base, unit);
		put_top(e, p, sn, "syscalls", text);	/* absent, or null */
		json_decref(calls);
	}
	free(text);
	free(base);
	free(unit);
	json_decref(rule);
}

static void add_arches(struct sl_jedits *e, const struct sl_profile *p,
		       const struct sl_merge_plan *plan)
{
	const struct sl_jnode *root = &p->jt.root;
	const struct sl_jnode *an = sl_jnode_member(&p->jt, root, "architectures");
	const struct sl_jnode *mn = sl_jnode_member(&p->jt, root, "archMap");
	const char **names = sl_xmalloc((plan->narches + 1) * sizeof(*names));
	size_t i, n = 0;
	char *text;
	json_t *v;

	if (mn && mn->type == '[' && mn->nkids) {
		char **objs = sl_xmalloc(plan->narches * sizeof(*objs));

		for (i = 0; i < plan->narches; i++) {
			v = json_pack("{s:s,s:[]}", "architecture", plan->arches[i]->docker,
				      "subArchitectures");
			objs[i] = sl_jtext_render(v, "", NULL);
			json_decref(v);
		}
		sl_jedit_append(e, &p->jt, mn, (const char *const *)objs, plan->narches);
		for (i = 0; i < plan->narches; i++)
			free(objs[i]);
		free(objs);
		free(names);
		return;
	}
	/* a profile that listed no arch meant the native one: keep it */
	if (!json_array_size(json_object_get(p->root, "architectures")) &&
	    !json_array_size(json_object_get(p->root, "archMap")))
		names[n++] = sl_arch_native()->docker;
	for (i = 0; i < plan->narches; i++)
		if (!n || plan->arches[i]->docker != names[0])
			names[n++] = plan->arches[i]->docker;
	if (an && an->type == '[') {
		append_strings(e, &p->jt, an, names, n);
	} else {
		v = sl_json_strings(names, n);
		/* a short list reads best on one line, as profiles write it */
		text = sl_jtext_render(v, "", NULL);
		put_top(e, p, an, "architectures", text);	/* absent, or null */
		free(text);
		json_decref(v);
	}
	free(names);
}

int sl_merge_apply(const struct sl_profile *p, const struct sl_merge_plan *plan, char **out,
		   size_t *outlen, char **cause)
{
	const struct sl_jnode *sn = sl_jnode_member(&p->jt, &p->jt.root, "syscalls");
	struct sl_jedits e = { 0 };
	struct sl_profile check;
	int rc;

	if (plan->nfreed && sn && sn->type == '[')
		free_denied(&e, p, plan, sn);
	if (plan->nadd && plan->rule >= 0) {
		const struct sl_jnode *nn =
			sl_jnode_member(&p->jt, &sn->kids[plan->rule], "names");

		append_strings(&e, &p->jt, nn, plan->add, plan->nadd);
	} else if (plan->nadd) {
		add_rule(&e, p, plan, sn);
	}
	if (plan->add_arches)
		add_arches(&e, p, plan);
	*out = sl_jedits_apply(&e, p->text, p->len, outlen);
	sl_jedits_free(&e);

	/* never write what we could not read back */
	rc = sl_profile_parse(&check, p->path, *out, *outlen, cause);
	if (rc) {
		char *why = cause && *cause ? sl_xstrdup(*cause) : sl_xstrdup("?");

		sl_fail(cause, -EPROTO, "internal error: the merged profile does not parse (%s)",
			why);
		free(why);
		free(*out);
		*out = NULL;
		return -EPROTO;
	}
	sl_profile_free(&check);
	return 0;
}
