/* policy.c - a profile's meaning per name and arch (policy.h) */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "policy.h"
#include "twin.h"

bool sl_action_allows(const char *a)
{
	return a && (!strcmp(a, "SCMP_ACT_ALLOW") || !strcmp(a, "SCMP_ACT_LOG"));
}

/* libseccomp's SCMP_ACT_KILL is SCMP_ACT_KILL_THREAD: one meaning, one name */
static const char *norm_action(const char *a)
{
	if (a && !strcmp(a, "SCMP_ACT_KILL"))
		return "SCMP_ACT_KILL_THREAD";
	return a;
}

/*
 * runc returns EPERM for SCMP_ACT_ERRNO without errnoRet (and without
 * defaultErrnoRet), and gives SCMP_ACT_TRACE the same value for its
 * tracer when none is written.
 */
static long long norm_errno(const char *action, const json_t *v)
{
	if (!strcmp(action, "SCMP_ACT_ERRNO") || !strcmp(action, "SCMP_ACT_TRACE"))
		return json_is_integer(v) ? json_integer_value(v) : 1;
	return -1;
}

static bool empty_value(const json_t *v)
{
	return !v || json_is_null(v) || (json_is_array(v) && !json_array_size(v)) ||
	       (json_is_string(v) && !*json_string_value(v)) ||
	       (json_is_object(v) && !json_object_size(v));
}

struct parts {
	char **s;
	size_t n;
};

static void add_part(struct parts *ps, char *s)
{
	ps->s = sl_xrealloc(ps->s, (ps->n + 1) * sizeof(*ps->s));
	ps->s[ps->n++] = s;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* small numbers as written, masks and flags in hex */
static char *num_text(const json_t *v)
{
	json_int_t x = json_integer_value(v);
	char *s;

	if (!json_is_integer(v)) {
		s = v ? json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
		return s ? s : sl_xstrdup("?");
	}
	if (x >= 0 && x < 4096)
		return sl_xasprintf("%lld", (long long)x);
	return sl_xasprintf("0x%llx", (unsigned long long)x);
}

static char *arg_text(const json_t *a)
{
	static const struct {
		const char *op, *sym;
	} ops[] = {
		{ "SCMP_CMP_EQ", "==" }, { "SCMP_CMP_NE", "!=" }, { "SCMP_CMP_LT", "<" },
		{ "SCMP_CMP_LE", "<=" }, { "SCMP_CMP_GT", ">" }, { "SCMP_CMP_GE", ">=" },
	};
	const char *op = json_string_value(json_object_get(a, "op"));
	const json_t *two = json_object_get(a, "valueTwo");
	json_t *zero = json_integer(0);
	char *v = num_text(json_object_get(a, "value")), *w, *out = NULL;
	long long idx = json_integer_value(json_object_get(a, "index"));
	size_t i;

	w = num_text(two ? two : zero);
	json_decref(zero);
	for (i = 0; op && i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(op, ops[i].op))
			out = sl_xasprintf("arg%lld %s %s", idx, ops[i].sym, v);
	if (!out && op && !strcmp(op, "SCMP_CMP_MASKED_EQ"))
		out = sl_xasprintf("arg%lld & %s == %s", idx, v, w);
	if (!out)
		out = sl_xasprintf("arg%lld %s %s %s", idx, op ? op : "?", v, w);
	free(v);
	free(w);
	return out;
}

/* "CAP_A CAP_B" from a list of strings, sorted */
static char *list_text(const json_t *l)
{
	struct parts ps = { 0 };
	const json_t *v;
	size_t i, len = 1;
	char *out;

	if (!json_is_array(l)) {
		out = json_dumps(l, JSON_ENCODE_ANY | JSON_COMPACT);
		return out ? out : sl_xstrdup("?");
	}
	json_array_foreach(l, i, v)
		add_part(&ps, json_is_string(v) ? sl_xstrdup(json_string_value(v)) :
						  num_text(v));
	qsort(ps.s, ps.n, sizeof(*ps.s), cmp_str);
	for (i = 0; i < ps.n; i++)
		len += strlen(ps.s[i]) + 1;
	out = sl_xmalloc(len);
	*out = '\0';
	for (i = 0; i < ps.n; i++) {
		if (i)
			strcat(out, " ");
		strcat(out, ps.s[i]);
		free(ps.s[i]);
	}
	free(ps.s);
	return out;
}

/* includes (yes) or excludes (!yes): Docker's caps, arches, minKernel */
static void limit_parts(struct parts *ps, const json_t *o, bool yes)
{
	const char *k;
	json_t *v;

	if (!json_is_object(o))
		return;
	json_object_foreach((json_t *)o, k, v) {
		char *l;

		if (empty_value(v))
			continue;
		l = json_is_string(v) ? sl_xstrdup(json_string_value(v)) : list_text(v);
		if (!strcmp(k, "caps"))
			add_part(ps, sl_xasprintf("%s %s", yes ? "with" : "without", l));
		else if (!strcmp(k, "arches"))
			add_part(ps, sl_xasprintf("host arch %s %s", yes ? "in" : "not in", l));
		else if (!strcmp(k, "minKernel"))
			add_part(ps, sl_xasprintf("kernel %s %s", yes ? ">=" : "<", l));
		else
			add_part(ps, sl_xasprintf("%s %s %s", yes ? "includes" : "excludes", k, l));
		free(l);
	}
}

/* parts joined by sep, sorted (their order means nothing); frees them */
static char *join_parts(struct parts *ps, const char *sep)
{
	size_t i, len = 1;
	char *out;

	qsort(ps->s, ps->n, sizeof(*ps->s), cmp_str);
	for (i = 0; i < ps->n; i++)
		len += strlen(ps->s[i]) + strlen(sep);
	out = sl_xmalloc(len);
	*out = '\0';
	for (i = 0; i < ps->n; i++) {
		if (i)
			strcat(out, sep);
		strcat(out, ps->s[i]);
		free(ps->s[i]);
	}
	free(ps->s);
	ps->s = NULL;
	ps->n = 0;
	return out;
}

/*
 * The canonical text of what limits a rule, NULL when nothing does.  Args
 * must all hold, except that runc turns a rule whose args test one index
 * twice into one rule per arg: then any of them lets the rule act.
 */
static char *cond_text(const json_t *rule)
{
	const json_t *args = json_object_get(rule, "args"), *a;
	struct parts ps = { 0 }, as = { 0 };
	bool seen[8] = { false }, any_of = false;
	size_t i;

	json_array_foreach(args, i, a) {
		json_int_t idx = json_integer_value(json_object_get(a, "index"));

		if (idx >= 0 && idx < 8) {
			any_of |= seen[idx];
			seen[idx] = true;
		}
		add_part(&as, arg_text(a));
	}
	if (as.n > 1 && any_of) {
		char *alt = join_parts(&as, " or ");

		add_part(&ps, sl_xasprintf("(%s)", alt));
		free(alt);
	} else {
		for (i = 0; i < as.n; i++)
			add_part(&ps, as.s[i]);
		free(as.s);
	}
	limit_parts(&ps, json_object_get(rule, "includes"), true);
	limit_parts(&ps, json_object_get(rule, "excludes"), false);
	if (!ps.n)
		return NULL;
	return join_parts(&ps, " and ");
}

struct hit {
	const char *name;
	size_t seq;
	struct sl_treat t;
};

static int cmp_hit(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int sl_policy_arch_index(const struct sl_policy *pol, const struct sl_arch *arch)
{
	size_t i;

	for (i = 0; i < pol->narches; i++)
		if (pol->arches[i] == arch)
			return (int)i;
	return -1;
}

uint32_t sl_policy_known(const struct sl_policy *pol, const char *name)
{
	uint32_t m = 0;
	size_t i;

	for (i = 0; i < pol->narches; i++)
		if (sl_syscall_number(pol->arches[i], name) >= 0)
			m |= 1u << i;
	return m;
}

static void add_arch(struct sl_policy *pol, const struct sl_arch *a)
{
	if (a && pol->narches < SL_POLICY_MAXARCH && sl_policy_arch_index(pol, a) < 0 &&
	    sl_profile_has_arch(pol->p, a))
		pol->arches[pol->narches++] = a;
}

static void add_arches_of(struct sl_policy *pol, const json_t *list)
{
	const json_t *v;
	size_t i;

	json_array_foreach(list, i, v)
		add_arch(pol, sl_arch_by_docker(json_string_value(v) ?: ""));
}

int sl_policy_build(struct sl_policy *pol, const struct sl_profile *p)
{
	const json_t *calls = json_object_get(p->root, "syscalls"), *rule, *v;
	const char *def = json_string_value(json_object_get(p->root, "defaultAction"));
	struct hit *hits = NULL;
	size_t nhits = 0, i, j, k;

	memset(pol, 0, sizeof(*pol));
	pol->p = p;
	/* the arches in the order the profile lists them, native first */
	add_arch(pol, sl_arch_native());
	add_arches_of(pol, json_object_get(p->root, "architectures"));
	add_arches_of(pol, json_object_get(sl_profile_native_entry(p), "subArchitectures"));
	pol->def.action = norm_action(def);
	pol->def.errno_ret = norm_errno(pol->def.action,
					json_object_get(p->root, "defaultErrnoRet"));
	pol->def.rule = SIZE_MAX;
	pol->complain = sl_twin_is_complain(p);

	json_array_foreach(calls, i, rule) {
		const char *action = norm_action(sl_rule_action(rule));
		const json_t *one = json_object_get(rule, "name");
		char *cond = cond_text(rule);
		size_t first = nhits;

		json_array_foreach(json_object_get(rule, "names"), j, v) {
			hits = sl_xrealloc(hits, (nhits + 2) * sizeof(*hits));
			hits[nhits++].name = json_string_value(v);
		}
		if (json_is_string(one)) {
			hits = sl_xrealloc(hits, (nhits + 1) * sizeof(*hits));
			hits[nhits++].name = json_string_value(one);
		}
		for (k = first; k < nhits; k++) {
			hits[k].seq = k;
			hits[k].t.action = action;
			hits[k].t.errno_ret = norm_errno(action, json_object_get(rule, "errnoRet"));
			hits[k].t.cond = cond ? sl_xstrdup(cond) : NULL;
			hits[k].t.rule = i;
		}
		free(cond);
	}
	if (nhits)
		qsort(hits, nhits, sizeof(*hits), cmp_hit);
	for (i = 0; i < nhits; i = j) {
		struct sl_pname *pn;

		for (j = i + 1; j < nhits && !strcmp(hits[j].name, hits[i].name); j++)
			;
		pol->names = sl_xrealloc(pol->names, (pol->nnames + 1) * sizeof(*pol->names));
		pn = &pol->names[pol->nnames++];
		pn->name = sl_xstrdup(hits[i].name);
		pn->known = sl_policy_known(pol, pn->name);
		pn->nt = j - i;
		pn->t = sl_xmalloc(pn->nt * sizeof(*pn->t));
		for (k = i; k < j; k++)
			pn->t[k - i] = hits[k].t;
	}
	free(hits);
	return 0;
}

void sl_policy_free(struct sl_policy *pol)
{
	size_t i, j;

	for (i = 0; i < pol->nnames; i++) {
		for (j = 0; j < pol->names[i].nt; j++)
			free(pol->names[i].t[j].cond);
		free(pol->names[i].t);
		free(pol->names[i].name);
	}
	free(pol->names);
	memset(pol, 0, sizeof(*pol));
}

static int cmp_pname(const void *key, const void *el)
{
	return strcmp(key, ((const struct sl_pname *)el)->name);
}

const struct sl_pname *sl_policy_find(const struct sl_policy *pol, const char *name)
{
	if (!pol->nnames)
		return NULL;
	return bsearch(name, pol->names, pol->nnames, sizeof(*pol->names), cmp_pname);
}

int sl_treat_cmp(const struct sl_treat *a, const struct sl_treat *b)
{
	int c = strcmp(a->action, b->action);

	if (c)
		return c;
	if (a->errno_ret != b->errno_ret)
		return a->errno_ret < b->errno_ret ? -1 : 1;
	if (!a->cond || !b->cond)
		return !!a->cond - !!b->cond;
	return strcmp(a->cond, b->cond);
}

bool sl_treat_same(const struct sl_treat *a, const struct sl_treat *b)
{
	return !sl_treat_cmp(a, b);
}

size_t sl_policy_treatment(const struct sl_policy *pol, const struct sl_pname *pn,
			   const struct sl_treat **out, size_t max)
{
	bool fallback = true;
	size_t i, j, n = 0;

	/* insertion sort, dropping repeats: a name has a handful of rules */
	for (i = 0; pn && i < pn->nt && n < max; i++) {
		const struct sl_treat *t = &pn->t[i];
		int c = 1;

		/* runc skips a rule with the default's action: it does nothing */
		if (!strcmp(t->action, pol->def.action) && t->errno_ret == pol->def.errno_ret)
			continue;
		if (!t->cond)
			fallback = false;
		for (j = 0; j < n && (c = sl_treat_cmp(out[j], t)) < 0; j++)
			;
		if (j < n && !c)
			continue;
		memmove(&out[j + 1], &out[j], (n - j) * sizeof(*out));
		out[j] = t;
		n++;
	}
	/* when no rule applies whatever the conditions, the default does */
	if (fallback && n < max)
		out[n++] = &pol->def;
	return n;
}

char *sl_treat_text(const struct sl_treat *t)
{
	char act[64];

	if (t->errno_ret >= 0 && !strcmp(t->action, "SCMP_ACT_ERRNO") &&
	    strerrorname_np((int)t->errno_ret))
		snprintf(act, sizeof(act), "%s(%s)", t->action, strerrorname_np((int)t->errno_ret));
	else if (t->errno_ret >= 0)
		snprintf(act, sizeof(act), "%s(%lld)", t->action, t->errno_ret);
	else
		snprintf(act, sizeof(act), "%s", t->action);
	if (t->rule == SIZE_MAX)
		return sl_xasprintf("default %s", act);
	if (t->cond)
		return sl_xasprintf("%s if %s", act, t->cond);
	return sl_xstrdup(act);
}

char *sl_policy_arch_list(const struct sl_policy *pol, uint32_t mask)
{
	char *out = sl_xstrdup(""), *n;
	size_t i;

	for (i = 0; i < pol->narches; i++) {
		if (!(mask & (1u << i)))
			continue;
		n = sl_xasprintf("%s%s%s", out, *out ? ", " : "", pol->arches[i]->name);
		free(out);
		out = n;
	}
	return out;
}

int sl_policy_load(struct sl_profile *p, const char *path, char **cause)
{
	size_t len = 0, cap = 65536;
	char *buf;
	ssize_t n;
	int rc;

	if (strcmp(path, "-"))
		return sl_profile_load(p, path, cause);
	buf = sl_xmalloc(cap);
	for (;;) {
		if (len == cap) {
			if (cap >= 64 << 20) {
				free(buf);
				return sl_fail(cause, -EFBIG, "larger than 64 MiB: not a profile");
			}
			cap *= 2;
			buf = sl_xrealloc(buf, cap);
		}
		n = read(STDIN_FILENO, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			free(buf);
			return sl_fail(cause, rc, "standard input: %s", strerror(-rc));
		}
		if (!n)
			break;
		len += (size_t)n;
	}
	rc = sl_profile_parse(p, "-", buf, len, cause);
	free(buf);
	return rc;
}
