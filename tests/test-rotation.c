/*
 * test-rotation.c - knowing a log again after logrotate or auditd moved it:
 * checkpoint lines, the rotated names looked at, a renamed file found by
 * inode and first bytes, copytruncate's copy by its first bytes, and the
 * files rotated after one, oldest first.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"
#include "error.h"
#include "rotation.h"

static char dir[64];

static int setup(void **unused)
{
	(void)unused;
	return unit_dir(dir, sizeof(dir), "rotation");
}

static int teardown(void **unused)
{
	(void)unused;
	return unit_dir_remove(dir);
}

static char *in_dir(const char *name)
{
	return sl_xasprintf("%s/%s", dir, name);
}

/* write name with text; its mtime sec seconds ago */
static void put(const char *name, const char *text, int ago)
{
	char *path = in_dir(name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	struct timespec ts[2];

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	clock_gettime(CLOCK_REALTIME, &ts[0]);
	ts[0].tv_sec -= ago;
	ts[1] = ts[0];
	assert_int_equal(futimens(fd, ts), 0);
	close(fd);
	free(path);
}

/* the mark of a file: its inode, off, and its first n bytes */
static struct sl_file_mark mark_of(const char *name, const char *text, size_t n, uint64_t off)
{
	struct sl_file_mark m;
	struct stat st;
	char *path = in_dir(name);

	assert_int_equal(stat(path, &st), 0);
	m.dev = (uint64_t)st.st_dev;
	m.ino = (uint64_t)st.st_ino;
	m.off = off;
	m.head_n = n;
	m.head = sl_head_hash(SL_HEAD_INIT, text, n);
	free(path);
	return m;
}

static ino_t ino_of_fd(int fd)
{
	struct stat st;

	assert_int_equal(fstat(fd, &st), 0);
	return st.st_ino;
}

static ino_t ino_of(const char *name)
{
	struct stat st;
	char *path = in_dir(name);

	assert_int_equal(stat(path, &st), 0);
	free(path);
	return st.st_ino;
}

static void mark_lines(void **unused)
{
	struct sl_file_mark m = { .dev = 2049, .ino = 131, .off = 8812, .head_n = 1024,
				  .head = 0x9f86d081884c7d65ULL }, back;
	static const char *const bad[] = {
		"",
		"dev=1 ino=2",				/* no off */
		"dev=1 ino=2 off=",			/* empty */
		"dev=1 ino=x off=3",
		"dev=1 ino=2 off=-3",
		"dev=1 ino=2 off=3 head=1025:00",	/* more than SL_HEAD_MAX */
		"dev=1 ino=2 off=3 head=12",
		"dev=1 ino=2 off=3 head=12:zz",
		"dev=1 ino=2 off=3 junk",
		"dev=99999999999999999999 ino=2 off=3",
	};
	char *line = sl_file_mark_format(&m);
	size_t i;

	(void)unused;
	assert_string_equal(line, "dev=2049 ino=131 off=8812 head=1024:9f86d081884c7d65");
	assert_int_equal(sl_file_mark_parse(line, &back), 0);
	assert_memory_equal(&m, &back, sizeof(m));
	free(line);
	/* a later version's keys are skipped; head is optional */
	assert_int_equal(sl_file_mark_parse("dev=1 ino=2 serial=9 off=3", &back), 0);
	assert_int_equal(back.off, 3);
	assert_int_equal(back.head_n, 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (sl_file_mark_parse(bad[i], &back) != -EINVAL)
			fail_msg("'%s' parsed", bad[i]);
}

/* a file renamed aside is found by inode, never a compressed one or another name */
static void renamed(void **unused)
{
	const char *text = "type=SECCOMP msg=audit(1.000:1): first\nsecond\n";
	struct sl_file_mark m;
	struct stat st;
	char *path = in_dir("audit.log"), *from, *to;
	int fd;

	(void)unused;
	put("audit.log", text, 0);
	m = mark_of("audit.log", text, strlen(text), 10);
	from = in_dir("audit.log");
	to = in_dir("audit.log.1");
	assert_int_equal(rename(from, to), 0);
	put("audit.log", "new\n", 0);
	put("audit.log.1x", text, 0);	/* not a rotated name */
	put("audit.log.2.gz", text, 0);	/* compressed: never */
	fd = sl_rotation_find(path, &m, false, &st);
	assert_true(fd >= 0);
	assert_int_equal(ino_of_fd(fd), ino_of("audit.log.1"));
	close(fd);
	/* other first bytes: an inode reused by another file is not it */
	m.head ^= 1;
	assert_int_equal(sl_rotation_find(path, &m, false, &st), -1);
	/* a renumbered device: the first bytes must say it */
	m.head ^= 1;
	m.dev++;
	fd = sl_rotation_find(path, &m, false, &st);
	assert_true(fd >= 0);
	close(fd);
	m.head_n = 0;
	assert_int_equal(sl_rotation_find(path, &m, false, &st), -1);
	free(from);
	free(to);
	free(path);
}

/* copytruncate's copy: another inode with the same first bytes, the newest */
static void copy(void **unused)
{
	const char *text = "type=SECCOMP msg=audit(1.000:1): first\n";
	struct sl_file_mark m;
	struct stat st;
	char *path = in_dir("syslog");
	int fd;

	(void)unused;
	put("syslog", text, 0);
	m = mark_of("syslog", text, strlen(text), strlen(text));
	put("syslog-20261130", text, 100);
	put("syslog-20261201", text, 10);
	put("syslog.3", "other\n", 0);
	put("syslog", "", 0);		/* truncated */
	fd = sl_rotation_find(path, &m, true, &st);
	assert_true(fd >= 0);
	assert_int_equal(ino_of_fd(fd), ino_of("syslog-20261201"));
	close(fd);
	/* without first bytes, no copy can be told */
	m.head_n = 0;
	assert_int_equal(sl_rotation_find(path, &m, true, &st), -1);
	free(path);
}

/* the files rotated after one: not older than it, not it, not the current */
static void after(void **unused)
{
	char *path = in_dir("audit.log"), *old = in_dir("audit.log.3"), *cur = path;
	struct stat so, sc;
	int fds[4];
	size_t n;

	(void)unused;
	put("audit.log.4", "oldest\n", 400);
	put("audit.log.3", "ours\n", 300);
	put("audit.log.1", "second after\n", 100);
	put("audit.log.2", "first after\n", 200);
	put("audit.log.1.gz", "compressed\n", 50);
	put("audit.log", "current\n", 0);
	assert_int_equal(stat(old, &so), 0);
	assert_int_equal(stat(cur, &sc), 0);
	n = sl_rotation_after(path, &so, &sc, fds, 4);
	assert_int_equal(n, 2);
	assert_int_equal(ino_of_fd(fds[0]), ino_of("audit.log.2"));
	assert_int_equal(ino_of_fd(fds[1]), ino_of("audit.log.1"));
	close(fds[0]);
	close(fds[1]);
	/* at most max, the oldest first */
	n = sl_rotation_after(path, &so, &sc, fds, 1);
	assert_int_equal(n, 1);
	assert_int_equal(ino_of_fd(fds[0]), ino_of("audit.log.2"));
	close(fds[0]);
	free(path);
	free(old);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mark_lines),
		cmocka_unit_test_setup_teardown(renamed, setup, teardown),
		cmocka_unit_test_setup_teardown(copy, setup, teardown),
		cmocka_unit_test_setup_teardown(after, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
