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

static struct sl_claim *push_claim(struct sl_claim **v, size_t *n, const char *name,
				   size_t rule, const json_t *r)
{
	struct sl_claim *c;

	*v = sl_xrealloc(*v, (*n + 1) * sizeof(**v));
	c = &(*v)[(*n)++];
	memset(c, 0, sizeof(*c));
	c->name = name;
	c->rule = rule;
	c->action = sl_xstrdup(sl_rule_action(r));
	c->conditional = !sl_rule_unconditional(r);
	c->args = sl_rule_has_args(r);
	return c;
}

static void push_str(const char ***v, size_t *n, const char *s)
{
	*v = sl_xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = s;
}

/* The arches the profile will cover: the native one, those it lists, and
 * those the plan adds. */
static size_t profile_arches(const struct sl_profile *p, const struct sl_merge_plan *plan,
			     const struct sl_arch **out, size_t max)
{
	const json_t *lists[2] = {
		json_object_get(p->root, "architectures"),
		json_object_get(sl_profile_native_entry(p), "subArchitectures"),
	};
	const struct sl_arch *a;
	size_t n = 0, i, j, k;
	const json_t *v;

	out[n++] = sl_arch_native();
	for (k = 0; k < 3; k++) {
		size_t count = k < 2 ? json_array_size(lists[k]) :
				       (plan->add_arches ? plan->narches : 0);

		for (i = 0; i < count && n < max; i++) {
			v = k < 2 ? json_array_get(lists[k], i) : NULL;
			a = k < 2 ? sl_arch_by_docker(json_string_value(v)) : plan->arches[i];
			for (j = 0; a && j < n && out[j] != a; j++)
				;
			if (a && j == n)
				out[n++] = a;
		}
	}
	return n;
}

/*
 * Names to add that only one of the profile's several arches has: the
 * format cannot scope a name to an arch, so the user should know that
 * the others simply lack it (socketcall is i386's alone).
 */
static void lone_names(const struct sl_profile *p, struct sl_merge_plan *plan)
{
	const struct sl_arch *arches[16], *has = NULL;
	size_t n = profile_arches(p, plan, arches, 16), i, j, count;

	if (n < 2)
		return;
	for (i = 0; i < plan->nadd; i++) {
		for (j = count = 0; j < n; j++)
			if (sl_syscall_number(arches[j], plan->add[i]) >= 0) {
				count++;
				has = arches[j];
			}
		if (count != 1)
			continue;
		plan->lone = sl_xrealloc(plan->lone, (plan->nlone + 1) * sizeof(*plan->lone));
		plan->lone[plan->nlone].name = plan->add[i];
		plan->lone[plan->nlone++].arch = has;
	}
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
	plan->default_action = sl_xstrdup(def);
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
		bool allowed = !strcmp(def, ALLOW), claimed = false, cond = false, add;

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
		/* already allowed: freeing its denies is all --allow-denied does */
		add = !allowed && (!claimed || o->allow_denied);
		if (claimed) {
			json_array_foreach(calls, j, r) {
				struct sl_claim *c;

				if (!sl_rule_has_name(r, sorted[i]) ||
				    !strcmp(sl_rule_action(r), ALLOW))
					continue;
				if (o->allow_denied && sl_rule_unconditional(r)) {
					push_claim(&plan->freed, &plan->nfreed, sorted[i], j, r);
					continue;
				}
				c = push_claim(&plan->kept, &plan->nkept, sorted[i], j, r);
				if (!add || !c->conditional)
					continue;
				/* the allow goes to plan->rule, or to a new rule last */
				c->superseded = c->args ||
						(plan->rule >= 0 && (size_t)plan->rule < j);
				c->still_denies = !c->superseded;
			}
		}
		if (!add)
			continue;
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
	lone_names(p, plan);
}

bool sl_merge_permissive(const struct sl_merge_plan *plan)
{
	return plan->default_action && (!strcmp(plan->default_action, ALLOW) ||
					 !strcmp(plan->default_action, "SCMP_ACT_LOG"));
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
	free(plan->lone);
	free(plan->default_action);
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

/* New JSON text in the file's style, line ends included. */
static char *render(const struct sl_profile *p, const json_t *v, const char *base,
		    const char *unit)
{
	return sl_jtext_eol(&p->jt, sl_jtext_render(v, base, unit));
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

static bool freed_here(const struct sl_merge_plan *plan, size_t rule, const char *name)
{
	size_t k;

	for (k = 0; k < plan->nfreed; k++)
		if (plan->freed[k].rule == rule && !strcmp(plan->freed[k].name, name))
			return true;
	return false;
}

/*
 * Take freed names out of their deny rules, from "names" and from the
 * older "name" alike.  Returns the rules left with no name (to go), as a
 * malloc'd flag per rule, and whether there is any.
 */
static bool *free_denied(struct sl_jedits *e, const struct sl_profile *p,
			 const struct sl_merge_plan *plan, const struct sl_jnode *sn, bool *any)
{
	const json_t *calls = json_object_get(p->root, "syscalls");
	bool *drop_rule = sl_xcalloc(sn->nkids + 1, sizeof(bool));
	size_t r, i;

	*any = false;
	for (r = 0; r < sn->nkids; r++) {
		const json_t *rule = json_array_get(calls, r);
		const json_t *names = json_object_get(rule, "names");
		const char *one = json_string_value(json_object_get(rule, "name"));
		const struct sl_jnode *rn = &sn->kids[r];
		const struct sl_jnode *nn = sl_jnode_member(&p->jt, rn, "names");
		const struct sl_jnode *on = sl_jnode_member(&p->jt, rn, "name");
		size_t nnames = json_array_size(names), left = 0;
		bool *drop = sl_xcalloc(nnames + 1, sizeof(bool)), hit = false;
		bool one_goes = one && freed_here(plan, r, one);

		for (i = 0; i < nnames; i++) {
			drop[i] = freed_here(plan, r, json_string_value(json_array_get(names, i)));
			hit |= drop[i];
			left += !drop[i];
		}
		left += one && !one_goes;
		if (!hit && !one_goes) {
			free(drop);
			continue;
		}
		if (!left) {
			drop_rule[r] = *any = true;
		} else {
			if (hit && nn && nn->type == '[' && nn->nkids == nnames)
				sl_jedit_remove(e, &p->jt, nn, drop);
			if (one_goes && on) {
				bool *dm = sl_xcalloc(rn->nkids, sizeof(bool));

				dm[on - rn->kids] = true;
				sl_jedit_remove(e, &p->jt, rn, dm);
				free(dm);
			}
		}
		free(drop);
	}
	return drop_rule;
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

/*
 * A new allow rule, in the style of the rules around it: after the last
 * rule that stays (drop: the rules that go), or in place of them all.
 */
static void add_rule(struct sl_jedits *e, const struct sl_profile *p,
		     const struct sl_merge_plan *plan, const struct sl_jnode *sn, const bool *drop)
{
	const struct sl_jnode *root = &p->jt.root;
	json_t *rule = json_object(), *calls;
	char *unit, *base, *text;
	long last = -1, i;

	json_object_set_new(rule, "names", sl_json_strings(plan->add, plan->nadd));
	json_object_set_new(rule, "action", json_string(ALLOW));
	json_object_set_new(rule, "comment", json_string("added by seclog"));
	unit = sl_jtext_indent_unit(&p->jt, root);
	if (sn && sn->type == '[')
		for (i = 0; i < (long)sn->nkids; i++)
			if (!drop || !drop[i])
				last = i;
	if (sn && sn->type == '[' && sn->nkids) {
		/* styled like the last rule that stays, or the first that goes */
		const struct sl_jnode *like = &sn->kids[last >= 0 ? last : 0];
		char *u = sl_jtext_indent_unit(&p->jt, like);

		base = sl_jtext_indent_of(&p->jt, like->start);
		text = render(p, rule, base, u);
		free(u);
		if (last >= 0) {
			/* sl_jedit_append adds after the array's last element */
			struct sl_jnode upto = *sn;

			upto.nkids = (size_t)last + 1;
			sl_jedit_append(e, &p->jt, &upto, (const char *const *)&text, 1);
		} else {
			e->v = sl_xrealloc(e->v, (e->n + 1) * sizeof(*e->v));
			e->v[e->n].off = sn->kids[0].start;
			e->v[e->n].del = sn->kids[sn->nkids - 1].end - sn->kids[0].start;
			e->v[e->n].ins = sl_xstrdup(text);
			e->n++;
		}
	} else if (sn && sn->type == '[') {
		base = sl_jtext_indent_of(&p->jt, sn->key_start);
		text = render(p, rule, base, unit);
		sl_jedit_append(e, &p->jt, sn, (const char *const *)&text, 1);
	} else {
		calls = json_array();
		json_array_append(calls, rule);
		base = root->nkids ? sl_jtext_indent_of(&p->jt, root->kids[0].key_start) :
				     sl_xstrdup("");
		text = render(p, calls, base, unit);
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
	const char *native = sl_arch_native()->docker;
	size_t i, n = 0;
	char *text;
	json_t *v;

	for (i = 0; i < plan->narches; i++)
		if (plan->arches[i]->docker != native)
			names[n++] = plan->arches[i]->docker;
	if (mn && mn->type == '[' && mn->nkids) {
		/* Docker reads only the native entry: its subArchitectures */
		const json_t *map = json_object_get(p->root, "archMap"), *m;
		const struct sl_jnode *en = NULL, *sub;
		size_t k;

		json_array_foreach(map, k, m)
			if (m == sl_profile_native_entry(p))
				en = &mn->kids[k];
		sub = en ? sl_jnode_member(&p->jt, en, "subArchitectures") : NULL;
		if (sub && sub->type == '[') {
			append_strings(e, &p->jt, sub, names, n);
		} else if (en) {
			v = sl_json_strings(names, n);
			text = render(p, v, "", NULL);
			if (sub)	/* null */
				sl_jedit_replace(e, sub, text);
			else
				sl_jedit_add_member(e, &p->jt, en, "subArchitectures", text);
			free(text);
			json_decref(v);
		} else {
			v = json_pack("{s:s,s:o}", "architecture", native, "subArchitectures",
				      sl_json_strings(names, n));
			text = render(p, v, "", NULL);
			sl_jedit_append(e, &p->jt, mn, (const char *const *)&text, 1);
			free(text);
			json_decref(v);
		}
		free(names);
		return;
	}
	/* a profile that listed no arch meant the native one: keep it */
	if (!json_array_size(json_object_get(p->root, "architectures"))) {
		memmove(names + 1, names, n * sizeof(*names));
		names[0] = native;
		n++;
	}
	if (an && an->type == '[') {
		append_strings(e, &p->jt, an, names, n);
	} else {
		v = sl_json_strings(names, n);
		/* a short list reads best on one line, as profiles write it */
		text = render(p, v, "", NULL);
		put_top(e, p, an, "architectures", text);	/* absent, or null */
		free(text);
		json_decref(v);
	}
	free(names);
}

int sl_merge_edits(const struct sl_profile *p, const struct sl_merge_plan *plan,
		   struct sl_jedits *e)
{
	const struct sl_jnode *sn = sl_jnode_member(&p->jt, &p->jt.root, "syscalls");
	bool *drop = NULL, any = false, all;
	size_t i;

	memset(e, 0, sizeof(*e));
	if (plan->nfreed && sn && sn->type == '[')
		drop = free_denied(e, p, plan, sn, &any);
	all = any;
	for (i = 0; any && i < sn->nkids; i++)
		all &= drop[i];
	/* every rule goes and one comes: it takes their place (one edit) */
	if (any && !(all && plan->nadd && plan->rule < 0))
		sl_jedit_remove(e, &p->jt, sn, drop);
	if (plan->nadd && plan->rule >= 0) {
		const struct sl_jnode *nn =
			sl_jnode_member(&p->jt, &sn->kids[plan->rule], "names");

		append_strings(e, &p->jt, nn, plan->add, plan->nadd);
	} else if (plan->nadd) {
		add_rule(e, p, plan, sn, drop);
	}
	if (plan->add_arches)
		add_arches(e, p, plan);
	free(drop);
	return 0;
}

int sl_merge_apply_edits(const struct sl_profile *p, const struct sl_merge_plan *plan,
			 char **out, size_t *outlen, struct sl_jedits *edits, char **cause)
{
	struct sl_jedits e;
	struct sl_profile check;
	int rc;

	sl_merge_edits(p, plan, &e);
	*out = sl_jedits_apply(&e, p->text, p->len, outlen);
	if (!*out) {
		sl_jedits_free(&e);
		return sl_fail(cause, -EPROTO, "internal error: the merge's edits overlap");
	}
	if (edits)
		*edits = e;
	else
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
		if (edits)
			sl_jedits_free(edits);
		return -EPROTO;
	}
	sl_profile_free(&check);
	return 0;
}

int sl_merge_apply(const struct sl_profile *p, const struct sl_merge_plan *plan, char **out,
		   size_t *outlen, char **cause)
{
	return sl_merge_apply_edits(p, plan, out, outlen, NULL, cause);
}
