/*
 * test-twin.c - the complain twin and the way back, on the text shapes a
 * user's file may have: one line, CRLF, defaultAction last, rules moved.
 */
#include "config.h"

#include <errno.h>

#include "unit.h"
#include "twin.h"

static char *complain(const char *text, bool log_denied, int want)
{
	struct sl_twin_opts o = { .log_denied = log_denied };
	struct sl_profile p;
	char *cause = NULL, *out = NULL;
	size_t len;

	assert_int_equal(sl_profile_parse(&p, "t.json", text, strlen(text), &cause), 0);
	assert_int_equal(sl_twin_complain(&p, &o, &out, &len, NULL, &cause), want);
	if (!want)
		assert_int_equal(strlen(out), len);
	else
		assert_non_null(cause);
	free(cause);
	sl_profile_free(&p);
	return out;
}

static char *enforce(const char *text, const char *action, int want, char **why)
{
	struct sl_profile p;
	char *cause = NULL, *out = NULL;
	size_t len;

	assert_int_equal(sl_profile_parse(&p, "t.json", text, strlen(text), &cause), 0);
	assert_int_equal(sl_twin_enforce(&p, action, &out, &len, NULL, &cause), want);
	if (why)
		*why = cause;
	else
		free(cause);
	sl_profile_free(&p);
	return out;
}

/* complain then enforce gives text back, byte for byte */
static void round_trip(const char *text, bool log_denied)
{
	char *twin = complain(text, log_denied, 0), *back = enforce(twin, NULL, 0, NULL);

	assert_string_equal(back, text);
	free(twin);
	free(back);
}

static void test_shapes(void **state)
{
	(void)state;
	round_trip("{\"defaultAction\":\"SCMP_ACT_ERRNO\"}", false);
	round_trip("{\"syscalls\":[],\"defaultAction\":\"SCMP_ACT_KILL\"}\n", false);
	round_trip("{\r\n  \"defaultAction\": \"SCMP_ACT_ERRNO\",\r\n  \"syscalls\": [\r\n"
		   "    {\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"},\r\n"
		   "    {\"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_KILL\"}\r\n  ]\r\n}\r\n",
		   true);
	round_trip("{\n    \"defaultAction\" : \"SCMP_ACT_TRAP\" ,\n    \"x\" : {\"y\" : 1}\n}\n",
		   false);
	/* errnos leave the twin (crun refuses them next to LOG) and come back
	 * where they were: leading, trailing, between, in rules */
	round_trip("{\"defaultErrnoRet\":1, \"defaultAction\":\"SCMP_ACT_ERRNO\"}", false);
	round_trip("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"x\":1,\"defaultErrnoRet\":5}\n", false);
	round_trip("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\n \"defaultErrnoRet\":38,\n "
		   "\"defaultErrno\":\"ENOSYS\",\n \"syscalls\":[{\"errnoRet\":13,\"names\":[\"a\"],"
		   "\"action\":\"SCMP_ACT_ERRNO\",\"errno\":\"EACCES\"}]}", true);
}

/* The errnos left the twin; a hand edit that removed their anchor still
 * gets them back, as new members. */
static void test_errno_record(void **state)
{
	const char moved[] =
		"{\"syscalls\":[],\"defaultAction\":\"SCMP_ACT_LOG\",\"seclog\":{\"enforce\":"
		"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":38,\"restore\":"
		"[{\"after\":\"gone\",\"text\":\",\\\"defaultErrnoRet\\\":38\"}]}}}";
	char *t = complain("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":38}", false, 0);

	(void)state;
	assert_null(strstr(t, "\"defaultErrnoRet\":38,"));
	assert_non_null(strstr(t, "\"defaultAction\":\"SCMP_ACT_LOG\",\"seclog\""));
	free(t);
	t = enforce(moved, NULL, 0, NULL);
	assert_string_equal(t, "{\"syscalls\":[],\"defaultAction\":\"SCMP_ACT_ERRNO\","
			    "\"defaultErrnoRet\":38}");
	free(t);
	/* one anchor of two gone: both come back as members, each once */
	t = enforce("{\"defaultAction\":\"SCMP_ACT_LOG\",\"seclog\":{\"enforce\":"
		    "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":38,"
		    "\"defaultErrno\":\"ENOSYS\",\"restore\":["
		    "{\"after\":\"defaultAction\",\"text\":\",\\\"defaultErrnoRet\\\":38\"},"
		    "{\"after\":\"gone\",\"text\":\",\\\"defaultErrno\\\":\\\"ENOSYS\\\"\"}]}}}",
		    NULL, 0, NULL);
	assert_string_equal(t, "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":38,"
			    "\"defaultErrno\":\"ENOSYS\"}");
	free(t);
	/* another default than the recorded one: no errno with it */
	t = enforce(moved, "SCMP_ACT_KILL", 0, NULL);
	assert_string_equal(t, "{\"syscalls\":[],\"defaultAction\":\"SCMP_ACT_KILL\"}");
	free(t);
}

static void test_twin_text(void **state)
{
	const char crlf[] = "{\r\n  \"defaultAction\": \"SCMP_ACT_ERRNO\"\r\n}\r\n";
	char *t;

	(void)state;
	t = complain(crlf, false, 0);
	/* the record is in the file's style: CRLF lines, its indentation */
	assert_null(strstr(t, "\n\n"));
	assert_non_null(strstr(t, ",\r\n  \"seclog\": {\r\n    \"comment\""));
	assert_non_null(strstr(t, "\"defaultAction\": \"SCMP_ACT_LOG\""));
	free(t);
	/* twice: refused */
	t = complain("{\"defaultAction\":\"SCMP_ACT_LOG\",\"seclog\":{\"enforce\":"
		     "{\"defaultAction\":\"SCMP_ACT_ERRNO\"}}}", false, -EALREADY);
	assert_null(t);
	/* nothing to log instead */
	assert_null(complain("{\"defaultAction\":\"SCMP_ACT_ALLOW\"}", false, -EINVAL));
	assert_null(complain("{\"defaultAction\":\"SCMP_ACT_LOG\"}", false, -EINVAL));
}

static void test_rules_found_again(void **state)
{
	/* a rule added before the logged one (by hand) moves it: found by name */
	const char moved[] =
		"{\"defaultAction\":\"SCMP_ACT_LOG\",\"syscalls\":["
		"{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"},"
		"{\"names\":[\"ptrace\"],\"action\":\"SCMP_ACT_LOG\"}],"
		"\"seclog\":{\"enforce\":{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"rules\":"
		"[{\"index\":0,\"name\":\"ptrace\",\"action\":\"SCMP_ACT_KILL\"}]}}}";
	const char twice[] =
		"{\"defaultAction\":\"SCMP_ACT_LOG\",\"syscalls\":["
		"{\"names\":[\"ptrace\"],\"action\":\"SCMP_ACT_LOG\"},"
		"{\"names\":[\"ptrace\"],\"action\":\"SCMP_ACT_LOG\"}],"
		"\"seclog\":{\"enforce\":{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"rules\":"
		"[{\"index\":5,\"name\":\"ptrace\",\"action\":\"SCMP_ACT_KILL\"}]}}}";
	char *t, *why = NULL;

	(void)state;
	t = enforce(moved, NULL, 0, NULL);
	assert_non_null(strstr(t, "{\"names\":[\"ptrace\"],\"action\":\"SCMP_ACT_KILL\"}"));
	assert_null(strstr(t, "seclog"));
	free(t);
	/* two candidates: no guess, an error that says what to do */
	assert_null(enforce(twice, NULL, -EINVAL, &why));
	assert_non_null(strstr(why, "by hand"));
	free(why);
}

static void test_enforce_defaults(void **state)
{
	char *t;

	(void)state;
	/* no record: ERRNO with errno 1 */
	t = enforce("{\"defaultAction\":\"SCMP_ACT_LOG\"}", NULL, 0, NULL);
	assert_string_equal(t, "{\"defaultAction\":\"SCMP_ACT_ERRNO\", \"defaultErrnoRet\":1}");
	free(t);
	/* an errno already there stays */
	t = enforce("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"defaultErrnoRet\":38}", NULL, 0, NULL);
	assert_string_equal(t, "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":38}");
	free(t);
	/* already enforcing: unchanged */
	t = enforce("{\"defaultAction\":\"SCMP_ACT_KILL_PROCESS\"}", NULL, 0, NULL);
	assert_string_equal(t, "{\"defaultAction\":\"SCMP_ACT_KILL_PROCESS\"}");
	free(t);
	/* an action given wins over the record */
	t = enforce("{\"defaultAction\":\"SCMP_ACT_LOG\",\"seclog\":{\"enforce\":"
		    "{\"defaultAction\":\"SCMP_ACT_ERRNO\"}}}", "SCMP_ACT_KILL", 0, NULL);
	assert_string_equal(t, "{\"defaultAction\":\"SCMP_ACT_KILL\"}");
	free(t);
	assert_null(enforce("{\"defaultAction\":\"SCMP_ACT_LOG\"}", "SCMP_ACT_ALLOW", -EINVAL,
			    NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_twin_text),
		cmocka_unit_test(test_errno_record),
		cmocka_unit_test(test_rules_found_again),
		cmocka_unit_test(test_enforce_defaults),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
