/* test-diff.c - sl_diff_unified, checked by hand and against GNU diff itself */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diff.h"

#ifndef DIFF
#define DIFF "/usr/bin/diff"
#endif
#define UNUSED __attribute__((unused))
#define NO_NL "\\ No newline at end of file\n"

struct text {
	char *s;
	size_t len;
};

static void add(struct text *t, const char *p, size_t n)
{
	t->s = realloc(t->s, t->len + n + 1);
	assert_non_null(t->s);
	memcpy(t->s + t->len, p, n);
	t->len += n;
	t->s[t->len] = '\0';
}

static void adds(struct text *t, const char *s)
{
	add(t, s, strlen(s));
}

static void addf(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void addf(struct text *t, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < sizeof(buf));
	add(t, buf, (size_t)n);
}

static void write_temp(char *path, size_t size, const char *p, size_t n)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	snprintf(path, size, "%s/test-diff-XXXXXX", dir && *dir ? dir : "/tmp");
	assert_null(strchr(path, '\''));	/* it goes into a quoted command */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	while (n) {
		ssize_t w = write(fd, p, n);

		assert_true(w > 0);
		p += w;
		n -= (size_t)w;
	}
	assert_int_equal(close(fd), 0);
}

/* What GNU diff prints for the two texts (-a: NUL bytes do not make it binary). */
static char *gnu_diff(const char *a, size_t alen, const char *b, size_t blen, size_t *outlen)
{
	char pa[2048], pb[2048], cmd[4200];
	struct text out = { 0 };
	char buf[4096];
	size_t n;
	FILE *f;
	int st;

	write_temp(pa, sizeof(pa), a, alen);
	write_temp(pb, sizeof(pb), b, blen);
	/* the C locale: diff translates "No newline at end of file" */
	snprintf(cmd, sizeof(cmd), "LC_ALL=C " DIFF " -a -u --label OLD --label NEW '%s' '%s'",
		 pa, pb);
	f = popen(cmd, "r");
	assert_non_null(f);
	add(&out, "", 0);
	while ((n = fread(buf, 1, sizeof(buf), f)))
		add(&out, buf, n);
	st = pclose(f);
	unlink(pa);
	unlink(pb);
	/* 0: same, 1: different, 2: trouble */
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) <= 1);
	*outlen = out.len;
	return out.s;
}

static bool diff_missing;	/* a comparison could not run */

/* At the end of a test: skipped rather than passed if diff was not there. */
static void end_diff_checks(void)
{
	if (diff_missing) {
		diff_missing = false;
		skip();
	}
}

/* The library's output for the two texts is byte for byte diff's. */
static void same_as_diff(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t glen, elen;
	char *got, *exp;

	got = sl_diff_unified_len(a, alen, b, blen, "OLD", "NEW", &glen);
	assert_non_null(got);
	assert_int_equal(got[glen], '\0');
	if (!memchr(got, '\0', glen)) {
		char *plain = sl_diff_unified(a, alen, b, blen, "OLD", "NEW");

		assert_string_equal(plain, got);
		free(plain);
	}
	if (access(DIFF, X_OK)) {
		free(got);
		diff_missing = true;
		return;
	}
	exp = gnu_diff(a, alen, b, blen, &elen);
	if (glen != elen || memcmp(got, exp, glen)) {
		print_error("diff -u says (%zu bytes):\n%.*s\n"
			    "sl_diff_unified says (%zu bytes):\n%.*s\n",
			    elen, (int)elen, exp, glen, (int)glen, got);
		free(got);
		free(exp);
		fail();
	}
	free(got);
	free(exp);
}

static void same_as_diff_str(const char *a, const char *b)
{
	same_as_diff(a, strlen(a), b, strlen(b));
}

struct exact {
	const char *old, *new, *want;
};

/*
 * Hand-written expectations, checked first so that they hold even with no
 * diff installed; then diff's own word on the same texts.
 */
static void check_exact(const struct exact *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char *got = sl_diff_unified(v[i].old, strlen(v[i].old), v[i].new,
					    strlen(v[i].new), "OLD", "NEW");

		assert_string_equal(got, v[i].want);
		free(got);
	}
	for (i = 0; i < n; i++)
		same_as_diff_str(v[i].old, v[i].new);
}

#define CHECK_EXACT(v) check_exact(v, sizeof(v) / sizeof(v[0]))

static int count_hunks(const char *a, const char *b)
{
	char *d = sl_diff_unified(a, strlen(a), b, strlen(b), "OLD", "NEW");
	const char *p = d;
	int n = 0;

	for (; (p = strstr(p, "\n@@ ")); p++)
		n++;
	free(d);
	return n;
}

#define TEN "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n"

static void test_equal(void **state UNUSED)
{
	static const struct exact v[] = {
		{ "", "", "" },
		{ TEN, TEN, "" },
		{ "a\nb", "a\nb", "" },
	};
	char *d;

	d = sl_diff_unified(NULL, 0, NULL, 0, "OLD", "NEW");
	assert_string_equal(d, "");
	free(d);
	d = sl_diff_unified("a\0b\n", 4, "a\0b\n", 4, "OLD", "NEW");
	assert_string_equal(d, "");
	free(d);
	CHECK_EXACT(v);
	same_as_diff("a\0b\n", 4, "a\0b\n", 4);
	end_diff_checks();
}

static void test_insert(void **state UNUSED)
{
	static const struct exact v[] = {
		{ TEN, "1\n2\n3\n4\n5\nx\n6\n7\n8\n9\n10\n",
		  "--- OLD\n+++ NEW\n@@ -3,6 +3,7 @@\n 3\n 4\n 5\n+x\n 6\n 7\n 8\n" },
		{ "a\nb\nc\nd\ne\n", "x\na\nb\nc\nd\ne\n",
		  "--- OLD\n+++ NEW\n@@ -1,3 +1,4 @@\n+x\n a\n b\n c\n" },
		{ "a\nb\nc\nd\ne\n", "a\nb\nc\nd\ne\nx\n",
		  "--- OLD\n+++ NEW\n@@ -3,3 +3,4 @@\n c\n d\n e\n+x\n" },
		/* a short file: the context stops at both ends */
		{ "a\n", "a\nb\n", "--- OLD\n+++ NEW\n@@ -1 +1,2 @@\n a\n+b\n" },
	};

	CHECK_EXACT(v);
	same_as_diff_str(TEN, "1\n2\n3\n4\n5\nx\ny\nz\n6\n7\n8\n9\n10\n");
	end_diff_checks();
}

static void test_delete_change(void **state UNUSED)
{
	static const struct exact v[] = {
		{ TEN, "1\n2\n3\n4\n6\n7\n8\n9\n10\n",
		  "--- OLD\n+++ NEW\n@@ -2,7 +2,6 @@\n 2\n 3\n 4\n-5\n 6\n 7\n 8\n" },
		{ "a\nb\nc\n", "a\nB\nc\n", "--- OLD\n+++ NEW\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n" },
		{ "a\n", "b\n", "--- OLD\n+++ NEW\n@@ -1 +1 @@\n-a\n+b\n" },
	};

	CHECK_EXACT(v);
	same_as_diff_str(TEN, "2\n3\n4\n5\n6\n7\n8\n9\n");
	same_as_diff_str(TEN, "1\nTWO\n3\n4\nFIVE\nSIX\n7\n8\n9\n10\n");
	end_diff_checks();
}

static void test_labels(void **state UNUSED)
{
	char *d = sl_diff_unified("a\n", 2, "b\n", 2, "a/web app.json", "b/web app.json");

	assert_string_equal(d, "--- a/web app.json\n+++ b/web app.json\n@@ -1 +1 @@\n-a\n+b\n");
	free(d);
}

/* n numbered lines, with line i (1-based) in changes[] replaced */
static char *numbered(int n, const int *changes, int nchanges)
{
	struct text t = { 0 };
	int i, j;

	add(&t, "", 0);
	for (i = 1; i <= n; i++) {
		bool changed = false;

		for (j = 0; j < nchanges; j++)
			changed |= changes[j] == i;
		addf(&t, changed ? "changed %d\n" : "line %d\n", i);
	}
	return t.s;
}

static void test_hunks(void **state UNUSED)
{
	static const int far[] = { 5, 30 }, six[] = { 10, 17 }, seven[] = { 10, 18 };
	static const int edges[] = { 1, 40 }, many[] = { 2, 9, 16, 24, 25, 33 };
	char *old = numbered(40, NULL, 0), *new[5];
	int i;

	new[0] = numbered(40, far, 2);
	/* 6 equal lines between two changes: one hunk; 7: two */
	new[1] = numbered(40, six, 2);
	new[2] = numbered(40, seven, 2);
	new[3] = numbered(40, edges, 2);
	new[4] = numbered(40, many, 6);
	assert_int_equal(count_hunks(old, new[0]), 2);
	assert_int_equal(count_hunks(old, new[1]), 1);
	assert_int_equal(count_hunks(old, new[2]), 2);
	assert_int_equal(count_hunks(old, new[3]), 2);
	assert_int_equal(count_hunks(old, new[4]), 3);
	for (i = 0; i < 5; i++) {
		same_as_diff_str(old, new[i]);
		free(new[i]);
	}
	free(old);
	end_diff_checks();
}

static void test_no_newline(void **state UNUSED)
{
	static const struct exact v[] = {
		{ "a", "a\n", "--- OLD\n+++ NEW\n@@ -1 +1 @@\n-a\n" NO_NL "+a\n" },
		{ "a\n", "a", "--- OLD\n+++ NEW\n@@ -1 +1 @@\n-a\n+a\n" NO_NL },
		{ "a\nb\nc", "a\nb\nd",
		  "--- OLD\n+++ NEW\n@@ -1,3 +1,3 @@\n a\n b\n-c\n" NO_NL "+d\n" NO_NL },
		/* an unchanged last line without '\n' is context, marker and all */
		{ "a\nb\nc", "A\nb\nc",
		  "--- OLD\n+++ NEW\n@@ -1,3 +1,3 @@\n-a\n+A\n b\n c\n" NO_NL },
	};

	CHECK_EXACT(v);
	same_as_diff_str(TEN, "1\n2\n3\n4\n5\n6\n7\n8\n9\n10");
	same_as_diff_str("1\n2\n3\n4\n5\n6\n7\n8\n9\n10", TEN);
	same_as_diff_str("x\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10");
	same_as_diff_str("a\nb\na\nb\na", "a\nb\na\nb\na\nb\na");
	same_as_diff_str("a\na\na\na", "a\na\na\na\n");
	same_as_diff_str("a\n\n\n", "a\n\n\n\n");
	end_diff_checks();
}

static void test_empty_side(void **state UNUSED)
{
	static const struct exact v[] = {
		{ "", "a\nb\n", "--- OLD\n+++ NEW\n@@ -0,0 +1,2 @@\n+a\n+b\n" },
		{ "a\nb\n", "", "--- OLD\n+++ NEW\n@@ -1,2 +0,0 @@\n-a\n-b\n" },
		{ "", "a", "--- OLD\n+++ NEW\n@@ -0,0 +1 @@\n+a\n" NO_NL },
		{ "a", "", "--- OLD\n+++ NEW\n@@ -1 +0,0 @@\n-a\n" NO_NL },
		{ "", "\n", "--- OLD\n+++ NEW\n@@ -0,0 +1 @@\n+\n" },
	};
	char *d;

	d = sl_diff_unified(NULL, 0, "a\n", 2, "OLD", "NEW");
	assert_string_equal(d, "--- OLD\n+++ NEW\n@@ -0,0 +1 @@\n+a\n");
	free(d);
	CHECK_EXACT(v);
	/* nothing in common */
	same_as_diff_str("a\nb\nc\n", "x\ny\n");
	end_diff_checks();
}

static void test_nul_bytes(void **state UNUSED)
{
	static const char a[] = "same\na\0x\nend\n", b[] = "same\na\0y\nend\n";
	static const char want[] = "--- OLD\n+++ NEW\n@@ -1,3 +1,3 @@\n same\n-a\0x\n+a\0y\n end\n";
	size_t n;
	char *d;

	/* the lines differ after the NUL: a strcmp would call them equal */
	d = sl_diff_unified_len(a, sizeof(a) - 1, b, sizeof(b) - 1, "OLD", "NEW", &n);
	assert_int_equal(n, sizeof(want) - 1);
	assert_memory_equal(d, want, n);
	free(d);
	same_as_diff(a, sizeof(a) - 1, b, sizeof(b) - 1);
	same_as_diff("\0\n\0\0\n\0", 6, "\0\0\n\0\n\0", 6);
	same_as_diff("x\0", 2, "x\0\n", 3);
	end_diff_checks();
}

/* Among equal lines a change can go in several places: it must go where diff puts it. */
static void test_ambiguous(void **state UNUSED)
{
	same_as_diff_str("a\nb\n}\n}\n", "a\nb\n}\nc\n}\n}\n");
	same_as_diff_str("a\na\na\na\na\na\na\na\na\na\n", "a\na\na\na\na\na\na\na\na\na\na\n");
	same_as_diff_str("x\na\na\na\na\na\na\na\na\ny\n", "x\na\na\na\na\ny\n");
	same_as_diff_str("{\n\t\"a\",\n\t\"c\"\n}\n{\n\t\"d\"\n}\n",
			 "{\n\t\"a\",\n\t\"b\",\n\t\"c\"\n}\n{\n\t\"c\"\n}\n{\n\t\"d\"\n}\n");
	same_as_diff_str("a\nb\nc\na\nb\nc\n", "a\nb\nc\na\nb\nc\na\nb\nc\n");
	same_as_diff_str("\n\n\nx\n\n\n", "\n\nx\n\n\n\n\n");
	same_as_diff_str("a\nb\na\nb\n", "b\na\nb\na\n");
	end_diff_checks();
}

/* What --dry-run shows: names merged into a Docker-style profile. */
static void test_profile_merge(void **state UNUSED)
{
	static const char *const added[] = { "clone3", "io_uring_setup", "pidfd_open", "rseq" };
	static const char *const head =
		"{\n\t\"defaultAction\": \"SCMP_ACT_ERRNO\",\n\t\"architectures\": [\n";
	static const char *const tail =
		"\t\t\t],\n\t\t\t\"action\": \"SCMP_ACT_ALLOW\"\n\t\t}\n\t]\n}\n";
	struct text old = { 0 }, new = { 0 };
	char name[32];
	int i, k = 0;

	adds(&old, head);
	adds(&new, head);
	adds(&old, "\t\t\"SCMP_ARCH_X86_64\"\n");
	adds(&new, "\t\t\"SCMP_ARCH_X86_64\",\n\t\t\"SCMP_ARCH_X86\"\n");
	adds(&old, "\t],\n\t\"syscalls\": [\n\t\t{\n\t\t\t\"names\": [\n");
	adds(&new, "\t],\n\t\"syscalls\": [\n\t\t{\n\t\t\t\"names\": [\n");
	for (i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "%c%c_call%d", 'a' + i / 12, 'a' + i % 12, i);
		while (k < 4 && strcmp(added[k], name) < 0)
			addf(&new, "\t\t\t\t\"%s\",\n", added[k++]);
		addf(&old, "\t\t\t\t\"%s\"%s\n", name, i < 299 ? "," : "");
		addf(&new, "\t\t\t\t\"%s\"%s\n", name, i < 299 || k < 4 ? "," : "");
	}
	for (; k < 4; k++)
		addf(&new, "\t\t\t\t\"%s\"%s\n", added[k], k < 3 ? "," : "");
	adds(&old, tail);
	adds(&new, tail);
	same_as_diff(old.s, old.len, new.s, new.len);
	free(old.s);
	free(new.s);
	end_diff_checks();
}

static uint64_t rng_state;

static unsigned rnd(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % n);
}

/* A line from a small alphabet (many repeats), a blank, or a unique one. */
static void random_line(struct text *t, unsigned alpha, unsigned unique_pct)
{
	static unsigned serial;

	if (rnd(100) < unique_pct)
		addf(t, "unique %u\n", serial++);
	else if (rnd(10) == 0)
		add(t, "\n", 1);
	else
		addf(t, "line %u\n", rnd(alpha));
}

/* Two texts: old of n lines, new the same with edits at the given per-mille rate. */
static void random_pair(struct text *old, struct text *new, unsigned n, unsigned alpha,
			unsigned unique_pct, unsigned edit_rate)
{
	unsigned i, k;

	add(old, "", 0);
	add(new, "", 0);
	for (i = 0; i < n; i++) {
		size_t at = old->len;

		random_line(old, alpha, unique_pct);
		if (rnd(1000) >= edit_rate) {
			add(new, old->s + at, old->len - at);
			continue;
		}
		switch (rnd(3)) {
		case 0:		/* insert a few lines before it */
			for (k = 1 + rnd(4); k; k--)
				random_line(new, alpha, unique_pct);
			add(new, old->s + at, old->len - at);
			break;
		case 1:		/* delete it */
			break;
		default:	/* replace it */
			random_line(new, alpha, unique_pct);
			break;
		}
	}
	/* now and then drop the final '\n' of either side */
	if (old->len && rnd(4) == 0)
		old->s[--old->len] = '\0';
	if (new->len && rnd(4) == 0)
		new->s[--new->len] = '\0';
}

static void test_large_generated(void **state UNUSED)
{
	struct text old = { 0 }, new = { 0 };

	rng_state = 0x9e3779b97f4a7c15ULL;
	/* a few edits in a few thousand lines: the case the tool has */
	random_pair(&old, &new, 3000, 1000, 20, 5);
	same_as_diff(old.s, old.len, new.s, new.len);
	free(old.s);
	free(new.s);

	/* heavy edits among heavy repeats: discarding and sliding at work */
	old = (struct text){ 0 };
	new = (struct text){ 0 };
	random_pair(&old, &new, 4000, 4, 30, 200);
	same_as_diff(old.s, old.len, new.s, new.len);
	free(old.s);
	free(new.s);
	end_diff_checks();
}

static void test_random_small(void **state UNUSED)
{
	int i;

	rng_state = 0x243f6a8885a308d3ULL;
	for (i = 0; i < 200; i++) {
		struct text old = { 0 }, new = { 0 };

		random_pair(&old, &new, rnd(30), 1 + rnd(4), rnd(3) ? 0 : 20, 50 + rnd(400));
		same_as_diff(old.s, old.len, new.s, new.len);
		free(old.s);
		free(new.s);
	}
	end_diff_checks();
}

/* A line found on one side only (tag), or one repeated on both. */
static void mixed_line(struct text *t, char tag, unsigned unique_pct, unsigned alpha)
{
	if (rnd(100) < unique_pct)
		addf(t, "%c%u\n", tag, rnd(1000000000));
	else
		addf(t, "common %u\n", rnd(alpha));
}

/* Offset just past the line at offset at (mixed_line ends each in '\n'). */
static size_t line_end(const struct text *t, size_t at)
{
	const char *nl = memchr(t->s + at, '\n', t->len - at);

	assert_non_null(nl);
	return (size_t)(nl - t->s) + 1;
}

/* Runs of lines with no match, among lines with many: what diff discards first. */
static void mixed_pair(struct text *old, struct text *new, unsigned n)
{
	static const unsigned pcts[] = { 10, 50, 80, 95 }, alphas[] = { 1, 2, 4, 30 };
	static const unsigned rates[] = { 3, 30, 200 };
	unsigned pct = pcts[rnd(4)], alpha = alphas[rnd(4)], rate = rates[rnd(3)];
	unsigned i, k;
	size_t at;

	add(old, "", 0);
	add(new, "", 0);
	for (i = 0; i < n; i++)
		mixed_line(old, 'U', pct, alpha);
	if (rnd(2)) {
		for (i = rnd(2) ? n : n / 3 + 1; i; i--)
			mixed_line(new, 'V', pct, alpha);
		return;
	}
	/* or old with blocks inserted, deleted, replaced */
	for (at = 0; at < old->len;) {
		size_t end = line_end(old, at);

		if (rnd(1000) >= rate) {
			add(new, old->s + at, end - at);
			at = end;
			continue;
		}
		switch (rnd(3)) {
		case 0:
			for (k = 1 + rnd(19); k; k--)
				mixed_line(new, 'V', pct, alpha);
			break;
		case 1:
			for (k = rnd(19); k && end < old->len; k--)
				end = line_end(old, end);
			at = end;
			break;
		default:
			for (k = rnd(6); k; k--)
				mixed_line(new, 'V', pct, alpha);
			at = end;
			break;
		}
	}
}

static void test_unmatched_lines(void **state UNUSED)
{
	static const unsigned sizes[] = { 20, 80, 300, 1200, 3000 };
	int i;

	rng_state = 0x452821e638d01377ULL;
	for (i = 0; i < 40; i++) {
		struct text old = { 0 }, new = { 0 };

		mixed_pair(&old, &new, sizes[rnd(5)]);
		same_as_diff(old.s, old.len, new.s, new.len);
		free(old.s);
		free(new.s);
	}
	end_diff_checks();
}

/*
 * Texts so unlike that the search gives up on the shortest script part way
 * and splits where it got furthest, as diff does after 4096 steps.
 */
static void test_too_expensive(void **state UNUSED)
{
	struct text old = { 0 }, new = { 0 };
	int i;

	add(&old, "", 0);
	add(&new, "", 0);
	rng_state = 0x13198a2e03707344ULL;
	for (i = 0; i < 5000; i++) {
		addf(&old, "%u\n", rnd(100));
		addf(&new, "%u\n", rnd(100));
	}
	same_as_diff(old.s, old.len, new.s, new.len);

	/* two halves swapped */
	old.len = new.len = 0;
	for (i = 0; i < 4500; i++) {
		add(&old, "a\n", 2);
		add(&new, "b\n", 2);
	}
	for (i = 0; i < 4500; i++) {
		add(&old, "b\n", 2);
		add(&new, "a\n", 2);
	}
	same_as_diff(old.s, old.len, new.s, new.len);
	free(old.s);
	free(new.s);
	end_diff_checks();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_equal),
		cmocka_unit_test(test_insert),
		cmocka_unit_test(test_delete_change),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_hunks),
		cmocka_unit_test(test_no_newline),
		cmocka_unit_test(test_empty_side),
		cmocka_unit_test(test_nul_bytes),
		cmocka_unit_test(test_ambiguous),
		cmocka_unit_test(test_profile_merge),
		cmocka_unit_test(test_large_generated),
		cmocka_unit_test(test_random_small),
		cmocka_unit_test(test_unmatched_lines),
		cmocka_unit_test(test_too_expensive),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
