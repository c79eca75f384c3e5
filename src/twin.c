/*
 * twin.c - the complain twin of a profile and the way back (twin.h).
 *
 * Both directions are a handful of text edits: the defaultAction value,
 * the action of each deny rule --log-denied turned into LOG, and the
 * record appended as the last top-level member.  Removing that member
 * takes exactly the bytes adding it put there (json-text.c), so the way
 * back gives the original file byte for byte.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "twin.h"

#define LOG "SCMP_ACT_LOG"
#define COMMENT "complain twin made by seclog complain: what would be denied by default is " \
	"logged; seclog enforce puts back what \"enforce\" records"

static const json_t *record(const struct sl_profile *p)
{
	const json_t *r = p ? json_object_get(p->root, SL_TWIN_KEY) : NULL;

	return json_is_object(r) ? r : NULL;
}

bool sl_twin_enforcing_action(const char *a)
{
	return sl_action_denies(a);
}

const char *sl_twin_recorded_default(const struct sl_profile *p)
{
	return json_string_value(json_object_get(json_object_get(record(p), "enforce"),
						 "defaultAction"));
}

bool sl_twin_is_complain(const struct sl_profile *p)
{
	return sl_twin_recorded_default(p) != NULL;
}

static char *quote(const char *s)
{
	json_t *v = json_string(s);
	char *q = json_dumps(v, JSON_ENCODE_ANY);

	json_decref(v);
	return q;
}

/* The i'th top-level member named key, or NULL. */
static const struct sl_jnode *top(const struct sl_profile *p, const char *key)
{
	return sl_jnode_member(&p->jt, &p->jt.root, key);
}

static void replace_string(struct sl_jedits *e, const struct sl_jnode *n, const char *s)
{
	char *q = quote(s);

	sl_jedit_replace(e, n, q);
	free(q);
}

/* The first name a rule lists (to find it again), or "". */
static const char *first_name(const json_t *rule)
{
	const char *one = json_string_value(json_object_get(rule, "name"));

	if (!one)
		one = json_string_value(json_array_get(json_object_get(rule, "names"), 0));
	return one ? one : "";
}

/* Members runtimes refuse next to SCMP_ACT_LOG (crun: "errno value
 * specified for action SCMP_ACT_LOG"): podman writes the errno both ways. */
static const char *const default_errno_keys[] = { "defaultErrnoRet", "defaultErrno", NULL };
static const char *const rule_errno_keys[] = { "errnoRet", "errno", NULL };

static bool is_key(const struct sl_jtext *jt, const struct sl_jnode *obj, size_t i,
		   const char *const *keys)
{
	for (; *keys; keys++)
		if (sl_jnode_member(jt, obj, *keys) == &obj->kids[i])
			return true;
	return false;
}

/* The key of member i, unescaped (keys seclog compares are plain ASCII). */
static char *key_of(const struct sl_jtext *jt, const struct sl_jnode *obj, size_t i)
{
	const struct sl_jnode *k = &obj->kids[i];

	return sl_xasprintf("%.*s", (int)(k->key_end - k->key_start - 2),
			    jt->text + k->key_start + 1);
}

static size_t kid_start(const struct sl_jnode *obj, size_t i)
{
	return obj->kids[i].key_start;
}

/*
 * Remove obj's members named in keys, and say in *restore how to put
 * them back byte for byte: the bytes sl_jedit_remove takes, each run of
 * them anchored "after" the member they followed (or "before" the first
 * one kept, for leading members).  Their values go into values.
 */
static void strip(struct sl_jedits *e, const struct sl_jtext *jt, const struct sl_jnode *obj,
		  const json_t *val, const char *const *keys, json_t *values, json_t **restore)
{
	bool *drop = sl_xcalloc(obj->nkids ? obj->nkids : 1, sizeof(*drop));
	size_t i, keep, any = 0;
	json_t *run = NULL;

	*restore = NULL;
	for (i = 0; i < obj->nkids; i++)
		if ((drop[i] = is_key(jt, obj, i, keys)))
			any++;
	for (keep = 0; keep < obj->nkids && drop[keep]; keep++)
		;
	if (!any || keep == obj->nkids) {
		free(drop);
		return;
	}
	*restore = json_array();
	for (i = 0; i < obj->nkids; i++) {
		char *k, *bytes;
		size_t from, to;

		if (!drop[i]) {
			run = NULL;
			continue;
		}
		k = key_of(jt, obj, i);
		json_object_set(values, k, json_object_get(val, k));
		free(k);
		if (i < keep) {
			from = kid_start(obj, i);
			to = kid_start(obj, i + 1);
		} else {
			from = obj->kids[i - 1].end;
			to = obj->kids[i].end;
		}
		bytes = sl_xasprintf("%.*s", (int)(to - from), jt->text + from);
		if (run) {
			char *t = sl_xasprintf("%s%s", json_string_value(json_object_get(run, "text")),
					       bytes);

			json_object_set_new(run, "text", json_string(t));
			free(t);
		} else {
			char *anchor = key_of(jt, obj, i < keep ? keep : i - 1);

			/* the member before a run is kept: i - 1 is never dropped here */
			run = json_pack("{s:s, s:s}", i < keep ? "before" : "after", anchor, "text",
					bytes);
			json_array_append_new(*restore, run);
			free(anchor);
		}
		free(bytes);
	}
	sl_jedit_remove(e, jt, obj, drop);
	free(drop);
}

/* The member a restore entry is anchored to, or NULL (a hand edit). */
static const struct sl_jnode *anchor_of(const struct sl_jtext *jt, const struct sl_jnode *obj,
					const json_t *r)
{
	const char *after = json_string_value(json_object_get(r, "after"));
	const char *before = json_string_value(json_object_get(r, "before"));

	if (!json_is_string(json_object_get(r, "text")) || (!after && !before))
		return NULL;
	return sl_jnode_member(jt, obj, after ? after : before);
}

/*
 * Put back what strip took from obj: at their anchors when all of them
 * are still there, else (a hand edit moved things) as new members; never
 * some one way and some the other, which could write a member twice.
 */
static void unstrip(struct sl_jedits *e, const struct sl_jtext *jt, const struct sl_jnode *obj,
		    const json_t *restore, const json_t *values)
{
	const struct sl_jnode *a;
	const json_t *r, *v;
	const char *key;
	size_t i;
	bool placed = json_array_size(restore) > 0;

	json_array_foreach(restore, i, r)
		if (!anchor_of(jt, obj, r))
			placed = false;
	if (placed) {
		json_array_foreach(restore, i, r) {
			a = anchor_of(jt, obj, r);
			e->v = sl_xrealloc(e->v, (e->n + 1) * sizeof(*e->v));
			e->v[e->n].off = json_object_get(r, "after") ? a->end : a->key_start;
			e->v[e->n].del = 0;
			e->v[e->n].ins = sl_xstrdup(json_string_value(json_object_get(r, "text")));
			e->n++;
		}
		return;
	}
	json_object_foreach((json_t *)values, key, v) {
		char *t = json_dumps(v, JSON_ENCODE_ANY);

		if (!sl_jnode_member(jt, obj, key))
			sl_jedit_add_member(e, jt, obj, key, t);
		free(t);
	}
}

/* Apply e to p's text and read the result back: never hand out what we
 * could not load again. */
static int finish(const struct sl_profile *p, struct sl_jedits *e, char **out, size_t *outlen,
		  struct sl_jedits *edits, char **cause)
{
	struct sl_profile check;
	int rc;

	*out = sl_jedits_apply(e, p->text, p->len, outlen);
	if (!*out) {
		sl_jedits_free(e);
		return sl_fail(cause, -EPROTO, "internal error: the edits overlap");
	}
	rc = sl_profile_parse(&check, p->path, *out, *outlen, cause);
	if (rc) {
		free(*out);
		*out = NULL;
		sl_jedits_free(e);
		return rc;
	}
	sl_profile_free(&check);
	if (edits)
		*edits = *e;
	else
		sl_jedits_free(e);
	return 0;
}

int sl_twin_complain(const struct sl_profile *p, const struct sl_twin_opts *o, char **out,
		     size_t *outlen, struct sl_jedits *edits, char **cause)
{
	const struct sl_jnode *def = top(p, "defaultAction"), *calls = top(p, "syscalls");
	const char *action = json_string_value(json_object_get(p->root, "defaultAction"));
	json_t *rec, *enf, *rules = json_array(), *restore;
	struct sl_jedits e = { 0 };
	const json_t *rule;
	char *base, *unit, *text;
	size_t i;

	*out = NULL;
	if (record(p)) {
		json_decref(rules);
		return sl_fail(cause, -EALREADY, "is a complain twin already (its \"%s\" member "
			       "records the enforcing default %s)", SL_TWIN_KEY,
			       sl_twin_recorded_default(p) ? sl_twin_recorded_default(p) : "?");
	}
	if (!def || !sl_action_denies(action)) {
		json_decref(rules);
		return sl_fail(cause, -EINVAL, "defaultAction is %s, not a deny action: the "
			       "profile has nothing to log instead", action ? action : "missing");
	}
	replace_string(&e, def, LOG);
	enf = json_pack("{s:s}", "defaultAction", action);
	strip(&e, &p->jt, &p->jt.root, p->root, default_errno_keys, enf, &restore);
	if (restore)
		json_object_set_new(enf, "restore", restore);
	json_array_foreach(json_object_get(p->root, "syscalls"), i, rule) {
		json_t *ent;
		const char *a = sl_rule_action(rule);
		const struct sl_jnode *an;

		if (!o || !o->log_denied || !sl_action_denies(a) || !calls ||
		    i >= calls->nkids || !(an = sl_jnode_member(&p->jt, &calls->kids[i], "action")))
			continue;
		replace_string(&e, an, LOG);
		ent = json_pack("{s:I, s:s, s:s}", "index", (json_int_t)i, "name", first_name(rule),
				"action", a);
		strip(&e, &p->jt, &calls->kids[i], rule, rule_errno_keys, ent, &restore);
		if (restore)
			json_object_set_new(ent, "restore", restore);
		json_array_append_new(rules, ent);
	}

	if (json_array_size(rules))
		json_object_set(enf, "rules", rules);
	json_decref(rules);
	rec = json_pack("{s:s, s:o}", "comment", COMMENT, "enforce", enf);
	unit = sl_jtext_indent_unit(&p->jt, &p->jt.root);
	base = sl_jtext_indent_of(&p->jt, p->jt.root.kids[0].key_start);
	text = sl_jtext_eol(&p->jt, sl_jtext_render(rec, base, unit));
	sl_jedit_add_member(&e, &p->jt, &p->jt.root, SL_TWIN_KEY, text);
	free(text);
	free(base);
	free(unit);
	json_decref(rec);
	return finish(p, &e, out, outlen, edits, cause);
}

/* The rule a recorded entry names: at its index if it still is that rule
 * (logging, same first name), else the only logging rule with that name. */
static long find_rule(const struct sl_profile *p, const json_t *ent)
{
	const json_t *calls = json_object_get(p->root, "syscalls"), *rule;
	json_int_t at = json_integer_value(json_object_get(ent, "index"));
	const char *name = json_string_value(json_object_get(ent, "name"));
	long found = -1;
	size_t i;

	if (!name)
		return -1;
	rule = json_array_get(calls, (size_t)at);
	if (at >= 0 && rule && !strcmp(sl_rule_action(rule) ? sl_rule_action(rule) : "", LOG) &&
	    !strcmp(first_name(rule), name))
		return (long)at;
	json_array_foreach(calls, i, rule) {
		if (strcmp(sl_rule_action(rule) ? sl_rule_action(rule) : "", LOG) ||
		    strcmp(first_name(rule), name))
			continue;
		if (found >= 0)
			return -1;	/* two candidates: do not guess */
		found = (long)i;
	}
	return found;
}

int sl_twin_enforce(const struct sl_profile *p, const char *default_action, char **out,
		    size_t *outlen, struct sl_jedits *edits, char **cause)
{
	const struct sl_jnode *def = top(p, "defaultAction"), *calls = top(p, "syscalls");
	const char *now = json_string_value(json_object_get(p->root, "defaultAction"));
	const json_t *rec = record(p), *ent;
	const char *want = default_action;
	struct sl_jedits e = { 0 };
	size_t i;

	*out = NULL;
	if (want && !sl_action_denies(want))
		return sl_fail(cause, -EINVAL, "%s is not a deny action (SCMP_ACT_ERRNO, "
			       "SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD, SCMP_ACT_KILL, "
			       "SCMP_ACT_TRAP)", want);
	if (!want && rec)
		want = sl_twin_recorded_default(p);
	if (rec && (!want || !sl_action_denies(want)))
		return sl_fail(cause, -EINVAL, "the \"%s\" record names no deny action to "
			       "enforce with; give --default-action", SL_TWIN_KEY);
	if (!want) {
		/* not a twin: a profile that already denies stays as it is */
		if (sl_action_denies(now))
			want = now;
		else
			want = "SCMP_ACT_ERRNO";
		if (!strcmp(want, "SCMP_ACT_ERRNO") && !json_object_get(p->root, "defaultErrnoRet"))
			sl_jedit_add_member(&e, &p->jt, &p->jt.root, "defaultErrnoRet", "1");
	}
	if (!def)
		return sl_fail(cause, -EINVAL, "has no defaultAction");
	if (!now || strcmp(now, want))
		replace_string(&e, def, want);
	if (rec) {
		const json_t *enf = json_object_get(rec, "enforce");
		json_t *values = json_object();

		/* the errno goes back only with the recorded default */
		if (!default_action || !strcmp(default_action, sl_twin_recorded_default(p))) {
			for (i = 0; default_errno_keys[i]; i++)
				if (json_object_get(enf, default_errno_keys[i]))
					json_object_set(values, default_errno_keys[i],
							json_object_get(enf, default_errno_keys[i]));
			unstrip(&e, &p->jt, &p->jt.root, json_object_get(enf, "restore"), values);
		}
		json_decref(values);
	}

	json_array_foreach(json_object_get(json_object_get(rec, "enforce"), "rules"), i, ent) {
		const char *a = json_string_value(json_object_get(ent, "action"));
		long r = find_rule(p, ent);
		const struct sl_jnode *an;

		if (!a || !sl_action_denies(a) || r < 0 || !calls || (size_t)r >= calls->nkids ||
		    !(an = sl_jnode_member(&p->jt, &calls->kids[r], "action"))) {
			sl_jedits_free(&e);
			return sl_fail(cause, -EINVAL, "the \"%s\" record's rules[%zu] (%s) matches "
				       "no logging rule of syscalls[]: was the rule edited? put its "
				       "action back by hand and remove the entry", SL_TWIN_KEY, i,
				       json_string_value(json_object_get(ent, "name")) ?: "?");
		}
		replace_string(&e, an, a);
		{
			json_t *values = json_object();
			size_t k;

			for (k = 0; rule_errno_keys[k]; k++)
				if (json_object_get(ent, rule_errno_keys[k]))
					json_object_set(values, rule_errno_keys[k],
							json_object_get(ent, rule_errno_keys[k]));
			unstrip(&e, &p->jt, &calls->kids[r], json_object_get(ent, "restore"), values);
			json_decref(values);
		}
	}
	if (rec) {
		const struct sl_jnode *root = &p->jt.root;
		bool *drop = calloc(root->nkids, sizeof(*drop));
		size_t k;

		if (!drop) {
			sl_jedits_free(&e);
			return sl_fail(cause, -ENOMEM, "out of memory");
		}
		for (k = 0; k < root->nkids; k++)
			drop[k] = &root->kids[k] == top(p, SL_TWIN_KEY);
		sl_jedit_remove(&e, &p->jt, root, drop);
		free(drop);
	}
	return finish(p, &e, out, outlen, edits, cause);
}
