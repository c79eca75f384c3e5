/*
 * test-lint.c - seclog lint's findings (lint.c): each problem kind on a
 * small profile that has it, and none on one that has none.
 */
#include "config.h"

#include "unit.h"
#include "lint.h"
#include "profile.h"

struct result {
	struct sl_lint l;
};

/* findings of kind (and name, when given) */
static size_t count(const struct sl_lint *l, const char *kind, const char *name)
{
	size_t i, n = 0;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->f[i].kind, kind) &&
		    (!name || (l->f[i].name && !strcmp(l->f[i].name, name))))
			n++;
	return n;
}

static const struct sl_finding *find(const struct sl_lint *l, const char *kind)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->f[i].kind, kind))
			return &l->f[i];
	return NULL;
}

/*
 * Lint a profile made of head (its default and arches, without braces)
 * and rules (the syscalls array's content).
 */
static void lint(struct sl_lint *l, const char *head, const char *rules)
{
	char *text = NULL, *cause = NULL;
	struct sl_profile p;

	assert_true(asprintf(&text, "{%s,\n\"syscalls\":[\n%s\n]}", head, rules) > 0);
	if (sl_profile_parse(&p, "t.json", text, strlen(text), &cause)) {
		fprintf(stderr, "%s\n", cause);
		fail();
	}
	sl_lint(&p, l);
	for (size_t i = 0; i < l->n; i++)
		fprintf(stderr, "  # %zu: %s %s %s\n", l->f[i].line, sl_level_name(l->f[i].level),
			l->f[i].kind, l->f[i].message);
	sl_profile_free(&p);
	free(text);
}

#define ENFORCING "\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":1," \
	"\"architectures\":[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"]"
/* clone3 as Docker denies it: else every profile gets the clone3-errno note */
#define CLONE3 "{\"names\":[\"clone3\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38}"

static int need_x86_64(void)
{
	if (strcmp(sl_arch_native()->name, "x86_64"))
		skip();
	return 0;
}

static void test_clean(void **state)
{
	struct sl_lint l;

	(void)state;
	need_x86_64();
	lint(&l, ENFORCING,
	     "{\"names\":[\"read\",\"write\",\"exit_group\",\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\"},"
	     "{\"names\":[\"clone\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,"
	     "\"value\":2114060288,\"op\":\"SCMP_CMP_MASKED_EQ\"}]},"
	     "{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,"
	     "\"value\":8,\"op\":\"SCMP_CMP_EQ\"}]},"
	     "{\"names\":[\"ptrace\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"minKernel\":\"4.8\"}},"
	     "{\"names\":[\"mount\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"caps\":[\"CAP_SYS_ADMIN\"]}},"
	     "{\"names\":[\"mount\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":13,"
	     "\"excludes\":{\"caps\":[\"CAP_SYS_ADMIN\"]}},"
	     CLONE3);
	assert_int_equal(l.n, 0);
	sl_lint_free(&l);
}

static void test_unknown_names(void **state)
{
	const struct sl_finding *f;
	struct sl_lint l;

	(void)state;
	need_x86_64();
	lint(&l, ENFORCING,
	     "{\"names\":[\"read\",\"getpdi\",\"arm_fadvise64_64\"],\"action\":\"SCMP_ACT_ALLOW\"},\n"
	     "{\"names\":[\"qqqqqqqqqqqqqqqqqqqqq\"],\"action\":\"SCMP_ACT_ALLOW\"}," CLONE3);
	assert_int_equal(count(&l, "unknown-name", "getpdi"), 1);
	f = find(&l, "unknown-name");
	assert_int_equal(f->level, SL_LEVEL_WARNING);
	assert_non_null(strstr(f->message, "did you mean getpid?"));
	/* line 3 of the text, where the name is */
	assert_int_equal(f->line, 3);
	assert_int_equal(count(&l, "unknown-name", "qqqqqqqqqqqqqqqqqqqqq"), 1);
	/* an ARM call: exists, not here */
	assert_int_equal(count(&l, "unknown-name", "arm_fadvise64_64"), 0);
	assert_int_equal(count(&l, "other-arch", NULL), 1);
	assert_non_null(strstr(find(&l, "other-arch")->message, "arm_fadvise64_64"));
	assert_int_equal(l.count[SL_LEVEL_ERROR], 0);
	sl_lint_free(&l);
}

static void test_suggest(void **state)
{
	const struct sl_arch *a[1];
	char *s;

	(void)state;
	need_x86_64();
	a[0] = sl_arch_by_name("x86_64");
	s = sl_lint_suggest("opnat", a, 1);
	assert_string_equal(s, "openat");
	free(s);
	s = sl_lint_suggest("rt_sigreturm", a, 1);
	assert_string_equal(s, "rt_sigreturn");
	free(s);
	assert_null(sl_lint_suggest("qqqqqqqqqqqqqqqqqqqqq", a, 1));
}

static void test_duplicates(void **state)
{
	struct sl_lint l;

	(void)state;
	need_x86_64();
	lint(&l, ENFORCING,
	     "{\"names\":[\"read\",\"write\",\"read\"],\"action\":\"SCMP_ACT_ALLOW\"},"
	     "{\"names\":[\"write\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,"
	     "\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]},"
	     /* the same condition twice: the second changes nothing */
	     "{\"names\":[\"socket\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":2,"
	     "\"value\":9,\"op\":\"SCMP_CMP_NE\"}]},"
	     "{\"names\":[\"socket\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":2,"
	     "\"value\":9,\"valueTwo\":0,\"op\":\"SCMP_CMP_NE\"}]},"
	     /* allowed always, so allowed with a capability adds nothing */
	     "{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\"},"
	     "{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"caps\":[\"CAP_SYS_ADMIN\"]}},"
	     /* different conditions: both count */
	     "{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,"
	     "\"value\":8,\"op\":\"SCMP_CMP_EQ\"}]},"
	     "{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,"
	     "\"value\":0,\"op\":\"SCMP_CMP_EQ\"}]}," CLONE3);
	assert_int_equal(count(&l, "duplicate", "read"), 1);
	assert_int_equal(count(&l, "duplicate", "write"), 1);
	assert_int_equal(count(&l, "duplicate", "socket"), 1);
	assert_int_equal(count(&l, "duplicate", "getpid"), 1);
	assert_int_equal(count(&l, "duplicate", "personality"), 0);
	assert_int_equal(l.count[SL_LEVEL_WARNING], 4);
	assert_int_equal(l.count[SL_LEVEL_ERROR], 0);
	sl_lint_free(&l);
}

static void test_conflict(void **state)
{
	struct sl_lint l;

	(void)state;
	need_x86_64();
	lint(&l, ENFORCING,
	     "{\"names\":[\"getpid\",\"mkdir\"],\"action\":\"SCMP_ACT_ALLOW\"},"
	     "{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ERRNO\"},"
	     /* two denials: which errno is unclear, nothing more */
	     "{\"names\":[\"chmod\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":13},"
	     "{\"names\":[\"chmod\"],\"action\":\"SCMP_ACT_KILL_PROCESS\"},"
	     /* allowed with a capability, denied without: no conflict */
	     "{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_ERRNO\",\"excludes\":{\"caps\":[\"CAP_X\"]}},"
	     CLONE3);
	assert_int_equal(count(&l, "conflict", "getpid"), 1);
	assert_int_equal(find(&l, "conflict")->level, SL_LEVEL_ERROR);
	/* the deny is the default's: runc skips it, the allow wins */
	assert_non_null(strstr(find(&l, "conflict")->message,
				"so SCMP_ACT_ALLOW applies whatever the order"));
	/* rules 1 and 4 give the default (EPERM): they change nothing */
	assert_int_equal(count(&l, "redundant", NULL), 2);
	assert_non_null(strstr(find(&l, "redundant")->message, "syscalls[1] gives the default"));
	assert_int_equal(count(&l, "conflict", "chmod"), 1);
	assert_int_equal(count(&l, "conflict", "mkdir"), 0);
	assert_int_equal(l.count[SL_LEVEL_ERROR], 1);
	assert_int_equal(l.count[SL_LEVEL_WARNING], 1);
	sl_lint_free(&l);
}

static void test_default(void **state)
{
	struct sl_lint l;

	(void)state;
	need_x86_64();
	/* allows everything, denies nothing */
	lint(&l, "\"defaultAction\":\"SCMP_ACT_ALLOW\"",
	     "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"}");
	assert_int_equal(count(&l, "default-allow", NULL), 1);
	assert_int_equal(find(&l, "default-allow")->level, SL_LEVEL_ERROR);
	assert_int_equal(find(&l, "default-allow")->line, 1);
	/* that says it all: no finding per dangerous call */
	assert_int_equal(count(&l, "escape", NULL), 0);
	sl_lint_free(&l);
	/* a deny list */
	lint(&l, "\"defaultAction\":\"SCMP_ACT_ALLOW\"",
	     "{\"names\":[\"ptrace\"],\"action\":\"SCMP_ACT_ERRNO\"}");
	assert_int_equal(find(&l, "default-allow")->level, SL_LEVEL_WARNING);
	assert_int_equal(count(&l, "escape", "ptrace"), 0);
	assert_int_equal(count(&l, "escape", "bpf"), 1);
	sl_lint_free(&l);
	/* logs everything, but no twin's record */
	lint(&l, "\"defaultAction\":\"SCMP_ACT_LOG\"",
	     "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"}");
	assert_int_equal(find(&l, "default-log")->level, SL_LEVEL_WARNING);
	assert_int_equal(count(&l, "escape", NULL), 0);
	sl_lint_free(&l);
	/* a complain twin: meant to log */
	lint(&l, "\"defaultAction\":\"SCMP_ACT_LOG\",\"seclog\":{\"enforce\":"
	     "{\"defaultAction\":\"SCMP_ACT_ERRNO\"}}",
	     "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"}");
	assert_int_equal(count(&l, "default-log", NULL), 0);
	assert_int_equal(find(&l, "complain")->level, SL_LEVEL_NOTE);
	assert_non_null(strstr(find(&l, "complain")->message, "seclog enforce"));
	assert_int_equal(count(&l, "escape", NULL), 0);
	assert_int_equal(l.count[SL_LEVEL_ERROR] + l.count[SL_LEVEL_WARNING], 0);
	sl_lint_free(&l);
	/* flags: runc 1.1 refuses them; none is no finding */
	lint(&l, ENFORCING ",\"flags\":[\"SECCOMP_FILTER_FLAG_LOG\"]",
	     "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"}");
	assert_int_equal(find(&l, "flags")->level, SL_LEVEL_WARNING);
	assert_int_equal(find(&l, "flags")->line, 1);
	sl_lint_free(&l);
	lint(&l, ENFORCING ",\"flags\":[]", "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"}");
	assert_int_equal(count(&l, "flags", NULL), 0);
	assert_int_equal(count(&l, "errno-action", NULL), 0);
	sl_lint_free(&l);
	/* what crun and podman refuse */
	lint(&l, "\"defaultAction\":\"SCMP_ACT_LOG\",\"defaultErrnoRet\":1",
	     "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"errnoRet\":1},\n"
	     "{\"names\":[\"write\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":1,"
	     "\"comment\":{\"a\":1}}");
	assert_int_equal(count(&l, "errno-action", NULL), 2);
	assert_int_equal(find(&l, "comment-type")->level, SL_LEVEL_ERROR);
	assert_int_equal(find(&l, "comment-type")->line, 4);
	sl_lint_free(&l);
}

static void test_escapes(void **state)
{
	struct sl_lint l;

	(void)state;
	need_x86_64();
	lint(&l, ENFORCING,
	     "{\"names\":[\"read\",\"ptrace\",\"keyctl\",\"io_uring_setup\",\"personality\","
	     "\"uselib\"],\"action\":\"SCMP_ACT_ALLOW\"},"
	     "{\"names\":[\"clone\",\"clone3\",\"mount\"],\"action\":\"SCMP_ACT_LOG\"},"
	     /* arg conditions that leave the namespace flags free */
	     "{\"names\":[\"unshare\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,"
	     "\"value\":0,\"op\":\"SCMP_CMP_NE\"}]}");
	assert_int_equal(count(&l, "escape", "ptrace"), 1);
	assert_int_equal(count(&l, "escape", "keyctl"), 1);
	assert_int_equal(count(&l, "escape", "io_uring_setup"), 1);
	assert_int_equal(count(&l, "escape", "mount"), 1);
	/* conditional: not flagged */
	assert_int_equal(count(&l, "escape", "unshare"), 0);
	/* obsolete: a note */
	assert_int_equal(count(&l, "escape", "uselib"), 1);
	assert_int_equal(l.f[0].level, SL_LEVEL_NOTE);	/* uselib: not on x32 */
	assert_int_equal(l.count[SL_LEVEL_NOTE], 2);
	assert_int_equal(count(&l, "personality", NULL), 1);
	assert_int_equal(count(&l, "clone", NULL), 1);
	assert_int_equal(count(&l, "clone3", NULL), 1);
	assert_int_equal(count(&l, "clone3-errno", NULL), 0);
	assert_int_equal(l.count[SL_LEVEL_WARNING], 7);
	assert_int_equal(l.count[SL_LEVEL_ERROR], 0);
	sl_lint_free(&l);
}

static void test_clone3_errno(void **state)
{
	struct sl_lint l;

	(void)state;
	need_x86_64();
	lint(&l, ENFORCING, "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"}");
	assert_int_equal(count(&l, "clone3-errno", NULL), 1);
	assert_non_null(strstr(find(&l, "clone3-errno")->message, "SCMP_ACT_ERRNO(EPERM)"));
	sl_lint_free(&l);
	/* Docker's: ENOSYS for containers without CAP_SYS_ADMIN */
	lint(&l, ENFORCING, "{\"names\":[\"clone3\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38,"
	     "\"excludes\":{\"caps\":[\"CAP_SYS_ADMIN\"]}}");
	assert_int_equal(l.n, 0);
	sl_lint_free(&l);
	lint(&l, "\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":38,"
	     "\"architectures\":[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"]",
	     "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"}");
	assert_int_equal(l.n, 0);
	sl_lint_free(&l);
}

static void test_arches(void **state)
{
	struct sl_lint l;

	(void)state;
	need_x86_64();
	lint(&l, "\"defaultAction\":\"SCMP_ACT_ERRNO\"",
	     "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"}," CLONE3);
	assert_int_equal(count(&l, "missing-arch", NULL), 1);
	assert_non_null(strstr(find(&l, "missing-arch")->message,
			       "not x86 and x32: i386 (32-bit x86) programs and x32 programs"));
	sl_lint_free(&l);
	lint(&l, "\"defaultAction\":\"SCMP_ACT_ERRNO\","
	     "\"architectures\":[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\",\"SCMP_ARCH_NOPE\"]",
	     "{\"names\":[\"read\",\"socketcall\",\"_llseek\",\"newfstatat\"],"
	     "\"action\":\"SCMP_ACT_ALLOW\"}," CLONE3);
	assert_non_null(strstr(find(&l, "missing-arch")->message, "not x32: x32 programs"));
	assert_int_equal(count(&l, "unknown-arch", NULL), 1);
	/* one note per arch set: x86 only (2 names), x86_64 only (1) */
	assert_int_equal(count(&l, "some-arches", NULL), 2);
	sl_lint_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_unknown_names),
		cmocka_unit_test(test_suggest),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_conflict),
		cmocka_unit_test(test_default),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_clone3_errno),
		cmocka_unit_test(test_arches),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
