/*
 * fuzz-profile.c - the profile reader (jansson, then the text index).
 * Invariants: a refusal says why; an accepted profile's index matches what
 * jansson read: every indexed value and key, cut out of the text by its
 * offsets, is a JSON value of the indexed type, and an object's members
 * are jansson's, in text order; the arch questions answer without harm.
 */
#include "config.h"

#include <errno.h>
#include <jansson.h>
#include <string.h>

#include "fuzz.h"
#include "profile.h"

static const char *const arch_names[] = { "x86_64", "x86", "x32", "aarch64", "arm" };

static void check_node(const struct sl_profile *p, const struct sl_jnode *n, const json_t *v,
		       int depth)
{
	json_t *cut;
	size_t i;

	FUZZ_CHECK(n->start < n->end && n->end <= p->len, "node [%zu, %zu) of %zu", n->start,
		   n->end, p->len);
	/* the deep ones are jansson's to check; keep the run fast */
	if (depth > 64)
		return;
	cut = json_loadb(p->text + n->start, n->end - n->start, JSON_DECODE_ANY, NULL);
	FUZZ_CHECK(cut && json_equal(cut, v), "node at %zu is not the value jansson read",
		   n->start);
	json_decref(cut);
	switch (n->type) {
	case '[':
		FUZZ_CHECK(json_is_array(v) && json_array_size(v) == n->nkids, "array at %zu",
			   n->start);
		for (i = 0; i < n->nkids; i++) {
			FUZZ_CHECK(i == 0 || n->kids[i].start >= n->kids[i - 1].end, "order");
			check_node(p, &n->kids[i], json_array_get(v, i), depth + 1);
		}
		break;
	case '{':
		FUZZ_CHECK(json_is_object(v) && json_object_size(v) == n->nkids, "object at %zu",
			   n->start);
		for (i = 0; i < n->nkids; i++) {
			const struct sl_jnode *k = &n->kids[i];
			json_t *key = json_loadb(p->text + k->key_start, k->key_end - k->key_start,
						 JSON_DECODE_ANY, NULL);

			FUZZ_CHECK(key && json_is_string(key), "key at %zu", k->key_start);
			FUZZ_CHECK(k->key_end <= k->start, "key after its value");
			check_node(p, k, json_object_get(v, json_string_value(key)), depth + 1);
			FUZZ_CHECK(sl_jnode_member(&p->jt, n, json_string_value(key)) == k,
				   "member lookup of key at %zu", k->key_start);
			json_decref(key);
		}
		break;
	case '"':
		FUZZ_CHECK(json_is_string(v), "string at %zu", n->start);
		break;
	case 't':
		FUZZ_CHECK(json_is_true(v), "true at %zu", n->start);
		break;
	case 'f':
		FUZZ_CHECK(json_is_false(v), "false at %zu", n->start);
		break;
	case '0':
		FUZZ_CHECK(json_is_null(v), "null at %zu", n->start);
		break;
	case 'n':
		FUZZ_CHECK(json_is_number(v), "number at %zu", n->start);
		break;
	default:
		FUZZ_CHECK(0, "type %c", n->type);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sl_profile p;
	char *cause = NULL;
	size_t i, line, col;
	int rc;

	rc = sl_profile_parse(&p, "fuzz.json", (const char *)data, size, &cause);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL, "rc %d", rc);
	if (rc) {
		FUZZ_CHECK(cause && *cause, "a refusal without a reason");
		free(cause);
		return 0;
	}
	FUZZ_CHECK(p.len == size && !memcmp(p.text, data, size), "the text is not the input");
	check_node(&p, &p.jt.root, p.root, 0);
	for (i = 0; i < sizeof(arch_names) / sizeof(arch_names[0]); i++) {
		const struct sl_arch *a = sl_arch_by_name(arch_names[i]);

		if (a)
			sl_profile_has_arch(&p, a);
	}
	sl_jtext_position(&p.jt, size, &line, &col);
	FUZZ_CHECK(line >= 1 && col >= 1, "position");
	sl_profile_free(&p);
	return 0;
}
