/*
 * test-minimize.c - the search against simulated workloads: C predicates
 * over name sets.  Each asserts the result (passes, and no kept name can
 * go alone) and that the trials stay far below one per name.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>

#include "unit.h"
#include "minimize.h"
#include "prune.h"

#define N 300

struct sim {
	size_t n;
	bool (*pred)(struct sim *w, const bool *keep);
	size_t calls;		/* trials judged */
	size_t late;		/* flaky: from this trial on, name extra is needed */
	size_t extra;
};

static int sim_judge(void *ctx, const bool *const *keep, size_t n, bool *pass, char **cause)
{
	struct sim *w = ctx;
	size_t i;

	(void)cause;
	for (i = 0; i < n; i++) {
		pass[i] = w->pred(w, keep[i]);
		w->calls++;
	}
	return 0;
}

/* needs {7, 150, 299} */
static bool need3(struct sim *w, const bool *k)
{
	(void)w;
	return k[7] && k[150] && k[299];
}

/* needs 3, either of 10 and 200, either of 40 and 41 */
static bool pairs(struct sim *w, const bool *k)
{
	(void)w;
	return k[3] && (k[10] || k[200]) && (k[40] || k[41]);
}

/* needs 0..39 (dense, as the names a program was seen calling) */
static bool dense(struct sim *w, const bool *k)
{
	size_t i;

	(void)w;
	for (i = 0; i < 40; i++)
		if (!k[i])
			return false;
	return true;
}

/* needs 5; late in the search, also extra (a workload that changed) */
static bool flaky(struct sim *w, const bool *k)
{
	return k[5] && (w->calls < w->late || k[w->extra]);
}

static size_t count(const bool *k, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		c += k[i];
	return c;
}

/* the result passes, and without any one of its names it fails */
static void assert_one_minimal(struct sim *w, const bool *keep)
{
	bool k[N];
	size_t i;

	assert_true(w->pred(w, keep));
	for (i = 0; i < w->n; i++) {
		if (!keep[i])
			continue;
		memcpy(k, keep, sizeof(k));
		k[i] = false;
		assert_false(w->pred(w, k));
	}
}

static size_t run(struct sim *w, const struct sl_min_opts *o, bool *keep, int want_rc,
		  struct sl_min_stats *st)
{
	struct sl_min_oracle oracle = { sim_judge, w };
	char *cause = NULL;

	assert_int_equal(sl_minimize(w->n, o, &oracle, keep, st, &cause), want_rc);
	assert_int_equal(st->trials, w->calls);
	free(cause);
	return st->trials;
}

static void test_three_of_300(void **state)
{
	struct sim w = { .n = N, .pred = need3 };
	struct sl_min_opts o = { 0 };
	struct sl_min_stats st;
	bool keep[N];

	(void)state;
	run(&w, &o, keep, 0, &st);
	print_message("three of 300: %zu trials, %zu rounds\n", st.trials, st.rounds);
	assert_int_equal(count(keep, N), 3);
	assert_true(keep[7] && keep[150] && keep[299]);
	/* 38 groups of 8, then a bisection per needed name */
	assert_in_range(st.trials, 40, 70);
	assert_false(st.flaky);
}

static void test_pairs(void **state)
{
	struct sim w = { .n = N, .pred = pairs };
	struct sl_min_opts o = { 0 };
	struct sl_min_stats st;
	bool keep[N];

	(void)state;
	run(&w, &o, keep, 0, &st);
	print_message("pairs: %zu trials, %zu rounds\n", st.trials, st.rounds);
	assert_int_equal(count(keep, N), 3);
	assert_true(keep[3]);
	assert_true(keep[10] != keep[200]);
	assert_true(keep[40] != keep[41]);
	assert_one_minimal(&w, keep);
	assert_in_range(st.trials, 40, 90);
}

/* what an observed run says: 0..39 needed, 40..59 called but not needed */
static void test_dense_with_called(void **state)
{
	struct sim w = { .n = N, .pred = dense };
	bool called[N] = { 0 }, keep[N];
	struct sl_min_opts o = { .called = called };
	struct sl_min_stats st;
	size_t i;

	(void)state;
	for (i = 0; i < 60; i++)
		called[i] = true;
	run(&w, &o, keep, 0, &st);
	assert_int_equal(count(keep, N), 40);
	assert_one_minimal(&w, keep);
	/* the 240 never called go in one trial; the 60 called one by one,
	 * all in the first round; one verification of the round's passes,
	 * the final one */
	assert_int_equal(st.trials, 1 + 60 + 1 + 1);
	assert_int_equal(st.rounds, 2 + 1);

	/* the final verification judged three times, in one batch */
	memset(&w, 0, sizeof(w));
	w.n = N;
	w.pred = dense;
	o.verify = 3;
	run(&w, &o, keep, 0, &st);
	assert_int_equal(st.trials, 1 + 60 + 1 + 3);
	assert_int_equal(st.rounds, 2 + 1);
}

/* the same without the observed run: still well below one per name */
static void test_dense_blind(void **state)
{
	struct sim w = { .n = N, .pred = dense };
	struct sl_min_opts o = { 0 };
	struct sl_min_stats st;
	bool keep[N];

	(void)state;
	run(&w, &o, keep, 0, &st);
	print_message("dense, blind: %zu trials, %zu rounds\n", st.trials, st.rounds);
	assert_int_equal(count(keep, N), 40);
	assert_one_minimal(&w, keep);
	assert_in_range(st.trials, 40, 200);
}

/* a called hint that is wrong (a needed name never seen) costs runs, not names */
static void test_called_wrong(void **state)
{
	struct sim w = { .n = N, .pred = need3 };
	bool called[N] = { 0 }, keep[N];
	struct sl_min_opts o = { .called = called };
	struct sl_min_stats st;

	(void)state;
	called[7] = called[150] = true;
	run(&w, &o, keep, 0, &st);
	assert_int_equal(count(keep, N), 3);
	assert_true(keep[299]);
}

/* trials of the search when the workload is not flaky: the last one is
 * the final verification, where a flaky workload is made to fail */
static size_t steady_trials(void)
{
	struct sim w = { .n = N, .pred = flaky, .late = SIZE_MAX, .extra = 6 };
	struct sl_min_opts o = { 0 };
	struct sl_min_stats st;
	bool keep[N];

	run(&w, &o, keep, 0, &st);
	assert_int_equal(count(keep, N), 1);
	return st.trials;
}

static void test_flaky_stops(void **state)
{
	struct sim w = { .n = N, .pred = flaky, .late = steady_trials() - 1, .extra = 6 };
	struct sl_min_opts o = { 0 };
	struct sl_min_stats st;
	bool keep[N];

	(void)state;
	run(&w, &o, keep, -EAGAIN, &st);
	assert_true(st.flaky);
	assert_int_equal(count(keep, N), N);	/* nothing dropped */
}

static void test_flaky_keep_going(void **state)
{
	struct sim w = { .n = N, .pred = flaky, .late = steady_trials() - 1, .extra = 6 };
	struct sl_min_opts o = { .keep_going = true };
	struct sl_min_stats st;
	bool keep[N];

	(void)state;
	run(&w, &o, keep, 0, &st);
	assert_true(st.flaky);
	assert_true(st.readded > 0);
	assert_true(keep[5] && keep[6]);
	assert_true(w.pred(&w, keep));
	assert_true(count(keep, N) < N / 2);
}

static int fail_judge(void *ctx, const bool *const *keep, size_t n, bool *pass, char **cause)
{
	(void)ctx;
	(void)keep;
	(void)n;
	(void)pass;
	*cause = strdup("boom");
	return -EIO;
}

static void test_oracle_error(void **state)
{
	struct sl_min_oracle oracle = { fail_judge, NULL };
	struct sl_min_opts o = { 0 };
	struct sl_min_stats st;
	char *cause = NULL;
	bool keep[8];

	(void)state;
	assert_int_equal(sl_minimize(8, &o, &oracle, keep, &st, &cause), -EIO);
	assert_string_equal(cause, "boom");
	assert_int_equal(count(keep, 8), 8);
	free(cause);
}

static const char prune_in[] =
	"{\n"
	"  \"defaultAction\": \"SCMP_ACT_ERRNO\",\n"
	"  \"syscalls\": [\n"
	"    {\"names\": [\"read\",  \"write\", \"mount\"], \"action\": \"SCMP_ACT_ALLOW\"},\n"
	"    {\"name\": \"ptrace\", \"action\": \"SCMP_ACT_ALLOW\", \"x-note\": 1},\n"
	"    {\"names\": [\"mount\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1},\n"
	"    {\"names\": [\n"
	"        \"mount\",\n"
	"        \"close\"\n"
	"      ],\n"
	"      \"action\": \"SCMP_ACT_ALLOW\", \"args\": []}\n"
	"  ]\n"
	"}\n";

/* mount and ptrace go: from every allow rule, never from the deny rule;
 * ptrace's rule goes with it; everything else keeps its bytes */
static const char prune_out[] =
	"{\n"
	"  \"defaultAction\": \"SCMP_ACT_ERRNO\",\n"
	"  \"syscalls\": [\n"
	"    {\"names\": [\"read\",  \"write\"], \"action\": \"SCMP_ACT_ALLOW\"},\n"
	"    {\"names\": [\"mount\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1},\n"
	"    {\"names\": [\n"
	"        \"close\"\n"
	"      ],\n"
	"      \"action\": \"SCMP_ACT_ALLOW\", \"args\": []}\n"
	"  ]\n"
	"}\n";

static void test_prune(void **state)
{
	struct sl_profile p;
	const char **names;
	char *cause = NULL, *out;
	bool drop[5] = { 0 };
	size_t n, len;

	(void)state;
	assert_int_equal(sl_profile_parse(&p, "t.json", prune_in, strlen(prune_in), &cause), 0);
	sl_prune_names(&p, NULL, &names, &n);
	assert_int_equal(n, 5);
	assert_string_equal(names[0], "read");
	assert_string_equal(names[2], "mount");
	assert_string_equal(names[3], "ptrace");
	assert_string_equal(names[4], "close");
	drop[2] = drop[3] = true;
	assert_int_equal(sl_prune(&p, NULL, names, n, drop, &out, &len, &cause), 0);
	assert_string_equal(out, prune_out);
	assert_int_equal(len, strlen(prune_out));
	free(out);
	/* nothing dropped: the same bytes */
	drop[2] = drop[3] = false;
	assert_int_equal(sl_prune(&p, NULL, names, n, drop, &out, &len, &cause), 0);
	assert_string_equal(out, prune_in);
	free(out);
	/* everything: no rule left, the deny rule stays */
	memset(drop, 1, sizeof(drop));
	assert_int_equal(sl_prune(&p, NULL, names, n, drop, &out, &len, &cause), 0);
	assert_non_null(strstr(out, "SCMP_ACT_ERRNO\", \"errnoRet\": 1}"));
	assert_null(strstr(out, "SCMP_ACT_ALLOW"));
	free(out);
	free(names);
	sl_profile_free(&p);
}

/* a rule that does not apply here: its names are not candidates and stay */
static void test_prune_scope(void **state)
{
	static const char in[] =
		"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":["
		"{\"names\":[\"read\",\"mount\"],\"action\":\"SCMP_ACT_ALLOW\"},"
		"{\"names\":[\"mount\",\"kexec_load\"],\"action\":\"SCMP_ACT_ALLOW\","
		"\"includes\":{\"arches\":[\"s390x\"]}}]}";
	static const char out_want[] =
		"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":["
		"{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"},"
		"{\"names\":[\"mount\",\"kexec_load\"],\"action\":\"SCMP_ACT_ALLOW\","
		"\"includes\":{\"arches\":[\"s390x\"]}}]}";
	struct sl_scope scope = { .goarch = "amd64", .kernel = { 6, 1 } };
	struct sl_profile p;
	const char **names;
	char *cause = NULL, *out;
	bool drop[2] = { false, true };
	size_t n, len;

	(void)state;
	assert_int_equal(sl_profile_parse(&p, "t.json", in, strlen(in), &cause), 0);
	sl_prune_names(&p, &scope, &names, &n);
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "read");
	assert_string_equal(names[1], "mount");
	assert_int_equal(sl_prune(&p, &scope, names, n, drop, &out, &len, &cause), 0);
	assert_string_equal(out, out_want);
	free(out);
	free(names);
	sl_profile_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_three_of_300),
		cmocka_unit_test(test_pairs),
		cmocka_unit_test(test_dense_with_called),
		cmocka_unit_test(test_dense_blind),
		cmocka_unit_test(test_called_wrong),
		cmocka_unit_test(test_flaky_stops),
		cmocka_unit_test(test_flaky_keep_going),
		cmocka_unit_test(test_oracle_error),
		cmocka_unit_test(test_prune),
		cmocka_unit_test(test_prune_scope),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
