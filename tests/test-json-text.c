/* test-json-text.c - positions and byte-preserving edits */
#include "config.h"

#include <errno.h>
#include <jansson.h>

#include "unit.h"
#include "json-text.h"

/* Linked with --wrap: count the library's live blocks while asked to. */
static int counting;
static long live;
void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);
void __wrap_free(void *p);

void *__wrap_malloc(size_t n)
{
	live += counting;
	return __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t m)
{
	live += counting;
	return __real_calloc(n, m);
}

void *__wrap_realloc(void *p, size_t n)
{
	live += counting && !p;
	return __real_realloc(p, n);
}

void __wrap_free(void *p)
{
	live -= counting && p;
	__real_free(p);
}

static char *apply(const char *text, struct sl_jedits *e)
{
	size_t n;
	char *out = sl_jedits_apply(e, text, strlen(text), &n);

	assert_int_equal(strlen(out), n);
	sl_jedits_free(e);
	return out;
}

static void test_index_and_position(void **state)
{
	const char *text = "{\n  \"a\": [1, 2],\n  \"b\\u0041\": {\"c\": \"x\\\"y\"}\n}\n";
	struct sl_jtext jt;
	const struct sl_jnode *a, *b;
	size_t line, col;

	assert_int_equal(sl_jtext_index(&jt, text, strlen(text), NULL), 0);
	a = sl_jnode_member(&jt, &jt.root, "a");
	assert_non_null(a);
	assert_int_equal(a->type, '[');
	assert_int_equal(a->nkids, 2);
	b = sl_jnode_member(&jt, &jt.root, "bA");	/* escaped key */
	assert_non_null(b);
	assert_int_equal(b->kids[0].type, '"');
	assert_int_equal(b->kids[0].end - b->kids[0].start, 6);
	sl_jtext_position(&jt, b->key_start, &line, &col);
	assert_int_equal(line, 3);
	assert_int_equal(col, 3);
	sl_jtext_free(&jt);
}

static void test_append_multiline_tabs(void **state)
{
	const char *text = "{\n\t\"names\": [\n\t\t\"read\",\n\t\t\"write\"\n\t]\n}";
	const char *vals[] = { "\"close\"", "\"openat\"" };
	struct sl_jedits e = { 0 };
	struct sl_jtext jt;
	char *out;

	sl_jtext_index(&jt, text, strlen(text), NULL);
	sl_jedit_append(&e, &jt, sl_jnode_member(&jt, &jt.root, "names"), vals, 2);
	out = apply(text, &e);
	assert_string_equal(out, "{\n\t\"names\": [\n\t\t\"read\",\n\t\t\"write\",\n\t\t\"close\","
				 "\n\t\t\"openat\"\n\t]\n}");
	free(out);
	sl_jtext_free(&jt);
}

static void test_append_one_line_and_single(void **state)
{
	const char *text = "{\"a\": [\"x\", \"y\"], \"b\": [\n    \"z\"\n], \"c\": [ ]}";
	const char *v[] = { "\"n\"" };
	struct sl_jedits e = { 0 };
	struct sl_jtext jt;
	char *out;

	sl_jtext_index(&jt, text, strlen(text), NULL);
	sl_jedit_append(&e, &jt, sl_jnode_member(&jt, &jt.root, "a"), v, 1);
	sl_jedit_append(&e, &jt, sl_jnode_member(&jt, &jt.root, "b"), v, 1);
	sl_jedit_append(&e, &jt, sl_jnode_member(&jt, &jt.root, "c"), v, 1);
	out = apply(text, &e);
	assert_string_equal(out, "{\"a\": [\"x\", \"y\", \"n\"], \"b\": [\n    \"z\",\n    \"n\"\n], "
				 "\"c\": [\"n\"]}");
	free(out);
	sl_jtext_free(&jt);
}

static void test_remove(void **state)
{
	const char *text = "[\"a\", \"b\", \"c\", \"d\"]";
	bool first_two[] = { true, true, false, false };
	bool middle[] = { false, true, true, false };
	bool last[] = { false, false, false, true };
	bool all[] = { true, true, true, true };
	struct sl_jedits e = { 0 };
	struct sl_jtext jt;
	char *out;

	sl_jtext_index(&jt, text, strlen(text), NULL);
	sl_jedit_remove(&e, &jt, &jt.root, first_two);
	out = apply(text, &e);
	assert_string_equal(out, "[\"c\", \"d\"]");
	free(out);
	sl_jedit_remove(&e, &jt, &jt.root, middle);
	out = apply(text, &e);
	assert_string_equal(out, "[\"a\", \"d\"]");
	free(out);
	sl_jedit_remove(&e, &jt, &jt.root, last);
	out = apply(text, &e);
	assert_string_equal(out, "[\"a\", \"b\", \"c\"]");
	free(out);
	sl_jedit_remove(&e, &jt, &jt.root, all);
	out = apply(text, &e);
	assert_string_equal(out, "[]");
	free(out);
	sl_jtext_free(&jt);
}

static void test_add_member_and_render(void **state)
{
	const char *text = "{\n    \"defaultAction\": \"SCMP_ACT_ERRNO\"\n}\n";
	struct sl_jedits e = { 0 };
	struct sl_jtext jt;
	json_t *v = json_pack("[{s:[s,s]}]", "names", "read", "write"), *v2;
	char *unit, *r, *out;

	sl_jtext_index(&jt, text, strlen(text), NULL);
	unit = sl_jtext_indent_unit(&jt, &jt.root);
	assert_string_equal(unit, "    ");
	r = sl_jtext_render(v, "    ", unit);
	sl_jedit_add_member(&e, &jt, &jt.root, "syscalls", r);
	out = apply(text, &e);
	assert_string_equal(out, "{\n    \"defaultAction\": \"SCMP_ACT_ERRNO\",\n    \"syscalls\": [\n"
				 "        {\n            \"names\": [\n                \"read\",\n"
				 "                \"write\"\n            ]\n        }\n    ]\n}\n");
	v2 = json_loads(out, 0, NULL);
	assert_non_null(v2);
	json_decref(v2);
	free(out);
	free(r);
	free(unit);
	json_decref(v);
	sl_jtext_free(&jt);
}

static void test_not_json(void **state)
{
	struct sl_jtext jt;
	char *cause = NULL;

	assert_int_equal(sl_jtext_index(&jt, "{\"a\": ", 6, &cause), -EINVAL);
	free(cause);
}

/* Fuzzing: a failure three levels deep leaked the failed value's subtree. */
static void test_failed_index_frees_all(void **state)
{
	const char *text = "{\"a\": [{\"b\": [1, 2, [3]]}, {\"c\": [3, 4, {\"e\": [5]}], \"d\": ";
	struct sl_jtext jt;

	live = 0;
	counting = 1;
	assert_int_equal(sl_jtext_index(&jt, text, strlen(text), NULL), -EINVAL);
	counting = 0;
	assert_int_equal(live, 0);
	/* and the count sees blocks: a good index holds some until freed */
	counting = 1;
	assert_int_equal(sl_jtext_index(&jt, "{\"a\": [{\"b\": [1, 2, [3]]}]}", 27, NULL), 0);
	assert_true(live > 3);
	sl_jtext_free(&jt);
	counting = 0;
	assert_int_equal(live, 0);
}

/* Fuzzing: overlapping edits made a negative-size copy (abort). */
static void test_overlapping_edits_refused(void **state)
{
	struct sl_jedits e = { 0 };
	const char *text = "[1, 2, 3]";
	struct sl_jtext jt;
	bool drop[] = { false, true, true };
	size_t n;
	char *out;

	assert_int_equal(sl_jtext_index(&jt, text, strlen(text), NULL), 0);
	sl_jedit_remove(&e, &jt, &jt.root, drop);	/* [2, 8): ", 2, 3" */
	sl_jedit_replace(&e, &jt.root.kids[1], "7");	/* [4, 5) inside it */
	assert_null(sl_jedits_apply(&e, text, strlen(text), &n));
	sl_jedits_free(&e);
	/* an insertion where a deletion starts goes before the deleted bytes */
	{
		const char *one = "x";

		sl_jedit_remove(&e, &jt, &jt.root, drop);
		sl_jedit_append(&e, &jt, &(struct sl_jnode){ .type = '[', .start = 0, .end = 9,
							   .kids = jt.root.kids, .nkids = 1 },
				&one, 1);
		out = apply(text, &e);
		assert_string_equal(out, "[1, x]");
		free(out);
	}
	sl_jtext_free(&jt);
}

/* Members of an object go with their separators, as elements do. */
static void test_remove_member(void **state)
{
	const char *text = "{\"name\": \"a\", \"names\": [\"b\"], \"action\": \"X\"}";
	struct sl_jedits e = { 0 };
	struct sl_jtext jt;
	bool first[] = { true, false, false }, mid[] = { false, true, false };
	char *out;

	assert_int_equal(sl_jtext_index(&jt, text, strlen(text), NULL), 0);
	sl_jedit_remove(&e, &jt, &jt.root, first);
	out = apply(text, &e);
	assert_string_equal(out, "{\"names\": [\"b\"], \"action\": \"X\"}");
	free(out);
	sl_jedit_remove(&e, &jt, &jt.root, mid);
	out = apply(text, &e);
	assert_string_equal(out, "{\"name\": \"a\", \"action\": \"X\"}");
	free(out);
	sl_jtext_free(&jt);
}

static void test_crlf(void **state)
{
	struct sl_jtext jt;
	char *s;

	assert_int_equal(sl_jtext_index(&jt, "{\r\n}\r\n", 5, NULL), 0);
	assert_true(jt.crlf);
	s = sl_jtext_eol(&jt, strdup("[\n  1\r\n]"));
	assert_string_equal(s, "[\r\n  1\r\n]");
	free(s);
	sl_jtext_free(&jt);
	assert_int_equal(sl_jtext_index(&jt, "{\n}\r\n", 4, NULL), 0);
	assert_false(jt.crlf);
	sl_jtext_free(&jt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index_and_position),
		cmocka_unit_test(test_append_multiline_tabs),
		cmocka_unit_test(test_append_one_line_and_single),
		cmocka_unit_test(test_remove),
		cmocka_unit_test(test_add_member_and_render),
		cmocka_unit_test(test_not_json),
		cmocka_unit_test(test_failed_index_frees_all),
		cmocka_unit_test(test_overlapping_edits_refused),
		cmocka_unit_test(test_remove_member),
		cmocka_unit_test(test_crlf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
