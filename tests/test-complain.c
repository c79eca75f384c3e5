/*
 * test-complain.c - complain mode: the filter libseccomp builds from a
 * profile (PFC text), and the filter loaded in a child: what only the
 * default denies runs, what a rule denies stays denied, no_new_privs is set
 * only without CAP_SYS_ADMIN.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"
#include "complain.h"
#include "enforce.h"
#include "profile.h"

static const char profile_text[] =
	"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":1,"
	"\"architectures\":[\"SCMP_ARCH_X86\"],"
	"\"syscalls\":["
	"{\"names\":[\"read\",\"write\",\"exit_group\"],\"action\":\"SCMP_ACT_ALLOW\"},"
	"{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ALLOW\","
	" \"args\":[{\"index\":0,\"value\":8,\"op\":\"SCMP_CMP_EQ\"}]},"
	"{\"names\":[\"mkdir\",\"mkdirat\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":13},"
	"{\"names\":[\"reboot\"],\"action\":\"SCMP_ACT_KILL_PROCESS\"}]}";

static char *pfc(const struct sl_profile *p)
{
	char path[] = "/tmp/seclog-pfc.XXXXXX", *text;
	int fd = mkstemp(path);
	char *cause = NULL;
	off_t len;

	assert_true(fd >= 0);
	unlink(path);
	assert_int_equal(sl_complain_pfc(p, fd, &cause), 0);
	len = lseek(fd, 0, SEEK_END);
	text = calloc(1, (size_t)len + 1);
	assert_int_equal(pread(fd, text, (size_t)len, 0), len);
	close(fd);
	return text;
}

/* Does the PFC block of syscall name hold action? */
static bool rule_is(const char *text, const char *name, const char *action)
{
	char head[128];
	const char *p = text, *end;

	snprintf(head, sizeof(head), "syscall \"%s\"", name);
	while ((p = strstr(p, head))) {
		end = strstr(p + 1, "# filter for syscall");
		if (!end)
			end = p + strlen(p);
		for (const char *a = strstr(p, action); a && a < end; a = NULL)
			return true;
		p++;
	}
	return false;
}

static void test_pfc(void **state)
{
	struct sl_profile p;
	char *cause = NULL, *text;

	(void)state;
	assert_int_equal(sl_profile_parse(&p, "t.json", profile_text, strlen(profile_text),
					  &cause), 0);
	text = pfc(&p);
	/* the native arch and the listed one */
	assert_non_null(strstr(text, "arch x86_64"));
	assert_non_null(strstr(text, "arch x86 "));
	/* the default logs; the deny rules act as written (the twin's way) */
	assert_non_null(strstr(text, "# default action\n  action LOG;"));
	assert_true(rule_is(text, "mkdir", "action ERRNO(13)"));
	assert_true(rule_is(text, "reboot", "action KILL_PROCESS"));
	assert_true(rule_is(text, "read", "action ALLOW"));
	assert_true(rule_is(text, "exit_group", "action ALLOW"));
	/* allowed as written: only with its argument */
	assert_true(rule_is(text, "personality", "if ($a0.lo32 == 8)"));
	free(text);
	sl_profile_free(&p);

	/* no profile: log everything */
	text = pfc(NULL);
	assert_non_null(strstr(text, "action LOG;"));
	assert_null(strstr(text, "ALLOW"));
	free(text);
}

/*
 * Includes/excludes apply as Docker decides them: by this process's
 * capabilities, the host's arch (Go's name) and kernel version.
 */
static void test_includes(void **state)
{
	static const char t[] = "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":["
				"{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"},"
				"{\"names\":[\"ptrace\"],\"action\":\"SCMP_ACT_ALLOW\","
				"\"includes\":{\"caps\":[\"CAP_SYS_PTRACE\"]}},"
				"{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\","
				"\"includes\":{\"arches\":[\"amd64\",\"arm64\"]}},"
				"{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_ALLOW\","
				"\"includes\":{\"arches\":[\"s390x\"]}},"
				"{\"names\":[\"getuid\"],\"action\":\"SCMP_ACT_ALLOW\","
				"\"includes\":{\"minKernel\":\"99.0\"}},"
				"{\"names\":[\"getgid\"],\"action\":\"SCMP_ACT_ALLOW\","
				"\"excludes\":{\"caps\":[\"CAP_SYS_ADMIN\"]}}]}";
	struct sl_profile p;
	char *cause = NULL, *text;
	bool root = geteuid() == 0;

	(void)state;
	assert_int_equal(sl_profile_parse(&p, "t.json", t, strlen(t), &cause), 0);
	text = pfc(&p);
	assert_true(rule_is(text, "read", "action ALLOW"));
	/* held by root, not by others */
	assert_true(rule_is(text, "ptrace", "action ALLOW") == root);
	assert_true(rule_is(text, "getgid", "action ALLOW") == !root);
	/* this test runs on amd64 or arm64 hosts, never s390x */
	assert_true(rule_is(text, "getpid", "action ALLOW"));
	assert_false(rule_is(text, "getppid", "action ALLOW"));
	assert_false(rule_is(text, "getuid", "action ALLOW"));
	free(text);
	sl_profile_free(&p);
}

/* NoNewPrivs of this process, from /proc/self/status. */
static int nnp_now(void)
{
	char buf[4096], *p;
	int fd = open("/proc/self/status", O_RDONLY);
	ssize_t n = read(fd, buf, sizeof(buf) - 1);

	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strstr(buf, "NoNewPrivs:");
	return p ? atoi(p + 11) : -1;
}

/*
 * In a child: load the profile in complain mode (after giving up root when
 * asked), then mkdir, which a rule of the profile denies (EACCES) and
 * symlink, which only its default denies (logged, so it runs).  Exit
 * status: 0 when both went so and no_new_privs is as expected, else a code
 * saying what failed.
 */
static int run_child(const struct sl_profile *p, bool drop_root, const char *dir)
{
	pid_t pid = fork();
	int st;

	if (!pid) {
		char *cause = NULL;
		bool nnp;

		if (drop_root && (setgid(65534) || setuid(65534)))
			_exit(10);
		if (sl_complain_load(p, false, &nnp, &cause))
			_exit(11);
		if (nnp != drop_root || nnp_now() != (int)nnp)
			_exit(12);
		if (symlink("/", dir))
			_exit(13);
		if (p)
			_exit(mkdir("/tmp/seclog-complain-denied", 0777) == -1 && errno == EACCES ?
			      0 : 14);
		_exit(mkdir("/tmp/seclog-complain-denied", 0777) ? 15 : 0);
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 100 + WTERMSIG(st);
}

static void test_load(void **state)
{
	char dir[] = "/tmp/seclog-complain.XXXXXX", sub[64];
	struct sl_profile p;
	char *cause = NULL;
	pid_t pid;
	int st;

	(void)state;
	assert_non_null(mkdtemp(dir));
	chmod(dir, 0777);
	assert_int_equal(sl_profile_parse(&p, "t.json", profile_text, strlen(profile_text),
					  &cause), 0);
	/*
	 * The control: enforced, mkdir is refused with the profile's errno.
	 * Not under ASan: its runtime maps memory after the load, which this
	 * profile refuses, and it dies of that.
	 */
#ifndef __SANITIZE_ADDRESS__
	snprintf(sub, sizeof(sub), "%s/enforced", dir);
	pid = fork();
	if (!pid) {
		if (sl_enforce_load(&p, &cause))
			_exit(11);
		_exit(mkdir(sub, 0777) == -1 && errno == 13 ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
#else
	(void)pid;
	(void)st;
#endif

	snprintf(sub, sizeof(sub), "%s/a", dir);
	assert_int_equal(run_child(&p, geteuid() != 0, sub), 0);
	assert_int_equal(unlink(sub), 0);
	if (geteuid() == 0) {
		/* without root: no_new_privs is set */
		snprintf(sub, sizeof(sub), "%s/b", dir);
		assert_int_equal(run_child(&p, true, sub), 0);
		assert_int_equal(unlink(sub), 0);
	}
	snprintf(sub, sizeof(sub), "%s/c", dir);
	assert_int_equal(run_child(NULL, geteuid() != 0, sub), 0);
	assert_int_equal(unlink(sub), 0);
	assert_int_equal(rmdir("/tmp/seclog-complain-denied"), 0);
	rmdir(dir);
	sl_profile_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pfc),
		cmocka_unit_test(test_includes),
		cmocka_unit_test(test_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
