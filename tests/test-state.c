/*
 * test-state.c - the --state file: a round trip through the disk, keys
 * with spaces, a missing file, malformed ones (with their line number),
 * and update keeping what a source cannot say.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "error.h"
#include "state.h"

static char dir[64];

static int setup(void **unused)
{
	(void)unused;
	return unit_dir(dir, sizeof(dir), "state");
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

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static char *slurp(const char *path)
{
	static char buf[4096];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	assert_true(fd >= 0);
	n = read(fd, buf, sizeof(buf) - 1);
	assert_true(n >= 0);
	buf[n] = '\0';
	close(fd);
	return buf;
}

/* a fake source whose checkpoint is whatever the test says */
static const char *next_checkpoint;

static char *fake_checkpoint(struct sl_source *src)
{
	(void)src;
	return next_checkpoint ? sl_xstrdup(next_checkpoint) : NULL;
}

static const struct sl_source_ops fake_file_ops = {
	.name = "file",
	.checkpoint = fake_checkpoint,
};

static const struct sl_source_ops fake_journal_ops = {
	.name = "journal",
	.checkpoint = fake_checkpoint,
};

static const struct sl_source_ops no_checkpoint_ops = {
	.name = "netlink",
};

static void missing_is_empty(void **unused)
{
	struct sl_state st;
	char *cause = NULL, *path = in_dir("none");

	(void)unused;
	assert_int_equal(sl_state_load(&st, path, &cause), 0);
	assert_int_equal(st.n, 0);
	assert_null(sl_state_get(&st, "journal"));
	sl_state_free(&st);
	free(path);
}

static void round_trip(void **unused)
{
	struct sl_state st, back;
	struct sl_source src[3];
	char *cause = NULL, *path = in_dir("state"), *key;

	(void)unused;
	memset(src, 0, sizeof(src));
	assert_int_equal(sl_state_load(&st, path, &cause), 0);
	src[0].ops = &fake_file_ops;
	src[0].path = "/var/log/my logs/audit\\.log";	/* a space and a backslash */
	src[1].ops = &fake_journal_ops;
	src[2].ops = &no_checkpoint_ops;
	next_checkpoint = "dev=2049 ino=131 off=8812 head=1024:00ff";
	sl_state_update(&st, src, 3);
	assert_int_equal(st.n, 2);
	assert_int_equal(sl_state_save(&st, path, &cause), 0);
	/* the key is escaped: one space separates it from its line */
	assert_non_null(strstr(slurp(path),
			       "\nfile:/var/log/my\\040logs/audit\\134.log dev=2049 ino=131 off=8812 "
			       "head=1024:00ff\n"));
	assert_non_null(strstr(slurp(path), "\njournal dev=2049"));

	assert_int_equal(sl_state_load(&back, path, &cause), 0);
	assert_int_equal(back.n, 2);
	/* a directory that does not exist keeps the path as given */
	key = sl_state_key(&src[0]);
	assert_string_equal(key, "file:/var/log/my logs/audit\\.log");
	assert_string_equal(sl_state_get(&back, key), "dev=2049 ino=131 off=8812 head=1024:00ff");
	assert_string_equal(sl_state_get(&back, "journal"),
			    "dev=2049 ino=131 off=8812 head=1024:00ff");
	free(key);

	/* a source with nothing to say keeps its old line; others change */
	next_checkpoint = NULL;
	sl_state_update(&back, src, 1);
	assert_string_equal(back.lines[0], "dev=2049 ino=131 off=8812 head=1024:00ff");
	next_checkpoint = "s=abc;i=1";
	sl_state_update(&back, src + 1, 1);
	assert_string_equal(sl_state_get(&back, "journal"), "s=abc;i=1");
	/* a checkpoint that is not one line is never written */
	next_checkpoint = "a\nb";
	sl_state_update(&back, src + 1, 1);
	assert_string_equal(sl_state_get(&back, "journal"), "s=abc;i=1");
	assert_int_equal(back.n, 2);

	sl_state_free(&st);
	sl_state_free(&back);
	free(path);
}

/* the key is the same whatever the spelling of the directory */
static void key_is_absolute(void **unused)
{
	struct sl_source a, b;
	char *ka, *kb, *want, *sub = in_dir("sub"), cwd[4096];

	(void)unused;
	assert_int_equal(mkdir(sub, 0755), 0);
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.ops = b.ops = &fake_file_ops;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(sub), 0);
	a.path = "audit.log";
	b.path = "../sub/./audit.log";
	ka = sl_state_key(&a);
	kb = sl_state_key(&b);
	assert_int_equal(chdir(cwd), 0);
	want = sl_xasprintf("file:%s/audit.log", sub);
	assert_string_equal(ka, want);
	assert_string_equal(kb, want);
	b.path = "-";
	free(kb);
	kb = sl_state_key(&b);
	assert_string_equal(kb, "file");
	free(ka);
	free(kb);
	free(want);
	free(sub);
}

static void malformed(void **unused)
{
	static const struct {
		const char *text;
		const char *why;
	} bad[] = {
		{ "# c\njournal s=1\nnospace\n", "state:3: not a" },
		{ "journal \n", "state:1: not a" },
		{ " dev=1\n", "state:1: not a" },
		{ "\n\nfile:/a\\9 x\n", "state:3: bad escape" },
		{ "file:/a\\04 x\n", "state:1: bad escape" },
		{ "journal a\njournal b\n", "state:2: journal is there twice" },
	};
	struct sl_state st;
	char *path = in_dir("state"), *cause;
	size_t i;

	(void)unused;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cause = NULL;
		write_file(path, bad[i].text);
		assert_int_equal(sl_state_load(&st, path, &cause), -EINVAL);
		assert_non_null(cause);
		if (!strstr(cause, bad[i].why))
			fail_msg("%s: '%s' lacks '%s'", bad[i].text, cause, bad[i].why);
		assert_int_equal(st.n, 0);
		free(cause);
	}
	/* comments, blank lines, no newline at the end: fine */
	write_file(path, "# x\n\nkmsg seq=12\njournal s=1 x");
	assert_int_equal(sl_state_load(&st, path, &cause), 0);
	assert_int_equal(st.n, 2);
	assert_string_equal(sl_state_get(&st, "kmsg"), "seq=12");
	assert_string_equal(sl_state_get(&st, "journal"), "s=1 x");
	sl_state_free(&st);
	free(path);
}

/* a state file that cannot be written leaves the old one as it was */
static void save_fails_cleanly(void **unused)
{
	struct sl_state st;
	char *cause = NULL, *path = in_dir("nodir/state");

	(void)unused;
	memset(&st, 0, sizeof(st));
	assert_true(sl_state_save(&st, path, &cause) < 0);
	assert_non_null(cause);
	free(cause);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(missing_is_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(key_is_absolute, setup, teardown),
		cmocka_unit_test_setup_teardown(malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(save_fails_cleanly, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
