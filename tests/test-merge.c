/* test-merge.c - the merge policy and its byte-preserving application */
#include "config.h"

#include <seccomp.h>
#include <sys/mman.h>
#include <unistd.h>

#include "unit.h"
#include "merge.h"

static const struct sl_merge_opts none = { 0 };

/* Merge names into text; returns the new text (or a copy when unchanged). */
static char *merge(const char *text, const char *const *names, size_t n,
		   const struct sl_merge_opts *o, struct sl_merge_plan *plan)
{
	const struct sl_arch *x86_64 = sl_arch_by_name("x86_64");
	struct sl_profile p;
	char *cause = NULL, *out;
	size_t len;

	assert_int_equal(sl_profile_parse(&p, "t.json", text, strlen(text), &cause), 0);
	sl_merge_plan(&p, names, n, &x86_64, 1, o, plan);
	if (!sl_merge_changes(plan)) {
		sl_profile_free(&p);
		return strdup(text);
	}
	assert_int_equal(sl_merge_apply(&p, plan, &out, &len, &cause), 0);
	sl_profile_free(&p);
	return out;
}

static const char user_profile[] =
	"{\n"
	"\t\"defaultAction\": \"SCMP_ACT_ERRNO\",\n"
	"\t\"x-owner\": {\"team\": \"web\", \"ticket\": 42},\n"
	"\t\"architectures\": [\"SCMP_ARCH_X86_64\"],\n"
	"\t\"syscalls\": [\n"
	"\t\t{\n"
	"\t\t\t\"names\": [\"personality\"],\n"
	"\t\t\t\"action\": \"SCMP_ACT_ALLOW\",\n"
	"\t\t\t\"args\": [{\"index\": 0, \"value\": 0, \"op\": \"SCMP_CMP_EQ\"}],\n"
	"\t\t\t\"comment\": \"only the default persona\"\n"
	"\t\t},\n"
	"\t\t{\n"
	"\t\t\t\"comment\": \"base set\",\n"
	"\t\t\t\"names\": [\n"
	"\t\t\t\t\"write\",\n"
	"\t\t\t\t\"read\"\n"
	"\t\t\t],\n"
	"\t\t\t\"action\": \"SCMP_ACT_ALLOW\",\n"
	"\t\t\t\"x-note\": [1, 2, 3]\n"
	"\t\t},\n"
	"\t\t{\n"
	"\t\t\t\"names\": [\"ptrace\", \"kexec_load\"],\n"
	"\t\t\t\"action\": \"SCMP_ACT_ERRNO\",\n"
	"\t\t\t\"errnoRet\": 1\n"
	"\t\t}\n"
	"\t]\n"
	"}\n";

static void test_adds_in_place_keeping_everything(void **state)
{
	const char *names[] = { "read", "openat", "close", "openat", "write" };
	struct sl_merge_plan plan;
	char *out = merge(user_profile, names, 5, &none, &plan);
	const char *want_tail = "\t\t\t\t\"write\",\n\t\t\t\t\"read\",\n\t\t\t\t\"close\",\n"
				"\t\t\t\t\"openat\"\n\t\t\t],\n";
	char *expect;

	assert_int_equal(plan.nadd, 2);
	assert_string_equal(plan.add[0], "close");
	assert_string_equal(plan.add[1], "openat");
	assert_int_equal(plan.rule, 1);
	/* the only change: two lines inserted after "read" */
	expect = strdup(user_profile);
	{
		char *at = strstr(expect, "\t\t\t\t\"write\",\n\t\t\t\t\"read\"\n\t\t\t],\n");
		char buf[4096];

		assert_non_null(at);
		snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(at - expect), expect, want_tail,
			 at + strlen("\t\t\t\t\"write\",\n\t\t\t\t\"read\"\n\t\t\t],\n"));
		assert_string_equal(out, buf);
	}
	free(expect);
	sl_merge_plan_free(&plan);
	free(out);
}

static void test_second_merge_is_noop(void **state)
{
	const char *names[] = { "openat", "close", "fstat" };
	struct sl_merge_plan plan;
	char *once = merge(user_profile, names, 3, &none, &plan), *twice;

	sl_merge_plan_free(&plan);
	twice = merge(once, names, 3, &none, &plan);
	assert_false(sl_merge_changes(&plan));
	assert_string_equal(once, twice);
	sl_merge_plan_free(&plan);
	free(once);
	free(twice);
}

static void test_denied_kept_unless_allowed(void **state)
{
	const char *names[] = { "ptrace", "read" };
	struct sl_merge_opts allow = { .allow_denied = true };
	struct sl_merge_plan plan;
	char *out = merge(user_profile, names, 2, &none, &plan);

	assert_false(sl_merge_changes(&plan));
	assert_int_equal(plan.nkept, 1);
	assert_string_equal(plan.kept[0].name, "ptrace");
	assert_int_equal(plan.kept[0].rule, 2);
	assert_string_equal(plan.kept[0].action, "SCMP_ACT_ERRNO");
	assert_string_equal(out, user_profile);
	sl_merge_plan_free(&plan);
	free(out);

	out = merge(user_profile, names, 2, &allow, &plan);
	assert_int_equal(plan.nfreed, 1);
	assert_int_equal(plan.nadd, 1);
	assert_non_null(strstr(out, "\"names\": [\"kexec_load\"]"));
	assert_non_null(strstr(out, "\t\t\t\t\"read\",\n\t\t\t\t\"ptrace\"\n"));
	sl_merge_plan_free(&plan);
	free(out);
}

static void test_denied_rule_removed_when_empty(void **state)
{
	const char *text = "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
			   "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}, "
			   "{\"name\": \"ptrace\", \"action\": \"SCMP_ACT_KILL\"}]}";
	const char *names[] = { "ptrace" };
	struct sl_merge_opts allow = { .allow_denied = true };
	struct sl_merge_plan plan;
	char *out = merge(text, names, 1, &allow, &plan);

	assert_string_equal(out, "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
				 "{\"names\": [\"read\", \"ptrace\"], \"action\": \"SCMP_ACT_ALLOW\"}]}");
	sl_merge_plan_free(&plan);
	free(out);
}

static void test_conditional_allow_widened(void **state)
{
	const char *names[] = { "personality" };
	struct sl_merge_plan plan;
	char *out = merge(user_profile, names, 1, &none, &plan);

	assert_int_equal(plan.nwidened, 1);
	assert_int_equal(plan.nadd, 1);
	/* the conditional rule is untouched; the name joins the plain rule */
	assert_non_null(strstr(out, "\"names\": [\"personality\"],\n\t\t\t\"action\""));
	assert_non_null(strstr(out, "\"read\",\n\t\t\t\t\"personality\"\n"));
	sl_merge_plan_free(&plan);
	free(out);
}

static void test_new_rule_when_no_allow_rule(void **state)
{
	const char *text = "{\n  \"defaultAction\": \"SCMP_ACT_LOG\",\n  \"syscalls\": [\n"
			   "    {\n      \"names\": [\"ptrace\"],\n      \"action\": \"SCMP_ACT_ERRNO\"\n"
			   "    }\n  ]\n}\n";
	const char *names[] = { "read", "write" };
	struct sl_merge_plan plan;
	char *out = merge(text, names, 2, &none, &plan);

	assert_int_equal(plan.rule, -1);
	assert_string_equal(out, "{\n  \"defaultAction\": \"SCMP_ACT_LOG\",\n  \"syscalls\": [\n"
				 "    {\n      \"names\": [\"ptrace\"],\n      \"action\": \"SCMP_ACT_ERRNO\"\n"
				 "    },\n    {\n      \"names\": [\n        \"read\",\n        \"write\"\n"
				 "      ],\n      \"action\": \"SCMP_ACT_ALLOW\",\n      \"comment\": "
				 "\"added by seclog\"\n    }\n  ]\n}\n");
	sl_merge_plan_free(&plan);
	free(out);
}

static void test_no_syscalls_key(void **state)
{
	const char *text = "{\n    \"defaultAction\": \"SCMP_ACT_ERRNO\"\n}\n";
	const char *names[] = { "read" };
	struct sl_merge_plan plan;
	char *out = merge(text, names, 1, &none, &plan);
	json_t *j = json_loads(out, 0, NULL);

	assert_non_null(j);
	assert_string_equal(json_string_value(json_array_get(json_object_get(
				    json_array_get(json_object_get(j, "syscalls"), 0), "names"), 0)),
			    "read");
	assert_non_null(strstr(out, "\n    \"syscalls\": [\n        {\n"));
	json_decref(j);
	sl_merge_plan_free(&plan);
	free(out);
}

static void test_default_allow_covers(void **state)
{
	const char *text = "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
			   "{\"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_ERRNO\"}]}";
	const char *names[] = { "read", "ptrace" };
	struct sl_merge_plan plan;
	char *out = merge(text, names, 2, &none, &plan);

	assert_false(sl_merge_changes(&plan));
	assert_int_equal(plan.nkept, 1);
	sl_merge_plan_free(&plan);
	free(out);
}

static void test_arches(void **state)
{
	const char *text = "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": []}";
	const char *listed = "{\"defaultAction\": \"SCMP_ACT_ERRNO\", "
			     "\"architectures\": [\"SCMP_ARCH_X86_64\"], \"syscalls\": []}";
	const char *mapped = "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"archMap\": [{"
			     "\"architecture\": \"SCMP_ARCH_X86_64\", \"subArchitectures\": "
			     "[\"SCMP_ARCH_X32\"]}]}";
	const struct sl_arch *arches[] = { sl_arch_by_name("x86_64"), sl_arch_by_name("x86"),
					   sl_arch_by_name("x32") };
	const char *names[] = { "read" };
	struct sl_merge_opts add = { .add_arch = true };
	struct sl_merge_plan plan;
	struct sl_profile p;
	char *out, *cause = NULL;
	size_t len;

	assert_int_equal(sl_profile_parse(&p, "t", text, strlen(text), &cause), 0);
	sl_merge_plan(&p, names, 1, arches, 2, &none, &plan);
	assert_int_equal(plan.narches, 1);	/* no list: native only */
	assert_false(plan.add_arches);
	sl_merge_plan_free(&plan);
	sl_merge_plan(&p, names, 1, arches, 2, &add, &plan);
	assert_int_equal(sl_merge_apply(&p, &plan, &out, &len, &cause), 0);
	assert_non_null(strstr(out, "\"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\"]"));
	free(out);
	sl_merge_plan_free(&plan);
	sl_profile_free(&p);

	assert_int_equal(sl_profile_parse(&p, "t", listed, strlen(listed), &cause), 0);
	sl_merge_plan(&p, names, 1, arches, 2, &add, &plan);
	assert_int_equal(sl_merge_apply(&p, &plan, &out, &len, &cause), 0);
	assert_non_null(strstr(out, "\"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\"]"));
	free(out);
	sl_merge_plan_free(&plan);
	sl_profile_free(&p);

	assert_int_equal(sl_profile_parse(&p, "t", mapped, strlen(mapped), &cause), 0);
	sl_merge_plan(&p, names, 1, arches, 3, &add, &plan);
	assert_int_equal(plan.narches, 1);	/* x32 is a sub-arch there */
	assert_int_equal(sl_merge_apply(&p, &plan, &out, &len, &cause), 0);
	/* Docker reads the native entry's subArchitectures: x86 goes there */
	assert_string_equal(out, "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"archMap\": [{"
				 "\"architecture\": \"SCMP_ARCH_X86_64\", \"subArchitectures\": "
				 "[\"SCMP_ARCH_X32\", \"SCMP_ARCH_X86\"]}], \"syscalls\": [{\"names\": "
				 "[\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"comment\": "
				 "\"added by seclog\"}]}");
	free(out);
	sl_merge_plan_free(&plan);
	sl_profile_free(&p);
}

/* archMap without a native entry, or whose native entry has no list */
static void test_archmap_native_entry(void **state)
{
	const char *other = "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"archMap\": [{"
			    "\"architecture\": \"SCMP_ARCH_AARCH64\", \"subArchitectures\": "
			    "[\"SCMP_ARCH_ARM\"]}]}";
	const char *bare = "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"archMap\": [{"
			   "\"architecture\": \"SCMP_ARCH_X86_64\"}]}";
	const struct sl_arch *x86 = sl_arch_by_name("x86");
	const char *names[] = { "read" };
	struct sl_merge_opts add = { .add_arch = true };
	struct sl_merge_plan plan;
	struct sl_profile p;
	char *out, *cause = NULL;
	size_t len;

	assert_int_equal(sl_profile_parse(&p, "t", other, strlen(other), &cause), 0);
	sl_merge_plan(&p, names, 1, &x86, 1, &add, &plan);
	assert_int_equal(sl_merge_apply(&p, &plan, &out, &len, &cause), 0);
	assert_non_null(strstr(out, "\"subArchitectures\": [\"SCMP_ARCH_ARM\"]}, "
				    "{\"architecture\": \"SCMP_ARCH_X86_64\", "
				    "\"subArchitectures\": [\"SCMP_ARCH_X86\"]}]"));
	sl_merge_plan_free(&plan);
	sl_profile_free(&p);
	/* the result loads x86 on this host: a second merge adds nothing */
	assert_int_equal(sl_profile_parse(&p, "t", out, len, &cause), 0);
	assert_true(sl_profile_has_arch(&p, x86));
	sl_profile_free(&p);
	free(out);

	assert_int_equal(sl_profile_parse(&p, "t", bare, strlen(bare), &cause), 0);
	sl_merge_plan(&p, names, 1, &x86, 1, &add, &plan);
	assert_int_equal(sl_merge_apply(&p, &plan, &out, &len, &cause), 0);
	assert_non_null(strstr(out, "{\"architecture\": \"SCMP_ARCH_X86_64\", "
				    "\"subArchitectures\": [\"SCMP_ARCH_X86\"]}"));
	free(out);
	sl_merge_plan_free(&plan);
	sl_profile_free(&p);
}

/* The complain-mode start: its only rule is a deny. */
static void test_allow_denied_only_rule(void **state)
{
	const char *text = "{\"defaultAction\":\"SCMP_ACT_LOG\",\"syscalls\":[{\"names\":"
			   "[\"getppid\"],\"action\":\"SCMP_ACT_ERRNO\"}]}";
	const char *names[] = { "getppid" };
	struct sl_merge_opts allow = { .allow_denied = true };
	struct sl_merge_plan plan;
	char *out = merge(text, names, 1, &allow, &plan), *again;

	assert_string_equal(out, "{\"defaultAction\":\"SCMP_ACT_LOG\",\"syscalls\":["
				 "{\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_ALLOW\", "
				 "\"comment\": \"added by seclog\"}]}");
	sl_merge_plan_free(&plan);
	again = merge(out, names, 1, &allow, &plan);
	assert_false(sl_merge_changes(&plan));
	assert_string_equal(again, out);
	sl_merge_plan_free(&plan);
	free(again);
	free(out);
}

/* Deny rules go from the front and the back; the new rule follows the
 * last rule that stays. */
static void test_allow_denied_rules_around(void **state)
{
	const char *prof = "{\n  \"defaultAction\": \"SCMP_ACT_LOG\",\n  \"syscalls\": [\n"
			   "    {\"names\": [\"a1\"], \"action\": \"SCMP_ACT_KILL\"},\n"
			   "    {\"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_ERRNO\", "
			   "\"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]},\n"
			   "    {\"names\": [\"a2\"], \"action\": \"SCMP_ACT_TRAP\"}\n  ]\n}\n";
	const char *names[] = { "a1", "a2" };
	struct sl_merge_opts allow = { .allow_denied = true };
	struct sl_merge_plan plan;
	char *out = merge(prof, names, 2, &allow, &plan);

	assert_string_equal(out, "{\n  \"defaultAction\": \"SCMP_ACT_LOG\",\n  \"syscalls\": [\n"
				 "    {\"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_ERRNO\", "
				 "\"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]},\n"
				 "    {\"names\": [\"a1\", \"a2\"], \"action\": \"SCMP_ACT_ALLOW\", "
				 "\"comment\": \"added by seclog\"}\n  ]\n}\n");
	sl_merge_plan_free(&plan);
	free(out);
}

/* Fuzzing: a name both allowed and denied, or denied twice, was added
 * two and three times under --allow-denied. */
static void test_allow_denied_adds_once(void **state)
{
	const char *text = "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
			   "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}, "
			   "{\"names\": [\"read\", \"ptrace\", \"ptrace\"], \"action\": \"SCMP_ACT_KILL\"}, "
			   "{\"names\": [\"ptrace\", \"bpf\"], \"action\": \"SCMP_ACT_ERRNO\"}]}";
	const char *names[] = { "ptrace", "read", "ptrace", "read" };
	struct sl_merge_opts allow = { .allow_denied = true };
	struct sl_merge_plan plan;
	char *out = merge(text, names, 4, &allow, &plan), *again;

	assert_int_equal(plan.nadd, 1);
	assert_string_equal(plan.add[0], "ptrace");
	assert_string_equal(out, "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
				 "{\"names\": [\"read\", \"ptrace\"], \"action\": \"SCMP_ACT_ALLOW\"}, "
				 "{\"names\": [\"bpf\"], \"action\": \"SCMP_ACT_ERRNO\"}]}");
	sl_merge_plan_free(&plan);
	again = merge(out, names, 4, &allow, &plan);
	assert_false(sl_merge_changes(&plan));
	sl_merge_plan_free(&plan);
	free(again);
	free(out);
}

/* Fuzzing: the older "name" member survived while the CLI said freed. */
static void test_allow_denied_takes_name_member(void **state)
{
	const char *text = "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
			   "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}, "
			   "{\"name\": \"ptrace\", \"names\": [\"bpf\"], \"action\": \"SCMP_ACT_ERRNO\"}]}";
	const char *names[] = { "ptrace" };
	struct sl_merge_opts allow = { .allow_denied = true };
	struct sl_merge_plan plan;
	char *out = merge(text, names, 1, &allow, &plan);

	assert_int_equal(plan.nfreed, 1);
	assert_string_equal(out, "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
				 "{\"names\": [\"read\", \"ptrace\"], \"action\": \"SCMP_ACT_ALLOW\"}, "
				 "{\"names\": [\"bpf\"], \"action\": \"SCMP_ACT_ERRNO\"}]}");
	sl_merge_plan_free(&plan);
	free(out);
}

/* Docker loads "names": [], so it is a rule to extend like any other. */
static void test_empty_names_rule(void **state)
{
	const char *text = "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
			   "{\"names\": [], \"action\": \"SCMP_ACT_ALLOW\"}]}";
	const char *names[] = { "read" };
	struct sl_merge_plan plan;
	char *out = merge(text, names, 1, &none, &plan);

	assert_string_equal(out, "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
				 "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}]}");
	sl_merge_plan_free(&plan);
	free(out);
}

static void test_crlf_kept(void **state)
{
	const char *text = "{\r\n  \"defaultAction\": \"SCMP_ACT_ERRNO\",\r\n  \"syscalls\": [\r\n"
			   "    {\r\n      \"names\": [\"ptrace\"],\r\n"
			   "      \"action\": \"SCMP_ACT_ERRNO\"\r\n    }\r\n  ]\r\n}\r\n";
	const char *names[] = { "read", "write" };
	struct sl_merge_plan plan;
	char *out = merge(text, names, 2, &none, &plan), *c;

	for (c = out; (c = strchr(c, '\n')); c++)
		assert_int_equal(c[-1], '\r');
	assert_non_null(strstr(out, "    },\r\n    {\r\n      \"names\": [\r\n        \"read\",\r\n"));
	sl_merge_plan_free(&plan);
	free(out);
}

static void test_permissive_default(void **state)
{
	const char *text = "{\"defaultAction\": \"SCMP_ACT_LOG\"}";
	const char *names[] = { "read" };
	struct sl_merge_plan plan;
	char *out = merge(text, names, 1, &none, &plan);

	assert_true(sl_merge_permissive(&plan));
	sl_merge_plan_free(&plan);
	free(out);
	out = merge(user_profile, names, 1, &none, &plan);
	assert_false(sl_merge_permissive(&plan));
	sl_merge_plan_free(&plan);
	free(out);
}

/*
 * The action libseccomp gives syscall nr when the profile's rules for it
 * are loaded in order (args as in the profile), read back from its pfc.
 */
static char *effective(const char *text, const char *name)
{
	json_t *root = json_loads(text, 0, NULL), *r, *a;
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_LOG);
	int nr = seccomp_syscall_resolve_name(name), fd = memfd_create("pfc", 0);
	char buf[65536], want[64], *at, *act = NULL;
	size_t i, k;
	ssize_t n;

	json_array_foreach(json_object_get(root, "syscalls"), i, r) {
		const char *action = json_string_value(json_object_get(r, "action"));
		struct scmp_arg_cmp cmp[6];
		unsigned int ncmp = 0;

		if (!sl_rule_has_name(r, name))
			continue;
		json_array_foreach(json_object_get(r, "args"), k, a) {
			cmp[ncmp].arg = (unsigned int)json_integer_value(json_object_get(a, "index"));
			cmp[ncmp].op = SCMP_CMP_EQ;
			cmp[ncmp].datum_a = (scmp_datum_t)json_integer_value(json_object_get(a, "value"));
			cmp[ncmp++].datum_b = 0;
		}
		assert_int_equal(seccomp_rule_add_array(ctx, !strcmp(action, "SCMP_ACT_ALLOW") ?
							SCMP_ACT_ALLOW : SCMP_ACT_ERRNO(1), nr,
							ncmp, cmp), 0);
	}
	assert_int_equal(seccomp_export_pfc(ctx, fd), 0);
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	assert_true(n > 0);
	buf[n] = '\0';
	snprintf(want, sizeof(want), "if ($syscall == %d)", nr);
	at = strstr(buf, want);
	if (at && (at = strstr(at, "action ")))
		act = strndup(at + 7, strcspn(at + 7, ";"));
	close(fd);
	seccomp_release(ctx);
	json_decref(root);
	return act ? act : strdup("(default)");
}

/* --allow-denied next to a conditional deny: what really happens */
static void test_conditional_deny_superseded(void **state)
{
	const char *text = "{\"defaultAction\": \"SCMP_ACT_LOG\", \"syscalls\": ["
			   "{\"names\": [\"personality\"], \"action\": \"SCMP_ACT_ERRNO\", "
			   "\"args\": [{\"index\": 0, \"value\": 8, \"op\": \"SCMP_CMP_EQ\"}]}]}";
	const char *names[] = { "personality" };
	struct sl_merge_opts allow = { .allow_denied = true };
	struct sl_merge_plan plan;
	char *out, *before, *after;

	/* before: the deny acts (a branch, not one action for the syscall) */
	before = effective(text, "personality");
	assert_string_not_equal(before, "ALLOW");
	out = merge(text, names, 1, &none, &plan);
	assert_int_equal(plan.nkept, 1);
	assert_false(plan.kept[0].superseded);
	assert_false(sl_merge_changes(&plan));
	sl_merge_plan_free(&plan);
	free(out);

	out = merge(text, names, 1, &allow, &plan);
	assert_int_equal(plan.nadd, 1);
	assert_int_equal(plan.nkept, 1);
	assert_true(plan.kept[0].conditional);
	assert_true(plan.kept[0].superseded);
	/* the deny is still in the file, and libseccomp ignores it */
	assert_non_null(strstr(out, "\"action\": \"SCMP_ACT_ERRNO\""));
	after = effective(out, "personality");
	assert_string_equal(after, "ALLOW");
	sl_merge_plan_free(&plan);
	free(before);
	free(after);
	free(out);
}

/*
 * A deny whose only conditions are the runtime's (includes/excludes) is
 * unconditional for libseccomp wherever it applies: then the first of the
 * two rules wins.  Read here as a runtime that applies it would load it.
 */
static void test_runtime_conditional_deny(void **state)
{
	const char *deny_first = "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
				 "{\"names\": [\"clone3\"], \"action\": \"SCMP_ACT_ERRNO\", "
				 "\"excludes\": {\"caps\": [\"CAP_SYS_ADMIN\"]}}]}";
	const char *allow_first = "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
				  "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}, "
				  "{\"names\": [\"clone3\"], \"action\": \"SCMP_ACT_ERRNO\", "
				  "\"excludes\": {\"caps\": [\"CAP_SYS_ADMIN\"]}}]}";
	const char *names[] = { "clone3" };
	struct sl_merge_opts allow = { .allow_denied = true };
	struct sl_merge_plan plan;
	char *out, *act;

	out = merge(deny_first, names, 1, &allow, &plan);
	assert_int_equal(plan.nkept, 1);
	assert_true(plan.kept[0].still_denies);
	assert_false(plan.kept[0].superseded);
	act = effective(out, "clone3");
	assert_string_equal(act, "ERRNO(1)");	/* the deny still acts */
	free(act);
	sl_merge_plan_free(&plan);
	free(out);

	out = merge(allow_first, names, 1, &allow, &plan);
	assert_true(plan.kept[0].superseded);
	assert_false(plan.kept[0].still_denies);
	act = effective(out, "clone3");
	assert_string_equal(act, "ALLOW");	/* the deny never acts */
	free(act);
	sl_merge_plan_free(&plan);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_adds_in_place_keeping_everything),
		cmocka_unit_test(test_second_merge_is_noop),
		cmocka_unit_test(test_denied_kept_unless_allowed),
		cmocka_unit_test(test_denied_rule_removed_when_empty),
		cmocka_unit_test(test_conditional_allow_widened),
		cmocka_unit_test(test_new_rule_when_no_allow_rule),
		cmocka_unit_test(test_no_syscalls_key),
		cmocka_unit_test(test_default_allow_covers),
		cmocka_unit_test(test_arches),
		cmocka_unit_test(test_archmap_native_entry),
		cmocka_unit_test(test_allow_denied_only_rule),
		cmocka_unit_test(test_allow_denied_rules_around),
		cmocka_unit_test(test_allow_denied_adds_once),
		cmocka_unit_test(test_allow_denied_takes_name_member),
		cmocka_unit_test(test_empty_names_rule),
		cmocka_unit_test(test_crlf_kept),
		cmocka_unit_test(test_permissive_default),
		cmocka_unit_test(test_conditional_deny_superseded),
		cmocka_unit_test(test_runtime_conditional_deny),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
