/*
 * test-export.c - export.c: Kubernetes names, a target's archMap entry
 * and includes/excludes (arch, caps, kernel) for another host than this
 * one, what SPO refuses, and config.json edits in each layout.
 */
#include "config.h"

#include <errno.h>

#include "unit.h"
#include "export.h"
#include "profile.h"

static char *export(const char *json, const struct sl_export_opts *o, int *rc)
{
	struct sl_profile p = { 0 };
	char *out = NULL, *cause = NULL;

	assert_int_equal(sl_profile_parse(&p, "t.json", json, strlen(json), &cause), 0);
	*rc = sl_export(&p, o, &out, &cause);
	if (*rc)
		assert_non_null(cause);
	free(cause);
	sl_profile_free(&p);
	return out;
}

static void test_names(void **state)
{
	char *n;

	(void)state;
	assert_true(sl_k8s_name_ok("web-1.prod", false));
	assert_false(sl_k8s_name_ok("web-1.prod", true));	/* a label has no dot */
	assert_false(sl_k8s_name_ok("Web", false));
	assert_false(sl_k8s_name_ok("-web", false));
	assert_false(sl_k8s_name_ok("web.", false));
	assert_false(sl_k8s_name_ok("a..b", false));
	assert_false(sl_k8s_name_ok("", false));
	n = sl_export_name_from_path("/etc/seclog/nginx.json");
	assert_string_equal(n, "nginx");
	free(n);
	assert_null(sl_export_name_from_path("dir/My_App.json"));
}

/* A Docker-style profile for arm64 and amd64, with rules by arch, cap
 * and kernel. */
static const char multi[] =
	"{\"defaultAction\": \"SCMP_ACT_ERRNO\",\n"
	" \"archMap\": [\n"
	"  {\"architecture\": \"SCMP_ARCH_X86_64\", \"subArchitectures\": [\"SCMP_ARCH_X86\"]},\n"
	"  {\"architecture\": \"SCMP_ARCH_AARCH64\", \"subArchitectures\": [\"SCMP_ARCH_ARM\"]}],\n"
	" \"syscalls\": [\n"
	"  {\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"comment\": \"c\"},\n"
	"  {\"names\": [\"arch_prctl\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
	"   \"includes\": {\"arches\": [\"amd64\"]}},\n"
	"  {\"names\": [\"arm_fadvise64_64\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
	"   \"includes\": {\"arches\": [\"arm64\"]}},\n"
	"  {\"names\": [\"bpf\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
	"   \"includes\": {\"caps\": [\"CAP_SYS_ADMIN\"]}},\n"
	"  {\"names\": [\"clone3\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38,\n"
	"   \"excludes\": {\"caps\": [\"CAP_SYS_ADMIN\"]}},\n"
	"  {\"name\": \"pidfd_getfd\", \"action\": \"SCMP_ACT_ALLOW\",\n"
	"   \"includes\": {\"minKernel\": \"5.6\"}}]}\n";

static void test_target(void **state)
{
	struct sl_export_opts o = {
		.format = SL_EXPORT_SPO, .name = "app", .arch = sl_arch_by_name("aarch64"),
		.caps = sl_export_default_caps(), .kernel = { 5, 4 },
	};
	char *out;
	int rc;

	(void)state;
	assert_non_null(o.arch);
	out = export(multi, &o, &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "  architectures:\n  - SCMP_ARCH_AARCH64\n  - SCMP_ARCH_ARM\n"));
	assert_non_null(strstr(out, "arm_fadvise64_64"));
	assert_null(strstr(out, "arch_prctl"));
	assert_null(strstr(out, "bpf"));
	assert_non_null(strstr(out, "  - names:\n    - clone3\n    action: SCMP_ACT_ERRNO\n"
				    "    errnoRet: 38\n"));
	assert_null(strstr(out, "pidfd_getfd"));	/* kernel 5.4 < 5.6 */
	assert_null(strstr(out, "comment"));
	free(out);

	o.arch = sl_arch_by_name("x86_64");
	o.caps |= 1ULL << 21;	/* CAP_SYS_ADMIN */
	o.kernel[1] = 6;
	o.format = SL_EXPORT_OCI;
	out = export(multi, &o, &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "\"SCMP_ARCH_X86_64\",\n    \"SCMP_ARCH_X86\"\n"));
	assert_non_null(strstr(out, "arch_prctl"));
	assert_non_null(strstr(out, "bpf"));
	assert_null(strstr(out, "clone3"));
	assert_non_null(strstr(out, "pidfd_getfd"));	/* "name" joins "names" */
	assert_null(strstr(out, "\"name\""));
	free(out);

	/* no archMap entry for the target: no architectures (the runtime's own) */
	o.arch = sl_arch_by_name("s390x");
	out = export(multi, &o, &rc);
	assert_int_equal(rc, 0);
	assert_null(strstr(out, "architectures"));
	free(out);
}

static void test_refused(void **state)
{
	struct sl_export_opts o = {
		.format = SL_EXPORT_SPO, .name = "app", .arch = sl_arch_native(),
	};
	int rc;

	(void)state;
	assert_null(export("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 38}", &o,
			   &rc));
	assert_int_equal(rc, -EINVAL);
	free(export("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1}", &o, &rc));
	assert_int_equal(rc, 0);
	assert_null(export("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"flags\": "
			   "[\"SECCOMP_FILTER_FLAG_NEW_LISTENER\"]}", &o, &rc));
	assert_int_equal(rc, -EINVAL);
	assert_null(export("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": "
			   "[\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, "
			   "\"value\": -1, \"op\": \"SCMP_CMP_EQ\"}]}]}", &o, &rc));
	assert_int_equal(rc, -EINVAL);
	o.name = "Not_A_Name";
	assert_null(export("{\"defaultAction\": \"SCMP_ACT_ERRNO\"}", &o, &rc));
	assert_int_equal(rc, -EINVAL);
}

static char *into(const char *config, const char *block)
{
	char *out = NULL, *cause = NULL;
	size_t len;

	assert_int_equal(sl_export_config(config, strlen(config), block, &out, &len, &cause), 0);
	assert_int_equal(strlen(out), len);
	return out;
}

static void test_config(void **state)
{
	const char *block = "{\"defaultAction\": \"SCMP_ACT_ERRNO\"}";
	char *out, *cause = NULL;
	size_t len;

	(void)state;
	/* replaced, the rest byte for byte */
	out = into("{\n  \"a\": 1,\n  \"linux\": {\n    \"seccomp\": {\"x\": 1},\n    \"b\": 2\n  }\n}\n",
		   block);
	assert_string_equal(out, "{\n  \"a\": 1,\n  \"linux\": {\n    \"seccomp\": {\n"
				 "      \"defaultAction\": \"SCMP_ACT_ERRNO\"\n    },\n"
				 "    \"b\": 2\n  }\n}\n");
	free(out);
	/* added to linux, tabs kept */
	out = into("{\n\t\"linux\": {\n\t\t\"b\": 2\n\t}\n}\n", block);
	assert_string_equal(out, "{\n\t\"linux\": {\n\t\t\"b\": 2,\n\t\t\"seccomp\": {\n"
				 "\t\t\t\"defaultAction\": \"SCMP_ACT_ERRNO\"\n\t\t}\n\t}\n}\n");
	free(out);
	/* linux added; an empty linux filled */
	out = into("{\"a\": 1}", block);
	assert_string_equal(out, "{\"a\": 1, \"linux\": {\"seccomp\": {\"defaultAction\": "
				 "\"SCMP_ACT_ERRNO\"}}}");
	free(out);
	out = into("{\"linux\": {}}", block);
	assert_string_equal(out, "{\"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_ERRNO\"}}}");
	free(out);
	/* not a config */
	assert_int_equal(sl_export_config("[1]", 3, block, &out, &len, &cause), -EINVAL);
	free(cause);
	cause = NULL;
	assert_int_equal(sl_export_config("{\"linux\": 1}", 12, block, &out, &len, &cause), -EINVAL);
	free(cause);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_target),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
