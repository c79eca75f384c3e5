/* test-diff.c - the unified diff of edits: by hand, and applied by patch(1) */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"
#include "diff.h"

#define NO_NL "\\ No newline at end of file\n"

static void edit(struct sl_jedits *e, size_t off, size_t del, const char *ins)
{
	e->v = realloc(e->v, (e->n + 1) * sizeof(*e->v));
	e->v[e->n].off = off;
	e->v[e->n].del = del;
	e->v[e->n].ins = strdup(ins);
	e->n++;
}

static void expect(const char *text, struct sl_jedits *e, const char *want)
{
	size_t n;
	char *d = sl_diff_edits(text, strlen(text), e, "p.json", &n);

	assert_non_null(d);
	assert_int_equal(strlen(d), n);
	assert_string_equal(d, want);
	free(d);
	sl_jedits_free(e);
}

static const char ten[] = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";

static void test_insert_in_a_line(void **state)
{
	struct sl_jedits e = { 0 };

	edit(&e, 9, 0, "x");	/* "5" -> "5x" */
	expect(ten, &e,
	       "--- p.json\n+++ p.json\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+5x\n 6\n 7\n 8\n");
}

static void test_insert_lines(void **state)
{
	struct sl_jedits e = { 0 };

	edit(&e, 2, 0, "a\nb\n");	/* before "2" */
	expect(ten, &e, "--- p.json\n+++ p.json\n@@ -1,4 +1,6 @@\n 1\n+a\n+b\n 2\n 3\n 4\n");
	/* a new line inside a line, as a merge appends ",\n  \"x\"" */
	edit(&e, 1, 0, ",\n  x");
	expect(ten, &e,
	       "--- p.json\n+++ p.json\n@@ -1,4 +1,5 @@\n-1\n+1,\n+  x\n 2\n 3\n 4\n");
}

static void test_hunks_join_or_not(void **state)
{
	struct sl_jedits e = { 0 };

	/* lines 1 and 8: 6 lines between, one hunk */
	edit(&e, 14, 1, "E");
	edit(&e, 0, 1, "A");
	expect(ten, &e,
	       "--- p.json\n+++ p.json\n@@ -1,10 +1,10 @@\n-1\n+A\n 2\n 3\n 4\n 5\n 6\n 7\n"
	       "-8\n+E\n 9\n 10\n");
	/* lines 1 and 9: 7 between, two hunks */
	edit(&e, 0, 1, "A");
	edit(&e, 16, 1, "N");
	expect(ten, &e,
	       "--- p.json\n+++ p.json\n@@ -1,4 +1,4 @@\n-1\n+A\n 2\n 3\n 4\n"
	       "@@ -6,5 +6,5 @@\n 6\n 7\n 8\n-9\n+N\n 10\n");
}

static void test_two_edits_one_line(void **state)
{
	struct sl_jedits e = { 0 };

	edit(&e, 9, 0, "y");
	edit(&e, 8, 0, "x");
	expect(ten, &e,
	       "--- p.json\n+++ p.json\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+x5y\n 6\n 7\n 8\n");
	/* a deletion that joins two lines */
	edit(&e, 5, 1, "");
	edit(&e, 6, 0, "b");
	expect(ten, &e, "--- p.json\n+++ p.json\n@@ -1,7 +1,6 @@\n 1\n 2\n-3\n-4\n+3b4\n 5\n 6\n 7\n");
}

static void test_no_newline_at_end(void **state)
{
	struct sl_jedits e = { 0 };

	edit(&e, 5, 0, "]");
	expect("a\nb\n[", &e, "--- p.json\n+++ p.json\n@@ -1,3 +1,3 @@\n a\n b\n-[\n" NO_NL "+[]\n"
	       NO_NL);
	edit(&e, 5, 0, "\n");	/* the newline comes */
	expect("a\nb\n[", &e, "--- p.json\n+++ p.json\n@@ -1,3 +1,3 @@\n a\n b\n-[\n" NO_NL "+[\n");
}

static void test_whole_replacement(void **state)
{
	struct sl_jedits e = { 0 };

	edit(&e, 0, 0, "x\ny\n");
	expect("", &e, "--- p.json\n+++ p.json\n@@ -0,0 +1,2 @@\n+x\n+y\n");
	/* only the lines that differ show */
	edit(&e, 0, strlen(ten), "1\n2\n3\n4\nfive\n6\n7\n8\n9\n10\n");
	expect(ten, &e,
	       "--- p.json\n+++ p.json\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
	edit(&e, 0, strlen(ten), ten);
	expect(ten, &e, "");
	/* a removal of everything */
	edit(&e, 0, 4, "");
	expect("a\nb\n", &e, "--- p.json\n+++ p.json\n@@ -1,2 +0,0 @@\n-a\n-b\n");
}

static void test_overlap_refused(void **state)
{
	struct sl_jedits e = { 0 };

	edit(&e, 2, 4, "");
	edit(&e, 3, 1, "x");
	assert_null(sl_diff_edits(ten, strlen(ten), &e, "p", NULL));
	sl_jedits_free(&e);
}

/* ---- patch(1) applies every diff: random edits on random texts ---- */

static uint32_t seed = 42;

static uint32_t rnd(uint32_t n)
{
	seed = seed * 1103515245u + 12345u;
	return (seed >> 8) % n;
}

static char *random_text(size_t *len)
{
	static const char *const pieces[] = { "a", "bc", "\n", "\n", "{", "}", " ", "\r\n", "\"x\"",
					      ",", "\t" };
	size_t n = rnd(40), i;
	char *s = calloc(1, 512);

	for (i = 0; i < n; i++)
		strcat(s, pieces[rnd(sizeof(pieces) / sizeof(pieces[0]))]);
	*len = strlen(s);
	return s;
}

static void put_file(const char *path, const char *s, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(s, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static void test_patch_applies(void **state)
{
	char dir[] = "/tmp/seclog-diff-XXXXXX", cmd[256];
	int round, cwd = open(".", O_RDONLY);

	if (access("/usr/bin/patch", X_OK))
		skip();
	assert_non_null(mkdtemp(dir));
	assert_int_equal(chdir(dir), 0);
	for (round = 0; round < 300; round++) {
		struct sl_jedits e = { 0 };
		size_t len, at = 0, k, want_len, dlen;
		char *text = random_text(&len), *want, *d, got[1024];
		FILE *f;

		/* sorted, non-overlapping edits */
		for (k = rnd(4) + 1; k && at <= len; k--) {
			size_t off = at + rnd((uint32_t)(len - at + 1)), del;
			size_t ilen;

			del = rnd((uint32_t)(len - off + 1)) % 6;
			{
				size_t tl;
				char *ins = random_text(&tl);

				ilen = tl % 9;
				ins[ilen] = '\0';
				edit(&e, off, del, ins);
				free(ins);
			}
			at = off + del + 1;
		}
		want = sl_jedits_apply(&e, text, len, &want_len);
		assert_non_null(want);
		d = sl_diff_edits(text, len, &e, "p.txt", &dlen);
		assert_non_null(d);
		put_file("p.txt", text, len);
		put_file("d.diff", d, dlen);
		snprintf(cmd, sizeof(cmd), "patch -s -p0 --binary < d.diff >/dev/null 2>&1");
		if (system(cmd) != 0)
			fail_msg("round %d: patch refused:\n%s", round, d);
		f = fopen("p.txt", "rb");
		assert_non_null(f);
		k = fread(got, 1, sizeof(got), f);
		fclose(f);
		if (k != want_len || memcmp(got, want, k))
			fail_msg("round %d: patched text differs; diff:\n%s", round, d);
		/* no change, no diff */
		assert_true((want_len == len && !memcmp(want, text, len)) == !*d);
		unlink("p.txt.orig");
		free(d);
		free(want);
		free(text);
		sl_jedits_free(&e);
	}
	assert_int_equal(fchdir(cwd), 0);
	close(cwd);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_insert_in_a_line),
		cmocka_unit_test(test_insert_lines),
		cmocka_unit_test(test_hunks_join_or_not),
		cmocka_unit_test(test_two_edits_one_line),
		cmocka_unit_test(test_no_newline_at_end),
		cmocka_unit_test(test_whole_replacement),
		cmocka_unit_test(test_overlap_refused),
		cmocka_unit_test(test_patch_applies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
