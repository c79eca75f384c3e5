/* test-profile.c - profile checks and the atomic write, with real failures */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"
#include "profile.h"

/* Linked with --wrap: make fsync or rename fail on demand. */
static int fail_fsync, fail_rename;
int __real_fsync(int fd);
int __real_renameat(int da, const char *a, int db, const char *b);
int __wrap_fsync(int fd);
int __wrap_renameat(int da, const char *a, int db, const char *b);

int __wrap_fsync(int fd)
{
	if (fail_fsync) {
		errno = EIO;
		return -1;
	}
	return __real_fsync(fd);
}

int __wrap_renameat(int da, const char *a, int db, const char *b)
{
	if (fail_rename) {
		errno = EXDEV;
		return -1;
	}
	return __real_renameat(da, a, db, b);
}

static char dir[64];

static int setup(void **state)
{
	return unit_dir(dir, sizeof(dir), "profile");
}

static int teardown(void **state)
{
	return unit_dir_remove(dir);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = calloc(1, 65536);

	if (!f)
		return NULL;
	if (fread(buf, 1, 65535, f) == 0)
		buf[0] = '\0';
	fclose(f);
	return buf;
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	fputs(text, f);
	fclose(f);
}

static int count_files(void)
{
	char cmd[128];
	FILE *p;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", dir);
	p = popen(cmd, "r");
	if (fscanf(p, "%d", &n) != 1)
		n = -1;
	pclose(p);
	return n;
}

static void expect_bad(const char *text, const char *msg)
{
	struct sl_profile p;
	char *cause = NULL;

	assert_int_equal(sl_profile_parse(&p, "t.json", text, strlen(text), &cause), -EINVAL);
	assert_non_null(cause);
	if (!strstr(cause, msg))
		fail_msg("cause '%s' lacks '%s'", cause, msg);
	free(cause);
}

static void test_refuses_bad_profiles(void **state)
{
	expect_bad("{\"defaultAction\": \"SCMP_ACT_ERRNO\",\n \"syscalls\": [}", "2:");
	expect_bad("[1, 2]", "1:1: a seccomp profile is a JSON object");
	expect_bad("{\"name\": \"x\"}", "not a seccomp profile");
	/* the whole message, with the value the file has */
	expect_bad("{\"defaultAction\": \"SCMP_ACT_MAYBE\"}",
		   "1:2: defaultAction \"SCMP_ACT_MAYBE\" is not a seccomp action; use one of "
		   "SCMP_ACT_ERRNO, SCMP_ACT_KILL, SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD, "
		   "SCMP_ACT_TRAP, SCMP_ACT_TRACE, SCMP_ACT_ALLOW, SCMP_ACT_LOG, SCMP_ACT_NOTIFY");
	expect_bad("{\"defaultAction\": 7}", "defaultAction 7 is not a seccomp action");
	expect_bad("{\"defaultAction\": \"SCMP_ACT_ERRNO\",\n  \"syscalls\": [\n    {\"names\": "
		   "[\"read\", 7], \"action\": \"SCMP_ACT_ALLOW\"}]}", "3:24: names[1] must be a string");
	expect_bad("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"]}]}",
		   "syscalls[0]: action (none) is not a seccomp action");
	expect_bad("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], "
		   "\"action\": \"ALLOW\"}]}", "syscalls[0]: action \"ALLOW\" is not");
	expect_bad("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"action\": "
		   "\"SCMP_ACT_ALLOW\"}]}", "syscalls[0] has no \"names\"");
	expect_bad("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultAction\": \"SCMP_ACT_LOG\"}",
		   "duplicate");
	expect_bad("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86\"],"
		   " \"archMap\": [{\"architecture\": \"SCMP_ARCH_X86_64\"}]}", "not both");
}

static void test_accepts_docker_shapes(void **state)
{
	const char *text = "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1, "
			   "\"archMap\": [{\"architecture\": \"SCMP_ARCH_X86_64\", "
			   "\"subArchitectures\": [\"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\"]}], "
			   "\"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", "
			   "\"args\": [], \"comment\": \"\", \"includes\": {}, \"excludes\": {}}, "
			   "{\"name\": \"ptrace\", \"action\": \"SCMP_ACT_ERRNO\", "
			   "\"includes\": {\"caps\": [\"CAP_SYS_PTRACE\"]}}], "
			   "\"flags\": [\"SECCOMP_FILTER_FLAG_LOG\"], \"x-unknown\": null}";
	struct sl_profile p;
	char *cause = NULL;

	assert_int_equal(sl_profile_parse(&p, "t", text, strlen(text), &cause), 0);
	assert_true(sl_rule_unconditional(json_array_get(json_object_get(p.root, "syscalls"), 0)));
	assert_false(sl_rule_unconditional(json_array_get(json_object_get(p.root, "syscalls"), 1)));
	assert_true(sl_profile_has_arch(&p, sl_arch_by_name("x32")));
	assert_false(sl_profile_has_arch(&p, sl_arch_by_name("aarch64")));
	sl_profile_free(&p);
}

/* Docker loads a rule whose names list is empty */
static void test_accepts_empty_names(void **state)
{
	const char *text = "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [], "
			   "\"action\": \"SCMP_ACT_ALLOW\"}]}";
	struct sl_profile p;
	char *cause = NULL;

	assert_int_equal(sl_profile_parse(&p, "t", text, strlen(text), &cause), 0);
	sl_profile_free(&p);
}

/* What a runtime loads on this (x86_64) host: archMap's native entry only */
static void test_arch_as_runtime_loads(void **state)
{
	const char *other = "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"archMap\": ["
			    "{\"architecture\": \"SCMP_ARCH_AARCH64\", \"subArchitectures\": "
			    "[\"SCMP_ARCH_ARM\", \"SCMP_ARCH_X86\"]}, {\"architecture\": \"SCMP_ARCH_X86\", "
			    "\"subArchitectures\": []}]}";
	const char *listed = "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": "
			     "[\"SCMP_ARCH_X86\"]}";
	struct sl_profile p;
	char *cause = NULL;

	assert_ptr_equal(sl_arch_native(), sl_arch_by_name("x86_64"));
	assert_int_equal(sl_profile_parse(&p, "t", other, strlen(other), &cause), 0);
	/* an entry for x86 (not the native arch) is never read on x86_64 */
	assert_false(sl_profile_has_arch(&p, sl_arch_by_name("x86")));
	assert_true(sl_profile_has_arch(&p, sl_arch_by_name("x86_64")));
	assert_null(sl_profile_native_entry(&p));
	sl_profile_free(&p);
	assert_int_equal(sl_profile_parse(&p, "t", listed, strlen(listed), &cause), 0);
	assert_true(sl_profile_has_arch(&p, sl_arch_by_name("x86")));
	/* libseccomp makes every filter for the native arch too */
	assert_true(sl_profile_has_arch(&p, sl_arch_by_name("x86_64")));
	sl_profile_free(&p);
}

static void test_write_keeps_mode_and_backup(void **state)
{
	char path[128], bak[128], *s, *cause = NULL;
	struct stat st;

	snprintf(path, sizeof(path), "%s/p.json", dir);
	snprintf(bak, sizeof(bak), "%s/p.json.bak", dir);
	put(path, "old\n");
	chmod(path, 0640);
	assert_int_equal(sl_write_atomic(path, "new\n", 4, true, &cause), 0);
	s = slurp(path);
	assert_string_equal(s, "new\n");
	free(s);
	s = slurp(bak);
	assert_string_equal(s, "old\n");
	free(s);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	assert_int_equal(count_files(), 2);	/* no temporary file left */
}

static void test_write_follows_symlink(void **state)
{
	char path[128], link_[128], *s, *cause = NULL;
	struct stat st;

	snprintf(path, sizeof(path), "%s/real.json", dir);
	snprintf(link_, sizeof(link_), "%s/link.json", dir);
	put(path, "old\n");
	assert_int_equal(symlink("real.json", link_), 0);
	assert_int_equal(sl_write_atomic(link_, "new\n", 4, false, &cause), 0);
	assert_int_equal(lstat(link_, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	s = slurp(path);
	assert_string_equal(s, "new\n");
	free(s);
}

static void test_failed_write_keeps_original(void **state)
{
	char path[128], *s, *cause = NULL;

	snprintf(path, sizeof(path), "%s/p.json", dir);
	put(path, "original\n");
	fail_fsync = 1;
	assert_int_equal(sl_write_atomic(path, "new\n", 4, true, &cause), -EIO);
	fail_fsync = 0;
	assert_non_null(strstr(cause, "Input/output error"));
	free(cause);
	cause = NULL;
	s = slurp(path);
	assert_string_equal(s, "original\n");
	free(s);
	assert_int_equal(count_files(), 1);

	fail_rename = 1;
	assert_int_equal(sl_write_atomic(path, "new\n", 4, false, &cause), -EXDEV);
	fail_rename = 0;
	free(cause);
	s = slurp(path);
	assert_string_equal(s, "original\n");
	free(s);
	assert_int_equal(count_files(), 1);
}

/* A path.bak symlink someone planted is replaced, never written through. */
static void test_backup_never_follows_a_planted_link(void **state)
{
	char path[128], bak[128], victim[128], *s, *cause = NULL;
	struct stat st;

	snprintf(path, sizeof(path), "%s/p.json", dir);
	snprintf(bak, sizeof(bak), "%s/p.json.bak", dir);
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	put(path, "old\n");
	put(victim, "precious\n");
	assert_int_equal(symlink("victim", bak), 0);
	assert_int_equal(sl_write_atomic(path, "new\n", 4, true, &cause), 0);
	s = slurp(victim);
	assert_string_equal(s, "precious\n");
	free(s);
	assert_int_equal(lstat(bak, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	s = slurp(bak);
	assert_string_equal(s, "old\n");
	free(s);
}

/* A run killed between its backup and its rename leaves path.bak the same
 * file as path: the next backup must not leave its link behind. */
static void test_backup_already_the_file(void **state)
{
	char path[128], bak[128], *s, *cause = NULL;

	snprintf(path, sizeof(path), "%s/p.json", dir);
	snprintf(bak, sizeof(bak), "%s/p.json.bak", dir);
	put(path, "old\n");
	assert_int_equal(link(path, bak), 0);
	assert_int_equal(sl_write_atomic(path, "new\n", 4, true, &cause), 0);
	s = slurp(bak);
	assert_string_equal(s, "old\n");
	free(s);
	assert_int_equal(count_files(), 2);	/* no temporary left */
}

/* Root does not write where another user's link points. */
static void test_foreign_link_not_followed(void **state)
{
	char path[128], link_[128], *s, *cause = NULL;

	if (geteuid() != 0)
		skip();	/* only root can give a link away */
	snprintf(path, sizeof(path), "%s/victim", dir);
	snprintf(link_, sizeof(link_), "%s/p.json", dir);
	put(path, "precious\n");
	assert_int_equal(symlink("victim", link_), 0);
	assert_int_equal(lchown(link_, 65534, 65534), 0);
	assert_int_equal(sl_write_atomic(link_, "new\n", 4, true, &cause), -EPERM);
	assert_non_null(strstr(cause, "owned by uid 65534"));
	free(cause);
	s = slurp(path);
	assert_string_equal(s, "precious\n");
	free(s);
	assert_int_equal(count_files(), 2);
	/* root's own link is followed */
	assert_int_equal(lchown(link_, 0, 0), 0);
	cause = NULL;
	assert_int_equal(sl_write_atomic(link_, "new\n", 4, false, &cause), 0);
	s = slurp(path);
	assert_string_equal(s, "new\n");
	free(s);
}

/* A killed run's temporary (dead pid) goes; a live pid's stays. */
static void test_stale_temporaries_removed(void **state)
{
	char path[128], dead[160], live[160], other[160], *cause = NULL;
	struct stat st;
	pid_t pid = fork();

	if (!pid)
		_exit(0);
	waitpid(pid, NULL, 0);
	snprintf(path, sizeof(path), "%s/p.json", dir);
	snprintf(dead, sizeof(dead), "%s/.p.json.seclog-%ld-0000abcd", dir, (long)pid);
	snprintf(live, sizeof(live), "%s/.p.json.seclog-%ld-0000abcd", dir, (long)getppid());
	snprintf(other, sizeof(other), "%s/.q.json.seclog-%ld-0000abcd", dir, (long)pid);
	put(path, "old\n");
	put(dead, "x");
	put(live, "x");
	put(other, "x");
	assert_int_equal(sl_write_atomic(path, "new\n", 4, false, &cause), 0);
	assert_int_equal(lstat(dead, &st), -1);
	assert_int_equal(lstat(live, &st), 0);
	assert_int_equal(lstat(other, &st), 0);	/* not this profile's */
}

static void test_lock(void **state)
{
	char path[128], lock[160], *cause = NULL;
	struct stat st;
	int a, b;

	snprintf(path, sizeof(path), "%s/p.json", dir);
	snprintf(lock, sizeof(lock), "%s/.p.json.seclog-lock", dir);
	put(path, "{}\n");
	assert_int_equal(sl_profile_lock(path, false, &a, &cause), 0);
	assert_int_equal(lstat(lock, &st), 0);
	assert_int_equal(sl_profile_lock(path, false, &b, &cause), -EWOULDBLOCK);
	assert_int_equal(b, -1);
	close(a);
	assert_int_equal(sl_profile_lock(path, false, &b, &cause), 0);
	close(b);
	/* a planted symlink is not opened */
	unlink(lock);
	assert_int_equal(symlink("p.json", lock), 0);
	assert_int_equal(sl_profile_lock(path, true, &a, &cause), -ELOOP);
	assert_non_null(strstr(cause, "lock file"));
	free(cause);
}

static void test_new_profile(void **state)
{
	const char *names[] = { "read", "write" };
	const struct sl_arch *arches[] = { sl_arch_by_name("x86_64"), sl_arch_by_name("x86") };
	char *text = sl_profile_new(names, 2, arches, 2), *cause = NULL;
	struct sl_profile p;
	const json_t *rule;

	assert_int_equal(sl_profile_parse(&p, "new", text, strlen(text), &cause), 0);
	assert_string_equal(json_string_value(json_object_get(p.root, "defaultAction")),
			    "SCMP_ACT_ERRNO");
	assert_true(sl_profile_has_arch(&p, arches[1]));
	rule = json_array_get(json_object_get(p.root, "syscalls"), 0);
	assert_string_equal(sl_rule_action(rule), "SCMP_ACT_ALLOW");
	assert_true(sl_rule_has_name(rule, "write"));
	sl_profile_free(&p);
	free(text);
}

static void test_new_profile_dedupes_and_may_be_empty(void **state)
{
	const char *names[] = { "write", "read", "write" };
	const struct sl_arch *arches[] = { sl_arch_by_name("x86_64") };
	char *text = sl_profile_new(names, 3, arches, 1), *cause = NULL;
	struct sl_profile p;

	assert_int_equal(sl_profile_parse(&p, "new", text, strlen(text), &cause), 0);
	assert_int_equal(json_array_size(json_object_get(json_array_get(json_object_get(p.root,
			 "syscalls"), 0), "names")), 2);
	sl_profile_free(&p);
	free(text);
	text = sl_profile_new(names, 0, arches, 1);
	assert_int_equal(sl_profile_parse(&p, "empty", text, strlen(text), &cause), 0);
	assert_int_equal(json_array_size(json_object_get(p.root, "syscalls")), 0);
	sl_profile_free(&p);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refuses_bad_profiles),
		cmocka_unit_test(test_accepts_docker_shapes),
		cmocka_unit_test(test_accepts_empty_names),
		cmocka_unit_test(test_arch_as_runtime_loads),
		cmocka_unit_test_setup_teardown(test_backup_never_follows_a_planted_link, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_stale_temporaries_removed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backup_already_the_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreign_link_not_followed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_keeps_mode_and_backup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_follows_symlink, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_write_keeps_original, setup, teardown),
		cmocka_unit_test(test_new_profile),
		cmocka_unit_test(test_new_profile_dedupes_and_may_be_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
