/* test-json-text.c - positions and byte-preserving edits */
#include "config.h"

#include <errno.h>
#include <jansson.h>

#include "unit.h"
#include "json-text.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index_and_position),
		cmocka_unit_test(test_append_multiline_tabs),
		cmocka_unit_test(test_append_one_line_and_single),
		cmocka_unit_test(test_remove),
		cmocka_unit_test(test_add_member_and_render),
		cmocka_unit_test(test_not_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
