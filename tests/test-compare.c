/*
 * test-compare.c - the meaning of a profile (policy.c) and two profiles
 * compared by it (compare.c): known answers over small profiles.
 */
#include "config.h"

#include "unit.h"
#include "compare.h"
#include "policy.h"
#include "profile.h"

static void load(struct sl_profile *p, const char *text)
{
	char *cause = NULL;

	if (sl_profile_parse(p, "test.json", text, strlen(text), &cause)) {
		fprintf(stderr, "%s\n", cause);
		fail();
	}
}

/* the arches below are x86's: other hosts load other sets */
static int need_x86_64(void **state)
{
	(void)state;
	if (strcmp(sl_arch_native()->name, "x86_64"))
		skip();
	return 0;
}

static const char base[] =
	"{\"defaultAction\":\"SCMP_ACT_ERRNO\","
	"\"architectures\":[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"],"
	"\"syscalls\":["
	"{\"names\":[\"read\",\"write\",\"read\"],\"action\":\"SCMP_ACT_ALLOW\"},"
	"{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ALLOW\","
	" \"args\":[{\"index\":0,\"value\":8,\"op\":\"SCMP_CMP_EQ\"}]},"
	"{\"names\":[\"socket\"],\"action\":\"SCMP_ACT_ALLOW\","
	" \"args\":[{\"index\":2,\"value\":9,\"op\":\"SCMP_CMP_NE\"},"
	"          {\"index\":0,\"value\":16,\"valueTwo\":0,\"op\":\"SCMP_CMP_NE\"}],"
	" \"excludes\":{\"caps\":[\"CAP_B\",\"CAP_A\"]}},"
	"{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":13},"
	"{\"names\":[\"chmod\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":1},"
	"{\"names\":[\"prctl\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":["
	" {\"index\":0,\"value\":16,\"op\":\"SCMP_CMP_EQ\"},"
	" {\"index\":1,\"value\":0,\"op\":\"SCMP_CMP_NE\"},"
	" {\"index\":0,\"value\":15,\"op\":\"SCMP_CMP_EQ\"}]},"
	"{\"names\":[\"socketcall\",\"reboot\"],\"action\":\"SCMP_ACT_KILL\"}]}";

static void test_policy(void **state)
{
	const struct sl_treat *t[4];
	const struct sl_pname *pn;
	struct sl_profile p;
	struct sl_policy pol;
	char *s;

	(void)state;
	need_x86_64(state);
	load(&p, base);
	sl_policy_build(&pol, &p);
	assert_int_equal(pol.narches, 3);
	assert_string_equal(pol.arches[0]->name, "x86_64");
	assert_string_equal(pol.arches[2]->name, "x32");
	/* no defaultErrnoRet: EPERM, as runc and crun */
	assert_string_equal(pol.def.action, "SCMP_ACT_ERRNO");
	assert_int_equal(pol.def.errno_ret, 1);
	assert_false(pol.complain);
	/* read twice in one rule: two mentions, one treatment */
	pn = sl_policy_find(&pol, "read");
	assert_non_null(pn);
	assert_int_equal(pn->nt, 2);
	assert_int_equal(sl_policy_treatment(&pol, pn, t, 4), 1);
	assert_int_equal(pn->known, 7);
	/* socketcall exists on x86 alone */
	assert_int_equal(sl_policy_find(&pol, "socketcall")->known, 1u << 1);
	assert_string_equal(sl_policy_find(&pol, "reboot")->t[0].action, "SCMP_ACT_KILL_THREAD");
	/* conditions in one canonical text, whatever their order */
	pn = sl_policy_find(&pol, "socket");
	assert_string_equal(pn->t[0].cond,
			    "arg0 != 16 and arg2 != 9 and without CAP_A CAP_B");
	/* only a conditional rule: the default when it does not hold */
	assert_int_equal(sl_policy_treatment(&pol, pn, t, 4), 2);
	assert_ptr_equal(t[1], &pol.def);
	/* an index tested twice: runc makes one rule of each arg, any acts */
	assert_string_equal(sl_policy_find(&pol, "prctl")->t[0].cond,
			    "(arg0 == 15 or arg0 == 16 or arg1 != 0)");
	s = sl_treat_text(&sl_policy_find(&pol, "mkdir")->t[0]);
	assert_string_equal(s, "SCMP_ACT_ERRNO(EACCES)");
	free(s);
	s = sl_treat_text(&sl_policy_find(&pol, "personality")->t[0]);
	assert_string_equal(s, "SCMP_ACT_ALLOW if arg0 == 8");
	free(s);
	/* a rule with the default's action and errno: runc skips it */
	pn = sl_policy_find(&pol, "chmod");
	assert_int_equal(sl_policy_treatment(&pol, pn, t, 4), 1);
	assert_ptr_equal(t[0], &pol.def);
	/* a name no rule lists: the default */
	assert_null(sl_policy_find(&pol, "bpf"));
	assert_int_equal(sl_policy_treatment(&pol, NULL, t, 4), 1);
	assert_ptr_equal(t[0], &pol.def);
	s = sl_treat_text(t[0]);
	assert_string_equal(s, "default SCMP_ACT_ERRNO(EPERM)");
	free(s);
	sl_policy_free(&pol);
	sl_profile_free(&p);
}

/* an archMap counts its native entry only */
static void test_policy_archmap(void **state)
{
	struct sl_profile p;
	struct sl_policy pol;

	need_x86_64(state);
	load(&p, "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"archMap\":["
		 "{\"architecture\":\"SCMP_ARCH_AARCH64\",\"subArchitectures\":[\"SCMP_ARCH_ARM\"]},"
		 "{\"architecture\":\"SCMP_ARCH_X86_64\",\"subArchitectures\":[\"SCMP_ARCH_X32\"]}]}");
	sl_policy_build(&pol, &p);
	assert_int_equal(pol.narches, 2);
	assert_string_equal(pol.arches[1]->name, "x32");
	assert_int_equal(pol.nnames, 0);
	sl_policy_free(&pol);
	sl_profile_free(&p);
	/* none listed: the native arch */
	load(&p, "{\"defaultAction\":\"SCMP_ACT_ERRNO\"}");
	sl_policy_build(&pol, &p);
	assert_int_equal(pol.narches, 1);
	sl_policy_free(&pol);
	sl_profile_free(&p);
}

struct pair {
	struct sl_profile po, pn;
	struct sl_policy o, n;
	struct sl_compare c;
};

static void compare(struct pair *x, const char *old, const char *new)
{
	load(&x->po, old);
	load(&x->pn, new);
	sl_policy_build(&x->o, &x->po);
	sl_policy_build(&x->n, &x->pn);
	sl_compare(&x->c, &x->o, &x->n);
}

static void pair_free(struct pair *x)
{
	sl_compare_free(&x->c);
	sl_policy_free(&x->o);
	sl_policy_free(&x->n);
	sl_profile_free(&x->po);
	sl_profile_free(&x->pn);
}

static const struct sl_change *change(const struct sl_compare *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nch; i++)
		if (!strcmp(c->ch[i].name, name))
			return &c->ch[i];
	return NULL;
}

/* the same rules reordered, reformatted, names repeated and split */
static void test_same(void **state)
{
	struct pair x;

	need_x86_64(state);
	compare(&x, base,
		"{\n  \"syscalls\": [\n"
		"    {\"action\": \"SCMP_ACT_KILL_THREAD\", \"names\": [\"reboot\", \"socketcall\"]},\n"
		"    {\"names\": [\"mkdir\"], \"errnoRet\": 13, \"action\": \"SCMP_ACT_ERRNO\"},\n"
		"    {\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
		"     \"excludes\": {\"caps\": [\"CAP_A\", \"CAP_B\"]},\n"
		"     \"args\": [{\"op\": \"SCMP_CMP_NE\", \"index\": 0, \"value\": 16},\n"
		"              {\"index\": 2, \"value\": 9, \"valueTwo\": 0, \"op\": \"SCMP_CMP_NE\"}]},\n"
		"    {\"names\": [\"prctl\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [\n"
		"      {\"index\": 1, \"value\": 0, \"op\": \"SCMP_CMP_NE\"},\n"
		"      {\"index\": 0, \"value\": 15, \"op\": \"SCMP_CMP_EQ\"},\n"
		"      {\"index\": 0, \"value\": 16, \"op\": \"SCMP_CMP_EQ\"}]},\n"
		"    {\"names\": [\"write\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": []},\n"
		"    {\"names\": [\"personality\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
		"     \"args\": [{\"index\": 0, \"value\": 8, \"op\": \"SCMP_CMP_EQ\"}]},\n"
		"    {\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {}}\n"
		"  ],\n"
		"  \"architectures\": [\"SCMP_ARCH_X32\", \"SCMP_ARCH_X86\"],\n"
		"  \"defaultErrnoRet\": 1,\n"
		"  \"defaultAction\": \"SCMP_ACT_ERRNO\"\n}\n");
	assert_false(sl_compare_differ(&x.c));
	assert_int_equal(x.c.nch, 0);
	assert_int_equal(x.c.ncommon, 3);
	pair_free(&x);
}

static void test_kinds(void **state)
{
	const struct sl_change *ch;
	struct pair x;
	char *s;

	need_x86_64(state);
	compare(&x,
		"{\"defaultAction\":\"SCMP_ACT_ERRNO\","
		"\"architectures\":[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\"],\"syscalls\":["
		"{\"names\":[\"read\",\"getpid\",\"ptrace\",\"mount\"],\"action\":\"SCMP_ACT_ALLOW\"},"
		"{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_LOG\"},"
		"{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":1},"
		"{\"names\":[\"unshare\"],\"action\":\"SCMP_ACT_ALLOW\","
		" \"includes\":{\"caps\":[\"CAP_SYS_ADMIN\"]}},"
		"{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ALLOW\","
		" \"args\":[{\"index\":0,\"value\":8,\"op\":\"SCMP_CMP_EQ\"}]}]}",
		"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":1,"
		"\"architectures\":[\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"],\"syscalls\":["
		"{\"names\":[\"read\",\"bpf\",\"socketcall\",\"unshare\"],\"action\":\"SCMP_ACT_ALLOW\"},"
		"{\"names\":[\"getpid\",\"getppid\"],\"action\":\"SCMP_ACT_ALLOW\"},"
		"{\"names\":[\"mount\"],\"action\":\"SCMP_ACT_ALLOW\","
		" \"includes\":{\"caps\":[\"CAP_SYS_ADMIN\"]}},"
		"{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":13},"
		"{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ALLOW\","
		" \"args\":[{\"index\":0,\"value\":0,\"op\":\"SCMP_CMP_EQ\"}]}]}");
	assert_true(sl_compare_differ(&x.c));
	/* defaultErrnoRet 1 is what no defaultErrnoRet means */
	assert_false(x.c.default_changed);
	assert_int_equal(x.c.ncommon, 2);
	assert_int_equal(x.c.nadded, 1);
	assert_string_equal(x.c.added[0]->name, "x32");
	assert_int_equal(x.c.nremoved, 0);
	/* denied -> allowed, on both common arches */
	ch = change(&x.c, "bpf");
	assert_non_null(ch);
	assert_int_equal(ch->kind, SL_CHANGE_ADDED);
	assert_int_equal(ch->mask, 3);
	/* socketcall: x86 only (bit 1 of common: x86_64, x86) */
	ch = change(&x.c, "socketcall");
	assert_int_equal(ch->kind, SL_CHANGE_ADDED);
	assert_int_equal(ch->mask, 2);
	/* under a capability -> always: allowed in more cases */
	assert_int_equal(change(&x.c, "unshare")->kind, SL_CHANGE_ADDED);
	assert_int_equal(change(&x.c, "ptrace")->kind, SL_CHANGE_REMOVED);
	assert_int_equal(change(&x.c, "mount")->kind, SL_CHANGE_REMOVED);
	ch = change(&x.c, "getppid");
	assert_int_equal(ch->kind, SL_CHANGE_ACTION);
	s = sl_treat_text(ch->old[0]);
	assert_string_equal(s, "SCMP_ACT_LOG");
	free(s);
	assert_int_equal(change(&x.c, "mkdir")->kind, SL_CHANGE_ACTION);
	assert_int_equal(change(&x.c, "personality")->kind, SL_CHANGE_CONDITION);
	/* the same in both, written elsewhere */
	assert_null(change(&x.c, "getpid"));
	assert_null(change(&x.c, "read"));
	assert_int_equal(x.c.nch, 8);
	/* widest arch set first, socketcall's last */
	assert_string_equal(x.c.ch[x.c.nch - 1].name, "socketcall");
	pair_free(&x);
}

static void test_twin(void **state)
{
	static const char enforcing[] =
		"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":1,"
		"\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"},"
		"{\"names\":[\"mount\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"caps\":[\"CAP_SYS_ADMIN\"]}},"
		"{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":13}]}";
	static const char twin[] =
		"{\"defaultAction\":\"SCMP_ACT_LOG\",\"defaultErrnoRet\":1,"
		"\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"},"
		"{\"names\":[\"mount\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"caps\":[\"CAP_SYS_ADMIN\"]}},"
		"{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":13}],"
		"\"seclog\":{\"comment\":\"x\",\"enforce\":{\"defaultAction\":\"SCMP_ACT_ERRNO\"}}}";
	struct pair x;

	(void)state;
	compare(&x, enforcing, twin);
	assert_true(x.c.default_changed);
	assert_true(x.c.new_is_twin);
	assert_false(x.c.old_is_twin);
	assert_true(x.n.complain);
	assert_int_equal(x.c.nch, 0);
	pair_free(&x);
	compare(&x, twin, enforcing);
	assert_true(x.c.old_is_twin);
	assert_int_equal(x.c.nch, 0);
	pair_free(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy),
		cmocka_unit_test(test_policy_archmap),
		cmocka_unit_test(test_same),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_twin),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
