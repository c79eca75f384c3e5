/*
 * fuzz-json-text.c - the byte-preserving JSON editor.
 * Input: one byte N (1 + N%4 edits), N triples (op, target, arg), then a
 * text.  Whatever the text, indexing it never leaks or crashes, and a text
 * jansson accepts indexes.  The edits (append / add_member / replace /
 * remove on the indexed values, as the merge makes them) are applied when
 * they do not overlap, and then:
 *  - the result parses, and means what the same edits made on jansson's
 *    tree mean;
 *  - the bytes around and between the edits are the input's, in order.
 */
#include "config.h"

#include <errno.h>
#include <jansson.h>
#include <string.h>

#include "fuzz.h"
#include "json-text.h"

#define MAX_NODES 1024
#define MAX_OPS 4

static const char *const values[] = {
	"\"read\"", "1", "null", "{\"a\": [1, {\"b\": \"c\"}], \"d\": {}}", "[]", "{}",
	"[\"x\", \"y\"]", "\"\\u00e9\\\"\\n\"", "-0.5e3", "true", "\"SCMP_ACT_ALLOW\"",
};
#define NVALUES (sizeof(values) / sizeof(values[0]))

struct mark {
	json_t *replaced;	/* owned */
	json_t *appended;	/* owned array: values put after the last kid */
	char *key;		/* add_member: its key ... */
	json_t *member;		/* ... and value (owned) */
	bool dropped;		/* removed from its array */
	bool grown;		/* an append or add_member was made here */
};

struct fz {
	const char *text;
	struct sl_jtext jt;
	const struct sl_jnode *nodes[MAX_NODES];
	struct mark marks[MAX_NODES];
	size_t n, walk;
};

static void collect(struct fz *f, const struct sl_jnode *n)
{
	size_t i;

	if (f->n == MAX_NODES)
		return;
	f->nodes[f->n++] = n;
	for (i = 0; i < n->nkids; i++)
		collect(f, &n->kids[i]);
}

static long id_of(const struct fz *f, const struct sl_jnode *n)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (f->nodes[i] == n)
			return (long)i;
	return -1;
}

/* The k-th node of a type (0: any), or NULL. */
static const struct sl_jnode *pick(const struct fz *f, char type, unsigned int k)
{
	size_t i, m = 0;

	for (i = 0; i < f->n; i++)
		m += !type || f->nodes[i]->type == type;
	if (!m)
		return NULL;
	k %= m;
	for (i = 0; i < f->n; i++)
		if ((!type || f->nodes[i]->type == type) && !k--)
			return f->nodes[i];
	return NULL;
}

static json_t *cut(const char *text, size_t a, size_t b)
{
	return json_loadb(text + a, b - a, JSON_DECODE_ANY, NULL);
}

/* A value as the merge renders one: on one line, or in the text's style. */
static char *render(struct fz *f, const struct sl_jnode *c, unsigned int arg, json_t **v)
{
	char *base, *unit, *s;

	*v = json_loads(values[arg % NVALUES], JSON_DECODE_ANY, NULL);
	if (!(arg & 0x80))
		return sl_jtext_render(*v, "", NULL);
	base = sl_jtext_indent_of(&f->jt, c->nkids ? c->kids[c->nkids - 1].start : c->start);
	unit = sl_jtext_indent_unit(&f->jt, c);
	s = sl_jtext_render(*v, base, unit ? unit : "  ");
	free(base);
	free(unit);
	return s;
}

static bool has_key(const struct fz *f, const struct sl_jnode *obj, const char *key)
{
	return sl_jnode_member(&f->jt, obj, key) != NULL;
}

static void make_edit(struct fz *f, struct sl_jedits *e, unsigned int op, unsigned int target,
		      unsigned int arg, int nth)
{
	const struct sl_jnode *n;
	struct mark *m;
	char *s, key[8];
	json_t *v;
	size_t i;

	switch (op % 4) {
	case 0:	/* append 1-3 values to an array */
		n = pick(f, '[', target);
		if (!n || f->marks[id_of(f, n)].grown)
			return;
		m = &f->marks[id_of(f, n)];
		m->grown = true;
		m->appended = json_array();
		{
			char *vs[3];
			size_t k = arg % 3 + 1;

			for (i = 0; i < k; i++) {
				vs[i] = render(f, n, arg + 5 * (unsigned int)i, &v);
				json_array_append_new(m->appended, v);
			}
			sl_jedit_append(e, &f->jt, n, (const char *const *)vs, k);
			for (i = 0; i < k; i++)
				free(vs[i]);
		}
		break;
	case 1:	/* a new member */
		n = pick(f, '{', target);
		snprintf(key, sizeof(key), "k%d", nth);
		if (!n || f->marks[id_of(f, n)].grown || has_key(f, n, key))
			return;
		m = &f->marks[id_of(f, n)];
		m->grown = true;
		s = render(f, n, arg, &v);
		m->key = strdup(key);
		m->member = v;
		sl_jedit_add_member(e, &f->jt, n, key, s);
		free(s);
		break;
	case 2:	/* replace any value */
		n = pick(f, 0, target);
		if (!n)
			return;
		m = &f->marks[id_of(f, n)];
		if (m->replaced)
			return;
		s = render(f, n, arg & 0x7f, &v);
		m->replaced = v;
		sl_jedit_replace(e, n, s);
		free(s);
		break;
	case 3: {	/* drop some elements */
		bool *drop;

		n = pick(f, '[', target);
		if (!n || !n->nkids)
			return;
		drop = calloc(n->nkids, sizeof(bool));
		for (i = 0; i < n->nkids; i++) {
			drop[i] = arg >> (i % 8) & 1;
			if (drop[i] && id_of(f, &n->kids[i]) >= 0)
				f->marks[id_of(f, &n->kids[i])].dropped = true;
		}
		sl_jedit_remove(e, &f->jt, n, drop);
		free(drop);
		break;
	}
	}
}

/* The jansson tree the edits should give. */
static json_t *expected(struct fz *f, const struct sl_jnode *n)
{
	long id = (long)f->walk++;
	struct mark *m = &f->marks[id];
	json_t *v, *kid;
	size_t i;

	if (m->replaced) {
		v = json_deep_copy(m->replaced);
		/* skip the subtree's ids */
		for (i = 0; i < n->nkids; i++)
			json_decref(expected(f, &n->kids[i]));
		return v;
	}
	if (n->type == '[') {
		v = json_array();
		for (i = 0; i < n->nkids; i++) {
			bool drop = f->marks[f->walk].dropped;

			kid = expected(f, &n->kids[i]);
			if (!drop)
				json_array_append(v, kid);
			json_decref(kid);
		}
		if (m->appended)
			json_array_extend(v, m->appended);
		return v;
	}
	if (n->type == '{') {
		v = json_object();
		for (i = 0; i < n->nkids; i++) {
			json_t *key = cut(f->text, n->kids[i].key_start, n->kids[i].key_end);

			json_object_set_new(v, json_string_value(key), expected(f, &n->kids[i]));
			json_decref(key);
		}
		if (m->member)
			json_object_set(v, m->key, m->member);
		return v;
	}
	return cut(f->text, n->start, n->end);
}

/* Edits that touch: then the contract does not hold, and nothing is checked. */
static bool overlap(const struct sl_jedit *a, const struct sl_jedit *b)
{
	size_t ae = a->off + a->del, be = b->off + b->del;

	if (a->off == b->off)
		return a->del && b->del;
	if (a->off < b->off)
		return b->off < ae;
	return a->off < be;
}

/* Insertions before deletions at one offset, else the order made. */
static int before(const struct sl_jedit *a, size_t ia, const struct sl_jedit *b, size_t ib)
{
	if (a->off != b->off)
		return a->off < b->off;
	if (!a->del != !b->del)
		return !a->del;
	return ia < ib;
}

static void check_bytes(const struct sl_jedits *e, const char *text, size_t len,
			const char *out, size_t outlen)
{
	size_t *ord = malloc((e->n + 1) * sizeof(*ord)), i, j, at = 0, o = 0;

	for (i = 0; i < e->n; i++) {
		for (j = i; j > 0 && before(&e->v[i], i, &e->v[ord[j - 1]], ord[j - 1]); j--)
			ord[j] = ord[j - 1];
		ord[j] = i;
	}
	for (i = 0; i < e->n; i++) {
		const struct sl_jedit *d = &e->v[ord[i]];
		size_t il = strlen(d->ins);

		FUZZ_CHECK(o + (d->off - at) <= outlen &&
			   !memcmp(out + o, text + at, d->off - at),
			   "bytes [%zu, %zu) of the input changed", at, d->off);
		o += d->off - at;
		FUZZ_CHECK(o + il <= outlen && !memcmp(out + o, d->ins, il),
			   "edit at %zu not inserted as made", d->off);
		o += il;
		at = d->off + d->del;
	}
	FUZZ_CHECK(o + (len - at) == outlen && !memcmp(out + o, text + at, len - at),
		   "the input's tail from %zu changed", at);
	free(ord);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fz f;
	struct sl_jedits e = { 0 };
	const uint8_t *ops;
	size_t nops, len, i, j, outlen;
	const char *text;
	json_t *orig, *want, *got;
	char *out, *cause = NULL;
	int rc;

	if (size < 1)
		return 0;
	nops = data[0] % MAX_OPS + 1;
	if (size < 1 + 3 * nops)
		return 0;
	ops = data + 1;
	text = (const char *)data + 1 + 3 * nops;
	len = size - 1 - 3 * nops;

	memset(&f, 0, sizeof(f));
	f.text = text;
	rc = sl_jtext_index(&f.jt, text, len, &cause);
	FUZZ_CHECK(rc == 0 || (rc == -EINVAL && cause), "index rc %d", rc);
	free(cause);
	orig = json_loadb(text, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL);
	if (!orig) {
		if (!rc)
			sl_jtext_free(&f.jt);
		return 0;
	}
	/* jansson lets a NUL byte end a number, but not a string: a text
	 * with one is no JSON (the index refuses it, rightly, or an edit
	 * makes jansson refuse it), and the merge refuses to write it */
	json_decref(orig);
	if (memchr(text, '\0', len)) {
		if (!rc)
			sl_jtext_free(&f.jt);
		return 0;
	}
	FUZZ_CHECK(rc == 0, "jansson reads it, the index does not");

	collect(&f, &f.jt.root);
	for (i = 0; i < nops; i++)
		make_edit(&f, &e, ops[3 * i], ops[3 * i + 1], ops[3 * i + 2], (int)i);
	for (i = 0; i < e.n; i++)
		for (j = i + 1; j < e.n; j++)
			if (overlap(&e.v[i], &e.v[j]))
				goto out;
	/* growing a container that is emptied leaves a separator with no
	 * element before it: the merge must never ask for that */
	for (i = 0; i < f.n; i++)
		if (f.marks[i].grown && f.nodes[i]->nkids) {
			for (j = 0; j < f.nodes[i]->nkids; j++)
				if (!f.marks[id_of(&f, &f.nodes[i]->kids[j])].dropped)
					break;
			if (j == f.nodes[i]->nkids)
				goto out;
		}
	if (f.n == MAX_NODES)
		goto out;

	out = sl_jedits_apply(&e, text, len, &outlen);
	FUZZ_CHECK(out && out[outlen] == '\0', "no result");
	check_bytes(&e, text, len, out, outlen);
	got = json_loadb(out, outlen, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL);
	FUZZ_CHECK(got, "the edited text does not parse: %.*s", (int)outlen, out);
	f.walk = 0;
	want = expected(&f, &f.jt.root);
	FUZZ_CHECK(json_equal(want, got), "the edited text means something else: %.*s",
		   (int)outlen, out);
	json_decref(want);
	json_decref(got);
	{
		struct sl_jtext again;

		FUZZ_CHECK(sl_jtext_index(&again, out, outlen, NULL) == 0, "cannot index the result");
		sl_jtext_free(&again);
	}
	free(out);
out:
	for (i = 0; i < f.n; i++) {
		json_decref(f.marks[i].replaced);
		json_decref(f.marks[i].appended);
		json_decref(f.marks[i].member);
		free(f.marks[i].key);
	}
	sl_jedits_free(&e);
	sl_jtext_free(&f.jt);
	return 0;
}
