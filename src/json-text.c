/* json-text.c - value positions in a JSON text and byte-preserving edits */
#include "config.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "json-text.h"

#define MAX_DEPTH 2048	/* jansson's own limit */

struct scan {
	const char *s;
	size_t len, pos;
	int depth;
};

static void ws(struct scan *sc)
{
	while (sc->pos < sc->len) {
		char c = sc->s[sc->pos];

		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		sc->pos++;
	}
}

static int string_end(struct scan *sc)
{
	sc->pos++;	/* opening quote */
	while (sc->pos < sc->len) {
		char c = sc->s[sc->pos++];

		if (c == '\\')
			sc->pos++;
		else if (c == '"')
			return 0;
	}
	return -EINVAL;
}

static void add_kid(struct sl_jnode *parent, size_t *cap, const struct sl_jnode *kid)
{
	if (parent->nkids == *cap) {
		*cap = *cap ? 2 * *cap : 4;
		parent->kids = sl_xrealloc(parent->kids, *cap * sizeof(*parent->kids));
	}
	parent->kids[parent->nkids++] = *kid;
}

static int value(struct scan *sc, struct sl_jnode *n);
static void free_node(struct sl_jnode *n);

static int container(struct scan *sc, struct sl_jnode *n, char close)
{
	size_t cap = 0;

	if (++sc->depth > MAX_DEPTH)
		return -EINVAL;
	sc->pos++;
	ws(sc);
	if (sc->pos < sc->len && sc->s[sc->pos] == close) {
		sc->pos++;
		sc->depth--;
		return 0;
	}
	for (;;) {
		struct sl_jnode kid = { 0 };

		ws(sc);
		if (close == '}') {
			if (sc->pos >= sc->len || sc->s[sc->pos] != '"')
				return -EINVAL;
			kid.key_start = sc->pos;
			if (string_end(sc))
				return -EINVAL;
			kid.key_end = sc->pos;
			ws(sc);
			if (sc->pos >= sc->len || sc->s[sc->pos] != ':')
				return -EINVAL;
			sc->pos++;
			ws(sc);
		}
		if (value(sc, &kid)) {
			free_node(&kid);	/* its whole subtree, however deep */
			return -EINVAL;
		}
		add_kid(n, &cap, &kid);
		ws(sc);
		if (sc->pos >= sc->len)
			return -EINVAL;
		if (sc->s[sc->pos] == ',') {
			sc->pos++;
			continue;
		}
		if (sc->s[sc->pos] != close)
			return -EINVAL;
		sc->pos++;
		sc->depth--;
		return 0;
	}
}

static int value(struct scan *sc, struct sl_jnode *n)
{
	char c;
	int rc = 0;

	if (sc->pos >= sc->len)
		return -EINVAL;
	n->start = sc->pos;
	c = sc->s[sc->pos];
	switch (c) {
	case '{':
	case '[':
		n->type = c;
		rc = container(sc, n, c == '{' ? '}' : ']');
		break;
	case '"':
		n->type = '"';
		rc = string_end(sc);
		break;
	default:
		n->type = c == 't' || c == 'f' ? c : c == 'n' ? '0' : 'n';
		while (sc->pos < sc->len && !strchr(",]} \t\r\n", sc->s[sc->pos]))
			sc->pos++;
		if (sc->pos == n->start)
			rc = -EINVAL;
	}
	n->end = sc->pos;
	return rc;
}

static void free_node(struct sl_jnode *n)
{
	size_t i;

	for (i = 0; i < n->nkids; i++)
		free_node(&n->kids[i]);
	free(n->kids);
	n->kids = NULL;
	n->nkids = 0;
}

int sl_jtext_index(struct sl_jtext *jt, const char *text, size_t len, char **cause)
{
	struct scan sc = { .s = text, .len = len };
	int rc;

	memset(jt, 0, sizeof(*jt));
	jt->text = text;
	jt->len = len;
	{
		const char *nl = memchr(text, '\n', len);

		jt->crlf = nl && nl > text && nl[-1] == '\r';
	}
	ws(&sc);
	rc = value(&sc, &jt->root);
	if (rc) {
		free_node(&jt->root);
		return sl_fail(cause, -EINVAL, "not JSON near byte %zu", sc.pos);
	}
	return 0;
}

void sl_jtext_free(struct sl_jtext *jt)
{
	free_node(&jt->root);
}

/* Compare a JSON string literal in the text with a plain key. */
static bool key_is(const struct sl_jtext *jt, const struct sl_jnode *kid, const char *key)
{
	const char *s = jt->text + kid->key_start + 1, *end = jt->text + kid->key_end - 1;
	json_t *v;
	bool eq;

	if (!memchr(s, '\\', (size_t)(end - s)))
		return strlen(key) == (size_t)(end - s) && !memcmp(s, key, (size_t)(end - s));
	/* escapes in a key are rare: let jansson decode it */
	v = json_loadb(s - 1, (size_t)(end - s) + 2, JSON_DECODE_ANY, NULL);
	eq = v && json_is_string(v) && !strcmp(json_string_value(v), key);
	json_decref(v);
	return eq;
}

const struct sl_jnode *sl_jnode_member(const struct sl_jtext *jt, const struct sl_jnode *obj,
				       const char *key)
{
	const struct sl_jnode *found = NULL;
	size_t i;

	if (!obj || obj->type != '{')
		return NULL;
	/* the last one wins, as in jansson */
	for (i = 0; i < obj->nkids; i++)
		if (key_is(jt, &obj->kids[i], key))
			found = &obj->kids[i];
	return found;
}

void sl_jtext_position(const struct sl_jtext *jt, size_t off, size_t *line, size_t *col)
{
	size_t i, l = 1, c = 1;

	for (i = 0; i < off && i < jt->len; i++) {
		if (jt->text[i] == '\n') {
			l++;
			c = 1;
		} else {
			c++;
		}
	}
	*line = l;
	*col = c;
}

static void push(struct sl_jedits *e, size_t off, size_t del, char *ins)
{
	e->v = sl_xrealloc(e->v, (e->n + 1) * sizeof(*e->v));
	e->v[e->n].off = off;
	e->v[e->n].del = del;
	e->v[e->n].ins = ins;
	e->n++;
}

static bool has_nl(const char *s, size_t a, size_t b)
{
	return b > a && memchr(s + a, '\n', b - a);
}

/* The separator a container puts before its next element or member. */
static char *separator(const struct sl_jtext *jt, const struct sl_jnode *c)
{
	const char *s = jt->text;
	size_t first = c->type == '{' ? c->kids[0].key_start : c->kids[0].start;

	if (c->nkids >= 2) {
		const struct sl_jnode *k = &c->kids[c->nkids - 1];
		size_t next = c->type == '{' ? k->key_start : k->start;
		size_t prev = c->kids[c->nkids - 2].end;

		return sl_xasprintf("%.*s", (int)(next - prev), s + prev);
	}
	if (has_nl(s, c->start + 1, first))
		return sl_xasprintf(",%.*s", (int)(first - c->start - 1), s + c->start + 1);
	return sl_xstrdup(", ");
}

void sl_jedit_append(struct sl_jedits *e, const struct sl_jtext *jt, const struct sl_jnode *arr,
		     const char *const *values, size_t n)
{
	char *sep, *ins;
	size_t i, len = 0, sl;

	if (!n)
		return;
	sep = arr->nkids ? separator(jt, arr) : sl_xstrdup(", ");
	sl = strlen(sep);
	for (i = 0; i < n; i++)
		len += sl + strlen(values[i]);
	ins = sl_xmalloc(len + 1);
	len = 0;
	for (i = 0; i < n; i++) {
		if (i || arr->nkids) {
			memcpy(ins + len, sep, sl);
			len += sl;
		}
		memcpy(ins + len, values[i], strlen(values[i]));
		len += strlen(values[i]);
	}
	ins[len] = '\0';
	free(sep);
	if (arr->nkids)
		push(e, arr->kids[arr->nkids - 1].end, 0, ins);
	else	/* "[]" or "[ ]": the values go right after '[' */
		push(e, arr->start + 1, arr->end - arr->start - 2, ins);
}

char *sl_jtext_indent_of(const struct sl_jtext *jt, size_t off)
{
	size_t b = off, i;

	while (b > 0 && jt->text[b - 1] != '\n')
		b--;
	for (i = b; i < off && (jt->text[i] == ' ' || jt->text[i] == '\t'); i++)
		;
	return sl_xasprintf("%.*s", (int)(i - b), jt->text + b);
}

char *sl_jtext_indent_unit(const struct sl_jtext *jt, const struct sl_jnode *c)
{
	char *outer, *inner, *unit;
	size_t first;

	if (!c->nkids)
		return NULL;
	first = c->type == '{' ? c->kids[0].key_start : c->kids[0].start;
	if (!has_nl(jt->text, c->start, first))
		return NULL;	/* elements on the container's line: one-line style */
	outer = sl_jtext_indent_of(jt, c->start);
	inner = sl_jtext_indent_of(jt, first);
	if (strlen(inner) > strlen(outer) && !strncmp(inner, outer, strlen(outer)))
		unit = sl_xstrdup(inner + strlen(outer));
	else
		unit = sl_xstrdup(inner[0] == '\t' ? "\t" : "    ");
	free(outer);
	free(inner);
	return unit;
}

void sl_jedit_add_member(struct sl_jedits *e, const struct sl_jtext *jt,
			 const struct sl_jnode *obj, const char *key, const char *value)
{
	const char *s = jt->text;
	char *sep, *colon, *ins;

	if (obj->nkids) {
		const struct sl_jnode *k = &obj->kids[obj->nkids - 1];

		sep = separator(jt, obj);
		colon = sl_xasprintf("%.*s", (int)(k->start - k->key_end), s + k->key_end);
		ins = sl_xasprintf("%s\"%s\"%s%s", sep, key, colon, value);
		push(e, k->end, 0, ins);
		free(sep);
		free(colon);
	} else {
		ins = sl_xasprintf("\"%s\": %s", key, value);
		push(e, obj->start + 1, obj->end - obj->start - 2, ins);
	}
}

void sl_jedit_replace(struct sl_jedits *e, const struct sl_jnode *n, const char *value)
{
	push(e, n->start, n->end - n->start, sl_xstrdup(value));
}

/* Where a kid begins: its key for an object member. */
static size_t kid_start(const struct sl_jnode *c, size_t i)
{
	return c->type == '{' ? c->kids[i].key_start : c->kids[i].start;
}

void sl_jedit_remove(struct sl_jedits *e, const struct sl_jtext *jt, const struct sl_jnode *c,
		     const bool *drop)
{
	const struct sl_jnode *k = c->kids;
	size_t i, keep;

	(void)jt;
	for (keep = 0; keep < c->nkids && drop[keep]; keep++)
		;
	if (keep == c->nkids) {
		if (c->nkids)
			push(e, c->start + 1, c->end - c->start - 2, sl_xstrdup(""));
		return;
	}
	/* leading dropped kids go up to the first kept one ... */
	if (keep)
		push(e, kid_start(c, 0), kid_start(c, keep) - kid_start(c, 0), sl_xstrdup(""));
	/* ... later ones with the separator before them */
	for (i = keep + 1; i < c->nkids; i++)
		if (drop[i])
			push(e, k[i - 1].end, k[i].end - k[i - 1].end, sl_xstrdup(""));
}

char *sl_jtext_eol(const struct sl_jtext *jt, char *s)
{
	size_t n = 0, i, o = 0;
	char *out;

	if (!s || !jt->crlf)
		return s;
	for (i = 0; s[i]; i++)
		n += s[i] == '\n';
	out = sl_xmalloc(i + n + 1);
	for (i = 0; s[i]; i++) {
		if (s[i] == '\n' && (!i || s[i - 1] != '\r'))
			out[o++] = '\r';
		out[o++] = s[i];
	}
	out[o] = '\0';
	free(s);
	return out;
}

char *sl_jtext_render(const struct json_t *v, const char *base, const char *unit)
{
	char *raw, *out, *o;
	const char *p;
	size_t lines = 1, ul, bl, depth;

	if (!unit)
		return json_dumps(v, JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
	/* indent 1: the number of leading spaces is the depth */
	raw = json_dumps(v, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
	if (!raw)
		return NULL;
	ul = strlen(unit);
	bl = strlen(base);
	for (p = raw; *p; p++)
		lines += *p == '\n';
	out = o = sl_xmalloc(strlen(raw) + lines * (bl + 1) + strlen(raw) * ul + 1);
	for (p = raw; *p;) {
		if (p != raw) {
			memcpy(o, base, bl);
			o += bl;
			for (depth = 0; *p == ' '; p++, depth++) {
				memcpy(o, unit, ul);
				o += ul;
			}
		}
		while (*p && *p != '\n')
			*o++ = *p++;
		if (*p)
			*o++ = *p++;
	}
	*o = '\0';
	free(raw);
	return out;
}

/* Edit order: by offset; at one offset an insertion goes before a
 * deletion starting there (it belongs before the deleted bytes), and
 * otherwise edits keep the order they were made in. */
static bool edit_before(const struct sl_jedit *a, const struct sl_jedit *b)
{
	return a->off < b->off || (a->off == b->off && !a->del && b->del);
}

struct sl_jedit *sl_jedits_sorted(const struct sl_jedits *e)
{
	struct sl_jedit *v = sl_xmalloc((e->n ? e->n : 1) * sizeof(*v));
	size_t i;

	/* insertion sort: few edits, and stable */
	for (i = 0; i < e->n; i++) {
		size_t j = i;

		while (j > 0 && edit_before(&e->v[i], &v[j - 1])) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = e->v[i];
	}
	return v;
}

char *sl_jedits_apply(const struct sl_jedits *e, const char *text, size_t len, size_t *outlen)
{
	struct sl_jedit *v = sl_jedits_sorted(e);
	size_t i, total = len, at = 0, o = 0;
	char *out;

	for (i = 0; i < e->n; i++) {
		/* overlapping edits have no meaning: refuse, never copy backwards */
		if (v[i].off < at || v[i].off > len || v[i].del > len - v[i].off) {
			free(v);
			*outlen = 0;
			return NULL;
		}
		at = v[i].off + v[i].del;
		total += strlen(v[i].ins);
	}
	at = 0;
	out = sl_xmalloc(total + 1);
	for (i = 0; i < e->n; i++) {
		memcpy(out + o, text + at, v[i].off - at);
		o += v[i].off - at;
		memcpy(out + o, v[i].ins, strlen(v[i].ins));
		o += strlen(v[i].ins);
		at = v[i].off + v[i].del;
	}
	memcpy(out + o, text + at, len - at);
	o += len - at;
	out[o] = '\0';
	*outlen = o;
	free(v);
	return out;
}

void sl_jedits_free(struct sl_jedits *e)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		free(e->v[i].ins);
	free(e->v);
	e->v = NULL;
	e->n = 0;
}
