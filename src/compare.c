/* compare.c - two profiles' meanings side by side (compare.h) */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "error.h"
#include "twin.h"

const char *sl_change_kind_name(enum sl_change_kind k)
{
	static const char *const names[] = { "added", "removed", "action", "condition" };

	return names[k];
}

/* 2: allowed whatever the arguments, 1: allowed under a condition, 0: not */
static int allow_class(const struct sl_treat *const *t, size_t n)
{
	int c = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (sl_action_allows(t[i]->action))
			c = t[i]->cond ? (c > 1 ? c : 1) : 2;
	return c;
}

static bool any_cond(const struct sl_treat *const *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i]->cond)
			return true;
	return false;
}

static bool same_list(const struct sl_treat *const *a, size_t na, const struct sl_treat *const *b,
		      size_t nb)
{
	size_t i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++) {
		/* the default behind conditional rules: a changed default is
		 * reported once, not for every name it reaches */
		if (na > 1 && a[i]->rule == SIZE_MAX && b[i]->rule == SIZE_MAX)
			continue;
		if (!sl_treat_same(a[i], b[i]))
			return false;
	}
	return true;
}

static size_t treatment(const struct sl_policy *pol, const char *name,
			const struct sl_treat ***out)
{
	const struct sl_pname *pn = sl_policy_find(pol, name);
	size_t max = (pn ? pn->nt : 0) + 1;

	*out = sl_xcalloc(max, sizeof(**out));
	return sl_policy_treatment(pol, pn, *out, max);
}

static void one_name(struct sl_compare *c, const char *name)
{
	const struct sl_treat **o, **n;
	size_t no = treatment(c->old, name, &o), nn = treatment(c->new, name, &n), i;
	struct sl_change *ch;
	uint32_t mask = 0;
	int co, cn;

	for (i = 0; i < c->ncommon; i++)
		if (sl_syscall_number(c->common[i], name) >= 0)
			mask |= 1u << i;
	if (!mask || same_list(o, no, n, nn)) {
		free(o);
		free(n);
		return;
	}
	c->ch = sl_xrealloc(c->ch, (c->nch + 1) * sizeof(*c->ch));
	ch = &c->ch[c->nch++];
	ch->name = name;
	ch->mask = mask;
	ch->old = o;
	ch->nold = no;
	ch->new = n;
	ch->nnew = nn;
	co = allow_class(o, no);
	cn = allow_class(n, nn);
	/* allowed in more cases (denied before, or only under a condition) */
	if (co < cn)
		ch->kind = SL_CHANGE_ADDED;
	else if (co > cn)
		ch->kind = SL_CHANGE_REMOVED;
	else if (!any_cond(o, no) && !any_cond(n, nn))
		ch->kind = SL_CHANGE_ACTION;
	else
		ch->kind = SL_CHANGE_CONDITION;
}

static int popcount(uint32_t m)
{
	return __builtin_popcount(m);
}

static int cmp_change(const void *a, const void *b)
{
	const struct sl_change *x = a, *y = b;

	if (popcount(x->mask) != popcount(y->mask))
		return popcount(y->mask) - popcount(x->mask);
	if (x->mask != y->mask)
		return x->mask < y->mask ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* The twin's record names the enforcing default its source had. */
static bool twin_of(const struct sl_policy *twin, const struct sl_policy *src)
{
	const char *rec = sl_twin_recorded_default(twin->p);

	if (!twin->complain || !rec)
		return false;
	if (!strcmp(rec, "SCMP_ACT_KILL"))
		rec = "SCMP_ACT_KILL_THREAD";
	return !strcmp(rec, src->def.action);
}

int sl_compare(struct sl_compare *c, const struct sl_policy *old, const struct sl_policy *new)
{
	size_t i = 0, j = 0;

	memset(c, 0, sizeof(*c));
	c->old = old;
	c->new = new;
	c->default_changed = !sl_treat_same(&old->def, &new->def);
	c->new_is_twin = c->default_changed && twin_of(new, old);
	c->old_is_twin = c->default_changed && twin_of(old, new);
	for (i = 0; i < old->narches; i++) {
		if (sl_policy_arch_index(new, old->arches[i]) >= 0)
			c->common[c->ncommon++] = old->arches[i];
		else
			c->removed[c->nremoved++] = old->arches[i];
	}
	for (i = 0; i < new->narches; i++)
		if (sl_policy_arch_index(old, new->arches[i]) < 0)
			c->added[c->nadded++] = new->arches[i];
	/* every name either lists: both lists are sorted */
	i = 0;
	while (i < old->nnames || j < new->nnames) {
		int d = i == old->nnames ? 1 :
			j == new->nnames ? -1 :
					   strcmp(old->names[i].name, new->names[j].name);

		if (d < 0) {
			one_name(c, old->names[i++].name);
		} else if (d > 0) {
			one_name(c, new->names[j++].name);
		} else {
			one_name(c, old->names[i].name);
			i++;
			j++;
		}
	}
	if (c->nch)
		qsort(c->ch, c->nch, sizeof(*c->ch), cmp_change);
	return 0;
}

void sl_compare_free(struct sl_compare *c)
{
	size_t i;

	for (i = 0; i < c->nch; i++) {
		free(c->ch[i].old);
		free(c->ch[i].new);
	}
	free(c->ch);
	memset(c, 0, sizeof(*c));
}

bool sl_compare_differ(const struct sl_compare *c)
{
	return c->default_changed || c->nadded || c->nremoved || c->nch;
}

char *sl_compare_arch_list(const struct sl_compare *c, uint32_t mask)
{
	char *out = sl_xstrdup(""), *n;
	size_t i;

	for (i = 0; i < c->ncommon; i++) {
		if (!(mask & (1u << i)))
			continue;
		n = sl_xasprintf("%s%s%s", out, *out ? ", " : "", c->common[i]->name);
		free(out);
		out = n;
	}
	return out;
}
